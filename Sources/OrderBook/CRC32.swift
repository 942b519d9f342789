/// CRC-32 as zlib computes it (IEEE 802.3, reflected polynomial 0xEDB88320, init and final
/// xor 0xFFFFFFFF) — the checksum Kraken uses for books. Slicing-by-8: eight bytes per step.
public struct CRC32: Sendable {
    /// How many zero bytes the tables can skip at once (`shift`): the longest level text.
    static let maxShift = 2 * DigitWriter.maxDigits

    /// 256-entry tables, flattened: table k at offset 256·k maps byte b to the register that
    /// b followed by k zero bytes leaves (from a zero register). Tables 0–7 drive slicing-by-8;
    /// all `maxShift` of them drive `shift`.
    static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 256 * maxShift)
        for index in 0..<256 {
            var value = UInt32(index)
            for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
            tables[index] = value
        }
        for index in 0..<256 {
            for slice in 1..<maxShift {
                let previous = tables[256 * (slice - 1) + index]
                tables[256 * slice + index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    private var state: UInt32 = 0xFFFF_FFFF

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        Self.tables.withUnsafeBufferPointer { tables in
            state = Self.advance(state, over: bytes, tables: tables.baseAddress!)
        }
    }

    @inline(__always)
    static func advance(_ state: UInt32, over bytes: UnsafeRawBufferPointer, tables t: UnsafePointer<UInt32>) -> UInt32 {
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
        return crc
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

/// Decimal digits without leading zeros, written straight into memory: the pieces of
/// Kraken's checksum text ("remove the point, strip leading zeros" of an exact mantissa).
enum DigitWriter {
    /// "00", "01", … "99": two digits per division.
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// The most bytes `write` produces.
    static let maxDigits = 20

    /// Writes the digits of `mantissa`'s magnitude at `target`; returns how many.
    @inline(__always)
    static func write(_ mantissa: Int64, to target: UnsafeMutablePointer<UInt8>) -> Int {
        var remaining = mantissa.magnitude
        var digits = 1
        var power: UInt64 = 10
        while digits < 20 && remaining >= power {
            digits += 1
            power &*= 10
        }
        let pairs = digitPairs.utf8Start
        var position = digits
        while remaining >= 100 {
            let pair = Int(remaining % 100) &* 2
            remaining /= 100
            position -= 2
            target[position] = pairs[pair]
            target[position + 1] = pairs[pair + 1]
        }
        if remaining >= 10 {
            let pair = Int(remaining) &* 2
            target[0] = pairs[pair]
            target[1] = pairs[pair + 1]
        } else {
            target[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining)
        }
        return digits
    }
}

/// Kraken's checksum text built in one stack buffer, then one CRC pass (level-3 books).
struct ChecksumText {
    static func checksum(numbers: Int, _ fill: (inout ChecksumText) -> Void) -> UInt32 {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, numbers) * DigitWriter.maxDigits) { buffer in
            var text = ChecksumText(base: buffer.baseAddress!)
            fill(&text)
            var crc = CRC32()
            crc.update(UnsafeRawBufferPointer(start: buffer.baseAddress, count: text.count))
            return crc.value
        }
    }

    let base: UnsafeMutablePointer<UInt8>
    var count = 0

    @inline(__always)
    mutating func append(_ mantissa: Int64) {
        count += DigitWriter.write(mantissa, to: base + count)
    }
}
