// asm/04-files.s -- lesson 04: serving files from the document root.
//
// C++ twin: cpp/04-files.cpp (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/04-files/README.md.
//
// The stage is one call for the spine, after a request parsed cleanly:
//   serve_file(sock, docroot, path, path_len, is_head)
//     map_path        docroot + path ("/" and ".../" -> ".../index.html")
//     openat + fstat  O_RDONLY | O_NONBLOCK, then "is it a regular file?"
//     mime_type       Content-Type from the table below
//     head_start ...  200 OK, Content-Type, Content-Length = st_size
//     send_file_body  sendfile, or copy_file_body (pread + write_all)
//
// Error convention of this lesson: serve_file and map_path return -status
// (-403 -404 -414 -500) when the caller must answer with send_error
// (lesson 03); the body senders return 0 or -errno; never the carry flag.
// Raw system calls keep the kernel's convention: carry set = failed,
// x0 = errno.
//
// Not yet: percent-decoding (lesson 05) and refusing `..` (lesson 06).
// This lesson's server serves any path it is given, `/../../etc/passwd`
// included: never expose it to a network.

        .include "os.inc"
        .include "records.inc"

        .equ FILES_PATH_MAX, 1024         // docroot + path + NUL; longer -> 414 (C++: kPathMax)
        .equ COPY_CHUNK, 65536            // the fallback copy loop's buffer (C++: kCopyChunk)
        .equ STAT_AREA, (STAT_SIZE + 15) & ~15 // struct stat, rounded to keep sp 16-aligned

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
type_unknown:
        .asciz  "application/octet-stream" // RFC 9110 §8.3: just bytes
index_name:
        .ascii  "index.html"              // what "/" and ".../" mean
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
//   out = docroot + path, plus "index.html" when path ends in '/', then a
//   NUL.  No decoding, no `..` check (lessons 05 and 06).  (The parser
//   never hands us an empty path; one would map to the docroot itself.)
//   in:  x0 = docroot (C string), x1 = path, x2 = path_len, x3 = out,
//        x4 = cap (bytes available at out, the NUL included)
//   out: x0 = length without the NUL, or -414 if it does not fit
//   registers: x19 = docroot, x20 = path, x21 = path_len, x22 = out,
//              x23 = cap, x24 = docroot's length;
//              after str_len (no more calls): x9 = index length (0 or 10),
//              x10 = the path's last byte (map_path_index), then the
//              total length, x11 = write cursor, x12 = read cursor,
//              x13 = bytes left to copy, w14 = the byte in transit
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

// each part alone must fit, so that the sum below cannot overflow
map_path_check_parts:
        cmp     x24, x23                  // docroot longer than cap?
        b.hi    map_path_too_long         // -> -414
        cmp     x21, x23                  // path longer than cap?
        b.hi    map_path_too_long         // -> -414

// "/" and any path ending in '/' name a directory: add its index.html
map_path_index:
        mov     x9, #0                    // assume no index.html
        cbz     x21, map_path_sum         // an empty path has no last byte
        sub     x10, x21, #1              // the last byte's index
        ldrb    w10, [x20, x10]           // the last byte
        cmp     w10, #'/'                 // ends in '/'?
        b.ne    map_path_sum              // a file name: nothing to add
        mov     x9, #INDEX_NAME_LEN       // x9 = bytes of "index.html"

// total = docroot + path + index; it and the NUL must fit in cap
map_path_sum:
        add     x10, x24, x21             // docroot + path
        add     x10, x10, x9              // + index: x10 = total
        cmp     x10, x23                  // total >= cap: no room for the NUL
        b.hs    map_path_too_long         // -> -414

// copy docroot, path and (maybe) index.html, then the NUL
map_path_copy_root:
        mov     x11, x22                  // x11 = where the next byte goes
        mov     x12, x19                  // from docroot ...
        mov     x13, x24                  // ... all its bytes
1:      cbz     x13, map_path_copy_path   // for each byte:
        ldrb    w14, [x12], #1            //   take it,
        strb    w14, [x11], #1            //   put it,
        sub     x13, x13, #1              //   count it
        b       1b                        // next byte of docroot
map_path_copy_path:
        mov     x12, x20                  // from the request's path ...
        mov     x13, x21                  // ... path_len bytes
2:      cbz     x13, map_path_copy_index  // for each byte of the path:
        ldrb    w14, [x12], #1            //   take it,
        strb    w14, [x11], #1            //   put it,
        sub     x13, x13, #1              //   count it
        b       2b                        // next byte of the path
