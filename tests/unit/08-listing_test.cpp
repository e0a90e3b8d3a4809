// tests/unit/08-listing_test.cpp -- lesson 08's C++ stage: the directory
// reader on temporary directories, the sort, escaping and encoding, the
// page, and step_directory end to end (301, index.html, listing, HEAD,
// 414, 500) over a socketpair into a temporary docroot.
//
// Expectations come from the lesson's rules (lessons/08-listing/README.md),
// RFC 3986 (§2.1, §2.3, §4.2) and RFC 9110 (§9.3.2 HEAD, §10.2.2
// Location, §8.6 Content-Length), through the tables of
// tests/support/listing_cases.hpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "../support/files_fixture.hpp"
#include "../support/listing_cases.hpp"
#include "../support/pipeline.hpp"
#include "../support/support.hpp"
#include "01-socket.hpp"
#include "03-parse.hpp"
#include "04-files.hpp"
#include "05-decode.hpp"
#include "08-listing.hpp"
#include "exchange.hpp"

namespace {

using testsupport::capture;
using testsupport::TempDir;
using testsupport::write_file;

// What this file's temporary directories are called (/tmp/metal-08-unit-*).
constexpr const char* kTag = "08-unit";

// A ListingOut that only counts, on the heap (16 KB).
std::unique_ptr<httpd::ListingOut> counting_out() {
    auto o = std::make_unique<httpd::ListingOut>();
    httpd::out_start(*o, -1);
    return o;
}

// What out_html / out_href make of `in` (short inputs: nothing is flushed).
std::string html_of(const std::string& in) {
    auto o = counting_out();
    httpd::out_html(*o, in.data(), in.size());
    EXPECT_EQ(o->total, o->len) << "nothing may be flushed away here";
    return std::string(o->buf, o->len);
}
std::string href_of(const std::string& in) {
    auto o = counting_out();
    httpd::out_href(*o, in.data(), in.size());
    EXPECT_EQ(o->total, o->len);
    return std::string(o->buf, o->len);
}

std::string query_of(const std::string& in) {
    auto o = counting_out();
    httpd::out_query(*o, in.data(), in.size());
    EXPECT_EQ(o->total, o->len);
    return std::string(o->buf, o->len);
}

// Entries over the given names (mode: a regular file, size: the index).
struct Names {
    std::vector<std::string> names;
    std::vector<httpd::DirEntry> entries;
    explicit Names(std::vector<std::string> n) : names(std::move(n)) {
        for (std::size_t i = 0; i < names.size(); ++i) {
            entries.push_back({names[i].data(), names[i].size(), i, S_IFREG | 0644});
        }
    }
};

std::string name_of(const httpd::DirEntry& e) { return std::string(e.name, e.name_len); }

// Every name dir_next gives for the directory `path`, in the order it gives them.
std::vector<std::string> all_names(const std::string& path) {
    httpd::Fd dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY));
    EXPECT_TRUE(dir.valid()) << path;
    auto r = std::make_unique<httpd::DirReader>();
    EXPECT_EQ(httpd::dir_start(*r, dir.get()), 0);
    std::vector<std::string> out;
    const char* name = nullptr;
    for (std::int64_t n; (n = httpd::dir_next(*r, &name)) > 0;) {
        EXPECT_EQ(static_cast<std::size_t>(n), std::strlen(name));
        out.emplace_back(name, static_cast<std::size_t>(n));
    }
    return out;
}

// The lesson-08 steps in the spine's order (cpp/httpd.cpp), after lesson
// 03's steps have parsed a GET or HEAD of `path` (and its query): lesson
// 05's list without step_add_index, with step_directory after
// step_stat_file.  The client's bytes, the result and x.path at the end,
// as the spine sees them; a step's status is answered with answer_error.
using Outcome = testsupport::Served;
Outcome serve(const std::string& root, std::string_view path, bool is_head = false, std::string_view query = {}) {
    return testsupport::serve_steps({8, "step_decode_path", root, -1, true}, [&](httpd::Exchange& x) {
        x.req.path = path;
        x.req.query = query;
        x.req.is_head = is_head;
    });
}

