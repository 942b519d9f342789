"""ControlClient and LateJoiner against a fake control server (a pyzmq ROUTER in a thread that
speaks the control socket's framing) and a fake publisher (XPUB). No bridge binary needed."""

from __future__ import annotations

import json
import random
import threading
import time
from decimal import Decimal
from typing import Callable, Optional

import pytest
import zmq
from google.protobuf import json_format
from google.protobuf.message import DecodeError, Message

from krakenbridge import topics
from krakenbridge.book import Book, BookOutOfSync, Books, kraken_checksum
from krakenbridge.clone import LateJoiner
from krakenbridge.control import (ControlClient, ControlError, ControlProtocolError, ControlTimeout, ReplayError,
                                  SnapshotError, decode_reply, load_key)
from krakenbridge.sequence import SequenceTracker
from krakenbridge.subscriber import Subscriber
from krakenbridge.v1 import account_pb2, control_pb2, frame_pb2, market_pb2, service_pb2
from krakenbridge.wire import FLAG_REPLAY, FLAG_SNAPSHOT, FrameHeader, decode_frames

EPOCH = 1_764_547_200_000_000_000
C = control_pb2


def triple(topic: bytes, message_type: int, payload: Message, sequence: int, flags: int = 0,
           epoch: int = EPOCH) -> list[bytes]:
    """One bus message: [topic][header][payload]."""
    body = payload.SerializeToString()
    header = FrameHeader(message_type, flags, len(body), epoch, sequence, 0, 0, 0, 0)
    return [topic, header.pack(), body]


Handler = Callable[[C.ControlRequest], tuple[C.ControlReply, list[bytes]]]


class FakeControlServer:
    """A ROUTER speaking the control socket's framing: one body frame in ([identity][empty][body]
    from REQ), frame 0 = ControlReply in the request's encoding (JSON if the body starts with
    '{'), then any bus triples. Commands are answered by ``handlers`` (by oneof name)."""

    def __init__(self, context: zmq.Context, curve_secret: Optional[bytes] = None) -> None:
        self.context = context
        self.curve_secret = curve_secret
        self.handlers: dict[str, Handler] = {
            "health": lambda r: (C.ControlReply(health=C.Health(healthy=True)), []),
            "add_pair": self.add_pair,
            "list_subscriptions": lambda r: (C.ControlReply(subscriptions=C.SubscriptionList(subscriptions=[
                C.Subscription(channel="book", symbol="BTC/USD", depth=10, state="subscribed", feed="public")])), []),
        }
        self.bodies: list[bytes] = []
        self.drop_next = 0
        """Requests to leave unanswered (their replies go out, too late, before the next reply)."""
        self.wrong_id_next = False
        self._late: list[list[bytes]] = []
        self._stop = threading.Event()
        self._ready = threading.Event()
        self.endpoint = ""
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        assert self._ready.wait(5)

    @staticmethod
    def add_pair(request: C.ControlRequest) -> tuple[C.ControlReply, list[bytes]]:
        if not request.add_pair.symbol:
            return C.ControlReply(error=C.ControlError(code=C.CONTROL_ERROR_CODE_INVALID_ARGUMENT,
                                                       message="symbol is empty", field="add_pair.symbol")), []
        return C.ControlReply(ack=C.Ack(message=f"added {request.add_pair.symbol}")), []

    def _run(self) -> None:
        socket = self.context.socket(zmq.ROUTER)
        socket.setsockopt(zmq.LINGER, 0)
        if self.curve_secret is not None:
            socket.curve_secretkey = self.curve_secret
            socket.curve_server = True
        port = socket.bind_to_random_port("tcp://127.0.0.1")
        self.endpoint = f"tcp://127.0.0.1:{port}"
        self._ready.set()
        try:
            while not self._stop.is_set():
                if not socket.poll(20):
                    continue
                identity, empty, *body = socket.recv_multipart()
                assert empty == b"" and len(body) == 1, "a REQ request is [identity][empty][body]"
                self.bodies.append(body[0])
                reply = self._answer(body[0])
                for late in self._late:
                    socket.send_multipart(late)  # to a REQ socket the client has replaced: dropped
                self._late.clear()
                envelope = [identity, b""] + reply
                if self.drop_next:
                    self.drop_next -= 1
                    self._late.append(envelope)
                else:
                    socket.send_multipart(envelope)
        finally:
            socket.close(0)

    def _answer(self, body: bytes) -> list[bytes]:
        encoding = "json" if body.lstrip()[:1] == b"{" else "binary"
        request = C.ControlRequest()
        try:
            if encoding == "json":
                json_format.Parse(body.decode(), request)
            else:
                request.ParseFromString(body)
        except (json_format.ParseError, UnicodeDecodeError, DecodeError) as error:
            reply, rest = C.ControlReply(error=C.ControlError(code=C.CONTROL_ERROR_CODE_MALFORMED, message=str(error))), []
        else:
            command = request.WhichOneof("command")
            handler = self.handlers.get(command or "")
            if handler is None:
                reply, rest = C.ControlReply(error=C.ControlError(code=C.CONTROL_ERROR_CODE_UNKNOWN_COMMAND,
                                                                  message=f"no handler for {command}")), []
            else:
                reply, rest = handler(request)
            reply.id = request.id + (1 if self.wrong_id_next else 0)
            self.wrong_id_next = False
        head = (json_format.MessageToJson(reply).encode() if encoding == "json" else reply.SerializeToString())
        return [head] + rest

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)


