// cpp/10-log.cpp -- lesson 10, part 2: the access log.
// Assembly twin: asm/10-log.s.  Rules: lessons/10-hardening/access-log.md.
#include "10-log.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "00-syscalls.hpp"
#include "01-socket.hpp"      // copy_bytes
#include "10-hardening.hpp"   // now_ms
#include "exchange.hpp"

namespace httpd {

// excerpt: civil-time
void civil_time(std::uint64_t seconds, CivilTime* out) {
    std::uint64_t days = seconds / SECONDS_PER_DAY;           // whole days since 1970-01-01
    std::uint64_t rest = seconds % SECONDS_PER_DAY;           // seconds into the last one
    out->hour = rest / 3600;
    out->minute = rest % 3600 / 60;
    out->second = rest % 60;
    out->weekday = (days + WEEKDAY_1970) % 7;                 // 1970-01-01 was a Thursday
    // Count from 0000-03-01 instead: a year then ends with February, and
    // the leap day is the last day of its year.
    std::uint64_t z = days + DAYS_0000_TO_1970;
    std::uint64_t era = z / DAYS_PER_ERA;                     // 400-year eras: the calendar repeats
    std::uint64_t doe = z % DAYS_PER_ERA;                     // day of the era, 0 .. 146096
    // year of the era, 0 .. 399: take out one day per 4 years, add one back
    // per 100, take one out again for the era's last day (day 146096)
    std::uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / (DAYS_PER_ERA - 1)) / 365;
    std::uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);   // day of the year, 0 .. 365
    std::uint64_t mp = (5 * doy + 2) / 153;                   // month from March: 0 .. 11
    out->day = doy - (153 * mp + 2) / 5 + 1;                  // 1 .. 31
    out->month = mp < 10 ? mp + 3 : mp - 9;                   // March .. December, January, February
    out->year = era * 400 + yoe + (out->month <= 2 ? 1 : 0);   // January and February: the next year
}
// excerpt end

std::size_t log_request_line(const char* buf, std::size_t len, const char** line) {
    std::size_t i = 0;
    for (;;) {                                                // lesson 03 skips empty lines first
        if (i < len && buf[i] == '\n') i += 1;
        else if (i + 1 < len && buf[i] == '\r' && buf[i + 1] == '\n') i += 2;
        else break;
    }
    std::size_t end = i;
    while (end < len && buf[end] != '\n') ++end;              // up to LF, or what there is
    if (end < len && end > i && buf[end - 1] == '\r') --end;  // CR LF: not the CR either
    *line = buf + i;
    return end - i;
}

// excerpt: log-escape
std::size_t log_escape(char* out, std::size_t cap, const char* p, std::size_t n) {
    static const char kHex[] = "0123456789abcdef";
    std::size_t len = 0;
    for (std::size_t i = 0; i < n; ++i) {
        auto c = static_cast<unsigned char>(p[i]);
        bool plain = c >= CHAR_SP && c < CHAR_DEL && c != CHAR_QUOTE && c != '\\';
        if (plain) {
            if (len + 1 > cap) break;                         // no room: the rest is left out
            out[len++] = static_cast<char>(c);
        } else {
            if (len + 4 > cap) break;                         // never half an escape
            out[len++] = '\\';
            out[len++] = 'x';
            out[len++] = kHex[c >> 4];
            out[len++] = kHex[c & 15];
        }
    }
    return len;
}
// excerpt end

char* two_digits(char* out, std::uint64_t v) {
    out[0] = static_cast<char>('0' + v / 10);
    out[1] = static_cast<char>('0' + v % 10);
    return out + 2;
}

// put_u64 -- v in decimal at out: the next free byte.
static char* put_u64(char* out, std::uint64_t v) { return out + format_u64(v, out); }

// put_text -- a C string at out: the next free byte.
static char* put_text(char* out, const char* s) { return copy_bytes(out, s, str_len(s)); }

// excerpt: format-log-line
std::size_t format_log_line(char* out, const LogEntry* e) {
    char* p = out;
    if (e->addr >= kLogNoAddr) {
        p = put_text(p, "-");                                 // no address: CLF's "unknown"
    } else {
        for (int shift = 24; shift >= 0; shift -= 8) {        // a.b.c.d, most significant first
            p = put_u64(p, (e->addr >> shift) & 255);
            if (shift > 0) *p++ = '.';
        }
    }
    p = put_text(p, " - - [");                                // no identity, no user
    CivilTime t;
    civil_time(e->time, &t);
    p = two_digits(p, t.day);
    *p++ = '/';
    p = copy_bytes(p, kMonthNames + 3 * (t.month - 1), 3);
    *p++ = '/';
    p = put_u64(p, t.year);
    *p++ = ':';
    p = two_digits(p, t.hour);
    *p++ = ':';
    p = two_digits(p, t.minute);
    *p++ = ':';
    p = two_digits(p, t.second);
    p = put_text(p, " +0000] \"");                            // UTC
    if (e->line_len == 0) *p++ = '-';                         // no request line
    p += log_escape(p, kLogRequestRoom, e->line, e->line_len);
    p = put_text(p, "\" ");
    p = put_u64(p, e->status);
    *p++ = ' ';
    if (e->bytes == 0) *p++ = '-';                            // CLF: "-" for no body
    else p = put_u64(p, e->bytes);
    *p++ = '\n';
    return static_cast<std::size_t>(p - out);
}
// excerpt end

std::uint64_t peer_ipv4(int sock) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    if (::getpeername(sock, reinterpret_cast<sockaddr*>(&a), &len) != 0) return kLogNoAddr;   // gone
    if (a.sin_family != AF_INET) return kLogNoAddr;
    return ntohl(a.sin_addr.s_addr);
}

// excerpt: log-exchange
void log_exchange(Exchange& x) {
    if (x.read_len == 0 && x.status == 200) return;           // nothing came, nothing went: no line
    LogEntry e;
    e.addr = peer_ipv4(static_cast<int>(x.sock));
    e.time = now_ms() / MS_PER_SECOND;                        // when the exchange ended
    e.line_len = log_request_line(x.buf, x.read_len, &e.line);   // before linger_close reuses x.buf
    e.status = x.status;
    e.bytes = x.body_sent;
    char line[kLogLineMax];
    std::size_t len = format_log_line(line, &e);
    ssize_t n = ::write(STDOUT_FILENO, line, len);            // ONE write: lines never interleave
    (void)n;                                                  // a log that cannot be written is lost
}
// excerpt end

}  // namespace httpd
