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

// make compare-NN FIXTURE=x with a name that does not exist suggests the
// names it probably meant: a typo, a prefix, the same words reordered.
TEST(ClosestNames, TyposPrefixesAndReorderedWords) {
    const std::vector<std::string> names = {"files-symlink-loop-403", "files-over-4gib-length-is-64-bit",
                                            "parse-echo-get-crlf",   "parse-echo-bare-lf",
                                            "parse-echo-head-request", "parse-400-obs-fold",
                                            "parse-400-obs-fold-tab", "socket-hello-fixed-response"};
    EXPECT_EQ(closest_names("parse-400-obs-fodl", names),
              (std::vector<std::string>{"parse-400-obs-fold", "parse-400-obs-fold-tab"}));
    EXPECT_EQ(closest_names("files-403-symlink-loop", names)[0], "files-symlink-loop-403");
    EXPECT_EQ(closest_names("files-head-over-4gib", names)[0], "files-over-4gib-length-is-64-bit");
    EXPECT_EQ(closest_names("parse-echo", names),
              (std::vector<std::string>{"parse-echo-bare-lf", "parse-echo-get-crlf", "parse-echo-head-request"}));
    EXPECT_TRUE(closest_names("completely-unrelated-words", names).empty());
    std::vector<std::string> many;
    for (int i = 0; i < 20; ++i) many.push_back("parse-echo-" + std::to_string(i));
    EXPECT_EQ(closest_names("parse-echo-", many).size(), 5u);   // at most five
}
