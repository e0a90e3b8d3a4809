// cpp/09-methods.cpp -- lesson 09: flags, OPTIONS, PUT, DELETE, error pages.
// Assembly twin: asm/09-methods.s.  Rules: lessons/09-methods/README.md.
#include "09-methods.hpp"

#include <cerrno>
#include <cstdio>   // renameat
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>   // gettimeofday
#include <unistd.h>

#include "00-syscalls.hpp"
#include "01-socket.hpp"
#include "04-files.hpp"
#include "06-traversal.hpp"
#include "08-listing.hpp"   // kLocationMax
#include "exchange.hpp"

namespace httpd {

namespace {

// The built-in pages, generated from lessons/09-methods/error-page.html,
// error-sentences.tsv and lessons/01-socket/reasons.tsv.
struct ErrorPage {
    int status;
    const char* page;
};
constexpr ErrorPage kErrorPages[] = {
#define ERROR_PAGE(code, text) {code, text},
#include "error-pages.def"
#undef ERROR_PAGE
};

constexpr const char* kTextHtml = "text/html; charset=utf-8";   // every error page
constexpr const char* kAllowRead = "GET, HEAD, OPTIONS";
constexpr const char* kAllowWrite = "GET, HEAD, OPTIONS, PUT, DELETE";
constexpr const char* kContinue = "HTTP/1.1 100 Continue\r\n\r\n";   // RFC 9110 §15.2.1: a head of its own

}  // namespace


const FlagSpec* find_flag(const FlagSpec* flags, const char* arg) {
    if (arg[0] != '-' || arg[1] == '\0' || arg[2] != '\0') return nullptr;   // exactly '-' and one byte
    for (const FlagSpec* f = flags; f->letter != 0; ++f) {
        if (f->letter == static_cast<unsigned char>(arg[1])) return f;
    }
    return nullptr;
}

int flags_end(const FlagSpec* flags, int argc, char** argv) {
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        const FlagSpec* f = find_flag(flags, argv[i]);
        if (f == nullptr) return -1;                          // unknown
        i += f->kind == FLAG_VALUE ? 2 : 1;                   // a value: the next argument is it
        if (i > argc) return -1;                              // ... and there is none
    }
    return i;
}

std::int64_t say_usage(const FlagSpec* flags) {
    write_str(STDERR_FILENO, "usage: httpd");
    for (const FlagSpec* f = flags; f->letter != 0; ++f) {
        write_str(STDERR_FILENO, " ");
        write_str(STDERR_FILENO, f->usage);
    }
    return write_str(STDERR_FILENO, " [PORT [DOCROOT]]\n");
}

int parse_command_line(int argc, char** argv, Config* cfg, const FlagSpec* flags) {
    int end = flags_end(flags, argc, argv);
    // after the flags: at most PORT and DOCROOT, and no flag among them
    bool usage = end < 0 || argc - end > 2;
    for (int i = end; !usage && i < argc; ++i) usage = argv[i][0] == '-';
    if (usage) {
        say_usage(flags);
        return -EINVAL;
    }
    // lesson 01's parser sees argv[end - 1] as the program's name
    if (int r = parse_args(argc - end + 1, argv + end - 1, cfg); r < 0) return r;
    // the options part: defaults, then each flag in its slot
    cfg->write = 0;                                           // no -w: read-only
    cfg->error_dir = nullptr;                                 // no -e: the built-in pages
    cfg->error_fd = -1;                                       // nothing opened yet
    for (int i = 1; i < end; ++i) {
        const FlagSpec* f = find_flag(flags, argv[i]);
        auto* slot = reinterpret_cast<std::uint64_t*>(reinterpret_cast<char*>(cfg) + f->offset);
        if (f->kind == FLAG_SWITCH) {
            *slot = 1;                                        // -w
        } else {
            *slot = reinterpret_cast<std::uint64_t>(argv[++i]);   // -e DIR: the next argument
        }
    }
    return 0;
}

