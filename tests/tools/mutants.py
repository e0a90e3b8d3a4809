#!/usr/bin/env python3
"""tests/tools/mutants.py -- mutation testing of one lesson's assembly.

    mutants.py NN COUNT SEED        (make mutants-NN [COUNT=20] [SEED=1])

How strong are lesson NN's tests?  Plant one small change (a mutant) in the
lesson's stage files asm/NN-*.s, build, and see whether the tests notice.
The mutants are every one of these that the stage files allow, inside a
function (FUNC ... ENDFUNC), on the lines Linux assembles (not in
`.if OS_DARWIN` blocks); COUNT of them are drawn with SEED:
  cond    a conditional branch's condition flipped (b.eq <-> b.ne, b.lo <->
          b.hs, b.hi <-> b.ls, ...) or weakened / strengthened by one
          (b.lo <-> b.ls, b.hi <-> b.hs, b.lt <-> b.le, b.gt <-> b.ge); the
          condition of csel / cset / csinc ... flipped; cbz <-> cbnz,
          tbz <-> tbnz
  imm     an immediate (#n, #'c', #NAME) plus or minus one (not the offsets
          of ldp / stp, which must stay multiples of 8, nor movk's shifts)
  width   a load or store of another width: ldrb <-> ldrh, strb <-> strh,
          ldr/str of a w register -> ldrh/strh, of an x register -> the w one
  delete  an instruction (or a macro: CALL, SYSCALL, ...) deleted
Each mutant goes through exercise mode (docs/write-it-yourself.md): the
mutated function is build/mutants/NN/student/NN-slug/FN.s, and make
STUDENT_DIR=build/mutants/NN/student builds lesson NN's server and the
asm-vs-C++ suite with it; nothing tracked changes.  Then, with a time limit:
  1. the suite's lesson NN tests (--gtest_filter=LessonNN*; a test silent
     for 20 s is killed and counts as failed), and
  2. the fixtures lesson NN introduces (the harness's --new-only), against
     the server.
A mutant is KILLED when either fails (or runs past its time limit: killed
by timeout), SURVIVED when both pass, and DID NOT BUILD when the assembler
refuses it.  Before the first mutant the course's own version goes through
the same steps, and must pass them.  Every survivor is listed with its
file:line and the change: each is either equivalent (no program could tell
it from the original) or a missing test -- docs/mutants.md.
Results: one line per mutant, the score, and build/mutants/NN/results.json.
"""
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

BUILD = os.environ.get("BUILD", "build")
MAKE = os.environ.get("MAKE", "make")
RUN_ASM = os.environ.get("RUN_ASM", "").split()
TEST_TIMEOUT = 20        # METAL_TEST_TIMEOUT: one test silent this long is killed
SUITE_TIMEOUT = 240      # the lesson's tests as a whole
FIXTURE_TIMEOUT = 300    # the lesson's fixtures as a whole
BUILD_TIMEOUT = 600

FLIP = {"eq": "ne", "ne": "eq", "hs": "lo", "lo": "hs", "cs": "cc", "cc": "cs", "hi": "ls", "ls": "hi",
        "ge": "lt", "lt": "ge", "gt": "le", "le": "gt", "mi": "pl", "pl": "mi", "vs": "vc", "vc": "vs"}
BOUNDARY = {"lo": "ls", "ls": "lo", "hi": "hs", "hs": "hi", "cc": "ls", "cs": "hi",
            "lt": "le", "le": "lt", "gt": "ge", "ge": "gt"}
COND_OPS = {"csel", "csinc", "csinv", "csneg", "cset", "csetm", "cinc", "cinv", "cneg", "ccmp", "ccmn"}
WIDTH = {"ldrb": "ldrh", "ldrh": "ldrb", "strb": "strh", "strh": "strb", "ldrsb": "ldrsh", "ldrsh": "ldrsb"}
NO_DELETE = {"FUNC", "ENDFUNC", "RODATA"}

LINE = re.compile(r"^(?P<label>(?:[A-Za-z_.$][\w.$]*|\d+):)?(?P<ws>[ \t]+)(?P<op>[A-Za-z][\w.]*)(?P<rest>.*)$")


def split_comment(rest):
    """(operands, comment): the comment starts at a // outside quotes."""
    i, n = 0, len(rest)
    while i < n:
        c = rest[i]
        if c == "'":
            i += 3 if i + 2 < n and rest[i + 2] == "'" else 2   # 'c' or 'c
            continue
        if c == '"':
            j = rest.find('"', i + 1)
            i = n if j < 0 else j + 1
            continue
        if rest.startswith("//", i):
            return rest[:i], rest[i:]
        i += 1
    return rest, ""


