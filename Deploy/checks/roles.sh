#!/usr/bin/env bash
# Runs FieldSync against a separately managed PostgreSQL set up with Deploy/postgresql-roles.sql and
# Deploy/postgresql.conf, as Deploy/fieldsync-external-db.service does: the owner role migrates with
# `fieldsync migrate`, the server runs as fieldsync_server, and PostgreSQL refuses the server's role
# every way of changing the log or its guards (each refusal checked by its SQLSTATE); the owner cannot
# switch the append-only triggers off either; the editors' read-only role reads the tally views and
# nothing else.
#
# Run from anywhere: Deploy/checks/roles.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

as_cluster_user() { if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups "$@"; else "$@"; fi; }

cluster="$WORK/pg"
pg_port=$(free_port)
mkdir -m 0700 "$cluster"
mkdir -m 0755 "$WORK/pglog"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$cluster" "$WORK/pglog"; fi
say "a PostgreSQL cluster of our own on port $pg_port, with Deploy/postgresql.conf"
as_cluster_user "$(pg_bin initdb)" --pgdata="$cluster" --username=postgres --auth=trust --encoding=UTF8 >"$WORK/initdb.log"
sed -e 's/^shared_buffers = .*/shared_buffers = 128MB/' -e 's/^effective_cache_size = .*/effective_cache_size = 512MB/' \
    "$ROOT/Deploy/postgresql.conf" | as_cluster_user tee -a "$cluster/postgresql.conf" >/dev/null
as_cluster_user "$(pg_bin pg_ctl)" -D "$cluster" -l "$WORK/pglog/postgres.log" -w \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" start >/dev/null
after_servers_stop() { as_cluster_user "$(pg_bin pg_ctl)" -D "$cluster" -m fast stop >/dev/null 2>&1 || true; }

superuser() { "$(pg_bin psql)" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }
# Run from Deploy/, as the file says: it includes postgresql-events-guard.sql beside it.
(cd "$ROOT/Deploy" && superuser -d postgres -v owner_password="'owner-secret'" -v server_password="'server-secret'" \
    -v reader_password="'reader-secret'" -f postgresql-roles.sql)

owner_url="postgresql://fieldsync_owner:owner-secret@127.0.0.1:$pg_port/fieldsync"
export FIELDSYNC_DATABASE_URL="postgresql://fieldsync_server:server-secret@127.0.0.1:$pg_port/fieldsync"
port=$(free_port)
api="http://127.0.0.1:$port"

say "before the owner migrates, the server's role is refused with what to do"
if "$FIELDSYNC" serve --data-dir "$WORK/early" --port "$port" >"$WORK/early.log" 2>&1; then
    fail "fieldsync serve ran on a database nobody migrated"
fi
grep -q "fieldsync migrate" "$WORK/early.log" || fail "serve did not say to run fieldsync migrate: $(tail -n 2 "$WORK/early.log")"
[ "$(wc -l <"$WORK/early.log")" -le 3 ] || fail "serve's refusal is not short: $(cat "$WORK/early.log")"

say "fieldsync migrate as fieldsync_owner (URL from the environment, as fieldsync-migrate.service passes it)"
FIELDSYNC_OWNER_DATABASE_URL="$owner_url" "$FIELDSYNC" migrate | tee "$WORK/migrate.log"
grep -q "least_privilege" "$WORK/migrate.log" || fail "migrate did not apply the roles' migration"
FIELDSYNC_OWNER_DATABASE_URL="$owner_url" "$FIELDSYNC" migrate | grep -q "up to date" || fail "a second migrate was not a no-op"

say "fieldsync serve as fieldsync_server (URL from the environment, as the systemd unit passes it)"
start_server main "$WORK/data" "$port" --demo
grep -q "can alter the events table" "$WORK/main.log" && fail "the server warns that its role can alter events"
for role in fieldsync_owner fieldsync_server; do
    [ "$(superuser -d fieldsync -At -c "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls FROM pg_roles WHERE rolname = '$role'")" = f ] ||
        fail "the role $role has more rights than it should"
done
[ "$(superuser -d fieldsync -At -c "SELECT tableowner FROM pg_tables WHERE tablename = 'events'")" = fieldsync_owner ] ||
    fail "the migrations did not run as the owner role"
owned=$(superuser -d fieldsync -At -c "SELECT (SELECT count(*) FROM pg_class WHERE relowner = 'fieldsync_server'::regrole)
    + (SELECT count(*) FROM pg_proc WHERE proowner = 'fieldsync_server'::regrole)
    + (SELECT count(*) FROM pg_auth_members WHERE member = 'fieldsync_server'::regrole)")
[ "$owned" = 0 ] || fail "fieldsync_server owns $owned objects or belongs to roles"
editor=$(token_for "$api" "$(enroll_code "$WORK/data" editor "Roles Editor")")
wait_for_projector "$api" "$editor"
seats=$(curl -fsS -H "Authorization: Bearer $editor" "$api/v1/tallies" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["constituencies"]))')
[ "$seats" -gt 0 ] || fail "no constituency tallies from a server run as fieldsync_server"
home="$WORK/reporter"
"$FIELDSYNC" init --server "$api" --code "$(enroll_code "$WORK/data" reporter "Roles Reporter")" --home "$home" >/dev/null
"$FIELDSYNC" record opened --home "$home" --station "$DEMO_STATION" --at 08:10 --time 08:11 --materials complete --staff present >/dev/null
"$FIELDSYNC" record turnout 120 --home "$home" --as-of 10:00 --time 10:01 >/dev/null
"$FIELDSYNC" sync --home "$home" >/dev/null
device=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["device"])' "$home/profile.json")
"$FIELDSYNC" admin revoke "$device" --data-dir "$WORK/data" --reason "left the team" >/dev/null
wait_for_projector "$api" "$editor"
events=$(superuser -d fieldsync -At -c "SELECT count(*) FROM events")

