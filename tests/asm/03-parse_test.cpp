// tests/asm/03-parse_test.cpp -- lesson 03: the assembly reader, parser,
// responses and steps against their C++ twins.  The same input goes to
// both; every status and every field of the request record (and of the
// struct exchange, for the steps) must agree, and the statuses of the
// shared case list (tests/support/parse_cases.hpp) must be the ones RFC
// 9110 / RFC 9112 (or a lesson 03 rule) require.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <random>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "../support/asm_exchange.hpp"
#include "../support/parse_cases.hpp"
#include "../support/support.hpp"
#include "03-parse.hpp"
#include "api.h"
#include "exchange.hpp"

namespace {

using testsupport::capture;
using testsupport::head_of;
using testsupport::ParseCase;
using testsupport::parse_cases;

std::string view(const char* p, std::uint64_t n) { return n == 0 ? std::string() : std::string(p, n); }

// Offset of a slice into the buffer, or -1 when it points elsewhere
// (path "/" of "http://host") or nowhere.
long offset_in(const char* p, const std::string& buf) {
    if (p == nullptr || p < buf.data() || p > buf.data() + buf.size()) return -1;
    return static_cast<long>(p - buf.data());
}

// Parse `head` with both, compare everything; returns the status.
int parse_both(const std::string& head, const std::string& label) {
    struct request a;
    std::memset(&a, 0x5a, sizeof a);   // garbage: the asm must set what it reports
    httpd::Request c;
    int sa = parse_request(head.data(), head.size(), &a);
    int sc = httpd::parse_request(head, c);
    EXPECT_EQ(sa, sc) << label;
    EXPECT_EQ(view(a.method, a.method_len), std::string(c.method)) << label;
    EXPECT_EQ(offset_in(a.method, head), a.method_len ? offset_in(c.method.data(), head) : -1) << label;
    EXPECT_EQ(view(a.target, a.target_len), std::string(c.target)) << label;
    if (a.target_len) { EXPECT_EQ(offset_in(a.target, head), offset_in(c.target.data(), head)) << label; }
    EXPECT_EQ(view(a.path, a.path_len), std::string(c.path)) << label;
    EXPECT_EQ(view(a.query, a.query_len), std::string(c.query)) << label;
    EXPECT_EQ(a.method_id, static_cast<std::uint64_t>(c.method_id)) << label;
    EXPECT_EQ(a.version_minor, static_cast<std::uint64_t>(c.version_minor)) << label;
    EXPECT_EQ(a.is_head, c.is_head ? 1u : 0u) << label;
    EXPECT_EQ(a.header_count, c.header_count) << label;
    for (std::size_t i = 0; i < a.header_count && i < c.header_count; ++i) {
        EXPECT_EQ(offset_in(a.headers[i].name, head), offset_in(c.headers[i].name.data(), head)) << label << " #" << i;
        EXPECT_EQ(a.headers[i].name_len, c.headers[i].name.size()) << label << " #" << i;
        EXPECT_EQ(view(a.headers[i].value, a.headers[i].value_len), std::string(c.headers[i].value))
            << label << " #" << i;
        if (a.headers[i].value_len) {
            EXPECT_EQ(offset_in(a.headers[i].value, head), offset_in(c.headers[i].value.data(), head))
                << label << " #" << i;
        }
    }
    return sa;
}

// parse_framing on both parsed requests: the same status, body kind and
// length.  Returns the status.
int framing_both(struct request& a, httpd::Request& c, const std::string& label) {
    std::memset(&a.body_kind, 0x5a, 16);   // garbage: parse_framing must set both fields
    int sa = parse_framing(&a);
    int sc = httpd::parse_framing(c);
    EXPECT_EQ(sa, sc) << label;
    EXPECT_EQ(a.body_kind, static_cast<std::uint64_t>(c.body_kind)) << label;
    EXPECT_EQ(a.content_length, c.content_length) << label;
    EXPECT_EQ(check_transfer_encoding(&a), httpd::check_transfer_encoding(c)) << label;
    return sa;
}

// What the server answers a head with: parse_request's status, then --
// for a well-formed head -- parse_framing's, then the method policy's
// (method_status), in the spine's order.  Both languages decide each
// part; they must agree on each.
int verdict_both(const std::string& head, const std::string& label) {
    struct request a;
    int status = parse_both(head, label);
    if (status != 0) return status;
    httpd::Request c;
    parse_request(head.data(), head.size(), &a);
    httpd::parse_request(head, c);
    if (int framing = framing_both(a, c, label)) return framing;
    int sa = method_status(static_cast<int>(a.method_id));
    EXPECT_EQ(sa, httpd::method_status(c.method_id)) << label;
    return sa;
}

// The shared case list (tests/support/parse_cases.hpp): each status as the
// rule says (parse_request, then method_status: the table's 405 and 501
// come from the method policy, which is step_check_method's), and the same
// as the C++ parser's, field by field.
TEST(Lesson03Asm, ParseRequestCaseList) {
    for (const ParseCase& c : parse_cases()) {
        EXPECT_EQ(verdict_both(c.head, c.why), c.status) << c.why;
    }
}

// parse_request itself never decides about the method: a well-formed head
// with any token is 0.
TEST(Lesson03Asm, ParseRequestLeavesTheMethodToMethodStatus) {
    for (const char* m : {"GET", "HEAD", "POST", "TRACE", "BREW", "get"}) {
        std::string head = head_of({std::string(m) + " / HTTP/1.1", "Host: h"});
        EXPECT_EQ(parse_both(head, m), 0) << m;
    }
}

// Every byte value in each place of a request: both parsers must agree,
// and the class of the byte decides the status.
TEST(Lesson03Asm, EveryByteEverywhere) {
    for (int b = 0; b < 256; ++b) {
        std::string ch(1, static_cast<char>(b));
        std::string label = "byte " + std::to_string(b);
        bool control = b < 0x20 || b == 0x7f;
        bool tchar = httpd::is_tchar(b);
        // in the path
        int in_target = parse_both(head_of({"GET /x" + ch + "y HTTP/1.1", "Host: h"}), label + " in target");
        // SP: a third part; '#': a fragment (RFC 3986 §3.5)
        EXPECT_EQ(in_target, control || b == ' ' || b == '#' ? 400 : 0) << label;
        // in the method
        int in_method = verdict_both(head_of({"GE" + ch + "T / HTTP/1.1", "Host: h"}), label + " in method");
        if (b != '\n') { EXPECT_EQ(in_method, tchar ? 501 : 400) << label; }
        // in a field name
        int in_name = parse_both(head_of({"GET / HTTP/1.1", "Host: h", "X" + ch + "Y: v"}), label + " in name");
        if (b != '\n' && b != ':') { EXPECT_EQ(in_name, tchar ? 0 : 400) << label; }
        // in a field value
        int in_value = parse_both(head_of({"GET / HTTP/1.1", "Host: h", "X: a" + ch + "b"}), label + " in value");
        if (b != '\n') { EXPECT_EQ(in_value, control && b != '\t' ? 400 : 0) << label; }
        // in the Host value
        int in_host = parse_both(head_of({"GET / HTTP/1.1", "Host: a" + ch + "b"}), label + " in Host");
        if (b != '\n') { EXPECT_EQ(in_host, httpd::is_host_char(b) ? 0 : 400) << label; }
        // in the version
        parse_both(head_of({"GET / HTTP/1." + ch, "Host: h"}), label + " in version");
    }
}

// Random damage to valid requests: whatever the bytes, both agree.
TEST(Lesson03Asm, RandomMutationsAgree) {
    const std::vector<std::string> seeds = {
        head_of({"GET /a?b HTTP/1.1", "Host: example.com", "Accept: */*"}),
        head_of({"HEAD http://h/x HTTP/1.0", "X-A:  b "}),
        head_of({"OPTIONS * HTTP/1.1", "Host: h"}),
        "POST /p HTTP/1.1\nHost: [::1]\n\n",
    };
    const std::string alphabet = std::string("GETHOPST/ :?*@.\r\n\t\x00\x7f\x80http1aZ", 33);
    std::mt19937 rng(20240603);   // fixed seed: the same cases every run
    for (int i = 0; i < 4000; ++i) {
        std::string head = seeds[i % seeds.size()];
        int edits = 1 + static_cast<int>(rng() % 3);
        for (int e = 0; e < edits; ++e) {
            std::size_t at = rng() % head.size();
            char c = alphabet[rng() % alphabet.size()];
            switch (rng() % 3) {
                case 0: head[at] = c; break;
                case 1: head.insert(head.begin() + static_cast<long>(at), c); break;
                default: if (head.size() > 1) head.erase(at, 1); break;
            }
        }
        parse_both(head, "mutation " + std::to_string(i));
    }
}

TEST(Lesson03Asm, StepFunctionsAgree) {
    // parse_version on its own
    for (const char* v : {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "HTTP/1.", "HTTP/1.10", "HTTQ/1.1",
                          "HTTP-1.1", "HTTP/1-1", "", "http/1.1", "HTTP/:.1", "HTTP//.1"}) {
        struct request a = {};
        httpd::Request c;
        EXPECT_EQ(parse_version(v, std::strlen(v), &a), httpd::parse_version(v, c)) << v;
        EXPECT_EQ(a.version_minor, static_cast<std::uint64_t>(c.version_minor)) << v;
    }
    // parse_method on its own
    for (const char* m : {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE",
                          "GETX", "OPTIONSX", "TRACES", "G", "", "A B", "a", "M-SEARCH", "\x80"}) {
        struct request a = {};
        httpd::Request c;
        EXPECT_EQ(parse_method(m, std::strlen(m), &a), httpd::parse_method(m, c)) << m;
        EXPECT_EQ(a.method_id, static_cast<std::uint64_t>(c.method_id)) << m;
        EXPECT_EQ(a.is_head, c.is_head ? 1u : 0u) << m;
    }
    // parse_target with each method id that matters
    for (int id : {testsupport::method_id(httpd::Method::GET), testsupport::method_id(httpd::Method::OPTIONS),
                   testsupport::method_id(httpd::Method::CONNECT)}) {
        for (const char* t : {"/", "/a?b", "*", "h:80", "http://h", "http://h/", "http://h?", "https://h/p?q",
                              "HTTP://h/x", "http://", "http:/", "http://@h", "a", "?", "**"}) {
            struct request a = {};
            a.method_id = static_cast<std::uint64_t>(id);
            httpd::Request c;
            c.method_id = static_cast<httpd::Method>(id);
            std::string label = std::string(t) + " id " + std::to_string(id);
            EXPECT_EQ(parse_target(t, std::strlen(t), &a), httpd::parse_target(t, c)) << label;
            EXPECT_EQ(view(a.path, a.path_len), std::string(c.path)) << label;
            EXPECT_EQ(view(a.query, a.query_len), std::string(c.query)) << label;
        }
    }
}

TEST(Lesson03Asm, CharacterClassesAgree) {
    for (int c = 0; c < 256; ++c) {
        EXPECT_EQ(is_tchar(c) != 0, httpd::is_tchar(c)) << c;
        EXPECT_EQ(is_host_char(c) != 0, httpd::is_host_char(c)) << c;
    }
    // the upper half of an int argument is not the callee's business
    EXPECT_EQ(is_tchar('A'), 1);
    EXPECT_EQ(is_tchar(0), 0);
}

// parse_target reads its len bytes and no more: each prefix of an
// absolute-form target, with the rest of it still in memory right after
// (a scheme compare that ran past len would see "https://" in "https:/").
// Method CONNECT, so a prefix that is not absolute-form is authority-form.
TEST(Lesson03Asm, ParseTargetReadsOnlyLenBytes) {
    for (const std::string full : {"https://h/p?q", "http://h/x", "HTTPS://h"}) {
        for (std::size_t n = 1; n <= full.size(); ++n) {
            struct request a = {};
            a.method_id = static_cast<std::uint64_t>(testsupport::method_id(httpd::Method::CONNECT));
            httpd::Request c;
            c.method_id = httpd::Method::CONNECT;
            std::string label = full.substr(0, n) + " (" + std::to_string(n) + " of " + full + ")";
            EXPECT_EQ(parse_target(full.data(), n, &a), httpd::parse_target(std::string_view(full).substr(0, n), c))
                << label;
            EXPECT_EQ(view(a.path, a.path_len), std::string(c.path)) << label;
        }
    }
}

TEST(Lesson03Asm, HeaderNameEqualsAgrees) {
    const char* names[] = {"Host", "host", "HOST", "hosT", "Hos", "Hosts", "", "@", "`", "[", "{", "Content-Length",
                           "content-length", "CONTENT_LENGTH", "\xc3\xa9", "\xc3\x89"};
    for (const char* x : names) {
        for (const char* y : names) {
            EXPECT_EQ(equal_ignoring_case(x, std::strlen(x), y, std::strlen(y)) != 0,
                      httpd::equal_ignoring_case(x, y))
                << x << " vs " << y;
        }
    }
}

TEST(Lesson03Asm, FindHeaderAgrees) {
    std::string head = head_of({"GET / HTTP/1.1", "hOsT: h", "X-A: 1", "x-a: 2", "Accept: t"});
    struct request a;
    httpd::Request c;
    ASSERT_EQ(parse_request(head.data(), head.size(), &a), 0);
    ASSERT_EQ(httpd::parse_request(head, c), 0);
    for (const char* name : {"host", "HOST", "x-a", "X-A", "accept", "missing", "X-", ""}) {
        const struct header_field* fa = find_header(&a, name, std::strlen(name));
        const httpd::Header* fc = httpd::find_header(c, name);
        ASSERT_EQ(fa == nullptr, fc == nullptr) << name;
        if (fa) { EXPECT_EQ(fa - a.headers, fc - c.headers.data()) << name; }
    }
}

// next_list_element: the same element (offset and length) and the same
// bytes used, on lists of random elements, OWS and commas.
TEST(Lesson03Asm, NextListElementAgrees) {
    constexpr std::uint32_t kListSeed = 20261207;
    std::mt19937 rng(kListSeed);
    const std::string alphabet = " \t,ab-0\x01\x80";
    for (int i = 0; i < 20000; ++i) {
        std::string list(rng() % 12, ' ');
        for (char& ch : list) ch = alphabet[rng() % alphabet.size()];
        const char* ea = nullptr;
        std::size_t na = 99;
        std::size_t used_a = next_list_element(list.data(), list.size(), &ea, &na);
        std::string_view ec;
        std::size_t used_c = httpd::next_list_element(list, &ec);
        ASSERT_EQ(used_a, used_c) << "seed " << kListSeed << " #" << i << ": [" << list << "]";
        ASSERT_EQ(na, ec.size()) << "[" << list << "]";
        if (na != 0) { ASSERT_EQ(ea - list.data(), ec.data() - list.data()) << "[" << list << "]"; }
    }
}

TEST(Lesson03Asm, CountHeaderAgrees) {
    std::string head = head_of({"GET / HTTP/1.1", "hOsT: h", "X-A: 1", "x-a: 2", "X-A: 3", "Accept: t"});
    struct request a;
    httpd::Request c;
    ASSERT_EQ(parse_request(head.data(), head.size(), &a), 0);
    ASSERT_EQ(httpd::parse_request(head, c), 0);
    const std::pair<const char*, int> cases[] = {{"host", 1}, {"X-A", 2}, {"accept", 1}, {"missing", 0}, {"", 0}};
    for (const auto& [name, want] : cases) {
        EXPECT_EQ(count_header(&a, name, std::strlen(name)), want) << name;
        EXPECT_EQ(httpd::count_header(c, name), want) << name;
    }
}

TEST(Lesson03Asm, FindByteAndTextAppend) {
    std::string s = "abc?def?";
    EXPECT_EQ(find_byte(s.data(), s.size(), '?'), 3u);
    EXPECT_EQ(find_byte(s.data(), s.size(), 'z'), s.size());
    EXPECT_EQ(find_byte(s.data(), 0, 'a'), 0u);
    EXPECT_EQ(find_byte("\xff", 1, 0xff), 0u);
    char a[8], c[8];
    std::memset(a, '#', 8);
    std::memset(c, '#', 8);
    std::size_t pa = text_append(a, text_append(a, 0, 5, "abc", 3), 5, "defg", 4);
    std::size_t pc = httpd::text_append(c, httpd::text_append(c, 0, 5, "abc"), 5, "defg");
    EXPECT_EQ(pa, 5u);
    EXPECT_EQ(pa, pc);
    EXPECT_EQ(std::string(a, 8), std::string(c, 8));
    EXPECT_EQ(std::string(a, 8), "abcde###");
}

TEST(Lesson03Asm, EchoBodyAgrees) {
    for (const ParseCase& k : parse_cases()) {
        if (k.status != 0) continue;
        struct request a;
        httpd::Request c;
        ASSERT_EQ(parse_request(k.head.data(), k.head.size(), &a), 0) << k.why;
        ASSERT_EQ(httpd::parse_request(k.head, c), 0) << k.why;
        std::vector<char> ba(ECHO_MAX), bc(ECHO_MAX);
        std::size_t na = echo_body(&a, ba.data(), ba.size());
        std::size_t nc = httpd::echo_body(c, bc.data(), bc.size());
        EXPECT_EQ(std::string(ba.data(), na), std::string(bc.data(), nc)) << k.why;
        // a small buffer truncates, never overflows, in both
        std::vector<char> sa(40 + 8, '#'), sc(40 + 8, '#');
        EXPECT_EQ(echo_body(&a, sa.data(), 40), 40u) << k.why;
        EXPECT_EQ(httpd::echo_body(c, sc.data(), 40), 40u) << k.why;
        EXPECT_EQ(std::string(sa.begin(), sa.end()), std::string(sc.begin(), sc.end())) << k.why;
    }
}

// ---------------------------------------------------------------------------
// Socket functions: the same bytes in, the same bytes and results out.
// ---------------------------------------------------------------------------

// Feed `data` (one byte per write when `trickle`), close the sending side,
// and call read_request_head (asm or C++) on the other end; *got_out =
// what it reported as read.
template <typename Reader>
std::int64_t feed(const std::string& data, bool trickle, std::size_t cap, Reader&& reader,
                  std::uint64_t* got_out = nullptr) {
    testsupport::SocketPair p;
    std::thread writer([&] {
        if (trickle) {
            for (char ch : data) {
                EXPECT_EQ(::write(p.client(), &ch, 1), 1);
                std::this_thread::sleep_for(std::chrono::microseconds(100));
            }
        } else {
            EXPECT_EQ(httpd::write_all(p.client(), data.data(), data.size()), 0);
        }
        ::shutdown(p.client(), SHUT_WR);
    });
    std::vector<char> buf(cap);
    std::uint64_t got = 0;   // a fresh buffer: nothing in it yet
    std::int64_t n = reader(p.server(), buf.data(), cap, &got);
    writer.join();
    if (got_out) *got_out = got;
    return n;
}

// The *got bytes already in buf are scanned before anything is read
// (lesson 10 reads the start of a head itself): split random heads at a
// random point, hand the first part over in buf, send the rest.
TEST(Lesson03Asm, ReadRequestHeadResumesAgrees) {
    std::mt19937 rng(20261207);   // fixed seed: the same cases every run
    const char* pieces[] = {"GET / HTTP/1.1\r\n", "Host: x\r\n", "\r\n", "\n", "X: y\r\n", "\r", "a", "BODY"};
    for (int round = 0; round < 300; ++round) {
        std::string data;
        int n = 1 + static_cast<int>(rng() % 12);
        for (int i = 0; i < n; ++i) data += pieces[rng() % std::size(pieces)];
        std::size_t already = rng() % (data.size() + 1);
        auto run = [&](auto reader, std::uint64_t* got) {
            testsupport::SocketPair p;
            EXPECT_EQ(httpd::write_all(p.client(), data.data() + already, data.size() - already), 0);
            ::shutdown(p.client(), SHUT_WR);
            std::vector<char> buf(256);
            data.copy(buf.data(), std::min(already, buf.size()));
            *got = std::min<std::uint64_t>(already, buf.size());
            return reader(p.server(), buf.data(), buf.size(), got);
        };
        std::uint64_t got_a = 0, got_c = 0;
        std::int64_t a = run(read_request_head, &got_a);
        std::int64_t c = run(httpd::read_request_head, &got_c);
        EXPECT_EQ(a, c) << testsupport::escaped(data) << " already " << already;
        EXPECT_EQ(got_a, got_c) << testsupport::escaped(data) << " already " << already;
    }
}

TEST(Lesson03Asm, ReadRequestHeadAgrees) {
    std::string start = "GET / HTTP/1.1\r\nHost: x\r\nX: ";
    std::string exact = start + std::string(REQ_HEAD_MAX - start.size() - 4, 'v') + "\r\n\r\n";
    std::string over = start + std::string(REQ_HEAD_MAX - start.size() - 3, 'v') + "\r\n\r\n";
    struct Input {
        std::string data;
        std::int64_t expected;   // lesson 03 rule
    };
    const std::string most = testsupport::empty_lines(REQ_LEADING_EMPTY_MAX);
    const std::string too_many = testsupport::empty_lines(REQ_LEADING_EMPTY_MAX + 1);
    const Input inputs[] = {
        {head_of({"GET / HTTP/1.1", "Host: x"}), 27},
        {"GET / HTTP/1.0\n\n", 16},
        {"GET / HTTP/1.0\r\n\nbody", 17},
        {"\r\n", -400},                                  // skipped (RFC 9112 §2.2), then closed
        {"\r\nGET / HTTP/1.0\r\n\r\n", 20},
        {"\n\nGET / HTTP/1.0\n\nbody", 18},
        {most + "GET / HTTP/1.0\n\n", static_cast<std::int64_t>(most.size() + 16)},
        {too_many + "GET / HTTP/1.0\n\n", static_cast<std::int64_t>(too_many.size())},
        {"\r\r\nGET / HTTP/1.0\n\n", 19},              // "\r\r" is a line, not an empty one
        {"", 0},
        {"GET / HT", -400},
        {"GET / HTTP/1.1\r\nHost: x\r\n", -400},
        {exact, REQ_HEAD_MAX},
        {over, -431},
        {"GET /" + std::string(REQ_HEAD_MAX, 'a') + " HTTP/1.1\r\n\r\n", -414},
        {"\r\n\nGET /" + std::string(REQ_HEAD_MAX, 'a') + " HTTP/1.1\r\n\r\n", -414},
        {"\nGET / HTTP/1.1\nX: " + std::string(REQ_HEAD_MAX, 'v') + "\n\n", -431},
    };
    for (const Input& in : inputs) {
        for (std::size_t cap : {std::size_t(REQ_HEAD_MAX), std::size_t(2 * REQ_HEAD_MAX)}) {
            std::uint64_t got_a = 0, got_c = 0;
            std::int64_t a = feed(in.data, false, cap, read_request_head, &got_a);
            std::int64_t c = feed(in.data, false, cap, httpd::read_request_head, &got_c);
            EXPECT_EQ(a, in.expected) << in.data.substr(0, 40);
            EXPECT_EQ(a, c) << in.data.substr(0, 40);
            EXPECT_EQ(got_a, got_c) << in.data.substr(0, 40);
            // everything was sent at once: what was read is all of it, up to the limit
            EXPECT_EQ(got_a, std::min<std::uint64_t>(in.data.size(), REQ_HEAD_MAX)) << in.data.substr(0, 40);
        }
    }
    // one byte per write (short inputs: each byte is a round trip under qemu)
    const Input trickled[] = {
        {head_of({"GET /t HTTP/1.1", "Host: x"}), 28},
        {"GET /\n\n", 7},
        {"\r\n\nGET /\n\n", 10},
        {"GET / HTTP/1.1\r\nHo", -400},
    };
    for (const Input& in : trickled) {
        std::uint64_t got_a = 0, got_c = 0;
        std::int64_t a = feed(in.data, true, REQ_HEAD_MAX, read_request_head, &got_a);
        EXPECT_EQ(a, in.expected) << in.data;
        EXPECT_EQ(a, feed(in.data, true, REQ_HEAD_MAX, httpd::read_request_head, &got_c)) << in.data;
        EXPECT_EQ(got_a, got_c) << in.data;
    }
    // a small buffer is a small limit
    EXPECT_EQ(feed(exact, false, 100, read_request_head), -431);
    EXPECT_EQ(feed(exact, false, 100, httpd::read_request_head), -431);
}

TEST(Lesson03Asm, SendErrorAgrees) {
    const std::string extras[] = {"", "Allow: GET, HEAD\r\n", "Allow: GET, HEAD\r\nLocation: /d/\r\n",
                                  "X: " + std::string(HEAD_MAX - 200, 'x') + "\r\n",   // just fits
                                  "X: " + std::string(HEAD_MAX, 'x') + "\r\n"};        // left out
    for (int status : {400, 403, 404, 405, 414, 431, 500, 501, 505, 200, 299, 0, -1}) {
        for (int is_head : {0, 1}) {
            for (const std::string& extra : extras) {
                std::string label = std::to_string(status) + " head " + std::to_string(is_head) + " extra " +
                                    std::to_string(extra.size());
                std::int64_t ra = -1, rc = -2;
                std::string a = capture([&](int fd) { ra = send_error(fd, status, is_head, extra.data(), extra.size()); });
                std::string c = capture([&](int fd) { rc = httpd::send_error(fd, status, is_head != 0, extra); });
                EXPECT_EQ(a, c) << label;
                // the result: the body bytes that went (0 for HEAD)
                std::size_t head_end = a.find("\r\n\r\n") + 4;
                EXPECT_EQ(ra, static_cast<std::int64_t>(a.size() - head_end)) << label;
                EXPECT_EQ(ra, rc) << label;
                // the extra lines are in the head when they fit (RFC 9110 §15.5.6 needs Allow in a 405)
                if (!extra.empty() && extra.size() < HEAD_MAX / 2) {
                    EXPECT_NE(a.find("\r\n" + extra + "\r\n"), std::string::npos) << label;
                }
                // HEAD: the response ends with the head (RFC 9110 §9.3.2)
                EXPECT_EQ(a.find("\r\n\r\n") + 4 == a.size(), is_head != 0) << label;
            }
        }
    }
    EXPECT_EQ(send_error(-1, 400, 0, "", 0), -EBADF);
    EXPECT_EQ(send_error(-1, 400, 0, "", 0), httpd::send_error(-1, 400, false, ""));
}

TEST(Lesson03Asm, SendEchoAgrees) {
    for (const ParseCase& k : parse_cases()) {
        if (k.status != 0) continue;
        struct request a;
        httpd::Request c;
        ASSERT_EQ(parse_request(k.head.data(), k.head.size(), &a), 0);
        ASSERT_EQ(httpd::parse_request(k.head, c), 0);
        std::string ra = capture([&](int fd) { EXPECT_EQ(send_echo(fd, &a), 0); });
        std::string rc = capture([&](int fd) { EXPECT_EQ(httpd::send_echo(fd, c), 0); });
        EXPECT_EQ(ra, rc) << k.why;
        EXPECT_EQ(ra.substr(0, 17), "HTTP/1.1 200 OK\r\n") << k.why;
    }
}

// ---------------------------------------------------------------------------
// The record functions and the steps: struct exchange against
// httpd::Exchange (tests/support/asm_exchange.hpp runs them side by side).
// ---------------------------------------------------------------------------
using testsupport::Records;
using testsupport::step_both;

// The method policy: 0 for GET and HEAD, 501 for a token not in
// methods.tsv (RFC 9110 §15.6.2), 405 for the other known ones (§15.5.6).
TEST(Lesson03Asm, MethodStatusAgrees) {
    const int get = testsupport::method_id(httpd::Method::GET), head = testsupport::method_id(httpd::Method::HEAD);
    for (int id = -3; id <= testsupport::kMethodLast + 3; ++id) {
        int want = id == get || id == head ? 0 : id == METHOD_OTHER ? 501 : 405;
        EXPECT_EQ(method_status(id), want) << id;
        EXPECT_EQ(method_status(id), httpd::method_status(static_cast<httpd::Method>(id))) << id;
    }
    for (int id : {65536 + get, -65536, 2147483647}) {
        EXPECT_EQ(method_status(id), httpd::method_status(static_cast<httpd::Method>(id))) << id;
    }
}

// reset_request clears the fixed fields (the first REQ_HEADERS bytes),
// leaves headers[] alone, and leaves the record the C++ reset leaves.
TEST(Lesson03Asm, ResetRequestAgrees) {
    std::string head = head_of({"HEAD http://h/p?q HTTP/1.0", "Host: h", "X: y"});
    struct request a;
    httpd::Request c;
    ASSERT_EQ(parse_request(head.data(), head.size(), &a), 0);
    ASSERT_EQ(httpd::parse_request(head, c), 0);
    std::memset(reinterpret_cast<char*>(&a) + REQ_HEADERS, 0x5a, sizeof a - REQ_HEADERS);
    reset_request(&a);
    httpd::reset_request(c);
    const unsigned char* bytes = reinterpret_cast<const unsigned char*>(&a);
    for (std::size_t i = 0; i < REQ_HEADERS; ++i) EXPECT_EQ(bytes[i], 0) << "byte " << i;
    for (std::size_t i = REQ_HEADERS; i < sizeof a; ++i) ASSERT_EQ(bytes[i], 0x5a) << "headers[] touched at " << i;
    EXPECT_EQ(a.method_id, static_cast<std::uint64_t>(c.method_id));
    EXPECT_EQ(a.version_minor, static_cast<std::uint64_t>(c.version_minor));
    EXPECT_EQ(a.is_head, c.is_head ? 1u : 0u);
    EXPECT_EQ(a.header_count, c.header_count);
    EXPECT_EQ(a.path_len, c.path.size());
    EXPECT_EQ(a.query, nullptr);
    EXPECT_TRUE(c.query.empty());
}

TEST(Lesson03Asm, BeginsWithHeadAgrees) {
    const std::string bufs[] = {"HEAD /x", "HEAD ", std::string("HEAD\0\0\0\0", 8), "HEADX", "head ", "HEAd ",
                                "Head /", "HEA", "GET /", "HEAD\t/", " HEAD ", std::string(8, '\0'), "HEAD  "};
    for (const std::string& b : bufs) {
        char buf[16] = {};
        std::memcpy(buf, b.data(), b.size());
        EXPECT_EQ(begins_with_head(buf) != 0, httpd::begins_with_head(buf)) << b;
        EXPECT_EQ(begins_with_head(buf) != 0, b.size() >= 5 && b.compare(0, 5, "HEAD ") == 0) << b;
    }
}

// step_read_head: the head into x.buf and its length into x.head_len;
// nothing sent: STEP_DONE; a head that cannot be read whole: its status,
// with x.req.is_head from the bytes that did arrive.
TEST(Lesson03Asm, StepReadHeadAgrees) {
    std::string start = "GET / HTTP/1.1\r\nHost: x\r\nX: ";
    std::string exact = start + std::string(REQ_HEAD_MAX - start.size() - 4, 'v') + "\r\n\r\n";
    std::string over = start + std::string(REQ_HEAD_MAX - start.size() - 3, 'v') + "\r\n\r\n";
    struct Input {
        std::string prior;   // what an earlier connection left at the start of x.buf
        std::string data;    // what the client sends before it stops sending
        int result;          // lesson 03 rule
        bool is_head;        // when the result is a status
        std::uint64_t head_len;   // when the result is STEP_NEXT
    };
    const Input inputs[] = {
        {"", head_of({"GET / HTTP/1.1", "Host: x"}), STEP_NEXT, false, 27},
        {"", "GET / HTTP/1.0\n\nbody", STEP_NEXT, false, 16},
        {"", "\r\n", 400, false, 0},                      // an empty line is skipped, then closed
        {"", "\r\nGET / HTTP/1.0\n\nbody", STEP_NEXT, false, 18},
        {"", "", STEP_DONE, false, 0},
        {"", "GET / HT", 400, false, 0},
        {"", "HEAD /x HTTP/1.1\r\nHo", 400, true, 0},
        {"", "HEAD ", 400, true, 0},
        {"", "HEAD", 400, false, 0},
        {"HEAD /old", "GE", 400, false, 0},     // the blanked bytes: not what the last client sent
        {"HEAD /old", "", STEP_DONE, false, 0},
        {"", exact, STEP_NEXT, false, REQ_HEAD_MAX},
        {"", over, 431, false, 0},
        {"", "HEAD /" + std::string(REQ_HEAD_MAX, 'a') + " HTTP/1.1\r\n\r\n", 414, true, 0},
        {"", "GET /" + std::string(REQ_HEAD_MAX, 'a') + " HTTP/1.1\r\n\r\n", 414, false, 0},
    };
    for (const Input& in : inputs) {
        Records r;
        r.set_buf(in.prior);
        std::string label = in.prior + "|" + in.data.substr(0, 30);
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_read_head), in.data, label);
        EXPECT_EQ(run.result, in.result) << label;
        EXPECT_EQ(run.wrote, "") << label;
        if (run.result != STEP_DONE && run.result != STEP_NEXT) {
            EXPECT_EQ(r.a->req.is_head, in.is_head ? 1u : 0u) << label;
        }
        if (run.result == STEP_NEXT) { EXPECT_EQ(r.a->head_len, in.head_len) << label; }
    }
    Records r;
    EXPECT_EQ(step_both(r, TWIN_STEP(step_read_head), "", "client gone", true).result, STEP_DONE);
    // a read that fails before the first byte (here: no such descriptor) is no request either
    Records bad;
    bad.a->sock = bad.c->sock = -1;
    EXPECT_EQ(step_read_head(bad.a.get()), STEP_DONE);
    EXPECT_EQ(httpd::step_read_head(*bad.c), STEP_DONE);
}

