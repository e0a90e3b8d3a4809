#!/usr/bin/env bash
# tests/darwin-run/planted-bugs.sh BUILD RUNNER -- does the runner tell a
# wrong Darwin build from a right one?  Each check copies the sources into
# BUILD/darwin-bugs/NAME (the tracked files are never touched), plants one
# Darwin-only mistake in the copy, builds the lesson's Mach-O and Linux
# programs from it, and runs fixtures against both: the Darwin build under
# RUNNER (build/tools/darwin-run), the Linux build as make lesson-NN does.
# `make darwin-bugs`; make test's "Darwin planted bugs" suite.
#
# What each check expects, and why (XNU sources named):
#   fork-x0     FORK tells the child by x0 == 0, as on Linux.  XNU gives the
#               child x0 = its own pid and x1 = 1 (bsd/kern/kern_fork.c,
#               osfmk/arm64/status.c thread_set_child): the child takes
#               itself for the parent and nobody answers.  Darwin: fixtures
#               fail.  Linux: green.
#   o-nofollow  O_NOFOLLOW gets Linux's arm64 value (tests/abi/linux.tsv).
#               On Darwin that bit is O_EVTONLY (bsd/sys/fcntl.h), so links
#               are followed.  Darwin: the symlink fixtures fail.  Linux: green.
#   sin-len     sockaddr_in in Linux's layout (sin_family as a 16-bit number:
#               sin_len = 2, sin_family = 0).  XNU's bind takes the length
#               from its argument, not from sin_len, and turns AF_UNSPEC
#               into AF_INET on an AF_INET socket (bsd/kern/uipc_syscalls.c
#               getsockaddr_s, translate_unspec): a Mac binds it.  Darwin:
#               green -- the runner must NOT invent a failure.
#   eof-flag    dir_next ignores getdirentries64's EOF flag.  Nothing a
#               client sees changes (the next call returns 0 bytes, XNU
#               tests/getdirentries.c), but lesson 08's design says no empty
#               read is needed: the Darwin program makes getdirentries64
#               calls that return 0 bytes, counted with --strace (the right
#               program makes none).
# Ends with "N passed, N failed" (one per expectation).
set -u
build=$1 runner=$2
root=$(pwd)
harness=$build/harness
pass=0 fail=0

expect() {   # expect WHAT OK-OR-NOT
    if [ "$2" = ok ]; then pass=$((pass + 1)); echo "  ok    $1"
    else fail=$((fail + 1)); echo "  FAIL  $1"; fi
}

# prepare NAME: a copy of the sources the programs are built from
prepare() {
    local dir=$build/darwin-bugs/$1
    rm -rf "$dir" && mkdir -p "$dir/tests"
    cp -R Makefile asm cpp lessons "$dir/" && cp -R tests/tools "$dir/tests/"
    echo "$dir"
}

# plant DIR FILE SED-SCRIPT: apply it, and fail if it changed nothing (the
# sources moved on and the check must be updated)
plant() {
    local before after
    before=$(cksum < "$1/$2")
    sed -i.orig -e "$3" "$1/$2" && rm -f "$1/$2.orig"
    after=$(cksum < "$1/$2")
    [ "$before" != "$after" ] || { echo "planted-bugs.sh: '$3' no longer changes $2" >&2; return 1; }
}

# build DIR NN: the lesson's Darwin and Linux programs from the copy
build_lesson() {
    make --no-print-directory -C "$1" "build/darwin/lesson-$2/httpd-asm" "build/lesson-$2/httpd-asm" >/dev/null 2>&1 ||
        { echo "planted-bugs.sh: building lesson $2 in $1 failed" >&2; return 1; }
}

