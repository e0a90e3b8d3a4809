// tests/asm/07-ranges_test.cpp -- lesson 07: the assembly stage against
// its C++ twin (same inputs, same results), and both against the lesson's
// table (tests/support/ranges_cases.hpp: RFC 9110 §14.1.2's examples and
// the lesson 07 rules).  Table-driven first, then seeded random inputs
// compared byte for byte; then step_parse_range side by side on a struct
// exchange and an httpd::Exchange (tests/support/asm_exchange.hpp), and
// the whole lesson-07 pipeline, past 4 GiB too.
//
// The random tests print their seed and the input that differed.
// METAL_RANGE_RANDOM=N runs N random Range values instead of 100000
// (METAL_RANGE_SEED=S another seed).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "../support/asm_exchange.hpp"
#include "../support/files_fixture.hpp"
#include "../support/ranges_cases.hpp"
#include "../support/support.hpp"
#include "03-parse.hpp"
#include "07-ranges.hpp"
#include "api.h"
#include "exchange.hpp"

namespace {

using testsupport::kOctets;
using testsupport::kText;
using testsupport::kU64Max;
using testsupport::Records;
using testsupport::step_both;

// What this file's temporary directories are called (/tmp/metal-07-asm-*).
constexpr const char* kTag = "07-asm";

// What the outputs hold before a call: only RANGE_OK may change them.
constexpr std::uint64_t kUntouched = 0x5eed5eed5eed5eedULL;

// One parse_range (or parse_range_spec) answer with its outputs.
struct Answer {
    int result = -12345;
    std::uint64_t first = kUntouched;
    std::uint64_t count = kUntouched;
    bool operator==(const Answer& o) const { return result == o.result && first == o.first && count == o.count; }
};

std::string show(const Answer& a) {
    return std::to_string(a.result) + " (" + std::to_string(a.first) + ", " + std::to_string(a.count) + ")";
}

using testsupport::escaped;

Answer asm_range(const std::string& v, std::uint64_t size) {
    Answer a;
    a.result = parse_range(v.data(), v.size(), size, &a.first, &a.count);
    return a;
}
Answer cpp_range(const std::string& v, std::uint64_t size) {
    Answer a;
    a.result = httpd::parse_range(v, size, &a.first, &a.count);
    return a;
}
Answer asm_spec(const std::string& v, std::uint64_t size) {
    Answer a;
    a.result = parse_range_spec(v.data(), v.size(), size, &a.first, &a.count);
    return a;
}
Answer cpp_spec(const std::string& v, std::uint64_t size) {
    Answer a;
    a.result = httpd::parse_range_spec(v, size, &a.first, &a.count);
    return a;
}

// An environment variable as a number, or `fallback`.
std::uint64_t env_number(const char* name, std::uint64_t fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

// ---------------------------------------------------------------------------
// Random Range values: mostly well-formed, so that every branch is taken,
// with numbers chosen around the file's size and around 2^32, 2^63, 2^64.
// ---------------------------------------------------------------------------
class RangeGen {
public:
    explicit RangeGen(std::uint64_t seed) : rng_(seed) {}

    std::uint64_t below(std::uint64_t n) { return rng_() % n; }

    // A size: 0, 1, the powers' neighbours, small, or any 64-bit number.
    std::uint64_t size() {
        static const std::uint64_t special[] = {0, 1, 2, 6, 10000, (1ULL << 32) - 1, 1ULL << 32, (1ULL << 32) + 1,
                                                (1ULL << 63) - 1, 1ULL << 63, (1ULL << 63) + 1, kU64Max - 1, kU64Max};
        switch (below(4)) {
            case 0: return special[below(sizeof special / sizeof special[0])];
            case 1: return below(100);
            case 2: return rng_() >> below(64);
            default: return rng_();
        }
    }

    // A decimal number near `size`, near a power of two, small, huge
    // (past 64 bits), or with leading zeros.
    std::string number(std::uint64_t size) {
        switch (below(8)) {
            case 0: return std::to_string(size + below(5) - 2);   // may wrap: fine, any number will do
            case 1: return std::to_string(below(20));
            case 2: return std::to_string(rng_() >> below(64));
            case 3: return std::to_string((1ULL << (32 + below(32))) + below(3) - 1);
            case 4: {
                static const char* edge[] = {"18446744073709551615", "18446744073709551616", "18446744073709551614",
                                             "99999999999999999999", "184467440737095516150", "0"};
                return edge[below(6)];
            }
            case 5: {
                std::string huge = std::to_string(1 + below(9));
                for (std::uint64_t i = 0, n = 19 + below(15); i < n; ++i) huge += static_cast<char>('0' + below(10));
                return huge;
            }
            case 6: return std::string(1 + below(25), '0') + std::to_string(below(1000));
            default: return std::to_string(size / (1 + below(4)));
        }
    }

    // OWS: usually none.
    std::string ows() {
        static const char* pieces[] = {"", "", "", " ", "\t", "  ", " \t "};
        return pieces[below(7)];
    }

    // One element of the range-set.
    std::string element(std::uint64_t size) {
        switch (below(10)) {
            case 0: case 1: case 2: return number(size) + "-" + number(size);
            case 3: case 4: return number(size) + "-";
            case 5: case 6: return "-" + number(size);
            case 7: return "";
            case 8: {
                static const char* junk[] = {"-", "--1", "1-2-3", "a-b", "5", "+1-2", "1 -2", "0x1-0x2", "1-", "-0"};
                return junk[below(10)];
            }
            default: return number(size);
        }
    }

    // A whole Range value, then maybe a few random byte edits.
    std::string value(std::uint64_t size) {
        static const char* units[] = {"bytes", "bytes", "bytes", "bytes", "BYTES", "Bytes", "items", "byte", "", "bytes "};
        std::string v = units[below(10)];
        if (below(20) != 0) v += "=";
        v += ows();
        std::uint64_t elements = below(10) < 7 ? 1 : below(4);
        for (std::uint64_t i = 0; i < elements; ++i) {
            if (i > 0) v += ows() + "," + ows();
            v += element(size);
        }
        if (below(8) == 0) v += ows() + "," + ows();   // a trailing empty element
        for (std::uint64_t edits = below(10) == 0 ? 1 + below(3) : 0; edits > 0 && !v.empty(); --edits) {
            static const char alphabet[] = "0123456789-=, \tbytesBx+*\x80";
            char c = alphabet[below(sizeof alphabet - 1)];
            std::size_t at = below(v.size());
            switch (below(3)) {
                case 0: v[at] = c; break;
                case 1: v.insert(v.begin() + static_cast<long>(at), c); break;
                default: v.erase(at, 1); break;
            }
        }
        return v;
    }

private:
    std::mt19937_64 rng_;
};

}  // namespace

// ---------------------------------------------------------------------------
// parse_decimal
// ---------------------------------------------------------------------------
TEST(Lesson07Asm, ParseDecimalMatchesCppAndTheRule) {
    struct Case {
        std::string text;
        int want;
        std::uint64_t value;   // when want == 0
    };
    const Case cases[] = {
        {"0", 0, 0},
        {"42", 0, 42},
        {"00000000000000000000000000042", 0, 42},
        {"18446744073709551614", 0, kU64Max - 1},
        {"18446744073709551615", 0, kU64Max},
        {"18446744073709551616", 0, kU64Max},     // the add carries: saturate
        {"184467440737095516150", 0, kU64Max},    // v * 10 passes 2^64: saturate
        {"99999999999999999999999999999", 0, kU64Max},
        {"", -1, 0},
        {"-1", -1, 0},
        {"1-", -1, 0},
        {" 1", -1, 0},
        {"/", -1, 0},
        {":", -1, 0},
        {std::string("1\0", 2), -1, 0},
        {"99999999999999999999x", -1, 0},
    };
    for (const Case& c : cases) {
        std::uint64_t va = kUntouched, vc = kUntouched;
        int ra = parse_decimal(c.text.data(), c.text.size(), &va);
        int rc = httpd::parse_decimal(c.text, &vc);
        EXPECT_EQ(ra, c.want) << escaped(c.text);
        EXPECT_EQ(ra, rc) << escaped(c.text);
        EXPECT_EQ(va, vc) << escaped(c.text);
        EXPECT_EQ(va, c.want == 0 ? c.value : kUntouched) << escaped(c.text);
    }
}

// parse_decimal reads len bytes: a digit right after them does not count.
TEST(Lesson07Asm, ParseDecimalReadsOnlyLenBytes) {
    std::uint64_t v = 0;
    EXPECT_EQ(parse_decimal("1234", 2, &v), 0);
    EXPECT_EQ(v, 12u);
    EXPECT_EQ(parse_decimal("12x4", 2, &v), 0);
    EXPECT_EQ(v, 12u);
    v = kUntouched;
    EXPECT_EQ(parse_decimal("1234", 0, &v), -1);
    EXPECT_EQ(v, kUntouched);
}

// Every number from 0 to 2^64 - 1 in a few thousand samples, its
// neighbours above 2^64, and random byte strings.
TEST(Lesson07Asm, ParseDecimalRandomAgrees) {
    const std::uint64_t seed = env_number("METAL_RANGE_SEED", 20240707);
    std::mt19937_64 rng(seed);
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        if (i % 2 == 0) {
            text = std::to_string(rng() >> (rng() % 64));
            if (i % 6 == 0) text += static_cast<char>('0' + rng() % 10);   // often past 2^64
        } else {
            static const char alphabet[] = "0123456789012345678901234567890123456789 -+x/:";
            for (std::uint64_t n = rng() % 30; n > 0; --n) text += alphabet[rng() % (sizeof alphabet - 1)];
        }
        std::uint64_t va = kUntouched, vc = kUntouched;
        int ra = parse_decimal(text.data(), text.size(), &va);
        int rc = httpd::parse_decimal(text, &vc);
        ASSERT_TRUE(ra == rc && va == vc) << "seed " << seed << ", sample " << i << ": " << escaped(text) << " asm "
                                          << ra << " " << va << ", cpp " << rc << " " << vc;
    }
}

