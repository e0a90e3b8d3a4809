// tests/unit/11-caching_test.cpp -- lesson 11's C++ stage: the civil-date
// conversion both ways, the IMF-fixdate formatter, the three HTTP-date
// forms and their pieces, the three conditions, and the steps on a real
// file and a socket pair.
//
// Expectations come from the Gregorian calendar (leap years: divisible by
// 4, except centuries, except every 400 years), from RFC 9110 §5.6.7 (the
// three forms, case-sensitive, fixed widths, RFC 850's two-digit years),
// §8.8.2.1 (Last-Modified never after Date), §8.8.2.2 (a strong date: a
// second before Date), §13.1.3-§13.1.5 (the conditions) and §15.4.5 (the
// 304), and from the C library's timegm / gmtime_r as an independent
// second opinion on seeded random instants: testsupport::date_count() of
// them per test (20,000; METAL_DATE_RANDOM, `make date-fuzz`: 1,000,000).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <random>
#include <string>

#include "../support/civil_cases.hpp"
#include "../support/pipeline.hpp"
#include "../support/support.hpp"
#include "03-parse.hpp"
#include "10-log.hpp"
#include "11-caching.hpp"
#include "exchange.hpp"

namespace {

using testsupport::capture;

constexpr std::int64_t kExample = testsupport::kRfcExample;   // Sun, 06 Nov 1994 08:49:37 GMT

// The C library's reading of a date (64-bit time_t): the second opinion.
std::int64_t libc_seconds(std::int64_t year, int month, int day, int hour, int minute, int second) {
    std::tm t{};
    t.tm_year = static_cast<int>(year - 1900);
    t.tm_mon = month - 1;
    t.tm_mday = day;
    t.tm_hour = hour;
    t.tm_min = minute;
    t.tm_sec = second;
    return static_cast<std::int64_t>(::timegm(&t));
}

// The C library's IMF-fixdate of a second (gmtime_r), years padded to four.
std::string libc_imf(std::int64_t seconds) {
    static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t s = static_cast<time_t>(seconds);
    std::tm t{};
    ::gmtime_r(&s, &t);
    char out[64];
    std::snprintf(out, sizeof out, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[t.tm_wday], t.tm_mday,
                  kMonths[t.tm_mon], t.tm_year + 1900, t.tm_hour, t.tm_min, t.tm_sec);
    return out;
}

std::string formatted(std::int64_t seconds) {
    char out[httpd::kHttpDateLen + 8];
    std::memset(out, '#', sizeof out);
    std::size_t n = httpd::format_http_date(out, seconds);
    EXPECT_EQ(n, httpd::kHttpDateLen);
    EXPECT_EQ(out[httpd::kHttpDateLen], '#') << "format_http_date wrote past its 29 bytes";
    return std::string(out, n);
}

int parsed(const std::string& value, std::int64_t now, std::int64_t* out) {
    return httpd::parse_http_date(value, now, out);
}

}  // namespace

// ---------------------------------------------------------------------------
// seconds_from_civil
// ---------------------------------------------------------------------------
TEST(Lesson11, SecondsFromCivilOnDatesTheCalendarSettles) {
    for (const testsupport::CivilCase& c : testsupport::civil_cases())
        EXPECT_EQ(httpd::seconds_from_civil(c.year, c.month, c.day, c.hour, c.minute, c.second), c.want)
            << c.year << "-" << c.month << "-" << c.day << ": " << c.why;
}

TEST(Lesson11, RandomDatesSecondsFromCivilAgreesWithTimegmAndRoundTrips) {
    std::mt19937_64 rng(1111);
    for (int i = 0; i < testsupport::date_count(); ++i) {
        std::int64_t year = static_cast<std::int64_t>(rng() % 10000);
        auto month = static_cast<std::uint64_t>(rng() % 12 + 1);
        auto day = static_cast<std::uint64_t>(rng() % httpd::days_in_month(year, month) + 1);
        auto hour = rng() % 24, minute = rng() % 60, second = rng() % 60;
        std::int64_t s = httpd::seconds_from_civil(year, month, day, hour, minute, second);
        ASSERT_EQ(s, libc_seconds(year, static_cast<int>(month), static_cast<int>(day), static_cast<int>(hour),
                                  static_cast<int>(minute), static_cast<int>(second)))
            << year << "-" << month << "-" << day;
        if (s >= 0) {   // civil_time (lesson 10) reads seconds since 1970
            httpd::CivilTime t;
            httpd::civil_time(static_cast<std::uint64_t>(s), &t);
            ASSERT_EQ(static_cast<std::int64_t>(t.year), year);
            ASSERT_EQ(t.month, month);
            ASSERT_EQ(t.day, day);
            ASSERT_EQ(t.hour * 3600 + t.minute * 60 + t.second, hour * 3600 + minute * 60 + second);
        }
    }
}

