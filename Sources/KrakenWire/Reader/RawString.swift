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
                let hex = String(String.UnicodeScalarView((0..<4).compactMap { _ in iterator.next() }))
                if let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) {
                    result.unicodeScalars.append(decoded)
                } else {
                    result += "\u{FFFD}"
                }
            default: result.unicodeScalars.append(escaped)
            }
        }
        return result
    }
}