// ---------------------------------------------------------------------------
// parse_range and parse_range_spec
// ---------------------------------------------------------------------------
TEST(Lesson07Asm, ParseRangeFollowsTheTable) {
    for (const testsupport::RangeCase& c : testsupport::range_cases()) {
        std::string label = escaped(c.value) + " size " + std::to_string(c.size) + ": " + c.why;
        Answer want;
        want.result = c.want;
        if (c.want == RANGE_OK) {
            want.first = c.first;
            want.count = c.count;
        }
        Answer a = asm_range(c.value, c.size);
        EXPECT_TRUE(a == want) << label << "\n  asm " << show(a) << ", want " << show(want);
        EXPECT_TRUE(a == cpp_range(c.value, c.size)) << label;
    }
}

TEST(Lesson07Asm, ParseRangeReadsOnlyLenBytes) {
    const std::string v = "bytes=1-2,3-4";
    EXPECT_TRUE(asm_range(v.substr(0, 9), 6) == cpp_range(v.substr(0, 9), 6));
    Answer a;
    a.result = parse_range(v.data(), 9, 6, &a.first, &a.count);   // the rest is in memory, not in len
    EXPECT_EQ(a.result, RANGE_OK);
    EXPECT_EQ(a.first, 1u);
    EXPECT_EQ(a.count, 2u);
    a.result = parse_range("bytes=12", 7, 100, &a.first, &a.count);   // "bytes=1": no dash
    EXPECT_EQ(a.result, RANGE_IGNORE);
}

