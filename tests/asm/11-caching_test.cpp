// tests/asm/11-caching_test.cpp -- lesson 11's caching stage: the assembly
// (asm/11-caching.s) against its C++ twin (cpp/11-caching.cpp).
//
// Every pure function table-driven first -- each row's expectation from
// RFC 9110 §5.6.7 (the three date forms, the example instant
// 784111777 = Sun, 06 Nov 1994 08:49:37 GMT), §13.1 (the conditions) or
// the Gregorian calendar -- and then with seeded random inputs, the two
// languages compared: random instants over the whole range an HTTP-date
// can show (years 0000 .. 9999) and past it, and random strings made from
// valid dates of all three forms with bytes changed, dropped or added.
// Then the steps side by side on a struct exchange and an
// httpd::Exchange (tests/support/asm_exchange.hpp).
//
// The random tests print their seed and the input that differed.
// METAL_DATE_RANDOM=N runs N random instants and N random strings instead
// of 20000 (make date-fuzz: 1,000,000); METAL_DATE_SEED=S another seed.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "../support/asm_exchange.hpp"
#include "../support/civil_cases.hpp"
#include "../support/files_fixture.hpp"
#include "../support/support.hpp"
#include "10-log.hpp"
#include "11-caching.hpp"
#include "api.h"
#include "exchange.hpp"