// The body of a response (after the empty line), and one header's value.
std::string body_of(const std::string& response) {
    std::size_t end = response.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : response.substr(end + 4);
}
std::string header_of(const std::string& response, const std::string& name) {
    std::string key = "\r\n" + name + ": ";
    std::size_t at = response.find(key);
    if (at == std::string::npos || at > response.find("\r\n\r\n")) return "<none>";
    std::size_t from = at + key.size();
    return response.substr(from, response.find("\r\n", from) - from);
}

}  // namespace

// ---------------------------------------------------------------------------
// compare_names and the sort
// ---------------------------------------------------------------------------
TEST(Lesson08, CompareNamesFollowsTheTable) {
    for (const auto& c : testsupport::compare_cases()) {
        EXPECT_EQ(httpd::compare_names(c.a, c.b), c.want) << c.why;
        EXPECT_EQ(httpd::compare_names(c.b, c.a), -c.want) << c.why << " (swapped)";
    }
}

TEST(Lesson08, SortEntriesTable) {
    const std::vector<std::vector<std::string>> inputs = {
        {},
        {"only"},
        {"b", "a"},
        {"a", "b"},
        {"\xc3\xa4", "b", "a-", "a b", "a", "Z", "B", "9", "10"},
        {"same", "same", "same"},
        {"e", "d", "c", "b", "a"},
        {"a", "b", "c", "d", "e", "f", "g"},
    };
    for (const auto& in : inputs) {
        Names n(in);
        httpd::sort_entries(n.entries.data(), n.entries.size());
        std::vector<std::string> want = in;
        std::sort(want.begin(), want.end());   // std::string compares chars as unsigned (char_traits<char>)
        std::vector<std::string> got;
        for (const auto& e : n.entries) got.push_back(name_of(e));
        EXPECT_EQ(got, want);
    }
}

// Random arrays: the result is sorted and a permutation of the input
// (every entry still carries its own name, size and mode).
TEST(Lesson08, SortEntriesRandomArraysAreSortedPermutations) {
    const unsigned seed = 20240808;
    std::mt19937 rng(seed);
    const std::string alphabet = std::string("aAbZ09 -.~") + "\xc3\xa9\xff";
    for (int round = 0; round < 3000; ++round) {
        std::size_t count = rng() % 40;
        std::vector<std::string> names;
        for (std::size_t i = 0; i < count; ++i) {
            std::string s;
            for (std::size_t k = rng() % 5; k > 0; --k) s += alphabet[rng() % alphabet.size()];
            names.push_back(s);
        }
        Names n(names);
        httpd::sort_entries(n.entries.data(), n.entries.size());
        std::multiset<std::uint64_t> sizes;
        for (std::size_t i = 0; i < n.entries.size(); ++i) {
            sizes.insert(n.entries[i].file_size);
            EXPECT_EQ(name_of(n.entries[i]), names[n.entries[i].file_size]) << "seed " << seed << " round " << round;
            if (i > 0) {
                EXPECT_LE(httpd::compare_names(name_of(n.entries[i - 1]), name_of(n.entries[i])), 0)
                    << "seed " << seed << " round " << round;
            }
        }
        EXPECT_EQ(sizes.size(), count);
        if (!sizes.empty()) {
            EXPECT_EQ(*sizes.rbegin(), count - 1);
        }
    }
}

// 10,000 entries in reverse order -- the worst case of a quadratic sort --
// sort correctly (heapsort: about n log n = 130,000 comparisons).
TEST(Lesson08, SortEntriesTenThousandReversed) {
    std::vector<std::string> names;
    for (int i = 9999; i >= 0; --i) {
        char b[32];
        std::snprintf(b, sizeof b, "f-%05d", i);
        names.push_back(b);
    }
    Names n(names);
    httpd::sort_entries(n.entries.data(), n.entries.size());
    for (std::size_t i = 0; i < n.entries.size(); ++i) {
        char b[32];
        std::snprintf(b, sizeof b, "f-%05zu", i);
        ASSERT_EQ(name_of(n.entries[i]), b);
    }
}

