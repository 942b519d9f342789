"""The soak: `krakenbridge sim` with every fault kind and order flow against a release
`krakenbridge run`, watched from the outside through the bus and the control socket only.

Checks (non-zero exit when one fails):
- books: at every checkpoint (market paused, bus quiet) each book held from the bus alone equals
  the simulator's truth, level by level, and every update's checksum verified on the way;
- executions: every fill the simulator made reached `fill:` exactly once in quantity per order,
  no exec id twice, none the simulator never made; no terminal order status reported twice and
  none missing;
- the bus: no sequence gap on any topic.
Reported: RSS of the bridge (after warm-up, peak, end), reconnect times per fault kind (fault →
connection down, down → active again), book recovery times (reset → snapshot) per reason.

Run through scripts/soak.sh, which builds the release binary and the venv.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import zmq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "clients/python"))
sys.path.insert(0, str(ROOT / "clients/python/tests"))

from krakenbridge import topics  # noqa: E402
from krakenbridge.book import Books  # noqa: E402
from krakenbridge.clone import LateJoiner  # noqa: E402
from krakenbridge.control import ControlClient  # noqa: E402
from krakenbridge.decimals import to_decimal  # noqa: E402
from krakenbridge.subscriber import Subscriber  # noqa: E402
from krakenbridge.v1 import account_pb2, frame_pb2, service_pb2  # noqa: E402
from processes import start_bridge, start_simulator, stop_all  # noqa: E402

SYMBOLS = ["BTC/USD", "ETH/USD", "DOGE/USD", "MATIC/USD"]
DEPTH = 25
DOWN = {service_pb2.CONNECTION_STATE_DISCONNECTED, service_pb2.CONNECTION_STATE_RECONNECTING,
        service_pb2.CONNECTION_STATE_FAILED}
ACTIVE = service_pb2.CONNECTION_STATE_ACTIVE
TERMINAL = {account_pb2.ORDER_STATUS_FILLED: "filled", account_pb2.ORDER_STATUS_CANCELED: "canceled",
            account_pb2.ORDER_STATUS_EXPIRED: "expired"}

# name → (the fault's JSON, or several fired together; the feeds it can take down; the fault that
# ends it and after how long). Faults armed for the next token or REST call are fired with a
# disconnect of the private feed, which makes that call at once.
DROP_PRIVATE = {"kind": "disconnect", "target": "private"}
FAULTS: dict[str, tuple[dict | list[dict], set[str], tuple[dict, float] | None]] = {
    "disconnect public": ({"kind": "disconnect", "target": "public"}, {"public"}, None),
    "disconnect private clean": ({"kind": "disconnect", "target": "private", "clean": True}, {"private"}, None),
    "disconnect all": ({"kind": "disconnect", "target": "all"}, {"public", "private"}, None),
    "stall public + heartbeats": ({"kind": "stall", "target": "public", "heartbeats": True}, {"public"}, None),
    "stall public silent": ({"kind": "stall", "target": "public"}, {"public"}, None),
    "stall private + heartbeats": ({"kind": "stall", "target": "private", "heartbeats": True}, {"private"}, None),
    "stall private silent": ({"kind": "stall", "target": "private"}, {"private"}, None),
    "corrupt checksum": ({"kind": "corrupt_checksum", "count": 2}, {"public"}, None),
    "sequence skip": ({"kind": "sequence_skip"}, {"private"}, None),
    "sequence duplicate": ({"kind": "sequence_duplicate"}, {"private"}, None),
    "sequence reorder": ({"kind": "sequence_reorder"}, {"private"}, None),
    "malformed json": ({"kind": "malformed_json", "target": "all"}, {"public", "private"}, None),
    "oversized frame": ({"kind": "oversized_frame", "target": "public", "bytes": 2 << 20}, {"public"}, None),
    "rate limit": ({"kind": "rate_limit"}, {"public", "private"}, None),
    "reject token + disconnect": ([{"kind": "reject_tokens"}, DROP_PRIVATE], {"private"}, None),
    "REST 5xx + disconnect": ([{"kind": "rest_failure", "mode": "5xx"}, DROP_PRIVATE], {"private"}, None),
    "REST timeout + disconnect": ([{"kind": "rest_failure", "mode": "timeout"}, DROP_PRIVATE], {"private"}, None),
    "latency 80 ms": ({"kind": "latency", "milliseconds": 80}, {"public", "private"},
                      ({"kind": "latency", "milliseconds": 0}, 1.0)),
    "maintenance": ({"kind": "status", "status": "maintenance"}, {"public", "private"},
                    ({"kind": "status", "status": "online"}, 1.0)),
}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


@dataclass
class Fired:
    name: str
    at: float
    targets: set[str]


@dataclass
class Observations:
    """What the bus showed, stamped with this process's monotonic clock."""
    transitions: dict[str, list[tuple[float, int, str]]] = field(default_factory=lambda: defaultdict(list))
    resets: dict[str, list[tuple[float, int]]] = field(default_factory=lambda: defaultdict(list))
    recoveries: list[tuple[int, float]] = field(default_factory=list)
    fills: list[account_pb2.Fill] = field(default_factory=list)
    reports: list[account_pb2.ExecutionReport] = field(default_factory=list)
    checksum_errors: list[str] = field(default_factory=list)
    frames = 0


