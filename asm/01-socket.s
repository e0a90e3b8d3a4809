// asm/01-socket.s -- lesson 01: a listening socket, and the fixed response.
//
// C++ twin: cpp/01-socket.cpp (same function names, same results).
// Walk-through: lessons/01-socket/README.md.
//
// The stage, from the spine's point of view (asm/httpd.s):
//   parse_args      argv -> struct config (port, docroot)   (records.inc CONFIG)
//   open_listener   socket, SO_REUSEADDR, bind 127.0.0.1:port, listen
//   listening_port  getsockname: the port the kernel really gave us
//   accept_client   accept, retried after EINTR
//   send_hello      the fixed 200 response, built with the head builder:
//   head_start / head_add / head_add_u64 / head_start_body / head_add_lines /
//   head_end        (used by every later lesson)
//
// And the first two steps of the per-connection pipeline (the record they
// work on is struct exchange, asm/records.inc section EXCHANGE):
//   start_exchange  a fresh record for a new connection
//   step_read_once  one read, whatever the client sent
//   step_hello      the fixed response
//   add_extra       a field line a later step wants in the response head
//
// Error convention of this lesson: our functions return -errno (or -1
// from parse_port; add_extra's -1: no room), never the carry flag; the
// steps return STEP_NEXT or STEP_DONE.  Raw system calls keep the
// kernel's convention: carry set = failed, x0 = errno.

        .include "os.inc"
        .include "records.inc"

        RODATA                            // constant data: tables and strings
// The reason phrases (RFC 9110 §15; 431: RFC 6585 §5), one REASON line
// each in build/gen/reasons.inc, which the Makefile generates from
// lessons/01-socket/reasons.tsv (the C++ reads the same file as
// reasons.def).  Each entry is a 16-bit status code followed by the
// phrase as a C string; a code of 0 ends the table.  Names, not
// pointers: a pointer table in read-only memory would need relocations
// the arm64 Mach-O linker refuses.
        .macro REASON code, text
        .p2align 1                        // ldrh wants (and gets) an even address
        .hword  \code
        .asciz  "\text"
        .endm
reason_table:
        .include "reasons.inc"            // REASON 200, "OK" ... one line per status
        .p2align 1                        // the end marker is a code too: even address
        .hword  0                         // end of the table
reason_unknown:
        .asciz  ""                        // RFC 9112 §4: the reason-phrase may be empty
http_version:
        .ascii  "HTTP/1.1 "               // every status line starts so
        .equ    HTTP_VERSION_LEN, . - http_version
field_server:
        .asciz  "Server"
value_server:
        .asciz  "metal-httpd"
field_connection:
        .asciz  "Connection"
value_close:
        .asciz  "close"                   // one response per connection
field_content_type:
        .asciz  "Content-Type"
// the Content-Type of every text the server writes itself (hello, echo,
// error bodies): global, so the later stages use this one copy
        .globl  text_plain
text_plain:
        .asciz  "text/plain; charset=utf-8"
field_content_length:
        .asciz  "Content-Length"
hello_body:
        .ascii  "hello from metal-httpd\n"
        .equ    HELLO_BODY_LEN, . - hello_body
default_docroot:
        .asciz  "."
msg_bad_port:
        .asciz  "httpd: invalid port \""
msg_bad_port_end:
        .asciz  "\": expected a decimal number from 0 to 65535\n"
msg_usage:
        .asciz  "usage: httpd [PORT [DOCROOT]]\n"
msg_listening:
        .asciz  "listening on http://127.0.0.1:"
msg_slash_nl:
        .asciz  "/\n"
msg_cannot_listen:
        .asciz  "httpd: cannot listen on 127.0.0.1:"
msg_in_use:
        .asciz  ": address already in use\n"
msg_errno:
        .asciz  ": errno "
msg_nl:
        .asciz  "\n"

// ---------------------------------------------------------------------------
// int parse_port(const char *s)
//   A port number written in decimal: one or more digits, nothing else
//   (no sign, no spaces), value 0..65535.  Leading zeros are allowed
//   ("080" is 80): the number is what the digits say.  The value is
//   checked after every digit, so a string of any length cannot overflow.
//   in:  x0 = s
//   out: w0 = the port, or -1
//   registers: x1 = cursor, w2 = byte, w3 = value, w4 = ten, w5 = PORT_MAX.
//   Leaf: no stack, no calls.
// ---------------------------------------------------------------------------
FUNC parse_port
        mov     x1, x0                    // x1 walks the string
        mov     w3, #0                    // value so far
        mov     w4, #10                   // the base
        mov     w5, #PORT_MAX             // the limit
        ldrb    w2, [x1]                  // the first byte ...
        cbz     w2, parse_port_bad        // ... "" is not a number
parse_port_digit:
        ldrb    w2, [x1], #1              // next byte
        cbz     w2, parse_port_done       // NUL: all digits read
        sub     w2, w2, #'0'              // '0'..'9' -> 0..9; others wrap above 9
        cmp     w2, #9                    // a digit is 0..9 now
        b.hi    parse_port_bad            // not a digit (unsigned compare catches both ends)
        madd    w3, w3, w4, w2            // value = value * 10 + digit
        cmp     w3, w5                    // still a port?
        b.hi    parse_port_bad            // past 65535: stop before it can overflow
        b       parse_port_digit          // and the next byte
parse_port_done:
        mov     w0, w3                    // the port
        ret                               // w0 = 0..65535
parse_port_bad:
        mov     w0, #-1                   // not a port
        ret                               // w0 = -1
ENDFUNC parse_port