map_path_copy_index:
        LOAD_ADDR x12, index_name         // from "index.html" ...
        mov     x13, x9                   // ... 10 bytes, or none
3:      cbz     x13, map_path_terminate   // for each byte of "index.html":
        ldrb    w14, [x12], #1            //   take it,
        strb    w14, [x11], #1            //   put it,
        sub     x13, x13, #1              //   count it
        b       3b                        // next byte of the index name
map_path_terminate:
        strb    wzr, [x11]                // the NUL openat needs
        mov     x0, x10                   // the length without it
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
// const char *mime_type(const char *path, size_t len)
//   The Content-Type for a file name.  The extension is what follows the
//   last '.' of the last path segment -- but a '.' that is the segment's
//   first byte (".hidden") starts a name, not an extension, and "name."
//   has none.  Compared with the table ignoring ASCII case (the table is
//   lower case).  Unknown -> "application/octet-stream".
//   in:  x0 = path, x1 = len
//   out: x0 = a NUL-terminated type in read-only memory
//   registers: x2 = end of path, x3 = start of the last segment,
//              w4 = the byte looked at while walking back,
//              x5 = extension start (the walking cursor until the dot),
//              x6 = the segment's second byte (a bound), then the
//              extension length, x7 = current table entry,
//              x9 = index into both strings, w8 = table byte,
//              w10 = path byte (lowered), w11 = byte - 'A', w12 = byte | 0x20
//   stack: none; a leaf function, no syscalls
// ---------------------------------------------------------------------------
FUNC mime_type
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
        add     x5, x5, #1                // x5 = the extension's first byte
        sub     x6, x2, x5                // x6 = its length
        cbz     x6, mime_type_unknown     // "name.": an empty extension

// compare with each table entry: "ext\0type\0" ... "\0"
        LOAD_ADDR x7, mime_table          // x7 = the first entry
mime_type_entry:
        ldrb    w8, [x7]                  // an empty extension ...
        cbz     w8, mime_type_unknown     // ... ends the table
        mov     x9, #0                    // x9 = index into ext and key
mime_type_compare:
        ldrb    w8, [x7, x9]              // w8 = key[i]
        cmp     x9, x6                    // our extension used up?
        b.eq    mime_type_key_ends        // then the key must end here too
        cbz     w8, mime_type_next        // key shorter: no match
        ldrb    w10, [x5, x9]             // w10 = ext[i]
        sub     w11, w10, #'A'            // 0..25 for 'A'..'Z'
        orr     w12, w10, #0x20           // its lower case (for letters)
        cmp     w11, #26                  // was it 'A'..'Z'? (unsigned: one compare)
        csel    w10, w12, w10, lo         // lower it only if it was upper case
        cmp     w10, w8                   // ext[i] (lowered) == key[i]?
        b.ne    mime_type_next            // a byte differs: next entry
        add     x9, x9, #1                // i++
        b       mime_type_compare         // next byte
mime_type_key_ends:
        cbnz    w8, mime_type_next        // key longer: no match
        add     x0, x7, x9                // the key's NUL ...
        add     x0, x0, #1                // ... and right after it, the type
        ret                               // x0 = the type string

// skip this entry's two strings
mime_type_next:
1:      ldrb    w8, [x7], #1              // past the extension's NUL
        cbnz    w8, 1b                    // (x7 ends just past it)
2:      ldrb    w8, [x7], #1              // past the type's NUL
        cbnz    w8, 2b                    // (x7 ends at the next entry)
        b       mime_type_entry           // try the next entry
mime_type_unknown:
        LOAD_ADDR x0, type_unknown        // "application/octet-stream"
        ret                               // x0 = the fallback type
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
// int64_t send_file_body(int sock, int file_fd, uint64_t size)
//   Send bytes 0 .. size-1 of the file without copying them through our
//   memory: sendfile, in a loop because it may send less than asked.
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
//   in:  w0 = sock, w1 = file_fd, x2 = size
//   out: x0 = 0, -errno, or -EIO if the file ended before size bytes
//   registers: x19 = sock, x20 = file_fd, x21 = bytes still to send,
//              x22 = offset of the next byte, x23 = bytes this call sent
//   stack: 64 bytes: fp, lr, x19..x23, and at sp+56 the 8-byte slot the
//          kernel reads and writes (Darwin: len; Linux: the offset)
//   syscalls: sendfile (and pread, write via copy_file_body)
// ---------------------------------------------------------------------------
        .equ    SENDFILE_SLOT, 56
