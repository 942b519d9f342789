"""What the benchmark harnesses under scripts/bench/ share: free ports, starting and stopping
processes, the simulator, Prometheus scrapes and a per-process CPU/memory sampler."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

SAMPLE_SECONDS = 0.005


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def first_line(process: subprocess.Popen, what: str, seconds: float) -> str:
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
    stop(process)
    raise SystemExit(f"bench: {what} did not start within {seconds:.0f} s (exit {process.returncode})")


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, seconds: float = 20) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def start_sim(binary: Path, *args: str, log_path: Path, seconds: float = 60) -> tuple[subprocess.Popen, dict]:
    process = subprocess.Popen(
        [str(binary), "sim", "--public-port", "0", "--private-port", "0", "--rest-port", "0", "--control-port", "0", *args],
        stdout=subprocess.PIPE, stderr=log_path.open("a"), text=True)
    return process, json.loads(first_line(process, "sim", seconds))


class Sampler:
    """Samples a process's CPU clock (all threads, ns) every 5 ms, and its VmHWM, on a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.clock = ((~pid) << 3) | 2          # Linux: the process CPU clock of `pid` (CPUCLOCK_SCHED)
        self.samples: list[tuple[int, int]] = []
        self.hwm_kib = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        count = 0
        while not self._done.is_set():
            try:
                self.samples.append((time.time_ns(), time.clock_gettime_ns(self.clock)))
                if count % 20 == 0:
                    self.read_hwm()
            except OSError:
                return
            count += 1
            time.sleep(SAMPLE_SECONDS)

    def read_hwm(self) -> None:
        try:
            text = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return
        match = re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)
        if match:
            self.hwm_kib = max(self.hwm_kib, int(match.group(1)))

    def finish(self) -> None:
        self.read_hwm()
        self._done.set()
        self._thread.join(timeout=2)

    def cpu_between(self, start_ns: int, end_ns: int) -> tuple[float, int]:
        """CPU seconds from the last sample at or before `start_ns` to the first at or after
        `end_ns`, and the wall span of those two samples (ns)."""
        before = [s for s in self.samples if s[0] <= start_ns]
        after = [s for s in self.samples if s[0] >= end_ns]
        first = before[-1] if before else self.samples[0]
        last = after[0] if after else self.samples[-1]
        return (last[1] - first[1]) / 1e9, last[0] - first[0]


def metrics(url: str) -> dict[str, float]:
    """Every sample of the Prometheus text as 'name{labels}' → value."""
    with urllib.request.urlopen(url, timeout=5) as response:
        text = response.read().decode()
    values: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.rpartition(" ")
            values[key] = float(value)
    return values


def total(values: dict[str, float], metric: str, **labels: str) -> float:
    out = 0.0
    for key, value in values.items():
        base, _, rest = key.partition("{")
        if base != metric:
            continue
        if all(f'{k}="{v}"' in rest for k, v in labels.items()):
            out += value
    return out


def bridge_command(binary: Path, ports: dict, tls_dir: Path, pairs: str, market_bind: str, protocol: str = "v1",
                   depth: int = 1000) -> list[str]:
    """`krakenbridge run` against a simulator started with `--tls-dir tls_dir` (wss and https):
    book `depth` and trades for `pairs`, the market PUB on `market_bind`, every other endpoint on
    a free port, metrics on a free port (printed with the endpoints), no journal, JSON logs."""
    path = "/" if protocol == "v1" else "/v2"
    return [str(binary), "run", "--protocol", protocol,
            "--ws-url", f"wss://127.0.0.1:{ports['public']}{path}", "--rest-url", f"https://127.0.0.1:{ports['rest']}",
            "--ca-file", str(tls_dir / "ca.pem"), "--pairs", pairs, "--book-depth", str(depth),
            "--market-bind", market_bind, "--account-bind", "tcp://127.0.0.1:*", "--control-bind", "tcp://127.0.0.1:*",
            "--metrics-bind", "127.0.0.1:0", "--no-journal", "--stats-interval", "0", "--log-format", "json"]


def bridge_environment() -> dict[str, str]:
    """This environment without KRAKEN_* and KRAKENBRIDGE_* (no credentials or settings leak in)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("KRAKEN_", "KRAKENBRIDGE_"))}


def add_common_arguments(parser, bench: bool = True) -> None:
    """--binary, --bench (when the harness runs krakenbridge-bench), --work and --markdown."""
    parser.add_argument("--binary", type=Path, required=True, help="a release krakenbridge")
    if bench:
        parser.add_argument("--bench", type=Path, required=True, help="a release krakenbridge-bench")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--markdown", type=Path)


def absolute_paths(options, *names: str) -> None:
    """Makes the named path options absolute, not resolved (a venv's python is a symlink), and
    creates the work directory."""
    for name in names:
        if getattr(options, name, None) is not None:
            setattr(options, name, Path(os.path.abspath(getattr(options, name))))
    options.work.mkdir(parents=True, exist_ok=True)
