// tests/support/files_cases.hpp -- lesson 04's tests that are the same for
// both languages, written once.  Each suite instantiates them with its
// implementation:
//   tests/unit/04-files_test.cpp   the C++ stage, natively, under ASan/UBSan
//   tests/asm/04-files_test.cpp    the assembly stage, on the target
// (the asm suite also compares the two languages with each other, step by
// step: that part lives in its own file).  The expectations come from the
// lesson's rules (lessons/04-files/README.md) and RFC 9110 (§8.6
// Content-Length, §9.3.2 HEAD), never from either implementation.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <fcntl.h>
#include <ostream>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

#include "files_fixture.hpp"
#include "support.hpp"

namespace testsupport {

// One language's lesson-04 stage, as the shared tests call it.
struct FilesImpl {
    const char* name;   // "cpp" or "asm": the instantiation's name
    std::int64_t (*send_file_body)(int sock, int fd, std::uint64_t first, std::uint64_t count);
    std::int64_t (*copy_file_body)(int sock, int fd, std::uint64_t offset, std::uint64_t count);
    // lesson 04's steps for a GET (or HEAD) of path in root (Served: the
    // result that stopped them and every byte sent)
    Served (*serve)(const std::string& root, std::string_view path, bool is_head);
};

inline std::string impl_name(const ::testing::TestParamInfo<FilesImpl>& info) { return info.param.name; }
inline void PrintTo(const FilesImpl& impl, std::ostream* os) { *os << impl.name; }

// ---------------------------------------------------------------------------
// The body senders
// ---------------------------------------------------------------------------
class BodySenders : public ::testing::TestWithParam<FilesImpl> {
protected:
    const FilesImpl& impl() const { return GetParam(); }
    static constexpr const char* kTag = "04-body";
};

TEST_P(BodySenders, SendFileBodySendsEveryByte) {
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{4096}, std::size_t{65537},
                             std::size_t{3 * 1024 * 1024 + 5}}) {
        PatternFile f(kTag, size);
        ASSERT_TRUE(f.fd.valid());
        std::int64_t r = -1;
        std::string got = capture([&](int sock) { r = impl().send_file_body(sock, f.fd.get(), 0, size); });
        EXPECT_EQ(r, 0) << size;
        EXPECT_EQ(got.size(), size);
        EXPECT_TRUE(got == f.content) << "content differs for size " << size;
    }
}

// The body is bytes first .. first + count - 1 of the file; what is not
// there is reported as -EIO after what is there was sent.
TEST_P(BodySenders, SendFileBodyStartsAtFirst) {
    PatternFile f(kTag, 200000);
    ASSERT_TRUE(f.fd.valid());
    struct Case {
        std::uint64_t first, count;
        std::int64_t want;
    };
    for (Case c : {Case{0, 200000, 0}, Case{1, 10, 0}, Case{1000, 150000, 0}, Case{65535, 70000, 0},
                   Case{199999, 1, 0}, Case{150000, 0, 0}, Case{199990, 20, -EIO}, Case{200000, 1, -EIO},
                   Case{300000, 5, -EIO}}) {
        std::int64_t r = 1;
        std::string got = capture([&](int sock) { r = impl().send_file_body(sock, f.fd.get(), c.first, c.count); });
        std::string label = std::to_string(c.first) + "+" + std::to_string(c.count);
        EXPECT_EQ(r, c.want) << label;
        std::size_t from = std::min<std::size_t>(f.content.size(), c.first);
        std::size_t end = std::min<std::size_t>(f.content.size(), c.first + c.count);
        EXPECT_TRUE(got == f.content.substr(from, end - from)) << label;
    }
}

TEST_P(BodySenders, SendFileBodyReportsMinusErrno) {
    std::int64_t r = 0;
    capture([&](int sock) { r = impl().send_file_body(sock, -1, 0, 10); });
    EXPECT_EQ(r, -EBADF);
}

// All 64 bits of the count, cheaply: a 100-byte file announced as 4 GiB +
// 50 bytes.  Correct code sends the 100 bytes and then finds the file too
// short (-EIO); a count cut to 32 bits would send 50 bytes and report 0.
TEST_P(BodySenders, SendFileBodyKeepsAll64BitsOfTheCount) {
    PatternFile f(kTag, 100);
    std::int64_t r = 0;
    std::string got = capture([&](int sock) { r = impl().send_file_body(sock, f.fd.get(), 0, (1ULL << 32) + 50); });
    EXPECT_EQ(r, -EIO);
    EXPECT_EQ(got, f.content);
}

