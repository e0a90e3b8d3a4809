// tests/unit/03-parse_test.cpp -- lesson 03: the C++ request reader and
// parser.  Every expected status comes from RFC 9110 / RFC 9112 or from a
// lesson 03 rule (lessons/03-parse/README.md); the comment (or, in the
// shared case list tests/support/parse_cases.hpp, the `why`) says which.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <pthread.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "../support/parse_cases.hpp"
#include "../support/support.hpp"
#include "03-parse.hpp"
#include "exchange.hpp"

namespace {

using httpd::Method;
using httpd::Request;
using testsupport::capture;
using testsupport::head_of;
using testsupport::ParseCase;

int parse(const std::string& head, Request& req) { return httpd::parse_request(head, req); }

// A head and what parse_request made of it.  The Request's views point
// into `head`, so a Parsed is built in place and never copied or moved.
struct Parsed {
    explicit Parsed(std::string h) : head(std::move(h)) { status = parse(head, req); }
    Parsed(const Parsed&) = delete;
    Parsed& operator=(const Parsed&) = delete;
    std::string head;
    Request req;
    int status = -1;
};

// What lesson 03's steps answer for a head: parse_request's status, then
// parse_framing's (step_check_framing), then the method policy's
// (method_status), in the spine's order.
int status_of(const std::string& head) {
    Request req;
    if (int status = parse(head, req)) return status;
    if (int status = httpd::parse_framing(req)) return status;
    return httpd::method_status(req.method_id);
}

// The shared case list (tests/support/parse_cases.hpp): one entry per rule.
TEST(Lesson03, RfcCaseList) {
    for (const ParseCase& c : testsupport::parse_cases()) {
        EXPECT_EQ(status_of(c.head), c.status) << c.why;
    }
}

TEST(Lesson03, FieldsOfAnOriginFormRequest) {
    std::string head = "GET /a/b?x=1&y HTTP/1.1\r\nHost: example.com\r\nAccept:  text/plain \t\r\n\r\n";
    Request req;
    ASSERT_EQ(parse(head, req), 0);
    EXPECT_EQ(req.method, "GET");
    EXPECT_EQ(req.method_id, Method::GET);
    EXPECT_EQ(req.target, "/a/b?x=1&y");
    EXPECT_EQ(req.path, "/a/b");
    EXPECT_EQ(req.query, "x=1&y");
    EXPECT_EQ(req.version_minor, 1);
    EXPECT_FALSE(req.is_head);
    ASSERT_EQ(req.header_count, 2u);
    EXPECT_EQ(req.headers[0].name, "Host");
    EXPECT_EQ(req.headers[0].value, "example.com");
    EXPECT_EQ(req.headers[1].name, "Accept");
    EXPECT_EQ(req.headers[1].value, "text/plain");   // OWS trimmed (RFC 9110 §5.5)
    // the views point into the caller's buffer
    EXPECT_EQ(req.method.data(), head.data());
    EXPECT_EQ(req.target.data(), head.data() + 4);
}

TEST(Lesson03, QueryAfterTheFirstQuestionMark) {
    Parsed two(head_of({"GET /a?b?c HTTP/1.1", "Host: x"}));
    ASSERT_EQ(two.status, 0);
    EXPECT_EQ(two.req.path, "/a");
    EXPECT_EQ(two.req.query, "b?c");
    Parsed empty(head_of({"GET /a? HTTP/1.1", "Host: x"}));
    ASSERT_EQ(empty.status, 0);
    EXPECT_EQ(empty.req.path, "/a");
    EXPECT_EQ(empty.req.query, "");
}

TEST(Lesson03, AbsoluteFormUsesItsPath) {
    Parsed full(head_of({"GET http://example.com:8080/a/b?q HTTP/1.1", "Host: example.com"}));
    ASSERT_EQ(full.status, 0);
    EXPECT_EQ(full.req.target, "http://example.com:8080/a/b?q");
    EXPECT_EQ(full.req.path, "/a/b");
    EXPECT_EQ(full.req.query, "q");
    Parsed bare(head_of({"GET http://example.com HTTP/1.1", "Host: example.com"}));
    ASSERT_EQ(bare.status, 0);
    EXPECT_EQ(bare.req.path, "/");   // no path means "/" (RFC 9110 §4.2.3)
    EXPECT_EQ(bare.req.query, "");
    Parsed query(head_of({"GET hTtPs://example.com?q=1 HTTP/1.1", "Host: example.com"}));
    ASSERT_EQ(query.status, 0);
    EXPECT_EQ(query.req.path, "/");
    EXPECT_EQ(query.req.query, "q=1");
}

TEST(Lesson03, HeadFlagIsSetEvenWhenParsingFails) {
    // the response to HEAD never has a body, errors included (RFC 9110 §9.3.2)
    Request req;
    EXPECT_EQ(parse(head_of({"HEAD / HTTP/1.1"}), req), 400);   // no Host
    EXPECT_TRUE(req.is_head);
    EXPECT_EQ(parse(head_of({"HEAD / HTTP/2.0", "Host: x"}), req), 505);
    EXPECT_TRUE(req.is_head);
    EXPECT_EQ(parse(head_of({"HEAD /a\x01 HTTP/1.1", "Host: x"}), req), 400);
    EXPECT_TRUE(req.is_head);
    EXPECT_EQ(parse(head_of({"GET / HTTP/1.1"}), req), 400);
    EXPECT_FALSE(req.is_head);
}

TEST(Lesson03, EveryMethodId) {
    const std::pair<const char*, Method> methods[] = {
        {"GET", Method::GET},         {"HEAD", Method::HEAD},       {"POST", Method::POST},
        {"PUT", Method::PUT},         {"DELETE", Method::DELETE},   {"PATCH", Method::PATCH},
        {"OPTIONS", Method::OPTIONS}, {"CONNECT", Method::CONNECT}, {"TRACE", Method::TRACE},
        {"GETS", Method::Other},      {"GE", Method::Other},        {"get", Method::Other},
    };
    for (const auto& [name, id] : methods) {
        Request req;
        EXPECT_EQ(httpd::parse_method(name, req), 0) << name;
        EXPECT_EQ(req.method_id, id) << name;
        EXPECT_EQ(req.is_head, id == Method::HEAD) << name;
    }
    Request req;
    EXPECT_EQ(httpd::parse_method("", req), 400);
    EXPECT_EQ(httpd::parse_method("A B", req), 400);
}

TEST(Lesson03, TargetLimitBoundary) {
    // lesson 03 rule: a target of kTargetLimit bytes is fine, one more is 414
    std::string at_limit = "/" + std::string(httpd::kTargetLimit - 1, 'a');
    std::string over = at_limit + "a";
    Request req;
    EXPECT_EQ(parse(head_of({"GET " + at_limit + " HTTP/1.1", "Host: x"}), req), 0);
    EXPECT_EQ(req.path.size(), httpd::kTargetLimit);
    EXPECT_EQ(status_of(head_of({"GET " + over + " HTTP/1.1", "Host: x"})), 414);
    EXPECT_EQ(status_of(head_of({"HEAD " + over + " HTTP/1.1", "Host: x"})), 414);
    EXPECT_GE(httpd::kTargetLimit, 2048u);   // the issue asks for at least 2 KiB
}

TEST(Lesson03, HeaderCountBoundary) {
    // lesson 03 rule: kMaxHeaders field lines are fine, one more is 431 (RFC 6585 §5)
    std::string at_limit = "GET / HTTP/1.1\r\nHost: x\r\n";
    for (std::size_t i = 1; i < httpd::kMaxHeaders; ++i) at_limit += "X-" + std::to_string(i) + ": v\r\n";
    Request req;
    EXPECT_EQ(parse(at_limit + "\r\n", req), 0);
    EXPECT_EQ(req.header_count, httpd::kMaxHeaders);
    EXPECT_EQ(status_of(at_limit + "X-Last: v\r\n\r\n"), 431);
}

TEST(Lesson03, HeaderLineTrimsAndKeepsNames) {
    Request req;
    EXPECT_EQ(httpd::parse_header_line("X-Name: \t value with  spaces \t ", req), 0);
    EXPECT_EQ(httpd::parse_header_line("empty:", req), 0);
    EXPECT_EQ(httpd::parse_header_line("blank:  \t ", req), 0);
    ASSERT_EQ(req.header_count, 3u);
    EXPECT_EQ(req.headers[0].name, "X-Name");   // as sent
    EXPECT_EQ(req.headers[0].value, "value with  spaces");
    EXPECT_EQ(req.headers[1].value, "");
    EXPECT_EQ(req.headers[2].value, "");
}

TEST(Lesson03, HeaderNameEqualsIgnoresAsciiCaseOnly) {
    EXPECT_TRUE(httpd::equal_ignoring_case("Content-Length", "content-length"));
    EXPECT_TRUE(httpd::equal_ignoring_case("HOST", "host"));
    EXPECT_TRUE(httpd::equal_ignoring_case("", ""));
    EXPECT_FALSE(httpd::equal_ignoring_case("Host", "Hos"));
    EXPECT_FALSE(httpd::equal_ignoring_case("Host", "Hosu"));
    // only A-Z fold: '@' (0x40) and '`' (0x60) differ by 0x20 but are not letters
    EXPECT_FALSE(httpd::equal_ignoring_case("@", "`"));
    EXPECT_FALSE(httpd::equal_ignoring_case("[", "{"));
}

TEST(Lesson03, FindHeaderIgnoresCase) {
    Parsed p(head_of({"GET / HTTP/1.1", "hOST: example.com", "X-One: 1", "x-one: 2"}));
    ASSERT_EQ(p.status, 0);
    const Request& req = p.req;
    const httpd::Header* host = httpd::find_header(req, "Host");
    ASSERT_NE(host, nullptr);
    EXPECT_EQ(host->value, "example.com");
    const httpd::Header* one = httpd::find_header(req, "X-ONE");
    ASSERT_NE(one, nullptr);
    EXPECT_EQ(one->value, "1");   // the first one
    EXPECT_EQ(httpd::find_header(req, "X-Two"), nullptr);
}

TEST(Lesson03, TcharIsExactlyRfc9110) {
    const std::string symbols = "!#$%&'*+-.^_`|~";   // RFC 9110 §5.6.2
    for (int c = 0; c < 256; ++c) {
        bool expected = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c != 0 && symbols.find(static_cast<char>(c)) != std::string::npos);
        EXPECT_EQ(httpd::is_tchar(c), expected) << c;
    }
}

