// tests/unit/04-files_test.cpp -- lesson 04's C++ stage: the MIME table,
// errno -> status, map_path, add_index, the body senders and the lesson's
// steps end to end over a socketpair into a temporary docroot.
//
// Expectations come from the lesson's rules (lessons/04-files/README.md),
// from lessons/04-files/mime-types.tsv (the one source of the MIME table),
// and from RFC 9110 (200 head = HEAD head, §9.3.2; Content-Length, §8.6).
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "../support/files_fixture.hpp"
#include "../support/support.hpp"
#include "04-files.hpp"

namespace {

using testsupport::capture;
using testsupport::head_200;
using testsupport::kHtml;
using testsupport::kOctets;
using testsupport::kText;
using testsupport::PatternFile;
using testsupport::Served;

// What this file's temporary directories are called (/tmp/metal-04-unit-*).
constexpr const char* kTag = "04-unit";

// The lesson-04 steps in the C++, their output captured.
Served serve(const std::string& root, std::string_view path, bool is_head) {
    return testsupport::serve_cpp(root, path, is_head);
}

}  // namespace

// ---------------------------------------------------------------------------
// mime_type
// ---------------------------------------------------------------------------
TEST(Lesson04, MimeTypeKnownExtensions) {
    EXPECT_STREQ(httpd::mime_type("/index.html"), "text/html; charset=utf-8");
    EXPECT_STREQ(httpd::mime_type("/style.css"), "text/css; charset=utf-8");
    EXPECT_STREQ(httpd::mime_type("/app.js"), "text/javascript; charset=utf-8");
    EXPECT_STREQ(httpd::mime_type("/data.json"), "application/json");
    EXPECT_STREQ(httpd::mime_type("/logo.png"), "image/png");
    EXPECT_STREQ(httpd::mime_type("/photo.jpg"), "image/jpeg");
    EXPECT_STREQ(httpd::mime_type("/font.woff2"), "font/woff2");
    EXPECT_STREQ(httpd::mime_type("/paper.pdf"), "application/pdf");
    EXPECT_STREQ(httpd::mime_type("/song.mp3"), "audio/mpeg");
    EXPECT_STREQ(httpd::mime_type("/clip.mp4"), "video/mp4");
    EXPECT_STREQ(httpd::mime_type("/all.zip"), "application/zip");
}

TEST(Lesson04, MimeTypeIgnoresAsciiCase) {
    EXPECT_STREQ(httpd::mime_type("/IMG.PNG"), "image/png");
    EXPECT_STREQ(httpd::mime_type("/Index.HTML"), "text/html; charset=utf-8");
    EXPECT_STREQ(httpd::mime_type("/a.JpEg"), "image/jpeg");
    EXPECT_STREQ(httpd::mime_type("/f.WOFF2"), "font/woff2");   // digits are not letters
}

TEST(Lesson04, MimeTypeWithoutExtensionIsOctetStream) {
    EXPECT_EQ(httpd::mime_type("/README"), kOctets);
    EXPECT_EQ(httpd::mime_type("/"), kOctets);
    EXPECT_EQ(httpd::mime_type(""), kOctets);
    EXPECT_EQ(httpd::mime_type("Makefile"), kOctets);   // no '/' at all
    EXPECT_EQ(httpd::mime_type("/file."), kOctets);      // an empty extension
}

TEST(Lesson04, MimeTypeDotFilesHaveNoExtension) {
    EXPECT_EQ(httpd::mime_type("/.hidden"), kOctets);
    EXPECT_EQ(httpd::mime_type("/dir/.htaccess"), kOctets);
    EXPECT_EQ(httpd::mime_type("/.html"), kOctets);       // a name, not an extension
    EXPECT_EQ(httpd::mime_type("/."), kOctets);
    EXPECT_STREQ(httpd::mime_type("/.config.json"), "application/json");   // a real extension after the name
}

TEST(Lesson04, MimeTypeLastDotWins) {
    EXPECT_STREQ(httpd::mime_type("/archive.tar.gz"), "application/gzip");
    EXPECT_STREQ(httpd::mime_type("/jquery.min.js"), "text/javascript; charset=utf-8");
    EXPECT_EQ(httpd::mime_type("/notes.html.txt"), kText);
}

