// tests/asm/00-syscalls_test.cpp -- lesson 00: the assembly helpers against
// their C++ twins, same inputs, same results.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <fcntl.h>
#include <pthread.h>
#include <string>
#include <thread>
#include <unistd.h>

#include "../support/callee_saved.hpp"
#include "../support/support.hpp"
#include "00-syscalls.hpp"
#include "api.h"

TEST(Lesson00Asm, StrLenMatchesCpp) {
    for (const char* s : {"", "a", "GET / HTTP/1.1", "caf\xc3\xa9", "0123456789012345678901234567890123456789"}) {
        EXPECT_EQ(str_len(s), httpd::str_len(s)) << s;
    }
}

TEST(Lesson00Asm, FormatU64MatchesCpp) {
    for (std::uint64_t v : {0ull, 1ull, 9ull, 10ull, 99ull, 100ull, 65535ull, 65536ull, 4294967296ull,
                            5000000000ull, 9999999999999999999ull, 18446744073709551615ull}) {
        char a[20], c[20];
        std::size_t na = format_u64(v, a);
        std::size_t nc = httpd::format_u64(v, c);
        ASSERT_EQ(na, nc) << v;
        EXPECT_EQ(std::string(a, na), std::string(c, nc)) << v;
    }
}

TEST(Lesson00Asm, FormatU64WritesNoMoreThanItReports) {
    char out[24];
    std::fill(std::begin(out), std::end(out), '#');
    EXPECT_EQ(format_u64(42, out + 1), 2u);
    EXPECT_EQ(std::string(out, 5), "#42##");   // nothing before the digits, nothing past them
    EXPECT_EQ(format_u64(18446744073709551615ull, out + 1), 20u);
    EXPECT_EQ(out[0], '#') << "format_u64 wrote before out";
    EXPECT_EQ(out[21], '#') << "format_u64 wrote past its 20 digits";
}

TEST(Lesson00Asm, WriteAllDeliversEveryByte) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    httpd::Fd reader(fds[0]), writer(fds[1]);
    std::string data(50000, '\0');
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
    // 50000 bytes is less than a pipe's buffer (64 KiB): no reader needed.
    ASSERT_EQ(write_all(writer.get(), data.data(), data.size()), 0);
    writer.reset();
    std::string got;
    char buf[4096];
    for (ssize_t n; (n = ::read(reader.get(), buf, sizeof buf)) > 0;) got.append(buf, n);
    EXPECT_EQ(got, data);
}

TEST(Lesson00Asm, WriteAllErrorsMatchCpp) {
    EXPECT_EQ(write_all(-1, "x", 1), httpd::write_all(-1, "x", 1));
    EXPECT_EQ(write_all(-1, "x", 1), -EBADF);
}

TEST(Lesson00Asm, WriteAllOfNothingSucceeds) {
    EXPECT_EQ(write_all(-1, "", 0), 0);   // no bytes: no call, no error
}

// AAPCS64: write_all saves x19..x21 on its stack and gives all 64 bits of
// each back (its frame: lessons/00-syscalls/README.md).
TEST(Lesson00Asm, WriteAllKeepsCalleeSavedRegisters) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    httpd::Fd reader(fds[0]), writer(fds[1]);
    testsupport::CalleeSavedRun r = testsupport::call_checking_callee_saved(&write_all, writer.get(), "abc", 3);
    EXPECT_EQ(r.result, 0);
    EXPECT_EQ(r.problems, "");
    writer.reset();
    EXPECT_EQ(testsupport::read_all(reader.get()), "abc");
}

namespace {

volatile std::sig_atomic_t g_signals = 0;
void count_signal(int) { g_signals = g_signals + 1; }

// write_it(fd, data, len) into a pipe that is full when it starts, while a
// second thread interrupts it with signals (a handler without SA_RESTART):
//   1. nothing fits: each signal ends the blocked write(2) with EINTR;
//   2. the thread reads one page: the write takes 4096 bytes and waits
//      again, and a signal ends it with that short count (POSIX write(2):
//      interrupted after some data was written, it returns the amount);
//   3. the thread reads everything until EOF.
// The result, everything the pipe carried after the first fill, and how
// many signals arrived.  `data` sits at the start of a larger buffer of
// 'Z's, so a writer that reads past its end sends them.
struct Interrupted {
    std::int64_t result = -1;
    std::string got;
    int signals = 0;
};
template <class WriteAll>
Interrupted write_while_interrupted(WriteAll&& write_it, const std::string& data) {
    Interrupted out;
    int fds[2];
    if (::pipe(fds) != 0) return out;
    httpd::Fd reader(fds[0]), writer(fds[1]);
    int flags = ::fcntl(writer.get(), F_GETFL);
    ::fcntl(writer.get(), F_SETFL, flags | O_NONBLOCK);
    std::string page(4096, 'p');
    std::size_t filled = 0;
    while (::write(writer.get(), page.data(), page.size()) == static_cast<ssize_t>(page.size())) filled += page.size();
    ::fcntl(writer.get(), F_SETFL, flags);   // blocking again
    std::string buffer = data + std::string(data.size() * 2, 'Z');
    struct sigaction sa {}, old {};
    sa.sa_handler = count_signal;
    sa.sa_flags = 0;   // no SA_RESTART: an interrupted write returns
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGUSR1, &sa, &old);
    g_signals = 0;
    pthread_t me = ::pthread_self();
    std::string all;
    std::thread helper([&] {
        auto signal_writer = [&] {
            for (int i = 0; i < 3; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(60));
                ::pthread_kill(me, SIGUSR1);
            }
        };
        signal_writer();                          // 1: EINTR
        char buf[4096];
        std::size_t want = sizeof buf;
        while (want > 0) {                        // 2: one page of room
            ssize_t n = ::read(reader.get(), buf, want);
            if (n <= 0) break;
            all.append(buf, static_cast<std::size_t>(n));
            want -= static_cast<std::size_t>(n);
        }
        signal_writer();                          // a short write
        all += testsupport::read_all(reader.get());   // 3: until EOF
    });
    out.result = write_it(writer.get(), buffer.data(), data.size());
    writer.reset();
    helper.join();
    ::sigaction(SIGUSR1, &old, nullptr);
    out.signals = g_signals;
    out.got = all.substr(std::min(filled, all.size()));
    return out;
}

}  // namespace

// Lesson 00's rule for write_all (lessons/00-syscalls/README.md): a short
// write is not an error and EINTR is tried again -- every byte goes out,
// once, and the result is 0.  The C++ twin, the same.
TEST(Lesson00Asm, WriteAllFinishesWhenSignalsInterruptIt) {
    std::string data(100000, '\0');
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 23);
    Interrupted a = write_while_interrupted(
        [](int fd, const char* p, std::size_t n) { return write_all(fd, p, n); }, data);
    EXPECT_EQ(a.result, 0);
    EXPECT_EQ(a.got.size(), data.size());
    EXPECT_TRUE(a.got == data) << "the bytes that came out differ from the bytes given";
    EXPECT_EQ(a.signals, 6);
    Interrupted c = write_while_interrupted(
        [](int fd, const char* p, std::size_t n) { return httpd::write_all(fd, p, n); }, data);
    EXPECT_EQ(c.result, a.result);
    EXPECT_TRUE(c.got == a.got);
}
