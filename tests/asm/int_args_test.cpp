// tests/asm/int_args_test.cpp -- every assembly function that takes an
// `int` argument, called with garbage in the upper 32 bits of that
// argument's register, must answer exactly as the clean call does.
//
// Why: the C calling convention (AAPCS64) passes an int in the low 32 bits
// of its x register and leaves the upper 32 bits UNSPECIFIED -- a caller
// may leave anything there.  So an int is read from the w register, or
// sign-extended from it (`sxtw x19, w0`) before it is used as 64 bits
// (lesson 03's rule).  A function that uses the x register directly works
// as long as its callers happen to leave zeros or a sign extension there,
// and breaks (silently, sometimes) with a caller that does not.
//
// How: each function is declared a second time under another C++ name,
// with uint64_t in place of every int, bound by an asm label to the same
// symbol.  Calling that declaration puts all 64 bits of our value in the
// register.  On Darwin C symbols carry a leading underscore, hence
// ASM_SYMBOL.
//
// The same rule for results -- an int RESULT's bits 32-63 are unspecified
// too, so an assembly caller reads w0 or sign-extends it -- is checked by
// `make asm-int-results` (Linux; part of make test): this suite and the
// others again, every int-returning stage function wrapped so that it
// returns garbage in bits 32-63 (tests/tools/dirty-int-results.sh).  The
// spine's own callers (asm/httpd.s) are not linked into the tests; they
// read w0 (the STEP macro's cbnz w0, parse_args' tbnz w0, #31).
#include <gtest/gtest.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "../support/asm_exchange.hpp"
#include "../support/files_fixture.hpp"
#include "../support/support.hpp"
#include "01-socket.hpp"
#include "03-parse.hpp"
#include "api.h"
#include "exchange.hpp"

#ifdef __APPLE__
#define ASM_SYMBOL(name) "_" #name
#else
#define ASM_SYMBOL(name) #name
#endif

