// tests/support/ranges_cases.hpp -- lesson 07's table of Range values and
// what each means for a file of a given size, shared by the native suite
// (tests/unit/07-ranges_test.cpp: the C++ parse_range) and the target
// suite (tests/asm/07-ranges_test.cpp: the assembly's, against the table
// and against the C++).  Every row's `why` names the rule it comes from:
// RFC 9110 §14.1.2 (its examples first), §14.1.1, §14.2, §5.6.1, or the
// lesson 07 rules in lessons/07-ranges/README.md.
#pragma once

#include <cstdint>
#include <vector>

#include "records.h"

namespace testsupport {

inline constexpr std::uint64_t kU64Max = ~std::uint64_t{0};

struct RangeCase {
    const char* value;     // the Range field value, as parse_range gets it
    std::uint64_t size;    // the file's size
    int want;              // RANGE_OK, RANGE_UNSATISFIABLE or RANGE_IGNORE
    std::uint64_t first;   // RANGE_OK only: the first byte ...
    std::uint64_t count;   // ... and how many
    const char* why;
};

inline std::vector<RangeCase> range_cases() {
    constexpr int ok = RANGE_OK;
    constexpr int bad = RANGE_UNSATISFIABLE;
    constexpr int no = RANGE_IGNORE;
    return {
        // RFC 9110 §14.1.2's examples, for a representation of 10000 bytes
        {"bytes=0-499", 10000, ok, 0, 500, "§14.1.2: the first 500 bytes"},
        {"bytes=500-999", 10000, ok, 500, 500, "§14.1.2: the second 500 bytes"},
        {"bytes=-500", 10000, ok, 9500, 500, "§14.1.2: the final 500 bytes, as a suffix"},
        {"bytes=9500-", 10000, ok, 9500, 500, "§14.1.2: the final 500 bytes, open-ended"},
        {"bytes=0-0,-1", 10000, no, 0, 0, "§14.1.2: first and last byte are two ranges: lesson 07 ignores several"},
        {"bytes=500-600,601-999", 10000, no, 0, 0, "§14.1.2: two ranges (not canonical): ignored"},
        {"bytes=500-700,601-999", 10000, no, 0, 0, "§14.1.2: two overlapping ranges: ignored"},
        {"bytes= 0-999, 4500-5499, -1000", 10000, no, 0, 0, "§14.1.2's example with OWS: valid, but three ranges"},
        {"bytes= 0-999", 10000, ok, 0, 1000, "§14.1.1 + erratum 7306: OWS after '='"},
        // the three forms on a 6-byte file
        {"bytes=0-5", 6, ok, 0, 6, "§14.1.2: the whole file as a range"},
        {"bytes=0-0", 6, ok, 0, 1, "§14.1.2: positions are inclusive: one byte"},
        {"bytes=5-5", 6, ok, 5, 1, "§14.1.2: the last byte"},
        {"bytes=2-", 6, ok, 2, 4, "§14.1.2: no last-pos: to the end"},
        {"bytes=5-", 6, ok, 5, 1, "§14.1.2: from the last byte to the end"},
        {"bytes=0-", 6, ok, 0, 6, "§14.1.2: all of it, still a range"},
        {"bytes=4-100", 6, ok, 4, 2, "§14.1.2: last-pos past the end is the last byte"},
        {"bytes=-3", 6, ok, 3, 3, "§14.1.2: the last 3 bytes"},
        {"bytes=-6", 6, ok, 0, 6, "§14.1.2: a suffix as long as the file"},
        {"bytes=-7", 6, ok, 0, 6, "§14.1.2: a suffix longer than the file: all of it"},
        {"bytes=0001-0002", 6, ok, 1, 2, "§14.1.2: 1*DIGIT allows leading zeros"},
        {"bytes=000000000000000000000000000005-", 6, ok, 5, 1, "lesson 07 rule: 30 digits that are 5"},
        // unsatisfiable: 416
        {"bytes=6-", 6, bad, 0, 0, "§14.1.2: first-pos = length: no byte"},
        {"bytes=6-6", 6, bad, 0, 0, "§14.1.2: first-pos = length"},
        {"bytes=100-200", 6, bad, 0, 0, "§14.1.2: past the end"},
        {"bytes=-0", 6, bad, 0, 0, "§14.1.2: only a non-zero suffix-length is satisfiable"},
        {"bytes=-0000", 6, bad, 0, 0, "§14.1.2: zero, however written"},
        // an empty file
        {"bytes=0-0", 0, bad, 0, 0, "§14.1.2: an empty file has no byte 0"},
        {"bytes=0-", 0, bad, 0, 0, "§14.1.2: first-pos 0 is not < 0"},
        {"bytes=-0", 0, bad, 0, 0, "§14.1.2: a zero suffix"},
        {"bytes=-1", 0, no, 0, 0, "§14.1.2 satisfiable, nothing to send: §14.2 MAY ignore"},
        {"bytes=-99999999999999999999", 0, no, 0, 0, "§14.2: a suffix on an empty file is ignored"},
        // a 1-byte file
        {"bytes=0-", 1, ok, 0, 1, "§14.1.2"},
        {"bytes=-1", 1, ok, 0, 1, "§14.1.2"},
        {"bytes=1-", 1, bad, 0, 0, "§14.1.2"},
        // not a range-spec (§14.1.2), or no ranges-specifier (§14.1.1): ignored (§14.2)
        {"bytes=4-2", 6, no, 0, 0, "§14.1.2: last-pos < first-pos is invalid"},
        {"bytes=abc", 6, no, 0, 0, "§14.1.2: not digits"},
        {"bytes=5", 6, no, 0, 0, "§14.1.2: no dash"},
        {"bytes=", 6, no, 0, 0, "§14.1.1: 1#range-spec needs one"},
        {"bytes=-", 6, no, 0, 0, "§14.1.2: suffix-length = 1*DIGIT"},
        {"bytes=1-2-3", 6, no, 0, 0, "§14.1.2: one dash"},
        {"bytes=--1", 6, no, 0, 0, "§14.1.2: no sign"},
        {"bytes=-1-", 6, no, 0, 0, "§14.1.2: a suffix is digits only"},
        {"bytes=-1-2", 6, no, 0, 0, "§14.1.2: a suffix is digits only"},
        {"bytes=+1-2", 6, no, 0, 0, "§14.1.2: first-pos = 1*DIGIT"},
        {"bytes=1-+2", 6, no, 0, 0, "§14.1.2: last-pos = 1*DIGIT"},
        {"bytes=0x1-0x2", 6, no, 0, 0, "§14.1.2: decimal only"},
        {"bytes=1 -2", 6, no, 0, 0, "§14.1.2: no whitespace inside a range-spec"},
        {"bytes=1- 2", 6, no, 0, 0, "§14.1.2: no whitespace inside a range-spec"},
        {"bytes=1-2 ", 6, no, 0, 0, "§5.6.1: OWS only around a comma (a field value never ends in it)"},
        {"bytes=1-2=3", 6, no, 0, 0, "§14.1.2: '=' is not part of a range"},
        {"bytes=,", 6, no, 0, 0, "§5.6.1.2: empty elements do not count: none left"},
        {"bytes=, ,\t,", 6, no, 0, 0, "§5.6.1.2: only empty elements"},
        {"bytes=\t", 6, no, 0, 0, "§14.1.1: OWS and no range-spec"},
        {"items=0-1", 6, no, 0, 0, "§14.2: an unknown range unit MUST be ignored"},
        {"bytes = 1-2", 6, no, 0, 0, "§14.1.1: the unit is a token: no space before '='"},
        {"byte=0-1", 6, no, 0, 0, "§14.2: not the bytes unit"},
        {"bytess=0-1", 6, no, 0, 0, "§14.2: not the bytes unit"},
        {"bytes0-1", 6, no, 0, 0, "§14.1.1: no '='"},
        {"=0-1", 6, no, 0, 0, "§14.1.1: no unit"},
        {"", 6, no, 0, 0, "§14.1.1: nothing"},
        {"bytes", 6, no, 0, 0, "§14.1.1: no '='"},
        // the unit in any case (§14.1)
        {"BYTES=1-2", 6, ok, 1, 2, "§14.1: range unit names are case-insensitive"},
        {"Bytes=1-2", 6, ok, 1, 2, "§14.1"},
        {"bYtEs=-2", 6, ok, 4, 2, "§14.1"},
        // the list: OWS around commas, empty elements (§5.6.1, §5.6.1.2)
        {"bytes=\t1-2", 6, ok, 1, 2, "§14.1.1 + erratum 7306: OWS (a tab) after '='"},
        {"bytes=1-2 ,", 6, ok, 1, 2, "§5.6.1: OWS before a comma; an empty element after it"},
        {"bytes=,1-2", 6, ok, 1, 2, "§5.6.1.2: an empty element first"},
        {"bytes=1-2,,,", 6, ok, 1, 2, "§5.6.1.2: empty elements do not count"},
        {"bytes= , 1-2 \t, ", 6, ok, 1, 2, "§5.6.1: OWS on both sides of every comma"},
        {"bytes= ,1-2", 6, ok, 1, 2, "§5.6.1: OWS, an empty element, a comma"},
        {"bytes=1-2 , 3-4", 6, no, 0, 0, "two ranges: lesson 07 rule (§14.2 MAY ignore)"},
        {"bytes=1-2,-1", 6, no, 0, 0, "two ranges: ignored"},
        {"bytes=1-2,x", 6, no, 0, 0, "a second element, invalid: ignored either way"},
        {"bytes=x,1-2", 6, no, 0, 0, "an invalid element first: ignored"},
        // numbers past 64 bits saturate (§14.1.2: prevent overflows; lesson 07 rule)
        {"bytes=0-99999999999999999999999", 6, ok, 0, 6, "a huge last-pos is past the end"},
        {"bytes=99999999999999999999-", 6, bad, 0, 0, "a huge first-pos is past the end"},
        {"bytes=-99999999999999999999", 6, ok, 0, 6, "a huge suffix is the whole file"},
        {"bytes=18446744073709551616-18446744073709551617", 6, bad, 0, 0, "2^64 must not wrap to 0"},
        {"bytes=18446744073709551616-", 6, bad, 0, 0, "2^64 must not wrap to 0"},
        {"bytes=0-18446744073709551616", 6, ok, 0, 6, "2^64 must not wrap to 0 (that would be 0-0)"},
        {"bytes=-18446744073709551617", 6, ok, 0, 6, "2^64 + 1 must not wrap to 1"},
        {"bytes=99999999999999999999-99999999999999999998", 6, bad, 0, 0,
         "both saturate to 2^64 - 1: their order is lost, and both are past the end: 416 (lesson 07 rule)"},
        {"bytes=18446744073709551615-", kU64Max, bad, 0, 0, "first-pos = 2^64 - 1 = size"},
        {"bytes=18446744073709551614-", kU64Max, ok, kU64Max - 1, 1, "the last byte of the largest size"},
        {"bytes=0-", kU64Max, ok, 0, kU64Max, "count = 2^64 - 1 fits"},
        {"bytes=-18446744073709551615", kU64Max, ok, 0, kU64Max, "a suffix as long as the largest size"},
        {"bytes=-1", kU64Max, ok, kU64Max - 1, 1, "the last byte"},
        {"bytes=9223372036854775807-", 9223372036854775808ULL, ok, 9223372036854775807ULL, 1, "2^63 - 1 of 2^63"},
        // past 4 GiB: every bit of the offsets counts
        {"bytes=4294967296-4294967305", 4294967306, ok, 4294967296, 10, "offsets above 2^32"},
        {"bytes=-10", 4294967306, ok, 4294967296, 10, "a suffix that starts at 2^32"},
        {"bytes=4294967295-4294967296", 4294967297, ok, 4294967295, 2, "across 2^32"},
        {"bytes=4294967296-", 4294967296, bad, 0, 0, "first-pos = 2^32 = size"},
        {"bytes=0-4294967296", 4294967295, ok, 0, 4294967295, "clamped to a size of 2^32 - 1"},
    };
}

}  // namespace testsupport
