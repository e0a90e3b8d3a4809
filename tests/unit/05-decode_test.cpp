// tests/unit/05-decode_test.cpp -- lesson 05's C++ stage: hex_value for
// every byte, percent_decode against the table of tests/support/
// decode_cases.hpp and every escape, step_decode_path on an Exchange, and
// the lesson-05 pipeline end to end over a socketpair into a temporary
// docroot.
//
// Expectations come from RFC 3986 (§2.1 percent-encoding, §2.4 decode
// once, §2.5 UTF-8) and the lesson's rules (lessons/05-decode/README.md).
#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "../support/decode_cases.hpp"
#include "../support/files_fixture.hpp"
#include "../support/pipeline.hpp"
#include "../support/support.hpp"
#include "01-socket.hpp"
#include "04-files.hpp"
#include "05-decode.hpp"
#include "exchange.hpp"

namespace {

using testsupport::capture;
using testsupport::head_200;
using testsupport::kText;

// What this file's temporary directories are called (/tmp/metal-05-unit-*).
constexpr const char* kTag = "05-unit";

// What a byte's hex value is, from the digit strings (not from arithmetic
// on the character codes, which is what hex_value does).
int expected_hex_value(int c) {
    const std::string_view lower = "0123456789abcdef", upper = "0123456789ABCDEF";
    for (std::size_t v = 0; v < 16; ++v) {
        if (c == lower[v] || c == upper[v]) return static_cast<int>(v);
    }
    return -1;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

// Two hex digits for a byte, in upper or lower case.
std::string hex2(unsigned b, bool upper) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    return {digits[b >> 4], digits[b & 15]};
}

// percent_decode into a buffer of cap bytes followed by guard bytes: the
// result, what it wrote, and whether it wrote past cap.
struct Decoded {
    std::int64_t result;
    std::string buffer;   // cap bytes, then 16 guard bytes, as left
};
Decoded decode(std::string_view in, std::size_t cap) {
    Decoded d;
    d.buffer.assign(cap + 16, '#');
    d.result = httpd::percent_decode(in, d.buffer.data(), cap);
    return d;
}

// The lesson-05 steps in the spine's order (cpp/httpd.cpp), after lesson
// 03's steps have parsed a GET or HEAD of `path`: lesson 04's list with
// step_decode_path in the place of step_copy_path.
testsupport::Served serve(const std::string& root, std::string_view path, bool is_head = false) {
    return testsupport::serve_steps({5, "step_decode_path", root}, [&](httpd::Exchange& x) {
        x.req.path = path;
        x.req.is_head = is_head;
    });
}

}  // namespace

// ---------------------------------------------------------------------------
// hex_value
// ---------------------------------------------------------------------------
TEST(Lesson05, HexValueForAll256Bytes) {
    int digits = 0;
    for (int c = 0; c < 256; ++c) {
        EXPECT_EQ(httpd::hex_value(c), expected_hex_value(c)) << "byte " << c;
        if (httpd::hex_value(c) >= 0) ++digits;
    }
    EXPECT_EQ(digits, 22);   // 0-9, a-f, A-F
}

// c is an int: the whole int is compared, not its low byte.
TEST(Lesson05, HexValueOfIntsOutsideAByteIsMinusOne) {
    const int ints[] = {-1, -2, -256 + 'a', -256 + '0', 0x100 + '0', 0x100 + 'a', 0x100 + 'A', 0x141, 0x10000 + 'f',
                        INT_MIN, INT_MIN + '0', INT_MAX, 'a' - 0x20 - 1, 'g', 'G', '/', ':', '@', '`'};
    for (int c : ints) {
        EXPECT_EQ(httpd::hex_value(c), -1) << c;
    }
}

// ---------------------------------------------------------------------------
// percent_decode
// ---------------------------------------------------------------------------
TEST(Lesson05, PercentDecodeFollowsTheTable) {
    for (const testsupport::DecodeCase& c : testsupport::decode_cases()) {
        Decoded d = decode(c.in, c.cap);
        EXPECT_EQ(d.result, c.want) << c.why;
        EXPECT_EQ(d.buffer.substr(0, c.out.size()), c.out) << c.why;
        // nothing written after what the case says: not past cap, not past the error
        EXPECT_EQ(d.buffer.substr(c.out.size()), std::string(c.cap + 16 - c.out.size(), '#')) << c.why;
    }
}