TEST(Lesson04, MimeTypeLooksOnlyAtTheLastSegment) {
    EXPECT_EQ(httpd::mime_type("/v1.2/README"), kOctets);         // the dot is in a directory
    EXPECT_EQ(httpd::mime_type("/site.d/page.html"), kHtml);
    EXPECT_EQ(httpd::mime_type("/a.png/"), kOctets);              // the last segment is empty
    EXPECT_EQ(httpd::mime_type("/a.png/b"), kOctets);
    EXPECT_EQ(httpd::mime_type("/srv/www.example/.well-known"), kOctets);
}

TEST(Lesson04, MimeTypeNeedsTheWholeExtension) {
    EXPECT_EQ(httpd::mime_type("/f.xyz"), kOctets);
    EXPECT_EQ(httpd::mime_type("/f.htmlx"), kOctets);   // "html" is a prefix, not the extension
    EXPECT_EQ(httpd::mime_type("/f.ht"), kOctets);      // and "ht" is a prefix of "html"
    EXPECT_EQ(httpd::mime_type("/f.h"), kOctets);
}

TEST(Lesson04, MimeTypeReadsOnlyLenBytes) {
    EXPECT_STREQ(httpd::mime_type(std::string_view("/a.css.png", 6)), "text/css; charset=utf-8");
    EXPECT_EQ(httpd::mime_type(std::string_view("/a.png", 3)), kOctets);   // "/a." has an empty extension
}

// The table file itself: the rules its header states, and every entry
// reachable through mime_type in lower and upper case.
TEST(Lesson04, MimeTableFileFollowsItsRules) {
    const std::vector<testsupport::MimeEntry> table = testsupport::mime_table();
    ASSERT_FALSE(table.empty()) << "cannot read lessons/04-files/mime-types.tsv";
    std::set<std::string> seen;
    std::set<std::string> groups;
    for (const auto& [line, ext, type, has_tab] : table) {
        ASSERT_TRUE(has_tab) << line;
        ASSERT_FALSE(ext.empty()) << line;
        ASSERT_FALSE(type.empty()) << line;
        for (char c : ext) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << "not lower-case alnum: " << ext;
        EXPECT_TRUE(seen.insert(ext).second) << "listed twice: " << ext;
        EXPECT_EQ(type.find('\t'), std::string::npos) << line;
        if (type.rfind("text/", 0) == 0) {
            EXPECT_EQ(type.substr(type.size() - 15), "; charset=utf-8") << line;
        }
        groups.insert(type.substr(0, type.find('/')));
        EXPECT_EQ(std::string(httpd::mime_type("/f." + ext)), type) << ext;
        std::string upper = testsupport::ascii_upper(ext);
        EXPECT_EQ(std::string(httpd::mime_type("/dir.x/F." + upper)), type) << upper;
    }
    EXPECT_GE(seen.size(), 50u);
    for (const char* group : {"text", "image", "font", "application", "audio", "video"}) {
        EXPECT_EQ(groups.count(group), 1u) << "no " << group << "/* type";
    }
    EXPECT_EQ(seen.count("zip") + seen.count("gz") + seen.count("tar"), 3u);   // archives
    EXPECT_EQ(seen.count("pdf"), 1u);                                         // documents
}

// A line that breaks the table's rules stops the build, and the message
// names the file and the line -- the way a compiler reports an error.
TEST(Lesson04, MakeTableStopsAtABadMimeLineNamingIt) {
    const std::string head = "# a comment\nhtml\ttext/html; charset=utf-8\n";
    struct Case {
        const char* line;
        const char* says;
    } cases[] = {
        {"GLB\tmodel/gltf-binary", "table.tsv:3: the extension must be lower-case letters and digits"},
        {"glb model/gltf-binary", "table.tsv:3: expected \"extension<TAB>content-type\" (exactly one tab)"},
        {".glb\tmodel/gltf-binary", "table.tsv:3: the extension must be lower-case letters and digits"},
        {"md\ttext/markdown", "table.tsv:3: a text/* type must say \"; charset=utf-8\""},
        {"html\ttext/html; charset=utf-8", "table.tsv:3: extension \"html\" is already listed on line 2"},
    };
    for (const auto& c : cases) {
        std::string said, generated;
        EXPECT_EQ(testsupport::run_make_table("mime", head + c.line + "\n", &said, &generated), 1) << c.line;
        EXPECT_NE(said.find(c.says), std::string::npos) << c.line << "\nit said: " << said;
        EXPECT_EQ(generated, "") << "nothing is generated from a bad table";
    }
    std::string said, generated;
    EXPECT_EQ(testsupport::run_make_table("mime", head + "glb\tmodel/gltf-binary\n", &said, &generated), 0) << said;
    EXPECT_NE(generated.find("MIME_ENTRY(\"glb\", \"model/gltf-binary\")"), std::string::npos) << generated;
}

