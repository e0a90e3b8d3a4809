// cpp/09-methods.hpp -- lesson 09: the command line's flags, OPTIONS,
// PUT and DELETE (opt-in, -w), atomic uploads, and HTML error pages
// (RFC 9110 §9.3.4-9.3.7, §10.1.1, §10.2.1, §15).
// Assembly twin: asm/09-methods.s (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/09-methods/README.md.
//
// The stage, from the spine's point of view (cpp/httpd.cpp):
//
//   at start-up, once:
//     parse_command_line   lesson 01's parse_args swapped for a parser of
//                          `httpd [-w] [-e DIR] [PORT [DOCROOT]]`, driven
//                          by a table of flags (kFlags09; lesson 10 adds
//                          its own rows in a table of its own)
//     open_error_pages     -e DIR as a directory descriptor, kept in
//                          Config::error_fd (like open_docroot)
//
//   in the pipeline:
//     step_allow_method    lesson 03's step_check_method swapped for the
//                          policy with OPTIONS, and PUT and DELETE when
//                          -w allows them: 405 (with Allow) or 501
//     then the spine's step_by_method runs one of four flat lists:
//       GET, HEAD    lesson 08's list, as it was
//       OPTIONS *    step_answer_options
//       OPTIONS /p   decode, normalize, open_beneath, step_answer_options
//       PUT          decode, normalize, step_check_upload,
//                    step_open_parent, step_store_upload, step_answer_upload
//       DELETE       decode, normalize, step_open_parent, step_delete_file
//
//   when a step stopped with a status:
//     answer_error_page    lesson 03's answer_error swapped for one that
//                          sends an HTML page: DIR/<code>.html, or the
//                          built-in one (build/gen/error-pages.def)
//
// Failure is a negative number (-errno or -status), never an exception.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "01-socket.hpp"   // Config
#include "03-parse.hpp"    // Request, Method
#include "records.h"