TEST_P(BodySenders, CopyFileBodyStartsAtTheOffset) {
    PatternFile f(kTag, 200000);
    struct Case {
        std::uint64_t offset, count;
        std::int64_t want;
    };
    for (Case c : {Case{0, 200000, 0}, Case{1000, 150000, 0}, Case{65536, 65536, 0}, Case{199990, 20, -EIO},
                   Case{0, 0, 0}}) {
        std::int64_t r = 1;
        std::string got = capture([&](int sock) { r = impl().copy_file_body(sock, f.fd.get(), c.offset, c.count); });
        EXPECT_EQ(r, c.want) << c.offset << "+" << c.count;
        std::size_t end = std::min<std::size_t>(f.content.size(), c.offset + c.count);
        EXPECT_TRUE(got == f.content.substr(c.offset, end - c.offset)) << c.offset << "+" << c.count;
    }
    std::int64_t r = 0;
    capture([&](int sock) { r = impl().copy_file_body(sock, -1, 0, 10); });
    EXPECT_EQ(r, -EBADF);
}

// Offsets past 4 GiB, cheaply: a sparse file with a few bytes at 4.5 GB.
TEST_P(BodySenders, CopyFileBodyReadsPast4GiB) {
    TempDir dir(kTag);
    httpd::Fd file = sparse_file(dir.at("sparse"), 5000000000ULL, "tail!", 4500000000ULL);
    ASSERT_TRUE(file.valid());
    std::int64_t r = -1;
    EXPECT_EQ(capture([&](int sock) { r = impl().copy_file_body(sock, file.get(), 4500000000ULL, 5); }), "tail!");
    EXPECT_EQ(r, 0);
    EXPECT_EQ(capture([&](int sock) { r = impl().send_file_body(sock, file.get(), 4500000000ULL, 5); }), "tail!");
    EXPECT_EQ(r, 0);
}

#ifdef __linux__
// Linux's sendfile refuses an output file opened with O_APPEND (EINVAL):
// the body must still arrive, through copy_file_body.
TEST_P(BodySenders, SendFileBodyFallsBackWhenSendfileRefuses) {
    PatternFile in(kTag, 300000);
    httpd::Fd out(::open(in.dir.at("out").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644));
    ASSERT_TRUE(in.fd.valid() && out.valid());
    EXPECT_EQ(impl().send_file_body(out.get(), in.fd.get(), 0, in.content.size()), 0);
    out.reset();
    EXPECT_TRUE(read_file(in.dir.at("out")) == in.content);
}
#endif

// The real thing: every byte of a sparse file of 4 GiB + 7 bytes (zeros
// and a marker at the end).  It moves 4 GiB through the page cache and
// loopback TCP -- about 10 s natively and under qemu -- so it runs only
// when METAL_BIG_FILE_TESTS is set (make test sets it; =0 skips it).
TEST_P(BodySenders, SendFileBodySendsMoreThan4GiB) {
    if (!big_file_tests_on()) GTEST_SKIP() << "set METAL_BIG_FILE_TESTS=1 to move 4 GiB (make test does)";
    TempDir dir(kTag);
    const std::uint64_t size = (1ULL << 32) + 7;
    httpd::Fd file = sparse_file(dir.at("big"), size, "END", size - 3);
    ASSERT_TRUE(file.valid());
    std::int64_t r = -1;
    Received got = count_received([&](int sock) { r = impl().send_file_body(sock, file.get(), 0, size); });
    EXPECT_EQ(r, 0);
    EXPECT_EQ(got.total, size);
    EXPECT_EQ(got.last3, "END");
}

// ---------------------------------------------------------------------------
// Lesson 04's steps end to end, against the docroot of files_fixture.hpp
// ---------------------------------------------------------------------------
class ServeFiles : public ::testing::TestWithParam<FilesImpl> {
protected:
    void SetUp() override { ASSERT_FALSE(dir.path().empty()); }
    Served serve(std::string_view path, bool is_head = false) { return GetParam().serve(dir.path(), path, is_head); }
    Docroot dir{"04-serve"};
};

