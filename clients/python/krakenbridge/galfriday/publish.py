"""Publishing onto Gal-Friday's PubSubManager without losing events (galfriday.md §0.5).

**Equal priorities.** Gal-Friday's PubSubManager queues ``(priority, event)`` tuples on an
``asyncio.PriorityQueue``. When two queued events share a priority, ``heapq`` compares the
events themselves; its frozen dataclasses are not orderable, the ``TypeError`` is caught and
logged, and the event is gone (and the heap left inconsistent, so later pops lose more). That
happens whenever two events of one type are published before its consumer task runs: any
burst, or anything published before ``start()``. :class:`GalFridayPublisher` publishes each
event as an instance of an orderable subclass of its own class (same name, same fields, still an
instance of Gal-Friday's class) whose order among events of equal priority is the order they
were published in, so nothing can be dropped and equal priorities are served first come, first
served; and it yields to the event loop after each publish so the consumer keeps up.

**Dict envelopes.** Gal-Friday's FeatureEngine subscribes handlers that read
``{"event_type": NAME, "payload": {...}}`` dicts, not event objects; fed events they fail and
are unsubscribed after five failures. :func:`envelope` makes that dict from an event,
:func:`envelope_handler` wraps such a handler so it can be subscribed as it is, and
:func:`adapt_feature_engine` re-subscribes a FeatureEngine's handlers that way.

**Per-fill accounting** needs nothing here: the translator's reports are per fill already.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import itertools
from datetime import datetime
from decimal import Decimal
from typing import Any, Awaitable, Callable, Iterable, Optional, Protocol, TypeVar, cast
from uuid import UUID

from krakenbridge.galfriday.events import Event, EventType

E = TypeVar("E")

_ORDINALS = itertools.count()


class PubSubLike(Protocol):
    """What the publisher needs of Gal-Friday's ``PubSubManager``."""

    async def publish(self, event: Any) -> None: ...


class SubscribableLike(Protocol):
    def subscribe(self, event_type: Any, handler: Callable[[Any], Awaitable[None]]) -> None: ...

    def unsubscribe(self, event_type: Any, handler: Callable[[Any], Awaitable[None]]) -> None: ...


class FirstComeFirstServed:
    """Mixed into an event class: instances order by when they were made, so a priority queue
    of ``(priority, event)`` serves equal priorities in publication order. An event that is not
    ordered this way (another module's) counts as earlier than every ordered one, consistently
    in both directions."""

    _kb_ordinal: int

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cast(Any, super()).__init__(*args, **kwargs)
        object.__setattr__(self, "_kb_ordinal", next(_ORDINALS))

    def __lt__(self, other: object) -> bool:
        theirs = getattr(other, "_kb_ordinal", None)
        return False if theirs is None else self._kb_ordinal < theirs

    def __gt__(self, other: object) -> bool:
        theirs = getattr(other, "_kb_ordinal", None)
        return True if theirs is None else self._kb_ordinal > theirs

    def __le__(self, other: object) -> bool:
        return not self.__gt__(other)

    def __ge__(self, other: object) -> bool:
        return not self.__lt__(other)


@functools.lru_cache(maxsize=None)
def _ordered_class(cls: type) -> type:
    return type(cls.__name__, (FirstComeFirstServed, cls),
                {"__module__": cls.__module__, "__qualname__": cls.__qualname__, "__doc__": cls.__doc__})


def first_come_first_served(event: E) -> E:
    """``event`` as an instance of its class's orderable subclass (same fields and values), or
    itself if it already is one or is not a dataclass."""
    if isinstance(event, FirstComeFirstServed) or not dataclasses.is_dataclass(event) or isinstance(event, type):
        return event
    values = {f.name: getattr(event, f.name) for f in dataclasses.fields(event) if f.init}
    return cast(E, _ordered_class(type(event))(**values))


class GalFridayPublisher:
    """Publishes events onto a PubSubManager-like object (``async publish(event)``) so that
    none is lost to equal priorities (see the module's documentation).

    ``order_ties`` (default on) publishes each event as its first-come-first-served variant;
    ``yield_between`` (default on) gives the loop one turn after each publish, so the
    PubSubManager's consumer dispatches as events come instead of after a whole burst.
    """

    def __init__(self, pubsub: PubSubLike, *, order_ties: bool = True, yield_between: bool = True) -> None:
        self.pubsub = pubsub
        self.order_ties = order_ties
        self.yield_between = yield_between
        self.published = 0

    async def publish(self, event: Any) -> None:
        await self.pubsub.publish(first_come_first_served(event) if self.order_ties else event)
        self.published += 1
        if self.yield_between:
            await asyncio.sleep(0)

    async def publish_all(self, events: Iterable[Any]) -> None:
        for event in events:
            await self.publish(event)


# -- dict envelopes (FeatureEngine) ---------------------------------------------------------------

_BASE_FIELDS = frozenset({"source_module", "event_id", "timestamp", "event_type"})


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def envelope(event: Event) -> dict[str, Any]:
    """The dict Gal-Friday's FeatureEngine handlers read (its inter-module doc's shape):
    ``{"event_id", "event_type": NAME, "timestamp": ISO, "source_module", "payload": {...}}``;
    the payload holds the event's own fields, datetimes as ISO text, decimals and UUIDs as text,
    L2 levels as lists of ``[price, quantity]``."""
    event_type = getattr(event, "event_type")
    payload = {f.name: _plain(getattr(event, f.name)) for f in dataclasses.fields(event) if f.name not in _BASE_FIELDS}
    return {"event_id": str(event.event_id), "event_type": event_type.name, "timestamp": event.timestamp.isoformat(),
            "source_module": event.source_module, "payload": payload}


def envelope_handler(handler: Callable[[dict[str, Any]], Awaitable[None]]) -> Callable[[Any], Awaitable[None]]:
    """A bus handler that passes :func:`envelope` of each event to ``handler`` (a dict it is
    given is passed as it is)."""

    async def handle(event: Any) -> None:
        await handler(event if isinstance(event, dict) else envelope(event))

    handle.__name__ = f"{getattr(handler, '__name__', 'handler')}[envelope]"
    handle.__qualname__ = handle.__name__
    return handle


def adapt_feature_engine(pubsub: SubscribableLike, feature_engine: Any,
                         event_types: Optional[type[Any]] = None) -> list[tuple[Any, Callable[[Any], Awaitable[None]]]]:
    """Re-subscribes a started Gal-Friday ``FeatureEngine``: its ``process_market_data``
    (OHLCV, L2) and ``_handle_trade_event`` (trades) are unsubscribed and subscribed again
    wrapped by :func:`envelope_handler`. Returns the ``(event type, handler)`` pairs subscribed,
    to unsubscribe them when stopping. ``event_types`` is the ``EventType`` enum to subscribe
    with (the one in use by default)."""
    types = cast(Any, event_types or EventType)
    wanted = [(types.MARKET_DATA_OHLCV, feature_engine.process_market_data),
              (types.MARKET_DATA_L2, feature_engine.process_market_data),
              (types.MARKET_DATA_TRADE, feature_engine._handle_trade_event)]
    subscribed = []
    for event_type, handler in wanted:
        pubsub.unsubscribe(event_type, handler)
        wrapped = envelope_handler(handler)
        pubsub.subscribe(event_type, wrapped)
        subscribed.append((event_type, wrapped))
    return subscribed
