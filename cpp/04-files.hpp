// cpp/04-files.hpp -- lesson 04: serving files from the document root.
// Assembly twin: asm/04-files.s (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/04-files/README.md.
//
// The stage, from the spine's point of view, is one call after a request
// parsed cleanly (lesson 03):
//
//     serve_file(sock, docroot, req.path, req.is_head)
//       map_path        docroot + path ("/" and ".../" -> ".../index.html")
//       openat + fstat  O_RDONLY | O_NONBLOCK, then "is it a regular file?"
//       mime_type       Content-Type from lessons/04-files/mime-types.tsv
//       head_start_body 200 OK, Content-Type, Content-Length = st_size
//       send_file_body  sendfile(2), or a pread/write loop where it fails
//
//   serve_file returns 0 when the 200 response is ours (sent, or cut off
//   because the client went away -- only closing is left), or -status
//   (-403 -404 -414 -500) when nothing was sent yet and the caller must
//   answer with send_error (lesson 03).
//
// Not yet: percent-decoding (lesson 05) and refusing `..` (lesson 06).
// Lesson 04's server serves whatever path it is given, `/../../etc/passwd`
// included: never expose it to a network.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "00-syscalls.hpp"

namespace httpd {

// The lesson's limits (the assembly's FILES_PATH_MAX and COPY_CHUNK).
inline constexpr std::size_t kPathMax = 1024;      // docroot + path + NUL; longer -> 414
inline constexpr std::size_t kCopyChunk = 65536;   // the fallback copy loop's buffer
inline constexpr std::string_view kIndexName = "index.html";   // what "/" and ".../" mean
inline constexpr const char* kUnknownType = "application/octet-stream";

// map_path -- out = docroot + path, plus "index.html" when path ends in
// '/', NUL-terminated.  Returns the length without the NUL, or
// -414 when that and the NUL do not fit in cap bytes (nothing useful is
// written then).  path is used as it is: no decoding (lesson 05), no `..`
// check (lesson 06).
std::int64_t map_path(const char* docroot, std::string_view path, char* out, std::size_t cap);

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

// send_file_body -- send bytes 0 .. size-1 of file_fd to sock without
// copying them through our memory: sendfile(2) in a loop (it may send
// less than asked), EINTR retried.  Where the kernel cannot sendfile to
// this descriptor (EINVAL, ENOSYS) the rest goes through copy_file_body.
// Returns 0, -errno, or -EIO if the file ended before size bytes.
std::int64_t send_file_body(int sock, int file_fd, std::uint64_t size);

// serve_file -- the whole stage: map, open, check, answer 200 with the
// file (no body for HEAD).  Returns 0 when the response is ours, or
// -status for the caller's send_error: -414 (path too long), -404, -403
// (no permission, a symlink loop, a directory, a FIFO or device), -500.
std::int64_t serve_file(int sock, const char* docroot, std::string_view path, bool is_head);

}  // namespace httpd