// The same functions, every int argument widened to uint64_t.
extern "C" {
int64_t write_all_u64(uint64_t fd, const void* buf, size_t len) __asm__(ASM_SYMBOL(write_all));
int parse_args_u64(uint64_t argc, char** argv, struct config* cfg) __asm__(ASM_SYMBOL(parse_args));
int64_t write_str_u64(uint64_t fd, const char* s) __asm__(ASM_SYMBOL(write_str));
const char* reason_phrase_u64(uint64_t status) __asm__(ASM_SYMBOL(reason_phrase));
size_t head_start_u64(char* out, uint64_t status) __asm__(ASM_SYMBOL(head_start));
size_t head_start_body_u64(char* out, uint64_t status, const char* type, uint64_t length)
    __asm__(ASM_SYMBOL(head_start_body));
int64_t send_hello_u64(uint64_t fd) __asm__(ASM_SYMBOL(send_hello));
int64_t open_listener_u64(uint64_t port) __asm__(ASM_SYMBOL(open_listener));
int listening_port_u64(uint64_t fd) __asm__(ASM_SYMBOL(listening_port));
int64_t say_listening_u64(uint64_t port) __asm__(ASM_SYMBOL(say_listening));
int64_t say_listen_error_u64(uint64_t port, int64_t err) __asm__(ASM_SYMBOL(say_listen_error));
int64_t accept_client_u64(uint64_t listener) __asm__(ASM_SYMBOL(accept_client));
int64_t ignore_signal_u64(uint64_t sig) __asm__(ASM_SYMBOL(ignore_signal));
void start_exchange_u64(struct exchange* x, uint64_t sock, const struct config* cfg)
    __asm__(ASM_SYMBOL(start_exchange));
int64_t fork_connection_u64(uint64_t listener, uint64_t conn, connection_handler handler, const struct config* cfg)
    __asm__(ASM_SYMBOL(fork_connection));
int64_t read_request_head_u64(uint64_t fd, char* buf, size_t cap, uint64_t* got)
    __asm__(ASM_SYMBOL(read_request_head));
size_t find_byte_u64(const char* p, size_t len, uint64_t c) __asm__(ASM_SYMBOL(find_byte));
int char_in_class_u64(uint64_t c, const char* symbols) __asm__(ASM_SYMBOL(char_in_class));
int is_tchar_u64(uint64_t c) __asm__(ASM_SYMBOL(is_tchar));
int is_host_char_u64(uint64_t c) __asm__(ASM_SYMBOL(is_host_char));
int method_status_u64(uint64_t method_id) __asm__(ASM_SYMBOL(method_status));
int64_t send_error_u64(uint64_t fd, uint64_t status, uint64_t is_head, const char* extra, size_t extra_len)
    __asm__(ASM_SYMBOL(send_error));
int64_t send_echo_u64(uint64_t fd, const struct request* req) __asm__(ASM_SYMBOL(send_echo));
void answer_error_u64(struct exchange* x, uint64_t status) __asm__(ASM_SYMBOL(answer_error));
int errno_to_status_u64(uint64_t err) __asm__(ASM_SYMBOL(errno_to_status));
int64_t copy_file_body_u64(uint64_t sock, uint64_t file_fd, uint64_t offset, uint64_t count)
    __asm__(ASM_SYMBOL(copy_file_body));
int64_t send_file_body_u64(uint64_t sock, uint64_t file_fd, uint64_t first, uint64_t count)
    __asm__(ASM_SYMBOL(send_file_body));
int hex_value_u64(uint64_t c) __asm__(ASM_SYMBOL(hex_value));
int open_failure_status_u64(uint64_t dirfd, const char* name, uint64_t err) __asm__(ASM_SYMBOL(open_failure_status));
int64_t open_beneath_u64(uint64_t dirfd, const char* path, size_t len) __asm__(ASM_SYMBOL(open_beneath));
int64_t dir_start_u64(struct dir_reader* r, uint64_t fd) __asm__(ASM_SYMBOL(dir_start));
int64_t count_entries_u64(uint64_t dir_fd, uint64_t* name_bytes) __asm__(ASM_SYMBOL(count_entries));
int64_t read_entries_u64(uint64_t dir_fd, struct dir_entry* entries, size_t max, char* names, size_t names_cap)
    __asm__(ASM_SYMBOL(read_entries));
void out_start_u64(struct listing_out* o, uint64_t sock) __asm__(ASM_SYMBOL(out_start));
int64_t child_slot_u64(const int32_t* pids, uint64_t slots, uint64_t pid) __asm__(ASM_SYMBOL(child_slot));
void track_child_u64(int32_t* pids, uint64_t slots, uint64_t pid) __asm__(ASM_SYMBOL(track_child));
}

namespace {

using testsupport::capture;
using testsupport::output_of;

// What a careless caller may leave in the upper half: garbage, all ones
// (a negative number's sign extension -- garbage for a positive one),
// zeros (garbage for a negative one), a lone bit at either end.
constexpr std::uint32_t kUpperHalves[] = {0xdeadbeefu, 0xffffffffu, 0x00000000u, 0x00000001u, 0x80000000u};

// v in the low 32 bits, `upper` above them.
std::uint64_t dirty(int v, std::uint32_t upper) {
    return (std::uint64_t{upper} << 32) | static_cast<std::uint32_t>(v);
}

// A pipe's read end after fn(write end) has written (little: it must fit).
template <class F>
std::string through_pipe(F&& fn) {
    int fds[2];
    if (::pipe(fds) != 0) return "<pipe failed>";
    fn(fds[1]);
    ::close(fds[1]);
    std::string got = testsupport::read_all(fds[0]);
    ::close(fds[0]);
    return got;
}

// The handler fork_connection's children run (C calling convention).
extern "C" void answer_conn_c(int conn, const struct config* cfg) {
    httpd::write_str(conn, "docroot=");
    httpd::write_str(conn, cfg->docroot);
}

}  // namespace

