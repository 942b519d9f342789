import FixedPoint

/// One price level as decimal digits: price and quantity mantissas, each with the scale it
/// was written with. `"5541.30000"` is price 554130000 at scale 5; Kraken's checksum text of a
/// level is exactly its mantissas' digits, so keeping the scale that arrived keeps the checksum.
public struct BookLevel: Sendable, Hashable {
    public var price: Int64
    public var quantity: Int64
    public var priceScale: UInt8
    public var quantityScale: UInt8

    public init(price: Int64, quantity: Int64, priceScale: UInt8, quantityScale: UInt8) {
        self.price = price
        self.quantity = quantity
        self.priceScale = priceScale
        self.quantityScale = quantityScale
    }

    public init(price: FixedDecimal, quantity: FixedDecimal) {
        self.init(price: price.mantissa, quantity: quantity.mantissa, priceScale: price.scale, quantityScale: quantity.scale)
    }

    public var priceDecimal: FixedDecimal { FixedDecimal(mantissa: price, scale: priceScale) }
    public var quantityDecimal: FixedDecimal { FixedDecimal(mantissa: quantity, scale: quantityScale) }

    /// −1, 0 or 1 as this level's price is numerically below, equal to or above `price` at
    /// `scale` (`5541.3` and `5541.30000` are the same price). Levels of one book almost always share a scale: that
    /// case is one integer comparison.
    @inline(__always)
    func comparePrice(to price: Int64, scale: UInt8) -> Int {
        if priceScale == scale { return self.price < price ? -1 : (self.price == price ? 0 : 1) }
        return Self.compareAcrossScales(self.price, priceScale, price, scale)
    }

    @inline(never)
    static func compareAcrossScales(_ left: Int64, _ leftScale: UInt8, _ right: Int64, _ rightScale: UInt8) -> Int {
        func powerOfTen(_ exponent: UInt8) -> Int128 { (0..<exponent).reduce(Int128(1)) { value, _ in value * 10 } }
        let scale = max(leftScale, rightScale)
        let l = Int128(left) * powerOfTen(scale - leftScale)
        let r = Int128(right) * powerOfTen(scale - rightScale)
        return l < r ? -1 : (l == r ? 0 : 1)
    }
}

/// Bid or ask.
public enum BookSide: Sendable, Hashable {
    case bid, ask
}

/// The outcome of checking a book against Kraken's checksum. Never a trap: a mismatch is a
/// value the caller acts on (resubscribe the symbol).
public enum ChecksumResult: Sendable, Equatable {
    case match
    case mismatch(expected: UInt32, computed: UInt32)
}

/// Why a level could not be applied to a book.
public enum BookError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The number has more fractional digits than the instrument's precision allows.
    case precisionExceeded(FixedDecimal, scale: UInt8)
    case negativeQuantity(FixedDecimal)
    case nonPositivePrice(FixedDecimal)

    public var description: String {
        switch self {
        case .precisionExceeded(let value, let scale): "\(value) has more than \(scale) fractional digits"
        case .negativeQuantity(let value): "negative quantity \(value)"
        case .nonPositivePrice(let value): "price \(value) is not positive"
        }
    }
}
