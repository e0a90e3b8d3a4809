// asm/03-parse.s -- lesson 03: reading and parsing the request head
// (RFC 9112 §2-§5, RFC 9110 §5, §9).
//
// C++ twin: cpp/03-parse.cpp (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/03-parse/README.md.
//
// The spine's handle_connection (asm/httpd.s) calls the stage in order:
//     read_request_head  -> bytes up to and including the empty line
//     parse_request      -> a struct request (asm/records.inc, REQ_*) whose
//                           slices point into buf, or an HTTP status
//     send_error / send_echo
//
// Error convention of this lesson: the parse functions return 0 ("go on")
// or a positive HTTP status (400 405 414 431 501 505) -- never the carry
// flag; read_request_head returns a length, 0, or -status; the send
// functions return 0 or -errno.  Raw system calls (only `read` here)
// keep the kernel's convention: carry set = failed, x0 = errno.

        .include "os.inc"
        .include "records.inc"

        .equ CHAR_HT, 9                   // horizontal tab
        .equ CHAR_LF, 10                  // line feed: ends every line
        .equ CHAR_CR, 13                  // carriage return: only right before LF
        .equ CHAR_SP, 32                  // space
        .equ CHAR_DEL, 0x7f               // the one control byte above SP

        RODATA
// tchar symbols (RFC 9110 §5.6.2); letters and digits are checked apart
tchar_symbols:
        .asciz  "!#$%&'*+-.^_`|~"
// Host value symbols (RFC 3986 §3.2.2: unreserved, sub-delims, '%' of
// pct-encoded, ':' before the port, '[' ']' around an IPv6 literal)
host_symbols:
        .asciz  "-._~!$&'()*+,;=%:[]"
// Method names, 8 bytes each, padded with NULs, in METHOD_* order:
// entry i has method id i + 1.  Loaded with one `ldr x`, an entry is the
// little-endian number whose low bytes are the name (see parse_method).
        .p2align 3
method_names:
        .ascii  "GET\0\0\0\0\0"
        .ascii  "HEAD\0\0\0\0"
        .ascii  "POST\0\0\0\0"
        .ascii  "PUT\0\0\0\0\0"
        .ascii  "DELETE\0\0"
        .ascii  "PATCH\0\0\0"
        .ascii  "OPTIONS\0"
        .ascii  "CONNECT\0"
        .ascii  "TRACE\0\0\0"             // the last one: METHOD_TRACE
scheme_http:
        .ascii  "http://"                 // compared case-insensitively
scheme_https:
        .ascii  "https://"
slash_path:
        .ascii  "/"                       // the path of "http://host" (no path)
name_host:
        .ascii  "Host"                    // field name; compared case-insensitively
name_host_lower:
        .ascii  "host"                    // the echo looks it up in lower case on purpose
// the echo body's labels (format: lessons/03-parse/README.md)
label_method:
        .ascii  "method: "
        .equ    LABEL_METHOD_LEN, . - label_method
label_target:
        .ascii  "target: "
        .equ    LABEL_TARGET_LEN, . - label_target
label_path:
        .ascii  "path: "
        .equ    LABEL_PATH_LEN, . - label_path
label_query:
        .ascii  "query: "
        .equ    LABEL_QUERY_LEN, . - label_query
label_version:
        .ascii  "version: "
        .equ    LABEL_VERSION_LEN, . - label_version
label_host:
        .ascii  "host: "
        .equ    LABEL_HOST_LEN, . - label_host
label_header:
        .ascii  "header: "
        .equ    LABEL_HEADER_LEN, . - label_header
colon_space:
        .ascii  ": "
versions:
        .ascii  "HTTP/1.0HTTP/1.1"        // 8 bytes each: versions + 8 * minor
space:
        .ascii  " "
newline:
        .ascii  "\n"
// response header names and values (C strings: the head builder wants NULs)
field_content_type:
        .asciz  "Content-Type"
value_text_plain:
        .asciz  "text/plain; charset=utf-8"
field_content_length:
        .asciz  "Content-Length"
field_allow:
        .asciz  "Allow"
value_allow:
        .asciz  "GET, HEAD"               // lesson 09 adds to this list

// ---------------------------------------------------------------------------
// int64_t read_request_head(int fd, char *buf, size_t cap)
//   Read until the empty line that ends the head, however the bytes arrive
//   (one byte per read works), at most min(cap, REQ_HEAD_MAX) bytes.
//   A line ends at LF; a line with nothing (or only a CR) before its LF is
//   the empty line.  Only the new bytes of each read are scanned.
//   in:  x0 = fd, x1 = buf, x2 = cap
//   out: x0 = head length incl. the empty line (a body may follow in buf);
//        0 = closed (or failed) before the first byte; -400 = closed in
//        the middle; -414 = limit reached in the request line; -431 =
//        limit reached in the header fields
//   registers: x19 = fd, x20 = buf, x21 = limit, x22 = bytes in buf,
//              x23 = next byte to scan, x24 = start of the current line
//   stack: 64 bytes (fp, lr, x19..x24)
//   syscalls: read
// ---------------------------------------------------------------------------
FUNC read_request_head
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        sxtw    x19, w0                   // x19 = fd (an int: sign-extend it)
        mov     x20, x1                   // x20 = buf
        // limit = min(cap, REQ_HEAD_MAX)
        mov     x0, #REQ_HEAD_MAX
        cmp     x2, x0
        csel    x21, x2, x0, lo           // x21 = the smaller of the two
        mov     x22, #0                   // nothing read yet
        mov     x23, #0                   // nothing scanned yet
        mov     x24, #0                   // the first line starts at 0

// read_more: if the buffer is full without an empty line, the head is too long
read_request_head_read:
        cmp     x22, x21
        b.eq    read_request_head_full
        mov     x0, x19                   // read(fd,
        add     x1, x20, x22              //      buf + got,
        sub     x2, x21, x22              //      limit - got)
        SYSCALL read
        b.cs    read_request_head_failed  // carry set: x0 = errno
        cbz     x0, read_request_head_closed // 0 bytes: the client closed
        add     x22, x22, x0              // got += n

// scan the new bytes for LF
read_request_head_scan:
        cmp     x23, x22
        b.hs    read_request_head_read    // all scanned: read more
        ldrb    w0, [x20, x23]            // w0 = buf[scan]
        cmp     w0, #CHAR_LF
        b.ne    read_request_head_next
        // a line ended: is it empty (nothing, or only a CR, before the LF)?
        sub     x1, x23, x24              // x1 = line length incl. a CR
        cbz     x1, read_request_head_found
        cmp     x1, #1
        b.ne    read_request_head_newline
        ldrb    w2, [x20, x24]            // the line's only byte
        cmp     w2, #CHAR_CR
        b.eq    read_request_head_found   // CR LF: the empty line
