#!/usr/bin/env bash
# Runs every benchmark of FieldSync in release mode, one after the other in one run, and prints one
# table of their figures. Each benchmark compares itself with a reference measured in the same run
# (OpenSSL's Ed25519 verify rate, raw COPY, one SQL query), so the ratios hold on a shared machine
# where absolute rates do not.
#
#     Tools/benchmark.sh            # the sizes of the issues: a million events, 5,000 live streams (about
#                                   # 17 minutes on 2 cores after the release build, 9 of them the memory
#                                   # benchmark's), and the memory benchmark again at 3,000,000 events
#                                   # (about three times as long as at a million)
#     Tools/benchmark.sh --quick    # smaller sizes, for a first look
#     Tools/benchmark.sh --table    # the table of the last run again, without running anything
#     Tools/benchmark.sh --proof-events 1000000   # the proofs at a million events (100,000 by default)
#     Tools/benchmark.sh --only proof,audit       # only these benchmarks (the others' rows keep their
#                                                 # last figures)
#     Tools/benchmark.sh --only roster            # the national roster: 181,350 reporters enrolled over
#                                                 # HTTP (about half an hour on 2 cores; only when named)
#
# Each benchmark's full output is kept in .build/benchmarks/<name>.txt. `fieldsync audit verify` runs the
# program FIELDSYNC_BINARY names when it is set (another build, to compare), else the one built here.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
table_only=0
proof_events=
only=
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1 ;;
    --table) table_only=1 ;;
    --proof-events) proof_events=${2:?--proof-events needs a number of events}; shift ;;
    --only) only=${2:?--only needs benchmark names, such as proof,audit}; shift ;;
    *) echo "unknown option '$1' (allowed: --quick, --table, --proof-events N, --only NAMES)" >&2; exit 64 ;;
    esac
    shift
done
if [ $quick = 1 ]; then
    store_args=(50000 500); tally_args=(200000 1000); projector_args=(100000 2000 10); server_args=(8 2 500)
    memory_args=(100000); memory_large_args=(300000); live_args=(500 500 10); audit_events=50000; photo_args=(20 2000000 10)
    proof_args=(${proof_events:-20000} 500)
    national_stations=200
else
    store_args=(200000 500); tally_args=(1000000 1000); projector_args=(1000000 5000 30); server_args=(16 4 500)
    memory_args=(1000000); memory_large_args=(3000000); live_args=(5000 2000 30); audit_events=200000; photo_args=(100 2000000 20)
    proof_args=(${proof_events:-100000} 2000)
    # A slice of the national day: 2,000 of the 90,675 stations, from every seat in turn, two reporters each.
    # FIELDSYNC_NATIONAL_STATIONS=90675 plays the whole country (about 80 minutes on 2 cores: 10 of enrollments,
    # 70 of pushes).
    national_stations=2000
fi
national_stations=${FIELDSYNC_NATIONAL_STATIONS:-$national_stations}

out=.build/benchmarks
mkdir -p "$out"

# Whether the benchmark `name` runs in this run (all of them without --only); `--only memory` runs
# memory-large too.
chosen() {
    [ -z "$only" ] || [[ ",$only," == *",$1,"* || ",$only," == *",${1%%-*},"* ]]
}

run() {
    local name=$1
    shift
    chosen "$name" || return 0
    echo "== $name: $*" >&2
    "$bin/$@" 2>&1 | tee "$out/$name.txt" >&2
}

