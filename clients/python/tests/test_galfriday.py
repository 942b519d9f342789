"""The Gal-Friday adapter (krakenbridge.galfriday): bus frames become Gal-Friday2's events with
their exact fields, nothing is lost to its PubSubManager, its FeatureEngine gets the dicts it
reads, its PortfolioManager counts each fill once, and every gap or reset is told.

Input frames are real protobuf payloads behind real headers, decoded by krakenbridge.wire as a
subscriber would receive them. The doubles of Gal-Friday's PubSubManager, FeatureEngine and
PortfolioManager reproduce what those classes do with an event (galfriday.md §0.5, §1.2, §2)."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Callable, Optional

import pytest
from google.protobuf.message import Message

from krakenbridge.book import kraken_checksum
from krakenbridge.control import Replay, Snapshot
from krakenbridge.galfriday import (
    BridgeAdapter, EventType, ExecutionReportEvent, FillEvent, FirstComeFirstServed, GalFridayPublisher,
    MarketDataL2Event, MarketDataOHLCVEvent, MarketDataTickerEvent, MarketDataTradeEvent, ReplayNeeded,
    SnapshotNeeded, SystemStateEvent, Translator, adapt_feature_engine, envelope, notice_topic)
from krakenbridge.v1 import account_pb2, common_pb2, control_pb2, market_pb2, service_pb2
from krakenbridge.wire import FLAG_REPLAY, FLAG_SNAPSHOT, PAYLOAD_TYPES, BusFrame, FrameHeader, decode_frames

EPOCH = 1_765_000_000_000_000_000
T0 = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)
ID0 = uuid.UUID(int=0)
MESSAGE_TYPES = {payload: kind for kind, payload in PAYLOAD_TYPES.items()}


# -- building input ---------------------------------------------------------------------------

def ns(when: datetime) -> int:
    return int((when - datetime(1970, 1, 1, tzinfo=timezone.utc)) / timedelta(microseconds=1)) * 1000


def dec(value: str) -> common_pb2.Decimal:
    """The bus decimal of a decimal text, digits kept ("0.05000" is 5000 at scale 5)."""
    exponent = Decimal(value).as_tuple().exponent
    assert isinstance(exponent, int)
    scale = max(0, -exponent)
    return common_pb2.Decimal(mantissa=int(Decimal(value).scaleb(scale)), scale=scale)


def frame(topic: str, payload: Message, sequence: int, *, epoch: int = EPOCH, flags: int = 0,
          exchange: Optional[datetime] = None, published: Optional[datetime] = None) -> BusFrame:
    """One bus message as a subscriber receives it: encoded, then decoded by krakenbridge.wire."""
    body = payload.SerializeToString()
    published = published or T0
    header = FrameHeader(MESSAGE_TYPES[type(payload)], flags, len(body), epoch, sequence,
                         ns(exchange) if exchange else 0, ns(published), ns(published), 1)
    return decode_frames([topic.encode(), header.pack(), body])


def heartbeat(topic: str, sequence: int, **options: Any) -> BusFrame:
    return frame(topic, service_pb2.TopicHeartbeat(), sequence, **options)


class BookWriter:
    """Writes the bridge's book messages for one book, with the checksum of the state after each."""

    def __init__(self, symbol: str = "BTC/USD", depth: int = 10, generation: int = 1) -> None:
        self.symbol, self.depth, self.generation = symbol, depth, generation
        self.bids: dict[Decimal, Decimal] = {}
        self.asks: dict[Decimal, Decimal] = {}

    def _levels(self, message: Any, bids: list[tuple[str, str]], asks: list[tuple[str, str]]) -> Any:
        price_scales = {dec(p).scale for p, _ in bids + asks}
        qty_scales = {dec(q).scale for _, q in bids + asks}
        assert len(price_scales) <= 1 and len(qty_scales) <= 1, "one scale per message: no per-level scales"
        price_scale, qty_scale = max(price_scales, default=0), max(qty_scales, default=0)
        for (price, qty), prices, qtys in [(level, message.bid_price, message.bid_qty) for level in bids] + \
                                          [(level, message.ask_price, message.ask_qty) for level in asks]:
            prices.append(int(Decimal(price).scaleb(price_scale)))
            qtys.append(int(Decimal(qty).scaleb(qty_scale)))
        message.price_scale, message.qty_scale = price_scale, qty_scale
        message.symbol, message.depth, message.generation = self.symbol, self.depth, self.generation
        message.checksum = kraken_checksum(self.bids, self.asks)
        return message

    def snapshot(self, bids: list[tuple[str, str]], asks: list[tuple[str, str]]) -> market_pb2.BookSnapshot:
        self.bids = {Decimal(p): Decimal(q) for p, q in bids}
        self.asks = {Decimal(p): Decimal(q) for p, q in asks}
        return self._levels(market_pb2.BookSnapshot(), bids, asks)

    def update(self, bids: list[tuple[str, str]] = (), asks: list[tuple[str, str]] = ()) -> market_pb2.BookUpdate:
        for side, changes in ((self.bids, bids), (self.asks, asks)):
            for price, qty in changes:
                side.pop(Decimal(price), None)
                if Decimal(qty):
                    side[Decimal(price)] = Decimal(qty)
        return self._levels(market_pb2.BookUpdate(), list(bids), list(asks))


def report(exec_id: str, order_id: str, status: int, *, filled: str = "0", cumulative: str = "0", price: str = "",
           commission: str = "", order_type: int = common_pb2.ORDER_TYPE_LIMIT, limit: str = "27000.0",
           stop: str = "", quantity: str = "1.00000000", side: int = common_pb2.SIDE_BUY, client: str = "",
           error: str = "", when: datetime = T0, symbol: str = "BTC/USD") -> account_pb2.ExecutionReport:
    message = account_pb2.ExecutionReport(
        exec_id=exec_id, order_id=order_id, client_order_id=client, symbol=symbol, order_status=status,
        order_type=order_type, side=side, quantity_ordered=dec(quantity), quantity_filled=dec(filled),
        cumulative_quantity=dec(cumulative), error_message=error, timestamp_ns=ns(when))
    if limit:
        message.limit_price.CopyFrom(dec(limit))
    if stop:
        message.stop_price.CopyFrom(dec(stop))
    if price:
        message.average_fill_price.CopyFrom(dec(price))
    if commission:
        message.commission.CopyFrom(dec(commission))
        message.commission_asset = "USD"
    return message


NEW, PARTIAL, FILLED = account_pb2.ORDER_STATUS_NEW, account_pb2.ORDER_STATUS_PARTIALLY_FILLED, account_pb2.ORDER_STATUS_FILLED
CANCELED, EXPIRED = account_pb2.ORDER_STATUS_CANCELED, account_pb2.ORDER_STATUS_EXPIRED


def order_a_lifecycle() -> list[account_pb2.ExecutionReport]:
    """A buy of 1 BTC filled in three parts: 0.3 @ 27000.0, 0.2 @ 26999.5, 0.5 @ 26999.0."""
    return [report("OA:new", "OA", NEW),
            report("TA1", "OA", PARTIAL, filled="0.30000000", cumulative="0.30000000", price="27000.0", commission="2.10600"),
            report("TA2", "OA", PARTIAL, filled="0.20000000", cumulative="0.50000000", price="26999.5", commission="1.40397"),
            report("TA3", "OA", FILLED, filled="0.50000000", cumulative="1.00000000", price="26999.0", commission="3.50987")]


