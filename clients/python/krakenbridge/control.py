"""A client for the bridge's control socket (a ZeroMQ ROUTER; this client is a REQ).

One request in, one reply out. The request body is a ``krakenbridge.v1.ControlRequest`` as
protobuf canonical JSON (``encoding="json"``, the default) or binary protobuf
(``encoding="binary"``); frame 0 of the reply is a ``ControlReply`` in the same encoding, with the
request's ``id`` echoed. Snapshot and replay replies carry bus messages after frame 0 as
``[topic][header][payload]`` triples (always binary; docs/wire-format.md)::

    with ControlClient("tcp://127.0.0.1:5557") as control:
        control.add_pair("ETH/USD")
        snapshot = control.snapshot("book:")      # SnapshotBegin, the topics' states, SnapshotEnd
        replay = control.replay("exec:", after=0)  # the journal's events after sequence 0

A reply that is an error raises :class:`ControlError`; no reply within ``timeout_ms`` raises
:class:`ControlTimeout` (the socket is then replaced, so the client keeps working: the Lazy
Pirate pattern of the ZeroMQ Guide); a reply that breaks this contract raises
:class:`ControlProtocolError` (:class:`SnapshotError`, :class:`ReplayError` for those replies).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Generic, Iterable, Literal, Optional, TypeVar, Union

import zmq
from google.protobuf import json_format
from google.protobuf.message import DecodeError

from krakenbridge.v1 import control_pb2, frame_pb2, service_pb2
from krakenbridge.wire import BusFrame, FrameHeader, decode_frames, decode_header

Encoding = Literal["json", "binary"]
Key = Union[bytes, str]


class ControlClientError(Exception):
    """Base of everything this module raises."""


class ControlTimeout(ControlClientError, TimeoutError):
    """No reply within the client's timeout. The socket has been replaced; the client is usable."""


class ControlError(ControlClientError):
    """The bridge answered with ``ControlReply.error``."""

    def __init__(self, reply: control_pb2.ControlReply) -> None:
        self.reply = reply
        self.code: int = reply.error.code
        self.message: str = reply.error.message
        self.field: str = reply.error.field
        try:
            self.code_name = control_pb2.ControlErrorCode.Name(self.code)
            """The code's enum name, e.g. ``CONTROL_ERROR_CODE_MALFORMED`` (the number if unknown)."""
        except ValueError:
            self.code_name = str(self.code)
        super().__init__(f"{self.code_name}: {self.message}" + (f" (field {self.field})" if self.field else ""))


class ControlProtocolError(ControlClientError):
    """The reply does not follow the control socket's contract (undecodable, wrong id, wrong
    result kind, unexpected frames)."""


class SnapshotError(ControlProtocolError):
    """A snapshot reply is inconsistent: frame count, topic count, flags or end marker."""


class ReplayError(ControlProtocolError):
    """A replay reply is inconsistent: frame count, topic, flags or sequences."""


@dataclass(frozen=True)
class Snapshot:
    """A snapshot reply (Clone pattern): every topic under the prefix as it stood at the sequence
    in its own header. Apply later updates of a topic only if their sequence is greater."""

    begin: control_pb2.SnapshotBegin
    frames: list[BusFrame]
    end: service_pb2.SnapshotEnd
    end_header: FrameHeader

    def sequences(self) -> dict[str, tuple[int, int]]:
        """topic → (publisher epoch, sequence) of the state sent for it."""
        return {frame.topic: (frame.header.publisher_epoch, frame.header.sequence) for frame in self.frames}


@dataclass(frozen=True)
class Replay:
    """A replay reply: the journal's events for one topic, as originally published plus the
    REPLAY flag, in sequence order."""

    begin: control_pb2.ReplayBegin
    frames: list[BusFrame]


def load_key(path: Union[str, Path]) -> bytes:
    """A Z85 CURVE key from a file ``krakenbridge keygen`` wrote (one 40-character line)."""
    key = Path(path).read_text(encoding="ascii").strip()
    if len(key) != 40:
        raise ValueError(f"{path}: expected a 40-character Z85 key, found {len(key)} characters")
    return key.encode("ascii")


def encode_request(request: control_pb2.ControlRequest, encoding: Encoding) -> bytes:
    """The body of ``request``: canonical JSON (compact) or binary protobuf."""
    if encoding == "json":
        return json.dumps(json_format.MessageToDict(request), separators=(",", ":")).encode()
    return request.SerializeToString()


