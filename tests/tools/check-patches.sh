#!/usr/bin/env bash
# tests/tools/check-patches.sh -- the patches the course keeps beside the
# code still fit it (make test's suite "patches").
#
# tests/exercises/*.patch (the pages' exercises, solved: make
# check-solutions) and tests/bugzoo/*.patch (the planted bugs: make
# bugzoo) are diffs against the tracked sources.  Those targets take
# minutes and are not part of make test, so a change to the code could
# leave a patch that no longer applies -- a solution nobody can check, a
# bug nobody can plant -- and nothing would say so until the next long
# run.  This suite says so at once: each patch must apply to the tree as
# it is (a dry run: nothing is changed).  Fix a patch that fails by
# redoing its change on the new code (tests/exercises/README.md says how
# for a solution) and running its long check.
set -u
cd "$(dirname "$0")/../.."
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# apply_check DIFF: does it apply? (git apply in a clone; patch(1), if
# installed, in a copy without .git)
apply_check() {
    if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
        git apply --check "$1"
    else
        patch -p1 --dry-run --force --silent -d . < "$1"
    fi
}

# the diff of a patch: what follows its header lines
diff_part() {
    awk 'started || /^(diff --git |--- )/ { started = 1; print }' "$1"
}

for p in tests/exercises/*.patch tests/bugzoo/*.patch; do
    [ -f "$p" ] || continue
    diff_part "$p" > "$tmp/diff"
    if [ ! -s "$tmp/diff" ]; then
        echo "FAIL  $p: no diff in it"
        fail=$((fail + 1))
        continue
    fi
    if out=$(apply_check "$tmp/diff" 2>&1); then
        echo "ok    $p"
        pass=$((pass + 1))
    else
        echo "FAIL  $p: does not apply to the tree any more"
        printf '%s\n' "$out" | sed 's/^/      /' | head -n 8
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
