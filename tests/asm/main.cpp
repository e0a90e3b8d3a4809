// tests/asm/main.cpp -- the asm-vs-C++ suite's main().
//
// The suite is linked on three kinds of machine: x86-64 Linux (against a
// GoogleTest cross-built for aarch64), arm64 Linux and macOS (against the
// system's GoogleTest).  Only some of those libraries bring a main(), so the
// suite brings its own, the same everywhere: what links here links there.
//
// It also keeps one crashing test from ending the run (the assembly can
// jump anywhere; an exercise stub ends its process on purpose): the tests
// run in a child process that tells this one, through a pipe, each test
// it starts and ends and the first failure of each.  When the child dies
// in a test, this process reports the test, the signal and the faulting
// instruction as function+offset (read from the program's own symbol
// table), and forks a new child for the tests that did not run yet.
//   --report=FILE        every test's result as JSON (make grade-NN)
//   METAL_TEST_NO_FORK=1 one process, as GoogleTest's own main (for gdb)
//   METAL_TEST_TIMEOUT=S a test silent for S seconds (default 600) is
//                        killed and reported, and the rest run
//                        (make grade-NN: 60)
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <cxxabi.h>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#if defined(__linux__)
#include <elf.h>
#include <sys/auxv.h>
#include <ucontext.h>
#elif defined(__APPLE__)
#include <dlfcn.h>
#include <sys/ucontext.h>
#endif

#include "../support/gtest_main.hpp"

namespace {

int g_pipe = -1;   // the child's end of the pipe to the parent

// One line to the parent; write(2) only, so the signal handler can use it.
void tell(const char* kind, const std::string& text) {
    std::string line = std::string(kind) + " " + text + "\n";
    const char* p = line.data();
    size_t left = line.size();
    while (left > 0) {
        ssize_t n = ::write(g_pipe, p, left);
        if (n <= 0) return;
        p += n;
        left -= static_cast<size_t>(n);
    }
}

std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n') c = '\x1f';   // the parent turns it back into a newline
    return s;
}

class PipeListener : public ::testing::EmptyTestEventListener {
    bool failed_ = false;
    std::string name_;

public:
    void OnTestStart(const ::testing::TestInfo& t) override {
        name_ = std::string(t.test_suite_name()) + "." + t.name();
        failed_ = false;
        tell("S", name_);
    }
    void OnTestPartResult(const ::testing::TestPartResult& r) override {
        if (!r.failed() || failed_) return;
        failed_ = true;
        std::string where = r.file_name() ? std::string(r.file_name()) + ":" + std::to_string(r.line_number()) + ": " : "";
        tell("F", one_line(where + r.message()));
    }
    void OnTestEnd(const ::testing::TestInfo& t) override {
        tell("E", t.result()->Skipped() ? "skipped" : t.result()->Passed() ? "passed" : "failed");
    }
};

// The faulting instruction's address, from the signal's machine context.
uintptr_t fault_pc(void* ucontext) {
#if defined(__linux__) && defined(__aarch64__)
    return static_cast<uintptr_t>(static_cast<ucontext_t*>(ucontext)->uc_mcontext.pc);
#elif defined(__APPLE__) && defined(__aarch64__)
    return static_cast<uintptr_t>(static_cast<ucontext_t*>(ucontext)->uc_mcontext->__ss.__pc);
#else
    (void)ucontext;   // (the suite only runs on arm64; this keeps other compilers content)
    return 0;
#endif
}

void on_fault(int sig, siginfo_t*, void* ucontext) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%d %" PRIxPTR, sig, fault_pc(ucontext));
    tell("C", buf);
    ::signal(sig, SIG_DFL);   // die of it, so the parent sees which signal
    ::raise(sig);
}

const int kFaults[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT};

void install_fault_handlers() {
    static char alt[64 * 1024];   // a stack overflow still gets reported
    stack_t ss{};
    ss.ss_sp = alt;
    ss.ss_size = sizeof alt;
    ::sigaltstack(&ss, nullptr);
    struct sigaction sa{};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (int s : kFaults) ::sigaction(s, &sa, nullptr);
}