# -- reading output ---------------------------------------------------------------------------

def plain_class(event: Any) -> type:
    """The event's Gal-Friday class (the publisher sends first-come-first-served subclasses)."""
    return next(c for c in type(event).__mro__ if dataclasses.is_dataclass(c) and not issubclass(c, FirstComeFirstServed))


def strip(event: Any) -> Any:
    """The event with a fixed id and creation time, so whole events can be compared."""
    values = {f.name: getattr(event, f.name) for f in dataclasses.fields(event) if f.init}
    return plain_class(event)(**(values | {"event_id": ID0, "timestamp": T0}))


def base(cls: Callable[..., Any], **fields: Any) -> Any:
    return cls(source_module="KrakenBridge", event_id=ID0, timestamp=T0, **fields)


def l2(bids: list[tuple[str, str]], asks: list[tuple[str, str]], snapshot: bool, when: Optional[datetime] = T0,
       pair: str = "BTC/USD") -> MarketDataL2Event:
    return base(MarketDataL2Event, trading_pair=pair, exchange="kraken", bids=bids, asks=asks, is_snapshot=snapshot,
                timestamp_exchange=when)


def notice(state: str, reason: str) -> SystemStateEvent:
    return base(SystemStateEvent, new_state=state, reason=reason)


def execution(order_id: str, status: str, *, filled: str = "0", price: Optional[str] = None,
              commission: Optional[str] = None, order_type: str = "LIMIT", limit: Optional[str] = "27000.0",
              stop: Optional[str] = None, quantity: str = "1.00000000", side: str = "BUY",
              client: Optional[str] = None, error: Optional[str] = None, signal: Optional[uuid.UUID] = None,
              when: datetime = T0) -> ExecutionReportEvent:
    return base(ExecutionReportEvent, exchange_order_id=order_id, trading_pair="BTC/USD", exchange="kraken",
                order_status=status, order_type=order_type, side=side, quantity_ordered=Decimal(quantity),
                signal_id=signal, client_order_id=client, quantity_filled=Decimal(filled),
                average_fill_price=None if price is None else Decimal(price),
                limit_price=None if limit is None else Decimal(limit), stop_price=None if stop is None else Decimal(stop),
                commission=None if commission is None else Decimal(commission),
                commission_asset=None if commission is None else "USD", timestamp_exchange=when, error_message=error)


def fill(order_id: str, fill_id: str, price: str, quantity: str, fee: str, side: str = "BUY") -> FillEvent:
    return base(FillEvent, order_id=order_id, fill_id=fill_id, trading_pair="BTC/USD", side=side,
                price=Decimal(price), quantity=Decimal(quantity), fee=Decimal(fee))


def order_a_events() -> list[Any]:
    return [execution("OA", "NEW"),
            execution("OA", "PARTIALLY_FILLED", filled="0.30000000", price="27000.0", commission="2.10600"),
            fill("OA", "TA1", "27000.0", "0.30000000", "2.10600"),
            execution("OA", "PARTIALLY_FILLED", filled="0.20000000", price="26999.5", commission="1.40397"),
            fill("OA", "TA2", "26999.5", "0.20000000", "1.40397"),
            execution("OA", "FILLED", filled="0.50000000", price="26999.0", commission="3.50987"),
            fill("OA", "TA3", "26999.0", "0.50000000", "3.50987")]


def translate_all(translator: Translator, frames: list[BusFrame]) -> list[Any]:
    return [strip(event) for item in frames for event in translator.translate(item)]


# -- doubles of Gal-Friday's modules ----------------------------------------------------------

class FaithfulPubSub:
    """Gal-Friday2's PubSubManager (gal_friday/core/pubsub.py; galfriday.md §1.2) without its
    logger and config: ``publish`` puts ``(event_type.value, event)`` on an unbounded
    ``asyncio.PriorityQueue`` and logs-and-drops whatever that raises; one consumer task pops
    events and starts a task per subscribed handler, each under a timeout; a handler that fails
    ``handler_max_failures`` times in a row is unsubscribed; a consumer error is logged and
    followed by ``consumer_error_sleep_s`` (configurable there too: 0 here to keep tests fast).
    What it would log is kept in ``publish_errors``, ``consumer_errors``, ``handler_errors``."""

    def __init__(self, event_types: Any = EventType, handler_timeout_s: float = 10.0, handler_max_failures: int = 5,
                 consumer_error_sleep_s: float = 0.0) -> None:
        self.event_types = event_types
        self.subscribers: dict[Any, list[Callable[[Any], Any]]] = defaultdict(list)
        self.queue: asyncio.PriorityQueue[tuple[int, Any]] = asyncio.PriorityQueue()
        self.handler_timeout_s = handler_timeout_s
        self.handler_max_failures = handler_max_failures
        self.consumer_error_sleep_s = consumer_error_sleep_s
        self.failures: dict[Any, int] = defaultdict(int)
        self.publish_errors: list[BaseException] = []
        self.consumer_errors: list[BaseException] = []
        self.handler_errors: list[BaseException] = []
        self.tasks: set[asyncio.Task[None]] = set()
        self.consumer: Optional[asyncio.Task[None]] = None

    async def publish(self, event: Any) -> None:
        event_type = getattr(event, "event_type", None)
        if not isinstance(event_type, self.event_types):
            return
        try:
            await self.queue.put((int(event_type.value), event))
        except Exception as error:
            self.publish_errors.append(error)

    def subscribe(self, event_type: Any, handler: Callable[[Any], Any]) -> None:
        self.subscribers[event_type].append(handler)

    def unsubscribe(self, event_type: Any, handler: Callable[[Any], Any]) -> None:
        if handler in self.subscribers[event_type]:
            self.subscribers[event_type].remove(handler)

    async def _dispatch(self, handler: Callable[[Any], Any], event: Any) -> None:
        try:
            await asyncio.wait_for(handler(event), timeout=self.handler_timeout_s)
            self.failures[handler] = 0
        except Exception as error:
            self.handler_errors.append(error)
            self.failures[handler] += 1
            if self.failures[handler] >= self.handler_max_failures:
                self.unsubscribe(event.event_type, handler)

    async def _consume(self) -> None:
        while True:
            try:
                _, event = await self.queue.get()
                for handler in list(self.subscribers.get(event.event_type, [])):
                    task = asyncio.create_task(self._dispatch(handler, event))
                    self.tasks.add(task)
                    task.add_done_callback(self.tasks.discard)
                self.queue.task_done()
            except asyncio.CancelledError:
                break
            except Exception as error:
                self.consumer_errors.append(error)
                await asyncio.sleep(self.consumer_error_sleep_s)

    async def start(self) -> None:
        self.consumer = asyncio.create_task(self._consume())
        await asyncio.sleep(0)

    async def settle(self, seconds: float = 30) -> None:
        """Waits until the queue is empty and every handler task has finished."""
        deadline = asyncio.get_running_loop().time() + seconds
        while self.queue.qsize() or self.tasks:
            assert asyncio.get_running_loop().time() < deadline, "the pubsub did not settle"
            await asyncio.sleep(0)

    async def stop(self) -> None:
        if self.consumer is not None:
            self.consumer.cancel()
            await asyncio.gather(self.consumer, return_exceptions=True)
        await asyncio.gather(*self.tasks, return_exceptions=True)


