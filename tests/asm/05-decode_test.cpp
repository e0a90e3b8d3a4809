// tests/asm/05-decode_test.cpp -- lesson 05: the assembly stage against
// its C++ twin (same inputs, same results, the same bytes written), and
// both against the lesson's rules (lessons/05-decode/README.md) and RFC
// 3986 (the table in tests/support/decode_cases.hpp).  hex_value for every
// byte; percent_decode for the table and for seeded random paths;
// step_decode_path and the whole lesson-05 pipeline side by side on a
// struct exchange and an httpd::Exchange (tests/support/asm_exchange.hpp).
//
// The random test compares 100,000 paths; under qemu on a busy x86-64
// machine that takes about a second.
#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "../support/asm_exchange.hpp"
#include "../support/callee_saved.hpp"
#include "../support/decode_cases.hpp"
#include "../support/files_fixture.hpp"
#include "../support/support.hpp"
#include "05-decode.hpp"
#include "api.h"
#include "exchange.hpp"

namespace {

using testsupport::head_200;
using testsupport::kText;
using testsupport::Records;
using testsupport::step_both;

// What this file's temporary directories are called (/tmp/metal-05-asm-*).
constexpr const char* kTag = "05-asm";

// Both percent_decodes on the same input and cap, each into a buffer of
// cap bytes plus 16 guard bytes: the results and the buffers must agree
// byte for byte (a byte written past cap shows up as a changed guard).
struct Both {
    std::int64_t a, c;
    std::string abuf, cbuf;
};
Both decode_both(const std::string& in, std::size_t cap) {
    Both b;
    b.abuf.assign(cap + 16, '\xa5');
    b.cbuf.assign(cap + 16, '\xa5');
    b.a = percent_decode(in.data(), in.size(), b.abuf.data(), cap);
    b.c = httpd::percent_decode(in, b.cbuf.data(), cap);
    return b;
}

using testsupport::escaped;

}  // namespace

// ---------------------------------------------------------------------------
// hex_value
// ---------------------------------------------------------------------------
TEST(Lesson05Asm, HexValueMatchesCppForEveryByte) {
    const std::string_view lower = "0123456789abcdef", upper = "0123456789ABCDEF";
    for (int c = 0; c < 256; ++c) {
        int want = -1;   // from the digit strings, not from character arithmetic
        for (int v = 0; v < 16; ++v) {
            if (c == lower[static_cast<std::size_t>(v)] || c == upper[static_cast<std::size_t>(v)]) want = v;
        }
        EXPECT_EQ(hex_value(c), want) << "byte " << c;
        EXPECT_EQ(hex_value(c), httpd::hex_value(c)) << "byte " << c;
    }
}

// c is a whole int: values outside a byte are not hex digits, whatever
// their low byte says.
TEST(Lesson05Asm, HexValueOfIntsOutsideAByte) {
    for (int c : {-1, -2, -256 + 'a', -256 + '0', 0x100 + '0', 0x100 + 'a', 0x100 + 'A', 0x141, 0x10000 + 'f',
                  INT_MIN, INT_MIN + '0', INT_MAX}) {
        EXPECT_EQ(hex_value(c), -1) << c;
        EXPECT_EQ(hex_value(c), httpd::hex_value(c)) << c;
    }
}

// ---------------------------------------------------------------------------
// percent_decode
// ---------------------------------------------------------------------------
TEST(Lesson05Asm, PercentDecodeTableAgrees) {
    for (const testsupport::DecodeCase& c : testsupport::decode_cases()) {
        Both b = decode_both(c.in, c.cap);
        EXPECT_EQ(b.a, c.want) << c.why;
        EXPECT_EQ(b.a, b.c) << c.why;
        EXPECT_TRUE(b.abuf == b.cbuf) << c.why << "\n asm: " << escaped(b.abuf) << "\n cpp: " << escaped(b.cbuf);
        EXPECT_EQ(b.abuf.substr(0, c.out.size()), c.out) << c.why;
    }
}

