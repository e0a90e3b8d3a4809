// tests/harness/docs_check_test.cpp -- the docs suite (build/tools/docs-check,
// tests/tools/docs-check.cpp) run on small repositories made up for each
// test: every check must catch the mistake it is there for, and pass the
// page once the mistake is gone.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

namespace fs = std::filesystem;

namespace {

// A repository: lessons/01-x (a page and a fixture), a source file with a
// function and a marked region, a unit test and an exercise's test.
struct Repo {
    fs::path dir;
    Repo() {
        char tmpl[] = "/tmp/docs-check-test.XXXXXX";
        dir = ::mkdtemp(tmpl);
        write("lessons/01-x/fixtures.json",
              R"([{"name": "socket-hello-fixed-response", "since": 1},
                  {"name": "socket-exercise-teapot", "since": 1, "exercise": "01-teapot"}])");
        write("cpp/01-x.cpp",
              "// answer -- the answer.\n"
              "int answer() {\n"
              "    // excerpt: body\n"
              "    return 42;\n"
              "    // excerpt end\n"
              "}\n");
        write("tests/unit/01-x_test.cpp",
              "TEST(Lesson01, AnswerIs42) {}\nTEST(Exercise01, DISABLED_TeapotIs418) {}\n");
        write("harness/main.cpp", "// --only --exercise\n");
        write("Makefile", "all:\n");
        write("README.md", "# r\n");
    }
    ~Repo() { fs::remove_all(dir); }
    void write(const std::string& rel, const std::string& text) const {
        fs::create_directories((dir / rel).parent_path());
        std::ofstream(dir / rel) << text;
    }
    std::string read(const std::string& rel) const {
        std::ifstream in(dir / rel);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
};

struct Result {
    int status = -1;
    std::string out;
};

// docs-check on the repository, with the make targets it may name.
Result check(const Repo& repo, const std::string& extra = "") {
    std::ofstream(repo.dir / "targets.txt") << "lesson-01\ndiff-01\nview-01\nunit\nasm-tests\nexcerpts\n";
    std::string cmd = std::string(DOCS_CHECK_BIN) + " --root " + repo.dir.string() + " --targets " +
                      (repo.dir / "targets.txt").string() + " " + extra + " 2>&1";
    Result r;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
    int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

const std::string kPageTop = "# Lesson 01\n\nStart with `make diff-01`.\n\n";

}  // namespace

TEST(DocsCheck, AGoodPagePasses) {
    Repo repo;
    repo.write("lessons/01-x/README.md", kPageTop +
                                             "<!-- excerpt: cpp/01-x.cpp function answer -->\n```cpp\n"
                                             "// answer -- the answer.\nint answer() {\n    // excerpt: body\n"
                                             "    return 42;\n    // excerpt end\n}\n```\n");
    Result r = check(repo);
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_TRUE(contains(r.out, "0 failed")) << r.out;
}

TEST(DocsCheck, ExcerptsAreRewrittenFromTheSourceAndThenAgree) {
    Repo repo;
    repo.write("lessons/01-x/README.md", kPageTop + "<!-- excerpt: cpp/01-x.cpp body -->\n```cpp\n    return 41;\n```\n");
    Result before = check(repo);
    EXPECT_EQ(before.status, 1) << before.out;
    EXPECT_TRUE(contains(before.out, "cpp/01-x.cpp body differs from the source")) << before.out;
    check(repo, "--write");
    EXPECT_TRUE(contains(repo.read("lessons/01-x/README.md"), "```cpp\n    return 42;\n```")) << repo.read("lessons/01-x/README.md");
    Result after = check(repo);
    EXPECT_EQ(after.status, 0) << after.out;
}

// A student changing a quoted function (an exercise) keeps the suite
// green: the page matches the committed source.  A page that matches
// neither the working copy nor the commit fails as before.
TEST(DocsCheck, AnExcerptOfTheCommittedSourcePassesWhileTheCopyChanges) {
    Repo repo;
    repo.write("lessons/01-x/README.md", kPageTop + "<!-- excerpt: cpp/01-x.cpp body -->\n```cpp\n    return 42;\n```\n");
    std::string git = "git -C " + repo.dir.string() + " -c user.name=t -c user.email=t@t ";
    ASSERT_EQ(std::system((git + "init -q && " + git + "add -A && " + git + "commit -qm c").c_str()), 0);
    repo.write("cpp/01-x.cpp", "int answer() {\n    // excerpt: body\n    return 43;\n    // excerpt end\n}\n");
    Result r = check(repo);
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_TRUE(contains(r.out, "cpp/01-x.cpp body: quotes the committed source, not your changed copy")) << r.out;
    repo.write("lessons/01-x/README.md", kPageTop + "<!-- excerpt: cpp/01-x.cpp body -->\n```cpp\n    return 41;\n```\n");
    Result wrong = check(repo);
    EXPECT_EQ(wrong.status, 1) << wrong.out;
    EXPECT_TRUE(contains(wrong.out, "cpp/01-x.cpp body differs from the source")) << wrong.out;
}

TEST(DocsCheck, CodeInASourceLanguageMustBeAnExcerpt) {
    Repo repo;
    repo.write("lessons/01-x/README.md", kPageTop + "```cpp\nint answer() { return 42; }\n```\n\n```\na picture\n```\n");
    Result r = check(repo);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(contains(r.out, "lessons/01-x/README.md:5: a ```cpp block must be an excerpt")) << r.out;
    EXPECT_TRUE(contains(r.out, "FAIL  code      1 checked, 1 problem(s)")) << r.out;   // the picture is fine
}

TEST(DocsCheck, ALessonPageStartsTheReaderOnItsDiff) {
    Repo repo;
    repo.write("lessons/01-x/README.md", "# Lesson 01\n\nRun `make lesson-01`.\n");
    Result r = check(repo);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(contains(r.out, "tells the reader to run `make diff-01` first")) << r.out;
}

TEST(DocsCheck, EveryServerABlockStartsIsKilledInIt) {
    Repo repo;
    repo.write("lessons/01-x/README.md",
               kPageTop + "```sh\nbuild/lesson-01/httpd-cpp 8080 &\ncurl http://127.0.0.1:8080/\n```\n\n"
                          "```sh\nbuild/lesson-01/httpd-cpp 8081 & PID=$!\ncurl http://127.0.0.1:8081/\n```\n\n"
                          "```sh\nbuild/lesson-01/httpd-cpp 8082 & PID=$!; sleep 1   # a comment & more\n"
                          "nc 127.0.0.1 8082 </dev/null & NC=$!\ntrue && kill $NC $PID\n```\n\n"
                          "```\nparse_request(buf, len, &req)   # a picture, not a job\n```\n");
    Result r = check(repo);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:6: a program started in the background must be remembered")) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:11: the block starts $PID in the background but never runs `kill $PID`")) << r.out;
    for (const char* fine : {"README.md:16:", "README.md:17:", "README.md:18:"})   // remembered and killed
        EXPECT_FALSE(contains(r.out, fine)) << r.out;
    EXPECT_FALSE(contains(r.out, "README.md:22:")) << r.out;   // &req in a picture
}

