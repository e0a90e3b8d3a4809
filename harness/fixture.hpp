// harness/fixture.hpp -- one fixture = one request (or one program run) and
// what must come back.  The format is documented in docs/fixtures.md and
// harness/fixtures.schema.json; load_fixtures() checks every rule there and
// stops at the first problem with the file, the fixture's name and what is
// wrong, because a typo in a fixture must never turn into a silent pass.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace harness {

// A malformed fixture file: the harness prints what() and exits with 2.
struct FixtureError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One piece of the request, written with one write() after a pause.
struct Chunk {
    std::string data;
    int delay_ms = 0;   // pause before this piece is sent
};

// A directory of many files: count files named prefix + a number with
// leading zeros (as many digits as count - 1 has), so that byte order is
// number order: {"count": 10000, "prefix": "f-"} makes f-0000 ... f-9999.
struct ManyFiles {
    uint64_t count = 0;
    std::string prefix;
    std::string content;   // every file's bytes
    // The name of file i (0 <= i < count).
    std::string name(uint64_t i) const;
};

// A file the fixture creates, changes or removes in the server's docroot
// before the server starts ("docroot": {"path": {...}}).
struct DocrootChange {
    std::string path;                  // relative to the docroot
    std::optional<std::string> content;
    std::optional<uint64_t> size;      // sparse file of this many bytes
    std::optional<unsigned> mode;      // from an octal string like "0644"
    std::optional<std::string> symlink;
    bool dir = false;
    bool absent = false;
    std::optional<ManyFiles> many;     // the path becomes a directory of many files
    std::optional<int64_t> mtime;      // its modification time, seconds since 1970 (lesson 11), set last
};

// A connection opened before the main request and held open meanwhile.
struct BackgroundClient {
    std::string send;
    int hold_ms = 0;
};

// A signal the harness sends to the server while the request is in flight
// ("signal": {"name": "SIGTERM", "after_ms": 300, "to": "server"}): to the
// server's process only, or ("to": "group") to its whole process group,
// children included, as a terminal's Ctrl-C does.
struct SignalSpec {
    std::string name;   // "SIGTERM" or "SIGINT"
    int signo = 0;
    int after_ms = 0;   // after the connection is open and the request sent
    bool group = false;
};

// A limit the harness lowers on the running server for a while ("limit":
// {"resource": "descriptors", "for_ms": 1000, "cpu_below_percent": 10}):
// "descriptors" -- RLIMIT_NOFILE to the number it has open, so the next
// accept fails with EMFILE; "processes" -- RLIMIT_NPROC to 1, so every
// fork fails with EAGAIN.  Lowered once the server listens (and the
// background clients are connected), restored for_ms later, before any
// follow-up request; cpu_below_percent: the server process's CPU time in
// that window, as a share of the window, must stay below it (no spinning).
struct LimitSpec {
    std::string resource;
    int for_ms = 0;
    std::optional<int> cpu_below_percent;
};

// An expected header value: exact text, a regex (whole value), absent, or
// (lesson 11) an IMF-fixdate: within kDateSlackSeconds of the harness's
// clock ({"http_date": "now"}), or exactly the given second
// ({"http_date": 784111777}); or the same value as another field of the
// response ({"same_as": "Date"}).
struct HeaderExpect {
    enum class Kind { Exact, Regex, Absent, HttpDateNow, HttpDateAt, SameAs } kind = Kind::Exact;
    std::string value;      // Exact, Regex; SameAs: the other field's name
    int64_t seconds = 0;    // HttpDateAt
};

// How far an {"http_date": "now"} may be from the harness's clock when the
// response is checked, either way.
inline constexpr long long kDateSlackSeconds = 10;

// The earliest and latest second an HTTP-date can show (years 0000 ..
// 9999, four digits: RFC 9110 §5.6.7): the range of docroot mtimes and
// http_date seconds a fixture may give.
inline constexpr long long kHttpDateMinSeconds = -62167219200LL;
inline constexpr long long kHttpDateMaxSeconds = 253402300799LL;

// An expected body (or stdout/stderr text).
struct BodyExpect {
    enum class Kind { Exact, File, Sha256, Contains, Empty, Size, ContainsInOrder } kind = Kind::Exact;
    std::string value;   // text, docroot-relative file name, or hex digest
    uint64_t size = 0;
    std::vector<std::string> items;   // ContainsInOrder: each found after the one before
};

// What a file in the docroot must look like after the request; for
// Names, the path is a directory holding exactly these names (no leftover
// temporary file, nothing missing).
struct DocrootAfter {
    std::string path;
    enum class Kind { Content, Absent, Sha256, Names } kind = Kind::Content;
    std::string value;
    std::vector<std::string> names;   // Names, sorted
};

