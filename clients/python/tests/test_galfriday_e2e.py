"""The Gal-Friday adapter against the real bridge and simulator processes: orders driven through
the simulator's control API come out of the adapter, through a faithful Gal-Friday
PubSubManager, as exactly the events the simulator's own record of the account says they must
be; executions lost on the bus come back from the bridge's journal once; L2 events are the
simulator's book.

The simulated account also trades on its own (and may cancel any open order), so orders are
placed until one has been filled in parts, and every order placed is checked: the expected
events are derived from the simulator's truth (GET /truth/private-events), independently of
the bridge."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional

import zmq
import zmq.asyncio

from krakenbridge.control import ControlClient
from krakenbridge.galfriday import (
    BridgeAdapter, EventType, ExecutionReportEvent, FillEvent, GalFridayPublisher, MarketDataL2Event, SystemStateEvent)
from krakenbridge.v1 import account_pb2
from krakenbridge.wire import BusFrame, decode_frames

from krakenbridge.subscriber import Subscriber
from processes import Bridge, Simulator, get_json, receive_until, start_bridge, start_simulator, stop_all
from test_galfriday import FaithfulPubSub, Recorder

PAIR = "BTC/USD"
QUANTITY = "0.00100000"  # 65 USD a buy: rounds of six orders never exhaust the account


def control_url(simulator: Simulator, path: str) -> str:
    return f"http://127.0.0.1:{simulator.ports['control']}{path}"


def post(simulator: Simulator, path: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(control_url(simulator, path), data=json.dumps(body).encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return dict(json.loads(response.read()))
    except urllib.error.HTTPError as error:
        return dict(json.loads(error.read()))


def truth(simulator: Simulator) -> list[dict[str, Any]]:
    events = get_json(control_url(simulator, "/truth/private-events"))
    assert events is not None, "the simulator's control API does not answer"
    return list(events)


def expected_events(simulator: Simulator, orders: dict[str, dict[str, str]]) -> list[tuple[Any, ...]]:
    """What Gal-Friday must receive for ``orders`` (order id → what was placed), from the
    simulator's record of every execution, in the order they happened: NEW; per trade a
    PARTIALLY_FILLED or FILLED report of that fill alone and a FillEvent; CANCELED/EXPIRED
    (whose average price is the limit price once something filled: every fill of a resting
    limit order is at its limit); nothing for pending_new, nor for a status-only filled."""
    expected: list[tuple[Any, ...]] = []
    filled: dict[str, Decimal] = {}
    for event in truth(simulator):
        order_id, kind = event["order_id"], event["exec_type"]
        if order_id not in orders:
            continue
        placed = orders[order_id]
        common = (order_id, placed["side"], "LIMIT", Decimal(placed["quantity"]), Decimal(placed["price"]),
                  placed.get("client"))
        if kind == "new":
            expected.append(("ExecutionReportEvent", *common, "NEW", Decimal(0), None))
        elif kind == "trade":
            status = "FILLED" if event["order_status"] == "filled" else "PARTIALLY_FILLED"
            quantity, price = Decimal(event["last_qty"]), Decimal(event["last_price"])
            filled[order_id] = filled.get(order_id, Decimal(0)) + quantity
            expected.append(("ExecutionReportEvent", *common, status, quantity, price))
            expected.append(("FillEvent", order_id, event["exec_id"], placed["side"], quantity, price))
        elif kind in ("canceled", "expired"):
            average = Decimal(placed["price"]) if filled.get(order_id) else None
            expected.append(("ExecutionReportEvent", *common, kind.upper(), Decimal(0), average))
    return expected


def observed(events: list[Any], orders: dict[str, dict[str, str]]) -> list[tuple[Any, ...]]:
    """The adapter's events for ``orders``, in the order Gal-Friday's handlers received them."""
    seen: list[tuple[Any, ...]] = []
    for event in events:
        if isinstance(event, ExecutionReportEvent) and event.exchange_order_id in orders:
            seen.append(("ExecutionReportEvent", event.exchange_order_id, event.side, event.order_type,
                         event.quantity_ordered, event.limit_price, event.client_order_id, event.order_status,
                         event.quantity_filled, event.average_fill_price))
        elif isinstance(event, FillEvent) and event.order_id in orders:
            seen.append(("FillEvent", event.order_id, event.fill_id, event.side, event.quantity, event.price))
    return seen


async def wait_until(condition: Callable[[], Any], seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)
    return value


class Pipeline:
    """A SUB socket on the bridge feeding the adapter, whose publisher publishes onto a faithful
    Gal-Friday PubSubManager with one recording handler for every event type. ``drop`` decides
    which received frames the test throws away (as if lost on the bus)."""

    def __init__(self, endpoint: str, prefixes: list[bytes], control: ControlClient,
                 drop: Optional[Callable[[BusFrame], bool]] = None) -> None:
        self.context = zmq.asyncio.Context()
        self.socket = self.context.socket(zmq.SUB)
        self.socket.setsockopt(zmq.LINGER, 0)
        self.socket.setsockopt(zmq.RCVHWM, 100_000)
        for prefix in prefixes:
            self.socket.setsockopt(zmq.SUBSCRIBE, prefix)
        self.socket.connect(endpoint)
        self.pubsub = FaithfulPubSub()
        self.received = Recorder()
        for event_type in EventType:
            self.pubsub.subscribe(event_type, self.received)
        self.adapter = BridgeAdapter(GalFridayPublisher(self.pubsub), recovery=control)
        self.drop = drop
        self.frames = 0
        self.dropped: list[BusFrame] = []
        self.task: Optional[asyncio.Task[None]] = None

    async def _pump(self) -> None:
        while True:
            frame = decode_frames(await self.socket.recv_multipart())
            self.frames += 1
            if self.drop is not None and self.drop(frame):
                self.dropped.append(frame)
                continue
            await self.adapter.feed(frame)

    async def __aenter__(self) -> "Pipeline":
        await self.pubsub.start()
        self.task = asyncio.create_task(self._pump())
        await wait_until(lambda: self.frames, 30, "the first frame from the bridge")
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self.task is not None
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)
        await self.pubsub.settle()
        await self.pubsub.stop()
        self.socket.close(0)
        self.context.term()

    def events(self) -> list[Any]:
        if self.task is not None and self.task.done() and not self.task.cancelled():
            self.task.result()  # the pump failed: raise its error here
        return list(self.received.events)


def run(scenario: Callable[[Simulator, Bridge], Awaitable[None]], tmp_path: Path, krakenbridge_bin: Path) -> None:
    """The scenario against a simulator of one pair whose market moves four events per 10 ms tick
    (so resting orders are reached before the account's own random cancels take them) and a
    bridge on it; both processes are stopped whatever happens."""
    simulator = start_simulator(krakenbridge_bin, "--pairs", PAIR, "--tick-ms", "10", "--steps-per-tick", "4")
    try:
        bridge = start_bridge(krakenbridge_bin, simulator, tmp_path, [PAIR])
    except BaseException:
        stop_all(simulator.process)
        raise
    try:
        asyncio.run(scenario(simulator, bridge))
    finally:
        stop_all(bridge.process, simulator.process)


def touch(simulator: Simulator) -> tuple[Decimal, Decimal]:
    book = get_json(control_url(simulator, f"/truth/book?symbol={PAIR}&depth=10"))
    assert book is not None
    return Decimal(book["bids"][0][0]), Decimal(book["asks"][0][0])


def place(simulator: Simulator, orders: dict[str, dict[str, str]], price: Decimal, client: Optional[str] = None) -> str:
    request = {"symbol": PAIR, "side": "buy", "type": "limit", "quantity": QUANTITY, "price": str(price)}
    if client is not None:
        request["client_order_id"] = client
    reply = post(simulator, "/orders", request)
    assert "order_id" in reply, reply
    orders[reply["order_id"]] = {"side": "BUY", "quantity": QUANTITY, "price": str(price)} | (
        {"client": client} if client else {})
    return str(reply["order_id"])


def terminal(simulator: Simulator, order_ids: set[str]) -> set[str]:
    return {event["order_id"] for event in truth(simulator)
            if event["order_id"] in order_ids and event["order_status"] in ("filled", "canceled", "expired")}


def filled_in_parts(simulator: Simulator, order_ids: set[str]) -> set[str]:
    trades: dict[str, int] = {}
    filled: set[str] = set()
    for event in truth(simulator):
        if event["order_id"] in order_ids and event["exec_type"] == "trade":
            trades[event["order_id"]] = trades.get(event["order_id"], 0) + 1
            if event["order_status"] == "filled":
                filled.add(event["order_id"])
    return {order_id for order_id in filled if trades[order_id] >= 2}


def test_an_order_filled_in_parts_and_a_cancelled_order_reach_galfriday_as_exactly_the_expected_events(
        krakenbridge_bin, tmp_path):
    async def scenario(simulator: Simulator, bridge: Bridge) -> None:
        with ControlClient(bridge.control) as control:
            async with Pipeline(bridge.account, [b"exec:", b"fill:"], control) as pipeline:
                orders: dict[str, dict[str, str]] = {}
                bid, ask = await asyncio.to_thread(touch, simulator)
                cancelled = place(simulator, orders, (bid / 2).quantize(Decimal("0.1")))  # far below: never fills
                post(simulator, "/orders/cancel", {"order_id": cancelled})  # (unless the account cancelled it first)
                # Resting buys one tick under the ask fill when the market comes down to them,
                # often in parts. Until one has filled in parts, place more: a batch at the
                # touch, what is still open after 4 s cancelled (the simulated account cancels
                # orders at random too; every order placed is checked all the same).
                deadline = time.monotonic() + 120
                while not filled_in_parts(simulator, set(orders)):
                    assert time.monotonic() < deadline, "no order was filled in parts within 120 s"
                    bid, ask = await asyncio.to_thread(touch, simulator)
                    batch = {place(simulator, orders, max(bid, ask - Decimal("0.1"))) for _ in range(6)}
                    settled = time.monotonic() + 4
                    while len(terminal(simulator, batch)) < len(batch) and time.monotonic() < settled \
                            and not filled_in_parts(simulator, batch):
                        await asyncio.sleep(0.05)
                    for order_id in batch - terminal(simulator, batch):
                        post(simulator, "/orders/cancel", {"order_id": order_id})
                    await wait_until(lambda: terminal(simulator, batch) == batch, 10, "the batch's orders to end")
                expected = expected_events(simulator, orders)
                await wait_until(lambda: len(observed(pipeline.events(), orders)) >= len(expected), 30,
                                 "the adapter's events for every order placed")
                await pipeline.pubsub.settle()
                events = pipeline.events()
        assert observed(events, orders) == expected
        statuses = {order_id: [e[7] for e in expected if e[0] == "ExecutionReportEvent" and e[1] == order_id]
                    for order_id in orders}
        assert statuses[cancelled] == ["NEW", "CANCELED"]
        parts = next(iter(filled_in_parts(simulator, set(orders))))
        assert statuses[parts][0] == "NEW" and statuses[parts][-1] == "FILLED"
        assert set(statuses[parts][1:-1]) == {"PARTIALLY_FILLED"} and len(statuses[parts]) >= 3
        per_fill = [e.quantity_filled for e in events if isinstance(e, ExecutionReportEvent) and e.exchange_order_id == parts]
        assert sum(per_fill) == Decimal(QUANTITY), "the order's per-fill reports add up to what it bought"
        mine = [e for e in events if isinstance(e, (ExecutionReportEvent, FillEvent))
                and getattr(e, "exchange_order_id", getattr(e, "order_id", None)) in orders]
        fills = [e for e in mine if isinstance(e, ExecutionReportEvent) and e.order_status in ("PARTIALLY_FILLED", "FILLED")]
        assert all(e.commission is not None and e.commission >= 0 and e.commission_asset == "USD" for e in fills)
        assert all(e.timestamp_exchange is not None and e.timestamp_exchange.tzinfo is not None
                   for e in mine if isinstance(e, ExecutionReportEvent))
        assert len({e.event_id for e in mine}) == len(mine)
        assert [e for e in events if isinstance(e, SystemStateEvent)] == [], "nothing was lost, nothing to announce"

    run(scenario, tmp_path, krakenbridge_bin)


def test_an_execution_lost_on_the_bus_is_replayed_from_the_bridges_journal_once_in_its_place(krakenbridge_bin, tmp_path):
    def lost(frame: BusFrame) -> bool:
        payload = frame.payload
        return isinstance(payload, account_pb2.ExecutionReport) and payload.client_order_id == "kb-lost-1" \
            and payload.order_status == account_pb2.ORDER_STATUS_NEW

    async def scenario(simulator: Simulator, bridge: Bridge) -> None:
        with ControlClient(bridge.control) as control:
            async with Pipeline(bridge.account, [b"exec:"], control, drop=lost) as pipeline:
                orders: dict[str, dict[str, str]] = {}
                bid, _ = await asyncio.to_thread(touch, simulator)
                order_id = place(simulator, orders, (bid / 2).quantize(Decimal("0.1")), client="kb-lost-1")
                post(simulator, "/orders/cancel", {"order_id": order_id})  # (unless the account cancelled it first)
                await wait_until(lambda: terminal(simulator, {order_id}), 10, "the order to be cancelled")
                expected = expected_events(simulator, orders)
                await wait_until(lambda: len(observed(pipeline.events(), orders)) >= len(expected), 30,
                                 "the order's events")
                await pipeline.pubsub.settle()
                events = pipeline.events()
        assert [f.payload.exec_id for f in pipeline.dropped] == [f"{order_id}:new"]
        assert observed(events, orders) == expected
        assert [e[7] for e in expected] == ["NEW", "CANCELED"]
        sequence = pipeline.dropped[0].header.sequence
        notices = [(e.new_state, e.reason) for e in events if isinstance(e, SystemStateEvent)]
        assert notices == [
            ("EXECUTIONS_GAP", f"exec: sequence {sequence} missed on the bus; later events are held back until the "
                               "bridge's journal has replayed them"),
            ("EXECUTIONS_RECOVERED", "exec: the journal replayed what was missed (events not told before: 1); "
                                     "the bus continues")]
        # Delivered in the bus's order: the replayed NEW before the CANCELED that revealed its loss.
        reports = [e for e in events if isinstance(e, ExecutionReportEvent) and e.exchange_order_id == order_id]
        assert [e.order_status for e in reports] == ["NEW", "CANCELED"]

    run(scenario, tmp_path, krakenbridge_bin)


def test_a_late_joiner_gets_its_book_from_the_control_socket_and_l2_events_carry_the_simulators_book_exactly(
        krakenbridge_bin, tmp_path):
    topic = f"book:{PAIR}:10:"

    def l2_is_truth(events: list[Any], book: dict[str, Any]) -> bool:
        books = [e for e in events if isinstance(e, MarketDataL2Event)]
        return bool(books) and (books[-1].bids, books[-1].asks) == (
            [tuple(level) for level in book["bids"]], [tuple(level) for level in book["asks"]])

    async def scenario(simulator: Simulator, bridge: Bridge) -> None:
        with Subscriber(bridge.market, [topic.encode()]) as early:  # the book is live before the adapter joins
            assert receive_until(early, lambda f: f.header.type_name == "MESSAGE_TYPE_BOOK_UPDATE", 30) is not None
        with ControlClient(bridge.control) as control:
            async with Pipeline(bridge.market, [topic.encode()], control) as pipeline:
                await wait_until(lambda: any(isinstance(e, MarketDataL2Event) for e in pipeline.events()), 30,
                                 "an L2 event")
                assert post(simulator, "/market/pause", {})["paused"] is True
                book = await asyncio.to_thread(get_json, control_url(simulator, f"/truth/book?symbol={PAIR}&depth=10"))
                await wait_until(lambda: l2_is_truth(pipeline.events(), book), 10, "the paused market's book as L2")
                events = pipeline.events()
        generation = next(e for e in events if isinstance(e, SystemStateEvent) and e.new_state == "BOOK_VALID")
        assert [(e.new_state, e.reason) for e in events if isinstance(e, SystemStateEvent)] == [
            ("BOOK_INVALID", f"{topic} joined late: no snapshot of it yet; no L2 events until a snapshot"),
            ("BOOK_VALID", generation.reason)]
        assert generation.reason.startswith(f"{topic} rebuilt from a snapshot (generation ")
        books = [e for e in events if isinstance(e, MarketDataL2Event)]
        assert [e.is_snapshot for e in books] == [True] + [False] * (len(books) - 1)
        assert l2_is_truth(events, book) and books[-1].trading_pair == PAIR and len(books[-1].bids) == 10

    run(scenario, tmp_path, krakenbridge_bin)


def test_fed_by_the_asyncio_subscriber_the_adapter_gives_the_same_events(krakenbridge_bin, tmp_path):
    from krakenbridge.aio import AsyncSubscriber

    topic = f"book:{PAIR}:10:"

    async def scenario(simulator: Simulator, bridge: Bridge) -> None:
        pubsub, received = FaithfulPubSub(), Recorder()
        for event_type in EventType:
            pubsub.subscribe(event_type, received)
        await pubsub.start()
        adapter = BridgeAdapter(GalFridayPublisher(pubsub))  # the subscriber repairs gaps itself
        async with AsyncSubscriber([bridge.market, bridge.account], [topic, "exec:"], control=bridge.control) as sub:
            consumer = asyncio.create_task(adapter.consume(sub))
            try:
                orders: dict[str, dict[str, str]] = {}
                bid, _ = await asyncio.to_thread(touch, simulator)
                order_id = place(simulator, orders, (bid / 2).quantize(Decimal("0.1")))
                post(simulator, "/orders/cancel", {"order_id": order_id})
                await wait_until(lambda: terminal(simulator, {order_id}), 10, "the order to be cancelled")
                expected = expected_events(simulator, orders)
                await wait_until(lambda: len(observed(received.events, orders)) >= len(expected), 30, "the order's events")
                post(simulator, "/market/pause", {})
                book = await asyncio.to_thread(get_json, control_url(simulator, f"/truth/book?symbol={PAIR}&depth=10"))
                await wait_until(lambda: [(e.bids, e.asks) for e in received.events if isinstance(e, MarketDataL2Event)][-1:]
                                 == [([tuple(x) for x in book["bids"]], [tuple(x) for x in book["asks"]])], 10,
                                 "the paused market's book as L2")
            finally:
                consumer.cancel()
                await asyncio.gather(consumer, return_exceptions=True)
        await pubsub.settle()
        await pubsub.stop()
        assert observed(received.events, orders) == expected and [e[7] for e in expected] == ["NEW", "CANCELED"]
        books = [e for e in received.events if isinstance(e, MarketDataL2Event)]
        assert books[0].is_snapshot is True and [e.is_snapshot for e in books[1:]] == [False] * (len(books) - 1)
        assert [e for e in received.events if isinstance(e, SystemStateEvent)] == []

    run(scenario, tmp_path, krakenbridge_bin)
