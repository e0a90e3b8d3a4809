// tests/asm/10-log_test.cpp -- lesson 10's access log: the assembly stage
// (asm/10-log.s) against its C++ twin.  Every pure function table-driven
// and then with seeded random inputs over the whole range it takes (every
// 64-bit second for civil_time; the seed is printed with any input that
// differs); peer_ipv4 on a real TCP connection and on a socket without an
// IPv4 peer; log_exchange's whole line, the date aside, from both records.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../support/asm_exchange.hpp"
#include "../support/support.hpp"
#include "04-files.hpp"
#include "10-log.hpp"
#include "api.h"
#include "exchange.hpp"

namespace {

using testsupport::escaped;
using testsupport::output_of;

constexpr std::uint32_t kSeed = 20261207;   // fixed: the same cases every run

bool same_time(const struct civil_time& a, const httpd::CivilTime& c) {
    return a.year == c.year && a.month == c.month && a.day == c.day && a.hour == c.hour && a.minute == c.minute &&
           a.second == c.second && a.weekday == c.weekday;
}

std::string shown(const struct civil_time& a) {
    return std::to_string(a.year) + "-" + std::to_string(a.month) + "-" + std::to_string(a.day) + " " +
           std::to_string(a.hour) + ":" + std::to_string(a.minute) + ":" + std::to_string(a.second) + " wd " +
           std::to_string(a.weekday);
}

void expect_civil_same(std::uint64_t s, const std::string& where) {
    struct civil_time a;
    std::memset(&a, 0xa5, sizeof a);   // every field must be written
    httpd::CivilTime c;
    civil_time(s, &a);
    httpd::civil_time(s, &c);
    EXPECT_TRUE(same_time(a, c)) << where << s << ": asm " << shown(a);
}

TEST(Lesson10LogAsm, CivilTimeTable) {
    const std::uint64_t seconds[] = {0, 59, 60, 3599, 3600, 86399, 86400, 68169600, 951782400, 951868800,
                                     946684799, 946684800, 1798761599, 2147483647, 2147483648, 4107542399,
                                     4107542400, 253402300799, 253402300800, UINT64_MAX, UINT64_MAX - 86400};
    for (std::uint64_t s : seconds) expect_civil_same(s, "");
    struct civil_time a;
    civil_time(951782400, &a);   // 2000-02-29, a Tuesday: the calendar, not the C++
    EXPECT_EQ(a.year, 2000u);
    EXPECT_EQ(a.month, 2u);
    EXPECT_EQ(a.day, 29u);
    EXPECT_EQ(a.weekday, 2u);
}

TEST(Lesson10LogAsm, CivilTimeRandomOverEverySecond) {
    std::mt19937_64 rng(kSeed);
    for (int i = 0; i < 20000; ++i) {
        // the whole 64-bit range, and as often the years people log in
        std::uint64_t s = i % 2 ? rng() : rng() % 4102444800ULL;
        expect_civil_same(s, "seed " + std::to_string(kSeed) + ": ");
    }
}

// Random request heads: pieces that matter to where the line starts and ends.
std::string random_head(std::mt19937& rng) {
    static const char* const pieces[] = {"GET / HTTP/1.1", "\r\n", "\n", "\r", "x", " ", "\x1b", "\"", "\\", "\xc3\xa9", "\x7f", ""};
    std::string s;
    int n = static_cast<int>(rng() % 10);
    for (int k = 0; k < n; ++k) s += pieces[rng() % std::size(pieces)];
    return s;
}

TEST(Lesson10LogAsm, RequestLineAgreesTableAndRandom) {
    std::vector<std::string> cases = {"", "\r\n", "\r", "\n\n", "GET / HTTP/1.1\r\n\r\n", "\r\n\nGET /x\n",
                                      "GET /half", "GET /a\rb\r\n", "\r\r\n", "GET /\r"};
    std::mt19937 rng(kSeed + 1);
    for (int i = 0; i < 5000; ++i) cases.push_back(random_head(rng));
    for (const std::string& s : cases) {
        const char* la = nullptr;
        const char* lc = nullptr;
        std::size_t na = log_request_line(s.data(), s.size(), &la);
        std::size_t nc = httpd::log_request_line(s.data(), s.size(), &lc);
        EXPECT_EQ(na, nc) << "seed " << kSeed + 1 << ": " << escaped(s);
        EXPECT_EQ(la, lc) << "seed " << kSeed + 1 << ": " << escaped(s);
    }
}

TEST(Lesson10LogAsm, EscapeAgreesTableAndRandom) {
    std::mt19937 rng(kSeed + 2);
    std::string all;
    for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
    for (int i = 0; i < 3000; ++i) {
        std::string in = i == 0 ? all : std::string();
        int n = static_cast<int>(rng() % 40);
        for (int k = 0; k < n; ++k) in += static_cast<char>(rng() % 256);
        std::size_t cap = i == 0 ? 2000 : rng() % 100;
        std::string a(cap + 8, '?'), c(cap + 8, '?');   // 8 guard bytes: nothing past cap
        std::size_t na = log_escape(a.data(), cap, in.data(), in.size());
        std::size_t nc = httpd::log_escape(c.data(), cap, in.data(), in.size());
        EXPECT_EQ(na, nc) << "seed " << kSeed + 2 << ": " << escaped(in) << " cap " << cap;
        EXPECT_LE(na, cap);
        EXPECT_EQ(a, c) << "seed " << kSeed + 2 << ": " << escaped(in) << " cap " << cap;
    }
}

TEST(Lesson10LogAsm, FormatLineAgreesTableAndRandom) {
    std::mt19937_64 rng(kSeed + 3);
    std::mt19937 heads(kSeed + 3);
    std::string worst(8192, '\x01');
    for (int i = 0; i < 3000; ++i) {
        std::string req = i % 50 == 0 ? worst : random_head(heads);
        struct log_entry a{};
        a.addr = i % 7 == 0 ? LOG_NO_ADDR : (i % 5 == 0 ? rng() : rng() & 0xffffffff);   // anything above 32 bits: "-"
        a.time = i % 3 == 0 ? rng() : rng() % 4102444800ULL;
        a.line = req.data();
        a.line_len = req.size();
        a.status = i % 11 == 0 ? rng() : 100 + rng() % 500;
        a.bytes = i % 4 == 0 ? 0 : (i % 2 ? rng() : rng() % 100000);
        httpd::LogEntry c;
        c.addr = a.addr;
        c.time = a.time;
        c.line = a.line;
        c.line_len = a.line_len;
        c.status = a.status;
        c.bytes = a.bytes;
        std::string la(LOG_LINE_MAX, '?'), lc(LOG_LINE_MAX, '?');
        std::size_t na = format_log_line(la.data(), &a);
        std::size_t nc = httpd::format_log_line(lc.data(), &c);
        ASSERT_LE(na, static_cast<std::size_t>(LOG_LINE_MAX));
        la.resize(na);
        lc.resize(nc);
        EXPECT_EQ(la, lc) << "seed " << kSeed + 3 << " case " << i;
    }
    struct log_entry e{};
    e.addr = 0x7f000001;
    e.time = 1796637600;
    e.line = "GET /a.txt HTTP/1.1";
    e.line_len = std::strlen(e.line);
    e.status = 200;
    e.bytes = 3;
    char out[LOG_LINE_MAX];
    std::size_t n = format_log_line(out, &e);
    EXPECT_EQ(std::string(out, n), "127.0.0.1 - - [07/Dec/2026:10:00:00 +0000] \"GET /a.txt HTTP/1.1\" 200 3\n");
}

TEST(Lesson10LogAsm, PeerAddressAgrees) {
    // a real TCP connection on 127.0.0.1, as the servers have
    int l = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(l, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(l, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    ASSERT_EQ(::listen(l, 1), 0);
    socklen_t len = sizeof sa;
    ::getsockname(l, reinterpret_cast<sockaddr*>(&sa), &len);
    int client = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    int conn = ::accept(l, nullptr, nullptr);
    ASSERT_GE(conn, 0);
    EXPECT_EQ(peer_ipv4(conn), 0x7f000001u);
    EXPECT_EQ(peer_ipv4(conn), httpd::peer_ipv4(conn));
    // not a socket, and a socket whose peer is not IPv4: "-"
    EXPECT_EQ(peer_ipv4(-1), static_cast<std::uint64_t>(LOG_NO_ADDR));
    EXPECT_EQ(httpd::peer_ipv4(-1), static_cast<std::uint64_t>(LOG_NO_ADDR));
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    EXPECT_EQ(peer_ipv4(sv[0]), httpd::peer_ipv4(sv[0]));
    EXPECT_EQ(peer_ipv4(sv[0]), static_cast<std::uint64_t>(LOG_NO_ADDR));
    for (int fd : {l, client, conn, sv[0], sv[1]}) ::close(fd);
}

// The line without its date (the two calls read the clock a moment apart).
std::string without_date(const std::string& line) {
    std::size_t open = line.find('['), close = line.find(']');
    if (open == std::string::npos || close == std::string::npos) return line;
    return line.substr(0, open + 1) + "DATE" + line.substr(close);
}

TEST(Lesson10LogAsm, ExchangeLinesAgree) {
    struct Case {
        std::string buf;
        std::uint64_t status, sent;
    };
    const Case cases[] = {
        {"GET /docs/a.txt HTTP/1.1\r\nHost: a\r\n\r\n", 200, 6},
        {"HEAD / HTTP/1.1\r\n\r\n", 200, 0},
        {"\r\nGET /\x1b[2J\" HTTP/1.1\r\n\r\n", 400, 268},
        {"", 408, 5},     // an answer without a request line: "-"
        {"", 200, 0},     // nothing came, nothing went: no line at all
        {"GET /cut", 200, 65536},
    };
    for (const Case& k : cases) {
        testsupport::Records r;
        std::memcpy(r.a->buf, k.buf.data(), k.buf.size());
        std::memcpy(r.c->buf, k.buf.data(), k.buf.size());
        r.a->read_len = r.c->read_len = k.buf.size();
        r.a->status = r.c->status = k.status;
        r.a->body_sent = r.c->body_sent = k.sent;
        std::string a = output_of(STDOUT_FILENO, [&] { log_exchange(r.a.get()); });
        std::string c = output_of(STDOUT_FILENO, [&] { httpd::log_exchange(*r.c); });
        EXPECT_EQ(without_date(a), without_date(c)) << escaped(k.buf);
        EXPECT_EQ(a.empty(), k.buf.empty() && k.status == 200) << escaped(k.buf);
        if (!a.empty()) {
            EXPECT_EQ(a.find('\n'), a.size() - 1) << escaped(a);   // exactly one line
        }
    }
}

// send_file_counted (lesson 04, for the log): the same bytes and the same
// count as the C++; after a client that left, a count between what it read
// and the whole body.
TEST(Lesson10LogAsm, SendFileCountedAgrees) {
    char name[] = "/tmp/metal-log-asm-XXXXXX";
    int file = ::mkstemp(name);
    ASSERT_GE(file, 0);
    ::unlink(name);
    std::string content = testsupport::pattern(70000);
    ASSERT_EQ(::write(file, content.data(), content.size()), static_cast<ssize_t>(content.size()));
    struct Case {
        std::uint64_t first, count;
    };
    for (Case k : {Case{0, 70000}, Case{5, 1}, Case{69999, 1}, Case{100, 0}, Case{0, 70001}}) {
        std::uint64_t sa = 3, sc = 3;
        std::int64_t ra = 1, rc = 1;
        std::string a = testsupport::capture([&](int s) { ra = send_file_counted(s, file, k.first, k.count, &sa); });
        std::string c = testsupport::capture([&](int s) { rc = httpd::send_file_counted(s, file, k.first, k.count, &sc); });
        EXPECT_EQ(ra, rc) << k.first << "+" << k.count;
        EXPECT_EQ(sa, sc) << k.first << "+" << k.count;
        EXPECT_EQ(a, c) << k.first << "+" << k.count;
        EXPECT_EQ(sa, 3 + a.size()) << k.first << "+" << k.count;   // what went, added
    }
    std::uint64_t none = 0;
    EXPECT_LT(send_file_counted(-1, file, 0, 10, &none), 0);
    EXPECT_EQ(none, 0u);
    EXPECT_EQ(send_file_body(-1, file, 0, 10), httpd::send_file_body(-1, file, 0, 10));   // no counter: NULL is fine
    ::close(file);
}

TEST(Lesson10LogAsm, SendFileCountedAfterAClientLeft) {
    char name[] = "/tmp/metal-log-asm-XXXXXX";
    int file = ::mkstemp(name);
    ASSERT_GE(file, 0);
    ::unlink(name);
    constexpr std::uint64_t kSize = 64ULL << 20;          // sparse: more than the socket buffers hold
    ASSERT_EQ(::ftruncate(file, static_cast<off_t>(kSize)), 0);
    int fds[2];
    ASSERT_TRUE(testsupport::tcp_pair(fds));
    auto old = ::signal(SIGPIPE, SIG_IGN);
    std::thread client([&] {
        char buf[4096];
        std::size_t n = 0;
        while (n < 100000) {
            ssize_t r = ::read(fds[1], buf, sizeof buf);
            if (r <= 0) break;
            n += static_cast<std::size_t>(r);
        }
        ::close(fds[1]);
    });
    std::uint64_t sent = 0;
    std::int64_t r = send_file_counted(fds[0], file, 0, kSize, &sent);
    client.join();
    ::signal(SIGPIPE, old);
    EXPECT_LT(r, 0);
    EXPECT_GE(sent, 100000u);
    EXPECT_LT(sent, kSize);
    ::close(fds[0]);
    ::close(file);
}

}  // namespace
