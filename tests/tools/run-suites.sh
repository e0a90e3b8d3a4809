#!/usr/bin/env bash
# tests/tools/run-suites.sh -- run every test suite, print each one's result,
# and finish with ONE line adding them all up:  N passed, N failed
# (make test calls this after building everything.)
#
# Environment: BUILD (build dir), RUN_ASM (qemu-aarch64 or empty),
# LESSONS (two-digit lesson numbers).
set -u
BUILD=${BUILD:-build}
# The two tests that send a sparse 4 GiB + 7 byte file through sendfile run
# here (about 10 s each); METAL_BIG_FILE_TESTS=0 make test skips them.
export METAL_BIG_FILE_TESTS=${METAL_BIG_FILE_TESTS:-1}
total_pass=0
total_fail=0
report=()

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
    "$@" 2>&1 | tee "$log"
    local status=${PIPESTATUS[0]}
    local counts
    if [ "$kind" = gtest ]; then counts=$(count_gtest "$log"); else counts=$(count_summary "$log"); fi
    local pass fail
    read -r pass fail <<<"${counts:-0 0}"
    # A suite that exits non-zero without reporting a failure (a crash, a
    # build problem, a harness that could not start) still counts as failed.
    if [ "$status" -ne 0 ] && [ "${fail:-0}" -eq 0 ]; then fail=1; fi
    if [ "$status" -eq 0 ] && [ "${pass:-0}" -eq 0 ] && [ "${fail:-0}" -eq 0 ]; then fail=1; echo "($name ran no test)"; fi
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
    report+=("$(printf '%-22s %5d passed, %d failed' "$name" "$pass" "$fail")")
    rm -f "$log"
}

run_suite "unit (C++)"     gtest   "$BUILD/tests/unit-tests"
run_suite "asm vs C++"     gtest   ${RUN_ASM:+$RUN_ASM} "$BUILD/tests/asm-tests"
# Linux only (ELF): the same suite, every int result dirty in bits 32-63.
if [ -x "$BUILD/tests/asm-tests-int-results" ]; then
    run_suite "asm, dirty int results" gtest ${RUN_ASM:+$RUN_ASM} "$BUILD/tests/asm-tests-int-results" \
        "--gtest_filter=*${INTRES_FILTER:-}"
fi
run_suite "harness"        gtest   "$BUILD/tests/harness-tests"
run_suite "binaries"       summary bash tests/tools/check-binaries.sh "$BUILD" ${LESSONS:-}
run_suite "docs"           summary "$BUILD/tools/docs-check" --targets "$BUILD/tools/make-targets.txt"
for n in ${LESSONS:-}; do
    if [ "$n" = 00 ]; then prog=syscalls; else prog=httpd; fi
    run_suite "lesson-$n fixtures" summary "$BUILD/harness" --lesson "$((10#$n))" \
        --server "cpp=$BUILD/lesson-$n/$prog-cpp" --server "asm=$BUILD/lesson-$n/$prog-asm"
done

echo
echo "=== summary"
printf '%s\n' "${report[@]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
