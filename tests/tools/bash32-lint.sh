#!/usr/bin/env bash
# tests/tools/bash32-lint.sh -- the scripts a Mac runs must work with
# macOS's /bin/bash, which is bash 3.2 (2007): no bash 4 or 5 feature in
# them.  Each line of each script (and the Makefile's recipes, which run
# in bash too) is searched for the features below; a hit prints the file,
# the line and the feature, and fails.  A few lines end in
# "# bash32-lint: ok" when a hit is a false one (say, the text of a
# message); the reason is written next to it.
#
# Linux-only scripts are left out on purpose, each named here with why:
#   tests/tools/fresh-debian.sh   debootstrap and chroot: Debian only
#   tests/bench/*.sh              make bench counts system calls with
#                                 strace and runs Linux's peer servers
#   .ci/run                       CI runs on Debian
# Prints one line per file and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."

# The files to check: the arguments, or every script a Mac may run.
if [ $# -gt 0 ]; then files=$*
else files=$(ls tests/tools/*.sh Makefile harness/harness.mk | grep -v -e '^tests/tools/fresh-debian\.sh$'); fi

# tests/tools/bash32-features.tsv lists the features: a pattern for
# grep -E, a TAB, what it is.
features=tests/tools/bash32-features.tsv

pass=0; fail=0
for f in $files; do
    hits=""
    while IFS='	' read -r pattern what; do
        case "$pattern" in ''|'#'*) continue ;; esac
        # Comment lines do not count: they may name a feature to say "not this".
        found=$(grep -nE -e "$pattern" "$f" | grep -v '# bash32-lint: ok' | grep -vE '^[0-9]+:[[:space:]]*#')
        [ -n "$found" ] || continue
        while IFS= read -r line; do
            hits="$hits  $f:$line   <- $what
"
        done <<<"$found"
    done < "$features"
    if [ -z "$hits" ]; then pass=$((pass + 1)); echo "ok    $f"
    else fail=$((fail + 1)); echo "FAIL  $f uses what bash 3.2 does not have:"; printf '%s' "$hits"; fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
