#!/usr/bin/env bash
# tests/tools/check-platforms.sh -- what the build does on the machines CI
# is not: a Mac (Apple silicon, a Rosetta terminal, an Intel Mac), arm64
# Linux, and GNU make 3.81 (the make macOS ships).  Everything runs here,
# on Linux: the Makefile's plans are read with `make -n` and the machine
# given on the command line (HOST_OS=Darwin HOST_ARCH=arm64 overrides what
# uname says), the scripts run with a made-up `uname` first in PATH.
# Nothing is built (BUILD points into a temporary directory).
# Prints one line per check and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
check() {   # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@" >"$tmp/out" 2>&1; then pass=$((pass + 1)); echo "ok    $what"
    else fail=$((fail + 1)); echo "FAIL  $what"; sed 's/^/      /' "$tmp/out" | head -n 20; fi
}
MAKE=${MAKE:-make}
mkdir -p "$tmp/build/tools"   # make-targets.txt's recipe runs make even under -n

# plan ARGS...: the commands `make -n` would run (nothing is built).
# METAL_PLAN_ONLY stops run-suites.sh if a recipe runs it anyway (make runs
# a line that names $(MAKE) even under -n): a suite inside the suites.
plan() { METAL_PLAN_ONLY=1 "$MAKE" --no-print-directory -n BUILD="$tmp/build" "$@" 2>&1; }
mac=(HOST_OS=Darwin HOST_ARCH=arm64)
arm_linux=(HOST_OS=Linux HOST_ARCH=aarch64)
asmtests=$tmp/build/tests/asm-tests

# `make -n test` only prints the plan: no suite runs inside this one.
check "make -n test runs no suite (no recipe line names \$(MAKE) literally)" \
    bash -c 'out=$(METAL_PLAN_ONLY=1 "$0" --no-print-directory -n BUILD="$1" test 2>&1); ! grep -q "started under make -n" <<<"$out"' "$MAKE" "$tmp/build"
check "make -n test-matrix runs no suite either" \
    bash -c 'out=$(METAL_PLAN_ONLY=1 "$0" --no-print-directory -n BUILD="$1" test-matrix 2>&1); ! grep -q "started under make -n" <<<"$out"' "$MAKE" "$tmp/build"

# --- issue 26, item 1: the asm-vs-C++ suite has a main() everywhere -------
# The link line of build/tests/asm-tests takes tests/asm/main.o on every
# kind of machine; on arm64 Linux it uses Debian's GoogleTest, not a
# cross-built one that only x86-64 builds make.
link_has_main() {   # link_has_main MACHINE-ARGS...
    local link
    link=$(plan "$@" "$asmtests" | grep -E -- "-o $asmtests( |\$)") || { echo "no link line"; return 1; }
    grep -q "tests/asm/main\.o" <<<"$link" || { echo "$link"; return 1; }
}
check "Mac: the asm-vs-C++ suite links tests/asm/main.o" link_has_main "${mac[@]}"
check "arm64 Linux: the asm-vs-C++ suite links tests/asm/main.o" link_has_main "${arm_linux[@]}"
check "x86-64 Linux: the asm-vs-C++ suite links tests/asm/main.o" link_has_main HOST_OS=Linux HOST_ARCH=x86_64
no_cross_gtest() {
    local p; p=$(plan "${arm_linux[@]}" "$asmtests")
    ! grep -q "gtest-aarch64" <<<"$p" && grep -E -- "-o $asmtests( |\$)" <<<"$p" | grep -q -- "-lgtest"
}
check "arm64 Linux: the suite links the system's libgtest, no cross-built one" no_cross_gtest
check "tests/asm/main.cpp defines main()" grep -q "^int main(" tests/asm/main.cpp

