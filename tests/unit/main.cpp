// tests/unit/main.cpp -- the C++ unit suite's main(): GoogleTest's own,
// except that a filter that selects nothing (make unit FILTER=Lesson99)
// fails and names the nearest tests instead of passing on zero tests
// (tests/support/gtest_main.hpp).
#include "../support/gtest_main.hpp"

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    if (!GTEST_FLAG_GET(list_tests)) {
        if (int rc = testmain::check_filter_selects_something("unit-tests")) return rc;
        if (int rc = testmain::check_run_from_source_dir("unit-tests")) return rc;
    }
    return RUN_ALL_TESTS();
}
