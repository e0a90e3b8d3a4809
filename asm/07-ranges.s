// asm/07-ranges.s -- lesson 07: byte ranges (RFC 9110 §14): a client asks
// for part of a file with `Range: bytes=first-last`, the server answers
// 206 Partial Content with just those bytes, or 416 Range Not
// Satisfiable when none of them exist.
//
// C++ twin: cpp/07-ranges.cpp (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/07-ranges/README.md.
//
// The stage's one step, in the spine's list (asm/httpd.s) between lesson
// 04's step_choose_type and step_send_head; it works on the connection's
// struct exchange (asm/records.inc, EXCHANGE):
//     step_parse_range  Accept-Ranges: bytes into x->extra, always; then,
//                       for a GET with one usable Range field, narrow
//                       x->body_first / x->body_len, x->status = 206 and
//                       a Content-Range line -- or a Content-Range of
//                       "bytes */length" and 416 (that part is
//                       answer_range, which lesson 11's successor
//                       step reuses)
// Lesson 04's step_send_head already sends x->status, x->body_len (as
// Content-Length) and x->extra; step_send_body sends x->body_len bytes
// from x->body_first.  This stage only changes those fields.
//
// Error convention of this lesson: parse_decimal returns 0 or -1;
// parse_range_spec and parse_range return RANGE_IGNORE, RANGE_OK or
// RANGE_UNSATISFIABLE (records.inc, RANGES) and write their results only
// for RANGE_OK; the step returns STEP_NEXT or 416.  No system calls: the
// stage only reads the request and fills in the exchange.

        .include "os.inc"
        .include "records.inc"
        .include "methods.inc"            // METHOD_GET (from lessons/03-parse/methods.tsv)

        RODATA                            // constant data: the names and strings
unit_bytes:
        .asciz  "bytes"                   // the one range unit (§14.1.2); Accept-Ranges' value
        .equ    UNIT_BYTES_LEN, . - unit_bytes - 1 // 5: compared without its NUL
content_range_start:
        .ascii  "bytes "                  // every Content-Range value starts so (§14.4)
        .equ    CONTENT_RANGE_START_LEN, . - content_range_start
field_accept_ranges:
        .asciz  "Accept-Ranges"           // RFC 9110 §14.3
field_content_range:
        .asciz  "Content-Range"           // RFC 9110 §14.4
name_range:
        .ascii  "Range"                   // the request field (§14.2); any case
        .equ    NAME_RANGE_LEN, . - name_range
name_if_range:
        .ascii  "If-Range"                // the condition on it (§13.1.5); any case
        .equ    NAME_IF_RANGE_LEN, . - name_if_range

// ---------------------------------------------------------------------------
// int parse_decimal(const char *p, size_t len, uint64_t *value)
//   1*DIGIT, the numbers of a range (RFC 9110 §14.1.2).  A number past
//   2^64 - 1 SATURATES there and never wraps: recipients "MUST anticipate
//   potentially large decimal numerals" (§14.1.2), and for a range every
//   such number means the same as 2^64 - 1.  v * 10 + digit passes
//   2^64 - 1 when the high half of the 128-bit product is not 0 (umulh),
//   or when adding the digit carries.
//   in:  x0 = p, x1 = len, x2 = value
//   out: w0 = 0 (*value = the number), or -1 (empty, or a byte that is
//        not a digit: nothing written)
//   registers: x0 = cursor, x3 = end, x4 = v, x5 = the digit, x6 = 10,
//              x7 = the high half of v * 10.  Leaf: no stack, no calls.
// ---------------------------------------------------------------------------
FUNC parse_decimal
        cbz     x1, parse_decimal_bad     // 1*DIGIT: "" is not a number
        add     x3, x0, x1                // x3 = one past the last byte
        mov     x4, #0                    // v = 0
        mov     x6, #10                   // the base
