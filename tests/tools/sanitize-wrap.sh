#!/usr/bin/env bash
# tests/tools/sanitize-wrap.sh SERVER ARGS... -- how sanitize-run.sh has the
# harness start a sanitized server: SERVER itself, with everything it (and
# every child it forks) writes to stderr also appended to $SANITIZE_LOG,
# where sanitize-run.sh looks for reports.  (The sanitizers' own log_path
# cannot do it: with GCC, ASan and UBSan linked together, UBSan ignores it.)
# stderr still reaches the harness, so fixtures that check it still can.
# tee runs in its own session: the harness kills the server's process group
# when a fixture is done, and tee must live on to copy what was written.
log=${SANITIZE_LOG:?sanitize-wrap.sh: SANITIZE_LOG names the file for the reports}
server=$1
shift
if command -v setsid >/dev/null; then
    exec "$server" "$@" 2> >(exec setsid tee -a "$log" >&2)
else
    exec "$server" "$@" 2> >(exec tee -a "$log" >&2)   # macOS: no setsid(1)
fi
