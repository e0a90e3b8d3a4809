// tests/unit/10-hardening_test.cpp -- lesson 10's C++ stage: -t and -c on
// the command line, head_ready against lesson 03's head reader, the
// socket deadlines, the step that waits for a head (the cases that do not
// need the clock: timed cases are fixtures), reaping, the parent's 503 and
// the back-off after EMFILE.
//
// Expectations come from RFC 9110 §15.5.9 (408), §15.6.4 (503), §10.2.3
// (Retry-After), RFC 9112 §2.2 (empty lines before the request line) and
// the lesson's rules (lessons/10-hardening/README.md).
#include <gtest/gtest.h>

#include <poll.h>

#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../support/refusals.hpp"
#include "../support/support.hpp"
#include "01-socket.hpp"
#include "03-parse.hpp"
#include "10-hardening.hpp"
#include "exchange.hpp"

namespace {

using testsupport::Args;
using testsupport::Pair;
using testsupport::in_child;
using testsupport::output_of;
using testsupport::read_all;

const std::string kUsage10 = "usage: httpd [-w] [-e DIR] [-t SECONDS] [-c N] [PORT [DOCROOT]]\n";

// What read_request_head (lesson 03) makes of `bytes` followed by the
// client's end: the head's length, 0, or -status.
std::int64_t read_head_then_eof(const std::string& bytes) {
    Pair p;
    if (!bytes.empty()) httpd::write_all(p.fd[1], bytes.data(), bytes.size());
    ::shutdown(p.fd[1], SHUT_WR);
    std::unique_ptr<char[]> buf(new char[REQ_HEAD_MAX]);
    std::uint64_t got = 0;
    return httpd::read_request_head(p.fd[0], buf.get(), REQ_HEAD_MAX, &got);
}

TEST(Lesson10, ParseCountTakesOneToMax) {
    EXPECT_EQ(httpd::parse_count("1", 10), 1);
    EXPECT_EQ(httpd::parse_count("10", 10), 10);
    EXPECT_EQ(httpd::parse_count("007", 10), 7);     // leading zeros are digits
    EXPECT_EQ(httpd::parse_count("11", 10), -1);     // above max
    EXPECT_EQ(httpd::parse_count("0", 10), -1);      // zero is not a count
    EXPECT_EQ(httpd::parse_count("", 10), -1);       // 1*DIGIT
    EXPECT_EQ(httpd::parse_count("1s", 10), -1);
    EXPECT_EQ(httpd::parse_count("-1", 10), -1);
    EXPECT_EQ(httpd::parse_count(" 1", 10), -1);
    EXPECT_EQ(httpd::parse_count("99999999999999999999999", 1ULL << 62), -1);   // saturates above max
    EXPECT_EQ(httpd::parse_count("3600", DEADLINE_MAX), 3600);
    EXPECT_EQ(httpd::parse_count("65536", CHILD_LIMIT_MAX), 65536);
}

TEST(Lesson10, CommandLineDefaults) {
    Args a({"httpd", "0", "."});
    httpd::Config cfg;
    ASSERT_EQ(httpd::parse_command_line_10(a.argc(), a.argv(), &cfg), 0);
    EXPECT_EQ(cfg.deadline, 10u);                    // DEADLINE_DEFAULT
    EXPECT_EQ(cfg.child_limit, 256u);                // CHILD_LIMIT_DEFAULT
    EXPECT_EQ(cfg.deadline_arg, nullptr);
    EXPECT_EQ(cfg.child_limit_arg, nullptr);
    EXPECT_EQ(cfg.write, 0u);
    EXPECT_EQ(cfg.port, 0u);
}

TEST(Lesson10, CommandLineTakesEveryFlag) {
    Args a({"httpd", "-t", "5", "-w", "-c", "3", "-e", "pages", "8081", "site"});
    httpd::Config cfg;
    ASSERT_EQ(httpd::parse_command_line_10(a.argc(), a.argv(), &cfg), 0);
    EXPECT_EQ(cfg.deadline, 5u);
    EXPECT_EQ(cfg.child_limit, 3u);
    EXPECT_EQ(cfg.write, 1u);
    EXPECT_STREQ(cfg.error_dir, "pages");
    EXPECT_EQ(cfg.port, 8081u);
    EXPECT_STREQ(cfg.docroot, "site");
}

TEST(Lesson10, CommandLineRefusesBadNumbersWithTheUsageLine) {
    for (const auto& words : std::vector<std::vector<std::string>>{
             {"httpd", "-t", "0"}, {"httpd", "-t", "3601"}, {"httpd", "-t", "x"}, {"httpd", "-c", "0"},
             {"httpd", "-c", "65537"}, {"httpd", "-c", ""}, {"httpd", "-t"}, {"httpd", "0", "-c", "2"}}) {
        Args a(words);
        httpd::Config cfg;
        int r = 0;
        std::string said = output_of(2, [&] { r = httpd::parse_command_line_10(a.argc(), a.argv(), &cfg); });
        EXPECT_EQ(r, -EINVAL) << words.back();
        EXPECT_EQ(said, kUsage10) << words.back();
    }
}

TEST(Lesson10, HeadReadyTable) {
    struct Case {
        std::string bytes;
        bool ready;
    };
    const Case cases[] = {
        {"", false},
        {"GET / HTTP/1.1\r\n", false},
        {"GET / HTTP/1.1\r\nHost: a\r\n", false},
        {"GET / HTTP/1.1\r\nHost: a\r\n\r", false},
        {"GET / HTTP/1.1\r\nHost: a\r\n\r\n", true},
        {"GET / HTTP/1.1\nHost: a\n\n", true},                 // bare LF ends lines too
        {"GET / HTTP/1.1\r\n\r\nbody", true},                  // what follows is not the head
        {"\r\n\r\nGET / HTTP/1.1\r\n\r\n", true},               // empty lines before: skipped (RFC 9112 §2.2)
        {"\r\n\r\n", false},                                    // skipped, the request line still to come
        {"\r\n\r\n\r\n\r\n", false},                            // REQ_LEADING_EMPTY_MAX of them: still skipped
        {"\r\n\r\n\r\n\r\n\r\n", true},                         // one more: lesson 03 answers at once
        {"X\r\r\n", false},                                     // "X\r" is not an empty line
    };
    for (const auto& c : cases) EXPECT_EQ(httpd::head_ready(c.bytes.data(), c.bytes.size()), c.ready) << testsupport::escaped(c.bytes);
    std::string full(REQ_HEAD_MAX, 'a');                        // full: 414 / 431 without waiting
    EXPECT_TRUE(httpd::head_ready(full.data(), full.size()));
}

// head_ready says "lesson 03's reader would not wait" exactly when that
// reader, given the bytes and then the end, finds a head (or a full
// buffer) rather than running into the end.
TEST(Lesson10, HeadReadyAgreesWithReadRequestHeadOnRandomBytes) {
    const char* pieces[] = {"GET / HTTP/1.1", "\r\n", "\n", "\r", "Host: a", "X", " "};
    std::mt19937 rng(20261210);
    for (int i = 0; i < 1500; ++i) {
        std::string s;
        int n = static_cast<int>(rng() % 10);
        for (int k = 0; k < n; ++k) s += pieces[rng() % std::size(pieces)];
        std::int64_t r = read_head_then_eof(s);
        bool reader_found_a_head = r > 0 || r == -414 || r == -431;
        EXPECT_EQ(httpd::head_ready(s.data(), s.size()), reader_found_a_head)
            << "seed 20261210: " << testsupport::escaped(s) << " -> " << r;
    }
}

TEST(Lesson10, SetSocketTimeoutSetsTheTimeval) {
    Pair p;
    ASSERT_EQ(httpd::set_socket_timeout(p.fd[0], SO_RCVTIMEO, 1500), 0);
    timeval tv{};
    socklen_t len = sizeof tv;
    ASSERT_EQ(::getsockopt(p.fd[0], SOL_SOCKET, SO_RCVTIMEO, &tv, &len), 0);
    EXPECT_EQ(tv.tv_sec, 1);
    EXPECT_EQ(tv.tv_usec, 500000);
    EXPECT_EQ(httpd::set_socket_timeout(-1, SO_SNDTIMEO, 1000), -EBADF);
}

TEST(Lesson10, NowMsIsTheKernelsClock) {
    auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::int64_t ours = static_cast<std::int64_t>(httpd::now_ms());
    EXPECT_LT(std::llabs(ours - wall), 1000);
}

TEST(Lesson10, WaitReadableSaysWhatHappened) {
    Pair p;
    EXPECT_EQ(httpd::wait_readable(p.fd[0], 0), 0);             // nothing yet: the time ran out
    ASSERT_EQ(::write(p.fd[1], "G", 1), 1);
    std::int64_t ev = httpd::wait_readable(p.fd[0], 0);
    EXPECT_TRUE(ev > 0 && (ev & POLLIN));
    char g;
    ASSERT_EQ(::read(p.fd[0], &g, 1), 1);                       // taken: nothing waits now
    EXPECT_EQ(httpd::wait_readable(p.fd[0], 0), 0);
    ::shutdown(p.fd[1], SHUT_WR);                               // the end is readable too: a read returns 0
    ev = httpd::wait_readable(p.fd[0], 0);
    EXPECT_TRUE(ev > 0 && (ev & POLLIN));
}

// The exchange a step sees: sock = fd, the given deadline.
struct StepSetup {
    httpd::Config cfg;
    std::unique_ptr<httpd::Exchange> x{new httpd::Exchange};
    StepSetup(int fd, std::uint64_t deadline) {
        cfg.deadline = deadline;
        httpd::start_exchange(*x, fd, &cfg);
        x->linger = 0;
        x->read_len = 0;
    }
};

TEST(Lesson10, ArmDeadlinesSetsBothTimeouts) {
    Pair p;
    StepSetup s(p.fd[0], 3);
    EXPECT_EQ(httpd::step_arm_deadlines(*s.x), httpd::kNext);
    for (int opt : {SO_RCVTIMEO, SO_SNDTIMEO}) {
        timeval tv{};
        socklen_t len = sizeof tv;
        ASSERT_EQ(::getsockopt(p.fd[0], SOL_SOCKET, opt, &tv, &len), 0);
        EXPECT_EQ(tv.tv_sec, 3);
        EXPECT_EQ(tv.tv_usec, 0);
    }
}

TEST(Lesson10, AwaitHeadGoesOnWhenTheHeadIsThere) {
    Pair p;
    std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    ASSERT_EQ(::write(p.fd[1], head.data(), head.size()), static_cast<ssize_t>(head.size()));
    StepSetup s(p.fd[0], 10);
    EXPECT_EQ(httpd::step_await_head(*s.x), httpd::kNext);
    EXPECT_EQ(s.x->read_len, head.size());                      // it read them ...
    EXPECT_EQ(httpd::step_read_head(*s.x), httpd::kNext);       // ... and step_read_head starts from them
    EXPECT_EQ(s.x->head_len, head.size());
}

TEST(Lesson10, AwaitHeadLeavesTheEndToReadHead) {
    {
        Pair p;
        ::shutdown(p.fd[1], SHUT_WR);                           // nothing, then the end
        StepSetup s(p.fd[0], 10);
        EXPECT_EQ(httpd::step_await_head(*s.x), httpd::kNext);
        EXPECT_EQ(httpd::step_read_head(*s.x), httpd::kDone);   // nobody to answer
    }
    {
        Pair p;
        ASSERT_EQ(::write(p.fd[1], "GET / HT", 8), 8);           // part of a head, then the end
        ::shutdown(p.fd[1], SHUT_WR);
        StepSetup s(p.fd[0], 10);
        auto t0 = std::chrono::steady_clock::now();
        EXPECT_EQ(httpd::step_await_head(*s.x), httpd::kNext);  // the end: no more is coming
        EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));   // not the 10 s deadline
        EXPECT_EQ(httpd::step_read_head(*s.x), 400);
    }
}

