"""Exact decimals: the wire's (mantissa, scale) pairs as ``decimal.Decimal`` or text."""

from __future__ import annotations

from decimal import Decimal


def to_decimal(value) -> Decimal:
    """A ``krakenbridge.v1.Decimal`` (or any object with mantissa and scale) as an exact Decimal,
    keeping Kraken's digits: mantissa 5000 at scale 5 is Decimal('0.05000')."""
    return Decimal(value.mantissa).scaleb(-value.scale)


def to_text(value) -> str:
    """The exact decimal text with exactly ``scale`` fractional digits."""
    return format(to_decimal(value), "f")


def levels(prices, quantities, price_scale: int, qty_scale: int) -> list[tuple[Decimal, Decimal]]:
    """Parallel packed level arrays of a book message as (price, quantity) pairs."""
    return [(Decimal(p).scaleb(-price_scale), Decimal(q).scaleb(-qty_scale)) for p, q in zip(prices, quantities)]