TEST(Lesson03, HostCharIsUriHostAndPort) {
    const std::string symbols = "-._~!$&'()*+,;=%:[]";   // RFC 3986 §3.2.2
    for (int c = 0; c < 256; ++c) {
        bool expected = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c != 0 && symbols.find(static_cast<char>(c)) != std::string::npos);
        EXPECT_EQ(httpd::is_host_char(c), expected) << c;
    }
}

TEST(Lesson03, EchoBodyFormat) {
    std::string head = "GET /a?b HTTP/1.1\r\nHOST: x\r\nX-Y:  z \r\n\r\n";
    Request req;
    ASSERT_EQ(parse(head, req), 0);
    char out[httpd::kEchoMax];
    std::size_t n = httpd::echo_body(req, out, sizeof out);
    EXPECT_EQ(std::string(out, n),
              "method: GET\ntarget: /a?b\npath: /a\nquery: b\nversion: HTTP/1.1\nhost: x\n"
              "header: HOST: x\nheader: X-Y: z\n");
    // HTTP/1.0 without Host: no host line
    Parsed old("GET / HTTP/1.0\r\n\r\n");
    ASSERT_EQ(old.status, 0);
    n = httpd::echo_body(old.req, out, sizeof out);
    EXPECT_EQ(std::string(out, n), "method: GET\ntarget: /\npath: /\nquery: \nversion: HTTP/1.0\n");
}

TEST(Lesson03, EchoBodyFitsTheWorstCase) {
    // the largest head: long target, a Host value filling the rest -- the
    // body must still fit kEchoMax (nothing truncated)
    std::string target = "/" + std::string(httpd::kTargetLimit - 3, 'a') + "?q";
    std::string head = "GET " + target + " HTTP/1.1\r\nHost: ";
    head += std::string(httpd::kHeadLimit - head.size() - 4, 'h') + "\r\n\r\n";
    ASSERT_EQ(head.size(), httpd::kHeadLimit);
    Request req;
    ASSERT_EQ(parse(head, req), 0);
    std::vector<char> out(httpd::kEchoMax);
    std::size_t n = httpd::echo_body(req, out.data(), out.size());
    EXPECT_LT(n, httpd::kEchoMax);
    EXPECT_EQ(std::string(out.data() + n - 2, 2), "h\n");   // ends with the last header line
}

TEST(Lesson03, TextAppendNeverOverflows) {
    char out[8] = {'#', '#', '#', '#', '#', '#', '#', '#'};
    std::size_t pos = httpd::text_append(out, 0, 5, "abc");
    EXPECT_EQ(pos, 3u);
    pos = httpd::text_append(out, pos, 5, "defg");
    EXPECT_EQ(pos, 5u);
    EXPECT_EQ(std::string(out, 8), "abcde###");
}

// ---------------------------------------------------------------------------
// read_request_head over a socketpair
// ---------------------------------------------------------------------------

void send_all(int fd, const std::string& data) { ASSERT_EQ(httpd::write_all(fd, data.data(), data.size()), 0); }

