// tests/tools/docs-check.cpp -- the `docs` suite of make test, and
// `make excerpts`: the pages must say what the repository really has.
//
//   docs-check [--write] [--root DIR] [--targets FILE] [PAGE.md ...]
//
// Pages: README.md, docs/*.md and lessons/*/README.md (or the ones named).
// Checked on every page:
//
//   excerpts   A code block right after a line
//                  <!-- excerpt: PATH NAME -->
//              must be, byte for byte, the region NAME of the source PATH:
//                  NAME = function F   the function F with the comment block
//                                      above it (asm: its header comment,
//                                      FUNC F ... ENDFUNC F; C++: the
//                                      definition of F up to its closing
//                                      brace in column 0)
//                  NAME = anything else   the lines between the markers
//                                      `// excerpt: NAME` and `// excerpt end`
//              --write (make excerpts) rewrites such blocks from the sources.
//   fixtures   a `name` in backticks that looks like a fixture name (one of
//              the fixtures' prefixes, a dash, more) names a fixture
//   paths      a path in backticks or a link target (lessons/..., asm/...,
//              cpp/..., harness/..., tests/..., docs/..., Makefile ...)
//              exists; links are relative to the page
//   targets    every word after `make` in a code block or backticks is a
//              make target (--targets FILE lists them: `make -pRrq`) or a
//              VAR=value; placeholders (NN, MM) must match some target
//   functions  a `name(...)` in backticks whose name has an underscore is
//              defined in asm/ (FUNC name) or cpp/ (as a function), and a lone
//              `snake_case` name appears somewhere in the sources, unless it is
//              a system or library name listed in kKnownNotOurs (Exercises
//              sections may name functions the student is to write)
//   flags      a --flag on a line that runs the harness is one the harness
//              knows (harness/main.cpp)
//
// Prints one line per problem (`page:line: what`), then one line per
// check, and ends with "N passed, N failed" (a check passes when it found
// no problem).  Exit status 0 only if nothing failed.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

// Functions the pages name that are not ours: system calls and library
// functions with an underscore in their names.
const std::set<std::string> kKnownNotOurs = {
    "clock_gettime", "sa_tramp",      "__sigaction", "rt_sigaction",   "exit_group",   "sigaction_t",
    "getdirentries_common", "in_pcbbind", "posix_spawn", "copy_file_range", "std_string", "O_NOFOLLOW_ANY",
    "set_robust_list", "renameat2",   "open_tree",   "ngx_http_discard_request_body", "do_notify_parent",
    "do_open",         "may_open",    "vn_open_auth", "vn_authorize_open_existing",   "translate_path",
};

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::string line;
    std::istringstream in(text);
    while (std::getline(in, line)) out.push_back(line);
    return out;
}

std::string trim(std::string s) {
    auto sp = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!s.empty() && sp(s.back())) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && sp(s[i])) ++i;
    return s.substr(i);
}

struct Problem {
    std::string where;   // page:line
    std::string what;
};

struct Checker {
    fs::path root;
    bool write = false;
    std::set<std::string> targets;        // make targets
    std::set<std::string> fixtures;       // every fixture name
    std::set<std::string> prefixes;       // the part before the first '-'
    std::set<std::string> functions;      // defined in asm/ or cpp/
    std::set<std::string> words;          // every identifier in the sources, comments included
    std::set<std::string> harness_flags;  // --only ...
    std::map<std::string, std::vector<Problem>> problems;   // check -> problems
    std::map<std::string, int> counted;                      // check -> things checked

    void fail(const std::string& check, const std::string& where, const std::string& what) {
        problems[check].push_back({where, what});
    }

