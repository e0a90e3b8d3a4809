// tests/unit/06-traversal_test.cpp -- lesson 06's C++ stage: normalize_path
// against the table of tests/support/traversal_cases.hpp (RFC 3986 §5.2.4,
// §5.4 and the lesson's rules) and random paths (what must always hold of
// a result); open_beneath against the tree and its table, and against an
// lstat model for random paths; open_failure_status; the steps; the
// lesson-06 pipeline with a secret right outside the docroot; open_docroot
// and its messages.
//
// Expectations come from RFC 3986 §5.2.4 / §5.4, RFC 9110 §15.5.4 /
// §15.5.5 / §15.5.15 and the lesson's rules (lessons/06-traversal/README.md).
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

#include "../support/files_fixture.hpp"
#include "../support/pipeline.hpp"
#include "../support/support.hpp"
#include "../support/traversal_cases.hpp"
#include "01-socket.hpp"
#include "04-files.hpp"
#include "05-decode.hpp"
#include "06-traversal.hpp"
#include "exchange.hpp"

namespace {

using testsupport::capture;
using testsupport::head_200;
using testsupport::kText;
using testsupport::output_of;

// What this file's temporary directories are called (/tmp/metal-06-unit-*).
constexpr const char* kTag = "06-unit";

// normalize_path on a copy of `in` followed by 16 guard bytes: the result
// and the whole buffer afterwards.
struct Normalized {
    std::int64_t result;
    std::string buffer;   // in.size() bytes, then 16 guard bytes, as left
};
Normalized normalize(const std::string& in) {
    Normalized n;
    n.buffer = in + std::string(16, '#');
    n.result = httpd::normalize_path(n.buffer.data(), in.size());
    return n;
}

// The file behind a descriptor and behind a path are the same one.
bool same_file(int fd, const std::string& path) {
    struct stat a {}, b {};
    return ::fstat(fd, &a) == 0 && ::lstat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// The lesson-06 steps in the spine's order (cpp/httpd.cpp), after lesson
// 03's steps have parsed a GET or HEAD of `path`: lesson 05's list with
// step_normalize_path after step_decode_path and step_open_beneath in the
// place of step_open_file.  Only the descriptor counts from lesson 06 on.
testsupport::Served serve(int docroot_fd, std::string_view path, bool is_head = false) {
    return testsupport::serve_steps({6, "step_decode_path", "/nonexistent: lesson 06 never uses the string", docroot_fd},
                                    [&](httpd::Exchange& x) {
                                        x.req.path = path;
                                        x.req.is_head = is_head;
                                    });
}

// The tree's root open as a directory, as open_docroot would leave it.
class Lesson06Tree : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(tree.ok());
        root = httpd::Fd(::open(tree.root().c_str(), O_RDONLY | O_DIRECTORY));
        ASSERT_TRUE(root.valid());
    }
    testsupport::TraversalTree tree{kTag};
    httpd::Fd root;
};

}  // namespace

// ---------------------------------------------------------------------------
// normalize_path
// ---------------------------------------------------------------------------
TEST(Lesson06, NormalizePathFollowsTheTable) {
    for (const testsupport::NormalizeCase& c : testsupport::normalize_cases()) {
        Normalized n = normalize(c.in);
        EXPECT_EQ(n.result, c.want) << c.why;
        if (c.want >= 0) {
            EXPECT_EQ(n.buffer.substr(0, static_cast<std::size_t>(c.want)), c.out) << c.why;
        } else if (!c.out.empty()) {
            EXPECT_EQ(n.buffer.substr(0, c.in.size()), c.out) << c.why;
        }
        EXPECT_EQ(n.buffer.substr(c.in.size()), std::string(16, '#')) << c.why << ": wrote past len";
    }
}

// Only len bytes are read: "/a/.." cut to "/a/." keeps the "a".
TEST(Lesson06, NormalizePathReadsOnlyLenBytes) {
    std::string buffer = "/a/..";
    EXPECT_EQ(httpd::normalize_path(buffer.data(), 4), 3);
    EXPECT_EQ(buffer, "/a/..");
    buffer = "/../x";
    EXPECT_EQ(httpd::normalize_path(buffer.data(), 1), 1);   // just "/"
    EXPECT_EQ(httpd::normalize_path(buffer.data(), 2), 1);   // "/." is "/"
    EXPECT_EQ(httpd::normalize_path(buffer.data(), 3), -403);
}