parse_decimal_digit:
        ldrb    w5, [x0], #1              // the next byte
        sub     w5, w5, #'0'              // '0'..'9' -> 0..9; others wrap above 9
        cmp     w5, #9                    // a digit is 0..9 now
        b.hi    parse_decimal_bad         // not a digit (unsigned compare catches both ends)
        umulh   x7, x4, x6                // the high 64 bits of v * 10
        cbnz    x7, parse_decimal_saturate // not 0: v * 10 alone passes 2^64 - 1
        mul     x4, x4, x6                // v * 10: fits
        adds    x4, x4, x5                // + the digit (w5 was written: x5 is zero-extended)
        b.cc    parse_decimal_next        // no carry: v fits
parse_decimal_saturate:
        mov     x4, #-1                   // v = 2^64 - 1, and it stays there
parse_decimal_next:
        cmp     x0, x3                    // every byte read?
        b.lo    parse_decimal_digit       // no: the next one
        str     x4, [x2]                  // *value = v
        mov     w0, #0                    // a number
        ret                               // w0 = 0
parse_decimal_bad:
        mov     w0, #-1                   // not a number: *value untouched
        ret                               // w0 = -1
ENDFUNC parse_decimal

// ---------------------------------------------------------------------------
// int parse_range_spec(const char *spec, size_t len, uint64_t size,
//                      uint64_t *first, uint64_t *count)
//   One range-spec of the bytes unit (RFC 9110 §14.1.2) against a file of
//   size bytes:
//     int-range     first "-" [last]  bytes first..last; a last past the
//                                     end (or none) means the last byte
//     suffix-range  "-" n             the last n bytes (all of them if the
//                                     file is shorter)
//   A non-zero suffix on an empty file is satisfiable by §14.1.2 but
//   leaves nothing to send: RANGE_IGNORE (§14.2: a server MAY ignore
//   Range when the representation is empty).
//   in:  x0 = spec, x1 = len, x2 = size, x3 = first, x4 = count
//   out: w0 = RANGE_OK (*first, *count set; count >= 1),
//        RANGE_UNSATISFIABLE (first >= size, or "-0"), or RANGE_IGNORE
//        (not a range-spec: "5", "4-2", "1-2-3", "-", "", "a-b", spaces)
//   registers: x19 = spec, x20 = len, x21 = size, x22 = first,
//              x23 = count, x24 = the dash's index
//   stack: 64 bytes (fp, lr, x19..x24) + 16: the two numbers
//          parse_decimal writes, a at sp+64 and b at sp+72
//   syscalls: none
// ---------------------------------------------------------------------------
        .equ    SPEC_A, 64                // the first byte asked for
        .equ    SPEC_B, 72                // the last byte, or the suffix's length