def decode_reply(raw: bytes, encoding: Optional[Encoding] = None) -> control_pb2.ControlReply:
    """Frame 0 of a reply as a ``ControlReply``. Without ``encoding`` it is guessed: a body that
    starts with ``{`` is JSON (a binary ``ControlReply`` never does). Unknown JSON fields are
    ignored, as unknown binary fields are, so newer bridges stay readable."""
    if encoding is None:
        encoding = "json" if raw.lstrip()[:1] == b"{" else "binary"
    try:
        if encoding == "json":
            return json_format.Parse(raw.decode("utf-8"), control_pb2.ControlReply(), ignore_unknown_fields=True)
        return control_pb2.ControlReply.FromString(raw)
    except (json_format.ParseError, UnicodeDecodeError, DecodeError) as error:
        raise ControlProtocolError(f"reply frame 0 is not a {encoding} ControlReply: {error}") from error


R = TypeVar("R")


@dataclass(frozen=True)
class Command(Generic[R]):
    """One control command: the request to send and how its reply is read (raising the module's
    errors). Shared by :class:`ControlClient` and :class:`krakenbridge.aio.AsyncControlClient`,
    so both send the same bytes and check replies the same way."""

    request: control_pb2.ControlRequest
    read: Callable[[control_pb2.ControlReply, list[bytes]], R]


def selection_command(command: Literal["subscribe", "unsubscribe"], channels: Iterable[str], symbols: Iterable[str],
                      depth: int = 0, interval_minutes: int = 0) -> Command[control_pb2.ControlReply]:
    request = control_pb2.ControlRequest()
    selection = getattr(request, command)
    selection.SetInParent()
    selection.channels.extend(channels)
    selection.symbols.extend(symbols)
    selection.depth = depth
    selection.interval_minutes = interval_minutes
    return Command(request, _single_reply(None))


def add_pair_command(symbol: str) -> Command[control_pb2.ControlReply]:
    request = control_pb2.ControlRequest()
    request.add_pair.symbol = symbol
    request.add_pair.SetInParent()
    return Command(request, _single_reply(None))


def remove_pair_command(symbol: str) -> Command[control_pb2.ControlReply]:
    request = control_pb2.ControlRequest()
    request.remove_pair.symbol = symbol
    request.remove_pair.SetInParent()
    return Command(request, _single_reply(None))


def query_command(name: Literal["list_subscriptions", "diagnostics", "health", "config"]) -> Command[control_pb2.ControlReply]:
    """A command without arguments; its reply's result is ``subscriptions`` for
    ``list_subscriptions``, else the command's own name."""
    request = control_pb2.ControlRequest()
    getattr(request, name).SetInParent()
    return Command(request, _single_reply("subscriptions" if name == "list_subscriptions" else name))


def snapshot_command(prefix: Union[str, bytes] = "") -> Command[Snapshot]:
    """Validates the reply: ``topic_count`` state triples, each flagged SNAPSHOT and under the
    prefix, then the end marker ``[prefix][SNAPSHOT_END header, sequence 0][SnapshotEnd]`` that
    repeats the prefix and the count; raises :class:`SnapshotError` otherwise (and
    ``wire.FrameDecodingError`` subclasses for a state message that does not decode)."""
    prefix_text = _text(prefix)
    request = control_pb2.ControlRequest()
    request.snapshot.topic_prefix = prefix_text
    request.snapshot.SetInParent()

    def read(reply: control_pb2.ControlReply, rest: list[bytes]) -> Snapshot:
        _check_streamed(reply, "snapshot", SnapshotError)
        begin = reply.snapshot
        if begin.topic_prefix != prefix_text:
            raise SnapshotError(f"SnapshotBegin is for prefix {begin.topic_prefix!r}, asked for {prefix_text!r}")
        if len(rest) != 3 * (begin.topic_count + 1):
            raise SnapshotError(f"SnapshotBegin announces {begin.topic_count} topics and an end marker "
                                f"({3 * (begin.topic_count + 1)} frames), reply has {len(rest)} frames after it")
        frames = [decode_frames(rest[i:i + 3]) for i in range(0, 3 * begin.topic_count, 3)]
        for frame in frames:
            if not frame.header.is_snapshot:
                raise SnapshotError(f"{frame.topic}: state without the SNAPSHOT flag")
            if not frame.topic.startswith(prefix_text):
                raise SnapshotError(f"{frame.topic}: not under the prefix {prefix_text!r}")
        if len({frame.topic for frame in frames}) != len(frames):
            raise SnapshotError("a topic is sent more than once")
        end_header, end = _decode_end_marker(rest[-3:], prefix_text)
        if end.topic_count != begin.topic_count:
            raise SnapshotError(f"SnapshotEnd counts {end.topic_count} topics, SnapshotBegin {begin.topic_count}")
        return Snapshot(begin, frames, end, end_header)

    return Command(request, read)