// Random Range values against random sizes, byte for byte the same
// answer.  100000 by default; METAL_RANGE_RANDOM=N for more (or fewer).
TEST(Lesson07Asm, ParseRangeRandomAgrees) {
    const std::uint64_t seed = env_number("METAL_RANGE_SEED", 20240707);
    const std::uint64_t runs = env_number("METAL_RANGE_RANDOM", 100000);
    RangeGen gen(seed);
    int counts[3] = {0, 0, 0};   // how many of each answer: every branch must be taken
    for (std::uint64_t i = 0; i < runs; ++i) {
        std::uint64_t size = gen.size();
        std::string v = gen.value(size);
        Answer a = asm_range(v, size);
        Answer c = cpp_range(v, size);
        ASSERT_TRUE(a == c) << "seed " << seed << ", sample " << i << ": " << escaped(v) << " size " << size
                            << "\n  asm " << show(a) << "\n  cpp " << show(c);
        if (c.result >= 0 && c.result <= 2) ++counts[c.result];
        if (c.result == RANGE_OK) {
            ASSERT_LT(c.first, size) << escaped(v) << " size " << size;
            ASSERT_GE(c.count, 1u) << escaped(v) << " size " << size;
            ASSERT_LE(c.count, size - c.first) << escaped(v) << " size " << size;
        }
    }
    if (runs >= 10000) {
        EXPECT_GT(counts[RANGE_IGNORE], static_cast<int>(runs / 20)) << "the generator hardly makes bad values";
        EXPECT_GT(counts[RANGE_OK], static_cast<int>(runs / 20)) << "the generator hardly makes good ranges";
        EXPECT_GT(counts[RANGE_UNSATISFIABLE], static_cast<int>(runs / 50)) << "the generator hardly makes 416s";
    }
}

