// tests/asm/10-hardening_test.cpp -- lesson 10: the assembly stage against
// its C++ twin.  Every pure function table-driven and then with seeded
// random inputs (the seed is printed with any input that differs); the
// parent's 503 byte for byte; the socket deadlines, the head step, the
// timer of the lingering close and reaping side by side.  Timed cases
// (a head cut at the deadline) are fixtures, not tests.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>

#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../support/asm_exchange.hpp"
#include "../support/refusals.hpp"
#include "../support/support.hpp"
#include "10-hardening.hpp"
#include "api.h"
#include "exchange.hpp"

namespace {

using testsupport::Args;
using testsupport::Pair;
using testsupport::in_child;
using testsupport::escaped;
using testsupport::output_of;
using testsupport::read_all;

constexpr std::uint32_t kSeed = 20261210;   // fixed: the same cases every run

// Random digits-and-junk strings: numbers around the limits, and not numbers.
std::string random_number_text(std::mt19937& rng) {
    static const char* const fixed[] = {"", "0", "1", "10", "3600", "3601", "65536", "65537", "007", "-1", "1s",
                                        " 1", "99999999999999999999999", "18446744073709551615", "18446744073709551616"};
    if (rng() % 3 == 0) return fixed[rng() % std::size(fixed)];
    std::string s;
    int n = static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) s += (rng() % 10 == 0) ? "x-+ 9"[rng() % 5] : static_cast<char>('0' + rng() % 10);
    return s;
}

TEST(Lesson10Asm, FlagTablesAreTheSame) {
    // the C++ table has the same bytes as the assembly's (records.inc: struct flag_spec)
    EXPECT_EQ(std::memcmp(flags_10, httpd::kFlags10, 5 * FLAG_SPEC_SIZE), 0);
}

TEST(Lesson10Asm, ParseCountAgreesTableAndRandom) {
    std::mt19937 rng(kSeed);
    for (int i = 0; i < 3000; ++i) {
        std::string s = random_number_text(rng);
        std::uint64_t max = (rng() % 2) ? DEADLINE_MAX : (rng() % 4 == 0 ? UINT64_MAX : rng() % 100000);
        EXPECT_EQ(parse_count(s.c_str(), max), httpd::parse_count(s.c_str(), max))
            << "seed " << kSeed << ": " << escaped(s) << " max " << max;
    }
}

TEST(Lesson10Asm, ParseCommandLineAgreesOnRandomCommandLines) {
    std::mt19937 rng(kSeed + 1);
    const char* flags[] = {"-w", "-e", "-t", "-c", "-x", "-", "-tc"};
    for (int i = 0; i < 400; ++i) {
        std::vector<std::string> words{"httpd"};
        int n = static_cast<int>(rng() % 6);
        for (int k = 0; k < n; ++k) words.push_back(rng() % 2 ? flags[rng() % std::size(flags)] : random_number_text(rng));
        Args a(words), b(words);
        struct config acfg;
        std::memset(&acfg, 0x5a, sizeof acfg);                 // garbage, as on the stack
        httpd::Config ccfg;
        int ra = 0, rc = 0;
        std::string sa = output_of(2, [&] { ra = parse_command_line_10(a.argc(), a.argv(), &acfg); });
        std::string sc = output_of(2, [&] { rc = httpd::parse_command_line_10(b.argc(), b.argv(), &ccfg); });
        std::string where = "seed " + std::to_string(kSeed + 1) + ": " + a.shown();
        ASSERT_EQ(ra, rc) << where;
        EXPECT_EQ(sa, sc) << where;
        if (ra != 0) continue;
        EXPECT_EQ(acfg.deadline, ccfg.deadline) << where;
        EXPECT_EQ(acfg.child_limit, ccfg.child_limit) << where;
        EXPECT_EQ(acfg.write, ccfg.write) << where;
        EXPECT_EQ(acfg.port, ccfg.port) << where;
    }
}

