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

namespace httpd {

namespace {

// The MIME table, generated from lessons/04-files/mime-types.tsv by the
// Makefile (build/gen/mime-types.def): one MIME_ENTRY("ext", "type") per
// line.  The assembly reads the same file as build/gen/mime-types.inc.
struct MimeEntry {
    std::string_view ext;    // lower case, no dot
    const char* type;        // a C string: the head builder wants one
};

#define MIME_ENTRY(ext, type) {ext, type},
constexpr MimeEntry kMimeTable[] = {
#include "mime-types.def"
};
#undef MIME_ENTRY

// ASCII lower case; every other byte unchanged.
char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c; }

// ext (as the client wrote it) equals key (lower case), ignoring ASCII case.
bool extension_equals(std::string_view ext, std::string_view key) {
    if (ext.size() != key.size()) return false;
    for (std::size_t i = 0; i < ext.size(); ++i) {
        if (lower_ascii(ext[i]) != key[i]) return false;
    }
    return true;
}

// Copy n bytes and return where the next one goes (the three pieces of
// map_path are appended one after the other).
char* append(char* out, std::string_view piece) {
    for (char c : piece) *out++ = c;
    return out;
}

}  // namespace

std::int64_t map_path(const char* docroot, std::string_view path, char* out, std::size_t cap) {
    std::string_view root(docroot, str_len(docroot));
    // Each part alone must fit: then the sum below cannot overflow.
    if (root.size() > cap || path.size() > cap) return -414;
    // "/" and any path ending in '/' name a directory: serve its index.html.
    // (The parser never hands us an empty path; if one came, it would map
    // to the docroot itself, a directory: 403.)
    bool wants_index = !path.empty() && path.back() == '/';
    std::size_t total = root.size() + path.size() + (wants_index ? kIndexName.size() : 0);
    if (total >= cap) return -414;   // the NUL needs a byte too
    char* cursor = append(out, root);
    cursor = append(cursor, path);
    if (wants_index) cursor = append(cursor, kIndexName);
    *cursor = '\0';                  // openat wants a C string
    return static_cast<std::int64_t>(total);
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
        if (extension_equals(ext, entry.ext)) return entry.type;
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

std::int64_t send_file_body(int sock, int file_fd, std::uint64_t size) {
    std::uint64_t offset = 0;   // where the next byte comes from
    std::uint64_t left = size;  // how many are still to go
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
        if (err == EINTR) continue;                  // a signal: carry on
        if (err == EINVAL || err == ENOSYS) {        // this pair cannot sendfile:
            return copy_file_body(sock, file_fd, offset, left);   // copy the rest
        }
        if (err != 0) return -err;
        if (sent == 0) return -EIO;                  // the file got shorter
    }
    return 0;
}

std::int64_t serve_file(int sock, const char* docroot, std::string_view path, bool is_head) {
    // 1. the file's name on disk
    char full[kPathMax];
    std::int64_t full_len = map_path(docroot, path, full, sizeof full);
    if (full_len < 0) return full_len;   // -414
    // 2. open it.  O_NONBLOCK: opening a FIFO for reading waits for a
    //    writer -- forever, if nobody comes.  With O_NONBLOCK the open
    //    returns at once and fstat below turns the FIFO away.  (Regular
    //    files ignore the flag.)
    Fd file(::openat(AT_FDCWD, full, O_RDONLY | O_NONBLOCK));
    if (!file.valid()) return -errno_to_status(errno);
    // 3. fstat the descriptor we opened (not the name: it could have been
    //    replaced in between): only regular files are served.
    struct stat st;
    if (::fstat(file.get(), &st) != 0) return -errno_to_status(errno);
    if (!S_ISREG(st.st_mode)) return -403;   // a directory (lesson 08 lists them), FIFO, device, socket
    std::uint64_t size = static_cast<std::uint64_t>(st.st_size);   // 64 bits: files > 4 GiB
    // 4. the head: the same for GET and HEAD (RFC 9110 §9.3.2)
    char head[HEAD_MAX];
    const char* type = mime_type(std::string_view(full, static_cast<std::size_t>(full_len)));
    std::size_t len = head_start_body(head, 200, type, size);
    len = head_end(head, len);
    if (write_all(sock, head, len) < 0) return 0;   // the client left: nothing more to say
    // 5. the body.  If it fails half-way, the head has promised more bytes
    //    than will come: closing the connection is all that is left, and
    //    the client sees a short body.
    if (!is_head && size > 0) send_file_body(sock, file.get(), size);
    return 0;
}

}  // namespace httpd
