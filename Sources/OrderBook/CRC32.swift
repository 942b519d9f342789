/// CRC-32 as zlib computes it (IEEE 802.3, reflected polynomial 0xEDB88320, init and final
/// xor 0xFFFFFFFF) — the checksum Kraken uses for books.
public struct CRC32: Sendable {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
        return value
    }

    private var state: UInt32 = 0xFFFF_FFFF

    public init() {}

    public mutating func update(_ byte: UInt8) {
        Self.table.withUnsafeBufferPointer { table in
            state = table[Int((state ^ UInt32(byte)) & 0xFF)] ^ (state >> 8)
        }
    }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        Self.table.withUnsafeBufferPointer { table in
            for byte in bytes { state = table[Int((state ^ UInt32(byte)) & 0xFF)] ^ (state >> 8) }
        }
    }

    /// Feeds the decimal digits of a non-negative mantissa, most significant first, with no
    /// leading zeros: exactly Kraken's "remove the point, strip leading zeros" text.
    public mutating func updateDigits(of mantissa: Int64) {
        var remaining = mantissa.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var count = 0
            repeat {
                digits[count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            } while remaining > 0
            Self.table.withUnsafeBufferPointer { table in
                for index in stride(from: count - 1, through: 0, by: -1) {
                    state = table[Int((state ^ UInt32(digits[index])) & 0xFF)] ^ (state >> 8)
                }
            }
        }
    }

    public var value: UInt32 { state ^ 0xFFFF_FFFF }

    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
