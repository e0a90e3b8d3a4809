#!/usr/bin/env python3
# tests/trace/trace_test.py -- the parser behind `make trace-NN`
# (tests/tools/trace-compare.py), on traces recorded from both tools:
#
#   08-listing-root.strace       strace -f -qq -s 200, the lesson-08 C++ server,
#                                fixture listing-root-has-no-parent-link
#   08-listing-root.qemu         qemu-aarch64 -d strace, the lesson-08 assembly,
#                                same fixture; the parent's last accept and the
#                                child's first call share a line
#   08-listing-root-glued.qemu   the same run again, where the child's return
#                                from clone (" = 0") landed on the parent's
#                                accept line instead of a line of its own
#   10-put-new.strace / .qemu    the lesson-10 servers, fixture methods-put-new-201
#                                (run with -w): a PUT, then a GET of the new file;
#                                the parent polls between accepts, and a child's
#                                " = 0" lands on the parent's waiting ppoll
#   02-hello-lone-pid.qemu       lesson 02's assembly, fixture socket-hello-fixed-response,
#                                logged on qemu's standard error (-strace 2> FILE, as
#                                the lesson pages once did): the parent's
#                                pid, then the child's whole line, then the
#                                rest of the parent's ("24818 24827 write(...")
#   00-existing-directory.strace / .qemu   lesson 00's program (no server),
#                                fixture syscalls-existing-directory-opens
#
# The expectations come from what the servers do (the lesson pages' traces:
# lessons/08-listing/README.md) and from the tools' documented formats
# (strace(1): "<unfinished ...>" / "<... resumed>"; qemu's -strace), not
# from this parser's output.  Prints one line per failed check and ends
# with "N passed, N failed" (make test's run-suites.sh counts it).
import io
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tools"))
import importlib.util

spec = importlib.util.spec_from_file_location("trace_compare", os.path.join(here, "..", "tools", "trace-compare.py"))
tc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tc)

passed = failed = 0


def check(what, ok, got=None):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what}" + (f": got {got!r}" if got is not None else ""))


def sample(name):
    return os.path.join(here, name)


def texts(calls):
    return [c.text() for c in calls]


# --- strace: the whole trace, then the part after `listening on` ------------
raw = tc.parse_strace(open(sample("08-listing-root.strace")).read())
check("strace: execve is the first call of the whole trace", raw[0].name == "execve", raw[0].name)
cpp = tc.load(sample("08-listing-root.strace"), "strace")
names = [c.name for c in cpp]
check("strace: nothing of the start-up after `listening on` (no mmap, no execve)",
      "mmap" not in names and "execve" not in names, names[:5])
check("strace: the first call after `listening on` ignores SIGCHLD (lesson 02)",
      cpp[0].name == "rt_sigaction" and cpp[0].args[0] == "SIGCHLD", cpp[0].text())
procs = tc.processes(cpp)
check("strace: two processes, the parent first", len(procs) == 2 and procs[0][0].startswith("parent"),
      [p[0] for p in procs])
parent = texts(procs[0][1])
check("strace: the parent accepts, forks, closes its copy, accepts again",
      [c.name for c in procs[0][1]] == ["rt_sigaction", "accept", "clone", "close", "accept"], parent)
check("strace: clone's result names the child", "clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD) = child 1" in parent,
      parent)
check("strace: an <unfinished ...> call never resumed is still waiting",
      parent[-1] == "accept(4, NULL, NULL) = (still waiting)", parent[-1])
child = procs[1][1]
check("strace: the child's request is read as a string",
      child[2].text() == 'read(5, "GET / HTTP/1.1\\r\\nHost: example.com\\r\\n\\r\\n", 8192) = 37', child[2].text())
enoent = [c for c in child if c.name == "openat" and '"index.html"' in c.args]
check("strace: an error result is -1 and the errno's name",
      len(enoent) == 1 and enoent[0].result == "-1 ENOENT", texts(enoent))
utf8 = [c for c in child if c.name == "newfstatat" and "日本.txt" in c.args[1]]
check("strace: octal escapes of UTF-8 bytes become the characters", len(utf8) == 1,
      [c.args[1] for c in child if c.name == "newfstatat"][:3])
check("strace: exit_group has no result (it does not return)", child[-1].text() == "exit_group(0)", child[-1].text())

# unfinished / resumed, in strace(1)'s documented form
pair = tc.parse_strace('7 accept(4, NULL, NULL <unfinished ...>\n'
                       '8 close(4) = 0\n'
                       '7 <... accept resumed>) = 5\n')
