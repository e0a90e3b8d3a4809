// tests/support/civil_cases.hpp -- lesson 11's table of calendar instants
// and their seconds since 1970, shared by the native suite
// (tests/unit/11-caching_test.cpp: the C++ seconds_from_civil) and the
// target suite (tests/asm/11-caching_test.cpp: the assembly's, against the
// table and against the C++).  Each row says why it is there; the values
// are what the proleptic Gregorian calendar of RFC 9110 §5.6.7 gives
// (timegm(3) agrees on every one from 1900 on).
#pragma once

#include <cstdint>
#include <vector>

#include "records.h"

namespace testsupport {

inline constexpr std::int64_t kRfcExample = 784111777;   // RFC 9110 §5.6.7's example: Sun, 06 Nov 1994 08:49:37 GMT

struct CivilCase {
    std::int64_t year;
    std::uint64_t month, day, hour, minute, second;
    std::int64_t want;     // seconds since 1970-01-01 00:00:00 UTC
    const char* why;
};

inline std::vector<CivilCase> civil_cases() {
    return {
        {1970, 1, 1, 0, 0, 0, 0, "the epoch"},
        {1969, 12, 31, 23, 59, 59, -1, "a second before it: negative"},
        {1994, 11, 6, 8, 49, 37, kRfcExample, "RFC 9110 §5.6.7's example"},
        {1960, 1, 1, 0, 0, 0, -315619200, "before 1970"},
        {2000, 2, 29, 0, 0, 0, 951782400, "a leap day: 2000 is divisible by 400"},
        {2000, 3, 1, 0, 0, 0, 951868800, "the day after it"},
        {1900, 3, 1, 0, 0, 0, -2203891200, "1900 had no Feb 29: Mar 1 follows Feb 28"},
        {2038, 1, 19, 3, 14, 8, 2147483648LL, "past signed 32 bits"},
        {1600, 3, 1, 0, 0, 0, -11670912000LL, "an era boundary (400 years)"},
        {0, 1, 1, 0, 0, 0, HTTP_TIME_MIN, "the earliest HTTP-date"},
        {9999, 12, 31, 23, 59, 59, HTTP_TIME_MAX, "the latest"},
        {1998, 12, 31, 23, 59, 60, 915148800, "a leap second: the next minute's 00"},
        {1994, 11, 6, 8, 49, 60, kRfcExample + 23, "a leap second in the middle of a day, the same"},
    };
}

}  // namespace testsupport
