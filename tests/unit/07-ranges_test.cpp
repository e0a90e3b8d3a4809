// tests/unit/07-ranges_test.cpp -- lesson 07's C++ stage: the saturating
// decimal parser, the Range parser (tests/support/ranges_cases.hpp: RFC
// 9110 §14.1.2's examples first), Content-Range, single_header, the step
// on an Exchange, and the lesson-07 pipeline end to end over a socketpair
// into a temporary docroot.
//
// Expectations come from RFC 9110 §14 (ranges), §13.1.5 (If-Range), §5.3
// and §5.6.1 (field lines and lists), and from the lesson's rules
// (lessons/07-ranges/README.md).
#include <gtest/gtest.h>

#include <fcntl.h>

#include <cstring>
#include <memory>
#include <string>
#include <unistd.h>

#include "../support/files_fixture.hpp"
#include "../support/ranges_cases.hpp"
#include "../support/pipeline.hpp"
#include "../support/support.hpp"
#include "01-socket.hpp"
#include "03-parse.hpp"
#include "04-files.hpp"
#include "07-ranges.hpp"
#include "exchange.hpp"

namespace {

using testsupport::capture;
using testsupport::kOctets;
using testsupport::kText;
using testsupport::kU64Max;

// What this file's temporary directories are called (/tmp/metal-07-unit-*).
constexpr const char* kTag = "07-unit";

// What parse_range's outputs hold before the call: a RANGE_OK must
// overwrite them, any other answer must leave them alone.
constexpr std::uint64_t kUntouched = 0x5eed5eed5eed5eedULL;

// The head of a response with a file body: lesson 04's head_200 with the
// status line of `status` and the lesson-07 field lines after it.
std::string head_of(const std::string& status_line, const std::string& type, std::uint64_t length,
                    const std::string& extra) {
    return "HTTP/1.1 " + status_line + "\r\nServer: metal-httpd\r\nConnection: close\r\nContent-Type: " + type +
           "\r\nContent-Length: " + std::to_string(length) + "\r\n" + extra + "\r\n";
}


// The lesson-07 pipeline in C++, as handle_connection runs it once the
// head is in x.buf: every step from step_parse_head on, answer_error for
// a status, the file closed.  Returns the stopping result and the bytes.
using Served07 = testsupport::Served;
Served07 serve(const std::string& root, const std::string& req) {
    return testsupport::serve_steps({7, "step_parse_head", root, -1, true}, [&](httpd::Exchange& x) {
        std::memcpy(x.buf, req.data(), req.size());
        x.head_len = req.size();
        x.read_len = req.size();   // what step_read_head leaves: the head, nothing after it
        x.linger = 0;
    });
}

}  // namespace

// ---------------------------------------------------------------------------
// parse_decimal
// ---------------------------------------------------------------------------
TEST(Lesson07, ParseDecimalReadsDigits) {
    struct Case {
        const char* text;
        std::uint64_t want;
    };
    const Case cases[] = {
        {"0", 0},
        {"7", 7},
        {"499", 499},
        {"000", 0},
        {"0000000000000000000000000000000042", 42},              // leading zeros are still 1*DIGIT
        {"12345678901234567890", 12345678901234567890ULL},
        {"18446744073709551614", kU64Max - 1},
        {"18446744073709551615", kU64Max},                        // exactly 2^64 - 1
    };
    for (const Case& c : cases) {
        std::uint64_t v = kUntouched;
        EXPECT_EQ(httpd::parse_decimal(c.text, &v), 0) << c.text;
        EXPECT_EQ(v, c.want) << c.text;
    }
}

// Past 2^64 - 1 the value stays there: never a wrapped small number.
TEST(Lesson07, ParseDecimalSaturates) {
    for (const char* text : {"18446744073709551616",     // 2^64: only the last add carries
                             "18446744073709551625",     // 2^64 + 9
                             "184467440737095516150",    // v * 10 alone passes 2^64
                             "99999999999999999999",
                             "99999999999999999999999999999999999999999999999999"}) {
        std::uint64_t v = 0;
        EXPECT_EQ(httpd::parse_decimal(text, &v), 0) << text;
        EXPECT_EQ(v, kU64Max) << text;
    }
}

