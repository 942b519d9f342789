"""The whole path from Python's side: `krakenbridge sim` → `krakenbridge run` → a pyzmq subscriber
that keeps the books from the bus alone, checks every published checksum and ends equal to the
simulator's ground truth."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
import zlib

import pytest

from krakenbridge import topics, wire
from krakenbridge.subscriber import Subscriber

SYMBOLS = ["BTC/USD", "ETH/USD"]


def control(ports: dict, method: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
    request = urllib.request.Request(f"http://127.0.0.1:{ports['control']}{path}", data=data, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def crc(bids: dict[int, int], asks: dict[int, int]) -> int:
    """Kraken's checksum from mantissas at the pair's precision: the digits without leading zeros."""
    text = "".join(f"{p}{asks[p]}" for p in sorted(asks)[:10])
    text += "".join(f"{p}{bids[p]}" for p in sorted(bids, reverse=True)[:10])
    return zlib.crc32(text.encode())


def apply_update(bids: dict[int, int], asks: dict[int, int], update) -> None:
    """A bus BookUpdate: quantity 0 deletes, then each side is cut back to the depth (10)."""
    for side, prices, quantities, descending in ((bids, update.bid_price, update.bid_qty, True),
                                                 (asks, update.ask_price, update.ask_qty, False)):
        for price, quantity in zip(prices, quantities):
            if quantity == 0:
                side.pop(price, None)
            else:
                side[price] = quantity
        for price in sorted(side, reverse=descending)[10:]:
            del side[price]


@pytest.fixture
def bridge(krakenbridge_bin, tmp_path):
    sim = subprocess.Popen(
        [str(krakenbridge_bin), "sim", "--public-port", "0", "--private-port", "0", "--rest-port", "0",
         "--control-port", "0", "--tick-ms", "10", "--pairs", ",".join(SYMBOLS)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ports = json.loads(sim.stdout.readline())
    market = f"ipc://{tmp_path}/market.sock"
    run = subprocess.Popen(
        [str(krakenbridge_bin), "run", "--ws-url", f"ws://127.0.0.1:{ports['public']}/v2", "--pairs", ",".join(SYMBOLS),
         "--market-bind", market, "--account-bind", f"ipc://{tmp_path}/account.sock", "--simulated",
         "--stats-interval", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        endpoints = json.loads(run.stdout.readline())
        assert endpoints["market"] == market
        yield ports, market
    finally:
        for process in (run, sim):
            process.terminate()
            process.wait(timeout=10)


def test_books_from_the_bus_verify_and_equal_the_simulators_truth(bridge):
    ports, market = bridge
    with Subscriber(market, [topics.book(symbol, 10) for symbol in SYMBOLS] + [b"conn:"]) as sub:
        # The subscriber joined late: once books flow, have the bridge resynchronise so that a
        # reset and a fresh snapshot follow for every symbol.
        while (first := sub.receive(10_000)) is not None and not first.topic.startswith("book:"):
            pass
        assert first is not None
        control(ports, "POST", "/faults", {"kind": "disconnect", "target": "public"})
        reset_seen: set[str] = set()
        books: dict[str, tuple[dict, dict]] = {}
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
                bids = dict(zip(payload.bid_price, payload.bid_qty))
                asks = dict(zip(payload.ask_price, payload.ask_qty))
                assert crc(bids, asks) == payload.checksum
                assert payload.generation == generations[payload.symbol]
                books[payload.symbol] = (bids, asks)
            elif kind == wire.frame_pb2.MESSAGE_TYPE_BOOK_UPDATE and payload.symbol in books:
                assert payload.generation == generations[payload.symbol]
                apply_update(*books[payload.symbol], payload)
                assert crc(*books[payload.symbol]) == payload.checksum, f"{payload.symbol} update {frame.header.sequence}"
                updates += 1 if resynchronised() else 0
        assert resynchronised() and updates >= 100

        control(ports, "POST", "/market/pause")
        while (frame := sub.receive(500)) is not None:
            payload = frame.payload
            if frame.header.message_type == wire.frame_pb2.MESSAGE_TYPE_BOOK_UPDATE and payload.symbol in books:
                apply_update(*books[payload.symbol], payload)
        for symbol in SYMBOLS:
            truth = control(ports, "GET", f"/truth/book?symbol={symbol.replace('/', '%2F')}&depth=10")
            assert crc(*books[symbol]) == truth["checksum"], symbol
        assert sub.gaps == []
