// tests/harness/lint_test.cpp -- what keeps the fixtures buildable on a Mac
// (harness/lint.hpp, harness/tree.hpp): a docroot built one name at a time,
// a lint that finds names differing only in case, and the library that
// holds Linux to Darwin's 1,024-byte path limit while the lint runs.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "lint.hpp"
#include "server.hpp"
#include "tree.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kSite = std::string(METAL_SOURCE_DIR) + "/harness/site";

// A temporary directory, removed afterwards (one name at a time: it may
// hold paths longer than 1,024 bytes).
struct TempDir {
    std::string dir;
    TempDir() {
        char tmpl[] = "/tmp/harness-lint.XXXXXX";
        dir = ::mkdtemp(tmpl);
    }
    ~TempDir() { harness::tree::remove_tree(dir); }
};

// "d...d/" eleven times (100 d's each) and a file name: 1,119 bytes.
std::string long_path_of_short_names() {
    std::string p;
    for (int i = 0; i < 11; ++i) p += std::string(100, 'd') + "/";
    return p + "deep.txt";
}

// The exit status of a shell command.
int run(const std::string& cmd) {
    int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

harness::Fixture fixture_with(const std::vector<std::string>& paths) {
    harness::Fixture f;
    f.name = "made-up";
    for (const auto& p : paths) {
        harness::DocrootChange c;
        c.path = p;
        c.content = "x";
        f.docroot.push_back(c);
    }
    return f;
}

}  // namespace

TEST(Tree, ADocrootDeeperThanDarwinsPathLimitIsBuiltAndRead) {
    TempDir t;
    std::string rel = long_path_of_short_names();
    ASSERT_GE(t.dir.size() + 6 + rel.size(), harness::tree::kDarwinPathMax) << "the path must be too long for macOS";
    harness::DocrootChange c;
    c.path = rel;
    c.content = "deep\n";
    harness::prepare_docroot(kSite, t.dir + "/site", {c});
    std::string got;
    ASSERT_TRUE(harness::tree::read_beneath(t.dir + "/site", rel, got));
    EXPECT_EQ(got, "deep\n");
    EXPECT_TRUE(harness::tree::exists_beneath(t.dir + "/site", rel));
    EXPECT_FALSE(harness::tree::exists_beneath(t.dir + "/site", rel + ".not-there"));
}

TEST(Tree, RemoveTreeRemovesDeepAndModeZeroDirectories) {
    char tmpl[] = "/tmp/harness-lint.XXXXXX";
    std::string dir = ::mkdtemp(tmpl);
    harness::DocrootChange deep, closed;
    deep.path = long_path_of_short_names();
    deep.content = "x";
    closed.path = "closed";
    closed.dir = true;
    closed.mode = 0;
    harness::prepare_docroot(kSite, dir + "/site", {deep, closed});
    EXPECT_TRUE(harness::tree::remove_tree(dir));
    EXPECT_FALSE(fs::exists(dir));
}

// The guard itself: under build/tests/darwin-path-max.so a Linux program
// gets ENAMETOOLONG for a path Darwin refuses, and only for that.
#ifdef __linux__
TEST(DarwinPathMax, RefusesWhatDarwinRefusesAndNothingElse) {
    TempDir t;
    std::string rel = long_path_of_short_names();
    std::string dirs = t.dir + "/" + rel.substr(0, rel.rfind('/'));
    ASSERT_EQ(run("mkdir -p '" + dirs + "'"), 0);
    std::string preload = std::string("LD_PRELOAD='") + DARWIN_PATH_MAX_SO + "' ";
    EXPECT_NE(run(preload + "touch '" + dirs + "/refused' 2>/dev/null"), 0) << "a 1,1xx-byte path must be refused";
    EXPECT_EQ(run("touch '" + dirs + "/allowed'"), 0) << "Linux itself allows it";
    EXPECT_EQ(run(preload + "touch '" + t.dir + "/short'"), 0) << "a short path goes through";
    EXPECT_EQ(run("cd '" + dirs + "' && " + preload + "touch relative"), 0) << "a short relative path goes through";
}

TEST(DarwinPathMax, TheFixtureLintPassesUnderIt) {
    EXPECT_EQ(run(std::string("cd ") + METAL_SOURCE_DIR + " && LD_PRELOAD='" + DARWIN_PATH_MAX_SO + "' " + HARNESS_BIN +
                  " --lint > /dev/null"),
              0)
        << "run it to see which fixture: LD_PRELOAD=build/tests/darwin-path-max.so build/harness --lint";
}
#endif

TEST(Lint, FoldCaseFoldsAsciiAndLatin1Letters) {
    EXPECT_EQ(harness::fold_case("ReadMe.TXT"), "readme.txt");
    EXPECT_EQ(harness::fold_case("\xC3\x84pfel"), "\xC3\xA4pfel");   // Äpfel -> äpfel
    EXPECT_EQ(harness::fold_case("\xC3\x97"), "\xC3\x97");            // the multiplication sign is no letter
    EXPECT_EQ(harness::fold_case("9-_."), "9-_.");
}

TEST(Lint, FindsNamesThatDifferOnlyInCase) {
    auto same = harness::case_collisions(fixture_with({"order/b", "order/B", "order/c"}), kSite);
    ASSERT_EQ(same.size(), 1u);
    EXPECT_EQ(same[0], "order/: B b");
    EXPECT_TRUE(harness::case_collisions(fixture_with({"order/b", "other/B"}), kSite).empty())
        << "different directories never collide";
    // The demo site's own names count: it has index.html at the top.
    EXPECT_EQ(harness::case_collisions(fixture_with({"INDEX.HTML"}), kSite).size(), 1u);
}

TEST(Lint, AnAbsentChangeRemovesANameBeforeTheCheck) {
    harness::Fixture f = fixture_with({"order/b"});
    harness::DocrootChange gone;
    gone.path = "order/b";
    gone.absent = true;
    f.docroot.push_back(gone);
    harness::DocrootChange upper;
    upper.path = "order/B";
    upper.content = "x";
    f.docroot.push_back(upper);
    EXPECT_TRUE(harness::case_collisions(f, kSite).empty());
}

TEST(Lint, TheMarkIsCheckedBothWays) {
    harness::Workspace ws;
    harness::Fixture unmarked = fixture_with({"order/b", "order/B"});
    auto problems = harness::lint_fixture(unmarked, kSite, ws);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("case-sensitive-disk"), std::string::npos) << problems[0];

    harness::Fixture marked = unmarked;
    marked.needs = {"case-sensitive-disk"};
    EXPECT_TRUE(harness::lint_fixture(marked, kSite, ws).empty());

    harness::Fixture needless = fixture_with({"order/b"});
    needless.needs = {"case-sensitive-disk"};
    EXPECT_EQ(harness::lint_fixture(needless, kSite, ws).size(), 1u) << "a mark with no reason is a problem too";
}

#ifdef __linux__
TEST(Lint, LinuxDisksDoNotFoldCase) {
    TempDir t;
    EXPECT_FALSE(harness::disk_folds_case(t.dir));
}
#endif