REPLAY_LIMIT = 10_000
"""The most events one replay reply carries (the bridge caps ``max_events`` there)."""
REPLAY_DEFAULT = 1_000
"""What ``max_events=0`` means to the bridge."""


def replay_command(topic: Union[str, bytes], after: int = 0, max_events: int = REPLAY_DEFAULT) -> Command[Replay]:
    """Validates the reply: ``event_count`` triples of that topic, flagged REPLAY, with
    increasing sequences above ``after``; raises :class:`ReplayError` otherwise."""
    topic_text = _text(topic)
    request = control_pb2.ControlRequest()
    request.replay.topic = topic_text
    request.replay.after_sequence = after
    request.replay.max_events = max_events
    request.replay.SetInParent()

    def read(reply: control_pb2.ControlReply, rest: list[bytes]) -> Replay:
        _check_streamed(reply, "replay", ReplayError)
        begin = reply.replay
        if begin.topic != topic_text:
            raise ReplayError(f"ReplayBegin is for topic {begin.topic!r}, asked for {topic_text!r}")
        if len(rest) != 3 * begin.event_count:
            raise ReplayError(f"ReplayBegin announces {begin.event_count} events ({3 * begin.event_count} frames), "
                              f"reply has {len(rest)} frames after it")
        allowed = min(max_events or REPLAY_DEFAULT, REPLAY_LIMIT)  # the bridge's default and cap (docs/control.md)
        if begin.event_count > allowed:
            raise ReplayError(f"{begin.event_count} events, asked for at most {allowed}")
        frames = [decode_frames(rest[i:i + 3]) for i in range(0, len(rest), 3)]
        previous = after
        for frame in frames:
            if frame.topic != topic_text:
                raise ReplayError(f"event of topic {frame.topic!r} in a replay of {topic_text!r}")
            if not frame.header.is_replay:
                raise ReplayError(f"{frame.topic} sequence {frame.header.sequence}: no REPLAY flag")
            if frame.header.sequence <= previous:
                raise ReplayError(f"sequence {frame.header.sequence} follows {previous}")
            previous = frame.header.sequence
        return Replay(begin, frames)

    return Command(request, read)


def check_reply(reply: control_pb2.ControlReply, rest: list[bytes], expect: Optional[str] = None) -> control_pb2.ControlReply:
    """``reply`` if it is a single-frame reply whose result is ``expect`` (a ``ControlReply.result``
    field name; any when None); raises :class:`ControlError` for an error reply and
    :class:`ControlProtocolError` for another result or frames after it."""
    if reply.HasField("error"):
        raise ControlError(reply)
    result = reply.WhichOneof("result")
    if expect is not None and result != expect:
        raise ControlProtocolError(f"expected a {expect} reply, got {result}")
    if rest:
        raise ControlProtocolError(f"{len(rest)} unexpected frames after a {result} reply")
    return reply


def _single_reply(expect: Optional[str]) -> Callable[[control_pb2.ControlReply, list[bytes]], control_pb2.ControlReply]:
    return lambda reply, rest: check_reply(reply, rest, expect)


def _check_streamed(reply: control_pb2.ControlReply, kind: str, mismatch: type[ControlProtocolError]) -> None:
    """An error reply raises :class:`ControlError`, another result than ``kind`` ``mismatch``."""
    if reply.HasField("error"):
        raise ControlError(reply)
    if reply.WhichOneof("result") != kind:
        raise mismatch(f"expected a {kind} reply, got {reply.WhichOneof('result')}")


