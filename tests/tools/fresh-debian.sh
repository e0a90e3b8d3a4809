#!/usr/bin/env bash
# tests/tools/fresh-debian.sh -- `make fresh-debian`: does the README's quick
# start work on a machine that has nothing installed?
#
#  1. debootstrap builds a minimal Debian 12 ("minbase": apt, bash, coreutils
#     and little more, plus git, make and ca-certificates, which a student
#     needs to get the repository and type `make`) in a new directory under
#     /tmp, from the Debian mirror this machine's apt already uses;
#  2. this repository, at the commit checked out here, is cloned into it
#     (from this checkout, not from the network) as /root/metal-httpd;
#  3. inside a chroot, the README's two commands run in order, as the
#     README says: `make lesson-NN` (the newest lesson) and `make test`.
#     Each must pass on its first run, installing what it needs itself;
#  4. it prints the last lines of each and how long each took.  The full
#     output is kept in build/fresh-debian/*.log.
#
# Needs root (debootstrap, mount, chroot) and Linux.  Not part of `make
# test`: it downloads a few hundred MB and takes a while (see the README).
# KEEP=1 keeps the chroot afterwards (to look around: chroot DIR bash);
# MIRROR=URL picks the Debian mirror instead of reading it from apt.
set -u
cd "$(dirname "$0")/../.."
repo=$PWD
logs=$repo/build/fresh-debian
suite=bookworm   # Debian 12

say() { echo "fresh-debian: $*"; }
die() { echo "fresh-debian: $*" >&2; exit 1; }
# 75 -> "1m 15s"
duration() { printf '%dm %02ds' $(($1 / 60)) $(($1 % 60)); }

# --- what this needs ----------------------------------------------------------
[ "$(uname -s)" = Linux ] || die "needs Linux (debootstrap and chroot)"
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then die "needs root (for debootstrap, mount and chroot); run:  sudo make fresh-debian"
    else die "needs root (for debootstrap, mount and chroot); run  make fresh-debian  as root (su -)"; fi
fi
# debootstrap and chroot live in /usr/sbin, which a PATH may lack.
PATH=$PATH:/usr/sbin:/sbin
command -v git >/dev/null || die "needs git, to clone this checkout into the chroot"
for t in mount umount chroot; do command -v $t >/dev/null || die "needs $t (util-linux, coreutils)"; done
bash tests/tools/ensure-tools.sh debootstrap && command -v debootstrap >/dev/null ||
    die "needs debootstrap (Debian package debootstrap); install it and run again"
commit=$(git rev-parse HEAD) || die "run it from a git checkout of metal-httpd"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    say "note: uncommitted changes here are NOT tested -- the chroot gets commit ${commit:0:12}"
fi

# --- the mirror ------------------------------------------------------------------
# The Debian mirror apt uses here: the first URI of a "deb" entry for a main
# suite (bookworm, not bookworm-security), from either format apt reads:
#   sources.list:  deb [options] http://deb.debian.org/debian bookworm main
#   *.sources:     Types: deb / URIs: http://deb.debian.org/debian / Suites: bookworm ...
# The security mirror is found the same way (a suite ending in -security).
# Prints "URI" lines for suites of the given KIND (main or security).
apt_uris() {
    local kind=$1
    local lists=() sources=()
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do [ -f "$f" ] && lists+=("$f"); done
    for f in /etc/apt/sources.list.d/*.sources; do [ -f "$f" ] && sources+=("$f"); done
    # One-line format: skip the [options] if any; field 3 is the suite.
    [ ${#lists[@]} -gt 0 ] && sed -E 's/\[[^]]*\]//' "${lists[@]}" | awk -v kind="$kind" '
        $1 == "deb" && (kind == "security") == ($3 ~ /-security$/) { print $2 }'
    # deb822 format: stanzas separated by blank lines.
    [ ${#sources[@]} -gt 0 ] && awk -v kind="$kind" '
        function flush() {
            if (types ~ /(^| )deb( |$)/ && enabled !~ /^no/)
                for (i = 1; i <= n; i++) if ((kind == "security") == (s[i] ~ /-security$/)) { print uris; break }
            types = ""; uris = ""; enabled = ""; n = 0
        }
        /^[[:space:]]*$/ { flush(); next }
        /^Types:/   { sub(/^Types:[[:space:]]*/, "");   types = $0 }
        /^URIs:/    { sub(/^URIs:[[:space:]]*/, "");    uris = $1 }
        /^Enabled:/ { sub(/^Enabled:[[:space:]]*/, ""); enabled = $0 }
        /^Suites:/  { sub(/^Suites:[[:space:]]*/, "");  n = split($0, s, /[[:space:]]+/) }
        END { flush() }' "${sources[@]}"
    return 0
}
mirror=${MIRROR:-$(apt_uris main | head -n 1)}
security=$(apt_uris security | head -n 1)
[ -n "$mirror" ] || die "found no Debian mirror in /etc/apt/sources.list(.d); name one:  MIRROR=http://deb.debian.org/debian make fresh-debian"

