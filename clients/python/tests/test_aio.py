"""krakenbridge.aio against a fake publisher (XPUB) and a fake control server (tests of
test_control_client.py): what is delivered, in which order, what is dropped and what each gap
becomes, message by message. No bridge binary needed (test_aio_bridge.py runs the real one)."""

from __future__ import annotations

import asyncio
import os
import threading
import time

import pytest

from krakenbridge import topics
from krakenbridge.aio import (AsyncControlClient, AsyncSubscriber, LivenessTimeout, Recovery, RecoveryFailed)
from krakenbridge.book import Books
from krakenbridge.control import ControlError, ControlTimeout
from krakenbridge.sequence import Gap
from krakenbridge.v1 import control_pb2, frame_pb2, market_pb2, service_pb2
from krakenbridge.wire import FLAG_SNAPSHOT
from test_control_client import (EPOCH, FakeMarket, FakePublisher, exact, execution, replay_handler,
                                 snapshot_handler, triple)

C = control_pb2
BOOK = topics.book("BTC/USD", 10)
TICKER = topics.ticker("BTC/USD")


@pytest.fixture
def publisher(context):
    publisher = FakePublisher(context)
    yield publisher
    publisher.close()


def wait_for_subscriptions(publisher: FakePublisher, *prefixes: bytes) -> None:
    """Until the XPUB has seen every prefix subscribed (in whatever order libzmq sends them)."""
    waiting = set(prefixes)
    while waiting:
        assert publisher.socket.poll(5000), f"no subscription to {waiting} arrived"
        message = publisher.socket.recv()
        if message[:1] == b"\x01":
            waiting.discard(message[1:])


def heartbeat(topic: bytes, sequence: int, epoch: int = EPOCH) -> list[bytes]:
    return triple(topic, frame_pb2.MESSAGE_TYPE_TOPIC_HEARTBEAT, service_pb2.TopicHeartbeat(), sequence, epoch=epoch)


def exec_frame(sequence: int) -> list[bytes]:
    return triple(topics.EXECUTIONS, frame_pb2.MESSAGE_TYPE_EXECUTION_REPORT, execution(sequence), sequence)


def ticker(sequence: int, epoch: int = EPOCH) -> list[bytes]:
    return triple(TICKER, frame_pb2.MESSAGE_TYPE_TICKER, market_pb2.Ticker(symbol="BTC/USD"), sequence, epoch=epoch)


async def collect(sub: AsyncSubscriber, quiet: float = 0.5) -> list:
    """Every frame until none arrives for `quiet` seconds, as (topic, sequence, flags)."""
    frames = []
    while (frame := await sub.receive(timeout=quiet)) is not None:
        frames.append(frame)
    return frames


def summary(frames) -> list[tuple[str, int, str]]:
    kinds = {FLAG_SNAPSHOT: "snapshot"}
    return [(f.topic, f.header.sequence, "heartbeat" if f.header.is_heartbeat else "replay" if f.header.is_replay
             else kinds.get(f.header.flags & FLAG_SNAPSHOT, "live")) for f in frames]


# -- the control client ---------------------------------------------------------------------------

def test_async_control_client_sends_every_command_and_reads_each_reply(server):
    seen: list[C.ControlRequest] = []

    def record(request):
        seen.append(request)
        return C.ControlReply(ack=C.Ack(message=request.WhichOneof("command"))), []

    for name in ("subscribe", "unsubscribe", "remove_pair"):
        server.handlers[name] = record
    server.handlers["diagnostics"] = lambda r: (C.ControlReply(diagnostics=C.Diagnostics(gaps=3)), [])
    server.handlers["config"] = lambda r: (C.ControlReply(config=C.EffectiveConfig(json="{}")), [])
    server.handlers["snapshot"] = snapshot_handler({BOOK: (frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT,
                                                           FakeMarket("BTC/USD", 1).snapshot(), 42)})
    server.handlers["replay"] = replay_handler({s: execution(s) for s in range(1, 6)})

    async def scenario() -> None:
        for encoding in ("json", "binary"):
            async with AsyncControlClient(server.endpoint, encoding=encoding, timeout_ms=2000) as client:
                assert (await client.health()).health.healthy
                assert (await client.add_pair("ETH/USD")).ack.message == "added ETH/USD"
                assert (await client.subscribe(["ohlc"], ["BTC/USD"], interval_minutes=5)).ack.message == "subscribe"
                assert (await client.unsubscribe(["book"], ["BTC/USD"], depth=25)).ack.message == "unsubscribe"
                assert (await client.remove_pair("ETH/USD")).ack.message == "remove_pair"
                listed = (await client.list_subscriptions()).subscriptions.subscriptions
                assert [(s.channel, s.symbol) for s in listed] == [("book", "BTC/USD")]
                assert (await client.diagnostics()).diagnostics.gaps == 3
                assert (await client.config()).config.json == "{}"
                snapshot = await client.snapshot("book:")
                assert [(f.topic, f.header.sequence) for f in snapshot.frames] == [(BOOK.decode(), 42)]
                replay = await client.replay("exec:", after=2, max_events=2)
                assert [f.header.sequence for f in replay.frames] == [3, 4]
                with pytest.raises(ControlError, match="INVALID_ARGUMENT"):
                    await client.add_pair("")

    asyncio.run(scenario())
    assert [r.WhichOneof("command") for r in seen] == ["subscribe", "unsubscribe", "remove_pair"] * 2
    assert seen[0].subscribe.interval_minutes == 5 and seen[1].unsubscribe.depth == 25