class ControlClientBase:
    """What the sync and the asyncio clients share: settings, CURVE keys, request ids, and
    encoding requests / checking replies."""

    def __init__(self, endpoint: str, *, encoding: Encoding = "json", timeout_ms: int = 5000,
                 server_key: Optional[Key] = None, public_key: Optional[Key] = None,
                 secret_key: Optional[Key] = None) -> None:
        if encoding not in ("json", "binary"):
            raise ValueError(f"encoding must be 'json' or 'binary', not {encoding!r}")
        if server_key is not None and (public_key is None or secret_key is None):
            raise ValueError("CURVE needs server_key, public_key and secret_key together")
        self.endpoint = endpoint
        self.encoding: Encoding = encoding
        self.timeout_ms = timeout_ms
        self._curve: Optional[tuple[bytes, bytes, bytes]] = None
        if server_key is not None and public_key is not None and secret_key is not None:
            self._curve = (_key_bytes(server_key), _key_bytes(public_key), _key_bytes(secret_key))
        self._ids = itertools.count(1)

    def _configure(self, socket: "zmq.Socket[Any]") -> None:
        socket.setsockopt(zmq.LINGER, 0)
        socket.setsockopt(zmq.SNDTIMEO, self.timeout_ms)
        if self._curve is not None:
            socket.curve_serverkey, socket.curve_publickey, socket.curve_secretkey = self._curve
        socket.connect(self.endpoint)

    def _body(self, request: control_pb2.ControlRequest) -> bytes:
        """Gives ``request`` the next id if its id is 0; its body in this client's encoding."""
        if request.id == 0:
            request.id = next(self._ids)
        return encode_request(request, self.encoding)

    def _reply(self, request: control_pb2.ControlRequest,
               frames: list[bytes]) -> tuple[control_pb2.ControlReply, list[bytes]]:
        """Decodes frame 0 and checks the id echo (an error reply may carry id 0 when the bridge
        could not read the request's id)."""
        reply = decode_reply(frames[0], self.encoding)
        if reply.id != request.id and not (reply.HasField("error") and reply.id == 0):
            raise ControlProtocolError(f"reply id {reply.id} does not echo request id {request.id}")
        return reply, frames[1:]