// ---------------------------------------------------------------------------
// lesson 00
// ---------------------------------------------------------------------------
TEST(IntArgs, WriteAll) {
    for (std::uint32_t up : kUpperHalves) {
        std::string got = through_pipe([&](int fd) { EXPECT_EQ(write_all_u64(dirty(fd, up), "abc", 3), 0) << up; });
        EXPECT_EQ(got, "abc") << std::hex << up;
        EXPECT_EQ(write_all_u64(dirty(-1, up), "x", 1), write_all(-1, "x", 1)) << std::hex << up;
    }
}

// ---------------------------------------------------------------------------
// lesson 01
// ---------------------------------------------------------------------------
TEST(IntArgs, ParseArgs) {
    char prog[] = "httpd", port[] = "81", root[] = "/srv", extra[] = "x";
    char* argv[] = {prog, port, root, extra, nullptr};
    for (int argc = 1; argc <= 4; ++argc) {
        struct config clean {}, cfg {};
        int want = 0;
        std::string want_err = output_of(2, [&] { want = parse_args(argc, argv, &clean); });
        for (std::uint32_t up : kUpperHalves) {
            int got = 0;
            std::string err = output_of(2, [&] { got = parse_args_u64(dirty(argc, up), argv, &cfg); });
            EXPECT_EQ(got, want) << argc << " " << std::hex << up;
            EXPECT_EQ(err, want_err) << argc << " " << std::hex << up;
            if (want == 0) {
                EXPECT_EQ(cfg.port, clean.port);
                EXPECT_STREQ(cfg.docroot, clean.docroot);
            }
        }
    }
}

TEST(IntArgs, WriteStr) {
    for (std::uint32_t up : kUpperHalves) {
        EXPECT_EQ(through_pipe([&](int fd) { EXPECT_EQ(write_str_u64(dirty(fd, up), "hello"), 0); }), "hello");
        EXPECT_EQ(write_str_u64(dirty(-1, up), "x"), -EBADF);
    }
}

TEST(IntArgs, ReasonPhraseAndHeadStart) {
    for (int status : {200, 404, 431, 505, 0, 299, -1, INT_MIN, 65536 + 200}) {
        char clean[HEAD_MAX], got[HEAD_MAX], clean_body[HEAD_MAX], got_body[HEAD_MAX];
        std::size_t clean_len = head_start(clean, status);
        std::size_t clean_body_len = head_start_body(clean_body, status, "text/plain", 42);
        for (std::uint32_t up : kUpperHalves) {
            std::string label = std::to_string(status) + " upper " + std::to_string(up);
            EXPECT_EQ(reason_phrase_u64(dirty(status, up)), reason_phrase(status)) << label;
            std::size_t len = head_start_u64(got, dirty(status, up));
            EXPECT_EQ(std::string(got, len), std::string(clean, clean_len)) << label;
            len = head_start_body_u64(got_body, dirty(status, up), "text/plain", 42);
            EXPECT_EQ(std::string(got_body, len), std::string(clean_body, clean_body_len)) << label;
        }
        EXPECT_EQ(std::string(clean, clean_len), [&] {   // and the clean call is the C++'s
            char c[HEAD_MAX];
            return std::string(c, httpd::head_start(c, status));
        }()) << status;
    }
}

TEST(IntArgs, SendHello) {
    std::string want = capture([](int fd) { send_hello(fd); });
    for (std::uint32_t up : kUpperHalves) {
        EXPECT_EQ(capture([&](int fd) { EXPECT_EQ(send_hello_u64(dirty(fd, up)), 0); }), want) << std::hex << up;
    }
}

