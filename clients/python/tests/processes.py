"""Starting the real `krakenbridge sim` and `krakenbridge run` processes for integration tests.

Every wait here has a deadline: a process that never reports its endpoints, or never exits,
fails the test with what it logged instead of hanging the run."""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

DEMO_KEY = "KBSIM-DEMO-KEY"
DEMO_SECRET = "a3Jha2VuYnJpZGdlLXNpbXVsYXRvci1kZW1vLXNlY3JldC1kby1ub3QtdXNlLXdpdGgtcmVhbC1rcmFrZW4hIQ=="
"""The simulator's documented demo credentials (docs/simulator.md); never valid on Kraken."""

STARTUP_SECONDS = 60
"""How long a process may take to report its endpoints (a debug build on a loaded machine)."""


@dataclass
class Simulator:
    process: subprocess.Popen
    ports: dict


@dataclass
class Bridge:
    process: subprocess.Popen
    market: str
    account: str
    control: str
    metrics: Optional[str] = None
    """`http://host:port/metrics` when started with `--metrics-bind`."""


def first_line(process: subprocess.Popen, what: str, log: Optional[Path] = None,
               seconds: float = STARTUP_SECONDS) -> str:
    """The first line `process` writes to stdout, within `seconds`; an AssertionError naming
    `what` (with `log`'s text, if given) when it exits or stays silent."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if line:
                return line
            break
        if process.poll() is not None:
            break
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)
    logged = log.read_text() if log is not None and log.exists() else ""
    raise AssertionError(f"{what} did not report its endpoints within {seconds:.0f} s "
                         f"(exit status {process.returncode}): {logged}")


def start_simulator(binary: Path, *args: str) -> Simulator:
    """`sim` on free ports; its first stdout line names them."""
    process = subprocess.Popen(
        [str(binary), "sim", "--public-port", "0", "--private-port", "0", "--rest-port", "0", "--control-port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return Simulator(process, json.loads(first_line(process, "sim")))


def start_bridge(binary: Path, simulator: Simulator, directory: Path, symbols: list[str], *args: str,
                 private: bool = True, transport: str = "ipc", protocol: str = "v2",
                 control_bind: Optional[str] = None) -> Bridge:
    """`run` against the simulator with its endpoints (market, account, control) on ipc paths in
    `directory` or, with transport "tcp", on free loopback ports (`control_bind` overrides the
    control endpoint); with `private`, the demo key and a journal at `directory/journal.sqlite`.
    Its log goes to `directory/run.log`."""
    ports = simulator.ports
    environment = dict(os.environ)
    if private:
        environment |= {"KRAKEN_API_KEY": DEMO_KEY, "KRAKEN_API_SECRET": DEMO_SECRET}
    path = "/v2" if protocol == "v2" else "/"
    options = endpoint_options(directory, transport)
    if control_bind is not None:
        options[options.index("--control-bind") + 1] = control_bind
    log = directory / "run.log"
    process = subprocess.Popen(
        [str(binary), "run", "--protocol", protocol,
         "--ws-url", f"ws://127.0.0.1:{ports['public']}{path}",
         "--auth-ws-url", f"ws://127.0.0.1:{ports['private']}{path}",
         "--rest-url", f"http://127.0.0.1:{ports['rest']}",
         "--pairs", ",".join(symbols), *options,
         "--journal-path", str(directory / "journal.sqlite"), "--simulated", "--stats-interval", "0", *args],
        stdout=subprocess.PIPE, stderr=log.open("a"), text=True, env=environment)
    endpoints = json.loads(first_line(process, "run", log))
    return Bridge(process, endpoints["market"], endpoints["account"], endpoints["control"], endpoints.get("metrics"))


def endpoint_options(directory: Path, transport: str) -> list[str]:
    options = []
    for name in ("market", "account", "control"):
        endpoint = f"ipc://{directory}/{name}.sock" if transport == "ipc" else "tcp://127.0.0.1:*"
        options += [f"--{name}-bind", endpoint]
    return options


def stop(process: subprocess.Popen, seconds: float = 15) -> None:
    """SIGTERM, as docker stop does, then wait; a process still running after `seconds` is
    killed and the test fails."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
        raise AssertionError(f"{process.args[:2]} did not exit within {seconds:.0f} s of SIGTERM") from None


def stop_all(*processes: subprocess.Popen) -> None:
    """Stops every process, even when one of them fails to stop; then reports the first failure."""
    failure: Optional[AssertionError] = None
    for process in processes:
        try:
            stop(process)
        except AssertionError as error:
            failure = failure or error
    if failure is not None:
        raise failure


def receive_until(subscriber, matches, seconds: float, poll_ms: int = 1000):
    """The first frame `matches` accepts within `seconds` in all (frames that do not match are
    skipped), or None. Bounded even when other frames never stop arriving."""
    deadline = time.monotonic() + seconds
    while (remaining := deadline - time.monotonic()) > 0:
        frame = subscriber.receive(max(1, min(poll_ms, int(remaining * 1000))))
        if frame is not None and matches(frame):
            return frame
    return None


def drain(subscriber, handle, quiet_ms: int = 500, seconds: float = 30) -> None:
    """Hands every frame to `handle` until none arrives for `quiet_ms`; fails if frames are still
    arriving after `seconds` (a feed that was meant to be paused)."""
    deadline = time.monotonic() + seconds
    while (frame := subscriber.receive(quiet_ms)) is not None:
        handle(frame)
        assert time.monotonic() < deadline, f"frames still arriving after {seconds:.0f} s"


def wait_for(condition, seconds: float = 30):
    """`condition()`'s first truthy value within `seconds` (checked every 50 ms), else its last."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (value := condition()):
            return value
        time.sleep(0.05)
    return condition()


@contextmanager
def simulator_and_bridge(binary: Path, directory: Path, symbols: list[str], *args: str, **options):
    """A simulator (`--tick-ms 20`) and a bridge against it (`start_bridge` with `args` and
    `options`), both stopped on the way out, whatever happened."""
    simulator = start_simulator(binary, "--tick-ms", "20")
    try:
        bridge = start_bridge(binary, simulator, directory, symbols, *args, **options)
    except BaseException:
        stop_all(simulator.process)
        raise
    try:
        yield simulator, bridge
    finally:
        stop_all(bridge.process, simulator.process)


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str):
    """The decoded answer, or None while the server is not answering (yet)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None
