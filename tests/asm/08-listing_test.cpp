// tests/asm/08-listing_test.cpp -- lesson 08: the assembly stage against
// its C++ twin (same inputs, same results, the same bytes written), and
// both against the lesson's rules (lessons/08-listing/README.md) through
// the tables of tests/support/listing_cases.hpp: compare_names and the
// sort, out_html and out_href (tables, every byte, and 100,000 seeded
// random inputs each), the buffered writer, the directory reader on
// temporary directories, the page of a fixed directory, and step_directory
// side by side on a struct exchange and an httpd::Exchange
// (tests/support/asm_exchange.hpp) in the lesson-08 pipeline.
//
// The random tests compare 100,000 inputs each; under qemu on a busy
// x86-64 machine that takes a few seconds in all.
#include <gtest/gtest.h>

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
#include <vector>

#include "../support/asm_exchange.hpp"
#include "../support/callee_saved.hpp"
#include "../support/files_fixture.hpp"
#include "../support/listing_cases.hpp"
#include "../support/support.hpp"
#include "08-listing.hpp"
#include "api.h"
#include "exchange.hpp"

namespace {

using testsupport::capture;
using testsupport::Records;
using testsupport::TempDir;
using testsupport::write_file;

// What this file's temporary directories are called (/tmp/metal-08-asm-*).
constexpr const char* kTag = "08-asm";

using testsupport::escaped;

// The two writers side by side, counting only (16 KB each: on the heap).
struct Outs {
    std::unique_ptr<struct listing_out> a = std::make_unique<struct listing_out>();
    std::unique_ptr<httpd::ListingOut> c = std::make_unique<httpd::ListingOut>();
    Outs() {
        out_start(a.get(), -1);
        httpd::out_start(*c, -1);
    }
    std::string abuf() const { return std::string(a->buf, a->len); }
    std::string cbuf() const { return std::string(c->buf, c->len); }
    // both agree on every field and on the bytes in the buffer
    bool same() const { return a->sock == c->sock && a->len == c->len && a->total == c->total && abuf() == cbuf(); }
};

// Entries for both languages over the same name bytes.
struct BothEntries {
    std::vector<std::string> names;
    std::vector<struct dir_entry> a;
    std::vector<httpd::DirEntry> c;
    explicit BothEntries(std::vector<std::string> n) : names(std::move(n)) {
        for (std::size_t i = 0; i < names.size(); ++i) {
            std::uint64_t mode = (i % 3 == 0 ? S_IFDIR | 0755 : S_IFREG | 0644);
            a.push_back({names[i].data(), names[i].size(), i * 7, mode});
            c.push_back({names[i].data(), names[i].size(), i * 7, mode});
        }
    }
    // the same entries (name pointers included) in the same places
    bool same() const {
        if (a.size() != c.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (a[i].name != c[i].name || a[i].name_len != c[i].name_len || a[i].file_size != c[i].file_size ||
                a[i].file_mode != c[i].file_mode) {
                return false;
            }
        }
        return true;
    }
};

httpd::Fd open_dir(const std::string& path) { return httpd::Fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY)); }


}  // namespace

// ---------------------------------------------------------------------------
// compare_names and the sort
// ---------------------------------------------------------------------------
TEST(Lesson08Asm, CompareNamesTableAgrees) {
    for (const auto& c : testsupport::compare_cases()) {
        EXPECT_EQ(compare_names(c.a.data(), c.a.size(), c.b.data(), c.b.size()), c.want) << c.why;
        EXPECT_EQ(compare_names(c.b.data(), c.b.size(), c.a.data(), c.a.size()), -c.want) << c.why;
        EXPECT_EQ(httpd::compare_names(c.a, c.b), c.want) << c.why;
    }
}

