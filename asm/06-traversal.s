// asm/06-traversal.s -- lesson 06: keeping every request inside the
// docroot (RFC 3986 §5.2.4; RFC 9110 §15.5.4).
//
// C++ twin: cpp/06-traversal.cpp (same function names, same limits, same
// statuses).  Rules and walk-through: lessons/06-traversal/README.md.
//
// The stage, from the spine's point of view (asm/httpd.s):
//   at start-up, once:
//     open_docroot         the docroot as a directory descriptor, kept in
//                          struct config (CFG_DOCROOT_FD); a docroot that
//                          cannot be opened stops the server (status 1)
//   in the pipeline, on the connection's struct exchange (asm/records.inc,
//   EXCHANGE):
//     step_normalize_path  after step_decode_path: resolve "." and ".." in
//                          x->path, segment by segment; above the root -> 403
//     step_open_beneath    in the place of lesson 04's step_open_file: walk
//                          from the docroot's descriptor, one component at
//                          a time, never following a symbolic link
//
// The rules: "" and "." segments go, ".." takes the segment before it
// away, a ".." with nothing before it is 403; any other segment is a name
// ("a..b", "...", ".hidden"; a backslash is an ordinary byte); a path that
// ended in '/', "/." or "/.." still ends in '/'.  Every component is
// opened with O_NOFOLLOW: a symbolic link anywhere below the docroot ->
// 403; a component longer than COMPONENT_MAX (255) bytes -> 414.
//
// Error convention of this lesson: normalize_path returns a length or
// -403; open_beneath a descriptor or -status; open_failure_status a
// status; open_docroot 0 or -errno; the steps STEP_NEXT or a status.  Raw
// system calls keep the kernel's convention: carry set = failed, x0 =
// errno.

        .include "os.inc"
        .include "records.inc"

        RODATA                            // constant data: strings
dot_name:
        .asciz  "."                       // the directory itself, for openat
msg_cannot_open:
        .asciz  "httpd: cannot open the docroot \""
msg_quote:
        .asciz  "\""
msg_not_a_directory:
        .asciz  ": not a directory\n"
msg_no_such_file:
        .asciz  ": no such file or directory\n"

// ---------------------------------------------------------------------------
// int64_t normalize_path(char *path, size_t len)
//   Resolve the dot-segments of path[0..len) in place, as RFC 3986 §5.2.4
//   removes them, segment by segment: "" (from "//") and "." go, ".."
//   takes the segment before it away.  The result is never longer than
//   the input: path[0..out) is the result so far and always ends in '/';
//   out <= i, so a name moved down to it never overwrites a byte still to
//   be read.  The last name gets no '/' after it; a path that ends in
//   '/', "/." or "/.." keeps the result's '/'.
//   in:  x0 = path, x1 = len
//   out: x0 = the new length, or -403 (a ".." above the root, or a path
//        that does not start with '/'); the bytes before that are rewritten
//   registers: x2 = out (the result's length), x3 = i (the segment's first
//              byte), x4 = end (the '/' after it, or len), x5 = its length,
//              w6 = a byte looked at, x7 = an index or the copy's source,
//              x8 = the copy's destination, x9 = bytes left to copy
//   Leaf: no stack, no calls, no syscalls.
// ---------------------------------------------------------------------------
FUNC normalize_path
        // if (len == 0 || path[0] != '/') return -403
        cbz     x1, normalize_path_refused // an empty path is not below the root
        ldrb    w6, [x0]                  // path[0]
        cmp     w6, #'/'                  // an absolute path?
        b.ne    normalize_path_refused    // no: not below the root either
        mov     x2, #1                    // out = 1: the result so far is "/"
        mov     x3, #1                    // i = 1: the first segment starts after it

// the next segment: path[i..end), where end is the next '/' or len
normalize_path_segment:
        cmp     x3, x1                    // i < len?
        b.hs    normalize_path_done       // no segment left
        mov     x4, x3                    // end = i, then walk to the '/'
1:      cmp     x4, x1                    // at the end of the path?
        b.hs    2f                        // yes: the segment ends there
        ldrb    w6, [x0, x4]              // path[end]
        cmp     w6, #'/'                  // the separator?
        b.eq    2f                        // yes: the segment ends here
        add     x4, x4, #1                // no: one byte further
        b       1b                        // and look again
