"""`krakenbridge top` in a real 80×24 terminal (tmux): what it shows of a running bridge, and that
q leaves it cleanly."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid

from processes import simulator_and_bridge


class Terminal:
    """A tmux server of its own running one command in an 80×24 window."""

    def __init__(self, *command: str):
        tmux = shutil.which("tmux")
        assert tmux is not None, "tmux is missing: the test command installs Debian's tmux package"
        self.base = [tmux, "-L", f"kbtop-{uuid.uuid4().hex[:8]}"]
        subprocess.run([*self.base, "new-session", "-d", "-x", "80", "-y", "24", "-s", "top", *command], check=True, timeout=10)

    def screen(self) -> str:
        result = subprocess.run([*self.base, "capture-pane", "-p", "-t", "top"], capture_output=True, text=True, timeout=10)
        return result.stdout if result.returncode == 0 else ""

    def wait_for(self, condition, what: str, seconds: float = 30) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            screen = self.screen()
            if condition(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"the screen never showed {what}:\n{self.screen()}")

    def press(self, key: str) -> None:
        subprocess.run([*self.base, "send-keys", "-t", "top", key], check=True, timeout=10)

    def running(self) -> bool:
        return subprocess.run([*self.base, "has-session", "-t", "top"], capture_output=True, timeout=10).returncode == 0

    def wait_until_closed(self, seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while self.running():
            assert time.monotonic() < deadline, f"top did not exit:\n{self.screen()}"
            time.sleep(0.05)

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, timeout=10)


def test_top_shows_both_feeds_active_with_rates_and_q_quits(krakenbridge_bin, tmp_path):
    with simulator_and_bridge(krakenbridge_bin, tmp_path, ["BTC/USD", "ETH/USD"], transport="tcp") as (_, bridge):
        terminal = Terminal(str(krakenbridge_bin), "top", "--connect", bridge.control)
        try:
            screen = terminal.wait_for(
                lambda text: "public   active" in text and "private  active" in text and " book " in text and "healthy" in text,
                "both feeds active, book rates and a healthy bridge")
            lines = screen.splitlines()
            assert lines[0].startswith(f"KrakenBridge top  {bridge.control}  ") and lines[0].endswith("healthy")
            assert "CONNECTIONS  feed      state          reconnects  breaker" in lines
            assert any(line.startswith("LATENCY      p50 ") for line in lines)
            assert "PROBLEMS     none" in lines
            assert all(len(line) <= 80 for line in lines) and len(lines) <= 24
            terminal.press("q")
            terminal.wait_until_closed()
        finally:
            terminal.close()


def test_top_says_a_bridge_is_unreachable_and_keeps_asking(krakenbridge_bin):
    terminal = Terminal(str(krakenbridge_bin), "top", "--connect", "tcp://127.0.0.1:9", "--interval-ms", "500")
    try:
        terminal.wait_for(lambda text: "UNREACHABLE" in text and "no reply within 500 ms" in text, "the bridge as unreachable")
        assert terminal.running(), "an unreachable bridge is not a reason to exit"
        terminal.press("C-c")
        terminal.wait_until_closed()
    finally:
        terminal.close()
