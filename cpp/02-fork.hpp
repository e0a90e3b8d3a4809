// cpp/02-fork.hpp -- lesson 02: one child process per connection.
// Assembly twin: asm/02-fork.s.  Walk-through: lessons/02-fork/README.md.
//
// The spine (cpp/httpd.cpp) adds two things in lesson 02:
//   ignore_signal(SIGCHLD)   (lesson 01) -- the kernel reaps our children
//   fork_connection          instead of handling the connection itself
#pragma once

#include <cstdint>

#include "01-socket.hpp"

namespace httpd {

// What a child runs for its connection (the spine passes handle_connection).
using ConnectionHandler = void (*)(int conn, const Config* cfg);

// fork_connection -- fork.  The child closes the listener, runs
// handler(conn, cfg) and exits with status 0 (which closes conn).  The
// parent closes its copy of conn and returns the child's pid -- or, if
// fork failed, closes conn (that client is dropped) and returns -errno.
std::int64_t fork_connection(int listener, int conn, ConnectionHandler handler, const Config* cfg);

}  // namespace httpd
