"""Hostile peers on the market endpoint: subscriptions cost the publisher memory (a trie node per
byte), so each connection's number and length of subscriptions are bounded; a peer past a
bound is disconnected and counted, and honest subscribers never notice."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import zmq

from krakenbridge.control import ControlClient
from krakenbridge.subscriber import Subscriber

from processes import receive_until, simulator_and_bridge, wait_for

# SubscriptionLimits.publisherDefault in Sources/ZeroMQHub/PeerSubscriptions.swift.
MAXIMUM_PER_PEER = 1_024
MAXIMUM_TOPIC_BYTES = 64


def resident_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def counters(bridge) -> dict:
    # The default 5 s: a flood of subscriptions must not delay control requests (it once filled
    # the inbound stream they share, and requests were dropped).
    with ControlClient(bridge.control) as control:
        return dict(control.diagnostics().diagnostics.counters)


def hostile_peer(context: zmq.Context, endpoint: str) -> zmq.Socket:
    """An XSUB sending raw subscription messages, as any local process can; it never reconnects
    once cut off."""
    peer = context.socket(zmq.XSUB)
    peer.setsockopt(zmq.LINGER, 0)
    peer.setsockopt(zmq.RECONNECT_IVL, -1)
    peer.connect(endpoint)
    return peer


@pytest.fixture
def bridge(krakenbridge_bin, tmp_path):
    """A market-only bridge with its endpoints on loopback tcp, against a simulator."""
    with simulator_and_bridge(krakenbridge_bin, tmp_path, ["BTC/USD"], private=False, transport="tcp") as (_, bridge):
        yield bridge


def test_a_flood_of_distinct_subscriptions_is_cut_off_and_costs_the_bridge_almost_nothing(bridge):
    context = zmq.Context()
    try:
        with Subscriber(bridge.market, [b"book:", b"hb:"]) as honest:
            assert receive_until(honest, lambda frame: frame.topic.startswith("book:"), 30) is not None
            before = resident_bytes(bridge.process.pid)

            # Ten peers, each sending 20,000 distinct prefixes of 60 bytes: unbounded, libzmq
            # holds about 12 million trie nodes for them as long as they stay (+335 MiB, measured).
            peers = []
            for peer_index in range(10):
                peer = hostile_peer(context, bridge.market)
                for index in range(20_000):
                    peer.send(b"\x01" + f"{peer_index:02}:{index:08}:".encode().ljust(60, b"x"))
                peers.append(peer)
            refused = wait_for(lambda: (c := counters(bridge))["zmq.peers_refused"] >= 10 and c)
            assert refused, f"every hostile peer is disconnected: {counters(bridge)}"
            assert refused["zmq.subscriptions_refused"] >= 10

            # A peer with one over-long prefix is cut off at once.
            long_prefix = hostile_peer(context, bridge.market)
            long_prefix.send(b"\x01" + b"book:" + b"x" * MAXIMUM_TOPIC_BYTES)
            assert wait_for(lambda: counters(bridge)["zmq.peers_refused"] >= 11)
            peers.append(long_prefix)

            # libzmq stores a burst before the bridge can judge it; once the peers are cut off
            # the memory is freed and handed back.
            settled = wait_for(lambda: resident_bytes(bridge.process.pid) - before < 30 << 20, 15)
            growth = resident_bytes(bridge.process.pid) - before
            assert settled, f"the bridge kept {growth / (1 << 20):.1f} MiB"

            # The honest subscriber still gets books, without a gap.
            deadline = time.monotonic() + 3
            books = 0
            while time.monotonic() < deadline:
                frame = honest.receive(500)
                if frame is not None and frame.topic.startswith("book:"):
                    books += 1
            assert books > 0
            assert honest.gaps == []
    finally:
        context.destroy(linger=0)


def test_a_subscriber_within_its_allowance_is_served(bridge):
    # Every prefix it may hold, the bus topics last.
    topics = [f"unused:{index}:".encode() for index in range(MAXIMUM_PER_PEER - 2)] + [b"book:", b"hb:"]
    with Subscriber(bridge.market, topics) as subscriber:
        assert receive_until(subscriber, lambda frame: frame.topic.startswith("book:"), 30) is not None
    assert counters(bridge)["zmq.peers_refused"] == 0