// Random pairs, biased to share prefixes (where the loop's end and the
// length rule matter) and to contain bytes >= 0x80 (the signed trap).
TEST(Lesson08Asm, CompareNamesRandomPairsAgree) {
    const unsigned seed = 20240801;
    std::mt19937 rng(seed);
    const std::string alphabet = std::string("aAzZ09 -.~", 10) + std::string("\x00\x7f\x80\xc3\xff", 5);
    int differences = 0;
    for (int i = 0; i < 100000 && differences < 10; ++i) {
        std::string a, b;
        for (std::size_t k = rng() % 8; k > 0; --k) a += alphabet[rng() % alphabet.size()];
        b = rng() % 2 ? a.substr(0, rng() % (a.size() + 1)) : std::string();
        for (std::size_t k = rng() % 6; k > 0; --k) b += alphabet[rng() % alphabet.size()];
        int ra = compare_names(a.data(), a.size(), b.data(), b.size());
        int rc = httpd::compare_names(a, b);
        int want = a < b ? -1 : a == b ? 0 : 1;   // std::string compares bytes as unsigned
        if (ra != rc || ra != want) {
            ++differences;
            ADD_FAILURE() << "seed " << seed << ", case " << i << ": \"" << escaped(a) << "\" vs \"" << escaped(b)
                          << "\": asm " << ra << ", cpp " << rc << ", want " << want;
        }
    }
}

TEST(Lesson08Asm, SortEntriesTableAgrees) {
    const std::vector<std::vector<std::string>> inputs = {
        {},
        {"only"},
        {"b", "a"},
        {"\xc3\xa4", "b", "a-", "a b", "a", "Z", "B", "9", "10"},
        {"same", "same", "same"},
        {"e", "d", "c", "b", "a", "f", "g", "h"},
    };
    for (const auto& in : inputs) {
        BothEntries e(in);
        sort_entries(e.a.data(), e.a.size());
        httpd::sort_entries(e.c.data(), e.c.size());
        EXPECT_TRUE(e.same()) << in.size() << " entries";
        for (std::size_t i = 1; i < e.a.size(); ++i) {
            EXPECT_LE(compare_names(e.a[i - 1].name, e.a[i - 1].name_len, e.a[i].name, e.a[i].name_len), 0);
        }
    }
}

// 100,000 random arrays of 0..12 entries from a small alphabet (so that
// names repeat: with equal names only the same algorithm, step for step,
// leaves the same entries in the same places).  Both sorts must move
// every entry -- pointer, size, mode -- to the same place.
TEST(Lesson08Asm, SortEntriesRandomArraysAgree) {
    const unsigned seed = 20240808;
    const int count = 100000;
    std::mt19937 rng(seed);
    const std::string alphabet = std::string("abAB0 ~", 7) + "\xc3\xff";
    int differences = 0;
    for (int i = 0; i < count && differences < 10; ++i) {
        std::vector<std::string> names(rng() % 13);
        for (auto& n : names) {
            for (std::size_t k = rng() % 4; k > 0; --k) n += alphabet[rng() % alphabet.size()];
        }
        BothEntries e(names);
        sort_entries(e.a.data(), e.a.size());
        httpd::sort_entries(e.c.data(), e.c.size());
        if (!e.same()) {
            ++differences;
            std::string shown;
            for (const auto& n : names) shown += "\"" + escaped(n) + "\" ";
            ADD_FAILURE() << "seed " << seed << ", case " << i << ": " << shown;
        }
    }
}

TEST(Lesson08Asm, SortEntriesTenThousandAgree) {
    std::vector<std::string> names;
    std::mt19937 rng(10000);
    for (int i = 0; i < 10000; ++i) names.push_back("f-" + std::to_string(rng() % 100000));
    BothEntries e(names);
    sort_entries(e.a.data(), e.a.size());
    httpd::sort_entries(e.c.data(), e.c.size());
    EXPECT_TRUE(e.same());
    for (std::size_t i = 1; i < e.a.size(); ++i) {
        ASSERT_LE(compare_names(e.a[i - 1].name, e.a[i - 1].name_len, e.a[i].name, e.a[i].name_len), 0) << i;
    }
}

