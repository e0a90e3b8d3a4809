// asm/04-files.s -- lesson 04: serving files from the document root.
//
// C++ twin: cpp/04-files.cpp (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/04-files/README.md.
//
// The stage's steps, in the order of the spine's list (asm/httpd.s),
// after lesson 03's steps have a well-formed GET or HEAD; each works on
// the connection's struct exchange (asm/records.inc, EXCHANGE):
//     step_copy_path    x->path = the request's path, as it is
//     step_add_index    ".../" -> ".../index.html" (add_index)
//     step_open_file    map_path (docroot + path), openat(O_RDONLY | O_NONBLOCK)
//     step_stat_file    fstat: x->file_mode, x->file_size; the body is the whole file
//     step_check_file   only a regular file is served: else 403
//     step_choose_type  mime_type: Content-Type from lessons/04-files/mime-types.tsv
//     step_send_head    head_start_body: status, Content-Type, Content-Length
//     step_send_body    send_file_counted: sendfile(2), or a pread/write loop
//
// Error convention of this lesson: a step that fails returns the status
// for answer_error (lesson 03): 403, 404, 414 or 500 (errno_to_status),
// before anything was sent; map_path and add_index return a length or
// -414; the body senders return 0 or -errno; never the carry flag.  Raw
// system calls keep the kernel's convention: carry set = failed,
// x0 = errno.  The file a step opens stays in x->file_fd: the spine
// closes it.
//
// Not yet: percent-decoding (lesson 05) and refusing `..` (lesson 06).
// This lesson's server serves any path it is given, `/../../etc/passwd`
// included: never expose it to a network.

        .include "os.inc"
        .include "records.inc"

// excerpt: mime-table
// MIME_ENTRY ext, type -- one line of build/gen/mime-types.inc, which the
// Makefile generates from lessons/04-files/mime-types.tsv.  Each entry
// becomes two C strings, the extension and its type, one after the other:
//     "html\0text/html; charset=utf-8\0" "htm\0..."
// and an empty extension (a lone NUL) ends the table.  No pointers: a
// table of addresses in read-only memory would need relocations, which
// the arm64 Mach-O linker refuses in __TEXT.
        .macro MIME_ENTRY ext, type
        .asciz  "\ext"
        .asciz  "\type"
        .endm

        RODATA                            // constant data: the tables and strings
mime_table:
        .include "mime-types.inc"
        .byte   0                         // an empty extension: the end
// excerpt end
type_unknown:
        .asciz  "application/octet-stream" // RFC 9110 §8.3: just bytes
index_name:
        .ascii  "index.html"              // what "/" and ".../" mean (add_index)
        .equ    INDEX_NAME_LEN, . - index_name

// ---------------------------------------------------------------------------
// int errno_to_status(int err)
//   What an error from openat/fstat means to the client.  The errno
//   numbers differ between Darwin and Linux (ELOOP is 62 or 40,
//   ENAMETOOLONG 63 or 36): only the os.inc names appear here.
//   in:  w0 = err (a positive errno)
//   out: w0 = 404 (ENOENT, ENOTDIR), 403 (EACCES, EPERM, ELOOP),
//             414 (ENAMETOOLONG), 500 (anything else)
//   registers: only w0.  No stack, no calls.
// ---------------------------------------------------------------------------
FUNC errno_to_status
        // 404: the file, or a directory on the way to it, is not there
        cmp     w0, #ENOENT               // no such file
        b.eq    errno_to_status_404       // -> 404
        cmp     w0, #ENOTDIR              // a file used as a directory: /file.txt/x
        b.eq    errno_to_status_404       // -> 404
        // 403: it is there, but not for us
        cmp     w0, #EACCES               // the mode bits say no
        b.eq    errno_to_status_403       // -> 403
        cmp     w0, #EPERM                // something else says no
        b.eq    errno_to_status_403       // -> 403
        cmp     w0, #ELOOP                // a symlink loop
        b.eq    errno_to_status_403       // -> 403
        // 414: a name (or a component of it) longer than the kernel takes
        cmp     w0, #ENAMETOOLONG         // a component past NAME_MAX, or all of it
        b.eq    errno_to_status_414       // -> 414
        // 500: out of descriptors, I/O error, ...: our problem
        mov     w0, #500                  // Internal Server Error
        ret                               // w0 = 500
errno_to_status_404:
        mov     w0, #404                  // Not Found
        ret                               // w0 = 404
errno_to_status_403:
        mov     w0, #403                  // Forbidden
        ret                               // w0 = 403
