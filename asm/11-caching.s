// asm/11-caching.s -- lesson 11: caching.  Every response says when it
// was made (Date), every file when it last changed (Last-Modified), and a
// client that already holds a copy asks "only if it changed"
// (If-Modified-Since: 304 Not Modified), "the rest of it, if it is still
// the same file" (If-Range), or "replace it only if nobody changed it
// meanwhile" (If-Unmodified-Since: 412).  RFC 9110 §5.6.7, §6.6.1,
// §8.8.2, §13.
//
// C++ twin: cpp/11-caching.cpp (same function names, same limits, the
// same bytes).  Rules and walk-through: lessons/11-caching/README.md.
//
// The stage's steps, in the spine's lists (asm/httpd.s):
//   step_stamp_date        FIRST of all: the clock -> x->date, a Date line
//                          into x->extra (every answer built from the
//                          exchange carries it, errors too)
//   step_last_modified     after step_choose_type: fstat -> x->last_modified
//                          (never later than x->date); a Last-Modified line
//   step_check_conditions  GET and HEAD: If-None-Match "*", or an
//                          If-Modified-Since not older than the file ->
//                          304 with the validator fields only
//   step_parse_range_11    lesson 07's step_parse_range's successor: the
//                          Range only when no If-Range, or one that holds
//   step_check_unmodified  PUT and DELETE, after step_open_parent:
//                          If-Unmodified-Since older than the target -> 412
// and the pure functions they are made of (no system calls; compared
// with the C++ on tables and random inputs):
//   seconds_from_civil     civil_time backwards: a date -> signed seconds
//   format_http_date       seconds -> "Sun, 06 Nov 1994 08:49:37 GMT"
//   parse_digits, month_from_name, weekday_short, weekday_long,
//   days_in_month, http_time, rfc850_year
//                          the pieces of the parsers
//   parse_imf_fixdate, parse_rfc850_date, parse_asctime_date
//                          the three forms of §5.6.7, each exactly
//   parse_http_date        any of them -> seconds since 1970
//   last_modified_time     mtime, never after Date, never before year 0
//   modified_since         the dates' question (If-Modified-Since and
//                          If-Unmodified-Since, §13.1.3-4)
//   if_range_holds         If-Range's (§13.1.5)
// Times are signed seconds since 1970-01-01 00:00:00 UTC: an HTTP-date
// may be anywhere from year 0000 to 9999.
//
// Error convention of this lesson: the parsers return 0 or -1 and write
// *out only for 0; the conditions return 1 (holds) or 0; the steps
// STEP_NEXT, STEP_DONE or a status.

        .include "os.inc"
        .include "records.inc"
        .include "macros.inc"             // MOVW32, MOVX64, PUT_CHAR
        .include "methods.inc"            // METHOD_GET, METHOD_HEAD (lessons/03-parse/methods.tsv)


        RODATA                            // constant data: the names
day_names:
        .ascii  "SunMonTueWedThuFriSat"   // three letters each, 0 = Sunday (civil_time's weekday)
// RFC 850's long names (§5.6.7 day-name-l), LONG_DAY_SIZE bytes each,
// padded with NULs: a name matches when its bytes do and the next is 0
        .equ    LONG_DAY_SIZE, 10         // "Wednesday" and a NUL
        .macro LONG_DAY name
1:      .ascii  "\name"                   // the name ...
        .space  LONG_DAY_SIZE - (. - 1b)  // ... padded with NULs
        .endm
long_day_names:
        LONG_DAY "Sunday"                 // 0, as civil_time's weekday
        LONG_DAY "Monday"
        LONG_DAY "Tuesday"
        LONG_DAY "Wednesday"
        LONG_DAY "Thursday"
        LONG_DAY "Friday"
        LONG_DAY "Saturday"
days_per_month:
        .byte   31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 // February: 29 in a leap year
gmt_suffix:
        .ascii  " GMT"                    // IMF-fixdate and RFC 850 end so (UTC)
        .equ    GMT_SUFFIX_LEN, 4
// the fields this lesson writes (add_extra wants C strings) ...
field_date:
        .asciz  "Date"                    // RFC 9110 §6.6.1
field_last_modified:
        .asciz  "Last-Modified"           // §8.8.2
field_accept_ranges:
        .asciz  "Accept-Ranges"           // §14.3, as lesson 07
value_bytes:
        .asciz  "bytes"                   // the one range unit
// ... and the ones it reads (any case: find_header compares so)
name_if_none_match:
        .ascii  "If-None-Match"           // §13.1.2
        .equ    NAME_IF_NONE_MATCH_LEN, . - name_if_none_match
name_if_modified_since:
        .ascii  "If-Modified-Since"       // §13.1.3
        .equ    NAME_IF_MODIFIED_SINCE_LEN, . - name_if_modified_since
name_if_unmodified_since:
        .ascii  "If-Unmodified-Since"     // §13.1.4
        .equ    NAME_IF_UNMODIFIED_SINCE_LEN, . - name_if_unmodified_since
name_if_range:
        .ascii  "If-Range"                // §13.1.5
        .equ    NAME_IF_RANGE_LEN, . - name_if_range
name_range:
        .ascii  "Range"                   // §14.2
        .equ    NAME_RANGE_LEN, . - name_range

// ---------------------------------------------------------------------------
// int64_t seconds_from_civil(int64_t year, uint64_t month, uint64_t day,
//                            uint64_t hour, uint64_t minute, uint64_t second)
//   The inverse of lesson 10's civil_time: a Gregorian date and time of
//   day (UTC) -> seconds since 1970-01-01 00:00:00, negative before it.
//   Like civil_time it counts from 0000-03-01 in eras of 400 years, so
//   January and February belong to the year before (their leap day is
//   the last day of that year) -- after Howard Hinnant's days_from_civil.
//   A second of 60 (a leap second) simply adds 60: the next minute's 00.
//   in:  x0 = year (signed), x1 = month 1 .. 12, x2 = day 1 .. 31,
//        x3 = hour, x4 = minute, x5 = second
//   out: x0 = seconds
//   registers: x6 = the year from March, x7 = the era, x8 = year of the
//              era, x9 = a constant, x10 = day of the year, x11 = day of
//              the era, then days since 1970.  Leaf.
// ---------------------------------------------------------------------------
// excerpt: seconds-from-civil
FUNC seconds_from_civil
// the year that began on the March 1st before the date
        cmp     x1, #2                    // January or February?
        cset    x9, ls                    // 1: they end the year before
        sub     x6, x0, x9                // x6 = y = year - (month <= 2)
// its era, rounded down (towards minus infinity): sdiv rounds towards 0
        sub     x9, x6, #399              // y - 399: rounds a negative y down
        cmp     x6, #0                    // y before year 0?
        csel    x9, x6, x9, ge            // y >= 0: y itself; else y - 399
        mov     x11, #400                 // years in an era
        sdiv    x7, x9, x11               // x7 = era = floor(y / 400), signed
        msub    x8, x7, x11, x6           // x8 = yoe = y - era * 400: 0 .. 399
// the day of that year, from March 1st: months of 31 30 31 30 31 / 31 30
// 31 30 31 / 31 28 days make five-month blocks of 153 days
        sub     x10, x1, #3               // March .. December: month - 3
        add     x9, x1, #9                // January, February: month + 9
        cmp     x1, #2                    // which one?
        csel    x10, x9, x10, ls          // x10 = mp, the month from March: 0 .. 11
        mov     x9, #153                  // days in five months from March
        mul     x10, x10, x9              // 153 * mp
        add     x10, x10, #2              // + 2
        mov     x9, #5                    // / 5: the days before the month
        udiv    x10, x10, x9              // (153 * mp + 2) / 5
        add     x10, x10, x2              // + the day ...
        sub     x10, x10, #1              // ... counted from 0: x10 = doy, 0 .. 365
// the day of the era: 365 a year, a leap day every 4 years but not every 100
        mov     x9, #365                  // days in a plain year
        mul     x11, x8, x9               // 365 * yoe
        add     x11, x11, x8, lsr #2      // + yoe / 4
        mov     x9, #100                  // years in a century
        udiv    x9, x8, x9                // yoe / 100
        sub     x11, x11, x9              // - yoe / 100
        add     x11, x11, x10             // + doy: x11 = doe, 0 .. 146096