// sift_down alone: a root smaller than its children sinks to where it
// belongs, and the rest stays a max-heap.
TEST(Lesson08, SiftDownRestoresTheHeap) {
    Names n({"a", "g", "f", "e", "d", "c", "b"});   // below the root: a max-heap already
    httpd::sift_down(n.entries.data(), 0, n.entries.size());
    for (std::size_t i = 1; i < n.entries.size(); ++i) {
        EXPECT_GE(httpd::compare_names(name_of(n.entries[(i - 1) / 2]), name_of(n.entries[i])), 0) << i;
    }
    EXPECT_EQ(name_of(n.entries[0]), "g");
    // n limits the heap: entries at n and beyond are not touched
    Names m({"a", "z", "y"});
    httpd::sift_down(m.entries.data(), 0, 1);
    EXPECT_EQ(name_of(m.entries[0]), "a");
}

// ---------------------------------------------------------------------------
// out_*: escaping, encoding, numbers, buffering
// ---------------------------------------------------------------------------
TEST(Lesson08, OutHtmlAndOutHrefFollowTheTable) {
    for (const auto& c : testsupport::text_cases()) {
        EXPECT_EQ(html_of(c.in), c.html) << c.why;
        EXPECT_EQ(href_of(c.in), c.href) << c.why;
    }
}

// Every byte value: out_href keeps exactly the unreserved bytes and '/',
// and writes every other one as %XX with upper-case digits; out_html
// changes exactly the five specials.
TEST(Lesson08, OutHrefAndOutHtmlForEveryByte) {
    const std::string keep = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/";
    for (int b = 0; b < 256; ++b) {
        std::string in(1, static_cast<char>(b));
        char esc[4];
        std::snprintf(esc, sizeof esc, "%%%02X", b);
        EXPECT_EQ(href_of(in), keep.find(static_cast<char>(b)) != std::string::npos ? in : esc) << b;
        std::string html = html_of(in);
        if (std::string("&<>\"'").find(static_cast<char>(b)) != std::string::npos) {
            EXPECT_EQ(html.front(), '&') << b;
            EXPECT_EQ(html.back(), ';') << b;
        } else {
            EXPECT_EQ(html, in) << b;
        }
    }
}

// out_query keeps what RFC 3986 §3.4 lets a query hold -- unreserved
// (§2.3), sub-delims (§2.2), ':' '@' '/' '?' -- and '%' (the query's own
// escapes, as they were sent); every other byte becomes %XX (§2.1).
TEST(Lesson08, OutQueryForEveryByte) {
    const std::string unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    const std::string keep = unreserved + "!$&'()*+,;=" + ":@/?" + "%";
    for (int b = 0; b < 256; ++b) {
        std::string in(1, static_cast<char>(b));
        char esc[4];
        std::snprintf(esc, sizeof esc, "%%%02X", b);
        EXPECT_EQ(query_of(in), keep.find(static_cast<char>(b)) != std::string::npos ? in : esc) << b;
    }
    EXPECT_EQ(query_of("q=caf\xc3\xa9&s=a%20b|#"), "q=caf%C3%A9&s=a%20b%7C%23");
    EXPECT_EQ(query_of(""), "");
}

TEST(Lesson08, OutU64WritesDecimal) {
    for (std::uint64_t v : {0ull, 7ull, 10ull, 4096ull, 5000000000ull, 18446744073709551615ull}) {
        auto o = counting_out();
        httpd::out_u64(*o, v);
        EXPECT_EQ(std::string(o->buf, o->len), std::to_string(v));
    }
}

// A page far larger than the buffer goes out whole and in order: out_bytes
// flushes whenever the buffer is full, total counts every byte.
TEST(Lesson08, OutBytesFlushesFullBuffersInOrder) {
    const std::string data = testsupport::pattern(3 * LISTING_OUT_MAX + 777);
    auto o = std::make_unique<httpd::ListingOut>();
    std::string got = capture([&](int sock) {
        httpd::out_start(*o, sock);
        // pieces of awkward sizes, so that they straddle the buffer's end
        for (std::size_t at = 0; at < data.size();) {
            std::size_t n = std::min<std::size_t>(data.size() - at, 1 + at % 5003);
            httpd::out_bytes(*o, data.data() + at, n);
            at += n;
        }
        EXPECT_LT(o->len, LISTING_OUT_MAX + 1u);
        httpd::out_flush(*o);
    });
    EXPECT_EQ(o->total, data.size());
    EXPECT_EQ(o->len, 0u);
    EXPECT_TRUE(got == data) << got.size() << " bytes arrived";
}

