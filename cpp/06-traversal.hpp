// cpp/06-traversal.hpp -- lesson 06: keeping every request inside the
// docroot (RFC 3986 §5.2.4; RFC 9110 §15.5.4).
// Assembly twin: asm/06-traversal.s (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/06-traversal/README.md.
//
// The stage, from the spine's point of view (cpp/httpd.cpp):
//
//   at start-up, once:
//     open_docroot         the docroot as a directory descriptor, kept in
//                          Config::docroot_fd; a docroot that cannot be
//                          opened stops the server (status 1)
//
//   in the pipeline, after step_decode_path (lesson 05):
//     step_normalize_path  resolve "." and ".." in x.path, segment by
//                          segment; a ".." above the docroot -> 403
//     ...                  step_add_index (lesson 04)
//     step_open_beneath    lesson 04's step_open_file swapped for a walk
//                          from the docroot's descriptor, one component
//                          at a time, never following a symbolic link
//
// The rules:
//   - canonicalise, then check: the path the kernel is given is the
//     resolved one, so the check sees exactly what will be opened;
//   - a segment that is "" (from "//") or "." is dropped; ".." drops the
//     segment before it, and a ".." with nothing before it -> 403;
//   - every other segment is a name, dots or not ("a..b", "...",
//     ".hidden", "..a"); a backslash is an ordinary byte;
//   - a path that ends in '/', "/." or "/.." still ends in '/' (so
//     step_add_index adds index.html);
//   - no symbolic link is followed anywhere below the docroot: a link to
//     a file outside, to a file inside, a linked directory, a loop -> 403;
//   - a component longer than COMPONENT_MAX (255) bytes -> 414.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "01-socket.hpp"   // Config
#include "records.h"

namespace httpd {

struct Exchange;   // the per-connection record: cpp/exchange.hpp

// The lesson's limits (records.inc, section TRAVERSAL).
inline constexpr std::size_t kComponentMax = COMPONENT_MAX;   // bytes of one name; longer -> 414
inline constexpr std::size_t kComponentBuf = COMPONENT_BUF;   // a name and its NUL

// normalize_path -- resolve the dot-segments of path[0..len) in place (the
// result is never longer than the input): "" and "." segments go, ".."
// takes the segment before it away.  The path must start with '/'; the
// result does too, and ends in '/' when the input ended in '/', "/." or
// "/..".  Returns the new length, or -403 when a ".." would climb above
// the root (or the path does not start with '/': it is not below the
// root).  On -403 the bytes before the problem have been rewritten.
std::int64_t normalize_path(char* path, std::size_t len);

// step_normalize_path -- normalize_path on x.path: kNext (x.path_len
// updated), or 403.
int step_normalize_path(Exchange& x);

// open_failure_status -- what a failed openat(dirfd, name, ...) of a path
// component means to the client: errno_to_status(err) (lesson 04), except
// that ENOTDIR for a name that is a symbolic link is 403.  Both kernels
// answer ENOTDIR, not ELOOP, when O_DIRECTORY | O_NOFOLLOW meets a link
// (they check O_DIRECTORY first); fstatat(AT_SYMLINK_NOFOLLOW) tells a
// link (403) from a plain file used as a directory (404).
int open_failure_status(int dirfd, const char* name, int err);

// open_beneath -- open the file that path names below the directory
// dirfd, one component at a time, never following a symbolic link:
// every name followed by '/' with openat(dir, name, O_RDONLY |
// O_DIRECTORY | O_NOFOLLOW), the last one with openat(dir, name,
// O_RDONLY | O_NONBLOCK | O_NOFOLLOW); each directory it opened is closed
// after the next openat, dirfd never.  "" and "." components are skipped;
// ".." -> -403 (it never climbs: normalize_path has removed them); a name
// longer than kComponentMax -> -414.  A path with no name left after its
// last '/' ("/", "/docs/") opens that directory itself ("." of dirfd for
// "/").  Returns a new descriptor (the caller closes it), or -status:
// 403, 404, 414 or 500 (open_failure_status).
std::int64_t open_beneath(int dirfd, std::string_view path);

// step_open_beneath -- open_beneath(x.cfg->docroot_fd, x.path) into
// x.file: kNext, or the status (x.file stays closed).
int step_open_beneath(Exchange& x);

// say_docroot_error -- on stderr, one line: `httpd: cannot open the
// docroot "DOCROOT": not a directory` (-ENOTDIR), `: no such file or
// directory` (-ENOENT), or `: errno N` (any other -errno).  What the last
// write returned (0 or -errno).
std::int64_t say_docroot_error(const char* docroot, std::int64_t err);

// open_docroot -- openat(AT_FDCWD, cfg->docroot, O_RDONLY | O_DIRECTORY)
// into cfg->docroot_fd: 0, or -errno after say_docroot_error (main exits
// with status 1).  The docroot itself may be a symbolic link: that is the
// operator's choice; below it, open_beneath follows none.
std::int64_t open_docroot(Config* cfg);

}  // namespace httpd
