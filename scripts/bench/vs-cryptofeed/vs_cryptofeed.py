#!/usr/bin/env python3
"""Side by side with cryptofeed on the same wss replay (issue 18 §1; `scripts/bench.sh --only
vs-cryptofeed` / `vs-cryptofeed-v2`, which run this with the repository's .venv).

1. Records a book-depth-1000 + trade capture of `--pairs` pairs from `krakenbridge sim` (synthetic
   market) with `krakenbridge record`, and expands it to `--passes` passes (make_capture.py).
2. Serves it over wss from one `krakenbridge sim --replay CAP --replay-speed max --tls-dir DIR`.
3. Runs cryptofeed 2.4.1 (cf_runner.py in the bench venv; v1 only) and the bridge alternately
   `--alternations` times, each with its own counting subscriber, and measures each run.
4. Writes every run's raw JSON into the work directory and a Markdown table to `--markdown`.

What is measured, per run (docs/performance.md has the same text):
- window: first Kraken frame → last frame processed. cryptofeed: its runner's first
  `message_handler` call → all frames handled and its ZeroMQ queues empty. Bridge: the receive
  timestamp of the first data message → the publish timestamp of the last one, both from the
  bus headers (the bridge's own clock, ns).
- msg/s: Kraken frames (the capture's received frames, all of which each client must process)
  ÷ window.
- CPU µs/msg: process CPU (all threads) within the window ÷ frames. cryptofeed: its own
  `time.process_time()` at both ends (ns). Bridge: the process CPU clock (clock_gettime on the
  pid's CPU clock, ns resolution, all threads) sampled every 5 ms by this harness; the sample at or
  before the window start and the first at or after its end (so at most 5 ms of mostly idle time
  is added at each end). The harness samples the cryptofeed process the same way (its figure
  is kept in the raw JSON as a cross-check), so both runs carry the same sampling load.
- peak RSS: VmHWM of the process (cryptofeed: also its own getrusage; the larger is reported).
- lost: cryptofeed: messages handed to its ZeroMQ backends − received by the SUB. Bridge: data
  messages it published (book snapshots, updates and resets, trades; its counters) − data
  messages received, plus sequence gaps on every topic (the client package's SequenceTracker).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from harness import Sampler, bridge_command, bridge_environment, first_line, free_port, get_json, metrics, start_sim, stop, total  # noqa: E402

DEFAULT_PAIRS = "BTC/USD,ETH/USD,DOGE/USD,MATIC/USD,SOL/USD,ADA/USD,XRP/USD,LTC/USD,DOT/USD,LINK/USD"


def log(text: str) -> None:
    print(f"vs-cryptofeed: {text}", file=sys.stderr, flush=True)


# -- the capture -------------------------------------------------------------------------------

def make_capture(options, work: Path, protocol: str) -> tuple[Path, dict]:
    recorded, capture = work / f"recorded-{protocol}.jsonl", work / f"capture-{protocol}.jsonl"
    sim, ports = start_sim(options.binary, "--pairs", options.pairs, "--tick-ms", str(options.tick_ms),
                           "--steps-per-tick", str(options.steps_per_tick), "--seed", str(options.seed),
                           log_path=work / "sim-record.log")
    try:
        path = "/" if protocol == "v1" else "/v2"
        command = [str(options.binary), "record", "--protocol", protocol, "--ws-url", f"ws://127.0.0.1:{ports['public']}{path}",
                   "--rest-url", f"http://127.0.0.1:{ports['rest']}", "--pairs", options.pairs, "--book-depth", "1000",
                   "--max-frames", str(options.frames_per_pass), "--duration", "600", "-o", str(recorded)]
        log(" ".join(command))
        subprocess.run(command, check=True, timeout=900)
    finally:
        stop(sim)
    out = subprocess.run([sys.executable, str(HERE / "make_capture.py"), str(recorded), str(capture),
                          "--passes", str(options.passes), "--shape", str(work / f"shape-{protocol}.json")],
                         check=True, capture_output=True, text=True)
    shape = json.loads(out.stdout)
    log(f"capture shape: {json.dumps(shape)}")
    expected_subscribes = 2 if protocol == "v1" else 3
    if shape["subscribe_requests"] != expected_subscribes:
        raise SystemExit(f"vs-cryptofeed: the capture has {shape['subscribe_requests']} subscribe requests, "
                         f"expected {expected_subscribes} (book + trade)")
    return capture, shape


# -- one run each ------------------------------------------------------------------------------

def run_cryptofeed(options, work: Path, ports: dict, capture: Path, expected: int, shape: dict, tag: str) -> dict:
    port = free_port()
    sub = subprocess.Popen([str(options.bench_python), str(HERE / "zmq_count_sub.py"), str(port), "30", "0"],
                           stdout=subprocess.PIPE, stderr=(work / f"{tag}-sub.log").open("w"), text=True)
    first_line(sub, "zmq_count_sub.py", 30)
    try:
        return cryptofeed_with_sub(options, work, ports, capture, expected, shape, tag, port, sub)
    finally:
        stop(sub, signal.SIGKILL)


def cryptofeed_with_sub(options, work: Path, ports: dict, capture: Path, expected: int, shape: dict, tag: str,
                        port: int, sub: subprocess.Popen) -> dict:
    runner = subprocess.Popen(
        [str(options.bench_python), str(HERE / "cf_runner.py"), "--url", f"wss://127.0.0.1:{ports['public']}/",
         "--ca", str(work / "tls" / "ca.pem"), "--capture", str(capture), "--zmq-port", str(port),
         "--expect", str(expected), "--log", str(work / f"{tag}-cryptofeed.log")],
        stdout=subprocess.PIPE, stderr=(work / f"{tag}-runner.log").open("w"), text=True, cwd=work,
        env=dict(os.environ, PYTHONHASHSEED="0"))
    sampler = Sampler(runner.pid)
    try:
        out, _ = runner.communicate(timeout=options.timeout)
    finally:
        sampler.finish()
        if runner.poll() is None:
            stop(runner, signal.SIGKILL)
    result = json.loads(out.strip().splitlines()[-1]) if out.strip() else {"error": f"runner exit {runner.returncode}"}
    time.sleep(1.0)                            # what is still in flight on loopback
    stop(sub, signal.SIGINT)
    received = json.loads(sub.stdout.read().strip().splitlines()[-1])
    frames = result.get("frames") or 0
    cpu_external = None
    if result.get("window_start_ns"):
        cpu_external, _ = sampler.cpu_between(result["window_start_ns"], result["window_end_ns"])
    verifies = shape["cryptofeed_verifiable_updates"] * options.passes if not result.get("error") else None
    return {
        "impl": "cryptofeed", "run": tag, "frames": frames, "expected": expected, "window_s": result.get("elapsed_s"),
        "msg_per_s": result.get("msg_per_s"), "cpu_us_per_msg": result.get("cpu_us_per_msg"),
        "cpu_us_per_msg_sampled": round(cpu_external / frames * 1e6, 2) if cpu_external and frames else None,
        "peak_rss_mib": round(max(result.get("peak_rss_mib") or 0, sampler.hwm_kib / 1024), 1),
        "handed_to_zmq": result.get("handed_to_zmq"), "received": received.get("received"),
        "received_by_key": received.get("by_key"),
        "lost": (result.get("handed_to_zmq") or 0) - (received.get("received") or 0),
        "checksums_verified": verifies, "checksum_mismatches": 0 if verifies is not None else None,
        "error": result.get("error"), "runner": result,
        "window_start_ns": result.get("window_start_ns"), "window_end_ns": result.get("window_end_ns"),
    }


def run_bridge(options, work: Path, ports: dict, protocol: str, expected: int, tag: str) -> dict:
    port = free_port()
    endpoint = f"tcp://127.0.0.1:{port}"
    sub = subprocess.Popen([str(options.project_python), str(HERE / "bus_sub.py"), endpoint],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=(work / f"{tag}-sub.log").open("w"), text=True)
    first_line(sub, "bus_sub.py", 30)
    command = bridge_command(options.binary, ports, work / "tls", options.pairs, endpoint, protocol) + options.bridge_arg
    bridge = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=(work / f"{tag}-bridge.log").open("w"), text=True,
                              env=bridge_environment(), cwd=work)
    sampler = Sampler(bridge.pid)
    try:
        endpoints = json.loads(first_line(bridge, "krakenbridge run", 60))
        url = endpoints["metrics"]
        deadline = time.monotonic() + options.timeout
        frames = 0.0
        while time.monotonic() < deadline:
            time.sleep(0.2)
            frames = total(metrics(url), "krakenbridge_frames_received_total")
            if frames >= expected:
                break
        time.sleep(0.5)                        # the hub's last sends
        values = metrics(url)
        sampler.read_hwm()

        def counter(name: str) -> int:
            return int(total(values, "krakenbridge_feed_counter_total", name=name))

        snapshots, updates, trades = counter("book_snapshots"), counter("book_updates"), counter("trades")
        mismatches = int(total(values, "krakenbridge_checksum_failures_total"))
        published_data = snapshots + updates + trades + mismatches     # a mismatch publishes a book reset
        sub.stdin.write(f"stop {published_data}\n")
        sub.stdin.flush()
        received = json.loads(sub.stdout.readline())
    finally:
        sampler.finish()
        stop(bridge)
        stop(sub)
    window_ns = (received["last_publish_ns"] or 0) - (received["first_receive_ns"] or 0)
    cpu, span_ns = sampler.cpu_between(received["first_receive_ns"], received["last_publish_ns"])
    frames = int(frames)
    reconnections = int(total(values, "krakenbridge_reconnections_total"))
    verified = updates + (snapshots if protocol == "v2" else 0)     # v1 snapshots carry no checksum
    return {
        "impl": "krakenbridge", "run": tag, "protocol": protocol, "frames": frames, "expected": expected,
        "window_s": round(window_ns / 1e9, 3), "msg_per_s": round(frames / (window_ns / 1e9)) if window_ns > 0 else None,
        "cpu_us_per_msg": round(cpu / frames * 1e6, 2) if frames else None, "cpu_sample_span_s": round(span_ns / 1e9, 3),
        "peak_rss_mib": round(sampler.hwm_kib / 1024, 1),
        "published_data": published_data, "received_data": received["data"], "received_all": received["received"],
        "lost": published_data - received["data"] + received["gap_messages"] + received["missing_at_start"],
        "sequence_gaps": received["gaps"], "missing_at_start": received["missing_at_start"],
        "zmq_sent": int(total(values, "krakenbridge_zmq_sent_total")),
        "messages_published": int(total(values, "krakenbridge_messages_published_total")),
        "outbox_dropped": int(total(values, "krakenbridge_outbox_dropped_total")),
        "zmq_send_failures": int(total(values, "krakenbridge_zmq_send_failures_total")),
        "book_snapshots": snapshots, "book_updates": updates, "trades": trades,
        "checksums_verified": verified, "checksum_mismatches": mismatches,
        "reconnections": reconnections, "pong_timeouts": int(total(values, "krakenbridge_pong_timeouts_total")),
        "errors": int(total(values, "krakenbridge_errors_total")),
        # Frames are checked against the capture in main(), which knows the pongs the replay added.
        "error": None if mismatches == 0 and not reconnections
        else f"mismatches {mismatches}, reconnections {reconnections}",
        "sub": received, "window_start_ns": received["first_receive_ns"], "window_end_ns": received["last_publish_ns"],
    }


# -- the table ---------------------------------------------------------------------------------

def median(runs: list[dict], key: str):
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def markdown(protocol: str, shape: dict, results: dict[str, list[dict]], options) -> str:
    def fmt(value, digits=0):
        if value is None:
            return "–"
        return f"{value:,.{digits}f}"

    rows = ["| | msg/s (median) | min–max | CPU µs/msg (median) | peak RSS MiB (median) | lost per run | checksums verified per run (mismatches) | replay server's CPU (cores, median) |",
            "|---|---|---|---|---|---|---|---|"]
    names = {"cryptofeed": "cryptofeed 2.4.1 (checksum on, ZeroMQ backend)",
             "krakenbridge": f"KrakenBridge ({protocol})"}
    for impl, runs in results.items():
        rates = [r["msg_per_s"] for r in runs if r.get("msg_per_s")]
        lost = ", ".join(str(r["lost"]) for r in runs)
        verified = ", ".join(f"{r['checksums_verified']:,}" if r.get("checksums_verified") is not None else "–" for r in runs)
        mismatches = sum(r.get("checksum_mismatches") or 0 for r in runs)
        rows.append(f"| {names[impl]} | {fmt(median(runs, 'msg_per_s'))} | {fmt(min(rates) if rates else None)}–{fmt(max(rates) if rates else None)} "
                    f"| {fmt(median(runs, 'cpu_us_per_msg'), 1)} | {fmt(median(runs, 'peak_rss_mib'))} | {lost} | {verified} ({mismatches}) "
                    f"| {fmt(median(runs, 'sim_cpu_share'), 2)} |")
    lines = rows
    if "cryptofeed" in results and "krakenbridge" in results:
        b, c = results["krakenbridge"], results["cryptofeed"]
        rate = median(b, "msg_per_s") / median(c, "msg_per_s")
        cpu = median(b, "cpu_us_per_msg") / median(c, "cpu_us_per_msg")
        lines.append("")
        lines.append(f"Bridge / cryptofeed: **{rate:.1f}×** the messages per second, **{cpu:.2f}×** the CPU per message "
                     f"({1 / cpu:.1f}× less).")
    levels = shape.get("update_levels", {})
    update_text = ", ".join(f"{k}: {v}" for k, v in levels.items())
    snap = shape.get("snapshot_levels_per_side", {})
    lines.append("")
    capture_line = (f"Capture: `krakenbridge record --protocol {protocol}` of the simulator ({shape['depth']} depth, "
                    f"{len(options.pairs.split(','))} pairs, `--tick-ms {options.tick_ms} --steps-per-tick {options.steps_per_tick}`), "
                    f"{shape['pass_frames']:,} frames, expanded to {options.passes} passes = **{shape['frames']:,} frames** "
                    f"per run. Per pass: snapshots of {snap.get('min')}–{snap.get('max')} levels per side, "
                    f"{shape['book_updates']:,} book updates (levels per update {update_text})")
    if protocol == "v1":
        capture_line += (f", {shape['five_element_frames']:,} five-element frames, {shape['republish_levels']:,} republish levels, "
                         f"{shape['trade_frames']:,} trade frames; "
                         f"{len(shape['pairs_with_more_price_decimals_than_asset_pairs'])} of {shape['pairs_seen']} pairs' prices carry "
                         f"more decimals than AssetPairs' `pair_decimals`. cryptofeed verifies only the "
                         f"{shape['cryptofeed_verifiable_updates']:,} four-element updates per pass (it skips the checksum of "
                         f"five-element frames); the bridge verifies every update.")
    else:
        capture_line += f", {shape['trade_frames']:,} trade frames. cryptofeed has no v2 client; the bridge alone."
    lines.append(capture_line)
    lines.append("")
    lines.append(f"{options.alternations} alternations ({' then '.join(results)}), one replay server for all, "
                 f"`--replay-speed max` over wss; 2 cores shared by the simulator, the client under test, its "
                 f"counting subscriber (RCVHWM 0) and this harness's 5 ms CPU sampler, for both alike (no pinning). "
                 f"Raw JSON per run in the work directory.")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", type=Path, required=True, help="a release krakenbridge")
    parser.add_argument("--bench-python", type=Path, help="python of the venv with cryptofeed (v1)")
    parser.add_argument("--project-python", type=Path, default=Path(sys.executable), help="python with the krakenbridge client package")
    parser.add_argument("--protocol", choices=["v1", "v2"], default="v1", help="v1: cryptofeed and the bridge; v2: the bridge alone")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--passes", type=int, default=200)
    parser.add_argument("--alternations", type=int, default=3)
    parser.add_argument("--pairs", default=DEFAULT_PAIRS)
    parser.add_argument("--frames-per-pass", type=int, default=4300, help="record --max-frames")
    parser.add_argument("--tick-ms", type=int, default=2)
    parser.add_argument("--steps-per-tick", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600, help="seconds one run may take")
    parser.add_argument("--capture", type=Path, help="reuse this expanded capture (with --shape)")
    parser.add_argument("--shape", type=Path)
    parser.add_argument("--markdown", type=Path)
    parser.add_argument("--bridge-arg", action="append", default=[], help="one more argument for `krakenbridge run` (repeatable)")
    parser.add_argument("--bridge-only", action="store_true", help="v1 without cryptofeed (for profiling the bridge)")
    options = parser.parse_args()
    if options.protocol == "v1" and options.bench_python is None and not options.bridge_only:
        parser.error("--bench-python is needed for v1 (cryptofeed)")
    for name in ("binary", "bench_python", "project_python", "work", "capture", "shape", "markdown"):
        if getattr(options, name) is not None:        # absolute, not resolved: a venv's python is a symlink
            setattr(options, name, Path(os.path.abspath(getattr(options, name))))
    work = options.work
    work.mkdir(parents=True, exist_ok=True)

    if options.capture:
        capture, shape = options.capture, json.loads(options.shape.read_text())
        options.passes = shape["passes"]
    else:
        capture, shape = make_capture(options, work, options.protocol)
    expected = shape["frames"]

    log(f"starting the replay server ({expected:,} frames; parsing the capture takes a while)")
    sim, ports = start_sim(options.binary, "--replay", str(capture), "--replay-speed", "max", "--tls-dir", str(work / "tls"),
                           log_path=work / "sim-replay.log", seconds=900)
    counters = f"http://127.0.0.1:{ports['control']}/counters"
    sim_sampler = Sampler(sim.pid)           # is the replay server the limit? (its CPU share in each window)
    with_cryptofeed = options.protocol == "v1" and not options.bridge_only
    results: dict[str, list[dict]] = {"cryptofeed": [], "krakenbridge": []} if with_cryptofeed else {"krakenbridge": []}
    try:
        for index in range(1, options.alternations + 1):
            for impl in results:
                tag = f"{options.protocol}-{index}-{impl}"
                before = get_json(counters)
                sent_before = before.get("replay_frames_sent", 0)
                pings_before = before.get("replay_pings_answered", 0)
                log(f"run {tag}")
                if impl == "cryptofeed":
                    result = run_cryptofeed(options, work, ports, capture, expected, shape, tag)
                else:
                    result = run_bridge(options, work, ports, options.protocol, expected, tag)
                after = get_json(counters)
                result["sim_frames_sent"] = after.get("replay_frames_sent", 0) - sent_before
                # The replay answers the bridge's application pings (every 5 s): pongs on top of the capture.
                result["pongs"] = after.get("replay_pings_answered", 0) - pings_before
                # (a pong may go out after the bridge's last reading)
                frames = result.get("frames") or 0
                if impl == "krakenbridge" and not expected <= frames <= expected + result["pongs"] and not result.get("error"):
                    result["error"] = f"the bridge received {frames} frames, not {expected} + up to {result['pongs']} pongs"
                if result.get("window_start_ns") and result.get("window_end_ns"):
                    cpu, span = sim_sampler.cpu_between(result["window_start_ns"], result["window_end_ns"])
                    result["sim_cpu_share"] = round(cpu / (span / 1e9), 2) if span > 0 else None
                if result["sim_frames_sent"] != expected and not result.get("error"):
                    # more: the client reconnected and the replay started again; fewer: it left early
                    result["error"] = f"the replay server sent {result['sim_frames_sent']} frames, not {expected}"
                (work / f"{tag}.json").write_text(json.dumps(result, indent=1))
                log(json.dumps({k: result.get(k) for k in ("msg_per_s", "cpu_us_per_msg", "peak_rss_mib", "lost",
                                                          "checksums_verified", "error", "sim_frames_sent", "sim_cpu_share")}))
                results[impl].append(result)
                time.sleep(1.0)
    finally:
        sim_sampler.finish()
        stop(sim)
    text = markdown(options.protocol, shape, results, options)
    print(text)
    if options.markdown:
        options.markdown.write_text(text)
    failed = [r["run"] for runs in results.values() for r in runs if r.get("error")]
    if failed:
        raise SystemExit(f"vs-cryptofeed: runs with errors: {', '.join(failed)} (raw JSON in {work})")


if __name__ == "__main__":
    main()
