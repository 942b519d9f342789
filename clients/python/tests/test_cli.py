"""The `krakenbridge` command line as a new user meets it: start-up failures end the process
at once with one line naming the option, the value and what to do (never a hang, a usage text
or a framework's error dump); `--version`; `ctl` replies in protobuf JSON's camelCase, as
docs/control.md shows them."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
from google.protobuf import json_format

from krakenbridge.v1 import control_pb2
from processes import DEMO_KEY, DEMO_SECRET, start_bridge, start_simulator, stop_all

ROOT = Path(__file__).resolve().parents[3]
STARTUP_FAILURE_SECONDS = 2.0


@pytest.fixture
def busy_port():
    """A loopback TCP port something else listens on."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.fixture
def simulator(krakenbridge_bin):
    sim = start_simulator(krakenbridge_bin, "--tick-ms", "50")
    yield sim
    stop_all(sim.process)


def run_until_exit(binary: Path, *args: str, seconds: float = 20) -> tuple[int, str, float]:
    started = time.monotonic()
    process = subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=seconds)
    return process.returncode, process.stderr, time.monotonic() - started


def run_against(simulator, *args: str) -> list[str]:
    ports = simulator.ports
    return ["run", "--ws-url", f"ws://127.0.0.1:{ports['public']}/v2", "--rest-url", f"http://127.0.0.1:{ports['rest']}",
            "--market-bind", "tcp://127.0.0.1:*", "--account-bind", "tcp://127.0.0.1:*", "--control-bind", "tcp://127.0.0.1:*",
            "--no-journal", "--simulated", *args]