@pytest.fixture(params=["json", "binary"])
def client(request, server, context):
    with ControlClient(server.endpoint, encoding=request.param, timeout_ms=2000, context=context) as client:
        yield client


# -- round trips ---------------------------------------------------------------------------------

def test_json_round_trip_sends_canonical_json_and_echoes_the_id(server, context):
    with ControlClient(server.endpoint, context=context) as client:
        assert client.health().health.healthy
        reply = client.add_pair("ETH/USD")
        assert reply.id == 2 and reply.ack.message == "added ETH/USD"
        raw = client.send_raw(b'{"id":"77","health":{}}')
    assert json.loads(server.bodies[0]) == {"id": "1", "health": {}}
    assert json.loads(server.bodies[1]) == {"id": "2", "addPair": {"symbol": "ETH/USD"}}
    assert len(raw) == 1 and raw[0].startswith(b"{")
    assert json.loads(raw[0])["id"] == "77"  # uint64 as a string in canonical JSON


def test_binary_round_trip_sends_protobuf_and_echoes_the_id(server, context):
    with ControlClient(server.endpoint, encoding="binary", context=context) as client:
        request = C.ControlRequest(id=2**64 - 1)
        request.health.SetInParent()
        reply, rest = client.request(request)
        assert reply.id == 2**64 - 1 and reply.health.healthy and rest == []
        subscriptions = client.list_subscriptions().subscriptions.subscriptions
    assert C.ControlRequest.FromString(server.bodies[0]) == request
    assert [(s.channel, s.symbol, s.depth) for s in subscriptions] == [("book", "BTC/USD", 10)]


def test_every_command_sends_its_fields(server, client):
    seen: list[C.ControlRequest] = []

    def record(request: C.ControlRequest) -> tuple[C.ControlReply, list[bytes]]:
        seen.append(request)
        return C.ControlReply(ack=C.Ack()), []

    for name in ("subscribe", "unsubscribe", "remove_pair"):
        server.handlers[name] = record
    server.handlers["diagnostics"] = lambda r: (C.ControlReply(diagnostics=C.Diagnostics(gaps=3)), [])
    server.handlers["config"] = lambda r: (C.ControlReply(config=C.EffectiveConfig(json='{"key":"<redacted>"}')), [])
    client.subscribe(["ohlc"], ["BTC/USD", "ETH/USD"], interval_minutes=5)
    client.unsubscribe(["book"], ["BTC/USD"], depth=25)
    client.remove_pair("ETH/USD")
    assert client.diagnostics().diagnostics.gaps == 3
    assert json.loads(client.config().config.json) == {"key": "<redacted>"}
    assert [r.WhichOneof("command") for r in seen] == ["subscribe", "unsubscribe", "remove_pair"]
    assert list(seen[0].subscribe.symbols) == ["BTC/USD", "ETH/USD"] and seen[0].subscribe.interval_minutes == 5
    assert list(seen[1].unsubscribe.channels) == ["book"] and seen[1].unsubscribe.depth == 25
    assert seen[2].remove_pair.symbol == "ETH/USD"


