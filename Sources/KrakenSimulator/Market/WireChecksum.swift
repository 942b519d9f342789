/// Kraken's book checksum computed the way Kraken's documentation describes it, from the text
/// a client receives: for the best ten asks (ascending) then the best ten bids (descending),
/// each level's price text then quantity text with the `.` removed and leading zeros stripped,
/// concatenated; CRC-32 (IEEE) of that, unsigned.
///
/// Written from the documentation on purpose, independent of the bridge's `OrderBook`, so
/// the simulator cannot share a wrong assumption with the code it tests.
public enum WireChecksum {
    public static func of(bids: [MarketLevel], asks: [MarketLevel], pair: SimulatedPair, decimals: SimulatedPair.Decimals) -> UInt32 {
        var text: [UInt8] = []
        text.reserveCapacity(400)
        for level in asks.prefix(10) + bids.prefix(10) {
            append(pair.text(price: level.price, decimals: decimals), to: &text)
            append(pair.text(quantity: level.quantity, decimals: decimals), to: &text)
        }
        return crc32(text)
    }

    /// `"0.05000"` → `5000`.
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
        for byte in bytes {
            register = table[Int((register ^ UInt32(byte)) & 0xFF)] ^ (register >> 8)
        }
        return register ^ 0xFFFF_FFFF
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}
