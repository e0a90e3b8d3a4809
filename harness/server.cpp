// harness/server.cpp -- see server.hpp.
#include "server.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "tree.hpp"
#include "util.hpp"

namespace harness {

namespace fs = std::filesystem;

// --- process groups and the workspace, for emergency cleanup ---------------
namespace {
// Process groups we created; 0 = free slot.  Plain atomics so the signal
// handler can read them without locks.
std::array<std::atomic<pid_t>, 512> g_groups{};
// The workspace path for the signal handler (written once, before any
// server starts).
char g_workspace[256] = {};

void register_group(pid_t pg) {
    for (auto& slot : g_groups) {
        pid_t expected = 0;
        if (slot.compare_exchange_strong(expected, pg)) return;
    }
}
void unregister_group(pid_t pg) {
    for (auto& slot : g_groups) {
        pid_t expected = pg;
        if (slot.compare_exchange_strong(expected, 0)) return;
    }
}

// Who "nobody" is, looked up once.
struct Nobody {
    bool drop = false;
    uid_t uid = 0;
    gid_t gid = 0;
};
const Nobody& nobody() {
    static const Nobody n = [] {
        Nobody r;
        if (::geteuid() != 0) return r;
        if (passwd* pw = ::getpwnam("nobody")) {
            r.drop = true;
            r.uid = pw->pw_uid;
            r.gid = pw->pw_gid;
        }
        return r;
    }();
    return n;
}

// fork + exec with stdout/stderr going to files, in a new process group,
// as nobody when the harness is root.  Returns the pid (or -1, errno).
pid_t spawn(const std::vector<std::string>& argv, const std::string& out_path, const std::string& err_path) {
    // Everything the child needs is prepared before fork: after fork only
    // async-signal-safe calls are allowed (other threads may hold locks).
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || err < 0 || devnull < 0) return -1;
    const Nobody& who = nobody();
    pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);   // its own group: killpg reaches its children too
        ::dup2(devnull, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        // No descriptor of ours (client sockets of other threads!) may leak
        // into the server, or our close() would not close the connection.
        for (int fd = 3; fd < 1024; ++fd) ::close(fd);
        ::signal(SIGPIPE, SIG_DFL);
        if (who.drop) {
            gid_t g = who.gid;
            if (::setgroups(1, &g) != 0 || ::setgid(who.gid) != 0 || ::setuid(who.uid) != 0) {
                const char msg[] = "harness: could not become nobody\n";
                (void)!::write(2, msg, sizeof msg - 1);
                ::_exit(126);
            }
        }
        ::execv(args[0], args.data());
        const char msg[] = "harness: exec failed\n";
        (void)!::write(2, msg, sizeof msg - 1);
        ::_exit(127);
    }
    int saved = errno;
    ::close(out);
    ::close(err);
    ::close(devnull);
    if (pid > 0) {
        ::setpgid(pid, pid);   // also from the parent: no race with killpg
        register_group(pid);
    }
    errno = saved;
    return pid;
}

// Kills a group we started and reaps its leader.
void kill_group(pid_t pid, bool reap) {
    ::killpg(pid, SIGKILL);
    if (reap) {
        int st;
        while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        }
    }
    unregister_group(pid);
}

// Finds a program in PATH (for qemu-aarch64 and bare command names).
std::string find_in_path(const std::string& name) {
    if (name.find('/') != std::string::npos) return name;
    const char* path = std::getenv("PATH");
    std::string p = path ? path : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    while (start <= p.size()) {
        size_t end = p.find(':', start);
        if (end == std::string::npos) end = p.size();
        std::string cand = p.substr(start, end - start) + "/" + name;
        if (::access(cand.c_str(), X_OK) == 0) return cand;
        start = end + 1;
    }
    return name;
}

std::string tail_of_file(const std::string& path, size_t max) {
    std::string s;
    read_file(path, s);
    if (s.size() > max) s = "..." + s.substr(s.size() - max);
    return s;
}
}  // namespace