// Only len bytes are read: a path cut from a longer buffer whose next
// bytes are hex digits must not borrow them.
TEST(Lesson05Asm, PercentDecodeReadsOnlyLenBytes) {
    const std::string buffer = "/%41%4";
    for (std::size_t len = 0; len <= buffer.size(); ++len) {
        char a[8], c[8];
        std::memset(a, '#', sizeof a);
        std::memset(c, '#', sizeof c);
        std::int64_t ra = percent_decode(buffer.data(), len, a, sizeof a);
        std::int64_t rc = httpd::percent_decode(std::string_view(buffer.data(), len), c, sizeof c);
        std::int64_t want = len == 0 ? 0 : len == 1 ? 1 : len == 4 ? 2 : -400;
        EXPECT_EQ(ra, want) << len;
        EXPECT_EQ(ra, rc) << len;
        EXPECT_TRUE(std::memcmp(a, c, sizeof a) == 0) << len;
    }
}

// Every escape, both cases, at the start, in the middle and at the end.
TEST(Lesson05Asm, PercentDecodeEveryEscapeAgrees) {
    const char* upper = "0123456789ABCDEF";
    const char* lower = "0123456789abcdef";
    for (unsigned v = 0; v < 256; ++v) {
        for (const char* digits : {upper, lower}) {
            std::string esc = {'%', digits[v >> 4], digits[v & 15]};
            for (const std::string& in : {esc, "/a" + esc + "b", "/" + esc}) {
                Both b = decode_both(in, 8);
                EXPECT_EQ(b.a, b.c) << escaped(in);
                EXPECT_TRUE(b.abuf == b.cbuf) << escaped(in);
                bool control = v < 0x20 || v == 0x7f;
                EXPECT_EQ(b.a < 0, control) << escaped(in);
            }
        }
    }
}

// Random paths, biased towards what the decoder has to get right: '%',
// hex digits of both cases, the bytes just outside the hex ranges,
// control bytes, high bytes; escapes whole, cut short or half wrong; and
// a cap that is sometimes too small.  The same seed every run; it is
// printed with any difference.
TEST(Lesson05Asm, PercentDecodeRandomPathsAgree) {
    const unsigned seed = 20240505;
    const int count = 100000;
    std::mt19937 rng(seed);
    const std::string hex = "0123456789abcdefABCDEF";
    const std::string near_hex = "/:@G`g.+ ~";   // just outside 0-9, A-F, a-f; and the usual path bytes
    const std::string pieces[] = {"%2e", "%2E", "%25", "%2F", "%00", "%0a", "%7f", "%C3%A9", "%252e", "%", "%4"};
    int differences = 0;
    for (int i = 0; i < count && differences < 10; ++i) {
        std::string in = "/";
        std::size_t len = rng() % 40;
        while (in.size() < len) {
            switch (rng() % 8) {
                case 0: in += '%'; break;
                case 1: in += hex[rng() % hex.size()]; break;
                case 2: in += near_hex[rng() % near_hex.size()]; break;
                case 3: in += static_cast<char>(rng() % 0x20 + (rng() % 4 == 0 ? 0x60 : 0)); break;   // control, or not
                case 4: in += static_cast<char>(0x80 + rng() % 0x80); break;                           // high bytes
                case 5: in += static_cast<char>('a' + rng() % 26); break;
                case 6: in += pieces[rng() % std::size(pieces)]; break;
                default: in += std::string{'%', hex[rng() % hex.size()], hex[rng() % hex.size()]}; break;
            }
        }
        std::size_t cap = rng() % 4 == 0 ? rng() % (in.size() + 1) : in.size() + rng() % 3;
        Both b = decode_both(in, cap);
        if (b.a != b.c || b.abuf != b.cbuf) {
            ++differences;
            ADD_FAILURE() << "seed " << seed << ", case " << i << ": \"" << escaped(in) << "\" cap " << cap
                          << "\n asm: " << b.a << " \"" << escaped(b.abuf) << "\""
                          << "\n cpp: " << b.c << " \"" << escaped(b.cbuf) << "\"";
        }
    }
}

