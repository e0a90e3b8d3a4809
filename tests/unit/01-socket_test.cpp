// tests/unit/01-socket_test.cpp -- lesson 01: the C++ port parser, reason
// phrases, head builder, listener.  Expectations come from RFC 9110 §15
// (reason phrases), RFC 9112 §4 (status line), RFC 9110 §8.6
// (Content-Length) and the lesson 01 rules (lessons/01-socket/README.md).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

#include "../support/support.hpp"
#include "01-socket.hpp"
#include "exchange.hpp"

namespace {

using testsupport::connect_to;
using testsupport::output_of;

// Run f() with file descriptor `which` (1 or 2) sent into a pipe; return
// what f wrote there.
// connect to 127.0.0.1:port; the client's fd or -1.
std::string build(int status, std::initializer_list<std::pair<const char*, const char*>> fields) {
    char out[HEAD_MAX];
    std::size_t len = httpd::head_start(out, status);
    for (auto [name, value] : fields) len = httpd::head_add(out, len, name, value);
    len = httpd::head_end(out, len);
    return std::string(out, len);
}

}  // namespace

// Lesson 01 rule: one or more decimal digits, 0..65535, leading zeros allowed.
TEST(Lesson01, ParsePortAcceptsDecimalPorts) {
    EXPECT_EQ(httpd::parse_port("0"), 0);
    EXPECT_EQ(httpd::parse_port("1"), 1);
    EXPECT_EQ(httpd::parse_port("80"), 80);
    EXPECT_EQ(httpd::parse_port("8080"), 8080);
    EXPECT_EQ(httpd::parse_port("65535"), 65535);
    EXPECT_EQ(httpd::parse_port("080"), 80);
    EXPECT_EQ(httpd::parse_port("000000000000000000000080"), 80);   // long, but small
    EXPECT_EQ(httpd::parse_port("00000"), 0);
}

TEST(Lesson01, ParsePortRejectsEverythingElse) {
    for (const char* s : {"", "65536", "65540", "99999", "8o80", "+80", "-1", " 80", "80 ", "0x50", "8080\n",
                          "99999999999999999999999",   // would overflow 64 bits
                          "4294967376",                // 2^32 + 80: wraps to 80 in 32 bits
                          "18446744073709551696"}) {   // 2^64 + 80: wraps to 80 in 64 bits
        EXPECT_EQ(httpd::parse_port(s), -1) << '"' << s << '"';
    }
}

// RFC 9110 §15 (and RFC 6585 §5 for 431).
TEST(Lesson01, ReasonPhrasesFromRfc9110) {
    const std::pair<int, const char*> table[] = {
        {200, "OK"}, {204, "No Content"}, {206, "Partial Content"}, {301, "Moved Permanently"},
        {304, "Not Modified"}, {400, "Bad Request"}, {403, "Forbidden"}, {404, "Not Found"},
        {405, "Method Not Allowed"}, {408, "Request Timeout"}, {411, "Length Required"},
        {413, "Content Too Large"}, {414, "URI Too Long"}, {416, "Range Not Satisfiable"},
        {431, "Request Header Fields Too Large"}, {500, "Internal Server Error"},
        {501, "Not Implemented"}, {503, "Service Unavailable"}, {505, "HTTP Version Not Supported"}};
    for (auto [status, phrase] : table) EXPECT_STREQ(httpd::reason_phrase(status), phrase) << status;
}

// lessons/01-socket/reasons.tsv is checked line by line before anything
// is built from it (tests/tools/make-table.sh): a status out of order or
// listed twice stops the build with the line's number.
TEST(Lesson01, MakeTableStopsAtABadReasonLineNamingIt) {
    const std::string head = "# status TAB phrase\n200\tOK\n404\tNot Found\n";
    std::string said, generated;
    EXPECT_EQ(testsupport::run_make_table("reasons", head + "300\tMultiple Choices\n", &said, &generated), 1);
    EXPECT_NE(said.find("table.tsv:4: statuses must be in increasing order"), std::string::npos) << said;
    EXPECT_EQ(testsupport::run_make_table("reasons", head + "404\tGone\n", &said, &generated), 1);
    EXPECT_NE(said.find("table.tsv:4: status 404 is already listed on line 3"), std::string::npos) << said;
    EXPECT_EQ(testsupport::run_make_table("reasons", head + "429\tToo Many Requests\n", &said, &generated), 0) << said;
    EXPECT_NE(generated.find("REASON(429, \"Too Many Requests\")"), std::string::npos) << generated;
}