TEST(Lesson07, ParseDecimalRefusesAnythingButDigits) {
    for (std::string_view text : {std::string_view(""), std::string_view("-1"), std::string_view("+1"),
                                  std::string_view(" 1"), std::string_view("1 "), std::string_view("1a"),
                                  std::string_view("/"), std::string_view(":"), std::string_view("0x10"),
                                  std::string_view("1\0", 2), std::string_view("\xef\xbc\x91"),   // fullwidth 1
                                  std::string_view("99999999999999999999x")}) {
        std::uint64_t v = kUntouched;
        EXPECT_EQ(httpd::parse_decimal(text, &v), -1) << text;
        EXPECT_EQ(v, kUntouched) << "written on failure: " << text;
    }
}

// ---------------------------------------------------------------------------
// parse_range and parse_range_spec
// ---------------------------------------------------------------------------
TEST(Lesson07, ParseRangeFollowsTheTable) {
    for (const testsupport::RangeCase& c : testsupport::range_cases()) {
        std::uint64_t first = kUntouched, count = kUntouched;
        std::string label = std::string("\"") + c.value + "\" size " + std::to_string(c.size) + ": " + c.why;
        EXPECT_EQ(httpd::parse_range(c.value, c.size, &first, &count), c.want) << label;
        EXPECT_EQ(first, c.want == httpd::kRangeOk ? c.first : kUntouched) << label;
        EXPECT_EQ(count, c.want == httpd::kRangeOk ? c.count : kUntouched) << label;
    }
}

// parse_range reads len bytes, not up to a NUL.
TEST(Lesson07, ParseRangeReadsOnlyLenBytes) {
    std::uint64_t first = 0, count = 0;
    EXPECT_EQ(httpd::parse_range(std::string_view("bytes=1-2,3-4", 9), 6, &first, &count), httpd::kRangeOk);
    EXPECT_EQ(first, 1u);
    EXPECT_EQ(count, 2u);
    EXPECT_EQ(httpd::parse_range(std::string_view("bytes=1-29", 9), 6, &first, &count), httpd::kRangeOk);
    EXPECT_EQ(count, 2u);   // "1-2", not "1-29"
    EXPECT_EQ(httpd::parse_range(std::string_view("bytes=1", 6), 6, &first, &count), httpd::kRangeIgnore);
}

// parse_range_spec alone: the range-spec without the unit and the list.
TEST(Lesson07, ParseRangeSpecAlone) {
    struct Case {
        const char* spec;
        std::uint64_t size;
        int want;
        std::uint64_t first, count;
    };
    const Case cases[] = {
        {"0-499", 10000, httpd::kRangeOk, 0, 500},      {"-500", 10000, httpd::kRangeOk, 9500, 500},
        {"9500-", 10000, httpd::kRangeOk, 9500, 500},   {"10000-", 10000, httpd::kRangeUnsatisfiable, 0, 0},
        {"-0", 10000, httpd::kRangeUnsatisfiable, 0, 0}, {"", 10000, httpd::kRangeIgnore, 0, 0},
        {"-", 10000, httpd::kRangeIgnore, 0, 0},         {" 0-1", 10000, httpd::kRangeIgnore, 0, 0},
        {"0-1,", 10000, httpd::kRangeIgnore, 0, 0},      {"-1", 0, httpd::kRangeIgnore, 0, 0},
    };
    for (const Case& c : cases) {
        std::uint64_t first = kUntouched, count = kUntouched;
        EXPECT_EQ(httpd::parse_range_spec(c.spec, c.size, &first, &count), c.want) << c.spec;
        if (c.want == httpd::kRangeOk) {
            EXPECT_EQ(first, c.first) << c.spec;
            EXPECT_EQ(count, c.count) << c.spec;
        } else {
            EXPECT_EQ(first, kUntouched) << c.spec;
            EXPECT_EQ(count, kUntouched) << c.spec;
        }
    }
}

// Whatever the spec, a RANGE_OK range lies inside the file and is not
// empty: first < size, 1 <= count <= size - first.
TEST(Lesson07, EveryRangeOkLiesInsideTheFile) {
    const std::uint64_t sizes[] = {1, 2, 6, 10000, (1ULL << 32) - 1, 1ULL << 32, (1ULL << 32) + 1, 1ULL << 63, kU64Max};
    const char* specs[] = {"bytes=0-", "bytes=0-0", "bytes=-1", "bytes=1-", "bytes=-99999999999999999999",
                           "bytes=4294967295-4294967296", "bytes=0-99999999999999999999",
                           "bytes=9223372036854775807-", "bytes=18446744073709551614-"};
    for (std::uint64_t size : sizes) {
        for (const char* spec : specs) {
            std::uint64_t first = 0, count = 0;
            if (httpd::parse_range(spec, size, &first, &count) != httpd::kRangeOk) continue;
            std::string label = std::string(spec) + " size " + std::to_string(size);
            EXPECT_LT(first, size) << label;
            EXPECT_GE(count, 1u) << label;
            EXPECT_LE(count, size - first) << label;
        }
    }
}