// lesson 10 rule: the deadline is for the whole head -- bytes that keep
// trickling in do not push it back.  One byte every 200 ms with -t 1:
// 408 after about a second, the bytes so far in x.buf for step_read_head.
TEST(Lesson10, AwaitHeadTrickleIsCutAtTheDeadline) {
    Pair p;
    std::atomic<bool> stop{false};
    std::thread trickler([&] {
        const char* head = "HEAD /slow HTTP/1.1\r\nX: ";
        for (int i = 0; !stop && head[i] != 0; ++i) {
            if (::write(p.fd[1], head + i, 1) != 1) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    });
    StepSetup s(p.fd[0], 1);
    auto t0 = std::chrono::steady_clock::now();
    int r = httpd::step_await_head(*s.x);
    auto took = std::chrono::steady_clock::now() - t0;
    stop = true;
    trickler.join();
    EXPECT_EQ(r, 408);
    EXPECT_GE(took, std::chrono::milliseconds(950));
    EXPECT_LT(took, std::chrono::milliseconds(1900));           // one deadline, not one per byte
    EXPECT_GE(s.x->read_len, 4u);                               // what came is kept ...
    EXPECT_EQ(std::string(s.x->buf, 5), "HEAD ");               // ... and tells the method
    EXPECT_TRUE(s.x->req.is_head);                              // no body with the 408
    EXPECT_EQ(s.x->linger, 1u);
}

TEST(Lesson10, BoundLingerArmsTheTimerOnlyWhenLingering) {
    Pair p;
    StepSetup s(p.fd[0], 7);
    itimerval now{};
    s.x->linger = 0;
    httpd::bound_linger(*s.x);
    ASSERT_EQ(::getitimer(ITIMER_REAL, &now), 0);
    EXPECT_EQ(now.it_value.tv_sec, 0);
    EXPECT_EQ(now.it_value.tv_usec, 0);
    s.x->linger = 1;
    httpd::bound_linger(*s.x);
    ASSERT_EQ(::getitimer(ITIMER_REAL, &now), 0);
    itimerval off{};
    ::setitimer(ITIMER_REAL, &off, nullptr);                    // before its SIGALRM ends the tests
    EXPECT_TRUE(now.it_value.tv_sec == 6 || now.it_value.tv_sec == 7) << now.it_value.tv_sec;
    EXPECT_EQ(now.it_interval.tv_sec, 0);                       // once
}

TEST(Lesson10, ReapChildrenCountsTheEndedOnes) {
    EXPECT_EQ(httpd::reap_children(0, nullptr, 0), 0u);         // nothing to reap, never below 0
    std::int32_t pids[4];
    httpd::init_children(pids, 4);
    for (int i = 0; i < 3; ++i) {
        pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) ::_exit(0);
        httpd::track_child(pids, 4, pid);
    }
    pids[3] = 1;                                                // a slot no child of ours holds
    std::uint64_t left = 3;
    for (int waited = 0; left > 0 && waited < 5000; waited += 10) {
        left = httpd::reap_children(left, pids, 4);
        if (left > 0) ::usleep(10000);
    }
    EXPECT_EQ(left, 0u);
    EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);             // ECHILD: every one was reaped
    EXPECT_EQ(pids[0], 0);                                      // each reaped pid left the table
    EXPECT_EQ(pids[1], 0);
    EXPECT_EQ(pids[2], 0);
    EXPECT_EQ(pids[3], 1);                                      // the rest stays
}

