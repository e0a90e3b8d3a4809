// tests/asm/03-parse_test.cpp -- lesson 03: the assembly reader, parser,
// responses and steps against their C++ twins.  The same input goes to
// both; every status and every field of the request record (and of the
// struct exchange, for the steps) must agree, and the statuses of the
// shared case list (tests/support/parse_cases.hpp) must be the ones RFC
// 9110 / RFC 9112 (or a lesson 03 rule) require.
#include <gtest/gtest.h>

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

// What the server answers a head with: parse_request's status, or -- for
// a well-formed head -- the method policy's (method_status).  Both
// languages decide each part; they must agree on both.
int verdict_both(const std::string& head, const std::string& label) {
    struct request a;
    int status = parse_both(head, label);
    if (status != 0) return status;
    httpd::Request c;
    parse_request(head.data(), head.size(), &a);
    httpd::parse_request(head, c);
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
        EXPECT_EQ(in_target, control || b == ' ' ? 400 : 0) << label;   // SP: a third part
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
// and call read_request_head (asm or C++) on the other end.
template <typename Reader>
std::int64_t feed(const std::string& data, bool trickle, std::size_t cap, Reader&& reader) {
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
    std::int64_t n = reader(p.server(), buf.data(), cap);
    writer.join();
    return n;
}

TEST(Lesson03Asm, ReadRequestHeadAgrees) {
    std::string start = "GET / HTTP/1.1\r\nHost: x\r\nX: ";
    std::string exact = start + std::string(REQ_HEAD_MAX - start.size() - 4, 'v') + "\r\n\r\n";
    std::string over = start + std::string(REQ_HEAD_MAX - start.size() - 3, 'v') + "\r\n\r\n";
    struct Input {
        std::string data;
        std::int64_t expected;   // lesson 03 rule
    };
    const Input inputs[] = {
        {head_of({"GET / HTTP/1.1", "Host: x"}), 27},
        {"GET / HTTP/1.0\n\n", 16},
        {"GET / HTTP/1.0\r\n\nbody", 17},
        {"\r\n", 2},
        {"", 0},
        {"GET / HT", -400},
        {"GET / HTTP/1.1\r\nHost: x\r\n", -400},
        {exact, REQ_HEAD_MAX},
        {over, -431},
        {"GET /" + std::string(REQ_HEAD_MAX, 'a') + " HTTP/1.1\r\n\r\n", -414},
    };
    for (const Input& in : inputs) {
        for (std::size_t cap : {std::size_t(REQ_HEAD_MAX), std::size_t(2 * REQ_HEAD_MAX)}) {
            std::int64_t a = feed(in.data, false, cap, read_request_head);
            std::int64_t c = feed(in.data, false, cap, httpd::read_request_head);
            EXPECT_EQ(a, in.expected) << in.data.substr(0, 40);
            EXPECT_EQ(a, c) << in.data.substr(0, 40);
        }
    }
    // one byte per write (short inputs: each byte is a round trip under qemu)
    const Input trickled[] = {
        {head_of({"GET /t HTTP/1.1", "Host: x"}), 28},
        {"GET /\n\n", 7},
        {"GET / HTTP/1.1\r\nHo", -400},
    };
    for (const Input& in : trickled) {
        std::int64_t a = feed(in.data, true, REQ_HEAD_MAX, read_request_head);
        EXPECT_EQ(a, in.expected) << in.data;
        EXPECT_EQ(a, feed(in.data, true, REQ_HEAD_MAX, httpd::read_request_head)) << in.data;
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
                std::string a = capture([&](int fd) {
                    EXPECT_EQ(send_error(fd, status, is_head, extra.data(), extra.size()), 0) << label;
                });
                std::string c = capture([&](int fd) {
                    EXPECT_EQ(httpd::send_error(fd, status, is_head != 0, extra), 0) << label;
                });
                EXPECT_EQ(a, c) << label;
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
        {"", "\r\n", STEP_NEXT, false, 2},
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
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_parse_head), "", k.why);
        EXPECT_EQ(run.result, k.status == 405 || k.status == 501 ? STEP_NEXT : k.status) << k.why;
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
        testsupport::PipelineRun run = testsupport::pipeline_both(r, testsupport::lesson03_steps(), k.head, k.why);
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

}  // namespace