struct Expect {
    std::vector<int> status;                                   // any of these
    std::vector<std::pair<std::string, HeaderExpect>> headers;  // name as written
    std::optional<BodyExpect> body;
    bool no_response = false;
    bool cut = false;   // the body ends early: fewer bytes than Content-Length, then the close (lesson 10)
    // the server's stdout after its `listening on` line, once the fixture
    // (and its "then" requests) are done: exactly these lines, in order;
    // "{date}" in one stands for a Common Log Format date within a minute
    // of the harness's clock (lesson 10's access log)
    std::optional<std::vector<std::string>> log;
    std::vector<DocrootAfter> docroot_after;
    std::optional<std::vector<int>> interim;   // exactly these 1xx responses came first ([] = none)
    // Program runs (lesson 00 style).
    std::optional<std::string> stdout_text;
    std::optional<BodyExpect> stderr_text;   // Exact or Contains
    std::optional<int> exit_status;
};

struct Fixture {
    std::string file;    // lessons/NN-slug/fixtures.json
    std::string name;
    int since = 0;
    std::optional<int> until;
    std::string why, spec;

    // How the request travels.
    std::string request;            // all bytes (also set when chunks are used)
    std::vector<Chunk> chunks;      // the pieces actually written
    bool uses_chunks = false;
    int split_bytes = 0;
    bool half_close = false;
    int timeout_ms = 5000;
    int read_after_ms = 0;   // a client that does not read: wait this long after sending (small receive buffer)
    int reset_after_bytes = 0;   // the client resets the connection (RST) once it has read this many bytes
    std::optional<SignalSpec> signal;
    std::optional<LimitSpec> limit;
    int repeat = 1;
    std::vector<BackgroundClient> background_clients;

    // What the machine must offer ("needs"): "case-sensitive-disk" for a
    // fixture whose docroot holds two names that differ only in case (on a
    // disk that folds case, as macOS's does by default, they are one file:
    // the harness skips such a fixture there, and says so).
    std::vector<std::string> needs;
    bool needs_case_sensitive_disk() const;

    // The server this fixture needs.
    std::vector<std::string> flags;
    std::vector<DocrootChange> docroot;
    std::optional<int> zombies_after;   // server_after.zombies
    std::optional<int> children_after;  // server_after.children: children still running (any state but zombie)
    std::optional<int> exit_after;      // server_after.exit: the server must have exited with this status

    // A program run instead of a request.
    bool is_run = false;
    std::vector<std::string> run_args;

    // An exercise's fixture (the Exercises section of a lesson page):
    // skipped unless the harness runs that exercise (--exercise NN-slug,
    // `make lesson-NN EXERCISE=NN-slug`); then the fixtures it names in
    // `replaces` (answers the exercise changes on purpose) are left out.
    std::string exercise;                 // "" for an ordinary fixture
    std::vector<std::string> replaces;

    Expect expect;

    // Follow-up requests ("then"), each on a new connection to the same
    // server once the main response (and its checks) are done: what a
    // PUT or DELETE left behind, as a client sees it.
    struct FollowUp {
        std::string request;
        bool half_close = false;   // shutdown(SHUT_WR) after sending
        Expect expect;
    };
    std::vector<FollowUp> then;

    // True when the lesson number n is in [since, until].
    bool applies_to(int n) const { return since <= n && (!until || n <= *until); }
    // True when the fixture cannot share a server with other fixtures.
    bool needs_own_server() const;
    // Fixtures with the same key run against the same server process.
    std::string server_key() const;
};

// Checks and converts one fixture; `file` is only used in error messages.
Fixture parse_fixture(const nlohmann::json& j, const std::string& file, size_t index);

// Checks and converts one fixtures.json document (an array).
std::vector<Fixture> parse_fixture_file(const std::string& text, const std::string& file);

// Loads every <root>/lessons/*/fixtures.json in lesson order and checks
// that names are unique across all of them.  Throws FixtureError.
std::vector<Fixture> load_fixtures(const std::string& root);

// Throws FixtureError when two fixtures share a name.
void check_unique_names(const std::vector<Fixture>& all);

// Throws FixtureError when a fixture replaces one that does not exist, or
// one that belongs to an exercise itself.
void check_replaced_names(const std::vector<Fixture>& all);

// The exercises the fixtures belong to, sorted, each once.
std::vector<std::string> exercise_names(const std::vector<Fixture>& all);

// The names of the fixtures the exercise's fixtures replace.
std::set<std::string> replaced_by(const std::vector<Fixture>& all, const std::string& exercise);

// Does fixture f run for lesson n when the exercise `exercise` ("" for
// none) is on, and `replaced` = replaced_by(all, exercise)?  Ordinary
// fixtures run when they apply to n and are not replaced; an exercise's
// fixtures only with their exercise (and when they apply to n).
bool selected_for(const Fixture& f, int n, const std::string& exercise, const std::set<std::string>& replaced);

}  // namespace harness