class Recorder:
    """A subscriber that keeps every event it is handed, in delivery order."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    async def __call__(self, event: Any) -> None:
        self.events.append(event)


class FeatureEngineDouble:
    """What Gal-Friday's FeatureEngine does with what it is handed (feature_engine.py
    ``process_market_data``, ``_handle_l2_update``, ``_handle_ohlcv_update``, ``_handle_trade_event``):
    it reads a dict envelope with ``.get`` and converts the payload's texts."""

    def __init__(self) -> None:
        self.l2_books: dict[str, dict[str, Any]] = {}
        self.bars: dict[str, dict[datetime, dict[str, Decimal]]] = defaultdict(dict)
        self.trades: dict[str, list[dict[str, Any]]] = defaultdict(list)

    async def process_market_data(self, market_data_event_dict: dict[str, Any]) -> None:
        event_type = market_data_event_dict.get("event_type")
        payload = market_data_event_dict.get("payload")
        if not event_type or not payload:
            return
        pair = str(payload["trading_pair"])
        if event_type == "MARKET_DATA_OHLCV":
            start = datetime.fromisoformat(str(payload["timestamp_bar_start"]))
            self.bars[pair][start] = {key: Decimal(str(payload[key])) for key in ("open", "high", "low", "close", "volume")}
        elif event_type == "MARKET_DATA_L2":
            bids, asks = payload.get("bids"), payload.get("asks")
            assert isinstance(bids, list) and isinstance(asks, list)
            self.l2_books[pair] = {
                "bids": [[Decimal(str(level[0])), Decimal(str(level[1]))] for level in bids if len(level) == 2],
                "asks": [[Decimal(str(level[0])), Decimal(str(level[1]))] for level in asks if len(level) == 2],
                "timestamp": datetime.fromisoformat(str(payload.get("timestamp_exchange")))}
        elif event_type == "MARKET_DATA_TRADE":
            await self._handle_trade_event(market_data_event_dict)

    async def _handle_trade_event(self, event_dict: dict[str, Any]) -> None:
        payload = event_dict.get("payload")
        assert payload
        self.trades[str(payload["trading_pair"])].append({
            "timestamp": datetime.fromisoformat(str(payload["timestamp_exchange"])),
            "price": Decimal(str(payload["price"])), "volume": Decimal(str(payload["volume"])),
            "side": str(payload["side"]).lower()})


class PortfolioDouble:
    """PortfolioManager's reading of execution reports (galfriday.md §0.5(c)): every FILLED or
    PARTIALLY_FILLED report is a trade of ``quantity_filled`` at ``average_fill_price``."""

    def __init__(self) -> None:
        self.position: dict[str, Decimal] = defaultdict(Decimal)
        self.cost: dict[str, Decimal] = defaultdict(Decimal)

    async def handle_execution_report(self, event: Any) -> None:
        if event.order_status not in ("FILLED", "PARTIALLY_FILLED"):
            return
        if event.quantity_filled <= 0:
            raise ValueError("a fill of nothing")
        sign = 1 if event.side == "BUY" else -1
        self.position[event.trading_pair] += sign * event.quantity_filled
        self.cost[event.trading_pair] += sign * event.quantity_filled * event.average_fill_price


class ControlDouble:
    """The control socket as the adapter uses it: snapshots of book topics and journal replays,
    answered from what the test puts in; the calls are recorded."""

    def __init__(self, states: Optional[dict[str, BusFrame]] = None, journal: Optional[dict[str, list[BusFrame]]] = None,
                 first_available: int = 1) -> None:
        self.states = states or {}
        self.journal = journal or {}
        self.first_available = first_available
        self.calls: list[tuple[Any, ...]] = []

    def snapshot(self, prefix: str) -> Snapshot:
        self.calls.append(("snapshot", prefix))
        frames = [state for topic, state in self.states.items() if topic.startswith(prefix)]
        return Snapshot(control_pb2.SnapshotBegin(topic_prefix=prefix, topic_count=len(frames)), frames,
                        service_pb2.SnapshotEnd(prefix=prefix, topic_count=len(frames)), frames[0].header)

    def replay(self, topic: str, after: int, max_events: int) -> Replay:
        self.calls.append(("replay", topic, after))
        frames = [f for f in self.journal.get(topic, []) if f.header.sequence > after][:max_events]
        return Replay(control_pb2.ReplayBegin(topic=topic, event_count=len(frames),
                                              first_available_sequence=self.first_available), frames)


# -- translation ------------------------------------------------------------------------------

def test_a_book_snapshot_and_each_update_become_l2_events_carrying_the_whole_top_of_book():
    book = BookWriter()
    topic = "book:BTC/USD:10:"
    frames = [
        frame(topic, book.snapshot(bids=[("27000.0", "1.50000000"), ("26999.5", "0.25000000")],
                                   asks=[("27000.5", "0.75000000"), ("27001.0", "2.00000000")]),
              1, flags=FLAG_SNAPSHOT, exchange=T0),
        frame(topic, book.update(bids=[("27000.0", "0.00000000"), ("26998.0", "3.00000000")], asks=[("27000.2", "0.10000000")]),
              2, exchange=T0 + timedelta(milliseconds=5)),
    ]
    assert translate_all(Translator(), frames) == [
        l2([("27000.0", "1.50000000"), ("26999.5", "0.25000000")],
           [("27000.5", "0.75000000"), ("27001.0", "2.00000000")], snapshot=True),
        l2([("26999.5", "0.25000000"), ("26998.0", "3.00000000")],
           [("27000.2", "0.10000000"), ("27000.5", "0.75000000"), ("27001.0", "2.00000000")], snapshot=False,
           when=T0 + timedelta(milliseconds=5)),
    ]


def test_l2_levels_are_krakens_digits_best_first_and_only_the_top_n():
    book = BookWriter(symbol="DOGE/USD", depth=25)
    snapshot = book.snapshot(bids=[("0.0950000", "100.00000000"), ("0.0960000", "5.00000000"), ("0.0940000", "1.00000000"),
                                   ("0.0970000", "2.50000000")],
                             asks=[("0.0990000", "7.00000000"), ("0.0980000", "3.00000000"), ("0.1000000", "9.00000000")])
    events = Translator(book_levels=2).translate(frame("book:DOGE/USD:25:", snapshot, 1, exchange=T0))
    assert [strip(event) for event in events] == [
        l2([("0.0970000", "2.50000000"), ("0.0960000", "5.00000000")],
           [("0.0980000", "3.00000000"), ("0.0990000", "7.00000000")], snapshot=True, pair="DOGE/USD")]
    assert isinstance(events[0].bids, list) and all(type(level) is tuple for level in events[0].bids)


def trade(trade_id: int, price: str, qty: str, side: int = common_pb2.SIDE_BUY, backlog: bool = False,
          when: datetime = T0) -> market_pb2.Trade:
    return market_pb2.Trade(symbol="BTC/USD", trade_id=trade_id, price=dec(price), qty=dec(qty), side=side,
                            timestamp_ns=ns(when), from_snapshot=backlog)


