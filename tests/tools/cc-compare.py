#!/usr/bin/env python3
# tests/tools/cc-compare.py -- `make cc-NN FN=name`: what the compiler makes
# of a C++ function (cpp/NN-*.cpp, namespace httpd) beside the hand-written
# assembly function of the same name (asm/NN-*.s), both disassembled from
# their objects, each with its instruction count and byte size.
#
#   cc-compare.py NN FN OBJDUMP CXXFLAGS-TEXT -- ASM-OBJECT... -- CPP-OBJECT...
#
# The Makefile compiles the C++ objects for aarch64 (build/cc/lesson-NN/)
# and assembles the .s files (build/lesson-NN/asm/); this script only reads
# them with OBJDUMP (aarch64-linux-gnu-objdump, or objdump / llvm-objdump
# where aarch64 is the machine's own).  FN empty or unknown: the list of
# the lesson's functions instead (exit 2).
#
# The output fits $COLUMNS (else the terminal, else 80): side by side when
# there are 100 columns or more, one function under the other below that.
# Headings are bold on a terminal, and plain text when piped.
#
# What is left out, and why: addresses (each function starts at 0, branch
# targets become labels: the asm's own, `.Lxx` for the compiler's, named by
# their offset), the instruction encodings, objdump's alias comments
# (`// b.hs, b.nlast`).  Calls and address loads show the symbol the linker
# will fill in (the object's relocation), demangled, without its parameter
# list.  The C++ is compiled without -g, and objdump shows no unwind tables,
# so no CFI or debug noise.
import os
import signal
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))   # termcols.py, beside this file
from termcols import columns, print_columns  # noqa: E402


def usage_list(lesson, functions, twins, why):
    out = sys.stderr
    if why:
        print(why, file=out)
    print(f"usage: make cc-{lesson} FN=name   (lesson {lesson}'s assembly functions; "
          "* = no C++ function of that name)", file=out)
    names = [f if f in twins else f + "*" for f in functions]
    print_columns(names, out)
    sys.exit(2)



