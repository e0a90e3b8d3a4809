// tests/asm/04-files_test.cpp -- lesson 04: the assembly stage against its
// C++ twin (same inputs, same results), and both against the lesson's
// rules (lessons/04-files/README.md, lessons/04-files/mime-types.tsv) and
// RFC 9110 (200 head = HEAD head, §9.3.2; Content-Length, §8.6).
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "../support/files_fixture.hpp"
#include "../support/support.hpp"
#include "04-files.hpp"
#include "api.h"

namespace {

using testsupport::capture;
using testsupport::head_200;
using testsupport::kHtml;
using testsupport::kOctets;
using testsupport::kText;
using testsupport::PatternFile;
using testsupport::Served;

// What this file's temporary directories are called (/tmp/metal-04-asm-*).
constexpr const char* kTag = "04-asm";

// The assembly serve_file, its output captured from a socketpair.
Served serve_asm(const std::string& root, const std::string& path, bool is_head) {
    Served s{};
    s.bytes = capture([&](int sock) {
        s.result = serve_file(sock, root.c_str(), path.data(), path.size(), is_head ? 1 : 0);
    });
    return s;
}

// Both mime_types for the same bytes.
std::string asm_mime(std::string_view path) { return mime_type(path.data(), path.size()); }
std::string cpp_mime(std::string_view path) { return httpd::mime_type(path); }

}  // namespace

// ---------------------------------------------------------------------------
// mime_type
// ---------------------------------------------------------------------------
TEST(Lesson04Asm, MimeTypeMatchesCppAndTheRule) {
    struct Case {
        const char* path;
        const char* type;
    };
    const Case cases[] = {
        {"/index.html", "text/html; charset=utf-8"},
        {"/IMG.PNG", "image/png"},
        {"/a.JpEg", "image/jpeg"},
        {"/f.WOFF2", "font/woff2"},
        {"/archive.tar.gz", "application/gzip"},
        {"/jquery.min.js", "text/javascript; charset=utf-8"},
        {"/site.d/page.html", "text/html; charset=utf-8"},
        {"/.config.json", "application/json"},
        {"/notes.html.txt", "text/plain; charset=utf-8"},
        {"/README", "application/octet-stream"},
        {"/", "application/octet-stream"},
        {"", "application/octet-stream"},
        {"Makefile", "application/octet-stream"},
        {"/file.", "application/octet-stream"},
        {"/.hidden", "application/octet-stream"},
        {"/dir/.htaccess", "application/octet-stream"},
        {"/.html", "application/octet-stream"},
        {"/.", "application/octet-stream"},
        {"/v1.2/README", "application/octet-stream"},
        {"/a.png/", "application/octet-stream"},
        {"/a.png/b", "application/octet-stream"},
        {"/f.xyz", "application/octet-stream"},
        {"/f.htmlx", "application/octet-stream"},
        {"/f.ht", "application/octet-stream"},
        {"/f.h", "application/octet-stream"},
        {"/f.[ng", "application/octet-stream"},   // '[' is 'Z' + 1: not a letter to lower
        {"/f.@NG", "application/octet-stream"},   // '@' is 'A' - 1
    };
    for (const Case& c : cases) {
        EXPECT_EQ(asm_mime(c.path), c.type) << c.path;
        EXPECT_EQ(asm_mime(c.path), cpp_mime(c.path)) << c.path;
    }
}

TEST(Lesson04Asm, MimeTypeReadsOnlyLenBytes) {
    EXPECT_EQ(asm_mime(std::string_view("/a.css.png", 6)), "text/css; charset=utf-8");
    EXPECT_EQ(asm_mime(std::string_view("/a.png", 3)), kOctets);
    EXPECT_EQ(asm_mime(std::string_view("/a.png", 0)), kOctets);
}

// Every line of the table file, in lower and upper case, through both.
TEST(Lesson04Asm, MimeTypeFindsEveryTableEntry) {
    const std::vector<testsupport::MimeEntry> table = testsupport::mime_table();
    ASSERT_FALSE(table.empty()) << "cannot read lessons/04-files/mime-types.tsv";
    int entries = 0;
    for (const auto& [line, ext, type, has_tab] : table) {
        ASSERT_TRUE(has_tab) << line;
        std::string upper = testsupport::ascii_upper(ext);
        EXPECT_EQ(asm_mime("/f." + ext), type) << ext;
        EXPECT_EQ(asm_mime("/d.x/F." + upper), type) << upper;
        EXPECT_EQ(cpp_mime("/f." + ext), type) << ext;
        EXPECT_EQ(asm_mime("/f." + ext + "~"), kOctets) << ext;   // one byte more: not the entry
        ++entries;
    }
    EXPECT_GE(entries, 50);
}