TEST(Lesson10, ChildTableFindsFillsAndFrees) {
    std::int32_t pids[5] = {7, 7, 7, 7, 7};
    httpd::init_children(pids, 4);                              // four slots: the fifth is not ours
    for (int i = 0; i < 4; ++i) EXPECT_EQ(pids[i], 0) << i;
    EXPECT_EQ(pids[4], 7);
    EXPECT_EQ(httpd::child_slot(pids, 4, 0), 0);                // the first free slot
    httpd::track_child(pids, 4, 101);
    httpd::track_child(pids, 4, 102);
    httpd::track_child(pids, 4, 103);
    EXPECT_EQ(httpd::child_slot(pids, 4, 102), 1);
    EXPECT_EQ(httpd::child_slot(pids, 4, 104), -1);             // not there
    EXPECT_EQ(httpd::child_slot(pids, 4, 7), -1);               // beyond the slots: not looked at
    pids[1] = 0;                                                // 102 reaped
    httpd::track_child(pids, 4, 104);
    EXPECT_EQ(pids[1], 104);                                    // the freed slot is reused first
    httpd::track_child(pids, 4, 105);
    httpd::track_child(pids, 4, 106);                           // full: nothing is overwritten
    EXPECT_EQ(pids[0], 101);
    EXPECT_EQ(pids[1], 104);
    EXPECT_EQ(pids[2], 103);
    EXPECT_EQ(pids[3], 105);
    EXPECT_EQ(pids[4], 7);
    EXPECT_EQ(httpd::child_slot(pids, 0, 101), -1);             // no slots: never found
}

