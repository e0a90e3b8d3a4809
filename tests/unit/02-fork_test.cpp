// tests/unit/02-fork_test.cpp -- lesson 02: fork_connection.  The rules
// (lessons/02-fork/README.md): the child answers and exits with status 0;
// the parent closes its copy of the connection at once (so the client
// sees EOF when the child is done); with SIGCHLD ignored no zombie stays.
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

namespace {

using testsupport::connect_to;
using testsupport::read_all;

// What the test's child does with the connection: say which docroot it got.
void answer_docroot(int conn, const httpd::Config* cfg) {
    httpd::write_str(conn, "docroot=");
    httpd::write_str(conn, cfg->docroot);
}

struct Connected {
    httpd::Fd listener, client;
    int conn = -1;
};

Connected connected() {
    Connected s;
    s.listener = httpd::Fd(static_cast<int>(httpd::open_listener(0)));
    int port = httpd::listening_port(s.listener.get());
    s.client = httpd::Fd(connect_to(port));
    s.conn = static_cast<int>(httpd::accept_client(s.listener.get()));
    return s;
}

}  // namespace

TEST(Lesson02, ChildAnswersParentClosesItsCopy) {
    Connected s = connected();
    ASSERT_TRUE(s.client.valid());
    ASSERT_GE(s.conn, 0);
    httpd::Config cfg;
    cfg.docroot = "/some/root";
    std::int64_t pid = httpd::fork_connection(s.listener.get(), s.conn, answer_docroot, &cfg);
    ASSERT_GT(pid, 0);
    // the parent's copy is closed already
    errno = 0;
    EXPECT_EQ(::fcntl(s.conn, F_GETFD), -1);
    EXPECT_EQ(errno, EBADF);
    // EOF arrives only when every copy is closed: the child's by exit, ours above
    EXPECT_EQ(read_all(s.client.get()), "docroot=/some/root");
    int status = 0;
    ASSERT_EQ(::waitpid(static_cast<pid_t>(pid), &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    // the parent still listens: a second client is accepted
    int port = httpd::listening_port(s.listener.get());
    httpd::Fd second(connect_to(port));
    EXPECT_TRUE(second.valid());
}

// POSIX: with SIGCHLD set to SIG_IGN, children that exit do not become
// zombies; waitpid then fails with ECHILD.
TEST(Lesson02, IgnoredSigchldLeavesNoZombie) {
    struct sigaction old {};
    ASSERT_EQ(::sigaction(SIGCHLD, nullptr, &old), 0);
    ASSERT_EQ(httpd::ignore_signal(SIGCHLD), 0);
    Connected s = connected();
    ASSERT_GE(s.conn, 0);
    httpd::Config cfg;
    std::int64_t pid = httpd::fork_connection(s.listener.get(), s.conn, answer_docroot, &cfg);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(read_all(s.client.get()), "docroot=.");
    EXPECT_TRUE(testsupport::reaped_without_zombie(static_cast<pid_t>(pid), std::chrono::milliseconds(2000)));
    ::sigaction(SIGCHLD, &old, nullptr);
}