// ---------------------------------------------------------------------------
// errno_to_status
// ---------------------------------------------------------------------------
TEST(Lesson04, ErrnoToStatusFollowsTheTable) {
    EXPECT_EQ(httpd::errno_to_status(ENOENT), 404);
    EXPECT_EQ(httpd::errno_to_status(ENOTDIR), 404);
    EXPECT_EQ(httpd::errno_to_status(EACCES), 403);
    EXPECT_EQ(httpd::errno_to_status(EPERM), 403);
    EXPECT_EQ(httpd::errno_to_status(ELOOP), 403);
    EXPECT_EQ(httpd::errno_to_status(ENAMETOOLONG), 414);
    for (int other : {EIO, EMFILE, ENFILE, ENOMEM, EISDIR, EINVAL, EOVERFLOW, EAGAIN, EBADF, EFAULT}) {
        EXPECT_EQ(httpd::errno_to_status(other), 500) << other;
    }
}

// ---------------------------------------------------------------------------
// map_path
// ---------------------------------------------------------------------------
TEST(Lesson04, MapPathJoinsDocrootAndPath) {
    char out[64];
    EXPECT_EQ(httpd::map_path("/srv/www", "/a.txt", out, sizeof out), 14);
    EXPECT_STREQ(out, "/srv/www/a.txt");
    EXPECT_EQ(httpd::map_path(".", "/docs/x.html", out, sizeof out), 13);
    EXPECT_STREQ(out, "./docs/x.html");
    EXPECT_EQ(httpd::map_path("/srv/www", "/docs", out, sizeof out), 13);   // no slash: no index
    EXPECT_STREQ(out, "/srv/www/docs");
}

TEST(Lesson04, MapPathAddsNothingAfterASlash) {
    char out[64];
    EXPECT_EQ(httpd::map_path("/srv/www", "/docs/", out, sizeof out), 14);   // add_index's job
    EXPECT_STREQ(out, "/srv/www/docs/");
}

TEST(Lesson04, AddIndexAfterASlashOnly) {
    char path[32] = "/docs/";
    EXPECT_EQ(httpd::add_index(path, 6, sizeof path), 16);
    EXPECT_EQ(std::string(path, 16), "/docs/index.html");
    char top[32] = "/";
    EXPECT_EQ(httpd::add_index(top, 1, sizeof top), 11);
    EXPECT_EQ(std::string(top, 11), "/index.html");
    char file[32] = "/docs/a.txt";
    EXPECT_EQ(httpd::add_index(file, 11, sizeof file), 11);   // not a directory: unchanged
    EXPECT_EQ(std::string(file, 11), "/docs/a.txt");
    char dir[32] = "/docs";
    EXPECT_EQ(httpd::add_index(dir, 5, sizeof dir), 5);       // no slash: a name, maybe a directory (403)
    EXPECT_EQ(httpd::add_index(dir, 0, sizeof dir), 0);       // nothing: no last byte
}

TEST(Lesson04, AddIndexLimitIsCap) {
    char path[32] = "/abcde/";
    EXPECT_EQ(httpd::add_index(path, 6, 16), 6);               // "/abcde" ends in 'e'
    EXPECT_EQ(httpd::add_index(path, 7, 17), 17);              // exactly fills 17
    EXPECT_EQ(httpd::add_index(path, 7, 16), -414);            // one byte short
    EXPECT_EQ(httpd::add_index(path, 7, 5), -414);             // len > cap: never underflows
}

TEST(Lesson04, MapPathUsesOnlyPathLenBytes) {
    char out[64];
    EXPECT_EQ(httpd::map_path("/r", std::string_view("/a.txt?x=1", 6), out, sizeof out), 8);
    EXPECT_STREQ(out, "/r/a.txt");
}

TEST(Lesson04, MapPathLimitCountsTheNul) {
    char out[32];
    // "/r" + 13 bytes = 15 bytes + NUL = 16: fits exactly in 16
    EXPECT_EQ(httpd::map_path("/r", "/abcdefghijkl", out, 16), 15);
    EXPECT_STREQ(out, "/r/abcdefghijkl");
    // one more byte does not
    EXPECT_EQ(httpd::map_path("/r", "/abcdefghijklm", out, 16), -414);
    EXPECT_EQ(httpd::map_path("/r", "/", out, 0), -414);
}

