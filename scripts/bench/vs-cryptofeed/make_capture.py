#!/usr/bin/env python3
"""Expands a `krakenbridge record` capture (v1 or v2, book + trade) into PASSES passes and prints
its shape as one JSON object (scripts/bench.sh --only vs-cryptofeed; docs/performance.md).

    make_capture.py RECORDED OUT --passes 200 [--shape SHAPE.json]

OUT is a capture of the same format (JSON lines, docs/capture.md): the header, the `rest` and
`sent` lines and pass 1's received frames exactly as recorded, then for passes 2..PASSES only the
channel data frames (v1: the array frames; v2: `book` and `trade` snapshots and updates), with
increasing `t`. Acks, status and heartbeats are not repeated (they would confuse a client), and
each pass starts with every pair's book snapshot, so books reset cleanly at each pass.

The replay server answers the bridge's application pings (every 5 s) as Kraken does, so a long
replay is never taken for a dead connection; nothing is added to the recording for that."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter


def is_data(protocol: str, frame: str) -> bool:
    if protocol == "v1":
        return frame.startswith("[")
    if not frame.startswith('{"channel":"book"') and not frame.startswith('{"channel":"trade"'):
        return False
    kind = json.loads(frame).get("type")
    return kind in ("snapshot", "update")


def decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def v1_shape(frames: list[str], asset_pairs: dict) -> dict:
    by_wsname = {p["wsname"]: p for p in asset_pairs["result"].values() if "wsname" in p}
    snapshot_sides: list[int] = []
    update_levels: Counter[int] = Counter()
    five = republish = updates = cf_verifies = trade_frames = trades = 0
    wire_price_decimals: dict[str, int] = {}
    for text in frames:
        if not text.startswith("["):
            continue
        frame = json.loads(text)
        channel, pair = frame[-2], frame[-1]
        if channel == "trade":
            trade_frames += 1
            trades += len(frame[1])
            continue
        if not str(channel).startswith("book"):
            continue
        objects = frame[1:-2]
        if "as" in objects[0] or "bs" in objects[0]:
            snapshot_sides += [len(objects[0].get("as", [])), len(objects[0].get("bs", []))]
            levels = objects[0].get("as", []) + objects[0].get("bs", [])
        else:
            updates += 1
            levels = [level for part in objects for key in ("a", "b") for level in part.get(key, [])]
            update_levels[len(levels)] += 1
            five += len(frame) == 5
            cf_verifies += len(frame) == 4 and "c" in frame[1]   # cryptofeed checks only msg[0]['c']
            republish += sum(1 for level in levels if len(level) > 3 and level[3] == "r")
        for level in levels:
            wire_price_decimals[pair] = max(wire_price_decimals.get(pair, 0), decimals(level[0]))
    more_decimals = {pair: {"wire": wire, "pair_decimals": by_wsname[pair]["pair_decimals"]}
                     for pair, wire in sorted(wire_price_decimals.items())
                     if pair in by_wsname and wire > by_wsname[pair]["pair_decimals"]}
    return {"snapshot_levels_per_side": spread(snapshot_sides), "book_updates": updates,
            "update_levels": {str(k): v for k, v in sorted(update_levels.items())},
            "five_element_frames": five, "republish_levels": republish, "trade_frames": trade_frames,
            "trades": trades, "pairs_with_more_price_decimals_than_asset_pairs": more_decimals,
            "pairs_seen": len(wire_price_decimals), "cryptofeed_verifiable_updates": cf_verifies}


def v2_shape(frames: list[str]) -> dict:
    snapshot_sides: list[int] = []
    update_levels: Counter[int] = Counter()
    updates = trade_frames = trades = 0
    for text in frames:
        if not is_data("v2", text):
            continue
        frame = json.loads(text)
        if frame["channel"] == "trade":
            trade_frames += 1
            trades += len(frame["data"])
            continue
        for book in frame["data"]:
            if frame["type"] == "snapshot":
                snapshot_sides += [len(book["bids"]), len(book["asks"])]
            else:
                updates += 1
                update_levels[len(book["bids"]) + len(book["asks"])] += 1
    return {"snapshot_levels_per_side": spread(snapshot_sides), "book_updates": updates,
            "update_levels": {str(k): v for k, v in sorted(update_levels.items())},
            "trade_frames": trade_frames, "trades": trades}


def spread(values: list[int]) -> dict:
    return {"min": min(values), "median": statistics.median(values), "max": max(values)} if values else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("recorded")
    parser.add_argument("out")
    parser.add_argument("--passes", type=int, default=200)
    parser.add_argument("--shape", help="also write the shape JSON here")
    options = parser.parse_args()

    lines = [line for line in open(options.recorded, encoding="utf-8") if line.strip()]
    header = json.loads(lines[0])
    protocol = header["protocol"]
    events = [json.loads(line) for line in lines[1:]]
    received = [e for e in events if e["dir"] == "recv"]
    sent = [e for e in events if e["dir"] == "sent"]
    subscribes = sum('"subscribe"' in e["frame"] for e in sent)
    data = [e for e in received if is_data(protocol, e["frame"])]
    if not data:
        sys.exit("make_capture: the recording holds no data frames")
    first_t, last_t = data[0]["t"], events[-1]["t"]
    step = 1_000_000  # 1 ms between passes (irrelevant at --replay-speed max; keeps `t` increasing)

    with open(options.out, "w", encoding="utf-8") as out:
        out.write(lines[0] if lines[0].endswith("\n") else lines[0] + "\n")
        for line in lines[1:]:
            out.write(line if line.endswith("\n") else line + "\n")
        offset = last_t - first_t + step
        for _ in range(2, options.passes + 1):
            for event in data:
                out.write(json.dumps({"dir": "recv", "frame": event["frame"], "t": event["t"] + offset},
                                     separators=(",", ":")) + "\n")
            offset += last_t - first_t + step

    asset_pairs = json.loads(next(e["body"] for e in events if e["dir"] == "rest" and e["path"].endswith("/AssetPairs")))
    frames = [e["frame"] for e in received]
    shape = {"protocol": protocol, "depth": header.get("depth"), "pairs": header.get("pairs"),
             "subscribe_requests": subscribes, "pass_frames": len(received), "pass_data_frames": len(data),
             "passes": options.passes,
             "frames": len(received) + (options.passes - 1) * len(data)}
    shape |= v1_shape(frames, asset_pairs) if protocol == "v1" else v2_shape(frames)
    if options.shape:
        with open(options.shape, "w", encoding="utf-8") as handle:
            json.dump(shape, handle, indent=1)
    print(json.dumps(shape))


if __name__ == "__main__":
    main()
