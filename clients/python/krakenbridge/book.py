"""L2 books kept from the bus: ``BookSnapshot`` replaces, ``BookUpdate`` changes levels,
``BookReset`` drops (docs/wire-format.md).

Levels are held as integer mantissas at the message's ``price_scale`` / ``qty_scale`` (the
pair's precision), so the book stays exact and Kraken's checksum can be recomputed from it.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from krakenbridge.v1 import frame_pb2, market_pb2, service_pb2
from krakenbridge.wire import BusFrame

CHECKSUM_LEVELS = 10
"""Kraken's checksum covers the best 10 levels of each side."""


class BookOutOfSync(ValueError):
    """An update does not belong to the book held for its topic (another generation or scale):
    a reset and its snapshot were missed, so the book must be rebuilt from a snapshot."""


@dataclass
class Book:
    """One symbol's book at one depth. ``bids`` and ``asks`` map price mantissa → quantity
    mantissa at ``price_scale`` / ``qty_scale``."""

    symbol: str
    depth: int
    generation: int
    price_scale: int
    qty_scale: int
    bids: dict[int, int] = field(default_factory=dict)
    asks: dict[int, int] = field(default_factory=dict)

    @classmethod
    def from_snapshot(cls, snapshot: market_pb2.BookSnapshot) -> "Book":
        """The book a ``BookSnapshot`` describes."""
        return cls(snapshot.symbol, snapshot.depth, snapshot.generation, snapshot.price_scale, snapshot.qty_scale,
                   dict(zip(snapshot.bid_price, snapshot.bid_qty)), dict(zip(snapshot.ask_price, snapshot.ask_qty)))

    def apply(self, update: market_pb2.BookUpdate) -> None:
        """Applies a ``BookUpdate``: quantity 0 deletes a level, any other sets it. The bridge
        sends levels pushed out of the depth as explicit deletes, so no truncation is needed; a
        side left deeper than the depth means the book is out of sync."""
        if update.generation != self.generation:
            raise BookOutOfSync(f"{self.symbol}: update of generation {update.generation}, book is {self.generation}")
        if (update.price_scale, update.qty_scale) != (self.price_scale, self.qty_scale):
            raise BookOutOfSync(f"{self.symbol}: update at scales {update.price_scale}/{update.qty_scale}, "
                                f"book at {self.price_scale}/{self.qty_scale}")
        for side, prices, quantities in ((self.bids, update.bid_price, update.bid_qty),
                                         (self.asks, update.ask_price, update.ask_qty)):
            for price, quantity in zip(prices, quantities):
                if quantity == 0:
                    side.pop(price, None)
                else:
                    side[price] = quantity
            if self.depth and len(side) > self.depth:
                raise BookOutOfSync(f"{self.symbol}: {len(side)} levels on one side of a depth-{self.depth} book")

    @property
    def checksum(self) -> int:
        """Kraken's CRC32 of this state, from the mantissas (the digits without leading zeros)."""
        return kraken_checksum(self.bids, self.asks)

    def levels(self) -> tuple[list[tuple[Decimal, Decimal]], list[tuple[Decimal, Decimal]]]:
        """(bids best first, asks best first) as exact (price, quantity) decimals."""
        def side(levels: dict[int, int], descending: bool) -> list[tuple[Decimal, Decimal]]:
            return [(Decimal(p).scaleb(-self.price_scale), Decimal(levels[p]).scaleb(-self.qty_scale))
                    for p in sorted(levels, reverse=descending)]
        return side(self.bids, True), side(self.asks, False)


def kraken_checksum(bids: dict[int, int], asks: dict[int, int]) -> int:
    """Kraken's book checksum from price → quantity mantissas at the pair's precision."""
    text = "".join(f"{p}{asks[p]}" for p in sorted(asks)[:CHECKSUM_LEVELS])
    text += "".join(f"{p}{bids[p]}" for p in sorted(bids, reverse=True)[:CHECKSUM_LEVELS])
    return zlib.crc32(text.encode())


class Books:
    """Every book on the bus by topic (``book:SYMBOL:DEPTH:``), fed with frames in order.

    A ``BookSnapshot`` (live or from a snapshot reply) replaces the topic's book; a ``BookReset``
    drops it until the next snapshot; a ``BookUpdate`` is applied to the book held (and ignored
    while there is none: it belongs to a book being rebuilt). Other frames are ignored.
    """

    def __init__(self) -> None:
        self.books: dict[str, Book] = {}

    def apply(self, frame: BusFrame) -> Optional[Book]:
        """Applies one frame; returns the topic's book afterwards (None if there is none)."""
        kind = frame.header.message_type
        if kind == frame_pb2.MESSAGE_TYPE_BOOK_SNAPSHOT:
            assert isinstance(frame.payload, market_pb2.BookSnapshot)
            self.books[frame.topic] = Book.from_snapshot(frame.payload)
        elif kind == frame_pb2.MESSAGE_TYPE_BOOK_RESET:
            assert isinstance(frame.payload, service_pb2.BookReset)
            self.books.pop(frame.topic, None)
        elif kind == frame_pb2.MESSAGE_TYPE_BOOK_UPDATE and frame.topic in self.books:
            assert isinstance(frame.payload, market_pb2.BookUpdate)
            self.books[frame.topic].apply(frame.payload)
        return self.books.get(frame.topic)

    def get(self, topic: str) -> Optional[Book]:
        return self.books.get(topic)

    def __contains__(self, topic: object) -> bool:
        return topic in self.books

    def __len__(self) -> int:
        return len(self.books)
