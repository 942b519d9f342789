"""Books keep each level's digits as Kraken wrote them (per-level scales, docs/wire-format.md), so
Kraken's checksum can be recomputed across messages written at different scales. No bridge
binary needed: the messages are built here."""

from __future__ import annotations

from decimal import Decimal

import pytest

from krakenbridge import decimals
from krakenbridge.book import Book, BookOutOfSync, checksum_digits, kraken_checksum
from krakenbridge.decimals import LevelScaleError, exact_levels
from krakenbridge.v1 import market_pb2


def mantissas(texts: list[str], scale: int) -> list[int]:
    """Decimal strings as mantissas at ``scale`` (each string must have at most that many decimals)."""
    values = [Decimal(text).scaleb(scale) for text in texts]
    assert all(value == value.to_integral_value() for value in values)
    return [int(value) for value in values]


def snapshot(price_scale: int, qty_scale: int, bids: list[tuple[str, str]], asks: list[tuple[str, str]],
             symbol: str = "XBT/USD") -> market_pb2.BookSnapshot:
    """A BookSnapshot with every level at the message scales (no scale arrays)."""
    message = market_pb2.BookSnapshot(symbol=symbol, depth=10, generation=1, price_scale=price_scale,
                                      qty_scale=qty_scale)
    message.bid_price.extend(mantissas([p for p, _ in bids], price_scale))
    message.bid_qty.extend(mantissas([q for _, q in bids], qty_scale))
    message.ask_price.extend(mantissas([p for p, _ in asks], price_scale))
    message.ask_qty.extend(mantissas([q for _, q in asks], qty_scale))
    return message


def text(book: Book) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The book's levels (bids best first, asks best first) as the exact text they hold."""
    bids, asks = book.levels()
    return [(format(p, "f"), format(q, "f")) for p, q in bids], [(format(p, "f"), format(q, "f")) for p, q in asks]


# -- Kraken's official v1 checksum example -------------------------------------------------------

KRAKEN_EXAMPLE_ASKS = [(f"0.0{5005 + 5 * i}", "0.00000500") for i in range(10)]
KRAKEN_EXAMPLE_BIDS = [(price, "0.00000500") for price in
                       ("0.05000", "0.04995", "0.04990", "0.04980", "0.04975",
                        "0.04970", "0.04965", "0.04960", "0.04955", "0.04950")]


def test_a_snapshot_at_uniform_scales_without_scale_arrays_gives_krakens_example_checksum():
    message = snapshot(5, 8, KRAKEN_EXAMPLE_BIDS, KRAKEN_EXAMPLE_ASKS)
    assert list(message.ask_price) == [5005, 5010, 5015, 5020, 5025, 5030, 5035, 5040, 5045, 5050]
    assert set(message.ask_qty) == set(message.bid_qty) == {500}
    assert list(message.bid_price_scales) == list(message.ask_qty_scales) == []

    book = Book.from_snapshot(message)

    assert text(book) == (KRAKEN_EXAMPLE_BIDS, KRAKEN_EXAMPLE_ASKS)
    assert book.checksum == 974947235
    assert (book.price_scale, book.qty_scale) == (5, 8)


# -- a book spanning messages of different scales ------------------------------------------------

XBT_BIDS = [("5541.20000", "1.52900000"), ("5539.90000", "0.30000000")]
XBT_ASKS = [("5541.30000", "2.50700000"), ("5541.80000", "0.33000000")]


def xbt_book() -> Book:
    return Book.from_snapshot(snapshot(5, 8, XBT_BIDS, XBT_ASKS))


def xbt_first_update() -> market_pb2.BookUpdate:
    """Deletes bid 5541.20000, adds ask 5542.50000 × 0.40100000 (message scales 5 / 8)."""
    return market_pb2.BookUpdate(symbol="XBT/USD", depth=10, generation=1, price_scale=5, qty_scale=8,
                                 bid_price=[554120000], bid_qty=[0], ask_price=[554250000], ask_qty=[40100000])


def xbt_second_update() -> market_pb2.BookUpdate:
    """At message scales 8 / 10: bid 5541.20000 (written at 5 / 8) deleted again, bid 5539.9
    re-sent as 5539.90000000 × 0.3000000000 (written at 8 / 10); no asks, so empty ask arrays."""
    return market_pb2.BookUpdate(symbol="XBT/USD", depth=10, generation=1, price_scale=8, qty_scale=10,
                                 bid_price=[554120000000, 553990000000], bid_qty=[0, 3000000000],
                                 bid_price_scales=[5, 8], bid_qty_scales=[8, 10])


def test_a_snapshot_keeps_krakens_digits_and_its_checksum():
    book = xbt_book()
    assert text(book) == (XBT_BIDS, XBT_ASKS)
    assert book.checksum == 600453227


def test_an_update_deletes_and_adds_levels_and_the_checksum_follows():
    book = xbt_book()
    book.apply(xbt_first_update())
    assert text(book) == ([("5539.90000", "0.30000000")],
                          [("5541.30000", "2.50700000"), ("5541.80000", "0.33000000"), ("5542.50000", "0.40100000")])
    assert book.checksum == 4060195792


