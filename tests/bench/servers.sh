# tests/bench/servers.sh -- the servers `make bench` compares, and how to
# start each one.  Sourced by tests/bench/bench.sh; not run on its own.
#
# Every server gets:
#   - the same document root ($DOCROOT: 1k.bin, 1m.bin, 1g.bin),
#   - 127.0.0.1 and a port nobody listens on (or port 0 for ours: they
#     print the port the kernel picked),
#   - its own config file and log files in its own temp dir ($1 below),
#     never the system's /etc/... configuration,
#   - the foreground: no daemon mode, so the PID we get from `$!` is the
#     server itself and we can stop it with `kill PID`.
#
# server_cmd ID DIR PORT sets the array CMD to the command line that starts
# server ID, writing whatever config it needs into DIR.  PORT is the port to
# listen on ("0" for ours).  Ours get the flags in OUR_FLAGS first (the
# upload sets -w; the GETs none).
OUR_FLAGS=()

# The programs under test, filled in by bench.sh from the Makefile:
#   CPP_BIN   the lesson's C++ server for this machine
#   XCPP_BIN  the same sources built static for aarch64 (only when the
#             assembly runs under qemu; empty on an arm64 host)
#   ASM_BIN   the lesson's assembly server (aarch64 Linux ELF)
#   RUN_ASM   qemu-aarch64 on an x86-64 host, empty on an arm64 host

# Short id -> the label tables and the chart use.
declare -A LABEL=(
    [cpp]="C++"
    [cpp-qemu]="C++ (qemu)"
    [asm]="asm"
    [nginx]="nginx (1 worker)"
    [lighttpd]="lighttpd"
    [mini_httpd]="mini_httpd"
    [python]="python3 http.server"
)
# How each server answers many clients -- the one fact that explains most
# of the numbers (see docs/performance.md).
declare -A MODEL=(
    [cpp]="fork per connection"
    [cpp-qemu]="fork per connection"
    [asm]="fork per connection"
    [nginx]="event loop"
    [lighttpd]="event loop"
    [mini_httpd]="fork per connection"
    [python]="thread per connection"
)
# Ours are "ours" (one colour in the chart), the rest are "peer".
declare -A KIND=([cpp]=ours [cpp-qemu]=ours [asm]=ours
                 [nginx]=peer [lighttpd]=peer [mini_httpd]=peer [python]=peer)
# The ensure-tools group that installs each peer.
declare -A PEER_GROUP=([nginx]=peer-nginx [lighttpd]=peer-lighttpd
                       [mini_httpd]=peer-mini_httpd [python]=peer-python)
# Where the peers' programs live (Debian's paths; /usr/sbin may not be on PATH).
declare -A PEER_BIN=([nginx]=/usr/sbin/nginx [lighttpd]=/usr/sbin/lighttpd
                     [mini_httpd]=/usr/sbin/mini_httpd [python]=/usr/bin/python3)

# Does the server print "listening on http://127.0.0.1:PORT/" (ours), or do
# we pick its port?
is_ours() { [ "${KIND[$1]}" = ours ]; }

# Runs the aarch64 program under qemu (on x86-64)?
under_qemu() {
    case "$1" in
        cpp-qemu) true ;;
        asm)      [ -n "$RUN_ASM" ] ;;
        *)        false ;;
    esac
}

server_cmd() {
    local id=$1 dir=$2 port=$3
    case "$id" in
        cpp)      CMD=("$CPP_BIN" "${OUR_FLAGS[@]}" 0 "$DOCROOT") ;;
        cpp-qemu) CMD=("$RUN_ASM" "$XCPP_BIN" "${OUR_FLAGS[@]}" 0 "$DOCROOT") ;;
        asm)      CMD=(${RUN_ASM:+"$RUN_ASM"} "$ASM_BIN" "${OUR_FLAGS[@]}" 0 "$DOCROOT") ;;
        nginx)
            # One worker process, like the fork servers' one accept loop.
            # `sendfile on` is what Debian's /etc/nginx/nginx.conf sets, so
            # this is the nginx a student gets; access_log off because none
            # of the others log to a file either.  The *_temp_path lines
            # keep nginx out of /var/lib/nginx.
            mkdir -p "$dir/tmp"
            cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $DOCROOT;
    }
}
EOF
            # -e: the error log from the first line on (before the config
            # is read nginx would try /var/log/nginx/error.log).
            CMD=("${PEER_BIN[nginx]}" -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf") ;;
        lighttpd)
            # lighttpd's defaults otherwise: one process, an event loop,
            # sendfile for static files.
            cat >"$dir/lighttpd.conf" <<EOF
server.document-root = "$DOCROOT"
server.bind          = "127.0.0.1"
server.port          = $port
server.errorlog      = "$dir/error.log"
EOF
            CMD=("${PEER_BIN[lighttpd]}" -D -f "$dir/lighttpd.conf") ;;
        mini_httpd)
            # -D: stay in the foreground; -l: its access log goes nowhere
            # (the default is syslog).  mini_httpd has no config file: the
            # command line is the configuration.
            CMD=("${PEER_BIN[mini_httpd]}" -D -h 127.0.0.1 -p "$port" -d "$DOCROOT" -l /dev/null) ;;
        python)
            # What students type; it logs every request to stderr, which
            # bench.sh sends to a file.
            CMD=("${PEER_BIN[python]}" -m http.server "$port" --bind 127.0.0.1 --directory "$DOCROOT") ;;
        *) echo "bench: unknown server $id" >&2; return 1 ;;
    esac
}
