#!/usr/bin/env bash
# Backs up a running FieldSync service with data, wipes it, restores it, and checks the restored log
# with `fieldsync audit verify` and the restored tallies against the ones taken before the wipe.
#
# Two kinds of backup, as in Deploy/backup.md:
#   1. a base backup (pg_basebackup) plus WAL archiving: events synced AFTER the base backup come
#      back from the archived WAL (point-in-time recovery to the end of the archive);
#   2. a logical dump (pg_dump), restored into a new database owned by fieldsync_owner and served by a
#      second server that connects as fieldsync_server, as the first does.
#
# Run as root or as a normal user, from anywhere: Deploy/checks/backup-restore.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

data="$WORK/data"
archive="$WORK/wal-archive"
port=$(free_port)
api="http://127.0.0.1:$port"
mkdir -p "$archive"
cluster_user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then cluster_user=postgres; chown postgres "$archive"; fi

say "starting a service with the demo reference data"
start_server main "$data" "$port" --demo

database_port() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["database"]["port"])' "$data/server.json"; }
psql_admin() {
    PGPASSWORD="$(cat "$data/postgres-password")" "$(pg_bin psql)" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 \
        -p "$(database_port)" -U fieldsync -d fieldsync "$@"
}

say "turning on WAL archiving (archive_mode needs a restart)"
psql_admin -c "ALTER SYSTEM SET archive_mode = on" \
    -c "ALTER SYSTEM SET archive_command = 'test ! -f $archive/%f && cp %p $archive/%f'"
stop_server main
start_server main "$data" "$port"
[ "$(psql_admin -At -c 'SHOW archive_mode')" = on ] || fail "archive_mode is not on after the restart"

say "a reporter records and syncs the morning"
home="$WORK/reporter"
"$FIELDSYNC" init --server "$api" --code "$(enroll_code "$data" reporter "Backup Reporter")" --home "$home" >/dev/null
"$FIELDSYNC" record opened --home "$home" --station "$DEMO_STATION" --at 08:10 --time 08:11 --materials complete --staff present >/dev/null
"$FIELDSYNC" record turnout 120 --home "$home" --as-of 10:00 --time 10:01 >/dev/null
"$FIELDSYNC" record turnout 260 --home "$home" --as-of 12:00 --time 12:01 >/dev/null
"$FIELDSYNC" sync --home "$home" >/dev/null
auditor=$(token_for "$api" "$(enroll_code "$data" auditor "Backup Auditor")")

say "base backup (pg_basebackup, WAL from the archive) and logical dump (pg_dump)"
PGPASSWORD="$(cat "$data/postgres-password")" "$(pg_bin pg_basebackup)" -h 127.0.0.1 -p "$(database_port)" \
    -U fieldsync -D "$WORK/base" -Ft -z -X none --checkpoint=fast
PGPASSWORD="$(cat "$data/postgres-password")" "$(pg_bin pg_dump)" -h 127.0.0.1 -p "$(database_port)" \
    -U fieldsync --format=custom --file "$WORK/fieldsync.dump" fieldsync

