"""Exact decimals: the wire's (mantissa, scale) pairs as ``decimal.Decimal`` or text.

Book messages (``BookSnapshot``, ``BookUpdate``, ``BookTop``) carry levels as parallel arrays of
mantissas, all at the message's ``price_scale`` / ``qty_scale``. A level may have been written
by Kraken with fewer decimals (a v1 string such as ``"5541.3"`` next to ``"5541.30000"``); then
the message's per-level scale arrays (``bid_price_scales``, …) give each level's own scale, and
:func:`exact_levels` returns the level with exactly those digits.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol, Sequence, Union

from krakenbridge.v1 import market_pb2


class WireDecimal(Protocol):
    """``krakenbridge.v1.Decimal``, or anything with its two fields."""

    @property
    def mantissa(self) -> int: ...

    @property
    def scale(self) -> int: ...


BookMessage = Union[market_pb2.BookSnapshot, market_pb2.BookUpdate, market_pb2.BookTop]


class LevelScaleError(ValueError):
    """A book message's level arrays are malformed: arrays of different lengths, a level scale
    above the message scale, or a mantissa that does not reduce exactly to its level's scale."""


def to_decimal(value: WireDecimal) -> Decimal:
    """A ``krakenbridge.v1.Decimal`` (or any object with mantissa and scale) as an exact Decimal,
    keeping Kraken's digits: mantissa 5000 at scale 5 is Decimal('0.05000')."""
    return _exact(value.mantissa, value.scale)


def to_text(value: WireDecimal) -> str:
    """The exact decimal text with exactly ``scale`` fractional digits."""
    return format(to_decimal(value), "f")


def exact_levels(prices: Sequence[int], quantities: Sequence[int], price_scales: Sequence[int],
                 qty_scales: Sequence[int], price_scale: int, qty_scale: int) -> list[tuple[Decimal, Decimal]]:
    """One side of a book message as exact (price, quantity) pairs, each with its level's own
    digits: price mantissa 554130000 at message scale 8 with level scale 5 is Decimal('5541.30000').

    ``prices`` / ``quantities`` are mantissas at the message's ``price_scale`` / ``qty_scale``;
    ``price_scales`` / ``qty_scales`` are the matching per-level scale arrays, each either empty
    (every level at the message scale) or with one entry per level. Raises
    :class:`LevelScaleError` if the input breaks those rules."""
    if len(prices) != len(quantities):
        raise LevelScaleError(f"{len(prices)} prices but {len(quantities)} quantities")
    return list(zip(_side(prices, price_scales, price_scale, "price"),
                    _side(quantities, qty_scales, qty_scale, "quantity")))


def levels(prices: Sequence[int], quantities: Sequence[int], price_scale: int, qty_scale: int,
           price_scales: Sequence[int] = (), qty_scales: Sequence[int] = ()) -> list[tuple[Decimal, Decimal]]:
    """Parallel packed level arrays of a book message as exact (price, quantity) pairs; pass the
    message's per-level scale arrays to keep each level's own digits (see :func:`exact_levels`)."""
    return exact_levels(prices, quantities, price_scales, qty_scales, price_scale, qty_scale)


def book_sides(message: BookMessage) -> tuple[list[tuple[Decimal, Decimal]], list[tuple[Decimal, Decimal]]]:
    """(bids, asks) of a ``BookSnapshot``, ``BookUpdate`` or ``BookTop`` in the message's order,
    each level with its own digits."""
    return (exact_levels(message.bid_price, message.bid_qty, message.bid_price_scales, message.bid_qty_scales,
                         message.price_scale, message.qty_scale),
            exact_levels(message.ask_price, message.ask_qty, message.ask_price_scales, message.ask_qty_scales,
                         message.price_scale, message.qty_scale))


def _side(mantissas: Sequence[int], scales: Sequence[int], message_scale: int, what: str) -> list[Decimal]:
    if not scales:
        return [_exact(m, message_scale) for m in mantissas]
    if len(scales) != len(mantissas):
        raise LevelScaleError(f"{len(scales)} {what} scales for {len(mantissas)} levels")
    values = []
    for index, (mantissa, scale) in enumerate(zip(mantissas, scales)):
        if scale > message_scale:
            raise LevelScaleError(f"{what} {index}: level scale {scale} above the message scale {message_scale}")
        divisor = 10 ** (message_scale - scale)
        if mantissa % divisor:
            raise LevelScaleError(f"{what} {index}: mantissa {mantissa} at scale {message_scale} "
                                  f"has more digits than its level scale {scale}")
        values.append(_exact(mantissa // divisor, scale))
    return values


def _exact(mantissa: int, scale: int) -> Decimal:
    """mantissa × 10^-scale with exactly that exponent (no context rounding)."""
    return Decimal(f"{mantissa}E{-scale}")
