"""The adapter as a whole: frames in, Gal-Friday events out on the PubSubManager, and what the
translator asks for fetched over the bridge's control socket.

::

    adapter = BridgeAdapter(GalFridayPublisher(pubsub), recovery=ControlClient(control_endpoint))
    await adapter.consume(frames)            # any async iterable of BusFrame, or per frame:
    events = await adapter.feed(frame)       # translated, repaired, published; returned too
    events = adapter.handle(frame)           # synchronous: translated and repaired, not published

Frames must come in the order received, and the next frame must not be translated while one is
being repaired (:meth:`feed` and :meth:`handle` return only when it is; ZeroMQ queues what
arrives meanwhile). That is what makes a snapshot or replay line up with the live stream.

Fed by :class:`krakenbridge.aio.AsyncSubscriber` with a control endpoint, leave ``recovery``
out: that subscriber joins with snapshots and repairs gaps before it delivers the frame that
revealed them, so the translator sees a stream without holes (what the journal no longer has
still shows as a hole, and is reported lost)::

    async with AsyncSubscriber([market, account], ["book:", "trade:", "ohlc:", "exec:", "status:"],
                               control=control_endpoint) as frames:
        await BridgeAdapter(GalFridayPublisher(pubsub)).consume(frames)
"""

from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterable, Optional, Protocol

from krakenbridge.control import Replay, Snapshot
from krakenbridge.galfriday.events import AnyEvent
from krakenbridge.galfriday.publish import GalFridayPublisher
from krakenbridge.galfriday.translate import ReplayNeeded, Request, SnapshotNeeded, Translator
from krakenbridge.wire import BusFrame

log = logging.getLogger(__name__)

REPLAY_PAGE = 1000
"""Events asked of the journal per replay request (the bridge's default page)."""


class RecoverySource(Protocol):
    """What the adapter needs of the bridge's control socket (``krakenbridge.control.ControlClient``)."""

    def snapshot(self, prefix: str) -> Snapshot: ...

    def replay(self, topic: str, after: int, max_events: int) -> Replay: ...


class BridgeAdapter:
    """Translates frames (:class:`Translator`), repairs what the translator reports lost through
    ``recovery`` (book snapshots, journal replays; without one, lost private events are reported
    lost at once and books wait for the bridge's next snapshot), and publishes the events with
    ``publisher``."""

    def __init__(self, publisher: Optional[GalFridayPublisher] = None, translator: Optional[Translator] = None,
                 recovery: Optional[RecoverySource] = None) -> None:
        self.publisher = publisher
        self.translator = translator or Translator()
        self.recovery = recovery

    def handle(self, frame: BusFrame) -> list[AnyEvent]:
        """The events of ``frame`` and of whatever it took to repair what it showed lost (the
        control socket is called from this thread)."""
        events = self.translator.translate(frame)
        while requests := self.translator.take_requests():
            for request in requests:
                events += self._fulfil(request)
        return events

    async def feed(self, frame: BusFrame) -> list[AnyEvent]:
        """:meth:`handle` with the control socket called from a worker thread, then every event
        published; returns the events."""
        events = self.translator.translate(frame)
        while requests := self.translator.take_requests():
            for request in requests:
                events += await asyncio.to_thread(self._fulfil, request)
        if self.publisher is not None:
            await self.publisher.publish_all(events)
        return events

    async def consume(self, frames: AsyncIterable[BusFrame]) -> None:
        """Feeds every frame of ``frames`` until it ends (or the task is cancelled)."""
        async for frame in frames:
            await self.feed(frame)

    def _fulfil(self, request: Request) -> list[AnyEvent]:
        if isinstance(request, SnapshotNeeded):
            return self._snapshot(request.topic)
        return self._replay(request)

    def _snapshot(self, topic: str) -> list[AnyEvent]:
        if self.recovery is None:
            return []  # the book stays invalid until the bridge publishes its next snapshot
        try:
            snapshot = self.recovery.snapshot(topic)
        except Exception as error:  # the translator asks again on the book's next frame
            log.warning("snapshot of %s failed: %s", topic, error)
            return []
        events: list[AnyEvent] = []
        for frame in snapshot.frames:
            if frame.topic == topic:
                events += self.translator.translate(frame)
        return events

    def _replay(self, request: ReplayNeeded) -> list[AnyEvent]:
        """Replays pages until the hole ``request`` is about is filled; what the journal does
        not have is then reported lost. (Releasing the held frames may reveal another hole:
        that is a new request, left to the caller's loop.)"""
        topic = request.topic
        if self.recovery is None:
            return self.translator.end_replay(topic, "no control socket to replay from")
        events: list[AnyEvent] = []
        after = request.after
        try:
            while self.translator.recovering(topic) == request.after:
                replay = self.recovery.replay(topic, after, REPLAY_PAGE)
                for frame in replay.frames:
                    events += self.translator.translate(frame)
                if len(replay.frames) < REPLAY_PAGE:
                    break
                after = replay.frames[-1].header.sequence
        except Exception as error:
            log.warning("replay of %s after %d failed: %s", topic, after, error)
            if self.translator.recovering(topic) == request.after:
                events += self.translator.end_replay(topic, f"the replay failed: {error}")
            return events
        if self.translator.recovering(topic) == request.after:
            events += self.translator.end_replay(topic)
        return events
