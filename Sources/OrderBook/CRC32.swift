/// CRC-32 as zlib computes it (IEEE 802.3, reflected polynomial 0xEDB88320, init and final
/// xor 0xFFFFFFFF) — the checksum Kraken uses for books. Slicing-by-8: eight bytes per step.
public struct CRC32: Sendable {
    /// Eight 256-entry tables, flattened: table k at offset 256·k.
    static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 256 * 8)
        for index in 0..<256 {
            var value = UInt32(index)
            for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
            tables[index] = value
        }
        for index in 0..<256 {
            for slice in 1..<8 {
                let previous = tables[256 * (slice - 1) + index]
                tables[256 * slice + index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    private var state: UInt32 = 0xFFFF_FFFF

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        Self.tables.withUnsafeBufferPointer { t in
            var crc = state
            var index = 0
            let count = bytes.count
            while index + 8 <= count {
                let low = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self)) ^ crc
                let high = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self))
                crc = t[1792 + Int(low & 0xFF)] ^ t[1536 + Int((low >> 8) & 0xFF)]
                    ^ t[1280 + Int((low >> 16) & 0xFF)] ^ t[1024 + Int(low >> 24)]
                    ^ t[768 + Int(high & 0xFF)] ^ t[512 + Int((high >> 8) & 0xFF)]
                    ^ t[256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                index += 8
            }
            while index < count {
                crc = t[Int((crc ^ UInt32(bytes[index])) & 0xFF)] ^ (crc >> 8)
                index += 1
            }
            state = crc
        }
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public var value: UInt32 { state ^ 0xFFFF_FFFF }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}

/// Kraken's checksum text built in one stack buffer: each number's decimal digits without the
/// point or leading zeros, appended in order; then one CRC pass over the whole text. No
/// allocation, no global lookups per number (this runs for every book update).
struct ChecksumText {
    /// "00", "01", … "99": two digits per division.
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    static func checksum(capacity: Int, _ fill: (inout ChecksumText) -> Void) -> UInt32 {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var text = ChecksumText(buffer: buffer, pairs: digitPairs.utf8Start)
            fill(&text)
            var crc = CRC32()
            crc.update(UnsafeRawBufferPointer(start: buffer.baseAddress, count: text.count))
            return crc.value
        }
    }

    /// Room `append` needs past the text for its 24-byte scratch area.
    static let scratchSpace = 48

    let buffer: UnsafeMutableBufferPointer<UInt8>
    let pairs: UnsafePointer<UInt8>
    var count = 0

    /// Appends the digits of a mantissa's magnitude, most significant first. Works in
    /// 8-digit chunks whose four digit pairs are computed independently (short dependency
    /// chains matter more than operation count here).
    @inline(__always)
    mutating func append(_ mantissa: Int64) {
        let value = mantissa.magnitude
        var digits = 1
        var power: UInt64 = 10
        while digits < 20 && value >= power {
            digits += 1
            power &*= 10
        }
        let base = buffer.baseAddress!
        // Right-align all digits in a 24-byte scratch area past the current text, then move
        // the significant ones into place.
        let scratch = base + count + 24
        let low = value % 100_000_000
        let rest = value / 100_000_000
        writeEight(low, to: scratch + 16)
        if digits > 8 {
            writeEight(rest % 100_000_000, to: scratch + 8)
            if digits > 16 { writeEight(rest / 100_000_000, to: scratch) }
        }
        (base + count).update(from: scratch + 24 - digits, count: digits)
        count += digits
    }

    /// Writes exactly eight digits (zero-padded) of `value` (< 10^8).
    @inline(__always)
    private func writeEight(_ value: UInt64, to target: UnsafeMutablePointer<UInt8>) {
        let high = Int(value / 10_000)
        let low = Int(value % 10_000)
        let p1 = (high / 100) &* 2, p2 = (high % 100) &* 2, p3 = (low / 100) &* 2, p4 = (low % 100) &* 2
        target[0] = pairs[p1]
        target[1] = pairs[p1 + 1]
        target[2] = pairs[p2]
        target[3] = pairs[p2 + 1]
        target[4] = pairs[p3]
        target[5] = pairs[p3 + 1]
        target[6] = pairs[p4]
        target[7] = pairs[p4 + 1]
    }
}