// Counting only: nothing is written anywhere, the total is right.
TEST(Lesson08, OutBytesCountsWithoutASocket) {
    auto o = counting_out();
    const std::string data = testsupport::pattern(2 * LISTING_OUT_MAX + 5);
    httpd::out_bytes(*o, data.data(), data.size());
    EXPECT_EQ(o->total, data.size());
    EXPECT_EQ(o->sock, -1);
    httpd::out_flush(*o);
    EXPECT_EQ(o->len, 0u);
}

// A client that has left: the first failed write turns the socket off.
TEST(Lesson08, OutFlushToAClosedSocketStopsSending) {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    ::close(fds[1]);
    struct sigaction ignore {}, old {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &old);
    auto o = std::make_unique<httpd::ListingOut>();
    httpd::out_start(*o, fds[0]);
    httpd::out_bytes(*o, "hello", 5);
    httpd::out_flush(*o);
    EXPECT_EQ(o->sock, -1);
    EXPECT_EQ(o->total, 5u);
    httpd::out_bytes(*o, "more", 4);   // only counted now
    EXPECT_EQ(o->total, 9u);
    ::sigaction(SIGPIPE, &old, nullptr);
    ::close(fds[0]);
}

// ---------------------------------------------------------------------------
// Reading the directory
// ---------------------------------------------------------------------------
TEST(Lesson08, DirNextGivesEveryNameButDots) {
    TempDir dir(kTag);
    ASSERT_FALSE(dir.path().empty());
    std::set<std::string> made;
    for (int i = 0; i < 700; ++i) {   // several kernel blocks of records
        std::string name = "file-" + std::to_string(i) + std::string(static_cast<std::size_t>(i % 40), 'x');
        write_file(dir.at(name), "");
        made.insert(name);
    }
    made.insert(".hidden");
    write_file(dir.at(".hidden"), "");
    made.insert("..x");
    write_file(dir.at("..x"), "");
    std::vector<std::string> got = all_names(dir.path());
    EXPECT_EQ(got.size(), made.size());
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), made);
}

// listable_name: a name with a control byte (0x00-0x1F, 0x7F) anywhere in
// it is refused -- its link would decode to a byte lesson 05 answers with
// 400 -- and every other byte value is fine (lesson 08 rule).
TEST(Lesson08, ListableNameRefusesControlBytesOnly) {
    for (int b = 0; b < 256; ++b) {
        const bool control = b < 0x20 || b == 0x7f;
        const char c = static_cast<char>(b);
        const std::string alone(1, c);
        EXPECT_EQ(httpd::listable_name(alone), !control) << "byte " << b << " alone";
        EXPECT_EQ(httpd::listable_name("a" + alone + "b"), !control) << "byte " << b << " inside";
        EXPECT_EQ(httpd::listable_name(std::string(40, 'x') + alone), !control) << "byte " << b << " last";
        EXPECT_EQ(httpd::listable_name(alone + std::string(40, 'x')), !control) << "byte " << b << " first";
    }
    EXPECT_TRUE(httpd::listable_name("caf\xc3\xa9 <x>&.txt"));   // UTF-8, spaces, HTML: listed, escaped
    EXPECT_FALSE(httpd::listable_name(std::string_view("ok\0", 3)));   // the length counts, not a NUL
}

// dir_next leaves such names out, so count_entries never counts them.
TEST(Lesson08, DirNextLeavesOutNamesWithControlBytes) {
    TempDir dir(kTag);
    ASSERT_FALSE(dir.path().empty());
    for (const char* n : {"a\nb", "a\tb", "a\rb", "a\x01" "b", "a\x7f" "b", "\x1b[31m", "plain.txt"}) write_file(dir.at(n), "x");
    EXPECT_EQ(all_names(dir.path()), std::vector<std::string>{"plain.txt"});
    httpd::Fd fd(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY));
    std::uint64_t bytes = 0;
    EXPECT_EQ(httpd::count_entries(fd.get(), &bytes), 1);
    EXPECT_EQ(bytes, 9u);
}

