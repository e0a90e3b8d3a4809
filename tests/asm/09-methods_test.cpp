// tests/asm/09-methods_test.cpp -- lesson 09: the assembly stage against
// its C++ twin.  Every pure function table-driven and then with seeded
// random inputs (the seed is printed with any input that differs); the
// error responses byte for byte; and the lesson-09 pipeline side by side
// on two copies of one docroot -- same answers, and the same files
// afterwards -- for a table of requests and a seeded random sequence of
// PUT, DELETE, OPTIONS and GET.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "../support/asm_exchange.hpp"
#include "../support/support.hpp"
#include "03-parse.hpp"
#include "09-methods.hpp"
#include "api.h"
#include "exchange.hpp"

namespace {

using testsupport::Args;
using testsupport::escaped;
using testsupport::on_socket;
using testsupport::output_of;
using testsupport::Records;
using testsupport::StepRun;
using testsupport::TempDir;

constexpr std::uint32_t kSeed = 20261207;   // fixed: the same cases every run

// The C++ table seen through the C struct (the same bytes: records.inc).
const struct flag_spec* cpp_table() { return reinterpret_cast<const struct flag_spec*>(httpd::kFlags09); }

// Which entry a find_flag answer is (-1: none), so answers from two tables compare.
long entry_of(const void* p, const void* table) {
    return p == nullptr ? -1 : (static_cast<const char*>(p) - static_cast<const char*>(table)) / FLAG_SPEC_SIZE;
}

// Random command lines: words a user might type, right and wrong.
std::vector<std::string> random_words(std::mt19937& rng) {
    static const char* pool[] = {"-w", "-e", "-x", "-", "--", "-we", "-W", "0", "8080", "65536", "8o80", "site", "/tmp", ""};
    std::vector<std::string> w = {"httpd"};
    for (std::size_t n = rng() % 7; n > 0; --n) w.push_back(pool[rng() % (sizeof pool / sizeof pool[0])]);
    return w;
}

// Everything below a directory: relative name -> content ("<dir>" for a
// directory, "-> target" for a link).
std::map<std::string, std::string> tree(const std::string& root) {
    std::map<std::string, std::string> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
        std::string rel = e.path().string().substr(root.size());
        if (e.is_symlink()) out[rel] = "-> " + std::filesystem::read_symlink(e.path()).string();
        else if (e.is_directory()) out[rel] = "<dir>";
        else out[rel] = testsupport::read_file(e.path());
    }
    return out;
}

// The lesson-09 docroot both languages get a copy of.
void make_site(const std::string& root) {
    ::mkdir((root + "/up").c_str(), 0755);
    testsupport::write_file(root + "/a.txt", "alpha\n");
    testsupport::write_file(root + "/up/old.txt", "old\n");
    ::symlink("old.txt", (root + "/up/link").c_str());
    ::symlink("up", (root + "/linkdir").c_str());
}

// handle_connection in one language: the lesson-09 steps in order on a
// connection whose client sends `request`, then the error page for a
// status.  (Each language its own Records, each on its own docroot.)
int run_asm(Records& r, const std::vector<testsupport::StepPair>& steps) {
    int res = STEP_NEXT;
    for (const auto& s : steps) {
        if ((res = s.a(r.a.get())) != STEP_NEXT) break;
    }
    if (res == STEP_NEXT) res = 500;
    if (res != STEP_DONE) answer_error_page(r.a.get(), res);
    return res;
}
int run_cpp(Records& r, const std::vector<testsupport::StepPair>& steps) {
    int res = STEP_NEXT;
    for (const auto& s : steps) {
        if ((res = s.c(*r.c)) != STEP_NEXT) break;
    }
    if (res == STEP_NEXT) res = 500;
    if (res != STEP_DONE) httpd::answer_error_page(*r.c, res);
    return res;
}

