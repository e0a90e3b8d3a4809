// tests/unit/09-methods_test.cpp -- lesson 09's C++ stage: the flags
// parser, the method policy and Allow, the helpers of uploads (names,
// errno table, Expect, the body reader), the error pages, and the lesson-09
// pipeline end to end on a temporary docroot: OPTIONS, PUT, DELETE.
//
// Expectations come from RFC 9110 §9.3.4 (PUT), §9.3.5 (DELETE), §9.3.7
// (OPTIONS), §10.1.1 (Expect), §10.2.1 (Allow), §14.5, §15 (statuses) and
// from the lesson's rules (lessons/09-methods/README.md).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "../support/pipeline.hpp"
#include "../support/support.hpp"
#include "01-socket.hpp"
#include "03-parse.hpp"
#include "09-methods.hpp"
#include "exchange.hpp"

namespace {

using testsupport::Args;
using testsupport::capture;
using testsupport::output_of;
using testsupport::TempDir;

const std::string kUsage = "usage: httpd [-w] [-e DIR] [PORT [DOCROOT]]\n";

// The names in a directory, sorted ("." and ".." left out).
std::set<std::string> names_in(const std::string& dir) {
    std::set<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) out.insert(e.path().filename());
    return out;
}

// The lesson-09 pipeline in C++, as handle_connection runs it once the
// request is in x.buf: every step from step_parse_head on (with the
// method lists of step_by_method), answer_error_page for a status.
// request = head + the body bytes that came with it.
struct Served09 {
    int result = -1;
    std::string bytes;
};
Served09 serve(const std::string& root, const std::string& request, bool write, int error_fd = -1) {
    const std::vector<testsupport::CppStep> steps = testsupport::cpp_steps_from(9, "step_parse_head");
    httpd::Config cfg;
    cfg.docroot = root.c_str();
    httpd::Fd docroot(::open(root.c_str(), O_RDONLY | O_DIRECTORY));   // what open_docroot keeps
    cfg.docroot_fd = docroot.get();
    cfg.write = write ? 1 : 0;
    cfg.error_fd = error_fd;
    auto x = std::make_unique<httpd::Exchange>();
    std::size_t head = request.find("\r\n\r\n");
    head = head == std::string::npos ? request.size() : head + 4;
    Served09 run;
    run.bytes = capture([&](int sock) {
        httpd::start_exchange(*x, sock, &cfg);
        std::memcpy(x->buf, request.data(), request.size());
        x->head_len = head;
        x->read_len = request.size();                // the head and the body that came with it
        x->linger = 0;
        run.result = testsupport::run_cpp_steps(steps, *x);
        if (run.result != httpd::kDone) httpd::answer_error_page(*x, run.result);
        x->file.reset();
    });
    return run;
}

std::string put(const std::string& target, const std::string& body, const std::string& extra = "") {
    return "PUT " + target + " HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra +
           "\r\n" + body;
}
std::string request(const std::string& method, const std::string& target, const std::string& extra = "") {
    return method + " " + target + " HTTP/1.1\r\nHost: h\r\n" + extra + "\r\n";
}
int status_of(const std::string& response) {
    return response.size() >= 12 ? std::stoi(response.substr(9, 3)) : 0;
}

}  // namespace

// ---------------------------------------------------------------------------
// The flags
// ---------------------------------------------------------------------------
TEST(Lesson09, FindFlagTakesExactlyDashAndOneLetter) {
    struct Case {
        const char* arg;
        char want;   // 0: no flag
    };
    const Case cases[] = {{"-w", 'w'}, {"-e", 'e'}, {"-x", 0}, {"-", 0}, {"--", 0}, {"-we", 0}, {"-ww", 0},
                          {"w", 0},    {"", 0},     {"-W", 0}, {"-E", 0}, {"-e ", 0}};
    for (const Case& c : cases) {
        const httpd::FlagSpec* f = httpd::find_flag(httpd::kFlags09, c.arg);
        if (c.want == 0) {
            EXPECT_EQ(f, nullptr) << c.arg;
        } else {
            ASSERT_NE(f, nullptr) << c.arg;
            EXPECT_EQ(f->letter, static_cast<std::uint64_t>(c.want));
        }
    }
}