TEST(Lesson10Asm, HeadReadyAgreesTableAndRandom) {
    const char* pieces[] = {"GET / HTTP/1.1", "\r\n", "\n", "\r", "Host: a", "X", " "};
    std::mt19937 rng(kSeed + 2);
    for (int i = 0; i < 5000; ++i) {
        std::string s;
        int n = static_cast<int>(rng() % 12);
        for (int k = 0; k < n; ++k) s += pieces[rng() % std::size(pieces)];
        EXPECT_EQ(head_ready(s.data(), s.size()) != 0, httpd::head_ready(s.data(), s.size()))
            << "seed " << kSeed + 2 << ": " << escaped(s);
    }
    std::string full(REQ_HEAD_MAX, 'a');
    EXPECT_EQ(head_ready(full.data(), full.size()), 1);
    EXPECT_EQ(head_ready(full.data(), full.size() - 1), 0);
}

TEST(Lesson10Asm, SetSocketTimeoutAgrees) {
    std::mt19937 rng(kSeed + 3);
    for (int i = 0; i < 50; ++i) {
        std::uint64_t ms = rng() % 4000000;
        int opt = rng() % 2 ? SO_RCVTIMEO : SO_SNDTIMEO;
        Pair p;
        EXPECT_EQ(set_socket_timeout(p.fd[0], opt, ms), 0);
        EXPECT_EQ(httpd::set_socket_timeout(p.fd[1], opt, ms), 0);
        timeval a{}, c{};
        socklen_t la = sizeof a, lc = sizeof c;
        ::getsockopt(p.fd[0], SOL_SOCKET, opt, &a, &la);
        ::getsockopt(p.fd[1], SOL_SOCKET, opt, &c, &lc);
        EXPECT_EQ(a.tv_sec, c.tv_sec) << ms;
        EXPECT_EQ(a.tv_usec, c.tv_usec) << ms;
    }
    EXPECT_EQ(set_socket_timeout(-1, SO_RCVTIMEO, 1), httpd::set_socket_timeout(-1, SO_RCVTIMEO, 1));
}

TEST(Lesson10Asm, NowMsAndWaitReadableAgree) {
    std::int64_t a = static_cast<std::int64_t>(now_ms()), c = static_cast<std::int64_t>(httpd::now_ms());
    EXPECT_LT(std::llabs(a - c), 1000);
    Pair p;
    EXPECT_EQ(wait_readable(p.fd[0], 0), httpd::wait_readable(p.fd[0], 0));   // 0: nothing yet
    ASSERT_EQ(::write(p.fd[1], "G", 1), 1);
    EXPECT_EQ(wait_readable(p.fd[0], 0), httpd::wait_readable(p.fd[0], 0));   // POLLIN
    ::shutdown(p.fd[1], SHUT_WR);
    std::int64_t ev = wait_readable(p.fd[0], 0);
    EXPECT_EQ(ev, httpd::wait_readable(p.fd[0], 0));                         // the end: readable
    EXPECT_TRUE(ev & POLLIN);
    EXPECT_EQ(wait_readable(-1, 0), httpd::wait_readable(-1, 0));            // POLLNVAL: a bad descriptor
    ::close(p.fd[1]);                                                         // the peer gone for good:
    p.fd[1] = -1;
    ev = wait_readable(p.fd[0], 0);                                           // the revents bits, not
    EXPECT_EQ(ev, httpd::wait_readable(p.fd[0], 0));                          // poll's count of 1
    EXPECT_TRUE(ev & POLLHUP) << ev;
}

// tend_refusal (its comment in asm/10-hardening.s, lessons/10-hardening):
// an answered refusal whose late bytes came reads them and keeps
// lingering until its deadline; tend_refusals tends every used slot, not
// only the first.
TEST(Lesson10Asm, TendRefusalReadsLateBytesAndLingers) {
    Pair p;
    ::fcntl(p.fd[0], F_SETFL, O_NONBLOCK);   // a read with nothing there must not hang the test
    ASSERT_EQ(::write(p.fd[1], "late", 4), 4);
    struct config cfg {};
    cfg.error_fd = -1;
    struct refusal s {};
    s.fd = p.fd[0];
    s.answered = 1;
    s.deadline = 1000000;   // far off: now is 1000
    s.revents = POLLIN;
    tend_refusal(&s, &cfg, 1000);
    EXPECT_EQ(s.fd, p.fd[0]) << "still lingering: the slot stays";
    EXPECT_EQ(wait_readable(p.fd[0], 0), 0) << "the late bytes were read";
    s.revents = 0;                     // nothing more came
    tend_refusal(&s, &cfg, 1000001);   // its time up: closed, the slot free
    EXPECT_EQ(s.fd, -1);
    p.fd[0] = -1;
}

