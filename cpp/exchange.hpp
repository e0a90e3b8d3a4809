// cpp/exchange.hpp -- the per-connection record: one request and the plan
// of its response, which every step of the pipeline reads and fills in.
// Assembly twin: struct exchange, asm/records.inc section EXCHANGE (its C
// mirror is in asm/api.h).  How the pipeline works: docs/architecture.md.
//
// The spine's handle_connection (cpp/httpd.cpp) makes one Exchange per
// connection and runs the lesson's steps over it in order.  A step is
//
//     int step_NAME(Exchange& x);
//
// and returns kNext (go on), kDone (stop: the response is sent, or none
// is due) or an HTTP status (stop: answer with that error).  Steps live
// in the stage file of the lesson that introduces them (step_read_once in
// cpp/01-socket.cpp, step_parse_head in cpp/03-parse.cpp, ...); a later
// lesson adds a step or swaps one for its successor in the spine's list,
// never by editing an earlier stage.
//
// This is not a stage: it belongs to no lesson, like asm/records.inc.
#pragma once

#include <cstddef>
#include <cstdint>

#include "00-syscalls.hpp"
#include "01-socket.hpp"   // Config
#if LESSON >= 3
#include "03-parse.hpp"    // Request: the parsed request comes with lesson 03
#endif
#include "records.h"

namespace httpd {

// What a step returns when it does not stop the pipeline with a status.
inline constexpr int kNext = STEP_NEXT;   // 0: go on with the next step
inline constexpr int kDone = STEP_DONE;   // 1: stop, the response is out (or none is due)

// Exchange -- the same fields, in the same order, as the assembly's
// struct exchange.  The offsets of everything before req are checked
// against records.inc below; req comes last because the C++ Request
// (string_views) is laid out differently from the assembly's record.
// The buffers are not cleared when an Exchange is made (nor are they in
// the assembly): every step writes before it reads.  req is there from
// lesson 03 on, with the parser that fills it; the assembly's record has
// its room (X_REQ) from lesson 01, as records.inc is one layout for every
// lesson, but nothing reads or writes it before lesson 03.
struct Exchange {
    std::int64_t sock = -1;             // the connection's socket
    const Config* cfg = nullptr;        // the port and the docroot
    std::uint64_t status = 200;         // the response's status until a step decides otherwise
    std::uint64_t head_len = 0;         // bytes of the request head in buf (lesson 03)
    std::uint64_t read_len = 0;         // bytes read into buf: the head and what followed it (lesson 03)
    std::uint64_t linger = 0;           // 1: unread request bytes may follow; linger_close drains them (lesson 03)
    std::uint64_t path_len = 0;         // bytes of the path in path[] (lesson 04)
    Fd file;                            // the open file (lesson 04); closed with the Exchange
    std::uint64_t file_mode = 0;        // its st_mode
    std::uint64_t file_size = 0;        // its st_size
    const char* type = nullptr;         // its Content-Type
    std::uint64_t body_first = 0;       // the first byte of the file the body sends
    std::uint64_t body_len = 0;         // how many bytes the body sends: the Content-Length
    std::uint64_t extra_len = 0;        // bytes of field lines in extra[]
    std::uint64_t body_deadline = 0;    // now_ms time by which a request body must have come; 0: none (lesson 10)
    std::uint64_t body_sent = 0;        // body bytes the kernel took so far: what the access log says went out (lesson 10)
    std::int64_t date = 0;              // the seconds the Date field shows (lesson 11's step_stamp_date)
    std::int64_t last_modified = 0;     // the seconds Last-Modified shows; read only after step_last_modified (lesson 11)
    char extra[EXTRA_MAX];              // field lines a step adds to the head ("Allow: GET, HEAD\r\n")
    char path[PATH_BUF_MAX];            // the path the file steps use (not NUL-terminated)
    char buf[REQ_HEAD_MAX];             // the request as read
#if LESSON >= 3
    Request req;                        // what parse_request understood (views into buf)
#endif
};
static_assert(offsetof(Exchange, sock) == X_SOCK, "records.inc X_SOCK");
static_assert(offsetof(Exchange, cfg) == X_CFG, "records.inc X_CFG");
static_assert(offsetof(Exchange, status) == X_STATUS, "records.inc X_STATUS");
static_assert(offsetof(Exchange, head_len) == X_HEAD_LEN, "records.inc X_HEAD_LEN");
static_assert(offsetof(Exchange, read_len) == X_READ_LEN, "records.inc X_READ_LEN");
static_assert(offsetof(Exchange, linger) == X_LINGER, "records.inc X_LINGER");
static_assert(offsetof(Exchange, path_len) == X_PATH_LEN, "records.inc X_PATH_LEN");
static_assert(offsetof(Exchange, file) == X_FILE_FD, "records.inc X_FILE_FD");
static_assert(sizeof(Fd) <= 8, "Fd must fit the 64-bit X_FILE_FD slot");
static_assert(offsetof(Exchange, file_mode) == X_FILE_MODE, "records.inc X_FILE_MODE");
static_assert(offsetof(Exchange, file_size) == X_FILE_SIZE, "records.inc X_FILE_SIZE");
static_assert(offsetof(Exchange, type) == X_TYPE, "records.inc X_TYPE");
static_assert(offsetof(Exchange, body_first) == X_BODY_FIRST, "records.inc X_BODY_FIRST");
static_assert(offsetof(Exchange, body_len) == X_BODY_LEN, "records.inc X_BODY_LEN");
static_assert(offsetof(Exchange, extra_len) == X_EXTRA_LEN, "records.inc X_EXTRA_LEN");
static_assert(offsetof(Exchange, body_deadline) == X_BODY_DEADLINE, "records.inc X_BODY_DEADLINE");
static_assert(offsetof(Exchange, body_sent) == X_BODY_SENT, "records.inc X_BODY_SENT");
static_assert(offsetof(Exchange, date) == X_DATE, "records.inc X_DATE");
static_assert(offsetof(Exchange, last_modified) == X_LAST_MODIFIED, "records.inc X_LAST_MODIFIED");
static_assert(offsetof(Exchange, extra) == X_EXTRA, "records.inc X_EXTRA");
static_assert(offsetof(Exchange, path) == X_PATH, "records.inc X_PATH");
static_assert(offsetof(Exchange, buf) == X_BUF, "records.inc X_BUF");
#if LESSON >= 3
static_assert(offsetof(Exchange, req) == X_REQ, "records.inc X_REQ");
#endif

// The functions that work on the record are declared with the lesson that
// introduces them: start_exchange, add_extra (cpp/01-socket.hpp), and the
// step_* functions of each stage.

}  // namespace httpd
