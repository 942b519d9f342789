#!/usr/bin/env python3
"""Latency at offered rates (issue 18 §8): for each rate, the simulator serves a live v1 market
over wss at a paced rate (`--tick-ms` and pairs chosen for it), one release bridge subscribes to
book (depth 1000) and trade, and `krakenbridge-bench latency-subscribe` records every data
message's receive → zmq_send, exchange → subscriber and receive → subscriber latencies in
HdrHistograms. Prints a Markdown table (scripts/bench.sh writes it into docs/performance.md).

Usage: latency.py --binary KRAKENBRIDGE --bench KRAKENBRIDGE-BENCH --work DIR [--rates 1000,10000,50000]
                  [--seconds S] [--warmup S] [--runs N]"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from harness import absolute_paths, add_common_arguments, bridge_command, bridge_environment, Sampler, first_line, free_port, metrics, start_sim, stop, total  # noqa: E402

# Offered rate → (pairs, tick ms, steps per tick). One tick sends, per pair, about one book
# update (a step that changes nothing sends none) plus the trades it made, every pair's frames
# back to back: the offered load comes in bursts of about `pairs` frames per tick, as Kraken's
# does when a price moves across pairs. The measured rate is what the table shows.
SHAPES = {1_000: (2, 2, 1), 10_000: (10, 1, 1), 50_000: (120, 1, 1)}
KNOWN_PAIRS = ["BTC/USD", "ETH/USD", "DOGE/USD", "MATIC/USD"]


def log(text: str) -> None:
    print(f"latency: {text}", file=sys.stderr, flush=True)


def pair_names(count: int) -> tuple[str, int]:
    """The simulator's `--pairs` and `--synthetic-pairs` for `count` pairs, and the v2 names."""
    known = KNOWN_PAIRS[:min(count, len(KNOWN_PAIRS))]
    synthetic = count - len(known)
    return ",".join(known), synthetic


def run_rate(options, rate: int, spin_us: int, run: int) -> dict:
    pairs, tick_ms, steps = SHAPES[rate]
    known, synthetic = pair_names(pairs)
    names = known.split(",") + [f"SIM{i}/USD" for i in range(1, synthetic + 1)]
    tag = f"{rate}-spin{spin_us}-{run}"
    work = options.work
    sim, ports = start_sim(options.binary, "--pairs", known, "--synthetic-pairs", str(synthetic), "--tick-ms", str(tick_ms),
                           "--steps-per-tick", str(steps), "--tls-dir", str(work / "tls"), log_path=work / f"{tag}-sim.log")
    endpoint = f"tcp://127.0.0.1:{free_port()}"
    subscriber = subprocess.Popen(
        [str(options.bench), "latency-subscribe", "--endpoint", endpoint, "--warmup", str(options.warmup),
         "--seconds", str(options.seconds)],
        stdout=subprocess.PIPE, stderr=(work / f"{tag}-subscriber.log").open("w"), text=True)
    bridge = None
    try:
        first_line(subscriber, "latency-subscribe", 30)
        command = bridge_command(options.binary, ports, work / "tls", ",".join(names), endpoint) + [
            "--bus-idle-spin-us", str(spin_us)]
        window_start_ns = time.time_ns() + int(options.warmup * 1e9)
        bridge = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=(work / f"{tag}-bridge.log").open("w"),
                                  text=True, env=bridge_environment(), cwd=work)
        sampler = Sampler(bridge.pid)
        endpoints = json.loads(first_line(bridge, "krakenbridge run", 60))
        time.sleep(max(0.0, (window_start_ns - time.time_ns()) / 1e9))
        handoff_before = handoff_buckets(metrics(endpoints["metrics"]))
        line = subscriber.stdout.readline()
        if not line:
            raise SystemExit(f"latency: the subscriber ended without a result (see {work / f'{tag}-subscriber.log'})")
        result = json.loads(line)
        values = metrics(endpoints["metrics"])
        sampler.finish()
        handoff = {le: count - handoff_before.get(le, 0) for le, count in handoff_buckets(values).items()}
        result["receive_to_handoff_bucket_us"] = {"p50": bucket_percentile(handoff, 0.5), "p99": bucket_percentile(handoff, 0.99)}
        cpu, span_ns = sampler.cpu_between(window_start_ns, window_start_ns + int(options.seconds * 1e9))
        result["bridge_cpu_cores"] = round(cpu / (span_ns / 1e9), 3) if span_ns > 0 else None
        result["rate"] = rate
        result["idle_spin_us"] = spin_us
        result["shape"] = {"pairs": pairs, "tick_ms": tick_ms, "steps_per_tick": steps}
        result["checksum_mismatches"] = int(total(values, "krakenbridge_checksum_failures_total"))
        result["reconnections"] = int(total(values, "krakenbridge_reconnections_total"))
        result["outbox_dropped"] = int(total(values, "krakenbridge_outbox_dropped_total"))
        result["peak_rss_mib"] = round(sampler.hwm_kib / 1024, 1)
        (work / f"{tag}.json").write_text(json.dumps(result, indent=1))
        return result
    finally:
        if bridge is not None:
            stop(bridge)
        stop(subscriber)
        stop(sim)


def handoff_buckets(values: dict[str, float]) -> dict[float, float]:
    """The bridge's receive → hand-off histogram (`krakenbridge_publish_latency_seconds`,
    cumulative buckets): upper bound in seconds → count."""
    buckets = {}
    for key, value in values.items():
        if key.startswith("krakenbridge_publish_latency_seconds_bucket{"):
            bound = key.split('le="', 1)[1].split('"', 1)[0]
            buckets[float("inf") if bound == "+Inf" else float(bound)] = value
    return buckets


