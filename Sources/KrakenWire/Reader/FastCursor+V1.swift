import FixedPoint

/// The quoted forms v1 writes numbers in, each read after its opening quote.
extension FastCursor {
    /// `seconds.fraction"` as Unix nanoseconds — what `readEpochSeconds` gives: not negative,
    /// at most 9 fraction digits, within `Int64`.
    @inline(__always)
    mutating func epochSecondsBody() -> Int64? {
        let start = index
        guard let value = quotedDecimalBody(), value.mantissa >= 0, let nanoseconds = value.rescaled(to: 9) else {
            index = start
            return nil
        }
        return nanoseconds.mantissa
    }

    /// `digits"` within 32 bits (v1's book checksum `"c":"3139033408"`).
    mutating func quotedChecksumBody() -> UInt32? {
        var position = index
        var value: UInt64 = 0
        while position < count, position - index < 10 {
            let digit = byte(at: position) &- 0x30
            guard digit < 10 else { break }
            value = value &* 10 &+ UInt64(digit)
            position += 1
        }
        guard position > index, position < count, byte(at: position) == UInt8(ascii: "\""), value <= UInt64(UInt32.max)
        else { return nil }
        index = position + 1
        return UInt32(value)
    }
}
