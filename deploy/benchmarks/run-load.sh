#!/usr/bin/env bash
# Issue 9 items 1 and 2: the station simulator's load mode against the reference (ceiling) OCPP server and against
# station-gateway (with security-service, PostgreSQL and a private Redis), same client settings, on loopback only.
# Measures calls/s, p99 and server CPU seconds per answered call from /proc/<pid>/stat, repeated, and prints medians
# and ratios (gateway / reference). Everything it starts is stopped on exit. See docs/performance.md.
# Item 5 (scale-out): --replicas 2 starts a second gateway; target gateway2 spreads the same stations over both.
#
#   deploy/benchmarks/run-load.sh                          charging scenario, 1000 stations, 3 x 30 s per target
#   deploy/benchmarks/run-load.sh --stations 500 --reps 5 --duration 20
#   deploy/benchmarks/run-load.sh --scenario idle --stations 5000 --ramp 200 --duration 60 --targets gateway
#   deploy/benchmarks/run-load.sh --jfr                    also record JFR of the gateway (first gateway run)
#   deploy/benchmarks/run-load.sh --replicas 2 --targets "gateway gateway2"   one replica vs two, same client load
#
# Options: --stations N (1000) --ramp R (200/s) --duration S (30) --reps R (3) --scenario charging|idle (charging)
#   --meter-interval S (1) --session-seconds S (10) --think-seconds S (2) --heartbeat-interval S (30)
#   --targets "reference gateway" (also gateway2) --gateway-heap 1g --warmup S (15: one unrecorded run per target)
#   --jfr --out DIR --replicas N (1, at most 2: 2 starts a second station-gateway, both running for every target;
#   target gateway uses replica 1 only, gateway2 gives station i of the list replica 1 + i mod 2)
#   --settle S (10): the steady-state p99s count calls sent from S seconds after the last connection attempt ended
# Environment: BENCH_DIR (/tmp/evpower-bench: private copies of the jars, secrets, credentials, logs),
#   EVPOWER_DB_HOST/PORT/USER (127.0.0.1/5432/postgres), JAVA_HOME (temurin 25).
# Ports: 18181 reference, 18381 gateway (18382 replica 2), 18384 security-service, 16379 Redis (all 127.0.0.1).
# Replicas share the databases and the Redis; EVPOWER_INSTANCE_ID bench-gw-1 / bench-gw-2.
# Databases: evpower_bench_gateway, evpower_bench_security (created when missing; never the local/test ones).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/deploy/benchmarks"
WORK="${BENCH_DIR:-/tmp/evpower-bench}"
STATIONS=1000 RAMP=200 DURATION=30 REPS=3 SCENARIO=charging
METER=1 SESSION=10 THINK=2 HEARTBEAT=30 TARGETS="reference gateway" HEAP=1g JFR=0 WARMUP=15 REPLICAS=1 SETTLE=10
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --stations) STATIONS="$2"; shift ;;
    --ramp) RAMP="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --reps) REPS="$2"; shift ;;
    --scenario) SCENARIO="$2"; shift ;;
    --meter-interval) METER="$2"; shift ;;
    --session-seconds) SESSION="$2"; shift ;;
    --think-seconds) THINK="$2"; shift ;;
    --heartbeat-interval) HEARTBEAT="$2"; shift ;;
    --targets) TARGETS="$2"; shift ;;
    --gateway-heap) HEAP="$2"; shift ;;
    --jfr) JFR=1 ;;
    --warmup) WARMUP="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --replicas) REPLICAS="$2"; shift ;;
    --settle) SETTLE="$2"; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "run-load: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[ "$DURATION" -le 600 ] || { echo "run-load: --duration is at most 600 s" >&2; exit 2; }
[ "$STATIONS" -le 20000 ] || { echo "run-load: --stations is at most 20000" >&2; exit 2; }
[[ "$REPLICAS" =~ ^[12]$ ]] || { echo "run-load: --replicas is 1 or 2" >&2; exit 2; }
for target in $TARGETS; do
  case "$target" in
    reference|gateway) ;;
    gateway2) [ "$REPLICAS" = 2 ] || { echo "run-load: target gateway2 needs --replicas 2" >&2; exit 2; } ;;
    *) echo "run-load: unknown target $target (reference, gateway, gateway2)" >&2; exit 2 ;;
  esac
