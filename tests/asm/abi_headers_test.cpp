// tests/asm/abi_headers_test.cpp -- the OS include the assembly is built with
// (asm/os/<this os>/os.inc) against the platform's REAL headers.
// Runs on the target: aarch64 Linux (under qemu on x86-64) or a Mac.
#include <gtest/gtest.h>

#include "../abi/header_values.hpp"
#include "../abi/os_inc.hpp"

#ifndef METAL_OS_INC
#error "build with -DMETAL_OS_INC=\"path/to/os.inc\""
#endif

TEST(AbiHeaders, EveryIncludeConstantMatchesTheRealHeaders) {
    abicheck::Constants inc = abicheck::read_os_inc(METAL_OS_INC);
    ASSERT_EQ(inc.error, "");
    ASSERT_GT(inc.values.size(), 100u) << "suspiciously few constants read from " << METAL_OS_INC;
    auto real = abicheck::header_values();
    for (const auto& [name, value] : inc.values) {
        if (name == "OS_LINUX" || name == "OS_DARWIN") continue;   // our own switch, not an ABI fact
        auto it = real.find(name);
        if (it == real.end()) {
            ADD_FAILURE() << name << " is in " << METAL_OS_INC
                          << " but tests/abi/header_values_*.cpp does not probe it: add it there";
            continue;
        }
        EXPECT_EQ(value, it->second) << name << ": os.inc says " << value
                                     << ", the real headers say " << it->second;
    }
}