TEST(Lesson10, EndChildrenKillsOnlyTheTable) {
    std::int32_t pids[3] = {0, 0, 0};
    pid_t a = ::fork();
    ASSERT_GE(a, 0);
    if (a == 0) { ::pause(); ::_exit(0); }
    pid_t b = ::fork();
    ASSERT_GE(b, 0);
    if (b == 0) { ::usleep(300000); ::_exit(3); }
    pids[1] = a;                                                // a is in the table, b is not
    httpd::end_children(pids, 3);
    EXPECT_EQ(pids[1], 0);                                      // its slot is free
    EXPECT_EQ(::waitpid(a, nullptr, WNOHANG), -1);              // ended and already reaped (ECHILD)
    int st = 0;
    ASSERT_EQ(::waitpid(b, &st, 0), b);
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 3) << st;  // untouched: it ended by itself
}

TEST(Lesson10, ReapChildrenCountsOnlyTheTable) {
    std::int32_t pids[2];
    httpd::init_children(pids, 2);
    pid_t stranger = ::fork();                                  // a child we did not track (a wrapper's tee)
    ASSERT_GE(stranger, 0);
    if (stranger == 0) ::_exit(0);
    std::uint64_t left = 1;
    bool reaped = false;
    for (int waited = 0; !reaped && waited < 5000; waited += 10) {
        ::usleep(10000);
        left = httpd::reap_children(1, pids, 2);               // reaps it once it has ended ...
        EXPECT_EQ(left, 1u);                                    // ... but never counts it
        reaped = ::waitpid(stranger, nullptr, WNOHANG) == -1;   // ECHILD: reap_children took it
    }
    EXPECT_TRUE(reaped);
}

