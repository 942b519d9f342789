"""KrakenBridge → Gal-Friday2: bus frames become Gal-Friday's own events on its PubSubManager.

- :class:`Translator` — frames → ``MarketDataL2Event`` (the exact book, top N, string levels),
  ``MarketDataTradeEvent``, ``MarketDataOHLCVEvent`` (once per closed bar),
  ``MarketDataTickerEvent``, ``ExecutionReportEvent`` (one per execution, per fill:
  ``quantity_filled``/``average_fill_price`` are that fill's) with a ``FillEvent`` per fill, and
  ``SystemStateEvent`` notices from ``status:``/``conn:`` and for every book invalidated, every
  gap and every recovery (never silent).
- :class:`GalFridayPublisher` — publishes without the PubSubManager's equal-priority drops.
- :func:`envelope`, :func:`envelope_handler`, :func:`adapt_feature_engine` — the dict envelopes
  Gal-Friday's FeatureEngine expects.
- :class:`BridgeAdapter` — all of it, repairing books and private streams over the control socket.

The event classes are ``gal_friday.core.events``'s when importable (:data:`USING_GAL_FRIDAY`),
else stand-ins with the same fields (:mod:`krakenbridge.galfriday.events`). See galfriday.md
in the project's shared reference for the contract.
"""

from krakenbridge.galfriday.adapter import BridgeAdapter, RecoverySource
from krakenbridge.galfriday.events import (
    USING_GAL_FRIDAY, AnyEvent, Event, EventType, ExecutionReportEvent, FillEvent, MarketDataL2Event,
    MarketDataOHLCVEvent, MarketDataTickerEvent, MarketDataTradeEvent, SystemStateEvent)
from krakenbridge.galfriday.publish import (
    FirstComeFirstServed, GalFridayPublisher, PubSubLike, adapt_feature_engine, envelope, envelope_handler,
    first_come_first_served)
from krakenbridge.galfriday.translate import (
    EXCHANGE, SOURCE_MODULE, ReplayNeeded, Request, SnapshotNeeded, Translator, notice_topic)

__all__ = [
    "AnyEvent", "BridgeAdapter", "EXCHANGE", "Event", "EventType", "ExecutionReportEvent", "FillEvent",
    "FirstComeFirstServed", "GalFridayPublisher", "MarketDataL2Event", "MarketDataOHLCVEvent", "MarketDataTickerEvent",
    "MarketDataTradeEvent", "PubSubLike", "RecoverySource", "ReplayNeeded", "Request", "SOURCE_MODULE",
    "SnapshotNeeded", "SystemStateEvent", "Translator", "USING_GAL_FRIDAY", "adapt_feature_engine", "envelope",
    "envelope_handler", "first_come_first_served", "notice_topic",
]
