"""The Kraken simulator (`krakenbridge sim`) used from Python with `websockets`: it speaks Kraken's
protocol well enough that a client written only from Kraken's documentation keeps exact books
(v2 and v1 checksums), authenticates over REST and sees faults."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import time
import urllib.parse
import urllib.request
import zlib
from decimal import Decimal

import pytest
from websockets.sync.client import connect

from processes import first_line, stop

DEMO_KEY = "KBSIM-DEMO-KEY"
DEMO_SECRET = "a3Jha2VuYnJpZGdlLXNpbXVsYXRvci1kZW1vLXNlY3JldC1kby1ub3QtdXNlLXdpdGgtcmVhbC1rcmFrZW4hIQ=="


@pytest.fixture
def sim(krakenbridge_bin):
    """A running simulator on free ports; yields its ports."""
    process = subprocess.Popen(
        [str(krakenbridge_bin), "sim", "--public-port", "0", "--private-port", "0", "--rest-port", "0",
         "--control-port", "0", "--tick-ms", "5"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        ports = json.loads(first_line(process, "sim"))
        yield ports
    finally:
        stop(process)


def http_json(url: str, data: bytes | None = None, headers: dict | None = None) -> dict:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def precisions(sim) -> dict:
    """pair name (v2 and v1) -> (price decimals, quantity decimals), from REST AssetPairs."""
    result = http_json(f"http://127.0.0.1:{sim['rest']}/0/public/AssetPairs")["result"]
    table = {}
    for pair in result.values():
        decimals = (pair["pair_decimals"], pair["lot_decimals"])
        table[pair["wsname"]] = decimals
        table[pair["wsname"].replace("XBT/", "BTC/").replace("XDG/", "DOGE/")] = decimals
    return table


def checksum_text(value: str) -> str:
    return value.replace(".", "").lstrip("0")


def kraken_checksum(asks: dict, bids: dict, price_decimals: int | None = None, quantity_decimals: int | None = None) -> int:
    """CRC32 of the top 10 asks (lowest first) then top 10 bids (highest first), digits only:
    v2 numbers written at the pair's precision, v1 strings (decimals None) as received."""
    def text(value, decimals):
        return checksum_text(format(value, "f") if decimals is None else f"{value:.{decimals}f}")
    digits = ""
    for levels, reverse in ((asks, False), (bids, True)):
        for price in sorted(levels, reverse=reverse)[:10]:
            digits += text(price, price_decimals) + text(levels[price], quantity_decimals)
    return zlib.crc32(digits.encode())


def apply(levels: dict, updates, depth: int, reverse: bool) -> None:
    for price, quantity in updates:
        levels.pop(price, None)  # an equal key would keep its old digits
        if quantity != 0:
            levels[price] = quantity
    for price in sorted(levels, reverse=reverse)[depth:]:
        del levels[price]


def test_v2_books_verify_every_checksum(sim):
    table = precisions(sim)
    books = {}
    verified = 0
    with connect(f"ws://127.0.0.1:{sim['public']}/v2") as ws:
        assert json.loads(ws.recv())["channel"] == "status"
        ws.send(json.dumps({"method": "subscribe", "params": {"channel": "book", "symbol": ["BTC/USD", "DOGE/USD"], "depth": 10}}))
        while verified < 300:
            # Decimal keeps the digits Kraken sent; float would lose them.
            message = json.loads(ws.recv(timeout=10), parse_float=Decimal)
            if message.get("channel") != "book":
                continue
            data = message["data"][0]
            asks, bids = books.setdefault(data["symbol"], ({}, {}))
            if message["type"] == "snapshot":
                asks.clear()
                bids.clear()
            apply(asks, [(Decimal(level["price"]), Decimal(level["qty"])) for level in data["asks"]], 10, False)
            apply(bids, [(Decimal(level["price"]), Decimal(level["qty"])) for level in data["bids"]], 10, True)
            assert kraken_checksum(asks, bids, *table[data["symbol"]]) == data["checksum"]
            verified += 1
    assert set(books) == {"BTC/USD", "DOGE/USD"}


