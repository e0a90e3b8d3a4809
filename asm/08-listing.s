// asm/08-listing.s -- lesson 08: directories -- the 301 to the slash,
// index.html, and a sorted listing.
//
// C++ twin: cpp/08-listing.cpp (same function names, same limits, same
// statuses, the same bytes on the wire).  Rules and walk-through:
// lessons/08-listing/README.md.
//
// The stage's one step comes right after step_stat_file in the spine's
// list (asm/httpd.s); lesson 04's step_add_index is not in the list from
// lesson 08 on.  It works on the connection's struct exchange
// (asm/records.inc, EXCHANGE):
//     step_directory   a directory: 301 to ".../" (redirect_to_slash), its
//                      index.html (open_index), or a listing (send_listing)
// The step relies only on x->file_fd (the object the open step opened:
// lesson 04's step_open_file, or lesson 06's step_open_beneath) and
// x->file_mode; what it opens or stats, it does relative to that
// descriptor (openat, fstatat).
// Under it, three groups, one per part of the lesson text:
//     reading    dir_start, dir_next, listable_name, count_entries,
//                read_entries
//     sorting    compare_names, sift_down, sort_entries (heapsort)
//     writing    out_start, out_flush, out_bytes, out_u64, out_html,
//                out_percent, out_href, out_query, emit_entry, emit_listing
// The records they share (struct dir_reader, struct dir_entry, struct
// listing_out) and the limits are in asm/records.inc, section LISTING.
//
// Error convention of this lesson: the readers return a count or a
// length, 0 at the end, -errno on failure; the steps STEP_NEXT, STEP_DONE
// or a status; open_index 1, 0 or 403.  Raw system calls keep the kernel's
// convention: carry set = failed, x0 = errno.
//
// The one place the kernels differ is dir_next's read of a block of
// records (.if OS_DARWIN): getdirentries64 on Darwin, getdents64 on Linux.

        .include "os.inc"
        .include "records.inc"

        .equ ENT_SHIFT, 5                 // &e[i] = e + (i << 5): ENT_SIZE is 32
.if ENT_SIZE != (1 << ENT_SHIFT)
        .error "ENT_SIZE must be 1 << ENT_SHIFT"
.endif
// one slot of html_entities (below): the byte, the entity's length, the entity
        .equ ENTITY_SLOT, 8               // bytes per slot: the next slot is 8 on
        .equ ENTITY_SLOT_LEN, 1           // slot + 1: the entity's length
        .equ ENTITY_SLOT_TEXT, 2          // slot + 2: the entity (up to 6 bytes, padded)
.if OS_DARWIN
// Darwin writes the flags word into the buffer's last 4 bytes only when
// the buffer has at least GETDIRENTRIES64_EXTENDED_BUFSIZE bytes
.if DIRENT_BUF_MAX < GETDIRENTRIES64_EXTENDED_BUFSIZE
        .error "DIRENT_BUF_MAX is too small for getdirentries64's EOF flag"
.endif
        .equ DIR_FLAGS, DIR_BUF + DIRENT_BUF_MAX - 4 // the flags word: the buffer's last 4 bytes
.endif

// OUT_TEXT o, text, len -- out_bytes(o, text, len) for a string of this
// file's RODATA; o is a register (or sp) holding the struct listing_out.
        .macro OUT_TEXT o, text, len
        mov     x0, \o                    // out_bytes(o,
        LOAD_ADDR x1, \text               //     the text,
        mov     x2, #\len                 //     its length)
        CALL    out_bytes                 // (x0..x17 may change)
        .endm

        RODATA                            // constant data: the page's text, small strings
// The page around the rows (lesson 08 rule: HTML5, UTF-8, the path in the
// title and in the heading).  cpp/08-listing.cpp has the same bytes.
page_start:
        .ascii  "<!doctype html>\n"
        .ascii  "<html lang=\"en\">\n"
        .ascii  "<head>\n"
        .ascii  "<meta charset=\"utf-8\">\n"
        .ascii  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        .ascii  "<title>Index of "
        .equ    PAGE_START_LEN, . - page_start
page_heading:
        .ascii  "</title>\n"
        .ascii  "<style>\n"
        .ascii  "body{font:16px/1.5 system-ui,sans-serif;color:#1f2328;max-width:52rem;margin:2rem auto;padding:0 1rem}\n"
        .ascii  "h1{font-size:1.4rem;font-weight:600;margin:0 0 1rem;overflow-wrap:anywhere}\n"
        .ascii  "table{border-collapse:collapse;width:100%}\n"
        .ascii  "th,td{padding:.35rem .75rem;text-align:left;border-bottom:1px solid #d8dee4}\n"
        .ascii  "th{font-weight:600;color:#59636e;border-bottom:2px solid #d1d9e0}\n"
        .ascii  "th+th,td+td{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;color:#59636e}\n"
        .ascii  "tbody tr:hover{background:#f6f8fa}\n"
        .ascii  "a{color:#0969da;text-decoration:none;overflow-wrap:anywhere}\n"
        .ascii  "a:hover{text-decoration:underline}\n"
        .ascii  "</style>\n"
        .ascii  "</head>\n"
        .ascii  "<body>\n"
        .ascii  "<h1>Index of "
        .equ    PAGE_HEADING_LEN, . - page_heading
page_table:
        .ascii  "</h1>\n"
        .ascii  "<table>\n"
        .ascii  "<thead><tr><th>Name</th><th>Size</th></tr></thead>\n"
        .ascii  "<tbody>\n"
        .equ    PAGE_TABLE_LEN, . - page_table
parent_row:
        .ascii  "<tr><td><a href=\"../\">../</a></td><td>-</td></tr>\n"
        .equ    PARENT_ROW_LEN, . - parent_row
page_end:
        .ascii  "</tbody>\n"
        .ascii  "</table>\n"
        .ascii  "</body>\n"
        .ascii  "</html>\n"
        .equ    PAGE_END_LEN, . - page_end
// One row: row_start href row_text name row_size size row_end.
row_start:
        .ascii  "<tr><td><a href=\""
        .equ    ROW_START_LEN, . - row_start
row_text:
        .ascii  "\">"
        .equ    ROW_TEXT_LEN, . - row_text
row_size:
        .ascii  "</a></td><td>"
        .equ    ROW_SIZE_LEN, . - row_size
row_end:
        .ascii  "</td></tr>\n"
        .equ    ROW_END_LEN, . - row_end
slash:
        .ascii  "/"                       // after a directory's name, in a Location
dash:
        .ascii  "-"                       // a directory's size
question:
        .ascii  "?"                       // before the query of a Location
// excerpt: html-entities
// html_entities: what out_html replaces, in 8-byte slots: the byte, the
// entity's length, the entity (padded to 6).  A 0 byte ends the table.
// (No pointers: a table of addresses in __TEXT would need relocations.)
html_entities:
        .byte   '&', 5                    // starts an entity
        .ascii  "&amp;"
        .space  1
        .byte   '<', 4                    // starts a tag
        .ascii  "&lt;"
        .space  2
        .byte   '>', 4                    // ends one
        .ascii  "&gt;"
        .space  2
        .byte   0x22, 6                   // '"' ends the href="..." attribute
        .ascii  "&quot;"
        .byte   0x27, 5                   // "'" ends an attribute quoted with '
        .ascii  "&#39;"
        .space  1
        .byte   0                         // the end of the table
// excerpt end
hex_digits:
        .ascii  "0123456789ABCDEF"        // %XX: upper case (RFC 3986 §2.1)
href_symbols:
        .asciz  "-._~/"                   // unreserved besides letters and digits (§2.3), and '/'
query_symbols:
        .asciz  "-._~!$&'()*+,;=:@/?%"    // a query's bytes (§3.4): unreserved, sub-delims, : @ / ?, and % of its escapes
location_name:
        .asciz  "Location"                // the 301's field (RFC 9110 §10.2.2)
index_file:
        .asciz  "index.html"              // what a directory's "/" serves
listing_type:
        .asciz  "text/html; charset=utf-8" // the listing's Content-Type

// ===========================================================================
// Part 1 -- reading the directory
// ===========================================================================

