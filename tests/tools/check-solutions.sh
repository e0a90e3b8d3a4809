#!/usr/bin/env bash
# tests/tools/check-solutions.sh -- the lesson pages' exercises, verified
# against their reference solutions (make check-solutions [LESSON=NN]
# [ID=NN-title]; not part of make test).
#
#   check-solutions.sh [NN | NN-title ...]   check those (default: all)
#   check-solutions.sh list [NN]             every exercise of the pages, its
#                                            id and whether it has a solution
#
# The table: every numbered exercise under a page's "## Exercises"
# (lessons/NN-slug/*.md) is `N. **Title.** ...`; its id is the lesson's
# number and the title in lower case, words joined by dashes
# ("08-directories-first"), and its solution is tests/exercises/ID.patch
# -- nothing else maps one to the other.  A patch starts with lines that
# say how it is checked, then a unified diff (git diff) of the tracked
# files:
#     exercise: 08-directories-first
#     check: make unit FILTER=Lesson08        (each command as the page shows it)
#     red-first: yes | no                     (yes: the checks fail before the patch)
#
# For each exercise with a solution, in a scratch copy of the tracked files
# as they are in the working tree (the working tree is never changed), with
# a copy of build/ so only what the patch touches is rebuilt:
#   0. every check: command is on the page, in that exercise's text, and so
#      is every file the patch changes (its path);
#   1. red-first: yes -- the checks fail before the patch;
#   2. the patch's changes to the code alone (not to tests/ or to a
#      fixtures.json): every check, the unit tests, the lesson's asm tests,
#      the lesson's fixtures, the newest lesson's fixtures and the docs
#      suite run, and every test or fixture that fails must be named in the
#      exercise's text (by its name, a `prefix-*` pattern, or the file the
#      test is in; `make docs-check` for the docs suite);
#   3. the whole patch: every check passes, and what else fails is named
#      in the text as in 2.
# Prints one line per exercise with its time, and "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
SOL=tests/exercises
LAST=$(ls -d lessons/[0-9][0-9]-*/ | tail -1 | sed 's|lessons/||; s/-.*//')

# id<TAB>page<TAB>number of every exercise on every page
exercises() {
    local page n
    for page in lessons/[0-9][0-9]-*/*.md; do
        n=${page#lessons/}; n=${n%%-*}
        awk -v n="$n" -v page="$page" '
            /^## / { inex = ($0 ~ /^## Exercises/); next }
            inex && /^[0-9]+\. \*\*/ {
                num = $1; sub(/\.$/, "", num)
                t = $0; sub(/^[0-9]+\. \*\*/, "", t); sub(/\*\*.*/, "", t)
                t = tolower(t); gsub(/[^a-z0-9]+/, "-", t); gsub(/^-+|-+$/, "", t)
                print n "-" t "\t" page "\t" num
            }' "$page"
    done
}

# text PAGE NUMBER: the exercise's text, joined into one line (a command
# the page wraps is still found), backquotes kept
text() {
    awk -v num="$2" '
        /^## / { inex = ($0 ~ /^## Exercises/); if (p) exit; next }
        inex && /^[0-9]+\. \*\*/ { if (p) exit; if ($1 == num ".") p = 1 }
        p { print }' "$1" | tr '\n' ' ' | tr -s ' '
}

field() { sed -n "s/^$1: //p" "$2"; }

# named TEXT NAME: is this failing test or fixture named in the text?
named() {
    local txt=$1 name=$2 pat file
    case $name in failed-without-a-name:*) return 1 ;; esac
    case $txt in *"$name"*) return 0 ;; esac
    case $name in
        docs-check) return 1 ;;
        *.*)   # a GoogleTest name Suite.Test (or Suite/Param.Test/N): the test alone, or its file
            local tname=${name#*.}; tname=${tname%%/*}
            local suite=${name%%.*}; suite=${suite##*/}
            case $txt in *"\`$tname\`"*) return 0 ;; esac
            for file in $(grep -l -E "TEST(_F|_P)?\($suite, *(DISABLED_)?$tname\)" -r tests/unit tests/asm tests/abi tests/harness 2>/dev/null); do
                case $txt in *"$file"*) return 0 ;; esac
                # or a table of tests/support/ it reads, which the exercise changes
                for h in $(sed -n 's|^#include "\(.*/\)\{0,1\}\([a-z_]*\.hpp\)".*|\2|p' "$file"); do
                    case $txt in *"tests/support/$h"*) return 0 ;; esac
                done
            done ;;
    esac
    # a filter the page has the student run (FILTER=NetworkByteOrder)
    for pat in $(printf '%s' "$txt" | grep -o 'FILTER=[A-Za-z0-9_]*' | sed 's/^FILTER=//'); do
        [ -n "$pat" ] || continue
        case $name in *"$pat"*) return 0 ;; esac
    done
    # a pattern in backquotes: `hardening-usage-*`
    for pat in $(printf '%s' "$txt" | grep -o '`[a-z0-9-]*-\*`' | tr -d '`'); do
        # shellcheck disable=SC2254
        case $name in $pat) return 0 ;; esac
    done
    return 1
}

