// tests/harness/end_to_end_test.cpp -- the real build/harness, run as a
// subprocess against build/tests/wrong-server with fixtures written into a
// temporary repository root.  It must say ✗, explain why, and exit non-zero
// when the server is wrong; say ✓ and exit 0 when it is right.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "report.hpp"
#include "server.hpp"

namespace fs = std::filesystem;

namespace {

const char* kFixtures = R"([
  {"name": "e2e-correct", "since": 99, "why": "w", "spec": "s",
   "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
   "expect": {"status": 200, "headers": {"Server": "metal-httpd", "Content-Length": "6"}, "body": "hello\n"}},
  {"name": "e2e-wrong-status", "since": 99, "why": "w", "spec": "s", "flags": ["-s", "404"],
   "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200}},
  {"name": "e2e-dropped-header", "since": 99, "why": "w", "spec": "s", "flags": ["-d", "Server"],
   "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200, "headers": {"Server": "metal-httpd"}}},
  {"name": "e2e-server-crashes", "since": 99, "why": "w", "spec": "s", "flags": ["-x"],
   "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200}},
  {"name": "e2e-never-answers", "since": 99, "why": "w", "spec": "s", "flags": ["-n"], "timeout_ms": 300,
   "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200}},
  {"name": "e2e-old", "since": 1, "until": 98, "why": "w", "spec": "s",
   "request": "GET / HTTP/1.1\r\n\r\n", "expect": {"status": 500}}
])";

// A temporary repository root with lessons/99-x/fixtures.json.
struct TempRoot {
    fs::path dir;
    explicit TempRoot(const std::string& fixtures) {
        char tmpl[] = "/tmp/harness-e2e.XXXXXX";
        dir = ::mkdtemp(tmpl);
        fs::create_directories(dir / "lessons/99-x");
        std::ofstream(dir / "lessons/99-x/fixtures.json") << fixtures;
    }
    ~TempRoot() { fs::remove_all(dir); }
};

struct Result {
    int status = -1;
    std::string out;
};

// Runs build/harness with these extra arguments; stdout and stderr together.
Result run_harness(const TempRoot& root, const std::string& args, const std::string& env = "") {
    std::string cmd = env + " " + std::string(HARNESS_BIN) + " --root " + root.dir.string() + " --site " + METAL_SOURCE_DIR +
                      "/harness/site --lesson 99 " + args + " 2>&1";
    Result r;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

const std::string kServer = std::string("--server cpp=") + WRONG_SERVER_BIN;

}  // namespace

TEST(EndToEnd, CorrectAnswerPassesAndExitsZero) {
    TempRoot root(kFixtures);
    Result r = run_harness(root, kServer + " --server asm=" + WRONG_SERVER_BIN + " --only '^e2e-correct$'");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_TRUE(contains(r.out, "\xE2\x9C\x93 200 6B")) << r.out;   // ✓ 200 6B
    EXPECT_FALSE(contains(r.out, "\xE2\x9C\x97")) << r.out;         // no ✗
    // The last line is exactly the summary.
    EXPECT_TRUE(r.out.size() >= 19 && r.out.substr(r.out.size() - 19) == "2 passed, 0 failed\n") << r.out;
}

// A typo in --only (make lesson-NN ONLY=...) is an error that names the
// nearest fixtures, never a green "0 passed, 0 failed".
TEST(EndToEnd, OnlyThatSelectsNothingFailsWithTheNearestNames) {
    TempRoot root(kFixtures);
    Result r = run_harness(root, kServer + " --only e2e-corect");
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_TRUE(contains(r.out, "--only 'e2e-corect' matches none of the")) << r.out;
    EXPECT_TRUE(contains(r.out, "did you mean: e2e-correct")) << r.out;
    EXPECT_FALSE(contains(r.out, "0 passed")) << r.out;
    Result far = run_harness(root, kServer + " --only zzz");
    EXPECT_EQ(far.status, 2) << far.out;
    EXPECT_TRUE(contains(far.out, "fixture names begin: e2e-...")) << far.out;
}

TEST(EndToEnd, WrongServerIsReportedWithDiagnostics) {
    TempRoot root(kFixtures);
    Result r = run_harness(root, kServer);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(contains(r.out, "\xE2\x9C\x97 404 6B")) << r.out;
    EXPECT_TRUE(contains(r.out, "status: expected 200, got 404")) << r.out;
    EXPECT_TRUE(contains(r.out, "Server: expected \"metal-httpd\", got no Server header")) << r.out;
    EXPECT_TRUE(contains(r.out, "it died: killed by signal 6")) << r.out;
    EXPECT_TRUE(contains(r.out, "no response within 300 ms")) << r.out;
    EXPECT_TRUE(contains(r.out, "printf 'GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' | nc 127.0.0.1 8080")) << r.out;
    EXPECT_TRUE(contains(r.out, " -s 404 8080 \"$site\" &")) << r.out;   // the repro starts it with the flags
    EXPECT_FALSE(contains(r.out, "e2e-old")) << "until 98 excludes it from lesson 99";
    EXPECT_TRUE(contains(r.out, "\n1 passed, 4 failed\n")) << r.out;
}

// Every server's docroot has the secret file right outside it (lesson 06's
// traversal fixtures ask for it): wrong-server -o answers with
// DOCROOT/../secret.txt, as a server that lets ".." through would.
TEST(EndToEnd, EveryDocrootHasTheSecretRightOutside) {
    TempRoot root(R"([{"name": "e2e-outside", "since": 99, "why": "w", "spec": "s", "flags": ["-o"],
                       "request": "GET /../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n",
                       "expect": {"status": 200, "body": "TOP SECRET: outside the docroot\n"}}])");
    Result r = run_harness(root, kServer + " --server 'asm=" + WRONG_SERVER_BIN + "'");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_TRUE(contains(r.out, "\n2 passed, 0 failed\n")) << r.out;
}

TEST(EndToEnd, DifferentAnswersAreMarkedEvenWhenBothPass) {
    TempRoot root(R"([{"name": "e2e-status-only", "since": 99, "why": "w", "spec": "s",
                       "request": "GET / HTTP/1.1\r\n\r\n", "expect": {"status": 200}}])");
    Result r = run_harness(root, kServer + " --server 'asm=" + WRONG_SERVER_BIN + " -b other'");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_TRUE(contains(r.out, "\xE2\x89\xA0 e2e-status-only")) << r.out;   // ≠ before the name
    EXPECT_TRUE(contains(r.out, "body bytes differ")) << r.out;
}

