"""Python consumer throughput: bus frames received, decoded and sequence-tracked per second,
with the blocking client and with asyncio (awaiting each message, and batch draining at several
batch sizes), against the raw pyzmq receive loop on the same feed.

The feed is `krakenbridge synth` (trades and tickers on many pairs, three-frame bus messages as
the bridge publishes them). For each measurement the subscriber connects with an unlimited
receive queue, the publisher sends all its messages while the subscriber does not read (they
queue in the subscriber's pipe), and then the clock runs while the consumer empties the queue:
what is measured is the consumer alone, not the publisher or the 2-core machine's scheduling
of both. A second part measures the CPU cost of decode + track (+ book apply) alone on frames
already received: synth's trades and a bridge's book updates (simulator in throughput mode).

    .venv/bin/python clients/python/benchmarks/consumer_throughput.py --binary /path/to/krakenbridge

Prints Markdown tables. Each figure is the median of --runs runs.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Union

import zmq
import zmq.asyncio

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from processes import start_bridge, start_simulator, stop_all  # noqa: E402

from krakenbridge.aio import AsyncSubscriber  # noqa: E402
from krakenbridge.book import Books  # noqa: E402
from krakenbridge.sequence import SequenceTracker  # noqa: E402
from krakenbridge.subscriber import Subscriber  # noqa: E402
from krakenbridge.wire import decode_frames  # noqa: E402

Consumer = Callable[[str, int], Union[float, Awaitable[float]]]
"""(endpoint, messages) → seconds taken to receive them; the socket is connected and filled by
the harness through `connect`."""


class Feed:
    """Runs `krakenbridge synth` to publish `messages` data frames once one subscriber is there."""

    def __init__(self, binary: Path, pairs: int) -> None:
        self.binary = binary
        self.pairs = ",".join(f"P{i}/USD" for i in range(pairs))

    def start(self, messages: int) -> tuple[subprocess.Popen[str], str]:
        process = subprocess.Popen([str(self.binary), "synth", "--bind", "tcp://127.0.0.1:*", "--pairs", self.pairs,
                                    "--rate", "1000", "--count", str(messages), "--wait-subscribers", "1"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert process.stderr is not None
        ready, _, _ = select.select([process.stderr], [], [], 30)
        line = process.stderr.readline() if ready else ""
        match = re.search(r" on (tcp://\S+)", line)
        if match is None:
            process.kill()
            raise SystemExit(f"synth did not start: {line!r}")
        return process, match.group(1)


def fill(feed: Feed, messages: int, socket: zmq.Socket) -> None:  # type: ignore[type-arg]
    """Connects `socket` (already subscribed) to a fresh synth and waits until synth has sent
    everything into it."""
    process, endpoint = feed.start(messages)
    try:
        socket.connect(endpoint)
        process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    time.sleep(0.3)  # the last messages off the wire into the subscriber's queue


def unlimited_sub(context: zmq.Context) -> zmq.Socket:  # type: ignore[type-arg]
    socket = context.socket(zmq.SUB)
    socket.setsockopt(zmq.RCVHWM, 0)
    socket.setsockopt(zmq.LINGER, 0)
    socket.setsockopt(zmq.SUBSCRIBE, b"")
    return socket


# -- consumers -----------------------------------------------------------------------------------

def sync_raw(feed: Feed, messages: int) -> tuple[int, float]:
    """pyzmq alone: recv_multipart() until the queue is empty; nothing decoded."""
    context = zmq.Context()
    socket = unlimited_sub(context)
    fill(feed, messages, socket)
    count = 0
    started = time.perf_counter()
    while socket.poll(200):
        while True:
            try:
                socket.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                break
            count += 1
    elapsed = time.perf_counter() - started - 0.2
    socket.close(0)
    context.term()
    return count, elapsed


def sync_decode_track(feed: Feed, messages: int) -> tuple[int, float]:
    """A blocking loop as a strategy thread would run it: recv_multipart(NOBLOCK) until empty,
    decode_frames, SequenceTracker.observe."""
    context = zmq.Context()
    socket = unlimited_sub(context)
    fill(feed, messages, socket)
    tracker = SequenceTracker()
    count = 0
    started = time.perf_counter()
    while socket.poll(200):
        while True:
            try:
                parts = socket.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                break
            tracker.observe(decode_frames(parts))
            count += 1
    elapsed = time.perf_counter() - started - 0.2
    assert not tracker.gaps, tracker.gaps[:3]
    socket.close(0)
    context.term()
    return count, elapsed


def sync_subscriber(feed: Feed, messages: int) -> tuple[int, float]:
    """krakenbridge.Subscriber.receive(): decode, track (a poll only when nothing is queued)."""
    context = zmq.Context()
    subscriber = Subscriber("tcp://127.0.0.1:1", context=context, receive_hwm=0)
    subscriber.socket.disconnect("tcp://127.0.0.1:1")
    fill(feed, messages, subscriber.socket)
    count = 0
    started = time.perf_counter()
    while subscriber.receive(200) is not None:
        count += 1
    elapsed = time.perf_counter() - started - 0.2
    assert not subscriber.gaps
    subscriber.close()
    context.term()
    return count, elapsed


def aio_naive(feed: Feed, messages: int) -> tuple[int, float]:
    """asyncio, one `await socket.recv_multipart()` per message, decode, track."""

    async def run() -> tuple[int, float]:
        context = zmq.asyncio.Context()
        socket = context.socket(zmq.SUB)
        socket.setsockopt(zmq.RCVHWM, 0)
        socket.setsockopt(zmq.LINGER, 0)
        socket.setsockopt(zmq.SUBSCRIBE, b"")
        await asyncio.get_running_loop().run_in_executor(None, fill, feed, messages, socket)
        tracker = SequenceTracker()
        count = 0
        started = time.perf_counter()
        while count < messages:
            tracker.observe(decode_frames(await socket.recv_multipart()))
            count += 1
        elapsed = time.perf_counter() - started
        socket.close(0)
        context.term()
        return count, elapsed

    return asyncio.run(run())


def aio_subscriber(batch_limit: int) -> Callable[[Feed, int], tuple[int, float]]:
    def measure(feed: Feed, messages: int) -> tuple[int, float]:
        """krakenbridge.aio.AsyncSubscriber: one awaited poll per wake-up, then up to
        `batch_limit` NOBLOCK reads, decode, track; frames taken with `async for`."""

        async def run() -> tuple[int, float]:
            context = zmq.asyncio.Context()
            subscriber = AsyncSubscriber([], [b""], batch_limit=batch_limit, receive_hwm=0, context=context,
                                         idle_timeout=0.2)
            await asyncio.get_running_loop().run_in_executor(None, fill, feed, messages, subscriber._drainer)
            count = 0
            started = time.perf_counter()
            async for _ in subscriber:
                count += 1
            elapsed = time.perf_counter() - started - 0.2
            assert not subscriber.gaps
            subscriber.close()
            context.term()
            return count, elapsed

        return asyncio.run(run())

    measure.__doc__ = f"AsyncSubscriber, batch_limit={batch_limit}"
    return measure


# -- decode + track (+ books) on frames already received ------------------------------------------

def capture(socket: zmq.Socket, count: int, seconds: float = 60) -> list[list[bytes]]:  # type: ignore[type-arg]
    messages: list[list[bytes]] = []
    deadline = time.monotonic() + seconds
    while len(messages) < count and time.monotonic() < deadline:
        if socket.poll(500):
            messages.append(socket.recv_multipart())
    return messages


def cpu_only(messages: list[list[bytes]], books: bool) -> float:
    """Frames per second of decode_frames + SequenceTracker.observe (+ Books.apply)."""
    tracker = SequenceTracker()
    held = Books()
    started = time.perf_counter()
    if books:
        for parts in messages:
            frame = decode_frames(parts)
            tracker.observe(frame)
            held.apply(frame)
    else:
        for parts in messages:
            tracker.observe(decode_frames(parts))
    return len(messages) / (time.perf_counter() - started)


def book_frames(binary: Path, count: int) -> list[list[bytes]]:
    """Book updates as a bridge publishes them, from the simulator's throughput mode."""
    with tempfile.TemporaryDirectory() as directory:
        simulator = start_simulator(binary, "--throughput", "--pairs", "BTC/USD,ETH/USD,DOGE/USD,MATIC/USD")
        try:
            bridge = start_bridge(binary, simulator, Path(directory), ["BTC/USD", "ETH/USD", "DOGE/USD", "MATIC/USD"],
                                  private=False)
        except BaseException:
            stop_all(simulator.process)
            raise
        context = zmq.Context()
        try:
            socket = unlimited_sub(context)
            socket.setsockopt(zmq.UNSUBSCRIBE, b"")
            socket.setsockopt(zmq.SUBSCRIBE, b"book:")
            socket.connect(bridge.market)
            messages = capture(socket, count)
            socket.close(0)
        finally:
            context.term()
            stop_all(bridge.process, simulator.process)
    # From the first snapshot of each book on, so that every update applies.
    first: dict[bytes, int] = {}
    for index, parts in enumerate(messages):
        if decode_frames(parts).header.is_snapshot:
            first.setdefault(parts[0], index)
    start = max(first.values()) if first else 0
    return messages[start:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", type=Path, required=True, help="the krakenbridge executable")
    parser.add_argument("--messages", type=int, default=300_000, help="messages per run")
    parser.add_argument("--pairs", type=int, default=50, help="synth pairs (topics: two per pair)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-limits", default="1,16,64,256,1024")
    options = parser.parse_args()
    feed = Feed(options.binary, options.pairs)

    consumers: list[tuple[str, Callable[[Feed, int], tuple[int, float]]]] = [
        ("sync: pyzmq recv_multipart only (no decoding; the ceiling)", sync_raw),
        ("sync: recv_multipart(NOBLOCK) drain + decode + track", sync_decode_track),
        ("sync: krakenbridge.Subscriber.receive() + decode + track", sync_subscriber),
        ("asyncio: await recv_multipart() per message + decode + track", aio_naive),
    ] + [(f"asyncio: AsyncSubscriber, batch_limit {limit}", aio_subscriber(int(limit)))
         for limit in options.batch_limits.split(",")]
    print(f"| consumer ({options.messages} messages of synth, {options.pairs} pairs) | frames/s (median of "
          f"{options.runs}) | min | max |")
    print("|---|---|---|---|")
    for name, consumer in consumers:
        rates = []
        for _ in range(options.runs):
            count, elapsed = consumer(feed, options.messages)
            assert count >= options.messages, f"{name}: {count} of {options.messages} messages"
            rates.append(count / elapsed)
        print(f"| {name} | {statistics.median(rates) / 1000:.0f} k | {min(rates) / 1000:.0f} k | "
              f"{max(rates) / 1000:.0f} k |", flush=True)

    context = zmq.Context()
    socket = unlimited_sub(context)
    fill(feed, 200_000, socket)
    trades = capture(socket, 200_000)
    socket.close(0)
    context.term()
    books = book_frames(options.binary, 100_000)
    print()
    print("| decode + track on frames already received (no socket) | frames/s (median) |")
    print("|---|---|")
    for name, messages, with_books in (("synth trades/tickers: decode + track", trades, False),
                                       (f"bridge book updates ({len(books)}): decode + track", books, False),
                                       ("bridge book updates: decode + track + Books.apply (exact Decimal levels)",
                                        books, True)):
        rates = [cpu_only(messages, with_books) for _ in range(options.runs)]
        print(f"| {name} | {statistics.median(rates) / 1000:.0f} k |", flush=True)


if __name__ == "__main__":
    main()
