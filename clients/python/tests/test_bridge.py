"""The whole path from Python's side: `krakenbridge sim` → `krakenbridge run` (reading Kraken's
WebSocket v2, or v1 with `--protocol v1`) → a pyzmq subscriber that keeps the books from the bus
alone, checks every published checksum and ends equal to the simulator's ground truth."""

from __future__ import annotations

import json
import time
import urllib.request
from decimal import Decimal

import pytest

from krakenbridge import topics, wire
from krakenbridge.book import Book
from krakenbridge.subscriber import Subscriber
from processes import drain, receive_until, start_bridge, start_simulator, stop_all

SYMBOLS = ["BTC/USD", "ETH/USD"]


def control(ports: dict, method: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
    request = urllib.request.Request(f"http://127.0.0.1:{ports['control']}{path}", data=data, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(params=["v2", "v1"])
def bridge(request, krakenbridge_bin, tmp_path):
    sim = start_simulator(krakenbridge_bin, "--tick-ms", "10", "--pairs", ",".join(SYMBOLS))
    try:
        run = start_bridge(krakenbridge_bin, sim, tmp_path, SYMBOLS, private=False, protocol=request.param)
    except BaseException:
        stop_all(sim.process)
        raise
    try:
        yield sim.ports, run.market, request.param
    finally:
        stop_all(run.process, sim.process)


def test_books_from_the_bus_verify_and_equal_the_simulators_truth(bridge):
    ports, market, protocol = bridge
    with Subscriber(market, [topics.book(symbol, 10) for symbol in SYMBOLS] + [b"conn:"]) as sub:
        # The subscriber joined late: once books flow, have the bridge resynchronise so that a
        # reset and a fresh snapshot follow for every symbol.
        assert receive_until(sub, lambda frame: frame.topic.startswith("book:"), 30) is not None
        control(ports, "POST", "/faults", {"kind": "disconnect", "target": "public"})
        reset_seen: set[str] = set()
        books: dict[str, Book] = {}
        generations: dict[str, int] = {}
        updates = 0
        deadline = time.monotonic() + 30
        def resynchronised() -> bool:
            return all(symbol in books for symbol in SYMBOLS)

        while time.monotonic() < deadline and not (resynchronised() and updates >= 100):
            frame = sub.receive(5_000)
            assert frame is not None, "the bridge went quiet"
            kind = frame.header.message_type
            payload = frame.payload
            if kind == wire.frame_pb2.MESSAGE_TYPE_BOOK_RESET:
                assert payload.reason == wire.service_pb2.BOOK_RESET_REASON_RECONNECT
                assert payload.generation == payload.previous_generation + 1
                books.pop(payload.symbol, None)
                reset_seen.add(payload.symbol)
                generations[payload.symbol] = payload.generation
            elif kind == wire.frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT and payload.symbol in reset_seen:
                assert frame.header.is_snapshot
                book = Book.from_snapshot(payload)
                assert book.checksum == payload.checksum
                assert payload.generation == generations[payload.symbol]
                books[payload.symbol] = book
            elif kind == wire.frame_pb2.MESSAGE_TYPE_BOOK_UPDATE and payload.symbol in books:
                assert payload.generation == generations[payload.symbol]
                books[payload.symbol].apply(payload)
                assert books[payload.symbol].checksum == payload.checksum, f"{payload.symbol} update {frame.header.sequence}"
                updates += 1 if resynchronised() else 0
        assert resynchronised() and updates >= 100

        control(ports, "POST", "/market/pause")
        def apply_update(frame) -> None:
            payload = frame.payload
            if frame.header.message_type == wire.frame_pb2.MESSAGE_TYPE_BOOK_UPDATE and payload.symbol in books:
                books[payload.symbol].apply(payload)
        drain(sub, apply_update)
        for symbol in SYMBOLS:
            # The books hold the digits of the feed read: v1 strings keep Kraken's v1 decimals
            # ("5541.30000"), so the checksum and the text match the truth as a v1 client reads
            # it, and the values equal the v2 truth (the pair's precision) numerically.
            path = f"/truth/book?symbol={symbol.replace('/', '%2F')}&depth=10"
            truth = control(ports, "GET", path + ("&version=v1" if protocol == "v1" else ""))
            assert books[symbol].checksum == truth["checksum"], symbol
            bids, asks = books[symbol].levels()
            assert [[[format(p, "f"), format(q, "f")] for p, q in side] for side in (bids, asks)] == \
                [truth["bids"], truth["asks"]], symbol
            at_precision = control(ports, "GET", path)
            assert [bids, asks] == [[(Decimal(p), Decimal(q)) for p, q in side]
                                    for side in (at_precision["bids"], at_precision["asks"])], symbol
        assert sub.gaps == []
