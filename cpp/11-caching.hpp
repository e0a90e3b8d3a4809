// cpp/11-caching.hpp -- lesson 11: caching.  Every response says when it
// was made (Date), every file says when it last changed (Last-Modified),
// and a client that already holds a copy can ask "only if it changed":
// If-Modified-Since -> 304 Not Modified, If-Range with a date -> the
// range only for the same version, If-Unmodified-Since on PUT and DELETE
// -> 412 Precondition Failed when someone changed the file meanwhile.
// Assembly twin: asm/11-caching.s (same function names, same limits, the
// same bytes).  Rules and walk-through: lessons/11-caching/README.md.
//
// The stage's steps, in the spine's lists (cpp/httpd.cpp):
//
//   step_stamp_date        FIRST of all: the clock -> x.date, a Date line
//                          into x.extra (so every answer built from the
//                          exchange carries it, errors too)
//   step_last_modified     after step_choose_type (a regular file is
//                          open): fstat -> x.last_modified = its mtime,
//                          never later than x.date; a Last-Modified line
//   step_check_conditions  after it, GET and HEAD: If-None-Match: *, or
//                          If-Modified-Since not older than the file ->
//                          304 with the validator fields only; kDone
//   step_parse_range_11    lesson 07's step_parse_range's successor: an
//                          If-Range that holds lets the Range through
//                          (answer_range), one that does not: the whole
//                          file
//   step_check_unmodified  in the PUT and DELETE lists after
//                          step_open_parent: If-Unmodified-Since older
//                          than the existing target -> 412, nothing
//                          written or removed
//
// and the pure functions they are made of (unit-tested, and compared
// with the assembly's on table-driven and random inputs).  Times are
// signed seconds since 1970-01-01 00:00:00 UTC: an HTTP-date may be
// anywhere from year 0000 to 9999.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "records.h"

