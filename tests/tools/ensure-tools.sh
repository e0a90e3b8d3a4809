#!/usr/bin/env bash
# tests/tools/ensure-tools.sh GROUP... -- make sure the tools a build step
# needs are here.  Missing ones are installed when that can be done without
# asking anybody (apt-get as root or through `sudo -n`, Homebrew on macOS);
# otherwise the script prints the one command to run and fails.
#
# Groups: cxx gtest json asm qemu cross-gtest darwin
#         bench (what `make bench` measures with) and one group per peer
#         server it compares against: peer-nginx peer-lighttpd
#         peer-mini_httpd peer-python (one each, so a peer that cannot be
#         installed does not keep the others out)
set -u

os=$(uname -s)
arch=$(uname -m)
missing_pkgs=()

have() { command -v "$1" >/dev/null 2>&1; }

# need PACKAGE TEST... : the Debian package PACKAGE provides what TEST checks.
need() {
    local pkg=$1; shift
    if ! "$@" >/dev/null 2>&1; then missing_pkgs+=("$pkg"); fi
}
file_exists() { [ -e "$1" ]; }
any_of() { local t; for t in "$@"; do have "$t" && return 0; done; return 1; }

debian_group() {
    case "$1" in
        cxx)   need g++ have g++; need make have make ;;
        gtest) need libgtest-dev file_exists /usr/include/gtest/gtest.h
               need libgtest-dev any_of_lib gtest ;;
        json)  need nlohmann-json3-dev file_exists /usr/include/nlohmann/json.hpp ;;
        asm)   if [ "$arch" = aarch64 ]; then need binutils have as; need g++ have g++
               else need binutils-aarch64-linux-gnu have aarch64-linux-gnu-as
                    need g++-aarch64-linux-gnu have aarch64-linux-gnu-g++; fi ;;
        qemu)  need qemu-user have qemu-aarch64 ;;
        cross-gtest) need googletest file_exists /usr/src/googletest/googletest/src/gtest-all.cc ;;
        darwin) need clang have clang; need lld any_of ld64.lld ld64.lld-14 ld64.lld-15 ld64.lld-16 ;;
        # make bench: the load generator, the chart, the system-call counts
        bench) need wrk have wrk; need gnuplot-nox any_of gnuplot gnuplot-nox
               need strace have strace ;;
        # the peers sit in /usr/sbin, which is not on every user's PATH
        peer-nginx)      need nginx file_exists /usr/sbin/nginx ;;
        peer-lighttpd)   need lighttpd file_exists /usr/sbin/lighttpd ;;
        peer-mini_httpd) need mini-httpd file_exists /usr/sbin/mini_httpd ;;
        # Debian's own python3 (not whatever `python3` a version manager puts first)
        peer-python)     need python3 file_exists /usr/bin/python3 ;;
        *) echo "ensure-tools: unknown group '$1'" >&2; exit 2 ;;
    esac
}
any_of_lib() { local f; for f in /usr/lib/*/lib"$1".a /usr/lib/lib"$1".a; do [ -e "$f" ] && return 0; done; return 1; }

mac_group() {
    case "$1" in
        cxx|asm|darwin)
            if ! have clang++; then
                echo "metal-httpd needs Apple's command line tools: run  xcode-select --install" >&2; exit 1
            fi ;;
        gtest) brew_need googletest include/gtest/gtest.h ;;
        json)  brew_need nlohmann-json include/nlohmann/json.hpp ;;
        qemu|cross-gtest) ;;   # nothing is emulated on a Mac
        bench|peer-*) echo "make bench runs on Linux (it counts system calls with strace)" >&2; exit 1 ;;
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
for g in "$@"; do debian_group "$g"; done
[ ${#missing_pkgs[@]} -eq 0 ] && exit 0

# De-duplicate, keep order.
pkgs=$(printf '%s\n' "${missing_pkgs[@]}" | awk '!seen[$0]++' | tr '\n' ' ')
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
    echo "metal-httpd needs: $pkgs" >&2
    echo "run:  sudo apt-get update && sudo $cmd" >&2
    exit 1
fi
echo "ensure-tools: installing $pkgs" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo_ apt-get $apt_wait update -qq >&2 || true
if ! $sudo_ apt-get $apt_wait install -y --no-install-recommends $pkgs >&2; then
    echo "ensure-tools: installing failed; run:  sudo apt-get update && sudo $cmd" >&2
    exit 1
fi
