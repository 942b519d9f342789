import FixedPoint

/// A Kraken level-2 book at one subscribed depth, exact to the instrument's precision.
///
/// Levels are kept as sorted arrays of integer mantissas (best first on both sides), so the
/// top levels — where almost every update lands — are found by binary search and changed with
/// short moves. After every update the book is truncated to its depth, because Kraken does
/// not send deletes for levels that fall out of scope.
public struct L2Book: Sendable, Equatable {
    public let depth: Int
    /// Fractional digits of prices and quantities (`price_precision` / `qty_precision` in v2,
    /// `pair_decimals` / `lot_decimals` in v1 and REST).
    public let priceScale: UInt8
    public let quantityScale: UInt8
    /// Best (highest) first.
    public private(set) var bids: [BookLevel] = []
    /// Best (lowest) first.
    public private(set) var asks: [BookLevel] = []

    public init(depth: Int, priceScale: UInt8, quantityScale: UInt8) {
        self.depth = depth
        self.priceScale = priceScale
        self.quantityScale = quantityScale
        bids.reserveCapacity(depth + 1)
        asks.reserveCapacity(depth + 1)
    }

    public mutating func removeAll() {
        bids.removeAll(keepingCapacity: true)
        asks.removeAll(keepingCapacity: true)
    }

    /// Converts exchange decimals to this book's mantissas, padding to the instrument's
    /// precision (v2 numbers may arrive without trailing zeros).
    public func level(price: FixedDecimal, quantity: FixedDecimal) throws(BookError) -> BookLevel {
        guard let scaledPrice = price.rescaled(to: priceScale) else { throw .precisionExceeded(price, scale: priceScale) }
        guard let scaledQuantity = quantity.rescaled(to: quantityScale) else {
            throw .precisionExceeded(quantity, scale: quantityScale)
        }
        guard scaledPrice.mantissa > 0 else { throw .nonPositivePrice(price) }
        guard scaledQuantity.mantissa >= 0 else { throw .negativeQuantity(quantity) }
        return BookLevel(price: scaledPrice.mantissa, quantity: scaledQuantity.mantissa)
    }

    /// Inserts, replaces or (quantity 0) deletes one level. Call `truncate()` after the last
    /// level of a message, before checking the checksum.
    public mutating func apply(_ level: BookLevel, side: BookSide) {
        switch side {
        case .bid: Self.apply(level, to: &bids, better: >)
        case .ask: Self.apply(level, to: &asks, better: <)
        }
    }

    /// Drops levels beyond the subscribed depth.
    public mutating func truncate() {
        if bids.count > depth { bids.removeSubrange(depth...) }
        if asks.count > depth { asks.removeSubrange(depth...) }
    }

    /// Applies all levels of one message, then truncates.
    public mutating func apply(bids newBids: [BookLevel], asks newAsks: [BookLevel]) {
        for level in newBids { apply(level, side: .bid) }
        for level in newAsks { apply(level, side: .ask) }
        truncate()
    }

    private static func apply(_ level: BookLevel, to levels: inout [BookLevel], better: (Int64, Int64) -> Bool) {
        // Binary search for the first level not better than the new price.
        var low = 0
        var high = levels.count
        while low < high {
            let middle = (low + high) / 2
            if better(levels[middle].price, level.price) { low = middle + 1 } else { high = middle }
        }
        let found = low < levels.count && levels[low].price == level.price
        if level.quantity == 0 {
            if found { levels.remove(at: low) }
        } else if found {
            levels[low].quantity = level.quantity
        } else {
            levels.insert(level, at: low)
        }
    }

    /// Kraken's CRC32 over the top 10 asks (ascending) then the top 10 bids (descending), each
    /// level as price digits then quantity digits without the point or leading zeros. The same
    /// for API v1 and v2 once numbers carry the instrument's precision.
    public var checksum: UInt32 {
        ChecksumText.checksum(capacity: 40 * 20 + ChecksumText.scratchSpace) { text in
            for index in 0..<min(10, asks.count) {
                text.append(asks[index].price)
                text.append(asks[index].quantity)
            }
            for index in 0..<min(10, bids.count) {
                text.append(bids[index].price)
                text.append(bids[index].quantity)
            }
        }
    }

    public func verify(checksum expected: UInt32) -> ChecksumResult {
        let computed = checksum
        return computed == expected ? .match : .mismatch(expected: expected, computed: computed)
    }

    public var bestBid: BookLevel? { bids.first }
    public var bestAsk: BookLevel? { asks.first }
}