// parse_range_spec alone, on the elements the generator makes.
TEST(Lesson07Asm, ParseRangeSpecRandomAgrees) {
    const std::uint64_t seed = env_number("METAL_RANGE_SEED", 20240707) + 1;
    RangeGen gen(seed);
    for (int i = 0; i < 20000; ++i) {
        std::uint64_t size = gen.size();
        std::string spec = gen.element(size);
        if (gen.below(5) == 0) spec = gen.ows() + spec + gen.ows();   // OWS is not the spec's business
        Answer a = asm_spec(spec, size);
        Answer c = cpp_spec(spec, size);
        ASSERT_TRUE(a == c) << "seed " << seed << ", sample " << i << ": " << escaped(spec) << " size " << size
                            << "\n  asm " << show(a) << "\n  cpp " << show(c);
    }
}

// ---------------------------------------------------------------------------
// format_content_range
// ---------------------------------------------------------------------------
TEST(Lesson07Asm, FormatContentRangeMatchesCpp) {
    struct Case {
        std::uint64_t first, count, size;
        const char* want;
    };
    const Case cases[] = {
        {0, 1, 1, "bytes 0-0/1"},
        {9500, 500, 10000, "bytes 9500-9999/10000"},
        {0, 0, 6, "bytes */6"},
        {77, 0, 0, "bytes */0"},
        {4294967296, 10, 4294967306, "bytes 4294967296-4294967305/4294967306"},
        {kU64Max - 1, 1, kU64Max, "bytes 18446744073709551614-18446744073709551614/18446744073709551615"},
    };
    auto both = [](std::uint64_t first, std::uint64_t count, std::uint64_t size, const std::string& label) {
        char a[CONTENT_RANGE_MAX + 8], c[CONTENT_RANGE_MAX + 8];
        std::memset(a, '#', sizeof a);
        std::memset(c, '#', sizeof c);
        std::size_t la = format_content_range(a, first, count, size);
        std::size_t lc = httpd::format_content_range(c, first, count, size);
        EXPECT_EQ(la, lc) << label;
        EXPECT_TRUE(std::memcmp(a, c, sizeof a) == 0) << label << ": " << std::string(a, la) << " vs " << std::string(c, lc);
        EXPECT_LT(la, static_cast<std::size_t>(CONTENT_RANGE_MAX)) << label;
        return std::string(a, la);
    };
    for (const Case& c : cases) EXPECT_EQ(both(c.first, c.count, c.size, c.want), c.want);
    std::mt19937_64 rng(20240707);
    for (int i = 0; i < 2000; ++i) {
        std::uint64_t size = rng() >> (rng() % 64);
        std::uint64_t first = size == 0 ? 0 : rng() % size;
        std::uint64_t count = size == 0 || i % 7 == 0 ? 0 : 1 + rng() % (size - first);
        both(first, count, size, "sample " + std::to_string(i));
    }
}

