// cpp/httpd.cpp -- the spine: main, the accept loop, and the
// per-connection pipeline.  Everything else is a stage (cpp/NN-*.cpp).
//
// Assembly twin: asm/httpd.s, line for line.  Built for every lesson from
// 01 on with -DLESSON=N.  What a lesson adds here is a step in kSteps (or
// a step swapped for its successor) inside one `#if LESSON ...` block --
// the twin of the assembly's `.if LESSON ...` -- and lesson N's binary
// contains exactly stages 0..N.  `make view-NN` prints this file with
// every such block resolved for lesson NN; docs/architecture.md says why
// these are `#if` and not `if constexpr`.
#ifndef LESSON
#error "build with -DLESSON=N (the Makefile does)"
#endif

#include <csignal>
#include <unistd.h>

#include "00-syscalls.hpp"
#include "01-socket.hpp"
#include "exchange.hpp"
#if LESSON >= 2
#include "02-fork.hpp"
#endif
#if LESSON >= 3
#include "03-parse.hpp"
#endif
#if LESSON >= 4
#include "04-files.hpp"
#endif
#if LESSON >= 5
#include "05-decode.hpp"
#endif
#if LESSON >= 6
#include "06-traversal.hpp"
#endif
#if LESSON >= 7
#include "07-ranges.hpp"
#endif
#if LESSON >= 8
#include "08-listing.hpp"
#endif

namespace httpd {

// A step of the pipeline: kNext (go on), kDone (stop: answered, or
// nothing to answer), or an HTTP status (stop: answer with that error).
using Step = int (*)(Exchange& x);

// excerpt: steps
// The pipeline: every step a connection goes through, in order.
constexpr Step kSteps[] = {
#if LESSON <= 2
    step_read_once,      // 01: one read, whatever the client sent
    step_hello,          // 01: the fixed 200 response
#endif
#if LESSON >= 3
    step_read_head,      // 03: the request head into x.buf
    step_parse_head,     // 03: request line and fields into x.req
    step_check_framing,  // 03: Content-Length / Transfer-Encoding: 400 / 501
    step_check_method,   // 03: GET and HEAD go on; 405 / 501
#endif
#if LESSON == 3
    step_echo,           // 03: echo what the parser understood
#endif
#if LESSON == 4
    step_copy_path,      // 04: x.path = the request's path
#endif
#if LESSON >= 5
    step_decode_path,    // 05: x.path = the request's path, percent-decoded once
#endif
#if LESSON >= 6
    step_normalize_path, // 06: resolve "." and ".."; 403 above the docroot
#endif
#if LESSON >= 4 && LESSON <= 7
    step_add_index,      // 04: ".../" -> ".../index.html"
#endif
#if LESSON >= 4 && LESSON <= 5
    step_open_file,      // 04: openat(docroot + path)
#endif
#if LESSON >= 6
    step_open_beneath,   // 06: openat from the docroot's descriptor, name by name, no symlinks
#endif
#if LESSON >= 4
    step_stat_file,      // 04: fstat: mode and size
#endif
#if LESSON >= 8
    step_directory,      // 08: a directory: 301 to ".../", its index.html, or a listing
#endif
#if LESSON >= 4
    step_check_file,     // 04: only regular files: else 403
    step_choose_type,    // 04: Content-Type from the extension
#endif
#if LESSON >= 7
    step_parse_range,    // 07: Range: 206 with part of the body, or 416
#endif
#if LESSON >= 4
    step_send_head,      // 04: status line and fields
    step_send_body,      // 04: the file, by sendfile
#endif
};
// excerpt end

// run_steps -- each step in turn until one stops the pipeline: its
// result.  A list that runs out without an answer is a bug in the list:
// 500.
int run_steps(Exchange& x) {
    for (Step step : kSteps) {
        if (int result = step(x); result != kNext) return result;
    }
    return 500;
}

// handle_connection -- one connection, one response (or none if the
// client sent nothing).  The caller closes conn (lesson 01) or exits
// (lesson 02's child).
void handle_connection(int conn, const Config* cfg) {
    Exchange x;                      // on the stack: the buffers are not cleared
    start_exchange(x, conn, cfg);
    [[maybe_unused]] int result = run_steps(x);      // (lessons 01-02 never stop with a status)
#if LESSON >= 3
    if (result != kDone) answer_error(x, result);   // a step stopped with a status
    linger_close(x);                 // unread request bytes: half-close, drain
#endif
    x.file.reset();                  // close the file, if a step opened one
}

// serve_forever -- accept, answer, repeat.  Never returns.
[[noreturn]] void serve_forever(int listener, const Config* cfg) {
#if LESSON >= 2
    ignore_signal(SIGCHLD);          // lesson 02: the kernel reaps our children -- no zombies
#endif
    for (;;) {
        std::int64_t conn = accept_client(listener);
        if (conn < 0) continue;      // ECONNABORTED, EMFILE ...: try again
#if LESSON >= 2
        // lesson 02: a child answers; we go straight back to accept
        fork_connection(listener, static_cast<int>(conn), handle_connection, cfg);
#else
        // lesson 01: answer it ourselves -- the next client waits meanwhile
        Fd owned(static_cast<int>(conn));   // closed at the end of this block
        handle_connection(owned.get(), cfg);
#endif
    }
}

}  // namespace httpd

int main(int argc, char** argv) {
    httpd::Config cfg;
    if (httpd::parse_args(argc, argv, &cfg) < 0) return 2;   // the message is out
#if LESSON >= 6
    if (httpd::open_docroot(&cfg) < 0) return 1;             // 06: the message is out
#endif
    // a client that leaves early must not kill us with SIGPIPE: writes
    // to it then fail with EPIPE instead
    httpd::ignore_signal(SIGPIPE);
    int port = static_cast<int>(cfg.port);
    std::int64_t listener = httpd::open_listener(port);
    if (listener < 0) {
        httpd::say_listen_error(port, listener);
        return 1;
    }
    int real_port = httpd::listening_port(static_cast<int>(listener));
    if (real_port < 0) {             // getsockname failed on our own socket
        httpd::say_listen_error(port, real_port);
        return 1;
    }
    httpd::say_listening(real_port);
    httpd::serve_forever(static_cast<int>(listener), &cfg);
}
