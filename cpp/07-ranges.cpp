// cpp/07-ranges.cpp -- lesson 07: byte ranges (RFC 9110 §14).
// Assembly twin: asm/07-ranges.s.  Rules: lessons/07-ranges/README.md.
#include "07-ranges.hpp"

#include <limits>

#include "00-syscalls.hpp"
#include "01-socket.hpp"
#include "exchange.hpp"

namespace httpd {

namespace {

constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();
constexpr std::string_view kContentRangeStart = "bytes ";   // every Content-Range value starts so (§14.4)

}  // namespace

int parse_decimal(std::string_view digits, std::uint64_t* value) {
    if (digits.empty()) return -1;                       // 1*DIGIT: at least one
    std::uint64_t v = 0;
    for (char c : digits) {
        unsigned d = static_cast<unsigned char>(c) - '0';   // '0'..'9' -> 0..9, others wrap above 9
        if (d > 9) return -1;                            // not a digit
        if (v > (kU64Max - d) / 10) v = kU64Max;         // v * 10 + d would pass 2^64 - 1: stay there
        else v = v * 10 + d;
    }
    *value = v;
    return 0;
}

int parse_range_spec(std::string_view spec, std::uint64_t size, std::uint64_t* first, std::uint64_t* count) {
    std::size_t dash = spec.find('-');
    if (dash == std::string_view::npos) return kRangeIgnore;   // "5", "": no range at all
    std::uint64_t a = 0;             // the first byte
    std::uint64_t b = kU64Max;       // the last byte (none given: past any end)
    if (dash == 0) {
        // suffix-range = "-" suffix-length: the last b bytes
        if (parse_decimal(spec.substr(1), &b) < 0) return kRangeIgnore;   // "-", "-x", "--1"
        if (b == 0) return kRangeUnsatisfiable;      // "-0": the last no bytes (§14.1.2)
        if (size == 0) return kRangeIgnore;          // satisfiable, yet nothing to send (§14.2)
        if (b > size) b = size;                      // longer than the file: all of it
        *first = size - b;
        *count = b;
        return kRangeOk;
    }
    // int-range = first-pos "-" [ last-pos ]
    if (parse_decimal(spec.substr(0, dash), &a) < 0) return kRangeIgnore;   // "x-1"
    std::string_view last = spec.substr(dash + 1);
    if (!last.empty() && parse_decimal(last, &b) < 0) return kRangeIgnore;  // "1-x", "1-2-3"
    if (b < a) return kRangeIgnore;                  // "4-2": invalid (§14.1.2)
    if (a >= size) return kRangeUnsatisfiable;       // starts at or past the end
    if (b >= size) b = size - 1;                     // ends past it: the last byte
    *first = a;
    *count = b - a + 1;
    return kRangeOk;
}

int parse_range(std::string_view value, std::uint64_t size, std::uint64_t* first, std::uint64_t* count) {
    // range-unit "=": only bytes, in any case
    std::size_t eq = value.find('=');
    if (eq == std::string_view::npos || !equal_ignoring_case(value.substr(0, eq), "bytes")) return kRangeIgnore;
    // range-set: the list's elements (lesson 03's next_list_element drops
    // the OWS around each); empty ones do not count, exactly one may stay
    std::string_view set = value.substr(eq + 1);
    std::string_view spec;           // the one range-spec (never empty once found)
    while (!set.empty()) {
        std::string_view element;
        set.remove_prefix(next_list_element(set, &element));
        if (element.empty()) continue;                  // does not count (§5.6.1.2)
        if (!spec.empty()) return kRangeIgnore;         // a second range: not for this course
        spec = element;
    }
    if (spec.empty()) return kRangeIgnore;           // "bytes=", "bytes=,": no range-spec
    return parse_range_spec(spec, size, first, count);
}

std::size_t format_content_range(char* out, std::uint64_t first, std::uint64_t count, std::uint64_t size) {
    char* p = copy_bytes(out, kContentRangeStart.data(), kContentRangeStart.size());
    if (count == 0) {
        *p++ = '*';                                  // unsatisfied-range: "*/" complete-length
    } else {
        p += format_u64(first, p);                   // incl-range: first-pos "-" last-pos
        *p++ = '-';
        p += format_u64(first + count - 1, p);
    }
    *p++ = '/';
    p += format_u64(size, p);                        // the complete length
    *p = '\0';                                       // add_extra wants a C string
    return static_cast<std::size_t>(p - out);
}

const Header* single_header(const Request& req, std::string_view name) {
    return count_header(req, name) == 1 ? find_header(req, name) : nullptr;   // none, or two: nullptr
}

int step_parse_range(Exchange& x) {
    // every file response says ranges are welcome (RFC 9110 §14.3)
    add_extra(x, "Accept-Ranges", "bytes");
    if (x.req.method_id != Method::GET) return kNext;                  // HEAD: §14.2
    const Header* range = single_header(x.req, "Range");
    if (range == nullptr) return kNext;                                // none, or two
    if (find_header(x.req, "If-Range") != nullptr) return kNext;       // §13.1.5: no validator matches
    return answer_range(x, range->value);
}

int answer_range(Exchange& x, std::string_view range_value) {
    std::uint64_t first = 0;
    std::uint64_t count = 0;                                           // 0: "bytes */size"
    int r = parse_range(range_value, x.file_size, &first, &count);
    if (r == kRangeIgnore) return kNext;                               // the whole file, 200
    if (r == kRangeOk) {
        x.status = 206;                                                // Partial Content
        x.body_first = first;
        x.body_len = count;
    }
    char value[kContentRangeMax];
    format_content_range(value, first, count, x.file_size);
    add_extra(x, "Content-Range", value);
    return r == kRangeOk ? kNext : 416;                                // 416: answer_error sends it
}

}  // namespace httpd