TEST(Lesson08Asm, SiftDownAgrees) {
    BothEntries e({"a", "g", "f", "e", "d", "c", "b", "h"});
    for (std::size_t n : {8u, 7u, 3u, 1u, 0u}) {
        BothEntries x(e.names);
        sift_down(x.a.data(), 0, n);
        httpd::sift_down(x.c.data(), 0, n);
        EXPECT_TRUE(x.same()) << n;
    }
}

// ---------------------------------------------------------------------------
// The writer: out_html, out_href, out_u64, out_bytes, out_flush
// ---------------------------------------------------------------------------
TEST(Lesson08Asm, OutHtmlAndOutHrefTableAgrees) {
    for (const auto& c : testsupport::text_cases()) {
        Outs h;
        out_html(h.a.get(), c.in.data(), c.in.size());
        httpd::out_html(*h.c, c.in.data(), c.in.size());
        EXPECT_EQ(h.abuf(), c.html) << c.why;
        EXPECT_TRUE(h.same()) << c.why;
        Outs r;
        out_href(r.a.get(), c.in.data(), c.in.size());
        httpd::out_href(*r.c, c.in.data(), c.in.size());
        EXPECT_EQ(r.abuf(), c.href) << c.why;
        EXPECT_TRUE(r.same()) << c.why;
    }
}

TEST(Lesson08Asm, OutHtmlAndOutHrefEveryByteAgrees) {
    for (int b = 0; b < 256; ++b) {
        const std::string in = {'x', static_cast<char>(b), 'y'};
        Outs h, r;
        out_html(h.a.get(), in.data(), in.size());
        httpd::out_html(*h.c, in.data(), in.size());
        out_href(r.a.get(), in.data(), in.size());
        httpd::out_href(*r.c, in.data(), in.size());
        EXPECT_TRUE(h.same()) << b << ": " << escaped(h.abuf()) << " vs " << escaped(h.cbuf());
        EXPECT_TRUE(r.same()) << b << ": " << escaped(r.abuf()) << " vs " << escaped(r.cbuf());
    }
}

// out_query (and out_percent under it): every byte, alone and between
// others, and 100,000 seeded random queries from a pool of the bytes that
// matter (kept, escaped, high, '%').
TEST(Lesson08Asm, OutQueryEveryByteAgrees) {
    for (int b = 0; b < 256; ++b) {
        const std::string in = {'x', static_cast<char>(b), 'y'};
        Outs q;
        out_query(q.a.get(), in.data(), in.size());
        httpd::out_query(*q.c, in.data(), in.size());
        EXPECT_TRUE(q.same()) << b << ": " << escaped(q.abuf()) << " vs " << escaped(q.cbuf());
        Outs p;   // out_percent with a class of its own: only '!' kept
        out_percent(p.a.get(), in.data(), in.size(), "!");
        httpd::out_percent(*p.c, in.data(), in.size(), "!");
        EXPECT_TRUE(p.same()) << b << ": " << escaped(p.abuf()) << " vs " << escaped(p.cbuf());
    }
}

TEST(Lesson08Asm, OutQueryRandomInputsAgree) {
    std::mt19937 rng(20261207);
    const std::string pool = std::string("&=?/:@!$'()*+,;%-._~ aZ09\"<>#|^`{}") + std::string("\x80\xc3\xbc\xff", 4);
    auto a = std::make_unique<struct listing_out>();
    auto c = std::make_unique<httpd::ListingOut>();
    for (int i = 0; i < 100000; ++i) {
        if (i % 50 == 0) {   // a fresh value now and then; between, the buffer fills
            out_start(a.get(), -1);
            httpd::out_start(*c, -1);
        }
        std::string in;
        for (std::size_t k = rng() % 24; k > 0; --k) in += pool[rng() % pool.size()];
        out_query(a.get(), in.data(), in.size());
        httpd::out_query(*c, in.data(), in.size());
        ASSERT_TRUE(a->len == c->len && a->total == c->total && std::memcmp(a->buf, c->buf, a->len) == 0)
            << "case " << i << " \"" << escaped(in) << "\"";
    }
}