TEST(IntArgs, OpenListenerListeningPortAcceptClient) {
    for (std::uint32_t up : kUpperHalves) {
        std::int64_t fd = open_listener_u64(dirty(0, up));   // port 0: any free port
        ASSERT_GE(fd, 0) << std::hex << up;
        httpd::Fd listener(static_cast<int>(fd));
        int port = listening_port(listener.get());
        ASSERT_GT(port, 0);
        EXPECT_EQ(listening_port_u64(dirty(listener.get(), up)), port) << std::hex << up;
        EXPECT_EQ(listening_port_u64(dirty(-1, up)), listening_port(-1)) << std::hex << up;
        // the port is taken now: the same -EADDRINUSE as the clean call
        EXPECT_EQ(open_listener_u64(dirty(port, up)), -EADDRINUSE) << std::hex << up;
        httpd::Fd client(testsupport::connect_to(port));
        ASSERT_TRUE(client.valid());
        std::int64_t conn = accept_client_u64(dirty(listener.get(), up));
        EXPECT_GE(conn, 0) << std::hex << up;
        if (conn >= 0) ::close(static_cast<int>(conn));
        EXPECT_EQ(accept_client_u64(dirty(-1, up)), accept_client(-1)) << std::hex << up;
    }
}

TEST(IntArgs, SayListeningAndSayListenError) {
    for (int port : {8080, 0, 65535, -1, INT_MIN}) {
        std::string want = output_of(1, [&] { say_listening(port); });
        EXPECT_EQ(want, output_of(1, [&] { httpd::say_listening(port); })) << port;   // the C++ twin's line
        std::string want_err = output_of(2, [&] { say_listen_error(port, -EACCES); });
        EXPECT_EQ(want_err, output_of(2, [&] { httpd::say_listen_error(port, -EACCES); })) << port;
        for (std::uint32_t up : kUpperHalves) {
            EXPECT_EQ(output_of(1, [&] { say_listening_u64(dirty(port, up)); }), want) << port << " " << std::hex << up;
            EXPECT_EQ(output_of(2, [&] { say_listen_error_u64(dirty(port, up), -EACCES); }), want_err)
                << port << " " << std::hex << up;
        }
    }
}

TEST(IntArgs, IgnoreSignal) {
    struct sigaction old {};
    ASSERT_EQ(::sigaction(SIGPIPE, nullptr, &old), 0);
    for (std::uint32_t up : kUpperHalves) {
        EXPECT_EQ(ignore_signal_u64(dirty(SIGPIPE, up)), 0) << std::hex << up;
        EXPECT_EQ(ignore_signal_u64(dirty(SIGKILL, up)), ignore_signal(SIGKILL)) << std::hex << up;
    }
    ::sigaction(SIGPIPE, &old, nullptr);
}

TEST(IntArgs, StartExchange) {
    for (int sock : {5, 0, -1, INT_MAX, INT_MIN}) {
        testsupport::Records clean;
        start_exchange(clean.a.get(), sock, &clean.acfg);
        EXPECT_EQ(clean.a->sock, static_cast<std::int64_t>(sock)) << sock;   // the C++: an int widened to int64_t
        for (std::uint32_t up : kUpperHalves) {
            testsupport::Records r;
            start_exchange_u64(r.a.get(), dirty(sock, up), &r.acfg);
            EXPECT_EQ(r.a->sock, clean.a->sock) << sock << " " << std::hex << up;
            EXPECT_EQ(r.a->cfg, &r.acfg);
            EXPECT_TRUE(std::memcmp(reinterpret_cast<char*>(r.a.get()) + X_STATUS,
                                    reinterpret_cast<char*>(clean.a.get()) + X_STATUS, X_EXTRA - X_STATUS) == 0)
                << sock << " " << std::hex << up;   // every other scalar field
        }
    }
}