// One request on both docroots: the same result, the same bytes, the
// same trees afterwards.
void same_answer(const std::string& dir_a, const std::string& dir_c, const std::string& request, bool write,
                 const std::string& label) {
    const std::vector<testsupport::StepPair> steps = testsupport::lesson_steps(9);
    Records ra(dir_a.c_str()), rc(dir_c.c_str());
    ra.acfg.write = write ? 1 : 0;
    ra.acfg.error_fd = -1;
    rc.ccfg.write = write ? 1 : 0;
    StepRun a = on_socket(request, [&](int) { return run_asm(ra, steps); });
    StepRun c = on_socket(request, [&](int) { return run_cpp(rc, steps); });
    if (ra.a->file_fd >= 0) {                     // the spine closes the file
        ::close(static_cast<int>(ra.a->file_fd));
        ra.a->file_fd = -1;
    }
    rc.c->file.reset();
    EXPECT_EQ(a.result, c.result) << label;
    EXPECT_TRUE(a.wrote == c.wrote) << label << "\nasm: " << escaped(a.wrote.substr(0, 200)) << "\ncpp: "
                                    << escaped(c.wrote.substr(0, 200));
    EXPECT_EQ(tree(dir_a), tree(dir_c)) << label;
}

std::string put(const std::string& target, const std::string& body, const std::string& extra = "") {
    return "PUT " + target + " HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra +
           "\r\n" + body;
}
std::string make_request(const std::string& method, const std::string& target, const std::string& extra = "") {
    return method + " " + target + " HTTP/1.1\r\nHost: h\r\n" + extra + "\r\n";
}

}  // namespace

// ---------------------------------------------------------------------------
// The flags
// ---------------------------------------------------------------------------
TEST(Lesson09Asm, FlagTablesAreTheSame) {
    for (int i = 0;; ++i) {
        EXPECT_EQ(flags_09[i].letter, cpp_table()[i].letter) << i;
        EXPECT_EQ(flags_09[i].kind, cpp_table()[i].kind) << i;
        EXPECT_EQ(flags_09[i].offset, cpp_table()[i].offset) << i;
        EXPECT_STREQ(flags_09[i].usage, cpp_table()[i].usage) << i;
        if (flags_09[i].letter == 0 || cpp_table()[i].letter == 0) break;
    }
}

TEST(Lesson09Asm, FindFlagAgreesTableAndRandom) {
    const char* table[] = {"-w", "-e", "-x", "-", "--", "-we", "w", "", "-W", "-e ", "-\x01"};
    std::vector<std::string> args(std::begin(table), std::end(table));
    std::mt19937 rng(kSeed);
    const char alphabet[] = "-weWx \x01";
    for (int i = 0; i < 3000; ++i) {
        std::string s;
        for (std::size_t n = rng() % 4; n > 0; --n) s += alphabet[rng() % (sizeof alphabet - 1)];
        args.push_back(s);
    }
    for (const std::string& s : args) {
        long want = entry_of(httpd::find_flag(httpd::kFlags09, s.c_str()), httpd::kFlags09);
        EXPECT_EQ(entry_of(find_flag(flags_09, s.c_str()), flags_09), want) << "seed " << kSeed << ": " << escaped(s);
        EXPECT_EQ(entry_of(find_flag(cpp_table(), s.c_str()), cpp_table()), want) << escaped(s);
    }
}

TEST(Lesson09Asm, FlagsEndAgreesOnRandomCommandLines) {
    std::mt19937 rng(kSeed + 1);
    for (int i = 0; i < 3000; ++i) {
        Args a(random_words(rng));
        EXPECT_EQ(flags_end(flags_09, a.argc(), a.argv()), httpd::flags_end(httpd::kFlags09, a.argc(), a.argv()))
            << "seed " << kSeed + 1 << ": " << a.shown();
    }
}