2:      sub     x5, x4, x3                // x5 = the segment's length

// -- normalize_path_empty_or_dot: "" (from "//") and "." are dropped
        cbz     x5, normalize_path_next   // "": nothing to keep
        ldrb    w6, [x0, x3]              // w6 = the segment's first byte
        cmp     x5, #1                    // one byte long?
        b.ne    normalize_path_dot_dot    // no: maybe ".."
        cmp     w6, #'.'                  // is it "."?
        b.eq    normalize_path_next       // yes: the same directory, nothing to keep
        b       normalize_path_name       // one byte, not a dot: a name

// excerpt: normalize-dot-dot
// ".." takes the segment before it away -- if there is one
normalize_path_dot_dot:
        cmp     x5, #2                    // two bytes long?
        b.ne    normalize_path_name       // no: "...", ".hidden", "abc" are names
        cmp     w6, #'.'                  // the first a dot?
        b.ne    normalize_path_name       // no: "a." is a name
        add     x7, x0, x3                // the segment's address
        ldrb    w6, [x7, #1]              // its second byte
        cmp     w6, #'.'                  // a dot too?
        b.ne    normalize_path_name       // no: ".a" is a name
        cmp     x2, #1                    // only "/" in the result?
        b.eq    normalize_path_refused    // then ".." climbs above the root: 403
        sub     x2, x2, #1                // back over the '/' that ends the result
3:      sub     x7, x2, #1                // the byte before out
        ldrb    w6, [x0, x7]              // path[out - 1]
        cmp     w6, #'/'                  // the '/' before the dropped segment?
        b.eq    normalize_path_next       // yes: the result ends in '/' again
        sub     x2, x2, #1                // no: drop one more byte
        b       3b                        // and look again
// excerpt end

// excerpt: normalize-name
// a name: moved down to path[out..), then a '/' unless it is the last
normalize_path_name:
        add     x7, x0, x3                // from: path + i
        add     x8, x0, x2                // to: path + out (never ahead of from)
        mov     x9, x5                    // bytes to move: a name has at least one
4:      ldrb    w6, [x7], #1              // front to back: every byte is read
        strb    w6, [x8], #1              // before anything is written over it
        subs    x9, x9, #1                // one byte fewer to move
        b.ne    4b                        // until none is left
        add     x2, x2, x5                // out += the name's length
        cmp     x4, x1                    // did the name end the path?
        b.eq    normalize_path_done       // yes: the last name, no '/' after it
        mov     w6, #'/'                  // path[out++] = '/'
        strb    w6, [x0, x2]              // (at most where the input's '/' was)
        add     x2, x2, #1                // the result ends in '/' again
// excerpt end

// on to the segment after the '/'
normalize_path_next:
        add     x3, x4, #1                // i = end + 1: past the '/'
        b       normalize_path_segment    // the next segment (or none)

normalize_path_done:
        mov     x0, x2                    // the new length
        ret                               // x0 = out
normalize_path_refused:
        mov     x0, #-403                 // RFC 9110 §15.5.4: Forbidden
        ret                               // x0 = -403
ENDFUNC normalize_path

// ---------------------------------------------------------------------------
// int step_normalize_path(struct exchange *x)
//   normalize_path(x->path, x->path_len): x->path_len = the new length.
//   Lesson 06's step after step_decode_path: the check looks at the path
//   as the kernel will be given it, decoded and resolved.
//   in:  x0 = x
//   out: w0 = STEP_NEXT, or 403 (x->path_len is not changed then)
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding)
//   syscalls: none
// ---------------------------------------------------------------------------
FUNC step_normalize_path
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        mov     x19, x0                   // x19 = x
        add     x0, x19, #X_PATH          // normalize_path(x->path,
        ldr     x1, [x19, #X_PATH_LEN]    //     x->path_len)
        CALL    normalize_path            // x0 = the new length, or -403
        tbnz    x0, #63, step_normalize_path_refused // negative: -403
        str     x0, [x19, #X_PATH_LEN]    // x->path_len = the new length
        mov     w0, #STEP_NEXT            // go on
        b       step_normalize_path_return // w0 = STEP_NEXT
step_normalize_path_refused:
        neg     w0, w0                    // -403 -> 403
step_normalize_path_return:
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or 403
ENDFUNC step_normalize_path

// ---------------------------------------------------------------------------
// int open_failure_status(int dirfd, const char *name, int err)
//   What a failed openat(dirfd, name, ...) of a path component means to
//   the client: errno_to_status(err) (lesson 04) -- except that ENOTDIR
//   for a name that is a symbolic link is 403.  Both kernels answer
//   ENOTDIR, not ELOOP, when O_DIRECTORY | O_NOFOLLOW meets a link (they
//   test O_DIRECTORY first); fstatat(AT_SYMLINK_NOFOLLOW) on the name
//   tells a link (403) from a plain file used as a directory (404).
//   in:  w0 = dirfd, x1 = name (a C string), w2 = err (a positive errno)
//   out: w0 = 403, 404, 414 or 500
//   registers: w19 = err (it must outlive the system call)
//   stack: 32 bytes (fp, lr, x19, padding) + STAT_AREA: struct stat at sp
//   syscalls: fstatat (only for ENOTDIR)
// ---------------------------------------------------------------------------
FUNC open_failure_status
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        sub     sp, sp, #STAT_AREA        // struct stat st
        mov     w19, w2                   // w19 = err
        cmp     w19, #ENOTDIR             // "not a directory": a file, or a link?
        b.ne    open_failure_status_errno // any other errno: lesson 04's table

// -- open_failure_status_look: ENOTDIR: is the name itself a symbolic link?
        sxtw    x0, w0                    // fstatat(dirfd (an int), name (in x1),
        mov     x2, sp                    //     &st,
        mov     x3, #AT_SYMLINK_NOFOLLOW  //     about the link, not its target)
        SYSCALL fstatat                   // x0 = 0, or carry + errno
        b.cs    open_failure_status_errno // cannot tell: ENOTDIR's own status
        LOAD_ST_MODE w9, sp               // st_mode: 16 bits on Darwin, 32 on Linux
        and     w9, w9, #S_IFMT           // the file type bits
        cmp     w9, #S_IFLNK              // a symbolic link?
        b.ne    open_failure_status_errno // no: a plain file used as a directory
        mov     w0, #403                  // a link: Forbidden, wherever it points
        b       open_failure_status_return // w0 = 403

open_failure_status_errno:
        mov     w0, w19                   // errno_to_status(err)
        CALL    errno_to_status           // w0 = 403 / 404 / 414 / 500
open_failure_status_return:
        add     sp, sp, #STAT_AREA        // drop st
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = the status
ENDFUNC open_failure_status

// ---------------------------------------------------------------------------
// int64_t open_beneath(int dirfd, const char *path, size_t len)
//   Open the file path[0..len) names below the directory dirfd, one
//   component at a time, never following a symbolic link: a name followed
//   by '/' with openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW),
//   the last one with openat(dir, name, O_RDONLY | O_NONBLOCK |
//   O_NOFOLLOW).  Each directory it opened is closed after the next
//   openat; dirfd never is.  "" and "." components are skipped; ".." is
//   403 (it never climbs: normalize_path has removed them); a name longer
//   than COMPONENT_MAX is 414.  A path with no name after its last '/'
//   ("/", "/docs/") opens that directory itself ("." of dirfd for "/").
//   in:  w0 = dirfd, x1 = path, x2 = len
//   out: x0 = a new descriptor (the caller closes it), or -status: -403,
//        -404, -414, -500
//   registers: x19 = dirfd, x20 = cursor (the next byte of path), x21 =
//              one past the path's last byte, x22 = the directory we are
//              in (x19, or one we opened), x23 = the end of the current
//              name, x24 = its length, then the new descriptor or the
//              result
//   stack: 64 bytes (fp, lr, x19..x24) + COMPONENT_BUF: the name at sp
//   syscalls: openat, close (and fstatat through open_failure_status)
// ---------------------------------------------------------------------------
FUNC open_beneath
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        stp     x23, x24, [sp, #48]       // callee-saved: x23, x24
        sub     sp, sp, #COMPONENT_BUF    // char name[COMPONENT_BUF]
        sxtw    x19, w0                   // x19 = dirfd (an int: sign-extend)
        mov     x20, x1                   // x20 = the cursor
        add     x21, x1, x2               // x21 = one past the last byte
        mov     x22, x19                  // x22 = we start in dirfd

// the slashes before the next name
open_beneath_skip_slashes:
        cmp     x20, x21                  // at the end of the path?
        b.hs    open_beneath_no_name      // yes: no name after the last '/'
        ldrb    w9, [x20]                 // the byte at the cursor
        cmp     w9, #'/'                  // a slash?
        b.ne    open_beneath_find_end     // no: a name starts here
        add     x20, x20, #1              // yes: skip it
        b       open_beneath_skip_slashes // and look again

// the name runs from the cursor to the next '/' or the end: x23
open_beneath_find_end:
        mov     x23, x20                  // walk from the name's first byte
1:      cmp     x23, x21                  // at the end of the path?
        b.hs    2f                        // yes: the name ends there
        ldrb    w9, [x23]                 // the byte
        cmp     w9, #'/'                  // the separator?
        b.eq    2f                        // yes: the name ends here
        add     x23, x23, #1              // no: one byte further
        b       1b                        // and look again
2:      sub     x24, x23, x20             // x24 = the name's length (at least 1)

// -- open_beneath_dots: "." is the directory we are in; ".." would climb:
// refused
        ldrb    w9, [x20]                 // the name's first byte
        cmp     w9, #'.'                  // a dot?
        b.ne    open_beneath_check_length // no: a name
        cmp     x24, #1                   // "."?
        b.eq    open_beneath_skip_name    // yes: nothing to open
        cmp     x24, #2                   // two bytes?
        b.ne    open_beneath_check_length // no: "...", ".hidden" are names
        ldrb    w9, [x20, #1]             // the second byte
        cmp     w9, #'.'                  // "..": never up
        b.eq    open_beneath_dot_dot      // -> 403

// the name, at most COMPONENT_MAX bytes, as a C string at sp
open_beneath_check_length:
        cmp     x24, #COMPONENT_MAX       // longer than NAME_MAX?
        b.hi    open_beneath_too_long     // -> 414
        mov     x0, sp                    // copy_bytes(name,
        mov     x1, x20                   //     the name in the path,
        mov     x2, x24                   //     its length)
        CALL    copy_bytes                // x0 = just past the copy
        strb    wzr, [x0]                 // the NUL openat needs

// excerpt: open-beneath-open
// -- open_beneath_open: openat(dir, name, flags): a directory to walk
// through, or the last name
        mov     x2, #(O_RDONLY | O_DIRECTORY) // a directory, and ...
        orr     x2, x2, #O_NOFOLLOW       // ... never a link (two steps: no one immediate on Darwin)
        mov     x9, #(O_RDONLY | O_NONBLOCK | O_NOFOLLOW) // the last name: never wait, never a link
        cmp     x23, x21                  // does the name end the path?
        csel    x2, x9, x2, hs            // yes: the file's flags
        mov     x0, x22                   // openat(the directory we are in,
        mov     x1, sp                    //     name,
        mov     x3, #0                    //     flags, mode: unused without O_CREAT)
        SYSCALL openat                    // x0 = fd, or carry + errno
        b.cs    open_beneath_failed       // carry set: x0 = errno
        mov     x24, x0                   // x24 = the new descriptor

// one level down: close the directory we came from, if we opened it
        cmp     x22, x19                  // the caller's dirfd?
        b.eq    open_beneath_descend      // yes: never ours to close
        mov     x0, x22                   // close(the directory we came from)
        SYSCALL close                     // a failed close: nothing to do
open_beneath_descend:
        mov     x22, x24                  // we are in the new one (or hold the file)
        mov     x20, x23                  // the cursor moves past the name
        cmp     x23, x21                  // was it the last name?
        b.lo    open_beneath_skip_slashes // no: walk on
        mov     x0, x24                   // the file: the caller's now
        b       open_beneath_return       // x0 = the descriptor
// excerpt end

// "." : the same directory
open_beneath_skip_name:
        mov     x20, x23                  // the cursor moves past it
        b       open_beneath_skip_slashes // and on to the next name

// no name left: the path named a directory
open_beneath_no_name:
        cmp     x22, x19                  // still in dirfd ("/")?
        b.eq    open_beneath_open_dot     // yes: a descriptor of its own
        mov     x0, x22                   // the directory we opened last
        b       open_beneath_return       // is the caller's now
open_beneath_open_dot:
        mov     x0, x19                   // openat(dirfd,
        LOAD_ADDR x1, dot_name            //     ".",
        mov     x2, #(O_RDONLY | O_DIRECTORY) //     a directory ...
        orr     x2, x2, #O_NOFOLLOW       //     ... and no link,
        mov     x3, #0                    //     no mode)
        SYSCALL openat                    // x0 = fd, or carry + errno
        b.cc    open_beneath_return       // carry clear: x0 = the descriptor
        CALL    errno_to_status           // w0 = 403 / 404 / 414 / 500
        neg     w0, w0                    // -status, as an int ...
        sxtw    x0, w0                    // ... then 64 bits (bits 32-63 of an int result are not ours to trust)
        b       open_beneath_return       // x0 = -status

// excerpt: open-beneath-refusals
// the refusals: x24 = -status, then close what we opened
open_beneath_failed:
        mov     w2, w0                    // open_failure_status(the directory,
        mov     x0, x22                   //     (asked before it is closed)
        mov     x1, sp                    //     name (the system call may have changed x1),
        CALL    open_failure_status       //     errno): w0 = 403 / 404 / 414 / 500
        neg     w24, w0                   // -status, as an int ...
        sxtw    x24, w24                  // ... x24 = -status, 64 bits (an int result's bits 32-63 are not ours)
        b       open_beneath_close_dir    // close, then answer
open_beneath_dot_dot:
        mov     x24, #-403                // Forbidden: a ".." that reached the walk
        b       open_beneath_close_dir    // close, then answer
open_beneath_too_long:
        mov     x24, #-414                // URI Too Long: no file has such a name
open_beneath_close_dir:
        cmp     x22, x19                  // still in the caller's dirfd?
        b.eq    open_beneath_answer       // yes: nothing of ours to close
        mov     x0, x22                   // close(the directory we are in)
        SYSCALL close                     // a failed close: nothing to do
open_beneath_answer:
        mov     x0, x24                   // x0 = -status
// excerpt end
open_beneath_return:
        add     sp, sp, #COMPONENT_BUF    // drop the name
        ldp     x23, x24, [sp, #48]       // restore and return
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #64       // ... fp, lr, and drop the frame
        ret                               // x0 = a descriptor or -status
ENDFUNC open_beneath

// ---------------------------------------------------------------------------
// int step_open_beneath(struct exchange *x)
//   open_beneath(x->cfg->docroot_fd, x->path, x->path_len) into
//   x->file_fd.  Lesson 06's successor of step_open_file: no docroot
//   string glued to the path, no symbolic link followed.
//   in:  x0 = x
//   out: w0 = STEP_NEXT, or 403 / 404 / 414 / 500 (x->file_fd stays -1)
//   registers: x19 = x
//   stack: 32 bytes (fp, lr, x19, padding)
//   syscalls: openat, close, fstatat (through open_beneath)
// ---------------------------------------------------------------------------
FUNC step_open_beneath
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        mov     x19, x0                   // x19 = x
        ldr     x0, [x19, #X_CFG]         // open_beneath(x->cfg->docroot_fd,
        ldr     x0, [x0, #CFG_DOCROOT_FD] //     (through the config)
        add     x1, x19, #X_PATH          //     x->path,
        ldr     x2, [x19, #X_PATH_LEN]    //     x->path_len)
        CALL    open_beneath              // x0 = the descriptor, or -status
        tbnz    x0, #63, step_open_beneath_refused // negative: -status
        str     x0, [x19, #X_FILE_FD]     // x->file_fd (the spine closes it)
        mov     w0, #STEP_NEXT            // go on
        b       step_open_beneath_return  // w0 = STEP_NEXT
step_open_beneath_refused:
        neg     w0, w0                    // -403 -> 403 ...
step_open_beneath_return:
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT or a status
ENDFUNC step_open_beneath

// ---------------------------------------------------------------------------
// int64_t say_docroot_error(const char *docroot, int64_t err)
//   On stderr, one line: httpd: cannot open the docroot "DOCROOT": not a
//   directory (-ENOTDIR), ": no such file or directory" (-ENOENT), or
//   lesson 01's say_errno, ": errno N" (any other -errno; the numbers
//   differ between the kernels).
//   in:  x0 = docroot (a C string), x1 = err (negative)
//   out: x0 = what the last write returned: 0 or -errno
//   registers: x19 = docroot, x20 = err (negative).  stack: 32 bytes:
//              fp, lr, x19, x20
//   syscalls: write
// ---------------------------------------------------------------------------
FUNC say_docroot_error
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = docroot
        mov     x20, x1                   // x20 = err (negative)
        mov     w0, #STDERR_FILENO        // stderr
        LOAD_ADDR x1, msg_cannot_open     // httpd: cannot open the docroot "
        CALL    write_str                 // (the result is not needed)
        mov     w0, #STDERR_FILENO        // stderr
        mov     x1, x19                   // the docroot as given
        CALL    write_str                 // DOCROOT
        mov     w0, #STDERR_FILENO        // stderr
        LOAD_ADDR x1, msg_quote           // the closing quote
        CALL    write_str                 // "
        cmn     x20, #ENOTDIR             // err == -ENOTDIR: a file, not a directory?
        b.eq    say_docroot_error_not_dir // say so in words
        cmn     x20, #ENOENT              // err == -ENOENT: nothing there?
        b.eq    say_docroot_error_missing // say so in words
        mov     x0, x20                   // say_errno(err)
        CALL    say_errno                 // any other errno: ": errno N\n"
        b       say_docroot_error_return  // x0 = its answer
say_docroot_error_not_dir:
        mov     w0, #STDERR_FILENO        // stderr
        LOAD_ADDR x1, msg_not_a_directory // ": not a directory\n"
        CALL    write_str                 // the rest of the line
        b       say_docroot_error_return  // x0 = write_str's answer
say_docroot_error_missing:
        mov     w0, #STDERR_FILENO        // stderr
        LOAD_ADDR x1, msg_no_such_file    // ": no such file or directory\n"
        CALL    write_str                 // the rest of the line
say_docroot_error_return:
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // x0 = the last write's answer
ENDFUNC say_docroot_error

// ---------------------------------------------------------------------------
// int64_t open_docroot(struct config *cfg)
//   At start-up, once: openat(AT_FDCWD, cfg->docroot, O_RDONLY |
//   O_DIRECTORY) into cfg->docroot_fd, the descriptor every request walks
//   from.  No O_NOFOLLOW: the docroot itself may be a symbolic link (the
//   operator's choice); below it open_beneath follows none.
//   in:  x0 = cfg
//   out: x0 = 0, or -errno after say_docroot_error (main exits with 1)
//   registers: x19 = cfg, x20 = -errno
//   stack: 32 bytes (fp, lr, x19, x20)
//   syscalls: openat (and write through say_docroot_error)
// ---------------------------------------------------------------------------
FUNC open_docroot
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = cfg
        mov     x0, #AT_FDCWD             // openat(a relative docroot starts at the cwd,
        ldr     x1, [x19, #CFG_DOCROOT]   //     cfg->docroot,
        mov     x2, #(O_RDONLY | O_DIRECTORY) //     a directory or nothing,
        mov     x3, #0                    //     no mode)
        SYSCALL openat                    // x0 = fd, or carry + errno
        b.cs    open_docroot_failed       // carry set: x0 = errno
        str     x0, [x19, #CFG_DOCROOT_FD] // cfg->docroot_fd = the directory
        mov     x0, #0                    // 0: ready to serve
        b       open_docroot_return       // x0 = 0
open_docroot_failed:
        neg     x20, x0                   // x20 = -errno
        ldr     x0, [x19, #CFG_DOCROOT]   // say_docroot_error(cfg->docroot,
        mov     x1, x20                   //     -errno)
        CALL    say_docroot_error         // httpd: cannot open the docroot ...
        mov     x0, x20                   // x0 = -errno
open_docroot_return:
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // x0 = 0 or -errno
ENDFUNC open_docroot
