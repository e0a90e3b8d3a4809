// cpp/11-caching.cpp -- lesson 11: Date, Last-Modified and the conditional
// requests.  Assembly twin: asm/11-caching.s.  Rules and walk-through:
// lessons/11-caching/README.md.
#include "11-caching.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>

#include "00-syscalls.hpp"   // write_all
#include "01-socket.hpp"     // add_extra, head_start, head_add_lines, head_end, copy_bytes
#include "03-parse.hpp"      // find_header, Method
#include "04-files.hpp"      // errno_to_status
#include "07-ranges.hpp"     // single_header, answer_range
#include "09-methods.hpp"    // now_ms, last_name
#include "10-log.hpp"        // civil_time, kMonthNames
#include "exchange.hpp"

namespace httpd {

// The day names: three letters each, Sunday first (IMF-fixdate and
// asctime), and the long ones of RFC 850, each followed by a comma.
static const char kDayNames[] = "SunMonTueWedThuFriSat";
static const char kLongDayNames[] = "Sunday,Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,";

// excerpt: seconds-from-civil
std::int64_t seconds_from_civil(std::int64_t year, std::uint64_t month, std::uint64_t day, std::uint64_t hour,
                                std::uint64_t minute, std::uint64_t second) {
    // Count from 0000-03-01, as civil_time does: January and February
    // belong to the year before, and the leap day is a year's last day.
    std::int64_t y = year - (month <= 2 ? 1 : 0);
    std::int64_t era = (y >= 0 ? y : y - (YEARS_PER_ERA - 1)) / YEARS_PER_ERA;   // rounded down, also below 0
    auto yoe = static_cast<std::uint64_t>(y - era * YEARS_PER_ERA);              // year of the era, 0 .. 399
    std::uint64_t mp = month > 2 ? month - 3 : month + 9;                        // month from March: 0 .. 11
    std::uint64_t doy = (153 * mp + 2) / 5 + day - 1;                            // day of the year, 0 .. 365
    std::uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                   // day of the era, 0 .. 146096
    std::int64_t days = era * DAYS_PER_ERA + static_cast<std::int64_t>(doe) - DAYS_0000_TO_1970;
    return days * SECONDS_PER_DAY + static_cast<std::int64_t>(hour * 3600 + minute * 60 + second);
}
// excerpt end

// excerpt: format-http-date
std::size_t format_http_date(char* out, std::int64_t seconds) {
    if (seconds < kHttpTimeMin) seconds = kHttpTimeMin;       // four year digits: 0000 ..
    if (seconds > kHttpTimeMax) seconds = kHttpTimeMax;       // .. 9999
    std::int64_t years_back = 0;
    if (seconds < 0) {                                        // before 1970: civil_time counts from 1970 up
        seconds += HTTP_ERA_SHIFT * SECONDS_PER_ERA;          // whole eras later: same day of the year,
        years_back = HTTP_ERA_SHIFT * YEARS_PER_ERA;          // same weekday (146097 days = 20871 weeks)
    }
    CivilTime t;
    civil_time(static_cast<std::uint64_t>(seconds), &t);
    auto year = static_cast<std::uint64_t>(static_cast<std::int64_t>(t.year) - years_back);   // 0 .. 9999
    char* p = copy_bytes(out, kDayNames + 3 * t.weekday, 3);  // "Sun"
    p = copy_bytes(p, ", ", 2);
    p = two_digits(p, t.day);                                 // "06"
    *p++ = ' ';
    p = copy_bytes(p, kMonthNames + 3 * (t.month - 1), 3);    // "Nov": lesson 10's table
    *p++ = ' ';
    p = two_digits(p, year / 100);                            // "19"
    p = two_digits(p, year % 100);                            // "94"
    *p++ = ' ';
    p = two_digits(p, t.hour);
    *p++ = ':';
    p = two_digits(p, t.minute);
    *p++ = ':';
    p = two_digits(p, t.second);
    copy_bytes(p, " GMT", 4);                                 // HTTP-dates are always UTC
    return kHttpDateLen;
}
// excerpt end

// excerpt: date-pieces
int parse_digits(const char* p, std::size_t n, std::uint64_t* value) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (p[i] < '0' || p[i] > '9') return -1;              // a digit, nothing else: no sign, no space
        v = v * 10 + static_cast<std::uint64_t>(p[i] - '0');  // n <= 4: at most 9999, never an overflow
    }
    *value = v;
    return 0;
}

