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
#if LESSON >= 10
#include <memory>
#endif

#if LESSON >= 9
#include <span>
#endif

#include "stages.hpp"   // every stage's header, 00 .. LESSON

namespace httpd {

// A step of the pipeline: kNext (go on), kDone (stop: answered, or
// nothing to answer), or an HTTP status (stop: answer with that error).
using Step = int (*)(Exchange& x);

#if LESSON >= 9
// excerpt: method-lists
// Lesson 09: the lists of the methods that do not GET.  step_by_method
// (in the main list below) runs one of them to its end; GET and HEAD go
// on with the main list.  Each list is flat, like the main one (lesson
// 11's step in the PUT and DELETE lists is a block of its own between two
// of lesson 09's: no lesson conditional inside another).
constexpr Step kOptionsAsteriskList[] = {
    step_answer_options,     // 09: 204 with Allow: what the server can do
};
constexpr Step kOptionsList[] = {
    step_decode_path,        // 05: x.path = the request's path, percent-decoded once
    step_normalize_path,     // 06: resolve "." and ".."; 403 above the docroot
    step_open_beneath,       // 06: it exists (404 if not), no symlinks on the way
    step_answer_options,     // 09: 204 with Allow
};
constexpr Step kPutList[] = {
    step_decode_path,        // 05: x.path = the request's path, percent-decoded once
    step_normalize_path,     // 06: resolve "." and ".."; 403 above the docroot
    step_check_upload,       // 09: Content-Length needed (411), at most 1 GiB (413)
    step_open_parent,        // 09: the target's directory; the target: none, a file, else 409 / 403
#endif
#if LESSON >= 11
    step_check_unmodified,   // 11: If-Unmodified-Since older than the target's mtime: 412
#endif
#if LESSON >= 9
    step_store_upload,       // 09: body -> temporary file, fsync, rename over the target
    step_answer_upload,      // 09: 201 Created (new) or 204 (replaced)
};
constexpr Step kDeleteList[] = {
    step_decode_path,        // 05: x.path = the request's path, percent-decoded once
    step_normalize_path,     // 06: resolve "." and ".."; 403 above the docroot
    step_open_parent,        // 09: the target's directory; the target: none, a file, else 409 / 403
#endif
#if LESSON >= 11
    step_check_unmodified,   // 11: If-Unmodified-Since older than the target's mtime: 412
#endif
#if LESSON >= 9
    step_delete_file,        // 09: unlinkat: 204, or 404 when there is nothing
};
// excerpt end

// run_list -- each step of list in turn until one stops: its result.  A
// list that runs out without an answer is a bug in the list: 500.
int run_list(Exchange& x, std::span<const Step> list) {
    for (Step step : list) {
        if (int result = step(x); result != kNext) return result;
    }
    return 500;
}

// excerpt: by-method
// step_by_method -- OPTIONS, PUT and DELETE: run that method's list to
// its end (its answer, or its status); GET and HEAD: go on (kNext).
int step_by_method(Exchange& x) {
    switch (x.req.method_id) {
        case Method::OPTIONS:
            if (x.req.path == "*") return run_list(x, kOptionsAsteriskList);   // the server itself
            return run_list(x, kOptionsList);
        case Method::PUT: return run_list(x, kPutList);
        case Method::DELETE: return run_list(x, kDeleteList);
        default: return kNext;                                // GET, HEAD: the main list
    }
}
// excerpt end
#endif

// excerpt: steps
// The pipeline: every step a connection goes through, in order.
constexpr Step kSteps[] = {
#if LESSON >= 11
    step_stamp_date,     // 11: x.date = the clock; a Date field on every answer from here on
#endif
#if LESSON <= 2
    step_read_once,      // 01: one read, whatever the client sent
    step_hello,          // 01: the fixed 200 response
#endif
#if LESSON >= 10
    step_arm_deadlines,  // 10: a read or write that moves no byte for -t seconds fails
    step_await_head,     // 10: the whole head within -t seconds: else 408 (nothing at all: close)
#endif
#if LESSON >= 3
    step_read_head,      // 03: the request head into x.buf
    step_parse_head,     // 03: request line and fields into x.req
    step_check_framing,  // 03: Content-Length / Transfer-Encoding: 400 / 501
#endif
#if LESSON >= 10
    step_arm_body_deadline,  // 10: a body within -t s + its length at UPLOAD_MIN_RATE (receive_body: else 408)
#endif
#if LESSON >= 3 && LESSON <= 8
    step_check_method,   // 03: GET and HEAD go on; 405 / 501
#endif
#if LESSON >= 9
    step_allow_method,   // 09: GET, HEAD, OPTIONS (PUT, DELETE with -w) go on; 405 / 501
    step_by_method,      // 09: OPTIONS, PUT, DELETE: their own list, to its end; GET, HEAD: on
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
#if LESSON >= 11
    step_last_modified,  // 11: x.last_modified = the mtime (never after Date); a Last-Modified field
    step_check_conditions,   // 11: GET, HEAD: If-None-Match: *, If-Modified-Since: 304
#endif
#if LESSON >= 7 && LESSON <= 10
    step_parse_range,    // 07: Range: 206 with part of the body, or 416
#endif
#if LESSON >= 11
    step_parse_range_11, // 11: ... and an If-Range that holds lets the Range through
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
#if LESSON >= 3 && LESSON <= 8
    if (result != kDone) answer_error(x, result);   // a step stopped with a status
#endif
#if LESSON >= 9
    if (result != kDone) answer_error_page(x, result);   // 09: ... with an HTML page
#endif
#if LESSON >= 10
    log_exchange(x);                 // 10: the access log's line, before linger_close reuses x.buf
    bound_linger(x);                 // 10: the drain below ends -t seconds from now
#endif
#if LESSON >= 3
    linger_close(x);                 // unread request bytes: half-close, drain
#endif
    x.file.reset();                  // close the file, if a step opened one
}

// serve_forever -- accept, answer, repeat.  Never returns (lesson 10: after
// SIGTERM or SIGINT, shut_down exits with 0).
[[noreturn]] void serve_forever(int listener, const Config* cfg) {
#if LESSON >= 2 && LESSON <= 9
    ignore_signal(SIGCHLD);          // lesson 02: the kernel reaps our children -- no zombies
#endif
#if LESSON >= 10
    std::uint64_t children = 0;      // 10: children running; we reap them ourselves
    std::uint64_t slots = cfg->child_limit;                    // 10: the table of their pids: -c slots
    auto pids = std::make_unique<std::int32_t[]>(slots);       // 10: one pid per slot
    init_children(pids.get(), slots);                          //     every slot free
    Refusal refusals[kRefuseSlots];                            // 10: the refused clients, until their 503 is safe
    init_refusals(refusals);                                   //     every slot free
#endif
    for (;;) {
#if LESSON >= 10
        children = reap_children(children, pids.get(), slots); // 10: wait4(WNOHANG): who has ended
        std::int64_t ready = wait_clients(listener, refusals);  // 10: poll the listener and the refused, <= 200 ms
        if (stop_requested()) shut_down(listener, children, pids.get(), slots);   // 10: SIGTERM, SIGINT: never returns
        tend_refusals(refusals, cfg);                          // 10: a refused client's 503, or its close
        if (ready <= 0) continue;                              // 10: nobody to accept (or a signal): reap again
#endif
        std::int64_t conn = accept_client(listener);
#if LESSON <= 9
        if (conn < 0) continue;      // ECONNABORTED, EMFILE ...: try again
#endif
#if LESSON >= 10
        if (conn < 0) {
            accept_backoff(conn);    // 10: EMFILE, ENFILE: pause instead of spinning
            continue;
        }
        children = reap_children(children, pids.get(), slots); // 10: who ended while we waited
        if (children >= cfg->child_limit) {
            refuse_client(static_cast<int>(conn), cfg, refusals);   // 10: at the limit: 503 from us
            continue;
        }
        std::int64_t pid = fork_counted(listener, static_cast<int>(conn), handle_connection, cfg, refusals);
        if (pid <= 0) continue;                                // no child: the next client
        ++children;                                            // one more running
        track_child(pids.get(), slots, static_cast<std::int32_t>(pid));   // its pid into a free slot
#endif
#if LESSON >= 2 && LESSON <= 9
        // lesson 02: a child answers; we go straight back to accept
        fork_connection(listener, static_cast<int>(conn), handle_connection, cfg);
#endif
#if LESSON == 1
        // lesson 01: answer it ourselves -- the next client waits meanwhile
        Fd owned(static_cast<int>(conn));   // closed at the end of this block
        handle_connection(owned.get(), cfg);
#endif
    }
}

}  // namespace httpd

int main(int argc, char** argv) {
    httpd::Config cfg;
#if LESSON <= 8
    if (httpd::parse_args(argc, argv, &cfg) < 0) return 2;   // the message is out
#endif
#if LESSON == 9
    if (httpd::parse_command_line(argc, argv, &cfg, httpd::kFlags09) < 0) return 2;   // 09: flags first
#endif
#if LESSON >= 10
    if (httpd::parse_command_line_10(argc, argv, &cfg) < 0) return 2;   // 10: ... and -t, -c
#endif
#if LESSON >= 6
    if (httpd::open_docroot(&cfg) < 0) return 1;             // 06: the message is out
#endif
#if LESSON >= 9
    if (httpd::open_error_pages(&cfg) < 0) return 1;         // 09: -e DIR; the message is out
#endif
    // a client that leaves early must not kill us with SIGPIPE: writes
    // to it then fail with EPIPE instead
    httpd::ignore_signal(SIGPIPE);
#if LESSON >= 10
    httpd::block_stop_signals();     // 10: SIGTERM, SIGINT wait until serve_forever asks
#endif
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
