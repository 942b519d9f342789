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
        /// A key that appears twice in one object. Kraken never repeats a key, and which of the
        /// two values counts would be a guess.
        case duplicateField(String)
        /// A key of the other protocol version's envelope (`event` in a v2 message, `method` or
        /// `channel` in a v1 event object): no Kraken message mixes the two vocabularies.
        case otherProtocolVersion(field: String)
    }

    public var kind: Kind
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String { "\(kind) at byte \(offset)" }
}
