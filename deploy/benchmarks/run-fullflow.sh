#!/usr/bin/env bash
# Issue 9 item 3: the full flow. The app starts and stops charging through charging-service while simulated stations
# answer; reports the p99 of POST /api/v1/charging/start (goal: < 200 ms at 50 starts/s) and of stop, and the CPU
# seconds of the four service JVMs and their PostgreSQL backends. Starts the platform with deploy/run-local.sh in a
# private directory and databases, from a private copy of the built services (taken once the builds are settled, so
# a rebuild in the working tree cannot break a run), and stops everything on exit. Loopback only.
#
#   deploy/benchmarks/run-fullflow.sh                                 50 starts/s, 5 s sessions, 60 s, direct
#   deploy/benchmarks/run-fullflow.sh --rate 5 --duration 20          a small smoke run
#   deploy/benchmarks/run-fullflow.sh --via gateway                   through the nginx API gateway (8080)
#
# Options: --rate R (50 starts/s) --session-seconds S (5) --duration S (60, at most 600) --clients K (enough for the
#   sessions open at once, with margin) --stations N (enough connectors, 2 per station, with margin)
#   --via direct|gateway (direct: charging-service on 8082) --cooldown-seconds S (2) --amount-som A (10)
#   --warmup S (15: an unrecorded run at the same rate first, so the JVMs are warm; 0 skips it)
# Environment: FULLFLOW_DIR (/tmp/evpower-fullflow: secrets, station keys, client tokens, logs, results),
#   JAVA_HOME (temurin 25). Needs ports 8080-8084 free (run-local's ports) and the jars built:
#   ./mvnw -B -o -q -pl security-service,station-gateway,payment-service,charging-service,deploy/station-simulator \
#     package -DskipTests  and  ./mvnw -B -o -q -pl deploy/benchmarks install -DskipTests
# Databases: evpower_<service>_fullflow, dropped and created again for every run (never the local or test ones).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${FULLFLOW_DIR:-/tmp/evpower-fullflow}"
RATE=50 SESSION=5 DURATION=60 CLIENTS="" STATIONS="" VIA=direct COOLDOWN=2 AMOUNT=10 WARMUP=15
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE="$2"; shift ;;
    --session-seconds) SESSION="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --clients) CLIENTS="$2"; shift ;;
    --stations) STATIONS="$2"; shift ;;
    --via) VIA="$2"; shift ;;
    --cooldown-seconds) COOLDOWN="$2"; shift ;;
    --amount-som) AMOUNT="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    -h|--help) sed -n "2,19p" "$0"; exit 0 ;;
    *) echo "run-fullflow: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
say() { printf '[run-fullflow %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "$*"; exit 1; }
case "$VIA" in
  direct) BASE=http://127.0.0.1:8082 ;;
  gateway) BASE=http://127.0.0.1:8080 ;;
  *) die "--via is direct or gateway" ;;
