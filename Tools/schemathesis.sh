#!/usr/bin/env bash
# Checks the running server against its API document with schemathesis: requests made from
# Schema/openapi.yaml (valid ones and, in negative mode, invalid ones) must never get a 5xx, and every
# answer must have a documented status, content type and schema.
#
#     Tools/schemathesis.sh                  # about 3 minutes on two cores
#     SCHEMATHESIS_MAX_EXAMPLES=100 SCHEMATHESIS_SEED=7 Tools/schemathesis.sh
#
# Builds nothing: the program is $FIELDSYNC, else the debug build of this checkout. It runs
# `fieldsync serve --demo` on an embedded PostgreSQL in a temporary folder, enrolls an admin device
# (the role that may call every endpoint), and runs schemathesis with its token and a fixed seed.
# Prints one summary line and exits non-zero on any failure. A run whose only errors are schemathesis's
# own (no failed check, no 5xx) is said and made once more, which must pass whole. KEEP=1 keeps the
# folder (server log, schemathesis's JUnit, NDJSON and JSON reports).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FIELDSYNC="${FIELDSYNC:-$(cd "$ROOT" && swift build --show-bin-path)/fieldsync}"
[ -x "$FIELDSYNC" ] || { echo "no fieldsync program at $FIELDSYNC: run swift build first" >&2; exit 1; }
# Run as a module of the python3 it was installed for, whatever PATH holds.
python3 -c "import schemathesis" 2>/dev/null || { echo "schemathesis is not installed: run Tools/install-prerequisites.sh" >&2; exit 1; }

# Test cases per operation and phase, and the seed of their generation. schemathesis also reuses
# values from the server's answers (the ids of devices it enrolled), so two runs with one seed may
# differ by a few cases.
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
SEED="${SCHEMATHESIS_SEED:-20240208}"
CHECKS="not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"

WORK="$(mktemp -d -t fieldsync-schemathesis.XXXXXX)"
chmod 0755 "$WORK"
SERVER_PID=""
cleanup() {
    local status=$?
    if [ -n "$SERVER_PID" ]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ "$status" -ne 0 ] && [ -f "$WORK/serve.log" ]; then
        echo "--- the server's last lines ($WORK/serve.log):" >&2
        tail -n 20 "$WORK/serve.log" >&2
    fi
    cd /
    [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
api="http://127.0.0.1:$port"

started=$(date +%s)
"$FIELDSYNC" serve --demo --port "$port" --data-dir "$WORK/data" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
    curl -fsS "$api/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "fieldsync serve exited" >&2; exit 1; }
    sleep 0.2
done
curl -fsS "$api/healthz" >/dev/null || { echo "fieldsync serve did not become healthy in 120 s" >&2; exit 1; }

code=$("$FIELDSYNC" admin enroll --data-dir "$WORK/data" --role admin --name "Schemathesis" --json | json_field code)
token=$(curl -fsS -X POST -H 'Content-Type: application/json' --data "{\"code\":\"$code\"}" "$api/v1/enroll" |
    json_field token)

# GET /v1/live is left out: its 200 is a stream that stays open until the client leaves, which
# schemathesis would wait on until its timeout. POST /v1/token is left out: its 200 replaces the token
# the run sends, and every later call would be refused. Their refusals are covered by the Swift tests.
# Stateful testing is left out too: the document declares no links between operations, so it would
# have nothing to chain.
# Run from the temporary folder: schemathesis keeps caches (failures to try first next time) in the
# working directory, and each run must start from nothing to be reproducible.
cd "$WORK"
# One run of schemathesis, its reports in $WORK/report-$1; prints the summary line. Returns 0 when it
# passed, 1 on any finding about the API (a failed check, a 5xx), and 2 when its only errors are its own
# (the tool crashing on a case, as CPython's "AST constructor recursion depth mismatch" once did).
run_schemathesis() {
    local report="$WORK/report-$1" exit_code
    set +e
    python3 -m schemathesis.cli run "$ROOT/Schema/openapi.yaml" \
        --url "$api" \
        --header "Authorization: Bearer $token" \
        --checks "$CHECKS" \
        --phases examples,coverage,fuzzing \
        --exclude-path /v1/live \
        --exclude-path /v1/token \
        --max-examples "$MAX_EXAMPLES" \
        --seed "$SEED" \
        --generation-database none \
        --workers 2 \
        --request-timeout 30 \
        --no-color \
        --report junit,ndjson,json \
        --report-dir "$report" \
        --report-json-path "$report/run.json" \
        >"$WORK/schemathesis-$1.log" 2>&1
    exit_code=$?
    set -e
    python3 - "$report" "$exit_code" "$(($(date +%s) - started))" <<'EOF' || return $?
import glob, json, sys

report, exit_code, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
run = json.load(open(f"{report}/run.json"))
server_errors = 0
for path in glob.glob(f"{report}/*.ndjson"):
    for line in open(path):
        finished = json.loads(line).get("ScenarioFinished") if line.strip() else None
        if not finished:
            continue
        for interaction in ((finished.get("recorder") or {}).get("interactions") or {}).values():
            status = (interaction.get("response") or {}).get("status_code")
            if isinstance(status, int) and status >= 500:
                server_errors += 1
cases = run["test_cases"]
failures = sum(group["count"] for group in run["failures"])
errors = sum(group["count"] for group in run["errors"])
print(
    f"schemathesis: {cases['generated']} cases generated, {cases['with_failures']} with failures"
    f" ({failures} failures, {errors} errors), {server_errors} 5xx, {seconds} s"
    f" (seed {run['seed']}, exit {exit_code})")
for group in run["failures"]:
    print(f"  {group['title']} ({group['type']}): {group['count']} in {', '.join(group['operations'])}")
for group in run["errors"]:
    print(f"  error: {group['title']}: {group['count']}")
if failures or server_errors or (exit_code != 0 and not errors):
    sys.exit(1)
sys.exit(2 if errors else 0)
EOF
}

status=0
run_schemathesis 1 || status=$?
if [ "$status" -eq 2 ]; then
    # Not a finding about the API: its words are shown, and the same run is made once more, which must
    # pass whole.
    grep -E "Error" "$WORK/schemathesis-1.log" | head -n 5 >&2 || true
    echo "schemathesis failed on its own, with no finding about the API: running it once more" >&2
    started=$(date +%s)
    status=0
    run_schemathesis 2 || status=$?
fi
if [ "$status" -ne 0 ]; then
    last=1
    [ -f "$WORK/schemathesis-2.log" ] && last=2
    tail -n 80 "$WORK/schemathesis-$last.log" >&2
    exit 1
fi
