#!/usr/bin/env python3
"""Soak (issue 18 §10): one release bridge for `--minutes` (default 10) against `krakenbridge sim`
serving a live v1 market over wss at about 20,000 msg/s (60 pairs stepped every millisecond,
book depth 1000 and trades), while the simulator injects faults on a timer: a dropped
connection, corrupt checksums, malformed JSON and oversized frames. The bridge's resident memory
is sampled every 5 s; after the warm-up it must grow less than 5 %. A subscriber
(`krakenbridge-bench latency-subscribe`) reads the whole bus meanwhile and reports its latencies.
Prints a Markdown table (scripts/bench.sh writes it into docs/performance.md).

Usage: soak.py --binary KRAKENBRIDGE --bench KRAKENBRIDGE-BENCH --work DIR [--minutes M] [--warmup S]"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from harness import absolute_paths, add_common_arguments, bridge_command, bridge_environment, first_line, free_port, metrics, start_sim, stop, total  # noqa: E402

PAIRS = 60
GROWTH_LIMIT = 0.05
# Periodic faults (at_ms/every_ms as the simulator's --scenario reads them).
FAULTS = [
    {"at_ms": 45_000, "every_ms": 120_000, "kind": "disconnect", "target": "public"},
    {"at_ms": 20_000, "every_ms": 30_000, "kind": "corrupt_checksum", "symbol": "BTC/USD"},
    {"at_ms": 35_000, "every_ms": 60_000, "kind": "malformed_json", "target": "public"},
    {"at_ms": 50_000, "every_ms": 90_000, "kind": "oversized_frame", "target": "public", "bytes": 8_388_608},
]


def log(text: str) -> None:
    print(f"soak: {text}", file=sys.stderr, flush=True)


def resident_kib(pid: int) -> int:
    match = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    return int(match.group(1)) if match else 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def errors_by_kind(values: dict[str, float]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for key, value in values.items():
        if key.startswith("krakenbridge_errors_total{") and value:
            match = re.search(r'kind="([^"]+)"', key)
            if match:
                kinds[match.group(1)] = kinds.get(match.group(1), 0) + int(value)
    return kinds


def soak(options) -> dict:
    work = options.work
    scenario = work / "faults.json"
    scenario.write_text(json.dumps(FAULTS, indent=1))
    known = ["BTC/USD", "ETH/USD", "DOGE/USD", "MATIC/USD"]
    names = known + [f"SIM{i}/USD" for i in range(1, PAIRS - len(known) + 1)]
    sim, ports = start_sim(options.binary, "--pairs", ",".join(known), "--synthetic-pairs", str(PAIRS - len(known)),
                           "--tick-ms", "1", "--scenario", str(scenario), "--tls-dir", str(work / "tls"),
                           log_path=work / "sim.log")
    endpoint = f"tcp://127.0.0.1:{free_port()}"
    duration = options.minutes * 60
    subscriber = subprocess.Popen(
        [str(options.bench), "latency-subscribe", "--endpoint", endpoint, "--warmup", str(options.warmup),
         "--seconds", str(duration - options.warmup)],
        stdout=subprocess.PIPE, stderr=(work / "subscriber.log").open("w"), text=True)
    bridge = None
    try:
        first_line(subscriber, "latency-subscribe", 30)
        command = bridge_command(options.binary, ports, work / "tls", ",".join(names), endpoint)
        bridge = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=(work / "bridge.log").open("w"),
                                  text=True, env=bridge_environment(), cwd=work)
        url = json.loads(first_line(bridge, "krakenbridge run", 60))["metrics"]
        started = time.monotonic()
        samples: list[dict] = []
        while time.monotonic() - started < duration:
            time.sleep(5)
            if bridge.poll() is not None:
                raise SystemExit(f"soak: the bridge exited ({bridge.returncode}); see {work / 'bridge.log'}")
            values = metrics(url)
            samples.append({"t_s": round(time.monotonic() - started, 1), "rss_kib": resident_kib(bridge.pid),
                            "cpu_s": cpu_seconds(bridge.pid), "frames": total(values, "krakenbridge_frames_received_total")})
        line = subscriber.stdout.readline()
        latency = json.loads(line) if line else None
        values = metrics(url)
    finally:
        if bridge is not None:
            stop(bridge)
        stop(subscriber)
        stop(sim)
    after_warmup = [s for s in samples if s["t_s"] >= options.warmup]
    baseline, final = after_warmup[0], after_warmup[-1]
    peak = max(s["rss_kib"] for s in after_warmup)
    span = final["t_s"] - baseline["t_s"]
    result = {
        "minutes": options.minutes, "warmup_s": options.warmup,
        "rss_after_warmup_mib": round(baseline["rss_kib"] / 1024, 1), "rss_final_mib": round(final["rss_kib"] / 1024, 1),
        "rss_peak_after_warmup_mib": round(peak / 1024, 1),
        "growth": round((final["rss_kib"] - baseline["rss_kib"]) / baseline["rss_kib"], 4),
        "peak_growth": round((peak - baseline["rss_kib"]) / baseline["rss_kib"], 4),
        "kraken_msg_per_s": round((final["frames"] - baseline["frames"]) / span) if span > 0 else None,
        "cpu_cores": round((final["cpu_s"] - baseline["cpu_s"]) / span, 3) if span > 0 else None,
        "reconnections": int(total(values, "krakenbridge_reconnections_total")),
        "checksum_failures": int(total(values, "krakenbridge_checksum_failures_total")),
        "errors": errors_by_kind(values), "latency": latency, "faults": FAULTS, "samples": samples,
    }
    (work / "soak.json").write_text(json.dumps(result, indent=1))
    return result


def markdown(r: dict) -> str:
    latency = r["latency"] or {}
    send = latency.get("receive_to_send_ns", {})
    errors = ", ".join(f"{k} {v}" for k, v in sorted(r["errors"].items())) or "none"
    verdict = "met" if r["growth"] < GROWTH_LIMIT and r["peak_growth"] < GROWTH_LIMIT else "not met"
    lines = [
        "| minutes | Kraken msg/s | resident MiB after warm-up → end (peak) | growth (peak) | CPU (cores) "
        "| reconnections | checksum failures | errors counted | receive → zmq_send p99 / p99.9 (µs) |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {r['minutes']:g} | {r['kraken_msg_per_s']:,} | {r['rss_after_warmup_mib']} → {r['rss_final_mib']} "
        f"({r['rss_peak_after_warmup_mib']}) | {r['growth'] * 100:+.1f} % ({r['peak_growth'] * 100:+.1f} %) | {r['cpu_cores']} "
        f"| {r['reconnections']} | {r['checksum_failures']} | {errors} "
        f"| {send.get('p99', 0) / 1000:,.1f} / {send.get('p99_9', 0) / 1000:,.1f} |",
        "",
        f"Growth limit {GROWTH_LIMIT * 100:.0f} % after a {r['warmup_s']:g} s warm-up: **{verdict}**. v1 over wss from "
        f"`krakenbridge sim --tick-ms 1` with {PAIRS} pairs (book depth 1000, trade), faults on a timer "
        "(scripts/bench/soak/soak.py): " + "; ".join(
            f"{f['kind']} every {f['every_ms'] // 1000} s from {f['at_ms'] // 1000} s" for f in r["faults"]) +
        ". Resident memory (VmRSS) sampled every 5 s; the raw samples are in the work folder.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=60)
    options = parser.parse_args()
    absolute_paths(options, "binary", "bench", "work", "markdown")
    result = soak(options)
    text = markdown(result)
    print(text)
    if options.markdown:
        options.markdown.write_text(text)
    if result["growth"] >= GROWTH_LIMIT or result["peak_growth"] >= GROWTH_LIMIT:
        raise SystemExit(f"soak: resident memory grew {result['growth'] * 100:.1f} % (peak {result['peak_growth'] * 100:.1f} %)")


if __name__ == "__main__":
    main()
