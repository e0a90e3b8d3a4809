// tests/support/decode_cases.hpp -- lesson 05's table of inputs and what
// percent_decode must return for each, shared by the native suite
// (tests/unit/05-decode_test.cpp checks the C++ decoder against it) and
// the target suite (tests/asm/05-decode_test.cpp checks the assembly
// against it and against the C++ twin).  Every `why` names its rule: RFC
// 3986 (§2.1 percent-encoding, §2.2 reserved characters, §2.4 decode once,
// §2.5 UTF-8, §6.2.2.2 the examples of equivalent URIs) or a lesson 05
// rule (lessons/05-decode/README.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "files_fixture.hpp"
#include "records.h"

namespace testsupport {

// One input, the room given, and what must come out: the decoded bytes
// (want >= 0: the length) or the error (-400, -414).
struct DecodeCase {
    const char* why;       // the rule, with its source
    std::string in;
    std::size_t cap;
    std::int64_t want;     // the result
    std::string out;       // the bytes written to out[0..): all of them, also before an error
};

// A string with NULs in it (a literal stops at the first NUL).
inline std::string bytes(const char* p, std::size_t n) { return std::string(p, n); }

// The case list.  cap 64 unless the case is about cap.
inline std::vector<DecodeCase> decode_cases() {
    const std::string longest = "/" + std::string(REQ_TARGET_MAX - 1, 'p');   // the longest request path
    std::string longest_encoded = "/";                                         // ... and one of escapes
    while (longest_encoded.size() + 3 <= REQ_TARGET_MAX) longest_encoded += "%41";
    const std::string longest_decoded = "/" + std::string((longest_encoded.size() - 1) / 3, 'A');
    return {
        // RFC 3986 §2.1: "%" HEXDIG HEXDIG is the octet it spells
        {"no escape: copied (lesson 05 rule)", "/docs/a.txt", 64, 11, "/docs/a.txt"},
        {"empty input: nothing to write", "", 64, 0, ""},
        {"%20 is a space (RFC 3986 §2.1)", "/a%20b", 64, 4, "/a b"},
        {"%41 is 'A' (RFC 3986 §2.1, §2.3)", "/%41", 64, 2, "/A"},
        {"an escape as the very last bytes (RFC 3986 §2.1)", "/x%41", 64, 3, "/xA"},
        {"an escape as the very first bytes (RFC 3986 §2.1)", "%2Fa", 64, 2, "/a"},
        {"escapes back to back (RFC 3986 §2.1)", "%41%42%43", 64, 3, "ABC"},
        {"%25 is '%' (RFC 3986 §2.1, §2.4)", "/100%25.txt", 64, 9, "/100%.txt"},
        // RFC 3986 §2.1: hex digits in either case; §6.2.2.1 / §6.2.2.2: %7e = %7E = '~'
        {"upper-case hex (RFC 3986 §6.2.2.2: /%7Esmith)", "/%7Esmith/home.html", 64, 17, "/~smith/home.html"},
        {"lower-case hex (RFC 3986 §6.2.2.1)", "/%7esmith/home.html", 64, 17, "/~smith/home.html"},
        {"mixed case in one escape (RFC 3986 §2.1)", "/caf%c3%A9", 64, 6, "/caf\xc3\xa9"},
        {"every hex letter, both cases (RFC 3986 §2.1)", "%aA%bB%cC%dD%eE%fF%Ff", 64, 7, "\xaa\xbb\xcc\xdd\xee\xff\xff"},
        // RFC 3986 §2.5: UTF-8 octets; bytes >= 0x80 pass
        {"é as %C3%A9 (RFC 3986 §2.5)", "/caf%C3%A9.txt", 64, 10, "/caf\xc3\xa9.txt"},
        {"À as %C3%80 (RFC 3986 §2.5's example)", "%C3%80", 64, 2, "\xc3\x80"},
        {"日本 as six escapes (RFC 3986 §2.5)", "/%E6%97%A5%E6%9C%AC.txt", 64, 11, "/\xe6\x97\xa5\xe6\x9c\xac.txt"},
        {"raw UTF-8 bytes are copied (lesson 05 rule: >= 0x80 pass)", "/caf\xc3\xa9", 64, 6, "/caf\xc3\xa9"},
        {"0x80 and 0xff raw and encoded (lesson 05 rule)", "\x80%80\xff%FF", 64, 4, "\x80\x80\xff\xff"},
        // RFC 3986 §2.2: reserved characters, decoded like any other
        {"%2F is '/' and acts as one (lesson 05 rule)", "/docs%2Fa.txt", 64, 11, "/docs/a.txt"},
        {"%2f lower case (lesson 05 rule)", "/docs%2fa.txt", 64, 11, "/docs/a.txt"},
        {"%3F is '?' in a name (RFC 3986 §2.2)", "/why%3F.txt", 64, 9, "/why?.txt"},
        {"%23 is '#' in a name (RFC 3986 §2.2)", "/notes%231.txt", 64, 12, "/notes#1.txt"},
        {"'+' stays '+' (RFC 3986 §2.2: a sub-delim, not a space)", "/a+b.txt", 64, 8, "/a+b.txt"},
        {"%2B is '+', not a space (RFC 3986 §2.1)", "/a%2Bb.txt", 64, 8, "/a+b.txt"},
        // RFC 3986 §2.4: once
        {"%252e decodes once, to %2e (RFC 3986 §2.4)", "/%252e", 64, 4, "/%2e"},
        {"%252e%252e stays a name (RFC 3986 §2.4)", "/%252e%252e/x", 64, 9, "/%2e%2e/x"},
        {"%2e%2e is '..' (RFC 3986 §2.3): lesson 06's business", "/%2e%2e/x", 64, 5, "/../x"},
        {"%2525 is %25, not % (RFC 3986 §2.4)", "%2525", 64, 3, "%25"},
        {"a decoded '%' does not start an escape (RFC 3986 §2.4)", "%2541", 64, 3, "%41"},
        // RFC 3986 §2.1: a '%' must be followed by two hex digits, else 400
        {"'%' alone (RFC 3986 §2.1)", "%", 64, -400, ""},
        {"'%' at the end (RFC 3986 §2.1)", "/a%", 64, -400, "/a"},
        {"one digit at the end (RFC 3986 §2.1)", "/%4", 64, -400, "/"},
        {"one digit in the middle (RFC 3986 §2.1)", "/a%4.txt", 64, -400, "/a"},
        {"first not hex (RFC 3986 §2.1)", "/%G1", 64, -400, "/"},
        {"second not hex (RFC 3986 §2.1)", "/%4g", 64, -400, "/"},
        {"both not hex (RFC 3986 §2.1)", "/a%zzb", 64, -400, "/a"},
        {"a raw '%' name (RFC 3986 §2.1)", "/100%.txt", 64, -400, "/100"},
        {"'%%41' (RFC 3986 §2.1)", "%%41", 64, -400, ""},
        {"a sign is not a digit: %+1 (RFC 3986 §2.1)", "%+1", 64, -400, ""},
        {"a space is not a digit: % 1 (RFC 3986 §2.1)", "% 1", 64, -400, ""},
        {"just past the digits: / and : around 0-9 (RFC 3986 §2.1)", "%/0", 64, -400, ""},
        {"just past the digits: ':' (RFC 3986 §2.1)", "%0:", 64, -400, ""},
        {"just past the letters: '@' and 'G' (RFC 3986 §2.1)", "%@0", 64, -400, ""},
        {"just past the letters: '`' and 'g' (RFC 3986 §2.1)", "%`0", 64, -400, ""},
        {"a high byte is not a digit (RFC 3986 §2.1)", "%\xc1" "1", 64, -400, ""},
        // lesson 05 rule: no control byte in the output, decoded or raw
        {"%00: NUL (lesson 05 rule)", "/secret.txt%00.png", 64, -400, "/secret.txt"},
        {"%01 (lesson 05 rule)", "/a%01", 64, -400, "/a"},
        {"%09: HT (lesson 05 rule)", "/a%09", 64, -400, "/a"},
        {"%0a: LF (lesson 05 rule)", "/a%0ab", 64, -400, "/a"},
        {"%0D: CR (lesson 05 rule)", "/a%0Db", 64, -400, "/a"},
        {"%1f: the last C0 control (lesson 05 rule)", "/a%1fb", 64, -400, "/a"},
        {"%7f: DEL (lesson 05 rule)", "/a%7fb", 64, -400, "/a"},
        {"%7F: DEL (lesson 05 rule)", "/a%7F", 64, -400, "/a"},
        {"%20: the first byte that is not a control (lesson 05 rule)", "%20", 64, 1, " "},
        {"%7e: the last byte below DEL (lesson 05 rule)", "%7e", 64, 1, "~"},
        {"a raw NUL (lesson 05 rule)", bytes("/a\0b", 4), 64, -400, "/a"},
        {"a raw LF (lesson 05 rule)", "/a\nb", 64, -400, "/a"},
        {"a raw DEL (lesson 05 rule)", "/a\x7f", 64, -400, "/a"},
        // cap: never written past; -414 when the output would pass it
        {"fits exactly (lesson 05 rule)", "/abc", 4, 4, "/abc"},
        {"one byte too many (lesson 05 rule)", "/abcd", 4, -414, "/abc"},
        {"cap 0, empty input (lesson 05 rule)", "", 0, 0, ""},
        {"cap 0, one byte (lesson 05 rule)", "/", 0, -414, ""},
        {"an escape into the last byte (lesson 05 rule)", "/a%41", 3, 3, "/aA"},
        {"an escape past the last byte (lesson 05 rule)", "/ab%41", 3, -414, "/ab"},
        {"the first problem wins: room before a bad escape (lesson 05 rule)", "/ab%zz", 2, -414, "/a"},
        {"the first problem wins: a bad escape before room (lesson 05 rule)", "%zz/abc", 2, -400, ""},
        {"the first problem wins: a control byte before room (lesson 05 rule)", "/%00abc", 1, -400, "/"},
        {"the longest path fits x.path (lesson 05 rule; records.inc: PATH_BUF_MAX)", longest, PATH_BUF_MAX,
         static_cast<std::int64_t>(longest.size()), longest},
        {"the longest path of escapes shrinks to a third (lesson 05 rule)", longest_encoded, PATH_BUF_MAX,
         static_cast<std::int64_t>(longest_decoded.size()), longest_decoded},
    };
}

// The lesson-05 pipeline tests' docroot: lesson 04's files (Docroot) plus
// names that only a decoder can reach.  Both suites call it.
inline void add_decoded_names(Docroot& dir) {
    std::filesystem::create_directory(dir.at("dir with spaces"));
    write_file(dir.at("dir with spaces/index.html"), "<p>spaces</p>\n");
    write_file(dir.at("caf\xc3\xa9.txt"), "cafe\n");
    write_file(dir.at("100%.txt"), "percent\n");
    write_file(dir.at("a+b.txt"), "plus\n");
    write_file(dir.at("a b.txt"), "space\n");
    write_file(dir.at("%2e"), "literal\n");
}

// An encoded path, and the file the lesson-05 pipeline answers it with
// (200, this Content-Type, this body), in add_decoded_names' docroot.
struct DecodedName {
    const char* target;
    std::string type;
    std::string body;
};
inline std::vector<DecodedName> decoded_names() {
    return {
        {"/caf%C3%A9.txt", kText, "cafe\n"},
        {"/caf%c3%a9.txt", kText, "cafe\n"},
        {"/dir%20with%20spaces/", kHtml, "<p>spaces</p>\n"},
        {"/100%25.txt", kText, "percent\n"},
        {"/a+b.txt", kText, "plus\n"},
        {"/a%2Bb.txt", kText, "plus\n"},
        {"/a%20b.txt", kText, "space\n"},
        {"/%252e", kOctets, "literal\n"},
        {"/sub%2F", kHtml, "<h1>sub</h1>\n"},                    // %2F is a '/': then index.html
        {"/sub/%2e%2e/hello.txt", kText, "hello, world\n"},     // %2e%2e is '..' (lesson 06)
    };
}

}  // namespace testsupport
