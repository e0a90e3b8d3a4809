#!/usr/bin/env bash
# tests/tools/check-labels.sh [NN...] -- the `labels` suite of make test:
# every named label in asm/*.s is one that something refers to
# (docs/architecture.md, "Labels").  A label becomes a symbol in the
# object file on both systems, and gdb, objdump and perf name every
# address after it by that label instead of by its function -- so a label
# exists only where a student can use it: a function's entry point (FUNC,
# .globl), a branch or call target (b, b.cond, cbz, tbz, bl, CALL, JUMP,
# STEP ...), or an address the code takes (adr, adrp, LOAD_ADDR, a data
# word, `. - label`).  A signpost that nothing branches to is a comment
# header instead:  // -- open_path: ...
#
# "Refers to" means: the name appears as an operand in the same file (the
# first word of a statement is its mnemonic, directive or macro, never a
# use).  Comments and string literals do not count.  Numeric labels
# (`1:` with `1b` / `1f`) are the assembler's own local labels on both
# systems and are not checked.
#
# Files hold `.if LESSON >= N` and `.if OS_DARWIN` blocks, so the check
# reads each file once per lesson it is assembled for (the Makefile's rule:
# NN-*.s from lesson NN on, NN-*-main.s in lesson NN only, httpd.s from
# lesson 01 on) and per system: a label whose only branch sits in a block
# another lesson (or the other system) leaves out is caught there.  Any
# other condition (an assembly-time check before an `.error`) is read on
# both of its branches.  The reading is tests/tools/check-labels.awk.
#
# The lessons are the arguments, or every lessons/NN-* directory.  Prints
# one line per self-test (the check on small sources with a planted
# label) and per file, and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."

if [ $# -gt 0 ]; then lessons=$*
else lessons=$(ls -d lessons/[0-9][0-9]-* | sed 's|^lessons/\([0-9][0-9]\)-.*|\1|'); fi

# built_in FILE -> the lessons (of $lessons) whose build assembles FILE.
built_in() {
    local base n out=""
    base=$(basename "$1")
    for n in $lessons; do
        case "$base" in
            httpd.s)             [ "$n" != 00 ] && out="$out $n" ;;
            [0-9][0-9]-*-main.s) [ "$n" = "${base%%-*}" ] && out="$out $n" ;;
            [0-9][0-9]-*.s)      [ "$((10#$n))" -ge "$((10#${base%%-*}))" ] && out="$out $n" ;;
        esac
    done
    echo $out
}

pass=0; fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-labels.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# First the check itself, on small sources with a known answer: each must
# end as expected (ok, or FAIL naming the planted label and where).
# selftest WHAT LESSONS EXPECT [PATTERN] < SOURCE
selftest() {
    local what=$1 in=$2 expect=$3 pattern=${4:-} out got
    cat > "$tmp/t.s"
    if out=$(awk -v lessons="$in" -v file=t.s -f tests/tools/check-labels.awk "$tmp/t.s"); then got=ok; else got=fail; fi
    if [ "$got" = "$expect" ] && { [ -z "$pattern" ] || echo "$out" | grep -q -e "$pattern"; }; then
        pass=$((pass + 1)); echo "ok    self-test: $what"
    else
        fail=$((fail + 1)); echo "FAIL  self-test: $what: expected $expect${pattern:+ with /$pattern/}, got:"
        echo "$out" | sed 's/^/      /'
    fi
}
selftest "every kind of use counts" "08" ok <<'SRC'
FUNC f
        b.eq    f_a                       // b.cond
        cbz     x0, f_b
        tbnz    w0, #31, f_c
        CALL    f_helper
        LOAD_ADDR x1, f_data
        STEP    f_step
f_a:
f_b:    nop
f_c:
        b       f_d
f_d:    ret
f_helper:
f_step: ret
ENDFUNC f
        RODATA
f_data: .ascii "x"
        .equ    F_DATA_LEN, . - f_data
f_table:
        .quad   f_a
        .globl  f_table
SRC
selftest "a planted signpost label fails" "08" fail 't.s:3: f_signpost -- nothing' <<'SRC'
FUNC f
        mov     x0, #0
f_signpost:
        ret
ENDFUNC f
SRC
selftest "a use in a comment or a string does not count" "08" fail 't.s:5: f_other -- nothing' <<'SRC'
FUNC f
        b       f_end                     // not f_step
f_step: nop
        .ascii  "f_other"
f_other:
f_end:  ret
ENDFUNC f
SRC
selftest "a use only in another lesson's block fails in that lesson" "08 09" fail 'f_nine -- .* at LESSON 08$' <<'SRC'
FUNC f
.if LESSON >= 9
        cbz     x0, f_nine
.endif
f_nine: ret
ENDFUNC f
SRC
selftest "a use only in Darwin's block fails on Linux" "08" fail 'f_mac -- .* on Linux$' <<'SRC'
FUNC f
.if OS_DARWIN
        cbz     x0, f_mac
.else
        nop
.endif
f_mac:  ret
ENDFUNC f
SRC

for f in asm/*.s; do
    in=$(built_in "$f")
    if [ -z "$in" ]; then continue; fi
    if out=$(awk -v lessons="$in" -v file="$f" -f tests/tools/check-labels.awk "$f"); then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
    fi
    echo "$out"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
