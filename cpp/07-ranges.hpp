// cpp/07-ranges.hpp -- lesson 07: byte ranges (RFC 9110 §14): a client
// asks for part of a file with `Range: bytes=first-last`, the server
// answers 206 Partial Content with just those bytes, or 416 Range Not
// Satisfiable when none of them exist.
// Assembly twin: asm/07-ranges.s (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/07-ranges/README.md.
//
// The stage's one step, in the spine's list (cpp/httpd.cpp) between
// lesson 04's step_choose_type and step_send_head:
//
//     step_parse_range  Accept-Ranges: bytes into x.extra, always; then,
//                       for a GET with one usable Range field, narrow
//                       x.body_first / x.body_len, x.status = 206 and a
//                       Content-Range line -- or a Content-Range of
//                       "bytes */length" and 416
//
// Lesson 04's step_send_head already sends x.status, x.body_len (as
// Content-Length) and x.extra; step_send_body sends x.body_len bytes from
// x.body_first.  This stage only changes those fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "03-parse.hpp"   // Header, Request
#include "records.h"

namespace httpd {

struct Exchange;   // the per-connection record: cpp/exchange.hpp

// What parse_range answers (records.inc, section RANGES).
inline constexpr int kRangeIgnore = RANGE_IGNORE;                 // no usable Range: the whole file, 200
inline constexpr int kRangeOk = RANGE_OK;                         // one satisfiable range: 206
inline constexpr int kRangeUnsatisfiable = RANGE_UNSATISFIABLE;   // no byte of it exists: 416
// The room a Content-Range value needs, its NUL included.
inline constexpr std::size_t kContentRangeMax = CONTENT_RANGE_MAX;

// parse_decimal -- 1*DIGIT, the numbers of a range (RFC 9110 §14.1.2):
// 0 and *value = the number, or -1 (nothing written) when digits is
// empty or holds a byte that is not '0'..'9'.  A number past 2^64 - 1
// SATURATES there and never wraps: §14.1.2 says recipients "MUST
// anticipate potentially large decimal numerals and prevent parsing
// errors due to integer conversion overflows", and for a range every
// such number means the same as 2^64 - 1 (a first byte past any file's
// end, a last byte or a suffix beyond it).
int parse_decimal(std::string_view digits, std::uint64_t* value);

// parse_range_spec -- one range-spec of the bytes unit (RFC 9110 §14.1.2)
// against a file of `size` bytes:
//   int-range     first "-" [last]  bytes first..last; last past the end
//                                   (or missing) means the last byte
//   suffix-range  "-" n             the last n bytes (all of them if the
//                                   file is shorter)
// kRangeOk with *first and *count set (count >= 1), kRangeUnsatisfiable
// (first >= size, or "-0"), or kRangeIgnore when the text is not a
// range-spec ("5", "4-2", "1-2-3", "-", "", "a-b", spaces).  A non-zero
// suffix on an empty file is satisfiable by §14.1.2 but leaves nothing
// to send, and no Content-Range can describe nothing: kRangeIgnore
// (§14.2: a server MAY ignore Range when the representation is empty).
int parse_range_spec(std::string_view spec, std::uint64_t size, std::uint64_t* first, std::uint64_t* count);

// parse_range -- a Range field value, `ranges-specifier = range-unit "="
// OWS range-set` (RFC 9110 §14.1.1 as corrected by erratum 7306: the
// RFC's own example in §14.1.2 is `bytes= 0-999, 4500-5499, -1000`), for
// a file of `size` bytes.  The unit must be "bytes" in any case (§14.1:
// unit names are case-insensitive; §14.2: an unknown unit MUST be
// ignored), with nothing between it and the "=" (a token has no spaces).
// range-set = 1#range-spec is a list (§5.6.1): OWS is allowed after the
// "=" and on either side of each comma, nowhere else, and empty elements
// do not count (§5.6.1.2).  Exactly one range-spec: parse_range_spec's
// answer.  None, or more than one: kRangeIgnore (several ranges would
// need a multipart/byteranges body; §14.2 lets a server ignore Range).
int parse_range(std::string_view value, std::uint64_t size, std::uint64_t* first, std::uint64_t* count);

// format_content_range -- the Content-Range value (RFC 9110 §14.4) as a
// C string in out (kContentRangeMax bytes): "bytes first-last/size" for
// the count bytes from first, or "bytes */size" when count is 0 (a 416's
// unsatisfied-range: a range of no bytes is never sent).  Returns its
// length without the NUL.
std::size_t format_content_range(char* out, std::uint64_t first, std::uint64_t count, std::uint64_t size);

// single_header -- the one field named `name` (compared without regard to
// case), or nullptr when there is none or more than one: lesson 03's
// count_header says how many, its find_header which.
const Header* single_header(const Request& req, std::string_view name);

// step_parse_range -- see the top of this file.  kNext (200 or 206 goes
// on to step_send_head) or 416 (answer_error sends it with x.extra).
// The Range field is used only when
//   - the method is GET (§14.2: a server MUST ignore Range otherwise:
//     HEAD gets the 200 head),
//   - there is exactly one Range field line (two would combine into one
//     list, §5.3, which is no ranges-specifier: ignored),
//   - there is no If-Range (§13.1.5: this server has no validators yet,
//     so the condition is false and Range MUST be ignored).
int step_parse_range(Exchange& x);

// answer_range -- the part of step_parse_range after its tests: the Range
// field's value (a GET's one Range field, no If-Range in the way) against
// the file: kNext with x.status = 206, x.body_first, x.body_len and a
// Content-Range line (kRangeOk), kNext untouched (kRangeIgnore: the whole
// file), or 416 with Content-Range "bytes */length".  Lesson 11's
// step_parse_range_11 calls it too, when its If-Range holds.
int answer_range(Exchange& x, std::string_view range_value);

}  // namespace httpd
