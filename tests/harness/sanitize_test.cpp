// tests/harness/sanitize_test.cpp -- the sanitized suite of make test
// (tests/tools/sanitize-run.sh) against build/tests/wrong-server-sanitized:
// a report from the server fails the suite even when every fixture passed,
// because the bug came after the response (wrong-server's -u and -U), and a clean
// run passes.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

namespace {

// A repository root with one lesson-99 fixture wrong-server answers right;
// the other two also ask it for a bug after answering (-u, -U).
struct Root {
    fs::path dir;
    Root() {
        char tmpl[] = "/tmp/sanitize-test.XXXXXX";
        dir = ::mkdtemp(tmpl);
        fs::create_directories(dir / "lessons/99-x");
        std::ofstream(dir / "lessons/99-x/fixtures.json") << R"([
  {"name": "san-clean", "since": 99, "why": "w", "spec": "s",
   "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200, "body": "hello\n"}},
  {"name": "san-use-after-free-after-answer", "since": 99, "why": "w", "spec": "s", "flags": ["-u"],
   "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200, "body": "hello\n"}},
  {"name": "san-signed-overflow-after-answer", "since": 99, "why": "w", "spec": "s", "flags": ["-U"],
   "request": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 200, "body": "hello\n"}}
])";
    }
    ~Root() { fs::remove_all(dir); }
};

struct Result {
    int status = -1;
    std::string out;
};

Result run(const Root& root, const std::string& only) {
    std::string cmd = std::string("bash ") + METAL_SOURCE_DIR + "/tests/tools/sanitize-run.sh " + HARNESS_BIN + " 99 " +
                      WRONG_SERVER_SANITIZED_BIN + " --root " + root.dir.string() + " --site " + METAL_SOURCE_DIR +
                      "/harness/site --only '" + only + "' 2>&1";
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

}  // namespace

TEST(Sanitize, ACleanRunPasses) {
    Root root;
    Result r = run(root, "^san-clean$");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_TRUE(contains(r.out, "sanitizers: no report")) << r.out;
    EXPECT_TRUE(contains(r.out, "\n1 passed, 0 failed\n")) << r.out;
}

TEST(Sanitize, AnAddressSanitizerReportAfterAGoodAnswerFailsTheSuite) {
    Root root;
    Result r = run(root, "^san-use-after-free-after-answer$");
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(contains(r.out, "sanitizer reports (1)")) << r.out;
    EXPECT_TRUE(contains(r.out, "heap-use-after-free")) << r.out;
    EXPECT_TRUE(contains(r.out, "\n1 passed, 1 failed\n")) << r.out;   // the fixture itself passed
}

TEST(Sanitize, AnUndefinedBehaviourReportAfterAGoodAnswerFailsTheSuite) {
    Root root;
    Result r = run(root, "^san-signed-overflow-after-answer$");
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(contains(r.out, "sanitizer reports (1)")) << r.out;
    EXPECT_TRUE(contains(r.out, "signed integer overflow")) << r.out;
    EXPECT_TRUE(contains(r.out, "\n1 passed, 1 failed\n")) << r.out;
}
