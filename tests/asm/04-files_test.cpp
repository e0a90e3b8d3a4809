// tests/asm/04-files_test.cpp -- lesson 04: the assembly stage against its
// C++ twin (same inputs, same results), and both against the lesson's
// rules (lessons/04-files/README.md, lessons/04-files/mime-types.tsv) and
// RFC 9110 (200 head = HEAD head, §9.3.2; Content-Length, §8.6).  The
// steps run side by side on a struct exchange and an httpd::Exchange
// (tests/support/asm_exchange.hpp): every field and every byte written
// must agree, step by step and for the whole lesson-04 pipeline.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "../support/asm_exchange.hpp"
#include "../support/files_cases.hpp"
#include "../support/files_fixture.hpp"
#include "../support/support.hpp"
#include "04-files.hpp"
#include "api.h"
#include "exchange.hpp"

namespace {

using testsupport::capture;
using testsupport::head_200;
using testsupport::kHtml;
using testsupport::kOctets;
using testsupport::kText;
using testsupport::PatternFile;
using testsupport::Records;
using testsupport::step_both;

// What this file's temporary directories are called (/tmp/metal-04-asm-*).
constexpr const char* kTag = "04-asm";

// Lesson 04's steps in the assembly, in the spine's order, after lesson
// 03's steps parsed a GET or HEAD of `path`: the shared tests' "serve".
testsupport::Served serve_asm(const std::string& root, std::string_view path, bool is_head) {
    using Step = int (*)(struct exchange*);
    const Step steps[] = {step_copy_path, step_add_index,   step_open_file, step_stat_file,
                          step_check_file, step_choose_type, step_send_head, step_send_body};
    testsupport::Served s{};
    struct config cfg {};
    cfg.docroot = root.c_str();
    std::unique_ptr<struct exchange> x(new struct exchange);
    s.bytes = capture([&](int sock) {
        start_exchange(x.get(), sock, &cfg);
        reset_request(&x->req);
        x->req.path = path.data();
        x->req.path_len = path.size();
        x->req.is_head = is_head ? 1 : 0;
        s.result = 500;   // the list ran out: what the spine answers
        for (Step step : steps) {
            if (int r = step(x.get()); r != STEP_NEXT) {
                s.result = r;
                break;
            }
        }
        if (x->file_fd >= 0) ::close(static_cast<int>(x->file_fd));   // the spine closes the file
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
        {"/srv/www", "/", 64, 9},            // no index.html: add_index's business
        {"/srv/www", "/docs/", 64, 14},
        {"/r", "/abcdefghijkl", 16, 15},     // + NUL = 16: fits exactly
        {"/r", "/abcdefghijklm", 16, -414},  // one more: no room for the NUL
        {"/r", "/abcd/", 9, 8},
        {"/r", "/abcd/", 8, -414},
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
    EXPECT_EQ(map_path("/r", "/d/?x=1", 3, out, sizeof out), 5);
    EXPECT_STREQ(out, "/r/d/");
}

// ---------------------------------------------------------------------------
// add_index
// ---------------------------------------------------------------------------
TEST(Lesson04Asm, AddIndexMatchesCppAndTheRule) {
    struct Case {
        std::string path;
        std::size_t cap;
        std::int64_t want;   // from the rule: the new length, or -414
    };
    const Case cases[] = {
        {"/", 64, 11},       {"/a/", 64, 13},   {"/a", 64, 2},      {"", 64, 0},
        {"/a/b.txt", 64, 8}, {"/a/", 13, 13},   {"/a/", 12, -414},  // "index.html" must fit whole
        {"/a/", 2, -414},    {"/a", 1, 2},      {"/x.d/", 15, 15},  {"//", 12, 12},
    };
    for (const Case& c : cases) {
        char a[80], b[80];
        std::memset(a, '#', sizeof a);
        std::memset(b, '#', sizeof b);
        std::memcpy(a, c.path.data(), c.path.size());
        std::memcpy(b, c.path.data(), c.path.size());
        std::int64_t ra = add_index(a, c.path.size(), c.cap);
        std::int64_t rb = httpd::add_index(b, c.path.size(), c.cap);
        EXPECT_EQ(ra, c.want) << c.path << " cap " << c.cap;
        EXPECT_EQ(ra, rb) << c.path << " cap " << c.cap;
        EXPECT_TRUE(std::memcmp(a, b, sizeof a) == 0) << c.path << " cap " << c.cap;
        if (ra > static_cast<std::int64_t>(c.path.size())) {
            EXPECT_EQ(std::string(a, static_cast<std::size_t>(ra)), c.path + "index.html");
        }
        for (std::size_t i = std::max(c.cap, c.path.size()); i < sizeof a; ++i) {
            EXPECT_EQ(a[i], '#') << "wrote past cap at " << i;
        }
    }
}

// ---------------------------------------------------------------------------
// The body senders and the lesson's steps end to end: the tests both
// languages share (tests/support/files_cases.hpp), on the assembly stage.
// Below them, the comparisons with the C++ twin.
// ---------------------------------------------------------------------------
namespace testsupport {
const FilesImpl kAsmFiles{"asm", ::send_file_body, ::copy_file_body, serve_asm};
INSTANTIATE_TEST_SUITE_P(Lesson04Asm, BodySenders, ::testing::Values(kAsmFiles), impl_name);
INSTANTIATE_TEST_SUITE_P(Lesson04Asm, ServeFiles, ::testing::Values(kAsmFiles), impl_name);
}  // namespace testsupport

TEST(Lesson04Asm, SendFileBodyErrorsMatchCpp) {
    PatternFile f(kTag, 100);
    std::int64_t ra = 0, rc = 0;
    // announced 200, the file has 100: what exists is sent, then -EIO
    std::string got_a = capture([&](int sock) { ra = send_file_body(sock, f.fd.get(), 0, 200); });
    std::string got_c = capture([&](int sock) { rc = httpd::send_file_body(sock, f.fd.get(), 0, 200); });
    EXPECT_EQ(ra, -EIO);
    EXPECT_EQ(ra, rc);
    EXPECT_EQ(got_a, f.content);
    EXPECT_EQ(got_a, got_c);
    // a bad descriptor: -EBADF, like every other -errno
    capture([&](int sock) { ra = send_file_body(sock, -1, 0, 10); });
    capture([&](int sock) { rc = httpd::send_file_body(sock, -1, 0, 10); });
    EXPECT_EQ(ra, -EBADF);
    EXPECT_EQ(ra, rc);
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

// ---------------------------------------------------------------------------
// The steps, one at a time, and the lesson-04 pipeline end to end: asm and
// C++ against the same docroot
// ---------------------------------------------------------------------------
// The docroot (tests/support/files_fixture.hpp lists its files), plus a
// FIFO and a symlink loop for the error cases.
class Lesson04AsmSteps : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(dir.path().empty());
        ::mkfifo(dir.at("pipe").c_str(), 0644);
        ::symlink("loop", dir.at("loop").c_str());
    }
    // The whole lesson-04 pipeline on both records, compared after every
    // step; returns what the client received and the stopping result.
    testsupport::PipelineRun serve(const std::string& req, const std::string& label) {
        Records r(dir.path().c_str());
        return testsupport::pipeline_both(r, testsupport::lesson_steps(4), req, label);
    }
    // The records after step_copy_path, step_add_index and step_open_file
    // for `path` (taken as the request's path): ready for the later steps.
    void open_both(Records& r, const std::string& path) {
        r.set_req_path(path.data(), path.size());
        step_both(r, TWIN_STEP(step_copy_path), "", path);
        step_both(r, TWIN_STEP(step_add_index), "", path);
        step_both(r, TWIN_STEP(step_open_file), "", path);
    }
    testsupport::Docroot dir{kTag};
};

TEST_F(Lesson04AsmSteps, FilesGet200WithExactHeadAndBody) {
    struct Case {
        const char* path;
        std::string type;
        std::string body;
    };
    const Case cases[] = {
        {"/hello.txt", kText, "hello, world\n"},
        {"/", kHtml, "<h1>top</h1>\n"},
        {"/sub/", kHtml, "<h1>sub</h1>\n"},
        {"/sub/?x=1", kHtml, "<h1>sub</h1>\n"},
        {"http://test/hello.txt", kText, "hello, world\n"},
        {"/empty.txt", kText, ""},
        {"/LOGO.PNG", "image/png", "\x89PNG\r\n\x1a\n"},
        {"/data.bin", kOctets, dir.binary},
        {"/big.css", "text/css; charset=utf-8", dir.big},
    };
    for (const Case& c : cases) {
        testsupport::PipelineRun get = serve(testsupport::http_request("GET", c.path), c.path);
        EXPECT_EQ(get.result, STEP_DONE) << c.path;
        EXPECT_TRUE(get.response == head_200(c.type, c.body.size()) + c.body) << c.path;
        testsupport::PipelineRun head = serve(testsupport::http_request("HEAD", c.path), c.path);   // the same head, no body
        EXPECT_EQ(head.result, STEP_DONE) << c.path;
        EXPECT_EQ(head.response, head_200(c.type, c.body.size())) << c.path;
    }
}

TEST_F(Lesson04AsmSteps, ErrorsAreAnsweredWithTheirStatus) {
    struct Case {
        std::string path;
        int want;
    };
    const Case cases[] = {
        {"/nope.txt", 404},
        {"/noindex/", 404},            // a directory without index.html
        {"/nodir/x.txt", 404},
        {"/hello.txt/x", 404},         // ENOTDIR
        {"/sub", 403},                 // a directory (lesson 08 lists them)
        {"/pipe", 403},                // a FIFO: opened without blocking, refused
        {"/loop", 403},                // ELOOP
        {"/" + std::string(2000, 'a'), 414},   // longer than the name buffer
        {"/" + std::string(300, 'n'), 414},    // one name longer than NAME_MAX
    };
    ::alarm(60);   // a blocking open of the FIFO would hang: end the run instead
    for (const Case& c : cases) {
        for (const char* method : {"GET", "HEAD"}) {
            std::string label = std::string(method) + " " + c.path.substr(0, 40);
            testsupport::PipelineRun run = serve(testsupport::http_request(method, c.path), label);
            EXPECT_EQ(run.result, c.want) << label;
            EXPECT_EQ(run.response.substr(0, 13), "HTTP/1.1 " + std::to_string(c.want) + " ") << label;
            EXPECT_EQ(run.response.find("\r\n\r\n") + 4 == run.response.size(), std::string(method) == "HEAD")
                << label;
        }
    }
    ::alarm(0);
    // the method policy still comes first: 405 with Allow, 501
    testsupport::PipelineRun post = serve(testsupport::http_request("POST", "/hello.txt"), "POST");
    EXPECT_EQ(post.result, 405);
    EXPECT_NE(post.response.find("\r\nAllow: GET, HEAD\r\n"), std::string::npos);
    EXPECT_EQ(serve(testsupport::http_request("BREW", "/hello.txt"), "BREW").result, 501);
    EXPECT_EQ(serve("", "nothing sent").response, "");
}




// step_copy_path: x.path = the request's path; 414 past PATH_BUF_MAX.
TEST_F(Lesson04AsmSteps, StepCopyPathAgrees) {
    const std::string paths[] = {"/", "/a/b.txt", "", "/" + std::string(REQ_TARGET_MAX - 1, 'p'),
                                 std::string(PATH_BUF_MAX, 'q'), std::string(PATH_BUF_MAX + 1, 'r')};
    for (const std::string& p : paths) {
        Records r(dir.path().c_str());
        r.set_req_path(p.data(), p.size());
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_copy_path), "", "length " + std::to_string(p.size()));
        EXPECT_EQ(run.result, p.size() > PATH_BUF_MAX ? 414 : STEP_NEXT) << p.size();
        if (run.result == STEP_NEXT) { EXPECT_EQ(std::string(r.a->path, r.a->path_len), p); }
    }
}

