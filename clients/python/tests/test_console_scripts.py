"""`krakenbridge-tap` and `krakenbridge-ctl`, the console scripts pip installs, run as
subprocesses against a real simulator and bridge (market, account, journal, control)."""

from __future__ import annotations

import json
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from processes import free_port, simulator_and_bridge, wait_for
from relay import LossyRelay

SCRIPTS = Path(sys.executable).parent
BTC_BOOK = "book:BTC/USD:10:"


def script(name: str) -> str:
    path = SCRIPTS / name
    assert path.is_file(), f"{name} is not installed next to {sys.executable} (pip install -e clients/python)"
    return str(path)


def ctl(bridge, *words: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run([script("krakenbridge-ctl"), "--connect", bridge.control, *words],
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def bridge(krakenbridge_bin, tmp_path_factory):
    """One simulator and one bridge (BTC/USD, private feed and journal) for the whole module."""
    with simulator_and_bridge(krakenbridge_bin, tmp_path_factory.mktemp("scripts"), ["BTC/USD"]) as (_, bridge):
        assert wait_for(lambda: ctl(bridge, "health").returncode == 0), "the bridge never became healthy"
        yield bridge


def test_both_scripts_are_installed_and_describe_themselves():
    for name in ("krakenbridge-tap", "krakenbridge-ctl"):
        shown = subprocess.run([script(name), "--help"], capture_output=True, text=True, timeout=30)
        assert shown.returncode == 0 and shown.stdout.startswith(f"usage: {name}")


def test_ctl_health_readable_and_json(bridge):
    readable = ctl(bridge, "health")
    assert (readable.returncode, readable.stdout) == (0, "healthy\n")
    as_json = ctl(bridge, "--json", "health")
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout) == {"id": "1", "health": {"healthy": True}}


def test_ctl_lists_subscriptions_one_per_line(bridge):
    listed = ctl(bridge, "list")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert any(re.fullmatch(r"public\s+book\s+BTC/USD\s+depth 10 active", line) for line in lines), lines
    assert any(re.fullmatch(r"private\s+executions\s+-\s+active", line) for line in lines), lines
    as_json = json.loads(ctl(bridge, "--json", "list").stdout)
    assert {"channel": "book", "symbol": "BTC/USD", "depth": 10, "state": "active", "feed": "public"} in \
        as_json["subscriptions"]["subscriptions"]


def test_ctl_mutating_commands_print_the_bridges_acknowledgement(bridge):
    assert ctl(bridge, "subscribe", "--channel", "ticker", "--symbol", "BTC/USD").stdout == "subscribed BTC/USD\n"
    assert ctl(bridge, "unsubscribe", "--channel", "ticker", "--symbol", "BTC/USD").stdout == "unsubscribed BTC/USD\n"
    assert ctl(bridge, "add-pair", "ETH/USD").stdout == "added ETH/USD\n"
    assert ctl(bridge, "--binary", "remove-pair", "ETH/USD").stdout == "removed ETH/USD\n"


def test_ctl_snapshot_prints_each_state_then_the_end(bridge):
    readable = ctl(bridge, "snapshot", "book:BTC/USD:")
    assert readable.returncode == 0
    *states, end = readable.stdout.splitlines()
    assert end == "snapshot of 'book:BTC/USD:': 1 topics"
    assert len(states) == 1
    assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d{6} book:BTC/USD:10: #\d+ book_snapshot \[snapshot,simulated\] "
                        r"BTC/USD 10 bids 10 asks: .* checksum=\d+", states[0]), states[0]
    begin, state = [json.loads(line) for line in ctl(bridge, "--json", "snapshot", "book:BTC/USD:").stdout.splitlines()]
    assert begin == {"snapshot": {"topicPrefix": "book:BTC/USD:", "topicCount": 1}}
    assert (state["topic"], state["type"], state["payload"]["symbol"]) == (BTC_BOOK, "book_snapshot", "BTC/USD")


def test_ctl_replay_prints_journaled_executions(bridge):
    assert wait_for(lambda: len(ctl(bridge, "replay", "exec:", "--max", "3").stdout.splitlines()) == 4, 60)
    lines = ctl(bridge, "replay", "exec:", "--max", "3").stdout.splitlines()
    assert [re.search(r" exec: #(\d+) execution_report \[(snapshot,)?replay,simulated\] [A-Z]+/USD ", line).group(1)
            for line in lines[:3]] == ["1", "2", "3"]
    assert re.fullmatch(r"replay of exec:: 3 events \(the journal holds from sequence 1\)", lines[3])
    begin, *events = [json.loads(line) for line in ctl(bridge, "--json", "replay", "exec:", "--after", "1", "--max", "2")
                      .stdout.splitlines()]
    assert begin == {"replay": {"topic": "exec:", "eventCount": 2, "firstAvailableSequence": "1"}}
    assert [(e["topic"], e["sequence"], e["type"]) for e in events] == [("exec:", 2, "execution_report"),
                                                                          ("exec:", 3, "execution_report")]


