#!/usr/bin/env bash
# tests/tools/lesson-diff.sh NN FROM "LESSONS" VIEWDIR -- `make diff-NN
# [FROM=MM]`: what lesson NN adds over lesson MM (default: the lesson
# before NN), in both languages, as a diff of the two views (make view-MM,
# make view-NN: VIEWDIR/lesson-MM and VIEWDIR/lesson-NN).  Files lesson NN
# adds appear whole, as added.  Coloured on a terminal, plain when piped.
set -u
n=$1 from=$2 lessons=$3 views=$4
if [ -z "$from" ]; then
    # the lesson just before NN in the list
    for m in $lessons; do [ "$m" = "$n" ] && break; from=$m; done
    if [ -z "$from" ]; then echo "lesson $n is the first lesson: there is nothing before it to compare with" >&2; exit 2; fi
else
    case $from in *[!0-9]*|'') echo "FROM must be a lesson number, e.g. FROM=02" >&2; exit 2 ;; esac
    from=$(printf '%02d' "$((10#$from))")
    case " $lessons " in *" $from "*) ;; *) echo "there is no lesson $from; the lessons are: $lessons" >&2; exit 2 ;; esac
fi
${MAKE:-make} --no-print-directory -s "view-$from" "view-$n" >/dev/null || exit 2
cd "$views" || exit 2
if [ -t 1 ]; then color=always; else color=never; fi
echo "What lesson $n adds over lesson $from (the two views are in $views/):"
echo
if command -v git >/dev/null 2>&1; then
    # --no-index: two plain directories, no repository needed; exit
    # status 1 only means "they differ"
    git --no-pager diff --no-index --color=$color --stat=100 "lesson-$from" "lesson-$n"
    echo
    git --no-pager diff --no-index --color=$color "lesson-$from" "lesson-$n"
else
    diff -ruN "lesson-$from" "lesson-$n"
fi
# 1 only means "they differ"; 141 (SIGPIPE) means the reader stopped
# early (make diff-03 | head): neither is a failure
status=$?
[ $status -le 1 ] || [ $status -eq 141 ]