TEST(Lesson10, StopSignalsWaitUntilAsked) {
    int st = in_child([] {
        if (httpd::block_stop_signals() != 0) ::_exit(10);
        if (httpd::stop_requested()) ::_exit(11);              // nothing has come yet
        ::kill(::getpid(), SIGTERM);                           // blocked: it waits, we live on
        if (!httpd::stop_requested()) ::_exit(12);
        ::_exit(0);
    });
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
    st = in_child([] {
        httpd::block_stop_signals();
        ::kill(::getpid(), SIGINT);                            // Ctrl-C
        ::_exit(httpd::stop_requested() ? 0 : 13);
    });
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
    st = in_child([] {
        httpd::block_stop_signals();
        ::kill(::getpid(), SIGUSR1);                           // not a stop: ends the process (default action)
        ::_exit(14);
    });
    EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1) << st;
    st = in_child([] {
        httpd::block_stop_signals();
        pid_t kid = ::fork();                                  // a child inherits the mask
        if (kid == 0) {
            ::kill(::getpid(), SIGTERM);
            ::_exit(httpd::stop_requested() ? 0 : 15);         // it lives on, and sees it pending
        }
        int kst = 0;
        ::waitpid(kid, &kst, 0);
        ::_exit(WIFEXITED(kst) ? WEXITSTATUS(kst) : 16);
    });
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
}

