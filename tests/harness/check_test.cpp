// tests/harness/check_test.cpp -- expectations against responses.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <unistd.h>

#include "check.hpp"

using namespace harness;

namespace {
Fixture fixture(const std::string& expect_json) {
    auto v = parse_fixture_file(R"([{"name": "c", "since": 1, "why": "w", "spec": "s",
                                     "request": "GET / HTTP/1.1\r\n\r\n", "expect": )" +
                                    expect_json + "}]",
                                "f.json");
    return v[0];
}

Exchange closed_with(const std::string& bytes) {
    Exchange ex;
    ex.connected = true;
    ex.closed = true;
    ex.received = bytes;
    return ex;
}

const std::string kOk = "HTTP/1.1 200 OK\r\nServer: metal-httpd\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        "Content-Length: 6\r\nConnection: close\r\n\r\nhello\n";

std::vector<Assertion> run(const Fixture& f, const Exchange& ex, std::optional<std::string> file = std::nullopt) {
    return check_http(f, ex, parse_response(ex.received, false), file, "/nonexistent");
}

bool has_failure(const std::vector<Assertion>& list, const std::string& part) {
    for (const auto& a : list)
        if (!a.ok && a.text.find(part) != std::string::npos) return true;
    return false;
}
}  // namespace

TEST(Check, AllMatch) {
    Fixture f = fixture(R"({"status": 200, "headers": {"content-type": "text/plain; charset=utf-8",
                            "Content-Length": {"regex": "[0-9]+"}, "Allow": {"absent": true}}, "body": "hello\n"})");
    auto a = run(f, closed_with(kOk));
    EXPECT_TRUE(all_ok(a));
    EXPECT_EQ(a.size(), 5u);   // status, 3 headers, body
}

TEST(Check, WrongStatus) {
    Fixture f = fixture(R"({"status": [404, 410]})");
    auto a = run(f, closed_with(kOk));
    EXPECT_FALSE(all_ok(a));
    EXPECT_TRUE(has_failure(a, "status: expected 404 or 410, got 200"));
}

TEST(Check, MissingAndWrongHeaders) {
    Fixture f = fixture(R"({"status": 200, "headers": {"Allow": "GET", "Server": "other",
                            "Content-Length": {"regex": "[a-z]+"}, "Connection": {"absent": true}}})");
    auto a = run(f, closed_with(kOk));
    EXPECT_TRUE(has_failure(a, "got no Allow header"));
    EXPECT_TRUE(has_failure(a, "Server: expected \"other\", got \"metal-httpd\""));
    EXPECT_TRUE(has_failure(a, "matching /[a-z]+/"));
    EXPECT_TRUE(has_failure(a, "Connection should be absent"));
}

TEST(Check, RegexMustMatchTheWholeValue) {
    HeaderExpect e{HeaderExpect::Kind::Regex, "[0-9]"};
    EXPECT_FALSE(header_matches(e, std::string("12")));
    EXPECT_TRUE(header_matches(e, std::string("1")));
    EXPECT_FALSE(header_matches(e, std::nullopt));
}

TEST(Check, BodyDifferenceShowsFirstByte) {
    Fixture f = fixture(R"({"status": 200, "body": "help!\n"})");
    auto a = run(f, closed_with(kOk));
    EXPECT_TRUE(has_failure(a, "body differs at byte 3"));
}

TEST(Check, BodyKinds) {
    EXPECT_TRUE(all_ok(run(fixture(R"({"status": 200, "body": {"contains": "ell"}})"), closed_with(kOk))));
    EXPECT_TRUE(all_ok(run(fixture(R"({"status": 200, "body": {"size": 6}})"), closed_with(kOk))));
    EXPECT_TRUE(all_ok(run(fixture(
        R"({"status": 200, "body": {"sha256": "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"}})"),
                           closed_with(kOk))));
    EXPECT_FALSE(all_ok(run(fixture(R"({"status": 200, "body": {"empty": true}})"), closed_with(kOk))));
    Fixture ff = fixture(R"({"status": 200, "body": {"file": "hello.txt"}})");
    EXPECT_TRUE(all_ok(run(ff, closed_with(kOk), std::string("hello\n"))));
    EXPECT_FALSE(all_ok(run(ff, closed_with(kOk), std::string("other\n"))));
    EXPECT_TRUE(has_failure(run(ff, closed_with(kOk)), "not in the docroot"));
}

