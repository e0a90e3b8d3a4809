// tests/support/listing_cases.hpp -- lesson 08's tables and the page as
// the lesson's rule spells it, shared by the native suite
// (tests/unit/08-listing_test.cpp checks the C++ stage against them) and
// the target suite (tests/asm/08-listing_test.cpp checks the assembly
// against them and against the C++ twin).  Every `why` names its rule:
// RFC 3986 (§2.1 percent-encoding, §2.3 unreserved, §4.2 "//" starts an
// authority), RFC 9110 (§10.2.2 Location), HTML (the five characters that
// must be escaped in text and attribute values) or a lesson 08 rule
// (lessons/08-listing/README.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "records.h"
#include "support.hpp"

namespace testsupport {

// compare_names: two names and the answer (-1: a first, 0, 1: b first).
struct CompareCase {
    const char* why;
    std::string a, b;
    int want;
};

inline std::vector<CompareCase> compare_cases() {
    return {
        {"the same name", "a.txt", "a.txt", 0},
        {"both empty", "", "", 0},
        {"empty before anything", "", "a", -1},
        {"the first differing byte decides", "abc", "abd", -1},
        {"... either way", "abd", "abc", 1},
        {"a prefix sorts first", "a", "a b", -1},
        {"... either way", "a b", "a", 1},
        {"byte order: digits before upper case", "9", "A", -1},
        {"byte order: upper case before lower case", "Z", "a", -1},
        {"'10' before '9': bytes, not numbers", "10", "9", -1},
        {"a space (0x20) before '-' (0x2d)", "a b", "a-", -1},
        {"unsigned: UTF-8 (0xC3) after 'z'", "\xc3\xa4", "z", 1},
        {"unsigned: 0xFF after 0x7F", "\xff", "\x7f", 1},
        {"unsigned: 0x80 after 0x01", "\x01", "\x80", -1},
        {"a NUL is a byte like any other (lengths, not C strings)", std::string("a\0b", 3), std::string("a\0c", 3), -1},
        {"a NUL sorts before every other byte", std::string("a\0", 2), "a\x01", -1},
        {"long common prefix", std::string(300, 'x') + "1", std::string(300, 'x') + "0", 1},
    };
}

// out_html / out_href: a name, and what each makes of it.
struct TextCase {
    const char* why;
    std::string in;
    std::string html;   // out_html: & < > " ' escaped
    std::string href;   // out_href: outside unreserved and '/', %XX
};

inline std::vector<TextCase> text_cases() {
    return {
        {"plain ASCII passes both", "a.txt", "a.txt", "a.txt"},
        {"empty", "", "", ""},
        {"unreserved: letters, digits, - . _ ~ (RFC 3986 §2.3)", "Az09-._~", "Az09-._~", "Az09-._~"},
        {"'/' stays a separator in a path", "a/b/", "a/b/", "a/b/"},
        {"the five HTML specials", "&<>\"'", "&amp;&lt;&gt;&quot;&#39;", "%26%3C%3E%22%27"},
        {"a name built to break both", "<b>&\"x y%.txt", "&lt;b&gt;&amp;&quot;x y%.txt", "%3Cb%3E%26%22x%20y%25.txt"},
        {"a space: %20 in the link, itself in the text", "a b", "a b", "a%20b"},
        {"'%' is encoded: the link must not be decoded into something else", "100%.txt", "100%.txt", "100%25.txt"},
        {"UTF-8: bytes as they are in HTML, %XX upper case in the link", "caf\xc3\xa9.txt", "caf\xc3\xa9.txt",
         "caf%C3%A9.txt"},
        {"reserved gen-delims are encoded (RFC 3986 §2.2)", ":?#[]@", ":?#[]@", "%3A%3F%23%5B%5D%40"},
        {"sub-delims are encoded too", "!$&'()*+,;=", "!$&amp;&#39;()*+,;=", "%21%24%26%27%28%29%2A%2B%2C%3B%3D"},
        {"a backslash is encoded: browsers read it as '/'", "\\evil", "\\evil", "%5Cevil"},
        {"control bytes and DEL", std::string("\x01\t\n\x1f\x7f", 5), std::string("\x01\t\n\x1f\x7f", 5),
         "%01%09%0A%1F%7F"},
        {"a NUL byte (lengths, not C strings)", std::string("a\0b", 3), std::string("a\0b", 3), "a%00b"},
        {"0xFF", "\xff", "\xff", "%FF"},
        {"entities back to back", "<<>>", "&lt;&lt;&gt;&gt;", "%3C%3C%3E%3E"},
        {"a special at the start and at the end", "&x'", "&amp;x&#39;", "%26x%27"},
    };
}

// redirect_to_slash: x.path (decoded), the query as sent, and the answer.
struct LocationCase {
    const char* why;
    std::string path;
    std::string query;      // "" = none
    int want;               // 301 or 414
    std::string location;   // the Location value for a 301
};

inline std::vector<LocationCase> location_cases() {
    const std::string a255(255, 'a');
    std::string at_limit = "/" + std::string(LOCATION_MAX - 2, 'q');   // + the two '/' = LOCATION_MAX
    std::string encoded_over;                                           // 171 spaces: 513 bytes encoded
    for (int i = 0; i < (LOCATION_MAX + 1) / 3; ++i) encoded_over += ' ';
    return {
        {"the slash is added (lesson 08 rule)", "/docs", "", 301, "/docs/"},
        {"nested", "/docs/noindex", "", 301, "/docs/noindex/"},
        {"the query goes along (lesson 08 rule)", "/docs", "x=1&y=2", 301, "/docs/?x=1&y=2"},
        {"the query as it was sent: not decoded, not encoded", "/docs", "a=%41%zz/b", 301, "/docs/?a=%41%zz/b"},
        {"a space is encoded (RFC 3986 §2.1)", "/dir with spaces", "", 301, "/dir%20with%20spaces/"},
        {"UTF-8 is encoded (RFC 3986 §2.5)", "/caf\xc3\xa9", "", 301, "/caf%C3%A9/"},
        {"'%' in a name is encoded", "/100%", "", 301, "/100%25/"},
        {"two leading slashes become one: //host is another site (RFC 3986 §4.2)", "//evil.example", "", 301,
         "/evil.example/"},
        {"any number of them", "////evil.example", "x", 301, "/evil.example/?x"},
        {"a backslash cannot pass as a slash", "/\\evil.example", "", 301, "/%5Cevil.example/"},
        {"slashes inside stay", "//a//b", "", 301, "/a//b/"},
        {"an empty path: the docroot, \"/\"", "", "", 301, "/"},
        {"an empty path with a query", "", "q", 301, "/?q"},
        {"exactly LOCATION_MAX bytes", at_limit, "", 301, at_limit + "/"},
        {"one more: 414 (lesson 08 rule, LOCATION_MAX)", at_limit + "q", "", 414, ""},
        {"the limit counts the encoded bytes", "/" + encoded_over, "", 414, ""},
        {"the limit counts the query too", at_limit.substr(0, at_limit.size() - 2), "q", 301,
         at_limit.substr(0, at_limit.size() - 2) + "/?q"},
        {"... one byte over with the query", at_limit.substr(0, at_limit.size() - 1), "q", 414, ""},
        {"a long path component", "/" + a255, "", 301, "/" + a255 + "/"},
    };
}

// The page of lesson 08's rule, without its <style> block (the CSS is
// presentation; the differential tests compare it byte for byte):
//   <!doctype html> ... <title>Index of PATH</title> <style>...</style>
//   ... <h1>Index of PATH</h1> <table> ... <tbody> [../ row] rows
//   </tbody></table></body></html>
// `path` and the rows are given as they must appear (already escaped).
inline std::string page_without_style(const std::string& path_html, bool parent, const std::string& rows) {
    return "<!doctype html>\n"
           "<html lang=\"en\">\n"
           "<head>\n"
           "<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<title>Index of " + path_html + "</title>\n"
           "</head>\n"
           "<body>\n"
           "<h1>Index of " + path_html + "</h1>\n"
           "<table>\n"
           "<thead><tr><th>Name</th><th>Size</th></tr></thead>\n"
           "<tbody>\n" +
           (parent ? "<tr><td><a href=\"../\">../</a></td><td>-</td></tr>\n" : "") + rows +
           "</tbody>\n"
           "</table>\n"
           "</body>\n"
           "</html>\n";
}

// One row of the rule: the link, the text, the size ("-" for a directory).
inline std::string row_of(const std::string& href, const std::string& text, const std::string& size) {
    return "<tr><td><a href=\"" + href + "\">" + text + "</a></td><td>" + size + "</td></tr>\n";
}

// A page with the lines "<style>" ... "</style>\n" cut out (kept whole
// when they are not there, so that a comparison fails visibly).
inline std::string without_style(const std::string& page) {
    std::size_t from = page.find("<style>\n");
    std::size_t to = page.find("</style>\n");
    if (from == std::string::npos || to == std::string::npos || to < from) return page;
    return page.substr(0, from) + page.substr(to + 9);
}

// A directory with one of each kind of entry the listing shows, and the
// rows (sorted by the rule) it must produce:
//   .b          ""                   a regular file, a dotfile
//   a.txt       "abc"
//   b c.txt     "hello"              a space: %20 in the link
//   caf\xc3\xa9 "x"                  UTF-8
//   link        -> a.txt             a symlink: its own size, 5
//   sub/        (directory)          '/' and "-"
//   x<y         "12"                 escaped
inline void make_sample_dir(const std::string& dir) {
    std::filesystem::create_directories(dir);
    write_file(dir + "/.b", "");
    write_file(dir + "/a.txt", "abc");
    write_file(dir + "/b c.txt", "hello");
    write_file(dir + "/caf\xc3\xa9", "x");
    std::filesystem::create_symlink("a.txt", dir + "/link");
    std::filesystem::create_directory(dir + "/sub");
    write_file(dir + "/x<y", "12");
}
inline std::string sample_rows() {
    return row_of(".b", ".b", "0") + row_of("a.txt", "a.txt", "3") + row_of("b%20c.txt", "b c.txt", "5") +
           row_of("caf%C3%A9", "caf\xc3\xa9", "1") + row_of("link", "link", "5") + row_of("sub/", "sub/", "-") +
           row_of("x%3Cy", "x&lt;y", "2");
}

}  // namespace testsupport
