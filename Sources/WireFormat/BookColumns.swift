import FixedPoint

/// The levels of a bus book message (`BookSnapshot`, `BookUpdate`, `BookTop`): parallel
/// mantissa arrays at one message scale, and per-level scale arrays when some level was written
/// with other digits (docs/wire-format.md, "Book levels").
public protocol BookColumns {
    var priceScale: UInt32 { get set }
    var qtyScale: UInt32 { get set }
    var bidPrice: [Int64] { get set }
    var bidQty: [Int64] { get set }
    var askPrice: [Int64] { get set }
    var askQty: [Int64] { get set }
    var bidPriceScales: [UInt32] { get set }
    var bidQtyScales: [UInt32] { get set }
    var askPriceScales: [UInt32] { get set }
    var askQtyScales: [UInt32] { get set }
}

extension KBBookSnapshot: BookColumns {}
extension KBBookUpdate: BookColumns {}
extension KBBookTop: BookColumns {}

/// Why a book message's levels cannot be read.
public enum BookColumnsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A value or scale array does not have one entry per level.
    case lengthMismatch(String)
    /// A level's scale is above the message scale, or its digits do not divide out.
    case invalidLevelScale(String)

    public var description: String {
        switch self {
        case .lengthMismatch(let field): "\(field) does not have one entry per level"
        case .invalidLevelScale(let field): "\(field) names a scale its mantissa is not written at"
        }
    }
}

extension BookColumns {
    /// Bids and asks (best first) with the digits each level was written with.
    public func decodedLevels() throws(BookColumnsError) -> (bids: [BookColumnLevel], asks: [BookColumnLevel]) {
        let bids = try Self.levels(bidPrice, bidQty, bidPriceScales, bidQtyScales, side: "bid", priceScale, qtyScale)
        let asks = try Self.levels(askPrice, askQty, askPriceScales, askQtyScales, side: "ask", priceScale, qtyScale)
        return (bids, asks)
    }

    private static func levels(
        _ prices: [Int64], _ quantities: [Int64], _ priceScales: [UInt32], _ quantityScales: [UInt32], side: String,
        _ priceScale: UInt32, _ quantityScale: UInt32
    ) throws(BookColumnsError) -> [BookColumnLevel] {
        guard prices.count == quantities.count else { throw .lengthMismatch("\(side)_qty") }
        guard priceScales.isEmpty || priceScales.count == prices.count else { throw .lengthMismatch("\(side)_price_scales") }
        guard quantityScales.isEmpty || quantityScales.count == prices.count else { throw .lengthMismatch("\(side)_qty_scales") }
        var levels: [BookColumnLevel] = []
        levels.reserveCapacity(prices.count)
        for index in prices.indices {
            let price = try written(prices[index], at: priceScale, as: priceScales.isEmpty ? priceScale : priceScales[index],
                                    field: "\(side)_price_scales")
            let quantity = try written(quantities[index], at: quantityScale,
                                       as: quantityScales.isEmpty ? quantityScale : quantityScales[index], field: "\(side)_qty_scales")
            levels.append(BookColumnLevel(price: price, quantity: quantity))
        }
        return levels
    }

    /// `mantissa` at `scale` with the digits of `written` (≤ `scale`).
    private static func written(_ mantissa: Int64, at scale: UInt32, as written: UInt32, field: String) throws(BookColumnsError) -> FixedDecimal {
        guard scale <= UInt32(FixedDecimal.maxScale), written <= scale else { throw .invalidLevelScale(field) }
        guard let value = FixedDecimal(mantissa: mantissa, scale: UInt8(scale)).rescaled(to: UInt8(written)) else {
            throw .invalidLevelScale(field)
        }
        return value
    }
}

/// One level of a bus book message as the exchange wrote it.
public struct BookColumnLevel: Sendable, Hashable {
    public var price: FixedDecimal
    public var quantity: FixedDecimal

    public init(price: FixedDecimal, quantity: FixedDecimal) {
        self.price = price
        self.quantity = quantity
    }
}
