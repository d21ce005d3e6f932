#!/usr/bin/env bash
# Checks the systemd units with systemd-analyze (when it is installed), then runs the server the way
# Deploy/fieldsync.service does: its ExecStart line, as an unprivileged user that owns the data folder,
# with the embedded cluster run by that same user, nothing as root. `nobody` stands in for the unit's
# `fieldsync` user. Also: an admin command run as root on that folder leaves it usable by its user, and
# a data folder laid out by the former root unit (cluster run by `postgres`) works once handed to the
# user, as systemd's StateDirectory= does.
#
# Run from anywhere: Deploy/checks/service-user.sh (the runs as another user need root).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if command -v systemd-analyze >/dev/null 2>&1; then
    say "the systemd units pass systemd-analyze verify without a warning"
    mkdir "$WORK/units"
    for unit in fieldsync.service fieldsync-external-db.service fieldsync-migrate.service; do
        sed "s|/usr/local/bin/fieldsync|$FIELDSYNC|g" "$ROOT/Deploy/$unit" >"$WORK/units/$unit"
    done
    (cd "$WORK/units" && systemd-analyze verify --man=no ./*.service) >"$WORK/verify.log" 2>&1 ||
        fail "systemd-analyze verify: $(cat "$WORK/verify.log")"
    [ ! -s "$WORK/verify.log" ] || fail "systemd-analyze verify warns: $(cat "$WORK/verify.log")"
else
    say "systemd-analyze is not installed: the units are not verified"
fi

if [ "$(id -u)" -ne 0 ]; then
    say "service user: OK (units checked; run as root to run the server as another user)"
    exit 0
fi

user=nobody
group=$(id -gn "$user")
# The program, where the unprivileged user can run it.
mkdir -m 0755 "$WORK/bin"
install -m 0755 "$FIELDSYNC" "$WORK/bin/fieldsync"
# A command prefix, not a function: the server's pid is then the program's own.
as_service=(setpriv --reuid="$user" --regid="$group" --clear-groups env HOME=/nonexistent)
owned_by_others() { find "$1" ! -user "$user" -print | head -n 5; }

# The unit's own ExecStart line, with this check's program, folder and port.
data="$WORK/var-lib-fieldsync"
port=$(free_port)
exec_start=$(sed -n 's|^ExecStart=||p' "$ROOT/Deploy/fieldsync.service")
read -r -a command <<<"$exec_start"
[ "${command[0]}" = /usr/local/bin/fieldsync ] || fail "unexpected ExecStart in fieldsync.service: $exec_start"
command[0]="$WORK/bin/fieldsync"
for i in "${!command[@]}"; do
    case "${command[$i]}" in
    /var/lib/fieldsync) command[$i]="$data" ;;
    8080) command[$i]="$port" ;;
    esac
done
[[ " ${command[*]} " == *" $data "* && " ${command[*]} " == *" $port "* ]] ||
    fail "the data folder or port of fieldsync.service's ExecStart changed: $exec_start"
# What StateDirectory=fieldsync with StateDirectoryMode=0700 makes.
mkdir -m 0700 "$data"
chown "$user:$group" "$data"

say "fieldsync.service's command as $user: the server and its cluster run as $user, nothing as root"
start_command service "$port" "${as_service[@]}" "${command[@]}"
api="http://127.0.0.1:$port"
postmaster=$(head -n 1 "$data/postgres/postmaster.pid")
[ "$(ps -o user= -p "$postmaster" | tr -d ' ')" = "$user" ] || fail "PostgreSQL does not run as $user"
[ "$(ps -o user= -p "$PID_service" | tr -d ' ')" = "$user" ] || fail "the server does not run as $user"
[ -z "$(ps -o user= --ppid "$postmaster" | grep -v "^ *$user\$" || true)" ] || fail "a PostgreSQL process runs as another user"
[ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["database"]["user"])' "$data/server.json")" = fieldsync_server ] ||
    fail "the server does not connect as fieldsync_server: $(cat "$data/server.json")"
[ -z "$(owned_by_others "$data")" ] || fail "files in the data folder belong to others: $(owned_by_others "$data")"

say "root runs an admin command on the running server's folder"
editor=$(token_for "$api" "$(enroll_code "$data" editor "Service Editor")")
wait_for_projector "$api" "$editor"
stop_server service

say "root runs an admin command while the server is stopped: the cluster runs as $user, the folder stays $user's"
code=$(enroll_code "$data" auditor "Service Auditor")
[ -z "$(owned_by_others "$data")" ] || fail "root's admin command left files to others: $(owned_by_others "$data")"
start_command service_again "$port" "${as_service[@]}" "${command[@]}"
token_for "$api" "$code" >/dev/null || fail "the code made by root's admin command does not enroll"
stop_server service_again

say "a data folder of the former root unit, handed to $user as systemd does, keeps its log"
old="$WORK/old-layout"
old_port=$(free_port)
mkdir -m 0711 "$old"
start_server root_run "$old" "$old_port" --demo
[ "$(stat -c %U "$old/postgres")" = postgres ] || fail "as root, the cluster of a new folder should run as postgres"
head_before=$(curl -fsS "http://127.0.0.1:$old_port/healthz" | json_field position)
stop_server root_run
chown -R "$user:$group" "$old"
chmod 0700 "$old"
start_command handed_over "$old_port" "${as_service[@]}" "$WORK/bin/fieldsync" serve --data-dir "$old" --host 127.0.0.1 --port "$old_port"
[ "$(curl -fsS "http://127.0.0.1:$old_port/healthz" | json_field position)" = "$head_before" ] ||
    fail "the handed_over folder lost events"
[ "$(ps -o user= -p "$(head -n 1 "$old/postgres/postmaster.pid")" | tr -d ' ')" = "$user" ] ||
    fail "the handed_over cluster does not run as $user"
say "service user: OK (units verified; server and cluster as $user; root's admin commands keep the folder $user's; a root-run folder handed over keeps its $head_before events)"
