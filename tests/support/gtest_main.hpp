// tests/support/gtest_main.hpp -- the main() of the GoogleTest suites
// (tests/unit/main.cpp, tests/asm/main.cpp), with two things GoogleTest's
// own main does not do:
//
//  * A filter that selects nothing is an error, not a green "0 tests":
//    `make unit FILTER=Lesson99` names the suites and tests nearest to
//    what was asked and exits 1.
//  * (the asm suite) A test that crashes -- SIGSEGV, SIGBUS, an illegal
//    instruction, an exercise stub that ends the process -- does not end
//    the run: the tests run in a child process; when it dies, the parent
//    reports the test, the signal and where it struck (function+offset),
//    and starts a new child for the tests not run yet.  --report=FILE
//    also writes every test's result as JSON (make grade-NN reads it).
//    METAL_TEST_NO_FORK=1 runs everything in one process (for gdb).
//  * A suite run from anywhere but the top of the tree stops and says so
//    (it reads the lessons' tables from METAL_SOURCE_DIR, ".").
#ifndef METAL_TESTS_GTEST_MAIN_HPP
#define METAL_TESTS_GTEST_MAIN_HPP

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace testmain {

// GoogleTest's filter syntax: POSITIVE[-NEGATIVE], each a ':'-separated
// list of patterns where '*' is any string and '?' any character.
inline bool glob(const char* p, const char* s) {
    if (*p == '\0') return *s == '\0';
    if (*p == '*') return glob(p + 1, s) || (*s != '\0' && glob(p, s + 1));
    if (*s == '\0') return false;
    return (*p == '?' || *p == *s) && glob(p + 1, s + 1);
}
inline bool any_glob(const std::string& patterns, const std::string& name) {
    size_t start = 0;
    while (start <= patterns.size()) {
        size_t end = patterns.find(':', start);
        if (end == std::string::npos) end = patterns.size();
        if (glob(patterns.substr(start, end - start).c_str(), name.c_str())) return true;
        start = end + 1;
    }
    return false;
}
inline bool filter_selects(const std::string& filter, const std::string& name) {
    size_t dash = filter.find('-');
    std::string pos = filter.substr(0, dash), neg = dash == std::string::npos ? "" : filter.substr(dash + 1);
    if (pos.empty()) pos = "*";
    return any_glob(pos, name) && (neg.empty() || !any_glob(neg, name));
}

inline std::vector<std::string> test_names() {
    std::vector<std::string> names;
    const ::testing::UnitTest& u = *::testing::UnitTest::GetInstance();
    for (int i = 0; i < u.total_test_suite_count(); ++i) {
        const ::testing::TestSuite& s = *u.GetTestSuite(i);
        for (int j = 0; j < s.total_test_count(); ++j)
            names.push_back(std::string(s.name()) + "." + s.GetTestInfo(j)->name());
    }
    return names;
}

inline bool disabled(const std::string& name) {
    return name.rfind("DISABLED_", 0) == 0 || name.find(".DISABLED_") != std::string::npos;
}

inline std::vector<std::string> selected_tests() {
    std::string filter = GTEST_FLAG_GET(filter);
    bool also_disabled = GTEST_FLAG_GET(also_run_disabled_tests);
    std::vector<std::string> out;
    for (const auto& n : test_names())
        if (filter_selects(filter, n) && (also_disabled || !disabled(n))) out.push_back(n);
    return out;
}

inline std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
inline size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

// The suite and test names nearest to the words of the filter: those
// that contain a word ignoring case, else the closest by edit distance.
inline std::vector<std::string> nearest_names(const std::string& filter) {
    std::vector<std::string> words;
    std::string w;
    for (char c : filter.substr(0, filter.find('-'))) {
        if (c == ':' || c == '*' || c == '?' || c == '.') {
            if (!w.empty()) words.push_back(lower(w));
            w.clear();
        } else w += c;
    }
    if (!w.empty()) words.push_back(lower(w));
    std::vector<std::string> pool;
    for (const auto& n : test_names()) {
        std::string suite = n.substr(0, n.find('.'));
        if (std::find(pool.begin(), pool.end(), suite) == pool.end()) pool.push_back(suite);
        pool.push_back(n);
    }
    std::vector<std::string> out;
    for (const auto& n : pool)
        for (const auto& word : words)
            if (lower(n).find(word) != std::string::npos && out.size() < 8) out.push_back(n);
    if (!out.empty()) return out;
    std::vector<std::pair<size_t, std::string>> scored;
    for (const auto& n : pool) {
        std::string part = n.find('.') == std::string::npos ? n : n.substr(n.find('.') + 1);
        size_t best = std::string::npos;
        for (const auto& word : words) best = std::min({best, edit_distance(word, lower(n)), edit_distance(word, lower(part))});
        scored.emplace_back(best, n);
    }
    std::sort(scored.begin(), scored.end());
    for (size_t i = 0; i < scored.size() && i < 5; ++i) out.push_back(scored[i].second);
    return out;
}

// 0 when the filter selects at least one test; else says so and returns 1.
inline int check_filter_selects_something(const char* suite) {
    if (!selected_tests().empty()) return 0;
    std::string filter = GTEST_FLAG_GET(filter);
    std::fprintf(stderr, "%s: no test matches the filter '%s'%s\n", suite, filter.c_str(),
                 GTEST_FLAG_GET(also_run_disabled_tests) ? "" : " (DISABLED_ tests need EXERCISE=1)");
    std::vector<std::string> near = nearest_names(filter);
    if (!near.empty()) {
        std::fprintf(stderr, "  nearest names:");
        for (size_t i = 0; i < near.size(); ++i) std::fprintf(stderr, "%s %s", i ? "," : "", near[i].c_str());
        std::fprintf(stderr, "\n");
    }
    std::fprintf(stderr, "  (FILTER is part of a test's name, or a GoogleTest pattern such as 'Lesson05*')\n");
    return 1;
}

// The suites read the repository's tables and pages from METAL_SOURCE_DIR,
// which the Makefile makes "." (so a copy of the tree tests its own files):
// run from anywhere but the top of the tree they would read nothing, so
// they stop and say where to run them.
inline int check_run_from_source_dir(const char* suite) {
    if (std::FILE* f = std::fopen(METAL_SOURCE_DIR "/lessons/01-socket/reasons.tsv", "r")) {
        std::fclose(f);
        return 0;
    }
    std::fprintf(stderr, "%s: run it from the top of the repository (make unit, make asm-tests): it reads the "
                         "lessons' tables from %s/lessons/, which is not here\n", suite, METAL_SOURCE_DIR);
    return 2;
}

}  // namespace testmain

#endif