// contains_in_order: each item after the END of the one before -- so
// order, not adjacency, and an item cannot be found inside the previous one.
TEST(Check, BodyContainsInOrder) {
    const std::string ok3 = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\na b c a b c";
    EXPECT_TRUE(all_ok(run(fixture(R"({"status": 200, "body": {"contains_in_order": ["a", "c", "b"]}})"),
                           closed_with(ok3))));
    EXPECT_TRUE(all_ok(run(fixture(R"({"status": 200, "body": {"contains_in_order": ["hello"]}})"), closed_with(kOk))));
    // out of order: named as such
    auto a = run(fixture(R"({"status": 200, "body": {"contains_in_order": ["llo", "he"]}})"), closed_with(kOk));
    EXPECT_TRUE(has_failure(a, "item 2 of 2, \"he\" comes before \"llo\", not after it")) << a.back().text;
    // missing
    EXPECT_TRUE(has_failure(run(fixture(R"({"status": 200, "body": {"contains_in_order": ["x"]}})"), closed_with(kOk)),
                            "item 1 of 1, \"x\" is missing"));
    EXPECT_TRUE(has_failure(
        run(fixture(R"({"status": 200, "body": {"contains_in_order": ["he", "zz"]}})"), closed_with(kOk)),
        "\"zz\" is missing (after \"he\")"));
    // "ll" then "l": the second must come after the first one ends
    EXPECT_FALSE(all_ok(run(fixture(R"({"status": 200, "body": {"contains_in_order": ["hell", "l"]}})"),
                            closed_with(kOk))));
    EXPECT_TRUE(all_ok(run(fixture(R"({"status": 200, "body": {"contains_in_order": ["hel", "l"]}})"),
                           closed_with(kOk))));
}

// A failing contains_in_order shows where the match stopped: a little of
// the body before the end of the last item found, a "|", and what follows
// it (where the missing item was looked for) -- not the whole body.
TEST(Check, BodyContainsInOrderShowsWhereTheMatchStopped) {
    const std::string body = std::string(200, 'x') + "\n<li>a.txt</li>\n<li>b.txt</li>\n<li>d.txt</li>\n" +
                             std::string(300, 'y');
    const std::string response = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
                                 "\r\nConnection: close\r\n\r\n" + body;
    const size_t stop = body.find("b.txt") + 5;   // the end of item 2
    auto a = run(fixture(R"({"status": 200, "body": {"contains_in_order": ["a.txt", "b.txt", "c.txt"]}})"),
                 closed_with(response));
    ASSERT_FALSE(all_ok(a));
    EXPECT_TRUE(has_failure(a, "item 3 of 3, \"c.txt\" is missing (after \"b.txt\")")) << a.back().text;
    EXPECT_TRUE(has_failure(a, "the match stopped at byte " + std::to_string(stop) + " of " +
                                   std::to_string(body.size()) + " (the end of item 2)"))
        << a.back().text;
    // before the stop: the last bytes of item 2; after it: what came instead of c.txt
    EXPECT_TRUE(has_failure(a, "a.txt</li>\\n<li>b.txt\" | \"</li>\\n<li>d.txt</li>\\nyyy")) << a.back().text;
    // context, not the whole body: neither the start nor the end of it
    for (const auto& x : a)
        if (!x.ok) {
            EXPECT_EQ(x.text.find(std::string(60, 'x')), std::string::npos) << x.text;
            EXPECT_EQ(x.text.find(std::string(200, 'y')), std::string::npos) << x.text;
        }

    // out of order: where the item is, and the bytes after the stop
    auto b = run(fixture(R"({"status": 200, "body": {"contains_in_order": ["d.txt", "a.txt"]}})"), closed_with(response));
    EXPECT_TRUE(has_failure(b, "\"a.txt\" comes before \"d.txt\", not after it (it is at byte " +
                                   std::to_string(body.find("a.txt")) + ")"))
        << b.back().text;
    EXPECT_TRUE(has_failure(b, "(the end of item 1): ...\"")) << b.back().text;   // context before it, cut

    // the first item missing: the search started at byte 0
    auto c = run(fixture(R"({"status": 200, "body": {"contains_in_order": ["zz"]}})"), closed_with(kOk));
    EXPECT_TRUE(has_failure(c, "the match stopped at byte 0 of 6 (the start): \"\" | \"hello\\n\"")) << c.back().text;
    // the last item found at the very end: nothing after the stop
    auto d = run(fixture(R"({"status": 200, "body": {"contains_in_order": ["hello\n", "x"]}})"), closed_with(kOk));
    EXPECT_TRUE(has_failure(d, "byte 6 of 6 (the end of item 1): \"hello\\n\" | (the end of the body)"))
        << d.back().text;
}

