"""Frames published by the Swift side (krakenbridge synth) are received and decoded by pyzmq."""

import subprocess
from pathlib import Path

import zmq
from zmq.utils.monitor import recv_monitor_message

from krakenbridge import decimals, topics
from krakenbridge.subscriber import Subscriber
from krakenbridge.v1 import frame_pb2, market_pb2, service_pb2
from krakenbridge.wire import FLAG_SIMULATED


def test_swift_publisher_to_python_subscriber_over_tcp(start_synth):
    publisher = start_synth("--pairs", "BTC/USD,ETH/USD", "--count", "200", "--rate", "200", "--wait-subscribers", "1")
    received = []
    with Subscriber(publisher.endpoint, [b""]) as subscriber:
        for frame in subscriber.frames(timeout_ms=10_000):
            received.append(frame)
            if frame.topic == "hb:" and sum(1 for f in received if f.payload.DESCRIPTOR.name in ("Trade", "Ticker")) >= 200:
                break
        gaps = subscriber.gaps
    publisher.wait()

    data = [f for f in received if isinstance(f.payload, (market_pb2.Trade, market_pb2.Ticker))]
    assert len(data) == 200
    assert gaps == []
    assert all(f.header.flags & FLAG_SIMULATED for f in received)
    assert len({f.header.publisher_epoch for f in received}) == 1

    # Per-topic sequences start at 1 and increase by one.
    by_topic = {}
    for frame in data:
        by_topic.setdefault(frame.topic, []).append(frame.header.sequence)
    assert set(by_topic) == {"trade:BTC/USD:", "trade:ETH/USD:", "ticker:BTC/USD:", "ticker:ETH/USD:"}
    for sequences in by_topic.values():
        assert sequences == list(range(1, len(sequences) + 1))

    # Payloads are exact decimals with the scale the publisher used.
    # Payloads are exact decimals at each pair's own precision, digits intact.
    price_scales = {"BTC/USD": 1, "ETH/USD": 2}
    trades = [f.payload for f in data if isinstance(f.payload, market_pb2.Trade)]
    assert trades
    for trade in trades:
        assert trade.price.scale == price_scales[trade.symbol]
        assert trade.qty.scale == 8
        assert len(decimals.to_text(trade.price).split(".")[1]) == trade.price.scale
        assert len(decimals.to_text(trade.qty).split(".")[1]) == 8
    assert all(f.header.message_type in (frame_pb2.MESSAGE_TYPE_TRADE, frame_pb2.MESSAGE_TYPE_TICKER) for f in data)
    assert any(isinstance(f.payload, service_pb2.ServiceHeartbeat) for f in received)


def test_topic_filter_delivers_only_the_subscribed_symbol(start_synth):
    publisher = start_synth("--pairs", "BTC/USD,BTC/USDT", "--count", "60", "--rate", "200", "--wait-subscribers", "1")
    with Subscriber(publisher.endpoint, [topics.trade("BTC/USD")]) as subscriber:
        frames = list(subscriber.frames(timeout_ms=3_000))
    publisher.wait()
    assert frames, "nothing received"
    assert {f.topic for f in frames} == {"trade:BTC/USD:"}


def keygen(binary: Path, directory: Path, name: str) -> tuple[bytes, bytes]:
    subprocess.run([str(binary), "keygen", "--name", name, "--output-directory", str(directory)], check=True,
                   capture_output=True)
    public = (directory / f"{name}.key").read_text().strip().encode()
    secret = (directory / f"{name}.key_secret").read_text().strip().encode()
    assert (directory / f"{name}.key_secret").stat().st_mode & 0o077 == 0
    return public, secret


def start_curve_synth(start_synth, binary: Path, directory: Path, count: int):
    """A CURVE publisher allowing one client key; returns it with the server and client keys."""
    server_public, _ = keygen(binary, directory, "server")
    client_public, client_secret = keygen(binary, directory, "client")
    publisher = start_synth("--count", str(count), "--rate", "100", "--wait-subscribers", "1",
                            "--server-secret-key-file", str(directory / "server.key_secret"),
                            "--allow-client-key", str(directory / "client.key"))
    return publisher, server_public, client_public, client_secret


def test_curve_allowlisted_python_client_receives_and_stranger_does_not(start_synth, krakenbridge_bin, tmp_path):
    publisher, server_public, client_public, client_secret = start_curve_synth(start_synth, krakenbridge_bin, tmp_path, 40)
    stranger_public, stranger_secret = zmq.curve_keypair()
    with Subscriber(publisher.endpoint, [b""], server_key=stranger_public, public_key=stranger_public,
                    secret_key=stranger_secret) as stranger, \
         Subscriber(publisher.endpoint, [b""], server_key=server_public, public_key=client_public,
                    secret_key=client_secret) as trusted:
        # Wrong server key for the stranger makes sure it cannot even complete the handshake;
        # a correct server key with an unlisted client key is covered in the Swift suite.
        received = list(trusted.frames(timeout_ms=3_000))
        assert stranger.receive(500) is None
    publisher.wait()
    assert sum(1 for f in received if isinstance(f.payload, market_pb2.Trade)) >= 30


def test_curve_unlisted_key_with_right_server_key_gets_nothing(start_synth, krakenbridge_bin, tmp_path):
    publisher, server_public, client_public, client_secret = start_curve_synth(start_synth, krakenbridge_bin, tmp_path, 20)
    stranger_public, stranger_secret = zmq.curve_keypair()
    with Subscriber(publisher.endpoint, [b""], server_key=server_public, public_key=stranger_public,
                    secret_key=stranger_secret) as stranger:
        monitor = stranger.socket.get_monitor_socket()
        with Subscriber(publisher.endpoint, [b""], server_key=server_public, public_key=client_public,
                        secret_key=client_secret) as trusted:
            list(trusted.frames(timeout_ms=2_000))
        assert stranger.receive(300) is None
        events = []
        while monitor.poll(200):
            events.append(recv_monitor_message(monitor)["event"])
        assert zmq.EVENT_HANDSHAKE_FAILED_AUTH in events
    publisher.wait()