// Exercise 1 of lessons/01-socket/README.md, off until a student asks
// (make unit FILTER=Exercise01 EXERCISE=1): RFC 6585 §4's 429.
TEST(Exercise01, DISABLED_TooManyRequestsHasItsPhrase) {
    EXPECT_STREQ(httpd::reason_phrase(429), "Too Many Requests");
}

// RFC 9112 §4: the reason-phrase may be empty -- our fallback.
TEST(Lesson01, UnknownStatusHasEmptyReason) {
    for (int status : {0, 1, 199, 299, 418, 599, 999, -1, 65536 + 200}) {
        EXPECT_STREQ(httpd::reason_phrase(status), "") << status;
    }
}

// RFC 9112 §4: status-line = HTTP-version SP status-code SP reason-phrase CRLF;
// lesson 01 rule: Server and Connection: close on every response.
TEST(Lesson01, HeadStartIsStatusLineServerConnection) {
    char out[HEAD_MAX];
    std::size_t len = httpd::head_start(out, 404);
    EXPECT_EQ(std::string(out, len), "HTTP/1.1 404 Not Found\r\nServer: metal-httpd\r\nConnection: close\r\n");
    len = httpd::head_start(out, 431);
    EXPECT_EQ(std::string(out, len),
              "HTTP/1.1 431 Request Header Fields Too Large\r\nServer: metal-httpd\r\nConnection: close\r\n");
}

TEST(Lesson01, HeadAddAndEndBuildACompleteHead) {
    EXPECT_EQ(build(200, {{"Content-Type", "text/plain"}, {"X-Empty", ""}}),
              "HTTP/1.1 200 OK\r\nServer: metal-httpd\r\nConnection: close\r\n"
              "Content-Type: text/plain\r\nX-Empty: \r\n\r\n");
}

// Every response with a body: the status line, Server, Connection, then
// Content-Type and Content-Length (RFC 9110 §8.3, §8.6; lesson 03 rule).
TEST(Lesson01, HeadStartBodyAddsTypeAndLength) {
    char out[HEAD_MAX];
    std::size_t len = httpd::head_start_body(out, 200, httpd::kTextPlain, 5000000000ull);
    EXPECT_EQ(std::string(out, len),
              "HTTP/1.1 200 OK\r\nServer: metal-httpd\r\nConnection: close\r\n"
              "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 5000000000\r\n");
    len = httpd::head_start_body(out, 404, "image/png", 0);
    EXPECT_EQ(std::string(out, len),
              "HTTP/1.1 404 Not Found\r\nServer: metal-httpd\r\nConnection: close\r\n"
              "Content-Type: image/png\r\nContent-Length: 0\r\n");
}

TEST(Lesson01, HeadAddU64WritesDecimal) {
    char out[HEAD_MAX];
    std::size_t len = httpd::head_add_u64(out, 0, "Content-Length", 0);
    len = httpd::head_add_u64(out, len, "Content-Length", 5000000000ull);       // > 32 bits
    len = httpd::head_add_u64(out, len, "X", 18446744073709551615ull);          // 20 digits
    EXPECT_EQ(std::string(out, len),
              "Content-Length: 0\r\nContent-Length: 5000000000\r\nX: 18446744073709551615\r\n");
}

// Lesson 01 rule: never past HEAD_MAX; a field that does not fit whole is
// left out; 2 bytes always stay free for head_end.
TEST(Lesson01, HeadAddStopsBeforeHeadMax) {
    char out[HEAD_MAX + 64];
    std::memset(out, '#', sizeof out);
    std::string value(100, 'v');
    std::size_t len = httpd::head_start(out, 200);
    int added = 0;
    for (;;) {
        std::size_t next = httpd::head_add(out, len, "X-Fill", value.c_str());
        if (next == len) break;
        EXPECT_EQ(next, len + 6 + 2 + 100 + 2);
        len = next;
        ++added;
        ASSERT_LT(added, 100);
    }
    EXPECT_GT(added, 5);
    EXPECT_LE(len + 6 + 2 + 100 + 2 + 2, HEAD_MAX + 110u);
    EXPECT_GT(len + 6 + 2 + 100 + 2 + 2, std::size_t(HEAD_MAX));   // it really did not fit
    std::size_t ended = httpd::head_end(out, len);
    EXPECT_EQ(ended, len + 2);                                       // the CRLF always fits
    EXPECT_EQ(std::string(out + len, 2), "\r\n");
    for (std::size_t i = HEAD_MAX; i < sizeof out; ++i) EXPECT_EQ(out[i], '#') << i;
    for (std::size_t i = ended; i < HEAD_MAX; ++i) EXPECT_EQ(out[i], '#') << i;
}