std::int64_t open_error_pages(Config* cfg) {
    if (cfg->error_dir == nullptr) return 0;                  // no -e: the built-in pages
    int fd = ::openat(AT_FDCWD, cfg->error_dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        std::int64_t err = -errno;   // before anything else can change errno
        write_str(STDERR_FILENO, "httpd: cannot open the error pages \"");
        write_str(STDERR_FILENO, cfg->error_dir);
        write_str(STDERR_FILENO, "\"");
        say_errno(err);                                       // lesson 01's ": errno N"
        return err;
    }
    cfg->error_fd = fd;
    return 0;
}

const char* allow_value(std::uint64_t write) { return write != 0 ? kAllowWrite : kAllowRead; }

int allowed_method_status(Method id, std::uint64_t write) {
    switch (id) {
        case Method::GET:
        case Method::HEAD:
        case Method::OPTIONS: return 0;
        case Method::PUT:
        case Method::DELETE: return write != 0 ? 0 : 405;     // only with -w
        case Method::Other: return 501;                       // RFC 9110 §15.6.2
        default: return 405;                                  // known, not served
    }
}

std::size_t last_name(std::string_view path) {
    std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? 0 : slash + 1;
}

std::size_t upload_name(char* out, std::uint64_t pid) {
    char* p = out;
    *p++ = '\x01';                                            // no request can name it
    p = copy_bytes(p, "upload-", 7);
    p += format_u64(pid, p);                                  // one upload per process at a time
    *p = '\0';
    return static_cast<std::size_t>(p - out);
}

int upload_errno_status(int err) {
    switch (err) {
        case EACCES:
        case EPERM:
        case EROFS: return 403;                               // not ours to change
        case ENOSPC:
        case EDQUOT: return 507;                              // RFC 4918 §11.5: no room
        case EISDIR: return 409;                              // a directory is in the way
        default: return errno_to_status(err);                 // lesson 04's table
    }
}

bool expects_continue(const Request& req) {
    if (req.version_minor != 1) return false;                 // HTTP/1.0: MUST ignore it
    for (std::size_t i = 0; i < req.header_count; ++i) {
        if (!equal_ignoring_case(req.headers[i].name, "Expect")) continue;
        std::string_view list = req.headers[i].value;         // Expect = #expectation (§10.1.1)
        while (!list.empty()) {
            std::string_view element;
            list.remove_prefix(next_list_element(list, &element));   // lesson 03's list walker
            if (equal_ignoring_case(element, "100-continue")) return true;
        }
    }
    return false;
}

const char* error_page(int status) {
    for (const ErrorPage& p : kErrorPages) {
        if (p.status == status) return p.page;
    }
    return nullptr;
}

std::size_t error_page_name(char* out, int status) {
    std::size_t len = format_u64(static_cast<std::uint32_t>(status), out);
    char* p = copy_bytes(out + len, ".html", 5);
    *p = '\0';
    return len + 5;
}

std::uint64_t now_ms() {
    timeval tv{};
    ::gettimeofday(&tv, nullptr);                             // cannot fail with a valid pointer
    return static_cast<std::uint64_t>(tv.tv_sec) * MS_PER_SECOND + static_cast<std::uint64_t>(tv.tv_usec) / US_PER_MS;
}

std::int64_t receive_body(int sock, int fd, const char* have, std::uint64_t have_len, std::uint64_t length,
                          char* buf, std::size_t cap, std::uint64_t deadline) {
    if (have_len > length) have_len = length;                 // what follows is not this body
    if (have_len > 0 && write_all(fd, have, have_len) < 0) return -upload_errno_status(errno);
    std::uint64_t left = length - have_len;
    while (left > 0) {
        if (deadline != 0 && now_ms() >= deadline) return -408;   // lesson 10: too slow on the whole
        std::size_t want = left < cap ? static_cast<std::size_t>(left) : cap;
        ssize_t n = ::read(sock, buf, want);
        if (n < 0 && errno == EINTR) continue;                // a signal: read again
        if (n < 0 && errno == EAGAIN) return -408;            // lesson 10's SO_RCVTIMEO ran out: a stalled upload
        if (n <= 0) return -400;                              // closed or failed early: not the promised body
        if (std::int64_t w = write_all(fd, buf, static_cast<std::size_t>(n)); w < 0) {
            return -upload_errno_status(static_cast<int>(-w));
        }
        left -= static_cast<std::uint64_t>(n);
    }
    return 0;
}

