// cpp/01-socket.cpp -- lesson 01.  Assembly twin: asm/01-socket.s.
#include "01-socket.hpp"

#include "exchange.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string_view>

namespace httpd {

namespace {

// Every status the course answers and its reason phrase, from
// lessons/01-socket/reasons.tsv (RFC 9110 §15; 431: RFC 6585 §5), turned
// into `REASON(200, "OK")` lines by the Makefile.
struct Reason {
    int status;
    const char* phrase;
};
#define REASON(status, phrase) {status, phrase},
constexpr Reason kReasons[] = {
#include "reasons.def"
};
#undef REASON

constexpr std::string_view kHelloBody = "hello from metal-httpd\n";

}  // namespace

int parse_port(const char* s) {
    if (*s == '\0') return -1;                       // "" is not a number
    int value = 0;
    for (; *s != '\0'; ++s) {
        unsigned digit = static_cast<unsigned char>(*s) - '0';
        if (digit > 9) return -1;                    // not a digit: '+', ' ', 'o' ...
        value = value * 10 + static_cast<int>(digit);
        if (value > PORT_MAX) return -1;             // stop before it can overflow
    }
    return value;
}

std::int64_t write_str(int fd, const char* s) { return write_all(fd, s, str_len(s)); }

int parse_args(int argc, char** argv, Config* cfg) {
    *cfg = Config{};                                 // 8080, ".", no docroot descriptor (-1)
    if (argc > 3) {
        write_str(STDERR_FILENO, "usage: httpd [PORT [DOCROOT]]\n");
        return -EINVAL;
    }
    if (argc >= 2) {
        int port = parse_port(argv[1]);
        if (port < 0) {
            write_str(STDERR_FILENO, "httpd: invalid port \"");
            write_str(STDERR_FILENO, argv[1]);
            write_str(STDERR_FILENO, "\": expected a decimal number from 0 to 65535\n");
            return -EINVAL;
        }
        cfg->port = static_cast<std::uint64_t>(port);
    }
    if (argc >= 3) cfg->docroot = argv[2];
    return 0;
}

const char* reason_phrase(int status) {
    for (const Reason& r : kReasons) {
        if (r.status == status) return r.phrase;
    }
    return "";
}

char* copy_bytes(char* dst, const char* src, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) dst[i] = src[i];
    return dst + n;
}

std::size_t head_add(char* out, std::size_t len, const char* name, const char* value) {
    std::size_t name_len = str_len(name), value_len = str_len(value);
    // name ": " value CRLF, and 2 bytes left for head_end's CRLF
    if (len + name_len + value_len + 6 > HEAD_MAX) return len;
    char* p = copy_bytes(out + len, name, name_len);
    *p++ = ':';
    *p++ = ' ';
    p = copy_bytes(p, value, value_len);
    *p++ = '\r';
    *p++ = '\n';
    return static_cast<std::size_t>(p - out);
}

std::size_t head_add_u64(char* out, std::size_t len, const char* name, std::uint64_t value) {
    char digits[21];
    digits[format_u64(value, digits)] = '\0';        // a C string for head_add
    return head_add(out, len, name, digits);
}

std::size_t head_start(char* out, int status) {
    char* p = copy_bytes(out, "HTTP/1.1 ", 9);
    p += format_u64(static_cast<std::uint32_t>(status), p);
    *p++ = ' ';
    const char* reason = reason_phrase(status);
    p = copy_bytes(p, reason, str_len(reason));
    *p++ = '\r';
    *p++ = '\n';
    std::size_t len = static_cast<std::size_t>(p - out);
    len = head_add(out, len, "Server", "metal-httpd");
    return head_add(out, len, "Connection", "close");
}

std::size_t head_start_body(char* out, int status, const char* type, std::uint64_t length) {
    std::size_t len = head_start(out, status);
    len = head_add(out, len, "Content-Type", type);
    return head_add_u64(out, len, "Content-Length", length);   // HEAD too (RFC 9110 §9.3.2)
}

std::size_t head_add_lines(char* out, std::size_t len, const char* lines, std::size_t n) {
    // the lines, and 2 bytes left for head_end's CRLF
    if (len + n + 2 > HEAD_MAX) return len;
    return static_cast<std::size_t>(copy_bytes(out + len, lines, n) - out);
}

std::size_t head_end(char* out, std::size_t len) {
    if (len + 2 > HEAD_MAX) return len;
    out[len] = '\r';
    out[len + 1] = '\n';
    return len + 2;
}