TEST(Lesson08, DirNextOfAnEmptyDirectoryIsTheEnd) {
    TempDir dir(kTag);
    EXPECT_TRUE(all_names(dir.path()).empty());
}

// dir_start rewinds: a reader started twice on one descriptor sees the
// same names; after the end, dir_next keeps answering 0.
TEST(Lesson08, DirStartRewindsAndTheEndStays) {
    TempDir dir(kTag);
    for (const char* n : {"a", "b", "c"}) write_file(dir.at(n), "");
    httpd::Fd fd(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY));
    auto r = std::make_unique<httpd::DirReader>();
    const char* name = nullptr;
    for (int pass = 0; pass < 2; ++pass) {
        ASSERT_EQ(httpd::dir_start(*r, fd.get()), 0);
        int count = 0;
        while (httpd::dir_next(*r, &name) > 0) ++count;
        EXPECT_EQ(count, 3) << "pass " << pass;
        EXPECT_EQ(httpd::dir_next(*r, &name), 0);
        EXPECT_EQ(httpd::dir_next(*r, &name), 0);
    }
}

TEST(Lesson08, DirStartOfABadDescriptorIsMinusErrno) {
    auto r = std::make_unique<httpd::DirReader>();
    EXPECT_EQ(httpd::dir_start(*r, -1), -EBADF);
}

// A regular file is no directory: reading it fails -- Linux's getdents64
// says ENOTDIR; XNU's getdirentries64, like the BSDs', refuses a vnode
// that is not a directory with EINVAL -- and count_entries passes the
// error on without touching *name_bytes.
TEST(Lesson08, DirNextOfAFileFails) {
#ifdef __APPLE__
    const std::int64_t want = -EINVAL;
#else
    const std::int64_t want = -ENOTDIR;
#endif
    TempDir dir(kTag);
    write_file(dir.at("f"), "x");
    httpd::Fd fd(::open(dir.at("f").c_str(), O_RDONLY));
    auto r = std::make_unique<httpd::DirReader>();
    ASSERT_EQ(httpd::dir_start(*r, fd.get()), 0);
    const char* name = nullptr;
    EXPECT_EQ(httpd::dir_next(*r, &name), want);
    std::uint64_t bytes = 99;
    EXPECT_EQ(httpd::count_entries(fd.get(), &bytes), want);
    EXPECT_EQ(bytes, 99u);
}

TEST(Lesson08, CountAndReadEntries) {
    TempDir dir(kTag);
    testsupport::make_sample_dir(dir.at("d"));
    httpd::Fd fd(::open(dir.at("d").c_str(), O_RDONLY | O_DIRECTORY));
    std::uint64_t bytes = 0;
    ASSERT_EQ(httpd::count_entries(fd.get(), &bytes), 7);
    EXPECT_EQ(bytes, std::string(".ba.txtb c.txtcaf\xc3\xa9linksubx<y").size());
    std::vector<httpd::DirEntry> e(7);
    std::vector<char> names(bytes);
    ASSERT_EQ(httpd::read_entries(fd.get(), e.data(), e.size(), names.data(), names.size()), 7);
    std::map<std::string, httpd::DirEntry> by_name;
    for (const auto& entry : e) {
        EXPECT_GE(entry.name, names.data());                         // the names live in names[]
        EXPECT_LE(entry.name + entry.name_len, names.data() + names.size());
        by_name[name_of(entry)] = entry;
    }
    ASSERT_EQ(by_name.size(), 7u);
    EXPECT_EQ(by_name["a.txt"].file_size, 3u);
    EXPECT_TRUE(S_ISREG(by_name["a.txt"].file_mode));
    EXPECT_EQ(by_name["b c.txt"].file_size, 5u);
    EXPECT_TRUE(S_ISDIR(by_name["sub"].file_mode));
    EXPECT_TRUE(S_ISLNK(by_name["link"].file_mode)) << "a symlink is described, not followed";
    EXPECT_EQ(by_name["link"].file_size, 5u) << "the link's own size: the length of \"a.txt\"";
}

