// cpp/10-log.hpp -- lesson 10, part 2: the access log.  One line per
// exchange on stdout, in Common Log Format:
//
//   127.0.0.1 - - [07/Dec/2026:10:00:00 +0000] "GET /a.txt HTTP/1.1" 200 3
//
// Assembly twin: asm/10-log.s (same function names, same limits, the same
// bytes).  Rules and walk-through: lessons/10-hardening/access-log.md.
//
// The stage, from the spine's point of view (cpp/httpd.cpp):
//
//   after the exchange (the child, once the answer is out, before
//   linger_close reuses x.buf):
//     log_exchange       gathers the fields and writes the line: one write
//
//   the pure functions it is made of (and lesson 11's Date field reuses
//   civil_time):
//     civil_time         seconds since 1970 -> year, month, day, hour,
//                        minute, second, weekday (UTC)
//     log_request_line   the request line in what was read
//     log_escape         \xNN for every byte a terminal could act on
//     format_log_line    the fields -> one line of at most LOG_LINE_MAX bytes
//     peer_ipv4          getpeername: the client's address
//
// Failure is a value the line shows ("-"), never an exception.
#pragma once

#include <cstddef>
#include <cstdint>

#include "records.h"

namespace httpd {

struct Exchange;   // the per-connection record: cpp/exchange.hpp

// The limits (records.inc, section LOG).
inline constexpr std::size_t kLogLineMax = LOG_LINE_MAX;           // one line, newline included
inline constexpr std::size_t kLogRequestRoom = LOG_REQUEST_ROOM;   // the escaped request line at most
inline constexpr std::uint64_t kLogNoAddr = LOG_NO_ADDR;           // getpeername failed: "-"

// kMonthNames -- the months' three-letter names, January first, no
// separators: month m (1 .. 12) is the 3 bytes at 3 * (m - 1).  One table
// for the access log's date and lesson 11's HTTP-dates (asm: the global
// label month_names in asm/10-log.s).
inline constexpr char kMonthNames[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

// CivilTime -- a moment in UTC as a calendar shows it; the same fields, in
// the same order, as the assembly's struct civil_time.
struct CivilTime {
    std::uint64_t year = 0;      // 1970 ...
    std::uint64_t month = 0;     // 1 .. 12
    std::uint64_t day = 0;       // 1 .. 31
    std::uint64_t hour = 0;      // 0 .. 23
    std::uint64_t minute = 0;    // 0 .. 59
    std::uint64_t second = 0;    // 0 .. 59
    std::uint64_t weekday = 0;   // 0 = Sunday .. 6 = Saturday
};
static_assert(offsetof(CivilTime, year) == CT_YEAR, "records.inc CT_YEAR");
static_assert(offsetof(CivilTime, month) == CT_MONTH, "records.inc CT_MONTH");
static_assert(offsetof(CivilTime, day) == CT_DAY, "records.inc CT_DAY");
static_assert(offsetof(CivilTime, hour) == CT_HOUR, "records.inc CT_HOUR");
static_assert(offsetof(CivilTime, minute) == CT_MINUTE, "records.inc CT_MINUTE");
static_assert(offsetof(CivilTime, second) == CT_SECOND, "records.inc CT_SECOND");
static_assert(offsetof(CivilTime, weekday) == CT_WEEKDAY, "records.inc CT_WEEKDAY");
static_assert(sizeof(CivilTime) == CT_SIZE, "records.inc CT_SIZE");

// LogEntry -- the fields of one line (struct log_entry).
struct LogEntry {
    std::uint64_t addr = kLogNoAddr;   // IPv4, host byte order, or kLogNoAddr: "-"
    std::uint64_t time = 0;            // seconds since 1970, UTC
    const char* line = nullptr;        // the request line as read, no CR LF ...
    std::uint64_t line_len = 0;        // ... its length; 0: none, "-"
    std::uint64_t status = 0;          // what the client got
    std::uint64_t bytes = 0;           // body bytes sent; 0: "-"
};
static_assert(offsetof(LogEntry, addr) == LOG_ADDR, "records.inc LOG_ADDR");
static_assert(offsetof(LogEntry, time) == LOG_TIME, "records.inc LOG_TIME");
static_assert(offsetof(LogEntry, line) == LOG_LINE_PTR, "records.inc LOG_LINE_PTR");
static_assert(offsetof(LogEntry, line_len) == LOG_LINE_LEN, "records.inc LOG_LINE_LEN");
static_assert(offsetof(LogEntry, status) == LOG_STATUS, "records.inc LOG_STATUS");
static_assert(offsetof(LogEntry, bytes) == LOG_BYTES, "records.inc LOG_BYTES");
static_assert(sizeof(LogEntry) == LOG_ENTRY_SIZE, "records.inc LOG_ENTRY_SIZE");

// civil_time -- seconds since 1970-01-01 00:00:00 UTC (every 64-bit value)
// -> the Gregorian date and time of day, and the weekday.  Days become a
// date in eras of 400 years that start on a March 1st (the leap day is
// then the last day of a year), after Howard Hinnant's days-from-civil
// algorithms.
void civil_time(std::uint64_t seconds, CivilTime* out);

// two_digits -- v (0 .. 99) as two digits at out: the next free byte
// (the log's date, and lesson 11's HTTP-dates).
char* two_digits(char* out, std::uint64_t v);

// log_request_line -- the request line in the len bytes of buf: after the
// empty lines lesson 03 skips (LF or CR LF), up to the first LF (a CR
// just before it is left out), or to the end of what was read.  Its
// length (0: no line at all); *line points at its first byte.
std::size_t log_request_line(const char* buf, std::size_t len, const char** line);

// log_escape -- p[0..n) into out: every byte below 0x20, DEL, every byte
// from 0x80, '"' and '\' as \xNN (two lowercase hex digits), the others as
// they are.  Stops before the first byte whose form no longer fits in cap.
// The bytes written.
std::size_t log_escape(char* out, std::size_t cap, const char* p, std::size_t n);

// format_log_line -- e as one Common Log Format line, newline included:
//   ADDR - - [DD/Mon/YYYY:HH:MM:SS +0000] "REQUEST" STATUS BYTES
// out holds kLogLineMax bytes.  The line's length.
std::size_t format_log_line(char* out, const LogEntry* e);

// peer_ipv4 -- getpeername(sock): the client's IPv4 address in host byte
// order, or kLogNoAddr (the client is gone, or not IPv4).
std::uint64_t peer_ipv4(int sock);

// log_exchange -- the hook the spine calls after the exchange: nothing
// when the client sent nothing and got nothing; else one line from
// peer_ipv4, the clock, the request line in x.buf, x.status and
// x.body_sent, written to stdout with ONE write.
void log_exchange(Exchange& x);

}  // namespace httpd