int step_allow_method(Exchange& x) {
    int status = allowed_method_status(x.req.method_id, x.cfg->write);
    if (status == 405) add_extra(x, "Allow", allow_value(x.cfg->write));   // RFC 9110 §15.5.6: MUST
    return status;
}

int step_answer_options(Exchange& x) {
    x.status = 204;                                           // what the client gets (the access log's status)
    char head[HEAD_MAX];
    std::size_t len = head_start(head, static_cast<int>(x.status));                  // no body, no Content-Length (§8.6)
    len = head_add(head, len, "Allow", allow_value(x.cfg->write));
    len = head_add_lines(head, len, x.extra, x.extra_len);   // what earlier steps added (lesson 11: Date)
    len = head_end(head, len);
    write_all(static_cast<int>(x.sock), head, len);           // a client that left: nothing to do
    return kDone;
}

int step_check_upload(Exchange& x) {
    if (find_header(x.req, "Content-Range") != nullptr) return 400;   // RFC 9110 §14.5: MUST
    if (x.req.body_kind != Body::Length) return 411;          // none, or chunked: we need the length
    if (x.req.content_length > kUploadMax) return 413;        // said before a byte of it is read
    return kNext;
}

int step_open_parent(Exchange& x) {
    std::size_t name = last_name(std::string_view(x.path, x.path_len));
    std::size_t name_len = x.path_len - name;
    if (name_len == 0) return 409;                            // "/", "/docs/": a directory
    if (name_len > kComponentMax) return 414;
    std::int64_t dir = open_beneath(static_cast<int>(x.cfg->docroot_fd), std::string_view(x.path, name));
    if (dir < 0) return static_cast<int>(-dir);               // 403 (a link on the way), 404, 414, 500
    x.file = Fd(static_cast<int>(dir));                       // the spine closes it
    x.path[x.path_len] = '\0';                                // the name as a C string, for the *at calls
    struct stat st;
    if (::fstatat(x.file.get(), x.path + name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT) return errno_to_status(errno);
        x.file_mode = 0;                                      // nothing there yet
        return kNext;
    }
    x.file_mode = static_cast<std::uint64_t>(st.st_mode);
    x.file_size = static_cast<std::uint64_t>(st.st_size);
    if (S_ISDIR(st.st_mode)) return 409;                      // replace or remove a directory: no
    if (!S_ISREG(st.st_mode)) return 403;                     // a symbolic link, a FIFO ...: never
    return kNext;
}

int step_store_upload(Exchange& x) {
    int dir = x.file.get();
    const char* name = x.path + last_name(std::string_view(x.path, x.path_len));
    char tmp[kUploadNameMax];
    upload_name(tmp, static_cast<std::uint64_t>(::getpid()));
    Fd out(::openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, UPLOAD_MODE));
    if (!out.valid()) return upload_errno_status(errno);
    // from here on every way out removes tmp, unless it became the target
    std::int64_t r = 0;
    if (expects_continue(x.req)) r = write_all(static_cast<int>(x.sock), kContinue, str_len(kContinue)) < 0 ? -400 : 0;
    if (r == 0) {
        char buf[kUploadChunk];                               // the same memory for 1 byte or 1 GiB
        r = receive_body(static_cast<int>(x.sock), out.get(), x.buf + x.head_len, x.read_len - x.head_len,
                         x.req.content_length, buf, sizeof buf, x.body_deadline);
    }
    if (r == 0 && ::fsync(out.get()) != 0) r = -upload_errno_status(errno);   // on the disk before it has the name
    if (r == 0 && ::close(out.release()) != 0) r = -upload_errno_status(errno);
    if (r == 0 && ::renameat(dir, tmp, dir, name) != 0) r = -upload_errno_status(errno);   // atomic: old or new
    if (r < 0) {
        ::unlinkat(dir, tmp, 0);                              // nothing half-written stays
        return static_cast<int>(-r);
    }
    x.linger = 0;                                             // the whole body is read
    x.status = x.file_mode == 0 ? 201 : 204;                  // Created, or replaced (RFC 9110 §9.3.4)
    return kNext;
}