TEST(Lesson10, ShutDownClosesWaitsAndExitsZero) {
    int st = in_child([] {
        int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        std::int32_t pids[2];
        httpd::init_children(pids, 2);
        pid_t kid = ::fork();
        if (kid == 0) { ::usleep(300000); ::_exit(0); }       // finishes well within the grace
        httpd::track_child(pids, 2, kid);
        httpd::shut_down(listener, 1, pids, 2);                // never returns
    });
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
}

TEST(Lesson10, ShutDownEndsStragglersAfterTheGrace) {
    auto t0 = std::chrono::steady_clock::now();
    int st = in_child([] {
        httpd::block_stop_signals();                           // as in the server: children inherit it
        std::int32_t pids[1];
        httpd::init_children(pids, 1);
        pid_t kid = ::fork();
        if (kid == 0) {
            ::kill(::getpid(), SIGTERM);                       // blocked: not the way to end it
            for (;;) ::pause();
        }
        httpd::track_child(pids, 1, kid);
        httpd::shut_down(-1, 1, pids, 1);
    });
    auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
    EXPECT_GE(took, std::chrono::seconds(httpd::kShutdownGraceSeconds));   // it had its grace
    EXPECT_LT(took, std::chrono::seconds(httpd::kShutdownGraceSeconds + 3));   // and no more
}

TEST(Lesson10, AcceptBackoffPausesOnlyForDescriptorShortage) {
    EXPECT_EQ(httpd::accept_backoff(-EMFILE), 1);
    EXPECT_EQ(httpd::accept_backoff(-ENFILE), 1);
    EXPECT_EQ(httpd::accept_backoff(-ECONNABORTED), 0);         // at once
    EXPECT_EQ(httpd::accept_backoff(-EINTR), 0);
    EXPECT_EQ(httpd::accept_backoff(-EAGAIN), 0);
}

// A client that sent `request`, refused as serve_forever refuses one
// (tests/support/refusals.hpp): what it read, and whether its slot was
// freed once it closed.
testsupport::Refused refused(const std::string& request) { return testsupport::refused_cpp(request); }