def test_ctl_diagnostics_config_and_a_raw_request(bridge):
    diagnostics = ctl(bridge, "diagnostics").stdout
    assert diagnostics.startswith("connections:\n") and "\ncounters:\n" in diagnostics
    assert re.search(r"^  public\s+active\s+ws://127\.0\.0\.1:\d+/v2$", diagnostics, re.MULTILINE), diagnostics
    config = json.loads(ctl(bridge, "config").stdout)
    assert "<redacted>" in json.dumps(config)
    raw = ctl(bridge, '{"list_subscriptions":{}}')
    assert raw.returncode == 0 and "subscriptions" in json.loads(raw.stdout), "a JSON request gets a JSON reply"
    reply, *events = [json.loads(line) for line in ctl(bridge, '{"replay":{"topic":"exec:","max_events":2}}').stdout.splitlines()]
    assert reply["replay"]["eventCount"] == 2 and [e["sequence"] for e in events] == [1, 2]


def test_ctl_exit_status_tells_error_reply_no_answer_and_usage(bridge):
    refused = ctl(bridge, "add-pair", "BTC:USD")
    assert refused.returncode == 1
    assert "CONTROL_ERROR_CODE_INVALID_ARGUMENT" in refused.stderr and refused.stdout == ""
    silent = subprocess.run([script("krakenbridge-ctl"), "--connect", f"tcp://127.0.0.1:{free_port()}", "--timeout", "300",
                             "health"], capture_output=True, text=True, timeout=30)
    assert silent.returncode == 2 and "no reply from" in silent.stderr
    assert ctl(bridge, "frobnicate").returncode == 64
    assert ctl(bridge, "add-pair").returncode == 64


def test_tap_prints_frames_as_json_lines_and_summarises(bridge):
    tapped = subprocess.run([script("krakenbridge-tap"), "--connect", bridge.market, "--topic", "book:", "--count", "5",
                             "--json"], capture_output=True, text=True, timeout=60)
    assert tapped.returncode == 0, tapped.stderr
    frames = [json.loads(line) for line in tapped.stdout.splitlines()]
    assert len(frames) == 5 and all(f["topic"] == BTC_BOOK for f in frames)
    assert {"sequence", "epoch", "flags", "publishTsNs", "payload"} <= set(frames[0])
    assert tapped.stderr == "krakenbridge-tap: 5 frames, 0 gaps (0 missing), 0 malformed\n"


def test_tap_text_lines_from_market_and_account_at_once(bridge):
    tapped = subprocess.run([script("krakenbridge-tap"), "--connect", bridge.market, "--connect", bridge.account,
                             "--topic", "trade:", "--topic", "exec:", "--count", "40"],
                            capture_output=True, text=True, timeout=90)
    assert tapped.returncode == 0, tapped.stderr
    lines = tapped.stdout.splitlines()
    assert len(lines) == 40
    assert any(re.fullmatch(r"\d\d:\d\d:\d\d\.\d{6} trade:BTC/USD: #\d+ trade \[simulated\] (buy|sell) [\d.]+ @ [\d.]+ id=\d+",
                            line) for line in lines), lines
    assert any(" exec: #" in line for line in lines), "the account endpoint's executions too"


def read_line(stream, seconds: float) -> str:
    ready, _, _ = select.select([stream], [], [], seconds)
    assert ready, "no line in time"
    return stream.readline()


def test_tap_reports_a_gap_and_with_control_repairs_it(bridge):
    with LossyRelay(bridge.market) as relay:
        tap = subprocess.Popen([script("krakenbridge-tap"), "--connect", relay.endpoint, "--topic", "book:",
                                "--control", bridge.control], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            for _ in range(5):
                assert BTC_BOOK in read_line(tap.stdout, 30)
            relay.drop(BTC_BOOK.encode(), 2)
            assert wait_for(lambda: len(relay.dropped) == 2)
            first, _ = relay.dropped[0][1], relay.dropped[1][1]
            reported = read_line(tap.stderr, 30)
            assert reported == f"gap on {BTC_BOOK} expected {first} received {first + 2} (2 missing): " \
                               f"repaired from a snapshot (1 state)\n"
            deadline = time.monotonic() + 30
            while " book_snapshot [snapshot" not in read_line(tap.stdout, 30):
                assert time.monotonic() < deadline
            tap.send_signal(signal.SIGINT)
            _, rest = tap.communicate(timeout=30)
        finally:
            if tap.poll() is None:
                tap.kill()
                tap.communicate()
        assert tap.returncode == 0
        assert re.fullmatch(r"krakenbridge-tap: \d+ frames, 1 gaps \(2 missing\), 0 malformed\n", rest), rest
