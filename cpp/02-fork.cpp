// cpp/02-fork.cpp -- lesson 02.  Assembly twin: asm/02-fork.s.
#include "02-fork.hpp"

#include <cerrno>
#include <unistd.h>

namespace httpd {

std::int64_t fork_connection(int listener, int conn, ConnectionHandler handler, const Config* cfg) {
    Fd owned(conn);                  // the parent's copy: closed on every way out
    pid_t pid = ::fork();
    if (pid < 0) return -errno;      // EAGAIN, ENOMEM: drop this client
    if (pid == 0) {
        // child: one connection, then the end of the process.  _exit, not
        // exit: no atexit handlers or stdio flushing of the parent's state.
        ::close(listener);
        handler(conn, cfg);
        ::_exit(0);
    }
    return pid;                      // parent: back to accept (owned closes conn)
}

}  // namespace httpd
