// asm/00-syscalls-main.s -- lesson 00's program: talk to the kernel with
// nothing in between.
//
//   syscalls-asm [PATH]
//
// 1. write a greeting to stdout            (write, succeeds)
// 2. openat(PATH) -- by default a path that does not exist -- and report
//    what the kernel said: the fd on success, or the errno on failure
// 3. exit with status 0 on success, or with the errno on failure
//
// C++ twin: cpp/00-syscalls-main.cpp.  Both must print the same bytes.

        .include "os.inc"

        PROGRAM_ENTRY syscalls_main       // _start / _main -> syscalls_main(argc, argv)

        RODATA                            // constant data: the strings below
greeting:
        .ascii  "hello from metal-httpd: this line went through write(2)\n"
        .equ    GREETING_LEN, . - greeting
default_path:
        .asciz  "/nonexistent/metal-httpd"
msg_open:
        .ascii  "openat(\""              // openat("PATH") ...
        .equ    MSG_OPEN_LEN, . - msg_open
msg_failed:
        .ascii  "\") failed: errno "
        .equ    MSG_FAILED_LEN, . - msg_failed
msg_ok:
        .ascii  "\") succeeded: fd "
        .equ    MSG_OK_LEN, . - msg_ok
newline:
        .ascii  "\n"

// ---------------------------------------------------------------------------
// int syscalls_main(int argc, char **argv)
//   in:  w0 = argc, x1 = argv
//   out: x0 = exit status (0, or the errno openat reported)
//   registers: x19 = path, x20 = openat's result (fd or errno),
//              x21 = 1 if openat failed (we copy the carry flag here,
//              because every later instruction may change the flags)
//   stack: 80 bytes: fp, lr, x19..x21 (sp+0..39), a 32-byte buffer for
//          format_u64 at sp+48
//   syscalls: write (via write_all), openat, close
// ---------------------------------------------------------------------------
FUNC syscalls_main
        stp     x29, x30, [sp, #-80]!     // frame: fp, lr + room below
        mov     x29, sp                   // fp = this frame (debuggers follow it)
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // callee-saved: x21
                                          // sp+48..sp+79: buffer for a number

// -- choose_path: argv[1] if given, else the path that does not exist
        LOAD_ADDR x19, default_path       // x19 = default path
        cmp     w0, #2                    // argc >= 2 ? (an int: the upper half of x0 is not ours)
        b.lt    say_hello                 // no argument: keep the default
        ldr     x19, [x1, #8]             // x19 = argv[1]

// say_hello: write(1, greeting, len)
say_hello:
        mov     x0, #1                    // fd 1 = stdout
        LOAD_ADDR x1, greeting            // buf = the greeting
        mov     x2, #GREETING_LEN         // len = its bytes (no NUL is written)
        CALL    write_all                 // (a failure here has no one to tell)

// excerpt: open-path
// -- open_path: openat(AT_FDCWD, path, O_RDONLY) -- the call that may fail
        mov     x0, #AT_FDCWD             // relative paths start at the cwd
        mov     x1, x19                   // the path
        mov     x2, #O_RDONLY             // just looking
        mov     x3, #0                    // mode (unused without O_CREAT)
        SYSCALL openat                    // carry set = failed, x0 = errno
        cset    x21, cs                   // x21 = carry: 1 = failed, 0 = ok
        mov     x20, x0                   // x20 = fd, or errno if it failed
// excerpt end

// -- report: openat("PATH") failed: errno N   |   succeeded: fd N
        mov     x0, #1                    // fd 1 = stdout
        LOAD_ADDR x1, msg_open            // buf = `openat("`
        mov     x2, #MSG_OPEN_LEN         // len: fixed at assembly time
        CALL    write_all                 // openat("
        mov     x0, x19                   // s = the path: how long is it?
        CALL    str_len                   // length of the path
        mov     x2, x0                    // len = that length
        mov     x0, #1                    // fd = stdout
        mov     x1, x19                   // buf = the path itself
        CALL    write_all                 // PATH
        mov     x0, #1                    // fd = stdout for the next write
        LOAD_ADDR x1, msg_ok              // assume success ...
        mov     x2, #MSG_OK_LEN           // len of the success message
        cbz     x21, report_number        // ... and print that unless it failed
        LOAD_ADDR x1, msg_failed          // failed: swap in the other message
        mov     x2, #MSG_FAILED_LEN       // and its length
report_number:
        CALL    write_all                 // ") succeeded: fd  /  ") failed: errno
        mov     x0, x20                   // the fd or the errno
        add     x1, sp, #48               // into the number buffer
        CALL    format_u64                // decimal digits, no NUL
        mov     x2, x0                    // digits written
        mov     x0, #1                    // fd = stdout
        add     x1, sp, #48               // buf = the digits
        CALL    write_all                 // N
        mov     x0, #1                    // fd = stdout
        LOAD_ADDR x1, newline             // buf = "\n"
        mov     x2, #1                    // one byte
        CALL    write_all                 // \n

// -- finish: close the fd if we got one; exit status 0 or the errno
        cbnz    x21, finish_failed        // no fd to close after a failure
        mov     x0, x20                   // close(fd)
        SYSCALL close                     // be tidy: give the fd back
        mov     x0, #0                    // status 0: it worked
        b       finish_return             // skip the failure status
finish_failed:
        mov     x0, x20                   // status = errno (echo $? shows it)
finish_return:
        ldr     x21, [sp, #32]            // restore callee-saved x21 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #80       // ... fp, lr, and drop the frame
        ret                               // x0 = the exit status
ENDFUNC syscalls_main