TEST(Check, NoResponse) {
    Fixture f = fixture(R"({"no_response": true})");
    EXPECT_TRUE(all_ok(run(f, closed_with(""))));
    EXPECT_TRUE(has_failure(run(f, closed_with(kOk)), "but sent"));
    Exchange hung;
    hung.connected = true;
    hung.timed_out = true;
    EXPECT_TRUE(has_failure(run(f, hung), "kept it open"));
}

TEST(Check, ServerThatDoesNotCloseFails) {
    Fixture f = fixture(R"({"status": 200})");
    Exchange ex = closed_with(kOk);
    ex.closed = false;
    ex.timed_out = true;
    EXPECT_TRUE(has_failure(run(f, ex), "did not close the connection"));
}

TEST(Check, TruncatedBodyFailsEvenWithoutBodyExpectation) {
    Fixture f = fixture(R"({"status": 200})");
    EXPECT_TRUE(has_failure(run(f, closed_with("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc")), "truncated"));
}

TEST(Check, RunFixtureExitAndStdout) {
    auto v = parse_fixture_file(R"([{"name": "r", "since": 0, "why": "w", "spec": "s", "run": {},
                                     "expect": {"stdout": "hi\n", "exit": 2, "stderr": {"contains": "oops"}}}])",
                                "f.json");
    RunResult r;
    r.started = true;
    r.out = "hi\n";
    r.err = "an oops happened";
    r.wait_status = 2 << 8;   // exited with status 2
    EXPECT_TRUE(all_ok(check_run(v[0], r)));
    r.wait_status = 0;
    r.out = "ho\n";
    auto a = check_run(v[0], r);
    EXPECT_TRUE(has_failure(a, "expected exit status 2, got exit status 0"));
    EXPECT_TRUE(has_failure(a, "stdout differs at byte 1"));
}

TEST(Zombies, CountsUnreapedChildren) {
    pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    int n = 0;
    for (int i = 0; i < 100 && n == 0; ++i) {
        ::usleep(10000);
        n = count_zombies(::getpid());
    }
    EXPECT_EQ(n, 1);
    ::waitpid(child, nullptr, 0);
    EXPECT_EQ(count_zombies(::getpid()), 0);
}

TEST(Qemu, DecidedByTheFileNotTheName) {
    // This test binary is native: never emulated, whatever it is called.
    EXPECT_FALSE(needs_qemu("/proc/self/exe"));
    EXPECT_FALSE(needs_qemu("/etc/passwd"));
}

// Lesson 09: expect.interim, exactly the 1xx responses that came first.
TEST(Check, InterimResponses) {
    Fixture want100 = fixture(R"({"status": 200, "interim": [100]})");
    Fixture none = fixture(R"({"status": 200, "interim": []})");
    Exchange with = closed_with("HTTP/1.1 100 Continue\r\n\r\n" + kOk);
    Exchange without = closed_with(kOk);
    EXPECT_TRUE(all_ok(run(want100, with)));
    EXPECT_TRUE(has_failure(run(want100, without), "interim responses: expected [100], got []"));
    EXPECT_TRUE(all_ok(run(none, without)));
    EXPECT_TRUE(has_failure(run(none, with), "interim responses: expected [], got [100]"));
}

// Lesson 09: docroot_after names -- a directory holding exactly these names.
TEST(Check, DocrootNamesAreExact) {
    char tmpl[] = "/tmp/metal-check-names-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    std::string dir = tmpl;
    ::mkdir((dir + "/up").c_str(), 0755);
    FILE* f = ::fopen((dir + "/up/a.txt").c_str(), "w");
    ASSERT_NE(f, nullptr);
    ::fclose(f);
    auto check = [&](const std::string& names) {
        Fixture fx = fixture(R"({"status": 200, "docroot_after": {"up": {"names": )" + names + "}}}");
        return check_http(fx, closed_with(kOk), parse_response(kOk, false), std::nullopt, dir);
    };
    EXPECT_TRUE(all_ok(check(R"(["a.txt"])")));
    EXPECT_TRUE(has_failure(check(R"([])"), "should hold exactly []"));
    EXPECT_TRUE(has_failure(check(R"(["a.txt", "b"])"), "holds [\"a.txt\"]"));
    ::unlink((dir + "/up/a.txt").c_str());
    ::rmdir((dir + "/up").c_str());
    ::rmdir(dir.c_str());
}