def test_async_control_client_times_out_and_a_cancelled_request_leaves_it_usable(server):
    async def scenario() -> None:
        async with AsyncControlClient(server.endpoint, timeout_ms=300) as client:
            server.drop_next = 1
            with pytest.raises(ControlTimeout, match="no reply .* within 300 ms"):
                await client.health()
            assert (await client.health()).health.healthy

            server.drop_next = 1
            request = asyncio.create_task(client.health())
            await asyncio.sleep(0.1)
            request.cancel()
            with pytest.raises(asyncio.CancelledError):
                await request
            assert (await client.health()).health.healthy, "the REQ socket was replaced"

    asyncio.run(scenario())


def test_replay_all_spans_several_requests_and_counts_what_retention_dropped(server):
    server.handlers["replay"] = replay_handler({s: execution(s) for s in range(5, 12_006)})

    async def scenario() -> None:
        async with AsyncControlClient(server.endpoint) as client:
            events, lost = await client.replay_all("exec:", after=2, through=12_000)
            assert [f.header.sequence for f in events] == list(range(5, 12_001)) and lost == 2
            events, lost = await client.replay_all("exec:", after=12_003)
            assert [f.header.sequence for f in events] == [12_004, 12_005] and lost == 0

    asyncio.run(scenario())
    assert len([b for b in server.bodies if b"replay" in b]) == 3  # 10,000 + 1,996; then 2 (fewer than asked: the end)


# -- joining ---------------------------------------------------------------------------------------

def test_a_joiner_gets_the_snapshot_first_then_only_what_is_newer(server, publisher):
    market = FakeMarket("BTC/USD", 7)

    async def scenario() -> None:
        async with AsyncControlClient(server.endpoint, encoding="binary") as control:
            sub = AsyncSubscriber(publisher.endpoint, [b"book:"], control=control)
            with sub:
                publisher.wait_for_subscription(b"book:")
                publisher.publish(triple(BOOK, frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT, market.snapshot(), 1, FLAG_SNAPSHOT))
                state_at_10 = None
                for sequence in range(2, 15):
                    publisher.publish(triple(BOOK, frame_pb2.MESSAGE_TYPE_BOOK_UPDATE, market.step(), sequence))
                    if sequence == 10:
                        state_at_10 = market.snapshot()
                        publisher.publish(heartbeat(BOOK, 10))
                server.handlers["snapshot"] = snapshot_handler({BOOK: (frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT, state_at_10, 10)})
                await sub.start()
                frames = await collect(sub)
                books = Books()
                for frame in frames:
                    books.apply(frame)
                assert summary(frames) == [(BOOK.decode(), 10, "snapshot")] + \
                    [(BOOK.decode(), s, "live") for s in range(11, 15)]
                assert sub.discarded == 10 + 1, "1..10 and the heartbeat at 10 are in the snapshot"
                book = books.get(BOOK.decode())
                assert book is not None and (book.bids, book.asks) == (exact(market.bids), exact(market.asks))
                assert sub.gaps == [] and sub.recoveries == []

    asyncio.run(scenario())


