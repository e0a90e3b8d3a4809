// tests/asm/06-traversal_test.cpp -- lesson 06: the assembly stage against
// its C++ twin (same inputs, same results, the same bytes written, the same
// files opened), and both against the lesson's rules
// (lessons/06-traversal/README.md) and RFC 3986 §5.2.4 / §5.4 (the tables
// in tests/support/traversal_cases.hpp).  normalize_path for the table and
// for seeded random paths; open_failure_status; open_beneath on a tree with
// files, directories and every kind of symbolic link, for the table and
// for seeded random paths; the steps and the whole lesson-06 pipeline side
// by side on a struct exchange and an httpd::Exchange
// (tests/support/asm_exchange.hpp); open_docroot and say_docroot_error.
//
// The random tests compare 100,000 paths each (with a fixed seed, printed
// with any difference); under qemu that takes a few seconds in all.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "../support/asm_exchange.hpp"
#include "../support/callee_saved.hpp"
#include "../support/files_fixture.hpp"
#include "../support/support.hpp"
#include "../support/traversal_cases.hpp"
#include "06-traversal.hpp"
#include "api.h"
#include "exchange.hpp"

namespace {

using testsupport::head_200;
using testsupport::kText;
using testsupport::output_of;
using testsupport::Records;
using testsupport::step_both;

// What this file's temporary directories are called (/tmp/metal-06-asm-*).
constexpr const char* kTag = "06-asm";

// Both normalize_paths on copies of the same input, each followed by 16
// guard bytes: the results and the buffers must agree byte for byte.
struct Both {
    std::int64_t a, c;
    std::string abuf, cbuf;
};
Both normalize_both(const std::string& in) {
    Both b;
    b.abuf = in + std::string(16, '\xa5');
    b.cbuf = b.abuf;
    b.a = normalize_path(b.abuf.data(), in.size());
    b.c = httpd::normalize_path(b.cbuf.data(), in.size());
    return b;
}

using testsupport::escaped;

// Two descriptors name the same file (the same inode on the same device).
bool same_inode(int a, int b) {
    struct stat sa {}, sb {};
    return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
bool names(int fd, const std::string& path) {
    struct stat a {}, b {};
    return ::fstat(fd, &a) == 0 && ::lstat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// Both open_beneaths on the same path: the same -status, or two new
// descriptors of the same file.  "" when they agree, else what differs.
// Closes whatever they opened.
std::string open_both(int dirfd, const std::string& path, std::int64_t* result = nullptr) {
    std::int64_t a = open_beneath(dirfd, path.data(), path.size());
    std::int64_t c = httpd::open_beneath(dirfd, path);
    if (result) *result = a;
    std::string diff;
    if ((a < 0 || c < 0) && a != c) {
        diff = "asm " + std::to_string(a) + ", cpp " + std::to_string(c);
    } else if (a >= 0 && c >= 0 && !same_inode(static_cast<int>(a), static_cast<int>(c))) {
        diff = "asm and cpp opened different files";
    }
    if (a >= 0) ::close(static_cast<int>(a));
    if (c >= 0) ::close(static_cast<int>(c));
    return diff;
}

// The tree's root open as a directory, as open_docroot would leave it.
class Lesson06AsmTree : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(tree.ok());
        root = httpd::Fd(::open(tree.root().c_str(), O_RDONLY | O_DIRECTORY));
        ASSERT_TRUE(root.valid());
    }
    // Two records whose configurations walk from the tree's root.
    std::unique_ptr<Records> records() {
        auto r = std::make_unique<Records>(tree.root().c_str());
        r->acfg.docroot_fd = root.get();
        r->ccfg.docroot_fd = root.get();
        return r;
    }
    testsupport::TraversalTree tree{kTag};
    httpd::Fd root;
};

}  // namespace

// ---------------------------------------------------------------------------
// normalize_path
// ---------------------------------------------------------------------------
TEST(Lesson06Asm, NormalizePathTableAgrees) {
    for (const testsupport::NormalizeCase& c : testsupport::normalize_cases()) {
        Both b = normalize_both(c.in);
        EXPECT_EQ(b.a, c.want) << c.why;
        EXPECT_EQ(b.a, b.c) << c.why;
        EXPECT_TRUE(b.abuf == b.cbuf) << c.why << "\n asm: " << escaped(b.abuf.substr(0, 80))
                                      << "\n cpp: " << escaped(b.cbuf.substr(0, 80));
        if (c.want >= 0) {
            EXPECT_EQ(b.abuf.substr(0, static_cast<std::size_t>(c.want)), c.out) << c.why;
        }
        EXPECT_EQ(b.abuf.substr(c.in.size()), std::string(16, '\xa5')) << c.why << ": wrote past len";
    }
}