TEST(Lesson10, RefuseClientAnswers503WithRetryAfter) {
    testsupport::Refused r = refused("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    const std::string& got = r.answer;
    EXPECT_EQ(got.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << got;
    EXPECT_NE(got.find("\r\nRetry-After: 1\r\n"), std::string::npos) << got;
    EXPECT_NE(got.find("\r\nContent-Type: text/html; charset=utf-8\r\n"), std::string::npos) << got;
    std::size_t end = got.find("\r\n\r\n");
    ASSERT_NE(end, std::string::npos);
    EXPECT_NE(got.find("503 Service Unavailable", end), std::string::npos);   // the page
    EXPECT_TRUE(r.freed) << "the client closed: its slot must be free again";
}

TEST(Lesson10, RefuseClientSendsNoBodyToHead) {
    std::string got = refused("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n").answer;
    EXPECT_EQ(got.rfind("HTTP/1.1 503 ", 0), 0u) << got;
    EXPECT_EQ(got.find("\r\n\r\n") + 4, got.size()) << got;    // the head, and nothing after it
}

// A silent client is answered REFUSE_WAIT_MS after it was refused, and
// the parent never waits for it: refuse_client returns at once, and each
// wait_clients at most REFUSE_WAIT_MS later.
TEST(Lesson10, RefuseClientNeverWaitsForTheRequest) {
    httpd::Config cfg;
    httpd::Refusal table[httpd::kRefuseSlots];
    httpd::init_refusals(table);
    Pair p;
    auto t0 = std::chrono::steady_clock::now();
    httpd::refuse_client(p.fd[0], &cfg, table);                 // nothing sent, the client still there
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(httpd::kRefuseWaitMs));
    EXPECT_EQ(table[0].fd, p.fd[0]);                            // parked in the first slot
    EXPECT_EQ(table[0].answered, 0);
    auto t1 = std::chrono::steady_clock::now();
    EXPECT_EQ(httpd::wait_clients(-1, table), 0);               // nothing to accept, nothing from the client
    EXPECT_LT(std::chrono::steady_clock::now() - t1, std::chrono::milliseconds(4 * httpd::kRefuseWaitMs));
    for (int i = 0; i < 10 && table[0].answered == 0; ++i) {
        httpd::wait_clients(-1, table);
        httpd::tend_refusals(table, &cfg);
    }
    EXPECT_EQ(table[0].answered, 1);                            // its time was up: answered
    char buf[16] = {};
    EXPECT_EQ(::read(p.fd[1], buf, 13), 13);
    EXPECT_EQ(std::string(buf), "HTTP/1.1 503 ");               // a GET's answer (nothing told HEAD)
    p.fd[0] = -1;                                               // the table owns it
    ::close(table[0].fd);
}

// A client that never closes is let go REFUSE_LINGER_MS after its 503.
TEST(Lesson10, RefusedClientLingersBoundedly) {
    httpd::Config cfg;
    httpd::Refusal table[httpd::kRefuseSlots];
    httpd::init_refusals(table);
    Pair p;
    std::string req = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    ASSERT_EQ(::write(p.fd[1], req.data(), req.size()), static_cast<ssize_t>(req.size()));
    httpd::refuse_client(p.fd[0], &cfg, table);
    p.fd[0] = -1;                                               // the table owns it
    auto t0 = std::chrono::steady_clock::now();
    while (table[0].fd >= 0 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5)) {
        httpd::wait_clients(-1, table);
        httpd::tend_refusals(table, &cfg);
        if (table[0].answered != 0) (void)::send(p.fd[1], "x", 1, MSG_NOSIGNAL);   // late bytes: read, dropped
    }
    auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_EQ(table[0].fd, -1);                                 // closed ...
    EXPECT_GE(took, std::chrono::milliseconds(httpd::kRefuseLingerMs - 2));   // ... after its linger (now_ms: whole ms)
    EXPECT_LT(took, std::chrono::milliseconds(httpd::kRefuseLingerMs + 1000));   // and not much more
    EXPECT_EQ(read_all(p.fd[1]).rfind("HTTP/1.1 503 ", 0), 0u); // the 503 reached it
}

// A full table: the next refused client is answered and closed at once.
TEST(Lesson10, RefuseClientWithAFullTableAnswersAtOnce) {
    httpd::Config cfg;
    httpd::Refusal table[httpd::kRefuseSlots];
    for (std::size_t i = 0; i < httpd::kRefuseSlots; ++i) table[i] = httpd::Refusal{1000, 0, 0, 0};   // taken
    Pair p;
    std::string req = "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n";
    ASSERT_EQ(::write(p.fd[1], req.data(), req.size()), static_cast<ssize_t>(req.size()));
    httpd::refuse_client(p.fd[0], &cfg, table);
    p.fd[0] = -1;                                               // closed by refuse_client
    std::string got = read_all(p.fd[1]);
    EXPECT_EQ(got.rfind("HTTP/1.1 503 ", 0), 0u) << got;
    EXPECT_EQ(got.find("\r\n\r\n") + 4, got.size()) << got;  // a HEAD: no body
}

}  // namespace
