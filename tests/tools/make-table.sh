#!/usr/bin/env bash
# tests/tools/make-table.sh KIND LANG TSV OUT -- turn one of the course's
# tables into the form one language includes, after checking every line.
#
#   KIND  mime     lessons/04-files/mime-types.tsv   extension TAB content-type
#         reasons  lessons/01-socket/reasons.tsv     status TAB reason-phrase
#         methods  lessons/03-parse/methods.tsv      method name (ids 1, 2, ... in line order)
#   LANG  asm      lines for the assembler (`MIME_ENTRY "html", "text/html"`)
#         cpp      lines for the C preprocessor (`MIME_ENTRY("html", "text/html")`)
#
# Each table exists once; the Makefile calls this script twice per table,
# so both servers are built from the same lines.  A line that breaks the
# table's rules stops the build with the file, the line number and the
# rule -- the way a compiler reports an error:
#     lessons/04-files/mime-types.tsv:23: expected "extension<TAB>type" ...
# Lines starting with '#' and empty lines are comments.
set -u
kind=$1 lang=$2 tsv=$3 out=$4
tmp=$out.tmp
mkdir -p "$(dirname "$out")"

awk -F'\t' -v kind="$kind" -v lang="$lang" -v file="$tsv" '
function fail(msg) { printf "%s:%d: %s\n    %s\n", file, NR, msg, $0 > "/dev/stderr"; bad = 1; exit 1 }
BEGIN {
    print (lang == "asm" ? "// " : "// ") "generated from " file " by tests/tools/make-table.sh -- do not edit"
    n = 0
}
/^#/ || /^$/ { next }
/\r$/ { fail("the line ends in CR: save the file with Unix (LF) line endings") }
kind == "mime" {
    if (NF != 2) fail("expected \"extension<TAB>content-type\" (exactly one tab)")
    if ($1 !~ /^[a-z0-9]+$/) fail("the extension must be lower-case letters and digits, without the dot (the lookup lowers what the client sent)")
    if ($2 !~ /^[a-z]+\/[^ \t"\\]+(; charset=utf-8)?$/) fail("the type must look like \"text/plain; charset=utf-8\" or \"image/png\" (no quotes or backslashes)")
    if ($2 ~ /^text\// && $2 !~ /; charset=utf-8$/) fail("a text/* type must say \"; charset=utf-8\"")
    if ($1 in seen) fail("extension \"" $1 "\" is already listed on line " seen[$1])
    seen[$1] = NR
    if (lang == "asm") printf "        MIME_ENTRY \"%s\", \"%s\"\n", $1, $2
    else               printf "MIME_ENTRY(\"%s\", \"%s\")\n", $1, $2
    next
}
kind == "reasons" {
    if (NF != 2) fail("expected \"status<TAB>reason-phrase\" (exactly one tab)")
    if ($1 !~ /^[1-5][0-9][0-9]$/) fail("the status must be three digits, 100 to 599")
    if ($2 !~ /^[A-Za-z][A-Za-z -]*$/) fail("the reason phrase must be letters, spaces and hyphens (RFC 9112 §4 allows more; this table keeps it plain)")
    if ($1 in seen) fail("status " $1 " is already listed on line " seen[$1])
    if ($1 + 0 <= last) fail("statuses must be in increasing order")
    seen[$1] = NR; last = $1 + 0
    if (lang == "asm") printf "        REASON  %s, \"%s\"\n", $1, $2
    else               printf "REASON(%s, \"%s\")\n", $1, $2
    next
}
kind == "methods" {
    if (NF != 1 || $1 !~ /^[A-Z]+$/) fail("expected one method name in capitals, nothing else")
    if (length($1) > 8) fail("a method name may have at most 8 bytes (the assembly packs it into one register)")
    if ($1 in seen) fail("method " $1 " is already listed on line " seen[$1])
    seen[$1] = NR
    n++
    if (lang == "asm") printf "        .equ METHOD_%s, %d\n", $1, n
    else               printf "METHOD(%d, %s, \"%s\")\n", n, $1, $1
    names[n] = $1
    next
}
{ fail("unknown table kind " kind) }
END {
    if (bad) exit 1
    if (kind == "methods") {
        if (lang == "asm") {
            printf "        .equ METHOD_LAST, %d\n", n
            print "        .macro METHOD_NAMES             // the names, 8 bytes each, NUL-padded, in id order"
            for (i = 1; i <= n; i++) {
                pad = ""
                for (j = length(names[i]); j < 8; j++) pad = pad "\\0"
                printf "        .ascii  \"%s%s\"\n", names[i], pad
            }
            print "        .endm"
        }
    }
}
' "$tsv" > "$tmp" || { rm -f "$tmp"; exit 1; }
mv "$tmp" "$out"
