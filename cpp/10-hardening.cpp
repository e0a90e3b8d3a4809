// cpp/10-hardening.cpp -- lesson 10: deadlines, a child limit, 503s, back-off.
// Assembly twin: asm/10-hardening.s.  Rules: lessons/10-hardening/README.md.
#include "10-hardening.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "00-syscalls.hpp"
#include "01-socket.hpp"
#include "03-parse.hpp"
#include "07-ranges.hpp"   // parse_decimal
#include "exchange.hpp"

namespace httpd {

// excerpt: flags-10
// lesson 09's rows, then lesson 10's
constexpr FlagSpec kFlagRows10[] = {
    {'t', FLAG_VALUE, CFG_DEADLINE_ARG, "[-t SECONDS]"},          // 10: deadlines
    {'c', FLAG_VALUE, CFG_CHILD_LIMIT_ARG, "[-c N]"},             // 10: children at once
};
constexpr auto kFlagTable10 = flag_table(kFlagRows09, kFlagRows10);
const FlagSpec* const kFlags10 = kFlagTable10.data();
// excerpt end

std::int64_t parse_count(const char* s, std::uint64_t max) {
    std::uint64_t value = 0;
    if (parse_decimal(std::string_view(s, std::strlen(s)), &value) != 0) return -1;   // not 1*DIGIT
    if (value == 0 || value > max) return -1;                 // saturated values land here too
    return static_cast<std::int64_t>(value);
}

int parse_command_line_10(int argc, char** argv, Config* cfg) {
    cfg->deadline_arg = nullptr;                              // no -t yet: the parser only
    cfg->child_limit_arg = nullptr;                           // stores the flags it sees
    if (int r = parse_command_line(argc, argv, cfg, kFlags10); r < 0) return r;
    cfg->deadline = DEADLINE_DEFAULT;                         // no -t
    cfg->child_limit = CHILD_LIMIT_DEFAULT;                   // no -c
    if (cfg->deadline_arg != nullptr) {
        std::int64_t t = parse_count(cfg->deadline_arg, kDeadlineMax);
        if (t < 0) return say_usage(kFlags10), -EINVAL;
        cfg->deadline = static_cast<std::uint64_t>(t);
    }
    if (cfg->child_limit_arg != nullptr) {
        std::int64_t c = parse_count(cfg->child_limit_arg, kChildLimitMax);
        if (c < 0) return say_usage(kFlags10), -EINVAL;
        cfg->child_limit = static_cast<std::uint64_t>(c);
    }
    return 0;
}

std::int64_t set_socket_timeout(int sock, int option, std::uint64_t ms) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms / MS_PER_SECOND);
    tv.tv_usec = static_cast<suseconds_t>(ms % MS_PER_SECOND * US_PER_MS);
    if (::setsockopt(sock, SOL_SOCKET, option, &tv, sizeof tv) != 0) return -errno;
    return 0;
}

std::int64_t wait_readable(int fd, int timeout_ms) {
    pollfd p{};
    p.fd = fd;
    p.events = POLLIN;                                        // input (or the end: a read tells)
    int n = ::poll(&p, 1, timeout_ms);
    if (n < 0) return -errno;                                 // EINTR: the caller loops anyway
    if (n == 0) return 0;                                     // the time ran out
    return p.revents;                                         // what happened
}

void pause_ms(int ms) { ::poll(nullptr, 0, ms); }             // no descriptor: only the timeout ends it

// excerpt: head-ready
bool head_ready(const char* buf, std::size_t len) {
    if (len >= REQ_HEAD_MAX) return true;                     // full: read_request_head answers 414 / 431
    std::size_t line_start = 0;                               // where the current line began
    std::uint64_t skipped = 0;                                // empty lines before the request line
    bool in_head = false;                                     // past the request line's start?
    for (std::size_t i = 0; i < len; ++i) {
        if (buf[i] != '\n') continue;
        std::size_t line_len = i - line_start;
        bool empty = line_len == 0 || (line_len == 1 && buf[line_start] == '\r');
        if (empty && !in_head) {
            if (++skipped > REQ_LEADING_EMPTY_MAX) return true;   // one too many: 400 at once
        } else if (empty) {
            return true;                                      // the empty line that ends the head
        } else {
            in_head = true;                                   // the request line, or a field line
        }
        line_start = i + 1;
    }
    return false;                                             // more is still to come
}
// excerpt end

