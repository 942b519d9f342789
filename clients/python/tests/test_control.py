"""The control socket of the real bridge: `krakenbridge sim` → `krakenbridge run` → ControlClient
(JSON and binary): every command, the late joiner against the simulator's truth, replay, and the
structured errors for malformed, oversized and unknown requests."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace

import pytest
import zmq

from krakenbridge import topics
from krakenbridge.book import Books
from krakenbridge.clone import LateJoiner
from krakenbridge.control import ControlClient, ControlError, decode_reply, encode_request
from krakenbridge.subscriber import Subscriber
from krakenbridge.v1 import account_pb2, control_pb2, frame_pb2, market_pb2, service_pb2
from krakenbridge.wire import FLAG_REPLAY
from processes import DEMO_KEY, DEMO_SECRET, drain, receive_until, start_bridge, start_simulator, stop_all

C = control_pb2
SYMBOLS = ["BTC/USD", "ETH/USD"]
ADDED = "DOGE/USD"
"""Simulated (the simulator's default pairs include it) but not given to `run`."""


@dataclass
class Bridge:
    ports: dict
    market: str
    account: str
    control: str


def sim_control(bridge: Bridge, method: str, path: str, body: dict | None = None) -> dict:
    """The simulator's HTTP control API (docs/simulator.md)."""
    data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
    request = urllib.request.Request(f"http://127.0.0.1:{bridge.ports['control']}{path}", data=data, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def bridge(krakenbridge_bin, tmp_path):
    """The simulator (default pairs, so ADDED can be added) and the bridge with the market feed on
    SYMBOLS, the private feed with the demo key, and the control socket on a free port."""
    sim = start_simulator(krakenbridge_bin, "--tick-ms", "10")
    try:
        run = start_bridge(krakenbridge_bin, sim, tmp_path, SYMBOLS, control_bind="tcp://127.0.0.1:*")
    except BaseException:
        stop_all(sim.process)
        raise
    try:
        assert run.market == f"ipc://{tmp_path}/market.sock" and run.account == f"ipc://{tmp_path}/account.sock"
        assert run.control.startswith("tcp://127.0.0.1:") and not run.control.endswith("*"), run.control
        yield Bridge(sim.ports, run.market, run.account, run.control)
    finally:
        stop_all(run.process, sim.process)


@pytest.fixture(params=["json", "binary"])
def control(request, bridge):
    """A ControlClient in each encoding, once the bridge reports itself healthy."""
    with ControlClient(bridge.control, encoding=request.param, timeout_ms=5000) as client:
        wait_until(lambda: client.health().health.healthy, "the bridge never became healthy")
        yield client


def wait_until(condition, message: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def subscriptions(control: ControlClient) -> set[tuple[str, str]]:
    return {(s.channel, s.symbol) for s in control.list_subscriptions().subscriptions.subscriptions}


# -- commands ------------------------------------------------------------------------------------

def test_health_is_healthy(control):
    health = control.health().health
    assert health.healthy and list(health.problems) == []


def test_reply_encoding_follows_the_request(bridge):
    with ControlClient(bridge.control) as client:
        request = C.ControlRequest(id=2**63 + 5)
        request.health.SetInParent()
        json_reply = client.send_raw(encode_request(request, "json"))
        binary_reply = client.send_raw(encode_request(request, "binary"))
    assert len(json_reply) == 1 and json_reply[0].lstrip().startswith(b"{")
    assert json.loads(json_reply[0])["id"] == str(2**63 + 5)  # uint64 as a string
    assert decode_reply(json_reply[0], "json").HasField("health")
    assert len(binary_reply) == 1 and decode_reply(binary_reply[0], "binary").id == 2**63 + 5
    assert decode_reply(binary_reply[0], "binary").HasField("health")


def test_subscribe_a_ticker_then_see_ticker_frames_then_unsubscribe(control, bridge):
    topic = topics.ticker("BTC/USD")
    with Subscriber(bridge.market, [topic]) as sub:
        assert control.subscribe(["ticker"], ["BTC/USD"]).HasField("ack")
        assert ("ticker", "BTC/USD") in subscriptions(control)
        tickers = []
        deadline = time.monotonic() + 20
        while len(tickers) < 3 and time.monotonic() < deadline:
            frame = sub.receive(1000)
            if frame is not None and isinstance(frame.payload, market_pb2.Ticker):
                assert frame.topic == topic.decode() and frame.payload.symbol == "BTC/USD"
                tickers.append(frame)
        assert len(tickers) >= 3, "no ticker frames after subscribing the ticker channel"
        assert control.unsubscribe(["ticker"], ["BTC/USD"]).HasField("ack")
        assert ("ticker", "BTC/USD") not in subscriptions(control)


def test_add_pair_then_remove_pair(control, bridge):
    book_topic = topics.book(ADDED, 10)
    assert ("book", ADDED) not in subscriptions(control)
    with Subscriber(bridge.market, [book_topic, topics.SERVICE_HEARTBEAT]) as sub:
        # A heartbeat proves the subscriptions reached the publisher (they travel in order), so
        # the new pair's first snapshot cannot be published before this subscriber is listening.
        assert receive_until(sub, lambda f: f.topic.startswith("hb:"), 10) is not None
        assert control.add_pair(ADDED).HasField("ack")
        assert {("book", ADDED), ("trade", ADDED)} <= subscriptions(control)
        snapshot = receive_until(sub, lambda f: isinstance(f.payload, market_pb2.BookSnapshot), 20)
        assert snapshot is not None and snapshot.payload.symbol == ADDED

        assert control.remove_pair(ADDED).HasField("ack")
        assert not any(symbol == ADDED for _, symbol in subscriptions(control))
        reset = receive_until(sub, lambda f: f.header.message_type == frame_pb2.MESSAGE_TYPE_BOOK_RESET, 10)
        assert reset is not None, "a removed pair's book ends with a reset"
        assert reset.payload.reason == service_pb2.BOOK_RESET_REASON_OPERATOR
    assert {(channel, symbol) for channel, symbol in subscriptions(control) if symbol in SYMBOLS} >= \
        {("book", s) for s in SYMBOLS}


def test_diagnostics_has_both_connections(control, bridge):
    diagnostics = control.diagnostics().diagnostics
    endpoints = [c.endpoint for c in diagnostics.connections]
    assert len({c.feed for c in diagnostics.connections}) >= 2 and all(c.feed for c in diagnostics.connections)
    assert any(f":{bridge.ports['public']}" in e for e in endpoints), endpoints
    assert any(f":{bridge.ports['private']}" in e for e in endpoints), endpoints
    assert diagnostics.checksum_failures == 0


def test_config_is_json_with_secrets_redacted(control):
    text = control.config().config.json
    json.loads(text)
    assert "<redacted>" in text
    assert DEMO_KEY not in text and DEMO_SECRET not in text


# -- snapshot and late join ----------------------------------------------------------------------

def test_late_joiner_books_equal_the_simulators_truth(control, bridge):
    with Subscriber(bridge.market, [b"book:"]) as sub:
        joiner = LateJoiner(sub, control, b"book:")
        snapshot = joiner.synchronise()
        book_topics = {topics.book(s, 10).decode() for s in SYMBOLS}
        assert {f.topic for f in snapshot.frames} == book_topics
        assert snapshot.end.prefix == "book:" and snapshot.end.topic_count == len(book_topics)
        books = Books()
        for frame in snapshot.frames:
            book = books.apply(frame)
            assert book is not None and book.checksum == frame.payload.checksum  # live books: BookSnapshots
        updates = 0
        deadline = time.monotonic() + 30
        while updates < 100 and time.monotonic() < deadline:
            frame = joiner.receive(5_000)
            assert frame is not None, "the bridge went quiet"
            book = books.apply(frame)
            if frame.header.message_type == frame_pb2.MESSAGE_TYPE_BOOK_UPDATE:
                assert book is not None and book.checksum == frame.payload.checksum, frame.topic
                updates += 1
        assert updates >= 100

        sim_control(bridge, "POST", "/market/pause")
        drain(joiner, books.apply)
        for symbol in SYMBOLS:
            truth = sim_control(bridge, "GET", f"/truth/book?symbol={urllib.parse.quote(symbol, safe='')}&depth=10")
            book = books.get(topics.book(symbol, 10).decode())
            assert book is not None and book.checksum == truth["checksum"], symbol
            bids, asks = book.levels()
            assert [[to_text_pair(p, q) for p, q in side] for side in (bids, asks)] == [truth["bids"], truth["asks"]]
        assert joiner.gaps == []


def to_text_pair(price, quantity) -> list[str]:
    return [format(price, "f"), format(quantity, "f")]


def test_snapshot_of_everything_holds_books_instruments_and_status(control):
    snapshot = control.snapshot("")
    found = {f.topic for f in snapshot.frames}
    assert snapshot.end.prefix == "" and snapshot.end.topic_count == len(snapshot.frames)
    for symbol in SYMBOLS:
        assert {topics.book(symbol, 10).decode(), f"instrument:{symbol}:"} <= found, found
    assert "status:" in found, found
    for frame in snapshot.frames:
        assert frame.header.is_snapshot and frame.header.sequence >= 1


# -- replay --------------------------------------------------------------------------------------

def test_replay_of_exec_returns_what_the_live_subscriber_saw(control, bridge):
    with Subscriber(bridge.account, [topics.EXECUTIONS]) as sub:
        live = []
        deadline = time.monotonic() + 30
        while len(live) < 5 and time.monotonic() < deadline:
            frame = sub.receive(1000)
            if frame is not None and isinstance(frame.payload, account_pb2.ExecutionReport):
                live.append(frame)
        assert len(live) >= 5, "the simulated account produced no executions on exec:"
    replay = control.replay(topics.EXECUTIONS, after=0, max_events=100_000)
    assert replay.begin.topic == "exec:"
    replayed = {f.header.sequence: f for f in replay.frames}
    sequences = [f.header.sequence for f in replay.frames]
    assert sequences == list(range(replay.begin.first_available_sequence,
                                   replay.begin.first_available_sequence + len(sequences)))
    for original in live:
        copy = replayed.get(original.header.sequence)
        assert copy is not None, f"exec: {original.header.sequence} is not in the replay"
        assert copy.payload_bytes == original.payload_bytes
        assert copy.header.flags == original.header.flags | FLAG_REPLAY
        assert replace(copy.header, flags=original.header.flags).pack() == original.header.pack()  # otherwise exactly as published

    last = live[-1].header.sequence
    tail = control.replay("exec:", after=last - 1, max_events=1)
    assert [f.header.sequence for f in tail.frames] == [last]


# -- errors --------------------------------------------------------------------------------------

def error_of(control: ControlClient, body: bytes) -> C.ControlError:
    frames = control.send_raw(body)
    assert len(frames) == 1
    reply = decode_reply(frames[0])
    assert reply.HasField("error"), reply
    return reply.error


def test_malformed_json_is_malformed(control):
    frames = control.send_raw(b'{"id":"1","health":')
    assert frames[0].lstrip().startswith(b"{")  # a JSON-looking request gets a JSON reply
    assert decode_reply(frames[0], "json").error.code == C.CONTROL_ERROR_CODE_MALFORMED
    assert control.health().health.healthy


def test_garbage_binary_is_malformed(control):
    assert error_of(control, b"\xff\xff\xff\xff\x0f\x00garbage").code == C.CONTROL_ERROR_CODE_MALFORMED
    assert control.health().health.healthy


def test_oversized_request_is_too_large(control):
    # libzmq lets up to 1 MiB through (docs/control.md); the server answers over 64 KiB itself.
    request = C.ControlRequest(id=9)
    request.add_pair.symbol = "A" * 70_000
    body = encode_request(request, control.encoding)
    assert len(body) >= 70_000
    assert error_of(control, body).code == C.CONTROL_ERROR_CODE_TOO_LARGE
    assert control.health().health.healthy


def test_unknown_command_binary(control):
    # id 5 and a field (99, length-delimited, empty) this version's ControlRequest does not have.
    body = C.ControlRequest(id=5).SerializeToString() + bytes([0x9A, 0x06, 0x00])
    frames = control.send_raw(body)
    reply = decode_reply(frames[0], "binary")
    assert reply.error.code == C.CONTROL_ERROR_CODE_UNKNOWN_COMMAND and reply.id == 5


def test_request_without_a_command_is_an_unknown_command(control):
    with pytest.raises(ControlError) as caught:
        control.call(C.ControlRequest())  # an id and nothing else
    assert caught.value.code == C.CONTROL_ERROR_CODE_UNKNOWN_COMMAND


def test_unknown_json_command(control):
    # JSON is read strictly (operators type it; a typo must not pass): the unknown name is named.
    error = error_of(control, b'{"id":"6","launchRocket":{}}')
    assert error.code == C.CONTROL_ERROR_CODE_MALFORMED and error.field == "launchRocket"


def test_invalid_arguments_name_the_field(control):
    with pytest.raises(ControlError) as caught:
        control.add_pair("")
    assert caught.value.code == C.CONTROL_ERROR_CODE_INVALID_ARGUMENT and "symbol" in caught.value.field
    with pytest.raises(ControlError) as caught:
        control.add_pair("NOPE/USD")  # not in Kraken's instrument list
    assert caught.value.code == C.CONTROL_ERROR_CODE_NOT_FOUND


def test_a_client_that_never_reads_its_replies_does_not_wedge_the_others(bridge):
    """A DEALER floods requests and reads nothing; a REQ client still gets prompt answers."""
    context = zmq.Context.instance()
    stuck = context.socket(zmq.DEALER)
    stuck.setsockopt(zmq.LINGER, 0)
    stuck.setsockopt(zmq.RCVHWM, 10)
    stuck.connect(bridge.control)
    request = C.ControlRequest(id=1)
    request.diagnostics.SetInParent()
    body = request.SerializeToString()
    try:
        for _ in range(3_000):
            stuck.send_multipart([b"", body])
        with ControlClient(bridge.control, timeout_ms=5_000) as client:
            for _ in range(20):
                started = time.monotonic()
                assert client.health().HasField("health")
                assert time.monotonic() - started < 2.0
    finally:
        stuck.close(0)


def test_a_dealer_without_the_empty_delimiter_is_answered_too(bridge):
    dealer = zmq.Context.instance().socket(zmq.DEALER)
    dealer.setsockopt(zmq.LINGER, 0)
    dealer.connect(bridge.control)
    try:
        dealer.send(b'{"id":"31","health":{}}')
        assert dealer.poll(5_000), "no reply"
        frames = dealer.recv_multipart()
        assert len(frames) == 1
        assert decode_reply(frames[0]).id == 31 and decode_reply(frames[0]).HasField("health")
    finally:
        dealer.close(0)