// ---------------------------------------------------------------------------
// format_content_range
// ---------------------------------------------------------------------------
TEST(Lesson07, FormatContentRange) {
    struct Case {
        std::uint64_t first, count, size;
        const char* want;
    };
    const Case cases[] = {
        {0, 1, 1, "bytes 0-0/1"},
        {0, 500, 10000, "bytes 0-499/10000"},
        {9500, 500, 10000, "bytes 9500-9999/10000"},
        {0, 0, 6, "bytes */6"},                           // unsatisfied-range (§14.4)
        {0, 0, 0, "bytes */0"},
        {4294967296, 10, 4294967306, "bytes 4294967296-4294967305/4294967306"},
        {kU64Max - 1, 1, kU64Max, "bytes 18446744073709551614-18446744073709551614/18446744073709551615"},
        {0, kU64Max, kU64Max, "bytes 0-18446744073709551614/18446744073709551615"},
        {12345, 0, kU64Max, "bytes */18446744073709551615"},   // count 0: first is not looked at
    };
    for (const Case& c : cases) {
        char out[httpd::kContentRangeMax + 8];
        std::memset(out, '#', sizeof out);
        std::size_t len = httpd::format_content_range(out, c.first, c.count, c.size);
        EXPECT_EQ(std::string(out, len), c.want);
        EXPECT_EQ(len, std::strlen(c.want));
        EXPECT_EQ(out[len], '\0') << "a C string for add_extra";
        EXPECT_LT(len, httpd::kContentRangeMax) << "the NUL must fit too";
        for (std::size_t i = len + 1; i < sizeof out; ++i) EXPECT_EQ(out[i], '#') << "wrote past the NUL at " << i;
    }
}

// ---------------------------------------------------------------------------
// single_header
// ---------------------------------------------------------------------------
TEST(Lesson07, SingleHeaderNeedsExactlyOne) {
    struct Case {
        std::string fields;
        int want;   // index of the field, -1 for none
    };
    const Case cases[] = {
        {"", -1},
        {"Range: bytes=0-1\r\n", 1},
        {"rAnGe: bytes=0-1\r\n", 1},                              // names are case-insensitive (§5.1)
        {"Accept: */*\r\nRange: bytes=0-1\r\n", 2},
        {"Range: bytes=0-1\r\nRange: bytes=2-3\r\n", -1},        // two: none is "the" one
        {"Range: bytes=0-1\r\nrange: bytes=0-1\r\n", -1},
        {"X-Range: bytes=0-1\r\nRanges: x\r\nRang: y\r\n", -1},  // other names
        {"If-Range: x\r\nRange: a\r\nX: y\r\n", 2},
    };
    for (const Case& c : cases) {
        std::string head = testsupport::http_request("GET", "/", c.fields);
        httpd::Request req;
        ASSERT_EQ(httpd::parse_request(head, req), 0) << c.fields;
        const httpd::Header* got = httpd::single_header(req, "Range");
        if (c.want < 0) {
            EXPECT_EQ(got, nullptr) << c.fields;
        } else {
            EXPECT_EQ(got, &req.headers[static_cast<std::size_t>(c.want)]) << c.fields;
        }
    }
}

