/// The checksum pieces of the best ten levels of one book side, kept up to date as levels
/// change: per level, the CRC register its text (price digits, then quantity digits) leaves
/// from a zero register, and the text's length.
///
/// A level is rendered and CRC'd once, when it changes; a checksum then chains the twenty
/// pieces with one table shift each (`CRC32.shift`) instead of running the CRC over ~300 bytes
/// of text, most of which did not change since the last update.
struct TopLevelDigests: Sendable {
    static let levels = 10

    /// Best first, `count` of them. Low 32 bits: crc₀ of the level's text; high bits: its
    /// length. Stored inline (no heap buffer to check for uniqueness on every change).
    private var slots: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    private(set) var count = 0

    mutating func removeAll() { count = 0 }

    /// Level `index` (< 10) was inserted; the old tenth level, if any, drops out.
    mutating func insert(_ level: BookLevel, at index: Int) {
        guard index < Self.levels, index <= count else { return }
        let kept = min(count, Self.levels - 1)
        let digest = Self.digest(level)
        withSlots { slots in
            var position = kept
            while position > index {
                slots[position] = slots[position - 1]
                position -= 1
            }
            slots[index] = digest
        }
        count = kept + 1
    }

    /// Level `index` changed its quantity.
    mutating func replace(_ level: BookLevel, at index: Int) {
        guard index < count else { return }
        let digest = Self.digest(level)
        withSlots { $0[index] = digest }
    }

    /// Level `index` was removed; `next` is the level that now becomes the tenth, if any.
    mutating func remove(at index: Int, next: BookLevel?) {
        guard index < count else { return }
        let remaining = count - 1
        withSlots { slots in
            for position in index..<remaining { slots[position] = slots[position + 1] }
        }
        count = remaining
        if let next, count < Self.levels {
            let digest = Self.digest(next)
            withSlots { $0[remaining] = digest }
            count += 1
        }
    }

    mutating func truncate(to depth: Int) {
        if count > depth { count = max(depth, 0) }
    }

    /// Feeds the levels' text, best first, into a CRC register.
    @inline(__always)
    func advance(_ register: UInt32, tables: UnsafePointer<UInt32>) -> UInt32 {
        var slots = slots
        let count = count
        return withUnsafeBytes(of: &slots) { raw in
            var value = register
            for index in 0..<count {
                let slot = raw.load(fromByteOffset: index &* 8, as: UInt64.self)
                value = CRC32.shift(value, zeroBytes: Int(slot >> 32), tables: tables) ^ UInt32(truncatingIfNeeded: slot)
            }
            return value
        }
    }

    @inline(__always)
    private mutating func withSlots(_ body: (UnsafeMutablePointer<UInt64>) -> Void) {
        withUnsafeMutableBytes(of: &slots) { raw in body(raw.baseAddress!.assumingMemoryBound(to: UInt64.self)) }
    }

    private static func digest(_ level: BookLevel) -> UInt64 {
        CRC32.withTables { LevelDigest.of(level, tables: $0) }
    }
}