// expect.log (lesson 10's access log): exact lines, {date} a CLF date near now.
namespace {
// 2026-12-07 10:00:00 UTC, as seconds since 1970 (20794 days * 86400 + 36000)
constexpr long long kNow = 1796637600;
const std::string kListening = "listening on http://127.0.0.1:8080/\n";
}  // namespace

TEST(CheckLog, DateWithinAMinuteMatches) {
    std::string out = kListening + "127.0.0.1 - - [07/Dec/2026:10:00:30 +0000] \"GET / HTTP/1.1\" 200 5\n";
    auto list = check_log({"127.0.0.1 - - [{date}] \"GET / HTTP/1.1\" 200 5"}, out, kNow);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_TRUE(list[0].ok) << list[0].text;
}

TEST(CheckLog, DateTooFarFails) {
    std::string out = kListening + "127.0.0.1 - - [07/Dec/2026:10:01:01 +0000] \"GET / HTTP/1.1\" 200 5\n";
    auto list = check_log({"127.0.0.1 - - [{date}] \"GET / HTTP/1.1\" 200 5"}, out, kNow);
    EXPECT_TRUE(has_failure(list, "61 s from the harness's clock"));
}

TEST(CheckLog, ImpossibleDateFails) {
    std::string out = kListening + "127.0.0.1 - - [32/Dec/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5\n";
    EXPECT_TRUE(has_failure(check_log({"127.0.0.1 - - [{date}] \"GET / HTTP/1.1\" 200 5"}, out, kNow), "not a real date"));
}

TEST(CheckLog, OtherTextIsExactRegexCharactersToo) {
    std::string out = kListening + "127.0.0.1 - - [07/Dec/2026:10:00:00 +0000] \"GET /a+b HTTP/1.1\" 200 5\n";
    EXPECT_TRUE(all_ok(check_log({"127.0.0.1 - - [{date}] \"GET /a+b HTTP/1.1\" 200 5"}, out, kNow)));
    EXPECT_FALSE(all_ok(check_log({"127.0.0.1 - - [{date}] \"GET /aab HTTP/1.1\" 200 5"}, out, kNow)));
    EXPECT_FALSE(all_ok(check_log({"127.0.0.1 - - [{date}] \"GET /a+b HTTP/1.1\" 200 -"}, out, kNow)));
}

TEST(CheckLog, MissingAndExtraLinesFail) {
    std::string one = kListening + "a\n";
    EXPECT_TRUE(has_failure(check_log({"a", "b"}, one, kNow), "log line 2: missing"));
    EXPECT_TRUE(has_failure(check_log({}, one, kNow), "log line 1: one too many"));
    EXPECT_TRUE(all_ok(check_log({}, kListening, kNow)));
}

TEST(CheckLog, ALineWithoutItsNewlineStillCounts) {
    EXPECT_EQ(log_lines(kListening + "a\nb"), (std::vector<std::string>{"a", "b"}));
}

TEST(CheckLog, FixtureKeyParsesAndNeedsItsOwnServer) {
    Fixture f = fixture(R"({"status": 200, "log": ["x [{date}] y"]})");
    ASSERT_TRUE(f.expect.log.has_value());
    EXPECT_EQ(*f.expect.log, std::vector<std::string>{"x [{date}] y"});
    EXPECT_TRUE(f.needs_own_server());
    EXPECT_FALSE(fixture(R"({"status": 200})").needs_own_server());
    EXPECT_THROW(fixture(R"({"status": 200, "log": "x"})"), FixtureError);
    EXPECT_THROW(fixture(R"({"status": 200, "log": ["a\nb"]})"), FixtureError);
}

// --- lesson 11's date checks ------------------------------------------------

