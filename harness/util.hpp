// harness/util.hpp -- small helpers every part of the harness uses:
// showing raw bytes readably, SHA-256, reading files, splitting commands.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace harness {

// Bytes as a one-line C-like string: printable ASCII stays, \r \n \t and
// backslash are escaped, everything else becomes \xHH.  Students see exactly
// which bytes travelled, including the invisible ones.
std::string escape(std::string_view bytes);

// The same, but a line break is kept after every escaped \n, so a head reads
// as lines.  Each line gets `indent` in front.
std::string escape_lines(std::string_view bytes, std::string_view indent);

// Bytes as a single-quoted argument for bash's printf: `printf 'GET /\r\n'`.
// % becomes %%, ' becomes '\'' and non-printable bytes become \xHH.
std::string printf_quote(std::string_view bytes);

// A string as one shell word (single quotes, ' escaped) for copy & paste.
std::string shell_quote(std::string_view s);

// Lower-case hex SHA-256 of the bytes (FIPS 180-4), written here so the
// harness needs no crypto library.
std::string sha256_hex(std::string_view bytes);

// ASCII lower-casing, for header names (they are case-insensitive).
std::string lower(std::string_view s);

// Whole file into a string; false when it cannot be opened.
bool read_file(const std::string& path, std::string& out);

// "a  b c" -> {"a", "b", "c"}.
std::vector<std::string> split_words(std::string_view s);

// Up to `max` of `names` that look like `wanted`, the likeliest first:
// a typo away (edit distance), starting with it, or sharing at least two
// of its dash-separated words ("files-403-symlink-loop" finds
// "files-symlink-loop-403").  Empty when nothing is close.
std::vector<std::string> closest_names(std::string_view wanted, const std::vector<std::string>& names,
                                       size_t max = 5);

// Milliseconds on a monotonic clock.
int64_t now_ms();

// Sleep this many milliseconds (nothing for <= 0).
void sleep_ms(int64_t ms);

}  // namespace harness
