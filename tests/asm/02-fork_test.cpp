// tests/asm/02-fork_test.cpp -- lesson 02: the assembly fork_connection
// against the lesson's rules (lessons/02-fork/README.md) and its C++ twin:
// the child runs the handler and exits 0, the parent closes its copy of
// the connection, SIGCHLD ignored leaves no zombie.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <string>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../support/callee_saved.hpp"
#include "../support/support.hpp"
#include "02-fork.hpp"
#include "api.h"

namespace {

using testsupport::connect_to;
using testsupport::read_all;

// The handler the children run: C calling convention, callable from asm.
extern "C" void answer_docroot_c(int conn, const struct config* cfg) {
    httpd::write_str(conn, "docroot=");
    httpd::write_str(conn, cfg->docroot);
}
void answer_docroot_cpp(int conn, const httpd::Config* cfg) {
    httpd::write_str(conn, "docroot=");
    httpd::write_str(conn, cfg->docroot);
}

// One run of a fork_connection (asm or C++): what the client read, the
// child's exit status, and whether the parent's copy was closed.
struct Outcome {
    std::string got;
    int exit_status = -1;
    bool parent_closed = false;
    bool listener_still_accepts = false;
};

template <class Fork>
Outcome run(Fork&& fork_it) {
    Outcome o;
    httpd::Fd listener(static_cast<int>(httpd::open_listener(0)));
    int port = httpd::listening_port(listener.get());
    httpd::Fd client(connect_to(port));
    int conn = static_cast<int>(httpd::accept_client(listener.get()));
    if (!client.valid() || conn < 0) return o;
    std::int64_t pid = fork_it(listener.get(), conn);
    if (pid <= 0) return o;
    errno = 0;
    o.parent_closed = ::fcntl(conn, F_GETFD) == -1 && errno == EBADF;
    o.got = read_all(client.get());   // EOF only once both copies are closed
    int status = 0;
    if (::waitpid(static_cast<pid_t>(pid), &status, 0) == pid && WIFEXITED(status)) o.exit_status = WEXITSTATUS(status);
    httpd::Fd second(connect_to(port));
    o.listener_still_accepts = second.valid();
    return o;
}

}  // namespace

TEST(Lesson02Asm, ForkConnectionAgrees) {
    struct config acfg {8080, "/a/root", -1, 0, nullptr, -1, nullptr, nullptr, DEADLINE_DEFAULT, CHILD_LIMIT_DEFAULT};
    httpd::Config ccfg;
    ccfg.docroot = "/a/root";
    Outcome a = run([&](int listener, int conn) { return fork_connection(listener, conn, answer_docroot_c, &acfg); });
    Outcome c = run([&](int listener, int conn) {
        return httpd::fork_connection(listener, conn, answer_docroot_cpp, &ccfg);
    });
    EXPECT_EQ(a.got, "docroot=/a/root");
    EXPECT_EQ(a.exit_status, 0);
    EXPECT_TRUE(a.parent_closed);
    EXPECT_TRUE(a.listener_still_accepts);
    EXPECT_EQ(a.got, c.got);
    EXPECT_EQ(a.exit_status, c.exit_status);
    EXPECT_EQ(a.parent_closed, c.parent_closed);
}

// POSIX: with SIGCHLD ignored the kernel reaps exited children at once;
// waitpid then fails with ECHILD.
TEST(Lesson02Asm, IgnoredSigchldLeavesNoZombie) {
    struct sigaction old {};
    ASSERT_EQ(::sigaction(SIGCHLD, nullptr, &old), 0);
    ASSERT_EQ(ignore_signal(SIGCHLD), 0);
    httpd::Fd listener(static_cast<int>(open_listener(0)));
    int port = listening_port(listener.get());
    httpd::Fd client(connect_to(port));
    std::int64_t conn = accept_client(listener.get());
    ASSERT_GE(conn, 0);
    struct config cfg {0, ".", -1, 0, nullptr, -1, nullptr, nullptr, DEADLINE_DEFAULT, CHILD_LIMIT_DEFAULT};
    std::int64_t pid = fork_connection(listener.get(), static_cast<int>(conn), answer_docroot_c, &cfg);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(read_all(client.get()), "docroot=.");
    EXPECT_TRUE(testsupport::reaped_without_zombie(static_cast<pid_t>(pid), std::chrono::milliseconds(3000)));
    ::sigaction(SIGCHLD, &old, nullptr);
}