# sql_state ROLE PASSWORD STATEMENT: the SQLSTATE PostgreSQL answers ROLE's STATEMENT with, in a
# transaction that is rolled back ("ok" if it succeeded).
sql_state() {
    local answer
    answer=$(PGPASSWORD="$2" "$(pg_bin psql)" -X -q -At -h 127.0.0.1 -p "$pg_port" -U "$1" -d fieldsync \
        -v ON_ERROR_STOP=1 -v VERBOSITY=sqlstate -c "BEGIN" -c "$3" -c "ROLLBACK" 2>&1 >/dev/null) && { echo ok; return; }
    echo "$answer" | sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\).*/\1/p' | head -n 1
}
expect_state() {
    local state
    state=$(sql_state "$1" "$2" "$4")
    [ "$state" = "$3" ] || fail "$1: expected SQLSTATE $3 for: $4 (got: ${state:-nothing})"
}

say "PostgreSQL refuses fieldsync_server each way of changing the log or its guards (SQLSTATE 42501)"
while IFS= read -r statement; do
    expect_state fieldsync_server server-secret 42501 "$statement"
done <<'EOF'
UPDATE events SET type = 'changed'
DELETE FROM events
TRUNCATE events
ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete
ALTER TABLE events DISABLE TRIGGER ALL
ALTER TABLE events OWNER TO fieldsync_server
DROP TRIGGER events_refuse_truncate ON events
DROP TABLE events
CREATE TRIGGER events_forget BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_refuse_change()
LOCK TABLE events IN ACCESS EXCLUSIVE MODE
SET session_replication_role = replica
CREATE ROLE intruder LOGIN SUPERUSER
GRANT fieldsync_owner TO fieldsync_server
SET ROLE fieldsync_owner
UPDATE event_conflicts SET reason = 'forgotten'
DELETE FROM event_conflicts
UPDATE device_credentials SET revoked_at = NULL, token_hash = token_hash
UPDATE enrollment_codes SET expires_at = now() + interval '1 year'
DELETE FROM schema_migrations
CREATE TABLE shadow_events (LIKE events)
CREATE TEMPORARY TABLE scratch (x int)
DROP EVENT TRIGGER fieldsync_guard_events_triggers
EOF
expect_state fieldsync_server server-secret ok "INSERT INTO event_conflicts (received_at, reason, event_id, device_id, seq, type, subject, observed_time, payload, event_hash, prev_hash, signature) VALUES (now(), 'check', gen_random_uuid(), 'd', 1, 't', 's', 'o', '{}', '', '', '')"
expect_state fieldsync_server server-secret ok "SELECT count(*) FROM events"

say "the owner cannot switch the append-only triggers off or drop them (the guard, SQLSTATE FS002), nor change events (FS001)"
expect_state fieldsync_owner owner-secret FS002 "ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete"
expect_state fieldsync_owner owner-secret FS002 "ALTER TABLE events ENABLE REPLICA TRIGGER events_refuse_truncate"
expect_state fieldsync_owner owner-secret FS002 "DROP TRIGGER events_refuse_truncate ON events"
expect_state fieldsync_owner owner-secret FS002 "DROP TABLE events"
expect_state fieldsync_owner owner-secret FS002 "ALTER TABLE events ALTER COLUMN payload TYPE jsonb USING '{}'::jsonb"
expect_state fieldsync_owner owner-secret FS002 "CREATE OR REPLACE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RETURN NEW; END\$\$"
expect_state fieldsync_owner owner-secret FS001 "DELETE FROM events"
expect_state fieldsync_owner owner-secret 42501 "ALTER EVENT TRIGGER fieldsync_guard_events_triggers DISABLE"
[ "$(superuser -d fieldsync -At -c "SELECT count(*) FROM events")" = "$events" ] || fail "the refused statements changed the log"

say "the read-only role reads the tally views and nothing else"
reader() { PGPASSWORD=reader-secret "$(pg_bin psql)" -X -q -h 127.0.0.1 -p "$pg_port" -U newsroom -d fieldsync -At "$@"; }
views=$(reader -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM constituency_tallies")
[ "$views" -gt 0 ] || fail "the reader sees no constituency tallies"
for forbidden in "SELECT count(*) FROM device_credentials" "SELECT count(*) FROM enrollment_codes" \
    "SELECT count(*) FROM events" "SELECT count(*) FROM tallies"; do
    expect_state newsroom reader-secret 42501 "$forbidden"
done
# Its connections are read-only (25006) before any privilege is even asked for; and it has none to write.
expect_state newsroom reader-secret 25006 "INSERT INTO tallies (kind, key, document, updated_position) VALUES ('x', 'x', '{}', 0)"
[ "$(superuser -d fieldsync -At -c "SELECT has_table_privilege('newsroom', 'tallies', 'INSERT, UPDATE, DELETE')")" = f ] ||
    fail "the reader may write the tallies"
say "roles: OK (owner migrates; server as fieldsync_server: $seats constituencies folded, $events events, every forbidden statement refused; reader: views only)"