namespace {

using testsupport::escaped;
using testsupport::Records;
using testsupport::step_both;

constexpr std::int64_t kMin = HTTP_TIME_MIN;   // 0000-01-01 00:00:00
constexpr std::int64_t kMax = HTTP_TIME_MAX;   // 9999-12-31 23:59:59
constexpr std::int64_t kExample = testsupport::kRfcExample;   // RFC 9110 §5.6.7's example instant
constexpr std::int64_t kNow2026 = 1796637600;  // 2026-12-07 10:00:00: the clock of the tables
constexpr std::int64_t kUntouched = 0x5eed5eed5eed5eedLL;   // what *out holds before a call

// An environment variable as a number, or `fallback`.
std::uint64_t env_number(const char* name, std::uint64_t fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}
std::uint64_t random_count() { return env_number("METAL_DATE_RANDOM", 20000); }
std::uint64_t random_seed() { return env_number("METAL_DATE_SEED", 20261111); }

// ---------------------------------------------------------------------------
// Both languages' answers, side by side.
// ---------------------------------------------------------------------------
std::string asm_format(std::int64_t s) {
    std::string out(HTTP_DATE_LEN + 8, '?');   // 8 guard bytes: nothing written past 29
    std::size_t n = format_http_date(out.data(), s);
    EXPECT_EQ(n, static_cast<std::size_t>(HTTP_DATE_LEN)) << s;
    EXPECT_EQ(out.substr(HTTP_DATE_LEN), std::string(8, '?')) << s << ": written past HTTP_DATE_LEN";
    return out.substr(0, HTTP_DATE_LEN);
}
std::string cpp_format(std::int64_t s) {
    std::string out(HTTP_DATE_LEN, '?');
    httpd::format_http_date(out.data(), s);
    return out;
}

struct Parsed {
    int result = -12345;
    std::int64_t value = kUntouched;
    bool operator==(const Parsed& o) const { return result == o.result && value == o.value; }
};
std::string show(const Parsed& p) { return std::to_string(p.result) + " (" + std::to_string(p.value) + ")"; }

Parsed asm_parse(const std::string& v, std::int64_t now) {
    Parsed p;
    p.result = parse_http_date(v.data(), v.size(), now, &p.value);
    return p;
}
Parsed cpp_parse(const std::string& v, std::int64_t now) {
    Parsed p;
    p.result = httpd::parse_http_date(v, now, &p.value);
    return p;
}

// The same answer from both, and *out written only with 0.
void expect_parse_same(const std::string& v, std::int64_t now, const std::string& where) {
    Parsed a = asm_parse(v, now), c = cpp_parse(v, now);
    EXPECT_EQ(a, c) << where << "\"" << escaped(v) << "\" now " << now << ": asm " << show(a) << ", cpp " << show(c);
    if (a.result != 0) {
        EXPECT_EQ(a.result, -1) << where << escaped(v);
        EXPECT_EQ(a.value, kUntouched) << where << escaped(v) << ": *out written on failure";
    }
}

// The three forms of an instant, built here from lesson 10's civil_time
// (the test's own formatter, so that a bug in format_http_date cannot
// hide in both sides of a comparison).
struct Forms {
    std::string imf, rfc850, asctime;
};
Forms forms_of(std::int64_t s) {
    static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* const kLong[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    std::int64_t back = 0;
    if (s < 0) {                                   // civil_time is unsigned: 2000 years on, and back
        s += 5 * 146097LL * 86400;
        back = 2000;
    }
    httpd::CivilTime t;
    httpd::civil_time(static_cast<std::uint64_t>(s), &t);
    auto two = [](std::uint64_t v) { return std::string{static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)}; };
    std::int64_t year = static_cast<std::int64_t>(t.year) - back;
    std::string y4 = two(static_cast<std::uint64_t>(year) / 100) + two(static_cast<std::uint64_t>(year) % 100);
    std::string mon(httpd::kMonthNames + 3 * (t.month - 1), 3);
    std::string clock = two(t.hour) + ":" + two(t.minute) + ":" + two(t.second);
    Forms f;
    f.imf = std::string(kDays[t.weekday]) + ", " + two(t.day) + " " + mon + " " + y4 + " " + clock + " GMT";
    f.rfc850 = std::string(kLong[t.weekday]) + ", " + two(t.day) + "-" + mon + "-" + two(static_cast<std::uint64_t>(year) % 100) +
               " " + clock + " GMT";
    f.asctime = std::string(kDays[t.weekday]) + " " + mon + " " + (t.day < 10 ? " " + std::to_string(t.day) : two(t.day)) +
                " " + clock + " " + y4;
    return f;
}

// ---------------------------------------------------------------------------
// seconds_from_civil, and the pieces of the parsers
// ---------------------------------------------------------------------------
TEST(Lesson11CachingAsm, SecondsFromCivilTable) {
    for (const testsupport::CivilCase& r : testsupport::civil_cases()) {
        std::string where = std::to_string(r.year) + "-" + std::to_string(r.month) + "-" + std::to_string(r.day) + ": " + r.why;
        EXPECT_EQ(seconds_from_civil(r.year, r.month, r.day, r.hour, r.minute, r.second), r.want) << where;
        EXPECT_EQ(httpd::seconds_from_civil(r.year, r.month, r.day, r.hour, r.minute, r.second), r.want) << where;
    }
}

TEST(Lesson11CachingAsm, SecondsFromCivilRandomRoundTrips) {
    const std::uint64_t seed = random_seed();
    std::mt19937_64 rng(seed);
    for (std::uint64_t i = 0, n = random_count(); i < n; ++i) {
        std::int64_t year = static_cast<std::int64_t>(rng() % 10000);
        std::uint64_t month = 1 + rng() % 12;
        std::uint64_t day = 1 + rng() % httpd::days_in_month(year, month);
        std::uint64_t hour = rng() % 24, minute = rng() % 60, second = rng() % 61;
        std::int64_t a = seconds_from_civil(year, month, day, hour, minute, second);
        std::int64_t c = httpd::seconds_from_civil(year, month, day, hour, minute, second);
        ASSERT_EQ(a, c) << "seed " << seed << " #" << i << ": " << year << "-" << month << "-" << day << " " << hour
                        << ":" << minute << ":" << second;
        if (a >= 0 && second < 60) {   // civil_time takes it back (from 1970 on, without leap seconds)
            struct civil_time t;
            civil_time(static_cast<std::uint64_t>(a), &t);
            ASSERT_TRUE(t.year == static_cast<std::uint64_t>(year) && t.month == month && t.day == day &&
                        t.hour == hour && t.minute == minute && t.second == second)
                << "seed " << seed << " #" << i << ": " << a;
        }
    }
}

TEST(Lesson11CachingAsm, PiecesAgreeWithTheTable) {
    // parse_digits: fixed widths, digits only
    struct Digits {
        const char* p;
        std::size_t n;
        int want;
        std::uint64_t value;
    };
    for (const Digits& d : {Digits{"1994", 4, 0, 1994}, Digits{"0000", 4, 0, 0}, Digits{"9999", 4, 0, 9999},
                            Digits{"06", 2, 0, 6}, Digits{"7", 1, 0, 7}, Digits{" 6", 2, -1, 0}, Digits{"6 ", 2, -1, 0},
                            Digits{"+1", 2, -1, 0}, Digits{"1a", 2, -1, 0}, Digits{"/0", 2, -1, 0}, Digits{":0", 2, -1, 0}}) {
        std::uint64_t va = 77, vc = 77;
        EXPECT_EQ(parse_digits(d.p, d.n, &va), d.want) << d.p;
        EXPECT_EQ(httpd::parse_digits(d.p, d.n, &vc), d.want) << d.p;
        EXPECT_EQ(va, d.want == 0 ? d.value : 77u) << d.p;
        EXPECT_EQ(vc, va) << d.p;
    }
    // the names: exact and case-sensitive (§5.6.7)
    const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int m = 0; m < 12; ++m) {
        EXPECT_EQ(month_from_name(months[m], 3), m + 1) << months[m];
        EXPECT_EQ(httpd::month_from_name(months[m]), m + 1) << months[m];
    }
    for (const char* bad : {"jan", "JAN", "Janu", "Ja", "", "Sun", "Dez"}) {
        EXPECT_EQ(month_from_name(bad, std::strlen(bad)), -1) << bad;
        EXPECT_EQ(httpd::month_from_name(bad), -1) << bad;
    }
    const char* const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    const char* const longs[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    for (int d = 0; d < 7; ++d) {
        EXPECT_EQ(weekday_short(days[d], 3), d) << days[d];
        EXPECT_EQ(httpd::weekday_short(days[d]), d) << days[d];
        EXPECT_EQ(weekday_long(longs[d], std::strlen(longs[d])), d) << longs[d];
        EXPECT_EQ(httpd::weekday_long(longs[d]), d) << longs[d];
        EXPECT_EQ(weekday_long(days[d], 3), -1) << days[d];        // the short name is not the long one
        EXPECT_EQ(weekday_short(longs[d], std::strlen(longs[d])), -1) << longs[d];
    }
    for (const char* bad : {"sunday", "SUNDAY", "Sundays", "Sunda", "Wednesdays", "", "Thu,", "Mon day"}) {
        std::size_t n = std::strlen(bad);
        EXPECT_EQ(weekday_long(bad, n), -1) << bad;
        EXPECT_EQ(httpd::weekday_long(std::string_view(bad, n)), -1) << bad;
        EXPECT_EQ(weekday_short(bad, n), httpd::weekday_short(std::string_view(bad, n))) << bad;
    }
    EXPECT_EQ(weekday_long("Monday\0", 7), -1);   // a NUL is not the name's end
    EXPECT_EQ(httpd::weekday_long(std::string_view("Monday\0", 7)), -1);
    EXPECT_EQ(weekday_long("Wednesday\0", 10), -1);
    EXPECT_EQ(httpd::weekday_long(std::string_view("Wednesday\0", 10)), -1);
    EXPECT_EQ(weekday_long("Tue\0day", 7), -1);
    EXPECT_EQ(httpd::weekday_long(std::string_view("Tue\0day", 7)), -1);
    // days_in_month: the Gregorian rule
    struct Dim {
        std::int64_t year;
        std::uint64_t month, want;
    };
    for (const Dim& d : {Dim{2024, 2, 29}, Dim{2023, 2, 28}, Dim{1900, 2, 28}, Dim{2000, 2, 29}, Dim{2100, 2, 28},
                         Dim{0, 2, 29}, Dim{1600, 2, 29}, Dim{-4, 2, 29}, Dim{-100, 2, 28}, Dim{-400, 2, 29},
                         Dim{-1, 2, 28}, Dim{2023, 1, 31}, Dim{2023, 4, 30}, Dim{2023, 12, 31}, Dim{2023, 9, 30}}) {
        EXPECT_EQ(days_in_month(d.year, d.month), d.want) << d.year << "-" << d.month;
        EXPECT_EQ(httpd::days_in_month(d.year, d.month), d.want) << d.year << "-" << d.month;
    }
    // parse_time_of_day: the colons and the digits (the ranges: http_time)
    for (const char* t : {"08:49:37", "23:59:60", "99:99:99", "08-49-37", "08:49:3x", " 8:49:37", "08:4:937"}) {
        std::uint64_t ha = 0, ma = 0, sa = 0, hc = 0, mc = 0, sc = 0;
        int ra = parse_time_of_day(t, &ha, &ma, &sa);
        int rc = httpd::parse_time_of_day(t, &hc, &mc, &sc);
        EXPECT_EQ(ra, rc) << t;
        if (ra == 0) {
            EXPECT_TRUE(ha == hc && ma == mc && sa == sc) << t;
        }
    }
    std::uint64_t h = 0, m = 0, s = 0;
    EXPECT_EQ(parse_time_of_day("08:49:37", &h, &m, &s), 0);
    EXPECT_TRUE(h == 8 && m == 49 && s == 37);
    EXPECT_EQ(parse_time_of_day("08-49:37", &h, &m, &s), -1);
}

TEST(Lesson11CachingAsm, HttpTimeChecksEveryRange) {
    struct Row {
        std::int64_t year;
        std::uint64_t month, day, hour, minute, second;
        int want;
    };
    const Row rows[] = {
        {1994, 11, 6, 8, 49, 37, 0},   {1994, 11, 31, 0, 0, 0, -1},  {1994, 2, 29, 0, 0, 0, -1},
        {1996, 2, 29, 0, 0, 0, 0},     {1900, 2, 29, 0, 0, 0, -1},   {2000, 2, 29, 0, 0, 0, 0},
        {1994, 0, 1, 0, 0, 0, -1},     {1994, 13, 1, 0, 0, 0, -1},   {1994, 1, 0, 0, 0, 0, -1},
        {1994, 1, 1, 24, 0, 0, -1},    {1994, 1, 1, 23, 60, 0, -1},  {1994, 1, 1, 23, 59, 60, 0},
        {1994, 1, 1, 23, 59, 61, -1},  {0, 1, 1, 0, 0, 0, 0},        {9999, 12, 31, 23, 59, 59, 0},
    };
    for (const Row& r : rows) {
        std::int64_t a = kUntouched, c = kUntouched;
        std::string where = std::to_string(r.year) + "-" + std::to_string(r.month) + "-" + std::to_string(r.day) + " " +
                            std::to_string(r.hour) + ":" + std::to_string(r.minute) + ":" + std::to_string(r.second);
        EXPECT_EQ(http_time(r.year, r.month, r.day, r.hour, r.minute, r.second, &a), r.want) << where;
        EXPECT_EQ(httpd::http_time(r.year, r.month, r.day, r.hour, r.minute, r.second, &c), r.want) << where;
        EXPECT_EQ(a, c) << where;
        if (r.want != 0) {
            EXPECT_EQ(a, kUntouched) << where << ": *out written on failure";
        }
    }
}

TEST(Lesson11CachingAsm, Rfc850YearTableAndRandom) {
    // §5.6.7: more than 50 years in the future -> the century before
    struct Row {
        std::uint64_t yy;
        std::int64_t now, want;
    };
    const Row rows[] = {
        {94, kNow2026, 1994}, {26, kNow2026, 2026}, {76, kNow2026, 2076}, {77, kNow2026, 1977},
        {0, kNow2026, 2000},  {99, kNow2026, 1999}, {70, 0, 1970},        {71, 0, 1971},
        {20, 0, 1920},        {69, -5, 1969},       {0, kMax, 9900},      {49, 946684800, 2049},   // now 2000
        {51, 946684800, 1951},
    };
    for (const Row& r : rows) {
        EXPECT_EQ(rfc850_year(r.yy, r.now), r.want) << r.yy << " at " << r.now;
        EXPECT_EQ(httpd::rfc850_year(r.yy, r.now), r.want) << r.yy << " at " << r.now;
    }
    const std::uint64_t seed = random_seed() + 1;
    std::mt19937_64 rng(seed);
    for (int i = 0; i < 20000; ++i) {
        std::uint64_t yy = rng() % 100;
        std::int64_t now = i % 3 == 0 ? static_cast<std::int64_t>(rng()) : kMin + static_cast<std::int64_t>(rng() % (kMax - kMin));
        ASSERT_EQ(rfc850_year(yy, now), httpd::rfc850_year(yy, now)) << "seed " << seed << ": " << yy << " at " << now;
    }
}

// ---------------------------------------------------------------------------
// format_http_date
// ---------------------------------------------------------------------------
TEST(Lesson11CachingAsm, FormatHttpDateTable) {
    struct Row {
        std::int64_t s;
        const char* want;
    };
    const Row rows[] = {
        {kExample, "Sun, 06 Nov 1994 08:49:37 GMT"},              // RFC 9110 §5.6.7
        {0, "Thu, 01 Jan 1970 00:00:00 GMT"},
        {-1, "Wed, 31 Dec 1969 23:59:59 GMT"},                    // before 1970: eras shifted, same weekday
        {-315619200, "Fri, 01 Jan 1960 00:00:00 GMT"},
        {951782400, "Tue, 29 Feb 2000 00:00:00 GMT"},
        {2147483648LL, "Tue, 19 Jan 2038 03:14:08 GMT"},          // past 32 bits
        {2208988800LL, "Sun, 01 Jan 2040 00:00:00 GMT"},
        {kMin, "Sat, 01 Jan 0000 00:00:00 GMT"},                  // the first HTTP-date
        {kMin - 1, "Sat, 01 Jan 0000 00:00:00 GMT"},              // clamped
        {INT64_MIN, "Sat, 01 Jan 0000 00:00:00 GMT"},
        {kMax, "Fri, 31 Dec 9999 23:59:59 GMT"},                  // the last
        {kMax + 1, "Fri, 31 Dec 9999 23:59:59 GMT"},              // clamped
        {INT64_MAX, "Fri, 31 Dec 9999 23:59:59 GMT"},
        {-11670912000LL, "Wed, 01 Mar 1600 00:00:00 GMT"},
    };
    for (const Row& r : rows) {
        EXPECT_EQ(asm_format(r.s), r.want) << r.s;
        EXPECT_EQ(cpp_format(r.s), r.want) << r.s;
    }
}

// Random instants: the same 29 bytes from both, and the parser takes them
// back to the (clamped) instant -- in all three forms where the form can
// say it (RFC 850: two year digits, read back within 50 years of now).
TEST(Lesson11CachingAsm, FormatAndParseRandomInstants) {
    const std::uint64_t seed = random_seed() + 2;
    std::mt19937_64 rng(seed);
    for (std::uint64_t i = 0, n = random_count(); i < n; ++i) {
        std::int64_t s;
        switch (i % 4) {
            case 0: s = static_cast<std::int64_t>(rng()); break;                                   // any 64 bits
            case 1: s = kMin + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(kMax - kMin + 1)); break;
            case 2: s = static_cast<std::int64_t>(rng() % 4102444800ULL) - 2208988800LL; break;    // 1900 .. 2100
            default: s = (i % 8 == 3 ? kMin : kMax) + static_cast<std::int64_t>(rng() % 200) - 100; break;   // the edges
        }
        std::string where = "seed " + std::to_string(seed) + " #" + std::to_string(i) + " " + std::to_string(s) + ": ";
        std::string a = asm_format(s);
        ASSERT_EQ(a, cpp_format(s)) << where;
        std::int64_t clamped = s < kMin ? kMin : s > kMax ? kMax : s;
        Forms f = forms_of(clamped);
        ASSERT_EQ(a, f.imf) << where;
        ASSERT_EQ(asm_parse(a, kNow2026), (Parsed{0, clamped})) << where << a;
        ASSERT_EQ(asm_parse(f.asctime, kNow2026), (Parsed{0, clamped})) << where << f.asctime;
        ASSERT_EQ(asm_parse(f.asctime, kNow2026), cpp_parse(f.asctime, kNow2026)) << where << f.asctime;
        // RFC 850 with a clock 10 years after the instant: its own century
        std::int64_t now = clamped + 10 * 31556952LL;
        Parsed r = asm_parse(f.rfc850, now);
        ASSERT_EQ(r, cpp_parse(f.rfc850, now)) << where << f.rfc850;
        if (clamped >= 0) {
            ASSERT_EQ(r, (Parsed{0, clamped})) << where << f.rfc850 << " now " << now;
        }
    }
}