// What must hold of every result, whatever the input: never longer than
// the input, starts with '/', no "", "." or ".." segment left, normalizing
// it again changes nothing, it ends in '/' when the input's last segment
// was "", "." or "..", nothing written past len; and a refusal happens
// exactly when the ".." segments outnumber the names before them.  Fixed
// seed, printed on failure.
TEST(Lesson06, NormalizePathRandomPathsKeepTheRules) {
    const unsigned seed = 20240606;
    std::mt19937 rng(seed);
    const std::string segments[] = {"", ".", "..", "a", "bb", "...", ".a", "a.", "..a", "a..", "%2e", "\\..", "c"};
    for (int i = 0; i < 100000; ++i) {
        std::string in = rng() % 50 == 0 ? "" : "/";
        int parts = static_cast<int>(rng() % 8);
        int depth = 0;
        bool above = false;
        std::string last;
        for (int k = 0; k < parts; ++k) {
            if (k > 0) in += '/';
            last = segments[rng() % std::size(segments)];
            in += last;
            if (last == "..") {
                if (depth == 0) above = true;
                else --depth;
            } else if (!last.empty() && last != ".") {
                ++depth;
            }
        }
        if (in.empty() && rng() % 2) in = "a/..";   // relative: never below the root
        std::string label = "seed " + std::to_string(seed) + " case " + std::to_string(i) + ": \"" + in + "\"";
        Normalized n = normalize(in);
        ASSERT_EQ(n.buffer.substr(in.size()), std::string(16, '#')) << label << ": wrote past len";
        bool absolute = !in.empty() && in[0] == '/';
        if (!absolute || above) {
            ASSERT_EQ(n.result, -403) << label;
            continue;
        }
        ASSERT_GE(n.result, 1) << label;
        ASSERT_LE(n.result, static_cast<std::int64_t>(in.size())) << label;
        std::string out = n.buffer.substr(0, static_cast<std::size_t>(n.result));
        ASSERT_EQ(out[0], '/') << label;
        // its segments: names only (the last one is "" when it ends in '/')
        for (std::size_t from = 1; from < out.size();) {
            std::size_t to = std::min(out.find('/', from), out.size());
            std::string segment = out.substr(from, to - from);
            ASSERT_TRUE(!segment.empty() && segment != "." && segment != "..") << label << " -> \"" << out << "\"";
            from = to + 1;
        }
        bool dir_like = parts == 0 || last.empty() || last == "." || last == "..";
        ASSERT_EQ(out.back() == '/', dir_like) << label << " -> \"" << out << "\"";
        Normalized again = normalize(out);
        ASSERT_EQ(again.result, n.result) << label << ": not idempotent";
        ASSERT_EQ(again.buffer.substr(0, out.size()), out) << label;
    }
}

TEST(Lesson06, StepNormalizePathSetsPathLenOrRefuses) {
    struct Case {
        std::string path;   // x.path as step_decode_path left it
        int want;
        std::string normalized;
    };
    const Case cases[] = {
        {"/docs/../docs/a.txt", httpd::kNext, "/docs/a.txt"},
        {"/docs/..", httpd::kNext, "/"},
        {"/docs/.", httpd::kNext, "/docs/"},
        {"//a.txt", httpd::kNext, "/a.txt"},
        {"/a..b", httpd::kNext, "/a..b"},
        {"/../secret.txt", 403, ""},
        {"/docs/../../secret.txt", 403, ""},
    };
    for (const Case& c : cases) {
        auto x = std::make_unique<httpd::Exchange>();
        httpd::Config cfg;
        httpd::start_exchange(*x, -1, &cfg);
        std::memset(x->path, '#', sizeof x->path);
        std::memcpy(x->path, c.path.data(), c.path.size());
        x->path_len = c.path.size();
        EXPECT_EQ(httpd::step_normalize_path(*x), c.want) << c.path;
        if (c.want == httpd::kNext) {
            EXPECT_EQ(std::string(x->path, x->path_len), c.normalized) << c.path;
        } else {
            EXPECT_EQ(x->path_len, c.path.size()) << c.path << ": a refused path must not set path_len";
        }
        EXPECT_EQ(x->path[c.path.size()], '#') << c.path << ": wrote past the path";
    }
}

