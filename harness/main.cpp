// harness/main.cpp -- build/harness: runs the lessons' fixtures against
// both servers and reports.  See docs/fixtures.md.
//
//   build/harness --lesson N --server cpp=CMD --server asm=CMD
//                 [--only NAME-REGEX] [--new-only | --starts-or-ends]
//                 [--json FILE] [--fail-fast] [--compare NAME] [--exercise NN-slug]
//                 [--root DIR] [--site DIR] [--jobs N]
//   build/harness --lint [--root DIR] [--site DIR]
//
// Exit status: 0 when every fixture passed on every implementation, 1 when
// something failed, 2 for a usage error or a malformed fixture file.
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "fixture.hpp"
#include "report.hpp"
#include "runner.hpp"
#include "lint.hpp"
#include "server.hpp"
#include "tree.hpp"
#include "util.hpp"

namespace fs = std::filesystem;
using namespace harness;

namespace {

const char* kUsage =
    "usage: harness --lesson N --server LABEL=COMMAND [--server LABEL=COMMAND ...]\n"
    "               [--only NAME-REGEX] [--new-only | --starts-or-ends] [--json FILE]\n"
    "               [--fail-fast] [--compare NAME] [--exercise NN-slug] [--root DIR] [--site DIR] [--jobs N]\n"
    "       harness --lint [--root DIR] [--site DIR]\n"
    "\n"
    "Runs every fixture of lessons/*/fixtures.json that applies to lesson N\n"
    "(since <= N <= until) against each server.  COMMAND is a command prefix;\n"
    "the harness appends [flags] 0 DOCROOT (port 0 = any free port).\n"
    "  --only REGEX   only fixtures whose name contains a match of REGEX (one\n"
    "                 at least: a REGEX that matches none is an error)\n"
    "  --new-only     only fixtures introduced by lesson N (since == N)\n"
    "  --starts-or-ends  only fixtures that start or end at lesson N (since == N\n"
    "                 or until == N): make test runs the lessons before the newest\n"
    "                 this way, make test-matrix runs every fixture everywhere\n"
    "  --json FILE    also write the results as JSON\n"
    "  --fail-fast    stop starting fixtures after the first failure\n"
    "  --compare NAME run one fixture, print the request and the raw responses\n"
    "                 side by side (stacked when COLUMNS < 120), exit 0\n"
    "  --exercise NN-slug  also run that exercise's fixtures (off by default),\n"
    "                 without the fixtures they replace\n"
    "  --root DIR     the repository (default: the current directory or the\n"
    "                 harness binary's ../ -- whichever has lessons/)\n"
    "  --site DIR     the demo site (default: ROOT/harness/site)\n"
    "  --jobs N       servers running at once (default: 2 per CPU, at least 4)\n"
    "  --lint         check every fixture of every lesson instead: its docroot can\n"
    "                 be built (one name at a time, as on a Mac) and names that\n"
    "                 differ only in case are marked \"needs\": [\"case-sensitive-disk\"]\n"
    "\n"
    "A fixture that needs a case-sensitive disk is skipped, with a message, where\n"
    "the temporary directory's disk folds case (macOS's default); one that lowers\n"
    "a running server's limit (\"limit\") where prlimit is missing (all but Linux).\n";

struct Args {
    int lesson = -1;
    std::vector<std::pair<std::string, std::string>> servers;
    std::string only, json_file, compare, exercise, root, site;
    bool new_only = false, starts_or_ends = false, fail_fast = false, lint = false;
    int jobs = 0;
};

[[noreturn]] void usage_error(const std::string& msg) {
    std::cerr << "harness: " << msg << "\n\n" << kUsage;
    std::exit(2);
}

int parse_int(const std::string& s, const char* what) {
    try {
        size_t used = 0;
        int v = std::stoi(s, &used);
        if (used == s.size() && v >= 0) return v;
    } catch (const std::exception&) {
    }
    usage_error(std::string(what) + " needs a non-negative number, not '" + s + "'");
}

Args parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage_error(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--lesson") a.lesson = parse_int(value(), "--lesson");
        else if (arg == "--server") {
            std::string v = value();
            size_t eq = v.find('=');
            if (eq == std::string::npos || eq == 0) usage_error("--server wants LABEL=COMMAND, got '" + v + "'");
            a.servers.emplace_back(v.substr(0, eq), v.substr(eq + 1));
        } else if (arg == "--only") a.only = value();
        else if (arg == "--new-only") a.new_only = true;
        else if (arg == "--starts-or-ends") a.starts_or_ends = true;
        else if (arg == "--json") a.json_file = value();
        else if (arg == "--fail-fast") a.fail_fast = true;
        else if (arg == "--compare") a.compare = value();
        else if (arg == "--exercise") a.exercise = value();
        else if (arg == "--root") a.root = value();
        else if (arg == "--site") a.site = value();
        else if (arg == "--jobs") a.jobs = parse_int(value(), "--jobs");
        else if (arg == "--lint") a.lint = true;
        else if (arg == "-h" || arg == "--help") {
            std::cout << kUsage;
            std::exit(0);
        } else usage_error("unknown argument '" + arg + "'");
    }
    if (a.lint) return a;
    if (a.lesson < 0) usage_error("--lesson N is required");
    if (a.servers.empty()) usage_error("at least one --server LABEL=COMMAND is required");
    if (a.new_only && a.starts_or_ends) usage_error("--new-only and --starts-or-ends: choose one");
    return a;
}

