#!/usr/bin/env bash
# tests/tools/sanitize-run.sh HARNESS NN SERVER [HARNESS-ARGS...] -- the
# sanitized suite of make test (and `make sanitize`): lesson NN's fixtures
# against its C++ server built with AddressSanitizer and UBSan (SERVER; the
# Makefile builds it with -fno-sanitize-recover=all, so the first report
# ends the process).
#
# A report can come from a child after its response is out -- the fixture
# then passes, and only the report tells.  So the server runs under
# tests/tools/sanitize-wrap.sh, which copies its stderr into one file, and
# this script looks for reports there: the suite fails if the harness fails
# or if any sanitizer reported anything, and the reports are printed.
#
#   ASAN_OPTIONS   abort_on_error=0: the process exits with status 1 (no
#                  core file per child); detect_leaks=1 where LeakSanitizer
#                  exists (Linux): a child that exits has freed what it took
#   UBSAN_OPTIONS  print_stacktrace=1, halt_on_error=1
#
# Ends with "N passed, N failed": the harness's counts, plus one failure
# when a sanitizer reported anything.
set -u
harness=$1 n=$2 server=$3
shift 3   # the rest goes to the harness (its own tests: --root, --only)
logs=$(mktemp -d "${TMPDIR:-/tmp}/metal-sanitize.XXXXXX")
trap 'rm -rf "$logs"' EXIT
chmod 0755 "$logs"
export SANITIZE_LOG=$logs/stderr
: > "$SANITIZE_LOG"
chmod 0666 "$SANITIZE_LOG"   # the harness runs servers as nobody when it can
leaks=0
[ "$(uname -s)" = Linux ] && leaks=1
export ASAN_OPTIONS="abort_on_error=0:detect_leaks=$leaks:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
out=$logs/harness.out
wrap=$(cd "$(dirname "$0")" && pwd)/sanitize-wrap.sh
"$harness" --lesson "$((10#$n))" --server "cpp-sanitized=$wrap $server" "$@" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
sleep 0.5   # the last tee may still be copying a report of a killed server
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
pass=$(echo "${line:-0 passed, 0 failed}" | sed -E 's/^([0-9]+) passed.*/\1/')
fail=$(echo "${line:-0 passed, 0 failed}" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
[ "$status" -ne 0 ] && [ "$fail" -eq 0 ] && fail=1
pattern='ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:'
reports=$(grep -cE "$pattern" "$SANITIZE_LOG")
if [ "$reports" -gt 0 ]; then
    echo
    echo "sanitizer reports ($reports) from $server:"
    grep -E -A40 "$pattern" "$SANITIZE_LOG" | head -n 200
    fail=$((fail + 1))
else
    echo "sanitizers: no report from $server"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
