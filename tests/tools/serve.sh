#!/usr/bin/env bash
# tests/tools/serve.sh -- `make serve-NN IMPL=cpp|asm [PORT=8080]`: run one
# server in the foreground on a fresh copy of the demo site.
#
#   serve.sh --check NN IMPL PORT            the arguments only (make runs this
#                                            before it builds anything)
#   serve.sh NN IMPL PORT RUN_ASM PROGRAM-PREFIX
#
# The banner (what to try) is printed once the server has written its
# `listening on http://127.0.0.1:PORT/` line, with the port it really got
# (PORT=0: any free port).  Ctrl-C stops the server and removes the copy.
set -u

usage() { echo "usage: make serve-$1 IMPL=cpp|asm [PORT=8080]" >&2; exit 2; }

check() {
    local n=$1 impl=$2 port=$3
    case "$impl" in
        ''|cpp|asm) ;;
        *) echo "make serve-$n: IMPL must be cpp or asm, not '$impl'" >&2; usage "$n" ;;
    esac
    if [ "$n" = 00 ]; then
        echo "make serve-00: lesson 00 is not a server; run build/lesson-00/syscalls-cpp (make build-00 first)" >&2
        exit 2
    fi
    case "$port" in
        '') ;;
        *[!0-9]*) echo "make serve-$n: PORT must be a number from 0 to 65535, not '$port'" >&2; usage "$n" ;;
        *) if [ "${#port}" -gt 5 ] || [ "$((10#$port))" -gt 65535 ]; then
               echo "make serve-$n: PORT must be a number from 0 to 65535, not '$port'" >&2; usage "$n"
           fi ;;
    esac
}

if [ "${1:-}" = --check ]; then
    check "${2:-}" "${3:-}" "${4:-}"
    exit 0
fi

n=$1; impl=${2:-cpp}; port=${3:-8080}; run_asm=$4; prefix=$5
check "$n" "$impl" "$port"

# the site in a directory of its own, and beside it the secret the
# harness puts right outside every docroot (docs/fixtures.md)
top=$(mktemp -d /tmp/metal-httpd-site.XXXXXX)
site=$top/site
out=$(mktemp /tmp/metal-httpd-serve.XXXXXX)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$top" "$out"
}
trap cleanup EXIT
# Ctrl-C, kill, a closed terminal or a closed pipe (make serve-04 | head):
# leave through the EXIT trap, which stops the server and removes the copy
trap 'exit 130' INT TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE
mkdir "$site" && cp -a harness/site/. "$site"/
printf 'TOP SECRET: outside the docroot\n' > "$top/secret.txt"

runner=""
[ "$impl" = asm ] && runner=$run_asm
# shellcheck disable=SC2086   # RUN_ASM is empty or one word (qemu-aarch64)
$runner "$prefix-$impl" "$port" "$site" >"$out" &
pid=$!

# Wait for the listening line (qemu takes a moment to start).
real=
for _ in $(seq 200); do
    real=$(sed -n 's@^listening on http://127\.0\.0\.1:\([0-9]*\)/$@\1@p' "$out")
    [ -n "$real" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
done
if [ -z "$real" ]; then
    wait "$pid"
    status=$?
    pid=
    echo "make serve-$n: the $impl server did not start (exit status $status)" >&2
    exit 1
fi

url=http://127.0.0.1:$real
cat "$out"
echo "Serving a copy of harness/site/ from $site with the $impl server of lesson $n"
echo "($top/secret.txt sits right outside it)."
echo "Try, in another terminal:"
case "$n" in
    01)
        echo "  curl -i $url/                      # the fixed response, whatever you ask for"
        echo "  curl -i $url/anything" ;;
    02)
        echo "  nc 127.0.0.1 $real                  # a client that says nothing (leave it open) ..."
        echo "  curl -i $url/                      # ... does not block this one" ;;
    03)
        echo "  curl -s --path-as-is '$url/a/../b?x=1'   # the echo: what the parser understood"
        echo "  curl -si -X POST $url/                   # 405 and its Allow field"
        echo "  curl -sI $url/                           # HEAD: the head only" ;;
    04)
        echo "  curl -si $url/                                   # index.html"
        echo "  curl -si $url/missing                            # 404"
        echo "  curl -s --path-as-is $url/../secret.txt          # outside the site: why lesson 06 exists" ;;
    05)
        echo "  curl -si $url/caf%C3%A9.txt                      # a UTF-8 name, percent-encoded"
        echo "  curl -si '$url/%zz'                              # a bad escape: 400"
        echo "  curl -s --path-as-is $url/%2e%2e/secret.txt      # decoded, still not checked: lesson 06" ;;
    06)
        echo "  curl -si --path-as-is $url/%2e%2e/secret.txt     # 403: above the docroot"
        echo "  curl -si $url/outside                            # 403: a symlink is never followed"
        echo "  curl -si --path-as-is $url/docs/../docs/a.txt    # dot-segments resolved: 200" ;;
    07)
        echo "  curl -si -H 'Range: bytes=0-9' $url/index.html    # 206 and Content-Range"
        echo "  curl -si -H 'Range: bytes=999999-' $url/index.html   # 416" ;;
    08)
        echo "  curl -si $url/docs                               # 301 to /docs/"
        echo "  curl -s $url/docs/noindex/                       # a listing" ;;
    *)
        echo "  curl -v $url/" ;;
esac
echo "Stop with Ctrl-C."
wait "$pid"
status=$?
pid=
exit "$status"