// The repository root: --root, else the current directory, else the
// directory above the harness binary -- the first that has lessons/.
std::string find_root(const std::string& given, const char* argv0) {
    if (!given.empty()) return given;
    if (fs::is_directory("lessons")) return ".";
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) exe = fs::absolute(argv0, ec);
    fs::path up = exe.parent_path().parent_path();
    if (fs::is_directory(up / "lessons")) return up.string();
    usage_error("cannot find the repository (a directory with lessons/): run from it or pass --root DIR");
}

// Ctrl-C, SIGTERM, SIGHUP: kill every server we started, remove the temp
// directory, and die of the same signal.
void on_signal(int sig) {
    emergency_cleanup();
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

void on_terminate() {
    emergency_cleanup();
    std::abort();
}

// "  did you mean: a, b?" -- or nothing when no name is close.
std::string did_you_mean(const std::string& wanted, const std::vector<std::string>& names) {
    std::vector<std::string> close = closest_names(wanted, names);
    if (close.empty()) return "";
    std::string out = "  did you mean: ";
    for (size_t i = 0; i < close.size(); ++i) out += (i ? ", " : "") + close[i];
    return out + "?\n";
}

// How wide the compare view may be: $COLUMNS, else the terminal's width,
// else 80.
size_t output_columns() {
    if (const char* c = std::getenv("COLUMNS")) {
        try {
            int n = std::stoi(c);
            if (n > 0) return static_cast<size_t>(n);
        } catch (const std::exception&) {
        }
    }
    winsize ws{};
    if (::isatty(1) && ::ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

// --lint: every fixture of every lesson; one line per fixture with a
// problem, then the count.
int lint_all(const std::vector<Fixture>& all, const std::string& site) {
    Workspace ws;
    int passed = 0, failed = 0;
    for (const auto& f : all) {
        std::vector<std::string> problems = lint_fixture(f, site, ws);
        if (problems.empty()) {
            ++passed;
            continue;
        }
        ++failed;
        for (const auto& p : problems) std::cout << "FAIL  " << f.name << " (" << f.file << "): " << p << "\n";
    }
    std::cout << "fixture lint: " << all.size() << " fixtures, each docroot built one name at a time"
              << " (no path of " << tree::kDarwinPathMax << " bytes or more handed to the kernel)"
              << " and checked for names that differ only in case\n";
    std::cout << passed << " passed, " << failed << " failed\n";
    return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Args args = parse_args(argc, argv);
    ::signal(SIGPIPE, SIG_IGN);   // a server that closes early must not kill us
    for (int s : {SIGINT, SIGTERM, SIGHUP}) ::signal(s, on_signal);
    std::set_terminate(on_terminate);

    std::string root = find_root(args.root, argv[0]);
    std::string site = args.site.empty() ? (fs::path(root) / "harness" / "site").string() : args.site;
    if (!fs::is_directory(site)) usage_error("the demo site " + site + " is not a directory");

    // Load and check every fixture of every lesson (a broken file anywhere
    // stops the run: names must be unique across all of them).
    std::vector<Fixture> all;
    try {
        all = load_fixtures(root);
    } catch (const FixtureError& e) {
        std::cerr << "harness: bad fixture: " << e.what() << "\n";
        return 2;
    }

    // An exercise must exist: a typo would otherwise quietly run nothing new.
    std::vector<std::string> exercises = exercise_names(all);
    if (!args.exercise.empty() && std::find(exercises.begin(), exercises.end(), args.exercise) == exercises.end()) {
        std::cerr << "harness: there is no exercise '" << args.exercise << "'; the exercises with fixtures are:";
        for (const auto& e : exercises) std::cerr << " " << e;
        std::cerr << "\n" << did_you_mean(args.exercise, exercises);
        return 2;
    }
    if (args.lint) {
        try {
            return lint_all(all, site);
        } catch (const std::exception& e) {
            std::cerr << "harness: " << e.what() << "\n";
            return 2;
        }
    }
    std::set<std::string> replaced = replaced_by(all, args.exercise);

    // Select.
    std::vector<const Fixture*> selected;
    std::optional<std::regex> only;
    try {
        if (!args.only.empty()) only.emplace(args.only, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        usage_error("--only: not a valid regex: " + std::string(e.what()));
    }
    for (const auto& f : all) {
        if (!args.compare.empty()) {
            if (f.name == args.compare) selected.push_back(&f);
            continue;
        }
        if (!selected_for(f, args.lesson, args.exercise, replaced)) continue;
        if (args.new_only && f.since != args.lesson) continue;
        if (args.starts_or_ends && f.since != args.lesson && f.until != args.lesson) continue;
        if (only && !std::regex_search(f.name, *only)) continue;
        selected.push_back(&f);
    }
    if (!args.compare.empty() && selected.empty()) {
        std::vector<std::string> names;
        for (const auto& f : all) names.push_back(f.name);
        std::cerr << "harness: no fixture is named '" << args.compare << "'\n" << did_you_mean(args.compare, names);
        return 2;
    }
    // --only that selects nothing is a typo, not a green "0 passed": say
    // so, with the names of this lesson's fixtures nearest to it.
    if (args.compare.empty() && only && selected.empty()) {
        std::vector<std::string> names;
        for (const auto& f : all)
            if (selected_for(f, args.lesson, args.exercise, replaced)) names.push_back(f.name);
        std::cerr << "harness: --only '" << args.only << "' matches none of the " << names.size() << " fixtures of lesson "
                  << args.lesson << (args.new_only ? " (--new-only)" : args.starts_or_ends ? " (--starts-or-ends)" : "") << "\n"
                  << did_you_mean(args.only, names);
        if (did_you_mean(args.only, names).empty()) {   // nothing close: how this lesson's names begin
            std::map<std::string, int> groups;
            for (const auto& n : names) ++groups[n.substr(0, n.find('-') + 1) + "..."];
            std::cerr << "  this lesson's fixture names begin:";
            for (const auto& [g, count] : groups) std::cerr << " " << g << " (" << count << ")";
            std::cerr << "\n";
        }
        return 2;
    }
    if (!args.compare.empty() && !selected[0]->applies_to(args.lesson))
        std::cout << "(note: " << args.compare << " is not a lesson-" << args.lesson << " fixture; running it anyway)\n";

    try {
        Workspace ws;
        // Where the disk folds case (macOS's default), two names that differ
        // only in case are one file: a fixture that needs them cannot run.
        std::vector<std::string> skipped;
        if (disk_folds_case(ws.path())) {
            std::vector<const Fixture*> kept;
            for (const Fixture* f : selected)
                if (f->needs_case_sensitive_disk()) skipped.push_back(f->name);
                else kept.push_back(f);
            selected = kept;
            for (const auto& n : skipped)
                std::cout << "skipped " << n << ": it needs a case-sensitive disk, and the disk under " << ws.path()
                          << " folds case (macOS's default; see the README's per-OS notes)\n";
            if (!args.compare.empty() && selected.empty()) return 0;
        }
        // A "limit" fixture lowers a running server's limit with prlimit,
        // which only Linux has.
        if (!can_limit_running_server()) {
            std::vector<const Fixture*> kept;
            for (const Fixture* f : selected) {
                if (!f->limit) {
                    kept.push_back(f);
                    continue;
                }
                skipped.push_back(f->name);
                std::cout << "skipped " << f->name << ": it lowers a running server's limit, which needs Linux's prlimit\n";
            }
            selected = kept;
            if (!args.compare.empty() && selected.empty()) return 0;
        }
        std::vector<Implementation> impls;
        for (const auto& [label, cmd] : args.servers) impls.push_back(resolve_implementation(label, cmd, ws));

        RunOptions opt;
        opt.site = site;
        opt.fail_fast = args.fail_fast;
        unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
        opt.jobs = args.jobs > 0 ? args.jobs : static_cast<int>(std::max(4u, 2 * cpus));

        long start = now_ms();
        auto results = run_fixtures(selected, impls, ws, opt);
        long took = now_ms() - start;

        if (!args.compare.empty()) {
            print_compare(std::cout, results[0], impls, output_columns());
            return 0;
        }
        std::cout << "lesson " << args.lesson << ": " << selected.size() << " fixture(s)";
        if (args.new_only) std::cout << " introduced by lesson " << args.lesson << " (--new-only)";
        if (args.starts_or_ends) std::cout << " that start or end at lesson " << args.lesson << " (--starts-or-ends)";
        if (!args.exercise.empty()) {
            std::cout << " with exercise " << args.exercise;
            if (!replaced.empty()) {
                std::cout << " (in place of";
                for (const auto& r : replaced) std::cout << " " << r;
                std::cout << ")";
            }
        }
        for (const auto& i : impls) std::cout << ", " << i.label << " = " << i.command << (i.emulated ? " (under qemu-aarch64)" : "");
        std::cout << (dropping_privileges() ? "; servers run as nobody" : "") << "\n\n";
        print_table(std::cout, results, impls);
        print_failures(std::cout, results, impls);
        if (!args.json_file.empty()) {
            std::ofstream out(args.json_file);
            out << to_json(args.lesson, results, impls).dump(2) << "\n";
            if (!out) std::cerr << "harness: could not write " << args.json_file << "\n";
        }
        Totals t = count(results);
        std::cout << "\n(" << took / 1000 << "." << (took % 1000) / 100 << " s)\n";
        std::cout << t.passed << " passed, " << t.failed << " failed";
        if (!skipped.empty()) std::cout << ", " << skipped.size() << " skipped";
        std::cout << "\n";
        return t.failed == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "harness: " << e.what() << "\n";
        return 2;
    }
}