TEST(Lesson09Asm, ParseCommandLineAgreesOnRandomCommandLines) {
    std::mt19937 rng(kSeed + 2);
    for (int i = 0; i < 1500; ++i) {
        Args a(random_words(rng));
        struct config ac;
        std::memset(&ac, 0x5a, sizeof ac);       // garbage: everything must be written
        httpd::Config cc;
        int ra = 0, rc = 0;
        std::string ea = output_of(2, [&] { ra = parse_command_line(a.argc(), a.argv(), &ac, flags_09); });
        std::string ec = output_of(2, [&] { rc = httpd::parse_command_line(a.argc(), a.argv(), &cc, httpd::kFlags09); });
        std::string where = "seed " + std::to_string(kSeed + 2) + ": " + a.shown();
        ASSERT_EQ(ra, rc) << where;
        EXPECT_EQ(ea, ec) << where;
        if (ra != 0) continue;
        EXPECT_EQ(ac.port, cc.port) << where;
        EXPECT_STREQ(ac.docroot, cc.docroot) << where;
        EXPECT_EQ(ac.docroot_fd, cc.docroot_fd) << where;
        EXPECT_EQ(ac.write, cc.write) << where;
        EXPECT_EQ(ac.error_dir, cc.error_dir) << where;   // the same argv pointer
        EXPECT_EQ(ac.error_fd, cc.error_fd) << where;
    }
}

TEST(Lesson09Asm, OpenErrorPagesAgrees) {
    TempDir dir("09-asm");
    std::string path = dir.path();
    for (const char* d : {path.c_str(), "/nonexistent-metal-httpd-errors", static_cast<const char*>(nullptr)}) {
        struct config ac {};
        ac.error_dir = d;
        ac.error_fd = -1;
        httpd::Config cc;
        cc.error_dir = d;
        std::int64_t ra = 0, rc = 0;
        std::string ea = output_of(2, [&] { ra = open_error_pages(&ac); });
        std::string ec = output_of(2, [&] { rc = httpd::open_error_pages(&cc); });
        EXPECT_EQ(ra, rc) << (d ? d : "(none)");
        EXPECT_EQ(ea, ec) << (d ? d : "(none)");
        EXPECT_EQ(ac.error_fd >= 0, cc.error_fd >= 0);
        if (ac.error_fd >= 0) ::close(static_cast<int>(ac.error_fd));
        if (cc.error_fd >= 0) ::close(static_cast<int>(cc.error_fd));
    }
}

// ---------------------------------------------------------------------------
// Methods, names, errno
// ---------------------------------------------------------------------------
TEST(Lesson09Asm, MethodPolicyAndAllowAgree) {
    std::mt19937_64 rng(kSeed + 3);
    for (int id = 0; id <= static_cast<int>(httpd::Method::TRACE) + 1; ++id) {
        for (std::uint64_t write : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{rng()} | 1, std::uint64_t{1} << 63}) {
            EXPECT_EQ(allowed_method_status(id, write), httpd::allowed_method_status(static_cast<httpd::Method>(id), write))
                << id << " " << write;
            EXPECT_STREQ(allow_value(write), httpd::allow_value(write)) << write;
        }
    }
}

TEST(Lesson09Asm, LastNameAgreesTableAndRandom) {
    std::vector<std::string> paths = {"", "/", "//", "/a", "a", "/docs/", "/docs/a.txt", "a/", "/a/b/c"};
    std::mt19937 rng(kSeed + 4);
    for (int i = 0; i < 5000; ++i) {
        std::string p;
        for (std::size_t n = rng() % 12; n > 0; --n) p += "/a."[rng() % 3];
        paths.push_back(p);
    }
    for (const std::string& p : paths)
        EXPECT_EQ(last_name(p.data(), p.size()), httpd::last_name(p)) << "seed " << kSeed + 4 << ": " << p;
}

