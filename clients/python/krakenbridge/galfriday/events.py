"""The event classes the adapter builds: Gal-Friday2's own (``gal_friday.core.events``) when
that package is importable, else this package's stand-ins with the same fields
(:mod:`krakenbridge.galfriday._fallback`). Which one is in use: :data:`USING_GAL_FRIDAY`.

A ``gal_friday`` that is installed but fails to import for another reason (one of its own
dependencies missing) raises instead of falling back: Gal-Friday's PubSubManager drops events
whose ``event_type`` is not its own ``EventType``, so a silent fallback would lose every event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

_GAL_FRIDAY_MODULES = frozenset({"gal_friday", "gal_friday.core", "gal_friday.core.events"})

if TYPE_CHECKING:
    from krakenbridge.galfriday._fallback import (
        Event, EventType, ExecutionReportEvent, FillEvent, MarketDataL2Event, MarketDataOHLCVEvent,
        MarketDataTickerEvent, MarketDataTradeEvent, SystemStateEvent)

    USING_GAL_FRIDAY: bool
else:
    try:
        from gal_friday.core.events import (
            Event, EventType, ExecutionReportEvent, MarketDataL2Event, MarketDataOHLCVEvent, MarketDataTickerEvent,
            MarketDataTradeEvent, SystemStateEvent)
    except ModuleNotFoundError as error:
        if error.name not in _GAL_FRIDAY_MODULES:
            raise
        from krakenbridge.galfriday._fallback import (
            Event, EventType, ExecutionReportEvent, FillEvent, MarketDataL2Event, MarketDataOHLCVEvent,
            MarketDataTickerEvent, MarketDataTradeEvent, SystemStateEvent)
        USING_GAL_FRIDAY = False
    else:
        try:
            from gal_friday.core.events import FillEvent
        except ImportError as error:
            raise ImportError("gal_friday.core.events has no FillEvent: the adapter needs Gal-Friday2 "
                              "at commit 556e9d3 or later") from error
        USING_GAL_FRIDAY = True

AnyEvent = Union[SystemStateEvent, MarketDataL2Event, MarketDataOHLCVEvent, MarketDataTradeEvent,
                 MarketDataTickerEvent, ExecutionReportEvent, FillEvent]
"""Every event class the adapter emits."""

__all__ = [
    "AnyEvent", "Event", "EventType", "ExecutionReportEvent", "FillEvent", "MarketDataL2Event", "MarketDataOHLCVEvent",
    "MarketDataTickerEvent", "MarketDataTradeEvent", "SystemStateEvent", "USING_GAL_FRIDAY",
]