TEST(DocsCheck, FilterOnlyAndExerciseMustSelectSomething) {
    Repo repo;
    repo.write("lessons/01-x/README.md",
               kPageTop + "```sh\nmake unit FILTER=AnswerIs\nmake unit FILTER=Nothing\nmake unit FILTER=Teapot\n"
                          "make unit FILTER=Teapot EXERCISE=1\nmake lesson-01 ONLY=socket-hello\nmake lesson-01 ONLY=parse-\n"
                          "make lesson-01 EXERCISE=01-teapot\nmake lesson-01 EXERCISE=01-coffee\n```\n");
    Result r = check(repo);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_FALSE(contains(r.out, "README.md:6:")) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:7: `make unit FILTER=Nothing` runs no test")) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:8: `make unit FILTER=Teapot` runs no test (a DISABLED_ one needs EXERCISE=1)")) << r.out;
    EXPECT_FALSE(contains(r.out, "README.md:9:")) << r.out;
    EXPECT_FALSE(contains(r.out, "README.md:10:")) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:11: ONLY=parse- matches no fixture")) << r.out;
    EXPECT_FALSE(contains(r.out, "README.md:12:")) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:13: EXERCISE=01-coffee: no fixture belongs to that exercise")) << r.out;
}

TEST(DocsCheck, NothingPointsOutsideTheRepository) {
    // (the words are put together here, so that this file does not say them)
    const std::string reference = std::string("abi ") + "reference", outside = std::string("../") + "shared";
    Repo repo;
    repo.write("lessons/01-x/README.md", kPageTop + "The values come from the " + reference + ", section 7.\n");
    repo.write("tests/tools/regen.py", "# python3 regen.py " + outside + "/abi/abi.json\n");
    Result r = check(repo);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:5: `" + reference + "` points outside the repository")) << r.out;
    EXPECT_TRUE(contains(r.out, "tests/tools/regen.py:1: `" + outside + "` points outside the repository")) << r.out;
}