# `fieldsync audit verify` of a signed log on every core, against `openssl speed -multi <cores>` Ed25519
# verify in the same run. The log (the whole Karachi reference data, a reporter per station, a day of
# turnout counts) is written once by the test that generates it, and kept in $out.
audit_verify() {
    local log=$out/audit-verify-$audit_events.ndjson cores rate openssl since full fieldsync
    chosen audit || return 0
    cores=$(nproc)
    fieldsync=${FIELDSYNC_BINARY:-$bin/fieldsync}
    if [ ! -s "$log" ] || [ ! -s "$log.since.json" ]; then
        FIELDSYNC_AUDIT_SPEED_EVENTS=$audit_events FIELDSYNC_AUDIT_SPEED_FILE=$PWD/$log \
            swift test --filter VerifySpeedTests >/dev/null
    fi
    echo "== audit: fieldsync audit verify $log" >&2
    "$fieldsync" audit verify "$log" >"$out/audit.txt" 2>&1
    rate=$(sed -nE 's/.* ([0-9]+) events\/s\.$/\1/p' "$out/audit.txt")
    # Again since a verified tree head of the first nine tenths (written beside the log by the same test).
    "$fieldsync" audit verify "$log" --since "$log.since.json" >"$out/audit-since.txt" 2>&1
    since=$(sed -nE 's/.* ([0-9.]+) s, [0-9]+ events\/s\.$/\1/p' "$out/audit-since.txt")
    full=$(sed -nE 's/.* ([0-9.]+) s, [0-9]+ events\/s\.$/\1/p' "$out/audit.txt")
    openssl=$(openssl speed -multi "$cores" -seconds 5 -mr ed25519 2>/dev/null | grep '^+F6:' | tail -1 |
        awk -F: '{print $NF}')
    {
        echo "audit verify ($fieldsync) on $cores cores: $rate events/s"
        echo "openssl speed -multi $cores ed25519: $openssl verify/s"
        echo "ratio audit verify / openssl verify, every core: $(awk -v a="$rate" -v b="$openssl" \
            'BEGIN { printf "%.2f", a / b }') (goal ≥ 0.8)"
        echo "audit verify --since the head of nine tenths: $since s, the whole log $full s"
    } | tee -a "$out/audit.txt" >&2
}

# A national simulated day's slice: `fieldsync serve --demo pakistan` (its reference data loaded, timed),
# then `fieldsync simulate --json` over every seat with $national_stations stations. Reports the load (wall
# clock, and the server's CPU time, which a busy machine moves less), the server's memory idle once the
# projector has folded the reference data and the allocator has been trimmed, the ingest rate with the
# server's CPU time per event, the memory after the day (now and at its peak) and how long the tallies took
# to catch up once the last push was answered (the projector's lag, read from the metrics every 100 ms).
national() {
    local folder port metrics pid lag_start lag_seconds cpu_loaded cpu_before cpu_after idle
    chosen national || return 0
    folder=$(mktemp -d)
    chmod 755 "$folder" # the embedded PostgreSQL runs as its own user
    read -r port metrics < <(python3 -c 'import socket
ports = []
for _ in range(2):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); ports.append(s)
print(*(s.getsockname()[1] for s in ports))')
    echo "== national: serve --demo pakistan, simulate --stations $national_stations" >&2
    "$bin/fieldsync" serve --demo pakistan --data-dir "$folder" --port "$port" \
        --metrics-address "127.0.0.1:$metrics" >"$out/national-serve.txt" 2>&1 &
    pid=$!
    until grep -q 'Enroll a reporter' "$out/national-serve.txt"; do
        kill -0 $pid 2>/dev/null || { cat "$out/national-serve.txt" >&2; return 1; }
        sleep 1
    done
    cpu_loaded=$(national_cpu $pid)
    national_caught_up "$metrics"
    sleep 11 # the server hands freed memory back every 10 s
    idle=$(national_memory $pid)
    cpu_before=$(national_cpu $pid)
    "$bin/fieldsync" simulate --data-dir "$folder" --stations "$national_stations" \
        --reporters $((national_stations * 2)) --seed 1 --json >"$out/national.json" 2>"$out/national.txt"
    cpu_after=$(national_cpu $pid)
    lag_start=$(date +%s.%N)
    national_caught_up "$metrics"
    lag_seconds=$(awk -v a="$lag_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    {
        sed -nE "s/^Loaded the (.*) demo reference data: ([0-9]+) events in ([0-9.]+) s\.$/reference load: \2 events in \3 s (server CPU, with its start, $cpu_loaded s)/p" \
            "$out/national-serve.txt"
        echo "national server memory idle after the load: $idle"
        python3 -c 'import json, sys
day = json.load(open(sys.argv[1]))
cpu = float(sys.argv[2]) - float(sys.argv[3])
print("national ingest: %d events/s, %d events in %d pushes by %d reporters in %.1f s (enrolled before in %.1f s), %d refused; server CPU %.0f s, %.2f ms an event" % (
    day["eventsPerSecond"], day["events"], day["pushes"], day["reporters"], day["milliseconds"] / 1000,
    day["enrollmentMilliseconds"] / 1000, day["refused"], cpu, 1000 * cpu / max(1, day["events"])))' \
            "$out/national.json" "$cpu_after" "$cpu_before"
        echo "national server memory: $(national_memory $pid)"
        echo "national tallies caught up: $lag_seconds s after the last push"
    } | tee -a "$out/national.txt" >&2
    kill -TERM $pid
    wait $pid || true
    rm -rf "$folder"
}

