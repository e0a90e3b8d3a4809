// harness/http_response.hpp -- an incremental HTTP/1.1 response parser.
//
// The client feeds it whatever each read() returned (one byte or a
// megabyte) and tells it when the server closed the connection.  It knows
// the three ways a body can end (RFC 9112 §6.3): Content-Length bytes,
// chunked transfer coding, or the connection closing; and that a response
// to HEAD (and 1xx/204/304) has no body at all.  Whatever does not fit --
// a truncated body, bytes after the end, a broken head -- ends up in
// `problems`, which the checks report as a failed assertion.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace harness {

struct Response {
    std::string raw;             // every byte received, unchanged
    bool has_head = false;       // the head (status line + headers) was complete
    std::string status_line;     // "HTTP/1.1 200 OK" (without CRLF)
    std::string version;         // "HTTP/1.1"
    int status = 0;              // 200
    std::string reason;          // "OK"
    std::vector<std::pair<std::string, std::string>> headers;   // in order, as sent
    std::string head;            // the raw head bytes including the empty line
    std::string body;            // decoded body (chunked framing removed)
    enum class Framing { None, Length, Chunked, Close } framing = Framing::None;
    bool complete = false;       // the whole message arrived
    std::vector<std::string> problems;   // protocol errors, in plain words
    std::vector<int> interim;    // the 1xx responses before this one (RFC 9110 §15.2): 100 ...

    // The value of the first header with this name (case-insensitive).
    std::optional<std::string> header(std::string_view name) const;
    // How many headers have this name.
    int header_count(std::string_view name) const;
};

class ResponseParser {
public:
    // `head_request`: the request was HEAD, so the response has no body
    // whatever its Content-Length says (RFC 9110 §9.3.2).
    explicit ResponseParser(bool head_request = false) : head_request_(head_request) {}

    // More bytes from the socket.
    void feed(std::string_view bytes);
    // The server closed the connection (read returned 0): a close-delimited
    // body ends here, anything unfinished is reported as truncated.
    void finish();
    // True once a complete message has been parsed.
    bool complete() const { return r_.complete; }
    const Response& response() const { return r_; }

private:
    void parse_head();
    void parse_body();
    bool parse_chunked();   // true when the last chunk and trailers were read

    bool head_request_;
    bool finished_ = false;
    size_t head_from_ = 0;   // where the final response's head starts (after any 1xx)
    size_t body_start_ = 0;     // offset of the body in r_.raw
    uint64_t content_length_ = 0;
    size_t chunk_pos_ = 0;      // chunked: parse position in r_.raw
    size_t message_end_ = 0;    // offset just after the message
    Response r_;
};

// Parses a whole response at once (the client's convenience).
Response parse_response(std::string_view bytes, bool head_request, bool closed = true);

}  // namespace harness