def test_resume_replays_what_the_consumer_missed_then_goes_on_live_without_duplicates(server, publisher):
    server.handlers["replay"] = replay_handler({s: execution(s) for s in range(1, 7)})

    async def scenario() -> None:
        sub = AsyncSubscriber(publisher.endpoint, [b"exec:"], control=server.endpoint, resume={"exec:": 2})
        with sub:
            publisher.wait_for_subscription(b"exec:")
            for sequence in (5, 6, 7):
                publisher.publish(exec_frame(sequence))
            frames = await collect(sub)
        assert summary(frames) == [("exec:", s, "replay") for s in (3, 4, 5, 6)] + [("exec:", 7, "live")]
        assert sub.discarded == 2 and sub.gaps == []

    asyncio.run(scenario())


# -- gaps --------------------------------------------------------------------------------------------

def test_a_book_gap_is_repaired_from_a_snapshot_and_what_it_holds_is_dropped(server, publisher):
    market = FakeMarket("BTC/USD", 3)
    reports: list[Recovery] = []

    async def scenario() -> None:
        sub = AsyncSubscriber(publisher.endpoint, [b"book:"], control=server.endpoint, on_gap=reports.append, synchronise=False)
        with sub:
            publisher.wait_for_subscription(b"book:")
            publisher.publish(triple(BOOK, frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT, market.snapshot(), 1, FLAG_SNAPSHOT))
            for sequence in range(2, 13):
                update = market.step()
                if sequence not in (6, 7):  # lost on the way
                    publisher.publish(triple(BOOK, frame_pb2.MESSAGE_TYPE_BOOK_UPDATE, update, sequence))
                if sequence == 10:
                    server.handlers["snapshot"] = snapshot_handler(
                        {BOOK: (frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT, market.snapshot(), 10)})
            frames = await collect(sub)
            books = Books()
            for frame in frames:
                books.apply(frame)
        topic = BOOK.decode()
        assert summary(frames) == [(topic, 1, "snapshot")] + [(topic, s, "live") for s in range(2, 6)] + \
            [(topic, 10, "snapshot"), (topic, 11, "live"), (topic, 12, "live")]
        gap = Gap(topic, 6, 8)
        assert sub.gaps == [gap] and reports == sub.recoveries == [Recovery(gap, "snapshot", frames=1)]
        assert sub.discarded == 3, "8, 9 and 10 are in the snapshot"
        book = books.get(topic)
        assert book is not None and (book.bids, book.asks) == (exact(market.bids), exact(market.asks))

    asyncio.run(scenario())


def test_an_execution_gap_is_filled_from_the_journal_exactly_once_in_order(server, publisher):
    server.handlers["replay"] = replay_handler({s: execution(s) for s in range(1, 8)})

    async def scenario() -> None:
        sub = AsyncSubscriber(publisher.endpoint, [b"exec:"], control=server.endpoint, synchronise=False)
        with sub:
            publisher.wait_for_subscription(b"exec:")
            for sequence in (1, 2, 3, 6, 7):
                publisher.publish(exec_frame(sequence))
            frames = await collect(sub)
        assert summary(frames) == [("exec:", 1, "live"), ("exec:", 2, "live"), ("exec:", 3, "live"),
                                   ("exec:", 4, "replay"), ("exec:", 5, "replay"), ("exec:", 6, "live"),
                                   ("exec:", 7, "live")]
        assert [f.payload.exec_id for f in frames] == [f"E{s}" for s in range(1, 8)]
        assert sub.recoveries == [Recovery(Gap("exec:", 4, 6), "replay", frames=2)]

    asyncio.run(scenario())


def test_an_execution_gap_shown_by_a_heartbeat_is_filled_through_the_heartbeats_sequence(server, publisher):
    server.handlers["replay"] = replay_handler({s: execution(s) for s in range(1, 5)})

    async def scenario() -> None:
        sub = AsyncSubscriber(publisher.endpoint, [b"exec:"], control=server.endpoint, synchronise=False)
        with sub:
            publisher.wait_for_subscription(b"exec:")
            publisher.publish(exec_frame(1))
            publisher.publish(exec_frame(2))
            publisher.publish(heartbeat(topics.EXECUTIONS, 4))  # 3 and 4 went out before a quiet spell
            frames = await collect(sub)
        assert summary(frames) == [("exec:", 1, "live"), ("exec:", 2, "live"), ("exec:", 3, "replay"),
                                   ("exec:", 4, "replay"), ("exec:", 4, "heartbeat")]
        assert sub.recoveries == [Recovery(Gap("exec:", 2, 4), "replay", frames=2)]

    asyncio.run(scenario())