FUNC send_file_body
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        str     x23, [sp, #48]            // callee-saved: x23 (sp+56: the slot)
        sxtw    x19, w0                   // x19 = sock
        sxtw    x20, w1                   // x20 = file_fd
        mov     x21, x2                   // x21 = bytes left
        mov     x22, #0                   // x22 = offset: from the start
send_file_body_loop:
        cbz     x21, send_file_body_done  // every byte went
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
        b.cs    send_file_body_failed     // carry set: x0 = errno
        cbnz    x23, send_file_body_loop  // progress: go on
        mov     x0, #-EIO                 // nothing sent, no error: the file got shorter
        b       send_file_body_return     // x0 = -EIO
send_file_body_failed:
        cmp     x0, #EINTR                // a signal: carry on where we are
        b.eq    send_file_body_loop       // (x21, x22 already count what went)
        cmp     x0, #EINVAL               // this pair cannot sendfile ...
        b.eq    send_file_body_fallback   // copy the rest instead
        cmp     x0, #ENOSYS               // ... or this kernel has no sendfile
        b.eq    send_file_body_fallback   // copy the rest instead
        neg     x0, x0                    // our convention: -errno
        b       send_file_body_return     // x0 = -errno
send_file_body_fallback:
        mov     w0, w19                   // copy_file_body(sock, file_fd,
        mov     w1, w20                   //                offset, left):
        mov     x2, x22                   // the rest, the slow way
        mov     x3, x21                   // (x21 = bytes still to send)
        CALL    copy_file_body            // x0 = its answer, ours too
        b       send_file_body_return     // x0 = copy_file_body's answer
send_file_body_done:
        mov     x0, #0                    // 0 = every byte went
send_file_body_return:
        ldr     x23, [sp, #48]            // restore and return
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #64       // ... fp, lr, and drop the frame
        ret                               // x0 = 0 or -errno
ENDFUNC send_file_body

// ---------------------------------------------------------------------------
// int64_t serve_file(int sock, const char *docroot, const char *path,
//                    size_t path_len, int is_head)
//   The whole stage: map the path, open it, check it is a regular file,
//   send the 200 head (Content-Type, Content-Length) and -- unless is_head
//   -- the body.
//   in:  w0 = sock, x1 = docroot, x2 = path, x3 = path_len, w4 = is_head
//   out: x0 = 0 when the response is ours (sent, or cut off because the
//        client left: only closing is left), or -403 / -404 / -414 / -500
//        when nothing was sent and the caller must send_error
//   registers: x19 = sock, x20 = is_head, x21 = file fd, x22 = length of
//              the mapped path, x23 = file size, x24 = the result
//   stack: 64 bytes (fp, lr, x19..x24) + SERVE_FILE_LOCALS:
//          sp + 0:               the mapped path (FILES_PATH_MAX bytes)
//          sp + SERVE_FILE_STAT: struct stat (STAT_AREA bytes)
//          sp + SERVE_FILE_HEAD: the response head (HEAD_MAX bytes)
//   syscalls: openat, fstat, close; write (write_all), sendfile/pread
//             (send_file_body)
// ---------------------------------------------------------------------------
        .equ    SERVE_FILE_STAT, FILES_PATH_MAX
        .equ    SERVE_FILE_HEAD, SERVE_FILE_STAT + STAT_AREA
        .equ    SERVE_FILE_LOCALS, (SERVE_FILE_HEAD + HEAD_MAX + 15) & ~15
FUNC serve_file
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        stp     x23, x24, [sp, #48]       // callee-saved: x23, x24
        sub     sp, sp, #SERVE_FILE_LOCALS // path, stat and head buffers
        sxtw    x19, w0                   // x19 = sock
        mov     w20, w4                   // x20 = is_head

// 1. the file's name on disk: docroot + path (+ index.html)
serve_file_map:
        mov     x0, x1                    // map_path(docroot,
        mov     x1, x2                    //          path,
        mov     x2, x3                    //          path_len,
        mov     x3, sp                    //          out,
        mov     x4, #FILES_PATH_MAX       //          cap)
        CALL    map_path                  // x0 = length, or -414
        tbnz    x0, #63, serve_file_return // -414 goes back as it is
        mov     x22, x0                   // x22 = its length

// 2. open it.  O_NONBLOCK: opening a FIFO for reading waits for a writer
//    -- forever if none comes.  With the flag the open returns at once and
//    the fstat below turns the FIFO away; regular files ignore the flag.
serve_file_open:
        mov     x0, #AT_FDCWD             // a relative docroot starts at the cwd
        mov     x1, sp                    // the mapped path
        mov     x2, #(O_RDONLY | O_NONBLOCK) // read only, and never wait (see above)
        mov     x3, #0                    // mode: unused without O_CREAT
        SYSCALL openat                    // x0 = fd, or carry + errno
        b.cs    serve_file_open_failed    // carry set: x0 = errno
        mov     x21, x0                   // x21 = the file's descriptor

// 3. fstat the descriptor we opened (not the name, which could have been
//    replaced meanwhile): only regular files are served
serve_file_stat:
        mov     x0, x21                   // fstat(fd,
        add     x1, sp, #SERVE_FILE_STAT  // &st)
        SYSCALL fstat                     // x0 = 0, or carry + errno
        b.cs    serve_file_stat_failed    // x0 = errno: close the file first
        add     x9, sp, #SERVE_FILE_STAT  // x9 = &st
        LOAD_ST_MODE w10, x9              // 16 bits on Darwin, 32 on Linux
        and     w10, w10, #S_IFMT         // the file type bits
        cmp     w10, #S_IFREG             // a regular file?
        b.ne    serve_file_not_regular    // directory, FIFO, device, socket
        ldr     x23, [x9, #ST_SIZE]       // x23 = size: 64 bits, > 4 GiB is fine

// 4. the head, the same for GET and HEAD (RFC 9110 §9.3.2)
serve_file_head:
        mov     x0, sp                    // the type of the MAPPED path:
        mov     x1, x22                   // "/" has become ".../index.html"
        CALL    mime_type                 // x0 = the type: a C string
        mov     x2, x0                    // head_start_body(head, 200, type,
        add     x0, sp, #SERVE_FILE_HEAD  //   (the head buffer)
        mov     w1, #200                  //   200 OK,
        mov     x3, x23                   //   st_size, all 64 bits)
        CALL    head_start_body           // status line, Server, Connection, Content-*
        mov     x1, x0                    // head_end(head, len)
        add     x0, sp, #SERVE_FILE_HEAD  // (the head buffer)
        CALL    head_end                  // the empty line
        mov     x2, x0                    // write_all(sock, head, len)
        mov     x0, x19                   // fd = the socket
        add     x1, sp, #SERVE_FILE_HEAD  // buf = the head
        CALL    write_all                 // x0 = 0 or -errno
        tbnz    x0, #63, serve_file_sent  // the client left: nothing more to say

// 5. the body -- not for HEAD, and an empty file has none.  If sending
//    fails half-way, the head has promised more bytes than will come:
//    closing the connection is all that is left.
serve_file_body:
        cbnz    w20, serve_file_sent      // HEAD: the head was all
        cbz     x23, serve_file_sent      // 0 bytes: nothing to send
        mov     w0, w19                   // send_file_body(sock, fd, size)
        mov     w1, w21                   // the file
        mov     x2, x23                   // its size
        CALL    send_file_body            // its answer is not ours: see above
serve_file_sent:
        mov     x24, #0                   // the response was ours
        b       serve_file_close          // the file must still be closed

// errors: x0 = errno; turn it into -status
serve_file_open_failed:
        CALL    errno_to_status           // w0 = 403 / 404 / 414 / 500
        neg     x0, x0                    // (w0 was zero-extended: -status)
        b       serve_file_return         // nothing was opened
serve_file_stat_failed:
        CALL    errno_to_status           // w0 = 403 / 404 / 414 / 500
        neg     x24, x0                   // x24 = -status (w0 was zero-extended)
        b       serve_file_close          // the file is open: close it
serve_file_not_regular:
        mov     x24, #-403                // lesson 08 will list directories

// every path that opened the file closes it: no destructor does it for us
serve_file_close:
        mov     x0, x21                   // close(fd)
        SYSCALL close                     // a failed close: nothing to do
        mov     x0, x24                   // the result
serve_file_return:
        add     sp, sp, #SERVE_FILE_LOCALS // drop the buffers
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #64       // ... fp, lr, and drop the frame
        ret                               // x0 = 0 or -status
ENDFUNC serve_file
