#!/usr/bin/env python3
# tests/tools/trace-compare.py -- `make trace-NN FIXTURE=name`: one fixture
# against both servers under a system-call tracer, the two traces side by
# side in one format, aligned call by call.
#
#   trace-compare.py check NN FIXTURE
#       FIXTURE applies to lesson NN, or the list of those that do (exit 2);
#       make runs this before it builds anything
#   trace-compare.py run NN FIXTURE HARNESS CPP-PROGRAM ASM-PROGRAM [RUN_ASM]
#       run the fixture (build/harness --compare) with the C++ server under
#       strace -D -f and the assembly under `qemu-aarch64 -strace` (RUN_ASM
#       empty, as on arm64 Linux: strace for both), then print the two
#       (TRACE_KEEP=DIR: copy the two raw traces into DIR as well)
#   trace-compare.py show CPP-TRACE FORMAT ASM-TRACE FORMAT
#       print two recorded traces (FORMAT: strace or qemu)
#   trace-compare.py list NN
#       the names of the fixtures that apply to lesson NN
#
# Both tools' lines become one form -- name(arguments) = result -- with
# flags and constants by name (qemu 7.2 prints some as bare numbers, and
# aarch64's O_NOFOLLOW as O_LARGEFILE: it decodes them with another
# machine's table), strings where the tool printed them, errors as
# -1 ENOENT.  Nothing before the server's `listening on` line (the first
# write to descriptor 1) is shown: that is the C library's start-up and the
# server's own, which every request shares (a fixture that runs the program,
# as lesson 00's do, starts after the C library's start-up instead).  Each process is a block of its
# own -- the parent (the accept loop), then each child (one connection) --
# and within a block the two servers' calls are aligned by name (Python's
# difflib: the longest run of matching names first).
#
# The output fits $COLUMNS (else the terminal, else 80): side by side from
# 100 columns, one trace under the other below that; plain text when piped.
import difflib
import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))   # termcols.py, beside this file
from termcols import columns, print_columns  # noqa: E402
import tempfile

# ---------------------------------------------------------------------------
# One call, as both tools are turned into.
# ---------------------------------------------------------------------------
class Call:
    def __init__(self, pid, name, args, result):
        self.pid = pid          # the tool's process id
        self.name = name        # "openat"
        self.args = args        # ["4", '"index.html"', "O_RDONLY|O_NOFOLLOW"]
        self.result = result    # "5", "-1 ENOENT", "?" (no return: exit_group), "" (unknown)

    def text(self):
        s = f"{self.name}({', '.join(self.args)})"
        return s + (f" = {self.result}" if self.result else "")

    def __repr__(self):
        return f"<{self.pid} {self.text()}>"


def split_args(s):
    """Top-level comma-separated arguments of a call: commas inside quotes,
    {}, [], () and /* */ do not split."""
    out, depth, cur, i, quote = [], 0, "", 0, False
    while i < len(s):
        ch = s[i]
        if quote:
            cur += ch
            if ch == "\\" and i + 1 < len(s):
                cur += s[i + 1]
                i += 1
            elif ch == '"':
                quote = False
        elif ch == '"':
            quote = True
            cur += ch
        elif s.startswith("/*", i):
            j = s.find("*/", i)
            j = len(s) if j < 0 else j + 2
            cur += s[i:j]
            i = j - 1
        elif ch in "{[(":
            depth += 1
            cur += ch
        elif ch in "}])":
            depth -= 1
            cur += ch
        elif ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
        i += 1
    if cur.strip():
        out.append(cur.strip())
    return out


