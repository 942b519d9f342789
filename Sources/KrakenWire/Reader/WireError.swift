import FixedPoint

/// What was wrong with a Kraken frame, and where (byte offset into the frame).
public struct WireError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case invalidUTF8
        case nestingTooDeep(limit: Int)
        case invalidNumber(DecimalParseError)
        case invalidEscape
        /// A value of the wrong JSON type for `field`.
        case wrongType(field: String, expected: String)
        case missingField(String)
        case invalidValue(field: String, reason: String)
        /// A v2 `channel` this parser does not know.
        case unknownChannel(String)
        /// A v1 `event` or channel name this parser does not know.
        case unknownEvent(String)
        /// A value of a known field that makes the message impossible to interpret, e.g. a
        /// `book` message whose `data` holds two books.
        case unexpectedShape(String)
    }

    public var kind: Kind
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String { "\(kind) at byte \(offset)" }
}
