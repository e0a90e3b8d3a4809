#!/usr/bin/env bash
# tests/tools/make-pages.sh LANG REASONS SENTENCES TEMPLATE OUT -- lesson
# 09's built-in error pages, generated for one language.
#
#   REASONS    lessons/01-socket/reasons.tsv         status TAB reason-phrase
#   SENTENCES  lessons/09-methods/error-sentences.tsv status TAB sentence
#   TEMPLATE   lessons/09-methods/error-page.html    @CODE@ @REASON@ @SENTENCE@
#   LANG       asm  `        ERROR_PAGE 404, "<!DOCTYPE html>\n..."`
#              cpp  `ERROR_PAGE(404, "<!DOCTYPE html>\n...")`
#
# Every 4xx and 5xx status of REASONS needs exactly one sentence, and
# every sentence a status of REASONS in that range; anything else stops
# the build with the file and line, like tests/tools/make-table.sh.  The
# page text exists only in these three files: both servers are built
# from the same generated lines.
set -u
lang=$1 reasons=$2 sentences=$3 template=$4 out=$5
tmp=$out.tmp
mkdir -p "$(dirname "$out")"

awk -F'\t' -v lang="$lang" -v rfile="$reasons" -v sfile="$sentences" -v tfile="$template" '
function fail(file, line, msg, text) { printf "%s:%d: %s\n    %s\n", file, line, msg, text > "/dev/stderr"; bad = 1; exit 1 }
# the template and the page text as one string literal: \n for a line
# end, \" for a quote (the same escapes in both languages)
function literal(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\n/, "\\n", s); return "\"" s "\"" }
BEGIN {
    while ((getline line < tfile) > 0) {
        if (line ~ /\r$/) fail(tfile, ++tn, "the line ends in CR: save the file with Unix (LF) line endings", line)
        ++tn; page = page line "\n"
    }
    if (page !~ /@CODE@/ || page !~ /@REASON@/ || page !~ /@SENTENCE@/) fail(tfile, tn, "the template needs @CODE@, @REASON@ and @SENTENCE@", "")
    while ((getline line < rfile) > 0) {
        ++rn
        if (line ~ /^#/ || line == "") continue
        split(line, f, "\t")
        if (f[1] ~ /^[45]/) { reason[f[1]] = f[2]; want[f[1]] = rn }
    }
    print "// generated from " sfile ", " tfile " and " rfile " by tests/tools/make-pages.sh -- do not edit"
}
FILENAME == sfile {
    if ($0 ~ /^#/ || $0 == "") next
    if ($0 ~ /\r$/) fail(sfile, FNR, "the line ends in CR: save the file with Unix (LF) line endings", $0)
    if (NF != 2) fail(sfile, FNR, "expected \"status<TAB>sentence\" (exactly one tab)", $0)
    if (!($1 in reason)) fail(sfile, FNR, "status " $1 " is not a 4xx or 5xx status of " rfile, $0)
    if ($1 in seen) fail(sfile, FNR, "status " $1 " already has a sentence on line " seen[$1], $0)
    if ($1 + 0 <= last) fail(sfile, FNR, "statuses must be in increasing order", $0)
    if ($2 !~ /^[A-Z][^<>&"\\]*\.$/) fail(sfile, FNR, "a sentence starts with a capital, ends with a full stop, and has no < > & \" or backslash", $0)
    seen[$1] = FNR; last = $1 + 0
    p = page
    gsub(/@CODE@/, $1, p); gsub(/@REASON@/, reason[$1], p); gsub(/@SENTENCE@/, $2, p)
    if (lang == "asm") printf "        ERROR_PAGE %s, %s\n", $1, literal(p)
    else               printf "ERROR_PAGE(%s, %s)\n", $1, literal(p)
}
END {
    if (bad) exit 1
    for (s in want) if (!(s in seen)) fail(rfile, want[s], "status " s " has no sentence in " sfile, "")
}
' "$sentences" > "$tmp" || { rm -f "$tmp"; exit 1; }
mv "$tmp" "$out"
