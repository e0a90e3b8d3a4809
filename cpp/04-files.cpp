// cpp/04-files.cpp -- lesson 04: serving files from the document root.
// Assembly twin: asm/04-files.s.  Rules: lessons/04-files/README.md.
#include "04-files.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#ifdef __APPLE__
#include <sys/socket.h>   // Darwin declares sendfile here
#include <sys/uio.h>
#else
#include <sys/sendfile.h>
#endif

#include "01-socket.hpp"
#include "03-parse.hpp"
#include "exchange.hpp"

namespace httpd {

namespace {

// The MIME table, generated from lessons/04-files/mime-types.tsv by the
// Makefile (build/gen/mime-types.def): one MIME_ENTRY("ext", "type") per
// line.  The assembly reads the same file as build/gen/mime-types.inc.
struct MimeEntry {
    std::string_view ext;    // lower case, no dot
    const char* type;        // a C string: the head builder wants one
};

// excerpt: mime-table
#define MIME_ENTRY(ext, type) {ext, type},
constexpr MimeEntry kMimeTable[] = {
#include "mime-types.def"
};
#undef MIME_ENTRY
// excerpt end

}  // namespace

std::int64_t map_path(const char* docroot, std::string_view path, char* out, std::size_t cap) {
    std::string_view root(docroot, str_len(docroot));
    // Each part alone must fit: then the sum below cannot overflow.
    if (root.size() > cap || path.size() > cap) return -414;
    std::size_t total = root.size() + path.size();
    if (total >= cap) return -414;   // the NUL needs a byte too
    char* cursor = copy_bytes(out, root.data(), root.size());
    cursor = copy_bytes(cursor, path.data(), path.size());
    *cursor = '\0';                  // openat wants a C string
    return static_cast<std::int64_t>(total);
}

std::int64_t add_index(char* path, std::size_t len, std::size_t cap) {
    // "/" and any path ending in '/' name a directory: serve its index.html.
    if (len == 0 || path[len - 1] != '/') return static_cast<std::int64_t>(len);
    if (len > cap || kIndexName.size() > cap - len) return -414;
    copy_bytes(path + len, kIndexName.data(), kIndexName.size());
    return static_cast<std::int64_t>(len + kIndexName.size());
}

const char* mime_type(std::string_view path) {
    // The last segment: after the last '/' (the whole path if none).
    std::size_t slash = path.rfind('/');
    std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    // Its extension: after the last '.', which must not be the name's first
    // byte (".hidden" is a name, not an extension).
    std::size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return kUnknownType;
    std::string_view ext = name.substr(dot + 1);
    if (ext.empty()) return kUnknownType;   // "name." has no extension either
    for (const MimeEntry& entry : kMimeTable) {
        if (equal_ignoring_case(ext, entry.ext)) return entry.type;   // the table is lower case
    }
    return kUnknownType;
}

int errno_to_status(int err) {
    switch (err) {
    case ENOENT:         // no such file
    case ENOTDIR:        // a component on the way is a file: /file.txt/x
        return 404;
    case EACCES:         // no permission (mode 000, or a directory we cannot search)
    case EPERM:          // forbidden by something other than the mode bits
    case ELOOP:          // a symlink loop (or too many links)
        return 403;
    case ENAMETOOLONG:   // a component longer than NAME_MAX, or the whole path too long
        return 414;
    default:             // EMFILE, EIO, ENOMEM, ...: our problem, not the client's
        return 500;
    }
}

std::int64_t copy_file_body(int sock, int file_fd, std::uint64_t offset, std::uint64_t count) {
    char buf[kCopyChunk];   // a fixed buffer: memory use does not grow with the file
    while (count > 0) {
        std::size_t want = count < sizeof buf ? static_cast<std::size_t>(count) : sizeof buf;
        // pread: read at an offset without moving (or trusting) the file position
        ssize_t n = ::pread(file_fd, buf, want, static_cast<off_t>(offset));
        if (n < 0) {
            if (errno == EINTR) continue;   // a signal: just read again
            return -errno;
        }
        if (n == 0) return -EIO;            // the file got shorter than we announced
        if (std::int64_t r = write_all(sock, buf, static_cast<std::size_t>(n)); r < 0) return r;
        offset += static_cast<std::uint64_t>(n);
        count -= static_cast<std::uint64_t>(n);
    }
    return 0;
}

std::int64_t send_file_body(int sock, int file_fd, std::uint64_t first, std::uint64_t count) {
    return send_file_counted(sock, file_fd, first, count, nullptr);
}

std::int64_t send_file_counted(int sock, int file_fd, std::uint64_t first, std::uint64_t count,
                               std::uint64_t* sent_total) {
    std::uint64_t offset = first;   // where the next byte comes from
    std::uint64_t left = count;     // how many are still to go
    while (left > 0) {
        std::uint64_t sent = 0;
        int err = 0;
#ifdef __APPLE__
        // Darwin: sendfile(file, socket, offset, &len, hdtr, flags) -- the
        // file comes FIRST, the offset goes by value, len is in/out: in =
        // bytes to send, out = bytes sent (also when it fails with EINTR).
        off_t len = static_cast<off_t>(left);
        if (::sendfile(file_fd, sock, static_cast<off_t>(offset), &len, nullptr, 0) != 0) err = errno;
        sent = static_cast<std::uint64_t>(len);
#else
        // Linux: sendfile(out, in, &offset, count) -- the socket comes
        // FIRST, the offset goes by pointer, the result is the bytes sent
        // (at most about 2 GiB per call: hence the loop).
        off_t off = static_cast<off_t>(offset);
        ssize_t n = ::sendfile(sock, file_fd, &off, static_cast<std::size_t>(left));
        if (n < 0) err = errno; else sent = static_cast<std::uint64_t>(n);
#endif
        offset += sent;
        left -= sent;
        if (sent_total != nullptr) *sent_total += sent;   // what the kernel took
        if (err == EINTR) continue;                  // a signal: carry on
        if (err == EINVAL || err == ENOSYS) {        // this pair cannot sendfile:
            std::int64_t r = copy_file_body(sock, file_fd, offset, left);   // copy the rest
            if (r == 0 && sent_total != nullptr) *sent_total += left;
            return r;
        }
        if (err != 0) return -err;
        if (sent == 0) return -EIO;                  // the file got shorter
    }
    return 0;
}

int step_copy_path(Exchange& x) {
    std::string_view path = x.req.path;
    if (path.size() > sizeof x.path) return 414;   // cannot happen: the parser allows 4096
    copy_bytes(x.path, path.data(), path.size());
    x.path_len = path.size();
    return kNext;
}

int step_add_index(Exchange& x) {
    std::int64_t len = add_index(x.path, x.path_len, sizeof x.path);
    if (len < 0) return static_cast<int>(-len);    // 414
    x.path_len = static_cast<std::uint64_t>(len);
    return kNext;
}

int step_open_file(Exchange& x) {
    // the file's name on disk: docroot + path, a C string for openat
    char name[kPathMax];
    std::int64_t len = map_path(x.cfg->docroot, std::string_view(x.path, x.path_len), name, sizeof name);
    if (len < 0) return static_cast<int>(-len);    // 414
    // O_NONBLOCK: opening a FIFO for reading waits for a writer -- forever,
    // if nobody comes.  With O_NONBLOCK the open returns at once and
    // step_check_file turns the FIFO away.  (Regular files ignore the flag.)
    x.file = Fd(::openat(AT_FDCWD, name, O_RDONLY | O_NONBLOCK));
    if (!x.file.valid()) return errno_to_status(errno);
    return kNext;
}

int step_stat_file(Exchange& x) {
    // fstat the descriptor we opened (not the name: it could have been
    // replaced in between)
    struct stat st;
    if (::fstat(x.file.get(), &st) != 0) return errno_to_status(errno);
    x.file_mode = static_cast<std::uint64_t>(st.st_mode);
    x.file_size = static_cast<std::uint64_t>(st.st_size);   // 64 bits: files > 4 GiB
    x.body_first = 0;                                       // the whole file
    x.body_len = x.file_size;
    return kNext;
}

int step_check_file(Exchange& x) {
    // only a regular file has a size that means "this many bytes of content"
    if (!S_ISREG(static_cast<mode_t>(x.file_mode))) return 403;   // a directory, FIFO, device, socket
    return kNext;
}

int step_choose_type(Exchange& x) {
    x.type = mime_type(std::string_view(x.path, x.path_len));
    return kNext;
}

int step_send_head(Exchange& x) {
    // the same head for GET and HEAD (RFC 9110 §9.3.2)
    char head[HEAD_MAX];
    std::size_t len = head_start_body(head, static_cast<int>(x.status), x.type, x.body_len);
    len = head_add_lines(head, len, x.extra, x.extra_len);
    len = head_end(head, len);
    if (write_all(static_cast<int>(x.sock), head, len) < 0) return kDone;   // the client left
    return kNext;
}

int step_send_body(Exchange& x) {
    // If sending fails half-way, the head has promised more bytes than
    // will come: closing the connection is all that is left, and the
    // client sees a short body.
    if (!x.req.is_head && x.body_len > 0) {
        send_file_counted(static_cast<int>(x.sock), x.file.get(), x.body_first, x.body_len, &x.body_sent);
    }
    return kDone;
}

}  // namespace httpd
