// cpp/01-socket.hpp -- lesson 01: a listening socket, and the fixed response.
// Assembly twin: asm/01-socket.s (same names, same results).
// Walk-through: lessons/01-socket/README.md.
//
// The stage, from the spine's point of view (cpp/httpd.cpp):
//   parse_args      argv -> Config (port, docroot)
//   open_listener   socket, SO_REUSEADDR, bind 127.0.0.1:port, listen
//   listening_port  getsockname: the port the kernel really gave us
//   accept_client   accept, retried after EINTR
//   send_hello      the fixed 200 response, built with the head builder
//   head_start / head_add / head_add_u64 / head_add_lines / head_end --
//                   used by every later lesson to build response heads
//
// And the first two steps of the per-connection pipeline (the record they
// work on is httpd::Exchange, cpp/exchange.hpp):
//   start_exchange  a fresh record for a new connection
//   step_read_once  one read, whatever the client sent
//   step_hello      the fixed response
//   add_extra       a field line a later step wants in the response head
//
// Failure is a negative number (-errno; -1 from parse_port), never an
// exception.  Limits come from asm/records.inc (section CONFIG) through
// build/gen/records.h.
#pragma once

#include <cstddef>
#include <cstdint>

#include "00-syscalls.hpp"
#include "records.h"