errno_to_status_414:
        mov     w0, #414                  // URI Too Long
        ret                               // w0 = 414
ENDFUNC errno_to_status

// ---------------------------------------------------------------------------
// int64_t map_path(const char *docroot, const char *path, size_t path_len,
//                  char *out, size_t cap)
//   out = docroot + path, then a NUL: the file's name for openat.  path
//   is used as it is: no index.html (add_index), no decoding, no `..`
//   check (lessons 05 and 06).
//   in:  x0 = docroot (C string), x1 = path, x2 = path_len, x3 = out,
//        x4 = cap (bytes available at out, the NUL included)
//   out: x0 = length without the NUL, or -414 if it and the NUL do not
//        fit (nothing useful is written then)
//   registers: x19 = docroot, x20 = path, x21 = path_len, x22 = out,
//              x23 = cap, then the total length, x24 = docroot's length
//   stack: 64 bytes (fp, lr, x19..x24)
//   syscalls: none
// ---------------------------------------------------------------------------
FUNC map_path
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        stp     x23, x24, [sp, #48]       // callee-saved: x23, x24
        mov     x19, x0                   // x19 = docroot
        mov     x20, x1                   // x20 = path
        mov     x21, x2                   // x21 = path_len
        mov     x22, x3                   // x22 = out
        mov     x23, x4                   // x23 = cap
        CALL    str_len                   // x0 = strlen(docroot)
        mov     x24, x0                   // x24 = docroot's length

// -- map_path_check_parts: each part alone must fit, so that the sum below
// cannot overflow
        cmp     x24, x23                  // docroot longer than cap?
        b.hi    map_path_too_long         // -> -414
        cmp     x21, x23                  // path longer than cap?
        b.hi    map_path_too_long         // -> -414

// -- map_path_sum: total = docroot + path; it and the NUL must fit in cap
        add     x9, x24, x21              // x9 = docroot + path
        cmp     x9, x23                   // total >= cap: no room for the NUL
        b.hs    map_path_too_long         // -> -414
        mov     x23, x9                   // x23 = total (cap is not needed any more)

// -- map_path_copy: docroot and path (lesson 01's copy_bytes), then the NUL
        mov     x0, x22                   // copy_bytes(out,
        mov     x1, x19                   //            docroot,
        mov     x2, x24                   //            its length)
        CALL    copy_bytes                // x0 = just past the docroot
        mov     x1, x20                   // copy_bytes(there,
        mov     x2, x21                   //            path, path_len)
        CALL    copy_bytes                // x0 = just past the path
        strb    wzr, [x0]                 // the NUL openat needs
        mov     x0, x23                   // the length without it
        b       map_path_return           // x0 = the length
map_path_too_long:
        mov     x0, #-414                 // RFC 9110 §15.5.15: URI Too Long
map_path_return:
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #64       // ... fp, lr, and drop the frame
        ret                               // x0 = length or -414
ENDFUNC map_path

// ---------------------------------------------------------------------------
// int64_t add_index(char *path, size_t len, size_t cap)
//   A path that ends in '/' names a directory, and a directory's page is
//   its index.html: append "index.html" to path[0..len) when it ends in
//   '/'.  Other paths (and an empty one) are left alone.
//   in:  x0 = path, x1 = len, x2 = cap (bytes available at path)
//   out: x0 = the new length, or -414 if it would pass cap
//   registers: x19 = the new length (len + 10); before the call x9 =
//              the last byte, then the room left, x10 = 10
//   stack: 32 bytes (fp, lr, x19, padding)
//   syscalls: none
// ---------------------------------------------------------------------------
FUNC add_index
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        // only a path that ends in '/' gets an index.html
        cbz     x1, add_index_unchanged   // an empty path has no last byte
        sub     x9, x1, #1                // the last byte's index
        ldrb    w9, [x0, x9]              // the last byte
        cmp     w9, #'/'                  // ends in '/'?
        b.ne    add_index_unchanged       // a file name: nothing to add
        // len + 10 must not pass cap (asked so that nothing can overflow)
        mov     x10, #INDEX_NAME_LEN      // x10 = 10 (Darwin's assembler takes a length
                                          // measured in another section in a mov only)
        cmp     x1, x2                    // len > cap already?
        b.hi    add_index_too_long        // -> -414
        sub     x9, x2, x1                // x9 = room left: cap - len
        cmp     x9, x10                   // less than 10 bytes?
        b.lo    add_index_too_long        // -> -414
        add     x19, x1, x10              // x19 = the new length
        add     x0, x0, x1                // copy_bytes(path + len,
        LOAD_ADDR x1, index_name          //            "index.html",
        mov     x2, x10                   //            10)
        CALL    copy_bytes                // no NUL: lengths, not C strings
        mov     x0, x19                   // the new length
        b       add_index_return          // x0 = len + 10
add_index_unchanged:
        mov     x0, x1                    // the length as it was
        b       add_index_return          // x0 = len
add_index_too_long:
        mov     x0, #-414                 // RFC 9110 §15.5.15: URI Too Long
add_index_return:
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // x0 = length or -414
ENDFUNC add_index

// ---------------------------------------------------------------------------
// const char *mime_type(const char *path, size_t len)
//   The Content-Type for a file name.  The extension is what follows the
//   last '.' of the last path segment -- but a '.' that is the segment's
//   first byte (".hidden") starts a name, not an extension, and "name."
//   has none.  Compared with each table key by lesson 03's
//   equal_ignoring_case (the table is lower case).  Unknown ->
//   "application/octet-stream".
//   in:  x0 = path, x1 = len
//   out: x0 = a NUL-terminated type in read-only memory
//   registers: finding the extension (no calls yet): x2 = end of path,
//              x3 = start of the last segment, w4 = the byte looked at
//              while walking back, x5 = the walking cursor, x6 = the
//              segment's second byte (a bound);
//              the table walk: x19 = extension start, x20 = its length,
//              x21 = current table entry, x22 = the entry's key length
//   stack: 48 bytes (fp, lr, x19..x22)
//   syscalls: none
// ---------------------------------------------------------------------------
FUNC mime_type
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        add     x2, x0, x1                // x2 = one past the last byte

// the last segment starts after the last '/' (or at the start)
        mov     x3, x2                    // walk back from the end
mime_type_find_segment:
        cmp     x3, x0                    // at the start of the path?
        b.ls    mime_type_find_dot        // yes: the whole path is the segment
        ldrb    w4, [x3, #-1]             // the byte before the cursor
        cmp     w4, #'/'                  // a slash?
        b.eq    mime_type_find_dot        // x3 = just after the last '/'
        sub     x3, x3, #1                // no: one byte further back
        b       mime_type_find_segment    // and look again

// the extension starts after the last '.', which must not be byte 0
mime_type_find_dot:
        mov     x5, x2                    // walk back from the end again
        add     x6, x3, #1                // x6 = the segment's second byte
mime_type_dot_loop:
        cmp     x5, x6                    // no byte left after the first?
        b.ls    mime_type_unknown         // no dot, or only a leading one
        ldrb    w4, [x5, #-1]!            // step back and look
        cmp     w4, #'.'                  // a dot?
        b.ne    mime_type_dot_loop        // no: keep walking back
        add     x19, x5, #1               // x19 = the extension's first byte
        sub     x20, x2, x19              // x20 = its length
        cbz     x20, mime_type_unknown    // "name.": an empty extension

// compare with each table entry: "ext\0type\0" ... "\0"
        LOAD_ADDR x21, mime_table         // x21 = the first entry
mime_type_entry:
        ldrb    w9, [x21]                 // an empty extension ...
        cbz     w9, mime_type_unknown     // ... ends the table
        mov     x0, x21                   // str_len(key)
        CALL    str_len                   // x0 = the key's length
        mov     x22, x0                   // x22 = the key's length
        mov     x0, x19                   // equal_ignoring_case(ext, ext_len,
        mov     x1, x20                   //     (the extension as sent)
        mov     x2, x21                   //     key, key_len)
        mov     x3, x22                   //     (lower case in the table)
        CALL    equal_ignoring_case       // w0 = 1 if they are the same word
        add     x21, x21, x22             // x21 = the key's NUL ...
        add     x21, x21, #1              // ... and right after it, its type
        cbnz    w0, mime_type_found       // a match: x21 = the type
        // skip the type: the next entry starts after its NUL
        mov     x0, x21                   // str_len(type)
        CALL    str_len                   // x0 = the type's length
        add     x21, x21, x0              // x21 = the type's NUL ...
        add     x21, x21, #1              // ... and right after it, the next entry
        b       mime_type_entry           // try the next entry
mime_type_found:
        mov     x0, x21                   // the type string
        b       mime_type_return          // x0 = the type
mime_type_unknown:
        LOAD_ADDR x0, type_unknown        // "application/octet-stream"
mime_type_return:
        ldp     x21, x22, [sp, #32]       // restore x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // x0 = a type string
ENDFUNC mime_type

// ---------------------------------------------------------------------------
// int64_t copy_file_body(int sock, int file_fd, uint64_t offset,
//                        uint64_t count)
//   The portable way to send a file: pread up to COPY_CHUNK bytes at
//   offset into a buffer on the stack, write_all them, repeat.  A fixed
//   buffer: memory use does not grow with the file.
//   in:  w0 = sock, w1 = file_fd, x2 = offset, x3 = count
//   out: x0 = 0, -errno, or -EIO if the file ended before count bytes
//   registers: x19 = sock, x20 = file_fd, x21 = offset of the next read,
//              x22 = bytes still to send, x23 = bytes the last pread got
//   stack: 64 bytes (fp, lr, x19..x23, padding) + COPY_CHUNK bytes of
//          buffer at sp
//   syscalls: pread, write (write_all)
// ---------------------------------------------------------------------------
FUNC copy_file_body
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        str     x23, [sp, #48]            // callee-saved: x23 (sp+56: padding)
        sub     sp, sp, #COPY_CHUNK       // the buffer (64 KiB: one sub with lsl #12)
        sxtw    x19, w0                   // x19 = sock
        sxtw    x20, w1                   // x20 = file_fd
        mov     x21, x2                   // x21 = offset
        mov     x22, x3                   // x22 = bytes left
copy_file_body_loop:
        cbz     x22, copy_file_body_done  // all sent
        // want = min(left, COPY_CHUNK)
        mov     x2, #COPY_CHUNK           // x2 = want, at most a buffer
        cmp     x22, x2                   // left < COPY_CHUNK?
        csel    x2, x22, x2, lo           // fewer left than a buffer: ask for those
        // pread(file_fd, buf, want, offset): the file position is not used
        mov     x0, x20                   // the file
        mov     x1, sp                    // the buffer
        mov     x3, x21                   // a 64-bit offset: files > 4 GiB work
        SYSCALL pread                     // x0 = bytes read (0 = EOF), or carry + errno
        b.cs    copy_file_body_read_failed // x0 = errno
        cbz     x0, copy_file_body_short  // end of file before count bytes
        mov     x23, x0                   // x23 = bytes read
        mov     x0, x19                   // write_all(sock, buf, n):
        mov     x1, sp                    // short writes and EINTR handled there
        mov     x2, x23                   // len = what pread got
        CALL    write_all                 // x0 = 0 or -errno
        tbnz    x0, #63, copy_file_body_return // negative: -errno as it is
        add     x21, x21, x23             // offset += n
        sub     x22, x22, x23             // left -= n
        b       copy_file_body_loop       // the next chunk
copy_file_body_read_failed:
        cmp     x0, #EINTR                // a signal interrupted the read:
        b.eq    copy_file_body_loop       // just read again
        neg     x0, x0                    // our convention: -errno
        b       copy_file_body_return     // x0 = -errno
copy_file_body_short:
        mov     x0, #-EIO                 // the file got shorter than announced
        b       copy_file_body_return     // x0 = -EIO
copy_file_body_done:
        mov     x0, #0                    // 0 = every byte went
copy_file_body_return:
        add     sp, sp, #COPY_CHUNK       // drop the buffer
        ldr     x23, [sp, #48]            // restore and return
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #64       // ... fp, lr, and drop the frame
        ret                               // x0 = 0 or -errno
ENDFUNC copy_file_body

// ---------------------------------------------------------------------------
// int64_t send_file_body(int sock, int file_fd, uint64_t first,
//                        uint64_t count)
//   send_file_counted (below) with no counter: sent = NULL.
//   in:  w0 = sock, w1 = file_fd, x2 = first, x3 = count
//   out: x0 = 0, -errno, or -EIO if the file ended before count bytes
//   registers: none of its own (a tail call)
// ---------------------------------------------------------------------------
FUNC send_file_body
        mov     x4, #0                    // sent = NULL: nobody counts
        JUMP    send_file_counted         // its answer is ours
ENDFUNC send_file_body

// ---------------------------------------------------------------------------
// int64_t send_file_counted(int sock, int file_fd, uint64_t first,
//                           uint64_t count, uint64_t *sent)
//   Send count bytes of the file, starting at byte first, without copying
//   them through our memory: sendfile, in a loop because it may send less
//   than asked.  Every byte the kernel takes is added to *sent as it goes
//   (sent may be NULL): after a failure it says how much went out (lesson
//   10's access log reads it).  What copy_file_body sends is added once it
//   has all gone.
//   EINTR is retried; EINVAL or ENOSYS (this kernel or this pair of
//   descriptors cannot sendfile) hand the rest to copy_file_body.
//   The one place the two kernels' calls really differ (.if OS_DARWIN):
//     Darwin sendfile(file_fd, sock, offset, &len, hdtr, flags):
//       the FILE comes first, the offset goes by value, len is in/out
//       (in: bytes to send; out: bytes sent -- also when the call fails
//       with EINTR after sending some), returns 0;
//     Linux sendfile(sock, file_fd, &offset, count):
//       the SOCKET comes first, the offset goes by pointer (the kernel
//       advances it), returns the bytes sent (at most ~2 GiB per call).
//   Both take a 64-bit offset and count: sizes past 4 GiB just work.
//   in:  w0 = sock, w1 = file_fd, x2 = first, x3 = count, x4 = sent
//   out: x0 = 0, -errno, or -EIO if the file ended before count bytes
//   registers: x19 = sock, x20 = file_fd, x21 = bytes still to send,
//              x22 = offset of the next byte, x23 = bytes this call sent,
//              x24 = sent
//   stack: 80 bytes: fp, lr, x19..x24, and at sp+64 the 8-byte slot the
//          kernel reads and writes (Darwin: len; Linux: the offset)
//   syscalls: sendfile (and pread, write via copy_file_body)
// ---------------------------------------------------------------------------
        .equ    SENDFILE_SLOT, 64
FUNC send_file_counted
        stp     x29, x30, [sp, #-80]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        stp     x23, x24, [sp, #48]       // callee-saved: x23, x24 (sp+64: the slot)
        mov     x24, x4                   // x24 = sent (or NULL)
        sxtw    x19, w0                   // x19 = sock
        sxtw    x20, w1                   // x20 = file_fd
        mov     x22, x2                   // x22 = offset: where the next byte comes from
        mov     x21, x3                   // x21 = bytes left: all count of them
send_file_counted_loop:
        cbz     x21, send_file_counted_done  // every byte went
// excerpt: sendfile
.if OS_DARWIN
        // Darwin: sendfile(file_fd, sock, offset, &len, NULL, 0)
        str     x21, [sp, #SENDFILE_SLOT] // len in: all that is left
        mov     x0, x20                   // the file first ...
        mov     x1, x19                   // ... then the socket
        mov     x2, x22                   // offset by value
        add     x3, sp, #SENDFILE_SLOT    // &len
        mov     x4, #0                    // no header/trailer iovecs
        mov     x5, #0                    // flags: must be 0
        SYSCALL sendfile                  // x0 = 0, or carry + errno
        ldr     x23, [sp, #SENDFILE_SLOT] // len out: bytes sent, even on failure
.else
        // Linux: sendfile(sock, file_fd, &offset, count)
        str     x22, [sp, #SENDFILE_SLOT] // the offset, in memory for the kernel
        mov     x0, x19                   // the socket first ...
        mov     x1, x20                   // ... then the file
        add     x2, sp, #SENDFILE_SLOT    // &offset
        mov     x3, x21                   // count: all that is left
        SYSCALL sendfile                  // x0 = bytes sent, or carry + errno
        csel    x23, xzr, x0, cs          // failed: none sent; else x0 = bytes sent
.endif
        // ldr, csel, add and sub leave the flags alone: carry is still
        // the syscall's answer below
        add     x22, x22, x23             // offset += sent
        sub     x21, x21, x23             // left -= sent
        cbz     x24, send_file_counted_check // no counter (cbz, ldr, str: flags kept)
        ldr     x9, [x24]                 // *sent += what the kernel took
        add     x9, x9, x23
        str     x9, [x24]
send_file_counted_check:
        b.cs    send_file_counted_failed  // carry set: x0 = errno
// excerpt end
        cbnz    x23, send_file_counted_loop  // progress: go on
        mov     x0, #-EIO                 // nothing sent, no error: the file got shorter
        b       send_file_counted_return     // x0 = -EIO
send_file_counted_failed:
        cmp     x0, #EINTR                // a signal: carry on where we are
        b.eq    send_file_counted_loop       // (x21, x22 already count what went)
        cmp     x0, #EINVAL               // this pair cannot sendfile ...
        b.eq    send_file_counted_fallback   // copy the rest instead
        cmp     x0, #ENOSYS               // ... or this kernel has no sendfile
        b.eq    send_file_counted_fallback   // copy the rest instead
        neg     x0, x0                    // our convention: -errno
        b       send_file_counted_return     // x0 = -errno
send_file_counted_fallback:
        mov     w0, w19                   // copy_file_body(sock, file_fd,
        mov     w1, w20                   //                offset, left):
        mov     x2, x22                   // the rest, the slow way
        mov     x3, x21                   // (x21 = bytes still to send)
        CALL    copy_file_body            // x0 = its answer, ours too
        cbnz    x0, send_file_counted_return // failed: what it sent is not known
        cbz     x24, send_file_counted_return // no counter
        ldr     x9, [x24]                 // *sent += the rest: it all went
        add     x9, x9, x21
        str     x9, [x24]
        b       send_file_counted_return  // x0 = 0
send_file_counted_done:
        mov     x0, #0                    // 0 = every byte went
send_file_counted_return:
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #80       // ... fp, lr, and drop the frame
        ret                               // x0 = 0 or -errno
ENDFUNC send_file_counted

// ---------------------------------------------------------------------------
// int step_copy_path(struct exchange *x)
//   x->path = x->req.path, as it is (later lessons change the copy, never
//   the request).
//   in:  x0 = x
//   out: w0 = STEP_NEXT, or 414 if it does not fit PATH_BUF_MAX (cannot
//        happen: the parser allows REQ_TARGET_MAX bytes)
//   registers: x19 = x, x20 = the path's length
//   stack: 32 bytes (fp, lr, x19, x20)
// ---------------------------------------------------------------------------
FUNC step_copy_path
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = x
        ldr     x1, [x19, #(X_REQ + REQ_PATH_PTR)] // x1 = the path (ldp cannot reach
        ldr     x20, [x19, #(X_REQ + REQ_PATH_LEN)] // that far), x20 = its length
        mov     x9, #PATH_BUF_MAX         // the room in x->path
        cmp     x20, x9                   // longer than that?
        b.hi    step_copy_path_too_long   // -> 414
        add     x0, x19, #X_PATH          // copy_bytes(x->path, path,
        mov     x2, x20                   //            its length)
        CALL    copy_bytes                // no NUL: x->path_len says where it ends
        str     x20, [x19, #X_PATH_LEN]   // x->path_len = its length
        mov     w0, #STEP_NEXT            // go on
        b       step_copy_path_return     // w0 = STEP_NEXT
step_copy_path_too_long:
        mov     w0, #414                  // URI Too Long
step_copy_path_return:
        ldp     x19, x20, [sp, #16]       // restore x19, x20 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or 414
ENDFUNC step_copy_path

// ---------------------------------------------------------------------------
// int step_add_index(struct exchange *x)
//   add_index(x->path, x->path_len, PATH_BUF_MAX): ".../" -> ".../index.html".
//   in:  x0 = x
//   out: w0 = STEP_NEXT (x->path_len updated), or 414
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding)
// ---------------------------------------------------------------------------
FUNC step_add_index
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        mov     x19, x0                   // x19 = x
        add     x0, x19, #X_PATH          // add_index(x->path,
        ldr     x1, [x19, #X_PATH_LEN]    //           x->path_len,
        mov     x2, #PATH_BUF_MAX         //           the room in x->path)
        CALL    add_index                 // x0 = the new length, or -414
        tbnz    x0, #63, step_add_index_too_long // negative: -414
        str     x0, [x19, #X_PATH_LEN]    // x->path_len = the new length
        mov     w0, #STEP_NEXT            // go on
        b       step_add_index_return     // w0 = STEP_NEXT
step_add_index_too_long:
        neg     w0, w0                    // -414 -> 414
step_add_index_return:
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or 414
ENDFUNC step_add_index

// ---------------------------------------------------------------------------
// int step_open_file(struct exchange *x)
//   The file's name on disk, map_path(x->cfg->docroot, x->path,
//   x->path_len) into a local buffer, then openat(AT_FDCWD, name,
//   O_RDONLY | O_NONBLOCK) into x->file_fd.  O_NONBLOCK: opening a FIFO
//   for reading waits for a writer -- forever if none comes.  With the
//   flag the open returns at once and step_check_file turns the FIFO
//   away; regular files ignore the flag.
//   in:  x0 = x
//   out: w0 = STEP_NEXT, or 414 (map_path), or errno_to_status's 403 /
//        404 / 414 / 500 (x->file_fd stays -1)
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding) + FILES_PATH_MAX: the name at sp
//   syscalls: openat
// ---------------------------------------------------------------------------
FUNC step_open_file
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        sub     sp, sp, #FILES_PATH_MAX   // char name[FILES_PATH_MAX]
        mov     x19, x0                   // x19 = x

// -- step_open_file_map: the name: docroot + path, a C string for openat
        ldr     x0, [x19, #X_CFG]         // map_path(x->cfg->docroot,
        ldr     x0, [x0, #CFG_DOCROOT]    //     (through the config)
        add     x1, x19, #X_PATH          //     x->path,
        ldr     x2, [x19, #X_PATH_LEN]    //     x->path_len,
        mov     x3, sp                    //     name,
        mov     x4, #FILES_PATH_MAX       //     sizeof name)
        CALL    map_path                  // x0 = its length, or -414
        tbnz    x0, #63, step_open_file_too_long // negative: -414

// -- step_open_file_open: open it, without waiting (see above)
        mov     x0, #AT_FDCWD             // a relative docroot starts at the cwd
        mov     x1, sp                    // the name
        mov     x2, #(O_RDONLY | O_NONBLOCK) // read only, and never wait
        mov     x3, #0                    // mode: unused without O_CREAT
        SYSCALL openat                    // x0 = fd, or carry + errno
        b.cs    step_open_file_failed     // carry set: x0 = errno
        str     x0, [x19, #X_FILE_FD]     // x->file_fd = the file (the spine closes it)
        mov     w0, #STEP_NEXT            // go on
        b       step_open_file_return     // w0 = STEP_NEXT
step_open_file_failed:
        CALL    errno_to_status           // w0 = 403 / 404 / 414 / 500
        b       step_open_file_return     // (x->file_fd is still -1)
step_open_file_too_long:
        neg     w0, w0                    // -414 -> 414
step_open_file_return:
        add     sp, sp, #FILES_PATH_MAX   // drop the name
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or a status
ENDFUNC step_open_file

// ---------------------------------------------------------------------------
// int step_stat_file(struct exchange *x)
//   fstat the descriptor we opened (not the name: it could have been
//   replaced in between): x->file_mode, x->file_size; the body is the
//   whole file (x->body_first = 0, x->body_len = the size).
//   in:  x0 = x
//   out: w0 = STEP_NEXT, or errno_to_status's status
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding) + STAT_AREA: struct stat at sp
//   syscalls: fstat
// ---------------------------------------------------------------------------
FUNC step_stat_file
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        sub     sp, sp, #STAT_AREA        // struct stat st
        mov     x19, x0                   // x19 = x
        ldrsw   x0, [x19, #X_FILE_FD]     // fstat(x->file_fd (as an int),
        mov     x1, sp                    //       &st)
        SYSCALL fstat                     // x0 = 0, or carry + errno
        b.cs    step_stat_file_failed     // carry set: x0 = errno
        LOAD_ST_MODE w9, sp               // st_mode: 16 bits on Darwin, 32 on Linux
        str     x9, [x19, #X_FILE_MODE]   // x->file_mode (writing w9 zeroed the top)
        ldr     x9, [sp, #ST_SIZE]        // st_size: 64 bits, > 4 GiB is fine
        str     x9, [x19, #X_FILE_SIZE]   // x->file_size
        stp     xzr, x9, [x19, #X_BODY_FIRST] // the whole file: x->body_first = 0, x->body_len = size
        mov     w0, #STEP_NEXT            // go on
        b       step_stat_file_return     // w0 = STEP_NEXT
step_stat_file_failed:
        CALL    errno_to_status           // w0 = 403 / 404 / 414 / 500
step_stat_file_return:
        add     sp, sp, #STAT_AREA        // drop st
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or a status
ENDFUNC step_stat_file

// ---------------------------------------------------------------------------
// int step_check_file(struct exchange *x)
//   Only a regular file has a size that means "this many bytes of
//   content": a directory, FIFO, device or socket gets 403 (lesson 08
//   will list directories).
//   in:  x0 = x
//   out: w0 = STEP_NEXT or 403
//   registers: x9 = the file type bits.  Leaf: no stack, no calls.
// ---------------------------------------------------------------------------
FUNC step_check_file
        ldr     x9, [x0, #X_FILE_MODE]    // x->file_mode
        and     x9, x9, #S_IFMT           // the file type bits
        cmp     x9, #S_IFREG              // a regular file?
        b.ne    step_check_file_refused   // no: 403
        mov     w0, #STEP_NEXT            // go on
        ret                               // w0 = STEP_NEXT
step_check_file_refused:
        mov     w0, #403                  // Forbidden
        ret                               // w0 = 403
ENDFUNC step_check_file

// ---------------------------------------------------------------------------
// int step_choose_type(struct exchange *x)
//   x->type = mime_type(x->path, x->path_len): the type of the path as
//   step_add_index left it ("/" has become "/index.html").
//   in:  x0 = x
//   out: w0 = STEP_NEXT
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding)
// ---------------------------------------------------------------------------
FUNC step_choose_type
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        mov     x19, x0                   // x19 = x
        add     x0, x19, #X_PATH          // mime_type(x->path,
        ldr     x1, [x19, #X_PATH_LEN]    //           x->path_len)
        CALL    mime_type                 // x0 = the type: a C string
        str     x0, [x19, #X_TYPE]        // x->type
        mov     w0, #STEP_NEXT            // go on
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT
ENDFUNC step_choose_type

// ---------------------------------------------------------------------------
// int step_send_head(struct exchange *x)
//   The head, the same for GET and HEAD (RFC 9110 §9.3.2):
//   head_start_body(x->status, x->type, x->body_len), the field lines of
//   x->extra, the empty line; write_all to x->sock.
//   in:  x0 = x
//   out: w0 = STEP_NEXT, or STEP_DONE if the client is gone
//   registers: x19 = x; w9 = STEP_DONE, for the csel at the end
//   stack: 32 bytes (fp, lr, x19, padding) + HEAD_MAX: the head at sp
//   syscalls: write (write_all)
// ---------------------------------------------------------------------------
FUNC step_send_head
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        sub     sp, sp, #HEAD_MAX         // char head[HEAD_MAX]
        mov     x19, x0                   // x19 = x
        mov     x0, sp                    // head_start_body(head,
        ldr     w1, [x19, #X_STATUS]      //     x->status (as an int),
        ldr     x2, [x19, #X_TYPE]        //     x->type,
        ldr     x3, [x19, #X_BODY_LEN]    //     x->body_len: all 64 bits)
        CALL    head_start_body           // status line, Server, Connection, Content-*
        mov     x1, x0                    // head_add_lines(head, len,
        mov     x0, sp                    //     (the head again)
        add     x2, x19, #X_EXTRA         //     x->extra,
        ldr     x3, [x19, #X_EXTRA_LEN]   //     x->extra_len)
        CALL    head_add_lines            // whatever a step added (or nothing)
        mov     x1, x0                    // head_end(head, len)
        mov     x0, sp                    // (the head again)
        CALL    head_end                  // the empty line
        mov     x2, x0                    // write_all(x->sock,
        ldrsw   x0, [x19, #X_SOCK]        //     (as an int)
        mov     x1, sp                    //     head, len)
        CALL    write_all                 // x0 = 0 or -errno
        mov     w9, #STEP_DONE            // -errno: the client left, nothing more to say
        cmp     x0, #0                    // (write_all answers 0 or -errno)
        csel    w0, w9, wzr, lt           // negative: STEP_DONE, else STEP_NEXT (0)
        add     sp, sp, #HEAD_MAX         // drop the head
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or STEP_DONE
ENDFUNC step_send_head

// ---------------------------------------------------------------------------
// int step_send_body(struct exchange *x)
//   send_file_counted(x->sock, x->file_fd, x->body_first, x->body_len,
//   &x->body_sent) -- not for HEAD, and an empty body has nothing to send.  If sending
//   fails half-way, the head has promised more bytes than will come:
//   closing the connection is all that is left, and the client sees a
//   short body.
//   in:  x0 = x
//   out: w0 = STEP_DONE
//   registers: x9 = scratch.  stack: 16 bytes (fp, lr)
//   syscalls: sendfile (or pread and write: send_file_counted)
// ---------------------------------------------------------------------------
FUNC step_send_body
        stp     x29, x30, [sp, #-16]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        ldr     x9, [x0, #(X_REQ + REQ_IS_HEAD)] // HEAD: the head was all
        cbnz    x9, step_send_body_done   // no body for HEAD (RFC 9110 §9.3.2)
        ldp     x2, x3, [x0, #X_BODY_FIRST] // x2 = x->body_first, x3 = x->body_len
        cbz     x3, step_send_body_done   // 0 bytes: nothing to send
        add     x4, x0, #X_BODY_SENT      // send_file_counted(x->sock, x->file_fd,
        ldrsw   x1, [x0, #X_FILE_FD]      //     first, count, &x->body_sent):
        ldrsw   x0, [x0, #X_SOCK]         //     x0 stops being x here
        CALL    send_file_counted         // its answer is not ours: see above
step_send_body_done:
        mov     w0, #STEP_DONE            // the response is out (or cut off)
        ldp     x29, x30, [sp], #16       // fp, lr, and drop the frame
        ret                               // w0 = STEP_DONE
ENDFUNC step_send_body
