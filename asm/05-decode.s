// asm/05-decode.s -- lesson 05: percent-decoding the path (RFC 3986
// §2.1, §2.4; RFC 9112 §3.2).
//
// C++ twin: cpp/05-decode.cpp (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/05-decode/README.md.
//
// The stage's one step takes the place of lesson 04's step_copy_path in
// the spine's list (asm/httpd.s); it works on the connection's struct
// exchange (asm/records.inc, EXCHANGE):
//     step_decode_path  x->path = x->req.path, percent-decoded exactly once
//
// The rules: only the path is decoded (the parser has cut the query off);
// "%" HEXDIG HEXDIG (either case) is the byte it spells, a '%' without
// two hex digits is 400; no control byte (0x00-0x1F, 0x7F) may come out
// (400: "%00" would cut the C string openat reads); '+' stays '+', bytes
// >= 0x80 pass (UTF-8 names), a decoded "%2F" is a '/' like any other;
// once: "%252e" becomes "%2e", never '.'.
//
// Error convention of this lesson: hex_value returns 0..15 or -1;
// percent_decode a length or -400 / -414; the step STEP_NEXT or a status.
// No system calls.
//
// Not yet: `..` (lesson 06).  This lesson's server serves `/%2e%2e/...`
// as it serves `/../...`, outside the docroot: never expose it to a
// network.

        .include "os.inc"
        .include "records.inc"

// ---------------------------------------------------------------------------
// int hex_value(int c)
//   The value of one hex digit: '0'..'9' -> 0..9, 'a'..'f' and 'A'..'F'
//   -> 10..15; any other int (every value outside 0..255 too) -> -1.
//   c is a whole int: only w0 is read, and every compare is 32-bit.
//   in:  w0 = c
//   out: w0 = 0..15, or -1
//   registers: w1 = scratch.  Leaf: no stack, no calls, no syscalls.
// ---------------------------------------------------------------------------
FUNC hex_value
        // if ('0' <= c && c <= '9') return c - '0'  -- one unsigned compare does both
        sub     w1, w0, #'0'              // w1 = c - '0' (wraps to huge if c < '0')
        cmp     w1, #9                    // 0..9 only for '0'..'9'
        b.ls    hex_value_digit           // a decimal digit: w1 is its value
        // if ('a' <= (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10
        // 'A'..'F' and 'a'..'f' differ in bit 5 (0x20) only
        orr     w1, w0, #0x20             // fold upper case into lower case
        sub     w1, w1, #'a'              // 0..5 only for a..f (a negative c stays huge)
        cmp     w1, #5                    // the same one-compare range check
        b.ls    hex_value_letter          // a hex letter: w1 = its value - 10
        mov     w0, #-1                   // anything else: not a hex digit
        ret                               // w0 = -1
hex_value_digit:
        mov     w0, w1                    // '0'..'9' -> 0..9
        ret                               // w0 = 0..9
hex_value_letter:
        add     w0, w1, #10               // 'a'..'f' -> 10..15
        ret                               // w0 = 10..15
ENDFUNC hex_value

