// tests/tools/grade.cpp -- build/tools/grade, what `make grade-NN FN=name`
// runs once the Makefile has built lesson NN's assembly server and the
// asm-vs-C++ suite with the student's version of the function
// (tests/tools/exercise.sh).
//
//  1. The function's differential tests: the tests of lesson NN's suites
//     (LessonNN*) whose name starts with the function's name in
//     CamelCase (percent_decode: PercentDecodeTableAgrees, ...), less
//     those of a longer function name (parse_range is not
//     ParseRangeSpec...); a function no test is named after gets the
//     tests whose body calls it (tests/asm/NN-*_test.cpp), else those
//     that call one of its callers, else all of lesson NN's.  Each test
//     runs in its own process when an earlier one crashed
//     (tests/asm/main.cpp), which also tells where a crash struck.
//  2. The fixtures lesson NN introduces (--fixtures all: every fixture of
//     lesson NN; none: no fixtures) against the assembly server built
//     with it.
//
// Prints the score, the first failing input with what was expected and
// what came, and the next step; writes the results as JSON (--json) for
// a teacher collecting them.  Exit status 0 when everything passed.
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Args {
    std::string lesson, function, stage, source, tests, server, harness, json_file, fixtures = "new";
    std::vector<std::string> functions;
};

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "grade: " << why << "\n"
              << "usage: grade --lesson NN --function NAME --stage NN-slug --source FILE --functions 'a b c'\n"
                 "             --tests 'CMD' --server FILE --harness FILE --json FILE [--fixtures new|all|none]\n";
    std::exit(2);
}

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        std::string k = argv[i];
        if (i + 1 >= argc) usage(k + " needs a value");
        std::string v = argv[++i];
        if (k == "--lesson") a.lesson = v;
        else if (k == "--function") a.function = v;
        else if (k == "--stage") a.stage = v;
        else if (k == "--source") a.source = v;
        else if (k == "--tests") a.tests = v;
        else if (k == "--server") a.server = v;
        else if (k == "--harness") a.harness = v;
        else if (k == "--json") a.json_file = v;
        else if (k == "--fixtures") a.fixtures = v;
        else if (k == "--functions") {
            std::istringstream in(v);
            for (std::string f; in >> f;) a.functions.push_back(f);
        } else usage("unknown argument " + k);
    }
    if (a.fixtures != "new" && a.fixtures != "all" && a.fixtures != "none") usage("--fixtures is new, all or none, not " + a.fixtures);
    if (a.lesson.empty() || a.function.empty() || a.tests.empty() || a.server.empty() || a.harness.empty() || a.json_file.empty())
        usage("missing arguments");
    return a;
}

// Output of a shell command, and its exit status.
std::pair<std::string, int> run(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return {"", 127};
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    int st = ::pclose(p);
    return {out, WIFEXITED(st) ? WEXITSTATUS(st) : 128};
}

std::string camel(const std::string& snake) {
    std::string out;
    bool up = true;
    for (char c : snake) {
        if (c == '_') {
            up = true;
            continue;
        }
        out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        up = false;
    }
    return out;
}

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

std::vector<std::string> list_tests(const std::string& tests_cmd) {
    auto [out, rc] = run(tests_cmd + " --gtest_list_tests 2>/dev/null");
    std::vector<std::string> names;
    std::string suite;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        if (line[0] != ' ') {
            suite = line.substr(0, line.find('.'));
            continue;
        }
        std::string name = line.substr(2);
        name = name.substr(0, name.find(' '));
        names.push_back(suite + "." + name);
    }
    return names;
}

// The tests of tests/asm/NN-*_test.cpp whose body calls one of the
// functions the regex alternation names.
std::vector<std::string> tests_calling(const std::string& lesson, const std::string& names, const std::vector<std::string>& all) {
    std::vector<std::string> out;
    std::regex call("(^|[^:.>A-Za-z0-9_])" + names + "\\s*\\(");
    std::regex head("^TEST(_F|_P)?\\(\\s*([A-Za-z0-9_]+)\\s*,\\s*([A-Za-z0-9_]+)\\s*\\)");
    for (const auto& e : fs::directory_iterator("tests/asm")) {
        std::string file = e.path().filename().string();
        if (!starts_with(file, lesson + "-")) continue;
        std::ifstream in(e.path());
        std::string current, line;
        bool calls = false;
        auto flush = [&] {
            if (!current.empty() && calls && std::find(all.begin(), all.end(), current) != all.end()) out.push_back(current);
        };
        while (std::getline(in, line)) {
            std::smatch m;
            if (std::regex_search(line, m, head)) {
                flush();
                current = m[2].str() + "." + m[3].str();
                calls = false;
                continue;
            }
            if (!current.empty() && std::regex_search(line, call)) calls = true;
        }
        flush();
    }
    return out;
}