// Send everything, then close the client's sending side; read it back.
std::int64_t read_sent(const std::string& data, std::string* buf_out = nullptr, std::size_t cap = 16384,
                       std::uint64_t* got_out = nullptr) {
    testsupport::SocketPair p;
    send_all(p.client(), data);
    ::shutdown(p.client(), SHUT_WR);
    std::string buf(cap, '\0');
    std::uint64_t got = 0;   // a fresh buffer: nothing in it yet
    std::int64_t n = httpd::read_request_head(p.server(), buf.data(), cap, &got);
    if (buf_out) *buf_out = buf;
    if (got_out) *got_out = got;
    return n;
}

// lesson 03 rule (read_request_head's contract): the *got bytes already
// in buf are scanned before anything is read -- lesson 10 reads the start
// of a head itself and hands the rest of the work to this reader.
TEST(Lesson03, ReadHeadResumesAfterBytesAlreadyInBuf) {
    std::string head = head_of({"GET / HTTP/1.1", "Host: x"});
    for (std::size_t already = 0; already <= head.size(); ++already) {
        testsupport::SocketPair p;
        send_all(p.client(), head.substr(already) + "BODY");   // the rest, then a body
        ::shutdown(p.client(), SHUT_WR);
        std::string buf(4096, '\0');
        head.copy(buf.data(), already);                         // what an earlier step read
        std::uint64_t got = already;
        EXPECT_EQ(httpd::read_request_head(p.server(), buf.data(), buf.size(), &got),
                  static_cast<std::int64_t>(head.size())) << already;
        EXPECT_EQ(buf.substr(0, head.size()), head) << already;
        if (already == head.size()) EXPECT_EQ(got, head.size());   // whole head there: nothing read
        else EXPECT_EQ(got, head.size() + 4) << already;           // else the rest and the body
    }
}

// A full buffer handed over without its empty line: 414 / 431 at once.
TEST(Lesson03, ReadHeadFullBufferHandedOver) {
    std::string line = "GET /" + std::string(REQ_HEAD_MAX, 'a');
    testsupport::SocketPair p;
    std::uint64_t got = REQ_HEAD_MAX;
    EXPECT_EQ(httpd::read_request_head(p.server(), line.data(), REQ_HEAD_MAX, &got), -414);
    std::string fields = "GET / HTTP/1.1\r\nX: " + std::string(REQ_HEAD_MAX, 'a');
    got = REQ_HEAD_MAX;
    EXPECT_EQ(httpd::read_request_head(p.server(), fields.data(), REQ_HEAD_MAX, &got), -431);
    EXPECT_EQ(got, REQ_HEAD_MAX);
}

TEST(Lesson03, ReadHeadAllAtOnce) {
    std::string head = head_of({"GET / HTTP/1.1", "Host: x"});
    EXPECT_EQ(read_sent(head), static_cast<std::int64_t>(head.size()));
}

TEST(Lesson03, ReadHeadLeavesTheBodyAfterIt) {
    std::string head = head_of({"POST / HTTP/1.1", "Host: x", "Content-Length: 5"});
    std::string buf;
    EXPECT_EQ(read_sent(head + "hello", &buf), static_cast<std::int64_t>(head.size()));
    EXPECT_EQ(buf.substr(0, head.size() + 5), head + "hello");
}

TEST(Lesson03, ReadHeadBareLf) {
    EXPECT_EQ(read_sent("GET / HTTP/1.0\n\n"), 16);
    EXPECT_EQ(read_sent("GET / HTTP/1.0\r\n\n"), 17);
    EXPECT_EQ(read_sent("GET / HTTP/1.0\n\r\nrest"), 17);
}

TEST(Lesson03, ReadHeadOneBytePerWrite) {
    // RFC 9112 §2.2 / lesson 03 rule: the head may arrive in any pieces
    std::string head = head_of({"GET /slow HTTP/1.1", "Host: x", "X: y"});
    testsupport::SocketPair p;
    std::thread writer([&] {
        for (char c : head) {
            ASSERT_EQ(::write(p.client(), &c, 1), 1);
            std::this_thread::sleep_for(std::chrono::microseconds(300));
        }
    });
    char buf[8192];
    std::uint64_t got = 0;
    std::int64_t n = httpd::read_request_head(p.server(), buf, sizeof buf, &got);
    writer.join();
    ASSERT_EQ(n, static_cast<std::int64_t>(head.size()));
    EXPECT_EQ(got, head.size());
    Request req;
    EXPECT_EQ(httpd::parse_request(std::string_view(buf, n), req), 0);
    EXPECT_EQ(req.path, "/slow");
}

TEST(Lesson03, ReadHeadNothingSentIsZero) {
    EXPECT_EQ(read_sent(""), 0);   // lesson 03 rule: no response
}

TEST(Lesson03, ReadHeadClosedMidHeadIs400) {
    EXPECT_EQ(read_sent("GET / HTTP/1.1\r\nHost: x\r\n"), -400);
    EXPECT_EQ(read_sent("G"), -400);
    EXPECT_EQ(read_sent("GET / HTTP/1.1\r\n\r"), -400);   // the last LF never came
}

TEST(Lesson03, ReadHeadLimitBoundary) {
    // lesson 03 rule: a head of exactly kHeadLimit bytes (with its empty
    // line) is read; one byte more is 431
    std::string start = "GET / HTTP/1.1\r\nHost: x\r\nX: ";
    std::string exact = start + std::string(httpd::kHeadLimit - start.size() - 4, 'v') + "\r\n\r\n";
    ASSERT_EQ(exact.size(), httpd::kHeadLimit);
    EXPECT_EQ(read_sent(exact), static_cast<std::int64_t>(httpd::kHeadLimit));
    std::string over = start + std::string(httpd::kHeadLimit - start.size() - 3, 'v') + "\r\n\r\n";
    EXPECT_EQ(read_sent(over), -431);
    // the limit holds however big the caller's buffer is ...
    EXPECT_EQ(read_sent(over, nullptr, 65536), -431);
    // ... and a smaller buffer is a smaller limit
    EXPECT_EQ(read_sent(exact, nullptr, 4096), -431);
}

TEST(Lesson03, ReadHeadRequestLineOverTheLimitIs414) {
    // lesson 03 rule: the limit reached before the request line ended
    std::string line = "GET /" + std::string(httpd::kHeadLimit, 'a') + " HTTP/1.1\r\n\r\n";
    EXPECT_EQ(read_sent(line), -414);
}

