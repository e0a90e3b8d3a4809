#!/usr/bin/env bash
# tests/tools/check-binaries.sh BUILD NN... -- check what the linkers made:
#  * Linux assembly programs: static aarch64 ELF executables, no dynamic
#    section, no interpreter, and no symbol from libc (only our own code);
#  * Darwin assembly programs: arm64 Mach-O executables, PIE, with LC_MAIN
#    and a code signature, linking libSystem and nothing else, no undefined
#    symbol but the stub binder's, `svc #0x80` in the code and no Linux trap
#    (`svc #0`) anywhere.  On Linux these are the cross-built ones
#    (build/darwin/lesson-NN/); on a Mac, the native ones (build/lesson-NN/),
#    and there `codesign -v` also verifies the signature.
# The same checks run on both systems, with otool, nm and objdump: on a Mac
# the command line tools' own, on Linux LLVM's (llvm-otool, llvm-nm,
# llvm-objdump), which print the same.
# Prints one line per check and ends with "N passed, N failed"; a run with
# no lesson checks nothing, and make test counts that as a failure.
set -u
build=$1; shift
pass=0; fail=0
check() {   # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@" >/dev/null 2>&1; then pass=$((pass + 1)); echo "ok    $what"
    else fail=$((fail + 1)); echo "FAIL  $what"; fi
}
# The tools, found the way the Makefile's recipes find them (Debian may
# name them llvm-objdump-14).  A missing one is one clear failure here, not
# 20 checks failing for a reason they do not say: the inspect tool group
# (`make tools`) installs them -- make test and make check-binaries do that
# first.  GNU readelf reads ELF files of every machine, aarch64 included.
find_tool() {   # find_tool VARIABLE NAME... : VARIABLE=the tool's path
    local var=$1 path; shift
    if ! path=$(bash "$(dirname "$0")/which-tool.sh" "$@"); then
        echo "FAIL  $1 is not installed: run  make tools"
        echo "0 passed, 1 failed"
        exit 1
    fi
    printf -v "$var" '%s' "$path"
}
os=$(uname -s)
if [ "$os" = Linux ]; then
    find_tool readelf_ readelf llvm-readelf
    find_tool otool_ llvm-otool otool
    find_tool nm_ llvm-nm
    find_tool objdump_ llvm-objdump
elif [ "$os" = Darwin ]; then
    # Apple's command line tools: otool, and nm and objdump, which are
    # LLVM's under their plain names (an llvm-* in PATH, say Homebrew's
    # llvm, comes first); codesign verifies the signature.
    find_tool otool_ otool llvm-otool
    find_tool nm_ llvm-nm nm
    find_tool objdump_ llvm-objdump objdump
fi

# macho_checks LABEL FILE: the Darwin checks, the same on both systems.
macho_checks() {
    local what=$1 mach=$2
    check "$what exists" test -f "$mach"
    check "$what is an arm64 Mach-O executable (PIE)" \
        bash -c "$otool_ -hv '$mach' | grep -qE 'ARM64.*EXECUTE.*PIE'"
    check "$what has LC_MAIN and LC_CODE_SIGNATURE" \
        bash -c "h=\$($otool_ -l '$mach'); grep -qE 'cmd LC_MAIN\$' <<<\"\$h\" && grep -qE 'cmd LC_CODE_SIGNATURE\$' <<<\"\$h\""
    check "$what links libSystem and no other library" \
        bash -c "libs=\$($otool_ -L '$mach' | tail -n +2 | awk '{print \$1}'); [ \"\$libs\" = /usr/lib/libSystem.B.dylib ]"
    check "$what has no undefined symbol but the stub binder's" \
        bash -c "test -f '$mach' && u=\$($nm_ -u '$mach' | tr -d ' ') && { [ -z \"\$u\" ] || [ \"\$u\" = dyld_stub_binder ]; }"
    check "$what traps with svc #0x80 and never with Linux's svc #0" \
        bash -c "d=\$($objdump_ -d '$mach'); grep -qE 'svc[[:space:]]+#0x80' <<<\"\$d\" && ! grep -qE 'svc[[:space:]]+#0(\$|[^x])' <<<\"\$d\""
    # Only a Mac can verify a signature (codesign); elsewhere LC_CODE_SIGNATURE above.
    if [ "$os" = Darwin ] && command -v codesign >/dev/null 2>&1; then
        check "$what has a valid code signature (codesign -v)" codesign -v "$mach"
    fi
}

for n in "$@"; do
    prog=httpd; [ "$n" = 00 ] && prog=syscalls
    elf=$build/lesson-$n/$prog-asm
    if [ "$os" = Linux ]; then
        check "lesson-$n $prog-asm exists" test -f "$elf"
        check "lesson-$n $prog-asm is an aarch64 ELF executable" \
            bash -c "$readelf_ -h '$elf' | grep -q 'Machine:.*AArch64' && $readelf_ -h '$elf' | grep -q 'Type:.*EXEC'"
        check "lesson-$n $prog-asm is static (no interpreter, no dynamic section)" \
            bash -c "test -f '$elf' && ! $readelf_ -l '$elf' | grep -q INTERP && ! $readelf_ -d '$elf' | grep -q NEEDED"
        check "lesson-$n $prog-asm has no undefined symbols and no libc symbols" \
            bash -c "test -f '$elf' && [ -z \"\$($nm_ -u '$elf')\" ] && ! $nm_ '$elf' | grep -qwE 'printf|malloc|__libc_start_main|memcpy'"
        macho_checks "darwin lesson-$n $prog-asm" "$build/darwin/lesson-$n/$prog-asm"
    elif [ "$os" = Darwin ]; then
        macho_checks "lesson-$n $prog-asm" "$elf"
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
