"""How the bridge's memory and CPU grow with the pairs it keeps (issue 18, "Scale").

For each pair count, a simulator with that many generated pairs (one market step per pair every
100 ms) feeds a bridge subscribed to every pair's book at depth 100, trades and tickers. Once
every feed is ready (`/readyz`), the bridge's resident memory and CPU are read from /proc over a
steady window, with the Kraken frames it received and the bus frames it published (its
Prometheus counters) over the same window. Prints one Markdown table row per pair count.

    .venv/bin/python clients/python/benchmarks/bridge_scale.py --binary .build-dist/bin/krakenbridge \\
        --pairs 50,100,250,500 --seconds 20

Use a release binary (scripts/build-release.sh).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from processes import start_bridge, start_simulator, stop_all, wait_for  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def resident_mib(pid: int) -> float:
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * PAGE_BYTES / 2**20


def counter_total(metrics_url: str, name: str) -> float:
    """The sum of every series of counter `name` in the bridge's Prometheus text."""
    with urllib.request.urlopen(metrics_url, timeout=5) as response:
        text = response.read().decode()
    return sum(float(value) for value in re.findall(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.M))


def ready(metrics_url: str) -> bool:
    try:
        with urllib.request.urlopen(metrics_url.replace("/metrics", "/readyz"), timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def measure(binary: Path, pairs: int, seconds: float) -> dict[str, float]:
    symbols = [f"SIM{number}/USD" for number in range(1, pairs + 1)]
    with tempfile.TemporaryDirectory() as directory:
        simulator = start_simulator(binary, "--synthetic-pairs", str(pairs), "--tick-ms", "100")
        bridge = None
        try:
            bridge = start_bridge(binary, simulator, Path(directory), symbols, "--book-depth", "100", "--tickers",
                                  "--metrics-bind", "127.0.0.1:0", private=False)
            assert bridge.metrics, "the bridge reported no metrics endpoint"
            assert wait_for(lambda: ready(bridge.metrics), 120), f"not ready with {pairs} pairs"
            time.sleep(3)  # settle after the snapshots (a measurement window, not a wait for a condition)
            pid = bridge.process.pid
            cpu_before, received_before = cpu_seconds(pid), counter_total(bridge.metrics, "krakenbridge_frames_received_total")
            published_before = counter_total(bridge.metrics, "krakenbridge_messages_published_total")
            started = time.monotonic()
            peak = 0.0
            while time.monotonic() - started < seconds:
                peak = max(peak, resident_mib(pid))
                time.sleep(0.5)
            elapsed = time.monotonic() - started
            cpu = cpu_seconds(pid) - cpu_before
            received = counter_total(bridge.metrics, "krakenbridge_frames_received_total") - received_before
            published = counter_total(bridge.metrics, "krakenbridge_messages_published_total") - published_before
            return {"rss": peak, "cpu_percent": 100 * cpu / elapsed, "received": received / elapsed,
                    "published": published / elapsed, "cpu_us_per_frame": 1e6 * cpu / max(received, 1)}
        finally:
            stop_all(*([bridge.process] if bridge else []), simulator.process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", type=Path, required=True, help="krakenbridge executable (a release build)")
    parser.add_argument("--pairs", default="50,100,250,500", help="pair counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=20)
    options = parser.parse_args()
    print("| pairs | Kraken frames/s | bus frames/s | peak RSS MiB | bridge CPU % | CPU µs per Kraken frame |")
    print("|---|---|---|---|---|---|")
    for pairs in (int(text) for text in options.pairs.split(",")):
        figures = measure(options.binary, pairs, options.seconds)
        print(f"| {pairs} | {figures['received']:,.0f} | {figures['published']:,.0f} | {figures['rss']:.0f} | "
              f"{figures['cpu_percent']:.0f} | {figures['cpu_us_per_frame']:.1f} |")


if __name__ == "__main__":
    main()