// step_add_index: ".../" -> ".../index.html" in x.path; 414 if that
// passes PATH_BUF_MAX.
TEST_F(Lesson04AsmSteps, StepAddIndexAgrees) {
    struct Case {
        std::string path;
        int want;
    };
    const Case cases[] = {
        {"", STEP_NEXT},
        {"/", STEP_NEXT},
        {"/a", STEP_NEXT},
        {"/a/", STEP_NEXT},
        {"/" + std::string(PATH_BUF_MAX - 12, 'x') + "/", STEP_NEXT},   // + index.html = PATH_BUF_MAX
        {"/" + std::string(PATH_BUF_MAX - 11, 'x') + "/", 414},         // one byte too many
        {std::string(PATH_BUF_MAX, 'x'), STEP_NEXT},                    // full, but not a directory
    };
    for (const Case& c : cases) {
        Records r(dir.path().c_str());
        r.set_path(c.path);
        std::string label = "length " + std::to_string(c.path.size());
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_add_index), "", label);
        EXPECT_EQ(run.result, c.want) << label;
    }
}

// step_open_file: map_path + openat into x.file_fd; errno_to_status's
// status when the open fails.
TEST_F(Lesson04AsmSteps, StepOpenFileAgrees) {
    struct Case {
        std::string path;   // x.path as step_add_index left it
        int want;
    };
    const Case cases[] = {
        {"/hello.txt", STEP_NEXT},   {"/sub", STEP_NEXT},          {"/sub/index.html", STEP_NEXT},
        {"/pipe", STEP_NEXT},        {"", STEP_NEXT},              {"/empty.txt", STEP_NEXT},
        {"/nope.txt", 404},          {"/hello.txt/x", 404},        {"/noindex/index.html", 404},
        {"/loop", 403},              {"/" + std::string(1100, 'a'), 414},   {"/" + std::string(300, 'n'), 414},
    };
    ::alarm(60);   // a blocking open of the FIFO would hang: end the run instead
    for (const Case& c : cases) {
        Records r(dir.path().c_str());
        r.set_path(c.path);
        std::string label = c.path.substr(0, 40);
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_open_file), "", label);
        EXPECT_EQ(run.result, c.want) << label;
        EXPECT_EQ(r.a->file_fd >= 0, c.want == STEP_NEXT) << label;
    }
    ::alarm(0);
    // a docroot that does not exist
    Records r("/nonexistent/metal-httpd");
    r.set_path("/a.txt");
    EXPECT_EQ(step_both(r, TWIN_STEP(step_open_file), "", "no docroot").result, 404);
}

