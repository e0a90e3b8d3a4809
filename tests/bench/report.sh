# tests/bench/report.sh -- the last step of tests/bench/bench.sh (sourced
# by it, with its variables): the tables, the targets, results.json and
# the chart.  Everything printed here also lands in $OUT/table.txt.

exec {terminal}>&1 > >(tee "$OUT/table.txt")
tee_pid=$!

# Medians, smallest and largest value of the repetitions (stats.awk).
declare -A MED=() LO=() HI=() N=() ALL=() ERRS=()
while read -r id size med lo hi n all; do
    MED[$id,$size]=$med LO[$id,$size]=$lo HI[$id,$size]=$hi N[$id,$size]=$n ALL[$id,$size]=$all
done < <(awk '{ print $1, $2, $4 }' "$RUNS" | awk -f "$here/stats.awk")
while read -r id size errs; do ERRS[$id,$size]=$errs; done < <(
    awk '{ e[$1 " " $2] += $5 + $6 } END { for (k in e) print k, e[k] }' "$RUNS")

# cell ID SIZE: "12345 ±3%" -- the median and half the range between the
# smallest and the largest run, relative to the median (no spread from one
# run).  "!" marks a point
# where wrk saw errors or non-2xx answers (see build/bench/wrk-*.txt).
cell() {
    local k=$1,$2
    [ -n "${MED[$k]:-}" ] || { printf '%12s' "n/a"; return; }
    local mark=" "; [ "${ERRS[$k]:-0}" -gt 0 ] && mark="!"
    if [ "${N[$k]:-1}" -gt 1 ]; then
        awk -v m="${MED[$k]}" -v lo="${LO[$k]}" -v hi="${HI[$k]}" -v mark="$mark" \
            'BEGIN { printf "%7.0f ±%2.0f%%%s", m, (m > 0 ? (hi - lo) / 2 / m * 100 : 0), mark }'
    else
        awk -v m="${MED[$k]}" -v mark="$mark" 'BEGIN { printf "%7.0f     %s", m, mark }'
    fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b }'; }
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
dash() { echo "${1:--}"; }

echo
echo "lesson $LESSON, $MACHINE"
if [ "$DO_DOWNLOAD" = 1 ]; then
DUR_TEXT="$REPS x ${DUR[1k]} s (1 KiB), ${DUR[1m]} s (1 MiB), ${DUR[1g]} s (1 GiB)"
echo "wrk: $THREADS threads, $CONNS connections, Connection: close; $DUR_TEXT$([ "$QUICK" = 1 ] && echo "; QUICK run")"
[ "$REPS" -gt 1 ] && echo "median ±half the spread of the $REPS repetitions"
echo
# every number cell is 13 wide: the median in 7, then " ±NN%" and the mark
printf '%-20s %-22s %7s%6s %7s%6s %7s%6s  %-14s %s\n' "" "" "1 KiB" "" "1 MiB" "" "1 GiB" "" "syscalls/GET" "peak RSS KiB"
printf '%-20s %-22s %7s%6s %7s%6s %7s%6s  %-14s %s\n' "server" "model" "req/s" "" "req/s" "" "MB/s" "" "parent  child" "parent  child"
for id in "${SERVERS[@]}"; do
    if [ "${AVAIL[$id]}" != 1 ]; then
        printf '%-20s %-22s %s\n' "${LABEL[$id]}" "${MODEL[$id]}" "not available: ${WHY[$id]}"
        continue
    fi
    printf '%-20s %-22s %s %s %s  %6s %6s  %6s %6s\n' "${LABEL[$id]}" "${MODEL[$id]}" \
        "$(cell "$id" 1k)" "$(cell "$id" 1m)" "$(cell "$id" 1g)" \
        "$(dash "${SC_PARENT_N[$id]:-}")" "$(dash "$( [ "${SC_CHILD_N[$id]:-0}" -gt 0 ] && echo "${SC_CHILD_N[$id]}")")" \
        "$(dash "${RSS_PARENT[$id]:-}")" "$(dash "${RSS_CHILD[$id]:-}")"
done
grep -q . <(for k in "${!ERRS[@]}"; do [ "${ERRS[$k]}" -gt 0 ] && echo x; done) &&
    echo "! wrk counted errors or non-2xx answers there: see $OUT/wrk-SERVER-SIZE-REP.txt"

