"""An example strategy process on KrakenBridge's bus, built on the Python client.

It keeps every book exact (each message's Kraken checksum is checked), prints each book about
once a second, every trade and every execution of the account, and recovers from loss:

- a gap on a book topic, or a book whose checksum does not match, is repaired from a snapshot
  of the control socket (the Clone pattern, ``krakenbridge.clone.LateJoiner``);
- a gap on the executions topic is filled from the bridge's journal (``ControlClient.replay``).

::

    python strategy.py --market tcp://127.0.0.1:5555 --account tcp://127.0.0.1:5556 \\
        --control tcp://127.0.0.1:5557 [--server-key bridge.key --secret-key-file me.key_secret]

Every flag can come from the environment instead (``STRATEGY_MARKET``, ``STRATEGY_ACCOUNT``,
``STRATEGY_CONTROL``, ``STRATEGY_SERVER_KEY``, ``STRATEGY_SECRET_KEY_FILE``,
``STRATEGY_BOOK_INTERVAL``). docker-compose.yml runs it as the ``strategy`` service (README,
"Run with Docker"). SIGTERM or Ctrl-C stops it.

One line per event on standard output::

    snapshot book: 4 books
    book BTC/USD bid 27012.3 x 0.51 ask 27012.4 x 1.20
    trade BTC/USD buy 0.0123 @ 27012.3
    exec BTC/USD buy filled order O-17 filled 0.01 @ 27012.4
    gap exec: expected 41 received 44: 3 executions replayed from the journal
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Optional, TextIO

import zmq

from krakenbridge import decimals
from krakenbridge.book import Book, BookOutOfSync, Books
from krakenbridge.clone import LateJoiner
from krakenbridge.control import ControlClient, ControlTimeout, load_key
from krakenbridge.subscriber import Subscriber
from krakenbridge.v1 import account_pb2, common_pb2, frame_pb2
from krakenbridge.wire import BusFrame

BOOKS, TRADES, EXECUTIONS = "book:", "trade:", "exec:"
REPLAY_BATCH = 1000
"""Executions asked of the journal per replay request (the bridge's default)."""


def book_line(book: Book) -> str:
    (bids, asks) = book.levels()
    bid = f"{bids[0][0]} x {bids[0][1]}" if bids else "none"
    ask = f"{asks[0][0]} x {asks[0][1]}" if asks else "none"
    return f"book {book.symbol} bid {bid} ask {ask}"


def trade_line(frame: BusFrame) -> str:
    trade = frame.payload
    side = common_pb2.Side.Name(trade.side).removeprefix("SIDE_").lower()
    return f"trade {trade.symbol} {side} {decimals.to_text(trade.qty)} @ {decimals.to_text(trade.price)}"


def execution_line(frame: BusFrame, replayed: bool = False) -> str:
    report = frame.payload
    side = common_pb2.Side.Name(report.side).removeprefix("SIDE_").lower()
    status = account_pb2.OrderStatus.Name(report.order_status).removeprefix("ORDER_STATUS_").lower()
    line = f"exec {report.symbol} {side} {status} order {report.order_id}"
    if report.quantity_filled.mantissa:
        line += f" filled {decimals.to_text(report.quantity_filled)} @ {decimals.to_text(report.average_fill_price)}"
    return line + (" (replayed)" if replayed else "")


class Strategy:
    """Books and trades from ``market``, executions from ``account``, recovery through
    ``control``. ``market`` and ``account`` must be subscribed before :meth:`start`."""

    def __init__(self, market: Subscriber, account: Subscriber, control: ControlClient, out: TextIO,
                 book_interval: float = 1.0) -> None:
        self.market, self.account, self.control, self.out = market, account, control, out
        self.joiner = LateJoiner(market, control, BOOKS)
        self.books = Books()
        self.book_interval = book_interval
        self.printed: dict[str, float] = {}
        """Book topic → when its last line was printed (monotonic seconds)."""

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def start(self, stopped: threading.Event) -> bool:
        """Starts from a snapshot of every book, waiting for the control socket to answer;
        False if stopped first."""
        while not stopped.is_set():
            try:
                self.resynchronise(None)
                return True
            except ControlTimeout:
                self.say(f"waiting for the bridge's control socket at {self.control.endpoint}")
        return False

    def run(self, stopped: threading.Event) -> None:
        poller = zmq.Poller()
        poller.register(self.market.socket, zmq.POLLIN)
        poller.register(self.account.socket, zmq.POLLIN)
        while not stopped.is_set():
            ready = dict(poller.poll(500))
            if self.market.socket in ready:
                self.on_market()
            if self.account.socket in ready:
                self.on_account()

    # -- market data ----------------------------------------------------------------------------

    def resynchronise(self, reason: Optional[str]) -> None:
        """Every book from a fresh snapshot; queued messages it already reflects are dropped."""
        snapshot = self.joiner.synchronise()
        for frame in snapshot.frames:
            self.books.apply(frame)
        if reason is None:
            self.say(f"snapshot {BOOKS} {len(snapshot.frames)} books")
        else:
            self.say(f"{reason}: books rebuilt from a snapshot of {len(snapshot.frames)}")
        for frame in snapshot.frames:
            self.print_book(frame.topic, now=True)

    def on_market(self) -> None:
        gaps = len(self.market.gaps)
        frame = self.joiner.receive(0)
        if frame is None:
            return
        if len(self.market.gaps) > gaps:
            gap = self.market.gaps[-1]
            if gap.topic.startswith(BOOKS):
                # The snapshot is newer than this message, which is therefore dropped.
                self.resynchronise(f"gap {gap.topic} expected {gap.expected} received {gap.received}")
                return
            self.say(f"gap {gap.topic} expected {gap.expected} received {gap.received}: {gap.missing} trades missed")
        kind = frame.header.message_type
        if frame.topic.startswith(BOOKS):
            self.on_book(frame)
        elif kind == frame_pb2.MESSAGE_TYPE_TRADE:
            self.say(trade_line(frame))

    def on_book(self, frame: BusFrame) -> None:
        kind = frame.header.message_type
        try:
            book = self.books.apply(frame)
        except BookOutOfSync as error:
            self.resynchronise(f"{frame.topic} out of sync ({error})")
            return
        if kind == frame_pb2.MESSAGE_TYPE_BOOK_RESET:
            self.say(f"reset {frame.topic}: waiting for its next snapshot")
        elif book is not None and kind in (frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT, frame_pb2.MESSAGE_TYPE_BOOK_UPDATE):
            if book.checksum != frame.payload.checksum:
                self.resynchronise(f"checksum mismatch on {frame.topic} ({book.checksum} computed, {frame.payload.checksum} sent)")
                return
            self.print_book(frame.topic, now=kind == frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT)

    def print_book(self, topic: str, now: bool = False) -> None:
        book = self.books.get(topic)
        moment = time.monotonic()
        if book is None or (not now and moment - self.printed.get(topic, -self.book_interval) < self.book_interval):
            return
        self.printed[topic] = moment
        self.say(book_line(book))

    # -- executions -----------------------------------------------------------------------------

    def on_account(self) -> None:
        gaps = len(self.account.gaps)
        frame = self.account.receive(0)
        if frame is None:
            return
        if len(self.account.gaps) > gaps:
            self.fill_from_journal(self.account.gaps[-1])
        if frame.header.message_type == frame_pb2.MESSAGE_TYPE_EXECUTION_REPORT:
            self.say(execution_line(frame))
        elif frame.header.message_type == frame_pb2.MESSAGE_TYPE_GAP:
            self.say(f"the bridge reports a gap in {frame.payload.stream}: {frame.payload.detail}")

    def fill_from_journal(self, gap) -> None:
        """Prints the executions between the last one seen and the one that revealed the gap,
        read back from the bridge's journal."""
        missed: list[BusFrame] = []
        after = gap.expected - 1
        while after < gap.received - 1:
            frames = self.control.replay(EXECUTIONS, after=after, max_events=REPLAY_BATCH).frames
            missed += [frame for frame in frames if frame.header.sequence < gap.received]
            if len(frames) < REPLAY_BATCH:
                break
            after = frames[-1].header.sequence
        self.say(f"gap {gap.topic} expected {gap.expected} received {gap.received}: "
                 f"{len(missed)} executions replayed from the journal")
        for frame in missed:
            if frame.header.message_type == frame_pb2.MESSAGE_TYPE_EXECUTION_REPORT:
                self.say(execution_line(frame, replayed=True))


def curve_options(server_key: Optional[str], secret_key_file: Optional[str]) -> dict:
    """The CURVE keyword arguments of Subscriber and ControlClient: none without a server key.
    The server key is its Z85 text or a file holding it; this client's public key is derived
    from its secret key."""
    if not server_key:
        return {}
    if not secret_key_file:
        raise SystemExit("--server-key needs --secret-key-file (this client's key, from krakenbridge keygen)")
    server = load_key(server_key) if Path(server_key).is_file() else server_key.encode("ascii")
    secret = load_key(secret_key_file)
    return {"server_key": server, "public_key": zmq.curve_public(secret), "secret_key": secret}


def arguments(argv: Optional[list[str]]) -> argparse.Namespace:
    environment = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--market", default=environment("STRATEGY_MARKET", "tcp://127.0.0.1:5555"),
                        help="the bridge's market-data endpoint (STRATEGY_MARKET)")
    parser.add_argument("--account", default=environment("STRATEGY_ACCOUNT", "tcp://127.0.0.1:5556"),
                        help="the bridge's account endpoint (STRATEGY_ACCOUNT)")
    parser.add_argument("--control", default=environment("STRATEGY_CONTROL", "tcp://127.0.0.1:5557"),
                        help="the bridge's control endpoint (STRATEGY_CONTROL)")
    parser.add_argument("--server-key", default=environment("STRATEGY_SERVER_KEY"),
                        help="the bridge's public CURVE key, or a file holding it (STRATEGY_SERVER_KEY)")
    parser.add_argument("--secret-key-file", default=environment("STRATEGY_SECRET_KEY_FILE"),
                        help="this client's secret CURVE key file (STRATEGY_SECRET_KEY_FILE)")
    parser.add_argument("--book-interval", type=float, default=float(environment("STRATEGY_BOOK_INTERVAL", "1")),
                        help="seconds between two lines of one book (STRATEGY_BOOK_INTERVAL; default 1)")
    return parser.parse_args(argv)


def main(argv: Optional[list[str]] = None) -> int:
    options = arguments(argv)
    curve = curve_options(options.server_key, options.secret_key_file)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    with Subscriber(options.market, [BOOKS.encode(), TRADES.encode()], **curve) as market, \
            Subscriber(options.account, [EXECUTIONS.encode()], **curve) as account, \
            ControlClient(options.control, **curve) as control:
        strategy = Strategy(market, account, control, sys.stdout, options.book_interval)
        if strategy.start(stopped):
            strategy.run(stopped)
    return 0


if __name__ == "__main__":
    sys.exit(main())