def trade_event(trade_id: int, price: str, qty: str, side: str = "buy", when: datetime = T0) -> MarketDataTradeEvent:
    return base(MarketDataTradeEvent, trading_pair="BTC/USD", exchange="kraken", timestamp_exchange=when,
                price=Decimal(price), volume=Decimal(qty), side=side, trade_id=str(trade_id))


def test_trades_are_told_once_each_in_exact_decimals_without_the_history_kraken_replays_on_subscribing():
    topic = "trade:BTC/USD:"
    later = T0 + timedelta(seconds=1)
    trades = [
        trade(100, "26990.0", "0.01000000", backlog=True),      # history from before we started
        trade(101, "26991.0", "0.02000000", backlog=True),
        trade(102, "27000.0", "0.12340000", side=common_pb2.SIDE_SELL, when=later),
        trade(103, "27000.5", "0.00100000", when=later),
        # The bridge reconnected to Kraken: the backlog again, two of its trades new to us.
        trade(102, "27000.0", "0.12340000", side=common_pb2.SIDE_SELL, backlog=True, when=later),
        trade(103, "27000.5", "0.00100000", backlog=True, when=later),
        trade(104, "27001.0", "0.50000000", backlog=True, when=later),
        trade(105, "27001.5", "0.05000000", side=common_pb2.SIDE_SELL, backlog=True, when=later),
    ]
    # Joining through the control socket, the topic's state (its last trade, flag SNAPSHOT) comes first.
    frames = [frame(topic, trade(99, "26989.0", "0.01000000"), 1, flags=FLAG_SNAPSHOT)]
    frames += [frame(topic, message, sequence) for sequence, message in enumerate(trades, start=2)]
    translator = Translator()
    assert translate_all(translator, frames) == [
        trade_event(102, "27000.0", "0.12340000", side="sell", when=later),
        trade_event(103, "27000.5", "0.00100000", when=later),
        trade_event(104, "27001.0", "0.50000000", when=later),
        trade_event(105, "27001.5", "0.05000000", side="sell", when=later),
    ]
    assert translator.skipped == {"trade_backlog": 3, "duplicate_trade": 2}


def candle(begin: datetime, open_: str, high: str, low: str, close: str, volume: str, minutes: int = 1) -> market_pb2.Ohlc:
    return market_pb2.Ohlc(symbol="BTC/USD", interval_minutes=minutes, interval_begin_ns=ns(begin), open=dec(open_),
                           high=dec(high), low=dec(low), close=dec(close), volume=dec(volume), timestamp_ns=ns(begin))


def bar(begin: datetime, open_: str, high: str, low: str, close: str, volume: str) -> MarketDataOHLCVEvent:
    return base(MarketDataOHLCVEvent, trading_pair="BTC/USD", exchange="kraken", interval="1m",
                timestamp_bar_start=begin, open=open_, high=high, low=low, close=close, volume=volume)


def test_a_candle_is_emitted_once_as_text_when_its_minute_is_over_and_other_intervals_are_left_out():
    topic, minute = "ohlc:BTC/USD:1:", T0.replace(second=0)
    after = minute + timedelta(minutes=1)
    frames = [
        frame(topic, candle(minute, "27000.0", "27000.0", "27000.0", "27000.0", "0.10000000"), 1, published=minute),
        frame(topic, candle(minute, "27000.0", "27010.0", "26995.0", "27005.0", "0.35000000"), 2,
              published=minute + timedelta(seconds=30)),
        frame("ohlc:BTC/USD:5:", candle(minute, "27000.0", "27010.0", "26995.0", "27005.0", "0.35000000", minutes=5), 1,
              published=minute + timedelta(seconds=31)),
        # The next minute's first candle closes the previous one; a late update of it changes nothing.
        frame(topic, candle(after, "27005.0", "27006.0", "27005.0", "27006.0", "0.01000000"), 3,
              published=after + timedelta(seconds=1)),
        frame(topic, candle(minute, "27000.0", "27010.0", "26990.0", "27004.0", "0.40000000"), 4,
              published=after + timedelta(seconds=1)),
        # No trade in the minute after: the bar closes when a frame shows its minute (and the grace) is over.
        heartbeat(topic, 4, published=after + timedelta(seconds=61)),
        heartbeat(topic, 4, published=after + timedelta(seconds=62)),
    ]
    translator = Translator()
    assert translate_all(translator, frames) == [
        bar(minute, "27000.0", "27010.0", "26995.0", "27005.0", "0.35000000"),
        bar(after, "27005.0", "27006.0", "27005.0", "27006.0", "0.01000000"),
    ]
    assert translator.skipped == {"closed_bar_update": 1}


def ticker(bid: str, ask: str) -> market_pb2.Ticker:
    return market_pb2.Ticker(symbol="BTC/USD", bid=dec(bid), bid_qty=dec("1.20000000"), ask=dec(ask),
                             ask_qty=dec("0.80000000"), last=dec("27000.1"), volume=dec("1234.56789000"),
                             vwap=dec("26950.3"), low=dec("26500.0"), high=dec("27500.0"), trades_24h=4321,
                             timestamp_ns=ns(T0))


def test_a_ticker_becomes_a_ticker_event_with_the_last_trade_size_and_a_crossed_one_is_not_emitted():
    frames = [frame("trade:BTC/USD:", trade(7, "27000.1", "0.04200000"), 1),
              frame("ticker:BTC/USD:", ticker("27000.0", "27000.5"), 1),
              frame("ticker:BTC/USD:", ticker("27001.0", "27000.5"), 2)]
    translator = Translator()
    assert translate_all(translator, frames)[1:] == [
        base(MarketDataTickerEvent, trading_pair="BTC/USD", exchange="kraken", timestamp_exchange=T0,
             bid=Decimal("27000.0"), bid_size=Decimal("1.20000000"), ask=Decimal("27000.5"), ask_size=Decimal("0.80000000"),
             last_price=Decimal("27000.1"), last_size=Decimal("0.04200000"), volume_24h=Decimal("1234.56789000"),
             vwap_24h=Decimal("26950.3"), high_24h=Decimal("27500.0"), low_24h=Decimal("26500.0"), trades_24h=4321)]
    assert translator.skipped == {"invalid_ticker": 1}


def test_executions_become_one_report_per_fill_in_galfridays_vocabulary_with_a_fill_event_per_fill():
    reports = order_a_lifecycle() + [
        report("OB:new", "OB", NEW, client="gf-entry-1", side=common_pb2.SIDE_SELL, limit="27100.0", quantity="0.50000000"),
        report("OB:canceled", "OB", CANCELED, client="gf-entry-1", side=common_pb2.SIDE_SELL, limit="27100.0",
               quantity="0.50000000", error="User requested"),
        report("OC:new", "OC", NEW, order_type=common_pb2.ORDER_TYPE_STOP_LOSS_LIMIT, stop="26000.0", limit="25990.0"),
        report("OC:expired", "OC", EXPIRED, order_type=common_pb2.ORDER_TYPE_STOP_LOSS_LIMIT, stop="26000.0",
               limit="25990.0", error="Order expired"),
        report("OD:new", "OD", NEW, order_type=common_pb2.ORDER_TYPE_MARKET, limit=""),
    ]
    frames = [frame("exec:", message, sequence) for sequence, message in enumerate(reports, start=1)]
    # The bridge's Fill of each execution, on fill:, tells nothing new.
    frames += [frame("fill:", account_pb2.Fill(fill_id="TA1", order_id="OA", symbol="BTC/USD", side=common_pb2.SIDE_BUY,
                                               price=dec("27000.0"), quantity=dec("0.30000000"), fee=dec("2.10600")), 1)]
    assert translate_all(Translator(), frames) == order_a_events() + [
        execution("OB", "NEW", side="SELL", client="gf-entry-1", limit="27100.0", quantity="0.50000000"),
        execution("OB", "CANCELED", side="SELL", client="gf-entry-1", limit="27100.0", quantity="0.50000000",
                  error="User requested"),
        execution("OC", "NEW", order_type="STOP_LIMIT", stop="26000.0", limit="25990.0"),
        execution("OC", "EXPIRED", order_type="STOP_LIMIT", stop="26000.0", limit="25990.0", error="Order expired"),
        execution("OD", "NEW", order_type="MARKET", limit=None),
    ]