// The directory grew between counting and reading: read_entries stops at
// max entries, or at a name that does not fit names_cap.
TEST(Lesson08, ReadEntriesStopsAtItsLimits) {
    TempDir dir(kTag);
    for (const char* n : {"aa", "bb", "cc", "dd"}) write_file(dir.at(n), "");
    httpd::Fd fd(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY));
    std::vector<httpd::DirEntry> e(4);
    std::vector<char> names(8);
    EXPECT_EQ(httpd::read_entries(fd.get(), e.data(), 2, names.data(), names.size()), 2);
    EXPECT_EQ(httpd::read_entries(fd.get(), e.data(), 4, names.data(), 5), 2);   // 2 + 2 bytes, then 2 > 1
    EXPECT_EQ(httpd::read_entries(fd.get(), e.data(), 4, names.data(), 8), 4);
    EXPECT_EQ(httpd::read_entries(fd.get(), e.data(), 0, names.data(), 8), 0);
}

// A directory that may be read but not searched (r--r--r--): its names
// can be counted, but no fstatat inside it succeeds.  Only ENOENT means
// "gone since it was counted"; any other error is the whole listing's
// (lesson 08 rule: the step answers 403), never a listing of nothing.
TEST(Lesson08, ReadEntriesOfAnUnsearchableDirectoryFails) {
    TempDir dir(kTag);
    std::filesystem::create_directory(dir.at("ro"));
    write_file(dir.at("ro/a.txt"), "a\n");
    ASSERT_EQ(::chmod(dir.at("ro").c_str(), 0444), 0);
    ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);   // nobody may enter the test directory
    int status = testsupport::exit_status_as_nobody([&] {
        httpd::Fd fd(::open(dir.at("ro").c_str(), O_RDONLY | O_DIRECTORY));
        std::uint64_t bytes = 0;
        if (!fd.valid() || httpd::count_entries(fd.get(), &bytes) != 1) return 2;   // r: the names are there
        std::vector<httpd::DirEntry> e(1);
        std::vector<char> names(bytes);
        return httpd::read_entries(fd.get(), e.data(), 1, names.data(), names.size()) == -EACCES ? 0 : 1;
    });
    ::chmod(dir.at("ro").c_str(), 0755);
    EXPECT_EQ(status, 0);
}

// ---------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------
TEST(Lesson08, EmitListingIsThePageOfTheRule) {
    TempDir dir(kTag);
    testsupport::make_sample_dir(dir.at("d"));
    httpd::Fd fd(::open(dir.at("d").c_str(), O_RDONLY | O_DIRECTORY));
    std::uint64_t bytes = 0;
    std::int64_t count = httpd::count_entries(fd.get(), &bytes);
    std::vector<httpd::DirEntry> e(static_cast<std::size_t>(count));
    std::vector<char> names(bytes);
    std::int64_t n = httpd::read_entries(fd.get(), e.data(), e.size(), names.data(), names.size());
    httpd::sort_entries(e.data(), static_cast<std::size_t>(n));
    for (const char* path : {"/d/", "/"}) {
        auto o = counting_out();
        httpd::emit_listing(*o, path, e.data(), static_cast<std::size_t>(n));
        std::string page(o->buf, o->len);
        EXPECT_EQ(o->total, page.size());
        EXPECT_EQ(testsupport::without_style(page),
                  testsupport::page_without_style(path, std::string(path) != "/", testsupport::sample_rows()))
            << path;
        EXPECT_NE(page.find("<style>\n"), std::string::npos);
    }
    // the path is escaped in the title and the heading
    auto o = counting_out();
    httpd::emit_listing(*o, "/a&b<c>/", e.data(), 0);
    EXPECT_EQ(testsupport::without_style(std::string(o->buf, o->len)),
              testsupport::page_without_style("/a&amp;b&lt;c&gt;/", true, ""));
}

