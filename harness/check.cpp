// harness/check.cpp -- see check.hpp.
#include "check.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <regex>
#include <sys/stat.h>
#include <sys/wait.h>

#include "tree.hpp"
#include "util.hpp"

namespace harness {

namespace {
std::string shown(std::string_view s, size_t max = 120) {
    std::string e = escape(s.substr(0, max));
    return "\"" + e + (s.size() > max ? "...\"" : "\"");
}

// Where a contains_in_order search stopped: the bytes just before `from`
// (the end of the last item found) and the bytes after it, where the
// missing item was looked for, with a "|" between them, so a reader sees
// what the body holds there instead of the whole body.
std::string where_match_stopped(std::string_view actual, size_t from, size_t found) {
    constexpr size_t before = 40, after = 120;
    size_t start = from > before ? from - before : 0;
    std::string out = "\n        the match stopped at byte " + std::to_string(from) + " of " +
                      std::to_string(actual.size()) +
                      (found ? " (the end of item " + std::to_string(found) + ")" : " (the start)") + ": ";
    out += (start ? "...\"" : "\"") + escape(actual.substr(start, from - start)) + "\" | ";
    out += from == actual.size() ? "(the end of the body)" : shown(actual.substr(from), after);
    return out;
}

std::string status_list(const std::vector<int>& st) {
    std::string out;
    for (size_t i = 0; i < st.size(); ++i) out += (i ? (i + 1 == st.size() ? " or " : ", ") : "") + std::to_string(st[i]);
    return out;
}

// One body (or stdout/stderr) expectation.
Assertion check_text(const std::string& what, const BodyExpect& b, const std::string& actual,
                     const std::optional<std::string>& file_before) {
    switch (b.kind) {
        case BodyExpect::Kind::Exact:
            if (actual == b.value) return {true, what + " is the expected " + std::to_string(actual.size()) + " bytes"};
            return {false, first_difference(b.value, actual, what)};
        case BodyExpect::Kind::File:
            if (!file_before) return {false, what + " should be the file " + b.value + ", which is not in the docroot"};
            if (actual == *file_before)
                return {true, what + " is the file " + b.value + " (" + std::to_string(actual.size()) + " bytes)"};
            return {false, first_difference(*file_before, actual, what) + "\n        (expected: the file " + b.value + ")"};
        case BodyExpect::Kind::Sha256: {
            std::string got = sha256_hex(actual);
            if (got == b.value) return {true, what + " has SHA-256 " + b.value.substr(0, 16) + "..."};
            return {false, what + " (" + std::to_string(actual.size()) + " bytes): SHA-256 expected " + b.value +
                               ", got " + got};
        }
        case BodyExpect::Kind::Contains:
            if (actual.find(b.value) != std::string::npos) return {true, what + " contains " + shown(b.value)};
            return {false, what + " should contain " + shown(b.value) + ", got " + shown(actual)};
        case BodyExpect::Kind::ContainsInOrder: {
            size_t from = 0;   // each item is looked for after the end of the one before
            for (size_t i = 0; i < b.items.size(); ++i) {
                size_t at = actual.find(b.items[i], from);
                if (at != std::string::npos) {
                    from = at + b.items[i].size();
                    continue;
                }
                size_t first = actual.find(b.items[i]);
                bool anywhere = first != std::string::npos;
                return {false, what + ": item " + std::to_string(i + 1) + " of " + std::to_string(b.items.size()) +
                                   ", " + shown(b.items[i]) +
                                   (i == 0 ? " is missing"
                                           : anywhere ? " comes before " + shown(b.items[i - 1]) + ", not after it" +
                                                            " (it is at byte " + std::to_string(first) + ")"
                                                      : " is missing (after " + shown(b.items[i - 1]) + ")") +
                                   where_match_stopped(actual, from, i)};
            }
            return {true, what + " contains the " + std::to_string(b.items.size()) + " items in order"};
        }
        case BodyExpect::Kind::Empty:
            if (actual.empty()) return {true, what + " is empty"};
            return {false, what + " should be empty, got " + std::to_string(actual.size()) + " bytes: " + shown(actual, 60)};
        case BodyExpect::Kind::Size:
            if (actual.size() == b.size) return {true, what + " is " + std::to_string(b.size) + " bytes"};
            return {false, what + " should be " + std::to_string(b.size) + " bytes, got " + std::to_string(actual.size())};
    }
    return {false, "?"};
}
}  // namespace

std::vector<std::string> log_lines(const std::string& out) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < out.size()) {
        std::size_t nl = out.find('\n', at);
        std::size_t end = nl == std::string::npos ? out.size() : nl;
        lines.push_back(out.substr(at, end - at));
        at = end + 1;
    }
    if (!lines.empty() && lines.front().rfind("listening on ", 0) == 0) lines.erase(lines.begin());
    return lines;
}