FUNC parse_range_spec
        stp     x29, x30, [sp, #-80]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        stp     x23, x24, [sp, #48]       // callee-saved: x23, x24
        mov     x19, x0                   // x19 = spec
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = size
        mov     x22, x3                   // x22 = first
        mov     x23, x4                   // x23 = count
        mov     x9, #-1                   // b = 2^64 - 1: no last byte given means
        stp     xzr, x9, [sp, #SPEC_A]    // "past any end"; a = 0

// the dash decides the form: none -> not a range; at 0 -> a suffix
        mov     w2, #'-'                  // find_byte(spec, len, '-'):
        CALL    find_byte                 // x0 = the dash's index (len: none)
        cmp     x0, x20                   // no dash at all?
        b.eq    parse_range_spec_ignore   // "5", "": no range
        mov     x24, x0                   // x24 = the dash's index
        cbnz    x24, parse_range_spec_int // a digit first: an int-range

// -- parse_range_spec_suffix: suffix-range = "-" suffix-length: the last b
// bytes
        add     x0, x19, #1               // parse_decimal(spec + 1,
        sub     x1, x20, #1               //     len - 1,
        add     x2, sp, #SPEC_B           //     &b)
        CALL    parse_decimal             // w0 = 0 or -1
        tbnz    w0, #31, parse_range_spec_ignore // "-", "-x", "--1"
        ldr     x9, [sp, #SPEC_B]         // x9 = the suffix's length
        cbz     x9, parse_range_spec_unsatisfiable // "-0": the last no bytes (§14.1.2)
        cbz     x21, parse_range_spec_ignore // empty file: satisfiable, nothing to send (§14.2)
        cmp     x9, x21                   // longer than the file?
        csel    x9, x21, x9, hi           // then all of it
        sub     x10, x21, x9              // first = size - length
        str     x10, [x22]                // *first
        str     x9, [x23]                 // *count = the length
        b       parse_range_spec_ok       // RANGE_OK

// int-range = first-pos "-" [ last-pos ]
parse_range_spec_int:
        mov     x0, x19                   // parse_decimal(spec,
        mov     x1, x24                   //     the bytes before the dash,
        add     x2, sp, #SPEC_A           //     &a)
        CALL    parse_decimal             // w0 = 0 or -1
        tbnz    w0, #31, parse_range_spec_ignore // "x-1"
        add     x9, x24, #1               // x9 = where last-pos starts
        cmp     x9, x20                   // nothing after the dash?
        b.eq    parse_range_spec_check    // "first-": b stays "past any end"
        add     x0, x19, x9               // parse_decimal(spec + dash + 1,
        sub     x1, x20, x9               //     the rest,
        add     x2, sp, #SPEC_B           //     &b)
        CALL    parse_decimal             // w0 = 0 or -1
        tbnz    w0, #31, parse_range_spec_ignore // "1-x", "1-2-3"
parse_range_spec_check:
        ldp     x9, x10, [sp, #SPEC_A]    // x9 = a, x10 = b
        cmp     x10, x9                   // b < a?
        b.lo    parse_range_spec_ignore   // "4-2": invalid (§14.1.2)
        cmp     x9, x21                   // a >= size?
        b.hs    parse_range_spec_unsatisfiable // starts at or past the end (size 0 too)
        sub     x11, x21, #1              // x11 = the file's last byte (size > a >= 0)
        cmp     x10, x11                  // b past it?
        csel    x10, x11, x10, hi         // then the last byte
        str     x9, [x22]                 // *first = a
        sub     x10, x10, x9              // count = b - a + 1
        add     x10, x10, #1              // (at most size: it fits)
        str     x10, [x23]                // *count

parse_range_spec_ok:
        mov     w0, #RANGE_OK             // one satisfiable range
        b       parse_range_spec_return   // w0 = RANGE_OK
parse_range_spec_unsatisfiable:
        mov     w0, #RANGE_UNSATISFIABLE  // no byte of it exists
        b       parse_range_spec_return   // w0 = RANGE_UNSATISFIABLE
parse_range_spec_ignore:
        mov     w0, #RANGE_IGNORE         // not a range-spec
parse_range_spec_return:
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #80       // ... fp, lr, and drop the frame
        ret                               // w0 = RANGE_*
ENDFUNC parse_range_spec

// ---------------------------------------------------------------------------
// int parse_range(const char *value, size_t len, uint64_t size,
//                 uint64_t *first, uint64_t *count)
//   A Range field value, ranges-specifier = range-unit "=" OWS range-set
//   (RFC 9110 §14.1.1 as corrected by erratum 7306: §14.1.2's own example
//   is `bytes= 0-999, 4500-5499, -1000`).  The unit must be "bytes" in any
//   case (§14.1), nothing between it and the "=".  range-set =
//   1#range-spec is a list (§5.6.1): OWS after the "=" and on either side
//   of each comma is dropped, and empty elements do not count
//   (§5.6.1.2).  Exactly one range-spec: parse_range_spec's answer.  None
//   or several: RANGE_IGNORE (several would need a multipart/byteranges
//   body; §14.2 lets a server ignore Range).
//   in:  x0 = value, x1 = len, x2 = size, x3 = first, x4 = count
//   out: w0 = RANGE_OK (*first, *count set), RANGE_UNSATISFIABLE or
//        RANGE_IGNORE
//   registers: x19 = the current element's start, x20 = the value's end,
//              x21 = size, x22 = first, x23 = count, x24 = the range-spec
//              found, x25 = its length (0: none yet)
//   stack: 80 bytes (fp, lr, x19..x25, padding) + 16: the element
//          next_list_element finds (PR_ELEMENT, PR_ELEMENT_LEN at sp)
//   syscalls: none
// ---------------------------------------------------------------------------
        .equ PR_ELEMENT, 0                // sp + 0: the element's start
        .equ PR_ELEMENT_LEN, 8            // sp + 8: its length
FUNC parse_range
        stp     x29, x30, [sp, #-80]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        stp     x23, x24, [sp, #48]       // callee-saved: x23, x24
        str     x25, [sp, #64]            // callee-saved: x25 (sp+72: padding)
        sub     sp, sp, #16               // the element: start, length
        mov     x19, x0                   // x19 = value (for now)
        add     x20, x0, x1               // x20 = one past its last byte
        mov     x21, x2                   // x21 = size
        mov     x22, x3                   // x22 = first
        mov     x23, x4                   // x23 = count
        mov     x25, #0                   // no range-spec found yet

// excerpt: parse-range-unit
// -- parse_range_unit: range-unit "=": the unit is everything before the
// first '='
        mov     w2, #'='                  // find_byte(value, len, '='):
        CALL    find_byte                 // x0 = the '=''s index (len: none)
        add     x9, x19, x0               // x9 = where the '=' is
        cmp     x9, x20                   // none?
        b.hs    parse_range_ignore        // no ranges-specifier at all
        mov     x1, x0                    // equal_ignoring_case(value, that length,
        mov     x0, x19                   //     (the unit as sent)
        add     x19, x9, #1               // (x19 = the range-set: after the '=')
        LOAD_ADDR x2, unit_bytes          //     "bytes",
        mov     x3, #UNIT_BYTES_LEN       //     5)
        CALL    equal_ignoring_case       // w0 = 1 if the unit is bytes, any case
        cbz     w0, parse_range_ignore    // another unit (§14.2: MUST ignore), or "bytes "
// excerpt end

// excerpt: parse-range-elements
// each element of the list (lesson 03's list walker drops its OWS)
parse_range_element:
        cmp     x19, x20                  // anything left of the list?
        b.hs    parse_range_spec_found    // no: the list is done
        mov     x0, x19                   // next_list_element(the rest,
        sub     x1, x20, x19              //     its length,
        add     x2, sp, #PR_ELEMENT       //     &element,
        add     x3, sp, #PR_ELEMENT_LEN   //     &element_len)
        CALL    next_list_element         // x0 = the bytes it used
        add     x19, x19, x0              // the rest: after the element and its comma
        ldp     x9, x10, [sp, #PR_ELEMENT] // x9 = the element, x10 = its length
        cbz     x10, parse_range_element  // empty: does not count (§5.6.1.2)
        cbnz    x25, parse_range_ignore   // a second range-spec: not for this course
        mov     x24, x9                   // x24 = the range-spec
        mov     x25, x10                  // x25 = its length (> 0)
        b       parse_range_element       // and the next element
// excerpt end

// exactly one range-spec: what it means for this file
parse_range_spec_found:
        cbz     x25, parse_range_ignore   // none: "bytes=", "bytes=,"
        mov     x0, x24                   // parse_range_spec(spec,
        mov     x1, x25                   //     its length,
        mov     x2, x21                   //     size,
        mov     x3, x22                   //     first,
        mov     x4, x23                   //     count)
        CALL    parse_range_spec          // w0 = RANGE_*: ours too
        b       parse_range_return        // w0 = its answer
parse_range_ignore:
        mov     w0, #RANGE_IGNORE         // no usable range: the whole file
parse_range_return:
        add     sp, sp, #16               // drop the element
        ldr     x25, [sp, #64]            // restore and return
        ldp     x23, x24, [sp, #48]       // ... x23, x24 ...
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #80       // ... fp, lr, and drop the frame
        ret                               // w0 = RANGE_*
ENDFUNC parse_range

// ---------------------------------------------------------------------------
// size_t format_content_range(char *out, uint64_t first, uint64_t count,
//                             uint64_t size)
//   The Content-Range value (RFC 9110 §14.4) as a C string in out
//   (CONTENT_RANGE_MAX bytes): "bytes first-last/size" for the count
//   bytes from first, or "bytes */size" when count is 0 (a 416's
//   unsatisfied-range: a range of no bytes is never sent).
//   in:  x0 = out, x1 = first, x2 = count, x3 = size
//   out: x0 = its length without the NUL
//   registers: x19 = out, x20 = first, x21 = count, x22 = size,
//              x23 = the write cursor
//   stack: 64 bytes (fp, lr, x19..x23, padding)
//   syscalls: none
// ---------------------------------------------------------------------------
FUNC format_content_range
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        str     x23, [sp, #48]            // callee-saved: x23 (sp+56: padding)
        mov     x19, x0                   // x19 = out
        mov     x20, x1                   // x20 = first
        mov     x21, x2                   // x21 = count
        mov     x22, x3                   // x22 = size
        // x0 is still out: copy_bytes(out, "bytes ", 6)
        LOAD_ADDR x1, content_range_start // "bytes "
        mov     x2, #CONTENT_RANGE_START_LEN // 6
        CALL    copy_bytes                // x0 = just past it
        mov     x23, x0                   // x23 = the cursor
        cbnz    x21, format_content_range_incl // some bytes: first-last
        mov     w9, #'*'                  // unsatisfied-range: "*/" complete-length
        strb    w9, [x23], #1             // '*'
        b       format_content_range_length // then "/size"
// incl-range = first-pos "-" last-pos
format_content_range_incl:
        mov     x0, x20                   // format_u64(first,
        mov     x1, x23                   //            cursor)
        CALL    format_u64                // x0 = the digits written
        add     x23, x23, x0              // past them
        mov     w9, #'-'                  // between first and last
        strb    w9, [x23], #1             // '-'
        add     x0, x20, x21              // format_u64(first + count - 1,
        sub     x0, x0, #1                //     the last byte,
        mov     x1, x23                   //     cursor)
        CALL    format_u64                // x0 = the digits written
        add     x23, x23, x0              // past them
// "/" complete-length, and the NUL
format_content_range_length:
        mov     w9, #'/'                  // before the length
        strb    w9, [x23], #1             // '/'
        mov     x0, x22                   // format_u64(size,
        mov     x1, x23                   //            cursor)
        CALL    format_u64                // x0 = the digits written
        add     x23, x23, x0              // past them
        strb    wzr, [x23]                // add_extra wants a C string
        sub     x0, x23, x19              // the length without the NUL
        ldr     x23, [sp, #48]            // restore and return
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #64       // ... fp, lr, and drop the frame
        ret                               // x0 = the length
ENDFUNC format_content_range

// ---------------------------------------------------------------------------
// const struct header_field *single_header(const struct request *req,
//                                          const char *name, size_t name_len)
//   The one field named name (compared without regard to case), or NULL
//   when there is none or more than one -- lesson 03's count_header says
//   how many, its find_header which.
//   in:  x0 = req, x1 = name, x2 = name_len
//   out: x0 = the field, or 0
//   registers: x19 = req, x20 = name, x21 = name_len
//   stack: 48 bytes (fp, lr, x19..x21, padding)
//   syscalls: none
// ---------------------------------------------------------------------------
FUNC single_header
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // callee-saved: x21 (sp+40: padding)
        mov     x19, x0                   // x19 = req
        mov     x20, x1                   // x20 = name
        mov     x21, x2                   // x21 = name_len
        CALL    count_header              // (x0..x2 are set) w0 = 0, 1 or 2
        cmp     w0, #1                    // exactly one?
        b.ne    single_header_none        // none, or two: none is "the" one
        mov     x0, x19                   // find_header(req,
        mov     x1, x20                   //     name,
        mov     x2, x21                   //     name_len)
        CALL    find_header               // x0 = the one field
        b       single_header_return      // x0 = the field
single_header_none:
        mov     x0, #0                    // NULL
single_header_return:
        ldr     x21, [sp, #32]            // restore and return
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // x0 = the field or 0
ENDFUNC single_header

// ---------------------------------------------------------------------------
// int step_parse_range(struct exchange *x)
//   "Accept-Ranges: bytes" into x->extra, always (RFC 9110 §14.3).  Then
//   the Range field is used only when the method is GET (§14.2: MUST
//   ignore it otherwise -- HEAD gets the 200 head), there is exactly one
//   Range field line (two would combine into one list, §5.3, which is no
//   ranges-specifier: ignored), and there is no If-Range (§13.1.5: this
//   server has no validators yet, so the condition is false and Range
//   MUST be ignored).  answer_range does the rest.
//   in:  x0 = x
//   out: w0 = STEP_NEXT, or 416 (answer_error sends it with x->extra)
//   registers: x19 = x, x20 = the Range field
//   stack: 32 bytes (fp, lr, x19, x20)
//   syscalls: none
// ---------------------------------------------------------------------------
FUNC step_parse_range
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = x

// every file response says ranges are welcome (§14.3), HEAD's too
        mov     x0, x19                   // add_extra(x,
        LOAD_ADDR x1, field_accept_ranges //     "Accept-Ranges",
        LOAD_ADDR x2, unit_bytes          //     "bytes")
        CALL    add_extra                 // (x->extra is empty here: it fits)

// the Range field counts only for GET, alone, without If-Range
        ldr     x9, [x19, #(X_REQ + REQ_METHOD_ID)] // x->req.method_id
        cmp     x9, #METHOD_GET           // GET?
        b.ne    step_parse_range_next     // HEAD: Range MUST be ignored (§14.2)
        mov     x9, #X_REQ                // single_header(&x->req (past add's
        add     x0, x19, x9               //     12-bit immediate: via x9),
        LOAD_ADDR x1, name_range          //     "Range",
        mov     x2, #NAME_RANGE_LEN       //     5)
        CALL    single_header             // x0 = the field, or 0
        cbz     x0, step_parse_range_next // none, or two: the whole file
        mov     x20, x0                   // x20 = the Range field
        mov     x9, #X_REQ                // find_header(&x->req,
        add     x0, x19, x9               //     (again via x9)
        LOAD_ADDR x1, name_if_range       //     "If-Range",
        mov     x2, #NAME_IF_RANGE_LEN    //     8)
        CALL    find_header               // x0 = the field, or 0
        cbnz    x0, step_parse_range_next // no validator can match (§13.1.5)
        mov     x0, x19                   // answer_range(x,
        ldp     x1, x2, [x20, #HDR_VALUE_PTR] //     the field's value, its length)
        CALL    answer_range              // w0 = STEP_NEXT or 416
        b       step_parse_range_return   // its answer is ours
step_parse_range_next:
        mov     w0, #STEP_NEXT            // go on: the whole file, 200
step_parse_range_return:
        ldp     x19, x20, [sp, #16]       // restore x19, x20 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or 416
ENDFUNC step_parse_range

// ---------------------------------------------------------------------------
// int answer_range(struct exchange *x, const char *value, size_t len)
//   The part of step_parse_range after its tests: the Range field's value
//   (a GET's one Range field, no If-Range in the way) against the file.
//   Lesson 11's step_parse_range_11 calls it too, when its If-Range
//   holds.  parse_range on the value and x->file_size:
//     RANGE_OK             x->status = 206, x->body_first, x->body_len;
//                          "Content-Range: bytes first-last/size"
//     RANGE_UNSATISFIABLE  "Content-Range: bytes */size"; 416
//     RANGE_IGNORE         nothing more: the whole file, 200
//   in:  x0 = x, x1 = value, x2 = len
//   out: w0 = STEP_NEXT, or 416 (answer_error sends it with x->extra)
//   registers: x19 = x, x20 = parse_range's answer
//   stack: 32 bytes (fp, lr, x19, x20) + RANGE_AREA: first at sp+0,
//          count at sp+8, the Content-Range value at sp+16
//          (CONTENT_RANGE_MAX bytes)
//   syscalls: none
// ---------------------------------------------------------------------------
        .equ    RANGE_FIRST, 0            // parse_range's *first
        .equ    RANGE_COUNT, 8            // parse_range's *count (0: "bytes */size")
        .equ    RANGE_VALUE, 16           // the Content-Range value
        .equ    RANGE_AREA, (RANGE_VALUE + CONTENT_RANGE_MAX + 15) & ~15 // 96: sp stays 16-aligned
FUNC answer_range
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sub     sp, sp, #RANGE_AREA       // first, count, the value
        mov     x19, x0                   // x19 = x

// what the value asks of this file
        mov     x0, x1                    // parse_range(value,
        mov     x1, x2                    //     len,
        ldr     x2, [x19, #X_FILE_SIZE]   //     x->file_size,
        stp     xzr, xzr, [sp, #RANGE_FIRST] // (first = count = 0: a 416's "*")
        add     x3, sp, #RANGE_FIRST      //     &first,
        add     x4, sp, #RANGE_COUNT      //     &count)
        CALL    parse_range               // w0 = RANGE_*
        cmp     w0, #RANGE_IGNORE         // no usable range?
        b.eq    answer_range_next         // the whole file, 200
        mov     w20, w0                   // x20 = the answer
        cmp     w20, #RANGE_OK            // a satisfiable range?
        b.ne    answer_range_header       // no: only the Content-Range of a 416
        mov     x9, #206                  // Partial Content
        str     x9, [x19, #X_STATUS]      // x->status = 206
        ldp     x9, x10, [sp, #RANGE_FIRST] // the range:
        stp     x9, x10, [x19, #X_BODY_FIRST] // x->body_first = first, x->body_len = count

// Content-Range: "bytes first-last/size", or "bytes */size" (count 0)
answer_range_header:
        add     x0, sp, #RANGE_VALUE      // format_content_range(value,
        ldp     x1, x2, [sp, #RANGE_FIRST] //     first, count,
        ldr     x3, [x19, #X_FILE_SIZE]   //     x->file_size)
        CALL    format_content_range      // a C string at sp + RANGE_VALUE
        mov     x0, x19                   // add_extra(x,
        LOAD_ADDR x1, field_content_range //     "Content-Range",
        add     x2, sp, #RANGE_VALUE      //     value)
        CALL    add_extra                 // (two short lines: they fit)
        cmp     w20, #RANGE_OK            // 206 goes on to the head;
        mov     w9, #416                  // anything else is Range Not Satisfiable
        csel    w0, wzr, w9, eq           // RANGE_OK: STEP_NEXT (0), else 416
        b       answer_range_return       // w0 = STEP_NEXT or 416
answer_range_next:
        mov     w0, #STEP_NEXT            // go on: 200
answer_range_return:
        add     sp, sp, #RANGE_AREA       // drop first, count, the value
        ldp     x19, x20, [sp, #16]       // restore x19, x20 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or 416
ENDFUNC answer_range