// Lesson 04's rule (step_open_file: "a relative docroot starts at the
// cwd"): `httpd 8080 site` serves ./site.  The docroot as a path relative
// to this process's working directory, whatever that is.
TEST_F(Lesson04AsmSteps, StepOpenFileWithARelativeDocroot) {
    std::error_code ec;
    std::string rel = std::filesystem::relative(dir.path(), ec).string();
    ASSERT_FALSE(ec) << ec.message();
    ASSERT_FALSE(rel.empty());
    ASSERT_NE(rel[0], '/');
    for (const std::string path : {"/hello.txt", "/nope.txt"}) {
        Records r(rel.c_str());
        r.set_path(path);
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_open_file), "", rel + path);
        EXPECT_EQ(run.result, path == "/hello.txt" ? STEP_NEXT : 404) << rel + path;
        EXPECT_EQ(r.a->file_fd >= 0, path == "/hello.txt") << rel + path;
    }
}

// step_stat_file: the mode and size of the open file; the body is all of it.
TEST_F(Lesson04AsmSteps, StepStatFileAgrees) {
    httpd::Fd huge = testsupport::sparse_file(dir.at("huge.bin"), 5000000000ULL);
    ASSERT_TRUE(huge.valid());
    ::alarm(60);
    for (const char* path : {"/hello.txt", "/sub", "/pipe", "/empty.txt", "/big.css", "/huge.bin", "/"}) {
        Records r(dir.path().c_str());
        open_both(r, path);
        ASSERT_GE(r.a->file_fd, 0) << path;
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_stat_file), "", path);
        EXPECT_EQ(run.result, STEP_NEXT) << path;
        EXPECT_EQ(r.a->body_first, 0u) << path;
        EXPECT_EQ(r.a->body_len, r.a->file_size) << path;
    }
    ::alarm(0);
    // no file open (x.file_fd = -1): EBADF, our problem -- 500
    Records r(dir.path().c_str());
    EXPECT_EQ(step_both(r, TWIN_STEP(step_stat_file), "", "no file").result, 500);
}