TEST(Lesson01, HeadAddTakesALineThatExactlyFits) {
    char out[HEAD_MAX];
    // "N: " + value + CRLF + 2 free = HEAD_MAX - 10 + ...: choose the value length
    // so that 10 + 1 + 2 + v + 2 + 2 == HEAD_MAX.
    std::size_t start = 10;
    std::string value(HEAD_MAX - start - 7, 'v');
    EXPECT_EQ(httpd::head_add(out, start, "N", value.c_str()), HEAD_MAX - 2u);
    value += 'v';                                                     // one byte more: out
    EXPECT_EQ(httpd::head_add(out, start, "N", value.c_str()), start);
}

TEST(Lesson01, HeadEndNeedsTwoBytes) {
    char out[HEAD_MAX + 8];
    std::memset(out, '#', sizeof out);
    EXPECT_EQ(httpd::head_end(out, HEAD_MAX - 2), std::size_t(HEAD_MAX));
    EXPECT_EQ(httpd::head_end(out, HEAD_MAX - 1), HEAD_MAX - 1u);
    EXPECT_EQ(out[HEAD_MAX], '#');
}

// Lesson 01 rule: the fixed response, byte for byte (Content-Length:
// RFC 9110 §8.6 -- the body is 23 bytes).
TEST(Lesson01, SendHelloIsTheFixedResponse) {
    std::string got = testsupport::capture([](int fd) { EXPECT_EQ(httpd::send_hello(fd), 0); });
    EXPECT_EQ(got,
              "HTTP/1.1 200 OK\r\nServer: metal-httpd\r\nConnection: close\r\n"
              "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 23\r\n\r\n"
              "hello from metal-httpd\n");
}

TEST(Lesson01, ParseArgsDefaultsAndPositionals) {
    httpd::Config cfg;
    char prog[] = "httpd", port[] = "0", root[] = "/srv";
    char* none[] = {prog, nullptr};
    EXPECT_EQ(httpd::parse_args(1, none, &cfg), 0);
    EXPECT_EQ(cfg.port, 8080u);
    EXPECT_STREQ(cfg.docroot, ".");
    char* both[] = {prog, port, root, nullptr};
    EXPECT_EQ(httpd::parse_args(3, both, &cfg), 0);
    EXPECT_EQ(cfg.port, 0u);
    EXPECT_STREQ(cfg.docroot, "/srv");
}

TEST(Lesson01, ParseArgsBadPortSaysWhy) {
    httpd::Config cfg;
    char prog[] = "httpd", bad[] = "65536";
    char* argv[] = {prog, bad, nullptr};
    int r = 0;
    std::string err = output_of(2, [&] { r = httpd::parse_args(2, argv, &cfg); });
    EXPECT_EQ(r, -EINVAL);
    EXPECT_EQ(err, "httpd: invalid port \"65536\": expected a decimal number from 0 to 65535\n");
    char a[] = "a", b[] = "b", c[] = "c";
    char* many[] = {prog, a, b, c, nullptr};
    err = output_of(2, [&] { r = httpd::parse_args(4, many, &cfg); });
    EXPECT_EQ(r, -EINVAL);
    EXPECT_EQ(err, "usage: httpd [PORT [DOCROOT]]\n");
}

// Port 0: the kernel picks a free port; getsockname tells which; a client
// can connect to 127.0.0.1 on it and accept_client hands us the connection.
TEST(Lesson01, OpenListenerOnPortZeroAccepts) {
    std::int64_t fd = httpd::open_listener(0);
    ASSERT_GE(fd, 0);
    httpd::Fd listener(static_cast<int>(fd));
    int port = httpd::listening_port(listener.get());
    ASSERT_GT(port, 0);
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    ASSERT_EQ(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len), 0);
    EXPECT_EQ(ntohl(addr.sin_addr.s_addr), INADDR_LOOPBACK);   // 127.0.0.1 only
    httpd::Fd client(connect_to(port));
    ASSERT_TRUE(client.valid());
    std::int64_t conn = httpd::accept_client(listener.get());
    ASSERT_GE(conn, 0);
    httpd::Fd server(static_cast<int>(conn));
    ASSERT_EQ(httpd::write_all(client.get(), "x", 1), 0);
    char c = 0;
    EXPECT_EQ(::read(server.get(), &c, 1), 1);
    EXPECT_EQ(c, 'x');
}

