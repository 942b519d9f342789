import FixedPoint

/// A forward-only cursor over the raw bytes of one JSON text. It never builds a document tree,
/// never allocates for numbers (they become `FixedDecimal` straight from their digits, never
/// `Double`) and reports every fault as a `WireError` with its offset. Nesting is limited so a
/// hostile frame cannot exhaust the stack.
public struct JSONReader {
    public static let maxDepth = 32

    public let bytes: UnsafeRawBufferPointer
    public private(set) var offset = 0
    private var depth = 0

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// A reader positioned at `offset` of `bytes`, so errors keep frame-relative offsets (used
    /// to come back to a value that was skipped because its meaning depended on a later key).
    public init(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    /// The next non-whitespace byte, without consuming it.
    @inline(__always)
    public mutating func peek() throws(WireError) -> UInt8 {
        skipWhitespace()
        guard offset < bytes.count else { throw WireError(.unexpectedEnd, at: offset) }
        return bytes[offset]
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(WireError) {
        let next = try peek()
        guard next == byte else { throw WireError(.unexpectedByte(next), at: offset) }
        offset += 1
    }

    /// Fails unless only whitespace remains.
    public mutating func expectEnd() throws(WireError) {
        skipWhitespace()
        guard offset == bytes.count else { throw WireError(.unexpectedByte(bytes[offset]), at: offset) }
    }

    // MARK: Containers

    /// Reads an object, calling `member` with each key; `member` must consume the value. A key
    /// the object already had is a `duplicateField` error (`ObjectKeys`).
    public mutating func readObject(_ member: (RawString, inout JSONReader) throws(WireError) -> Void) throws(WireError) {
        var keys = ObjectKeys()
        try readSequence(open: UInt8(ascii: "{"), close: UInt8(ascii: "}")) { (reader) throws(WireError) in
            let keyOffset = reader.offset
            let key = try reader.readRawString()
            try keys.insert(key, at: keyOffset)
            try reader.expect(UInt8(ascii: ":"))
            try member(key, &reader)
        }
    }

    /// Reads an array, calling `element` for each element; `element` must consume it.
    public mutating func readArray(_ element: (inout JSONReader) throws(WireError) -> Void) throws(WireError) {
        try readSequence(open: UInt8(ascii: "["), close: UInt8(ascii: "]"), element)
    }

    /// The shared shape of objects and arrays: open, comma-separated items, close.
    private mutating func readSequence(
        open: UInt8, close: UInt8, _ item: (inout JSONReader) throws(WireError) -> Void
    ) throws(WireError) {
        try expect(open)
        try enter()
        if try peek() == close {
            offset += 1
            depth -= 1
            return
        }
        while true {
            try item(&self)
            let next = try peek()
            offset += 1
            if next == close { break }
            guard next == UInt8(ascii: ",") else { throw WireError(.unexpectedByte(next), at: offset - 1) }
        }
        depth -= 1
    }

    private mutating func enter() throws(WireError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw WireError(.nestingTooDeep(limit: Self.maxDepth), at: offset) }
    }

    /// Skips any value (unknown fields are ignored, as Kraken may add them).
    public mutating func skipValue() throws(WireError) {
        switch try peek() {
        case UInt8(ascii: "{"): try readObject { (_, reader) throws(WireError) in try reader.skipValue() }
        case UInt8(ascii: "["): try readArray { (reader) throws(WireError) in try reader.skipValue() }
        case UInt8(ascii: "\""): _ = try readRawString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        default: _ = try readNumberToken()
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(WireError) {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw WireError(.unexpectedEnd, at: bytes.count) }
        for index in 0..<count where bytes[offset + index] != literal.utf8Start[index] {
            throw WireError(.unexpectedByte(bytes[offset + index]), at: offset + index)
        }
        offset += count
    }

    // MARK: Scalars

    /// Reads a string without copying: its bytes between the quotes (escapes left as written,
    /// flagged), after checking the UTF-8 is valid. Plain ASCII — nearly every byte Kraken
    /// sends — takes one table lookup per byte.
    public mutating func readRawString() throws(WireError) -> RawString {
        try expect(UInt8(ascii: "\""))
        let start = offset
        var hasEscapes = false
        let base = bytes.baseAddress!
        let count = bytes.count
        var index = offset
        while index < count {
            // Eight bytes at a time while none of them needs attention (SWAR: the lowest
            // flagged byte of the mask is exact; flags above it may be spurious and are ignored).
            if index + 8 <= count {
                let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let special = Self.specialBytes(in: word)
                if special == 0 {
                    index += 8
                    continue
                }
                index += special.trailingZeroBitCount >> 3
            }
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            // Printable ASCII other than the quote and the backslash.
            if byte &- 0x20 < 0x60, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                index += 1
            } else if byte == UInt8(ascii: "\"") {
                offset = index + 1
                return RawString(bytes: UnsafeRawBufferPointer(start: base + start, count: index - start), hasEscapes: hasEscapes)
            } else if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                index += try Self.escapeLength(bytes, at: index)
            } else if byte < 0x20 {
                throw WireError(.unexpectedByte(byte), at: index)
            } else {
                index += try Self.validUTF8Length(bytes, at: index)
            }
        }
        throw WireError(.unexpectedEnd, at: count)
    }