// Only len bytes are read: "/a/.." cut before its last byte is "/a/.".
TEST(Lesson06Asm, NormalizePathReadsOnlyLenBytes) {
    const std::string buffer = "/a/../..";
    for (std::size_t len = 0; len <= buffer.size(); ++len) {
        std::string a = buffer, c = buffer;
        std::int64_t ra = normalize_path(a.data(), len);
        std::int64_t rc = httpd::normalize_path(c.data(), len);
        const std::int64_t want[] = {-403, 1, 2, 3, 3, 1, 1, 1, -403};
        EXPECT_EQ(ra, want[len]) << len;
        EXPECT_EQ(ra, rc) << len;
        EXPECT_EQ(a, c) << len;
    }
}

// Not a byte past len is touched, not even read: each path ends on the
// last byte of a page whose next page is unmapped (PROT_NONE), so a load
// one byte too wide ends the test with SIGSEGV.
TEST(Lesson06Asm, NormalizePathReadsNothingPastTheEnd) {
    const long page = ::sysconf(_SC_PAGESIZE);
    ASSERT_GT(page, 0);
    void* mem = ::mmap(nullptr, 2 * static_cast<std::size_t>(page), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(mem, MAP_FAILED);
    char* guard = static_cast<char*>(mem) + page;
    ASSERT_EQ(::mprotect(guard, static_cast<std::size_t>(page), PROT_NONE), 0);
    for (const std::string path : {"/a", "/abc/def", "/a/../b", "/x/.", "/.."}) {
        char* at = guard - path.size();
        path.copy(at, path.size());
        std::int64_t ra = normalize_path(at, path.size());
        std::string a(at, path.size());
        path.copy(at, path.size());
        std::int64_t rc = httpd::normalize_path(at, path.size());
        EXPECT_EQ(ra, rc) << path;
        EXPECT_EQ(a, std::string(at, path.size())) << path;
    }
    ::munmap(mem, 2 * static_cast<std::size_t>(page));
}

// Random paths, biased towards what the walk has to get right: "", ".",
// "..", names made of dots, names that begin or end with dots, a
// backslash, %2e, a high byte, sometimes no leading '/', and random bytes.
// The same seed every run; it is printed with any difference.
TEST(Lesson06Asm, NormalizePathRandomPathsAgree) {
    const unsigned seed = 20240606;
    const int count = 100000;
    std::mt19937 rng(seed);
    const std::string segments[] = {"", ".", "..", "...", "a", "bc", ".a", "a.", "..a", "a..", ".\\.", "%2e",
                                    "\xc0\xae", "index.html", "docs"};
    int differences = 0;
    for (int i = 0; i < count && differences < 10; ++i) {
        std::string in = rng() % 16 == 0 ? "" : "/";
        int parts = static_cast<int>(rng() % 10);
        for (int k = 0; k < parts; ++k) {
            if (k > 0 || rng() % 8 == 0) in += '/';
            if (rng() % 10 == 0) {
                in += static_cast<char>(rng());                   // any byte, '/' and '.' included
            } else {
                in += segments[rng() % std::size(segments)];
            }
        }
        Both b = normalize_both(in);
        if (b.a != b.c || b.abuf != b.cbuf) {
            ++differences;
            ADD_FAILURE() << "seed " << seed << ", case " << i << ": \"" << escaped(in) << "\""
                          << "\n asm: " << b.a << " \"" << escaped(b.abuf) << "\""
                          << "\n cpp: " << b.c << " \"" << escaped(b.cbuf) << "\"";
        }
    }
}

// ---------------------------------------------------------------------------
// open_failure_status
// ---------------------------------------------------------------------------
TEST_F(Lesson06AsmTree, OpenFailureStatusAgrees) {
    for (const char* name : {"link-dir", "dangling", "loop", "a.txt", "dir", "missing", "fifo"}) {
        for (int err : {ENOTDIR, ENOENT, EACCES, EPERM, ELOOP, ENAMETOOLONG, EMFILE, EIO, 0}) {
            int a = open_failure_status(root.get(), name, err);
            EXPECT_EQ(a, httpd::open_failure_status(root.get(), name, err)) << name << " " << err;
        }
    }
    EXPECT_EQ(open_failure_status(root.get(), "link-dir", ENOTDIR), 403);   // a link: 403
    EXPECT_EQ(open_failure_status(root.get(), "a.txt", ENOTDIR), 404);      // a file: 404
}

// ---------------------------------------------------------------------------
// open_beneath
// ---------------------------------------------------------------------------
TEST_F(Lesson06AsmTree, OpenBeneathTableAgrees) {
    int free_before = testsupport::lowest_free_fd();
    for (const testsupport::OpenCase& c : testsupport::open_cases()) {
        std::int64_t a = open_beneath(root.get(), c.path.data(), c.path.size());
        if (c.status != 0) {
            EXPECT_EQ(a, -c.status) << c.why;
        } else {
            EXPECT_GE(a, 0) << c.why;
            if (a >= 0) {
                EXPECT_TRUE(names(static_cast<int>(a), tree.at(c.opens))) << c.why << ": not " << c.opens;
            }
            EXPECT_NE(a, root.get()) << c.why << ": the caller's descriptor handed back";
        }
        if (a >= 0) ::close(static_cast<int>(a));
        EXPECT_EQ(open_both(root.get(), c.path), "") << c.why;
        EXPECT_EQ(::fcntl(root.get(), F_GETFD), 0) << c.why << ": dirfd was closed";
        EXPECT_EQ(testsupport::lowest_free_fd(), free_before) << c.why << ": a descriptor leaked";
    }
}

// Only len bytes are read: "/dir/b.txt" cut to "/dir/" opens dir, and a
// name cut from a longer buffer ends where len says.
TEST_F(Lesson06AsmTree, OpenBeneathReadsOnlyLenBytes) {
    struct Case {
        std::string buffer;
        std::size_t len;
        std::string opens;
    };
    for (const Case& c : {Case{"/dir/b.txt", 5, "dir"}, Case{"/a.txtX", 6, "a.txt"}, Case{"/a.txt/x", 6, "a.txt"},
                          Case{"/dir/..", 5, "dir"}, Case{"/link-a", 1, ""}}) {
        std::int64_t fd = open_beneath(root.get(), c.buffer.data(), c.len);
        EXPECT_GE(fd, 0) << c.buffer << " " << c.len;
        if (fd >= 0) {
            EXPECT_TRUE(names(static_cast<int>(fd), tree.at(c.opens))) << c.buffer << " " << c.len;
            ::close(static_cast<int>(fd));
        }
        EXPECT_EQ(open_both(root.get(), c.buffer.substr(0, c.len)), "") << c.buffer << " " << c.len;
    }
}

// Lesson 06's rule: a name is a name, one byte long too -- only "." alone
// is the directory itself (the tree's names are all longer).  And
// open_beneath answers the same whatever its caller keeps in x19..x28,
// and gives them back.
TEST(Lesson06Asm, OpenBeneathOneByteNames) {
    testsupport::TempDir dir("06-asm-short");
    ASSERT_FALSE(dir.path().empty());
    ASSERT_EQ(::mkdir(dir.at("d").c_str(), 0755), 0);
    testsupport::write_file(dir.at("d/e"), "in d\n");
    testsupport::write_file(dir.at("e"), "at the top\n");
    httpd::Fd root(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY));
    ASSERT_TRUE(root.valid());
    struct Case {
        std::string path, opens;
    };
    for (const Case& c : {Case{"/d/e", "d/e"}, Case{"d/e", "d/e"}, Case{"/e", "e"}, Case{"/d/", "d"}, Case{"/d", "d"},
                          Case{"/./d/./e", "d/e"}}) {
        std::int64_t fd = open_beneath(root.get(), c.path.data(), c.path.size());
        EXPECT_GE(fd, 0) << c.path;
        if (fd >= 0) {
            EXPECT_TRUE(names(static_cast<int>(fd), dir.at(c.opens))) << c.path << ": not " << c.opens;
            ::close(static_cast<int>(fd));
        }
        EXPECT_EQ(open_both(root.get(), c.path), "") << c.path;
        testsupport::CalleeSavedRun run =
            testsupport::call_checking_callee_saved(&open_beneath, root.get(), c.path.data(), c.path.size());
        EXPECT_EQ(run.problems, "") << c.path;
        EXPECT_GE(run.result, 0) << c.path << " (called with other values in x19..x28)";
        if (run.result >= 0) {
            EXPECT_TRUE(names(static_cast<int>(run.result), dir.at(c.opens))) << c.path;
            ::close(static_cast<int>(run.result));
        }
    }
}