TEST(Lesson04, MapPathWritesNothingPastCap) {
    char out[32];
    std::memset(out, '#', sizeof out);
    EXPECT_EQ(httpd::map_path("/r", "/abcdefghijkl", out, 16), 15);
    for (std::size_t i = 16; i < sizeof out; ++i) EXPECT_EQ(out[i], '#') << i;
}

TEST(Lesson04, MapPathRefusesAPathLongerThanThePathBuffer) {
    char out[httpd::kPathMax];
    std::string path(httpd::kPathMax, 'a');
    path[0] = '/';
    EXPECT_EQ(httpd::map_path(".", path, out, sizeof out), -414);
}

// ---------------------------------------------------------------------------
// copy_file_body and send_file_body
// ---------------------------------------------------------------------------
TEST(Lesson04, SendFileBodySendsEveryByte) {
    for (std::size_t size : {std::size_t{1}, std::size_t{4096}, std::size_t{65537}, std::size_t{3 * 1024 * 1024 + 5}}) {
        PatternFile f(kTag, size);
        ASSERT_TRUE(f.fd.valid());
        std::int64_t r = -1;
        std::string got = capture([&](int sock) { r = httpd::send_file_body(sock, f.fd.get(), 0, size); });
        EXPECT_EQ(r, 0) << size;
        EXPECT_EQ(got.size(), size);
        EXPECT_TRUE(got == f.content) << "content differs for size " << size;
    }
}

TEST(Lesson04, SendFileBodyOfNothingSendsNothing) {
    PatternFile empty(kTag, 0);
    ASSERT_TRUE(empty.fd.valid());
    std::int64_t r = -1;
    EXPECT_EQ(capture([&](int sock) { r = httpd::send_file_body(sock, empty.fd.get(), 0, 0); }), "");
    EXPECT_EQ(r, 0);
}

TEST(Lesson04, SendFileBodyReportsAFileShorterThanAnnounced) {
    PatternFile f(kTag, 100);
    std::int64_t r = 0;
    std::string got = capture([&](int sock) { r = httpd::send_file_body(sock, f.fd.get(), 0, 200); });
    EXPECT_EQ(r, -EIO);
    EXPECT_EQ(got, f.content);   // what exists was sent
}

TEST(Lesson04, SendFileBodyReportsMinusErrno) {
    std::int64_t r = 0;
    capture([&](int sock) { r = httpd::send_file_body(sock, -1, 0, 10); });
    EXPECT_EQ(r, -EBADF);
}

TEST(Lesson04, SendFileBodyStartsAtFirst) {
    PatternFile f(kTag, 200000);
    std::int64_t r = -1;
    std::string got = capture([&](int sock) { r = httpd::send_file_body(sock, f.fd.get(), 1000, 150000); });
    EXPECT_EQ(r, 0);
    EXPECT_TRUE(got == f.content.substr(1000, 150000));
    got = capture([&](int sock) { r = httpd::send_file_body(sock, f.fd.get(), 199990, 20); });
    EXPECT_EQ(r, -EIO);   // only 10 bytes left in the file
    EXPECT_EQ(got, f.content.substr(199990));
}

TEST(Lesson04, CopyFileBodyStartsAtTheOffset) {
    PatternFile f(kTag, 200000);
    std::int64_t r = -1;
    std::string got = capture([&](int sock) { r = httpd::copy_file_body(sock, f.fd.get(), 1000, 150000); });
    EXPECT_EQ(r, 0);
    EXPECT_TRUE(got == f.content.substr(1000, 150000));
    got = capture([&](int sock) { r = httpd::copy_file_body(sock, f.fd.get(), 199990, 20); });
    EXPECT_EQ(r, -EIO);   // only 10 bytes left in the file
    EXPECT_EQ(got, f.content.substr(199990));
}

#ifdef __linux__
// Linux's sendfile refuses an output file opened with O_APPEND (EINVAL):
// the body must still arrive, through copy_file_body.
TEST(Lesson04, SendFileBodyFallsBackWhenSendfileRefuses) {
    PatternFile in(kTag, 300000);
    httpd::Fd out(::open(in.dir.at("out").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644));
    ASSERT_TRUE(in.fd.valid() && out.valid());
    EXPECT_EQ(httpd::send_file_body(out.get(), in.fd.get(), 0, in.content.size()), 0);
    out.reset();
    EXPECT_TRUE(testsupport::read_file(in.dir.at("out")) == in.content);
}
#endif