namespace httpd {

struct Exchange;   // the per-connection record: cpp/exchange.hpp

// Config -- what parse_args understood.  The same bytes as the assembly's
// struct config (records.inc CONFIG), checked below.
struct Config {
    std::uint64_t port = DEFAULT_PORT;   // 0..65535; 0 = any free port
    const char* docroot = ".";           // argv[2]
    std::int64_t docroot_fd = -1;        // the docroot as an open directory: lesson 06's open_docroot
    // the options part: what the flags before PORT set (lesson 09's
    // parse_command_line); parse_args leaves them at these defaults
    std::uint64_t write = 0;             // -w: 1 = PUT and DELETE allowed
    const char* error_dir = nullptr;     // -e DIR: error pages, or none (the built-in ones)
    std::int64_t error_fd = -1;          // DIR as an open directory: lesson 09's open_error_pages
    const char* deadline_arg = nullptr;  // -t SECONDS as given (lesson 10), or none
    const char* child_limit_arg = nullptr;   // -c N as given (lesson 10), or none
    std::uint64_t deadline = DEADLINE_DEFAULT;   // lesson 10: seconds for a head, and for a read or write without a byte
    std::uint64_t child_limit = CHILD_LIMIT_DEFAULT;   // lesson 10: children at once
};
static_assert(offsetof(Config, port) == CFG_PORT, "records.inc CFG_PORT");
static_assert(offsetof(Config, docroot) == CFG_DOCROOT, "records.inc CFG_DOCROOT");
static_assert(offsetof(Config, docroot_fd) == CFG_DOCROOT_FD, "records.inc CFG_DOCROOT_FD");
static_assert(offsetof(Config, write) == CFG_WRITE, "records.inc CFG_WRITE");
static_assert(offsetof(Config, error_dir) == CFG_ERROR_DIR, "records.inc CFG_ERROR_DIR");
static_assert(offsetof(Config, error_fd) == CFG_ERROR_FD, "records.inc CFG_ERROR_FD");
static_assert(offsetof(Config, deadline_arg) == CFG_DEADLINE_ARG, "records.inc CFG_DEADLINE_ARG");
static_assert(offsetof(Config, child_limit_arg) == CFG_CHILD_LIMIT_ARG, "records.inc CFG_CHILD_LIMIT_ARG");
static_assert(offsetof(Config, deadline) == CFG_DEADLINE, "records.inc CFG_DEADLINE");
static_assert(offsetof(Config, child_limit) == CFG_CHILD_LIMIT, "records.inc CFG_CHILD_LIMIT");
static_assert(sizeof(Config) == CFG_SIZE, "records.inc CFG_SIZE");

// parse_port -- one or more decimal digits and nothing else, value
// 0..65535; leading zeros are allowed ("080" is 80).  Returns the port or
// -1.  Checked after every digit: any length of input, no overflow.
int parse_port(const char* s);

// parse_args -- `httpd [PORT [DOCROOT]]` into cfg (defaults 8080 and ".";
// docroot_fd -1: nothing is opened here).
// A bad port or a third argument: a one-line message on stderr and
// -EINVAL (main exits with status 2).  Otherwise 0.
int parse_args(int argc, char** argv, Config* cfg);

// write_str -- write_all of a C string.  0 or -errno.
std::int64_t write_str(int fd, const char* s);

// reason_phrase -- RFC 9110 §15's phrase for a status ("Not Found"); ""
// for a status the course does not use (RFC 9112 §4: it may be empty).
const char* reason_phrase(int status);

// copy_bytes -- copy n bytes, return dst + n.
char* copy_bytes(char* dst, const char* src, std::size_t n);

// The head builder.  out holds HEAD_MAX bytes; every function returns the
// new length and never writes past HEAD_MAX.  head_add is all or nothing:
// a field line that would leave fewer than 2 bytes free (for head_end's
// CRLF) is left out and the length comes back unchanged.
//   head_start  "HTTP/1.1 <code> <reason>\r\nServer: metal-httpd\r\nConnection: close\r\n"
//   head_add    "name: value\r\n"
//   head_add_u64  the same with a decimal number
//   head_start_body  head_start, then the two fields every response with
//               a body has: Content-Type and Content-Length
//   head_add_lines  n bytes of ready-made field lines ("Allow: GET\r\n"),
//               all or nothing like head_add
//   head_end    "\r\n" (fits whenever only the builders filled out)
std::size_t head_start(char* out, int status);
std::size_t head_add(char* out, std::size_t len, const char* name, const char* value);
std::size_t head_add_u64(char* out, std::size_t len, const char* name, std::uint64_t value);
std::size_t head_start_body(char* out, int status, const char* type, std::uint64_t length);
std::size_t head_add_lines(char* out, std::size_t len, const char* lines, std::size_t n);
std::size_t head_end(char* out, std::size_t len);

// The Content-Type of every text the server writes itself (the hello, the
// echo, error bodies).  The assembly's twin is the global `text_plain`.
inline constexpr const char* kTextPlain = "text/plain; charset=utf-8";

// send_hello -- lesson 01's only response: 200 OK, text/plain,
// "hello from metal-httpd\n".  0 or -errno.
std::int64_t send_hello(int fd);

// open_listener -- a TCP socket listening on 127.0.0.1:port (0: any free
// port), with SO_REUSEADDR.  The fd, or -errno (nothing left open).
std::int64_t open_listener(int port);

// listening_port -- the port fd is bound to (getsockname), or -errno.
int listening_port(int fd);

// say_listening -- "listening on http://127.0.0.1:PORT/\n" on stdout.
std::int64_t say_listening(int port);

// say_errno -- the end of an error line on stderr: ": errno N\n" for
// err = -N.  What the last write returned (0 or -errno).
std::int64_t say_errno(std::int64_t err);

// say_listen_error -- on stderr: "httpd: cannot listen on
// 127.0.0.1:PORT: address already in use" (-EADDRINUSE) or, by say_errno,
// ": errno N".
std::int64_t say_listen_error(int port, std::int64_t err);

// accept_client -- the next connection (accept, EINTR retried): its fd,
// or -errno (the caller simply tries again).
std::int64_t accept_client(int listener);

// ignore_signal -- sigaction(sig, SIG_IGN).  0 or -errno.
std::int64_t ignore_signal(int sig);

// start_exchange -- set up the record for a new connection: the socket,
// the configuration, status 200, no file, nothing read, no extra field
// lines.  The buffers are left as they are: every step writes before it
// reads.  "No file" forgets what the slot held and never closes it: the
// spine closes the file after every exchange, and a fresh assembly
// record's slot is stack garbage.
void start_exchange(Exchange& x, int sock, const Config* cfg);

// add_extra -- append "name: value\r\n" to x.extra, the field lines the
// head of this exchange's response will carry (Allow for a 405, ...).
// All or nothing, like head_add: 0, or -1 when the line did not fit.
int add_extra(Exchange& x, const char* name, const char* value);

// step_read_once -- lessons 01-02: one read into x.buf, whatever arrives.
// kNext when some bytes came; kDone when the client sent nothing and
// closed (or the read failed): there is nobody to answer.
int step_read_once(Exchange& x);

// step_hello -- lessons 01-02: send_hello; kDone (the answer is out, or
// the client is gone: either way nothing is left to do).
int step_hello(Exchange& x);

}  // namespace httpd
