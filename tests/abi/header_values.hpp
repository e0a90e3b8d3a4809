// tests/abi/header_values.hpp -- the values the platform's real headers give
// for the names asm/os/<this os>/os.inc defines.  Compiled for the target:
// aarch64 Linux (cross compiler, Linux UAPI + glibc headers) or macOS (SDK).
#pragma once

#include <map>
#include <string>

namespace abicheck {

std::map<std::string, long long> header_values();


}  // namespace abicheck
