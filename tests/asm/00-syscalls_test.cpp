// tests/asm/00-syscalls_test.cpp -- lesson 00: the assembly helpers against
// their C++ twins, same inputs, same results.
#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <unistd.h>

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
    EXPECT_EQ(format_u64(42, out), 2u);
    EXPECT_EQ(std::string(out, 4), "42##");   // nothing past the digits
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