std::string demangle(const std::string& name) {
    int status = 0;
    char* d = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
    std::string out = status == 0 && d ? d : name;
    std::free(d);
    return out;
}

// "percent_decode+0x1c": the function holding pc, from the program's own
// symbol table (Linux: the ELF file's .symtab; macOS: dladdr).
struct Where {
    std::string function;
    uintptr_t offset = 0;
};
Where function_at(uintptr_t pc) {
    Where w;
#if defined(__linux__)
    std::ifstream in("/proc/self/exe", std::ios::binary);
    std::string elf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (elf.size() < sizeof(Elf64_Ehdr)) return w;
    const auto* eh = reinterpret_cast<const Elf64_Ehdr*>(elf.data());
    if (std::memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64) return w;
    uintptr_t slide = 0;   // a position-independent program: where it was loaded
    if (eh->e_type == ET_DYN) {
        const auto* ph = reinterpret_cast<const Elf64_Phdr*>(elf.data() + eh->e_phoff);
        for (int i = 0; i < eh->e_phnum; ++i)
            if (ph[i].p_type == PT_PHDR) slide = getauxval(AT_PHDR) - ph[i].p_vaddr;
    }
    const auto* sh = reinterpret_cast<const Elf64_Shdr*>(elf.data() + eh->e_shoff);
    for (int i = 0; i < eh->e_shnum; ++i) {
        if (sh[i].sh_type != SHT_SYMTAB) continue;
        const auto* sym = reinterpret_cast<const Elf64_Sym*>(elf.data() + sh[i].sh_offset);
        const char* names = elf.data() + sh[sh[i].sh_link].sh_offset;
        size_t count = sh[i].sh_size / sizeof(Elf64_Sym);
        uintptr_t best = 0;
        for (size_t k = 0; k < count; ++k) {
            if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC) continue;
            uintptr_t at = sym[k].st_value + slide;
            bool inside = pc >= at && (pc < at + sym[k].st_size || (sym[k].st_size == 0 && at > best));
            if (inside && at >= best) {
                best = at;
                w.function = demangle(names + sym[k].st_name);
                w.offset = pc - at;
            }
        }
    }
#elif defined(__APPLE__)
    Dl_info info{};
    if (::dladdr(reinterpret_cast<void*>(pc), &info) && info.dli_sname) {
        w.function = demangle(info.dli_sname[0] == '_' ? info.dli_sname + 1 : info.dli_sname);
        w.offset = pc - reinterpret_cast<uintptr_t>(info.dli_saddr);
    }
#else
    (void)pc;
#endif
    return w;
}

std::string signal_name(int sig) {
    switch (sig) {
        case SIGSEGV: return "SIGSEGV";
        case SIGBUS: return "SIGBUS";
        case SIGILL: return "SIGILL";
        case SIGFPE: return "SIGFPE";
        case SIGTRAP: return "SIGTRAP";
        case SIGABRT: return "SIGABRT";
        case SIGKILL: return "SIGKILL";
        default: return "signal " + std::to_string(sig);
    }
}

struct Result {
    std::string name, result, message, crash, function;
    int signal = 0;
    uintptr_t pc = 0, offset = 0;
};

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
        else if (c == '\n') out += "\\n";
        else if (c < 0x20 || c >= 0x7f) {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", c);
            out += b;
        } else out += static_cast<char>(c);
    }
    return out + "\"";
}

