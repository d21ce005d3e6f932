#!/usr/bin/env bash
# Puts nginx with TLS (Deploy/nginx-fieldsync.conf, a self-signed certificate) in front of a FieldSync
# server on loopback, then enrolls a reporter, records and syncs through it, and checks what the
# proxy must not break: the signed receipts, the live stream (no buffering), the redirect to HTTPS; and
# what it must add: a burst of enrollment attempts from one address is refused with 429.
#
# Needs nginx and openssl (Tools/install-prerequisites.sh installs them as root).
# Run from anywhere: Deploy/checks/tls.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || fail "nginx is not installed (apt-get install nginx)"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

data="$WORK/data"
port=$(free_port)
tls_port=$(free_port)
http_port=$(free_port)
api="https://localhost:$tls_port"

say "starting a service with the demo reference data on 127.0.0.1:$port"
start_server main "$data" "$port" --demo

say "a self-signed certificate for localhost"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$WORK/tls.key" -out "$WORK/tls.pem" 2>/dev/null

say "nginx on https://localhost:$tls_port with the shipped site configuration"
mkdir -p "$WORK/nginx-temp"
chmod 0777 "$WORK/nginx-temp"
sed -e "s|listen 443 ssl http2;|listen 127.0.0.1:$tls_port ssl http2;|" \
    -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
    -e "s|fieldsync.example.org|localhost|g" \
    -e "s|/etc/letsencrypt/live/localhost/fullchain.pem|$WORK/tls.pem|" \
    -e "s|/etc/letsencrypt/live/localhost/privkey.pem|$WORK/tls.key|" \
    -e "s|http://127.0.0.1:8080|http://127.0.0.1:$port|g" \
    "$ROOT/Deploy/nginx-fieldsync.conf" >"$WORK/site.conf"
grep -q "127.0.0.1:$port" "$WORK/site.conf" || fail "the site configuration was not rendered"
cat >"$WORK/nginx.conf" <<EOF
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx.log warn;
events { worker_connections 256; }
http {
    access_log $WORK/nginx-access.log;
    client_body_temp_path $WORK/nginx-temp/body;
    proxy_temp_path $WORK/nginx-temp/proxy;
    fastcgi_temp_path $WORK/nginx-temp/fastcgi;
    uwsgi_temp_path $WORK/nginx-temp/uwsgi;
    scgi_temp_path $WORK/nginx-temp/scgi;
    include $WORK/site.conf;
}
EOF
"$NGINX" -t -c "$WORK/nginx.conf" -e "$WORK/nginx.log" >/dev/null 2>&1 ||
    fail "nginx refuses the configuration: $("$NGINX" -t -c "$WORK/nginx.conf" -e "$WORK/nginx.log" 2>&1 | tail -n 2)"
"$NGINX" -c "$WORK/nginx.conf" -e "$WORK/nginx.log" &
SERVER_PIDS+=($!)
CURL_TLS="--cacert $WORK/tls.pem"
for _ in $(seq 1 100); do curl -fsS $CURL_TLS "$api/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS $CURL_TLS "$api/healthz" >/dev/null || fail "no answer through nginx at $api/healthz"

say "plain HTTP is redirected to HTTPS"
redirect=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://localhost:$http_port/v1/events")
[[ "$redirect" == "301 https://localhost/v1/events" ]] || fail "expected a 301 to https, got: $redirect"

say "an untrusted certificate is refused by the reporter's program"
if "$FIELDSYNC" init --server "$api" --code "$(enroll_code "$data" reporter "Refused")" --home "$WORK/untrusted" \
    >"$WORK/untrusted.log" 2>&1; then
    fail "init trusted a self-signed certificate it was not given"
fi

say "a reporter enrolls, records and syncs through TLS"
home="$WORK/reporter"
"$FIELDSYNC" init --server "$api" --code "$(enroll_code "$data" reporter "TLS Reporter")" --home "$home" \
    --ca-certificate "$WORK/tls.pem" >/dev/null
"$FIELDSYNC" record opened --home "$home" --station "$DEMO_STATION" --at 08:05 --time 08:06 --materials complete --staff present >/dev/null
for hour in 09 10 11 12 13 14 15 16; do
    "$FIELDSYNC" record turnout $((10#$hour * 30)) --home "$home" --as-of "$hour:00" --time "$hour:02" >/dev/null
done
"$FIELDSYNC" sync --home "$home" --json >"$WORK/sync.json"
pushed=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("appended", d.get("pushed", 0)))' "$WORK/sync.json")
[ "$pushed" = 9 ] || fail "the sync through TLS pushed $pushed events, expected 9: $(cat "$WORK/sync.json")"
[ "$(wc -l <"$home/receipts.ndjson")" -ge 1 ] || fail "no signed receipt kept"

editor=$(token_for "$api" "$(enroll_code "$data" editor "TLS Editor")")
device=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["device"])' "$home/profile.json")
head_seq=$(curl -fsS $CURL_TLS -H "Authorization: Bearer $editor" "$api/v1/devices/$device/head" | json_field seq)
[ "$head_seq" = 9 ] || fail "the server's head for the device is $head_seq, expected 9"

say "the live stream passes through unbuffered"
curl -sS -N $CURL_TLS --max-time 3 -H "Authorization: Bearer $editor" "$api/v1/live" >"$WORK/live.txt" 2>/dev/null || true
grep -q "^event: hello" "$WORK/live.txt" || fail "no hello from the live stream through nginx"

say "a burst of 40 enrollment attempts from one address: the first few reach the server, the rest get 429"
for _ in $(seq 1 40); do
    curl -sS -o /dev/null -w '%{http_code}\n' $CURL_TLS -X POST -H 'Content-Type: application/json' \
        --data '{"code":"GUES-SING-CODE"}' "$api/v1/enroll"
done >"$WORK/burst.txt"
limited=$(grep -c '^429$' "$WORK/burst.txt" || true)
answered=$(grep -vc '^429$' "$WORK/burst.txt" || true)
grep -q '^5' "$WORK/burst.txt" && fail "the burst of enrollments got server errors: $(sort "$WORK/burst.txt" | uniq -c | tr '\n' ' ')"
[ "$answered" -ge 1 ] && [ "$answered" -le 12 ] && [ "$limited" -ge 28 ] ||
    fail "expected at most 12 of 40 enrollments through and the rest refused, got: $(sort "$WORK/burst.txt" | uniq -c | tr '\n' ' ')"
curl -sS -D "$WORK/limited.headers" -o "$WORK/limited.json" $CURL_TLS -X POST -H 'Content-Type: application/json' \
    --data '{"code":"GUES-SING-CODE"}' "$api/v1/enroll"
grep -qi '^content-type: application/problem+json' "$WORK/limited.headers" || fail "the 429 is not a problem document"
grep -qi '^retry-after: [0-9]' "$WORK/limited.headers" || fail "the 429 has no Retry-After"
[ "$(json_field status <"$WORK/limited.json")" = 429 ] || fail "the 429's problem document: $(cat "$WORK/limited.json")"
curl -fsS $CURL_TLS -H "Authorization: Bearer $editor" "$api/v1/tallies" >/dev/null ||
    fail "the API refused an editor after the enrollment burst: only enrollment should be throttled"
say "TLS: OK (9 events synced through nginx, redirect, untrusted certificate refused, live stream, $limited of 40 enrollments throttled)"