check("strace: <unfinished ...> and <... resumed> make one call",
      texts(pair) == ["close(4) = 0", "accept(4, NULL, NULL) = 5"], texts(pair))

# --- qemu -strace ------------------------------------------------------------
qraw = tc.parse_qemu(open(sample("08-listing-root.qemu")).read())
setsock = [c for c in qraw if c.name == "setsockopt"]
check("qemu: setsockopt's level and option by name, five arguments (qemu prints six numbers)",
      len(setsock) == 1 and setsock[0].args[:3] == ["5", "SOL_SOCKET", "SO_REUSEADDR"] and len(setsock[0].args) == 5,
      texts(setsock))
sock = [c for c in qraw if c.name == "socket"]
check("qemu: PF_INET is AF_INET, as strace says", sock and sock[0].args[0] == "AF_INET", texts(sock))
gsn = [c for c in qraw if c.name == "getsockname"]
check("qemu: getsockname has its three arguments", gsn and len(gsn[0].args) == 3, texts(gsn))
asm = tc.load(sample("08-listing-root.qemu"), "qemu")
check("qemu: the first call after `listening on` ignores SIGCHLD", asm[0].text() == "rt_sigaction(SIGCHLD, …, NULL) = 0",
      asm[0].text())
aprocs = tc.processes(asm)
aparent = texts(aprocs[0][1])
check("qemu: the parent's calls, one of them sharing a line with the child's first",
      aparent == ["rt_sigaction(SIGCHLD, …, NULL) = 0", "accept(5, NULL, NULL) = 6", "clone(SIGCHLD) = child 1",
                  "close(6) = 0", "accept(5, NULL, NULL) = (still waiting)"], aparent)
achild = aprocs[1][1]
check("qemu: the child's first call is its close of the listener", achild[0].text() == "close(5) = 0", achild[0].text())
aopen = [c for c in achild if c.name == "openat"]
check("qemu: aarch64's O_NOFOLLOW, which qemu 7.2 prints as O_LARGEFILE, is O_NOFOLLOW",
      all("O_NOFOLLOW" in c.args[2] and "O_LARGEFILE" not in c.args[2] for c in aopen) and len(aopen) == 2,
      texts(aopen))
check("qemu: errno=2 is -1 ENOENT", aopen[1].result == "-1 ENOENT", aopen[1].text())
check("qemu: a buffer's address is …", achild[1].text() == "read(6, …, 8192) = 37", achild[1].text())
check("qemu: exit_group has no result", achild[-1].text() == "exit_group(0)", achild[-1].text())

glued = tc.processes(tc.load(sample("08-listing-root-glued.qemu"), "qemu"))
check("qemu: the child's ' = 0' glued to the parent's accept is not accept's result",
      texts(glued[0][1])[-1] == "accept(5, NULL, NULL) = (still waiting)", texts(glued[0][1]))
check("qemu: ... and the parent's close keeps its 0", "close(6) = 0" in texts(glued[0][1]), texts(glued[0][1]))

# --- both, side by side --------------------------------------------------------
rows = tc.aligned_rows(procs[1][1], aprocs[1][1])
fst = [(l, r) for l, r in rows if r is not None and r.name == "fstat"]
check("side by side: glibc's newfstatat(fd, \"\", AT_EMPTY_PATH) sits beside the assembly's fstat",
      len(fst) == 1 and fst[0][0] is not None and fst[0][0].name == "newfstatat",
      [(l and l.name, r and r.name) for l, r in fst])
only_cpp = [l.name for l, r in rows if r is None]
only_asm = [r.name for l, r in rows if l is None]
check("side by side: only the C++ child calls set_robust_list; the asm has nothing of its own",
      only_cpp == ["set_robust_list"] and only_asm == [], (only_cpp, only_asm))

out = io.StringIO()
tc.render(cpp, asm, ("C++ (strace)", "asm (qemu)"), out, 120, [])
text = out.getvalue()
check("render: 35 calls for the C++, 34 for the asm, one request each",
      "C++: 35 calls for 1 request(s), 35 per request (parent 5, children 30)" in text
      and "asm: 34 calls for 1 request(s), 34 per request (parent 5, children 29)" in text, text[-700:])
check("render: set_robust_list's reason is given", "set_robust_list ×1 -- glibc" in text, text[-700:])
check("render: every line fits 120 columns", all(len(l) <= 120 for l in text.splitlines()),
      max(len(l) for l in text.splitlines()))
