"""End to end through krakenbridge.aio: `krakenbridge sim` and `krakenbridge run` as real
processes (free ports, ipc endpoints in tmp_path, always stopped), Python consuming with
AsyncSubscriber inside asyncio.run. What the bus carries is checked against the simulator's own
record: its channels (trades, tickers, candles beside the books), its account (every execution
exactly once across a disconnect and a private sequence gap) and its books (a pair added at
runtime). Every wait is for a condition, with a deadline."""

from __future__ import annotations

import asyncio
import inspect
import json
import time
import urllib.error
import urllib.request
from decimal import Decimal
from typing import Any, Callable, Optional

from krakenbridge.aio import AsyncControlClient, AsyncSubscriber
from krakenbridge.book import Books
from krakenbridge.v1 import account_pb2, frame_pb2, market_pb2, service_pb2
from krakenbridge.wire import BusFrame
from processes import Bridge, Simulator, get_json, simulator_and_bridge, start_bridge, start_simulator, stop_all

HEARTBEAT = frame_pb2.MESSAGE_TYPE_TOPIC_HEARTBEAT


# -- the simulator's control API ---------------------------------------------------------------

def simulator_get(simulator: Simulator, path: str) -> Any:
    answer = get_json(f"http://127.0.0.1:{simulator.ports['control']}{path}")
    assert answer is not None, f"the simulator's control API does not answer GET {path}"
    return answer


