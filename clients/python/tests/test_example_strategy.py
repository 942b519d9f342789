"""The example strategy (clients/python/examples/strategy.py, the compose stack's `strategy`
service) recovers from loss: a gap on the executions topic is filled from the journal, a gap on a
book topic or a book whose checksum does not match is rebuilt from a snapshot. A ZeroMQ XPUB in
the test stands for the bridge's endpoints (it sees the strategy's subscriptions before anything
is published) and a stand-in control client answers snapshots and replays; the strategy's lines
are compared exactly."""

from __future__ import annotations

import importlib.util
import io
import time
from pathlib import Path

import pytest
import zmq

from krakenbridge.book import Book
from krakenbridge.control import Replay, Snapshot
from krakenbridge.subscriber import Subscriber
from krakenbridge.v1 import account_pb2, common_pb2, control_pb2, frame_pb2, market_pb2, service_pb2
from krakenbridge.wire import FLAG_REPLAY, FLAG_SNAPSHOT, FrameHeader, decode_frames

STRATEGY = Path(__file__).resolve().parents[1] / "examples" / "strategy.py"
EPOCH = 1_765_000_000_000_000_000
BOOK = "book:BTC/USD:10:"


def load_strategy():
    spec = importlib.util.spec_from_file_location("example_strategy", STRATEGY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


strategy_module = load_strategy()


def message(topic: str, kind: int, payload, sequence: int, flags: int = 0) -> list[bytes]:
    raw = payload.SerializeToString()
    return [topic.encode(), FrameHeader(kind, flags, len(raw), EPOCH, sequence, 0, 0, 0, 1).pack(), raw]


def decimal(mantissa: int, scale: int) -> common_pb2.Decimal:
    return common_pb2.Decimal(mantissa=mantissa, scale=scale)


def execution(sequence: int, order: str, status: int, filled: int = 0, flags: int = 0) -> list[bytes]:
    report = account_pb2.ExecutionReport(exec_id=f"E-{sequence}", order_id=order, symbol="BTC/USD", order_status=status,
                                         side=common_pb2.SIDE_BUY, quantity_filled=decimal(filled, 2),
                                         average_fill_price=decimal(270001, 1))
    return message("exec:", frame_pb2.MESSAGE_TYPE_EXECUTION_REPORT, report, sequence, flags)


def book_snapshot(bid: int, bid_qty: int, ask: int, ask_qty: int) -> market_pb2.BookSnapshot:
    """BTC/USD at depth 10, one level a side, prices at scale 1 and quantities at scale 2, with
    Kraken's checksum of that state."""
    snapshot = market_pb2.BookSnapshot(symbol="BTC/USD", depth=10, generation=1, price_scale=1, qty_scale=2,
                                       bid_price=[bid], bid_qty=[bid_qty], ask_price=[ask], ask_qty=[ask_qty])
    snapshot.checksum = Book.from_snapshot(snapshot).checksum
    return snapshot


def book_update(state: market_pb2.BookSnapshot, bid: int, bid_qty: int, checksum_offset: int = 0) -> market_pb2.BookUpdate:
    """A change of one bid level of `state`, with the checksum of the result (plus an offset)."""
    update = market_pb2.BookUpdate(symbol="BTC/USD", depth=10, generation=1, price_scale=1, qty_scale=2,
                                   bid_price=[bid], bid_qty=[bid_qty])
    book = Book.from_snapshot(state)
    book.apply(update)
    update.checksum = book.checksum + checksum_offset
    return update


class Control:
    """Answers the strategy's snapshot and replay requests as the bridge's control socket would."""

    endpoint = "tcp://bridge:5557"

    def __init__(self) -> None:
        self.books: list[tuple[int, market_pb2.BookSnapshot]] = []
        self.journal: list[list[bytes]] = []
        self.replays: list[tuple[str, int, int]] = []

    def snapshot(self, prefix: str) -> Snapshot:
        frames = [decode_frames(message(BOOK, frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT, state, sequence, FLAG_SNAPSHOT))
                  for sequence, state in self.books]
        return Snapshot(control_pb2.SnapshotBegin(topic_prefix=prefix, topic_count=len(frames)), frames,
                        service_pb2.SnapshotEnd(prefix=prefix, topic_count=len(frames)), None)

    def replay(self, topic: str, after: int = 0, max_events: int = 1000) -> Replay:
        self.replays.append((topic, after, max_events))
        frames = [decode_frames(frame) for frame in self.journal]
        frames = [frame for frame in frames if frame.header.sequence > after][:max_events]
        return Replay(control_pb2.ReplayBegin(topic=topic, event_count=len(frames)), frames)


class Bridge:
    """XPUB sockets for the market and account endpoints, a Control, and the strategy on them."""

    def __init__(self) -> None:
        context = zmq.Context.instance()
        self.market, self.account = context.socket(zmq.XPUB), context.socket(zmq.XPUB)
        market_port = self.market.bind_to_random_port("tcp://127.0.0.1")
        account_port = self.account.bind_to_random_port("tcp://127.0.0.1")
        self.control = Control()
        self.out = io.StringIO()
        self.subscribers = [Subscriber(f"tcp://127.0.0.1:{market_port}", [b"book:", b"trade:"]),
                            Subscriber(f"tcp://127.0.0.1:{account_port}", [b"exec:"])]
        self.strategy = strategy_module.Strategy(*self.subscribers, self.control, self.out, book_interval=0)
        for socket, expected in ((self.market, {b"\x01book:", b"\x01trade:"}), (self.account, {b"\x01exec:"})):
            seen = set()
            while seen != expected:
                assert socket.poll(5000), f"subscriptions {expected - seen} never arrived"
                seen.add(socket.recv())

    def lines(self) -> list[str]:
        return self.out.getvalue().splitlines()

    def until(self, count: int, seconds: float = 10) -> list[str]:
        """Lets the strategy handle what arrives until it has printed `count` lines."""
        poller = zmq.Poller()
        for subscriber in self.subscribers:
            poller.register(subscriber.socket, zmq.POLLIN)
        deadline = time.monotonic() + seconds
        while len(self.lines()) < count and time.monotonic() < deadline:
            ready = dict(poller.poll(100))
            if self.subscribers[0].socket in ready:
                self.strategy.on_market()
            if self.subscribers[1].socket in ready:
                self.strategy.on_account()
        return self.lines()

    def close(self) -> None:
        for subscriber in self.subscribers:
            subscriber.close()
        self.market.close(0)
        self.account.close(0)


@pytest.fixture
def bridge():
    bridge = Bridge()
    yield bridge
    bridge.close()


def test_a_gap_on_the_executions_topic_is_filled_from_the_journal(bridge):
    bridge.control.journal = [execution(2, "O-2", account_pb2.ORDER_STATUS_NEW, flags=FLAG_REPLAY),
                              execution(3, "O-2", account_pb2.ORDER_STATUS_FILLED, filled=50, flags=FLAG_REPLAY),
                              execution(4, "O-4", account_pb2.ORDER_STATUS_NEW, flags=FLAG_REPLAY)]
    bridge.strategy.resynchronise(None)
    bridge.account.send_multipart(execution(1, "O-1", account_pb2.ORDER_STATUS_NEW))
    bridge.account.send_multipart(execution(4, "O-4", account_pb2.ORDER_STATUS_NEW))

    assert bridge.until(6) == [
        "snapshot book: 0 books",
        "exec BTC/USD buy new order O-1",
        "gap exec: expected 2 received 4: 2 executions replayed from the journal",
        "exec BTC/USD buy new order O-2 (replayed)",
        "exec BTC/USD buy filled order O-2 filled 0.50 @ 27000.1 (replayed)",
        "exec BTC/USD buy new order O-4",
    ]
    assert bridge.control.replays == [("exec:", 1, 1000)]


def test_a_gap_on_a_book_topic_rebuilds_the_books_from_a_snapshot(bridge):
    state = book_snapshot(270000, 150, 270005, 200)
    bridge.control.books = [(5, state)]
    bridge.strategy.resynchronise(None)
    bridge.market.send_multipart(message(BOOK, frame_pb2.MESSAGE_TYPE_BOOK_UPDATE, book_update(state, 270000, 100), 6))
    assert bridge.until(3) == ["snapshot book: 1 books",
                               "book BTC/USD bid 27000.0 x 1.50 ask 27000.5 x 2.00",
                               "book BTC/USD bid 27000.0 x 1.00 ask 27000.5 x 2.00"]

    later = book_snapshot(270002, 300, 270005, 200)
    bridge.control.books = [(9, later)]
    bridge.market.send_multipart(message(BOOK, frame_pb2.MESSAGE_TYPE_BOOK_UPDATE, book_update(state, 270002, 300), 9))
    bridge.market.send_multipart(message(BOOK, frame_pb2.MESSAGE_TYPE_BOOK_UPDATE, book_update(later, 270002, 250), 10))
    assert bridge.until(6)[3:] == ["gap book:BTC/USD:10: expected 7 received 9: books rebuilt from a snapshot of 1",
                                   "book BTC/USD bid 27000.2 x 3.00 ask 27000.5 x 2.00",
                                   "book BTC/USD bid 27000.2 x 2.50 ask 27000.5 x 2.00"]
    assert [(gap.topic, gap.expected, gap.received) for gap in bridge.subscribers[0].gaps] == [(BOOK, 7, 9)]


def test_a_book_whose_checksum_does_not_match_is_rebuilt_from_a_snapshot(bridge):
    state = book_snapshot(270000, 150, 270005, 200)
    bridge.control.books = [(5, state)]
    bridge.strategy.resynchronise(None)
    wrong = book_update(state, 270000, 100, checksum_offset=1)
    bridge.control.books = [(6, book_snapshot(270000, 100, 270005, 200))]
    bridge.market.send_multipart(message(BOOK, frame_pb2.MESSAGE_TYPE_BOOK_UPDATE, wrong, 6))

    assert bridge.until(4) == [
        "snapshot book: 1 books",
        "book BTC/USD bid 27000.0 x 1.50 ask 27000.5 x 2.00",
        f"checksum mismatch on {BOOK} ({wrong.checksum - 1} computed, {wrong.checksum} sent): books rebuilt from a snapshot of 1",
        "book BTC/USD bid 27000.0 x 1.00 ask 27000.5 x 2.00",
    ]


def test_trades_print_side_quantity_and_price_with_krakens_digits(bridge):
    trade = market_pb2.Trade(symbol="ETH/USD", trade_id=7, price=decimal(345000, 2), qty=decimal(12500000, 8),
                             side=common_pb2.SIDE_SELL)
    bridge.strategy.resynchronise(None)
    bridge.market.send_multipart(message("trade:ETH/USD:", frame_pb2.MESSAGE_TYPE_TRADE, trade, 1))
    assert bridge.until(2) == ["snapshot book: 0 books", "trade ETH/USD sell 0.12500000 @ 3450.00"]