// days since 1970-01-01: negative before it
        MOVW32  x9, DAYS_PER_ERA          // 146097 days an era
        madd    x11, x7, x9, x11          // era * 146097 + doe (a signed product)
        MOVW32  x9, DAYS_0000_TO_1970     // 0000-03-01 .. 1970-01-01
        sub     x11, x11, x9              // x11 = days since 1970
// and the seconds
        MOVW32  x9, SECONDS_PER_DAY       // 86400
        mul     x0, x11, x9               // days * 86400 (signed: the low 64 bits are)
        mov     x9, #3600                 // seconds in an hour
        madd    x0, x3, x9, x0            // + hour * 3600
        mov     x9, #60                   // seconds in a minute
        madd    x0, x4, x9, x0            // + minute * 60
        add     x0, x0, x5                // + second (60: the next minute's 00)
        ret                               // x0 = seconds
ENDFUNC seconds_from_civil
// excerpt end

// ---------------------------------------------------------------------------
// size_t format_http_date(char *out, int64_t seconds)
//   The IMF-fixdate of seconds since 1970 (RFC 9110 §5.6.7), always
//   HTTP_DATE_LEN (29) bytes, no NUL:
//       Sun, 06 Nov 1994 08:49:37 GMT
//   The format has four year digits, so seconds is clamped to
//   [HTTP_TIME_MIN, HTTP_TIME_MAX] (0000-01-01 .. 9999-12-31 23:59:59).
//   civil_time (lesson 10) takes seconds since 1970 as unsigned: a date
//   before 1970 is moved HTTP_ERA_SHIFT whole eras (of SECONDS_PER_ERA)
//   on, the fewest that bring year 0000 past 1970, and as many times
//   YEARS_PER_ERA years are taken back off its year.  An era is 146097
//   days, a whole number of weeks: the weekday stays.
//   in:  x0 = out, x1 = seconds
//   out: x0 = HTTP_DATE_LEN
//   registers: x19 = out, x20 = p (the next free byte), x21 = the years
//              to take back (0 or HTTP_ERA_SHIFT * YEARS_PER_ERA)
//   stack: 48 bytes (fp, lr, x19..x21, padding)
//          + CT_AREA: struct civil_time at sp
//   syscalls: none
// ---------------------------------------------------------------------------
        .equ    CT_AREA, (CT_SIZE + 15) & ~15 // struct civil_time, 16-aligned