std::int64_t send_hello(int fd) {
    char head[HEAD_MAX];
    std::size_t len = head_start_body(head, 200, kTextPlain, kHelloBody.size());
    len = head_end(head, len);
    if (std::int64_t r = write_all(fd, head, len); r < 0) return r;
    return write_all(fd, kHelloBody.data(), kHelloBody.size());
}

std::int64_t open_listener(int port) {
    // socket: a TCP endpoint, not bound to any address yet
    Fd fd(::socket(AF_INET, SOCK_STREAM, 0));
    if (!fd.valid()) return -errno;
    // SO_REUSEADDR: bind again at once after a restart, even while old
    // connections to this port sit in TIME_WAIT
    int one = 1;
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) return -errno;
    // 127.0.0.1:port; port and address in network byte order (big-endian).
    // (On Darwin libc's sockaddr_in also has sin_len; zeroing it is fine:
    // the kernel sets it from the length argument.)
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) return -errno;
    if (::listen(fd.get(), LISTEN_BACKLOG) != 0) return -errno;
    return fd.release();                             // the caller owns it now
}

int listening_port(int fd) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return -errno;
    return ntohs(addr.sin_port);
}

std::int64_t say_listening(int port) {
    char digits[20];
    std::size_t n = format_u64(static_cast<std::uint64_t>(port), digits);
    if (std::int64_t r = write_str(1, "listening on http://127.0.0.1:"); r < 0) return r;
    if (std::int64_t r = write_all(1, digits, n); r < 0) return r;
    return write_str(1, "/\n");
}

std::int64_t say_errno(std::int64_t err) {
    char digits[20];
    write_str(STDERR_FILENO, ": errno ");
    write_all(STDERR_FILENO, digits, format_u64(static_cast<std::uint64_t>(-err), digits));
    return write_str(STDERR_FILENO, "\n");
}

std::int64_t say_listen_error(int port, std::int64_t err) {
    char digits[20];
    write_str(STDERR_FILENO, "httpd: cannot listen on 127.0.0.1:");
    write_all(STDERR_FILENO, digits, format_u64(static_cast<std::uint64_t>(port), digits));
    if (-err == EADDRINUSE) return write_str(STDERR_FILENO, ": address already in use\n");
    return say_errno(err);                           // the numbers differ between kernels
}

std::int64_t accept_client(int listener) {
    for (;;) {
        int conn = ::accept(listener, nullptr, nullptr);
        if (conn >= 0) return conn;
        if (errno != EINTR) return -errno;           // EINTR: a signal, wait again
    }
}

std::int64_t ignore_signal(int sig) {
    struct sigaction action {};
    action.sa_handler = SIG_IGN;                     // no handler: nothing to return through
    if (::sigaction(sig, &action, nullptr) != 0) return -errno;
    return 0;
}

void start_exchange(Exchange& x, int sock, const Config* cfg) {
    x.sock = sock;
    x.cfg = cfg;
    x.status = 200;
    x.head_len = 0;
    x.read_len = 0;   // nothing in x.buf yet
    x.linger = 0;
    x.path_len = 0;
    // no file: -1 -- forgotten, never closed.  The spine closes the file
    // after every exchange; in the assembly a fresh record's file_fd is
    // stack garbage, so neither language closes what the slot held.
    (void)x.file.release();
    x.file_mode = 0;
    x.file_size = 0;
    x.type = nullptr;
    x.body_first = 0;
    x.body_len = 0;
    x.extra_len = 0;
    x.body_deadline = 0;   // no deadline for a body (lesson 10 sets one for a PUT)
    x.body_sent = 0;
}

int add_extra(Exchange& x, const char* name, const char* value) {
    // x.extra is HEAD_MAX bytes, head_add's own limit
    std::size_t len = head_add(x.extra, x.extra_len, name, value);
    if (len == x.extra_len) return -1;   // did not fit: left out
    x.extra_len = len;
    return 0;
}

int step_read_once(Exchange& x) {
    // HELLO_READ_MAX bytes at most: the request is not looked at
    ssize_t n = ::read(static_cast<int>(x.sock), x.buf, HELLO_READ_MAX);
    return n > 0 ? kNext : kDone;   // 0 bytes (or a failed read): the client left
}

int step_hello(Exchange& x) {
    send_hello(static_cast<int>(x.sock));   // failing means the client left: nothing to do
    return kDone;
}

}  // namespace httpd
