// harness/fuzz.cpp -- `make fuzz-NN`: random requests, the same bytes to
// both servers, and every byte of the two answers compared.
//
//   build/fuzz --lesson N --server cpp=CMD --server asm=CMD
//              [--count N] [--seed S] [--jobs N] [--show N] [--root DIR]
//
// The fixtures say what the rules are; this program says whether the two
// servers agree where no fixture looked.  Each request is built from the
// lesson's own fixture requests and from a small grammar of the things
// the lessons care about (targets with dots, slashes, percent escapes,
// UTF-8 and control bytes; versions; Host; Content-Length and
// Transfer-Encoding; Range; leading empty lines; bare LF), then mutated
// at random.  Request i of seed S is always the same bytes, so any
// divergence can be replayed with --seed S --only-index i.
//
// The servers answer without a Date header, from two identical copies of
// the demo site, so the same request must get the same bytes -- a
// difference is a bug in one of them (or in both).  Not part of `make
// test`: a run of 20,000 requests takes minutes under qemu.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "client.hpp"
#include "fixture.hpp"
#include "server.hpp"

namespace {

using harness::Fixture;

// --- the request grammar -------------------------------------------------
struct Gen {
    std::mt19937_64 rng;
    const std::vector<std::string>* seeds;   // the lesson's fixture requests

    explicit Gen(std::uint64_t seed, const std::vector<std::string>* s) : rng(seed), seeds(s) {}
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : rng() % n; }
    bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
    template <class T>
    const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

    std::string hex_escape(unsigned char c, bool upper) {
        const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        return std::string("%") + digits[c >> 4] + digits[c & 15];
    }

    // One path segment: a name from the demo site, dots, or random bytes.
    std::string segment() {
        static const std::vector<std::string> names = {
            "docs", "a.txt", "index.html", "noindex", "dir with spaces", "file.txt", "100%.txt", "café.txt",
            "日本.txt", ".hidden", "README", "archive.tar.gz", "empty.txt", "all-bytes.bin", "assets",
            "image.png", "paper.pdf", "types", "v1.2", "notes", "outside", "x", "a..b", "...", "secret.txt"};
        switch (below(10)) {
            case 0: return "..";
            case 1: return ".";
            case 2: return "";
            case 3: {
                std::string s;
                for (std::uint64_t i = 0, n = 1 + below(8); i < n; ++i) s += static_cast<char>(below(256));
                return s;
            }
            default: return pick(names);
        }
    }

    // Percent-encode some bytes of s (valid escapes, odd case, broken ones).
    std::string encode_some(const std::string& s) {
        std::string out;
        for (unsigned char c : s) {
            int r = static_cast<int>(below(100));
            if (r < 15) out += hex_escape(c, chance(50));
            else if (r < 17) out += "%25" + hex_escape(c, true).substr(1);   // double-encoded
            else if (r < 18) out += "%" + std::string(1, static_cast<char>(below(256)));   // broken
            else out += static_cast<char>(c);
        }
        return out;
    }

    std::string target() {
        std::string path;
        for (std::uint64_t i = 0, n = 1 + below(5); i < n; ++i) path += "/" + segment();
        if (chance(20)) path += "/";
        if (chance(60)) path = encode_some(path);
        if (chance(10)) path = "//" + path;
        if (chance(5)) path = path.substr(1);   // no leading slash
        if (chance(15)) path += "?" + encode_some(segment()) + "=" + segment();
        if (chance(5)) path += "#frag";
        if (chance(8)) path = (chance(50) ? "http://example.com" : "HTTPS://h:8080") + path;
        if (chance(2)) path = "*";
        if (chance(2)) path = std::string(4000 + below(200), 'a');
        return path;
    }