TEST(EndToEnd, ServerThatDoesNotStartCountsAsFailed) {
    TempRoot root(kFixtures);
    Result r = run_harness(root, std::string("--server 'cpp=") + WRONG_SERVER_BIN + " -z' --only e2e-correct");
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(contains(r.out, "exited before printing")) << r.out;
    EXPECT_TRUE(contains(r.out, "unknown flag -z")) << r.out;   // its stderr is shown
    EXPECT_TRUE(contains(r.out, "0 passed, 1 failed")) << r.out;
}

TEST(EndToEnd, MalformedFixtureStopsWithExitTwo) {
    TempRoot root(R"([{"name": "e2e-bad", "since": 99, "why": "w", "spec": "s", "request": "x",
                       "expect": {"status": 200}, "stauts": 1}])");
    Result r = run_harness(root, kServer);
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_TRUE(contains(r.out, "lessons/99-x/fixtures.json: fixture 'e2e-bad': unknown key 'stauts'")) << r.out;
}

TEST(EndToEnd, CompareShowsBothRawResponses) {
    TempRoot root(kFixtures);
    Result r = run_harness(root, kServer + " --server 'asm=" + WRONG_SERVER_BIN + " -s 201' --compare e2e-correct");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_TRUE(contains(r.out, "HTTP/1.1 200 Whatever\\r\\n")) << r.out;
    EXPECT_TRUE(contains(r.out, "HTTP/1.1 201 Whatever\\r\\n")) << r.out;
    EXPECT_TRUE(contains(r.out, "status: cpp 200, asm 201")) << r.out;
}

TEST(EndToEnd, CompareWithAnUnknownNameSuggestsTheClosest) {
    TempRoot root(kFixtures);
    Result r = run_harness(root, kServer + " --compare e2e-corect");
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_TRUE(contains(r.out, "no fixture is named 'e2e-corect'")) << r.out;
    EXPECT_TRUE(contains(r.out, "did you mean: e2e-correct?")) << r.out;
    r = run_harness(root, kServer + " --compare e2e-wrong");   // a prefix
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_TRUE(contains(r.out, "did you mean: e2e-wrong-status?")) << r.out;
}

