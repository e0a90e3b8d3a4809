#!/usr/bin/env bash
# tests/tools/ensure-tools.sh GROUP... -- make sure the tools a build step
# needs are here.  Missing ones are installed when that can be done without
# asking anybody (apt-get as root or through `sudo -n`, Homebrew on macOS);
# otherwise the script prints the one command to run and fails.
#
# The Makefile calls it through tool stamps (build/.tools/GROUP): the first
# target that needs a group installs it, before any recipe that uses it.
#
# Groups, and the Debian packages behind them (every one is listed with the
# reason it is needed, because this is what a new machine spends minutes on):
#   cxx          g++, make: the native C++ compiler (servers, harness, tests)
#   gtest        libgtest-dev: GoogleTest, the framework of the test suites
#   json         nlohmann-json3-dev: the harness reads the fixtures' JSON with it
#   asm          binutils-aarch64-linux-gnu, g++-aarch64-linux-gnu: assemble
#                and link the aarch64 programs, cross-compile the asm tests
#                (on an arm64 machine: the native binutils and g++)
#   qemu         qemu-user: qemu-aarch64 runs the aarch64 programs on x86-64
#   cross-gtest  googletest: GoogleTest's sources (/usr/src/googletest),
#                compiled for aarch64 by the Makefile
#   darwin       clang, lld: assemble and link the Mach-O programs
#                (Debian's lld names the Mach-O linker ld64.lld-14)
#   unicorn      python3-unicorn: the arm64 CPU (Unicorn, QEMU's as a library)
#                under tests/darwin-run, which runs the Mach-O programs here
#                with Darwin's system calls (Linux only: a Mac runs them);
#                Debian's /usr/bin/python3 is the Python it is installed for
#   libcxx       clang-15, libc++-15-dev, libc++abi-15-dev: make test compiles
#                the C++ once more with LLVM 15's clang and libc++, the
#                toolchain behind Apple clang 14.0.3, the oldest the README
#                supports on a Mac (Linux only: a Mac uses its own clang)
#   inspect      llvm, binutils: llvm-objdump, llvm-nm, llvm-otool and readelf, which
#                `make test` (check-binaries.sh) looks inside programs with
#   try          curl, netcat-openbsd, procps, strace, gdb, less, python3,
#                llvm, binutils-aarch64-linux-gnu: the commands the lessons'
#                "try it" sections show (curl, nc -q1, ps, strace, gdb,
#                less, python3, llvm-objdump, aarch64-linux-gnu-objdump)
#   trace        strace, python3: `make trace-NN` traces the C++ server with
#                strace, and python3 runs tests/tools/trace-compare.py and
#                cc-compare.py (`make cc-NN`), and make test's trace-parser suite
#   debootstrap  debootstrap, debian-archive-keyring: `make fresh-debian`
#                builds a bare Debian 12 with them
#   bench        wrk, gnuplot-nox, strace, curl, python3: what `make bench`
#                measures with (python3 runs tests/bench/robust.py)
#   peer-nginx peer-lighttpd peer-mini_httpd peer-python: one group per peer
#                server `make bench` compares against (one each, so a peer
#                that cannot be installed does not keep the others out)
set -u

os=$(uname -s)
arch=$(uname -m)
here=$(dirname "$0")
missing_pkgs=()   # Debian packages to install
reasons=()        # why, one short phrase per group that misses something

have() { command -v "$1" >/dev/null 2>&1; }

