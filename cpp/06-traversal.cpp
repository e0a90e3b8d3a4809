// cpp/06-traversal.cpp -- lesson 06: keeping every request inside the docroot.
// Assembly twin: asm/06-traversal.s.  Rules: lessons/06-traversal/README.md.
#include "06-traversal.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "00-syscalls.hpp"
#include "04-files.hpp"    // errno_to_status
#include "exchange.hpp"

namespace httpd {

namespace {

// The two ways open_beneath opens a name: a directory to walk through,
// or the last name, the file itself (O_NONBLOCK: lesson 04's FIFO trap).
constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW;
constexpr int kFileFlags = O_RDONLY | O_NONBLOCK | O_NOFOLLOW;

bool is_dot(std::string_view segment) { return segment == "."; }
bool is_dot_dot(std::string_view segment) { return segment == ".."; }

}  // namespace

std::int64_t normalize_path(char* path, std::size_t len) {
    if (len == 0 || path[0] != '/') return -403;   // not below the root
    std::size_t out = 1;   // path[0..out) is the result so far; it ends in '/'
    std::size_t i = 1;     // the next segment starts here
    while (i < len) {
        std::size_t end = i;
        while (end < len && path[end] != '/') ++end;
        std::string_view segment(path + i, end - i);
        if (segment.empty() || is_dot(segment)) {
            // "//" or "/./": nothing to keep
        } else if (is_dot_dot(segment)) {
            if (out == 1) return -403;             // nothing left to climb out of
            --out;                                 // back over the '/' that ends the result
            while (path[out - 1] != '/') --out;    // and over the segment before it
        } else {
            // a name: moved down to the end of the result.  out <= i, so
            // copying front to back never overwrites a byte still to be read
            for (std::size_t k = 0; k < segment.size(); ++k) path[out + k] = path[i + k];
            out += segment.size();
            if (end == len) return static_cast<std::int64_t>(out);   // the last name: no '/' after it
            path[out++] = '/';
        }
        i = end + 1;   // past the '/'
    }
    return static_cast<std::int64_t>(out);
}

int step_normalize_path(Exchange& x) {
    std::int64_t len = normalize_path(x.path, x.path_len);
    if (len < 0) return static_cast<int>(-len);   // 403
    x.path_len = static_cast<std::uint64_t>(len);
    return kNext;
}

int open_failure_status(int dirfd, const char* name, int err) {
    // O_DIRECTORY | O_NOFOLLOW on a symlink fails with ENOTDIR, like a
    // plain file would: ask the name itself (without following it)
    struct stat st;
    if (err == ENOTDIR && ::fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
        return 403;
    }
    return errno_to_status(err);
}

std::int64_t open_beneath(int dirfd, std::string_view path) {
    Fd dir;               // the directory we are in, when it is one we opened
    char name[kComponentBuf];
    std::size_t i = 0;
    for (;;) {
        while (i < path.size() && path[i] == '/') ++i;   // the slashes before the next name
        if (i == path.size()) {
            // no name left: the path named a directory -- the one we are in
            if (dir.valid()) return dir.release();
            int fd = ::openat(dirfd, ".", kDirFlags);
            return fd >= 0 ? fd : -errno_to_status(errno);
        }
        std::size_t end = path.find('/', i);
        if (end == std::string_view::npos) end = path.size();
        std::string_view part = path.substr(i, end - i);
        i = end;
        if (is_dot(part)) continue;                 // the same directory
        if (is_dot_dot(part)) return -403;          // never up (normalize_path removed them)
        if (part.size() > kComponentMax) return -414;
        copy_bytes(name, part.data(), part.size());
        name[part.size()] = '\0';                   // openat wants a C string
        bool last = end == path.size();
        int at = dir.valid() ? dir.get() : dirfd;
        int fd = ::openat(at, name, last ? kFileFlags : kDirFlags);
        if (fd < 0) return -open_failure_status(at, name, errno);   // dir closes on the way out
        if (last) return fd;                        // the file; dir closes on the way out
        dir = Fd(fd);                               // one level down: the old one closes now
    }
}

int step_open_beneath(Exchange& x) {
    std::int64_t fd = open_beneath(static_cast<int>(x.cfg->docroot_fd), std::string_view(x.path, x.path_len));
    if (fd < 0) return static_cast<int>(-fd);     // 403, 404, 414, 500
    x.file = Fd(static_cast<int>(fd));            // the spine closes it
    return kNext;
}

std::int64_t say_docroot_error(const char* docroot, std::int64_t err) {
    write_str(STDERR_FILENO, "httpd: cannot open the docroot \"");
    write_str(STDERR_FILENO, docroot);
    write_str(STDERR_FILENO, "\"");
    if (-err == ENOTDIR) return write_str(STDERR_FILENO, ": not a directory\n");
    if (-err == ENOENT) return write_str(STDERR_FILENO, ": no such file or directory\n");
    return say_errno(err);                           // lesson 01's ": errno N"
}

std::int64_t open_docroot(Config* cfg) {
    int fd = ::openat(AT_FDCWD, cfg->docroot, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        std::int64_t err = -errno;   // before anything else can change errno
        say_docroot_error(cfg->docroot, err);
        return err;
    }
    cfg->docroot_fd = fd;
    return 0;
}

}  // namespace httpd