// The compare view takes the screen's width from COLUMNS: side by side
// from 120 columns on, one answer under the other below.
TEST(EndToEnd, CompareFitsColumns) {
    TempRoot root(kFixtures);
    std::string args = kServer + " --server 'asm=" + WRONG_SERVER_BIN + " -s 201' --compare e2e-correct";
    for (int columns : {70, 100, 150}) {
        Result r = run_harness(root, args, "COLUMNS=" + std::to_string(columns));
        EXPECT_EQ(r.status, 0) << r.out;
        std::istringstream in(r.out);
        bool side_by_side = false;
        for (std::string line; std::getline(in, line);) {
            EXPECT_LE(harness::display_width(line), static_cast<size_t>(columns)) << line;
            if (contains(line, "HTTP/1.1 200 Whatever") && contains(line, "HTTP/1.1 201 Whatever")) side_by_side = true;
        }
        EXPECT_EQ(side_by_side, columns >= 120) << r.out;
    }
}

// "exercise": the fixture is off until --exercise names it; then the
// fixtures it replaces are left out.  Red before the student's change,
// green after it.
TEST(EndToEnd, ExerciseFixturesRunOnlyWhenAsked) {
    TempRoot root(R"([
      {"name": "e2e-plain", "since": 99, "why": "w", "spec": "s",
       "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200}},
      {"name": "e2e-changed-by-exercise", "since": 99, "why": "w", "spec": "s",
       "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200}},
      {"name": "e2e-exercise-teapot", "since": 99, "exercise": "99-teapot", "replaces": ["e2e-changed-by-exercise"],
       "why": "w", "spec": "s", "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 418}}
    ])");
    Result off = run_harness(root, kServer);
    EXPECT_EQ(off.status, 0) << off.out;
    EXPECT_FALSE(contains(off.out, "e2e-exercise-teapot")) << off.out;
    EXPECT_TRUE(contains(off.out, "\n2 passed, 0 failed\n")) << off.out;

    Result red = run_harness(root, kServer + " --exercise 99-teapot");
    EXPECT_EQ(red.status, 1) << red.out;
    EXPECT_TRUE(contains(red.out, "with exercise 99-teapot (in place of e2e-changed-by-exercise)")) << red.out;
    EXPECT_TRUE(contains(red.out, "\xE2\x9C\x97 200 6B")) << red.out;
    EXPECT_FALSE(contains(red.out, " e2e-changed-by-exercise\n")) << red.out;
    EXPECT_TRUE(contains(red.out, "\n1 passed, 1 failed\n")) << red.out;

    Result green = run_harness(root, std::string("--server 'cpp=") + WRONG_SERVER_BIN + " -s 418' --exercise 99-teapot --only teapot");
    EXPECT_EQ(green.status, 0) << green.out;
    EXPECT_TRUE(contains(green.out, "\n1 passed, 0 failed\n")) << green.out;

    Result typo = run_harness(root, kServer + " --exercise 99-teapt");
    EXPECT_EQ(typo.status, 2) << typo.out;
    EXPECT_TRUE(contains(typo.out, "there is no exercise '99-teapt'")) << typo.out;
    EXPECT_TRUE(contains(typo.out, "did you mean: 99-teapot?")) << typo.out;
}

// --new-only: only the fixtures a lesson introduces; --starts-or-ends: those
// plus the ones whose last lesson it is (what make test runs for every
// lesson but the newest).  A fixture that runs on past the lesson is left
// out of both.
TEST(EndToEnd, NewOnlyAndStartsOrEndsSelectByLesson) {
    TempRoot root(R"([
      {"name": "e2e-from-3-on", "since": 3, "why": "w", "spec": "s",
       "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200}},
      {"name": "e2e-from-3-to-5", "since": 3, "until": 5, "why": "w", "spec": "s",
       "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200}},
      {"name": "e2e-from-5-to-6", "since": 5, "until": 6, "why": "w", "spec": "s",
       "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200}},
      {"name": "e2e-from-5-on", "since": 5, "why": "w", "spec": "s",
       "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200}},
      {"name": "e2e-from-4-to-4", "since": 4, "until": 4, "why": "w", "spec": "s",
       "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200}}
    ])");
    auto ran = [](const Result& r, const std::string& name) { return contains(r.out, " " + name + "\n"); };

    Result all = run_harness(root, kServer + " --lesson 5");
    EXPECT_EQ(all.status, 0) << all.out;
    EXPECT_TRUE(contains(all.out, "\n4 passed, 0 failed\n")) << all.out;

    Result fresh = run_harness(root, kServer + " --lesson 5 --new-only");
    EXPECT_EQ(fresh.status, 0) << fresh.out;
    EXPECT_TRUE(ran(fresh, "e2e-from-5-to-6") && ran(fresh, "e2e-from-5-on")) << fresh.out;
    EXPECT_FALSE(ran(fresh, "e2e-from-3-to-5") || ran(fresh, "e2e-from-3-on")) << fresh.out;
    EXPECT_TRUE(contains(fresh.out, "\n2 passed, 0 failed\n")) << fresh.out;

    Result edges = run_harness(root, kServer + " --lesson 5 --starts-or-ends");
    EXPECT_EQ(edges.status, 0) << edges.out;
    EXPECT_TRUE(contains(edges.out, "lesson 5: 3 fixture(s) that start or end at lesson 5")) << edges.out;
    EXPECT_TRUE(ran(edges, "e2e-from-3-to-5") && ran(edges, "e2e-from-5-to-6") && ran(edges, "e2e-from-5-on")) << edges.out;
    EXPECT_FALSE(ran(edges, "e2e-from-3-on") || ran(edges, "e2e-from-4-to-4")) << edges.out;
    EXPECT_TRUE(contains(edges.out, "\n3 passed, 0 failed\n")) << edges.out;

    Result four = run_harness(root, kServer + " --lesson 4 --starts-or-ends");
    EXPECT_EQ(four.status, 0) << four.out;
    EXPECT_TRUE(ran(four, "e2e-from-4-to-4")) << four.out;
    EXPECT_TRUE(contains(four.out, "\n1 passed, 0 failed\n")) << four.out;

    Result both = run_harness(root, kServer + " --lesson 5 --new-only --starts-or-ends");
    EXPECT_EQ(both.status, 2) << both.out;
    EXPECT_TRUE(contains(both.out, "choose one")) << both.out;
}

TEST(EndToEnd, JsonOutput) {
    TempRoot root(kFixtures);
    std::string json = (root.dir / "out.json").string();
    Result r = run_harness(root, kServer + " --only e2e-wrong-status --json " + json);
    EXPECT_EQ(r.status, 1) << r.out;
    std::string text;
    std::ifstream in(json);
    std::getline(in, text, '\0');
    EXPECT_TRUE(contains(text, "\"failed\": 1")) << text;
    EXPECT_TRUE(contains(text, "\"status\": 404")) << text;
}

TEST(Qemu, Aarch64ElfIsEmulatedOnOtherHosts) {
    std::string asm_bin = std::string(METAL_SOURCE_DIR) + "/build/lesson-00/syscalls-asm";
    if (!fs::exists(asm_bin)) GTEST_SKIP() << "make build-00 first";
#if defined(__aarch64__)
    EXPECT_FALSE(harness::needs_qemu(asm_bin));
#else
    EXPECT_TRUE(harness::needs_qemu(asm_bin));
#endif
}

// Lesson 10's keys against a server that handles none of it: wrong-server
// dies of SIGTERM (no exit status 0), and it retries a failed accept at
// once, so under a descriptor limit it burns the CPU the fixture measures.
TEST(EndToEnd, SignalAndLimitFixturesCatchAServerWithoutThem) {
    TempRoot root(R"([
  {"name": "e2e-sigterm", "since": 99, "why": "w", "spec": "s",
   "signal": {"name": "SIGTERM", "after_ms": 200}, "server_after": {"exit": 0}, "read_after_ms": 600,
   "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200}},
  {"name": "e2e-emfile", "since": 99, "why": "w", "spec": "s",
   "limit": {"resource": "descriptors", "for_ms": 800, "cpu_below_percent": 10},
   "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200}},
  {"name": "e2e-reset", "since": 99, "why": "w", "spec": "s", "reset_after_bytes": 4,
   "server_after": {"children": 0},
   "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200}},
  {"name": "e2e-reset-too-far", "since": 99, "why": "w", "spec": "s", "reset_after_bytes": 100000,
   "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200}}
])");
    Result r = run_harness(root, kServer);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(contains(r.out, "after SIGTERM the server ended: killed by signal 15")) << r.out;
    EXPECT_TRUE(contains(r.out, "(expected exit status 0)")) << r.out;
    if (harness::can_limit_running_server()) {
        EXPECT_TRUE(contains(r.out, "the server's descriptors limit was lowered for")) << r.out;
        EXPECT_TRUE(contains(r.out, "ms of CPU in those")) << r.out;
    }
    // the reset itself passes (the table's row), and one that never comes is a failure
    std::size_t row = r.out.find("e2e-reset\n");
    ASSERT_NE(row, std::string::npos) << r.out;
    EXPECT_EQ(r.out.rfind("\xE2\x9C\x93", row), r.out.rfind("\n", row) + 1) << r.out;   // the row starts with ✓
    EXPECT_TRUE(contains(r.out, "the client never read 100000 bytes to reset after")) << r.out;
}
