#!/usr/bin/env bash
# tests/darwin-run/run-fixtures.sh HARNESS BUILD RUNNER LESSON... -- the
# lessons' fixtures against the Darwin build (BUILD/darwin/lesson-NN/),
# run through RUNNER (build/tools/darwin-run; empty on a Mac, where the
# Mach-O runs natively).  make test's "Mach-O fixtures" suite.
#
# Every fixture runs once, against the Mach-O of the lesson that introduced
# it (the harness's --new-only), so every lesson's program is run and no
# fixture twice; only the Mach-O server runs (the C++ server's answers to
# the same fixtures are make test's lesson suites).  Ends with one line,
# "N passed, N failed", the sum over the lessons.
set -u
harness=$1 build=$2 runner=$3
shift 3
pass=0 fail=0 status=0
for n in "$@"; do
    if [ "$n" = 00 ]; then prog=syscalls; else prog=httpd; fi
    log=$(mktemp)
    "$harness" --lesson "$((10#$n))" --new-only \
        --server "asm-darwin=${runner:+$runner }$build/darwin/lesson-$n/$prog-asm" 2>&1 | tee "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    rm -f "$log"
    if [ -z "$line" ]; then
        echo "run-fixtures.sh: lesson $n reported no result" >&2
        fail=$((fail + 1)) status=1
        continue
    fi
    pass=$((pass + $(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')))
    fail=$((fail + $(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')))
done
echo
echo "$pass passed, $fail failed"
[ "$status" -eq 0 ] && [ "$fail" -eq 0 ]
