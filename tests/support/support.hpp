// tests/support/support.hpp -- small helpers shared by the native suite
// (tests/unit/) and the target suite (tests/asm/): temporary directories,
// files, and sockets to hand to a function under test, and a check that a
// child left no zombie; argv from words (lessons 09, 10) and a function
// run in a child process.  Header-only, so each suite compiles it for its
// own machine.  Lesson-specific helpers: parse_cases.hpp (03),
// files_fixture.hpp (04), refusals.hpp (10).
#pragma once

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <string>
#include <utility>
#include <vector>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace testsupport {

// The tests that move more than 4 GiB run when METAL_BIG_FILE_TESTS is set
// and not "0".  `make test` sets it (tests/tools/run-suites.sh); running a
// suite binary by hand skips them unless you set it yourself.
inline bool big_file_tests_on() {
    const char* v = std::getenv("METAL_BIG_FILE_TESTS");
    return v != nullptr && std::string(v) != "0";
}

// How many random instants and strings lesson 11's C++ date tests try:
// METAL_DATE_RANDOM when set (the variable tests/asm/11-caching_test.cpp
// reads too), else 20,000 -- make test's count.  `make date-fuzz` sets
// 1,000,000.
inline int date_count() {
    const char* v = std::getenv("METAL_DATE_RANDOM");
    int n = v != nullptr ? std::atoi(v) : 0;
    return n > 0 ? n : 20000;
}

// A fresh directory under /tmp, removed with everything in it afterwards.
class TempDir {
public:
    explicit TempDir(const char* tag = "test") {
        std::string tmpl = std::string("/tmp/metal-") + tag + "-XXXXXX";
        if (const char* made = ::mkdtemp(tmpl.data()); made != nullptr) path_ = made;
    }
    ~TempDir() {
        std::error_code ignored;
        if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string at(const std::string& rel) const { return path_ + "/" + rel; }

private:
    std::string path_;
};

inline void write_file(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream all;
    all << in.rdbuf();
    return all.str();
}

// n bytes that do not repeat every 256: an offset mistake shows up.
inline std::string pattern(std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + i / 251) & 0xff);
    return s;
}

// A connected pair of TCP sockets over 127.0.0.1 -- what a server really
// writes to (for gigabytes, much faster than a socketpair).  fds[0] is the
// server's end, fds[1] the client's.  false on failure.
inline bool tcp_pair(int fds[2]) {
    int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;   // any free port
    socklen_t len = sizeof addr;
    bool ok = ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
              ::listen(listener, 1) == 0 &&
              ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
    int client = ok ? ::socket(AF_INET, SOCK_STREAM, 0) : -1;
    ok = ok && client >= 0 && ::connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    int server = ok ? ::accept(listener, nullptr, nullptr) : -1;
    ::close(listener);
    if (server < 0) {
        if (client >= 0) ::close(client);
        return false;
    }
    fds[0] = server;
    fds[1] = client;
    return true;
}

// A connected AF_UNIX stream socketpair, both ends closed when it goes out
// of scope: the test writes a request into client(), the function under
// test reads it from server().
class SocketPair {
public:
    SocketPair() {
        if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_) != 0) ADD_FAILURE() << "socketpair: " << std::strerror(errno);
    }
    ~SocketPair() {
        for (int fd : fds_) if (fd >= 0) ::close(fd);
    }
    SocketPair(const SocketPair&) = delete;
    SocketPair& operator=(const SocketPair&) = delete;
    int client() const { return fds_[0]; }
    int server() const { return fds_[1]; }

private:
    int fds_[2] = {-1, -1};
};

// Connect a client socket to 127.0.0.1:port; -1 on failure.
inline int connect_to(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// A free TCP port whose two bytes differ (8080 = 0x1f90, not 0x0101), so
// that a port stored in the wrong byte order shows: bind port 0, ask the
// kernel which port it gave, close.  -1 if none was found.
inline int free_port_with_distinct_bytes() {
    for (int attempt = 0; attempt < 100; ++attempt) {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) return -1;
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
        ::close(fd);
        int port = ntohs(addr.sin_port);
        if (ok && (port >> 8) != (port & 0xff)) return port;
    }
    return -1;
}

// open_listener(port) on a fixed, free port -- a listening fd, or -errno.
// EADDRINUSE (someone took the port meanwhile, or the port really bound is
// another one that is taken) is retried on another port.
template <class OpenListener>
std::int64_t listen_on_a_free_port(OpenListener&& open_listener, int& port) {
    std::int64_t fd = -EADDRINUSE;
    for (int attempt = 0; attempt < 10 && fd == -EADDRINUSE; ++attempt) {
        port = free_port_with_distinct_bytes();
        if (port < 0) return -EADDRINUSE;
        fd = open_listener(port);
    }
    return fd;
}

// The bytes of the address a listener is bound to, as getsockname hands
// them back, against what lesson 01 says bind must get: the port and
// 127.0.0.1 in network byte order (big-endian), at the same offsets (2 and
// 4) on Darwin and Linux.  Empty when all is right, else what is wrong.
inline std::string network_order_problems(int listener, int port) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        return std::string("getsockname: ") + std::strerror(errno);
    const auto* raw = reinterpret_cast<const unsigned char*>(&addr);
    auto hex = [](const unsigned char* p, int n) {
        std::string out;
        char b[4];
        for (int i = 0; i < n; ++i) {
            std::snprintf(b, sizeof b, "%s%02x", i ? " " : "", p[i]);
            out += b;
        }
        return out;
    };
    const unsigned char want_port[2] = {static_cast<unsigned char>(port >> 8), static_cast<unsigned char>(port & 0xff)};
    const unsigned char want_addr[4] = {0x7f, 0x00, 0x00, 0x01};
    std::string problems;
    if (std::memcmp(raw + 2, want_port, 2) != 0)
        problems += "port not in network byte order: htons missing? open_listener(" + std::to_string(port) +
                    ") should bind sin_port bytes " + hex(want_port, 2) + ", the socket has " + hex(raw + 2, 2) +
                    " (that is port " + std::to_string(raw[2] << 8 | raw[3]) + ")\n";
    if (std::memcmp(raw + 4, want_addr, 4) != 0)
        problems += "address not in network byte order: htonl missing? 127.0.0.1 is the sin_addr bytes " +
                    hex(want_addr, 4) + ", the socket has " + hex(raw + 4, 4) + "\n";
    return problems;
}