# --- items 8 and 9: a Mac links with Apple's ld; every clang is arm64 -----
mac_darwin_native() {
    local p; p=$(plan "${mac[@]}" darwin)
    ! grep -q "ld64.lld" <<<"$p" && grep -E -- "clang -arch arm64 -o $tmp/build/darwin/lesson-[0-9]+/[a-z]+-asm " <<<"$p" >/dev/null
}
check "Mac: make darwin links with clang -arch arm64 (Apple's ld), never ld64.lld" mac_darwin_native
every_clang_arm64() {
    local bad
    bad=$(plan "${mac[@]}" test | grep -E '(^|[[:space:]/])clang(\+\+)?[[:space:]]' | grep -v -- "-arch arm64")
    [ -z "$bad" ] || { echo "$bad" | head -n 5; return 1; }
    plan "${mac[@]}" test | grep -qE '(^|[[:space:]])clang\+\+ -arch arm64'
}
check "Mac: every clang and clang++ that make test runs gets -arch arm64" every_clang_arm64
refuses() {   # refuses TEXT MAKE-ARGS...: make stops, saying TEXT
    local text=$1; shift
    local out; out=$("$MAKE" --no-print-directory BUILD="$tmp/build" "$@" help 2>&1) && { echo "make did not stop"; return 1; }
    grep -qF -- "$text" <<<"$out" || { echo "$out"; return 1; }
}
check "Rosetta terminal: make stops and says to run arch -arm64 make" \
    refuses "arch -arm64" HOST_OS=Darwin HOST_ARCH=x86_64 ROSETTA=1
check "Intel Mac: make stops and says the assembly needs Apple silicon" \
    refuses "Apple silicon" HOST_OS=Darwin HOST_ARCH=x86_64 ROSETTA=0

# --- item 7: GNU make 3.81 sees a command-line -jN ------------------------
# make 3.81 does not put a command-line -jN into MAKEFLAGS while it reads
# the Makefile; there the Makefile asks ps for make's command line.
# MAKE_VERSION=3.81 on the command line takes that way with this make.
jobs_named() {   # jobs_named ARGS... -> the Makefile's JOBS_NAMED
    MAKEFLAGS= "$MAKE" --no-print-directory -pRrq -f Makefile MAKE_VERSION=3.81 "$@" : 2>/dev/null |
        sed -n 's/^JOBS_NAMED := *//p'
}
check "make 3.81: -j1 on the command line is seen (no -j per core added)" \
    bash -c "[ -n \"\$(MAKE='$MAKE'; $(declare -f jobs_named); jobs_named -j1)\" ]"
check "make 3.81: --jobs=3 and -kj3 are seen too" \
    bash -c "$(declare -f jobs_named); MAKE='$MAKE'; [ -n \"\$(jobs_named --jobs=3)\" ] && [ -n \"\$(jobs_named -kj3)\" ]"
per_core_when_none() {
    local db; db=$(MAKEFLAGS= "$MAKE" --no-print-directory -pRrq -f Makefile MAKE_VERSION=3.81 : 2>/dev/null)
    [ -z "$(sed -n 's/^JOBS_NAMED := *//p' <<<"$db")" ] &&
        grep -qE "^MAKEFLAGS = .*-j$(getconf _NPROCESSORS_ONLN)( |\$)" <<<"$db"
}
check "make 3.81: without -j, one job per core" per_core_when_none
# A sub-make (diff-NN, trace-NN, grade-NN start one) finds its parent's job
# slots in the environment and adds no -j of its own, which would make it
# leave the jobserver with a warning.
sub_make_keeps_slots() {
    local db; db=$(MAKEFLAGS=" -j2 --jobserver-auth=3,4" "$MAKE" --no-print-directory -pRrq -f Makefile : 2>/dev/null)
    [ -n "$(sed -n 's/^JOBS_NAMED := *//p' <<<"$db")" ]
}
check "a sub-make keeps its parent's job slots (no -j per core added)" sub_make_keeps_slots