std::vector<Assertion> check_log(const std::vector<std::string>& expected, const std::string& out, long long now) {
    static const std::string kDate = "{date}";
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::vector<Assertion> list;
    std::vector<std::string> got = log_lines(out);
    for (std::size_t i = 0; i < std::max(expected.size(), got.size()); ++i) {
        std::string label = "log line " + std::to_string(i + 1) + ": ";
        if (i >= got.size()) {
            list.push_back({false, label + "missing (expected \"" + escape(expected[i]) + "\")"});
            continue;
        }
        if (i >= expected.size()) {
            list.push_back({false, label + "one too many: \"" + escape(got[i]) + "\""});
            continue;
        }
        // the expected line as a regex: its text literal, each {date} a
        // CLF date whose six numbers are captured
        std::string re;
        std::size_t at = 0, dates = 0;
        for (;;) {
            std::size_t d = expected[i].find(kDate, at);
            std::string part = expected[i].substr(at, d == std::string::npos ? std::string::npos : d - at);
            for (char c : part) {
                if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) re += '\\';
                re += c;
            }
            if (d == std::string::npos) break;
            re += "([0-9]{2})/([A-Z][a-z]{2})/([0-9]{4}):([0-9]{2}):([0-9]{2}):([0-9]{2}) \\+0000";
            ++dates;
            at = d + kDate.size();
        }
        std::smatch m;
        if (!std::regex_match(got[i], m, std::regex(re))) {
            list.push_back({false, label + "expected \"" + escape(expected[i]) + "\", got \"" + escape(got[i]) + "\""});
            continue;
        }
        std::string problem;
        for (std::size_t k = 0; k < dates && problem.empty(); ++k) {
            auto num = [&](int g) { return std::stoi(m[static_cast<int>(6 * k) + g].str()); };
            int month = 0;
            while (month < 12 && m[static_cast<int>(6 * k) + 2].str() != kMonths[month]) ++month;
            std::tm t{};
            t.tm_mday = num(1);
            t.tm_mon = month;
            t.tm_year = num(3) - 1900;
            t.tm_hour = num(4);
            t.tm_min = num(5);
            t.tm_sec = num(6);
            std::tm back = t;
            long long when = static_cast<long long>(::timegm(&back));
            bool valid = month < 12 && back.tm_mday == t.tm_mday && back.tm_mon == t.tm_mon &&
                         back.tm_hour == t.tm_hour && back.tm_min == t.tm_min && back.tm_sec == t.tm_sec;
            if (!valid) problem = "not a real date";
            else if (when < now - 60 || when > now + 60)
                problem = std::to_string(when - now) + " s from the harness's clock (at most 60)";
        }
        list.push_back({problem.empty(), label + "\"" + escape(got[i]) + "\"" + (problem.empty() ? "" : ": the date is " + problem)});
    }
    if (expected.empty() && got.empty()) list.push_back({true, "no log line"});
    return list;
}

bool all_ok(const std::vector<Assertion>& list) {
    return std::all_of(list.begin(), list.end(), [](const Assertion& a) { return a.ok; });
}

