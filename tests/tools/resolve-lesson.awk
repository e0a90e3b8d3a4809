# tests/tools/resolve-lesson.awk -- print a source file as lesson N sees it:
# every lesson conditional decided for N, its directive lines removed,
# everything else (comments too) kept as it is -- except the excerpt
# markers of the lesson pages (`// excerpt: NAME`, `// excerpt end`).
#
#   awk -v lesson=4 -f tests/tools/resolve-lesson.awk asm/httpd.s
#
# A lesson conditional is a directive whose condition names LESSON:
#   assembly:  .if LESSON >= 4   ...   .else   ...   .endif
#   C++:       #if LESSON >= 4   ...   #else   ...   #endif
#              #ifndef LESSON / #ifdef LESSON
# Conditions are comparisons of LESSON with a number (== != < <= > >=),
# joined by && and ||.  Any other conditional (.if OS_DARWIN, #ifdef
# __APPLE__) is not ours: it is printed, with its lines, as it is.  The
# spine (asm/httpd.s, cpp/httpd.cpp, and the record cpp/exchange.hpp) is
# where lesson conditionals live;
# nothing in them may nest (docs/architecture.md).
#
# The lines `// excerpt: NAME` and `// excerpt end`, which only mark the
# parts of a file the lesson pages quote (make excerpts), are left out too.
#
# Used by `make view-NN` and `make diff-NN` (tests/tools/lesson-view.sh).

function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }

# cmp(expr): one comparison, "LESSON >= 4" or "4 <= LESSON".
function cmp(expr,    m, a, op, b) {
    expr = trim(expr)
    if (!match(expr, /(==|!=|<=|>=|<|>)/)) die("cannot read the condition \"" expr "\"")
    a = trim(substr(expr, 1, RSTART - 1))
    op = substr(expr, RSTART, RLENGTH)
    b = trim(substr(expr, RSTART + RLENGTH))
    if (a == "LESSON") a = lesson
    if (b == "LESSON") b = lesson
    if (a !~ /^[0-9]+$/ || b !~ /^[0-9]+$/) die("only LESSON and numbers may be compared: \"" expr "\"")
    a += 0; b += 0
    if (op == "==") return a == b
    if (op == "!=") return a != b
    if (op == "<=") return a <= b
    if (op == ">=") return a >= b
    if (op == "<")  return a < b
    return a > b
}

# cond(expr): comparisons joined by || (loosest) and && -- no parentheses.
function cond(expr,    ors, ands, i, j, n, m, all) {
    if (expr ~ /[()]/) die("parentheses are not supported in a lesson condition: \"" expr "\"")
    n = split(expr, ors, /\|\|/)
    for (i = 1; i <= n; i++) {
        m = split(ors[i], ands, /&&/)
        all = 1
        for (j = 1; j <= m; j++) if (!cmp(ands[j])) all = 0
        if (all) return 1
    }
    return 0
}

function die(msg) { printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"; failed = 1; exit 2 }

# showing(): is the current line inside blocks that lesson N keeps?
function showing(    i) {
    for (i = 1; i <= depth; i++) if (ours[i] && !keep[i]) return 0
    return 1
}

BEGIN { depth = 0; if (lesson == "") { print "resolve-lesson.awk: set -v lesson=N" > "/dev/stderr"; exit 2 } }

{
    line = $0
    # the markers `make excerpts` reads (// excerpt: NAME, // excerpt end)
    # are for the lesson pages, not for the reader of a view
    if (line ~ /^[ \t]*\/\/ excerpt(: .*| end)[ \t]*$/) next
    # the directive, if this line is one: ".if X" / "#if X" / "#ifdef X" ...
    d = line
    sub(/^[ \t]*/, "", d)
    if (d ~ /^\/\/ excerpt(: [^ \t]+| end)[ \t]*$/) next    # a marker for the lesson pages
    if (d ~ /^(\.if|#if|#ifdef|#ifndef)[ \t(]/) {
        word = d; sub(/[ \t(].*/, "", word)
        expr = substr(d, length(word) + 1)
        sub(/[ \t]*(\/\/.*)?$/, "", expr)              # a trailing // comment is not the condition
        depth++
        ours[depth] = (expr ~ /LESSON/)
        if (ours[depth]) {
            for (i = 1; i < depth; i++) if (ours[i]) die("a lesson conditional inside another: keep the list flat")
            if (word == "#ifdef")       keep[depth] = 1          # LESSON is always defined
            else if (word == "#ifndef") keep[depth] = 0
            else                        keep[depth] = cond(expr)
            next
        }
        if (showing()) print line
        next
    }
    if (d ~ /^(\.else|#else)([ \t]|\/\/|$)/) {
        if (depth == 0) die("an else without an if")
        if (ours[depth]) { keep[depth] = !keep[depth]; next }
        if (showing()) print line
        next
    }
    if (d ~ /^(\.elseif|#elif)[ \t]/ && ours[depth]) die("elif/elseif in a lesson conditional: write two blocks")
    if (d ~ /^(\.endif|#endif)([ \t]|\/\/|$)/) {
        if (depth == 0) die("an endif without an if")
        was_ours = ours[depth]
        depth--
        if (!was_ours && showing()) print line
        next
    }
    if (showing()) print line
}

END {
    if (failed) exit 2
    if (depth != 0) { printf "%s: %d conditional(s) not closed\n", FILENAME, depth > "/dev/stderr"; exit 2 }
}