// step_parse_head: parse_request on x.buf[0 .. x.head_len); its status,
// which never is the method policy's 405 or 501.
TEST(Lesson03Asm, StepParseHeadAgrees) {
    for (const ParseCase& k : parse_cases()) {
        if (k.head.size() > REQ_HEAD_MAX) continue;
        Records r;
        r.set_buf(k.head);
        r.a->head_len = r.c->head_len = k.head.size();
        r.set_linger(0);
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_parse_head), "", k.why);
        // a refused head: what follows it may be unread (RFC 9112 §9.6)
        EXPECT_EQ(r.a->linger, run.result != STEP_NEXT ? 1u : 0u) << k.why;
        // the head's own status, or STEP_NEXT when a later step decides (step_both compared the languages)
        if (run.result != STEP_NEXT) { EXPECT_EQ(run.result, k.status) << k.why; }
        httpd::Request c;
        EXPECT_EQ(run.result, httpd::parse_request(k.head, c)) << k.why;
    }
}

// step_check_method: method_status, and for a 405 the Allow line in
// x.extra (RFC 9110 §15.5.6) -- unless x.extra has no room left.
TEST(Lesson03Asm, StepCheckMethodAgrees) {
    const std::string extras[] = {"", "Location: /a/\r\n", std::string(HEAD_MAX - 10, 'e')};
    for (int id = -1; id <= testsupport::kMethodLast + 2; ++id) {
        for (const std::string& extra : extras) {
            Records r;
            r.set_method_id(id);
            r.set_extra(extra);
            std::string label = "id " + std::to_string(id) + " extra " + std::to_string(extra.size());
            testsupport::StepRun run = step_both(r, TWIN_STEP(step_check_method), "", label);
            EXPECT_EQ(run.result, httpd::method_status(static_cast<httpd::Method>(id))) << label;
            bool allow_added = r.a->extra_len > extra.size();
            EXPECT_EQ(allow_added, run.result == 405 && extra.size() < HEAD_MAX / 2) << label;
            if (allow_added) { EXPECT_EQ(std::string(r.a->extra + extra.size(), 18), "Allow: GET, HEAD\r\n") << label; }
        }
    }
}

