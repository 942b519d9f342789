import FixedPoint

/// Typed field readers: each names the field in its error, so a bad frame reports
/// "`qty` expected number at byte 57" rather than an anonymous parse failure.
extension JSONReader {
    /// Consumes a `null` literal if one is next.
    public mutating func readNullIfPresent() throws(WireError) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try skipValue()
        return true
    }

    /// An exact decimal from a JSON number or numeric string, naming `field` if it is neither.
    public mutating func readDecimal(field: String) throws(WireError) -> FixedDecimal {
        let next = try peek()
        guard next == UInt8(ascii: "\"") || next == UInt8(ascii: "-") || (next >= 0x30 && next <= 0x39) else {
            throw WireError(.wrongType(field: field, expected: "number"), at: offset)
        }
        return try readDecimal()
    }

    /// A decimal, or nil for `null`.
    public mutating func readOptionalDecimal(field: String) throws(WireError) -> FixedDecimal? {
        try readNullIfPresent() ? nil : try readDecimal(field: field)
    }

    /// A signed integer from a number or numeric string (user references, intervals, counts).
    public mutating func readInt64(field: String) throws(WireError) -> Int64 {
        let start = offset
        let value = try readDecimal(field: field)
        guard value.scale == 0 else { throw WireError(.invalidValue(field: field, reason: "not an integer"), at: start) }
        return value.mantissa
    }

    public mutating func readInt(field: String) throws(WireError) -> Int {
        Int(try readInt64(field: field))
    }

    /// A CRC32 checksum (v2 sends a number, v1 a quoted number).
    public mutating func readChecksum(field: String) throws(WireError) -> UInt32 {
        let start = offset
        let value = try readUInt64(field: field)
        guard value <= UInt64(UInt32.max) else {
            throw WireError(.invalidValue(field: field, reason: "exceeds 32 bits"), at: start)
        }
        return UInt32(value)
    }

    /// An RFC 3339 timestamp (v2) as Unix nanoseconds.
    public mutating func readTimestamp(field: String) throws(WireError) -> Int64 {
        let start = offset
        guard try peek() == UInt8(ascii: "\"") else { throw WireError(.wrongType(field: field, expected: "string"), at: start) }
        guard let value = RFC3339.nanoseconds(try readRawString().bytes) else {
            throw WireError(.invalidValue(field: field, reason: "not RFC 3339"), at: start)
        }
        return value
    }

    /// Epoch seconds with a fraction, as v1 sends them (`"1534614248.456738"`), as Unix
    /// nanoseconds — exact, never through Double.
    public mutating func readEpochSeconds(field: String) throws(WireError) -> Int64 {
        let start = offset
        let value = try readDecimal(field: field)
        guard value.mantissa >= 0, let nanoseconds = value.rescaled(to: 9) else {
            throw WireError(.invalidValue(field: field, reason: "not epoch seconds with at most 9 fraction digits"), at: start)
        }
        return nanoseconds.mantissa
    }

    /// An array of strings.
    public mutating func readStringArray(field: String) throws(WireError) -> [String] {
        guard try peek() == UInt8(ascii: "[") else { throw WireError(.wrongType(field: field, expected: "array"), at: offset) }
        var values: [String] = []
        try readArray { (reader) throws(WireError) in values.append(try reader.readString(field: field)) }
        return values
    }

    /// Reads an object after checking that one is next, so a wrong type is named.
    public mutating func readObject(
        field: String, _ member: (RawString, inout JSONReader) throws(WireError) -> Void
    ) throws(WireError) {
        guard try peek() == UInt8(ascii: "{") else { throw WireError(.wrongType(field: field, expected: "object"), at: offset) }
        try readObject(member)
    }

    /// Reads an array after checking that one is next, so a wrong type is named.
    public mutating func readArray(field: String, _ element: (inout JSONReader) throws(WireError) -> Void) throws(WireError) {
        guard try peek() == UInt8(ascii: "[") else { throw WireError(.wrongType(field: field, expected: "array"), at: offset) }
        try readArray(element)
    }

    /// A string compared against a closed set of keywords.
    public mutating func readKeyword<Value>(field: String, _ match: (RawString) -> Value?) throws(WireError) -> Value {
        let start = offset
        guard try peek() == UInt8(ascii: "\"") else { throw WireError(.wrongType(field: field, expected: "string"), at: start) }
        let raw = try readRawString()
        guard let value = match(raw) else {
            throw WireError(.invalidValue(field: field, reason: "unknown value \"\(raw.string)\""), at: start)
        }
        return value
    }
}

/// A required field that was never seen.
@inline(__always)
func required<Value>(_ value: Value?, _ field: String, at offset: Int) throws(WireError) -> Value {
    guard let value else { throw WireError(.missingField(field), at: offset) }
    return value
}
