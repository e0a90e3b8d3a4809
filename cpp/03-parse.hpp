// cpp/03-parse.hpp -- lesson 03: reading and parsing the request head
// (RFC 9112 §2-§5, RFC 9110 §5, §9).
// Assembly twin: asm/03-parse.s (same function names, same limits, same
// statuses).
//
// The stage's steps, in the order of the spine's list (cpp/httpd.cpp):
//
//       step_read_head     read_request_head: the bytes up to and including
//                          the empty line, into x.buf
//       step_parse_head    parse_request: a Request whose string_views point
//                          into x.buf, or an HTTP status (400 414 431 505)
//       step_check_framing parse_framing: how the body is framed
//                          (Content-Length / Transfer-Encoding), or 400 / 501;
//                          whether unread body bytes may follow (x.linger)
//       step_check_method  GET and HEAD go on; 405 (with Allow) or 501
//       step_echo          lesson 03 only: the 200 echo of the request
//   and answer_error, which the spine calls when a step stops with a status,
//   and linger_close, which it calls after the answer (a lingering close:
//   the body the client may still be sending must not turn our close into
//   a reset that destroys the response).
//
// Statuses, not exceptions: every parse_* function returns 0 (go on) or
// the HTTP status of the first rule the request breaks.  read_request_head
// returns the head length, 0 (client sent nothing), or -status.
//
// The limits and the method ids come from asm/records.inc (the Makefile
// turns it into build/gen/records.h), so both servers use the same numbers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "00-syscalls.hpp"
#include "records.h"

