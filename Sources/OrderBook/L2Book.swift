import FixedPoint

/// A Kraken level-2 book at one subscribed depth, keeping each level's digits exactly.
///
/// Each side is kept sorted in blocks (`BookSideStorage`), so a level is found by binary search
/// and changed with a move of at most one block, wherever in the book it lands. After every
/// update the book is truncated to its depth, because Kraken does not send deletes for levels
/// that fall out of scope.
///
/// Which digits a level keeps is the book's `digits` rule: v2 books pad every number to the
/// instrument's precision (Kraken's v2 JSON numbers drop trailing zeros, its checksum does
/// not); v1 books keep each string's digits as received (Kraken's v1 checksum covers the
/// strings, which often carry more decimals than AssetPairs' precisions).
public struct L2Book: Sendable, Equatable {
    /// Where a level's scales come from.
    public enum Digits: Sendable, Equatable {
        /// Every level at the instrument's precision (`price_precision` / `qty_precision`):
        /// shorter numbers are padded, longer ones are an error.
        case instrument(priceScale: UInt8, quantityScale: UInt8)
        /// Each level at the scales its own text was written with.
        case asReceived
    }

    public let depth: Int
    public let digits: Digits
    private var bidSide: BookSideStorage
    private var askSide: BookSideStorage
    /// Best (highest) first, read in place.
    public var bidLevels: BookSideLevels { BookSideLevels(storage: bidSide) }
    /// Best (lowest) first, read in place.
    public var askLevels: BookSideLevels { BookSideLevels(storage: askSide) }
    /// Best (highest) first, as a new array.
    public var bids: [BookLevel] { Array(bidLevels) }
    /// Best (lowest) first, as a new array.
    public var asks: [BookLevel] { Array(askLevels) }
    /// Checksum pieces of the best ten levels per side, maintained by `apply`.
    private var bidDigests = TopLevelDigests()
    private var askDigests = TopLevelDigests()

    public init(depth: Int, digits: Digits) {
        self.depth = depth
        self.digits = digits
        bidSide = BookSideStorage(descending: true)
        askSide = BookSideStorage(descending: false)
    }

    /// A book at the instrument's precision.
    public init(depth: Int, priceScale: UInt8, quantityScale: UInt8) {
        self.init(depth: depth, digits: .instrument(priceScale: priceScale, quantityScale: quantityScale))
    }

    public mutating func removeAll() {
        bidSide.removeAll()
        askSide.removeAll()
        bidDigests.removeAll()
        askDigests.removeAll()
    }

    /// Exchange decimals as this book's level: padded to the instrument's precision, or as
    /// written.
    public func level(price: FixedDecimal, quantity: FixedDecimal) throws(BookError) -> BookLevel {
        try Self.level(price: price, quantity: quantity, digits: digits)
    }

    /// Inserts, replaces or (quantity 0) deletes one level. A level replaces the one at the
    /// same price whatever its scale, taking its digits. Call `truncate()` after the last
    /// level of a message, before checking the checksum.
    public mutating func apply(_ level: BookLevel, side: BookSide) {
        switch side {
        case .bid: Self.apply(level, to: &bidSide, digests: &bidDigests)
        case .ask: Self.apply(level, to: &askSide, digests: &askDigests)
        }
    }

    /// `apply(level(price:quantity:), side:)` in one call — what an ingest does per level (and
    /// cheaper: no copy of the book for the conversion).
    public mutating func apply(price: FixedDecimal, quantity: FixedDecimal, side: BookSide) throws(BookError) {
        apply(try Self.level(price: price, quantity: quantity, digits: digits), side: side)
    }

    @inline(__always)
    private static func level(price: FixedDecimal, quantity: FixedDecimal, digits: Digits) throws(BookError) -> BookLevel {
        // Errors name the numbers as received.
        guard price.mantissa > 0 else { throw .nonPositivePrice(price) }
        guard quantity.mantissa >= 0 else { throw .negativeQuantity(quantity) }
        guard case .instrument(let priceScale, let quantityScale) = digits else { return BookLevel(price: price, quantity: quantity) }
        guard let scaledPrice = price.rescaled(to: priceScale) else { throw .precisionExceeded(price, scale: priceScale) }
        guard let scaledQuantity = quantity.rescaled(to: quantityScale) else { throw .precisionExceeded(quantity, scale: quantityScale) }
        return BookLevel(price: scaledPrice, quantity: scaledQuantity)
    }

    /// Drops levels beyond the subscribed depth.
    public mutating func truncate() {
        bidSide.truncate(to: depth)
        askSide.truncate(to: depth)
        bidDigests.truncate(to: depth)
        askDigests.truncate(to: depth)
    }

    /// Applies all levels of one message, then truncates.
    public mutating func apply(bids newBids: [BookLevel], asks newAsks: [BookLevel]) {
        for level in newBids { apply(level, side: .bid) }
        for level in newAsks { apply(level, side: .ask) }
        truncate()
    }

    @inline(__always)
    private static func apply(_ level: BookLevel, to side: inout BookSideStorage, digests: inout TopLevelDigests) {
        switch side.apply(level) {
        case .none: break
        case .inserted(let index): digests.insert(level, at: index)
        case .replaced(let index): digests.replace(level, at: index)
        case .removed(let index):
            if index < TopLevelDigests.levels {
                digests.remove(at: index, next: side.count >= TopLevelDigests.levels ? side[bestFirst: TopLevelDigests.levels - 1] : nil)
            }
        }
    }

    /// Kraken's CRC32 over the top 10 asks (ascending) then the top 10 bids (descending), each
    /// level as price digits then quantity digits without the point or leading zeros — each
    /// level's mantissas, at the scales it keeps.
    public var checksum: UInt32 {
        CRC32.withTables { tables in
            let afterAsks = askDigests.advance(0xFFFF_FFFF, tables: tables)
            return bidDigests.advance(afterAsks, tables: tables) ^ 0xFFFF_FFFF
        }
    }

    /// The text `checksum` is the CRC32 of, written out: the best 10 asks (ascending) then the
    /// best 10 bids (descending), each level's price digits then quantity digits, without the
    /// point or leading zeros (`45285.2`, `0.00100000` → `452852100000`). For explaining a
    /// mismatch; `checksum` never builds it. A zero (which no kept level has) is written `0`,
    /// as the checksum reads it.
    public var checksumText: String {
        var text = ""
        for level in Array(askLevels.prefix(TopLevelDigests.levels)) + bidLevels.prefix(TopLevelDigests.levels) {
            text += Self.checksumDigits(level.priceDecimal)
            text += Self.checksumDigits(level.quantityDecimal)
        }
        return text
    }

    private static func checksumDigits(_ value: FixedDecimal) -> Substring {
        let digits = value.description.filter { $0 != "." }.drop { $0 == "0" }
        return digits.isEmpty ? "0" : digits
    }

    public func verify(checksum expected: UInt32) -> ChecksumResult {
        let computed = checksum
        return computed == expected ? .match : .mismatch(expected: expected, computed: computed)
    }

    /// Books are equal when their levels are (the cached checksum text follows from them).
    public static func == (lhs: L2Book, rhs: L2Book) -> Bool {
        lhs.depth == rhs.depth && lhs.digits == rhs.digits && lhs.bidLevels.elementsEqual(rhs.bidLevels)
            && lhs.askLevels.elementsEqual(rhs.askLevels)
    }

    public var bestBid: BookLevel? { bidLevels.first }
    public var bestAsk: BookLevel? { askLevels.first }
}