class ControlClient(ControlClientBase):
    """A REQ client for the control socket. Every command method sends one request and returns
    the decoded ``ControlReply`` (raising :class:`ControlError` if it is an error). Not
    thread-safe: use one client per thread. (:class:`krakenbridge.aio.AsyncControlClient` has
    the same commands for asyncio.)

    CURVE: give the server's public key and this client's key pair (Z85, e.g. via
    :func:`load_key`); without ``server_key`` the connection is plain.
    """

    def __init__(self, endpoint: str, *, encoding: Encoding = "json", timeout_ms: int = 5000,
                 server_key: Optional[Key] = None, public_key: Optional[Key] = None,
                 secret_key: Optional[Key] = None, context: Optional["zmq.Context[Any]"] = None) -> None:
        super().__init__(endpoint, encoding=encoding, timeout_ms=timeout_ms, server_key=server_key,
                         public_key=public_key, secret_key=secret_key)
        self.context: zmq.Context[Any] = context or zmq.Context.instance()
        self.socket = self._connect()

    def _connect(self) -> "zmq.Socket[Any]":
        socket: zmq.Socket[Any] = self.context.socket(zmq.REQ)
        self._configure(socket)
        return socket

    def _reconnect(self) -> None:
        self.socket.close(0)
        self.socket = self._connect()

    # -- raw exchange ------------------------------------------------------------------------

    def send_raw(self, body: bytes) -> list[bytes]:
        """Sends ``body`` as the request's only frame and returns every frame of the reply,
        undecoded (for tests that send malformed requests; see :func:`decode_reply`)."""
        try:
            self.socket.send(body)
        except zmq.Again:
            self._reconnect()
            raise ControlTimeout(f"could not send to {self.endpoint} within {self.timeout_ms} ms") from None
        if not self.socket.poll(self.timeout_ms, zmq.POLLIN):
            self._reconnect()
            raise ControlTimeout(f"no reply from {self.endpoint} within {self.timeout_ms} ms")
        return [bytes(frame) for frame in self.socket.recv_multipart()]

    def request(self, request: control_pb2.ControlRequest) -> tuple[control_pb2.ControlReply, list[bytes]]:
        """Sends ``request`` (given the next id if its id is 0) and returns the reply — an error
        reply too, without raising — and the frames after frame 0. Checks the id echo (an error
        reply may carry id 0 when the bridge could not read the request's id)."""
        body = self._body(request)
        return self._reply(request, self.send_raw(body))

    def call(self, request: control_pb2.ControlRequest, expect: Optional[str] = None) -> control_pb2.ControlReply:
        """Sends ``request``; returns its single-frame reply, raising :class:`ControlError` for an
        error reply and :class:`ControlProtocolError` if the result is not ``expect`` (a
        ``ControlReply.result`` field name) or frames follow."""
        return check_reply(*self.request(request), expect)

    def run(self, command: Command[R]) -> R:
        """Sends ``command``'s request and reads its reply."""
        return command.read(*self.request(command.request))

    # -- commands -----------------------------------------------------------------------------

    def subscribe(self, channels: Iterable[str], symbols: Iterable[str] = (), *, depth: int = 0,
                  interval_minutes: int = 0) -> control_pb2.ControlReply:
        """Subscribes Kraken channels (book, trade, ticker, ohlc, ...) for symbols."""
        return self.run(selection_command("subscribe", channels, symbols, depth, interval_minutes))

    def unsubscribe(self, channels: Iterable[str], symbols: Iterable[str] = (), *, depth: int = 0,
                    interval_minutes: int = 0) -> control_pb2.ControlReply:
        """Ends subscriptions made with :meth:`subscribe` (or at start)."""
        return self.run(selection_command("unsubscribe", channels, symbols, depth, interval_minutes))

    def add_pair(self, symbol: str) -> control_pb2.ControlReply:
        """Adds a pair with the bridge's default channels."""
        return self.run(add_pair_command(symbol))

    def remove_pair(self, symbol: str) -> control_pb2.ControlReply:
        """Removes a pair and every subscription of it."""
        return self.run(remove_pair_command(symbol))

    def list_subscriptions(self) -> control_pb2.ControlReply:
        """The bridge's subscriptions (``reply.subscriptions.subscriptions``)."""
        return self.run(query_command("list_subscriptions"))

    def diagnostics(self) -> control_pb2.ControlReply:
        """Connections, rates, latency and counters (``reply.diagnostics``)."""
        return self.run(query_command("diagnostics"))

    def health(self) -> control_pb2.ControlReply:
        """``reply.health.healthy`` and the problems if not."""
        return self.run(query_command("health"))

    def config(self) -> control_pb2.ControlReply:
        """The effective configuration as JSON with secrets redacted (``reply.config.json``)."""
        return self.run(query_command("config"))

    def snapshot(self, prefix: Union[str, bytes] = "") -> Snapshot:
        """The state of every topic starting with ``prefix`` (Clone pattern); see
        :func:`snapshot_command` for what is checked."""
        return self.run(snapshot_command(prefix))

    def replay(self, topic: Union[str, bytes], after: int = 0, max_events: int = REPLAY_DEFAULT) -> Replay:
        """The journal's events of ``topic`` (``exec:``, ``fill:``, ``balance:``) with a sequence
        greater than ``after``, at most ``max_events``; see :func:`replay_command`."""
        return self.run(replay_command(topic, after, max_events))

    # -- lifetime -----------------------------------------------------------------------------

    def close(self) -> None:
        self.socket.close(0)

    def __enter__(self) -> "ControlClient":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _text(value: Union[str, bytes]) -> str:
    return value.decode("ascii") if isinstance(value, bytes) else value


def _key_bytes(key: Key) -> bytes:
    return key.encode("ascii") if isinstance(key, str) else key


def _decode_end_marker(frames: list[bytes], prefix: str) -> tuple[FrameHeader, service_pb2.SnapshotEnd]:
    """The snapshot's last triple. Its topic frame is the requested prefix itself, which need not
    be a valid topic (``""``, ``book:BTC/USD``), so it is compared rather than decoded."""
    topic, raw_header, payload = frames
    if topic != prefix.encode("ascii"):
        raise SnapshotError(f"end marker topic {topic!r} is not the prefix {prefix!r}")
    try:
        header = decode_header(raw_header)
    except ValueError as error:
        raise SnapshotError(f"end marker header: {error}") from error
    if header.message_type != frame_pb2.MESSAGE_TYPE_SNAPSHOT_END:
        raise SnapshotError(f"end marker has message type {header.type_name}, not MESSAGE_TYPE_SNAPSHOT_END")
    if header.sequence != 0:
        raise SnapshotError(f"end marker has sequence {header.sequence}, not 0")
    if header.payload_length != len(payload):
        raise SnapshotError(f"end marker header says {header.payload_length} payload bytes, frame has {len(payload)}")
    try:
        end = service_pb2.SnapshotEnd.FromString(payload)
    except DecodeError as error:
        raise SnapshotError(f"end marker payload is not a SnapshotEnd: {error}") from error
    if end.prefix != prefix:
        raise SnapshotError(f"SnapshotEnd is for prefix {end.prefix!r}, asked for {prefix!r}")
    return header, end