// step_echo: send_echo of the parsed request; STEP_DONE (also when the
// client is gone).
TEST(Lesson03Asm, StepEchoAgrees) {
    for (const ParseCase& k : parse_cases()) {
        if (k.status != 0) continue;
        Records r;
        r.set_buf(k.head);
        r.a->head_len = r.c->head_len = k.head.size();
        ASSERT_EQ(step_both(r, TWIN_STEP(step_parse_head), "", k.why).result, STEP_NEXT) << k.why;
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_echo), "", k.why);
        EXPECT_EQ(run.result, STEP_DONE) << k.why;
        EXPECT_EQ(run.wrote.substr(0, 17), "HTTP/1.1 200 OK\r\n") << k.why;
        EXPECT_EQ(step_both(r, TWIN_STEP(step_echo), "", k.why, true).result, STEP_DONE) << k.why;
    }
}

// answer_error: x.status = status, and send_error with x.req.is_head and
// x.extra.
TEST(Lesson03Asm, AnswerErrorAgrees) {
    const std::string extras[] = {"", "Allow: GET, HEAD\r\n"};
    for (int status : {400, 403, 404, 405, 414, 431, 500, 501, 505, 299, -1}) {
        for (bool is_head : {false, true}) {
            for (const std::string& extra : extras) {
                Records r;
                r.set_is_head(is_head);
                r.set_extra(extra);
                std::string label = std::to_string(status) + (is_head ? " HEAD" : " GET") + " extra " +
                                    std::to_string(extra.size());
                testsupport::StepRun run = testsupport::answer_both(r, status, label);
                EXPECT_EQ(r.a->status, static_cast<std::uint64_t>(static_cast<std::int64_t>(status))) << label;
                if (status > 0) {
                    EXPECT_EQ(run.wrote.substr(0, 13), "HTTP/1.1 " + std::to_string(status) + " ") << label;
                }
                EXPECT_EQ(run.wrote.find("\r\n\r\n") + 4 == run.wrote.size(), is_head) << label;
                if (!extra.empty()) { EXPECT_NE(run.wrote.find(extra), std::string::npos) << label; }
            }
        }
    }
}

