#!/usr/bin/env bash
# tests/tools/bugzoo.sh -- the bug zoo (tests/bugzoo/*.patch): classic bugs
# planted in the assembly and in the C++, each of which the tests must catch.
#
#   bugzoo.sh run [NAME ...]   every patch (or the ones named): planted in a
#                              scratch copy and tested, and it must be
#                              caught; prints what caught it.  make bugzoo.
#   bugzoo.sh build NAME       the lesson's server with that bug, as
#                              build/bugzoo/NAME/httpd-asm (or httpd-cpp),
#                              for a student to find it.  make bug-NN NAME=...
#
# A patch is a unified diff of one asm/NN-slug.s or cpp/NN-slug.cpp that
# changes one function, after two lines that say what it is:
#     bug: what is wrong, in a sentence
#     function: the function it changes
# An assembly bug goes through exercise mode (docs/write-it-yourself.md):
# the patched function is written to a scratch student directory and the
# stage is built with it in place of the course's (make STUDENT_DIR=...),
# so nothing tracked is ever changed and only that stage's objects are
# rebuilt.  Its grade (make grade-NN FN=function: the function's
# asm-vs-C++ tests, then the fixtures its lesson introduces) must come out
# red.
# A C++ bug is planted in a copy of cpp/ (build/bugzoo/NAME/cpp/); lesson
# NN's C++ server and the unit suite are built from the copy (make
# ZOO_DIR=..., the Makefile's zoo rules), and lesson NN's unit tests
# (LessonNN*) and the fixtures lesson NN introduces, against that C++
# server, must not all pass.  (The asm-vs-C++ suite would catch most C++
# bugs too -- the twin it compares with is wrong -- but a bug in the C++
# must be caught by the C++'s own tests.)
# The makes it starts get an empty MAKEFLAGS: they are the only thing
# running, and the Makefile picks their -j itself.
# The Darwin-only bugs (sockaddr without sin_len, the fork child told by
# x0 instead of x1) need a Darwin kernel's behaviour: make darwin-bugs
# plants them (tests/darwin-run/planted-bugs.sh).
# Prints one line per bug and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
zoo=$BUILD/bugzoo

field() { sed -n "s/^$1: //p" "$2" | head -1; }