# need PACKAGE TEST... : the Debian package PACKAGE provides what TEST checks.
need() {
    local pkg=$1; shift
    if ! "$@" >/dev/null 2>&1; then missing_pkgs+=("$pkg"); fi
}
file_exists() { [ -e "$1" ]; }
any_of() { local t; for t in "$@"; do have "$t" && return 0; done; return 1; }
# A tool that may be installed under a versioned name (ld64.lld-14): the
# same lookup the recipes use, so "installed" means "the recipe finds it".
tool() { bash "$here/which-tool.sh" "$1"; }
any_of_lib() { local f; for f in /usr/lib/*/lib"$1".a /usr/lib/lib"$1".a; do [ -e "$f" ] && return 0; done; return 1; }

# debian_group GROUP: check GROUP's tools; when something is missing,
# remember why the group is needed, for the line that announces the install.
debian_group() {
    local before=${#missing_pkgs[@]} why
    case "$1" in
        cxx)   why="the C++ compiler"
               need g++ have g++; need make have make ;;
        gtest) why="GoogleTest for the test suites"
               need libgtest-dev file_exists /usr/include/gtest/gtest.h
               need libgtest-dev any_of_lib gtest ;;
        json)  why="nlohmann/json for the harness"
               need nlohmann-json3-dev file_exists /usr/include/nlohmann/json.hpp ;;
        asm)   why="the aarch64 assembler, linker and cross compiler"
               if [ "$arch" = aarch64 ]; then need binutils have as; need g++ have g++
               else need binutils-aarch64-linux-gnu have aarch64-linux-gnu-as
                    need g++-aarch64-linux-gnu have aarch64-linux-gnu-g++; fi ;;
        qemu)  why="qemu-aarch64 to run aarch64 programs on this $arch machine"
               need qemu-user have qemu-aarch64 ;;
        cross-gtest) why="GoogleTest's sources to build for aarch64"
               need googletest file_exists /usr/src/googletest/googletest/src/gtest-all.cc ;;
        darwin) why="clang and ld64.lld for the Mach-O (macOS) builds"
               need clang have clang; need lld tool ld64.lld ;;
        unicorn) why="Unicorn (python3-unicorn) to run the Mach-O programs on Linux"
               need python3-unicorn /usr/bin/python3 -c 'import unicorn' ;;
        libcxx) why="clang 15 and libc++ to compile the C++ as a Mac does"
               need clang-15 have clang++-15
               need libc++-15-dev file_exists /usr/lib/llvm-15/include/c++/v1/vector
               need libc++abi-15-dev file_exists /usr/lib/llvm-15/include/c++/v1/cxxabi.h ;;
        inspect) why="llvm-objdump, llvm-nm, llvm-otool and readelf for make test's binary checks"
               need llvm tool llvm-objdump; need llvm tool llvm-nm; need llvm tool llvm-otool
               need binutils have readelf ;;
        try)   why="curl, nc, ps, strace, gdb, less, python3 and objdump, which the lesson pages use"
               # The pages show the plain names, so the plain names must exist:
               # Debian's llvm package adds llvm-objdump next to llvm-objdump-14.
               need curl have curl; need netcat-openbsd have nc; need procps have ps
               need strace have strace; need gdb have gdb; need less have less
               need python3 have python3; need llvm have llvm-objdump; need binutils have objdump
               [ "$arch" = aarch64 ] || need binutils-aarch64-linux-gnu have aarch64-linux-gnu-objdump ;;
        trace) why="strace and python3 for make trace-NN and make cc-NN"
               need strace have strace; need python3 have python3 ;;
        debootstrap) why="debootstrap to build a bare Debian 12"
               need debootstrap have debootstrap
               need debian-archive-keyring file_exists /usr/share/keyrings/debian-archive-keyring.gpg ;;
        # make bench: the load generator, the chart, the system-call counts
        bench) why="wrk, gnuplot, strace, curl and python3 for make bench"
               need wrk have wrk; need gnuplot-nox any_of gnuplot gnuplot-nox
               need strace have strace; need curl have curl
               need python3 file_exists /usr/bin/python3 ;;
        # the peers sit in /usr/sbin, which is not on every user's PATH
        peer-nginx)      why="nginx, a peer make bench compares with"
                         need nginx file_exists /usr/sbin/nginx ;;
        peer-lighttpd)   why="lighttpd, a peer make bench compares with"
                         need lighttpd file_exists /usr/sbin/lighttpd ;;
        peer-mini_httpd) why="mini_httpd, a peer make bench compares with"
                         need mini-httpd file_exists /usr/sbin/mini_httpd ;;
        # Debian's own python3 (not whatever `python3` a version manager puts first)
        peer-python)     why="python3, a peer make bench compares with"
                         need python3 file_exists /usr/bin/python3 ;;
        *) echo "ensure-tools: unknown group '$1'" >&2; exit 2 ;;
    esac
    [ ${#missing_pkgs[@]} -gt "$before" ] && reasons+=("$why")
    return 0
}

mac_group() {
    case "$1" in
        cxx|asm|darwin|inspect)
            # Apple's command line tools bring clang, the linker, otool,
            # and llvm-objdump/nm under xcrun.
            if ! have clang++; then
                echo "metal-httpd needs Apple's command line tools: run  xcode-select --install" >&2; exit 1
            fi ;;
        gtest) brew_need googletest include/gtest/gtest.h ;;
        json)  brew_need nlohmann-json include/nlohmann/json.hpp ;;
        qemu|cross-gtest) ;;   # nothing is emulated on a Mac
        libcxx) ;;             # the Mac's own clang and libc++ compile everything
        unicorn) ;;            # a Mac runs the Mach-O programs itself
        bench|peer-*) echo "make bench runs on Linux (it counts system calls with strace)" >&2; exit 1 ;;
        try) ;;                # curl, nc, ps, python3 come with macOS; the pages say what differs
        trace) ;;              # python3 comes with the command line tools; make trace-NN says what a Mac has
        debootstrap) echo "ensure-tools: make fresh-debian needs Linux (debootstrap and chroot)" >&2; exit 1 ;;
        *) echo "ensure-tools: unknown group '$1'" >&2; exit 2 ;;
    esac
}
brew_need() {
    local prefix; prefix=$(brew --prefix 2>/dev/null || echo /opt/homebrew)
    [ -e "$prefix/$2" ] && return 0
    if have brew; then
        echo "ensure-tools: installing $1 with Homebrew" >&2
        brew install "$1" && return 0
    fi
    echo "metal-httpd needs $1: run  brew install $1" >&2; exit 1
}

if [ "$os" = Darwin ]; then
    # One caller at a time (see turn-lock.sh): with one make job per core,
    # several stamps call this at once, and two `brew install` at the same
    # time make one of them fail.  Each group is checked again once it is
    # our turn: the caller before us may have installed it.
    . "$here/turn-lock.sh"
    take_turn "${TMPDIR:-/tmp}/metal-httpd-ensure-tools.lock.d"
    for g in "$@"; do mac_group "$g"; done
    exit 0
fi

# `make -j` may start several tool checks at once: take turns, so that two
# apt-get runs never fight over dpkg's lock, and check again once it is our
# turn (the one before us may have installed what we need).
if have flock; then
    exec 9>"${TMPDIR:-/tmp}/metal-httpd-ensure-tools.lock"
    flock 9
fi
# Each group once (the Makefile may name one twice), in the order given.
for g in $(printf '%s\n' "$@" | awk '!seen[$0]++'); do debian_group "$g"; done
[ ${#missing_pkgs[@]} -eq 0 ] && exit 0

# De-duplicate, keep order.
pkgs=$(printf '%s\n' "${missing_pkgs[@]}" | awk '!seen[$0]++' | tr '\n' ' ')
pkgs=${pkgs% }
why=$(printf '%s; ' "${reasons[@]}")
why=${why%; }
cmd="apt-get install -y --no-install-recommends $pkgs"
# Wait for another apt/dpkg (say, the system's own updater) instead of failing.
apt_wait="-o DPkg::Lock::Timeout=300"
if ! have apt-get; then
    echo "metal-httpd needs these Debian/Ubuntu packages (or your system's equivalents): $pkgs" >&2
    exit 1
fi
if [ "$(id -u)" = 0 ]; then
    sudo_=""
elif have sudo && sudo -n true 2>/dev/null; then
    sudo_="sudo -n"
else
    echo "metal-httpd needs: $pkgs ($why)" >&2
    if have sudo; then
        echo "run:  sudo apt-get update && sudo $cmd" >&2
    else
        # No sudo on this machine: the command has to be typed as root.
        echo "run as root (su -):  apt-get update && $cmd" >&2
    fi
    exit 1
fi

# Say what is coming before apt-get starts: on a new machine this is minutes
# of downloading, and a newcomer should know it is not the lesson hanging.
echo "ensure-tools: installing $pkgs ($why; a few minutes on a new machine)" >&2
export DEBIAN_FRONTEND=noninteractive

# apt-get update only when apt does not know a package yet (no package lists
# at all, as on a new machine), or when installing from the lists we have
# fails (they are old and the mirror has moved on): an update costs time, and
# a `make` that installs three groups one after another would do it three times.
known() { local p; for p in $pkgs; do apt-cache show --no-all-versions "$p" >/dev/null 2>&1 || return 1; done; }
apt_install() { $sudo_ apt-get $apt_wait install -y -q --no-install-recommends $pkgs >&2; }
if ! known; then
    $sudo_ apt-get $apt_wait update -qq >&2 || true
fi
if ! apt_install; then
    echo "ensure-tools: trying again after apt-get update" >&2
    $sudo_ apt-get $apt_wait update -qq >&2 || true
    if ! apt_install; then
        s=""; [ -n "$sudo_" ] && s="sudo "
        echo "ensure-tools: installing failed; run:  ${s}apt-get update && ${s}$cmd" >&2
        exit 1
    fi
fi
echo "ensure-tools: installed $pkgs" >&2