// ---------------------------------------------------------------------------
// What the child does and what the parent gets back, seen from inside: the
// child's descriptors, its exit status, the caller's callee-saved
// registers, and the path where fork fails.
// ---------------------------------------------------------------------------
namespace {

int g_listener = -1;   // the listener's number, for the handlers (they run in the child)

// True when fd is no longer open in this process.
bool closed(int fd) {
    errno = 0;
    return ::fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

// The handler says whether the listener is still open in the child -- and
// returns 7 in x0/w0, so a child that exits with the handler's x0 in
// place of 0 shows (fork_connection takes a void handler; from the
// assembly's side the call is the same, only x0 differs).
extern "C" int report_listener_c(int conn, const struct config*) {
    httpd::write_str(conn, closed(g_listener) ? "listener closed" : "listener open");
    return 7;
}
void report_listener_cpp(int conn, const httpd::Config*) {
    httpd::write_str(conn, closed(g_listener) ? "listener closed" : "listener open");
}

}  // namespace

// Lesson 02's rule (lessons/02-fork/README.md, fork_connection step 2):
// the child closes the listener -- it never accepts -- runs the handler
// and exits with status 0, whatever the handler left in x0.
TEST(Lesson02Asm, ChildClosesTheListenerAndExitsZero) {
    struct config acfg {0, "/", -1, 0, nullptr, -1, nullptr, nullptr, DEADLINE_DEFAULT, CHILD_LIMIT_DEFAULT};
    httpd::Config ccfg;
    // (through void (*)(void), the generic function pointer type: no warning)
    auto handler = reinterpret_cast<connection_handler>(reinterpret_cast<void (*)()>(&report_listener_c));
    Outcome a = run([&](int listener, int conn) {
        g_listener = listener;
        return fork_connection(listener, conn, handler, &acfg);
    });
    Outcome c = run([&](int listener, int conn) {
        g_listener = listener;
        return httpd::fork_connection(listener, conn, report_listener_cpp, &ccfg);
    });
    EXPECT_EQ(a.got, "listener closed");
    EXPECT_EQ(a.exit_status, 0) << "the child's exit status is 0, not what the handler left in x0";
    EXPECT_EQ(a.got, c.got);
    EXPECT_EQ(a.exit_status, c.exit_status);
    EXPECT_TRUE(a.listener_still_accepts);   // the parent's listener is its own
}

// AAPCS64: x19..x28 come back as the caller left them -- the parent's
// return, the one a caller sees.
TEST(Lesson02Asm, ForkConnectionKeepsCalleeSavedRegisters) {
    struct config cfg {0, "/kept", -1, 0, nullptr, -1, nullptr, nullptr, DEADLINE_DEFAULT, CHILD_LIMIT_DEFAULT};
    Outcome o = run([&](int listener, int conn) {
        testsupport::CalleeSavedRun r =
            testsupport::call_checking_callee_saved(&fork_connection, listener, conn, &answer_docroot_c, &cfg);
        EXPECT_EQ(r.problems, "") << "fork_connection, the parent's return";
        return r.result;
    });
    EXPECT_EQ(o.got, "docroot=/kept");
    EXPECT_EQ(o.exit_status, 0);
    EXPECT_TRUE(o.parent_closed);
}

// Lesson 02's rule (step 4): when fork fails -- EAGAIN, too many
// processes -- fork_connection closes conn (the client sees the
// connection end, no answer) and returns -errno; the listener stays.
// The fork is made to fail in a child process of the test that may start
// no process at all: RLIMIT_NPROC 0 (root is exempt from that limit, so
// that child first becomes nobody).  Both versions, the same result.
TEST(Lesson02Asm, ForkFailureClosesTheConnectionAndReturnsMinusErrno) {
    int report[2];
    ASSERT_EQ(::pipe(report), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::close(report[0]);
        std::string said;
        httpd::Fd listener(static_cast<int>(httpd::open_listener(0)));
        int port = httpd::listening_port(listener.get());
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) said = "skip: cannot leave root";
        struct rlimit lim {};
        ::getrlimit(RLIMIT_NPROC, &lim);
        lim.rlim_cur = 0;
        if (said.empty() && ::setrlimit(RLIMIT_NPROC, &lim) != 0) said = "skip: cannot set RLIMIT_NPROC";
        struct config acfg {0, "/", -1, 0, nullptr, -1, nullptr, nullptr, DEADLINE_DEFAULT, CHILD_LIMIT_DEFAULT};
        httpd::Config ccfg;
        for (int lang = 0; lang < 2 && said.rfind("skip: ", 0) != 0; ++lang) {   // 0: asm, 1: C++
            httpd::Fd client(connect_to(port));
            int conn = static_cast<int>(httpd::accept_client(listener.get()));
            std::int64_t r;
            std::string problems;
            if (lang == 0) {
                testsupport::CalleeSavedRun run =
                    testsupport::call_checking_callee_saved(&fork_connection, listener.get(), conn, &answer_docroot_c, &acfg);
                r = run.result;
                problems = run.problems;
            } else {
                r = httpd::fork_connection(listener.get(), conn, answer_docroot_cpp, &ccfg);
            }
            bool conn_closed = closed(conn);
            if (!conn_closed) ::close(conn);
            ::shutdown(client.get(), SHUT_WR);
            said += std::string(lang == 0 ? "asm" : "cpp") + ": result " + std::to_string(r) + ", conn " +
                    (conn_closed ? "closed" : "open") + ", client read \"" + read_all(client.get()) + "\", listener " +
                    (closed(listener.get()) ? "closed" : "open") + (problems.empty() ? "" : ", " + problems) + "\n";
        }
        (void)!::write(report[1], said.data(), said.size());
        ::_exit(0);
    }
    ::close(report[1]);
    std::string said = read_all(report[0]);
    ::close(report[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    if (said.rfind("skip: ", 0) == 0) GTEST_SKIP() << said;
    std::string want = ": result " + std::to_string(-EAGAIN) + ", conn closed, client read \"\", listener open\n";
    EXPECT_EQ(said, "asm" + want + "cpp" + want);
}
