// tests/asm/tooling_test.cpp -- the suite's own main() (tests/asm/main.cpp)
// keeps going after a test that crashes.  These two only do something when
// tests/tools/check-test-main.sh asks (METAL_CRASH_ON_PURPOSE=1); in every
// other run they are skipped.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>

#include "api.h"

namespace {
bool asked() {
    const char* v = std::getenv("METAL_CRASH_ON_PURPOSE");
    return v && *v == '1';
}
}  // namespace

// str_len reads the bytes at s until a NUL: at address 8 there is no page,
// so it dies of SIGSEGV on its first load, inside str_len.
TEST(Tooling, ACrashInAsmIsReported) {
    if (!asked()) GTEST_SKIP() << "only for tests/tools/check-test-main.sh (METAL_CRASH_ON_PURPOSE=1)";
    volatile std::uintptr_t bad = 8;
    EXPECT_EQ(str_len(reinterpret_cast<const char*>(bad)), 0u);
}

// Runs after the crash, in a new process: it must pass.
TEST(Tooling, TheNextTestStillRuns) {
    if (!asked()) GTEST_SKIP() << "only for tests/tools/check-test-main.sh (METAL_CRASH_ON_PURPOSE=1)";
    EXPECT_EQ(str_len("four"), 4u);
}
