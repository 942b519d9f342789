"""Joining the bus late: the Clone pattern's client side (ZeroMQ Guide, chapter 5).

1. Subscribe the SUB socket to the prefix first, so that nothing published from now on is
   missed (ZeroMQ queues it while the snapshot is fetched).
2. Ask the control socket for a snapshot of the same prefix: every topic's state and the
   sequence that state reflects.
3. Read the SUB: a message whose sequence is at most the snapshot's for its topic is already in
   the state and is discarded; later ones are delivered, and from then on sequences are checked
   as always (:class:`~krakenbridge.sequence.SequenceTracker`): the first update after the
   snapshot must carry its sequence + 1, so a loss in between shows up as a gap.

On a gap, call :meth:`LateJoiner.synchronise` again (a fresh snapshot; the frames already
queued are filtered against it). Books are kept with :class:`~krakenbridge.book.Books`::

    with Subscriber(market, [b"book:"]) as sub, ControlClient(control) as ctl:
        joiner = LateJoiner(sub, ctl, b"book:")
        books = Books()
        for frame in joiner.synchronise().frames:
            books.apply(frame)
        while (frame := joiner.receive(1000)) is not None:
            books.apply(frame)
"""

from __future__ import annotations

from typing import Iterator, Optional, Union

import zmq

from krakenbridge.control import ControlClient, Snapshot
from krakenbridge.sequence import Gap
from krakenbridge.subscriber import Subscriber
from krakenbridge.wire import BusFrame, decode_frames


class LateJoiner:
    """Delivers the frames of ``subscriber`` that come after the snapshot of ``prefix``.

    ``subscriber`` must already be subscribed to ``prefix`` (or to something wider) when
    :meth:`synchronise` is called. Topics the snapshot did not contain (created afterwards) are
    delivered from their first message. A new publisher epoch (the bridge restarted) is
    delivered too: the restarted bridge publishes fresh snapshots for its books.
    """

    def __init__(self, subscriber: Subscriber, control: ControlClient, prefix: Union[str, bytes]) -> None:
        self.subscriber = subscriber
        self.control = control
        self.prefix = prefix.decode("ascii") if isinstance(prefix, bytes) else prefix
        self.snapshot: Optional[Snapshot] = None
        self._held: dict[str, tuple[int, int]] = {}
        self.discarded = 0
        """Frames dropped because the snapshot already reflected them."""

    def synchronise(self) -> Snapshot:
        """Fetches a snapshot of the prefix; from now on frames are filtered against it. Returns
        the snapshot, whose frames are the states to start from."""
        snapshot = self.control.snapshot(self.prefix)
        self.snapshot = snapshot
        self._held = snapshot.sequences()
        tracker = self.subscriber.tracker
        for topic in [t for t in tracker.last if t.startswith(self.prefix)]:
            del tracker.last[topic]
        tracker.last.update(self._held)
        return snapshot

    def receive(self, timeout_ms: int) -> Optional[BusFrame]:
        """The next frame newer than the snapshot, or None if none arrives within ``timeout_ms``
        (each discarded frame restarts the wait)."""
        if self.snapshot is None:
            raise RuntimeError("call synchronise() before receive()")
        while (frame := self._next(timeout_ms)) is not None:
            if self._already_held(frame):
                self.discarded += 1
                continue
            self.subscriber.tracker.observe(frame)
            return frame
        return None

    def frames(self, timeout_ms: int = 5000) -> Iterator[BusFrame]:
        """Frames newer than the snapshot until none arrives for ``timeout_ms``."""
        while (frame := self.receive(timeout_ms)) is not None:
            yield frame

    @property
    def gaps(self) -> list[Gap]:
        """Gaps seen after the snapshot (the subscriber's tracker)."""
        return self.subscriber.gaps

    def _next(self, timeout_ms: int) -> Optional[BusFrame]:
        # Not Subscriber.receive: that runs the tracker, which must see only delivered frames.
        socket = self.subscriber.socket
        try:
            parts = socket.recv_multipart(zmq.NOBLOCK)
        except zmq.Again:
            if not socket.poll(timeout_ms):
                return None
            parts = socket.recv_multipart()
        return decode_frames(parts)

    def _already_held(self, frame: BusFrame) -> bool:
        """The snapshot reflects this frame: same epoch, sequence at most the snapshot's (a
        heartbeat at the snapshot's sequence tells nothing new either); or it comes from an
        earlier run of the bridge than the snapshot (epochs are start times, so they order)."""
        held = self._held.get(frame.topic)
        if held is None:
            return False
        if frame.header.publisher_epoch < held[0]:
            return True
        return held[0] == frame.header.publisher_epoch and frame.header.sequence <= held[1]