done
# The gateway stack (security-service, Redis, replica 1) runs when any gateway target is asked for.
GATEWAY=0
[[ " $TARGETS " == *" gateway "* || " $TARGETS " == *" gateway2 "* ]] && GATEWAY=1
OUT="${OUT:-$WORK/results/$(date -u +%Y%m%dT%H%M%SZ)-$SCENARIO-$STATIONS}"
mkdir -p "$WORK/logs" "$OUT"
chmod 700 "$WORK"
LOGS="$WORK/logs"
say() { printf '[run-load %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "$*"; exit 1; }

JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$JAVA" ] || die "Java 25 not found at $JAVA (set JAVA_HOME)"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -gt $((STATIONS + 1000)) ] || die "open-file limit $(ulimit -n) too low for $STATIONS stations"

# --- Private copies of what we run (a concurrent rebuild must not swap jars under a run) --------------------------
copy_once() { # source destination: the services stay as first copied; a newer build is only reported
  [ -e "$1" ] || [ -e "$2" ] || die "$1 is missing: build it (./mvnw -B -pl <module> package -DskipTests)"
  if [ ! -e "$2" ]; then
    cp -r "$1" "$2"
  elif [ -e "$1" ] && ! diff -rq "$1" "$2" >/dev/null 2>&1; then
    say "note: $2 is an older copy than $1; remove it to run the new build"
  fi
}
copy_fresh() { # source destination: the load tools must understand what measure.py passes them
  [ -e "$1" ] || die "$1 is missing: build it (./mvnw -B -pl <module> package -DskipTests)"
  if [ ! -e "$2" ] || ! cmp -s "$1" "$2"; then
    cp "$1" "$2.new"
    mv "$2.new" "$2"
  fi
}
copy_fresh "$HERE/target/benchmarks.jar" "$WORK/benchmarks.jar"
copy_fresh "$ROOT/deploy/station-simulator/target/station-simulator.jar" "$WORK/station-simulator.jar"
if [ "$GATEWAY" = 1 ]; then
  copy_once "$ROOT/station-gateway/target/quarkus-app" "$WORK/gateway-app"
  copy_once "$ROOT/security-service/target/quarkus-app" "$WORK/security-app"
fi

# --- Process bookkeeping ------------------------------------------------------------------------------------------
PIDS=()
stopping=0
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  local reversed=() i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do reversed+=("${PIDS[$i]}"); done
  for pid in "${reversed[@]}"; do  # the gateway before security-service and Redis
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  done
  for pid in "${PIDS[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  say "stopped everything this run started"
}
trap 'stop_all; exit 130' INT TERM
trap 'stop_all' EXIT

wait_http() { # url seconds
  local deadline=$((SECONDS + $2))
  until curl -fs "$1" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 1
  done
}

port_free() { ! ss -ltn 2>/dev/null | awk '{print $4}' | grep -qE "[:.]$1\$"; }
PORTS="18181 18381 18384 16379"
[ "$REPLICAS" = 2 ] && PORTS="$PORTS 18382"
for port in $PORTS; do port_free "$port" || die "port $port is already in use on this machine"; done

# --- Reference server ---------------------------------------------------------------------------------------------
REF_PID=""
if [[ " $TARGETS " == *" reference "* ]]; then
  "$JAVA" -Xmx512m -cp "$WORK/benchmarks.jar" kg.evpower.benchmarks.ReferenceOcppServer --port 18181 \
    >"$LOGS/reference.log" 2>&1 &
  REF_PID=$!; PIDS+=("$REF_PID")
  for _ in $(seq 1 60); do grep -q "listening on" "$LOGS/reference.log" && break; sleep 0.5; done
  grep -q "listening on" "$LOGS/reference.log" || die "reference server did not start; see $LOGS/reference.log"
  say "reference server pid $REF_PID on ws://127.0.0.1:18181"
fi