// PUT_NAME table, index -- the three letters at table + 3 * index, at p
        .macro PUT_NAME table, index
        LOAD_ADDR x10, \table             // the names, three letters each
        add     x11, \index, \index, lsl #1 // index * 3
        add     x10, x10, x11             // the name's first letter
        ldrb    w9, [x10]                 // three bytes:
        strb    w9, [x20], #1             // the first,
        ldrb    w9, [x10, #1]             // the second letter
        strb    w9, [x20], #1             // the second,
        ldrb    w9, [x10, #2]             // the third letter
        strb    w9, [x20], #1             // the third
        .endm
// PUT_TWO value -- a register's value 0 .. 99 as two digits at p
        .macro PUT_TWO value
        mov     x0, x20                   // two_digits(p, value): lesson 10's
        mov     x1, \value                // (0 .. 99)
        CALL    two_digits                // two digits at p
        mov     x20, x0                   // p += 2
        .endm
// excerpt: format-http-date
FUNC format_http_date
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // callee-saved: x21 (sp+40: padding)
        sub     sp, sp, #CT_AREA          // struct civil_time t
        mov     x19, x0                   // x19 = out
        mov     x20, x0                   // x20 = p
// four year digits: 0000 .. 9999 (signed comparisons: seconds may be negative)
        MOVX64  x9, HTTP_TIME_MIN         // 0000-01-01 00:00:00
        cmp     x1, x9                    // earlier?
        csel    x1, x9, x1, lt            // then that
        MOVX64  x9, HTTP_TIME_MAX         // 9999-12-31 23:59:59
        cmp     x1, x9                    // later?
        csel    x1, x9, x1, gt            // then that
// before 1970: HTTP_ERA_SHIFT eras on, for civil_time's unsigned seconds
        mov     x21, #0                   // no years to take back ...
        tbz     x1, #63, format_http_date_civil // ... for 1970 and later
        MOVX64  x9, (HTTP_ERA_SHIFT * SECONDS_PER_ERA) // five eras of seconds
        add     x1, x1, x9                // now 1970 or later: positive
        mov     x21, #(HTTP_ERA_SHIFT * YEARS_PER_ERA) // 2000 years to take back off
format_http_date_civil:
        mov     x0, x1                    // civil_time(seconds, &t)
        mov     x1, sp                    // &t: on our stack
        CALL    civil_time                // the calendar's fields
// "Sun, 06 Nov 1994 " -- day-name "," SP day SP month SP year SP
        ldr     x12, [sp, #CT_WEEKDAY]    // 0 = Sunday
        PUT_NAME day_names, x12           // "Sun"
        PUT_CHAR ','                      // ","
        PUT_CHAR CHAR_SP                  // " "
        ldr     x12, [sp, #CT_DAY]        // 1 .. 31
        PUT_TWO x12                       // "06": always two digits
        PUT_CHAR CHAR_SP                  // " "
        ldr     x12, [sp, #CT_MONTH]      // 1 .. 12
        sub     x12, x12, #1              // month_names counts from 0
        PUT_NAME month_names, x12         // "Nov": lesson 10's table
        PUT_CHAR CHAR_SP                  // " "
        ldr     x12, [sp, #CT_YEAR]       // the shifted year ...
        sub     x12, x12, x21             // ... back: 0 .. 9999
        mov     x13, #100                 // two digits at a time
        udiv    x14, x12, x13             // the century: "19"
        msub    x12, x14, x13, x12        // the year in it: "94"
        PUT_TWO x14                       // "19"
        PUT_TWO x12                       // "94"
        PUT_CHAR CHAR_SP                  // " "
// "08:49:37 GMT" -- time-of-day SP "GMT"
        ldr     x12, [sp, #CT_HOUR]       // 0 .. 23
        PUT_TWO x12                       // "08"
        PUT_CHAR ':'                      // ":"
        ldr     x12, [sp, #CT_MINUTE]     // 0 .. 59
        PUT_TWO x12                       // "49"
        PUT_CHAR ':'                      // ":"
        ldr     x12, [sp, #CT_SECOND]     // 0 .. 59
        PUT_TWO x12                       // "37"
        mov     x0, x20                   // copy_bytes(p, " GMT", 4)
        LOAD_ADDR x1, gmt_suffix          // " GMT": the zone is always UTC
        mov     x2, #GMT_SUFFIX_LEN       // 4 bytes
        CALL    copy_bytes                // x0 = past it
        sub     x0, x0, x19               // the length: HTTP_DATE_LEN
        add     sp, sp, #CT_AREA          // drop t
        ldr     x21, [sp, #32]            // restore and return
        ldp     x19, x20, [sp, #16]       // ... x19, x20
        ldp     x29, x30, [sp], #48       // fp, lr, and drop the frame
        ret                               // x0 = HTTP_DATE_LEN
ENDFUNC format_http_date
// excerpt end

// ---------------------------------------------------------------------------
// The pieces parse_http_date is made of.  Each looks at exactly the bytes
// it is given: fixed widths, no signs, no spaces.
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// int parse_digits(const char *p, size_t n, uint64_t *value)
//   n ASCII digits at p -> *value.  n is 1 .. 4 (an HTTP-date's numbers
//   have fixed widths), so the number is at most 9999 and nothing can
//   overflow: lesson 07's rule holds without a check.
//   in:  x0 = p, x1 = n, x2 = value
//   out: w0 = 0 (*value = the number), or -1 (a byte is not '0' .. '9':
//        nothing written)
//   registers: x3 = the number so far, w4 = a byte, x5 = 10.  Leaf.
// ---------------------------------------------------------------------------
FUNC parse_digits
        mov     x3, #0                    // the number so far
        mov     x5, #10                   // decimal
parse_digits_next:
        cbz     x1, parse_digits_done     // every digit read
        ldrb    w4, [x0], #1              // the next byte
        sub     w4, w4, #'0'              // '0' .. '9' -> 0 .. 9; anything
        cmp     w4, #9                    // else is above 9 (unsigned)
        b.hi    parse_digits_bad          // not a digit
        madd    x3, x3, x5, x4            // number * 10 + digit
        sub     x1, x1, #1                // one digit fewer to read
        b       parse_digits_next         // the next
parse_digits_done:
        str     x3, [x2]                  // *value
        mov     w0, #0                    // 0 = a number
        ret                               // w0 = 0
parse_digits_bad:
        mov     w0, #-1                   // -1 = not one; *value untouched
        ret                               // w0 = -1
ENDFUNC parse_digits

// ---------------------------------------------------------------------------
// int name_index(const char *p, size_t len, const char *names,
//                uint64_t count)  (this file only)
//   The len bytes at p against a table of count three-letter names
//   (day_names, month_names), exactly: HTTP-date is case-sensitive
//   (§5.6.7).  Anything but three bytes matches none.
//   in:  x0 = p, x1 = len, x2 = names, x3 = count
//   out: w0 = the index (0 ..), or -1
//   registers: x4 = the index, w5..w7 = p's bytes, w8 = a name's byte.  Leaf.
// ---------------------------------------------------------------------------
name_index:
        cmp     x1, #3                    // three letters?
        b.ne    name_index_none           // no name is longer or shorter
        ldrb    w5, [x0]                  // p's three bytes
        ldrb    w6, [x0, #1]              // (the second
        ldrb    w7, [x0, #2]              // and the third)
        mov     x4, #0                    // the first name
name_index_next:
        cmp     x4, x3                    // every name tried?
        b.hs    name_index_none           // no match
        ldrb    w8, [x2]                  // the name's first letter
        cmp     w8, w5                    // the same?
        b.ne    name_index_skip           // no: the next name
        ldrb    w8, [x2, #1]              // the second
        cmp     w8, w6                    // the same?
        b.ne    name_index_skip           // no: the next name
        ldrb    w8, [x2, #2]              // the third
        cmp     w8, w7                    // the same?
        b.ne    name_index_skip           // no: the next name
        mov     w0, w4                    // all three: this one
        ret                               // w0 = the index
name_index_skip:
        add     x2, x2, #3                // the next name
        add     x4, x4, #1                // and its index
        b       name_index_next           // try it
name_index_none:
        mov     w0, #-1                   // not one of them
        ret                               // w0 = -1

// ---------------------------------------------------------------------------
// int month_from_name(const char *p, size_t len)
//   "Jan" .. "Dec" (lesson 10's month_names, case-sensitive) -> 1 .. 12.
//   in:  x0 = p, x1 = len.  out: w0 = 1 .. 12, or -1
//   stack: 16 bytes (fp, lr)
// ---------------------------------------------------------------------------
FUNC month_from_name
        stp     x29, x30, [sp, #-16]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        LOAD_ADDR x2, month_names         // name_index(p, len, month_names,
        mov     x3, #12                   //     twelve of them)
        bl      name_index                // w0 = 0 .. 11, or -1
        tbnz    w0, #31, month_from_name_return // -1: not a month
        add     w0, w0, #1                // January is 1
month_from_name_return:
        ldp     x29, x30, [sp], #16       // fp, lr, and drop the frame
        ret                               // w0 = 1 .. 12, or -1
ENDFUNC month_from_name

// ---------------------------------------------------------------------------
// int weekday_short(const char *p, size_t len)
//   "Sun" .. "Sat" -> 0 .. 6 (IMF-fixdate's and asctime's day-name).
//   in:  x0 = p, x1 = len.  out: w0 = 0 .. 6, or -1
//   Tail call: name_index returns straight to our caller.
// ---------------------------------------------------------------------------
FUNC weekday_short
        LOAD_ADDR x2, day_names           // name_index(p, len, day_names,
        mov     x3, #7                    //     seven of them)
        b       name_index                // w0 = 0 .. 6, or -1
ENDFUNC weekday_short

// ---------------------------------------------------------------------------
// int weekday_long(const char *p, size_t len)
//   "Sunday" .. "Saturday" -> 0 .. 6 (RFC 850's day-name-l), exactly.
//   in:  x0 = p, x1 = len.  out: w0 = 0 .. 6, or -1
//   registers: x2 = the index, x3 = the name, x4 = i, w5 = p[i],
//              w6 = the name's byte.  Leaf.
// ---------------------------------------------------------------------------
FUNC weekday_long
        cmp     x1, #(LONG_DAY_SIZE - 1)  // longer than "Wednesday"?
        b.hi    weekday_long_none         // no name is that long
        LOAD_ADDR x3, long_day_names      // the first name
        mov     x2, #0                    // its index
weekday_long_name:
        cmp     x2, #7                    // all seven tried?
        b.hs    weekday_long_none         // no match
        mov     x4, #0                    // i = 0
weekday_long_byte:
        cmp     x4, x1                    // every byte of p compared?
        b.hs    weekday_long_end          // yes: the name must end here too
        ldrb    w6, [x3, x4]              // name[i] (a NUL past its end)
        cbz     w6, weekday_long_skip     // the name is shorter than p (a NUL in p is no end)
        ldrb    w5, [x0, x4]              // p[i]
        cmp     w5, w6                    // the same?
        b.ne    weekday_long_skip         // no: the next name
        add     x4, x4, #1                // the next byte
        b       weekday_long_byte         // compare it
weekday_long_end:
        ldrb    w6, [x3, x1]              // name[len]: its NUL if it is len long
        cbnz    w6, weekday_long_skip     // a longer name: not this one
        mov     w0, w2                    // a match
        ret                               // w0 = the index
weekday_long_skip:
        add     x3, x3, #LONG_DAY_SIZE    // the next name
        add     x2, x2, #1                // and its index
        b       weekday_long_name         // try it
weekday_long_none:
        mov     w0, #-1                   // not a day's name
        ret                               // w0 = -1
ENDFUNC weekday_long

// ---------------------------------------------------------------------------
// uint64_t days_in_month(int64_t year, uint64_t month)
//   The days of that month (1 .. 12): 28 .. 31.  February has 29 in a
//   Gregorian leap year: one divisible by 4, except the centuries, except
//   every fourth century (2000 was one, 1900 was not).  A signed
//   remainder is 0 exactly when an unsigned one would be: years before 0
//   follow the same rule.
//   in:  x0 = year, x1 = month
//   out: x0 = days
//   registers: x2 = the table, then its answer, x3 = scratch,
//              x4 = the divisor.  Leaf.
// ---------------------------------------------------------------------------
FUNC days_in_month
        LOAD_ADDR x2, days_per_month      // twelve bytes, January first
        sub     x3, x1, #1                // month - 1: its index
        ldrb    w2, [x2, x3]              // x2 = the month's days in a plain year
        cmp     x1, #2                    // February?
        b.ne    days_in_month_return      // no: it has no leap day
        tst     x0, #3                    // divisible by 4 (two's complement:
        b.ne    days_in_month_return      //     for negative years too)? no: 28
        mov     x4, #100                  // a century?
        sdiv    x3, x0, x4                // year / 100
        msub    x3, x3, x4, x0            // year % 100
        cbnz    x3, days_in_month_leap    // not a century: a leap year
        mov     x4, #400                  // every fourth century is one
        sdiv    x3, x0, x4                // year / 400
        msub    x3, x3, x4, x0            // year % 400
        cbnz    x3, days_in_month_return  // 1900, 2100: plain years
days_in_month_leap:
        add     x2, x2, #1                // February 29th
days_in_month_return:
        mov     x0, x2                    // the days
        ret                               // x0 = 28 .. 31
ENDFUNC days_in_month

// ---------------------------------------------------------------------------
// int http_time(int64_t year, uint64_t month, uint64_t day, uint64_t hour,
//               uint64_t minute, uint64_t second, int64_t *out)
//   The fields an HTTP-date gave, checked: month 1 .. 12, day 1 ..
//   days_in_month, hour 00 .. 23, minute 00 .. 59, second 00 .. 60 (60:
//   a leap second, §5.6.7) -> *out = seconds_from_civil(...).
//   in:  x0 = year, x1 = month, x2 = day, x3 = hour, x4 = minute,
//        x5 = second, x6 = out
//   out: w0 = 0 (*out = the seconds), or -1 (a field out of range:
//        nothing written)
//   registers: x19 = out; the fields stay in x0 .. x5 for
//              seconds_from_civil, saved around days_in_month at sp
//   stack: 32 bytes (fp, lr, x19, padding) + 48: the six fields
// ---------------------------------------------------------------------------
FUNC http_time
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        sub     sp, sp, #48               // the six fields
        mov     x19, x6                   // x19 = out
// the fields that need no calendar
        sub     x9, x1, #1                // month - 1: 0 .. 11 (0 wraps high)
        cmp     x9, #11                   // a month?
        b.hi    http_time_bad             // no
        cmp     x3, #23                   // hour 00 .. 23
        b.hi    http_time_bad             // no
        cmp     x4, #59                   // minute 00 .. 59
        b.hi    http_time_bad             // no
        cmp     x5, #60                   // second 00 .. 60
        b.hi    http_time_bad             // no
        cbz     x2, http_time_bad         // day 00 is no day
// the day: at most the month's last
        stp     x0, x1, [sp]              // keep the fields: days_in_month
        stp     x2, x3, [sp, #16]         //     may use x0 .. x5
        stp     x4, x5, [sp, #32]         // (minute, second)
        CALL    days_in_month             // (year, month in x0, x1) x0 = 28 .. 31
        ldp     x2, x3, [sp, #16]         // the day (and the hour) again
        cmp     x2, x0                    // past the month's last?
        b.hi    http_time_bad             // February 30th: no date
// a date: its seconds
        ldp     x0, x1, [sp]              // seconds_from_civil(year, month,
        ldp     x4, x5, [sp, #32]         //     day, hour, minute, second)
        CALL    seconds_from_civil        // x0 = the seconds
        str     x0, [x19]                 // *out
        mov     w0, #0                    // 0 = a time
        b       http_time_return          // done
http_time_bad:
        mov     w0, #-1                   // -1 = out of range; *out untouched
http_time_return:
        add     sp, sp, #48               // drop the fields
        ldr     x19, [sp, #16]            // restore x19
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // w0 = 0 or -1
ENDFUNC http_time

// ---------------------------------------------------------------------------
// int64_t rfc850_year(uint64_t two_digits, int64_t now)
//   RFC 850's two-digit year (§5.6.7: "a timestamp that appears to be
//   more than 50 years in the future" is in the past century) -> the
//   full year: the one with those digits in the century of now's year,
//   or a century earlier when that is more than RFC850_FUTURE_YEARS
//   after now's year.  A clock before 1970 counts as 1970.
//   in:  x0 = two_digits (0 .. 99), x1 = now
//   out: x0 = the year
//   registers: x19 = two_digits
//   stack: 32 bytes (fp, lr, x19, padding) + CT_AREA: struct civil_time
// ---------------------------------------------------------------------------
FUNC rfc850_year
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        sub     sp, sp, #CT_AREA          // struct civil_time t
        mov     x19, x0                   // x19 = two_digits
        cmp     x1, #0                    // civil_time(now, &t): this year --
        csel    x0, x1, xzr, gt           //     1970 at the earliest (now < 0: 0)
        mov     x1, sp                    // &t
        CALL    civil_time
        ldr     x10, [sp, #CT_YEAR]       // x10 = now's year
        mov     x9, #100                  // years in a century
        udiv    x11, x10, x9              // its century ...
        mul     x11, x11, x9              // ... from its first year: 2000
        add     x0, x11, x19              // 2000 + the two digits
        add     x12, x10, #RFC850_FUTURE_YEARS // 50 years after this year
        cmp     x0, x12                   // further ahead?
        b.le    rfc850_year_return        // no: this century's
        sub     x0, x0, #100              // yes: the century before's
rfc850_year_return:
        add     sp, sp, #CT_AREA          // drop t
        ldr     x19, [sp, #16]            // restore x19
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // x0 = the year
ENDFUNC rfc850_year

// ---------------------------------------------------------------------------
// int parse_time_of_day(const char *p, uint64_t *hour, uint64_t *minute,
//                       uint64_t *second)
//   "HH:MM:SS" at p (8 bytes): the colons checked, the ranges left to
//   http_time.
//   in:  x0 = p, x1 = hour, x2 = minute, x3 = second
//   out: w0 = 0 (the three written), or -1 (some may be written)
//   registers: x19 = p, x20 = minute, x21 = second
//   stack: 48 bytes (fp, lr, x19..x21, padding)
// ---------------------------------------------------------------------------
FUNC parse_time_of_day
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // callee-saved: x21 (sp+40: padding)
        mov     x19, x0                   // x19 = p
        mov     x20, x2                   // x20 = minute
        mov     x21, x3                   // x21 = second
        ldrb    w9, [x19, #2]             // "HH:" ...
        cmp     w9, #':'                  // a colon?
        b.ne    parse_time_of_day_bad     // no: not a time
        ldrb    w9, [x19, #5]             // ... "MM:"
        cmp     w9, #':'                  // a colon?
        b.ne    parse_time_of_day_bad     // no: not a time
        mov     x2, x1                    // parse_digits(p, 2, hour)
        mov     x1, #2                    // (x0 = p still)
        CALL    parse_digits              // w0 = 0 or -1
        tbnz    w0, #31, parse_time_of_day_return // -1: not a time
        add     x0, x19, #3               // parse_digits(p + 3, 2, minute)
        mov     x1, #2                    // (two digits,
        mov     x2, x20                   // into *minute)
        CALL    parse_digits
        tbnz    w0, #31, parse_time_of_day_return  // -1: not a time
        add     x0, x19, #6               // parse_digits(p + 6, 2, second)
        mov     x1, #2                    // (two digits,
        mov     x2, x21                   // into *second)
        CALL    parse_digits              // w0 = 0 or -1: the answer
        b       parse_time_of_day_return  // w0 = 0 or -1
parse_time_of_day_bad:
        mov     w0, #-1                   // no colons where they belong
parse_time_of_day_return:
        ldr     x21, [sp, #32]            // restore x21,
        ldp     x19, x20, [sp, #16]       // x19, x20
        ldp     x29, x30, [sp], #48       // fp, lr, and drop the frame
        ret                               // w0 = 0 or -1
ENDFUNC parse_time_of_day

// ---------------------------------------------------------------------------
// The three forms of RFC 9110 §5.6.7, each exactly: case-sensitive,
// nothing before or after.  Each parser gathers the fields in a struct
// civil_time on its stack (CT_YEAR .. CT_SECOND) and hands them to
// http_time.  The macros below read at a base register plus a fixed
// offset (x19: the form's first byte, RFC 850: the bytes after its day
// name) and jump to the parser's `9:` when a byte is not what the form
// has there.
// ---------------------------------------------------------------------------
// EXPECT off, c -- the byte at x19 + off must be c
        .macro EXPECT off, c
        ldrb    w9, [x19, #\off]          // the byte
        cmp     w9, #\c                   // as the form has it?
        b.ne    9f                        // no: not this form
        .endm
// NUMBER off, n, field -- n digits at x19 + off into t.field
        .macro NUMBER off, n, field
        add     x0, x19, #\off            // parse_digits(x19 + off,
        mov     x1, #\n                   //     n digits,
        add     x2, sp, #\field           //     &t.field)
        CALL    parse_digits              // w0 = 0 or -1
        tbnz    w0, #31, 9f               // not digits: not this form
        .endm
// CLOCK off -- time-of-day "HH:MM:SS" at x19 + off into t.hour .. t.second
        .macro CLOCK off
        add     x0, x19, #\off            // parse_time_of_day(x19 + off,
        add     x1, sp, #CT_HOUR          //     &t.hour,
        add     x2, sp, #CT_MINUTE        //     &t.minute,
        add     x3, sp, #CT_SECOND        //     &t.second)
        CALL    parse_time_of_day         // w0 = 0 or -1
        tbnz    w0, #31, 9f               // not a time: not this form
        .endm
// MONTH off -- a month's three letters at x19 + off into t.month
        .macro MONTH off
        add     x0, x19, #\off            // month_from_name(x19 + off, 3)
        mov     x1, #3                    // (three letters)
        CALL    month_from_name           // w0 = 1 .. 12, or -1
        tbnz    w0, #31, 9f               // not a month: not this form
        sxtw    x0, w0                    // an int: 64 bits for the field
        str     x0, [sp, #CT_MONTH]       // t.month
        .endm
// GMT off -- " GMT" at x19 + off
        .macro GMT off
        EXPECT  \off, CHAR_SP             // " "
        EXPECT  (\off + 1), 'G'           // "G"
        EXPECT  (\off + 2), 'M'           // "M"
        EXPECT  (\off + 3), 'T'           // "T"
        .endm
// TO_SECONDS out -- http_time(t.year, ..., t.second, out): w0 = 0 or -1
        .macro TO_SECONDS out
        ldr     x0, [sp, #CT_YEAR]        // http_time(year,
        ldr     x1, [sp, #CT_MONTH]       //     month,
        ldr     x2, [sp, #CT_DAY]         //     day,
        ldr     x3, [sp, #CT_HOUR]        //     hour,
        ldr     x4, [sp, #CT_MINUTE]      //     minute,
        ldr     x5, [sp, #CT_SECOND]      //     second,
        mov     x6, \out                  //     out)
        CALL    http_time                 // w0 = 0 (*out written) or -1
        .endm

// ---------------------------------------------------------------------------
// int parse_imf_fixdate(const char *p, size_t len, int64_t *out)
//   "Sun, 06 Nov 1994 08:49:37 GMT": HTTP_DATE_LEN bytes,
//    0123456789012345678901234567 8  (offsets from p)
//   in:  x0 = p, x1 = len, x2 = out
//   out: w0 = 0 (*out = the seconds), or -1 (nothing written)
//   registers: x19 = p, x20 = out
//   stack: 32 bytes (fp, lr, x19, x20) + CT_AREA: the fields at sp
// ---------------------------------------------------------------------------
// excerpt: parse-imf-fixdate
FUNC parse_imf_fixdate
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sub     sp, sp, #CT_AREA          // the fields: struct civil_time t
        mov     x19, x0                   // x19 = p
        mov     x20, x2                   // x20 = out
        cmp     x1, #HTTP_DATE_LEN        // exactly 29 bytes?
        b.ne    9f                        // no: not this form
        mov     x1, #3                    // weekday_short(p, 3): "Sun" ..
        CALL    weekday_short             // w0 = 0 .. 6, or -1
        tbnz    w0, #31, 9f               // not a day (which one: not checked)
        EXPECT  3, ','                    // ","
        EXPECT  4, CHAR_SP                // " "
        NUMBER  5, 2, CT_DAY              // "06"
        EXPECT  7, CHAR_SP                // " "
        MONTH   8                         // "Nov"
        EXPECT  11, CHAR_SP               // " "
        NUMBER  12, 4, CT_YEAR            // "1994"
        EXPECT  16, CHAR_SP               // " "
        CLOCK   17                        // "08:49:37"
        GMT     25                        // " GMT": the last bytes
        TO_SECONDS x20                    // w0 = 0 or -1: the ranges
        b       parse_imf_fixdate_return  // w0 = http_time's answer
9:      mov     w0, #-1                   // not this form
parse_imf_fixdate_return:
        add     sp, sp, #CT_AREA          // drop t
        ldp     x19, x20, [sp, #16]       // restore x19, x20
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // w0 = 0 or -1
ENDFUNC parse_imf_fixdate
// excerpt end

// ---------------------------------------------------------------------------
// int parse_rfc850_date(const char *p, size_t len, int64_t now,
//                       int64_t *out)
//   "Sunday, 06-Nov-94 08:49:37 GMT": a long day name, then
//   RFC850_TAIL_LEN bytes ", 06-Nov-94 08:49:37 GMT"
//                          012345678901234567890123 (offsets from the tail)
//   The year is rfc850_year(the two digits, now).
//   in:  x0 = p, x1 = len, x2 = now, x3 = out
//   out: w0 = 0 (*out = the seconds), or -1 (nothing written)
//   registers: x19 = the tail (p + len - 24), x20 = out, x21 = now
//   stack: 48 bytes (fp, lr, x19..x21, padding) + CT_AREA: the fields
// ---------------------------------------------------------------------------
FUNC parse_rfc850_date
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // callee-saved: x21 (sp+40: padding)
        sub     sp, sp, #CT_AREA          // the fields: struct civil_time t
        mov     x20, x3                   // x20 = out
        mov     x21, x2                   // x21 = now
        subs    x1, x1, #RFC850_TAIL_LEN  // the day name's length: len - 24
        b.lo    9f                        // shorter than the tail: not this form
        add     x19, x0, x1               // x19 = the tail, after the name
        CALL    weekday_long              // weekday_long(p, len - 24): "Sunday" ..
        tbnz    w0, #31, 9f               // not a day (which one: not checked)
        EXPECT  0, ','                    // ","
        EXPECT  1, CHAR_SP                // " "
        NUMBER  2, 2, CT_DAY              // "06"
        EXPECT  4, '-'                    // "-"
        MONTH   5                         // "Nov"
        EXPECT  8, '-'                    // "-"
        NUMBER  9, 2, CT_YEAR             // "94": two digits
        EXPECT  11, CHAR_SP               // " "
        CLOCK   12                        // "08:49:37"
        GMT     20                        // " GMT": the last bytes
        ldr     x0, [sp, #CT_YEAR]        // rfc850_year(two digits,
        mov     x1, x21                   //     now)
        CALL    rfc850_year               // x0 = the full year
        str     x0, [sp, #CT_YEAR]        // t.year
        TO_SECONDS x20                    // w0 = 0 or -1: the ranges
        b       parse_rfc850_date_return  // w0 = http_time's answer
9:      mov     w0, #-1                   // not this form
parse_rfc850_date_return:
        add     sp, sp, #CT_AREA          // drop t
        ldr     x21, [sp, #32]            // restore x21,
        ldp     x19, x20, [sp, #16]       // x19, x20
        ldp     x29, x30, [sp], #48       // fp, lr, and drop the frame
        ret                               // w0 = 0 or -1
ENDFUNC parse_rfc850_date

// ---------------------------------------------------------------------------
// int parse_asctime_date(const char *p, size_t len, int64_t *out)
//   "Sun Nov  6 08:49:37 1994": ASCTIME_LEN bytes; the day is two digits
//    012345678901234567890123   or a space and one digit (offsets from p)
//   in:  x0 = p, x1 = len, x2 = out
//   out: w0 = 0 (*out = the seconds), or -1 (nothing written)
//   registers: x19 = p, x20 = out
//   stack: 32 bytes (fp, lr, x19, x20) + CT_AREA: the fields at sp
// ---------------------------------------------------------------------------
FUNC parse_asctime_date
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sub     sp, sp, #CT_AREA          // the fields: struct civil_time t
        mov     x19, x0                   // x19 = p
        mov     x20, x2                   // x20 = out
        cmp     x1, #ASCTIME_LEN          // exactly 24 bytes?
        b.ne    9f                        // no: not this form
        mov     x1, #3                    // weekday_short(p, 3): "Sun" ..
        CALL    weekday_short             // w0 = 0 .. 6, or -1
        tbnz    w0, #31, 9f               // not a day (which one: not checked)
        EXPECT  3, CHAR_SP                // " "
        MONTH   4                         // "Nov"
        EXPECT  7, CHAR_SP                // " "
        ldrb    w9, [x19, #8]             // the day: ( SP DIGIT ) or 2DIGIT
        cmp     w9, #CHAR_SP              // " 6"?
        b.ne    parse_asctime_date_day2   // no: "06", "16"
        NUMBER  9, 1, CT_DAY              // " 6": one digit
        b       parse_asctime_date_time   // on to the time
parse_asctime_date_day2:
        NUMBER  8, 2, CT_DAY              // "06", "16": two
parse_asctime_date_time:
        EXPECT  10, CHAR_SP               // " "
        CLOCK   11                        // "08:49:37"
        EXPECT  19, CHAR_SP               // " "
        NUMBER  20, 4, CT_YEAR            // "1994": the last bytes
        TO_SECONDS x20                    // w0 = 0 or -1: the ranges
        b       parse_asctime_date_return // w0 = http_time's answer
9:      mov     w0, #-1                   // not this form
parse_asctime_date_return:
        add     sp, sp, #CT_AREA          // drop t
        ldp     x19, x20, [sp, #16]       // restore x19, x20
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // w0 = 0 or -1
ENDFUNC parse_asctime_date

// ---------------------------------------------------------------------------
// int parse_http_date(const char *p, size_t len, int64_t now, int64_t *out)
//   An HTTP-date in any of the three forms (§5.6.7: a recipient MUST
//   accept all three): 0 and *out (signed seconds since 1970), or -1 --
//   not an HTTP-date (the field that holds it is then ignored, never a
//   400).  The forms have different lengths, so at most one can match;
//   they are tried in the RFC's order.
//   in:  x0 = p, x1 = len, x2 = now, x3 = out
//   out: w0 = 0 or -1
//   registers: x19 = p, x20 = len, x21 = now, x22 = out
//   stack: 48 bytes (fp, lr, x19..x22)
// ---------------------------------------------------------------------------
// excerpt: parse-http-date
FUNC parse_http_date
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // (x21 = now, x22 = out)
        mov     x19, x0                   // x19 = p
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = now
        mov     x22, x3                   // x22 = out
        mov     x2, x22                   // parse_imf_fixdate(p, len, out):
        CALL    parse_imf_fixdate         //     the preferred form
        cbz     w0, parse_http_date_return // 0: a date
        mov     x0, x19                   // parse_rfc850_date(p, len,
        mov     x1, x20                   //     now,
        mov     x2, x21                   //     out)
        mov     x3, x22                   // (out last)
        CALL    parse_rfc850_date         // the obsolete one
        cbz     w0, parse_http_date_return // 0: a date
        mov     x0, x19                   // parse_asctime_date(p, len, out):
        mov     x1, x20                   //     C's asctime()
        mov     x2, x22                   // (out)
        CALL    parse_asctime_date        // w0 = 0 or -1: the answer
parse_http_date_return:
        ldp     x21, x22, [sp, #32]       // restore x21, x22,
        ldp     x19, x20, [sp, #16]       // x19, x20
        ldp     x29, x30, [sp], #48       // fp, lr, and drop the frame
        ret                               // w0 = 0 or -1
ENDFUNC parse_http_date
// excerpt end

// ---------------------------------------------------------------------------
// int64_t last_modified_time(int64_t mtime, int64_t date)
//   What Last-Modified shows for a file modified at mtime when the Date
//   is date: mtime, but never later than date (§8.8.2.1: a modification
//   time in the future is replaced by the message's Date) and never
//   before HTTP_TIME_MIN (signed comparisons).
//   in:  x0 = mtime, x1 = date.  out: x0 = the seconds
//   registers: x9 = HTTP_TIME_MIN.  Leaf.
// ---------------------------------------------------------------------------
FUNC last_modified_time
        cmp     x0, x1                    // modified after the Date?
        csel    x0, x1, x0, gt            // then the Date
        MOVX64  x9, HTTP_TIME_MIN         // 0000-01-01: the earliest HTTP-date
        cmp     x0, x9                    // earlier?
        csel    x0, x9, x0, lt            // then that
        ret                               // x0 = the seconds
ENDFUNC last_modified_time

// ---------------------------------------------------------------------------
// The conditions (RFC 9110 §13.1): each one field's value against the
// file's last_modified; now is parse_http_date's clock (RFC 850 years).
// The value is parsed into a 16-byte slot on the stack.
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// int modified_since(const char *p, size_t len,
//                    int64_t last_modified, int64_t now)
//   The question If-Modified-Since (§13.1.3) and If-Unmodified-Since
//   (§13.1.4) both ask: 1 when the value is an HTTP-date and
//   last_modified is later than it, 0 when it is not later, -1 when the
//   value is not an HTTP-date (the field is ignored).  The steps decide:
//   0 is If-Modified-Since's 304, 1 is If-Unmodified-Since's 412.
//   in:  x0 = p, x1 = len, x2 = last_modified, x3 = now
//   out: w0 = 1, 0 or -1
//   registers: x19 = last_modified
//   stack: 32 bytes (fp, lr, x19, the date parsed)
// ---------------------------------------------------------------------------
FUNC modified_since
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19
        mov     x19, x2                   // x19 = last_modified
        mov     x2, x3                    // parse_http_date(p, len, now,
        add     x3, sp, #24               //     &date: at sp + 24)
        CALL    parse_http_date           // w0 = 0 or -1
        tbnz    w0, #31, modified_since_return  // -1: not a date, w0 = -1 already
        ldr     x10, [sp, #24]            // the date
        cmp     x19, x10                  // modified later than it? (signed: dates before 1970)
        cset    w0, gt                    // 1: modified since; 0: not
modified_since_return:
        ldr     x19, [sp, #16]            // restore x19
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // w0 = 1, 0 or -1
ENDFUNC modified_since

// ---------------------------------------------------------------------------
// int if_range_holds(const char *p, size_t len, int64_t last_modified,
//                    int64_t date, int64_t now)
//   §13.1.5: 1 when the value is an HTTP-date equal to last_modified AND
//   last_modified is at least one second before date (only then is it a
//   strong validator, §8.8.2.2); 0 otherwise.  An entity-tag ('"' or
//   "W/" first) never matches: no ETag is sent.
//   in:  x0 = p, x1 = len, x2 = last_modified, x3 = date, x4 = now
//   out: w0 = 1 or 0
//   registers: x19 = last_modified, x20 = date
//   stack: 48 bytes (fp, lr, x19, x20, the date parsed, padding)
// ---------------------------------------------------------------------------
// excerpt: if-range-holds
FUNC if_range_holds
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x2                   // x19 = last_modified
        mov     x20, x3                   // x20 = date
// an entity-tag ("xyz" or W/"xyz"): we send no ETag, so none matches
        cbz     x1, if_range_holds_date   // empty: no tag (nor a date)
        ldrb    w9, [x0]                  // the first byte
        cmp     w9, #CHAR_QUOTE           // '"': a strong tag
        b.eq    if_range_holds_no         // a strong tag: no match
        cmp     x1, #2                    // "W/" needs two bytes
        b.lo    if_range_holds_date       // one byte: no "W/"
        cmp     w9, #'W'                  // "W" ...
        b.ne    if_range_holds_date       // not W: maybe a date
        ldrb    w9, [x0, #1]              // ... "/": a weak tag
        cmp     w9, #'/'                  // a slash?
        b.eq    if_range_holds_no         // a weak tag: no match
// otherwise an HTTP-date, or nothing we know
if_range_holds_date:
        mov     x2, x4                    // parse_http_date(p, len, now,
        add     x3, sp, #32               //     &value: at sp + 32)
        CALL    parse_http_date           // w0 = 0 or -1
        tbnz    w0, #31, if_range_holds_no // not a date either: no match
        ldr     x9, [sp, #32]             // the value's seconds
        cmp     x9, x19                   // exactly Last-Modified?
        b.ne    if_range_holds_no         // no: another version
        cmp     x19, x20                  // a second or more before Date?
        b.ge    if_range_holds_no         // no: a weak validator (§8.8.2.2)
        mov     w0, #1                    // the same version: the range
        b       if_range_holds_return     // w0 = 1
if_range_holds_no:
        mov     w0, #0                    // the whole file
if_range_holds_return:
        ldp     x19, x20, [sp, #16]       // restore x19, x20
        ldp     x29, x30, [sp], #48       // fp, lr, and drop the frame
        ret                               // w0 = 1 or 0
ENDFUNC if_range_holds
// excerpt end

// ---------------------------------------------------------------------------
// The steps.
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// int http_date_field(struct exchange *x, const char *name,
//                     int64_t seconds)  (this file only)
//   "name: <IMF-fixdate of seconds>" into x->extra (add_extra).
//   in:  x0 = x, x1 = name, x2 = seconds
//   out: w0 = add_extra's 0 or -1
//   registers: x19 = x, x20 = name
//   stack: 32 bytes (fp, lr, x19, x20) + DATE_AREA: the value and its
//          NUL at sp (add_extra wants a C string)
// ---------------------------------------------------------------------------
        .equ    DATE_AREA, (HTTP_DATE_LEN + 1 + 15) & ~15 // 29 bytes and a NUL, 16-aligned
http_date_field:
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sub     sp, sp, #DATE_AREA        // char value[HTTP_DATE_LEN + 1]
        mov     x19, x0                   // x19 = x
        mov     x20, x1                   // x20 = name
        mov     x0, sp                    // format_http_date(value,
        mov     x1, x2                    //     seconds)
        CALL    format_http_date          // x0 = HTTP_DATE_LEN
        strb    wzr, [sp, #HTTP_DATE_LEN] // the NUL after it
        mov     x0, x19                   // add_extra(x,
        mov     x1, x20                   //     name,
        mov     x2, sp                    //     value)
        CALL    add_extra                 // w0 = 0, or -1 (no room: left out)
        add     sp, sp, #DATE_AREA        // drop the value
        ldp     x19, x20, [sp, #16]       // restore x19, x20
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // w0 = 0 or -1

// ---------------------------------------------------------------------------
// int step_stamp_date(struct exchange *x)
//   The FIRST step: x->date = the clock in seconds (now_ms, the clock
//   lesson 10's deadlines and access log read: gettimeofday), and
//   "Date: <IMF-fixdate>" into x->extra -- every answer built from the
//   exchange from here on carries it, errors too (RFC 9110 §6.6.1).
//   in:  x0 = x.  out: w0 = STEP_NEXT
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding)
//   syscalls: gettimeofday (now_ms)
// ---------------------------------------------------------------------------
// excerpt: step-stamp-date
FUNC step_stamp_date
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        mov     x19, x0                   // x19 = x
        CALL    now_ms                    // x0 = ms since 1970
        mov     x9, #MS_PER_SECOND        // in whole seconds:
        udiv    x2, x0, x9                // what the Date field can show
        str     x2, [x19, #X_DATE]        // x->date
        mov     x0, x19                   // http_date_field(x, "Date",
        LOAD_ADDR x1, field_date          //     x->date: still in x2)
        bl      http_date_field           // (the first line of x->extra: it fits)
        mov     w0, #STEP_NEXT            // go on
        ldr     x19, [sp, #16]            // restore x19
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT
ENDFUNC step_stamp_date
// excerpt end

// ---------------------------------------------------------------------------
// int step_last_modified(struct exchange *x)
//   After step_choose_type: a regular file is open (a listing never gets
//   here).  fstat it again for its mtime -- one more system call per
//   file GET; step_stat_file's struct stat is gone -- and
//   x->last_modified = last_modified_time(mtime, x->date): never later
//   than Date (§8.8.2.1).  "Last-Modified: <IMF-fixdate>" into x->extra.
//   in:  x0 = x
//   out: w0 = STEP_NEXT, or errno_to_status's status (fstat failed)
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding) + STAT_AREA: struct stat at sp
//   syscalls: fstat
// ---------------------------------------------------------------------------
// excerpt: step-last-modified
FUNC step_last_modified
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        sub     sp, sp, #STAT_AREA        // struct stat st
        mov     x19, x0                   // x19 = x
        ldrsw   x0, [x19, #X_FILE_FD]     // fstat(x->file_fd (an int),
        mov     x1, sp                    //     &st)
        SYSCALL fstat                     // x0 = 0, or carry + errno
        b.cs    step_last_modified_failed // carry set: x0 = errno
        ldr     x0, [sp, #ST_MTIME]       // last_modified_time(st's mtime
        ldr     x1, [x19, #X_DATE]        //     (Darwin st_mtimespec, Linux st_mtim: os.inc), x->date)
        CALL    last_modified_time        // x0 = the seconds
        str     x0, [x19, #X_LAST_MODIFIED] // x->last_modified
        mov     x2, x0                    // http_date_field(x, "Last-Modified",
        mov     x0, x19                   //     x->last_modified)
        LOAD_ADDR x1, field_last_modified
        bl      http_date_field           // (two dates and Accept-Ranges: it fits)
        mov     w0, #STEP_NEXT            // go on
        b       step_last_modified_return // w0 = STEP_NEXT
step_last_modified_failed:
        CALL    errno_to_status           // w0 = 403 / 404 / 414 / 500
step_last_modified_return:
        add     sp, sp, #STAT_AREA        // drop st
        ldr     x19, [sp, #16]            // restore x19
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or a status
ENDFUNC step_last_modified
// excerpt end

// ---------------------------------------------------------------------------
// int answer_not_modified(struct exchange *x)
//   step_check_conditions' 304: x->status = 304 (for the access log),
//   the head -- status line, Server, Connection, x->extra (Date,
//   Last-Modified) -- and nothing else: no body, no Content-Length, no
//   Content-Type (§15.4.5).
//   in:  x0 = x.  out: w0 = STEP_DONE
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding) + HEAD_MAX: the head at sp
//   syscalls: write (write_all)
// ---------------------------------------------------------------------------
FUNC answer_not_modified
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        sub     sp, sp, #HEAD_MAX         // char head[HEAD_MAX]
        mov     x19, x0                   // x19 = x
        mov     x9, #304                  // x->status = 304: what the client gets
        str     x9, [x19, #X_STATUS]      // (the access log reads it)
        mov     x0, sp                    // head_start(head, 304)
        mov     w1, #304                  // (the status)
        CALL    head_start                // x0 = len
        mov     x1, x0                    // head_add_lines(head, len,
        mov     x0, sp                    //     x->extra, x->extra_len):
        add     x2, x19, #X_EXTRA         //     Date, Last-Modified
        ldr     x3, [x19, #X_EXTRA_LEN]   // (its length)
        CALL    head_add_lines            // x0 = len
        mov     x1, x0                    // head_end(head, len)
        mov     x0, sp                    // (the head again)
        CALL    head_end                  // x0 = len
        mov     x2, x0                    // write_all(x->sock, head, len)
        ldrsw   x0, [x19, #X_SOCK]        // (the socket: an int)
        mov     x1, sp                    // (the head)
        CALL    write_all                 // a client that left: nothing to do
        mov     w0, #STEP_DONE            // answered
        add     sp, sp, #HEAD_MAX         // drop the head
        ldr     x19, [sp, #16]            // restore x19
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // w0 = STEP_DONE
ENDFUNC answer_not_modified

// ---------------------------------------------------------------------------
// int step_check_conditions(struct exchange *x)
//   After step_last_modified, GET and HEAD only (§13.1.3), in §13.2.2's
//   order: with If-None-Match, If-Modified-Since is ignored -- "*" (one
//   field line) matches any current representation: 304; any other list
//   names entity-tags, and we send none: go on.  Else one
//   If-Modified-Since field line (two would make a list: ignored) whose
//   condition is false (the file not modified since) -> 304.
//   in:  x0 = x
//   out: w0 = STEP_NEXT, or STEP_DONE (answer_not_modified answered)
//   registers: x19 = x, x9 = the method
//   stack: 32 bytes (fp, lr, x19, padding)
// ---------------------------------------------------------------------------
// excerpt: step-check-conditions
FUNC step_check_conditions
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        mov     x19, x0                   // x19 = x
        ldr     x9, [x19, #(X_REQ + REQ_METHOD_ID)] // x->req.method_id
        cmp     x9, #METHOD_GET           // GET?
        b.eq    step_check_conditions_none_match  // GET: on to the conditions
        cmp     x9, #METHOD_HEAD          // HEAD?
        b.ne    step_check_conditions_next // no: no 304 for others (§13.1.3)
// If-None-Match decides when it is there (§13.2.2)
step_check_conditions_none_match:
        mov     x9, #X_REQ                // find_header(&x->req (past add's
        add     x0, x19, x9               //     12-bit immediate: via x9),
        LOAD_ADDR x1, name_if_none_match  //     "If-None-Match",
        mov     x2, #NAME_IF_NONE_MATCH_LEN //     13)
        CALL    find_header               // x0 = the field, or 0
        cbz     x0, step_check_conditions_since // none: If-Modified-Since may count
        mov     x9, #X_REQ                // single_header(&x->req,
        add     x0, x19, x9               //     "If-None-Match", 13): only one
        LOAD_ADDR x1, name_if_none_match  //     line can be exactly "*"
        mov     x2, #NAME_IF_NONE_MATCH_LEN  // (13)
        CALL    single_header             // x0 = the field, or 0
        cbz     x0, step_check_conditions_next // two lines: a list of tags, none ours
        ldr     x9, [x0, #HDR_VALUE_LEN]  // its value "*"?
        cmp     x9, #1                    // one byte ...
        b.ne    step_check_conditions_next // a list of tags: none is ours
        ldr     x9, [x0, #HDR_VALUE_PTR]  // the value's first byte ...
        ldrb    w9, [x9]                  // ... a star
        cmp     w9, #'*'                  // '*'?
        b.ne    step_check_conditions_next // one tag: not ours
        b       step_check_conditions_304 // "*": the file exists
// If-Modified-Since: one line, a date the file is not newer than
step_check_conditions_since:
        mov     x9, #X_REQ                // single_header(&x->req,
        add     x0, x19, x9               //     "If-Modified-Since", 17)
        LOAD_ADDR x1, name_if_modified_since
        mov     x2, #NAME_IF_MODIFIED_SINCE_LEN  // (17)
        CALL    single_header             // x0 = the field, or 0
        cbz     x0, step_check_conditions_next // none, or two lines: ignored
        ldp     x0, x1, [x0, #HDR_VALUE_PTR] // modified_since(value, len,
        ldr     x2, [x19, #X_LAST_MODIFIED] //   x->last_modified,
        ldr     x3, [x19, #X_DATE]        //     now = x->date)
        CALL    modified_since            // w0 = 1 (modified), 0 (not), -1 (no date)
        cbnz    w0, step_check_conditions_next // modified, or no date: the file, 200
step_check_conditions_304:
        mov     x0, x19                   // answer_not_modified(x)
        CALL    answer_not_modified       // w0 = STEP_DONE
        b       step_check_conditions_return  // w0 = STEP_DONE
step_check_conditions_next:
        mov     w0, #STEP_NEXT            // go on
step_check_conditions_return:
        ldr     x19, [sp, #16]            // restore x19
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or STEP_DONE
ENDFUNC step_check_conditions
// excerpt end

// ---------------------------------------------------------------------------
// int step_parse_range_11(struct exchange *x)
//   Lesson 07's step_parse_range's successor: "Accept-Ranges: bytes"
//   into x->extra (§14.3); a GET's one Range field goes to answer_range
//   (lesson 07) when there is no If-Range, or one If-Range field line
//   that holds (if_range_holds, §13.1.5); an If-Range that does not --
//   two lines of it, an entity-tag, another date, a weak validator --
//   means the whole file: 200.
//   in:  x0 = x
//   out: w0 = STEP_NEXT, or 416 (answer_range)
//   registers: x19 = x, x20 = the Range field
//   stack: 32 bytes (fp, lr, x19, x20)
// ---------------------------------------------------------------------------
// excerpt: step-parse-range-11
FUNC step_parse_range_11
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = x
        mov     x0, x19                   // add_extra(x, "Accept-Ranges",
        LOAD_ADDR x1, field_accept_ranges //     "bytes"): every file
        LOAD_ADDR x2, value_bytes         //     response, as lesson 07
        CALL    add_extra
        ldr     x9, [x19, #(X_REQ + REQ_METHOD_ID)] // x->req.method_id
        cmp     x9, #METHOD_GET           // GET?
        b.ne    step_parse_range_11_next  // HEAD: Range MUST be ignored (§14.2)
        mov     x9, #X_REQ                // single_header(&x->req, "Range", 5)
        add     x0, x19, x9               // (past add's 12-bit immediate: via x9)
        LOAD_ADDR x1, name_range
        mov     x2, #NAME_RANGE_LEN       // (5)
        CALL    single_header             // x0 = the field, or 0
        cbz     x0, step_parse_range_11_next // none, or two: the whole file
        mov     x20, x0                   // x20 = the Range field
// If-Range: absent, or one line that holds
        mov     x9, #X_REQ                // find_header(&x->req, "If-Range", 8)
        add     x0, x19, x9               // (via x9: past add's immediate)
        LOAD_ADDR x1, name_if_range
        mov     x2, #NAME_IF_RANGE_LEN    // (8)
        CALL    find_header               // x0 = the field, or 0
        cbz     x0, step_parse_range_11_range // none: the Range as lesson 07
        mov     x9, #X_REQ                // single_header(&x->req, "If-Range", 8)
        add     x0, x19, x9               // (via x9)
        LOAD_ADDR x1, name_if_range
        mov     x2, #NAME_IF_RANGE_LEN    // (8)
        CALL    single_header             // x0 = the field, or 0
        cbz     x0, step_parse_range_11_next // two: no validator, the whole file
        ldp     x0, x1, [x0, #HDR_VALUE_PTR] // if_range_holds(value, len,
        ldr     x2, [x19, #X_LAST_MODIFIED] //   x->last_modified,
        ldr     x3, [x19, #X_DATE]        //     x->date,
        mov     x4, x3                    //     now = x->date)
        CALL    if_range_holds            // w0 = 1 or 0
        cbz     w0, step_parse_range_11_next // another version: 200 (§13.1.5)
step_parse_range_11_range:
        mov     x0, x19                   // answer_range(x,
        ldp     x1, x2, [x20, #HDR_VALUE_PTR] //   the Range's value, its length)
        CALL    answer_range              // w0 = STEP_NEXT or 416
        b       step_parse_range_11_return  // w0 = answer_range's
step_parse_range_11_next:
        mov     w0, #STEP_NEXT            // the whole file, 200
step_parse_range_11_return:
        ldp     x19, x20, [sp, #16]       // restore x19, x20
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or 416
ENDFUNC step_parse_range_11
// excerpt end

// ---------------------------------------------------------------------------
// int step_check_unmodified(struct exchange *x)
//   In the PUT and DELETE lists, after step_open_parent (x->file_fd: the
//   target's directory; x->file_mode: the target's, 0 when there is
//   none).  One If-Unmodified-Since field line and a target that exists:
//   fstatat the target (never through a symlink) for its mtime, as
//   Last-Modified would show it (last_modified_time); modified after the
//   date -> 412, nothing written or removed.  No target: there is no
//   modification date to compare, and §13.1.4 has the field ignored then
//   (a PUT creates the file, a DELETE gets its 404).
//   in:  x0 = x
//   out: w0 = STEP_NEXT, 412, or errno_to_status's status
//   registers: x19 = x, x20 = the field
//   stack: 32 bytes (fp, lr, x19, x20) + STAT_AREA: struct stat at sp
//   syscalls: fstatat
// ---------------------------------------------------------------------------
// excerpt: step-check-unmodified
FUNC step_check_unmodified
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sub     sp, sp, #STAT_AREA        // struct stat st
        mov     x19, x0                   // x19 = x
        mov     x9, #X_REQ                // single_header(&x->req,
        add     x0, x19, x9               //     "If-Unmodified-Since", 19)
        LOAD_ADDR x1, name_if_unmodified_since
        mov     x2, #NAME_IF_UNMODIFIED_SINCE_LEN  // (19)
        CALL    single_header             // x0 = the field, or 0
        cbz     x0, step_check_unmodified_next // none, or two lines: ignored
        mov     x20, x0                   // x20 = the field
        ldr     x9, [x19, #X_FILE_MODE]   // a target there?
        cbz     x9, step_check_unmodified_next // no: no date to compare
        add     x0, x19, #X_PATH          // last_name(x->path, x->path_len)
        ldr     x1, [x19, #X_PATH_LEN]    // (its length)
        CALL    last_name                 // x0 = where the name starts
        add     x1, x19, #X_PATH          // fstatat(x->file_fd (the directory),
        add     x1, x1, x0                //     the name (NUL-terminated by
        ldrsw   x0, [x19, #X_FILE_FD]     //     step_open_parent),
        mov     x2, sp                    //     &st,
        mov     x3, #AT_SYMLINK_NOFOLLOW  //     the name itself)
        SYSCALL fstatat                   // x0 = 0, or carry + errno
        b.cs    step_check_unmodified_failed // carry set: x0 = errno
        ldr     x0, [sp, #ST_MTIME]       // last_modified_time(mtime,
        ldr     x1, [x19, #X_DATE]        //     x->date): as Last-Modified shows it
        CALL    last_modified_time        // x0 = the seconds
        mov     x2, x0                    // modified_since(value,
        ldp     x0, x1, [x20, #HDR_VALUE_PTR] //   len, modified,
        ldr     x3, [x19, #X_DATE]        //     now = x->date)
        CALL    modified_since            // w0 = 1 (modified), 0 (not), -1 (no date)
        cmp     w0, #1                    // modified since the date?
        b.ne    step_check_unmodified_next // not modified, or no date: go on
        mov     w0, #412                  // Precondition Failed: nothing touched
        b       step_check_unmodified_return  // w0 = 412
step_check_unmodified_failed:
        CALL    errno_to_status           // w0 = 403 / 404 / 414 / 500
        b       step_check_unmodified_return  // w0 = the status
step_check_unmodified_next:
        mov     w0, #STEP_NEXT            // go on: store, or delete
step_check_unmodified_return:
        add     sp, sp, #STAT_AREA        // drop st
        ldp     x19, x20, [sp, #16]       // restore x19, x20
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or a status
ENDFUNC step_check_unmodified
// excerpt end
