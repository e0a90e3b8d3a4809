// cpp/03-parse.cpp -- lesson 03: reading and parsing the request head.
// Assembly twin: asm/03-parse.s.  Rules: lessons/03-parse/README.md.
#include "03-parse.hpp"

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

#include "01-socket.hpp"
#include "exchange.hpp"

namespace httpd {

namespace {

constexpr std::string_view kTcharSymbols = "!#$%&'*+-.^_`|~";            // RFC 9110 §5.6.2
constexpr std::string_view kHostSymbols = "-._~!$&'()*+,;=%:[]";         // RFC 3986 §3.2.2

// The method names of lessons/03-parse/methods.tsv with their ids.
struct MethodName {
    Method id;
    std::string_view name;
};
#define METHOD(id, name, text) {Method::name, text},
constexpr MethodName kMethodNames[] = {
#include "methods.def"
};
#undef METHOD

// A control byte: C0 (0x00-0x1f) or DEL.  None may appear in a request
// line; in a field value only HT may (RFC 9110 §5.5).
bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool is_ows(char c) { return c == ' ' || c == '\t'; }   // RFC 9110 §5.6.3

}  // namespace

std::int64_t read_request_head(int fd, char* buf, std::size_t cap, std::uint64_t* got) {
    const std::size_t limit = cap < kHeadLimit ? cap : kHeadLimit;
    std::size_t scan = 0;         // next byte to look at (*got bytes are already in buf)
    std::size_t line_start = 0;   // where the current line began
    std::size_t first_line = 0;   // where the request line begins: after the skipped empty lines
    std::size_t skipped = 0;      // empty lines skipped before it
    for (;;) {
        // Look at the bytes not scanned yet: a line ends at LF, and a line
        // that is empty (nothing, or just a CR, before its LF) ends the
        // head -- unless it comes before the request line (RFC 9112 §2.2):
        // up to kLeadingEmptyMax of those are skipped.
        for (; scan < *got; ++scan) {
            if (buf[scan] != '\n') continue;
            std::size_t line_len = scan - line_start;
            bool empty = line_len == 0 || (line_len == 1 && buf[line_start] == '\r');
            if (empty && line_start == first_line && skipped < kLeadingEmptyMax) {
                ++skipped;                  // before the request line: skip it
                first_line = scan + 1;      // the request line starts after it
            } else if (empty) {
                return static_cast<std::int64_t>(scan + 1);   // the end of the head
            }
            line_start = scan + 1;
        }
        // buf is full and no empty line yet: too long.  Still inside the
        // request line -> the request line is the problem (414).
        if (*got >= limit) return line_start == first_line ? -414 : -431;
        ssize_t n = ::read(fd, buf + *got, limit - *got);
        if (n < 0 && errno == EINTR) continue;    // a signal interrupted us: read again
        if (n <= 0) return *got == 0 ? 0 : -400;  // closed (or broken) before/inside the head
        *got += static_cast<std::size_t>(n);
    }
}

bool char_in_class(int c, std::string_view symbols) {
    if (c >= '0' && c <= '9') return true;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;   // ASCII letters differ in bit 5 only
    for (char s : symbols) {
        if (static_cast<unsigned char>(s) == c) return true;   // c is an int: 0x121 is not '!'
    }
    return false;
}

bool is_tchar(int c) { return char_in_class(c, kTcharSymbols); }

bool is_host_char(int c) { return char_in_class(c, kHostSymbols); }

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x | 0x20);   // fold ASCII upper case only
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y | 0x20);
        if (x != y) return false;
    }
    return true;
}

int parse_method(std::string_view token, Request& req) {
    if (token.empty()) return 400;
    for (char c : token) {
        if (!is_tchar(static_cast<unsigned char>(c))) return 400;
    }
    req.method = token;
    req.method_id = Method::Other;
    for (const MethodName& m : kMethodNames) {
        if (token == m.name) req.method_id = m.id;   // case-sensitive
    }
    req.is_head = req.method_id == Method::HEAD;
    return 0;
}