def bump(expr, d):
    """An immediate's text plus d (+1 or -1)."""
    m = re.fullmatch(r"(-?)(0x[0-9a-fA-F]+|\d+)", expr)
    if m:
        v = int(m.group(0), 0) + d
        return ("-" if v < 0 else "") + (hex(abs(v)) if "0x" in expr else str(abs(v)))
    return "(" + expr + ")" + ("+1" if d > 0 else "-1")


def imm_mutants(op, operands):
    """Every #immediate of the operands, +1 and -1."""
    out = []
    i = 0
    while i < len(operands):
        c = operands[i]
        if c == "'":
            i += 3 if i + 2 < len(operands) and operands[i + 2] == "'" else 2
            continue
        elif c == "#":
            j = i + 1
            while j < len(operands) and operands[j] not in ",]!":
                if operands[j] == "'":
                    j += 3 if j + 2 < len(operands) and operands[j + 2] == "'" else 2
                    continue
                j += 1
            expr = operands[i + 1:j].strip()
            before = operands[:i].rstrip().lower()
            skip = (op in ("ldp", "stp", "ldpsw")                      # offsets: multiples of 8
                    or (op in ("movk", "movz", "movn") and before.endswith("lsl"))
                    or not expr)
            if not skip:
                for d in (1, -1):
                    out.append(("imm", operands[:i + 1] + bump(expr, d) + operands[j:],
                                "#%s -> #%s" % (expr, bump(expr, d))))
            i = j
            continue
        i += 1
    return out


def line_mutants(op, operands):
    """(kind, new op, new operands, what) for one statement."""
    out = []
    lop = op.lower()
    m = re.fullmatch(r"b\.(\w\w)", lop)
    if m and m.group(1) in FLIP:
        c = m.group(1)
        out.append(("cond", "b." + FLIP[c], operands, "%s -> b.%s" % (op, FLIP[c])))
        if c in BOUNDARY:
            out.append(("cond", "b." + BOUNDARY[c], operands, "%s -> b.%s" % (op, BOUNDARY[c])))
    swap = {"cbz": "cbnz", "cbnz": "cbz", "tbz": "tbnz", "tbnz": "tbz"}
    if lop in swap:
        out.append(("cond", swap[lop], operands, "%s -> %s" % (op, swap[lop])))
    if lop in COND_OPS:
        parts = operands.rstrip().rsplit(",", 1)
        if len(parts) == 2 and parts[1].strip().lower() in FLIP:
            c = parts[1].strip().lower()
            out.append(("cond", op, parts[0] + ", " + FLIP[c], "%s ..., %s -> %s" % (op, c, FLIP[c])))
    if lop in WIDTH:
        out.append(("width", WIDTH[lop], operands, "%s -> %s" % (op, WIDTH[lop])))
    if lop in ("ldr", "str"):
        r = re.match(r"(\s*)([wx])(\d+|zr)\b", operands)
        if r and r.group(2) == "w":
            new = "ldrh" if lop == "ldr" else "strh"
            out.append(("width", new, operands, "%s w -> %s" % (op, new)))
        elif r and r.group(2) == "x":
            out.append(("width", op, r.group(1) + "w" + r.group(3) + operands[r.end():],
                        "%s x%s -> %s w%s" % (op, r.group(3), op, r.group(3))))
    for kind, new_operands, what in imm_mutants(lop, operands):
        out.append((kind, op, new_operands, what))
    if op not in NO_DELETE:
        out.append(("delete", None, None, "%s deleted" % op))
    return out