class Soak:
    def __init__(self, binary: Path, directory: Path, seed: int, tick_ms: int, bridge_args: list[str]) -> None:
        self.random = random.Random(seed)
        self.simulator = start_simulator(binary, "--tick-ms", str(tick_ms), "--pairs", ",".join(SYMBOLS))
        try:
            self.bridge = start_bridge(binary, self.simulator, directory, SYMBOLS, "--book-depth", str(DEPTH),
                                       "--tickers", "--ohlc", "1", *bridge_args, control_bind="tcp://127.0.0.1:*")
        except BaseException:
            stop_all(self.simulator.process)
            raise
        self.control = ControlClient(self.bridge.control, timeout_ms=5000)
        self.market = Subscriber(self.bridge.market, [b"book:", b"conn:"])
        self.account = Subscriber(self.bridge.account, [topics.EXECUTIONS, topics.FILLS, b"conn:"])
        self.poller = zmq.Poller()
        self.poller.register(self.market.socket, zmq.POLLIN)
        self.poller.register(self.account.socket, zmq.POLLIN)
        self.joiner = LateJoiner(self.market, self.control, "book:")
        self.books = Books()
        self.seen = Observations()
        self.feed_names: dict[str, str] = {}
        self.awaiting_snapshot: dict[str, tuple[float, int]] = {}

    def close(self) -> None:
        self.market.close()
        self.account.close()
        self.control.close()
        stop_all(self.bridge.process, self.simulator.process)

    # -- the simulator ------------------------------------------------------------------------

    def sim(self, method: str, path: str, body: dict | None = None) -> object:
        data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
        request = urllib.request.Request(f"http://127.0.0.1:{self.simulator.ports['control']}{path}",
                                         data=data, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def truth_events(self, since: int = 0) -> list[dict]:
        """Execution events the simulator emitted, from index `since` of its event list."""
        return self.sim("GET", f"/truth/private-events?since={since}")

    # -- the bus ------------------------------------------------------------------------------

    def pump(self, seconds: float) -> None:
        """Reads both sockets for `seconds`."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            ready = dict(self.poller.poll(max(1, int(remaining * 1000))))
            if self.market.socket in ready:
                while (frame := self.joiner.receive(0)) is not None:
                    self.on_market(frame)
            if self.account.socket in ready:
                while (frame := self.account.receive(0)) is not None:
                    self.on_account(frame)

    def quiet(self, quiet_seconds: float = 0.5, limit: float = 30) -> None:
        """Reads until nothing arrived for `quiet_seconds` (book topics only count)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            before = self.seen.frames
            self.pump(quiet_seconds)
            if self.seen.frames == before:
                return

    def on_market(self, frame) -> None:
        now = time.monotonic()
        if frame.topic.startswith("conn:"):
            self.on_connection(frame, now)
            return
        kind = frame.header.message_type
        if kind == frame_pb2.MESSAGE_TYPE_TOPIC_HEARTBEAT:
            return  # idle topics say so every second: not activity
        self.seen.frames += 1
        if kind == frame_pb2.MESSAGE_TYPE_BOOK_RESET:
            self.seen.resets[frame.topic].append((now, frame.payload.reason))
            self.awaiting_snapshot[frame.topic] = (now, frame.payload.reason)
        elif kind == frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT and frame.topic in self.awaiting_snapshot:
            since, reason = self.awaiting_snapshot.pop(frame.topic)
            self.seen.recoveries.append((reason, now - since))
        book = self.books.apply(frame)
        if kind == frame_pb2.MESSAGE_TYPE_BOOK_UPDATE and book is not None and book.checksum != frame.payload.checksum:
            self.seen.checksum_errors.append(f"{frame.topic} sequence {frame.header.sequence}")

    def on_account(self, frame) -> None:
        now = time.monotonic()
        if frame.topic.startswith("conn:"):
            self.on_connection(frame, now)
        elif isinstance(frame.payload, account_pb2.Fill):
            self.seen.fills.append(frame.payload)
        elif isinstance(frame.payload, account_pb2.ExecutionReport):
            self.seen.reports.append(frame.payload)

    def on_connection(self, frame, now: float) -> None:
        status = frame.payload
        self.seen.transitions[status.feed].append((now, status.state, status.detail))

    # -- the run ------------------------------------------------------------------------------

    def run(self, minutes: float, fault_every: float, check_every: float) -> dict:
        deadline = time.monotonic() + 60
        while not self.control.health().health.healthy:
            assert time.monotonic() < deadline, "the bridge never became healthy"
            time.sleep(0.2)
        for frame in self.joiner.synchronise().frames:
            self.books.apply(frame)
        # Executions are compared from a quiet point: the account stands still while paused.
        self.sim("POST", "/market/pause")
        self.quiet()
        since = max((event["index"] + 1 for event in self.truth_events()), default=0)
        fills_from, reports_from = len(self.seen.fills), len(self.seen.reports)
        self.sim("POST", "/market/resume")

        pid = self.bridge.process.pid
        rss: list[tuple[float, int]] = [(0.0, rss_kib(pid))]
        start = time.monotonic()
        end = start + minutes * 60
        fired: list[Fired] = []
        undo: list[tuple[float, dict]] = []
        open_orders: list[tuple[float, str]] = []
        order_count = 0
        kinds = list(FAULTS)
        queue: list[str] = []
        # A feed a fault is aimed at gets no other fault until it has recovered (or the fault's
        # window passed without it going down), so every reconnect is measured against its cause.
        watching: dict[str, tuple[float, float]] = {}
        next_fault = start + 5
        next_order = start + 1
        next_check = start + check_every
        next_rss = start + 5
        checks: list[dict] = []
        while (now := time.monotonic()) < end:
            if undo and undo[0][0] <= now:
                self.sim("POST", "/faults", undo.pop(0)[1])
            for target, (fired_at, give_up) in list(watching.items()):
                if self.recovered(target, fired_at, now, give_up):
                    del watching[target]
            if now >= next_fault:
                if not queue:
                    queue = kinds[:]
                    self.random.shuffle(queue)
                name = next((n for n in queue if not FAULTS[n][1] & watching.keys()), None)
                if name is not None:
                    queue.remove(name)
                    body, targets, ending = FAULTS[name]
                    bodies = body if isinstance(body, list) else [body]
                    for one in bodies:
                        self.sim("POST", "/faults", one)
                    fired.append(Fired(name, time.monotonic(), targets))
                    window = 20.0 if bodies[0]["kind"] == "stall" else 4.0
                    for target in targets:
                        watching[target] = (fired[-1].at, fired[-1].at + window)
                    if ending is not None:
                        undo.append((now + ending[1], ending[0]))
                        undo.sort(key=lambda item: item[0])
                    next_fault = now + fault_every * self.random.uniform(0.5, 1.5)
            if now >= next_order:
                order_count += self.place_or_cancel(open_orders, now)
                next_order = now + self.random.uniform(0.5, 2.0)
            if now >= next_rss:
                rss.append((now - start, rss_kib(pid)))
                next_rss = now + 5
            if now >= next_check:
                for _, ending in undo:
                    self.sim("POST", "/faults", ending)
                undo.clear()
                checks.append(self.check_books(time.monotonic() - start))
                next_check = time.monotonic() + check_every
                next_fault = max(next_fault, time.monotonic() + 1)
            self.pump(min(0.05, max(0.001, min(next_fault, next_order, next_check) - time.monotonic())))

        self.sim("POST", "/faults", {"kind": "clear"})
        elapsed = time.monotonic() - start
        checks.append(self.check_books(elapsed))
        rss.append((time.monotonic() - start, rss_kib(pid)))
        executions = self.check_executions(since, fills_from, reports_from)
        return self.report(minutes, elapsed, fired, checks, executions, rss, order_count)

    @staticmethod
    def target_of(feed: str) -> str:
        """The fault target ("public"/"private") a `conn:` feed name belongs to."""
        return "private" if "private" in feed or "account" in feed else "public"

    def recovered(self, target: str, fired_at: float, now: float, give_up: float) -> bool:
        """The fault's feed went down after `fired_at` and is active again (half a second ago),
        or it never went down within the window; a feed down for 60 s more is given up on."""
        for feed, transitions in self.seen.transitions.items():
            if self.target_of(feed) != target:
                continue
            down = next((t for t, state, _ in transitions if t >= fired_at and state in DOWN), None)
            if down is not None:
                up = next((t for t, state, _ in transitions if t > down and state == ACTIVE), None)
                return (up is not None and now - up > 0.5) or now > give_up + 60
        return now > give_up

    def place_or_cancel(self, open_orders: list[tuple[float, str]], now: float) -> int:
        """Order flow beside the account's own: limit orders at the touch (some cancelled a few
        seconds later) and small market orders."""
        if open_orders and now - open_orders[0][0] > 3 and self.random.random() < 0.5:
            _, order_id = open_orders.pop(0)
            try:
                self.sim("POST", "/orders/cancel", {"order_id": order_id})
            except urllib.error.HTTPError:
                pass  # already filled or expired: the simulator's truth has it
            return 0
        symbol = self.random.choice(SYMBOLS)
        side = self.random.choice(["buy", "sell"])
        truth = self.sim("GET", f"/truth/book?symbol={symbol.replace('/', '%2F')}&depth=10")
        body: dict = {"symbol": symbol, "side": side, "quantity": "0.01000000"}
        touch = truth["bids" if side == "buy" else "asks"]
        if self.random.random() < 0.6 and touch:
            body |= {"type": "limit", "price": touch[0][0]}
        else:
            body["type"] = "market"
        try:
            placed = self.sim("POST", "/orders", body)
        except urllib.error.HTTPError:
            return 0  # e.g. insufficient funds; the account's own flow goes on
        if body["type"] == "limit":
            open_orders.append((now, placed["order_id"]))
        return 1

    def check_books(self, at: float) -> dict:
        """Pauses the market, lets the bridge settle (a resync in flight finishes), compares."""
        self.sim("POST", "/market/pause")
        started = time.monotonic()
        mismatched: list[str] = []
        while True:
            self.quiet()
            mismatched = []
            for symbol in SYMBOLS:
                book = self.books.get(topics.book(symbol, DEPTH).decode())
                truth = self.sim("GET", f"/truth/book?symbol={symbol.replace('/', '%2F')}&depth={DEPTH}")
                if book is None or book.checksum != truth["checksum"] or \
                        [[[format(p, "f"), format(q, "f")] for p, q in side] for side in book.levels()] != \
                        [truth["bids"], truth["asks"]]:
                    mismatched.append(symbol)
            if not mismatched or time.monotonic() - started > 30:
                break
            self.pump(0.5)
        self.sim("POST", "/market/resume")
        return {"at_s": round(at, 1), "settle_s": round(time.monotonic() - started, 2), "mismatched": mismatched}

    def check_executions(self, since: int, fills_from: int, reports_from: int) -> dict:
        self.sim("POST", "/market/pause")
        truth = self.truth_events(since)
        truth_quantity: dict[str, Decimal] = defaultdict(Decimal)
        truth_exec_ids = set()
        truth_terminal = set()
        for event in truth:
            if event["exec_type"] == "trade":
                truth_quantity[event["order_id"]] += Decimal(event["last_qty"])
                truth_exec_ids.add(event["exec_id"])
            if event["exec_type"] in TERMINAL.values():
                truth_terminal.add((event["order_id"], event["exec_type"]))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            self.quiet(1.0)
            bus_quantity = self.bus_quantity(fills_from)
            if all(bus_quantity.get(order, Decimal(0)) >= quantity for order, quantity in truth_quantity.items()):
                break
        self.quiet(1.0)
        bus_quantity = self.bus_quantity(fills_from)
        exec_ids = [f.exec_id for f in self.seen.fills[fills_from:] if ":filled-through:" not in f.exec_id]
        terminal = [(r.order_id, TERMINAL[r.order_status]) for r in self.seen.reports[reports_from:]
                    if r.order_status in TERMINAL]
        wrong_quantity = {order: (str(bus_quantity.get(order, 0)), str(quantity))
                          for order, quantity in truth_quantity.items() if bus_quantity.get(order, Decimal(0)) != quantity}
        return {
            "truth_fills": len(truth_exec_ids),
            "bus_fills": len(self.seen.fills) - fills_from,
            "orders_filled": len(truth_quantity),
            "orders_with_wrong_quantity": wrong_quantity,
            "exec_ids_twice": len(exec_ids) - len(set(exec_ids)),
            "exec_ids_invented": sorted(set(exec_ids) - truth_exec_ids),
            "aggregated_fills": sum(1 for f in self.seen.fills[fills_from:] if ":filled-through:" in f.exec_id),
            "truth_terminal": len(truth_terminal),
            "terminal_twice": len(terminal) - len(set(terminal)),
            "terminal_missing": sorted(truth_terminal - set(terminal))[:20],
            "execution_reports": len(self.seen.reports) - reports_from,
        }

    def bus_quantity(self, fills_from: int) -> dict[str, Decimal]:
        quantity: dict[str, Decimal] = defaultdict(Decimal)
        for fill in self.seen.fills[fills_from:]:
            quantity[fill.order_id] += to_decimal(fill.quantity)
        return quantity

    # -- the report ---------------------------------------------------------------------------

    def reconnects(self, fired: list[Fired]) -> dict[str, dict]:
        """Per fault kind: for each connection that went down after it (and before the next
        fault aimed at the same feed), fault → down and down → active."""
        rows: dict[str, dict] = {name: {"fired": 0, "detect": [], "reconnect": []} for name in FAULTS}
        for index, fault in enumerate(fired):
            rows[fault.name]["fired"] += 1
            for feed, transitions in self.seen.transitions.items():
                target = self.target_of(feed)
                if target not in fault.targets:
                    continue
                until = next((later.at for later in fired[index + 1:] if target in later.targets), float("inf"))
                down = next((t for t, state, _ in transitions if fault.at <= t < until and state in DOWN), None)
                if down is None:
                    continue
                up = next((t for t, state, _ in transitions if t > down and state == ACTIVE), None)
                rows[fault.name]["detect"].append(down - fault.at)
                if up is not None:
                    rows[fault.name]["reconnect"].append(up - down)
        return rows

    def report(self, minutes, elapsed, fired, checks, executions, rss, orders) -> dict:
        gaps = [f"{gap}" for gap in self.market.gaps + self.account.gaps]
        recoveries: dict[str, list[float]] = defaultdict(list)
        for reason, seconds in self.seen.recoveries:
            recoveries[service_pb2.BookResetReason.Name(reason).removeprefix("BOOK_RESET_REASON_").lower()].append(seconds)
        warm = next((kib for at, kib in rss if at >= 30), rss[-1][1])
        failures = []
        if any(check["mismatched"] for check in checks):
            failures.append("a book differed from the truth")
        if self.seen.checksum_errors:
            failures.append("an update's checksum did not verify")
        if gaps:
            failures.append("the bus had gaps")
        if executions["orders_with_wrong_quantity"] or executions["exec_ids_twice"] or executions["exec_ids_invented"]:
            failures.append("fills not exactly once")
        if executions["terminal_twice"] or executions["terminal_missing"]:
            failures.append("order statuses not exactly once")
        return {
            "minutes": minutes, "elapsed_s": round(elapsed, 1), "faults": len(fired),
            "orders_placed_by_soak": orders, "bus_book_frames": self.seen.frames,
            "book_checks": len(checks), "book_checks_failed": [c for c in checks if c["mismatched"]],
            "book_settle_s_max": max(c["settle_s"] for c in checks),
            "book_checks_detail": checks,
            "rss_series_kib": rss,
            "checksum_errors": self.seen.checksum_errors[:20], "gaps": gaps[:20],
            "executions": executions,
            "rss_kib": {"start": rss[0][1], "after_30s": warm, "peak": max(k for _, k in rss), "end": rss[-1][1]},
            "reconnects": self.reconnects(fired),
            "book_recoveries": recoveries,
            "failures": failures,
        }


def markdown(result: dict) -> str:
    def ms(values: list[float], fraction: float) -> str:
        return f"{percentile(values, fraction) * 1000:.0f}" if values else "–"

    lines = [f"Soak of {result['minutes']} min ({result['elapsed_s']} s): {result['faults']} faults, "
             f"{result['orders_placed_by_soak']} orders placed by the soak, {result['bus_book_frames']} book frames, "
             f"{result['book_checks']} book checks ({len(result['book_checks_failed'])} failed, settle max "
             f"{result['book_settle_s_max']} s), {len(result['gaps'])} gaps, "
             f"{len(result['checksum_errors'])} checksum errors.", ""]
    e = result["executions"]
    lines += [f"Executions: {e['truth_fills']} fills by the simulator, {e['bus_fills']} on `fill:` "
              f"({e['aggregated_fills']} aggregated from REST totals), {e['orders_filled']} orders filled, "
              f"{len(e['orders_with_wrong_quantity'])} with a wrong quantity, {e['exec_ids_twice']} exec ids twice, "
              f"{len(e['exec_ids_invented'])} invented; {e['truth_terminal']} terminal statuses, "
              f"{e['terminal_twice']} twice, {len(e['terminal_missing'])} missing; "
              f"{e['execution_reports']} execution reports.", ""]
    r = result["rss_kib"]
    lines += [f"RSS: {r['start'] / 1024:.1f} MB at start, {r['after_30s'] / 1024:.1f} MB after 30 s, "
              f"peak {r['peak'] / 1024:.1f} MB, {r['end'] / 1024:.1f} MB at the end "
              f"(growth after warm-up {(r['end'] - r['after_30s']) / 1024:+.1f} MB).", ""]
    lines += ["| fault | fired | went down | fault → down p50 / p99 (ms) | down → active p50 / p99 / max (ms) |",
              "|---|---:|---:|---:|---:|"]
    for name, row in result["reconnects"].items():
        lines.append(f"| {name} | {row['fired']} | {len(row['detect'])} | {ms(row['detect'], 0.5)} / "
                     f"{ms(row['detect'], 0.99)} | {ms(row['reconnect'], 0.5)} / {ms(row['reconnect'], 0.99)} / "
                     f"{ms(row['reconnect'], 1.0)} |")
    lines += ["", "| book reset reason | resets | reset → snapshot p50 / p99 / max (ms) |", "|---|---:|---:|"]
    for reason, values in sorted(result["book_recoveries"].items()):
        lines.append(f"| {reason} | {len(values)} | {ms(values, 0.5)} / {ms(values, 0.99)} / {ms(values, 1.0)} |")
    lines += ["", "Result: " + ("PASS" if not result["failures"] else "FAIL: " + "; ".join(result["failures"]))]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=15)
    parser.add_argument("--bin", type=Path, required=True, help="the krakenbridge binary (release)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tick-ms", type=int, default=20)
    parser.add_argument("--fault-every", type=float, default=1.0, help="mean seconds between faults")
    parser.add_argument("--check-every", type=float, default=60, help="seconds between book checks")
    parser.add_argument("--json", type=Path, help="also write the result as JSON here")
    parser.add_argument("--bridge-arg", action="append", default=[], metavar="ARG",
                        help="an extra argument for `krakenbridge run` (repeatable), e.g. --bridge-arg=--finished-order-retention=60")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-soak-") as directory:
        soak = Soak(options.bin, Path(directory), options.seed, options.tick_ms, options.bridge_arg)
        try:
            result = soak.run(options.minutes, options.fault_every, options.check_every)
        finally:
            soak.close()
    if options.json:
        options.json.write_text(json.dumps(result, indent=2, default=list))
    print(markdown(result))
    return 0 if not result["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
