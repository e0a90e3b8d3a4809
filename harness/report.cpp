// harness/report.cpp -- see report.hpp.
#include "report.hpp"

#include <sys/wait.h>

#include <algorithm>

#include "util.hpp"

namespace harness {

namespace {
const char* kPass = "\xE2\x9C\x93";   // ✓
const char* kFail = "\xE2\x9C\x97";   // ✗
const char* kBar = "\xE2\x94\x82";    // │
const char* kNe = "\xE2\x89\xA0";     // ≠
constexpr size_t kCell = 14;

std::string pad(const std::string& s, size_t width) {
    size_t w = display_width(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

std::string cell(const Outcome& o) {
    if (!o.ran) return "- skipped";
    return std::string(o.pass ? kPass : kFail) + " " + o.cell;
}

// The head a fixture expects, as lines like the real one.
std::string expected_head(const Fixture& f) {
    const Expect& e = f.expect;
    if (e.no_response) return "    (no response: the server closes without sending a byte)\n";
    std::string out = "    HTTP/1.1 ";
    for (size_t i = 0; i < e.status.size(); ++i) out += (i ? " or " : "") + std::to_string(e.status[i]);
    out += "\n";
    for (const auto& [name, h] : e.headers) {
        out += "    " + name + ": ";
        if (h.kind == HeaderExpect::Kind::Exact) out += escape(h.value);
        else if (h.kind == HeaderExpect::Kind::Regex) out += "/" + h.value + "/ (regex)";
        else if (h.kind == HeaderExpect::Kind::HttpDateNow) out += "(an IMF-fixdate: now, within " + std::to_string(kDateSlackSeconds) + " s)";
        else if (h.kind == HeaderExpect::Kind::HttpDateAt) out += "(the IMF-fixdate of " + std::to_string(h.seconds) + " s since 1970)";
        else if (h.kind == HeaderExpect::Kind::SameAs) out += "(the same as " + h.value + ")";
        else out += "(must be absent)";
        out += "\n";
    }
    return out;
}

std::string actual_head(const Outcome& o) {
    if (!o.exchange.connected) return "    (no connection)\n";
    if (o.exchange.received.empty()) return "    (nothing received)\n";
    if (!o.response.has_head) return escape_lines(o.exchange.received.substr(0, 600), "    ") + "\n";
    std::string head = o.response.head;
    while (!head.empty() && (head.back() == '\n' || head.back() == '\r')) head.pop_back();
    return escape_lines(head, "    ") + "\n";
}

// Commands that recreate the fixture's docroot changes in "$site".
std::string docroot_commands(const Fixture& f) {
    std::string out;
    for (const auto& c : f.docroot) {
        std::string p = "\"$site\"/" + shell_quote(c.path);
        std::string dir = c.path.find('/') == std::string::npos ? "" : c.path.substr(0, c.path.rfind('/'));
        if (!dir.empty() && !c.absent) out += " && mkdir -p \"$site\"/" + shell_quote(dir);
        if (c.absent) out += " && rm -rf " + p;
        else if (c.symlink) out += " && ln -sfn " + shell_quote(*c.symlink) + " " + p;
        else if (c.dir) out += " && mkdir -p " + p;
        else if (c.many) {
            std::size_t width = c.many->name(0).size() - c.many->prefix.size();   // the zero-padded digits
            out += " && mkdir -p " + p + " && for i in $(seq -f '%0" + std::to_string(width) + "g' 0 " +
                   std::to_string(c.many->count - 1) + "); do printf " + printf_quote(c.many->content) + " > " + p +
                   "/" + shell_quote(c.many->prefix) + "\"$i\"; done";
        } else if (c.content) out += " && printf " + printf_quote(*c.content) + " > " + p;
        else if (c.size) out += " && truncate -s " + std::to_string(*c.size) + " " + p;
        if (c.mode) {
            char m[8];
            std::snprintf(m, sizeof m, "%04o", *c.mode);
            out += std::string(" && chmod ") + m + " " + p;
        }
    }
    return out;
}
}  // namespace

size_t display_width(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

Totals count(const std::vector<FixtureResult>& results) {
    Totals t;
    for (const auto& r : results)
        for (const auto& o : r.outcomes) {
            if (!o.ran) continue;
            (o.pass ? t.passed : t.failed)++;
        }
    return t;
}

void print_table(std::ostream& os, const std::vector<FixtureResult>& results, const std::vector<Implementation>& impls) {
    std::string head;
    for (size_t k = 0; k < impls.size(); ++k) head += (k ? std::string(kBar) + " " : "") + pad(impls[k].label, kCell) + " ";
    os << head << " fixture\n";
    for (const auto& r : results) {
        std::string row;
        for (size_t k = 0; k < r.outcomes.size(); ++k)
            row += (k ? std::string(kBar) + " " : "") + pad(cell(r.outcomes[k]), kCell) + " ";
        row += r.differences.empty() ? " " : kNe;
        os << row << " " << r.fixture->name << "\n";
    }
}

std::string describe_request(const Fixture& f) {
    std::string how = std::to_string(f.request.size()) + " bytes";
    if (f.uses_chunks) how += ", in " + std::to_string(f.chunks.size()) + " chunks with pauses";
    if (f.split_bytes) how += ", " + std::to_string(f.split_bytes) + " byte(s) per write";
    if (f.half_close) how += ", then half-closed (shutdown SHUT_WR)";
    if (f.repeat > 1) how += ", sent " + std::to_string(f.repeat) + " times";
    if (!f.background_clients.empty())
        how += ", while " + std::to_string(f.background_clients.size()) + " other connection(s) are held open";
    std::string out = "  request (" + how + "):\n";
    if (f.request.empty()) return out + "    (nothing)\n";
    std::string shown = f.request.size() > 1500 ? f.request.substr(0, 1500) : f.request;
    out += escape_lines(shown, "    ") + (f.request.size() > 1500 ? "... (" + std::to_string(f.request.size() - 1500) + " more bytes)" : "") + "\n";
    return out;
}

std::string reproduction(const Fixture& f, const std::string& server_command) {
    std::string out = "  reproduce (from the repository root):\n";
    if (f.is_run) return out + "    " + server_command + "; echo \"exit $?\"\n";
    std::string flags;
    // the docroot is a directory of its own, so that the secret can sit
    // right outside it, as it does for the harness's servers
    out += "    site=$(mktemp -d)/site && mkdir \"$site\" && cp -a harness/site/. \"$site\"/ && printf " +
           printf_quote(kOutsideContent) + " > \"$site\"/../" + kOutsideName + docroot_commands(f) + "\n";
    out += "    " + server_command + " 8080 \"$site\" & PID=$!; sleep 1\n";
    for (const auto& b : f.background_clients)
        out += "    (printf " + printf_quote(b.send) + "; sleep " + std::to_string((b.hold_ms + 999) / 1000) +
               ") | nc 127.0.0.1 8080 &   # held open\n";
    out += "    printf " + printf_quote(f.request) + " | nc " + (f.half_close ? "-N " : "") + "127.0.0.1 8080\n";
    out += "    kill $PID; rm -rf \"${site%/site}\"\n";
    return out;
}

void print_failures(std::ostream& os, const std::vector<FixtureResult>& results,
                    const std::vector<Implementation>& impls) {
    bool first = true;
    for (const auto& r : results) {
        const Fixture& f = *r.fixture;
        for (size_t k = 0; k < r.outcomes.size(); ++k) {
            const Outcome& o = r.outcomes[k];
            if (!o.ran || o.pass) continue;
            if (first) os << "\n";
            first = false;
            os << "──── " << kFail << " " << f.name << " [" << impls[k].label << "]  (" << f.file << ")\n";
            os << "  why:  " << f.why << "\n  spec: " << f.spec << "\n";
            if (f.is_run) {
                os << "  run:  " << o.server_command << "\n";
                os << "  stdout:\n" << escape_lines(o.run.out, "    ") << "\n";
                if (!o.run.err.empty()) os << "  stderr:\n" << escape_lines(o.run.err, "    ") << "\n";
            } else {
                os << describe_request(f);
                if (!f.flags.empty() || !f.docroot.empty()) {
                    os << "  server set-up:";
                    for (const auto& fl : f.flags) os << " " << fl;
                    for (const auto& c : f.docroot) os << " [docroot " << c.path << "]";
                    os << "\n";
                }
                os << "  expected:\n" << expected_head(f);
                os << "  actual:\n" << actual_head(o);
            }
            os << "  checks:\n";
            for (const auto& a : o.assertions) os << "    " << (a.ok ? kPass : kFail) << " " << a.text << "\n";
            for (const auto& n : o.notes) os << "    note: " << n << "\n";
            os << reproduction(f, o.server_command);
        }
        if (!r.differences.empty() && std::any_of(r.outcomes.begin(), r.outcomes.end(), [](const Outcome& o) { return o.ran; })) {
            bool any_fail = std::any_of(r.outcomes.begin(), r.outcomes.end(), [](const Outcome& o) { return o.ran && !o.pass; });
            if (any_fail) {
                os << "  " << kNe << " the implementations answered differently:\n";
                for (const auto& d : r.differences) os << indent_lines(d, "    ") << "\n";   // already escaped
            }
        }
    }
    // Passing fixtures where the two disagree: a short list.
    bool header = false;
    for (const auto& r : results) {
        if (r.differences.empty()) continue;
        if (std::any_of(r.outcomes.begin(), r.outcomes.end(), [](const Outcome& o) { return !o.pass; })) continue;
        if (!header) os << "\n" << kNe << " passed everywhere, but the implementations answered differently:\n";
        header = true;
        os << "  " << r.fixture->name << ": ";
        for (size_t i = 0; i < r.differences.size(); ++i) {
            std::string d = r.differences[i];
            os << (i ? "; " : "") << d.substr(0, d.find('\n'));
        }
        os << "\n";
    }
}

nlohmann::json to_json(int lesson, const std::vector<FixtureResult>& results, const std::vector<Implementation>& impls) {
    using nlohmann::json;
    json out;
    out["lesson"] = lesson;
    out["implementations"] = json::array();
    for (const auto& i : impls) out["implementations"].push_back({{"label", i.label}, {"command", i.command}, {"emulated", i.emulated}});
    out["fixtures"] = json::array();
    for (const auto& r : results) {
        const Fixture& f = *r.fixture;
        json jf = {{"name", f.name}, {"file", f.file}, {"why", f.why}, {"spec", f.spec}, {"differences", r.differences}};
        json per = json::object();
        for (size_t k = 0; k < r.outcomes.size(); ++k) {
            const Outcome& o = r.outcomes[k];
            json jo = {{"ran", o.ran}, {"pass", o.pass}, {"summary", o.cell}, {"notes", o.notes}};
            json checks = json::array();
            for (const auto& a : o.assertions) checks.push_back({{"ok", a.ok}, {"text", a.text}});
            jo["checks"] = checks;
            if (f.is_run) {
                jo["stdout"] = o.run.out;
                jo["stderr"] = o.run.err;
                jo["exit"] = describe_wait_status(o.run.wait_status);
            } else {
                jo["status"] = o.response.status;
                jo["status_line"] = o.response.status_line;
                json hs = json::array();
                for (const auto& [n, v] : o.response.headers) hs.push_back({n, v});
                jo["headers"] = hs;
                jo["body_bytes"] = o.response.body.size();
                jo["raw_escaped"] = escape(o.exchange.received.substr(0, 4096));
                jo["server_command"] = o.server_command;
            }
            per[impls[k].label] = jo;
        }
        jf["results"] = per;
        out["fixtures"].push_back(jf);
    }
    Totals t = count(results);
    out["passed"] = t.passed;
    out["failed"] = t.failed;
    return out;
}

namespace {
// Escaped bytes cut into lines of at most `width` characters, breaking
// after every \n so a head stays readable.
std::vector<std::string> columns_of(const std::string& bytes, size_t width) {
    std::vector<std::string> lines;
    std::string cur;
    for (size_t i = 0; i < bytes.size(); ++i) {
        std::string e = escape(std::string_view(bytes).substr(i, 1));
        if (cur.size() + e.size() > width) {
            lines.push_back(cur);
            cur.clear();
        }
        cur += e;
        if (bytes[i] == '\n') {
            lines.push_back(cur);
            cur.clear();
        }
    }
    if (!cur.empty() || lines.empty()) lines.push_back(cur);
    return lines;
}

// The first `n` characters (code points) of a UTF-8 string, in bytes.
size_t bytes_of_chars(const std::string& s, size_t n) {
    size_t chars = 0, i = 0;
    for (; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (chars == n) break;
            ++chars;
        }
    }
    return i;
}

// Every line of text no wider than `columns`: a longer line breaks at its
// last space that fits (else anywhere), and goes on under its own indent.
std::string fit_lines(const std::string& text, size_t columns) {
    std::string out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        size_t indent = line.find_first_not_of(' ');
        std::string lead(indent == std::string::npos || indent > columns / 2 ? 0 : indent + 2, ' ');
        while (display_width(line) > columns) {
            size_t cut = bytes_of_chars(line, columns);
            size_t space = line.rfind(' ', cut);
            if (space != std::string::npos && space > lead.size() + 8) cut = space;
            out += line.substr(0, cut) + "\n";
            line = lead + line.substr(cut + (line[cut] == ' ' ? 1 : 0));
        }
        out += line;
        if (end == std::string::npos) break;
        out += "\n";
        start = end + 1;
    }
    return out;
}

std::string rule(size_t width) {
    std::string s;
    for (size_t i = 0; i < width; ++i) s += "\xE2\x94\x80";   // ─
    return s;
}
}  // namespace

std::string indent_lines(const std::string& text, const std::string& indent) {
    std::string out = indent;
    for (size_t i = 0; i < text.size(); ++i) {
        out += text[i];
        if (text[i] == '\n' && i + 1 < text.size()) out += indent;
    }
    return out;
}

void print_compare(std::ostream& os, const FixtureResult& r, const std::vector<Implementation>& impls, size_t columns) {
    columns = std::max<size_t>(columns, 40);
    const Fixture& f = *r.fixture;
    std::string top = f.name + "  (" + f.file + ")\n  why:  " + f.why + "\n  spec: " + f.spec + "\n";
    if (f.is_run) {
        top += "  run: " + (impls.empty() ? std::string() : impls[0].command);
        for (const auto& a : f.run_args) top += " " + shell_quote(a);
        top += "\n";
    } else {
        top += describe_request(f);
    }
    os << fit_lines(top, columns) << "\n";
    std::vector<std::string> titles, texts;
    for (size_t k = 0; k < r.outcomes.size(); ++k) {
        const Outcome& o = r.outcomes[k];
        titles.push_back(impls[k].label + " " + (o.pass ? kPass : kFail) + " " + o.cell);
        std::string text = f.is_run ? o.run.out + (o.run.err.empty() ? "" : "--- stderr ---\n" + o.run.err) +
                                          "--- " + describe_wait_status(o.run.wait_status) + "\n"
                                    : o.exchange.received;
        if (!f.is_run && text.size() > 8192) text = text.substr(0, 8192);
        texts.push_back(text);
    }
    size_t n = titles.size();
    if (n >= 2 && columns >= 120) {
        // side by side: n columns and a " │ " between each two
        size_t width = (columns - 3 * (n - 1)) / n;
        std::vector<std::vector<std::string>> cols;
        for (const auto& t : texts) cols.push_back(columns_of(t, width));
        for (size_t k = 0; k < n; ++k) os << (k ? std::string(" ") + kBar + " " : "") << pad(titles[k], width);
        os << "\n";
        for (size_t k = 0; k < n; ++k) os << (k ? std::string("\xE2\x94\x80\xE2\x94\xBC\xE2\x94\x80") : "") << rule(width);
        os << "\n";
        size_t rows = 0;
        for (const auto& c : cols) rows = std::max(rows, c.size());
        for (size_t i = 0; i < rows; ++i) {
            std::string line;
            for (size_t k = 0; k < n; ++k) {
                std::string cell = i < cols[k].size() ? cols[k][i] : "";
                line += (k ? std::string(" ") + kBar + " " : "") + (k + 1 < n ? pad(cell, width) : cell);
            }
            os << line << "\n";
        }
    } else {
        // stacked: one response under the other, each as wide as the screen
        for (size_t k = 0; k < n; ++k) {
            if (k) os << "\n";
            os << fit_lines(titles[k], columns) << "\n" << rule(columns) << "\n";
            for (const auto& line : columns_of(texts[k], columns)) os << line << "\n";
        }
    }
    std::string tail;
    if (!r.differences.empty()) {
        tail += "\n" + std::string(kNe) + " differences:\n";
        for (const auto& d : r.differences) tail += indent_lines(d, "  ") + "\n";
    }
    for (size_t k = 0; k < r.outcomes.size(); ++k)
        for (const auto& a : r.outcomes[k].assertions)
            if (!a.ok) tail += impls[k].label + " " + kFail + " " + a.text + "\n";
    os << fit_lines(tail, columns);
}

}  // namespace harness