esac
[[ "$DURATION" =~ ^[0-9]+$ ]] && [ "$DURATION" -ge 1 ] && [ "$DURATION" -le 600 ] || die "--duration: 1 to 600 whole seconds"
[[ "$SESSION" =~ ^[0-9]+$ ]] && [ "$SESSION" -le 600 ] || die "--session-seconds: 0 to 600 whole seconds"
[[ "$WARMUP" =~ ^[0-9]+$ ]] && [ "$WARMUP" -le 120 ] || die "--warmup: 0 to 120 whole seconds"
[[ "$RATE" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--rate: a number of starts per second"
[[ "$COOLDOWN" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--cooldown-seconds: a number"

# Sessions open at once: rate x (session + cool-down + ~2 s for the start and the stop to settle); 25% margin.
read -r NEED_CONNECTORS <<<"$(python3 -c "import math; print(math.ceil($RATE * ($SESSION + $COOLDOWN + 2) * 1.25) + 2)")"
CLIENTS="${CLIENTS:-$NEED_CONNECTORS}"
STATIONS="${STATIONS:-$(( (NEED_CONNECTORS + 1) / 2 ))}"
[ "$STATIONS" -le 2000 ] && [ "$CLIENTS" -le 20000 ] || die "at most 2000 stations and 20000 clients"
# Each client runs about duration / (session + cool-down) sessions; each holds the amount limit until it is settled
# and costs little (22 kW at 10 som/kWh: ~0.06 som a second). Top up the hold plus generous costs.
TOPUP=$(python3 -c "import math; s=$DURATION/($SESSION+$COOLDOWN)+1; print(math.ceil($AMOUNT + 20 + s*($SESSION*0.1+0.5)))")

for port in 8080 8081 8082 8083 8084; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is in use: another platform run is going (wait for it to finish; do not stop what you did not start)"
  fi
done

JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$JAVA" ] || die "Java 25 not found at $JAVA (set JAVA_HOME)"
[ -f "$ROOT/deploy/benchmarks/target/benchmarks.jar" ] || die "benchmarks.jar is missing: ./mvnw -B -o -q -pl deploy/benchmarks install -DskipTests"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$WORK/results/$STAMP"
mkdir -p "$WORK" "$OUT"
chmod 700 "$WORK"
SECRETS="$WORK/fullflow-secrets"   # client and operator tokens of this run; removed on exit, never in results
rm -rf "$SECRETS"; mkdir -m 700 "$SECRETS"
cp "$ROOT/deploy/benchmarks/target/benchmarks.jar" "$WORK/benchmarks.jar"   # a rebuild must not swap it mid-run

# --- A private copy of what run-local runs: other work in the same tree may rebuild a service during the run ------
SERVICE_DIRS=(security-service station-gateway payment-service charging-service)
TREE="$WORK/tree"
settled() { # the service builds exist and nothing in them changed for 20 s (no build is writing them)
  local s
  for s in "${SERVICE_DIRS[@]}"; do [ -f "$ROOT/$s/target/quarkus-app/quarkus-run.jar" ] || return 1; done
  [ -f "$ROOT/deploy/station-simulator/target/station-simulator.jar" ] || return 1
  [ -z "$(find "${SERVICE_DIRS[@]/#/$ROOT/}" -path '*/target/quarkus-app/*' -newermt '-20 seconds' -print -quit 2>/dev/null)" ] \
    && [ -z "$(find "$ROOT/deploy/station-simulator/target/station-simulator.jar" -newermt '-20 seconds' 2>/dev/null)" ]
}
deadline=$((SECONDS + 300))
until settled; do
  [ $SECONDS -lt $deadline ] || die "the service jars are missing or still being rebuilt after 300 s (build them: see --help)"
  sleep 5
done
rm -rf "$TREE"
mkdir -p "$TREE/deploy/station-simulator/target"
cp "$ROOT/deploy/run-local.sh" "$ROOT/deploy/local-stations.sh" "$ROOT/deploy/mint-token.sh" "$TREE/deploy/"
cp -r "$ROOT/deploy/gateway" "$TREE/deploy/gateway"
cp "$ROOT/deploy/station-simulator/target/station-simulator.jar" "$TREE/deploy/station-simulator/target/"
for s in "${SERVICE_DIRS[@]}"; do
  mkdir -p "$TREE/$s/target"
  cp -r "$ROOT/$s/target/quarkus-app" "$TREE/$s/target/quarkus-app"
  [ -f "$TREE/$s/target/quarkus-app/quarkus-run.jar" ] || die "copying $s failed"
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

RUN_PID=""
stop_all() {
  if [ -n "$RUN_PID" ] && kill -0 "$RUN_PID" 2>/dev/null; then
    say "stopping the platform (run-local pid $RUN_PID)"
    kill -TERM "$RUN_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$RUN_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$RUN_PID" 2>/dev/null || true
  fi
  RUN_PID=""
  rm -rf "$SECRETS"
}
trap 'stop_all; exit 130' INT TERM
trap 'stop_all' EXIT

# --- The platform: run-local with private secrets, databases and simulated stations ------------------------------
# The benchmark is about the service, not the limits: every local client is 127.0.0.1. run-local passes the
# environment to the services and to deploy/gateway/render.sh.
export EVPOWER_LOCAL_DIR="$WORK" EVPOWER_DB_SUFFIX=_fullflow EVPOWER_STATIONS="$STATIONS"
export RATE_LIMIT_CRITICAL_PER_MINUTE=1000000 RATE_LIMIT_DEFAULT_PER_MINUTE=0 RATE_LIMIT_WEBHOOK_PER_MINUTE=100000
export NGINX_RATE_PER_SECOND=100000
# Every run starts from empty databases of its own: the rows earlier runs left (processed events, sessions, outbox and
# idempotency rows) made each later run a little slower, so runs in a series were not comparable. The stations' keys
# were in the dropped security database: run-local registers the stations again.
for d in security gateway payment charging; do
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS evpower_${d}_fullflow" >/dev/null
done
rm -f "$WORK/stations.txt"
# A run that failed with stale keys leaves lock-out counters behind (security-service counts failures per station and per
# source address in Redis, and every simulated station is 127.0.0.1): forget those of the simulated stations.
for key in $(redis-cli -h 127.0.0.1 --scan --pattern 'evpower:security:authfail:cp:SIM-LOCAL-*') \
    evpower:security:authfail:ip:127.0.0.1; do
  redis-cli -h 127.0.0.1 del "$key" >/dev/null
done
say "starting the platform: $STATIONS simulated stations (2 connectors each), logs in $WORK/logs"
"$TREE/deploy/run-local.sh" --no-build >"$OUT/run-local.out" 2>&1 &
RUN_PID=$!
deadline=$((SECONDS + 300))
until grep -q "EvPower is running" "$OUT/run-local.out"; do
  kill -0 "$RUN_PID" 2>/dev/null || { tail -20 "$OUT/run-local.out" >&2; RUN_PID=""; die "run-local stopped"; }
  [ $SECONDS -lt $deadline ] || { tail -20 "$OUT/run-local.out" >&2; die "the platform did not start within 300 s"; }
  sleep 1
done
say "the platform is running"
if [ "$VIA" = gateway ] && ! curl -fs http://127.0.0.1:8080/healthz >/dev/null 2>&1; then
  die "--via gateway: the nginx API gateway is not answering on 8080 (is nginx installed? see $OUT/run-local.out)"
fi

head -n "$STATIONS" "$WORK/stations.txt" | cut -d: -f1 >"$OUT/stations.txt"
[ "$(wc -l <"$OUT/stations.txt")" -ge 1 ] || die "no stations registered; see $OUT/run-local.out"

# The stations connect once run-local has registered them: wait until each has, then let boots and statuses land.
deadline=$((SECONDS + 180))
until [ "$(grep -o ' SIM-LOCAL-[0-9]* connected to ' "$WORK/logs/station-simulator.log" 2>/dev/null | sort -u | wc -l)" -ge "$(wc -l <"$OUT/stations.txt")" ]; do
  [ $SECONDS -lt $deadline ] || die "not every simulated station connected within 180 s; see $WORK/logs/station-simulator.log"
  sleep 2
done
sleep 3
say "all $(wc -l <"$OUT/stations.txt") simulated stations connected"

# --- Clients: tokens from the development identity provider ------------------------------------------------------
say "minting $CLIENTS client tokens"
"$TREE/deploy/mint-token.sh" --admin fullflow-operator >"$SECRETS/admin.txt"
for i in $(seq 1 "$CLIENTS"); do
  id=$(printf 'fullflow-client-%05d' "$i")
  printf '%s %s\n' "$id" "$("$TREE/deploy/mint-token.sh" "$id")"
done >"$SECRETS/clients.txt"

# --- Catalogue and wallets ---------------------------------------------------------------------------------------------
say "catalogue for $STATIONS stations, top-ups of $TOPUP som for $CLIENTS clients"
"$JAVA" -Xmx256m -cp "$WORK/benchmarks.jar" kg.evpower.benchmarks.fullflow.FullFlowSetup \
  --admin-token-file "$SECRETS/admin.txt" --tokens "$SECRETS/clients.txt" --stations "@$OUT/stations.txt" \
  --topup-som "$TOPUP" >"$OUT/setup.json" 2>"$OUT/setup.err" || { cat "$OUT/setup.json" "$OUT/setup.err" >&2; die "setup failed"; }
say "setup: $(cat "$OUT/setup.json")"

# --- CPU of the services and their PostgreSQL backends, from /proc ------------------------------------------------
cpu_sample() { # file
  python3 - "$RUN_PID" "$1" <<'EOF'
import json, os, subprocess, sys
run_pid, out = int(sys.argv[1]), sys.argv[2]
tick = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick
    except (FileNotFoundError, ProcessLookupError):
        return None
def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                pass
    return found
def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except FileNotFoundError:
        return ""
names = ["security-service", "station-gateway", "payment-service", "charging-service"]
sample = {}
for pid in children(run_pid):
    line = cmdline(pid)
    name = next((n for n in names if f"/{n}/target/quarkus-app" in line), None)
    if name is None and "station-simulator" in line:
        name = "station-simulator"
    if name is None and "nginx" in line:
        name = "nginx"
    if name:
        total = cpu(pid) or 0.0
        if name == "nginx":
            total += sum(cpu(c) or 0.0 for c in children(pid))
        sample[name] = {"pid": pid, "cpuSeconds": total}
dbs = "','".join(f"evpower_{d}_fullflow" for d in ["security", "gateway", "payment", "charging"])
rows = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-tA", "-F", " ", "-c",
                       f"SELECT pid, datname FROM pg_stat_activity WHERE datname IN ('{dbs}')"],
                      capture_output=True, text=True, timeout=20).stdout.split("\n")
backends = {}
for row in rows:
    parts = row.split()
    if len(parts) == 2 and parts[0].isdigit():
        backends[parts[0]] = {"db": parts[1], "cpuSeconds": cpu(int(parts[0]))}
sample["postgresBackends"] = backends
with open(out, "w") as f:
    json.dump(sample, f)
EOF
}

# --- The load ------------------------------------------------------------------------------------------------------
load() { # seconds summary-file
  "$JAVA" -Xmx512m -cp "$WORK/benchmarks.jar" kg.evpower.benchmarks.fullflow.FullFlowLoad --base-url "$BASE" \
    --tokens "$SECRETS/clients.txt" --stations "@$OUT/stations.txt" --connectors 2 --rate "$RATE" \
    --session-seconds "$SESSION" --duration "$1" --cooldown-seconds "$COOLDOWN" --amount-som "$AMOUNT" \
    --out "$2" >/dev/null 2>>"$OUT/load.err" || { cat "$OUT/load.err" >&2; die "the load tool failed"; }
}
if [ "$WARMUP" -gt 0 ]; then
  say "warm-up (not recorded): $RATE starts/s for $WARMUP s"
  load "$WARMUP" "$OUT/warmup.json"
  sleep "$(python3 -c "print($COOLDOWN + 3)")"   # the warm-up's last sessions settle
fi
cpu_sample "$OUT/cpu-before.json"
say "load: $RATE starts/s for $DURATION s, $SESSION s sessions, via $VIA ($BASE)"
load "$DURATION" "$OUT/summary.json"
cpu_sample "$OUT/cpu-after.json"

python3 - "$OUT" <<'EOF'
import json, os, sys
out = sys.argv[1]
before = json.load(open(f"{out}/cpu-before.json"))
after = json.load(open(f"{out}/cpu-after.json"))
summary = json.load(open(f"{out}/summary.json"))
cpu = {}
for name, a in after.items():
    if name == "postgresBackends":
        continue
    b = before.get(name)
    if b and b["pid"] == a["pid"]:
        cpu[name] = round(a["cpuSeconds"] - b["cpuSeconds"], 2)
    else:
        cpu[name] = None  # restarted during the run
pg = {}
for pid, a in after["postgresBackends"].items():
    b = before["postgresBackends"].get(pid)
    if a["cpuSeconds"] is not None:
        delta = a["cpuSeconds"] - (b["cpuSeconds"] if b and b["cpuSeconds"] is not None else 0.0)
        pg[a["db"]] = round(pg.get(a["db"], 0.0) + delta, 2)
cpu["postgresBackendsByDatabase"] = pg
cpu["note"] = "backends that ended during the run are not counted; new ones count from their start"
starts = summary["starts"]
ok = starts["ok"] or 1
services = sum(v for k, v in cpu.items() if k in ("security-service", "station-gateway", "payment-service",
                                                  "charging-service") and v is not None)
cpu["serviceCpuMsPerOkStart"] = round(1000 * (services + sum(pg.values())) / ok, 1)
cpu["loadavgAtEnd"] = open("/proc/loadavg").read().split()[:3]
cpu["nproc"] = os.cpu_count()
json.dump(cpu, open(f"{out}/cpu.json", "w"), indent=2)
s, t = starts["latency"], summary["stops"]["latency"]
print(f"""
  Full flow: {summary['settings']['rate']} starts/s offered for {summary['settings']['durationSeconds']} s, \
{summary['settings']['sessionSeconds']} s sessions, via {summary['settings']['baseUrl']}
  starts  offered {starts['offered']}  attempted {starts['attempted']}  ok {starts['ok']}  failed {starts['failed']}  \
not sent (no free client/connector) {starts['notSentNoFreeClientOrConnector']}  ok/s {starts['okPerSecond']}
          failed by {starts['failedBy']}
  start   p50 {s['p50Ms']} ms  p95 {s['p95Ms']} ms  p99 {s['p99Ms']} ms  max {s['maxMs']} ms   (goal: p99 < 200 ms)
  stops   ok {summary['stops']['ok']}  failed {summary['stops']['failed']} {summary['stops']['failedBy']}
  stop    p50 {t['p50Ms']} ms  p95 {t['p95Ms']} ms  p99 {t['p99Ms']} ms  max {t['maxMs']} ms
  sessions reached CHARGING {summary['sessions']['reachedCharging']}, cancelled before charging \
{summary['sessions']['cancelledBeforeCharging']}
  CPU s   {json.dumps({k: v for k, v in cpu.items() if k not in ('note', 'loadavgAtEnd', 'nproc')})}
  load average at the end {cpu['loadavgAtEnd']} on {cpu['nproc']} cores
  results in {out}
""")
EOF
