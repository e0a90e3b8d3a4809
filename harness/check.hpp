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

// A header value against one expectation; `now` is the harness's clock
// for {"http_date": "now"}.  SameAs needs the whole response: check_http
// compares it (here it only asks for a value).
bool header_matches(const HeaderExpect& e, const std::optional<std::string>& actual, long long now);
bool header_matches(const HeaderExpect& e, const std::optional<std::string>& actual);   // now: the clock

// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110 §5.6.7) ->
// seconds since 1970, or nullopt when the text is not one: the exact
// shape, a real date (no 30 Feb), the weekday that date had.  The
// harness's own reading (the C library's timegm), not the servers'.
std::optional<long long> imf_fixdate_seconds(const std::string& text);

// Seconds since 1970 -> an IMF-fixdate (the C library's gmtime_r).
std::string imf_fixdate(long long seconds);

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
