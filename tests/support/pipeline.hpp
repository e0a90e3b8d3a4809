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
#include "09-methods.hpp"
#include "10-hardening.hpp"
#include "11-caching.hpp"
#include "exchange.hpp"

// The list, as code.  (A macro, so that each suite can turn a step's name
// into the functions it has: httpd::name, and in the target suite ::name.)
#define METAL_LESSON_STEPS(n, S)                                   \
    do {                                                           \
        if ((n) >= 11) { S(step_stamp_date) }                      \
        if ((n) <= 2) { S(step_read_once) S(step_hello) }          \
        if ((n) >= 10) { S(step_arm_deadlines) S(step_await_head) } \
        if ((n) >= 3) {                                            \
            S(step_read_head) S(step_parse_head)                   \
            S(step_check_framing)                                  \
        }                                                          \
        if ((n) >= 10) { S(step_arm_body_deadline) }               \
        if ((n) >= 3 && (n) <= 8) { S(step_check_method) }         \
        if ((n) >= 9) { S(step_allow_method) S(step_by_method) }   \
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
        if ((n) >= 11) { S(step_last_modified) S(step_check_conditions) } \
        if ((n) >= 7 && (n) <= 10) { S(step_parse_range) }         \
        if ((n) >= 11) { S(step_parse_range_11) }                  \
        if ((n) >= 4) { S(step_send_head) S(step_send_body) }      \
    } while (0)

// Lesson 09's lists of the methods that do not GET (cpp/httpd.cpp
// kOptionsAsteriskList ..., asm/httpd.s options_asterisk_list ...), which
// the spines' step_by_method runs; spine_test checks them too.  Like the
// spines' lists, they are decided when the suite is built (LESSON, the
// last lesson): from lesson 11 on, PUT and DELETE check
// If-Unmodified-Since after step_open_parent.
#if LESSON >= 11
#define METAL_CHECK_UNMODIFIED(S) S(step_check_unmodified)
#else
#define METAL_CHECK_UNMODIFIED(S)
#endif
#define METAL_OPTIONS_ASTERISK_LIST(S) S(step_answer_options)
#define METAL_OPTIONS_LIST(S) S(step_decode_path) S(step_normalize_path) S(step_open_beneath) S(step_answer_options)
#define METAL_PUT_LIST(S)                                                          \
    S(step_decode_path) S(step_normalize_path) S(step_check_upload) S(step_open_parent) \
    METAL_CHECK_UNMODIFIED(S) S(step_store_upload) S(step_answer_upload)
#define METAL_DELETE_LIST(S) \
    S(step_decode_path) S(step_normalize_path) S(step_open_parent) METAL_CHECK_UNMODIFIED(S) S(step_delete_file)

// METAL_BY_METHOD(x, S, run) -- the spines' step_by_method, for the tests
// (the spines are not linked into them): S(name) collects a step of the
// method's list, run() runs what was collected.
#define METAL_BY_METHOD(method, is_asterisk, S, run)                         \
    do {                                                                     \
        if (static_cast<httpd::Method>(method) == httpd::Method::OPTIONS && (is_asterisk)) { METAL_OPTIONS_ASTERISK_LIST(S) } \
        else if (static_cast<httpd::Method>(method) == httpd::Method::OPTIONS) { METAL_OPTIONS_LIST(S) }       \
        else if (static_cast<httpd::Method>(method) == httpd::Method::PUT) { METAL_PUT_LIST(S) }               \
        else if (static_cast<httpd::Method>(method) == httpd::Method::DELETE) { METAL_DELETE_LIST(S) }         \
        else return httpd::kNext;                                            \
        return run();                                                        \
    } while (0)

namespace testsupport {

// One C++ step and its name.
struct CppStep {
    const char* name;
    int (*fn)(httpd::Exchange&);
};

// Runs the steps in order as run_steps does (cpp/httpd.cpp): the result
// of the first that stops, or 500 when the list runs out.
inline int run_cpp_steps(const std::vector<CppStep>& steps, httpd::Exchange& x);

}  // namespace testsupport

namespace httpd {
// step_by_method -- cpp/httpd.cpp's, for the tests (the spine is not
// linked into them), from the lists above.
inline int step_by_method(Exchange& x) {
    std::vector<testsupport::CppStep> list;
#define METAL_CPP_LIST_STEP(name) list.push_back({#name, httpd::name});
    METAL_BY_METHOD(static_cast<int>(x.req.method_id), x.req.path == "*", METAL_CPP_LIST_STEP,
                    [&] { return testsupport::run_cpp_steps(list, x); });
#undef METAL_CPP_LIST_STEP
}
}  // namespace httpd

namespace testsupport {

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

inline int run_cpp_steps(const std::vector<CppStep>& steps, httpd::Exchange& x) {
    for (const CppStep& s : steps) {
        if (int r = s.fn(x); r != httpd::kNext) return r;
    }
    return 500;
}

}  // namespace testsupport