// Lesson 03's pipeline, as the spine runs it, for every head of the case
// list: the status each answer carries is the table's.
TEST(Lesson03Asm, PipelineAgrees) {
    for (const ParseCase& k : parse_cases()) {
        Records r;
        testsupport::PipelineRun run = testsupport::pipeline_both(r, testsupport::lesson_steps(3), k.head, k.why);
        if (k.head.empty()) {   // nothing sent: no response
            EXPECT_EQ(run.result, STEP_DONE) << k.why;
            EXPECT_EQ(run.response, "") << k.why;
            continue;
        }
        int want = k.status == 0 ? 200 : k.status;
        EXPECT_EQ(run.response.substr(0, 13), "HTTP/1.1 " + std::to_string(want) + " ") << k.why;
        EXPECT_EQ(r.a->status, static_cast<std::uint64_t>(want)) << k.why;
    }
}

// ---------------------------------------------------------------------------
// Framing (Content-Length, Transfer-Encoding) and the lingering close:
// tables of the rules, then seeded random inputs.  The seed is fixed, so
// every run checks the same inputs, and printed with every failure.
// ---------------------------------------------------------------------------
constexpr std::uint32_t kFramingSeed = 20250309;

TEST(Lesson03Asm, ParseContentLengthAgrees) {
    const auto max = static_cast<std::uint64_t>(REQ_CONTENT_LENGTH_MAX);
    // RFC 9110 §8.6: 1*DIGIT; the limit: lesson 03 rule
    const std::pair<std::string, std::int64_t> cases[] = {
        {"0", 0},
        {"5", 5},
        {"007", 7},
        {std::string(30, '0') + "1", 1},
        {std::to_string(max), static_cast<std::int64_t>(max)},
        {std::to_string(max - 1), static_cast<std::int64_t>(max - 1)},
        {std::to_string(max + 1), -400},
        {std::to_string(max) + "0", -400},
        {"18446744073709551615", -400},   // 2^64 - 1
        {"18446744073709551616", -400},   // 2^64: 0 if it wrapped
        {"18446744073709551617", -400},   // 2^64 + 1
        {"18446744073709551621", -400},   // 2^64 + 5: 5 if it wrapped
        {"99999999999999999999999", -400},
        {"", -400},
        {"+5", -400},
        {"-5", -400},
        {"0x10", -400},
        {"1 0", -400},
        {"5,5", -400},
        {"5a", -400},
        {"/", -400},                      // the bytes just below '0' ...
        {":", -400},                      // ... and just above '9'
    };
    for (const auto& [value, expected] : cases) {
        EXPECT_EQ(parse_content_length(value.data(), value.size()), expected) << value;
        EXPECT_EQ(httpd::parse_content_length(value), expected) << value;
    }
    for (int b = 0; b < 256; ++b) {
        std::string value = "1" + std::string(1, static_cast<char>(b)) + "2";
        EXPECT_EQ(parse_content_length(value.data(), value.size()), httpd::parse_content_length(value)) << b;
    }
    // random strings, mostly digits, sometimes a byte that breaks the rule
    std::mt19937 rng(kFramingSeed);
    const std::string alphabet = "012345678901234567890123456789012345678901234567890123456789+- ,x\t;./:";
    for (int i = 0; i < 20000; ++i) {
        std::string value;
        for (std::size_t k = 0, len = rng() % 26; k < len; ++k) value += alphabet[rng() % alphabet.size()];
        std::int64_t a = parse_content_length(value.data(), value.size());
        ASSERT_EQ(a, httpd::parse_content_length(value)) << "seed " << kFramingSeed << " #" << i << ": " << value;
        ASSERT_TRUE(a == -400 || (a >= 0 && static_cast<std::uint64_t>(a) <= max)) << value;
    }
    // numbers near the limit and near 2^64, one digit string each
    for (int i = 0; i < 2000; ++i) {
        std::uint64_t base = i % 2 == 0 ? max : UINT64_MAX;
        std::uint64_t n = base - 1000 + rng() % 2001;   // (wraps past UINT64_MAX on purpose: small numbers)
        std::string value = std::to_string(n) + (rng() % 8 == 0 ? "7" : "");
        ASSERT_EQ(parse_content_length(value.data(), value.size()), httpd::parse_content_length(value))
            << "seed " << kFramingSeed << " near-limit #" << i << ": " << value;
    }
}