# The calls side by side.  The handler path is the child's (fork), the
# thread's (python), or the worker's own (nginx, lighttpd: no child).
echo
echo "system calls for one GET /1k.bin: the handler path (child, thread, or event loop)"
declare -A HANDLER=()
cols=()
for id in "${SERVERS[@]}"; do
    [ "${AVAIL[$id]}" = 1 ] || continue
    if [ "${SC_CHILD_N[$id]:-0}" -gt 0 ]; then HANDLER[$id]=${SC_CHILD[$id]}; else HANDLER[$id]=${SC_PARENT[$id]:-}; fi
    cols+=("$id")
done
{
    for id in "${cols[@]}"; do printf '%-16.16s ' "${LABEL[$id]}"; done; echo
    for id in "${cols[@]}"; do printf '%-16s ' "($(wc -w <<<"${HANDLER[$id]}") calls)"; done; echo
    for id in "${cols[@]}"; do printf '%-16s ' "----------------"; done; echo
    # one column per server: paste the word lists side by side
    paste $(for id in "${cols[@]}"; do
                f=$WORK/calls-$id; tr ' ' '\n' <<<"${HANDLER[$id]}" | grep . >"$f"; echo "$f"
            done) | awk -F'\t' '{ for (i = 1; i <= NF; i++) printf "%-16.16s ", $i; print "" }'
} | sed 's/ *$//'
echo
echo "and in the process that accepts, per connection (fork and thread servers):"
for id in "${cols[@]}"; do
    [ "${SC_CHILD_N[$id]:-0}" -gt 0 ] || continue
    printf '  %-20s %2s: %s\n' "${LABEL[$id]}" "${SC_PARENT_N[$id]:-0}" "${SC_PARENT[$id]:-}"
done
fi   # DO_DOWNLOAD

# The upload: MB/s of one 256 MiB PUT, and each as a share of the disk's.
if [ "$DO_UPLOAD" = 1 ]; then
    echo
    echo "upload: one $((UP_BYTES / 1024 / 1024)) MiB PUT (curl -T, timed by curl; the server has -w: temporary file,"
    echo "fsync, rename) against dd bs=1M conv=fsync, both to ${UP_FS:-the same file system}; $UP_REPS round$([ "$UP_REPS" -gt 1 ] && echo s)"
    [ "$UP_REPS" -gt 1 ] && echo "median ±half the spread of the $UP_REPS rounds"
    printf '%-20s %7s%6s  %s\n' "" "MB/s" "" "× disk"
    for id in disk "${SERVERS[@]}"; do
        [ "$id" = disk ] || is_ours "$id" || continue
        if [ -z "${MED[$id,put]:-}" ]; then
            printf '%-20s %s\n' "${LABEL[$id]}" "not measured: ${UP_WHY[$id]:-no result}"
            continue
        fi
        printf '%-20s %s  %s%s\n' "${LABEL[$id]}" "$(cell "$id" put)" "$(ratio "${MED[$id,put]}" "${MED[disk,put]:-0}")" \
            "${UP_WHY[$id]:+   (rounds lost, the last: ${UP_WHY[$id]})}"
    done
fi

