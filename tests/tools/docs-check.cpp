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
//              A block that matches the source as the last commit has it
//              (git show HEAD:PATH) passes too, with a note: a student who
//              changes a quoted function for an exercise (or a teacher
//              trying one) keeps make test green; the page is only wrong
//              when it matches neither -- on a clean clone the two are one.
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
//   code       a code block in a source language (```asm, ```cpp, ```c ...)
//              is an excerpt: pictures and shell sessions use ``` or ```text,
//              ```sh; code is never retyped
//   args       `make unit|asm-tests FILTER=word` matches some test (an
//              enabled one unless EXERCISE= is given), `make lesson-NN
//              ONLY=regex` some fixture, `EXERCISE=NN-slug` an exercise
//   layout     a number a page states for a name of asm/records.inc is that
//              name's value (the .equ lines evaluated as the assembler and
//              build/gen/records.h do): `X_REQ` (13440), `LOCATION_MAX` =
//              512, OUT_SIZE = 16416 bytes in a picture, `X_SIZE & 0xfff`
//              (3312) for an expression of such names, 15600 = X_SIZE, and
//              2 MiB, 1 TiB, 2⁴⁰ for the big ones.  A number is stated
//              next to its name, or it is not checked -- so pages name it.
//              records.inc's own comments count too (`// 8240` after an
//              expression).  --write (make excerpts) puts the right value
//              in place of a wrong plain number.
//   alone      the repository stands alone: no page or script points at
//              files outside it (../shared, an "abi reference" ...)
//   lessons    each lesson page tells the reader to run `make diff-NN`
//              (lesson 00: `make view-00`); every program a shell block
//              starts in the background (`... &`) is remembered (`PID=$!`)
//              and killed (`kill $PID`) in the same block
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
#include <optional>
#include <string_view>
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
    "getdirentries_common", "in_pcbbind", "posix_spawn", "copy_file_range", "sync_file_range", "std_string", "O_NOFOLLOW_ANY",
    "set_robust_list", "renameat2",   "open_tree",   "ngx_http_discard_request_body", "do_notify_parent",
    "do_open",         "may_open",    "vn_open_auth", "vn_authorize_open_existing",   "translate_path",
    "unlinkat_internal", "vn_authorize_unlink", "may_delete",
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
    std::set<std::string> exercises;      // "exercise" keys of the fixtures
    std::map<std::string, std::vector<std::string>> tests;   // suite (unit, asm-tests) -> "Suite.Name"
    std::map<std::string, std::vector<Problem>> problems;   // check -> problems
    std::map<std::string, int> counted;                      // check -> things checked

    std::map<std::string, std::vector<Problem>> pending;     // check -> waiting for a lesson to come
    int last_lesson = -1;                 // the highest NN of lessons/NN-*
    std::string current_page, current_line;   // what check_prose is reading

    void fail(const std::string& check, const std::string& where, const std::string& what) {
        if (about_a_lesson_to_come(check)) pending[check].push_back({where, what});
        else problems[check].push_back({where, what});
    }

    // The two pages that lay out the course plan (README.md's table of
    // lessons, docs/architecture.md's list of what each lesson does to the
    // pipeline) may name the targets and steps of a lesson that is not
    // here yet, on a line that says which lesson (`lesson 05`, `lesson-05`,
    // `diff-05`, `| 05 decode |`).  Such a name is pending, not a problem,
    // until lessons/05-* exists -- from then on it is checked like any other.
    bool about_a_lesson_to_come(const std::string& check) const {
        if (check != "targets" && check != "functions") return false;
        if (current_page != "README.md" && current_page != "docs/architecture.md") return false;
        static const std::regex lesson_ref(R"((lesson[ -]|diff-|view-|^\| )([0-9]{2})\b)");
        for (auto it = std::sregex_iterator(current_line.begin(), current_line.end(), lesson_ref);
             it != std::sregex_iterator(); ++it)
            if (std::stoi((*it)[2]) > last_lesson) return true;
        return false;
    }

    // --- layout numbers (asm/records.inc) -------------------------------------
    std::map<std::string, std::uint64_t> layout;   // NAME -> value

    // A small C expression over numbers and layout names: + - * / % << >>
    // & ^ | ~ and parentheses, with C's precedence; the records.inc values
    // and what pages write about them.  With `units`, a number may be
    // followed by KiB, MiB, GiB or TiB, or written as a power (2⁴⁰).
    struct Eval {
        const std::map<std::string, std::uint64_t>& names;
        std::string_view s;
        std::size_t i = 0;
        bool units = false;
        bool ok = true;
        int literals = 0;   // numbers read
        int identifiers = 0;   // names read

        void space() { while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i; }
        bool eat(std::string_view op) {
            space();
            if (s.substr(i, op.size()) != op) return false;
            // "<" is not "<<", "&" is not "&&"
            if (op.size() == 1 && i + 1 < s.size() && (op == "<" || op == ">" || op == "&" || op == "|") && s[i + 1] == op[0]) return false;
            i += op.size();
            return true;
        }
        // a superscript digit (⁰ ¹ ² ³ ⁴ … ⁹) at i: its value, and its length in bytes
        int superscript(std::size_t at, std::size_t& len) const {
            auto b = [&](std::size_t k) { return at + k < s.size() ? static_cast<unsigned char>(s[at + k]) : 0u; };
            if (b(0) == 0xC2 && (b(1) == 0xB9 || b(1) == 0xB2 || b(1) == 0xB3)) { len = 2; return b(1) == 0xB9 ? 1 : b(1) == 0xB2 ? 2 : 3; }
            if (b(0) == 0xE2 && b(1) == 0x81 && (b(2) == 0xB0 || (b(2) >= 0xB4 && b(2) <= 0xB9))) { len = 3; return b(2) == 0xB0 ? 0 : b(2) - 0xB0; }
            return -1;
        }
        std::uint64_t number() {
            std::uint64_t v = 0;
            if (s.substr(i, 2) == "0x" || s.substr(i, 2) == "0X") {
                i += 2;
                std::size_t start = i;
                while (i < s.size() && std::isxdigit(static_cast<unsigned char>(s[i]))) v = v * 16 + static_cast<std::uint64_t>(std::stoi(std::string(1, s[i++]), nullptr, 16));
                if (i == start) ok = false;
            } else {
                while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) v = v * 10 + static_cast<std::uint64_t>(s[i++] - '0');
            }
            ++literals;
            if (!units) return v;
            std::size_t len = 0;
            if (superscript(i, len) >= 0) {   // 2⁴⁰
                int e = 0;
                for (int d; (d = superscript(i, len)) >= 0; i += len) e = e * 10 + d;
                std::uint64_t p = 1;
                for (int k = 0; k < e; ++k) p *= v;
                return p;
            }
            std::size_t save = i;
            space();
            static const std::pair<const char*, int> kUnits[] = {{"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"TiB", 40}};
            for (const auto& [u, shift] : kUnits)
                if (s.substr(i, 3) == u && (i + 3 == s.size() || !std::isalnum(static_cast<unsigned char>(s[i + 3])))) {
                    i += 3;
                    return v << shift;
                }
            i = save;
            return v;
        }
        std::uint64_t primary() {
            space();
            if (i >= s.size()) { ok = false; return 0; }
            char c = s[i];
            if (c == '(') {
                ++i;
                std::uint64_t v = or_();
                if (!eat(")")) ok = false;
                return v;
            }
            if (c == '-' ) { ++i; return 0 - primary(); }
            if (c == '~') { ++i; return ~primary(); }
            if (c == '+') { ++i; return primary(); }
            if (std::isdigit(static_cast<unsigned char>(c))) return number();
            if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
                std::size_t start = i;
                while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
                auto it = names.find(std::string(s.substr(start, i - start)));
                if (it == names.end()) { ok = false; return 0; }
                ++identifiers;
                return it->second;
            }
            ok = false;
            return 0;
        }
        std::uint64_t mul() {
            std::uint64_t v = primary();
            for (;;) {
                if (eat("*")) v *= primary();
                else if (eat("/")) { std::uint64_t d = primary(); if (d == 0) { ok = false; return 0; } v /= d; }
                else if (eat("%")) { std::uint64_t d = primary(); if (d == 0) { ok = false; return 0; } v %= d; }
                else return v;
            }
        }
        std::uint64_t add() {
            std::uint64_t v = mul();
            for (;;) {
                if (eat("+")) v += mul();
                else if (eat("-")) v -= mul();
                else return v;
            }
        }
        std::uint64_t shift() {
            std::uint64_t v = add();
            for (;;) {
                if (eat("<<")) v <<= add();
                else if (eat(">>")) v >>= add();
                else return v;
            }
        }
        std::uint64_t and_() { std::uint64_t v = shift(); while (eat("&")) v &= shift(); return v; }
        std::uint64_t xor_() { std::uint64_t v = and_(); while (eat("^")) v ^= and_(); return v; }
        std::uint64_t or_() { std::uint64_t v = xor_(); while (eat("|")) v |= xor_(); return v; }
    };

    // The whole of `text` as an expression, or nothing.
    std::optional<std::uint64_t> evaluate(std::string_view text, bool units, int* identifiers = nullptr) const {
        Eval e{layout, text};
        e.units = units;
        std::uint64_t v = e.or_();
        e.space();
        if (!e.ok || e.i != text.size() || e.literals + e.identifiers == 0) return std::nullopt;
        if (identifiers) *identifiers = e.identifiers;
        return v;
    }

    // A number at text[at] as a page writes it (13440, 0x3000, 2 MiB, 2⁴⁰,
    // **1 TiB**): its value, where its digits are, and whether it is a
    // plain decimal that --write may replace.
    struct Stated {
        std::uint64_t value;
        std::size_t from, len;   // the number's bytes in the line, unit included
        bool plain;
    };
    std::optional<Stated> stated_number(const std::string& line, std::size_t at) const {
        while (at < line.size() && line[at] == '*') ++at;   // **bold**
        if (at >= line.size() || !std::isdigit(static_cast<unsigned char>(line[at]))) return std::nullopt;
        Eval e{layout, line};
        e.units = true;
        e.i = at;
        std::uint64_t v = e.number();
        if (!e.ok) return std::nullopt;
        // a number is a whole word: "8240-byte" is, "64-bit" too, "1.5" and "0..65535" are not
        auto digit_at = [&](std::size_t k) { return k < line.size() && std::isdigit(static_cast<unsigned char>(line[k])); };
        if (e.i < line.size() && (std::isalnum(static_cast<unsigned char>(line[e.i])) ||
                                  ((line[e.i] == '.' || line[e.i] == ',') && digit_at(e.i + 1))))
            return std::nullopt;
        bool plain = true;
        for (std::size_t k = at; k < e.i; ++k) plain = plain && std::isdigit(static_cast<unsigned char>(line[k]));
        return Stated{v, at, e.i - at, plain};
    }

    // asm/records.inc: every `.equ NAME, value` evaluated in order.  A
    // comment that starts with a number about a computed value (`// 8240`
    // after `DIR_BUF + DIRENT_BUF_MAX`), or with arithmetic or a unit
    // (`// 112 + 64 * 32`, `// 2 MiB: ...`), must say that value.
    // Does EXPR name something each kernel's asm/os/*/os.inc defines?
    bool names_a_per_os_value(const std::string& expr) {
        static const std::regex name(R"([A-Za-z_][A-Za-z0-9_]*)");
        for (std::sregex_iterator it(expr.begin(), expr.end(), name), end; it != end; ++it) {
            const std::regex defined(R"((^|\n)\s*\.equ\s+)" + it->str() + R"(\s*,)");
            if (std::regex_search(read_all(root / "asm/os/linux/os.inc"), defined)) return true;
        }
        return false;
    }

    void load_layout() {
        fs::path p = root / "asm/records.inc";
        if (!fs::exists(p)) return;
        static const std::regex equ(R"(^\s*\.equ\s+([A-Za-z_][A-Za-z0-9_]*)\s*,\s*([^/]*[^/\s])\s*(//\s*(.*))?$)");
        std::vector<std::string> text = lines_of(read_all(p));
        for (std::size_t n = 0; n < text.size(); ++n) {
            std::smatch m;
            if (!std::regex_match(text[n], m, equ)) continue;
            std::string where = "asm/records.inc:" + std::to_string(n + 1);
            std::optional<std::uint64_t> v = evaluate(m[2].str(), false);
            // A value built from an os.inc name (STAT_AREA from STAT_SIZE)
            // differs between the kernels: no page can state one number.
            if (!v && names_a_per_os_value(m[2].str())) continue;
            if (!v) {
                fail("layout", where, "cannot evaluate `" + m[2].str() + "` (a number, a name above it, + - * / % << >> & ^ | ~ ( ))");
                continue;
            }
            layout[m[1]] = *v;
            std::string comment = m[4].str();
            if (comment.empty() || !std::isdigit(static_cast<unsigned char>(comment[0]))) continue;
            std::string head = comment.substr(0, comment.find(':'));
            bool literal = std::all_of(m[2].first, m[2].second, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
            bool arithmetic = head.find_first_of("+-*/&|<>~") != std::string::npos ||
                              std::regex_search(head, std::regex(R"([0-9]\s*[KMGT]iB\b)"));
            if (literal && !arithmetic) continue;   // "// 1: no block left": a meaning, not a size
            std::optional<std::uint64_t> said = evaluate(trim(head), true);
            if (!said) continue;
            counted["layout"]++;
            if (*said != *v)
                fail("layout", where, m[1].str() + " is " + std::to_string(*v) + ", its comment says " + trim(head));
        }
    }

    // One line of a page outside the excerpts: every number stated for a
    // layout name.  Returns the line, corrected if --write may.
    std::string check_layout_line(const std::string& where, std::string line) {
        if (layout.empty()) return line;
        struct Fix { std::size_t from, len; std::string with; };
        std::vector<Fix> fixes;
        auto check = [&](const std::string& what, std::uint64_t want, const Stated& got) {
            counted["layout"]++;
            if (got.value == want) return;
            if (write && got.plain) {
                fixes.push_back({got.from, got.len, std::to_string(want)});
                return;
            }
            fail("layout", where, what + " is " + std::to_string(want) + " (asm/records.inc), the page says " +
                                      line.substr(got.from, got.len) + (got.plain ? "; run: make excerpts" : ""));
        };
        // what follows a name (or an expression in backticks): " (N", " = N", " is N", " | N"
        auto after = [&](std::size_t at) -> std::optional<Stated> {
            static const std::regex follow(R"(^`?\s*(\(|=\s*|is\s+|\|\s*))");
            std::smatch m;
            std::string rest = line.substr(at);
            if (!std::regex_search(rest, m, follow)) return std::nullopt;
            return stated_number(line, at + static_cast<std::size_t>(m.length(0)));
        };
        // `EXPRESSION` (N): a backtick span of layout names and numbers
        for (std::size_t open = line.find('`'); open != std::string::npos;) {
            std::size_t close = line.find('`', open + 1);
            if (close == std::string::npos) break;
            std::string span = line.substr(open + 1, close - open - 1);
            int names = 0;
            std::optional<std::uint64_t> v = evaluate(span, false, &names);
            if (v && names > 0 && span.find(' ') != std::string::npos)   // a lone `NAME` is the loop below
                if (auto got = after(close + 1)) check("`" + span + "`", *v, *got);
            open = line.find('`', close + 1);
        }
        // NAME (N), `NAME` (N), NAME = N ...; and N = NAME, N (`NAME`)
        static const std::regex word(R"([A-Z][A-Z0-9_]*[A-Z0-9])");
        for (auto it = std::sregex_iterator(line.begin(), line.end(), word); it != std::sregex_iterator(); ++it) {
            std::size_t at = static_cast<std::size_t>(it->position(0)), end = at + static_cast<std::size_t>(it->length(0));
            char before = at ? line[at - 1] : ' ';
            if (std::isalnum(static_cast<unsigned char>(before)) || before == '_' || before == '#' ||
                (end < line.size() && (std::isalnum(static_cast<unsigned char>(line[end])) || line[end] == '_')))
                continue;
            auto found = layout.find((*it)[0]);
            if (found == layout.end()) continue;
            if (auto got = after(end)) check(found->first, found->second, *got);
            // backwards: "15600 = X_SIZE", "13440 (`X_REQ`)"
            static const std::regex lead(R"((^|[^0-9A-Za-z_.])([0-9]+(\s*[KMGT]iB)?)\**\s*(=\s*`?|\(`)$)");
            std::smatch m;
            std::string head = line.substr(0, at);
            if (std::regex_search(head, m, lead))
                if (auto got = stated_number(line, static_cast<std::size_t>(m.position(2)))) check(found->first, found->second, *got);
        }
        std::sort(fixes.begin(), fixes.end(), [](const Fix& a, const Fix& b) { return a.from > b.from; });
        for (const Fix& f : fixes) line.replace(f.from, f.len, f.with);
        return line;
    }

    // The page's lines outside excerpts, checked (and with --write
    // corrected).
    std::string layout_numbers(const fs::path& page, const std::string& text, bool& changed) {
        static const std::regex marker(R"(^<!-- excerpt: (\S+) (.+?) -->\s*$)");
        std::vector<std::string> lines = lines_of(text);
        bool in_excerpt = false, in_code = false;
        std::string out;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            std::string line = lines[i];
            if (std::regex_match(line, marker)) in_excerpt = true;
            else if (trim(line).rfind("```", 0) == 0) {
                if (in_code) in_excerpt = false;
                in_code = !in_code;
            } else if (!in_excerpt) {
                std::string fixed = check_layout_line(page.string() + ":" + std::to_string(i + 1), line);
                if (fixed != line) changed = true;
                line = fixed;
            }
            out += line + "\n";
        }
        return out;
    }

    // --- what exists -------------------------------------------------------
    void load() {
        for (const auto& dir : fs::directory_iterator(root / "lessons")) {
            std::string slug = dir.path().filename().string();
            if (slug.size() > 2 && std::isdigit(static_cast<unsigned char>(slug[0])) &&
                std::isdigit(static_cast<unsigned char>(slug[1])) && slug[2] == '-')
                last_lesson = std::max(last_lesson, std::stoi(slug.substr(0, 2)));
            fs::path f = dir.path() / "fixtures.json";
            if (!fs::exists(f)) continue;
            try {
                nlohmann::json j = nlohmann::json::parse(read_all(f));
                for (const auto& fx : j) {
                    std::string name = fx.value("name", "");
                    if (name.empty()) continue;
                    fixtures.insert(name);
                    prefixes.insert(name.substr(0, name.find('-')));
                    if (fx.contains("exercise") && fx["exercise"].is_string()) exercises.insert(fx["exercise"].get<std::string>());
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
        // GoogleTest names, per suite: `make unit` runs tests/unit, `make
        // asm-tests` tests/asm
        const std::regex test_re(R"(\bTEST(?:_F|_P)?\(\s*(\w+)\s*,\s*(\w+)\s*\))");
        for (const auto& [suite, dir] : {std::pair<std::string, std::string>{"unit", "tests/unit"}, {"asm-tests", "tests/asm"}}) {
            if (!fs::exists(root / dir)) continue;
            for (const auto& e : fs::directory_iterator(root / dir)) {
                if (e.path().extension() != ".cpp") continue;
                std::string text = read_all(e.path());
                for (auto it = std::sregex_iterator(text.begin(), text.end(), test_re); it != std::sregex_iterator(); ++it)
                    tests[suite].push_back((*it)[1].str() + "." + (*it)[2].str());
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
    static bool is_cpp_definition(std::string line, const std::string& f) {
        // an attribute first ([[noreturn]] void f(...)) belongs to the line
        if (line.rfind("[[", 0) == 0 && line.find("]]") != std::string::npos) line = trim(line.substr(line.find("]]") + 2));
        if (line.empty() || !std::isalpha(static_cast<unsigned char>(line[0]))) return false;
        std::string t = trim(line);
        if (t.back() == ';') return false;
        // the name defined is the one before the line's first '(': in
        // `void out_text(...) { out_bytes(...); }` that is out_text, and
        // the call to out_bytes does not make it out_bytes's definition
        std::size_t paren = line.find('(');
        if (paren == std::string::npos || paren < f.size() || line.compare(paren - f.size(), f.size(), f) != 0) return false;
        std::size_t at = paren - f.size();
        char before = at == 0 ? ' ' : line[at - 1];
        return before == ' ' || before == '*' || before == '&' || before == ':';
    }

    // The lines of region `name` in `path`, or an error message.
    // (committed: the file as the last commit has it, `git show HEAD:path`.)
    bool region(const std::string& path, const std::string& name, std::vector<std::string>& out, std::string& err,
                bool committed = false) {
        fs::path p = root / path;
        if (!committed && !fs::exists(p)) {
            err = "no such source file " + path;
            return false;
        }
        std::string text;
        if (committed && !git_show_head(path, text)) {
            err = "not in the last commit: " + path;
            return false;
        }
        std::vector<std::string> src = lines_of(committed ? text : read_all(p));
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
            // the comment block right above it (in asm: its header, ---- rule
            // included, and the .equ lines between the header and FUNC)
            std::size_t first = start;
            auto belongs = [&](const std::string& line) {
                std::string t = trim(line);
                return t.rfind("//", 0) == 0 || (is_asm && t.rfind(".equ", 0) == 0);
            };
            while (first > 0 && belongs(src[first - 1])) --first;
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
            // A page that quotes the committed source is right while a
            // student changes the working copy (an exercise of the page):
            // the check only fails when the page matches neither.  On a
            // clean clone (CI) the two are the same file.
            std::vector<std::string> committed;
            std::string ignored;
            if (have != want && !write && region(path, name, committed, ignored, true) && have == committed) {
                quoting_committed.push_back(where + ": " + path + " " + name);
                want = committed;
            }
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

    // The file `path` as the last commit has it (git show HEAD:path);
    // false outside a git checkout or for a file the commit lacks.
    std::vector<std::string> quoting_committed;   // excerpts right only for the committed source
    std::map<std::string, std::pair<bool, std::string>> head_cache;
    bool git_checked = false, is_checkout = false;
    bool git_show_head(const std::string& path, std::string& text) {
        if (!git_checked) {   // only when ROOT itself is a checkout (not a made-up page tree inside one)
            git_checked = true;
            std::string top;
            if (FILE* f = ::popen(("git -C '" + root.string() + "' rev-parse --show-toplevel 2>/dev/null").c_str(), "r")) {
                char buf[4096];
                for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) top.append(buf, n);
                ::pclose(f);
            }
            while (!top.empty() && top.back() == '\n') top.pop_back();
            std::error_code ec;
            is_checkout = !top.empty() && fs::equivalent(top, root, ec);
        }
        if (!is_checkout) return false;
        auto it = head_cache.find(path);
        if (it == head_cache.end()) {
            std::string cmd = "git -C '" + root.string() + "' show 'HEAD:" + path + "' 2>/dev/null";
            std::string got;
            FILE* f = ::popen(cmd.c_str(), "r");
            bool ok = false;
            if (f) {
                char buf[4096];
                for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) got.append(buf, n);
                ok = ::pclose(f) == 0;
            }
            it = head_cache.emplace(path, std::make_pair(ok, got)).first;
        }
        text = it->second.second;
        return it->second.first;
    }

    // --- names in the prose --------------------------------------------------
    static bool placeholder(const std::string& s) {
        return s.find("NN") != std::string::npos || s.find("MM") != std::string::npos || s.find('*') != std::string::npos ||
               s.find('<') != std::string::npos || s.find('{') != std::string::npos || s.find("...") != std::string::npos ||
               s.find('$') != std::string::npos || s.find("slug") != std::string::npos ||
               s.find("\u2026") != std::string::npos;   // …
    }

    void check_path(const fs::path& page, const std::string& where, std::string p, bool link) {
        if (p.empty() || placeholder(p)) return;
        if (link) {
            if (p.find("://") != std::string::npos || p[0] == '#' || p.rfind("mailto:", 0) == 0) return;
            p = p.substr(0, p.find('#'));
            if (p.empty()) return;
            counted["paths"]++;
            fs::path target = root / page.parent_path() / p;
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

    // GoogleTest's filter syntax: '*' any run, '?' one character.
    static bool glob(const std::string& pat, const std::string& text) {
        std::size_t p = 0, t = 0, star = std::string::npos, mark = 0;
        while (t < text.size()) {
            if (p < pat.size() && (pat[p] == '?' || pat[p] == text[t])) {
                ++p;
                ++t;
            } else if (p < pat.size() && pat[p] == '*') {
                star = p++;
                mark = t;
            } else if (star != std::string::npos) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pat.size() && pat[p] == '*') ++p;
        return p == pat.size();
    }

    // Does `make SUITE FILTER=filter` run at least one test?  A plain word
    // means *word* (the Makefile's rule); "a:b-c" is GoogleTest's list of
    // patterns and negative patterns.  DISABLED_ tests count only when
    // the command also says EXERCISE=.
    bool filter_runs_something(const std::string& suite, const std::string& filter, bool exercise) {
        bool pattern = filter.find('*') != std::string::npos || filter.find(':') != std::string::npos;
        std::string positive = pattern ? filter.substr(0, filter.find('-')) : "*" + filter + "*";
        std::string negative = pattern && filter.find('-') != std::string::npos ? filter.substr(filter.find('-') + 1) : "";
        auto any_of_list = [&](const std::string& list, const std::string& name) {
            std::stringstream in(list);
            for (std::string one; std::getline(in, one, ':');)
                if (!one.empty() && glob(one, name)) return true;
            return false;
        };
        for (const std::string& name : tests[suite]) {
            bool disabled = name.rfind("DISABLED_", 0) == 0 || name.find(".DISABLED_") != std::string::npos;
            if (disabled && !exercise) continue;
            if (any_of_list(positive.empty() ? "*" : positive, name) && !any_of_list(negative, name)) return true;
        }
        return false;
    }

    // FILTER=, ONLY= and EXERCISE= must select something.
    void check_make_args(const std::string& where, const std::vector<std::string>& goals,
                         const std::map<std::string, std::string>& vars) {
        auto var = [&](const char* name) -> const std::string* {
            auto it = vars.find(name);
            return it == vars.end() ? nullptr : &it->second;
        };
        const std::string* filter = var("FILTER");
        const std::string* only = var("ONLY");
        const std::string* exercise = var("EXERCISE");
        for (const std::string& g : goals) {
            bool suite = g == "unit" || g == "asm-tests";
            bool lesson = std::regex_match(g, std::regex("lesson-([0-9][0-9]|NN)"));
            if (suite && filter && !placeholder(*filter) && *filter != "word") {
                counted["args"]++;
                if (!filter_runs_something(g, *filter, exercise != nullptr))
                    fail("args", where, "`make " + g + " FILTER=" + *filter + (exercise ? " EXERCISE=..." : "") +
                                            "` runs no test" + (exercise ? "" : " (a DISABLED_ one needs EXERCISE=1)"));
            }
            if (lesson && only && !placeholder(*only) && *only != "regex") {
                counted["args"]++;
                try {
                    std::regex re(*only, std::regex::ECMAScript);
                    if (std::none_of(fixtures.begin(), fixtures.end(), [&](const std::string& f) { return std::regex_search(f, re); }))
                        fail("args", where, "ONLY=" + *only + " matches no fixture");
                } catch (const std::regex_error&) {
                    fail("args", where, "ONLY=" + *only + " is not a regex");
                }
            }
            if (lesson && exercise && !placeholder(*exercise) && *exercise != "NN-slug") {
                counted["args"]++;
                if (!exercises.count(*exercise)) fail("args", where, "EXERCISE=" + *exercise + ": no fixture belongs to that exercise");
                else if (g != "lesson-NN" && g.substr(7) != exercise->substr(0, 2))
                    fail("args", where, "EXERCISE=" + *exercise + " belongs to lesson-" + exercise->substr(0, 2) + ", not " + g);
            }
        }
    }

    void check_make(const std::string& where, const std::string& cmdline) {
        static const std::regex make_re(R"((^|[\s;&|(])make\s+([^;&|)`#]*))");
        for (auto it = std::sregex_iterator(cmdline.begin(), cmdline.end(), make_re); it != std::sregex_iterator(); ++it) {
            std::vector<std::string> goals;
            std::map<std::string, std::string> vars;
            for (const std::string& w : shell_words((*it)[2].str())) {
                if (!w.empty() && w[0] != '-' && w.find('=') != std::string::npos) {
                    vars[w.substr(0, w.find('='))] = w.substr(w.find('=') + 1);
                    continue;
                }
                if (!w.empty() && w[0] == '-') continue;
                if (w.empty() || w == "\\" || w[0] == '<' || w[0] == '>' || w.rfind("2>", 0) == 0) break;
                goals.push_back(w);
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
            check_make_args(where, goals, vars);
        }
    }

    void check_prose(const fs::path& page, const std::vector<std::string>& lines) {
        static const std::regex code_span("`([^`]+)`");
        static const std::regex link_re(R"(\]\(([^)\s]+)\))");
        static const std::regex func_re(R"(^([A-Za-z_][A-Za-z0-9_]*)\()");
        static const std::regex fixture_re(R"(^[a-z0-9]+(-[a-z0-9]+){2,}$)");   // fixture names have 3+ parts
        static const std::regex flag_re(R"((^|\s)(--[a-z][a-z-]*))");
        bool in_code = false, in_excerpt = false, in_exercises = false;
        std::vector<std::pair<std::string, std::string>> block;   // the code block's lines: where, text
        current_page = page.generic_string();
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const std::string& line = lines[i];
            std::string where = page.string() + ":" + std::to_string(i + 1);
            current_line = line;
            check_alone(where, line);
            // exercises name the functions the student is asked to write
            if (line.rfind("#", 0) == 0 && !in_code) in_exercises = line.find("Exercises") != std::string::npos;
            if (line.rfind("<!-- excerpt:", 0) == 0) in_excerpt = true;
            if (trim(line).rfind("```", 0) == 0) {
                in_code = !in_code;
                if (in_code) {
                    check_code_language(where, trim(line).substr(3), in_excerpt);
                    block.clear();
                } else {
                    if (!in_excerpt) check_background_jobs(block);
                    in_excerpt = false;
                }
                continue;
            }
            if (in_excerpt) continue;   // source code: checked as an excerpt
            if (in_code) {
                block.emplace_back(where, line);
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

    // A code block in a source language must be an excerpt of the source.
    void check_code_language(const std::string& where, const std::string& lang, bool is_excerpt) {
        static const std::set<std::string> source = {"asm", "s", "S", "gas", "armasm", "arm", "cpp", "c++", "cxx",
                                                     "c", "h", "hpp", "C"};
        if (!source.count(trim(lang))) return;
        counted["code"]++;
        if (!is_excerpt)
            fail("code", where, "a ```" + trim(lang) + " block must be an excerpt of the source: put `<!-- excerpt: PATH "
                                "function NAME -->` (or a marked region) on the line before it and run make excerpts; "
                                "a picture or pseudocode uses ``` or ```text");
    }

    // A shell line without its comment (a # that starts a word, outside
    // quotes) and without a leading "$ " prompt.
    static std::string shell_code(std::string line) {
        line = trim(line);
        if (line.rfind("$ ", 0) == 0) line = line.substr(2);
        char quote = 0;
        for (std::size_t i = 0; i < line.size(); ++i) {
            char c = line[i];
            if (quote) {
                if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
                return trim(line.substr(0, i));
            }
        }
        return line;
    }

    // Every program a shell block starts in the background must be
    // remembered (`... & PID=$!`) and killed (`kill $PID`) in the same
    // block: a demo server left running answers the next lesson's demo.
    void check_background_jobs(const std::vector<std::pair<std::string, std::string>>& block) {
        std::vector<std::pair<std::string, std::string>> started;   // where, variable
        std::string all;
        for (const auto& [where, text] : block) {
            std::string code = shell_code(text);
            all += code + "\n";
            // a lone '&' (not &&, >&, &>, <&) outside quotes ends a background command
            char quote = 0;
            std::size_t amp = std::string::npos;
            for (std::size_t i = 0; i < code.size(); ++i) {
                char c = code[i];
                if (quote) {
                    if (c == quote) quote = 0;
                    continue;
                }
                if (c == '\'' || c == '"') quote = c;
                if (c != '&') continue;
                char before = i ? code[i - 1] : ' ', after = i + 1 < code.size() ? code[i + 1] : ' ';
                if (before == '&' || before == '>' || before == '<') continue;
                if (after != ' ' && after != '\t' && after != ';' && after != ')') continue;   // &&, &>, &x in a picture
                amp = i;
                break;
            }
            if (amp == std::string::npos) continue;
            counted["lessons"]++;
            std::smatch m;
            std::string rest = code.substr(amp + 1);
            if (!std::regex_search(rest, m, std::regex(R"(\b([A-Za-z_][A-Za-z0-9_]*)=\$!)")))
                fail("lessons", where, "a program started in the background must be remembered for the kill that ends "
                                       "the block: `... & PID=$!`");
            else
                started.emplace_back(where, m[1]);
        }
        for (const auto& [where, var] : started) {
            std::regex kill_re("\\bkill\\b[^\\n]*\\$\\{?" + var + "\\b");
            if (!std::regex_search(all, kill_re))
                fail("lessons", where, "the block starts $" + var + " in the background but never runs `kill $" + var + "`");
        }
    }

    // The repository stands alone: nothing may point at a reference or a
    // tool outside it.
    void check_alone(const std::string& where, const std::string& line) {
        static const std::vector<std::string> outside = {"../shared", "/work/", "shared/abi", "abi reference",
                                                         "darwin-emu", "DARWIN_EMU"};
        std::string lowered = line;
        std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
        for (const auto& o : outside) {
            std::string lo = o;
            std::transform(lo.begin(), lo.end(), lo.begin(), [](unsigned char c) { return std::tolower(c); });
            if (lowered.find(lo) != std::string::npos)
                fail("alone", where, "`" + o + "` points outside the repository: cite XNU (apple-oss-distributions/xnu) "
                                     "or Linux (torvalds/linux) files, or what the repository has");
        }
    }

    // The scripts and sources too (not this file: it lists the fragments).
    void check_alone_files() {
        for (const char* dir : {"asm", "cpp", "harness", "tests", ".ci", "lessons"}) {
            if (!fs::exists(root / dir)) continue;
            for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
                if (!e.is_regular_file() || e.path().filename() == "docs-check.cpp") continue;
                std::string ext = e.path().extension().string();
                if (ext == ".md" || ext == ".json" || (e.path().string().find("/site/") != std::string::npos)) continue;
                std::vector<std::string> text = lines_of(read_all(e.path()));
                for (std::size_t i = 0; i < text.size(); ++i)
                    check_alone(fs::relative(e.path(), root).string() + ":" + std::to_string(i + 1), text[i]);
            }
        }
        for (const char* f : {"Makefile"}) {
            std::vector<std::string> text = lines_of(read_all(root / f));
            for (std::size_t i = 0; i < text.size(); ++i) check_alone(std::string(f) + ":" + std::to_string(i + 1), text[i]);
        }
        counted["alone"]++;
    }

    // A lesson page tells the reader to look at what the lesson adds first.
    void check_lesson_page(const fs::path& rel, const std::string& text) {
        static const std::regex lesson_page(R"(lessons/([0-9][0-9])-[^/]+/README\.md)");
        std::smatch m;
        std::string p = rel.generic_string();
        if (!std::regex_match(p, m, lesson_page)) return;
        std::string n = m[1];
        counted["lessons"]++;
        std::string wanted = n == "00" ? "make view-00" : "make diff-" + n;
        if (text.find(wanted) == std::string::npos)
            fail("lessons", p, "a lesson page tells the reader to run `" + wanted + "` first");
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
        rewritten = layout_numbers(rel, rewritten, changed);
        if (write && changed) {
            std::ofstream(p, std::ios::binary) << rewritten;
            std::cout << "rewrote the excerpts (and layout numbers) of " << rel.string() << "\n";
        }
        check_prose(rel, lines);
        current_page.clear();
        current_line.clear();
        check_lesson_page(rel, text);
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
            if (!fs::exists(c.root / dir)) continue;
            for (const auto& e : fs::recursive_directory_iterator(c.root / dir)) {
                if (e.path().extension() == ".md") pages.push_back(fs::relative(e.path(), c.root));
            }
        }
        std::sort(pages.begin(), pages.end());
    }
    c.load();
    c.load_layout();
    for (const auto& p : pages) c.page(p);
    c.check_alone_files();

    for (const auto& q : c.quoting_committed)
        std::cout << q << ": quotes the committed source, not your changed copy (fine while you work on an exercise; "
                  << "make excerpts would rewrite the page)\n";
    int passed = 0, failed = 0;
    for (const char* check : {"excerpts", "layout", "fixtures", "paths", "targets", "functions", "flags", "code", "args", "alone", "lessons"}) {
        const auto& probs = c.problems[check];
        const auto& waiting = c.pending[check];
        for (const auto& p : probs) std::cout << p.where << ": " << p.what << "\n";
        for (const auto& p : waiting) std::cout << p.where << ": pending (lesson still to come): " << p.what << "\n";
        if (std::string(check) == "targets" && targets_file.empty()) {
            std::cout << "skip  targets (no --targets list)\n";
            continue;
        }
        bool ok = probs.empty();
        std::printf("%s  %-9s %d checked, %zu problem(s)", ok ? "ok  " : "FAIL", check, c.counted[check], probs.size());
        if (!waiting.empty()) std::printf(", %zu pending a lesson still to come", waiting.size());
        std::printf("\n");
        (ok ? passed : failed)++;
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