TEST(Lesson03Asm, CodingKindAgrees) {
    const std::pair<std::string, int> cases[] = {
        {"chunked", CODING_CHUNKED},       {"CHUNKED", CODING_CHUNKED},   {" \tChunked\t ", CODING_OTHER},
        {"", CODING_EMPTY},                {" \t ", CODING_OTHER},         {"gzip", CODING_OTHER},
        {"chunked;x=1", CODING_OTHER},     {"chunke", CODING_OTHER},      {"chunkedd", CODING_OTHER},
        {"chun ked", CODING_OTHER},        {std::string("chunked\0", 8), CODING_OTHER},
    };
    for (const auto& [element, kind] : cases) {
        EXPECT_EQ(coding_kind(element.data(), element.size()), kind) << element;
        EXPECT_EQ(static_cast<int>(httpd::coding_kind(element)), kind) << element;
    }
    // random case, random OWS around, sometimes one byte changed
    std::mt19937 rng(kFramingSeed + 1);
    const char* bases[] = {"chunked", "gzip", "", "chunk", "identity", "chunkedx"};
    const std::string noise = " \tcChK;,=\"x\x01\x80";
    auto ows = [&] {   // 0-2 bytes of SP or HT (one call of rng() per statement: a fixed order)
        std::size_t n = rng() % 3;
        char c = rng() % 2 ? ' ' : '\t';
        return std::string(n, c);
    };
    for (int i = 0; i < 20000; ++i) {
        std::string e = bases[rng() % 6];
        for (char& ch : e) {
            if (rng() % 2) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        }
        if (!e.empty() && rng() % 4 == 0) {
            std::size_t at = rng() % e.size();
            e[at] = noise[rng() % noise.size()];
        }
        e = ows() + e;
        e += ows();
        ASSERT_EQ(coding_kind(e.data(), e.size()), static_cast<int>(httpd::coding_kind(e)))
            << "seed " << kFramingSeed + 1 << " #" << i << ": [" << e << "]";
    }
}