std::int64_t child_slot(const std::int32_t* pids, std::uint64_t slots, std::int32_t pid) {
    for (std::uint64_t i = 0; i < slots; ++i) {
        if (pids[i] == pid) return static_cast<std::int64_t>(i);
    }
    return -1;                                                // not there
}

void init_children(std::int32_t* pids, std::uint64_t slots) {
    for (std::uint64_t i = 0; i < slots; ++i) pids[i] = 0;    // free
}

void track_child(std::int32_t* pids, std::uint64_t slots, std::int32_t pid) {
    std::int64_t slot = child_slot(pids, slots, 0);           // the first free slot
    if (slot >= 0) pids[slot] = pid;                          // none (cannot happen below -c): nothing to do
}

std::uint64_t reap_children(std::uint64_t children, std::int32_t* pids, std::uint64_t slots) {
    for (;;) {
        int status = 0;
        pid_t pid = ::wait4(-1, &status, WNOHANG, nullptr);   // an ended child, if any
        if (pid <= 0) return children;                        // 0: none ended yet; -1 ECHILD: none at all
        std::int64_t slot = child_slot(pids, slots, pid);
        if (slot < 0) continue;                               // not ours: reaped, not counted
        pids[slot] = 0;                                       // the slot is free again
        if (children > 0) --children;                         // one fewer running
    }
}

void end_children(std::int32_t* pids, std::uint64_t slots) {
    for (std::uint64_t i = 0; i < slots; ++i) {
        if (pids[i] == 0) continue;                           // a free slot: nobody to end
        ::kill(pids[i], SIGKILL);                             // a failure (it just ended): wait4 reaps it all the same
        ::wait4(pids[i], nullptr, 0, nullptr);                // that pid only: SIGKILL ends it at once
        pids[i] = 0;                                          // its slot is free
    }
}

// excerpt: block-stop-signals
std::int64_t block_stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);                                  // Ctrl-C
    sigaddset(&set, SIGTERM);                                 // kill PID, a service manager's stop
    if (::sigprocmask(SIG_BLOCK, &set, nullptr) != 0) return -errno;
    return 0;
}
// excerpt end

// excerpt: stop-requested
bool stop_requested() {
    sigset_t pending;
    sigemptyset(&pending);
    if (::sigpending(&pending) != 0) return false;            // nothing to tell
    return sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1;
}
// excerpt end

// excerpt: shut-down
void shut_down(int listener, std::uint64_t children, std::int32_t* pids, std::uint64_t slots) {
    ::close(listener);                                        // new clients are refused from now on
    std::uint64_t grace_end = now_ms() + kShutdownGraceSeconds * MS_PER_SECOND;
    for (;;) {
        children = reap_children(children, pids, slots);
        if (children == 0) break;                             // all done
        if (now_ms() >= grace_end) {                          // the grace is over:
            end_children(pids, slots);                        //     SIGKILL for each one left, and reap it
            break;
        }
        pause_ms(kReapIntervalMs);                            // and look again
    }
    ::_exit(0);                                               // we stopped because we were asked to
}
// excerpt end

int accept_backoff(std::int64_t err) {
    if (err != -EMFILE && err != -ENFILE) return 0;           // ECONNABORTED ...: try again at once
    pause_ms(kAcceptBackoffMs);                               // no descriptor free: wait, do not spin
    return 1;
}

// drain_ready -- read (never wait for) up to cap bytes of what conn holds
// into buf: the bytes read.
static std::size_t drain_ready(int conn, char* buf, std::size_t cap) {
    std::size_t got = 0;
    while (got < cap) {
        ssize_t n = ::read(conn, buf + got, cap - got);       // conn is non-blocking
        if (n <= 0) break;                                    // EAGAIN: nothing more now; 0: closed
        got += static_cast<std::size_t>(n);
    }
    return got;
}

