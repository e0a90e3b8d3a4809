#!/usr/bin/env bash
# tests/tools/lesson-view.sh NN OUTDIR FILE... -- `make view-NN`: write
# lesson NN's server as plain files a student can read, into OUTDIR.
#
# FILE... are the sources the Makefile builds lesson NN from (the spine and
# every stage up to NN, both languages).  Each is copied to OUTDIR under
# the same path with its lesson conditionals decided for NN
# (tests/tools/resolve-lesson.awk): straight code, comments kept.  The
# headers the C++ files include and the assembly's .inc files come along,
# so OUTDIR holds everything lesson NN's two servers are made of (except
# build/gen/, the tables the Makefile generates).
set -u
n=$1 out=$2; shift 2
lesson=$((10#$n))
awk_script=$(dirname "$0")/resolve-lesson.awk

files=("$@")
# The C++ headers the sources include (the compiler knows best: -MM lists
# the project's own headers, not the system's).
cpp_sources=()
for f in "$@"; do case $f in *.cpp) cpp_sources+=("$f") ;; esac; done
if [ ${#cpp_sources[@]} -gt 0 ]; then
    deps=$(${CXX:-g++} -std=c++20 -MM -DLESSON="$lesson" -Icpp -Iasm -I"${GEN:-build/gen}" "${cpp_sources[@]}" 2>/dev/null |
        tr ' \\' '\n\n' | grep -E '^(cpp|asm)/' | sort -u)
    for d in $deps; do files+=("$d"); done
fi
# The assembly's includes: the record layouts and both OS layers.
for f in "$@"; do
    case $f in *.s) files+=(asm/records.inc asm/os/darwin/os.inc asm/os/linux/os.inc); break ;; esac
done
# and the shared macros, once a stage of the lesson includes them
for f in "$@"; do
    case $f in *.s) grep -q '^[[:space:]]*\.include[[:space:]]*"macros.inc"' "$f" && { files+=(asm/macros.inc); break; } ;; esac
done

# A lesson's view holds the stages up to it and nothing later: a header
# that pulls in a later stage (cpp/exchange.hpp including 03-parse.hpp at
# lesson 01) would show a student a lesson before its time.
for f in "${files[@]}"; do
    case $(basename "$f") in
        [0-9][0-9]-*)
            stage=$(basename "$f"); stage=$((10#${stage:0:2}))
            if [ "$stage" -gt "$lesson" ]; then
                echo "lesson-view: lesson $n's sources include $f, a file of lesson $(basename "$f" | cut -c1-2)" >&2
                exit 2
            fi ;;
    esac
done

rm -rf "$out"
count=0
for f in $(printf '%s\n' "${files[@]}" | sort -u); do
    mkdir -p "$out/$(dirname "$f")"
    awk -v lesson="$lesson" -f "$awk_script" "$f" > "$out/$f" || exit 2
    count=$((count + 1))
done
echo "lesson $n: $count files in $out/ (lesson conditionals resolved for lesson $n)"
