// asm/00-syscalls.s -- lesson 00: the first helpers that talk to the kernel.
//
// C++ twin: cpp/00-syscalls.cpp (same function names, same behaviour).
//
// Convention for the functions WE write (all lessons): they follow the C
// calling convention so C++ tests can call them -- arguments in x0..x7,
// result in x0, x19..x28 preserved -- and they report failure the C way,
// as a negative number (-errno), because C cannot see the carry flag.
// Raw system calls (the SYSCALL macro) keep the kernel's convention:
// carry set = failure, x0 = positive errno.

        .include "os.inc"

// ---------------------------------------------------------------------------
// size_t str_len(const char *s)
//   Count the bytes before the terminating NUL.
//   in:  x0 = s
//   out: x0 = length
//   registers: x1 = cursor, w2 = current byte.  No stack, no calls.
// ---------------------------------------------------------------------------
FUNC str_len
        mov     x1, x0                    // x1 walks the string, x0 keeps the start
str_len_loop:
        ldrb    w2, [x1], #1              // w2 = *cursor++
        cbnz    w2, str_len_loop          // until the NUL
        sub     x0, x1, x0                // (one past the NUL) - start ...
        sub     x0, x0, #1                // ... minus the NUL itself
        ret
ENDFUNC str_len

// ---------------------------------------------------------------------------
// int64_t write_all(int fd, const void *buf, size_t len)
//   write(2) may write fewer bytes than asked (a "short write", common on
//   sockets) or be interrupted by a signal (EINTR).  Keep writing until
//   every byte is out.
//   in:  w0 = fd, x1 = buf, x2 = len
//   out: x0 = 0 when all bytes were written, -errno on failure
//   registers: x19 = fd, x20 = next byte to write, x21 = bytes left
//   stack: 48 bytes (fp, lr, x19, x20, x21 and 8 bytes to keep sp 16-aligned)
//   syscalls: write
// ---------------------------------------------------------------------------
FUNC write_all
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // save the callee-saved registers we use
        str     x21, [sp, #32]
        sxtw    x19, w0                   // x19 = fd (an int: only w0 is ours, sign-extend it)
        mov     x20, x1                   // x20 = cursor
        mov     x21, x2                   // x21 = bytes left
write_all_loop:
        cbz     x21, write_all_done       // nothing left: success
        mov     x0, x19                   // write(fd,
        mov     x1, x20                   //       cursor,
        mov     x2, x21                   //       left)
        SYSCALL write
        b.cs    write_all_error           // carry set: x0 = errno
        add     x20, x20, x0              // advance past what was written
        sub     x21, x21, x0              // and count it off
        b       write_all_loop
write_all_error:
        cmp     x0, #EINTR                // interrupted by a signal?
        b.eq    write_all_loop            // then simply try again
        neg     x0, x0                    // our convention: -errno
        b       write_all_return
write_all_done:
        mov     x0, #0                    // 0 = everything written
write_all_return:
        ldr     x21, [sp, #32]            // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret
ENDFUNC write_all

// ---------------------------------------------------------------------------
// size_t format_u64(uint64_t value, char *out)
//   Write `value` in decimal into out (no NUL) and return how many digits.
//   out needs room for 20 bytes (2^64-1 has 20 digits).
//   Digits come out lowest first, so we build them backwards in a
//   scratch area on the stack and then copy them forwards.
//   in:  x0 = value, x1 = out
//   out: x0 = number of digits (1..20)
//   registers: x2 = scratch cursor (moves down), x3 = ten, x4 = quotient,
//              x5 = digit, x6 = copy counter, x7 = end of scratch
//   stack: 32 bytes of scratch (20 needed, rounded to keep sp aligned)
// ---------------------------------------------------------------------------
FUNC format_u64
        sub     sp, sp, #32               // scratch for up to 20 digits
        add     x7, sp, #32               // x7 = one past the scratch end
        mov     x2, x7                    // x2 = where the next digit goes (moving down)
        mov     x3, #10                   // divisor
format_u64_digit:
        udiv    x4, x0, x3                // x4 = value / 10
        msub    x5, x4, x3, x0            // x5 = value - x4*10 = value % 10
        add     x5, x5, #'0'              // digit -> ASCII
        strb    w5, [x2, #-1]!            // store it, moving left
        mov     x0, x4                    // value /= 10
        cbnz    x0, format_u64_digit      // "do ... while (value)": 0 still prints "0"
        sub     x0, x7, x2                // x0 = number of digits (the result)
        mov     x6, #0                    // copy index
format_u64_copy:
        ldrb    w5, [x2, x6]              // digit i, most significant first
        strb    w5, [x1, x6]              // to out[i]
        add     x6, x6, #1
        cmp     x6, x0
        b.lo    format_u64_copy           // for i < count
        add     sp, sp, #32               // drop the scratch
        ret
ENDFUNC format_u64
