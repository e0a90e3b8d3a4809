// harness/util.cpp -- see util.hpp.
#include "util.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace harness {

namespace {
const char kHex[] = "0123456789abcdef";

// One byte in escaped form (shared by escape and escape_lines).
void escape_byte(std::string& out, unsigned char c) {
    switch (c) {
        case '\r': out += "\\r"; return;
        case '\n': out += "\\n"; return;
        case '\t': out += "\\t"; return;
        case '\\': out += "\\\\"; return;
        default: break;
    }
    if (c >= 0x20 && c < 0x7f) {
        out += static_cast<char>(c);
    } else {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
}
}  // namespace

std::string escape(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (unsigned char c : bytes) escape_byte(out, c);
    return out;
}

std::string escape_lines(std::string_view bytes, std::string_view indent) {
    std::string out(indent);
    for (size_t i = 0; i < bytes.size(); ++i) {
        escape_byte(out, static_cast<unsigned char>(bytes[i]));
        if (bytes[i] == '\n' && i + 1 < bytes.size()) {
            out += '\n';
            out += indent;
        }
    }
    return out;
}

std::string printf_quote(std::string_view bytes) {
    std::string out = "'";
    for (unsigned char c : bytes) {
        if (c == '%') out += "%%";
        else if (c == '\'') out += "'\\''";
        else escape_byte(out, c);   // printf understands \r \n \t \\ \xHH
    }
    return out + "'";
}

std::string shell_quote(std::string_view s) {
    bool plain = !s.empty();
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '/' || c == '.' || c == '-' || c == '_' || c == '=' || c == ':';
        if (!ok) plain = false;
    }
    if (plain) return std::string(s);
    std::string out = "'";
    for (char c : s) out += (c == '\'') ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// --- SHA-256 (FIPS 180-4 §6.2) ---------------------------------------------
namespace {
constexpr std::array<uint32_t, 64> kK = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

// Mix one 64-byte block into the state h.
void sha256_block(std::array<uint32_t, 8>& h, const unsigned char* p) {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i)
        w[i] = uint32_t(p[4 * i]) << 24 | uint32_t(p[4 * i + 1]) << 16 | uint32_t(p[4 * i + 2]) << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; ++i) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
        uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + kK[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}
}  // namespace

std::string sha256_hex(std::string_view bytes) {
    std::array<uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    size_t n = bytes.size(), i = 0;
    for (; i + 64 <= n; i += 64) sha256_block(h, p + i);
    // Padding: 0x80, zeros, then the length in bits as a big-endian 64-bit number.
    unsigned char tail[128] = {};
    size_t rest = n - i;
    for (size_t j = 0; j < rest; ++j) tail[j] = p[i + j];
    tail[rest] = 0x80;
    size_t tail_len = rest + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = uint64_t(n) * 8;
    for (int j = 0; j < 8; ++j) tail[tail_len - 1 - j] = static_cast<unsigned char>(bits >> (8 * j));
    for (size_t j = 0; j < tail_len; j += 64) sha256_block(h, tail + j);
    std::string out;
    for (uint32_t v : h)
        for (int s = 28; s >= 0; s -= 4) out += kHex[(v >> s) & 15];
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

std::vector<std::string> split_words(std::string_view s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > start) out.emplace_back(s.substr(start, i - start));
    }
    return out;
}

namespace {
// Levenshtein distance: single-byte insertions, deletions, substitutions.
size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::set<std::string> dash_words(std::string_view s) {
    std::set<std::string> out;
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i)
        if (i == s.size() || s[i] == '-') {
            if (i > start) out.emplace(s.substr(start, i - start));
            start = i + 1;
        }
    return out;
}
}  // namespace

std::vector<std::string> closest_names(std::string_view wanted, const std::vector<std::string>& names, size_t max) {
    struct Candidate {
        int rank;        // 0: a typo away, 1: starts with wanted, 2: shares words
        size_t shared;   // dash-separated words in common
        size_t distance;
        std::string name;
    };
    std::set<std::string> want_words = dash_words(wanted);
    size_t typo = std::max<size_t>(2, wanted.size() / 4);
    std::vector<Candidate> found;
    for (const auto& name : names) {
        if (name == wanted) continue;
        size_t shared = 0;
        for (const auto& w : dash_words(name)) shared += want_words.count(w);
        size_t d = edit_distance(wanted, name);
        int rank = d <= typo ? 0 : !wanted.empty() && name.rfind(wanted, 0) == 0 ? 1 : shared >= 2 ? 2 : -1;
        if (rank >= 0) found.push_back({rank, shared, d, name});
    }
    std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
        if (a.rank != b.rank) return a.rank < b.rank;
        if (a.shared != b.shared) return a.shared > b.shared;
        if (a.distance != b.distance) return a.distance < b.distance;
        return a.name < b.name;
    });
    std::vector<std::string> out;
    for (size_t i = 0; i < found.size() && i < max; ++i) out.push_back(found[i].name);
    return out;
}

int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void sleep_ms(int64_t ms) {
    if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace harness
