// asm/09-methods.s -- lesson 09: the command line's flags, OPTIONS, PUT
// and DELETE (opt-in with -w), atomic uploads, and HTML error pages
// (RFC 9110 §9.3.4-9.3.7, §10.1.1, §10.2.1, §15).
//
// C++ twin: cpp/09-methods.cpp (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/09-methods/README.md.
//
// What the spine (asm/httpd.s) takes from this stage:
//   at start-up   parse_command_line (lesson 01's parse_args swapped for
//                 a parser of `httpd [-w] [-e DIR] [PORT [DOCROOT]]`,
//                 driven by the table flags_09) and open_error_pages
//   in the list   step_allow_method (lesson 03's step_check_method
//                 swapped for the policy with OPTIONS, PUT and DELETE);
//                 then the spine's step_by_method runs the list of the
//                 method: OPTIONS (step_answer_options), PUT
//                 (step_check_upload, step_open_parent, step_store_upload,
//                 step_answer_upload), DELETE (step_open_parent,
//                 step_delete_file)
//   after a stop  answer_error_page (lesson 03's answer_error swapped for
//                 one that sends an HTML page)
//
// Error convention of this lesson: steps return STEP_NEXT, STEP_DONE or
// a status; the helpers -errno, -status or -EINVAL.

        .include "os.inc"
        .include "records.inc"
        .include "methods.inc"            // METHOD_GET ... (from lessons/03-parse/methods.tsv)

        .equ CHAR_DASH, 45                // '-': a flag starts with it
        .equ CHAR_SLASH, 47               // '/': the path's separator
        // how the temporary file is created: for writing, only if no file
        // has its name (O_EXCL: never someone else's), never through a
        // link (O_NOFOLLOW), not inherited (O_CLOEXEC)
        .equ UPLOAD_FLAGS, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        // how a page of -e DIR is opened: never through a link, never
        // waiting for a FIFO's writer (lesson 04's trap)
        .equ PAGE_FLAGS, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC

        RODATA                            // constant data: tables and strings
// excerpt: flags-09
// struct flag_spec flags_09[]: lesson 09's flags (records.inc METHODS:
// the FLAG macro, and FLAGS_09, the rows lesson 10's table starts with too)
        .globl  flags_09
flags_09:
        FLAGS_09                                           // -w, -e DIR
        FLAG    0, 0, 0, ""                                // the end
// excerpt end

// The built-in pages (build/gen/error-pages.inc, from lessons/09-methods/
// error-page.html, error-sentences.tsv and lessons/01-socket/reasons.tsv):
// a 16-bit status, then the page as a C string, 2-aligned; status 0 ends
// the table.
        .macro ERROR_PAGE code, text
        .p2align 1                        // ldrh wants an even address
        .hword  \code
        .asciz  "\text"
        .endm
error_pages:
        .include "error-pages.inc"        // ERROR_PAGE 400, "<!DOCTYPE html>..." ...
        .p2align 1                        // the end marker is a code too
        .hword  0                         // end of the table

text_html:
        .asciz  "text/html; charset=utf-8" // every error page's type
allow_read:
        .asciz  "GET, HEAD, OPTIONS"      // Allow without -w
allow_write:
        .asciz  "GET, HEAD, OPTIONS, PUT, DELETE" // Allow with -w
field_allow:
        .asciz  "Allow"                   // RFC 9110 §10.2.1
field_location:
        .asciz  "Location"                // RFC 9110 §10.2.2
field_content_length:
        .asciz  "Content-Length"          // a 201's empty body
name_content_range:
        .ascii  "Content-Range"           // not allowed in a PUT (§14.5); any case
        .equ    NAME_CONTENT_RANGE_LEN, . - name_content_range
name_expect:
        .ascii  "Expect"                  // RFC 9110 §10.1.1; any case
        .equ    NAME_EXPECT_LEN, . - name_expect
value_continue:
        .ascii  "100-continue"            // the one expectation (any case)
        .equ    VALUE_CONTINUE_LEN, . - value_continue
msg_continue:
        .ascii  "HTTP/1.1 100 Continue\r\n\r\n" // an interim response: a head of its own (§15.2.1)
        .equ    MSG_CONTINUE_LEN, . - msg_continue
upload_prefix:
        .ascii  "upload-"                 // after the 0x01 of a temporary name
        .equ    UPLOAD_PREFIX_LEN, . - upload_prefix
html_suffix:
        .ascii  ".html"                   // a page of -e DIR: NNN.html
        .equ    HTML_SUFFIX_LEN, . - html_suffix
msg_usage:
        .asciz  "usage: httpd"            // then each flag's usage
msg_space:
        .asciz  " "
msg_usage_end:
        .asciz  " [PORT [DOCROOT]]\n"     // lesson 01's two arguments
msg_cannot_open_pages:
        .asciz  "httpd: cannot open the error pages \""
msg_quote:
        .asciz  "\""

        .text

