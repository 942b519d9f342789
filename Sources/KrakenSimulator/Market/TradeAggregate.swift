/// Exact running totals over a run of trades — the numbers behind one candle or one ticker
/// window. Prices are mantissas at the pair's price scale, quantities at its quantity scale;
/// nothing passes through floating point.
public struct TradeAggregate: Sendable, Equatable {
    public private(set) var open: Int64
    public private(set) var high: Int64
    public private(set) var low: Int64
    public private(set) var close: Int64
    /// The quantity of the last trade.
    public private(set) var closeQuantity: Int64
    public private(set) var volume: Int64
    public private(set) var count: Int64
    /// Σ price × quantity, exact, at price scale + quantity scale.
    public private(set) var notional: Int128

    /// The aggregate of one trade.
    public init(price: Int64, quantity: Int64) {
        open = price
        high = price
        low = price
        close = price
        closeQuantity = quantity
        volume = quantity
        count = 1
        notional = Int128(price) * Int128(quantity)
    }

    public mutating func add(price: Int64, quantity: Int64) {
        high = max(high, price)
        low = min(low, price)
        close = price
        closeQuantity = quantity
        volume += quantity
        count += 1
        notional += Int128(price) * Int128(quantity)
    }

    /// The volume-weighted average price at the price scale, rounded half away from zero
    /// (Kraken writes VWAPs with the pair's price precision).
    public var vwap: Int64 {
        volume == 0 ? close : Self.divideRounded(notional, by: Int128(volume))
    }

    /// `numerator / denominator` to the nearest integer, halves away from zero.
    static func divideRounded(_ numerator: Int128, by denominator: Int128) -> Int64 {
        precondition(denominator > 0, "division by a non-positive denominator")
        var quotient = numerator / denominator
        let remainder = numerator % denominator
        if 2 * remainder.magnitude >= denominator.magnitude { quotient += numerator < 0 ? -1 : 1 }
        return Int64(quotient)
    }
}