# failures LESSON REGEX SERVER-COMMAND -> the number of failed fixtures
# (-1: the harness reported nothing)
failures() {
    local line
    line=$("$harness" --lesson "$((10#$1))" --only "$2" --server "x=$3" 2>&1 | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
    [ -n "$line" ] || { echo -1; return; }
    echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/'
}

# check NAME LESSON REGEX DARWIN-EXPECTATION(red|green)
check() {
    local dir=$1 n=$2 regex=$3 want=$4 f
    f=$(failures "$n" "$regex" "${runner:+$runner }$dir/build/darwin/lesson-$n/httpd-asm")
    if [ "$want" = red ]; then
        [ "$f" -gt 0 ] && expect "$(basename "$dir"): Darwin build fails $f fixture(s) under the runner" ok \
                       || expect "$(basename "$dir"): Darwin build should fail fixtures, failed $f" no
    else
        [ "$f" -eq 0 ] && expect "$(basename "$dir"): Darwin build passes (as on a Mac)" ok \
                       || expect "$(basename "$dir"): Darwin build should pass, failed $f" no
    fi
    f=$(failures "$n" "$regex" "$dir/build/lesson-$n/httpd-asm")
    [ "$f" -eq 0 ] && expect "$(basename "$dir"): Linux build of the same copy passes" ok \
                   || expect "$(basename "$dir"): Linux build should pass, failed $f" no
}

echo "== fork-x0: the child recognized by x0"
d=$(prepare fork-x0)
plant "$d" asm/os/darwin/os.inc '/cbz     x1, 77f/d; /mov     x0, #0                    \/\/ child: report 0/d' &&
    build_lesson "$d" 02 && check "$d" 02 'fork' red || expect "fork-x0 could not be planted" no

echo "== o-nofollow: Linux's O_NOFOLLOW value"
linux_nofollow=$(awk -F'\t' '$1 == "O_NOFOLLOW" { print $2 }' tests/abi/linux.tsv)
d=$(prepare o-nofollow)
plant "$d" asm/os/darwin/os.inc "s/^\(        \.equ O_NOFOLLOW, \)0x100/\1$linux_nofollow/" &&
    build_lesson "$d" 06 && check "$d" 06 'symlink|linked' red || expect "o-nofollow could not be planted" no

echo "== sin-len: sockaddr_in without sin_len (Linux's layout)"
d=$(prepare sin-len)
plant "$d" asm/os/darwin/os.inc 's/^\(        \.equ SIN_FAMILY_HALF, \)(AF_INET << 8) | SOCKADDR_IN_SIZE/\1AF_INET/' &&
    build_lesson "$d" 01 && check "$d" 01 '.' green || expect "sin-len could not be planted" no

echo "== eof-flag: getdirentries64's EOF flag ignored"
d=$(prepare eof-flag)
# empty_reads PROGRAM -> getdirentries64 calls that returned 0 bytes while
# serving one listing
empty_reads() {
    local docroot out err pid port i
    docroot=$(mktemp -d) out=$(mktemp) err=$(mktemp)
    touch "$docroot/a.txt" "$docroot/b.txt"
    ${runner:+$runner --strace} "$1" 0 "$docroot" >"$out" 2>"$err" &
    pid=$!
    for i in $(seq 50); do grep -q 'listening on' "$out" && break; sleep 0.1; done
    port=$(sed -nE 's@.*127\.0\.0\.1:([0-9]+).*@\1@p' "$out" | head -n 1)
    curl -s -o /dev/null "http://127.0.0.1:$port/" || true
    sleep 0.3
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    grep -c 'getdirentries64(.*) = 0$' "$err"
    rm -rf "$docroot" "$out" "$err"
}
if [ -z "$runner" ]; then
    expect "eof-flag: needs the runner's --strace (Linux)" ok
elif plant "$d" asm/08-listing.s 's/^\(        \)b\.eq    dir_next_record           \/\/ no: more blocks may follow/\1b       dir_next_record           \/\/ (planted: the flag ignored)/' &&
     build_lesson "$d" 08; then
    right=$(empty_reads "$root/$build/darwin/lesson-08/httpd-asm")
    wrong=$(empty_reads "$d/build/darwin/lesson-08/httpd-asm")
    [ "$right" -eq 0 ] && expect "eof-flag: the right Darwin build lists a directory with no empty getdirentries64 read" ok \
                       || expect "eof-flag: the right Darwin build made $right empty getdirentries64 reads, expected 0" no
    [ "$wrong" -gt 0 ] && expect "eof-flag: the planted build makes $wrong empty read(s), which the flag would have saved" ok \
                       || expect "eof-flag: the planted build made no empty read: the runner missed the bug" no
    f=$(failures 08 'listing-[^r]' "$runner $d/build/darwin/lesson-08/httpd-asm")
    [ "$f" -eq 0 ] && expect "eof-flag: its fixtures still pass (no client sees the extra call)" ok \
                   || expect "eof-flag: its fixtures should pass, failed $f" no
else
    expect "eof-flag could not be planted" no
fi

echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
