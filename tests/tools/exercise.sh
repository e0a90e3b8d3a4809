#!/usr/bin/env bash
# tests/tools/exercise.sh -- "write it yourself": one assembly function at
# a time, the course supplying the contract and the grade.
#
#   exercise.sh list NN           lesson NN's functions, easiest first
#   exercise.sh names NN          the same names, one a line (for make grade)
#   exercise.sh start NN FN       student/NN-slug/FN.s: FN's header and a stub
#   exercise.sh stage NN FN       which stage file holds FN (NN-slug)
#   exercise.sh reset [NN] [FN]   back to the course's version (the student's
#                                 file is kept as FN.s.old)
#   exercise.sh patch STAGE OUT   a copy of asm/STAGE.s in which every function
#                                 with a file in student/STAGE/ is an .include
#                                 of that file (the Makefile assembles OUT)
#   exercise.sh started           every student file, one a line
#
# Nothing tracked is ever written: the student's files live in student/
# (ignored by git), the copies the build assembles in build/student/.
# The one table of the functions is the stage files themselves: a
# function is what FUNC ... ENDFUNC encloses, its description the header
# comment above it (the line after the prototype), its difficulty the
# number of instructions the course's version needs.
set -u
cd "$(dirname "$0")/../.."

STUDENT=${METAL_STUDENT_DIR:-student}   # (tests/tools/check-exercises.sh uses a scratch one)

die() { echo "make exercise: $*" >&2; exit 2; }

# The stage files of lesson NN (not lesson 00's program, asm/00-*-main.s).
stage_files() {
    ls asm/"$1"-*.s 2>/dev/null | grep -v -e '-main\.s$'
}

lesson_ok() {
    case "$1" in [0-9][0-9]) ;; *) die "a lesson is two digits (make exercise-05), not '$1'" ;; esac
    [ -n "$(stage_files "$1")" ] || die "lesson $1 has no assembly stage here (asm/$1-*.s); the lessons are: $(ls asm | sed -n 's/^\([0-9][0-9]\)-.*\.s$/\1/p' | sort -u | tr '\n' ' ')"
}

# The stage files, read once: for every FUNC, its header (the last
# comment block between two "// -----" lines above it; is_tchar and
# is_host_char share one), the .equ lines between that header and FUNC
# (the function's frame offsets), and its body.
#   MODE=table          instructions TAB name TAB file TAB description
#   MODE=header FN=fn   fn's header, its .equ lines, FUNC fn
parse_stages() {   # MODE [FN] files...
    mode=$1; fn=$2; shift 2
    awk -v mode="$mode" -v want="$fn" '
    FNR == 1 { nh = 0; nc = 0; ne = 0; incomment = 0 }
    /^\/\/ -----/ {
        if (incomment && nc > 0 && c[1] ~ /^\/\/ -----/) {   # the closing line: a header
            c[++nc] = $0; nh = nc; for (i = 1; i <= nc; i++) h[i] = c[i]; ne = 0; nc = 0; incomment = 0; next
        }
        nc = 0; c[++nc] = $0; incomment = 1; next
    }
    /^\/\// { if (incomment) c[++nc] = $0; next }
    /^[ \t]*\.equ[ \t]/ && !infn { e[++ne] = $0; next }
    /^FUNC / {
        name = $2; n = 0; infn = 1; incomment = 0
        if (mode == "header" && name == want) {
            for (i = 1; i <= nh; i++) print h[i]
            for (i = 1; i <= ne; i++) { line = e[i]; sub(/^[ \t]*/, "", line); print "// defined above FUNC in the stage file, for you to use:  " line }
            print; exit
        }
        desc = ""; state = 0
        for (i = 2; i < nh; i++) {
            line = h[i]
            if (state == 0) {
                if (index(line, " " name "(") && index(line, " -- ")) { desc = substr(line, index(line, " -- ") + 4); break }
                if (line ~ /\)[ \t]*(--.*)?$/) state = 1
                continue
            }
            if (line ~ /^\/\/[ \t]+(in|out|registers|stack|syscalls|Leaf):/) break
            sub(/^\/\/[ \t]*/, "", line)
            if (line == "") { if (desc != "") break; continue }
            desc = desc (desc == "" ? "" : " ") line
        }
        ne = 0
        next
    }
    /^ENDFUNC / { if (infn && mode == "table") printf "%d\t%s\t%s\t%s\n", n, name, FILENAME, desc; infn = 0; next }
    !infn { if ($0 !~ /^[ \t]*$/) incomment = 0; next }
    {
        s = $0; sub(/\/\/.*/, "", s); gsub(/^[ \t]+|[ \t]+$/, "", s)
        if (s ~ /^[A-Za-z_0-9]+:/) sub(/^[A-Za-z_0-9]+:[ \t]*/, "", s)   # a label
        if (s == "" || s ~ /^\./) next                                   # a directive
        n++
    }' "$@"
}
functions_of() { parse_stages table "" "$@"; }

