// harness/server.hpp -- starting and stopping the servers under test.
//
// Each server start gets a fresh copy of the demo site (harness/site/) in a
// temporary directory, with the fixture's docroot changes applied.  The
// server runs in its own process group, so killing the group also kills
// the children it forked; the harness kills every group it created on
// every way out (normal end, exception, Ctrl-C).  When the harness runs as
// root (CI does), servers run as user nobody: otherwise a mode-0000 file
// would still be readable and "403 for an unreadable file" would test
// nothing.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "fixture.hpp"

namespace harness {

// One implementation from the command line: --server cpp=build/lesson-03/httpd-cpp
struct Implementation {
    std::string label;                  // "cpp"
    std::string command;                // as given
    std::vector<std::string> argv;      // what is executed (qemu-aarch64 prepended, binary copied)
    bool emulated = false;              // runs under qemu-aarch64
};

// True when `path` is an ELF file for aarch64 (e_machine 183) and this
// machine is not aarch64: it has to run under qemu-aarch64.  Decided from
// the file's bytes, never from its name.
bool needs_qemu(const std::string& path);

// The run's temporary directory (/tmp/metal-harness.XXXXXX): copies of the
// site and of the server binaries.  Removed by the destructor (and by the
// signal handler).
class Workspace {
public:
    Workspace();
    ~Workspace();
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;
    const std::string& path() const { return path_; }
    // A new, empty, uniquely named directory inside the workspace.
    std::string new_dir(const std::string& prefix);

private:
    std::string path_;
};

// True when servers are started as nobody (the harness runs as root).
bool dropping_privileges();

// Splits the command, adds qemu-aarch64 when needed and, when running as
// root, copies the binary into the workspace so nobody can execute it.
Implementation resolve_implementation(const std::string& label, const std::string& command, Workspace& ws);

// The file every prepared docroot has right outside it, as its sibling:
// DEST/../secret.txt.  No request may ever get these bytes back (lesson 06
// and its traversal fixtures); lesson 05's server still hands them out.
inline constexpr const char* kOutsideName = "secret.txt";
inline constexpr const char* kOutsideContent = "TOP SECRET: outside the docroot\n";

// Copies `site` (cp -a semantics: symlinks stay symlinks, modes and mtimes
// kept) to `dest`, applies the changes, writes kOutsideName next to `dest`
// (in its parent directory, which must be the server's own), and hands
// the copy to nobody when dropping privileges.  Throws std::runtime_error
// with a readable message.
void prepare_docroot(const std::string& site, const std::string& dest, const std::vector<DocrootChange>& changes);

// "exit status 2", "killed by signal 11 (Segmentation fault)".
std::string describe_wait_status(int status);

// A running server.
class Server {
public:
    Server() = default;
    ~Server() { stop(); }
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Starts IMPL [flags] 0 DOCROOT and waits (up to timeout_ms) for the
    // "listening on http://127.0.0.1:PORT/" line.  On failure returns false
    // and error() explains, with the server's stderr and exit status.
    bool start(const Implementation& impl, const std::vector<std::string>& flags, const std::string& docroot,
               const std::string& log_dir, int timeout_ms = 10000);
    // Kills the whole process group (SIGKILL) and reaps the server.
    void stop();
    // True while the server process has not exited (reaps it if it has).
    bool alive();
    // Waits up to timeout_ms for the server to exit (a "signal" fixture):
    // true once it has, and exit_description() / wait_status() say how.
    bool wait_exit(int timeout_ms);
    int wait_status() const { return wait_status_; }

    int port() const { return port_; }
    pid_t pid() const { return pid_; }
    const std::string& docroot() const { return docroot_; }
    const std::string& error() const { return error_; }
    // How it ended ("killed by signal 11 ..."), once alive() returned false.
    std::string exit_description() const { return describe_wait_status(wait_status_); }
    // What it wrote to stderr so far (the last few KB).
    std::string stderr_tail() const;
    // Everything the server wrote to stdout so far (a file: the server
    // never blocks on it, however much it writes).
    std::string stdout_text() const;
    // The command line a student can paste to start the same server.
    std::string command_line() const { return command_line_; }

private:
    pid_t pid_ = -1;
    int port_ = 0;
    bool exited_ = false;
    int wait_status_ = 0;
    std::string docroot_, out_path_, err_path_, error_, command_line_;
};

// Children of `pid`: every one, or only the zombies (state Z: exited but
// never reaped).
int count_children(pid_t pid, bool zombies_only);
inline int count_zombies(pid_t pid) { return count_children(pid, true); }

// "limit" fixtures: lower a running server's limit (RLIMIT_NOFILE to the
// lowest descriptor number it does not use -- its next accept fails with
// EMFILE; RLIMIT_NPROC to 1 -- its next fork fails with EAGAIN) and put
// it back.  Linux only (prlimit): can_limit_running_server() says whether
// this harness can; elsewhere such fixtures are skipped.
bool can_limit_running_server();
bool lower_limit(pid_t pid, const std::string& resource, struct rlimit& old, std::string& error);
void restore_limit(pid_t pid, const std::string& resource, const struct rlimit& old);
// The CPU time pid (all its threads) has used, in clock ticks (-1 where
// unknown), and the ticks per second.
long cpu_ticks(pid_t pid);
long cpu_ticks_per_second();

// A program run for a "run" fixture (lesson 00): its output and exit.
struct RunResult {
    bool started = false;
    std::string out, err;
    int wait_status = 0;
    bool timed_out = false;
    std::string error;
};
RunResult run_program(const Implementation& impl, const std::vector<std::string>& args, const std::string& log_dir,
                      int timeout_ms);

// Called by the signal handler: SIGKILL every process group we started and
// remove the workspace.  Async-signal-safe.
void emergency_cleanup();

}  // namespace harness