void init_refusals(Refusal* r) {
    for (std::size_t i = 0; i < kRefuseSlots; ++i) r[i].fd = -1;   // free
}

void close_refusals(Refusal* r) {
    for (std::size_t i = 0; i < kRefuseSlots; ++i) {
        if (r[i].fd < 0) continue;                            // a free slot
        ::close(r[i].fd);                                     // the parent keeps its copy
        r[i].fd = -1;
    }
}

// excerpt: wait-clients
std::int64_t wait_clients(int listener, Refusal* r) {
    pollfd p[1 + kRefuseSlots];                               // the listener, then the used slots
    int timeout = kReapIntervalMs;                            // nobody refused: reap every 200 ms
    p[0] = pollfd{listener, POLLIN, 0};                       // a client to accept
    nfds_t n = 1;
    for (std::size_t i = 0; i < kRefuseSlots; ++i) {
        r[i].revents = 0;                                     // nothing said yet
        if (r[i].fd < 0) continue;                            // free: not polled (poll refuses more
        p[n++] = pollfd{r[i].fd, POLLIN, 0};                  //   entries than RLIMIT_NOFILE)
        timeout = kRefuseWaitMs;                              // a refused client: its deadline is near
    }
    int ready = ::poll(p, n, timeout);
    if (ready < 0) return -errno;                             // EINTR: the caller loops anyway
    n = 1;
    for (std::size_t i = 0; i < kRefuseSlots; ++i) {          // the same order as above
        if (r[i].fd >= 0) r[i].revents = static_cast<std::uint16_t>(p[n++].revents);
    }
    return static_cast<std::uint16_t>(p[0].revents);          // 0: nobody to accept
}
// excerpt end

// excerpt: refuse-client
void answer_refusal(int conn, const Config* cfg) {
    char buf[kRefuseDrainMax];
    for (int i = 0; i < 8; ++i) buf[i] = 0;                   // begins_with_head reads 5 bytes
    std::size_t got = drain_ready(conn, buf, sizeof buf);     // the request, as far as it came
    bool is_head = got >= 5 && begins_with_head(buf);
    char extra[HEAD_MAX];
    std::size_t extra_len = head_add_u64(extra, 0, "Retry-After", RETRY_AFTER_SECONDS);
    send_error_page(conn, 503, is_head, std::string_view(extra, extra_len), static_cast<int>(cfg->error_fd));
    ::shutdown(conn, SHUT_WR);                                // our FIN after the 503
    drain_ready(conn, buf, sizeof buf);                       // what came meanwhile: no reset for it
}

void refuse_client(int conn, const Config* cfg, Refusal* r) {
    ::fcntl(conn, F_SETFL, O_NONBLOCK);                       // never wait on this client
    for (std::size_t i = 0; i < kRefuseSlots; ++i) {
        if (r[i].fd >= 0) continue;                           // taken
        r[i] = Refusal{conn, 0, now_ms() + kRefuseWaitMs, 0}; // its request has REFUSE_WAIT_MS to come
        return;                                               // tend_refusals answers it
    }
    answer_refusal(conn, cfg);                                // the table is full: answer now,
    ::close(conn);                                            // with what came so far
}

void tend_refusal(Refusal* s, const Config* cfg, std::uint64_t now) {
    if (s->answered == 0) {
        if (s->revents == 0 && now < s->deadline) return;     // no byte yet, and still time
        answer_refusal(s->fd, cfg);                           // the request (or its time) is here
        s->answered = 1;
        s->deadline = now + kRefuseLingerMs;                  // now linger, boundedly
        return;
    }
    if (s->revents != 0) {                                    // late bytes, or the client's close
        char buf[kRefuseDrainMax];
        ssize_t n = ::read(s->fd, buf, sizeof buf);           // one read: poll tells us if more is there
        if (n > 0 || (n < 0 && errno == EAGAIN)) {
            if (now < s->deadline) return;                    // read, dropped: keep lingering
        }
    } else if (now < s->deadline) {
        return;                                               // nothing yet, and still time
    }
    ::close(s->fd);                                           // closed, failed, or time is up:
    s->fd = -1;                                               // nothing unread, so a FIN, no reset
}