TEST(Lesson10Asm, TendRefusalsTendsEverySlot) {
    struct config cfg {};
    cfg.error_fd = -1;
    struct refusal table[REFUSE_SLOTS];
    for (int slot : {1, REFUSE_SLOTS - 1}) {
        init_refusals(table);
        int fds[2];
        ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        ::fcntl(fds[0], F_SETFL, O_NONBLOCK);   // never a blocking read in a test
        table[slot].fd = fds[0];
        table[slot].answered = 1;
        table[slot].deadline = 1;   // long past: close it
        table[slot].revents = 0;    // nothing came
        tend_refusals(table, &cfg);
        EXPECT_EQ(table[slot].fd, -1) << "slot " << slot;
        if (table[slot].fd != -1) ::close(fds[0]);
        ::close(fds[1]);
    }
}

TEST(Lesson10Asm, AcceptBackoffAgrees) {
    for (int err : {EMFILE, ENFILE, ECONNABORTED, EINTR, EAGAIN, EPERM})
        EXPECT_EQ(accept_backoff(-err), httpd::accept_backoff(-err)) << err;
}

TEST(Lesson10Asm, ReapChildrenAgrees) {
    std::int32_t pids[3] = {0, 0, 0};
    EXPECT_EQ(reap_children(0, pids, 3), 0u);
    EXPECT_EQ(reap_children(5, pids, 3), httpd::reap_children(5, pids, 3));   // no child: the count stays
    for (int i = 0; i < 2; ++i) {
        pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) ::_exit(0);
        track_child(pids, 3, pid);                               // the assembly's table
    }
    pids[2] = 1;                                                 // not a child of ours
    std::uint64_t left = 2;
    for (int waited = 0; left > 0 && waited < 10000; waited += 10) {
        left = reap_children(left, pids, 3);                     // the assembly's reaps them
        if (left > 0) ::usleep(10000);
    }
    EXPECT_EQ(left, 0u);
    EXPECT_EQ(reap_children(3, pids, 3), 3u);                    // nothing more ended: the count stays
    EXPECT_EQ(pids[0], 0);                                       // both left the table
    EXPECT_EQ(pids[1], 0);
    EXPECT_EQ(pids[2], 1);                                       // the rest stays
}

TEST(Lesson10Asm, ChildTableAgreesTableAndRandom) {
    std::mt19937 rng(kSeed + 4);
    for (int i = 0; i < 2000; ++i) {
        std::uint64_t slots = rng() % 9;
        std::vector<std::int32_t> a(slots + 1), c(slots + 1);
        for (std::uint64_t k = 0; k <= slots; ++k) a[k] = c[k] = static_cast<std::int32_t>(rng() % 4);   // 0: free
        std::int32_t pid = static_cast<std::int32_t>(rng() % 5);
        std::string where = "seed " + std::to_string(kSeed + 4) + " case " + std::to_string(i);
        EXPECT_EQ(child_slot(a.data(), slots, pid), httpd::child_slot(c.data(), slots, pid)) << where;
        std::int32_t add = static_cast<std::int32_t>(1000 + rng() % 1000);
        track_child(a.data(), slots, add);
        httpd::track_child(c.data(), slots, add);
        EXPECT_EQ(a, c) << where;                                // the same slot, and only it
        if (rng() % 4 == 0) {
            init_children(a.data(), slots);
            httpd::init_children(c.data(), slots);
            EXPECT_EQ(a, c) << where;                            // every slot 0, the one past them kept
        }
    }
    std::int32_t pids[3] = {5, -7, 9};
    EXPECT_EQ(child_slot(pids, 3, -7), 1);                       // 32-bit compare
    EXPECT_EQ(child_slot(pids, 3, 0), -1);                       // full
}