// Random names, biased towards what the two functions have to get right:
// the five specials, unreserved and reserved symbols, control and high
// bytes; several calls into one writer, so that runs and entities meet
// across calls.  The same seed every run; printed with any difference.
TEST(Lesson08Asm, OutHtmlAndOutHrefRandomInputsAgree) {
    const unsigned seed = 20240802;
    const int count = 100000;
    std::mt19937 rng(seed);
    const std::string pool = std::string("&<>\"'-._~/%?#:@ +=aZ09\\") + std::string("\x00\x01\x1f\x7f\x80\xc3\xa9\xff", 8);
    int differences = 0;
    auto a = std::make_unique<struct listing_out>();
    auto c = std::make_unique<httpd::ListingOut>();
    for (int i = 0; i < count && differences < 10; ++i) {
        if (i % 50 == 0) {   // a fresh page now and then; between, the buffer fills
            out_start(a.get(), -1);
            httpd::out_start(*c, -1);
        }
        std::string in;
        for (std::size_t k = rng() % 24; k > 0; --k) in += pool[rng() % pool.size()];
        bool html = rng() % 2;
        if (html) {
            out_html(a.get(), in.data(), in.size());
            httpd::out_html(*c, in.data(), in.size());
        } else {
            out_href(a.get(), in.data(), in.size());
            httpd::out_href(*c, in.data(), in.size());
        }
        if (a->len != c->len || a->total != c->total || std::memcmp(a->buf, c->buf, a->len) != 0) {
            ++differences;
            ADD_FAILURE() << "seed " << seed << ", case " << i << ", " << (html ? "out_html" : "out_href") << " \""
                          << escaped(in) << "\": asm len " << a->len << " total " << a->total << ", cpp len "
                          << c->len << " total " << c->total;
        }
    }
}

TEST(Lesson08Asm, OutU64Agrees) {
    for (std::uint64_t v : {0ull, 9ull, 10ull, 1234567890ull, 4294967296ull, 18446744073709551615ull}) {
        Outs o;
        out_u64(o.a.get(), v);
        httpd::out_u64(*o.c, v);
        EXPECT_EQ(o.abuf(), std::to_string(v));
        EXPECT_TRUE(o.same()) << v;
    }
}

// Across several full buffers, into a socket: the same bytes arrive.
TEST(Lesson08Asm, OutBytesThroughSocketsAgrees) {
    const std::string data = testsupport::pattern(3 * LISTING_OUT_MAX + 333);
    auto feed = [&](auto&& add) {
        for (std::size_t at = 0; at < data.size();) {
            std::size_t n = std::min<std::size_t>(data.size() - at, 1 + (at * 7) % 9001);
            add(data.data() + at, n);
            at += n;
        }
    };
    auto a = std::make_unique<struct listing_out>();
    auto c = std::make_unique<httpd::ListingOut>();
    std::string got_a = capture([&](int sock) {
        out_start(a.get(), sock);
        feed([&](const char* p, std::size_t n) { out_bytes(a.get(), p, n); });
        out_flush(a.get());
    });
    std::string got_c = capture([&](int sock) {
        httpd::out_start(*c, sock);
        feed([&](const char* p, std::size_t n) { httpd::out_bytes(*c, p, n); });
        httpd::out_flush(*c);
    });
    EXPECT_TRUE(got_a == data) << got_a.size();
    EXPECT_TRUE(got_c == data) << got_c.size();
    EXPECT_EQ(a->total, c->total);
    EXPECT_EQ(a->len, 0u);
    EXPECT_EQ(a->sent, data.size());   // every byte counted as sent once (lesson 10 logs it)
    EXPECT_EQ(a->sent, c->sent);
}