# prepare NAME DIR: plants the bug in DIR; prints "NN function asm|cpp
# stage".  An assembly bug: DIR/student/NN-slug/function.s holds the buggy
# function.  A C++ bug: DIR/cpp/ is cpp/ with the stage patched.
prepare() {
    local name=$1 dir=$2 patchfile=tests/bugzoo/$1.patch
    [ -f "$patchfile" ] || { echo "bugzoo: no tests/bugzoo/$name.patch; the bugs: $(ls tests/bugzoo | sed 's/\.patch$//' | tr '\n' ' ')" >&2; return 2; }
    local fn src stage
    fn=$(field function "$patchfile")
    src=$(sed -n 's|^--- a/||p' "$patchfile" | head -1)
    rm -rf "$dir"; mkdir -p "$dir"
    case "$src" in
    cpp/*.cpp)
        stage=$(basename "$src" .cpp)
        cp -R cpp "$dir/cpp"
        patch -s -o "$dir/cpp/$stage.cpp" "$src" "$patchfile" >/dev/null || { echo "bugzoo: $name does not apply to $src" >&2; return 2; }
        grep -q "$fn(" "$dir/cpp/$stage.cpp" || { echo "bugzoo: $name: no function $fn in the patched $src" >&2; return 2; }
        echo "${stage%%-*} $fn cpp $stage" ;;
    asm/*.s)
        stage=$(basename "$src" .s)
        mkdir -p "$dir/student/$stage"
        patch -s -o "$dir/$stage.s" "$src" "$patchfile" >/dev/null || { echo "bugzoo: $name does not apply to $src" >&2; return 2; }
        awk -v fn="$fn" '$0 == "FUNC " fn { p = 1 } p { print } p && $0 == "ENDFUNC " fn { exit }' "$dir/$stage.s" > "$dir/student/$stage/$fn.s"
        grep -q "^ENDFUNC $fn\$" "$dir/student/$stage/$fn.s" || { echo "bugzoo: $name: no function $fn in the patched $src" >&2; return 2; }
        echo "${stage%%-*} $fn asm $stage" ;;
    *) echo "bugzoo: $name: a patch changes asm/NN-slug.s or cpp/NN-slug.cpp, not '$src'" >&2; return 2 ;;
    esac
}

prog_of() { [ "$1" = 00 ] && echo syscalls || echo httpd; }

# build_cpp DIR NN STAGE: lesson NN's C++ server and the unit suite, from DIR/cpp.
build_cpp() {
    MAKEFLAGS= MFLAGS= $MAKE --no-print-directory -s ZOO_DIR="$1" ZOO_LESSON="$2" ZOO_STAGE="$3" \
        "$1/$(prog_of "$2")-cpp" "$1/unit-tests"
}

# caught_cpp NAME DIR NN STAGE: plant, build, test a C++ bug; one line.
caught_cpp() {
    local name=$1 dir=$2 lesson=$3 stage=$4 log=$2/test.log
    if ! build_cpp "$dir" "$lesson" "$stage" >"$log" 2>&1; then
        echo "FAIL  $name: did not build (see $log)"; return 1
    fi
    local units fixtures rc1 rc2
    "$dir/unit-tests" --gtest_filter="Lesson$lesson*" >"$dir/unit.log" 2>&1; rc1=$?
    units=$(sed -n 's/^\[  FAILED  \] \([A-Za-z0-9_/]*\.[A-Za-z0-9_/]*\).*/\1/p' "$dir/unit.log" | awk '!seen[$0]++')
    "$BUILD/harness" --lesson $((10#$lesson)) --new-only --server cpp="$dir/$(prog_of "$lesson")-cpp" \
        --json "$dir/fixtures.json" >"$dir/fixtures.log" 2>&1; rc2=$?
    fixtures=$(python3 -c '
import json, sys
try: d = json.load(open(sys.argv[1]))
except Exception: sys.exit(0)
for f in d.get("fixtures", []):
    if not f["results"]["cpp"].get("pass", False): print(f["name"])' "$dir/fixtures.json")
    cat "$dir/unit.log" "$dir/fixtures.log" >>"$log"
    local nu nf what=""
    nu=$(printf '%s' "$units" | grep -c .); nf=$(printf '%s' "$fixtures" | grep -c .)
    [ "$nu" -gt 0 ] && what="unit test $(printf '%s\n' "$units" | head -1)$([ "$nu" -gt 1 ] && echo " (+$((nu - 1)) more)")"
    # a sanitizer report (or a crash) ends the suite before its summary
    [ "$nu" -eq 0 ] && [ $rc1 -ne 0 ] && what="the unit suite, ended in $(sed -n 's/^\[ RUN      \] //p' "$dir/unit.log" | tail -1) ($(grep -m1 -o -e 'ERROR: [A-Za-z]*Sanitizer: [a-z-]*' -e 'runtime error: .*' "$dir/unit.log" || echo "exit status $rc1"))"
    [ "$nf" -gt 0 ] && what="${what:+$what; }fixture $(printf '%s\n' "$fixtures" | head -1)$([ "$nf" -gt 1 ] && echo " (+$((nf - 1)) more)")"
    if [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ]; then
        echo "FAIL  $name: NOT CAUGHT -- lesson $lesson's unit tests and fixtures all pass against the C++; $(field bug "tests/bugzoo/$name.patch")"; return 1
    elif [ -z "$what" ]; then
        echo "FAIL  $name: the unit tests or the harness did not run (exit $rc1, $rc2; see $log)"; return 1
    fi
    echo "ok    $name: C++, caught by $what"
}

cmd_run() {
    local names pass=0 fail=0
    if [ $# -gt 0 ]; then names=$*; else names=$(ls tests/bugzoo/*.patch | sed 's|.*/||; s/\.patch$//'); fi
    mkdir -p "$zoo"
    for name in $names; do
        local dir=$zoo/$name lesson fn lang stage log planted
        planted=$(prepare "$name" "$dir") || { fail=$((fail + 1)); echo "FAIL  $name: cannot be planted"; continue; }
        set -- $planted
        lesson=$1; fn=$2; lang=$3; stage=$4; log=$dir/grade.log
        if [ "$lang" = cpp ]; then
            if caught_cpp "$name" "$dir" "$lesson" "$stage"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
            continue
        fi
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
    echo "(the Darwin-only bugs -- sockaddr without sin_len, the fork child told by x0 -- are make darwin-bugs')"
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}

cmd_build() {
    local name=${1:-} dir lesson fn lang stage planted prog
    [ -n "$name" ] || { echo "usage: make bug-NN NAME=name; the bugs: $(ls tests/bugzoo | sed 's/\.patch$//' | tr '\n' ' ')" >&2; return 2; }
    dir=$zoo/$name
    planted=$(prepare "$name" "$dir") || return 2
    set -- $planted
    lesson=$1; fn=$2; lang=$3; stage=$4; prog=$(prog_of "$lesson")
    [ -z "${WANT_LESSON:-}" ] || [ "$WANT_LESSON" = "$lesson" ] ||
        { echo "bugzoo: $name is a lesson-$lesson bug: make bug-$lesson NAME=$name" >&2; return 2; }
    if [ "$lang" = cpp ]; then
        build_cpp "$dir" "$lesson" "$stage" || return 1
        echo "$dir/$prog-cpp: lesson $lesson's C++ server with a planted bug (somewhere in cpp/$stage.cpp)."
        echo "Find it:"
        echo "  build/harness --lesson $((10#$lesson)) --server cpp=$dir/$prog-cpp     # which fixtures fail?"
        echo "  $dir/unit-tests --gtest_filter='Lesson$lesson*'                    # which unit tests?"
        echo "  $dir/$prog-cpp 8080 harness/site                                # try it by hand"
        return 0
    fi
    MAKEFLAGS= MFLAGS= $MAKE --no-print-directory -s STUDENT_DIR="$dir/student" "$BUILD/lesson-$lesson/$prog-asm" || return 1
    cp "$BUILD/lesson-$lesson/$prog-asm" "$dir/$prog-asm"
    echo "$dir/$prog-asm: lesson $lesson's assembly server with a planted bug (somewhere in asm/$stage.s)."
    echo "Find it:"
    echo "  build/harness --lesson $((10#$lesson)) --server asm=$dir/$prog-asm     # which fixtures fail?"
    [ "$lesson" = 00 ] ||   # lesson 00's program is no server
        echo "  ${RUN_ASM:+$RUN_ASM }$dir/$prog-asm 8080 harness/site                      # try it by hand"
}

case "${1:-}" in
    run)   shift; cmd_run "$@" ;;
    build) shift; cmd_build "$@" ;;
    *) echo "usage: bugzoo.sh run [NAME ...] | build NAME" >&2; exit 2 ;;
esac