    /// High bit set in each byte of `word` that is a quote, a backslash, a control character or
    /// not ASCII.
    @inline(__always)
    static func specialBytes(in word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let quote = zeroBytes(word ^ (ones &* 0x22))
        let backslash = zeroBytes(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highs
        return quote | backslash | control | (word & highs)
    }

    /// Length of the escape sequence starting with the backslash at `index`.
    static func escapeLength(_ bytes: UnsafeRawBufferPointer, at index: Int) throws(WireError) -> Int {
        guard index + 1 < bytes.count else { throw WireError(.unexpectedEnd, at: bytes.count) }
        switch bytes[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return 2
        case UInt8(ascii: "u"):
            guard index + 5 < bytes.count else { throw WireError(.unexpectedEnd, at: bytes.count) }
            for digit in 2...5 where !isHexDigit(bytes[index + digit]) {
                throw WireError(.invalidEscape, at: index)
            }
            return 6
        default:
            throw WireError(.invalidEscape, at: index)
        }
    }

    /// Reads a JSON number token (its raw bytes).
    public mutating func readNumberToken() throws(WireError) -> UnsafeRawBufferPointer {
        skipWhitespace()
        let start = offset
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                offset += 1
            default:
                guard offset > start else { throw WireError(.unexpectedByte(bytes[offset]), at: offset) }
                return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
            }
        }
        guard offset > start else { throw WireError(.unexpectedEnd, at: offset) }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
    }

    /// An exact decimal from a JSON number (v2) or a numeric string (v1, REST).
    public mutating func readDecimal() throws(WireError) -> FixedDecimal {
        if let value = readPlainDecimal() { return value }
        let start = offset
        let token = try readNumericToken()
        do {
            return try FixedDecimal(parsing: token)
        } catch {
            throw WireError(.invalidNumber(error), at: start)
        }
    }

    /// The common case in one pass: `-?digits(.digits)?`, at most 18 digits, bare or quoted,
    /// followed by a delimiter. Anything else (exponents, long numbers, malformed text) returns
    /// nil without consuming, and the general parser reports it exactly.
    @inline(__always)
    private mutating func readPlainDecimal() -> FixedDecimal? {
        skipWhitespace()
        let base = bytes.baseAddress!
        let count = bytes.count
        var index = offset
        guard index < count else { return nil }
        let quoted = base.load(fromByteOffset: index, as: UInt8.self) == UInt8(ascii: "\"")
        if quoted { index += 1 }
        guard index < count else { return nil }
        let negative = base.load(fromByteOffset: index, as: UInt8.self) == UInt8(ascii: "-")
        if negative { index += 1 }
        var mantissa: Int64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        while index < count {
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            let digit = byte &- 0x30
            if digit < 10 {
                mantissa = mantissa &* 10 &+ Int64(digit)
                digits += 1
                if seenPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
                // A point needs digits on both sides.
                guard digits > 0 else { return nil }
            } else {
                break
            }
            index += 1
        }
        guard digits > 0, digits <= 18, !seenPoint || fractionDigits > 0, index < count else { return nil }
        if quoted {
            guard base.load(fromByteOffset: index, as: UInt8.self) == UInt8(ascii: "\"") else { return nil }
            index += 1
        } else {
            switch base.load(fromByteOffset: index, as: UInt8.self) {
            case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: break
            default: return nil
            }
        }
        offset = index
        return FixedDecimal(mantissa: negative ? -mantissa : mantissa, scale: UInt8(fractionDigits))
    }

    /// The bytes of a JSON number, or of a numeric string's text (which must have no escapes).
    private mutating func readNumericToken() throws(WireError) -> UnsafeRawBufferPointer {
        let start = offset
        guard try peek() == UInt8(ascii: "\"") else { return try readNumberToken() }
        let raw = try readRawString()
        guard !raw.hasEscapes else { throw WireError(.invalidEscape, at: start) }
        return raw.bytes
    }

    /// A non-negative integer from a JSON number or numeric string (ids, sequences, checksums),
    /// up to `UInt64.max`: connection ids exceed `Int64.max`, so plain digits are read straight
    /// into a `UInt64` rather than through `FixedDecimal`'s signed mantissa.
    public mutating func readUInt64(field: String) throws(WireError) -> UInt64 {
        let start = offset
        switch try peek() {
        case UInt8(ascii: "\""), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): break
        default: throw WireError(.wrongType(field: field, expected: "number"), at: offset)
        }
        let token = try readNumericToken()
        if !token.isEmpty, token.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            var value: UInt64 = 0
            for byte in token {
                let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = shifted.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { throw WireError(.invalidNumber(.mantissaOverflow), at: start) }
                value = sum
            }
            return value
        }
        // A sign, point or exponent: the decimal parser decides (`1e3` is 1000, `-1.5` is refused).
        let value: FixedDecimal
        do {
            value = try FixedDecimal(parsing: token)
        } catch {
            throw WireError(.invalidNumber(error), at: start)
        }
        guard value.scale == 0, value.mantissa >= 0 else {
            throw WireError(.invalidValue(field: field, reason: "not a non-negative integer"), at: start)
        }
        return UInt64(value.mantissa)
    }

    public mutating func readBool(field: String) throws(WireError) -> Bool {
        switch try peek() {
        case UInt8(ascii: "t"): try expectLiteral("true"); return true
        case UInt8(ascii: "f"): try expectLiteral("false"); return false
        default: throw WireError(.wrongType(field: field, expected: "boolean"), at: offset)
        }
    }

    /// A string value as Swift text (unescaped).
    public mutating func readString(field: String) throws(WireError) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw WireError(.wrongType(field: field, expected: "string"), at: offset) }
        return try readRawString().string
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
    }

    /// Length of the valid UTF-8 sequence starting at `index`, or an invalidUTF8 error.
    static func validUTF8Length(_ bytes: UnsafeRawBufferPointer, at index: Int) throws(WireError) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: throw WireError(.invalidUTF8, at: index)
        }
        guard index + length <= bytes.count else { throw WireError(.invalidUTF8, at: index) }
        for continuation in 1..<length where bytes[index + continuation] & 0xC0 != 0x80 {
            throw WireError(.invalidUTF8, at: index)
        }
        // Overlong and surrogate forms.
        let second = bytes[index + 1]
        if (lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) || (lead == 0xF0 && second < 0x90)
            || (lead == 0xF4 && second > 0x8F) {
            throw WireError(.invalidUTF8, at: index)
        }
        return length
    }
}
