// asm/10-log.s -- lesson 10, part 2: the access log.  One line per
// exchange on stdout, in Common Log Format:
//
//   127.0.0.1 - - [07/Dec/2026:10:00:00 +0000] "GET /a.txt HTTP/1.1" 200 3
//
// C++ twin: cpp/10-log.cpp (same function names, same limits, the same
// bytes).  Rules and walk-through: lessons/10-hardening/access-log.md.
//
// What the spine (asm/httpd.s) takes from this stage:
//   after the exchange  log_exchange (the child, once the answer is out,
//                       before linger_close reuses x.buf): one write
// and what log_exchange is made of (lesson 11's Date field reuses
// civil_time):
//   civil_time          seconds since 1970 -> the calendar's fields (UTC)
//   log_request_line    the request line in what was read
//   log_escape          \xNN for every byte a terminal could act on
//   format_log_line     the fields -> one line, at most LOG_LINE_MAX bytes
//   peer_ipv4           getpeername: the client's address
//
// No function here fails: what cannot be known is logged as "-".

        .include "os.inc"
        .include "records.inc"
        .include "macros.inc"             // MOVW32, PUT_CHAR

        RODATA                            // constant data: the line's fixed parts
log_hex_digits:
        .ascii  "0123456789abcdef"        // \xNN: lower case, as Apache's log writes them
// the months' three letters: CLF's date here, and lesson 11's HTTP dates
// (global: one table for both)
        .globl  month_names
month_names:
        .ascii  "JanFebMarAprMayJunJulAugSepOctNovDec" // three letters each
log_ids:
        .ascii  " - - ["                  // no identity (RFC 1413), no user; the date's bracket
        .equ    LOG_IDS_LEN, 6
log_zone:
        .ascii  " +0000] \""              // UTC; the request's opening quote
        .equ    LOG_ZONE_LEN, 9
log_quote_space:
        .ascii  "\" "                     // the request's closing quote, then the status
        .equ    LOG_QUOTE_SPACE_LEN, 2