// Only len bytes are read: a path cut from a longer buffer whose next
// bytes are hex digits must not borrow them.
TEST(Lesson05, PercentDecodeReadsOnlyLenBytes) {
    const std::string buffer = "/%41%4";
    struct Case {
        std::size_t len;
        std::int64_t want;
        std::string out;
    };
    for (Case c : {Case{1, 1, "/"}, Case{2, -400, "/"}, Case{3, -400, "/"}, Case{4, 2, "/A"}, Case{5, -400, "/A"},
                   Case{6, -400, "/A"}}) {
        Decoded d = decode(std::string_view(buffer.data(), c.len), 8);
        EXPECT_EQ(d.result, c.want) << c.len;
        EXPECT_EQ(d.buffer.substr(0, c.out.size() + 1), c.out + "#") << c.len;
    }
}

// Every escape %00 .. %FF, upper and lower case: the byte, unless it is a
// control byte (400).
TEST(Lesson05, PercentDecodeEveryEscape) {
    for (unsigned b = 0; b < 256; ++b) {
        for (bool upper : {true, false}) {
            std::string in = "/%" + hex2(b, upper) + "/";
            Decoded d = decode(in, 64);
            if (is_control(static_cast<unsigned char>(b))) {
                EXPECT_EQ(d.result, -400) << in;
            } else {
                EXPECT_EQ(d.result, 3) << in;
                EXPECT_EQ(d.buffer.substr(0, 3), std::string("/") + static_cast<char>(b) + "/") << in;
            }
        }
    }
}

// Every byte sent as it is (but '%'): copied, unless it is a control byte.
TEST(Lesson05, PercentDecodeEveryRawByte) {
    for (unsigned b = 0; b < 256; ++b) {
        if (b == '%') continue;
        std::string in = std::string("/") + static_cast<char>(b);
        Decoded d = decode(in, 64);
        EXPECT_EQ(d.result, is_control(static_cast<unsigned char>(b)) ? -400 : 2) << "byte " << b;
    }
}

// Decoding an encoding gives the original back, once: encode every byte of
// a name that has no control byte, decode it, and get the name.  Encoding
// the encoding and decoding once gives the first encoding, not the name.
TEST(Lesson05, PercentDecodeUndoesOneEncoding) {
    std::string name;
    for (unsigned b = 0x20; b < 0x100; ++b) {
        if (b != 0x7f) name += static_cast<char>(b);
    }
    std::string once, twice;
    for (char ch : name) once += "%" + hex2(static_cast<unsigned char>(ch), true);
    for (char ch : once) twice += "%" + hex2(static_cast<unsigned char>(ch), false);
    Decoded d = decode(once, once.size());
    ASSERT_EQ(d.result, static_cast<std::int64_t>(name.size()));
    EXPECT_EQ(d.buffer.substr(0, name.size()), name);
    d = decode(twice, twice.size());
    ASSERT_EQ(d.result, static_cast<std::int64_t>(once.size()));
    EXPECT_EQ(d.buffer.substr(0, once.size()), once);
}

// Whatever the input: the output is never longer than the input, and a
// smaller cap writes a prefix of the same bytes and nothing past cap; the
// result is the same length, or -414 where the bytes did not fit, or the
// same -400 (or -414, if the room ran out before the bad escape).  Fixed
// seed, printed on failure.
TEST(Lesson05, PercentDecodeRandomInputsShrinkAndStopAtCap) {
    const unsigned seed = 20240505;
    std::mt19937 rng(seed);
    const std::string alphabet = "%%%%0123456789abcdefABCDEFgG/.+ \x01\x1f\x7f\x80\xc3\xff";
    for (int i = 0; i < 20000; ++i) {
        std::string in(rng() % 24, '\0');
        for (char& ch : in) ch = rng() % 8 == 0 ? static_cast<char>(rng()) : alphabet[rng() % alphabet.size()];
        std::size_t cap = rng() % 28;
        Decoded full = decode(in, 64);   // room for anything: never -414
        Decoded part = decode(in, cap);
        std::string label = "seed " + std::to_string(seed) + " case " + std::to_string(i) + " cap " +
                            std::to_string(cap);
        ASSERT_NE(full.result, -414) << label;
        ASSERT_LE(full.result, static_cast<std::int64_t>(in.size())) << label;
        ASSERT_EQ(part.buffer.substr(0, cap), full.buffer.substr(0, cap)) << label;
        ASSERT_EQ(part.buffer.substr(cap), std::string(16, '#')) << label << ": wrote past cap";
        if (full.result >= 0) {
            ASSERT_EQ(part.result, static_cast<std::size_t>(full.result) <= cap ? full.result : -414) << label;
        } else {
            ASSERT_EQ(full.result, -400) << label;
            ASSERT_TRUE(part.result == -400 || part.result == -414) << label << ": " << part.result;
        }
    }
}

