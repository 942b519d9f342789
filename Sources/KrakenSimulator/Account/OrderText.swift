import FixedPoint

/// Text pieces v1 and REST order objects share.
enum OrderText {
    /// `descr.order`: `buy 1.25000000 XBTUSD @ limit 30010.0`, `sell 0.25000000 XBTUSD @ market`.
    static func describe(_ order: SimulatedOrder, pairName: String) -> String {
        let side = order.side == .buy ? "buy" : "sell"
        let volume = FixedDecimalText.text(order.quantity, scale: order.pair.quantityScale)
        guard let limit = order.limitPrice else { return "\(side) \(volume) \(pairName) @ market" }
        return "\(side) \(volume) \(pairName) @ limit \(FixedDecimalText.text(limit, scale: order.pair.priceScale))"
    }

    /// The quoted limit price at the pair's decimals; `"0"` for a market order.
    static func limitPrice(_ order: SimulatedOrder, into writer: inout FrameWriter) {
        if let limit = order.limitPrice { writer.quotedDecimal(mantissa: limit, scale: order.pair.priceScale) } else {
            writer.raw(#""0""#)
        }
    }
}

/// Decimal text with a minimum number of fraction digits.
enum FixedDecimalText {
    static func text(_ mantissa: Int64, scale: UInt8, atLeast minimumScale: UInt8 = 0) -> String {
        let digits = max(scale, minimumScale)
        let widened = AccountArithmetic.widen(mantissa, from: scale, to: digits)
        return FixedDecimal.text(mantissa: widened, scale: Int(digits))
    }
}

extension FrameWriter {
    /// A quoted decimal with at least `minimumScale` fraction digits (zeros appended): Kraken
    /// writes v1 and REST costs and fees with 5 decimals even for assets kept at 4.
    mutating func quotedDecimal(mantissa: Int64, scale: UInt8, atLeast minimumScale: UInt8) {
        raw("\"")
        raw(FixedDecimalText.text(mantissa, scale: scale, atLeast: minimumScale))
        raw("\"")
    }
}
