// cpp/08-listing.cpp -- lesson 08: directories.
// Assembly twin: asm/08-listing.s.  Rules: lessons/08-listing/README.md.
#include "08-listing.hpp"

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <new>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#ifdef __APPLE__
#include <sys/syscall.h>
#endif

#include "01-socket.hpp"
#include "03-parse.hpp"
#include "04-files.hpp"
#include "exchange.hpp"

namespace httpd {

namespace {

// The kernel's directory record.  Both start with d_ino, d_off/d_seekoff
// and d_reclen; the name is at offset 19 (Linux) or 21 (Darwin).
#ifdef __APPLE__
using KernelDirent = struct dirent;     // 64-bit-inode layout = XNU's struct direntry
// The flags word's bit "this block was the directory's last" (XNU
// bsd/sys/dirent_private.h; not in the SDK): os.inc's GETDIRENTRIES64_EOF.
constexpr std::uint32_t GETDIRENTRIES64_EOF = 1;
#else
using KernelDirent = struct dirent64;   // = the kernel's struct linux_dirent64
#endif

// One block of records from the kernel into r.buf: the bytes it holds, 0
// at the end of the directory, or -errno.
std::int64_t read_dir_block(DirReader& r) {
#ifdef __APPLE__
    // getdirentries64(fd, buf, size, &position): libSystem has no public
    // wrapper with the 64-bit-inode records, so syscall(2) (deprecated on
    // macOS, hence the pragma).  *position receives the offset of the block
    // just read; the buffer's last 4 bytes receive the flags word.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
    long n = ::syscall(SYS_getdirentries64, static_cast<int>(r.fd), r.buf, sizeof r.buf, &r.base);
#pragma clang diagnostic pop
#else
    ssize_t n = ::getdents64(static_cast<int>(r.fd), r.buf, sizeof r.buf);   // glibc >= 2.30
#endif
    return n < 0 ? -errno : static_cast<std::int64_t>(n);
}

// "." and ".." are in every directory; a listing shows neither (its "../"
// row is written by emit_listing, and not at the root).
bool is_dot_name(std::string_view name) { return name == "." || name == ".."; }

// The HTML entity for a byte that must not appear as it is, or "".
std::string_view html_entity(char c) {
    switch (c) {
    case '&': return "&amp;";    // starts an entity
    case '<': return "&lt;";     // starts a tag
    case '>': return "&gt;";     // ends one
    case '"': return "&quot;";   // ends the href="..." attribute
    case '\'': return "&#39;";   // ends an attribute quoted with '
    default: return {};
    }
}

// The page around the rows (lesson 08 rule: HTML5, UTF-8, the path in the
// title and the heading).  The assembly has the same bytes in RODATA.
constexpr std::string_view kPageStart =
    "<!doctype html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>Index of ";
constexpr std::string_view kPageHeading =
    "</title>\n"
    "<style>\n"
    "body{font:16px/1.5 system-ui,sans-serif;color:#1f2328;max-width:52rem;margin:2rem auto;padding:0 1rem}\n"
    "h1{font-size:1.4rem;font-weight:600;margin:0 0 1rem;overflow-wrap:anywhere}\n"
    "table{border-collapse:collapse;width:100%}\n"
    "th,td{padding:.35rem .75rem;text-align:left;border-bottom:1px solid #d8dee4}\n"
    "th{font-weight:600;color:#59636e;border-bottom:2px solid #d1d9e0}\n"
    "th+th,td+td{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;color:#59636e}\n"
    "tbody tr:hover{background:#f6f8fa}\n"
    "a{color:#0969da;text-decoration:none;overflow-wrap:anywhere}\n"
    "a:hover{text-decoration:underline}\n"
    "</style>\n"
    "</head>\n"
    "<body>\n"
    "<h1>Index of ";
constexpr std::string_view kPageTable =
    "</h1>\n"
    "<table>\n"
    "<thead><tr><th>Name</th><th>Size</th></tr></thead>\n"
    "<tbody>\n";
constexpr std::string_view kParentRow = "<tr><td><a href=\"../\">../</a></td><td>-</td></tr>\n";
constexpr std::string_view kPageEnd =
    "</tbody>\n"
    "</table>\n"
    "</body>\n"
    "</html>\n";
// One row: kRowStart href kRowText name kRowSize size kRowEnd.
constexpr std::string_view kRowStart = "<tr><td><a href=\"";
constexpr std::string_view kRowText = "\">";
constexpr std::string_view kRowSize = "</a></td><td>";
constexpr std::string_view kRowEnd = "</td></tr>\n";

constexpr const char* kIndexFile = "index.html";   // what a directory's "/" serves
constexpr const char* kHexDigits = "0123456789ABCDEF";
// What a URI part keeps as it is besides letters and digits:
constexpr std::string_view kHrefSymbols = "-._~/";   // a path: unreserved (RFC 3986 §2.3), and '/'
constexpr std::string_view kQuerySymbols =          // a query (§3.4): unreserved, sub-delims,
    "-._~!$&'()*+,;=:@/?%";                         // ':' '@' '/' '?', and '%' of its own escapes

void out_text(ListingOut& o, std::string_view s) { out_bytes(o, s.data(), s.size()); }

}  // namespace

std::int64_t dir_start(DirReader& r, int fd) {
    // from the first entry: the descriptor's position may be anywhere
    if (::lseek(fd, 0, SEEK_SET) < 0) return -errno;
    r.fd = fd;
    r.pos = 0;
    r.len = 0;
    r.eof = 0;
    return 0;
}

bool listable_name(std::string_view name) {
    for (char c : name) {
        unsigned char b = static_cast<unsigned char>(c);
        if (b < CHAR_SP || b == CHAR_DEL) return false;   // a control byte: leave it out
    }
    return true;
}

std::int64_t dir_next(DirReader& r, const char** name) {
    for (;;) {
        if (r.pos >= r.len) {                  // every record of the block used: the next block
            if (r.eof) return 0;
            std::int64_t n = read_dir_block(r);
            if (n < 0) return n;
            if (n == 0) {                      // the end of the directory
                r.eof = 1;
                return 0;
            }
            r.pos = 0;
            r.len = static_cast<std::uint64_t>(n);
#ifdef __APPLE__
            // Darwin: the flags word in the buffer's last 4 bytes says
            // whether that was the last block: then no empty read follows
            std::uint32_t flags;
            __builtin_memcpy(&flags, r.buf + sizeof r.buf - sizeof flags, sizeof flags);
            if (flags & GETDIRENTRIES64_EOF) r.eof = 1;
#endif
        }
        const auto* d = reinterpret_cast<const KernelDirent*>(r.buf + r.pos);
        r.pos += d->d_reclen;                  // records have different lengths
        std::string_view found(d->d_name, str_len(d->d_name));
        if (is_dot_name(found)) continue;
        if (!listable_name(found)) continue;   // a name no request can reach is not listed
        *name = d->d_name;
        return static_cast<std::int64_t>(found.size());
    }
}

std::int64_t count_entries(int dir_fd, std::uint64_t* name_bytes) {
    DirReader r;
    if (std::int64_t err = dir_start(r, dir_fd); err < 0) return err;
    std::int64_t count = 0;
    std::uint64_t bytes = 0;
    const char* name;
    std::int64_t len;
    while ((len = dir_next(r, &name)) > 0) {
        ++count;
        bytes += static_cast<std::uint64_t>(len);
    }
    if (len < 0) return len;
    *name_bytes = bytes;
    return count;
}

std::int64_t read_entries(int dir_fd, DirEntry* entries, std::size_t max, char* names, std::size_t names_cap) {
    DirReader r;
    if (std::int64_t err = dir_start(r, dir_fd); err < 0) return err;
    std::size_t n = 0;      // entries filled
    std::size_t used = 0;   // bytes of names[] used
    const char* name;
    std::int64_t len;
    while ((len = dir_next(r, &name)) > 0) {
        std::size_t size = static_cast<std::size_t>(len);
        if (n == max || size > names_cap - used) break;   // the directory grew since it was counted
        // lstat's view: a symlink is described, never followed
        struct stat st;
        if (::fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT) continue;          // gone since it was counted: leave it out
            return -errno;                          // EACCES ...: the whole listing fails
        }
        char* kept = names + used;                  // the name outlives r.buf: copy it
        copy_bytes(kept, name, size);
        entries[n].name = kept;
        entries[n].name_len = size;
        entries[n].file_size = static_cast<std::uint64_t>(st.st_size);
        entries[n].file_mode = static_cast<std::uint64_t>(st.st_mode);
        used += size;
        ++n;
    }
    if (len < 0) return len;
    return static_cast<std::int64_t>(n);
}

