"""Bus frames → Gal-Friday2 events (galfriday.md §6), with nothing lost or told twice.

:class:`Translator` is pure and synchronous: feed it every frame in the order received, get
back the events that frame makes. It keeps what the mapping needs (books, open candles, ids
already told, each topic's sequence) and says what it cannot repair by itself through
:meth:`Translator.take_requests` (a book snapshot, a journal replay), which
:class:`krakenbridge.galfriday.adapter.BridgeAdapter` fulfils over the control socket.

What a strategy sees, besides the data events, is a ``SystemStateEvent`` whenever something it
relies on stops or starts being true (``new_state``; ``reason`` is ``"<topic> <text>"``, see
:func:`notice_topic`):

- ``BOOK_INVALID`` — that book must not be used: a reset by the bridge, a gap on the bus, an
  update that does not fit, a checksum that does not match, or no snapshot yet. No L2 event
  for it follows until ``BOOK_VALID``, which comes right before the L2 event of the snapshot
  that rebuilt it.
- ``EXECUTIONS_GAP`` / ``FILLS_GAP`` — private events were lost on the bus; the following ones
  are held back until the journal's replay has filled the hole, then ``…_RECOVERED``; what the
  journal no longer has is ``…_LOST`` (reconcile over REST).
- ``EXECUTIONS_RESYNC`` — the bridge lost Kraken messages and is reconciling; what it finds
  comes as ordinary executions, each once.
- ``MARKET_DATA_GAP`` — trades, tickers or candles were lost on the bus (not recoverable).
- ``EXCHANGE_<STATE>`` from ``status:``, ``BRIDGE_FEED_<STATE>`` from ``conn:<feed>:``.

Not translated (Gal-Friday has no event for them): ``top:``, ``spread:``, ``instrument:``,
``balance:`` and ``hb:``.
"""

from __future__ import annotations

import heapq
import logging
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Callable, Iterable, Optional, Union

from krakenbridge.book import Book, BookOutOfSync
from krakenbridge.decimals import LevelScaleError
from krakenbridge.galfriday.events import (
    AnyEvent, ExecutionReportEvent, FillEvent, MarketDataL2Event, MarketDataOHLCVEvent, MarketDataTickerEvent,
    MarketDataTradeEvent, SystemStateEvent)
from krakenbridge.v1 import account_pb2, common_pb2, market_pb2, service_pb2
from krakenbridge.wire import BusFrame

log = logging.getLogger(__name__)

SOURCE_MODULE = "KrakenBridge"
"""The ``source_module`` of every event the adapter makes."""

EXCHANGE = "kraken"

INTERVAL_LABELS = {1: "1m", 5: "5m", 15: "15m", 30: "30m", 60: "1h", 240: "4h", 1440: "1d", 10080: "1w", 21600: "15d"}
"""Kraken candle minutes → Gal-Friday's interval labels (DataIngestor.INTERVAL_MAP)."""

ORDER_STATUSES = {
    account_pb2.ORDER_STATUS_NEW: "NEW",
    account_pb2.ORDER_STATUS_PARTIALLY_FILLED: "PARTIALLY_FILLED",
    account_pb2.ORDER_STATUS_FILLED: "FILLED",
    account_pb2.ORDER_STATUS_CANCELED: "CANCELED",
    account_pb2.ORDER_STATUS_REJECTED: "REJECTED",
    account_pb2.ORDER_STATUS_EXPIRED: "EXPIRED",
}
"""Bus order status → Gal-Friday's. PENDING_NEW (the bridge never publishes it) has no report."""

FILL_STATUSES = frozenset({"PARTIALLY_FILLED", "FILLED"})

ORDER_TYPES = {
    common_pb2.ORDER_TYPE_LIMIT: "LIMIT",
    common_pb2.ORDER_TYPE_MARKET: "MARKET",
    common_pb2.ORDER_TYPE_STOP_LOSS: "STOP",
    common_pb2.ORDER_TYPE_TAKE_PROFIT: "STOP",
    common_pb2.ORDER_TYPE_TRAILING_STOP: "STOP",
    common_pb2.ORDER_TYPE_STOP_LOSS_LIMIT: "STOP_LIMIT",
    common_pb2.ORDER_TYPE_TAKE_PROFIT_LIMIT: "STOP_LIMIT",
    common_pb2.ORDER_TYPE_TRAILING_STOP_LIMIT: "STOP_LIMIT",
    common_pb2.ORDER_TYPE_ICEBERG: "LIMIT",
    common_pb2.ORDER_TYPE_SETTLE_POSITION: "MARKET",
}
"""Kraken order types → Gal-Friday's four. An iceberg is a limit order, settle-position closes
at market; an unknown type is LIMIT when the order has a limit price, else MARKET."""