TEST(Lesson09, FlagsEndSkipsValuesAndStopsAtPort) {
    struct Case {
        std::vector<std::string> words;
        int want;
    };
    const Case cases[] = {
        {{"httpd"}, 1},
        {{"httpd", "8080", "site"}, 1},
        {{"httpd", "-w", "8080", "site"}, 2},
        {{"httpd", "-e", "errs", "8080"}, 3},
        {{"httpd", "-w", "-e", "errs", "0", "."}, 4},
        {{"httpd", "-e", "-w", "0"}, 3},        // -e takes the next argument, whatever it looks like
        {{"httpd", "-w", "-w"}, 3},             // a switch twice: still a switch
        {{"httpd", "-e"}, -1},                  // a value missing at the end
        {{"httpd", "-w", "-e"}, -1},
        {{"httpd", "-x", "0"}, -1},             // unknown
        {{"httpd", "-", "0"}, -1},
        {{"httpd", "0", "-w"}, 1},              // after PORT: not a flag any more (the caller refuses it)
    };
    for (const Case& c : cases) {
        Args a(c.words);
        EXPECT_EQ(httpd::flags_end(httpd::kFlags09, a.argc(), a.argv()), c.want) << ::testing::PrintToString(c.words);
    }
}

TEST(Lesson09, SayUsageWritesTheTablesLine) {
    EXPECT_EQ(output_of(2, [] { httpd::say_usage(httpd::kFlags09); }), kUsage);
    const httpd::FlagSpec none[] = {{0, 0, 0, ""}};
    EXPECT_EQ(output_of(2, [&] { httpd::say_usage(none); }), "usage: httpd [PORT [DOCROOT]]\n");
}

TEST(Lesson09, ParseCommandLineStoresFlags) {
    Args a({"httpd", "-w", "-e", "/errs", "81", "/srv"});
    httpd::Config cfg;
    std::string err = output_of(2, [&] { EXPECT_EQ(httpd::parse_command_line(a.argc(), a.argv(), &cfg, httpd::kFlags09), 0); });
    EXPECT_EQ(err, "");
    EXPECT_EQ(cfg.port, 81u);
    EXPECT_STREQ(cfg.docroot, "/srv");
    EXPECT_EQ(cfg.write, 1u);
    EXPECT_STREQ(cfg.error_dir, "/errs");
    EXPECT_EQ(cfg.error_fd, -1);
    EXPECT_EQ(cfg.docroot_fd, -1);
}

TEST(Lesson09, ParseCommandLineDefaults) {
    Args a({"httpd"});
    httpd::Config cfg;
    cfg.write = 7;                              // whatever was there: the defaults replace it
    cfg.error_fd = 9;
    EXPECT_EQ(httpd::parse_command_line(a.argc(), a.argv(), &cfg, httpd::kFlags09), 0);
    EXPECT_EQ(cfg.port, static_cast<std::uint64_t>(DEFAULT_PORT));
    EXPECT_STREQ(cfg.docroot, ".");
    EXPECT_EQ(cfg.write, 0u);
    EXPECT_EQ(cfg.error_dir, nullptr);
    EXPECT_EQ(cfg.error_fd, -1);
}

TEST(Lesson09, ParseCommandLineRefusesWithTheUsageLine) {
    const std::vector<std::vector<std::string>> bad = {
        {"httpd", "-x", "0", "."},      {"httpd", "0", "-w", "."}, {"httpd", "0", ".", "-w"},
        {"httpd", "-w", "-e"},          {"httpd", "-we", "d", "0"}, {"httpd", "0", ".", "extra"},
        {"httpd", "-w", "0", ".", "x"}, {"httpd", "-", "0"},        {"httpd", "0", "-"},
    };
    for (const auto& words : bad) {
        Args a(words);
        httpd::Config cfg;
        int r = 0;
        std::string err = output_of(2, [&] { r = httpd::parse_command_line(a.argc(), a.argv(), &cfg, httpd::kFlags09); });
        EXPECT_EQ(r, -EINVAL) << ::testing::PrintToString(words);
        EXPECT_EQ(err, kUsage) << ::testing::PrintToString(words);
    }
    // a bad port after the flags: lesson 01's message, not the usage line
    Args a({"httpd", "-w", "8o80"});
    httpd::Config cfg;
    int r = 0;
    std::string err = output_of(2, [&] { r = httpd::parse_command_line(a.argc(), a.argv(), &cfg, httpd::kFlags09); });
    EXPECT_EQ(r, -EINVAL);
    EXPECT_NE(err.find("invalid port \"8o80\""), std::string::npos) << err;
}

