// tests/mix/twins.cpp -- make mix-NN ASM=stage[,stage]: the C++ server
// with the named stages' functions taken from the assembly.
//
// The spine (cpp/httpd.cpp) is compiled with build/mix/rename.hpp, which
// renames every function of a mixed stage that it calls (the list is
// tests/mix/twins.def): `step_read_head` there is asm_twin_step_read_head.
// This file defines those, each by calling the assembly function of the
// original name through the C ABI (asm/api.h).  Everything else -- the
// other stages, and the mixed stage's own helpers the C++ of other stages
// calls -- stays C++.  A step gets the assembly's record: the same fields
// at the same offsets as the C++ Exchange (cpp/exchange.hpp checks every
// one against asm/records.inc) up to the request, which the C++ keeps as
// string_views and the assembly as pointer + length pairs.
//
// An ABI slip at the border -- a callee-saved register the assembly
// clobbers, a 64-bit result it leaves in 32 bits, a field at the wrong
// offset -- shows up as failing fixtures of the mixed server, not as
// silence (an assembly step_decode_path that overwrote x20 failed all 50
// decode-* fixtures of make mix-10 ASM=05).  The other direction, an
// assembly caller that reads an `int` result as 64 bits, is make
// asm-int-results' job: here the assembly only calls the assembly.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "api.h"

// The assembly's functions by their own names, taken before the renames
// below make NAME mean asm_twin_NAME: asm_NAME is the assembly's NAME.
#define TWIN(stage, name) [[maybe_unused]] constexpr auto asm_##name = &::name;
#include "twins.def"
#undef TWIN

#include "rename.hpp"

#include "stages.hpp"   // every stage's header, 00 .. LESSON (as the spine)

