// tests/unit/10-log_test.cpp -- lesson 10's access log, the C++ stage:
// civil_time on dates a calendar settles (the epoch, leap days, century
// years, the last second of a year, 2038's 32-bit limit), against a day
// by day walk of the calendar and against the C library's gmtime_r; the
// request line, the escaping, whole lines; the hook on a socket pair.
//
// Expectations come from the Gregorian calendar (leap years: divisible by
// 4, except centuries, except every 400 years), the Common Log Format
// (host ident authuser [dd/Mon/yyyy:hh:mm:ss zone] "request" status
// bytes, "-" for what is unknown), RFC 9112 §2.2 (empty lines before the
// request line) and the lesson's rules (lessons/10-hardening/access-log.md).
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <thread>

#include "../support/support.hpp"
#include "04-files.hpp"
#include "10-log.hpp"
#include "exchange.hpp"

namespace {

using testsupport::escaped;

struct DateCase {
    std::uint64_t seconds;
    std::uint64_t year, month, day, hour, minute, second, weekday;   // weekday: 0 = Sunday
};

// Each row is a fact about the calendar, not what the code prints.
const DateCase kDates[] = {
    {0, 1970, 1, 1, 0, 0, 0, 4},                      // the epoch: a Thursday
    {86399, 1970, 1, 1, 23, 59, 59, 4},               // its last second
    {86400, 1970, 1, 2, 0, 0, 0, 5},                  // the next day: Friday
    {68169600, 1972, 2, 29, 0, 0, 0, 2},              // the first leap day after 1970: a Tuesday
    {951782400, 2000, 2, 29, 0, 0, 0, 2},             // 2000 is a leap year (divisible by 400): Tuesday
    {951868800, 2000, 3, 1, 0, 0, 0, 3},              // ... and the day after
    {946684799, 1999, 12, 31, 23, 59, 59, 5},         // the last second of 1999: a Friday
    {946684800, 2000, 1, 1, 0, 0, 0, 6},              // the first of 2000: a Saturday
    {1798761599, 2026, 12, 31, 23, 59, 59, 4},        // the last second of 2026: a Thursday
    {2147483647, 2038, 1, 19, 3, 14, 7, 2},           // the last second a signed 32-bit time_t holds: Tuesday
    {2147483648, 2038, 1, 19, 3, 14, 8, 2},           // one more: past it, still right
    {4107542400, 2100, 3, 1, 0, 0, 0, 1},             // 2100 is not a leap year: Feb 28 -> Mar 1, a Monday
    {4107542399, 2100, 2, 28, 23, 59, 59, 0},         // ... its Feb 28 ends a Sunday
    {1796637600, 2026, 12, 7, 10, 0, 0, 1},           // the lesson's example: a Monday
    {253402300799, 9999, 12, 31, 23, 59, 59, 5},      // the last second with a four-digit year
    {253402300800, 10000, 1, 1, 0, 0, 0, 6},          // then five digits
};

std::string shown(const httpd::CivilTime& t) {
    return std::to_string(t.year) + "-" + std::to_string(t.month) + "-" + std::to_string(t.day) + " " +
           std::to_string(t.hour) + ":" + std::to_string(t.minute) + ":" + std::to_string(t.second) + " wd " +
           std::to_string(t.weekday);
}

TEST(Lesson10Log, CivilTimeKnownDates) {
    for (const DateCase& d : kDates) {
        httpd::CivilTime t;
        httpd::civil_time(d.seconds, &t);
        EXPECT_EQ(t.year, d.year) << d.seconds << ": " << shown(t);
        EXPECT_EQ(t.month, d.month) << d.seconds << ": " << shown(t);
        EXPECT_EQ(t.day, d.day) << d.seconds << ": " << shown(t);
        EXPECT_EQ(t.hour, d.hour) << d.seconds;
        EXPECT_EQ(t.minute, d.minute) << d.seconds;
        EXPECT_EQ(t.second, d.second) << d.seconds;
        EXPECT_EQ(t.weekday, d.weekday) << d.seconds;
    }
}

// The calendar walked one day at a time from 1970 to 2500, with the leap
// rule written out: every day must follow from the one before.
TEST(Lesson10Log, CivilTimeEveryDayFollowsTheCalendar) {
    auto leap = [](std::uint64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; };
    auto days_in = [&](std::uint64_t y, std::uint64_t m) -> std::uint64_t {
        static const std::uint64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        return m == 2 && leap(y) ? 29 : kDays[m - 1];
    };
    std::uint64_t y = 1970, m = 1, d = 1, wd = 4;
    for (std::uint64_t day = 0; y < 2500; ++day) {
        httpd::CivilTime t;
        httpd::civil_time(day * 86400 + 43210, &t);   // 12:00:10 that day
        ASSERT_EQ(t.year, y) << day;
        ASSERT_EQ(t.month, m) << day;
        ASSERT_EQ(t.day, d) << day;
        ASSERT_EQ(t.weekday, wd) << day;
        ASSERT_EQ(t.hour, 12u);
        ASSERT_EQ(t.second, 10u);
        wd = (wd + 1) % 7;
        if (++d > days_in(y, m)) {
            d = 1;
            if (++m > 12) m = 1, ++y;
        }
    }
}

// Seeded random seconds up to the year 9999 against the C library.
TEST(Lesson10Log, CivilTimeAgreesWithGmtime) {
    constexpr std::uint32_t kSeed = 20261207;
    std::mt19937_64 rng(kSeed);
    for (int i = 0; i < 20000; ++i) {
        std::uint64_t s = rng() % 253402300800ULL;
        httpd::CivilTime t;
        httpd::civil_time(s, &t);
        std::time_t tt = static_cast<std::time_t>(s);
        std::tm g{};
        ASSERT_NE(::gmtime_r(&tt, &g), nullptr);
        ASSERT_EQ(t.year, static_cast<std::uint64_t>(g.tm_year) + 1900) << "seed " << kSeed << ": " << s;
        ASSERT_EQ(t.month, static_cast<std::uint64_t>(g.tm_mon) + 1) << "seed " << kSeed << ": " << s;
        ASSERT_EQ(t.day, static_cast<std::uint64_t>(g.tm_mday)) << "seed " << kSeed << ": " << s;
        ASSERT_EQ(t.hour, static_cast<std::uint64_t>(g.tm_hour)) << s;
        ASSERT_EQ(t.minute, static_cast<std::uint64_t>(g.tm_min)) << s;
        ASSERT_EQ(t.second, static_cast<std::uint64_t>(g.tm_sec)) << s;
        ASSERT_EQ(t.weekday, static_cast<std::uint64_t>(g.tm_wday)) << s;
    }
}

TEST(Lesson10Log, CivilTimeLargestSecond) {
    // 2^64 - 1 seconds: 213503982334601 days; no overflow on the way.
    // The calendar repeats every 400 years (146097 days): those days are
    // 1461385123 whole cycles and 19670 days, and 1970-01-01 + 19670
    // days is 2023-11-09, a Thursday -- so the date is
    // (2023 + 400 * 1461385123)-11-09.
    httpd::CivilTime t;
    httpd::civil_time(UINT64_MAX, &t);
    EXPECT_EQ(t.year, 584554051223u);
    EXPECT_EQ(t.month, 11u);
    EXPECT_EQ(t.day, 9u);
    EXPECT_EQ(t.weekday, 4u);
    EXPECT_EQ(t.hour, 7u);     // (2^64 - 1) mod 86400 = 25215 s = 07:00:15
    EXPECT_EQ(t.minute, 0u);
    EXPECT_EQ(t.second, 15u);
}

std::string request_line(const std::string& buf) {
    const char* line = nullptr;
    std::size_t n = httpd::log_request_line(buf.data(), buf.size(), &line);
    return std::string(line, n);
}

TEST(Lesson10Log, RequestLineTable) {
    EXPECT_EQ(request_line("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), "GET / HTTP/1.1");
    EXPECT_EQ(request_line("GET / HTTP/1.1\nHost: a\n\n"), "GET / HTTP/1.1");       // bare LF ends it too
    EXPECT_EQ(request_line("\r\n\nGET /x HTTP/1.0\r\n\r\n"), "GET /x HTTP/1.0");    // empty lines skipped (RFC 9112 §2.2)
    EXPECT_EQ(request_line("GET /half"), "GET /half");                              // no LF yet: what came
    EXPECT_EQ(request_line("GET /a\rb HTTP/1.1\r\n"), "GET /a\rb HTTP/1.1");        // a CR inside stays (escaped later)
    EXPECT_EQ(request_line("GET /\r"), "GET /\r");                                  // a CR at the end: no LF after it
    EXPECT_EQ(request_line("\r"), "\r");                                            // a CR alone is not an empty line
    EXPECT_EQ(request_line(""), "");                                                // nothing read: no line
    EXPECT_EQ(request_line("\r\n\r\n"), "");                                        // only empty lines: no line
    EXPECT_EQ(request_line("\r\r\n"), "\r");                                        // CR, then CR LF
}

std::string escape_log(const std::string& in, std::size_t cap = 4096) {
    std::string out(cap, '?');
    out.resize(httpd::log_escape(out.data(), cap, in.data(), in.size()));
    return out;
}

TEST(Lesson10Log, EscapeTable) {
    EXPECT_EQ(escape_log("GET /a.txt HTTP/1.1"), "GET /a.txt HTTP/1.1");
    EXPECT_EQ(escape_log("\x1b[31m"), "\\x1b[31m");                // ESC: a terminal's control sequences
    EXPECT_EQ(escape_log("a\"b"), "a\\x22b");                       // the quote would end the field
    EXPECT_EQ(escape_log("a\\b"), "a\\x5cb");                       // a backslash would fake an escape
    EXPECT_EQ(escape_log(std::string("\0\t\r\n", 4)), "\\x00\\x09\\x0d\\x0a");
    EXPECT_EQ(escape_log("\x7f"), "\\x7f");                          // DEL
    EXPECT_EQ(escape_log("caf\xc3\xa9"), "caf\\xc3\\xa9");           // not ASCII: escaped, byte by byte
    EXPECT_EQ(escape_log("\x9b"), "\\x9b");                          // C1 CSI: a control on 8-bit terminals
    EXPECT_EQ(escape_log(" ~"), " ~");                               // SP and '~': the ends of what stays
    std::string all;
    for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
    std::string e = escape_log(all);
    for (char c : e) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << static_cast<int>(c);   // only printable ASCII comes out
    EXPECT_EQ(e.size(), 4u * (32 + 1 + 128 + 2) + (256 - 32 - 1 - 128 - 2));
}

TEST(Lesson10Log, EscapeNeverCutsAnEscape) {
    EXPECT_EQ(escape_log("abc", 2), "ab");
    EXPECT_EQ(escape_log("a\x01", 4), "a");          // "\x01" needs 4: it is left out whole
    EXPECT_EQ(escape_log("a\x01", 5), "a\\x01");
    EXPECT_EQ(escape_log("\x01z", 4), "\\x01");
    EXPECT_EQ(escape_log("abc", 0), "");
}

std::string line_of(const httpd::LogEntry& e) {
    char out[httpd::kLogLineMax];
    std::size_t n = httpd::format_log_line(out, &e);
    EXPECT_LE(n, httpd::kLogLineMax);
    return std::string(out, n);
}

httpd::LogEntry entry(const char* line, std::uint64_t status, std::uint64_t bytes) {
    httpd::LogEntry e;
    e.addr = 0x7f000001;         // 127.0.0.1
    e.time = 1796637600;         // 07/Dec/2026:10:00:00 +0000
    e.line = line;
    e.line_len = std::strlen(line);
    e.status = status;
    e.bytes = bytes;
    return e;
}

TEST(Lesson10Log, FormatLineTable) {
    EXPECT_EQ(line_of(entry("GET /a.txt HTTP/1.1", 200, 3)),
              "127.0.0.1 - - [07/Dec/2026:10:00:00 +0000] \"GET /a.txt HTTP/1.1\" 200 3\n");   // the example
    EXPECT_EQ(line_of(entry("HEAD / HTTP/1.1", 200, 0)),
              "127.0.0.1 - - [07/Dec/2026:10:00:00 +0000] \"HEAD / HTTP/1.1\" 200 -\n");        // no body: "-"
    EXPECT_EQ(line_of(entry("", 408, 5)), "127.0.0.1 - - [07/Dec/2026:10:00:00 +0000] \"-\" 408 5\n");   // no request line
    EXPECT_EQ(line_of(entry("GET /\x1b\" HTTP/1.1", 400, 268)),
              "127.0.0.1 - - [07/Dec/2026:10:00:00 +0000] \"GET /\\x1b\\x22 HTTP/1.1\" 400 268\n");
    httpd::LogEntry e = entry("GET / HTTP/1.1", 404, 1);
    e.addr = 0xc0a80a01;          // 192.168.10.1: each byte in decimal
    e.time = 0;
    EXPECT_EQ(line_of(e), "192.168.10.1 - - [01/Jan/1970:00:00:00 +0000] \"GET / HTTP/1.1\" 404 1\n");
    e.addr = httpd::kLogNoAddr;   // getpeername failed
    EXPECT_EQ(line_of(e).substr(0, 6), "- - - ");
    e.addr = 0xffffffff;
    e.time = 951782400 + 3661;    // a leap day: 29/Feb/2000:01:01:01
    e.bytes = 18446744073709551615ULL;
    EXPECT_EQ(line_of(e), "255.255.255.255 - - [29/Feb/2000:01:01:01 +0000] \"GET / HTTP/1.1\" 404 18446744073709551615\n");
}

TEST(Lesson10Log, FormatLineMonthNames) {
    const char* names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    // the 15th of each month of 2026 (2026-01-15 = day 20468 since 1970)
    const std::uint64_t day_of_year[] = {14, 45, 73, 104, 134, 165, 195, 226, 257, 287, 318, 348};
    for (int m = 0; m < 12; ++m) {
        httpd::LogEntry e = entry("x", 200, 1);
        e.time = (20454 + day_of_year[m]) * 86400ULL;
        std::string want = std::string("[15/") + names[m] + "/2026:00:00:00 +0000]";
        EXPECT_NE(line_of(e).find(want), std::string::npos) << line_of(e);
    }
}

TEST(Lesson10Log, LongestLineFitsOneAtomicWrite) {
    // every field at its longest: 255.255.255.255, a 12-digit year, a
    // 20-digit status and byte count, a request line of escapes only
    std::string worst(8192, '\x01');
    httpd::LogEntry e = entry("", UINT64_MAX, UINT64_MAX);
    e.addr = 0xffffffff;
    e.time = UINT64_MAX;
    e.line = worst.data();
    e.line_len = worst.size();
    std::string l = line_of(e);
    EXPECT_LE(l.size(), httpd::kLogLineMax);
    EXPECT_EQ(l.back(), '\n');
    EXPECT_EQ(l.find('\n'), l.size() - 1);   // one line
    EXPECT_NE(l.find(std::string("\"") + std::string("\\x01") + "\\x01"), std::string::npos);
    EXPECT_NE(l.find("\\x01\" 18446744073709551615 18446744073709551615\n"), std::string::npos) << l;
    // the request field got its whole room, in whole escapes
    std::size_t open = l.find('"'), close = l.rfind('"');
    EXPECT_EQ(close - open - 1, httpd::kLogRequestRoom);
}

// The hook on a socket pair: stdout is redirected to a pipe to read the line.
std::string logged(httpd::Exchange& x) {
    int p[2];
    EXPECT_EQ(::pipe(p), 0);
    int saved = ::dup(STDOUT_FILENO);
    ::dup2(p[1], STDOUT_FILENO);
    httpd::log_exchange(x);
    ::dup2(saved, STDOUT_FILENO);
    ::close(saved);
    ::close(p[1]);
    std::string out;
    char buf[1024];
    for (ssize_t n; (n = ::read(p[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    ::close(p[0]);
    return out;
}

TEST(Lesson10Log, ExchangeWritesOneLine) {
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    auto x = std::make_unique<httpd::Exchange>();
    httpd::start_exchange(*x, sv[0], nullptr);
    std::string head = "GET /docs/a.txt HTTP/1.1\r\nHost: a\r\n\r\n";
    std::memcpy(x->buf, head.data(), head.size());
    x->read_len = head.size();
    x->status = 206;
    x->body_sent = 3;
    std::string l = logged(*x);
    // an AF_UNIX peer has no IPv4 address: "-"; the date is the clock's
    EXPECT_EQ(l.substr(0, 6), "- - - ") << escaped(l);
    EXPECT_NE(l.find("+0000] \"GET /docs/a.txt HTTP/1.1\" 206 3\n"), std::string::npos) << escaped(l);
    EXPECT_EQ(l.find('\n'), l.size() - 1);
    ::close(sv[0]);
    ::close(sv[1]);
}

TEST(Lesson10Log, NothingCameNothingWentNoLine) {
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    auto x = std::make_unique<httpd::Exchange>();
    httpd::start_exchange(*x, sv[0], nullptr);
    EXPECT_EQ(logged(*x), "");            // read_len 0, status 200: no line
    x->status = 408;                      // an answer went without a request line
    EXPECT_NE(logged(*x).find("] \"-\" 408 -\n"), std::string::npos);
    ::close(sv[0]);
    ::close(sv[1]);
}

// The bytes the log reports for a file: send_file_counted adds what the
// kernel took, all of it when the whole body went, part of it when the
// client left half-way.
TEST(Lesson10Log, SendFileCountedCountsWhatWent) {
    char name[] = "/tmp/metal-log-XXXXXX";
    int file = ::mkstemp(name);
    ASSERT_GE(file, 0);
    ::unlink(name);
    constexpr std::uint64_t kSize = 64ULL << 20;          // 64 MiB, sparse: far more than socket buffers hold
    ASSERT_EQ(::ftruncate(file, static_cast<off_t>(kSize)), 0);
    std::uint64_t sent = 7;                               // it adds to what is there
    std::string got = testsupport::capture([&](int s) { EXPECT_EQ(httpd::send_file_counted(s, file, 10, 1000, &sent), 0); });
    EXPECT_EQ(got.size(), 1000u);
    EXPECT_EQ(sent, 1007u);
    sent = 0;
    EXPECT_LT(httpd::send_file_counted(-1, file, 0, 10, &sent), 0);   // nothing went
    EXPECT_EQ(sent, 0u);
    // a client that reads 100 KB and leaves: a failure, and a count between
    int fds[2];
    ASSERT_TRUE(testsupport::tcp_pair(fds));
    auto old = ::signal(SIGPIPE, SIG_IGN);                // EPIPE, not death (the servers ignore it too)
    std::thread client([&] {
        char buf[4096];
        std::size_t n = 0;
        while (n < 100000) {
            ssize_t r = ::read(fds[1], buf, sizeof buf);
            if (r <= 0) break;
            n += static_cast<std::size_t>(r);
        }
        ::close(fds[1]);                                  // unread bytes: the kernel resets
    });
    std::int64_t r = httpd::send_file_counted(fds[0], file, 0, kSize, &sent);
    client.join();
    ::signal(SIGPIPE, old);
    EXPECT_LT(r, 0);                                      // EPIPE or ECONNRESET
    EXPECT_GE(sent, 100000u);                             // at least what the client read
    EXPECT_LT(sent, kSize);                               // never the whole body
    ::close(fds[0]);
    ::close(file);
}

}  // namespace