# The first sentence of a description, at most 72 characters.
first_sentence() {
    awk '{
        # the first ". " after 20 characters that is not ".. "
        s = $0
        for (i = 21; i < length(s); i++)
            if (substr(s, i, 2) == ". " && substr(s, i - 1, 1) != ".") { s = substr(s, 1, i); break }
        if (length(s) > 72) { s = substr(s, 1, 69); sub(/ [^ ]*$/, "", s); s = s "..." }
        print s }'
}

stage_of() {   # NN FN -> NN-slug, or nothing
    functions_of $(stage_files "$1") | awk -F'\t' -v fn="$2" '$2 == fn { f = $3; sub(/^asm\//, "", f); sub(/\.s$/, "", f); print f }'
}

# "did you mean" for a name that is not there: names that contain it or
# that it contains, else those with the most letters in common at the start.
nearest() {   # wanted, then the names one a line on stdin
    awk -v w="$1" '
    { names[++n] = $0 }
    END {
        out = ""
        for (i = 1; i <= n; i++) if (index(names[i], w) || index(w, names[i])) out = out (out ? ", " : "") names[i]
        if (out == "") {
            best = 0
            for (i = 1; i <= n; i++) { k = 0; while (k < length(w) && substr(w, k + 1, 1) == substr(names[i], k + 1, 1)) k++; p[i] = k; if (k > best) best = k }
            if (best >= 3) for (i = 1; i <= n; i++) if (p[i] == best) out = out (out ? ", " : "") names[i]
        }
        if (out != "") print "  did you mean: " out "?"
    }'
}

unknown_function() {   # NN FN
    echo "make exercise: lesson $1 has no assembly function '$2'." >&2
    functions_of $(stage_files "$1") | cut -f2 | nearest "$2" >&2
    echo "  make exercise-$1 lists them." >&2
    exit 2
}