def simulator_post(simulator: Simulator, path: str, body: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """The JSON answer; an error answer (HTTP 400) too, so the caller's assert shows it."""
    request = urllib.request.Request(f"http://127.0.0.1:{simulator.ports['control']}{path}",
                                     data=json.dumps(body or {}).encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return dict(json.loads(response.read()))
    except urllib.error.HTTPError as error:
        return dict(json.loads(error.read()))


def truth_book(simulator: Simulator, symbol: str, depth: int = 10) -> dict[str, Any]:
    return dict(simulator_get(simulator, f"/truth/book?symbol={symbol.replace('/', '%2F')}&depth={depth}"))


def private_events(simulator: Simulator) -> list[dict[str, Any]]:
    """The simulator's record of every execution of its account, in order."""
    return list(simulator_get(simulator, "/truth/private-events"))


def execution_id(event: dict[str, Any]) -> Optional[str]:
    """The exec id the bridge's ExecutionReport carries for one recorded event: Kraken's exec id
    for a trade, `ORDER:new`, `ORDER:canceled`, `ORDER:expired` for the order's own reports;
    None for what the bridge does not report on its own (pending_new, and the status-only
    `filled` that follows the trade that filled the order)."""
    kind = event["exec_type"]
    if kind == "trade":
        return str(event["exec_id"])
    if kind in ("new", "canceled", "expired"):
        return f"{event['order_id']}:{kind}"
    assert kind in ("pendingNew", "filled"), f"an execution kind this test does not know: {event}"
    return None


# -- waiting -------------------------------------------------------------------------------------

async def wait_until(condition: Callable[[], Any], seconds: float, what: str,
                     consumer: Optional["Consumer"] = None) -> Any:
    """`condition()`'s first truthy value (awaited if it is a coroutine), checked every 50 ms;
    fails after `seconds`, or at once when `consumer` failed."""
    deadline = time.monotonic() + seconds
    while True:
        if consumer is not None:
            consumer.check()
        value = condition()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out after {seconds:.0f} s waiting for {what}"
        await asyncio.sleep(0.05)


class Consumer:
    """Iterates an AsyncSubscriber in a task of its own and keeps every frame, so the test can
    drive the simulator meanwhile."""

    def __init__(self, subscriber: AsyncSubscriber) -> None:
        self.subscriber = subscriber
        self.frames: list[BusFrame] = []
        self.task: Optional[asyncio.Task[None]] = None

    async def _consume(self) -> None:
        async for frame in self.subscriber:
            self.frames.append(frame)

    def check(self) -> None:
        """Raises what ended the consumer (a failed recovery, a liveness timeout), if anything."""
        assert self.task is not None
        if self.task.done():
            self.task.result()
            raise AssertionError("the subscriber's iteration ended")

    async def __aenter__(self) -> "Consumer":
        self.task = asyncio.create_task(self._consume())
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self.task is not None
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


async def call(function: Callable[..., Any], *args: Any) -> Any:
    """A blocking simulator request off the event loop, so the consumer keeps reading."""
    return await asyncio.to_thread(function, *args)


# -- 1. trades, tickers and candles ---------------------------------------------------------------

def test_trades_tickers_and_candles_are_published_for_every_pair_beside_the_books(krakenbridge_bin, tmp_path):
    pairs = ["BTC/USD", "ETH/USD"]
    expected = {topic for pair in pairs for topic in
                (f"book:{pair}:10:", f"trade:{pair}:", f"ticker:{pair}:", f"ohlc:{pair}:1:", f"ohlc:{pair}:5:")}
    payloads = {"book": (market_pb2.BookSnapshot, market_pb2.BookUpdate), "trade": (market_pb2.Trade,),
                "ticker": (market_pb2.Ticker,), "ohlc": (market_pb2.Ohlc,)}

    with simulator_and_bridge(krakenbridge_bin, tmp_path, pairs, "--tickers", "--ohlc", "1,5",
                              private=False) as (_, bridge):
        async def scenario() -> None:
            async with AsyncSubscriber(bridge.market, ["book:", "trade:", "ticker:", "ohlc:"]) as sub:
                seen: set[str] = set()
                """every topic a frame of any kind arrived on"""
                carried: set[str] = set()
                """topics that carried their own kind of data, about the topic's pair (and interval)"""
                deadline = time.monotonic() + 20
                while carried != expected:
                    remaining = deadline - time.monotonic()
                    assert remaining > 0, f"no data within 20 s on {sorted(expected - carried)}"
                    frame = await sub.receive(timeout=remaining)
                    assert frame is not None, f"no data within 20 s on {sorted(expected - carried)}"
                    seen.add(frame.topic)
                    kind, symbol = frame.topic.split(":")[:2]
                    payload = frame.payload
                    if frame.header.message_type == HEARTBEAT:
                        continue
                    assert isinstance(payload, payloads[kind]), (frame.topic, type(payload).__name__)
                    assert payload.symbol == symbol, frame.topic
                    if isinstance(payload, market_pb2.Ohlc):
                        assert frame.topic == f"ohlc:{symbol}:{payload.interval_minutes}:"
                    carried.add(frame.topic)
                assert seen == expected

        asyncio.run(scenario())


# -- 2. executions exactly once across a disconnect and a private sequence gap --------------------

async def counter(control: AsyncControlClient, name: str) -> int:
    return int((await control.diagnostics()).diagnostics.counters.get(name, 0))


async def healthy(control: AsyncControlClient) -> bool:
    return bool((await control.health()).health.healthy)


def trades(events: list[dict[str, Any]]) -> list[str]:
    return [str(event["exec_id"]) for event in events if event["exec_type"] == "trade"]


def fills_of(frames: list[BusFrame]) -> list[str]:
    return [f.payload.exec_id for f in frames if isinstance(f.payload, account_pb2.Fill)]


def caught_up(frames: list[BusFrame], topic: str, since: int) -> bool:
    """A heartbeat on `topic` arrived after frame `since` carrying the last sequence held on it:
    the topic was idle for a second after everything this consumer holds."""
    on_topic = [(index, frame) for index, frame in enumerate(frames) if frame.topic == topic]
    data = [frame.header.sequence for _, frame in on_topic if frame.header.message_type != HEARTBEAT]
    if not on_topic or not data:
        return False
    index, last = on_topic[-1]
    return index >= since and last.header.message_type == HEARTBEAT and last.header.sequence == max(data)


def test_executions_are_exactly_once_across_an_injected_disconnect_and_a_private_sequence_gap(
        krakenbridge_bin, tmp_path):
    symbol = "BTC/USD"
    simulator = start_simulator(krakenbridge_bin, "--tick-ms", "20", "--pairs", symbol)
    bridges: list[Bridge] = []
    try:
        # Paused from the start: the account does nothing until the bridge and Python listen, so
        # the period compared is the simulator's whole record.
        assert simulator_post(simulator, "/market/pause") == {"paused": True}
        bridges.append(start_bridge(krakenbridge_bin, simulator, tmp_path, [symbol]))
        bridge = bridges[0]

        async def scenario() -> None:
            async with AsyncControlClient(bridge.control) as control:
                await wait_until(lambda: healthy(control), 30, "the bridge to be healthy")
                assert await call(private_events, simulator) == []
                async with AsyncSubscriber(bridge.account, ["exec:", "fill:"], control=control,
                                           resume={"exec:": 0, "fill:": 0}) as sub, Consumer(sub) as consumer:
                    assert simulator_post(simulator, "/market/resume") == {"paused": False}
                    await wait_until(lambda: len(fills_of(consumer.frames)) >= 3, 30, "three fills on fill:", consumer)
                    # The outage comes as early as it can: an order that lives and dies in it, in
                    # the bridge's first second, is still told (its history floor is the first
                    # snapshot, exact to the nanosecond, not the next whole second).

                    # Fault 1: the private connection drops. While the bridge is away (the market
                    # paused, so only these change the account) the account buys at market, and
                    # places and cancels a resting order.
                    assert simulator_post(simulator, "/market/pause") == {"paused": True}
                    before = await call(simulator_get, simulator, "/counters")
                    assert simulator_post(simulator, "/faults", {"kind": "disconnect", "target": "private"}) == \
                        {"kind": "disconnect", "connections": 1}
                    bought = simulator_post(simulator, "/orders", {
                        "symbol": symbol, "side": "buy", "type": "market", "quantity": "0.00100000",
                        "client_order_id": "kb-away-market"})
                    bid = Decimal(truth_book(simulator, symbol)["bids"][0][0])
                    resting = simulator_post(simulator, "/orders", {
                        "symbol": symbol, "side": "buy", "type": "limit", "quantity": "0.00100000",
                        "price": str((bid / 2).quantize(Decimal("0.1"))), "client_order_id": "kb-away-limit"})
                    assert "order_id" in bought and "order_id" in resting, (bought, resting)
                    cancelled = simulator_post(simulator, "/orders/cancel", {"order_id": resting["order_id"]})
                    after = await call(simulator_get, simulator, "/counters")
                    assert after.get("connections_closed", 0) == before.get("connections_closed", 0) + 1
                    assert after["connections_opened"] == before["connections_opened"], \
                        "the bridge was back before the orders: nothing happened while it was away"
                    away = await call(private_events, simulator)
                    assert [e["exec_type"] for e in away if e["order_id"] == resting["order_id"]] == \
                        ["pendingNew", "new", "canceled"], cancelled
                    assert "trade" in [e["exec_type"] for e in away if e["order_id"] == bought["order_id"]]
                    assert simulator_post(simulator, "/market/resume") == {"paused": False}
                    await wait_until(lambda: counter(control, "feed.private.reconnections"), 30,
                                     "the private feed to reconnect", consumer)
                    await wait_until(lambda: healthy(control), 30, "the bridge to be healthy again", consumer)

                    # Fault 2: the next frame of every private subscription skips a sequence number.
                    assert simulator_post(simulator, "/faults", {"kind": "sequence_skip"}) == \
                        {"kind": "sequence_skip", "connections": 1}
                    await wait_until(lambda: counter(control, "feed.private.private_gaps"), 30,
                                     "the bridge to see the private gap", consumer)
                    past = len(trades(await call(private_events, simulator)))
                    await wait_until(lambda: call(lambda: len(trades(private_events(simulator))) >= past + 3), 30,
                                     "three more trades in the simulator's record", consumer)

                    assert simulator_post(simulator, "/market/pause") == {"paused": True}
                    record = await call(private_events, simulator)
                    expected = [key for key in map(execution_id, record) if key is not None]
                    paused_at = len(consumer.frames)
                    await wait_until(lambda: caught_up(consumer.frames, "exec:", paused_at)
                                     and caught_up(consumer.frames, "fill:", paused_at), 30,
                                     "exec: and fill: to go idle after everything received", consumer)
                    frames = list(consumer.frames)
                reconnections = await counter(control, "feed.private.reconnections")

            assert reconnections == 1
            reports = [f for f in frames if isinstance(f.payload, account_pb2.ExecutionReport)]
            assert len(set(expected)) == len(expected)
            received = [f.payload.exec_id for f in reports]
            missing = [key for key in expected if key not in set(received)]
            repeated = sorted({key for key in received if received.count(key) > 1})
            invented = [key for key in received if key not in set(expected)]
            assert (missing, repeated, invented) == ([], [], []), \
                "every execution of the simulator's record exactly once, none invented"
            assert sorted(fills_of(frames)) == sorted(trades(record)), "every fill exactly once"
            gaps = [f.payload for f in frames if isinstance(f.payload, service_pb2.Gap)]
            assert [(g.stream, g.kind) for g in gaps] == [("executions", service_pb2.GAP_KIND_SEQUENCE_SKIPPED)]
            for topic in ("exec:", "fill:"):
                sequences = [f.header.sequence for f in frames if f.topic == topic and f.header.message_type != HEARTBEAT]
                assert sequences == list(range(1, len(sequences) + 1)), f"{topic} from 1, each sequence once"
            assert all(r.method == "replay" and r.lost == 0 and r.error is None for r in sub.recoveries)

        asyncio.run(scenario())
    finally:
        stop_all(*[b.process for b in bridges], simulator.process)


# -- 3. add_pair at runtime --------------------------------------------------------------------------

def test_a_pair_added_at_runtime_reaches_a_subscriber_that_subscribed_before_it_existed_with_the_simulators_book(
        krakenbridge_bin, tmp_path):
    book_topic, trade_topic = "book:ETH/USD:10:", "trade:ETH/USD:"

    with simulator_and_bridge(krakenbridge_bin, tmp_path, ["BTC/USD"], private=False) as (simulator, bridge):
        async def scenario() -> None:
            async with AsyncControlClient(bridge.control) as control, \
                    AsyncSubscriber(bridge.market, ["book:ETH/USD:", "trade:ETH/USD:"], control=control) as sub:
                def subscribed() -> set[tuple[str, str]]:
                    return {(s.channel, s.symbol) for s in listed.subscriptions.subscriptions}

                listed = await control.list_subscriptions()
                assert subscribed() == {("book", "BTC/USD"), ("trade", "BTC/USD")}

                reply = await control.add_pair("ETH/USD")
                assert reply.ack.message == "added ETH/USD"
                listed = await control.list_subscriptions()
                assert subscribed() == {("book", "BTC/USD"), ("trade", "BTC/USD"), ("book", "ETH/USD"),
                                        ("trade", "ETH/USD")}

                books = Books()
                frames: list[BusFrame] = []

                def keep(frame: BusFrame) -> None:
                    frames.append(frame)
                    books.apply(frame)

                async def receive_until(done: Callable[[], bool], seconds: float, what: str) -> None:
                    deadline = time.monotonic() + seconds
                    while not done():
                        remaining = deadline - time.monotonic()
                        assert remaining > 0, f"timed out after {seconds:.0f} s waiting for {what}"
                        frame = await sub.receive(timeout=remaining)
                        assert frame is not None, f"timed out after {seconds:.0f} s waiting for {what}"
                        keep(frame)

                def data_on(topic: str) -> list[BusFrame]:
                    return [f for f in frames if f.topic == topic and f.header.message_type != HEARTBEAT]

                await receive_until(lambda: len(data_on(book_topic)) >= 5 and len(data_on(trade_topic)) >= 1, 20,
                                    "the new pair's book and trades")
                assert {f.topic for f in frames} == {book_topic, trade_topic}
                first = data_on(book_topic)[0]
                assert isinstance(first.payload, market_pb2.BookSnapshot) and first.header.sequence == 1, \
                    "the subscriber sees the new book from its first message, the snapshot"
                assert all(isinstance(f.payload, market_pb2.Trade) and f.payload.symbol == "ETH/USD"
                           for f in data_on(trade_topic))

                assert simulator_post(simulator, "/market/pause") == {"paused": True}
                truth = await call(truth_book, simulator, "ETH/USD")
                levels = tuple([(Decimal(p), Decimal(q)) for p, q in side] for side in (truth["bids"], truth["asks"]))

                def held_is_truth() -> bool:
                    held = books.get(book_topic)
                    return held is not None and held.checksum == truth["checksum"] and held.levels() == levels

                await receive_until(held_is_truth, 10, "the held ETH/USD book to reach the paused market's book")
                held = books.get(book_topic)
                assert held is not None and held.levels() == levels and held.checksum == truth["checksum"]
                assert len(levels[0]) == 10 and len(levels[1]) == 10
                assert sub.gaps == [] and sub.recoveries == []

        asyncio.run(scenario())
