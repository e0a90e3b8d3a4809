#!/usr/bin/env bash
# tests/bench/publish.sh BENCH_DIR -- `make bench-publish`: make the last
# `make bench` run the one the repository shows.
#   BENCH_DIR/bench.png     -> docs/bench.png
#   BENCH_DIR/results.json  -> docs/bench-results.json
#   BENCH_DIR/targets.md    -> README.md, between the lines
#                              <!-- bench-targets --> and <!-- /bench-targets -->
# Then review and commit them (git diff README.md docs/).
set -eu
dir=${1:-build/bench}
for f in bench.png results.json targets.md; do
    [ -f "$dir/$f" ] || { echo "bench-publish: no $dir/$f -- run make bench first" >&2; exit 1; }
done
# Only a whole run: one made with BENCH_ONLY= would take the other part's
# numbers out of the README and docs/.
# (From lesson 10 on a whole run has the robustness point as well.)
grep -q '^  "parts": \["download", "upload"\(, "robust"\)\{0,1\}\],$' "$dir/results.json" ||
    { echo "bench-publish: $dir/results.json is not from a whole run (BENCH_ONLY was set?) -- run make bench" >&2; exit 1; }
cp "$dir/bench.png" docs/bench.png
cp "$dir/results.json" docs/bench-results.json
# Replace what lies between the two markers; everything else stays as it is.
grep -q '^<!-- bench-targets -->$' README.md || { echo "bench-publish: README.md has no <!-- bench-targets --> marker" >&2; exit 1; }
# A line saying which run it is, from results.json (our own format: one
# field per line, so sed can read it).
field() { sed -n "s/^ *\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p" "$dir/results.json" | head -n 1; }
run="Lesson $(field lesson), $(field description), $(field date | cut -c1-10)"
grep -q '"quick": true' "$dir/results.json" && run="$run, QUICK run (not for quoting)"
awk -v table="$dir/targets.md" -v run="$run" '
    /^<!-- \/bench-targets -->$/ { skipping = 0 }
    !skipping { print }
    /^<!-- bench-targets -->$/ { print "*" run ":*"; print ""
                                 while ((getline line < table) > 0) print line; skipping = 1 }
' README.md >README.md.new
mv README.md.new README.md
echo "docs/bench.png, docs/bench-results.json and the README's targets table now show the run of $(sed -n 's/^  "date": "\(.*\)",$/\1/p' "$dir/results.json")"