def test_error_reply_raises_control_error_with_code_and_field(client):
    with pytest.raises(ControlError) as caught:
        client.add_pair("")
    assert caught.value.code == C.CONTROL_ERROR_CODE_INVALID_ARGUMENT
    assert caught.value.code_name == "CONTROL_ERROR_CODE_INVALID_ARGUMENT"
    assert caught.value.field == "add_pair.symbol" and caught.value.message == "symbol is empty"
    with pytest.raises(ControlError) as caught:
        client.diagnostics()  # no handler in the fake: unknown command
    assert caught.value.code == C.CONTROL_ERROR_CODE_UNKNOWN_COMMAND
    assert client.health().health.healthy  # and the client goes on


def test_malformed_bodies_get_malformed_in_the_guessed_encoding(client):
    for body in (b'{"id": "1", "health": ', b"\xff\xff\xff\xff\x0f"):
        frames = client.send_raw(body)
        assert frames[0].startswith(b"{") == body.startswith(b"{")
        assert decode_reply(frames[0]).error.code == C.CONTROL_ERROR_CODE_MALFORMED


def test_a_reply_with_another_id_is_a_protocol_error(server, client):
    server.wrong_id_next = True
    with pytest.raises(ControlProtocolError, match="does not echo"):
        client.health()
    assert client.health().health.healthy


def test_a_reply_of_the_wrong_kind_is_a_protocol_error(server, client):
    server.handlers["health"] = lambda r: (C.ControlReply(ack=C.Ack()), [])
    with pytest.raises(ControlProtocolError, match="expected a health reply"):
        client.health()


# -- timeouts and CURVE --------------------------------------------------------------------------

def test_timeout_raises_and_the_client_keeps_working(server, context):
    with ControlClient(server.endpoint, timeout_ms=300, context=context) as client:
        server.drop_next = 1
        started = time.monotonic()
        with pytest.raises(ControlTimeout):
            client.health()
        assert 0.25 < time.monotonic() - started < 2
        # The late reply to the first request goes out now, to the replaced socket, and is lost;
        # this request gets its own reply.
        reply = client.add_pair("ETH/USD")
        assert reply.ack.message == "added ETH/USD" and reply.id == 2
        assert client.health().id == 3


def test_timeout_without_any_server(context):
    with ControlClient("tcp://127.0.0.1:1", timeout_ms=200, context=context) as client:
        for _ in range(2):
            with pytest.raises(ControlTimeout):
                client.health()


def write_key_pair(directory, name: str) -> tuple[bytes, bytes]:
    """NAME.key / NAME.key_secret as `krakenbridge keygen` writes them (one Z85 line each)."""
    public, secret = zmq.curve_keypair()
    (directory / f"{name}.key").write_bytes(public + b"\n")
    (directory / f"{name}.key_secret").write_bytes(secret + b"\n")
    return public, secret


def test_curve_client_talks_to_a_curve_router(context, tmp_path):
    _, server_secret = write_key_pair(tmp_path, "server")
    write_key_pair(tmp_path, "client")
    server = FakeControlServer(context, curve_secret=load_key(tmp_path / "server.key_secret"))
    try:
        with ControlClient(server.endpoint, encoding="binary", context=context,
                           server_key=load_key(tmp_path / "server.key"), public_key=load_key(tmp_path / "client.key"),
                           secret_key=load_key(tmp_path / "client.key_secret")) as client:
            assert client.health().health.healthy
        stranger_public, stranger_secret = zmq.curve_keypair()
        with ControlClient(server.endpoint, timeout_ms=300, context=context, server_key=stranger_public.decode(),
                           public_key=stranger_public, secret_key=stranger_secret) as stranger:
            with pytest.raises(ControlTimeout):
                stranger.health()
        assert len(server.bodies) == 1
    finally:
        server.close()


def test_load_key_rejects_a_file_that_is_not_one_key(tmp_path):
    (tmp_path / "bad.key").write_text("tooshort\n")
    with pytest.raises(ValueError, match="40-character"):
        load_key(tmp_path / "bad.key")


# -- snapshot ------------------------------------------------------------------------------------

def exact(levels: dict[int, int]) -> dict[Decimal, Decimal]:
    """Price → quantity mantissas at scales 1 / 8 (the fakes' books) as exact decimals."""
    return {Decimal(p).scaleb(-1): Decimal(q).scaleb(-8) for p, q in levels.items()}


