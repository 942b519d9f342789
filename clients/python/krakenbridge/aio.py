"""asyncio clients: a subscriber that recovers from gaps by itself, and the control client.

::

    async with AsyncSubscriber(market, [b"book:", b"trade:"], control=control_endpoint,
                               liveness_timeout=5) as sub:
        async for frame in sub:        # never ends on a quiet market
            books.apply(frame)         # krakenbridge.book.Books

**Receiving.** One awaited poll per wake-up, then everything already queued is read without
waiting (``NOBLOCK``, at most ``batch_limit`` messages) and decoded; the subscriber then lets the
event loop run other tasks before it reads the next batch. Awaiting pyzmq's asyncio socket once
per message is about five times slower (``benchmarks/consumer_throughput.py``).

**Sequences** are checked as :class:`~krakenbridge.sequence.SequenceTracker` does (per topic,
per publisher epoch; journaled private topics continue their numbering across restarts). One rule
is added: a market topic whose first message in a new publisher epoch is not its first sequence
has a gap too (the restarted bridge's first messages went out before this socket reconnected).

**Recovery** (with a control endpoint; ``recover=False`` only records gaps):

- a gap on a market topic (``book:``, ``trade:``, ``ticker:``, ``hb:``, ...) is repaired with a
  snapshot of that topic through the control socket (the Clone pattern): its state is delivered
  (flag SNAPSHOT; for a book the whole ``BookSnapshot``, which replaces the book), and queued
  messages the state already reflects are dropped;
- a gap on a journaled private topic (``exec:``, ``fill:``, ``balance:``) is filled from the
  bridge's journal with the control socket's replay: the missing events are delivered (flag
  REPLAY) in order, before the message that revealed the gap, each exactly once.

Each gap is reported to ``on_gap`` with what was done (:class:`Recovery`). A recovery that fails
(the bridge does not answer the control request) raises :class:`RecoveryFailed` once from the
iteration; iterating again goes on with the live messages.

**Joining.** With a control endpoint the subscriber first subscribes, then takes a snapshot of
each subscribed prefix and delivers those states before the live messages newer than them (like
:class:`krakenbridge.clone.LateJoiner`); ``resume={"exec:": 41}`` replays a journaled topic's
events after a sequence the consumer already holds, then goes on live without duplicates.

**Timeouts** are opt-in. ``idle_timeout`` ends the iteration when no message arrives for that
long; ``liveness_timeout`` raises :class:`LivenessTimeout` when nothing at all — no message, no
topic heartbeat, no ``hb:`` service heartbeat — arrived for that long: the bridge is stopped,
hung or unreachable. On a market endpoint the subscriber listens to ``hb:`` for that (without
delivering it unless asked to); on the account endpoint it relies on the private topics' idle
heartbeats, which the bridge sends once a topic has carried an event.

**Cancellation.** Cancelling a task that iterates, or closing the subscriber, leaves nothing
behind: no thread is ever started, pending socket futures are cancelled, and :meth:`close`
closes the sockets (linger 0), including a control client the subscriber made itself.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Optional, TypeVar, Union

import zmq
import zmq.asyncio

from krakenbridge.control import (REPLAY_DEFAULT, REPLAY_LIMIT, Command, ControlClientBase, ControlTimeout, Encoding,
                                  Key, Replay, Snapshot, add_pair_command, check_reply, query_command,
                                  remove_pair_command, replay_command, selection_command, snapshot_command)
from krakenbridge.sequence import JOURNALED_TOPICS, Gap, SequenceTracker
from krakenbridge.v1 import control_pb2
from krakenbridge.wire import BusFrame, decode_frames

R = TypeVar("R")

DEFAULT_BATCH_LIMIT = 64
"""Messages read per wake-up at most before other tasks get the loop (about 0.3 ms of reading and
decoding). Measured (``benchmarks/consumer_throughput.py``, a full queue): 1 → 126 k frames/s,
16 → 193 k, 64 → 201 k, 256 → 193 k, 1024 → 185 k; larger batches only hold the loop longer."""

SERVICE_HEARTBEAT = "hb:"


class AsyncControlClient(ControlClientBase):
    """The control socket from asyncio: the same commands, requests and checks as
    :class:`krakenbridge.control.ControlClient`, awaited. One request at a time (concurrent
    callers queue on a lock). A request that times out or is cancelled replaces the REQ socket,
    so the client stays usable (the Lazy Pirate pattern)."""

    def __init__(self, endpoint: str, *, encoding: Encoding = "json", timeout_ms: int = 5000,
                 server_key: Optional[Key] = None, public_key: Optional[Key] = None,
                 secret_key: Optional[Key] = None, context: Optional[zmq.asyncio.Context] = None) -> None:
        super().__init__(endpoint, encoding=encoding, timeout_ms=timeout_ms, server_key=server_key,
                         public_key=public_key, secret_key=secret_key)
        self.context = context or zmq.asyncio.Context.instance()
        self.socket = self._connect()
        self._lock: Optional[asyncio.Lock] = None

    def _connect(self) -> zmq.asyncio.Socket:
        socket = self.context.socket(zmq.REQ)
        self._configure(socket)
        return socket

    def _reconnect(self) -> None:
        self.socket.close(0)
        self.socket = self._connect()

    # -- raw exchange ------------------------------------------------------------------------

    async def send_raw(self, body: bytes) -> list[bytes]:
        """Sends ``body`` as the request's only frame and returns every frame of the reply,
        undecoded."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            try:
                try:
                    await self.socket.send(body)
                except zmq.Again:
                    raise ControlTimeout(f"could not send to {self.endpoint} within {self.timeout_ms} ms") from None
                if not await self.socket.poll(self.timeout_ms):
                    raise ControlTimeout(f"no reply from {self.endpoint} within {self.timeout_ms} ms")
                frames = await self.socket.recv_multipart()
            except BaseException:
                # Timed out, cancelled, or the socket failed: a REQ socket waiting for a reply
                # cannot send again, so start over with a fresh one.
                if not self.socket.closed:
                    self._reconnect()
                raise
            return [bytes(frame) for frame in frames]

    async def request(self, request: control_pb2.ControlRequest) -> tuple[control_pb2.ControlReply, list[bytes]]:
        """Sends ``request`` (given the next id if its id is 0) and returns the reply — an error
        reply too, without raising — and the frames after frame 0."""
        body = self._body(request)
        return self._reply(request, await self.send_raw(body))

    async def call(self, request: control_pb2.ControlRequest, expect: Optional[str] = None) -> control_pb2.ControlReply:
        """Sends ``request``; returns its single-frame reply (see ``ControlClient.call``)."""
        return check_reply(*(await self.request(request)), expect)

    async def run(self, command: Command[R]) -> R:
        """Sends ``command``'s request and reads its reply."""
        return command.read(*(await self.request(command.request)))

    # -- commands -----------------------------------------------------------------------------

    async def subscribe(self, channels: Iterable[str], symbols: Iterable[str] = (), *, depth: int = 0,
                        interval_minutes: int = 0) -> control_pb2.ControlReply:
        """Subscribes Kraken channels (book, trade, ticker, ohlc, ...) for symbols."""
        return await self.run(selection_command("subscribe", channels, symbols, depth, interval_minutes))

    async def unsubscribe(self, channels: Iterable[str], symbols: Iterable[str] = (), *, depth: int = 0,
                          interval_minutes: int = 0) -> control_pb2.ControlReply:
        """Ends subscriptions made with :meth:`subscribe` (or at start)."""
        return await self.run(selection_command("unsubscribe", channels, symbols, depth, interval_minutes))

    async def add_pair(self, symbol: str) -> control_pb2.ControlReply:
        """Adds a pair with the bridge's default channels."""
        return await self.run(add_pair_command(symbol))

    async def remove_pair(self, symbol: str) -> control_pb2.ControlReply:
        """Removes a pair and every subscription of it."""
        return await self.run(remove_pair_command(symbol))

    async def list_subscriptions(self) -> control_pb2.ControlReply:
        """The bridge's subscriptions (``reply.subscriptions.subscriptions``)."""
        return await self.run(query_command("list_subscriptions"))

    async def diagnostics(self) -> control_pb2.ControlReply:
        """Connections, rates, latency and counters (``reply.diagnostics``)."""
        return await self.run(query_command("diagnostics"))

    async def health(self) -> control_pb2.ControlReply:
        """``reply.health.healthy`` and the problems if not."""
        return await self.run(query_command("health"))

    async def config(self) -> control_pb2.ControlReply:
        """The effective configuration as JSON with secrets redacted (``reply.config.json``)."""
        return await self.run(query_command("config"))

    async def snapshot(self, prefix: Union[str, bytes] = "") -> Snapshot:
        """The state of every topic starting with ``prefix`` (Clone pattern)."""
        return await self.run(snapshot_command(prefix))

    async def replay(self, topic: Union[str, bytes], after: int = 0, max_events: int = REPLAY_DEFAULT) -> Replay:
        """The journal's events of ``topic`` with a sequence greater than ``after``, at most
        ``max_events``."""
        return await self.run(replay_command(topic, after, max_events))

    async def replay_all(self, topic: Union[str, bytes], after: int = 0,
                         through: Optional[int] = None) -> tuple[list[BusFrame], int]:
        """Every journaled event of ``topic`` after ``after`` (up to ``through`` inclusive when
        given), over as many replay requests as it takes; returns the events and how many
        sequences in that range the journal no longer held (lost to retention)."""
        events: list[BusFrame] = []
        lost = 0
        position = after
        while through is None or position < through:
            wanted = REPLAY_LIMIT if through is None else min(through - position, REPLAY_LIMIT)
            replay = await self.replay(topic, position, wanted)
            kept = [f for f in replay.frames if through is None or f.header.sequence <= through]
            for frame in kept:
                lost += frame.header.sequence - position - 1  # retention dropped the ones before
                position = frame.header.sequence
            events.extend(kept)
            if len(replay.frames) < wanted or not kept:
                break
        if through is not None and position < through:
            lost += through - position  # the journal ends before what the bus has shown
        return events, lost

    # -- lifetime -----------------------------------------------------------------------------

    def close(self) -> None:
        self.socket.close(0)

    async def __aenter__(self) -> "AsyncControlClient":
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self.close()