def test_fills_only_on_the_fill_topic_become_fill_events_and_reports_are_correlated_with_signals():
    signal = uuid.UUID("6f1c2b9e-3d4a-4f7b-9c1d-2e3f4a5b6c7d")
    translator = Translator(client_order_ids={"OA": str(signal)}.get,
                            signal_ids=lambda order_id, client: uuid.UUID(client) if client else None)
    frames = [frame("exec:", order_a_lifecycle()[0], 1),
              frame("fill:", account_pb2.Fill(fill_id="TX9", order_id="OX", symbol="BTC/USD", side=common_pb2.SIDE_SELL,
                                              price=dec("27000.0"), quantity=dec("0.01000000"), fee=dec("0.43200")), 1)]
    assert translate_all(translator, frames) == [
        execution("OA", "NEW", client=str(signal), signal=signal),
        fill("OX", "TX9", "27000.0", "0.01000000", "0.43200", side="SELL")]


def test_exchange_and_connection_status_become_system_state_events():
    frames = [
        frame("status:", service_pb2.ExchangeStatus(system=service_pb2.EXCHANGE_SYSTEM_STATE_MAINTENANCE,
                                                    raw_system="maintenance", feed="public"), 1),
        frame("conn:private:", service_pb2.ConnectionStatus(
            feed="private", endpoint="wss://ws-auth.kraken.com/v2", state=service_pb2.CONNECTION_STATE_RECONNECTING,
            previous_state=service_pb2.CONNECTION_STATE_ACTIVE, attempt=2, detail="connection reset by peer"), 1),
    ]
    assert translate_all(Translator(), frames) == [
        notice("EXCHANGE_MAINTENANCE", "status: Kraken's trading system is maintenance (feed public)"),
        notice("BRIDGE_FEED_RECONNECTING", "conn:private: feed private to wss://ws-auth.kraken.com/v2: active → "
                                           "reconnecting, attempt 2, connection reset by peer"),
    ]


def test_every_event_has_its_own_uuid4_a_utc_creation_time_and_the_adapters_source_module():
    book = BookWriter()
    frames = [frame("book:BTC/USD:10:", book.snapshot([("1.0", "1.0")], [("2.0", "1.0")]), 1),
              frame("trade:BTC/USD:", trade(1, "1.5", "1.0"), 1)]
    frames += [frame("exec:", message, sequence) for sequence, message in enumerate(order_a_lifecycle(), start=1)]
    before = datetime.now(timezone.utc)
    events = [event for item in frames for event in Translator().translate(item)]
    assert len(events) == 9
    assert len({event.event_id for event in events}) == 9
    assert all(event.event_id.version == 4 for event in events)
    assert all(event.timestamp.tzinfo is timezone.utc and before <= event.timestamp <= datetime.now(timezone.utc)
               for event in events)
    assert {event.source_module for event in events} == {"KrakenBridge"}


# -- pitfall (a): equal priorities ------------------------------------------------------------

def l2_burst(count: int) -> list[MarketDataL2Event]:
    book = BookWriter()
    translator = Translator()
    frames = [frame("book:BTC/USD:10:", book.snapshot([("100.0", "1.0")], [("101.0", "1.0")]), 1)]
    frames += [frame("book:BTC/USD:10:", book.update(bids=[("100.0", f"{n + 2}.0")]), n + 2) for n in range(count - 1)]
    return [event for item in frames for event in translator.translate(item)]


def test_without_the_workaround_galfridays_pubsub_loses_equal_priority_events_published_back_to_back():
    async def run() -> tuple[list[Any], FaithfulPubSub]:
        pubsub, received = FaithfulPubSub(), Recorder()
        pubsub.subscribe(EventType.MARKET_DATA_L2, received)
        await pubsub.start()
        for event in l2_burst(1000):
            await pubsub.publish(event)
        await pubsub.settle()
        await pubsub.stop()
        return received.events, pubsub

    received, pubsub = asyncio.run(run())
    assert len(pubsub.publish_errors) == 999 and all(isinstance(e, TypeError) for e in pubsub.publish_errors)
    assert len(received) < 1000, "every event after the first met an equal priority in the queue"


def test_through_the_publisher_1000_l2_events_published_back_to_back_all_arrive_in_order():
    events = l2_burst(1000)

    async def run() -> tuple[list[Any], FaithfulPubSub]:
        pubsub, received = FaithfulPubSub(), Recorder()
        pubsub.subscribe(EventType.MARKET_DATA_L2, received)
        await pubsub.start()
        await GalFridayPublisher(pubsub).publish_all(events)
        await pubsub.settle()
        await pubsub.stop()
        return received.events, pubsub

    received, pubsub = asyncio.run(run())
    assert pubsub.publish_errors == [] and pubsub.consumer_errors == []
    assert [strip(event) for event in received] == [strip(event) for event in events]
    assert all(isinstance(event, MarketDataL2Event) for event in received)


def test_events_published_before_the_pubsub_runs_all_arrive_in_publication_order_which_yielding_alone_cannot_do():
    reports = [frame("exec:", message, sequence) for sequence, message in enumerate(order_a_lifecycle(), start=1)]
    events = l2_burst(50) + [event for item in reports for event in Translator().translate(item)]
    events += [notice("BOOK_INVALID", "book:BTC/USD:10: a"), notice("BOOK_VALID", "book:BTC/USD:10: b")]

    async def run(publisher_options: dict[str, bool]) -> tuple[list[Any], FaithfulPubSub]:
        pubsub, received = FaithfulPubSub(), Recorder()
        for event_type in (EventType.MARKET_DATA_L2, EventType.EXECUTION_REPORT, EventType.FILL,
                           EventType.SYSTEM_STATE_CHANGE):
            pubsub.subscribe(event_type, received)
        await GalFridayPublisher(pubsub, **publisher_options).publish_all(events)  # before start(): all queued
        await pubsub.start()
        await pubsub.settle()
        await pubsub.stop()
        return received.events, pubsub

    received, pubsub = asyncio.run(run({}))
    priority = {EventType.MARKET_DATA_L2: 1, EventType.EXECUTION_REPORT: 9, EventType.FILL: 10,
                EventType.SYSTEM_STATE_CHANGE: 12}
    expected = sorted(events, key=lambda event: priority[event.event_type])  # stable: equal priorities keep their order
    assert pubsub.publish_errors == []
    assert [strip(event) for event in received] == [strip(event) for event in expected]

    received, pubsub = asyncio.run(run({"order_ties": False}))
    assert len(pubsub.publish_errors) > 0 and len(received) < len(events)