int month_from_name(std::string_view name) {
    if (name.size() != 3) return -1;
    for (int m = 0; m < 12; ++m) {
        if (name == std::string_view(kMonthNames + 3 * m, 3)) return m + 1;   // case-sensitive (§5.6.7)
    }
    return -1;
}

int weekday_short(std::string_view name) {
    if (name.size() != 3) return -1;
    for (int d = 0; d < 7; ++d) {
        if (name == std::string_view(kDayNames + 3 * d, 3)) return d;
    }
    return -1;
}

int weekday_long(std::string_view name) {
    const char* p = kLongDayNames;
    for (int d = 0; d < 7; ++d) {
        std::size_t len = 0;
        while (p[len] != ',') ++len;                          // this name's length
        if (name == std::string_view(p, len)) return d;
        p += len + 1;                                         // past its comma: the next name
    }
    return -1;
}

std::uint64_t days_in_month(std::int64_t year, std::uint64_t month) {
    static const unsigned char kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;   // the Gregorian rule
    if (month == 2 && leap) return 29;
    return kDays[month - 1];
}

int http_time(std::int64_t year, std::uint64_t month, std::uint64_t day, std::uint64_t hour, std::uint64_t minute,
              std::uint64_t second, std::int64_t* out) {
    if (month < 1 || month > 12) return -1;
    if (day < 1 || day > days_in_month(year, month)) return -1;   // no 31 Apr, no 29 Feb 1900
    if (hour > 23 || minute > 59 || second > 60) return -1;   // 60: a leap second (§5.6.7)
    *out = seconds_from_civil(year, month, day, hour, minute, second);
    return 0;
}

std::int64_t rfc850_year(std::uint64_t two_digits, std::int64_t now) {
    CivilTime t;
    civil_time(static_cast<std::uint64_t>(now < 0 ? 0 : now), &t);   // the clock's year (1970 at the earliest)
    auto current = static_cast<std::int64_t>(t.year);
    std::int64_t year = current - current % 100 + static_cast<std::int64_t>(two_digits);   // this century
    if (year > current + RFC850_FUTURE_YEARS) year -= 100;    // too far ahead: the century before
    return year;
}
// excerpt end

// parse_time_of_day -- "HH:MM:SS" at p (8 bytes): 0 and the three numbers,
// or -1.  Their ranges are http_time's to check.
int parse_time_of_day(const char* p, std::uint64_t* hour, std::uint64_t* minute, std::uint64_t* second) {
    if (p[2] != ':' || p[5] != ':') return -1;
    if (parse_digits(p, 2, hour) < 0) return -1;
    if (parse_digits(p + 3, 2, minute) < 0) return -1;
    if (parse_digits(p + 6, 2, second) < 0) return -1;
    return 0;
}

// excerpt: parse-imf-fixdate
int parse_imf_fixdate(std::string_view v, std::int64_t* out) {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    //  0123456789012345678901234567 8
    if (v.size() != kHttpDateLen) return -1;
    if (weekday_short(v.substr(0, 3)) < 0) return -1;         // a day name; its agreement is not checked
    if (v.substr(3, 2) != ", " || v[7] != ' ' || v[11] != ' ' || v[16] != ' ') return -1;
    if (v.substr(25) != " GMT") return -1;
    std::uint64_t day = 0, year = 0, hour = 0, minute = 0, second = 0;
    if (parse_digits(v.data() + 5, 2, &day) < 0) return -1;
    int month = month_from_name(v.substr(8, 3));
    if (month < 0) return -1;
    if (parse_digits(v.data() + 12, 4, &year) < 0) return -1;
    if (parse_time_of_day(v.data() + 17, &hour, &minute, &second) < 0) return -1;
    return http_time(static_cast<std::int64_t>(year), static_cast<std::uint64_t>(month), day, hour, minute, second,
                     out);
}
// excerpt end

