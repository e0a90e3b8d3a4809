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

// What lesson 03's steps answer for a head: parse_request's status, or,
// for a well-formed head, the method policy's (method_status).
int status_of(const std::string& head) {
    Request req;
    if (int status = parse(head, req)) return status;
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
std::int64_t read_sent(const std::string& data, std::string* buf_out = nullptr, std::size_t cap = 16384) {
    testsupport::SocketPair p;
    send_all(p.client(), data);
    ::shutdown(p.client(), SHUT_WR);
    std::string buf(cap, '\0');
    std::int64_t n = httpd::read_request_head(p.server(), buf.data(), cap);
    if (buf_out) *buf_out = buf;
    return n;
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
    std::int64_t n = httpd::read_request_head(p.server(), buf, sizeof buf);
    writer.join();
    ASSERT_EQ(n, static_cast<std::int64_t>(head.size()));
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
    std::int64_t n = httpd::read_request_head(p.server(), buf, sizeof buf);
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
    std::string r = capture([](int fd) { EXPECT_EQ(httpd::send_error(fd, 400, false, ""), 0); });
    EXPECT_EQ(r.substr(0, r.find("\r\n")), "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(header_value(r, "Server"), "metal-httpd");
    EXPECT_EQ(header_value(r, "Connection"), "close");
    EXPECT_EQ(header_value(r, "Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(header_value(r, "Content-Length"), "16");
    EXPECT_EQ(header_value(r, "Allow"), "(absent)");
    EXPECT_EQ(body_of(r), "400 Bad Request\n");
}

TEST(Lesson03, SendErrorCarriesTheExtraFieldLines) {
    std::string r = capture([](int fd) { EXPECT_EQ(httpd::send_error(fd, 405, false, "Allow: GET, HEAD\r\n"), 0); });
    EXPECT_EQ(r.substr(0, r.find("\r\n")), "HTTP/1.1 405 Method Not Allowed");
    EXPECT_EQ(header_value(r, "Allow"), "GET, HEAD");
    EXPECT_EQ(body_of(r), "405 Method Not Allowed\n");
    // before the empty line, after the fields every error has
    EXPECT_NE(r.find("Content-Length: 23\r\nAllow: GET, HEAD\r\n\r\n405"), std::string::npos) << r;
}

TEST(Lesson03, SendErrorLeavesOutExtraLinesThatDoNotFit) {
    // all or nothing (head_add_lines): a head is never cut in the middle of a line
    std::string huge = "X-Big: " + std::string(HEAD_MAX, 'b') + "\r\n";
    std::string r = capture([&](int fd) { EXPECT_EQ(httpd::send_error(fd, 400, false, huge), 0); });
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
        std::string r = capture([&](int fd) { EXPECT_EQ(httpd::send_error(fd, status, false, ""), 0); });
        std::string line = "HTTP/1.1 " + std::to_string(status) + " " + reason;
        EXPECT_EQ(r.substr(0, r.find("\r\n")), line);
        std::string body = std::to_string(status) + " " + reason + "\n";
        EXPECT_EQ(body_of(r), body);
        EXPECT_EQ(header_value(r, "Content-Length"), std::to_string(body.size()));
    }
}

TEST(Lesson03, SendErrorForHeadHasNoBody) {
    // RFC 9110 §9.3.2: the same head as GET, no body -- errors included
    std::string get = capture([](int fd) { EXPECT_EQ(httpd::send_error(fd, 405, false, "Allow: GET, HEAD\r\n"), 0); });
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

// The first three steps over a socket the test writes `request` into.
struct ReadAndParse {
    std::unique_ptr<httpd::Exchange> x;
    int read = -1, parsed = -1;
};
ReadAndParse read_and_parse(const std::string& request) {
    int fds[2];
    ReadAndParse out;
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return out;
    (void)!::write(fds[1], request.data(), request.size());
    ::shutdown(fds[1], SHUT_WR);
    out.x = exchange_on(fds[0]);
    out.read = httpd::step_read_head(*out.x);
    if (out.read == httpd::kNext) out.parsed = httpd::step_parse_head(*out.x);
    ::close(fds[0]);
    ::close(fds[1]);
    return out;
}

TEST(Lesson03, StepReadHeadThenParseHead) {
    ReadAndParse r = read_and_parse("GET /a?b HTTP/1.1\r\nHost: h\r\n\r\n");
    ASSERT_EQ(r.read, httpd::kNext);
    EXPECT_EQ(r.x->head_len, 30u);   // every byte up to and including the empty line
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

}  // namespace
