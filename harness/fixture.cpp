// harness/fixture.cpp -- loading and checking fixtures (see fixture.hpp).
#include "fixture.hpp"

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "util.hpp"

namespace harness {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Where a problem was found: "lessons/03-parse/fixtures.json: fixture
// 'parse-x': ".  Every error message starts like this.
struct Ctx {
    std::string file;
    std::string name;
    [[noreturn]] void fail(const std::string& problem) const {
        throw FixtureError(file + ": fixture '" + name + "': " + problem);
    }
};

const char* type_name(const json& j) {
    return j.type_name();
}

// Rejects keys outside `allowed`: a misspelt key ("stauts") would otherwise
// be ignored and the fixture would test less than its author thinks.
void only_keys(const Ctx& c, const json& obj, const std::set<std::string>& allowed, const std::string& where) {
    for (const auto& [key, _] : obj.items())
        if (!allowed.count(key)) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            c.fail("unknown key '" + key + "' in " + where + " (allowed: " + list + ")");
        }
}

const json& need_object(const Ctx& c, const json& j, const std::string& what) {
    if (!j.is_object()) c.fail(what + " must be an object, not " + type_name(j));
    return j;
}

std::string need_string(const Ctx& c, const json& j, const std::string& what) {
    if (!j.is_string()) c.fail(what + " must be a string, not " + type_name(j));
    return j.get<std::string>();
}

bool need_bool(const Ctx& c, const json& j, const std::string& what) {
    if (!j.is_boolean()) c.fail(what + " must be true or false, not " + type_name(j));
    return j.get<bool>();
}