# The CPU seconds (user and system) process $1 has used.
national_cpu() {
    awk -v tick="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / tick}' "/proc/$1/stat"
}

# Process $1's resident memory, now and at its peak.
national_memory() {
    awk '/^VmRSS/ {r=$2} /^VmHWM/ {h=$2} END {printf "%.0f MiB, peak %.0f MiB", r/1024, h/1024}' "/proc/$1/status"
}

# Waits until the projector of the server whose metrics listen on port $1 has folded every event.
national_caught_up() {
    local lag=1
    while [ "$lag" != 0 ]; do
        lag=$(curl -s "http://127.0.0.1:$1/metrics" | awk '/^fieldsync_projector_lag_events / {print ($2 > 0) ? $2 : 0}')
        lag=${lag:-1}
        sleep 0.1
    done
}

if [ $table_only = 0 ]; then
    swift build -c release >/dev/null
    bin=$(swift build -c release --show-bin-path)
    run model model-benchmark
    run store store-benchmark "${store_args[@]}"
    run tally tally-benchmark "${tally_args[@]}"
    run projector projector-benchmark "${projector_args[@]}"
    run server server-benchmark "${server_args[@]}"
    run sync sync-benchmark
    run memory memory-benchmark "${memory_args[@]}"
    run memory-large memory-benchmark "${memory_large_args[@]}"
    run live live-benchmark "${live_args[@]}"
    audit_verify
    run photo photo-benchmark "${photo_args[@]}"
    run proof proof-benchmark "${proof_args[@]}"
    national
    # The whole national roster, only when named: half an hour of enrollments.
    [ -z "$only" ] || run roster roster-benchmark
fi

# One line of a benchmark's output, found by a pattern; "—" when it printed none.
pick() {
    local line
    line=$(grep -m1 -E "$2" "$out/$1.txt" 2>/dev/null |
        sed -E 's/^[^:0-9]*: +//; s/ *\(goal[^)]*\)//; s/; goal:.*//; s/ +/ /g')
    echo "${line:-—}"
}

cat <<EOF