// ---------------------------------------------------------------------------
// lesson 02
// ---------------------------------------------------------------------------
TEST(IntArgs, ForkConnection) {
    struct config cfg {0, "/dirty", -1, 0, nullptr, -1, nullptr, nullptr, DEADLINE_DEFAULT, CHILD_LIMIT_DEFAULT};
    for (std::uint32_t up : {0xdeadbeefu, 0x80000000u}) {
        httpd::Fd listener(static_cast<int>(httpd::open_listener(0)));
        int port = httpd::listening_port(listener.get());
        httpd::Fd client(testsupport::connect_to(port));
        int conn = static_cast<int>(httpd::accept_client(listener.get()));
        ASSERT_TRUE(client.valid() && conn >= 0);
        std::int64_t pid = fork_connection_u64(dirty(listener.get(), up), dirty(conn, up), answer_conn_c, &cfg);
        ASSERT_GT(pid, 0) << std::hex << up;
        errno = 0;
        EXPECT_TRUE(::fcntl(conn, F_GETFD) == -1 && errno == EBADF) << "the parent's copy is still open";
        EXPECT_EQ(testsupport::read_all(client.get()), "docroot=/dirty") << std::hex << up;
        int status = 0;
        ASSERT_EQ(::waitpid(static_cast<pid_t>(pid), &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        httpd::Fd second(testsupport::connect_to(port));   // the listener is still ours
        EXPECT_TRUE(second.valid());
    }
}

// ---------------------------------------------------------------------------
// lesson 03
// ---------------------------------------------------------------------------
TEST(IntArgs, ReadRequestHead) {
    const std::string head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    for (std::uint32_t up : kUpperHalves) {
        testsupport::SocketPair p;
        ASSERT_EQ(httpd::write_all(p.client(), head.data(), head.size()), 0);
        char buf[REQ_HEAD_MAX];
        std::uint64_t got = 0, got_clean = 0;
        EXPECT_EQ(read_request_head_u64(dirty(p.server(), up), buf, sizeof buf, &got),
                  static_cast<std::int64_t>(head.size()))
            << std::hex << up;
        EXPECT_EQ(got, head.size()) << std::hex << up;
        got = 0;   // *got is also an input: the bytes already in buf
        EXPECT_EQ(read_request_head_u64(dirty(-1, up), buf, sizeof buf, &got),
                  read_request_head(-1, buf, sizeof buf, &got_clean));
        EXPECT_EQ(got, got_clean) << std::hex << up;
    }
}

TEST(IntArgs, FindByteAndCharacterClasses) {
    const std::string s = "abc?def";
    for (std::uint32_t up : kUpperHalves) {
        for (int c : {int{'?'}, int{'z'}, int{'a'}, 0, 0xff, -1}) {
            EXPECT_EQ(find_byte_u64(s.data(), s.size(), dirty(c, up)), find_byte(s.data(), s.size(), c))
                << c << " " << std::hex << up;
        }
        for (int c = -2; c < 300; ++c) {
            ASSERT_EQ(is_tchar_u64(dirty(c, up)), is_tchar(c)) << c << " " << std::hex << up;
            ASSERT_EQ(is_host_char_u64(dirty(c, up)), is_host_char(c)) << c << " " << std::hex << up;
            ASSERT_EQ(char_in_class_u64(dirty(c, up), "!-"), char_in_class(c, "!-")) << c << " " << std::hex << up;
        }
    }
}

TEST(IntArgs, MethodStatus) {
    for (std::uint32_t up : kUpperHalves) {
        for (int id = -2; id <= testsupport::kMethodLast + 2; ++id) {
            EXPECT_EQ(method_status_u64(dirty(id, up)), method_status(id)) << id << " " << std::hex << up;
        }
    }
}

TEST(IntArgs, SendError) {
    const std::string extra = "Allow: GET, HEAD\r\n";
    for (int status : {400, 405, 505, 0, -1, INT_MIN}) {
        for (int is_head : {0, 1}) {
            std::int64_t sent = -1;   // the body bytes (lesson 10's access log)
            std::string want = capture([&](int fd) { sent = send_error(fd, status, is_head, extra.data(), extra.size()); });
            std::string cpp = capture([&](int fd) { httpd::send_error(fd, status, is_head != 0, extra); });
            EXPECT_EQ(want, cpp) << status << " " << is_head;   // the clean call is the C++'s
            for (std::uint32_t up : kUpperHalves) {
                std::string got = capture([&](int fd) {
                    EXPECT_EQ(send_error_u64(dirty(fd, up), dirty(status, up), dirty(is_head, up), extra.data(),
                                             extra.size()),
                              sent);
                });
                EXPECT_EQ(got, want) << status << " " << is_head << " " << std::hex << up;
            }
        }
    }
}

TEST(IntArgs, SendEcho) {
    const std::string head = "GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n";
    struct request req;
    ASSERT_EQ(parse_request(head.data(), head.size(), &req), 0);
    std::string want = capture([&](int fd) { send_echo(fd, &req); });
    for (std::uint32_t up : kUpperHalves) {
        EXPECT_EQ(capture([&](int fd) { EXPECT_EQ(send_echo_u64(dirty(fd, up), &req), 0); }), want) << std::hex << up;
    }
}

TEST(IntArgs, AnswerError) {
    for (int status : {404, 501, -1, INT_MIN}) {
        testsupport::Records clean;
        std::string want = testsupport::on_socket("", [&](int) {
            answer_error(clean.a.get(), status);
            return 0;
        }).wrote;
        // as the C++ casts it: sign-extended
        EXPECT_EQ(clean.a->status, static_cast<std::uint64_t>(static_cast<std::int64_t>(status))) << status;
        for (std::uint32_t up : kUpperHalves) {
            testsupport::Records r;
            std::string got = testsupport::on_socket("", [&](int) {
                answer_error_u64(r.a.get(), dirty(status, up));
                return 0;
            }).wrote;
            EXPECT_EQ(got, want) << status << " " << std::hex << up;
            EXPECT_EQ(r.a->status, clean.a->status) << status << " " << std::hex << up;
        }
    }
}

// ---------------------------------------------------------------------------
// lesson 04
// ---------------------------------------------------------------------------
TEST(IntArgs, ErrnoToStatus) {
    for (std::uint32_t up : kUpperHalves) {
        for (int err = -1; err < 150; ++err) {
            ASSERT_EQ(errno_to_status_u64(dirty(err, up)), errno_to_status(err)) << err << " " << std::hex << up;
        }
    }
}

TEST(IntArgs, CopyFileBodyAndSendFileBody) {
    testsupport::PatternFile f("int-args", 70000);
    ASSERT_TRUE(f.fd.valid());
    for (std::uint32_t up : kUpperHalves) {
        std::int64_t r = 1;
        std::string got =
            capture([&](int sock) { r = copy_file_body_u64(dirty(sock, up), dirty(f.fd.get(), up), 5, 69000); });
        EXPECT_EQ(r, 0) << std::hex << up;
        EXPECT_TRUE(got == f.content.substr(5, 69000)) << std::hex << up;
        got = capture([&](int sock) { r = send_file_body_u64(dirty(sock, up), dirty(f.fd.get(), up), 7, 69000); });
        EXPECT_EQ(r, 0) << std::hex << up;
        EXPECT_TRUE(got == f.content.substr(7, 69000)) << std::hex << up;
        capture([&](int sock) { r = send_file_body_u64(dirty(sock, up), dirty(-1, up), 0, 10); });
        EXPECT_EQ(r, -EBADF) << std::hex << up;
        capture([&](int sock) { r = copy_file_body_u64(dirty(sock, up), dirty(-1, up), 0, 10); });
        EXPECT_EQ(r, -EBADF) << std::hex << up;
    }
}

// ---------------------------------------------------------------------------
// lesson 05
// ---------------------------------------------------------------------------
TEST(IntArgs, HexValue) {
    for (std::uint32_t up : kUpperHalves) {
        for (int c : {-1, 0, int{'0'}, int{'9'}, int{'A'}, int{'F'}, int{'a'}, int{'f'}, int{'g'}, int{'/'}, 0x141, 255,
                      256 + 'a'}) {
            ASSERT_EQ(hex_value_u64(dirty(c, up)), hex_value(c)) << c << " " << std::hex << up;
        }
    }
}

// ---------------------------------------------------------------------------
// lesson 06
// ---------------------------------------------------------------------------
TEST(IntArgs, OpenFailureStatusAndOpenBeneath) {
    testsupport::TempDir dir("06-int");
    ASSERT_FALSE(dir.path().empty());
    testsupport::write_file(dir.at("f.txt"), "f\n");
    ASSERT_EQ(::symlink("f.txt", dir.at("link").c_str()), 0);
    httpd::Fd root(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY));
    ASSERT_TRUE(root.valid());
    const std::string path = "/f.txt";
    for (std::uint32_t up : kUpperHalves) {
        EXPECT_EQ(open_failure_status_u64(dirty(root.get(), up), "link", dirty(ENOTDIR, up)), 403) << std::hex << up;
        EXPECT_EQ(open_failure_status_u64(dirty(root.get(), up), "f.txt", dirty(ENOTDIR, up)), 404) << std::hex << up;
        EXPECT_EQ(open_failure_status_u64(dirty(root.get(), up), "f.txt", dirty(ELOOP, up)), 403) << std::hex << up;
        std::int64_t fd = open_beneath_u64(dirty(root.get(), up), path.data(), path.size());
        ASSERT_GE(fd, 0) << std::hex << up;
        ::close(static_cast<int>(fd));
        EXPECT_EQ(open_beneath_u64(dirty(root.get(), up), "/link", 5), -403) << std::hex << up;
        EXPECT_EQ(open_beneath_u64(dirty(-1, up), path.data(), path.size()), -500) << std::hex << up;   // EBADF
    }
}

// ---------------------------------------------------------------------------
// lesson 08
// ---------------------------------------------------------------------------
TEST(IntArgs, DirStartCountEntriesReadEntries) {
    testsupport::TempDir dir("int-args");
    for (const char* n : {"a", "bb", "ccc"}) testsupport::write_file(dir.at(n), "x");
    httpd::Fd fd(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY));
    ASSERT_TRUE(fd.valid());
    auto r = std::make_unique<struct dir_reader>();
    for (std::uint32_t up : kUpperHalves) {
        EXPECT_EQ(dir_start_u64(r.get(), dirty(fd.get(), up)), 0) << std::hex << up;
        EXPECT_EQ(r->fd, fd.get()) << std::hex << up;
        EXPECT_EQ(dir_start_u64(r.get(), dirty(-1, up)), -EBADF) << std::hex << up;
        std::uint64_t bytes = 0;
        EXPECT_EQ(count_entries_u64(dirty(fd.get(), up), &bytes), 3) << std::hex << up;
        EXPECT_EQ(bytes, 6u) << std::hex << up;
        EXPECT_EQ(count_entries_u64(dirty(-1, up), &bytes), -EBADF) << std::hex << up;
        struct dir_entry e[3];
        char names[6];
        EXPECT_EQ(read_entries_u64(dirty(fd.get(), up), e, 3, names, sizeof names), 3) << std::hex << up;
        EXPECT_EQ(read_entries_u64(dirty(-1, up), e, 3, names, sizeof names), -EBADF) << std::hex << up;
    }
}

