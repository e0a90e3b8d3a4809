// cpp/10-hardening.hpp -- lesson 10: deadlines, a child limit, refusing
// with 503 instead of resetting, and an accept loop that does not spin.
// Assembly twin: asm/10-hardening.s (same function names, same limits,
// same statuses).  Rules and walk-through: lessons/10-hardening/README.md.
//
// The stage, from the spine's point of view (cpp/httpd.cpp):
//
//   at start-up, once:
//     parse_command_line_10  lesson 09's parser with lesson 10's table
//                            (kFlags10: -w, -e DIR, -t SECONDS, -c N),
//                            then -t and -c as numbers into Config
//
//   in the parent's accept loop (serve_forever):
//     reap_children          wait4(-1, WNOHANG): the children that ended,
//                            counted down (lesson 02's ignored SIGCHLD
//                            could not count them)
//     wait_clients           poll the listener and the refused clients
//                            together, for at most REAP_INTERVAL_MS: the
//                            parent reaps even when nobody connects
//     tend_refusals          each refused client whose bytes came or whose
//                            time is up: its 503, or its close
//     accept_backoff         accept failed: EMFILE / ENFILE -> pause
//                            ACCEPT_BACKOFF_MS instead of spinning
//     refuse_client          at the limit (or when fork fails): into the
//                            table of refused clients -- a 503 with
//                            Retry-After from the parent itself, never
//                            waiting on the client
//     fork_counted           lesson 02's fork_connection, but a failed
//                            fork is answered (503), not dropped
//     init_children,         the table of the children's pids (-c
//     track_child,           slots, on serve_forever's stack in the
//     child_slot             assembly): who to end when the grace is over
//
//   stopping (SIGTERM, SIGINT):
//     block_stop_signals     at start-up: the two signals wait, pending,
//                            until the parent asks (children inherit it)
//     stop_requested         sigpending: has one of them come?
//     shut_down              close the listener, reap for at most
//                            SHUTDOWN_GRACE_SECONDS, end_children
//                            (SIGKILL) for the stragglers, exit 0
//
//   in the pipeline (the child):
//     step_arm_deadlines     SO_RCVTIMEO and SO_SNDTIMEO = -t: a read or a
//                            write that moves no byte for that long fails
//     step_await_head        the whole head within -t of the start, or
//                            408 (nothing at all: close, no answer)
//     bound_linger           the lingering close ends -t after it starts
//
// Failure is a negative number (-errno), never an exception.
#pragma once

#include <cstddef>
#include <cstdint>

#include "01-socket.hpp"   // Config
#include "02-fork.hpp"     // ConnectionHandler
#include "09-methods.hpp"  // FlagSpec
#include "records.h"