JOURNALED = {"exec:": "EXECUTIONS", "fill:": "FILLS"}
"""Private topics the adapter reads, whose numbering continues across bridge restarts and which
the journal can replay; the value names them in notices."""

ClientOrderIdLookup = Callable[[str], Optional[str]]
"""exchange order id → client order id, for reports without one (e.g. ExecutionHandler's
``get_client_order_id``)."""

SignalIdLookup = Callable[[str, Optional[str]], Optional[uuid.UUID]]
"""(exchange order id, client order id) → the signal the order came from, or None."""


@dataclass(frozen=True)
class SnapshotNeeded:
    """Fetch ``topic``'s state from the control socket (Clone pattern) and translate it."""

    topic: str


@dataclass(frozen=True)
class ReplayNeeded:
    """Replay ``topic`` from the journal after ``after``, translate the frames, then call
    :meth:`Translator.end_replay`."""

    topic: str
    after: int


Request = Union[SnapshotNeeded, ReplayNeeded]


def notice_topic(event: SystemStateEvent) -> str:
    """The bus topic a notice of the adapter is about (the first word of its ``reason``)."""
    return event.reason.split(" ", 1)[0]


def utc(ns: int) -> datetime:
    """Unix nanoseconds as a tz-aware UTC datetime, truncated to microseconds (exact, no float)."""
    seconds, rest = divmod(ns, 1_000_000_000)
    return datetime.fromtimestamp(seconds, timezone.utc).replace(microsecond=rest // 1000)


def exact(value: common_pb2.Decimal) -> Decimal:
    """A bus decimal with Kraken's digits: mantissa 5000 at scale 5 is Decimal('0.05000')."""
    return Decimal(f"{value.mantissa}E{-value.scale}")


def text(value: Decimal) -> str:
    return format(value, "f")


def interval_label(minutes: int) -> str:
    return INTERVAL_LABELS.get(minutes, f"{minutes}m")


def _side(side: int) -> str:
    """An order's side as Gal-Friday writes it (upper case)."""
    return "BUY" if side == common_pb2.SIDE_BUY else "SELL" if side == common_pb2.SIDE_SELL else ""


def _span(first: int, last: int) -> str:
    return f"sequence {first}" if first == last else f"sequences {first}–{last}"


def _missed(expected: int, frame: BusFrame) -> str:
    """The sequences a frame shows were lost: up to the one before it (up to its own for a
    heartbeat, which repeats the topic's latest)."""
    return _span(expected, frame.header.sequence - (0 if frame.header.is_heartbeat else 1))


def _now() -> datetime:
    return datetime.now(timezone.utc)


class _Seen:
    """A bounded set of ids: the oldest are forgotten past ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._order: deque[str] = deque()
        self._keys: set[str] = set()

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    def add(self, key: str) -> None:
        if key in self._keys:
            return
        self._keys.add(key)
        self._order.append(key)
        if len(self._order) > self.limit:
            self._keys.discard(self._order.popleft())


@dataclass
class _Position:
    epoch: int
    sequence: int


@dataclass
class _Recovery:
    """A journaled topic while a replay fills a hole: live frames wait in ``held``."""

    after: int
    held: list[BusFrame] = field(default_factory=list)
    replayed: int = 0


class Translator:
    """Turns bus frames into Gal-Friday events. Feed every frame you receive, in order, to
    :meth:`translate`; after each call, fulfil :meth:`take_requests` (or let
    :class:`~krakenbridge.galfriday.adapter.BridgeAdapter` do it).

    - ``book_levels``: levels per side in L2 events (0: the whole book).
    - ``ohlc_intervals``: candle intervals (minutes) to emit; Gal-Friday's FeatureEngine keeps
      one bar history per pair whatever the interval, so the default is its model's 1 minute.
      ``None`` emits every interval received.
    - ``bar_close_grace_s``: a candle is emitted once, when it is closed: when the next interval's
      candle arrives, or when a frame published this long after the interval's end arrives.
    - ``include_trade_backlog``: the trades Kraken replays on subscribing (``from_snapshot``)
      are history from before this translator started and are dropped unless this is true;
      after a reconnect, backlog trades newer than the last one told are emitted.
    - ``verify_checksums``: check each book state against the checksum the bridge verified.
    - ``client_order_ids`` / ``signal_ids``: correlate reports with Gal-Friday's orders.
    - ``clock`` / ``new_id``: the events' ``timestamp`` and ``event_id`` (UTC now, uuid4).
    """

    def __init__(self, *, source_module: str = SOURCE_MODULE, exchange: str = EXCHANGE, book_levels: int = 10,
                 ohlc_intervals: Optional[Iterable[int]] = (1,), bar_close_grace_s: float = 2.0,
                 include_trade_backlog: bool = False, verify_checksums: bool = True,
                 client_order_ids: Optional[ClientOrderIdLookup] = None, signal_ids: Optional[SignalIdLookup] = None,
                 clock: Callable[[], datetime] = _now, new_id: Callable[[], uuid.UUID] = uuid.uuid4,
                 remember_ids: int = 200_000) -> None:
        self.source_module = source_module
        self.exchange = exchange
        self.book_levels = book_levels
        self.ohlc_intervals = None if ohlc_intervals is None else frozenset(ohlc_intervals)
        self.bar_close_grace_ns = int(bar_close_grace_s * 1_000_000_000)
        self.include_trade_backlog = include_trade_backlog
        self.verify_checksums = verify_checksums
        self.client_order_ids = client_order_ids
        self.signal_ids = signal_ids
        self.clock = clock
        self.new_id = new_id
        self.skipped: Counter[str] = Counter()
        """What was deliberately not emitted, by reason (duplicates, history, invalid input)."""
        self._positions: dict[str, _Position] = {}
        self._books: dict[str, Book] = {}
        self._invalid: dict[str, int] = {}  # book topic → earliest time (ns) for the next snapshot request
        self._requests: list[Request] = []
        self._recoveries: dict[str, _Recovery] = {}
        self._executions = _Seen(remember_ids)
        self._fills = _Seen(remember_ids)
        self._last_trade: dict[str, int] = {}
        self._live_trades: set[str] = set()
        self._last_trade_size: dict[str, Decimal] = {}
        self._open_bars: dict[str, market_pb2.Ohlc] = {}
        self._closed_bars: dict[str, int] = {}  # topic → interval_begin_ns of the last bar emitted

    # -- public ---------------------------------------------------------------------------------

    def translate(self, frame: BusFrame) -> list[AnyEvent]:
        """The events ``frame`` makes, in the order they should be published."""
        events: list[AnyEvent] = []
        if frame.header.publish_ts_ns:
            self._close_due_bars(frame.header.publish_ts_ns, events)
        family = frame.topic.split(":", 1)[0]
        if frame.topic in JOURNALED:
            self._journaled(frame, events)
        elif family == "book":
            self._book(frame, events)
        elif family in ("trade", "ticker", "ohlc"):
            self._market(frame, events)
        elif family == "status" and isinstance(frame.payload, service_pb2.ExchangeStatus):
            events.append(self._exchange_status(frame.topic, frame.payload))
        elif family == "conn" and isinstance(frame.payload, service_pb2.ConnectionStatus):
            events.append(self._connection_status(frame.topic, frame.payload))
        return events

    def take_requests(self) -> list[Request]:
        """What the translator needs fetched (and translated) to repair what it lost."""
        requests, self._requests = self._requests, []
        return requests

    def recovering(self, topic: str) -> Optional[int]:
        """While ``topic``'s live frames are held back waiting for a replay: the sequence the
        replay must start after; else None."""
        recovery = self._recoveries.get(topic)
        return None if recovery is None else recovery.after

    def end_replay(self, topic: str, problem: Optional[str] = None) -> list[AnyEvent]:
        """Call after the replay of a :class:`ReplayNeeded` was translated (or could not be had,
        ``problem`` saying why). If the hole is still not filled, the missing events are
        reported lost and the held frames are released."""
        recovery = self._recoveries.get(topic)
        if recovery is None:
            return []
        first = recovery.held[0].header
        position = self._positions[topic]
        missing = _span(position.sequence + 1, first.sequence - (0 if first.is_heartbeat else 1))
        events: list[AnyEvent] = [self._notice(
            f"{JOURNALED[topic]}_LOST", topic,
            f"{missing}: could not be replayed ({problem or 'not in the journal'}); those events are lost, "
            "reconcile the account over REST")]
        position.sequence = first.sequence if first.is_heartbeat else first.sequence - 1
        self._release(topic, events, announce=False)
        return events

    def resume(self, topic: str, after_sequence: int) -> None:
        """Start ``topic`` (a journaled topic) after ``after_sequence``, e.g. the last one a
        previous run of the strategy handled: the first frame received then shows what was
        missed since, which is replayed."""
        self._positions[topic] = _Position(0, after_sequence)

    @property
    def invalid_books(self) -> frozenset[str]:
        """Book topics that must not be used until their next snapshot."""
        return frozenset(self._invalid)

    # -- sequences ------------------------------------------------------------------------------

    def _check(self, frame: BusFrame) -> tuple[str, int]:
        """``(verdict, expected sequence)``: ``first``, ``next``, ``gap``, ``stale`` (a duplicate
        or older than what is held) or ``restart`` (a new run of the bridge). Journaled topics
        number across runs, so only their sequence counts."""
        header = frame.header
        position = self._positions.get(frame.topic)
        if position is None:
            return "first", header.sequence
        journaled = frame.topic in JOURNALED
        if journaled:
            if header.publisher_epoch > position.epoch and not header.is_replay and header.sequence <= position.sequence:
                return "restart", header.sequence  # a bridge with a new journal: numbering began again
        elif header.publisher_epoch < position.epoch:
            return "stale", 0
        elif header.publisher_epoch > position.epoch:
            # A new run numbers from 1; starting later than that, its first messages were missed.
            if header.sequence > (0 if header.is_heartbeat else 1):
                return "gap", 1
            return "restart", header.sequence
        expected = position.sequence if header.is_heartbeat else position.sequence + 1
        if header.sequence < expected:
            return "stale", expected
        return ("gap" if header.sequence > expected else "next"), expected

    def _advance(self, frame: BusFrame) -> None:
        header = frame.header
        position = self._positions.setdefault(frame.topic, _Position(header.publisher_epoch, header.sequence))
        position.epoch = max(position.epoch, header.publisher_epoch)
        position.sequence = header.sequence

    # -- books ----------------------------------------------------------------------------------

    def _book(self, frame: BusFrame, events: list[AnyEvent]) -> None:
        topic, header, payload = frame.topic, frame.header, frame.payload
        verdict, expected = self._check(frame)
        if isinstance(payload, market_pb2.BookSnapshot):
            # A snapshot replaces the book whole, so what was lost before it does not matter;
            # one older than the updates already seen would miss them. (A snapshot from the
            # control socket carries the sequence of the last update it reflects, which may be
            # the one just seen.)
            position = self._positions.get(topic)
            if verdict == "stale" and not (position is not None and position.epoch == header.publisher_epoch
                                           and header.sequence == position.sequence and topic not in self._books):
                self.skipped["stale_book_snapshot"] += 1
                return
            self._advance(frame)
            self._snapshot(frame, payload, events)
            return
        if verdict == "stale":
            return
        self._advance(frame)
        if isinstance(payload, service_pb2.BookReset):
            reason = service_pb2.BookResetReason.Name(payload.reason).removeprefix("BOOK_RESET_REASON_").lower() \
                if payload.reason in service_pb2.BookResetReason.values() else str(payload.reason)
            detail = f": {payload.detail}" if payload.detail else ""
            self._invalidate(frame, f"reset by the bridge ({reason}{detail}), generation {payload.previous_generation} "
                                    f"→ {payload.generation}; no L2 events until its next snapshot", events, fetch=False)
        elif verdict == "gap":
            self._invalidate(frame, f"{_missed(expected, frame)} missed on the bus; no L2 events until a snapshot", events)
        elif verdict == "restart":
            self._invalidate(frame, "the bridge restarted; no L2 events until its new snapshot", events)
        elif isinstance(payload, market_pb2.BookUpdate):
            self._update(frame, payload, events)
        elif header.is_heartbeat and topic not in self._books and topic not in self._invalid:
            self._invalidate(frame, "joined late: no snapshot of it yet; no L2 events until a snapshot", events)

    def _snapshot(self, frame: BusFrame, snapshot: market_pb2.BookSnapshot, events: list[AnyEvent]) -> None:
        try:
            book = Book.from_snapshot(snapshot)
        except LevelScaleError as error:
            self._invalidate(frame, f"malformed snapshot ({error})", events)
            return
        if self.verify_checksums and book.checksum != snapshot.checksum:
            self._invalidate(frame, f"snapshot checksum {book.checksum} is not the bridge's {snapshot.checksum}", events)
            return
        self._books[frame.topic] = book
        if self._invalid.pop(frame.topic, None) is not None:
            events.append(self._notice("BOOK_VALID", frame.topic, f"rebuilt from a snapshot (generation {book.generation}); "
                                                                  "L2 events follow"))
        events.append(self._l2(book, frame, is_snapshot=True))

    def _update(self, frame: BusFrame, update: market_pb2.BookUpdate, events: list[AnyEvent]) -> None:
        book = self._books.get(frame.topic)
        if book is None:
            why = "still being rebuilt" if frame.topic in self._invalid else "joined late: no snapshot of it yet"
            self._invalidate(frame, f"{why}; no L2 events until a snapshot", events)
            return
        try:
            book.apply(update)
        except (BookOutOfSync, LevelScaleError) as error:
            self._invalidate(frame, f"an update does not fit the book ({error}); no L2 events until a snapshot", events)
            return
        if self.verify_checksums and book.checksum != update.checksum:
            self._invalidate(frame, f"checksum {book.checksum} after an update is not the bridge's {update.checksum}; "
                                    "no L2 events until a snapshot", events)
            return
        events.append(self._l2(book, frame, is_snapshot=False))

    def _invalidate(self, frame: BusFrame, why: str, events: list[AnyEvent], fetch: bool = True) -> None:
        """Drops the book (once announced) and asks for a snapshot, at most once a second."""
        topic = frame.topic
        self._books.pop(topic, None)
        if topic not in self._invalid:
            self._invalid[topic] = 0
            events.append(self._notice("BOOK_INVALID", topic, why))
        now = frame.header.publish_ts_ns
        if fetch and now >= self._invalid[topic]:
            self._invalid[topic] = now + 1_000_000_000
            self._requests.append(SnapshotNeeded(topic))

    def _l2(self, book: Book, frame: BusFrame, is_snapshot: bool) -> MarketDataL2Event:
        levels = self.book_levels or max(len(book.bids), len(book.asks), 1)
        bids = heapq.nlargest(levels, book.bids.items())
        asks = heapq.nsmallest(levels, book.asks.items())
        stamp = frame.header.exchange_ts_ns or frame.header.receive_ts_ns
        return MarketDataL2Event(
            source_module=self.source_module, event_id=self.new_id(), timestamp=self.clock(),
            trading_pair=book.symbol, exchange=self.exchange,
            bids=[(text(price), text(quantity)) for price, quantity in bids],
            asks=[(text(price), text(quantity)) for price, quantity in asks],
            is_snapshot=is_snapshot, timestamp_exchange=utc(stamp) if stamp else None)

    # -- trades, tickers, candles ---------------------------------------------------------------

    def _market(self, frame: BusFrame, events: list[AnyEvent]) -> None:
        verdict, expected = self._check(frame)
        if verdict == "stale":
            return
        self._advance(frame)
        if verdict == "gap":
            events.append(self._notice("MARKET_DATA_GAP", frame.topic,
                                       f"{_missed(expected, frame)} missed on the bus: those messages are lost"))
        payload = frame.payload
        if isinstance(payload, market_pb2.Trade):
            self._trade(frame, payload, events)
        elif isinstance(payload, market_pb2.Ticker):
            self._ticker(frame, payload, events)
        elif isinstance(payload, market_pb2.Ohlc):
            self._candle(frame.topic, payload, events)

    def _trade(self, frame: BusFrame, trade: market_pb2.Trade, events: list[AnyEvent]) -> None:
        quantity = exact(trade.qty)
        self._last_trade_size[trade.symbol] = quantity
        if trade.trade_id:  # v1 trades have no id (0): nothing to deduplicate by
            last = self._last_trade.get(trade.symbol)
            if last is not None and trade.trade_id <= last:
                self.skipped["duplicate_trade"] += 1
                return
            self._last_trade[trade.symbol] = trade.trade_id
        # Kraken's backlog on subscribing, and a topic's state from the control socket (flag
        # SNAPSHOT: its last trade), are history until a live trade has been told.
        backlog = trade.from_snapshot or frame.header.is_snapshot
        if backlog and trade.symbol not in self._live_trades and not self.include_trade_backlog:
            self.skipped["trade_backlog"] += 1
            return
        self._live_trades.add(trade.symbol)
        stamp = trade.timestamp_ns or frame.header.exchange_ts_ns or frame.header.receive_ts_ns
        side = {common_pb2.SIDE_BUY: "buy", common_pb2.SIDE_SELL: "sell"}.get(trade.side, "")
        try:
            events.append(MarketDataTradeEvent(
                source_module=self.source_module, event_id=self.new_id(), timestamp=self.clock(),
                trading_pair=trade.symbol, exchange=self.exchange, timestamp_exchange=utc(stamp),
                price=exact(trade.price), volume=quantity, side=side,
                trade_id=str(trade.trade_id) if trade.trade_id else None))
        except ValueError as error:
            self.skipped["invalid_trade"] += 1
            log.warning("%s: trade %s not emitted: %s", frame.topic, trade.trade_id, error)

    def _ticker(self, frame: BusFrame, ticker: market_pb2.Ticker, events: list[AnyEvent]) -> None:
        stamp = ticker.timestamp_ns or frame.header.exchange_ts_ns or frame.header.receive_ts_ns
        try:
            events.append(MarketDataTickerEvent(
                source_module=self.source_module, event_id=self.new_id(), timestamp=self.clock(),
                trading_pair=ticker.symbol, exchange=self.exchange, timestamp_exchange=utc(stamp),
                bid=exact(ticker.bid), bid_size=exact(ticker.bid_qty), ask=exact(ticker.ask),
                ask_size=exact(ticker.ask_qty), last_price=exact(ticker.last),
                last_size=self._last_trade_size.get(ticker.symbol, Decimal(0)), volume_24h=exact(ticker.volume),
                vwap_24h=exact(ticker.vwap), high_24h=exact(ticker.high), low_24h=exact(ticker.low),
                trades_24h=ticker.trades_24h))
        except ValueError as error:  # Gal-Friday refuses a crossed or empty ticker
            self.skipped["invalid_ticker"] += 1
            log.warning("%s: ticker not emitted: %s", frame.topic, error)

    def _candle(self, topic: str, candle: market_pb2.Ohlc, events: list[AnyEvent]) -> None:
        if self.ohlc_intervals is not None and candle.interval_minutes not in self.ohlc_intervals:
            return
        if candle.interval_begin_ns <= self._closed_bars.get(topic, -1):
            self.skipped["closed_bar_update"] += 1
            return
        open_bar = self._open_bars.get(topic)
        if open_bar is not None and candle.interval_begin_ns > open_bar.interval_begin_ns:
            self._emit_bar(topic, open_bar, events)
        if candle.closed:
            self._emit_bar(topic, candle, events)
        else:
            self._open_bars[topic] = candle

    def _close_due_bars(self, now_ns: int, events: list[AnyEvent]) -> None:
        for topic, bar in list(self._open_bars.items()):
            if bar.interval_begin_ns + bar.interval_minutes * 60_000_000_000 + self.bar_close_grace_ns <= now_ns:
                self._emit_bar(topic, bar, events)

    def _emit_bar(self, topic: str, bar: market_pb2.Ohlc, events: list[AnyEvent]) -> None:
        self._open_bars.pop(topic, None)
        self._closed_bars[topic] = bar.interval_begin_ns
        events.append(MarketDataOHLCVEvent(
            source_module=self.source_module, event_id=self.new_id(), timestamp=self.clock(),
            trading_pair=bar.symbol, exchange=self.exchange, interval=interval_label(bar.interval_minutes),
            timestamp_bar_start=utc(bar.interval_begin_ns), open=text(exact(bar.open)), high=text(exact(bar.high)),
            low=text(exact(bar.low)), close=text(exact(bar.close)), volume=text(exact(bar.volume))))

    # -- executions and fills -------------------------------------------------------------------

    def _journaled(self, frame: BusFrame, events: list[AnyEvent]) -> None:
        topic, header = frame.topic, frame.header
        recovery = self._recoveries.get(topic)
        if recovery is not None and not header.is_replay:
            recovery.held.append(frame)
            return
        verdict, expected = self._check(frame)
        if verdict == "stale":
            self.skipped["duplicate_sequence"] += 1
            return
        if verdict == "gap" and not header.is_replay:
            self._recoveries[topic] = _Recovery(after=expected - 1, held=[frame])
            events.append(self._notice(
                f"{JOURNALED[topic]}_GAP", topic,
                f"{_missed(expected, frame)} missed on the bus; later "
                "events are held back until the bridge's journal has replayed them"))
            self._requests.append(ReplayNeeded(topic, expected - 1))
            return
        if verdict == "gap":  # the replay itself skips: the journal no longer holds those
            events.append(self._notice(
                f"{JOURNALED[topic]}_LOST", topic,
                f"{_missed(expected, frame)}: no longer in the bridge's journal; those events are lost, "
                "reconcile the account over REST"))
        self._advance(frame)
        payload = frame.payload
        if isinstance(payload, account_pb2.ExecutionReport):
            emitted = self._execution(frame, payload, events)
        elif isinstance(payload, account_pb2.Fill):
            emitted = self._fill(payload, events)
        else:
            emitted = False
            if isinstance(payload, service_pb2.Gap):
                events.append(self._upstream_gap(topic, payload))
        if recovery is not None:
            recovery.replayed += emitted
            if self._check(recovery.held[0])[0] != "gap":
                self._release(topic, events, announce=True)

    def _release(self, topic: str, events: list[AnyEvent], announce: bool) -> None:
        """Ends a recovery: the held live frames are translated (those the replay already
        covered are duplicates by their sequence)."""
        recovery = self._recoveries.pop(topic)
        if announce:
            events.append(self._notice(
                f"{JOURNALED[topic]}_RECOVERED", topic,
                f"the journal replayed what was missed (events not told before: {recovery.replayed}); the bus continues"))
        for frame in recovery.held:
            self._journaled(frame, events)

    def _execution(self, frame: BusFrame, report: account_pb2.ExecutionReport, events: list[AnyEvent]) -> bool:
        status = ORDER_STATUSES.get(report.order_status)
        if status is None:
            self.skipped["status_without_report"] += 1
            return False
        if report.exec_id in self._executions:
            self.skipped["duplicate_execution"] += 1
            return False
        quantity = exact(report.quantity_filled)
        if status in FILL_STATUSES and quantity <= 0:  # the portfolio refuses a fill of nothing
            self.skipped["fill_without_quantity"] += 1
            log.warning("exec: %s %s of order %s has no quantity; not emitted", status, report.exec_id, report.order_id)
            return False
        self._executions.add(report.exec_id)
        client_order_id = report.client_order_id or None
        if client_order_id is None and self.client_order_ids is not None:
            client_order_id = self.client_order_ids(report.order_id)
        signal_id = self.signal_ids(report.order_id, client_order_id) if self.signal_ids is not None else None
        limit_price = exact(report.limit_price) if report.HasField("limit_price") else None
        order_type = ORDER_TYPES.get(report.order_type, "LIMIT" if limit_price is not None else "MARKET")
        stamp = report.timestamp_ns or frame.header.exchange_ts_ns
        commission = exact(report.commission) if report.HasField("commission") else None
        price = exact(report.average_fill_price) if report.HasField("average_fill_price") else None
        side = _side(report.side)
        events.append(ExecutionReportEvent(
            source_module=self.source_module, event_id=self.new_id(), timestamp=self.clock(),
            exchange_order_id=report.order_id, trading_pair=report.symbol, exchange=self.exchange,
            order_status=status, order_type=order_type, side=side, quantity_ordered=exact(report.quantity_ordered),
            signal_id=signal_id, client_order_id=client_order_id, quantity_filled=quantity,
            average_fill_price=price, limit_price=limit_price,
            stop_price=exact(report.stop_price) if report.HasField("stop_price") else None,
            commission=commission, commission_asset=report.commission_asset or None,
            timestamp_exchange=utc(stamp) if stamp else None, error_message=report.error_message or None))
        if status in FILL_STATUSES and price is not None and report.exec_id not in self._fills:
            # The bridge's Fill for this execution carries the same id (fill_id == exec_id).
            self._fills.add(report.exec_id)
            events.append(FillEvent(
                source_module=self.source_module, event_id=self.new_id(), timestamp=self.clock(),
                order_id=report.order_id, fill_id=report.exec_id, trading_pair=report.symbol, side=side,
                price=price, quantity=quantity, fee=commission if commission is not None else Decimal(0)))
        return True

    def _fill(self, fill: account_pb2.Fill, events: list[AnyEvent]) -> bool:
        if fill.fill_id in self._fills:
            self.skipped["duplicate_fill"] += 1
            return False
        self._fills.add(fill.fill_id)
        events.append(FillEvent(
            source_module=self.source_module, event_id=self.new_id(), timestamp=self.clock(),
            order_id=fill.order_id, fill_id=fill.fill_id, trading_pair=fill.symbol, side=_side(fill.side),
            price=exact(fill.price), quantity=exact(fill.quantity), fee=exact(fill.fee)))
        return True

    # -- service --------------------------------------------------------------------------------

    def _upstream_gap(self, topic: str, gap: service_pb2.Gap) -> SystemStateEvent:
        kind = service_pb2.GapKind.Name(gap.kind).removeprefix("GAP_KIND_").lower().replace("_", " ") \
            if gap.kind in service_pb2.GapKind.values() else str(gap.kind)
        detail = f" ({gap.detail})" if gap.detail else ""
        return self._notice(
            f"{JOURNALED[topic]}_RESYNC", topic,
            f"Kraken's {gap.stream or 'private'} stream: {kind}, expected {gap.expected}, received {gap.received}"
            f"{detail}; the bridge resubscribes and reconciles, and what it finds follows as ordinary events, each once")

    def _exchange_status(self, topic: str, status: service_pb2.ExchangeStatus) -> SystemStateEvent:
        known = status.system != service_pb2.EXCHANGE_SYSTEM_STATE_UNSPECIFIED \
            and status.system in service_pb2.ExchangeSystemState.values()
        name = service_pb2.ExchangeSystemState.Name(status.system).removeprefix("EXCHANGE_SYSTEM_STATE_") if known \
            else (status.raw_system or "unknown").upper()
        feed = f" (feed {status.feed})" if status.feed else ""
        return self._notice(f"EXCHANGE_{name}", topic, f"Kraken's trading system is {status.raw_system or name.lower()}{feed}")

    def _connection_status(self, topic: str, status: service_pb2.ConnectionStatus) -> SystemStateEvent:
        def name(state: int) -> str:
            if state in service_pb2.ConnectionState.values():
                return service_pb2.ConnectionState.Name(state).removeprefix("CONNECTION_STATE_")
            return str(state)

        words = [f"feed {status.feed or '?'} to {status.endpoint or '?'}: {name(status.previous_state).lower()} → "
                 f"{name(status.state).lower()}"]
        if status.attempt:
            words.append(f"attempt {status.attempt}")
        if status.detail:
            words.append(status.detail)
        return self._notice(f"BRIDGE_FEED_{name(status.state)}", topic, ", ".join(words))

    def _notice(self, state: str, topic: str, why: str) -> SystemStateEvent:
        return SystemStateEvent(source_module=self.source_module, event_id=self.new_id(), timestamp=self.clock(),
                                new_state=state, reason=f"{topic} {why}")