// out_flush counts what it sent in o->sent from o->len itself, whatever
// its caller left in the temporaries (x9..x15 hold junk here), and gives
// x19..x28 back.
TEST(Lesson08Asm, OutFlushCountsWhatItSent) {
    auto a = std::make_unique<struct listing_out>();
    auto c = std::make_unique<httpd::ListingOut>();
    std::string got = capture([&](int sock) {
        out_start(a.get(), sock);
        out_bytes(a.get(), "hello", 5);
        a->sent = 100;   // as if 100 bytes had gone before
        testsupport::CalleeSavedRun run = testsupport::call_checking_callee_saved(&out_flush, a.get());
        EXPECT_EQ(run.problems, "");
    });
    capture([&](int sock) {
        httpd::out_start(*c, sock);
        httpd::out_bytes(*c, "hello", 5);
        c->sent = 100;
        httpd::out_flush(*c);
    });
    EXPECT_EQ(got, "hello");
    EXPECT_EQ(a->sent, 105u);
    EXPECT_EQ(a->sent, c->sent);
    EXPECT_EQ(a->len, 0u);
}

TEST(Lesson08Asm, OutFlushToAClosedSocketAgrees) {
    struct sigaction ignore {}, old {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &old);
    for (int lang = 0; lang < 2; ++lang) {
        int fds[2];
        ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        ::close(fds[1]);
        Outs o;
        if (lang == 0) {
            out_start(o.a.get(), fds[0]);
            out_bytes(o.a.get(), "abc", 3);
            out_flush(o.a.get());
            EXPECT_EQ(o.a->sock, -1);
            EXPECT_EQ(o.a->len, 0u);
            EXPECT_EQ(o.a->total, 3u);
        } else {
            httpd::out_start(*o.c, fds[0]);
            httpd::out_bytes(*o.c, "abc", 3);
            httpd::out_flush(*o.c);
            EXPECT_EQ(o.c->sock, -1);
        }
        ::close(fds[0]);
    }
    ::sigaction(SIGPIPE, &old, nullptr);
}

// ---------------------------------------------------------------------------
// Reading the directory: the same kernel, so the same names in the same order
// ---------------------------------------------------------------------------
class Lesson08AsmDir : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(dir.path().empty());
        for (int i = 0; i < 600; ++i) {   // several kernel blocks
            write_file(dir.at("n" + std::to_string(i) + std::string(static_cast<std::size_t>(i % 50), 'z')),
                       std::string(static_cast<std::size_t>(i % 7), 'q'));
        }
        write_file(dir.at(".hidden"), "h");
        std::filesystem::create_directory(dir.at("sub"));
        std::filesystem::create_symlink("n1z", dir.at("link"));
        std::filesystem::create_symlink("nowhere", dir.at("dangling"));
    }
    TempDir dir{kTag};
};

TEST_F(Lesson08AsmDir, DirNextAgrees) {
    httpd::Fd fa = open_dir(dir.path()), fc = open_dir(dir.path());
    auto ra = std::make_unique<struct dir_reader>();
    auto rc = std::make_unique<httpd::DirReader>();
    ASSERT_EQ(dir_start(ra.get(), fa.get()), 0);
    ASSERT_EQ(httpd::dir_start(*rc, fc.get()), 0);
    std::size_t names = 0;
    for (;;) {
        const char *na = nullptr, *nc = nullptr;
        std::int64_t la = dir_next(ra.get(), &na);
        std::int64_t lc = httpd::dir_next(*rc, &nc);
        ASSERT_EQ(la, lc) << "after " << names << " names";
        if (la <= 0) break;
        ASSERT_STREQ(na, nc);
        EXPECT_EQ(na - reinterpret_cast<const char*>(ra.get()), nc - reinterpret_cast<const char*>(rc.get()))
            << "the name at the same place in both readers";
        EXPECT_NE(std::string(na), ".");
        EXPECT_NE(std::string(na), "..");
        ++names;
    }
    EXPECT_EQ(names, 604u);
    EXPECT_EQ(ra->eof, 1u);
    EXPECT_EQ(dir_next(ra.get(), nullptr), 0) << "at the end it stays at the end";
}