namespace httpd {
namespace {

static_assert(offsetof(struct exchange, req) == X_REQ, "records.inc X_REQ");
static_assert(sizeof(struct exchange) == X_SIZE, "records.inc X_SIZE");

// Config and struct config are the same record (both are checked against
// records.inc, section CONFIG), and so are FlagSpec and struct flag_spec.
[[maybe_unused]] const struct config* as_asm(const Config* cfg) { return reinterpret_cast<const struct config*>(cfg); }
[[maybe_unused]] struct config* as_asm(Config* cfg) { return reinterpret_cast<struct config*>(cfg); }
#if MIX_10
// The refused clients' table: the same layout in both (RS_* of records.inc,
// checked by static_asserts in cpp/10-hardening.hpp and asm/api.h).
struct refusal* as_asm(Refusal* r) { return reinterpret_cast<struct refusal*>(r); }
#endif

#if LESSON >= 3
// A view into one record's buffer, moved to the same offset in the other's
// (the request line and the fields point into buf); anything else -- a
// constant string, a null pointer -- stays where it is.
const char* rebase(const char* p, const char* from, char* to) {
    if (p != nullptr && p >= from && p <= from + REQ_HEAD_MAX) return to + (p - from);
    return p;
}
std::string_view view(const char* p, std::uint64_t n, const char* from, const char* to) {
    if (p == nullptr) return {};
    if (p >= from && p <= from + REQ_HEAD_MAX) p = to + (p - from);
    return {p, n};
}

void request_to_asm(const Request& r, const char* buf, struct exchange& a) {
    struct request& q = a.req;
    auto put = [&](std::string_view v, const char*& p, std::uint64_t& n) {
        p = rebase(v.data(), buf, a.buf);
        n = v.size();
    };
    put(r.method, q.method, q.method_len);
    put(r.target, q.target, q.target_len);
    put(r.path, q.path, q.path_len);
    put(r.query, q.query, q.query_len);
    q.method_id = static_cast<std::uint64_t>(r.method_id);
    q.version_minor = static_cast<std::uint64_t>(r.version_minor);
    q.is_head = r.is_head ? 1 : 0;
    q.header_count = r.header_count;
    q.body_kind = static_cast<std::uint64_t>(r.body_kind);
    q.content_length = r.content_length;
    for (std::size_t i = 0; i < r.header_count && i < kMaxHeaders; ++i) {
        put(r.headers[i].name, q.headers[i].name, q.headers[i].name_len);
        put(r.headers[i].value, q.headers[i].value, q.headers[i].value_len);
    }
}

void request_from_asm(const struct exchange& a, Request& r, const char* buf) {
    const struct request& q = a.req;
    r.method = view(q.method, q.method_len, a.buf, buf);
    r.target = view(q.target, q.target_len, a.buf, buf);
    r.path = view(q.path, q.path_len, a.buf, buf);
    r.query = view(q.query, q.query_len, a.buf, buf);
    r.method_id = static_cast<Method>(q.method_id);
    r.version_minor = static_cast<int>(q.version_minor);
    r.is_head = q.is_head != 0;
    r.header_count = q.header_count;
    r.body_kind = static_cast<Body>(q.body_kind);
    r.content_length = q.content_length;
    for (std::size_t i = 0; i < q.header_count && i < kMaxHeaders; ++i) {
        r.headers[i].name = view(q.headers[i].name, q.headers[i].name_len, a.buf, buf);
        r.headers[i].value = view(q.headers[i].value, q.headers[i].value_len, a.buf, buf);
    }
}
#endif

// The C++ record as the assembly's, field by field ...
void to_asm(const Exchange& x, struct exchange& a) {
    a.sock = x.sock;
    a.cfg = as_asm(x.cfg);
    a.status = x.status;
    a.head_len = x.head_len;
    a.read_len = x.read_len;
    a.linger = x.linger;
    a.path_len = x.path_len;
    a.file_fd = x.file.get();
    a.file_mode = x.file_mode;
    a.file_size = x.file_size;
    a.type = x.type;
    a.body_first = x.body_first;
    a.body_len = x.body_len;
    a.extra_len = x.extra_len;
    a.body_deadline = x.body_deadline;
    a.body_sent = x.body_sent;
    a.date = x.date;
    a.last_modified = x.last_modified;
    std::memcpy(a.extra, x.extra, sizeof a.extra);
    std::memcpy(a.path, x.path, sizeof a.path);
    std::memcpy(a.buf, x.buf, sizeof a.buf);
#if LESSON >= 3
    request_to_asm(x.req, x.buf, a);
#endif
}

// ... and back: what the assembly changed is what the C++ sees next.  The
// file descriptor changes hands: whatever the assembly holds (it may have
// closed the old one, or opened another) is what x.file owns now.
void from_asm(const struct exchange& a, Exchange& x) {
    x.sock = a.sock;
    x.cfg = reinterpret_cast<const Config*>(a.cfg);
    x.status = a.status;
    x.head_len = a.head_len;
    x.read_len = a.read_len;
    x.linger = a.linger;
    x.path_len = a.path_len;
    x.file.release();
    x.file = Fd(static_cast<int>(a.file_fd));
    x.file_mode = a.file_mode;
    x.file_size = a.file_size;
    x.type = a.type;
    x.body_first = a.body_first;
    x.body_len = a.body_len;
    x.extra_len = a.extra_len;
    x.body_deadline = a.body_deadline;
    x.body_sent = a.body_sent;
    x.date = a.date;
    x.last_modified = a.last_modified;
    std::memcpy(x.extra, a.extra, sizeof a.extra);
    std::memcpy(x.path, a.path, sizeof a.path);
    std::memcpy(x.buf, a.buf, sizeof a.buf);
#if LESSON >= 3
    request_from_asm(a, x.req, x.buf);
#endif
}

// on_asm_record -- call(&a) on the assembly's copy of x, x updated after.
template <class Call>
auto on_asm_record(Exchange& x, Call call) {
    static struct exchange a;        // 15 KiB: not on the stack of a step
    to_asm(x, a);
    if constexpr (std::is_void_v<decltype(call(&a))>) {
        call(&a);
        from_asm(a, x);
    } else {
        auto result = call(&a);
        from_asm(a, x);
        return result;
    }
}

// A step: int NAME(Exchange& x) is the assembly's NAME on the record.
#define ASM_STEP(name) \
    int name(Exchange& x) { return on_asm_record(x, [](struct exchange* a) { return asm_##name(a); }); }

}  // namespace

// Each mixed stage: the functions of twins.def, under their C++ names
// (which rename.hpp has made asm_twin_NAME), in the C++ signatures.
#if MIX_01
void start_exchange(Exchange& x, int sock, const Config* cfg) {
    on_asm_record(x, [&](struct exchange* a) { asm_start_exchange(a, sock, as_asm(cfg)); });
}
ASM_STEP(step_read_once)
ASM_STEP(step_hello)
int parse_args(int argc, char** argv, Config* cfg) { return asm_parse_args(argc, argv, as_asm(cfg)); }
std::int64_t ignore_signal(int sig) { return asm_ignore_signal(sig); }
std::int64_t open_listener(int port) { return asm_open_listener(port); }
int listening_port(int fd) { return asm_listening_port(fd); }
std::int64_t say_listening(int port) { return asm_say_listening(port); }
std::int64_t say_listen_error(int port, std::int64_t err) { return asm_say_listen_error(port, err); }
std::int64_t accept_client(int listener) { return asm_accept_client(listener); }
#endif

#if MIX_02
std::int64_t fork_connection(int listener, int conn, ConnectionHandler handler, const Config* cfg) {
    // the child runs the C++ handle_connection: the same C calling convention
    return asm_fork_connection(listener, conn, reinterpret_cast<connection_handler>(handler), as_asm(cfg));
}
#endif

#if MIX_03
ASM_STEP(step_read_head)
ASM_STEP(step_parse_head)
ASM_STEP(step_check_framing)
ASM_STEP(step_check_method)
ASM_STEP(step_echo)
void answer_error(Exchange& x, int status) {
    on_asm_record(x, [&](struct exchange* a) { asm_answer_error(a, status); });
}
std::uint64_t linger_close(Exchange& x) {
    return on_asm_record(x, [](struct exchange* a) { return asm_linger_close(a); });
}
#endif

#if MIX_04
ASM_STEP(step_copy_path)
ASM_STEP(step_add_index)
ASM_STEP(step_open_file)
ASM_STEP(step_stat_file)
ASM_STEP(step_check_file)
ASM_STEP(step_choose_type)
ASM_STEP(step_send_head)
ASM_STEP(step_send_body)
#endif

#if MIX_05
ASM_STEP(step_decode_path)
#endif

#if MIX_06
std::int64_t open_docroot(Config* cfg) { return asm_open_docroot(as_asm(cfg)); }
ASM_STEP(step_normalize_path)
ASM_STEP(step_open_beneath)
#endif

#if MIX_07
ASM_STEP(step_parse_range)
#endif

#if MIX_08
ASM_STEP(step_directory)
#endif

#if MIX_09
int parse_command_line(int argc, char** argv, Config* cfg, const FlagSpec* flags) {
    return asm_parse_command_line(argc, argv, as_asm(cfg), reinterpret_cast<const struct flag_spec*>(flags));
}
std::int64_t open_error_pages(Config* cfg) { return asm_open_error_pages(as_asm(cfg)); }
ASM_STEP(step_allow_method)
ASM_STEP(step_answer_options)
ASM_STEP(step_check_upload)
ASM_STEP(step_open_parent)
ASM_STEP(step_store_upload)
ASM_STEP(step_answer_upload)
ASM_STEP(step_delete_file)
void answer_error_page(Exchange& x, int status) {
    on_asm_record(x, [&](struct exchange* a) { asm_answer_error_page(a, status); });
}
#endif

#if MIX_10
int parse_command_line_10(int argc, char** argv, Config* cfg) { return asm_parse_command_line_10(argc, argv, as_asm(cfg)); }
std::int64_t block_stop_signals() { return asm_block_stop_signals(); }
void init_children(std::int32_t* pids, std::uint64_t slots) { asm_init_children(pids, slots); }
std::uint64_t reap_children(std::uint64_t children, std::int32_t* pids, std::uint64_t slots) {
    return asm_reap_children(children, pids, slots);
}
void init_refusals(Refusal* r) { asm_init_refusals(as_asm(r)); }
std::int64_t wait_clients(int listener, Refusal* r) { return asm_wait_clients(listener, as_asm(r)); }
bool stop_requested() { return asm_stop_requested() != 0; }   // an int in w0: bits 32-63 are not ours
void shut_down(int listener, std::uint64_t children, std::int32_t* pids, std::uint64_t slots) {
    asm_shut_down(listener, children, pids, slots);
}
int accept_backoff(std::int64_t err) { return asm_accept_backoff(err); }
void tend_refusals(Refusal* r, const Config* cfg) { asm_tend_refusals(as_asm(r), as_asm(cfg)); }
void refuse_client(int conn, const Config* cfg, Refusal* r) { asm_refuse_client(conn, as_asm(cfg), as_asm(r)); }
std::int64_t fork_counted(int listener, int conn, ConnectionHandler handler, const Config* cfg, Refusal* r) {
    return asm_fork_counted(listener, conn, reinterpret_cast<connection_handler>(handler), as_asm(cfg), as_asm(r));
}
void track_child(std::int32_t* pids, std::uint64_t slots, std::int32_t pid) { asm_track_child(pids, slots, pid); }
ASM_STEP(step_arm_deadlines)
ASM_STEP(step_await_head)
ASM_STEP(step_arm_body_deadline)
void log_exchange(Exchange& x) {
    on_asm_record(x, [](struct exchange* a) { asm_log_exchange(a); });
}
void bound_linger(Exchange& x) {
    on_asm_record(x, [](struct exchange* a) { asm_bound_linger(a); });
}
#endif

#if MIX_11
ASM_STEP(step_stamp_date)
ASM_STEP(step_last_modified)
ASM_STEP(step_check_conditions)
ASM_STEP(step_parse_range_11)
ASM_STEP(step_check_unmodified)
#endif

}  // namespace httpd