check("render: no terminal escapes when not a terminal", "\033[" not in text)
narrow = io.StringIO()
tc.render(cpp, asm, ("C++ (strace)", "asm (qemu)"), narrow, 60, [])
check("render: at 60 columns one trace under the other, every line fits",
      "── parent (the accept loop): asm (qemu)" in narrow.getvalue()
      and all(len(l) <= 60 for l in narrow.getvalue().splitlines()),
      max(len(l) for l in narrow.getvalue().splitlines()))

# --- lesson 10: an upload, then a GET -------------------------------------------
pc = tc.processes(tc.load(sample("10-put-new.strace"), "strace"))
pa = tc.processes(tc.load(sample("10-put-new.qemu"), "qemu"))
check("put: a parent and two children (the PUT, then the GET) on both sides",
      [p[0] for p in pc] == [p[0] for p in pa] == ["parent (the accept loop)", "child 1 (one connection)",
                                                  "child 2 (one connection)"], ([p[0] for p in pc], [p[0] for p in pa]))
for who, procs_ in (("C++", pc), ("asm", pa)):
    n = [c.name for c in procs_[1][1]]
    check(f"put ({who}): fsync before the rename that publishes the file",
          "fsync" in n and "renameat" in n and n.index("fsync") < n.index("renameat"), n)
rn = [c for c in pa[1][1] if c.name == "renameat"]
check("put (asm): the control byte in the temporary name is shown as an escape, as strace does",
      len(rn) == 1 and rn[0].args[1].startswith('"\\1upload-'), [c.text() for c in rn])
ppolls = [c for c in pa[0][1] if c.name == "ppoll"]
check("qemu: the parent's ppoll that a child's ' = 0' landed on gets its own result, = 1, from the line after",
      [c.result for c in ppolls] == ["1", "1", "(still waiting)"], [c.text() for c in ppolls])
w = [c for c in pa[0][1] if c.name == "wait4"]
check("qemu: wait4's options by name, a null pointer as NULL", w and w[0].args[2:] == ["WNOHANG", "NULL"],
      [c.text() for c in w][:1])
so = [c for c in pc[1][1] if c.name == "setsockopt"]
check("strace: SO_RCVTIMEO_OLD (x86-64's name for 20) is SO_RCVTIMEO, as on aarch64",
      [c.args[2] for c in so] == ["SO_RCVTIMEO", "SO_SNDTIMEO"], [c.text() for c in so])
intr = [c for c in pc[0][1] if c.result.startswith("? interrupted")]
check("strace: a poll a signal interrupted says so", len(intr) == 2, [c.text() for c in pc[0][1] if c.name == "poll"])
prow = [(l, r) for l, r in tc.aligned_rows(pc[0][1], pa[0][1]) if l is not None and r is not None and l.name == "poll"]
check("side by side: x86-64's poll sits beside aarch64's ppoll", len(prow) == 3 and all(r.name == "ppoll" for _, r in prow),
      [(l.name, r.name) for l, r in prow])

# --- a pid printed alone, another process's line after it --------------------------
lp = tc.processes(tc.load(sample("02-hello-lone-pid.qemu"), "qemu"))
check("qemu: a lone pid's call, printed after another process's line, is still its own",
      texts(lp[0][1]) == ["rt_sigaction(SIGCHLD, …, NULL) = 0", "accept(3, NULL, NULL) = 4", "clone(SIGCHLD) = child 1",
                          "close(4) = 0", "accept(3, NULL, NULL) = (still waiting)"], texts(lp[0][1]))
check("qemu: ... and the line it interrupted is the child's",
      texts(lp[1][1]) == ["close(3) = 0", "read(4, …, 1024) = 27", "write(4, …, 120) = 120", "write(4, …, 23) = 23",
                          "exit_group(0)"], texts(lp[1][1]))

# --- lesson 00: a program, not a server ----------------------------------------
p0c = tc.load(sample("00-existing-directory.strace"), "strace", server=False)
p0a = tc.load(sample("00-existing-directory.qemu"), "qemu", server=False)
check("program (C++): the start-up is left out, the greeting is the first call",
      p0c[0].name == "write" and "hello from metal-httpd" in p0c[0].args[1], p0c[0].text())
check("program: nine calls each, the same names in the same order",
      [c.name for c in p0c] == [c.name for c in p0a] and len(p0c) == 9, (texts(p0c), texts(p0a)))
check("program: labelled as the program, not as an accept loop",
      [p[0] for p in tc.processes(p0c)] == ["the program"], [p[0] for p in tc.processes(p0c)])
check("program: load() on its own sees no server (no accept)",
      texts(tc.load(sample("00-existing-directory.strace"), "strace")) == texts(p0c))

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