// ---------------------------------------------------------------------------
// errno_to_status
// ---------------------------------------------------------------------------
TEST(Lesson04Asm, ErrnoToStatusFollowsTheTable) {
    EXPECT_EQ(errno_to_status(ENOENT), 404);
    EXPECT_EQ(errno_to_status(ENOTDIR), 404);
    EXPECT_EQ(errno_to_status(EACCES), 403);
    EXPECT_EQ(errno_to_status(EPERM), 403);
    EXPECT_EQ(errno_to_status(ELOOP), 403);
    EXPECT_EQ(errno_to_status(ENAMETOOLONG), 414);
    for (int other : {EIO, EMFILE, ENFILE, ENOMEM, EISDIR, EINVAL, EOVERFLOW, EAGAIN, EBADF}) {
        EXPECT_EQ(errno_to_status(other), 500) << other;
    }
}

TEST(Lesson04Asm, ErrnoToStatusMatchesCppForEveryErrno) {
    for (int err = 0; err < 200; ++err) EXPECT_EQ(errno_to_status(err), httpd::errno_to_status(err)) << err;
}

// ---------------------------------------------------------------------------
// map_path
// ---------------------------------------------------------------------------
TEST(Lesson04Asm, MapPathMatchesCpp) {
    struct Case {
        const char* docroot;
        std::string path;
        std::size_t cap;
        std::int64_t want;   // from the rule: length, or -414
    };
    const Case cases[] = {
        {"/srv/www", "/a.txt", 64, 14},
        {".", "/docs/x.html", 64, 13},
        {"/srv/www", "/docs", 64, 13},
        {"/srv/www", "/", 64, 19},
        {"/srv/www", "/docs/", 64, 24},
        {"/r", "/abcdefghijkl", 16, 15},     // + NUL = 16: fits exactly
        {"/r", "/abcdefghijklm", 16, -414},  // one more: no room for the NUL
        {"/r", "/abcd/", 19, 18},            // index.html counts
        {"/r", "/abcd/", 18, -414},
        {"/r", "/", 0, -414},
        {"", "/x", 3, 2},
        {"/r", "", 8, 2},                    // never from the parser: the docroot itself
        {"/r", std::string(40, 'a'), 32, -414},   // path alone longer than cap
    };
    for (const Case& c : cases) {
        char a[80], b[80];
        std::memset(a, '#', sizeof a);
        std::memset(b, '#', sizeof b);
        std::int64_t ra = map_path(c.docroot, c.path.data(), c.path.size(), a, c.cap);
        std::int64_t rb = httpd::map_path(c.docroot, c.path, b, c.cap);
        EXPECT_EQ(ra, c.want) << c.docroot << c.path << " cap " << c.cap;
        EXPECT_EQ(ra, rb) << c.docroot << c.path;
        if (ra >= 0) {
            EXPECT_EQ(std::string(a, static_cast<std::size_t>(ra) + 1), std::string(b, static_cast<std::size_t>(rb) + 1));
            EXPECT_EQ(a[ra], '\0');
        }
        for (std::size_t i = c.cap; i < sizeof a; ++i) EXPECT_EQ(a[i], '#') << "wrote past cap at " << i;
    }
}

TEST(Lesson04Asm, MapPathUsesOnlyPathLenBytes) {
    char out[32];
    EXPECT_EQ(map_path("/r", "/a.txt?x=1", 6, out, sizeof out), 8);
    EXPECT_STREQ(out, "/r/a.txt");
    EXPECT_EQ(map_path("/r", "/d/?x=1", 3, out, sizeof out), 15);
    EXPECT_STREQ(out, "/r/d/index.html");
}

// ---------------------------------------------------------------------------
// copy_file_body and send_file_body
// ---------------------------------------------------------------------------
TEST(Lesson04Asm, SendFileBodySendsEveryByte) {
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{4096}, std::size_t{65537},
                             std::size_t{3 * 1024 * 1024 + 5}}) {
        PatternFile f(kTag, size);
        ASSERT_TRUE(f.fd.valid());
        std::int64_t r = -1;
        std::string got = capture([&](int sock) { r = send_file_body(sock, f.fd.get(), size); });
        EXPECT_EQ(r, 0) << size;
        EXPECT_EQ(got.size(), size);
        EXPECT_TRUE(got == f.content) << "content differs for size " << size;
    }
}

TEST(Lesson04Asm, SendFileBodyErrorsMatchCpp) {
    PatternFile f(kTag, 100);
    std::int64_t ra = 0, rc = 0;
    // announced 200, the file has 100: what exists is sent, then -EIO
    std::string got_a = capture([&](int sock) { ra = send_file_body(sock, f.fd.get(), 200); });
    std::string got_c = capture([&](int sock) { rc = httpd::send_file_body(sock, f.fd.get(), 200); });
    EXPECT_EQ(ra, -EIO);
    EXPECT_EQ(ra, rc);
    EXPECT_EQ(got_a, f.content);
    EXPECT_EQ(got_a, got_c);
    // a bad descriptor: -EBADF, like every other -errno
    capture([&](int sock) { ra = send_file_body(sock, -1, 10); });
    capture([&](int sock) { rc = httpd::send_file_body(sock, -1, 10); });
    EXPECT_EQ(ra, -EBADF);
    EXPECT_EQ(ra, rc);
}

