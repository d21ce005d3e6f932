# Shared by the deployment checks: a throwaway FieldSync server on an embedded cluster, enrollment,
# a reporter who records and syncs, and an auditor's export. Sourced, not run.
#
# Uses $FIELDSYNC (the program; default: the debug build of this checkout) and makes everything in
# one temporary folder, $WORK, removed on exit unless KEEP=1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FIELDSYNC="${FIELDSYNC:-$(cd "$ROOT" && swift build --show-bin-path)/fieldsync}"
[ -x "$FIELDSYNC" ] || { echo "no fieldsync program at $FIELDSYNC: run swift build first" >&2; exit 1; }
WORK="$(mktemp -d -t fieldsync-check.XXXXXX)"
chmod 0755 "$WORK"
SERVER_PIDS=()

# What a check stops after its servers, on exit (a check may redefine it).
after_servers_stop() { :; }

cleanup() {
    local status=$?
    for pid in "${SERVER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    after_servers_stop
    if [ "$status" -ne 0 ]; then
        echo "--- failed; the last lines of each log in $WORK:" >&2
        for log in "$WORK"/*.log; do [ -f "$log" ] && { echo "== $log" >&2; tail -n 15 "$log" >&2; }; done
    fi
    [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT

say() { echo "[$(date +%H:%M:%S)] $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

# The PostgreSQL client programs (pg_basebackup, pg_dump, psql) of the installed server version.
pg_bin() {
    local dir
    dir="$(pg_config --bindir 2>/dev/null || true)"
    if [ -n "$dir" ] && [ -x "$dir/$1" ]; then echo "$dir/$1"; return; fi
    for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/$1" ] && { echo "$dir/$1"; return; }; done
    command -v "$1" || fail "PostgreSQL's $1 is not installed"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# start_server NAME DATA_DIR PORT [serve options…]: starts `fieldsync serve` and waits until healthy.
start_server() {
    local name=$1 data=$2 port=$3
    shift 3
    start_command "$name" "$port" "$FIELDSYNC" serve --data-dir "$data" --port "$port" "$@"
}

# start_command NAME PORT COMMAND…: starts a server's whole command line and waits until it answers
# /healthz on PORT. Its pid is $PID_NAME; it is stopped on exit.
start_command() {
    local name=$1 port=$2
    shift 2
    "$@" >"$WORK/$name.log" 2>&1 &
    SERVER_PIDS+=($!)
    eval "PID_$name=$!"
    for _ in $(seq 1 300); do
        if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then return 0; fi
        kill -0 "$!" 2>/dev/null || fail "the server $name exited: $(tail -n 3 "$WORK/$name.log")"
        sleep 0.2
    done
    fail "the server $name did not become healthy in 60 s"
}

# stop_server NAME: SIGTERM, then waits for it to exit.
stop_server() {
    local pid_var="PID_$1"
    local pid=${!pid_var}
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
}

# enroll_code DATA_DIR ROLE NAME: a one-time enrollment code, made through the admin command. A
# reporter's code covers the demo station the checks record at.
enroll_code() {
    local covers=()
    [ "$2" = reporter ] && covers=(--stations "$DEMO_STATION")
    "$FIELDSYNC" admin enroll --data-dir "$1" --role "$2" --name "$3" "${covers[@]}" --json | json_field code
}

# token_for URL CODE: enrolls a keyless editor or auditor and prints its bearer token.
token_for() {
    curl -fsS -X POST -H 'Content-Type: application/json' --data "{\"code\":\"$2\"}" "$1/v1/enroll" ${CURL_TLS:-} |
        json_field token
}

# wait_for_projector URL TOKEN: until the tallies are folded up to the log's last position.
wait_for_projector() {
    local head tallies
    for _ in $(seq 1 300); do
        head=$(curl -fsS ${CURL_TLS:-} "$1/healthz" | json_field position)
        tallies=$(curl -fsS ${CURL_TLS:-} -H "Authorization: Bearer $2" "$1/v1/tallies" | json_field position)
        [ "$head" = "$tallies" ] && return 0
        sleep 0.2
    done
    fail "the projector did not reach position $head (at $tallies)"
}

# tallies_of URL TOKEN: the city's tallies as one canonical JSON line.
tallies_of() {
    curl -fsS ${CURL_TLS:-} -H "Authorization: Bearer $2" "$1/v1/tallies" |
        python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))'
}

# A station of the demo reference data (NA-235, Karachi East).
DEMO_STATION="NA-235-001"
