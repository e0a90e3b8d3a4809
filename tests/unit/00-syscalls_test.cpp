// tests/unit/00-syscalls_test.cpp -- lesson 00's C++ helpers.
#include <gtest/gtest.h>

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <unistd.h>

#include "00-syscalls.hpp"

TEST(Lesson00, StrLenCountsBytesBeforeNul) {
    EXPECT_EQ(httpd::str_len(""), 0u);
    EXPECT_EQ(httpd::str_len("GET"), 3u);
    EXPECT_EQ(httpd::str_len("caf\xc3\xa9"), 5u);   // bytes, not characters
}

TEST(Lesson00, FormatU64Edges) {
    char out[20];
    EXPECT_EQ(std::string(out, httpd::format_u64(0, out)), "0");
    EXPECT_EQ(std::string(out, httpd::format_u64(7, out)), "7");
    EXPECT_EQ(std::string(out, httpd::format_u64(10, out)), "10");
    EXPECT_EQ(std::string(out, httpd::format_u64(65535, out)), "65535");
    EXPECT_EQ(std::string(out, httpd::format_u64(5000000000ull, out)), "5000000000");
    EXPECT_EQ(std::string(out, httpd::format_u64(UINT64_MAX, out)), "18446744073709551615");
}

TEST(Lesson00, WriteAllWritesEverythingThroughAPipe) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    httpd::Fd reader(fds[0]), writer(fds[1]);
    std::string data(3000, 'x');
    EXPECT_EQ(httpd::write_all(writer.get(), data.data(), data.size()), 0);
    writer.reset();
    std::string got(4000, '\0');
    std::size_t total = 0;
    for (ssize_t n; (n = ::read(reader.get(), &got[total], got.size() - total)) > 0;) total += n;
    EXPECT_EQ(total, data.size());
}

TEST(Lesson00, WriteAllReportsMinusErrno) {
    EXPECT_EQ(httpd::write_all(-1, "x", 1), -EBADF);
}

TEST(Lesson00, FdClosesOnScopeExit) {
    int raw = ::open("/", O_RDONLY);
    ASSERT_GE(raw, 0);
    { httpd::Fd owned(raw); }
    EXPECT_EQ(::fcntl(raw, F_GETFD), -1);   // closed: no longer a valid fd
    EXPECT_EQ(errno, EBADF);
}