// A 100-byte file announced as 4 GiB + 50: sends 100 bytes, then -EIO.
// With the size cut to 32 bits it would send 50 bytes and report 0.
TEST(Lesson04Asm, SendFileBodyKeepsAll64BitsOfTheSize) {
    PatternFile f(kTag, 100);
    std::int64_t r = 0;
    std::string got = capture([&](int sock) { r = send_file_body(sock, f.fd.get(), (1ULL << 32) + 50); });
    EXPECT_EQ(r, -EIO);
    EXPECT_EQ(got, f.content);
}

TEST(Lesson04Asm, CopyFileBodyMatchesCpp) {
    PatternFile f(kTag, 200000);
    struct Case {
        std::uint64_t offset, count;
        std::int64_t want;
    };
    for (Case c : {Case{0, 200000, 0}, Case{1000, 150000, 0}, Case{65536, 65536, 0}, Case{199990, 20, -EIO},
                   Case{0, 0, 0}}) {
        std::int64_t ra = 1, rc = 1;
        std::string a = capture([&](int sock) { ra = copy_file_body(sock, f.fd.get(), c.offset, c.count); });
        std::string b = capture([&](int sock) { rc = httpd::copy_file_body(sock, f.fd.get(), c.offset, c.count); });
        EXPECT_EQ(ra, c.want) << c.offset << "+" << c.count;
        EXPECT_EQ(ra, rc);
        std::size_t end = std::min<std::size_t>(f.content.size(), c.offset + c.count);
        EXPECT_TRUE(a == f.content.substr(c.offset, end - c.offset)) << c.offset << "+" << c.count;
        EXPECT_TRUE(a == b);
    }
    std::int64_t r = 0;
    capture([&](int sock) { r = copy_file_body(sock, -1, 0, 10); });
    EXPECT_EQ(r, -EBADF);
}

TEST(Lesson04Asm, CopyFileBodyReadsPast4GiB) {
    testsupport::TempDir dir(kTag);
    httpd::Fd file = testsupport::sparse_file(dir.at("sparse"), 5000000000ULL, "tail!", 4500000000ULL);
    ASSERT_TRUE(file.valid());
    std::int64_t r = -1;
    EXPECT_EQ(capture([&](int sock) { r = copy_file_body(sock, file.get(), 4500000000ULL, 5); }), "tail!");
    EXPECT_EQ(r, 0);
}

#ifdef __linux__
// Linux's sendfile refuses an output file opened with O_APPEND (EINVAL):
// the body must still arrive, through copy_file_body.
TEST(Lesson04Asm, SendFileBodyFallsBackWhenSendfileRefuses) {
    PatternFile in(kTag, 300000);
    httpd::Fd out(::open(in.dir.at("out").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644));
    ASSERT_TRUE(in.fd.valid() && out.valid());
    EXPECT_EQ(send_file_body(out.get(), in.fd.get(), in.content.size()), 0);
    out.reset();
    EXPECT_TRUE(testsupport::read_file(in.dir.at("out")) == in.content);
}
#endif

// Every byte of a sparse file of 4 GiB + 7 bytes.  Slow (4 GiB through the
// page cache and loopback TCP): only when METAL_BIG_FILE_TESTS is set
// (make test sets it; =0 skips it).
TEST(Lesson04Asm, SendFileBodySendsMoreThan4GiB) {
    if (!testsupport::big_file_tests_on()) GTEST_SKIP() << "set METAL_BIG_FILE_TESTS=1 to move 4 GiB (make test does)";
    testsupport::TempDir dir(kTag);
    const std::uint64_t size = (1ULL << 32) + 7;
    httpd::Fd file = testsupport::sparse_file(dir.at("big"), size, "END", size - 3);
    ASSERT_TRUE(file.valid());
    std::int64_t r = -1;
    testsupport::Received got =
        testsupport::count_received([&](int sock) { r = send_file_body(sock, file.get(), size); });
    EXPECT_EQ(r, 0);
    EXPECT_EQ(got.total, size);
    EXPECT_EQ(got.last3, "END");
}

