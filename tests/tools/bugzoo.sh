#!/usr/bin/env bash
# tests/tools/bugzoo.sh -- the bug zoo (tests/bugzoo/*.patch): classic bugs
# planted in the assembly, each of which the tests must catch.
#
#   bugzoo.sh run [NAME ...]   every patch (or the ones named): planted in a
#                              scratch copy, graded, and it must fail; prints
#                              what caught it.  make bugzoo.
#   bugzoo.sh build NAME       the lesson's assembly server with that bug, as
#                              build/bugzoo/NAME/httpd-asm, for a student to
#                              find it.  make bug-NN NAME=...
#
# A patch is a unified diff of one asm/NN-slug.s that changes one function,
# after two lines that say what it is:
#     bug: what is wrong, in a sentence
#     function: the function it changes
# The patched function goes through exercise mode (docs/write-it-yourself.md):
# it is written to a scratch student directory and the stage is built with
# it in place of the course's (make STUDENT_DIR=...), so nothing tracked is
# ever changed and only that stage's objects are rebuilt.  (The makes it
# starts get an empty MAKEFLAGS: they are the only thing running, and
# the Makefile picks their -j itself.)  The grade
# (make grade-NN FN=function: the function's asm-vs-C++ tests, then the
# fixtures its lesson introduces) must come out red.
# Prints one line per bug and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
zoo=$BUILD/bugzoo

field() { sed -n "s/^$1: //p" "$2" | head -1; }

# prepare NAME DIR: DIR/student/NN-slug/function.s holds the buggy function;
# prints "NN function".
prepare() {
    local name=$1 dir=$2 patchfile=tests/bugzoo/$1.patch
    [ -f "$patchfile" ] || { echo "bugzoo: no tests/bugzoo/$name.patch; the bugs: $(ls tests/bugzoo | sed 's/\.patch$//' | tr '\n' ' ')" >&2; return 2; }
    local fn src stage
    fn=$(field function "$patchfile")
    src=$(sed -n 's|^--- a/||p' "$patchfile" | head -1)
    stage=$(basename "$src" .s)
    rm -rf "$dir"; mkdir -p "$dir/student/$stage"
    patch -s -o "$dir/$stage.s" "$src" "$patchfile" >/dev/null || { echo "bugzoo: $name does not apply to $src" >&2; return 2; }
    awk -v fn="$fn" '$0 == "FUNC " fn { p = 1 } p { print } p && $0 == "ENDFUNC " fn { exit }' "$dir/$stage.s" > "$dir/student/$stage/$fn.s"
    grep -q "^ENDFUNC $fn\$" "$dir/student/$stage/$fn.s" || { echo "bugzoo: $name: no function $fn in the patched $src" >&2; return 2; }
    echo "${stage%%-*} $fn"
}

cmd_run() {
    local names pass=0 fail=0
    if [ $# -gt 0 ]; then names=$*; else names=$(ls tests/bugzoo/*.patch | sed 's|.*/||; s/\.patch$//'); fi
    mkdir -p "$zoo"
    for name in $names; do
        local dir=$zoo/$name lesson fn log planted
        planted=$(prepare "$name" "$dir") || { fail=$((fail + 1)); echo "FAIL  $name: cannot be planted"; continue; }
        set -- $planted
        lesson=$1; fn=$2; log=$dir/grade.log
        MAKEFLAGS= MFLAGS= $MAKE --no-print-directory STUDENT_DIR="$dir/student" GRADE_DIR="$dir" "grade-$lesson" FN="$fn" >"$log" 2>&1
        local rc=$? score caught
        score=$(sed -n 's/^ *score: \([0-9]*\/[0-9]*\).*/\1/p' "$log" | tail -1)
        caught=$(sed -n 's/^ *first failure, \([^ :]*\).*/\1/p' "$log" | head -1)
        if [ -z "$score" ]; then
            fail=$((fail + 1)); echo "FAIL  $name: did not build or grade (see $log)"
        elif [ $rc -eq 0 ]; then
            fail=$((fail + 1)); echo "FAIL  $name: NOT CAUGHT -- $fn's tests and lesson $lesson's fixtures all pass ($score); $(field bug "tests/bugzoo/$name.patch")"
        else
            pass=$((pass + 1)); echo "ok    $name: caught by ${caught:-?} ($score passed)"
        fi
    done
    # Leave the build as the student's own sources say (the next make
    # would rebuild the bug's stage anyway: its list in build/student/ changed).
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}

cmd_build() {
    local name=${1:-} dir lesson fn planted
    [ -n "$name" ] || { echo "usage: make bug-NN NAME=name; the bugs: $(ls tests/bugzoo | sed 's/\.patch$//' | tr '\n' ' ')" >&2; return 2; }
    dir=$zoo/$name
    planted=$(prepare "$name" "$dir") || return 2
    set -- $planted
    lesson=$1; fn=$2
    [ -z "${WANT_LESSON:-}" ] || [ "$WANT_LESSON" = "$lesson" ] ||
        { echo "bugzoo: $name is a lesson-$lesson bug: make bug-$lesson NAME=$name" >&2; return 2; }
    MAKEFLAGS= MFLAGS= $MAKE --no-print-directory -s STUDENT_DIR="$dir/student" "$BUILD/lesson-$lesson/httpd-asm" || return 1
    cp "$BUILD/lesson-$lesson/httpd-asm" "$dir/httpd-asm"
    echo "$dir/httpd-asm: lesson $lesson's assembly server with a planted bug (somewhere in asm/$(ls "$dir/student").s)."
    echo "Find it:"
    echo "  build/harness --lesson $((10#$lesson)) --server asm=$dir/httpd-asm     # which fixtures fail?"
    echo "  ${RUN_ASM:+$RUN_ASM }$dir/httpd-asm 8080 harness/site                      # try it by hand"
}

case "${1:-}" in
    run)   shift; cmd_run "$@" ;;
    build) shift; cmd_build "$@" ;;
    *) echo "usage: bugzoo.sh run [NAME ...] | build NAME" >&2; exit 2 ;;
esac