int parse_rfc850_date(std::string_view v, std::int64_t now, std::int64_t* out) {
    // "Sunday, 06-Nov-94 08:49:37 GMT": a long day name, then RFC850_TAIL_LEN bytes
    //        012345678901234567890123
    std::size_t comma = v.find(',');
    if (comma == std::string_view::npos || v.size() - comma != RFC850_TAIL_LEN) return -1;
    if (weekday_long(v.substr(0, comma)) < 0) return -1;
    std::string_view t = v.substr(comma);
    if (t[1] != ' ' || t[4] != '-' || t[8] != '-' || t[11] != ' ') return -1;
    if (t.substr(20) != " GMT") return -1;
    std::uint64_t day = 0, yy = 0, hour = 0, minute = 0, second = 0;
    if (parse_digits(t.data() + 2, 2, &day) < 0) return -1;
    int month = month_from_name(t.substr(5, 3));
    if (month < 0) return -1;
    if (parse_digits(t.data() + 9, 2, &yy) < 0) return -1;
    if (parse_time_of_day(t.data() + 12, &hour, &minute, &second) < 0) return -1;
    return http_time(rfc850_year(yy, now), static_cast<std::uint64_t>(month), day, hour, minute, second, out);
}

int parse_asctime_date(std::string_view v, std::int64_t* out) {
    // "Sun Nov  6 08:49:37 1994" (the day: " 6", or two digits)
    //  012345678901234567890123
    if (v.size() != ASCTIME_LEN) return -1;
    if (weekday_short(v.substr(0, 3)) < 0) return -1;
    if (v[3] != ' ' || v[7] != ' ' || v[10] != ' ' || v[19] != ' ') return -1;
    int month = month_from_name(v.substr(4, 3));
    if (month < 0) return -1;
    std::uint64_t day = 0, year = 0, hour = 0, minute = 0, second = 0;
    if (v[8] == ' ') {
        if (parse_digits(v.data() + 9, 1, &day) < 0) return -1;   // SP DIGIT
    } else if (parse_digits(v.data() + 8, 2, &day) < 0) {
        return -1;                                                // 2DIGIT
    }
    if (parse_time_of_day(v.data() + 11, &hour, &minute, &second) < 0) return -1;
    if (parse_digits(v.data() + 20, 4, &year) < 0) return -1;
    return http_time(static_cast<std::int64_t>(year), static_cast<std::uint64_t>(month), day, hour, minute, second,
                     out);
}

// excerpt: parse-http-date
int parse_http_date(std::string_view value, std::int64_t now, std::int64_t* out) {
    if (parse_imf_fixdate(value, out) == 0) return 0;          // what every sender SHOULD send
    if (parse_rfc850_date(value, now, out) == 0) return 0;     // obsolete, still accepted (§5.6.7)
    if (parse_asctime_date(value, out) == 0) return 0;         // obsolete, still accepted
    return -1;                                                 // not an HTTP-date
}
// excerpt end

// excerpt: conditions
std::int64_t last_modified_time(std::int64_t mtime, std::int64_t date) {
    std::int64_t t = mtime < date ? mtime : date;             // §8.8.2.1: never later than Date
    return t < kHttpTimeMin ? kHttpTimeMin : t;               // the earliest an HTTP-date can say
}

int modified_since(std::string_view value, std::int64_t last_modified, std::int64_t now) {
    std::int64_t since = 0;
    if (parse_http_date(value, now, &since) < 0) return -1;   // not a date: the field is ignored
    return last_modified > since ? 1 : 0;                     // later than the date: modified since
}

int if_range_holds(std::string_view value, std::int64_t last_modified, std::int64_t date, std::int64_t now) {
    if (value.starts_with("\"") || value.starts_with("W/")) return 0;   // an entity-tag: we send none
    std::int64_t when = 0;
    if (parse_http_date(value, now, &when) < 0) return 0;     // neither: no match (§13.1.5)
    if (when != last_modified) return 0;                      // exactly our Last-Modified ...
    return last_modified < date ? 1 : 0;                      // ... and a strong one: a second before Date (§8.8.2.2)
}
// excerpt end

