"""Shared fixtures: the Swift `krakenbridge` binary, started as a real publisher."""

from __future__ import annotations

import os
import re
import select
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def krakenbridge_bin() -> Path:
    """The debug binary built by the test command (or KRAKENBRIDGE_BIN)."""
    configured = os.environ.get("KRAKENBRIDGE_BIN")
    if configured:
        path = Path(configured)
    else:
        bin_dir = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout.strip()
        path = Path(bin_dir) / "krakenbridge"
    assert path.is_file(), f"{path} is missing: build the Swift package first (scripts/test.sh does)"
    return path


class RunningPublisher:
    """A `krakenbridge synth` process and the endpoint it bound."""

    def __init__(self, process: subprocess.Popen, endpoint: str) -> None:
        self.process = process
        self.endpoint = endpoint

    def wait(self, timeout: float = 30) -> str:
        """Waits for the publisher to exit; returns what it wrote to stderr afterwards."""
        try:
            _, rest = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, rest = self.process.communicate()
            raise AssertionError("publisher did not finish in time")
        assert self.process.returncode == 0, rest
        return rest


@pytest.fixture
def start_synth(krakenbridge_bin):
    """Starts `krakenbridge synth` on a free loopback port; yields a factory."""
    started: list[subprocess.Popen] = []

    def start(*args: str) -> RunningPublisher:
        process = subprocess.Popen(
            [str(krakenbridge_bin), "synth", "--bind", "tcp://127.0.0.1:*", *args],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        started.append(process)
        deadline = time.monotonic() + 30
        line = ""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([process.stderr], [], [], 0.5)
            if ready:
                line = process.stderr.readline()
                match = re.search(r" on (tcp://\S+)", line)
                if match:
                    return RunningPublisher(process, match.group(1))
            if process.poll() is not None:
                break
        raise AssertionError(f"synth did not report its endpoint: {line!r} {process.stderr.read()}")

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture
def context():
    """A ZeroMQ context of the test's own, terminated after it."""
    import zmq
    context = zmq.Context()
    yield context
    context.term()


@pytest.fixture
def server(context):
    """The fake control server of test_control_client.py (the sync and asyncio clients' tests)."""
    from test_control_client import FakeControlServer
    server = FakeControlServer(context)
    yield server
    server.close()