# -- pitfall (b): dict envelopes --------------------------------------------------------------

def market_events() -> list[Any]:
    book = BookWriter()
    translator = Translator()
    minute = T0.replace(second=0)
    frames = [frame("book:BTC/USD:10:", book.snapshot([("27000.0", "1.50000000")], [("27000.5", "0.75000000")]), 1,
                    exchange=T0),
              frame("trade:BTC/USD:", trade(102, "27000.0", "0.12340000", side=common_pb2.SIDE_SELL), 1),
              frame("ohlc:BTC/USD:1:", candle(minute, "27000.0", "27010.0", "26995.0", "27005.0", "0.35000000"), 1,
                    published=minute),
              heartbeat("ohlc:BTC/USD:1:", 1, published=minute + timedelta(seconds=63))]
    return [event for item in frames for event in translator.translate(item)]


def test_a_feature_engine_fed_events_fails_on_each_and_is_unsubscribed_but_through_envelopes_reads_them_all():
    events = market_events() * 5  # a book, a trade and a bar, five times

    async def run(adapt: bool) -> tuple[FeatureEngineDouble, FaithfulPubSub]:
        pubsub, engine = FaithfulPubSub(), FeatureEngineDouble()
        pubsub.subscribe(EventType.MARKET_DATA_OHLCV, engine.process_market_data)  # FeatureEngine.start()
        pubsub.subscribe(EventType.MARKET_DATA_L2, engine.process_market_data)
        pubsub.subscribe(EventType.MARKET_DATA_TRADE, engine._handle_trade_event)
        if adapt:
            adapt_feature_engine(pubsub, engine)
        await pubsub.start()
        await GalFridayPublisher(pubsub).publish_all(events)
        await pubsub.settle()
        await pubsub.stop()
        return engine, pubsub

    engine, pubsub = asyncio.run(run(adapt=False))
    assert (engine.l2_books, dict(engine.bars), dict(engine.trades)) == ({}, {}, {})
    # Each delivery fails (a dataclass has no .get); after five failures in a row a handler is
    # unsubscribed, so the FeatureEngine ends with no subscription at all.
    assert {type(error) for error in pubsub.handler_errors} == {AttributeError}
    assert 10 <= len(pubsub.handler_errors) < len(events)
    assert {event_type: handlers for event_type, handlers in pubsub.subscribers.items() if handlers} == {}

    engine, pubsub = asyncio.run(run(adapt=True))
    assert pubsub.handler_errors == []
    minute = T0.replace(second=0)
    assert engine.l2_books == {"BTC/USD": {"bids": [[Decimal("27000.0"), Decimal("1.50000000")]],
                                           "asks": [[Decimal("27000.5"), Decimal("0.75000000")]], "timestamp": T0}}
    assert engine.bars == {"BTC/USD": {minute: {"open": Decimal("27000.0"), "high": Decimal("27010.0"),
                                                "low": Decimal("26995.0"), "close": Decimal("27005.0"),
                                                "volume": Decimal("0.35000000")}}}
    assert engine.trades == {"BTC/USD": [{"timestamp": T0, "price": Decimal("27000.0"),
                                          "volume": Decimal("0.12340000"), "side": "sell"}] * 5}


def test_an_envelope_is_the_inter_module_dict_with_the_events_fields_as_text():
    book_event = market_events()[0]
    assert envelope(book_event) == {
        "event_id": str(book_event.event_id), "event_type": "MARKET_DATA_L2", "timestamp": book_event.timestamp.isoformat(),
        "source_module": "KrakenBridge",
        "payload": {"trading_pair": "BTC/USD", "exchange": "kraken", "bids": [["27000.0", "1.50000000"]],
                    "asks": [["27000.5", "0.75000000"]], "is_snapshot": True, "timestamp_exchange": T0.isoformat()}}


# -- pitfall (c): per-fill accounting ---------------------------------------------------------

def test_per_fill_reports_add_up_to_the_orders_filled_quantity_and_a_cumulative_mapping_would_double_count():
    reports = order_a_lifecycle()
    events = [event for sequence, message in enumerate(reports, start=1)
              for event in Translator().translate(frame("exec:", message, sequence))]
    fills = [event for event in events if isinstance(event, ExecutionReportEvent) and event.order_status != "NEW"]
    assert sum(event.quantity_filled for event in fills) == Decimal("1.00000000") == Decimal(reports[-1].cumulative_quantity.mantissa) / 10 ** 8

    async def account(published: list[Any]) -> PortfolioDouble:
        pubsub, portfolio = FaithfulPubSub(), PortfolioDouble()
        pubsub.subscribe(EventType.EXECUTION_REPORT, portfolio.handle_execution_report)
        await pubsub.start()
        await GalFridayPublisher(pubsub).publish_all(published)
        await pubsub.settle()
        await pubsub.stop()
        assert pubsub.handler_errors == []
        return portfolio

    portfolio = asyncio.run(account(events))
    assert portfolio.position == {"BTC/USD": Decimal("1.00000000")}
    assert portfolio.cost == {"BTC/USD": Decimal("0.3") * Decimal("27000.0") + Decimal("0.2") * Decimal("26999.5")
                              + Decimal("0.5") * Decimal("26999.0")}

    # The same reports mapped cumulatively (quantity_filled = the order's total so far), as
    # Gal-Friday's REST poller does: the portfolio would hold 1.8 BTC of a 1 BTC order.
    cumulative = [dataclasses.replace(event, quantity_filled=Decimal(message.cumulative_quantity.mantissa) / 10 ** 8)
                  for event, message in zip(fills, reports[1:])]
    assert asyncio.run(account(cumulative)).position == {"BTC/USD": Decimal("1.8")}


# -- gaps and resets --------------------------------------------------------------------------

BOOK = "book:BTC/USD:10:"


def test_a_book_reset_makes_the_book_invalid_with_no_l2_events_until_the_next_snapshot():
    book = BookWriter()
    frames = [
        frame(BOOK, book.snapshot([("100.0", "1.0")], [("101.0", "1.0")]), 1, exchange=T0),
        frame(BOOK, service_pb2.BookReset(symbol="BTC/USD", depth=10, previous_generation=1, generation=2,
                                          reason=service_pb2.BOOK_RESET_REASON_RECONNECT), 2),
        heartbeat(BOOK, 2),
        frame(BOOK, book.update(bids=[("100.0", "2.0")]), 3),   # an update of the old book: not applied
    ]
    book.generation = 2
    frames.append(frame(BOOK, book.snapshot([("99.0", "4.0")], [("100.5", "1.0")]), 4, exchange=T0))
    frames.append(frame(BOOK, book.update(asks=[("100.5", "0.5")]), 5, exchange=T0))
    translator = Translator()
    assert translate_all(translator, frames) == [
        l2([("100.0", "1.0")], [("101.0", "1.0")], snapshot=True),
        notice("BOOK_INVALID", "book:BTC/USD:10: reset by the bridge (reconnect), generation 1 → 2; no L2 events until "
                               "its next snapshot"),
        notice("BOOK_VALID", "book:BTC/USD:10: rebuilt from a snapshot (generation 2); L2 events follow"),
        l2([("99.0", "4.0")], [("100.5", "1.0")], snapshot=True),
        l2([("99.0", "4.0")], [("100.5", "0.5")], snapshot=False),
    ]
    assert translator.invalid_books == frozenset()


