#!/usr/bin/env bash
# tests/tools/serve.sh NN IMPL PORT RUN_ASM PROGRAM-PREFIX -- `make serve-NN`:
# run one server in the foreground on a fresh copy of the demo site.
set -u
n=$1; impl=${2:-cpp}; port=${3:-8080}; run_asm=$4; prefix=$5
case "$impl" in cpp|asm) ;; *) echo "usage: make serve-$n IMPL=cpp|asm [PORT=8080]"; exit 2 ;; esac
if [ "$n" = 00 ]; then echo "lesson 00 is not a server: run build/lesson-00/syscalls-$impl"; exit 2; fi
# the site in a directory of its own, and beside it the secret the
# harness puts right outside every docroot (docs/fixtures.md)
top=$(mktemp -d /tmp/metal-httpd-site.XXXXXX)
trap 'rm -rf "$top"' EXIT
site=$top/site
mkdir "$site" && cp -a harness/site/. "$site"/
printf 'TOP SECRET: outside the docroot\n' > "$top/secret.txt"
runner=""
[ "$impl" = asm ] && runner=$run_asm
cat <<MSG
Serving a copy of harness/site/ from $site with the $impl server (lesson $n);
$top/secret.txt sits right outside it.
Try, in another terminal:
  curl -v http://127.0.0.1:$port/
  printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | nc 127.0.0.1 $port
  curl -v --path-as-is 'http://127.0.0.1:$port/../secret.txt'
Stop with Ctrl-C.
MSG
$runner "$prefix-$impl" "$port" "$site"