int64_t need_int(const Ctx& c, const json& j, const std::string& what, int64_t lo, int64_t hi) {
    if (!j.is_number_integer()) c.fail(what + " must be an integer, not " + type_name(j));
    int64_t v = j.get<int64_t>();
    if (v < lo || v > hi) c.fail(what + " must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return v;
}

uint64_t need_size(const Ctx& c, const json& j, const std::string& what) {
    if (!j.is_number_unsigned() && !(j.is_number_integer() && j.get<int64_t>() >= 0))
        c.fail(what + " must be a non-negative integer");
    return j.get<uint64_t>();
}

// A docroot-relative path must stay inside the docroot.
std::string need_relative_path(const Ctx& c, const std::string& p, const std::string& what) {
    if (p.empty() || p[0] == '/') c.fail(what + " '" + p + "' must be a relative path inside the docroot");
    for (const auto& part : fs::path(p))
        if (part == "..") c.fail(what + " '" + p + "' must not contain ..");
    return p;
}

HeaderExpect parse_header_expect(const Ctx& c, const std::string& name, const json& j) {
    HeaderExpect h;
    std::string what = "expect.headers['" + name + "']";
    if (j.is_string()) {
        h.value = j.get<std::string>();
        return h;
    }
    need_object(c, j, what + " (a string, {\"regex\": ...}, {\"absent\": true}, {\"http_date\": ...} or {\"same_as\": ...})");
    if (j.size() != 1) c.fail(what + " must have exactly one key: regex, absent, http_date or same_as");
    only_keys(c, j, {"regex", "absent", "http_date", "same_as"}, what);
    if (j.contains("http_date")) {
        const json& v = j["http_date"];
        if (v.is_string()) {
            if (v.get<std::string>() != "now") c.fail(what + ".http_date must be \"now\" or a number of seconds since 1970");
            h.kind = HeaderExpect::Kind::HttpDateNow;
        } else {
            h.kind = HeaderExpect::Kind::HttpDateAt;
            h.seconds = need_int(c, v, what + ".http_date", kHttpDateMinSeconds, kHttpDateMaxSeconds);
        }
    } else if (j.contains("same_as")) {
        h.kind = HeaderExpect::Kind::SameAs;
        h.value = need_string(c, j["same_as"], what + ".same_as");
        if (h.value.empty() || lower(h.value) == lower(name)) c.fail(what + ".same_as must name another header");
    } else if (j.contains("regex")) {
        h.kind = HeaderExpect::Kind::Regex;
        h.value = need_string(c, j["regex"], what + ".regex");
        try {
            std::regex re(h.value, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            c.fail(what + ".regex is not a valid ECMAScript regex: " + e.what());
        }
    } else {
        if (!need_bool(c, j["absent"], what + ".absent")) c.fail(what + ".absent must be true");
        h.kind = HeaderExpect::Kind::Absent;
    }
    return h;
}

BodyExpect parse_body_expect(const Ctx& c, const json& j, const std::string& what,
                             const std::set<std::string>& kinds) {
    BodyExpect b;
    if (j.is_string()) {
        b.value = j.get<std::string>();
        return b;
    }
    need_object(c, j, what + " (a string or an object)");
    if (j.size() != 1) c.fail(what + " must have exactly one key");
    only_keys(c, j, kinds, what);
    const std::string key = j.begin().key();
    const json& v = j.begin().value();
    if (key == "file") {
        b.kind = BodyExpect::Kind::File;
        b.value = need_relative_path(c, need_string(c, v, what + ".file"), what + ".file");
    } else if (key == "sha256") {
        b.kind = BodyExpect::Kind::Sha256;
        b.value = need_string(c, v, what + ".sha256");
        if (b.value.size() != 64 || b.value.find_first_not_of("0123456789abcdef") != std::string::npos)
            c.fail(what + ".sha256 must be 64 lower-case hex digits");
    } else if (key == "contains") {
        b.kind = BodyExpect::Kind::Contains;
        b.value = need_string(c, v, what + ".contains");
    } else if (key == "contains_in_order") {
        b.kind = BodyExpect::Kind::ContainsInOrder;
        if (!v.is_array() || v.empty()) c.fail(what + ".contains_in_order must be a non-empty array of strings");
        for (const auto& item : v) b.items.push_back(need_string(c, item, what + ".contains_in_order[]"));
    } else if (key == "empty") {
        b.kind = BodyExpect::Kind::Empty;
        if (!need_bool(c, v, what + ".empty")) c.fail(what + ".empty must be true");
    } else {   // size
        b.kind = BodyExpect::Kind::Size;
        b.size = need_size(c, v, what + ".size");
    }
    return b;
}

DocrootChange parse_docroot_change(const Ctx& c, const std::string& path, const json& j) {
    std::string what = "docroot['" + path + "']";
    DocrootChange d;
    d.path = need_relative_path(c, path, "docroot path");
    need_object(c, j, what);
    only_keys(c, j, {"content", "size", "mode", "symlink", "dir", "absent", "many", "mtime"}, what);
    if (j.empty()) c.fail(what + " is empty: give content, size, mode, symlink, dir, absent, many or mtime");
    if (j.contains("mtime")) d.mtime = need_int(c, j["mtime"], what + ".mtime", kHttpDateMinSeconds, kHttpDateMaxSeconds);
    if (j.contains("content")) d.content = need_string(c, j["content"], what + ".content");
    if (j.contains("size")) d.size = need_size(c, j["size"], what + ".size");
    if (j.contains("mode")) {
        std::string m = need_string(c, j["mode"], what + ".mode");
        if (m.empty() || m.size() > 4 || m.find_first_not_of("01234567") != std::string::npos)
            c.fail(what + ".mode must be an octal string like \"0644\"");
        d.mode = static_cast<unsigned>(std::stoul(m, nullptr, 8));
    }
    if (j.contains("symlink")) d.symlink = need_string(c, j["symlink"], what + ".symlink");
    if (j.contains("dir")) d.dir = need_bool(c, j["dir"], what + ".dir");
    if (j.contains("absent")) d.absent = need_bool(c, j["absent"], what + ".absent");
    if (j.contains("many")) {
        const json& m = need_object(c, j["many"], what + ".many");
        only_keys(c, m, {"count", "prefix", "content"}, what + ".many");
        if (!m.contains("count")) c.fail(what + ".many needs 'count'");
        ManyFiles many;
        many.count = static_cast<uint64_t>(need_int(c, m["count"], what + ".many.count", 1, 100000));
        if (m.contains("prefix")) many.prefix = need_string(c, m["prefix"], what + ".many.prefix");
        if (many.prefix.find('/') != std::string::npos || many.prefix.find('\0') != std::string::npos)
            c.fail(what + ".many.prefix must be part of a file name: no '/', no NUL");
        if (m.contains("content")) many.content = need_string(c, m["content"], what + ".many.content");
        d.many = many;
    }
    // Which combinations make sense: content/size/dir may carry a mode;
    // symlink, absent and many stand alone.
    int kinds = (d.content ? 1 : 0) + (d.size ? 1 : 0) + (d.symlink ? 1 : 0) + (d.dir ? 1 : 0) + (d.absent ? 1 : 0) +
                (d.many ? 1 : 0);
    if (kinds > 1) c.fail(what + ": use only one of content, size, symlink, dir, absent, many");
    if (d.mode && (d.symlink || d.absent || d.many))
        c.fail(what + ": mode cannot be combined with symlink, absent or many");
    if (d.mtime && (d.symlink || d.absent || d.many))
        c.fail(what + ": mtime cannot be combined with symlink, absent or many");
    return d;
}

Expect parse_expect(const Ctx& c, const json& j, bool is_run) {
    Expect e;
    need_object(c, j, "expect");
    if (is_run) {
        only_keys(c, j, {"stdout", "stderr", "exit"}, "expect (of a \"run\" fixture)");
        if (j.contains("stdout")) e.stdout_text = need_string(c, j["stdout"], "expect.stdout");
        if (j.contains("stderr")) e.stderr_text = parse_body_expect(c, j["stderr"], "expect.stderr", {"contains"});
        if (j.contains("exit")) e.exit_status = static_cast<int>(need_int(c, j["exit"], "expect.exit", 0, 255));
        if (!e.stdout_text && !e.stderr_text && !e.exit_status) c.fail("expect must check stdout, stderr or exit");
        return e;
    }
    only_keys(c, j, {"status", "headers", "body", "no_response", "cut", "docroot_after", "interim", "log"}, "expect");
    if (j.contains("log")) {
        if (!j["log"].is_array()) c.fail("expect.log must be an array of lines (\"{date}\" for the date)");
        e.log.emplace();
        for (const auto& v : j["log"]) {
            std::string line = need_string(c, v, "expect.log[]");
            if (line.find('\n') != std::string::npos) c.fail("expect.log[]: one line each, no \\n");
            e.log->push_back(line);
        }
    }
    if (j.contains("interim")) {
        if (!j["interim"].is_array()) c.fail("expect.interim must be an array of 1xx statuses ([] for none)");
        e.interim.emplace();
        for (const auto& v : j["interim"]) e.interim->push_back(static_cast<int>(need_int(c, v, "expect.interim[]", 100, 199)));
    }
    if (j.contains("status")) {
        const json& s = j["status"];
        if (s.is_array()) {
            if (s.empty()) c.fail("expect.status list is empty");
            for (const auto& v : s) e.status.push_back(static_cast<int>(need_int(c, v, "expect.status[]", 100, 999)));
        } else {
            e.status.push_back(static_cast<int>(need_int(c, s, "expect.status", 100, 999)));
        }
    }
    if (j.contains("headers")) {
        need_object(c, j["headers"], "expect.headers");
        std::set<std::string> seen;
        for (const auto& [name, v] : j["headers"].items()) {
            if (!seen.insert(lower(name)).second) c.fail("expect.headers lists '" + name + "' twice");
            e.headers.emplace_back(name, parse_header_expect(c, name, v));
        }
    }
    if (j.contains("body"))
        e.body = parse_body_expect(c, j["body"], "expect.body",
                                   {"file", "sha256", "contains", "contains_in_order", "empty", "size"});
    if (j.contains("no_response")) {
        e.no_response = need_bool(c, j["no_response"], "expect.no_response");
        if (!e.no_response) c.fail("expect.no_response must be true (leave it out otherwise)");
        if (!e.status.empty() || !e.headers.empty() || e.body)
            c.fail("expect.no_response cannot be combined with status, headers or body");
    }
    if (j.contains("cut")) {
        e.cut = need_bool(c, j["cut"], "expect.cut");
        if (!e.cut) c.fail("expect.cut must be true (leave it out otherwise)");
        if (e.body || e.no_response) c.fail("expect.cut cannot be combined with body or no_response");
    }
    if (j.contains("docroot_after")) {
        need_object(c, j["docroot_after"], "expect.docroot_after");
        for (const auto& [path, v] : j["docroot_after"].items()) {
            std::string what = "expect.docroot_after['" + path + "']";
            DocrootAfter d;
            d.path = need_relative_path(c, path, "expect.docroot_after path");
            need_object(c, v, what);
            if (v.size() != 1) c.fail(what + " must have exactly one key: content, absent, sha256 or names");
            only_keys(c, v, {"content", "absent", "sha256", "names"}, what);
            if (v.contains("names")) {
                d.kind = DocrootAfter::Kind::Names;
                if (!v["names"].is_array()) c.fail(what + ".names must be an array of file names");
                for (const auto& n : v["names"]) {
                    std::string name = need_string(c, n, what + ".names[]");
                    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
                        c.fail(what + ".names[]: '" + name + "' is not one name of a directory");
                    d.names.push_back(name);
                }
                std::sort(d.names.begin(), d.names.end());
                if (std::adjacent_find(d.names.begin(), d.names.end()) != d.names.end())
                    c.fail(what + ".names lists a name twice");
            }
            if (v.contains("content")) d.value = need_string(c, v["content"], what + ".content");
            if (v.contains("sha256")) {
                d.kind = DocrootAfter::Kind::Sha256;
                d.value = need_string(c, v["sha256"], what + ".sha256");
            }
            if (v.contains("absent")) {
                d.kind = DocrootAfter::Kind::Absent;
                if (!need_bool(c, v["absent"], what + ".absent")) c.fail(what + ".absent must be true");
            }
            e.docroot_after.push_back(d);
        }
    }
    if (e.status.empty() && !e.no_response) c.fail("expect needs a status (or no_response: true)");
    return e;
}

// "exercise": "NN-slug" and "replaces": [names].  The exercise belongs to
// lesson NN: the fixture starts there (since = NN) and lives in that
// lesson's fixtures.json, so `make lesson-NN EXERCISE=NN-slug` finds it.
void parse_exercise(const Ctx& c, const json& j, Fixture& f) {
    if (j.contains("replaces") && !j.contains("exercise"))
        c.fail("'replaces' needs 'exercise': only an exercise may replace fixtures");
    if (!j.contains("exercise")) return;
    f.exercise = need_string(c, j["exercise"], "exercise");
    static const std::regex form("[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*");
    if (!std::regex_match(f.exercise, form))
        c.fail("exercise '" + f.exercise + "' must look like \"04-etag\": the lesson's two digits, a dash, lower-case words");
    int lesson = std::stoi(f.exercise.substr(0, 2));
    if (f.since != lesson)
        c.fail("exercise " + f.exercise + " belongs to lesson " + f.exercise.substr(0, 2) + ": its fixtures need since = " +
               std::to_string(lesson) + " (not " + std::to_string(f.since) + ")");
    static const std::regex lesson_file(R"((^|.*/)lessons/([0-9]{2})-[^/]*/[^/]*$)");
    std::smatch m;
    if (std::regex_match(c.file, m, lesson_file) && m[2] != f.exercise.substr(0, 2))
        c.fail("exercise " + f.exercise + " belongs in lessons/" + f.exercise.substr(0, 2) + "-*/fixtures.json");
    if (j.contains("replaces")) {
        const json& r = j["replaces"];
        if (!r.is_array() || r.empty()) c.fail("replaces must be a non-empty array of fixture names");
        for (const auto& name : r) {
            f.replaces.push_back(need_string(c, name, "replaces[]"));
            if (f.replaces.back() == f.name) c.fail("a fixture cannot replace itself");
        }
    }
}

}  // namespace

std::string ManyFiles::name(uint64_t i) const {
    std::string digits = std::to_string(i);
    std::size_t width = std::to_string(count > 1 ? count - 1 : 0).size();
    return prefix + std::string(width - std::min(width, digits.size()), '0') + digits;
}

bool Fixture::needs_case_sensitive_disk() const {
    return std::find(needs.begin(), needs.end(), "case-sensitive-disk") != needs.end();
}

bool Fixture::needs_own_server() const {
    return !flags.empty() || !docroot.empty() || zombies_after.has_value() || children_after.has_value() ||
           exit_after.has_value() || signal.has_value() || limit.has_value() || reset_after_bytes > 0 ||
           !background_clients.empty() || !expect.docroot_after.empty() || !then.empty() || expect.log.has_value();
}

std::string Fixture::server_key() const {
    return needs_own_server() ? "own:" + name : "shared";
}

Fixture parse_fixture(const json& j, const std::string& file, size_t index) {
    Ctx c{file, "#" + std::to_string(index + 1)};
    if (!j.is_object()) c.fail(std::string("a fixture must be an object, not ") + type_name(j));
    if (!j.contains("name")) c.fail("missing key 'name'");
    Fixture f;
    f.file = file;
    f.name = need_string(c, j["name"], "name");
    if (f.name.empty()) c.fail("name is empty");
    c.name = f.name;
    only_keys(c, j, {"name", "since", "until", "why", "spec", "request", "chunks", "split_bytes", "half_close",
                     "flags", "docroot", "timeout_ms", "read_after_ms", "reset_after_bytes", "background_clients", "repeat",
                     "server_after", "signal", "limit", "run", "exercise", "replaces", "needs", "expect", "then"},
              "the fixture");
    for (const char* k : {"since", "why", "spec", "expect"})
        if (!j.contains(k)) c.fail(std::string("missing key '") + k + "'");
    f.since = static_cast<int>(need_int(c, j["since"], "since", 0, 99));
    if (j.contains("until")) {
        f.until = static_cast<int>(need_int(c, j["until"], "until", 0, 99));
        if (*f.until < f.since) c.fail("until is before since");
    }
    f.why = need_string(c, j["why"], "why");
    f.spec = need_string(c, j["spec"], "spec");
    parse_exercise(c, j, f);
    if (j.contains("needs")) {
        if (!j["needs"].is_array()) c.fail("needs must be an array of strings");
        for (const auto& n : j["needs"]) {
            std::string need = need_string(c, n, "needs[]");
            if (need != "case-sensitive-disk") c.fail("needs: unknown need '" + need + "' (known: case-sensitive-disk)");
            f.needs.push_back(need);
        }
    }

    f.is_run = j.contains("run");
    int ways = (j.contains("request") ? 1 : 0) + (j.contains("chunks") ? 1 : 0) + (f.is_run ? 1 : 0);
    if (ways == 0) c.fail("needs one of 'request', 'chunks' or 'run'");
    if (ways > 1) c.fail("give only one of 'request', 'chunks' and 'run'");

    if (f.is_run) {
        for (const char* k : {"split_bytes", "half_close", "flags", "docroot", "timeout_ms", "read_after_ms", "reset_after_bytes",
                              "background_clients", "repeat", "server_after", "signal", "limit", "then"})
            if (j.contains(k)) c.fail(std::string("'") + k + "' makes no sense in a \"run\" fixture");
        const json& r = need_object(c, j["run"], "run");
        only_keys(c, r, {"args"}, "run");
        if (r.contains("args")) {
            if (!r["args"].is_array()) c.fail("run.args must be an array of strings");
            for (const auto& a : r["args"]) f.run_args.push_back(need_string(c, a, "run.args[]"));
        }
        f.expect = parse_expect(c, j["expect"], true);
        return f;
    }

    if (j.contains("request")) {
        f.request = need_string(c, j["request"], "request");
        f.chunks.push_back({f.request, 0});
    } else {
        f.uses_chunks = true;
        if (!j["chunks"].is_array() || j["chunks"].empty()) c.fail("chunks must be a non-empty array");
        for (const auto& ch : j["chunks"]) {
            need_object(c, ch, "chunks[]");
            only_keys(c, ch, {"data", "delay_ms"}, "chunks[]");
            if (!ch.contains("data")) c.fail("chunks[] needs 'data'");
            Chunk piece{need_string(c, ch["data"], "chunks[].data"), 0};
            if (ch.contains("delay_ms"))
                piece.delay_ms = static_cast<int>(need_int(c, ch["delay_ms"], "chunks[].delay_ms", 0, 60000));
            f.request += piece.data;
            f.chunks.push_back(piece);
        }
    }
    if (j.contains("split_bytes")) {
        if (f.uses_chunks) c.fail("split_bytes cannot be combined with chunks");
        f.split_bytes = static_cast<int>(need_int(c, j["split_bytes"], "split_bytes", 1, 1 << 20));
    }
    if (j.contains("half_close")) f.half_close = need_bool(c, j["half_close"], "half_close");
    if (j.contains("timeout_ms")) f.timeout_ms = static_cast<int>(need_int(c, j["timeout_ms"], "timeout_ms", 1, 600000));
    if (j.contains("read_after_ms"))
        f.read_after_ms = static_cast<int>(need_int(c, j["read_after_ms"], "read_after_ms", 1, 600000));
    if (j.contains("repeat")) f.repeat = static_cast<int>(need_int(c, j["repeat"], "repeat", 1, 10000));
    if (j.contains("reset_after_bytes")) {
        f.reset_after_bytes = static_cast<int>(need_int(c, j["reset_after_bytes"], "reset_after_bytes", 1, 1 << 30));
        if (f.half_close || f.read_after_ms > 0) c.fail("reset_after_bytes cannot be combined with half_close or read_after_ms");
    }
    if (j.contains("signal")) {
        const json& s = need_object(c, j["signal"], "signal");
        only_keys(c, s, {"name", "after_ms", "to"}, "signal");
        if (!s.contains("name") || !s.contains("after_ms")) c.fail("signal needs 'name' and 'after_ms'");
        SignalSpec sig;
        sig.name = need_string(c, s["name"], "signal.name");
        if (sig.name == "SIGTERM") sig.signo = SIGTERM;
        else if (sig.name == "SIGINT") sig.signo = SIGINT;
        else c.fail("signal.name: '" + sig.name + "' (known: SIGTERM, SIGINT)");
        sig.after_ms = static_cast<int>(need_int(c, s["after_ms"], "signal.after_ms", 0, 600000));
        if (s.contains("to")) {
            std::string to = need_string(c, s["to"], "signal.to");
            if (to != "server" && to != "group") c.fail("signal.to: '" + to + "' (known: server, group)");
            sig.group = to == "group";
        }
        f.signal = sig;
    }
    if (j.contains("limit")) {
        const json& l = need_object(c, j["limit"], "limit");
        only_keys(c, l, {"resource", "for_ms", "cpu_below_percent"}, "limit");
        if (!l.contains("resource") || !l.contains("for_ms")) c.fail("limit needs 'resource' and 'for_ms'");
        LimitSpec lim;
        lim.resource = need_string(c, l["resource"], "limit.resource");
        if (lim.resource != "descriptors" && lim.resource != "processes")
            c.fail("limit.resource: '" + lim.resource + "' (known: descriptors, processes)");
        lim.for_ms = static_cast<int>(need_int(c, l["for_ms"], "limit.for_ms", 1, 600000));
        if (l.contains("cpu_below_percent"))
            lim.cpu_below_percent = static_cast<int>(need_int(c, l["cpu_below_percent"], "limit.cpu_below_percent", 1, 100));
        f.limit = lim;
    }
    if (j.contains("flags")) {
        if (!j["flags"].is_array()) c.fail("flags must be an array of strings");
        for (const auto& a : j["flags"]) f.flags.push_back(need_string(c, a, "flags[]"));
    }
    if (j.contains("docroot")) {
        need_object(c, j["docroot"], "docroot");
        for (const auto& [path, v] : j["docroot"].items()) f.docroot.push_back(parse_docroot_change(c, path, v));
    }
    if (j.contains("background_clients")) {
        if (!j["background_clients"].is_array()) c.fail("background_clients must be an array");
        for (const auto& b : j["background_clients"]) {
            need_object(c, b, "background_clients[]");
            only_keys(c, b, {"send", "hold_ms"}, "background_clients[]");
            BackgroundClient bc;
            if (b.contains("send")) bc.send = need_string(c, b["send"], "background_clients[].send");
            if (!b.contains("hold_ms")) c.fail("background_clients[] needs 'hold_ms'");
            bc.hold_ms = static_cast<int>(need_int(c, b["hold_ms"], "background_clients[].hold_ms", 0, 600000));
            f.background_clients.push_back(bc);
        }
    }
    if (j.contains("server_after")) {
        const json& s = need_object(c, j["server_after"], "server_after");
        only_keys(c, s, {"zombies", "children", "exit"}, "server_after");
        if (s.empty()) c.fail("server_after needs 'zombies', 'children' or 'exit'");
        if (s.contains("zombies"))
            f.zombies_after = static_cast<int>(need_int(c, s["zombies"], "server_after.zombies", 0, 100000));
        if (s.contains("children"))
            f.children_after = static_cast<int>(need_int(c, s["children"], "server_after.children", 0, 100000));
        if (s.contains("exit")) {
            f.exit_after = static_cast<int>(need_int(c, s["exit"], "server_after.exit", 0, 255));
            if (!f.signal) c.fail("server_after.exit needs a 'signal' (nothing else makes the server exit)");
        }
    }
    if (f.signal) {
        if (!f.exit_after) c.fail("a fixture with 'signal' needs server_after.exit: the server stops");
        if (j.contains("then") || f.repeat > 1) c.fail("a fixture with 'signal' cannot have 'then' or 'repeat': the server stops");
    }
    f.expect = parse_expect(c, j["expect"], false);
    if (f.reset_after_bytes > 0 && (f.expect.cut || f.expect.body || f.expect.no_response))
        c.fail("reset_after_bytes: the client stops reading, so expect has no 'body', 'cut' or 'no_response'");
    if (j.contains("then")) {
        if (!j["then"].is_array() || j["then"].empty()) c.fail("then must be a non-empty array of {request, expect}");
        for (const auto& t : j["then"]) {
            need_object(c, t, "then[]");
            only_keys(c, t, {"request", "half_close", "expect"}, "then[]");
            if (!t.contains("request") || !t.contains("expect")) c.fail("then[] needs 'request' and 'expect'");
            Fixture::FollowUp up;
            up.request = need_string(c, t["request"], "then[].request");
            if (t.contains("half_close")) up.half_close = need_bool(c, t["half_close"], "then[].half_close");
            up.expect = parse_expect(c, t["expect"], false);
            if (up.expect.no_response) c.fail("then[].expect: a follow-up request expects an answer");
            if (up.expect.log) c.fail("then[].expect.log: the log is checked once, in the fixture's own expect (its lines include the follow-ups')");
            f.then.push_back(up);
        }
    }
    return f;
}

std::vector<Fixture> parse_fixture_file(const std::string& text, const std::string& file) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        throw FixtureError(file + ": not valid JSON: " + e.what());
    }
    if (!doc.is_array()) throw FixtureError(file + ": must be a JSON array of fixtures");
    std::vector<Fixture> out;
    for (size_t i = 0; i < doc.size(); ++i) out.push_back(parse_fixture(doc[i], file, i));
    check_unique_names(out);
    return out;
}

