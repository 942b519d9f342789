import FixedPoint

/// Speculative parsing of the hottest v1 frames — `book-N` updates and snapshots, `trade` and
/// the heartbeat — as Kraken writes them: compact JSON, numbers as strings, levels as
/// `["price","volume","time"]` with an optional `"r"`. The frame is matched against that layout
/// in one straight pass; at the first byte that differs (whitespace, an escape, an unquoted
/// number, another key, a sixth element) it gives up and the general parser reads the frame
/// instead, so the fast path never decides what a frame means on its own. The fuzz target
/// checks that whenever it succeeds, the general parser produces the same message.
enum V1FastPath {
    static func parse(_ frame: UnsafeRawBufferPointer) -> V1Message? {
        var scratch = V1ParseScratch()
        return parse(frame, reusing: &scratch)
    }

    /// Parses into the arrays kept in `scratch` (see `V1FrameParser`).
    static func parse(_ frame: UnsafeRawBufferPointer, reusing scratch: inout V1ParseScratch) -> V1Message? {
        var cursor = FastCursor(frame)
        if cursor.literal(#"{"event":"heartbeat"}"#) { return cursor.atEnd ? .heartbeat : nil }
        // `[channelID,` — the id itself is not used (the channel name and pair are).
        guard cursor.literal("["), cursor.unsigned() != nil, cursor.literal(",") else { return nil }
        if cursor.literal("{") {
            return readBook(&cursor, scratch: &scratch).map(V1Message.book)
        }
        if cursor.literal("[[") {
            return readTrades(&cursor, scratch: &scratch).map(V1Message.trade)
        }
        return nil
    }

    /// After `[id,{`: a snapshot `"as":[…],"bs":[…]}` or one or two update objects, then
    /// `,"book-N","PAIR"]`.
    private static func readBook(_ cursor: inout FastCursor, scratch: inout V1ParseScratch) -> V1BookMessage? {
        scratch.asks.emptyKeepingBuffer()
        scratch.bids.emptyKeepingBuffer()
        var checksum: UInt32?
        let isSnapshot: Bool
        if cursor.literal(#""as":["#) {
            guard readLevels(&cursor, into: &scratch.asks), cursor.literal(#","bs":["#),
                readLevels(&cursor, into: &scratch.bids), cursor.literal("}")
            else { return nil }
            isSnapshot = true
        } else {
            guard readUpdateObject(&cursor, scratch: &scratch, checksum: &checksum) else { return nil }
            // Changes on both sides come as two objects, the checksum in the second.
            if cursor.literal(",{") {
                guard readUpdateObject(&cursor, scratch: &scratch, checksum: &checksum) else { return nil }
            }
            isSnapshot = false
        }
        guard cursor.literal(#","book-"#), let depth = readDepth(&cursor), cursor.literal(#"",""#),
            let pair = readPair(&cursor)
        else { return nil }
        return V1BookMessage(
            pair: pair, depth: depth, isSnapshot: isSnapshot, asks: scratch.asks, bids: scratch.bids, checksum: checksum)
    }

    /// After `{`: `"a":[…]`, `"b":[…]` (at least one, in that order) and `"c":"N"`, then `}`.
    private static func readUpdateObject(
        _ cursor: inout FastCursor, scratch: inout V1ParseScratch, checksum: inout UInt32?
    ) -> Bool {
        var sides = 0
        if cursor.literal(#""a":["#) {
            guard readLevels(&cursor, into: &scratch.asks) else { return false }
            sides += 1
        }
        if cursor.literal(sides == 0 ? #""b":["# : #","b":["#) {
            guard readLevels(&cursor, into: &scratch.bids) else { return false }
            sides += 1
        }
        guard sides > 0 else { return false }
        if cursor.literal(#","c":""#) {
            guard let value = cursor.quotedChecksumBody() else { return false }
            checksum = value
        }
        return cursor.literal("}")
    }

    /// After `[`: `["P","V","T"(,"r")?],…]` or `]`.
    private static func readLevels(_ cursor: inout FastCursor, into levels: inout [V1BookLevel]) -> Bool {
        if cursor.literal("]") { return true }
        repeat {
            guard cursor.literal(#"[""#), let price = cursor.quotedDecimalBody(), cursor.literal(#",""#),
                let volume = cursor.quotedDecimalBody(), cursor.literal(#",""#), let time = cursor.epochSecondsBody()
            else { return false }
            let isRepublished: Bool
            if cursor.literal("]") {
                isRepublished = false
            } else if cursor.literal(#","r"]"#) {
                isRepublished = true
            } else {
                return false
            }
            levels.append(V1BookLevel(price: price, volume: volume, timestampNs: time, isRepublished: isRepublished))
        } while cursor.literal(",")
        return cursor.literal("]")
    }

    /// After `[[`: `"P","V","T","b|s","l|m","misc"],…],"trade","PAIR"]`.
    private static func readTrades(_ cursor: inout FastCursor, scratch: inout V1ParseScratch) -> V1TradeMessage? {
        scratch.trades.emptyKeepingBuffer()
        repeat {
            guard cursor.literal(#"""#), let price = cursor.quotedDecimalBody(), cursor.literal(#",""#),
                let volume = cursor.quotedDecimalBody(), cursor.literal(#",""#), let time = cursor.epochSecondsBody()
            else { return nil }
            let side: Side
            if cursor.literal(#","b",""#) { side = .buy } else if cursor.literal(#","s",""#) { side = .sell } else { return nil }
            let orderType: KrakenTrade.OrderType
            if cursor.literal(#"l",""#) { orderType = .limit } else if cursor.literal(#"m",""#) { orderType = .market } else {
                return nil
            }
            let misc: String
            if cursor.literal(#""]"#) {
                misc = ""
            } else {
                guard let text = cursor.plainString(), cursor.literal("]") else { return nil }
                misc = text
            }
            scratch.trades.append(
                V1Trade(price: price, volume: volume, timestampNs: time, side: side, orderType: orderType, misc: misc))
        } while cursor.literal(",[")
        guard cursor.literal(#"],"trade",""#), let pair = readPair(&cursor) else { return nil }
        return V1TradeMessage(pair: pair, trades: scratch.trades)
    }

    /// `N"` of `book-N`: one to five digits (depths are 10 to 1000).
    private static func readDepth(_ cursor: inout FastCursor) -> Int? {
        var depth = 0
        var digits = 0
        while cursor.index < cursor.count, digits < 5 {
            let digit = cursor.byte(at: cursor.index) &- 0x30
            guard digit < 10 else { break }
            depth = depth * 10 + Int(digit)
            digits += 1
            cursor.index += 1
        }
        return digits > 0 ? depth : nil
    }

    /// `PAIR"]` at the very end of the frame.
    private static func readPair(_ cursor: inout FastCursor) -> String? {
        guard let pair = cursor.plainString(), cursor.literal("]"), cursor.atEnd else { return nil }
        return pair
    }
}

/// Storage the v1 fast path fills and hands to the messages it returns.
struct V1ParseScratch: Sendable {
    var asks: [V1BookLevel] = []
    var bids: [V1BookLevel] = []
    var trades: [V1Trade] = []
}

/// Parses v1 frames exactly as `V1Message(frame:)` does, but refills the level and trade arrays
/// of the previous message in place once the caller has let go of it. Keep one per connection.
public struct V1FrameParser: Sendable {
    private var scratch = V1ParseScratch()

    public init() {}

    /// Parses one complete frame.
    public mutating func parse(_ frame: UnsafeRawBufferPointer) throws(WireError) -> V1Message {
        if let message = V1FastPath.parse(frame, reusing: &scratch) { return message }
        return try V1Message(generalFrame: frame)
    }
}
