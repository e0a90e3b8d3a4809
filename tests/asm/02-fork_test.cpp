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
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

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
