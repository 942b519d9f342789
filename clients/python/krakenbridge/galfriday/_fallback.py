"""Stand-ins for Gal-Friday2's event classes (``gal_friday/core/events.py``), used when
``gal_friday`` is not importable.

Same class names, same fields in the same order with the same types and defaults, frozen
dataclasses like the originals, and the same ``__post_init__`` checks on trades and tickers, so
code written against these runs unchanged against Gal-Friday's own classes. ``EventType``'s
values are Gal-Friday's priorities (a lower value is served first by its PubSubManager).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum


class EventType(Enum):
    """Gal-Friday's event types; the value is the PubSubManager priority."""

    MARKET_DATA_L2 = 1
    MARKET_DATA_OHLCV = 2
    MARKET_DATA_TRADE = 3
    FEATURES_CALCULATED = 4
    PREDICTION_GENERATED = 5
    TRADE_SIGNAL_PROPOSED = 6
    TRADE_SIGNAL_APPROVED = 7
    TRADE_SIGNAL_REJECTED = 8
    EXECUTION_REPORT = 9
    FILL = 10
    TRADE_OUTCOME_REPORTED = 11
    SYSTEM_STATE_CHANGE = 12
    LOG_ENTRY = 13
    POTENTIAL_HALT_TRIGGER = 14
    PREDICTION_CONFIG_UPDATED = 15
    SYSTEM_ERROR = 16
    PORTFOLIO_UPDATE = 17
    PORTFOLIO_RECONCILIATION = 18
    PORTFOLIO_DISCREPANCY = 19
    RISK_LIMIT_ALERT = 20
    MARKET_DATA_RAW = 21
    FEATURE_CALCULATED = 22
    MARKET_DATA_TICKER = 23


@dataclass(frozen=True)
class Event:
    """Metadata every event carries: who made it, its id, when it was made (tz-aware UTC)."""

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
    """The current top of one book: bids best (highest) first, asks best (lowest) first, each
    level ``(price_text, quantity_text)``. Not a delta."""

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
    """One public trade; ``side`` is the aggressor's, ``buy`` or ``sell``."""

    trading_pair: str
    exchange: str
    timestamp_exchange: datetime
    price: Decimal
    volume: Decimal
    side: str
    trade_id: str | None = None
    event_type: EventType = field(default=EventType.MARKET_DATA_TRADE, init=False)

    def __post_init__(self) -> None:
        if self.side.lower() not in ("buy", "sell"):
            raise ValueError(f"Invalid trade side: '{self.side}'. Must be 'buy' or 'sell'.")
        if self.price <= Decimal(0):
            raise ValueError(f"Trade price must be positive: {self.price}")
        if self.volume <= Decimal(0):
            raise ValueError(f"Trade volume must be positive: {self.volume}")


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

    def __post_init__(self) -> None:
        for name in ("bid", "ask", "last_price", "vwap_24h", "high_24h", "low_24h"):
            if getattr(self, name) <= Decimal(0):
                raise ValueError(f"Price must be positive: {name}={getattr(self, name)}")
        for name in ("bid_size", "ask_size", "last_size", "volume_24h"):
            if getattr(self, name) < Decimal(0):
                raise ValueError(f"Size must be positive: {name}={getattr(self, name)}")
        if self.trades_24h < 0:
            raise ValueError(f"Trade count cannot be negative: {self.trades_24h}")
        if self.bid >= self.ask:
            raise ValueError(f"Invalid bid/ask spread: bid={self.bid} >= ask={self.ask}")


@dataclass(frozen=True)
class ExecutionReportEvent(Event):
    """One step of one order. A PARTIALLY_FILLED or FILLED report carries one fill:
    ``quantity_filled`` is that fill's quantity and ``average_fill_price`` its price."""

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