def test_a_gap_on_a_book_topic_invalidates_it_and_the_adapter_rebuilds_it_from_the_control_sockets_snapshot():
    book = BookWriter()
    live = [frame(BOOK, book.snapshot([("100.0", "1.0")], [("101.0", "1.0")]), 1, exchange=T0)]
    updates = [frame(BOOK, book.update(bids=[("100.0", f"{n}.0")]), n, exchange=T0) for n in range(2, 7)]
    state = frame(BOOK, market_pb2.BookSnapshot.FromString(
        book.snapshot([("100.0", "5.0")], [("101.0", "1.0")]).SerializeToString()), 5, flags=FLAG_SNAPSHOT, exchange=T0)
    control = ControlDouble(states={BOOK: state})
    adapter = BridgeAdapter(recovery=control)
    # Updates 2 and 3 are lost on the bus; 4 shows the gap; the snapshot holds the book as of 5;
    # 4 and 5 were read before the snapshot arrived (queued) and are already in it.
    received = [live[0], updates[2], updates[3], updates[4]]
    events = [strip(event) for item in received for event in adapter.handle(item)]
    assert events == [
        l2([("100.0", "1.0")], [("101.0", "1.0")], snapshot=True),
        notice("BOOK_INVALID", "book:BTC/USD:10: sequences 2–3 missed on the bus; no L2 events until a snapshot"),
        notice("BOOK_VALID", "book:BTC/USD:10: rebuilt from a snapshot (generation 1); L2 events follow"),
        l2([("100.0", "5.0")], [("101.0", "1.0")], snapshot=True),
        l2([("100.0", "6.0")], [("101.0", "1.0")], snapshot=False),
    ]
    assert control.calls == [("snapshot", BOOK)]


def test_an_update_that_breaks_the_checksum_invalidates_the_book_and_a_late_joiner_fetches_its_books():
    book = BookWriter()
    book.snapshot([("100.0", "1.0")], [("101.0", "1.0")])
    wrong = book.update(bids=[("100.0", "2.0")])
    wrong.checksum ^= 1
    # The state the control socket has is as of the very update that showed we have no book.
    control = ControlDouble(states={BOOK: frame(BOOK, book.snapshot([("100.0", "2.0")], [("101.0", "1.0")]), 6,
                                                flags=FLAG_SNAPSHOT)})
    adapter = BridgeAdapter(recovery=control)
    joined = [strip(event) for event in adapter.handle(frame(BOOK, book.update(asks=[("101.0", "1.0")]), 6))]
    assert joined == [
        notice("BOOK_INVALID", "book:BTC/USD:10: joined late: no snapshot of it yet; no L2 events until a snapshot"),
        notice("BOOK_VALID", "book:BTC/USD:10: rebuilt from a snapshot (generation 1); L2 events follow"),
        l2([("100.0", "2.0")], [("101.0", "1.0")], snapshot=True),  # no exchange time: the bridge's receive time
    ]
    control.states = {}
    mismatch = [strip(event) for event in adapter.handle(frame(BOOK, wrong, 7))]
    checksum = kraken_checksum({Decimal("100.0"): Decimal("2.0")}, {Decimal("101.0"): Decimal("1.0")})
    assert mismatch == [notice("BOOK_INVALID", f"book:BTC/USD:10: checksum {checksum} after an update is not the "
                                               f"bridge's {wrong.checksum}; no L2 events until a snapshot")]
    assert adapter.translator.invalid_books == frozenset({BOOK})


def exec_frames(first_sequence: int = 1, **options: Any) -> list[BusFrame]:
    return [frame("exec:", message, sequence, **options)
            for sequence, message in enumerate(order_a_lifecycle(), start=first_sequence)]


def test_a_gap_on_exec_is_announced_and_the_journal_replay_tells_each_execution_once_in_order():
    journal = exec_frames(flags=FLAG_REPLAY)
    control = ControlDouble(journal={"exec:": journal})
    live = exec_frames()
    adapter = BridgeAdapter(recovery=control)
    # 2 and 3 are lost on the bus; 4 shows the gap. The journal replays 2–4; the live 4 waits.
    events = [strip(event) for item in (live[0], live[3]) for event in adapter.handle(item)]
    assert events == [
        order_a_events()[0],
        notice("EXECUTIONS_GAP", "exec: sequences 2–3 missed on the bus; later events are held back until the bridge's "
                                 "journal has replayed them"),
        *order_a_events()[1:5],
        notice("EXECUTIONS_RECOVERED", "exec: the journal replayed what was missed (events not told before: 2); "
                                       "the bus continues"),
        *order_a_events()[5:],
    ]
    assert control.calls == [("replay", "exec:", 1)]
    assert [strip(event) for event in adapter.handle(live[3])] == [], "a duplicate sequence tells nothing"


def test_live_executions_wait_while_a_replay_runs_and_what_the_replay_repeats_is_told_once():
    translator = Translator()
    live = exec_frames()
    replay = exec_frames(flags=FLAG_REPLAY)
    assert [strip(e) for e in translator.translate(live[0])] == [order_a_events()[0]]
    assert [strip(e) for e in translator.translate(live[2])] == [
        notice("EXECUTIONS_GAP", "exec: sequence 2 missed on the bus; later events are held back until the bridge's "
                                 "journal has replayed them")]
    assert translator.take_requests() == [ReplayNeeded("exec:", 1)]
    assert translator.translate(live[3]) == [], "live frames wait while the replay runs"
    # The journal answers with 2 and everything after it: 2 fills the hole, the held 3 and 4
    # follow, and the replayed 3 and 4 are duplicates.
    assert [strip(e) for item in replay[1:] for e in translator.translate(item)] == [
        *order_a_events()[1:3],
        notice("EXECUTIONS_RECOVERED", "exec: the journal replayed what was missed (events not told before: 1); "
                                       "the bus continues"),
        *order_a_events()[3:],
    ]
    assert translator.end_replay("exec:") == []
    assert translator.skipped == {"duplicate_sequence": 2}


def test_executions_the_journal_no_longer_holds_are_reported_lost_and_the_stream_goes_on():
    journal = exec_frames(flags=FLAG_REPLAY)[2:]  # retention pruned sequence 2
    adapter = BridgeAdapter(recovery=ControlDouble(journal={"exec:": journal}, first_available=3))
    live = exec_frames()
    events = [strip(event) for item in (live[0], live[3]) for event in adapter.handle(item)]
    assert events == [
        order_a_events()[0],
        notice("EXECUTIONS_GAP", "exec: sequences 2–3 missed on the bus; later events are held back until the bridge's "
                                 "journal has replayed them"),
        notice("EXECUTIONS_LOST", "exec: sequence 2: no longer in the bridge's journal; those events are lost, "
                                  "reconcile the account over REST"),
        *order_a_events()[3:5],
        notice("EXECUTIONS_RECOVERED", "exec: the journal replayed what was missed (events not told before: 1); "
                                       "the bus continues"),
        *order_a_events()[5:],
    ]


