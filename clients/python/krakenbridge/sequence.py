"""Per-topic sequence checking, as every consumer of the bus should do it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from krakenbridge.wire import BusFrame


@dataclass
class Gap:
    topic: str
    expected: int
    received: int

    @property
    def missing(self) -> int:
        return self.received - self.expected


JOURNALED_TOPICS = frozenset({"exec:", "fill:", "balance:"})
"""Private topics whose numbering continues across restarts of the bridge (docs/wire-format.md)."""


@dataclass
class SequenceTracker:
    """A data message must be the previous sequence + 1; a heartbeat repeats the current one;
    a new publisher epoch restarts the count — except on journaled topics, whose numbering
    continues, so what was lost across a restart shows as a gap (replay it)."""

    last: dict[str, tuple[int, int]] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)

    def observe(self, frame: BusFrame) -> Optional[Gap]:
        header = frame.header
        previous = self.last.get(frame.topic)
        if previous is None:
            self.last[frame.topic] = (header.publisher_epoch, header.sequence)
            return None
        if previous[0] != header.publisher_epoch:
            if frame.topic not in JOURNALED_TOPICS or header.publisher_epoch < previous[0]:
                if header.publisher_epoch > previous[0]:
                    self.last[frame.topic] = (header.publisher_epoch, header.sequence)
                return None
            previous = (header.publisher_epoch, previous[1])
        expected = previous[1] if header.is_heartbeat else previous[1] + 1
        if header.sequence < expected:
            return None  # duplicate or stale; nothing lost
        self.last[frame.topic] = (header.publisher_epoch, header.sequence)
        if header.sequence > expected:
            gap = Gap(frame.topic, expected, header.sequence)
            self.gaps.append(gap)
            return gap
        return None
