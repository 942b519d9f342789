"""CURVE on the bridge's endpoints: ZAP allowlists per endpoint, and mutating control commands
for operator keys only."""

from __future__ import annotations

import subprocess
import time

import pytest

from krakenbridge.control import ControlClient, ControlError, ControlTimeout, load_key
from krakenbridge.subscriber import Subscriber
from krakenbridge.v1 import control_pb2

from processes import start_bridge, start_simulator, stop_all


def keygen(binary, directory, name: str) -> tuple[bytes, bytes]:
    subprocess.run([str(binary), "keygen", "--name", name, "--output-directory", str(directory)],
                   check=True, capture_output=True)
    return load_key(directory / f"{name}.key"), load_key(directory / f"{name}.key_secret")


@pytest.fixture(scope="module")
def secured(krakenbridge_bin, tmp_path_factory):
    """A bridge on tcp with CURVE: `reader` may read market data and the control socket,
    `ops` is a control operator, `stranger` is on no list."""
    directory = tmp_path_factory.mktemp("curve")
    keys = {name: keygen(krakenbridge_bin, directory, name) for name in ("server", "reader", "ops", "stranger")}
    (directory / "allowlist").write_text(
        "# endpoint  public key  name  [role]\n"
        f"market  {keys['reader'][0].decode()}  reader\n"
        f"control {keys['reader'][0].decode()}  reader\n"
        f"control {keys['ops'][0].decode()}  ops  operator\n")
    simulator = start_simulator(krakenbridge_bin, "--tick-ms", "20")
    try:
        bridge = start_bridge(
            krakenbridge_bin, simulator, directory, ["BTC/USD"], "--curve-secret-key-file", str(directory / "server.key_secret"),
            "--curve-allowlist", str(directory / "allowlist"), transport="tcp")
    except BaseException:
        stop_all(simulator.process)
        raise
    try:
        yield bridge, keys
    finally:
        stop_all(bridge.process, simulator.process)


def client(bridge, keys, name: str, **options) -> ControlClient:
    public, secret = keys[name]
    return ControlClient(bridge.control, server_key=keys["server"][0], public_key=public, secret_key=secret, **options)


@pytest.mark.parametrize("encoding", ["json", "binary"])
def test_a_reader_key_reads_but_cannot_add_a_pair(secured, encoding):
    bridge, keys = secured
    with client(bridge, keys, "reader", encoding=encoding) as reader:
        assert reader.diagnostics().HasField("diagnostics")
        with pytest.raises(ControlError) as refused:
            reader.add_pair("ETH/USD")
    assert refused.value.code == control_pb2.CONTROL_ERROR_CODE_UNAUTHORIZED
    assert "add_pair" in refused.value.message


def test_an_operator_key_adds_and_removes_a_pair(secured):
    bridge, keys = secured
    with client(bridge, keys, "ops") as operator:
        deadline = time.monotonic() + 30
        while not operator.health().health.healthy:
            assert time.monotonic() < deadline, "the bridge never became healthy"
            time.sleep(0.2)
        assert operator.add_pair("ETH/USD").HasField("ack")
        assert operator.remove_pair("ETH/USD").HasField("ack")


def test_an_unknown_key_is_refused_and_counted(secured):
    bridge, keys = secured
    with client(bridge, keys, "stranger", timeout_ms=1500) as stranger:
        with pytest.raises(ControlTimeout):
            stranger.health()
    with ControlClient(bridge.control, timeout_ms=1500) as plain:
        with pytest.raises(ControlTimeout):
            plain.health()
    with client(bridge, keys, "reader") as reader:
        counters = reader.diagnostics().diagnostics.counters
    assert counters["zmq.zap_rejected"] >= 1


def test_market_data_reaches_allowed_keys_only(secured):
    bridge, keys = secured
    server = keys["server"][0]
    with Subscriber(bridge.market, [b"hb:"], server_key=server, public_key=keys["reader"][0], secret_key=keys["reader"][1]) as allowed:
        assert allowed.receive(5000) is not None, "the allowed key receives the heartbeat"
    with Subscriber(bridge.market, [b"hb:"], server_key=server, public_key=keys["stranger"][0],
                    secret_key=keys["stranger"][1]) as refused:
        assert refused.receive(2500) is None, "a key not on the market allowlist receives nothing"
    with Subscriber(bridge.account, [b""], server_key=server, public_key=keys["reader"][0], secret_key=keys["reader"][1]) as other:
        assert other.receive(2500) is None, "the account endpoint has its own allowlist"
