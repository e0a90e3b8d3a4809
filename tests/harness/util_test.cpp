// tests/harness/util_test.cpp -- escaping and SHA-256.
#include <gtest/gtest.h>

#include "util.hpp"

using namespace harness;

TEST(Sha256, KnownVectors) {
    // FIPS 180-4 examples (NIST CSRC "SHA256.pdf") and the empty string.
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, ThreeMillionZeroBytesMatchLessonFourFixture) {
    // lessons/04-files: a 3,000,000-byte sparse file (all zeros) has this digest.
    EXPECT_EQ(sha256_hex(std::string(3000000, '\0')),
              "35bce4eae54ec8e6cc2868baa8d157914d6ae2858811b4cc0c078c94460fa26f");
}

TEST(Escape, InvisibleBytesBecomeVisible) {
    EXPECT_EQ(escape("GET /\r\n\t\\\x01\xff"), "GET /\\r\\n\\t\\\\\\x01\\xff");
    EXPECT_EQ(escape_lines("a\r\nb\r\n", "  "), "  a\\r\\n\n  b\\r\\n");
}

TEST(Escape, PrintfQuoteSurvivesPercentAndQuote) {
    EXPECT_EQ(printf_quote("100%'\r\n"), "'100%%'\\''\\r\\n'");
}

TEST(SplitWords, CommandPrefix) {
    EXPECT_EQ(split_words("  qemu-aarch64   build/x  "), (std::vector<std::string>{"qemu-aarch64", "build/x"}));
}