# The robustness point: one column per server (tests/bench/robust.py).
rob() { echo "${ROB[$1,$2]:-}"; }
if [ "$DO_ROBUST" = 1 ]; then
    echo
    echo "robustness: the servers with -t $ROB_T -c $ROB_LIMIT; the process watched is the one that"
    echo "accepts$([ -n "$RUN_ASM" ] && echo " (for ${LABEL[asm]}: qemu's own process, whose descriptors include qemu's)"); one run"
    rob_row() {   # rob_row TITLE FUNCTION: one line, a cell per server
        local title=$1 fn=$2 id
        printf '  %-34s' "$title"
        for id in "${ROB_IDS[@]}"; do printf ' %-34s' "$("$fn" "$id")"; done
        echo
    }
    rob_head()   { echo "${LABEL[$1]}"; }
    rob_below()  { [ -n "$(rob "$1" below_get_s)" ] && echo "$(rob "$1" below_status) in $(rob "$1" below_get_s) s"; }
    rob_accept() { [ -n "$(rob "$1" below_accepted_s)" ] && echo "$(rob "$1" below_accepted_s) s"; }
    rob_503()    { [ -n "$(rob "$1" above_503)" ] && echo "$(rob "$1" above_503) of $(rob "$1" above_expected_503)"; }
    rob_503t()   { [ -n "$(rob "$1" above_503_first_s)" ] &&
                       echo "$(rob "$1" above_503_first_s) / $(rob "$1" above_503_median_s) / $(rob "$1" above_503_last_s) s"; }
    rob_first()  { [ -n "$(rob "$1" above_normal_first_status)" ] &&
                       echo "$(rob "$1" above_normal_first_status) after $(rob "$1" above_normal_first_s) s"; }
    rob_again()  { [ -n "$(rob "$1" above_served_again_s)" ] &&
                       echo "after $(rob "$1" above_served_again_s) s ($(rob "$1" above_served_again_from_first_s) s)"; }
    rob_fds()    { [ -n "$(rob "$1" fds_after)" ] &&
                       echo "$(rob "$1" fds_before) -> $(rob "$1" fds_after) ($(rob "$1" fds_ok) x 200 in $(rob "$1" fds_seconds) s)"; }
    rob_zomb()   { [ -n "$(rob "$1" zombies)" ] &&
                       echo "$(rob "$1" zombies) ($(rob "$1" burst_ok) x 200 in $(rob "$1" burst_seconds) s)"; }
    rob_cpu()    { [ -n "$(rob "$1" emfile_cpu_percent)" ] &&
                       echo "$(rob "$1" emfile_cpu_percent) % ($(rob "$1" emfile_cpu_s) s of CPU in $(rob "$1" emfile_seconds) s)"; }
    rob_during() { [ -n "$(rob "$1" emfile_answered_during)" ] && echo "$(rob "$1" emfile_answered_during) of 5"; }
    rob_resume() { [ -n "$(rob "$1" emfile_served_after)" ] &&
                       echo "$(rob "$1" emfile_served_after) of 5 in $(rob "$1" emfile_resume_s) s"; }
    rob_row "" rob_head
    rob_row "200 idle: all accepted" rob_accept
    rob_row "200 idle: a GET /1k.bin" rob_below
    rob_row "400 idle: 503 to the extra ones" rob_503
    rob_row "  first / median / last, s" rob_503t
    rob_row "  a normal client's first answer" rob_first
    rob_row "  a normal client served again" rob_again
    rob_row "descriptors over the GETs" rob_fds
    rob_row "zombies 1 s after $ROB_BURST connections" rob_zomb
    rob_row "CPU, no descriptor free, 5 queued" rob_cpu
    rob_row "  answered meanwhile (must be 0)" rob_during
    rob_row "  limit back: the 5 served" rob_resume
    for id in "${ROB_IDS[@]}"; do
        [ -n "${ROB_WHY[$id]:-}" ] && echo "  ${LABEL[$id]}: ${ROB_WHY[$id]}"
    done
    echo "  (seconds of a 503: from that client's connect to its answer; \"served again\": from the 400th"
    echo "  connect, and in brackets from the first idle one, whose deadline frees the first child)"
fi

echo
echo "stripped binary sizes ($STRIPPED/)"
size_line() {
    [ -n "${SIZE[$1]:-}" ] || return 0
    printf '  %-52s %10s  %s\n' "$2" "$(kib "${SIZE[$1]}")" "${SIZE_NOTE[$1]:-}"
}
size_line asm-linux   "asm, Linux aarch64 ELF (static, no libc)"
size_line asm-darwin  "asm, Darwin arm64 Mach-O (links libSystem)"
size_line cpp         "C++, $(uname -m) (libstdc++ and libc linked dynamically)"
size_line cpp-aarch64 "C++, aarch64 static (libc and libstdc++ inside)"