def test_without_a_control_socket_a_private_gap_is_reported_lost_and_the_stream_goes_on():
    adapter = BridgeAdapter()
    live = exec_frames()
    events = [strip(event) for item in (live[0], live[3]) for event in adapter.handle(item)]
    assert events == [
        order_a_events()[0],
        notice("EXECUTIONS_GAP", "exec: sequences 2–3 missed on the bus; later events are held back until the bridge's "
                                 "journal has replayed them"),
        notice("EXECUTIONS_LOST", "exec: sequences 2–3: could not be replayed (no control socket to replay from); "
                                  "those events are lost, reconcile the account over REST"),
        *order_a_events()[5:],
    ]


def test_the_bridges_own_gap_event_on_exec_becomes_a_resync_notice_and_reconciled_executions_follow_once():
    gap = service_pb2.Gap(stream="executions", kind=service_pb2.GAP_KIND_SEQUENCE_SKIPPED, expected=41, received=44)
    reconciled = order_a_lifecycle()[1]
    frames = [frame("exec:", order_a_lifecycle()[0], 1), frame("exec:", gap, 2), frame("exec:", reconciled, 3),
              frame("exec:", reconciled, 4)]  # the same execution told again (another exec: message): once
    assert translate_all(Translator(), frames) == [
        order_a_events()[0],
        notice("EXECUTIONS_RESYNC", "exec: Kraken's executions stream: sequence skipped, expected 41, received 44; the "
                                    "bridge resubscribes and reconciles, and what it finds follows as ordinary events, "
                                    "each once"),
        *order_a_events()[1:3],
    ]


def test_lost_trades_are_announced_as_a_market_data_gap():
    frames = [frame("trade:BTC/USD:", trade(1, "100.0", "1.0"), 1), frame("trade:BTC/USD:", trade(4, "100.0", "1.0"), 4)]
    assert translate_all(Translator(), frames) == [
        trade_event(1, "100.0", "1.0"),
        notice("MARKET_DATA_GAP", "trade:BTC/USD: sequences 2–3 missed on the bus: those messages are lost"),
        trade_event(4, "100.0", "1.0"),
    ]
    assert notice_topic(notice("MARKET_DATA_GAP", "trade:BTC/USD: x")) == "trade:BTC/USD:"


def test_after_a_bridge_restart_books_wait_for_their_new_snapshot_and_exec_numbering_continues():
    book = BookWriter()
    later = EPOCH + 60_000_000_000
    frames = [frame(BOOK, book.snapshot([("100.0", "1.0")], [("101.0", "1.0")]), 1, exchange=T0),
              frame("exec:", order_a_lifecycle()[0], 1),
              frame("trade:BTC/USD:", trade(1, "100.0", "1.0"), 7),
              heartbeat(BOOK, 0, epoch=later),                            # the new run has not sent this book yet
              frame("exec:", order_a_lifecycle()[1], 2, epoch=later),      # the journal's numbering goes on
              frame("trade:BTC/USD:", trade(3, "100.0", "1.0"), 3, epoch=later)]  # its first two trades were missed
    assert translate_all(Translator(), frames) == [
        l2([("100.0", "1.0")], [("101.0", "1.0")], snapshot=True),
        order_a_events()[0],
        trade_event(1, "100.0", "1.0"),
        notice("BOOK_INVALID", "book:BTC/USD:10: the bridge restarted; no L2 events until its new snapshot"),
        *order_a_events()[1:3],
        notice("MARKET_DATA_GAP", "trade:BTC/USD: sequences 1–2 missed on the bus: those messages are lost"),
        trade_event(3, "100.0", "1.0"),
    ]


def test_the_translator_asks_for_what_it_needs_when_no_adapter_serves_it():
    translator = Translator()
    translator.translate(frame(BOOK, BookWriter().update(bids=[("1.0", "1.0")]), 3))
    translator.resume("exec:", 10)
    translator.translate(frame("exec:", order_a_lifecycle()[0], 12))
    assert translator.take_requests() == [SnapshotNeeded(BOOK), ReplayNeeded("exec:", 10)]
    assert translator.take_requests() == []


@pytest.mark.parametrize("cls, fields", [
    (SystemStateEvent, ["source_module", "event_id", "timestamp", "new_state", "reason", "halt_action", "event_type"]),
    (MarketDataL2Event, ["source_module", "event_id", "timestamp", "trading_pair", "exchange", "bids", "asks",
                         "is_snapshot", "timestamp_exchange", "event_type"]),
    (MarketDataOHLCVEvent, ["source_module", "event_id", "timestamp", "trading_pair", "exchange", "interval",
                            "timestamp_bar_start", "open", "high", "low", "close", "volume", "event_type"]),
    (MarketDataTradeEvent, ["source_module", "event_id", "timestamp", "trading_pair", "exchange", "timestamp_exchange",
                            "price", "volume", "side", "trade_id", "event_type"]),
    (MarketDataTickerEvent, ["source_module", "event_id", "timestamp", "trading_pair", "exchange", "timestamp_exchange",
                             "bid", "bid_size", "ask", "ask_size", "last_price", "last_size", "volume_24h", "vwap_24h",
                             "high_24h", "low_24h", "trades_24h", "event_type"]),
    (ExecutionReportEvent, ["source_module", "event_id", "timestamp", "exchange_order_id", "trading_pair", "exchange",
                            "order_status", "order_type", "side", "quantity_ordered", "signal_id", "client_order_id",
                            "quantity_filled", "average_fill_price", "limit_price", "stop_price", "commission",
                            "commission_asset", "timestamp_exchange", "error_message", "event_type"]),
    (FillEvent, ["source_module", "event_id", "timestamp", "order_id", "fill_id", "trading_pair", "side", "price",
                 "quantity", "fee", "event_type"]),
])
def test_the_stand_in_classes_have_galfridays_fields_in_galfridays_order(cls: type, fields: list[str]):
    assert [field.name for field in dataclasses.fields(cls)] == fields
    assert dataclasses.fields(cls)[-1].init is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(base(SystemStateEvent, new_state="x", reason="y"), "reason", "z")


def test_the_stand_in_classes_check_trades_and_tickers_as_galfriday_does():
    with pytest.raises(ValueError, match="Must be 'buy' or 'sell'"):
        trade_event(1, "100.0", "1.0", side="BUY_ALL")
    with pytest.raises(ValueError, match="volume must be positive"):
        trade_event(1, "100.0", "0")
    with pytest.raises(ValueError, match="Invalid bid/ask spread"):
        base(MarketDataTickerEvent, trading_pair="BTC/USD", exchange="kraken", timestamp_exchange=T0, bid=Decimal(2),
             bid_size=Decimal(1), ask=Decimal(1), ask_size=Decimal(1), last_price=Decimal(1), last_size=Decimal(0),
             volume_24h=Decimal(1), vwap_24h=Decimal(1), high_24h=Decimal(1), low_24h=Decimal(1), trades_24h=0)
    assert [e.value for e in (EventType.MARKET_DATA_L2, EventType.EXECUTION_REPORT, EventType.FILL,
                              EventType.SYSTEM_STATE_CHANGE, EventType.MARKET_DATA_TICKER)] == [1, 9, 10, 12, 23]