def enumerate_mutants(files):
    """Every mutant of the stage files: dicts with file, line (1-based),
    function, kind, what, text (the new line)."""
    mutants, functions = [], {}
    for path in files:
        lines = open(path).read().split("\n")
        fn, start, active = None, 0, []
        for no, line in enumerate(lines, 1):
            s = line.strip()
            # .if OS_DARWIN: not assembled on Linux (its .else is); any
            # other condition: taken as assembled, both ways
            if re.match(r"\.if\b", s):
                darwin = re.fullmatch(r"\.if\s+OS_DARWIN\s*", s.split("//")[0]) is not None
                active.append([not darwin, darwin])       # [assembled?, known?]
                continue
            if re.match(r"\.else\b", s):
                if active and active[-1][1]:
                    active[-1][0] = not active[-1][0]
                continue
            if re.match(r"\.endif\b", s):
                if active:
                    active.pop()
                continue
            if line.startswith("FUNC "):
                fn, start = line.split()[1], no
                continue
            if line.startswith("ENDFUNC "):
                functions[(path, fn)] = (start, no)
                fn = None
                continue
            if fn is None or not all(a[0] for a in active):
                continue
            m = LINE.match(line)
            if not m or m.group("op").startswith("."):
                continue
            operands, comment = split_comment(m.group("rest"))
            for kind, new_op, new_operands, what in line_mutants(m.group("op"), operands):
                head = (m.group("label") or "") + m.group("ws")
                if new_op is None:
                    text = head.rstrip() if m.group("label") else ""
                    text += ("  " if text else "        ") + "// mutant: deleted"
                else:
                    pad = " " * max(1, len(m.group("op")) + len(operands) - len(new_op) - len(new_operands))
                    text = head + new_op + new_operands + (pad + comment.lstrip() if comment else "")
                    text = text.rstrip()
                mutants.append({"file": path, "line": no, "function": fn, "kind": kind, "what": what,
                                "original": line.strip(), "text": text})
    return mutants, functions