// ---------------------------------------------------------------------------
// single_header, on requests both parsers have read
// ---------------------------------------------------------------------------
TEST(Lesson07Asm, SingleHeaderMatchesCpp) {
    const std::vector<std::string> fields = {
        "",
        "Range: bytes=0-1\r\n",
        "RANGE: x\r\n",
        "Accept: */*\r\nRange: a\r\n",
        "Range: a\r\nRange: b\r\n",
        "range: a\r\nX: y\r\nRaNgE: b\r\n",
        "X-Range: a\r\nRanges: b\r\nRang: c\r\n",
        "If-Range: x\r\nRange: a\r\n",
    };
    for (const std::string& f : fields) {
        std::string head = "GET / HTTP/1.1\r\nHost: h\r\n" + f + "\r\n";
        struct request a;
        std::memset(&a, 0x5a, sizeof a);
        httpd::Request c;
        ASSERT_EQ(parse_request(head.data(), head.size(), &a), 0) << f;
        ASSERT_EQ(httpd::parse_request(head, c), 0) << f;
        for (const char* name : {"Range", "range", "If-Range", "Host", "Nope"}) {
            const struct header_field* fa = single_header(&a, name, std::strlen(name));
            const httpd::Header* fc = httpd::single_header(c, name);
            long ia = fa == nullptr ? -1 : static_cast<long>(fa - a.headers);
            long ic = fc == nullptr ? -1 : static_cast<long>(fc - c.headers.data());
            EXPECT_EQ(ia, ic) << name << " in " << f;
        }
    }
}

// ---------------------------------------------------------------------------
// step_parse_range, side by side on the two records
// ---------------------------------------------------------------------------
TEST(Lesson07Asm, StepParseRangeAgrees) {
    struct Case {
        std::string fields;
        const char* method;
        std::uint64_t size;
        int want;              // STEP_NEXT or 416
        std::uint64_t status;  // afterwards
        std::string content_range;   // "" when none
    };
    const Case cases[] = {
        {"Range: bytes=1-2\r\n", "GET", 6, STEP_NEXT, 206, "bytes 1-2/6"},
        {"rAnGe: Bytes= -2\r\n", "GET", 6, STEP_NEXT, 206, "bytes 4-5/6"},
        {"", "GET", 6, STEP_NEXT, 200, ""},
        {"Range: bytes=1-2\r\n", "HEAD", 6, STEP_NEXT, 200, ""},
        {"Range: bytes=6-\r\n", "GET", 6, 416, 200, "bytes */6"},
        {"Range: bytes=6-\r\n", "HEAD", 6, STEP_NEXT, 200, ""},
        {"Range: bytes=0-0\r\n", "GET", 0, 416, 200, "bytes */0"},
        {"Range: bytes=-1\r\n", "GET", 0, STEP_NEXT, 200, ""},
        {"Range: bytes=4-2\r\n", "GET", 6, STEP_NEXT, 200, ""},
        {"Range: bytes=0-1, 3-4\r\n", "GET", 6, STEP_NEXT, 200, ""},
        {"Range: bytes=1-2\r\nIf-Range: \"x\"\r\n", "GET", 6, STEP_NEXT, 200, ""},
        {"if-range: x\r\nRange: bytes=1-2\r\n", "GET", 6, STEP_NEXT, 200, ""},
        {"Range: bytes=1-2\r\nRange: bytes=1-2\r\n", "GET", 6, STEP_NEXT, 200, ""},
        {"X-Range: bytes=1-2\r\n", "GET", 6, STEP_NEXT, 200, ""},
        {"Range: items=1-2\r\n", "GET", 6, STEP_NEXT, 200, ""},
        {"Range: bytes=4999999995-\r\n", "GET", 5000000000ULL, STEP_NEXT, 206, "bytes 4999999995-4999999999/5000000000"},
        {"Range: bytes=99999999999999999999-\r\n", "GET", 5000000000ULL, 416, 200, "bytes */5000000000"},
        {"Range: bytes=-18446744073709551615\r\n", "GET", kU64Max, STEP_NEXT, 206,
         "bytes 0-18446744073709551614/18446744073709551615"},
    };
    for (const Case& c : cases) {
        std::string head = std::string(c.method) + " /f.txt HTTP/1.1\r\nHost: h\r\n" + c.fields + "\r\n";
        std::string label = std::string(c.method) + " " + escaped(c.fields) + " size " + std::to_string(c.size);
        Records r;
        r.set_buf(head);
        r.a->head_len = r.c->head_len = head.size();
        ASSERT_EQ(step_both(r, TWIN_STEP(step_parse_head), "", label).result, STEP_NEXT) << label;
        // as step_stat_file leaves them: the whole file
        r.a->file_size = r.c->file_size = c.size;
        r.a->body_first = r.c->body_first = 0;
        r.a->body_len = r.c->body_len = c.size;
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_parse_range), "", label);
        EXPECT_EQ(run.result, c.want) << label;
        EXPECT_EQ(run.wrote, "") << label << ": the step sends nothing";
        EXPECT_EQ(r.a->status, c.status) << label;
        std::string extra = "Accept-Ranges: bytes\r\n";
        if (!c.content_range.empty()) extra += "Content-Range: " + c.content_range + "\r\n";
        EXPECT_EQ(std::string(r.a->extra, r.a->extra_len), extra) << label;
        if (c.status != 206) {
            EXPECT_EQ(r.a->body_first, 0u) << label;
            EXPECT_EQ(r.a->body_len, c.size) << label;
        }
    }
}