// http_date_field -- "name: <IMF-fixdate>" into x.extra.
static void http_date_field(Exchange& x, const char* name, std::int64_t seconds) {
    char value[kHttpDateLen + 1];                             // add_extra wants a C string
    format_http_date(value, seconds);
    value[kHttpDateLen] = '\0';
    add_extra(x, name, value);
}

// excerpt: steps
int step_stamp_date(Exchange& x) {
    x.date = static_cast<std::int64_t>(now_ms() / MS_PER_SECOND);   // the clock the access log reads
    http_date_field(x, "Date", x.date);                       // §6.6.1: every answer from here on has it
    return kNext;
}

int step_last_modified(Exchange& x) {
    struct stat st;
    if (::fstat(x.file.get(), &st) != 0) return errno_to_status(errno);
    x.last_modified = last_modified_time(static_cast<std::int64_t>(st.st_mtime), x.date);
    http_date_field(x, "Last-Modified", x.last_modified);
    return kNext;
}

// answer_not_modified -- the 304: status line, Server, Connection and
// x.extra (Date, Last-Modified), no body and no Content-Length (§15.4.5).
int answer_not_modified(Exchange& x) {
    x.status = 304;                                           // for the access log
    char head[HEAD_MAX];
    std::size_t len = head_start(head, static_cast<int>(x.status));
    len = head_add_lines(head, len, x.extra, x.extra_len);
    len = head_end(head, len);
    write_all(static_cast<int>(x.sock), head, len);           // a client that left: nothing to do
    return kDone;
}

int step_check_conditions(Exchange& x) {
    if (x.req.method_id != Method::GET && x.req.method_id != Method::HEAD) return kNext;   // §13.1.3
    if (find_header(x.req, "If-None-Match") != nullptr) {     // §13.2.2: it decides, not the date
        const Header* inm = single_header(x.req, "If-None-Match");
        if (inm != nullptr && inm->value == "*") return answer_not_modified(x);   // the file exists
        return kNext;                                         // a list of tags: none is ours
    }
    const Header* ims = single_header(x.req, "If-Modified-Since");   // two lines: a list, ignored
    if (ims == nullptr) return kNext;
    if (modified_since(ims->value, x.last_modified, x.date) != 0) return kNext;   // modified, or no date: 200
    return answer_not_modified(x);                            // §13.1.3: the condition is false
}

int step_parse_range_11(Exchange& x) {
    add_extra(x, "Accept-Ranges", "bytes");                   // as lesson 07 (§14.3)
    if (x.req.method_id != Method::GET) return kNext;         // HEAD: §14.2
    const Header* range = single_header(x.req, "Range");
    if (range == nullptr) return kNext;                       // none, or two
    if (find_header(x.req, "If-Range") != nullptr) {
        const Header* if_range = single_header(x.req, "If-Range");
        if (if_range == nullptr) return kNext;                // two: no validator, the whole file
        if (!if_range_holds(if_range->value, x.last_modified, x.date, x.date)) return kNext;   // §13.1.5: 200
    }
    return answer_range(x, range->value);
}

int step_check_unmodified(Exchange& x) {
    const Header* ius = single_header(x.req, "If-Unmodified-Since");   // two lines: a list, ignored
    if (ius == nullptr) return kNext;
    if (x.file_mode == 0) return kNext;                       // no target, no modification date: ignored (§13.1.4)
    const char* name = x.path + last_name(std::string_view(x.path, x.path_len));
    struct stat st;
    if (::fstatat(x.file.get(), name, &st, AT_SYMLINK_NOFOLLOW) != 0) return errno_to_status(errno);
    std::int64_t modified = last_modified_time(static_cast<std::int64_t>(st.st_mtime), x.date);
    if (modified_since(ius->value, modified, x.date) != 1) return kNext;   // not modified, or no date: go on
    return 412;                                               // nothing written, nothing removed
}
// excerpt end

}  // namespace httpd