// Random heads with up to four framing fields: both parsers, then both
// parse_framing (status, body kind, length) and check_transfer_encoding,
// then the method policy (verdict_both does all of it).
TEST(Lesson03Asm, FramingAgreesOnRandomHeads) {
    std::mt19937 rng(kFramingSeed + 2);
    const std::string max = std::to_string(REQ_CONTENT_LENGTH_MAX);
    const std::string over = std::to_string(static_cast<std::uint64_t>(REQ_CONTENT_LENGTH_MAX) + 1);
    const char* names[] = {"Content-Length", "content-LENGTH", "Transfer-Encoding", "TRANSFER-ENCODING", "X-Other"};
    const std::string lengths[] = {"0", "5", "007", "+5", "5,5", "5, 5", "", "18446744073709551616", max, over, "12a"};
    const char* codings[] = {"chunked", "CHUNKED", "gzip", "deflate", "", " chunked ", "identity", "x-y"};
    const char* separators[] = {",", ", ", " ,\t", ",,"};
    int verdicts[600] = {};
    for (int i = 0; i < 3000; ++i) {
        std::string head = rng() % 5 == 0 ? "POST / " : "GET / ";
        head += rng() % 4 == 0 ? "HTTP/1.0\r\n" : "HTTP/1.1\r\nHost: h\r\n";
        for (std::size_t f = 0, fields = rng() % 5; f < fields; ++f) {
            std::size_t n = rng() % 5;
            std::string value;
            if (n < 2) {
                value = lengths[rng() % 11];
            } else if (n < 4) {
                for (std::size_t k = 0, count = 1 + rng() % 3; k < count; ++k) {
                    if (k > 0) value += separators[rng() % 4];
                    value += codings[rng() % 8];
                }
            } else {
                value = "v";
            }
            head += std::string(names[n]) + ": " + value + "\r\n";
        }
        head += "\r\n";
        int verdict = verdict_both(head, "seed " + std::to_string(kFramingSeed + 2) + " #" + std::to_string(i) + "\n" + head);
        ASSERT_TRUE(verdict >= 0 && verdict < 600) << head;
        ++verdicts[verdict];
    }
    // the random heads reached every answer framing can give
    for (int status : {0, 400, 405, 501}) EXPECT_GT(verdicts[status], 0) << status;
}

