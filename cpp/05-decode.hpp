// cpp/05-decode.hpp -- lesson 05: percent-decoding the path (RFC 3986
// §2.1, §2.4; RFC 9112 §3.2).
// Assembly twin: asm/05-decode.s (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/05-decode/README.md.
//
// The stage's one step takes the place of lesson 04's step_copy_path in
// the spine's list (cpp/httpd.cpp):
//
//     step_decode_path   x.path = x.req.path, percent-decoded exactly once
//
// The rules:
//   - only the path is decoded, never the query (the parser has already
//     cut it off at the first '?');
//   - "%" HEXDIG HEXDIG, the digits in either case, is the byte they
//     spell; a '%' without two hex digits after it -> 400;
//   - no decoded byte may be a control byte (0x00-0x1F, 0x7F) -> 400:
//     "%00" would cut the C string openat reads;
//   - everything else is copied as it is: '+' stays '+' (form encoding,
//     not URI encoding), bytes >= 0x80 are allowed (UTF-8 names), and a
//     decoded "%2F" is a '/' like any other;
//   - once: "%252e" becomes the three bytes "%2e", never '.'.
//
// Not yet: `..` (lesson 06).  Lesson 05's server serves `/%2e%2e/...` as
// it serves `/../...`, outside the docroot: never expose it to a network.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "records.h"

namespace httpd {

struct Exchange;   // the per-connection record: cpp/exchange.hpp

// hex_value -- the value of one hex digit: '0'..'9' -> 0..9, 'a'..'f' and
// 'A'..'F' -> 10..15; any other int (every value outside 0..255 too) -> -1.
int hex_value(int c);

// percent_decode -- decode `in` into out[0..cap): each "%XX" becomes the
// byte XX, every other byte is copied.  Returns the decoded length; -400
// for a '%' not followed by two hex digits or for a control byte in the
// output (decoded or not); -414 if the output would pass cap.  Left to
// right, the first problem wins; the bytes before it are written.
std::int64_t percent_decode(std::string_view in, char* out, std::size_t cap);

// step_decode_path -- x.path = percent_decode(x.req.path), x.path_len its
// length.  kNext, or 400 (a bad escape, a control byte), or 414 if it did
// not fit in x.path (cannot happen: decoding only shrinks, and x.path has
// room for the longest request-target).
int step_decode_path(Exchange& x);

}  // namespace httpd
