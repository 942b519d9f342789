"""Bridge → Python latency: from the moment the bridge read a Kraken frame off its socket (the bus
header's receive timestamp) to the moment a Python handler holds the decoded frame, at a given
offered rate.

A simulator (its market ticks paced to the rate) feeds a bridge; a Python subscriber on the
bridge's market endpoint decodes every frame and records `time.time_ns() - received_ns` (one
host, one clock): the blocking `Subscriber` and the asyncio `AsyncSubscriber` in turn. Prints
one Markdown table row per consumer and rate with p50/p99/p99.9/max and the rate the bus
actually carried.

    .venv/bin/python clients/python/benchmarks/bridge_latency.py --binary .build-dist/bin/krakenbridge \\
        --rates 1000,10000 --seconds 20

Use a release binary (scripts/build-release.sh); a debug one measures the debug build.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from processes import start_bridge, start_simulator, stop_all  # noqa: E402

from krakenbridge.aio import AsyncSubscriber  # noqa: E402
from krakenbridge.subscriber import Subscriber  # noqa: E402

MESSAGES_PER_PAIR_STEP = 0.9
"""About what one simulator step of one pair puts on the bus (measured: a book update most steps,
now and then a trade or a ticker; quiet steps change nothing)."""
TICK_MS = 5


def pairs_for(rate: int) -> list[str]:
    """Enough pairs, one step each per 5 ms tick, to offer about `rate` bus frames a second: the
    load spread over pairs and time as a real market's is, not in bursts."""
    count = max(1, round(rate / (MESSAGES_PER_PAIR_STEP * 1000 / TICK_MS)))
    return [f"SIM{number}/USD" for number in range(1, count + 1)]


def measure(binary: Path, rate: int, seconds: float, warmup: float, consumer: str) -> tuple[list[int], float]:
    """Latencies (ns) of every market frame received during `seconds` after `warmup`, and the
    frames per second the bus carried meanwhile, through `consumer` ("sync" or "asyncio")."""
    with tempfile.TemporaryDirectory() as directory:
        pairs = pairs_for(rate)
        simulator = start_simulator(binary, "--tick-ms", str(TICK_MS), "--synthetic-pairs", str(len(pairs)))
        bridge = None
        try:
            bridge = start_bridge(binary, simulator, Path(directory), pairs, private=False)
            consume = consume_sync if consumer == "sync" else consume_asyncio
            latencies = consume(bridge.market, warmup, seconds)
            return latencies, len(latencies) / seconds
        finally:
            stop_all(*([bridge.process] if bridge else []), simulator.process)


def consume_sync(endpoint: str, warmup: float, seconds: float) -> list[int]:
    latencies: list[int] = []
    with Subscriber(endpoint, receive_hwm=1_000_000) as subscriber:
        measuring_from = time.monotonic() + warmup
        until = measuring_from + seconds
        while (now := time.monotonic()) < until:
            frame = subscriber.receive(100)
            held = time.time_ns()
            if frame is not None and now >= measuring_from and frame.header.receive_ts_ns > 0:
                latencies.append(held - frame.header.receive_ts_ns)
    return latencies


def consume_asyncio(endpoint: str, warmup: float, seconds: float) -> list[int]:
    async def run() -> list[int]:
        latencies: list[int] = []
        subscriber = AsyncSubscriber(endpoint, recover=False, synchronise=False, receive_hwm=1_000_000, idle_timeout=1.0)
        try:
            measuring_from = time.monotonic() + warmup
            until = measuring_from + seconds
            async for frame in subscriber:
                held = time.time_ns()
                now = time.monotonic()
                if now >= until:
                    break
                if now >= measuring_from and frame.header.receive_ts_ns > 0:
                    latencies.append(held - frame.header.receive_ts_ns)
        finally:
            subscriber.close()
        return latencies
    return asyncio.run(run())


def percentile(values: list[int], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", type=Path, required=True, help="krakenbridge executable (a release build)")
    parser.add_argument("--rates", default="1000,10000", help="offered bus frames per second, comma-separated")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    options = parser.parse_args()
    print("| consumer | offered / s | carried / s | frames | p50 µs | p99 µs | p99.9 µs | max µs |")
    print("|---|---|---|---|---|---|---|---|")
    for rate in (int(text) for text in options.rates.split(",")):
        for consumer in ("sync", "asyncio"):
            latencies, carried = measure(options.binary, rate, options.seconds, options.warmup, consumer)
            if not latencies:
                print(f"| {consumer} | {rate:,} | 0 | 0 | – | – | – | – |")
                continue
            print(f"| {consumer} | {rate:,} | {carried:,.0f} | {len(latencies):,} | {statistics.median(latencies) / 1000:.0f} | "
                  f"{percentile(latencies, 0.99):.0f} | {percentile(latencies, 0.999):.0f} | {max(latencies) / 1000:.0f} |")


if __name__ == "__main__":
    main()
