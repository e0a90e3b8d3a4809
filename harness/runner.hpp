// harness/runner.hpp -- runs the selected fixtures against every
// implementation.  Fixtures that need nothing special share one server per
// implementation (in batches, so batches can run in parallel); a fixture
// with its own docroot changes, flags, background clients, docroot_after
// or server_after gets a server of its own.  A small thread pool runs the
// batches; each batch runs its fixtures one after another.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "check.hpp"
#include "client.hpp"
#include "fixture.hpp"
#include "http_response.hpp"
#include "server.hpp"

namespace harness {

// One fixture against one implementation.
struct Outcome {
    bool ran = false;              // false: skipped (--fail-fast)
    bool pass = false;
    std::string cell;              // the table cell: "200 105B", "exit 2", "no reply"
    std::vector<Assertion> assertions;
    std::vector<std::string> notes;     // extra facts (which repeat failed, server stderr)
    // HTTP fixtures: the (first failing, else last) exchange.
    Exchange exchange;
    Response response;
    std::string server_command;    // how the server was started (for the repro line)
    // Run fixtures.
    RunResult run;
};

struct FixtureResult {
    const Fixture* fixture = nullptr;
    std::vector<Outcome> outcomes;   // one per implementation, in --server order
    std::vector<std::string> differences;   // where the implementations disagree
};

struct RunOptions {
    std::string site;          // harness/site
    int jobs = 4;              // worker threads
    bool fail_fast = false;
    int start_timeout_ms = 10000;
};

std::vector<FixtureResult> run_fixtures(const std::vector<const Fixture*>& fixtures,
                                        const std::vector<Implementation>& impls, Workspace& ws,
                                        const RunOptions& opt);

// Where two bodies first differ, each side with a little context, escaped
// once and labelled with its implementation:
//     body bytes differ at byte 3 (cpp 6B, asm 5B)
//       cpp "abc\n"
//       asm "abd"
std::string body_difference(const std::string& a, const std::string& b, const std::string& la, const std::string& lb);

// The differences between two outcomes of the same fixture that a student
// should know about (status, body bytes, asserted headers, stdout, exit).
std::vector<std::string> compare_outcomes(const Fixture& f, const Outcome& a, const Outcome& b,
                                          const std::string& label_a, const std::string& label_b);

}  // namespace harness
