// cpp/05-decode.cpp -- lesson 05: percent-decoding the path.
// Assembly twin: asm/05-decode.s.  Rules: lessons/05-decode/README.md.
#include "05-decode.hpp"

#include "exchange.hpp"

namespace httpd {

namespace {

// A control byte: C0 (0x00-0x1f) or DEL.  None may come out of decoding.
bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

}  // namespace

int hex_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    // 'A'..'F' and 'a'..'f' differ in bit 5 only: fold to lower case
    int lower = c | 0x20;
    if (lower >= 'a' && lower <= 'f') return lower - 'a' + 10;
    return -1;   // not a hex digit (an int outside 0..255 included)
}

std::int64_t percent_decode(std::string_view in, char* out, std::size_t cap) {
    std::size_t n = 0;   // bytes written to out
    for (std::size_t i = 0; i < in.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(in[i]);   // a plain byte ...
        if (c == '%') {
            // ... or an escape: '%' and exactly two hex digits
            if (in.size() - i < 3) return -400;                 // "%" or "%4" at the end
            int high = hex_value(static_cast<unsigned char>(in[i + 1]));
            if (high < 0) return -400;                           // "%G1"
            int low = hex_value(static_cast<unsigned char>(in[i + 2]));
            if (low < 0) return -400;                            // "%4g"
            c = static_cast<unsigned char>(high * 16 + low);
            i += 2;                                              // past both digits: decoded once
        }
        if (is_control(c)) return -400;                          // "%00", "%0a", "%7f"
        if (n == cap) return -414;                               // no room for it
        out[n++] = static_cast<char>(c);
    }
    return static_cast<std::int64_t>(n);
}

int step_decode_path(Exchange& x) {
    std::int64_t len = percent_decode(x.req.path, x.path, sizeof x.path);
    if (len < 0) return static_cast<int>(-len);   // 400, or 414 (cannot happen: decoding only shrinks)
    x.path_len = static_cast<std::uint64_t>(len);
    return kNext;
}

}  // namespace httpd