def book_snapshot(symbol: str, bids: dict[int, int], asks: dict[int, int], generation: int = 1) -> market_pb2.BookSnapshot:
    snapshot = market_pb2.BookSnapshot(symbol=symbol, depth=10, generation=generation, price_scale=1, qty_scale=8,
                                       checksum=kraken_checksum(exact(bids), exact(asks)))
    for price in sorted(bids, reverse=True):
        snapshot.bid_price.append(price)
        snapshot.bid_qty.append(bids[price])
    for price in sorted(asks):
        snapshot.ask_price.append(price)
        snapshot.ask_qty.append(asks[price])
    return snapshot


STATE = {
    topics.book("BTC/USD", 10): (frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT,
                                 book_snapshot("BTC/USD", {9990: 5, 9980: 7}, {10010: 3}), 42),
    topics.book("ETH/USD", 10): (frame_pb2.MESSAGE_TYPE_BOOK_RESET,
                                 service_pb2.BookReset(symbol="ETH/USD", depth=10, generation=2), 7),
    topics.ticker("BTC/USD"): (frame_pb2.MESSAGE_TYPE_TICKER, market_pb2.Ticker(symbol="BTC/USD"), 3),
}


def snapshot_handler(state: dict, fault: Optional[str] = None) -> Handler:
    """Answers a snapshot request from ``state`` (topic → (type, payload, sequence)); ``fault``
    breaks one part of the reply."""

    def handle(request: C.ControlRequest) -> tuple[C.ControlReply, list[bytes]]:
        prefix = request.snapshot.topic_prefix
        chosen = [(t, v) for t, v in state.items() if t.startswith(prefix.encode())]
        frames: list[bytes] = []
        for topic, (kind, payload, sequence) in chosen:
            frames += triple(topic, kind, payload, sequence, 0 if fault == "no_snapshot_flag" else FLAG_SNAPSHOT)
        count = len(chosen) + (1 if fault == "count_too_high" else 0)
        end = service_pb2.SnapshotEnd(prefix=prefix, topic_count=len(chosen) + (1 if fault == "end_count" else 0))
        end_type = frame_pb2.MESSAGE_TYPE_TICKER if fault == "end_type" else frame_pb2.MESSAGE_TYPE_SNAPSHOT_END
        end_topic = b"other:" if fault == "end_topic" else prefix.encode()
        if fault != "no_end":
            frames += triple(end_topic, end_type, end, 5 if fault == "end_sequence" else 0)
        return C.ControlReply(snapshot=C.SnapshotBegin(topic_prefix=prefix, topic_count=count)), frames

    return handle


def test_snapshot_of_a_prefix(server, client):
    server.handlers["snapshot"] = snapshot_handler(STATE)
    snapshot = client.snapshot(b"book:")
    assert snapshot.begin.topic_count == 2 and snapshot.end.topic_count == 2 and snapshot.end.prefix == "book:"
    assert snapshot.end_header.message_type == frame_pb2.MESSAGE_TYPE_SNAPSHOT_END
    assert [f.topic for f in snapshot.frames] == ["book:BTC/USD:10:", "book:ETH/USD:10:"]
    assert all(f.header.is_snapshot for f in snapshot.frames)
    assert snapshot.sequences() == {"book:BTC/USD:10:": (EPOCH, 42), "book:ETH/USD:10:": (EPOCH, 7)}
    books = Books()
    for frame in snapshot.frames:
        books.apply(frame)
    assert len(books) == 1 and books.get("book:BTC/USD:10:").bids == \
        {Decimal("999.0"): Decimal("0.00000005"), Decimal("998.0"): Decimal("0.00000007")}


def test_snapshot_of_everything_ends_with_an_empty_topic_frame(server, client):
    server.handlers["snapshot"] = snapshot_handler(STATE)
    snapshot = client.snapshot("")
    assert len(snapshot.frames) == 3 and snapshot.end.prefix == ""
    empty = client.snapshot("nothing:")
    assert empty.frames == [] and empty.end.topic_count == 0


