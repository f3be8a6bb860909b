#!/usr/bin/env bash
# The load test end to end (`make load`, `make load-cluster`): prepare the load database
# (demo data, load officers with known TOTP keys), start SERVERS gunicorn app servers on one
# local address (SO_REUSEPORT: the kernel spreads connections between them) and one task
# worker, run Locust headless for LOAD_TIME with LOAD_USERS officers, stop what it started
# (by process id), then report the figures and look for every write in the database.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=.venv/bin
SERVERS="${SERVERS:-1}"
WORKERS="${CSE_WORKERS:-3}"
USERS="${LOAD_USERS:-50}"
SPAWN="${LOAD_SPAWN_RATE:-2}"
RUN_TIME="${LOAD_TIME:-3m}"
BIND="${CSE_BIND:-127.0.0.1:8443}"
: "${LOAD_DATABASE_URL:?set LOAD_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/cse_load}"
case "$BIND" in 127.*|localhost:*) ;; *) echo "The load test runs on loopback only." >&2; exit 2;; esac
OUT="${LOAD_OUT:-.data/load}"
mkdir -p "$OUT"
export DATABASE_URL="$LOAD_DATABASE_URL"

echo "== Preparing $DATABASE_URL afresh (demo data, load officers, TOTP keys)"
scripts/load/fresh_db.sh "$DATABASE_URL"
CSE_ENV=demo CSE_REQUIRE_2FA=false $BIN/python manage.py migrate --no-input -v0
CSE_ENV=demo CSE_REQUIRE_2FA=false $BIN/python manage.py load_demo --quiet
CSE_ENV=demo $BIN/python manage.py prepare_load_test --officers "${LOAD_OFFICERS:-30}" --out "$OUT/sign-ins.json"

TLS=$(scripts/dev_tls_cert.sh "$OUT/tls")
export CSE_ENV=production DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-load-test-only-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export CSE_TLS_CERT="$TLS/cert.pem" CSE_TLS_KEY="$TLS/key.pem" CSE_BIND="$BIND" CSE_WORKERS="$WORKERS"
$BIN/python manage.py collectstatic --no-input -v0
$BIN/python manage.py createcachetable

pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
# Each run's own access logs (gunicorn appends to a log that is there already).
rm -f "$OUT"/access-*.log
for n in $(seq 1 "$SERVERS"); do
  CSE_PROC_NAME="cse-portal-$n" CSE_ACCESS_LOG="$OUT/access-$n.log" $BIN/gunicorn -c deploy/gunicorn.conf.py cse_portal.wsgi >"$OUT/server-$n.log" 2>&1 &
  pids+=($!)
done
# The task worker yields the cores to the app servers (a PDF is several seconds of CPU; a page
# should not wait behind it). In a deployment it runs on a machine of its own.
nice -n "${WORKER_NICE:-10}" $BIN/python manage.py db_worker --interval 0.5 >"$OUT/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
  curl -s -o /dev/null --cacert "$CSE_TLS_CERT" "https://$BIND/account/sign-in/" && break
  sleep 1
done
echo "== $SERVERS app server(s) x $WORKERS workers on https://$BIND, 1 task worker; $USERS officers for $RUN_TIME"
# Where the CPU goes: every process's CPU time, sampled every 2 seconds while Locust runs
# (a process's last sample is its total; cpu.py groups them).
( while :; do echo "@ $(cut -d' ' -f1 /proc/uptime)"; ps -eo pid=,times=,args= ; sleep 2; done ) >"$OUT/cpu.txt" 2>/dev/null &
sampler=$!
pids+=($sampler)
CSE_LOAD_SIGN_INS="$OUT/sign-ins.json" CSE_LOAD_WRITES="$OUT/writes.json" \
  $BIN/locust -f scripts/load/locustfile.py --headless --only-summary \
  -u "$USERS" -r "$SPAWN" -t "$RUN_TIME" --stop-timeout 15 \
  --host "https://$BIND" --csv "$OUT/stats" >"$OUT/locust.log" 2>&1 || true
cat /proc/loadavg > "$OUT/loadavg"
kill "$sampler" 2>/dev/null || true
stop
trap - EXIT
echo "== Results (servers' logs and Locust's in $OUT/)"
for n in $(seq 1 "$SERVERS"); do echo "App server $n answered $(wc -l < "$OUT/access-$n.log") requests"; done
$BIN/python scripts/load/cpu.py "$OUT/cpu.txt" "$OUT"/access-*.log
CSE_ENV=test $BIN/python scripts/load/verify.py "$OUT/stats" "$OUT/writes.json"