TEST(Lesson09Asm, UploadNameAgrees) {
    std::mt19937_64 rng(kSeed + 5);
    std::vector<std::uint64_t> pids = {0, 1, 9, 10, 12345, 4194304, ~0ULL};
    for (int i = 0; i < 2000; ++i) pids.push_back(rng() >> (rng() % 64));
    for (std::uint64_t pid : pids) {
        char a[UPLOAD_NAME_MAX], c[UPLOAD_NAME_MAX];
        std::memset(a, 0x77, sizeof a);
        std::memset(c, 0x77, sizeof c);
        std::size_t na = upload_name(a, pid), nc = httpd::upload_name(c, pid);
        ASSERT_EQ(na, nc) << pid;
        EXPECT_EQ(std::memcmp(a, c, sizeof a), 0) << "seed " << kSeed + 5 << ": pid " << pid;
    }
}

TEST(Lesson09Asm, UploadErrnoStatusAgreesForEveryErrno) {
    for (int err = 0; err < 256; ++err) EXPECT_EQ(upload_errno_status(err), httpd::upload_errno_status(err)) << err;
}

TEST(Lesson09Asm, ExpectsContinueAgreesTableAndRandom) {
    std::vector<std::string> heads = {
        "PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n",
        "PUT /x HTTP/1.1\r\nHost: h\r\nEXPECT: 100-Continue\r\n\r\n",
        "PUT /x HTTP/1.0\r\nExpect: 100-continue\r\n\r\n",
        "PUT /x HTTP/1.1\r\nHost: h\r\n\r\n",
        "PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continuex\r\n\r\n",
    };
    std::mt19937 rng(kSeed + 6);
    static const char* values[] = {"100-continue", "100-CONTINUE", "100-contin", "", "x, 100-continue", "x", "100-continu3",
                                   " ,100-continue ,", "a,b"};
    for (int i = 0; i < 500; ++i) {
        std::string h = std::string("PUT /x HTTP/1.") + (rng() % 4 ? "1" : "0") + "\r\nHost: h\r\n";
        for (std::size_t n = rng() % 3; n > 0; --n) h += std::string(rng() % 2 ? "Expect" : "expect") + ": " + values[rng() % 9] + "\r\n";
        heads.push_back(h + "\r\n");
    }
    for (const std::string& h : heads) {
        Records r;
        int pa = parse_request(h.data(), h.size(), &r.a->req);
        int pc = httpd::parse_request(h, r.c->req);
        ASSERT_EQ(pa, pc) << escaped(h);
        if (pa != 0) continue;
        EXPECT_EQ(expects_continue(&r.a->req) != 0, httpd::expects_continue(r.c->req)) << "seed " << kSeed + 6 << ": " << escaped(h);
    }
}

// ---------------------------------------------------------------------------
// Error pages
// ---------------------------------------------------------------------------
TEST(Lesson09Asm, ErrorPageAndItsNameAgree) {
    for (int status = 0; status < 1000; ++status) {
        const char* a = error_page(status);
        const char* c = httpd::error_page(status);
        ASSERT_EQ(a == nullptr, c == nullptr) << status;
        if (a != nullptr) {
            EXPECT_STREQ(a, c) << status;
        }
        if (status < 100) continue;
        char na[ERROR_NAME_MAX], nc[ERROR_NAME_MAX];
        EXPECT_EQ(error_page_name(na, status), httpd::error_page_name(nc, status)) << status;
        EXPECT_STREQ(na, nc) << status;
    }
}