cmd_list() {
    lesson_ok "$1"
    echo "Lesson $1's assembly functions, easiest first (instructions in the course's version):"
    echo
    functions_of $(stage_files "$1") | sort -t'	' -k1,1n -k2,2 | {
        i=0
        while IFS='	' read -r n name file desc; do
            i=$((i + 1))
            stage=${file#asm/}; stage=${stage%.s}
            mark=""
            [ -f "$STUDENT/$stage/$name.s" ] && mark="  [yours: $STUDENT/$stage/$name.s]"
            printf '%3d. %-24s %4d  %s%s\n' "$i" "$name" "$n" "$(printf '%s\n' "$desc" | first_sentence)" "$mark"
        done
    }
    echo
    echo "  make exercise-$1 FN=name   write one yourself: student/$1-.../name.s, its header kept, a stub body"
    echo "  make grade-$1 FN=name      its asm-vs-C++ tests, then lesson $1's fixtures, with your version"
    echo "  make exercise-reset FN=name   back to the course's version (yours is kept as name.s.old)"
}

cmd_names() {
    lesson_ok "$1"
    functions_of $(stage_files "$1") | sort -t'	' -k1,1n -k2,2 | cut -f2
}

cmd_stage() {
    lesson_ok "$1"
    [ -n "${2:-}" ] || die "which function?  make exercise-$1 lists them"
    s=$(stage_of "$1" "$2")
    [ -n "$s" ] || unknown_function "$1" "$2"
    echo "$s"
}

cmd_start() {
    lesson_ok "$1"
    [ -n "${2:-}" ] || { cmd_list "$1"; exit 0; }
    fn=$2
    stage=$(stage_of "$1" "$fn")
    [ -n "$stage" ] || unknown_function "$1" "$fn"
    out=$STUDENT/$stage/$fn.s
    if [ -f "$out" ]; then
        echo "make exercise: $out is already yours -- edit it, then: make grade-$1 FN=$fn"
        echo "  (to start again from the stub: make exercise-reset FN=$fn, then make exercise-$1 FN=$fn)"
        exit 0
    fi
    mkdir -p "$STUDENT/$stage"
    {
        echo "// $out -- your $fn (make exercise-$1 FN=$fn)."
        echo "//"
        echo "// While this file exists, every server and test that uses asm/$stage.s"
        echo "// is built with this function in place of the course's (the rest of"
        echo "// asm/$stage.s is unchanged: its data, labels and other functions are"
        echo "// there for you to use).  Keep the header's contract; name your labels"
        echo "// after the function (${fn}_...), one statement per line, // comments."
        echo "//   make grade-$1 FN=$fn       check it: its tests, then lesson $1's fixtures"
        echo "//   make exercise-reset FN=$fn back to the course's version (this file"
        echo "//                              is kept as $fn.s.old)"
        echo
        # the header comment above FUNC, FUNC itself, the stub, ENDFUNC
        parse_stages header "$fn" "asm/$stage.s"
        echo "        NOT_WRITTEN $fn, $1, $stage  // the stub: replace this line with your body"
        echo "ENDFUNC $fn"
    } > "$out"
    echo "make exercise: $out is yours now (the body is a stub that stops with \"$fn: not written yet\")."
    echo "  Read the contract in its header and the C++ twin in cpp/$stage.cpp; write the body; then"
    echo "  make grade-$1 FN=$fn"
}

cmd_reset() {
    lesson=${1:-}; fn=${2:-}
    [ -d "$STUDENT" ] || { echo "make exercise-reset: nothing to reset (no $STUDENT/ directory)"; exit 0; }
    files=$(ls "$STUDENT"/*/*.s 2>/dev/null)
    [ -n "$lesson" ] && files=$(printf '%s\n' $files | grep -e "^$STUDENT/$lesson-")
    [ -n "$fn" ] && files=$(printf '%s\n' $files | grep -e "/$fn\.s$")
    if [ -z "$files" ]; then
        echo "make exercise-reset: no exercise${fn:+ $fn}${lesson:+ in lesson $lesson} is started; started:" >&2
        ls "$STUDENT"/*/*.s 2>/dev/null | sed 's/^/  /' >&2
        exit 2
    fi
    for f in $files; do
        mv -f "$f" "$f.old"
        echo "make exercise-reset: $f -> $f.old; the build uses asm/$(basename "$(dirname "$f")").s's own version again"
    done
}

cmd_started() {
    ls "$STUDENT"/*/*.s 2>/dev/null || true
}

# patch STAGE OUT: asm/STAGE.s with each student function an .include.
cmd_patch() {
    stage=$1; out=$2
    src=asm/$stage.s
    [ -f "$src" ] || die "no $src for $STUDENT/$stage/"
    fns=""
    for f in "$STUDENT/$stage"/*.s; do
        [ -f "$f" ] || continue
        fn=$(basename "$f" .s)
        grep -qx "FUNC $fn" "$src" || die "$f: asm/$stage.s has no function $fn (the file's name is the function's)"
        grep -qx "FUNC $fn" "$f" || die "$f: it must define the function with the line  FUNC $fn  (and end with  ENDFUNC $fn)"
        fns="$fns $fn"
    done
    mkdir -p "$(dirname "$out")"
    awk -v fns="$fns" -v dir="$STUDENT/$stage" -v src="$src" '
    BEGIN { n = split(fns, a, " "); for (i = 1; i <= n; i++) mine[a[i]] = 1
            print "// generated by tests/tools/exercise.sh from " src " -- do not edit:"
            print "// the functions with a file in " dir "/ are that file." }
    /^FUNC / && ($2 in mine) {
        if (!included++) print "        .include \"exercise.inc\""
        print "        .include \"" dir "/" $2 ".s\""
        skip = $2; next
    }
    skip != "" { if ($0 == "ENDFUNC " skip) skip = ""; next }
    { print }' "$src" > "$out.tmp" && mv -f "$out.tmp" "$out"
}

case "${1:-}" in
    list)    shift; cmd_list "${1:-}" ;;
    names)   shift; cmd_names "${1:-}" ;;
    stage)   shift; cmd_stage "${1:-}" "${2:-}" ;;
    start)   shift; cmd_start "${1:-}" "${2:-}" ;;
    reset)   shift; cmd_reset "${1:-}" "${2:-}" ;;
    patch)   shift; cmd_patch "$1" "$2" ;;
    started) cmd_started ;;
    *) echo "usage: exercise.sh list|names|stage|start|reset|patch|started ..." >&2; exit 2 ;;
esac