// ---------------------------------------------------------------------------
// int64_t percent_decode(const char *in, size_t len, char *out, size_t cap)
//   Decode in[0..len) into out[0..cap): each "%XX" becomes the byte XX,
//   every other byte is copied.  Left to right, the first problem wins;
//   the bytes before it are written.  The loop's four states: a plain
//   byte (percent_decode_next), a '%' (-- percent_decode_escape), the
//   first hex digit (-- percent_decode_first_hex), the second
//   (-- percent_decode_second_hex); every byte, decoded or not, then goes
//   through percent_decode_put.  The escape's three are comment headers,
//   not labels: nothing branches to them, the code falls into them.
//   in:  x0 = in, x1 = len, x2 = out, x3 = cap
//   out: x0 = the decoded length; -400 for a '%' without two hex digits
//        after it or a control byte in the output; -414 if the output
//        would pass cap
//   registers: x19 = read cursor (the next input byte), x20 = one past
//              the input's last byte, x21 = out, x22 = cap, x23 = bytes
//              written, w24 = the byte to write (in an escape: first the
//              high digit's value)
//   stack: 64 bytes (fp, lr, x19..x24)
//   syscalls: none
// ---------------------------------------------------------------------------
FUNC percent_decode
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        stp     x23, x24, [sp, #48]       // callee-saved: x23, x24
        mov     x19, x0                   // x19 = the next byte to read
        add     x20, x0, x1               // x20 = one past the last
        mov     x21, x2                   // x21 = out
        mov     x22, x3                   // x22 = cap
        mov     x23, #0                   // x23 = nothing written yet

// a plain byte: copied as it is -- unless it is '%'
percent_decode_next:
        cmp     x19, x20                  // every byte read?
        b.hs    percent_decode_done       // yes: x23 = the length
        ldrb    w24, [x19], #1            // w24 = the byte; the cursor moves past it
        cmp     w24, #'%'                 // the start of an escape?
        b.ne    percent_decode_put        // no: write it as it is

// -- percent_decode_escape: '%': exactly two hex digits must follow
        sub     x9, x20, x19              // bytes left after the '%'
        cmp     x9, #2                    // fewer than two?
        b.lo    percent_decode_bad        // "%" or "%4" at the end: 400
// -- percent_decode_first_hex: the high half of the byte
        ldrb    w0, [x19]                 // hex_value(the first digit)
        CALL    hex_value                 // w0 = 0..15, or -1
        tbnz    w0, #31, percent_decode_bad // -1: "%G1" is not an escape
        mov     w24, w0                   // w24 = the high half of the byte
// -- percent_decode_second_hex: the low half
        ldrb    w0, [x19, #1]             // hex_value(the second digit)
        CALL    hex_value                 // w0 = 0..15, or -1
        tbnz    w0, #31, percent_decode_bad // -1: "%4g" is not an escape
        orr     w24, w0, w24, lsl #4      // w24 = high * 16 + low: the byte
        add     x19, x19, #2              // past both digits: decoded once, never again

// the byte in w24 goes out: never a control byte, never past cap
percent_decode_put:
        cmp     w24, #CHAR_SP             // below SP: a C0 control ("%00", "%0a")
        b.lo    percent_decode_bad        // -> 400
        cmp     w24, #CHAR_DEL            // DEL ("%7f")
        b.eq    percent_decode_bad        // -> 400
        cmp     x23, x22                  // out full?
        b.hs    percent_decode_too_long   // no room for this byte: -414
        strb    w24, [x21, x23]           // out[written] = the byte
        add     x23, x23, #1              // one more written
        b       percent_decode_next       // and the next input byte

// the exits: x0 = the result
percent_decode_done:
        mov     x0, x23                   // the decoded length
        b       percent_decode_return     // x0 = the length
percent_decode_bad:
        mov     x0, #-400                 // RFC 3986 §2.1: not "%" HEXDIG HEXDIG -- Bad Request
        b       percent_decode_return     // x0 = -400
percent_decode_too_long:
        mov     x0, #-414                 // URI Too Long
percent_decode_return:
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #64       // ... fp, lr, and drop the frame
        ret                               // x0 = length, -400 or -414
ENDFUNC percent_decode

// ---------------------------------------------------------------------------
// int step_decode_path(struct exchange *x)
//   x->path = percent_decode(x->req.path), x->path_len = its length.
//   Lesson 05's successor of step_copy_path: the request stays as it
//   was sent, the file steps read the decoded copy.
//   in:  x0 = x
//   out: w0 = STEP_NEXT, or 400 (a bad escape, a control byte), or 414
//        if it did not fit PATH_BUF_MAX (cannot happen: decoding only
//        shrinks, and the parser allows REQ_TARGET_MAX bytes)
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding)
//   syscalls: none
// ---------------------------------------------------------------------------
FUNC step_decode_path
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        mov     x19, x0                   // x19 = x
        ldr     x0, [x19, #(X_REQ + REQ_PATH_PTR)] // percent_decode(x->req.path,
        ldr     x1, [x19, #(X_REQ + REQ_PATH_LEN)] //     its length (ldp cannot reach that far),
        add     x2, x19, #X_PATH          //     x->path,
        mov     x3, #PATH_BUF_MAX         //     the room in x->path)
        CALL    percent_decode            // x0 = the decoded length, -400 or -414
        tbnz    x0, #63, step_decode_path_refused // negative: a status
        str     x0, [x19, #X_PATH_LEN]    // x->path_len = the decoded length
        mov     w0, #STEP_NEXT            // go on
        b       step_decode_path_return   // w0 = STEP_NEXT
step_decode_path_refused:
        neg     w0, w0                    // -400 -> 400, -414 -> 414
step_decode_path_return:
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or a status
ENDFUNC step_decode_path
