/// An exact decimal number: `mantissa × 10^-scale`, with the scale it was written with.
///
/// Kraken's digits are kept as sent — `"0.05000"` is mantissa 5000 at scale 5, not 0.05 —
/// because book checksums are computed over exactly those digits. Never passes through
/// `Double` or `Foundation.Decimal`.
public struct FixedDecimal: Sendable, Hashable, CustomStringConvertible {
    /// The largest number of fractional digits kept (10^18 still fits in Int64).
    public static let maxScale: UInt8 = 18

    public var mantissa: Int64
    public var scale: UInt8

    public init(mantissa: Int64, scale: UInt8) {
        self.mantissa = mantissa
        self.scale = scale
    }

    public static let zero = FixedDecimal(mantissa: 0, scale: 0)

    public var isZero: Bool { mantissa == 0 }

    /// The same value written with `newScale` fractional digits, or nil when that would drop a
    /// non-zero digit or overflow. Widening pads with zeros (`45281` at 1 → `45281.0`).
    /// Inlinable: books call it for every level they apply.
    @inlinable @inline(__always)
    public func rescaled(to newScale: UInt8) -> FixedDecimal? {
        if newScale == scale { return self }
        guard newScale <= Self.maxScale else { return nil }
        if newScale > scale {
            let (value, overflow) = mantissa.multipliedReportingOverflow(by: Self.powersOfTen[Int(newScale - scale)])
            return overflow ? nil : FixedDecimal(mantissa: value, scale: newScale)
        }
        let divisor = Self.powersOfTen[Int(scale - newScale)]
        guard mantissa % divisor == 0 else { return nil }
        return FixedDecimal(mantissa: mantissa / divisor, scale: newScale)
    }

    /// The decimal text with exactly `scale` fractional digits, e.g. `0.00100000`.
    public var description: String { Self.text(mantissa: mantissa, scale: Int(scale)) }

    /// `mantissa × 10^-scale` as text with exactly `scale` fractional digits (any scale).
    public static func text(mantissa: Int64, scale: Int) -> String {
        var digits = String(mantissa.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return mantissa < 0 ? "-" + digits : digits
    }

    @usableFromInline
    static let powersOfTen: [Int64] = (0...18).map { power in (0..<power).reduce(Int64(1)) { value, _ in value * 10 } }
}

extension FixedDecimal: Comparable {
    /// Compares values, whatever their scales (`1.50` == `1.5`).
    public static func < (lhs: FixedDecimal, rhs: FixedDecimal) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Equal values at different scales are equal numbers but not equal decimals: `==` (from
    /// Hashable) compares the digits; use this to compare numbers.
    public func isNumericallyEqual(to other: FixedDecimal) -> Bool {
        Self.compare(self, other) == 0
    }

    static func compare(_ lhs: FixedDecimal, _ rhs: FixedDecimal) -> Int {
        let scale = max(lhs.scale, rhs.scale)
        let left = Int128(lhs.mantissa) * Int128(powersOfTen[Int(scale - lhs.scale)])
        let right = Int128(rhs.mantissa) * Int128(powersOfTen[Int(scale - rhs.scale)])
        return left < right ? -1 : (left == right ? 0 : 1)
    }
}
