// asm/03-parse.s -- lesson 03: reading and parsing the request head
// (RFC 9112 §2-§5, RFC 9110 §5, §9).
//
// C++ twin: cpp/03-parse.cpp (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/03-parse/README.md.
//
// The stage's steps, in the order of the spine's list (asm/httpd.s); each
// works on the connection's struct exchange (asm/records.inc, EXCHANGE):
//     step_read_head     read_request_head: the bytes up to and including
//                        the empty line, into x->buf
//     step_parse_head    parse_request: a struct request (records.inc,
//                        REQ_*) whose slices point into x->buf, or an
//                        HTTP status (400 414 431 505)
//     step_check_framing parse_framing: how the body is framed
//                        (Content-Length / Transfer-Encoding), or 400 /
//                        501; whether unread body bytes may follow
//                        (x->linger)
//     step_check_method  method_status: GET and HEAD go on; 405 (with
//                        Allow) or 501
//     step_echo          lesson 03 only: the 200 echo of the request
// and answer_error, which the spine calls when a step stops with a status
// (send_error with the exchange's extra field lines), and linger_close,
// which it calls after the answer (the lingering close: unread request
// bytes must not turn our close into a reset that destroys the response).
//
// Error convention of this lesson: the parse functions and method_status
// return 0 ("go on") or a positive HTTP status -- never the carry flag;
// read_request_head returns a length, 0, or -status, and
// parse_content_length a value or -400; the send functions return 0 or
// -errno; the steps STEP_NEXT, STEP_DONE or a status.  Raw system calls
// (`read` and `shutdown` here) keep the kernel's convention: carry set =
// failed, x0 = errno.

        .include "os.inc"
        .include "records.inc"
        .include "methods.inc"            // METHOD_GET = 1 ..., METHOD_LAST, METHOD_NAMES (from methods.tsv)

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
// The lines come from lessons/03-parse/methods.tsv (build/gen/methods.inc).
        .p2align 3                        // 8-byte entries, 8-byte aligned: one ldr x each
method_names:
        METHOD_NAMES                      // "GET\0\0\0\0\0" "HEAD\0\0\0\0" ... up to METHOD_LAST
scheme_http:
        .ascii  "http://"                 // compared case-insensitively
scheme_https:
        .ascii  "https://"                // likewise
slash_path:
        .ascii  "/"                       // the path of "http://host" (no path)
name_host:
        .ascii  "Host"                    // field name; compared case-insensitively
        .equ    NAME_HOST_LEN, . - name_host
name_host_lower:
        .ascii  "host"                    // the echo looks it up in lower case on purpose
// the framing fields and the one transfer coding we know (compared
// case-insensitively)
name_content_length:
        .ascii  "Content-Length"
        .equ    NAME_CONTENT_LENGTH_LEN, . - name_content_length
name_transfer_encoding:
        .ascii  "Transfer-Encoding"
        .equ    NAME_TRANSFER_ENCODING_LEN, . - name_transfer_encoding
name_chunked:
        .ascii  "chunked"
        .equ    NAME_CHUNKED_LEN, . - name_chunked
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
// the Allow field step_check_method adds to a 405 (C strings: add_extra
// hands them to the head builder, which wants NULs)
field_allow:
        .asciz  "Allow"
value_allow:
        .asciz  "GET, HEAD"               // lesson 09 adds to this list

