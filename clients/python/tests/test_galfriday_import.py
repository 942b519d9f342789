"""Which event classes the adapter builds: Gal-Friday2's own when ``gal_friday`` is importable
(a stand-in package with the shapes of galfriday.md §2 is put on the path of a fresh
interpreter), the package's stand-ins otherwise, and never a silent fallback when an installed
``gal_friday`` is broken."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import krakenbridge.galfriday as adapter
from krakenbridge.galfriday import _fallback

TESTS = Path(__file__).resolve().parent

GAL_FRIDAY_EVENTS = '''
"""A stand-in for gal_friday/core/events.py: its classes' shapes (galfriday.md §2)."""
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum


class EventType(Enum):
    MARKET_DATA_L2 = 1
    MARKET_DATA_OHLCV = 2
    MARKET_DATA_TRADE = 3
    EXECUTION_REPORT = 9
    FILL = 10
    SYSTEM_STATE_CHANGE = 12
    MARKET_DATA_TICKER = 23


@dataclass(frozen=True)
class Event:
    source_module: str
    event_id: uuid.UUID
    timestamp: datetime


@dataclass(frozen=True)
class SystemStateEvent(Event):
    new_state: str
    reason: str
    halt_action: str | None = None
    event_type: EventType = field(default=EventType.SYSTEM_STATE_CHANGE, init=False)


@dataclass(frozen=True)
class MarketDataL2Event(Event):
    trading_pair: str
    exchange: str
    bids: Sequence[tuple[str, str]]
    asks: Sequence[tuple[str, str]]
    is_snapshot: bool
    timestamp_exchange: datetime | None = None
    event_type: EventType = field(default=EventType.MARKET_DATA_L2, init=False)


@dataclass(frozen=True)
class MarketDataOHLCVEvent(Event):
    trading_pair: str
    exchange: str
    interval: str
    timestamp_bar_start: datetime
    open: str
    high: str
    low: str
    close: str
    volume: str
    event_type: EventType = field(default=EventType.MARKET_DATA_OHLCV, init=False)


@dataclass(frozen=True)
class MarketDataTradeEvent(Event):
    trading_pair: str
    exchange: str
    timestamp_exchange: datetime
    price: Decimal
    volume: Decimal
    side: str
    trade_id: str | None = None
    event_type: EventType = field(default=EventType.MARKET_DATA_TRADE, init=False)

    def __post_init__(self) -> None:
        if self.side.lower() not in ["buy", "sell"] or self.price <= 0 or self.volume <= 0:
            raise ValueError("invalid trade")


@dataclass(frozen=True)
class MarketDataTickerEvent(Event):
    trading_pair: str
    exchange: str
    timestamp_exchange: datetime
    bid: Decimal
    bid_size: Decimal
    ask: Decimal
    ask_size: Decimal
    last_price: Decimal
    last_size: Decimal
    volume_24h: Decimal
    vwap_24h: Decimal
    high_24h: Decimal
    low_24h: Decimal
    trades_24h: int
    event_type: EventType = field(default=EventType.MARKET_DATA_TICKER, init=False)


@dataclass(frozen=True)
class ExecutionReportEvent(Event):
    exchange_order_id: str
    trading_pair: str
    exchange: str
    order_status: str
    order_type: str
    side: str
    quantity_ordered: Decimal
    signal_id: uuid.UUID | None = None
    client_order_id: str | None = None
    quantity_filled: Decimal = Decimal(0)
    average_fill_price: Decimal | None = None
    limit_price: Decimal | None = None
    stop_price: Decimal | None = None
    commission: Decimal | None = None
    commission_asset: str | None = None
    timestamp_exchange: datetime | None = None
    error_message: str | None = None
    event_type: EventType = field(default=EventType.EXECUTION_REPORT, init=False)


@dataclass(frozen=True)
class FillEvent(Event):
    order_id: str
    fill_id: str
    trading_pair: str
    side: str
    price: Decimal
    quantity: Decimal
    fee: Decimal
    event_type: EventType = field(default=EventType.FILL, init=False)