// ---------------------------------------------------------------------------
// step_parse_range on an Exchange
// ---------------------------------------------------------------------------
TEST(Lesson07, StepParseRangeSetsTheResponse) {
    struct Case {
        std::string head;
        std::uint64_t size;
        int want;                  // kNext or 416
        std::uint64_t status, first, len;
        std::string extra;
    };
    const std::string ar = "Accept-Ranges: bytes\r\n";
    const Case cases[] = {
        {testsupport::http_request("GET", "/f", "Range: bytes=1-2\r\n"), 6, httpd::kNext, 206, 1, 2, ar + "Content-Range: bytes 1-2/6\r\n"},
        {testsupport::http_request("GET", "/f", "range: BYTES=-2\r\n"), 6, httpd::kNext, 206, 4, 2, ar + "Content-Range: bytes 4-5/6\r\n"},
        {testsupport::http_request("GET", "/f"), 6, httpd::kNext, 200, 0, 6, ar},
        {testsupport::http_request("HEAD", "/f", "Range: bytes=1-2\r\n"), 6, httpd::kNext, 200, 0, 6, ar},   // §14.2
        {testsupport::http_request("GET", "/f", "Range: bytes=6-\r\n"), 6, 416, 200, 0, 6, ar + "Content-Range: bytes */6\r\n"},
        {testsupport::http_request("GET", "/f", "Range: bytes=-0\r\n"), 0, 416, 200, 0, 0, ar + "Content-Range: bytes */0\r\n"},
        {testsupport::http_request("GET", "/f", "Range: bytes=-1\r\n"), 0, httpd::kNext, 200, 0, 0, ar},            // §14.2, empty
        {testsupport::http_request("GET", "/f", "Range: bytes=4-2\r\n"), 6, httpd::kNext, 200, 0, 6, ar},
        {testsupport::http_request("GET", "/f", "Range: bytes=0-1,3-4\r\n"), 6, httpd::kNext, 200, 0, 6, ar},
        {testsupport::http_request("GET", "/f", "Range: bytes=1-2\r\nIf-Range: \"x\"\r\n"), 6, httpd::kNext, 200, 0, 6, ar},   // §13.1.5
        {testsupport::http_request("GET", "/f", "if-range: x\r\nRange: bytes=1-2\r\n"), 6, httpd::kNext, 200, 0, 6, ar},
        {testsupport::http_request("GET", "/f", "Range: bytes=1-2\r\nRange: bytes=1-2\r\n"), 6, httpd::kNext, 200, 0, 6, ar},   // §5.3
        {testsupport::http_request("GET", "/f", "X-Range: bytes=1-2\r\n"), 6, httpd::kNext, 200, 0, 6, ar},
        {testsupport::http_request("GET", "/f", "Range: bytes=4999999995-\r\n"), 5000000000ULL, httpd::kNext, 206, 4999999995ULL, 5,
         ar + "Content-Range: bytes 4999999995-4999999999/5000000000\r\n"},
    };
    for (const Case& c : cases) {
        auto x = std::make_unique<httpd::Exchange>();
        httpd::Config cfg;
        httpd::start_exchange(*x, -1, &cfg);
        std::memcpy(x->buf, c.head.data(), c.head.size());
        x->head_len = c.head.size();
        ASSERT_EQ(httpd::step_parse_head(*x), httpd::kNext) << c.head;
        x->file_size = c.size;   // as step_stat_file leaves it
        x->body_first = 0;
        x->body_len = c.size;
        EXPECT_EQ(httpd::step_parse_range(*x), c.want) << c.head;
        EXPECT_EQ(x->status, c.status) << c.head;
        EXPECT_EQ(x->body_first, c.first) << c.head;
        EXPECT_EQ(x->body_len, c.len) << c.head;
        EXPECT_EQ(std::string(x->extra, x->extra_len), c.extra) << c.head;
    }
}

// ---------------------------------------------------------------------------
// The lesson-07 pipeline end to end
// ---------------------------------------------------------------------------
class Lesson07Serve : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_FALSE(dir.path().empty()); }
    testsupport::Docroot dir{kTag};
};

TEST_F(Lesson07Serve, PartialContentHasItsExactHeadAndBytes) {
    Served07 run = serve(dir.path(), testsupport::http_request("GET", "/hello.txt", "Range: bytes=0-4\r\n"));
    EXPECT_EQ(run.result, httpd::kDone);
    EXPECT_EQ(run.bytes, head_of("206 Partial Content", kText, 5,
                                 "Accept-Ranges: bytes\r\nContent-Range: bytes 0-4/13\r\n") + "hello");
    run = serve(dir.path(), testsupport::http_request("GET", "/hello.txt", "Range: bytes=-6\r\n"));
    EXPECT_EQ(run.bytes, head_of("206 Partial Content", kText, 6,
                                 "Accept-Ranges: bytes\r\nContent-Range: bytes 7-12/13\r\n") + "world\n");
}

TEST_F(Lesson07Serve, WholeFileCarriesAcceptRanges) {
    std::string head = head_of("200 OK", kText, 13, "Accept-Ranges: bytes\r\n");
    EXPECT_EQ(serve(dir.path(), testsupport::http_request("GET", "/hello.txt")).bytes, head + "hello, world\n");
    EXPECT_EQ(serve(dir.path(), testsupport::http_request("GET", "/hello.txt", "Range: bytes=2-1\r\n")).bytes, head + "hello, world\n");
    // HEAD ignores Range: the 200 head (§14.2, §9.3.2)
    EXPECT_EQ(serve(dir.path(), testsupport::http_request("HEAD", "/hello.txt", "Range: bytes=0-4\r\n")).bytes, head);
}

