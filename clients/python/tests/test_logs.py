"""What `run` logs: one JSON object per line when stderr is not a terminal (containers), with the
feed, endpoint, connection attempt and kind of each feed event; readable text on request."""

from __future__ import annotations

import json
import time
import urllib.request

from processes import simulator_and_bridge, wait_for


def inject(simulator, fault: dict) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{simulator.ports['control']}/faults",
                                     data=json.dumps(fault).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def disconnect_until(simulator, condition, seconds: float = 30):
    """Drops the simulator's connections every half second until `condition` holds (the feed
    may not have connected yet when the first fault is sent)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        inject(simulator, {"kind": "disconnect"})
        if (value := wait_for(condition, 0.5)):
            return value
    return condition()


def test_every_line_is_json_and_feed_events_carry_their_context(krakenbridge_bin, tmp_path):
    log = tmp_path / "run.log"
    with simulator_and_bridge(krakenbridge_bin, tmp_path, ["BTC/USD"], private=False) as (simulator, _):
        def disconnected():
            lines = [json.loads(line) for line in log.read_text().splitlines()]
            return [line for line in lines if line.get("kind") == "disconnected"]
        events = disconnect_until(simulator, disconnected)
        assert events, log.read_text()
        event = events[0]
        assert event["level"] == "warning" and event["label"] == "krakenbridge.feed"
        assert event["feed"] == "public"
        assert event["endpoint"] == f"ws://127.0.0.1:{simulator.ports['public']}/v2"
        assert int(event["connection"]) >= 1
        assert event["time"].endswith("Z")
    # Every line, the status lines of `run` included, is one JSON object.
    lines = log.read_text().splitlines()
    assert lines and all(isinstance(json.loads(line), dict) for line in lines)
    assert any(json.loads(line)["label"] == "krakenbridge.run" for line in lines)


def test_text_format_and_level_on_request(krakenbridge_bin, tmp_path):
    arguments = ("--log-format", "text", "--log-level", "warning")
    with simulator_and_bridge(krakenbridge_bin, tmp_path, ["BTC/USD"], *arguments, private=False) as (simulator, _):
        assert disconnect_until(simulator, lambda: " warning krakenbridge.feed: " in (tmp_path / "run.log").read_text())
    text = (tmp_path / "run.log").read_text()
    assert "kind=disconnected" in text and "feed=public" in text
    assert " notice krakenbridge.run: " not in text, "notices are below --log-level warning"
