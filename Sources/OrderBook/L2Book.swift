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
    /// Checksum pieces of the best ten levels per side, maintained by `apply`.
    private var bidDigests = TopLevelDigests()
    private var askDigests = TopLevelDigests()

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
        bidDigests.removeAll()
        askDigests.removeAll()
    }

    /// Converts exchange decimals to this book's mantissas, padding to the instrument's
    /// precision (v2 numbers may arrive without trailing zeros).
    public func level(price: FixedDecimal, quantity: FixedDecimal) throws(BookError) -> BookLevel {
        try Self.level(price: price, quantity: quantity, priceScale: priceScale, quantityScale: quantityScale)
    }

    /// Inserts, replaces or (quantity 0) deletes one level. Call `truncate()` after the last
    /// level of a message, before checking the checksum.
    public mutating func apply(_ level: BookLevel, side: BookSide) {
        switch side {
        case .bid: Self.apply(level, to: &bids, digests: &bidDigests, better: >)
        case .ask: Self.apply(level, to: &asks, digests: &askDigests, better: <)
        }
    }

    /// `apply(level(price:quantity:), side:)` in one call — what an ingest does per level (and
    /// cheaper: no copy of the book for the conversion).
    public mutating func apply(price: FixedDecimal, quantity: FixedDecimal, side: BookSide) throws(BookError) {
        apply(try Self.level(price: price, quantity: quantity, priceScale: priceScale, quantityScale: quantityScale), side: side)
    }

    @inline(__always)
    private static func level(
        price: FixedDecimal, quantity: FixedDecimal, priceScale: UInt8, quantityScale: UInt8
    ) throws(BookError) -> BookLevel {
        guard let scaledPrice = price.rescaled(to: priceScale) else { throw .precisionExceeded(price, scale: priceScale) }
        guard let scaledQuantity = quantity.rescaled(to: quantityScale) else {
            throw .precisionExceeded(quantity, scale: quantityScale)
        }
        guard scaledPrice.mantissa > 0 else { throw .nonPositivePrice(price) }
        guard scaledQuantity.mantissa >= 0 else { throw .negativeQuantity(quantity) }
        return BookLevel(price: scaledPrice.mantissa, quantity: scaledQuantity.mantissa)
    }

    /// Drops levels beyond the subscribed depth.
    public mutating func truncate() {
        if bids.count > depth { bids.removeSubrange(depth...) }
        if asks.count > depth { asks.removeSubrange(depth...) }
        bidDigests.truncate(to: depth)
        askDigests.truncate(to: depth)
    }

    /// Applies all levels of one message, then truncates.
    public mutating func apply(bids newBids: [BookLevel], asks newAsks: [BookLevel]) {
        for level in newBids { apply(level, side: .bid) }
        for level in newAsks { apply(level, side: .ask) }
        truncate()
    }

    private static func apply(
        _ level: BookLevel, to levels: inout [BookLevel], digests: inout TopLevelDigests, better: (Int64, Int64) -> Bool
    ) {
        if level.quantity == 0 {
            let removed: Int? = levels.withUnsafeMutableBufferPointer { buffer in
                let index = position(of: level.price, in: UnsafeBufferPointer(buffer), better: better)
                guard index < buffer.count, buffer[index].price == level.price else { return nil }
                let base = buffer.baseAddress!
                for position in index..<(buffer.count - 1) { base[position] = base[position + 1] }
                return index
            }
            guard let removed else { return }
            levels.removeLast()
            if removed < TopLevelDigests.levels {
                digests.remove(at: removed, next: levels.count >= TopLevelDigests.levels ? levels[TopLevelDigests.levels - 1] : nil)
            }
            return
        }
        let count = levels.count
        let (index, found) = levels.withUnsafeBufferPointer { buffer in
            let index = position(of: level.price, in: buffer, better: better)
            return (index, index < count && buffer[index].price == level.price)
        }
        if found {
            levels.withUnsafeMutableBufferPointer { $0[index].quantity = level.quantity }
            digests.replace(level, at: index)
        } else {
            // Grow by one (amortised), then open the gap with one move.
            levels.append(level)
            levels.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                var position = count
                while position > index {
                    base[position] = base[position - 1]
                    position -= 1
                }
                base[index] = level
            }
            digests.insert(level, at: index)
        }
    }

    /// The first index whose level is not better than `price` (binary search).
    @inline(__always)
    private static func position(
        of price: Int64, in levels: UnsafeBufferPointer<BookLevel>, better: (Int64, Int64) -> Bool
    ) -> Int {
        var low = 0
        var high = levels.count
        while low < high {
            let middle = (low &+ high) >> 1
            if better(levels[middle].price, price) { low = middle &+ 1 } else { high = middle }
        }
        return low
    }

    /// Kraken's CRC32 over the top 10 asks (ascending) then the top 10 bids (descending), each
    /// level as price digits then quantity digits without the point or leading zeros. The same
    /// for API v1 and v2 once numbers carry the instrument's precision.
    public var checksum: UInt32 {
        CRC32.withTables { tables in
            let afterAsks = askDigests.advance(0xFFFF_FFFF, tables: tables)
            return bidDigests.advance(afterAsks, tables: tables) ^ 0xFFFF_FFFF
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