here=$(uname -s)
# --- item 4: make test checks the Mach-O programs on a Mac ----------------
# (On a Mac the binaries suite does this to the real programs.)
if [ "$here" = Linux ]; then
# check-binaries.sh with a `uname` that says Darwin, on the Mach-O that the
# Linux build cross-links: the Mac's checks, with LLVM's otool, nm, objdump.
mkdir -p "$tmp/fake-mac/bin"
printf '#!/bin/sh\ncase "$1" in -m) echo arm64 ;; *) echo Darwin ;; esac\n' > "$tmp/fake-mac/bin/uname"
chmod +x "$tmp/fake-mac/bin/uname"
macho=${BUILD:-build}/darwin/lesson-08/httpd-asm
elf=${BUILD:-build}/lesson-08/httpd-asm
mac_binaries() {   # mac_binaries PROGRAM: check-binaries.sh as a Mac runs it
    rm -rf "$tmp/fake-mac/build"; mkdir -p "$tmp/fake-mac/build/lesson-08"
    cp "$1" "$tmp/fake-mac/build/lesson-08/httpd-asm"
    PATH="$tmp/fake-mac/bin:$PATH" bash tests/tools/check-binaries.sh "$tmp/fake-mac/build" 08
}
mac_checks_pass() {
    local out; out=$(mac_binaries "$macho") || { echo "$out"; return 1; }
    grep -qE '^([6-9]|[1-9][0-9]+) passed, 0 failed' <<<"$out" || { echo "$out"; return 1; }
}
check "Mac: check-binaries.sh checks the Mach-O (PIE, LC_MAIN, signature, libSystem, svc #0x80)" mac_checks_pass
elf_fails() {
    local out; out=$(mac_binaries "$elf") && { echo "$out"; return 1; }
    grep -q "FAIL  lesson-08 httpd-asm is an arm64 Mach-O executable" <<<"$out"
}
check "Mac: check-binaries.sh fails an ELF where a Mach-O belongs" elf_fails
# On a Mac the suite must not be empty: an empty run is a failure.
check "Mac: check-binaries.sh with no lesson reports nothing passed" \
    bash -c "PATH='$tmp/fake-mac/bin':\$PATH bash tests/tools/check-binaries.sh '$tmp/fake-mac/build' | grep -qx '0 passed, 0 failed'"

fi

# --- item 6: Homebrew installs take turns ---------------------------------
# Four callers at once: each holds the lock for a moment; the log must show
# every "in" directly followed by its own "out".
turns() {
    local i
    for i in 1 2 3 4; do
        bash -c ". tests/tools/turn-lock.sh; take_turn '$tmp/turn.lock.d' 2>/dev/null
                 echo in $i >> '$tmp/turns'; sleep 0.3; echo out $i >> '$tmp/turns'" &
    done
    wait
    [ "$(wc -l < "$tmp/turns")" -eq 8 ] || return 1
    awk 'NR % 2 == 1 { who = $2; if ($1 != "in") exit 1 } NR % 2 == 0 { if ($1 != "out" || $2 != who) exit 1 }' "$tmp/turns" &&
        [ ! -e "$tmp/turn.lock.d" ]
}
check "ensure-tools.sh: concurrent callers take turns (the Mac's brew lock)" turns
stale() {
    mkdir "$tmp/stale.lock.d"; echo 999999999 > "$tmp/stale.lock.d/pid"   # a pid no process has
    bash -c ". tests/tools/turn-lock.sh; take_turn '$tmp/stale.lock.d'; echo got it"
}
check "ensure-tools.sh: a lock left by a killed caller is taken over" stale

# --- bash 3.2: the lint finds what macOS's bash does not have -------------
printf '#!/bin/bash\ndeclare -A seen\necho "${name,,}"\n' > "$tmp/bash4.sh"   # bash32-lint: ok (the text of a test file, not run here)
check "bash32-lint.sh fails a script with bash 4 features" bash -c "! bash tests/tools/bash32-lint.sh '$tmp/bash4.sh'"

# --- item 5: the libc++ check is as strict as Apple clang 14.0.3 ----------
# A lambda that captures a structured binding compiles from LLVM 16 on; the
# compiler make libcxx uses must refuse it, as the oldest supported Apple
# clang does.
# (Linux only: a Mac compiles with its own clang.)
if [ "$here" = Linux ]; then
printf 'int f() { auto [a, b] = (int[2]){1, 2}; return [&] { return a + b; }(); }\n' > "$tmp/binding.cpp"
clang_15() {
    local cxx; cxx=$(plan libcxx | sed -n 's/^\(clang++-[0-9]*\) .*/\1/p' | head -n 1)
    [ -n "$cxx" ] || cxx=$("$MAKE" --no-print-directory -pRrq -f Makefile : 2>/dev/null | sed -n 's/^LIBCXX_CXX := //p')
    ! "$cxx" -std=c++20 -stdlib=libc++ -fsyntax-only "$tmp/binding.cpp"
}
check "make libcxx's clang refuses a lambda capturing a structured binding (as Apple clang 14 does)" clang_15
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
