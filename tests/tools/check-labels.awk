# tests/tools/check-labels.awk -- the work of tests/tools/check-labels.sh
# (read its header): one asm file, checked at each of the lessons in
# -v lessons="NN NN ..." and on both systems; -v file= names it in the
# report.  Prints its lines (ok / FAIL) and exits 1 on FAIL.

# strip(s): the statement part of a line -- string literals blanked,
# the // comment dropped.
function strip(s,   out, i, c, inq) {
    out = ""; inq = 0
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (inq) {
            if (c == "\\") { i++; continue }
            if (c == "\"") inq = 0
            continue
        }
        if (c == "\"") { inq = 1; out = out " "; continue }
        if (c == "/" && substr(s, i + 1, 1) == "/") break
        out = out c
    }
    return out
}
# cond(e): 1 or 0, the value of an .if expression at lesson L on system
# DARWIN (1 or 0), or -1 for "cannot tell".  Known: `OS_DARWIN`, and
# `LESSON op N` joined by && and ||.  Anything else (an assembly-time
# check such as `.if ENT_SIZE != (1 << ENT_SHIFT)` before an `.error`) is
# -1, and both branches are read.
function cond(e,   ors, ands, i, j, no, na, ok, all, a, op, n) {
    gsub(/[ \t]/, "", e)
    if (e == "OS_DARWIN") return DARWIN
    if (e !~ /^LESSON/) return -1
    no = split(e, ors, /\|\|/)
    for (i = 1; i <= no; i++) {
        na = split(ors[i], ands, /&&/); all = 1
        for (j = 1; j <= na; j++) {
            a = ands[j]
            if (a !~ /^LESSON(>=|<=|==|!=|<|>)[0-9]+$/) return -1
            op = a; sub(/^LESSON/, "", op); sub(/[0-9]+$/, "", op)
            n = a; sub(/^LESSON[<>=!]+/, "", n); n = n + 0
            if (op == ">=") ok = (L >= n); else if (op == "<=") ok = (L <= n)
            else if (op == "==") ok = (L == n); else if (op == "!=") ok = (L != n)
            else if (op == "<") ok = (L < n); else ok = (L > n)
            if (!ok) all = 0
        }
        if (all) return 1
    }
    return 0
}
{ text[NR] = $0 }
END {
    nl = split(lessons, lesson, " ")
    for (run = 0; run < 2 * nl; run++) {
        k = int(run / 2) + 1; L = lesson[k] + 0; DARWIN = run % 2
        split("", def); split("", used); split("", glob)
        depth = 0; on[0] = 1
        for (r = 1; r <= NR; r++) {
            line = strip(text[r])
            if (match(line, /^[ \t]*\.if[ \t]/)) {
                e = substr(line, RSTART + RLENGTH)
                depth++; parent[depth] = on[depth - 1]; taken[depth] = cond(e)
                on[depth] = parent[depth] && taken[depth] != 0; continue
            }
            if (match(line, /^[ \t]*\.else[ \t]*$/)) {
                on[depth] = parent[depth] && taken[depth] != 1; continue
            }
            if (match(line, /^[ \t]*\.endif[ \t]*$/)) { depth--; continue }
            if (match(line, /^[ \t]*\.(if[a-z]+|else[a-z]+)([ \t]|$)/)) {
                if (run == 0) bad = bad "\n      " file ":" r ": cannot read `" line "`"
                continue
            }
            if (!on[depth]) continue
            # label definitions at the start of the line
            while (match(line, /^[ \t]*[A-Za-z_.$][A-Za-z0-9_.$]*:/)) {
                name = substr(line, RSTART, RLENGTH - 1); sub(/^[ \t]*/, "", name)
                if (!(name in def)) def[name] = r
                line = substr(line, RSTART + RLENGTH)
            }
            # the statement's first word: mnemonic, directive or macro
            if (!match(line, /^[ \t]*[A-Za-z_.][A-Za-z0-9_.]*/)) continue
            word = substr(line, RSTART, RLENGTH); sub(/^[ \t]*/, "", word)
            line = substr(line, RSTART + RLENGTH)
            if (word == ".globl" || word == "FUNC" || word == "PROGRAM_ENTRY") {
                entry = line; sub(/^[ \t]*/, "", entry); sub(/[ \t,].*$/, "", entry)
                glob[entry] = 1
            }
            # every other name on the line is a use
            while (match(line, /[A-Za-z_.$][A-Za-z0-9_.$]*/)) {
                used[substr(line, RSTART, RLENGTH)] = 1
                line = substr(line, RSTART + RLENGTH)
            }
        }
        for (name in def) {
            if ((name in glob) || (name in used)) continue
            where[name] = def[name]
            if (index(at[name] " ", " " lesson[k] " ") == 0) at[name] = at[name] " " lesson[k]
            os[name] = os[name] (DARWIN ? "d" : "l")
        }
        for (name in def) labels[name] = 1
    }
    n = 0; for (name in labels) n++
    if (bad != "") { print "FAIL  " file ": a conditional this check cannot follow:" bad; exit 1 }
    # the labels nothing refers to, in the order of the file
    m = 0
    for (name in where) { m++; order[m] = name }
    for (i = 2; i <= m; i++)
        for (j = i; j > 1 && where[order[j - 1]] > where[order[j]]; j--) {
            t = order[j]; order[j] = order[j - 1]; order[j - 1] = t
        }
    if (m == 0) {
        print "ok    " file ": " n " labels, each one referred to (lessons " lessons ", Linux and Darwin)"
        exit 0
    }
    print "FAIL  " file ": " m " of " n " labels nothing refers to (a signpost is a `// -- name: ...` comment, not a label):"
    for (i = 1; i <= m; i++) {
        name = order[i]; s = at[name]; sub(/^ /, "", s)
        note = (s == lessons) ? "" : " at LESSON " s
        if (os[name] !~ /d/) note = note " on Linux"
        if (os[name] !~ /l/) note = note " on Darwin"
        print "      " file ":" where[name] ": " name " -- nothing branches to it or takes its address" note
    }
    exit 1
}
