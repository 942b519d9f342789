"""How the processes end: SIGTERM or SIGINT shuts them down gracefully (Kraken connections
closed with 1000, the journal flushed and closed, exit 0); a second signal exits at once."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
import urllib.request

from krakenbridge.subscriber import Subscriber

from processes import receive_until, simulator_and_bridge, start_simulator


def simulator_counters(simulator) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{simulator.ports['control']}/counters", timeout=10) as response:
        return json.loads(response.read())


def wait_for_exit(process: subprocess.Popen, seconds: float) -> int:
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
        raise AssertionError(f"{process.args[:2]} still running {seconds:.0f} s after the signal") from None


def log_messages(path) -> list[str]:
    """The `message` of every line `run` logged (JSON lines: its stderr is not a terminal)."""
    return [json.loads(line)["message"] for line in path.read_text().splitlines() if line.startswith("{")]


def wait_for_message(path, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(text in message for message in log_messages(path)):
            return True
        time.sleep(0.05)
    return False


def test_sigterm_closes_kraken_connections_with_1000_flushes_the_journal_and_exits_0(krakenbridge_bin, tmp_path):
    with simulator_and_bridge(krakenbridge_bin, tmp_path, ["BTC/USD"]) as (simulator, bridge):
        with Subscriber(bridge.account, [b"exec:"]) as executions:
            assert receive_until(executions, lambda frame: frame.topic == "exec:", 60) is not None, "the journal holds events"
        bridge.process.send_signal(signal.SIGTERM)
        assert wait_for_exit(bridge.process, 15) == 0
        messages = log_messages(tmp_path / "run.log")
        assert "SIGTERM: shutting down (send it again to exit at once)" in messages
        assert any(message.startswith("stopped; ") for message in messages)

        closes = {name: value for name, value in simulator_counters(simulator).items() if name.startswith("client_closes_")}
        assert closes == {"client_closes_1000": 2}, "the public and the private connection, each closed normally"
        # A journal closed cleanly has folded its write-ahead log into the database file.
        wal = tmp_path / "journal.sqlite-wal"
        assert not wal.exists() or wal.stat().st_size == 0
        with sqlite3.connect(tmp_path / "journal.sqlite") as journal:
            tables = [row[0] for row in journal.execute("select name from sqlite_master where type = 'table'")]
            assert tables and sum(journal.execute(f"select count(*) from {table}").fetchone()[0] for table in tables) > 0


def test_a_second_signal_during_a_slow_shutdown_exits_at_once(krakenbridge_bin, tmp_path):
    with simulator_and_bridge(krakenbridge_bin, tmp_path, ["BTC/USD"], "--shutdown-delay-ms", "60000", private=False) as (_, bridge):
        bridge.process.send_signal(signal.SIGINT)
        assert wait_for_message(tmp_path / "run.log", "SIGINT: shutting down", 10)
        started = time.monotonic()
        bridge.process.send_signal(signal.SIGTERM)
        assert wait_for_exit(bridge.process, 5) == 128 + signal.SIGTERM
        assert time.monotonic() - started < 5
        assert "SIGTERM again: exiting now" in log_messages(tmp_path / "run.log")


def test_the_simulator_stops_on_sigint(krakenbridge_bin):
    simulator = start_simulator(krakenbridge_bin)
    simulator.process.send_signal(signal.SIGINT)
    assert wait_for_exit(simulator.process, 15) == 0


def test_synth_stops_on_sigint_with_its_summary(start_synth):
    publisher = start_synth("--pairs", "BTC/USD", "--rate", "50")
    time.sleep(0.3)
    publisher.process.send_signal(signal.SIGINT)
    rest = publisher.wait(15)  # exit status 0, or it fails
    assert "frames sent" in rest