void write_report(const std::string& path, const std::vector<Result>& results) {
    std::ofstream out(path);
    out << "{\"tests\": [";
    for (size_t i = 0; i < results.size(); ++i) {
        const Result& r = results[i];
        out << (i ? ",\n  " : "\n  ") << "{\"name\": " << json_string(r.name) << ", \"result\": " << json_string(r.result)
            << ", \"message\": " << json_string(r.message);
        if (r.result == "crashed") {
            char pc[32];
            std::snprintf(pc, sizeof pc, "0x%" PRIxPTR, r.pc);
            out << ", \"crash\": {\"what\": " << json_string(r.crash) << ", \"signal\": " << r.signal
                << ", \"function\": " << json_string(r.function) << ", \"offset\": " << r.offset
                << ", \"pc\": " << json_string(r.signal ? pc : "") << "}";
        }
        out << "}";
    }
    out << "\n]}\n";
}

// The child: run the tests of the filter, less those already done.
[[noreturn]] void run_child(int fd, const std::string& filter, const std::vector<std::string>& done) {
    g_pipe = fd;
    std::string f = filter.empty() ? "*" : filter;
    if (!done.empty()) {
        f += f.find('-') == std::string::npos ? "-" : ":";
        for (size_t i = 0; i < done.size(); ++i) f += (i ? ":" : "") + done[i];
    }
    GTEST_FLAG_SET(filter, f);
    ::testing::UnitTest::GetInstance()->listeners().Append(new PipeListener);
    install_fault_handlers();
    struct rlimit no_core{0, 0};   // a crash expected here leaves no core file behind
    ::setrlimit(RLIMIT_CORE, &no_core);
    int rc = RUN_ALL_TESTS();
    std::fflush(nullptr);
    std::exit(rc);
}