@pytest.mark.parametrize("fault, message", [
    ("count_too_high", "announces 3 topics"),
    ("no_end", "announces 2 topics"),
    ("end_count", "SnapshotEnd counts 3"),
    ("end_type", "MESSAGE_TYPE_TICKER"),
    ("end_topic", "is not the prefix"),
    ("end_sequence", "sequence 5"),
    ("no_snapshot_flag", "without the SNAPSHOT flag"),
])
def test_inconsistent_snapshot_raises_snapshot_error(server, client, fault, message):
    server.handlers["snapshot"] = snapshot_handler(STATE, fault)
    with pytest.raises(SnapshotError, match=message):
        client.snapshot("book:")
    server.handlers["snapshot"] = snapshot_handler(STATE)
    assert len(client.snapshot("book:").frames) == 2


# -- replay --------------------------------------------------------------------------------------

def execution(sequence: int) -> account_pb2.ExecutionReport:
    return account_pb2.ExecutionReport(exec_id=f"E{sequence}", order_id="O1", symbol="BTC/USD",
                                       order_status=account_pb2.ORDER_STATUS_PARTIALLY_FILLED)


def replay_handler(journal: dict[int, account_pb2.ExecutionReport], flags: int = FLAG_REPLAY) -> Handler:
    def handle(request: C.ControlRequest) -> tuple[C.ControlReply, list[bytes]]:
        command = request.replay
        chosen = [s for s in sorted(journal) if s > command.after_sequence][:min(command.max_events or 1000, 10_000)]
        frames: list[bytes] = []
        for sequence in chosen:
            frames += triple(command.topic.encode(), frame_pb2.MESSAGE_TYPE_EXECUTION_REPORT, journal[sequence],
                             sequence, flags)
        begin = C.ReplayBegin(topic=command.topic, event_count=len(chosen), first_available_sequence=min(journal))
        return C.ControlReply(replay=begin), frames

    return handle


def test_replay_returns_the_events_after_a_sequence(server, client):
    server.handlers["replay"] = replay_handler({s: execution(s) for s in range(3, 12)})
    replay = client.replay(topics.EXECUTIONS, after=5, max_events=4)
    assert replay.begin.first_available_sequence == 3 and replay.begin.event_count == 4
    assert [f.header.sequence for f in replay.frames] == [6, 7, 8, 9]
    assert [f.payload.exec_id for f in replay.frames] == ["E6", "E7", "E8", "E9"]
    assert all(f.header.is_replay and f.topic == "exec:" for f in replay.frames)
    assert client.replay("exec:", after=11).frames == []


def test_replay_without_the_replay_flag_raises_replay_error(server, client):
    server.handlers["replay"] = replay_handler({1: execution(1)}, flags=0)
    with pytest.raises(ReplayError, match="no REPLAY flag"):
        client.replay("exec:")


# -- late joiner (Clone) -------------------------------------------------------------------------

class FakeMarket:
    """The truth a fake publisher publishes from: a depth-10 book moved by seeded random steps.
    Prices and quantities are mantissas at scales 1 / 8. Levels pushed out of the depth are sent
    as explicit deletes, as the bridge does."""

    def __init__(self, symbol: str, seed: int) -> None:
        self.symbol = symbol
        self.rng = random.Random(seed)
        self.bids = {9900 + 10 * i: self.rng.randint(1, 500) for i in range(10)}
        self.asks = {10010 + 10 * i: self.rng.randint(1, 500) for i in range(10)}

    def snapshot(self) -> market_pb2.BookSnapshot:
        return book_snapshot(self.symbol, self.bids, self.asks)

    def step(self) -> market_pb2.BookUpdate:
        update = market_pb2.BookUpdate(symbol=self.symbol, depth=10, generation=1, price_scale=1, qty_scale=8)
        for _ in range(self.rng.randint(1, 3)):
            bid = self.rng.random() < 0.5
            side = self.bids if bid else self.asks
            if side and self.rng.random() < 0.4:
                price, quantity = self.rng.choice(sorted(side)), 0
                del side[price]
            else:
                price = self.rng.randrange(9800, 10000, 5) if bid else self.rng.randrange(10005, 10200, 5)
                quantity = self.rng.randint(1, 500)
                side[price] = quantity
            (update.bid_price if bid else update.ask_price).append(price)
            (update.bid_qty if bid else update.ask_qty).append(quantity)
        for side, descending, prices, quantities in ((self.bids, True, update.bid_price, update.bid_qty),
                                                     (self.asks, False, update.ask_price, update.ask_qty)):
            for price in sorted(side, reverse=descending)[10:]:
                del side[price]
                prices.append(price)
                quantities.append(0)
        update.checksum = kraken_checksum(exact(self.bids), exact(self.asks))
        return update