// ---------------------------------------------------------------------------
// The step
// ---------------------------------------------------------------------------
class Lesson08Steps : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(dir.path().empty());
        testsupport::make_sample_dir(dir.at("d"));
        write_file(dir.at("d/sub/inner.txt"), "in");
        std::filesystem::create_directory(dir.at("idx"));
        write_file(dir.at("idx/index.html"), "<p>idx</p>\n");
        write_file(dir.at("idx/other"), "");
        std::filesystem::create_directory(dir.at("lnk"));
        std::filesystem::create_symlink("../idx/index.html", dir.at("lnk/index.html"));
        std::filesystem::create_directories(dir.at("dd/index.html"));
        std::filesystem::create_directory(dir.at("empty"));
        write_file(dir.at("f.txt"), "file\n");
    }
    TempDir dir{kTag};
};

TEST_F(Lesson08Steps, AFileIsNotTheStepsBusiness) {
    Outcome r = serve(dir.path(), "/f.txt");
    EXPECT_EQ(r.result, httpd::kDone);
    EXPECT_EQ(body_of(r.bytes), "file\n");
}

TEST_F(Lesson08Steps, RedirectToSlashFollowsTheTable) {
    for (const auto& c : testsupport::location_cases()) {
        // straight on an Exchange whose path is c.path
        auto x = std::make_unique<httpd::Exchange>();
        httpd::Config cfg;
        httpd::start_exchange(*x, -1, &cfg);
        std::memcpy(x->path, c.path.data(), c.path.size());
        x->path_len = c.path.size();
        x->req.query = c.query;
        EXPECT_EQ(httpd::redirect_to_slash(*x), c.want) << c.why;
        std::string extra(x->extra, x->extra_len);
        EXPECT_EQ(extra, c.want == 301 ? "Location: " + c.location + "\r\n" : "") << c.why;
        // never two slashes at the start of a Location
        if (c.want == 301) {
            EXPECT_NE(c.location.substr(0, 2), "//") << c.why;
        }
    }
}

TEST_F(Lesson08Steps, DirectoryWithoutSlashIs301) {
    for (bool head : {false, true}) {
        Outcome r = serve(dir.path(), "/d", head, "x=1");
        EXPECT_EQ(r.result, 301);
        EXPECT_EQ(r.bytes.substr(0, 32), "HTTP/1.1 301 Moved Permanently\r\n");
        EXPECT_EQ(header_of(r.bytes, "Location"), "/d/?x=1");
        EXPECT_EQ(header_of(r.bytes, "Content-Length"), "22");
        EXPECT_EQ(body_of(r.bytes), head ? "" : "301 Moved Permanently\n");
    }
    Outcome nested = serve(dir.path(), "/d/sub");
    EXPECT_EQ(header_of(nested.bytes, "Location"), "/d/sub/");
}

TEST_F(Lesson08Steps, IndexHtmlIsServed) {
    for (bool head : {false, true}) {
        Outcome r = serve(dir.path(), "/idx/", head);
        EXPECT_EQ(r.result, httpd::kDone);
        // a file response: from lesson 07 on it says Accept-Ranges (RFC 9110 §14.3)
        std::string head_200 = testsupport::head_200(testsupport::kHtml, 11);
        head_200.insert(head_200.size() - 2, "Accept-Ranges: bytes\r\n");
        EXPECT_EQ(r.bytes, head_200 + (head ? "" : "<p>idx</p>\n"));
        EXPECT_EQ(r.path, "/idx/index.html");   // what step_choose_type looked at
    }
}

// An index.html that is there but cannot be served -- a symlink
// (O_NOFOLLOW: ELOOP), a directory, a file the server may not read -- is
// 403: the owner put it there to hide the listing (lesson 08 rule; Apache
// and nginx answer so too).  Only "no index.html" (ENOENT) is listed.
TEST_F(Lesson08Steps, IndexThatCannotBeServedIs403) {
    Outcome link = serve(dir.path(), "/lnk/");
    EXPECT_EQ(link.result, 403) << "the symlink is not followed, and not listed either";
    EXPECT_EQ(link.bytes.substr(0, 24), "HTTP/1.1 403 Forbidden\r\n");
    Outcome d = serve(dir.path(), "/dd/");
    EXPECT_EQ(d.result, 403);
    write_file(dir.at("idx/index.html"), "<p>idx</p>\n");
    ASSERT_EQ(::chmod(dir.at("idx/index.html").c_str(), 0), 0);
    ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);   // nobody may enter the test directory
    int status = testsupport::exit_status_as_nobody([&] { return serve(dir.path(), "/idx/").result == 403 ? 0 : 1; });
    ::chmod(dir.at("idx/index.html").c_str(), 0644);
    EXPECT_EQ(status, 0) << "an index.html the server may not read";
}