int parse_version(std::string_view text, Request& req) {
    // HTTP-version = "HTTP" "/" DIGIT "." DIGIT -- nothing more, nothing less
    if (text.size() != 8 || text.substr(0, 5) != "HTTP/") return 400;
    char major = text[5], dot = text[6], minor = text[7];
    if (major < '0' || major > '9' || dot != '.' || minor < '0' || minor > '9') return 400;
    if (major != '1' || minor > '1') return 505;   // well-formed, but not 1.0 or 1.1
    req.version_minor = minor - '0';
    return 0;
}

void split_path_query(std::string_view rest, Request& req) {
    std::size_t q = rest.find('?');
    if (q == std::string_view::npos) {
        req.path = rest;
        req.query = {};
    } else {
        req.path = rest.substr(0, q);
        req.query = rest.substr(q + 1);
    }
}

int parse_target(std::string_view target, Request& req) {
    req.target = target;
    if (target.size() > kTargetLimit) return 414;
    if (target.empty()) return 400;
    // a fragment ("#...") stays in the client: it is never part of a
    // request-target, in any form (RFC 9112 §3.2, RFC 3986 §3.5)
    if (target.find('#') != std::string_view::npos) return 400;
    // origin-form: "/path?query" -- what browsers and curl send
    if (target[0] == '/') {
        split_path_query(target, req);
        return 0;
    }
    // asterisk-form: "*", only for OPTIONS (RFC 9112 §3.2.4)
    if (target == "*") {
        if (req.method_id != Method::OPTIONS) return 400;
        req.path = target;
        req.query = {};
        return 0;
    }
    // absolute-form: "http://authority/path?query" (RFC 9112 §3.2.2: a
    // server MUST accept it).  The scheme is case-insensitive.
    std::size_t authority = 0;
    if (target.size() >= 7 && equal_ignoring_case(target.substr(0, 7), "http://")) authority = 7;
    else if (target.size() >= 8 && equal_ignoring_case(target.substr(0, 8), "https://")) authority = 8;
    if (authority != 0) {
        std::string_view rest = target.substr(authority);
        std::size_t end = rest.find_first_of("/?");
        if (end == std::string_view::npos) end = rest.size();
        std::string_view host = rest.substr(0, end);
        if (host.empty()) return 400;                                    // RFC 9110 §4.2.1
        if (host.find('@') != std::string_view::npos) return 400;       // userinfo: RFC 9110 §4.2.4
        rest = rest.substr(end);
        if (rest.empty() || rest[0] == '?') {
            req.path = "/";                                              // no path means "/"
            req.query = rest.empty() ? std::string_view{} : rest.substr(1);
        } else {
            split_path_query(rest, req);
        }
        return 0;
    }
    // authority-form: "host:port", only for CONNECT (RFC 9112 §3.2.3)
    if (req.method_id == Method::CONNECT) {
        req.path = {};
        req.query = {};
        return 0;
    }
    return 400;
}

int parse_request_line(std::string_view line, Request& req) {
    // the method: up to the first SP (first, so is_head is known early)
    std::size_t sp1 = line.find(' ');
    if (sp1 == std::string_view::npos) sp1 = line.size();
    if (int status = parse_method(line.substr(0, sp1), req)) return status;
    if (sp1 == line.size()) return 400;   // a method and nothing else
    // no control bytes anywhere (NUL, a bare CR, HT ...)
    for (char c : line) {
        if (is_control(static_cast<unsigned char>(c))) return 400;
    }
    // the target: up to the next SP; two SPs in a row leave it empty
    std::size_t sp2 = line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return 400;
    // the version: the rest (a third SP makes it longer than 8 bytes)
    if (int status = parse_version(line.substr(sp2 + 1), req)) return status;
    return parse_target(line.substr(sp1 + 1, sp2 - sp1 - 1), req);
}

int parse_header_line(std::string_view line, Request& req) {
    if (line.empty() || is_ows(line[0])) return 400;   // obs-fold (RFC 9112 §5.2)
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return 400;
    std::string_view name = line.substr(0, colon);
    for (char c : name) {
        // a token; a space before the colon fails here (RFC 9112 §5.1)
        if (!is_tchar(static_cast<unsigned char>(c))) return 400;
    }
    std::string_view value = line.substr(colon + 1);
    for (char c : value) {
        if (is_control(static_cast<unsigned char>(c)) && c != '\t') return 400;
    }
    while (!value.empty() && is_ows(value.front())) value.remove_prefix(1);
    while (!value.empty() && is_ows(value.back())) value.remove_suffix(1);
    if (req.header_count == kMaxHeaders) return 431;
    req.headers[req.header_count++] = Header{name, value};
    return 0;
}

