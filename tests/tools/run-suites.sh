#!/usr/bin/env bash
# tests/tools/run-suites.sh -- run every test suite, print each one's result,
# and finish with ONE line adding them all up:  N passed, N failed
# (make test calls this after building everything.)
#
# Environment: BUILD (build dir), RUN_ASM (qemu-aarch64 or empty),
# DARWIN_RUN (Linux: build/tools/darwin-run, which runs the Mach-O builds),
# LESSONS (two-digit lesson numbers), MAKE (the make that runs `view-NN`),
# SAN_LESSON and SAN_CPP (the lesson and its C++ server built with ASan and
# UBSan, for the sanitized run of its fixtures); MIX_LESSON, MIX_CPP_OBJ,
# MIX_ASM_OBJ, XCXX, XCXXFLAGS, GEN (the mixed builds: tests/tools/mix.sh).
#
# MATRIX=1 (make test-matrix) runs only the fixture suites, and every one of
# them in full: every fixture against every lesson of LESSONS.
set -u
# tests/tools/check-platforms.sh reads `make -n test`'s plan with this set:
# if a recipe ran the suites anyway, stop instead of running them inside
# themselves.
if [ -n "${METAL_PLAN_ONLY:-}" ]; then
    echo "run-suites.sh: started under make -n (a recipe line names \$(MAKE) literally)" >&2
    exit 1
fi
BUILD=${BUILD:-build}
# The two tests that send a sparse 4 GiB + 7 byte file through sendfile run
# here (about 10 s each); METAL_BIG_FILE_TESTS=0 make test skips them.
export METAL_BIG_FILE_TESTS=${METAL_BIG_FILE_TESTS:-1}
# Each suite's wall time and CPU time (user + sys of every process it ran,
# servers and qemu included) are printed after it and in the summary, so a
# suite that grows is seen growing.
cpu_file=$(mktemp)

# read_cpu: cpu_ms = milliseconds of user + sys CPU used so far by the
# children this shell has waited for (the second line of bash's `times`,
# "0m1.234s 0m0.567s").  Call it directly, never in $(...): a subshell's
# counts start at 0.
read_cpu() {
    times > "$cpu_file"
    cpu_ms=$(tail -n 1 "$cpu_file" | awk '{ gsub(/,/, "."); t = 0
        for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); t += p[1] * 60 + p[2] }
        printf "%d\n", t * 1000 }')
}

# count_gtest LOG -> "passed failed" from GoogleTest's closing lines.
count_gtest() {
    local pass fail
    pass=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
    fail=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
    echo "${pass:-0} ${fail:-0}"
}
# count_summary LOG -> "passed failed" from a closing "N passed, N failed" line.
count_summary() {
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
    [ -n "$line" ] && echo "$line" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed.*/\1 \2/'
}

# run_suite NAME KIND COMMAND... : KIND is gtest or summary.
run_suite() {
    local name=$1 kind=$2; shift 2
    local log; log=$(mktemp)
    echo
    echo "=== $name: $*"
    local t0=$SECONDS cpu0; read_cpu; cpu0=$cpu_ms
    "$@" 2>&1 | tee "$log"
    local status=${PIPESTATUS[0]}
    read_cpu
    local wall=$((SECONDS - t0)) cpu=$(( (cpu_ms - cpu0) / 1000 ))
    echo "--- $name: ${wall} s wall, ${cpu} s CPU (user + sys)"
    local counts
    if [ "$kind" = gtest ]; then counts=$(count_gtest "$log"); else counts=$(count_summary "$log"); fi
    local pass fail
    read -r pass fail <<<"${counts:-0 0}"
    # A suite that exits non-zero without reporting a failure (a crash, a
    # build problem, a harness that could not start) still counts as failed.
    if [ "$status" -ne 0 ] && [ "${fail:-0}" -eq 0 ]; then fail=1; fi
    if [ "$status" -eq 0 ] && [ "${pass:-0}" -eq 0 ] && [ "${fail:-0}" -eq 0 ]; then fail=1; echo "($name ran no test)"; fi
    # The lane's record (a lane may be a background subshell, whose
    # variables the main shell never sees): one line per suite.
    printf '%d %d %-22s %5d passed, %d failed  %5d s wall %5d s CPU\n' \
        "$pass" "$fail" "$name" "$pass" "$fail" "$wall" "$cpu" >> "$lane_record"
    rm -f "$log"
}

