"""Topic grammar (docs/wire-format.md): components each followed by ':'."""

from __future__ import annotations


def topic(*components: str) -> bytes:
    """Builds topic bytes, e.g. topic("book", "BTC/USD", "10") == b"book:BTC/USD:10:"."""
    if not components:
        raise ValueError("empty topic")
    out = bytearray()
    for index, component in enumerate(components):
        if not component:
            raise ValueError(f"topic component {index} is empty")
        raw = component.encode("ascii")
        if any(not 0x21 <= b <= 0x7E or b == 0x3A for b in raw):
            raise ValueError(f"topic component {component!r} must be printable ASCII without ':'")
        out += raw + b":"
    return bytes(out)


def book(symbol: str, depth: int) -> bytes:
    return topic("book", symbol, str(depth))


def trade(symbol: str) -> bytes:
    return topic("trade", symbol)


def ticker(symbol: str) -> bytes:
    return topic("ticker", symbol)


def ohlc(symbol: str, interval_minutes: int) -> bytes:
    return topic("ohlc", symbol, str(interval_minutes))


EXECUTIONS = b"exec:"
FILLS = b"fill:"
BALANCES = b"balance:"
EXCHANGE_STATUS = b"status:"
SERVICE_HEARTBEAT = b"hb:"
