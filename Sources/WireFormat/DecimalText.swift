extension KBDecimal {
    /// An exact decimal `mantissa × 10^-scale`.
    public init(mantissa: Int64, scale: UInt32) {
        self.init()
        self.mantissa = mantissa
        self.scale = scale
    }

    /// Parses plain decimal text (`"-12.3400"`) keeping every digit, trailing zeros included.
    /// Returns nil for anything else (exponents, empty parts, more than 18 digits of scale,
    /// or a mantissa beyond Int64).
    public init?(text: String) {
        var utf8 = Substring(text).utf8[...]
        let negative = utf8.first == UInt8(ascii: "-")
        if negative { utf8 = utf8.dropFirst() }
        var mantissa: Int64 = 0
        var scale: UInt32 = 0
        var sawDigit = false
        var sawPoint = false
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                guard !sawPoint, sawDigit else { return nil }
                sawPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflow1) = mantissa.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            mantissa = next
            sawDigit = true
            if sawPoint { scale += 1 }
        }
        guard sawDigit, !(sawPoint && scale == 0), scale <= 18 else { return nil }
        self.init(mantissa: negative ? -mantissa : mantissa, scale: scale)
    }

    /// The exact decimal text, with exactly `scale` fractional digits.
    public var text: String {
        let magnitude = mantissa.magnitude
        var digits = String(magnitude)
        let scale = Int(self.scale)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return mantissa < 0 ? "-" + digits : digits
    }
}
