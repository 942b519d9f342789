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
    /// Checksum text of the best ten levels per side, maintained by `apply`.
    private var bidText = TopLevelText()
    private var askText = TopLevelText()

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
        bidText.removeAll()
        askText.removeAll()
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
        case .bid: Self.apply(level, to: &bids, text: &bidText, better: >)
        case .ask: Self.apply(level, to: &asks, text: &askText, better: <)
        }
    }

    /// Drops levels beyond the subscribed depth.
    public mutating func truncate() {
        if bids.count > depth { bids.removeSubrange(depth...) }
        if asks.count > depth { asks.removeSubrange(depth...) }
        bidText.truncate(to: depth)
        askText.truncate(to: depth)
    }

    /// Applies all levels of one message, then truncates.
    public mutating func apply(bids newBids: [BookLevel], asks newAsks: [BookLevel]) {
        for level in newBids { apply(level, side: .bid) }
        for level in newAsks { apply(level, side: .ask) }
        truncate()
    }

    private static func apply(
        _ level: BookLevel, to levels: inout [BookLevel], text: inout TopLevelText, better: (Int64, Int64) -> Bool
    ) {
        // Binary search for the first level not better than the new price.
        var low = 0
        var high = levels.count
        while low < high {
            let middle = (low + high) / 2
            if better(levels[middle].price, level.price) { low = middle + 1 } else { high = middle }
        }
        let found = low < levels.count && levels[low].price == level.price
        if level.quantity == 0 {
            guard found else { return }
            levels.remove(at: low)
            if low < TopLevelText.levels {
                text.remove(at: low, next: levels.count >= TopLevelText.levels ? levels[TopLevelText.levels - 1] : nil)
            }
        } else if found {
            levels[low].quantity = level.quantity
            text.replace(level, at: low)
        } else {
            levels.insert(level, at: low)
            text.insert(level, at: low)
        }
    }

    /// Kraken's CRC32 over the top 10 asks (ascending) then the top 10 bids (descending), each
    /// level as price digits then quantity digits without the point or leading zeros. The same
    /// for API v1 and v2 once numbers carry the instrument's precision.
    public var checksum: UInt32 {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * TopLevelText.capacity) { buffer in
            let base = buffer.baseAddress!
            let askBytes = askText.copy(to: base)
            let total = askBytes + bidText.copy(to: base + askBytes)
            var crc = CRC32()
            crc.update(UnsafeRawBufferPointer(start: base, count: total))
            return crc.value
        }
    }

    public func verify(checksum expected: UInt32) -> ChecksumResult {
        let computed = checksum
        return computed == expected ? .match : .mismatch(expected: expected, computed: computed)
    }

    /// Books are equal when their levels are (the cached checksum text follows from them).
    public static func == (lhs: L2Book, rhs: L2Book) -> Bool {
        lhs.depth == rhs.depth && lhs.priceScale == rhs.priceScale && lhs.quantityScale == rhs.quantityScale
            && lhs.bids == rhs.bids && lhs.asks == rhs.asks
    }

    public var bestBid: BookLevel? { bids.first }
    public var bestAsk: BookLevel? { asks.first }
}