// step_check_file: only a regular file goes on; anything else is 403.
TEST_F(Lesson04AsmSteps, StepCheckFileAgrees) {
    const std::uint64_t modes[] = {S_IFREG | 0644, S_IFREG,          S_IFDIR | 0755, S_IFIFO | 0644,
                                   S_IFCHR | 0600, S_IFBLK | 0600,   S_IFSOCK | 0777, S_IFLNK | 0777,
                                   0,              ~std::uint64_t{0}, (std::uint64_t{1} << 32) | S_IFREG};
    for (std::uint64_t mode : modes) {
        Records r(dir.path().c_str());
        r.a->file_mode = r.c->file_mode = mode;
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_check_file), "", "mode " + std::to_string(mode));
        EXPECT_EQ(run.result, (mode & S_IFMT) == S_IFREG ? STEP_NEXT : 403) << mode;
    }
}

// step_choose_type: x.type = mime_type(x.path).
TEST_F(Lesson04AsmSteps, StepChooseTypeAgrees) {
    for (const char* path : {"/index.html", "/IMG.PNG", "/a.JpEg", "/archive.tar.gz", "/.hidden", "/file.", "/README",
                             "/", "", "/v1.2/README", "/sub/index.html", "/f.xyz"}) {
        Records r(dir.path().c_str());
        r.set_path(path);
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_choose_type), "", path);
        EXPECT_EQ(run.result, STEP_NEXT) << path;
        ASSERT_NE(r.a->type, nullptr) << path;
        EXPECT_STREQ(r.a->type, httpd::mime_type(path)) << path;
    }
}

