/// Sums, differences and one rounded quotient of exact decimals: what the private ledger needs
/// to compare Kraken's cumulative totals with what it has published, and what a v1 ticker
/// needs to derive v2's `change`. `Double` must never touch money, so every operation returns
/// nil rather than overflow or lose a digit, and callers fall back to Kraken's own figures.
public enum ExactArithmetic {
    public static func sum(_ lhs: FixedDecimal, _ rhs: FixedDecimal) -> FixedDecimal? {
        let scale = max(lhs.scale, rhs.scale)
        guard let left = lhs.rescaled(to: scale), let right = rhs.rescaled(to: scale) else { return nil }
        let (value, overflow) = left.mantissa.addingReportingOverflow(right.mantissa)
        return overflow ? nil : FixedDecimal(mantissa: value, scale: scale)
    }

    public static func difference(_ lhs: FixedDecimal, _ rhs: FixedDecimal) -> FixedDecimal? {
        guard rhs.mantissa != .min else { return nil }
        return sum(lhs, FixedDecimal(mantissa: -rhs.mantissa, scale: rhs.scale))
    }

    /// `dividend / divisor` written with `scale` fractional digits, rounded half away from zero.
    public static func quotient(_ dividend: FixedDecimal, _ divisor: FixedDecimal, scale: UInt8) -> FixedDecimal? {
        guard !divisor.isZero, scale <= FixedDecimal.maxScale else { return nil }
        // dividend × 10^(scale + divisor.scale − dividend.scale) / divisor, all as integers.
        let shift = Int(scale) + Int(divisor.scale) - Int(dividend.scale)
        var numerator = Int128(dividend.mantissa)
        var denominator = Int128(divisor.mantissa)
        for _ in 0..<abs(shift) {
            let (scaled, overflow) = (shift > 0 ? numerator : denominator).multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            if shift > 0 { numerator = scaled } else { denominator = scaled }
        }
        let negative = (numerator < 0) != (denominator < 0)
        let (whole, remainder) = numerator.magnitude.quotientAndRemainder(dividingBy: denominator.magnitude)
        let rounded = remainder * 2 >= denominator.magnitude ? whole + 1 : whole
        guard let magnitude = Int64(exactly: rounded) else { return nil }
        return FixedDecimal(mantissa: negative ? -magnitude : magnitude, scale: scale)
    }

    public static func isPositive(_ value: FixedDecimal?) -> Bool { (value?.mantissa ?? 0) > 0 }
}
