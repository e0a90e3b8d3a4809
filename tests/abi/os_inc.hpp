// tests/abi/os_inc.hpp -- read the constants of an asm/os/*/os.inc file and
// the committed tables tests/abi/*.tsv, so tests can compare them.
#pragma once

#include <map>
#include <string>

namespace abicheck {

struct Constants {
    std::map<std::string, long long> values;   // NAME -> value
    std::string error;                         // non-empty if the file could not be read
};

// Every `.equ NAME, literal` line of an os.inc file (decimal, 0x hex, 0-octal,
// optionally negative).  Lines whose value is an expression must carry the
// comment `// derived`; any other `.equ` that is not a literal is an error,
// so nothing escapes the check by being written differently.
Constants read_os_inc(const std::string& path);

// NAME<TAB>VALUE<TAB>SOURCE lines of a committed table ('#' = comment).
Constants read_table(const std::string& path);

}  // namespace abicheck
