#!/usr/bin/env python3
"""Counting SUB for the bridge's market endpoint (scripts/bench.sh --only vs-cryptofeed): connects,
subscribes to everything with RCVHWM 0 (unbounded: any loss is the publisher's), and during the
run only keeps the raw three-frame messages (as cheap per message as zmq_count_sub.py's count, so
both publishers share the 2 cores with a subscriber of about the same cost). Once stopped it
decodes every message with the project's client package (krakenbridge.wire.decode_frames) and
checks each topic's sequence (krakenbridge.sequence.SequenceTracker).

Usage: bus_sub.py ENDPOINT     (run with the repository's .venv)
Prints {"ready": ENDPOINT}; then reads `stop N` on stdin: stops once N data messages (book
snapshots, updates and resets, trades) arrived or GRACE seconds after the line, whichever first;
SIGINT/SIGTERM stop at once. Prints one JSON line: counts, sequence gaps, data messages missing
before a topic's first sequence, and the first receive / last publish timestamps (the bridge's own
clock, Unix ns, carried in every header)."""

from __future__ import annotations

import json
import select
import signal
import sys
import time

import zmq

from krakenbridge.sequence import SequenceTracker
from krakenbridge.v1 import frame_pb2
from krakenbridge.wire import decode_frames

GRACE = 10.0
DATA_TYPES = {frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT, frame_pb2.MESSAGE_TYPE_BOOK_UPDATE,
              frame_pb2.MESSAGE_TYPE_BOOK_RESET, frame_pb2.MESSAGE_TYPE_TRADE}
DATA_TYPE_BYTES = {t.to_bytes(2, "little") for t in DATA_TYPES}   # header bytes 6..7 (wire.HEADER)


def main() -> None:
    endpoint = sys.argv[1]
    context = zmq.Context.instance()
    sock = context.socket(zmq.SUB)
    sock.setsockopt(zmq.RCVHWM, 0)
    sock.setsockopt(zmq.RECONNECT_IVL, 5)       # the bridge binds after this connects
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.SUBSCRIBE, b"")
    sock.connect(endpoint)
    stop: list[int] = []
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, lambda *_: stop.append(1))
    print(json.dumps({"ready": endpoint}), flush=True)
    messages: list[list[bytes]] = []
    data = 0
    target, deadline = None, None
    while not stop:
        if sock.poll(100):
            while True:                            # drain what is queued, then look at stdin
                try:
                    parts = sock.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                messages.append(parts)
                if len(parts) == 3 and parts[1][6:8] in DATA_TYPE_BYTES:
                    data += 1
                if len(messages) % 4096 == 0:
                    break
        if select.select([sys.stdin], [], [], 0)[0]:
            line = sys.stdin.readline()
            if not line:
                break
            if line.startswith("stop"):
                target, deadline = int(line.split()[1]), time.monotonic() + GRACE
        if target is not None and (data >= target or time.monotonic() > deadline):
            break
    sock.close()

    tracker = SequenceTracker()
    first_sequence: dict[str, int] = {}
    by_type: dict[str, int] = {}
    errors = 0
    first_receive = last_publish = last_receive = None
    for parts in messages:
        try:
            frame = decode_frames(parts)
        except ValueError:
            errors += 1
            continue
        header = frame.header
        name = header.type_name.removeprefix("MESSAGE_TYPE_").lower()
        by_type[name] = by_type.get(name, 0) + 1
        tracker.observe(frame)
        if header.message_type in DATA_TYPES:
            first_sequence.setdefault(frame.topic, header.sequence)
            if first_receive is None:
                first_receive = header.receive_ts_ns
            last_publish, last_receive = header.publish_ts_ns, header.receive_ts_ns
    missing_at_start = {topic: seq - 1 for topic, seq in first_sequence.items() if seq != 1}
    print(json.dumps({
        "received": len(messages), "data": data, "by_type": by_type, "decode_errors": errors,
        "gaps": len(tracker.gaps), "gap_messages": sum(g.missing for g in tracker.gaps),
        "gap_examples": [vars(g) for g in tracker.gaps[:3]],
        "missing_at_start": sum(missing_at_start.values()), "topics": len(first_sequence),
        "first_receive_ns": first_receive, "last_publish_ns": last_publish, "last_receive_ns": last_receive,
        "stopped_by": "signal" if stop else ("target" if target is not None and data >= target else "grace"),
    }), flush=True)


if __name__ == "__main__":
    main()