read_request_head_newline:
        add     x24, x23, #1              // the next line starts after this LF
read_request_head_next:
        add     x23, x23, #1              // scan++
        b       read_request_head_scan

// found: the head ends right after this LF
read_request_head_found:
        add     x0, x23, #1               // length = LF position + 1
        b       read_request_head_return

// failed: EINTR means a signal arrived -- just read again; anything else
// is treated like a close
read_request_head_failed:
        cmp     x0, #EINTR
        b.eq    read_request_head_read
read_request_head_closed:
        mov     x0, #0                    // nothing was sent: 0 (no response)
        cbz     x22, read_request_head_return
        mov     x0, #-400                 // closed in the middle of the head
        b       read_request_head_return

// full: still in the first line -> 414, else 431
read_request_head_full:
        mov     x0, #-414                 // no LF yet: the request line is too long
        cbz     x24, read_request_head_return
        mov     x0, #-431                 // the header fields are too large

read_request_head_return:
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret
ENDFUNC read_request_head

// ---------------------------------------------------------------------------
// size_t find_byte(const char *p, size_t len, int c)
//   The index of the first byte equal to c, or len if there is none (the
//   assembly's std::string_view::find; the C++ uses that directly).
//   in:  x0 = p, x1 = len, w2 = c
//   out: x0 = index (len = not found)
//   registers: x3 = index, w4 = byte.  Leaf, no stack.
// ---------------------------------------------------------------------------
FUNC find_byte
        and     w2, w2, #0xff             // compare as a byte
        mov     x3, #0                    // i = 0
1:      cmp     x3, x1                    // while (i < len)
        b.hs    2f
        ldrb    w4, [x0, x3]              //   w4 = p[i]
        cmp     w4, w2
        b.eq    2f                        //   found
        add     x3, x3, #1                //   i++
        b       1b
2:      mov     x0, x3                    // i (len when not found)
        ret
ENDFUNC find_byte

// ---------------------------------------------------------------------------
// int char_in_class(int c, const char *symbols)
//   1 if c is an ASCII letter, a digit, or one of the NUL-terminated
//   symbols; else 0.
//   in:  w0 = c, x1 = symbols
//   out: w0 = 1 or 0
//   registers: w2 = scratch / symbol.  Leaf, no stack.
// ---------------------------------------------------------------------------
FUNC char_in_class
        // if ('0' <= c && c <= '9') return 1  -- one unsigned compare does both
        sub     w2, w0, #'0'
        cmp     w2, #9
        b.ls    char_in_class_yes
        // if ('a' <= (c | 0x20) <= 'z') return 1  -- upper and lower case
        // ASCII letters differ only in bit 5 (0x20)
        orr     w2, w0, #0x20
        sub     w2, w2, #'a'
        cmp     w2, #25
        b.ls    char_in_class_yes
        // look for c among the symbols
char_in_class_scan:
        ldrb    w2, [x1], #1              // next symbol
        cbz     w2, char_in_class_no      // the NUL: not there
        cmp     w2, w0
        b.eq    char_in_class_yes
        b       char_in_class_scan
char_in_class_no:
        mov     w0, #0
        ret
char_in_class_yes:
        mov     w0, #1
        ret
ENDFUNC char_in_class

// ---------------------------------------------------------------------------
// int is_tchar(int c)       -- RFC 9110 §5.6.2 token character
// int is_host_char(int c)   -- may appear in a Host value (RFC 3986 §3.2.2)
//   in:  w0 = c;  out: w0 = 1 or 0
//   Tail calls: char_in_class's result is ours.
// ---------------------------------------------------------------------------
FUNC is_tchar
        LOAD_ADDR x1, tchar_symbols       // the symbols a token may contain
        JUMP    char_in_class             // tail call
ENDFUNC is_tchar

FUNC is_host_char
        LOAD_ADDR x1, host_symbols        // the symbols a Host value may contain
        JUMP    char_in_class             // tail call
ENDFUNC is_host_char

// ---------------------------------------------------------------------------
// int header_name_equals(const char *a, size_t alen, const char *b, size_t blen)
//   ASCII case-insensitive equality (field names, RFC 9110 §5.1).
//   in:  x0 = a, x1 = alen, x2 = b, x3 = blen
//   out: w0 = 1 or 0
//   registers: x1 = bytes left, w4/w5 = bytes of a/b, w6 = scratch.  Leaf.
// ---------------------------------------------------------------------------
FUNC header_name_equals
        cmp     x1, x3                    // different lengths: not equal
        b.ne    header_name_equals_no
header_name_equals_loop:
        cbz     x1, header_name_equals_yes // every byte matched
        ldrb    w4, [x0], #1              // w4 = *a++
        ldrb    w5, [x2], #1              // w5 = *b++
        // fold 'A'..'Z' to lower case (branch-free: csel picks the folded
        // byte only when c - 'A' < 26); other bytes stay as they are
        sub     w6, w4, #'A'
        cmp     w6, #26
        orr     w6, w4, #0x20             // orr does not touch the flags
        csel    w4, w6, w4, lo
        sub     w6, w5, #'A'
        cmp     w6, #26
        orr     w6, w5, #0x20
        csel    w5, w6, w5, lo
        cmp     w4, w5
        b.ne    header_name_equals_no
        sub     x1, x1, #1                // one byte fewer to compare
        b       header_name_equals_loop
header_name_equals_no:
        mov     w0, #0
        ret
header_name_equals_yes:
        mov     w0, #1
        ret
ENDFUNC header_name_equals

// ---------------------------------------------------------------------------
// int parse_method(const char *p, size_t len, struct request *req)
//   The method token: non-empty, every byte a tchar, else 400.  Stores the
//   slice, the METHOD_* id (case-sensitive: "get" is METHOD_OTHER) and the
//   HEAD flag.
//   Identifying it: a name of at most 8 bytes is packed into one 64-bit
//   register, byte i at bits 8i..8i+7 -- exactly what `ldr x` reads from
//   a NUL-padded 8-byte table entry -- so each table entry costs one load
//   and one compare.
//   in:  x0 = p, x1 = len, x2 = req
//   out: x0 = 0 or 400
//   registers: x19 = p, x20 = len, x21 = req, x22 = index
//   stack: 48 bytes (fp, lr, x19..x22)
// ---------------------------------------------------------------------------
FUNC parse_method
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        mov     x19, x0                   // x19 = p
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = req
        // an empty method (the line starts with SP) is malformed
        cbz     x20, parse_method_bad
        // every byte must be a tchar
        mov     x22, #0                   // i = 0
