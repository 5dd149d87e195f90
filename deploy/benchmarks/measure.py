#!/usr/bin/env python3
"""Measurement loop of deploy/benchmarks/run-load.sh (issue 9): runs the station simulator's load mode against each
target with the same settings, REPS times (target order alternating), samples the CPU seconds of the target's server
processes from /proc/<pid>/stat before and after each run, and prints medians and gateway/reference ratios.

Server processes: reference = the reference JVM; gateway = gateway JVM + private redis-server + the PostgreSQL backends
connected to evpower_bench_gateway (shared PostgreSQL background writers are not counted); gateway2 (issue 9 item 5) =
both gateway replicas (stations split between them by the simulator, station i to replica 1 + i mod 2) + the same
redis-server + the backends of evpower_bench_gateway, RSS = the sum of both JVMs. With two replicas running, target
gateway leaves out replica 2's backends (application_name bench-gw-2). security-service is reported apart (it only
works at connection time). Client CPU comes from the simulator's own rusage."""
import argparse
import json
import signal
import os
import statistics
import subprocess
import sys
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime (fields 14, 15)
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE / 2**20
    except FileNotFoundError:
        return None


def pg_backends(db, exclude_application=None):
    cmd = os.environ.get("BENCH_PSQL", "psql -h 127.0.0.1 -U postgres -d postgres -tA").split()
    query = f"SELECT pid FROM pg_stat_activity WHERE datname = '{db}'"
    if exclude_application:
        query += f" AND application_name IS DISTINCT FROM '{exclude_application}'"
    done = subprocess.run(cmd + ["-c", query], capture_output=True, text=True, timeout=20)
    if done.returncode != 0:  # e.g. "too many clients": the PostgreSQL share of this run is then unknown
        print(f"[measure] cannot list the PostgreSQL backends: {done.stderr.strip()}", file=sys.stderr)
        return None
    return {int(x) for x in done.stdout.split() if x.strip().isdigit()}


GATEWAY_TARGETS = ("gateway", "gateway2")


def total_rss_mib(pids):
    values = [rss_mib(pid) for pid in pids]
    return sum(values) if all(v is not None for v in values) else None


def sample(pids):
    return {pid: cpu_seconds(pid) for pid in pids}