# ---------------------------------------------------------------------------
# The targets.  A target is reported, never enforced: machines are noisy.
# ---------------------------------------------------------------------------
TARGETS=()          # lines "met|name|measured|goal-text", for JSON and README
# target NAME MEASURED GOAL OP: MEASURED OP GOAL is the target (OP: ge, le)
target() {
    local name=$1 got=$2 goal=$3 op=$4 shown=$5 met
    if [ -z "$got" ]; then
        TARGETS+=("n/a|$name|$shown|")
        printf '  ?  %-52s %s\n' "$name" "$shown"
        return
    fi
    met=$(awk -v g="$got" -v t="$goal" -v op="$op" 'BEGIN { print ((op == "ge" ? g >= t : g <= t) ? "yes" : "no") }')
    TARGETS+=("$met|$name|$shown|$got")
    printf '  %s  %-52s %s\n' "$([ "$met" = yes ] && echo ✓ || echo ✗)" "$name" "$shown"
}
# ratio_target NAME A B SIZE GOAL: A's median over B's, for SIZE
ratio_target() {
    local name=$1 a=$2 b=$3 size=$4 goal=$5 r
    if [ -z "${MED[$a,$size]:-}" ] || [ -z "${MED[$b,$size]:-}" ]; then
        target "$name" "" "$goal" ge "n/a: $([ -z "${MED[$a,$size]:-}" ] && echo "${LABEL[$a]}" || echo "${LABEL[$b]}") not measured"
        return
    fi
    r=$(ratio "${MED[$a,$size]}" "${MED[$b,$size]}")
    target "$name" "$r" "$goal" ge "${r}×  ($(printf '%.0f' "${MED[$a,$size]}") / $(printf '%.0f' "${MED[$b,$size]}") ${UNIT[$size]})"
}
# The targets that grow with the lessons (docs/performance.md, "The
# targets"): one number per lesson range, each with its reason.
# syscall_budget ID -- system calls of one GET in the child.  Up to lesson
# 09: 11, what nginx needs for the whole request.  Lesson 10: 16 -- five
# more that hardening and the log need in any language: SO_RCVTIMEO and
# SO_SNDTIMEO (two setsockopt), the head deadline's poll, getpeername and
# the log line's write.  The assembly has no libc and so no vDSO: each of
# its clock reads (the head's deadline twice, the body's, the log's time)
# is a gettimeofday system call: 20.  Lesson 11 adds one fstat for
# Last-Modified (step_last_modified) in both languages, and in the
# assembly one more gettimeofday for Date (step_stamp_date): 17 and 22.
syscall_budget() {
    if [ "$((10#$LESSON))" -lt 10 ]; then echo 11
    elif [ "$((10#$LESSON))" -lt 11 ]; then
        if [ "$1" = asm ]; then echo 20; else echo 16; fi
    elif [ "$1" = asm ]; then echo 22
    else echo 17; fi
}
# elf_budget_kib -- the stripped Linux ELF.  Up to lesson 09: 32 KiB.
# Lesson 10 adds two stages (deadlines, the child limit, the table of
# refused clients; the access log with its calendar and escaping): 40 KiB.
elf_budget_kib() {
    if [ "$((10#$LESSON))" -lt 10 ]; then echo 32; else echo 40; fi
}

QEMU_CPP=cpp; [ -n "$RUN_ASM" ] && QEMU_CPP=cpp-qemu
echo
echo "targets (ratios of medians from this run)"
if [ "$DO_DOWNLOAD" = 1 ]; then
    ratio_target "C++ ≥ 1.2× mini_httpd req/s, 1 KiB" cpp mini_httpd 1k 1.2
    ratio_target "asm ≥ 1.0× ${LABEL[$QEMU_CPP]} req/s, 1 KiB" asm "$QEMU_CPP" 1k 1.0
    ratio_target "C++ 1 GiB download ≥ 0.9× nginx" cpp nginx 1g 0.9
    ratio_target "${LABEL[asm]} 1 GiB download ≥ 0.9× nginx" asm nginx 1g 0.9
    for id in cpp asm; do
        n=${SC_CHILD_N[$id]:-}
        budget=$(syscall_budget "$id")
        target "${LABEL[$id]}: system calls per GET ≤ $budget (child, lesson $LESSON)" "$n" "$budget" le "${n:-n/a}"
    done
fi
if [ "$DO_UPLOAD" = 1 ]; then
    ratio_target "C++ $((UP_BYTES / 1024 / 1024)) MiB upload ≥ 0.8× the disk (dd conv=fsync)" cpp disk put 0.8
