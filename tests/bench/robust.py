#!/usr/bin/env python3
"""tests/bench/robust.py -- the clients of `make bench`'s robustness point
(section 8 of tests/bench/bench.sh; docs/performance.md, "Under a hostile
network", says what the numbers mean).

    robust.py idle    PORT PID DEADLINE LIMIT
    robust.py fds     PORT PID REQUESTS
    robust.py zombies PORT PID CONNECTIONS
    robust.py emfile  PORT PID SECONDS

PID is the process that accepts: the server's parent, or for a program run
under qemu-user the qemu process that runs it (its children are the forked
qemu processes, its descriptors qemu's and the program's together).
Each command prints "key value" lines for bench.sh to read; a number that
could not be measured is left out, and a line "why TEXT" says why.
"""
import os
import resource
import selectors
import socket
import sys
import threading
import time

REQUEST = b"GET /1k.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def say(key, value):
    print(key, value, flush=True)


def children(pid):
    """PIDs of pid's children, from /proc/PID/task/*/children."""
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids += f.read().split()
    except OSError:
        pass
    return kids


def stat_fields(pid):
    """The fields of /proc/PID/stat after the ')' that ends the name:
    [0] is the state, [1] the parent, [11] utime, [12] stime."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    return stat[stat.rindex(")") + 2:].split()


def zombie_children(pid):
    """pid's children in state Z: every /proc/*/stat with that parent."""
    n = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = stat_fields(entry)
            except (OSError, ValueError):
                continue   # ended while we looked
            if fields[1] == str(pid) and fields[0] == "Z":
                n += 1
    return n


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def get(port, timeout=10.0):
    """One GET /1k.bin with Connection: close: (status, seconds)."""
    t0 = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(REQUEST)
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return "none", time.monotonic() - t0
    parts = data.split(b" ", 2)
    status = parts[1].decode() if len(parts) > 1 else "none"
    return status, time.monotonic() - t0


def open_idle(port, n):
    """n connections that send nothing (kept open by the caller)."""
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        socks.append((s, time.monotonic()))
    return socks