TEST(Lesson03, ReadHeadRetriesEintr) {
    // a signal without SA_RESTART interrupts read(2) with EINTR; the
    // function must simply read again
    struct sigaction sa = {}, old = {};
    sa.sa_handler = [](int) {};
    sa.sa_flags = 0;   // no SA_RESTART
    ASSERT_EQ(::sigaction(SIGUSR1, &sa, &old), 0);
    std::string head = head_of({"GET / HTTP/1.1", "Host: x"});
    testsupport::SocketPair p;
    pthread_t reader = ::pthread_self();
    std::thread writer([&] {
        for (int i = 0; i < 3; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
            ::pthread_kill(reader, SIGUSR1);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        send_all(p.client(), head);
    });
    char buf[8192];
    std::uint64_t got = 0;
    std::int64_t n = httpd::read_request_head(p.server(), buf, sizeof buf, &got);
    writer.join();
    ::sigaction(SIGUSR1, &old, nullptr);
    EXPECT_EQ(n, static_cast<std::int64_t>(head.size()));
}

// ---------------------------------------------------------------------------
// responses
// ---------------------------------------------------------------------------

std::string header_value(const std::string& response, const std::string& name) {
    std::string key = "\r\n" + name + ": ";
    std::size_t at = response.find(key);
    if (at == std::string::npos) return "(absent)";
    at += key.size();
    return response.substr(at, response.find("\r\n", at) - at);
}

std::string body_of(const std::string& response) {
    std::size_t end = response.find("\r\n\r\n");
    return end == std::string::npos ? "(no head)" : response.substr(end + 4);
}

TEST(Lesson03, SendErrorIsACompleteResponse) {
    // its result: the body bytes that went (lesson 10's access log logs them)
    std::string r = capture([](int fd) { EXPECT_EQ(httpd::send_error(fd, 400, false, ""), 16); });
    EXPECT_EQ(r.substr(0, r.find("\r\n")), "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(header_value(r, "Server"), "metal-httpd");
    EXPECT_EQ(header_value(r, "Connection"), "close");
    EXPECT_EQ(header_value(r, "Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(header_value(r, "Content-Length"), "16");
    EXPECT_EQ(header_value(r, "Allow"), "(absent)");
    EXPECT_EQ(body_of(r), "400 Bad Request\n");
}

TEST(Lesson03, SendErrorCarriesTheExtraFieldLines) {
    std::string r = capture([](int fd) { EXPECT_EQ(httpd::send_error(fd, 405, false, "Allow: GET, HEAD\r\n"), 23); });
    EXPECT_EQ(r.substr(0, r.find("\r\n")), "HTTP/1.1 405 Method Not Allowed");
    EXPECT_EQ(header_value(r, "Allow"), "GET, HEAD");
    EXPECT_EQ(body_of(r), "405 Method Not Allowed\n");
    // before the empty line, after the fields every error has
    EXPECT_NE(r.find("Content-Length: 23\r\nAllow: GET, HEAD\r\n\r\n405"), std::string::npos) << r;
}

TEST(Lesson03, SendErrorLeavesOutExtraLinesThatDoNotFit) {
    // all or nothing (head_add_lines): a head is never cut in the middle of a line
    std::string huge = "X-Big: " + std::string(HEAD_MAX, 'b') + "\r\n";
    std::string r = capture([&](int fd) { EXPECT_EQ(httpd::send_error(fd, 400, false, huge), 16); });
    EXPECT_EQ(header_value(r, "X-Big"), "(absent)");
    EXPECT_EQ(body_of(r), "400 Bad Request\n");
}

TEST(Lesson03, SendErrorReasonPhrases) {
    const std::pair<int, const char*> statuses[] = {
        {414, "URI Too Long"},                          // RFC 9110 §15.5.15
        {431, "Request Header Fields Too Large"},       // RFC 6585 §5
        {501, "Not Implemented"},                       // RFC 9110 §15.6.2
        {505, "HTTP Version Not Supported"},            // RFC 9110 §15.6.6
    };
    for (const auto& [status, reason] : statuses) {
        // A copy, not the binding itself: a lambda may capture a structured
        // binding only from C++20 compilers on (Clang 16, Apple clang 15).
        const int code = status;
        std::string body = std::to_string(status) + " " + reason + "\n";
        const auto body_len = static_cast<std::int64_t>(body.size());
        std::string r = capture([&](int fd) { EXPECT_EQ(httpd::send_error(fd, code, false, ""), body_len); });
        std::string line = "HTTP/1.1 " + std::to_string(status) + " " + reason;
        EXPECT_EQ(r.substr(0, r.find("\r\n")), line);
        EXPECT_EQ(body_of(r), body);
        EXPECT_EQ(header_value(r, "Content-Length"), std::to_string(body.size()));
    }
}

TEST(Lesson03, SendErrorForHeadHasNoBody) {
    // RFC 9110 §9.3.2: the same head as GET, no body -- errors included
    std::string get = capture([](int fd) { EXPECT_EQ(httpd::send_error(fd, 405, false, "Allow: GET, HEAD\r\n"), 23); });
    std::string head = capture([](int fd) { EXPECT_EQ(httpd::send_error(fd, 405, true, "Allow: GET, HEAD\r\n"), 0); });
    EXPECT_EQ(body_of(head), "");
    EXPECT_EQ(head, get.substr(0, get.find("\r\n\r\n") + 4));
}

TEST(Lesson03, SendErrorReportsMinusErrno) { EXPECT_EQ(httpd::send_error(-1, 400, false, ""), -EBADF); }

TEST(Lesson03, SendEchoIs200WithTheBody) {
    std::string head = head_of({"GET /x?y HTTP/1.1", "Host: h"});
    Request req;
    ASSERT_EQ(parse(head, req), 0);
    std::string r = capture([&](int fd) { EXPECT_EQ(httpd::send_echo(fd, req), 0); });
    std::string body = "method: GET\ntarget: /x?y\npath: /x\nquery: y\nversion: HTTP/1.1\nhost: h\nheader: Host: h\n";
    EXPECT_EQ(r.substr(0, r.find("\r\n")), "HTTP/1.1 200 OK");
    EXPECT_EQ(header_value(r, "Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(header_value(r, "Content-Length"), std::to_string(body.size()));
    EXPECT_EQ(body_of(r), body);
}

TEST(Lesson03, SendEchoForHeadHasNoBodyButTheLength) {
    Parsed p(head_of({"HEAD / HTTP/1.1", "Host: h"}));
    ASSERT_EQ(p.status, 0);
    const Request& req = p.req;
    std::string r = capture([&](int fd) { EXPECT_EQ(httpd::send_echo(fd, req), 0); });
    std::string body = "method: HEAD\ntarget: /\npath: /\nquery: \nversion: HTTP/1.1\nhost: h\nheader: Host: h\n";
    EXPECT_EQ(header_value(r, "Content-Length"), std::to_string(body.size()));   // RFC 9110 §8.6
    EXPECT_EQ(body_of(r), "");
}

// ---------------------------------------------------------------------------
// the method policy and the lesson's steps
// ---------------------------------------------------------------------------

TEST(Lesson03, MethodStatusServesGetAndHeadOnly) {
    EXPECT_EQ(httpd::method_status(Method::GET), 0);
    EXPECT_EQ(httpd::method_status(Method::HEAD), 0);
    for (Method m : {Method::POST, Method::PUT, Method::DELETE, Method::PATCH, Method::OPTIONS, Method::CONNECT,
                     Method::TRACE}) {
        EXPECT_EQ(httpd::method_status(m), 405) << static_cast<int>(m);   // RFC 9110 §15.5.6
    }
    EXPECT_EQ(httpd::method_status(Method::Other), 501);                  // RFC 9110 §15.6.2
}

// A fresh record (on the heap: it is 15 KB) whose socket is `sock`.
std::unique_ptr<httpd::Exchange> exchange_on(int sock) {
    static const httpd::Config cfg;
    auto x = std::make_unique<httpd::Exchange>();
    httpd::start_exchange(*x, sock, &cfg);
    return x;
}

TEST(Lesson03, StepCheckMethodAddsAllowTo405Only) {
    auto x = exchange_on(-1);
    x->req.method_id = Method::POST;
    EXPECT_EQ(httpd::step_check_method(*x), 405);
    EXPECT_EQ(std::string(x->extra, x->extra_len), "Allow: GET, HEAD\r\n");
    auto y = exchange_on(-1);
    y->req.method_id = Method::Other;
    EXPECT_EQ(httpd::step_check_method(*y), 501);
    EXPECT_EQ(y->extra_len, 0u);
    auto z = exchange_on(-1);
    z->req.method_id = Method::HEAD;
    EXPECT_EQ(httpd::step_check_method(*z), httpd::kNext);
}

// The first steps over a socket the test writes `request` into:
// step_read_head, step_parse_head, step_check_framing, each while the one
// before it said kNext.
struct ReadAndParse {
    std::unique_ptr<httpd::Exchange> x;
    int read = -1, parsed = -1, framed = -1;
};
ReadAndParse read_and_parse(const std::string& request) {
    int fds[2];
    ReadAndParse out;
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return out;
    (void)!::write(fds[1], request.data(), request.size());
    ::shutdown(fds[1], SHUT_WR);
    out.x = exchange_on(fds[0]);
    out.x->linger = 7;   // garbage: step_read_head must set it
    out.read = httpd::step_read_head(*out.x);
    if (out.read == httpd::kNext) out.parsed = httpd::step_parse_head(*out.x);
    if (out.parsed == httpd::kNext) out.framed = httpd::step_check_framing(*out.x);
    ::close(fds[0]);
    ::close(fds[1]);
    return out;
}

TEST(Lesson03, StepReadHeadThenParseHead) {
    ReadAndParse r = read_and_parse("GET /a?b HTTP/1.1\r\nHost: h\r\n\r\n");
    ASSERT_EQ(r.read, httpd::kNext);
    EXPECT_EQ(r.x->head_len, 30u);   // every byte up to and including the empty line
    EXPECT_EQ(r.x->read_len, 30u);   // and nothing after it
    EXPECT_EQ(r.x->linger, 0u);
    EXPECT_EQ(r.parsed, httpd::kNext);
    EXPECT_EQ(r.x->req.path, "/a");
    EXPECT_EQ(r.x->req.query, "b");
}

TEST(Lesson03, StepReadHeadStopsSilentlyWhenNothingCame) {
    EXPECT_EQ(read_and_parse("").read, httpd::kDone);   // no response is due
}

TEST(Lesson03, StepReadHeadKnowsHeadFromTheFirstBytes) {
    // cut off in the middle of the head: 400, and a HEAD must not get a body
    ReadAndParse head = read_and_parse("HEAD / HTTP/1.1\r\nHo");
    EXPECT_EQ(head.read, 400);
    EXPECT_TRUE(head.x->req.is_head);
    ReadAndParse get = read_and_parse("GET / HTTP/1.1\r\nHo");
    EXPECT_EQ(get.read, 400);
    EXPECT_FALSE(get.x->req.is_head);
    ReadAndParse short_ = read_and_parse("HEA");   // fewer than 5 bytes: the blanked bytes say no
    EXPECT_EQ(short_.read, 400);
    EXPECT_FALSE(short_.x->req.is_head);
}

TEST(Lesson03, StepParseHeadReturnsParseRequestsStatus) {
    EXPECT_EQ(read_and_parse("GET / HTTP/2.0\r\nHost: h\r\n\r\n").parsed, 505);
    EXPECT_EQ(read_and_parse("GET / HTTP/1.1\r\n\r\n").parsed, 400);   // no Host
    EXPECT_EQ(read_and_parse("POST / HTTP/1.1\r\nHost: h\r\n\r\n").parsed, httpd::kNext);   // step_check_method's business
}

// A head the parser refuses says nothing trustworthy about a body: the
// lingering close must drain whatever the client still sends (RFC 9112
// §9.6), whichever step answered -- not only step_check_framing's.
TEST(Lesson03, StepParseHeadLingersAfterAnError) {
    ReadAndParse bad = read_and_parse("POST / HTTP/1.1\r\nHost: h\r\nNo colon\r\nContent-Length: 5\r\n\r\n");
    EXPECT_EQ(bad.parsed, 400);
    EXPECT_EQ(bad.x->linger, 1u);
    ReadAndParse version = read_and_parse("GET / HTTP/2.0\r\nHost: h\r\n\r\n");
    EXPECT_EQ(version.parsed, 505);
    EXPECT_EQ(version.x->linger, 1u);
    ReadAndParse good = read_and_parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    EXPECT_EQ(good.parsed, httpd::kNext);
    EXPECT_EQ(good.x->linger, 0u);   // step_check_framing decides
}

TEST(Lesson03, AnswerErrorSendsTheStatusWithTheExtraLines) {
    std::string r = capture([](int fd) {
        auto x = exchange_on(fd);
        x->req.is_head = true;
        httpd::add_extra(*x, "Allow", "GET, HEAD");
        httpd::answer_error(*x, 405);
        EXPECT_EQ(x->status, 405u);
    });
    EXPECT_EQ(r, "HTTP/1.1 405 Method Not Allowed\r\nServer: metal-httpd\r\nConnection: close\r\n"
                 "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 23\r\nAllow: GET, HEAD\r\n\r\n");
}

// ---------------------------------------------------------------------------
// empty lines before the request line, and what read_request_head reports
// ---------------------------------------------------------------------------

TEST(Lesson03, ReadHeadSkipsLeadingEmptyLines) {
    std::string head = head_of({"GET / HTTP/1.1", "Host: x"});
    // RFC 9112 §2.2: an empty line before the request line does not end the head
    EXPECT_EQ(read_sent("\r\n" + head), static_cast<std::int64_t>(2 + head.size()));
    EXPECT_EQ(read_sent("\n" + head), static_cast<std::int64_t>(1 + head.size()));
    std::string most = testsupport::empty_lines(httpd::kLeadingEmptyMax);
    EXPECT_EQ(read_sent(most + head), static_cast<std::int64_t>(most.size() + head.size()));
    // lesson 03 rule: one more, and that empty line ends the "head" --
    // which parse_request then rejects
    std::string over = testsupport::empty_lines(httpd::kLeadingEmptyMax + 1);
    std::string buf;
    std::int64_t n = read_sent(over + head, &buf);
    ASSERT_EQ(n, static_cast<std::int64_t>(over.size()));
    Request req;
    EXPECT_EQ(httpd::parse_request(std::string_view(buf.data(), static_cast<std::size_t>(n)), req), 400);
    // empty lines, then the client closes: a head cut off
    EXPECT_EQ(read_sent("\r\n"), -400);
    EXPECT_EQ(read_sent(most), -400);
}

TEST(Lesson03, ReadHeadLimitAfterLeadingEmptyLines) {
    // the limit reached in the request line is still 414 when empty lines
    // came before it (its line does not start at byte 0) ...
    EXPECT_EQ(read_sent("\r\n\nGET /" + std::string(httpd::kHeadLimit, 'a') + " HTTP/1.1\r\n\r\n"), -414);
    // ... and in a field line 431
    EXPECT_EQ(read_sent("\r\nGET / HTTP/1.1\r\nX: " + std::string(httpd::kHeadLimit, 'v') + "\r\n\r\n"), -431);
}

TEST(Lesson03, ReadHeadReportsEveryByteRead) {
    std::string head = head_of({"POST / HTTP/1.1", "Host: x", "Content-Length: 5"});
    std::uint64_t got = 0;
    EXPECT_EQ(read_sent(head + "hello", nullptr, 16384, &got), static_cast<std::int64_t>(head.size()));
    EXPECT_EQ(got, head.size() + 5);   // the body that came with the head
    EXPECT_EQ(read_sent("", nullptr, 16384, &got), 0);
    EXPECT_EQ(got, 0u);
    EXPECT_EQ(read_sent("GET / HT", nullptr, 16384, &got), -400);
    EXPECT_EQ(got, 8u);
    std::string big = "GET / HTTP/1.1\r\nX: " + std::string(2 * httpd::kHeadLimit, 'v');
    EXPECT_EQ(read_sent(big, nullptr, 65536, &got), -431);
    EXPECT_EQ(got, httpd::kHeadLimit);   // never more than the limit
}

TEST(Lesson03, FragmentIsRejectedInEveryForm) {
    // RFC 9112 §3.2 / RFC 3986 §3.5: '#' never reaches a server
    for (const char* t : {"/a#b", "/#", "/a?b#c", "http://h/a#b", "http://h#b", "https://h?q#f", "#"}) {
        Request req;
        EXPECT_EQ(httpd::parse_target(t, req), 400) << t;
    }
    Request connect;
    connect.method_id = Method::CONNECT;
    EXPECT_EQ(httpd::parse_target("h#:80", connect), 400);
    Request encoded;
    EXPECT_EQ(httpd::parse_target("/a%23b", encoded), 0);   // RFC 3986 §2.1: just bytes of the path
    EXPECT_EQ(encoded.path, "/a%23b");
    // 414 first: the length is checked before anything else
    Request long_one;
    EXPECT_EQ(httpd::parse_target("/#" + std::string(httpd::kTargetLimit, 'a'), long_one), 414);
}

// ---------------------------------------------------------------------------
// framing: Content-Length, Transfer-Encoding
// ---------------------------------------------------------------------------

TEST(Lesson03, ContentLengthIsDigitsOnly) {
    // RFC 9110 §8.6: Content-Length = 1*DIGIT; the limit is a lesson 03 rule
    const auto max = static_cast<std::int64_t>(httpd::kContentLengthMax);
    const std::pair<std::string, std::int64_t> cases[] = {
        {"0", 0},
        {"5", 5},
        {"007", 7},
        {"1234567890", 1234567890},
        {std::string(40, '0') + "9", 9},                  // many leading zeros: still 9
        {std::to_string(max), max},
        {std::to_string(max + 1), -400},
        {std::to_string(max) + "0", -400},
        {"18446744073709551615", -400},                   // 2^64 - 1
        {"18446744073709551616", -400},                   // 2^64: 0 if it wrapped
        {"18446744073709551617", -400},                   // 2^64 + 1: 1 if it wrapped
        {"18446744073709551621", -400},                   // 2^64 + 5: 5 if it wrapped
        {"36893488147419103237", -400},                   // 2^65 + 5: 5 if it wrapped
        {"99999999999999999999999", -400},
        {"", -400},
        {"+5", -400},
        {"-5", -400},
        {"0x10", -400},
        {"1 0", -400},
        {" 5", -400},                                     // parse_header_line trims; this function does not
        {"5 ", -400},
        {"5,5", -400},
        {"5, 5", -400},
        {"5a", -400},
        {"a5", -400},
        {"5.0", -400},
        {"\xd9\xa5", -400},                               // ARABIC-INDIC DIGIT FIVE: not an ASCII DIGIT
    };
    for (const auto& [value, expected] : cases) {
        EXPECT_EQ(httpd::parse_content_length(value), expected) << value;
    }
}

TEST(Lesson03, ContentLengthEveryByte) {
    for (int b = 0; b < 256; ++b) {
        std::string value = "1" + std::string(1, static_cast<char>(b)) + "2";
        bool digit = b >= '0' && b <= '9';
        EXPECT_EQ(httpd::parse_content_length(value), digit ? 102 + 10 * (b - '0') : -400) << b;
    }
}

TEST(Lesson03, CodingKind) {
    using httpd::Coding;
    const std::pair<std::string_view, Coding> cases[] = {
        {"chunked", Coding::Chunked},     {"CHUNKED", Coding::Chunked},   // RFC 9112 §7: case-insensitive
        {"ChunKed", Coding::Chunked},     {" chunked", Coding::Other},     // OWS: next_list_element's job
        {"", Coding::Empty},              {" \t ", Coding::Other},         // RFC 9110 §5.6.1
        {"gzip", Coding::Other},          {"identity", Coding::Other},
        {"chunked;x=1", Coding::Other},   {"chunk", Coding::Other},
        {"chunkedx", Coding::Other},      {"chun ked", Coding::Other},
        {"\"chunked\"", Coding::Other},   {std::string_view("chunked\0", 8), Coding::Other},
    };
    for (const auto& [element, kind] : cases) {
        EXPECT_EQ(httpd::coding_kind(element), kind) << element;
    }
}

// next_list_element: RFC 9110 §5.6.1's #element, one element at a time.
TEST(Lesson03, NextListElement) {
    struct Case {
        std::string_view list;
        std::string_view element;   // without the OWS around it
        std::size_t used;           // the element and its comma
    };
    const Case cases[] = {
        {"chunked", "chunked", 7},           {"gzip, chunked", "gzip", 5},
        {" chunked \t", "chunked \t", 10},  // the last: OWS after it is not dropped
        {" \tgzip \t, chunked", "gzip", 9}, {", x", "", 1},            // an empty element (§5.6.1.2)
        {" \t ", "", 3},                    {"", "", 0},
        {"a b ,c", "a b", 5},                {",", "", 1},              // OWS inside stays
        {"0-1 ,\t2-3", "0-1", 5},           {"x,,", "x", 2},
    };
    for (const Case& c : cases) {
        std::string_view element = "unset";
        EXPECT_EQ(httpd::next_list_element(c.list, &element), c.used) << c.list;
        EXPECT_EQ(element, c.element) << c.list;
    }
    // a whole list, element by element: what check_transfer_encoding and
    // parse_range walk
    std::string_view rest = "gzip ,, \tchunked\t,";
    std::vector<std::string_view> got;
    while (!rest.empty()) {
        std::string_view element;
        rest.remove_prefix(httpd::next_list_element(rest, &element));
        got.push_back(element);
    }
    EXPECT_EQ(got, (std::vector<std::string_view>{"gzip", "", "chunked"}));
}

// count_header: none, one, or two and more (check_host and lesson 07's
// single_header both ask it).
TEST(Lesson03, CountHeaderThreeWays) {
    Parsed p(head_of({"GET / HTTP/1.1", "hOsT: h", "X-A: 1", "x-a: 2", "X-A: 3", "Accept: t"}));
    EXPECT_EQ(httpd::count_header(p.req, "Host"), 1);
    EXPECT_EQ(httpd::count_header(p.req, "x-A"), 2);      // three: "two or more"
    EXPECT_EQ(httpd::count_header(p.req, "Accept"), 1);
    EXPECT_EQ(httpd::count_header(p.req, "Range"), 0);
    EXPECT_EQ(httpd::count_header(p.req, "X-"), 0);       // a prefix is another name
}

TEST(Lesson03, ParseFramingRecordsTheBody) {
    Parsed none(head_of({"GET / HTTP/1.1", "Host: x"}));
    none.req.body_kind = httpd::Body::Chunked;   // left over: parse_framing starts afresh
    none.req.content_length = 9;
    EXPECT_EQ(httpd::parse_framing(none.req), 0);
    EXPECT_EQ(none.req.body_kind, httpd::Body::None);
    EXPECT_EQ(none.req.content_length, 0u);
    Parsed length(head_of({"PUT /f HTTP/1.1", "Host: x", "Content-Length:  42 "}));
    EXPECT_EQ(httpd::parse_framing(length.req), 0);
    EXPECT_EQ(length.req.body_kind, httpd::Body::Length);
    EXPECT_EQ(length.req.content_length, 42u);
    Parsed chunked(head_of({"POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked"}));
    EXPECT_EQ(httpd::parse_framing(chunked.req), 0);
    EXPECT_EQ(chunked.req.body_kind, httpd::Body::Chunked);
    EXPECT_EQ(chunked.req.content_length, 0u);
    Parsed bad(head_of({"GET / HTTP/1.1", "Host: x", "Content-Length: 4x"}));
    EXPECT_EQ(httpd::parse_framing(bad.req), 400);
    EXPECT_EQ(bad.req.body_kind, httpd::Body::None);
    Parsed gzip(head_of({"GET / HTTP/1.1", "Host: x", "Transfer-Encoding: gzip, chunked"}));
    EXPECT_EQ(httpd::parse_framing(gzip.req), 501);
    EXPECT_EQ(gzip.req.body_kind, httpd::Body::None);
    // reset_request clears both, as parse_request does
    httpd::reset_request(length.req);
    EXPECT_EQ(length.req.body_kind, httpd::Body::None);
    EXPECT_EQ(length.req.content_length, 0u);
}

TEST(Lesson03, CheckTransferEncodingReadsEveryField) {
    // RFC 9110 §5.3: several fields with one name are one list, in order
    const std::pair<std::vector<std::string>, int> cases[] = {
        {{"chunked"}, 0},
        {{"gzip", "chunked"}, 501},
        {{"", "chunked"}, 0},
        {{"chunked", ""}, 0},
        {{"chunked", "gzip"}, 400},
        {{"chunked", "chunked"}, 400},
        {{"gzip", "deflate"}, 400},
        {{"gzip, chunked", "chunked"}, 400},
        {{""}, 400},
    };
    for (const auto& [values, expected] : cases) {
        std::vector<std::string> lines = {"GET / HTTP/1.1", "Host: x", "X-Other: chunked"};
        for (const std::string& v : values) lines.push_back("Transfer-Encoding: " + v);
        std::string head;
        for (const std::string& l : lines) head += l + "\r\n";
        Parsed p(head + "\r\n");
        ASSERT_EQ(p.status, 0);
        EXPECT_EQ(httpd::check_transfer_encoding(p.req), expected) << head;
    }
}

TEST(Lesson03, StepCheckFramingLingersWhenBodyBytesMayBeUnread) {
    const std::string head = head_of({"GET / HTTP/1.1", "Host: h", "Content-Length: 5"});
    struct Case {
        const char* why;
        std::string sent;
        int status;
        std::uint64_t linger;
    };
    const Case cases[] = {
        {"no body", head_of({"GET / HTTP/1.1", "Host: h"}), httpd::kNext, 0},
        {"the whole body came with the head", head + "hello", httpd::kNext, 0},
        {"more than the body came", head + "helloGET", httpd::kNext, 0},
        {"part of the body came", head + "hel", httpd::kNext, 1},
        {"none of the body came", head, httpd::kNext, 1},
        {"Content-Length: 0", head_of({"GET / HTTP/1.1", "Host: h", "Content-Length: 0"}), httpd::kNext, 0},
        {"chunked: its end is not looked for",
         head_of({"GET / HTTP/1.1", "Host: h", "Transfer-Encoding: chunked"}) + "0\r\n\r\n", httpd::kNext, 1},
        {"an invalid Content-Length: the body's length is unknown",
         head_of({"GET / HTTP/1.1", "Host: h", "Content-Length: 5x"}) + "hello", 400, 1},
        {"gzip, chunked", head_of({"GET / HTTP/1.1", "Host: h", "Transfer-Encoding: gzip, chunked"}), 501, 1},
        {"two Content-Length fields",
         head_of({"GET / HTTP/1.1", "Host: h", "Content-Length: 5", "Content-Length: 5"}) + "hello", 400, 1},
    };
    for (const Case& c : cases) {
        ReadAndParse r = read_and_parse(c.sent);
        ASSERT_EQ(r.read, httpd::kNext) << c.why;
        ASSERT_EQ(r.parsed, httpd::kNext) << c.why;
        EXPECT_EQ(r.x->read_len, c.sent.size()) << c.why;
        EXPECT_EQ(r.framed, c.status) << c.why;
        EXPECT_EQ(r.x->linger, c.linger) << c.why;
    }
}

TEST(Lesson03, StepReadHeadLingersWhenTheHeadIsTooLong) {
    // 414 / 431: bytes of the head are still unread (lesson 03 rule)
    ReadAndParse fields = read_and_parse("GET / HTTP/1.1\r\nX: " + std::string(httpd::kHeadLimit, 'v') + "\r\n\r\n");
    EXPECT_EQ(fields.read, 431);
    EXPECT_EQ(fields.x->linger, 1u);
    EXPECT_EQ(fields.x->read_len, httpd::kHeadLimit);
    ReadAndParse line = read_and_parse("GET /" + std::string(httpd::kHeadLimit, 'a') + " HTTP/1.1\r\n\r\n");
    EXPECT_EQ(line.read, 414);
    EXPECT_EQ(line.x->linger, 1u);
    // closed in the middle: the client is done sending, nothing to drain
    ReadAndParse cut = read_and_parse("GET / HTTP/1.1\r\nHo");
    EXPECT_EQ(cut.read, 400);
    EXPECT_EQ(cut.x->linger, 0u);
    EXPECT_EQ(cut.x->read_len, 18u);
    ReadAndParse nothing = read_and_parse("");
    EXPECT_EQ(nothing.read, httpd::kDone);
    EXPECT_EQ(nothing.x->linger, 0u);
    EXPECT_EQ(nothing.x->read_len, 0u);
}

// ---------------------------------------------------------------------------
// linger_close: half-close, drain, and why
// ---------------------------------------------------------------------------

TEST(Lesson03, LingerCloseDoesNothingWithoutTheFlag) {
    testsupport::SocketPair p;
    send_all(p.client(), "abc");
    auto x = exchange_on(p.server());
    x->linger = 0;
    EXPECT_EQ(httpd::linger_close(*x), 0u);
    char c[8];
    EXPECT_EQ(::recv(p.server(), c, sizeof c, MSG_DONTWAIT), 3);    // nothing was read ...
    EXPECT_EQ(::recv(p.client(), c, sizeof c, MSG_DONTWAIT), -1);   // ... and no half-close: no EOF
    EXPECT_EQ(errno, EAGAIN);
}

TEST(Lesson03, LingerCloseHalfClosesThenDrains) {
    testsupport::SocketPair p;
    auto x = exchange_on(p.server());
    x->linger = 1;
    std::string seen = "(nothing)";
    std::thread client([&] {
        std::string rest(20000, 'b');   // the rest of a body
        EXPECT_EQ(httpd::write_all(p.client(), rest.data(), rest.size()), 0);
        seen = testsupport::read_all(p.client());   // ends at the server's FIN
        ::shutdown(p.client(), SHUT_WR);            // and then the client is done too
    });
    EXPECT_EQ(httpd::linger_close(*x), 20000u);
    client.join();
    EXPECT_EQ(seen, "");
}

TEST(Lesson03, LingerCloseStopsAtTheLimit) {
    // lesson 03 rule: a client that never stops sending does not hold the
    // child for ever -- only until kLingerMax bytes are dropped
    testsupport::SocketPair p;
    auto x = exchange_on(p.server());
    x->linger = 1;
    std::thread client([&] {
        std::string chunk(65536, 'z');
        while (::send(p.client(), chunk.data(), chunk.size(), MSG_NOSIGNAL) > 0) {}
    });
    EXPECT_EQ(httpd::linger_close(*x), httpd::kLingerMax);
    ::shutdown(p.server(), SHUT_RDWR);   // the client's next send fails: it stops
    client.join();
}

TEST(Lesson03, LingerCloseRetriesEintr) {
    struct sigaction sa = {}, old = {};
    sa.sa_handler = [](int) {};
    sa.sa_flags = 0;   // no SA_RESTART: read(2) fails with EINTR
    ASSERT_EQ(::sigaction(SIGUSR1, &sa, &old), 0);
    testsupport::SocketPair p;
    auto x = exchange_on(p.server());
    x->linger = 1;
    pthread_t drainer = ::pthread_self();
    std::thread client([&] {
        for (int i = 0; i < 3; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
            ::pthread_kill(drainer, SIGUSR1);
        }
        send_all(p.client(), "tail");
        ::shutdown(p.client(), SHUT_WR);
    });
    EXPECT_EQ(httpd::linger_close(*x), 4u);
    client.join();
    ::sigaction(SIGUSR1, &old, nullptr);
}

// What the client of a big response sees when the server leaves a request
// body unread: every byte it got, and how the connection ended.
struct ClientEnd {
    std::string got;
    bool eof = false;    // read returned 0: a FIN
    int error = 0;       // or read failed: errno (ECONNRESET: a RST)
};

// Over real TCP: the client sends a body the server never reads, the
// server writes `response` (bigger than the socket buffers: it blocks
// until the client reads) and then either lingers or just closes.
ClientEnd big_response_over_unread_body(const std::string& response, bool linger) {
    ClientEnd end;
    int fds[2];
    if (!testsupport::tcp_pair(fds)) {
        ADD_FAILURE() << "tcp_pair";
        return end;
    }
    send_all(fds[1], "hello");   // a body: the server never asks for it
    std::thread server([&] {
        auto x = exchange_on(fds[0]);
        x->linger = linger ? 1 : 0;
        EXPECT_EQ(httpd::write_all(fds[0], response.data(), response.size()), 0);
        httpd::linger_close(*x);
        ::close(fds[0]);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));   // a slow client: the buffers fill up
    std::vector<char> buf(1 << 16);
    for (;;) {
        ssize_t n = ::read(fds[1], buf.data(), buf.size());
        if (n > 0) {
            end.got.append(buf.data(), static_cast<std::size_t>(n));
        } else if (n == 0) {
            end.eof = true;
            break;
        } else if (errno != EINTR) {
            end.error = errno;
            break;
        }
    }
    ::close(fds[1]);
    server.join();
    return end;
}

TEST(Lesson03, LingerCloseKeepsTheResponse) {
    // RFC 9112 §9.6: half-close, drain, close -- the response arrives
    // whole and ends with a FIN
    const std::string response = testsupport::pattern(8 << 20);
    ClientEnd end = big_response_over_unread_body(response, true);
    EXPECT_TRUE(end.eof) << "errno " << end.error;
    EXPECT_EQ(end.got.size(), response.size());
    EXPECT_TRUE(end.got == response);
}

#ifdef __linux__
TEST(Lesson03, WithoutLingerTheUnreadBodyResetsTheConnection) {
    // Why linger_close exists: Linux's __tcp_close() (net/ipv4/tcp.c)
    // answers a close with unread data by a RST instead of a FIN (RFC 2525
    // §2.17) and drops whatever was still queued for sending.  The client
    // sees ECONNRESET, never a clean end, and usually loses the response's
    // tail.  (XNU's tcp_disconnect() in bsd/netinet/tcp_usrreq.c drops the
    // connection the same way; this test runs where it was checked.)
    const std::string response = testsupport::pattern(8 << 20);
    ClientEnd end = big_response_over_unread_body(response, false);
    EXPECT_FALSE(end.eof);
    EXPECT_EQ(end.error, ECONNRESET);
}
#endif

}  // namespace