fi
if [ "$DO_ROBUST" = 1 ]; then
    for id in "${ROB_IDS[@]}"; do
        l=${LABEL[$id]}
        target "$l: GET beside 200 idle < 1 s" "$(rob "$id" below_get_s)" 0.999 le \
            "$(rob "$id" below_get_s || true)${ROB[$id,below_get_s]:+ s}"
        target "$l: 400 idle, 503 to all above -c" "$(rob "$id" above_503)" "$((400 - ROB_LIMIT))" ge \
            "$(rob_503 "$id")"
        # the parent refuses silent clients side by side (lesson 10's table
        # of refused clients), not one REFUSE_WAIT_MS after another: from
        # the first 503 to the last, under a second
        spread=""
        if [ -n "$(rob "$id" above_503_first_s)" ] && [ -n "$(rob "$id" above_503_last_s)" ]; then
            spread=$(awk -v a="$(rob "$id" above_503_first_s)" -v b="$(rob "$id" above_503_last_s)" \
                'BEGIN { printf "%.3f", b - a }')
        fi
        target "$l: the 503s, first to last < 1 s" "$spread" 0.999 le \
            "${spread:+$spread s ($(rob_503t "$id"))}"
        target "$l: served again within -t $ROB_T s" "$(rob "$id" above_served_again_s)" "$ROB_T" le \
            "$(rob_again "$id")"
        if [ -n "$(rob "$id" fds_after)" ]; then
            grew=$(( ${ROB[$id,fds_after]} - ${ROB[$id,fds_before]} ))
        else grew=""; fi
        target "$l: descriptors flat, ${ROB_N[$id]:-?} GETs" "$grew" 0 le "$(rob_fds "$id")"
        target "$l: 0 zombies after $ROB_BURST connections" "$(rob "$id" zombies)" 0 le "$(rob "$id" zombies)"
        if [ "$(rob "$id" emfile_answered_during)" = 0 ]; then
            target "$l: CPU with no descriptor free < 5 %" "$(rob "$id" emfile_cpu_percent)" 4.999 le \
                "$(rob_cpu "$id")"
        else
            target "$l: CPU with no descriptor free < 5 %" "" 4.999 le \
                "n/a: $(rob_during "$id" || echo "no result") answered while no descriptor was free"
        fi
    done
fi
elf_kib=$(elf_budget_kib)
target "stripped asm server ≤ $elf_kib KiB (Linux ELF, lesson $LESSON)" "${SIZE[asm-linux]:-}" $((elf_kib * 1024)) le \
    "$([ -n "${SIZE[asm-linux]:-}" ] && kib "${SIZE[asm-linux]}")"
target "stripped asm server ≤ 32 KiB (Darwin Mach-O)" "${SIZE[asm-darwin]:-}" 32768 le \
    "$([ -n "${SIZE[asm-darwin]:-}" ] && kib "${SIZE[asm-darwin]}")${SIZE_NOTE[asm-darwin]:+ (${SIZE_NOTE[asm-darwin]})}"