int step_answer_upload(Exchange& x) {
    char head[HEAD_MAX];
    std::size_t len = head_start(head, static_cast<int>(x.status));
    if (x.status == 201) {
        len = head_add_u64(head, len, "Content-Length", 0);   // an empty body
        if (x.req.path.size() <= kLocationMax) {
            char location[kLocationMax + 1];                  // the path as the client wrote it
            copy_bytes(location, x.req.path.data(), x.req.path.size());
            location[x.req.path.size()] = '\0';
            len = head_add(head, len, "Location", location);  // RFC 9110 §15.3.2
        }
    }
    len = head_add_lines(head, len, x.extra, x.extra_len);   // what earlier steps added (lesson 11: Date)
    len = head_end(head, len);
    write_all(static_cast<int>(x.sock), head, len);
    return kDone;
}

int step_delete_file(Exchange& x) {
    if (x.file_mode == 0) return 404;                         // nothing to remove
    const char* name = x.path + last_name(std::string_view(x.path, x.path_len));
    if (::unlinkat(x.file.get(), name, 0) != 0) return upload_errno_status(errno);
    x.status = 204;                                           // RFC 9110 §9.3.5: done, nothing to add
    char head[HEAD_MAX];
    std::size_t len = head_start(head, static_cast<int>(x.status));
    len = head_add_lines(head, len, x.extra, x.extra_len);   // what earlier steps added (lesson 11: Date)
    len = head_end(head, len);
    write_all(static_cast<int>(x.sock), head, len);
    return kDone;
}

std::int64_t send_page_head(int fd, int status, std::uint64_t length, std::string_view extra) {
    char head[HEAD_MAX];
    std::size_t len = head_start_body(head, status, kTextHtml, length);
    len = head_add_lines(head, len, extra.data(), extra.size());   // Allow, Location, ...
    len = head_end(head, len);
    return write_all(fd, head, len);
}

std::int64_t send_error_page(int fd, int status, bool is_head, std::string_view extra, int error_fd) {
    if (error_fd >= 0) {
        char name[kErrorNameMax];
        error_page_name(name, status);
        Fd page(::openat(error_fd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC));
        struct stat st;
        if (page.valid() && ::fstat(page.get(), &st) == 0 && S_ISREG(st.st_mode)) {
            auto size = static_cast<std::uint64_t>(st.st_size);
            if (std::int64_t r = send_page_head(fd, status, size, extra); r < 0) return r;
            if (is_head) return 0;                            // HEAD: the same head, no body
            if (std::int64_t r = send_file_body(fd, page.get(), 0, size); r < 0) return r;
            return static_cast<std::int64_t>(size);           // the body bytes that went
        }
        // missing, a link, not a regular file: the built-in page
    }
    const char* page = error_page(status);
    if (page == nullptr) return send_error(fd, status, is_head, extra);   // no page: lesson 03's text
    std::size_t page_len = str_len(page);
    if (std::int64_t r = send_page_head(fd, status, page_len, extra); r < 0) return r;
    if (is_head) return 0;
    if (std::int64_t r = write_all(fd, page, page_len); r < 0) return r;
    return static_cast<std::int64_t>(page_len);               // the body bytes that went
}

void answer_error_page(Exchange& x, int status) {
    x.status = static_cast<std::uint64_t>(status);
    std::int64_t sent = send_error_page(static_cast<int>(x.sock), status, x.req.is_head,
                                        std::string_view(x.extra, x.extra_len), static_cast<int>(x.cfg->error_fd));
    x.body_sent = sent < 0 ? 0 : static_cast<std::uint64_t>(sent);   // for the access log
}

}  // namespace httpd
