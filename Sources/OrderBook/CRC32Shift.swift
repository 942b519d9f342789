extension CRC32 {
    /// The register after `count` zero bytes (`count` ≤ `maxShift`), in four table lookups.
    ///
    /// CRC is linear: a register `r` followed by bytes `B` ends as shift(r, |B|) ⊕ crc₀(B), where
    /// crc₀ starts from a zero register. So a text whose pieces' crc₀ values are known is
    /// checksummed with one shift per piece instead of a pass over its bytes.
    @inline(__always)
    static func shift(_ register: UInt32, zeroBytes count: Int, tables t: UnsafePointer<UInt32>) -> UInt32 {
        if count >= 4 {
            // Register byte j meets the table for count − j zero bytes after it.
            let row = t + 256 &* (count &- 4)
            return row[768 + Int(register & 0xFF)] ^ row[512 + Int((register >> 8) & 0xFF)]
                ^ row[256 + Int((register >> 16) & 0xFF)] ^ row[Int(register >> 24)]
        }
        var value = register
        for _ in 0..<count { value = t[Int(value & 0xFF)] ^ (value >> 8) }
        return value
    }

    /// The register `bytes` leave when they start from a zero register (crc₀).
    @inline(__always)
    static func fromZero(_ bytes: UnsafeRawBufferPointer, tables: UnsafePointer<UInt32>) -> UInt32 {
        advance(0, over: bytes, tables: tables)
    }

    /// Runs `body` with the flattened tables.
    @inline(__always)
    static func withTables<Result>(_ body: (UnsafePointer<UInt32>) -> Result) -> Result {
        tables.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