// ---------------------------------------------------------------------------
// parse_http_date
// ---------------------------------------------------------------------------
TEST(Lesson11CachingAsm, ParseHttpDateTable) {
    struct Row {
        const char* v;
        std::int64_t want;   // kUntouched: not an HTTP-date (-1)
    };
    const Row rows[] = {
        // RFC 9110 §5.6.7's three forms of one instant
        {"Sun, 06 Nov 1994 08:49:37 GMT", kExample},
        {"Sunday, 06-Nov-94 08:49:37 GMT", kExample},
        {"Sun Nov  6 08:49:37 1994", kExample},
        {"Sun Nov 06 08:49:37 1994", kExample},                  // asctime's 2DIGIT day
        {"Mon, 06 Nov 1994 08:49:37 GMT", kExample},             // the weekday is not checked
        {"Wednesday, 06-Nov-94 08:49:37 GMT", kExample},
        {"Thu, 01 Jan 1970 00:00:00 GMT", 0},
        {"Fri, 01 Jan 1960 00:00:00 GMT", -315619200},
        {"Sat, 01 Jan 0000 00:00:00 GMT", kMin},
        {"Fri, 31 Dec 9999 23:59:59 GMT", kMax},
        {"Tue, 29 Feb 2000 00:00:00 GMT", 951782400},
        {"Thu, 31 Dec 1998 23:59:60 GMT", 915148800},            // a leap second
        {"Sun, 01 Jan 2040 00:00:00 GMT", 2208988800LL},
        {"Wednesday, 01-Jan-70 00:00:00 GMT", 3155760000LL},    // 2070 is not more than 50 years after 2026
        {"Friday, 01-Jan-77 00:00:00 GMT", 220924800},           // 2077 is > 50 years after 2026
        {"Saturday, 01-Jan-76 00:00:00 GMT", 3345062400LL},      // 2076 is not
        // not HTTP-dates: -1, never a guess
        {"", kUntouched},
        {"sun, 06 Nov 1994 08:49:37 GMT", kUntouched},           // case-sensitive
        {"Sun, 06 nov 1994 08:49:37 GMT", kUntouched},
        {"Sun, 06 Nov 1994 08:49:37 gmt", kUntouched},
        {"Sun, 06 Nov 1994 08:49:37 UTC", kUntouched},
        {"Sun, 6 Nov 1994 08:49:37 GMT", kUntouched},            // fixed widths
        {"Sun, 06 Nov 94 08:49:37 GMT", kUntouched},
        {" Sun, 06 Nov 1994 08:49:37 GMT", kUntouched},          // nothing before or after
        {"Sun, 06 Nov 1994 08:49:37 GMT ", kUntouched},
        {"Sun, 06 Nov 1994 08:49:37 GMTX", kUntouched},
        {"Sun,  06 Nov 1994 08:49:37 GMT", kUntouched},
        {"Sun, 06 Nov 1994 8:49:37 GMT", kUntouched},
        {"Sun, 06 Nov 1994 24:00:00 GMT", kUntouched},           // hour 00-23
        {"Sun, 06 Nov 1994 08:60:00 GMT", kUntouched},           // minute 00-59
        {"Sun, 06 Nov 1994 08:49:61 GMT", kUntouched},           // second 00-60
        {"Sun, 00 Nov 1994 08:49:37 GMT", kUntouched},           // day 01 ..
        {"Sun, 31 Nov 1994 08:49:37 GMT", kUntouched},           // .. the month's last
        {"Sun, 29 Feb 1900 08:49:37 GMT", kUntouched},           // 1900: no leap year
        {"Sun, 06 Nov +994 08:49:37 GMT", kUntouched},
        {"Sun, 06 Nov 1994 08:49:37 GMT\r\n", kUntouched},
        {"Sun, 06-Nov-94 08:49:37 GMT", kUntouched},             // RFC 850 with a short name
        {"Sunday, 06 Nov 1994 08:49:37 GMT", kUntouched},        // IMF with a long name
        {"Sunday, 06-Nov-1994 08:49:37 GMT", kUntouched},
        {"Sun Nov  6 08:49:37 1994 GMT", kUntouched},
        {"Sun Nov 6 08:49:37 1994", kUntouched},
        {"Sun Nov  6 08:49:37 94", kUntouched},
        {"Sun Nov 0 6 08:49:37 1994", kUntouched},
        {"Sun Nov  0 08:49:37 1994", kUntouched},
        {"\"abc\"", kUntouched},
        {"W/\"abc\"", kUntouched},
        {"Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT", kUntouched},   // a list
    };
    for (const Row& r : rows) {
        Parsed want = r.want == kUntouched ? Parsed{-1, kUntouched} : Parsed{0, r.want};
        EXPECT_EQ(asm_parse(r.v, kNow2026), want) << "\"" << r.v << "\": asm " << show(asm_parse(r.v, kNow2026));
        EXPECT_EQ(cpp_parse(r.v, kNow2026), want) << "\"" << r.v << "\": cpp " << show(cpp_parse(r.v, kNow2026));
    }
    // each form's own parser takes only its own form
    std::int64_t out = kUntouched;
    EXPECT_EQ(parse_imf_fixdate("Sunday, 06-Nov-94 08:49:37 GMT", 30, &out), -1);
    EXPECT_EQ(parse_rfc850_date("Sun, 06 Nov 1994 08:49:37 GMT", 29, kNow2026, &out), -1);
    EXPECT_EQ(parse_asctime_date("Sun, 06 Nov 1994 08:49:37 GMT", 29, &out), -1);
    EXPECT_EQ(parse_rfc850_date("Sunday", 6, kNow2026, &out), -1);   // shorter than its tail
    EXPECT_EQ(out, kUntouched);
    EXPECT_EQ(parse_asctime_date("Sun Nov  6 08:49:37 1994", 24, &out), 0);
    EXPECT_EQ(out, kExample);
}