# --- the chroot, and cleaning up after it -------------------------------------
# A new directory each time: the point is a machine with nothing on it.
root=$(mktemp -d "${TMPDIR:-/tmp}/metal-httpd-fresh-debian.XXXXXX") || die "mktemp failed"
# mktemp makes it 0700; it becomes the chroot's "/", which user nobody (the
# harness runs the servers as nobody when it is root) must be able to enter.
chmod 0755 "$root"
mkdir -p "$logs"

# Every mount point under $root, deepest first (so /dev/pts goes before /dev).
mounts_under_root() { awk -v r="$root" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r; }
debootstrap_pid=""   # set while debootstrap runs (see below)
cleanup() {
    # debootstrap runs outside the chroot, as its own process group: end
    # that group (it, and the wget and dpkg it started) by its id.
    if [ -n "$debootstrap_pid" ]; then
        kill -KILL -- "-$debootstrap_pid" 2>/dev/null
        wait "$debootstrap_pid" 2>/dev/null   # reap it (quietly: no "Killed" line)
    fi
    # Whatever the chroot left running (a server a failed test did not
    # stop) keeps its mounts busy: end those processes -- every one of them
    # was started by this script -- by their pid.
    local p
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -KILL "${p#/proc/}" 2>/dev/null
    done
    local m
    for m in $(mounts_under_root); do
        umount "$m" 2>/dev/null || umount -l "$m"
    done
    if [ "${KEEP:-0}" = 1 ]; then
        say "kept the chroot: $root  (look around: chroot $root bash; remove it with rm -rf --one-file-system $root)"
    elif [ -n "$(mounts_under_root)" ]; then
        # Never rm -rf a tree that still has the host's /dev or /proc in it.
        say "something is still mounted under $root; not removing it"
    else
        # --one-file-system: even so, do not step into any other file system.
        rm -rf --one-file-system "$root"
    fi
}
trap cleanup EXIT
trap 'say "interrupted: cleaning up $root"; exit 130' INT TERM   # the EXIT trap runs then too

say "building a bare Debian 12 (minbase + git, make, ca-certificates) in $root"
say "mirror: $mirror${security:+, security: $security}"
# Long steps run in the background and the script waits for them: bash
# runs a trap only once the foreground command is over, but `wait` returns
# at once on a signal -- so a kill or Ctrl-C cleans up now, not in 10 minutes.
# (A background command ignores Ctrl-C, so cleanup ends it: setsid gives
# debootstrap a process group of its own, whose id is its pid.)
t0=$SECONDS
setsid debootstrap --variant=minbase --include=git,make,ca-certificates "$suite" "$root" "$mirror" \
    >"$logs/debootstrap.log" 2>&1 &
debootstrap_pid=$!
wait $debootstrap_pid
debootstrap_status=$?
debootstrap_pid=""   # over: that pid is no longer ours to kill
if [ $debootstrap_status -ne 0 ]; then
    tail -n 5 "$logs/debootstrap.log"
    die "debootstrap failed (full output: $logs/debootstrap.log)"