// Offsets past 4 GiB, cheaply: a sparse file with a few bytes at 4.5 GB.
TEST(Lesson04, CopyFileBodyReadsPast4GiB) {
    testsupport::TempDir dir(kTag);
    httpd::Fd file = testsupport::sparse_file(dir.at("sparse"), 5000000000ULL, "tail!", 4500000000ULL);
    ASSERT_TRUE(file.valid());
    std::int64_t r = -1;
    EXPECT_EQ(capture([&](int sock) { r = httpd::copy_file_body(sock, file.get(), 4500000000ULL, 5); }), "tail!");
    EXPECT_EQ(r, 0);
}

// All 64 bits of the size, cheaply: a 100-byte file announced as 4 GiB +
// 50 bytes.  Correct code sends the 100 bytes and then finds the file too
// short (-EIO); a size cut to 32 bits would send 50 bytes and report 0.
TEST(Lesson04, SendFileBodyKeepsAll64BitsOfTheSize) {
    PatternFile f(kTag, 100);
    std::int64_t r = 0;
    std::string got = capture([&](int sock) { r = httpd::send_file_body(sock, f.fd.get(), 0, (1ULL << 32) + 50); });
    EXPECT_EQ(r, -EIO);
    EXPECT_EQ(got, f.content);
}

// The real thing: every byte of a sparse file of 4 GiB + 7 bytes (zeros
// and a marker at the end).  It moves 4 GiB through the page cache and
// loopback TCP -- about 10 s natively and under qemu -- so it runs only
// when METAL_BIG_FILE_TESTS is set (make test sets it; =0 skips it).
TEST(Lesson04, SendFileBodySendsMoreThan4GiB) {
    if (!testsupport::big_file_tests_on()) GTEST_SKIP() << "set METAL_BIG_FILE_TESTS=1 to move 4 GiB (make test does)";
    testsupport::TempDir dir(kTag);
    const std::uint64_t size = (1ULL << 32) + 7;
    httpd::Fd file = testsupport::sparse_file(dir.at("big"), size, "END", size - 3);
    ASSERT_TRUE(file.valid());
    std::int64_t r = -1;
    testsupport::Received got =
        testsupport::count_received([&](int sock) { r = httpd::send_file_body(sock, file.get(), 0, size); });
    EXPECT_EQ(r, 0);
    EXPECT_EQ(got.total, size);
    EXPECT_EQ(got.last3, "END");
}

// ---------------------------------------------------------------------------
// the lesson-04 steps, end to end (kDone: the response went out)
// ---------------------------------------------------------------------------
// The docroot: tests/support/files_fixture.hpp lists its files.
class Lesson04Serve : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_FALSE(dir.path().empty()); }
    testsupport::Docroot dir{kTag};
};

TEST_F(Lesson04Serve, RegularFileGets200WithExactHead) {
    Served s = serve(dir.path(), "/hello.txt", false);
    EXPECT_EQ(s.result, httpd::kDone);
    EXPECT_EQ(s.bytes, head_200(kText, 13) + "hello, world\n");
}

TEST_F(Lesson04Serve, HeadGetsTheSameHeadAndNoBody) {
    Served s = serve(dir.path(), "/hello.txt", true);
    EXPECT_EQ(s.result, httpd::kDone);
    EXPECT_EQ(s.bytes, head_200(kText, 13));
}

TEST_F(Lesson04Serve, SlashServesIndexHtml) {
    EXPECT_EQ(serve(dir.path(), "/", false).bytes, head_200(kHtml, 13) + "<h1>top</h1>\n");
    EXPECT_EQ(serve(dir.path(), "/sub/", false).bytes, head_200(kHtml, 13) + "<h1>sub</h1>\n");
}

TEST_F(Lesson04Serve, EmptyFileHasContentLengthZero) {
    Served s = serve(dir.path(), "/empty.txt", false);
    EXPECT_EQ(s.result, httpd::kDone);
    EXPECT_EQ(s.bytes, head_200(kText, 0));
}

