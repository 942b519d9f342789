"""krakenbridge.aio against the real thing: `krakenbridge sim` and `krakenbridge run` as processes,
a lossy relay (tests/relay.py) to make gaps exactly where a test wants them, and asyncio consumers
that must repair them by themselves through the bridge's control socket."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
import urllib.request
from decimal import Decimal

import pytest
import zmq

from krakenbridge.aio import AsyncControlClient, AsyncSubscriber, LivenessTimeout, Recovery
from krakenbridge.book import Book, Books
from krakenbridge.sequence import Gap
from krakenbridge.v1 import account_pb2, frame_pb2, market_pb2
from processes import simulator_and_bridge, start_bridge, start_simulator, stop_all, wait_for
from relay import LossyRelay

SYMBOLS = ["BTC/USD", "ETH/USD"]
BTC_BOOK = "book:BTC/USD:10:"


def simulator_request(simulator, method: str, path: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{simulator.ports['control']}{path}",
                                     data=b"" if method == "POST" else None, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


async def receive_until(sub: AsyncSubscriber, handle, done, seconds: float = 30) -> None:
    """Hands frames to `handle` until `done()`; fails after `seconds` or when the feed goes quiet."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "condition not reached in time"
        frame = await sub.receive(timeout=10)
        assert frame is not None, "the bridge went quiet"
        handle(frame)


async def drain(sub: AsyncSubscriber, handle, quiet: float = 1.0, seconds: float = 30) -> None:
    """Hands frames to `handle` until none arrives for `quiet` seconds."""
    deadline = time.monotonic() + seconds
    while (frame := await sub.receive(timeout=quiet)) is not None:
        handle(frame)
        assert time.monotonic() < deadline, "frames still arriving on a paused market"


@pytest.fixture
def market(krakenbridge_bin, tmp_path):
    """A simulator and a market-only bridge on two pairs."""
    with simulator_and_bridge(krakenbridge_bin, tmp_path, SYMBOLS, private=False) as running:
        yield running


@pytest.fixture
def account(krakenbridge_bin, tmp_path):
    """A simulator and a bridge with the private feed and a journal, on one pair."""
    with simulator_and_bridge(krakenbridge_bin, tmp_path, ["BTC/USD"]) as running:
        yield running


def test_a_late_joiner_gets_the_books_first_and_a_book_gap_is_repaired_to_equal_a_fresh_snapshot(market):
    simulator, bridge = market

    async def scenario() -> None:
        with LossyRelay(bridge.market) as relay:
            async with AsyncControlClient(bridge.control) as control, \
                    AsyncSubscriber(relay.endpoint, [b"book:"], control=control) as sub:
                books = Books()
                updates: list[tuple[bool, int]] = []
                """(after the drop, sequence) of every live BTC update applied"""

                def apply(frame) -> None:
                    books.apply(frame)
                    if frame.topic == BTC_BOOK and frame.header.message_type == frame_pb2.MESSAGE_TYPE_BOOK_UPDATE:
                        updates.append((bool(relay.dropped), frame.header.sequence))

                # Joined late: the states of the snapshot come first, flagged SNAPSHOT.
                first = [await sub.receive(timeout=10) for _ in SYMBOLS]
                assert sorted(f.topic for f in first) == [f"book:{s}:10:" for s in SYMBOLS]
                assert all(f.header.is_snapshot and isinstance(f.payload, market_pb2.BookSnapshot) for f in first)
                for frame in first:
                    books.apply(frame)
                await receive_until(sub, apply, lambda: len(updates) >= 10)

                relay.drop(BTC_BOOK.encode(), 5)
                await receive_until(sub, apply, lambda: sum(after for after, _ in updates) >= 30)
                simulator_request(simulator, "POST", "/market/pause")
                await drain(sub, apply)

                dropped = [sequence for _, sequence in relay.dropped]
                assert [topic for topic, _ in relay.dropped] == [BTC_BOOK] * 5
                assert dropped == list(range(dropped[0], dropped[0] + 5))
                gap = Gap(BTC_BOOK, dropped[0], dropped[-1] + 1)
                assert sub.gaps == [gap]
                assert sub.recoveries == [Recovery(gap, "snapshot", frames=1)]

                fresh = await control.snapshot("book:")
                for state in fresh.frames:
                    assert isinstance(state.payload, market_pb2.BookSnapshot)
                    held = books.get(state.topic)
                    assert held is not None
                    assert held.levels() == Book.from_snapshot(state.payload).levels(), state.topic
                    symbol = state.payload.symbol
                    truth = simulator_request(simulator, "GET", f"/truth/book?symbol={symbol.replace('/', '%2F')}&depth=10")
                    assert held.checksum == truth["checksum"], symbol
                    assert held.levels() == tuple([(Decimal(p), Decimal(q)) for p, q in side]
                                                  for side in (truth["bids"], truth["asks"]))

    asyncio.run(scenario())