// step_send_head: the head of x.status, x.type, x.body_len and x.extra;
// STEP_DONE when the client is gone.
TEST_F(Lesson04AsmSteps, StepSendHeadAgrees) {
    const std::string extras[] = {"", "Allow: GET, HEAD\r\n", "X: " + std::string(HEAD_MAX, 'x') + "\r\n"};
    for (int status : {200, 206, 404}) {
        for (const char* type : {"text/plain; charset=utf-8", "application/octet-stream"}) {
            for (std::uint64_t len : {std::uint64_t{0}, std::uint64_t{13}, std::uint64_t{5000000000ULL}}) {
                for (const std::string& extra : extras) {
                    Records r(dir.path().c_str());
                    r.a->status = r.c->status = static_cast<std::uint64_t>(status);
                    r.a->type = r.c->type = type;
                    r.a->body_len = r.c->body_len = len;
                    r.set_extra(extra);
                    std::string label = std::to_string(status) + " " + type + " " + std::to_string(len) + " extra " +
                                        std::to_string(extra.size());
                    testsupport::StepRun run = step_both(r, TWIN_STEP(step_send_head), "", label);
                    EXPECT_EQ(run.result, STEP_NEXT) << label;
                    EXPECT_EQ(run.wrote.substr(0, 13), "HTTP/1.1 " + std::to_string(status) + " ") << label;
                    EXPECT_NE(run.wrote.find("\r\nContent-Length: " + std::to_string(len) + "\r\n"), std::string::npos)
                        << label;
                    EXPECT_EQ(run.wrote.find(extra) != std::string::npos, extra.size() < HEAD_MAX / 2) << label;
                    EXPECT_EQ(run.wrote.substr(run.wrote.size() - 4), "\r\n\r\n") << label;
                }
            }
        }
    }
    // x.status is read as an int, all 32 bits of it, as the C++ casts it:
    // a status no step stores, but one a 16-bit load would turn into 200
    for (std::int64_t status : {std::int64_t{65536 + 200}, std::int64_t{-1}}) {
        Records r(dir.path().c_str());
        r.a->status = r.c->status = static_cast<std::uint64_t>(status);
        r.a->type = r.c->type = "text/plain; charset=utf-8";
        step_both(r, TWIN_STEP(step_send_head), "", "status " + std::to_string(status));
    }
    Records r(dir.path().c_str());
    r.a->type = r.c->type = "text/plain; charset=utf-8";
    EXPECT_EQ(step_both(r, TWIN_STEP(step_send_head), "", "client gone", true).result, STEP_DONE);
}

// step_send_body: body_len bytes of the file from body_first, not for
// HEAD; STEP_DONE whatever happened (a short file, a client that left).
TEST_F(Lesson04AsmSteps, StepSendBodyAgrees) {
    PatternFile f(kTag, 100000);
    ASSERT_TRUE(f.fd.valid());
    struct Case {
        std::uint64_t first, len;
    };
    for (bool is_head : {false, true}) {
        for (Case c :
             {Case{0, 100000}, Case{100, 50}, Case{0, 0}, Case{99990, 20}, Case{100000, 0}, Case{70000, 30000}}) {
            Records r(dir.path().c_str());
            r.a->file_fd = ::dup(f.fd.get());
            r.c->file = httpd::Fd(::dup(f.fd.get()));
            r.a->body_first = r.c->body_first = c.first;
            r.a->body_len = r.c->body_len = c.len;
            r.set_is_head(is_head);
            std::string label = std::to_string(c.first) + "+" + std::to_string(c.len) + (is_head ? " HEAD" : " GET");
            testsupport::StepRun run = step_both(r, TWIN_STEP(step_send_body), "", label);
            EXPECT_EQ(run.result, STEP_DONE) << label;
            std::size_t from = std::min<std::size_t>(f.content.size(), c.first);
            std::size_t end = std::min<std::size_t>(f.content.size(), c.first + c.len);
            EXPECT_TRUE(run.wrote == (is_head ? std::string() : f.content.substr(from, end - from))) << label;
            EXPECT_EQ(step_both(r, TWIN_STEP(step_send_body), "", label + " client gone", true).result, STEP_DONE);
        }
    }
}