// step_check_framing on records the earlier steps filled: parse_framing's
// status, and x.linger when body bytes may still be unread.
TEST(Lesson03Asm, StepCheckFramingAgrees) {
    const std::string get = "GET / HTTP/1.1", host = "Host: h";
    struct Case {
        std::string head, body;   // the head and what came after it in the same reads
        int result;
        std::uint64_t linger;
    };
    const Case cases[] = {
        {head_of({get, host}), "", STEP_NEXT, 0},
        {head_of({get, host, "Content-Length: 5"}), "hello", STEP_NEXT, 0},
        {head_of({get, host, "Content-Length: 5"}), "helloGET /", STEP_NEXT, 0},
        {head_of({get, host, "Content-Length: 5"}), "hell", STEP_NEXT, 1},
        {head_of({get, host, "Content-Length: 5"}), "", STEP_NEXT, 1},
        {head_of({get, host, "Content-Length: 0"}), "", STEP_NEXT, 0},
        {head_of({get, host, "Content-Length: " + std::to_string(REQ_CONTENT_LENGTH_MAX)}), "x", STEP_NEXT, 1},
        {head_of({get, host, "Transfer-Encoding: chunked"}), "0\r\n\r\n", STEP_NEXT, 1},
        {head_of({get, host, "Content-Length: 5x"}), "hello", 400, 1},
        {head_of({get, host, "Content-Length: 5", "Content-Length: 5"}), "hello", 400, 1},
        {head_of({get, host, "Transfer-Encoding: gzip"}), "", 400, 1},
        {head_of({get, host, "Transfer-Encoding: gzip, chunked"}), "", 501, 1},
        {head_of({"GET / HTTP/1.0", "Transfer-Encoding: chunked"}), "", 400, 1},
    };
    for (const Case& k : cases) {
        Records r;
        r.set_buf(k.head + k.body);
        r.set_lengths(k.head.size(), k.head.size() + k.body.size());
        r.set_linger(0);   // as step_read_head leaves it for a head that fit
        ASSERT_EQ(step_both(r, TWIN_STEP(step_parse_head), "", k.head).result, STEP_NEXT) << k.head;
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_check_framing), "", k.head);
        EXPECT_EQ(run.result, k.result) << k.head << k.body;
        EXPECT_EQ(r.a->linger, k.linger) << k.head << k.body;
    }
}