def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def strip_args(name):
    """httpd::write_all(int, void const*, unsigned long) -> write_all;
    (anonymous namespace)::skip(...) -> skip."""
    name = name.replace("(anonymous namespace)::", "")
    depth, cut = 0, len(name)
    for i in range(len(name) - 1, -1, -1):
        ch = name[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                cut = i
                break
    base = name[:cut] if name.endswith(")") or name.endswith("const") else name
    if base.startswith("httpd::"):
        base = base[len("httpd::"):]
    return base


_demangled = {}


def demangle(names):
    """Itanium C++ names -> readable ones, with one c++filt for all."""
    todo = [n for n in names if n not in _demangled]
    if todo:
        out = subprocess.run(["c++filt"], input="\n".join(todo) + "\n", check=True,
                             capture_output=True, text=True).stdout.splitlines()
        for n, d in zip(todo, out):
            _demangled[n] = d
    return [_demangled.get(n, n) for n in names]


def symbols(objdump, obj):
    """[(name, demangled, section, value, size)] of the function symbols."""
    out = []
    for line in run([objdump, "-t", obj]).splitlines():
        # 0000000000000018 g     F .text  0000000000000060 write_all
        m = re.match(r"^([0-9a-f]+) (.{7}) (\S+)\s+([0-9a-f]+)\s+(.*)$", line)
        if not m or "F" not in m.group(2):
            continue
        name = m.group(5).strip()
        out.append([name, name, m.group(3), int(m.group(1), 16), int(m.group(4), 16)])
    for entry, dem in zip(out, demangle([e[0] for e in out])):
        entry[1] = dem
    return [tuple(e) for e in out]


def asm_function_names(objdump, objs):
    names = []
    for obj in objs:
        for name, _, _, _, _ in symbols(objdump, obj):
            if name not in names:
                names.append(name)
    return names


def cpp_twins(objdump, objs):
    """name -> (object, mangled, demangled) for every httpd:: function
    (or one in an anonymous namespace) with an out-of-line copy."""
    twins = {}
    for obj in objs:
        for name, dem, _, _, _ in symbols(objdump, obj):
            if not (dem.startswith("httpd::") or dem.startswith("(anonymous namespace)::")):
                continue
            short = strip_args(dem)
            twins.setdefault(short, []).append((obj, name, dem))
    return twins


BRANCH = re.compile(r"^(\s*)([0-9a-f]+) <([^>]+)>$")


def disassemble(objdump, obj, symbol, demangle):
    """The function's lines: [('label', text)] or [('insn', text)], its
    instruction count and its byte size."""
    text = run([objdump, "-dr", "--no-show-raw-insn", "--disassemble=" + symbol, obj])
    lines = text.splitlines()
    start = None
    items = []          # (offset, mnemonic, operands) or ('reloc', text) or ('label', name)
    first_header = True
    for line in lines:
        h = re.match(r"^([0-9a-f]+) <(.+)>:$", line)
        if h:
            addr = int(h.group(1), 16)
            if start is None:
                start = addr
            if not first_header:
                items.append(("label", h.group(2), addr - start))
            first_header = False
            continue
        r = re.match(r"^\s+([0-9a-f]+): (R_\S+)\s+(.*)$", line)
        if r:
            # objdump prints a relocation under the instruction it patches
            # (and, at a function's start, sometimes one of the function
            # before: the offset tells them apart)
            if items and items[-1][0] == "insn" and start is not None and \
                    int(r.group(1), 16) - start == items[-1][1]:
                items.append(("reloc", r.group(2), r.group(3)))
            continue
        i = re.match(r"^\s+([0-9a-f]+):\s+(\S+)\s*(.*)$", line)
        if i and start is not None:
            items.append(("insn", int(i.group(1), 16) - start, i.group(2), i.group(3)))
    if start is None:
        return None
    # relocations: the symbol replaces the placeholder target
    merged = []
    for it in items:
        if it[0] == "reloc" and merged and merged[-1][0] == "insn":
            _, off, mn, ops = merged[-1]
            target = it[2]
            target = pretty_symbol(target)
            if mn in ("bl", "b"):
                ops = target
            elif mn == "adrp":
                ops = re.sub(r",.*$", ", " + target, ops)
            else:
                ops = re.sub(r"\s*//.*$", "", ops) + "  // => " + target
            merged[-1] = ("insn", off, mn, ops)
            continue
        if it[0] == "reloc":
            continue
        merged.append(it)
    # branch targets inside the function: labels
    label_at = {it[2]: it[1] for it in merged if it[0] == "label"}
    targets = {}
    out = []
    insns = [it for it in merged if it[0] == "insn"]
    end = (insns[-1][1] + 4) if insns else 0
    for it in insns:
        ops = it[3]
        m = re.search(r"\b([0-9a-f]+) <([^>]+)>", ops)
        if m:
            off = int(m.group(1), 16) - start
            if 0 <= off < end:
                if off not in label_at:
                    targets[off] = ".L%x" % off
    label_at.update(targets)
    for it in merged:
        if it[0] == "label":
            continue
        _, off, mn, ops = it
        if off in label_at:
            out.append(("label", label_at[off] + ":"))
        def repl(m):
            o = int(m.group(1), 16) - start
            if o in label_at:
                return label_at[o]
            return pretty_symbol(m.group(2))
        ops = re.sub(r"\b([0-9a-f]+) <([^>]+)>", repl, ops)
        ops = clean_comment(ops)
        out.append(("insn", f"{mn:<7} {ops}".rstrip()))
    count = len(insns)
    return out, count, end


def pretty_symbol(s):
    s = s.strip()
    m = re.match(r"^(.*?)(\+0x[0-9a-f]+)?$", s)
    base, plus = m.group(1), m.group(2) or ""
    if base.startswith("_Z"):
        base = demangle([base])[0]
    if "(" in base:
        base = strip_args(base)
    elif base.startswith("httpd::"):
        base = base[len("httpd::"):]
    return base + plus


def clean_comment(ops):
    """Keep objdump's decimal value of an immediate (`// #64`) and our
    relocation notes (`// => name`); drop its alias notes (`// b.hs, b.nlast`)."""
    body, _, note = ops.partition("//")
    body = re.sub(r"\s+", " ", body).strip()
    note = note.strip()
    if re.fullmatch(r"#-?\d+", note) or note.startswith("=>"):
        return f"{body}  // {note}"
    return body


def calls(lines):
    out = []
    for kind, text in lines:
        m = re.match(r"^(bl|b)\s+([A-Za-z_][\w:.$]*)$", text) if kind == "insn" else None
        if m and not m.group(2).startswith(".L") and m.group(2) not in out:
            if m.group(1) == "bl" or not any(t == m.group(2) + ":" for _, t in lines):
                out.append(m.group(2))
    return out


def render_lines(lines):
    return [("  " + t) if kind == "insn" else t for kind, t in lines]


def wrap(s, width, indent="      "):
    """s in lines of at most width characters (nothing is cut off)."""
    lines = []
    while len(s) > width:
        cut = max(s.rfind(" ", 0, width) , s.rfind(",", 0, width) + 1)
        if cut <= width // 2:
            cut = width
        lines.append(s[:cut].rstrip())
        s = indent + s[cut:].lstrip()
    lines.append(s)
    return lines


def fit(s, width):
    return s if len(s) <= width else s[:max(0, width - 1)] + "…"


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # `make cc-NN ... | head` ends quietly
    argv = sys.argv[1:]
    lesson, fn, objdump, flags = argv[0], argv[1], argv[2], argv[3]
    rest = argv[4:]
    sep = [i for i, a in enumerate(rest) if a == "--"]
    asm_objs = rest[sep[0] + 1:sep[1]]
    cpp_objs = rest[sep[1] + 1:]

    # GNU objdump's --disassemble=SYMBOL and its symbol table (value, size)
    # are what this reads; a Mac's objdump is LLVM's, and its Mach-O symbol
    # table has no sizes: say so instead of failing halfway.
    version = subprocess.run([objdump, "--version"], capture_output=True, text=True).stdout
    if "GNU objdump" not in version:
        print(f"make cc-{lesson} reads the objects with GNU objdump (binutils), which {objdump} is not; "
              "it runs on Linux (a Mac's objdump is LLVM's)", file=sys.stderr)
        sys.exit(2)
    functions = asm_function_names(objdump, asm_objs)
    twins = cpp_twins(objdump, cpp_objs)
    if not fn:
        usage_list(lesson, functions, twins, "")
    if fn not in functions:
        why = f"make cc-{lesson}: lesson {lesson}'s assembly has no function '{fn}'"
        if fn in twins:
            why += " (it is a C++ helper only)"
        usage_list(lesson, functions, twins, why)

    tty = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    bold = (lambda s: "\033[1m" + s + "\033[0m") if tty else (lambda s: s)

    asm_obj = None
    for obj in asm_objs:
        if any(n == fn for n, *_ in symbols(objdump, obj)):
            asm_obj = obj
            break
    a_lines, a_count, a_size = disassemble(objdump, asm_obj, fn, False)
    a_src = "asm/" + os.path.basename(asm_obj)[:-2] + ".s"
    a_title = f"asm  {fn}"
    a_stats = f"{a_count} instructions, {a_size} bytes  ({a_src}, by hand)"

    if fn in twins:
        obj, mangled, dem = twins[fn][0]
        c = disassemble(objdump, obj, mangled, True)
        c_lines, c_count, c_size = c
        c_src = "cpp/" + os.path.basename(obj)[:-2] + ".cpp"
        c_title = f"C++  {dem}"
        c_stats = f"{c_count} instructions, {c_size} bytes  ({c_src}, {flags})"
        others = [d for _, _, d in twins[fn][1:]]
    else:
        sources = ["cpp/" + os.path.basename(o)[:-2] + ".cpp" for o in cpp_objs]
        named = [p for p in sources if os.path.exists(p) and re.search(r"\b" + re.escape(fn) + r"\(", open(p).read())]
        if named:
            note = [f"(g++ {flags.split()[-1]} kept no copy of {fn} of its own:",
                    f" it is inlined into every caller in {named[0]};",
                    " CC_OPT=-O1 may keep one)"]
        else:
            note = ["(no C++ function of this name: the C++", " does this step another way)"]
        c_lines, c_title = [("insn", t) for t in note], f"C++  {fn}"
        c_stats, others = "", []

    width = columns()
    left, right = render_lines(c_lines), render_lines(a_lines)
    if width >= 100:
        w = (width - 3) // 2
        def pair(l, r, heading=False):
            # a cell too long for its column goes on in the lines below it
            lw, rw = wrap(l, w), wrap(r, w)
            for k in range(max(len(lw), len(rw))):
                a = lw[k] if k < len(lw) else ""
                b = rw[k] if k < len(rw) else ""
                if heading and tty:
                    print((bold(a) + " " * (w - len(a)) + " │ " + bold(b)).rstrip())
                else:
                    print((a.ljust(w) + " │ " + b).rstrip())
        pair(c_title, a_title, heading=True)
        pair(c_stats, a_stats)
        print("─" * w + "─┼─" + "─" * w)
        for i in range(max(len(left), len(right))):
            pair(left[i] if i < len(left) else "", right[i] if i < len(right) else "")
    else:
        for title, stats, body in ((c_title, c_stats, left), (a_title, a_stats, right)):
            for line in wrap(title, width):
                print(bold(line))
            for line in wrap(stats, width) if stats else []:
                print(line)
            print("─" * width)
            for l in body:
                for line in wrap(l, width):
                    print(line)
            print()
    if others:
        print("\nthe C++ has more functions of this name (overloads), not shown: " + "; ".join(others))
    if c_stats:
        notes = [f"C++ {c_count} instructions ({c_size} bytes), asm {a_count} ({a_size} bytes)"]
        for who, lines in (("C++", c_lines), ("asm", a_lines)):
            called = calls(lines)
            if called:
                notes.append(f"{who} calls (not counted above): " + ", ".join(called))
        if any("svc" in t for _, t in a_lines):
            notes.append("the asm's system calls (svc) are counted; the C++ reaches the kernel "
                         "through libc's wrappers, which are not")
        print()
        for n in notes:
            for line in wrap(n, width, "  "):
                print(line)


if __name__ == "__main__":
    main()
