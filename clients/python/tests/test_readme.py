"""The README's examples run as written (endpoints replaced by a real bridge's) and print books."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from processes import simulator_and_bridge

README = Path(__file__).resolve().parents[1] / "README.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


@pytest.fixture(scope="module")
def bridge(krakenbridge_bin, tmp_path_factory):
    with simulator_and_bridge(krakenbridge_bin, tmp_path_factory.mktemp("readme"), ["BTC/USD"]) as (_, bridge):
        yield bridge


PRINTED = [r"BTC/USD \d+\.\d( \d+\.\d)?", r"BTC/USD \d+\.\d( \d+\.\d)?",
           r"(MarketDataL2Event|MarketDataTradeEvent) BTC/USD|(SystemStateEvent|ExecutionReportEvent|FillEvent) ?\S*"]
"""What each example prints per line: the book's best prices, twice; Gal-Friday's events."""


def test_the_readme_has_a_blocking_an_asyncio_and_a_gal_friday_example():
    assert len(EXAMPLES) == 3 and "AsyncSubscriber" in EXAMPLES[1] and "asyncio.run" in EXAMPLES[1]
    assert "BridgeAdapter" in EXAMPLES[2]
    assert all(len([line for line in code.splitlines() if line.strip()]) <= 12 for code in EXAMPLES)


@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=["blocking", "asyncio", "galfriday"])
def test_a_readme_example_runs_and_prints_what_it_says(bridge, index):
    code = EXAMPLES[index].replace("tcp://127.0.0.1:5555", bridge.market) \
        .replace("tcp://127.0.0.1:5556", bridge.account).replace("tcp://127.0.0.1:5557", bridge.control)
    # The examples run until stopped: a few seconds of output is the test.
    try:
        finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=6,
                                  env={**os.environ, "PYTHONUNBUFFERED": "1"})
        output, errors = finished.stdout, finished.stderr
    except subprocess.TimeoutExpired as stopped:
        output = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else (stopped.stdout or "")
        errors = ""
    lines = output.splitlines()[:-1] if not output.endswith("\n") else output.splitlines()  # cut mid-line
    assert len(lines) >= 3, errors
    assert all(re.fullmatch(PRINTED[index], line) for line in lines), lines[:5]
    if "BridgeAdapter" in EXAMPLES[index]:
        assert "MarketDataL2Event BTC/USD" in lines and "MarketDataTradeEvent BTC/USD" in lines, lines[:20]