// Random paths of the tree's names, links, dots and too-long names: the
// same status, or the same file.  The seed is printed with any difference.
TEST_F(Lesson06AsmTree, OpenBeneathRandomPathsAgree) {
    const unsigned seed = 20240607;
    const int count = 100000;
    std::mt19937 rng(seed);
    int free_before = testsupport::lowest_free_fd();
    int differences = 0, opened = 0, refused = 0;
    for (int i = 0; i < count && differences < 10; ++i) {
        std::string path = testsupport::random_path(rng);
        std::int64_t a = 0;
        std::string diff = open_both(root.get(), path, &a);
        (a >= 0 ? opened : refused)++;
        if (!diff.empty()) {
            ++differences;
            ADD_FAILURE() << "seed " << seed << ", case " << i << ": \"" << escaped(path) << "\": " << diff;
        }
    }
    EXPECT_EQ(testsupport::lowest_free_fd(), free_before) << "a descriptor leaked";
    // the paths must exercise both outcomes, or the comparison proves little
    EXPECT_GT(opened, count / 10);
    EXPECT_GT(refused, count / 10);
}

// ---------------------------------------------------------------------------
// The steps, and the lesson-06 pipeline side by side
// ---------------------------------------------------------------------------
TEST_F(Lesson06AsmTree, StepNormalizePathAgrees) {
    struct Case {
        std::string path;
        int want;
    };
    const Case cases[] = {
        {"/docs/../docs/a.txt", STEP_NEXT}, {"/docs/..", STEP_NEXT}, {"/docs/.", STEP_NEXT},
        {"//a", STEP_NEXT},                 {"/a..b", STEP_NEXT},    {"/", STEP_NEXT},
        {"/x/../y/../../z", 403},           {"/../secret.txt", 403}, {"/docs/../../x", 403},
        {"relative", 403},                  {"", 403},
    };
    for (const Case& c : cases) {
        auto r = records();
        r->set_path(c.path);
        testsupport::StepRun run = step_both(*r, TWIN_STEP(step_normalize_path), "", c.path);
        EXPECT_EQ(run.result, c.want) << c.path;
    }
}

