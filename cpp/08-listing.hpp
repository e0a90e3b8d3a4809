// cpp/08-listing.hpp -- lesson 08: directories -- the 301 to the slash,
// index.html, and a sorted listing.
// Assembly twin: asm/08-listing.s (same function names, same limits, same
// statuses, the same bytes on the wire).  Rules and walk-through:
// lessons/08-listing/README.md.
//
// The stage's one step comes right after step_stat_file in the spine's
// list (cpp/httpd.cpp); lesson 04's step_add_index is no longer in the
// list from lesson 08 on:
//
//     step_directory   a directory: 301 to ".../" (redirect_to_slash), its
//                      index.html (open_index), or a listing (send_listing)
//
// The step relies only on x.file (the object the open step opened: lesson
// 04's step_open_file, or lesson 06's step_open_beneath, which opens a
// path ending in '/' as the directory itself) and x.file_mode (its
// st_mode); everything it opens or stats, it does relative to that
// descriptor (openat, fstatat), never by a name from the docroot.
//
// Under it, three groups of functions, one per part of the lesson text:
//   reading    dir_start, dir_next (one kernel block at a time:
//              getdents64 / getdirentries64), listable_name,
//              count_entries, read_entries
//   sorting    compare_names, sift_down, sort_entries (heapsort)
//   writing    out_start, out_flush, out_bytes, out_u64, out_html,
//              out_percent, out_href, out_query, emit_entry, emit_listing
//
// Failure is a negative number (-errno) or a status, never an exception.
// Limits come from asm/records.inc (section LISTING) through
// build/gen/records.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "records.h"