// Lesson 01 rule: bind gets 127.0.0.1:port in network byte order.  On a
// fixed port (port 0 cannot show it: its bytes are the same either way) --
// forgetting htons binds another port, and only the bytes tell.
TEST(Lesson01, ListenerIsBoundInNetworkByteOrder) {
    int port = 0;
    std::int64_t fd = testsupport::listen_on_a_free_port(httpd::open_listener, port);
    ASSERT_GE(fd, 0) << "open_listener(" << port << "): errno " << -fd;
    httpd::Fd listener(static_cast<int>(fd));
    EXPECT_EQ(testsupport::network_order_problems(listener.get(), port), "");
}

TEST(Lesson01, TakenPortIsEaddrinuse) {
    std::int64_t first = httpd::open_listener(0);
    ASSERT_GE(first, 0);
    httpd::Fd one(static_cast<int>(first));
    int port = httpd::listening_port(one.get());
    EXPECT_EQ(httpd::open_listener(port), -EADDRINUSE);
    std::string err = output_of(2, [&] { httpd::say_listen_error(port, -EADDRINUSE); });
    EXPECT_EQ(err, "httpd: cannot listen on 127.0.0.1:" + std::to_string(port) + ": address already in use\n");
    // any other error by its number (say_errno)
    err = output_of(2, [&] { httpd::say_listen_error(port, -EACCES); });
    EXPECT_EQ(err, "httpd: cannot listen on 127.0.0.1:" + std::to_string(port) + ": errno " + std::to_string(EACCES) + "\n");
    EXPECT_EQ(output_of(2, [] { httpd::say_errno(-9223372036854775807LL); }), ": errno 9223372036854775807\n");
}

// SO_REUSEADDR: after the server closed a connection first (its side sits
// in TIME_WAIT), a new listener can bind the same port at once.
TEST(Lesson01, RestartDuringTimeWaitBinds) {
    std::int64_t fd = httpd::open_listener(0);
    ASSERT_GE(fd, 0);
    int port;
    {
        httpd::Fd listener(static_cast<int>(fd));
        port = httpd::listening_port(listener.get());
        httpd::Fd client(connect_to(port));
        ASSERT_TRUE(client.valid());
        httpd::Fd conn(static_cast<int>(httpd::accept_client(listener.get())));
        ASSERT_TRUE(conn.valid());
        conn.reset();                       // we close first: TIME_WAIT is ours
        char c;
        EXPECT_EQ(::read(client.get(), &c, 1), 0);
    }
    std::int64_t again = httpd::open_listener(port);
    EXPECT_GE(again, 0) << "errno " << -again;
    if (again >= 0) ::close(static_cast<int>(again));
}

TEST(Lesson01, ListeningPortOfABadFd) {
    EXPECT_EQ(httpd::listening_port(-1), -EBADF);
    EXPECT_EQ(httpd::accept_client(-1), -EBADF);
}

TEST(Lesson01, SayListeningLine) {
    std::string out = output_of(1, [] { EXPECT_EQ(httpd::say_listening(8080), 0); });
    EXPECT_EQ(out, "listening on http://127.0.0.1:8080/\n");
}

TEST(Lesson01, IgnoreSignalSetsSigIgn) {
    struct sigaction old {};
    ASSERT_EQ(::sigaction(SIGPIPE, nullptr, &old), 0);
    EXPECT_EQ(httpd::ignore_signal(SIGPIPE), 0);
    struct sigaction now {};
    ASSERT_EQ(::sigaction(SIGPIPE, nullptr, &now), 0);
    EXPECT_EQ(now.sa_handler, SIG_IGN);
    ::sigaction(SIGPIPE, &old, nullptr);
    EXPECT_EQ(httpd::ignore_signal(SIGKILL), -EINVAL);   // POSIX: SIGKILL cannot be ignored
}

