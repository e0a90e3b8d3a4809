#!/usr/bin/env bash
# tests/tools/check-test-main.sh -- the test suites' own main()
# (tests/support/gtest_main.hpp, tests/asm/main.cpp) does what it promises:
#   * a filter that selects nothing fails, naming the nearest tests;
#   * a test that crashes in the assembly is reported with the signal and
#     function+offset, and the tests after it still run (Tooling.* in
#     tests/asm/tooling_test.cpp crash on purpose when asked);
#   * --report=FILE writes every test's result.
# Usage: check-test-main.sh BUILD [RUN_ASM]   (about 3 s under qemu)
# Prints one line per check and ends with "N passed, N failed".
set -u
build=${1:-build}; run_asm=${2:-}
tests="$build/tests/asm-tests"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/metal-test-main.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "ok    $1"; }
bad() { fail=$((fail + 1)); echo "FAIL  $1"; shift; for l in "$@"; do printf '      %s\n' "$l"; done; }

out=$($run_asm "$tests" --gtest_filter='*Lesson99*' 2>&1); rc=$?
if [ $rc -ne 0 ] && printf '%s' "$out" | grep -q "no test matches the filter '\*Lesson99\*'" && printf '%s' "$out" | grep -q 'nearest names: Lesson'; then
    ok "a filter that selects nothing: exit $rc, the nearest names"
else bad "a filter that selects nothing: exit $rc" "$out"; fi

out=$(METAL_CRASH_ON_PURPOSE=1 $run_asm "$tests" --gtest_filter='Tooling.*' --report="$tmp/r.json" 2>&1); rc=$?
if [ $rc -ne 0 ] && printf '%s' "$out" | grep -Eq 'CRASHED \] Tooling.ACrashInAsmIsReported: SIGSEGV in str_len\+0x[0-9a-f]+'; then
    ok "a crash: reported as SIGSEGV in str_len+offset, exit $rc"
else bad "a crash: exit $rc, not reported as SIGSEGV in str_len+offset" "$out"; fi
if printf '%s' "$out" | grep -q 'OK \] Tooling.TheNextTestStillRuns' && printf '%s' "$out" | grep -q '^\[  PASSED  \] 1 tests\.'; then
    ok "the test after the crash ran and passed; the closing lines count the whole run"
else bad "the test after the crash did not run, or the closing lines are wrong" "$out"; fi
if grep -q '"name": "Tooling.ACrashInAsmIsReported", "result": "crashed"' "$tmp/r.json" 2>/dev/null &&
   grep -q '"function": "str_len"' "$tmp/r.json" && grep -q '"name": "Tooling.TheNextTestStillRuns", "result": "passed"' "$tmp/r.json"; then
    ok "--report: both results, the crash's function"
else bad "--report: not as expected" "$(cat "$tmp/r.json" 2>/dev/null)"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