TEST(Lesson09, OpenErrorPagesOpensTheDirectoryOnce) {
    TempDir dir("09-unit");
    httpd::Config cfg;
    EXPECT_EQ(httpd::open_error_pages(&cfg), 0);   // no -e: nothing opened
    EXPECT_EQ(cfg.error_fd, -1);
    std::string path = dir.path();
    cfg.error_dir = path.c_str();
    EXPECT_EQ(httpd::open_error_pages(&cfg), 0);
    EXPECT_GE(cfg.error_fd, 0);
    ::close(static_cast<int>(cfg.error_fd));
    httpd::Config missing;
    missing.error_dir = "/nonexistent-metal-httpd-errors";
    std::int64_t r = 0;
    std::string err = output_of(2, [&] { r = httpd::open_error_pages(&missing); });
    EXPECT_EQ(r, -ENOENT);
    EXPECT_EQ(err, "httpd: cannot open the error pages \"/nonexistent-metal-httpd-errors\": errno " +
                       std::to_string(ENOENT) + "\n");
}

// ---------------------------------------------------------------------------
// Methods and Allow
// ---------------------------------------------------------------------------
TEST(Lesson09, AllowListsWhatIsServed) {
    EXPECT_STREQ(httpd::allow_value(0), "GET, HEAD, OPTIONS");
    EXPECT_STREQ(httpd::allow_value(1), "GET, HEAD, OPTIONS, PUT, DELETE");
}

TEST(Lesson09, MethodPolicyForEveryMethodOfTheTable) {
    using httpd::Method;
    struct Case {
        Method id;
        int read_only, with_w;
    };
    const Case cases[] = {
        {Method::GET, 0, 0},       {Method::HEAD, 0, 0},      {Method::OPTIONS, 0, 0},
        {Method::PUT, 405, 0},     {Method::DELETE, 405, 0},  {Method::POST, 405, 405},
        {Method::PATCH, 405, 405}, {Method::CONNECT, 405, 405}, {Method::TRACE, 405, 405},
        {Method::Other, 501, 501},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(httpd::allowed_method_status(c.id, 0), c.read_only) << static_cast<int>(c.id);
        EXPECT_EQ(httpd::allowed_method_status(c.id, 1), c.with_w) << static_cast<int>(c.id);
    }
}

// ---------------------------------------------------------------------------
// Upload helpers
// ---------------------------------------------------------------------------
TEST(Lesson09, LastNameStartsAfterTheLastSlash) {
    struct Case {
        const char* path;
        std::size_t want;
    };
    const Case cases[] = {{"/a.txt", 1}, {"/", 1}, {"/docs/", 6}, {"/docs/a.txt", 6}, {"a", 0}, {"", 0}, {"//x", 2}};
    for (const Case& c : cases) EXPECT_EQ(httpd::last_name(c.path), c.want) << c.path;
}

TEST(Lesson09, UploadNameStartsWithAControlByte) {
    char out[httpd::kUploadNameMax];
    EXPECT_EQ(httpd::upload_name(out, 12345), 13u);
    EXPECT_EQ(std::string(out, 14), std::string("\x01upload-12345\0", 14));
    std::memset(out, 'x', sizeof out);
    std::size_t n = httpd::upload_name(out, ~0ULL);                 // the longest pid there could be
    EXPECT_EQ(n, 1u + 7u + 20u);
    EXPECT_LT(n, httpd::kUploadNameMax);                            // and its NUL fit
    EXPECT_EQ(out[n], '\0');
    EXPECT_EQ(std::string(out + 8, 20), "18446744073709551615");
}

TEST(Lesson09, UploadErrnoTable) {
    struct Case {
        int err, want;
    };
    const Case cases[] = {{EACCES, 403}, {EPERM, 403},  {EROFS, 403},  {ENOSPC, 507}, {EDQUOT, 507}, {EISDIR, 409},
                          {ENOENT, 404}, {ENOTDIR, 404}, {ELOOP, 403}, {ENAMETOOLONG, 414}, {EIO, 500}, {EEXIST, 500}};
    for (const Case& c : cases) EXPECT_EQ(httpd::upload_errno_status(c.err), c.want) << c.err;
}