// ---------------------------------------------------------------------------
// the record and the first two steps (cpp/exchange.hpp)
// ---------------------------------------------------------------------------
TEST(Lesson01, HeadAddLinesIsAllOrNothing) {
    char head[HEAD_MAX];
    std::size_t len = httpd::head_start(head, 200);
    std::size_t with = httpd::head_add_lines(head, len, "A: 1\r\nB: 2\r\n", 12);
    EXPECT_EQ(with, len + 12);
    EXPECT_EQ(std::string(head + len, 12), "A: 1\r\nB: 2\r\n");
    // a block that would leave fewer than 2 bytes for head_end is left out
    std::string big(HEAD_MAX - with - 1, 'x');
    EXPECT_EQ(httpd::head_add_lines(head, with, big.data(), big.size()), with);
    EXPECT_EQ(httpd::head_add_lines(head, with, big.data(), big.size() - 1), HEAD_MAX - 2u);
    EXPECT_EQ(httpd::head_add_lines(head, with, "", 0), with);
}

TEST(Lesson01, StartExchangeSetsEveryScalarField) {
    auto x = std::make_unique<httpd::Exchange>();
    std::memset(static_cast<void*>(x.get()), 0x5a, X_EXTRA);   // garbage where the scalars live
    httpd::Config cfg;
    httpd::start_exchange(*x, 7, &cfg);
    EXPECT_EQ(x->sock, 7);
    EXPECT_EQ(x->cfg, &cfg);
    EXPECT_EQ(x->status, 200u);
    EXPECT_EQ(x->head_len, 0u);
    EXPECT_EQ(x->path_len, 0u);
    EXPECT_EQ(x->file.get(), -1);
    EXPECT_EQ(x->file_mode, 0u);
    EXPECT_EQ(x->file_size, 0u);
    EXPECT_EQ(x->type, nullptr);
    EXPECT_EQ(x->body_first, 0u);
    EXPECT_EQ(x->body_len, 0u);
    EXPECT_EQ(x->extra_len, 0u);
    x->file.release();   // the garbage "descriptor" was never ours to close
}

// start_exchange forgets the record's file, it never closes it: the spine
// closes the file after every exchange (handle_connection), and in the
// assembly a fresh record's file_fd is whatever the stack held -- it may
// name a live descriptor, and closing it would close someone else's file.
// Both languages do the same (tests/asm/01-socket_test.cpp).
TEST(Lesson01, StartExchangeNeverClosesADescriptor) {
    int fd = ::open("/dev/null", O_RDONLY);
    ASSERT_GE(fd, 0);
    auto x = std::make_unique<httpd::Exchange>();
    x->file = httpd::Fd(fd);   // as if a record were reused with its file still open
    httpd::start_exchange(*x, -1, nullptr);
    EXPECT_EQ(x->file.get(), -1);
    EXPECT_NE(::fcntl(fd, F_GETFD), -1) << "start_exchange closed a descriptor";
    ::close(fd);
}

TEST(Lesson01, AddExtraAppendsWholeLines) {
    auto x = std::make_unique<httpd::Exchange>();
    httpd::start_exchange(*x, -1, nullptr);
    EXPECT_EQ(httpd::add_extra(*x, "Allow", "GET, HEAD"), 0);
    EXPECT_EQ(httpd::add_extra(*x, "X", "y"), 0);
    EXPECT_EQ(std::string(x->extra, x->extra_len), "Allow: GET, HEAD\r\nX: y\r\n");
    std::string huge(EXTRA_MAX, 'v');
    EXPECT_EQ(httpd::add_extra(*x, "Big", huge.c_str()), -1);   // does not fit: left out
    EXPECT_EQ(x->extra_len, 24u);
}

TEST(Lesson01, StepReadOnceThenHello) {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    auto x = std::make_unique<httpd::Exchange>();
    httpd::start_exchange(*x, fds[0], nullptr);
    ASSERT_EQ(::write(fds[1], "GET / HTTP/1.1\r\n\r\n", 18), 18);
    EXPECT_EQ(httpd::step_read_once(*x), httpd::kNext);   // something came: answer it
    EXPECT_EQ(httpd::step_hello(*x), httpd::kDone);
    ::shutdown(fds[0], SHUT_WR);
    char got[256] = {};
    ssize_t n = ::read(fds[1], got, sizeof got - 1);
    EXPECT_GT(n, 0);
    EXPECT_EQ(std::string(got).substr(0, 17), "HTTP/1.1 200 OK\r\n");
    ::shutdown(fds[1], SHUT_WR);   // the client leaves without a word
    EXPECT_EQ(httpd::step_read_once(*x), httpd::kDone);   // 0 bytes: nobody to answer
    ::close(fds[0]);
    ::close(fds[1]);
}