std::string first_difference(const std::string& expected, const std::string& actual, const std::string& what) {
    if (expected == actual) return "";
    size_t i = 0;
    while (i < expected.size() && i < actual.size() && expected[i] == actual[i]) ++i;
    size_t from = i > 20 ? i - 20 : 0;
    auto context = [&](const std::string& s) {
        std::string part = escape(std::string_view(s).substr(from, std::min<size_t>(40, s.size() > from ? s.size() - from : 0)));
        return std::string(from > 0 ? "..." : "") + "\"" + part + "\"" + (from + 40 < s.size() ? "..." : "");
    };
    std::string out = what + " differs at byte " + std::to_string(i) + " (expected " + std::to_string(expected.size()) +
                      " bytes, got " + std::to_string(actual.size()) + ")";
    if (i == actual.size()) out += ": it ends too early";
    else if (i == expected.size()) out += ": it goes on too long";
    out += "\n        expected " + context(expected) + "\n        got      " + context(actual);
    return out;
}

namespace {
const char* const kDayNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
const char* const kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
}  // namespace

std::optional<long long> imf_fixdate_seconds(const std::string& text) {
    static const std::regex kShape(
        "(Sun|Mon|Tue|Wed|Thu|Fri|Sat), ([0-9]{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
        "([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) GMT");
    std::smatch m;
    if (!std::regex_match(text, m, kShape)) return std::nullopt;
    int weekday = 0, month = 0;
    while (m[1].str() != kDayNames[weekday]) ++weekday;
    while (m[3].str() != kMonthNames[month]) ++month;
    std::tm t{};
    t.tm_mday = std::stoi(m[2].str());
    t.tm_mon = month;
    t.tm_year = std::stoi(m[4].str()) - 1900;
    t.tm_hour = std::stoi(m[5].str());
    t.tm_min = std::stoi(m[6].str());
    t.tm_sec = std::stoi(m[7].str());
    std::tm back = t;
    long long when = static_cast<long long>(::timegm(&back));   // normalizes what is out of range
    bool real = back.tm_mday == t.tm_mday && back.tm_mon == t.tm_mon && back.tm_year == t.tm_year &&
                back.tm_hour == t.tm_hour && back.tm_min == t.tm_min && back.tm_sec == t.tm_sec;
    if (!real || back.tm_wday != weekday) return std::nullopt;
    return when;
}

std::string imf_fixdate(long long seconds) {
    time_t s = static_cast<time_t>(seconds);
    std::tm t{};
    ::gmtime_r(&s, &t);
    char out[64];
    std::snprintf(out, sizeof out, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDayNames[t.tm_wday], t.tm_mday,
                  kMonthNames[t.tm_mon], t.tm_year + 1900, t.tm_hour, t.tm_min, t.tm_sec);
    return out;
}

bool header_matches(const HeaderExpect& e, const std::optional<std::string>& actual, long long now) {
    switch (e.kind) {
        case HeaderExpect::Kind::Absent:
            return !actual;
        case HeaderExpect::Kind::Exact:
            return actual && *actual == e.value;
        case HeaderExpect::Kind::Regex:
            return actual && std::regex_match(*actual, std::regex(e.value, std::regex::ECMAScript));
        case HeaderExpect::Kind::HttpDateNow: {
            if (!actual) return false;
            auto when = imf_fixdate_seconds(*actual);
            return when && *when >= now - kDateSlackSeconds && *when <= now + kDateSlackSeconds;
        }
        case HeaderExpect::Kind::HttpDateAt:
            return actual && *actual == imf_fixdate(e.seconds);
        case HeaderExpect::Kind::SameAs:
            return actual.has_value();   // the comparison with the other field: check_http
    }
    return false;
}

bool header_matches(const HeaderExpect& e, const std::optional<std::string>& actual) {
    return header_matches(e, actual, static_cast<long long>(std::time(nullptr)));
}