# failures LOG: the names of what failed in a make's output
failures() {
    sed -n 's/^\[  FAILED  \] \([A-Za-z0-9_/.]*\.[A-Za-z0-9_/.]*\).*/\1/p; s/^──── [^ ]* \([^ ]*\) \[.*/\1/p' "$1" | sort -u
}

# suite DIR LOG COMMAND: run one command (as a page shows it) in DIR; the
# names of what failed go to DIR/failed, a command that failed without
# naming a test or fixture (a build that failed) is failed-without-a-name:COMMAND,
# which no page can name
suite() {
    local dir=$1 log=$2 cmd=$3
    echo "\$ $cmd" >> "$log"
    (cd "$dir" && MAKEFLAGS= MFLAGS= nice bash -c "$cmd") > "$log.one" 2>&1
    local rc=$?
    cat "$log.one" >> "$log"
    if [ $rc -ne 0 ]; then
        local names
        names=$(failures "$log.one")
        case $cmd in *docs-check*) names="docs-check" ;; esac
        if [ -n "$names" ]; then printf '%s\n' $names >> "$dir/failed"; else printf 'failed-without-a-name:%s\n' "${cmd// /_}" >> "$dir/failed"; fi
    fi
    return $rc
}

# run_all DIR LOG N: the exercise's checks (checks_arr) and the lesson's
# suites; the checks that failed go to DIR/checks-red
run_all() {
    local dir=$1 log=$2 n=$3 c
    : > "$dir/failed"; : > "$dir/checks-red"
    for c in "${checks_arr[@]}"; do suite "$dir" "$log" "$c" || echo "$c" >> "$dir/checks-red"; done
    for c in "make unit" "make asm-tests FILTER=Lesson$n" "make lesson-$n" "make lesson-$LAST" "make docs-check"; do
        printf '%s\n' "${checks_arr[@]}" | grep -qxF "$c" && continue   # already run
        [ "$c" = "make lesson-$LAST" ] && [ "$n" = "$LAST" ] && continue
        suite "$dir" "$log" "$c"
    done
    sort -u -o "$dir/failed" "$dir/failed"
}

# unnamed DIR TEXT: what failed and the text does not name
unnamed() {
    local name out=""
    while read -r name; do
        [ -n "$name" ] || continue
        named "$2" "$name" || out="$out $name"
    done < "$1/failed"
    printf '%s' "$out"
}

# scratch DIR: the tracked files as they are in the working tree, committed
# in a repository of their own (the docs suite compares a page's quotes with
# the last commit too, as in a student's clone), and a copy of build/
scratch() {
    mkdir -p "$1"
    git ls-files -z | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$1"
    (cd "$1" && git init -q && git add -A && git -c user.name=check -c user.email=check@localhost commit -qm scratch) >/dev/null 2>&1
    [ -d "$BUILD" ] && tar -cf - --exclude="$BUILD/bench" --exclude="$BUILD/bugzoo" --exclude="$BUILD/fresh-debian" \
        --exclude="$BUILD/solutions" --exclude="$BUILD/darwin" --exclude="$BUILD/mix" "$BUILD" | tar -xf - -C "$1"
    return 0
}

# judge_checks CHECKS-RED AFTER: after the patch the checks pass (AFTER
# "red": they all fail); prints the problems
judge_checks() {
    local c
    if [ "$2" = red ]; then
        for c in "${checks_arr[@]}"; do grep -qxF "$c" "$1" || printf " green-after-the-patch:'%s'" "$c"; done
    else
        while IFS= read -r c; do [ -n "$c" ] && printf " red-after-the-patch:'%s'" "$c"; done < "$1"
    fi
}

