// harness/check.hpp -- turns "what the fixture expects" and "what came
// back" into a list of assertions, each ✓ or ✗ with a sentence a student
// can act on ("Content-Type: expected \"text/html\", got \"text/plain\"").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "client.hpp"
#include "fixture.hpp"
#include "http_response.hpp"
#include "server.hpp"

namespace harness {

struct Assertion {
    bool ok = false;
    std::string text;
};

// All assertions for one HTTP exchange.  `file_before` holds the content of
// expect.body.file in the docroot as it was before the request (nullopt:
// the file did not exist).  `docroot` is where docroot_after looks.
std::vector<Assertion> check_http(const Fixture& f, const Exchange& ex, const Response& r,
                                  const std::optional<std::string>& file_before, const std::string& docroot);

// All assertions for one program run (a "run" fixture).
std::vector<Assertion> check_run(const Fixture& f, const RunResult& r);

// "body differs at byte 37: expected \"...\" got \"...\"" -- or empty when
// the two are equal.  Shows a few escaped bytes around the difference.
std::string first_difference(const std::string& expected, const std::string& actual,
                             const std::string& what = "body");

// A header value against one expectation.
bool header_matches(const HeaderExpect& e, const std::optional<std::string>& actual);

// The lines of a server's stdout after its `listening on` line (a last
// line without its newline counts too).
std::vector<std::string> log_lines(const std::string& out);

// expect.log against a server's stdout: the same number of lines, each
// equal to its expected line, where "{date}" stands for a Common Log
// Format date ("07/Dec/2026:10:00:00 +0000") within 60 s of `now`.
std::vector<Assertion> check_log(const std::vector<std::string>& expected, const std::string& out, long long now);

// True when every assertion passed.
bool all_ok(const std::vector<Assertion>& list);

}  // namespace harness