int compare_names(std::string_view a, std::string_view b) {
    std::size_t common = a.size() < b.size() ? a.size() : b.size();
    for (std::size_t i = 0; i < common; ++i) {
        unsigned char x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
        if (x != y) return x < y ? -1 : 1;    // unsigned: "é" (0xC3 ...) sorts after "z"
    }
    if (a.size() == b.size()) return 0;
    return a.size() < b.size() ? -1 : 1;    // a prefix sorts first: "a" < "a b"
}

namespace {
bool name_less(const DirEntry& a, const DirEntry& b) {
    return compare_names({a.name, a.name_len}, {b.name, b.name_len}) < 0;
}
void swap_entries(DirEntry& a, DirEntry& b) {
    DirEntry t = a;
    a = b;
    b = t;
}
}  // namespace

void sift_down(DirEntry* e, std::size_t root, std::size_t n) {
    for (;;) {
        std::size_t child = 2 * root + 1;                            // the left child
        if (child >= n) return;                                      // a leaf: done
        if (child + 1 < n && name_less(e[child], e[child + 1])) ++child;   // the larger child
        if (!name_less(e[root], e[child])) return;                   // root is not smaller: a heap
        swap_entries(e[root], e[child]);
        root = child;                                                // and on down
    }
}

void sort_entries(DirEntry* e, std::size_t n) {
    if (n < 2) return;
    // make e[0..n) a max-heap: every parent >= its children, from the last
    // parent up to the root
    for (std::size_t i = n / 2; i-- > 0;) sift_down(e, i, n);
    // the largest is at e[0]: swap it to the end, shrink the heap, repair
    for (std::size_t end = n - 1; end > 0; --end) {
        swap_entries(e[0], e[end]);
        sift_down(e, 0, end);
    }
}