fi
t_debootstrap=$((SECONDS - t0))
say "debootstrap: $(tail -n 1 "$logs/debootstrap.log")  ($(duration $t_debootstrap))"

# apt sources as Debian's installer writes them: the release, its updates
# and the security archive.  debootstrap alone writes the release only.
{
    echo "deb $mirror $suite main"
    echo "deb $mirror $suite-updates main"
    [ -n "$security" ] && echo "deb $security $suite-security main"
} >"$root/etc/apt/sources.list"
# Name resolution for apt inside the chroot (debootstrap copies it, but
# only when the host has one it can read as a plain file).
[ -s "$root/etc/resolv.conf" ] || cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null

# The kernel's views a normal system has: processes (/proc: AddressSanitizer
# and the harness's zombie count read it), sysfs, and devices (/dev/null ...)
# and ptys bound from the host's.  cleanup undoes all four.
mount -t proc proc "$root/proc" || die "mount /proc failed"
mount -t sysfs -o ro sysfs "$root/sys" || die "mount /sys failed"
mount --bind /dev "$root/dev" || die "mount /dev failed"
mount --bind /dev/pts "$root/dev/pts" || die "mount /dev/pts failed"

# qemu-user is an ordinary program: the Makefile and the harness run
# `qemu-aarch64 PROGRAM` by name, so a host's binfmt_misc registration (which
# would let the kernel start aarch64 programs directly, even in the chroot)
# can neither help nor hide a missing qemu-user.  Say which case this is.
if [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    say "note: this host has binfmt_misc for qemu-aarch64; make calls qemu-aarch64 by name anyway"
fi

# --- the clone ---------------------------------------------------------------------
# From this checkout, at this commit (--no-hardlinks: a real copy of the
# objects, as a clone over the network would be).
git clone -q --no-hardlinks "$repo" "$root/root/metal-httpd" || die "git clone failed"
git -C "$root/root/metal-httpd" checkout -q "$commit" || die "git checkout $commit failed"
newest=$(basename "$(ls -d "$root"/root/metal-httpd/lessons/[0-9][0-9]-* | tail -n 1)" | cut -c1-2)
say "cloned commit ${commit:0:12} into /root/metal-httpd; newest lesson: $newest"

# --- the README's two commands -----------------------------------------------------
# run_step NAME COMMAND: run COMMAND in the clone inside the chroot with a
# clean environment (what a login shell on the bare machine would have: no
# MAKEFLAGS from this make, no PATH from this machine); full output to
# build/fresh-debian/NAME.log, the installer's announcements and the suites'
# headings to the terminal as they come; then the last lines and the time.
status_all=0
summary=()
run_step() {
    local name=$1 cmd=$2 t=$SECONDS status
    say "running: $cmd"
    (
        chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb \
            PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            /bin/bash -c "cd /root/metal-httpd && $cmd" </dev/null 2>&1 |
            tee "$logs/$name.log" | grep --line-buffered -E '^(ensure-tools:|=== )' | sed -u 's/^/    /'
        exit "${PIPESTATUS[0]}"
    ) &
    wait $!
    status=$?
    t=$((SECONDS - t))
    say "$cmd: exit $status after $(duration $t); its last lines:"
    tail -n 4 "$logs/$name.log" | sed 's/^/    /'
    summary+=("$(printf '%-16s exit %d  %s' "$cmd" "$status" "$(duration $t)")")
    [ "$status" -eq 0 ] || status_all=1
}
run_step lesson "make lesson-$newest"
run_step test "make test"

echo
say "bare Debian 12, commit ${commit:0:12}:"
printf '    %-16s %s\n' "debootstrap" "$(duration $t_debootstrap)"
printf '    %s\n' "${summary[@]}"
say "full output: $logs/{debootstrap,lesson,test}.log"
exit "$status_all"