TEST_F(Lesson04Serve, BinaryFileArrivesByteForByte) {
    std::string bytes;   // what the fixture wrote to data.bin: every byte value, twice
    for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
    bytes += bytes;
    Served s = serve(dir.path(), "/data.bin", false);
    EXPECT_EQ(s.result, httpd::kDone);
    EXPECT_TRUE(s.bytes == head_200(kOctets, 512) + bytes);
}

TEST_F(Lesson04Serve, UpperCaseExtensionFindsItsType) {
    EXPECT_EQ(serve(dir.path(), "/LOGO.PNG", true).bytes, head_200("image/png", 8));
}

TEST_F(Lesson04Serve, MissingFileIs404AndNothingIsSent) {
    Served s = serve(dir.path(), "/nope.txt", false);
    EXPECT_EQ(s.result, 404);
    EXPECT_EQ(s.bytes, "");
    EXPECT_EQ(serve(dir.path(), "/noindex/", false).result, 404);   // no index.html there
    EXPECT_EQ(serve(dir.path(), "/nodir/x.txt", false).result, 404);
}

TEST_F(Lesson04Serve, PathThroughAFileIs404) {
    Served s = serve(dir.path(), "/hello.txt/x", false);   // ENOTDIR
    EXPECT_EQ(s.result, 404);
    EXPECT_EQ(s.bytes, "");
}

TEST_F(Lesson04Serve, DirectoryIs403) {
    Served s = serve(dir.path(), "/sub", false);
    EXPECT_EQ(s.result, 403);
    EXPECT_EQ(s.bytes, "");
}

TEST_F(Lesson04Serve, FifoIs403WithoutBlocking) {
    ASSERT_EQ(::mkfifo(dir.at("pipe").c_str(), 0644), 0);
    ::alarm(10);   // a blocking open would hang here: let SIGALRM end the test run instead
    Served s = serve(dir.path(), "/pipe", false);
    ::alarm(0);
    EXPECT_EQ(s.result, 403);
    EXPECT_EQ(s.bytes, "");
}

TEST_F(Lesson04Serve, SymlinkLoopIs403) {
    ASSERT_EQ(::symlink("loop", dir.at("loop").c_str()), 0);   // loop -> loop: ELOOP
    Served s = serve(dir.path(), "/loop", false);
    EXPECT_EQ(s.result, 403);
    EXPECT_EQ(s.bytes, "");
}

// Root may read a mode-000 file, so as root the check runs in a child
// process that first becomes nobody (as the fixture harness does).
TEST_F(Lesson04Serve, UnreadableFileIs403) {
    ASSERT_TRUE(testsupport::add_unreadable_file(dir, "secret.txt"));
    int status = testsupport::exit_status_as_nobody([&] {
        std::int64_t r = serve(dir.path(), "/secret.txt", false).result;
        return r == 403 ? 0 : r == httpd::kDone ? 1 : 2;
    });
    ASSERT_GE(status, 0) << "the child did not exit normally";
    EXPECT_NE(status, 3) << "could not become nobody";
    EXPECT_NE(status, 1) << "a mode-000 file was served";
    EXPECT_EQ(status, 0) << "expected 403";
}

TEST_F(Lesson04Serve, TooLongIs414) {
    std::string path = "/" + std::string(2000, 'a');   // longer than kPathMax
    Served s = serve(dir.path(), path, false);
    EXPECT_EQ(s.result, 414);
    EXPECT_EQ(s.bytes, "");
    // fits in our buffer, but one name is longer than the kernel's NAME_MAX (255)
    EXPECT_EQ(serve(dir.path(), "/" + std::string(300, 'n'), false).result, 414);
}

TEST_F(Lesson04Serve, PathLimitIsDocrootPlusPathPlusNul) {
    auto path_of = [&](std::size_t total) { return testsupport::path_of_length(dir.path(), total); };
    EXPECT_EQ(serve(dir.path(), path_of(httpd::kPathMax - 1), false).result, 404);   // fits: looked up
    EXPECT_EQ(serve(dir.path(), path_of(httpd::kPathMax), false).result, 414);       // no room for the NUL
}

TEST_F(Lesson04Serve, HugeSparseFileHeadSaysItsFull64BitSize) {
    httpd::Fd file = testsupport::sparse_file(dir.at("huge.bin"), 5000000000ULL);
    ASSERT_TRUE(file.valid());
    Served s = serve(dir.path(), "/huge.bin", true);
    EXPECT_EQ(s.result, httpd::kDone);
    EXPECT_EQ(s.bytes, head_200(kOctets, 5000000000ULL));
}
