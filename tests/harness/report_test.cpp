// tests/harness/report_test.cpp -- what the student reads when the two
// implementations disagree: the difference says which side is which and
// shows each byte escaped exactly once; the compare view fits the screen.
#include <gtest/gtest.h>

#include <sstream>

#include "report.hpp"
#include "util.hpp"

using namespace harness;

namespace {

Fixture fixture(const std::string& request, const std::string& why = "w") {
    nlohmann::json j = {{"name", "t-compare"}, {"since", 3},         {"why", why},
                        {"spec", "s"},         {"request", request}, {"expect", {{"status", 200}}}};
    return parse_fixture_file("[" + j.dump() + "]", "lessons/03-parse/fixtures.json")[0];
}

Outcome answered(const std::string& bytes) {
    Outcome o;
    o.ran = true;
    o.pass = true;
    o.exchange.connected = true;
    o.exchange.closed = true;
    o.exchange.received = bytes;
    o.response = parse_response(bytes, false, true);
    o.cell = std::to_string(o.response.status) + " " + std::to_string(o.response.body.size()) + "B";
    return o;
}

std::vector<Implementation> cpp_and_asm() {
    Implementation cpp, asm_;
    cpp.label = "cpp";
    cpp.command = "build/lesson-03/httpd-cpp";
    asm_.label = "asm";
    asm_.command = "build/lesson-03/httpd-asm";
    return {cpp, asm_};
}

const std::string kCppAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nab\r\ncd";
const std::string kAsmAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nab\r\nce";

FixtureResult result_of(const Fixture& f) {
    FixtureResult r;
    r.fixture = &f;
    r.outcomes = {answered(kCppAnswer), answered(kAsmAnswer)};
    r.differences = compare_outcomes(f, r.outcomes[0], r.outcomes[1], "cpp", "asm");
    return r;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST(Report, BodyDifferenceIsLabelledByImplementation) {
    std::string d = body_difference("ab\r\ncd", "ab\r\nce", "cpp", "asm");
    EXPECT_EQ(d,
              "body bytes differ at byte 5 (cpp 6B, asm 6B)\n"
              "  cpp \"ab\\r\\ncd\"\n"
              "  asm \"ab\\r\\nce\"");
    // the labels line up when they have different lengths
    EXPECT_TRUE(contains(body_difference("a", "b", "cpp", "darwin"), "\n  cpp    \"a\"\n  darwin \"b\"")) <<
        body_difference("a", "b", "cpp", "darwin");
}

TEST(Report, FailureShowsTheDifferenceEscapedOnce) {
    Fixture f = fixture("GET / HTTP/1.1\r\n\r\n");
    FixtureResult r = result_of(f);
    r.outcomes[1].pass = false;                      // a failure, so the ≠ block is printed
    r.outcomes[1].assertions.push_back({false, "body differs"});
    std::ostringstream out;
    print_failures(out, {r}, cpp_and_asm());
    std::string text = out.str();
    EXPECT_TRUE(contains(text, "\xE2\x89\xA0 the implementations answered differently:")) << text;
    EXPECT_TRUE(contains(text, "    body bytes differ at byte 5 (cpp 6B, asm 6B)\n")) << text;
    EXPECT_TRUE(contains(text, "      cpp \"ab\\r\\ncd\"\n")) << text;
    EXPECT_TRUE(contains(text, "      asm \"ab\\r\\nce\"\n")) << text;
    EXPECT_FALSE(contains(text, "\\\\r")) << "escaped twice:\n" << text;
    EXPECT_FALSE(contains(text, "expected \"ab")) << "labelled expected/got instead of cpp/asm:\n" << text;
}

TEST(Report, CompareIsSideBySideOnAWideScreen) {
    Fixture f = fixture("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    FixtureResult r = result_of(f);
    std::ostringstream out;
    print_compare(out, r, cpp_and_asm(), 160);
    std::string text = out.str();
    // the status lines of both answers on one row
    bool one_row = false;
    for (const auto& line : lines_of(text))
        if (contains(line, "HTTP/1.1 200 OK\\r\\n") && line.find("HTTP/1.1", line.find("HTTP/1.1") + 1) != std::string::npos)
            one_row = true;
    EXPECT_TRUE(one_row) << text;
    for (const auto& line : lines_of(text)) EXPECT_LE(display_width(line), 160u) << line;
}

TEST(Report, CompareIsStackedOnANarrowScreenAndFitsIt) {
    std::string long_target = "GET /" + std::string(300, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n";
    Fixture f = fixture(long_target, std::string(200, 'w') + " and some words that wrap");
    FixtureResult r = result_of(f);
    for (size_t columns : {60u, 80u, 119u}) {
        std::ostringstream out;
        print_compare(out, r, cpp_and_asm(), columns);
        std::string text = out.str();
        for (const auto& line : lines_of(text)) EXPECT_LE(display_width(line), columns) << columns << ": " << line;
        // one answer under the other: each status line on a row of its own
        int rows_with_status = 0;
        for (const auto& line : lines_of(text))
            if (contains(line, "HTTP/1.1 200 OK\\r\\n")) {
                ++rows_with_status;
                EXPECT_EQ(line.find("HTTP/1.1", line.find("HTTP/1.1") + 1), std::string::npos) << line;
            }
        EXPECT_EQ(rows_with_status, 2) << text;
        EXPECT_TRUE(contains(text, "cpp \xE2\x9C\x93 200 6B")) << text;
        EXPECT_TRUE(contains(text, "asm \xE2\x9C\x93 200 6B")) << text;
        EXPECT_TRUE(contains(text, "  cpp \"ab\\r\\ncd\"")) << text;
    }
}