check_one() {
    local id=$1 page=$2 num=$3 patch=$(pwd)/$SOL/$1.patch
    local n=${id%%-*} keep=$BUILD/solutions/$id dir log problems="" txt c f rf after u t0=$SECONDS
    txt=$(text "$page" "$num")
    rm -rf "$keep"; mkdir -p "$keep"
    dir=$(mktemp -d "${TMPDIR:-/tmp}/metal-solution-$id.XXXXXX")
    log=$dir/log; : > "$log"
    # 0. the patch says what the page says
    [ "$(field exercise "$patch")" = "$id" ] || problems="$problems header-says:$(field exercise "$patch")"
    [ ${#checks_arr[@]} -gt 0 ] || problems="$problems no-check-line"
    for c in "${checks_arr[@]}"; do
        case $txt in *"$c"*) ;; *) problems="$problems check-not-on-page:'$c'" ;; esac
    done
    for f in $(sed -n 's|^+++ b/||p; s|^--- a/||p' "$patch" | sort -u); do
        local rel=${f#"$(dirname "$page")"/}   # a file beside the page: (reasons.tsv), `reasons.tsv`
        case $txt in *"$f"*|*"($rel)"*|*"\`$rel\`"*) ;; *) problems="$problems file-not-named:$f" ;; esac
    done
    rf=$(field red-first "$patch")
    after=$(field after "$patch")   # red: the exercise is to break it (the checks must fail after)

    scratch "$dir/src"
    # 1. red before
    if [ "$rf" = yes ]; then
        local green=1
        for c in "${checks_arr[@]}"; do suite "$dir/src" "$log" "$c" || green=0; done
        [ $green -eq 0 ] || problems="$problems green-before-the-patch"
    fi
    # 2. the code alone (what the student changes before the tests)
    if ! (cd "$dir/src" && git apply --exclude='tests/*' --exclude='lessons/*/fixtures.json' "$patch") 2>>"$log"; then
        problems="$problems does-not-apply"
    else
        run_all "$dir/src" "$log" "$n"
        cp "$dir/src/failed" "$dir/failed-code-alone"
        u=$(unnamed "$dir/src" "$txt")
        [ -z "$u" ] || problems="$problems code-alone-turns-red-unnamed:${u# }"
        # 3. the whole patch (when it changes tests or fixtures: else 2 was it)
        if ! grep -qE '^\+\+\+ b/(tests/|lessons/[^/]*/fixtures\.json)' "$patch"; then
            cp "$dir/src/failed" "$dir/failed-solved"
            problems="$problems$(judge_checks "$dir/src/checks-red" "$after")"
        elif (cd "$dir/src" && git apply --include='tests/*' --include='lessons/*/fixtures.json' --exclude='*' "$patch") 2>>"$log"; then
            run_all "$dir/src" "$log" "$n"
            cp "$dir/src/failed" "$dir/failed-solved"
            problems="$problems$(judge_checks "$dir/src/checks-red" "$after")"
            u=$(unnamed "$dir/src" "$txt")
            [ -z "$u" ] || problems="$problems solved-still-red-unnamed:${u# }"
        else
            problems="$problems tests-part-does-not-apply"
        fi
    fi
    local secs=$((SECONDS - t0)) red
    red=$(tr '\n' ' ' < "$dir/failed-code-alone" 2>/dev/null)
    cp "$log" "$dir"/failed-* "$keep"/ 2>/dev/null
    rm -rf "$dir"
    if [ -z "${problems// /}" ]; then
        pass=$((pass + 1)); echo "ok    $id: red first: ${rf:-no}; the code alone turns red: ${red:-nothing}(all named on the page); solved: its checks $([ "$after" = red ] && echo fail, as the page says || echo pass) (${secs}s)"
    else
        fail=$((fail + 1)); echo "FAIL  $id:$problems (${secs}s; log: $keep/log)"
    fi
}

if [ "${1:-}" = list ]; then
    exercises | while IFS=$'\t' read -r id page num; do
        case $id in "${2:-}"*) ;; *) continue ;; esac
        if [ -f "$SOL/$id.patch" ]; then s="solution"
        elif text "$page" "$num" | grep -qiE 'Nothing to change|Files: none'; then s="nothing to change: no solution needed"
        else s="no solution yet"; fi
        printf '%-48s %s #%s  %s\n' "$id" "$page" "$num" "$s"
    done
    exit 0
fi

pass=0; fail=0; missing=0; started=$SECONDS
want=("$@")
mkdir -p "$BUILD/solutions"
# a patch whose exercise is on no page (a renamed title) is an error
for p in "$SOL"/*.patch; do
    [ -f "$p" ] || continue
    id=$(basename "$p" .patch)
    exercises | cut -f1 | grep -qxF "$id" || { fail=$((fail + 1)); echo "FAIL  $id: $p, but no page has an exercise with that title (make check-solutions-list)"; }
done
while IFS=$'\t' read -r id page num; do
    if [ ${#want[@]} -gt 0 ]; then
        sel=0
        for w in "${want[@]}"; do case $id in "$w"*) sel=1 ;; esac; done
        [ $sel -eq 1 ] || continue
    fi
    if [ ! -f "$SOL/$id.patch" ]; then
        text "$page" "$num" | grep -qiE 'Nothing to change|Files: none' || missing=$((missing + 1))
        continue
    fi
    checks_arr=()                 # one check command per line (bash 3.2: no mapfile)
    while IFS= read -r line; do checks_arr+=("$line"); done < <(field check "$SOL/$id.patch")
    check_one "$id" "$page" "$num"
done < <(exercises)
echo "$pass passed, $fail failed in $((SECONDS - started)) s ($missing exercises without a solution yet: make check-solutions-list)"
[ "$fail" -eq 0 ] && [ $((pass + fail)) -gt 0 ]