void out_start(ListingOut& o, int sock) {
    o.sock = sock;
    o.len = 0;
    o.total = 0;
    o.sent = 0;
}

void out_flush(ListingOut& o) {
    if (o.sock >= 0 && o.len > 0) {
        if (write_all(static_cast<int>(o.sock), o.buf, o.len) < 0) o.sock = -1;   // the client left: count the rest, send nothing more
        else o.sent += o.len;
    }
    o.len = 0;
}

void out_bytes(ListingOut& o, const char* p, std::size_t n) {
    o.total += n;
    while (n > 0) {
        if (o.len == sizeof o.buf) out_flush(o);   // full: make room
        std::size_t room = sizeof o.buf - o.len;
        std::size_t take = n < room ? n : room;
        copy_bytes(o.buf + o.len, p, take);
        o.len += take;
        p += take;
        n -= take;
    }
}

void out_u64(ListingOut& o, std::uint64_t value) {
    char digits[20];
    out_bytes(o, digits, format_u64(value, digits));
}

void out_html(ListingOut& o, const char* p, std::size_t n) {
    std::size_t plain = 0;   // the first byte not yet added
    for (std::size_t i = 0; i < n; ++i) {
        std::string_view entity = html_entity(p[i]);
        if (entity.empty()) continue;
        out_bytes(o, p + plain, i - plain);   // the plain bytes before it, in one go
        out_text(o, entity);
        plain = i + 1;
    }
    out_bytes(o, p + plain, n - plain);
}

void out_percent(ListingOut& o, const char* p, std::size_t n, std::string_view keep) {
    std::size_t plain = 0;   // the first byte not yet added
    for (std::size_t i = 0; i < n; ++i) {
        unsigned char c = static_cast<unsigned char>(p[i]);
        if (char_in_class(c, keep)) continue;  // a letter, a digit, or one of keep
        out_bytes(o, p + plain, i - plain);
        char escape[3] = {'%', kHexDigits[c >> 4], kHexDigits[c & 15]};
        out_bytes(o, escape, sizeof escape);
        plain = i + 1;
    }
    out_bytes(o, p + plain, n - plain);
}

void out_href(ListingOut& o, const char* p, std::size_t n) { out_percent(o, p, n, kHrefSymbols); }

void out_query(ListingOut& o, const char* p, std::size_t n) { out_percent(o, p, n, kQuerySymbols); }

void emit_entry(ListingOut& o, const DirEntry& e) {
    bool dir = S_ISDIR(static_cast<mode_t>(e.file_mode));
    out_text(o, kRowStart);
    out_href(o, e.name, e.name_len);
    if (dir) out_text(o, "/");                  // a directory's link ends in '/': no 301
    out_text(o, kRowText);
    out_html(o, e.name, e.name_len);
    if (dir) out_text(o, "/");                  // and so does its name: "sub/"
    out_text(o, kRowSize);
    if (dir) {
        out_text(o, "-");                       // a directory's st_size means nothing to a reader
    } else {
        out_u64(o, e.file_size);
    }
    out_text(o, kRowEnd);
}

void emit_listing(ListingOut& o, std::string_view path, const DirEntry* e, std::size_t n) {
    out_text(o, kPageStart);
    out_html(o, path.data(), path.size());
    out_text(o, kPageHeading);
    out_html(o, path.data(), path.size());
    out_text(o, kPageTable);
    if (path.size() > 1) out_text(o, kParentRow);   // not at the root: "/" has no parent
    for (std::size_t i = 0; i < n; ++i) emit_entry(o, e[i]);
    out_text(o, kPageEnd);
}

