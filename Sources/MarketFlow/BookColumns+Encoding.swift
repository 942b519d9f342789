import FixedPoint
import OrderBook
import WireFormat

extension BookColumns {
    /// Writes both sides; false when a level cannot be written at the message scale (an
    /// overflow, only possible when scales differ). With one scale throughout — every v2
    /// book, and every v1 book Kraken formats consistently — the mantissas go out as kept.
    /// Otherwise the message scale is the largest, the mantissas are widened to it (exact
    /// values for readers that know only the message scale) and each level's own scale is
    /// listed, so a reader can restore the digits Kraken sent.
    mutating func setLevels<Bids: Collection<BookLevel>, Asks: Collection<BookLevel>>(
        bids: Bids, asks: Asks, fallback: (price: UInt8, quantity: UInt8)
    ) -> Bool {
        let first = bids.first ?? asks.first
        var price = first?.priceScale ?? fallback.price
        var quantity = first?.quantityScale ?? fallback.quantity
        var uniform = true
        for level in bids where level.priceScale != price || level.quantityScale != quantity { uniform = false }
        for level in asks where level.priceScale != price || level.quantityScale != quantity { uniform = false }
        if !uniform {
            for level in bids { price = max(price, level.priceScale); quantity = max(quantity, level.quantityScale) }
            for level in asks { price = max(price, level.priceScale); quantity = max(quantity, level.quantityScale) }
        }
        priceScale = UInt32(price)
        qtyScale = UInt32(quantity)
        // Refilled in place: a message reused for the next update keeps its arrays' storage
        // (each pair is swapped out, filled and swapped back: one access to `self` at a time).
        var prices: [Int64] = []
        var quantities: [Int64] = []
        swap(&prices, &bidPrice)
        swap(&quantities, &bidQty)
        let bidsWritten = Self.refill(bids, prices: &prices, quantities: &quantities, at: (price, quantity))
        swap(&prices, &bidPrice)
        swap(&quantities, &bidQty)
        swap(&prices, &askPrice)
        swap(&quantities, &askQty)
        let asksWritten = Self.refill(asks, prices: &prices, quantities: &quantities, at: (price, quantity))
        swap(&prices, &askPrice)
        swap(&quantities, &askQty)
        bidPriceScales.removeAll(keepingCapacity: true)
        bidQtyScales.removeAll(keepingCapacity: true)
        askPriceScales.removeAll(keepingCapacity: true)
        askQtyScales.removeAll(keepingCapacity: true)
        guard bidsWritten && asksWritten else { return false }
        if !uniform {
            for level in bids {
                bidPriceScales.append(UInt32(level.priceScale))
                bidQtyScales.append(UInt32(level.quantityScale))
            }
            for level in asks {
                askPriceScales.append(UInt32(level.priceScale))
                askQtyScales.append(UInt32(level.quantityScale))
            }
        }
        return true
    }

    private static func refill<Levels: Collection<BookLevel>>(
        _ levels: Levels, prices: inout [Int64], quantities: inout [Int64], at scales: (price: UInt8, quantity: UInt8)
    ) -> Bool {
        prices.removeAll(keepingCapacity: true)
        quantities.removeAll(keepingCapacity: true)
        prices.reserveCapacity(levels.count)
        quantities.reserveCapacity(levels.count)
        for level in levels {
            if level.priceScale == scales.price && level.quantityScale == scales.quantity {
                prices.append(level.price)
                quantities.append(level.quantity)
            } else {
                guard let price = level.priceDecimal.rescaled(to: scales.price),
                      let quantity = level.quantityDecimal.rescaled(to: scales.quantity)
                else { return false }
                prices.append(price.mantissa)
                quantities.append(quantity.mantissa)
            }
        }
        return true
    }
}
