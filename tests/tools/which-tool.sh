#!/usr/bin/env bash
# tests/tools/which-tool.sh NAME... -- print the path of the first of these
# programs that is installed, or say which package is missing and fail.
#
# Why a script and not `$(shell command -v ...)` in the Makefile: make reads
# the Makefile (and runs every $(shell ...) in it) BEFORE any recipe runs, so
# on a new machine it would look for a tool that the first recipes are about
# to install, find nothing, and remember that.  A recipe calls this script
# instead, when it runs, after the tool stamp it depends on has installed
# the package:
#     ld64=$(bash tests/tools/which-tool.sh ld64.lld) && $ld64 -arch arm64 ...
#
# Debian installs some LLVM tools only under a versioned name (its lld
# package ships ld64.lld-14, not ld64.lld), so for each NAME a versioned
# NAME-NN found in PATH counts too, the newest version first.
set -u
if [ $# -eq 0 ]; then echo "usage: $0 NAME..." >&2; exit 2; fi

# The plain names first: a NAME that is installed as it is wins.
for name in "$@"; do
    if path=$(command -v "$name" 2>/dev/null); then echo "$path"; exit 0; fi
done

# Then NAME-NN in every PATH directory.  Each candidate is printed as
# "NN path" so that `sort -V` orders by the version (9 before 14) and the
# last line is the newest.
IFS=: read -r -a dirs <<<"${PATH:-/usr/bin:/bin}"
for name in "$@"; do
    best=$(for d in "${dirs[@]}"; do
               for f in "$d/$name"-[0-9]*; do
                   [ -x "$f" ] && echo "${f##*-} $f"
               done
           done | sort -V | tail -n 1 | cut -d' ' -f2-)
    if [ -n "$best" ]; then echo "$best"; exit 0; fi
done

echo "which-tool: none of these is installed: $*  (\`make tools\` installs every tool the build needs)" >&2
exit 1
