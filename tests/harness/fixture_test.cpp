// tests/harness/fixture_test.cpp -- fixture validation: every malformed
// fixture must stop the run with the file, the fixture's name and the
// problem (docs/fixtures.md, "Errors").
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>
#include <csignal>
#include <set>

#include "fixture.hpp"
#include "server.hpp"

using namespace harness;

namespace {
const char* kGood = R"({"name": "t-ok", "since": 3, "why": "w", "spec": "s",
                        "request": "GET / HTTP/1.1\r\n\r\n", "expect": {"status": 200}})";

// The error message for a file holding `text`, or "" when it loads.
std::string error_for(const std::string& text) {
    try {
        parse_fixture_file(text, "lessons/99-x/fixtures.json");
    } catch (const FixtureError& e) {
        return e.what();
    }
    return "";
}

// kGood with one top-level key replaced or added.
std::string with(const std::string& key, const std::string& value) {
    nlohmann::json j = nlohmann::json::parse(kGood);
    j[key] = nlohmann::json::parse(value);
    return "[" + j.dump() + "]";
}

void expect_error(const std::string& text, const std::string& part) {
    std::string e = error_for(text);
    EXPECT_NE(e.find(part), std::string::npos) << "error was: " << e;
    EXPECT_NE(e.find("lessons/99-x/fixtures.json"), std::string::npos) << e;
}
}  // namespace

TEST(Fixture, GoodFixtureLoads) {
    auto v = parse_fixture_file(std::string("[") + kGood + "]", "f.json");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].name, "t-ok");
    EXPECT_EQ(v[0].request, "GET / HTTP/1.1\r\n\r\n");
    EXPECT_EQ(v[0].expect.status, std::vector<int>{200});
    EXPECT_TRUE(v[0].applies_to(3));
    EXPECT_TRUE(v[0].applies_to(9));   // no until: every later lesson
    EXPECT_FALSE(v[0].applies_to(2));
    EXPECT_FALSE(v[0].needs_own_server());
}

TEST(Fixture, UnknownTopLevelKey) {
    expect_error(with("stauts", "200"), "unknown key 'stauts'");
    expect_error(with("stauts", "200"), "'t-ok'");
}

TEST(Fixture, UnknownKeyInsideExpect) {
    expect_error(with("expect", R"({"status": 200, "header": {}})"), "unknown key 'header' in expect");
}

TEST(Fixture, UnknownBodyKind) {
    expect_error(with("expect", R"({"status": 200, "body": {"exact": "x"}})"), "unknown key 'exact'");
}

TEST(Fixture, DuplicateNameInOneFile) {
    expect_error(std::string("[") + kGood + "," + kGood + "]", "duplicate name");
}

TEST(Fixture, DuplicateNameAcrossLessons) {
    namespace fs = std::filesystem;
    fs::path root = fs::temp_directory_path() / ("harness-dup-" + std::to_string(::getpid()));
    fs::create_directories(root / "lessons/01-a");
    fs::create_directories(root / "lessons/02-b");
    std::ofstream(root / "lessons/01-a/fixtures.json") << "[" << kGood << "]";
    std::ofstream(root / "lessons/02-b/fixtures.json") << "[" << kGood << "]";
    std::string err;
    try {
        load_fixtures(root.string());
    } catch (const FixtureError& e) {
        err = e.what();
    }
    fs::remove_all(root);
    EXPECT_NE(err.find("lessons/02-b/fixtures.json"), std::string::npos) << err;
    EXPECT_NE(err.find("also in lessons/01-a/fixtures.json"), std::string::npos) << err;
}

TEST(Fixture, WrongTypes) {
    expect_error(with("since", "\"3\""), "since must be an integer");
    expect_error(with("request", "42"), "request must be a string");
    expect_error(with("half_close", "1"), "half_close must be true or false");
    expect_error(with("expect", R"({"status": "200"})"), "expect.status must be an integer");
    expect_error(with("expect", R"({"status": 200, "headers": {"Server": 1}})"), "expect.headers['Server']");
    expect_error(with("flags", R"("-w")"), "flags must be an array");
}

TEST(Fixture, MissingKeys) {
    nlohmann::json j = nlohmann::json::parse(kGood);
    for (const char* k : {"expect", "since", "name", "why", "spec"}) {
        nlohmann::json c = j;
        c.erase(k);
        expect_error("[" + c.dump() + "]", std::string("missing key '") + k + "'");
    }
}