namespace httpd {

struct Exchange;   // the per-connection record: cpp/exchange.hpp

// The lesson's limits (records.inc, section HARDENING).
inline constexpr std::uint64_t kDeadlineMax = DEADLINE_MAX;          // -t: at most an hour
inline constexpr std::uint64_t kChildLimitMax = CHILD_LIMIT_MAX;     // -c: at most this many
inline constexpr int kReapIntervalMs = REAP_INTERVAL_MS;             // the parent's longest wait for a client
inline constexpr int kAcceptBackoffMs = ACCEPT_BACKOFF_MS;           // the pause after EMFILE / ENFILE
inline constexpr std::size_t kRefuseDrainMax = REFUSE_DRAIN_MAX;     // request bytes read around a 503
inline constexpr int kRefuseWaitMs = REFUSE_WAIT_MS;                 // how long they are awaited (in the table)
inline constexpr int kRefuseLingerMs = REFUSE_LINGER_MS;             // a refused socket's life after its 503
inline constexpr std::size_t kRefuseSlots = REFUSE_SLOTS;            // refused clients kept at once
inline constexpr std::uint64_t kShutdownGraceSeconds = SHUTDOWN_GRACE_SECONDS;   // children's time to finish after a stop

// kFlags10 -- lesson 09's flags and lesson 10's: -t SECONDS, -c N (values).
extern const FlagSpec* const kFlags10;

// parse_count -- a decimal number 1..max and nothing else (lesson 07's
// parse_decimal: digits only, saturating).  The number, or -1.
std::int64_t parse_count(const char* s, std::uint64_t max);

// parse_command_line_10 -- `httpd [-w] [-e DIR] [-t SECONDS] [-c N]
// [PORT [DOCROOT]]`: lesson 09's parse_command_line with kFlags10; then
// cfg->deadline = -t's value (1..DEADLINE_MAX, default DEADLINE_DEFAULT)
// and cfg->child_limit = -c's (1..CHILD_LIMIT_MAX, default
// CHILD_LIMIT_DEFAULT).  A bad number: say_usage and -EINVAL (status 2).
int parse_command_line_10(int argc, char** argv, Config* cfg);

// set_socket_timeout -- setsockopt(sock, SOL_SOCKET, option, timeval of
// ms): SO_RCVTIMEO or SO_SNDTIMEO.  0 or -errno.
std::int64_t set_socket_timeout(int sock, int option, std::uint64_t ms);

// wait_readable -- poll fd for input (POLLIN) for at most timeout_ms: the
// revents bits (POLLIN, POLLHUP, POLLERR: a read will tell), 0 the time
// ran out, -errno.
std::int64_t wait_readable(int fd, int timeout_ms);

// pause_ms -- sleep ms milliseconds: poll with no descriptor (Darwin has
// no raw nanosleep).
void pause_ms(int ms);

// head_ready -- do the len bytes of buf hold a whole request head by
// lesson 03's rule (an empty line after the request line; up to
// REQ_LEADING_EMPTY_MAX empty lines before it are skipped, one more is
// read_request_head's 400 at once), or is buf full (REQ_HEAD_MAX: its
// 414 / 431)?  Then step_read_head will not wait.
bool head_ready(const char* buf, std::size_t len);

// child_slot -- where pid sits in the parent's table of its children
// (pid 0: the first free slot): its index, or -1.
std::int64_t child_slot(const std::int32_t* pids, std::uint64_t slots, std::int32_t pid);

// init_children -- every slot of the table free (0): no child yet.
void init_children(std::int32_t* pids, std::uint64_t slots);

// track_child -- a new child's pid into the first free slot (there is
// always one: the table has -c slots, the parent never runs more).
void track_child(std::int32_t* pids, std::uint64_t slots, std::int32_t pid);

// reap_children -- wait4(-1, WNOHANG) until no ended child is left:
// children minus the ones reaped (never below 0); each reaped pid leaves
// the table (a pid is reused only after it was reaped: the table never
// names a stranger).  A child not in the table is reaped but not
// counted: we did not fork it (a process inherits the children of
// whoever exec'd it -- a wrapper's `tee`, say).
std::uint64_t reap_children(std::uint64_t children, std::int32_t* pids, std::uint64_t slots);

// end_children -- for every child still in the table: kill(pid,
// SIGKILL) (the children keep SIGTERM and SIGINT blocked; nothing blocks
// SIGKILL), wait4(pid) -- that pid only, never -1, which would also wait
// for a child we did not fork -- and free the slot.  Never kill(0, ...):
// that reaches our whole process group, the shell or harness that
// started us included.
void end_children(std::int32_t* pids, std::uint64_t slots);

// block_stop_signals -- sigprocmask(SIG_BLOCK, {SIGINT, SIGTERM}): from
// now on they wait, pending, until stop_requested asks -- no handler, no
// flag, no Darwin trampoline.  Children inherit the mask: a Ctrl-C that
// reaches the whole process group does not cut their downloads short.
// 0 or -errno.
std::int64_t block_stop_signals();

// stop_requested -- is SIGTERM or SIGINT pending (sigpending)?  false
// also when sigpending fails.
bool stop_requested();

// shut_down -- the parent's way out after SIGTERM or SIGINT: close the
// listener (the kernel refuses new clients), reap until no child is left
// or SHUTDOWN_GRACE_SECONDS have passed, then end_children (SIGKILL and
// wait4 for each one left), exit(0).
[[noreturn]] void shut_down(int listener, std::uint64_t children, std::int32_t* pids, std::uint64_t slots);

// accept_backoff -- what the parent does after accept failed with err
// (negative errno): EMFILE, ENFILE -> pause_ms(ACCEPT_BACKOFF_MS) and 1;
// anything else (ECONNABORTED ...) -> 0, try again at once.
int accept_backoff(std::int64_t err);

// Refusal -- one slot of the parent's table of refused clients (records.inc,
// struct refusal).  A refused client waits there for its request (at most
// REFUSE_WAIT_MS: the bytes that tell a HEAD), gets its 503, and lingers
// (at most REFUSE_LINGER_MS, or until it closes) so that bytes it sends
// late are read, not answered with a reset that could destroy the 503.
struct Refusal {
    std::int32_t fd;          // the connection, or -1: a free slot
    std::int32_t answered;    // 0: waits for the request; 1: has its 503, lingers
    std::uint64_t deadline;   // now_ms() by which it is answered (0) or closed (1)
    std::uint64_t revents;    // what wait_clients' poll said of it (0: nothing)
};
static_assert(offsetof(Refusal, fd) == RS_FD, "records.inc RS_FD");
static_assert(offsetof(Refusal, answered) == RS_ANSWERED, "records.inc RS_ANSWERED");
static_assert(offsetof(Refusal, deadline) == RS_DEADLINE, "records.inc RS_DEADLINE");
static_assert(offsetof(Refusal, revents) == RS_REVENTS, "records.inc RS_REVENTS");
static_assert(sizeof(Refusal) == RS_SIZE, "records.inc RS_SIZE");

// init_refusals -- every one of the REFUSE_SLOTS slots free (fd -1).
void init_refusals(Refusal* r);

// close_refusals -- close every refused connection in the table and free
// its slot (a new child's copies: only the parent tends them).
void close_refusals(Refusal* r);

// wait_clients -- poll the listener and every refused connection together
// (a pollfd each, POLLIN; only the used slots: poll refuses an array
// longer than RLIMIT_NOFILE with EINVAL) for at most REAP_INTERVAL_MS --
// REFUSE_WAIT_MS while a refused client is in the table, so that its
// deadline is kept.  Each used slot's revents into r[i].revents (0 for
// all when poll fails); the result: the listener's revents (0: nobody is
// waiting to be accepted), or -errno.
std::int64_t wait_clients(int listener, Refusal* r);

// answer_refusal -- the parent's 503 on the non-blocking conn: up to
// REFUSE_DRAIN_MAX request bytes read if they are there (never waiting),
// `503 Service Unavailable` with `Retry-After: RETRY_AFTER_SECONDS` and
// lesson 09's page (no body if those bytes began "HEAD "),
// shutdown(SHUT_WR), what has come meanwhile read again.
void answer_refusal(int conn, const Config* cfg);

// refuse_client -- the parent's own answer when no child can take conn:
// conn made non-blocking (the parent never waits on a client) and put in
// the first free slot, waiting for its request until REFUSE_WAIT_MS from
// now (tend_refusals answers it).  No free slot: answer_refusal with what
// has come so far, and close, at once.
void refuse_client(int conn, const Config* cfg, Refusal* r);

// tend_refusal -- one used slot, at now (ms): waiting, and its bytes came
// (revents) or its time is up -> answer_refusal, answered, deadline = now +
// REFUSE_LINGER_MS.  Answered, and something came -> one read: 0 (the
// client closed) or an error other than EAGAIN -> close, slot free.
// Answered and its time up -> close, slot free.
void tend_refusal(Refusal* s, const Config* cfg, std::uint64_t now);

// tend_refusals -- tend_refusal for every used slot, with one now_ms().
void tend_refusals(Refusal* r, const Config* cfg);

// fork_counted -- lesson 02's fork_connection, except that a failed fork
// (EAGAIN under a process limit, ENOMEM) is answered with refuse_client,
// and that the child also closes its copies of the refused connections
// (close_refusals).  The child's pid (parent), or -errno.
std::int64_t fork_counted(int listener, int conn, ConnectionHandler handler, const Config* cfg, Refusal* r);

// The steps (see the top of this file).
//   step_arm_deadlines  SO_RCVTIMEO and SO_SNDTIMEO = cfg->deadline
//                       seconds on x.sock; kNext (a failure only loses
//                       the deadline)
//   step_await_head     reads into x.buf (x.read_len), each read after
//                       poll says a byte is there, until head_ready:
//                       kNext, and step_read_head starts from those
//                       bytes; the client closed or failed: kNext
//                       (step_read_head sees it); cfg->deadline seconds
//                       after the start: nothing came -> kDone (close, no
//                       answer), part of a head -> 408, x.linger = 1,
//                       x.req.is_head from begins_with_head
int step_arm_deadlines(Exchange& x);
int step_await_head(Exchange& x);

// step_arm_body_deadline -- after step_check_framing (content_length is
// known; no 64-bit length overflows: 2^64 / UPLOAD_MIN_RATE * 1000 < 2^61):
// x.body_deadline = now + the grace (cfg->deadline seconds) +
// content_length / UPLOAD_MIN_RATE seconds.  lesson 09's receive_body answers 408 once it has passed.
// Always kNext.
inline constexpr std::uint64_t kUploadMinRate = UPLOAD_MIN_RATE;   // bytes/s: the slowest upload we wait for
int step_arm_body_deadline(Exchange& x);

// bound_linger -- before lesson 03's linger_close: when x.linger, an
// ITIMER_REAL of cfg->deadline seconds whose SIGALRM (default action:
// terminate) ends the child, however slowly the client keeps sending.
void bound_linger(Exchange& x);

}  // namespace httpd