// ---------------------------------------------------------------------------
// open_failure_status
// ---------------------------------------------------------------------------
TEST_F(Lesson06Tree, OpenFailureStatusTellsALinkFromAFile) {
    EXPECT_EQ(httpd::open_failure_status(root.get(), "link-dir", ENOTDIR), 403);   // O_DIRECTORY met a link
    EXPECT_EQ(httpd::open_failure_status(root.get(), "dangling", ENOTDIR), 403);
    EXPECT_EQ(httpd::open_failure_status(root.get(), "a.txt", ENOTDIR), 404);      // a file used as a directory
    EXPECT_EQ(httpd::open_failure_status(root.get(), "missing", ENOTDIR), 404);    // gone meanwhile: still ENOTDIR's
    // every other errno: lesson 04's table, without looking at the name
    for (int err : {ENOENT, EACCES, EPERM, ELOOP, ENAMETOOLONG, EMFILE, EIO}) {
        EXPECT_EQ(httpd::open_failure_status(root.get(), "link-dir", err), httpd::errno_to_status(err)) << err;
    }
}

// What the two kernels really answer: O_DIRECTORY | O_NOFOLLOW on a link is
// ENOTDIR (not ELOOP), O_NOFOLLOW alone on a link is ELOOP.  This is why
// open_failure_status exists.
TEST_F(Lesson06Tree, TheKernelSaysEnotdirForALinkOpenedAsADirectory) {
    errno = 0;
    EXPECT_LT(::openat(root.get(), "link-dir", O_RDONLY | O_DIRECTORY | O_NOFOLLOW), 0);
    EXPECT_EQ(errno, ENOTDIR);
    errno = 0;
    EXPECT_LT(::openat(root.get(), "link-dir", O_RDONLY | O_NONBLOCK | O_NOFOLLOW), 0);
    EXPECT_EQ(errno, ELOOP);
}

// ---------------------------------------------------------------------------
// open_beneath
// ---------------------------------------------------------------------------
TEST_F(Lesson06Tree, OpenBeneathFollowsTheTable) {
    int free_before = testsupport::lowest_free_fd();
    for (const testsupport::OpenCase& c : testsupport::open_cases()) {
        std::int64_t r = httpd::open_beneath(root.get(), c.path);
        if (c.status != 0) {
            EXPECT_EQ(r, -c.status) << c.why;
        } else {
            EXPECT_GE(r, 0) << c.why;
        }
        if (c.status == 0 && r >= 0) {
            EXPECT_TRUE(same_file(static_cast<int>(r), tree.at(c.opens))) << c.why << ": not " << c.opens;
            EXPECT_NE(r, root.get()) << c.why << ": the caller's descriptor handed back";
            ::close(static_cast<int>(r));
        }
        EXPECT_EQ(::fcntl(root.get(), F_GETFD), 0) << c.why << ": dirfd was closed";
        EXPECT_EQ(testsupport::lowest_free_fd(), free_before) << c.why << ": a descriptor leaked";
    }
}

// The model (an lstat walk) agrees with the table, so it can judge the
// random paths below.
TEST_F(Lesson06Tree, TheModelAgreesWithTheTable) {
    for (const testsupport::OpenCase& c : testsupport::open_cases()) {
        std::string opens;
        int status = testsupport::expected_open(tree.root(), c.path, opens);
        EXPECT_EQ(status, c.status) << c.why;
        if (status == 0) {
            EXPECT_EQ(opens, c.opens) << c.why;
        }
    }
}

TEST_F(Lesson06Tree, OpenBeneathRandomPathsAgreeWithTheModel) {
    const unsigned seed = 20240607;
    std::mt19937 rng(seed);
    int free_before = testsupport::lowest_free_fd();
    for (int i = 0; i < 100000; ++i) {
        std::string path = testsupport::random_path(rng);
        std::string label = "seed " + std::to_string(seed) + " case " + std::to_string(i) + ": \"" + path + "\"";
        std::string opens;
        int status = testsupport::expected_open(tree.root(), path, opens);
        std::int64_t r = httpd::open_beneath(root.get(), path);
        if (status != 0) {
            ASSERT_EQ(r, -status) << label;
        } else {
            ASSERT_GE(r, 0) << label;
            bool same = same_file(static_cast<int>(r), tree.at(opens));
            ::close(static_cast<int>(r));
            ASSERT_TRUE(same) << label << ": not " << opens;
        }
    }
    EXPECT_EQ(testsupport::lowest_free_fd(), free_before) << "a descriptor leaked";
}