namespace httpd {

struct Exchange;   // the per-connection record: cpp/exchange.hpp

// The lesson's limits (records.inc, section LISTING).
inline constexpr std::size_t kDirBufMax = DIRENT_BUF_MAX;       // one kernel read of records
inline constexpr std::size_t kListingMemMax = LISTING_MEM_MAX;  // entries + names; more -> 500
inline constexpr std::size_t kListingOutMax = LISTING_OUT_MAX;  // the page goes out in pieces of this size
inline constexpr std::size_t kLocationMax = LOCATION_MAX;       // a longer Location -> 414
inline constexpr const char* kListingType = "text/html; charset=utf-8";

// DirReader -- one directory, read block by block.  The same bytes as the
// assembly's struct dir_reader (records.inc), checked below.
struct DirReader {
    std::int64_t fd = -1;          // the directory
    std::uint64_t pos = 0;         // the next record in buf
    std::uint64_t len = 0;         // bytes of records in buf
    std::uint64_t eof = 0;         // 1: no block left to read
    std::int64_t base = 0;         // getdirentries64's *position (Darwin only)
    std::uint64_t unused = 0;      // (buf starts 16-aligned)
    alignas(16) char buf[kDirBufMax];   // the kernel's records
};
static_assert(offsetof(DirReader, fd) == DIR_FD, "records.inc DIR_FD");
static_assert(offsetof(DirReader, pos) == DIR_POS, "records.inc DIR_POS");
static_assert(offsetof(DirReader, len) == DIR_LEN, "records.inc DIR_LEN");
static_assert(offsetof(DirReader, eof) == DIR_EOF, "records.inc DIR_EOF");
static_assert(offsetof(DirReader, base) == DIR_BASE, "records.inc DIR_BASE");
static_assert(offsetof(DirReader, buf) == DIR_BUF, "records.inc DIR_BUF");
static_assert(sizeof(DirReader) == DIR_SIZE, "records.inc DIR_SIZE");

// DirEntry -- one name of the listing (struct dir_entry).
struct DirEntry {
    const char* name = nullptr;    // its bytes, not NUL-terminated
    std::uint64_t name_len = 0;
    std::uint64_t file_size = 0;   // st_size: a symlink's own size, never its target's
    std::uint64_t file_mode = 0;   // st_mode
};
static_assert(offsetof(DirEntry, name) == ENT_NAME_PTR, "records.inc ENT_NAME_PTR");
static_assert(offsetof(DirEntry, name_len) == ENT_NAME_LEN, "records.inc ENT_NAME_LEN");
static_assert(offsetof(DirEntry, file_size) == ENT_FILE_SIZE, "records.inc ENT_FILE_SIZE");
static_assert(offsetof(DirEntry, file_mode) == ENT_FILE_MODE, "records.inc ENT_FILE_MODE");
static_assert(sizeof(DirEntry) == ENT_SIZE, "records.inc ENT_SIZE");

// ListingOut -- the page on its way out (struct listing_out): bytes
// collect in buf and go to sock whenever it is full.  sock -1 only
// counts: the first of the two passes over the page (see send_listing).
struct ListingOut {
    std::int64_t sock = -1;        // where full buffers go; -1: count only
    std::uint64_t len = 0;         // bytes waiting in buf
    std::uint64_t total = 0;       // bytes added so far
    std::uint64_t sent = 0;        // bytes written to sock so far (lesson 10: the access log)
    char buf[kListingOutMax];      // not cleared: only buf[0..len) is ever read
};
static_assert(offsetof(ListingOut, sock) == OUT_SOCK, "records.inc OUT_SOCK");
static_assert(offsetof(ListingOut, len) == OUT_LEN, "records.inc OUT_LEN");
static_assert(offsetof(ListingOut, total) == OUT_TOTAL, "records.inc OUT_TOTAL");
static_assert(offsetof(ListingOut, sent) == OUT_SENT, "records.inc OUT_SENT");
static_assert(offsetof(ListingOut, buf) == OUT_BUF, "records.inc OUT_BUF");
static_assert(sizeof(ListingOut) == OUT_SIZE, "records.inc OUT_SIZE");

// --- reading the directory ---------------------------------------------------

// dir_start -- rewind fd to its first entry (lseek 0) and make r read it
// from there.  0 or -errno.
std::int64_t dir_start(DirReader& r, int fd);

// listable_name -- may this name be listed?  Not when it holds a control
// byte (0x00-0x1F, 0x7F: newline, tab, DEL ...): its link could never be
// served, because lesson 05 answers 400 to any control byte that
// percent-decoding gives back (RFC 3986 allows none in a URI).  dir_next
// asks it for every name, so count_entries and read_entries never see one.
bool listable_name(std::string_view name);

// dir_next -- the next name, skipping "." and ".." and every name
// listable_name refuses: *name points at its
// NUL-terminated bytes inside r.buf (valid until the next call).  Returns
// the name's length, 0 at the end of the directory, or -errno.  Reads a
// new block (getdents64 / getdirentries64) when r.buf is used up.
std::int64_t dir_next(DirReader& r, const char** name);

// count_entries -- how many names the directory fd has (without "." and
// ".."), and *name_bytes = their lengths added up.  The count or -errno.
std::int64_t count_entries(int dir_fd, std::uint64_t* name_bytes);

// read_entries -- the names again, at most max of them, each copied into
// names[0..names_cap) and fstatat'ed without following symlinks
// (AT_SYMLINK_NOFOLLOW): entries[i] gets its name, size and mode.  A name
// whose fstatat says ENOENT (it vanished since it was counted) is left
// out; any other failure (EACCES: a directory that may be read but not
// searched) is the whole listing's: -errno.  Reading stops when max
// entries or names_cap bytes are used (the directory grew since it was
// counted).  The number of entries filled, or -errno.
std::int64_t read_entries(int dir_fd, DirEntry* entries, std::size_t max, char* names, std::size_t names_cap);

// --- sorting -------------------------------------------------------------------

// compare_names -- byte order (bytes as unsigned, like memcmp; a prefix
// sorts first): -1, 0 or 1.
int compare_names(std::string_view a, std::string_view b);

// sift_down -- heapsort's one move: the entry at root sinks below its
// larger children until the heap e[0..n) is a max-heap again from root
// down.
void sift_down(DirEntry* e, std::size_t root, std::size_t n);

// sort_entries -- e[0..n) in name order, by heapsort: O(n log n) at
// worst, no memory beyond the array, no recursion.
void sort_entries(DirEntry* e, std::size_t n);

// --- writing the page ------------------------------------------------------------

// out_start -- an empty page going to sock (-1: count only).
void out_start(ListingOut& o, int sock);

// out_flush -- send what is waiting (write_all), empty the buffer.  A
// failed write means the client left: o.sock becomes -1 and the rest of
// the page is only counted.
void out_flush(ListingOut& o);

// out_bytes -- add n bytes to the page, flushing whenever the buffer is
// full.  o.total grows by n.
void out_bytes(ListingOut& o, const char* p, std::size_t n);

// out_u64 -- a number in decimal.
void out_u64(ListingOut& o, std::uint64_t value);

// out_html -- text for an HTML page: & < > " ' become &amp; &lt; &gt;
// &quot; &#39;, every other byte is added as it is.
void out_html(ListingOut& o, const char* p, std::size_t n);

// out_percent -- bytes for a part of a URI: letters, digits and the
// symbols in keep as they are, every other byte as %XX with upper-case hex
// digits (RFC 3986 §2.1).  out_href and out_query are it with their class.
void out_percent(ListingOut& o, const char* p, std::size_t n, std::string_view keep);

// out_href -- bytes for a URI path: letters, digits, - . _ ~ (§2.3,
// unreserved) and '/' as they are, every other byte as %XX.
void out_href(ListingOut& o, const char* p, std::size_t n);

// out_query -- bytes for a URI query (§3.4): letters, digits, - . _ ~
// (unreserved), ! $ & ' ( ) * + , ; = (sub-delims), : @ / ?, and '%' (the
// query's own escapes stay escapes) as they are; every other byte -- UTF-8
// sent raw, '"', '<', '>', '#', '\', '^', '`', '{', '|', '}' -- as %XX.
void out_query(ListingOut& o, const char* p, std::size_t n);

// emit_entry -- one row of the table: the link (href-encoded, '/' after a
// directory), the name (HTML-escaped, '/' after a directory), the size in
// bytes ("-" for a directory).
void emit_entry(ListingOut& o, const DirEntry& e);

// emit_listing -- the whole page for the directory `path`: head, title
// and heading "Index of <path>", a "../" row unless path is "/", one row
// per entry, the end.
void emit_listing(ListingOut& o, std::string_view path, const DirEntry* e, std::size_t n);

// --- the step ------------------------------------------------------------------

// redirect_to_slash -- x.path names a directory but does not end in '/':
// Location = "/" + out_href(x.path without its leading slashes) + "/",
// and "?" + out_query(the query) if there is one, into x.extra.  301, or 414 when
// that is longer than kLocationMax (or does not fit x.extra).
int redirect_to_slash(Exchange& x);

// open_index -- the directory x.file's index.html: openat(dir, "index.html",
// O_RDONLY | O_NONBLOCK | O_NOFOLLOW), fstat.  A regular file replaces the
// directory in x (file, file_mode, file_size, the whole file as the body,
// x.path + "index.html"): 1.  No index.html at all (ENOENT): 0, list the
// directory.  One that is there but cannot be served -- a symlink (ELOOP),
// unreadable (EACCES), a directory, a FIFO: 403, never a listing of what
// it was there to hide.  x is unchanged unless the answer is 1.
int open_index(Exchange& x);

// send_listing -- count, read, sort; emit the page once to count its
// bytes (Content-Length), send the head (step_send_head), and for GET emit
// it again into the socket.  kDone, or before anything was sent:
// errno_to_status of a failed read, or 500 when the entries and their
// names need more than kListingMemMax bytes.
int send_listing(Exchange& x);

// step_directory -- not a directory: kNext.  A directory: without a
// trailing '/' redirect_to_slash; with one, its index.html (kNext: the
// later steps serve it), open_index's 403, or (no index.html) send_listing.
int step_directory(Exchange& x);

}  // namespace httpd