TEST_F(Lesson06AsmTree, StepOpenBeneathAgrees) {
    struct Case {
        std::string path;
        int want;
    };
    const Case cases[] = {
        {"/a.txt", STEP_NEXT},         {"/dir/b.txt", STEP_NEXT},     {"/dir/index.html", STEP_NEXT},
        {"/dir/", STEP_NEXT},          {"/", STEP_NEXT},              {"/link-dir/index.html", 403},
        {"/link-out", 403},            {"/loop", 403},                {"/missing", 404},
        {"/a.txt/x", 404},             {"/" + testsupport::TraversalTree::longest_name() + "n", 414},
    };
    for (const Case& c : cases) {
        auto r = records();
        r->set_path(c.path);
        testsupport::StepRun run = step_both(*r, TWIN_STEP(step_open_beneath), "", c.path);
        EXPECT_EQ(run.result, c.want) << c.path;
    }
}

TEST_F(Lesson06AsmTree, PipelineServesInsideAndRefusesOutside) {
    struct Case {
        const char* target;
        int status;
        std::string type, body;
    };
    const Case cases[] = {
        {"/a.txt", 200, kText, "a\n"},
        {"/dir/", 200, testsupport::kHtml, "<p>dir</p>\n"},
        {"/dir/sub/../b.txt", 200, kText, "b\n"},
        {"/dir/%2e%2e/a.txt", 200, kText, "a\n"},
        {"/a..b", 200, testsupport::kOctets, "dots\n"},
        {"/..%5cx", 200, testsupport::kOctets, "backslash\n"},
        {"http://test/dir/./b.txt?x=../..", 200, kText, "b\n"},
        {"/../outside.txt", 403, "", ""},
        {"/%2e%2e/outside.txt", 403, "", ""},
        {"/%2E%2E%2Foutside.txt", 403, "", ""},
        {"/dir/../../outside.txt", 403, "", ""},
        {"http://test/../outside.txt", 403, "", ""},
        {"/link-out", 403, "", ""},
        {"/link-up/outside.txt", 403, "", ""},
        {"/link-dir/b.txt", 403, "", ""},
        {"/link-dir/", 403, "", ""},
        {"/dangling", 403, "", ""},
        {"/%252e%252e/outside.txt", 404, "", ""},
        {"/%c0%ae%c0%ae/outside.txt", 404, "", ""},
        {"/fifo", 403, "", ""},
    };
    for (const Case& c : cases) {
        for (const char* method : {"GET", "HEAD"}) {
            std::string label = std::string(method) + " " + c.target;
            auto r = records();
            testsupport::PipelineRun run = testsupport::pipeline_both(*r, testsupport::lesson_steps(6),
                                                                      testsupport::http_request(method, c.target), label);
            bool head = std::string(method) == "HEAD";
            if (c.status == 200) {
                EXPECT_EQ(run.result, STEP_DONE) << label;
                EXPECT_EQ(run.response, head_200(c.type, c.body.size()) + (head ? "" : c.body)) << label;
            } else {
                EXPECT_EQ(run.result, c.status) << label;
                EXPECT_EQ(run.response.substr(0, 12), "HTTP/1.1 " + std::to_string(c.status)) << label;
                EXPECT_EQ(run.response.find("TOP SECRET"), std::string::npos) << label;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// open_docroot and say_docroot_error
// ---------------------------------------------------------------------------
TEST_F(Lesson06AsmTree, OpenDocrootAgrees) {
    const std::string file = tree.at("a.txt"), missing = tree.at("missing"), long_name = "/" + std::string(300, 'l');
    for (const std::string& docroot : {tree.root(), tree.at("dir"), file, missing, long_name}) {
        struct config a {};
        a.docroot = docroot.c_str();
        a.docroot_fd = -1;
        httpd::Config c;
        c.docroot = docroot.c_str();
        std::int64_t ra = 1, rc = 1;
        std::string ea = output_of(2, [&] { ra = open_docroot(&a); });
        std::string ec = output_of(2, [&] { rc = httpd::open_docroot(&c); });
        EXPECT_EQ(ra, rc) << docroot;
        EXPECT_EQ(ea, ec) << docroot;
        EXPECT_EQ(a.docroot_fd >= 0, ra == 0) << docroot;
        EXPECT_EQ(c.docroot_fd >= 0, rc == 0) << docroot;
        if (ra == 0 && rc == 0) {
            EXPECT_TRUE(same_inode(static_cast<int>(a.docroot_fd), static_cast<int>(c.docroot_fd))) << docroot;
            EXPECT_TRUE(names(static_cast<int>(a.docroot_fd), docroot)) << docroot;
            EXPECT_EQ(ea, "") << docroot;
        } else {
            EXPECT_EQ(a.docroot_fd, -1) << docroot << ": nothing is kept on failure";
            EXPECT_EQ(ea.rfind("httpd: cannot open the docroot \"" + docroot + "\": ", 0), 0u) << ea;
        }
        if (a.docroot_fd >= 0) ::close(static_cast<int>(a.docroot_fd));
        if (c.docroot_fd >= 0) ::close(static_cast<int>(c.docroot_fd));
    }
}

TEST(Lesson06Asm, SayDocrootErrorAgrees) {
    for (std::int64_t err : {-ENOTDIR, -ENOENT, -EACCES, -ELOOP, -ENAMETOOLONG, -EMFILE, -1, -4095}) {
        for (const char* docroot : {"/srv/www", "", "site with spaces", "caf\xc3\xa9"}) {
            std::string ea = output_of(2, [&] { say_docroot_error(docroot, err); });
            std::string ec = output_of(2, [&] { httpd::say_docroot_error(docroot, err); });
            EXPECT_EQ(ea, ec) << err << " " << docroot;
        }
    }
    EXPECT_EQ(output_of(2, [] { say_docroot_error("x", -ENOTDIR); }),
              "httpd: cannot open the docroot \"x\": not a directory\n");
    EXPECT_EQ(output_of(2, [] { say_docroot_error("x", -ENOENT); }),
              "httpd: cannot open the docroot \"x\": no such file or directory\n");
    EXPECT_EQ(output_of(2, [] { say_docroot_error("x", -EACCES); }),
              "httpd: cannot open the docroot \"x\": errno " + std::to_string(EACCES) + "\n");
}