// A directory the server may not search: EACCES, 403.  Run as nobody (as
// root the mode bits would not stop us).
TEST_F(Lesson06Tree, OpenBeneathUnsearchableDirectoryIs403) {
    std::filesystem::create_directory(tree.at("locked"));
    testsupport::write_file(tree.at("locked/x.txt"), "x\n");
    ASSERT_EQ(::chmod(tree.at("locked").c_str(), 0), 0);
    int r = testsupport::exit_status_as_nobody([&] {
        int fd = ::open(tree.root().c_str(), O_RDONLY | O_DIRECTORY);
        return fd >= 0 && httpd::open_beneath(fd, "/locked/x.txt") == -403 ? 0 : 1;
    });
    ::chmod(tree.at("locked").c_str(), 0755);
    EXPECT_EQ(r, 0);
}

// open_beneath itself does not depend on normalize_path: each step does
// its part, and ".." that reached it is refused, not followed.
TEST_F(Lesson06Tree, OpenBeneathNeverClimbsEvenUnnormalized) {
    for (const char* path : {"/..", "../outside.txt", "/dir/../../outside.txt", "/dir/sub/../../a.txt", "..//x"}) {
        EXPECT_EQ(httpd::open_beneath(root.get(), path), -403) << path;
    }
}

TEST_F(Lesson06Tree, StepOpenBeneathFillsFileOrAnswers) {
    struct Case {
        std::string path;   // x.path as step_add_index left it
        int want;
        std::string opens;
    };
    const Case cases[] = {
        {"/dir/b.txt", httpd::kNext, "dir/b.txt"},
        {"/dir/index.html", httpd::kNext, "dir/index.html"},
        {"/link-dir/index.html", 403, ""},
        {"/link-out", 403, ""},
        {"/missing", 404, ""},
        {"/" + testsupport::TraversalTree::longest_name() + "n", 414, ""},
    };
    for (const Case& c : cases) {
        auto x = std::make_unique<httpd::Exchange>();
        httpd::Config cfg;
        cfg.docroot_fd = root.get();
        httpd::start_exchange(*x, -1, &cfg);
        std::memcpy(x->path, c.path.data(), c.path.size());
        x->path_len = c.path.size();
        EXPECT_EQ(httpd::step_open_beneath(*x), c.want) << c.path;
        EXPECT_EQ(x->file.valid(), c.want == httpd::kNext) << c.path;
        if (x->file.valid()) {
            EXPECT_TRUE(same_file(x->file.get(), tree.at(c.opens))) << c.path;
        }
    }
}

// ---------------------------------------------------------------------------
// The lesson-06 pipeline: nothing outside the docroot, no link followed
// ---------------------------------------------------------------------------
TEST_F(Lesson06Tree, PipelineServesInsideAndRefusesEverythingElse) {
    struct Served {
        const char* path;
        std::string type;
        std::string body;
    };
    const Served served[] = {
        {"/a.txt", kText, "a\n"},
        {"/dir/", testsupport::kHtml, "<p>dir</p>\n"},
        {"/dir/../dir/b.txt", kText, "b\n"},
        {"/dir/sub/..", testsupport::kHtml, "<p>dir</p>\n"},   // "/dir/" -> index.html
        {"/dir/%2e%2e/a.txt", kText, "a\n"},
        {"/a..b", testsupport::kOctets, "dots\n"},
        {"/...", testsupport::kOctets, "three\n"},
        {"/.hidden", testsupport::kOctets, "hidden\n"},
        {"/..%5cx", testsupport::kOctets, "backslash\n"},
    };
    for (const Served& c : served) {
        testsupport::Served get = serve(root.get(), c.path);
        EXPECT_EQ(get.result, httpd::kDone) << c.path;
        EXPECT_EQ(get.bytes, head_200(c.type, c.body.size()) + c.body) << c.path;
        EXPECT_EQ(serve(root.get(), c.path, true).bytes, head_200(c.type, c.body.size())) << c.path;
    }
    struct Refused {
        const char* path;
        int status;
    };
    const Refused refused[] = {
        {"/../outside.txt", 403},       {"/%2e%2e/outside.txt", 403},   {"/%2E%2E%2Foutside.txt", 403},
        {"/dir/../../outside.txt", 403}, {"/.%2e/outside.txt", 403},    {"/link-out", 403},
        {"/link-up/outside.txt", 403},  {"/link-dir/b.txt", 403},       {"/link-dir/", 403},
        {"/link-a", 403},               {"/loop", 403},                 {"/dangling", 403},
        {"/%252e%252e/outside.txt", 404}, {"/..%5coutside.txt", 404},   {"/%c0%ae%c0%ae/outside.txt", 404},
        {"/fifo", 403},                 {"/dir", 403},                  {"/empty/", 404},
    };
    for (const Refused& c : refused) {
        testsupport::Served s = serve(root.get(), c.path);
        EXPECT_EQ(s.result, c.status) << c.path;
        EXPECT_EQ(s.bytes, "") << c.path << ": something was sent before the answer";
    }
}