class LivenessTimeout(TimeoutError):
    """Nothing arrived — no message, no topic heartbeat, no service heartbeat — for
    ``seconds``: the bridge is stopped, hung, or unreachable."""

    def __init__(self, endpoints: Sequence[str], seconds: float) -> None:
        self.endpoints = list(endpoints)
        self.seconds = seconds
        super().__init__(f"no message and no heartbeat from {', '.join(endpoints)} for {seconds:g} s")


class RecoveryFailed(Exception):
    """A gap could not be repaired: the control request failed. The gap stays recorded, the
    message that revealed it is delivered next, and iterating again goes on live."""

    def __init__(self, recovery: "Recovery", cause: BaseException) -> None:
        self.recovery = recovery
        self.gap = recovery.gap
        super().__init__(f"{recovery.method} for the gap on {recovery.gap.topic} "
                         f"(expected {recovery.gap.expected}, received {recovery.gap.received}) failed: {cause}")


@dataclass(frozen=True)
class Recovery:
    """What the subscriber did about one gap (given to ``on_gap``, kept in ``recoveries``)."""

    gap: Gap
    method: Literal["snapshot", "replay", "none"]
    """``snapshot`` for a market topic, ``replay`` for a journaled one, ``none`` when the
    subscriber has no control endpoint or ``recover=False``."""
    frames: int = 0
    """States (snapshot) or events (replay) delivered to repair the gap."""
    lost: int = 0
    """Replay: events in the gap that the journal no longer held (retention); they are gone."""
    error: Optional[BaseException] = None
    """Why the recovery failed (then :class:`RecoveryFailed` was raised too)."""


