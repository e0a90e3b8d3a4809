// tests/support/pipeline.hpp -- every lesson's step list, written once for
// the tests: METAL_LESSON_STEPS(n, S) calls S(name) for each step of lesson
// n, in the order both spines run them (asm/httpd.s STEP lines,
// cpp/httpd.cpp kSteps).  tests/asm/spine_test.cpp reads both spines and
// checks this list against them for every lesson, so a lesson that adds or
// swaps a step changes it here too, or the suite fails.
//
// The native suite takes the C++ steps from it (cpp_steps below); the
// target suite takes both languages' (testsupport::lesson_steps in
// asm_exchange.hpp).
#pragma once

#include <string_view>
#include <vector>

#include "01-socket.hpp"
#include "03-parse.hpp"
#include "04-files.hpp"
#include "05-decode.hpp"
#include "06-traversal.hpp"
#include "07-ranges.hpp"
#include "08-listing.hpp"
#include "exchange.hpp"

// The list, as code.  (A macro, so that each suite can turn a step's name
// into the functions it has: httpd::name, and in the target suite ::name.)
#define METAL_LESSON_STEPS(n, S)                                   \
    do {                                                           \
        if ((n) <= 2) { S(step_read_once) S(step_hello) }          \
        if ((n) >= 3) {                                            \
            S(step_read_head) S(step_parse_head)                   \
            S(step_check_framing) S(step_check_method)             \
        }                                                          \
        if ((n) == 3) { S(step_echo) }                             \
        if ((n) == 4) { S(step_copy_path) }                        \
        if ((n) >= 5) { S(step_decode_path) }                      \
        if ((n) >= 6) { S(step_normalize_path) }                   \
        if ((n) >= 4 && (n) <= 7) { S(step_add_index) }            \
        if ((n) >= 4 && (n) <= 5) { S(step_open_file) }            \
        if ((n) >= 6) { S(step_open_beneath) }                     \
        if ((n) >= 4) { S(step_stat_file) }                        \
        if ((n) >= 8) { S(step_directory) }                        \
        if ((n) >= 4) { S(step_check_file) S(step_choose_type) }   \
        if ((n) >= 7) { S(step_parse_range) }                      \
        if ((n) >= 4) { S(step_send_head) S(step_send_body) }      \
    } while (0)

namespace testsupport {

// One C++ step and its name.
struct CppStep {
    const char* name;
    int (*fn)(httpd::Exchange&);
};

// Lesson n's list in C++.  Steps of lessons above the one this suite was
// built for do not exist: the suites are built with the last lesson.
inline std::vector<CppStep> cpp_steps(int lesson) {
    std::vector<CppStep> steps;
#define METAL_CPP_STEP(name) steps.push_back({#name, httpd::name});
    METAL_LESSON_STEPS(lesson, METAL_CPP_STEP);
#undef METAL_CPP_STEP
    return steps;
}

// The part of lesson n's list from the step named `first` on: what runs
// after the steps a test plays itself (reading and parsing the request).
inline std::vector<CppStep> cpp_steps_from(int lesson, std::string_view first) {
    std::vector<CppStep> all = cpp_steps(lesson), out;
    bool on = false;
    for (const CppStep& s : all) {
        on = on || first == s.name;
        if (on) out.push_back(s);
    }
    return out;
}

// Runs the steps in order as run_steps does (cpp/httpd.cpp): the result
// of the first that stops, or 500 when the list runs out.
inline int run_cpp_steps(const std::vector<CppStep>& steps, httpd::Exchange& x) {
    for (const CppStep& s : steps) {
        if (int r = s.fn(x); r != httpd::kNext) return r;
    }
    return 500;
}

}  // namespace testsupport