TEST_F(Lesson08AsmDir, CountAndReadEntriesAgree) {
    httpd::Fd fd = open_dir(dir.path());
    std::uint64_t ba = 0, bc = 0;
    std::int64_t ca = count_entries(fd.get(), &ba);
    std::int64_t cc = httpd::count_entries(fd.get(), &bc);
    ASSERT_EQ(ca, 604);
    EXPECT_EQ(ca, cc);
    EXPECT_EQ(ba, bc);
    std::vector<struct dir_entry> ea(static_cast<std::size_t>(ca));
    std::vector<httpd::DirEntry> ec(static_cast<std::size_t>(cc));
    std::vector<char> na(ba), nc(bc);
    ASSERT_EQ(read_entries(fd.get(), ea.data(), ea.size(), na.data(), na.size()), ca);
    ASSERT_EQ(httpd::read_entries(fd.get(), ec.data(), ec.size(), nc.data(), nc.size()), cc);
    EXPECT_TRUE(na == nc) << "the names, copied in the same order";
    for (std::size_t i = 0; i < ea.size(); ++i) {
        EXPECT_EQ(ea[i].name - na.data(), ec[i].name - nc.data()) << i;
        EXPECT_EQ(ea[i].name_len, ec[i].name_len) << i;
        EXPECT_EQ(ea[i].file_size, ec[i].file_size) << i;
        EXPECT_EQ(ea[i].file_mode, ec[i].file_mode) << i;
        std::string name(ea[i].name, ea[i].name_len);
        if (name == "link" || name == "dangling") {
            EXPECT_TRUE(S_ISLNK(ea[i].file_mode)) << name;
            EXPECT_EQ(ea[i].file_size, name == "link" ? 3u : 7u) << name;
        }
    }
    // the limits: max entries, and names_cap
    EXPECT_EQ(read_entries(fd.get(), ea.data(), 10, na.data(), na.size()), 10);
    EXPECT_EQ(read_entries(fd.get(), ea.data(), ea.size(), na.data(), 3),
              httpd::read_entries(fd.get(), ec.data(), ec.size(), nc.data(), 3));
    EXPECT_EQ(count_entries(-1, &ba), -EBADF);
}

// listable_name: every byte value, alone, first, inside and last, and
// 100,000 seeded random names (mostly printable, some control bytes)
TEST(Lesson08Asm, ListableNameEveryByteAgrees) {
    for (int b = 0; b < 256; ++b) {
        const std::string alone(1, static_cast<char>(b));
        const bool control = b < 0x20 || b == 0x7f;
        for (const std::string& name : {alone, alone + "xyz", "x" + alone + "y", "xyz" + alone}) {
            EXPECT_EQ(listable_name(name.data(), name.size()) != 0, httpd::listable_name(name)) << "byte " << b;
            EXPECT_EQ(listable_name(name.data(), name.size()), control ? 0 : 1) << "byte " << b;
        }
    }
    EXPECT_EQ(listable_name(nullptr, 0), 1) << "no bytes: nothing to refuse";
}

TEST(Lesson08Asm, ListableNameRandomNamesAgree) {
    std::mt19937 rng(808);
    std::uniform_int_distribution<int> len(0, 24), byte(0, 255), rare(0, 99);
    for (int i = 0; i < 100000; ++i) {
        std::string name(static_cast<std::size_t>(len(rng)), 'a');
        for (char& c : name) c = static_cast<char>(rare(rng) < 3 ? byte(rng) % 0x20 : 0x20 + byte(rng) % 0xe0);
        ASSERT_EQ(listable_name(name.data(), name.size()) != 0, httpd::listable_name(name)) << escaped(name);
    }
}

// Both readers leave the same names out of the same directory.
TEST(Lesson08Asm, ControlByteNamesLeftOutByBoth) {
    TempDir dir(kTag);
    ASSERT_FALSE(dir.path().empty());
    for (const char* n : {"a\nb", "a\tb", "a\x01" "b", "a\x7f" "b", "plain.txt", "z"}) write_file(dir.at(n), "x");
    httpd::Fd fd = open_dir(dir.path());
    std::uint64_t ba = 0, bc = 0;
    EXPECT_EQ(count_entries(fd.get(), &ba), 2);
    EXPECT_EQ(httpd::count_entries(fd.get(), &bc), 2);
    EXPECT_EQ(ba, 10u);
    EXPECT_EQ(bc, 10u);
}