class FakePublisher:
    """An XPUB, so the test knows when the subscription has arrived."""

    def __init__(self, context: zmq.Context) -> None:
        self.socket = context.socket(zmq.XPUB)
        self.socket.setsockopt(zmq.LINGER, 0)
        self.endpoint = f"tcp://127.0.0.1:{self.socket.bind_to_random_port('tcp://127.0.0.1')}"

    def wait_for_subscription(self, prefix: bytes) -> None:
        assert self.socket.poll(5000), "no subscription arrived"
        assert self.socket.recv() == b"\x01" + prefix

    def publish(self, frames: list[bytes]) -> None:
        self.socket.send_multipart(frames)

    def close(self) -> None:
        self.socket.close(0)


def test_late_joiner_discards_what_the_snapshot_holds_and_applies_the_rest(server, context):
    btc, eth = FakeMarket("BTC/USD", 7), FakeMarket("ETH/USD", 8)
    btc_topic, eth_topic = topics.book("BTC/USD", 10), topics.book("ETH/USD", 10)
    publisher = FakePublisher(context)
    try:
        with Subscriber(publisher.endpoint, [b"book:"], context=context) as sub, \
                ControlClient(server.endpoint, encoding="binary", context=context) as control:
            publisher.wait_for_subscription(b"book:")
            # Before the snapshot: BTC's snapshot (1) and updates 2..14; ETH's book is being
            # rebuilt (reset at 5), its snapshot comes at 6, an update at 7.
            published: list[tuple[int, market_pb2.BookUpdate]] = []
            publisher.publish(triple(btc_topic, frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT, btc.snapshot(), 1, FLAG_SNAPSHOT))
            state_at_10 = None
            for sequence in range(2, 15):
                update = btc.step()
                published.append((sequence, update))
                publisher.publish(triple(btc_topic, frame_pb2.MESSAGE_TYPE_BOOK_UPDATE, update, sequence))
                if sequence == 10:
                    state_at_10 = btc.snapshot()
            publisher.publish(triple(btc_topic, frame_pb2.MESSAGE_TYPE_TOPIC_HEARTBEAT,
                                     service_pb2.TopicHeartbeat(), 10))
            reset = service_pb2.BookReset(symbol="ETH/USD", depth=10, previous_generation=0, generation=1)
            publisher.publish(triple(eth_topic, frame_pb2.MESSAGE_TYPE_BOOK_RESET, reset, 5))

            # The snapshot reflects BTC at 10 (a bridge reading it before updates 11..14 and the
            # heartbeat reached this subscriber) and ETH at its reset.
            server.handlers["snapshot"] = snapshot_handler({
                btc_topic: (frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT, state_at_10, 10),
                eth_topic: (frame_pb2.MESSAGE_TYPE_BOOK_RESET, reset, 5),
            })
            joiner = LateJoiner(sub, control, b"book:")
            books = Books()
            for frame in joiner.synchronise().frames:
                books.apply(frame)
            assert btc_topic.decode() in books and eth_topic.decode() not in books

            publisher.publish(triple(eth_topic, frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT, eth.snapshot(), 6, FLAG_SNAPSHOT))
            publisher.publish(triple(eth_topic, frame_pb2.MESSAGE_TYPE_BOOK_UPDATE, eth.step(), 7))
            for sequence in range(15, 31):
                update = btc.step()
                published.append((sequence, update))
                publisher.publish(triple(btc_topic, frame_pb2.MESSAGE_TYPE_BOOK_UPDATE, update, sequence))

            delivered = []
            while (frame := joiner.receive(500)) is not None:
                delivered.append((frame.topic, frame.header.sequence))
                book = books.apply(frame)
                if frame.header.message_type == frame_pb2.MESSAGE_TYPE_BOOK_UPDATE:
                    assert book is not None and book.checksum == frame.payload.checksum

            assert [s for t, s in delivered if t == btc_topic.decode()] == list(range(11, 31))
            assert [s for t, s in delivered if t == eth_topic.decode()] == [6, 7]
            assert joiner.discarded == 10 + 1 + 1  # BTC 1..10, its heartbeat at 10, ETH's reset at 5
            assert joiner.gaps == []
            for market, topic in ((btc, btc_topic), (eth, eth_topic)):
                book = books.get(topic.decode())
                assert (book.bids, book.asks) == (exact(market.bids), exact(market.asks))

            # The test discriminates: applying the held updates again would corrupt the state.
            held, naive = Book.from_snapshot(state_at_10), Book.from_snapshot(state_at_10)
            try:
                for sequence, update in published:
                    if sequence <= 10:
                        naive.apply(update)
                corrupted = (naive.bids, naive.asks) != (held.bids, held.asks)
            except BookOutOfSync:
                corrupted = True
            assert corrupted
    finally:
        publisher.close()