TEST_F(Lesson08Steps, ListingGetAndHead) {
    Outcome get = serve(dir.path(), "/d/");
    EXPECT_EQ(get.result, httpd::kDone);
    std::string body = body_of(get.bytes);
    EXPECT_EQ(testsupport::without_style(body), testsupport::page_without_style("/d/", true, testsupport::sample_rows()));
    EXPECT_EQ(get.bytes.substr(0, get.bytes.size() - body.size()), testsupport::head_200(testsupport::kHtml, body.size()));
    Outcome head = serve(dir.path(), "/d/", true);
    EXPECT_EQ(head.result, httpd::kDone);
    EXPECT_EQ(head.bytes, testsupport::head_200(testsupport::kHtml, body.size()));
    Outcome empty = serve(dir.path(), "/empty/");
    EXPECT_EQ(testsupport::without_style(body_of(empty.bytes)), testsupport::page_without_style("/empty/", true, ""));
}

// The docroot itself, "/": no "../" row.
TEST_F(Lesson08Steps, RootListingHasNoParentRow) {
    std::filesystem::remove(dir.at("f.txt"));
    Outcome r = serve(dir.path(), "/");
    std::string body = body_of(r.bytes);
    EXPECT_EQ(body.find("href=\"../\""), std::string::npos);
    EXPECT_NE(body.find("<tbody>\n" + testsupport::row_of("d/", "d/", "-")), std::string::npos);
}

TEST_F(Lesson08Steps, TenThousandEntriesAreAllListedInOrder) {
    std::filesystem::create_directory(dir.at("many"));
    std::string rows;
    for (int i = 0; i < 10000; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "f-%05d", 9999 - i);   // made in reverse order
        write_file(dir.at("many/") + name, "x");
    }
    for (int i = 0; i < 10000; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "f-%05d", i);
        rows += testsupport::row_of(name, name, "1");
    }
    Outcome r = serve(dir.path(), "/many/");
    std::string body = body_of(r.bytes);
    EXPECT_GT(body.size(), 10u * LISTING_OUT_MAX);
    EXPECT_TRUE(testsupport::without_style(body) == testsupport::page_without_style("/many/", true, rows));
    EXPECT_EQ(header_of(r.bytes, "Content-Length"), std::to_string(body.size()));
}

// More than LISTING_MEM_MAX bytes of entries and names: 500, nothing sent
// before the error.
TEST_F(Lesson08Steps, TooLargeADirectoryIs500) {
    std::filesystem::create_directory(dir.at("huge"));
    const std::string stem(240, 'n');
    std::size_t need = 0;
    for (int i = 0; need <= LISTING_MEM_MAX; ++i) {
        std::string name = stem + std::to_string(10000 + i);
        write_file(dir.at("huge/") + name, "");
        need += ENT_SIZE + name.size();
    }
    Outcome r = serve(dir.path(), "/huge/");
    EXPECT_EQ(r.result, 500);
    EXPECT_EQ(r.bytes.substr(0, 35), "HTTP/1.1 500 Internal Server Error\r");
}

// An unreadable directory stops at step_open_file (lesson 04's errno
// table): 403, whether or not the path has its slash.
TEST_F(Lesson08Steps, UnreadableDirectoryIs403) {
    std::filesystem::create_directory(dir.at("locked"));
    ASSERT_EQ(::chmod(dir.at("locked").c_str(), 0), 0);
    ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);   // nobody may enter the docroot, not "locked"
    int status = testsupport::exit_status_as_nobody([&] {
        return serve(dir.path(), "/locked/").result == 403 && serve(dir.path(), "/locked").result == 403 ? 0 : 1;
    });
    ::chmod(dir.at("locked").c_str(), 0755);
    EXPECT_EQ(status, 0);
}