// Random strings: valid dates of the three forms, then changed -- a byte
// replaced (often by one that could belong there), dropped or added --
// so that every test of the parsers is reached from both sides.
std::string mutate(std::string s, std::mt19937_64& rng) {
    static const char kPool[] = "0123456789 ,-:GMTSunMonTueWedThuFriSatJanFebNovDecdaytsrW/\"\t\xff\0";
    static const std::string kBytes(kPool, sizeof kPool - 1);   // the NUL too
    int edits = static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
        std::size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
        char c = kBytes[rng() % kBytes.size()];
        switch (rng() % 4) {
            case 0: case 1: if (at < s.size()) s[at] = c; break;                   // replace
            case 2: if (at < s.size()) s.erase(at, 1); break;                      // drop
            default: s.insert(at, 1, c); break;                                    // add
        }
    }
    return s;
}

TEST(Lesson11CachingAsm, ParseHttpDateRandomStrings) {
    const std::uint64_t seed = random_seed() + 3;
    std::mt19937_64 rng(seed);
    for (std::uint64_t i = 0, n = random_count(); i < n; ++i) {
        std::int64_t s = kMin + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(kMax - kMin + 1));
        if (i % 2) s = static_cast<std::int64_t>(rng() % 4102444800ULL) - 2208988800LL;   // 1900 .. 2100
        Forms f = forms_of(s);
        const std::string& base = i % 3 == 0 ? f.imf : i % 3 == 1 ? f.rfc850 : f.asctime;
        std::string v = mutate(base, rng);
        std::int64_t now = i % 5 == 0 ? static_cast<std::int64_t>(rng()) : static_cast<std::int64_t>(rng() % 4102444800ULL);
        expect_parse_same(v, now, "seed " + std::to_string(seed) + " #" + std::to_string(i) + ": ");
        if (::testing::Test::HasFailure()) return;   // the first difference is enough
    }
}

