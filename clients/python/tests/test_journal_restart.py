"""The private-event journal across a restart of the bridge: replay returns exactly what was
published before, and journaled topics continue their numbering instead of starting again."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from krakenbridge import topics
from krakenbridge.control import ControlClient
from krakenbridge.subscriber import Subscriber
from krakenbridge.v1 import account_pb2
from krakenbridge.wire import FLAG_REPLAY

from processes import start_bridge, start_simulator, stop


@pytest.fixture
def simulator(krakenbridge_bin):
    """The simulator, trading fast on two pairs."""
    started = start_simulator(krakenbridge_bin, "--tick-ms", "10", "--pairs", "BTC/USD,ETH/USD")
    yield started
    stop(started.process)


def executions(subscriber: Subscriber, count: int, timeout: float = 30) -> list:
    frames = []
    deadline = time.monotonic() + timeout
    while len(frames) < count and time.monotonic() < deadline:
        frame = subscriber.receive(1000)
        if frame is not None and isinstance(frame.payload, account_pb2.ExecutionReport):
            frames.append(frame)
    assert len(frames) >= count, f"only {len(frames)} executions on exec: in {timeout} s"
    return frames


def first_run_executions(binary, simulator, directory, count: int) -> list:
    """Runs a bridge until `count` executions went out live on exec:, then stops it."""
    bridge = start_bridge(binary, simulator, directory, ["BTC/USD"])
    try:
        with Subscriber(bridge.account, [topics.EXECUTIONS]) as subscriber:
            return executions(subscriber, count)
    finally:
        stop(bridge.process)


def test_replay_after_a_restart_returns_exactly_the_journaled_events_and_sequences_continue(krakenbridge_bin, simulator, tmp_path):
    live = first_run_executions(krakenbridge_bin, simulator, tmp_path, 8)
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


def truth_fills(simulator) -> list[str]:
    """The exec ids of every fill the simulated account made, in order."""
    with urllib.request.urlopen(f"http://127.0.0.1:{simulator.ports['control']}/truth/private-events", timeout=10) as response:
        events = json.loads(response.read())
    return [event["exec_id"] for event in events if event.get("exec_type") == "trade" and event.get("exec_id")]


def test_fills_made_while_the_bridge_was_down_are_published_once_after_the_restart(krakenbridge_bin, simulator, tmp_path):
    first = start_bridge(krakenbridge_bin, simulator, tmp_path, ["BTC/USD"])
    try:
        with Subscriber(first.account, [topics.FILLS]) as subscriber:
            deadline = time.monotonic() + 30
            while subscriber.receive(1000) is None:
                assert time.monotonic() < deadline, "no fill on fill: before the restart"
    finally:
        stop(first.process)
    down_since = len(truth_fills(simulator))
    time.sleep(1.5)  # the account keeps trading while the bridge is down
    missed_while_down = truth_fills(simulator)[down_since:]
    assert missed_while_down, "the simulated account made no fill while the bridge was down"

    second = start_bridge(krakenbridge_bin, simulator, tmp_path, ["BTC/USD"])
    try:
        with ControlClient(second.control) as control:
            deadline = time.monotonic() + 30
            while not control.health().health.healthy:
                assert time.monotonic() < deadline, "the restarted bridge never became healthy"
                time.sleep(0.2)
            time.sleep(1.0)
            urllib.request.urlopen(urllib.request.Request(
                f"http://127.0.0.1:{simulator.ports['control']}/market/pause", data=b"", method="POST"), timeout=10)
            time.sleep(1.0)
            journaled = [frame.payload.exec_id for frame in control.replay("fill:", after=0, max_events=10_000).frames]
    finally:
        stop(second.process)
    assert len(journaled) == len(set(journaled)), "no fill is published twice across the restart"
    truth = truth_fills(simulator)
    first_published = truth.index(journaled[0])
    assert journaled == truth[first_published:], "from the first fill published on, every fill exactly once, in order"
    assert set(missed_while_down) <= set(journaled), "the fills made while the bridge was down were published after it"


def test_replay_tells_what_retention_dropped(krakenbridge_bin, simulator, tmp_path):
    live = first_run_executions(krakenbridge_bin, simulator, tmp_path, 5)
    # Keeping one event per topic, the restarted bridge prunes the rest when it opens the journal.
    second = start_bridge(krakenbridge_bin, simulator, tmp_path, ["BTC/USD"], "--journal-max-events", "1")
    try:
        with ControlClient(second.control) as control:
            replay = control.replay("exec:", after=0, max_events=10_000)
    finally:
        stop(second.process)
    assert replay.begin.first_available_sequence > 1, "a client that holds nothing learns events are gone"
    assert replay.begin.first_available_sequence >= live[-1].header.sequence
    assert [f.header.sequence for f in replay.frames][:1] == [replay.begin.first_available_sequence]
