# tests/bench/syscalls.awk -- which system calls one GET cost, from a trace.
#
#   awk -v mark=N -v end=M -f syscalls.awk TRACE
#
# TRACE is the output of `strace -f` (native programs) or of
# `qemu-aarch64 -strace` (aarch64 programs); both start each call with
# "PID name(".  bench.sh starts the server under the tracer, waits until it
# sits idle in accept (or epoll_wait, poll ...), notes that the trace has N
# complete lines (mark), sends ONE request, waits, and notes the length
# again (end).  So every call in lines N+1 ... M belongs to that request.
#
# Prints two lines:
#   parent COUNT name name ...   the process that accepted the connection
#                                (for nginx: its worker)
#   child COUNT name name ...    processes or threads that did not exist
#                                before the request: the forked child, or
#                                python's handler thread ("child 0" if none)
#
# The parent's LAST call is left out when it is a waiting call: that is the
# server going back to sleep for the next client, and it never returns.
# The trace is read up to the SIGTERM that stops the server: what a server
# does to shut down is not part of a request.

# Each line may hold more than one call: qemu writes "PID name(args)" when a
# call starts and " = result" when it returns, so two processes' calls can
# end up on one line ("... accept(3,NULL,NULL)8400 read(4,...").  A call
# therefore starts at the beginning of a line or right after a ")".
function calls_in(line,    n, tok, re_first, re_next) {
    re_first = "^[0-9]+ +[a-z_][a-z0-9_]*[(]"
    re_next  = "[)][0-9]+ +[a-z_][a-z0-9_]*[(]"
    n = 0
    if (match(line, re_first)) {
        tok = substr(line, RSTART, RLENGTH)
        line = substr(line, RSTART + RLENGTH)
        n = keep(n, tok)
    }
    while (match(line, re_next)) {
        tok = substr(line, RSTART + 1, RLENGTH - 1)   # without the ")"
        line = substr(line, RSTART + RLENGTH)
        n = keep(n, tok)
    }
    return n
}
# keep(N, "PID name(") -> N+1, with found_pid[N+1] and found_name[N+1] set
function keep(n, tok,    part) {
    sub(/[(]$/, "", tok)
    split(tok, part, / +/)
    found_pid[n + 1] = part[1]
    found_name[n + 1] = part[2]
    return n + 1
}

BEGIN { if (end == "") end = 1e18
        waiting["accept"]; waiting["accept4"]; waiting["epoll_wait"]
        waiting["epoll_pwait"]; waiting["poll"]; waiting["ppoll"]
        waiting["select"]; waiting["pselect6"] }

NR > end { exit }
NR > mark && /--- SIGTERM/ { exit }

# A call in progress at the mark -- the server waiting in accept (or
# epoll_wait, poll ...) for our request -- belongs to the request.  Its
# name may have been written before the mark: strace -f writes
# "accept(3, NULL, NULL <unfinished ...>" when another process speaks in
# between, and qemu's "accept(3,NULL,NULL)" may get another process's
# " = 0" glued to it.  So we remember each process's last call before the
# mark, and put it in front when it is a waiting call.  The late second
# half, "<... accept resumed>) = 4", is then not a call of its own.
/^[0-9]+ +<\.\.\. [a-z_][a-z0-9_]* resumed>/ { next }

{
    n = calls_in($0)
    for (i = 1; i <= n; i++) {
        pid = found_pid[i]; name = found_name[i]
        if (NR <= mark) { before[pid] = 1; last_before[pid] = name; continue }
        if (!(pid in seen)) { seen[pid] = 1; order[++pids] = pid }
        calls[pid, ++count[pid]] = name
    }
}

END {
    for (p = 1; p <= pids; p++) {
        pid = order[p]
        if (!(pid in before)) continue
        # the waiting call that was in progress at the mark goes first
        if (last_before[pid] in waiting) {
            for (i = count[pid]; i >= 1; i--) calls[pid, i + 1] = calls[pid, i]
            calls[pid, 1] = last_before[pid]; count[pid]++
        }
        # the parent: the first process from before the request to accept
        for (i = 1; i <= count[pid] && parent == ""; i++)
            if (calls[pid, i] ~ /^accept4?$/) parent = pid
    }
    # parent: its calls for this request, minus the final wait
    np = (parent == "") ? 0 : count[parent]
    last = (np > 0) ? calls[parent, np] : ""
    if (last in waiting) np--
    line = ""
    for (i = 1; i <= np; i++) line = line " " calls[parent, i]
    print "parent " np line
    # children: processes or threads not seen before the request, in the
    # order they first showed up
    nc = 0; line = ""
    for (p = 1; p <= pids; p++) {
        pid = order[p]
        if (pid in before) continue
        for (i = 1; i <= count[pid]; i++) { nc++; line = line " " calls[pid, i] }
    }
    print "child " nc line
}
