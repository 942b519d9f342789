import FixedPoint

extension KBDecimal {
    /// An exact decimal `mantissa × 10^-scale`.
    public init(mantissa: Int64, scale: UInt32) {
        self.init()
        self.mantissa = mantissa
        self.scale = scale
    }

    /// The wire form of an exact decimal.
    public init(_ value: FixedDecimal) {
        self.init(mantissa: value.mantissa, scale: UInt32(value.scale))
    }

    /// Parses decimal text keeping every digit, trailing zeros included; nil if it is not a
    /// number `FixedDecimal` can hold exactly.
    public init?(text: String) {
        guard let value = try? FixedDecimal(text) else { return nil }
        self.init(value)
    }

    /// The exact value, or nil when the scale is beyond what `FixedDecimal` holds.
    public var fixedDecimal: FixedDecimal? {
        scale <= UInt32(FixedDecimal.maxScale) ? FixedDecimal(mantissa: mantissa, scale: UInt8(scale)) : nil
    }

    /// The exact decimal text, with exactly `scale` fractional digits.
    public var text: String { FixedDecimal.text(mantissa: mantissa, scale: Int(scale)) }
}
