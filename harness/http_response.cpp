// harness/http_response.cpp -- see http_response.hpp.
#include "http_response.hpp"

#include <charconv>

#include "util.hpp"

namespace harness {

std::optional<std::string> Response::header(std::string_view name) const {
    std::string want = lower(name);
    for (const auto& [k, v] : headers)
        if (lower(k) == want) return v;
    return std::nullopt;
}

int Response::header_count(std::string_view name) const {
    std::string want = lower(name);
    int n = 0;
    for (const auto& [k, v] : headers)
        if (lower(k) == want) ++n;
    return n;
}

namespace {
// Optional whitespace around a field value (RFC 9110 §5.5: OWS).
std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Finds the end of one line starting at `pos`: returns the offset of the
// line's first terminator byte and sets `next` past the terminator.  A bare
// LF is accepted (and reported by the caller), like RFC 9112 §2.2 allows.
size_t find_line(const std::string& s, size_t pos, size_t& next) {
    size_t lf = s.find('\n', pos);
    if (lf == std::string::npos) return std::string::npos;
    next = lf + 1;
    return (lf > pos && s[lf - 1] == '\r') ? lf - 1 : lf;
}
}  // namespace

void ResponseParser::feed(std::string_view bytes) {
    if (finished_) return;
    r_.raw.append(bytes);
    if (!r_.has_head) parse_head();
    if (r_.has_head && !r_.complete) parse_body();
}

void ResponseParser::finish() {
    if (finished_) return;
    finished_ = true;
    if (r_.raw.empty()) return;   // nothing at all: the checks say "no response"
    if (!r_.has_head) {
        r_.problems.push_back("the connection closed in the middle of the head (no empty line after the headers)");
        return;
    }
    if (!r_.complete) {
        if (r_.framing == Response::Framing::Close) {
            r_.body = r_.raw.substr(body_start_);
            r_.complete = true;
        } else if (r_.framing == Response::Framing::Length) {
            r_.body = r_.raw.substr(body_start_);
            r_.problems.push_back("body truncated: Content-Length says " + std::to_string(content_length_) +
                                  " bytes, the connection closed after " + std::to_string(r_.body.size()));
        } else if (r_.framing == Response::Framing::Chunked) {
            r_.problems.push_back("chunked body truncated: the connection closed before the last (0) chunk");
        }
    }
    if (r_.complete && message_end_ != 0 && r_.raw.size() > message_end_)
        r_.problems.push_back(std::to_string(r_.raw.size() - message_end_) +
                              " unexpected bytes after the end of the response: \"" +
                              escape(std::string_view(r_.raw).substr(message_end_, 40)) + "\"");
}

void ResponseParser::parse_head() {
    // The head ends with an empty line: CRLF CRLF (or bare LFs).
    size_t pos = head_from_, next = 0;
    std::vector<std::string_view> lines;
    bool bare_lf = false;
    for (;;) {
        size_t end = find_line(r_.raw, pos, next);
        if (end == std::string::npos) return;   // need more bytes
        if (r_.raw[end] == '\n') bare_lf = true;
        if (end == pos) break;                  // the empty line
        lines.emplace_back(r_.raw.data() + pos, end - pos);
        pos = next;
    }
    if (lines.empty()) {   // an empty line first: not a response at all
        r_.has_head = true;
        r_.problems.push_back("the response starts with an empty line instead of a status line");
        body_start_ = message_end_ = next;
        r_.complete = true;
        return;
    }
    // An interim response (RFC 9110 §15.2: 1xx other than 101, a head
    // without a body) comes before the final one: note it, parse on.
    std::string_view first = lines[0];
    if (first.size() >= 12 && first.substr(0, 9) == "HTTP/1.1 " && first[9] == '1' && first.substr(9, 3) != "101" &&
        first.substr(10, 2).find_first_not_of("0123456789") == std::string_view::npos && (first.size() == 12 || first[12] == ' ')) {
        r_.interim.push_back(100 + (first[10] - '0') * 10 + (first[11] - '0'));
        head_from_ = next;
        parse_head();
        return;
    }
    r_.has_head = true;
    r_.head = r_.raw.substr(head_from_, next - head_from_);
    body_start_ = next;
    if (bare_lf) r_.problems.push_back("the head uses bare LF line endings; a server must send CRLF (RFC 9112 §2.1)");

    // Status line: HTTP-version SP 3DIGIT SP [reason] (RFC 9112 §4).
    std::string_view sl = lines[0];
    r_.status_line = std::string(sl);
    size_t sp1 = sl.find(' ');
    std::string_view code = sp1 == std::string_view::npos ? std::string_view() : sl.substr(sp1 + 1, 3);
    int status = 0;
    bool digits = code.size() == 3 && code.find_first_not_of("0123456789") == std::string_view::npos;
    if (digits) std::from_chars(code.data(), code.data() + 3, status);
    if (sp1 == std::string_view::npos || !digits || sl.substr(0, 5) != "HTTP/" ||
        (sl.size() > sp1 + 4 && sl[sp1 + 4] != ' ')) {
        r_.problems.push_back("malformed status line \"" + escape(sl) + "\" (want \"HTTP/1.1 200 OK\")");
    } else {
        r_.version = std::string(sl.substr(0, sp1));
        r_.status = status;
        if (sl.size() > sp1 + 5) r_.reason = std::string(sl.substr(sp1 + 5));
        if (sl.size() == sp1 + 4) r_.problems.push_back("status line has no space after the code (RFC 9112 §4)");
    }

    // Header fields: name ":" OWS value OWS (RFC 9110 §5).
    for (size_t i = 1; i < lines.size(); ++i) {
        std::string_view line = lines[i];
        size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0 || line[colon - 1] == ' ' || line[0] == ' ' || line[0] == '\t') {
            r_.problems.push_back("malformed header line \"" + escape(line) + "\"");
            continue;
        }
        r_.headers.emplace_back(std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1))));
    }

    // How does the body end?  (RFC 9112 §6.3)
    bool no_body = head_request_ || (r_.status >= 100 && r_.status < 200) || r_.status == 204 || r_.status == 304;
    auto te = r_.header("Transfer-Encoding");
    auto cl = r_.header("Content-Length");
    if (no_body) {
        r_.framing = Response::Framing::None;
    } else if (te && lower(*te).find("chunked") != std::string::npos) {
        r_.framing = Response::Framing::Chunked;
        chunk_pos_ = body_start_;
        if (cl) r_.problems.push_back("both Transfer-Encoding and Content-Length sent (RFC 9112 §6.3)");
    } else if (cl) {
        auto [p, ec] = std::from_chars(cl->data(), cl->data() + cl->size(), content_length_);
        if (ec != std::errc() || p != cl->data() + cl->size() || cl->empty()) {
            r_.problems.push_back("Content-Length \"" + escape(*cl) + "\" is not a decimal number");
            r_.framing = Response::Framing::Close;
        } else {
            r_.framing = Response::Framing::Length;
        }
        if (r_.header_count("Content-Length") > 1) r_.problems.push_back("Content-Length sent more than once");
    } else {
        r_.framing = Response::Framing::Close;
    }
}