namespace httpd {

struct Exchange;   // the per-connection record: cpp/exchange.hpp

// The lesson's limits (records.inc, section METHODS).
inline constexpr std::uint64_t kUploadMax = UPLOAD_MAX;       // 1 GiB: a longer PUT body -> 413, unread
inline constexpr std::size_t kUploadChunk = UPLOAD_CHUNK;     // the upload's buffer, on the stack
inline constexpr std::size_t kUploadNameMax = UPLOAD_NAME_MAX;   // the temporary name and its NUL
inline constexpr std::size_t kErrorNameMax = ERROR_NAME_MAX;  // "NNN.html" and its NUL

// FlagSpec -- one flag of the command line (records.inc, struct
// flag_spec): the same bytes as the assembly's, so either language's
// parse_command_line reads either language's table.  A table ends with
// an entry whose letter is 0.
struct FlagSpec {
    std::uint64_t letter;          // the byte after '-'; 0 ends the table
    std::uint64_t kind;            // FLAG_SWITCH or FLAG_VALUE
    std::uint64_t offset;          // where in Config: CFG_WRITE ...
    char usage[FLAG_USAGE_MAX];    // "[-e DIR]"
};
static_assert(offsetof(FlagSpec, letter) == FLAG_LETTER, "records.inc FLAG_LETTER");
static_assert(offsetof(FlagSpec, kind) == FLAG_KIND, "records.inc FLAG_KIND");
static_assert(offsetof(FlagSpec, offset) == FLAG_OFFSET, "records.inc FLAG_OFFSET");
static_assert(offsetof(FlagSpec, usage) == FLAG_USAGE, "records.inc FLAG_USAGE");
static_assert(sizeof(FlagSpec) == FLAG_SPEC_SIZE, "records.inc FLAG_SPEC_SIZE");

// excerpt: flag-table
// kFlagRows09 -- lesson 09's rows, without the end (records.inc's
// FLAGS_09): kFlags09 is them and the end; lesson 10's kFlags10 starts
// with them.
inline constexpr FlagSpec kFlagRows09[] = {
    {'w', FLAG_SWITCH, CFG_WRITE, "[-w]"},          // PUT and DELETE allowed
    {'e', FLAG_VALUE, CFG_ERROR_DIR, "[-e DIR]"},   // error pages from DIR
};

// flag_table -- the rows of each list, in order, then the end (an entry
// of zeros): one table, built by the compiler.
template <std::size_t... N>
constexpr std::array<FlagSpec, (N + ... + 1)> flag_table(const FlagSpec (&... rows)[N]) {
    std::array<FlagSpec, (N + ... + 1)> table{};    // every entry zero: the last stays the end
    std::size_t at = 0;
    ((std::copy(rows, rows + N, table.begin() + at), at += N), ...);
    return table;
}
// excerpt end

// kFlags09 -- lesson 09's flags: -w (a switch), -e DIR (a value).
inline constexpr auto kFlagTable09 = flag_table(kFlagRows09);
inline constexpr const FlagSpec* kFlags09 = kFlagTable09.data();

// find_flag -- the entry of flags for the argument arg ("-w"): exactly
// '-', a letter of the table, and nothing else.  nullptr if none.
const FlagSpec* find_flag(const FlagSpec* flags, const char* arg);

// flags_end -- where the flags of argv end: the index of the first
// argument that does not start with '-' (argc if none), a flag's value
// skipped.  -1 for an unknown flag or a value flag at the very end.
int flags_end(const FlagSpec* flags, int argc, char** argv);

// say_usage -- on stderr: "usage: httpd" + " " + each entry's usage +
// " [PORT [DOCROOT]]\n".  What the last write returned (0 or -errno).
std::int64_t say_usage(const FlagSpec* flags);

// parse_command_line -- `httpd [flags] [PORT [DOCROOT]]`.  The flags come
// first; then at most two arguments, neither starting with '-' (a flag
// after PORT is an error, not a docroot).  Anything else: say_usage and
// -EINVAL.  The two arguments go through lesson 01's parse_args (its
// message for a bad port, -EINVAL); then each flag is stored in cfg: a
// switch as 1, a value as the argument's pointer, at the entry's offset.
// 0 or -EINVAL (main exits with status 2).
int parse_command_line(int argc, char** argv, Config* cfg, const FlagSpec* flags);

// open_error_pages -- with -e DIR: openat(AT_FDCWD, DIR, O_RDONLY |
// O_DIRECTORY) into cfg->error_fd, or, when that fails, the line
// `httpd: cannot open the error pages "DIR"` + lesson 01's say_errno on
// stderr and -errno (main exits with status 1).  Without -e: 0, nothing
// opened.
std::int64_t open_error_pages(Config* cfg);

// allow_value -- the Allow field's value: "GET, HEAD, OPTIONS", and with
// -w (write != 0) ", PUT, DELETE" after it.  A string with static lifetime.
const char* allow_value(std::uint64_t write);

// allowed_method_status -- the lesson-09 method policy: 0 for GET, HEAD,
// OPTIONS, and for PUT and DELETE when write != 0; 405 for another method
// of methods.tsv; 501 for any other token (RFC 9110 §15.6.2).
int allowed_method_status(Method id, std::uint64_t write);

// last_name -- where the last name of path starts: the index after its
// last '/' (0 when there is none).  path[result..) may be empty ("/docs/").
std::size_t last_name(std::string_view path);

// upload_name -- the temporary file's name for process pid: the byte
// 0x01, "upload-", pid in decimal, and a NUL, into out (kUploadNameMax
// bytes).  Returns its length without the NUL.  The 0x01 keeps the name
// out of every answer: lesson 05 refuses a request for it (400), lesson
// 08 leaves it out of listings.
std::size_t upload_name(char* out, std::uint64_t pid);

// upload_errno_status -- what an error from creating, writing, syncing,
// renaming or removing a file means to the client: EACCES, EPERM, EROFS
// -> 403; ENOSPC, EDQUOT -> 507; EISDIR -> 409; anything else as lesson
// 04's errno_to_status (ENOENT 404, ELOOP 403, ... 500).
int upload_errno_status(int err);

// expects_continue -- does the request ask for `100 Continue` before it
// sends its body?  HTTP/1.1 (RFC 9110 §10.1.1: a server MUST ignore it in
// an HTTP/1.0 request) and an element 100-continue (any case) in the list
// of an Expect field (lesson 03's next_list_element walks it).
bool expects_continue(const Request& req);

// error_page -- the built-in page for status (build/gen/error-pages.def),
// or nullptr for a status without one.  A C string with static lifetime.
const char* error_page(int status);

// error_page_name -- "NNN.html" and a NUL into out (kErrorNameMax bytes):
// the name of status's page in -e DIR.  Returns its length.
std::size_t error_page_name(char* out, int status);

// now_ms -- the kernel's clock (gettimeofday: Darwin has no raw
// clock_gettime) in milliseconds since 1970.
std::uint64_t now_ms();

// receive_body -- the PUT body: the `have` bytes that came with the head
// (at most length of them are body), then reads from sock into buf (cap
// bytes) until length bytes in all; each piece write_all'ed to fd.
// deadline: the now_ms time by which the whole body must have come, 0 for
// none (lesson 10 sets one; its SO_RCVTIMEO bounds each read, so the check
// before each read is late by at most -t).  0; -400 when the client closes
// or fails before length bytes; -408 when the deadline passes or a read
// waits longer than lesson 10's SO_RCVTIMEO; -upload_errno_status(err)
// when writing fails.
std::int64_t receive_body(int sock, int fd, const char* have, std::uint64_t have_len, std::uint64_t length,
                          char* buf, std::size_t cap, std::uint64_t deadline);

// The steps (see the top of this file).
//   step_allow_method    allowed_method_status(x.req.method_id,
//                        x.cfg->write); a 405 adds Allow (RFC 9110 §15.5.6)
//   step_answer_options  204 with Allow (RFC 9110 §9.3.7); kDone
//   step_check_upload    Content-Range -> 400 (RFC 9110 §14.5); no
//                        Content-Length (none, or chunked) -> 411; longer
//                        than kUploadMax -> 413
//   step_open_parent     the target's directory opened with lesson 06's
//                        open_beneath into x.file; x.path gets a NUL after
//                        the name; x.file_mode = the target's st_mode (0:
//                        there is none).  No name ("/", "/docs/") or a
//                        directory -> 409; a symbolic link (or anything
//                        but a regular file) -> 403
//   step_store_upload    the body into a new temporary file beside the
//                        target (O_CREAT | O_EXCL | O_NOFOLLOW), fsync,
//                        renameat over the target; on any failure the
//                        temporary file is removed.  x.status = 201 (new)
//                        or 204 (replaced)
//   step_answer_upload   201 with Location (the request's path), or 204;
//                        kDone
//   step_delete_file     unlinkat the regular file: 204; none: 404; kDone
int step_allow_method(Exchange& x);
int step_answer_options(Exchange& x);
int step_check_upload(Exchange& x);
int step_open_parent(Exchange& x);
int step_store_upload(Exchange& x);
int step_answer_upload(Exchange& x);
int step_delete_file(Exchange& x);

// send_page_head -- the head of an error page: status line, Server,
// Connection, Content-Type text/html; charset=utf-8, Content-Length:
// length, the field lines of extra, the empty line; written to fd.  0 or
// -errno.
std::int64_t send_page_head(int fd, int status, std::uint64_t length, std::string_view extra);

// send_error_page -- a complete error response with an HTML body: the
// page `NNN.html` of the directory error_fd (when >= 0: opened with
// O_NOFOLLOW, sent if it is a regular file), else the built-in page (else
// lesson 03's send_error).  Content-Type text/html; charset=utf-8, the
// exact Content-Length, the field lines of extra; no body for HEAD.
// The body bytes sent (0 for HEAD), or -errno.
std::int64_t send_error_page(int fd, int status, bool is_head, std::string_view extra, int error_fd);

// answer_error_page -- what the spine does from lesson 09 on when a step
// stopped with a status: x.status = status, then send_error_page;
// x.body_sent = the body bytes it sent.
void answer_error_page(Exchange& x, int status);

}  // namespace httpd