void emergency_cleanup() {
    for (auto& slot : g_groups) {
        pid_t pg = slot.load();
        if (pg > 0) ::killpg(pg, SIGKILL);
    }
    if (g_workspace[0]) {
        // rm -rf in a child: there is no async-signal-safe recursive delete.
        pid_t pid = ::fork();
        if (pid == 0) {
            ::execl("/bin/rm", "rm", "-rf", g_workspace, static_cast<char*>(nullptr));
            ::_exit(127);
        }
        if (pid > 0) ::waitpid(pid, nullptr, 0);
    }
}

bool dropping_privileges() { return nobody().drop; }

bool needs_qemu(const std::string& path) {
    utsname u{};
    if (::uname(&u) == 0 && std::string(u.machine) == "aarch64") return false;
    std::ifstream in(path, std::ios::binary);
    unsigned char h[20] = {};
    if (!in.read(reinterpret_cast<char*>(h), sizeof h)) return false;
    if (h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') return false;
    // e_machine: 2 bytes at offset 18, in the file's byte order (EI_DATA).
    int machine = h[5] == 2 ? (h[18] << 8 | h[19]) : (h[19] << 8 | h[18]);
    return machine == 183;   // EM_AARCH64
}

// --- workspace ---------------------------------------------------------------
Workspace::Workspace() {
    char tmpl[] = "/tmp/metal-harness.XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    path_ = tmpl;
    // mkdtemp makes it 0700: nobody could not even reach the docroots.
    ::chmod(tmpl, 0755);
    std::snprintf(g_workspace, sizeof g_workspace, "%s", tmpl);
}

Workspace::~Workspace() {
    g_workspace[0] = 0;
    // One name at a time (a docroot may hold paths longer than macOS
    // accepts), mode-0000 directories opened up on the way.
    tree::remove_tree(path_);
}

std::string Workspace::new_dir(const std::string& prefix) {
    static std::atomic<int> counter{0};
    std::string p = path_ + "/" + prefix + "-" + std::to_string(++counter);
    fs::create_directories(p);
    ::chmod(p.c_str(), 0755);
    return p;
}

// --- implementations ---------------------------------------------------------
Implementation resolve_implementation(const std::string& label, const std::string& command, Workspace& ws) {
    Implementation impl;
    impl.label = label;
    impl.command = command;
    std::vector<std::string> words = split_words(command);
    if (words.empty()) throw std::runtime_error("--server " + label + "= has an empty command");
    std::string bindir;
    for (size_t i = 0; i < words.size(); ++i) {
        std::string w = i == 0 ? find_in_path(words[i]) : words[i];
        struct stat st {};
        bool is_file = w.find('/') != std::string::npos && ::stat(w.c_str(), &st) == 0 && S_ISREG(st.st_mode);
        if (i == 0 && !is_file) throw std::runtime_error("--server " + label + ": cannot find the program '" + words[0] + "'");
        if (i == 0 && needs_qemu(w)) {
            impl.emulated = true;
            impl.argv.push_back(find_in_path("qemu-aarch64"));
        }
        if (is_file && dropping_privileges()) {
            // build/ may sit under a 0700 home directory: nobody needs its own copy.
            if (bindir.empty()) bindir = ws.new_dir("bin-" + label);
            std::string copy = bindir + "/" + fs::path(w).filename().string();
            fs::copy_file(w, copy, fs::copy_options::overwrite_existing);
            ::chmod(copy.c_str(), 0755);
            w = copy;
        }
        impl.argv.push_back(w);
    }
    return impl;
}

// --- docroot -----------------------------------------------------------------
// Everything below the docroot is reached one name at a time from a
// directory descriptor (harness/tree.hpp): a fixture's path may be longer
// than the 1,024 bytes macOS accepts in one system call.
namespace {

void apply_change(int root, const DocrootChange& c) {
    auto fail = [&](const std::string& what) {
        throw std::runtime_error("docroot change '" + c.path + "': " + what + ": " + std::strerror(errno));
    };
    std::string last;
    tree::Fd dir = tree::open_parent(root, c.path, !c.absent, last);
    if (c.absent) {
        if (dir.ok() && !last.empty()) tree::remove_at(dir.get(), last);
        return;
    }
    if (last.empty()) fail("names the docroot itself");
    const char* name = last.c_str();
    struct stat st {};
    bool is_link = ::fstatat(dir.get(), name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
    if (c.symlink) {
        ::unlinkat(dir.get(), name, 0);
        if (::symlinkat(c.symlink->c_str(), dir.get(), name) != 0) fail("symlink");
        return;
    }
    if (c.many) {
        if (::mkdirat(dir.get(), name, 0755) != 0 && errno != EEXIST) fail("mkdir");
        tree::Fd many(::openat(dir.get(), name, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!many.ok()) fail("open");
        for (uint64_t i = 0; i < c.many->count; ++i) {
            std::string file = c.many->name(i);
            tree::Fd fd(::openat(many.get(), file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
            if (!fd.ok()) fail("open " + file);
            const std::string& s = c.many->content;
            if (!s.empty() && ::write(fd.get(), s.data(), s.size()) != static_cast<ssize_t>(s.size())) fail("write " + file);
        }
    } else if (c.dir) {
        if (::mkdirat(dir.get(), name, 0755) != 0 && errno != EEXIST) fail("mkdir");
    } else if (c.content || c.size) {
        if (is_link) ::unlinkat(dir.get(), name, 0);
        tree::Fd fd(::openat(dir.get(), name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (!fd.ok()) fail("open");
        if (c.content) {
            const std::string& s = *c.content;
            if (!s.empty() && ::write(fd.get(), s.data(), s.size()) != static_cast<ssize_t>(s.size())) fail("write");
        } else if (::ftruncate(fd.get(), static_cast<off_t>(*c.size)) != 0) {   // sparse: no disk blocks used
            fail("ftruncate");
        }
    }
    if (c.mode && ::fchmodat(dir.get(), name, *c.mode, 0) != 0) fail("chmod");
    if (c.mtime) {   // last: writing the content would move it (lesson 11's Last-Modified)
        struct timespec times[2] = {{0, UTIME_OMIT}, {static_cast<time_t>(*c.mtime), 0}};   // atime kept
        if (::utimensat(dir.get(), name, times, AT_SYMLINK_NOFOLLOW) != 0) fail("set mtime");
    }
}

// lchown of every name on the way from the docroot to the change's path
// (the directories it made), one name at a time.
void chown_path(int root, const std::string& rel, uid_t uid, gid_t gid) {
    tree::Fd dir(::openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    size_t i = 0;
    while (dir.ok() && i < rel.size()) {
        size_t j = rel.find('/', i);
        if (j == std::string::npos) j = rel.size();
        std::string n = rel.substr(i, j - i);
        i = j + 1;
        if (n.empty() || n == ".") continue;
        ::fchownat(dir.get(), n.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW);
        dir = tree::Fd(::openat(dir.get(), n.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
    }
}

// The secret just outside the docroot (see kOutsideName), readable by
// anyone: only the server's rules may keep it from a client.
void write_outside_secret(int parent) {
    tree::Fd fd(::openat(parent, kOutsideName, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    std::string content = kOutsideContent;
    bool ok = fd.ok() && ::write(fd.get(), content.data(), content.size()) == static_cast<ssize_t>(content.size());
    if (!ok) throw std::runtime_error(std::string("writing ") + kOutsideName + ": " + std::strerror(errno));
    ::fchmodat(parent, kOutsideName, 0644, 0);
}
}  // namespace

void prepare_docroot(const std::string& site, const std::string& dest, const std::vector<DocrootChange>& changes) {
    fs::path docroot = fs::absolute(fs::path(dest)).lexically_normal();
    if (!docroot.has_filename()) docroot = docroot.parent_path();   // "x/site/" is "x/site"
    std::string name = docroot.filename().string();
    tree::Fd parent = tree::open_dir(docroot.parent_path().string());
    {
        tree::Fd from = tree::open_dir(site);
        tree::copy_tree_at(from.get(), parent.get(), name);
    }
    ::fchmodat(parent.get(), name.c_str(), 0755, 0);
    write_outside_secret(parent.get());
    // chown first, so chmod 0000 in a change applies to nobody's file.
    if (dropping_privileges()) tree::chown_tree_at(parent.get(), name, nobody().uid, nobody().gid);
    tree::Fd root(::openat(parent.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root.ok()) throw std::runtime_error("preparing the docroot: open " + docroot.string() + ": " + std::strerror(errno));
    for (const auto& c : changes) {
        apply_change(root.get(), c);
        if (dropping_privileges()) chown_path(root.get(), c.path, nobody().uid, nobody().gid);
    }
}

std::string describe_wait_status(int status) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + ::strsignal(WTERMSIG(status)) + ")";
    return "status " + std::to_string(status);
}

// A flag may name a path inside the server's fresh docroot: "{docroot}"
// at its start stands for it ("-e", "{docroot}/errors").
std::string with_docroot(const std::string& flag, const std::string& docroot) {
    return flag.rfind("{docroot}", 0) == 0 ? docroot + flag.substr(9) : flag;
}

// --- Server -----------------------------------------------------------------
bool Server::start(const Implementation& impl, const std::vector<std::string>& flags, const std::string& docroot,
                   const std::string& log_dir, int timeout_ms) {
    docroot_ = docroot;
    out_path_ = log_dir + "/stdout";
    err_path_ = log_dir + "/stderr";
    std::vector<std::string> argv = impl.argv;
    for (const auto& f : flags) argv.push_back(with_docroot(f, docroot));
    argv.push_back("0");   // port 0: the kernel picks a free port
    argv.push_back(docroot);
    // What a student would type: the command as given on our command line.
    command_line_ = impl.emulated && impl.command.find("qemu") == std::string::npos ? "qemu-aarch64 " : "";
    command_line_ += impl.command;
    for (const auto& f : flags)
        command_line_ += " " + (f.rfind("{docroot}", 0) == 0 ? "\"$site\"" + shell_quote(f.substr(9)) : shell_quote(f));

    pid_ = spawn(argv, out_path_, err_path_);
    if (pid_ < 0) {
        error_ = std::string("could not start the server: ") + std::strerror(errno);
        return false;
    }
    // Wait for "listening on http://127.0.0.1:PORT/" (the contract's one line).
    static const std::regex line_re(R"(listening on http://127\.0\.0\.1:([0-9]+)/)");
    long deadline = now_ms() + timeout_ms;
    while (now_ms() < deadline) {
        std::string out;
        read_file(out_path_, out);
        size_t nl = out.find('\n');
        if (nl != std::string::npos) {
            std::smatch m;
            std::string first = out.substr(0, nl);
            if (std::regex_match(first, m, line_re)) {
                port_ = std::stoi(m[1]);
                if (port_ > 0 && port_ < 65536) return true;
            }
            error_ = "the server's first line on stdout is \"" + escape(first) +
                     "\", not \"listening on http://127.0.0.1:PORT/\"";
            stop();
            return false;
        }
        if (!alive()) {
            error_ = "the server exited before printing \"listening on ...\" (" + exit_description() + ")";
            if (!out.empty()) error_ += "\n  its stdout: " + escape(out);
            error_ += "\n  its stderr: " + escape(stderr_tail());
            stop();
            return false;
        }
        sleep_ms(5);
    }
    error_ = "no \"listening on http://127.0.0.1:PORT/\" line on stdout within " + std::to_string(timeout_ms / 1000) +
             " s (forgot to flush?)\n  its stderr: " + escape(stderr_tail());
    stop();
    return false;
}

bool Server::alive() {
    if (pid_ < 0 || exited_) return false;
    int st = 0;
    pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
        exited_ = true;
        wait_status_ = st;
        return false;
    }
    return true;
}

void Server::stop() {
    if (pid_ < 0) return;
    kill_group(pid_, !exited_);
    exited_ = true;
    pid_ = -1;
}

std::string Server::stderr_tail() const { return tail_of_file(err_path_, 2000); }

bool Server::wait_exit(int timeout_ms) {
    for (int waited = 0; alive(); waited += 10) {
        if (waited >= timeout_ms) return false;
        sleep_ms(10);
    }
    return exited_;
}

// --- limits of a running server ("limit" fixtures) -------------------------
#ifdef __linux__
namespace {
// The lowest descriptor number pid does not use: the next one it gets.
int lowest_free_fd(pid_t pid) {
    std::set<int> used;
    DIR* d = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
    if (!d) return -1;
    while (dirent* e = ::readdir(d))
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9') used.insert(std::atoi(e->d_name));
    ::closedir(d);
    int fd = 0;
    while (used.count(fd)) ++fd;
    return fd;
}
int resource_of(const std::string& resource) { return resource == "processes" ? RLIMIT_NPROC : RLIMIT_NOFILE; }

// Reads exactly n bytes from fd (a pipe): false at its end or on an error.
bool read_exactly(int fd, void* buf, size_t n) {
    char* p = static_cast<char*>(buf);
    while (n > 0) {
        ssize_t r = ::read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return false;
        p += r;
        n -= static_cast<size_t>(r);
    }
    return true;
}

// Sets pid's soft limit of res to soft (keeping its hard limit) and
// returns 0 or an errno, the limit before in *old.  prlimit on another
// user's process needs CAP_SYS_RESOURCE, which root in a container may
// lack: so the call is made by a short-lived child with the server's own
// user and group (nobody when dropping privileges).
int set_soft_limit(pid_t pid, int res, rlim_t soft, struct rlimit* old) {
    int p[2];
    if (::pipe(p) != 0) return errno;
    const Nobody& who = nobody();
    pid_t c = ::fork();
    if (c == 0) {   // only system calls from here on (other threads may hold locks)
        ::close(p[0]);
        int err = 0;
        struct rlimit before{}, now{};
        if (who.drop) {
            gid_t g = who.gid;
            if (::setgroups(1, &g) != 0 || ::setgid(who.gid) != 0 || ::setuid(who.uid) != 0) err = errno;
        }
        if (err == 0 && ::prlimit(pid, static_cast<__rlimit_resource>(res), nullptr, &before) != 0) err = errno;
        now.rlim_cur = soft;
        now.rlim_max = before.rlim_max;
        if (err == 0 && ::prlimit(pid, static_cast<__rlimit_resource>(res), &now, nullptr) != 0) err = errno;
        (void)!::write(p[1], &before, sizeof before);
        (void)!::write(p[1], &err, sizeof err);
        ::_exit(0);
    }
    ::close(p[1]);
    int err = c < 0 ? errno : EIO;
    if (c > 0) {
        struct rlimit before{};
        if (read_exactly(p[0], &before, sizeof before) && read_exactly(p[0], &err, sizeof err)) *old = before;
        int st;
        while (::waitpid(c, &st, 0) < 0 && errno == EINTR) {
        }
    }
    ::close(p[0]);
    return err;
}
}  // namespace
#endif

bool can_limit_running_server() {
#ifdef __linux__
    return true;
#else
    return false;
#endif
}

bool lower_limit(pid_t pid, const std::string& resource, struct rlimit& old, std::string& error) {
#ifdef __linux__
    rlim_t soft = 1;   // processes: it already has one (itself), so every fork fails
    if (resource == "descriptors") {
        int fd = lowest_free_fd(pid);   // EMFILE comes when the lowest free number reaches the limit
        if (fd < 0) {
            error = "cannot read /proc/" + std::to_string(pid) + "/fd";
            return false;
        }
        soft = static_cast<rlim_t>(fd);
    }
    if (int err = set_soft_limit(pid, resource_of(resource), soft, &old); err != 0) {
        error = std::string("prlimit: ") + std::strerror(err);
        return false;
    }
    return true;
#else
    (void)pid, (void)resource, (void)old;
    error = "lowering a running process's limit needs Linux's prlimit";
    return false;
#endif
}

void restore_limit(pid_t pid, const std::string& resource, const struct rlimit& old) {
#ifdef __linux__
    struct rlimit ignored{};
    set_soft_limit(pid, resource_of(resource), old.rlim_cur, &ignored);
#else
    (void)pid, (void)resource, (void)old;
#endif
}

long cpu_ticks(pid_t pid) {
#ifdef __linux__
    // /proc/PID/stat: "pid (comm) state ppid ...": utime and stime are
    // fields 14 and 15, the 12th and 13th after the last ')'
    std::string stat;
    if (!read_file("/proc/" + std::to_string(pid) + "/stat", stat)) return -1;
    size_t rp = stat.rfind(')');
    if (rp == std::string::npos) return -1;
    std::istringstream in(stat.substr(rp + 1));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 1; i <= 13 && (in >> field); ++i) {
        if (i == 12) utime = std::atol(field.c_str());
        if (i == 13) stime = std::atol(field.c_str());
    }
    return utime + stime;
#else
    (void)pid;
    return -1;
#endif
}

long cpu_ticks_per_second() { return ::sysconf(_SC_CLK_TCK); }

std::string Server::stdout_text() const {
    std::string s;
    read_file(out_path_, s);
    return s;
}

// --- zombies -------------------------------------------------------------
int count_children(pid_t pid, bool zombies_only) {
#ifdef __linux__
    // /proc/PID/stat: "pid (comm) state ppid ...": comm may contain spaces
    // and parentheses, so parse from the last ')'.
    int n = 0;
    DIR* d = ::opendir("/proc");
    if (!d) return -1;
    while (dirent* e = ::readdir(d)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::string stat;
        if (!read_file(std::string("/proc/") + e->d_name + "/stat", stat)) continue;
        size_t rp = stat.rfind(')');
        if (rp == std::string::npos || rp + 4 > stat.size()) continue;
        char state = stat[rp + 2];
        long ppid = std::strtol(stat.c_str() + rp + 4, nullptr, 10);
        if (ppid == pid && (!zombies_only || state == 'Z')) ++n;
    }
    ::closedir(d);
    return n;
#else
    // macOS: ask ps.
    std::string cmd = "ps -axo ppid=,stat= 2>/dev/null";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return -1;
    int n = 0;
    long pp;
    char st[16];
    while (std::fscanf(p, "%ld %15s", &pp, st) == 2)
        if (pp == pid && (!zombies_only || st[0] == 'Z')) ++n;
    ::pclose(p);
    return n;
#endif
}

// --- run fixtures ------------------------------------------------------------
namespace {

constexpr long kOutputQuietMs = 200;    // unchanged this long: the writers are done
constexpr long kOutputSettleMs = 2000;  // never wait longer than this

long total_size(const std::vector<std::string>& paths) {
    long total = 0;
    for (const std::string& p : paths) {
        struct stat st;
        if (::stat(p.c_str(), &st) == 0) total += static_cast<long>(st.st_size);
    }
    return total;
}

// Wait until the files' total size has not changed for kOutputQuietMs.
void settle_files(const std::vector<std::string>& paths) {
    long start = now_ms(), since = start, size = total_size(paths);
    while (now_ms() - since < kOutputQuietMs && now_ms() - start < kOutputSettleMs) {
        sleep_ms(10);
        long now_size = total_size(paths);
        if (now_size != size) {
            size = now_size;
            since = now_ms();   // still growing: start the quiet period again
        }
    }
}

}  // namespace

RunResult run_program(const Implementation& impl, const std::vector<std::string>& args, const std::string& log_dir,
                      int timeout_ms) {
    RunResult r;
    std::vector<std::string> argv = impl.argv;
    argv.insert(argv.end(), args.begin(), args.end());
    pid_t pid = spawn(argv, log_dir + "/stdout", log_dir + "/stderr");
    if (pid < 0) {
        r.error = std::string("could not start: ") + std::strerror(errno);
        return r;
    }
    r.started = true;
    long deadline = now_ms() + timeout_ms;
    for (;;) {
        pid_t w = ::waitpid(pid, &r.wait_status, WNOHANG);
        if (w == pid) {
            unregister_group(pid);
            ::killpg(pid, SIGKILL);   // anything it left behind
            break;
        }
        if (now_ms() > deadline) {
            r.timed_out = true;
            kill_group(pid, true);
            break;
        }
        sleep_ms(2);
    }
    // A program run through a wrapper (make sanitize's copies its stderr
    // through tee) may still be writing after it exited: read once the two
    // files have stopped growing for kOutputQuietMs (at most kOutputSettleMs).
    settle_files({log_dir + "/stdout", log_dir + "/stderr"});
    read_file(log_dir + "/stdout", r.out);
    read_file(log_dir + "/stderr", r.err);
    return r;
}

}  // namespace harness