    // --- what exists -------------------------------------------------------
    void load() {
        for (const auto& dir : fs::directory_iterator(root / "lessons")) {
            fs::path f = dir.path() / "fixtures.json";
            if (!fs::exists(f)) continue;
            try {
                nlohmann::json j = nlohmann::json::parse(read_all(f));
                for (const auto& fx : j) {
                    std::string name = fx.value("name", "");
                    if (name.empty()) continue;
                    fixtures.insert(name);
                    prefixes.insert(name.substr(0, name.find('-')));
                }
            } catch (const std::exception& e) {
                fail("fixtures", f.string(), std::string("cannot read: ") + e.what());
            }
        }
        const std::regex asm_func(R"(^FUNC[ \t]+([A-Za-z_][A-Za-z0-9_]*))");
        const std::regex cpp_func(R"(([A-Za-z_][A-Za-z0-9_]*)\s*\()");
        for (const char* dir : {"asm", "cpp", "harness", "tests"}) {
            if (!fs::exists(root / dir)) continue;
            for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
                std::string ext = e.path().extension().string();
                if (ext != ".s" && ext != ".cpp" && ext != ".hpp" && ext != ".h" && ext != ".inc") continue;
                static const std::regex ident(R"([A-Za-z_][A-Za-z0-9_]*)");
                std::string text = read_all(e.path());
                for (auto it = std::sregex_iterator(text.begin(), text.end(), ident); it != std::sregex_iterator(); ++it)
                    words.insert((*it)[0]);
                for (const std::string& line : lines_of(text)) {
                    std::smatch m;
                    if (ext == ".s" || ext == ".inc") {
                        if (std::regex_search(line, m, asm_func)) functions.insert(m[1]);
                        std::string t = trim(line);
                        if (!t.empty() && t.back() == ':' && t.find(' ') == std::string::npos) functions.insert(t.substr(0, t.size() - 1));
                        continue;
                    }
                    // C++: any name followed by '(' outside a comment -- a
                    // declaration, a definition or a call; a page naming it
                    // names something that exists
                    std::string code = line.substr(0, line.find("//"));
                    for (auto it = std::sregex_iterator(code.begin(), code.end(), cpp_func); it != std::sregex_iterator(); ++it)
                        functions.insert((*it)[1]);
                }
            }
        }
        std::string main_cpp = read_all(root / "harness/main.cpp");
        const std::regex flag(R"((--[a-z][a-z-]*))");
        for (auto it = std::sregex_iterator(main_cpp.begin(), main_cpp.end(), flag); it != std::sregex_iterator(); ++it)
            harness_flags.insert((*it)[1]);
    }

    // --- excerpts ----------------------------------------------------------
    // Does this C++ line start the definition of f?  It begins in column 0
    // with a letter (a return type), names f (or X::f) right before '(',
    // and is not a declaration (ending in ';').
    static bool is_cpp_definition(const std::string& line, const std::string& f) {
        if (line.empty() || !std::isalpha(static_cast<unsigned char>(line[0]))) return false;
        std::string t = trim(line);
        if (t.back() == ';') return false;
        for (std::size_t at = line.find(f + "("); at != std::string::npos; at = line.find(f + "(", at + 1)) {
            char before = at == 0 ? ' ' : line[at - 1];
            if (before == ' ' || before == '*' || before == '&' || before == ':') return true;
        }
        return false;
    }

    // The lines of region `name` in `path`, or an error message.
    bool region(const std::string& path, const std::string& name, std::vector<std::string>& out, std::string& err) {
        fs::path p = root / path;
        if (!fs::exists(p)) {
            err = "no such source file " + path;
            return false;
        }
        std::vector<std::string> src = lines_of(read_all(p));
        bool is_asm = p.extension() == ".s" || p.extension() == ".inc";
        if (name.rfind("function ", 0) == 0) {
            std::string f = trim(name.substr(9));
            std::size_t start = src.size(), end = src.size();
            for (std::size_t i = 0; i < src.size() && end == src.size(); ++i) {
                std::string t = trim(src[i]);
                if (is_asm) {
                    if (t == "FUNC " + f) start = i;
                    if (start != src.size() && t == "ENDFUNC " + f) end = i;
                } else if (start == src.size()) {
                    if (is_cpp_definition(src[i], f)) {
                        start = i;
                        if (t.back() == '}') end = i;   // a one-line function
                    }
                } else if (src[i] == "}") {
                    end = i;                          // the brace in column 0 closes it
                }
            }
            if (start == src.size() || end == src.size()) {
                err = "no function " + f + " in " + path;
                return false;
            }
            // the comment block right above it (in asm: its header, ---- rule included)
            std::size_t first = start;
            while (first > 0 && trim(src[first - 1]).rfind("//", 0) == 0) --first;
            out.assign(src.begin() + static_cast<long>(first), src.begin() + static_cast<long>(end) + 1);
            return true;
        }
        std::size_t start = src.size();
        for (std::size_t i = 0; i < src.size(); ++i) {
            std::string t = trim(src[i]);
            if (start == src.size()) {
                if (t == "// excerpt: " + name) start = i + 1;
            } else if (t == "// excerpt end") {
                out.assign(src.begin() + static_cast<long>(start), src.begin() + static_cast<long>(i));
                return true;
            }
        }
        err = start == src.size() ? "no marker `// excerpt: " + name + "` in " + path
                                  : "the excerpt " + name + " in " + path + " has no `// excerpt end`";
        return false;
    }

    // Check (or rewrite) every excerpt block of a page; returns the page,
    // rewritten if --write changed something.
    std::string excerpts(const fs::path& page, const std::vector<std::string>& lines, bool& changed) {
        static const std::regex marker(R"(^<!-- excerpt: (\S+) (.+?) -->\s*$)");
        std::vector<std::string> out;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            out.push_back(lines[i]);
            std::smatch m;
            if (!std::regex_match(lines[i], m, marker)) continue;
            std::string where = page.string() + ":" + std::to_string(i + 1);
            counted["excerpts"]++;
            std::string path = m[1], name = m[2];
            if (i + 1 >= lines.size() || lines[i + 1].rfind("```", 0) != 0) {
                fail("excerpts", where, "an excerpt marker must be followed by a ``` code block");
                continue;
            }
            std::size_t close = i + 2;
            while (close < lines.size() && lines[close].rfind("```", 0) != 0) ++close;
            if (close >= lines.size()) {
                fail("excerpts", where, "the code block after the excerpt marker is not closed");
                continue;
            }
            std::vector<std::string> want;
            std::string err;
            if (!region(path, name, want, err)) {
                fail("excerpts", where, err);
                continue;
            }
            std::vector<std::string> have(lines.begin() + static_cast<long>(i) + 2, lines.begin() + static_cast<long>(close));
            out.push_back(lines[i + 1]);   // the opening fence
            if (have != want) {
                if (write) {
                    changed = true;
                } else {
                    std::size_t k = 0;
                    while (k < have.size() && k < want.size() && have[k] == want[k]) ++k;
                    fail("excerpts", where,
                         path + " " + name + " differs from the source at its line " + std::to_string(k + 1) +
                             " (page: \"" + (k < have.size() ? have[k] : "<end>") + "\", source: \"" +
                             (k < want.size() ? want[k] : "<end>") + "\"); run: make excerpts");
                }
            }
            const std::vector<std::string>& body = write ? want : have;
            out.insert(out.end(), body.begin(), body.end());
            out.push_back(lines[close]);
            i = close;
        }
        std::string text;
        for (const auto& l : out) text += l + "\n";
        return text;
    }

    // --- names in the prose --------------------------------------------------
    static bool placeholder(const std::string& s) {
        return s.find("NN") != std::string::npos || s.find("MM") != std::string::npos || s.find('*') != std::string::npos ||
               s.find('<') != std::string::npos || s.find('{') != std::string::npos || s.find("...") != std::string::npos ||
               s.find('$') != std::string::npos || s.find("slug") != std::string::npos;
    }

    void check_path(const fs::path& page, const std::string& where, std::string p, bool link) {
        if (p.empty() || placeholder(p)) return;
        if (link) {
            if (p.find("://") != std::string::npos || p[0] == '#' || p.rfind("mailto:", 0) == 0) return;
            p = p.substr(0, p.find('#'));
            if (p.empty()) return;
            counted["paths"]++;
            fs::path target = page.parent_path() / p;
            if (!fs::exists(target)) fail("paths", where, "the link target " + p + " does not exist");
            return;
        }
        static const std::regex repo_path(R"(^(lessons|asm|cpp|harness|tests|docs|\.ci)/[A-Za-z0-9_./ %-]+$|^(Makefile|README\.md)$)");
        if (!std::regex_match(p, repo_path)) return;
        while (!p.empty() && (p.back() == '.' || p.back() == ',' || p.back() == ':')) p.pop_back();
        counted["paths"]++;
        // a page may name a file of the repository or of the demo site
        if (!fs::exists(root / p) && !fs::exists(root / "harness/site" / p))
            fail("paths", where, "no file or directory " + p);
    }

    // The words of a shell command line; a quoted stretch ('...' or "...")
    // belongs to the word it is in.
    static std::vector<std::string> shell_words(const std::string& text) {
        std::vector<std::string> words;
        std::string w;
        char quote = 0;
        bool any = false;
        for (char c : text) {
            if (quote) {
                if (c == quote) quote = 0; else w += c;
            } else if (c == '\'' || c == '"') {
                quote = c;
                any = true;
            } else if (c == ' ' || c == '\t') {
                if (any || !w.empty()) words.push_back(w);
                w.clear();
                any = false;
            } else {
                w += c;
            }
        }
        if (any || !w.empty()) words.push_back(w);
        return words;
    }

    void check_make(const std::string& where, const std::string& cmdline) {
        static const std::regex make_re(R"((^|[\s;&|(])make\s+([^;&|)`#]*))");
        for (auto it = std::sregex_iterator(cmdline.begin(), cmdline.end(), make_re); it != std::sregex_iterator(); ++it) {
            for (const std::string& w : shell_words((*it)[2].str())) {
                if (w[0] == '-' || w.find('=') != std::string::npos) continue;
                if (w.empty() || w == "\\" || w[0] == '<' || w[0] == '>' || w.rfind("2>", 0) == 0) break;
                counted["targets"]++;
                if (w.find("NN") != std::string::npos || w.find("MM") != std::string::npos) {
                    std::string pat = w;
                    std::string re = std::regex_replace(pat, std::regex("NN|MM"), "[0-9][0-9]");
                    bool any = std::any_of(targets.begin(), targets.end(),
                                           [&](const std::string& t) { return std::regex_match(t, std::regex(re)); });
                    if (!any) fail("targets", where, "no make target matches " + w);
                    continue;
                }
                if (!targets.count(w)) fail("targets", where, "`make " + w + "`: there is no such target");
            }
        }
    }

    void check_prose(const fs::path& page, const std::vector<std::string>& lines) {
        static const std::regex code_span("`([^`]+)`");
        static const std::regex link_re(R"(\]\(([^)\s]+)\))");
        static const std::regex func_re(R"(^([A-Za-z_][A-Za-z0-9_]*)\()");
        static const std::regex fixture_re(R"(^[a-z0-9]+(-[a-z0-9]+){2,}$)");   // fixture names have 3+ parts
        static const std::regex flag_re(R"((^|\s)(--[a-z][a-z-]*))");
        bool in_code = false, in_excerpt = false, in_exercises = false;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const std::string& line = lines[i];
            std::string where = page.string() + ":" + std::to_string(i + 1);
            // exercises name the functions the student is asked to write
            if (line.rfind("#", 0) == 0 && !in_code) in_exercises = line.find("Exercises") != std::string::npos;
            if (line.rfind("<!-- excerpt:", 0) == 0) in_excerpt = true;
            if (line.rfind("```", 0) == 0) {
                in_code = !in_code;
                if (!in_code) in_excerpt = false;
                continue;
            }
            if (in_excerpt) continue;   // source code: checked as an excerpt
            if (in_code) {
                check_fixture_args(where, line);
                check_make(where, line);
                check_flags(where, line, flag_re);
                continue;
            }
            for (auto it = std::sregex_iterator(line.begin(), line.end(), link_re); it != std::sregex_iterator(); ++it)
                check_path(page, where, (*it)[1], true);
            for (auto it = std::sregex_iterator(line.begin(), line.end(), code_span); it != std::sregex_iterator(); ++it) {
                std::string span = (*it)[1];
                check_fixture_args(where, span);
                check_make(where, span);
                check_flags(where, span, flag_re);
                check_path(page, where, span, false);
                std::smatch m;
                if (std::regex_search(span, m, func_re)) {
                    std::string f = m[1];
                    if (f.find('_') != std::string::npos && !kKnownNotOurs.count(f) && f.rfind("SYS_", 0) != 0 && !in_exercises) {
                        counted["functions"]++;
                        if (!functions.count(f)) fail("functions", where, "`" + f + "(`: no such function in asm/ or cpp/");
                    }
                }
                // a lone snake_case name (`serve_file`, `st_size`) is a
                // function, field or variable: it must appear in the sources
                static const std::regex snake(R"(^[a-z][a-z0-9]*_[a-z0-9_]*$)");
                if (std::regex_match(span, snake) && !kKnownNotOurs.count(span) && !in_exercises) {
                    counted["functions"]++;
                    if (!words.count(span)) fail("functions", where, "`" + span + "` appears nowhere in asm/, cpp/, harness/ or tests/");
                }
                if (std::regex_match(span, fixture_re) && prefixes.count(span.substr(0, span.find('-'))) &&
                    !placeholder(span)) {
                    counted["fixtures"]++;
                    if (!fixtures.count(span)) fail("fixtures", where, "no fixture named " + span);
                }
            }
        }
    }

    // FIXTURE=name (make compare-NN) and --compare name name one fixture.
    void check_fixture_args(const std::string& where, const std::string& text) {
        static const std::regex arg_re(R"((FIXTURE=|--compare\s+)'?([a-z0-9][a-z0-9-]*))");
        for (auto it = std::sregex_iterator(text.begin(), text.end(), arg_re); it != std::sregex_iterator(); ++it) {
            std::string name = (*it)[2];
            if (placeholder(name) || name == "name") continue;
            counted["fixtures"]++;
            if (!fixtures.count(name)) fail("fixtures", where, "no fixture named " + name);
        }
    }

    void check_flags(const std::string& where, const std::string& text, const std::regex& flag_re) {
        if (text.find("harness") == std::string::npos || text.find("HARNESS_ARGS") != std::string::npos) {
            if (text.find("HARNESS_ARGS") == std::string::npos) return;
        }
        for (auto it = std::sregex_iterator(text.begin(), text.end(), flag_re); it != std::sregex_iterator(); ++it) {
            std::string f = (*it)[2];
            counted["flags"]++;
            if (!harness_flags.count(f)) fail("flags", where, "the harness has no option " + f);
        }
    }

    void page(const fs::path& rel) {
        fs::path p = root / rel;
        std::string text = read_all(p);
        std::vector<std::string> lines = lines_of(text);
        bool changed = false;
        std::string rewritten = excerpts(rel, lines, changed);
        if (write && changed) {
            std::ofstream(p, std::ios::binary) << rewritten;
            std::cout << "rewrote the excerpts of " << rel.string() << "\n";
        }
        check_prose(rel, lines);
    }
};

}  // namespace