def heap_used_mib(pid, java):
    """Live heap after a full GC (jcmd GC.run, then GC.heap_info's 'used')."""
    jcmd = os.path.join(os.path.dirname(java), "jcmd")
    try:
        subprocess.run([jcmd, str(pid), "GC.run"], capture_output=True, timeout=60)
        out = subprocess.run([jcmd, str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
    except (subprocess.TimeoutExpired, FileNotFoundError):
        return None
    for line in out.splitlines():
        if " used " in line and ("heap" in line.lower()):
            # e.g. " garbage-first heap   total reserved 1048576K, committed 262144K, used 123456K [...]"
            for part in line.split(","):
                part = part.strip()
                if part.startswith("used"):
                    return int(part.split()[1].rstrip("K")) / 1024
    return None


def ratio(numerator, denominator):
    return numerator / denominator if numerator is not None and denominator else None


def median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 4) if values else None


CURRENT = []  # the running simulator, stopped with us


def on_term(signum, frame):
    for proc in CURRENT:
        proc.terminate()
    sys.exit(143)


def main():
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    p = argparse.ArgumentParser()
    for name in ["java", "simulator", "credentials", "out", "targets", "scenario"]:
        p.add_argument("--" + name, required=True)
    for name in ["reps", "stations", "reference-pid", "gateway-pid", "redis-pid", "security-pid"]:
        p.add_argument("--" + name, type=int, required=True)
    p.add_argument("--gateway2-pid", type=int, default=0)
    p.add_argument("--settle", type=float, default=10.0)
    for name in ["warmup", "ramp", "duration", "meter-interval", "session-seconds", "think-seconds", "heartbeat-interval"]:
        p.add_argument("--" + name, type=float, required=True)
    a = p.parse_args()
    urls = {"reference": "ws://127.0.0.1:18181/ocpp", "gateway": "ws://127.0.0.1:18381/ocpp",
            "gateway2": "ws://127.0.0.1:18381/ocpp,ws://127.0.0.1:18382/ocpp"}
    targets = a.targets.split()
    for target in targets:
        if target not in urls:
            sys.exit(f"unknown target {target}")
    if "gateway2" in targets and not a.gateway2_pid:
        sys.exit("target gateway2 needs --gateway2-pid (run-load.sh --replicas 2)")
    client_args = ["--load", "--stations", str(a.stations), "--id-prefix", "BENCH-", "--ramp", str(a.ramp),
                   "--duration", str(a.duration), "--scenario", a.scenario, "--connectors", "2",
                   "--heartbeat-interval", str(a.heartbeat_interval), "--call-timeout", "30",
                   "--settle-seconds", str(a.settle)]
    if a.scenario == "charging":
        client_args += ["--meter-interval", str(a.meter_interval), "--session-seconds", str(a.session_seconds),
                        "--think-seconds", str(a.think_seconds), "--id-tag", "SIMTAG0001"]
    # The same station list for every target: the first N registered stations (the reference server ignores keys).
    lines = []
    if os.path.exists(a.credentials):
        with open(a.credentials) as f:
            lines = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    if len(lines) < a.stations:
        if any(t in GATEWAY_TARGETS for t in targets):
            sys.exit(f"only {len(lines)} registered stations in {a.credentials}")
        lines = [f"BENCH-{i:05d}:reference-only-key-{i:05d}" for i in range(1, a.stations + 1)]
    stations_file = os.path.join(a.out, "stations.txt")
    with open(os.open(stations_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write("\n".join(lines[:a.stations]) + "\n")
    i = client_args.index("--stations")
    del client_args[i:i + 2]
    i = client_args.index("--id-prefix")
    del client_args[i:i + 2]
    client_args += ["--credentials-file", stations_file]

    # One unrecorded warm-up run per target (JIT, connection pools), at most 15 s.
    for target in targets if a.warmup > 0 else []:
        warm = list(client_args)
        warm[warm.index("--duration") + 1] = str(min(a.warmup, a.duration))
        with open(os.path.join(a.out, f"{target}-warmup.json"), "w") as out, \
                open(os.path.join(a.out, f"{target}-warmup.client.log"), "w") as err:
            subprocess.run([a.java, "-Xmx1g", "-jar", a.simulator, "--url", urls[target]] + warm, stdout=out, stderr=err)
        time.sleep(3)

    runs = []
    for rep in range(1, a.reps + 1):
        order = targets if rep % 2 == 1 else list(reversed(targets))
        for target in order:
            gateway = target in GATEWAY_TARGETS
            if target == "reference":
                jvms = [a.reference_pid]
            elif target == "gateway2":
                jvms = [a.gateway_pid, a.gateway2_pid]
            else:
                jvms = [a.gateway_pid]
            fixed = jvms + ([a.redis_pid] if gateway else [])
            # Target gateway with a second replica running: replica 2's backends are not this target's.
            exclude = "bench-gw-2" if target == "gateway" and a.gateway2_pid else None

            pg_known = [gateway]

            def backends():
                if not gateway:
                    return set()
                found = pg_backends("evpower_bench_gateway", exclude)
                if found is None:
                    pg_known[0] = False
                return found or set()

            backends_before = backends()
            before = sample(fixed + sorted(backends_before))
            jvm_before = sample(jvms)
            sec_before = cpu_seconds(a.security_pid) if gateway and a.security_pid else None
            rss_before = total_rss_mib(jvms)
            peak = [rss_before or 0]
            heap = [None]
            done = threading.Event()

            def poll():
                start = time.time()
                heap_taken = False
                while not done.wait(1.0):
                    r = total_rss_mib(jvms)
                    if r:
                        peak[0] = max(peak[0], r)
                    if (a.scenario == "idle" and not heap_taken and time.time() - start > a.duration - 8
                            and gateway):
                        heap_taken = True
                        heaps = [heap_used_mib(pid, a.java) for pid in jvms]
                        heap[0] = sum(heaps) if all(h is not None for h in heaps) else None
                        peak[0] = max(peak[0], total_rss_mib(jvms) or 0)

            poller = threading.Thread(target=poll, daemon=True)
            poller.start()
            t0 = time.time()
            cmd = [a.java, "-Xmx1g", "-jar", a.simulator, "--url", urls[target]] + client_args
            with open(os.path.join(a.out, f"{target}-{rep}.json"), "w") as out, \
                    open(os.path.join(a.out, f"{target}-{rep}.client.log"), "w") as err:
                proc = subprocess.Popen(cmd, stdout=out, stderr=err)
                CURRENT[:] = [proc]
                _, status, usage = os.wait4(proc.pid, 0)
                CURRENT.clear()
            wall = time.time() - t0
            rss_end = peak[0]
            done.set()
            poller.join()
            backends_after = backends()
            after = sample(fixed + sorted(backends_before | backends_after))
            jvm_after = sample(jvms)
            server_cpu = 0.0
            for pid, value in after.items():
                if value is None:
                    continue
                base = before.get(pid)
                server_cpu += value - (base if base is not None else 0.0)
            pg_cpu = sum((after[p] or 0) - (before.get(p) or 0) for p in backends_before | backends_after
                         if after.get(p) is not None)
            sec_cpu = (cpu_seconds(a.security_pid) - sec_before) if sec_before is not None else None
            with open(os.path.join(a.out, f"{target}-{rep}.json")) as f:
                text = f.read()
            try:
                summary = json.loads(text)
            except json.JSONDecodeError:
                print(f"[measure] {target} rep {rep}: no JSON summary (exit {status}); see client log", file=sys.stderr)
                continue
            answered = summary["calls"]["answered"]
            lat = summary.get("latencyMs", {})
            p99s = {k: v.get("p99") for k, v in lat.items()}
            # The steady state: calls sent from --settle seconds after the last station's connection attempt ended.
            steady = summary.get("steadyState") or {}
            steady_p99s = {k: v.get("p99") for k, v in (steady.get("latencyMs") or {}).items()}
            run = {
                "target": target, "rep": rep,
                "connectionsOk": summary["connections"]["ok"], "connectionsFailed": summary["connections"]["failed"],
                "dropped": summary["connections"].get("droppedDuringRun"),
                "answered": answered, "timedOut": summary["calls"]["timedOut"],
                "callsPerSecond": summary["calls"]["perSecond"],
                "serverCpuSeconds": round(server_cpu, 2),
                "postgresCpuSeconds": round(pg_cpu, 2) if pg_known[0] else None,
                "securityServiceCpuSeconds": round(sec_cpu, 2) if sec_cpu is not None else None,
                "serverCpuMsPerCall": round(1000 * server_cpu / answered, 4) if answered else None,
                "clientCpuSeconds": round(usage.ru_utime + usage.ru_stime, 2),
                "wallSeconds": round(wall, 1),
                "p99MaxOverActionsMs": max([v for v in p99s.values() if v is not None], default=None),
                "p99Ms": p99s,
                "steadyFromSecond": steady.get("fromSecond"),
                "steadyP99MaxOverActionsMs": max([v for v in steady_p99s.values() if v is not None], default=None),
                "steadyP99Ms": steady_p99s,
                "callErrors": summary.get("callErrors", {}),
                "protocolViolations": summary.get("protocolViolations", {}).get("total"),
                "rssBeforeMiB": round(rss_before, 1) if rss_before else None,
                "rssPeakMiB": round(rss_end, 1),
                "liveHeapMiB": round(heap[0], 1) if heap[0] else None,
            }
            if gateway and not pg_known[0]:
                run["warning"] = "PostgreSQL backends not listed: server CPU leaves PostgreSQL out"
            if target == "gateway2":
                run["gatewayCpuSecondsByReplica"] = [
                    round(jvm_after[pid] - jvm_before[pid], 2)
                    if jvm_after.get(pid) is not None and jvm_before.get(pid) is not None else None for pid in jvms]
            if run["connectionsOk"]:
                run["rssGrowthKiBPerConnection"] = round((rss_end - (rss_before or 0)) * 1024 / run["connectionsOk"], 1)
            runs.append(run)
            print(f"[measure] {json.dumps(run)}", file=sys.stderr)
            time.sleep(5)

    med = {}
    for target in targets:
        rs = [r for r in runs if r["target"] == target]
        keys = ["callsPerSecond", "serverCpuMsPerCall", "serverCpuSeconds", "clientCpuSeconds",
                "p99MaxOverActionsMs", "steadyP99MaxOverActionsMs", "steadyFromSecond", "connectionsOk", "connectionsFailed", "timedOut", "rssGrowthKiBPerConnection",
                "rssPeakMiB", "liveHeapMiB", "postgresCpuSeconds", "securityServiceCpuSeconds"]
        med[target] = {k: median([r.get(k) for r in rs]) for k in keys}
        med[target]["runs"] = len(rs)
        med[target]["p99MsByAction"] = {act: median([r["p99Ms"].get(act) for r in rs])
                                        for act in sorted({k for r in rs for k in r["p99Ms"]})}
        med[target]["steadyP99MsByAction"] = {act: median([r["steadyP99Ms"].get(act) for r in rs])
                                              for act in sorted({k for r in rs for k in r["steadyP99Ms"]})}
    ratios = {}
    if "reference" in med and "gateway" in med:
        # Per-repetition ratios (each pair measured back to back), then their median.
        per_rep = []
        for rep in range(1, a.reps + 1):
            g = next((r for r in runs if r["target"] == "gateway" and r["rep"] == rep), None)
            ref = next((r for r in runs if r["target"] == "reference" and r["rep"] == rep), None)
            if g and ref and ref["serverCpuMsPerCall"] and ref["callsPerSecond"]:
                per_rep.append({"cpuPerCall": g["serverCpuMsPerCall"] / ref["serverCpuMsPerCall"],
                                "throughput": g["callsPerSecond"] / ref["callsPerSecond"]})
        ratios = {"gatewayOverReferenceCpuPerCall": median([x["cpuPerCall"] for x in per_rep]),
                  "gatewayOverReferenceThroughput": median([x["throughput"] for x in per_rep]),
                  "perRepetition": per_rep}
    if "gateway" in med and "gateway2" in med:
        # Item 5: two replicas over one, the same client load; per-repetition ratios, then their median.
        per_rep = []
        for rep in range(1, a.reps + 1):
            one = next((r for r in runs if r["target"] == "gateway" and r["rep"] == rep), None)
            two = next((r for r in runs if r["target"] == "gateway2" and r["rep"] == rep), None)
            if one and two:
                per_rep.append({
                    "throughput": ratio(two["callsPerSecond"], one["callsPerSecond"]),
                    "cpuPerCall": ratio(two["serverCpuMsPerCall"], one["serverCpuMsPerCall"]),
                    "p99": ratio(two["p99MaxOverActionsMs"], one["p99MaxOverActionsMs"]),
                    "rssPeak": ratio(two["rssPeakMiB"], one["rssPeakMiB"])})
        ratios["gateway2OverGatewayThroughput"] = median([x["throughput"] for x in per_rep])
        ratios["gateway2OverGatewayCpuPerCall"] = median([x["cpuPerCall"] for x in per_rep])
        ratios["gateway2OverGatewayP99"] = median([x["p99"] for x in per_rep])
        ratios["gateway2OverGatewayRssPeak"] = median([x["rssPeak"] for x in per_rep])
        ratios["gateway2OverGatewayPerRepetition"] = per_rep
    result = {"settings": vars(a) | {"clientArgs": " ".join(client_args)},
              "medians": med, "ratios": ratios, "runs": runs,
              "machine": {"nproc": os.cpu_count(), "loadavgAtEnd": open("/proc/loadavg").read().split()[:3]}}
    with open(os.path.join(a.out, "result.json"), "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps({"medians": med, "ratios": ratios}, indent=2))


if __name__ == "__main__":
    main()