int run_isolated(const std::string& report) {
    const std::string filter = GTEST_FLAG_GET(filter);
    std::vector<std::string> done;
    std::vector<Result> results;
    std::vector<std::string> crashed;
    int status_of_last = 0;
    const std::vector<std::string> selected = testmain::selected_tests();
    size_t children = 0;
    int limit_s = 600;   // a test may take minutes under a busy qemu (the 4 GiB files), not ten
    if (const char* t = std::getenv("METAL_TEST_TIMEOUT"))
        if (std::atoi(t) > 0) limit_s = std::atoi(t);
    for (;;) {
        size_t left = 0;   // (after a crash: is any test left to run?)
        for (const auto& t : selected) left += std::find(done.begin(), done.end(), t) == done.end();
        if (left == 0) break;
        ++children;
        int fds[2];
        if (::pipe(fds) != 0) return std::perror("pipe"), 2;
        std::fflush(nullptr);
        pid_t pid = ::fork();
        if (pid < 0) return std::perror("fork"), 2;
        if (pid == 0) {
            ::close(fds[0]);
            run_child(fds[1], filter, done);
        }
        ::close(fds[1]);
        // Read what the child says; a test that says nothing for
        // limit seconds is stuck (a client waiting for an end that never
        // comes): the child is killed, and the test reported as timed out.
        std::string text;
        char buf[4096];
        bool timed_out = false;
        for (;;) {
            pollfd p{fds[0], POLLIN, 0};
            int ready = ::poll(&p, 1, limit_s * 1000);
            if (ready == 0) {
                timed_out = true;
                ::kill(pid, SIGKILL);
                break;
            }
            if (ready < 0) continue;   // EINTR
            ssize_t n = ::read(fds[0], buf, sizeof buf);
            if (n == 0) break;
            if (n > 0) text.append(buf, static_cast<size_t>(n));
        }
        ::close(fds[0]);
        int st = 0;
        while (::waitpid(pid, &st, 0) < 0) {
        }
        // Read what the child said.
        bool in_test = false;
        Result cur;
        int sig = 0;
        uintptr_t pc = 0;
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            if (line.size() < 2) continue;
            std::string rest = line.substr(2);
            switch (line[0]) {
                case 'S':
                    cur = Result{};
                    cur.name = rest;
                    in_test = true;
                    break;
                case 'F':
                    for (char& c : rest)
                        if (c == '\x1f') c = '\n';
                    cur.message = rest;
                    break;
                case 'E':
                    cur.result = rest;
                    results.push_back(cur);
                    done.push_back(cur.name);
                    in_test = false;
                    break;
                case 'C': {
                    std::istringstream c(rest);
                    c >> sig >> std::hex >> pc;
                    break;
                }
            }
        }
        bool normal_end = WIFEXITED(st) && !in_test;
        if (normal_end) {
            status_of_last = WEXITSTATUS(st);
            break;
        }
        // The child died.  In a test: report it and go on without it.
        std::string what;
        if (timed_out) {
            what = "no word from it for " + std::to_string(limit_s) + " s: killed (METAL_TEST_TIMEOUT=" +
                   std::to_string(limit_s) + "; stuck waiting for something?)";
        } else if (WIFSIGNALED(st)) {
            sig = WTERMSIG(st);
            Where w = pc ? function_at(pc) : Where{};
            cur.function = w.function;
            cur.offset = w.offset;
            cur.signal = sig;
            cur.pc = pc;
            char at[64] = "";
            if (pc) std::snprintf(at, sizeof at, " (pc 0x%" PRIxPTR ")", pc);
            char off[32];
            std::snprintf(off, sizeof off, "+0x%" PRIxPTR, w.offset);
            what = signal_name(sig) + (w.function.empty() ? std::string(at) : " in " + w.function + off + at);
        } else {
            what = WEXITSTATUS(st) == 70 ? "exit status 70 in the middle of the test: an exercise stub (NOT_WRITTEN) ran"
                                         : "the process exited with status " + std::to_string(WEXITSTATUS(st)) + " in the middle of the test";
        }
        if (!in_test) {
            std::printf("[  CRASHED ] outside any test: %s -- the run ends here\n", what.c_str());
            status_of_last = 1;
            break;
        }
        cur.result = "crashed";
        cur.crash = what;
        if (cur.message.empty()) cur.message = what;
        results.push_back(cur);
        done.push_back(cur.name);
        crashed.push_back(cur.name + ": " + what);
        std::printf("[  CRASHED ] %s: %s\n", cur.name.c_str(), what.c_str());
        std::printf("[  CRASHED ] the tests after it go on in a new process\n");
        std::fflush(stdout);
    }
    if (!crashed.empty()) {
        std::printf("\n%zu test%s CRASHED (each ended its process; the other tests ran):\n", crashed.size(),
                    crashed.size() == 1 ? "" : "s");
        for (const auto& c : crashed) std::printf("  %s\n", c.c_str());
        // The whole run in GoogleTest's closing lines (each child printed
        // its own part): what make test's summary reads.
        std::vector<std::string> bad;
        size_t good = 0;
        for (const auto& r : results)
            if (r.result == "passed" || r.result == "skipped") ++good;
            else bad.push_back(r.name + (r.result == "crashed" ? " (crashed)" : ""));
        std::printf("\n[==========] %zu tests ran, in %zu processes.\n", results.size(), children);
        std::printf("[  PASSED  ] %zu tests.\n", good);
        std::printf("[  FAILED  ] %zu tests, listed below:\n", bad.size());
        for (const auto& b : bad) std::printf("[  FAILED  ] %s\n", b.c_str());
    }
    if (!report.empty()) write_report(report, results);
    return crashed.empty() ? status_of_last : 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::string report;
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (i > 0 && std::strncmp(argv[i], "--report=", 9) == 0) report = argv[i] + 9;
        else args.push_back(argv[i]);
    }
    int n = static_cast<int>(args.size());
    args.push_back(nullptr);
    ::testing::InitGoogleTest(&n, args.data());
    if (GTEST_FLAG_GET(list_tests)) return RUN_ALL_TESTS();
    if (int rc = testmain::check_filter_selects_something("asm-tests")) return rc;
    if (int rc = testmain::check_run_from_source_dir("asm-tests")) return rc;
    const char* no_fork = std::getenv("METAL_TEST_NO_FORK");
    if (no_fork && *no_fork && std::strcmp(no_fork, "0") != 0) return RUN_ALL_TESTS();
    return run_isolated(report);
}