def test_events_the_journal_no_longer_holds_are_counted_as_lost(server, publisher):
    server.handlers["replay"] = replay_handler({s: execution(s) for s in range(5, 9)})

    async def scenario() -> None:
        sub = AsyncSubscriber(publisher.endpoint, [b"exec:"], control=server.endpoint, synchronise=False)
        with sub:
            publisher.wait_for_subscription(b"exec:")
            for sequence in (1, 2, 7):
                publisher.publish(exec_frame(sequence))
            frames = await collect(sub)
        assert [f.header.sequence for f in frames] == [1, 2, 5, 6, 7]
        assert sub.recoveries == [Recovery(Gap("exec:", 3, 7), "replay", frames=2, lost=2)]

    asyncio.run(scenario())


def test_a_market_topic_whose_new_epoch_starts_past_its_first_sequence_has_a_gap(server, publisher):
    restarted = EPOCH + 1_000
    state = market_pb2.Ticker(symbol="BTC/USD")

    async def scenario() -> None:
        sub = AsyncSubscriber(publisher.endpoint, [b"ticker:"], control=server.endpoint, synchronise=False)
        with sub:
            publisher.wait_for_subscription(b"ticker:")
            publisher.publish(ticker(1))
            publisher.publish(ticker(2))
            server.handlers["snapshot"] = snapshot_handler({TICKER: (frame_pb2.MESSAGE_TYPE_TICKER, state, 4)})
            # The restarted bridge's snapshot carries its own epoch: the handler's triple uses
            # EPOCH, so the state is rewritten to the new one here.
            original = server.handlers["snapshot"]

            def new_epoch(request):
                reply, frames = original(request)
                rewritten = []
                for i in range(0, len(frames), 3):
                    rewritten += triple(frames[i], *_retype(frames[i + 1], frames[i + 2]), epoch=restarted)
                return reply, rewritten

            server.handlers["snapshot"] = new_epoch
            publisher.publish(ticker(3, epoch=restarted))
            publisher.publish(ticker(4, epoch=restarted))
            publisher.publish(ticker(5, epoch=restarted))
            frames = await collect(sub)
        assert [(f.header.sequence, f.header.publisher_epoch == restarted, f.header.is_snapshot) for f in frames] == \
            [(1, False, False), (2, False, False), (4, True, True), (5, True, False)]
        assert sub.recoveries == [Recovery(Gap(TICKER.decode(), 1, 3), "snapshot", frames=1)]

    asyncio.run(scenario())


def _retype(raw_header: bytes, payload: bytes) -> tuple:
    """(message type, payload message, sequence, flags) of a triple, to rebuild it."""
    from krakenbridge.wire import decode_header, decode_payload
    header = decode_header(raw_header)
    message = decode_payload(header.message_type, payload)
    if message is None:  # the end marker
        message = service_pb2.SnapshotEnd.FromString(payload)
    return header.message_type, message, header.sequence, header.flags


def test_a_failed_recovery_raises_once_then_the_feed_goes_on(server, publisher):
    async def scenario() -> None:
        async with AsyncControlClient(server.endpoint, timeout_ms=300) as control:
            sub = AsyncSubscriber(publisher.endpoint, [b"ticker:"], control=control, synchronise=False)
            with sub:
                publisher.wait_for_subscription(b"ticker:")
                for sequence in (1, 2, 5, 6):
                    publisher.publish(ticker(sequence))
                server.drop_next = 1
                assert (await sub.receive(timeout=2)).header.sequence == 1
                assert (await sub.receive(timeout=2)).header.sequence == 2
                with pytest.raises(RecoveryFailed, match="snapshot for the gap on ticker:BTC/USD: .*no reply"):
                    await sub.receive(timeout=2)
                assert [f.header.sequence for f in await collect(sub)] == [5, 6]
            [recovery] = sub.recoveries
            assert (recovery.gap, recovery.method, isinstance(recovery.error, ControlTimeout)) == \
                (Gap(TICKER.decode(), 3, 5), "snapshot", True)

    asyncio.run(scenario())


def test_without_a_control_endpoint_gaps_are_recorded_and_reported(publisher):
    reports: list[Recovery] = []

    async def scenario() -> None:
        sub = AsyncSubscriber(publisher.endpoint, [b"ticker:"], on_gap=reports.append)
        with sub:
            publisher.wait_for_subscription(b"ticker:")
            for sequence in (1, 2, 5):
                publisher.publish(ticker(sequence))
            assert [f.header.sequence for f in await collect(sub)] == [1, 2, 5]
        assert reports == [Recovery(Gap(TICKER.decode(), 3, 5), "none")]

    asyncio.run(scenario())