void tend_refusals(Refusal* r, const Config* cfg) {
    std::uint64_t now = now_ms();
    for (std::size_t i = 0; i < kRefuseSlots; ++i) {
        if (r[i].fd >= 0) tend_refusal(&r[i], cfg, now);
    }
}
// excerpt end

std::int64_t fork_counted(int listener, int conn, ConnectionHandler handler, const Config* cfg, Refusal* r) {
    pid_t pid = ::fork();
    if (pid < 0) {
        std::int64_t err = -errno;                            // EAGAIN, ENOMEM: no child to answer
        refuse_client(conn, cfg, r);                          // ... so the parent does: 503
        return err;
    }
    if (pid == 0) {
        ::close(listener);                                    // child: as lesson 02's
        close_refusals(r);                                    // the parent tends those
        handler(conn, cfg);
        ::_exit(0);
    }
    ::close(conn);                                            // parent: the child has its copy
    return pid;
}

int step_arm_deadlines(Exchange& x) {
    std::uint64_t ms = x.cfg->deadline * MS_PER_SECOND;
    set_socket_timeout(static_cast<int>(x.sock), SO_RCVTIMEO, ms);   // a read that waits this long fails (EAGAIN)
    set_socket_timeout(static_cast<int>(x.sock), SO_SNDTIMEO, ms);   // so does a write that moves no byte
    return kNext;
}

// excerpt: await-head
int step_await_head(Exchange& x) {
    int sock = static_cast<int>(x.sock);
    std::uint64_t deadline = now_ms() + x.cfg->deadline * MS_PER_SECOND;
    for (int i = 0; i < 8; ++i) x.buf[i] = 0;                 // begins_with_head reads 5 bytes
    for (;;) {
        if (head_ready(x.buf, x.read_len)) return kNext;      // step_read_head will not wait
        std::uint64_t now = now_ms();
        if (now >= deadline) {                                // too late
            if (x.read_len == 0) return kDone;                // not a byte: close, nobody to answer
            x.req.is_head = begins_with_head(x.buf);          // all we know of the method
            x.linger = 1;                                     // the rest of the head may still come
            return 408;                                       // Request Timeout (RFC 9110 §15.5.9)
        }
        std::int64_t ready = wait_readable(sock, static_cast<int>(deadline - now));   // sleep until a byte comes
        if (ready == 0 || ready == -EINTR) continue;          // no byte yet: the clock decides
        if (ready < 0) return kNext;                          // broken: step_read_head sees it
        ssize_t n = ::read(sock, x.buf + x.read_len, REQ_HEAD_MAX - x.read_len);
        if (n < 0 && errno == EINTR) continue;                // a signal: the clock decides
        if (n <= 0) return kNext;                             // closed or broken: step_read_head sees it
        x.read_len += static_cast<std::uint64_t>(n);          // step_read_head starts from these
    }
}
// excerpt end

// excerpt: body-deadline
int step_arm_body_deadline(Exchange& x) {
    // the grace, plus the body at the slowest rate we wait for
    std::uint64_t seconds = x.cfg->deadline + x.req.content_length / kUploadMinRate;
    x.body_deadline = now_ms() + seconds * MS_PER_SECOND;     // receive_body: 408 after this
    return kNext;
}
// excerpt end

void bound_linger(Exchange& x) {
    if (x.linger == 0) return;                                // linger_close will not read
    itimerval t{};
    t.it_value.tv_sec = static_cast<time_t>(x.cfg->deadline); // once, in -t seconds
    ::setitimer(ITIMER_REAL, &t, nullptr);                    // SIGALRM's default action ends the child
}

}  // namespace httpd