def bucket_percentile(buckets: dict[float, float], fraction: float) -> str:
    """The upper bound (µs) of the bucket holding the `fraction` quantile, as '≤ N'."""
    if not buckets or max(buckets.values()) <= 0:
        return "–"
    wanted = fraction * max(buckets.values())
    for bound in sorted(buckets):
        if buckets[bound] >= wanted:
            return "> 1 s" if bound == float("inf") else f"≤ {bound * 1e6:g}"
    return "–"


def microseconds(ns: float) -> str:
    return f"{ns / 1000:,.1f}"


def markdown(results: dict[tuple[int, int], list[dict]], options) -> str:
    rows = ["| offered (measured msg/s) | `--bus-idle-spin-us` | bridge CPU (cores) | messages "
            "| receive → zmq_send p50 / p99 / p99.9 / max (µs) "
            "| of which receive → hand-off p50 / p99 (µs) "
            "| exchange → subscriber p50 / p99 / p99.9 / max (µs) | receive → subscriber p99 (µs) |",
            "|---|---|---|---|---|---|---|---|"]
    for (spin_us, rate), runs in results.items():
        # The run with the median receive → zmq_send p99 stands for the rate; the others are in the work folder.
        ranked = sorted(runs, key=lambda r: r["receive_to_send_ns"]["p99"])
        r = ranked[len(ranked) // 2]
        send, exchange, sub = r["receive_to_send_ns"], r["exchange_to_subscriber_ns"], r["receive_to_subscriber_ns"]
        p99s = ", ".join(microseconds(x["receive_to_send_ns"]["p99"]) for x in runs)
        rows.append(f"| {rate:,} ({r['msg_per_s']:,.0f}) | {spin_us} | {r['bridge_cpu_cores']} | {r['messages']:,} "
                    f"| {microseconds(send['p50'])} / **{microseconds(send['p99'])}** / {microseconds(send['p99_9'])} / {microseconds(send['max'])} "
                    f"| {r['receive_to_handoff_bucket_us']['p50']} / {r['receive_to_handoff_bucket_us']['p99']} "
                    f"| {microseconds(exchange['p50'])} / {microseconds(exchange['p99'])} / {microseconds(exchange['p99_9'])} / {microseconds(exchange['max'])} "
                    f"| {microseconds(sub['p99'])} |")
        if len(runs) > 1:
            rows[-1] = rows[-1][:-1] + f"(p99 receive → zmq_send of the {len(runs)} runs: {p99s}) |"
    lines = rows + ["",
                    f"Each rate: {options.warmup:g} s warm-up, then {options.seconds:g} s recorded by a SUB (RCVHWM 0) with "
                    "HdrHistogram (3 significant digits), every book snapshot, update, reset and trade. v1, book depth 1000 "
                    "and trade over wss from `krakenbridge sim` (pairs and `--tick-ms` per rate in scripts/bench/latency/latency.py), "
                    "release build, 2 cores shared by the simulator, the bridge and the subscriber. `--bus-idle-spin-us`: how long "
                    "the bridge's ZeroMQ thread spins for more messages before it sleeps (0, the default: at once); bridge CPU is "
                    "its process CPU clock over the recorded seconds. Receive → hand-off: the bridge's own histogram "
                    "(`krakenbridge_publish_latency_seconds`, receive → the outbox of the ZeroMQ thread; its bucket bounds) over "
                    "the same seconds. Receive → zmq_send is "
                    "the header's publish time (stamped by the hub just before `zmq_send`) minus its receive time; exchange "
                    "→ subscriber is the subscriber's clock at receipt minus the header's exchange time (the simulator's "
                    "microsecond timestamp when it made the change)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--rates", default="1000,10000,50000")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--idle-spin-us", default="0,2000", help="the bridge's --bus-idle-spin-us values to run")
    options = parser.parse_args()
    absolute_paths(options, "binary", "bench", "work", "markdown")
    rates = [int(r) for r in options.rates.split(",")]
    unknown = [r for r in rates if r not in SHAPES]
    if unknown:
        parser.error(f"no simulator shape for {unknown}; known: {sorted(SHAPES)}")
    spins = [int(s) for s in options.idle_spin_us.split(",")]
    results: dict[tuple[int, int], list[dict]] = {(spin, rate): [] for spin in spins for rate in rates}
    for run in range(1, options.runs + 1):
        for spin, rate in results:
            log(f"rate {rate:,} msg/s, spin {spin} µs, run {run}")
            result = run_rate(options, rate, spin, run)
            log(json.dumps({k: result[k] for k in ("msg_per_s", "bridge_cpu_cores", "receive_to_send_ns", "exchange_to_subscriber_ns")}))
            results[(spin, rate)].append(result)
    text = markdown(results, options)
    print(text)
    if options.markdown:
        options.markdown.write_text(text)
    bad = [f"{r['rate']}" for runs in results.values() for r in runs
           if r["checksum_mismatches"] or r["reconnections"] or r["outbox_dropped"] or r["malformed"] or not r["messages"]]
    if bad:
        raise SystemExit(f"latency: runs with mismatches, reconnections, drops or no messages at rates {', '.join(bad)}")


if __name__ == "__main__":
    main()