// ---------------------------------------------------------------------------
// void civil_time(uint64_t seconds, struct civil_time *out)
//   Seconds since 1970-01-01 00:00:00 UTC (any 64-bit value) -> year,
//   month, day, hour, minute, second and weekday.  The date counts from
//   0000-03-01 in eras of 400 years (DAYS_PER_ERA days: the Gregorian
//   calendar repeats after them); a year that starts on March 1st ends
//   with February, so its leap day is its last day and the months before
//   it never move -- after Howard Hinnant's days-from-civil algorithms.
//   in:  x0 = seconds, x1 = out
//   registers: x2 = days, x3 = scratch, x4 = era, x5 = day of the era,
//              x6 = year of the era, x7 = day of the year, x8 = month
//              from March (0 .. 11), x9 = the constant divided by.  Leaf.
// ---------------------------------------------------------------------------
// excerpt: civil-time
FUNC civil_time
// the time of day
        MOVW32  x9, SECONDS_PER_DAY       // 86400: 17 bits
        udiv    x2, x0, x9                // x2 = whole days since 1970-01-01
        msub    x3, x2, x9, x0            // x3 = seconds into the last one
        mov     x9, #3600                 // seconds in an hour
        udiv    x4, x3, x9                // the hour
        str     x4, [x1, #CT_HOUR]        // t->hour
        msub    x3, x4, x9, x3            // seconds into the hour
        mov     x9, #60                   // seconds in a minute
        udiv    x4, x3, x9                // the minute
        str     x4, [x1, #CT_MINUTE]      // t->minute
        msub    x4, x4, x9, x3            // what is left: the second
        str     x4, [x1, #CT_SECOND]      // t->second
// the weekday: 1970-01-01 was a Thursday
        add     x3, x2, #WEEKDAY_1970     // days + 4 ...
        mov     x9, #7                    // days in a week
        udiv    x4, x3, x9                // whole weeks
        msub    x4, x4, x9, x3            // ... modulo 7: 0 = Sunday
        str     x4, [x1, #CT_WEEKDAY]     // t->weekday
// the era and the day in it, counted from 0000-03-01
        MOVW32  x9, DAYS_0000_TO_1970
        add     x3, x2, x9                // x3 = days since 0000-03-01
        MOVW32  x9, DAYS_PER_ERA
        udiv    x4, x3, x9                // x4 = the era (400 years each)
        msub    x5, x4, x9, x3            // x5 = day of the era, 0 .. 146096
// the year of the era: one day fewer every 4 years, one more back every
// 100, one fewer again for the era's very last day (146096)
        mov     x9, #1460                 // 4 years of 365 days
        udiv    x6, x5, x9                // doe / 1460
        sub     x6, x5, x6                // doe - doe/1460
        mov     x9, #36524                // 100 years, 24 leap days
        udiv    x3, x5, x9                // doe / 36524
        add     x6, x6, x3                // + doe/36524
        MOVW32  x9, (DAYS_PER_ERA - 1)    // the era's last day
        udiv    x3, x5, x9                // doe / 146096
        sub     x6, x6, x3                // - doe/146096
        mov     x9, #365                  // days in a plain year
        udiv    x6, x6, x9                // x6 = year of the era, 0 .. 399
// the day of that year (from its March 1st)
        mul     x7, x6, x9                // 365 * yoe
        add     x7, x7, x6, lsr #2        // + its leap days: yoe/4 ...
        mov     x9, #100                  // years in a century
        udiv    x3, x6, x9                // yoe / 100
        sub     x7, x7, x3                // ... - yoe/100
        sub     x7, x5, x7                // x7 = day of the year, 0 .. 365
// the month from March: months of 31 30 31 30 31 / 31 30 31 30 31 / 31 28
// days make five-month blocks of 153 days
        add     x8, x7, x7, lsl #2        // 5 * doy
        add     x8, x8, #2                // + 2
        mov     x9, #153                  // days in five months from March
        udiv    x8, x8, x9                // x8 = (5 * doy + 2) / 153: 0 = March
        mul     x3, x8, x9                // the month's first day: (153 * mp + 2) / 5
        add     x3, x3, #2                // + 2
        mov     x9, #5                    // / 5
        udiv    x3, x3, x9                // the days before the month
        sub     x3, x7, x3                // days into the month ...
        add     x3, x3, #1                // ... counted from 1
        str     x3, [x1, #CT_DAY]         // t->day
        add     x3, x8, #3                // March .. December: mp + 3
        sub     x7, x8, #9                // January, February: mp - 9
        cmp     x8, #10                   // March .. December?
        csel    x3, x3, x7, lo            // x3 = the month, 1 .. 12
        str     x3, [x1, #CT_MONTH]       // t->month
        mov     x9, #400                  // years in an era
        madd    x7, x4, x9, x6            // era * 400 + yoe
        cmp     x3, #2                    // January, February: they end the
        cinc    x7, x7, ls                // year that began in March: the next one
        str     x7, [x1, #CT_YEAR]        // t->year
        ret                               // void
ENDFUNC civil_time
// excerpt end

// ---------------------------------------------------------------------------
// size_t log_request_line(const char *buf, size_t len, const char **line)
//   The request line in the len bytes of buf: after the empty lines
//   lesson 03 skips (LF or CR LF), up to the first LF (a CR right before
//   it is left out), or to the end of what was read.
//   in:  x0 = buf, x1 = len, x2 = line
//   out: x0 = its length (0: none); *line = its first byte
//   registers: x3 = the line's start, x5 = its end, w4 = a byte,
//              x6 = scratch.  Leaf.
// ---------------------------------------------------------------------------
FUNC log_request_line
        mov     x3, #0                    // start at the first byte
log_request_line_skip:
        cmp     x3, x1                    // all read?
        b.hs    log_request_line_scan     // yes: nothing but empty lines
        ldrb    w4, [x0, x3]              // buf[i]
        cmp     w4, #CHAR_LF              // an empty line "\n"
        b.ne    log_request_line_cr       // no: a CR?
        add     x3, x3, #1                // skip it
        b       log_request_line_skip     // and look again
log_request_line_cr:
        cmp     w4, #CHAR_CR              // "\r\n"?
        b.ne    log_request_line_scan     // no: the line starts here
        add     x6, x3, #1                // the byte after the CR
        cmp     x6, x1                    // a CR is the last byte read:
        b.hs    log_request_line_scan     // it is the line
        ldrb    w4, [x0, x6]              // buf[i + 1]
        cmp     w4, #CHAR_LF              // LF after it?
        b.ne    log_request_line_scan     // a CR alone starts the line
        add     x3, x3, #2                // skip "\r\n"
        b       log_request_line_skip     // and look again
log_request_line_scan:
        mov     x5, x3                    // end = start
log_request_line_byte:
        cmp     x5, x1                    // the end of what was read:
        b.hs    log_request_line_done     // the line ends with it
        ldrb    w4, [x0, x5]              // buf[end]
        cmp     w4, #CHAR_LF              // the line's LF?
        b.eq    log_request_line_lf       // yes: the line ends here
        add     x5, x5, #1                // no: one more byte of it
        b       log_request_line_byte     // and the next
log_request_line_lf:
        cmp     x5, x3                    // nothing before the LF:
        b.ls    log_request_line_done     // no CR to drop
        sub     x6, x5, #1                // the byte before the LF
        ldrb    w4, [x0, x6]              // buf[end - 1]
        cmp     w4, #CHAR_CR              // CR LF: the CR is not the line's
        b.ne    log_request_line_done     // no: end stays at the LF
        mov     x5, x6                    // end before the CR
log_request_line_done:
        add     x6, x0, x3                // *line = buf + start
        str     x6, [x2]                  // (line may be empty: length 0)
        sub     x0, x5, x3                // the length
        ret                               // x0 = the length
ENDFUNC log_request_line

// ---------------------------------------------------------------------------
// size_t log_escape(char *out, size_t cap, const char *p, size_t n)
//   p[0..n) into out: a byte below SP (C0 controls: ESC, CR, LF ...), DEL,
//   a byte from 0x80 (C1 controls, and anything that is not ASCII), '"'
//   (it would end the field) and '\' (it would start a false escape)
//   become \xNN; every other byte stays.  Stops before the first byte
//   whose form does not fit in cap: never half an escape.
//   in:  x0 = out, x1 = cap, x2 = p, x3 = n
//   out: x0 = the bytes written
//   registers: x4 = written, x5 = i, w6 = the byte, x7 = written after
//              it, w8 = a byte to store, x9 = the hex digits.  Leaf.
// ---------------------------------------------------------------------------
// excerpt: log-escape
FUNC log_escape
        mov     x4, #0                    // written
        mov     x5, #0                    // i
        LOAD_ADDR x9, log_hex_digits      // "0123456789abcdef"
log_escape_byte:
        cmp     x5, x3                    // every byte done?
        b.hs    log_escape_done           // yes: done
        ldrb    w6, [x2, x5]              // p[i]
        cmp     w6, #CHAR_SP              // a C0 control
        b.lo    log_escape_hex            // -> \xNN
        cmp     w6, #CHAR_DEL             // DEL, or 0x80 .. 0xff
        b.hs    log_escape_hex            // -> \xNN
        cmp     w6, #CHAR_QUOTE           // '"' would end the field
        b.eq    log_escape_hex            // -> \xNN
        cmp     w6, #CHAR_BACKSLASH       // '\' would start a false escape
        b.eq    log_escape_hex            // -> \xNN
        add     x7, x4, #1                // the byte as it is: room for one?
        cmp     x7, x1                    // past cap?
        b.hi    log_escape_done           // no: the rest is left out
        strb    w6, [x0, x4]              // out[written] = the byte
        mov     x4, x7                    // written += 1
        add     x5, x5, #1                // the next byte
        b       log_escape_byte           // and the next
log_escape_hex:
        add     x7, x4, #4                // \xNN: room for four?
        cmp     x7, x1                    // past cap?
        b.hi    log_escape_done           // no: the rest is left out
        mov     w8, #CHAR_BACKSLASH       // '\'
        strb    w8, [x0, x4]              // out[written++] = '\'
        add     x4, x4, #1                // (one byte on)
        mov     w8, #'x'                  // 'x'
        strb    w8, [x0, x4]              // out[written++] = 'x'
        add     x4, x4, #1                // (one byte on)
        lsr     w8, w6, #4                // the high nibble's digit
        ldrb    w8, [x9, w8, uxtw]        // hex digit of bits 4..7
        strb    w8, [x0, x4]              // out[written++]
        add     x4, x4, #1                // (one byte on)
        and     w8, w6, #15               // the low nibble's digit
        ldrb    w8, [x9, w8, uxtw]        // hex digit of bits 0..3
        strb    w8, [x0, x4]              // out[written++]
        add     x4, x4, #1                // (one byte on)
        add     x5, x5, #1                // the next byte
        b       log_escape_byte           // and the next
log_escape_done:
        mov     x0, x4                    // the bytes written
        ret                               // x0 = written
ENDFUNC log_escape
// excerpt end

// ---------------------------------------------------------------------------
// char *two_digits(char *p, uint64_t v)
//   v (0 .. 99) as two digits at p: the next free byte (the log's date,
//   and lesson 11's HTTP-dates).
//   in:  x0 = p, x1 = v.  out: x0 = p + 2
//   registers: x9 = 10, x10 = tens, x11 = ones.  Leaf.
// ---------------------------------------------------------------------------
FUNC two_digits
        mov     x9, #10                   // decimal
        udiv    x10, x1, x9               // tens
        msub    x11, x10, x9, x1          // ones
        add     w10, w10, #'0'            // as digits
        add     w11, w11, #'0'            // (ASCII digits)
        strb    w10, [x0], #1             // tens first
        strb    w11, [x0], #1             // then the ones
        ret                               // x0 = p + 2
ENDFUNC two_digits

// ---------------------------------------------------------------------------
// size_t format_log_line(char *out, const struct log_entry *e)
//   e as one Common Log Format line, its newline included:
//     ADDR - - [DD/Mon/YYYY:HH:MM:SS +0000] "REQUEST" STATUS BYTES
//   ADDR a.b.c.d (LOG_NO_ADDR: "-"); REQUEST log_escape'd into at most
//   LOG_REQUEST_ROOM bytes ("-" when e->line_len is 0); BYTES "-" when 0.
//   out holds LOG_LINE_MAX bytes: the other fields take at most 102.
//   in:  x0 = out, x1 = e
//   out: x0 = the line's length
//   registers: x19 = out, x20 = p (the next free byte), x21 = e,
//              x22 = the address
//   stack: 48 bytes (fp, lr, x19..x22) + 64: struct civil_time at sp
//   syscalls: none
// ---------------------------------------------------------------------------
        .equ FLL_AREA, (CT_SIZE + 15) & ~15 // struct civil_time, 16-aligned
// PUT_U64 reg -- reg's value in decimal at p, p moves on
        .macro PUT_U64 reg
        mov     x0, \reg                  // format_u64(value, p)
        mov     x1, x20                   // at p
        CALL    format_u64                // x0 = its digits
        add     x20, x20, x0              // p += digits
        .endm
// PUT_TEXT sym, len -- len bytes of constant text at p, p moves on
        .macro PUT_TEXT sym, len
        mov     x0, x20                   // copy_bytes(p, text, len)
        LOAD_ADDR x1, \sym
        mov     x2, #\len                 // its length
        CALL    copy_bytes                // x0 = p + len
        mov     x20, x0                   // p = past it
        .endm
// PUT_TWO field -- a civil_time field as two digits at p
        .macro PUT_TWO field
        mov     x0, x20                   // two_digits(p, t.field)
        ldr     x1, [sp, #\field]         // the field's value
        CALL    two_digits                // two digits at p
        mov     x20, x0                   // p += 2
        .endm
// excerpt: format-log-line
FUNC format_log_line
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // (x21 = e, x22 = the address)
        sub     sp, sp, #FLL_AREA         // struct civil_time t
        mov     x19, x0                   // x19 = out
        mov     x20, x0                   // x20 = p
        mov     x21, x1                   // x21 = e
// the client's address: a.b.c.d, or "-"
        ldr     x22, [x21, #LOG_ADDR]     // x22 = e->addr
        lsr     x9, x22, #32              // above 32 bits: LOG_NO_ADDR
        cbz     x9, format_log_line_addr  // below 2^32: an address
        PUT_CHAR '-'                      // CLF's "unknown"
        b       format_log_line_date      // on to the date
format_log_line_addr:
        ubfx    x10, x22, #24, #8         // a: the most significant byte
        PUT_U64 x10
        PUT_CHAR '.'
        ubfx    x10, x22, #16, #8         // b
        PUT_U64 x10
        PUT_CHAR '.'
        ubfx    x10, x22, #8, #8          // c
        PUT_U64 x10
        PUT_CHAR '.'
        ubfx    x10, x22, #0, #8          // d
        PUT_U64 x10
// " - - [" and the date: DD/Mon/YYYY:HH:MM:SS +0000
format_log_line_date:
        PUT_TEXT log_ids, LOG_IDS_LEN     // no identity, no user
        ldr     x0, [x21, #LOG_TIME]      // civil_time(e->time, &t)
        mov     x1, sp                    // &t: on our stack
        CALL    civil_time
        PUT_TWO CT_DAY
        PUT_CHAR '/'
        ldr     x9, [sp, #CT_MONTH]       // the month's three letters:
        sub     x9, x9, #1                // month_names + 3 * (month - 1)
        add     x9, x9, x9, lsl #1        // * 3: three letters each
        LOAD_ADDR x10, month_names
        add     x10, x10, x9              // the month's letters
        ldrb    w11, [x10]                // three bytes
        strb    w11, [x20], #1            // first
        ldrb    w11, [x10, #1]            // second
        strb    w11, [x20], #1
        ldrb    w11, [x10, #2]            // third
        strb    w11, [x20], #1
        PUT_CHAR '/'
        ldr     x10, [sp, #CT_YEAR]       // the year: all its digits
        PUT_U64 x10
        PUT_CHAR ':'
        PUT_TWO CT_HOUR
        PUT_CHAR ':'
        PUT_TWO CT_MINUTE
        PUT_CHAR ':'
        PUT_TWO CT_SECOND
        PUT_TEXT log_zone, LOG_ZONE_LEN   // " +0000] \""
// the request line, escaped; "-" when there is none
        ldr     x3, [x21, #LOG_LINE_LEN]  // a request line?
        cbnz    x3, format_log_line_request // yes: escape it
        PUT_CHAR '-'                      // no request line
format_log_line_request:
        mov     x0, x20                   // log_escape(p, LOG_REQUEST_ROOM,
        mov     x1, #LOG_REQUEST_ROOM     //     e->line, e->line_len)
        ldr     x2, [x21, #LOG_LINE_PTR]  // e->line
        ldr     x3, [x21, #LOG_LINE_LEN]  // e->line_len (0 writes nothing)
        CALL    log_escape                // x0 = the bytes written
        add     x20, x20, x0              // p += written
        PUT_TEXT log_quote_space, LOG_QUOTE_SPACE_LEN
// the status and the body's bytes ("-" for none, as CLF has it)
        ldr     x10, [x21, #LOG_STATUS]   // e->status
        PUT_U64 x10
        PUT_CHAR ' '
        ldr     x10, [x21, #LOG_BYTES]    // e->bytes
        cbnz    x10, format_log_line_bytes // some: the number
        PUT_CHAR '-'                      // no body
        b       format_log_line_end       // skip the number
format_log_line_bytes:
        PUT_U64 x10
format_log_line_end:
        PUT_CHAR CHAR_LF                  // one line
        sub     x0, x20, x19              // its length
        add     sp, sp, #FLL_AREA         // drop t
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]       // ... x19, x20
        ldp     x29, x30, [sp], #48       // fp, lr, and drop the frame
        ret                               // x0 = the length
ENDFUNC format_log_line
// excerpt end

// ---------------------------------------------------------------------------
// uint64_t peer_ipv4(int sock)
//   getpeername(sock): the client's IPv4 address in host byte order, or
//   LOG_NO_ADDR (the client is gone: ENOTCONN; or not IPv4).
//   in:  w0 = sock
//   out: x0 = the address or LOG_NO_ADDR
//   registers: w9 = scratch.  stack: 32 bytes: sockaddr_in at sp+0,
//              socklen_t (32 bits) at sp+16
//   syscalls: getpeername
// ---------------------------------------------------------------------------
FUNC peer_ipv4
        sub     sp, sp, #32               // sockaddr_in + socklen_t, 16-aligned
        mov     w9, #SOCKADDR_IN_SIZE     // room for the whole sockaddr_in
        str     w9, [sp, #16]             // socklen_t len = 16 (in: room, out: used)
        sxtw    x0, w0                    // getpeername(sock,
        mov     x1, sp                    //     &addr,
        add     x2, sp, #16               //     &len)
        SYSCALL getpeername               // x0 = 0, or carry set + errno
        b.cs    peer_ipv4_none            // gone: no address
        // the family's low byte: Darwin's one-byte field, or the low
        // byte of Linux's two (little-endian; every family is < 256)
        ldrb    w9, [sp, #SIN_FAMILY]     // sin_family (see above)
        cmp     w9, #AF_INET              // IPv4, as the listener is
        b.ne    peer_ipv4_none            // not IPv4: no address
        ldr     w0, [sp, #SIN_ADDR]       // network byte order ...
        rev     w0, w0                    // ... to a number (bits 32-63: 0)
        b       peer_ipv4_return          // x0 = the address
peer_ipv4_none:
        mov     x0, #LOG_NO_ADDR          // logged as "-"
peer_ipv4_return:
        add     sp, sp, #32               // drop addr and len
        ret                               // x0 = the address or LOG_NO_ADDR
ENDFUNC peer_ipv4

// ---------------------------------------------------------------------------
// void log_exchange(struct exchange *x)
//   The hook the spine calls after the exchange, before linger_close
//   reuses x.buf: nothing when the client sent nothing and got nothing
//   (x.read_len 0 and x.status still 200); else the fields -- peer_ipv4,
//   the clock (now_ms, in seconds), the request line in x.buf, x.status,
//   x.body_sent -- as one line, written to stdout with ONE write: lines
//   from children writing at once never interleave (a pipe takes a write
//   of at most PIPE_BUF bytes whole).  A write that fails loses the line.
//   in:  x0 = x
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding) + LOG_AREA: struct log_entry
//          at sp, the line at sp + LOG_ENTRY_SIZE
//   syscalls: getpeername, gettimeofday, write
// ---------------------------------------------------------------------------
        .equ LOG_AREA, (LOG_ENTRY_SIZE + LOG_LINE_MAX + 15) & ~15
// excerpt: log-exchange
FUNC log_exchange
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved register we use
        sub     sp, sp, #LOG_AREA         // the entry and the line
        mov     x19, x0                   // x19 = x
        ldr     x9, [x19, #X_READ_LEN]    // a byte came?
        cbnz    x9, log_exchange_fields   // then a line
        ldr     x9, [x19, #X_STATUS]      // none: did an answer go (a 408)?
        cmp     x9, #200                  // still 200: nothing came, nothing went
        b.eq    log_exchange_return       // no line
log_exchange_fields:
        ldr     x0, [x19, #X_SOCK]        // peer_ipv4(sock)
        CALL    peer_ipv4
        str     x0, [sp, #LOG_ADDR]       // entry.addr
        CALL    now_ms                    // when the exchange ended, in ms
        mov     x9, #MS_PER_SECOND        // ms in a second
        udiv    x0, x0, x9                // ... in seconds
        str     x0, [sp, #LOG_TIME]       // entry.time
        mov     x0, #X_BUF                // log_request_line(x.buf, x.read_len,
        add     x0, x19, x0               //     &entry.line): before linger_close
        ldr     x1, [x19, #X_READ_LEN]    //     reuses x.buf
        add     x2, sp, #LOG_LINE_PTR     // &entry.line
        CALL    log_request_line          // x0 = its length
        str     x0, [sp, #LOG_LINE_LEN]   // entry.line_len
        ldr     x9, [x19, #X_STATUS]      // the status the client got
        str     x9, [sp, #LOG_STATUS]     // entry.status
        ldr     x9, [x19, #X_BODY_SENT]   // the body bytes that went
        str     x9, [sp, #LOG_BYTES]      // entry.bytes
        add     x0, sp, #LOG_ENTRY_SIZE   // format_log_line(line, &entry)
        mov     x1, sp                    // &entry
        CALL    format_log_line           // x0 = the line's length
        mov     x2, x0                    // write(stdout, line, length):
        mov     x0, #1                    //     ONE write, never a loop --
        add     x1, sp, #LOG_ENTRY_SIZE   //     a second would let another
        SYSCALL write                     //     child's line in between
log_exchange_return:
        add     sp, sp, #LOG_AREA         // drop the entry and the line
        ldr     x19, [sp, #16]            // restore and return
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // void
ENDFUNC log_exchange
// excerpt end
