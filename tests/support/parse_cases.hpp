// tests/support/parse_cases.hpp -- lesson 03's table of request heads and
// the status parse_request must return for each, shared by the native
// suite (tests/unit/03-parse_test.cpp checks the C++ parser against it) and
// the target suite (tests/asm/03-parse_test.cpp checks the assembly parser
// against it and against the C++ twin).  Every `why` names its rule: RFC
// 9110 / RFC 9112 (and the RFCs they cite), or a lesson 03 rule
// (lessons/03-parse/README.md).
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "03-parse.hpp"

namespace testsupport {

// A request head from its lines: each line gets CRLF, and the empty line
// ends it.
inline std::string head_of(std::initializer_list<std::string> lines) {
    std::string out;
    for (const auto& line : lines) out += line + "\r\n";
    return out + "\r\n";
}

// n empty lines, alternating CRLF and bare LF (both are empty lines, RFC
// 9112 §2.2).
inline std::string empty_lines(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += i % 2 == 0 ? "\r\n" : "\n";
    return out;
}

// One request head and the status lesson 03's steps answer it with:
// parse_request's, then parse_framing's (step_check_framing), then the
// method policy's (step_check_method); 0: a valid request, served.
struct ParseCase {
    const char* why;   // the rule, with its source
    std::string head;
    int status;
};

// The case list: one entry per rule, valid and invalid.  The limits are
// the C++ stage's constants, which come from build/gen/records.h like the
// assembly's (REQ_TARGET_MAX, REQ_MAX_HEADERS).
inline std::vector<ParseCase> parse_cases() {
    const std::string host = "Host: example.com";
    std::string at_max_fields = "GET / HTTP/1.1\r\nHost: x\r\n";   // kMaxHeaders field lines, no end yet
    for (std::size_t i = 1; i < httpd::kMaxHeaders; ++i) at_max_fields += "X-" + std::to_string(i) + ": v\r\n";
    const std::string long_target = "/" + std::string(httpd::kTargetLimit - 1, 't');   // kTargetLimit bytes
    const std::string get = "GET / HTTP/1.1";
    const std::string cl_max = std::to_string(httpd::kContentLengthMax);
    const std::string cl_over = std::to_string(httpd::kContentLengthMax + 1);
    return {
        // request line (RFC 9112 §3) and the head around it
        {"GET with Host: served", head_of({"GET / HTTP/1.1", host}), 0},
        {"HEAD is served", head_of({"HEAD /h HTTP/1.1", host}), 0},
        {"bare LF line endings (RFC 9112 §2.2)", "GET /a?b HTTP/1.1\nHost: x\nX:  y \n\n", 0},
        {"mixed CRLF and LF (RFC 9112 §2.2)", "GET / HTTP/1.1\r\nHost: x\n\r\n", 0},
        {"two spaces after the method (RFC 9112 §3)", head_of({"GET  / HTTP/1.1", host}), 400},
        {"two spaces before the version (RFC 9112 §3)", head_of({"GET /  HTTP/1.1", host}), 400},
        {"space after the version (RFC 9112 §3)", head_of({"GET / HTTP/1.1 ", host}), 400},
        {"leading space (RFC 9112 §3)", head_of({" GET / HTTP/1.1", host}), 400},
        {"no version (RFC 9112 §3)", head_of({"GET /", host}), 400},
        {"empty version (RFC 9112 §3)", head_of({"GET / ", host}), 400},
        {"method only (RFC 9112 §3)", head_of({"GET", host}), 400},
        {"three words in the target (RFC 9112 §3)", head_of({"GET / x HTTP/1.1", host}), 400},
        {"HT instead of SP (RFC 9112 §3: SP only)", head_of({"GET\t/ HTTP/1.1", host}), 400},
        {"HT inside the target (control byte)", head_of({"GET /a\tb HTTP/1.1", host}), 400},
        {"HT at the end of the target (control byte)", head_of({"GET /\t HTTP/1.1", host}), 400},
        {"NUL inside the target (lesson 03 rule)", head_of({std::string("GET /a\0b HTTP/1.1", 17), host}), 400},
        {"NUL at the end of the target (lesson 03 rule)", head_of({std::string("GET /\0 HTTP/1.1", 15), host}), 400},
        {"DEL inside the target (lesson 03 rule)", head_of({"GET /a\x7f HTTP/1.1", host}), 400},
        {"bare CR in the request line (RFC 9112 §2.2)", head_of({"GET /\r HTTP/1.1", host}), 400},
        {"empty request line, nothing after it (RFC 9112 §3)", "\r\n", 400},
        {"no empty line at the end: not a whole head", "GET / HTTP/1.1\r\nHost: x\r\n", 400},
        {"nothing at all: not a whole head", "", 400},
        {"a body after the head is not parsed", head_of({"GET / HTTP/1.1", host}) + "\x01\x02", 0},
        // version (RFC 9112 §2.3, RFC 9110 §15.6.6)
        {"HTTP/1.0 without Host is fine (RFC 9112 §3.2)", head_of({"GET / HTTP/1.0"}), 0},
        {"lower-case http (RFC 9112 §2.3: case-sensitive)", head_of({"GET / http/1.1", host}), 400},
        {"HTTp, one lower-case letter (RFC 9112 §2.3: case-sensitive)", head_of({"GET / HTTp/1.1", host}), 400},
        {"HTTP/1 (RFC 9112 §2.3)", head_of({"GET / HTTP/1", host}), 400},
        {"HTTP/1.1x (RFC 9112 §2.3)", head_of({"GET / HTTP/1.1x", host}), 400},
        {"HTTP/11.1 (RFC 9112 §2.3: one digit)", head_of({"GET / HTTP/11.1", host}), 400},
        {"HTTP/a.1 (RFC 9112 §2.3: a digit)", head_of({"GET / HTTP/a.1", host}), 400},
        {"HTTP/1.x (RFC 9112 §2.3)", head_of({"GET / HTTP/1.x", host}), 400},
        {"HTTP/1,1 (RFC 9112 §2.3)", head_of({"GET / HTTP/1,1", host}), 400},
        {"HTTP/2.0 (RFC 9110 §15.6.6)", head_of({"GET / HTTP/2.0", host}), 505},
        {"HTTP/0.9 (RFC 9110 §15.6.6)", head_of({"GET / HTTP/0.9", host}), 505},
        {"HTTP/3.0 (RFC 9110 §15.6.6)", head_of({"GET / HTTP/3.0", host}), 505},
        {"HTTP/1.2 (lesson 03 rule: only 1.0 and 1.1)", head_of({"GET / HTTP/1.2", host}), 505},
        {"HTTP/1.9 (lesson 03 rule: only 1.0 and 1.1)", head_of({"GET / HTTP/1.9", host}), 505},
        {"version checked before the method (lesson 03 rule)", head_of({"POST / HTTP/2.0", host}), 505},
        // methods (RFC 9110 §9, §15.5.6, §15.6.2)
        {"POST (RFC 9110 §15.5.6)", head_of({"POST / HTTP/1.1", host}), 405},
        {"PUT", head_of({"PUT / HTTP/1.1", host}), 405},
        {"DELETE", head_of({"DELETE / HTTP/1.1", host}), 405},
        {"PATCH (RFC 5789)", head_of({"PATCH / HTTP/1.1", host}), 405},
        {"TRACE", head_of({"TRACE / HTTP/1.1", host}), 405},
        {"OPTIONS with a path", head_of({"OPTIONS / HTTP/1.1", host}), 405},
        {"CONNECT with authority-form (RFC 9112 §3.2.3)", head_of({"CONNECT example.com:443 HTTP/1.1", host}), 405},
        {"unknown token (RFC 9110 §15.6.2)", head_of({"BREW / HTTP/1.1", host}), 501},
        {"methods are case-sensitive (RFC 9110 §9.1)", head_of({"get / HTTP/1.1", host}), 501},
        {"Head is not HEAD (RFC 9110 §9.1)", head_of({"Head / HTTP/1.1", host}), 501},
        {"a long token is still a token", head_of({"VERYLONGMETHODNAME / HTTP/1.1", host}), 501},
        {"an unknown 8-byte token (RFC 9110 §15.6.2)", head_of({"ABCDEFGH / HTTP/1.1", host}), 501},
        {"OPTION, a 7-byte prefix of OPTIONS, is unknown (RFC 9110 §15.6.2)", head_of({"OPTION / HTTP/1.1", host}),
         501},
        {"non-tchar in the method (RFC 9110 §5.6.2)", head_of({"GE(T / HTTP/1.1", host}), 400},
        {"non-tchar '@' second in the method (RFC 9110 §5.6.2)", head_of({"G@T / HTTP/1.1", host}), 400},
        {"UTF-8 in the method (RFC 9110 §5.6.2)", head_of({"G\xc3\x89T / HTTP/1.1", host}), 400},
        // targets (RFC 9112 §3.2)
        {"origin-form with query (RFC 9112 §3.2.1)", head_of({"GET /a/b?c=d&e HTTP/1.1", host}), 0},
        {"origin-form, empty query (RFC 9112 §3.2.1)", head_of({"GET /a? HTTP/1.1", host}), 0},
        {"absolute-form (RFC 9112 §3.2.2: MUST accept)", head_of({"GET http://example.com/a?q HTTP/1.1", host}), 0},
        {"absolute-form, no path", head_of({"GET http://example.com HTTP/1.1", host}), 0},
        {"absolute-form, query only", head_of({"GET http://example.com?q HTTP/1.1", host}), 0},
        {"absolute-form, upper-case scheme (RFC 3986 §3.1)", head_of({"GET HTTP://EXAMPLE.COM/ HTTP/1.1", host}), 0},
        {"absolute-form, https", head_of({"GET https://example.com/a HTTP/1.1", host}), 0},
        {"absolute-form, https in mixed case (RFC 3986 §3.1)", head_of({"GET HtTpS://example.com/x HTTP/1.1", host}), 0},
        {"absolute-form, empty host (RFC 9110 §4.2.1)", head_of({"GET http:///a HTTP/1.1", host}), 400},
        {"absolute-form, userinfo (RFC 9110 §4.2.4)", head_of({"GET http://user@example.com/ HTTP/1.1", host}), 400},
        {"absolute-form, scheme only", head_of({"GET http:// HTTP/1.1", host}), 400},
        {"another scheme", head_of({"GET ftp://example.com/ HTTP/1.1", host}), 400},
        {"a short non-scheme", head_of({"GET http HTTP/1.1", host}), 400},
        {"asterisk-form with OPTIONS (RFC 9112 §3.2.4)", head_of({"OPTIONS * HTTP/1.1", host}), 405},
        {"asterisk-form with GET (RFC 9112 §3.2.4)", head_of({"GET * HTTP/1.1", host}), 400},
        {"authority-form with GET (RFC 9112 §3.2.3)", head_of({"GET example.com:80 HTTP/1.1", host}), 400},
        {"relative path (RFC 9112 §3.2)", head_of({"GET a/b HTTP/1.1", host}), 400},
        {"UTF-8 bytes in the path (lesson 03 rule)", head_of({"GET /caf\xc3\xa9 HTTP/1.1", host}), 0},
        {"target of kTargetLimit bytes (lesson 03 rule)", head_of({"GET " + long_target + " HTTP/1.1", host}), 0},
        {"target one byte over kTargetLimit (lesson 03 rule)", head_of({"GET " + long_target + "t HTTP/1.1", host}),
         414},
        // header fields (RFC 9112 §5, RFC 9110 §5)
        {"space before the colon (RFC 9112 §5.1)", head_of({"GET / HTTP/1.1", "Host : x"}), 400},
        {"HT before the colon (RFC 9112 §5.1)", head_of({"GET / HTTP/1.1", host, "X\t: y"}), 400},
        {"obs-fold (RFC 9112 §5.2)", head_of({"GET / HTTP/1.1", host, "X-A: b", " c"}), 400},
        {"obs-fold with HT (RFC 9112 §5.2)", head_of({"GET / HTTP/1.1", host, "X-A: b", "\tc"}), 400},
        {"whitespace before the first field (RFC 9112 §2.2)", head_of({"GET / HTTP/1.1", " Host: x"}), 400},
        {"no colon (RFC 9112 §5)", head_of({"GET / HTTP/1.1", host, "X-A b"}), 400},
        {"empty name (RFC 9110 §5.1)", head_of({"GET / HTTP/1.1", host, ": b"}), 400},
        {"empty name, value right after the colon (RFC 9110 §5.1)", head_of({"GET / HTTP/1.1", host, ":b"}), 400},
        {"non-tchar in the name (RFC 9110 §5.1)", head_of({"GET / HTTP/1.1", host, "X(A): b"}), 400},
        {"NUL in a value (RFC 9110 §5.5)", head_of({"GET / HTTP/1.1", host, std::string("X: a\0b", 6)}), 400},
        {"NUL as the whole value (RFC 9110 §5.5)", head_of({"GET / HTTP/1.1", host, std::string("A: \0", 4)}), 400},
        {"bare CR in a value (RFC 9112 §2.2, RFC 9110 §5.5)", head_of({"GET / HTTP/1.1", host, "X: a\rb"}), 400},
        {"DEL in a value (RFC 9110 §5.5)", head_of({"GET / HTTP/1.1", host, "X: a\x7f"}), 400},
        {"DEL as the whole value (RFC 9110 §5.5)", head_of({"GET / HTTP/1.1", host, "A: \x7f"}), 400},
        {"HT inside a value is fine (RFC 9110 §5.5)", head_of({"GET / HTTP/1.1", host, "X: a\tb"}), 0},
        {"HT inside a value, OWS around it (RFC 9110 §5.5)", head_of({"GET / HTTP/1.1", host, "A: \t x\ty \t"}), 0},
        {"obs-text in a value is fine (RFC 9110 §5.5)", head_of({"GET / HTTP/1.1", host, "X: caf\xc3\xa9"}), 0},
        {"obs-text 0xff 0x80 in a value (RFC 9110 §5.5)", head_of({"GET / HTTP/1.1", host, "A: \xff\x80"}), 0},
        {"empty value is fine (RFC 9110 §5.5)", head_of({"GET / HTTP/1.1", host, "X:"}), 0},
        {"value of OWS only is fine (RFC 9110 §5.5)", head_of({"GET / HTTP/1.1", host, "A: \t "}), 0},
        {"colon in a value is fine", head_of({"GET / HTTP/1.1", host, "X: a:b"}), 0},
        {"kMaxHeaders field lines (lesson 03 rule)", at_max_fields + "\r\n", 0},
        {"one field line over kMaxHeaders (lesson 03 rule, RFC 6585 §5)", at_max_fields + "X-Last: v\r\n\r\n", 431},
        // Host (RFC 9112 §3.2)
        {"HTTP/1.1 without Host (RFC 9112 §3.2)", head_of({"GET / HTTP/1.1"}), 400},
        {"two Host fields (RFC 9112 §3.2)", head_of({"GET / HTTP/1.1", host, host}), 400},
        {"two Host fields, names in other case (RFC 9112 §3.2)", head_of({"GET / HTTP/1.1", host, "HOST: y"}), 400},
        {"two Host fields in HTTP/1.0 (RFC 9112 §3.2)", head_of({"GET / HTTP/1.0", host, "host: y"}), 400},
        {"Host name in any case (RFC 9110 §5.1)", head_of({"GET / HTTP/1.1", "hOsT: x"}), 0},
        {"Host with a port (RFC 9110 §7.2)", head_of({"GET / HTTP/1.1", "Host: x:8080"}), 0},
        {"Host with an IPv6 literal (RFC 3986 §3.2.2)", head_of({"GET / HTTP/1.1", "Host: [::1]:80"}), 0},
        {"empty Host value (RFC 9110 §7.2)", head_of({"GET / HTTP/1.1", "Host:"}), 0},
        {"Host with a space (RFC 9112 §3.2: invalid value)", head_of({"GET / HTTP/1.1", "Host: a b"}), 400},
        {"Host with a slash (RFC 9112 §3.2: invalid value)", head_of({"GET / HTTP/1.1", "Host: a/b"}), 400},
        {"Host with an '@' (RFC 9112 §3.2: invalid value)", head_of({"GET / HTTP/1.1", "Host: a@b"}), 400},
        {"Host checked before the method (RFC 9112 §3.2)", head_of({"BREW / HTTP/1.1"}), 400},
        // empty lines before the request line (RFC 9112 §2.2: SHOULD ignore
        // at least one; the limit kLeadingEmptyMax is a lesson 03 rule)
        {"a CRLF before the request line is skipped (RFC 9112 §2.2)", "\r\n" + head_of({get, host}), 0},
        {"a bare LF before the request line is skipped (RFC 9112 §2.2)", "\n" + head_of({get, host}), 0},
        {"kLeadingEmptyMax empty lines, CRLF and LF (lesson 03 rule)",
         empty_lines(httpd::kLeadingEmptyMax) + head_of({get, host}), 0},
        {"one empty line over kLeadingEmptyMax (lesson 03 rule)",
         empty_lines(httpd::kLeadingEmptyMax + 1) + head_of({get, host}), 400},
        {"a skipped empty line does not excuse a missing Host (RFC 9112 §3.2)", "\r\n" + head_of({get}), 400},
        {"a line of spaces is not an empty line (RFC 9112 §3)", "  \r\n" + head_of({get, host}), 400},
        {"empty lines and nothing else: no request line", "\r\n\r\n\n", 400},
        // fragments (RFC 9112 §3.2, RFC 3986 §3.5: a client never sends one)
        {"'#' in the path (RFC 9112 §3.2, RFC 3986 §3.5)", head_of({"GET /a#b HTTP/1.1", host}), 400},
        {"'#' at the end of the path (RFC 3986 §3.5)", head_of({"GET /a# HTTP/1.1", host}), 400},
        {"'#' after the query (RFC 3986 §3.5)", head_of({"GET /a?b#c HTTP/1.1", host}), 400},
        {"'#' in an absolute-form target (RFC 9112 §3.2.2, RFC 3986 §3.5)",
         head_of({"GET http://example.com/a#b HTTP/1.1", host}), 400},
        {"'#' right after the authority (RFC 3986 §3.5)", head_of({"GET http://example.com#b HTTP/1.1", host}), 400},
        {"'#' for HEAD too (RFC 3986 §3.5)", head_of({"HEAD /#top HTTP/1.1", host}), 400},
        {"%23 is a path byte, not a fragment (RFC 3986 §2.1)", head_of({"GET /a%23b HTTP/1.1", host}), 0},
        // Content-Length (RFC 9110 §8.6, RFC 9112 §6.3: 1*DIGIT)
        {"Content-Length: 0 (RFC 9110 §8.6)", head_of({get, host, "Content-Length: 0"}), 0},
        {"Content-Length: 5 and its body (RFC 9112 §6.3)", head_of({get, host, "Content-Length: 5"}) + "hello", 0},
        {"Content-Length with leading zeros is 1*DIGIT (RFC 9110 §8.6)", head_of({get, host, "Content-Length: 007"}), 0},
        {"Content-Length name in any case (RFC 9110 §5.1)", head_of({get, host, "content-LENGTH: 3"}), 0},
        {"OWS around the Content-Length value is not part of it (RFC 9110 §5.5)",
         head_of({get, host, "Content-Length: \t 3 \t"}), 0},
        {"Content-Length of kContentLengthMax (lesson 03 rule)", head_of({get, host, "Content-Length: " + cl_max}), 0},
        {"Content-Length of kContentLengthMax + 1 (lesson 03 rule)", head_of({get, host, "Content-Length: " + cl_over}),
         400},
        {"Content-Length of 23 digits (RFC 9110 §8.6: no overflow)",
         head_of({get, host, "Content-Length: 99999999999999999999999"}), 400},
        {"Content-Length 2^64 - 1 (RFC 9110 §8.6)", head_of({get, host, "Content-Length: 18446744073709551615"}), 400},
        {"Content-Length 2^64 does not wrap to 0 (RFC 9110 §8.6)",
         head_of({get, host, "Content-Length: 18446744073709551616"}), 400},
        {"Content-Length 2^64 + 1 does not wrap to 1 (RFC 9110 §8.6)",
         head_of({get, host, "Content-Length: 18446744073709551617"}), 400},
        {"Content-Length with a plus sign (RFC 9110 §8.6)", head_of({get, host, "Content-Length: +5"}), 400},
        {"Content-Length with a minus sign (RFC 9110 §8.6)", head_of({get, host, "Content-Length: -5"}), 400},
        {"Content-Length in hex (RFC 9110 §8.6)", head_of({get, host, "Content-Length: 0x10"}), 400},
        {"Content-Length with a space inside (RFC 9110 §8.6)", head_of({get, host, "Content-Length: 1 0"}), 400},
        {"Content-Length with an HT inside (RFC 9110 §8.6)", head_of({get, host, "Content-Length: 1\t0"}), 400},
        {"Content-Length with trailing bytes (RFC 9110 §8.6)", head_of({get, host, "Content-Length: 5a"}), 400},
        {"Content-Length with a fraction (RFC 9110 §8.6)", head_of({get, host, "Content-Length: 5.0"}), 400},
        {"empty Content-Length (RFC 9110 §8.6: 1*DIGIT)", head_of({get, host, "Content-Length:"}), 400},
        {"Content-Length as a list of equal values (lesson 03 rule: strict, RFC 9110 §8.6)",
         head_of({get, host, "Content-Length: 5, 5"}), 400},
        {"Content-Length as a list without spaces (lesson 03 rule: strict)", head_of({get, host, "Content-Length: 5,5"}),
         400},
        {"two Content-Length fields, equal (lesson 03 rule: strict, RFC 9110 §8.6)",
         head_of({get, host, "Content-Length: 5", "Content-Length: 5"}), 400},
        {"two Content-Length fields, different (RFC 9112 §6.3)",
         head_of({get, host, "Content-Length: 5", "content-length: 6"}), 400},
        // Transfer-Encoding (RFC 9112 §6.1, §6.3, §7)
        {"Transfer-Encoding: chunked (lesson 03 rule: served, the body is drained)",
         head_of({get, host, "Transfer-Encoding: chunked"}) + "0\r\n\r\n", 0},
        {"coding names are case-insensitive (RFC 9112 §7)", head_of({get, host, "transfer-encoding: ChUnKeD"}), 0},
        {"OWS around a coding (RFC 9110 §5.6.1)", head_of({get, host, "Transfer-Encoding: \t chunked \t"}), 0},
        {"empty list elements are ignored (RFC 9110 §5.6.1)", head_of({get, host, "Transfer-Encoding: , ,chunked ,"}),
         0},
        {"HEAD with chunked (lesson 03 rule)", head_of({"HEAD / HTTP/1.1", host, "Transfer-Encoding: chunked"}), 0},
        {"gzip alone: chunked is not final (RFC 9112 §6.3: MUST 400)", head_of({get, host, "Transfer-Encoding: gzip"}),
         400},
        {"gzip, chunked: a coding we do not implement (RFC 9112 §6.1: 501)",
         head_of({get, host, "Transfer-Encoding: gzip, chunked"}), 501},
        {"chunked, gzip: chunked is not final (RFC 9112 §6.3)",
         head_of({get, host, "Transfer-Encoding: chunked, gzip"}), 400},
        {"chunked, chunked: chunked twice (RFC 9112 §7, §6.3)",
         head_of({get, host, "Transfer-Encoding: chunked, chunked"}), 400},
        {"identity alone (RFC 9112 §6.3)", head_of({get, host, "Transfer-Encoding: identity"}), 400},
        {"deflate, chunked (RFC 9112 §6.1)", head_of({get, host, "Transfer-Encoding: deflate, chunked"}), 501},
        {"compress, chunked (RFC 9112 §6.1)", head_of({get, host, "Transfer-Encoding: compress, chunked"}), 501},
        {"an unknown coding before chunked (RFC 9112 §6.1)", head_of({get, host, "Transfer-Encoding: x-zip,chunked"}),
         501},
        {"chunked with a parameter is not plain chunked (RFC 9112 §6.3)",
         head_of({get, host, "Transfer-Encoding: chunked;x=1"}), 400},
        {"empty Transfer-Encoding: no final chunked (RFC 9112 §6.3)", head_of({get, host, "Transfer-Encoding:"}), 400},
        {"two fields form one list: gzip then chunked (RFC 9110 §5.3)",
         head_of({get, host, "Transfer-Encoding: gzip", "Transfer-Encoding: chunked"}), 501},
        {"two fields form one list: chunked then gzip (RFC 9110 §5.3)",
         head_of({get, host, "Transfer-Encoding: chunked", "Transfer-Encoding: gzip"}), 400},
        {"two fields form one list: chunked twice (RFC 9110 §5.3)",
         head_of({get, host, "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"}), 400},
        {"Transfer-Encoding with Content-Length (RFC 9112 §6.1)",
         head_of({get, host, "Transfer-Encoding: chunked", "Content-Length: 5"}), 400},
        {"Content-Length with Transfer-Encoding after it (RFC 9112 §6.1)",
         head_of({get, host, "Content-Length: 5", "Transfer-Encoding: chunked"}), 400},
        {"both, the coding unknown: 400 before 501 (RFC 9112 §6.1)",
         head_of({get, host, "Content-Length: 5", "Transfer-Encoding: gzip, chunked"}), 400},
        {"Transfer-Encoding in HTTP/1.0 (RFC 9112 §6.1)", head_of({"GET / HTTP/1.0", "Transfer-Encoding: chunked"}),
         400},
        // which step decides first (lesson 03 rule: head, framing, method)
        {"POST with a valid body: the method decides (RFC 9110 §15.5.6)",
         head_of({"POST / HTTP/1.1", host, "Content-Length: 5"}) + "hello", 405},
        {"POST with a bad Content-Length: framing first (lesson 03 rule)",
         head_of({"POST / HTTP/1.1", host, "Content-Length: x"}), 400},
        {"POST with gzip, chunked: framing's 501 before the method's 405 (lesson 03 rule)",
         head_of({"POST / HTTP/1.1", host, "Transfer-Encoding: gzip, chunked"}), 501},
        {"an unknown method with gzip alone: framing's 400 before the method's 501 (lesson 03 rule)",
         head_of({"BREW / HTTP/1.1", host, "Transfer-Encoding: gzip"}), 400},
        {"a missing Host before framing (lesson 03 rule)", head_of({get, "Content-Length: x"}), 400},
    };
}

}  // namespace testsupport