// ---------------------------------------------------------------------------
// format_http_date
// ---------------------------------------------------------------------------
TEST(Lesson11, FormatHttpDateOnKnownInstants) {
    EXPECT_EQ(formatted(kExample), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(formatted(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    EXPECT_EQ(formatted(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
    EXPECT_EQ(formatted(-315619200), "Fri, 01 Jan 1960 00:00:00 GMT");
    EXPECT_EQ(formatted(2208988800), "Sun, 01 Jan 2040 00:00:00 GMT");
    EXPECT_EQ(formatted(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
    EXPECT_EQ(formatted(HTTP_TIME_MIN), "Sat, 01 Jan 0000 00:00:00 GMT");   // four digits, zero-padded
    EXPECT_EQ(formatted(HTTP_TIME_MAX), "Fri, 31 Dec 9999 23:59:59 GMT");
}

TEST(Lesson11, FormatHttpDateClampsToFourYearDigits) {
    EXPECT_EQ(formatted(HTTP_TIME_MIN - 1), formatted(HTTP_TIME_MIN));
    EXPECT_EQ(formatted(INT64_MIN), formatted(HTTP_TIME_MIN));
    EXPECT_EQ(formatted(HTTP_TIME_MAX + 1), formatted(HTTP_TIME_MAX));
    EXPECT_EQ(formatted(INT64_MAX), formatted(HTTP_TIME_MAX));
}

TEST(Lesson11, RandomDatesFormatHttpDateAgreesWithGmtime) {
    std::mt19937_64 rng(2026);
    std::uniform_int_distribution<std::int64_t> any(HTTP_TIME_MIN, HTTP_TIME_MAX);
    for (int i = 0; i < testsupport::date_count(); ++i) {
        std::int64_t s = any(rng);
        ASSERT_EQ(formatted(s), libc_imf(s)) << s;
    }
}

// ---------------------------------------------------------------------------
// The pieces of the parser
// ---------------------------------------------------------------------------
TEST(Lesson11, ParseDigitsTakesDigitsOnly) {
    std::uint64_t v = 77;
    EXPECT_EQ(httpd::parse_digits("0994", 4, &v), 0);
    EXPECT_EQ(v, 994u);
    EXPECT_EQ(httpd::parse_digits("9999", 4, &v), 0);
    EXPECT_EQ(v, 9999u);
    for (const char* bad : {" 1", "+1", "-1", "1 ", "a1", "1:"}) {
        v = 77;
        EXPECT_EQ(httpd::parse_digits(bad, 2, &v), -1) << bad;
        EXPECT_EQ(v, 77u) << "nothing written for " << bad;
    }
}

TEST(Lesson11, NamesAreExactAndCaseSensitive) {
    EXPECT_EQ(httpd::month_from_name("Jan"), 1);
    EXPECT_EQ(httpd::month_from_name("Dec"), 12);
    for (const char* bad : {"jan", "JAN", "Ja", "Janu", "Jun ", ""}) EXPECT_EQ(httpd::month_from_name(bad), -1) << bad;
    EXPECT_EQ(httpd::weekday_short("Sun"), 0);
    EXPECT_EQ(httpd::weekday_short("Sat"), 6);
    for (const char* bad : {"sun", "Sunday", "Su", ""}) EXPECT_EQ(httpd::weekday_short(bad), -1) << bad;
    const char* longs[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    for (int d = 0; d < 7; ++d) EXPECT_EQ(httpd::weekday_long(longs[d]), d);
    for (const char* bad : {"Sun", "sunday", "Sundays", "Wednes", "", ","}) EXPECT_EQ(httpd::weekday_long(bad), -1) << bad;
}

TEST(Lesson11, DaysInMonthFollowTheGregorianRule) {
    EXPECT_EQ(httpd::days_in_month(1994, 1), 31u);
    EXPECT_EQ(httpd::days_in_month(1994, 4), 30u);
    EXPECT_EQ(httpd::days_in_month(1994, 2), 28u);
    EXPECT_EQ(httpd::days_in_month(1996, 2), 29u);   // divisible by 4
    EXPECT_EQ(httpd::days_in_month(1900, 2), 28u);   // a century ...
    EXPECT_EQ(httpd::days_in_month(2000, 2), 29u);   // ... unless divisible by 400
    EXPECT_EQ(httpd::days_in_month(0, 2), 29u);      // year 0 is divisible by 400
    for (std::int64_t y = 0; y < 10000; ++y) {       // against the C library: Mar 1 - Feb 1
        std::int64_t days = (libc_seconds(y, 3, 1, 0, 0, 0) - libc_seconds(y, 2, 1, 0, 0, 0)) / 86400;
        ASSERT_EQ(httpd::days_in_month(y, 2), static_cast<std::uint64_t>(days)) << y;
    }
}

TEST(Lesson11, HttpTimeChecksEveryRange) {
    std::int64_t s = 5;
    EXPECT_EQ(httpd::http_time(1994, 11, 6, 8, 49, 37, &s), 0);
    EXPECT_EQ(s, kExample);
    EXPECT_EQ(httpd::http_time(1994, 12, 31, 23, 59, 60, &s), 0);   // a leap second (§5.6.7)
    struct Bad {
        std::int64_t y;
        std::uint64_t mo, d, h, mi, se;
    };
    for (const Bad& b : {Bad{1994, 0, 1, 0, 0, 0}, Bad{1994, 13, 1, 0, 0, 0}, Bad{1994, 11, 0, 0, 0, 0},
                         Bad{1994, 11, 31, 0, 0, 0}, Bad{1900, 2, 29, 0, 0, 0}, Bad{1994, 1, 1, 24, 0, 0},
                         Bad{1994, 1, 1, 0, 60, 0}, Bad{1994, 1, 1, 0, 0, 61}}) {
        s = 5;
        EXPECT_EQ(httpd::http_time(b.y, b.mo, b.d, b.h, b.mi, b.se, &s), -1) << b.y << "-" << b.mo << "-" << b.d;
        EXPECT_EQ(s, 5) << "nothing written";
    }
}

TEST(Lesson11, Rfc850YearsAreAtMostFiftyYearsAhead) {
    const std::int64_t now2026 = libc_seconds(2026, 12, 7, 10, 0, 0);
    EXPECT_EQ(httpd::rfc850_year(94, now2026), 1994);
    EXPECT_EQ(httpd::rfc850_year(26, now2026), 2026);
    EXPECT_EQ(httpd::rfc850_year(76, now2026), 2076);   // 50 years ahead: not MORE than 50
    EXPECT_EQ(httpd::rfc850_year(77, now2026), 1977);   // 51: the most recent past year with those digits
    EXPECT_EQ(httpd::rfc850_year(0, now2026), 2000);
    const std::int64_t now2099 = libc_seconds(2099, 6, 1, 0, 0, 0);
    EXPECT_EQ(httpd::rfc850_year(5, now2099), 2005);    // the clock's century; not in the future, so kept
    EXPECT_EQ(httpd::rfc850_year(99, now2099), 2099);
}

TEST(Lesson11, TimeOfDayNeedsItsColons) {
    std::uint64_t h = 0, m = 0, s = 0;
    EXPECT_EQ(httpd::parse_time_of_day("08:49:37", &h, &m, &s), 0);
    EXPECT_EQ(h * 10000 + m * 100 + s, 84937u);
    for (const char* bad : {"08-49-37", "08:49.37", "8:49:37 ", "08:4a:37"})
        EXPECT_EQ(httpd::parse_time_of_day(bad, &h, &m, &s), -1) << bad;
}

// ---------------------------------------------------------------------------
// parse_http_date: the three forms
// ---------------------------------------------------------------------------
TEST(Lesson11, TheThreeFormsOfTheRfcExample) {
    const std::int64_t now = libc_seconds(2026, 12, 7, 10, 0, 0);
    for (const char* v : {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                          "Sun Nov  6 08:49:37 1994", "Sun Nov 06 08:49:37 1994"}) {
        std::int64_t s = 0;
        EXPECT_EQ(parsed(v, now, &s), 0) << v;
        EXPECT_EQ(s, kExample) << v;
    }
}

TEST(Lesson11, WhatIsNotAnHttpDate) {
    const std::int64_t now = libc_seconds(2026, 12, 7, 10, 0, 0);
    const char* bad[] = {
        "",                                   // nothing
        "Sun, 06 Nov 1994 08:49:37 UTC",      // only GMT
        "Sun, 06 Nov 1994 08:49:37 gmt",      // case-sensitive (§5.6.7)
        "sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",       // fixed widths
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun,  06 Nov 1994 08:49:37 GMT",
        " Sun, 06 Nov 1994 08:49:37 GMT",     // nothing before or after
        "Sun, 06 Nov 1994 08:49:37 GMT ",
        "Sun, 06 Nov 1994 08:49:37 GMT\r",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT",      // no such day
        "Thu, 29 Feb 1900 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 06 Nov +994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sun 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06-Nov-94 08:49:37 GMT",        // RFC 850 needs the long day name
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 06 Nov 94 08:49:37 GMT",
        "sunday, 06-Nov-94 08:49:37 GMT",
        "Sunday,06-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT ",
        "Sundy, 06-Nov-94 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",            // asctime: two characters of day
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08:49:37 1994 ",
        "Sun Nov  0 08:49:37 1994",
        "Sun Nov 31 08:49:37 1994",
        "Sunday Nov  6 08:49:37 1994",
        "784111777",
        "Sun, 06 Nov 1994",
    };
    for (const char* v : bad) {
        std::int64_t s = 99;
        EXPECT_EQ(parsed(v, now, &s), -1) << "\"" << v << "\"";
    }
}

TEST(Lesson11, TheDayNameIsNotCheckedAgainstTheDate) {
    // RFC 9110 does not ask a recipient to: 06 Nov 1994 was a Sunday
    std::int64_t s = 0;
    EXPECT_EQ(parsed("Mon, 06 Nov 1994 08:49:37 GMT", 0, &s), 0);
    EXPECT_EQ(s, kExample);
}

TEST(Lesson11, DatesBeforeAndAfterTheUsualRange) {
    std::int64_t s = 0;
    EXPECT_EQ(parsed("Fri, 01 Jan 1960 00:00:00 GMT", 0, &s), 0);
    EXPECT_EQ(s, -315619200);
    EXPECT_EQ(parsed("Sat, 01 Jan 0000 00:00:00 GMT", 0, &s), 0);
    EXPECT_EQ(s, HTTP_TIME_MIN);
    EXPECT_EQ(parsed("Fri, 31 Dec 9999 23:59:59 GMT", 0, &s), 0);
    EXPECT_EQ(s, HTTP_TIME_MAX);
    EXPECT_EQ(parsed("Sun, 01 Jan 2040 00:00:00 GMT", 0, &s), 0);
    EXPECT_EQ(s, 2208988800);
}

TEST(Lesson11, RandomDatesParseReadsWhatFormatWrites) {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::int64_t> any(HTTP_TIME_MIN, HTTP_TIME_MAX);
    for (int i = 0; i < testsupport::date_count(); ++i) {
        std::int64_t s = any(rng), back = 0;
        std::string text = formatted(s);
        ASSERT_EQ(parsed(text, 0, &back), 0) << text;
        ASSERT_EQ(back, s) << text;
    }
}

TEST(Lesson11, RandomDatesOneByteChangesAreReadExactlyOrRefused) {
    // A byte of a valid IMF-fixdate changed at random: either the result
    // is still an IMF-fixdate the C library reads the same way (a digit
    // for a digit, a month or day name for another), or -1.
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<std::int64_t> any(HTTP_TIME_MIN, HTTP_TIME_MAX);
    for (int i = 0; i < testsupport::date_count(); ++i) {
        std::string text = formatted(any(rng));
        text[rng() % text.size()] = static_cast<char>(rng() % 256);
        std::int64_t s = 0;
        if (parsed(text, 0, &s) != 0) continue;
        // accepted: the shape must still be an IMF-fixdate (the weekday
        // may now disagree: not checked) of a real date, the same second
        int day = 0, year = 0, h = 0, mi = 0, se = 0;
        char wd[4] = {}, mon[4] = {};
        ASSERT_EQ(std::sscanf(text.c_str(), "%3c, %2d %3c %4d %2d:%2d:%2d GMT", wd, &day, mon, &year, &h, &mi, &se), 7)
            << text;
        int month = httpd::month_from_name(mon);
        ASSERT_GE(month, 1) << text;
        ASSERT_EQ(s, libc_seconds(year, month, day, h, mi, se)) << text;
    }
}

// ---------------------------------------------------------------------------
// Last-Modified and the conditions
// ---------------------------------------------------------------------------
TEST(Lesson11, LastModifiedIsNeverAfterDate) {
    EXPECT_EQ(httpd::last_modified_time(100, 200), 100);
    EXPECT_EQ(httpd::last_modified_time(300, 200), 200);   // §8.8.2.1: the Date value instead
    EXPECT_EQ(httpd::last_modified_time(200, 200), 200);
    EXPECT_EQ(httpd::last_modified_time(-315619200, 200), -315619200);
    EXPECT_EQ(httpd::last_modified_time(INT64_MIN, 200), HTTP_TIME_MIN);   // the earliest an HTTP-date says
}

TEST(Lesson11, ModifiedSince) {
    const std::string at = "Sun, 06 Nov 1994 08:49:37 GMT";
    EXPECT_EQ(httpd::modified_since(at, kExample, 0), 0);         // equal: not modified (304; IUS goes on)
    EXPECT_EQ(httpd::modified_since(at, kExample - 1, 0), 0);     // older file: not modified
    EXPECT_EQ(httpd::modified_since(at, kExample + 1, 0), 1);     // one second later: modified (200; IUS 412)
    EXPECT_EQ(httpd::modified_since("garbage", kExample, 0), -1); // not a date: the field is ignored
    EXPECT_EQ(httpd::modified_since("1994-11-06", kExample + 1, 0), -1);
    EXPECT_EQ(httpd::modified_since(at + ", " + at, kExample, 0), -1);   // a list is not a date
}

TEST(Lesson11, IfRangeNeedsAStrongEqualDate) {
    const std::string at = "Sun, 06 Nov 1994 08:49:37 GMT";
    EXPECT_EQ(httpd::if_range_holds(at, kExample, kExample + 1, 0), 1);       // equal, a second before Date
    EXPECT_EQ(httpd::if_range_holds(at, kExample, kExample, 0), 0);           // equal to Date: weak (§8.8.2.2)
    EXPECT_EQ(httpd::if_range_holds(at, kExample + 1, kExample + 100, 0), 0); // the file changed
    EXPECT_EQ(httpd::if_range_holds(at, kExample - 1, kExample + 100, 0), 0); // not "since": exact
    EXPECT_EQ(httpd::if_range_holds("Sunday, 06-Nov-94 08:49:37 GMT", kExample, kExample + 1,
                                    libc_seconds(2026, 1, 1, 0, 0, 0)), 1);     // any of the three forms
    EXPECT_EQ(httpd::if_range_holds("\"abc\"", kExample, kExample + 1, 0), 0);  // an entity-tag: none of ours
    EXPECT_EQ(httpd::if_range_holds("W/\"abc\"", kExample, kExample + 1, 0), 0);
    EXPECT_EQ(httpd::if_range_holds("yesterday", kExample, kExample + 1, 0), 0);
}

// ---------------------------------------------------------------------------
// The steps
// ---------------------------------------------------------------------------
namespace {

// A file with a known mtime in a fresh directory, an Exchange whose
// request (head) is parsed, the file open in x.file.
struct StepSetup {
    testsupport::TempDir dir{"l11"};
    httpd::Config cfg;
    std::unique_ptr<httpd::Exchange> x = std::make_unique<httpd::Exchange>();

    StepSetup(const std::string& head, std::int64_t mtime) {
        testsupport::write_file(dir.at("c.txt"), "cached\n");
        struct timespec times[2] = {{0, UTIME_OMIT}, {static_cast<time_t>(mtime), 0}};
        EXPECT_EQ(::utimensat(AT_FDCWD, dir.at("c.txt").c_str(), times, 0), 0);
        std::memcpy(x->buf, head.data(), head.size());
        x->head_len = head.size();
        x->read_len = head.size();
        EXPECT_EQ(httpd::parse_request(std::string_view(x->buf, head.size()), x->req), 0) << head;
        x->file = httpd::Fd(::open(dir.at("c.txt").c_str(), O_RDONLY));
    }
};

std::string head_of(const std::string& method, const std::string& fields) {
    return method + " /c.txt HTTP/1.1\r\nHost: h\r\n" + fields + "\r\n";
}

}  // namespace

TEST(Lesson11, StampDateSetsDateAndItsField) {
    StepSetup t(head_of("GET", ""), kExample);
    t.x->extra_len = 0;
    std::int64_t before = static_cast<std::int64_t>(std::time(nullptr));
    EXPECT_EQ(httpd::step_stamp_date(*t.x), httpd::kNext);
    std::int64_t after = static_cast<std::int64_t>(std::time(nullptr));
    EXPECT_GE(t.x->date, before);
    EXPECT_LE(t.x->date, after);
    EXPECT_EQ(std::string(t.x->extra, t.x->extra_len), "Date: " + libc_imf(t.x->date) + "\r\n");
}

TEST(Lesson11, LastModifiedFromTheOpenFile) {
    StepSetup t(head_of("GET", ""), kExample);
    t.x->extra_len = 0;
    t.x->date = kExample + 1000;
    EXPECT_EQ(httpd::step_last_modified(*t.x), httpd::kNext);
    EXPECT_EQ(t.x->last_modified, kExample);
    EXPECT_EQ(std::string(t.x->extra, t.x->extra_len), "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
    StepSetup future(head_of("GET", ""), 4102444800);   // 2100
    future.x->extra_len = 0;
    future.x->date = kExample;
    EXPECT_EQ(httpd::step_last_modified(*future.x), httpd::kNext);
    EXPECT_EQ(future.x->last_modified, kExample) << "never later than Date";
}

TEST(Lesson11, CheckConditionsAnswers304WithTheValidatorFieldsOnly) {
    StepSetup t(head_of("GET", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"), kExample);
    t.x->extra_len = 0;
    t.x->date = kExample + 1000;
    ASSERT_EQ(httpd::step_stamp_date(*t.x), httpd::kNext);
    ASSERT_EQ(httpd::step_last_modified(*t.x), httpd::kNext);
    int result = -1;
    std::string got = capture([&](int sock) {
        t.x->sock = sock;
        result = httpd::step_check_conditions(*t.x);
    });
    EXPECT_EQ(result, httpd::kDone);
    EXPECT_EQ(t.x->status, 304u);
    EXPECT_EQ(got.rfind("HTTP/1.1 304 Not Modified\r\n", 0), 0u) << got;
    EXPECT_NE(got.find("\r\nDate: "), std::string::npos) << got;
    EXPECT_NE(got.find("\r\nLast-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n"), std::string::npos) << got;
    EXPECT_EQ(got.find("Content-Length"), std::string::npos) << got;
    EXPECT_EQ(got.find("Content-Type"), std::string::npos) << got;
    EXPECT_EQ(got.substr(got.size() - 4), "\r\n\r\n") << "no body";
}

TEST(Lesson11, CheckConditionsGoesOnWhenTheyHold) {
    struct Case {
        const char* method;
        const char* fields;
    };
    const Case cases[] = {
        {"GET", ""},
        {"GET", "If-Modified-Since: Sun, 06 Nov 1994 08:49:36 GMT\r\n"},   // a second older: modified
        {"GET", "If-None-Match: \"x\"\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"},   // INM decides
        {"GET", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"},
        {"GET", "If-Modified-Since: not a date\r\n"},
        {"PUT", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"},   // GET and HEAD only
    };
    for (const Case& c : cases) {
        StepSetup t(head_of(c.method, c.fields), kExample);
        t.x->date = kExample + 1000;
        t.x->last_modified = kExample;
        EXPECT_EQ(httpd::step_check_conditions(*t.x), httpd::kNext) << c.method << " " << c.fields;
        EXPECT_EQ(t.x->status, 200u);
    }
    StepSetup star(head_of("HEAD", "If-None-Match: *\r\n"), kExample);
    star.x->date = kExample + 1000;
    star.x->last_modified = kExample;
    star.x->extra_len = 0;
    int result = -1;
    std::string got = capture([&](int sock) {
        star.x->sock = sock;
        result = httpd::step_check_conditions(*star.x);
    });
    EXPECT_EQ(result, httpd::kDone) << "If-None-Match: * on a file that exists: 304";
    EXPECT_EQ(got.rfind("HTTP/1.1 304 ", 0), 0u) << got;
}

TEST(Lesson11, ParseRange11UsesTheRangeOnlyWhenIfRangeHolds) {
    struct Case {
        const char* fields;
        std::uint64_t status;
    };
    const Case cases[] = {
        {"Range: bytes=1-2\r\n", 206},
        {"Range: bytes=1-2\r\nIf-Range: Sun, 06 Nov 1994 08:49:37 GMT\r\n", 206},
        {"Range: bytes=1-2\r\nIf-Range: Sun, 06 Nov 1994 08:49:36 GMT\r\n", 200},
        {"Range: bytes=1-2\r\nIf-Range: \"abc\"\r\n", 200},
        {"Range: bytes=1-2\r\nIf-Range: Sun, 06 Nov 1994 08:49:37 GMT\r\nIf-Range: Sun, 06 Nov 1994 08:49:37 GMT\r\n", 200},
    };
    for (const Case& c : cases) {
        StepSetup t(head_of("GET", c.fields), kExample);
        t.x->date = kExample + 1000;
        t.x->last_modified = kExample;
        t.x->file_size = 7;
        t.x->body_first = 0;
        t.x->body_len = 7;
        t.x->extra_len = 0;
        EXPECT_EQ(httpd::step_parse_range_11(*t.x), httpd::kNext) << c.fields;
        EXPECT_EQ(t.x->status, c.status) << c.fields;
        EXPECT_EQ(t.x->body_len, c.status == 206 ? 2u : 7u) << c.fields;
    }
}

TEST(Lesson11, CheckUnmodifiedOnTheTarget) {
    struct Case {
        const char* fields;
        bool exists;
        int want;
    };
    const Case cases[] = {
        {"If-Unmodified-Since: Sat, 05 Nov 1994 08:49:37 GMT\r\n", true, 412},
        {"If-Unmodified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n", true, httpd::kNext},
        {"If-Unmodified-Since: Mon, 07 Nov 1994 08:49:37 GMT\r\n", true, httpd::kNext},
        {"If-Unmodified-Since: Sat, 05 Nov 1994 08:49:37 GMT\r\n", false, httpd::kNext},   // no target: ignored
        {"If-Unmodified-Since: yesterday\r\n", true, httpd::kNext},
        {"", true, httpd::kNext},
    };
    for (const Case& c : cases) {
        StepSetup t(head_of("DELETE", c.fields), kExample);
        t.x->date = kExample + 1000;
        t.x->file = httpd::Fd(::open(t.dir.path().c_str(), O_RDONLY | O_DIRECTORY));   // step_open_parent's dir
        std::string path = "/c.txt";
        std::memcpy(t.x->path, path.data(), path.size());
        t.x->path_len = path.size();
        t.x->path[path.size()] = '\0';
        t.x->file_mode = c.exists ? (S_IFREG | 0644) : 0;
        EXPECT_EQ(httpd::step_check_unmodified(*t.x), c.want) << c.fields << " exists " << c.exists;
    }
}