say "the reporter records and syncs the afternoon (after the base backup: only the WAL has it)"
"$FIELDSYNC" record turnout 410 --home "$home" --as-of 15:00 --time 15:01 >/dev/null
"$FIELDSYNC" record incident violence --home "$home" --severity high --time 15:20 "Clash outside gate 2" >/dev/null
# The Form-45 with its photo: the photo's bytes live in the database too, so the backup must bring it back.
printf '\377\330\377\340' >"$WORK/form45.jpg"
head -c 300000 /dev/urandom >>"$WORK/form45.jpg"
votes=$(python3 -c 'import json, sys
lines = [json.loads(line) for line in open(sys.argv[1])]
print(" ".join(e["data"]["id"] + "=10" for e in lines
               if e["type"] == "fieldsync.candidate.defined.v1" and e["data"]["constituency"] == "NA-235"))' \
    "$home/reference.ndjson")
# shellcheck disable=SC2086
"$FIELDSYNC" record result --home "$home" --seat NA-235 $votes --rejected 3 --time 17:40 \
    --photo "$WORK/form45.jpg" >/dev/null
"$FIELDSYNC" sync --home "$home" >/dev/null
photo=$(sha256sum "$WORK/form45.jpg" | cut -d' ' -f1)
wait_for_projector "$api" "$auditor"
psql_admin -At -c "SELECT pg_switch_wal()" >/dev/null
last_wal=$(psql_admin -At -c "SELECT pg_walfile_name(pg_current_wal_lsn())")
for _ in $(seq 1 100); do
    archived=$(psql_admin -At -c "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
    [[ "$archived" > "$last_wal" || "$archived" == "$last_wal" ]] && break
    sleep 0.2
done
before_tallies=$(tallies_of "$api" "$auditor")
before_events=$(psql_admin -At -c "SELECT count(*) FROM events")
"$FIELDSYNC" audit export --server "$api" --token "$auditor" --out "$WORK/before.ndjson" 2>/dev/null
stop_server main

say "wiping the cluster ($before_events events) and restoring the base backup with the archived WAL"
rm -rf "$data/postgres"
mkdir -m 0700 "$data/postgres"
tar -xzf "$WORK/base/base.tar.gz" -C "$data/postgres"
touch "$data/postgres/recovery.signal"
# hot_standby off: the cluster opens only once recovery is complete and it is promoted, so the server
# never meets a read-only database.
printf "restore_command = 'cp %s/%%f %%p'\nhot_standby = off\n" "$archive" >>"$data/postgres/postgresql.auto.conf"
[ "$cluster_user" = postgres ] && chown -R postgres: "$data/postgres"
start_server main "$data" "$port"
after_events=$(psql_admin -At -c "SELECT count(*) FROM events")
[ "$after_events" = "$before_events" ] || fail "restored $after_events events, expected $before_events"
wait_for_projector "$api" "$auditor"
[ "$(tallies_of "$api" "$auditor")" = "$before_tallies" ] || fail "the restored tallies differ from the ones before"
"$FIELDSYNC" audit export --server "$api" --token "$auditor" --out "$WORK/restored.ndjson" 2>/dev/null
"$FIELDSYNC" audit verify "$WORK/restored.ndjson"
cmp -s <(grep -v chain-head "$WORK/before.ndjson") <(grep -v chain-head "$WORK/restored.ndjson") ||
    fail "the restored log's events differ from the ones exported before the wipe"
curl -fsS -H "Authorization: Bearer $auditor" -o "$WORK/restored-form45.jpg" "$api/v1/photos/$photo" ||
    fail "the restored server does not serve the photo synced after the base backup"
cmp -s "$WORK/form45.jpg" "$WORK/restored-form45.jpg" || fail "the restored photo differs from the one synced"
say "base backup + WAL: $after_events events and the photo back, tallies equal, audit verify passes"

say "restoring the logical dump into a new database, served by a second server with the same key"
psql_admin -c "CREATE DATABASE fieldsync_restored OWNER fieldsync_owner"
PGPASSWORD="$(cat "$data/postgres-password")" "$(pg_bin pg_restore)" -h 127.0.0.1 -p "$(database_port)" \
    -U fieldsync --dbname fieldsync_restored --exit-on-error "$WORK/fieldsync.dump"
second="$WORK/second"
mkdir -m 0700 "$second"
cp -p "$data/server-key.pem" "$second/"
second_port=$(free_port)
start_server second "$second" "$second_port" --database-url \
    "postgresql://fieldsync_server:$(cat "$data/postgres-server-password")@127.0.0.1:$(database_port)/fieldsync_restored"
grep -q "can alter the events table" "$WORK/second.log" && fail "the restored database's server role can alter events"
[ "$(psql_admin -d fieldsync_restored -At -c "SELECT tableowner FROM pg_tables WHERE tablename = 'events'")" = fieldsync_owner ] ||
    fail "the restored tables do not belong to fieldsync_owner"
[ "$(psql_admin -d fieldsync_restored -At -c "SELECT count(*) FROM pg_event_trigger WHERE evtname LIKE 'fieldsync_guard_%'")" = 3 ] ||
    fail "the restored database lacks the guard on the append-only triggers"
second_api="http://127.0.0.1:$second_port"
"$FIELDSYNC" audit export --server "$second_api" --token "$auditor" --out "$WORK/dump.ndjson" 2>/dev/null
"$FIELDSYNC" audit verify "$WORK/dump.ndjson"
dump_events=$(grep -vc chain-head "$WORK/dump.ndjson")
cmp -s <(grep -v chain-head "$WORK/dump.ndjson") <(head -n "$dump_events" "$WORK/before.ndjson") ||
    fail "the dump's events are not the first $dump_events events of the log"
say "logical dump: $dump_events events (the morning) back, audit verify passes"
say "backup and restore: OK"