TEST_P(ServeFiles, FilesGet200WithExactHeadAndBody) {
    struct Case {
        const char* path;
        std::string type;
        std::string body;
    };
    const Case cases[] = {
        {"/hello.txt", kText, "hello, world\n"},
        {"/", kHtml, "<h1>top</h1>\n"},          // "/" names the docroot: its index.html
        {"/sub/", kHtml, "<h1>sub</h1>\n"},      // ".../" likewise
        {"/empty.txt", kText, ""},               // Content-Length: 0, no body
        {"/LOGO.PNG", "image/png", "\x89PNG\r\n\x1a\n"},   // the extension without regard to case
        {"/data.bin", kOctets, dir.binary},      // every byte value arrives as it is
        {"/big.css", "text/css; charset=utf-8", dir.big},  // more than one send
    };
    for (const Case& c : cases) {
        Served get = serve(c.path);
        EXPECT_EQ(get.result, STEP_DONE) << c.path;
        EXPECT_TRUE(get.bytes == head_200(c.type, c.body.size()) + c.body) << c.path;
        Served head = serve(c.path, true);   // RFC 9110 §9.3.2: the same head, no body
        EXPECT_EQ(head.result, STEP_DONE) << c.path;
        EXPECT_EQ(head.bytes, head_200(c.type, c.body.size())) << c.path;
    }
}

// A step that stops with a status has sent nothing: the spine answers.
TEST_P(ServeFiles, ErrorsStopWithTheirStatusBeforeSendingAnything) {
    ASSERT_EQ(::mkfifo(dir.at("pipe").c_str(), 0644), 0);
    ASSERT_EQ(::symlink("loop", dir.at("loop").c_str()), 0);   // loop -> loop: ELOOP
    struct Case {
        std::string path;
        std::uint64_t want;
    };
    const Case cases[] = {
        {"/nope.txt", 404},
        {"/noindex/", 404},                      // a directory without index.html
        {"/nodir/x.txt", 404},
        {"/hello.txt/x", 404},                   // ENOTDIR: a file used as a directory
        {"/sub", 403},                           // a directory: not a regular file
        {"/pipe", 403},                          // a FIFO: opened without blocking, refused
        {"/loop", 403},                          // a symlink loop
        {"/" + std::string(2000, 'a'), 414},     // longer than the name buffer
        {"/" + std::string(300, 'n'), 414},      // one name longer than NAME_MAX
    };
    ::alarm(60);   // a blocking open of the FIFO would hang here: end the run instead
    for (const Case& c : cases) {
        Served s = serve(c.path);
        EXPECT_EQ(static_cast<std::uint64_t>(s.result), c.want) << c.path.substr(0, 40);
        EXPECT_EQ(s.bytes, "") << c.path.substr(0, 40);
    }
    ::alarm(0);
}

TEST_P(ServeFiles, PathLimitIsDocrootPlusPathPlusNul) {
    auto path_of = [&](std::size_t total) { return path_of_length(dir.path(), total); };
    EXPECT_EQ(serve(path_of(httpd::kPathMax - 1)).result, 404);   // fits: looked up
    EXPECT_EQ(serve(path_of(httpd::kPathMax)).result, 414);       // no room for the NUL
}

// Root may read a mode-000 file, so as root the check runs in a child
// process that first becomes nobody (as the fixture harness does).
TEST_P(ServeFiles, UnreadableFileIs403) {
    ASSERT_TRUE(add_unreadable_file(dir, "secret.txt"));
    int status = exit_status_as_nobody([&] {
        std::int64_t r = serve("/secret.txt").result;
        return r == 403 ? 0 : r == STEP_DONE ? 1 : 2;
    });
    ASSERT_GE(status, 0) << "the child did not exit normally";
    EXPECT_NE(status, 3) << "could not become nobody";
    EXPECT_NE(status, 1) << "a mode-000 file was served";
    EXPECT_EQ(status, 0) << "expected 403";
}

TEST_P(ServeFiles, HugeSparseFileHeadSaysItsFull64BitSize) {
    httpd::Fd file = sparse_file(dir.at("huge.bin"), 5000000000ULL);
    ASSERT_TRUE(file.valid());
    Served s = serve("/huge.bin", true);
    EXPECT_EQ(s.result, STEP_DONE);
    EXPECT_EQ(s.bytes, head_200(kOctets, 5000000000ULL));
}

}  // namespace testsupport