'''

SCRIPT = '''
import asyncio, json
import krakenbridge.galfriday as adapter
from gal_friday.core import events as gf
from test_galfriday import BOOK, BookWriter, FaithfulPubSub, Recorder, frame, order_a_lifecycle, plain_class

book = BookWriter()
frames = [frame(BOOK, book.snapshot([("100.0", "1.0")], [("101.0", "1.0")]), 1)]
frames += [frame("exec:", message, sequence) for sequence, message in enumerate(order_a_lifecycle(), start=1)]
frames.append(frame(BOOK, book.update(bids=[("100.0", "0")]), 3))  # a gap: BOOK_INVALID
translator = adapter.Translator()
events = [event for item in frames for event in translator.translate(item)]

async def publish():
    pubsub, received = FaithfulPubSub(event_types=gf.EventType), Recorder()
    for event_type in gf.EventType:
        pubsub.subscribe(event_type, received)
    await pubsub.start()
    await adapter.GalFridayPublisher(pubsub).publish_all(events)
    await pubsub.settle()
    await pubsub.stop()
    return received.events, pubsub.publish_errors

received, errors = asyncio.run(publish())
print(json.dumps({
    "using_gal_friday": adapter.USING_GAL_FRIDAY,
    "classes_are_gal_fridays": all(getattr(adapter, name) is getattr(gf, name) for name in (
        "EventType", "SystemStateEvent", "MarketDataL2Event", "MarketDataOHLCVEvent", "MarketDataTradeEvent",
        "MarketDataTickerEvent", "ExecutionReportEvent", "FillEvent")),
    "translated": [type(event).__module__ + "." + type(event).__qualname__ for event in events],
    "delivered": [plain_class(event).__module__ + "." + plain_class(event).__qualname__ for event in received],
    "delivered_are_instances": all(isinstance(event, plain_class(event)) for event in received),
    "publish_errors": len(errors),
    "envelope_type": adapter.envelope(events[0])["event_type"],
}))
'''


def run_with_gal_friday(tmp_path: Path, events_source: str, package_init: str = "") -> subprocess.CompletedProcess[str]:
    package = tmp_path / "gal_friday"
    (package / "core").mkdir(parents=True)
    (package / "__init__.py").write_text(package_init)
    (package / "core" / "__init__.py").write_text("")
    (package / "core" / "events.py").write_text(events_source)
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(TESTS)]))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT)], capture_output=True, text=True,
                          env=environment, timeout=60)


def test_with_gal_friday_importable_the_adapter_builds_and_publishes_gal_fridays_own_classes(tmp_path):
    result = run_with_gal_friday(tmp_path, GAL_FRIDAY_EVENTS)
    assert result.returncode == 0, result.stderr
    report = "gal_friday.core.events.ExecutionReportEvent"
    fill = "gal_friday.core.events.FillEvent"
    translated = ["gal_friday.core.events.MarketDataL2Event", report, report, fill, report, fill, report, fill,
                  "gal_friday.core.events.SystemStateEvent"]
    assert json.loads(result.stdout) == {
        "using_gal_friday": True, "classes_are_gal_fridays": True, "translated": translated,
        # Delivered by priority: the L2 event (1), reports (9) and fills (10) as published, then the notice (12).
        "delivered": translated, "delivered_are_instances": True, "publish_errors": 0,
        "envelope_type": "MARKET_DATA_L2"}


def test_an_installed_gal_friday_that_fails_to_import_is_an_error_not_a_silent_fallback(tmp_path):
    result = run_with_gal_friday(tmp_path, GAL_FRIDAY_EVENTS, package_init="import a_dependency_gal_friday_lacks\n")
    assert result.returncode != 0
    assert "ModuleNotFoundError: No module named 'a_dependency_gal_friday_lacks'" in result.stderr


def test_without_gal_friday_the_adapter_uses_its_stand_in_classes():
    assert adapter.USING_GAL_FRIDAY is False
    for name in ("EventType", "SystemStateEvent", "MarketDataL2Event", "MarketDataOHLCVEvent", "MarketDataTradeEvent",
                 "MarketDataTickerEvent", "ExecutionReportEvent", "FillEvent"):
        assert getattr(adapter, name) is getattr(_fallback, name)