    std::string field_lines() {
        std::string h;
        if (!chance(8)) h += "Host: " + std::string(chance(95) ? "example.com" : "bad host\x01") + "\r\n";
        if (chance(3)) h += "Host: second\r\n";
        if (chance(15)) {
            static const std::vector<std::string> cl = {"0", "5", "00", "+5", "-1", "0x10", "5 ", " 5", "5,5",
                                                        "5, 6", "", "99999999999999999999", "18446744073709551616"};
            h += "Content-Length: " + pick(cl) + "\r\n";
        }
        if (chance(8)) {
            static const std::vector<std::string> te = {"chunked", "Chunked", "gzip", "gzip, chunked",
                                                        "chunked, gzip", "chunked, chunked", "identity", ""};
            h += "Transfer-Encoding: " + pick(te) + "\r\n";
        }
        if (chance(25)) {
            static const std::vector<std::string> ranges = {
                "bytes=0-0", "bytes=0-9", "bytes=5-", "bytes=-5", "bytes=-0", "bytes=4-2", "bytes=abc", "bytes=5",
                "bytes=0-1,5-6", "items=0-1", "bytes=99999999999999999999-", "bytes=0-99999999999999999999999",
                "bytes = 0-1", "bytes=1000000-", " bytes=0-3 ", "BYTES=0-3"};
            h += std::string(chance(80) ? "Range" : "range") + ": " + pick(ranges) + "\r\n";
            if (chance(10)) h += "If-Range: \"x\"\r\n";
        }
        for (std::uint64_t i = 0, n = below(3); i < n; ++i) {
            std::string name = chance(90) ? "X-F" + std::to_string(below(100)) : segment();
            std::string value = chance(80) ? segment() : std::string(1, static_cast<char>(below(256)));
            h += name + ":" + (chance(50) ? " " : "") + value + "\r\n";
        }
        return h;
    }

    std::string request() {
        std::string r;
        if (!seeds->empty() && chance(30)) {
            r = pick(*seeds);            // a fixture's request, mutated below
        } else {
            static const std::vector<std::string> methods = {"GET", "GET", "GET", "HEAD", "POST", "OPTIONS",
                                                             "get", "BREW", "DELETE", "PUT"};
            static const std::vector<std::string> versions = {"HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0",
                                                              "HTTP/2.0", "http/1.1", "HTTP/1.1 ", "HTTP/1"};
            if (chance(5)) r += chance(50) ? "\r\n" : "\n";   // leading empty line
            r += pick(methods) + " " + target() + " " + pick(versions) + "\r\n" + field_lines() + "\r\n";
            if (chance(10)) {               // bare LF line endings
                std::string lf;
                for (std::size_t i = 0; i < r.size(); ++i)
                    if (!(r[i] == '\r' && i + 1 < r.size() && r[i + 1] == '\n')) lf += r[i];
                r = lf;
            }
        }
        // byte-level mutations, a few times
        for (std::uint64_t m = 0, n = chance(25) ? 1 + below(3) : 0; m < n && !r.empty(); ++m) {
            std::size_t at = below(r.size());
            switch (below(3)) {
                case 0: r[at] = static_cast<char>(below(256)); break;
                case 1: r.insert(at, 1, static_cast<char>(below(256))); break;
                default: r.erase(at, 1); break;
            }
        }
        return r;
    }
};

std::string escaped(const std::string& s, std::size_t max = 200) {
    std::string out;
    for (std::size_t i = 0; i < s.size() && i < max; ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '\r') out += "\\r";
        else if (c == '\n') out += "\\n";
        else if (c == '\\') out += "\\\\";
        else if (c < 0x20 || c >= 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else out += static_cast<char>(c);
    }
    if (s.size() > max) out += "...(" + std::to_string(s.size()) + " bytes)";
    return out;
}