# ---------------------------------------------------------------------------
# results.json -- everything above, plus every single run, for later.
# ---------------------------------------------------------------------------
js() { local s=$1; s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\t'/ }; s=${s//$'\n'/ }; printf '"%s"' "$s"; }
num_or_null() { if [ -n "$1" ]; then printf '%s' "$1"; else printf 'null'; fi; }
words_json() { local w first=1; printf '['; for w in $1; do [ $first = 1 ] || printf ', '; first=0; js "$w"; done; printf ']'; }
{
    echo "{"
    echo "  \"lesson\": $(js "$LESSON"),"
    echo "  \"date\": $(js "$DATE"),"
    echo "  \"parts\": [$( { [ "$DO_DOWNLOAD" = 1 ] && echo '"download"'; [ "$DO_UPLOAD" = 1 ] && echo '"upload"'; [ "$DO_ROBUST" = 1 ] && echo '"robust"'; } | paste -sd, - | sed 's/,/, /g')],"
    echo "  \"machine\": {"
    echo "    \"description\": $(js "$MACHINE"),"
    echo "    \"cpu\": $(js "$CPU"), \"cores\": $CORES, \"kernel\": $(js "$KERNEL"),"
    echo "    \"qemu\": $(js "$QEMU_V"),"
    echo "    \"compilers\": {\"cxx\": $(js "$CXX_V"), \"aarch64_cxx\": $(js "$XCXX_V"), \"aarch64_as\": $(js "$AS_V")},"
    echo "    \"wrk\": $(js "$WRK_V")"
    echo "  },"
    if [ "$DO_DOWNLOAD" = 1 ]; then
    echo "  \"load\": {\"quick\": $([ "$QUICK" = 1 ] && echo true || echo false), \"threads\": $THREADS, \"connections\": $CONNS,"
    echo "           \"header\": \"Connection: close\", \"repetitions\": $REPS,"
    echo "           \"seconds\": {\"1k\": ${DUR[1k]}, \"1m\": ${DUR[1m]}, \"1g\": ${DUR[1g]}},"
    echo "           \"files\": {\"1k\": 1024, \"1m\": 1048576, \"1g\": 1073741824}, \"units\": {\"1k\": \"req/s\", \"1m\": \"req/s\", \"1g\": \"MB/s\"}},"
    echo "  \"servers\": ["
    first=1
    for id in "${SERVERS[@]}"; do
        [ $first = 1 ] || echo ","
        first=0
        printf '    {"id": %s, "label": %s, "model": %s, "available": %s' \
            "$(js "$id")" "$(js "${LABEL[$id]}")" "$(js "${MODEL[$id]}")" "$([ "${AVAIL[$id]}" = 1 ] && echo true || echo false)"
        [ -n "${VERSION[$id]:-}" ] && printf ', "version": %s' "$(js "${VERSION[$id]}")"
        if [ "${AVAIL[$id]}" != 1 ]; then printf ', "why": %s}' "$(js "${WHY[$id]}")"; continue; fi
        printf ',\n      "results": {'
        sep=""
        for size in "${SIZES[@]}"; do
            k=$id,$size
            [ -n "${MED[$k]:-}" ] || continue
            printf '%s\n        "%s": {"median": %s, "min": %s, "max": %s, "runs": [%s], "errors": %s}' \
                "$sep" "$size" "${MED[$k]}" "${LO[$k]}" "${HI[$k]}" "${ALL[$k]}" "${ERRS[$k]:-0}"
            sep=","
        done
        printf '},\n      "syscalls": {"parent": %s, "child": %s, "parent_calls": %s, "child_calls": %s},' \
            "$(num_or_null "${SC_PARENT_N[$id]:-}")" "$(num_or_null "${SC_CHILD_N[$id]:-}")" \
            "$(words_json "${SC_PARENT[$id]:-}")" "$(words_json "${SC_CHILD[$id]:-}")"
        printf '\n      "peak_rss_kib": {"parent": %s, "child": %s}}' \
            "$(num_or_null "${RSS_PARENT[$id]:-}")" "$(num_or_null "${RSS_CHILD[$id]:-}")"
    done
    echo
    echo "  ],"
    else
    echo "  \"quick\": $([ "$QUICK" = 1 ] && echo true || echo false),"
    echo "  \"load\": null,"
    echo "  \"servers\": [],"
    fi
    if [ "$DO_UPLOAD" = 1 ]; then
    echo "  \"upload\": {\"bytes\": $UP_BYTES, \"rounds\": $UP_REPS, \"unit\": \"MB/s\", \"file_system\": $(js "$UP_FS"),"
    echo "             \"client\": \"curl -T (one PUT at a time, the server started with -w)\", \"disk\": \"dd bs=1M conv=fsync\","
    printf '             "results": {'
    sep=""
    for id in disk "${SERVERS[@]}"; do
        [ "$id" = disk ] || is_ours "$id" || continue
        k=$id,put
        if [ -n "${MED[$k]:-}" ]; then
            printf '%s\n        %s: {"median": %s, "min": %s, "max": %s, "runs": [%s], "of_disk": %s' "$sep" "$(js "$id")" \
                "${MED[$k]}" "${LO[$k]}" "${HI[$k]}" "${ALL[$k]}" "$(num_or_null "$(ratio "${MED[$k]}" "${MED[disk,put]:-0}")")"
        else
            printf '%s\n        %s: {"median": null' "$sep" "$(js "$id")"
        fi
        [ -n "${UP_WHY[$id]:-}" ] && printf ', "lost": %s' "$(js "${UP_WHY[$id]}")"
        printf '}'
        sep=","
    done
    echo "}},"
    fi
    if [ "$DO_ROBUST" = 1 ]; then
    echo "  \"robust\": {\"flags\": \"-t $ROB_T -c $ROB_LIMIT\", \"deadline_s\": $ROB_T, \"limit\": $ROB_LIMIT, \"burst\": $ROB_BURST, \"emfile_seconds\": $ROB_EMFILE_S,"
    echo "             \"watched\": $(js "the process that accepts$([ -n "$RUN_ASM" ] && echo "; for the assembly under qemu, qemu's own process")"),"
    printf '             "results": {'
    sep=""
    for id in "${ROB_IDS[@]}"; do
        printf '%s\n        %s: {"label": %s, "requests": %s' "$sep" "$(js "$id")" "$(js "${LABEL[$id]}")" "$(num_or_null "${ROB_N[$id]:-}")"
        for k in $(printf '%s\n' "${!ROB[@]}" | sort); do     # "id,key": no spaces
            [ "${k%%,*}" = "$id" ] || continue
            v=${ROB[$k]}
            if [[ $v =~ ^[0-9]+(\.[0-9]+)?$ ]]; then printf ', "%s": %s' "${k#*,}" "$v"; else printf ', "%s": %s' "${k#*,}" "$(js "$v")"; fi
        done
        [ -n "${ROB_WHY[$id]:-}" ] && printf ', "why": %s' "$(js "${ROB_WHY[$id]}")"
        printf '}'
        sep=","
    done
    echo "}},"
    fi
    echo "  \"stripped_bytes\": {"
    printf '    "asm_linux": %s, "asm_darwin": %s, "cpp": %s, "cpp_aarch64_static": %s' \
        "$(num_or_null "${SIZE[asm-linux]:-}")" "$(num_or_null "${SIZE[asm-darwin]:-}")" \
        "$(num_or_null "${SIZE[cpp]:-}")" "$(num_or_null "${SIZE[cpp-aarch64]:-}")"
    [ -n "${SIZE_NOTE[asm-darwin]:-}" ] && printf ',\n    "asm_darwin_note": %s' "$(js "${SIZE_NOTE[asm-darwin]}")"
    echo
    echo "  },"
    echo "  \"targets\": ["
    first=1
    for t in "${TARGETS[@]}"; do
        IFS='|' read -r met name shown got <<<"$t"
        [ $first = 1 ] || echo ","
        first=0
        printf '    {"target": %s, "measured": %s, "met": %s}' "$(js "$name")" "$(js "$shown")" \
            "$(case $met in yes) echo true ;; no) echo false ;; *) echo null ;; esac)"
    done
    echo
    echo "  ]"
    echo "}"
} >"$OUT/results.json"

# The targets as a Markdown table, for the README (make bench-publish).
{
    echo "| target | measured | |"
    echo "|---|---|---|"
    for t in "${TARGETS[@]}"; do
        IFS='|' read -r met name shown got <<<"$t"
        echo "| $name | $shown | $(case $met in yes) echo ✓ ;; no) echo ✗ ;; *) echo "n/a" ;; esac) |"
    done
} >"$OUT/targets.md"

# ---------------------------------------------------------------------------
# The chart: one panel per file size, one bar per server (median), the
# whisker from the smallest to the largest repetition.  (The downloads
# only: the upload is the table's.)
# ---------------------------------------------------------------------------
if [ "$DO_DOWNLOAD" = 1 ]; then
{
    echo "# label kind 1k(med lo hi) 1m(med lo hi) 1g(med lo hi)"
    for id in "${ACTIVE[@]}"; do
        printf '"%s" %d' "${LABEL[$id]}" "$([ "${KIND[$id]}" = ours ] && echo 1 || echo 2)"
        for size in "${SIZES[@]}"; do
            k=$id,$size
            printf ' %s %s %s' "${MED[$k]:-0}" "${LO[$k]:-0}" "${HI[$k]:-0}"
        done
        echo
    done
} >"$OUT/chart.dat"
subtitle="wrk: $THREADS threads, $CONNS connections, Connection: close, $DUR_TEXT; bar = median, whisker = min-max"
[ "$QUICK" = 1 ] && subtitle="QUICK run: $subtitle"
if gnuplot -e "datafile='$OUT/chart.dat'; outfile='$OUT/bench.png'" \
           -e "title_text='metal-httpd lesson $LESSON on ${MACHINE//\'/} ($(date -u +%Y-%m-%d))'" \
           -e "subtitle_text='$subtitle'" "$here/chart.gp" 2>"$WORK/gnuplot.err"; then
    echo
    echo "chart:   $OUT/bench.png"
else
    echo "bench: gnuplot failed:" >&2; cat "$WORK/gnuplot.err" >&2
fi
fi   # DO_DOWNLOAD
echo "results: $OUT/results.json   (make bench-publish copies both into docs/)"
echo "the run took $((SECONDS / 60))m$(printf '%02d' $((SECONDS % 60)))s"
# back to the terminal, and let tee write its last line before we end
exec >&"$terminal" {terminal}>&-
wait "$tee_pid"