def assert_one_line(stderr: str, *expected: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error:")]
    assert len(errors) == 1, stderr
    for text in expected:
        assert text in errors[0], stderr
    assert "Usage:" not in stderr and "NSCocoaErrorDomain" not in stderr and "NIO" not in stderr, stderr


def test_a_metrics_address_in_use_ends_the_bridge_at_once_naming_the_option(krakenbridge_bin, simulator, busy_port):
    status, stderr, seconds = run_until_exit(krakenbridge_bin, *run_against(simulator, "--metrics-bind", f"127.0.0.1:{busy_port}"))
    assert status != 0
    assert seconds < STARTUP_FAILURE_SECONDS, f"took {seconds:.2f} s"
    assert_one_line(stderr, f"--metrics-bind 127.0.0.1:{busy_port}:", "in use", "choose another address")


def test_a_bus_endpoint_in_use_names_its_option_without_a_usage_text(krakenbridge_bin, simulator, busy_port):
    endpoint = f"tcp://127.0.0.1:{busy_port}"
    args = run_against(simulator)
    args[args.index("--account-bind") + 1] = endpoint
    status, stderr, seconds = run_until_exit(krakenbridge_bin, *args)
    assert status != 0 and seconds < STARTUP_FAILURE_SECONDS, (status, seconds)
    assert_one_line(stderr, f"--account-bind {endpoint}:", "in use")


def test_a_missing_api_key_file_is_named_not_dumped(krakenbridge_bin, simulator, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(DEMO_SECRET)
    missing = tmp_path / "no-such-key"
    status, stderr, seconds = run_until_exit(
        krakenbridge_bin, *run_against(simulator, "--api-key-file", str(missing), "--api-secret-file", str(secret)))
    assert status != 0 and seconds < STARTUP_FAILURE_SECONDS, (status, seconds)
    assert_one_line(stderr, f"--api-key-file {missing}: no such file", "API key")


def test_a_secret_that_is_not_base64_is_named_and_never_printed(krakenbridge_bin, simulator, tmp_path):
    key, secret = tmp_path / "key", tmp_path / "secret"
    key.write_text(DEMO_KEY)
    secret.write_text("not base64 at all!!")
    status, stderr, _ = run_until_exit(krakenbridge_bin, *run_against(simulator, "--api-key-file", str(key), "--api-secret-file", str(secret)))
    assert status != 0
    assert_one_line(stderr, f"--api-secret-file {secret}:", "not base64")
    assert "not base64 at all" not in stderr


def test_an_unwritable_journal_names_the_option(krakenbridge_bin, simulator, tmp_path):
    args = [a for a in run_against(simulator, "--journal-path", "/proc/krakenbridge/journal.sqlite") if a != "--no-journal"]
    status, stderr, _ = run_until_exit(krakenbridge_bin, *args, "--api-key-file", str(_write(tmp_path / "k", DEMO_KEY)),
                                       "--api-secret-file", str(_write(tmp_path / "s", DEMO_SECRET)))
    assert status != 0
    assert_one_line(stderr, "--journal-path /proc/krakenbridge/journal.sqlite:", "--no-journal")


def test_a_pair_name_kraken_could_not_list_fails_at_start(krakenbridge_bin, simulator):
    status, stderr, _ = run_until_exit(krakenbridge_bin, *run_against(simulator, "--pairs", "BTC/USD,BTCUSD"))
    assert status != 0
    assert_one_line(stderr, "market.pairs = 'BTCUSD' (from flag --pairs): one or more pairs written as Kraken's WebSocket v2 does (BTC/USD)")


def test_a_simulator_port_in_use_names_the_listener(krakenbridge_bin, busy_port):
    status, stderr, seconds = run_until_exit(
        krakenbridge_bin, "sim", "--public-port", "0", "--private-port", str(busy_port), "--rest-port", "0", "--control-port", "0")
    assert status != 0 and seconds < STARTUP_FAILURE_SECONDS, (status, seconds)
    assert_one_line(stderr, f"--private-port {busy_port} (on 127.0.0.1):", "in use")


def test_version_names_the_release_commit_and_libzmq(krakenbridge_bin):
    output = subprocess.run([str(krakenbridge_bin), "--version"], capture_output=True, text=True, timeout=10, check=True).stdout
    assert re.fullmatch(r"krakenbridge \d+\.\d+\.\d+ \(commit ([0-9a-f]{12}(-modified)?|unknown), libzmq 4\.\d+\.\d+\)\n", output), output


def test_ctl_replies_use_protobuf_json_camel_case_as_the_documentation_does(krakenbridge_bin, simulator, tmp_path):
    bridge = start_bridge(krakenbridge_bin, simulator, tmp_path, ["BTC/USD"])
    try:
        for command in ("diagnostics", "health", "list"):
            printed = subprocess.run([str(krakenbridge_bin), "ctl", "--connect", bridge.control, command],
                                     capture_output=True, text=True, timeout=10, check=True).stdout
            reply = json.loads(printed.splitlines()[0])
            parsed = json_format.Parse(printed.splitlines()[0], control_pb2.ControlReply())
            assert reply == json_format.MessageToDict(parsed), f"ctl {command} is not protobuf JSON in camelCase"
    finally:
        stop_all(bridge.process)
    documented = documented_reply("#### Diagnostics reply example")
    parsed = json_format.Parse(json.dumps(documented), control_pb2.ControlReply())
    assert documented == json_format.MessageToDict(parsed), "docs/control.md's example is not camelCase protobuf JSON"


def documented_reply(heading: str) -> dict:
    text = (ROOT / "docs/control.md").read_text()
    block = text[text.index(heading):]
    block = block[block.index("```json") + len("```json"):]
    return json.loads(block[:block.index("```")])


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_a_finished_order_retention_too_short_for_kraken_replays_is_refused(krakenbridge_bin, simulator):
    status, stderr, _ = run_until_exit(krakenbridge_bin, *run_against(simulator, "--finished-order-retention", "5"))
    assert status != 0
    assert_one_line(stderr, "private.finished_order_retention_seconds = '5' (from flag --finished-order-retention): seconds, at least 60")