// tests/tools/make-table.sh KIND cpp on a table of these lines (the way
// the Makefile runs it): its exit status; what it printed goes to *said,
// what it generated (if anything) to *generated.
inline int run_make_table(const std::string& kind, const std::string& tsv_text, std::string* said,
                          std::string* generated) {
    TempDir dir("table");
    std::string tsv = dir.at("table.tsv"), out = dir.at("table.def");
    write_file(tsv, tsv_text);
    std::string cmd = "bash " METAL_SOURCE_DIR "/tests/tools/make-table.sh " + kind + " cpp " + tsv + " " + out + " 2>&1";
    said->clear();
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return -1;
    char buf[512];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) said->append(buf, n);
    int status = ::pclose(p);
    // the file name as the script printed it: say "table.tsv", not the temp dir
    for (std::size_t at; (at = said->find(tsv)) != std::string::npos;) said->replace(at, tsv.size(), "table.tsv");
    *generated = std::filesystem::exists(out) ? read_file(out) : "";
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// "METHOD target HTTP/1.1", a Host, any further field lines (each ending
// in CRLF) and the empty line: a request head as a client sends it.
inline std::string http_request(const std::string& method, const std::string& target,
                                const std::string& fields = "") {
    return method + " " + target + " HTTP/1.1\r\nHost: test\r\n" + fields + "\r\n";
}

// A byte string made printable for a failure message: every byte outside
// printable ASCII (and the backslash) as \xHH.
inline std::string escaped(const std::string& s) {
    std::string out;
    for (unsigned char ch : s) {
        if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
            out += static_cast<char>(ch);
        } else {
            const char* hex = "0123456789abcdef";
            out += "\\x";
            out += hex[ch >> 4];
            out += hex[ch & 15];
        }
    }
    return out;
}

// Everything readable from fd until end of file.
inline std::string read_all(int fd) {
    std::string got;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(n));
    return got;
}

// What f() writes to file descriptor `which` (1 = stdout, 2 = stderr):
// the descriptor points into a pipe while f runs.  For short output only
// (the pipe must hold all of it).
template <class F>
std::string output_of(int which, F&& f) {
    int fds[2];
    if (::pipe(fds) != 0) return "<pipe failed>";
    int saved = ::dup(which);
    ::dup2(fds[1], which);
    f();
    ::dup2(saved, which);
    ::close(saved);
    ::close(fds[1]);
    std::string got = read_all(fds[0]);
    ::close(fds[0]);
    return got;
}

// Run write_to(sock) while a second thread reads the other end of a
// socketpair, so a big answer cannot fill the socket buffer and block the
// writer; return everything that arrived.
template <class F>
std::string capture(F&& write_to) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
        ADD_FAILURE() << "socketpair: " << std::strerror(errno);
        return {};
    }
    std::string got;
    std::thread reader([&] {
        char buf[1 << 16];
        for (ssize_t n; (n = ::read(fds[1], buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(n));
    });
    write_to(fds[0]);
    ::close(fds[0]);   // end of data: the reader sees EOF
    reader.join();
    ::close(fds[1]);
    return got;
}

// With SIGCHLD ignored (POSIX), a child that exits is reaped by the kernel
// at once and never becomes a zombie: waitpid then fails with ECHILD.
// Polls every 10 ms until it does (true) or `limit` has passed (false).
inline bool reaped_without_zombie(pid_t pid, std::chrono::milliseconds limit) {
    for (auto waited = std::chrono::milliseconds(0); waited < limit; waited += std::chrono::milliseconds(10)) {
        int status;
        errno = 0;
        if (::waitpid(pid, &status, WNOHANG) == -1 && errno == ECHILD) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

// argv from words (the strings live as long as the Args), for the command
// line parsers of lessons 09 and 10.
struct Args {
    explicit Args(std::vector<std::string> words) : words_(std::move(words)) {
        for (auto& w : words_) ptrs_.push_back(w.data());
        ptrs_.push_back(nullptr);
    }
    int argc() const { return static_cast<int>(words_.size()); }
    char** argv() { return ptrs_.data(); }
    std::string shown() const {   // [httpd][-t][1], for a failure message
        std::string s;
        for (const auto& w : words_) s += "[" + w + "]";
        return s;
    }

private:
    std::vector<std::string> words_;
    std::vector<char*> ptrs_;
};

// A connected pair of AF_UNIX stream sockets, closed at the end (an fd set
// to -1 is not closed: the function under test closed it).
struct Pair {
    int fd[2] = {-1, -1};
    Pair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fd), 0); }
    ~Pair() {
        for (int f : fd)
            if (f >= 0) ::close(f);
    }
    Pair(const Pair&) = delete;
    Pair& operator=(const Pair&) = delete;
};

// fn in a child process (its own signal mask, its own children): the
// child's wait status.
template <typename Fn>
int in_child(Fn fn) {
    pid_t pid = ::fork();
    if (pid == 0) {
        fn();
        ::_exit(0);
    }
    int st = -1;
    ::waitpid(pid, &st, 0);
    return st;
}

}  // namespace testsupport
