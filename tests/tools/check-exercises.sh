#!/usr/bin/env bash
# tests/tools/check-exercises.sh -- every assembly function can be an
# exercise (make exercise-NN FN=name): for each function of each lesson,
# its stub file is made in a scratch directory (never the student's own
# student/) with the function's header; then each stage is copied with
# every function an .include of its stub (what the Makefile assembles for
# one), and the copy must assemble: no function may use a label inside
# another, and no function may be missed.  Also: the table has a description for
# every function, a name that is not there is refused with the nearest
# names, and a second `start` never overwrites the student's work.
# Prints one line per lesson and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."

scratch=$(mktemp -d "${TMPDIR:-/tmp}/metal-exercises.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export METAL_STUDENT_DIR=$scratch/student
AS=${XPREFIX-aarch64-linux-gnu-}as
command -v "$AS" >/dev/null 2>&1 || AS=as
pass=0; fail=0

lessons=$(ls asm | sed -n 's/^\([0-9][0-9]\)-.*\.s$/\1/p' | sort -u)
for n in $lessons; do
    problems=""
    count=0
    # every function of the lesson a stub at once: one copy per stage
    for fn in $(bash tests/tools/exercise.sh names "$n"); do
        count=$((count + 1))
        bash tests/tools/exercise.sh start "$n" "$fn" >/dev/null || problems="$problems $fn(start)"
    done
    for dir in "$METAL_STUDENT_DIR/$n"-*; do
        [ -d "$dir" ] || continue
        stage=$(basename "$dir")
        for f in "$dir"/*.s; do
            fn=$(basename "$f" .s)
            grep -q "^        NOT_WRITTEN $fn, $n, $stage" "$f" || problems="$problems $fn(no stub)"
            grep -q "^// ---------" "$f" || problems="$problems $fn(no header)"
        done
        if ! bash tests/tools/exercise.sh patch "$stage" "$scratch/$stage.s"; then problems="$problems $stage(patch)"; continue; fi
        left=$(grep -c '^FUNC ' "$scratch/$stage.s")
        [ "$left" -eq 0 ] || problems="$problems $stage($left functions not replaced)"
        if ! "$AS" --fatal-warnings -Iasm/os/linux -Iasm -I"${GEN:-build/gen}" --defsym LESSON=$((10#$n)) \
                -o "$scratch/$stage.o" "$scratch/$stage.s" 2>"$scratch/err"; then
            problems="$problems $stage(assemble: $(head -3 "$scratch/err" | tr '\n' ' '))"
        fi
        rm -rf "$dir"
    done
    # every function has a one-line description
    missing=$(bash tests/tools/exercise.sh list "$n" | awk '/^ *[0-9]+\. / && NF < 4 { print $2 }')
    [ -z "$missing" ] || problems="$problems no-description:$(echo $missing | tr ' ' ',')"
    if [ -z "$problems" ]; then pass=$((pass + 1)); echo "ok    lesson $n: $count functions, all stubs at once, the stage assembles"
    else fail=$((fail + 1)); echo "FAIL  lesson $n:$problems"; fi
done

# A typo is refused with the nearest name; a second start keeps the work.
out=$(bash tests/tools/exercise.sh start 05 percent_decod 2>&1); rc=$?
if [ $rc -eq 2 ] && printf '%s' "$out" | grep -q 'did you mean: percent_decode?'; then pass=$((pass + 1)); echo "ok    a misspelt name: exit 2 and the nearest name"
else fail=$((fail + 1)); echo "FAIL  a misspelt name: exit $rc, said: $out"; fi
bash tests/tools/exercise.sh start 05 hex_value >/dev/null
echo "// my work" >> "$METAL_STUDENT_DIR/05-decode/hex_value.s"
bash tests/tools/exercise.sh start 05 hex_value >/dev/null
if tail -1 "$METAL_STUDENT_DIR/05-decode/hex_value.s" | grep -q '// my work'; then pass=$((pass + 1)); echo "ok    a second start leaves the student's file alone"
else fail=$((fail + 1)); echo "FAIL  a second start overwrote the student's file"; fi
bash tests/tools/exercise.sh reset 05 hex_value >/dev/null
if [ ! -f "$METAL_STUDENT_DIR/05-decode/hex_value.s" ] && [ -f "$METAL_STUDENT_DIR/05-decode/hex_value.s.old" ]; then
    pass=$((pass + 1)); echo "ok    reset keeps the student's file as .old"
else fail=$((fail + 1)); echo "FAIL  reset did not move the file to hex_value.s.old"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