// Every function of asm/*.s that calls fn, directly or through others.
std::vector<std::string> callers_of(const std::string& fn) {
    std::map<std::string, std::set<std::string>> called_by;   // callee -> callers
    std::regex func("^FUNC\\s+([A-Za-z0-9_]+)"), call("^\\s*(CALL|JUMP|LIST_STEP|bl|b)\\s+([A-Za-z_][A-Za-z0-9_]*)");
    for (const auto& e : fs::directory_iterator("asm")) {
        if (e.path().extension() != ".s") continue;
        std::ifstream in(e.path());
        std::string current, line;
        while (std::getline(in, line)) {
            std::smatch m;
            if (std::regex_search(line, m, func)) current = m[1];
            else if (!current.empty() && std::regex_search(line, m, call) && m[2] != current) called_by[m[2]].insert(current);
        }
    }
    std::vector<std::string> out, todo{fn};
    std::set<std::string> seen{fn};
    while (!todo.empty()) {
        std::string f = todo.back();
        todo.pop_back();
        for (const auto& c : called_by[f])
            if (seen.insert(c).second) {
                out.push_back(c);
                todo.push_back(c);
            }
    }
    return out;
}

// The tests graded for the function (see the top of the file); `how`
// says which rule found them.
std::vector<std::string> tests_for(const Args& a, const std::vector<std::string>& all, std::string& how) {
    const std::string mine = camel(a.function);
    std::vector<std::string> longer;   // other functions whose CamelCase starts with ours
    for (const auto& f : a.functions)
        if (f != a.function && starts_with(camel(f), mine)) longer.push_back(camel(f));
    std::vector<std::string> out;
    for (const auto& t : all) {
        if (!starts_with(t, "Lesson" + a.lesson)) continue;
        std::string name = t.substr(t.find('.') + 1);
        if (!starts_with(name, mine)) continue;
        bool theirs = false;
        for (const auto& l : longer) theirs = theirs || starts_with(name, l);
        if (!theirs) out.push_back(t);
    }
    if (!out.empty()) {
        how = "the lesson " + a.lesson + " tests named " + mine + "...";
        return out;
    }
    // No test is named after it: the tests whose body calls it (the
    // assembly's, not httpd::name) -- or, failing that, calls a function
    // that calls it (asm/*.s: CALL, JUMP, the spine's LIST_STEP) -- or,
    // failing that, every test of the lesson.
    std::vector<std::string> callers = callers_of(a.function);
    for (size_t round = 0; round < 2 && out.empty(); ++round) {
        std::vector<std::string> names = round == 0 ? std::vector<std::string>{a.function} : callers;
        if (names.empty()) continue;
        std::string alt;
        for (const auto& n : names) alt += (alt.empty() ? "" : "|") + n;
        out = tests_calling(a.lesson, "(" + alt + ")", all);
        how = round == 0 ? "no test is named " + mine + "...: the lesson " + a.lesson + " tests that call " + a.function
                         : "no test is named after " + a.function + " or calls it: the lesson " + a.lesson +
                               " tests that call a function that calls it";
    }
    if (out.empty()) {
        for (const auto& t : all)
            if (starts_with(t, "Lesson" + a.lesson)) out.push_back(t);
        how = "no test names or calls " + a.function + " or its callers: every lesson " + a.lesson + " test";
    }
    return out;
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

json read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) return json();
    try {
        return json::parse(in);
    } catch (const std::exception&) {
        return json();
    }
}