TEST(Lesson09Asm, SendErrorPageAgrees) {
    TempDir dir("09-asm");
    testsupport::write_file(dir.path() + "/404.html", "<p>custom</p>\n");
    ::symlink("404.html", (dir.path() + "/403.html").c_str());
    ::mkdir((dir.path() + "/400.html").c_str(), 0755);
    httpd::Fd pages(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY));
    const std::string extras[] = {"", "Allow: GET, HEAD, OPTIONS\r\n", "Content-Range: bytes */6\r\nAccept-Ranges: bytes\r\n"};
    for (int status : {400, 403, 404, 405, 409, 411, 413, 414, 416, 431, 500, 501, 505, 507, 299, 599}) {
        for (int is_head : {0, 1}) {
            for (const std::string& extra : extras) {
                for (int fd : {-1, pages.get()}) {
                    StepRun a = on_socket("", [&](int s) { return static_cast<int>(send_error_page(s, status, is_head, extra.data(), extra.size(), fd)); });
                    StepRun c = on_socket("", [&](int s) { return static_cast<int>(httpd::send_error_page(s, status, is_head != 0, extra, fd)); });
                    EXPECT_EQ(a.result, c.result) << status;
                    // the result: the body bytes that went (0 for HEAD)
                    EXPECT_EQ(a.result, static_cast<int>(a.wrote.size() - (a.wrote.find("\r\n\r\n") + 4))) << status;
                    EXPECT_TRUE(a.wrote == c.wrote) << status << " head " << is_head << " fd " << fd << "\nasm: "
                                                    << escaped(a.wrote.substr(0, 300)) << "\ncpp: " << escaped(c.wrote.substr(0, 300));
                }
            }
        }
    }
}