int main(int argc, char** argv) {
    Checker c;
    c.root = ".";
    std::vector<fs::path> pages;
    std::string targets_file;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--write") c.write = true;
        else if (a == "--root" && i + 1 < argc) c.root = argv[++i];
        else if (a == "--targets" && i + 1 < argc) targets_file = argv[++i];
        else if (!a.empty() && a[0] == '-') {
            std::cerr << "usage: docs-check [--write] [--root DIR] [--targets FILE] [PAGE.md ...]\n";
            return 2;
        } else pages.emplace_back(a);
    }
    if (!targets_file.empty()) {
        std::ifstream in(targets_file);
        for (std::string t; in >> t;) c.targets.insert(t);
    }
    if (pages.empty()) {
        pages.emplace_back("README.md");
        for (const char* dir : {"docs", "lessons"}) {
            for (const auto& e : fs::recursive_directory_iterator(c.root / dir)) {
                if (e.path().extension() == ".md") pages.push_back(fs::relative(e.path(), c.root));
            }
        }
        std::sort(pages.begin(), pages.end());
    }
    c.load();
    for (const auto& p : pages) c.page(p);

    int passed = 0, failed = 0;
    for (const char* check : {"excerpts", "fixtures", "paths", "targets", "functions", "flags"}) {
        const auto& probs = c.problems[check];
        for (const auto& p : probs) std::cout << p.where << ": " << p.what << "\n";
        if (std::string(check) == "targets" && targets_file.empty()) {
            std::cout << "skip  targets (no --targets list)\n";
            continue;
        }
        bool ok = probs.empty();
        std::printf("%s  %-9s %d checked, %zu problem(s)\n", ok ? "ok  " : "FAIL", check, c.counted[check], probs.size());
        (ok ? passed : failed)++;
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
