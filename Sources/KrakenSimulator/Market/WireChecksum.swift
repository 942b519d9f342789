/// Kraken's book checksum computed the way Kraken's documentation describes it, from the text
/// a client receives: for the best ten asks (ascending) then the best ten bids (descending),
/// each level's price text then quantity text with the `.` removed and leading zeros stripped,
/// concatenated; CRC-32 (IEEE) of that, unsigned.
///
/// Written from the documentation on purpose, independent of the bridge's `OrderBook`, so
/// the simulator cannot share a wrong assumption with the code it tests.
public enum WireChecksum {
    public static func of(bids: [MarketLevel], asks: [MarketLevel], pair: SimulatedPair, decimals: SimulatedPair.Decimals) -> UInt32 {
        var register: UInt32 = 0xFFFF_FFFF
        for level in asks.prefix(10) + bids.prefix(10) {
            register = digits(of: level.price, zeros: Int(decimals.price(for: level.price)) - Int(pair.priceScale), into: register)
            register = digits(of: level.quantity, zeros: Int(decimals.quantity(for: level.quantity)) - Int(pair.quantityScale),
                              into: register)
        }
        return register ^ 0xFFFF_FFFF
    }

    /// The text `pair.text(…)` writes for `mantissa` — its digits, then `zeros` padding zeros,
    /// with a point somewhere — once the point and the leading zeros are gone: the mantissa's
    /// decimal digits then the padding (nothing for zero).
    static func digits(of mantissa: Int64, zeros: Int, into register: UInt32) -> UInt32 {
        guard mantissa != 0 else { return register }
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &buffer) { bytes in
            var value = mantissa.magnitude
            var start = bytes.count
            while value > 0 {
                start -= 1
                bytes[start] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            var register = register
            for index in start..<bytes.count { register = update(register, bytes[index]) }
            for _ in 0..<max(zeros, 0) { register = update(register, UInt8(ascii: "0")) }
            return register
        }
    }

    @inline(__always)
    static func update(_ register: UInt32, _ byte: UInt8) -> UInt32 {
        table[Int((register ^ UInt32(byte)) & 0xFF)] ^ (register >> 8)
    }

    /// `"0.05000"` → `5000`: the documented rule applied to text.
    static func append(_ number: String, to text: inout [UInt8]) {
        var leading = true
        for byte in number.utf8 where byte != UInt8(ascii: ".") {
            if leading && byte == UInt8(ascii: "0") { continue }
            leading = false
            text.append(byte)
        }
    }

    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var register: UInt32 = 0xFFFF_FFFF
        for byte in bytes { register = update(register, byte) }
        return register ^ 0xFFFF_FFFF
    }

    /// The same checksum by way of the text itself, as Kraken's guide describes it (slow; for
    /// tests of `of(…)`).
    public static func ofText(bids: [MarketLevel], asks: [MarketLevel], pair: SimulatedPair, decimals: SimulatedPair.Decimals) -> UInt32 {
        var text: [UInt8] = []
        for level in asks.prefix(10) + bids.prefix(10) {
            append(pair.text(price: level.price, decimals: decimals), to: &text)
            append(pair.text(quantity: level.quantity, decimals: decimals), to: &text)
        }
        return crc32(text)
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}
