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

from processes import drain, receive_until, simulator_and_bridge, start_simulator


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


def gaps(sequences: list[int]) -> list[tuple[int, int]]:
    """Pairs of consecutive received sequences that are not one apart."""
    return [(a, b) for a, b in zip(sequences, sequences[1:]) if b != a + 1]


def test_a_graceful_shutdown_under_load_loses_nothing(krakenbridge_bin, tmp_path):
    """Books of depth 100 ticking every 10 ms, trades, orders and fills; SIGTERM in the middle.
    Subscribers that stay connected receive every topic without a gap to its end, and each account
    topic's last frame is the last event the journal holds: what was published was journaled
    first, the outbox was sent before the sockets closed, and nothing was published unjournaled."""
    with simulator_and_bridge(krakenbridge_bin, tmp_path, ["BTC/USD", "ETH/USD"], "--book-depth", "100") as (_, bridge):
        received: dict[str, list[int]] = {}

        def keep(frame) -> None:
            # A topic heartbeat repeats its topic's current sequence: it is not a message.
            if not frame.header.is_heartbeat:
                received.setdefault(frame.topic, []).append(frame.header.sequence)

        with Subscriber(bridge.account, [b""]) as account, Subscriber(bridge.market, [b"book:", b"trade:"]) as market:
            def books() -> int:
                return sum(len(sequences) for topic, sequences in received.items() if topic.startswith("book:"))

            # Load first: a few hundred book messages and at least one fill before the signal.
            deadline = time.monotonic() + 60
            while books() < 300 or not any(topic.startswith("fill:") for topic in received):
                assert time.monotonic() < deadline, f"not loaded within 60 s: {books()} book messages, {sorted(received)}"
                for subscriber in (account, market):
                    if (frame := subscriber.receive(50)) is not None:
                        keep(frame)
            bridge.process.send_signal(signal.SIGTERM)
            while bridge.process.poll() is None:
                for subscriber in (account, market):
                    if (frame := subscriber.receive(20)) is not None:
                        keep(frame)
                assert time.monotonic() < deadline + 15, "the bridge did not exit within 15 s of SIGTERM"
            assert bridge.process.returncode == 0
            for subscriber in (account, market):
                drain(subscriber, keep)
        assert {topic: gaps(sequences) for topic, sequences in received.items() if gaps(sequences)} == {}
        with sqlite3.connect(tmp_path / "journal.sqlite") as journal:
            journaled = {topic.decode(): last for topic, last in journal.execute("select topic, last_sequence from journal_topic")}
        # Topics whose only events came before the subscription took hold (a balance at connect)
        # were never seen; every topic seen must end on its last journaled event.
        account_received = {topic: sequences[-1] for topic, sequences in received.items() if topic in journaled}
        assert {"exec:", "fill:"} <= set(account_received), sorted(received)
        assert account_received == {topic: journaled[topic] for topic in account_received}


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