TEST(Lesson09Asm, ReceiveBodyAgrees) {
    struct Case {
        std::string have, rest;
        std::uint64_t length;
        std::size_t cap;
    };
    const Case cases[] = {{"abc", "", 3, 8},      {"", "hello", 5, 2},     {"ab", "cdef", 6, 3},
                          {"abcdef", "", 3, 8},   {"ab", "c", 10, 4},      {"", "", 1, 4},
                          {"", "", 0, 4},         {"x", std::string(70000, 'y'), 70001, 65536}};
    for (const Case& k : cases) {
        TempDir dir("09-asm");
        std::string fa = dir.path() + "/a", fc = dir.path() + "/c";
        httpd::Fd da(::open(fa.c_str(), O_WRONLY | O_CREAT, 0644)), dc(::open(fc.c_str(), O_WRONLY | O_CREAT, 0644));
        std::vector<char> buf(k.cap);
        StepRun a = on_socket(k.rest, [&](int s) {
            return static_cast<int>(receive_body(s, da.get(), k.have.data(), k.have.size(), k.length, buf.data(), buf.size(), 0));
        });
        StepRun c = on_socket(k.rest, [&](int s) {
            return static_cast<int>(httpd::receive_body(s, dc.get(), k.have.data(), k.have.size(), k.length, buf.data(), buf.size(), 0));
        });
        EXPECT_EQ(a.result, c.result) << k.have << "+" << k.rest.size();
        EXPECT_EQ(testsupport::read_file(fa), testsupport::read_file(fc)) << k.have << "+" << k.rest.size();
        // lesson 10: a deadline already past -> 408 before any read, unless
        // the bytes that came with the head are the whole body; one far
        // ahead changes nothing
        for (std::uint64_t deadline : {std::uint64_t{1}, httpd::now_ms() + 60000}) {
            ASSERT_EQ(::ftruncate(da.get(), 0), 0);
            ASSERT_EQ(::ftruncate(dc.get(), 0), 0);
            StepRun ad = on_socket(k.rest, [&](int s) {
                return static_cast<int>(receive_body(s, da.get(), k.have.data(), k.have.size(), k.length, buf.data(), buf.size(), deadline));
            });
            StepRun cd = on_socket(k.rest, [&](int s) {
                return static_cast<int>(httpd::receive_body(s, dc.get(), k.have.data(), k.have.size(), k.length, buf.data(), buf.size(), deadline));
            });
            EXPECT_EQ(ad.result, cd.result) << k.have << "+" << k.rest.size() << " deadline " << deadline;
            if (deadline == 1 && k.length > k.have.size()) {
                EXPECT_EQ(cd.result, -408) << k.have;
            }
            if (deadline != 1) {
                EXPECT_EQ(cd.result, c.result) << k.have;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The lesson-09 pipeline, side by side on two copies of one docroot
// ---------------------------------------------------------------------------
TEST(Lesson09Asm, PipelineAgreesOnTheTable) {
    TempDir da("09-asm"), dc("09-asm");
    make_site(da.path());
    make_site(dc.path());
    const std::vector<std::pair<std::string, bool>> requests = {
        {make_request("OPTIONS", "*"), false},
        {make_request("OPTIONS", "*"), true},
        {make_request("OPTIONS", "/a.txt"), true},
        {make_request("OPTIONS", "/up/"), false},
        {make_request("OPTIONS", "/none"), false},
        {make_request("OPTIONS", "/linkdir/old.txt"), false},
        {make_request("POST", "/a.txt", "Content-Length: 0\r\n"), true},
        {make_request("BREW", "/"), true},
        {put("/up/new.txt", "hello\n"), false},
        {put("/up/new.txt", "hello\n"), true},
        {put("/up/new.txt", "again\n", "Expect: 100-continue\r\n"), true},
        {put("/up/empty", ""), true},
        {make_request("PUT", "/up/y"), true},
        {make_request("PUT", "/up/y", "Transfer-Encoding: chunked\r\n") + "0\r\n\r\n", true},
        {make_request("PUT", "/up/y", "Content-Length: 1073741825\r\nExpect: 100-continue\r\n"), true},
        {put("/up/old.txt", "x", "Content-Range: bytes 0-0/1\r\n"), true},
        {put("/up", "x"), true},
        {put("/up/", "x"), true},
        {put("/", "x"), true},
        {put("/none/y", "x"), true},
        {put("/a.txt/y", "x"), true},
        {put("/up/link", "x"), true},
        {put("/linkdir/z", "x"), true},
        {put("/../z", "x"), true},
        {put("/up/%01x", "x"), true},
        {put("/up/" + std::string(256, 'n'), "x"), true},
        {make_request("PUT", "/up/short", "Content-Length: 10\r\n") + "abc", true},
        {make_request("DELETE", "/up/link"), true},
        {make_request("DELETE", "/linkdir/old.txt"), true},
        {make_request("DELETE", "/up"), true},
        {make_request("DELETE", "/"), true},
        {make_request("DELETE", "/up/none"), true},
        {make_request("DELETE", "/up/new.txt"), false},
        {make_request("DELETE", "/up/new.txt"), true},
        {make_request("HEAD", "/none"), true},
        {make_request("GET", "/up/old.txt"), true},
    };
    for (const auto& [req, write] : requests) same_answer(da.path(), dc.path(), req, write, escaped(req.substr(0, 60)));
}

TEST(Lesson09Asm, PipelineAgreesOnARandomSequence) {
    TempDir da("09-asm"), dc("09-asm");
    make_site(da.path());
    make_site(dc.path());
    std::mt19937 rng(kSeed + 7);
    static const char* targets[] = {"/up/a", "/up/b", "/up/old.txt", "/up/link", "/up", "/up/", "/c", "/linkdir/a", "/x/y", "/"};
    static const char* methods[] = {"PUT", "DELETE", "OPTIONS", "GET", "HEAD"};
    for (int i = 0; i < 300; ++i) {
        std::string target = targets[rng() % 10];
        std::string method = methods[rng() % 5];
        std::string req;
        if (method == "PUT") {
            std::string body(rng() % 40, static_cast<char>('a' + rng() % 26));
            switch (rng() % 4) {
                case 0: req = put(target, body, "Expect: 100-continue\r\n"); break;
                case 1: req = make_request("PUT", target, "Content-Length: " + std::to_string(body.size() + 5) + "\r\n") + body; break;   // short
                default: req = put(target, body);
            }
        } else {
            req = make_request(method, target);
        }
        same_answer(da.path(), dc.path(), req, rng() % 5 != 0, "seed " + std::to_string(kSeed + 7) + " #" + std::to_string(i) + ": " + escaped(req.substr(0, 60)));
        if (::testing::Test::HasFailure()) break;   // one difference is enough to look at
    }
}