// x.extra full: add_extra leaves the lines out (all or nothing), the
// step still decides the same, and nothing is written past EXTRA_MAX.
TEST(Lesson07Asm, StepParseRangeWithFullExtraAgrees) {
    const std::string head = "GET /f HTTP/1.1\r\nHost: h\r\nRange: bytes=1-2\r\n\r\n";
    for (std::size_t used : {std::size_t{0}, std::size_t{EXTRA_MAX - 40}, std::size_t{EXTRA_MAX - 2}}) {
        Records r;
        r.set_buf(head);
        r.a->head_len = r.c->head_len = head.size();
        ASSERT_EQ(step_both(r, TWIN_STEP(step_parse_head), "", "full extra").result, STEP_NEXT);
        r.set_extra(used == 0 ? std::string() : "X: " + std::string(used - 5, 'x') + "\r\n");
        r.a->file_size = r.c->file_size = 6;
        r.a->body_len = r.c->body_len = 6;
        EXPECT_EQ(step_both(r, TWIN_STEP(step_parse_range), "", "extra " + std::to_string(used)).result, STEP_NEXT);
        EXPECT_EQ(r.a->status, 206u);
        EXPECT_LE(r.a->extra_len, static_cast<std::uint64_t>(EXTRA_MAX));
    }
}

// ---------------------------------------------------------------------------
// The lesson-07 pipeline end to end: asm and C++ against the same docroot
// ---------------------------------------------------------------------------
class Lesson07AsmSteps : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_FALSE(dir.path().empty()); }
    testsupport::PipelineRun serve(const std::string& req, const std::string& label) {
        Records r(dir.path().c_str());
        return testsupport::pipeline_both(r, testsupport::lesson_steps(7), req, label);
    }
    // The head of a 206 for bytes first..first+count-1 of a file of size bytes.
    static std::string head_206(const std::string& type, std::uint64_t first, std::uint64_t count, std::uint64_t size) {
        return "HTTP/1.1 206 Partial Content\r\nServer: metal-httpd\r\nConnection: close\r\nContent-Type: " + type +
               "\r\nContent-Length: " + std::to_string(count) + "\r\nAccept-Ranges: bytes\r\nContent-Range: bytes " +
               std::to_string(first) + "-" + std::to_string(first + count - 1) + "/" + std::to_string(size) +
               "\r\n\r\n";
    }
    testsupport::Docroot dir{kTag};
};