// ---------------------------------------------------------------------------
// last_modified_time and the conditions
// ---------------------------------------------------------------------------
TEST(Lesson11CachingAsm, ConditionsTable) {
    const std::string ex = "Sun, 06 Nov 1994 08:49:37 GMT";
    struct Row {
        std::string value;
        std::int64_t last_modified, date;
        int since, range;   // modified_since's answer, if_range_holds's
    };
    const Row rows[] = {
        {ex, kExample, kNow2026, 0, 1},             // equal: not modified; a strong match
        {ex, kExample - 1, kNow2026, 0, 0},         // older file: 304; the range needs equality
        {ex, kExample + 1, kNow2026, 1, 0},         // newer file: modified (200; 412)
        {ex, kExample, kExample, 0, 0},             // Last-Modified == Date: a weak validator (§8.8.2.2)
        {ex, kExample, kExample + 1, 0, 1},         // one second before Date: strong
        {"Sunday, 06-Nov-94 08:49:37 GMT", kExample, kNow2026, 0, 1},
        {"Sun Nov  6 08:49:37 1994", kExample, kNow2026, 0, 1},
        {"not a date", kExample, kNow2026, -1, 0},   // not a date: ignored; no match
        {"", kExample, kNow2026, -1, 0},
        {"\"" + ex + "\"", kExample, kNow2026, -1, 0},   // an entity-tag never matches
        {"W/\"x\"", kExample, kNow2026, -1, 0},
        {"W", kExample, kNow2026, -1, 0},
        {"Fri, 01 Jan 1960 00:00:00 GMT", -315619200, kNow2026, 0, 1},   // before 1970
        {"Sun, 01 Jan 2040 00:00:00 GMT", kExample, kNow2026, 0, 0},     // a date in the future
    };
    for (const Row& r : rows) {
        const std::string& v = r.value;
        std::string where = "\"" + escaped(v) + "\" lm " + std::to_string(r.last_modified) + " date " + std::to_string(r.date);
        EXPECT_EQ(modified_since(v.data(), v.size(), r.last_modified, r.date), r.since) << where;
        EXPECT_EQ(httpd::modified_since(v, r.last_modified, r.date), r.since) << where;
        EXPECT_EQ(if_range_holds(v.data(), v.size(), r.last_modified, r.date, r.date), r.range) << where;
        EXPECT_EQ(httpd::if_range_holds(v, r.last_modified, r.date, r.date), r.range) << where;
    }
    // Last-Modified: the mtime, never after Date (§8.8.2.1), never before year 0000
    struct Lm {
        std::int64_t mtime, date, want;
    };
    for (const Lm& l : {Lm{kExample, kNow2026, kExample}, Lm{kNow2026 + 100, kNow2026, kNow2026},
                        Lm{kNow2026, kNow2026, kNow2026}, Lm{-315619200, kNow2026, -315619200},
                        Lm{INT64_MIN, kNow2026, kMin}, Lm{kMin - 1, kNow2026, kMin}, Lm{INT64_MAX, kNow2026, kNow2026}}) {
        EXPECT_EQ(last_modified_time(l.mtime, l.date), l.want) << l.mtime;
        EXPECT_EQ(httpd::last_modified_time(l.mtime, l.date), l.want) << l.mtime;
    }
}