// ---------------------------------------------------------------------------
// open_docroot and its messages
// ---------------------------------------------------------------------------
TEST_F(Lesson06Tree, OpenDocrootOpensTheDirectory) {
    httpd::Config cfg;
    std::string path = tree.root();
    cfg.docroot = path.c_str();
    std::int64_t r = 1;
    std::string err = output_of(2, [&] { r = httpd::open_docroot(&cfg); });
    EXPECT_EQ(r, 0);
    EXPECT_EQ(err, "");
    ASSERT_GE(cfg.docroot_fd, 0);
    EXPECT_TRUE(same_file(static_cast<int>(cfg.docroot_fd), tree.root()));
    ::close(static_cast<int>(cfg.docroot_fd));
}

// The docroot itself may be a symbolic link (the operator's choice).
TEST_F(Lesson06Tree, OpenDocrootFollowsALinkedDocroot) {
    std::string link = tree.root() + "/../root-link";
    ASSERT_EQ(::symlink("root", link.c_str()), 0);
    httpd::Config cfg;
    cfg.docroot = link.c_str();
    std::int64_t r = 1;
    std::string err = output_of(2, [&] { r = httpd::open_docroot(&cfg); });
    EXPECT_EQ(r, 0) << err;
    ASSERT_GE(cfg.docroot_fd, 0);
    EXPECT_TRUE(same_file(static_cast<int>(cfg.docroot_fd), tree.root()));
    ::close(static_cast<int>(cfg.docroot_fd));
}

TEST_F(Lesson06Tree, OpenDocrootSaysWhyItCannot) {
    struct Case {
        std::string docroot;
        std::int64_t want;
        std::string message;
    };
    const std::string file = tree.at("a.txt"), missing = tree.at("missing"), long_name = "/" + std::string(300, 'l');
    const Case cases[] = {
        {file, -ENOTDIR, "httpd: cannot open the docroot \"" + file + "\": not a directory\n"},
        {missing, -ENOENT, "httpd: cannot open the docroot \"" + missing + "\": no such file or directory\n"},
        {long_name, -ENAMETOOLONG,
         "httpd: cannot open the docroot \"" + long_name + "\": errno " + std::to_string(ENAMETOOLONG) + "\n"},
    };
    for (const Case& c : cases) {
        httpd::Config cfg;
        cfg.docroot = c.docroot.c_str();
        std::int64_t r = 0;
        std::string err = output_of(2, [&] { r = httpd::open_docroot(&cfg); });
        EXPECT_EQ(r, c.want) << c.docroot;
        EXPECT_EQ(err, c.message);
        EXPECT_EQ(cfg.docroot_fd, -1) << c.docroot << ": nothing is kept on failure";
    }
}

TEST(Lesson06, SayDocrootErrorWordsAndNumbers) {
    EXPECT_EQ(output_of(2, [] { httpd::say_docroot_error("/srv", -ENOTDIR); }),
              "httpd: cannot open the docroot \"/srv\": not a directory\n");
    EXPECT_EQ(output_of(2, [] { httpd::say_docroot_error("site", -ENOENT); }),
              "httpd: cannot open the docroot \"site\": no such file or directory\n");
    EXPECT_EQ(output_of(2, [] { httpd::say_docroot_error("/root/x", -EACCES); }),
              "httpd: cannot open the docroot \"/root/x\": errno " + std::to_string(EACCES) + "\n");
    EXPECT_EQ(output_of(2, [] { httpd::say_docroot_error("", -ELOOP); }),
              "httpd: cannot open the docroot \"\": errno " + std::to_string(ELOOP) + "\n");
}