def test_v1_books_verify_and_a_corrupted_checksum_is_detected(sim):
    """v1's checksum covers the strings as received, which carry more decimals than AssetPairs'
    pair_decimals (XBT/USD: "65250.00000" with pair_decimals 1), so no precision is applied."""
    table = precisions(sim)
    assert table["XBT/USD"] == (1, 8)
    asks, bids = {}, {}
    matches = mismatches = 0
    deadline = time.monotonic() + 30
    with connect(f"ws://127.0.0.1:{sim['public']}/") as ws:
        assert json.loads(ws.recv())["event"] == "systemStatus"
        ws.send(json.dumps({"event": "subscribe", "pair": ["XBT/USD"], "subscription": {"name": "book", "depth": 25}}))
        while matches < 100:
            assert time.monotonic() < deadline, f"{matches} checksums matched, {mismatches} did not"
            message = json.loads(ws.recv(timeout=10))
            if not isinstance(message, list):
                continue
            for payload in message[1:-2]:
                apply(asks, [(Decimal(a[0]), Decimal(a[1])) for a in payload.get("as", []) + payload.get("a", [])], 25, False)
                apply(bids, [(Decimal(b[0]), Decimal(b[1])) for b in payload.get("bs", []) + payload.get("b", [])], 25, True)
            checksum = message[-3].get("c")
            if checksum is None:
                continue
            if kraken_checksum(asks, bids) == int(checksum):
                matches += 1
            else:
                mismatches += 1
            if matches == 20 and mismatches == 0:
                http_json(f"http://127.0.0.1:{sim['control']}/faults",
                          json.dumps({"kind": "corrupt_checksum", "symbol": "BTC/USD"}).encode())
    assert mismatches == 1


def test_signed_token_opens_the_private_executions_channel(sim):
    path = "/0/private/GetWebSocketsToken"
    nonce = str(int(time.time() * 1000))
    body = urllib.parse.urlencode({"nonce": nonce}).encode()
    digest = hashlib.sha256((nonce + body.decode()).encode()).digest()
    signature = base64.b64encode(hmac.new(base64.b64decode(DEMO_SECRET), path.encode() + digest, hashlib.sha512).digest())
    reply = http_json(f"http://127.0.0.1:{sim['rest']}{path}", body, {"API-Key": DEMO_KEY, "API-Sign": signature.decode()})
    assert reply["error"] == []
    token = reply["result"]["token"]
    with connect(f"ws://127.0.0.1:{sim['private']}/v2") as ws:
        ws.recv()
        ws.send(json.dumps({"method": "subscribe", "params": {"channel": "executions", "token": token}, "req_id": 3}))
        ack = json.loads(ws.recv(timeout=10))
        assert ack["success"] is True and ack["req_id"] == 3
        snapshot = json.loads(ws.recv(timeout=10))
        assert snapshot["channel"] == "executions" and snapshot["type"] == "snapshot" and snapshot["sequence"] == 1


def test_wss_and_https_with_the_written_ca(krakenbridge_bin, tmp_path):
    """`--tls-dir` serves wss:// and https:// and writes the CA a Python client can trust."""
    import ssl

    process = subprocess.Popen(
        [str(krakenbridge_bin), "sim", "--public-port", "0", "--private-port", "0", "--rest-port", "0",
         "--control-port", "0", "--tls-dir", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        ports = json.loads(first_line(process, "sim"))
        context = ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))
        with connect(f"wss://localhost:{ports['public']}/v2", ssl=context, open_timeout=10) as ws:
            status = json.loads(ws.recv(timeout=10))
            assert status["channel"] == "status"
            assert status["data"][0]["system"] == "online"
        with urllib.request.urlopen(f"https://localhost:{ports['rest']}/0/public/SystemStatus",
                                    context=context, timeout=10) as response:
            assert json.loads(response.read())["result"]["status"] == "online"
        # A client that trusts only the system's roots refuses the simulator's certificate.
        with pytest.raises(ssl.SSLCertVerificationError):
            with connect(f"wss://localhost:{ports['public']}/v2", ssl=ssl.create_default_context(), open_timeout=10):
                pass
    finally:
        stop(process)


def test_replay_serves_a_capture_file(krakenbridge_bin, tmp_path):
    """`--replay FILE --replay-speed max` sends every captured frame, in order, to each client."""
    frames = [json.dumps({"channel": "heartbeat", "n": n}, separators=(",", ":")) for n in range(100)]
    capture = tmp_path / "capture.txt"
    capture.write_text("# recorded\n" + "".join(f"{1764547200 + n * 0.25:.6f} {frame}\n" for n, frame in enumerate(frames)))
    process = subprocess.Popen(
        [str(krakenbridge_bin), "sim", "--public-port", "0", "--private-port", "0", "--rest-port", "0",
         "--control-port", "0", "--replay", str(capture), "--replay-speed", "max"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        ports = json.loads(first_line(process, "sim"))
        with connect(f"ws://127.0.0.1:{ports['public']}/v2", open_timeout=10) as ws:
            assert [ws.recv(timeout=10) for _ in frames] == frames
    finally:
        stop(process)


def test_a_malformed_capture_is_refused_with_its_line(krakenbridge_bin, tmp_path):
    capture = tmp_path / "bad.txt"
    capture.write_text("1764547200 {}\nnot-a-time {}\n")
    result = subprocess.run(
        [str(krakenbridge_bin), "sim", "--public-port", "0", "--private-port", "0", "--rest-port", "0",
         "--control-port", "0", "--replay", str(capture)],
        capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "capture line 2: timestamp is neither Unix seconds nor RFC 3339" in result.stderr