TEST(Lesson11CachingAsm, ConditionsRandom) {
    const std::uint64_t seed = random_seed() + 4;
    std::mt19937_64 rng(seed);
    for (int i = 0; i < 20000; ++i) {
        std::int64_t lm = static_cast<std::int64_t>(rng() % 4102444800ULL) - 2208988800LL;
        std::int64_t date = lm + static_cast<std::int64_t>(rng() % 5) - 2;
        std::int64_t when = i % 2 ? lm : lm + static_cast<std::int64_t>(rng() % 7) - 3;
        Forms f = forms_of(when);
        std::string v = i % 7 == 0 ? mutate(f.imf, rng) : i % 3 == 0 ? f.asctime : f.imf;
        std::string where = "seed " + std::to_string(seed) + " #" + std::to_string(i) + ": " + escaped(v);
        ASSERT_EQ(modified_since(v.data(), v.size(), lm, date), httpd::modified_since(v, lm, date)) << where;
        ASSERT_EQ(if_range_holds(v.data(), v.size(), lm, date, date), httpd::if_range_holds(v, lm, date, date)) << where;
        std::int64_t mtime = static_cast<std::int64_t>(rng());
        ASSERT_EQ(last_modified_time(mtime, date), httpd::last_modified_time(mtime, date)) << mtime;
    }
}

// ---------------------------------------------------------------------------
// The steps, side by side
// ---------------------------------------------------------------------------
constexpr const char* kTag = "11-asm";

// Lesson 11's two fields start equal in both records (the C++ record
// starts them at 0, the assembly's is garbage; step_stamp_date sets date
// first thing, and last_modified is read only after step_last_modified).
void clear_dates(Records& r) {
    r.a->date = r.c->date = 0;
    r.a->last_modified = r.c->last_modified = 0;
}

// The date fields both records must agree on too (expect_same_records
// compares the rest).
void expect_same_dates(const Records& r, const std::string& where) {
    EXPECT_EQ(r.a->date, r.c->date) << where << ": date";
    EXPECT_EQ(r.a->last_modified, r.c->last_modified) << where << ": last_modified";
}

TEST(Lesson11CachingAsm, StampDateReadsTheClock) {
    Records r;
    std::int64_t before = static_cast<std::int64_t>(::time(nullptr));
    EXPECT_EQ(step_stamp_date(r.a.get()), STEP_NEXT);
    EXPECT_EQ(httpd::step_stamp_date(*r.c), httpd::kNext);
    std::int64_t after = static_cast<std::int64_t>(::time(nullptr));
    EXPECT_GE(r.a->date, before);
    EXPECT_LE(r.a->date, after);
    EXPECT_LE(r.a->date - r.c->date, 1);
    EXPECT_GE(r.a->date - r.c->date, -1);
    EXPECT_EQ(std::string(r.a->extra, r.a->extra_len), "Date: " + cpp_format(r.a->date) + "\r\n");
    EXPECT_EQ(std::string(r.c->extra, r.c->extra_len), "Date: " + cpp_format(r.c->date) + "\r\n");
    EXPECT_EQ(r.a->status, 200u);   // nothing else changes
}