// ---------------------------------------------------------------------------
// const struct flag_spec *find_flag(const struct flag_spec *flags,
//                                   const char *arg)
//   The entry for arg ("-w"): exactly '-', a letter of the table, and
//   nothing more.  0 if none.
//   in:  x0 = flags, x1 = arg
//   out: x0 = the entry, or 0
//   registers: w2 = a byte of arg, w3 = the letter, x4 = an entry's
//              letter.  Leaf.
// ---------------------------------------------------------------------------
FUNC find_flag
        ldrb    w2, [x1]                  // arg[0]
        cmp     w2, #CHAR_DASH            // a flag starts with '-'
        b.ne    find_flag_none            // anything else: not a flag
        ldrb    w3, [x1, #1]              // w3 = the letter
        cbz     w3, find_flag_none        // "-" alone: no letter
        ldrb    w2, [x1, #2]              // one letter only:
        cbnz    w2, find_flag_none        // "-wx" is no flag of ours
find_flag_entry:
        ldr     x4, [x0, #FLAG_LETTER]    // this entry's letter
        cbz     x4, find_flag_none        // 0: the end of the table
        cmp     x4, x3                    // the letter we look for?
        b.eq    find_flag_found           // yes: x0 is the entry
        add     x0, x0, #FLAG_SPEC_SIZE   // the next entry
        b       find_flag_entry
find_flag_none:
        mov     x0, #0                    // no such flag
find_flag_found:
        ret                               // x0 = the entry, or 0
ENDFUNC find_flag

// ---------------------------------------------------------------------------
// int flags_end(const struct flag_spec *flags, int argc, char **argv)
//   Where the flags of argv end: the index of the first argument that does
//   not start with '-' (argc if none), each flag's value skipped.  -1 for
//   an unknown flag, or a value flag with no argument after it.
//   in:  x0 = flags, w1 = argc, x2 = argv
//   out: w0 = the index, or -1
//   registers: x19 = flags, x20 = argc, x21 = argv, x22 = i
//   stack: 48 bytes (fp, lr, x19..x22)
// ---------------------------------------------------------------------------
FUNC flags_end
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        mov     x19, x0                   // x19 = flags
        sxtw    x20, w1                   // x20 = argc (an int: sign-extend)
        mov     x21, x2                   // x21 = argv
        mov     x22, #1                   // i = 1: argv[0] is the program
flags_end_next:
        cmp     x22, x20                  // i < argc?
        b.ge    flags_end_done            // no: every argument was a flag
        ldr     x1, [x21, x22, lsl #3]    // argv[i]
        ldrb    w9, [x1]                  // its first byte
        cmp     w9, #CHAR_DASH            // a flag?
        b.ne    flags_end_done            // no: PORT (or DOCROOT) starts here
        mov     x0, x19                   // find_flag(flags, argv[i])
        CALL    find_flag                 // x0 = the entry, or 0
        cbz     x0, flags_end_bad         // unknown flag
        add     x22, x22, #1              // past the flag
        ldr     x9, [x0, #FLAG_KIND]      // does it take a value?
        cmp     x9, #FLAG_VALUE
        b.ne    flags_end_next            // a switch: on with the next argument
        add     x22, x22, #1              // past its value ...
        cmp     x22, x20                  // ... which must be there
        b.le    flags_end_next            // i <= argc: it was
flags_end_bad:
        mov     w0, #-1                   // the caller says how to call us
        b       flags_end_return
flags_end_done:
        mov     w0, w22                   // the index of PORT (or argc)
flags_end_return:
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret                               // w0 = index or -1
ENDFUNC flags_end

// ---------------------------------------------------------------------------
// int64_t say_usage(const struct flag_spec *flags)
//   On stderr: "usage: httpd", then " " and each entry's usage, then
//   " [PORT [DOCROOT]]\n".  The table writes the line, so a lesson that
//   adds a flag never edits this text.
//   in:  x0 = flags
//   out: x0 = what the last write returned: 0 or -errno
//   registers: x19 = the entry
//   stack: 32 bytes (fp, lr, x19, padding)
//   syscalls: write
// ---------------------------------------------------------------------------
FUNC say_usage
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19
        mov     x19, x0                   // x19 = the first entry
        mov     w0, #STDERR_FILENO        // stderr
        LOAD_ADDR x1, msg_usage           // "usage: httpd"
        CALL    write_str                 // (errors on stderr are ignored)
say_usage_entry:
        ldr     x9, [x19, #FLAG_LETTER]   // the end of the table?
        cbz     x9, say_usage_end         // yes: the two arguments
        mov     w0, #STDERR_FILENO        // stderr
        LOAD_ADDR x1, msg_space           // " "
        CALL    write_str
        mov     w0, #STDERR_FILENO        // stderr
        add     x1, x19, #FLAG_USAGE      // "[-w]" ...
        CALL    write_str
        add     x19, x19, #FLAG_SPEC_SIZE // the next entry
        b       say_usage_entry
say_usage_end:
        mov     w0, #STDERR_FILENO        // stderr
        LOAD_ADDR x1, msg_usage_end       // " [PORT [DOCROOT]]\n"
        CALL    write_str                 // x0 = its answer
        ldr     x19, [sp, #16]            // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // x0 = 0 or -errno
ENDFUNC say_usage

// ---------------------------------------------------------------------------
// int parse_command_line(int argc, char **argv, struct config *cfg,
//                        const struct flag_spec *flags)
//   httpd [flags] [PORT [DOCROOT]]: the flags first; then at most two
//   arguments, neither starting with '-' (a flag after PORT is an error,
//   not a docroot).  Anything else: say_usage and -EINVAL.  The two
//   arguments go through lesson 01's parse_args (its message for a bad
//   port); then the options get their defaults and each flag is stored: a
//   switch as 1, a value as its argument's pointer, at the entry's offset.
//   in:  w0 = argc, x1 = argv, x2 = cfg, x3 = flags
//   out: w0 = 0 or -EINVAL (main exits with status 2)
//   registers: x19 = argc, x20 = argv, x21 = cfg, x22 = flags, x23 = end
//              of the flags, x24 = i
//   stack: 64 bytes (fp, lr, x19..x24)
//   syscalls: write (messages)
// ---------------------------------------------------------------------------
FUNC parse_command_line
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        sxtw    x19, w0                   // x19 = argc (an int: sign-extend)
        mov     x20, x1                   // x20 = argv
        mov     x21, x2                   // x21 = cfg
        mov     x22, x3                   // x22 = flags
// where the flags end, and what comes after them
        mov     x0, x22                   // flags_end(flags, argc, argv)
        mov     w1, w19
        mov     x2, x20
        CALL    flags_end                 // w0 = index of PORT, or -1
        tbnz    w0, #31, parse_command_line_usage // an unknown flag, a missing value
        sxtw    x23, w0                   // x23 = end of the flags
        sub     x9, x19, x23              // arguments after the flags
        cmp     x9, #2                    // PORT and DOCROOT at most
        b.gt    parse_command_line_usage
        mov     x24, x23                  // none of them may start with '-'
parse_command_line_positional:
        cmp     x24, x19                  // i < argc?
        b.ge    parse_command_line_args   // all checked
        ldr     x9, [x20, x24, lsl #3]    // argv[i]
        ldrb    w9, [x9]                  // its first byte
        cmp     w9, #CHAR_DASH            // a flag after PORT?
        b.eq    parse_command_line_usage  // is an error
        add     x24, x24, #1
        b       parse_command_line_positional
// PORT and DOCROOT: lesson 01's parser sees argv[end - 1] as the program
parse_command_line_args:
        sub     x0, x19, x23              // parse_args(argc - end + 1,
        add     x0, x0, #1
        sub     x9, x23, #1               //     argv + end - 1,
        add     x1, x20, x9, lsl #3
        mov     x2, x21                   //     cfg)
        CALL    parse_args                // w0 = 0 or -EINVAL (its message is out)
        tbnz    w0, #31, parse_command_line_return
// the options part: defaults, then each flag in its slot
        str     xzr, [x21, #CFG_WRITE]    // no -w: read-only
        str     xzr, [x21, #CFG_ERROR_DIR] // no -e: the built-in pages
        mov     x9, #-1                   // nothing opened yet
        str     x9, [x21, #CFG_ERROR_FD]  // (open_error_pages opens DIR)
        mov     x24, #1                   // i = 1
parse_command_line_store:
        cmp     x24, x23                  // i < end of the flags?
        b.ge    parse_command_line_ok     // all stored
        mov     x0, x22                   // find_flag(flags, argv[i]):
        ldr     x1, [x20, x24, lsl #3]    //   never 0, flags_end checked it
        CALL    find_flag                 // x0 = the entry
        add     x24, x24, #1              // past the flag
        ldr     x9, [x0, #FLAG_OFFSET]    // x9 = its slot in cfg
        ldr     x10, [x0, #FLAG_KIND]     // a switch, or a value?
        cmp     x10, #FLAG_SWITCH
        b.ne    parse_command_line_value
        mov     x11, #1                   // a switch: 1
        str     x11, [x21, x9]            // cfg->slot = 1
        b       parse_command_line_store
parse_command_line_value:
        ldr     x11, [x20, x24, lsl #3]   // a value: the next argument
        str     x11, [x21, x9]            // cfg->slot = argv[i]
        add     x24, x24, #1              // past the value
        b       parse_command_line_store
parse_command_line_ok:
        mov     w0, #0                    // cfg is filled in
        b       parse_command_line_return
parse_command_line_usage:
        mov     x0, x22                   // say_usage(flags)
        CALL    say_usage                 // on stderr
        mov     w0, #-EINVAL              // main turns this into status 2
parse_command_line_return:
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret                               // w0 = 0 or -EINVAL
ENDFUNC parse_command_line

// ---------------------------------------------------------------------------
// int64_t open_error_pages(struct config *cfg)
//   With -e DIR: openat(AT_FDCWD, DIR, O_RDONLY | O_DIRECTORY) into
//   cfg->error_fd, once, at start-up (like lesson 06's open_docroot).  If
//   that fails: `httpd: cannot open the error pages "DIR": errno N` on
//   stderr and -errno (main exits with status 1).  Without -e: 0.
//   in:  x0 = cfg
//   out: x0 = 0 or -errno
//   registers: x19 = cfg, x20 = -errno
//   stack: 32 bytes (fp, lr, x19, x20)
//   syscalls: openat; write (the message)
// ---------------------------------------------------------------------------
FUNC open_error_pages
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = cfg
        ldr     x1, [x19, #CFG_ERROR_DIR] // -e DIR given?
        cbz     x1, open_error_pages_none // no: the built-in pages
        mov     x0, #AT_FDCWD             // openat(AT_FDCWD, DIR,
        mov     x2, #(O_RDONLY | O_DIRECTORY) //   a directory, for reading)
        SYSCALL openat                    // x0 = fd, or carry + errno
        b.cs    open_error_pages_failed
        str     x0, [x19, #CFG_ERROR_FD]  // cfg->error_fd: kept for the server's life
open_error_pages_none:
        mov     x0, #0                    // ready
        b       open_error_pages_return
open_error_pages_failed:
        neg     x20, x0                   // x20 = -errno
        mov     w0, #STDERR_FILENO        // httpd: cannot open the error pages "
        LOAD_ADDR x1, msg_cannot_open_pages
        CALL    write_str
        mov     w0, #STDERR_FILENO        // DIR
        ldr     x1, [x19, #CFG_ERROR_DIR]
        CALL    write_str
        mov     w0, #STDERR_FILENO        // "
        LOAD_ADDR x1, msg_quote
        CALL    write_str
        mov     x0, x20                   // say_errno(-errno): ": errno N\n"
        CALL    say_errno
        mov     x0, x20                   // -errno: main exits with status 1
open_error_pages_return:
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // x0 = 0 or -errno
ENDFUNC open_error_pages

// ---------------------------------------------------------------------------
// const char *allow_value(uint64_t write)
//   The Allow field's value: "GET, HEAD, OPTIONS", or with -w
//   "GET, HEAD, OPTIONS, PUT, DELETE".
//   in:  x0 = write.  out: x0 = a C string (read-only).  Leaf.
// ---------------------------------------------------------------------------
FUNC allow_value
        cbnz    x0, allow_value_write     // -w: the two write methods too
        LOAD_ADDR x0, allow_read          // the read methods
        ret
allow_value_write:
        LOAD_ADDR x0, allow_write         // all five
        ret
ENDFUNC allow_value

// ---------------------------------------------------------------------------
// int allowed_method_status(int method_id, uint64_t write)
//   Lesson 09's method policy: 0 for GET, HEAD, OPTIONS, and for PUT and
//   DELETE when write; 405 for another method of methods.tsv; 501 for any
//   other token (RFC 9110 §15.6.2).
//   in:  w0 = method_id, x1 = write.  out: w0 = 0, 405 or 501.  Leaf.
// ---------------------------------------------------------------------------
FUNC allowed_method_status
        cmp     w0, #METHOD_GET           // the read methods: always
        b.eq    allowed_method_status_ok
        cmp     w0, #METHOD_HEAD
        b.eq    allowed_method_status_ok
        cmp     w0, #METHOD_OPTIONS
        b.eq    allowed_method_status_ok
        cmp     w0, #METHOD_PUT           // the write methods: with -w
        b.eq    allowed_method_status_write
        cmp     w0, #METHOD_DELETE
        b.eq    allowed_method_status_write
        cbz     w0, allowed_method_status_unknown // METHOD_OTHER: a token we do not know
allowed_method_status_405:
        mov     w0, #405                  // known, not served
        ret
allowed_method_status_write:
        cbz     x1, allowed_method_status_405 // no -w: not allowed
allowed_method_status_ok:
        mov     w0, #0                    // served
        ret
allowed_method_status_unknown:
        mov     w0, #501                  // Not Implemented
        ret
ENDFUNC allowed_method_status

// ---------------------------------------------------------------------------
// size_t last_name(const char *path, size_t len)
//   Where the last name of path starts: the index after its last '/', 0
//   when there is none.
//   in:  x0 = path, x1 = len.  out: x0 = the index
//   registers: x2 = i, x3 = i - 1, w4 = byte.  Leaf.
// ---------------------------------------------------------------------------
FUNC last_name
        mov     x2, x1                    // i = len: from the end backwards
last_name_back:
        cbz     x2, last_name_done        // the start: no '/'
        sub     x3, x2, #1                // the byte before i
        ldrb    w4, [x0, x3]
        cmp     w4, #CHAR_SLASH           // the last '/'?
        b.eq    last_name_done            // the name starts at i
        mov     x2, x3                    // one back
        b       last_name_back
last_name_done:
        mov     x0, x2                    // the index after the '/'
        ret
ENDFUNC last_name

// ---------------------------------------------------------------------------
// size_t upload_name(char *out, uint64_t pid)
//   The temporary file's name: the byte 0x01, "upload-", pid in decimal, a
//   NUL (UPLOAD_NAME_MAX bytes at most).  The 0x01 keeps it out of every
//   answer: lesson 05 refuses a request that names it (400), lesson 08's
//   listing leaves it out.  One upload per process at a time: the pid
//   makes it unique among running children.
//   in:  x0 = out, x1 = pid.  out: x0 = its length without the NUL
//   registers: x19 = out, x20 = pid, then where the digits go
//   stack: 32 bytes (fp, lr, x19, x20)
// ---------------------------------------------------------------------------
FUNC upload_name
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = out
        mov     x20, x1                   // x20 = pid
        mov     w9, #1                    // the byte 0x01: no request can name it
        strb    w9, [x19]
        add     x0, x19, #1               // copy_bytes(out + 1,
        LOAD_ADDR x1, upload_prefix       //     "upload-",
        mov     x2, #UPLOAD_PREFIX_LEN    //     7)
        CALL    copy_bytes                // x0 = where the digits go
        mov     x1, x0                    // format_u64(pid, there)
        mov     x0, x20
        mov     x20, x1                   // x20 = where the digits go
        CALL    format_u64                // x0 = how many
        add     x20, x20, x0              // past them
        strb    wzr, [x20]                // the NUL
        sub     x0, x20, x19              // the length
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // x0 = length
ENDFUNC upload_name

// ---------------------------------------------------------------------------
// int upload_errno_status(int err)
//   What an error from creating, writing, syncing, renaming or removing a
//   file means to the client: EACCES, EPERM, EROFS -> 403; ENOSPC, EDQUOT
//   -> 507 (RFC 4918 §11.5); EISDIR -> 409; anything else as lesson 04's
//   errno_to_status (its table: ENOENT 404, ELOOP 403, ... 500).
//   in:  w0 = err (positive).  out: w0 = the status.  Leaf, or a tail call.
// ---------------------------------------------------------------------------
FUNC upload_errno_status
        cmp     w0, #EACCES               // not ours to change
        b.eq    upload_errno_status_403
        cmp     w0, #EPERM
        b.eq    upload_errno_status_403
        cmp     w0, #EROFS                // a read-only file system
        b.eq    upload_errno_status_403
        cmp     w0, #ENOSPC               // no room
        b.eq    upload_errno_status_507
        cmp     w0, #EDQUOT               // no room for this user
        b.eq    upload_errno_status_507
        cmp     w0, #EISDIR               // a directory in the way
        b.eq    upload_errno_status_409
        JUMP    errno_to_status           // the rest: lesson 04's table
upload_errno_status_403:
        mov     w0, #403                  // Forbidden
        ret
upload_errno_status_507:
        mov     w0, #507                  // Insufficient Storage
        ret
upload_errno_status_409:
        mov     w0, #409                  // Conflict
        ret
ENDFUNC upload_errno_status

// ---------------------------------------------------------------------------
// int expects_continue(const struct request *req)
//   Does the client wait for `100 Continue` before it sends its body?
//   HTTP/1.1 (RFC 9110 §10.1.1: MUST ignore it in HTTP/1.0), and an
//   element 100-continue (any case) in the list (Expect = #expectation) of
//   an Expect field -- lesson 03's next_list_element walks each list.
//   in:  x0 = req.  out: w0 = 1 or 0
//   registers: x19 = req, x20 = the field, x21 = fields left, x22 = the
//              rest of the list, x23 = its length
//   stack: 64 bytes (fp, lr, x19..x23, padding) + 16: the element (pointer,
//          length) at sp
// ---------------------------------------------------------------------------
FUNC expects_continue
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        str     x23, [sp, #48]            // (sp+56: padding)
        sub     sp, sp, #16               // the element: pointer, length
        mov     x19, x0                   // x19 = req
        ldr     x9, [x19, #REQ_VERSION_MINOR] // HTTP/1.1?
        cmp     x9, #1
        b.ne    expects_continue_no       // 1.0: ignore Expect
        add     x20, x19, #REQ_HEADERS    // x20 = the first field
        ldr     x21, [x19, #REQ_HEADER_COUNT] // x21 = fields to look at
expects_continue_field:
        cbz     x21, expects_continue_no  // none left: no
        ldp     x0, x1, [x20, #HDR_NAME_PTR] // equal_ignoring_case(name, len,
        LOAD_ADDR x2, name_expect         //     "Expect", 6)
        mov     x3, #NAME_EXPECT_LEN
        CALL    equal_ignoring_case       // w0 = 1 or 0
        cbz     w0, expects_continue_next_field
        ldp     x22, x23, [x20, #HDR_VALUE_PTR] // x22, x23 = the list
expects_continue_element:
        cbz     x23, expects_continue_next_field // the list is done
        mov     x0, x22                   // next_list_element(rest, len,
        mov     x1, x23                   //     &element, &element_len)
        mov     x2, sp
        add     x3, sp, #8
        CALL    next_list_element         // x0 = bytes used
        add     x22, x22, x0              // past them
        sub     x23, x23, x0
        ldp     x0, x1, [sp]              // equal_ignoring_case(element, len,
        LOAD_ADDR x2, value_continue      //     "100-continue", 12)
        mov     x3, #VALUE_CONTINUE_LEN
        CALL    equal_ignoring_case       // w0 = 1 or 0
        cbnz    w0, expects_continue_return // yes (w0 = 1)
        b       expects_continue_element  // the next element
expects_continue_next_field:
        add     x20, x20, #HDR_SIZE       // the next field
        sub     x21, x21, #1
        b       expects_continue_field
expects_continue_no:
        mov     w0, #0                    // no
expects_continue_return:
        add     sp, sp, #16               // drop the element
        ldr     x23, [sp, #48]            // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret                               // w0 = 1 or 0
ENDFUNC expects_continue

// ---------------------------------------------------------------------------
// const char *error_page(int status)
//   The built-in page for status, or 0 when there is none.
//   in:  w0 = status.  out: x0 = a C string (read-only), or 0
//   registers: x1 = entry, w2 = its code, w3 = byte.  Leaf.
// ---------------------------------------------------------------------------
FUNC error_page
        LOAD_ADDR x1, error_pages         // x1 = the first entry
error_page_entry:
        add     x1, x1, #1                // entries start at even addresses:
        and     x1, x1, #~1               // round up (like .p2align 1)
        ldrh    w2, [x1], #2              // w2 = this entry's code; x1 = its page
        cbz     w2, error_page_none       // code 0: the end of the table
        cmp     w2, w0                    // the status we look for?
        b.eq    error_page_found          // yes: x1 is its page
1:      ldrb    w3, [x1], #1              // skip the page ...
        cbnz    w3, 1b                    // ... and its NUL
        b       error_page_entry          // the next entry
error_page_found:
        mov     x0, x1                    // the page
        ret
error_page_none:
        mov     x0, #0                    // no page for this status
        ret
ENDFUNC error_page

// ---------------------------------------------------------------------------
// size_t error_page_name(char *out, int status)
//   "NNN.html" and a NUL (ERROR_NAME_MAX bytes): status's page in -e DIR.
//   in:  x0 = out, w1 = status.  out: x0 = its length
//   registers: x19 = out, x20 = digits
//   stack: 32 bytes (fp, lr, x19, x20)
// ---------------------------------------------------------------------------
FUNC error_page_name
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = out
        mov     w0, w1                    // format_u64(status (zero-extended),
        mov     x1, x19                   //     out)
        CALL    format_u64                // x0 = digits
        mov     x20, x0                   // x20 = digits
        add     x0, x19, x20              // copy_bytes(out + digits,
        LOAD_ADDR x1, html_suffix         //     ".html",
        mov     x2, #HTML_SUFFIX_LEN      //     5)
        CALL    copy_bytes                // x0 = past it
        strb    wzr, [x0]                 // the NUL
        mov     x9, #HTML_SUFFIX_LEN      // the length: digits + 5 (a label
        add     x0, x20, x9               //   difference: Darwin's add takes no such immediate)
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // x0 = length
ENDFUNC error_page_name

// ---------------------------------------------------------------------------
// uint64_t now_ms(void)
//   The kernel's clock in milliseconds since 1970: gettimeofday(&tv, 0, 0)
//   (Darwin has no clock_gettime system call; its third argument, a
//   mach_absolute_time pointer, must be 0).
//   out: x0 = milliseconds
//   registers: x9 = 1000.  stack: 16 bytes (struct timeval)
//   syscalls: gettimeofday
// ---------------------------------------------------------------------------
FUNC now_ms
        sub     sp, sp, #TIMEVAL_SIZE     // struct timeval tv
        mov     x0, sp                    // gettimeofday(&tv,
        mov     x1, #0                    //     no time zone,
        mov     x2, #0                    //     Darwin: no mach time)
        SYSCALL gettimeofday              // cannot fail with a valid pointer
        ldr     x0, [sp, #TV_SEC]         // seconds
        ldr     w1, [sp, #TV_USEC]        // microseconds: 32 bits on Darwin, < 10^6 on both
        mov     x9, #MS_PER_SECOND
        mul     x0, x0, x9                // seconds -> milliseconds
        mov     x9, #US_PER_MS
        udiv    x1, x1, x9                // microseconds -> milliseconds
        add     x0, x0, x1                // the sum
        add     sp, sp, #TIMEVAL_SIZE     // drop tv
        ret                               // x0 = milliseconds
ENDFUNC now_ms

// ---------------------------------------------------------------------------
// int64_t receive_body(int sock, int fd, const char *have, uint64_t have_len,
//                      uint64_t length, char *buf, size_t cap,
//                      uint64_t deadline)
//   The PUT body into fd: first the bytes that came with the head (at
//   most length of them are this body), then reads of at most cap bytes
//   into buf, each written out, until length bytes in all.  The buffer
//   never grows: a 1 GiB body needs the same memory as a 1-byte one.
//   deadline: the now_ms time by which the whole body must have come, 0
//   for none (lesson 10 sets one; its SO_RCVTIMEO bounds each read, so
//   the check before each read is late by at most -t).
//   in:  w0 = sock, w1 = fd, x2 = have, x3 = have_len, x4 = length,
//        x5 = buf, x6 = cap, x7 = deadline
//   out: x0 = 0; -400 when the client closes or fails before length
//        bytes; -408 when the deadline passes or a read waits longer than
//        lesson 10's SO_RCVTIMEO; -upload_errno_status(err) when writing
//        fails
//   registers: x19 = sock, x20 = fd, x21 = buf, x22 = cap, x23 = bytes
//              left, x24 = deadline
//   stack: 64 bytes (fp, lr, x19..x24)
//   syscalls: read, write (write_all), gettimeofday (now_ms)
// ---------------------------------------------------------------------------
FUNC receive_body
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        sxtw    x19, w0                   // x19 = sock
        sxtw    x20, w1                   // x20 = fd
        mov     x21, x5                   // x21 = buf
        mov     x22, x6                   // x22 = cap
        mov     x24, x7                   // x24 = deadline (0: none)
        cmp     x3, x4                    // have_len > length?
        csel    x3, x3, x4, ls            // what follows is not this body
        sub     x23, x4, x3               // x23 = left = length - have_len
        cbz     x3, receive_body_read     // nothing came with the head
        mov     x0, x20                   // write_all(fd, have, have_len)
        mov     x1, x2
        mov     x2, x3
        CALL    write_all                 // x0 = 0 or -errno
        tbnz    x0, #63, receive_body_write_failed
receive_body_read:
        cbz     x23, receive_body_ok      // all of it
        cbz     x24, receive_body_want    // no deadline: read on
        CALL    now_ms                    // x0 = now
        cmp     x0, x24                   // lesson 10: too slow on the whole?
        b.hs    receive_body_stalled      // yes: 408
receive_body_want:
        cmp     x23, x22                  // want = min(left, cap)
        csel    x2, x23, x22, lo
        mov     x0, x19                   // read(sock, buf, want)
        mov     x1, x21
        SYSCALL read                      // x0 = n, or carry + errno
        b.cc    receive_body_got
        cmp     x0, #EINTR                // a signal:
        b.eq    receive_body_read         // read again
        cmp     x0, #EAGAIN               // lesson 10's SO_RCVTIMEO ran out:
        b.eq    receive_body_stalled      // a stalled upload
        b       receive_body_short        // the connection failed
receive_body_got:
        cbz     x0, receive_body_short    // closed before the promised length
        sub     x23, x23, x0              // left -= n
        mov     x2, x0                    // write_all(fd, buf, n)
        mov     x0, x20
        mov     x1, x21
        CALL    write_all                 // x0 = 0 or -errno
        tbz     x0, #63, receive_body_read // written: the next piece
receive_body_write_failed:
        neg     w0, w0                    // upload_errno_status(errno)
        CALL    upload_errno_status       // w0 = 403, 507, 500 ...
        neg     w0, w0                    // -status ...
        sxtw    x0, w0                    // ... as an int64_t
        b       receive_body_return
receive_body_stalled:
        mov     x0, #-408                 // Request Timeout (lesson 10: the deadline, or SO_RCVTIMEO)
        b       receive_body_return
receive_body_short:
        mov     x0, #-400                 // not the body it promised
        b       receive_body_return
receive_body_ok:
        mov     x0, #0                    // the whole body is in fd
receive_body_return:
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret                               // x0 = 0 or -status
ENDFUNC receive_body

// ---------------------------------------------------------------------------
// int step_allow_method(struct exchange *x)
//   allowed_method_status(x->req.method_id, x->cfg->write): lesson 03's
//   step_check_method with OPTIONS, and PUT and DELETE when -w allows
//   them.  A 405 adds Allow (RFC 9110 §15.5.6: MUST).
//   in:  x0 = x.  out: w0 = STEP_NEXT, 405 or 501
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding)
// ---------------------------------------------------------------------------
FUNC step_allow_method
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19
        mov     x19, x0                   // x19 = x
        ldr     x0, [x19, #(X_REQ + REQ_METHOD_ID)] // allowed_method_status(method,
        ldr     x1, [x19, #X_CFG]         //     x->cfg->write)
        ldr     x1, [x1, #CFG_WRITE]
        CALL    allowed_method_status     // w0 = 0, 405 or 501
        cmp     w0, #405                  // not allowed here?
        b.ne    step_allow_method_return  // 0 (STEP_NEXT) or 501
        ldr     x0, [x19, #X_CFG]         // allow_value(x->cfg->write)
        ldr     x0, [x0, #CFG_WRITE]
        CALL    allow_value               // x0 = the list
        mov     x2, x0                    // add_extra(x, "Allow", list)
        mov     x0, x19
        LOAD_ADDR x1, field_allow
        CALL    add_extra                 // (x->extra is empty here: it fits)
        mov     w0, #405                  // Method Not Allowed
step_allow_method_return:
        ldr     x19, [sp, #16]            // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // w0 = STEP_NEXT or a status
ENDFUNC step_allow_method

// ---------------------------------------------------------------------------
// int step_answer_options(struct exchange *x)
//   204 No Content with Allow (RFC 9110 §9.3.7): no body, and so no
//   Content-Length (§8.6).  Then x->extra's lines, as every head built
//   from an exchange (empty here in lesson 09; lesson 11's Date).
//   in:  x0 = x.  out: w0 = STEP_DONE
//   registers: x19 = x, x20 = head length
//   stack: 32 bytes (fp, lr, x19, x20) + HEAD_MAX: the head at sp
//   syscalls: write (write_all)
// ---------------------------------------------------------------------------
FUNC step_answer_options
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sub     sp, sp, #HEAD_MAX         // the head
        mov     x19, x0                   // x19 = x
        mov     x9, #204                  // x->status = 204: what the client gets
        str     x9, [x19, #X_STATUS]      // (the access log reads it)
        mov     x0, sp                    // head_start(head, 204)
        mov     w1, #204
        CALL    head_start                // x0 = len
        mov     x20, x0
        ldr     x0, [x19, #X_CFG]         // allow_value(x->cfg->write)
        ldr     x0, [x0, #CFG_WRITE]
        CALL    allow_value               // x0 = the list
        mov     x3, x0                    // head_add(head, len, "Allow", list)
        mov     x0, sp
        mov     x1, x20
        LOAD_ADDR x2, field_allow
        CALL    head_add                  // x0 = len
        mov     x1, x0                    // head_add_lines(head, len,
        mov     x0, sp                    //     x->extra, x->extra_len):
        add     x2, x19, #X_EXTRA         //     what earlier steps added
        ldr     x3, [x19, #X_EXTRA_LEN]   //     (lesson 11: Date)
        CALL    head_add_lines            // x0 = len
        mov     x1, x0                    // head_end(head, len)
        mov     x0, sp
        CALL    head_end                  // x0 = len
        mov     x2, x0                    // write_all(x->sock, head, len)
        ldrsw   x0, [x19, #X_SOCK]
        mov     x1, sp
        CALL    write_all                 // a client that left: nothing to do
        mov     w0, #STEP_DONE            // answered
        add     sp, sp, #HEAD_MAX         // drop the head
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // w0 = STEP_DONE
ENDFUNC step_answer_options

// ---------------------------------------------------------------------------
// int step_check_upload(struct exchange *x)
//   Before a byte of the body is read: Content-Range -> 400 (RFC 9110
//   §14.5: MUST); no Content-Length (none, or chunked: this server does
//   not decode chunked bodies) -> 411; longer than UPLOAD_MAX -> 413.
//   in:  x0 = x.  out: w0 = STEP_NEXT, 400, 411 or 413
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding)
// ---------------------------------------------------------------------------
FUNC step_check_upload
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19
        mov     x19, x0                   // x19 = x
        mov     x9, #X_REQ                // find_header(&x->req (past add's
        add     x0, x19, x9               //     12-bit immediate: via x9),
        LOAD_ADDR x1, name_content_range  //     "Content-Range", 13)
        mov     x2, #NAME_CONTENT_RANGE_LEN
        CALL    find_header               // x0 = the field, or 0
        mov     w9, #400                  // a partial PUT: Bad Request
        cbnz    x0, step_check_upload_status
        ldr     x10, [x19, #(X_REQ + REQ_BODY_KIND)] // the framing
        mov     w9, #411                  // Length Required ...
        cmp     x10, #BODY_LENGTH         // ... unless a Content-Length
        b.ne    step_check_upload_status
        ldr     x10, [x19, #(X_REQ + REQ_CONTENT_LENGTH)] // the length
        mov     x11, #UPLOAD_MAX          // 1 GiB
        mov     w9, #413                  // Content Too Large ...
        cmp     x10, x11                  // ... when longer
        b.hi    step_check_upload_status
        mov     w9, #STEP_NEXT            // an upload we take
step_check_upload_status:
        mov     w0, w9                    // the answer
        ldr     x19, [sp, #16]            // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // w0 = STEP_NEXT or a status
ENDFUNC step_check_upload

// ---------------------------------------------------------------------------
// int step_open_parent(struct exchange *x)
//   The target's directory, opened with lesson 06's open_beneath (no
//   symbolic link on the way) into x->file_fd; a NUL after the name in
//   x->path, for the *at calls; x->file_mode = the target's st_mode from
//   fstatat(AT_SYMLINK_NOFOLLOW), 0 when there is none.
//   in:  x0 = x
//   out: w0 = STEP_NEXT; 409 for no name ("/", "/docs/") or a directory;
//        403 for a symbolic link or anything else that is not a regular
//        file; 414 for a name longer than COMPONENT_MAX; open_beneath's
//        403 / 404 / 414 / 500; errno_to_status of fstatat's error
//   registers: x19 = x, x20 = where the name starts
//   stack: 32 bytes (fp, lr, x19, x20) + STAT_AREA (struct stat at sp)
//   syscalls: openat, close, fstatat (open_beneath); fstatat
// ---------------------------------------------------------------------------
FUNC step_open_parent
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sub     sp, sp, #STAT_AREA        // struct stat st
        mov     x19, x0                   // x19 = x
        add     x0, x19, #X_PATH          // last_name(x->path, x->path_len)
        ldr     x1, [x19, #X_PATH_LEN]
        CALL    last_name                 // x0 = where the name starts
        mov     x20, x0                   // x20 = that index
        ldr     x9, [x19, #X_PATH_LEN]    // the name's length
        sub     x9, x9, x20
        mov     w0, #409                  // no name: a directory
        cbz     x9, step_open_parent_return
        mov     w0, #414                  // longer than a name can be
        cmp     x9, #COMPONENT_MAX
        b.hi    step_open_parent_return
// the directory the name is in
        ldr     x0, [x19, #X_CFG]         // open_beneath(x->cfg->docroot_fd,
        ldr     x0, [x0, #CFG_DOCROOT_FD]
        add     x1, x19, #X_PATH          //     x->path, up to the name:
        mov     x2, x20                   //     it ends in '/', the directory)
        CALL    open_beneath              // x0 = fd, or -status
        tbnz    x0, #63, step_open_parent_refused
        str     x0, [x19, #X_FILE_FD]     // the spine closes it
        add     x9, x19, #X_PATH          // a NUL after the name
        ldr     x10, [x19, #X_PATH_LEN]
        strb    wzr, [x9, x10]
// what the name is there, if anything; a link is not followed
        add     x1, x9, x20               // fstatat(dir, name, &st,
        mov     x2, sp                    //     AT_SYMLINK_NOFOLLOW)
        mov     x3, #AT_SYMLINK_NOFOLLOW
        SYSCALL fstatat                   // carry + errno on failure
        b.cs    step_open_parent_no_stat
        LOAD_ST_MODE w9, sp               // st_mode: 16 bits on Darwin, 32 on Linux
        str     x9, [x19, #X_FILE_MODE]   // x->file_mode
        ldr     x10, [sp, #ST_SIZE]       // x->file_size
        str     x10, [x19, #X_FILE_SIZE]
        and     w9, w9, #S_IFMT           // the type
        mov     w0, #409                  // a directory: Conflict
        cmp     w9, #S_IFDIR
        b.eq    step_open_parent_return
        mov     w0, #403                  // a link, a FIFO ...: Forbidden
        cmp     w9, #S_IFREG
        b.ne    step_open_parent_return
        mov     w0, #STEP_NEXT            // a regular file: go on
        b       step_open_parent_return
step_open_parent_no_stat:
        cmp     x0, #ENOENT               // nothing there?
        b.ne    step_open_parent_errno    // anything else: its status
        str     xzr, [x19, #X_FILE_MODE]  // x->file_mode = 0: no target yet
        mov     w0, #STEP_NEXT            // go on
        b       step_open_parent_return
step_open_parent_errno:
        CALL    errno_to_status           // w0 = err -> 403, 500 ...
        b       step_open_parent_return
step_open_parent_refused:
        neg     w0, w0                    // -403 -> 403 ...
step_open_parent_return:
        add     sp, sp, #STAT_AREA        // drop st
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // w0 = STEP_NEXT or a status
ENDFUNC step_open_parent

// ---------------------------------------------------------------------------
// int step_store_upload(struct exchange *x)
//   The atomic upload.  A new temporary file beside the target, in the
//   directory step_open_parent opened (O_CREAT | O_EXCL | O_NOFOLLOW:
//   always a new file of ours); `100 Continue` if the client waits for
//   it; the body through a UPLOAD_CHUNK buffer (receive_body); fsync;
//   close; renameat over the target.  The target is the old file until
//   the rename and the new one after it, never anything in between.  On
//   any failure the temporary file is removed (unlinkat).
//   in:  x0 = x
//   out: w0 = STEP_NEXT (x->status = 201 for a new file, 204 for a
//        replaced one; x->linger = 0: the body is read), or a status:
//        400 (the client sent less than it promised), 403, 409, 507, 500
//   registers: x19 = x, x20 = the directory, x21 = the target's name,
//              x22 = the temporary file (-1 once closed), x23 = -status
//   stack: 64 bytes (fp, lr, x19..x23, padding) + STORE_AREA: the
//          temporary name at sp (UPLOAD_NAME_MAX), the body's buffer
//          above it (UPLOAD_CHUNK)
//   syscalls: getpid, openat, write, read, fsync, close, renameat, unlinkat
// ---------------------------------------------------------------------------
        .equ    STORE_NAME, 0             // the temporary name
        .equ    STORE_BUF, UPLOAD_NAME_MAX // the body's buffer
        .equ    STORE_AREA, UPLOAD_NAME_MAX + UPLOAD_CHUNK // a multiple of 16
FUNC step_store_upload
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        str     x23, [sp, #48]            // (sp+56: padding)
        sub     sp, sp, #(STORE_AREA & 0xfff000) // the name and the buffer, in two
        sub     sp, sp, #(STORE_AREA & 0xfff) //   parts (an immediate has 12 bits, maybe shifted)
        mov     x19, x0                   // x19 = x
        ldr     x20, [x19, #X_FILE_FD]    // x20 = the directory
        add     x0, x19, #X_PATH          // last_name(x->path, x->path_len)
        ldr     x1, [x19, #X_PATH_LEN]
        CALL    last_name                 // x0 = where the name starts
        add     x21, x19, #X_PATH         // x21 = the name (NUL-terminated by
        add     x21, x21, x0              //     step_open_parent)
// a new file of our own, beside the target
        SYSCALL getpid                    // x0 = our pid (never fails)
        mov     x1, x0                    // upload_name(name, pid)
        add     x0, sp, #STORE_NAME
        CALL    upload_name               // "\x01upload-PID"
        mov     x0, x20                   // openat(dir, name,
        add     x1, sp, #STORE_NAME
        mov     x2, #(UPLOAD_FLAGS & 0xffff) //   new, ours, no link,
        movk    x2, #(UPLOAD_FLAGS >> 16), lsl #16 // (the flags need two halves)
        mov     x3, #UPLOAD_MODE          //   rw-r--r--)
        SYSCALL openat                    // x0 = fd, or carry + errno
        b.cs    step_store_upload_not_created
        mov     x22, x0                   // x22 = the temporary file
        mov     x23, #0                   // x23 = 0: all well so far
// the client may wait for a go-ahead before it sends the body
        mov     x9, #X_REQ                // expects_continue(&x->req)
        add     x0, x19, x9               // (via x9: past add's 12-bit immediate)
        CALL    expects_continue          // w0 = 1 or 0
        cbz     w0, step_store_upload_body
        ldrsw   x0, [x19, #X_SOCK]        // write_all(x->sock,
        LOAD_ADDR x1, msg_continue        //     "HTTP/1.1 100 Continue\r\n\r\n")
        mov     x2, #MSG_CONTINUE_LEN
        CALL    write_all                 // x0 = 0 or -errno
        mov     x9, #-400                 // the client is gone: no body will come
        tbnz    x0, #63, step_store_upload_failed_x9
// the body: what came with the head, then the rest from the socket
step_store_upload_body:
        ldrsw   x0, [x19, #X_SOCK]        // receive_body(x->sock,
        mov     w1, w22                   //     fd,
        mov     x9, #X_BUF                //     x->buf + x->head_len,
        add     x2, x19, x9
        ldr     x10, [x19, #X_HEAD_LEN]
        add     x2, x2, x10
        ldr     x3, [x19, #X_READ_LEN]    //     x->read_len - x->head_len,
        sub     x3, x3, x10
        ldr     x4, [x19, #(X_REQ + REQ_CONTENT_LENGTH)] // the promised length,
        add     x5, sp, #STORE_BUF        //     buf,
        mov     x6, #UPLOAD_CHUNK         //     UPLOAD_CHUNK,
        ldr     x7, [x19, #X_BODY_DEADLINE] //   x->body_deadline)
        CALL    receive_body              // x0 = 0 or -status
        mov     x9, x0
        cbnz    x9, step_store_upload_failed_x9
// on the disk before it gets the name
        mov     x0, x22                   // fsync(fd)
        SYSCALL fsync                     // carry + errno on failure
        b.cs    step_store_upload_errno
        mov     x0, x22                   // close(fd): done writing
        mov     x22, #-1                  // (closed, whatever close says)
        SYSCALL close                     // a late write error shows here
        b.cs    step_store_upload_errno
// the one atomic step: the target is the old file, then the new one
        mov     x0, x20                   // renameat(dir, temporary name,
        add     x1, sp, #STORE_NAME
        mov     x2, x20                   //          dir, the target's name)
        mov     x3, x21
        SYSCALL renameat                  // carry + errno on failure
        b.cs    step_store_upload_errno
        str     xzr, [x19, #X_LINGER]     // the whole body is read: nothing to drain
        ldr     x9, [x19, #X_FILE_MODE]   // was there a file before?
        mov     x10, #201                 // no: Created
        mov     x11, #204                 // yes: replaced, No Content
        cmp     x9, #0
        csel    x9, x10, x11, eq
        str     x9, [x19, #X_STATUS]      // x->status (RFC 9110 §9.3.4)
        mov     w0, #STEP_NEXT            // go on: the answer
        b       step_store_upload_return
step_store_upload_not_created:
        CALL    upload_errno_status       // w0 = errno -> 403, 507, 500 ...
        b       step_store_upload_return  // nothing was created: nothing to remove
step_store_upload_errno:
        CALL    upload_errno_status       // w0 = errno -> 403, 507, 500 ...
        neg     w9, w0                    // x9 = -status
        sxtw    x9, w9
step_store_upload_failed_x9:
        mov     x23, x9                   // x23 = -status
        tbnz    x22, #63, step_store_upload_remove // already closed
        mov     x0, x22                   // close(fd)
        SYSCALL close                     // (its error changes nothing now)
step_store_upload_remove:
        mov     x0, x20                   // unlinkat(dir, temporary name, 0):
        add     x1, sp, #STORE_NAME       //     nothing half-written stays
        mov     x2, #0
        SYSCALL unlinkat                  // (nothing more to do if it fails)
        neg     w0, w23                   // the status
step_store_upload_return:
        add     sp, sp, #(STORE_AREA & 0xfff) // drop the name and the buffer ...
        add     sp, sp, #(STORE_AREA & 0xfff000) // ... both parts
        ldr     x23, [sp, #48]            // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret                               // w0 = STEP_NEXT or a status
ENDFUNC step_store_upload

// ---------------------------------------------------------------------------
// int step_answer_upload(struct exchange *x)
//   201 Created with an empty body and Location (the request's path as
//   the client wrote it, when it is at most LOCATION_MAX bytes: RFC 9110
//   §15.3.2 -- without it the target URI names the new resource), or 204
//   No Content for a replaced file.  Then x->extra's lines, as every
//   head built from an exchange (lesson 11's Date).
//   in:  x0 = x.  out: w0 = STEP_DONE
//   registers: x19 = x, x20 = head length
//   stack: 32 bytes (fp, lr, x19, x20) + ANSWER_AREA: the head at sp
//          (HEAD_MAX), the Location value above it
//   syscalls: write (write_all)
// ---------------------------------------------------------------------------
        .equ    ANSWER_LOCATION, HEAD_MAX // Location's value and its NUL
        .equ    ANSWER_AREA, (HEAD_MAX + LOCATION_MAX + 1 + 15) & ~15
FUNC step_answer_upload
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sub     sp, sp, #ANSWER_AREA      // the head, the Location value
        mov     x19, x0                   // x19 = x
        mov     x0, sp                    // head_start(head, x->status)
        ldr     x1, [x19, #X_STATUS]
        CALL    head_start                // x0 = len
        mov     x20, x0
        ldr     x9, [x19, #X_STATUS]      // 201?
        cmp     x9, #201
        b.ne    step_answer_upload_end    // 204: nothing more
        mov     x0, sp                    // head_add_u64(head, len,
        mov     x1, x20                   //     "Content-Length", 0)
        LOAD_ADDR x2, field_content_length
        mov     x3, #0
        CALL    head_add_u64              // x0 = len
        mov     x20, x0
        ldr     x2, [x19, #(X_REQ + REQ_PATH_LEN)] // the path as sent
        cmp     x2, #LOCATION_MAX         // too long for a Location?
        b.hi    step_answer_upload_end    // then none
        add     x0, sp, #ANSWER_LOCATION  // copy_bytes(value,
        ldr     x1, [x19, #(X_REQ + REQ_PATH_PTR)] // x->req.path, its length)
        CALL    copy_bytes                // x0 = past the copy
        strb    wzr, [x0]                 // a C string for head_add
        mov     x0, sp                    // head_add(head, len,
        mov     x1, x20                   //     "Location", value)
        LOAD_ADDR x2, field_location
        add     x3, sp, #ANSWER_LOCATION
        CALL    head_add                  // x0 = len
        mov     x20, x0
step_answer_upload_end:
        mov     x0, x20                   // (the length so far)
        mov     x1, x0                    // head_add_lines(head, len,
        mov     x0, sp                    //     x->extra, x->extra_len):
        add     x2, x19, #X_EXTRA         //     what earlier steps added
        ldr     x3, [x19, #X_EXTRA_LEN]   //     (lesson 11: Date)
        CALL    head_add_lines            // x0 = len
        mov     x1, x0                    // head_end(head, len)
        mov     x0, sp
        CALL    head_end                  // x0 = len
        mov     x2, x0                    // write_all(x->sock, head, len)
        ldrsw   x0, [x19, #X_SOCK]
        mov     x1, sp
        CALL    write_all                 // a client that left: nothing to do
        mov     w0, #STEP_DONE            // answered
        add     sp, sp, #ANSWER_AREA      // drop the buffers
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // w0 = STEP_DONE
ENDFUNC step_answer_upload

// ---------------------------------------------------------------------------
// int step_delete_file(struct exchange *x)
//   Remove the regular file step_open_parent found: unlinkat in its
//   directory (the name itself; a link was refused before) -> 204 No
//   Content (RFC 9110 §9.3.5), with x->extra's lines (lesson 11's Date).
//   No file -> 404.
//   in:  x0 = x.  out: w0 = STEP_DONE, 404, or upload_errno_status
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding) + HEAD_MAX: the head at sp
//   syscalls: unlinkat, write (write_all)
// ---------------------------------------------------------------------------
FUNC step_delete_file
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19
        sub     sp, sp, #HEAD_MAX         // the head
        mov     x19, x0                   // x19 = x
        ldr     x9, [x19, #X_FILE_MODE]   // a file there?
        mov     w0, #404                  // no: Not Found
        cbz     x9, step_delete_file_return
        add     x0, x19, #X_PATH          // last_name(x->path, x->path_len)
        ldr     x1, [x19, #X_PATH_LEN]
        CALL    last_name                 // x0 = where the name starts
        add     x1, x19, #X_PATH          // unlinkat(dir, name, 0)
        add     x1, x1, x0
        ldr     x0, [x19, #X_FILE_FD]
        mov     x2, #0
        SYSCALL unlinkat                  // carry + errno on failure
        b.cs    step_delete_file_errno
        mov     x9, #204                  // x->status = 204: what the client gets
        str     x9, [x19, #X_STATUS]      // (the access log reads it)
        mov     x0, sp                    // head_start(head, 204)
        mov     w1, #204
        CALL    head_start                // x0 = len
        mov     x1, x0                    // head_add_lines(head, len,
        mov     x0, sp                    //     x->extra, x->extra_len):
        add     x2, x19, #X_EXTRA         //     what earlier steps added
        ldr     x3, [x19, #X_EXTRA_LEN]   //     (lesson 11: Date)
        CALL    head_add_lines            // x0 = len
        mov     x1, x0                    // head_end(head, len)
        mov     x0, sp
        CALL    head_end                  // x0 = len
        mov     x2, x0                    // write_all(x->sock, head, len)
        ldrsw   x0, [x19, #X_SOCK]
        mov     x1, sp
        CALL    write_all                 // a client that left: nothing to do
        mov     w0, #STEP_DONE            // answered
        b       step_delete_file_return
step_delete_file_errno:
        CALL    upload_errno_status       // w0 = errno -> 403, 500 ...
step_delete_file_return:
        add     sp, sp, #HEAD_MAX         // drop the head
        ldr     x19, [sp, #16]            // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // w0 = STEP_DONE or a status
ENDFUNC step_delete_file

// ---------------------------------------------------------------------------
// int64_t send_page_head(int fd, int status, uint64_t length,
//                        const char *extra, size_t extra_len)
//   The head of an error page: status line, Server, Connection,
//   Content-Type text/html; charset=utf-8, Content-Length: length, the
//   field lines of extra (Allow, Location ...), the empty line; written.
//   in:  w0 = fd, w1 = status, x2 = length, x3 = extra, x4 = extra_len
//   out: x0 = 0 or -errno
//   registers: x19 = fd, x20 = extra, x21 = extra_len
//   stack: 48 bytes (fp, lr, x19..x21, padding) + HEAD_MAX: the head at sp
//   syscalls: write (write_all)
// ---------------------------------------------------------------------------
FUNC send_page_head
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // (sp+40: padding)
        sub     sp, sp, #HEAD_MAX         // the head
        sxtw    x19, w0                   // x19 = fd
        mov     x20, x3                   // x20 = extra
        mov     x21, x4                   // x21 = extra_len
        mov     x3, x2                    // head_start_body(head, status,
        LOAD_ADDR x2, text_html           //     text/html, length)
        mov     x0, sp                    //   (status still in w1)
        CALL    head_start_body           // x0 = len
        mov     x1, x0                    // head_add_lines(head, len,
        mov     x0, sp                    //     extra, extra_len)
        mov     x2, x20
        mov     x3, x21
        CALL    head_add_lines            // x0 = len
        mov     x1, x0                    // head_end(head, len)
        mov     x0, sp
        CALL    head_end                  // x0 = len
        mov     x2, x0                    // write_all(fd, head, len)
        mov     x0, x19
        mov     x1, sp
        CALL    write_all                 // x0 = 0 or -errno
        add     sp, sp, #HEAD_MAX         // drop the head
        ldr     x21, [sp, #32]            // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret                               // x0 = 0 or -errno
ENDFUNC send_page_head

// ---------------------------------------------------------------------------
// int64_t send_error_page(int fd, int status, int is_head, const char *extra,
//                         size_t extra_len, int error_fd)
//   A complete error response with an HTML body: with error_fd >= 0 the
//   page NNN.html of that directory (opened with O_NOFOLLOW, sent with
//   lesson 04's send_file_body if it is a regular file), else the
//   built-in page (else, for a status without one, lesson 03's
//   send_error).  send_page_head's head; no body for HEAD.
//   in:  w0 = fd, w1 = status, w2 = is_head, x3 = extra, x4 = extra_len,
//        w5 = error_fd
//   out: x0 = the body bytes sent (0 for HEAD), or -errno
//   registers: x19 = fd, x20 = status, x21 = is_head, x22 = extra,
//              x23 = extra_len, x24 = error_fd, x25 = the page (its fd
//              or its text), x26 = its length
//   stack: 80 bytes (fp, lr, x19..x26) + PAGE_AREA: the page's name at
//          sp, struct stat above it
//   syscalls: openat, fstat, close, write, sendfile (send_file_body)
// ---------------------------------------------------------------------------
        .equ    PAGE_NAME, 0              // "NNN.html"
        .equ    PAGE_STAT, ERROR_NAME_MAX // struct stat
        .equ    PAGE_AREA, PAGE_STAT + STAT_AREA // a multiple of 16
FUNC send_error_page
        stp     x29, x30, [sp, #-80]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        stp     x25, x26, [sp, #64]
        sub     sp, sp, #PAGE_AREA        // name, struct stat
        sxtw    x19, w0                   // x19 = fd
        sxtw    x20, w1                   // x20 = status (an int)
        mov     w21, w2                   // x21 = is_head (only w21 is tested)
        mov     x22, x3                   // x22 = extra
        mov     x23, x4                   // x23 = extra_len
        sxtw    x24, w5                   // x24 = error_fd
// -e DIR: the operator's page, if it is there and a regular file
        tbnz    x24, #63, send_error_page_builtin // no -e
        add     x0, sp, #PAGE_NAME        // error_page_name(name, status)
        mov     w1, w20
        CALL    error_page_name           // "404.html"
        mov     x0, x24                   // openat(error_fd, name,
        add     x1, sp, #PAGE_NAME        //     no link, no FIFO wait)
        mov     x2, #(PAGE_FLAGS & 0xffff)
        movk    x2, #(PAGE_FLAGS >> 16), lsl #16
        SYSCALL openat                    // x0 = fd, or carry + errno
        b.cs    send_error_page_builtin   // missing (or a link): the built-in page
        mov     x25, x0                   // x25 = the page's fd
        add     x1, sp, #PAGE_STAT        // fstat(page, &st)
        SYSCALL fstat
        b.cs    send_error_page_close_builtin
        add     x9, sp, #PAGE_STAT        // st_mode
        LOAD_ST_MODE w10, x9
        and     w10, w10, #S_IFMT         // a regular file?
        cmp     w10, #S_IFREG
        b.ne    send_error_page_close_builtin // a directory ...: the built-in page
        ldr     x26, [x9, #ST_SIZE]       // x26 = its length
        mov     w0, w19                   // send_page_head(fd, status, length,
        mov     w1, w20                   //     extra, extra_len)
        mov     x2, x26
        mov     x3, x22
        mov     x4, x23
        CALL    send_page_head            // x0 = 0 or -errno
        tbnz    x0, #63, send_error_page_close // the client is gone
        cbnz    w21, send_error_page_close // HEAD: no body (x0 = 0)
        mov     w0, w19                   // send_file_body(fd, page, 0, length)
        mov     w1, w25
        mov     x2, #0
        mov     x3, x26
        CALL    send_file_body            // x0 = 0 or -errno
        tbnz    x0, #63, send_error_page_close // -errno as it is
        mov     x0, x26                   // all of it went: its length
send_error_page_close:
        mov     x26, x0                   // keep the answer
        mov     x0, x25                   // close(page)
        SYSCALL close
        mov     x0, x26                   // the answer
        b       send_error_page_return
send_error_page_close_builtin:
        mov     x0, x25                   // close(page): not one we send
        SYSCALL close
// the built-in page
send_error_page_builtin:
        mov     w0, w20                   // error_page(status)
        CALL    error_page                // x0 = the page, or 0
        cbz     x0, send_error_page_plain // none: lesson 03's text
        mov     x25, x0                   // x25 = the page
        CALL    str_len                   // x0 = its length
        mov     x26, x0                   // x26 = its length
        mov     w0, w19                   // send_page_head(fd, status, length,
        mov     w1, w20                   //     extra, extra_len)
        mov     x2, x26
        mov     x3, x22
        mov     x4, x23
        CALL    send_page_head            // x0 = 0 or -errno
        tbnz    x0, #63, send_error_page_return // the client is gone
        cbnz    w21, send_error_page_return // HEAD: no body (x0 = 0)
        mov     w0, w19                   // write_all(fd, page, length)
        mov     x1, x25
        mov     x2, x26
        CALL    write_all                 // x0 = 0 or -errno
        tbnz    x0, #63, send_error_page_return // -errno as it is
        mov     x0, x26                   // all of it went: its length
        b       send_error_page_return
send_error_page_plain:
        mov     w0, w19                   // send_error(fd, status, is_head,
        mov     w1, w20                   //     extra, extra_len)
        mov     w2, w21
        mov     x3, x22
        mov     x4, x23
        CALL    send_error                // x0 = its body bytes, or -errno
send_error_page_return:
        add     sp, sp, #PAGE_AREA        // drop the buffers
        ldp     x25, x26, [sp, #64]       // restore and return
        ldp     x23, x24, [sp, #48]
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #80
        ret                               // x0 = body bytes or -errno
ENDFUNC send_error_page

// ---------------------------------------------------------------------------
// void answer_error_page(struct exchange *x, int status)
//   What the spine does from lesson 09 on when a step stopped with a
//   status: x->status = status, then send_error_page with x->extra,
//   x->req.is_head and x->cfg->error_fd; x->body_sent = the body bytes
//   it sent (0 when it failed).
//   in:  x0 = x, w1 = status
//   registers: x19 = x.  stack: 32 bytes (fp, lr, x19, padding)
//   syscalls: send_error_page's
// ---------------------------------------------------------------------------
FUNC answer_error_page
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved register we use
        mov     x19, x0                   // x19 = x
        sxtw    x9, w1                    // status is an int: sign-extend it ...
        str     x9, [x19, #X_STATUS]      // ... into x->status (64 bits)
        ldrsw   x0, [x19, #X_SOCK]        // send_error_page(x->sock,
                                          //     status (still in w1),
        ldr     x2, [x19, #(X_REQ + REQ_IS_HEAD)] // x->req.is_head,
        add     x3, x19, #X_EXTRA         //     x->extra,
        ldr     x4, [x19, #X_EXTRA_LEN]   //     x->extra_len,
        ldr     x5, [x19, #X_CFG]         //     x->cfg->error_fd)
        ldr     x5, [x5, #CFG_ERROR_FD]
        CALL    send_error_page           // x0 = body bytes or -errno
        cmp     x0, #0                    // failed: nothing counted
        csel    x0, x0, xzr, ge
        str     x0, [x19, #X_BODY_SENT]   // for the access log
        ldr     x19, [sp, #16]            // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // void
ENDFUNC answer_error_page
