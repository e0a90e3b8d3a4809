#!/usr/bin/env bash
# tests/tools/check-views.sh NN... -- the `views` suite of make test: every
# lesson's `make view-NN` builds, and holds only the files of its lesson
# and the ones before it (tests/tools/lesson-view.sh refuses a view that
# includes a later stage, such as a header that pulls in lesson 03's
# parser at lesson 01).  Ends with "N passed, N failed".
set -u
pass=0 fail=0
for n in "$@"; do
    if out=$(${MAKE:-make} --no-print-directory -s "view-$n" 2>&1); then
        echo "ok    view-$n: ${out##*$'\n'}"
        pass=$((pass + 1))
    else
        echo "FAIL  view-$n:"
        echo "$out" | sed 's/^/      /'
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