@dataclass
class _Pending:
    """A gap waiting for its recovery: the message that revealed it and the last sequence held
    before it."""

    frame: BusFrame
    gap: Gap
    held: int


class AsyncSubscriber:
    """A SUB socket on one or more bus endpoints (market and account may share one subscriber),
    decoding, sequence-checking and — with a control endpoint — repairing gaps by itself. See
    the module's documentation for the behaviour; ``async for frame in sub`` yields
    :class:`~krakenbridge.wire.BusFrame` objects.

    - ``endpoints``: one endpoint or several (market and account may share one subscriber);
      ``topics``: the prefixes to subscribe to (default: everything).
    - ``control``: an :class:`AsyncControlClient` (yours: not closed by the subscriber) or an
      endpoint (the subscriber makes a client with the same CURVE keys and closes it). Without
      it gaps are only recorded.
    - ``recover``: repair gaps (default); ``synchronise``: join with a snapshot of each prefix
      (default, with a control endpoint); ``resume``: journaled topic → the last sequence the
      consumer holds, replayed from there first; ``join_wait``: how long joining waits for a
      first message before the snapshot.
    - ``idle_timeout`` / ``liveness_timeout`` (seconds, None: off): see the module.
    - ``on_gap``: called with each :class:`Recovery`; ``batch_limit``: messages read per
      wake-up at most; ``receive_hwm``: the SUB queue's high-water mark (0: unlimited).
    - ``server_key``, ``public_key``, ``secret_key``: CURVE (Z85), all three or none.

    ``with`` closes it on the way out (joining on the first receive); ``async with`` also joins
    on the way in.
    """

    def __init__(self, endpoints: Union[str, Sequence[str]], topics: Iterable[Union[bytes, str]] = (b"",), *,
                 control: Union[AsyncControlClient, str, None] = None, recover: bool = True,
                 synchronise: bool = True, resume: Optional[Mapping[str, int]] = None,
                 idle_timeout: Optional[float] = None, liveness_timeout: Optional[float] = None,
                 on_gap: Optional[Callable[[Recovery], object]] = None, batch_limit: int = DEFAULT_BATCH_LIMIT,
                 join_wait: float = 2.0, receive_hwm: int = 50_000, server_key: Optional[Key] = None,
                 public_key: Optional[Key] = None, secret_key: Optional[Key] = None,
                 context: Optional[zmq.asyncio.Context] = None) -> None:
        if batch_limit < 1:
            raise ValueError("batch_limit must be at least 1")
        self.endpoints = [endpoints] if isinstance(endpoints, str) else list(endpoints)
        self.prefixes = [p.decode("ascii") if isinstance(p, bytes) else p for p in topics]
        self.recover = recover
        self.idle_timeout = idle_timeout
        self.liveness_timeout = liveness_timeout
        self.on_gap = on_gap
        self.batch_limit = batch_limit
        self.tracker = SequenceTracker()
        self.recoveries: list[Recovery] = []
        self.discarded = 0
        """Messages dropped because a snapshot or replay already delivered what they carry."""
        self.context = context or zmq.asyncio.Context.instance()
        self._owns_control = isinstance(control, str)
        if isinstance(control, str):
            self.control: Optional[AsyncControlClient] = AsyncControlClient(
                control, server_key=server_key, public_key=public_key, secret_key=secret_key, context=self.context)
        else:
            self.control = control
        # Private topics are not in snapshots: a prefix under one of them is replayed instead.
        self._snapshot_prefixes = [p for p in self.prefixes if not any(p.startswith(t) for t in JOURNALED_TOPICS)] \
            if synchronise and self.control is not None else []
        self._resume = dict(resume or {})
        for topic in self._resume:
            if topic not in JOURNALED_TOPICS:
                raise ValueError(f"resume: {topic!r} is not a journaled topic ({', '.join(sorted(JOURNALED_TOPICS))})")
        if self._resume and self.control is None:
            raise ValueError("resume needs a control endpoint")
        self.join_wait = join_wait
        # hb: for liveness, and as the first message that shows the subscriptions are in place
        # before a snapshot; not delivered unless a prefix asks for it.
        self._hidden_heartbeats = (liveness_timeout is not None or bool(self._snapshot_prefixes)) and not any(
            SERVICE_HEARTBEAT.startswith(p) for p in self.prefixes)

        self.socket: zmq.asyncio.Socket = self.context.socket(zmq.SUB)
        try:
            self.socket.setsockopt(zmq.LINGER, 0)
            self.socket.setsockopt(zmq.RCVHWM, receive_hwm)
            self.socket.setsockopt(zmq.HEARTBEAT_IVL, 1000)
            self.socket.setsockopt(zmq.HEARTBEAT_TIMEOUT, 3000)
            if server_key is not None:
                if public_key is None or secret_key is None:
                    raise ValueError("CURVE needs server_key, public_key and secret_key together")
                self.socket.curve_serverkey = _key(server_key)
                self.socket.curve_publickey = _key(public_key)
                self.socket.curve_secretkey = _key(secret_key)
            for prefix in self.prefixes:
                self.socket.setsockopt(zmq.SUBSCRIBE, prefix.encode("ascii"))
            if self._hidden_heartbeats:
                self.socket.setsockopt(zmq.SUBSCRIBE, SERVICE_HEARTBEAT.encode("ascii"))
            for endpoint in self.endpoints:
                self.socket.connect(endpoint)
        except BaseException:
            self.close()
            raise
        # The same socket through the blocking API, for reads that never wait (one Python call
        # per message instead of a Future each).
        self._drainer: zmq.Socket[bytes] = zmq.Socket.shadow(self.socket.underlying)

        self._ready: deque[BusFrame] = deque()
        self._gaps: deque[_Pending] = deque()
        self._held: dict[str, tuple[int, int]] = {}
        """topic → (epoch, sequence) a snapshot or replay delivered: older messages are dropped."""
        self._failure: Optional[RecoveryFailed] = None
        self._started = not (self._snapshot_prefixes or self._resume)
        self._yield_before_draining = False
        self._last_heard: Optional[float] = None
        self.closed = False

    # -- receiving ----------------------------------------------------------------------------

    async def receive(self, timeout: Optional[float] = None) -> Optional[BusFrame]:
        """The next frame; None when none arrived within ``timeout`` seconds (None: wait as long
        as it takes) or the subscriber was closed. Raises :class:`LivenessTimeout` and
        :class:`RecoveryFailed` as described in the module's documentation."""
        if not self._ready and not await self._fill(timeout):
            return None
        return self._ready.popleft()

    async def batch(self, timeout: Optional[float] = None) -> list[BusFrame]:
        """Every frame ready now, at least one (waiting as :meth:`receive` does); empty when
        none arrived within ``timeout`` or the subscriber was closed."""
        if not self._ready and not await self._fill(timeout):
            return []
        frames = list(self._ready)
        self._ready.clear()
        return frames

    def __aiter__(self) -> AsyncIterator[BusFrame]:
        return self

    async def __anext__(self) -> BusFrame:
        if not self._ready and not await self._fill(self.idle_timeout):
            raise StopAsyncIteration
        return self._ready.popleft()

    @property
    def gaps(self) -> list[Gap]:
        """Every gap seen (also those repaired)."""
        return self.tracker.gaps

    async def start(self) -> None:
        """Joins: the snapshot of each subscribed prefix and the ``resume`` replays (done by the
        first receive otherwise)."""
        if self._started:
            return
        control = self.control
        assert control is not None
        states: dict[str, BusFrame] = {}
        if self._snapshot_prefixes:
            # A snapshot is only good if the subscriptions already reach the publisher (what it
            # publishes before that is lost and would show as a gap, repaired by one more
            # snapshot). The first message proves it; it stays queued, to be read after the
            # snapshot. A quiet bus costs ``join_wait``. (A replay needs no such wait: what the
            # race loses comes back by the next replay, exactly once.)
            await self.socket.poll(int(self.join_wait * 1000))
            for prefix in self._snapshot_prefixes:
                for frame in (await control.snapshot(prefix)).frames:
                    states.setdefault(frame.topic, frame)
        replayed: list[BusFrame] = []
        for topic, after in self._resume.items():
            events, lost = await control.replay_all(topic, after)
            replayed.extend(events)
            last = events[-1].header if events else None
            # Epoch 0 is older than any run: the next live event continues from this sequence.
            self._hold(topic, last.publisher_epoch if last else 0, last.sequence if last else after)
        for frame in states.values():
            self._hold(frame.topic, frame.header.publisher_epoch, frame.header.sequence)
        self._ready.extend(states.values())
        self._ready.extend(replayed)
        self._started = True

    async def _fill(self, timeout: Optional[float]) -> bool:
        """Reads until a frame is ready; False on timeout or when closed."""
        if self.closed:
            return False
        if not self._started:
            await self.start()
        loop = asyncio.get_running_loop()
        now = loop.time()
        if self._last_heard is None:
            self._last_heard = now
        deadline = None if timeout is None else now + timeout
        while not self._ready:
            if self._gaps:
                await self._repair(self._gaps[0])
                self._gaps.popleft()
                if self._failure is not None:
                    failure, self._failure = self._failure, None
                    raise failure
                continue
            if self._yield_before_draining:
                # A batch was just read without waiting: let other tasks run before the next.
                self._yield_before_draining = False
                await asyncio.sleep(0)
                if self.closed:
                    return False
            if self._drain():
                self._last_heard = loop.time()
                self._yield_before_draining = True
                continue
            now = loop.time()
            waits = []
            if deadline is not None:
                waits.append(deadline - now)
            if self.liveness_timeout is not None:
                silent_until = self._last_heard + self.liveness_timeout
                if now >= silent_until:
                    raise LivenessTimeout(self.endpoints, self.liveness_timeout)
                waits.append(silent_until - now)
            if deadline is not None and now >= deadline:
                return False
            try:
                await self.socket.poll(-1 if not waits else max(1, int(min(waits) * 1000 + 0.999)))
            except asyncio.CancelledError:
                if self.closed and not _cancelling():
                    return False  # closed by another task: pyzmq cancelled the poll
                raise
            if self.closed:
                return False
        return True

    def _drain(self) -> int:
        """Reads what is queued, up to ``batch_limit`` messages, without waiting; stops early at
        a gap that has to be repaired first. Returns how many messages were read."""
        receive = self._drainer.recv_multipart
        accept = self._accept
        received = 0
        try:
            for _ in range(self.batch_limit):
                parts = receive(zmq.NOBLOCK)
                received += 1
                if not accept(parts):
                    break
        except zmq.Again:
            pass
        return received

    def _accept(self, parts: list[bytes]) -> bool:
        """Decodes, filters and tracks one message; False when it revealed a gap to repair."""
        frame = decode_frames(parts)
        topic = frame.topic
        if self._hidden_heartbeats and topic == SERVICE_HEARTBEAT:
            return True
        if self._held:
            held = self._held.get(topic)
            if held is not None:
                if _reflected(frame, held):
                    self.discarded += 1
                    return True
                del self._held[topic]  # past the state: later messages are newer still
        tracker = self.tracker
        previous = tracker.last.get(topic)
        gap = tracker.observe(frame)
        if gap is None and previous is not None and previous[0] < frame.header.publisher_epoch \
                and topic not in JOURNALED_TOPICS:
            first = 0 if frame.header.is_heartbeat else 1
            if frame.header.sequence > first:
                gap = Gap(topic, first, frame.header.sequence)
                tracker.gaps.append(gap)
                previous = (frame.header.publisher_epoch, 0)
        if gap is None:
            self._ready.append(frame)
            return True
        if self.control is None or not self.recover:
            self._report(Recovery(gap, "none"))
            self._ready.append(frame)
            return True
        held_before = previous[1] if previous is not None else 0
        self._gaps.append(_Pending(frame, gap, held_before))
        return False

    async def _repair(self, pending: _Pending) -> None:
        """Repairs one gap, then delivers the message that revealed it unless the repair
        already holds it."""
        control = self.control
        assert control is not None
        frame, gap = pending.frame, pending.gap
        topic = frame.topic
        if topic in JOURNALED_TOPICS:
            # Data message R: the events after the last held, up to R - 1; a heartbeat at R
            # says R itself went out, so up to R.
            through = frame.header.sequence - (0 if frame.header.is_heartbeat else 1)
            try:
                events, lost = await control.replay_all(topic, pending.held, through)
            except (ControlTimeout, zmq.ZMQError) as error:
                self._fail(Recovery(gap, "replay", error=error), frame, error)
                return
            self._ready.extend(events)
            self._ready.append(frame)
            self._report(Recovery(gap, "replay", frames=len(events), lost=lost))
            return
        try:
            snapshot = await control.snapshot(topic)
        except (ControlTimeout, zmq.ZMQError) as error:
            self._fail(Recovery(gap, "snapshot", error=error), frame, error)
            return
        states = [state for state in snapshot.frames if state.topic == topic]
        for state in states:
            epoch, sequence = state.header.publisher_epoch, state.header.sequence
            self._hold(topic, epoch, sequence)
            self._ready.append(state)
        held = self._held.get(topic)
        if held is None or not _reflected(frame, held):
            self._held.pop(topic, None)
            self._ready.append(frame)
        else:
            self.discarded += 1
        self._report(Recovery(gap, "snapshot", frames=len(states)))

    def _hold(self, topic: str, epoch: int, sequence: int) -> None:
        self._held[topic] = (epoch, sequence)
        self.tracker.last[topic] = (epoch, sequence)

    def _fail(self, recovery: Recovery, frame: BusFrame, error: BaseException) -> None:
        self._ready.append(frame)
        self._report(recovery)
        self._failure = RecoveryFailed(recovery, error)

    def _report(self, recovery: Recovery) -> None:
        self.recoveries.append(recovery)
        if self.on_gap is not None:
            self.on_gap(recovery)

    # -- lifetime -----------------------------------------------------------------------------

    def close(self) -> None:
        """Closes the socket (and a control client the subscriber made). A task waiting in
        :meth:`receive` or ``async for`` sees the end of the frames."""
        self.closed = True
        if not self.socket.closed:
            self.socket.close(0)
        if self._owns_control and self.control is not None:
            self.control.close()

    async def aclose(self) -> None:
        self.close()

    def __enter__(self) -> "AsyncSubscriber":
        """``with`` closes the subscriber on the way out without joining on the way in (the first
        receive joins); ``async with`` joins at once."""
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    async def __aenter__(self) -> "AsyncSubscriber":
        try:
            await self.start()
        except BaseException:
            self.close()
            raise
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self.close()


def _reflected(frame: BusFrame, held: tuple[int, int]) -> bool:
    """A snapshot or replay already delivered what ``frame`` carries: on a journaled topic its
    sequence is at most the held one (numbering continues across runs); on a market topic it is
    from an earlier run of the bridge (epochs are start times, so they order) or from the same
    run at most at the held sequence (a heartbeat there tells nothing new either)."""
    epoch, sequence = held
    header = frame.header
    if frame.topic in JOURNALED_TOPICS:
        return header.sequence <= sequence
    if header.publisher_epoch != epoch:
        return header.publisher_epoch < epoch
    return header.sequence <= sequence


def _key(key: Key) -> bytes:
    return key.encode("ascii") if isinstance(key, str) else key


def _cancelling() -> bool:
    """Whether the current task was asked to stop (Python 3.11+; earlier: assume so)."""
    task = asyncio.current_task()
    cancelling: Any = getattr(task, "cancelling", None)
    return task is None or cancelling is None or bool(cancelling())


__all__ = ["AsyncControlClient", "AsyncSubscriber", "LivenessTimeout", "Recovery", "RecoveryFailed",
           "DEFAULT_BATCH_LIMIT"]