TEST_F(Lesson07Serve, UnsatisfiableIs416WithTheLength) {
    Served07 run = serve(dir.path(), testsupport::http_request("GET", "/hello.txt", "Range: bytes=13-\r\n"));
    EXPECT_EQ(run.result, 416);
    EXPECT_EQ(run.bytes, head_of("416 Range Not Satisfiable", kText, 26,
                                 "Accept-Ranges: bytes\r\nContent-Range: bytes */13\r\n") +
                             "416 Range Not Satisfiable\n");
    run = serve(dir.path(), testsupport::http_request("GET", "/empty.txt", "Range: bytes=0-0\r\n"));
    EXPECT_EQ(run.result, 416);
    EXPECT_NE(run.bytes.find("\r\nContent-Range: bytes */0\r\n"), std::string::npos);
}

// Errors before the range step are not touched by it: no Accept-Ranges.
TEST_F(Lesson07Serve, ErrorsBeforeTheStepCarryNoRangeFields) {
    Served07 run = serve(dir.path(), testsupport::http_request("GET", "/nope.txt", "Range: bytes=0-1\r\n"));
    EXPECT_EQ(run.result, 404);
    EXPECT_EQ(run.bytes.find("Range"), std::string::npos);
}

// Ranges anywhere in a file of 1000003 bytes: exactly those bytes.
TEST_F(Lesson07Serve, RangesOfABigFileAreExact) {
    struct Case {
        const char* range;
        std::size_t first, count;
    };
    const std::size_t n = dir.big.size();
    for (Case c : {Case{"bytes=0-0", 0, 1}, Case{"bytes=65535-65537", 65535, 3}, Case{"bytes=999999-", 999999, n - 999999},
                   Case{"bytes=-70000", n - 70000, 70000}, Case{"bytes=123456-654321", 123456, 530866}}) {
        Served07 run = serve(dir.path(), testsupport::http_request("GET", "/big.css", std::string("Range: ") + c.range + "\r\n"));
        std::string want = head_of("206 Partial Content", "text/css; charset=utf-8", c.count,
                                   "Accept-Ranges: bytes\r\nContent-Range: bytes " + std::to_string(c.first) + "-" +
                                       std::to_string(c.first + c.count - 1) + "/" + std::to_string(n) + "\r\n") +
                           dir.big.substr(c.first, c.count);
        EXPECT_TRUE(run.bytes == want) << c.range;
    }
}

// Past 4 GiB every bit of the offset counts: markers at 4500000000 and at
// the end of a sparse 5000000000-byte file (zeros elsewhere), so an
// offset cut to 32 bits would send zeros instead.
TEST_F(Lesson07Serve, RangesPast4GiBAreExact) {
    httpd::Fd file = testsupport::sparse_file(dir.at("huge.bin"), 5000000000ULL, "mark!", 4500000000ULL);
    ASSERT_TRUE(file.valid());
    ASSERT_EQ(::pwrite(file.get(), "tail!", 5, 4999999995LL), 5);
    ::alarm(300);   // a range wrongly ignored sends all 5 GB: end the run instead of waiting
    Served07 run = serve(dir.path(), testsupport::http_request("GET", "/huge.bin", "Range: bytes=4500000000-4500000004\r\n"));
    EXPECT_EQ(run.bytes, head_of("206 Partial Content", kOctets, 5,
                                 "Accept-Ranges: bytes\r\nContent-Range: bytes 4500000000-4500000004/5000000000\r\n") +
                             "mark!");
    run = serve(dir.path(), testsupport::http_request("GET", "/huge.bin", "Range: bytes=-5\r\n"));
    EXPECT_EQ(run.bytes, head_of("206 Partial Content", kOctets, 5,
                                 "Accept-Ranges: bytes\r\nContent-Range: bytes 4999999995-4999999999/5000000000\r\n") +
                             "tail!");
    run = serve(dir.path(), testsupport::http_request("GET", "/huge.bin", "Range: bytes=4499999998-4500000001\r\n"));
    EXPECT_TRUE(run.bytes.substr(run.bytes.size() - 4) == std::string("\0\0ma", 4));
    ::alarm(0);
}
