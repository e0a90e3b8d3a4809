// tests/asm/01-socket_test.cpp -- lesson 01: the assembly stage against
// its C++ twin (same inputs, same results), and both against the lesson's
// rules (lessons/01-socket/README.md) and RFC 9110 §15 / RFC 9112 §4.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

#include "../support/support.hpp"
#include "01-socket.hpp"
#include "api.h"

namespace {

using testsupport::connect_to;
using testsupport::output_of;

}  // namespace

TEST(Lesson01Asm, ParsePortAgrees) {
    const std::pair<const char*, int> cases[] = {
        {"0", 0}, {"1", 1}, {"80", 80}, {"8080", 8080}, {"65535", 65535}, {"080", 80},
        {"000000000000000000000080", 80}, {"", -1}, {"65536", -1}, {"8o80", -1}, {"+80", -1},
        {" 80", -1}, {"80 ", -1}, {"-1", -1}, {"0x50", -1}, {"99999999999999999999999", -1},
        {"4294967376", -1}, {"18446744073709551696", -1}, {"6553a", -1}, {"/", -1}, {":", -1}};
    for (auto [text, want] : cases) {
        EXPECT_EQ(parse_port(text), want) << '"' << text << '"';
        EXPECT_EQ(httpd::parse_port(text), want) << '"' << text << '"';
    }
}

TEST(Lesson01Asm, ReasonPhraseAgreesForEveryCode) {
    for (int status = -2; status < 1100; ++status) {
        EXPECT_STREQ(reason_phrase(status), httpd::reason_phrase(status)) << status;
    }
    EXPECT_STREQ(reason_phrase(431), "Request Header Fields Too Large");   // RFC 6585 §5
    EXPECT_STREQ(reason_phrase(413), "Content Too Large");                 // RFC 9110 §15.5.14
}

TEST(Lesson01Asm, CopyBytesReturnsTheEnd) {
    char a[8] = "#######", c[8] = "#######";
    EXPECT_EQ(copy_bytes(a, "abc", 3), a + 3);
    EXPECT_EQ(httpd::copy_bytes(c, "abc", 3), c + 3);
    EXPECT_EQ(std::string(a), "abc####");
    EXPECT_EQ(std::string(a), std::string(c));
    EXPECT_EQ(copy_bytes(a, "zzz", 0), a);
}

// The same sequence of builder calls gives the same bytes and lengths,
// and neither writes past HEAD_MAX (lesson 01 rule).
TEST(Lesson01Asm, HeadBuilderAgrees) {
    for (int status : {200, 204, 301, 404, 405, 431, 505, 299, 0, 65535}) {
        char a[HEAD_MAX + 32], c[HEAD_MAX + 32];
        std::memset(a, '#', sizeof a);
        std::memset(c, '#', sizeof c);
        std::size_t la = head_start(a, status), lc = httpd::head_start(c, status);
        ASSERT_EQ(la, lc) << status;
        std::string filler(37 + status % 50, 'f');
        for (int i = 0; i < 40; ++i) {
            la = head_add(a, la, "X-Fill", filler.c_str());
            lc = httpd::head_add(c, lc, "X-Fill", filler.c_str());
            la = head_add_u64(a, la, "Content-Length", 5000000000ull + i);
            lc = httpd::head_add_u64(c, lc, "Content-Length", 5000000000ull + i);
            ASSERT_EQ(la, lc) << status << " " << i;
        }
        la = head_end(a, la);
        lc = httpd::head_end(c, lc);
        ASSERT_EQ(la, lc);
        EXPECT_LE(la, std::size_t(HEAD_MAX));
        EXPECT_EQ(std::string(a, sizeof a), std::string(c, sizeof c)) << status;
        EXPECT_EQ(std::string(a + la - 4, 4), "\r\n\r\n");
        for (std::size_t i = HEAD_MAX; i < sizeof a; ++i) EXPECT_EQ(a[i], '#');
    }
}

TEST(Lesson01Asm, HeadStartBodyAgrees) {
    const std::pair<int, std::uint64_t> cases[] = {{200, 0}, {200, 23}, {404, 5000000000ull},
                                                   {431, 18446744073709551615ull}, {299, 7}};
    for (const char* type : {"text/plain; charset=utf-8", "application/octet-stream", ""}) {
        for (auto [status, length] : cases) {
            char a[HEAD_MAX], c[HEAD_MAX];
            std::size_t la = head_start_body(a, status, type, length);
            std::size_t lc = httpd::head_start_body(c, status, type, length);
            ASSERT_EQ(la, lc) << status << " " << type;
            EXPECT_EQ(std::string(a, la), std::string(c, lc)) << status << " " << type;
        }
    }
}

TEST(Lesson01Asm, HeadEdgesAgree) {
    char a[HEAD_MAX + 8], c[HEAD_MAX + 8];
    std::string value(HEAD_MAX - 10 - 7, 'v');                  // exactly fits after 10 bytes
    EXPECT_EQ(head_add(a, 10, "N", value.c_str()), HEAD_MAX - 2u);
    EXPECT_EQ(httpd::head_add(c, 10, "N", value.c_str()), HEAD_MAX - 2u);
    value += 'v';
    EXPECT_EQ(head_add(a, 10, "N", value.c_str()), 10u);
    EXPECT_EQ(head_end(a, HEAD_MAX - 1), HEAD_MAX - 1u);
    EXPECT_EQ(head_end(a, HEAD_MAX - 2), std::size_t(HEAD_MAX));
    EXPECT_EQ(head_add_u64(a, 0, "L", 0), 6u);                  // "L: 0\r\n"
    EXPECT_EQ(std::string(a, 6), "L: 0\r\n");
}