// ---------------------------------------------------------------------------
// serve_file, end to end: asm and C++ against the same docroot
// ---------------------------------------------------------------------------
// The docroot (tests/support/files_fixture.hpp lists its files), plus a
// FIFO and a symlink loop for the error cases.
class Lesson04AsmServe : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(dir.path().empty());
        ::mkfifo(dir.at("pipe").c_str(), 0644);
        ::symlink("loop", dir.at("loop").c_str());
    }
    // Both servers' answers, which must be equal; returns the asm one.
    Served both(const std::string& path, bool is_head) {
        Served a = serve_asm(dir.path(), path, is_head);
        Served c = testsupport::serve_cpp(dir.path(), path, is_head);
        EXPECT_EQ(a.result, c.result) << path;
        EXPECT_TRUE(a.bytes == c.bytes) << path << "\nasm: " << a.bytes.substr(0, 200)
                                        << "\ncpp: " << c.bytes.substr(0, 200);
        return a;
    }
    testsupport::Docroot dir{kTag};
};

TEST_F(Lesson04AsmServe, FilesGet200WithExactHeadAndBody) {
    struct Case {
        const char* path;
        std::string type;
        std::string body;
    };
    const Case cases[] = {
        {"/hello.txt", kText, "hello, world\n"},
        {"/", kHtml, "<h1>top</h1>\n"},
        {"/sub/", kHtml, "<h1>sub</h1>\n"},
        {"/empty.txt", kText, ""},
        {"/LOGO.PNG", "image/png", "\x89PNG\r\n\x1a\n"},
        {"/data.bin", kOctets, dir.binary},
        {"/big.css", "text/css; charset=utf-8", dir.big},
    };
    for (const Case& c : cases) {
        Served get = both(c.path, false);
        EXPECT_EQ(get.result, 0) << c.path;
        EXPECT_TRUE(get.bytes == head_200(c.type, c.body.size()) + c.body) << c.path;
        Served head = both(c.path, true);   // the same head, no body
        EXPECT_EQ(head.result, 0) << c.path;
        EXPECT_EQ(head.bytes, head_200(c.type, c.body.size())) << c.path;
    }
}

TEST_F(Lesson04AsmServe, ErrorsReturnMinusStatusAndSendNothing) {
    struct Case {
        std::string path;
        std::int64_t want;
    };
    const Case cases[] = {
        {"/nope.txt", -404},
        {"/noindex/", -404},            // a directory without index.html
        {"/nodir/x.txt", -404},
        {"/hello.txt/x", -404},         // ENOTDIR
        {"/sub", -403},                 // a directory (lesson 08 lists them)
        {"/pipe", -403},                // a FIFO: opened without blocking, refused
        {"/loop", -403},                // ELOOP
        {"/" + std::string(2000, 'a'), -414},   // longer than the path buffer
        {"/" + std::string(300, 'n'), -414},    // one name longer than NAME_MAX
    };
    ::alarm(20);   // a blocking open of the FIFO would hang: end the run instead
    for (const Case& c : cases) {
        for (bool is_head : {false, true}) {
            Served s = both(c.path, is_head);
            EXPECT_EQ(s.result, c.want) << c.path.substr(0, 40);
            EXPECT_EQ(s.bytes, "") << c.path.substr(0, 40);
        }
    }
    ::alarm(0);
}

TEST_F(Lesson04AsmServe, PathLimitIsDocrootPlusPathPlusNul) {
    auto path_of = [&](std::size_t total) { return testsupport::path_of_length(dir.path(), total); };
    EXPECT_EQ(both(path_of(httpd::kPathMax - 1), false).result, -404);   // fits: looked up
    EXPECT_EQ(both(path_of(httpd::kPathMax), false).result, -414);       // no room for the NUL
}

// Root may read a mode-000 file: as root, serve from a child that first
// becomes nobody (as the fixture harness does).
TEST_F(Lesson04AsmServe, UnreadableFileIs403) {
    ASSERT_TRUE(testsupport::add_unreadable_file(dir, "secret.txt"));
    int status = testsupport::exit_status_as_nobody([&] {
        int devnull = ::open("/dev/null", O_WRONLY);
        std::int64_t r = serve_file(devnull, dir.path().c_str(), "/secret.txt", 11, 0);
        return r == -403 ? 0 : r == 0 ? 1 : 2;
    });
    ASSERT_GE(status, 0) << "the child did not exit normally";
    EXPECT_NE(status, 3) << "could not become nobody";
    EXPECT_NE(status, 1) << "a mode-000 file was served";
    EXPECT_EQ(status, 0) << "expected -403";
}

TEST_F(Lesson04AsmServe, HugeSparseFileHeadSaysItsFull64BitSize) {
    httpd::Fd file = testsupport::sparse_file(dir.at("huge.bin"), 5000000000ULL);
    ASSERT_TRUE(file.valid());
    Served s = both("/huge.bin", true);
    EXPECT_EQ(s.result, 0);
    EXPECT_EQ(s.bytes, head_200(kOctets, 5000000000ULL));
}
