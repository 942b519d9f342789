"""Per-topic sequence checking, as every consumer of the bus should do it."""

from __future__ import annotations

from dataclasses import dataclass, field

from krakenbridge.wire import BusFrame


@dataclass
class Gap:
    topic: str
    expected: int
    received: int

    @property
    def missing(self) -> int:
        return self.received - self.expected


@dataclass
class SequenceTracker:
    """A data message must be the previous sequence + 1; a heartbeat repeats the current one;
    a new publisher epoch restarts the count."""

    last: dict[str, tuple[int, int]] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)

    def observe(self, frame: BusFrame) -> Gap | None:
        header = frame.header
        previous = self.last.get(frame.topic)
        if previous is None or previous[0] != header.publisher_epoch:
            self.last[frame.topic] = (header.publisher_epoch, header.sequence)
            return None
        expected = previous[1] if header.is_heartbeat else previous[1] + 1
        if header.sequence < expected:
            return None  # duplicate or stale; nothing lost
        self.last[frame.topic] = (header.publisher_epoch, header.sequence)
        if header.sequence > expected:
            gap = Gap(frame.topic, expected, header.sequence)
            self.gaps.append(gap)
            return gap
        return None
