/// Parses v2 frames exactly as `V2Message(frame:)` does, but reuses what one message leaves
/// behind for the next: the level and trade arrays are refilled in place once the caller has
/// let go of the previous message (while it still holds it, fresh arrays are allocated as
/// usual), and the symbol string is kept while frames carry the same symbol. Keep one per
/// connection; on the book path this saves two allocations and a string per message.
public struct V2FrameParser: Sendable {
    private var scratch = V2ParseScratch()

    public init() {}

    /// Parses one complete frame.
    public mutating func parse(_ frame: UnsafeRawBufferPointer) throws(WireError) -> V2Message {
        if let message = V2FastPath.parse(frame, reusing: &scratch) { return message }
        return try V2Message(generalFrame: frame)
    }
}

/// Storage the fast path fills and hands to the messages it returns.
struct V2ParseScratch: Sendable {
    var bids: [PriceLevel] = []
    var asks: [PriceLevel] = []
    var trades: [KrakenTrade] = []
    var symbol = SymbolCache()
    var days = DayCache()
}

/// The last symbol read and its bytes, so a frame for the same symbol — nearly all of them on
/// a connection — costs two word compares instead of a scan and a new String.
struct SymbolCache: Sendable {
    private var head: UInt64 = 0
    private var tail: UInt64 = 0
    /// -1 while nothing is cached.
    private var length = -1
    private var string = ""

    /// Off for one-off parses (`V2Message(frame:)`), where remembering costs more than it saves.
    var enabled = true

    /// Reads a plain string up to its closing quote (consumed), like `FastCursor.plainString`.
    mutating func read(_ cursor: inout FastCursor) -> String? {
        guard enabled else { return cursor.plainString() }
        let start = cursor.index
        let readable = start + 17 <= cursor.count
        if readable, length >= 0, cursor.byte(at: start + length) == UInt8(ascii: "\"") {
            let (headMask, tailMask) = Self.masks(length)
            if cursor.word(at: start) & headMask == head, cursor.word(at: start + 8) & tailMask == tail {
                cursor.index = start + length + 1
                return string
            }
        }
        guard let text = cursor.plainString() else { return nil }
        let newLength = cursor.index - 1 - start
        if readable, newLength <= 16 {
            let (headMask, tailMask) = Self.masks(newLength)
            head = cursor.word(at: start) & headMask
            tail = cursor.word(at: start + 8) & tailMask
            length = newLength
            string = text
        }
        return text
    }

    /// Masks keeping the first `length` (≤ 16) bytes of two consecutive words.
    @inline(__always)
    private static func masks(_ length: Int) -> (UInt64, UInt64) {
        func mask(_ bytes: Int) -> UInt64 { bytes >= 8 ? ~0 : (1 << (8 * UInt64(bytes))) &- 1 }
        return (mask(length), mask(max(length - 8, 0)))
    }
}