namespace httpd {

struct Exchange;   // the per-connection record: cpp/exchange.hpp

// The lesson's limits (records.inc, section REQUEST).
inline constexpr std::size_t kHeadLimit = REQ_HEAD_MAX;        // head bytes, incl. the empty line
inline constexpr std::size_t kTargetLimit = REQ_TARGET_MAX;    // request-target bytes
inline constexpr std::size_t kMaxHeaders = REQ_MAX_HEADERS;    // header field lines
inline constexpr std::size_t kEchoMax = ECHO_MAX;              // the echo body's buffer
inline constexpr std::size_t kLeadingEmptyMax = REQ_LEADING_EMPTY_MAX;   // empty lines before the request line
inline constexpr std::uint64_t kContentLengthMax = REQ_CONTENT_LENGTH_MAX;   // the largest Content-Length
inline constexpr std::uint64_t kLingerMax = LINGER_MAX;        // bytes linger_close drops before it gives up
// parse_content_length checks the limit after every digit: one more digit
// on top of the limit must still fit (no overflow, ever)
static_assert(kContentLengthMax <= (INT64_MAX - 9) / 10, "records.inc REQ_CONTENT_LENGTH_MAX");

// Method -- the methods lessons/03-parse/methods.tsv lists (RFC 9110 §9
// plus PATCH, RFC 5789), numbered in its line order; any other token is
// Other.  The numbers are the assembly's METHOD_* ids (both are generated
// from that file: build/gen/methods.def and methods.inc).
#define METHOD(id, name, text) name = id,
enum class Method : int {
    Other = METHOD_OTHER,
#include "methods.def"
};
#undef METHOD

// Body -- how the request frames its body (RFC 9112 §6.3): the assembly's
// BODY_* numbers (records.inc).
enum class Body : int {
    None = BODY_NONE,          // neither Content-Length nor Transfer-Encoding
    Length = BODY_LENGTH,      // Content-Length: content_length bytes
    Chunked = BODY_CHUNKED,    // Transfer-Encoding: chunked
};

// Coding -- one element of a Transfer-Encoding list (coding_kind): the
// assembly's CODING_* numbers.
enum class Coding : int {
    Empty = CODING_EMPTY,      // only OWS between two commas: ignored
    Chunked = CODING_CHUNKED,  // "chunked", in any case
    Other = CODING_OTHER,      // gzip, deflate, identity, anything else
};

// Header -- one field line, `name: value`, both views into the request
// buffer; the value without the whitespace around it.
struct Header {
    std::string_view name;
    std::string_view value;
};

// Request -- what parse_request understood.  Every view points into the
// caller's buffer (except path "/" for `http://host` with no path), so the
// buffer must outlive the Request.  The assembly's struct request
// (asm/records.inc, REQ_*) holds the same fields as pointer + length.
struct Request {
    std::string_view method;        // the token as sent (case-sensitive)
    std::string_view target;        // the request-target as sent
    std::string_view path;          // origin-form path, or the path of an absolute-form URI
    std::string_view query;         // after the first '?', empty when none
    Method method_id = Method::Other;
    int version_minor = 0;          // HTTP/1.<minor>: 0 or 1
    bool is_head = false;           // HEAD: the response gets no body
    std::size_t header_count = 0;   // headers[0 .. header_count) are filled
    Body body_kind = Body::None;    // how the body is framed (parse_framing)
    std::uint64_t content_length = 0;   // its length when body_kind is Length
    std::array<Header, kMaxHeaders> headers{};
};

// read_request_head -- read from fd into buf until the empty line that ends
// the head, however the bytes arrive (one per read is fine; EINTR is
// retried).  Up to kLeadingEmptyMax empty lines before the request line
// are skipped, not taken for the end of the head (RFC 9112 §2.2); one more
// ends it (and parse_request says 400).  Reads at most min(cap,
// kHeadLimit) bytes.  Returns the head's length including its empty line
// (bytes after it, a body, may be in buf too); 0 if the client closed (or
// the read failed) before sending a byte; -400 if it closed in the middle
// of the head; -414 if the limit was reached inside the request line;
// -431 if it was reached later.  On entry *got = the bytes already in buf
// (0 for a fresh buffer; lesson 10 reads part of a head first): they are
// scanned before anything is read.  On return *got = the bytes in buf,
// whatever the result (the head and any bytes that came after it).
std::int64_t read_request_head(int fd, char* buf, std::size_t cap, std::uint64_t* got);

// char_in_class -- an ASCII letter, a digit, or one of `symbols`.
bool char_in_class(int c, std::string_view symbols);

// is_tchar -- may c appear in a token (a method or a field name)?
// RFC 9110 §5.6.2: tchar = "!#$%&'*+-.^_`|~" / DIGIT / ALPHA.
bool is_tchar(int c);

// is_host_char -- may c appear in a Host value?  RFC 9110 §7.2 / RFC 3986
// §3.2.2: unreserved, sub-delims, pct-encoded ('%'), ':' before a port,
// '[' ']' around an IPv6 literal.
bool is_host_char(int c);

// equal_ignoring_case -- equal, ignoring ASCII case ('A'..'Z' fold to
// 'a'..'z', every other byte must match exactly).  Field names are
// case-insensitive (RFC 9110 §5.1), so are URI schemes (RFC 3986 §3.1);
// lesson 04 compares file extensions with it too.
bool equal_ignoring_case(std::string_view a, std::string_view b);

// parse_method -- the method token: 0, or 400 if it is empty or has a
// non-tchar byte.  Sets method, method_id and is_head.
int parse_method(std::string_view token, Request& req);

// parse_version -- exactly "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3),
// case-sensitive: 400 if not; 505 for a version other than 1.0 and 1.1.
// Sets version_minor.
int parse_version(std::string_view text, Request& req);

// split_path_query -- path = up to the first '?', query = after it.
void split_path_query(std::string_view rest, Request& req);

// parse_target -- RFC 9112 §3.2: origin-form "/path?query", absolute-form
// "http://host/path?query" (its path; no path means "/"), asterisk-form
// "*" (OPTIONS only), authority-form "host:port" (CONNECT only).  Sets
// target, path, query.  414 if longer than kTargetLimit; 400 for a '#'
// anywhere (a fragment is never sent: RFC 9112 §3.2, RFC 3986 §3.5), or
// otherwise wrong.  Needs method_id (parse_method runs first).
int parse_target(std::string_view target, Request& req);

// parse_request_line -- `method SP request-target SP HTTP-version`, the
// line without its CRLF/LF.  Exactly one SP between the parts; no control
// bytes.  0 or 400/414/505.
int parse_request_line(std::string_view line, Request& req);

// parse_header_line -- `name: value` (RFC 9112 §5): token name, no space
// before the colon, whitespace around the value dropped, no obs-fold
// (a line starting with SP/HT), no control bytes other than HT in the
// value.  Appends to headers.  0, 400, or 431 past kMaxHeaders fields.
int parse_header_line(std::string_view line, Request& req);

// find_header -- the first field whose name matches (case-insensitively),
// or nullptr.
const Header* find_header(const Request& req, std::string_view name);

// count_header -- how many fields are named `name` (compared without
// regard to case), three ways: 0 (none), 1 (exactly one), 2 (two or more:
// it stops at the second).  check_host wants one (or, in HTTP/1.0, none);
// lesson 07's single_header exactly one.  find_header gives the first.
int count_header(const Request& req, std::string_view name);

// check_host -- RFC 9112 §3.2: more than one Host, or a Host value with a
// byte that cannot be in uri-host[:port] -> 400; no Host in HTTP/1.1 -> 400;
// HTTP/1.0 may leave it out.
int check_host(const Request& req);

// reset_request -- clear the fields parse_request fills in (not the
// headers array: header_count says how many of its entries are valid).
void reset_request(Request& req);

// parse_request -- the whole head (as read_request_head returned it): up to
// kLeadingEmptyMax empty lines (skipped; one more is 400), the request
// line, the field lines up to the empty line, and Host.  0 or
// 400 / 414 / 431 / 505.  Which methods are served is not its business
// (step_check_method).  req is filled as far as parsing got, so is_head is
// known even when the status is an error.
int parse_request(std::string_view head, Request& req);

// parse_content_length -- a Content-Length value (RFC 9110 §8.6, RFC 9112
// §6.3): one or more ASCII digits and nothing else -- no sign, no space,
// no comma list, not empty.  The value, at most kContentLengthMax; -400
// for anything else, a larger number included (checked after every digit,
// so it never overflows and never wraps to a small number).
std::int64_t parse_content_length(std::string_view value);

// next_list_element -- one element of a comma-separated list (RFC 9110
// §5.6.1, `#element`): the bytes of list up to its first comma (or its
// end), into *element, without the OWS (SP, HT) before them, nor after
// them when a comma follows (OWS stands only around commas: a field value
// never ends in it) -- maybe empty: empty elements do not count
// (§5.6.1.2), the caller skips them.
// Returns the bytes it used: the element and its comma, or list.size()
// for the last one.  Transfer-Encoding here, Range in lesson 07.
std::size_t next_list_element(std::string_view list, std::string_view* element);

// coding_kind -- one element of a Transfer-Encoding list, as
// next_list_element gave it: Empty (nothing), Chunked ("chunked" in any
// case: coding names are case-insensitive, RFC 9112 §7), or Other.
Coding coding_kind(std::string_view element);

// check_transfer_encoding -- every Transfer-Encoding field of req, as one
// comma-separated list (RFC 9110 §5.3, §5.6.1): 0 when it is exactly
// "chunked" (empty elements ignored); 400 when chunked is not the final
// coding, or comes twice, or is not there at all (RFC 9112 §6.3: the body
// length cannot be determined: MUST); else 501 -- chunked is last but
// another coding (gzip ...) comes before it, which we do not implement
// (RFC 9112 §6.1: SHOULD).  400 wins over 501.
int check_transfer_encoding(const Request& req);

// parse_framing -- how the request's body is framed (RFC 9112 §6.1, §6.3),
// into req.body_kind and req.content_length.  0, or 400 for: a second
// Content-Length field (lesson 03 rule: strict, RFC 9110 §8.6 allows it),
// an invalid Content-Length, Transfer-Encoding together with
// Content-Length, Transfer-Encoding in HTTP/1.0; and
// check_transfer_encoding's 400 / 501.
int parse_framing(Request& req);

// method_status -- the method policy: 0 for GET and HEAD (served), 405
// for another method of methods.tsv (known, not served), 501 for any
// other token (RFC 9110 §15.6.2).
int method_status(Method id);

// text_append -- copy src to out[pos...], never past cap; the new pos.
std::size_t text_append(char* out, std::size_t pos, std::size_t cap, std::string_view src);

// echo_line -- "<label><value>\n" appended to out; the new pos.
std::size_t echo_line(char* out, std::size_t pos, std::size_t cap, std::string_view label,
                      std::string_view value);

// echo_body -- the lesson-03 response body: what the parser understood,
// one "name: value" line each (format in lessons/03-parse/README.md).
// Returns its length (at most cap).
std::size_t echo_body(const Request& req, char* out, std::size_t cap);

// send_error -- a complete error response: status line, Server,
// Connection, Content-Type text/plain, Content-Length, the field lines in
// extra (ready-made "Name: value\r\n" lines, maybe none), the empty line,
// and the body "<code> <reason>\n" -- unless is_head.  The body bytes
// sent (0 for HEAD), or -errno.
std::int64_t send_error(int fd, int status, bool is_head, std::string_view extra);

// send_echo -- the 200 response with echo_body (no body for HEAD).
// 0 or -errno.
std::int64_t send_echo(int fd, const Request& req);

// begins_with_head -- do the first 5 bytes of buf say "HEAD "?  (buf has
// at least 5 readable bytes.)  When the head could not be read whole, this
// is all we know of the method -- and a HEAD must not get a body.
bool begins_with_head(const char* buf);

// The steps (see the top of this file).
//   step_read_head     x.head_len = the head's length -> kNext; the client
//                      sent nothing -> kDone; 400 / 414 / 431, with
//                      x.req.is_head from begins_with_head.  Always:
//                      x.read_len = the bytes read, x.linger = 1 for 414 /
//                      431 (the rest of the head is unread), else 0
//   step_parse_head    parse_request(x.buf, x.head_len, x.req): 0 -> kNext
//                      or the status, with x.linger = 1 (a refused head
//                      says nothing trustworthy about a body)
//   step_check_framing parse_framing(x.req): 0 -> kNext or 400 / 501; sets
//                      x.linger when request bytes may still be unread: a
//                      framing error, chunked, or a Content-Length larger
//                      than what came after the head (x.read_len - x.head_len)
//   step_check_method  method_status; a 405 adds `Allow: GET, HEAD` to
//                      x.extra (RFC 9110 §15.5.6)
//   step_echo          send_echo; kDone
int step_read_head(Exchange& x);
int step_parse_head(Exchange& x);
int step_check_framing(Exchange& x);
int step_check_method(Exchange& x);
int step_echo(Exchange& x);

// answer_error -- what the spine does when a step stopped with a status:
// x.status = status, then send_error with x.extra and x.req.is_head.
void answer_error(Exchange& x, int status);

// linger_close -- what the spine does after the answer (RFC 9112 §9.6):
// nothing unless x.linger; then shutdown(SHUT_WR) -- our FIN follows the
// response -- and read (into x.buf, the request is done with) and drop
// what the client still sends, until it closes, a read fails, or
// kLingerMax bytes.  Closing is left to the caller.  Returns the bytes
// dropped.
std::uint64_t linger_close(Exchange& x);

}  // namespace httpd