const Header* find_header(const Request& req, std::string_view name) {
    for (std::size_t i = 0; i < req.header_count; ++i) {
        if (equal_ignoring_case(req.headers[i].name, name)) return &req.headers[i];
    }
    return nullptr;
}

int count_header(const Request& req, std::string_view name) {
    int n = 0;
    for (std::size_t i = 0; i < req.header_count && n < 2; ++i) {   // two or more: enough
        if (equal_ignoring_case(req.headers[i].name, name)) ++n;
    }
    return n;
}

int check_host(const Request& req) {
    int hosts = count_header(req, "Host");
    if (hosts > 1) return 400;                                  // a second Host
    if (hosts == 0) return req.version_minor == 1 ? 400 : 0;    // HTTP/1.0 may leave it out
    for (char c : find_header(req, "Host")->value) {
        if (!is_host_char(static_cast<unsigned char>(c))) return 400;
    }
    return 0;
}

void reset_request(Request& req) {
    req.method = {};
    req.target = {};
    req.path = {};
    req.query = {};
    req.method_id = Method::Other;
    req.version_minor = 0;
    req.is_head = false;
    req.header_count = 0;
    req.body_kind = Body::None;
    req.content_length = 0;
}

int parse_request(std::string_view head, Request& req) {
    reset_request(req);
    bool first = true;
    std::size_t skipped = 0;   // empty lines before the request line
    while (true) {
        // the next line: up to LF; a CR right before it belongs to the CRLF
        std::size_t lf = head.find('\n');
        if (lf == std::string_view::npos) return 400;   // no empty line: not a whole head
        std::string_view line = head.substr(0, lf);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        head.remove_prefix(lf + 1);
        if (first) {
            // RFC 9112 §2.2: empty lines before the request line are
            // skipped, up to kLeadingEmptyMax (read_request_head agrees)
            if (line.empty()) {
                if (skipped == kLeadingEmptyMax) return 400;   // one too many: no request line
                ++skipped;
                continue;
            }
            if (int status = parse_request_line(line, req)) return status;
            first = false;
        } else {
            if (line.empty()) break;                       // the empty line: end of the head
            if (int status = parse_header_line(line, req)) return status;
        }
    }
    return check_host(req);
}

std::int64_t parse_content_length(std::string_view value) {
    if (value.empty()) return -400;                        // 1*DIGIT: at least one
    std::uint64_t n = 0;
    for (char c : value) {
        if (c < '0' || c > '9') return -400;               // a sign, a space, a comma, hex ...
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
        if (n > kContentLengthMax) return -400;            // too large: stop before it can overflow
    }
    return static_cast<std::int64_t>(n);
}

std::size_t next_list_element(std::string_view list, std::string_view* element) {
    std::size_t comma = list.find(',');
    bool last = comma == std::string_view::npos;   // no comma: the list's last element
    std::string_view e = list.substr(0, last ? list.size() : comma);
    while (!e.empty() && is_ows(e.front())) e.remove_prefix(1);   // OWS before it
    while (!last && !e.empty() && is_ows(e.back())) e.remove_suffix(1);   // OWS before a comma
    *element = e;
    return last ? list.size() : comma + 1;         // the element and its comma
}

Coding coding_kind(std::string_view element) {
    if (element.empty()) return Coding::Empty;
    return equal_ignoring_case(element, "chunked") ? Coding::Chunked : Coding::Other;
}