// ---------------------------------------------------------------------------
// int64_t write_str(int fd, const char *s)
//   write_all of a C string: messages to stdout and stderr.
//   in:  w0 = fd, x1 = s
//   out: x0 = 0 or -errno
//   registers: x19 = fd, x20 = s.  stack: 32 bytes (fp, lr, x19, x20)
//   syscalls: write (write_all)
// ---------------------------------------------------------------------------
FUNC write_str
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sxtw    x19, w0                   // x19 = fd
        mov     x20, x1                   // x20 = s
        mov     x0, x1                    // str_len(s)
        CALL    str_len                   // how many bytes
        mov     x2, x0                    // write_all(fd, s, len)
        mov     x0, x19                   // fd
        mov     x1, x20                   // buf = s
        CALL    write_all                 // x0 = 0 or -errno: ours too
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // x0 = write_all's answer
ENDFUNC write_str

// ---------------------------------------------------------------------------
// int parse_args(int argc, char **argv, struct config *cfg)
//   httpd [PORT [DOCROOT]]: defaults DEFAULT_PORT and "." (and
//   docroot_fd -1: nothing is opened here).  A bad port or
//   a third argument: a one-line message on stderr and -EINVAL (main
//   exits with status 2).
//   in:  w0 = argc, x1 = argv, x2 = cfg
//   out: w0 = 0 or -EINVAL
//   registers: x19 = argc, x20 = argv, x21 = cfg, x22 = the port text
//   stack: 48 bytes (fp, lr, x19..x22)
//   syscalls: write (messages)
// ---------------------------------------------------------------------------
FUNC parse_args
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        sxtw    x19, w0                   // x19 = argc
        mov     x20, x1                   // x20 = argv
        mov     x21, x2                   // x21 = cfg
        // the defaults
        mov     x0, #DEFAULT_PORT         // 8080 unless argv[1] says otherwise
        str     x0, [x21, #CFG_PORT]      // cfg->port = 8080
        LOAD_ADDR x0, default_docroot     // "." unless argv[2] says otherwise
        str     x0, [x21, #CFG_DOCROOT]   // cfg->docroot = "."
        mov     x0, #-1                   // no descriptor yet (lesson 06's open_docroot opens one)
        str     x0, [x21, #CFG_DOCROOT_FD] // cfg->docroot_fd = -1
        // more than PORT and DOCROOT: say how to call us
        cmp     x19, #3                   // argc > 3: a third argument
        b.gt    parse_args_usage          // is an error, not ignored
        // argv[1]: the port
        cmp     x19, #2                   // argc < 2: only the program name
        b.lt    parse_args_ok             // no arguments: the defaults
        ldr     x22, [x20, #8]            // x22 = argv[1]
        mov     x0, x22                   // parse_port(argv[1])
        CALL    parse_port                // w0 = the port, or -1
        tbnz    w0, #31, parse_args_bad_port // sign bit set: -1, not a port
        sxtw    x0, w0                    // the int as 64 bits (its bits 32-63 are not ours to trust)
        str     x0, [x21, #CFG_PORT]      // cfg->port
        // argv[2]: the document root
        cmp     x19, #3                   // argc < 3: no DOCROOT given
        b.lt    parse_args_ok             // keep "."
        ldr     x0, [x20, #16]            // argv[2] (8 bytes per pointer)
        str     x0, [x21, #CFG_DOCROOT]   // cfg->docroot = argv[2]
parse_args_ok:
        mov     w0, #0                    // 0 = cfg is filled in
        b       parse_args_return         // skip the error messages
parse_args_bad_port:
        // httpd: invalid port "TEXT": expected a decimal number from 0 to 65535
        mov     w0, #STDERR_FILENO        // stderr
        LOAD_ADDR x1, msg_bad_port        // httpd: invalid port "
        CALL    write_str                 // (errors on stderr are ignored)
        mov     w0, #STDERR_FILENO        // stderr
        mov     x1, x22                   // the text as given
        CALL    write_str                 // TEXT
        mov     w0, #STDERR_FILENO        // stderr
        LOAD_ADDR x1, msg_bad_port_end    // ": expected a decimal number ...
        CALL    write_str                 // (ends with its own \n)
        mov     w0, #-EINVAL              // main turns this into status 2
        b       parse_args_return         // skip the usage message
parse_args_usage:
        mov     w0, #STDERR_FILENO        // stderr
        LOAD_ADDR x1, msg_usage           // usage: httpd [PORT [DOCROOT]]
        CALL    write_str                 // (the result is not needed)
        mov     w0, #-EINVAL              // main turns this into status 2
parse_args_return:
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // w0 = 0 or -EINVAL
ENDFUNC parse_args

// ---------------------------------------------------------------------------
// const char *reason_phrase(int status)
//   The reason phrase RFC 9110 §15 gives a status code; "" for a code the
//   table does not have (RFC 9112 §4 allows an empty reason-phrase).
//   in:  w0 = status
//   out: x0 = a NUL-terminated phrase (read-only, lives forever)
//   registers: x1 = entry, w2 = its code, w3 = byte.  Leaf.
// ---------------------------------------------------------------------------
FUNC reason_phrase
        LOAD_ADDR x1, reason_table        // x1 = the first entry
reason_phrase_entry:
        add     x1, x1, #1                // entries start at even addresses:
        and     x1, x1, #~1               // round up (align like .p2align 1)
        ldrh    w2, [x1], #2              // w2 = this entry's code; x1 = its phrase
        cbz     w2, reason_phrase_unknown // code 0: end of the table
        cmp     w2, w0                    // the code we look for?
        b.eq    reason_phrase_found       // yes: x1 points at its phrase
1:      ldrb    w3, [x1], #1              // skip the phrase ...
        cbnz    w3, 1b                    // ... and its NUL
        b       reason_phrase_entry       // x1 is past the NUL: next entry
reason_phrase_found:
        mov     x0, x1                    // the phrase
        ret                               // x0 = the phrase
reason_phrase_unknown:
        LOAD_ADDR x0, reason_unknown      // ""
        ret                               // x0 = ""
ENDFUNC reason_phrase

// ---------------------------------------------------------------------------
// char *copy_bytes(char *dst, const char *src, size_t n)
//   Copy n bytes; return dst + n (where the next bytes go).
//   in:  x0 = dst, x1 = src, x2 = n
//   out: x0 = dst + n
//   registers: w3 = byte.  Leaf.
// ---------------------------------------------------------------------------
FUNC copy_bytes
        cbz     x2, 2f                    // nothing to copy
1:      ldrb    w3, [x1], #1              // *dst++ = *src++
        strb    w3, [x0], #1              // (both pointers move on)
        subs    x2, x2, #1                // one fewer to go (sets Z at 0)
        b.ne    1b                        // n times
2:      ret                               // x0 has moved past the copy
ENDFUNC copy_bytes

// ---------------------------------------------------------------------------
// size_t head_add(char *out, size_t len, const char *name, const char *value)
//   Append "name: value\r\n" to the head out[0..len).  All or nothing: if
//   the line would leave fewer than 2 bytes of HEAD_MAX free (head_end's
//   CRLF), nothing is appended.
//   in:  x0 = out, x1 = len, x2 = name, x3 = value
//   out: x0 = the new length
//   registers: x19 = out, x20 = len, x21 = name, x22 = value,
//              x23 = name length, x24 = value length
//   stack: 64 bytes (fp, lr, x19..x24)
// ---------------------------------------------------------------------------
FUNC head_add
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        stp     x23, x24, [sp, #48]       // callee-saved: x23, x24
        mov     x19, x0                   // x19 = out
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = name
        mov     x22, x3                   // x22 = value
        mov     x0, x21                   // str_len(name)
        CALL    str_len                   // x0 = name's bytes (no NUL)
        mov     x23, x0                   // x23 = name length
        mov     x0, x22                   // str_len(value)
        CALL    str_len                   // x0 = value's bytes (no NUL)
        mov     x24, x0                   // x24 = value length
        // does it fit?  len + name + ": " + value + CRLF + CRLF (kept free)
        add     x9, x20, x23              // len + name
        add     x9, x9, x24               // + value
        add     x9, x9, #6                // ": ", this line's CRLF, head_end's CRLF
        cmp     x9, #HEAD_MAX             // does it fit in HEAD_MAX?
        b.hi    head_add_full             // no: leave the head as it is
        add     x0, x19, x20              // where the line goes
        mov     x1, x21                   // copy_bytes(end of head, name,
        mov     x2, x23                   // name length): x0 = just past it
        CALL    copy_bytes                // name
        mov     w9, #':'                  // then ": "
        strb    w9, [x0], #1              // ':'
        mov     w9, #CHAR_SP              // the space after the colon
        strb    w9, [x0], #1              // ' '
        mov     x1, x22                   // copy_bytes(x0, value,
        mov     x2, x24                   // value length)
        CALL    copy_bytes                // value
        mov     w9, #CHAR_CR              // the line ends with CRLF
        strb    w9, [x0], #1              // CR
        mov     w9, #CHAR_LF              // (HTTP wants both bytes)
        strb    w9, [x0], #1              // LF
        sub     x0, x0, x19               // the new length = end - out
        b       head_add_return           // x0 = the new length
head_add_full:
        mov     x0, x20                   // unchanged
head_add_return:
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #64       // ... fp, lr, and drop the frame
        ret                               // x0 = the new length
ENDFUNC head_add

// ---------------------------------------------------------------------------
// size_t head_add_u64(char *out, size_t len, const char *name, uint64_t value)
//   head_add with the value written in decimal (Content-Length).
//   in:  x0 = out, x1 = len, x2 = name, x3 = value
//   out: x0 = the new length
//   registers: x19 = out, x20 = len, x21 = name
//   stack: 64 bytes: fp, lr, x19..x21, then the digits and their NUL at
//          sp+40 .. sp+60 (format_u64 writes at most 20)
// ---------------------------------------------------------------------------
FUNC head_add_u64
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // callee-saved: x21
        mov     x19, x0                   // x19 = out
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = name
        mov     x0, x3                    // the number ...
        add     x1, sp, #40               // ... into 20 digits at sp+40
        CALL    format_u64                // x0 = how many digits (1..20)
        add     x1, sp, #40               // x1 = the digits again
        strb    wzr, [x1, x0]             // NUL after the digits: a C string
        mov     x0, x19                   // head_add(out, len, name, digits)
        mov     x1, x20                   // len
        mov     x2, x21                   // name
        add     x3, sp, #40               // value = the digits, now a C string
        CALL    head_add                  // x0 = the new length: ours too
        ldr     x21, [sp, #32]            // restore and return
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #64       // ... fp, lr, and drop the frame
        ret                               // x0 = the new length
ENDFUNC head_add_u64

// ---------------------------------------------------------------------------
// size_t head_start(char *out, int status)
//   "HTTP/1.1 <code> <reason>\r\nServer: metal-httpd\r\nConnection: close\r\n"
//   into out (HEAD_MAX bytes); the length.
//   in:  x0 = out, w1 = status
//   out: x0 = length
//   registers: x19 = out, x20 = status, x21 = write cursor,
//              x1 = read cursor in the reason phrase, w9 = byte
//   stack: 48 bytes (fp, lr, x19..x21, padding)
// ---------------------------------------------------------------------------
FUNC head_start
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // callee-saved: x21
        mov     x19, x0                   // x19 = out
        mov     w20, w1                   // x20 = status (upper half zeroed)
        // the status line: "HTTP/1.1 " code " " reason CRLF
        LOAD_ADDR x1, http_version        // copy_bytes(out, "HTTP/1.1 ", 9):
        mov     x2, #HTTP_VERSION_LEN     // (x0 = out already)
        CALL    copy_bytes                // "HTTP/1.1 "
        mov     x21, x0                   // x21 = cursor: just past it
        mov     x1, x0                    // format_u64(status, cursor):
        mov     x0, x20                   // the status in decimal, in place
        CALL    format_u64                // the code's digits
        add     x21, x21, x0              // cursor += digits written
        mov     w9, #CHAR_SP              // the space before the reason
        strb    w9, [x21], #1             // ' '
        mov     w0, w20                   // reason_phrase(status)
        CALL    reason_phrase             // x0 = "OK", "Not Found" ...
        mov     x1, x0                    // x1 = read cursor in the phrase
1:      ldrb    w9, [x1], #1              // copy it up to its NUL
        cbz     w9, 2f                    // the NUL ends it (not copied)
        strb    w9, [x21], #1             // into the head
        b       1b                        // next byte of the phrase
2:      mov     w9, #CHAR_CR              // the status line ends with CRLF
        strb    w9, [x21], #1             // CR
        mov     w9, #CHAR_LF              // (HTTP wants both bytes)
        strb    w9, [x21], #1             // LF
        // the two fields every response of ours has
        mov     x0, x19                   // head_add(out,
        sub     x1, x21, x19              // length so far
        LOAD_ADDR x2, field_server        // "Server",
        LOAD_ADDR x3, value_server        // "metal-httpd")
        CALL    head_add                  // Server: metal-httpd
        mov     x1, x0                    // head_add(out, new length,
        mov     x0, x19                   // (out again: x0 was the length)
        LOAD_ADDR x2, field_connection    // "Connection",
        LOAD_ADDR x3, value_close         // "close")
        CALL    head_add                  // Connection: close
        ldr     x21, [sp, #32]            // restore and return
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // x0 = the length (from head_add)
ENDFUNC head_start

// ---------------------------------------------------------------------------
// size_t head_start_body(char *out, int status, const char *type,
//                        uint64_t length)
//   head_start, then the two fields every response with a body has:
//   "Content-Type: type" and "Content-Length: length".  A HEAD response
//   gets them too: the same head as GET (RFC 9110 §9.3.2).
//   in:  x0 = out, w1 = status, x2 = type, x3 = length
//   out: x0 = the head's length so far (head_end comes next)
//   registers: x19 = out, x20 = type, x21 = length
//   stack: 48 bytes (fp, lr, x19..x21, padding)
// ---------------------------------------------------------------------------
FUNC head_start_body
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved: x19, x20
        str     x21, [sp, #32]            // callee-saved: x21 (sp+40: padding)
        mov     x19, x0                   // x19 = out (head_start returns a length in x0)
        mov     x20, x2                   // x20 = type
        mov     x21, x3                   // x21 = length
        CALL    head_start                // out, status still in x0, w1: status line, Server, Connection
        mov     x1, x0                    // head_add(out, len,
        mov     x0, x19                   //          (out again: x0 was the length)
        LOAD_ADDR x2, field_content_type  //          "Content-Type",
        mov     x3, x20                   //          type)
        CALL    head_add                  // Content-Type: <type>
        mov     x1, x0                    // head_add_u64(out, len,
        mov     x0, x19                   //              (out again)
        LOAD_ADDR x2, field_content_length //             "Content-Length",
        mov     x3, x21                   //              length: all 64 bits)
        CALL    head_add_u64              // Content-Length: <digits>; x0 = the new length
        ldr     x21, [sp, #32]            // restore x21 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // x0 = the head's length so far
ENDFUNC head_start_body

// ---------------------------------------------------------------------------
// size_t head_add_lines(char *out, size_t len, const char *lines, size_t n)
//   Append n bytes of ready-made field lines ("Allow: GET, HEAD\r\n" ...,
//   each ending in CRLF: a struct exchange's extra) to the head
//   out[0..len).  All or nothing like head_add: if they would leave fewer
//   than 2 bytes of HEAD_MAX free (head_end's CRLF), nothing is appended.
//   in:  x0 = out, x1 = len, x2 = lines, x3 = n
//   out: x0 = the new length
//   registers: x19 = out
//   stack: 32 bytes (fp, lr, x19, padding)
// ---------------------------------------------------------------------------
FUNC head_add_lines
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        mov     x19, x0                   // x19 = out
        // does it fit?  len + n + CRLF (kept free for head_end)
        add     x9, x1, x3                // len + n
        add     x9, x9, #2                // + head_end's CRLF
        cmp     x9, #HEAD_MAX             // does it fit in HEAD_MAX?
        b.hi    head_add_lines_full       // no: leave the head as it is
        add     x0, x19, x1               // copy_bytes(out + len,
        mov     x1, x2                    //            lines,
        mov     x2, x3                    //            n): x0 = just past them
        CALL    copy_bytes                // the lines, CRLFs and all
        sub     x0, x0, x19               // the new length = end - out
        b       head_add_lines_return     // x0 = the new length
head_add_lines_full:
        mov     x0, x1                    // unchanged
head_add_lines_return:
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // x0 = the new length
ENDFUNC head_add_lines

// ---------------------------------------------------------------------------
// size_t head_end(char *out, size_t len)
//   The empty line that ends the head: CRLF, if 2 bytes are free (head_add
//   keeps them free, so this always fits after the builders).
//   in:  x0 = out, x1 = len
//   out: x0 = the new length
//   registers: w2 = byte, x3 = end.  Leaf.
// ---------------------------------------------------------------------------
FUNC head_end
        add     x3, x1, #2                // the length after a CRLF
        cmp     x3, #HEAD_MAX             // more than the buffer?
        b.hi    head_end_full             // no room: unchanged
        add     x3, x0, x1                // where the CRLF goes
        mov     w2, #CHAR_CR              // out[len] = CR
        strb    w2, [x3]                  // (stores do not move x3)
        mov     w2, #CHAR_LF              // out[len + 1] = LF
        strb    w2, [x3, #1]              // the head is complete
        add     x0, x1, #2                // two bytes longer
        ret                               // x0 = the new length
head_end_full:
        mov     x0, x1                    // the length, unchanged
        ret                               // x0 = len
ENDFUNC head_end

// ---------------------------------------------------------------------------
// int64_t send_hello(int fd)
//   Lesson 01's only response: 200, text/plain, "hello from metal-httpd\n".
//   in:  w0 = fd
//   out: x0 = 0 or -errno
//   registers: x19 = fd (x20 is saved with it by the stp but not used;
//              the head's length only ever lives in x0..x2)
//   stack: 32 bytes (fp, lr, x19, x20) + HEAD_MAX for the head at sp
//   syscalls: write (write_all)
// ---------------------------------------------------------------------------
FUNC send_hello
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sub     sp, sp, #HEAD_MAX         // char head[HEAD_MAX]
        sxtw    x19, w0                   // x19 = fd
        mov     x0, sp                    // head_start_body(head,
        mov     w1, #200                  //                 200,
        LOAD_ADDR x2, text_plain          //                 text/plain,
        mov     x3, #HELLO_BODY_LEN       //                 23 = the body's bytes)
        CALL    head_start_body           // 200 OK, Server, Connection, Content-*
        mov     x1, x0                    // head_end(head, len)
        mov     x0, sp                    // (the head is at sp)
        CALL    head_end                  // the empty line
        mov     x2, x0                    // write_all(fd, head, len)
        mov     x0, x19                   // fd = the connection
        mov     x1, sp                    // buf = the head
        CALL    write_all                 // the head ...
        tbnz    x0, #63, send_hello_return // sign bit set: -errno, the client left
        mov     x0, x19                   // write_all(fd, body, 23)
        LOAD_ADDR x1, hello_body          // buf = the body
        mov     x2, #HELLO_BODY_LEN       // len = its bytes
        CALL    write_all                 // ... and the body
send_hello_return:
        add     sp, sp, #HEAD_MAX         // drop the head buffer
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // x0 = 0 or -errno (write_all's)
ENDFUNC send_hello

// ---------------------------------------------------------------------------
// int64_t open_listener(int port)
//   socket(AF_INET, SOCK_STREAM) + SO_REUSEADDR + bind 127.0.0.1:port +
//   listen.  port 0 lets the kernel choose (listening_port tells which).
//   in:  w0 = port
//   out: x0 = the listening fd, or -errno (the socket is closed then)
//   registers: x19 = port, x20 = fd, x21 = errno on failure
//   stack: 48 bytes (fp, lr, x19..x21, padding) + 16: struct sockaddr_in
//          at sp, and the int 1 for setsockopt reuses it before that
//   syscalls: socket, setsockopt, bind, listen, close
// ---------------------------------------------------------------------------
FUNC open_listener
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // callee-saved: x21
        sub     sp, sp, #SOCKADDR_IN_SIZE // struct sockaddr_in (16 bytes)
        and     x19, x0, #0xffff          // x19 = port (16 bits)

// -- open_listener_socket: socket(AF_INET, SOCK_STREAM, 0): a TCP endpoint,
// not yet anywhere
        mov     x0, #AF_INET              // IPv4
        mov     x1, #SOCK_STREAM          // a byte stream: TCP
        mov     x2, #0                    // protocol: the default (TCP)
        SYSCALL socket                    // x0 = fd, or carry set + errno
        b.cs    open_listener_failed_early // nothing to close yet
        mov     x20, x0                   // x20 = fd

// -- open_listener_reuse: setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, 4):
// rebind at once after a restart, even while old connections sit in TIME_WAIT
        mov     w9, #1                    // the option's value: on
        str     w9, [sp]                  // int one = 1 (a 4-byte int)
        mov     x0, x20                   // the socket
        mov     x1, #SOL_SOCKET           // 0xffff on Darwin, 1 on Linux
        mov     x2, #SO_REUSEADDR         // 4 on Darwin, 2 on Linux
        mov     x3, sp                    // &one
        mov     x4, #4                    // sizeof(int)
        SYSCALL setsockopt                // x0 = 0, or carry set + errno
        b.cs    open_listener_failed      // close the socket, report errno

// excerpt: bind
// -- open_listener_bind: the address: 127.0.0.1:port, everything in network
// byte order
        stp     xzr, xzr, [sp]            // zero all 16 bytes (sin_zero too)
        mov     w9, #SIN_FAMILY_HALF      // Darwin: len 16, family 2; Linux: family 2
        strh    w9, [sp]                  // bytes 0-1
        rev16   w9, w19                   // port, big-endian: swap its two bytes
        strh    w9, [sp, #SIN_PORT]       // bytes 2-3: sin_port
        movz    w9, #(INADDR_LOOPBACK >> 16), lsl #16  // 0x7f000001 ...
        movk    w9, #(INADDR_LOOPBACK & 0xffff) // + low half (one mov can't hold 32 bits)
        rev     w9, w9                    // ... big-endian: bytes 7f 00 00 01
        str     w9, [sp, #SIN_ADDR]       // bytes 4-7: sin_addr
        mov     x0, x20                   // bind(fd, &addr, 16)
        mov     x1, sp                    // &addr
        mov     x2, #SOCKADDR_IN_SIZE     // sizeof addr
        SYSCALL bind                      // x0 = 0, or carry set + errno
        b.cs    open_listener_failed      // EADDRINUSE: the port is taken
// excerpt end

// -- open_listener_listen: listen(fd, backlog): accept connections from now
// on
        mov     x0, x20                   // the bound socket
        mov     x1, #LISTEN_BACKLOG       // queue up to LISTEN_BACKLOG unaccepted clients
        SYSCALL listen                    // x0 = 0, or carry set + errno
        b.cs    open_listener_failed      // close the socket, report errno
        mov     x0, x20                   // the result: the fd
        b       open_listener_return      // skip the error paths

// a call failed after socket: x0 = errno; close the socket, return -errno
open_listener_failed:
        mov     x21, x0                   // keep errno: close overwrites x0
        mov     x0, x20                   // close(fd): don't leak it
        SYSCALL close                     // (its own failure: nothing to do)
        neg     x0, x21                   // the result: -errno of the failed call
        b       open_listener_return      // skip the early-failure path
open_listener_failed_early:
        neg     x0, x0                    // -errno
open_listener_return:
        add     sp, sp, #SOCKADDR_IN_SIZE // drop the address
        ldr     x21, [sp, #32]            // restore and return
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // x0 = fd or -errno
ENDFUNC open_listener

// ---------------------------------------------------------------------------
// int listening_port(int fd)
//   getsockname: the port the socket is bound to (the real one after
//   binding port 0).
//   in:  w0 = fd
//   out: w0 = port, or -errno
//   registers: none saved.  stack: 32 bytes: sockaddr_in at sp+0,
//              socklen_t (32 bits) at sp+16
//   syscalls: getsockname
// ---------------------------------------------------------------------------
FUNC listening_port
        sub     sp, sp, #32               // sockaddr_in + socklen_t, 16-aligned
        mov     w9, #SOCKADDR_IN_SIZE     // room for the whole sockaddr_in
        str     w9, [sp, #16]             // socklen_t len = 16 (in: room, out: used)
        sxtw    x0, w0                    // getsockname(fd,
        mov     x1, sp                    // &addr,
        add     x2, sp, #16               // &len)
        SYSCALL getsockname               // x0 = 0, or carry set + errno
        b.cs    listening_port_failed     // x0 = errno
        ldrh    w0, [sp, #SIN_PORT]       // network byte order ...
        rev16   w0, w0                    // ... back to a number
        b       listening_port_return     // w0 = the port
listening_port_failed:
        neg     w0, w0                    // -errno
listening_port_return:
        add     sp, sp, #32               // drop addr and len
        ret                               // w0 = port or -errno
ENDFUNC listening_port

// ---------------------------------------------------------------------------
// int64_t say_listening(int port)
//   "listening on http://127.0.0.1:PORT/\n" on stdout -- the line the
//   harness (and you) wait for.
//   in:  w0 = port
//   out: x0 = 0 or -errno
//   registers: x19 = port.  stack: 64 bytes: fp, lr, x19, digits at sp+32
//   syscalls: write
// ---------------------------------------------------------------------------
FUNC say_listening
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr; digits at sp+32
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved register we use
        sxtw    x19, w0                   // x19 = port (an int: sign-extend, as the C++ cast to uint64_t does)
        mov     w0, #1                    // stdout
        LOAD_ADDR x1, msg_listening       // the text before the port
        CALL    write_str                 // listening on http://127.0.0.1:
        tbnz    x0, #63, say_listening_return // -errno: stop, like the C++ twin
        mov     x0, x19                   // format_u64(port,
        add     x1, sp, #32               // digits): x0 = how many
        CALL    format_u64                // the port's digits
        mov     x2, x0                    // write_all(stdout, digits, n)
        mov     w0, #1                    // stdout
        add     x1, sp, #32               // the digits
        CALL    write_all                 // PORT
        tbnz    x0, #63, say_listening_return // -errno: stop here too
        mov     w0, #1                    // stdout
        LOAD_ADDR x1, msg_slash_nl        // the end of the URL, and the newline
        CALL    write_str                 // /\n
say_listening_return:
        ldr     x19, [sp, #16]            // restore and return
        ldp     x29, x30, [sp], #64       // fp, lr, and drop the frame
        ret                               // x0 = 0, or the first write's -errno
ENDFUNC say_listening

// ---------------------------------------------------------------------------
// int64_t say_errno(int64_t err)
//   The end of an error line on stderr: ": errno N\n" for err = -N (the
//   number: the numbers differ between the kernels, and a table of names
//   is more than these messages need).  say_listen_error and lesson 06's
//   say_docroot_error end their lines with it.
//   in:  x0 = err (negative)
//   out: x0 = what the last write returned: 0 or -errno
//   registers: x19 = errno (positive).  stack: 48 bytes: fp, lr, x19,
//              padding, the digits at sp+24 (20 at most)
//   syscalls: write
// ---------------------------------------------------------------------------
FUNC say_errno
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr; digits at sp+24
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved register we use
        neg     x19, x0                   // x19 = errno (positive)
        mov     w0, #STDERR_FILENO        // stderr
        LOAD_ADDR x1, msg_errno           // ": errno "
        CALL    write_str                 // (the result is not needed)
        mov     x0, x19                   // format_u64(errno,
        add     x1, sp, #24               //     digits): x0 = how many
        CALL    format_u64                // the errno in decimal
        mov     x2, x0                    // write_all(stderr, digits, n)
        mov     w0, #STDERR_FILENO        // stderr
        add     x1, sp, #24               // the digits
        CALL    write_all                 // N
        mov     w0, #STDERR_FILENO        // stderr
        LOAD_ADDR x1, msg_nl              // end the line
        CALL    write_str                 // \n: x0 = its answer
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // x0 = the last write's answer
ENDFUNC say_errno

// ---------------------------------------------------------------------------
// int64_t say_listen_error(int port, int64_t err)
//   On stderr: "httpd: cannot listen on 127.0.0.1:PORT: address already in
//   use" for -EADDRINUSE, or ": errno N" for any other -errno.
//   in:  w0 = port, x1 = err (negative)
//   out: x0 = 0 or -errno
//   registers: x19 = port, x20 = errno.  stack: 64 bytes: fp, lr, x19,
//              x20, digits at sp+32
//   syscalls: write
// ---------------------------------------------------------------------------
FUNC say_listen_error
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr; digits at sp+32
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sxtw    x19, w0                   // x19 = port (an int: sign-extend, as the C++ cast to uint64_t does)
        neg     x20, x1                   // x20 = errno (positive)
        mov     w0, #STDERR_FILENO        // stderr
        LOAD_ADDR x1, msg_cannot_listen   // httpd: cannot listen on 127.0.0.1:
        CALL    write_str                 // (the result is not needed)
        mov     x0, x19                   // format_u64(port,
        add     x1, sp, #32               // digits): x0 = how many
        CALL    format_u64                // the port in decimal
        mov     x2, x0                    // write_all(stderr, digits, n)
        mov     w0, #STDERR_FILENO        // stderr
        add     x1, sp, #32               // the digits
        CALL    write_all                 // PORT
        cmp     x20, #EADDRINUSE          // 48 on Darwin, 98 on Linux
        b.ne    say_listen_error_errno    // another error: show its number
        mov     w0, #STDERR_FILENO        // stderr
        LOAD_ADDR x1, msg_in_use          // the common case, in words
        CALL    write_str                 // : address already in use
        b       say_listen_error_return   // x0 = write_str's answer
say_listen_error_errno:
        neg     x0, x20                   // say_errno(-errno)
        CALL    say_errno                 // : errno N\n (the numbers differ between kernels)
say_listen_error_return:
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #64       // fp, lr, and drop the frame
        ret                               // x0 = the last write's answer
ENDFUNC say_listen_error

// ---------------------------------------------------------------------------
// int64_t accept_client(int listener)
//   The next connection: accept(listener, NULL, NULL), retried when a
//   signal interrupted the wait (EINTR).
//   in:  w0 = listener
//   out: x0 = the connection's fd, or -errno (the caller just tries again:
//        ECONNABORTED -- a client that gave up while queued -- and
//        EMFILE are not reasons to stop serving)
//   registers: x19 = listener.  stack: 32 bytes (fp, lr, x19)
//   syscalls: accept
// ---------------------------------------------------------------------------
FUNC accept_client
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved register we use
        sxtw    x19, w0                   // x19 = listener
accept_client_again:
        mov     x0, x19                   // accept(listener,
        mov     x1, #0                    // we don't need the peer's address
        mov     x2, #0                    // ... nor its length
        SYSCALL accept                    // waits for a client
        b.cc    accept_client_return      // the new fd
        cmp     x0, #EINTR                // a signal arrived while waiting:
        b.eq    accept_client_again       // wait again
        neg     x0, x0                    // -errno
accept_client_return:
        ldr     x19, [sp, #16]            // restore and return
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // x0 = conn or -errno
ENDFUNC accept_client

// ---------------------------------------------------------------------------
// int64_t ignore_signal(int sig)
//   sigaction(sig, {SIG_IGN}, NULL).  Lesson 01 ignores SIGPIPE (a write
//   to a client that left fails with EPIPE instead of killing us); lesson
//   02 ignores SIGCHLD (the kernel reaps our children).  With SIG_IGN the
//   kernel never runs a handler, so Darwin's sa_tramp stays 0.
//   in:  w0 = sig
//   out: x0 = 0 or -errno
//   registers: none saved.  stack: 32 bytes: the struct sigaction
//              (24 bytes on Darwin, 32 on Linux; zeroed: no mask, no flags)
//   syscalls: sigaction (Darwin) / rt_sigaction (Linux)
// ---------------------------------------------------------------------------
FUNC ignore_signal
        sub     sp, sp, #32               // room for either layout
        stp     xzr, xzr, [sp]            // zero it all
        stp     xzr, xzr, [sp, #16]       // bytes 16..31: every field starts at 0
        mov     x9, #SIG_IGN              // 1 = "ignore" (0 would be the default)
        str     x9, [sp, #SIGACT_HANDLER] // handler = SIG_IGN
        sxtw    x0, w0                    // the signal
        mov     x1, sp                    // the new action
        mov     x2, #0                    // we don't want the old one
        SIGACTION                         // Linux: also x3 = sigset size
        b.cs    ignore_signal_failed      // x0 = errno
        mov     x0, #0                    // 0 = done
        b       ignore_signal_return      // skip the error path
ignore_signal_failed:
        neg     x0, x0                    // -errno
ignore_signal_return:
        add     sp, sp, #32               // drop the struct
        ret                               // x0 = 0 or -errno
ENDFUNC ignore_signal

// ---------------------------------------------------------------------------
// void start_exchange(struct exchange *x, int sock, const struct config *cfg)
//   Set up the record for a new connection: the socket, the
//   configuration, status 200, no file (-1), nothing read (read_len 0,
//   linger 0), no extra field lines, no body sent.  The buffers (extra, path, buf) and the request record are
//   left as they are: every step writes before it reads.  "No file"
//   forgets what x->file_fd held and never closes it: on a fresh record
//   it is stack garbage, and the spine closes the file after every
//   exchange (the C++ does the same).
//   in:  x0 = x, w1 = sock, x2 = cfg
//   registers: x9 = scratch (a value to store).  Leaf: no stack, no calls.
// ---------------------------------------------------------------------------
FUNC start_exchange
        sxtw    x9, w1                    // sock is an int: sign-extend it to the 64-bit slot
        stp     x9, x2, [x0, #X_SOCK]     // x->sock = sock, x->cfg = cfg (X_CFG follows X_SOCK)
        mov     x9, #200                  // OK until a step decides otherwise
        stp     x9, xzr, [x0, #X_STATUS]  // x->status = 200, x->head_len = 0
        stp     xzr, xzr, [x0, #X_READ_LEN] // x->read_len = 0 (nothing in x->buf yet), x->linger = 0
        mov     x9, #-1                   // no file open yet
        stp     xzr, x9, [x0, #X_PATH_LEN] // x->path_len = 0, x->file_fd = -1
        stp     xzr, xzr, [x0, #X_FILE_MODE] // x->file_mode = 0, x->file_size = 0
        stp     xzr, xzr, [x0, #X_TYPE]   // x->type = NULL, x->body_first = 0
        stp     xzr, xzr, [x0, #X_BODY_LEN] // x->body_len = 0, x->extra_len = 0
        stp     xzr, xzr, [x0, #X_BODY_DEADLINE] // x->body_deadline = 0: none (lesson 10 sets one for a PUT), x->body_sent = 0
        ret                               // void
ENDFUNC start_exchange

// ---------------------------------------------------------------------------
// int add_extra(struct exchange *x, const char *name, const char *value)
//   Append "name: value\r\n" to x->extra, the field lines the head of this
//   exchange's response will carry (Allow for a 405 ...).  x->extra holds
//   EXTRA_MAX = HEAD_MAX bytes, head_add's own limit, so head_add does the
//   work and keeps its all-or-nothing rule.
//   in:  x0 = x, x1 = name, x2 = value
//   out: w0 = 0, or -1 when the line did not fit (left out)
//   registers: x19 = x, x20 = x->extra_len before the call
//   stack: 32 bytes (fp, lr, x19, x20)
// ---------------------------------------------------------------------------
FUNC add_extra
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = x
        ldr     x20, [x19, #X_EXTRA_LEN]  // x20 = the lines' length so far
        mov     x3, x2                    // head_add(x->extra, extra_len,
        mov     x2, x1                    //          name,
        add     x0, x19, #X_EXTRA         //          value): the arguments
        mov     x1, x20                   //          move up one register
        CALL    head_add                  // x0 = the new length (unchanged: no room)
        cmp     x0, x20                   // did the line go in?
        b.eq    add_extra_full            // no: head_add left it out
        str     x0, [x19, #X_EXTRA_LEN]   // x->extra_len = the new length
        mov     w0, #0                    // 0 = added
        b       add_extra_return          // skip the failure
add_extra_full:
        mov     w0, #-1                   // -1 = did not fit
add_extra_return:
        ldp     x19, x20, [sp, #16]       // restore x19, x20 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = 0 or -1
ENDFUNC add_extra

// ---------------------------------------------------------------------------
// int step_read_once(struct exchange *x)
//   Lessons 01-02: one read into x->buf, whatever arrives (at most
//   HELLO_READ_MAX bytes: the request is not looked at).
//   in:  x0 = x
//   out: w0 = STEP_NEXT when some bytes came; STEP_DONE when the client
//        sent nothing and closed, or the read failed: nobody to answer
//   registers: x9 = x.  Leaf: no stack, no calls.
//   syscalls: read
// ---------------------------------------------------------------------------
FUNC step_read_once
        mov     x9, x0                    // x9 = x: the syscall needs x0
        ldrsw   x0, [x9, #X_SOCK]         // read(x->sock (as an int),
        mov     x1, #X_BUF                //      x->buf (X_BUF is past add's
        add     x1, x9, x1                //      12-bit immediate: via x1),
        mov     x2, #HELLO_READ_MAX       //      HELLO_READ_MAX)
        SYSCALL read                      // x0 = bytes read, or carry + errno
        b.cs    step_read_once_done       // the read failed: the client is gone
        cbz     x0, step_read_once_done   // 0 bytes: the client left
        mov     w0, #STEP_NEXT            // something came: answer it
        ret                               // w0 = STEP_NEXT
step_read_once_done:
        mov     w0, #STEP_DONE            // nobody to answer
        ret                               // w0 = STEP_DONE
ENDFUNC step_read_once

// ---------------------------------------------------------------------------
// int step_hello(struct exchange *x)
//   Lessons 01-02: send_hello(x->sock).  Its failure means the client
//   left: either way nothing is left to do.
//   in:  x0 = x
//   out: w0 = STEP_DONE
//   registers: none saved.  stack: 16 bytes (fp, lr)
//   syscalls: write (send_hello)
// ---------------------------------------------------------------------------
FUNC step_hello
        stp     x29, x30, [sp, #-16]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        ldrsw   x0, [x0, #X_SOCK]         // send_hello(x->sock, as an int)
        CALL    send_hello                // the fixed 200 response
        mov     w0, #STEP_DONE            // answered (or the client is gone)
        ldp     x29, x30, [sp], #16       // fp, lr, and drop the frame
        ret                               // w0 = STEP_DONE
ENDFUNC step_hello