def test_an_update_at_other_message_scales_applies_each_level_with_its_own_digits():
    book = xbt_book()
    book.apply(xbt_first_update())

    book.apply(xbt_second_update())  # other message scales than the book's: legal

    assert text(book) == ([("5539.90000000", "0.3000000000")],
                          [("5541.30000", "2.50700000"), ("5541.80000", "0.33000000"), ("5542.50000", "0.40100000")])
    # The re-sent level replaced the key, so the book holds the newest digits for it.
    assert [price.as_tuple().exponent for price in book.bids] == [-8]
    assert book.bids[Decimal("5539.9")] == Decimal("0.3")
    assert book.checksum == 687246189
    assert (book.price_scale, book.qty_scale) == (8, 10)  # the last message's


def test_the_checksum_covers_each_levels_digits_without_point_and_leading_zeros():
    assert checksum_digits(Decimal("5541.30000")) == "554130000"
    assert checksum_digits(Decimal("0.00000500")) == "500"
    assert checksum_digits(Decimal("0.3000000000")) == "3000000000"
    assert checksum_digits(Decimal("5541.3")) == "55413"
    # Numerically equal books written with other digits have other checksums.
    assert kraken_checksum({}, {Decimal("5541.3"): Decimal("1")}) == 1944159504  # crc32("55413" "1")
    assert kraken_checksum({}, {Decimal("5541.30000"): Decimal("1")}) == 2138222987  # crc32("554130000" "1")


# -- decoding one side of a message --------------------------------------------------------------

def test_exact_levels_reduce_each_mantissa_to_its_levels_scale():
    pairs = exact_levels([554120000000, 553990000000], [0, 3000000000], [5, 8], [8, 10], 8, 10)
    assert [(format(p, "f"), format(q, "f")) for p, q in pairs] == [("5541.20000", "0.00000000"),
                                                                    ("5539.90000000", "0.3000000000")]
    assert pairs[0][0].as_tuple().exponent == -5


def test_exact_levels_without_scale_arrays_put_every_level_at_the_message_scale():
    pairs = exact_levels([554130000], [250700000], [], [], 5, 8)
    assert pairs == [(Decimal("5541.30000"), Decimal("2.50700000"))]
    assert [(format(p, "f"), format(q, "f")) for p, q in pairs] == [("5541.30000", "2.50700000")]


def test_levels_stays_compatible_and_takes_optional_scale_arrays():
    assert [(format(p, "f"), format(q, "f")) for p, q in decimals.levels([9990], [5_000_000], 1, 8)] == \
        [("999.0", "0.05000000")]
    assert [(format(p, "f"), format(q, "f")) for p, q in decimals.levels([9990], [5_000_000], 1, 8, [0], [5])] == \
        [("999", "0.05000")]


@pytest.mark.parametrize("prices, quantities, price_scales, qty_scales, message, reason", [
    ([554130000, 554180000], [1], [], [], "prices and quantities of different lengths", "2 prices but 1 quantities"),
    ([554130000, 554180000], [1, 2], [5], [], "one price scale for two levels", "1 price scales for 2 levels"),
    ([554130000], [1], [], [8, 8], "two qty scales for one level", "2 quantity scales for 1 levels"),
    ([554130000], [1], [6], [], "a level scale above the message scale", "level scale 6 above the message scale 5"),
    ([554130001], [1], [4], [], "a mantissa with more digits than its level scale", "more digits than its level scale 4"),
])
def test_malformed_level_arrays_raise_a_level_scale_error(prices, quantities, price_scales, qty_scales, message, reason):
    with pytest.raises(LevelScaleError, match=reason):
        exact_levels(prices, quantities, price_scales, qty_scales, 5, 8)


def test_a_level_scale_error_is_a_value_error():
    assert issubclass(LevelScaleError, ValueError)


def test_a_snapshot_with_malformed_scale_arrays_is_refused():
    message = snapshot(5, 8, XBT_BIDS, XBT_ASKS)
    message.bid_price_scales.extend([5])  # two bids
    with pytest.raises(LevelScaleError):
        Book.from_snapshot(message)


def test_an_update_with_malformed_scale_arrays_leaves_the_book_unchanged():
    book = xbt_book()
    before = text(book)
    update = xbt_second_update()
    update.bid_price_scales[1] = 9  # above the message scale 8
    with pytest.raises(LevelScaleError, match="level scale 9 above the message scale 8"):
        book.apply(update)
    assert text(book) == before and book.checksum == 600453227


# -- what still puts a book out of sync ----------------------------------------------------------

def test_an_update_of_another_generation_is_out_of_sync():
    book = xbt_book()
    update = xbt_first_update()
    update.generation = 2
    with pytest.raises(BookOutOfSync):
        book.apply(update)


def test_an_update_leaving_a_side_deeper_than_the_depth_is_out_of_sync():
    book = Book.from_snapshot(snapshot(5, 8, XBT_BIDS, XBT_ASKS))
    book.depth = 2
    with pytest.raises(BookOutOfSync, match="3 levels on one side of a depth-2 book"):
        book.apply(xbt_first_update())