TEST(Lesson09, ExpectsContinueOnlyInHttp11) {
    struct Case {
        std::string head;
        bool want;
    };
    const Case cases[] = {
        {"PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n", true},
        {"PUT /x HTTP/1.1\r\nHost: h\r\nexpect: 100-CONTINUE\r\n\r\n", true},    // names and the value: any case
        {"PUT /x HTTP/1.1\r\nHost: h\r\n\r\n", false},
        {"PUT /x HTTP/1.0\r\nExpect: 100-continue\r\n\r\n", false},              // MUST ignore in HTTP/1.0
        {"PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\n\r\n", false},
        {"PUT /x HTTP/1.1\r\nHost: h\r\nExpect: x=1 , 100-continue\r\n\r\n", true},   // a list (§10.1.1: #expectation)
        {"PUT /x HTTP/1.1\r\nHost: h\r\nExpect: a\r\nExpect: ,100-continue,\r\n\r\n", true},   // two fields: one list
        {"PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continuex, 100\r\n\r\n", false},
    };
    for (const Case& c : cases) {
        httpd::Request req;
        ASSERT_EQ(httpd::parse_request(c.head, req), 0) << c.head;
        EXPECT_EQ(httpd::expects_continue(req), c.want) << c.head;
    }
}

TEST(Lesson09, ReceiveBodyTakesWhatCameFirstThenReads) {
    TempDir dir("09-unit");
    std::string file = dir.path() + "/out";
    httpd::Fd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
    testsupport::SocketPair pair;
    std::string rest = "-and-the-rest";
    ASSERT_EQ(::write(pair.client(), rest.data(), rest.size()), static_cast<ssize_t>(rest.size()));
    char buf[4];                                                    // tiny: many reads
    EXPECT_EQ(httpd::receive_body(pair.server(), fd.get(), "first", 5, 5 + rest.size(), buf, sizeof buf, 0), 0);
    EXPECT_EQ(testsupport::read_file(file), "first-and-the-rest");
}

TEST(Lesson09, ReceiveBodyStopsAtTheLength) {
    TempDir dir("09-unit");
    std::string file = dir.path() + "/out";
    httpd::Fd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
    testsupport::SocketPair pair;
    char buf[16];
    // more came with the head than the body holds: the rest is not this body
    EXPECT_EQ(httpd::receive_body(pair.server(), fd.get(), "abcGET / HTTP/1.1", 17, 3, buf, sizeof buf, 0), 0);
    EXPECT_EQ(testsupport::read_file(file), "abc");
}

TEST(Lesson09, ReceiveBodyShortIs400) {
    TempDir dir("09-unit");
    std::string file = dir.path() + "/out";
    httpd::Fd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
    testsupport::SocketPair pair;
    ASSERT_EQ(::write(pair.client(), "xy", 2), 2);
    ::shutdown(pair.client(), SHUT_WR);                             // the client stops early
    char buf[16];
    EXPECT_EQ(httpd::receive_body(pair.server(), fd.get(), "ab", 2, 10, buf, sizeof buf, 0), -400);
}

TEST(Lesson09, ReceiveBodyWriteErrorMapsThroughTheTable) {
    testsupport::SocketPair pair;
    httpd::Fd ro(::open("/dev/null", O_RDONLY));                   // writing to it fails: EBADF
    char buf[16];
    EXPECT_EQ(httpd::receive_body(pair.server(), ro.get(), "ab", 2, 2, buf, sizeof buf, 0), -500);
}

