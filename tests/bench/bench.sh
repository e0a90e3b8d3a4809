#!/usr/bin/env bash
# tests/bench/bench.sh -- `make bench`: the newest lesson's two servers
# against the servers students would pick instead, in one run, on this
# machine.  What the numbers mean: docs/performance.md.
#
# The Makefile builds the programs and passes them in:
#   LESSON      two-digit number of the lesson measured (the newest one)
#   CPP_BIN     its C++ server for this machine
#   ASM_BIN     its assembly server (aarch64 Linux)
#   XCPP_BIN    the C++ server built static for aarch64 (empty on an arm64 host)
#   DARWIN_BIN  the assembly server as an arm64 Mach-O (only its size is measured)
#   RUN_ASM     qemu-aarch64 on x86-64, empty on an arm64 host
#   XPREFIX     aarch64-linux-gnu- on x86-64 (for strip), empty on an arm64 host
#   CXX XCXX    the compilers (their versions go into the results)
#   QUICK       1: a short run for trying things out (see "How long" below)
#   BENCH_ONLY  empty: the whole run; "download": the GETs only (load,
#               system calls, memory); "upload": the 256 MiB PUT only;
#               "robust": the robustness point only (lesson 10 on)
#   BUILD       the build directory; results go to $BUILD/bench/
#
# Steps: install the peers -> a temp document root -> binary sizes ->
# system calls of one GET per server -> load with wrk, repeated ->
# the 256 MiB upload against dd, repeated -> the robustness point
# (idle clients, descriptors, zombies, EMFILE) -> tables, targets,
# results.json, bench.png.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=${BUILD:-build}
OUT=$BUILD/bench
mkdir -p "$OUT"
: "${LESSON:?run me through make bench}" "${CPP_BIN:?}" "${ASM_BIN:?}"
XCPP_BIN=${XCPP_BIN:-} DARWIN_BIN=${DARWIN_BIN:-} RUN_ASM=${RUN_ASM:-} XPREFIX=${XPREFIX:-}
CXX=${CXX:-g++} XCXX=${XCXX:-} QUICK=${QUICK:-} BENCH_ONLY=${BENCH_ONLY:-}
# The three parts of a run: the GETs (download), the PUT (upload) and
# the hostile loads (robust; only from lesson 10 on, whose servers take
# -t and -c).
case "$BENCH_ONLY" in
    "")       DO_DOWNLOAD=1 DO_UPLOAD=1 DO_ROBUST=1 ;;
    download) DO_DOWNLOAD=1 DO_UPLOAD=0 DO_ROBUST=0 ;;
    upload)   DO_DOWNLOAD=0 DO_UPLOAD=1 DO_ROBUST=0 ;;
    robust)   DO_DOWNLOAD=0 DO_UPLOAD=0 DO_ROBUST=1 ;;
    *) echo "bench: BENCH_ONLY=$BENCH_ONLY: say download, upload or robust (or nothing: all three)" >&2; exit 2 ;;
esac
if [ "$((10#$LESSON))" -lt 10 ]; then
    [ "$BENCH_ONLY" = robust ] && { echo "bench: BENCH_ONLY=robust needs lesson 10's -t and -c (this is lesson $LESSON)" >&2; exit 2; }
    DO_ROBUST=0