std::vector<Assertion> check_http(const Fixture& f, const Exchange& ex, const Response& r,
                                  const std::optional<std::string>& file_before, const std::string& docroot) {
    std::vector<Assertion> out;
    const Expect& e = f.expect;
    if (!ex.connected) {
        out.push_back({false, "could not connect: " + ex.error});
        return out;
    }
    if (e.no_response) {
        if (ex.received.empty() && (ex.closed || ex.reset))
            out.push_back({true, "the server closed the connection without sending a byte"});
        else if (ex.received.empty())
            out.push_back({false, "the server should close the connection without answering; it kept it open for " +
                                      std::to_string(f.timeout_ms) + " ms"});
        else
            out.push_back({false, "the server should close without answering, but sent " +
                                      std::to_string(ex.received.size()) + " bytes: " + shown(ex.received, 80)});
        return out;
    }
    if (ex.received.empty()) {
        out.push_back({false, ex.timed_out ? "no response within " + std::to_string(f.timeout_ms) + " ms"
                                           : "the server closed the connection without sending a byte"});
        return out;
    }
    // The status.
    if (!r.has_head) {
        out.push_back({false, "no complete head (status line + headers + empty line) arrived; got " +
                                  shown(ex.received, 80)});
        return out;
    }
    bool status_ok = std::find(e.status.begin(), e.status.end(), r.status) != e.status.end();
    out.push_back({status_ok, status_ok ? "status " + std::to_string(r.status)
                                        : "status: expected " + status_list(e.status) + ", got " +
                                              (r.status ? std::to_string(r.status) : shown(r.status_line))});
    // The headers the fixture names (and no others: Date and Server are
    // only compared when listed).
    const long long now = static_cast<long long>(std::time(nullptr));   // for {"http_date": "now"}
    for (const auto& [name, he] : e.headers) {
        auto actual = r.header(name);
        bool ok = header_matches(he, actual, now);
        std::optional<std::string> other;   // same_as: the other field's value
        if (he.kind == HeaderExpect::Kind::SameAs) {
            other = r.header(he.value);
            ok = ok && other && *other == *actual;
        }
        std::string text;
        if (he.kind == HeaderExpect::Kind::Absent) {
            text = ok ? "no " + name + " header" : name + " should be absent, got " + shown(*actual);
        } else {
            std::string want;
            switch (he.kind) {
                case HeaderExpect::Kind::Regex: want = "matching /" + he.value + "/"; break;
                case HeaderExpect::Kind::HttpDateNow:
                    want = "an IMF-fixdate within " + std::to_string(kDateSlackSeconds) + " s of the harness's clock (" +
                           shown(imf_fixdate(now)) + ")";
                    break;
                case HeaderExpect::Kind::HttpDateAt:
                    want = shown(imf_fixdate(he.seconds)) + " (" + std::to_string(he.seconds) + " s since 1970)";
                    break;
                case HeaderExpect::Kind::SameAs:
                    want = "the same as " + he.value + " (" + (other ? shown(*other) : "no " + he.value + " header") + ")";
                    break;
                default: want = shown(he.value);
            }
            text = ok ? name + ": " + shown(*actual)
                      : name + ": expected " + want + ", got " + (actual ? shown(*actual) : "no " + name + " header");
        }
        out.push_back({ok, text});
    }
    // Interim (1xx) responses before the final one.
    if (e.interim) {
        auto list = [](const std::vector<int>& v) {
            std::string s;
            for (int x : v) s += (s.empty() ? "" : ", ") + std::to_string(x);
            return "[" + s + "]";
        };
        bool ok = r.interim == *e.interim;
        out.push_back({ok, ok ? "interim responses " + list(r.interim)
                              : "interim responses: expected " + list(*e.interim) + ", got " + list(r.interim)});
    }
    // The body.
    if (e.body) out.push_back(check_text("body", *e.body, r.body, file_before));
    // expect.cut: the server gave up on a client that did not read, so the
    // body must end early -- exactly the truncation that is otherwise a failure
    bool truncated = false;
    for (const auto& p : r.problems) truncated = truncated || p.rfind("body truncated:", 0) == 0;
    if (e.cut)
        out.push_back({truncated, truncated ? "the body was cut: " + std::to_string(r.body.size()) +
                                                  " bytes of " + (r.header("Content-Length") ? *r.header("Content-Length") : "?") +
                                                  ", then the close"
                                            : "the server should have cut the body (it waited for a client that did not read)"});
    // reset_after_bytes: the client itself went away mid-body
    if (f.reset_after_bytes > 0)
        out.push_back({ex.client_reset, ex.client_reset ? "the client reset the connection after " +
                                                              std::to_string(ex.received.size()) + " bytes"
                                                        : "the client never read " + std::to_string(f.reset_after_bytes) +
                                                              " bytes to reset after (got " +
                                                              std::to_string(ex.received.size()) + ")"});
    // Framing and protocol problems: never silently accepted.
    for (const auto& p : r.problems)
        if (!((e.cut || ex.client_reset) && p.rfind("body truncated:", 0) == 0)) out.push_back({false, p});
    if (ex.timed_out)
        out.push_back({false, "the server did not close the connection within " + std::to_string(f.timeout_ms) +
                                  " ms (every response ends with a close)"});
    else if (!ex.error.empty() && !ex.closed && !ex.reset)
        out.push_back({false, ex.error});
    // Files after the request.
    for (const auto& d : e.docroot_after) {
        // One name at a time from the docroot: the path may be longer than
        // macOS takes in one system call (harness/tree.hpp).
        std::string content;
        bool exists = tree::exists_beneath(docroot, d.path);
        if (d.kind == DocrootAfter::Kind::Absent) {
            out.push_back({!exists, exists ? "docroot file " + d.path + " should be gone, but exists"
                                           : "docroot file " + d.path + " is absent"});
            continue;
        }
        if (d.kind == DocrootAfter::Kind::Names) {
            // (a directory a fixture names is shallow: one path is fine here)
            std::vector<std::string> got;
            std::error_code err;
            const std::filesystem::path p = std::filesystem::path(docroot) / d.path;
            for (const auto& entry : std::filesystem::directory_iterator(p, err)) got.push_back(entry.path().filename());
            std::sort(got.begin(), got.end());
            auto list = [](const std::vector<std::string>& v) {
                std::string s;
                for (const auto& n : v) s += (s.empty() ? "" : ", ") + shown(n);
                return "[" + s + "]";
            };
            bool ok = !err && got == d.names;
            out.push_back({ok, ok ? "docroot directory " + d.path + " holds exactly " + list(d.names)
                                  : "docroot directory " + d.path + " should hold exactly " + list(d.names) + ", holds " +
                                        (err ? "nothing (" + err.message() + ")" : list(got))});
            continue;
        }
        if (!exists || !tree::read_beneath(docroot, d.path, content)) {
            out.push_back({false, "docroot file " + d.path + " should exist after the request, but does not"});
            continue;
        }
        if (d.kind == DocrootAfter::Kind::Sha256) {
            std::string got = sha256_hex(content);
            out.push_back({got == d.value, "docroot file " + d.path + " SHA-256 " +
                                               (got == d.value ? "matches" : "expected " + d.value + ", got " + got)});
        } else {
            bool ok = content == d.value;
            out.push_back({ok, ok ? "docroot file " + d.path + " has the expected content"
                                  : "docroot file " + d.path + ": " + first_difference(d.value, content)});
        }
    }
    return out;
}

std::vector<Assertion> check_run(const Fixture& f, const RunResult& r) {
    std::vector<Assertion> out;
    const Expect& e = f.expect;
    if (!r.started) {
        out.push_back({false, r.error});
        return out;
    }
    if (r.timed_out) out.push_back({false, "the program did not finish within " + std::to_string(f.timeout_ms) + " ms"});
    if (e.stdout_text) {
        out.push_back(check_text("stdout", BodyExpect{BodyExpect::Kind::Exact, *e.stdout_text, 0, {}}, r.out, std::nullopt));
    }
    if (e.stderr_text) out.push_back(check_text("stderr", *e.stderr_text, r.err, std::nullopt));
    if (e.exit_status) {
        bool ok = WIFEXITED(r.wait_status) && WEXITSTATUS(r.wait_status) == *e.exit_status;
        out.push_back({ok, ok ? "exit status " + std::to_string(*e.exit_status)
                              : "expected exit status " + std::to_string(*e.exit_status) + ", got " +
                                    describe_wait_status(r.wait_status)});
    }
    return out;
}

}  // namespace harness