// ---------------------------------------------------------------------------
// int64_t read_request_head(int fd, char *buf, size_t cap, uint64_t *got)
//   Read until the empty line that ends the head, however the bytes arrive
//   (one byte per read works), at most min(cap, REQ_HEAD_MAX) bytes.
//   A line ends at LF; a line with nothing (or only a CR) before its LF is
//   an empty line.  Up to REQ_LEADING_EMPTY_MAX empty lines before the
//   request line are skipped (RFC 9112 §2.2); any other empty line ends
//   the head (one too many leading ones too: parse_request says 400).
//   Only the new bytes of each read are scanned.  On entry *got = the
//   bytes already in buf (0 for a fresh buffer; lesson 10 reads part of a
//   head first): they are scanned before anything is read.
//   in:  x0 = fd, x1 = buf, x2 = cap, x3 = got
//   out: x0 = head length incl. the empty line (a body may follow in buf);
//        0 = closed (or failed) before the first byte; -400 = closed in
//        the middle; -414 = limit reached in the request line; -431 =
//        limit reached in the header fields.  *got = the bytes in buf,
//        on every way out.
//   registers: x19 = fd, x20 = buf, x21 = limit, x22 = bytes in buf (got),
//              x23 = next byte to scan, x24 = start of the current line,
//              x25 = got (where to store x22), x26 = start of the request
//              line (after the skipped empty lines), x27 = empty lines
//              skipped
//   stack: 96 bytes (fp, lr, x19..x27, padding)
//   syscalls: read
// ---------------------------------------------------------------------------
FUNC read_request_head
        stp     x29, x30, [sp, #-96]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame (the chain debuggers walk)
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        stp     x25, x26, [sp, #64]
        str     x27, [sp, #80]            // (sp + 88: padding, keeps sp 16-aligned)
        sxtw    x19, w0                   // x19 = fd (an int: sign-extend it)
        mov     x20, x1                   // x20 = buf
        mov     x25, x3                   // x25 = got: stored on the way out
        // limit = min(cap, REQ_HEAD_MAX)
        mov     x0, #REQ_HEAD_MAX         // x0 = the lesson's limit (8192)
        cmp     x2, x0                    // is cap the smaller one?
        csel    x21, x2, x0, lo           // x21 = the smaller of the two
        ldr     x22, [x3]                 // the bytes already in buf (usually 0)
        mov     x23, #0                   // nothing scanned yet
        mov     x24, #0                   // the first line starts at 0
        mov     x26, #0                   // ... and so does the request line, so far
        mov     x27, #0                   // no empty line skipped yet
        b       read_request_head_scan    // look at what is there before reading

// read: if the buffer is full without an empty line, the head is too long
read_request_head_read:
        cmp     x22, x21                  // got >= limit?
        b.hs    read_request_head_full    // no room left to read into
        mov     x0, x19                   // read(fd,
        add     x1, x20, x22              //      buf + got,  (after what we have)
        sub     x2, x21, x22              //      limit - got) (never past the limit)
        SYSCALL read                      // x0 = bytes read: may be as few as 1
        b.cs    read_request_head_failed  // carry set: x0 = errno
        cbz     x0, read_request_head_closed // 0 bytes: the client closed
        add     x22, x22, x0              // got += n

// scan the bytes not scanned yet for LF
read_request_head_scan:
        cmp     x23, x22                  // scan == got?
        b.hs    read_request_head_read    // all scanned: read more
        ldrb    w0, [x20, x23]            // w0 = buf[scan]
        cmp     w0, #CHAR_LF              // does a line end here?
        b.ne    read_request_head_next    // no: on to the next byte
        // a line ended: is it empty (nothing, or only a CR, before the LF)?
        sub     x1, x23, x24              // x1 = line length incl. a CR
        cbz     x1, read_request_head_empty // nothing before the LF: an empty line
        cmp     x1, #1                    // one byte: maybe the CR of CR LF
        b.ne    read_request_head_newline // longer: a real line, go on
        ldrb    w2, [x20, x24]            // the line's only byte
        cmp     w2, #CHAR_CR              // is it a CR?
        b.ne    read_request_head_newline // no: a one-byte line, go on
// excerpt: leading-empty-lines
// an empty line: before the request line (it starts where the request
// line should), up to REQ_LEADING_EMPTY_MAX of them are skipped; any
// other one ends the head
read_request_head_empty:
        cmp     x24, x26                  // does it stand where the request line should start?
        b.ne    read_request_head_found   // no: after the fields, the end of the head
        cmp     x27, #REQ_LEADING_EMPTY_MAX // skipped as many as we allow?
        b.hs    read_request_head_found   // yes: it ends the head (parse_request says 400)
        add     x27, x27, #1              // skipped++
        add     x26, x23, #1              // the request line starts after this LF
// excerpt end
        // not the end of the head: remember where the next line starts
read_request_head_newline:
        add     x24, x23, #1              // the next line starts after this LF
read_request_head_next:
        add     x23, x23, #1              // scan++
        b       read_request_head_scan    // and test that byte

// found: the head ends right after this LF
read_request_head_found:
        add     x0, x23, #1               // length = LF position + 1
        b       read_request_head_return

// failed: EINTR means a signal arrived -- just read again; anything else
// is treated like a close
read_request_head_failed:
        cmp     x0, #EINTR                // interrupted by a signal?
        b.eq    read_request_head_read    // yes: nothing was lost, read again
// closed: 0 if nothing came at all, else -400 (half a head)
read_request_head_closed:
        mov     x0, #0                    // nothing was sent: 0 (no response)
        cbz     x22, read_request_head_return // got == 0: closed before any byte
        mov     x0, #-400                 // closed in the middle of the head
        b       read_request_head_return

// full: still in the request line -> 414, else 431
read_request_head_full:
        mov     x0, #-414                 // the answer if ...
        cmp     x24, x26                  // ... the current line is the request line
        b.eq    read_request_head_return  // yes: the request line is too long
        mov     x0, #-431                 // the header fields are too large

// return: x0 is set; *got = the bytes in buf; give the caller its
// registers back
read_request_head_return:
        str     x22, [x25]                // *got = what we read, whatever the result
        ldr     x27, [sp, #80]            // restore and return
        ldp     x25, x26, [sp, #64]
        ldp     x23, x24, [sp, #48]
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #96       // fp, lr, and sp back where it was
        ret
ENDFUNC read_request_head

// ---------------------------------------------------------------------------
// size_t find_byte(const char *p, size_t len, int c)
//   The index of the first byte equal to c, or len if there is none (the
//   assembly's std::string_view::find; the C++ uses that directly).
//   in:  x0 = p, x1 = len, w2 = c
//   out: x0 = index (len = not found)
//   registers: x3 = index, w4 = byte.  Leaf, no stack.
//   (`1:` and `2:` are local labels: `1b` is the nearest `1:` backwards,
//   `2f` the next `2:` forwards -- numbers may be reused in a file.)
// ---------------------------------------------------------------------------
FUNC find_byte
        and     w2, w2, #0xff             // c is an int: compare its low byte only
        mov     x3, #0                    // i = 0
1:      cmp     x3, x1                    // while (i < len)
        b.hs    2f                        // i == len: not found, return len
        ldrb    w4, [x0, x3]              //   w4 = p[i]
        cmp     w4, w2                    //   p[i] == c?
        b.eq    2f                        //   found
        add     x3, x3, #1                //   i++
        b       1b                        //   and test again
2:      mov     x0, x3                    // i (len when not found)
        ret
ENDFUNC find_byte

// ---------------------------------------------------------------------------
// int char_in_class(int c, const char *symbols)
//   1 if c is an ASCII letter, a digit, or one of the NUL-terminated
//   symbols; else 0.
//   in:  w0 = c, x1 = symbols
//   out: w0 = 1 or 0
//   registers: w2 = scratch / symbol, x1 = symbol cursor.  Leaf, no stack.
// ---------------------------------------------------------------------------
FUNC char_in_class
        // if ('0' <= c && c <= '9') return 1  -- one unsigned compare does both
        sub     w2, w0, #'0'              // w2 = c - '0' (wraps to huge if c < '0')
        cmp     w2, #9                    // 0..9 only for '0'..'9'
        b.ls    char_in_class_yes         // a digit
        // if ('a' <= (c | 0x20) <= 'z') return 1  -- upper and lower case
        // ASCII letters differ only in bit 5 (0x20)
        orr     w2, w0, #0x20             // fold upper case into lower case
        sub     w2, w2, #'a'              // 0..25 only for a letter
        cmp     w2, #25                   // the same one-compare range check
        b.ls    char_in_class_yes         // a letter
        // look for c among the symbols
char_in_class_scan:
        ldrb    w2, [x1], #1              // next symbol
        cbz     w2, char_in_class_no      // the NUL: not there
        cmp     w2, w0                    // is it c?
        b.eq    char_in_class_yes         // yes: one of the symbols
        b       char_in_class_scan        // no: try the next symbol
        // the two answers
char_in_class_no:
        mov     w0, #0                    // not in the class
        ret
char_in_class_yes:
        mov     w0, #1                    // in the class
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
// int equal_ignoring_case(const char *a, size_t alen, const char *b, size_t blen)
//   ASCII case-insensitive equality: 'A'..'Z' fold to 'a'..'z', every
//   other byte must match exactly.  Field names are case-insensitive (RFC
//   9110 §5.1), so are URI schemes (RFC 3986 §3.1); lesson 04's mime_type
//   compares file extensions with it too.
//   in:  x0 = a, x1 = alen, x2 = b, x3 = blen
//   out: w0 = 1 or 0
//   registers: x0/x2 = cursors in a/b, x1 = bytes left, w4/w5 = bytes of
//              a/b, w6 = scratch.  Leaf.
// ---------------------------------------------------------------------------
FUNC equal_ignoring_case
        cmp     x1, x3                    // different lengths: not equal
        b.ne    equal_ignoring_case_no    // (and no byte needs to be read)
equal_ignoring_case_loop:
        cbz     x1, equal_ignoring_case_yes // every byte matched
        ldrb    w4, [x0], #1              // w4 = *a++
        ldrb    w5, [x2], #1              // w5 = *b++
        // fold 'A'..'Z' to lower case (branch-free: csel picks the folded
        // byte only when c - 'A' < 26); other bytes stay as they are
        sub     w6, w4, #'A'              // w6 = a's byte - 'A' (huge below 'A')
        cmp     w6, #26                   // lo: an upper-case letter
        orr     w6, w4, #0x20             // orr does not touch the flags
        csel    w4, w6, w4, lo            // the folded byte only for 'A'..'Z'
        sub     w6, w5, #'A'              // the same for b's byte
        cmp     w6, #26
        orr     w6, w5, #0x20
        csel    w5, w6, w5, lo
        cmp     w4, w5                    // equal after folding?
        b.ne    equal_ignoring_case_no    // no: the names differ
        sub     x1, x1, #1                // one byte fewer to compare
        b       equal_ignoring_case_loop
        // the two answers
equal_ignoring_case_no:
        mov     w0, #0                    // not equal
        ret
equal_ignoring_case_yes:
        mov     w0, #1                    // equal
        ret
ENDFUNC equal_ignoring_case

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
//   registers: x19 = p, x20 = len, x21 = req, x22 = index; after the last
//              call: x3 = packed name, x4 = id, x5 = index, x6/x7 = scratch
//   stack: 48 bytes (fp, lr, x19..x22)
// ---------------------------------------------------------------------------
FUNC parse_method
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        mov     x19, x0                   // x19 = p
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = req
        // an empty method (the line starts with SP) is malformed
        cbz     x20, parse_method_bad     // len == 0: 400
        // every byte must be a tchar
        mov     x22, #0                   // i = 0 (callee-saved: it lives across calls)
parse_method_check:
        ldrb    w0, [x19, x22]            // p[i]
        CALL    is_tchar                  // w0 = 1 if p[i] may be in a token
        cbz     w0, parse_method_bad      // not a token character: 400
        add     x22, x22, #1              // i++
        cmp     x22, x20                  // bytes left? (test at the bottom: len > 0)
        b.lo    parse_method_check        // yes: check the next one
        // req->method = the slice
        stp     x19, x20, [x21, #REQ_METHOD_PTR] // REQ_METHOD_LEN follows PTR
        // id = METHOD_OTHER unless the name is in the table (no calls from
        // here on: the scratch registers x3..x7 are safe)
        mov     x4, #METHOD_OTHER         // x4 = id, until a match says otherwise
        cmp     x20, #8                   // more than 8 bytes?
        b.hi    parse_method_store        // longer than any entry
        // pack: x3 = p[0] | p[1] << 8 | ... | p[len-1] << 8*(len-1)
        mov     x3, #0                    // the high bytes stay 0, like the NUL padding
        mov     x5, #0                    // i = 0
parse_method_pack:
        ldrb    w6, [x19, x5]             // p[i]
        lsl     x7, x5, #3                // 8 * i
        lsl     x6, x6, x7                // p[i] << 8*i
        orr     x3, x3, x6                // into byte i of x3
        add     x5, x5, #1                // i++
        cmp     x5, x20                   // until all len bytes are in
        b.lo    parse_method_pack         // more bytes to pack
        // compare with each table entry
        LOAD_ADDR x6, method_names        // x6 = the table (entry 0)
        mov     x5, #0                    // entry index
parse_method_lookup:
        ldr     x7, [x6, x5, lsl #3]      // entry i (8 bytes)
        add     x5, x5, #1                // its id is i + 1
        cmp     x7, x3                    // the same 8 bytes: the same name
        b.eq    parse_method_found        // a match: x5 = its id
        cmp     x5, #METHOD_LAST          // ids run 1 .. METHOD_LAST
        b.lo    parse_method_lookup       // that was not the last entry: go on
        b       parse_method_store        // not found: METHOD_OTHER
parse_method_found:
        mov     x4, x5                    // id = i + 1
        // store the id and the HEAD flag
parse_method_store:
        str     x4, [x21, #REQ_METHOD_ID] // req->method_id = id
        cmp     x4, #METHOD_HEAD          // HEAD: no body in the response
        cset    x5, eq                    // x5 = 1 for HEAD, else 0
        str     x5, [x21, #REQ_IS_HEAD]   // known now, even if the rest is bad
        mov     x0, #0                    // a valid method
        b       parse_method_return
parse_method_bad:
        mov     x0, #400                  // Bad Request
parse_method_return:
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48       // fp, lr, and sp back where it was
        ret
ENDFUNC parse_method

// ---------------------------------------------------------------------------
// int parse_version(const char *p, size_t len, struct request *req)
//   Exactly "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3), case-sensitive, else
//   400.  Well-formed but not 1.0 or 1.1: 505.  Stores the minor version.
//   in:  x0 = p, x1 = len, x2 = req
//   out: x0 = 0, 400 or 505
//   registers: w3 = the first 4 bytes, then the major digit, w4 = scratch,
//              w5 = minor digit.  Leaf.
// ---------------------------------------------------------------------------
FUNC parse_version
        cmp     x1, #8                    // "HTTP/1.1" is 8 bytes, no more, no less
        b.ne    parse_version_bad         // any other length: 400
        // "HTTP" in one 32-bit load: little-endian, so 'H' is the low byte
        ldr     w3, [x0]                  // (AArch64 allows unaligned loads)
        movz    w4, #(('T' << 8) | 'H')   // w4 = 'H' | 'T' << 8 |
        movk    w4, #(('P' << 8) | 'T'), lsl #16 //      'T' << 16 | 'P' << 24
        cmp     w3, w4                    // all four bytes at once
        b.ne    parse_version_bad         // "http/1.1" fails here: case matters
        // then '/', a digit, '.', a digit
        ldrb    w4, [x0, #4]              // byte 4 ...
        cmp     w4, #'/'                  // ... must be the slash
        b.ne    parse_version_bad
        ldrb    w3, [x0, #5]              // the major digit
        sub     w3, w3, #'0'              // w3 = its value
        cmp     w3, #9                    // unsigned: also catches bytes below '0'
        b.hi    parse_version_bad         // not a digit: 400
        ldrb    w4, [x0, #6]              // byte 6 ...
        cmp     w4, #'.'                  // ... must be the dot
        b.ne    parse_version_bad
        ldrb    w5, [x0, #7]              // the minor digit
        sub     w5, w5, #'0'              // w5 = its value
        cmp     w5, #9                    // the same one-compare range check
        b.hi    parse_version_bad         // not a digit: 400
        // well-formed: only 1.0 and 1.1 are served
        cmp     w3, #1                    // major version 1?
        b.ne    parse_version_unsupported // HTTP/0.9, HTTP/2.0 ...: 505
        cmp     w5, #1                    // minor version 0 or 1?
        b.hi    parse_version_unsupported // HTTP/1.2 ...: 505 (we are strict)
        str     x5, [x2, #REQ_VERSION_MINOR] // writing w5 zeroed the top half of x5
        mov     x0, #0                    // a version we serve
        ret
parse_version_unsupported:
        mov     x0, #505                  // HTTP Version Not Supported
        ret
parse_version_bad:
        mov     x0, #400                  // Bad Request: not an HTTP-version
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
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // (sp + 40: padding, keeps sp 16-aligned)
        mov     x19, x0                   // x19 = p
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = req
        // find_byte(p, len, '?'): x0 and x1 still hold p and len
        mov     w2, #'?'                  // the byte to look for
        CALL    find_byte                 // x0 = index of '?', or len
        stp     x19, x0, [x21, #REQ_PATH_PTR] // path = p[0 .. q) (all of p if no '?')
        cmp     x0, x20                   // did find_byte run off the end?
        b.eq    split_path_query_none     // no '?'
        // query = p[q + 1 .. len)
        add     x1, x19, x0               // x1 = &p[q] ...
        add     x1, x1, #1                // query starts after the '?'
        sub     x2, x20, x0               // x2 = len - q ...
        sub     x2, x2, #1                // and runs to the end
        stp     x1, x2, [x21, #REQ_QUERY_PTR] // req->query
        b       split_path_query_return
split_path_query_none:
        stp     xzr, xzr, [x21, #REQ_QUERY_PTR] // no query
split_path_query_return:
        ldr     x21, [sp, #32]            // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48       // fp, lr, and sp back where it was
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
//   otherwise 400.  A '#' anywhere is 400 too: a fragment stays in the
//   client, it is never part of a request-target (RFC 9112 §3.2, RFC 3986
//   §3.5).  Needs req->method_id (parse_method ran first).
//   in:  x0 = p, x1 = len, x2 = req
//   out: x0 = 0, 400 or 414
//   registers: x19 = p, x20 = len, x21 = req, x22 = scheme length,
//              x23 = after the scheme / after the authority, x24 = bytes left
//   stack: 64 bytes (fp, lr, x19..x24)
// ---------------------------------------------------------------------------
FUNC parse_target
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        mov     x19, x0                   // x19 = p
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = req
        stp     x19, x20, [x21, #REQ_TARGET_PTR] // the target as sent
        // if (len > REQ_TARGET_MAX) return 414
        mov     x0, #REQ_TARGET_MAX       // x0 = the limit (4096)
        cmp     x20, x0                   // longer than that?
        b.hi    parse_target_too_long     // yes: 414, whatever its form
        cbz     x20, parse_target_bad     // (parse_request_line never passes 0)
        // if (a '#' is in it) return 400 -- in any form
        mov     x0, x19                   // find_byte(p,
        mov     x1, x20                   //           len,
        mov     w2, #CHAR_HASH            //           '#')
        CALL    find_byte                 // x0 = its index, or len
        cmp     x0, x20                   // did find_byte run off the end?
        b.ne    parse_target_bad          // no: a fragment, 400

// origin-form: "/path?query"
        ldrb    w0, [x19]                 // the first byte decides the form
        cmp     w0, #'/'                  // origin-form starts with '/'
        b.ne    parse_target_asterisk     // not '/': try the other forms
        mov     x0, x19                   // split_path_query(p,
        mov     x1, x20                   //                  len,
        mov     x2, x21                   //                  req)
        CALL    split_path_query          // it cannot fail
        b       parse_target_ok           // origin-form is always allowed

// asterisk-form: "*" -- only OPTIONS asks about the server as a whole
parse_target_asterisk:
        cmp     x20, #1                   // "*" is exactly one byte ...
        b.ne    parse_target_absolute
        cmp     w0, #'*'                  // ... and w0 still holds the first one
        b.ne    parse_target_absolute
        ldr     x1, [x21, #REQ_METHOD_ID] // parse_method stored it
        cmp     x1, #METHOD_OPTIONS       // "*" makes sense only for OPTIONS
        b.ne    parse_target_bad          // GET * and friends: 400
        stp     x19, x20, [x21, #REQ_PATH_PTR] // path = "*"
        stp     xzr, xzr, [x21, #REQ_QUERY_PTR] // no query
        b       parse_target_ok

// absolute-form: "http://" or "https://", compared without case
parse_target_absolute:
        mov     x22, #7                   // length of "http://"
        cmp     x20, x22                  // shorter than the scheme?
        b.lo    parse_target_authority    // too short for any scheme
        mov     x0, x19                   // equal_ignoring_case(p,
        mov     x1, x22                   //     7 (only the first 7 bytes),
        LOAD_ADDR x2, scheme_http         //     "http://",
        mov     x3, x22                   //     7)
        CALL    equal_ignoring_case       // the same case-insensitive compare
        cbnz    w0, parse_target_host     // "http://" in any case: x22 = 7
        mov     x22, #8                   // length of "https://"
        cmp     x20, x22                  // shorter than that scheme?
        b.lo    parse_target_authority    // then it cannot be absolute-form
        mov     x0, x19                   // equal_ignoring_case(p,
        mov     x1, x22                   //     8,
        LOAD_ADDR x2, scheme_https        //     "https://",
        mov     x3, x22                   //     8)
        CALL    equal_ignoring_case
        cbnz    w0, parse_target_host     // "https://" in any case: x22 = 8

// authority-form: "host:port" -- only CONNECT uses it
parse_target_authority:
        ldr     x1, [x21, #REQ_METHOD_ID] // parse_method stored it
        cmp     x1, #METHOD_CONNECT       // "host:port" is for CONNECT only
        b.ne    parse_target_bad          // anything else: 400
        stp     xzr, xzr, [x21, #REQ_PATH_PTR] // no path
        stp     xzr, xzr, [x21, #REQ_QUERY_PTR] // no query
        b       parse_target_ok

// the authority: up to '/', '?' or the end; empty or with '@' is bad
parse_target_host:
        add     x23, x19, x22             // x23 = first byte after the scheme
        sub     x24, x20, x22             // x24 = bytes after the scheme
        mov     x1, #0                    // i = 0 (no calls in the loop: x1 is safe)
parse_target_host_loop:
        cmp     x1, x24                   // i == bytes after the scheme?
        b.hs    parse_target_host_end     // the end of the target
        ldrb    w2, [x23, x1]             // w2 = the authority's byte i
        cmp     w2, #'/'                  // a path starts here
        b.eq    parse_target_host_end
        cmp     w2, #'?'                  // a query starts here
        b.eq    parse_target_host_end
        cmp     w2, #'@'                  // "user@host"?
        b.eq    parse_target_bad          // userinfo (RFC 9110 §4.2.4): 400
        add     x1, x1, #1                // i++
        b       parse_target_host_loop
parse_target_host_end:
        cbz     x1, parse_target_bad      // "http:///x": no host (RFC 9110 §4.2.1)
        add     x23, x23, x1              // x23 = after the authority
        sub     x24, x24, x1              // x24 = bytes left
        // the rest: nothing, "?query", or "/path?query"
        cbz     x24, parse_target_root    // nothing: the path is "/"
        ldrb    w2, [x23]                 // the byte after the authority
        cmp     w2, #'?'                  // "?query" without a path ...
        b.eq    parse_target_root         // ... also means path "/"
        mov     x0, x23                   // split_path_query(rest,
        mov     x1, x24                   //                  bytes left,
        mov     x2, x21                   //                  req)
        CALL    split_path_query          // "/path?query"
        b       parse_target_ok
        // no path after the authority: path "/", and maybe a query
parse_target_root:
        LOAD_ADDR x0, slash_path          // no path: "/"
        mov     x1, #1                    // one byte long
        stp     x0, x1, [x21, #REQ_PATH_PTR] // (the one slice not into buf)
        stp     xzr, xzr, [x21, #REQ_QUERY_PTR] // no query ...
        cbz     x24, parse_target_ok      // nothing after the authority: done
        add     x0, x23, #1               // ... unless "?query" follows
        sub     x1, x24, #1               // its length: the rest minus the '?'
        stp     x0, x1, [x21, #REQ_QUERY_PTR] // req->query

// the exits: x0 = the status
parse_target_ok:
        mov     x0, #0                    // the target is fine
        b       parse_target_return
parse_target_too_long:
        mov     x0, #414                  // URI Too Long
        b       parse_target_return
parse_target_bad:
        mov     x0, #400                  // Bad Request
parse_target_return:
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64       // fp, lr, and sp back where it was
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
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        str     x23, [sp, #48]            // (sp + 56: padding, keeps sp 16-aligned)
        mov     x19, x0                   // x19 = line
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = req
        // the method: up to the first SP (or the whole line)
        mov     w2, #CHAR_SP              // find_byte(line, len, SP): x0, x1 are set
        CALL    find_byte                 // x0 = index of the first SP, or len
        mov     x22, x0                   // x22 = first SP (len if none)
        mov     x0, x19                   // parse_method(line,
        mov     x1, x22                   //   len = the method's length (up to the first SP)
        mov     x2, x21                   //   req)
        CALL    parse_method              // first, so the HEAD flag is known early
        cbnz    w0, parse_request_line_return // 400: not a token
        cmp     x22, x20                  // did find_byte run off the end of the line?
        b.eq    parse_request_line_bad    // a method and nothing else
        // no control bytes anywhere: 0x00-0x1f (NUL, CR, HT ...) or DEL
        mov     x1, #0                    // i = 0
1:      ldrb    w2, [x19, x1]             // w2 = line[i]
        cmp     w2, #CHAR_SP              // below SP: a C0 control byte
        b.lo    parse_request_line_bad
        cmp     w2, #CHAR_DEL             // DEL: the one control byte above SP
        b.eq    parse_request_line_bad
        add     x1, x1, #1                // i++
        cmp     x1, x20                   // until the end of the line
        b.lo    1b                        // (the line has at least the method and a SP)
        // the target: from after the first SP to the next SP
        add     x0, x19, x22              // x0 = line + sp1 ...
        add     x0, x0, #1                // target start
        sub     x1, x20, x22              // x1 = len - sp1 ...
        sub     x1, x1, #1                // bytes after the first SP
        mov     w2, #CHAR_SP              // find_byte(target start, bytes after, SP)
        CALL    find_byte                 // x0 = the next SP, counted from the target
        mov     x23, x0                   // x23 = target length
        cbz     x23, parse_request_line_bad // two SPs in a row: no target
        sub     x1, x20, x22              // x1 = bytes after the first SP again
        sub     x1, x1, #1                // (the call did not keep x1)
        cmp     x23, x1                   // did find_byte run off the end?
        b.eq    parse_request_line_bad    // no second SP: no version
        // the version: everything after the second SP (a third SP makes it
        // longer than 8 bytes, and parse_version says 400).  It is checked
        // before the target: the lesson's order decides which status wins.
        add     x0, x19, x22              // x0 = line + sp1 ...
        add     x0, x0, x23               //      + target_len ...
        add     x0, x0, #2                // line + sp1 + 1 + target_len + 1
        sub     x1, x20, x22              // x1 = len - sp1 ...
        sub     x1, x1, x23               //      - target_len ...
        sub     x1, x1, #2                // the rest of the line
        mov     x2, x21                   // parse_version(rest, its length, req)
        CALL    parse_version             // also stores version_minor
        cbnz    w0, parse_request_line_return // 400 or 505
        // and finally the target's form
        add     x0, x19, x22              // x0 = line + sp1 ...
        add     x0, x0, #1                // ... + 1: the target start
        mov     x1, x23                   // the target length
        mov     x2, x21                   // parse_target(target, target_len, req)
        CALL    parse_target              // 0, 400 or 414
        b       parse_request_line_return // its status is ours
parse_request_line_bad:
        mov     x0, #400                  // Bad Request
parse_request_line_return:
        ldr     x23, [sp, #48]            // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64       // fp, lr, and sp back where it was
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
//              x23 = index in the name, then value start, x24 = value end
//   stack: 64 bytes (fp, lr, x19..x24)
// ---------------------------------------------------------------------------
FUNC parse_header_line
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        mov     x19, x0                   // x19 = line
        mov     x20, x1                   // x20 = len
        mov     x21, x2                   // x21 = req
        // obs-fold: a line that starts with SP or HT continues the last one
        cbz     x20, parse_header_line_bad // empty: no field (parse_request never passes one)
        ldrb    w0, [x19]                 // the first byte
        cmp     w0, #CHAR_SP              // a leading SP ...
        b.eq    parse_header_line_bad
        cmp     w0, #CHAR_HT              // ... or HT: obs-fold, 400
        b.eq    parse_header_line_bad
        // the colon; the name before it must not be empty
        mov     x0, x19                   // find_byte(line,
        mov     x1, x20                   //           len,
        mov     w2, #':'                  //           ':')
        CALL    find_byte                 // x0 = index of the colon, or len
        mov     x22, x0                   // x22 = colon index
        cmp     x22, x20                  // did find_byte run off the end of the line?
        b.eq    parse_header_line_bad     // no colon at all
        cbz     x22, parse_header_line_bad // ": value": no name
        // every byte of the name is a tchar ("Host :" fails on the SP)
        mov     x23, #0                   // i = 0 (x23 is free until the value)
parse_header_line_name:
        ldrb    w0, [x19, x23]            // w0 = line[i]
        CALL    is_tchar                  // w0 = 1 if it may be in a token
        cbz     w0, parse_header_line_bad // not a tchar: 400
        add     x23, x23, #1              // i++
        cmp     x23, x22                  // up to the colon
        b.lo    parse_header_line_name    // (colon > 0: the name has a byte)
        // the value: no control bytes except HT
        add     x23, x22, #1              // x23 = value start (after the colon)
        mov     x1, x23                   // i = value start (no calls: x1 is safe)
1:      cmp     x1, x20                   // end of the line?
        b.hs    parse_header_line_trim    // every byte is fine: trim the value
        ldrb    w2, [x19, x1]             // w2 = line[i]
        add     x1, x1, #1                // i++ (now: every path below loops)
        cmp     w2, #CHAR_HT              // HT: the one control byte a value may hold
        b.eq    1b                        // HT is allowed
        cmp     w2, #CHAR_SP              // below SP: a control byte
        b.lo    parse_header_line_bad     // NUL, CR, other C0 bytes
        cmp     w2, #CHAR_DEL             // DEL is one too
        b.eq    parse_header_line_bad
        b       1b                        // a fine byte: on to the next
        // drop SP/HT at the front ...
parse_header_line_trim:
        mov     x24, x20                  // x24 = value end
parse_header_line_trim_front:
        cmp     x23, x24                  // nothing left of the value?
        b.hs    parse_header_line_store   // all whitespace (or none): an empty value
        ldrb    w2, [x19, x23]            // the value's first byte
        cmp     w2, #CHAR_SP              // SP ...
        b.eq    parse_header_line_skip_front
        cmp     w2, #CHAR_HT              // ... or HT?
        b.ne    parse_header_line_trim_back // neither: the front is done
parse_header_line_skip_front:
        add     x23, x23, #1              // start++: drop it
        b       parse_header_line_trim_front
        // ... and at the back
parse_header_line_trim_back:
        sub     x2, x24, #1               // x2 = index of the last byte
        ldrb    w2, [x19, x2]             // the last byte (x24 > x23 here)
        cmp     w2, #CHAR_SP              // SP ...
        b.eq    parse_header_line_skip_back
        cmp     w2, #CHAR_HT              // ... or HT?
        b.ne    parse_header_line_store   // neither: the back is done
parse_header_line_skip_back:
        sub     x24, x24, #1              // end--: drop it
        cmp     x24, x23                  // bytes left in the value?
        b.hi    parse_header_line_trim_back // yes: look at the new last byte
        // store it -- if there is room
parse_header_line_store:
        ldr     x0, [x21, #REQ_HEADER_COUNT] // x0 = count
        cmp     x0, #REQ_MAX_HEADERS      // every slot taken?
        b.hs    parse_header_line_too_many // yes: 431
        mov     x2, #HDR_SIZE             // madd takes no immediate: 32 in a register
        add     x1, x21, #REQ_HEADERS     // x1 = &req->headers[0]
        madd    x1, x0, x2, x1            // &req->headers[count]
        stp     x19, x22, [x1, #HDR_NAME_PTR] // name = line[0 .. colon)
        add     x2, x19, x23              // x2 = line + start
        sub     x3, x24, x23              // x3 = end - start
        stp     x2, x3, [x1, #HDR_VALUE_PTR] // value = line[start .. end)
        add     x0, x0, #1                // count + 1 ...
        str     x0, [x21, #REQ_HEADER_COUNT] // count++
        mov     x0, #0                    // the field is stored
        b       parse_header_line_return
parse_header_line_too_many:
        mov     x0, #431                  // Request Header Fields Too Large
        b       parse_header_line_return
parse_header_line_bad:
        mov     x0, #400                  // Bad Request
parse_header_line_return:
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64       // fp, lr, and sp back where it was
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
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        str     x23, [sp, #48]            // (sp + 56: padding, keeps sp 16-aligned)
        mov     x19, x0                   // x19 = req
        mov     x20, x1                   // x20 = name
        mov     x21, x2                   // x21 = name_len
        mov     x22, #0                   // i = 0
        add     x23, x19, #REQ_HEADERS    // x23 = &headers[0]
find_header_loop:
        ldr     x0, [x19, #REQ_HEADER_COUNT] // each time: the call clobbers x0
        cmp     x22, x0                   // i == count?
        b.hs    find_header_none          // looked at them all
        ldp     x0, x1, [x23, #HDR_NAME_PTR] // this field's name
        mov     x2, x20                   // the name we look for ...
        mov     x3, x21                   // ... and its length
        CALL    equal_ignoring_case       // w0 = 1 if equal, ignoring case
        cbnz    w0, find_header_found     // this is the one
        add     x22, x22, #1              // next field
        add     x23, x23, #HDR_SIZE       // its slot, 32 bytes on
        b       find_header_loop
find_header_found:
        mov     x0, x23                   // &headers[i]
        b       find_header_return
find_header_none:
        mov     x0, #0                    // NULL
find_header_return:
        ldr     x23, [sp, #48]            // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64       // fp, lr, and sp back where it was
        ret
ENDFUNC find_header

// ---------------------------------------------------------------------------
// int count_header(const struct request *req, const char *name,
//                  size_t name_len)
//   How many fields are named name (compared without regard to case),
//   three ways: 0 (none), 1 (exactly one), 2 (two or more: it stops at
//   the second).  check_host wants one (or, in HTTP/1.0, none); lesson
//   07's single_header exactly one.  find_header gives the first.
//   in:  x0 = req, x1 = name, x2 = name_len
//   out: w0 = 0, 1 or 2
//   registers: x19 = req, x20 = name, x21 = name_len, x22 = index,
//              x23 = current field, x24 = the count so far
//   stack: 64 bytes (fp, lr, x19..x24)
// ---------------------------------------------------------------------------
FUNC count_header
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        stp     x23, x24, [sp, #48]       // callee-saved: x23, x24
        mov     x19, x0                   // x19 = req
        mov     x20, x1                   // x20 = name
        mov     x21, x2                   // x21 = name_len
        mov     x22, #0                   // i = 0
        add     x23, x19, #REQ_HEADERS    // x23 = &headers[0]
        mov     x24, #0                   // none found yet
count_header_loop:
        ldr     x0, [x19, #REQ_HEADER_COUNT] // each time: the call clobbers x0
        cmp     x22, x0                   // i == count?
        b.hs    count_header_done         // looked at them all
        ldp     x0, x1, [x23, #HDR_NAME_PTR] // this field's name
        mov     x2, x20                   // the name we look for ...
        mov     x3, x21                   // ... and its length
        CALL    equal_ignoring_case       // w0 = 1 if equal, ignoring case
        cbz     w0, count_header_next     // another field: skip it
        add     x24, x24, #1              // one more of them
        cmp     x24, #2                   // the second?
        b.hs    count_header_done         // yes: "two or more" is all we need
count_header_next:
        add     x22, x22, #1              // i++
        add     x23, x23, #HDR_SIZE       // the next field, 32 bytes on
        b       count_header_loop         // and look at it
count_header_done:
        mov     w0, w24                   // 0, 1 or 2
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #64       // ... fp, lr, and drop the frame
        ret                               // w0 = 0, 1 or 2
ENDFUNC count_header

// ---------------------------------------------------------------------------
// int check_host(const struct request *req)
//   RFC 9112 §3.2: two Host fields -> 400; a Host value with a byte that
//   cannot be in uri-host[:port] -> 400; no Host in HTTP/1.1 -> 400;
//   HTTP/1.0 without Host is fine.
//   in:  x0 = req
//   out: x0 = 0 or 400
//   registers: x19 = req, then the value's cursor; x20 = bytes left
//   stack: 32 bytes (fp, lr, x19, x20)
// ---------------------------------------------------------------------------
FUNC check_host
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = req
        // how many Host fields: one, or (HTTP/1.0) none
        LOAD_ADDR x1, name_host           // count_header(req, "Host",
        mov     x2, #NAME_HOST_LEN        //     4): x0 is req
        CALL    count_header              // w0 = 0, 1 or 2
        cmp     w0, #1                    // one?
        b.hi    check_host_bad            // two or more: 400
        b.eq    check_host_value          // one: check its value
        // no Host: required from HTTP/1.1 on
        ldr     x0, [x19, #REQ_VERSION_MINOR] // parse_version stored it
        cmp     x0, #1                    // HTTP/1.1?
        b.eq    check_host_bad            // must have sent Host: 400
        b       check_host_ok             // HTTP/1.0 may leave it out
        // every byte of the value must be a host character
check_host_value:
        mov     x0, x19                   // find_header(req,
        LOAD_ADDR x1, name_host           //     "Host",
        mov     x2, #NAME_HOST_LEN        //     4)
        CALL    find_header               // x0 = the one Host field
        ldp     x19, x20, [x0, #HDR_VALUE_PTR] // x19 = cursor, x20 = bytes left (req is done with)
check_host_value_loop:
        cbz     x20, check_host_ok        // all fine (an empty value is allowed)
        ldrb    w0, [x19], #1             // w0 = *cursor++
        CALL    is_host_char              // may it be in uri-host[:port]?
        cbz     w0, check_host_bad        // no: 400
        sub     x20, x20, #1              // one byte fewer to check
        b       check_host_value_loop
check_host_ok:
        mov     x0, #0                    // Host is fine
        b       check_host_return
check_host_bad:
        mov     x0, #400                  // Bad Request
check_host_return:
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32       // fp, lr, and sp back where it was
        ret
ENDFUNC check_host

// ---------------------------------------------------------------------------
// void reset_request(struct request *req)
//   Clear the fields parse_request fills in: every slice (0, 0), the
//   method id (METHOD_OTHER = 0), the version, the HEAD flag, the field
//   count, the body kind (BODY_NONE = 0) and the content length -- the
//   first REQ_HEADERS bytes.  Not headers[]:
//   header_count says how many of its entries are valid.
//   in:  x0 = req
//   registers: x0 = cursor, x1 = end of the fixed fields.  Leaf: no
//              stack, no calls.
// ---------------------------------------------------------------------------
FUNC reset_request
        add     x1, x0, #REQ_HEADERS      // x1 = where headers[] starts: stop there
1:      stp     xzr, xzr, [x0], #16       // clear 16 bytes; x0 moves past them
        cmp     x0, x1                    // reached the headers? (112 = 7 * 16 bytes)
        b.lo    1b                        // no: more of the fixed part to clear
        ret                               // void
ENDFUNC reset_request

// ---------------------------------------------------------------------------
// int parse_request(const char *buf, size_t len, struct request *req)
//   The whole head as read_request_head returned it: up to
//   REQ_LEADING_EMPTY_MAX empty lines (skipped, RFC 9112 §2.2; one more is
//   400), the request line, the field lines up to the empty line, then
//   Host.  Which methods are served is not its business (method_status,
//   step_check_method), nor is the body's framing (parse_framing).
//   A line ends at LF; one CR right before the LF belongs to the line end
//   (CRLF); any other CR is a control byte and the line parser says 400.
//   req is filled as far as parsing got (the HEAD flag early).
//   in:  x0 = buf, x1 = len, x2 = req
//   out: x0 = 0 or 400, 414, 431, 505
//   registers: x19 = start of the current line, x20 = bytes left,
//              x21 = req, x22 = line number (0 = request line),
//              x23 = line length without CRLF/LF, x24 = index of the LF,
//              x25 = empty lines skipped before the request line
//   stack: 80 bytes (fp, lr, x19..x25, padding)
// ---------------------------------------------------------------------------
FUNC parse_request
        stp     x29, x30, [sp, #-80]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        str     x25, [sp, #64]            // (sp + 72: padding, keeps sp 16-aligned)
        mov     x19, x0                   // x19 = buf: where the first line starts
        mov     x20, x1                   // x20 = len: all of it is left
        mov     x21, x2                   // x21 = req
        mov     x0, x21                   // reset_request(req): no field
        CALL    reset_request             // keeps what an earlier parse left
        mov     x22, #0                   // line 0 is the request line
        mov     x25, #0                   // no empty line skipped yet

// the next line: up to LF
parse_request_next_line:
        mov     x0, x19                   // find_byte(line start,
        mov     x1, x20                   //           bytes left,
        mov     w2, #CHAR_LF              //           LF)
        CALL    find_byte                 // x0 = index of the LF, or bytes left
        cmp     x0, x20                   // did find_byte run off the end?
        b.eq    parse_request_bad         // no LF left: not a whole head
        mov     x24, x0                   // x24 = LF index
        mov     x23, x0                   // x23 = line length ...
        cbz     x23, parse_request_dispatch // (an empty line has no CR to drop)
        sub     x1, x23, #1               // x1 = index of the byte before the LF
        ldrb    w1, [x19, x1]             // ... minus a CR right before the LF
        cmp     w1, #CHAR_CR              // is that byte a CR?
        b.ne    parse_request_dispatch    // no: a bare LF ended this line
        sub     x23, x23, #1              // yes: it belongs to the line end

// dispatch: line 0 is the request line; any later one is a field line or
// the empty line
parse_request_dispatch:
        cbnz    x22, parse_request_field  // not line 0: a field line
        // line 0: the request line -- empty lines before it are skipped,
        // up to REQ_LEADING_EMPTY_MAX (read_request_head agrees)
        cbnz    x23, parse_request_first  // something on it: the request line
        cmp     x25, #REQ_LEADING_EMPTY_MAX // skipped as many as we allow?
        b.hs    parse_request_bad         // one too many: 400
        add     x25, x25, #1              // skipped++
        b       parse_request_skip        // on to the next line, still line 0
parse_request_first:
        mov     x0, x19                   // parse_request_line(line,
        mov     x1, x23                   //     its length without CRLF/LF,
        mov     x2, x21                   //     req)
        CALL    parse_request_line
        cbnz    w0, parse_request_return  // its status is ours
        b       parse_request_advance     // fine: on to the fields
        // a field line, or the empty line that ends the head
parse_request_field:
        cbz     x23, parse_request_end_of_head // the empty line: the head is over
        mov     x0, x19                   // parse_header_line(line,
        mov     x1, x23                   //     its length without CRLF/LF,
        mov     x2, x21                   //     req)
        CALL    parse_header_line
        cbnz    w0, parse_request_return  // 400 or 431
        // the next line starts right after this one's LF
parse_request_advance:
        add     x22, x22, #1              // line number + 1
parse_request_skip:
        add     x24, x24, #1              // skip the line and its LF
        add     x19, x19, x24             // x19 = the next line's start
        sub     x20, x20, x24             // fewer bytes left
        b       parse_request_next_line

// the head is complete: last, Host (its status is ours)
parse_request_end_of_head:
        mov     x0, x21                   // check_host(req)
        CALL    check_host                // x0 = 0 or 400
        b       parse_request_return      // the head's verdict
parse_request_bad:
        mov     x0, #400                  // Bad Request
parse_request_return:
        ldr     x25, [sp, #64]            // restore and return
        ldp     x23, x24, [sp, #48]
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #80       // fp, lr, and sp back where it was
        ret
ENDFUNC parse_request

// ---------------------------------------------------------------------------
// int64_t parse_content_length(const char *p, size_t len)
//   A Content-Length value (RFC 9110 §8.6, RFC 9112 §6.3): one or more
//   ASCII digits and nothing else -- no sign, no space, no comma list, not
//   empty.  The limit is checked after every digit: the value never gets
//   above REQ_CONTENT_LENGTH_MAX, so value * 10 + 9 always fits in 64 bits
//   and a huge number cannot wrap around to a small one.
//   in:  x0 = p, x1 = len
//   out: x0 = the value (0 .. REQ_CONTENT_LENGTH_MAX), or -400
//   registers: x0 = cursor, x1 = bytes left, x2 = value, x3 = the limit,
//              w4 = the byte, then its digit, x5 = 10.  Leaf.
// ---------------------------------------------------------------------------
FUNC parse_content_length
        cbz     x1, parse_content_length_bad // 1*DIGIT: empty is not a number
        mov     x2, #0                    // value = 0
        // x3 = the limit, 16 bits at a time (any 64-bit value assembles)
        movz    x3, #(REQ_CONTENT_LENGTH_MAX & 0xffff)
        movk    x3, #((REQ_CONTENT_LENGTH_MAX >> 16) & 0xffff), lsl #16
        movk    x3, #((REQ_CONTENT_LENGTH_MAX >> 32) & 0xffff), lsl #32
        movk    x3, #((REQ_CONTENT_LENGTH_MAX >> 48) & 0xffff), lsl #48
        mov     x5, #10                   // madd takes no immediate
1:      ldrb    w4, [x0], #1              // the next byte
        sub     w4, w4, #'0'              // its digit (huge when below '0')
        cmp     w4, #9                    // one unsigned compare: '0'..'9'?
        b.hi    parse_content_length_bad  // a sign, a space, a comma, hex ...: 400
        madd    x2, x2, x5, x4            // value = value * 10 + digit
        cmp     x2, x3                    // above the limit?
        b.hi    parse_content_length_bad  // 400, before another * 10 could overflow
        subs    x1, x1, #1                // one byte fewer
        b.ne    1b                        // more digits
        mov     x0, x2                    // the value
        ret
parse_content_length_bad:
        mov     x0, #-400                 // Bad Request (RFC 9112 §6.3)
        ret
ENDFUNC parse_content_length

// ---------------------------------------------------------------------------
// size_t next_list_element(const char *p, size_t len, const char **element,
//                          size_t *element_len)
//   One element of a comma-separated list (RFC 9110 §5.6.1, `#element`):
//   the bytes up to the first comma (or the end), into *element /
//   *element_len, without the OWS (SP, HT) before them, nor after them
//   when a comma follows (OWS stands only around commas: a field value
//   never ends in it) -- maybe empty: empty elements do not count
//   (§5.6.1.2), the caller skips them.
//   Transfer-Encoding here, Range in lesson 07.
//   in:  x0 = p, x1 = len, x2 = element, x3 = element_len
//   out: x0 = the bytes used: the element and its comma, or len for the
//        last one
//   registers: x4 = the element's start, x5 = its end, x6 = the comma's
//              index (len: none), w7 = a byte.  A leaf: no call.
//   stack: none
// ---------------------------------------------------------------------------
FUNC next_list_element
        mov     x6, #0                    // i = 0: look for the comma
next_list_element_scan:
        cmp     x6, x1                    // at the end of the list?
        b.hs    next_list_element_found   // yes: no comma, the last element
        ldrb    w7, [x0, x6]              // the byte at i
        cmp     w7, #CHAR_COMMA           // the comma?
        b.eq    next_list_element_found   // yes: the element ends before it
        add     x6, x6, #1                // i++
        b       next_list_element_scan    // and look at the next byte
next_list_element_found:
        mov     x4, x0                    // x4 = the element's start
        add     x5, x0, x6                // x5 = its end: the comma, or the list's end
        // drop SP/HT at the front ...
next_list_element_front:
        cmp     x4, x5                    // anything left?
        b.hs    next_list_element_store   // no: only OWS, an empty element
        ldrb    w7, [x4]                  // its first byte
        cmp     w7, #CHAR_SP              // SP ...
        b.eq    next_list_element_skip_front
        cmp     w7, #CHAR_HT              // ... or HT?
        b.ne    next_list_element_back    // neither: the front is done
next_list_element_skip_front:
        add     x4, x4, #1                // start++
        b       next_list_element_front   // and look at the next
        // ... and at the back, when a comma follows (the first byte is
        // not OWS: x5 stays > x4)
next_list_element_back:
        cmp     x6, x1                    // a comma after it?
        b.hs    next_list_element_store   // no: the value's end has no OWS to drop
next_list_element_back_loop:
        ldrb    w7, [x5, #-1]             // its last byte
        cmp     w7, #CHAR_SP              // SP ...
        b.eq    next_list_element_skip_back
        cmp     w7, #CHAR_HT              // ... or HT?
        b.ne    next_list_element_store   // neither: the back is done
next_list_element_skip_back:
        sub     x5, x5, #1                // end--
        b       next_list_element_back_loop // and look at the one before
next_list_element_store:
        str     x4, [x2]                  // *element = its start
        sub     x7, x5, x4                // its length (0: empty)
        str     x7, [x3]                  // *element_len
        cmp     x6, x1                    // did a comma end it (i < len)?
        cinc    x0, x6, lo                // yes: i + 1, past the comma; no: i = len
        ret                               // x0 = the bytes used
ENDFUNC next_list_element

// ---------------------------------------------------------------------------
// int coding_kind(const char *p, size_t len)
//   One element of a Transfer-Encoding list, as next_list_element gave it
//   (no OWS around it): CODING_EMPTY (nothing: ignored, RFC 9110 §5.6.1),
//   CODING_CHUNKED ("chunked" in any case: coding names are
//   case-insensitive, RFC 9112 §7), or CODING_OTHER.
//   in:  x0 = p, x1 = len
//   out: w0 = CODING_EMPTY, CODING_CHUNKED or CODING_OTHER
//   registers: x0, x1 = the element, for equal_ignoring_case.  No
//              callee-saved register: nothing is needed after the one call.
//   stack: 16 bytes (fp, lr)
// ---------------------------------------------------------------------------
FUNC coding_kind
        stp     x29, x30, [sp, #-16]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        cbz     x1, coding_kind_empty     // nothing: an empty element
        LOAD_ADDR x2, name_chunked        // equal_ignoring_case(p, len,
        mov     x3, #NAME_CHUNKED_LEN     //     "chunked", 7): x0, x1 are set
        CALL    equal_ignoring_case       // w0 = 1 if it is chunked
        cmp     w0, #0                    // chunked?
        mov     w0, #CODING_CHUNKED       // (mov leaves the flags alone)
        mov     w1, #CODING_OTHER         // ... or anything else
        csel    w0, w0, w1, ne            // chunked, or some other coding
        b       coding_kind_return
coding_kind_empty:
        mov     w0, #CODING_EMPTY         // an empty element
coding_kind_return:
        ldp     x29, x30, [sp], #16       // fp, lr, and drop the frame
        ret                               // w0 = CODING_*
ENDFUNC coding_kind

// ---------------------------------------------------------------------------
// int check_transfer_encoding(const struct request *req)
//   Every Transfer-Encoding field, as one comma-separated list (RFC 9110
//   §5.3: several fields are one list), element by element through
//   coding_kind; empty elements are ignored.
//     any element after "chunked"        400: chunked is not the final
//                                        coding, or comes twice
//     no "chunked" at all                400 (RFC 9112 §6.3: MUST)
//     "chunked" last, another before it  501: a coding we do not
//                                        implement (RFC 9112 §6.1: SHOULD)
//     "chunked" alone                    0
//   400 wins over 501: "gzip" alone is 400.
//   in:  x0 = req
//   out: w0 = 0, 400 or 501
//   registers: x19 = req, x20 = field index, x21 = current field,
//              x22 = cursor in its value, x23 = bytes left in the value,
//              x25 = 1 once "chunked" was seen, x26 = 1 once another
//              coding was seen (x24: unused, saved to keep the pairs)
//   stack: 80 bytes (fp, lr, x19..x26) + 16: the element next_list_element
//          finds (TE_ELEMENT, TE_ELEMENT_LEN at sp)
// ---------------------------------------------------------------------------
        .equ TE_ELEMENT, 0                // sp + 0: the element's start
        .equ TE_ELEMENT_LEN, 8            // sp + 8: its length
FUNC check_transfer_encoding
        stp     x29, x30, [sp, #-80]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        stp     x25, x26, [sp, #64]
        sub     sp, sp, #16               // the element: start, length
        mov     x19, x0                   // x19 = req
        mov     x20, #0                   // i = 0
        add     x21, x19, #REQ_HEADERS    // x21 = &headers[0]
        mov     x25, #0                   // no chunked yet
        mov     x26, #0                   // no other coding yet
        // every field; only the Transfer-Encoding ones count
check_transfer_encoding_field:
        ldr     x0, [x19, #REQ_HEADER_COUNT] // each time: the calls clobber x0
        cmp     x20, x0                   // i == count?
        b.hs    check_transfer_encoding_end // every field looked at
        ldp     x0, x1, [x21, #HDR_NAME_PTR] // equal_ignoring_case(its name,
        LOAD_ADDR x2, name_transfer_encoding //     "Transfer-Encoding",
        mov     x3, #NAME_TRANSFER_ENCODING_LEN //     17)
        CALL    equal_ignoring_case       // w0 = 1 if it is one
        cbz     w0, check_transfer_encoding_next // another field: skip it
        ldp     x22, x23, [x21, #HDR_VALUE_PTR] // x22 = cursor, x23 = bytes left
// excerpt: te-element
        // the value, one element at a time (lesson 03's list walker)
check_transfer_encoding_element:
        cbz     x23, check_transfer_encoding_next // the value is done: the next field
        mov     x0, x22                   // next_list_element(cursor,
        mov     x1, x23                   //     bytes left,
        add     x2, sp, #TE_ELEMENT       //     &element,
        add     x3, sp, #TE_ELEMENT_LEN   //     &element_len)
        CALL    next_list_element         // x0 = the bytes it used
        add     x22, x22, x0              // cursor after the element and its comma
        sub     x23, x23, x0              // fewer bytes left
        ldp     x0, x1, [sp, #TE_ELEMENT] // coding_kind(element, its length)
        CALL    coding_kind               // w0 = CODING_*
        cmp     w0, #CODING_EMPTY         // nothing but OWS?
        b.eq    check_transfer_encoding_element // ignored (RFC 9110 §5.6.1)
        cbnz    x25, check_transfer_encoding_bad // anything after chunked: 400
        cmp     w0, #CODING_CHUNKED       // chunked?
        b.ne    check_transfer_encoding_other
        mov     x25, #1                   // yes: it must be the last element
        b       check_transfer_encoding_element // on to the next
check_transfer_encoding_other:
        mov     x26, #1                   // gzip, deflate, a name we do not know ...
        b       check_transfer_encoding_element // on to the next
// excerpt end
check_transfer_encoding_next:
        add     x20, x20, #1              // i++
        add     x21, x21, #HDR_SIZE       // the next field, 32 bytes on
        b       check_transfer_encoding_field
        // the whole list is seen: chunked must have been its last element
check_transfer_encoding_end:
        cbz     x25, check_transfer_encoding_bad // no chunked at all: 400
        mov     w0, #0                    // chunked alone: fine
        cbz     x26, check_transfer_encoding_return
        mov     w0, #501                  // another coding before it: Not Implemented
        b       check_transfer_encoding_return
check_transfer_encoding_bad:
        mov     w0, #400                  // Bad Request: no way to find the body's end
check_transfer_encoding_return:
        add     sp, sp, #16               // drop the element
        ldp     x25, x26, [sp, #64]       // restore and return
        ldp     x23, x24, [sp, #48]
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #80       // fp, lr, and sp back where it was
        ret                               // w0 = 0, 400 or 501
ENDFUNC check_transfer_encoding

// ---------------------------------------------------------------------------
// int parse_framing(struct request *req)
//   How the request's body is framed (RFC 9112 §6.1, §6.3), into
//   req->body_kind (BODY_NONE, BODY_LENGTH, BODY_CHUNKED) and
//   req->content_length (0 unless BODY_LENGTH).  400 for: a second
//   Content-Length field (lesson 03 rule: strict, RFC 9110 §8.6 allows
//   it), Transfer-Encoding together with Content-Length (the smuggling
//   vector, RFC 9112 §6.1), Transfer-Encoding in HTTP/1.0 (§6.1), an
//   invalid Content-Length (parse_content_length); check_transfer_encoding's
//   400 or 501.  Else 0.
//   in:  x0 = req
//   out: w0 = 0, 400 or 501
//   registers: x19 = req, x20 = field index, x21 = current field,
//              x22 = the Content-Length field (0: none yet),
//              x23 = 1 once a Transfer-Encoding field was seen
//   stack: 64 bytes (fp, lr, x19..x23, padding)
// ---------------------------------------------------------------------------
FUNC parse_framing
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        str     x23, [sp, #48]            // (sp + 56: padding, keeps sp 16-aligned)
        mov     x19, x0                   // x19 = req
        stp     xzr, xzr, [x19, #REQ_BODY_KIND] // no body, length 0 (REQ_CONTENT_LENGTH follows)
        mov     x20, #0                   // i = 0
        add     x21, x19, #REQ_HEADERS    // x21 = &headers[0]
        mov     x22, #0                   // no Content-Length yet
        mov     x23, #0                   // no Transfer-Encoding yet
        // find the framing fields: at most one Content-Length
parse_framing_field:
        ldr     x0, [x19, #REQ_HEADER_COUNT] // each time: the calls clobber x0
        cmp     x20, x0                   // i == count?
        b.hs    parse_framing_decide      // every field looked at
        ldp     x0, x1, [x21, #HDR_NAME_PTR] // equal_ignoring_case(its name,
        LOAD_ADDR x2, name_content_length //     "Content-Length",
        mov     x3, #NAME_CONTENT_LENGTH_LEN //     14)
        CALL    equal_ignoring_case       // w0 = 1 if it is one
        cbz     w0, parse_framing_transfer // no: maybe Transfer-Encoding
        cbnz    x22, parse_framing_bad    // a second Content-Length: 400 (strict)
        mov     x22, x21                  // remember the first
        b       parse_framing_next
parse_framing_transfer:
        ldp     x0, x1, [x21, #HDR_NAME_PTR] // equal_ignoring_case(its name,
        LOAD_ADDR x2, name_transfer_encoding //     "Transfer-Encoding",
        mov     x3, #NAME_TRANSFER_ENCODING_LEN //     17)
        CALL    equal_ignoring_case       // w0 = 1 if it is one
        cbz     w0, parse_framing_next    // another field: skip it
        mov     x23, #1                   // a Transfer-Encoding: the list is checked below
parse_framing_next:
        add     x20, x20, #1              // i++
        add     x21, x21, #HDR_SIZE       // the next field, 32 bytes on
        b       parse_framing_field
        // Transfer-Encoding: never with Content-Length, never in HTTP/1.0
parse_framing_decide:
        cbz     x23, parse_framing_length // no Transfer-Encoding: maybe a length
        cbnz    x22, parse_framing_bad    // both: 400 (RFC 9112 §6.1)
        ldr     x0, [x19, #REQ_VERSION_MINOR] // parse_version stored it
        cbz     x0, parse_framing_bad     // HTTP/1.0: no transfer codings, 400
        mov     x0, x19                   // check_transfer_encoding(req)
        CALL    check_transfer_encoding   // w0 = 0, 400 or 501
        cbnz    w0, parse_framing_return  // its status is ours
        mov     x0, #BODY_CHUNKED         // the list is "chunked"
        str     x0, [x19, #REQ_BODY_KIND] // req->body_kind = BODY_CHUNKED
        mov     w0, #0                    // framed
        b       parse_framing_return
        // Content-Length alone: its value must be a number we accept
parse_framing_length:
        mov     w0, #0                    // neither field: no body, fine
        cbz     x22, parse_framing_return // (body_kind is BODY_NONE already)
        ldp     x0, x1, [x22, #HDR_VALUE_PTR] // parse_content_length(its value)
        CALL    parse_content_length      // x0 = the length, or -400
        tbnz    x0, #63, parse_framing_bad // negative: 400 (RFC 9112 §6.3)
        mov     x1, #BODY_LENGTH          // req->body_kind = BODY_LENGTH,
        stp     x1, x0, [x19, #REQ_BODY_KIND] // req->content_length = the value
        mov     w0, #0                    // framed
        b       parse_framing_return
parse_framing_bad:
        mov     w0, #400                  // Bad Request: the framing is unclear
parse_framing_return:
        ldr     x23, [sp, #48]            // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64       // fp, lr, and sp back where it was
        ret                               // w0 = 0, 400 or 501
ENDFUNC parse_framing

// ---------------------------------------------------------------------------
// int method_status(int method_id)
//   The method policy: 0 for GET and HEAD (served), 501 for METHOD_OTHER
//   (a token not in methods.tsv, RFC 9110 §15.6.2), 405 for any other id
//   (known, not served: lesson 09 adds some).
//   in:  w0 = method_id (an int: only w0 is read)
//   out: w0 = 0, 405 or 501
//   registers: w1 = method_id.  Leaf: no stack, no calls.
// ---------------------------------------------------------------------------
FUNC method_status
        mov     w1, w0                    // w1 = the id; w0 becomes the answer
        mov     w0, #0                    // 0 if it is a method we serve
        cmp     w1, #METHOD_GET           // served
        b.eq    method_status_return      // -> 0
        cmp     w1, #METHOD_HEAD          // served
        b.eq    method_status_return      // -> 0
        mov     w0, #501                  // a token we do not know: Not Implemented
        cmp     w1, #METHOD_OTHER         // a token not in the table?
        b.eq    method_status_return      // -> 501
        mov     w0, #405                  // a method we know but do not serve
method_status_return:
        ret                               // w0 = 0, 405 or 501
ENDFUNC method_status

// ---------------------------------------------------------------------------
// size_t text_append(char *out, size_t pos, size_t cap, const char *src, size_t n)
//   Copy src[0 .. n) to out[pos ...], never past out[cap - 1]; the new pos.
//   in:  x0 = out, x1 = pos, x2 = cap, x3 = src, x4 = n
//   out: x0 = new pos
//   registers: x1 = pos, x3 = src cursor, x4 = bytes left to copy,
//              w5 = byte.  Leaf.
// ---------------------------------------------------------------------------
FUNC text_append
1:      cbz     x4, 2f                    // copied everything
        cmp     x1, x2                    // pos at cap?
        b.hs    2f                        // full: drop the rest, never overflow
        ldrb    w5, [x3], #1              // *src++
        strb    w5, [x0, x1]              // out[pos]
        add     x1, x1, #1                // pos++
        sub     x4, x4, #1                // one byte fewer to copy
        b       1b                        // and the next one
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
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        mov     x19, x0                   // x19 = out
        mov     x20, x2                   // x20 = cap
        mov     x21, x5                   // x21 = value
        mov     x22, x6                   // x22 = value_len
        CALL    text_append               // the label: x0..x4 are already its arguments
        mov     x1, x0                    // the value: pos = what text_append returned
        mov     x0, x19                   // out
        mov     x2, x20                   // cap
        mov     x3, x21                   // src = value
        mov     x4, x22                   // n = value_len
        CALL    text_append               // x0 = pos after the value
        mov     x1, x0                    // the newline: pos
        mov     x0, x19                   // out
        mov     x2, x20                   // cap
        LOAD_ADDR x3, newline             // src = "\n"
        mov     x4, #1                    // one byte
        CALL    text_append               // x0 = the new pos: our result
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48       // fp, lr, and sp back where it was
        ret
ENDFUNC echo_line

// ECHO_FIELD text, count, field -- inside echo_body only:
//   pos = echo_line(out, pos, cap, text, count, req->field (ptr, len))
        .macro ECHO_FIELD text, count, field
        mov     x0, x20                   // out
        mov     x1, x22                   // pos
        mov     x2, x21                   // cap
        LOAD_ADDR x3, \text               // label = the text ...
        mov     x4, #\count               // ... and its length
        ldp     x5, x6, [x19, #\field]    // the slice: pointer, length
        CALL    echo_line                 // appends label, value and a newline
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
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        mov     x19, x0                   // x19 = req
        mov     x20, x1                   // x20 = out
        mov     x21, x2                   // x21 = cap
        mov     x22, #0                   // pos = 0
        // the four slices of the record, one line each (ECHO_FIELD, above)
        ECHO_FIELD label_method, LABEL_METHOD_LEN, REQ_METHOD_PTR
        ECHO_FIELD label_target, LABEL_TARGET_LEN, REQ_TARGET_PTR
        ECHO_FIELD label_path, LABEL_PATH_LEN, REQ_PATH_PTR
        ECHO_FIELD label_query, LABEL_QUERY_LEN, REQ_QUERY_PTR
        // version: "HTTP/1.0" or "HTTP/1.1", 8 bytes each in `versions`
        mov     x0, x20                   // out
        mov     x1, x22                   // pos
        mov     x2, x21                   // cap
        LOAD_ADDR x3, label_version       // label = "version: " ...
        mov     x4, #LABEL_VERSION_LEN    // ... and its length
        ldr     x6, [x19, #REQ_VERSION_MINOR] // x6 = 0 or 1, for now
        LOAD_ADDR x5, versions            // x5 = "HTTP/1.0HTTP/1.1"
        add     x5, x5, x6, lsl #3        // versions + 8 * minor
        mov     x6, #8                    // value_len: 8 bytes either way
        CALL    echo_line
        mov     x22, x0                   // the new pos
        // host: looked up in lower case -- the lookup ignores case
        mov     x0, x19                   // find_header(req,
        LOAD_ADDR x1, name_host_lower     //             "host",
        mov     x2, #4                    //             4)
        CALL    find_header               // x0 = the field, or NULL
        cbz     x0, echo_body_fields      // no Host (HTTP/1.0): no line
        ldp     x5, x6, [x0, #HDR_VALUE_PTR] // value = its value (before x0 is reused)
        mov     x0, x20                   // out
        mov     x1, x22                   // pos
        mov     x2, x21                   // cap
        LOAD_ADDR x3, label_host          // label = "host: " ...
        mov     x4, #LABEL_HOST_LEN       // ... and its length
        CALL    echo_line
        mov     x22, x0                   // the new pos
        // every field, names as sent: "header: Name: value\n"
echo_body_fields:
        mov     x23, #0                   // i = 0
        add     x24, x19, #REQ_HEADERS    // x24 = &headers[0]
echo_body_field:
        ldr     x0, [x19, #REQ_HEADER_COUNT] // each time: the calls clobber x0
        cmp     x23, x0                   // i == count?
        b.hs    echo_body_done            // every field is echoed
        mov     x0, x20                   // "header: "
        mov     x1, x22                   // pos
        mov     x2, x21                   // cap
        LOAD_ADDR x3, label_header        // src = "header: " ...
        mov     x4, #LABEL_HEADER_LEN     // ... and its length
        CALL    text_append
        mov     x1, x0                    // the name
        mov     x0, x20                   // out
        mov     x2, x21                   // cap
        ldp     x3, x4, [x24, #HDR_NAME_PTR] // src, n = the name as sent
        CALL    text_append
        mov     x1, x0                    // ": "
        mov     x0, x20                   // out
        mov     x2, x21                   // cap
        LOAD_ADDR x3, colon_space         // src = ": " ...
        mov     x4, #2                    // ... 2 bytes
        CALL    text_append
        mov     x1, x0                    // the value and "\n" (an empty label)
        mov     x0, x20                   // out
        mov     x2, x21                   // cap
        mov     x3, x20                   // label: any pointer, 0 bytes are read
        mov     x4, #0                    // label_len = 0
        ldp     x5, x6, [x24, #HDR_VALUE_PTR] // value = the trimmed value
        CALL    echo_line
        mov     x22, x0                   // the new pos
        add     x23, x23, #1              // next field
        add     x24, x24, #HDR_SIZE       // its slot, 32 bytes on
        b       echo_body_field
echo_body_done:
        mov     x0, x22                   // the length
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64       // fp, lr, and sp back where it was
        ret
ENDFUNC echo_body

// ---------------------------------------------------------------------------
// int64_t send_error(int fd, int status, int is_head, const char *extra,
//                    size_t extra_len)
//   A whole error response: head_start_body (status line, Server,
//   Connection, Content-Type text/plain, Content-Length), the field lines
//   in extra (ready-made "Name: value\r\n" lines, maybe none: Allow for a
//   405 ...), the empty line; then the body "<code> <reason>\n" unless
//   is_head (RFC 9110 §9.3.2: the same head as GET, no body).
//   in:  w0 = fd, w1 = status, w2 = is_head, x3 = extra, x4 = extra_len
//   out: x0 = the body bytes sent (0 for HEAD), or -errno
//   registers: x19 = fd, x20 = status, x21 = is_head, x22 = body length,
//              x23 = the reason phrase while the body is built,
//              x24 = extra, x25 = extra_len
//   stack: 80 bytes (fp, lr, x19..x25, padding) + locals: body at sp
//          (ERROR_BODY_MAX bytes), head at sp + ERROR_BODY_MAX (HEAD_MAX)
//   syscalls: write (write_all)
// ---------------------------------------------------------------------------
        .equ    SEND_ERROR_LOCALS, (ERROR_BODY_MAX + HEAD_MAX + 15) & ~15
FUNC send_error
        stp     x29, x30, [sp, #-80]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        str     x25, [sp, #64]            // (sp + 72: padding, keeps sp 16-aligned)
        sub     sp, sp, #SEND_ERROR_LOCALS // the two buffers
        sxtw    x19, w0                   // x19 = fd
        sxtw    x20, w1                   // x20 = status (an int: sign-extend, as the C++ cast to uint64_t does)
        mov     w21, w2                   // x21 = is_head (only w21 is tested)
        mov     x24, x3                   // x24 = extra
        mov     x25, x4                   // x25 = extra_len
        // the body: "<code> <reason>\n"
        mov     x0, x20                   // format_u64(status,
        mov     x1, sp                    //            body)
        CALL    format_u64                // the code's digits at body[0]
        mov     x1, x0                    // pos = the number of digits
        mov     x0, sp                    // out = body
        mov     x2, #ERROR_BODY_MAX       // cap = the body's size
        LOAD_ADDR x3, space               // src = " " ...
        mov     x4, #1                    // ... 1 byte
        CALL    text_append               // " "
        mov     x22, x0                   // x22 = pos (callee-saved: 2 calls follow)
        mov     w0, w20                   // reason_phrase(status)
        CALL    reason_phrase             // x0 = "Bad Request" ...
        mov     x23, x0                   // x23 = the phrase, until the head is built
        CALL    str_len                   // ... and its length
        mov     x6, x0                    // value_len = that length
        mov     x5, x23                   // value = the phrase
        mov     x0, sp                    // out = body
        mov     x1, x22                   // pos
        mov     x2, #ERROR_BODY_MAX       // cap
        mov     x3, sp                    // an empty label
        mov     x4, #0                    // label_len = 0: any pointer will do
        CALL    echo_line                 // reason and "\n"
        mov     x22, x0                   // x22 = body length
        // the head, at sp + ERROR_BODY_MAX
        add     x0, sp, #ERROR_BODY_MAX   // head_start_body(head,
        mov     w1, w20                   //                 status,
        LOAD_ADDR x2, text_plain          //                 text/plain,
        mov     x3, x22                   //                 the body length: HEAD too)
        CALL    head_start_body           // status line, Server, Connection, Content-*
        mov     x1, x0                    // head_add_lines(head, len,
        add     x0, sp, #ERROR_BODY_MAX   //                (the head buffer)
        mov     x2, x24                   //                extra,
        mov     x3, x25                   //                extra_len)
        CALL    head_add_lines            // Allow, Location, ... (or nothing)
        mov     x1, x0                    // head_end(head, len)
        add     x0, sp, #ERROR_BODY_MAX   // (the head buffer)
        CALL    head_end                  // the empty line
        // send the head, then the body unless HEAD
        mov     x2, x0                    // write_all(fd, head, len = the whole head)
        mov     x0, x19                   // fd
        add     x1, sp, #ERROR_BODY_MAX   // head
        CALL    write_all                 // send the head
        tbnz    x0, #63, send_error_return // sign bit set: negative, -errno
        cbnz    w21, send_error_return    // HEAD: no body (x0 is 0)
        mov     x0, x19                   // write_all(fd,
        mov     x1, sp                    //           body,
        mov     x2, x22                   //           body length)
        CALL    write_all                 // send the body
        tbnz    x0, #63, send_error_return // -errno as it is
        mov     x0, x22                   // all of it went: its length
send_error_return:
        add     sp, sp, #SEND_ERROR_LOCALS // drop the buffers
        ldr     x25, [sp, #64]            // restore and return
        ldp     x23, x24, [sp, #48]
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #80       // fp, lr, and sp back where it was
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
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        sub     sp, sp, #HEAD_MAX         // the head buffer ...
        sub     sp, sp, #ECHO_MAX         // ... and the body below it (= 8 << 12: encodable)
        sxtw    x19, w0                   // x19 = fd
        mov     x20, x1                   // x20 = req
        add     x22, sp, #ECHO_MAX        // x22 = head buffer
        // the body first: its length goes into the head
        mov     x0, x20                   // echo_body(req,
        mov     x1, sp                    //           body,
        mov     x2, #ECHO_MAX             //           its size)
        CALL    echo_body                 // x0 = body length
        mov     x21, x0                   // x21 = body length
        // the head
        mov     x0, x22                   // head_start_body(head,
        mov     w1, #200                  //                 200 OK,
        LOAD_ADDR x2, text_plain          //                 text/plain,
        mov     x3, x21                   //                 the body length: HEAD too)
        CALL    head_start_body           // status line, Server, Connection, Content-*
        mov     x1, x0                    // len so far
        mov     x0, x22                   // out = head
        CALL    head_end                  // the empty line
        // send the head, then the body unless HEAD
        mov     x2, x0                    // write_all(fd, head, len = the whole head)
        mov     x0, x19                   // fd
        mov     x1, x22                   // head
        CALL    write_all                 // send the head
        tbnz    x0, #63, send_echo_return // sign bit set: negative, -errno
        ldr     x1, [x20, #REQ_IS_HEAD]   // parse_method set the flag
        cbnz    x1, send_echo_return      // HEAD: no body (x0 is 0)
        mov     x0, x19                   // write_all(fd,
        mov     x1, sp                    //           body,
        mov     x2, x21                   //           body length)
        CALL    write_all                 // send the body
send_echo_return:
        add     sp, sp, #ECHO_MAX         // drop the buffers
        add     sp, sp, #HEAD_MAX         // ... and the head buffer
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48       // fp, lr, and sp back where it was
        ret
ENDFUNC send_echo

// ---------------------------------------------------------------------------
// int begins_with_head(const char *buf)
//   Do the first 5 bytes of buf say "HEAD "?  (buf has at least 5
//   readable bytes.)  When the head could not be read whole, this is all
//   we know of the method -- and a HEAD must not get a body.
//   in:  x0 = buf
//   out: w0 = 1 or 0
//   registers: w1 = bytes of buf, w2 = what they must be.  Leaf.
// ---------------------------------------------------------------------------
FUNC begins_with_head
        ldr     w1, [x0]                  // bytes 0-3 as one 32-bit load (unaligned is fine)
        movz    w2, #(('E' << 8) | 'H')   // w2 = "HEAD" as a little-endian word:
        movk    w2, #(('D' << 8) | 'A'), lsl #16 // bytes 'H' 'E' 'A' 'D', lowest first
        cmp     w1, w2                    // do the first 4 bytes say HEAD?
        ldrb    w1, [x0, #4]              // byte 4 (ldrb leaves the flags alone)
        mov     w2, #CHAR_SP              // must be ' ' (and mov keeps the flags)
        ccmp    w1, w2, #0, eq            // "HEAD" matched: and then a space? (else flags = ne)
        cset    w0, eq                    // 1 only if all 5 bytes matched
        ret                               // w0 = 1 or 0
ENDFUNC begins_with_head

// ---------------------------------------------------------------------------
// int step_read_head(struct exchange *x)
//   read_request_head(x->sock, x->buf, REQ_HEAD_MAX, &x->read_len).  First
//   the first 8 bytes of x->buf not read yet are blanked: if the client
//   sends fewer than 5 before it fails, begins_with_head must not read
//   what an earlier call left (x->read_len is 0 unless an earlier step
//   read part of a head).  Whatever the result: x->read_len = the bytes read,
//   and x->linger = 1 for 414 / 431 (the rest of the head is still
//   coming, unread), else 0.
//   in:  x0 = x
//   out: w0 = STEP_NEXT (x->head_len = the head's length), STEP_DONE
//        (the client sent nothing: nobody to answer), or 400 / 414 / 431
//        with x->req.is_head = begins_with_head(x->buf)
//   registers: x19 = x, x20 = x->buf, then the status
//   stack: 32 bytes (fp, lr, x19, x20)
//   syscalls: read (read_request_head)
// ---------------------------------------------------------------------------
FUNC step_read_head
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = x
        mov     x20, #X_BUF               // (X_BUF does not fit add's immediate)
        add     x20, x19, x20             // x20 = x->buf
        ldr     x9, [x19, #X_READ_LEN]    // i = the bytes an earlier step read (usually 0)
step_read_head_blank:
        cmp     x9, #8                    // i < 8?
        b.hs    step_read_head_call       // no: the first 8 bytes hold request bytes or zeros
        strb    wzr, [x20, x9]            // buf[i] = 0: never read, so blank
        add     x9, x9, #1                // i++
        b       step_read_head_blank
step_read_head_call:
        ldrsw   x0, [x19, #X_SOCK]        // read_request_head(x->sock (as an int),
        mov     x1, x20                   //     x->buf,
        mov     x2, #REQ_HEAD_MAX         //     REQ_HEAD_MAX,
        add     x3, x19, #X_READ_LEN      //     &x->read_len)
        CALL    read_request_head         // x0 = length, 0, or -400 / -414 / -431
        // x->linger = (x0 == -414 || x0 == -431): the head did not fit,
        // the rest of it is unread
        cmn     x0, #414                  // x0 == -414?
        mov     x1, #-431                 // (mov leaves the flags alone)
        ccmp    x0, x1, #4, ne            // if not: x0 == -431? (if so: flags stay "equal")
        cset    x1, eq                    // 1 for either, else 0
        str     x1, [x19, #X_LINGER]      // x->linger
        cbz     x0, step_read_head_nothing // nothing sent: nobody to answer
        tbnz    x0, #63, step_read_head_failed // negative: -status
        str     x0, [x19, #X_HEAD_LEN]    // x->head_len = the head's length
        mov     w0, #STEP_NEXT            // a whole head to parse
        b       step_read_head_return     // w0 = STEP_NEXT
step_read_head_nothing:
        mov     w0, #STEP_DONE            // no request, no response
        b       step_read_head_return     // w0 = STEP_DONE
// the head could not be read whole: all we know of the method is whether
// the bytes we have begin with "HEAD " (RFC 9110 §9.3.2: then no body)
step_read_head_failed:
        neg     x20, x0                   // x20 = the status (x->buf is recomputed below)
        mov     x0, #X_BUF                // begins_with_head(x->buf)
        add     x0, x19, x0               // (x20 no longer holds it)
        CALL    begins_with_head          // w0 = 1 or 0
        cmp     w0, #0                    // an int turned into a flag ...
        cset    x0, ne                    // ... 1 or 0, all 64 bits
        str     x0, [x19, #(X_REQ + REQ_IS_HEAD)] // x->req.is_head
        mov     w0, w20                   // 400 / 414 / 431
step_read_head_return:
        ldp     x19, x20, [sp, #16]       // restore x19, x20 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT, STEP_DONE or a status
ENDFUNC step_read_head

// ---------------------------------------------------------------------------
// int step_parse_head(struct exchange *x)
//   parse_request(x->buf, x->head_len, &x->req): its 0 is STEP_NEXT, its
//   status (400 414 431 505) stops the pipeline -- with x->linger = 1: a
//   head we refuse says nothing we can trust about a body, so whatever the
//   client still sends is drained (RFC 9112 §9.6).
//   in:  x0 = x
//   out: w0 = STEP_NEXT or the status
//   registers: x19 = x; x9 = scratch offset
//   stack: 32 bytes (fp, lr, x19, padding)
// ---------------------------------------------------------------------------
FUNC step_parse_head
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        mov     x19, x0                   // x19 = x
        ldr     x1, [x19, #X_HEAD_LEN]    // parse_request(x->buf, x->head_len,
        mov     x9, #X_REQ                //     &x->req): the offsets do not fit
        add     x2, x19, x9               //     add's immediate, so via x9
        mov     x9, #X_BUF                // the buffer last
        add     x0, x19, x9               //     (x0 = x->buf)
        CALL    parse_request             // w0 = 0 or a status: ours too (0 = STEP_NEXT)
        cbz     w0, step_parse_head_return // parsed: step_check_framing decides about lingering
        mov     x9, #1                    // refused: the body (if any) is unread,
        str     x9, [x19, #X_LINGER]      //     x->linger = 1
step_parse_head_return:
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or the status
ENDFUNC step_parse_head

// ---------------------------------------------------------------------------
// int step_check_framing(struct exchange *x)
//   parse_framing(&x->req): its 0 is STEP_NEXT, its 400 / 501 stop the
//   pipeline.  And x->linger = 1 when request bytes may still be on
//   their way: a framing error (a Content-Length or Transfer-Encoding
//   was sent, but how long the body is cannot be told), a chunked body
//   (we do not decode it to find its end), or a Content-Length larger
//   than what came after the head (x->read_len - x->head_len).
//   Otherwise x->linger stays as step_read_head left it (0).
//   in:  x0 = x
//   out: w0 = STEP_NEXT, 400 or 501
//   registers: x19 = x, x20 = the status
//   stack: 32 bytes (fp, lr, x19, x20)
// ---------------------------------------------------------------------------
FUNC step_check_framing
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = x
        mov     x0, #X_REQ                // parse_framing(&x->req): the offset
        add     x0, x19, x0               //     does not fit add's immediate
        CALL    parse_framing             // w0 = 0, 400 or 501
        mov     w20, w0                   // x20 = the status
        cbnz    w20, step_check_framing_linger // a framing error: the body's end is unknown
        ldr     x0, [x19, #(X_REQ + REQ_BODY_KIND)] // what parse_framing found
        cmp     x0, #BODY_CHUNKED         // chunked?
        b.eq    step_check_framing_linger // its end is not looked for: linger
        cmp     x0, #BODY_LENGTH          // a Content-Length?
        b.ne    step_check_framing_return // no body: nothing unread
        // if (content_length > read_len - head_len) some of it is unread
        ldp     x1, x2, [x19, #X_HEAD_LEN] // x1 = head_len, x2 = read_len (X_READ_LEN follows)
        sub     x2, x2, x1                // x2 = body bytes that came with the head
        ldr     x0, [x19, #(X_REQ + REQ_CONTENT_LENGTH)] // x0 = the declared length
        cmp     x0, x2                    // more declared than we have?
        b.ls    step_check_framing_return // no: all of it is in x->buf
step_check_framing_linger:
        mov     x0, #1                    // x->linger = 1: linger_close
        str     x0, [x19, #X_LINGER]      // drains after the answer
step_check_framing_return:
        mov     w0, w20                   // the status: 0 is STEP_NEXT
        ldp     x19, x20, [sp, #16]       // restore x19, x20 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = 0, 400 or 501
ENDFUNC step_check_framing

// ---------------------------------------------------------------------------
// int step_check_method(struct exchange *x)
//   method_status(x->req.method_id): GET and HEAD go on; a 405 adds
//   "Allow: GET, HEAD" to x->extra (RFC 9110 §15.5.6: MUST); 501 as it is.
//   in:  x0 = x
//   out: w0 = STEP_NEXT (0), 405 or 501
//   registers: x19 = x, x20 = the status
//   stack: 32 bytes (fp, lr, x19, x20)
// ---------------------------------------------------------------------------
FUNC step_check_method
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = x
        ldr     w0, [x19, #(X_REQ + REQ_METHOD_ID)] // method_status(x->req.method_id, an int)
        CALL    method_status             // w0 = 0, 405 or 501
        mov     w20, w0                   // x20 = the status
        cmp     w20, #405                 // known but not served?
        b.ne    step_check_method_return  // no: nothing to add
        mov     x0, x19                   // add_extra(x,
        LOAD_ADDR x1, field_allow         //     "Allow",
        LOAD_ADDR x2, value_allow         //     "GET, HEAD")
        CALL    add_extra                 // (its -1, no room, is ignored: so in the C++)
step_check_method_return:
        mov     w0, w20                   // the status: 0 is STEP_NEXT
        ldp     x19, x20, [sp, #16]       // restore x19, x20 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = 0, 405 or 501
ENDFUNC step_check_method

// ---------------------------------------------------------------------------
// int step_echo(struct exchange *x)
//   Lesson 03 only: send_echo(x->sock, &x->req), the 200 echo of what the
//   parser understood.  Its failure means the client left: nothing to do.
//   in:  x0 = x
//   out: w0 = STEP_DONE
//   registers: x9 = scratch offset.  stack: 16 bytes (fp, lr)
//   syscalls: write (send_echo)
// ---------------------------------------------------------------------------
FUNC step_echo
        stp     x29, x30, [sp, #-16]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        mov     x9, #X_REQ                // send_echo(x->sock,
        add     x1, x0, x9                //           &x->req)
        ldrsw   x0, [x0, #X_SOCK]         // (the socket as an int; x0 stops being x)
        CALL    send_echo                 // 200 with what was understood
        mov     w0, #STEP_DONE            // answered (or the client is gone)
        ldp     x29, x30, [sp], #16       // fp, lr, and drop the frame
        ret                               // w0 = STEP_DONE
ENDFUNC step_echo

// ---------------------------------------------------------------------------
// void answer_error(struct exchange *x, int status)
//   What the spine does when a step stopped with a status: x->status =
//   status, then send_error(x->sock, status, x->req.is_head, x->extra,
//   x->extra_len).  Its failure means the client left: nothing to do.
//   in:  x0 = x, w1 = status
//   registers: x9 = x, then scratch.  No stack: a tail call.
//   syscalls: write (send_error)
// ---------------------------------------------------------------------------
FUNC answer_error
        sxtw    x9, w1                    // status is an int: sign-extend it ...
        str     x9, [x0, #X_STATUS]       // ... into x->status (64 bits)
        mov     x9, x0                    // x9 = x: x0 becomes the socket
        ldrsw   x0, [x9, #X_SOCK]         // send_error(x->sock (as an int),
                                          //     status (still in w1),
        ldr     x2, [x9, #(X_REQ + REQ_IS_HEAD)] // x->req.is_head,
        add     x3, x9, #X_EXTRA          //     x->extra,
        ldr     x4, [x9, #X_EXTRA_LEN]    //     x->extra_len)
        JUMP    send_error                // tail call: void, its answer is dropped
ENDFUNC answer_error

// ---------------------------------------------------------------------------
// uint64_t linger_close(struct exchange *x)
//   What the spine does after the answer (a lingering close, RFC 9112
//   §9.6): nothing unless x->linger.  Then shutdown(SHUT_WR) -- our FIN
//   goes out after the response, so the client sees where it ends -- and
//   read and drop what the client still sends, into x->buf (the request
//   is done with), until it closes, a read fails, or LINGER_MAX bytes.
//   The caller closes the socket: with nothing left unread, that close is
//   a FIN, not a reset that could destroy the response on its way.
//   in:  x0 = x
//   out: x0 = the bytes read and dropped
//   registers: x19 = x, x20 = bytes dropped, x21 = x->buf, x22 = bytes
//              the limit still allows
//   stack: 48 bytes (fp, lr, x19..x22)
//   syscalls: shutdown, read (only when x->linger)
// ---------------------------------------------------------------------------
FUNC linger_close
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        mov     x19, x0                   // x19 = x
        mov     x20, #0                   // nothing dropped yet
        ldr     x0, [x19, #X_LINGER]      // unread request bytes possible?
        cbz     x0, linger_close_return   // no: the caller just closes
        ldrsw   x0, [x19, #X_SOCK]        // shutdown(x->sock (as an int),
        mov     x1, #SHUT_WR              //          SHUT_WR): we send no more
        SYSCALL shutdown                  // the FIN follows the response
        b.cs    linger_close_return       // not connected any more: nothing to drain
        mov     x21, #X_BUF               // x21 = x->buf (the offset does not
        add     x21, x19, x21             //     fit add's immediate)
        movz    x22, #(LINGER_MAX & 0xffff) // x22 = LINGER_MAX, 16 bits at a time
        movk    x22, #((LINGER_MAX >> 16) & 0xffff), lsl #16
        // read and drop until the client closes or the limit is reached
linger_close_read:
        cbz     x22, linger_close_return  // the limit: give up (the close may reset)
        mov     x2, #REQ_HEAD_MAX         // at most x->buf's size ...
        cmp     x22, x2                   // ... or what the limit allows,
        csel    x2, x22, x2, lo           // whichever is smaller
        ldrsw   x0, [x19, #X_SOCK]        // read(x->sock,
        mov     x1, x21                   //      x->buf, that many)
        SYSCALL read                      // x0 = bytes, 0 at the client's close
        b.cs    linger_close_failed       // carry set: x0 = errno
        cbz     x0, linger_close_return   // the client closed: done
        add     x20, x20, x0              // dropped += n
        sub     x22, x22, x0              // the limit comes closer
        b       linger_close_read
linger_close_failed:
        cmp     x0, #EINTR                // a signal interrupted the read?
        b.eq    linger_close_read         // yes: read again
linger_close_return:
        mov     x0, x20                   // the bytes dropped
        ldp     x21, x22, [sp, #32]       // restore and return
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #48       // fp, lr, and sp back where it was
        ret                               // x0 = bytes dropped
ENDFUNC linger_close