def test_executions_are_delivered_exactly_once_across_a_gap_from_the_journal(account):
    _, bridge = account

    async def scenario() -> None:
        with LossyRelay(bridge.account) as relay:
            async with AsyncControlClient(bridge.control) as control, \
                    AsyncSubscriber(relay.endpoint, [b"exec:"], control=control) as sub:
                executions = []

                def keep(frame) -> None:
                    if frame.header.message_type == frame_pb2.MESSAGE_TYPE_EXECUTION_REPORT:
                        executions.append(frame)

                await receive_until(sub, keep, lambda: len(executions) >= 2, 60)
                relay.drop(b"exec:", 3)
                await receive_until(sub, keep, lambda: len(relay.dropped) == 3 and
                                    executions[-1].header.sequence >= relay.dropped[-1][1] + 3, 90)

                sequences = [f.header.sequence for f in executions]
                assert sequences == list(range(sequences[0], sequences[0] + len(sequences))), "each exactly once, in order"
                dropped = [sequence for _, sequence in relay.dropped]
                assert [f.header.sequence for f in executions if f.header.is_replay] == dropped
                gap = Gap("exec:", dropped[0], dropped[-1] + 1)
                assert sub.gaps == [gap]
                assert sub.recoveries == [Recovery(gap, "replay", frames=3, lost=0)]

                journal = await control.replay("exec:", after=sequences[0] - 1, max_events=len(sequences))
                assert [f.payload_bytes for f in executions] == [f.payload_bytes for f in journal.frames]
                assert all(isinstance(f.payload, account_pb2.ExecutionReport) for f in executions)

    asyncio.run(scenario())


def test_liveness_stays_quiet_while_the_bridge_runs_and_raises_when_it_stops(market):
    _, bridge = market

    async def scenario() -> None:
        # Subscribed to a topic the bridge never publishes: only the hidden hb: keeps it alive.
        async with AsyncSubscriber(bridge.market, [b"ohlc:"], liveness_timeout=2.5) as sub:
            assert await sub.receive(timeout=6) is None, "a quiet topic is not a dead bridge"
            os.kill(bridge.process.pid, signal.SIGSTOP)
            try:
                started = time.monotonic()
                with pytest.raises(LivenessTimeout, match="no message and no heartbeat .* for 2.5 s"):
                    await sub.receive(timeout=30)
                assert time.monotonic() - started < 10
            finally:
                os.kill(bridge.process.pid, signal.SIGCONT)

    asyncio.run(scenario())


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def os_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def test_cancelling_a_consumer_leaves_no_thread_and_no_socket_behind(market):
    _, bridge = market
    # The shared asyncio context's I/O threads exist once per process: start them first.
    AsyncControlClient(bridge.control).close()
    threads, tasks = set(threading.enumerate()), os_threads()
    time.sleep(0.2)
    descriptors = open_descriptors()

    async def scenario() -> None:
        sub = AsyncSubscriber(bridge.market, [b"book:", b"trade:"], control=bridge.control, liveness_timeout=5)
        received = []

        async def consume() -> None:
            async for frame in sub:
                received.append(frame)

        consumer = asyncio.create_task(consume())
        deadline = time.monotonic() + 30
        while len(received) < 20:
            assert time.monotonic() < deadline and not consumer.done(), "no frames"
            await asyncio.sleep(0.05)
        consumer.cancel()
        with pytest.raises(asyncio.CancelledError):
            await consumer
        sub.close()
        assert sub.socket.closed and sub.control is not None and sub.control.socket.closed

    asyncio.run(scenario())
    assert set(threading.enumerate()) == threads
    assert os_threads() == tasks
    assert wait_for(lambda: open_descriptors() <= descriptors, 5), \
        f"{open_descriptors() - descriptors} descriptors left open"