// A file with a set mtime, open in both records after the lesson-11 file
// steps up to step_choose_type, with the same Date.
class Lesson11AsmSteps : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(dir.path().empty());
        set_mtime("hello.txt", kExample);
        set_mtime("future.txt", kNow2026 + 3600, "in the future\n");
        set_mtime("old.txt", -315619200, "from 1960\n");
    }
    void set_mtime(const std::string& name, std::int64_t when, const std::string& content = "") {
        if (!content.empty()) testsupport::write_file(dir.at(name), content);
        struct timespec times[2] = {{static_cast<time_t>(when), 0}, {static_cast<time_t>(when), 0}};
        ASSERT_EQ(::utimensat(AT_FDCWD, dir.at(name).c_str(), times, 0), 0) << name;
    }
    // The steps before lesson 11's, on both records; then the Date both
    // share (the clock is read once, here).
    void prepare(Records& r, const std::string& req, const std::string& label) {
        const std::vector<testsupport::StepPair> steps = {
            TWIN_STEP(step_read_head),   TWIN_STEP(step_parse_head), TWIN_STEP(step_decode_path),
            TWIN_STEP(step_normalize_path), TWIN_STEP(step_open_beneath), TWIN_STEP(step_stat_file),
            TWIN_STEP(step_directory),   TWIN_STEP(step_check_file), TWIN_STEP(step_choose_type)};
        clear_dates(r);
        for (const testsupport::StepPair& s : steps) ASSERT_EQ(step_both(r, s, req, label).result, STEP_NEXT) << label << s.name;
        r.a->date = r.c->date = kNow2026;
        std::string date = "Date: " + cpp_format(kNow2026) + "\r\n";
        r.set_extra(date);
    }
    testsupport::Docroot dir{kTag};
};

TEST_F(Lesson11AsmSteps, LastModifiedIsTheMtimeNeverAfterDate) {
    struct Case {
        const char* path;
        std::int64_t want;
    };
    for (const Case& k : {Case{"/hello.txt", kExample}, Case{"/future.txt", kNow2026}, Case{"/old.txt", -315619200},
                          Case{"/", kNow2026}}) {
        Records r(dir.path().c_str());
        if (std::string(k.path) == "/") set_mtime("index.html", kNow2026 - 5);   // the directory's index.html
        prepare(r, testsupport::http_request("GET", k.path), k.path);
        std::int64_t want = std::string(k.path) == "/" ? kNow2026 - 5 : k.want;
        EXPECT_EQ(step_both(r, TWIN_STEP(step_last_modified), "", k.path).result, STEP_NEXT);
        expect_same_dates(r, k.path);
        EXPECT_EQ(r.a->last_modified, want) << k.path;
        EXPECT_EQ(std::string(r.a->extra, r.a->extra_len),
                  "Date: " + cpp_format(kNow2026) + "\r\nLast-Modified: " + cpp_format(want) + "\r\n")
            << k.path;
    }
}

TEST_F(Lesson11AsmSteps, ConditionsAndRangesAgree) {
    const std::string ex = "Sun, 06 Nov 1994 08:49:37 GMT";
    const std::string older = "Sat, 05 Nov 1994 08:49:37 GMT";
    const std::string newer = "Mon, 07 Nov 1994 08:49:37 GMT";
    struct Case {
        const char* method;
        std::string fields;
        int check;               // step_check_conditions: STEP_NEXT or STEP_DONE (304)
        int range;               // then step_parse_range_11 (when check is STEP_NEXT)
        std::uint64_t status;    // afterwards
    };
    const Case cases[] = {
        {"GET", "", STEP_NEXT, STEP_NEXT, 200},
        {"GET", "If-Modified-Since: " + ex + "\r\n", STEP_DONE, 0, 304},              // §13.1.3: not modified
        {"HEAD", "If-Modified-Since: " + ex + "\r\n", STEP_DONE, 0, 304},
        {"GET", "If-Modified-Since: " + newer + "\r\n", STEP_DONE, 0, 304},
        {"GET", "If-Modified-Since: " + older + "\r\n", STEP_NEXT, STEP_NEXT, 200},   // modified since
        {"GET", "If-Modified-Since: Sunday, 06-Nov-94 08:49:37 GMT\r\n", STEP_DONE, 0, 304},
        {"GET", "If-Modified-Since: Sun Nov  6 08:49:37 1994\r\n", STEP_DONE, 0, 304},
        {"GET", "If-Modified-Since: yesterday\r\n", STEP_NEXT, STEP_NEXT, 200},       // not a date: ignored
        {"GET", "If-Modified-Since: " + ex + "\r\nIf-Modified-Since: " + ex + "\r\n", STEP_NEXT, STEP_NEXT, 200},
        {"GET", "If-Modified-Since: " + ex + "\r\nIf-None-Match: \"x\"\r\n", STEP_NEXT, STEP_NEXT, 200},   // §13.2.2
        {"GET", "If-None-Match: *\r\n", STEP_DONE, 0, 304},
        {"HEAD", "If-None-Match: *\r\n", STEP_DONE, 0, 304},
        {"GET", "If-None-Match: *\r\nIf-None-Match: *\r\n", STEP_NEXT, STEP_NEXT, 200},
        {"GET", "If-None-Match: \"a\", \"b\"\r\n", STEP_NEXT, STEP_NEXT, 200},
        {"GET", "Range: bytes=0-4\r\n", STEP_NEXT, STEP_NEXT, 206},
        {"GET", "Range: bytes=0-4\r\nIf-Range: " + ex + "\r\n", STEP_NEXT, STEP_NEXT, 206},     // §13.1.5: holds
        {"GET", "Range: bytes=0-4\r\nIf-Range: " + older + "\r\n", STEP_NEXT, STEP_NEXT, 200},  // another version
        {"GET", "Range: bytes=0-4\r\nIf-Range: \"etag\"\r\n", STEP_NEXT, STEP_NEXT, 200},       // no ETags sent
        {"GET", "Range: bytes=0-4\r\nIf-Range: " + ex + "\r\nIf-Range: " + ex + "\r\n", STEP_NEXT, STEP_NEXT, 200},
        {"GET", "Range: bytes=99-\r\nIf-Range: " + ex + "\r\n", STEP_NEXT, 416, 200},
        {"HEAD", "Range: bytes=0-4\r\nIf-Range: " + ex + "\r\n", STEP_NEXT, STEP_NEXT, 200},
    };
    for (const Case& k : cases) {
        std::string label = std::string(k.method) + " " + escaped(k.fields);
        Records r(dir.path().c_str());
        prepare(r, testsupport::http_request(k.method, "/hello.txt", k.fields), label);
        ASSERT_EQ(step_both(r, TWIN_STEP(step_last_modified), "", label).result, STEP_NEXT) << label;
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_check_conditions), "", label);
        expect_same_dates(r, label);
        EXPECT_EQ(run.result, k.check) << label;
        if (k.check == STEP_DONE) {
            // §15.4.5: the validator fields, no body, no Content-Length
            EXPECT_EQ(run.wrote, "HTTP/1.1 304 Not Modified\r\nServer: metal-httpd\r\nConnection: close\r\nDate: " +
                                     cpp_format(kNow2026) + "\r\nLast-Modified: " + cpp_format(kExample) + "\r\n\r\n")
                << label;
        } else {
            EXPECT_EQ(run.wrote, "") << label;
            EXPECT_EQ(step_both(r, TWIN_STEP(step_parse_range_11), "", label).result, k.range) << label;
        }
        EXPECT_EQ(r.a->status, k.status) << label;
    }
}