fi
# Absolute paths: the servers are started from other directories' view.
abs() { [ -n "$1" ] && echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
CPP_BIN=$(abs "$CPP_BIN"); ASM_BIN=$(abs "$ASM_BIN")
XCPP_BIN=$(abs "$XCPP_BIN"); DARWIN_BIN=$(abs "$DARWIN_BIN")

# ---------------------------------------------------------------------------
# How long.  Each point is wrk loading one server with one file for a
# fixed time; the repetitions give the spread.  A full run: 7 servers x
# 3 files x 3 repetitions -- 10 s per point for the 1 KiB file (the one
# the targets quote), 4 s for 1 MiB and 3 s for 1 GiB (both settle within
# a second) -- about 8 minutes on 2 cores, under the 10 the project
# allows.  (10 s everywhere would be 10.5 minutes of load alone.)
# QUICK=1: one repetition, 2 s / 1 s / 2 s, about a minute and a half --
# to try things out, not to quote ratios (no spread; short points are
# noisy).
# The upload (section 7) adds 5 rounds of one 256 MiB PUT per server and
# one dd -- about 40 s on a busy 2-core machine, most of it the checks of
# the stored bytes and the syncs between points; QUICK=1: one round.  BENCH_ONLY=upload runs just
# that part, BENCH_ONLY=download the GETs.
# The robustness point (section 8) adds about two minutes, most of it
# the assembly's forks under qemu; BENCH_ONLY=robust runs just that.
# ---------------------------------------------------------------------------
THREADS=2 CONNS=50
if [ -n "$QUICK" ] && [ "$QUICK" != 0 ]; then
    QUICK=1 REPS=1 UP_REPS=1
    declare -A DUR=([1k]=2 [1m]=1 [1g]=2)
else
    QUICK=0 REPS=3 UP_REPS=5
    declare -A DUR=([1k]=10 [1m]=4 [1g]=3)
fi
SIZES=(1k 1m 1g)
declare -A SIZE_LABEL=([1k]="1 KiB" [1m]="1 MiB" [1g]="1 GiB")
# The 1 GiB file is measured in MB/s (how fast sendfile moves bytes), the
# small ones in requests per second (how fast a server turns a connection
# around).
declare -A UNIT=([1k]="req/s" [1m]="req/s" [1g]="MB/s" [put]="MB/s")
# The upload: one PUT of this many bytes, and dd writing as many.
UP_BYTES=$((256 * 1024 * 1024))

source "$here/servers.sh"
# The servers, in the order of every table.  The C++ build for aarch64
# only exists where the assembly runs under qemu: it is the assembly's fair
# opponent there.  On an arm64 host both run natively and `cpp` is it.
SERVERS=(cpp)
[ -n "$RUN_ASM" ] && SERVERS+=(cpp-qemu)
SERVERS+=(asm nginx lighttpd mini_httpd python)
if [ -n "$RUN_ASM" ]; then LABEL[asm]="asm (qemu)"; else LABEL[asm]="asm"; fi

# ---------------------------------------------------------------------------
# Processes and temp files: everything we start is remembered by PID and
# stopped on the way out, whatever way that is (end, error, Ctrl-C).
# A PID is only a number: once a process has ended, the kernel may give
# its number to somebody else's new process.  So we also remember when
# each process started, and leave alone a PID that started at another time.
# ---------------------------------------------------------------------------
declare -A STARTED=()
WORK=$(mktemp -d "${TMPDIR:-/tmp}/metal-bench.XXXXXX")
# start_time PID: field 22 of /proc/PID/stat (in clock ticks since boot),
# counted after the ")" that ends the name, since a name may contain
# spaces.  Into $T, without starting a process: it is asked often, and on
# a busy machine every fork counts.
start_time() {
    local stat="" fields
    T=""
    read -r stat 2>/dev/null </proc/"$1"/stat || return 0
    read -r -a fields <<<"${stat##*) }"
    T=${fields[19]:-}
}
remember() { start_time "$1"; STARTED[$1]=$T; }
ours() { [ -n "${STARTED[$1]:-}" ] && start_time "$1" && [ "$T" = "${STARTED[$1]}" ]; }
children_of() { cat /proc/"$1"/task/*/children 2>/dev/null; }
# stop PID: SIGTERM to it and to the children it has (a fork server's
# children end on their own once their client is gone, but we do not
# leave that to chance), SIGKILL to whatever is still there 3 s later.
stop() {
    local pid=$1 kids i
    if ours "$pid"; then
        kids=$(children_of "$pid")
        kill -TERM "$pid" $kids 2>/dev/null
        for i in $(seq 30); do ours "$pid" || break; sleep 0.1; done
        ours "$pid" && kill -KILL "$pid" $kids 2>/dev/null
        { wait "$pid"; } 2>/dev/null    # only works for our own children
    fi
    unset "STARTED[$pid]"
    return 0
}
cleanup() {
    local pid
    # Ctrl-C under make arrives twice (make passes it on to us): a second
    # one must not cut the cleaning up short.
    trap '' INT TERM
    for pid in "${!STARTED[@]}"; do stop "$pid"; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'trap "" INT TERM; echo; echo "bench: interrupted" >&2; exit 130' INT TERM

# Progress goes to stderr, on one line that rewrites itself on a terminal.
progress() {
    if [ -t 2 ]; then printf '\r\033[K%s' "$*" >&2; else printf '%s\n' "$*" >&2; fi
}
progress_done() { [ -t 2 ] && printf '\r\033[K' >&2; return 0; }

# ---------------------------------------------------------------------------
# Ports.  Ours listen on port 0 and print the port the kernel gave them.
# The peers need a number: we take one below the kernel's range for
# outgoing connections (so no client socket of wrk can hold it) that
# nothing listens on, and try another one if the server still fails.
# ---------------------------------------------------------------------------
# is_listening PORT: a socket in state LISTEN (0A) on that port, read from
# /proc/net/tcp -- without connecting, which would itself be a request.
is_listening() {
    local p
    printf -v p ':%04X' "$1"
    awk -v p="$p" \
        '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
free_port() {
    local low port
    low=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
    [ "${low:-0}" -gt 21000 ] || low=32768
    while :; do
        port=$((20000 + RANDOM % (low - 20000)))
        is_listening "$port" || { echo "$port"; return; }
    done
}

# ---------------------------------------------------------------------------
# start_server ID MODE -- start one server; MODE "plain" or "trace" (under
# strace -f, or under qemu's own -strace for the aarch64 programs).
# Sets S_PID (the server's own PID), S_LAUNCHER (what we started: the
# server, or strace running it), S_PORT, S_DIR; on failure returns 1
# with the reason in S_WHY.
# ---------------------------------------------------------------------------
start_server() {
    local id=$1 mode=$2 try port launcher i
    S_WHY=""
    for try in 1 2 3; do
        S_DIR=$WORK/$id-$mode-$try
        mkdir -p "$S_DIR"
        if is_ours "$id"; then port=0; else port=$(free_port); fi
        server_cmd "$id" "$S_DIR" "$port" || return 1
        if [ "$mode" = trace ] && under_qemu "$id"; then
            # qemu-aarch64 -strace PROGRAM ...: the calls the aarch64
            # program makes, on stderr.  (strace on qemu would show qemu's
            # own calls as well.)
            "${CMD[0]}" -strace "${CMD[@]:1}" >"$S_DIR/out.log" 2>"$S_DIR/trace.log" &
        elif [ "$mode" = trace ]; then
            strace -f -qq -o "$S_DIR/trace.log" -- "${CMD[@]}" >"$S_DIR/out.log" 2>&1 &
        else
            "${CMD[@]}" >"$S_DIR/out.log" 2>&1 &
        fi
        launcher=$!
        remember "$launcher"
        S_PID=$launcher
        for i in $(seq 100); do                       # up to 10 s
            if ! ours "$launcher"; then break; fi
            if is_ours "$id"; then
                port=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$S_DIR/out.log")
            fi
            if [ -n "$port" ] && [ "$port" != 0 ] && is_listening "$port"; then
                if [ "$mode" = trace ] && ! under_qemu "$id"; then
                    # strace's first line is the program's execve: its PID
                    # is the server's (strace itself is $launcher).
                    S_PID=$(awk '{ print $1; exit }' "$S_DIR/trace.log")
                    remember "$S_PID"
                fi
                S_PORT=$port S_LAUNCHER=$launcher
                sleep 0.3      # let it settle into accept / epoll_wait
                return 0
            fi
            sleep 0.1
        done
        # its last word on the matter, shortened to fit a table row
        S_WHY=$(cat "$S_DIR/out.log" "$S_DIR/error.log" 2>/dev/null | grep . | tail -n 1 | cut -c1-80)
        stop "$launcher"
        is_ours "$id" && break         # a port clash cannot be the reason
    done
    return 1
}

# get PORT PATH FILE: one GET with Connection: close, the whole response
# into FILE; prints the status code.  bash's /dev/tcp is the client, so
# the request is exactly these bytes and nothing else is needed.  The
# request goes out in ONE write, as from any real client: bash's own
# printf would write it line by line (and a server that wakes up in
# between would then need more system calls to read it), so printf puts it
# in a file and cat sends the file.
get() {
    local fd status
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >"$WORK/request"
    exec {fd}<>"/dev/tcp/127.0.0.1/$1" || return 1
    cat "$WORK/request" >&"$fd"
    timeout 20 cat <&"$fd" >"$3"
    exec {fd}>&-
    status=$(head -n 1 "$3" | awk '{ print $2 }')
    echo "${status:-none}"
}

vmhwm() { awk '/^VmHWM:/ { print $2 }' /proc/"$1"/status 2>/dev/null; }

echo "metal-httpd bench: lesson $LESSON's servers and their peers$([ "$QUICK" = 1 ] && echo " (QUICK)")$([ -n "$BENCH_ONLY" ] && echo " ($BENCH_ONLY only)")"

# ---------------------------------------------------------------------------
# 1. The peers, installed on demand.  One that cannot be installed is
#    "not available" and the run goes on without it.
# ---------------------------------------------------------------------------
declare -A AVAIL=() WHY=()
for id in "${SERVERS[@]}"; do AVAIL[$id]=1; done
for id in nginx lighttpd mini_httpd python; do
    [ "$DO_DOWNLOAD" = 1 ] || break          # the upload only needs ours
    progress "checking $id (installs it if missing; log: $OUT/install.log)"
    if ! bash tests/tools/ensure-tools.sh "${PEER_GROUP[$id]}" >>"$OUT/install.log" 2>&1 \
       || [ ! -x "${PEER_BIN[$id]}" ]; then
        AVAIL[$id]=0; WHY[$id]="could not be installed (see $OUT/install.log)"
    fi
done
progress_done

# ---------------------------------------------------------------------------
# 2. The document root: one small, one medium and one huge file.
#    The temp dir is made readable for everybody: nginx's worker and
#    mini_httpd give up root and read the files as "nobody".
# ---------------------------------------------------------------------------
DOCROOT=$WORK/site
mkdir -p "$DOCROOT"
chmod 755 "$WORK" "$DOCROOT"
head -c 1024 /dev/urandom >"$DOCROOT/1k.bin"
head -c $((1024 * 1024)) /dev/urandom >"$DOCROOT/1m.bin"
# Sparse: 1 GiB long, no disk blocks; reading the hole gives zeros, so the
# test measures the servers and the kernel's copying, not the disk.
truncate -s 1G "$DOCROOT/1g.bin"
chmod 644 "$DOCROOT"/*.bin

# ---------------------------------------------------------------------------
# 3. The machine, for the results and the chart's title.
# ---------------------------------------------------------------------------
first_line() { "$@" 2>&1 | head -n 1; }
CPU=$(lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }')
[ -n "$CPU" ] || CPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
CPU=${CPU:-$(uname -m)}
CORES=$(nproc)
KERNEL="$(uname -s) $(uname -r) $(uname -m)"
QEMU_V=$([ -n "$RUN_ASM" ] && first_line "$RUN_ASM" --version | sed 's/^qemu-aarch64 version //')
CXX_V=$(first_line "$CXX" --version)
XCXX_V=$([ -n "$XCXX" ] && first_line "$XCXX" --version)
AS_V=$(first_line "${XPREFIX}as" --version)
WRK_V=$(first_line wrk -v | awk '{ print $2 }')
DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
declare -A VERSION=()
VERSION[nginx]=$([ "${AVAIL[nginx]}" = 1 ] && first_line "${PEER_BIN[nginx]}" -v | sed 's/.*version: //')
VERSION[lighttpd]=$([ "${AVAIL[lighttpd]}" = 1 ] && first_line "${PEER_BIN[lighttpd]}" -v | awk '{ print $1 }')
VERSION[mini_httpd]=$([ "${AVAIL[mini_httpd]}" = 1 ] && first_line "${PEER_BIN[mini_httpd]}" -V | awk '{ print $1 }')
VERSION[python]=$([ "${AVAIL[python]}" = 1 ] && first_line "${PEER_BIN[python]}" --version)
MACHINE="$CPU, $CORES cores, $(uname -s) $(uname -r | cut -d- -f1)${QEMU_V:+, qemu $(echo "$QEMU_V" | awk '{ print $1 }')}"

# ---------------------------------------------------------------------------
# 4. Binary sizes, stripped: symbols and debug info are not code.  We strip
#    copies (build/bench/stripped/) and leave the lesson's binaries alone.
# ---------------------------------------------------------------------------
STRIPPED=$OUT/stripped
mkdir -p "$STRIPPED"
declare -A SIZE=() SIZE_NOTE=()
strip_copy() {   # strip_copy NAME BINARY STRIP-PROGRAM...
    local name=$1 bin=$2; shift 2
    [ -n "$bin" ] && [ -f "$bin" ] || return 0
    if "$@" -o "$STRIPPED/$name" "$bin" 2>/dev/null; then
        SIZE[$name]=$(stat -c %s "$STRIPPED/$name")
    else
        SIZE[$name]=$(stat -c %s "$bin"); SIZE_NOTE[$name]="not stripped: $1 failed"
    fi
}
strip_copy asm-linux "$ASM_BIN" "${XPREFIX}strip"
strip_copy cpp "$CPP_BIN" strip
strip_copy cpp-aarch64 "$XCPP_BIN" "${XPREFIX}strip"
# GNU strip does not know Mach-O; llvm-strip does (it comes with clang's llvm).
LLVM_STRIP=$(command -v llvm-strip llvm-strip-{19,18,17,16,15,14} 2>/dev/null | head -n 1)
if [ -n "$DARWIN_BIN" ]; then
    if [ -n "$LLVM_STRIP" ]; then
        strip_copy asm-darwin "$DARWIN_BIN" "$LLVM_STRIP"
    else
        SIZE[asm-darwin]=$(stat -c %s "$DARWIN_BIN"); SIZE_NOTE[asm-darwin]="not stripped: no llvm-strip here"
    fi
fi

# ---------------------------------------------------------------------------
# 5. System calls for one GET /1k.bin.  Each server runs once more under a
#    tracer; we wait until it idles, note how long the trace is, send one
#    request, wait, note the length again, and hand the lines in between to
#    syscalls.awk.  Three requests, one after the other, and the one in the
#    middle by count is reported: a python poll that happens to time out
#    in between, or two processes' trace lines mixed up by qemu, then do
#    not decide the number.
# ---------------------------------------------------------------------------
declare -A SC_PARENT=() SC_CHILD=() SC_PARENT_N=() SC_CHILD_N=()
for id in "${SERVERS[@]}"; do
    [ "$DO_DOWNLOAD" = 1 ] || break
    [ "${AVAIL[$id]}" = 1 ] || continue
    progress "system calls: ${LABEL[$id]}"
    if ! start_server "$id" trace; then
        AVAIL[$id]=0; WHY[$id]="did not start${S_WHY:+: $S_WHY}"; continue
    fi
    segments=() ok=1
    for r in 1 2 3; do
        mark=$(wc -l <"$S_DIR/trace.log")
        status=$(get "$S_PORT" /1k.bin "$S_DIR/response")
        sleep 0.3                    # the child finishes and exits
        [ "$status" = 200 ] || { ok=0; break; }
        segments+=("$mark $(wc -l <"$S_DIR/trace.log")")
    done
    stop "$S_PID"; stop "$S_LAUNCHER"
    if [ "$ok" != 1 ]; then
        AVAIL[$id]=0; WHY[$id]="answered $status to GET /1k.bin"; continue
    fi
    # one line per request: "total mark end parent-line|child-line"; the
    # middle one after sorting by total
    pick=$(for seg in "${segments[@]}"; do
               read -r m e <<<"$seg"
               awk -v mark="$m" -v end="$e" -f "$here/syscalls.awk" "$S_DIR/trace.log" |
                   awk -v m="$m" -v e="$e" '{ total += $2; line = line $0 "|" } END { print total, m, e, line }'
           done | sort -n | sed -n 2p)
    IFS='|' read -r parent_line child_line _ <<<"${pick#* * * }"
    read -r _ SC_PARENT_N[$id] SC_PARENT[$id] <<<"$parent_line"
    read -r _ SC_CHILD_N[$id] SC_CHILD[$id] <<<"$child_line"
    # keep that request's part of the trace, for whoever wants to read it
    read -r _ m e _ <<<"$pick"
    sed -n "$((m + 1)),${e}p" "$S_DIR/trace.log" >"$OUT/trace-$id.log"
done
progress_done

# ---------------------------------------------------------------------------
# 6. Load.  All servers run side by side (idle ones cost nothing); the
#    repetitions go round all servers and files, so a disturbance in the
#    middle of the run hits everybody a little instead of one server a lot.
# ---------------------------------------------------------------------------
declare -A RUN_PID=() RUN_PORT=()
ACTIVE=()
for id in "${SERVERS[@]}"; do
    [ "$DO_DOWNLOAD" = 1 ] || break
    [ "${AVAIL[$id]}" = 1 ] || continue
    progress "starting ${LABEL[$id]}"
    if start_server "$id" plain; then
        RUN_PID[$id]=$S_PID RUN_PORT[$id]=$S_PORT
        ACTIVE+=("$id")
    else
        AVAIL[$id]=0; WHY[$id]="did not start${S_WHY:+: $S_WHY}"
    fi
done
progress_done

RUNS=$OUT/runs.tsv                  # server size rep value errors non2xx
: >"$RUNS"

# small_point ID SIZE REP: wrk for DUR[SIZE] seconds; it reports the
# requests per second itself.
small_point() {
    local id=$1 size=$2 rep=$3 d=${DUR[$2]}
    # --timeout: a request still unanswered after this long counts as a
    # time-out (the qemu servers need seconds under this load).
    # timeout(1) is the safety net should wrk hang: the point is then lost.
    timeout -s KILL $((d + 60)) wrk -t"$THREADS" -c"$CONNS" -d"${d}s" --timeout 30s \
        -H 'Connection: close' "http://127.0.0.1:${RUN_PORT[$id]}/$size.bin" >"$WORK/wrk.txt" 2>&1
    cp "$WORK/wrk.txt" "$OUT/wrk-$id-$size-$rep.txt"
    # Requests/sec, and the errors: failed connects, reads, writes,
    # time-outs, and answers other than 2xx/3xx (a server that answers 404
    # very fast is not fast).
    awk -v id="$id" -v size="$size" -v rep="$rep" '
        /^Requests\/sec:/ { rps = $2 }
        /Socket errors:/  { gsub(/,/, ""); errors = $4 + $6 + $8 + $10 }
        /Non-2xx or 3xx/  { non2xx = $NF }
        END { printf "%s %s %d %.2f %d %d\n", id, size, rep, rps, errors, non2xx }' \
        "$WORK/wrk.txt" >>"$RUNS"
}

# big_point ID REP: the 1 GiB file, in MB/s.  wrk's own numbers cannot be
# used here: wrk reads from one connection for as long as data keeps
# coming, and a server using sendfile keeps it coming until the whole GiB
# is through, so a "1 s" run of wrk goes on for 10 s or more before it
# stops and reports.  Instead we let wrk load the server and count the
# bytes it reads ourselves: rchar in /proc/PID/io is everything the
# process got from read(), and wrk does nothing else but read responses.
# One second to get going first -- all 50 connections accepted and
# streaming: a fork server under qemu needs that long for 50 forks on a
# busy machine -- then DUR[1g] seconds measured, then wrk is stopped (by
# its PID).
big_point() {
    local id=$1 rep=$2 d=${DUR[1g]} wrk_pid r0 r1 t0 t1
    wrk -t"$THREADS" -c"$CONNS" -d"$((d + 60))s" --timeout 60s \
        -H 'Connection: close' "http://127.0.0.1:${RUN_PORT[$id]}/1g.bin" >/dev/null 2>&1 &
    wrk_pid=$!
    remember "$wrk_pid"
    sleep 1
    t0=$EPOCHREALTIME r0=$(awk '/^rchar:/ { print $2 }' /proc/"$wrk_pid"/io 2>/dev/null)
    sleep "$d"
    t1=$EPOCHREALTIME r1=$(awk '/^rchar:/ { print $2 }' /proc/"$wrk_pid"/io 2>/dev/null)
    stop "$wrk_pid"
    if [ -n "$r0" ] && [ -n "$r1" ]; then
        awk -v id="$id" -v rep="$rep" -v b="$((r1 - r0))" -v t0="$t0" -v t1="$t1" \
            'BEGIN { printf "%s 1g %d %.2f 0 0\n", id, rep, b / (t1 - t0) / 1e6 }' >>"$RUNS"
    fi
}

planned=0                           # seconds of load, in all
for size in "${SIZES[@]}"; do planned=$((planned + REPS * ${#ACTIVE[@]} * ${DUR[$size]})); done
done_s=0 point=0 points=$((REPS * ${#SIZES[@]} * ${#ACTIVE[@]})) load_start=$SECONDS
for rep in $(seq "$REPS"); do
    [ "$DO_DOWNLOAD" = 1 ] || break
    for size in "${SIZES[@]}"; do
        for id in "${ACTIVE[@]}"; do
            point=$((point + 1))
            # time left: the load still planned, stretched by how much
            # longer than planned the points so far really took
            took=$((SECONDS - load_start))
            left=$(( done_s > 0 ? (planned - done_s) * took / done_s : planned ))
            progress "$(printf '[%d/%d] repetition %d/%d  %-5s  %-20s  about %dm%02ds left' \
                "$point" "$points" "$rep" "$REPS" "${SIZE_LABEL[$size]}" "${LABEL[$id]}" $((left / 60)) $((left % 60)))"
            if [ "$size" = 1g ]; then big_point "$id" "$rep"; else small_point "$id" "$size" "$rep"; fi
            done_s=$((done_s + ${DUR[$size]}))
            sleep 0.3                # the last connections' children exit
        done
    done
done
progress_done

# Peak memory (VmHWM: the most resident memory the process ever had).
# The parent: after the load.  One child: we ask for the 1 GiB file and do
# not read, so the child that serves it stays blocked in sendfile; nginx's
# child is its worker.  lighttpd and python have no child process (python
# answers in threads, which share the parent's memory).
declare -A RSS_PARENT=() RSS_CHILD=()
for id in "${ACTIVE[@]}"; do
    progress "peak memory: ${LABEL[$id]}"
    pid=${RUN_PID[$id]}
    exec {slow}<>"/dev/tcp/127.0.0.1/${RUN_PORT[$id]}"
    printf 'GET /1g.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&"$slow"
    sleep 0.5
    # the newest child: one the load left behind may still be exiting
    child=$(for c in $(children_of "$pid"); do
                start_time "$c"; echo "$T $c"
            done | sort -n | tail -n 1 | awk '{ print $2 }')
    RSS_CHILD[$id]=$([ -n "$child" ] && vmhwm "$child")
    exec {slow}>&-
    RSS_PARENT[$id]=$(vmhwm "$pid")
done
progress_done
for id in "${ACTIVE[@]}"; do stop "${RUN_PID[$id]}"; done

# ---------------------------------------------------------------------------
# 7. The upload: one 256 MiB PUT at a time to each of our servers, beside
#    dd writing the same bytes to the same file system -- the disk's own
#    rate, measured in the same run.  Like with like: a server writes the
#    body into a new temporary file, fsyncs it, closes it and renames it
#    over the target (lesson 09: the file, not the directory, is
#    fsync'ed); dd creates a new file, writes it and fsyncs it before it
#    exits (conv=fsync).  dd is timed from start to end; the PUT by curl
#    itself (%{time_total}: from the connection to the answer, which
#    comes after the rename), so curl's own start-up -- loading its
#    libraries, 35 to 60 ms on a busy 2-core machine, against about 1 ms
#    for dd -- is not charged to the server.  Both end once the bytes are
#    on the disk.  Before each
#    point `sync` writes out what others left dirty, so one point does not
#    pay for another's; after it the stored file is compared with the
#    source (a fast 201 with the wrong bytes is no result) and removed.
#    The servers run with -w on a document root of their own.
# ---------------------------------------------------------------------------
UP_IDS=() UP_FS=""
declare -A UP_WHY=()
if [ "$DO_UPLOAD" = 1 ]; then
    UP_ROOT=$WORK/upload
    UP_SRC=$WORK/upload.bin                  # beside it: the same file system
    mkdir -p "$UP_ROOT"
    progress "upload: writing the ${UP_BYTES}-byte source file"
    head -c "$UP_BYTES" /dev/urandom >"$UP_SRC"
    sync                                     # its own writing must not count
    # the file system and the device under it, for the table
    UP_FS=$(df -PT "$UP_ROOT" 2>/dev/null | awk 'NR == 2 { print $2 " on " $1 }')
    declare -A UP_PORT=() UP_PID=()
    saved_root=$DOCROOT
    DOCROOT=$UP_ROOT OUR_FLAGS=(-w)
    UP_IDS=(disk)
    LABEL[disk]="disk (dd conv=fsync)"
    for id in "${SERVERS[@]}"; do
        is_ours "$id" || continue
        progress "upload: starting ${LABEL[$id]} with -w"
        if start_server "$id" plain; then
            UP_PID[$id]=$S_PID UP_PORT[$id]=$S_PORT
            UP_IDS+=("$id")
        else
            UP_WHY[$id]="did not start${S_WHY:+: $S_WHY}"
        fi
    done
    DOCROOT=$saved_root OUR_FLAGS=()
    # up_point ID ROUND: one upload (or dd), timed; a line in $RUNS if it
    # stored the right bytes.
    up_point() {
        local id=$1 rep=$2 target=$UP_ROOT/put.bin t0 t1 status=201 took
        rm -f "$target"                      # a new file every time: 201
        sync
        if [ "$id" = disk ]; then
            t0=$EPOCHREALTIME
            dd if="$UP_SRC" of="$target" bs=1M conv=fsync status=none 2>"$WORK/dd.err" || status="dd failed"
            t1=$EPOCHREALTIME
            took=$(awk -v t0="$t0" -v t1="$t1" 'BEGIN { print t1 - t0 }')
        else
            read -r status took < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 300 \
                                        -T "$UP_SRC" "http://127.0.0.1:${UP_PORT[$id]}/put.bin")
        fi
        if [ "$status" != 201 ]; then
            UP_WHY[$id]="answered ${status:-nothing} in round $rep"
        elif ! cmp -s "$UP_SRC" "$target"; then
            UP_WHY[$id]="stored other bytes in round $rep"
        else
            awk -v id="$id" -v rep="$rep" -v b="$UP_BYTES" -v s="$took" \
                'BEGIN { printf "%s put %d %.2f 0 0\n", id, rep, b / s / 1e6 }' >>"$RUNS"
        fi
        rm -f "$target"
    }
    # One dd first, not counted: the first write after the load (or after
    # the source file) was once a sixth of the rest -- the file system
    # still settling what came before.  Then the rounds, each starting one
    # further along the list, so no one is always first.
    progress "upload: one dd to warm up (not counted)"
    dd if="$UP_SRC" of="$UP_ROOT/warm-up.bin" bs=1M conv=fsync status=none 2>/dev/null
    rm -f "$UP_ROOT/warm-up.bin"
    for rep in $(seq "$UP_REPS"); do
        for i in $(seq 0 $((${#UP_IDS[@]} - 1))); do
            id=${UP_IDS[$(((i + rep - 1) % ${#UP_IDS[@]}))]}
            progress "$(printf 'upload: round %d/%d  %-20s' "$rep" "$UP_REPS" "${LABEL[$id]}")"
            up_point "$id" "$rep"
        done
    done
    for id in "${UP_IDS[@]}"; do [ "$id" = disk ] || stop "${UP_PID[$id]}"; done
    rm -f "$UP_SRC"
    progress_done
fi

# ---------------------------------------------------------------------------
# 8. Robustness (lesson 10 on): the newest lesson's C++ server and its
#    assembly server (under qemu where the host is not arm64), each
#    started with -t ROB_T -c ROB_LIMIT, against four hostile loads.
#    tests/bench/robust.py is the client; it reads /proc itself.  The
#    process it watches is the one that accepts -- for the assembly under
#    qemu-user that is qemu's own process (the server's children are
#    qemu's children, its descriptors are counted with qemu's few).
#      idle     200 connections that send nothing, then a GET /1k.bin
#               (target: under 1 s); then 200 more, 400 in all: the ones
#               above the limit get the parent's 503 (counted and timed),
#               and a normal client, asked every 0.25 s, is served again
#               once the deadline has closed the idle ones (target:
#               within one deadline of the 400th connection).
#      fds      the parent's open descriptors before and after ROB_REQ
#               GETs, 8 at a time (target: the same number).
#      zombies  a burst of ROB_BURST connections (all opened, then all
#               asked, then all read); a second later the parent's
#               children in state Z (target: none).
#      emfile   the parent's RLIMIT_NOFILE lowered to its lowest free
#               descriptor (prlimit(2): allowed on a process of our own
#               user), 5 clients queued, then the parent's utime + stime
#               over ROB_EMFILE_S seconds (target: under 5 % of a core);
#               then the limit back, and the 5 must be served.
#    Each server is started afresh for each load.  The part takes about
#    two minutes on a busy 2-core machine: the deadline twice (once per
#    server), and the assembly's forks under qemu (30 to 60 GETs a
#    second) -- so the assembly gets ROB_REQ_QEMU requests there, not
#    10,000: a descriptor lost per request would show after a thousand
#    as plainly.
# ---------------------------------------------------------------------------
ROB_IDS=()
declare -A ROB=() ROB_WHY=() ROB_N=()
ROB_T=15 ROB_LIMIT=256 ROB_BURST=500 ROB_EMFILE_S=4
if [ "$QUICK" = 1 ]; then ROB_REQ=2000 ROB_REQ_QEMU=300; else ROB_REQ=10000 ROB_REQ_QEMU=1000; fi
# Debian's python3 (the bench tools install it), else whichever is on PATH
ROB_PY=$(command -v /usr/bin/python3 python3 2>/dev/null | head -n 1)
if [ "$DO_ROBUST" = 1 ]; then
    OUR_FLAGS=(-t "$ROB_T" -c "$ROB_LIMIT")
    for id in cpp asm; do
        ROB_IDS+=("$id")
        if [ -z "$ROB_PY" ]; then ROB_WHY[$id]="no python3 here"; continue; fi
        ROB_N[$id]=$ROB_REQ
        under_qemu "$id" && ROB_N[$id]=$ROB_REQ_QEMU
        for load in idle fds zombies emfile; do
            progress "robustness: ${LABEL[$id]}, $load"
            if ! start_server "$id" plain; then
                ROB_WHY[$id]="did not start${S_WHY:+: $S_WHY}"; break
            fi
            case $load in
                idle)    args=("$ROB_T" "$ROB_LIMIT") ;;
                fds)     args=("${ROB_N[$id]}") ;;
                zombies) args=("$ROB_BURST") ;;
                emfile)  args=("$ROB_EMFILE_S") ;;
            esac
            while read -r key value; do
                if [ "$key" = why ]; then ROB_WHY[$id]="${ROB_WHY[$id]:+${ROB_WHY[$id]}; }$load: $value"
                else ROB[$id,$key]=$value; fi
            done < <(timeout -s KILL 120 "$ROB_PY" "$here/robust.py" "$load" "$S_PORT" "$S_PID" "${args[@]}" 2>"$WORK/robust.err" ||
                     echo "why robust.py failed: $(tail -n 1 "$WORK/robust.err")")
            stop "$S_PID"
        done
    done
    OUR_FLAGS=()
    progress_done
fi

# ---------------------------------------------------------------------------
# 9. Report: the table, the targets, results.json, the chart.
# ---------------------------------------------------------------------------
source "$here/report.sh"