// The course plan may name a lesson that is not here yet; once it is, its
// names are checked like all others.
TEST(DocsCheck, APlannedLessonIsPendingUntilItExists) {
    Repo repo;
    repo.write("lessons/01-x/README.md", kPageTop);
    repo.write("README.md", "```sh\nmake lesson-05     # lesson 05, when it exists\nmake lesson-00\n```\n"
                            "| 05 decode | `step_of_a_later_lesson` |\n| 01 socket | `step_of_no_lesson` |\n");
    Result r = check(repo);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:2: pending (lesson still to come): `make lesson-05`")) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:3: `make lesson-00`: there is no such target")) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:5: pending (lesson still to come): `step_of_a_later_lesson`")) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:6: `step_of_no_lesson` appears nowhere")) << r.out;
    // a lesson page may not name a lesson to come that way
    repo.write("README.md", "# r\n");
    repo.write("lessons/01-x/README.md", kPageTop + "```sh\nmake lesson-05     # lesson 05\n```\n");
    r = check(repo);
    EXPECT_TRUE(contains(r.out, "README.md:6: `make lesson-05`: there is no such target")) << r.out;
}

// `function F` is F's definition, not the first line that calls F: a
// one-line wrapper above it (`void out_text(...) { out_bytes(...); }`)
// once stood in for out_bytes in lesson 08's page.
TEST(DocsCheck, AFunctionExcerptIsItsDefinitionNotACallToIt) {
    Repo repo;
    repo.write("cpp/01-x.cpp",
               "void out_text(int o) { out_bytes(o, 1); }\n"
               "\n"
               "// out_bytes -- the real one.\n"
               "void out_bytes(int o, int n) {\n"
               "    (void)o, (void)n;\n"
               "}\n");
    repo.write("lessons/01-x/README.md", kPageTop + "<!-- excerpt: cpp/01-x.cpp function out_bytes -->\n```cpp\n```\n");
    check(repo, "--write");
    EXPECT_TRUE(contains(repo.read("lessons/01-x/README.md"),
                         "```cpp\n// out_bytes -- the real one.\nvoid out_bytes(int o, int n) {\n    (void)o, (void)n;\n}\n```"))
        << repo.read("lessons/01-x/README.md");
    Result r = check(repo);
    EXPECT_EQ(r.status, 0) << r.out;
}