| measure | figure (this run) | goal |
|---|---|---|
| event model: parse + validate + hash + verify vs \`openssl\` Ed25519 verify | $(pick model 'ratio, full path') | ≥ 0.8 |
| an enrolled reporter's device, assigned to a station, in the server's and the fold's reference data (resident memory each, over 50,000), and what verifying a signature by each added | $(pick model '^enrolled and assigned device') | — |
| store append vs raw COPY (same batches) | $(pick store 'ratio store API / raw COPY \(same') | — |
| store append rate | $(pick store 'store API') | — |
| store append with the Merkle tree vs without | $(pick store 'ratio with tree') | ≥ 0.95 |
| tally fold in memory | $(pick tally '^ *fold: ') | — |
| tally replay of a whole log | $(pick tally 'replay in one batch') | — |
| seat answers folded in memory from the memory benchmark's day (\`tally-benchmark\`): the largest, and all of them | $(pick tally '^seat documents:') | largest ≤ 500 KB |
| projector rebuild from PostgreSQL | $(pick projector '^rebuild of') | — |
| one SQL query over the same events (the floor) | $(pick projector '^SQL floor') | — |
| projector rebuild vs the floor | $(pick projector 'ratio rebuild') | ≤ 5 (long-run 3) |
| reading alone: the rebuild's columns of every event into the process, nothing decoded, vs the floor | $(pick projector '^reading alone') | — |
| city tally as of a random past time over the projector's log, folded station by station without HTTP, kept between requests as the server keeps it: p50 (vs the floor) and max | $(pick projector '^time travel by time') | ≤ 1 s p50 |
| city tally as of a random past position over that log after its rebuild (one snapshot, at the head) | $(pick projector '^time travel by position') | ≤ 1 s p50 |
| projector live lag, steady appends | $(pick projector 'live lag') | p99 ≤ 250 ms at 5,000 events/s |
| HTTP ingest, concurrent reporters | $(pick server 'server throughput') | — |
| HTTP ingest vs \`openssl speed\` Ed25519 verify | $(pick server 'ratio, events/s') | ≥ 0.6 |
| 10,000-event backlog sync over loopback | $(pick sync '^best') | < 3 s |
| \`audit verify\` on every core vs \`openssl speed -multi\` Ed25519 verify | $(pick audit '^ratio audit') | ≥ 0.8 |
| 10,000-event bundle imported, and pushed, vs the same number synced | $(pick sync '^ratio sync / bundle') | ≥ 1 |
| server memory at ${memory_args[0]} events | $(pick memory '^server memory:') | ≤ 300 MB |
| restart on that log to live tallies | $(pick memory '^restart to live tallies') | ≤ 3 s |
| seat documents at that size: the largest, and all of them | $(pick memory '^seat documents:') | largest ≤ 500 KB |
| city tally as of a random past position on that log (\`serve --snapshot-every\`): p50, p99, server memory before and after | $(pick memory 'random past positions') | ≤ 1 s p50, flat memory |
| city tally as of a random past time on that log | $(pick memory 'random past times') | ≤ 1 s p50, flat memory |
| server memory at ${memory_large_args[0]} events | $(pick memory-large '^server memory:') | ≤ 300 MB, flat |
| restart on that log to live tallies | $(pick memory-large '^restart to live tallies') | ≤ 3 s |
| live streams held: server memory per stream | $(pick live 'memory per stream') | — |
| live streams: from an append to every stream's update | $(pick live "every stream's update") | — |
| seat page for an editor meanwhile | $(pick live '^seat page') | p99 < 200 ms |
| photo burst (100 reporters, a 2 MB photo per Form-45): last event before the first photo | $(pick photo '^events first') | yes |
| one 2 MB photo: \`fieldsync sync\` vs \`curl\` PUT | $(pick photo '^one photo') | ≥ 0.8 |
| inclusion proof over HTTP, random positions: latency and answer | $(pick proof '^inclusion proofs') | p99 < 10 ms |
| consistency proof over HTTP, random pairs: latency and answer | $(pick proof '^consistency proofs') | p99 < 10 ms |
| \`fieldsync status --prove\`, a reporter's 200 events: bytes on the wire | $(pick proof '^status --prove bytes') | kilobytes |
| \`serve --demo pakistan\`: the national reference data loaded | $(pick national '^reference load') | — |
| national day: server memory idle after the load | $(pick national '^national server memory idle') | ≤ 300 MB |
| national day, $national_stations stations from every seat: ingest | $(pick national '^national ingest') | — |
| national day: server memory after it | $(pick national '^national server memory:') | ≤ 300 MB |
| national day: tallies caught up after the last push | $(pick national '^national tallies') | — |
| national roster (\`--only roster\`): enrollments over HTTP | $(pick roster '^enrolled [0-9]+ reporters') | — |
| national roster: server memory after the enrollments, and after a restart | $(pick roster '^after the roster'); $(pick roster '^national roster') | ≤ 300 MB |

Measured $(date -u -r "$out/model.txt" +%Y-%m-%d) on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //').
EOF
