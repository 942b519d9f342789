/// The CRC piece of one level's checksum text — price digits then quantity digits, without
/// leading zeros — computed from the numbers without writing the text anywhere.
///
/// Eight digits at a time are converted in a register (SWAR) and fed to the sliced CRC tables as
/// one word. A number's leading zeros are left as NUL bytes instead of being stripped: from a
/// zero register NUL bytes leave the register at zero, so they change nothing.
enum LevelDigest {
    /// Low 32 bits: the register the level's text leaves from a zero register; high bits: the
    /// text's length.
    @inline(__always)
    static func of(_ level: BookLevel, tables: UnsafePointer<UInt32>) -> UInt64 {
        let price = number(level.price.magnitude, tables: tables)
        let quantity = number(level.quantity.magnitude, tables: tables)
        let register = CRC32.shift(price.register, zeroBytes: quantity.length, tables: tables) ^ quantity.register
        return UInt64(register) | UInt64(price.length + quantity.length) << 32
    }

    /// crc₀ and length of the decimal digits of `value` ("0" for zero).
    @inline(__always)
    static func number(_ value: UInt64, tables: UnsafePointer<UInt32>) -> (register: UInt32, length: Int) {
        if value < 100_000_000 { return leading(value, tables: tables) }
        let low = value % 100_000_000
        var high = value / 100_000_000
        var result: (register: UInt32, length: Int)
        if high < 100_000_000 {
            result = leading(high, tables: tables)
        } else {
            result = leading(high / 100_000_000, tables: tables)
            high %= 100_000_000
            result.register = block(digitValues(high) | asciiZeros, after: result.register, tables: tables)
            result.length += 8
        }
        result.register = block(digitValues(low) | asciiZeros, after: result.register, tables: tables)
        return (result.register, result.length + 8)
    }

    private static let asciiZeros: UInt64 = 0x3030_3030_3030_3030

    /// The most significant group (< 10⁸): its leading zero digits become NUL bytes.
    @inline(__always)
    private static func leading(_ value: UInt64, tables: UnsafePointer<UInt32>) -> (register: UInt32, length: Int) {
        let values = digitValues(value)
        let zeros = value == 0 ? 7 : values.trailingZeroBitCount >> 3
        return (block(values | asciiZeros << (zeros << 3), after: 0, tables: tables), 8 - zeros)
    }

    /// The eight digits of `value` (< 10⁸) as byte values 0–9, most significant in the lowest
    /// byte (the first in memory on a little-endian machine): split into 4-digit, 2-digit and
    /// 1-digit lanes with multiply-shift divisions that cannot carry across lanes.
    @inline(__always)
    static func digitValues(_ value: UInt64) -> UInt64 {
        var lanes = value / 10_000 | (value % 10_000) << 32
        let hundreds = ((lanes &* 10_486) >> 20) & 0x0000_007F_0000_007F
        lanes = hundreds | (lanes &- hundreds &* 100) << 16
        let tens = ((lanes &* 103) >> 10) & 0x000F_000F_000F_000F
        return tens | (lanes &- tens &* 10) << 8
    }

    /// The register after the eight bytes of `word` (first byte in the low bits).
    @inline(__always)
    private static func block(_ word: UInt64, after register: UInt32, tables t: UnsafePointer<UInt32>) -> UInt32 {
        let x = word ^ UInt64(register)
        return t[1792 + Int(x & 0xFF)] ^ t[1536 + Int((x >> 8) & 0xFF)] ^ t[1280 + Int((x >> 16) & 0xFF)]
            ^ t[1024 + Int((x >> 24) & 0xFF)] ^ t[768 + Int((x >> 32) & 0xFF)] ^ t[512 + Int((x >> 40) & 0xFF)]
            ^ t[256 + Int((x >> 48) & 0xFF)] ^ t[Int(x >> 56)]
    }
}