// A number a page states for a name of asm/records.inc is that name's value
// (issue: lessons 01, 03 and 07 said X_REQ was 13424 after the record grew
// to 13440).  Stated next to the name, in prose, tables and pictures; for
// an expression of names; backwards (N = NAME); with units.  make excerpts
// corrects a plain number; a number with a unit must be fixed by hand.
TEST(DocsCheck, LayoutNumbersAreTheRecordsValues) {
    Repo repo;
    repo.write("asm/records.inc",
               "// a record\n"
               "        .equ A_BASE, 16                   // 1: a meaning, not a size\n"
               "        .equ A_SIZE, A_BASE * 2 + 8       // 40: computed\n"
               "        .equ A_BIG, 2097152               // 2 MiB: big\n"
               "        .equ A_ROUND, (A_SIZE + 15) & ~15 // 48\n"
               "        .equ A_WRONG, A_BASE + 1          // 18: a comment that drifted\n");
    repo.write("cpp/01-x.cpp", "// answer -- the answer.\nint answer() {\n    // excerpt: body\n"
                               "    return 42;   // A_SIZE (99) in a source comment is the source's business\n"
                               "    // excerpt end\n}\n");
    repo.write("lessons/01-x/README.md",
               kPageTop +
                   "`A_SIZE` (40) is right, `A_SIZE` (41) is not.\n"                              // 5
                   "A_ROUND = 48 bytes; A_BIG = **2 MiB**; `A_BIG` (1 MiB) is wrong.\n"        // 6
                   "`A_SIZE & 0xf` (8), 40 = A_SIZE, and 41 (`A_SIZE`).\n"                     // 7
                   "\n| name | size |\n|---|---|\n| `A_BASE` | 17 bytes |\n\n"                   // 11
                   "```\n  x + A_SIZE │ buf: A_BASE (15) │\n```\n\n"                                // 14
                   "<!-- excerpt: cpp/01-x.cpp body -->\n```cpp\n"
                   "    return 42;   // A_SIZE (99) in a source comment is the source's business\n```\n"
                   "`A_BASE` is 16, and A_BASE is a word here: `A_BASE` bytes.\n");            // 21
    Result r = check(repo);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(contains(r.out, "asm/records.inc:6: A_WRONG is 17, its comment says 18")) << r.out;
    EXPECT_FALSE(contains(r.out, "asm/records.inc:2:")) << r.out;   // "1:" after a plain number is a meaning
    EXPECT_TRUE(contains(r.out, "README.md:5: A_SIZE is 40 (asm/records.inc), the page says 41; run: make excerpts")) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:6: A_BIG is 2097152 (asm/records.inc), the page says 1 MiB\n")) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:7: A_SIZE is 40 (asm/records.inc), the page says 41")) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:11: A_BASE is 16 (asm/records.inc), the page says 17")) << r.out;
    EXPECT_TRUE(contains(r.out, "README.md:14: A_BASE is 16 (asm/records.inc), the page says 15")) << r.out;
    EXPECT_FALSE(contains(r.out, "the page says 99")) << r.out;   // excerpts are checked as excerpts
    EXPECT_FALSE(contains(r.out, "README.md:21:")) << r.out;   // "is 16" is checked, and right
    EXPECT_TRUE(contains(r.out, "FAIL  layout    15 checked, 6 problem(s)")) << r.out;

    // make excerpts puts the right plain numbers in; "1 MiB" stays for the author
    check(repo, "--write");
    std::string page = repo.read("lessons/01-x/README.md");
    EXPECT_TRUE(contains(page, "`A_SIZE` (40) is right, `A_SIZE` (40) is not.")) << page;
    EXPECT_TRUE(contains(page, "40 = A_SIZE, and 40 (`A_SIZE`).")) << page;
    EXPECT_TRUE(contains(page, "| `A_BASE` | 16 bytes |")) << page;
    EXPECT_TRUE(contains(page, "buf: A_BASE (16) │")) << page;
    Result after = check(repo);
    EXPECT_TRUE(contains(after.out, "FAIL  layout    15 checked, 2 problem(s)")) << after.out;
    EXPECT_TRUE(contains(after.out, "the page says 1 MiB")) << after.out;
}