TEST(Fixture, ExpectNeedsAStatus) {
    expect_error(with("expect", R"({"headers": {"Server": "x"}})"), "needs a status");
}

TEST(Fixture, RequestAndChunksTogether) {
    expect_error(with("chunks", R"([{"data": "GET"}])"), "only one of 'request', 'chunks' and 'run'");
}

TEST(Fixture, BadRegexIsCaughtAtLoadTime) {
    expect_error(with("expect", R"({"status": 200, "headers": {"X": {"regex": "(unclosed"}}})"), "not a valid ECMAScript regex");
}

TEST(Fixture, DocrootPathMustStayInside) {
    expect_error(with("docroot", R"({"../x": {"content": "a"}})"), "must not contain ..");
    expect_error(with("docroot", R"({"/etc/x": {"content": "a"}})"), "relative path");
    expect_error(with("docroot", R"({"x": {"mode": "999"}})"), "octal");
}

TEST(Fixture, NoResponseExcludesStatus) {
    expect_error(with("expect", R"({"status": 200, "no_response": true})"), "cannot be combined");
}

TEST(Fixture, RunFixture) {
    auto v = parse_fixture_file(
        R"([{"name": "r", "since": 0, "why": "w", "spec": "s", "run": {"args": ["/"]},
             "expect": {"stdout": "x\n", "exit": 0}}])",
        "f.json");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_TRUE(v[0].is_run);
    EXPECT_EQ(v[0].run_args, std::vector<std::string>{"/"});
    EXPECT_EQ(v[0].expect.exit_status, 0);
    expect_error(R"([{"name": "r", "since": 0, "why": "w", "spec": "s", "run": {}, "expect": {"status": 200}}])",
                 "unknown key 'status'");
}

TEST(Fixture, OwnServerWhenDocrootOrFlags) {
    auto v = parse_fixture_file(with("docroot", R"({"a.txt": {"content": "x", "mode": "0000"}})"), "f.json");
    EXPECT_TRUE(v[0].needs_own_server());
    EXPECT_EQ(v[0].docroot[0].mode, 0u);
    EXPECT_EQ(v[0].docroot[0].content, "x");
    auto w = parse_fixture_file(with("flags", R"(["-w"])"), "f.json");
    EXPECT_TRUE(w[0].needs_own_server());
    auto shared = parse_fixture_file(std::string("[") + kGood + "]", "f.json");
    EXPECT_EQ(shared[0].server_key(), "shared");
    EXPECT_NE(w[0].server_key(), shared[0].server_key());
}

TEST(Fixture, ContainsInOrderBody) {
    auto v = parse_fixture_file(with("expect", R"({"status": 200, "body": {"contains_in_order": ["a", "b"]}})"),
                                "f.json");
    ASSERT_TRUE(v[0].expect.body);
    EXPECT_EQ(v[0].expect.body->kind, BodyExpect::Kind::ContainsInOrder);
    EXPECT_EQ(v[0].expect.body->items, (std::vector<std::string>{"a", "b"}));
    expect_error(with("expect", R"({"status": 200, "body": {"contains_in_order": []}})"), "non-empty array");
    expect_error(with("expect", R"({"status": 200, "body": {"contains_in_order": "a"}})"), "non-empty array");
    expect_error(with("expect", R"({"status": 200, "body": {"contains_in_order": ["a", 1]}})"),
                 "contains_in_order[] must be a string");
}

TEST(Fixture, ManyFilesInTheDocroot) {
    auto v = parse_fixture_file(with("docroot", R"({"big": {"many": {"count": 10000, "prefix": "f-", "content": "x"}}})"),
                                "f.json");
    ASSERT_EQ(v[0].docroot.size(), 1u);
    ASSERT_TRUE(v[0].docroot[0].many);
    const ManyFiles& m = *v[0].docroot[0].many;
    EXPECT_EQ(m.count, 10000u);
    EXPECT_EQ(m.content, "x");
    EXPECT_TRUE(v[0].needs_own_server());
    // as many digits as count - 1 has: byte order is number order
    EXPECT_EQ(m.name(0), "f-0000");
    EXPECT_EQ(m.name(42), "f-0042");
    EXPECT_EQ(m.name(9999), "f-9999");
    EXPECT_EQ((ManyFiles{1, "", ""}.name(0)), "0");
    EXPECT_EQ((ManyFiles{11, "n", ""}.name(3)), "n03");
    expect_error(with("docroot", R"({"big": {"many": {"prefix": "f-"}}})"), "needs 'count'");
    expect_error(with("docroot", R"({"big": {"many": {"count": 0}}})"), "between 1 and 100000");
    expect_error(with("docroot", R"({"big": {"many": {"count": 100001}}})"), "between 1 and 100000");
    expect_error(with("docroot", R"({"big": {"many": {"count": 2, "prefix": "a/b"}}})"), "no '/'");
    expect_error(with("docroot", R"({"big": {"many": {"count": 2, "size": 3}}})"), "unknown key 'size'");
    expect_error(with("docroot", R"({"big": {"many": {"count": 2}, "dir": true}})"), "use only one of");
    expect_error(with("docroot", R"({"big": {"many": {"count": 2}, "mode": "0755"}})"), "cannot be combined");
}