TEST_F(Lesson07AsmSteps, RangesAreServedExactly) {
    testsupport::PipelineRun run = serve(testsupport::http_request("GET", "/hello.txt", "Range: bytes=7-11\r\n"), "7-11");
    EXPECT_EQ(run.result, STEP_DONE);
    EXPECT_EQ(run.response, head_206(kText, 7, 5, 13) + "world");
    run = serve(testsupport::http_request("HEAD", "/hello.txt", "Range: bytes=7-11\r\n"), "HEAD 7-11");
    EXPECT_EQ(run.response, "HTTP/1.1 200 OK\r\nServer: metal-httpd\r\nConnection: close\r\nContent-Type: " + kText +
                                "\r\nContent-Length: 13\r\nAccept-Ranges: bytes\r\n\r\n");
    run = serve(testsupport::http_request("GET", "/hello.txt", "Range: bytes=13-\r\n"), "416");
    EXPECT_EQ(run.result, 416);
    EXPECT_EQ(run.response, "HTTP/1.1 416 Range Not Satisfiable\r\nServer: metal-httpd\r\nConnection: close\r\n"
                            "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 26\r\nAccept-Ranges: bytes\r\n"
                            "Content-Range: bytes */13\r\n\r\n416 Range Not Satisfiable\n");
}

// Seeded random ranges of a 1000003-byte file through both pipelines:
// the same bytes, and the body is exactly the file's bytes asked for.
TEST_F(Lesson07AsmSteps, RandomRangesOfABigFileAgree) {
    const std::uint64_t seed = env_number("METAL_RANGE_SEED", 20240707);
    std::mt19937_64 rng(seed);
    const std::uint64_t n = dir.big.size();
    for (int i = 0; i < 24; ++i) {
        std::uint64_t a = rng() % (n + 10), b = rng() % (n + 10);
        std::string range;
        switch (i % 3) {
            case 0: range = "bytes=" + std::to_string(std::min(a, b)) + "-" + std::to_string(std::max(a, b)); break;
            case 1: range = "bytes=" + std::to_string(a) + "-"; break;
            default: range = "bytes=-" + std::to_string(b); break;
        }
        std::string label = "seed " + std::to_string(seed) + " " + range;
        testsupport::PipelineRun run = serve(testsupport::http_request("GET", "/big.css", "Range: " + range + "\r\n"), label);
        std::uint64_t first = 0, count = 0;
        int r = httpd::parse_range(range, n, &first, &count);
        if (r == RANGE_OK) {
            EXPECT_EQ(run.result, STEP_DONE) << label;
            EXPECT_TRUE(run.response == head_206("text/css; charset=utf-8", first, count, n) + dir.big.substr(first, count))
                << label;
        } else {
            EXPECT_EQ(r, RANGE_UNSATISFIABLE) << label;
            EXPECT_EQ(run.result, 416) << label;
        }
    }
}

// Past 4 GiB: markers at 4500000000 and at the end of a sparse file of
// 5000000000 bytes, so an offset cut to 32 bits would send zeros.
TEST_F(Lesson07AsmSteps, RangesPast4GiBAreExact) {
    httpd::Fd file = testsupport::sparse_file(dir.at("huge.bin"), 5000000000ULL, "mark!", 4500000000ULL);
    ASSERT_TRUE(file.valid());
    ASSERT_EQ(::pwrite(file.get(), "tail!", 5, 4999999995LL), 5);
    ::alarm(300);   // a range wrongly ignored sends all 5 GB: end the run instead of waiting
    testsupport::PipelineRun run = serve(testsupport::http_request("GET", "/huge.bin", "Range: bytes=4500000000-4500000004\r\n"), "mark");
    EXPECT_EQ(run.response, head_206(kOctets, 4500000000ULL, 5, 5000000000ULL) + "mark!");
    run = serve(testsupport::http_request("GET", "/huge.bin", "Range: bytes=-5\r\n"), "tail");
    EXPECT_EQ(run.response, head_206(kOctets, 4999999995ULL, 5, 5000000000ULL) + "tail!");
    run = serve(testsupport::http_request("GET", "/huge.bin", "Range: bytes=4999999998-99999999999999999999\r\n"), "clamped");
    EXPECT_EQ(run.response, head_206(kOctets, 4999999998ULL, 2, 5000000000ULL) + "l!");
    run = serve(testsupport::http_request("GET", "/huge.bin", "Range: bytes=5000000000-\r\n"), "416");
    EXPECT_EQ(run.result, 416);
    EXPECT_NE(run.response.find("\r\nContent-Range: bytes */5000000000\r\n"), std::string::npos);
    ::alarm(0);
}