void ResponseParser::parse_body() {
    switch (r_.framing) {
        case Response::Framing::None:
            r_.complete = true;
            message_end_ = body_start_;
            break;
        case Response::Framing::Length:
            if (r_.raw.size() - body_start_ >= content_length_) {
                r_.body = r_.raw.substr(body_start_, content_length_);
                r_.complete = true;
                message_end_ = body_start_ + content_length_;
            }
            break;
        case Response::Framing::Chunked:
            if (parse_chunked()) {
                r_.complete = true;
                message_end_ = chunk_pos_;
            }
            break;
        case Response::Framing::Close:
            break;   // only finish() knows where it ends
    }
}

bool ResponseParser::parse_chunked() {
    // chunk = size-in-hex [; ext] CRLF data CRLF; last-chunk = "0" CRLF;
    // then trailer fields and an empty line (RFC 9112 §7.1).
    for (;;) {
        size_t next = 0;
        size_t end = find_line(r_.raw, chunk_pos_, next);
        if (end == std::string::npos) return false;
        std::string_view line(r_.raw.data() + chunk_pos_, end - chunk_pos_);
        std::string_view hex = line.substr(0, line.find(';'));
        hex = trim(hex);
        uint64_t size = 0;
        auto [p, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), size, 16);
        if (hex.empty() || ec != std::errc() || p != hex.data() + hex.size()) {
            r_.problems.push_back("bad chunk size line \"" + escape(line) + "\"");
            r_.framing = Response::Framing::Close;   // give up on framing
            return false;
        }
        if (size == 0) {
            // Trailers until an empty line.
            size_t pos = next;
            for (;;) {
                size_t tnext = 0;
                size_t tend = find_line(r_.raw, pos, tnext);
                if (tend == std::string::npos) return false;
                if (tend == pos) {
                    chunk_pos_ = tnext;
                    return true;
                }
                pos = tnext;
            }
        }
        if (r_.raw.size() < next + size + 1) return false;
        size_t after = next + size;
        size_t data_end_next = 0;
        // The data must be followed by CRLF (or LF).
        if (r_.raw[after] == '\r') {
            if (r_.raw.size() < after + 2) return false;
            if (r_.raw[after + 1] != '\n') {
                r_.problems.push_back("chunk data not followed by CRLF");
                r_.framing = Response::Framing::Close;
                return false;
            }
            data_end_next = after + 2;
        } else if (r_.raw[after] == '\n') {
            data_end_next = after + 1;
        } else {
            r_.problems.push_back("chunk data longer than its size line says");
            r_.framing = Response::Framing::Close;
            return false;
        }
        r_.body.append(r_.raw, next, size);
        chunk_pos_ = data_end_next;
    }
}

Response parse_response(std::string_view bytes, bool head_request, bool closed) {
    ResponseParser p(head_request);
    p.feed(bytes);
    if (closed) p.finish();
    return p.response();
}

}  // namespace harness