TEST_F(Lesson11AsmSteps, AnswerNotModifiedWithAFullHead) {
    Records r(dir.path().c_str());
    prepare(r, testsupport::http_request("GET", "/hello.txt"), "full");
    r.set_extra("X: " + std::string(EXTRA_MAX - 100, 'x') + "\r\n");   // what does not fit is left out, alike
    testsupport::StepRun run = step_both(r, TWIN_STEP(answer_not_modified), "", "full extra");
    EXPECT_EQ(run.result, STEP_DONE);
    EXPECT_EQ(run.wrote.substr(0, 26), "HTTP/1.1 304 Not Modified\r");
    EXPECT_LE(run.wrote.size(), static_cast<std::size_t>(HEAD_MAX));
}

// PUT and DELETE: If-Unmodified-Since after step_open_parent.
TEST_F(Lesson11AsmSteps, CheckUnmodifiedAgrees) {
    const std::string ex = "Sun, 06 Nov 1994 08:49:37 GMT";
    const std::string older = "Sat, 05 Nov 1994 08:49:37 GMT";
    struct Case {
        const char* method;
        const char* target;
        std::string fields;
        int want;   // step_check_unmodified's result
    };
    const Case cases[] = {
        {"DELETE", "/hello.txt", "If-Unmodified-Since: " + ex + "\r\n", STEP_NEXT},        // not modified since
        {"DELETE", "/hello.txt", "If-Unmodified-Since: " + older + "\r\n", 412},            // §13.1.4: false
        {"DELETE", "/hello.txt", "If-Unmodified-Since: soon\r\n", STEP_NEXT},              // not a date: ignored
        {"DELETE", "/hello.txt", "If-Unmodified-Since: " + older + "\r\nIf-Unmodified-Since: " + older + "\r\n", STEP_NEXT},
        {"DELETE", "/hello.txt", "", STEP_NEXT},
        {"DELETE", "/missing.txt", "If-Unmodified-Since: " + older + "\r\n", STEP_NEXT},    // no target: ignored
        {"DELETE", "/future.txt", "If-Unmodified-Since: " + cpp_format(kNow2026) + "\r\n", STEP_NEXT},   // mtime as Last-Modified: Date
        {"PUT", "/hello.txt", "Content-Length: 1\r\nIf-Unmodified-Since: " + older + "\r\n", 412},
        {"PUT", "/hello.txt", "Content-Length: 1\r\nIf-Unmodified-Since: " + ex + "\r\n", STEP_NEXT},
        {"PUT", "/new.txt", "Content-Length: 1\r\nIf-Unmodified-Since: " + older + "\r\n", STEP_NEXT},
    };
    for (const Case& k : cases) {
        std::string label = std::string(k.method) + " " + k.target + " " + escaped(k.fields);
        Records r(dir.path().c_str());
        clear_dates(r);
        std::string req = testsupport::http_request(k.method, k.target, k.fields);
        std::vector<testsupport::StepPair> steps = {TWIN_STEP(step_read_head), TWIN_STEP(step_parse_head),
                                                    TWIN_STEP(step_check_framing), TWIN_STEP(step_decode_path),
                                                    TWIN_STEP(step_normalize_path)};
        if (std::string(k.method) == "PUT") steps.push_back(TWIN_STEP(step_check_upload));
        steps.push_back(TWIN_STEP(step_open_parent));
        for (const testsupport::StepPair& s : steps) ASSERT_EQ(step_both(r, s, req, label).result, STEP_NEXT) << label << s.name;
        r.a->date = r.c->date = kNow2026;
        EXPECT_EQ(step_both(r, TWIN_STEP(step_check_unmodified), "", label).result, k.want) << label;
        expect_same_dates(r, label);
        EXPECT_EQ(testsupport::read_file(dir.at("hello.txt")), "hello, world\n") << label << ": nothing touched";
    }
}

}  // namespace