# -- timeouts and liveness -------------------------------------------------------------------------

def test_a_quiet_feed_never_ends_the_iteration_unless_an_idle_timeout_is_given(publisher):
    async def scenario() -> None:
        with AsyncSubscriber(publisher.endpoint, [b"ticker:"]) as quiet, \
                AsyncSubscriber(publisher.endpoint, [b"ticker:"], idle_timeout=0.5) as bounded:
            wait_for_subscriptions(publisher, b"ticker:")
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(quiet.__anext__(), 1.0)
            publisher.publish(ticker(1))
            publisher.publish(ticker(2))
            assert [f.header.sequence async for f in bounded] == [1, 2]

    asyncio.run(scenario())


def test_liveness_holds_while_service_heartbeats_come_and_raises_once_they_stop(publisher):
    async def scenario() -> None:
        with AsyncSubscriber(publisher.endpoint, [b"ticker:"], liveness_timeout=1.0) as sub:
            wait_for_subscriptions(publisher, b"ticker:", b"hb:")
            beating = True

            async def beat() -> None:
                sequence = 0
                while beating:
                    sequence += 1
                    publisher.publish(triple(b"hb:", frame_pb2.MESSAGE_TYPE_SERVICE_HEARTBEAT,
                                             service_pb2.ServiceHeartbeat(), sequence))
                    await asyncio.sleep(0.2)

            beats = asyncio.create_task(beat())
            assert await sub.receive(timeout=2.5) is None, "alive, and hb: is not delivered (not subscribed)"
            beating = False
            await beats
            started = time.monotonic()
            with pytest.raises(LivenessTimeout, match="no message and no heartbeat from tcp://.* for 1 s"):
                await sub.receive()
            assert 0.5 < time.monotonic() - started < 3

    asyncio.run(scenario())


# -- batches, fairness, cancellation ---------------------------------------------------------------

def test_messages_are_read_in_batches_and_other_tasks_run_between_batches(publisher):
    events: list[str] = []

    async def scenario() -> None:
        with AsyncSubscriber(publisher.endpoint, [b"ticker:"], batch_limit=100) as sub:
            publisher.wait_for_subscription(b"ticker:")
            for sequence in range(1, 1001):
                publisher.publish(ticker(sequence))
            await asyncio.sleep(0.5)  # all queued at the subscriber

            async def other() -> None:
                while True:
                    events.append("other")
                    await asyncio.sleep(0)

            running = asyncio.create_task(other())
            sequences = []
            while len(sequences) < 1000:
                batch = await sub.batch(timeout=2)
                assert batch
                events.append(f"batch {len(batch)}")
                sequences += [f.header.sequence for f in batch]
            running.cancel()
            assert sequences == list(range(1, 1001)) and sub.gaps == []

    asyncio.run(scenario())
    batches = [e for e in events if e.startswith("batch")]
    assert batches == ["batch 100"] * 10
    # Between two batches the other task ran at least once.
    positions = [i for i, e in enumerate(events) if e.startswith("batch")]
    assert all("other" in events[a + 1:b] for a, b in zip(positions, positions[1:]))


def test_cancelling_and_closing_leave_no_thread_and_no_socket(publisher, server):
    AsyncControlClient(server.endpoint).close()  # the shared asyncio context's I/O threads, once per process
    threads, descriptors = set(threading.enumerate()), len(os.listdir("/proc/self/fd"))

    async def scenario() -> None:
        sub = AsyncSubscriber(publisher.endpoint, [b"ticker:"], control=server.endpoint, synchronise=False)
        publisher.wait_for_subscription(b"ticker:")
        received = []

        async def consume() -> None:
            async for frame in sub:
                received.append(frame)

        consumer = asyncio.create_task(consume())
        publisher.publish(ticker(1))
        while not received:
            await asyncio.sleep(0.01)
        consumer.cancel()
        with pytest.raises(asyncio.CancelledError):
            await consumer
        # Closed from another task while one waits: that iteration just ends.
        waiting = asyncio.create_task(sub.receive())
        await asyncio.sleep(0.1)
        sub.close()
        assert await waiting is None
        assert sub.socket.closed and sub.control is not None and sub.control.socket.closed

    asyncio.run(scenario())
    assert set(threading.enumerate()) == threads
    deadline = time.monotonic() + 5
    while len(os.listdir("/proc/self/fd")) > descriptors:
        assert time.monotonic() < deadline, "sockets left open"
        time.sleep(0.05)