TEST(Fixture, PrepareDocrootMakesManyFiles) {
    namespace fs = std::filesystem;
    fs::path root = fs::temp_directory_path() / ("harness-many-" + std::to_string(::getpid()));
    fs::create_directories(root / "site");
    std::ofstream(root / "site/a.txt") << "a";
    DocrootChange c;
    c.path = "sub/big";
    c.many = ManyFiles{120, "p", "xy"};
    prepare_docroot((root / "site").string(), (root / "dest").string(), {c});
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(root / "dest/sub/big")) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    ASSERT_EQ(names.size(), 120u);
    EXPECT_EQ(names.front(), "p000");
    EXPECT_EQ(names[57], "p057");
    EXPECT_EQ(names.back(), "p119");
    std::ifstream in(root / "dest/sub/big/p077");
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(content, "xy");
    EXPECT_TRUE(fs::exists(root / "dest/a.txt"));
    fs::remove_all(root);
}

TEST(Fixture, EveryLessonFixtureFileLoads) {
    // The real fixtures of this repository must pass validation.
    auto all = load_fixtures(METAL_SOURCE_DIR);
    EXPECT_GT(all.size(), 0u);
}

// Exercises: "exercise": "NN-slug" marks a fixture that only runs when the
// harness is asked for that exercise; "replaces" names the fixtures whose
// answer the exercise changes on purpose (docs/fixtures.md, "Exercises").
TEST(Fixture, ExerciseKeyIsChecked) {
    auto with_keys = [](const std::string& extra) {
        nlohmann::json j = nlohmann::json::parse(kGood);
        nlohmann::json more = nlohmann::json::parse(extra);
        for (auto& [k, v] : more.items()) j[k] = v;
        return "[" + j.dump() + "]";
    };
    expect_error(with_keys(R"({"exercise": "etag"})"), "exercise 'etag' must look like \"04-etag\"");
    expect_error(with_keys(R"({"exercise": "03-ETag"})"), "must look like");
    expect_error(with_keys(R"({"exercise": 3})"), "exercise must be a string");
    expect_error(with_keys(R"({"exercise": "04-etag"})"), "its fixtures need since = 4 (not 3)");
    expect_error(with_keys(R"({"replaces": ["t-other"]})"), "'replaces' needs 'exercise'");
    expect_error(with_keys(R"({"since": 99, "exercise": "99-x", "replaces": []})"), "replaces must be a non-empty array");
    expect_error(with_keys(R"({"since": 99, "exercise": "99-x", "replaces": ["t-ok"]})"), "cannot replace itself");
    // the exercise's lesson is the file's lesson (lessons/99-x here)
    expect_error(with_keys(R"({"exercise": "03-x"})"), "exercise 03-x belongs in lessons/03-*/fixtures.json");
    auto ok = parse_fixture_file(with_keys(R"({"exercise": "03-x", "replaces": ["t-old"]})"), "f.json");
    EXPECT_EQ(ok[0].exercise, "03-x");
    EXPECT_EQ(ok[0].replaces, std::vector<std::string>{"t-old"});
}

