// harness/report.hpp -- what the student reads: one row per fixture, the
// details of every failure (request, expected vs actual head, each check,
// the first differing body byte, a line to reproduce it by hand), the
// closing "N passed, N failed" line; the same as JSON; and the side-by-side
// view of --compare.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner.hpp"

namespace harness {

struct Totals {
    int passed = 0;
    int failed = 0;
};

Totals count(const std::vector<FixtureResult>& results);

// "✓ 200 105B │ ✓ 200 105B  name" rows.
void print_table(std::ostream& os, const std::vector<FixtureResult>& results, const std::vector<Implementation>& impls);

// Every failure in detail.
void print_failures(std::ostream& os, const std::vector<FixtureResult>& results,
                    const std::vector<Implementation>& impls);

// The request as it travels, one escaped line per request line.
std::string describe_request(const Fixture& f);

// Shell lines that start the server on a fresh copy of the site and send
// the request with printf | nc.
std::string reproduction(const Fixture& f, const std::string& server_command);

nlohmann::json to_json(int lesson, const std::vector<FixtureResult>& results, const std::vector<Implementation>& impls);

// The request, then the raw responses: side by side when `columns` (the
// screen's width) is at least 120, one under the other below that.  No
// line is wider than `columns`.
void print_compare(std::ostream& os, const FixtureResult& r, const std::vector<Implementation>& impls,
                   size_t columns = 80);

// text with `indent` in front of every line.
std::string indent_lines(const std::string& text, const std::string& indent);

// Number of characters a UTF-8 string takes on screen (one per code point).
size_t display_width(const std::string& s);

}  // namespace harness