TEST(IntArgs, OutStart) {
    auto o = std::make_unique<struct listing_out>();
    for (std::uint32_t up : kUpperHalves) {
        for (int sock : {-1, 5, 77}) {
            o->len = o->total = 99;
            out_start_u64(o.get(), dirty(sock, up));
            EXPECT_EQ(o->sock, sock) << std::hex << up;   // sign-extended: -1 stays -1
            EXPECT_EQ(o->len, 0u);
            EXPECT_EQ(o->total, 0u);
        }
    }
}

// ---------------------------------------------------------------------------
// lesson 10: the table of the children's pids (int32 pids)
// ---------------------------------------------------------------------------
TEST(IntArgs, ChildSlotAndTrackChild) {
    for (std::uint32_t up : kUpperHalves) {
        std::int32_t pids[3] = {0, -5, 0};
        ASSERT_EQ(child_slot_u64(pids, 3, dirty(-5, up)), child_slot(pids, 3, -5)) << std::hex << up;
        ASSERT_EQ(child_slot_u64(pids, 3, dirty(0, up)), 0) << std::hex << up;
        track_child_u64(pids, 3, dirty(4242, up));
        ASSERT_EQ(pids[0], 4242) << std::hex << up;               // only the low 32 bits are the pid
        ASSERT_EQ(pids[2], 0) << std::hex << up;
    }
}