def test_executions_are_exactly_once_across_a_bridge_killed_and_restarted(krakenbridge_bin, tmp_path):
    """kill -9: the restarted bridge is a new epoch, exec: continues its numbering from the
    journal, and whatever this subscriber missed meanwhile comes back through replay."""

    simulator = start_simulator(krakenbridge_bin, "--tick-ms", "10", "--pairs", "BTC/USD")
    bridges = []
    try:
        bridges.append(start_bridge(krakenbridge_bin, simulator, tmp_path, ["BTC/USD"]))

        async def scenario() -> None:
            first = bridges[0]
            async with AsyncSubscriber(first.account, [b"exec:"], control=first.control) as sub:
                executions = []

                def keep(frame) -> None:
                    if frame.header.message_type == frame_pb2.MESSAGE_TYPE_EXECUTION_REPORT:
                        executions.append(frame)

                await receive_until(sub, keep, lambda: len(executions) >= 3, 60)
                first.process.kill()
                first.process.wait(10)
                epoch = executions[-1].header.publisher_epoch
                await asyncio.sleep(1.0)  # the account trades on while the bridge is down
                bridges.append(start_bridge(krakenbridge_bin, simulator, tmp_path, ["BTC/USD"]))
                await receive_until(sub, keep, lambda: executions[-1].header.publisher_epoch != epoch
                                    and sum(f.header.publisher_epoch != epoch and not f.header.is_replay
                                            for f in executions) >= 3, 90)
                sequences = [f.header.sequence for f in executions]
                assert sequences == list(range(sequences[0], sequences[0] + len(sequences))), "each exactly once, in order"
                async with AsyncControlClient(bridges[-1].control) as control:
                    journal = await control.replay("exec:", after=sequences[0] - 1, max_events=len(sequences))
                assert [f.payload_bytes for f in executions] == [f.payload_bytes for f in journal.frames]

        asyncio.run(scenario())
    finally:
        stop_all(*[b.process for b in bridges if b.process.poll() is None], simulator.process)


def test_curve_on_an_allowed_key_receives_and_a_stranger_receives_nothing(krakenbridge_bin, start_synth, tmp_path):
    from test_control_client import write_key_pair

    write_key_pair(tmp_path, "server")
    client_public, client_secret = write_key_pair(tmp_path, "client")
    synth = start_synth("--server-secret-key-file", str(tmp_path / "server.key_secret"),
                        "--allow-client-key", str(tmp_path / "client.key"), "--rate", "50")
    server_key = (tmp_path / "server.key").read_text().strip()
    stranger_public, stranger_secret = zmq.curve_keypair()

    async def scenario() -> None:
        async with AsyncSubscriber(synth.endpoint, [b"trade:"], server_key=server_key, public_key=client_public,
                                   secret_key=client_secret) as allowed, \
                AsyncSubscriber(synth.endpoint, [b"trade:"], server_key=server_key, public_key=stranger_public,
                                secret_key=stranger_secret) as stranger:
            frame = await allowed.receive(timeout=10)
            assert frame is not None and frame.topic.startswith("trade:")
            assert await stranger.receive(timeout=2) is None

    asyncio.run(scenario())
