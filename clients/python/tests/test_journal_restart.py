"""The private-event journal across a restart of the bridge: replay returns exactly what was
published before, and journaled topics continue their numbering instead of starting again."""

from __future__ import annotations

import time

from krakenbridge import topics
from krakenbridge.control import ControlClient
from krakenbridge.subscriber import Subscriber
from krakenbridge.v1 import account_pb2
from krakenbridge.wire import FLAG_REPLAY

from processes import start_bridge, start_simulator, stop


def executions(subscriber: Subscriber, count: int, timeout: float = 30) -> list:
    frames = []
    deadline = time.monotonic() + timeout
    while len(frames) < count and time.monotonic() < deadline:
        frame = subscriber.receive(1000)
        if frame is not None and isinstance(frame.payload, account_pb2.ExecutionReport):
            frames.append(frame)
    assert len(frames) >= count, f"only {len(frames)} executions on exec: in {timeout} s"
    return frames


def test_replay_after_a_restart_returns_exactly_the_journaled_events_and_sequences_continue(krakenbridge_bin, tmp_path):
    simulator = start_simulator(krakenbridge_bin, "--tick-ms", "10", "--pairs", "BTC/USD,ETH/USD")
    try:
        first = start_bridge(krakenbridge_bin, simulator, tmp_path, ["BTC/USD"])
        try:
            with Subscriber(first.account, [topics.EXECUTIONS]) as subscriber:
                live = executions(subscriber, 8)
        finally:
            stop(first.process)
        first_epoch = live[0].header.publisher_epoch

        second = start_bridge(krakenbridge_bin, simulator, tmp_path, ["BTC/USD"])
        try:
            with ControlClient(second.control) as control:
                replay = control.replay("exec:", after=0, max_events=10_000)
            sequences = [frame.header.sequence for frame in replay.frames]
            assert sequences == list(range(1, len(sequences) + 1)), "the journal holds exec: from 1 without holes"
            by_sequence = {frame.header.sequence: frame for frame in replay.frames}
            for original in live:
                copy = by_sequence[original.header.sequence]
                assert copy.payload_bytes == original.payload_bytes
                assert copy.header.publisher_epoch == first_epoch
                assert copy.header.flags == original.header.flags | FLAG_REPLAY
            last_before_restart = max(f.header.sequence for f in replay.frames if f.header.publisher_epoch == first_epoch)

            with Subscriber(second.account, [topics.EXECUTIONS]) as subscriber:
                after_restart = executions(subscriber, 1)[0]
            assert after_restart.header.publisher_epoch != first_epoch, "a restart is a new epoch"
            assert after_restart.header.sequence > last_before_restart, "exec: continues its numbering across the restart"
        finally:
            stop(second.process)
    finally:
        stop(simulator.process)