[[noreturn]] void usage(const std::string& msg) {
    std::cerr << "fuzz: " << msg << "\n"
              << "usage: fuzz --lesson N --server cpp=CMD --server asm=CMD [--count N] [--seed S] [--jobs N]\n"
              << "            [--show N] [--only-index I] [--print] [--root DIR]\n";
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    int lesson = -1, jobs = 4, show = 5;
    bool print = false;   // --print: every request and both answers (with --only-index: one)
    long count = 2000, only_index = -1;
    std::uint64_t seed = 1;
    std::string root = ".";
    std::vector<std::pair<std::string, std::string>> servers;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(a + " needs a value");
            return argv[++i];
        };
        if (a == "--lesson") lesson = std::stoi(value());
        else if (a == "--count") count = std::stol(value());
        else if (a == "--seed") seed = std::stoull(value());
        else if (a == "--jobs") jobs = std::max(1, std::stoi(value()));
        else if (a == "--show") show = std::stoi(value());
        else if (a == "--only-index") only_index = std::stol(value());
        else if (a == "--root") root = value();
        else if (a == "--print") print = true;
        else if (a == "--server") {
            std::string v = value();
            std::size_t eq = v.find('=');
            if (eq == std::string::npos) usage("--server wants LABEL=COMMAND");
            servers.emplace_back(v.substr(0, eq), v.substr(eq + 1));
        } else usage("unknown option " + a);
    }
    if (lesson < 0 || servers.size() != 2) usage("give --lesson and exactly two --server");

    // The lesson's fixture requests: realistic starting points.
    std::vector<std::string> seeds;
    try {
        for (const Fixture& f : harness::load_fixtures(root))
            if (f.applies_to(lesson) && !f.is_run && f.docroot.empty() && f.flags.empty()) seeds.push_back(f.request);
    } catch (const std::exception& e) {
        usage(e.what());
    }

    harness::Workspace ws;
    std::vector<harness::Implementation> impls;
    std::vector<std::unique_ptr<harness::Server>> running;
    for (const auto& [label, cmd] : servers) {
        impls.push_back(harness::resolve_implementation(label, cmd, ws));
        std::string dir = ws.new_dir("fuzz-" + label);
        harness::prepare_docroot(root + "/harness/site", dir + "/site", {});
        auto srv = std::make_unique<harness::Server>();
        if (!srv->start(impls.back(), {}, dir + "/site", dir)) {
            std::cerr << "fuzz: " << label << " did not start: " << srv->error() << "\n";
            return 1;
        }
        running.push_back(std::move(srv));
    }

    std::atomic<long> next{only_index >= 0 ? only_index : 0}, done{0}, diverged{0};
    long end = only_index >= 0 ? only_index + 1 : count;
    std::mutex out_mu;
    std::vector<std::thread> workers;
    for (int t = 0; t < jobs; ++t) {
        workers.emplace_back([&] {
            for (long i; (i = next++) < end;) {
                Gen gen(seed * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(i), &seeds);
                Fixture f;
                f.request = gen.request();
                f.chunks = {harness::Chunk{f.request, 0}};   // one write, as a fixture's "request"
                // half-close after sending: a request without its empty
                // line then ends in a 400 at once instead of a wait
                f.half_close = true;
                f.timeout_ms = 10000;
                harness::Exchange a = harness::exchange(running[0]->port(), f);
                harness::Exchange b = harness::exchange(running[1]->port(), f);
                bool same = a.received == b.received && a.closed == b.closed && a.timed_out == b.timed_out;
                long n = ++done;
                if (print) {
                    std::lock_guard<std::mutex> lock(out_mu);
                    std::cout << (same ? "= " : "≠ ") << i << " " << escaped(f.request, 120) << "\n    "
                              << escaped(a.received, 60) << "\n    " << escaped(b.received, 60) << "\n";
                }
                if (!same) {
                    long d = ++diverged;
                    std::lock_guard<std::mutex> lock(out_mu);
                    if (d <= show) {
                        std::size_t k = 0;
                        while (k < a.received.size() && k < b.received.size() && a.received[k] == b.received[k]) ++k;
                        std::cout << "\n≠ request " << i << " (replay: --seed " << seed << " --only-index " << i << ")\n"
                                  << "  sent:    " << escaped(f.request) << "\n"
                                  << "  " << servers[0].first << ":  " << escaped(a.received) << (a.timed_out ? " [timeout]" : "")
                                  << "\n"
                                  << "  " << servers[1].first << ":  " << escaped(b.received) << (b.timed_out ? " [timeout]" : "")
                                  << "\n  first difference at byte " << k << "\n";
                    }
                }
                if (n % 500 == 0) {
                    std::lock_guard<std::mutex> lock(out_mu);
                    std::cerr << "\r" << n << "/" << (end - (only_index >= 0 ? only_index : 0)) << " requests, "
                              << diverged << " divergences" << std::flush;
                }
            }
        });
    }
    for (auto& w : workers) w.join();
    std::cerr << "\n";
    bool alive = running[0]->alive() && running[1]->alive();
    std::cout << "lesson " << lesson << ", seed " << seed << ": " << done << " requests, " << diverged
              << " divergences" << (alive ? "" : "; a server DIED") << "\n";
    return diverged == 0 && alive ? 0 : 1;
}