# --- station-gateway with security-service, PostgreSQL and a private Redis ----------------------------------------
GW_PID="" GW2_PID="" SEC_PID="" REDIS_PID=""
CREDENTIALS="$WORK/stations.txt"
if [ "$GATEWAY" = 1 ]; then
  DB_HOST="${EVPOWER_DB_HOST:-127.0.0.1}" DB_PORT="${EVPOWER_DB_PORT:-5432}" DB_USER="${EVPOWER_DB_USER:-postgres}"
  pg_isready -q -h "$DB_HOST" -p "$DB_PORT" || die "PostgreSQL is not answering on $DB_HOST:$DB_PORT"
  psql_q() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "${2:-postgres}" -tAc "$1"; }
  for db in evpower_bench_gateway evpower_bench_security; do
    if ! psql_q "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1; then
      psql_q "CREATE DATABASE $db" >/dev/null
      # a new security database knows none of the stations of an earlier run: register them again
      [ "$db" = evpower_bench_security ] && rm -f "$CREDENTIALS"
    fi
  done

  # Secrets: generated once into a private file (mode 600), never committed.
  SECRETS="$WORK/secrets.env"
  if [ ! -f "$SECRETS" ]; then
    secret() { openssl rand -base64 48 | tr -d '/+=\n' | cut -c1-48; }
    (umask 077; cat > "$SECRETS" <<EOS
EV_SECURITY_SECRET=$(secret)
EV_KEY_ENCRYPTION_SECRET=$(secret)
EV_ADMIN_KEY=$(secret)
EV_SERVICE_SECRET_GATEWAY=$(secret)
EV_SERVICE_SECRET_CHARGING=$(secret)
EV_SERVICE_SECRET_PAYMENT=$(secret)
EOS
    )
  fi
  # shellcheck disable=SC1090
  . "$SECRETS"

  # A private Redis: its CPU is only the gateway's, and nobody else's keys are touched.
  redis-server --port 16379 --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
    --logfile "$LOGS/redis.log" >/dev/null 2>&1 &
  REDIS_PID=$!; PIDS+=("$REDIS_PID")
  for _ in $(seq 1 20); do redis-cli -p 16379 ping >/dev/null 2>&1 && break; sleep 0.25; done
  redis-cli -p 16379 flushall >/dev/null

  common_env() {
    export EVPOWER_DB_HOST="$DB_HOST" EVPOWER_DB_PORT="$DB_PORT" EVPOWER_DB_USER="$DB_USER"
    export QUARKUS_REDIS_HOSTS=redis://127.0.0.1:16379
    export RATE_LIMIT_DEFAULT_PER_MINUTE=0
    export EVPOWER_SERVICE_AUTH_JWKS_URL=http://127.0.0.1:18384/.well-known/jwks.json
    export EVPOWER_SERVICE_AUTH_TOKEN_URL=http://127.0.0.1:18384/auth/service-token
  }
  (
    common_env
    export QUARKUS_HTTP_PORT=18384 EVPOWER_DB_NAME=evpower_bench_security
    export EV_SECURITY_SECRET EV_KEY_ENCRYPTION_SECRET EV_ADMIN_KEY
    export EV_SERVICE_SECRET_GATEWAY EV_SERVICE_SECRET_CHARGING EV_SERVICE_SECRET_PAYMENT
    # Benchmark-only: no rate limits on loopback (every client here is 127.0.0.1). Station keys are generated, so they
    # get the cheap salted hash of prod (PBKDF2 is only for operator-chosen keys).
    export EVPOWER_SECURITY_RATE_LIMIT_AUTH_PER_MINUTE=1000000 EVPOWER_SECURITY_RATE_LIMIT_ADMIN_PER_MINUTE=1000000
    exec "$JAVA" -Xmx512m -jar "$WORK/security-app/quarkus-run.jar" >"$LOGS/security-service.log" 2>&1
  ) &
  SEC_PID=$!; PIDS+=("$SEC_PID")
  wait_http http://127.0.0.1:18384/q/health/ready 180 || die "security-service not ready; see $LOGS/security-service.log"
  say "security-service pid $SEC_PID on 18384"

  # Register the stations once (keys kept in $CREDENTIALS, mode 600; reused by later runs on the same database).
  touch "$CREDENTIALS"; chmod 600 "$CREDENTIALS"
  have=$(wc -l < "$CREDENTIALS")
  if [ "$have" -lt "$STATIONS" ]; then
    say "registering stations $((have + 1))..$STATIONS with security-service"
    register() {
      local id; id=$(printf 'BENCH-%05d' "$1")
      local body; body=$(curl -sS -X POST http://127.0.0.1:18384/admin/charge-points -H 'Content-Type: application/json' \
        -H "X-Admin-Key: $EV_ADMIN_KEY" --data "{\"cp_id\":\"$id\",\"location\":\"benchmark\"}")
      if ! printf '%s' "$body" | grep -q authorization_key; then
        body=$(curl -sS -X POST "http://127.0.0.1:18384/admin/charge-points/$id/rotate-authorization-key" \
          -H 'Content-Type: application/json' -H "X-Admin-Key: $EV_ADMIN_KEY" --data '{}')
      fi
      local key; key=$(printf '%s' "$body" | sed -n 's/.*"authorization_key" *: *"\([^"]*\)".*/\1/p')
      [ -n "$key" ] && echo "$id:$key"
    }
    export -f register; export EV_ADMIN_KEY
    seq $((have + 1)) "$STATIONS" | xargs -P 4 -I{} bash -c 'register {}' >> "$CREDENTIALS"
    sort -o "$CREDENTIALS" "$CREDENTIALS"
    [ "$(wc -l < "$CREDENTIALS")" -ge "$STATIONS" ] || die "only $(wc -l < "$CREDENTIALS") stations registered"
  fi

  JFR_OPTS=()
  [ "$JFR" = 1 ] && JFR_OPTS=("-XX:StartFlightRecording=filename=$OUT/gateway.jfr,settings=profile,dumponexit=true")
  start_gateway() { # replica-number port log-file java-options...; sets STARTED_PID
    local replica="$1" port="$2" log="$3"
    shift 3
    (
      common_env
      export QUARKUS_HTTP_PORT="$port" EVPOWER_DB_NAME=evpower_bench_gateway EVPOWER_INSTANCE_ID="bench-gw-$replica"
      export EVPOWER_SERVICE_SECRET="$EV_SERVICE_SECRET_GATEWAY" EVPOWER_SECURITY_URL=http://127.0.0.1:18384
      # application_name lets measure.py tell the replicas' PostgreSQL backends apart.
      local ds=-Dquarkus.datasource
      exec "$JAVA" "-Xmx$HEAP" "$ds.reactive.additional-properties.application_name=bench-gw-$replica" \
        "$ds.jdbc.additional-jdbc-properties.ApplicationName=bench-gw-$replica" "$@" \
        -jar "$WORK/gateway-app/quarkus-run.jar" >"$log" 2>&1
    ) &
    STARTED_PID=$!; PIDS+=("$STARTED_PID")
    wait_http "http://127.0.0.1:$port/q/health/ready" 180 || die "station-gateway replica $replica not ready; see $log"
  }
  # One after the other: the second must not race the first's Flyway migration on the shared database.
  start_gateway 1 18381 "$LOGS/station-gateway.log" "${JFR_OPTS[@]}"
  GW_PID=$STARTED_PID
  psql_q "INSERT INTO id_tag (id_tag, status, updated_at) VALUES ('SIMTAG0001', 'Accepted', now())
          ON CONFLICT (id_tag) DO UPDATE SET status = 'Accepted', expiry_date = NULL" evpower_bench_gateway >/dev/null
  say "station-gateway replica 1 (bench-gw-1) pid $GW_PID on 18381 (heap $HEAP)"
  if [ "$REPLICAS" = 2 ]; then
    start_gateway 2 18382 "$LOGS/station-gateway-2.log"
    GW2_PID=$STARTED_PID
    say "station-gateway replica 2 (bench-gw-2) pid $GW2_PID on 18382 (heap $HEAP)"
  fi
fi

# --- Measurements -------------------------------------------------------------------------------------------------
export BENCH_PSQL="psql -h ${DB_HOST:-127.0.0.1} -p ${DB_PORT:-5432} -U ${DB_USER:-postgres} -d postgres -tA"
python3 "$HERE/measure.py" --java "$JAVA" --simulator "$WORK/station-simulator.jar" --credentials "$CREDENTIALS" \
  --out "$OUT" --targets "$TARGETS" --reps "$REPS" --stations "$STATIONS" --ramp "$RAMP" --duration "$DURATION" \
  --scenario "$SCENARIO" --meter-interval "$METER" --session-seconds "$SESSION" --think-seconds "$THINK" \
  --heartbeat-interval "$HEARTBEAT" --warmup "$WARMUP" --reference-pid "${REF_PID:-0}" --gateway-pid "${GW_PID:-0}" \
  --gateway2-pid "${GW2_PID:-0}" --settle "$SETTLE" --redis-pid "${REDIS_PID:-0}" --security-pid "${SEC_PID:-0}" &
MEASURE_PID=$!; PIDS+=("$MEASURE_PID")
wait "$MEASURE_PID"  # in the background so that SIGINT/SIGTERM reach the trap at once
say "results in $OUT"