// ---------------------------------------------------------------------------
// The page of a fixed directory: byte for byte, CSS included
// ---------------------------------------------------------------------------
// A directory that may be read but not searched: both read_entries fail
// with -EACCES (only ENOENT leaves a name out).
TEST(Lesson08Asm, ReadEntriesOfAnUnsearchableDirectoryFailsInBoth) {
    TempDir dir(kTag);
    std::filesystem::create_directory(dir.at("ro"));
    write_file(dir.at("ro/a.txt"), "a\n");
    ASSERT_EQ(::chmod(dir.at("ro").c_str(), 0444), 0);
    ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);   // nobody may enter the test directory
    int status = testsupport::exit_status_as_nobody([&] {
        httpd::Fd fd = open_dir(dir.at("ro"));
        std::vector<struct dir_entry> ea(1);
        std::vector<httpd::DirEntry> ec(1);
        std::vector<char> na(16), nc(16);
        if (!fd.valid()) return 2;
        std::int64_t a = read_entries(fd.get(), ea.data(), 1, na.data(), na.size());
        std::int64_t c = httpd::read_entries(fd.get(), ec.data(), 1, nc.data(), nc.size());
        return a == -EACCES && c == -EACCES ? 0 : 1;
    });
    ::chmod(dir.at("ro").c_str(), 0755);
    EXPECT_EQ(status, 0);
}

TEST(Lesson08Asm, EmitListingOfASampleDirectoryAgrees) {
    TempDir dir(kTag);
    testsupport::make_sample_dir(dir.at("d"));
    httpd::Fd fd = open_dir(dir.at("d"));
    std::uint64_t bytes = 0;
    std::int64_t n = httpd::count_entries(fd.get(), &bytes);
    std::vector<httpd::DirEntry> ec(static_cast<std::size_t>(n));
    std::vector<char> names(bytes);
    ASSERT_EQ(httpd::read_entries(fd.get(), ec.data(), ec.size(), names.data(), names.size()), n);
    httpd::sort_entries(ec.data(), ec.size());
    std::vector<struct dir_entry> ea;
    for (const auto& e : ec) ea.push_back({e.name, e.name_len, e.file_size, e.file_mode});
    for (const char* path : {"/d/", "/", "/a&b/", ""}) {
        Outs o;
        emit_listing(o.a.get(), path, std::strlen(path), ea.data(), ea.size());
        httpd::emit_listing(*o.c, path, ec.data(), ec.size());
        EXPECT_TRUE(o.same()) << path;
        std::string path_html = std::string(path) == "/a&b/" ? "/a&amp;b/" : path;
        EXPECT_EQ(testsupport::without_style(o.abuf()),
                  testsupport::page_without_style(path_html, std::strlen(path) > 1, testsupport::sample_rows()))
            << path;
    }
    // each row alone
    for (std::size_t i = 0; i < ea.size(); ++i) {
        Outs o;
        emit_entry(o.a.get(), &ea[i]);
        httpd::emit_entry(*o.c, ec[i]);
        EXPECT_TRUE(o.same()) << i;
    }
}

// ---------------------------------------------------------------------------
// redirect_to_slash and step_directory on the records
// ---------------------------------------------------------------------------
TEST(Lesson08Asm, RedirectToSlashAgrees) {
    for (const auto& c : testsupport::location_cases()) {
        Records r(".");
        r.set_path(c.path);
        r.a->req.query = c.query.empty() ? nullptr : c.query.data();
        r.a->req.query_len = c.query.size();
        r.c->req.query = c.query;
        testsupport::StepRun run = step_both(r, TWIN_STEP(redirect_to_slash), "", c.why);
        EXPECT_EQ(run.result, c.want) << c.why;
        EXPECT_EQ(std::string(r.a->extra, r.a->extra_len), c.want == 301 ? "Location: " + c.location + "\r\n" : "")
            << c.why;
    }
}