def wait_children(pid, n, limit_s):
    """Until pid has n children (the connections accepted and forked);
    returns the seconds it took, or None."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit_s:
        if len(children(pid)) >= n:
            return time.monotonic() - t0
        time.sleep(0.05)
    return None


def idle(port, pid, deadline, limit):
    # Below the limit: 200 idle connections, each held by a child.
    below, above = 200, 400
    t_start = time.monotonic()
    held = open_idle(port, below)
    took = wait_children(pid, below, deadline / 2)
    if took is None:
        say("why", f"only {len(children(pid))} children for {below} idle connections after {deadline / 2:.0f} s")
        return
    say("below_accepted_s", f"{took:.2f}")
    status, secs = get(port)
    say("below_status", status)
    say("below_get_s", f"{secs:.3f}")
    say("below_children", len(children(pid)))
    # the oldest idle connection was this old when the GET ended: it must
    # be below the deadline, or the children were not all still held
    say("below_oldest_s", f"{time.monotonic() - t_start:.2f}")

    # Above: 200 more.  limit - below get children; the rest get the
    # parent's 503 -- without having sent a byte.
    extra = open_idle(port, above - below)
    t_full = time.monotonic()
    probe = {}
    prober = threading.Thread(target=normal_client, args=(port, deadline, t_start, t_full, probe, above))
    prober.start()
    sel = selectors.DefaultSelector()
    for s, t in extra:
        sel.register(s, selectors.EVENT_READ, t)
    answered = {}   # socket -> (status, seconds from its own connect)
    expect = above - limit
    stop_at = time.monotonic() + deadline
    while len(answered) < expect and time.monotonic() < stop_at:
        for key, _ in sel.select(timeout=0.1):
            s, t = key.fileobj, key.data
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            now = time.monotonic()
            parts = data.split(b" ", 2)
            answered[s] = (parts[1].decode() if len(parts) > 1 else "closed", now - t)
            sel.unregister(s)
    got503 = sorted(secs for status, secs in answered.values() if status == "503")
    say("above_503", len(got503))
    say("above_other", len(answered) - len(got503))
    say("above_expected_503", expect)
    if got503:
        say("above_503_first_s", f"{got503[0]:.3f}")
        say("above_503_median_s", f"{got503[len(got503) // 2]:.3f}")
        say("above_503_last_s", f"{got503[-1]:.3f}")
    prober.join()
    for key in ("above_normal_first_status", "above_normal_first_s", "above_served_again_s",
                "above_served_again_from_first_s", "why"):
        if key in probe:
            say(key, probe[key])
    for s, _ in held + extra:
        s.close()


def normal_client(port, deadline, t_start, t_full, probe, above):
    """A normal client beside the idle ones: its first answer (503, after
    the refusals queued before it), then every 0.25 s a new GET until one
    is served again -- once the deadline has closed the idle connections."""
    while time.monotonic() - t_full < 2 * deadline + 5:
        status, _ = get(port, timeout=2 * deadline)
        if "above_normal_first_status" not in probe:
            probe["above_normal_first_status"] = status
            probe["above_normal_first_s"] = f"{time.monotonic() - t_full:.2f}"
        if status == "200":
            probe["above_served_again_s"] = f"{time.monotonic() - t_full:.2f}"
            # and from the first idle connection, whose deadline frees
            # the first child: about -t, plus the reaping
            probe["above_served_again_from_first_s"] = f"{time.monotonic() - t_start:.2f}"
            return
        time.sleep(0.25)
    probe["why"] = f"no 200 within {2 * deadline + 5:.0f} s of the {above}th connection"


def many(port, total, threads):
    """total GETs, threads at a time; returns the statuses counted."""
    counts = {}
    lock = threading.Lock()
    per = [total // threads + (1 if i < total % threads else 0) for i in range(threads)]

    def worker(n):
        for _ in range(n):
            status, _ = get(port)
            with lock:
                counts[status] = counts.get(status, 0) + 1

    ts = [threading.Thread(target=worker, args=(n,)) for n in per]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return counts


def fds(port, pid, total):
    say("fds_before", fd_count(pid))
    t0 = time.monotonic()
    counts = many(port, total, 8)
    say("fds_seconds", f"{time.monotonic() - t0:.1f}")
    say("fds_ok", counts.get("200", 0))
    time.sleep(1.0)   # the last children exit
    say("fds_after", fd_count(pid))


def zombies(port, pid, total):
    # A burst: every connection opened first, each sends its request, then
    # every answer is read.
    t0 = time.monotonic()
    socks = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(total)]
    for s in socks:
        s.sendall(REQUEST)
    ok = 0
    for s in socks:
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        ok += data.startswith(b"HTTP/1.1 200")
        s.close()
    say("burst_seconds", f"{time.monotonic() - t0:.1f}")
    say("burst_ok", ok)
    time.sleep(1.0)
    say("zombies", zombie_children(pid))
    say("children_left", len(children(pid)))


def emfile(port, pid, seconds):
    # The parent's limit down to its lowest free descriptor: the next
    # accept fails with EMFILE.  Allowed without privileges for a process
    # of our own user (prlimit(2)); the harness's fixtures do it through a
    # child with the server's user, for a server that dropped to nobody.
    used = {int(fd) for fd in os.listdir(f"/proc/{pid}/fd")}
    lowest = next(n for n in range(len(used) + 1) if n not in used)
    try:
        old = resource.prlimit(pid, resource.RLIMIT_NOFILE)
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (lowest, old[1]))
    except OSError as e:
        say("why", f"prlimit: {e.strerror}")
        return
    say("emfile_limit", lowest)
    clients = []
    for _ in range(5):   # they wait in the listen queue
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(REQUEST)
        clients.append(s)
    time.sleep(0.5)      # the parent meets EMFILE
    f0 = stat_fields(pid)
    t0 = time.monotonic()
    time.sleep(seconds)
    f1 = stat_fields(pid)
    t1 = time.monotonic()
    ticks = int(f1[11]) + int(f1[12]) - int(f0[11]) - int(f0[12])
    hz = os.sysconf("SC_CLK_TCK")
    say("emfile_cpu_ticks", ticks)
    say("emfile_cpu_s", f"{ticks / hz:.2f}")
    say("emfile_seconds", f"{t1 - t0:.2f}")
    say("emfile_cpu_percent", f"{ticks / hz / (t1 - t0) * 100:.1f}")
    # None of the 5 may have been answered meanwhile: else the parent did
    # not meet EMFILE, and the CPU above says nothing.
    sel = selectors.DefaultSelector()
    for s in clients:
        sel.register(s, selectors.EVENT_READ)
    say("emfile_answered_during", len(sel.select(timeout=0)))
    sel.close()
    # The limit back: the queued clients are served without a restart.
    resource.prlimit(pid, resource.RLIMIT_NOFILE, old)
    t0 = time.monotonic()
    served = 0
    for s in clients:
        try:
            served += s.recv(64).startswith(b"HTTP/1.1 200")
        except OSError:
            pass
        s.close()
    say("emfile_served_after", served)
    say("emfile_resume_s", f"{time.monotonic() - t0:.2f}")


def main():
    cmd, port, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if cmd == "idle":
        idle(port, pid, float(sys.argv[4]), int(sys.argv[5]))
    elif cmd == "fds":
        fds(port, pid, int(sys.argv[4]))
    elif cmd == "zombies":
        zombies(port, pid, int(sys.argv[4]))
    elif cmd == "emfile":
        emfile(port, pid, float(sys.argv[4]))
    else:
        sys.exit(f"robust.py: unknown command {cmd}")


if __name__ == "__main__":
    main()