TEST(Fixture, ExerciseSelection) {
    auto all = parse_fixture_file(R"([
      {"name": "t-plain", "since": 3, "why": "w", "spec": "s", "request": "x", "expect": {"status": 200}},
      {"name": "t-old", "since": 3, "why": "w", "spec": "s", "request": "x", "expect": {"status": 505}},
      {"name": "t-new", "since": 3, "exercise": "03-x", "replaces": ["t-old"], "why": "w", "spec": "s",
       "request": "x", "expect": {"status": 200}},
      {"name": "t-other", "since": 3, "exercise": "03-y", "why": "w", "spec": "s", "request": "x",
       "expect": {"status": 200}}
    ])", "f.json");
    check_replaced_names(all);
    EXPECT_EQ(exercise_names(all), (std::vector<std::string>{"03-x", "03-y"}));
    auto names = [&](const std::string& exercise, int lesson) {
        std::set<std::string> replaced = replaced_by(all, exercise);
        std::vector<std::string> out;
        for (const auto& f : all)
            if (selected_for(f, lesson, exercise, replaced)) out.push_back(f.name);
        return out;
    };
    EXPECT_EQ(names("", 3), (std::vector<std::string>{"t-plain", "t-old"}));          // off by default
    EXPECT_EQ(names("03-x", 3), (std::vector<std::string>{"t-plain", "t-new"}));      // on, and t-old out
    EXPECT_EQ(names("03-y", 4), (std::vector<std::string>{"t-plain", "t-old", "t-other"}));
    EXPECT_EQ(names("03-x", 2), (std::vector<std::string>{}));                        // since still counts
}

TEST(Fixture, ReplacedFixturesMustExistAndBeOrdinary) {
    auto missing = parse_fixture_file(R"([{"name": "t-new", "since": 3, "exercise": "03-x", "replaces": ["t-gone"],
                                          "why": "w", "spec": "s", "request": "x", "expect": {"status": 200}}])",
                                      "f.json");
    std::string err;
    try {
        check_replaced_names(missing);
    } catch (const FixtureError& e) {
        err = e.what();
    }
    EXPECT_NE(err.find("replaces 't-gone', but there is no fixture of that name"), std::string::npos) << err;
    auto chained = parse_fixture_file(R"([
      {"name": "t-a", "since": 3, "exercise": "03-x", "why": "w", "spec": "s", "request": "x", "expect": {"status": 200}},
      {"name": "t-b", "since": 3, "exercise": "03-y", "replaces": ["t-a"], "why": "w", "spec": "s", "request": "x",
       "expect": {"status": 200}}])",
                                      "f.json");
    err.clear();
    try {
        check_replaced_names(chained);
    } catch (const FixtureError& e) {
        err = e.what();
    }
    EXPECT_NE(err.find("which belongs to exercise 03-x itself"), std::string::npos) << err;
}

TEST(Fixture, NeedsNamesWhatTheMachineMustOffer) {
    auto v = parse_fixture_file(with("needs", R"(["case-sensitive-disk"])"), "f.json");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_TRUE(v[0].needs_case_sensitive_disk());
    EXPECT_FALSE(parse_fixture_file(std::string("[") + kGood + "]", "f.json")[0].needs_case_sensitive_disk());
    expect_error(with("needs", R"(["a-fast-disk"])"), "unknown need 'a-fast-disk'");
    expect_error(with("needs", R"("case-sensitive-disk")"), "needs must be an array");
}

// Lesson 09: follow-up requests and a directory's names.
TEST(Fixture, ThenAndNames) {
    auto v = parse_fixture_file(
        with("then", R"([{"request": "GET /a HTTP/1.1\r\n\r\n", "half_close": true, "expect": {"status": 404}}])"), "f.json");
    ASSERT_EQ(v[0].then.size(), 1u);
    EXPECT_TRUE(v[0].then[0].half_close);
    EXPECT_EQ(v[0].then[0].expect.status, std::vector<int>{404});
    EXPECT_TRUE(v[0].needs_own_server());
    expect_error(with("then", "[]"), "then must be a non-empty array");
    expect_error(with("then", R"([{"request": "x"}])"), "then[] needs 'request' and 'expect'");
    expect_error(with("then", R"([{"request": "x", "expect": {"no_response": true}}])"), "a follow-up request expects an answer");
    expect_error(with("expect", R"({"status": 200, "docroot_after": {"d": {"names": ["a/b"]}}})"), "is not one name of a directory");
    expect_error(with("expect", R"({"status": 200, "docroot_after": {"d": {"names": ["a", "a"]}}})"), "lists a name twice");
    expect_error(with("expect", R"({"status": 200, "interim": [200]})"), "expect.interim[]");
}