def close_paren(s, start):
    """Index of the ')' closing the '(' at start, or -1."""
    depth, quote, i = 0, False, start
    while i < len(s):
        ch = s[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quote = False
        elif ch == '"':
            quote = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


# ---------------------------------------------------------------------------
# strace -f -o FILE: "PID  name(args) = result", with "<unfinished ...>"
# and "<... name resumed>" halves when two processes' calls overlap.
# ---------------------------------------------------------------------------
def parse_strace(text):
    calls, pending = [], {}
    for line in text.splitlines():
        m = re.match(r"^(\d+)\s+(.*)$", line)
        if not m:
            m = re.match(r"^()(.*)$", line)      # strace without -f: no pid
        pid, rest = m.group(1) or "0", m.group(2)
        if rest.startswith("+++") or rest.startswith("---"):
            continue                                # exits and signals
        r = re.match(r"^<\.\.\. (\w+) resumed>(.*)$", rest)
        if r:
            if pid not in pending:
                continue
            rest = pending.pop(pid) + r.group(2)
        elif rest.endswith("<unfinished ...>"):
            pending[pid] = rest[: -len("<unfinished ...>")].rstrip()
            continue
        call = parse_call_text(pid, rest)
        if call:
            calls.append(call)
    # calls still unfinished when the tracer stopped (the parent's last accept)
    for pid, rest in pending.items():
        call = parse_call_text(pid, rest + ")")
        if call:
            call.result = "(still waiting)"
            calls.append(call)
    return [normalize(c, "strace") for c in calls]


def parse_call_text(pid, rest):
    m = re.match(r"^(\w+)\(", rest)
    if not m:
        return None
    end = close_paren(rest, m.end() - 1)
    if end < 0:
        return Call(pid, m.group(1), split_args(rest[m.end():]), "")
    args = split_args(rest[m.end():end])
    tail = rest[end + 1:].strip()
    result = ""
    if tail.startswith("="):
        result = tail[1:].strip()
    return Call(pid, m.group(1), args, result)


# ---------------------------------------------------------------------------
# qemu-aarch64 -strace (-d strace -D FILE): "PID name(args) = result", but
# the result comes later when the call blocks, and another process's line
# may start right after the call's ")" -- "2098 accept(5,NULL,NULL)2105
# close(5) = 0" -- or even right after the pid: "24818 24827 write(4,...)
# = 120", and later "close(4) = 0" is 24818's.  A result on a line of its own (" = 0") belongs to the
# call still waiting for one; after clone it is the child's own return.
# ---------------------------------------------------------------------------
QEMU_START = re.compile(r"(\d+) ([a-z_0-9]+)\(")


def parse_qemu(text):
    calls = []
    waiting = []            # calls printed without their result yet
    clones = []             # clones whose child has not printed its " = 0" yet (indexes into calls)
    orphans = []            # (calls printed so far, result): results no waiting call took

    def give(call, result):
        # a clone that seems to return 0 got its child's line: it waits on
        if call.name == "clone" and result == "0" and clones:
            clones.pop(0)
            waiting.append(call)
            return
        call.result = result

    lone_pids = []          # "24818 " printed, then another process's line, then "close(4) = 0"
    for line in text.splitlines():
        m = re.match(r"^(\d+) (?=\d+ [a-z_0-9]+\()", line)
        while m:
            lone_pids.append(m.group(1))
            line = line[m.end():]
            m = re.match(r"^(\d+) (?=\d+ [a-z_0-9]+\()", line)
        if lone_pids and re.match(r"^[a-z_0-9]+\(", line):
            line = lone_pids.pop(0) + " " + line
        if re.match(r"^\s*= ", line):
            result = line.strip()[1:].strip()
            if result == "0" and clones:
                clones.pop(0)                   # the new child's return from clone
                continue
            if waiting:
                give(waiting.pop(), result)
            else:
                orphans.append((len(calls), result))
            continue
        pos = 0
        while pos < len(line):
            m = QEMU_START.match(line, pos)
            if not m:
                break
            end = close_paren(line, m.end() - 1)
            if end < 0:
                calls.append(Call(m.group(1), m.group(2), split_args(line[m.end():]), ""))
                break
            call = Call(m.group(1), m.group(2), split_args(line[m.end():end]), "")
            calls.append(call)
            if call.name == "clone":
                clones.append(len(calls) - 1)
            after = line[end + 1:]
            r = re.match(r"^\s*= (.*)$", after)
            if r:
                give(call, r.group(1).strip())
                break
            if call.name not in ("exit_group", "exit"):
                waiting.append(call)
            pos = end + 1
            if pos >= len(line) or not QEMU_START.match(line, pos):
                break
    # A child's " = 0" that no line of its own carried went onto the end of
    # a call the parent printed between the clone and the child's first call
    # and that was still waiting ("9091 accept(5,NULL,NULL) = 0"): that
    # call's own result comes later, on a line of its own, or never (the
    # server was stopped while it waited).
    for k in clones:
        fix_glued_child_return(calls, k, orphans)
    for c in calls:
        if c.result == "" and c.name not in ("exit_group", "exit"):
            c.result = "(still waiting)"
    return [normalize(c, "qemu") for c in calls]


# Calls that wait (for a client, a child, a byte): the ones a line of
# another process's can land in the middle of.
BLOCKING = ("accept", "accept4", "ppoll", "pselect6", "read", "wait4", "recvfrom")


def fix_glued_child_return(calls, k, orphans):
    clone = calls[k]
    if not clone.result.isdigit() or clone.result == "0":
        return
    child, parent = clone.result, clone.pid
    first = next((i for i in range(k + 1, len(calls)) if calls[i].pid == child), len(calls))
    window = [i for i in range(k + 1, first) if calls[i].pid == parent and calls[i].result == "0"]
    if not window:
        return
    blocking = [i for i in window if calls[i].name in BLOCKING
                and not (calls[i].name == "wait4" and len(calls[i].args) > 2 and calls[i].args[2] == "1")]
    pick = (blocking or window)[-1]
    later = [o for o in orphans if o[0] > pick]
    if later:
        orphans.remove(later[0])
        calls[pick].result = later[0][1]
    else:
        calls[pick].result = ""


# ---------------------------------------------------------------------------
# One form for both.
# ---------------------------------------------------------------------------
# How many arguments each call has (qemu prints six numbers for a call it
# has no format for: the rest are whatever the registers held).
ARGC = {
    "read": 3, "write": 3, "openat": 4, "close": 1, "fstat": 2, "newfstatat": 4, "lseek": 3,
    "getdents64": 3, "socket": 3, "setsockopt": 5, "bind": 3, "listen": 2, "getsockname": 3,
    "getpeername": 3, "accept": 3, "accept4": 4, "shutdown": 2, "sendfile": 4, "pread64": 4,
    "writev": 3, "rt_sigaction": 4, "rt_sigprocmask": 4, "setitimer": 3, "fcntl": 3,
    "renameat": 4, "renameat2": 5, "unlinkat": 3, "mkdirat": 3, "fsync": 1, "ftruncate": 2,
    "wait4": 4, "kill": 2, "getpid": 0, "exit_group": 1, "exit": 1, "ppoll": 5, "pselect6": 6,
    "gettimeofday": 2, "clock_gettime": 2, "fchmod": 2, "recvfrom": 6, "sendto": 6,
    "setsockopt": 5, "getsockopt": 5, "dup3": 3, "pipe2": 2, "faccessat": 4, "rt_sigpending": 2,
    "getpid": 0, "nanosleep": 2, "select": 5,
}
# Arguments that are pointers, by position: qemu prints a null one as 0.
POINTER_ARGS = {"wait4": (1, 3), "ppoll": (0, 2, 3), "rt_sigaction": (1, 2), "rt_sigprocmask": (1, 2),
                "setitimer": (1, 2), "gettimeofday": (0, 1), "accept": (1, 2), "pselect6": (1, 2, 3, 4, 5)}
WAIT = [(1, "WNOHANG"), (2, "WUNTRACED")]
# Linux's numbers for what qemu leaves as numbers (asm-generic, the same on
# aarch64 and x86-64): include/uapi/asm-generic/socket.h, linux/fcntl.h ...
SOL = {"1": "SOL_SOCKET", "6": "IPPROTO_TCP"}
SO = {"2": "SO_REUSEADDR", "9": "SO_KEEPALIVE", "13": "SO_LINGER", "20": "SO_RCVTIMEO", "21": "SO_SNDTIMEO",
      "15": "SO_REUSEPORT"}
SHUT = {"0": "SHUT_RD", "1": "SHUT_WR", "2": "SHUT_RDWR"}
SIGPROCMASK = {"0": "SIG_BLOCK", "1": "SIG_UNBLOCK", "2": "SIG_SETMASK"}
ITIMER = {"0": "ITIMER_REAL", "1": "ITIMER_VIRTUAL", "2": "ITIMER_PROF"}
FCNTL = {"0": "F_DUPFD", "1": "F_GETFD", "2": "F_SETFD", "3": "F_GETFL", "4": "F_SETFL",
         "1030": "F_DUPFD_CLOEXEC"}
SIGNALS = {1: "SIGHUP", 2: "SIGINT", 9: "SIGKILL", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM", 17: "SIGCHLD"}
CLONE = [(0x100, "CLONE_VM"), (0x200, "CLONE_FS"), (0x400, "CLONE_FILES"), (0x800, "CLONE_SIGHAND"),
         (0x10000, "CLONE_THREAD"), (0x200000, "CLONE_CHILD_CLEARTID"), (0x1000000, "CLONE_CHILD_SETTID")]
RENAME = {"0": "0", "1": "RENAME_NOREPLACE", "2": "RENAME_EXCHANGE"}
ADDRESS = re.compile(r"^(0x[0-9a-f]{5,}|\d{9,})$")


ACCESS = ("O_RDONLY", "O_WRONLY", "O_RDWR")
CTRL = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def c_string(a):
    """strace prints bytes above 127 as octal escapes ("caf\\303\\251.txt");
    qemu prints them as they are.  Both become text when the bytes are UTF-8."""
    if not (a.startswith('"') and (a.endswith('"') or a.endswith('"...'))):
        return a
    dots = a.endswith("...")
    body = a[1:-4] if dots else a[1:-1]
    if "\\" not in body:
        # qemu prints a string's bytes as they are: control bytes as C escapes
        return re.sub(r"[\x00-\x1f\x7f]", lambda m: CTRL.get(m.group(0), "\\%o" % ord(m.group(0))), a)
    raw, i = bytearray(), 0
    simple = {"n": 10, "r": 13, "t": 9, "v": 11, "f": 12, '"': 34, "\\": 92}
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            n = body[i + 1]
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            if m:
                raw.append(int(m.group(0), 8) & 0xff)
                i += 1 + len(m.group(0))
                continue
            x = re.match(r"x([0-9a-fA-F]{2})", body[i + 1:])
            if x:
                raw.append(int(x.group(1), 16))
                i += 4
                continue
            raw.append(simple.get(n, ord(n)))
            i += 2
            continue
        raw += ch.encode("utf-8")
        i += 1
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return a
    if any(ord(ch) < 32 and ch not in "\r\n\t" for ch in text):
        return a
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return '"' + text + '"' + ("..." if dots else "")


def errno_name(n):
    return errno.errorcode.get(n, str(n))


def normalize(c, tool):
    name, args = c.name, list(c.args)
    want = ARGC.get(name)
    if tool == "qemu" and want is not None:
        args = args[:want]
    out = []
    for i, a in enumerate(args):
        a = a.strip()
        # addresses of buffers and structures: where, not what
        if ADDRESS.match(a) or re.match(r"^0x[0-9a-f]+ /\* .* \*/$", a):
            a = "…"
        a = c_string(a)
        # the harness's fresh docroot for each server: one name for both
        a = re.sub(r'/[^"]*/metal-harness\.[^/"]+/(?:cpp|asm)-\d+/site', "{docroot}", a)
        if re.fullmatch(r"O_[A-Z]+(\|O_[A-Z]+)+", a):
            # open flags in one order for both tools: the access mode, then by name
            fl = a.split("|")
            a = "|".join([f for f in fl if f in ACCESS] + sorted(f for f in fl if f not in ACCESS))
        if a.startswith("PF_"):
            a = "AF_" + a[3:]              # qemu's socket(PF_INET...); strace says AF_INET
        out.append(a)
    args = out

    if tool == "qemu":
        for i in POINTER_ARGS.get(name, ()):
            if i < len(args) and args[i] in ("0", "0x0", "0x0000000000000000"):
                args[i] = "NULL"
        if name == "wait4" and len(args) >= 3 and args[2].isdigit():
            v = int(args[2])
            args[2] = "|".join(n for bit, n in WAIT if v & bit) or "0"
        if name in ("openat",) and len(args) >= 3:
            # qemu 7.2 decodes aarch64's O_NOFOLLOW (0x8000) with a table in
            # which 0x8000 is O_LARGEFILE; the servers never ask for O_LARGEFILE
            args[2] = "|".join("O_NOFOLLOW" if f == "O_LARGEFILE" else f for f in args[2].split("|"))
        if name == "setsockopt" and len(args) >= 3:
            args[1] = SOL.get(args[1], args[1])
            if args[1] == "SOL_SOCKET":
                args[2] = SO.get(args[2], args[2])
        if name == "shutdown" and len(args) >= 2:
            args[1] = SHUT.get(args[1], args[1])
        if name == "rt_sigprocmask" and args:
            args[0] = SIGPROCMASK.get(args[0], args[0])
        if name == "setitimer" and args:
            args[0] = ITIMER.get(args[0], args[0])
        if name == "fcntl" and len(args) >= 2:
            args[1] = FCNTL.get(args[1], args[1])
        if name == "renameat2" and len(args) >= 5:
            args[4] = RENAME.get(args[4], args[4])
        if name == "kill" and len(args) >= 2 and args[1].isdigit():
            args[1] = SIGNALS.get(int(args[1]), args[1])
        if name == "clone":
            # clone(0x11,child_stack=0x0...,...): only the flags say anything
            flags = int(args[0], 16) if args and args[0].startswith("0x") else 0
            args = [clone_flags(flags)]
        if name == "rt_sigaction" and len(args) >= 3:
            args = [args[0], args[1], args[2]]
    else:
        if name == "setsockopt" and len(args) >= 3:
            # x86-64's strace names option 20 SO_RCVTIMEO_OLD (the 64-bit
            # time_t one has another number there); on aarch64, and in the
            # assembly's os.inc, 20 is SO_RCVTIMEO
            args[2] = re.sub(r"^(SO_[A-Z]+)_OLD$", r"\1", args[2])
        if name == "clone":
            f = [a for a in args if a.startswith("flags=")]
            args = [f[0][len("flags="):]] if f else args
        if name == "rt_sigaction" and len(args) == 4:
            args = args[:3]                 # the sigset size: 8 on both
        if name in ("rt_sigaction",) and len(args) >= 2:
            args[1] = re.sub(r", sa_restorer=[^}]*", "", args[1])
            args[1] = args[1].replace("sa_flags=SA_RESTORER", "sa_flags=0").replace("|SA_RESTORER", "")
    result = normalize_result(c.result, tool)
    if name in ("exit_group", "exit"):
        result = ""                         # it does not return (strace: "= ?")
    c.name, c.args, c.result = name, args, result
    return c


def clone_flags(flags):
    names = [n for bit, n in CLONE if flags & bit]
    sig = flags & 0xff
    if sig:
        names.append(SIGNALS.get(sig, str(sig)))
    return "|".join(names) or "0"


def normalize_result(r, tool):
    r = r.strip()
    if not r:
        return r
    m = re.match(r"^-1 errno=(\d+)", r)                   # qemu
    if m:
        return "-1 " + errno_name(int(m.group(1)))
    m = re.match(r"^-1 (E[A-Z0-9]+)", r)                  # strace
    if m:
        return "-1 " + m.group(1)
    m = re.match(r"^\? (ERESTART\w*|EINTR)", r)             # strace: a signal came
    if m:
        return "? interrupted by a signal (" + m.group(1) + ")"
    m = re.match(r"^(0x[0-9a-f]+|-?\d+)( \(.*\))?$", r)
    if m:
        v = m.group(1)
        return "…" if ADDRESS.match(v) else v
    return r


# ---------------------------------------------------------------------------
# The part of a trace that answers requests.
# ---------------------------------------------------------------------------
def after_listening(calls):
    """The calls after the server's `listening on` line: the first write to
    descriptor 1 starts it; the writes to 1 right after it end it (the port
    and the "/\\n" are written separately)."""
    for i, c in enumerate(calls):
        if c.name in ("write", "writev") and c.args and c.args[0] == "1":
            j = i
            while j < len(calls) and calls[j].name in ("write", "writev") and calls[j].args[:1] == ["1"] \
                    and calls[j].pid == c.pid:
                j += 1
            return calls[j:], True
    return calls, False


# glibc and the dynamic loader before main(): a run without `listening on`
# (lesson 00's programs, a server that refuses its arguments) starts after them.
STARTUP = {"execve", "brk", "mmap", "mprotect", "munmap", "access", "arch_prctl", "set_tid_address",
           "set_robust_list", "rseq", "prlimit64", "getrandom", "openat", "newfstatat", "read", "pread64",
           "close", "fstat"}


def after_startup(calls):
    loader_fds = set()
    for i, c in enumerate(calls):
        if c.name not in STARTUP:
            return calls[i:]
        if c.name == "openat" and len(c.args) > 1 and re.search(r'"/(etc/ld\.so|lib|usr/lib)', c.args[1]):
            loader_fds.add(c.result)
            continue
        if c.name in ("read", "pread64", "close", "newfstatat", "fstat") and c.args and c.args[0] not in loader_fds:
            return calls[i:]
        if c.name == "openat":
            return calls[i:]
    return []


def processes(calls):
    """[(label, [calls])]: the parent first, then each child in the order
    they started (a program that never accepts a connection: "the program")."""
    order, by_pid = [], {}
    for c in calls:
        if c.pid not in by_pid:
            by_pid[c.pid] = []
            order.append(c.pid)
        by_pid[c.pid].append(c)
    out = []
    child = 0
    for k, pid in enumerate(order):
        if k == 0:
            server = any(c.name in ("accept", "accept4") for c in by_pid[pid])
            out.append(("parent (the accept loop)" if server else "the program", by_pid[pid]))
        else:
            child += 1
            out.append((f"child {child} (one connection)", by_pid[pid]))
    # child pids in clone's result, as "child N"
    numbers = {pid: f"child {k}" for k, pid in enumerate(order[1:], 1)}
    for c in calls:
        if c.name in ("clone", "fork", "vfork", "clone3") and c.result in numbers:
            c.result = numbers[c.result]
        if c.name == "wait4" and c.result in numbers:
            c.result = numbers[c.result]
    return out


def requests_in(calls):
    return sum(1 for c in calls if c.name in ("accept", "accept4") and re.fullmatch(r"\d+", c.result or ""))


# Calls one server makes and the other does not, and why.
REASONS = {
    "set_robust_list": "glibc: fork() registers the child's list of robust mutexes (threads bookkeeping); "
                       "the assembly has no C library",
    "newfstatat": "glibc 2.33 and later implement fstat() as newfstatat(fd, \"\", AT_EMPTY_PATH); "
                  "the assembly calls fstat itself (the same kernel code)",
    "fstat": "the assembly's fstat; glibc says newfstatat(fd, \"\", AT_EMPTY_PATH) for the same thing",
    "brk": "malloc growing the C++ heap (std::string, std::vector); the assembly uses the stack and fixed buffers",
    "mmap": "malloc (a large block) or the C++ runtime; the assembly never allocates",
    "munmap": "free() of a large block; the assembly never allocates",
    "getrandom": "glibc's malloc seeds its heap protection; the assembly never allocates",
    "futex": "a lock in the C++ runtime (iostreams, malloc)",
    "rt_sigprocmask": "glibc blocks signals around fork() and some calls of its own",
    "gettid": "glibc's fork() or abort() asks for the thread id",
    "clone": "fork(): glibc and the assembly both say clone(SIGCHLD) on Linux",
    "exit": "the assembly ends a process with exit_group like glibc's _exit; exit ends one thread",
    "poll": "x86-64 has a poll system call, which glibc's poll() uses there; aarch64 Linux has only ppoll "
            "(the assembly's POLL macro, and glibc's poll() on aarch64)",
    "ppoll": "aarch64 Linux has no poll system call: ppoll with a timespec does its work",
    "gettimeofday": "the assembly reads the clock with a system call (Darwin has no raw clock_gettime); "
                    "the C++'s clock_gettime runs in the vDSO, in user space, and strace never sees it",
    "clock_gettime": "a clock read the vDSO could not answer in user space",
    "restart_syscall": "the kernel resuming a call a signal interrupted (strace shows it; qemu restarts "
                       "the call inside itself)",
    "getpid": "the upload's temporary name carries the process id",
}


def name_counts(calls):
    counts = {}
    for c in calls:
        counts[c.name] = counts.get(c.name, 0) + 1
    return counts


# ---------------------------------------------------------------------------
# Printing.
# ---------------------------------------------------------------------------
def wrap_words(s, width, indent="      "):
    lead = s[: len(s) - len(s.lstrip(" "))]
    lines, cur = [], ""
    for word in s.lstrip(" ").split(" "):
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = indent + word
        else:
            cur = (cur + " " + word) if cur else lead + word
    lines.append(cur)
    return lines



def fit(s, width):
    return s if len(s) <= width else s[: max(0, width - 1)] + "…"


def wrap(s, width, indent="    "):
    """s in lines of at most width characters, the later ones indented:
    nothing is cut off (a projector wraps, it does not truncate)."""
    if width <= len(indent) + 8:
        return [fit(s, width)]
    lines = []
    while len(s) > width:
        # after a ", ", a "|" or a space if there is one in the right half
        cut = max(s.rfind(", ", 0, width - 1) + 2, s.rfind("|", 0, width) + 1, s.rfind(" ", 0, width) + 1)
        if cut <= width // 2:
            cut = width
        lines.append(s[:cut].rstrip())
        s = indent + s[cut:]
    lines.append(s)
    return lines


def key(c):
    """What alignment compares: the name, except that glibc's
    newfstatat(fd, "", ..., AT_EMPTY_PATH) is fstat(fd)."""
    if c.name == "newfstatat" and len(c.args) >= 4 and c.args[1] == '""' and "AT_EMPTY_PATH" in c.args[3]:
        return "fstat"
    if c.name == "ppoll":
        return "poll"
    return c.name


def aligned_rows(left, right):
    """[(left call or None, right call or None)], matched by name."""
    sm = difflib.SequenceMatcher(a=[key(c) for c in left], b=[key(c) for c in right], autojunk=False)
    rows = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            rows += list(zip(left[i1:i2], right[j1:j2]))
        elif op == "delete":
            rows += [(c, None) for c in left[i1:i2]]
        elif op == "insert":
            rows += [(None, c) for c in right[j1:j2]]
        else:
            # different calls in the same place: one under the other
            rows += [(c, None) for c in left[i1:i2]] + [(None, c) for c in right[j1:j2]]
    return rows


def render(cpp_calls, asm_calls, titles, out, width, notes):
    tty = out.isatty() and not os.environ.get("NO_COLOR")
    bold = (lambda s: "\033[1m" + s + "\033[0m") if tty else (lambda s: s)
    cp, ap = processes(cpp_calls), processes(asm_calls)
    blocks = max(len(cp), len(ap))
    side = width >= 100
    w = (width - 5) // 2 if side else width - 2
    if side:
        out.write(bold(fit(titles[0], w + 2).ljust(w + 2)) + " │ " + bold(fit(titles[1], w)) + "\n")
    for b in range(blocks):
        lname, lcalls = cp[b] if b < len(cp) else ("(none)", [])
        rname, rcalls = ap[b] if b < len(ap) else ("(none)", [])
        label = lname if b < len(cp) else rname
        rows = aligned_rows(lcalls, rcalls)
        if side:
            out.write(bold("── " + label + " ").ljust(w + 2, "─") + "─┼─" + "─" * w + "\n")
            for l, r in rows:
                mark = " " if (l and r) else ("<" if l else ">")
                lt = wrap(l.text(), w) if l else []
                rt = wrap(r.text(), w) if r else []
                for k in range(max(len(lt), len(rt))):
                    a = lt[k] if k < len(lt) else ""
                    b = rt[k] if k < len(rt) else ""
                    out.write(((mark if k == 0 else " ") + " " + a.ljust(w) + " │ " + b).rstrip() + "\n")
        else:
            for title, calls in ((titles[0], lcalls), (titles[1], rcalls)):
                out.write(bold(fit(f"── {label}: {title} ", width).ljust(width, "─")) + "\n")
                for c in calls:
                    for line in wrap(c.text(), w):
                        out.write("  " + line + "\n")
    # below the columns
    cr, ar = requests_in(cpp_calls), requests_in(asm_calls)
    out.write("\n")
    for (title, calls, reqs, procs) in ((titles[0], cpp_calls, cr, cp), (titles[1], asm_calls, ar, ap)):
        parent = len(procs[0][1]) if procs else 0
        children = sum(len(p[1]) for p in procs[1:])
        if reqs:
            out.write(fit(f"{title.split()[0]}: {len(calls)} calls for {reqs} request(s), "
                          f"{len(calls) / reqs:.3g} per request (parent {parent}, children {children})", width) + "\n")
        else:
            out.write(fit(f"{title.split()[0]}: {len(calls)} calls", width) + "\n")
    ccount, acount = name_counts(cpp_calls), name_counts(asm_calls)
    only = [(titles[0].split()[0], n, ccount[n] - acount.get(n, 0)) for n in sorted(ccount) if ccount[n] > acount.get(n, 0)]
    only += [(titles[1].split()[0], n, acount[n] - ccount.get(n, 0)) for n in sorted(acount) if acount[n] > ccount.get(n, 0)]
    if side and any(l is None or r is None for b in range(blocks) for l, r in
                    aligned_rows(cp[b][1] if b < len(cp) else [], ap[b][1] if b < len(ap) else [])):
        out.write("(< a call only the C++ makes at that point, > one only the asm makes)\n")
    if only:
        out.write("\ncalls one makes more often than the other:\n")
        for who, n, k in only:
            reason = REASONS.get(n, "")
            for line in wrap_words(f"  {who} {n} ×{k}" + (f" -- {reason}" if reason else ""), width):
                out.write(line + "\n")
    for n in notes:
        for line in wrap_words(n, width, ""):
            out.write(line + "\n")


def load(path, fmt, server=None):
    """The calls worth showing: a server's after its `listening on` line; a
    program's (lesson 00's, a fixture that runs the program) after the C
    library's start-up.  server=None: a server if it ever accepts."""
    text = open(path, encoding="utf-8", errors="replace").read()
    calls = parse_strace(text) if fmt == "strace" else parse_qemu(text)
    if server is None:
        server = any(c.name in ("accept", "accept4") for c in calls)
    if server:
        shown, found = after_listening(calls)
        if found:
            return shown
    return after_startup(calls) if fmt == "strace" else calls


NOTES_QEMU = [
    "",
    "qemu's -strace shows buffers as addresses (…), not their bytes.  Its log file takes descriptor 3 "
    "in the traced process, so the assembly's descriptors are one higher than the C++'s here (and a "
    "fixture that prints a descriptor's number fails under the tracer only).",
]


# ---------------------------------------------------------------------------
# Fixtures.
# ---------------------------------------------------------------------------
def fixture_runs_program(name):
    """Does the fixture run the program (lesson 00's, a command-line check)
    instead of sending requests to a server?"""
    for d in sorted(os.listdir("lessons")):
        p = os.path.join("lessons", d, "fixtures.json")
        if re.match(r"^\d\d-", d) and os.path.exists(p):
            for f in json.load(open(p, encoding="utf-8")):
                if f["name"] == name:
                    return "run" in f
    return False


def fixture_names(lesson):
    names = []
    for d in sorted(os.listdir("lessons")):
        p = os.path.join("lessons", d, "fixtures.json")
        if not re.match(r"^\d\d-", d) or not os.path.exists(p):
            continue
        for f in json.load(open(p, encoding="utf-8")):
            if f.get("since", 0) <= lesson <= f.get("until", 99):
                names.append(f["name"])
    return names


def list_fixtures(nn, why):
    names = fixture_names(int(nn, 10))
    if why:
        print(why, file=sys.stderr)
    print(f"usage: make trace-{nn} FIXTURE=name   (the {len(names)} fixtures of lesson {nn}:)", file=sys.stderr)
    print_columns(names, sys.stderr)
    sys.exit(2)


def run(nn, fixture, harness, cpp_cmd, asm_cmd, run_asm):
    names = fixture_names(int(nn, 10))
    if not fixture:
        list_fixtures(nn, "")
    if fixture not in names:
        close = difflib.get_close_matches(fixture, names, n=3)
        list_fixtures(nn, f"make trace-{nn}: lesson {nn} has no fixture '{fixture}'"
                      + (f" (did you mean: {', '.join(close)}?)" if close else ""))
    d = tempfile.mkdtemp(prefix="metal-trace.")
    try:
        # the harness may start the servers as nobody (when run as root): the
        # tracers write their files here
        os.chmod(d, 0o777)
        ctrace, atrace = os.path.join(d, "cpp.trace"), os.path.join(d, "asm.trace")
        # -D: strace runs as a detached grandchild, so the pid the harness
        # started is the server itself -- its signals (SIGTERM) and its
        # limits (prlimit) reach the server, not the tracer
        strace = "strace -D -f -qq -s 200 -o "
        cpp = strace + ctrace + " " + cpp_cmd
        if run_asm:
            # -D: a file of its own, line by line.  (On its standard error
            # qemu writes the pid, the call and the result separately, and
            # two processes' pieces mix: tests/trace/02-hello-lone-pid.qemu.)
            asm, afmt = f"{run_asm} -d strace -D {atrace} {asm_cmd}", "qemu"
        else:
            asm, afmt = strace + atrace + " " + asm_cmd, "strace"
        r = subprocess.run([harness, "--lesson", str(int(nn, 10)), "--compare", fixture,
                            "--server", "cpp=" + cpp, "--server", "asm=" + asm],
                           capture_output=True, text=True)
        if r.returncode != 0 or not os.path.exists(ctrace) or not os.path.exists(atrace):
            sys.stderr.write(r.stdout + r.stderr)
            sys.stderr.write(f"make trace-{nn}: the traced run did not finish (harness exit {r.returncode})\n")
            sys.exit(1)
        server = not fixture_runs_program(fixture)
        verdict = re.findall(r"\b(cpp|asm) ([✓✗]) ([^│\n]*?)\s*(?:│|$)", r.stdout, re.M)
        out = sys.stdout
        width = columns()
        what = ("the system calls after `listening on`" if server
                else "the program's system calls after the C library's start-up")
        for line in wrap_words(f"{fixture}: {what}, C++ under strace, "
                               f"asm under {'qemu-aarch64 -strace' if run_asm else 'strace'}", width, "  "):
            out.write(line + "\n")
        if verdict:
            for line in wrap_words("  the fixture: " + ", ".join(" ".join(v) for v in verdict[:2]) +
                                   f" (make compare-{nn} FIXTURE={fixture} shows "
                                   + ("the responses; {docroot} is the harness's fresh copy of the demo site)"
                                      if server else "the output)"), width, "    "):
                out.write(line + "\n")
        titles = ("C++ (strace)", "asm (qemu -strace)" if run_asm else "asm (strace)")
        render(load(ctrace, "strace", server), load(atrace, afmt, server), titles, out, width,
               NOTES_QEMU if run_asm else [])
    finally:
        keep = os.environ.get("TRACE_KEEP")       # the raw traces, for a look (or a test's sample)
        if keep:
            os.makedirs(keep, exist_ok=True)
            for f in ("cpp.trace", "asm.trace"):
                if os.path.exists(os.path.join(d, f)):
                    shutil.copy(os.path.join(d, f), os.path.join(keep, f))
        shutil.rmtree(d, ignore_errors=True)


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)     # `make trace-NN ... | head` ends quietly
    a = sys.argv[1:]
    if a and a[0] == "check" and len(a) == 3:
        if sys.platform == "darwin":
            print("make trace-NN runs on Linux (strace; qemu-aarch64 -strace on x86-64).  On macOS the tracer is "
                  "dtruss, which needs System Integrity Protection relaxed; make compare-NN FIXTURE=name shows "
                  "the two responses instead.", file=sys.stderr)
            sys.exit(2)
        names = fixture_names(int(a[1], 10))
        if a[2] not in names:
            close = difflib.get_close_matches(a[2], names, n=3)
            list_fixtures(a[1], "" if not a[2] else f"make trace-{a[1]}: lesson {a[1]} has no fixture '{a[2]}'"
                          + (f" (did you mean: {', '.join(close)}?)" if close else ""))
    elif a and a[0] == "run" and len(a) >= 6:
        run(a[1], a[2], a[3], a[4], a[5], a[6] if len(a) > 6 else "")
    elif a and a[0] == "show" and len(a) == 5:
        titles = ("C++ (" + a[2] + ")", "asm (" + a[4] + ")")
        render(load(a[1], a[2]), load(a[3], a[4]), titles, sys.stdout, columns(),
               NOTES_QEMU if a[4] == "qemu" else [])
    elif a and a[0] == "list" and len(a) == 2:
        list_fixtures(a[1], "")
    else:
        print(__doc__ or "see the comment at the top of tests/tools/trace-compare.py", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
