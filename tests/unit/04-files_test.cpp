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

#include "../support/files_cases.hpp"
#include "../support/files_fixture.hpp"
#include "../support/support.hpp"
#include "04-files.hpp"

namespace {

using testsupport::kHtml;
using testsupport::kOctets;
using testsupport::kText;

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
// The body senders and the lesson's steps end to end: the tests both
// languages share (tests/support/files_cases.hpp), on the C++ stage.
// ---------------------------------------------------------------------------
namespace testsupport {
const FilesImpl kCppFiles{"cpp", httpd::send_file_body, httpd::copy_file_body, serve_cpp};
INSTANTIATE_TEST_SUITE_P(Lesson04, BodySenders, ::testing::Values(kCppFiles), impl_name);
INSTANTIATE_TEST_SUITE_P(Lesson04, ServeFiles, ::testing::Values(kCppFiles), impl_name);
}  // namespace testsupport
