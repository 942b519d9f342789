"""Starting the real `krakenbridge sim` and `krakenbridge run` processes for integration tests."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

DEMO_KEY = "KBSIM-DEMO-KEY"
DEMO_SECRET = "a3Jha2VuYnJpZGdlLXNpbXVsYXRvci1kZW1vLXNlY3JldC1kby1ub3QtdXNlLXdpdGgtcmVhbC1rcmFrZW4hIQ=="
"""The simulator's documented demo credentials (docs/simulator.md); never valid on Kraken."""


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


def start_simulator(binary: Path, *args: str) -> Simulator:
    """`sim` on free ports; its first stdout line names them."""
    process = subprocess.Popen(
        [str(binary), "sim", "--public-port", "0", "--private-port", "0", "--rest-port", "0", "--control-port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return Simulator(process, json.loads(process.stdout.readline()))


def start_bridge(binary: Path, simulator: Simulator, directory: Path, symbols: list[str], *args: str,
                 private: bool = True, transport: str = "ipc") -> Bridge:
    """`run` against the simulator with its endpoints (market, account, control) on ipc paths in
    `directory` or, with transport "tcp", on free loopback ports; with `private`, the demo key
    and a journal at `directory/journal.sqlite`."""
    ports = simulator.ports
    environment = dict(os.environ)
    if private:
        environment |= {"KRAKEN_API_KEY": DEMO_KEY, "KRAKEN_API_SECRET": DEMO_SECRET}
    process = subprocess.Popen(
        [str(binary), "run", "--ws-url", f"ws://127.0.0.1:{ports['public']}/v2",
         "--auth-ws-url", f"ws://127.0.0.1:{ports['private']}/v2", "--rest-url", f"http://127.0.0.1:{ports['rest']}",
         "--pairs", ",".join(symbols), *endpoint_options(directory, transport),
         "--journal-path", str(directory / "journal.sqlite"), "--simulated", "--stats-interval", "0", *args],
        stdout=subprocess.PIPE, stderr=(directory / "run.log").open("a"), text=True, env=environment)
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=10)
        log = (directory / "run.log").read_text()
        raise AssertionError(f"run exited with {process.returncode} before reporting its endpoints: {log}")
    endpoints = json.loads(line)
    return Bridge(process, endpoints["market"], endpoints["account"], endpoints["control"])


def endpoint_options(directory: Path, transport: str) -> list[str]:
    options = []
    for name in ("market", "account", "control"):
        endpoint = f"ipc://{directory}/{name}.sock" if transport == "ipc" else "tcp://127.0.0.1:*"
        options += [f"--{name}-bind", endpoint]
    return options


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, as docker stop does, then wait."""
    if process.poll() is None:
        process.terminate()
    process.wait(timeout=15)
