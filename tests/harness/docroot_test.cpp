// tests/harness/docroot_test.cpp -- the docroot every server gets: a copy
// of the demo site, and the secret file right outside it (server.hpp,
// kOutsideName), which the reproduce lines of a failure recreate too.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "report.hpp"
#include "server.hpp"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream all;
    all << in.rdbuf();
    return all.str();
}

// A temporary directory, removed afterwards.
struct TempDir {
    fs::path dir;
    TempDir() {
        char tmpl[] = "/tmp/harness-docroot.XXXXXX";
        dir = ::mkdtemp(tmpl);
    }
    ~TempDir() { fs::remove_all(dir); }
};

// What a shell command prints on stdout.
std::string shell(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return "<popen failed>";
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    ::pclose(p);
    return out;
}

}  // namespace

TEST(Docroot, TheSecretSitsRightOutsideTheCopy) {
    TempDir t;
    std::string site = (t.dir / "site").string();
    harness::prepare_docroot(std::string(METAL_SOURCE_DIR) + "/harness/site", site, {});
    EXPECT_TRUE(fs::exists(t.dir / "site/index.html"));
    EXPECT_EQ(slurp(t.dir / "secret.txt"), harness::kOutsideContent);
    EXPECT_FALSE(fs::exists(t.dir / "site/secret.txt")) << "the secret must be outside the docroot, not in it";
    struct stat st {};
    ASSERT_EQ(::stat((t.dir / "secret.txt").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0644u) << "readable by anyone: only the server's rules may keep it";
}

TEST(Docroot, ATrailingSlashStillPutsItOutside) {
    TempDir t;
    harness::prepare_docroot(std::string(METAL_SOURCE_DIR) + "/harness/site", (t.dir / "site").string() + "/", {});
    EXPECT_EQ(slurp(t.dir / "secret.txt"), harness::kOutsideContent);
}

// The reproduce lines a failure prints build the same layout: pasted into
// a shell from the repository root, "$site"/../secret.txt holds the secret.
TEST(Docroot, ReproduceLinesRecreateTheSecret) {
    auto fixtures = harness::parse_fixture_file(
        R"([{"name": "r", "since": 6, "why": "w", "spec": "s", "docroot": {"docs/x.txt": {"content": "x\n"}},
             "request": "GET /../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n", "expect": {"status": 403}}])",
        "f.json");
    std::string text = harness::reproduction(fixtures[0], "build/lesson-06/httpd-cpp");
    size_t at = text.find("site=");
    ASSERT_NE(at, std::string::npos) << text;
    std::string prepare = text.substr(at, text.find('\n', at) - at);
    std::string out = shell("cd " + std::string(METAL_SOURCE_DIR) + " && " + prepare +
                            " && cat \"$site\"/../secret.txt \"$site\"/docs/x.txt && test -f \"$site\"/index.html"
                            " && echo ok; rm -rf \"$(dirname \"$site\")\"");
    EXPECT_EQ(out, std::string(harness::kOutsideContent) + "x\nok\n") << prepare;
    EXPECT_NE(text.find("build/lesson-06/httpd-cpp 8080 \"$site\" &"), std::string::npos) << text;
}

TEST(Docroot, MtimeIsSetAfterTheContent) {
    TempDir t;
    std::string site = (t.dir / "site").string();
    harness::DocrootChange file;
    file.path = "cache/c.txt";
    file.content = "cached\n";
    file.mtime = 784111777;
    harness::DocrootChange old;   // alone, on a demo-site file
    old.path = "docs/a.txt";
    old.mtime = -315619200;
    harness::prepare_docroot(std::string(METAL_SOURCE_DIR) + "/harness/site", site, {file, old});
    EXPECT_EQ(slurp(t.dir / "site/cache/c.txt"), "cached\n");
    struct stat st {};
    ASSERT_EQ(::stat((t.dir / "site/cache/c.txt").c_str(), &st), 0);
    EXPECT_EQ(static_cast<long long>(st.st_mtime), 784111777LL);
    ASSERT_EQ(::stat((t.dir / "site/docs/a.txt").c_str(), &st), 0);
    EXPECT_EQ(static_cast<long long>(st.st_mtime), -315619200LL);
}