// linger_close: nothing without x.linger; else half-close and drop what
// the client sends until it closes, at most LINGER_MAX bytes.
TEST(Lesson03Asm, LingerCloseAgrees) {
    for (std::uint64_t linger : {0u, 1u}) {
        for (std::size_t n : {std::size_t(0), std::size_t(5), std::size_t(REQ_HEAD_MAX), std::size_t(20000),
                              std::size_t(LINGER_MAX + 30000)}) {
            Records r;
            r.set_linger(linger);
            std::string label = "linger " + std::to_string(linger) + " sent " + std::to_string(n);
            testsupport::StepRun run = testsupport::linger_both(r, std::string(n, 'q'), label);
            EXPECT_EQ(static_cast<std::uint64_t>(run.result), linger ? std::min<std::uint64_t>(n, LINGER_MAX) : 0)
                << label;
            EXPECT_EQ(run.wrote, "") << label;
        }
    }
}

// The reason for the lingering close, over real TCP: a response larger
// than the socket buffers and a request body the server never read.  The
// assembly's write_all and linger_close: every byte arrives, then a FIN.
TEST(Lesson03Asm, LingerCloseKeepsTheResponse) {
    const std::string response = testsupport::pattern(8 << 20);
    int fds[2];
    ASSERT_TRUE(testsupport::tcp_pair(fds));
    ASSERT_EQ(httpd::write_all(fds[1], "hello", 5), 0);   // a body nobody reads
    Records r;
    r.a->sock = fds[0];
    r.set_linger(1);
    std::thread server([&] {
        EXPECT_EQ(write_all(fds[0], response.data(), response.size()), 0);
        linger_close(r.a.get());
        ::close(fds[0]);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));   // a slow client: the buffers fill up
    std::string got;
    std::vector<char> buf(1 << 16);
    int end = -1;   // 0: EOF, else errno
    for (;;) {
        ssize_t n = ::read(fds[1], buf.data(), buf.size());
        if (n > 0) {
            got.append(buf.data(), static_cast<std::size_t>(n));
        } else if (n == 0) {
            end = 0;
            break;
        } else if (errno != EINTR) {
            end = errno;
            break;
        }
    }
    ::close(fds[1]);
    server.join();
    EXPECT_EQ(end, 0) << "the connection ended with errno " << end << ", not a FIN";
    EXPECT_EQ(got.size(), response.size());
    EXPECT_TRUE(got == response);
}

}  // namespace