void check_unique_names(const std::vector<Fixture>& all) {
    std::map<std::string, const Fixture*> seen;
    for (const auto& f : all) {
        auto [it, fresh] = seen.emplace(f.name, &f);
        if (!fresh)
            throw FixtureError(f.file + ": fixture '" + f.name + "': duplicate name (also in " + it->second->file +
                               "); names must be unique across all lessons");
    }
}

void check_replaced_names(const std::vector<Fixture>& all) {
    std::map<std::string, const Fixture*> by_name;
    for (const auto& f : all) by_name.emplace(f.name, &f);
    for (const auto& f : all)
        for (const auto& name : f.replaces) {
            auto it = by_name.find(name);
            std::string where = f.file + ": fixture '" + f.name + "': ";
            if (it == by_name.end()) throw FixtureError(where + "replaces '" + name + "', but there is no fixture of that name");
            if (!it->second->exercise.empty())
                throw FixtureError(where + "replaces '" + name + "', which belongs to exercise " + it->second->exercise +
                                   " itself");
        }
}

std::vector<std::string> exercise_names(const std::vector<Fixture>& all) {
    std::set<std::string> names;
    for (const auto& f : all)
        if (!f.exercise.empty()) names.insert(f.exercise);
    return {names.begin(), names.end()};
}

