import FixedPoint

/// One price level: mantissas at the book's price and quantity scales.
public struct BookLevel: Sendable, Hashable {
    public var price: Int64
    public var quantity: Int64

    public init(price: Int64, quantity: Int64) {
        self.price = price
        self.quantity = quantity
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
