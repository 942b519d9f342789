"""L2 books kept from the bus: ``BookSnapshot`` replaces, ``BookUpdate`` changes levels,
``BookReset`` drops (docs/wire-format.md).

Levels are held as exact ``decimal.Decimal`` prices and quantities with the digits Kraken wrote
for each level (per-level scales, see :func:`krakenbridge.decimals.exact_levels`), so the book
stays exact, may span messages written at different scales (Kraken v1 feeds), and Kraken's
checksum can be recomputed from it.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping, Optional

from krakenbridge.decimals import book_sides
from krakenbridge.v1 import frame_pb2, market_pb2, service_pb2
from krakenbridge.wire import BusFrame

CHECKSUM_LEVELS = 10
"""Kraken's checksum covers the best 10 levels of each side."""


class BookOutOfSync(ValueError):
    """An update does not belong to the book held for its topic (another generation, or a side
    left deeper than the depth): a reset and its snapshot were missed, so the book must be
    rebuilt from a snapshot."""


@dataclass
class Book:
    """One symbol's book at one depth.

    ``bids`` and ``asks`` map price → quantity, both exact ``Decimal`` with the level's own
    digits as Kraken wrote them (``Decimal('5541.30000')`` keeps its five decimals). Keys compare
    numerically (``Decimal('5541.3') == Decimal('5541.30000')``), so a level re-sent with other
    digits replaces the old key and the book holds the newest digits.

    ``price_scale`` / ``qty_scale`` are the message scales of the last snapshot or update applied:
    informational only (the pair's precision on v2 feeds; on v1 feeds the most decimals any level
    of that message had). Levels do not depend on them, and an update at other message scales
    than the book's previous ones is legal.
    """

    symbol: str
    depth: int
    generation: int
    price_scale: int
    qty_scale: int
    bids: dict[Decimal, Decimal] = field(default_factory=dict)
    asks: dict[Decimal, Decimal] = field(default_factory=dict)

    @classmethod
    def from_snapshot(cls, snapshot: market_pb2.BookSnapshot) -> "Book":
        """The book a ``BookSnapshot`` describes, each level with its own digits. Raises
        :class:`~krakenbridge.decimals.LevelScaleError` if the level arrays are malformed."""
        bids, asks = book_sides(snapshot)
        return cls(snapshot.symbol, snapshot.depth, snapshot.generation, snapshot.price_scale, snapshot.qty_scale,
                   dict(bids), dict(asks))

    def apply(self, update: market_pb2.BookUpdate) -> None:
        """Applies a ``BookUpdate``: quantity 0 deletes a level, any other sets it (with the
        update's digits for price and quantity). The bridge sends levels pushed out of the depth
        as explicit deletes, so no truncation is needed; a side left deeper than the depth means
        the book is out of sync. Raises :class:`~krakenbridge.decimals.LevelScaleError` (before
        changing anything) if the update's level arrays are malformed."""
        if update.generation != self.generation:
            raise BookOutOfSync(f"{self.symbol}: update of generation {update.generation}, book is {self.generation}")
        bids, asks = book_sides(update)
        for side, changes in ((self.bids, bids), (self.asks, asks)):
            for price, quantity in changes:
                side.pop(price, None)  # a numerically equal key keeps its old digits unless removed
                if quantity != 0:
                    side[price] = quantity
            if self.depth and len(side) > self.depth:
                raise BookOutOfSync(f"{self.symbol}: {len(side)} levels on one side of a depth-{self.depth} book")
        self.price_scale, self.qty_scale = update.price_scale, update.qty_scale

    @property
    def checksum(self) -> int:
        """Kraken's CRC32 of this state, from each level's own digits."""
        return kraken_checksum(self.bids, self.asks)

    def levels(self) -> tuple[list[tuple[Decimal, Decimal]], list[tuple[Decimal, Decimal]]]:
        """(bids best first, asks best first) as exact (price, quantity) decimals with the digits
        as written."""
        return sorted(self.bids.items(), reverse=True), sorted(self.asks.items())


def kraken_checksum(bids: Mapping[Decimal, Decimal], asks: Mapping[Decimal, Decimal]) -> int:
    """Kraken's book checksum from exact price → quantity decimals: the best 10 asks then the
    best 10 bids, each price and quantity as its digits without the point and leading zeros
    (``Decimal('0.05000')`` → ``"5000"``). Each value's exponent must be the one Kraken wrote."""
    text = "".join(checksum_digits(p) + checksum_digits(asks[p]) for p in sorted(asks)[:CHECKSUM_LEVELS])
    text += "".join(checksum_digits(p) + checksum_digits(bids[p]) for p in sorted(bids, reverse=True)[:CHECKSUM_LEVELS])
    return zlib.crc32(text.encode())


def checksum_digits(value: Decimal) -> str:
    """A level value as Kraken's checksum writes it: its digits at its own exponent, without
    the decimal point and leading zeros (``Decimal('5541.30000')`` → ``"554130000"``)."""
    sign, digits, exponent = Decimal(value).as_tuple()
    if sign or not isinstance(exponent, int):
        raise ValueError(f"{value} is not a book level value")
    return ("".join(map(str, digits)) + "0" * max(exponent, 0)).lstrip("0")


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
