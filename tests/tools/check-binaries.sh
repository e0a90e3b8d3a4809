#!/usr/bin/env bash
# tests/tools/check-binaries.sh BUILD NN... -- check what the linkers made:
#  * Linux assembly programs: static aarch64 ELF executables, no dynamic
#    section, no interpreter, and no symbol from libc (only our own code);
#  * Darwin assembly programs (cross-built on Linux): arm64 Mach-O
#    executables with LC_MAIN, a code signature, PIE, libSystem linked,
#    no undefined symbol but the stub's, `svc #0x80` in the code and no
#    Linux trap (`svc #0`) anywhere.
# Prints one line per check and ends with "N passed, N failed".
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
# Only the Linux build has checks here (and only there are the tools needed).
if [ "$os" = Linux ]; then
    find_tool objdump_ llvm-objdump
    find_tool nm_ llvm-nm
    find_tool readelf_ readelf llvm-readelf
fi
for n in "$@"; do
    prog=httpd; [ "$n" = 00 ] && prog=syscalls
    elf=$build/lesson-$n/$prog-asm
    mach=$build/darwin/lesson-$n/$prog-asm
    if [ "$os" = Linux ]; then
        check "lesson-$n $prog-asm exists" test -f "$elf"
        check "darwin lesson-$n $prog-asm exists" test -f "$mach"
        check "lesson-$n $prog-asm is an aarch64 ELF executable" \
            bash -c "$readelf_ -h '$elf' | grep -q 'Machine:.*AArch64' && $readelf_ -h '$elf' | grep -q 'Type:.*EXEC'"
        check "lesson-$n $prog-asm is static (no interpreter, no dynamic section)" \
            bash -c "test -f '$elf' && ! $readelf_ -l '$elf' | grep -q INTERP && ! $readelf_ -d '$elf' | grep -q NEEDED"
        check "lesson-$n $prog-asm has no undefined symbols and no libc symbols" \
            bash -c "test -f '$elf' && [ -z \"\$($nm_ -u '$elf')\" ] && ! $nm_ '$elf' | grep -qwE 'printf|malloc|__libc_start_main|memcpy'"
        check "darwin lesson-$n $prog-asm is an arm64 Mach-O executable (PIE)" \
            bash -c "$objdump_ --macho --private-header '$mach' | grep -qE 'ARM64.*EXECUTE.*PIE'"
        check "darwin lesson-$n $prog-asm has LC_MAIN, LC_CODE_SIGNATURE and links libSystem" \
            bash -c "h=\$($objdump_ --macho --private-headers '$mach'); grep -q LC_MAIN <<<\"\$h\" && grep -q LC_CODE_SIGNATURE <<<\"\$h\" && grep -q libSystem <<<\"\$h\""
        check "darwin lesson-$n $prog-asm has no undefined symbol but the stub's" \
            bash -c "[ \"\$($nm_ -u '$mach' | tr -d ' ')\" = dyld_stub_binder ]"
        check "darwin lesson-$n $prog-asm traps with svc #0x80 and never with Linux's svc #0" \
            bash -c "d=\$($objdump_ -d '$mach'); grep -qE 'svc[[:space:]]+#0x80' <<<\"\$d\" && ! grep -qE 'svc[[:space:]]+#0(\$|[^x])' <<<\"\$d\""
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
