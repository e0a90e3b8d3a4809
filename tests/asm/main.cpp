// tests/asm/main.cpp -- the asm-vs-C++ suite's main().
//
// The suite is linked on three kinds of machine: x86-64 Linux (against a
// GoogleTest cross-built for aarch64), arm64 Linux and macOS (against the
// system's GoogleTest).  Only some of those libraries bring a main(), so the
// suite brings its own, the same everywhere: what links here links there.
#include <gtest/gtest.h>

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