std::set<std::string> replaced_by(const std::vector<Fixture>& all, const std::string& exercise) {
    std::set<std::string> out;
    if (exercise.empty()) return out;
    for (const auto& f : all)
        if (f.exercise == exercise) out.insert(f.replaces.begin(), f.replaces.end());
    return out;
}

bool selected_for(const Fixture& f, int n, const std::string& exercise, const std::set<std::string>& replaced) {
    if (!f.applies_to(n)) return false;
    if (!f.exercise.empty()) return f.exercise == exercise;
    return !replaced.count(f.name);
}

std::vector<Fixture> load_fixtures(const std::string& root) {
    std::vector<std::string> files;
    fs::path lessons = fs::path(root) / "lessons";
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(lessons, ec)) {
        fs::path f = entry.path() / "fixtures.json";
        if (entry.is_directory() && fs::exists(f)) files.push_back(("lessons" / entry.path().filename() / "fixtures.json").string());
    }
    if (ec) throw FixtureError(lessons.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());   // lesson order: 00, 01, ...
    std::vector<Fixture> all;
    for (const auto& rel : files) {
        std::string text;
        if (!read_file((fs::path(root) / rel).string(), text)) throw FixtureError(rel + ": cannot read");
        for (auto& f : parse_fixture_file(text, rel)) all.push_back(std::move(f));
    }
    check_unique_names(all);
    check_replaced_names(all);
    return all;
}

}  // namespace harness