TEST(Lesson10Asm, EndChildrenKillsOnlyTheTable) {
    std::int32_t pids[4] = {0, 0, 0, 0};
    pid_t a = ::fork();
    ASSERT_GE(a, 0);
    if (a == 0) { for (;;) ::pause(); }
    pid_t b = ::fork();
    ASSERT_GE(b, 0);
    if (b == 0) { ::usleep(500000); ::_exit(3); }
    pids[2] = a;                                                 // a is in the table, b is not
    end_children(pids, 4);                                       // the assembly's
    EXPECT_EQ(pids[2], 0);                                       // its slot is free
    EXPECT_EQ(::waitpid(a, nullptr, WNOHANG), -1);               // ended and already reaped (ECHILD)
    int st = 0;
    ASSERT_EQ(::waitpid(b, &st, 0), b);
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 3) << st;   // untouched
}

TEST(Lesson10Asm, StopSignalsWaitUntilAsked) {
    int st = in_child([] {
        if (block_stop_signals() != 0) ::_exit(10);              // the assembly's
        if (stop_requested() != 0 || httpd::stop_requested()) ::_exit(11);
        ::kill(::getpid(), SIGTERM);                             // blocked: it waits
        if (stop_requested() != 1 || !httpd::stop_requested()) ::_exit(12);
        ::_exit(0);
    });
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
    st = in_child([] {
        if (httpd::block_stop_signals() != 0) ::_exit(10);       // the C++'s, seen by the assembly's
        ::kill(::getpid(), SIGINT);
        ::_exit(stop_requested() == 1 ? 0 : 13);
    });
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
    st = in_child([] {
        block_stop_signals();
        ::kill(::getpid(), SIGUSR1);                             // only those two are blocked
        ::_exit(14);
    });
    EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1) << st;
}

TEST(Lesson10Asm, ShutDownWaitsForTheChildrenAndExitsZero) {
    auto t0 = std::chrono::steady_clock::now();
    int st = in_child([] {
        int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        std::int32_t pids[2];
        init_children(pids, 2);
        pid_t kid = ::fork();
        if (kid == 0) { ::usleep(300000); ::_exit(0); }         // well within the grace
        track_child(pids, 2, kid);
        shut_down(listener, 1, pids, 2);                         // the assembly's: never returns
    });
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(SHUTDOWN_GRACE_SECONDS));   // not the whole grace
}

// A client that sent `request`, refused as serve_forever refuses one
// (tests/support/refusals.hpp), by the assembly's functions or the C++.
testsupport::Refused refused_by(bool asm_side, const std::string& request) {
    if (asm_side) {
        struct config cfg {};
        cfg.error_fd = -1;
        struct refusal table[REFUSE_SLOTS];
        init_refusals(table);
        return testsupport::refused_client(
            request, table, REFUSE_SLOTS, [&](int conn) { refuse_client(conn, &cfg, table); },
            [&] { wait_clients(-1, table); }, [&] { tend_refusals(table, &cfg); });
    }
    return testsupport::refused_cpp(request);
}