TEST(CheckDates, ImfFixdateIsReadExactly) {
    EXPECT_EQ(imf_fixdate_seconds("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777LL);   // RFC 9110 §5.6.7's example
    EXPECT_EQ(imf_fixdate_seconds("Fri, 01 Jan 1960 00:00:00 GMT"), -315619200LL);  // before 1970
    EXPECT_EQ(imf_fixdate_seconds("Sat, 01 Jan 0000 00:00:00 GMT"), kHttpDateMinSeconds);
    EXPECT_EQ(imf_fixdate_seconds("Fri, 31 Dec 9999 23:59:59 GMT"), kHttpDateMaxSeconds);
    for (const char* bad : {"Mon, 06 Nov 1994 08:49:37 GMT",    // Sunday, not Monday
                            "Sun, 06 Nov 1994 08:49:37 UTC", "sun, 06 Nov 1994 08:49:37 GMT",
                            "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 31 Nov 1994 08:49:37 GMT",
                            "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 GMT ",
                            "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", ""})
        EXPECT_FALSE(imf_fixdate_seconds(bad).has_value()) << bad;
}

TEST(CheckDates, ImfFixdateIsWritten) {
    EXPECT_EQ(imf_fixdate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(imf_fixdate(-315619200), "Fri, 01 Jan 1960 00:00:00 GMT");
    EXPECT_EQ(imf_fixdate(kHttpDateMinSeconds), "Sat, 01 Jan 0000 00:00:00 GMT");   // four digits, padded
    EXPECT_EQ(imf_fixdate(2208988800LL), "Sun, 01 Jan 2040 00:00:00 GMT");          // past 2^31
}

TEST(CheckDates, NowMeansWithinTheSlack) {
    HeaderExpect e{HeaderExpect::Kind::HttpDateNow, ""};
    const long long now = 784111777;
    EXPECT_TRUE(header_matches(e, std::string("Sun, 06 Nov 1994 08:49:37 GMT"), now));
    EXPECT_TRUE(header_matches(e, imf_fixdate(now - kDateSlackSeconds), now));
    EXPECT_TRUE(header_matches(e, imf_fixdate(now + kDateSlackSeconds), now));
    EXPECT_FALSE(header_matches(e, imf_fixdate(now - kDateSlackSeconds - 1), now));
    EXPECT_FALSE(header_matches(e, imf_fixdate(now + kDateSlackSeconds + 1), now));
    EXPECT_FALSE(header_matches(e, std::string("Sun, 06 Nov 1994 08:49:37 UTC"), now));   // the shape too
    EXPECT_FALSE(header_matches(e, std::nullopt, now));
}

TEST(CheckDates, AtMeansThatSecond) {
    HeaderExpect e{HeaderExpect::Kind::HttpDateAt, ""};
    e.seconds = 784111777;
    EXPECT_TRUE(header_matches(e, std::string("Sun, 06 Nov 1994 08:49:37 GMT")));
    EXPECT_FALSE(header_matches(e, std::string("Sun, 06 Nov 1994 08:49:38 GMT")));
    EXPECT_FALSE(header_matches(e, std::string("Sunday, 06-Nov-94 08:49:37 GMT")));   // the same second, another form
}

TEST(CheckDates, FixturesCheckDatesAndSameAs) {
    const std::string now = imf_fixdate(static_cast<long long>(std::time(nullptr)));
    const std::string resp = "HTTP/1.1 200 OK\r\nDate: " + now + "\r\nLast-Modified: " + now +
                             "\r\nExpires: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n";
    Fixture good = fixture(R"({"status": 200, "headers": {"Date": {"http_date": "now"},
                               "Last-Modified": {"same_as": "Date"}, "Expires": {"http_date": 784111777}}})");
    EXPECT_TRUE(all_ok(run(good, closed_with(resp))));
    Fixture bad = fixture(R"({"status": 200, "headers": {"Expires": {"same_as": "Date"},
                              "Last-Modified": {"http_date": 784111777}, "Age": {"same_as": "Date"}}})");
    auto a = run(bad, closed_with(resp));
    EXPECT_TRUE(has_failure(a, "Expires: expected the same as Date"));
    EXPECT_TRUE(has_failure(a, "Last-Modified: expected \"Sun, 06 Nov 1994 08:49:37 GMT\""));
    EXPECT_TRUE(has_failure(a, "got no Age header"));
    Fixture old = fixture(R"({"status": 200, "headers": {"Expires": {"http_date": "now"}}})");
    EXPECT_TRUE(has_failure(run(old, closed_with(resp)), "within 10 s of the harness's clock"));
}