# Two lanes.  Most suites use one core (a GoogleTest binary, one harness
# run), so on a machine with two or more cores the fixture suites run in a
# second lane beside the others, and make test takes the longer lane's time
# instead of the sum (measured on 2 cores: 894 s in one lane, see README).
# The fixtures were written for a loaded machine (every deadline in them is
# seconds, never milliseconds), so a busy neighbour does not make them flaky.
# The second lane's output is printed as a whole when its first suite ends
# after the first lane's; SUITE_LANES=1 runs everything in one lane, in
# order (each suite's time then is its own).
work=$(mktemp -d)
trap 'rm -rf "$work" "$cpu_file"' EXIT
lanes=${SUITE_LANES:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
lane_record=$work/first.record
: > "$lane_record"

# The first lane: every suite but the fixtures (make test-matrix runs the
# fixtures alone).
first_lane() {
if [ -z "${MATRIX:-}" ]; then
run_suite "unit (C++)"     gtest   "$BUILD/tests/unit-tests"
run_suite "asm vs C++"     gtest   ${RUN_ASM:+$RUN_ASM} "$BUILD/tests/asm-tests"
# Its main(): an empty filter fails, a crash is reported and the rest run.
run_suite "test main"      summary bash tests/tools/check-test-main.sh "$BUILD" "${RUN_ASM:-}"
# Linux only (ELF): the same suite, every int result dirty in bits 32-63.
if [ -x "$BUILD/tests/asm-tests-int-results" ]; then
    run_suite "asm, dirty int results" gtest ${RUN_ASM:+$RUN_ASM} "$BUILD/tests/asm-tests-int-results" \
        "--gtest_filter=*${INTRES_FILTER:-}"
fi
run_suite "harness"        gtest   "$BUILD/tests/harness-tests"
# Every fixture's docroot, built as on a Mac: on Linux with macOS's
# 1,024-byte path limit imposed (build/tests/darwin-path-max.so; a Mac has
# the limit itself), and no names that differ only in case unless marked.
if [ "$(uname -s)" = Linux ]; then
    run_suite "fixture lint"   summary env LD_PRELOAD="$(cd "$BUILD" && pwd)/tests/darwin-path-max.so" "$BUILD/harness" --lint
else
    run_suite "fixture lint"   summary "$BUILD/harness" --lint
fi
run_suite "binaries"       summary bash tests/tools/check-binaries.sh "$BUILD" ${LESSONS:-}
# The machines CI is not (a Mac, arm64 Linux, make 3.81), from the
# Makefile's plans and the scripts; and macOS's bash 3.2 in every script
# a Mac runs.
run_suite "platforms"      summary bash tests/tools/check-platforms.sh
run_suite "bash 3.2"       summary bash tests/tools/bash32-lint.sh
# Every named label in asm/*.s is an entry point or something branches to
# it (docs/architecture.md, "Labels"), in every lesson, on both systems.
run_suite "labels"         summary bash tests/tools/check-labels.sh ${LESSONS:-}
run_suite "patches"        summary bash tests/tools/check-patches.sh
run_suite "trace parser"   summary python3 tests/trace/trace_test.py
run_suite "docs"           summary "$BUILD/tools/docs-check" --targets "$BUILD/tools/make-targets.txt"
run_suite "views"          summary bash tests/tools/check-views.sh ${LESSONS:-}
# The Darwin runner (DARWIN_RUN, Linux only): its own tests, and the planted
# Darwin bugs it must catch (make darwin-run-tests, make darwin-bugs); the
# Mach-O programs' fixtures run in the second lane.
if [ -n "${DARWIN_RUN:-}" ]; then
    run_suite "darwin-run"     summary /usr/bin/python3 tests/darwin-run/test_darwin_run.py
    run_suite "Darwin planted bugs" summary bash tests/darwin-run/planted-bugs.sh "$BUILD" "$DARWIN_RUN"
fi
fi
}

# The second lane: the fixture suites.
fixture_lane() {
if [ -z "${MATRIX:-}" ]; then
# The newest lesson's fixtures once more, against its C++ server built with
# the sanitizers (the Makefile's SAN_CPP): any report fails the suite.
if [ -n "${SAN_CPP:-}" ]; then
    run_suite "lesson-$SAN_LESSON sanitized" summary bash tests/tools/sanitize-run.sh "$BUILD/harness" "$SAN_LESSON" "$SAN_CPP"
fi
# The newest lesson's C++ server with one stage's functions from the
# assembly, stage by stage, each through its own fixtures (make
# mix-stages): an ABI slip between the two shows up as a failing fixture.
if [ -n "${MIX_CPP_OBJ:-}" ]; then
    run_suite "mixed builds"   summary bash tests/tools/mix.sh --each "$MIX_LESSON" "$BUILD" "$BUILD/harness" \
        "$XCXX" "$XCXXFLAGS" "$GEN" "$MIX_CPP_OBJ" "$MIX_ASM_OBJ"
fi
fi
# The lessons' fixtures against both servers.  The newest lesson runs every
# fixture that applies to it.  A lesson before it runs the fixtures that
# start there (since = NN) or end there (until = NN; the newest lesson no
# longer runs those): every fixture runs against the lesson that introduced
# it and against the newest lesson it still applies to, and a new lesson
# adds its own fixtures to make test's time instead of every old fixture
# once more.  MATRIX=1 runs every fixture against every lesson.
# The Darwin build (build/darwin/lesson-NN/) through the fixtures, on Linux
# under tests/darwin-run (DARWIN_RUN): every fixture once, against the
# Mach-O of the lesson that introduced it (tests/darwin-run/run-fixtures.sh).
# A Mac's lesson suites already run its Mach-O programs.  (The runner's
# own tests and its planted bugs run in the first lane.)
if [ -z "${MATRIX:-}" ] && [ -n "${DARWIN_RUN:-}" ]; then
    run_suite "Mach-O fixtures" summary bash tests/darwin-run/run-fixtures.sh "$BUILD/harness" "$BUILD" "$DARWIN_RUN" ${LESSONS:-}
fi
newest=
for n in ${LESSONS:-}; do newest=$n; done
for n in ${LESSONS:-}; do
    if [ "$n" = 00 ]; then prog=syscalls; else prog=httpd; fi
    name="lesson-$n fixtures" select=
    if [ -z "${MATRIX:-}" ] && [ "$n" != "$newest" ]; then name="lesson-$n starts/ends" select=--starts-or-ends; fi
    run_suite "$name" summary "$BUILD/harness" --lesson "$((10#$n))" $select \
        --server "cpp=$BUILD/lesson-$n/$prog-cpp" --server "asm=$BUILD/lesson-$n/$prog-asm"
done
}

if [ "$lanes" -gt 1 ] && [ -z "${MATRIX:-}" ]; then
    # The second lane in the background (its own record and output), the
    # first in the foreground; then the second lane's output, once it ends.
    ( lane_record=$work/second.record; cpu_file=$work/second.cpu; : > "$lane_record"; fixture_lane ) > "$work/second.out" 2>&1 &
    second=$!
    first_lane
    if kill -0 "$second" 2>/dev/null; then
        echo
        echo "=== (the fixture suites are still running beside; their output follows when they end)"
    fi
    wait "$second"
    cat "$work/second.out"
    records="$work/first.record $work/second.record"
else
    first_lane
    fixture_lane
    records=$work/first.record
fi

echo
echo "=== summary"
# shellcheck disable=SC2086 -- two file names
total_pass=$(cat $records | awk '{ p += $1 } END { print p + 0 }')
# shellcheck disable=SC2086
total_fail=$(cat $records | awk '{ f += $2 } END { print f + 0 }')
# shellcheck disable=SC2086
cat $records | cut -d' ' -f3-
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