int check_transfer_encoding(const Request& req) {
    bool chunked = false;   // "chunked" seen: it must be the last element
    bool other = false;     // another coding seen before it
    for (std::size_t i = 0; i < req.header_count; ++i) {
        if (!equal_ignoring_case(req.headers[i].name, "Transfer-Encoding")) continue;
        std::string_view rest = req.headers[i].value;
        while (!rest.empty()) {
            std::string_view element;
            rest.remove_prefix(next_list_element(rest, &element));
            Coding kind = coding_kind(element);
            if (kind == Coding::Empty) continue;   // ignored (RFC 9110 §5.6.1)
            if (chunked) return 400;               // anything after chunked (chunked again too)
            if (kind == Coding::Chunked) chunked = true;
            else other = true;
        }
    }
    if (!chunked) return 400;                      // chunked is not the final coding
    return other ? 501 : 0;                        // gzip, chunked: a coding we do not implement
}

int parse_framing(Request& req) {
    req.body_kind = Body::None;
    req.content_length = 0;
    const Header* length = nullptr;   // the Content-Length field
    bool transfer = false;            // a Transfer-Encoding field
    for (std::size_t i = 0; i < req.header_count; ++i) {
        const Header& h = req.headers[i];
        if (equal_ignoring_case(h.name, "Content-Length")) {
            if (length != nullptr) return 400;     // a second one: strict (lesson 03 rule)
            length = &h;
        } else if (equal_ignoring_case(h.name, "Transfer-Encoding")) {
            transfer = true;
        }
    }
    if (transfer) {
        if (length != nullptr) return 400;         // both: the smuggling vector (RFC 9112 §6.1)
        if (req.version_minor == 0) return 400;    // HTTP/1.0 has no transfer codings (RFC 9112 §6.1)
        if (int status = check_transfer_encoding(req)) return status;
        req.body_kind = Body::Chunked;
        return 0;
    }
    if (length != nullptr) {
        std::int64_t n = parse_content_length(length->value);
        if (n < 0) return 400;                     // RFC 9112 §6.3: invalid Content-Length
        req.body_kind = Body::Length;
        req.content_length = static_cast<std::uint64_t>(n);
    }
    return 0;
}

int method_status(Method id) {
    switch (id) {
        case Method::GET:
        case Method::HEAD: return 0;
        case Method::Other: return 501;   // RFC 9110 §15.6.2: not a method we know
        default: return 405;              // known, but not served (yet: lesson 09)
    }
}

std::size_t text_append(char* out, std::size_t pos, std::size_t cap, std::string_view src) {
    for (char c : src) {
        if (pos == cap) break;   // full: drop the rest rather than overflow
        out[pos++] = c;
    }
    return pos;
}

std::size_t echo_line(char* out, std::size_t pos, std::size_t cap, std::string_view label,
                      std::string_view value) {
    pos = text_append(out, pos, cap, label);
    pos = text_append(out, pos, cap, value);
    return text_append(out, pos, cap, "\n");
}

std::size_t echo_body(const Request& req, char* out, std::size_t cap) {
    std::size_t pos = 0;
    pos = echo_line(out, pos, cap, "method: ", req.method);
    pos = echo_line(out, pos, cap, "target: ", req.target);
    pos = echo_line(out, pos, cap, "path: ", req.path);
    pos = echo_line(out, pos, cap, "query: ", req.query);
    pos = echo_line(out, pos, cap, "version: ", req.version_minor == 1 ? "HTTP/1.1" : "HTTP/1.0");
    // looked up by a lower-case name: shows that lookups ignore case
    if (const Header* host = find_header(req, "host")) pos = echo_line(out, pos, cap, "host: ", host->value);
    for (std::size_t i = 0; i < req.header_count; ++i) {
        pos = text_append(out, pos, cap, "header: ");
        pos = text_append(out, pos, cap, req.headers[i].name);
        pos = text_append(out, pos, cap, ": ");
        pos = echo_line(out, pos, cap, "", req.headers[i].value);
    }
    return pos;
}

std::int64_t send_error(int fd, int status, bool is_head, std::string_view extra) {
    // the body: "<code> <reason>\n"
    char body[64];
    std::size_t body_len = format_u64(static_cast<std::uint64_t>(status), body);
    body_len = text_append(body, body_len, sizeof body, " ");
    body_len = echo_line(body, body_len, sizeof body, "", reason_phrase(status));
    // the head
    char head[HEAD_MAX];
    std::size_t len = head_start_body(head, status, kTextPlain, body_len);
    len = head_add_lines(head, len, extra.data(), extra.size());   // Allow, Location, ...
    len = head_end(head, len);
    if (std::int64_t r = write_all(fd, head, len); r < 0) return r;
    if (is_head) return 0;   // HEAD: the same head, never a body (RFC 9110 §9.3.2)
    if (std::int64_t r = write_all(fd, body, body_len); r < 0) return r;
    return static_cast<std::int64_t>(body_len);   // the body bytes that went
}