TEST(Lesson10Asm, RefuseClientAgreesByteForByte) {
    for (const std::string& req : {std::string("GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
                                   std::string("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n"), std::string("HEAD"),
                                   std::string(""), std::string(20000, 'x')}) {
        testsupport::Refused a = refused_by(true, req), c = refused_by(false, req);
        EXPECT_EQ(a.answer, c.answer) << escaped(req.substr(0, 40));
        EXPECT_EQ(a.answer.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u);
        EXPECT_TRUE(a.freed) << escaped(req.substr(0, 40)) << ": the client closed, the slot must be free";
        EXPECT_TRUE(c.freed) << escaped(req.substr(0, 40));
    }
}

// The table's plumbing, slot by slot: init, the poll's answers, close.
TEST(Lesson10Asm, RefusalTableAgrees) {
    struct refusal a[REFUSE_SLOTS];
    httpd::Refusal c[httpd::kRefuseSlots];
    std::memset(a, 0x55, sizeof a);
    std::memset(static_cast<void*>(c), 0x55, sizeof c);
    init_refusals(a);
    httpd::init_refusals(c);
    for (std::size_t i = 0; i < REFUSE_SLOTS; ++i) {
        EXPECT_EQ(a[i].fd, -1);
        EXPECT_EQ(c[i].fd, -1);
    }
    Pair p, q;
    a[3] = refusal{p.fd[0], 1, 0, 0};                            // a lingering slot
    c[3] = httpd::Refusal{p.fd[0], 1, 0, 0};
    ASSERT_EQ(::write(p.fd[1], "x", 1), 1);                      // it has a byte to read
    EXPECT_EQ(wait_clients(q.fd[0], a), 0);                      // the "listener": nothing
    EXPECT_EQ(httpd::wait_clients(q.fd[0], c), 0);
    EXPECT_EQ(a[3].revents, static_cast<std::uint64_t>(POLLIN));
    EXPECT_EQ(c[3].revents, a[3].revents);
    EXPECT_EQ(a[0].revents, 0u);
    ASSERT_EQ(::write(q.fd[1], "y", 1), 1);                      // now the "listener" is ready
    EXPECT_EQ(wait_clients(q.fd[0], a), POLLIN);
    EXPECT_EQ(httpd::wait_clients(q.fd[0], c), POLLIN);
    int dup_a = ::dup(p.fd[0]), dup_c = ::dup(p.fd[0]);
    a[3].fd = dup_a;
    c[3].fd = dup_c;
    close_refusals(a);                                           // closes the copies
    httpd::close_refusals(c);
    EXPECT_EQ(a[3].fd, -1);
    EXPECT_EQ(c[3].fd, -1);
    EXPECT_EQ(::fcntl(dup_a, F_GETFD), -1);                      // closed
    EXPECT_EQ(::fcntl(dup_c, F_GETFD), -1);
}

// The lesson-10 steps on both records, as the spine runs them.
TEST(Lesson10Asm, ArmDeadlinesAndAwaitHeadAgree) {
    testsupport::Records r;
    testsupport::StepPair arm{"step_arm_deadlines", step_arm_deadlines, httpd::step_arm_deadlines};
    testsupport::StepPair await{"step_await_head", step_await_head, httpd::step_await_head};
    testsupport::step_both(r, arm, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "arm");
    for (const std::string& input : {std::string("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), std::string(""),
                                     std::string("GET / HT"), std::string("\r\n\r\n\r\n\r\n\r\n"),
                                     std::string(REQ_HEAD_MAX + 10, 'a')}) {
        testsupport::Records rr;
        testsupport::StepRun run = testsupport::step_both(rr, await, input, "await " + escaped(input.substr(0, 30)));
        EXPECT_EQ(run.result, STEP_NEXT);                       // the client ends its side: never a 408 here
    }
}

TEST(Lesson10Asm, BoundLingerAgrees) {
    for (std::uint64_t linger : {0u, 1u}) {
        testsupport::Records r;
        r.a->linger = linger;
        r.acfg.deadline = 9;
        itimerval now{}, off{};
        bound_linger(r.a.get());
        ::getitimer(ITIMER_REAL, &now);
        ::setitimer(ITIMER_REAL, &off, nullptr);                // before its SIGALRM ends the tests
        if (linger == 0) {
            EXPECT_EQ(now.it_value.tv_sec, 0);
        } else {
            EXPECT_TRUE(now.it_value.tv_sec == 8 || now.it_value.tv_sec == 9) << now.it_value.tv_sec;
        }
        EXPECT_EQ(now.it_value.tv_usec == 0 && now.it_value.tv_sec == 0, linger == 0);
    }
}

}  // namespace

// step_arm_body_deadline (lesson 10's rule): a body must come by now +
// the grace (cfg->deadline seconds) + its length at UPLOAD_MIN_RATE bytes
// a second -- here 5 + 3 seconds.
TEST(Lesson10Asm, StepArmBodyDeadlineCountsTheBodysLength) {
    testsupport::Records r;
    r.acfg.deadline = 5;
    r.ccfg.deadline = 5;
    r.a->req.content_length = 3 * UPLOAD_MIN_RATE + 7;
    r.c->req.content_length = 3 * UPLOAD_MIN_RATE + 7;
    std::uint64_t t0 = now_ms();
    EXPECT_EQ(step_arm_body_deadline(r.a.get()), STEP_NEXT);
    EXPECT_EQ(httpd::step_arm_body_deadline(*r.c), STEP_NEXT);
    std::uint64_t t1 = now_ms();
    EXPECT_GE(r.a->body_deadline, t0 + 8000);
    EXPECT_LE(r.a->body_deadline, t1 + 8000);
    EXPECT_GE(r.c->body_deadline, t0 + 8000);
    EXPECT_LE(r.c->body_deadline, t1 + 8000);
}