class Lesson08AsmSteps : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(dir.path().empty());
        testsupport::make_sample_dir(dir.at("d"));
        std::filesystem::create_directory(dir.at("idx"));
        write_file(dir.at("idx/index.html"), "<p>idx</p>\n");
        std::filesystem::create_directory(dir.at("lnk"));
        std::filesystem::create_symlink("../idx/index.html", dir.at("lnk/index.html"));
        std::filesystem::create_directories(dir.at("dd/index.html"));
        std::filesystem::create_directory(dir.at("empty"));
        std::filesystem::create_directories(dir.at("\xc3\xbc/\xc3\x9f"));
        write_file(dir.at("\xc3\xbc/\xc3\x9f/x.txt"), "x");
        write_file(dir.at("f.txt"), "file\n");
        std::filesystem::create_directory(dir.at("many"));
        for (int i = 0; i < 2000; ++i) write_file(dir.at("many/m" + std::to_string(i)), std::to_string(i));
    }
    testsupport::PipelineRun serve(const std::string& req, const std::string& label) {
        Records r(dir.path().c_str());
        return testsupport::pipeline_both(r, testsupport::lesson_steps(8), req, label);
    }
    TempDir dir{kTag};
};

// The whole lesson-08 pipeline on both records, compared after every
// step: what the client receives, and the records, are the same.
TEST_F(Lesson08AsmSteps, PipelineAgrees) {
    struct Case {
        std::string target;
        int want;
    };
    const Case cases[] = {
        {"/f.txt", STEP_DONE},        {"/d", 301},
        {"/d?x=1", 301},              {"//d", 301},
        {"/%5Cd", 404},               {"/%C3%BC/%C3%9F", 301},
        {"/d/", STEP_DONE},           {"/idx/", STEP_DONE},
        {"/lnk/", 403},               {"/dd/", 403},
        {"/empty/", STEP_DONE},       {"/%C3%BC/%C3%9F/", STEP_DONE},
        {"/", STEP_DONE},             {"/many/", STEP_DONE},
        {"/d/a.txt/", 404},           {"/nope/", 404},
    };
    for (const Case& c : cases) {
        for (const char* method : {"GET", "HEAD"}) {
            std::string label = std::string(method) + " " + c.target;
            testsupport::PipelineRun run = serve(testsupport::http_request(method, c.target), label);
            EXPECT_EQ(run.result, c.want) << label;
        }
    }
}

TEST_F(Lesson08AsmSteps, ListingBodyIsThePageOfTheRule) {
    testsupport::PipelineRun run = serve(testsupport::http_request("GET", "/d/"), "GET /d/");
    std::string body = run.response.substr(run.response.find("\r\n\r\n") + 4);
    EXPECT_EQ(testsupport::without_style(body), testsupport::page_without_style("/d/", true, testsupport::sample_rows()));
    EXPECT_EQ(run.response.substr(0, run.response.size() - body.size()),
              testsupport::head_200(testsupport::kHtml, body.size()));
}

// More than LISTING_MEM_MAX bytes: 500 in both, nothing sent before it.
TEST_F(Lesson08AsmSteps, TooLargeIs500InBoth) {
    std::filesystem::create_directory(dir.at("huge"));
    const std::string stem(240, 'n');
    std::size_t need = 0;
    for (int i = 0; need <= LISTING_MEM_MAX; ++i) {
        std::string name = stem + std::to_string(10000 + i);
        write_file(dir.at("huge/") + name, "");
        need += ENT_SIZE + name.size();
    }
    testsupport::PipelineRun run = serve(testsupport::http_request("GET", "/huge/"), "GET /huge/");
    EXPECT_EQ(run.result, 500);
    EXPECT_EQ(run.response.substr(0, 35), "HTTP/1.1 500 Internal Server Error\r");
}