namespace httpd {

struct Exchange;   // the per-connection record: cpp/exchange.hpp

// The limits (records.inc, section CACHING).
inline constexpr std::size_t kHttpDateLen = HTTP_DATE_LEN;       // an IMF-fixdate: 29 bytes
inline constexpr std::int64_t kHttpTimeMin = HTTP_TIME_MIN;      // 0000-01-01 00:00:00
inline constexpr std::int64_t kHttpTimeMax = HTTP_TIME_MAX;      // 9999-12-31 23:59:59

// seconds_from_civil -- the inverse of lesson 10's civil_time: a
// Gregorian date and time of day (UTC) -> signed seconds since 1970
// (negative before it).  month 1 .. 12, day 1 .. 31, hour 0 .. 23,
// minute 0 .. 59, second 0 .. 60 (a leap second counts as the next
// minute's 00); the caller checks the ranges.  Any year from 0 to 9999
// at least (days from 0000-03-01 in eras of 400 years, after Howard
// Hinnant's days_from_civil).
std::int64_t seconds_from_civil(std::int64_t year, std::uint64_t month, std::uint64_t day, std::uint64_t hour,
                                std::uint64_t minute, std::uint64_t second);

// format_http_date -- seconds as an IMF-fixdate (RFC 9110 §5.6.7),
// "Sun, 06 Nov 1994 08:49:37 GMT": always kHttpDateLen bytes at out, no
// NUL.  seconds is clamped to [kHttpTimeMin, kHttpTimeMax] first (four
// year digits).  A time before 1970 is moved HTTP_ERA_SHIFT eras forward
// for civil_time (unsigned seconds) and the years moved back: an era is
// 146097 days, a multiple of 7, so the weekday stays.  Returns
// kHttpDateLen.
std::size_t format_http_date(char* out, std::int64_t seconds);

// The pieces parse_http_date is made of.  Each looks at exactly the bytes
// it is given: fixed widths, no signs, no spaces.
//   parse_digits      n (1 .. 4) ASCII digits -> *value; -1 if any byte is
//                     not '0'..'9' (at most 9999: nothing can overflow)
//   month_from_name   "Jan" .. "Dec" (kMonthNames, case-sensitive) -> 1 .. 12, else -1
//   weekday_short     "Sun" .. "Sat" -> 0 .. 6, else -1
//   weekday_long      "Sunday" .. "Saturday" -> 0 .. 6, else -1
//   days_in_month     28 .. 31 (February: 29 in Gregorian leap years)
//   http_time         the fields checked (month 1 .. 12, day 1 ..
//                     days_in_month, hour 00 .. 23, minute 00 .. 59,
//                     second 00 .. 60) -> 0 and *out = seconds_from_civil;
//                     -1 when one is out of range
//   rfc850_year       a two-digit year -> the full year: the one in the
//                     century of now's year, or the century before when
//                     that is more than RFC850_FUTURE_YEARS ahead of now
int parse_digits(const char* p, std::size_t n, std::uint64_t* value);
int month_from_name(std::string_view name);
int weekday_short(std::string_view name);
int weekday_long(std::string_view name);
std::uint64_t days_in_month(std::int64_t year, std::uint64_t month);
int http_time(std::int64_t year, std::uint64_t month, std::uint64_t day, std::uint64_t hour, std::uint64_t minute,
              std::uint64_t second, std::int64_t* out);
std::int64_t rfc850_year(std::uint64_t two_digits, std::int64_t now);

// parse_time_of_day -- "HH:MM:SS" at p (8 bytes; the colons checked, the
// ranges left to http_time): 0 and the three numbers, or -1.
int parse_time_of_day(const char* p, std::uint64_t* hour, std::uint64_t* minute, std::uint64_t* second);

// The three forms of RFC 9110 §5.6.7, each exactly (case-sensitive,
// nothing before or after): 0 and *out, or -1.
//   parse_imf_fixdate   "Sun, 06 Nov 1994 08:49:37 GMT"
//   parse_rfc850_date   "Sunday, 06-Nov-94 08:49:37 GMT" (now: for the year)
//   parse_asctime_date  "Sun Nov  6 08:49:37 1994" (the day " 6" or "06")
int parse_imf_fixdate(std::string_view value, std::int64_t* out);
int parse_rfc850_date(std::string_view value, std::int64_t now, std::int64_t* out);
int parse_asctime_date(std::string_view value, std::int64_t* out);

// parse_http_date -- an HTTP-date in any of the three forms: 0 and *out
// (signed seconds since 1970), or -1: not an HTTP-date (the field that
// holds it is then ignored, never a 400).  The day name's agreement with
// the date is not checked (RFC 9110 does not ask a recipient to).
int parse_http_date(std::string_view value, std::int64_t now, std::int64_t* out);

// last_modified_time -- what Last-Modified shows for a file modified at
// mtime when the Date is date: mtime, but never later than date (RFC 9110
// §8.8.2.1: a modification time in the future is replaced by the
// message's Date) and never before kHttpTimeMin.
std::int64_t last_modified_time(std::int64_t mtime, std::int64_t date);

// The conditions, each one field's value against the file's
// last_modified (now: parse_http_date's clock for RFC 850 years).
//   modified_since             the question both If-Modified-Since
//                              (§13.1.3) and If-Unmodified-Since (§13.1.4)
//                              ask: 1 when value is an HTTP-date and
//                              last_modified is later than it, 0 when it is
//                              not later, -1 when value is not an HTTP-date
//                              (the field is ignored).  The steps decide:
//                              0 is If-Modified-Since's 304, 1 is
//                              If-Unmodified-Since's 412.
//   if_range_holds             §13.1.5: 1 when value is an HTTP-date equal
//                              to last_modified AND last_modified is at
//                              least one second before date (a strong
//                              validator, §8.8.2.2); 0 otherwise -- an
//                              entity-tag never matches (no ETag is sent)
int modified_since(std::string_view value, std::int64_t last_modified, std::int64_t now);
int if_range_holds(std::string_view value, std::int64_t last_modified, std::int64_t date, std::int64_t now);

// The steps (see the top of this file).
//   step_stamp_date        x.date = the clock (now_ms, as the access log);
//                          "Date: ..." into x.extra; kNext
//   step_last_modified     fstat(x.file): x.last_modified =
//                          last_modified_time(st_mtime, x.date);
//                          "Last-Modified: ..." into x.extra; kNext (500
//                          if fstat fails)
//   step_check_conditions  GET and HEAD only (§13.2.2's order): with
//                          If-None-Match, If-Modified-Since is ignored:
//                          "*" -> 304, any other list -> go on (no ETag
//                          can match); else one If-Modified-Since field
//                          line whose condition is false -> 304.  The 304:
//                          status line, Server, Connection, x.extra, no
//                          body, no Content-Length (§15.4.5); x.status =
//                          304; kDone
//   step_parse_range_11    Accept-Ranges as lesson 07; a GET's one Range
//                          field: no If-Range, or one that holds ->
//                          answer_range; an If-Range that does not hold ->
//                          kNext (the whole file, 200)
//   step_check_unmodified  one If-Unmodified-Since field line, a target
//                          that exists (x.file_mode != 0): fstatat its
//                          mtime (no symlink followed), the condition
//                          false -> 412; else kNext
int step_stamp_date(Exchange& x);
// answer_not_modified -- step_check_conditions' 304: x.status = 304, the
// head (status line, Server, Connection, x.extra) and nothing else; kDone.
int answer_not_modified(Exchange& x);
int step_last_modified(Exchange& x);
int step_check_conditions(Exchange& x);
int step_parse_range_11(Exchange& x);
int step_check_unmodified(Exchange& x);

}  // namespace httpd