// ---------------------------------------------------------------------------
// step_decode_path, alone and in the lesson-05 pipeline
// ---------------------------------------------------------------------------
TEST(Lesson05Asm, StepDecodePathAgrees) {
    struct Case {
        std::string path;
        int want;
    };
    const Case cases[] = {
        {"/caf%C3%A9.txt", STEP_NEXT},
        {"/dir%20with%20spaces/", STEP_NEXT},
        {"/docs%2Fa.txt", STEP_NEXT},
        {"/%252e", STEP_NEXT},
        {"/a+b", STEP_NEXT},
        {"", STEP_NEXT},
        {"/" + std::string(REQ_TARGET_MAX - 1, 'q'), STEP_NEXT},
        {std::string(PATH_BUF_MAX, 'r'), STEP_NEXT},
        {std::string(PATH_BUF_MAX + 1, 's'), 414},      // only a caller other than the parser can do this
        {std::string(PATH_BUF_MAX, 't') + "%41", 414},  // the escape is the byte too many
        {"/%zz", 400},
        {"/secret.txt%00.png", 400},
        {"/a%0a", 400},
        {"/%", 400},
        {"/%4", 400},
    };
    for (const Case& c : cases) {
        Records r(".");
        r.set_req_path(c.path.data(), c.path.size());
        std::string label = escaped(c.path.substr(0, 40)) + " (" + std::to_string(c.path.size()) + " bytes)";
        testsupport::StepRun run = step_both(r, TWIN_STEP(step_decode_path), "", label);
        EXPECT_EQ(run.result, c.want) << label;
    }
}

// AAPCS64: the lesson's functions that save x19..x28 give all 64 bits of
// each back, on the way that decodes and on the way that refuses.
TEST(Lesson05Asm, FunctionsKeepCalleeSavedRegisters) {
    for (const std::string& path : std::vector<std::string>{"/caf%C3%A9.txt", "/%zz", std::string(PATH_BUF_MAX + 1, 's')}) {
        Records r(".");
        r.set_req_path(path.data(), path.size());
        testsupport::CalleeSavedRun run = testsupport::call_checking_callee_saved(&step_decode_path, r.a.get());
        EXPECT_EQ(run.problems, "") << "step_decode_path " << escaped(path.substr(0, 20));
        char out[PATH_BUF_MAX];
        run = testsupport::call_checking_callee_saved(&percent_decode, path.data(), path.size(), out, sizeof out);
        EXPECT_EQ(run.problems, "") << "percent_decode " << escaped(path.substr(0, 20));
    }
}

class Lesson05AsmSteps : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(dir.path().empty());
        testsupport::add_decoded_names(dir);
    }
    testsupport::PipelineRun serve(const std::string& req, const std::string& label) {
        Records r(dir.path().c_str());
        return testsupport::pipeline_both(r, testsupport::lesson_steps(5), req, label);
    }
    testsupport::Docroot dir{kTag};
};

TEST_F(Lesson05AsmSteps, DecodedNamesAreServed) {
    // the suites' shared table, and what only a whole request line can say:
    // a raw UTF-8 target, a query, the absolute form
    std::vector<testsupport::DecodedName> cases = testsupport::decoded_names();
    cases.push_back({"/caf\xc3\xa9.txt", kText, "cafe\n"});
    cases.push_back({"/hello.txt?x=%zz", kText, "hello, world\n"});
    cases.push_back({"http://test/caf%C3%A9.txt", kText, "cafe\n"});
    for (const testsupport::DecodedName& c : cases) {
        testsupport::PipelineRun get = serve(testsupport::http_request("GET", c.target), c.target);
        EXPECT_EQ(get.result, STEP_DONE) << c.target;
        EXPECT_TRUE(get.response == head_200(c.type, c.body.size()) + c.body) << c.target << "\n" << get.response;
        testsupport::PipelineRun head = serve(testsupport::http_request("HEAD", c.target), c.target);
        EXPECT_EQ(head.response, head_200(c.type, c.body.size())) << c.target;
    }
}

TEST_F(Lesson05AsmSteps, BadEscapesAndControlBytesAre400) {
    for (const char* target : {"/100%.txt", "/hello.txt%00.png", "/%", "/%4", "/%G1", "/%4g", "/a%zzb", "/a%0ab",
                               "/a%0db", "/a%1fb", "/a%7fb", "/hello.txt%"}) {
        for (const char* method : {"GET", "HEAD"}) {
            std::string label = std::string(method) + " " + target;
            testsupport::PipelineRun run = serve(testsupport::http_request(method, target), label);
            EXPECT_EQ(run.result, 400) << label;
            EXPECT_EQ(run.response.substr(0, 25), "HTTP/1.1 400 Bad Request\r") << label;
            EXPECT_EQ(run.response.find("\r\n\r\n") + 4 == run.response.size(), std::string(method) == "HEAD")
                << label;
        }
    }
}