// ---------------------------------------------------------------------------
// int64_t dir_start(struct dir_reader *r, int fd)
//   Rewind fd to its first entry (lseek 0: the descriptor's position may
//   be anywhere) and make r read it from there.
//   in:  x0 = r, w1 = fd
//   out: x0 = 0, or -errno (r is not touched then)
//   registers: x19 = r, x20 = fd
//   stack: 32 bytes (fp, lr, x19, x20)
//   syscalls: lseek
// ---------------------------------------------------------------------------
FUNC dir_start
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        mov     x19, x0                   // x19 = r
        sxtw    x20, w1                   // x20 = fd (an int: sign-extend before 64-bit use)
        mov     x0, x20                   // lseek(fd,
        mov     x1, #0                    //       0,
        mov     x2, #SEEK_SET             //       from the start)
        SYSCALL lseek                     // x0 = 0, or carry + errno
        b.cs    dir_start_failed          // carry set: x0 = errno
        str     x20, [x19, #DIR_FD]       // r->fd = fd
        stp     xzr, xzr, [x19, #DIR_POS] // r->pos = 0, r->len = 0: no block yet
        str     xzr, [x19, #DIR_EOF]      // r->eof = 0: blocks to come
        mov     x0, #0                    // success
        b       dir_start_return          // x0 = 0
dir_start_failed:
        neg     x0, x0                    // our convention: -errno
dir_start_return:
        ldp     x19, x20, [sp, #16]       // restore x19, x20 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // x0 = 0 or -errno
ENDFUNC dir_start

// ---------------------------------------------------------------------------
// int64_t dir_next(struct dir_reader *r, const char **name)
//   The next name of the directory, "." and ".." skipped and so is a name
//   listable_name refuses: *name points at its NUL-terminated bytes inside
//   r->buf (valid until the next call).
//   When the block in r->buf is used up, the next one is read -- the one
//   system call the two kernels spell differently (.if OS_DARWIN):
//     Darwin getdirentries64(fd, buf, size, &position): *position gets the
//       offset of the block just read (r->base; we never use it); with a
//       buffer of 1024 bytes or more the kernel fills at most size - 4
//       bytes and writes a flags word into the LAST 4: bit 0 = that was
//       the last block, so no empty read is needed to find the end;
//     Linux getdents64(fd, buf, size): 0 bytes = the end.
//   Both return the bytes of records in buf; each record starts with its
//   own length (D_RECLEN), and the name is at D_NAME (21 / 19).
//   in:  x0 = r, x1 = name (where the pointer goes)
//   out: x0 = the name's length, 0 at the end, or -errno
//   registers: x19 = r, x20 = name, x21 = the record, then its name,
//              x22 = the name's length
//   stack: 48 bytes (fp, lr, x19..x22)
//   syscalls: getdirentries64 / getdents64
// ---------------------------------------------------------------------------
FUNC dir_next
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        mov     x19, x0                   // x19 = r
        mov     x20, x1                   // x20 = where *name goes

// a record left in the block?
dir_next_record:
        ldp     x9, x10, [x19, #DIR_POS]  // x9 = r->pos, x10 = r->len
        cmp     x9, x10                   // pos < len?
        b.lo    dir_next_take             // yes: take that record

// -- dir_next_block: the block is used up: read the next one, unless there is
// none
        ldr     x9, [x19, #DIR_EOF]       // r->eof: the last block was read
        cbnz    x9, dir_next_end          // nothing left: the end
        ldr     x0, [x19, #DIR_FD]        // the directory,
        add     x1, x19, #DIR_BUF         // r->buf,
        mov     x2, #DIRENT_BUF_MAX       // its size
.if OS_DARWIN
        add     x3, x19, #DIR_BASE        // Darwin: &position, which it must have
.endif
        SYSCALL getdents                  // x0 = bytes of records, 0 at the end, or carry + errno
        b.cs    dir_next_failed           // carry set: x0 = errno
        cbz     x0, dir_next_at_end       // 0 bytes: the end of the directory
        stp     xzr, x0, [x19, #DIR_POS]  // r->pos = 0, r->len = the bytes read
.if OS_DARWIN
        // Darwin: the flags word in the buffer's last 4 bytes
        ldr     w9, [x19, #DIR_FLAGS]     // written by the kernel after the records
        tst     w9, #GETDIRENTRIES64_EOF  // was that the last block?
        b.eq    dir_next_record           // no: more blocks may follow
        mov     x9, #1                    // yes: r->eof = 1, no empty read later
        str     x9, [x19, #DIR_EOF]       // (the records just read still count)
.endif
        b       dir_next_record           // take the block's first record
dir_next_at_end:
        mov     x9, #1                    // r->eof = 1: later calls answer 0
        str     x9, [x19, #DIR_EOF]       // without asking the kernel again
dir_next_end:
        mov     x0, #0                    // the end
        b       dir_next_return           // x0 = 0

// take the record at r->pos; step over it
dir_next_take:
        add     x21, x19, #DIR_BUF        // the buffer ...
        add     x21, x21, x9              // ... + pos: x21 = the record
        ldrh    w10, [x21, #D_RECLEN]     // its length (16 bits, both kernels)
        add     x9, x9, x10               // pos += reclen: records differ in length
        str     x9, [x19, #DIR_POS]       // r->pos
        add     x21, x21, #D_NAME         // x21 = its name (21 on Darwin, 19 on Linux)
        mov     x0, x21                   // str_len(name)
        CALL    str_len                   // x0 = the name's length
        mov     x22, x0                   // x22 = the length

// -- dir_next_dots: "." and ".." are in every directory: not listed
        ldrb    w9, [x21]                 // the first byte
        cmp     w9, #'.'                  // a dot?
        b.ne    dir_next_listable         // no: a name to list
        cmp     x22, #1                   // "."?
        b.eq    dir_next_record           // skip it
        cmp     x22, #2                   // two bytes ...
        b.ne    dir_next_listable         // no: ".hidden" is listed
        ldrb    w9, [x21, #1]             // ... the second one
        cmp     w9, #'.'                  // ".."?
        b.eq    dir_next_record           // skip it
// a name no request can reach is not listed (listable_name)
dir_next_listable:
        mov     x0, x21                   // listable_name(name,
        mov     x1, x22                   //     its length)
        CALL    listable_name             // w0 = 1: no control byte in it
        cbz     w0, dir_next_record       // 0: leave it out, the next record
        str     x21, [x20]                // *name = the name
        mov     x0, x22                   // its length
        b       dir_next_return           // x0 = the length
dir_next_failed:
        neg     x0, x0                    // our convention: -errno
dir_next_return:
        ldp     x21, x22, [sp, #32]       // restore x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // x0 = length, 0 or -errno
ENDFUNC dir_next

// ---------------------------------------------------------------------------
// int listable_name(const char *p, size_t n)
//   1 when the name may be listed, 0 when not: a name holding a control
//   byte (0x00-0x1F, 0x7F: newline, tab, DEL ...) is left out, because
//   its link could never be served -- lesson 05 answers 400 to any
//   control byte that percent-decoding gives back (RFC 3986 allows none
//   in a URI).  dir_next asks it for every name, so count_entries and
//   read_entries never see such a name.
//   in:  x0 = p, x1 = n
//   out: w0 = 1 (listable) or 0
//   registers: w9 = the byte
//   Leaf: no stack, no calls.
// ---------------------------------------------------------------------------
FUNC listable_name
listable_name_byte:
        cbz     x1, listable_name_yes     // every byte looked at: listable
        ldrb    w9, [x0], #1              // the next byte (unsigned), p++
        sub     x1, x1, #1                // one byte fewer to look at
        cmp     w9, #CHAR_SP              // below SP: a C0 control (0x00-0x1F)
        b.lo    listable_name_no          // not listable
        cmp     w9, #CHAR_DEL             // DEL (0x7F)
        b.eq    listable_name_no          // not listable
        b       listable_name_byte        // this one is fine: the next
listable_name_yes:
        mov     w0, #1                    // no control byte in it
        ret                               // w0 = 1
listable_name_no:
        mov     w0, #0                    // a control byte: leave it out
        ret                               // w0 = 0
ENDFUNC listable_name

// ---------------------------------------------------------------------------
// int64_t count_entries(int dir_fd, uint64_t *name_bytes)
//   How many names the directory has ("." and ".." not counted), and
//   *name_bytes = their lengths added up: what read_entries will need.
//   in:  w0 = dir_fd, x1 = name_bytes
//   out: x0 = the count, or -errno (*name_bytes untouched then)
//   registers: x19 = name_bytes, x20 = the count, x21 = the bytes
//   stack: 48 bytes (fp, lr, x19..x21, and at fp+40 the slot dir_next
//          writes a name pointer to) + DIR_SIZE: the struct dir_reader at sp
//   syscalls: lseek, getdirentries64 / getdents64 (dir_start, dir_next)
// ---------------------------------------------------------------------------
        .equ CE_NAME_SLOT, 40             // fp + 40: dir_next's *name
FUNC count_entries
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // callee-saved: x21 (sp+40: the name slot)
        sub     sp, sp, #(DIR_SIZE & 0xfff000) // struct dir_reader r: DIR_SIZE bytes, in two
        sub     sp, sp, #(DIR_SIZE & 0xfff) //   parts (an immediate has 12 bits, maybe shifted)
        mov     x19, x1                   // x19 = name_bytes
        mov     w1, w0                    // dir_start(&r, dir_fd)
        mov     x0, sp                    // (r is at sp)
        CALL    dir_start                 // x0 = 0 or -errno
        tbnz    x0, #63, count_entries_return // negative: -errno as it is
        mov     x20, #0                   // x20 = no names yet
        mov     x21, #0                   // x21 = no bytes yet
count_entries_loop:
        mov     x0, sp                    // dir_next(&r,
        add     x1, x29, #CE_NAME_SLOT    //     &name): the name is not needed
        CALL    dir_next                  // x0 = its length, 0 at the end, or -errno
        cmp     x0, #0                    // a name?
        b.le    count_entries_end         // 0 or negative: no more
        add     x20, x20, #1              // one more name
        add     x21, x21, x0              // and its bytes
        b       count_entries_loop        // the next name
count_entries_end:
        tbnz    x0, #63, count_entries_return // -errno: as it is
        str     x21, [x19]                // *name_bytes = the bytes
        mov     x0, x20                   // the count
count_entries_return:
        mov     sp, x29                   // drop r
        ldr     x21, [sp, #32]            // restore x21 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // x0 = count or -errno
ENDFUNC count_entries

// ---------------------------------------------------------------------------
// int64_t read_entries(int dir_fd, struct dir_entry *entries, size_t max,
//                      char *names, size_t names_cap)
//   The names again, each fstatat'ed without following a symlink
//   (AT_SYMLINK_NOFOLLOW: lstat's view) and copied into names:
//   entries[i] = {name, length, st_size, st_mode}.  A name whose fstatat
//   says ENOENT (it vanished since it was counted) is left out; any other
//   failure (EACCES: a directory that may be read but not searched) is
//   the whole listing's: -errno.  Reading stops at max entries, or at a
//   name that no longer fits names_cap (the directory grew since it was
//   counted).
//   in:  w0 = dir_fd, x1 = entries, x2 = max, x3 = names, x4 = names_cap
//   out: x0 = the entries filled, or -errno
//   registers: x19 = dir_fd, x20 = the next free entry, x21 = max,
//              x22 = the next free byte of names, x23 = bytes of names
//              left, x24 = entries filled, x25 = the name's length
//   stack: 80 bytes (fp, lr, x19..x25, and at fp+72 the name slot) +
//          READ_AREA: struct stat at sp, struct dir_reader after it
//   syscalls: lseek, getdirentries64 / getdents64, fstatat
// ---------------------------------------------------------------------------
        .equ RE_NAME_SLOT, 72             // fp + 72: dir_next's *name
        .equ READ_STAT, 0                 // sp + 0: struct stat
        .equ READ_READER, STAT_AREA       // then struct dir_reader
        .equ READ_AREA, STAT_AREA + DIR_SIZE // both (a multiple of 16)
FUNC read_entries
        stp     x29, x30, [sp, #-80]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        stp     x23, x24, [sp, #48]       // callee-saved: x23, x24
        str     x25, [sp, #64]            // callee-saved: x25 (sp+72: the name slot)
        sub     sp, sp, #(READ_AREA & 0xfff000) // struct stat + struct dir_reader,
        sub     sp, sp, #(READ_AREA & 0xfff) // in two parts
        sxtw    x19, w0                   // x19 = dir_fd (an int)
        mov     x20, x1                   // x20 = entries
        mov     x21, x2                   // x21 = max
        mov     x22, x3                   // x22 = names
        mov     x23, x4                   // x23 = names_cap: all of it left
        mov     x24, #0                   // x24 = nothing filled yet
        add     x0, sp, #READ_READER      // dir_start(&r,
        mov     w1, w19                   //     dir_fd)
        CALL    dir_start                 // x0 = 0 or -errno
        tbnz    x0, #63, read_entries_return // negative: -errno as it is

// the next name: is there room for it?
read_entries_next:
        add     x0, sp, #READ_READER      // dir_next(&r,
        add     x1, x29, #RE_NAME_SLOT    //     &name)
        CALL    dir_next                  // x0 = its length, 0 at the end, or -errno
        cmp     x0, #0                    // a name?
        b.le    read_entries_end          // 0 or negative: no more
        mov     x25, x0                   // x25 = its length
        cmp     x24, x21                  // max entries filled?
        b.hs    read_entries_end          // the directory grew: stop (x0 > 0)
        cmp     x25, x23                  // more bytes than are left?
        b.hi    read_entries_end          // the directory grew: stop (x0 > 0)

// -- read_entries_stat: lstat's view of it: a symlink is described, never
// followed
        mov     x0, x19                   // fstatat(dir_fd,
        ldr     x1, [x29, #RE_NAME_SLOT]  //     name,
        add     x2, sp, #READ_STAT        //     &st,
        mov     x3, #AT_SYMLINK_NOFOLLOW  //     the link itself)
        SYSCALL fstatat                   // x0 = 0, or carry + errno
        b.cc    read_entries_keep         // there: keep it
        cmp     x0, #ENOENT               // gone since it was counted?
        b.eq    read_entries_next         // yes: leave it out
        neg     x0, x0                    // anything else (EACCES ...): -errno,
        b       read_entries_return       // the whole listing fails

// keep it: the name into names, the entry into entries
read_entries_keep:
        mov     x0, x22                   // copy_bytes(the next free byte,
        ldr     x1, [x29, #RE_NAME_SLOT]  //     the name (it lives in r.buf),
        mov     x2, x25                   //     its length)
        CALL    copy_bytes                // x0 = just past the copy
        stp     x22, x25, [x20, #ENT_NAME_PTR] // entry: the copy, its length
        ldr     x9, [sp, #(READ_STAT + ST_SIZE)] // st_size: 64 bits
        LOAD_ST_MODE w10, sp              // st_mode: 16 bits on Darwin, 32 on Linux
        stp     x9, x10, [x20, #ENT_FILE_SIZE] // entry: size, mode (writing w10 zeroed the top)
        mov     x22, x0                   // the next name goes after this one
        sub     x23, x23, x25             // fewer bytes left
        add     x20, x20, #ENT_SIZE       // the next free entry
        add     x24, x24, #1              // one more filled
        b       read_entries_next         // and the next name
read_entries_end:
        tbnz    x0, #63, read_entries_return // dir_next failed: -errno as it is
        mov     x0, x24                   // the entries filled
read_entries_return:
        mov     sp, x29                   // drop st and r
        ldr     x25, [sp, #64]            // restore x25 ...
        ldp     x23, x24, [sp, #48]       // ... x23, x24 ...
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #80       // ... fp, lr, and drop the frame
        ret                               // x0 = entries filled or -errno
ENDFUNC read_entries

// ===========================================================================
// Part 2 -- sorting
// ===========================================================================

// ---------------------------------------------------------------------------
// int compare_names(const char *a, size_t alen, const char *b, size_t blen)
//   Byte order: the first differing byte decides, compared unsigned (like
//   memcmp: "é" = C3 A9 sorts after "z"); if one name is a prefix of the
//   other, the shorter sorts first ("a" before "a b").
//   in:  x0 = a, x1 = alen, x2 = b, x3 = blen
//   out: w0 = -1 (a first), 0 (the same), 1 (b first)
//   registers: x4 = bytes both have, x5 = index, w6 / w7 = a's / b's byte.
//   Leaf: no stack, no calls.
// ---------------------------------------------------------------------------
FUNC compare_names
        cmp     x1, x3                    // the shorter length ...
        csel    x4, x1, x3, lo            // ... x4: the bytes both names have
        mov     x5, #0                    // i = 0
1:      cmp     x5, x4                    // for (i < common)
        b.hs    compare_names_prefix      // all equal: the lengths decide
        ldrb    w6, [x0, x5]              // a[i] (ldrb zero-extends: unsigned)
        ldrb    w7, [x2, x5]              // b[i]
        add     x5, x5, #1                // i++
        cmp     w6, w7                    // the same byte?
        b.eq    1b                        // yes: the next one
        mov     w0, #1                    // they differ: 1 if a's is larger,
        cneg    w0, w0, lo                // -1 if it is smaller (unsigned)
        ret                               // w0 = -1 or 1
compare_names_prefix:
        cmp     x1, x3                    // alen vs blen
        cset    w0, hi                    // 1 if a is longer,
        csinv   w0, w0, wzr, hs           // -1 if it is shorter (~0), else as it is
        ret                               // w0 = -1, 0 or 1
ENDFUNC compare_names

// ---------------------------------------------------------------------------
// void sift_down(struct dir_entry *e, size_t root, size_t n)
//   Heapsort's one move: e[root] sinks -- swapped with its larger child --
//   until it is not smaller than its children.  Children of i: 2i+1, 2i+2.
//   in:  x0 = e, x1 = root, x2 = n
//   registers: x19 = e, x20 = root (moves down), x21 = n, x22 = the child;
//              the swap: x0..x7 = the two entries, x9 / x10 = their
//              addresses
//   stack: 48 bytes (fp, lr, x19..x22)
//   syscalls: none
// ---------------------------------------------------------------------------
FUNC sift_down
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        mov     x19, x0                   // x19 = e
        mov     x20, x1                   // x20 = root
        mov     x21, x2                   // x21 = n

// the children of root: none means root is a leaf, and we are done
sift_down_loop:
        lsl     x22, x20, #1              // child = 2 * root ...
        add     x22, x22, #1              // ... + 1: the left child
        cmp     x22, x21                  // child >= n?
        b.hs    sift_down_return          // no child: done
        add     x9, x22, #1               // the right child ...
        cmp     x9, x21                   // ... exists?
        b.hs    sift_down_compare_root    // no: the left one it is
        add     x9, x19, x22, lsl #ENT_SHIFT // &e[child]
        ldp     x0, x1, [x9, #ENT_NAME_PTR] // compare_names(left's name,
        ldp     x2, x3, [x9, #(ENT_SIZE + ENT_NAME_PTR)] // right's name)
        CALL    compare_names             // w0 = -1, 0 or 1
        tbz     w0, #31, sift_down_compare_root // left >= right: the left one
        add     x22, x22, #1              // left < right: the right one

// excerpt: sift-down-swap
// root against its larger child: smaller sinks
sift_down_compare_root:
        add     x9, x19, x20, lsl #ENT_SHIFT // &e[root]
        add     x10, x19, x22, lsl #ENT_SHIFT // &e[child]
        ldp     x0, x1, [x9, #ENT_NAME_PTR] // compare_names(root's name,
        ldp     x2, x3, [x10, #ENT_NAME_PTR] //     the child's name)
        CALL    compare_names             // w0 = -1, 0 or 1
        tbz     w0, #31, sift_down_return // root >= child: a heap again
        add     x9, x19, x20, lsl #ENT_SHIFT // &e[root] (the call used x9, x10)
        add     x10, x19, x22, lsl #ENT_SHIFT // &e[child]
        ldp     x0, x1, [x9]              // swap the two entries, 32 bytes each:
        ldp     x2, x3, [x9, #16]         // root's in x0..x3,
        ldp     x4, x5, [x10]             // the child's in x4..x7,
        ldp     x6, x7, [x10, #16]        // then each where the other was
        stp     x4, x5, [x9]              // e[root] = the child ...
        stp     x6, x7, [x9, #16]         // ...
        stp     x0, x1, [x10]             // e[child] = the old root ...
        stp     x2, x3, [x10, #16]        // ...
        mov     x20, x22                  // root = child: and on down
        b       sift_down_loop            // look at its children
// excerpt end
sift_down_return:
        ldp     x21, x22, [sp, #32]       // restore x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // void
ENDFUNC sift_down

// ---------------------------------------------------------------------------
// void sort_entries(struct dir_entry *e, size_t n)
//   e[0..n) in name order, by heapsort: make it a max-heap (sift_down
//   from the last parent up to the root), then n-1 times swap the largest
//   (e[0]) to the end of the heap and shrink the heap by one.  O(n log n)
//   comparisons at worst, nothing but the array, no recursion.
//   in:  x0 = e, x1 = n
//   registers: x19 = e, x20 = n, x21 = i (building), then end (the heap's
//              size); the swap: x0..x7, x9
//   stack: 48 bytes (fp, lr, x19..x21, padding)
//   syscalls: none
// ---------------------------------------------------------------------------
FUNC sort_entries
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // callee-saved: x21 (sp+40: padding)
        mov     x19, x0                   // x19 = e
        mov     x20, x1                   // x20 = n
        cmp     x20, #2                   // fewer than two entries:
        b.lo    sort_entries_return       // already in order

// build the heap: for (i = n / 2; i-- > 0;) sift_down(e, i, n)
        lsr     x21, x20, #1              // i = n / 2: past the last parent
sort_entries_build:
        cbz     x21, sort_entries_take    // i-- > 0 failed: the heap is built
        sub     x21, x21, #1              // i--
        mov     x0, x19                   // sift_down(e,
        mov     x1, x21                   //     i,
        mov     x2, x20                   //     n)
        CALL    sift_down                 // e[i..n) is a heap now
        b       sort_entries_build        // the parent before it

// take the largest out: for (end = n - 1; end > 0; --end)
        // swap(e[0], e[end]); sift_down(e, 0, end)
sort_entries_take:
        sub     x21, x20, #1              // end = n - 1
sort_entries_take_loop:
        cbz     x21, sort_entries_return  // end == 0: sorted
        add     x9, x19, x21, lsl #ENT_SHIFT // &e[end]
        ldp     x0, x1, [x19]             // swap e[0] and e[end]:
        ldp     x2, x3, [x19, #16]        // e[0] in x0..x3,
        ldp     x4, x5, [x9]              // e[end] in x4..x7
        ldp     x6, x7, [x9, #16]         // ...
        stp     x4, x5, [x19]             // e[0] = e[end] ...
        stp     x6, x7, [x19, #16]        // ...
        stp     x0, x1, [x9]              // e[end] = the largest: its place
        stp     x2, x3, [x9, #16]         // ...
        mov     x0, x19                   // sift_down(e,
        mov     x1, #0                    //     0,
        mov     x2, x21                   //     end): the heap without it
        CALL    sift_down                 // e[0] is the largest left
        sub     x21, x21, #1              // --end
        b       sort_entries_take_loop    // the next largest
sort_entries_return:
        ldr     x21, [sp, #32]            // restore x21 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // void
ENDFUNC sort_entries

// ===========================================================================
// Part 3 -- writing the page
// ===========================================================================

// ---------------------------------------------------------------------------
// void out_start(struct listing_out *o, int sock)
//   An empty page going to sock (-1: count only).
//   in:  x0 = o, w1 = sock
//   registers: x1 = sock, sign-extended.  Leaf: no stack, no calls.
// ---------------------------------------------------------------------------
FUNC out_start
        sxtw    x1, w1                    // an int: -1 stays -1 in 64 bits
        str     x1, [x0, #OUT_SOCK]       // o->sock = sock
        stp     xzr, xzr, [x0, #OUT_LEN]  // o->len = 0, o->total = 0
        str     xzr, [x0, #OUT_SENT]      // o->sent = 0
        ret                               // void
ENDFUNC out_start

// ---------------------------------------------------------------------------
// void out_flush(struct listing_out *o)
//   Send the bytes waiting in o->buf (write_all), count them in o->sent,
//   and empty it.  If the write fails, the client has left: o->sock = -1,
//   and the rest of the page is only counted.
//   in:  x0 = o
//   registers: x19 = o
//   stack: 32 bytes (fp, lr, x19, padding)
//   syscalls: write (write_all)
// ---------------------------------------------------------------------------
FUNC out_flush
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        mov     x19, x0                   // x19 = o
        ldr     x0, [x19, #OUT_SOCK]      // the socket
        tbnz    x0, #63, out_flush_empty  // -1: counting only, nothing to send
        ldr     x2, [x19, #OUT_LEN]       // the bytes waiting
        cbz     x2, out_flush_empty       // none
        add     x1, x19, #OUT_BUF         // write_all(sock, o->buf, o->len)
        CALL    write_all                 // x0 = 0 or -errno
        tbnz    x0, #63, out_flush_gone   // the client left
        ldr     x9, [x19, #OUT_LEN]       // o->sent += o->len: they went
        ldr     x10, [x19, #OUT_SENT]
        add     x10, x10, x9
        str     x10, [x19, #OUT_SENT]
        b       out_flush_empty
out_flush_gone:
        mov     x9, #-1                   // the client left:
        str     x9, [x19, #OUT_SOCK]      // count the rest, send nothing more
out_flush_empty:
        str     xzr, [x19, #OUT_LEN]      // o->len = 0
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // void
ENDFUNC out_flush

// ---------------------------------------------------------------------------
// void out_bytes(struct listing_out *o, const char *p, size_t n)
//   Add n bytes to the page: copy what fits into o->buf, flush it when it
//   is full, go on.  o->total grows by n whether the bytes go out or not.
//   in:  x0 = o, x1 = p, x2 = n
//   registers: x19 = o, x20 = the next byte of p, x21 = bytes still to
//              add, x22 = bytes this round copies; x9, x10 = scratch
//   stack: 48 bytes (fp, lr, x19..x22)
//   syscalls: write (out_flush)
// ---------------------------------------------------------------------------
FUNC out_bytes
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        mov     x19, x0                   // x19 = o
        mov     x20, x1                   // x20 = p
        mov     x21, x2                   // x21 = n
        ldr     x9, [x19, #OUT_TOTAL]     // o->total += n
        add     x9, x9, x21               // (counted now: the loop
        str     x9, [x19, #OUT_TOTAL]     //  below only moves bytes)
out_bytes_loop:
        cbz     x21, out_bytes_return     // every byte added
        ldr     x9, [x19, #OUT_LEN]       // x9 = bytes in the buffer
        mov     x10, #LISTING_OUT_MAX     // its size
        cmp     x9, x10                   // full?
        b.lo    out_bytes_copy            // no: copy into it
        mov     x0, x19                   // out_flush(o): send it,
        CALL    out_flush                 // o->len = 0
        mov     x9, #0                    // x9 = the buffer is empty
out_bytes_copy:
        mov     x10, #LISTING_OUT_MAX     // the room left:
        sub     x10, x10, x9              // size - len
        cmp     x21, x10                  // take = min(left, room)
        csel    x22, x21, x10, lo         // x22 = the bytes this round
        add     x0, x19, #OUT_BUF         // copy_bytes(o->buf + len,
        add     x0, x0, x9                //     (where the free part starts)
        mov     x1, x20                   //     p,
        mov     x2, x22                   //     take)
        CALL    copy_bytes                // (x0 = just past the copy: unused)
        ldr     x9, [x19, #OUT_LEN]       // o->len += take
        add     x9, x9, x22               // (reloaded: the call used x9)
        str     x9, [x19, #OUT_LEN]       // ...
        add     x20, x20, x22             // p += take
        sub     x21, x21, x22             // n -= take
        b       out_bytes_loop            // the rest, if any
out_bytes_return:
        ldp     x21, x22, [sp, #32]       // restore x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // void
ENDFUNC out_bytes

// ---------------------------------------------------------------------------
// void out_u64(struct listing_out *o, uint64_t value)
//   The number in decimal (lesson 00's format_u64).
//   in:  x0 = o, x1 = value
//   registers: x19 = o
//   stack: 48 bytes: fp, lr, x19, then the digits at sp+24 .. sp+44
//   syscalls: write (out_bytes)
// ---------------------------------------------------------------------------
        .equ OU_DIGITS, 24                // sp + 24: up to 20 digits
FUNC out_u64
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19
        mov     x19, x0                   // x19 = o
        mov     x0, x1                    // format_u64(value,
        add     x1, sp, #OU_DIGITS        //     digits)
        CALL    format_u64                // x0 = how many digits
        mov     x2, x0                    // out_bytes(o, digits, count)
        mov     x0, x19                   // (o)
        add     x1, sp, #OU_DIGITS        // (the digits)
        CALL    out_bytes                 // added
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // void
ENDFUNC out_u64

// ---------------------------------------------------------------------------
// void out_html(struct listing_out *o, const char *p, size_t n)
//   Text for the HTML page: & < > " ' become &amp; &lt; &gt; &quot; &#39;
//   (looked up in html_entities), every other byte goes as it is.  Plain
//   bytes go in runs, with one out_bytes per run.
//   in:  x0 = o, x1 = p, x2 = n
//   registers: x19 = o, x20 = the first byte not yet added, x21 = one past
//              the last byte, x22 = the cursor, x23 = the entity's slot
//              in html_entities; w9 = the byte, x10 / w11 = the table walk
//   stack: 64 bytes (fp, lr, x19..x23, padding)
//   syscalls: write (out_bytes)
// ---------------------------------------------------------------------------
FUNC out_html
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        str     x23, [sp, #48]            // callee-saved: x23 (sp+56: padding)
        mov     x19, x0                   // x19 = o
        mov     x20, x1                   // x20 = nothing added yet
        add     x21, x1, x2               // x21 = one past the end
        mov     x22, x1                   // x22 = the cursor

// is the byte at the cursor in the table?
out_html_scan:
        cmp     x22, x21                  // at the end?
        b.hs    out_html_rest             // yes: the last run
        ldrb    w9, [x22]                 // the byte
        LOAD_ADDR x10, html_entities      // the first slot
1:      ldrb    w11, [x10]                // the slot's byte
        cbz     w11, out_html_plain       // the end of the table: a plain byte
        cmp     w11, w9                   // this one?
        b.eq    out_html_entity           // yes: x10 = its slot
        add     x10, x10, #ENTITY_SLOT    // the next slot
        b       1b                        // ...
out_html_plain:
        add     x22, x22, #1              // keep it for the run
        b       out_html_scan             // and look at the next

// an entity: the run before it, then the entity, then a new run
out_html_entity:
        mov     x23, x10                  // x23 = the slot (x10 dies in calls)
        mov     x0, x19                   // out_bytes(o,
        mov     x1, x20                   //     the run's start,
        sub     x2, x22, x20              //     its length: maybe 0)
        CALL    out_bytes                 // the plain bytes before it
        mov     x0, x19                   // out_bytes(o,
        add     x1, x23, #ENTITY_SLOT_TEXT //     the entity (slot + 2),
        ldrb    w2, [x23, #ENTITY_SLOT_LEN] //     its length (slot + 1))
        CALL    out_bytes                 // "&amp;" ...
        add     x22, x22, #1              // past the byte
        mov     x20, x22                  // a new run starts after it
        b       out_html_scan             // and on
out_html_rest:
        mov     x0, x19                   // out_bytes(o,
        mov     x1, x20                   //     the last run,
        sub     x2, x21, x20              //     its length)
        CALL    out_bytes                 // added
        ldr     x23, [sp, #48]            // restore x23 ...
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #64       // ... fp, lr, and drop the frame
        ret                               // void
ENDFUNC out_html

// ---------------------------------------------------------------------------
// void out_percent(struct listing_out *o, const char *p, size_t n,
//                  const char *keep)
//   Bytes for a part of a URI: letters, digits and the NUL-terminated
//   symbols keep as they are -- lesson 03's char_in_class -- every other
//   byte as "%XX", upper-case hex (RFC 3986 §2.1).  Plain bytes go in
//   runs, as in out_html.  out_href and out_query are it with their class.
//   in:  x0 = o, x1 = p, x2 = n, x3 = keep
//   registers: x19 = o, x20 = the first byte not yet added, x21 = one past
//              the last byte, x22 = the cursor, w23 = the byte, x24 = keep
//   stack: 80 bytes: fp, lr, x19..x24, and "%XX" at sp+64
//   syscalls: write (out_bytes)
// ---------------------------------------------------------------------------
        .equ OP_ESCAPE, 64                // sp + 64: the 3 bytes "%XX"
FUNC out_percent
        stp     x29, x30, [sp, #-80]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        stp     x23, x24, [sp, #48]       // callee-saved: x23, x24
        mov     x19, x0                   // x19 = o
        mov     x20, x1                   // x20 = nothing added yet
        add     x21, x1, x2               // x21 = one past the end
        mov     x22, x1                   // x22 = the cursor
        mov     x24, x3                   // x24 = the symbols kept as they are

// may the byte at the cursor stay as it is?
out_percent_scan:
        cmp     x22, x21                  // at the end?
        b.hs    out_percent_rest          // yes: the last run
        ldrb    w23, [x22]                // w23 = the byte
        mov     w0, w23                   // char_in_class(byte,
        mov     x1, x24                   //     keep)
        CALL    char_in_class             // w0 = 1: a letter, a digit, or one of them
        cbz     w0, out_percent_escape    // no: it must be escaped
        add     x22, x22, #1              // yes: keep it for the run
        b       out_percent_scan          // and look at the next

// excerpt: out-href-escape
// "%XX": the run before it, then the escape, then a new run
out_percent_escape:
        mov     x0, x19                   // out_bytes(o,
        mov     x1, x20                   //     the run's start,
        sub     x2, x22, x20              //     its length: maybe 0)
        CALL    out_bytes                 // the plain bytes before it
        LOAD_ADDR x9, hex_digits          // "0123456789ABCDEF"
        mov     w10, #'%'                 // '%' ...
        strb    w10, [sp, #OP_ESCAPE]     // ... first
        lsr     w10, w23, #4              // the high 4 bits
        ldrb    w10, [x9, w10, uxtw]      // as a hex digit
        strb    w10, [sp, #(OP_ESCAPE + 1)] // second
        and     w10, w23, #15             // the low 4 bits
        ldrb    w10, [x9, w10, uxtw]      // as a hex digit
        strb    w10, [sp, #(OP_ESCAPE + 2)] // third
        mov     x0, x19                   // out_bytes(o,
        add     x1, sp, #OP_ESCAPE        //     "%XX",
        mov     x2, #3                    //     3)
        CALL    out_bytes                 // the escape
        add     x22, x22, #1              // past the byte
        mov     x20, x22                  // a new run starts after it
        b       out_percent_scan             // and on
// excerpt end
out_percent_rest:
        mov     x0, x19                   // out_bytes(o,
        mov     x1, x20                   //     the last run,
        sub     x2, x21, x20              //     its length)
        CALL    out_bytes                 // added
        ldp     x23, x24, [sp, #48]       // restore x23, x24 ...
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #80       // ... fp, lr, and drop the frame
        ret                               // void
ENDFUNC out_percent

// ---------------------------------------------------------------------------
// void out_href(struct listing_out *o, const char *p, size_t n)
//   Bytes for a URI path: letters, digits, - . _ ~ (RFC 3986 §2.3,
//   unreserved) and '/' as they are (href_symbols), every other byte as
//   "%XX": out_percent with that class.
//   in:  x0 = o, x1 = p, x2 = n
//   Leaf until its tail call: no stack; syscalls: write (out_bytes)
// ---------------------------------------------------------------------------
FUNC out_href
        LOAD_ADDR x3, href_symbols        // keep: "-._~/"
        JUMP    out_percent               // its answer is ours (a tail call)
ENDFUNC out_href

// ---------------------------------------------------------------------------
// void out_query(struct listing_out *o, const char *p, size_t n)
//   Bytes for a URI query (RFC 3986 §3.4): what a query may hold as it is
//   -- unreserved, sub-delims, ':' '@' '/' '?', and '%' (the query's own
//   escapes stay escapes) -- every other byte (UTF-8 sent raw, '"', '<',
//   '#', '\' ...) as "%XX": out_percent with query_symbols.
//   in:  x0 = o, x1 = p, x2 = n
//   Leaf until its tail call: no stack; syscalls: write (out_bytes)
// ---------------------------------------------------------------------------
FUNC out_query
        LOAD_ADDR x3, query_symbols       // keep: what a query may hold
        JUMP    out_percent               // its answer is ours (a tail call)
ENDFUNC out_query

// ---------------------------------------------------------------------------
// void emit_entry(struct listing_out *o, const struct dir_entry *e)
//   One row of the table:
//     <tr><td><a href="HREF">NAME</a></td><td>SIZE</td></tr>
//   HREF is out_href(name), NAME out_html(name); a directory gets a '/'
//   after both (its link then needs no 301) and "-" for its size.
//   in:  x0 = o, x1 = e
//   registers: x19 = o, x20 = e, x21 = 1 for a directory, else 0
//   stack: 48 bytes (fp, lr, x19..x21, padding)
//   syscalls: write (out_bytes)
// ---------------------------------------------------------------------------
FUNC emit_entry
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // callee-saved: x21 (sp+40: padding)
        mov     x19, x0                   // x19 = o
        mov     x20, x1                   // x20 = e
        ldr     x9, [x20, #ENT_FILE_MODE] // its st_mode
        and     x9, x9, #S_IFMT           // the type bits
        cmp     x9, #S_IFDIR              // a directory?
        cset    x21, eq                   // x21 = 1 if so

// the link
        OUT_TEXT x19, row_start, ROW_START_LEN // <tr><td><a href="
        mov     x0, x19                   // out_href(o,
        ldp     x1, x2, [x20, #ENT_NAME_PTR] //     the name, its length)
        CALL    out_href                  // the name, %-encoded
        cbz     x21, emit_entry_text      // a directory's link ...
        OUT_TEXT x19, slash, 1            // ... ends in '/'

// the name people read
emit_entry_text:
        OUT_TEXT x19, row_text, ROW_TEXT_LEN // ">
        mov     x0, x19                   // out_html(o,
        ldp     x1, x2, [x20, #ENT_NAME_PTR] //     the name, its length)
        CALL    out_html                  // the name, HTML-escaped
        cbz     x21, emit_entry_size      // a directory's name ...
        OUT_TEXT x19, slash, 1            // ... ends in '/' too

// the size
emit_entry_size:
        OUT_TEXT x19, row_size, ROW_SIZE_LEN // </a></td><td>
        cbz     x21, emit_entry_bytes     // a file: its size
        OUT_TEXT x19, dash, 1             // a directory: "-"
        b       emit_entry_end            // (its st_size means nothing to a reader)
emit_entry_bytes:
        mov     x0, x19                   // out_u64(o,
        ldr     x1, [x20, #ENT_FILE_SIZE] //     st_size: lstat's, for a link)
        CALL    out_u64                   // in decimal
emit_entry_end:
        OUT_TEXT x19, row_end, ROW_END_LEN // </td></tr>
        ldr     x21, [sp, #32]            // restore x21 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // void
ENDFUNC emit_entry

// ---------------------------------------------------------------------------
// void emit_listing(struct listing_out *o, const char *path, size_t path_len,
//                   const struct dir_entry *e, size_t n)
//   The whole page for the directory path: page_start, the path
//   (out_html), page_heading, the path again, page_table, the "../" row
//   unless path is "/" (at most one byte), one emit_entry per entry,
//   page_end.
//   in:  x0 = o, x1 = path, x2 = path_len, x3 = e, x4 = n
//   registers: x19 = o, x20 = path, x21 = path_len, x22 = the next entry,
//              x23 = entries left
//   stack: 64 bytes (fp, lr, x19..x23, padding)
//   syscalls: write (out_bytes)
// ---------------------------------------------------------------------------
FUNC emit_listing
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        str     x23, [sp, #48]            // callee-saved: x23 (sp+56: padding)
        mov     x19, x0                   // x19 = o
        mov     x20, x1                   // x20 = path
        mov     x21, x2                   // x21 = path_len
        mov     x22, x3                   // x22 = e
        mov     x23, x4                   // x23 = n

// the head of the page: the path in the title and in the heading
        OUT_TEXT x19, page_start, PAGE_START_LEN // ... <title>Index of
        mov     x0, x19                   // out_html(o,
        mov     x1, x20                   //     path,
        mov     x2, x21                   //     path_len)
        CALL    out_html                  // the path, HTML-escaped
        OUT_TEXT x19, page_heading, PAGE_HEADING_LEN // </title> <style> ... <h1>Index of
        mov     x0, x19                   // out_html(o,
        mov     x1, x20                   //     path,
        mov     x2, x21                   //     path_len)
        CALL    out_html                  // again
        OUT_TEXT x19, page_table, PAGE_TABLE_LEN // </h1> <table> ... <tbody>

// the rows: "../" first, except at the root
        cmp     x21, #1                   // "/" (or nothing): the root
        b.ls    emit_listing_rows         // has no parent
        OUT_TEXT x19, parent_row, PARENT_ROW_LEN // ../
emit_listing_rows:
        cbz     x23, emit_listing_end     // every entry written
        mov     x0, x19                   // emit_entry(o,
        mov     x1, x22                   //     the entry)
        CALL    emit_entry                // one row
        add     x22, x22, #ENT_SIZE       // the next entry
        sub     x23, x23, #1              // one fewer left
        b       emit_listing_rows         // ...
emit_listing_end:
        OUT_TEXT x19, page_end, PAGE_END_LEN // </tbody> </table> </body> </html>
        ldr     x23, [sp, #48]            // restore x23 ...
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #64       // ... fp, lr, and drop the frame
        ret                               // void
ENDFUNC emit_listing

// ===========================================================================
// Part 4 -- the step
// ===========================================================================

// ---------------------------------------------------------------------------
// int redirect_to_slash(struct exchange *x)
//   x->path names a directory but lacks the final '/': answer 301 with
//     Location: "/" + out_href(x->path without its leading '/'s) + "/"
//   and "?" + out_query(the query) when there is one: as it was sent,
//   but what a query may not hold %-encoded (RFC 3986 §3.4).  One leading
//   '/', never two: "//host/..." would send the browser to another site.
//   The value is built in a struct listing_out that only counts (sock -1).
//   in:  x0 = x
//   out: w0 = 301 (x->extra has the Location line), or 414 when the value
//        is longer than LOCATION_MAX (or does not fit x->extra)
//   registers: x19 = x, x20 = the path after its leading '/'s, x21 = its
//              length
//   stack: 48 bytes (fp, lr, x19..x21, padding) + OUT_SIZE: the struct
//          listing_out at sp
//   syscalls: none (the listing_out only counts)
// ---------------------------------------------------------------------------
FUNC redirect_to_slash
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // callee-saved: x21 (sp+40: padding)
        sub     sp, sp, #(OUT_SIZE & 0xfff000) // struct listing_out loc, in two
        sub     sp, sp, #(OUT_SIZE & 0xfff) //   parts (an immediate has 12 bits)
        mov     x19, x0                   // x19 = x
        add     x20, x19, #X_PATH         // x20 = the path
        ldr     x21, [x19, #X_PATH_LEN]   // x21 = its length

// excerpt: redirect-strip
// drop every leading '/': the Location gets exactly one
redirect_to_slash_strip:
        cbz     x21, redirect_to_slash_build // nothing left
        ldrb    w9, [x20]                 // the first byte
        cmp     w9, #'/'                  // a slash?
        b.ne    redirect_to_slash_build   // no: the rest of the path
        add     x20, x20, #1              // yes: drop it
        sub     x21, x21, #1              // ...
        b       redirect_to_slash_strip   // and look again

// "/" + the path, %-encoded + "/" (+ "?" + query)
redirect_to_slash_build:
        mov     x0, sp                    // out_start(&loc,
        mov     w1, #-1                   //     count only: the bytes stay in loc.buf)
        CALL    out_start                 // empty
        OUT_TEXT sp, slash, 1             // the one leading '/'
        mov     x0, sp                    // out_href(&loc,
        mov     x1, x20                   //     the path,
        mov     x2, x21                   //     its length)
        CALL    out_href                  // %-encoded: "\" cannot pass as '/'
// excerpt end
        cbz     x21, redirect_to_slash_query // the docroot: "/" is enough
        OUT_TEXT sp, slash, 1             // the slash the request lacked
redirect_to_slash_query:
        ldr     x9, [x19, #(X_REQ + REQ_QUERY_LEN)] // a query?
        cbz     x9, redirect_to_slash_check // no ("/docs?" counts as none)
        OUT_TEXT sp, question, 1          // '?'
        mov     x0, sp                    // out_query(&loc,
        ldr     x1, [x19, #(X_REQ + REQ_QUERY_PTR)] //     the query as it was sent,
        ldr     x2, [x19, #(X_REQ + REQ_QUERY_LEN)] //     its length)
        CALL    out_query                 // what a query may not hold, %-encoded

// the value must be short enough; then it goes into x->extra
redirect_to_slash_check:
        ldr     x9, [sp, #OUT_TOTAL]      // its length
        cmp     x9, #LOCATION_MAX         // too long?
        b.hi    redirect_to_slash_too_long // -> 414 (and no byte was lost to a flush)
        ldr     x9, [sp, #OUT_LEN]        // where it ends ...
        add     x10, sp, #OUT_BUF         // ... in loc.buf:
        strb    wzr, [x10, x9]            // a NUL, for add_extra's C string
        mov     x0, x19                   // add_extra(x,
        LOAD_ADDR x1, location_name       //     "Location",
        add     x2, sp, #OUT_BUF          //     the value)
        CALL    add_extra                 // w0 = 0, or -1 if it did not fit
        tbnz    w0, #31, redirect_to_slash_too_long // -1: 414
        mov     w0, #301                  // Moved Permanently: answer_error sends it
        b       redirect_to_slash_return  // w0 = 301
redirect_to_slash_too_long:
        mov     w0, #414                  // URI Too Long
redirect_to_slash_return:
        mov     sp, x29                   // drop loc
        ldr     x21, [sp, #32]            // restore x21 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // w0 = 301 or 414
ENDFUNC redirect_to_slash

// ---------------------------------------------------------------------------
// int open_index(struct exchange *x)
//   The directory's index.html: openat(the directory's descriptor,
//   "index.html", O_RDONLY | O_NONBLOCK | O_NOFOLLOW), then fstat.  A
//   regular file takes the directory's place in x: the directory is
//   closed, x->file_fd, file_mode, file_size, the whole file as the body,
//   and x->path += "index.html" (lesson 04's add_index, so that
//   step_choose_type says text/html).  No index.html at all (ENOENT): 0,
//   list the directory.  One that is there but cannot be served -- a
//   symlink (O_NOFOLLOW: ELOOP), unreadable (EACCES), a directory, a
//   FIFO: 403, never a listing of what it was there to hide.  x is as it
//   was unless the answer is 1 (add_index writes past x->path_len only).
//   in:  x0 = x
//   out: w0 = 1 (x is now index.html), 0 (list the directory) or 403
//   registers: x19 = x, x20 = the path's length with "index.html",
//              x21 = the index's descriptor
//   stack: 48 bytes (fp, lr, x19..x21, padding) + STAT_AREA: struct stat
//          at sp
//   syscalls: openat, fstat, close
// ---------------------------------------------------------------------------
FUNC open_index
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]            // callee-saved: x21 (sp+40: padding)
        sub     sp, sp, #STAT_AREA        // struct stat st
        mov     x19, x0                   // x19 = x
        add     x0, x19, #X_PATH          // add_index(x->path,
        ldr     x1, [x19, #X_PATH_LEN]    //     x->path_len,
        mov     x2, #PATH_BUF_MAX         //     the room in x->path)
        CALL    add_index                 // x0 = the length with "index.html", or -414
        tbnz    x0, #63, open_index_none  // no room (cannot happen): list instead
        mov     x20, x0                   // x20 = the new length, for later

// -- open_index_open: open it relative to the directory, never through a
// symlink
        ldrsw   x0, [x19, #X_FILE_FD]     // openat(the directory (an int),
        LOAD_ADDR x1, index_file          //     "index.html",
        mov     x2, #(O_RDONLY | O_NONBLOCK | O_NOFOLLOW) // no FIFO wait, no symlink
        mov     x3, #0                    //     mode: unused without O_CREAT)
        SYSCALL openat                    // x0 = fd, or carry + errno
        b.cc    open_index_opened         // there: what is it?
        cmp     x0, #ENOENT               // no index.html at all?
        b.eq    open_index_none           // yes: list the directory
        b       open_index_refused        // a symlink (ELOOP), unreadable ...: 403
open_index_opened:
        mov     x21, x0                   // x21 = the index
        mov     x1, sp                    // fstat(index, &st)
        SYSCALL fstat                     // x0 = 0, or carry + errno
        b.cs    open_index_close          // (cannot really fail): 403
        LOAD_ST_MODE w9, sp               // st_mode: 16 bits on Darwin, 32 on Linux
        and     w9, w9, #S_IFMT           // the type bits
        cmp     w9, #S_IFREG              // a regular file?
        b.ne    open_index_close          // a directory, a FIFO ...: 403

// -- open_index_use: it is: it takes the directory's place
        ldrsw   x0, [x19, #X_FILE_FD]     // close(the directory)
        SYSCALL close                     // (a failed close: nothing to do)
        str     x21, [x19, #X_FILE_FD]    // x->file_fd = the index (the spine closes it)
        str     x20, [x19, #X_PATH_LEN]   // x->path_len: ".../index.html"
        LOAD_ST_MODE w9, sp               // x->file_mode = st_mode
        str     x9, [x19, #X_FILE_MODE]   // (writing w9 zeroed the top)
        ldr     x9, [sp, #ST_SIZE]        // x->file_size = st_size
        str     x9, [x19, #X_FILE_SIZE]   // ...
        stp     xzr, x9, [x19, #X_BODY_FIRST] // the whole file, as step_stat_file does
        mov     w0, #1                    // x is index.html now
        b       open_index_return         // w0 = 1
open_index_close:
        mov     x0, x21                   // close(the index): not ours to serve
        SYSCALL close                     // ...
open_index_refused:
        mov     w0, #403                  // there, but not to be served: Forbidden
        b       open_index_return         // w0 = 403
open_index_none:
        mov     w0, #0                    // no index.html: list
open_index_return:
        add     sp, sp, #STAT_AREA        // drop st
        ldr     x21, [sp, #32]            // restore x21 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #48       // ... fp, lr, and drop the frame
        ret                               // w0 = 1, 0 or 403
ENDFUNC open_index

// ---------------------------------------------------------------------------
// int send_listing(struct exchange *x)
//   The listing of the directory x->file_fd:
//     1. count_entries: how many names, how many bytes of names;
//     2. the memory, exactly that much, on the stack below everything
//        else -- entries (count * ENT_SIZE) at sp, the names after them --
//        unless it is more than LISTING_MEM_MAX: 500;
//     3. read_entries, sort_entries;
//     4. emit_listing into a listing_out that only counts: its total is
//        the Content-Length; step_send_head sends the head;
//     5. not HEAD: emit_listing again, into the socket; out_flush.
//   in:  x0 = x
//   out: w0 = STEP_DONE, or before anything was sent: errno_to_status of
//        a failed read, or 500 (too large)
//   registers: x19 = x, x20 = the count, x21 = the bytes of names,
//              x22 = the entries, x23 = the names, x24 = entries read,
//              x25 = the struct listing_out; x9, x10 = scratch
//   stack: 80 bytes (fp, lr, x19..x25, and at fp+72 count_entries'
//          name_bytes) + OUT_SIZE: the struct listing_out, + the entries
//          and names (up to LISTING_MEM_MAX, rounded up to 16) at sp
//   syscalls: lseek, getdirentries64 / getdents64, fstatat (reading);
//             write (the head, the page)
// ---------------------------------------------------------------------------
        .equ SL_NAME_BYTES, 72            // fp + 72: count_entries' *name_bytes
FUNC send_listing
        stp     x29, x30, [sp, #-80]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22
        stp     x23, x24, [sp, #48]       // callee-saved: x23, x24
        str     x25, [sp, #64]            // callee-saved: x25 (sp+72: name_bytes)
        sub     sp, sp, #(OUT_SIZE & 0xfff000) // struct listing_out out, in two
        sub     sp, sp, #(OUT_SIZE & 0xfff) //   parts
        mov     x25, sp                   // x25 = &out (sp moves on below)
        mov     x19, x0                   // x19 = x

// -- send_listing_count: 1. count the names
        ldr     w0, [x19, #X_FILE_FD]     // count_entries(the directory,
        add     x1, x29, #SL_NAME_BYTES   //     &name_bytes)
        CALL    count_entries             // x0 = the count, or -errno
        tbnz    x0, #63, send_listing_failed // negative: a status from errno
        mov     x20, x0                   // x20 = count
        ldr     x21, [x29, #SL_NAME_BYTES] // x21 = name_bytes

// excerpt: send-listing-memory
// -- send_listing_memory: 2. entries + names must fit LISTING_MEM_MAX; then
// take them off the stack
        mov     x9, #(LISTING_MEM_MAX / ENT_SIZE) // the most entries that fit
        cmp     x20, x9                   // more?
        b.hi    send_listing_too_big      // -> 500 (and count * 32 cannot overflow below)
        lsl     x10, x20, #ENT_SHIFT      // x10 = count * ENT_SIZE: the entries' bytes
        mov     x9, #LISTING_MEM_MAX      // what is left for the names:
        sub     x9, x9, x10               // the maximum - the entries
        cmp     x21, x9                   // more than that?
        b.hi    send_listing_too_big      // -> 500
        add     x9, x10, x21              // entries + names
        add     x9, x9, #15               // rounded up to 16:
        and     x9, x9, #~15              // sp stays aligned
        sub     sp, sp, x9                // the memory, below everything else
        mov     x22, sp                   // x22 = the entries
        add     x23, sp, x10              // x23 = the names, after them
// excerpt end

// -- send_listing_read: 3. read them with their sizes, and sort them
        ldr     w0, [x19, #X_FILE_FD]     // read_entries(the directory,
        mov     x1, x22                   //     entries,
        mov     x2, x20                   //     count: at most,
        mov     x3, x23                   //     names,
        mov     x4, x21                   //     name_bytes: at most)
        CALL    read_entries              // x0 = entries read, or -errno
        tbnz    x0, #63, send_listing_failed // negative: a status from errno
        mov     x24, x0                   // x24 = n
        mov     x0, x22                   // sort_entries(entries,
        mov     x1, x24                   //     n)
        CALL    sort_entries              // in name order

// -- send_listing_measure: 4. the page once, only counted: its length is the
// Content-Length
        mov     x0, x25                   // out_start(&out,
        mov     w1, #-1                   //     count only)
        CALL    out_start                 // empty
        mov     x0, x25                   // emit_listing(&out,
        add     x1, x19, #X_PATH          //     x->path,
        ldr     x2, [x19, #X_PATH_LEN]    //     x->path_len,
        mov     x3, x22                   //     entries,
        mov     x4, x24                   //     n)
        CALL    emit_listing              // out.total = the page's length
        LOAD_ADDR x9, listing_type        // x->type = text/html; charset=utf-8
        str     x9, [x19, #X_TYPE]        // ...
        ldr     x9, [x25, #OUT_TOTAL]     // x->body_first = 0,
        stp     xzr, x9, [x19, #X_BODY_FIRST] // x->body_len = the length
        mov     x0, x19                   // step_send_head(x): lesson 04's head
        CALL    step_send_head            // w0 = STEP_NEXT, or STEP_DONE: the client left
        cbnz    w0, send_listing_done     // gone: nothing more to send
        ldr     x9, [x19, #(X_REQ + REQ_IS_HEAD)] // HEAD?
        cbnz    x9, send_listing_done     // the head was all (RFC 9110 §9.3.2)

// -- send_listing_send: 5. the same page again, into the socket
        mov     x0, x25                   // out_start(&out,
        ldr     w1, [x19, #X_SOCK]        //     x->sock)
        CALL    out_start                 // empty
        mov     x0, x25                   // emit_listing(&out,
        add     x1, x19, #X_PATH          //     x->path,
        ldr     x2, [x19, #X_PATH_LEN]    //     x->path_len,
        mov     x3, x22                   //     entries,
        mov     x4, x24                   //     n)
        CALL    emit_listing              // full buffers go out on the way
        mov     x0, x25                   // out_flush(&out):
        CALL    out_flush                 // the last piece
        ldr     x9, [x25, #OUT_SENT]      // x->body_sent = what went out
        str     x9, [x19, #X_BODY_SENT]   // (the access log's bytes)
send_listing_done:
        mov     w0, #STEP_DONE            // the response is out
        b       send_listing_return       // w0 = STEP_DONE
send_listing_failed:
        neg     x0, x0                    // -errno -> errno
        CALL    errno_to_status           // w0 = 403 / 404 / 414 / 500
        b       send_listing_return       // w0 = the status
send_listing_too_big:
        mov     w0, #500                  // more than LISTING_MEM_MAX: Internal Server Error
send_listing_return:
        mov     sp, x29                   // drop the memory and out
        ldr     x25, [sp, #64]            // restore x25 ...
        ldp     x23, x24, [sp, #48]       // ... x23, x24 ...
        ldp     x21, x22, [sp, #32]       // ... x21, x22 ...
        ldp     x19, x20, [sp, #16]       // ... x19, x20 ...
        ldp     x29, x30, [sp], #80       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_DONE or a status
ENDFUNC send_listing

// ---------------------------------------------------------------------------
// int step_directory(struct exchange *x)
//   Not a directory: STEP_NEXT (lesson 04's steps serve it).  A directory
//   without the final '/': redirect_to_slash (301 / 414).  With it: its
//   index.html if open_index finds one (STEP_NEXT: the later steps serve
//   it like any file), open_index's 403 for one it may not serve, or (no
//   index.html) send_listing.
//   in:  x0 = x
//   out: w0 = STEP_NEXT, STEP_DONE or a status
//   registers: x19 = x; x9, x10 = scratch
//   stack: 32 bytes (fp, lr, x19, padding)
//   syscalls: those of redirect_to_slash, open_index, send_listing
// ---------------------------------------------------------------------------
FUNC step_directory
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        mov     x19, x0                   // x19 = x
        ldr     x9, [x19, #X_FILE_MODE]   // x->file_mode
        and     x9, x9, #S_IFMT           // the type bits
        cmp     x9, #S_IFDIR              // a directory?
        b.ne    step_directory_next       // no: not ours

// the path must end in '/': relative links in the page need it
        ldr     x9, [x19, #X_PATH_LEN]    // x->path_len
        cbz     x9, step_directory_redirect // empty: no '/' at all
        add     x10, x19, #X_PATH         // x->path ...
        add     x10, x10, x9              // ... + path_len
        ldrb    w10, [x10, #-1]           // its last byte
        cmp     w10, #'/'                 // a slash?
        b.ne    step_directory_redirect   // no: 301 to the path with one
        mov     x0, x19                   // open_index(x)
        CALL    open_index                // w0 = 1, 0 or 403
        cmp     w0, #1                    // x is index.html now?
        b.eq    step_directory_next       // yes: the later steps serve it
        cbnz    w0, step_directory_return // 403: there, but not to be served
        mov     x0, x19                   // send_listing(x)
        CALL    send_listing              // w0 = STEP_DONE or a status
        b       step_directory_return     // as it is
step_directory_redirect:
        mov     x0, x19                   // redirect_to_slash(x)
        CALL    redirect_to_slash         // w0 = 301 or 414
        b       step_directory_return     // as it is
step_directory_next:
        mov     w0, #STEP_NEXT            // go on
step_directory_return:
        ldr     x19, [sp, #16]            // restore x19 ...
        ldp     x29, x30, [sp], #32       // ... fp, lr, and drop the frame
        ret                               // w0 = STEP_NEXT, STEP_DONE or a status
ENDFUNC step_directory