parse_method_check:
        ldrb    w0, [x19, x22]            // p[i]
        CALL    is_tchar
        cbz     w0, parse_method_bad      // not a token character: 400
        add     x22, x22, #1
        cmp     x22, x20
        b.lo    parse_method_check
        // req->method = the slice
        stp     x19, x20, [x21, #REQ_METHOD_PTR] // REQ_METHOD_LEN follows PTR
        // id = METHOD_OTHER unless the name is in the table
        mov     x4, #METHOD_OTHER
        cmp     x20, #8
        b.hi    parse_method_store        // longer than any entry
        // pack: x3 = p[0] | p[1] << 8 | ... | p[len-1] << 8*(len-1)
        mov     x3, #0
        mov     x5, #0                    // i = 0
parse_method_pack:
        ldrb    w6, [x19, x5]             // p[i]
        lsl     x7, x5, #3                // 8 * i
        lsl     x6, x6, x7                // p[i] << 8*i
        orr     x3, x3, x6
        add     x5, x5, #1
        cmp     x5, x20
        b.lo    parse_method_pack
        // compare with each table entry
        LOAD_ADDR x6, method_names
        mov     x5, #0                    // entry index
parse_method_lookup:
        ldr     x7, [x6, x5, lsl #3]      // entry i (8 bytes)
        add     x5, x5, #1                // its id is i + 1
        cmp     x7, x3
        b.eq    parse_method_found
        cmp     x5, #METHOD_TRACE         // ids run 1 .. METHOD_TRACE
        b.lo    parse_method_lookup
        b       parse_method_store        // not found: METHOD_OTHER
parse_method_found:
        mov     x4, x5                    // id = i + 1
parse_method_store:
        str     x4, [x21, #REQ_METHOD_ID]
        cmp     x4, #METHOD_HEAD          // HEAD: no body in the response
        cset    x5, eq
        str     x5, [x21, #REQ_IS_HEAD]
        mov     x0, #0                    // a valid method
        b       parse_method_return
parse_method_bad:
        mov     x0, #400
parse_method_return:
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret
ENDFUNC parse_method

// ---------------------------------------------------------------------------
// int parse_version(const char *p, size_t len, struct request *req)
//   Exactly "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3), case-sensitive, else
//   400.  Well-formed but not 1.0 or 1.1: 505.  Stores the minor version.
//   in:  x0 = p, x1 = len, x2 = req
//   out: x0 = 0, 400 or 505
//   registers: w3 = major digit, w4 = scratch, w5 = minor digit.  Leaf.
// ---------------------------------------------------------------------------
FUNC parse_version
        cmp     x1, #8                    // "HTTP/1.1" is 8 bytes, no more, no less
        b.ne    parse_version_bad
        // "HTTP" in one 32-bit load: little-endian, so 'H' is the low byte
        ldr     w3, [x0]                  // (AArch64 allows unaligned loads)
        movz    w4, #(('T' << 8) | 'H')   // w4 = 'H' | 'T' << 8 |
        movk    w4, #(('P' << 8) | 'T'), lsl #16 //      'T' << 16 | 'P' << 24
        cmp     w3, w4
        b.ne    parse_version_bad         // "http/1.1" fails here: case matters
        ldrb    w4, [x0, #4]
        cmp     w4, #'/'
        b.ne    parse_version_bad
        ldrb    w3, [x0, #5]              // the major digit
        sub     w3, w3, #'0'
        cmp     w3, #9                    // unsigned: also catches bytes below '0'
        b.hi    parse_version_bad
        ldrb    w4, [x0, #6]
        cmp     w4, #'.'
        b.ne    parse_version_bad
        ldrb    w5, [x0, #7]              // the minor digit
        sub     w5, w5, #'0'
        cmp     w5, #9
        b.hi    parse_version_bad
        // well-formed: only 1.0 and 1.1 are served
        cmp     w3, #1
        b.ne    parse_version_unsupported
        cmp     w5, #1
        b.hi    parse_version_unsupported
        str     x5, [x2, #REQ_VERSION_MINOR] // writing w5 zeroed the top half of x5
        mov     x0, #0
        ret
parse_version_unsupported:
        mov     x0, #505                  // HTTP Version Not Supported
        ret
parse_version_bad:
        mov     x0, #400
        ret
ENDFUNC parse_version

// ---------------------------------------------------------------------------
// void split_path_query(const char *p, size_t len, struct request *req)
//   path = up to the first '?', query = after it (empty slice, pointer 0,
//   when there is no '?').
//   in:  x0 = p, x1 = len, x2 = req
//   registers: x19 = p, x20 = len, x21 = req
//   stack: 48 bytes (fp, lr, x19..x21, padding)
// ---------------------------------------------------------------------------
FUNC split_path_query
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]
        mov     x19, x0                   // x19 = p
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = req
        mov     w2, #'?'
        CALL    find_byte                 // x0 = index of '?', or len
        stp     x19, x0, [x21, #REQ_PATH_PTR] // path = p[0 .. q)
        cmp     x0, x20
        b.eq    split_path_query_none     // no '?'
        add     x1, x19, x0
        add     x1, x1, #1                // query starts after the '?'
        sub     x2, x20, x0
        sub     x2, x2, #1                // and runs to the end
        stp     x1, x2, [x21, #REQ_QUERY_PTR]
        b       split_path_query_return
split_path_query_none:
        stp     xzr, xzr, [x21, #REQ_QUERY_PTR] // no query
split_path_query_return:
        ldr     x21, [sp, #32]            // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret
ENDFUNC split_path_query

// ---------------------------------------------------------------------------
// int parse_target(const char *p, size_t len, struct request *req)
//   RFC 9112 §3.2.  Longer than REQ_TARGET_MAX: 414.  Then
//     "/..."             origin-form: path and query
//     "*"                asterisk-form, only with OPTIONS (path "*")
//     "http://" or "https://" (any case)  absolute-form: the authority
//                        (non-empty, no '@' userinfo) ends at '/', '?' or
//                        the end; the path after it, "/" when there is none
//     anything else      authority-form, only with CONNECT (no path)
//   otherwise 400.  Needs req->method_id (parse_method ran first).
//   in:  x0 = p, x1 = len, x2 = req
//   out: x0 = 0, 400 or 414
//   registers: x19 = p, x20 = len, x21 = req, x22 = scheme length,
//              x23 = after the scheme / after the authority, x24 = bytes left
//   stack: 64 bytes (fp, lr, x19..x24)
// ---------------------------------------------------------------------------
FUNC parse_target
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        mov     x19, x0                   // x19 = p
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = req
        stp     x19, x20, [x21, #REQ_TARGET_PTR] // the target as sent
        // if (len > REQ_TARGET_MAX) return 414
        mov     x0, #REQ_TARGET_MAX
        cmp     x20, x0
        b.hi    parse_target_too_long
        cbz     x20, parse_target_bad     // (parse_request_line never passes 0)

// origin-form: "/path?query"
        ldrb    w0, [x19]                 // the first byte decides the form
        cmp     w0, #'/'
        b.ne    parse_target_asterisk
        mov     x0, x19
        mov     x1, x20
        mov     x2, x21
        CALL    split_path_query
        b       parse_target_ok

// asterisk-form: "*" -- only OPTIONS asks about the server as a whole
parse_target_asterisk:
        cmp     x20, #1
        b.ne    parse_target_absolute
        cmp     w0, #'*'
        b.ne    parse_target_absolute
        ldr     x1, [x21, #REQ_METHOD_ID]
        cmp     x1, #METHOD_OPTIONS
        b.ne    parse_target_bad          // GET * and friends: 400
        stp     x19, x20, [x21, #REQ_PATH_PTR] // path = "*"
        stp     xzr, xzr, [x21, #REQ_QUERY_PTR] // no query
        b       parse_target_ok

// absolute-form: "http://" or "https://", compared without case
parse_target_absolute:
        mov     x22, #7                   // length of "http://"
        cmp     x20, x22
        b.lo    parse_target_authority    // too short for any scheme
        mov     x0, x19
        mov     x1, x22
        LOAD_ADDR x2, scheme_http
        mov     x3, x22
        CALL    header_name_equals        // the same case-insensitive compare
        cbnz    w0, parse_target_host
        mov     x22, #8                   // length of "https://"
        cmp     x20, x22
        b.lo    parse_target_authority
        mov     x0, x19
        mov     x1, x22
        LOAD_ADDR x2, scheme_https
        mov     x3, x22
        CALL    header_name_equals
        cbnz    w0, parse_target_host

// authority-form: "host:port" -- only CONNECT uses it
parse_target_authority:
        ldr     x1, [x21, #REQ_METHOD_ID]
        cmp     x1, #METHOD_CONNECT
        b.ne    parse_target_bad          // anything else: 400
        stp     xzr, xzr, [x21, #REQ_PATH_PTR] // no path
        stp     xzr, xzr, [x21, #REQ_QUERY_PTR] // no query
        b       parse_target_ok

// the authority: up to '/', '?' or the end; empty or with '@' is bad
parse_target_host:
        add     x23, x19, x22             // x23 = first byte after the scheme
        sub     x24, x20, x22             // x24 = bytes after the scheme
        mov     x1, #0                    // i = 0
parse_target_host_loop:
        cmp     x1, x24
        b.hs    parse_target_host_end     // the end of the target
        ldrb    w2, [x23, x1]
        cmp     w2, #'/'
        b.eq    parse_target_host_end
        cmp     w2, #'?'
        b.eq    parse_target_host_end
        cmp     w2, #'@'
        b.eq    parse_target_bad          // userinfo (RFC 9110 §4.2.4): 400
        add     x1, x1, #1
        b       parse_target_host_loop
parse_target_host_end:
        cbz     x1, parse_target_bad      // "http:///x": no host (RFC 9110 §4.2.1)
        add     x23, x23, x1              // x23 = after the authority
        sub     x24, x24, x1              // x24 = bytes left
        // the rest: nothing, "?query", or "/path?query"
        cbz     x24, parse_target_root
        ldrb    w2, [x23]
        cmp     w2, #'?'
        b.eq    parse_target_root
        mov     x0, x23
        mov     x1, x24
        mov     x2, x21
        CALL    split_path_query
        b       parse_target_ok
parse_target_root:
        LOAD_ADDR x0, slash_path          // no path: "/"
        mov     x1, #1
        stp     x0, x1, [x21, #REQ_PATH_PTR]
        stp     xzr, xzr, [x21, #REQ_QUERY_PTR] // no query ...
        cbz     x24, parse_target_ok
        add     x0, x23, #1               // ... unless "?query" follows
        sub     x1, x24, #1
        stp     x0, x1, [x21, #REQ_QUERY_PTR]

parse_target_ok:
        mov     x0, #0
        b       parse_target_return
parse_target_too_long:
        mov     x0, #414                  // URI Too Long
        b       parse_target_return
parse_target_bad:
        mov     x0, #400
parse_target_return:
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret
ENDFUNC parse_target

// ---------------------------------------------------------------------------
// int parse_request_line(const char *line, size_t len, struct request *req)
//   `method SP request-target SP HTTP-version` (RFC 9112 §3), the line
//   without its CRLF/LF.  The method first (so the HEAD flag is set even
//   if the rest is wrong), then: no control bytes, exactly one SP between
//   the parts, the version, the target.
//   in:  x0 = line, x1 = len, x2 = req
//   out: x0 = 0, 400, 414 or 505
//   registers: x19 = line, x20 = len, x21 = req, x22 = index of the first
//              SP, x23 = target length (the second SP is at x22 + 1 + x23)
//   stack: 64 bytes (fp, lr, x19..x23, padding)
// ---------------------------------------------------------------------------
FUNC parse_request_line
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        str     x23, [sp, #48]
        mov     x19, x0                   // x19 = line
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = req
        // the method: up to the first SP (or the whole line)
        mov     w2, #CHAR_SP
        CALL    find_byte
        mov     x22, x0                   // x22 = first SP (len if none)
        mov     x0, x19
        mov     x1, x22
        mov     x2, x21
        CALL    parse_method
        cbnz    x0, parse_request_line_return // 400: not a token
        cmp     x22, x20
        b.eq    parse_request_line_bad    // a method and nothing else
        // no control bytes anywhere: 0x00-0x1f (NUL, CR, HT ...) or DEL
        mov     x1, #0
1:      ldrb    w2, [x19, x1]
        cmp     w2, #CHAR_SP
        b.lo    parse_request_line_bad
        cmp     w2, #CHAR_DEL
        b.eq    parse_request_line_bad
        add     x1, x1, #1
        cmp     x1, x20
        b.lo    1b                        // (the line has at least the method and a SP)
        // the target: from after the first SP to the next SP
        add     x0, x19, x22
        add     x0, x0, #1                // target start
        sub     x1, x20, x22
        sub     x1, x1, #1                // bytes after the first SP
        mov     w2, #CHAR_SP
        CALL    find_byte
        mov     x23, x0                   // x23 = target length
        cbz     x23, parse_request_line_bad // two SPs in a row: no target
        sub     x1, x20, x22
        sub     x1, x1, #1
        cmp     x23, x1
        b.eq    parse_request_line_bad    // no second SP: no version
        // the version: everything after the second SP (a third SP makes it
        // longer than 8 bytes, and parse_version says 400)
        add     x0, x19, x22
        add     x0, x0, x23
        add     x0, x0, #2                // line + sp1 + 1 + target_len + 1
        sub     x1, x20, x22
        sub     x1, x1, x23
        sub     x1, x1, #2                // the rest of the line
        mov     x2, x21
        CALL    parse_version
        cbnz    x0, parse_request_line_return // 400 or 505
        // and finally the target's form
        add     x0, x19, x22
        add     x0, x0, #1
        mov     x1, x23
        mov     x2, x21
        CALL    parse_target              // 0, 400 or 414
        b       parse_request_line_return
parse_request_line_bad:
        mov     x0, #400
parse_request_line_return:
        ldr     x23, [sp, #48]            // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret
ENDFUNC parse_request_line

// ---------------------------------------------------------------------------
// int parse_header_line(const char *line, size_t len, struct request *req)
//   `field-name ":" OWS field-value OWS` (RFC 9112 §5).  400 for: a line
//   starting with SP/HT (obs-fold, §5.2), no colon, an empty name, a
//   non-tchar in the name (a space before the colon, §5.1), a control
//   byte other than HT in the value (RFC 9110 §5.5).  431 when
//   REQ_MAX_HEADERS fields are already stored.  Appends {name, value}
//   with the whitespace around the value dropped.
//   in:  x0 = line, x1 = len, x2 = req
//   out: x0 = 0, 400 or 431
//   registers: x19 = line, x20 = len, x21 = req, x22 = colon index,
//              x23 = value start, x24 = value end
//   stack: 64 bytes (fp, lr, x19..x24)
// ---------------------------------------------------------------------------
FUNC parse_header_line
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        mov     x19, x0                   // x19 = line
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = req
        // obs-fold: a line that starts with SP or HT continues the last one
        cbz     x20, parse_header_line_bad
        ldrb    w0, [x19]
        cmp     w0, #CHAR_SP
        b.eq    parse_header_line_bad
        cmp     w0, #CHAR_HT
        b.eq    parse_header_line_bad
        // the colon; the name before it must not be empty
        mov     x0, x19
        mov     x1, x20
        mov     w2, #':'
        CALL    find_byte
        mov     x22, x0                   // x22 = colon index
        cmp     x22, x20
        b.eq    parse_header_line_bad     // no colon at all
        cbz     x22, parse_header_line_bad // ": value": no name
        // every byte of the name is a tchar ("Host :" fails on the SP)
        mov     x23, #0
parse_header_line_name:
        ldrb    w0, [x19, x23]
        CALL    is_tchar
        cbz     w0, parse_header_line_bad
        add     x23, x23, #1
        cmp     x23, x22
        b.lo    parse_header_line_name
        // the value: no control bytes except HT
        add     x23, x22, #1              // x23 = value start (after the colon)
        mov     x1, x23
1:      cmp     x1, x20
        b.hs    parse_header_line_trim
        ldrb    w2, [x19, x1]
        add     x1, x1, #1
        cmp     w2, #CHAR_HT
        b.eq    1b                        // HT is allowed
        cmp     w2, #CHAR_SP
        b.lo    parse_header_line_bad     // NUL, CR, other C0 bytes
        cmp     w2, #CHAR_DEL
        b.eq    parse_header_line_bad
        b       1b
        // drop SP/HT at the front ...
parse_header_line_trim:
        mov     x24, x20                  // x24 = value end
parse_header_line_trim_front:
        cmp     x23, x24
        b.hs    parse_header_line_store
        ldrb    w2, [x19, x23]
        cmp     w2, #CHAR_SP
        b.eq    parse_header_line_skip_front
        cmp     w2, #CHAR_HT
        b.ne    parse_header_line_trim_back
parse_header_line_skip_front:
        add     x23, x23, #1
        b       parse_header_line_trim_front
        // ... and at the back
parse_header_line_trim_back:
        sub     x2, x24, #1
        ldrb    w2, [x19, x2]             // the last byte (x24 > x23 here)
        cmp     w2, #CHAR_SP
        b.eq    parse_header_line_skip_back
        cmp     w2, #CHAR_HT
        b.ne    parse_header_line_store
parse_header_line_skip_back:
        sub     x24, x24, #1
        cmp     x24, x23
        b.hi    parse_header_line_trim_back
        // store it -- if there is room
parse_header_line_store:
        ldr     x0, [x21, #REQ_HEADER_COUNT]
        cmp     x0, #REQ_MAX_HEADERS
        b.hs    parse_header_line_too_many
        mov     x2, #HDR_SIZE
        add     x1, x21, #REQ_HEADERS
        madd    x1, x0, x2, x1            // &req->headers[count]
        stp     x19, x22, [x1, #HDR_NAME_PTR] // name = line[0 .. colon)
        add     x2, x19, x23
        sub     x3, x24, x23
        stp     x2, x3, [x1, #HDR_VALUE_PTR] // value = line[start .. end)
        add     x0, x0, #1
        str     x0, [x21, #REQ_HEADER_COUNT] // count++
        mov     x0, #0
        b       parse_header_line_return
parse_header_line_too_many:
        mov     x0, #431                  // Request Header Fields Too Large
        b       parse_header_line_return
parse_header_line_bad:
        mov     x0, #400
parse_header_line_return:
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret
ENDFUNC parse_header_line

// ---------------------------------------------------------------------------
// const struct header_field *find_header(const struct request *req,
//                                        const char *name, size_t name_len)
//   The first field whose name matches without regard to case, or NULL.
//   in:  x0 = req, x1 = name, x2 = name_len
//   out: x0 = pointer to the field, or 0
//   registers: x19 = req, x20 = name, x21 = name_len, x22 = index,
//              x23 = current field
//   stack: 64 bytes (fp, lr, x19..x23, padding)
// ---------------------------------------------------------------------------
FUNC find_header
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        str     x23, [sp, #48]
        mov     x19, x0                   // x19 = req
        mov     x20, x1                   // x20 = name
        mov     x21, x2                   // x21 = name_len
        mov     x22, #0                   // i = 0
        add     x23, x19, #REQ_HEADERS    // x23 = &headers[0]
find_header_loop:
        ldr     x0, [x19, #REQ_HEADER_COUNT]
        cmp     x22, x0
        b.hs    find_header_none          // looked at them all
        ldp     x0, x1, [x23, #HDR_NAME_PTR] // this field's name
        mov     x2, x20
        mov     x3, x21
        CALL    header_name_equals
        cbnz    w0, find_header_found
        add     x22, x22, #1              // next field
        add     x23, x23, #HDR_SIZE
        b       find_header_loop
find_header_found:
        mov     x0, x23
        b       find_header_return
find_header_none:
        mov     x0, #0                    // NULL
find_header_return:
        ldr     x23, [sp, #48]            // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret
ENDFUNC find_header

// ---------------------------------------------------------------------------
// int check_host(const struct request *req)
//   RFC 9112 §3.2: two Host fields -> 400; a Host value with a byte that
//   cannot be in uri-host[:port] -> 400; no Host in HTTP/1.1 -> 400;
//   HTTP/1.0 without Host is fine.
//   in:  x0 = req
//   out: x0 = 0 or 400
//   registers: x19 = req, x20 = index / value cursor, x21 = current field
//              / bytes left, x22 = the Host field found (0 = none yet)
//   stack: 48 bytes (fp, lr, x19..x22)
// ---------------------------------------------------------------------------
FUNC check_host
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        mov     x19, x0                   // x19 = req
        mov     x20, #0                   // i = 0
        add     x21, x19, #REQ_HEADERS    // x21 = &headers[0]
        mov     x22, #0                   // no Host seen
        // count the Host fields (there must not be two)
check_host_loop:
        ldr     x0, [x19, #REQ_HEADER_COUNT]
        cmp     x20, x0
        b.hs    check_host_counted
        ldp     x0, x1, [x21, #HDR_NAME_PTR]
        LOAD_ADDR x2, name_host
        mov     x3, #4
        CALL    header_name_equals
        cbz     w0, check_host_next
        cbnz    x22, check_host_bad       // a second Host: 400
        mov     x22, x21                  // remember the first
check_host_next:
        add     x20, x20, #1
        add     x21, x21, #HDR_SIZE
        b       check_host_loop
check_host_counted:
        cbnz    x22, check_host_value
        // no Host: required from HTTP/1.1 on
        ldr     x0, [x19, #REQ_VERSION_MINOR]
        cmp     x0, #1
        b.eq    check_host_bad
        b       check_host_ok
        // every byte of the value must be a host character
check_host_value:
        ldp     x20, x21, [x22, #HDR_VALUE_PTR] // x20 = cursor, x21 = bytes left
check_host_value_loop:
        cbz     x21, check_host_ok
        ldrb    w0, [x20], #1
        CALL    is_host_char
        cbz     w0, check_host_bad
        sub     x21, x21, #1
        b       check_host_value_loop
check_host_ok:
        mov     x0, #0
        b       check_host_return
check_host_bad:
        mov     x0, #400
check_host_return:
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret
ENDFUNC check_host

// ---------------------------------------------------------------------------
// int parse_request(const char *buf, size_t len, struct request *req)
//   The whole head as read_request_head returned it: the request line,
//   the field lines up to the empty line, then Host, then the method:
//   GET/HEAD -> 0, another known method -> 405, any other token -> 501.
//   A line ends at LF; one CR right before the LF belongs to the line end
//   (CRLF); any other CR is a control byte and the line parser says 400.
//   req is filled as far as parsing got (the HEAD flag early).
//   in:  x0 = buf, x1 = len, x2 = req
//   out: x0 = 0 or 400, 405, 414, 431, 501, 505
//   registers: x19 = start of the current line, x20 = bytes left,
//              x21 = req, x22 = line number (0 = request line),
//              x23 = line length without CRLF/LF, x24 = index of the LF
//   stack: 64 bytes (fp, lr, x19..x24)
// ---------------------------------------------------------------------------
FUNC parse_request
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        mov     x19, x0                   // x19 = buf
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = req
        // clear the fixed fields (headers[] needs no clearing: header_count
        // says how many are valid)
        mov     x0, #0
1:      add     x1, x21, x0
        stp     xzr, xzr, [x1]            // 16 bytes at a time
        add     x0, x0, #16
        cmp     x0, #REQ_HEADERS
        b.lo    1b
        mov     x22, #0                   // line 0 is the request line

// the next line: up to LF
parse_request_next_line:
        mov     x0, x19
        mov     x1, x20
        mov     w2, #CHAR_LF
        CALL    find_byte
        cmp     x0, x20
        b.eq    parse_request_bad         // no LF left: not a whole head
        mov     x24, x0                   // x24 = LF index
        mov     x23, x0                   // x23 = line length ...
        cbz     x23, parse_request_dispatch
        sub     x1, x23, #1
        ldrb    w1, [x19, x1]             // ... minus a CR right before the LF
        cmp     w1, #CHAR_CR
        b.ne    parse_request_dispatch
        sub     x23, x23, #1
parse_request_dispatch:
        cbnz    x22, parse_request_field
        // line 0: the request line (it must not be empty)
        cbz     x23, parse_request_bad
        mov     x0, x19
        mov     x1, x23
        mov     x2, x21
        CALL    parse_request_line
        cbnz    x0, parse_request_return  // its status is ours
        b       parse_request_advance
        // a field line, or the empty line that ends the head
parse_request_field:
        cbz     x23, parse_request_end_of_head
        mov     x0, x19
        mov     x1, x23
        mov     x2, x21
        CALL    parse_header_line
        cbnz    x0, parse_request_return  // 400 or 431
parse_request_advance:
        add     x24, x24, #1              // skip the line and its LF
        add     x19, x19, x24
        sub     x20, x20, x24
        add     x22, x22, #1              // line number + 1
        b       parse_request_next_line

// the head is complete: Host, then the method
parse_request_end_of_head:
        mov     x0, x21
        CALL    check_host
        cbnz    x0, parse_request_return  // 400
        ldr     x1, [x21, #REQ_METHOD_ID]
        mov     x0, #0
        cmp     x1, #METHOD_GET           // served
        b.eq    parse_request_return
        cmp     x1, #METHOD_HEAD          // served
        b.eq    parse_request_return
        mov     x0, #501                  // a token we do not know: Not Implemented
        cmp     x1, #METHOD_OTHER
        b.eq    parse_request_return
        mov     x0, #405                  // a method we know but do not serve
        b       parse_request_return
parse_request_bad:
        mov     x0, #400
parse_request_return:
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret
ENDFUNC parse_request

// ---------------------------------------------------------------------------
// size_t text_append(char *out, size_t pos, size_t cap, const char *src, size_t n)
//   Copy src[0 .. n) to out[pos ...], never past out[cap - 1]; the new pos.
//   in:  x0 = out, x1 = pos, x2 = cap, x3 = src, x4 = n
//   out: x0 = new pos
//   registers: w5 = byte.  Leaf.
// ---------------------------------------------------------------------------
FUNC text_append
1:      cbz     x4, 2f                    // copied everything
        cmp     x1, x2
        b.hs    2f                        // full: drop the rest, never overflow
        ldrb    w5, [x3], #1              // *src++
        strb    w5, [x0, x1]              // out[pos]
        add     x1, x1, #1                // pos++
        sub     x4, x4, #1
        b       1b
2:      mov     x0, x1                    // the new pos
        ret
ENDFUNC text_append

// ---------------------------------------------------------------------------
// size_t echo_line(char *out, size_t pos, size_t cap, const char *label,
//                  size_t label_len, const char *value, size_t value_len)
//   "<label><value>\n" appended; the new pos.
//   in:  x0 = out, x1 = pos, x2 = cap, x3/x4 = label, x5/x6 = value
//   out: x0 = new pos
//   registers: x19 = out, x20 = cap, x21 = value, x22 = value_len
//   stack: 48 bytes (fp, lr, x19..x22)
// ---------------------------------------------------------------------------
FUNC echo_line
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        mov     x19, x0                   // x19 = out
        mov     x20, x2                   // x20 = cap
        mov     x21, x5                   // x21 = value
        mov     x22, x6                   // x22 = value_len
        CALL    text_append               // the label: x0..x4 are already its arguments
        mov     x1, x0                    // the value
        mov     x0, x19
        mov     x2, x20
        mov     x3, x21
        mov     x4, x22
        CALL    text_append
        mov     x1, x0                    // the newline
        mov     x0, x19
        mov     x2, x20
        LOAD_ADDR x3, newline
        mov     x4, #1
        CALL    text_append
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret
ENDFUNC echo_line

// ECHO_FIELD text, count, field -- inside echo_body only:
//   pos = echo_line(out, pos, cap, text, count, req->field (ptr, len))
        .macro ECHO_FIELD text, count, field
        mov     x0, x20                   // out
        mov     x1, x22                   // pos
        mov     x2, x21                   // cap
        LOAD_ADDR x3, \text
        mov     x4, #\count
        ldp     x5, x6, [x19, #\field]    // the slice: pointer, length
        CALL    echo_line
        mov     x22, x0                   // the new pos
        .endm

// ---------------------------------------------------------------------------
// size_t echo_body(const struct request *req, char *out, size_t cap)
//   The lesson-03 body: method, target, path, query, version, host (looked
//   up as "host", when there is one), then "header: Name: value" for each
//   field, each line ending in "\n".  Returns its length (at most cap).
//   in:  x0 = req, x1 = out, x2 = cap
//   out: x0 = length
//   registers: x19 = req, x20 = out, x21 = cap, x22 = pos, x23 = index,
//              x24 = current field
//   stack: 64 bytes (fp, lr, x19..x24)
// ---------------------------------------------------------------------------
FUNC echo_body
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        mov     x19, x0                   // x19 = req
        mov     x20, x1                   // x20 = out
        mov     x21, x2                   // x21 = cap
        mov     x22, #0                   // pos = 0
        ECHO_FIELD label_method, LABEL_METHOD_LEN, REQ_METHOD_PTR
        ECHO_FIELD label_target, LABEL_TARGET_LEN, REQ_TARGET_PTR
        ECHO_FIELD label_path, LABEL_PATH_LEN, REQ_PATH_PTR
        ECHO_FIELD label_query, LABEL_QUERY_LEN, REQ_QUERY_PTR
        // version: "HTTP/1.0" or "HTTP/1.1", 8 bytes each in `versions`
        mov     x0, x20
        mov     x1, x22
        mov     x2, x21
        LOAD_ADDR x3, label_version
        mov     x4, #LABEL_VERSION_LEN
        ldr     x6, [x19, #REQ_VERSION_MINOR]
        LOAD_ADDR x5, versions
        add     x5, x5, x6, lsl #3        // versions + 8 * minor
        mov     x6, #8
        CALL    echo_line
        mov     x22, x0
        // host: looked up in lower case -- the lookup ignores case
        mov     x0, x19
        LOAD_ADDR x1, name_host_lower
        mov     x2, #4
        CALL    find_header
        cbz     x0, echo_body_fields      // no Host (HTTP/1.0): no line
        ldp     x5, x6, [x0, #HDR_VALUE_PTR]
        mov     x0, x20
        mov     x1, x22
        mov     x2, x21
        LOAD_ADDR x3, label_host
        mov     x4, #LABEL_HOST_LEN
        CALL    echo_line
        mov     x22, x0
        // every field, names as sent: "header: Name: value\n"
echo_body_fields:
        mov     x23, #0                   // i = 0
        add     x24, x19, #REQ_HEADERS    // x24 = &headers[0]
echo_body_field:
        ldr     x0, [x19, #REQ_HEADER_COUNT]
        cmp     x23, x0
        b.hs    echo_body_done
        mov     x0, x20                   // "header: "
        mov     x1, x22
        mov     x2, x21
        LOAD_ADDR x3, label_header
        mov     x4, #LABEL_HEADER_LEN
        CALL    text_append
        mov     x1, x0                    // the name
        mov     x0, x20
        mov     x2, x21
        ldp     x3, x4, [x24, #HDR_NAME_PTR]
        CALL    text_append
        mov     x1, x0                    // ": "
        mov     x0, x20
        mov     x2, x21
        LOAD_ADDR x3, colon_space
        mov     x4, #2
        CALL    text_append
        mov     x1, x0                    // the value and "\n" (an empty label)
        mov     x0, x20
        mov     x2, x21
        mov     x3, x20
        mov     x4, #0
        ldp     x5, x6, [x24, #HDR_VALUE_PTR]
        CALL    echo_line
        mov     x22, x0
        add     x23, x23, #1              // next field
        add     x24, x24, #HDR_SIZE
        b       echo_body_field
echo_body_done:
        mov     x0, x22                   // the length
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret
ENDFUNC echo_body

// ---------------------------------------------------------------------------
// int64_t send_error(int fd, int status, int is_head)
//   A whole error response: head_start (status line, Server, Connection),
//   Content-Type text/plain, Content-Length, `Allow: GET, HEAD` for 405,
//   the empty line; then the body "<code> <reason>\n" unless is_head
//   (RFC 9110 §9.3.2: the same head as GET, no body).
//   in:  w0 = fd, w1 = status, w2 = is_head
//   out: x0 = 0 or -errno
//   registers: x19 = fd, x20 = status, x21 = is_head, x22 = body length,
//              x23 = head length
//   stack: 64 bytes (fp, lr, x19..x23, padding) + locals: body at sp
//          (ERROR_BODY_MAX bytes), head at sp + ERROR_BODY_MAX (HEAD_MAX)
//   syscalls: write (write_all)
// ---------------------------------------------------------------------------
        .equ    ERROR_BODY_MAX, 64        // "431 Request Header Fields Too Large\n" is 36
        .equ    SEND_ERROR_LOCALS, (ERROR_BODY_MAX + HEAD_MAX + 15) & ~15
FUNC send_error
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        str     x23, [sp, #48]
        sub     sp, sp, #SEND_ERROR_LOCALS // the two buffers
        sxtw    x19, w0                   // x19 = fd
        mov     w20, w1                   // x20 = status (writing w20 zeroes the top)
        mov     w21, w2                   // x21 = is_head
        // the body: "<code> <reason>\n"
        mov     x0, x20
        mov     x1, sp
        CALL    format_u64                // the code's digits at body[0]
        mov     x1, x0
        mov     x0, sp
        mov     x2, #ERROR_BODY_MAX
        LOAD_ADDR x3, space
        mov     x4, #1
        CALL    text_append               // " "
        mov     x22, x0
        mov     w0, w20
        CALL    reason_phrase             // x0 = "Bad Request" ...
        mov     x23, x0
        CALL    str_len                   // ... and its length
        mov     x6, x0
        mov     x5, x23
        mov     x0, sp
        mov     x1, x22
        mov     x2, #ERROR_BODY_MAX
        mov     x3, sp                    // an empty label
        mov     x4, #0
        CALL    echo_line                 // reason and "\n"
        mov     x22, x0                   // x22 = body length
        // the head
        add     x0, sp, #ERROR_BODY_MAX
        mov     w1, w20
        CALL    head_start
        mov     x1, x0
        add     x0, sp, #ERROR_BODY_MAX
        LOAD_ADDR x2, field_content_type
        LOAD_ADDR x3, value_text_plain
        CALL    head_add
        mov     x1, x0
        add     x0, sp, #ERROR_BODY_MAX
        LOAD_ADDR x2, field_content_length
        mov     x3, x22
        CALL    head_add_u64
        mov     x23, x0                   // x23 = head length so far
        // 405 must say which methods are allowed (RFC 9110 §15.5.6)
        cmp     w20, #405
        b.ne    send_error_end_head
        add     x0, sp, #ERROR_BODY_MAX
        mov     x1, x23
        LOAD_ADDR x2, field_allow
        LOAD_ADDR x3, value_allow
        CALL    head_add
        mov     x23, x0
send_error_end_head:
        add     x0, sp, #ERROR_BODY_MAX
        mov     x1, x23
        CALL    head_end                  // the empty line
        mov     x2, x0
        mov     x0, x19
        add     x1, sp, #ERROR_BODY_MAX
        CALL    write_all                 // send the head
        tbnz    x0, #63, send_error_return // negative: -errno
        cbnz    w21, send_error_return    // HEAD: no body (x0 is 0)
        mov     x0, x19
        mov     x1, sp
        mov     x2, x22
        CALL    write_all                 // send the body
send_error_return:
        add     sp, sp, #SEND_ERROR_LOCALS // drop the buffers
        ldr     x23, [sp, #48]            // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret
ENDFUNC send_error

// ---------------------------------------------------------------------------
// int64_t send_echo(int fd, const struct request *req)
//   The lesson-03 200 response: Content-Type text/plain, Content-Length,
//   then echo_body -- no body for HEAD.
//   in:  w0 = fd, x1 = req
//   out: x0 = 0 or -errno
//   registers: x19 = fd, x20 = req, x21 = body length, x22 = head buffer
//   stack: 48 bytes (fp, lr, x19..x22) + locals: body at sp (ECHO_MAX),
//          head at sp + ECHO_MAX (HEAD_MAX)
//   syscalls: write (write_all)
// ---------------------------------------------------------------------------
FUNC send_echo
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        sub     sp, sp, #HEAD_MAX         // the head buffer ...
        sub     sp, sp, #ECHO_MAX         // ... and the body buffer below it
        sxtw    x19, w0                   // x19 = fd
        mov     x20, x1                   // x20 = req
        add     x22, sp, #ECHO_MAX        // x22 = head buffer
        // the body first: its length goes into the head
        mov     x0, x20
        mov     x1, sp
        mov     x2, #ECHO_MAX
        CALL    echo_body
        mov     x21, x0                   // x21 = body length
        // the head
        mov     x0, x22
        mov     w1, #200
        CALL    head_start
        mov     x1, x0
        mov     x0, x22
        LOAD_ADDR x2, field_content_type
        LOAD_ADDR x3, value_text_plain
        CALL    head_add
        mov     x1, x0
        mov     x0, x22
        LOAD_ADDR x2, field_content_length
        mov     x3, x21
        CALL    head_add_u64
        mov     x1, x0
        mov     x0, x22
        CALL    head_end
        mov     x2, x0
        mov     x0, x19
        mov     x1, x22
        CALL    write_all                 // send the head
        tbnz    x0, #63, send_echo_return // negative: -errno
        ldr     x1, [x20, #REQ_IS_HEAD]
        cbnz    x1, send_echo_return      // HEAD: no body (x0 is 0)
        mov     x0, x19
        mov     x1, sp
        mov     x2, x21
        CALL    write_all                 // send the body
send_echo_return:
        add     sp, sp, #ECHO_MAX         // drop the buffers
        add     sp, sp, #HEAD_MAX
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48
        ret
ENDFUNC send_echo
