// cpp/httpd.cpp -- the spine: main, the accept loop, and the
// per-connection pipeline.  Everything else is a stage (cpp/NN-*.cpp).
//
// Assembly twin: asm/httpd.s.  Built for every lesson from 01 on with
// -DLESSON=N; each step a lesson adds sits in an `if constexpr (kLesson
// >= N)` block, the twin of the assembly's `.if LESSON >= N`.
//
// Why `if constexpr` is enough although lesson N's binary does not link
// the stage files above N: every stage header exists, so the names are
// declared; and a call in the discarded branch of an `if constexpr` is
// never emitted -- C++17 [stmt.if]/2: "odr-uses in a discarded statement
// do not require an entity to be defined".  So lesson 01 compiles the
// call to fork_connection, throws it away, and links without 02-fork.cpp.
#include <csignal>
#include <unistd.h>

#include "00-syscalls.hpp"
#include "01-socket.hpp"
#include "02-fork.hpp"
#include "03-parse.hpp"
#include "04-files.hpp"

namespace httpd {

// handle_connection -- one connection, one response (or none if the
// client sent nothing).  The caller closes conn (lesson 01) or exits
// (lesson 02's child).
void handle_connection(int conn, const Config* cfg) {
    if constexpr (kLesson < 3) {
        // lesson 01-02: read once (whatever the client sent), answer hello.
        // 0 bytes: the client sent nothing and closed -> no response.
        char buf[HELLO_READ_MAX];
        if (::read(conn, buf, sizeof buf) > 0) send_hello(conn);
    } else {
        // lesson 03+: the head into a buffer, parsed into a Request
        char buf[REQ_HEAD_MAX] = {};   // zeroed: the "HEAD " test below
        std::int64_t len = read_request_head(conn, buf, sizeof buf);
        if (len == 0) return;                            // nothing sent: no response
        if (len < 0) {
            // reading failed (400/414/431): no body if it began with "HEAD "
            send_error(conn, static_cast<int>(-len), std::string_view(buf, 5) == "HEAD ");
            return;
        }
        Request req;
        int status = parse_request(std::string_view(buf, static_cast<std::size_t>(len)), req);
        if (status != 0) {
            send_error(conn, status, req.is_head);
            return;
        }
        if constexpr (kLesson >= 4) {
            // lesson 04+: the file at docroot + path
            std::int64_t r = serve_file(conn, cfg->docroot, req.path, req.is_head);
            if (r < 0) send_error(conn, static_cast<int>(-r), req.is_head);   // 403 404 414 500
        } else {
            // lesson 03: echo what the parser understood
            send_echo(conn, req);
        }
    }
}

// serve_forever -- accept, answer, repeat.  Never returns.
[[noreturn]] void serve_forever(int listener, const Config* cfg) {
    if constexpr (kLesson >= 2) {
        ignore_signal(SIGCHLD);   // lesson 02: the kernel reaps our children -- no zombies
    }
    for (;;) {
        std::int64_t conn = accept_client(listener);
        if (conn < 0) continue;   // ECONNABORTED, EMFILE ...: try again
        if constexpr (kLesson >= 2) {
            // lesson 02: a child answers; we go straight back to accept
            fork_connection(listener, static_cast<int>(conn), handle_connection, cfg);
        } else {
            // lesson 01: answer it ourselves -- the next client waits meanwhile
            Fd owned(static_cast<int>(conn));
            handle_connection(owned.get(), cfg);
        }
    }
}

}  // namespace httpd

int main(int argc, char** argv) {
    httpd::Config cfg;
    if (httpd::parse_args(argc, argv, &cfg) < 0) return 2;   // the message is out
    // a client that leaves early must not kill us with SIGPIPE: writes
    // to it then fail with EPIPE instead
    httpd::ignore_signal(SIGPIPE);
    int port = static_cast<int>(cfg.port);
    std::int64_t listener = httpd::open_listener(port);
    if (listener < 0) {
        httpd::say_listen_error(port, listener);
        return 1;
    }
    httpd::say_listening(httpd::listening_port(static_cast<int>(listener)));
    httpd::serve_forever(static_cast<int>(listener), &cfg);
}
