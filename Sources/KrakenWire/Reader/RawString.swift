/// The bytes of a JSON string as they appear in the frame (between the quotes).
public struct RawString {
    public let bytes: UnsafeRawBufferPointer
    public let hasEscapes: Bool

    /// Compares with an ASCII key without allocating.
    @inline(__always)
    public func equals(_ key: StaticString) -> Bool {
        guard !hasEscapes, bytes.count == key.utf8CodeUnitCount else { return false }
        for index in 0..<bytes.count where bytes[index] != key.utf8Start[index] { return false }
        return true
    }

    /// The unescaped text.
    public var string: String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard hasEscapes else { return text }
        var result = ""
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\\", let escaped = iterator.next() else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch escaped {
            case "n": result += "\n"
            case "t": result += "\t"
            case "r": result += "\r"
            case "b": result += "\u{08}"
            case "f": result += "\u{0C}"
            case "u":
                var value = Self.hexQuad(&iterator)
                if let high = value, (0xD800...0xDBFF).contains(high) {
                    // A character beyond U+FFFF is escaped as a UTF-16 surrogate pair.
                    var lookahead = iterator
                    if lookahead.next() == "\\", lookahead.next() == "u", let low = Self.hexQuad(&lookahead),
                        (0xDC00...0xDFFF).contains(low)
                    {
                        value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                        iterator = lookahead
                    }
                }
                if let value, let decoded = Unicode.Scalar(value) {
                    result.unicodeScalars.append(decoded)
                } else {
                    result += "\u{FFFD}"
                }
            default: result.unicodeScalars.append(escaped)
            }
        }
        return result
    }

    /// The value of the four hex digits of a `\u` escape.
    private static func hexQuad(_ iterator: inout String.UnicodeScalarView.Iterator) -> UInt32? {
        UInt32(String(String.UnicodeScalarView((0..<4).compactMap { _ in iterator.next() })), radix: 16)
    }
}
