// tests/support/files_fixture.hpp -- what lesson 04's tests set up, shared
// by the native suite (tests/unit/04-files_test.cpp, the C++ stage) and
// the target suite (tests/asm/04-files_test.cpp, the assembly against the
// C++ twin): the docroot the lesson-04 steps are pointed at, files for the
// body senders, the expected 200 head, and a counting reader for the 4 GiB
// test.  The assertions stay in the tests.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <memory>

#include "04-files.hpp"
#include "exchange.hpp"
#include "pipeline.hpp"
#include "support.hpp"

namespace testsupport {

// The Content-Types the docroot's files get most often.
inline const std::string kText = "text/plain; charset=utf-8";
inline const std::string kHtml = "text/html; charset=utf-8";
inline const std::string kOctets = "application/octet-stream";

// The exact head of a 200 response (lesson 04 rule; RFC 9110 §8.6 for
// Content-Length), the same for GET and HEAD (RFC 9110 §9.3.2).
inline std::string head_200(const std::string& type, std::uint64_t length) {
    return "HTTP/1.1 200 OK\r\nServer: metal-httpd\r\nConnection: close\r\nContent-Type: " + type +
           "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n";
}

// One run of a lesson's C++ steps, as handle_connection (cpp/httpd.cpp)
// runs them -- the one helper every lesson's step tests use: a fresh
// Exchange for the docroot, what the steps before `first` would have left
// in it (`request`, played by the test: a parsed path, or the head in
// x.buf), the lesson's steps from `first` on, and then, as the spine does,
// the file closed.
struct Served {
    std::int64_t result = -1;   // what stopped the steps: kDone, or a status (500: the list ran out)
    std::string bytes;          // every byte that went to the client
    std::string path;           // x.path at the end
};
struct ServeSetup {
    int lesson;                 // whose list
    const char* first;          // the first step to run
    std::string root;           // cfg.docroot
    std::int64_t docroot_fd = -1;   // cfg.docroot_fd; -1 from lesson 06 on: `root`, opened as open_docroot does
    bool answer_errors = false; // a status is answered with answer_error, as the spine does
};
template <class Request>
Served serve_steps(const ServeSetup& setup, Request&& request) {
    const std::vector<CppStep> steps = cpp_steps_from(setup.lesson, setup.first);
    httpd::Config cfg;
    cfg.docroot = setup.root.c_str();
    httpd::Fd docroot;
    if (setup.docroot_fd >= 0) {
        cfg.docroot_fd = setup.docroot_fd;
    } else if (setup.lesson >= 6) {
        docroot = httpd::Fd(::open(setup.root.c_str(), O_RDONLY | O_DIRECTORY));
        cfg.docroot_fd = docroot.get();
    }
    auto x = std::make_unique<httpd::Exchange>();   // 15 KB: on the heap, where ASan watches it
    Served s;
    s.bytes = capture([&](int sock) {
        httpd::start_exchange(*x, sock, &cfg);
        request(*x);
        s.result = run_cpp_steps(steps, *x);   // 500 if the list runs out, as the spine
        if (setup.answer_errors && s.result != httpd::kDone) httpd::answer_error(*x, static_cast<int>(s.result));
        s.path.assign(x->path, x->path_len);
        x->file.reset();   // the spine closes the file
    });
    return s;
}

// Lesson 04's steps in the spine's order, after lesson 03's steps have
// parsed a GET or HEAD of `path`: what handle_connection does with a
// well-formed request (a status is returned, not answered).
inline Served serve_cpp(const std::string& root, std::string_view path, bool is_head) {
    return serve_steps({4, "step_copy_path", root}, [&](httpd::Exchange& x) {
        x.req.path = path;
        x.req.is_head = is_head;
    });
}

// A temporary docroot with the files the lesson-04 step tests ask for:
//   hello.txt       "hello, world\n"          index.html  "<h1>top</h1>\n"
//   sub/index.html  "<h1>sub</h1>\n"          noindex/    (no index.html)
//   empty.txt       ""                        LOGO.PNG    8 bytes of PNG signature
//   data.bin        every byte value, twice (512 bytes)  -> `binary`
//   big.css         pattern(1000003): more than one send  -> `big`
class Docroot : public TempDir {
public:
    explicit Docroot(const char* tag) : TempDir(tag) {
        for (int i = 0; i < 512; ++i) binary += static_cast<char>(i & 0xff);
        big = pattern(1000003);
        if (path().empty()) return;   // the test's SetUp asserts on path()
        write_file(at("hello.txt"), "hello, world\n");
        write_file(at("index.html"), "<h1>top</h1>\n");
        std::filesystem::create_directory(at("sub"));
        write_file(at("sub/index.html"), "<h1>sub</h1>\n");
        std::filesystem::create_directory(at("noindex"));
        write_file(at("empty.txt"), "");
        write_file(at("LOGO.PNG"), "\x89PNG\r\n\x1a\n");
        write_file(at("data.bin"), binary);
        write_file(at("big.css"), big);
    }
    std::string binary;   // what data.bin holds
    std::string big;      // what big.css holds
};

// A docroot-relative path of exactly `total - docroot.size()` bytes, so that
// docroot + path is `total` bytes long: segments of 100 bytes, so no single
// name is too long for the kernel (NAME_MAX).
inline std::string path_of_length(const std::string& docroot, std::size_t total) {
    std::string p;
    while (p.size() < total - docroot.size()) p += "/" + std::string(99, 'd');
    p.resize(total - docroot.size());
    if (p.back() == '/') p.back() = 'e';
    return p;
}

// A temporary file "f" holding pattern(size), open for reading: the input
// of the body-sender tests.  fd is invalid if anything failed.
struct PatternFile {
    PatternFile(const char* tag, std::size_t size) : dir(tag), content(pattern(size)) {
        write_file(dir.at("f"), content);
        fd = httpd::Fd(::open(dir.at("f").c_str(), O_RDONLY));
    }
    TempDir dir;
    std::string content;
    httpd::Fd fd;
};

// A sparse file of `size` bytes (zeros that take no disk space) with
// `marker` written at offset `at`, open for reading and writing.  Invalid
// if anything failed.
inline httpd::Fd sparse_file(const std::string& path, std::uint64_t size, std::string_view marker = {},
                             std::uint64_t at = 0) {
    httpd::Fd file(::open(path.c_str(), O_RDWR | O_CREAT, 0644));
    if (!file.valid() || ::ftruncate(file.get(), static_cast<off_t>(size)) != 0) return httpd::Fd();
    if (!marker.empty() &&
        ::pwrite(file.get(), marker.data(), marker.size(), static_cast<off_t>(at)) != static_cast<ssize_t>(marker.size())) {
        return httpd::Fd();
    }
    return file;
}

// What arrived at the reading end of a connection: the byte count and the
// last 3 bytes -- enough to check a body of gigabytes without keeping it.
struct Received {
    std::uint64_t total = 0;
    std::string last3;
};

// Run send(sock) on one end of a loopback TCP pair (tcp_pair) while a
// second thread counts what arrives at the other end.
template <class F>
Received count_received(F&& send) {
    Received got;
    int fds[2];
    if (!tcp_pair(fds)) {
        ADD_FAILURE() << "tcp_pair failed";
        return got;
    }
    std::thread reader([&] {
        std::string buf(1 << 20, '\0');
        for (ssize_t n; (n = ::read(fds[1], buf.data(), buf.size())) > 0;) {
            std::size_t chunk = static_cast<std::size_t>(n);
            got.total += chunk;
            got.last3.append(buf, chunk > 3 ? chunk - 3 : 0, chunk > 3 ? 3 : chunk);
            if (got.last3.size() > 3) got.last3.erase(0, got.last3.size() - 3);
        }
    });
    send(fds[0]);
    ::close(fds[0]);   // end of data: the reader sees EOF
    reader.join();
    ::close(fds[1]);
    return got;
}

// Make dir/name a file of mode 000 in a directory anyone may enter: a
// file lesson 04 must refuse with 403.  false if a step failed.
inline bool add_unreadable_file(const TempDir& dir, const std::string& name) {
    write_file(dir.at(name), "secret\n");
    return ::chmod(dir.at(name).c_str(), 0) == 0 && ::chmod(dir.path().c_str(), 0755) == 0;
}

// Run child() in a forked process that is not root (root may read a
// mode-000 file): as root it first becomes nobody (65534, as the fixture
// harness does), and exits with 3 if it cannot.  Returns the child's exit
// status -- child()'s return value -- or -1 if it did not exit normally.
template <class F>
int exit_status_as_nobody(F&& child) {
    pid_t pid = ::fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
        ::_exit(child());
    }
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
}

// One line of lessons/04-files/mime-types.tsv: "ext<TAB>type".
struct MimeEntry {
    std::string line;         // the whole line, for messages
    std::string ext, type;    // before and after the first tab
    bool has_tab = false;
};

// Every entry of the MIME table file (comment and empty lines skipped);
// empty if the file cannot be read.
inline std::vector<MimeEntry> mime_table() {
    std::vector<MimeEntry> entries;
    std::ifstream in(METAL_SOURCE_DIR "/lessons/04-files/mime-types.tsv");
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        MimeEntry e;
        e.line = line;
        std::size_t tab = line.find('\t');
        e.has_tab = tab != std::string::npos;
        e.ext = line.substr(0, tab);
        if (e.has_tab) e.type = line.substr(tab + 1);
        entries.push_back(e);
    }
    return entries;
}

// s with a-z turned into A-Z (what a client may send for an extension).
inline std::string ascii_upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace testsupport