std::string indent(const std::string& text, const std::string& pad, size_t max_lines = 12) {
    std::istringstream in(text);
    std::string out;
    size_t n = 0;
    for (std::string line; std::getline(in, line);) {
        if (++n > max_lines) {
            out += pad + "...\n";
            break;
        }
        out += pad + line + "\n";
    }
    return out;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
    Args a = parse(argc, argv);
    const auto start = std::chrono::steady_clock::now();
    const std::string base = a.json_file.substr(0, a.json_file.size() - (a.json_file.size() > 5 ? 5 : 0));
    const std::string tests_json = base + ".tests.json", fixtures_json = base + ".fixtures.json", log = base + ".log";
    const bool yours = a.source.rfind("asm/", 0) != 0;   // asm/NN-slug.s: the course's own
    std::cout << "grade-" << a.lesson << " " << a.function << ": " << (yours ? "your " : "the course's ") << a.source << "\n";

    // 1. the differential tests
    std::string how;
    std::vector<std::string> chosen = tests_for(a, list_tests(a.tests), how);
    json tests = json::array();
    int t_pass = 0, t_fail = 0, t_crash = 0;
    json first_test_failure;
    bool stub = false;
    std::ofstream(log, std::ios::trunc);
    const auto tests_start = std::chrono::steady_clock::now();
    if (!chosen.empty()) {
        std::string filter;
        for (const auto& t : chosen) filter += (filter.empty() ? "" : ":") + t;
        std::remove(tests_json.c_str());
        auto [out, rc] = run("METAL_TEST_TIMEOUT=60 " + a.tests + " --gtest_filter=" + shell_quote(filter) + " --report=" + shell_quote(tests_json) + " 2>&1");
        std::ofstream(log, std::ios::app) << out;
        stub = out.find(a.function + ": not written yet") != std::string::npos;
        json r = read_json(tests_json);
        if (r.is_object()) tests = r["tests"];
        for (const auto& t : tests) {
            std::string res = t.value("result", "");
            if (res == "passed" || res == "skipped") ++t_pass;
            else {
                (res == "crashed" ? t_crash : t_fail)++;
                if (first_test_failure.is_null()) first_test_failure = t;
            }
        }
        if (tests.empty()) {
            std::cout << "  the tests did not run (their output is in " << log << ")\n";
            t_fail = static_cast<int>(chosen.size());
        }
    }
    const int t_total = chosen.empty() ? 0 : std::max<int>(static_cast<int>(chosen.size()), t_pass + t_fail + t_crash);
    std::cout << "\n  1. differential tests, asm vs the C++ twin (" << how << "): " << t_pass << "/" << t_total << " passed";
    if (t_crash) std::cout << ", " << t_crash << " crashed";
    std::printf(" (%.1f s)\n", seconds_since(tests_start));
    for (const auto& t : tests) {
        std::string res = t.value("result", "");
        std::cout << "     " << (res == "passed" ? "ok     " : res == "crashed" ? "CRASH  " : res == "skipped" ? "skip   " : "FAIL   ")
                  << t.value("name", "");
        if (res == "crashed") std::cout << " -- " << t["crash"].value("what", "");
        std::cout << "\n";
    }
    if (!first_test_failure.is_null())
        std::cout << "\n     first failure, " << first_test_failure.value("name", "") << ":\n"
                  << indent(first_test_failure.value("message", ""), "       ");

    // 2. the lesson's fixtures against the server built with it
    std::remove(fixtures_json.c_str());
    json fx;
    const auto fixtures_start = std::chrono::steady_clock::now();
    if (a.fixtures != "none") {
        std::string lesson_no = a.lesson[0] == '0' ? a.lesson.substr(1) : a.lesson;
        auto [hout, hrc] = run(a.harness + " --lesson " + lesson_no + (a.fixtures == "new" ? " --new-only" : "") +
                               " --server asm=" + shell_quote(a.server) + " --json " + shell_quote(fixtures_json) + " 2>&1");
        std::ofstream(log, std::ios::app) << hout;
        fx = read_json(fixtures_json);
    }
    int f_pass = 0, f_fail = 0;
    json first_fixture_failure;
    json fixtures = json::array();
    if (fx.is_object()) {
        for (const auto& f : fx["fixtures"]) {
            const json& r = f["results"]["asm"];
            bool pass = r.value("pass", false);
            (pass ? f_pass : f_fail)++;
            json failed_checks = json::array();
            for (const auto& c : r.value("checks", json::array()))
                if (!c.value("ok", true)) failed_checks.push_back(c.value("text", ""));
            json one = {{"name", f.value("name", "")}, {"passed", pass}, {"failed_checks", failed_checks}};
            if (!pass && first_fixture_failure.is_null()) {
                first_fixture_failure = one;
                first_fixture_failure["why"] = f.value("why", "");
                first_fixture_failure["summary"] = r.value("summary", "");
                first_fixture_failure["status_line"] = r.value("status_line", "");
            }
            fixtures.push_back(one);
        }
    }
    if (a.fixtures == "none") {
        std::cout << "\n  2. no fixtures (FIXTURES=none): the score is the tests' alone\n";
    } else {
        std::cout << "\n  2. " << (a.fixtures == "new" ? "the fixtures lesson " + a.lesson + " introduces" : "every fixture of lesson " + a.lesson)
                  << ", against " << a.server << ": " << f_pass << "/" << (f_pass + f_fail) << " passed";
        std::printf(" (%.1f s)\n", seconds_since(fixtures_start));
        if (a.fixtures == "new")
            std::cout << "     (FIXTURES=all: also the earlier lessons' fixtures, as make lesson-" << a.lesson << " runs them)\n";
        if (!fx.is_object()) std::cout << "     the harness did not run (its output is in " << log << ")\n";
    }
    if (!first_fixture_failure.is_null()) {
        std::cout << "     first failure, " << first_fixture_failure["name"].get<std::string>() << " ("
                  << first_fixture_failure["why"].get<std::string>() << "):\n";
        std::string status = first_fixture_failure["status_line"].get<std::string>();
        std::cout << "       got: " << (status.empty() ? first_fixture_failure["summary"].get<std::string>() : status) << "\n";
        for (const auto& c : first_fixture_failure["failed_checks"]) std::cout << indent(c.get<std::string>(), "       ", 6);
    }

    // 3. the score and the next step
    const int passed = t_pass + f_pass, total = t_total + f_pass + f_fail;
    const bool all = (fx.is_object() || a.fixtures == "none") && passed == total && !tests.empty() == !chosen.empty();
    std::string next;
    // the crash branches only when the first failure is the crash (a test
    // that failed may come before one that crashed: no "crash" to read)
    const bool first_crashed = first_test_failure.is_object() && first_test_failure.contains("crash") &&
                               first_test_failure["crash"].is_object();
    if (stub) next = a.function + " is still the stub: write its body in " + a.source + ", then make grade-" + a.lesson + " FN=" + a.function;
    else if (first_crashed && first_test_failure["crash"].value("function", std::string()).empty())
        next = first_test_failure.value("name", "") + " never finished or ended its process (" +
               first_test_failure["crash"].value("what", std::string()) + "): make asm-tests FILTER=" +
               first_test_failure.value("name", "") + " runs it alone";
    else if (first_crashed)
        next = "a crash in " + first_test_failure["crash"].value("function", std::string("?")) + ": disassemble it with  " +
               "aarch64-linux-gnu-objdump -d --disassemble=" + first_test_failure["crash"].value("function", a.function) +
               " build/tests/asm-tests  and find the offset; METAL_TEST_NO_FORK=1 make asm-tests FILTER=" +
               first_test_failure.value("name", "") + " runs it alone";
    else if (t_fail)
        next = "make asm-tests FILTER=" + first_test_failure.value("name", "") + " shows the whole failure; compare with " +
               a.function + " in cpp/" + a.stage + ".cpp, its C++ twin";
    else if (f_fail)
        next = "make compare-" + a.lesson + " FIXTURE=" + first_fixture_failure["name"].get<std::string>() +
               " shows the request and both servers' answers";
    else if (all) next = "all green -- the next function: make exercise-" + a.lesson;
    else next = "something did not run: the whole output is in " + log;
    std::printf("\n  score: %d/%d (%s)   %.1f s\n  next: %s\n", passed, total, all ? "every check passed" : "not yet",
                seconds_since(start), next.c_str());

    json out = {{"lesson", a.lesson},
                {"function", a.function},
                {"source", a.source},
                {"yours", yours},
                {"tests", {{"rule", how}, {"passed", t_pass}, {"failed", t_fail}, {"crashed", t_crash}, {"total", t_total}, {"results", tests}}},
                {"fixtures", {{"which", a.fixtures}, {"passed", f_pass}, {"failed", f_fail}, {"total", f_pass + f_fail}, {"results", fixtures}}},
                {"score", {{"passed", passed}, {"total", total}}},
                {"first_failure", !first_test_failure.is_null() ? first_test_failure : first_fixture_failure},
                {"next", next},
                {"seconds", seconds_since(start)}};
    std::ofstream(a.json_file) << out.dump(2) << "\n";
    std::cout << "  results: " << a.json_file << "\n";
    return all ? 0 : 1;
}
