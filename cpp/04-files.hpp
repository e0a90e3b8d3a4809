// cpp/04-files.hpp -- lesson 04: serving files from the document root.
// Assembly twin: asm/04-files.s (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/04-files/README.md.
//
// The stage's steps, in the order of the spine's list (cpp/httpd.cpp),
// after lesson 03's steps have a well-formed GET or HEAD:
//
//     step_copy_path    x.path = the request's path, as it is
//     step_add_index    ".../" -> ".../index.html"
//     step_open_file    map_path (docroot + path), openat(O_RDONLY | O_NONBLOCK)
//     step_stat_file    fstat: x.file_mode, x.file_size; the body is the whole file
//     step_check_file   only a regular file is served: else 403
//     step_choose_type  mime_type: Content-Type from lessons/04-files/mime-types.tsv
//     step_send_head    head_start_body: status, Content-Type, Content-Length
//     step_send_body    send_file_body: sendfile(2), or a pread/write loop
//
// A step that fails returns the status for answer_error (lesson 03): 403,
// 404, 414 or 500 (errno_to_status), before anything was sent.
//
// Not yet: percent-decoding (lesson 05) and refusing `..` (lesson 06).
// Lesson 04's server serves whatever path it is given, `/../../etc/passwd`
// included: never expose it to a network.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "00-syscalls.hpp"
#include "records.h"

namespace httpd {

struct Exchange;   // the per-connection record: cpp/exchange.hpp

// The lesson's limits (records.inc, section FILES).
inline constexpr std::size_t kPathMax = FILES_PATH_MAX;   // docroot + path + NUL; longer -> 414
inline constexpr std::size_t kCopyChunk = COPY_CHUNK;     // the fallback copy loop's buffer
inline constexpr std::string_view kIndexName = "index.html";   // what "/" and ".../" mean
inline constexpr const char* kUnknownType = "application/octet-stream";

// map_path -- out = docroot + path, NUL-terminated.  Returns the length
// without the NUL, or -414 when that and the NUL do not fit in cap bytes
// (nothing useful is written then).  path is used as it is.
std::int64_t map_path(const char* docroot, std::string_view path, char* out, std::size_t cap);

// add_index -- a path that ends in '/' names a directory, and a
// directory's page is its index.html: append kIndexName to path[0..len)
// when it ends in '/'.  Returns the new length, or -414 if it would pass
// cap.  Other paths are left alone.
std::int64_t add_index(char* path, std::size_t len, std::size_t cap);

// mime_type -- the Content-Type for a file name: the extension is what
// follows the last '.' of the last path segment, compared without regard
// to ASCII case.  No extension (no dot, a dot at the very start of the
// name like `.hidden`, or a name ending in '.') or one not in the table ->
// application/octet-stream.  The result is a string with static lifetime.
const char* mime_type(std::string_view path);

// errno_to_status -- what an error from openat/fstat means to the client:
// ENOENT, ENOTDIR -> 404; EACCES, EPERM, ELOOP -> 403; ENAMETOOLONG -> 414;
// anything else -> 500.  err is a positive errno.
int errno_to_status(int err);

// copy_file_body -- the portable way: pread up to kCopyChunk bytes at
// offset, write_all them to sock, repeat until count bytes went.  Returns
// 0, -errno, or -EIO if the file ended before count bytes.
std::int64_t copy_file_body(int sock, int file_fd, std::uint64_t offset, std::uint64_t count);

// send_file_body -- send count bytes of file_fd, starting at byte first,
// to sock without copying them through our memory: sendfile(2) in a loop
// (it may send less than asked), EINTR retried.  Where the kernel cannot
// sendfile to this descriptor (EINVAL, ENOSYS) the rest goes through
// copy_file_body.  Returns 0, -errno, or -EIO if the file ended early.
std::int64_t send_file_body(int sock, int file_fd, std::uint64_t first, std::uint64_t count);

// send_file_counted -- send_file_body that also adds to *sent (when not
// null) every byte the kernel took, as it goes: after a failure *sent
// says how much of the body went out (lesson 10's access log).  What
// copy_file_body sends is added once it has all gone.
std::int64_t send_file_counted(int sock, int file_fd, std::uint64_t first, std::uint64_t count,
                               std::uint64_t* sent);

// The steps (see the top of this file).  Each returns kNext, kDone, or
// the status to answer with.
//   step_copy_path    x.path = x.req.path (414 if it does not fit)
//   step_add_index    add_index on x.path
//   step_open_file    map_path(docroot, x.path) into a local buffer, then
//                     openat(AT_FDCWD, O_RDONLY | O_NONBLOCK): x.file.
//                     O_NONBLOCK: opening a FIFO must not wait for a writer
//   step_stat_file    fstat(x.file): x.file_mode, x.file_size; the body is
//                     the whole file (x.body_first = 0, x.body_len = size)
//   step_check_file   a regular file goes on; anything else: 403
//   step_choose_type  x.type = mime_type(x.path)
//   step_send_head    head_start_body(x.status, x.type, x.body_len), the
//                     field lines of x.extra, the empty line; kDone if the
//                     client is gone
//   step_send_body    send_file_counted (x.body_sent), not for HEAD; kDone
int step_copy_path(Exchange& x);
int step_add_index(Exchange& x);
int step_open_file(Exchange& x);
int step_stat_file(Exchange& x);
int step_check_file(Exchange& x);
int step_choose_type(Exchange& x);
int step_send_head(Exchange& x);
int step_send_body(Exchange& x);

}  // namespace httpd