int redirect_to_slash(Exchange& x) {
    // one leading '/', never two: a Location "//host/..." would send the
    // browser to another site (an open redirect)
    std::string_view rest(x.path, x.path_len);
    while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
    ListingOut loc;                             // counted only: the bytes stay in loc.buf
    out_start(loc, -1);
    out_text(loc, "/");
    out_href(loc, rest.data(), rest.size());
    if (!rest.empty()) out_text(loc, "/");      // the slash the request lacked
    if (!x.req.query.empty()) {                 // the query goes along, as it was sent
        out_text(loc, "?");                     // but what a query may not hold %-encoded
        out_query(loc, x.req.query.data(), x.req.query.size());
    }
    if (loc.total > kLocationMax) return 414;   // (so nothing was flushed away either)
    loc.buf[loc.len] = '\0';                    // add_extra wants a C string
    if (add_extra(x, "Location", loc.buf) < 0) return 414;
    return 301;                                 // answer_error sends it, with x.extra
}

int open_index(Exchange& x) {
    // x.path + "index.html", written after x.path_len: x.path_len follows
    // only if the index is used (PATH_BUF_MAX has room for it)
    std::int64_t path_len = add_index(x.path, x.path_len, sizeof x.path);
    if (path_len < 0) return 0;                 // no room (cannot happen): list
    // relative to the directory's descriptor, and never through a symlink
    Fd index(::openat(x.file.get(), kIndexFile, O_RDONLY | O_NONBLOCK | O_NOFOLLOW));
    if (!index.valid()) return errno == ENOENT ? 0 : 403;   // none: list; a symlink, unreadable ...: 403
    struct stat st;
    if (::fstat(index.get(), &st) != 0 || !S_ISREG(st.st_mode)) return 403;   // a directory, a FIFO ...
    x.file = std::move(index);                  // closes the directory
    x.path_len = static_cast<std::uint64_t>(path_len);
    x.file_mode = static_cast<std::uint64_t>(st.st_mode);
    x.file_size = static_cast<std::uint64_t>(st.st_size);
    x.body_first = 0;                           // the whole file, as step_stat_file does
    x.body_len = x.file_size;
    return 1;
}

int send_listing(Exchange& x) {
    int dir = x.file.get();
    // 1. count the names, so that the array fits them exactly
    std::uint64_t name_bytes = 0;
    std::int64_t count = count_entries(dir, &name_bytes);
    if (count < 0) return errno_to_status(static_cast<int>(-count));
    std::uint64_t entries_bytes = static_cast<std::uint64_t>(count) * ENT_SIZE;   // count < 2^40: no overflow
    if (entries_bytes > kListingMemMax || name_bytes > kListingMemMax - entries_bytes) return 500;
    std::unique_ptr<DirEntry[]> entries(new (std::nothrow) DirEntry[static_cast<std::size_t>(count)]);
    std::unique_ptr<char[]> names(new (std::nothrow) char[name_bytes]);
    if (!entries || !names) return 500;
    // 2. read them with their sizes, 3. sort them
    std::int64_t n = read_entries(dir, entries.get(), static_cast<std::size_t>(count), names.get(), name_bytes);
    if (n < 0) return errno_to_status(static_cast<int>(-n));
    sort_entries(entries.get(), static_cast<std::size_t>(n));
    // 4. the page once, only counted: its length is the Content-Length
    std::string_view path(x.path, x.path_len);
    ListingOut out;
    out_start(out, -1);
    emit_listing(out, path, entries.get(), static_cast<std::size_t>(n));
    x.type = kListingType;
    x.body_first = 0;
    x.body_len = out.total;
    if (step_send_head(x) != kNext || x.req.is_head) return kDone;   // the client left, or HEAD: no body
    // 5. the same page again, into the socket
    out_start(out, static_cast<int>(x.sock));
    emit_listing(out, path, entries.get(), static_cast<std::size_t>(n));
    out_flush(out);
    x.body_sent = out.sent;                                   // what went out: the access log's bytes
    return kDone;
}

int step_directory(Exchange& x) {
    if (!S_ISDIR(static_cast<mode_t>(x.file_mode))) return kNext;   // a file: lesson 04's steps serve it
    if (x.path_len == 0 || x.path[x.path_len - 1] != '/') return redirect_to_slash(x);
    int index = open_index(x);
    if (index == 1) return kNext;                                    // index.html: served like any file
    if (index != 0) return index;                                    // there, but not to be served: 403
    return send_listing(x);
}

}  // namespace httpd