TEST(Lesson01Asm, SendHelloAgrees) {
    std::string a = testsupport::capture([](int fd) { EXPECT_EQ(send_hello(fd), 0); });
    std::string c = testsupport::capture([](int fd) { EXPECT_EQ(httpd::send_hello(fd), 0); });
    EXPECT_EQ(a, c);
    EXPECT_EQ(a.substr(0, 17), "HTTP/1.1 200 OK\r\n");
    EXPECT_EQ(a.substr(a.size() - 23), "hello from metal-httpd\n");
}

TEST(Lesson01Asm, ParseArgsAgrees) {
    char prog[] = "httpd", p0[] = "0", p080[] = "080", root[] = "/srv", bad[] = "8o80", extra[] = "x";
    char* none[] = {prog, nullptr};
    char* one[] = {prog, p080, nullptr};
    char* two[] = {prog, p0, root, nullptr};
    char* wrong[] = {prog, bad, root, nullptr};
    char* many[] = {prog, p0, root, extra, nullptr};
    struct Case {
        int argc;
        char** argv;
    } cases[] = {{1, none}, {2, one}, {3, two}, {3, wrong}, {4, many}};
    for (const Case& k : cases) {
        struct config a {};
        httpd::Config c;
        int ra = 0, rc = 0;
        std::string ea = output_of(2, [&] { ra = parse_args(k.argc, k.argv, &a); });
        std::string ec = output_of(2, [&] { rc = httpd::parse_args(k.argc, k.argv, &c); });
        EXPECT_EQ(ra, rc) << k.argc;
        EXPECT_EQ(ea, ec) << k.argc;
        if (ra == 0) {
            EXPECT_EQ(a.port, c.port);
            EXPECT_STREQ(a.docroot, c.docroot);
        } else {
            EXPECT_EQ(ra, -EINVAL);
            EXPECT_FALSE(ea.empty());   // a reason on stderr
        }
    }
}

TEST(Lesson01Asm, OpenListenerAcceptsOnLoopback) {
    std::int64_t fd = open_listener(0);
    ASSERT_GE(fd, 0);
    httpd::Fd listener(static_cast<int>(fd));
    int port = listening_port(listener.get());
    ASSERT_GT(port, 0);
    EXPECT_EQ(port, httpd::listening_port(listener.get()));
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    ASSERT_EQ(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len), 0);
    EXPECT_EQ(ntohl(addr.sin_addr.s_addr), INADDR_LOOPBACK);    // the byte order is right
    EXPECT_EQ(ntohs(addr.sin_port), port);
    int reuse = 0;
    socklen_t rlen = sizeof reuse;
    ASSERT_EQ(::getsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &reuse, &rlen), 0);
    EXPECT_NE(reuse, 0);
    httpd::Fd client(connect_to(port));
    ASSERT_TRUE(client.valid());
    std::int64_t conn = accept_client(listener.get());
    ASSERT_GE(conn, 0);
    httpd::Fd server(static_cast<int>(conn));
    EXPECT_EQ(send_hello(server.get()), 0);
    server.reset();
    char buf[256];
    ssize_t n = ::read(client.get(), buf, sizeof buf);
    ASSERT_GT(n, 12);
    EXPECT_EQ(std::string(buf, 12), "HTTP/1.1 200");
}

TEST(Lesson01Asm, ErrorsAgree) {
    std::int64_t first = open_listener(0);
    ASSERT_GE(first, 0);
    httpd::Fd one(static_cast<int>(first));
    int port = listening_port(one.get());
    EXPECT_EQ(open_listener(port), -EADDRINUSE);
    EXPECT_EQ(httpd::open_listener(port), -EADDRINUSE);
    EXPECT_EQ(listening_port(-1), -EBADF);
    EXPECT_EQ(accept_client(-1), -EBADF);
    EXPECT_EQ(accept_client(-1), httpd::accept_client(-1));
    for (std::int64_t err : {std::int64_t(-EADDRINUSE), std::int64_t(-EACCES)}) {
        std::string a = output_of(2, [&] { say_listen_error(port, err); });
        std::string c = output_of(2, [&] { httpd::say_listen_error(port, err); });
        EXPECT_EQ(a, c);
    }
    std::string a = output_of(1, [] { say_listening(65535); });
    EXPECT_EQ(a, "listening on http://127.0.0.1:65535/\n");
    // stdout closed: both report the first write's -EBADF
    int saved = ::dup(1);
    ::close(1);
    std::int64_t asm_r = say_listening(80);
    std::int64_t cpp_r = httpd::say_listening(80);
    ::dup2(saved, 1);
    ::close(saved);
    EXPECT_EQ(asm_r, -EBADF);
    EXPECT_EQ(cpp_r, -EBADF);
}

TEST(Lesson01Asm, IgnoreSignalAgrees) {
    struct sigaction old {};
    ASSERT_EQ(::sigaction(SIGPIPE, nullptr, &old), 0);
    EXPECT_EQ(ignore_signal(SIGPIPE), 0);
    struct sigaction now {};
    ASSERT_EQ(::sigaction(SIGPIPE, nullptr, &now), 0);
    EXPECT_EQ(now.sa_handler, SIG_IGN);
    ::sigaction(SIGPIPE, &old, nullptr);
    EXPECT_EQ(ignore_signal(SIGKILL), -EINVAL);
    EXPECT_EQ(httpd::ignore_signal(SIGKILL), -EINVAL);
}
