// tests/asm/spine_test.cpp -- the two spines run the same steps, in the
// same order, in every lesson; and the step list the differential tests
// run (testsupport::lesson_steps, tests/support/asm_exchange.hpp) is that
// list too.
//
// The lists are read from the sources themselves: asm/httpd.s (its STEP
// lines) and cpp/httpd.cpp (the kSteps array), each with its lesson
// conditionals decided for lesson N the way the build decides them.  A
// lesson that adds or swaps a step in one spine only, or in a different
// place, fails here by name.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "../support/asm_exchange.hpp"
#include "records.h"

namespace {

std::vector<std::string> source_lines(const std::string& rel) {
    std::ifstream in(std::string(METAL_SOURCE_DIR) + "/" + rel);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// "LESSON >= 4 && LESSON <= 5" for lesson n: comparisons of LESSON with a
// number, joined by && and || (the only conditions the spines use).
bool lesson_condition(const std::string& expr, int n) {
    static const std::regex cmp(R"(^\s*LESSON\s*(==|!=|<=|>=|<|>)\s*([0-9]+)\s*$)");
    std::stringstream ors(std::regex_replace(expr, std::regex(R"(\|\|)"), "\x01"));
    for (std::string alt; std::getline(ors, alt, '\x01');) {
        std::stringstream ands(std::regex_replace(alt, std::regex("&&"), "\x02"));
        bool all = true;
        for (std::string part; std::getline(ands, part, '\x02');) {
            std::smatch m;
            if (!std::regex_match(part, m, cmp)) {
                ADD_FAILURE() << "a lesson condition this test cannot read: " << part;
                return false;
            }
            int k = std::stoi(m[2]);
            std::string op = m[1];
            bool v = op == "==" ? n == k : op == "!=" ? n != k : op == "<=" ? n <= k : op == ">=" ? n >= k
                   : op == "<" ? n < k : n > k;
            all = all && v;
        }
        if (all) return true;
    }
    return false;
}

// The step names of a spine for lesson n: the lines between `begin` and
// `end` that match `step`, inside the lesson conditionals that hold.
std::vector<std::string> spine_steps(const std::string& rel, int n, const std::regex& begin, const std::regex& end,
                                     const std::regex& step) {
    static const std::regex open(R"(^\s*[.#]if\s+(.*LESSON.*?)\s*(//.*)?$)");
    static const std::regex close(R"(^\s*[.#]endif\b)");
    std::vector<std::string> out;
    bool inside = false, keep = true;
    for (const std::string& line : source_lines(rel)) {
        if (!inside) {
            inside = std::regex_search(line, begin);
            continue;
        }
        if (std::regex_search(line, end)) break;
        std::smatch m;
        if (std::regex_match(line, m, open)) keep = lesson_condition(m[1], n);
        else if (std::regex_search(line, close)) keep = true;
        else if (keep && std::regex_search(line, m, step)) out.push_back(m[1]);
    }
    return out;
}

std::vector<std::string> asm_steps(int n) {
    return spine_steps("asm/httpd.s", n, std::regex("The pipeline: every step"), std::regex("^handle_connection_stop:"),
                       std::regex(R"(^\s+STEP\s+(\w+))"));
}
std::vector<std::string> cpp_steps(int n) {
    return spine_steps("cpp/httpd.cpp", n, std::regex(R"(constexpr Step kSteps\[\])"), std::regex(R"(^\};)"),
                       std::regex(R"(^\s+(step_\w+),)"));
}
std::vector<std::string> test_steps(int n) {
    std::vector<std::string> out;
    for (const testsupport::StepPair& s : testsupport::lesson_steps(n)) out.push_back(s.name);
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : " -> ") + x;
    return s;
}

}  // namespace

TEST(Spine, BothSpinesRunTheSameStepsInEveryLesson) {
    for (int n = 1; n <= LESSON; ++n) {
        std::vector<std::string> a = asm_steps(n), c = cpp_steps(n);
        EXPECT_FALSE(a.empty()) << "no STEP lines found in asm/httpd.s for lesson " << n;
        EXPECT_EQ(joined(a), joined(c)) << "lesson " << n << ": asm/httpd.s and cpp/httpd.cpp differ";
    }
}

TEST(Spine, TheTestsRunTheSpinesLists) {
    for (int n = 1; n <= LESSON; ++n) {
        EXPECT_EQ(joined(test_steps(n)), joined(asm_steps(n)))
            << "lesson " << n << ": testsupport::lesson_steps differs from the spine";
    }
}

TEST(Spine, EveryLessonEndsInAStepThatAnswers) {
    // The last step of every list answers (STEP_DONE); a list that runs
    // out is the spine's 500.
    for (int n = 1; n <= LESSON; ++n) {
        std::vector<std::string> a = asm_steps(n);
        ASSERT_FALSE(a.empty());
        EXPECT_TRUE(a.back() == "step_hello" || a.back() == "step_echo" || a.back() == "step_send_body")
            << "lesson " << n << " ends with " << a.back();
    }
}

// Lesson 09's method lists: each sub-list of cpp/httpd.cpp (kPutList ...)
// and of asm/httpd.s (put_list ...) is the tests' list (METAL_PUT_LIST ...,
// tests/support/pipeline.hpp), step for step.
TEST(Spine, TheMethodListsAreTheSameInBothSpinesAndTheTests) {
    struct List {
        const char* cpp;    // the array in cpp/httpd.cpp
        const char* asm_;   // the function in asm/httpd.s
        std::vector<std::string> tests;
    };
    std::vector<List> lists;
    auto add = [&](const char* c, const char* a, std::vector<std::string> t) { lists.push_back({c, a, std::move(t)}); };
#define METAL_NAME(name) v.push_back(#name);
    { std::vector<std::string> v; METAL_OPTIONS_ASTERISK_LIST(METAL_NAME) add("kOptionsAsteriskList", "options_asterisk_list", v); }
    { std::vector<std::string> v; METAL_OPTIONS_LIST(METAL_NAME) add("kOptionsList", "options_list", v); }
    { std::vector<std::string> v; METAL_PUT_LIST(METAL_NAME) add("kPutList", "put_list", v); }
    { std::vector<std::string> v; METAL_DELETE_LIST(METAL_NAME) add("kDeleteList", "delete_list", v); }
#undef METAL_NAME
    for (const List& l : lists) {
        std::vector<std::string> c = spine_steps("cpp/httpd.cpp", LESSON, std::regex(std::string("constexpr Step ") + l.cpp + R"(\[\])"),
                                                 std::regex(R"(^\};)"), std::regex(R"(^\s+(step_\w+),)"));
        std::vector<std::string> a = spine_steps("asm/httpd.s", LESSON, std::regex(std::string("^FUNC ") + l.asm_ + "$"),
                                                 std::regex("^ENDFUNC"), std::regex(R"(^\s+LIST_STEP\s+(\w+))"));
        EXPECT_FALSE(c.empty()) << l.cpp;
        EXPECT_EQ(joined(c), joined(l.tests)) << l.cpp << " in cpp/httpd.cpp";
        EXPECT_EQ(joined(a), joined(l.tests)) << l.asm_ << " in asm/httpd.s";
    }
}