def test_late_joiner_reports_a_gap_right_after_the_snapshot(server, context):
    btc = FakeMarket("BTC/USD", 3)
    topic = topics.book("BTC/USD", 10)
    publisher = FakePublisher(context)
    try:
        with Subscriber(publisher.endpoint, [b"book:"], context=context) as sub, \
                ControlClient(server.endpoint, context=context) as control:
            publisher.wait_for_subscription(b"book:")
            server.handlers["snapshot"] = snapshot_handler({topic: (frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT, btc.snapshot(), 20)})
            joiner = LateJoiner(sub, control, "book:")
            joiner.synchronise()
            publisher.publish(triple(topic, frame_pb2.MESSAGE_TYPE_BOOK_UPDATE, btc.step(), 22))  # 21 was lost
            frame = joiner.receive(2000)
            assert frame is not None and frame.header.sequence == 22
            assert [(g.topic, g.expected, g.received) for g in joiner.gaps] == [(topic.decode(), 21, 22)]
    finally:
        publisher.close()


# -- books ---------------------------------------------------------------------------------------

def test_book_update_of_another_generation_is_out_of_sync():
    book = Book.from_snapshot(book_snapshot("BTC/USD", {100: 1}, {101: 1}, generation=3))
    with pytest.raises(BookOutOfSync):
        book.apply(market_pb2.BookUpdate(symbol="BTC/USD", depth=10, generation=4, price_scale=1, qty_scale=8))


def test_book_levels_are_exact_decimals_best_first():
    book = Book.from_snapshot(book_snapshot("BTC/USD", {9990: 5_000, 9995: 100_000_000}, {10010: 1}))
    text = [[(format(p, "f"), format(q, "f")) for p, q in side] for side in book.levels()]
    assert text == [[("999.5", "1.00000000"), ("999.0", "0.00005000")], [("1001.0", "0.00000001")]]


def test_replay_with_the_default_count_accepts_what_the_bridge_sends(server, client):
    server.handlers["replay"] = replay_handler({s: execution(s) for s in range(1, 6)})
    assert [f.header.sequence for f in client.replay("exec:", after=0, max_events=0).frames] == [1, 2, 3, 4, 5]


def test_a_journaled_topic_continues_across_epochs_so_a_loss_over_a_restart_is_a_gap():
    tracker = SequenceTracker()
    for sequence in (1, 2, 3):
        tracker.observe(decode_frames(triple(b"exec:", frame_pb2.MESSAGE_TYPE_EXECUTION_REPORT, execution(sequence), sequence)))
        tracker.observe(decode_frames(triple(b"trade:BTC/USD:", frame_pb2.MESSAGE_TYPE_TRADE, market_pb2.Trade(), sequence)))
    restarted = EPOCH + 1_000
    gap = tracker.observe(decode_frames(triple(b"exec:", frame_pb2.MESSAGE_TYPE_EXECUTION_REPORT, execution(6), 6, epoch=restarted)))
    assert gap is not None and (gap.expected, gap.received) == (4, 6)
    assert tracker.observe(decode_frames(triple(b"trade:BTC/USD:", frame_pb2.MESSAGE_TYPE_TRADE, market_pb2.Trade(), 1,
                                                epoch=restarted))) is None, "market topics start again at 1"
    assert tracker.observe(decode_frames(triple(b"exec:", frame_pb2.MESSAGE_TYPE_EXECUTION_REPORT, execution(3), 3))) is None, \
        "a frame of the earlier run is stale, not news"
    assert tracker.last["exec:"] == (restarted, 6)