// Lesson 10: signals, limits, a client that resets, and what the server
// must look like afterwards.
TEST(Fixture, SignalLimitResetAndServerAfter) {
    nlohmann::json j = nlohmann::json::parse(kGood);
    j["signal"] = {{"name", "SIGINT"}, {"after_ms", 300}, {"to", "group"}};
    j["server_after"] = {{"exit", 0}};
    auto v = parse_fixture_file("[" + j.dump() + "]", "f.json");
    ASSERT_TRUE(v[0].signal.has_value());
    EXPECT_EQ(v[0].signal->signo, SIGINT);
    EXPECT_EQ(v[0].signal->after_ms, 300);
    EXPECT_TRUE(v[0].signal->group);
    EXPECT_EQ(v[0].exit_after, 0);
    EXPECT_TRUE(v[0].needs_own_server());
    j["signal"] = {{"name", "SIGHUP"}, {"after_ms", 1}};
    expect_error("[" + j.dump() + "]", "signal.name: 'SIGHUP'");
    j["signal"] = {{"name", "SIGTERM"}, {"after_ms", 1}, {"to", "everyone"}};
    expect_error("[" + j.dump() + "]", "signal.to: 'everyone'");
    expect_error(with("signal", R"({"name": "SIGTERM", "after_ms": 1})"), "needs server_after.exit");
    expect_error(with("server_after", R"({"exit": 0})"), "server_after.exit needs a 'signal'");
    expect_error(with("server_after", R"({})"), "server_after needs");
    j["signal"] = {{"name", "SIGTERM"}, {"after_ms", 1}};
    j["then"] = nlohmann::json::parse(R"([{"request": "x", "expect": {"status": 200}}])");
    expect_error("[" + j.dump() + "]", "cannot have 'then' or 'repeat'");

    auto l = parse_fixture_file(with("limit", R"({"resource": "descriptors", "for_ms": 1500, "cpu_below_percent": 10})"), "f.json");
    ASSERT_TRUE(l[0].limit.has_value());
    EXPECT_EQ(l[0].limit->resource, "descriptors");
    EXPECT_EQ(l[0].limit->for_ms, 1500);
    EXPECT_EQ(l[0].limit->cpu_below_percent, 10);
    EXPECT_TRUE(l[0].needs_own_server());
    expect_error(with("limit", R"({"resource": "memory", "for_ms": 1})"), "limit.resource: 'memory'");
    expect_error(with("limit", R"({"resource": "processes"})"), "limit needs 'resource' and 'for_ms'");
    expect_error(with("limit", R"({"resource": "processes", "for_ms": 1, "cpu_below_percent": 0})"), "cpu_below_percent");

    auto r = parse_fixture_file(with("reset_after_bytes", "65536"), "f.json");
    EXPECT_EQ(r[0].reset_after_bytes, 65536);
    EXPECT_TRUE(r[0].needs_own_server());
    expect_error(with("reset_after_bytes", "0"), "reset_after_bytes");
    j = nlohmann::json::parse(kGood);
    j["reset_after_bytes"] = 10;
    j["expect"] = {{"status", 200}, {"cut", true}};
    expect_error("[" + j.dump() + "]", "no 'body', 'cut' or 'no_response'");

    auto c = parse_fixture_file(with("server_after", R"({"zombies": 0, "children": 0})"), "f.json");
    EXPECT_EQ(c[0].zombies_after, 0);
    EXPECT_EQ(c[0].children_after, 0);
}

TEST(Fixture, DateChecksAndMtimeAreChecked) {
    auto headers = [](const std::string& v) {
        return with("expect", R"({"status": 200, "headers": {"Date": )" + v + "}}");
    };
    EXPECT_EQ(error_for(headers(R"({"http_date": "now"})")), "");
    EXPECT_EQ(error_for(headers(R"({"http_date": -315619200})")), "");
    expect_error(headers(R"({"http_date": "today"})"), "must be \"now\" or a number");
    expect_error(headers(R"({"http_date": 253402300800})"), "http_date");        // past 9999-12-31 23:59:59
    expect_error(headers(R"({"same_as": "date"})"), "must name another header");
    expect_error(headers(R"({"http_date": "now", "same_as": "Expires"})"), "exactly one key");
    EXPECT_EQ(error_for(with("docroot", R"({"a.txt": {"content": "x", "mtime": 784111777}})")), "");
    EXPECT_EQ(error_for(with("docroot", R"({"a.txt": {"mtime": -1}})")), "");
    expect_error(with("docroot", R"({"a.txt": {"symlink": "b", "mtime": 1}})"), "mtime cannot be combined");
    expect_error(with("docroot", R"({"a.txt": {"mtime": "1994"}})"), "mtime");
}