// ---------------------------------------------------------------------------
// step_decode_path
// ---------------------------------------------------------------------------
TEST(Lesson05, StepDecodePathFillsPathAndLeavesTheRequest) {
    struct Case {
        std::string path;   // x.req.path as the parser left it
        int want;
        std::string decoded;
    };
    const std::string longest = "/" + std::string(REQ_TARGET_MAX - 1, '%');   // 400 at its second byte
    const std::string longest_plain = "/" + std::string(REQ_TARGET_MAX - 1, 'q');
    const Case cases[] = {
        {"/caf%C3%A9.txt", httpd::kNext, "/caf\xc3\xa9.txt"},
        {"/dir%20with%20spaces/", httpd::kNext, "/dir with spaces/"},
        {"/docs%2Fa.txt", httpd::kNext, "/docs/a.txt"},
        {"/%252e", httpd::kNext, "/%2e"},
        {"/a+b", httpd::kNext, "/a+b"},
        {"/", httpd::kNext, "/"},
        {longest_plain, httpd::kNext, longest_plain},
        {"/%zz", 400, ""},
        {"/secret.txt%00.png", 400, ""},
        {"/a%0a", 400, ""},
        {"/%", 400, ""},
        {longest, 400, ""},
    };
    for (const Case& c : cases) {
        auto x = std::make_unique<httpd::Exchange>();
        httpd::Config cfg;
        httpd::start_exchange(*x, -1, &cfg);
        std::memset(x->path, '#', sizeof x->path);
        x->path_len = 12345;   // what an earlier step may have left
        std::string buf = c.path;   // the request's bytes, which the step must not change
        x->req.path = buf;
        std::string label = c.path.substr(0, 40);
        EXPECT_EQ(httpd::step_decode_path(*x), c.want) << label;
        EXPECT_EQ(buf, c.path) << label << ": the request changed";
        EXPECT_EQ(x->req.path.data(), buf.data()) << label;
        if (c.want == httpd::kNext) {
            EXPECT_EQ(x->path_len, c.decoded.size()) << label;
            EXPECT_EQ(std::string(x->path, x->path_len), c.decoded) << label;
            EXPECT_EQ(x->path[x->path_len], '#') << label << ": wrote past the decoded path";
        } else {
            EXPECT_EQ(x->path_len, 12345u) << label << ": a refused path must not set path_len";
        }
    }
}

// ---------------------------------------------------------------------------
// The lesson-05 pipeline: decoded names reach the files
// ---------------------------------------------------------------------------
TEST(Lesson05, PipelineServesDecodedNames) {
    testsupport::Docroot dir(kTag);
    ASSERT_FALSE(dir.path().empty());
    testsupport::add_decoded_names(dir);
    for (const testsupport::DecodedName& c : testsupport::decoded_names()) {
        testsupport::Served get = serve(dir.path(), c.target);
        EXPECT_EQ(get.result, httpd::kDone) << c.target;
        EXPECT_EQ(get.bytes, head_200(c.type, c.body.size()) + c.body) << c.target;
        testsupport::Served head = serve(dir.path(), c.target, true);
        EXPECT_EQ(head.bytes, head_200(c.type, c.body.size())) << c.target;
    }
    // refused before anything is opened or sent: the spine answers 400
    for (const char* path : {"/100%.txt", "/hello.txt%00.png", "/%", "/%4", "/%G1", "/%4g", "/a%7f"}) {
        testsupport::Served s = serve(dir.path(), path);
        EXPECT_EQ(s.result, 400) << path;
        EXPECT_EQ(s.bytes, "") << path;
    }
    // a decoded name that is not there: 404 as in lesson 04
    EXPECT_EQ(serve(dir.path(), "/caf%C3%A9.txt%20").result, 404);
}