def run(cmd, timeout, env=None, log=None):
    """(exit status, timed out?): the command in a process group of its own,
    killed with all its children when the time is up."""
    out = open(log, "ab") if log else subprocess.DEVNULL
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        return p.wait(timeout=timeout), False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        return 124, True
    finally:
        if log:
            out.close()


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: mutants.py NN COUNT SEED")
    lesson, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    prog = os.environ.get("PROG", "syscalls" if lesson == "00" else "httpd")
    files = sorted("asm/" + f for f in os.listdir("asm")
                   if f.startswith(lesson + "-") and f.endswith(".s") and not f.endswith("-main.s"))
    if not files:
        sys.exit("mutants: lesson %s has no assembly stage (asm/%s-*.s)" % (lesson, lesson))
    work = os.path.join(BUILD, "mutants", lesson)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    student = os.path.join(work, "student")
    server = os.path.join(BUILD, "lesson-%s" % lesson, prog + "-asm")
    suite = os.path.join(BUILD, "tests", "asm-tests")
    env = dict(os.environ, MAKEFLAGS="", MFLAGS="", METAL_TEST_TIMEOUT=str(TEST_TIMEOUT))

    everything, functions = enumerate_mutants(files)
    chosen = random.Random(seed).sample(everything, min(count, len(everything)))
    chosen.sort(key=lambda m: (m["file"], m["line"], m["what"]))
    print("mutants-%s: %d of the %d mutants of %s (SEED=%d)" % (lesson, len(chosen), len(everything), " ".join(files), seed))
    print("  each: make STUDENT_DIR=%s %s %s, then lesson %s's tests (%s --gtest_filter='Lesson%s*') and the fixtures it introduces (harness --new-only)"
          % (student, server, suite, lesson, " ".join(RUN_ASM + [suite]), lesson))

    def plant(m):
        """The student directory holds the mutant's function (None: the course's)."""
        shutil.rmtree(student, ignore_errors=True)
        os.makedirs(student)
        if m is None:
            return
        stage = os.path.basename(m["file"])[:-2]
        start, end = functions[(m["file"], m["function"])]
        lines = open(m["file"]).read().split("\n")[start - 1:end]
        lines[m["line"] - start] = m["text"]
        os.makedirs(os.path.join(student, stage))
        with open(os.path.join(student, stage, m["function"] + ".s"), "w") as f:
            f.write("\n".join(lines) + "\n")

    def fresh(path):
        """path, with the report an earlier mutant left there removed: a
        run that writes none must not be read as this one's."""
        if os.path.exists(path):
            os.remove(path)
        return path

    def json_list(path, key):
        """The list under key in the JSON report at path; [] when the run
        wrote none (it crashed or was stopped)."""
        try:
            return json.load(open(path)).get(key, [])
        except (OSError, ValueError):
            return []

    def check(m, log):
        """('killed' | 'survived' | 'build', what killed it / the build error)."""
        plant(m)
        # BUILD on the command line: the Makefile's own `BUILD := build`
        # would win over the environment's
        rc, late = run([MAKE, "--no-print-directory", "-s", "BUILD=" + BUILD, "STUDENT_DIR=" + student, server, suite],
                       BUILD_TIMEOUT, env, log)
        if rc != 0:
            err = ""
            for line in open(log, errors="replace"):
                if "Error" in line or "error" in line:
                    err = line.strip()
                    break
            return "build", ("build ran past %d s" % BUILD_TIMEOUT) if late else err
        report = fresh(os.path.join(work, "tests.json"))
        rc, late = run(RUN_ASM + [suite, "--gtest_filter=Lesson%s*" % lesson, "--report=" + report],
                       SUITE_TIMEOUT, env, log)
        if late:
            return "killed", "timeout: lesson %s's tests ran past %d s" % (lesson, SUITE_TIMEOUT)
        if rc != 0:
            tests = json_list(report, "tests")
            bad = [t for t in tests if t.get("result") not in ("passed", "skipped")]
            if bad:
                t = bad[0]
                how = "crashed" if t.get("result") == "crashed" else "failed"
                what = (t.get("crash") or {}).get("what", "")
                timeout = "timeout" if "no word from it" in what else ""
                return "killed", "%stest %s %s%s" % (timeout + ": " if timeout else "", t.get("name"), how,
                                                      " (%s)" % what if what else "") + \
                    (" (+%d more)" % (len(bad) - 1) if len(bad) > 1 else "")
            return "killed", "lesson %s's tests exited with %d" % (lesson, rc)
        fixtures = fresh(os.path.join(work, "fixtures.json"))
        rc, late = run([os.path.join(BUILD, "harness"), "--lesson", str(int(lesson)), "--new-only",
                        "--server", "asm=" + server, "--json", fixtures], FIXTURE_TIMEOUT, env, log)
        if late:
            return "killed", "timeout: lesson %s's fixtures ran past %d s" % (lesson, FIXTURE_TIMEOUT)
        if rc != 0:
            fx = json_list(fixtures, "fixtures")
            bad = [f["name"] for f in fx if not f["results"]["asm"].get("pass", False)]
            if bad:
                return "killed", "fixture %s%s" % (bad[0], " (+%d more)" % (len(bad) - 1) if len(bad) > 1 else "")
            return "killed", "the harness exited with %d" % rc
        return "survived", ""

    t0 = time.time()
    verdict, why = check(None, os.path.join(work, "course.log"))
    if verdict != "survived":
        print("mutants-%s: the course's own version does not pass (%s): see %s" % (lesson, why or verdict, os.path.join(work, "course.log")))
        plant(None)
        sys.exit(2)
    print("  the course's version: builds, passes (%.0f s)" % (time.time() - t0))

    results = []
    for i, m in enumerate(chosen, 1):
        t = time.time()
        verdict, why = check(m, os.path.join(work, "mutant-%02d.log" % i))
        m = dict(m, verdict=verdict, why=why, seconds=round(time.time() - t, 1))
        results.append(m)
        tag = {"killed": "killed  ", "survived": "SURVIVED", "build": "no build"}[verdict]
        print("  %s %s:%d %s: %s%s   (%.0f s)" % (tag, m["file"], m["line"], m["function"], m["what"],
                                                  " -- " + why if why else "", m["seconds"]), flush=True)
    plant(None)
    shutil.rmtree(student, ignore_errors=True)

    killed = [r for r in results if r["verdict"] == "killed"]
    timeouts = [r for r in killed if r["why"].startswith("timeout")]
    survived = [r for r in results if r["verdict"] == "survived"]
    nobuild = [r for r in results if r["verdict"] == "build"]
    built = len(killed) + len(survived)
    score = 100.0 * len(killed) / built if built else 0.0
    print("\nmutants-%s: %d mutants: %d killed (%d of them by a timeout), %d survived, %d did not build;"
          " %d of %d built mutants killed (%.0f %%), %.0f s"
          % (lesson, len(results), len(killed), len(timeouts), len(survived), len(nobuild), len(killed), built,
             score, time.time() - t0))
    if survived:
        print("survivors (each is equivalent, or a test is missing):")
        for r in survived:
            print("  %s:%d %s: %s   [%s]  ->  [%s]" % (r["file"], r["line"], r["function"], r["what"],
                                                     r["original"], r["text"].strip()))
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump({"lesson": lesson, "count": count, "seed": seed, "mutants_possible": len(everything),
                   "killed": len(killed), "killed_by_timeout": len(timeouts), "survived": len(survived),
                   "did_not_build": len(nobuild), "results": results}, f, indent=2)
    print("results: %s" % os.path.join(work, "results.json"))
    print("(the next make rebuilds lesson %s's objects as the course has them)" % lesson)


if __name__ == "__main__":
    main()