std::int64_t send_echo(int fd, const Request& req) {
    char body[kEchoMax];
    std::size_t body_len = echo_body(req, body, sizeof body);
    char head[HEAD_MAX];
    std::size_t len = head_start_body(head, 200, kTextPlain, body_len);
    len = head_end(head, len);
    if (std::int64_t r = write_all(fd, head, len); r < 0) return r;
    if (req.is_head) return 0;
    return write_all(fd, body, body_len);
}

bool begins_with_head(const char* buf) { return std::string_view(buf, 5) == "HEAD "; }

int step_read_head(Exchange& x) {
    // blank the first 8 bytes not read yet: if the client sends fewer than
    // 5 before it fails, begins_with_head must not read what an earlier
    // call left (x.read_len is 0 unless an earlier step read part of a head)
    for (std::uint64_t i = x.read_len; i < 8; ++i) x.buf[i] = 0;
    std::int64_t len = read_request_head(static_cast<int>(x.sock), x.buf, REQ_HEAD_MAX, &x.read_len);
    // 414 / 431: the rest of the head is still coming, unread
    x.linger = len == -414 || len == -431 ? 1 : 0;
    if (len == 0) return kDone;                     // nothing sent: nobody to answer
    if (len < 0) {
        x.req.is_head = begins_with_head(x.buf);    // all we know of the method
        return static_cast<int>(-len);              // 400 / 414 / 431
    }
    x.head_len = static_cast<std::uint64_t>(len);
    return kNext;
}

int step_parse_head(Exchange& x) {
    int status = parse_request(std::string_view(x.buf, x.head_len), x.req);
    // a head we refuse says nothing we can trust about a body: whatever
    // the client still sends is drained (RFC 9112 §9.6)
    if (status != 0) x.linger = 1;
    return status;   // 0 is kNext
}

int step_check_framing(Exchange& x) {
    int status = parse_framing(x.req);
    std::uint64_t body_read = x.read_len - x.head_len;   // body bytes that came with the head
    // bytes of a body may still be on their way: a body we cannot frame,
    // a chunked one (we do not decode it to find its end), or a
    // Content-Length longer than what we have
    if (status != 0 || x.req.body_kind == Body::Chunked ||
        (x.req.body_kind == Body::Length && x.req.content_length > body_read)) {
        x.linger = 1;
    }
    return status;   // 0 is kNext
}

int step_check_method(Exchange& x) {
    int status = method_status(x.req.method_id);
    if (status == 405) add_extra(x, "Allow", "GET, HEAD");   // RFC 9110 §15.5.6: MUST
    return status;
}

int step_echo(Exchange& x) {
    send_echo(static_cast<int>(x.sock), x.req);
    return kDone;
}

void answer_error(Exchange& x, int status) {
    x.status = static_cast<std::uint64_t>(status);
    send_error(static_cast<int>(x.sock), status, x.req.is_head, std::string_view(x.extra, x.extra_len));
}

std::uint64_t linger_close(Exchange& x) {
    if (x.linger == 0) return 0;                   // nothing unread: the caller just closes
    int sock = static_cast<int>(x.sock);
    // our FIN goes out after the response: the client sees its end
    if (::shutdown(sock, SHUT_WR) != 0) return 0;  // not connected any more: nothing to drain
    std::uint64_t dropped = 0;
    while (dropped < kLingerMax) {
        std::uint64_t want = kLingerMax - dropped;
        if (want > sizeof x.buf) want = sizeof x.buf;   // x.buf: the request is done with
        ssize_t n = ::read(sock, x.buf, want);
        if (n < 0 && errno == EINTR) continue;    // a signal: read again
        if (n <= 0) break;                        // the client closed (or reset): done
        dropped += static_cast<std::uint64_t>(n);
    }
    return dropped;
}

}  // namespace httpd