// ---------------------------------------------------------------------------
// Error pages
// ---------------------------------------------------------------------------
TEST(Lesson09, EveryErrorStatusHasItsPage) {
    std::ifstream reasons(std::string(METAL_SOURCE_DIR) + "/lessons/01-socket/reasons.tsv");
    int pages = 0;
    for (std::string line; std::getline(reasons, line);) {
        if (line.empty() || line[0] == '#') continue;
        int status = std::stoi(line.substr(0, 3));
        std::string title = line.substr(0, 3) + " " + line.substr(4);
        const char* page = httpd::error_page(status);
        if (status < 400) {
            EXPECT_EQ(page, nullptr) << status;
            continue;
        }
        ASSERT_NE(page, nullptr) << status;
        std::string p = page;
        EXPECT_EQ(p.rfind("<!DOCTYPE html>\n", 0), 0u) << status;
        EXPECT_NE(p.find("<title>" + title + "</title>"), std::string::npos) << status;
        EXPECT_NE(p.find("<h1>" + title + "</h1>"), std::string::npos) << status;
        EXPECT_EQ(p.find('@'), std::string::npos) << status << ": a placeholder was left";
        ++pages;
    }
    EXPECT_GE(pages, 16);
}

TEST(Lesson09, ErrorPageNames) {
    char out[httpd::kErrorNameMax];
    EXPECT_EQ(httpd::error_page_name(out, 404), 8u);
    EXPECT_STREQ(out, "404.html");
    EXPECT_EQ(httpd::error_page_name(out, 507), 8u);
    EXPECT_STREQ(out, "507.html");
}

TEST(Lesson09, SendErrorPageBuiltInAndHead) {
    const std::string page = httpd::error_page(404);
    std::string got = capture([](int s) { httpd::send_error_page(s, 404, false, "", -1); });
    EXPECT_EQ(got, "HTTP/1.1 404 Not Found\r\nServer: metal-httpd\r\nConnection: close\r\nContent-Type: text/html; "
                   "charset=utf-8\r\nContent-Length: " + std::to_string(page.size()) + "\r\n\r\n" + page);
    std::string head = capture([](int s) { httpd::send_error_page(s, 405, true, "Allow: GET\r\n", -1); });
    EXPECT_NE(head.find("Content-Length: " + std::to_string(std::strlen(httpd::error_page(405))) + "\r\nAllow: GET\r\n\r\n"),
              std::string::npos) << head;
    EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n");            // HEAD: nothing after the head
}

TEST(Lesson09, SendErrorPageFromTheDirectory) {
    TempDir dir("09-unit");
    testsupport::write_file(dir.path() + "/404.html", "<p>custom</p>\n");
    ::symlink("404.html", (dir.path() + "/403.html").c_str());     // a link: not followed
    ::mkdir((dir.path() + "/400.html").c_str(), 0755);              // not a regular file
    httpd::Fd fd(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY));
    std::string got = capture([&](int s) { httpd::send_error_page(s, 404, false, "", fd.get()); });
    EXPECT_NE(got.find("Content-Length: 14\r\n\r\n<p>custom</p>\n"), std::string::npos) << got;
    for (int status : {403, 400, 500}) {                            // link, directory, missing: built in
        std::string b = capture([&](int s) { httpd::send_error_page(s, status, false, "", fd.get()); });
        EXPECT_NE(b.find(httpd::error_page(status)), std::string::npos) << status;
    }
}

// ---------------------------------------------------------------------------
// The lesson-09 pipeline
// ---------------------------------------------------------------------------
TEST(Lesson09, PipelineOptions) {
    TempDir dir("09-unit");
    testsupport::write_file(dir.path() + "/a.txt", "a");
    Served09 s = serve(dir.path(), request("OPTIONS", "*"), false);
    EXPECT_EQ(s.result, httpd::kDone);
    EXPECT_EQ(s.bytes, "HTTP/1.1 204 No Content\r\nServer: metal-httpd\r\nConnection: close\r\nAllow: GET, HEAD, OPTIONS\r\n\r\n");
    s = serve(dir.path(), request("OPTIONS", "/a.txt"), true);
    EXPECT_EQ(s.bytes, "HTTP/1.1 204 No Content\r\nServer: metal-httpd\r\nConnection: close\r\nAllow: GET, HEAD, OPTIONS, PUT, DELETE\r\n\r\n");
    s = serve(dir.path(), request("OPTIONS", "/none"), true);
    EXPECT_EQ(s.result, 404);
    EXPECT_EQ(status_of(s.bytes), 404);
}

