#!/usr/bin/env bash
# Runs FieldSync against a separately managed PostgreSQL set up with Deploy/postgresql-roles.sql and
# Deploy/postgresql.conf: the service works without being a superuser, and the editors' read-only role
# reads the tally views and nothing else.
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
superuser -d postgres -v service_password="'service-secret'" -v reader_password="'reader-secret'" \
    -f "$ROOT/Deploy/postgresql-roles.sql"

say "fieldsync serve as the role fieldsync (URL from the environment, as the systemd unit passes it)"
export FIELDSYNC_DATABASE_URL="postgresql://fieldsync:service-secret@127.0.0.1:$pg_port/fieldsync"
port=$(free_port)
api="http://127.0.0.1:$port"
start_server main "$WORK/data" "$port" --demo
[ "$(superuser -d fieldsync -At -c "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = 'fieldsync'")" = f ] ||
    fail "the service's role has more rights than it should"
[ "$(superuser -d fieldsync -At -c "SELECT tableowner FROM pg_tables WHERE tablename = 'events'")" = fieldsync ] ||
    fail "the migrations did not run as the service's role"
editor=$(token_for "$api" "$(enroll_code "$WORK/data" editor "Roles Editor")")
wait_for_projector "$api" "$editor"
seats=$(curl -fsS -H "Authorization: Bearer $editor" "$api/v1/tallies" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["constituencies"]))')
[ "$seats" -gt 0 ] || fail "no constituency tallies from a server run without superuser"

say "the read-only role reads the tally views and nothing else"
reader() { PGPASSWORD=reader-secret "$(pg_bin psql)" -X -q -h 127.0.0.1 -p "$pg_port" -U newsroom -d fieldsync -At "$@"; }
views=$(reader -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM constituency_tallies")
[ "$views" -gt 0 ] || fail "the reader sees no constituency tallies"
for forbidden in "SELECT count(*) FROM device_credentials" "SELECT count(*) FROM enrollment_codes" \
    "INSERT INTO tallies (kind, key, document, updated_position) VALUES ('x', 'x', '{}', 0)" \
    "SELECT count(*) FROM events"; do
    if reader -v ON_ERROR_STOP=1 -c "$forbidden" >/dev/null 2>&1; then fail "the reader may: $forbidden"; fi
done
say "roles: OK (service without superuser: $seats constituencies folded; reader: views only)"