TEST(Lesson09, PipelinePutCreatesThenReplaces) {
    TempDir dir("09-unit");
    ::mkdir((dir.path() + "/up").c_str(), 0755);
    Served09 s = serve(dir.path(), put("/up/new.txt", "hello\n"), true);
    EXPECT_EQ(s.result, httpd::kDone);
    EXPECT_EQ(s.bytes, "HTTP/1.1 201 Created\r\nServer: metal-httpd\r\nConnection: close\r\nContent-Length: 0\r\n"
                       "Location: /up/new.txt\r\n\r\n");
    EXPECT_EQ(testsupport::read_file(dir.path() + "/up/new.txt"), "hello\n");
    s = serve(dir.path(), put("/up/new.txt", "second\n", "Expect: 100-continue\r\n"), true);
    EXPECT_EQ(s.bytes, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nServer: metal-httpd\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(testsupport::read_file(dir.path() + "/up/new.txt"), "second\n");
    EXPECT_EQ(names_in(dir.path() + "/up"), std::set<std::string>{"new.txt"});   // no temporary file left
}

TEST(Lesson09, PipelinePutRefusals) {
    TempDir dir("09-unit");
    ::mkdir((dir.path() + "/up").c_str(), 0755);
    testsupport::write_file(dir.path() + "/up/old.txt", "old");
    ::symlink("old.txt", (dir.path() + "/up/link").c_str());
    struct Case {
        std::string request;
        int want;
    };
    const Case cases[] = {
        {put("/up/x", "x"), 0},                                                     // (created: cleaned below)
        {request("PUT", "/up/y"), 411},                                             // no length
        {request("PUT", "/up/y", "Transfer-Encoding: chunked\r\n") + "0\r\n\r\n", 411},
        {request("PUT", "/up/y", "Content-Length: 1073741825\r\n"), 413},
        {put("/up/old.txt", "x", "Content-Range: bytes 0-0/1\r\n"), 400},
        {put("/up", "x"), 409},
        {put("/up/", "x"), 409},
        {put("/", "x"), 409},
        {put("/none/y", "x"), 404},
        {put("/up/old.txt/y", "x"), 404},
        {put("/up/link", "x"), 403},
        {put("/../y", "x"), 403},
        {put("/up/" + std::string(256, 'n'), "x"), 414},
    };
    for (const Case& c : cases) {
        Served09 s = serve(dir.path(), c.request, true);
        if (c.want == 0) continue;
        EXPECT_EQ(s.result, c.want) << c.request.substr(0, 40);
        EXPECT_EQ(status_of(s.bytes), c.want) << c.request.substr(0, 40);
        EXPECT_EQ(s.bytes.find("100 Continue"), std::string::npos);
    }
    EXPECT_EQ(testsupport::read_file(dir.path() + "/up/old.txt"), "old");
    EXPECT_EQ(names_in(dir.path() + "/up"), (std::set<std::string>{"link", "old.txt", "x"}));
    // without -w: 405 with Allow
    Served09 s = serve(dir.path(), put("/up/z", "z"), false);
    EXPECT_EQ(s.result, 405);
    EXPECT_NE(s.bytes.find("\r\nAllow: GET, HEAD, OPTIONS\r\n"), std::string::npos);
}

TEST(Lesson09, PipelineDelete) {
    TempDir dir("09-unit");
    ::mkdir((dir.path() + "/up").c_str(), 0755);
    testsupport::write_file(dir.path() + "/up/old.txt", "old");
    ::symlink("old.txt", (dir.path() + "/up/link").c_str());
    EXPECT_EQ(serve(dir.path(), request("DELETE", "/up/link"), true).result, 403);
    EXPECT_EQ(serve(dir.path(), request("DELETE", "/up"), true).result, 409);
    EXPECT_EQ(serve(dir.path(), request("DELETE", "/"), true).result, 409);
    EXPECT_EQ(serve(dir.path(), request("DELETE", "/up/none"), true).result, 404);
    EXPECT_EQ(serve(dir.path(), request("DELETE", "/up/old.txt"), false).result, 405);
    EXPECT_EQ(names_in(dir.path() + "/up"), (std::set<std::string>{"link", "old.txt"}));
    Served09 s = serve(dir.path(), request("DELETE", "/up/old.txt"), true);
    EXPECT_EQ(s.result, httpd::kDone);
    EXPECT_EQ(s.bytes, "HTTP/1.1 204 No Content\r\nServer: metal-httpd\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(names_in(dir.path() + "/up"), std::set<std::string>{"link"});
}
