import FixedPoint

/// Speculative parsing of the two hottest v2 messages, `book` and `trade`, as Kraken writes
/// them: compact JSON with keys in the documented order. The frame is matched against that
/// layout in one straight pass (literals compared as bytes, numbers read in place); at the
/// first byte that differs — whitespace, another key order, an escape, an exponent, an
/// unknown field — it gives up and the general parser reads the frame instead, so the fast
/// path never decides what a frame means on its own. The fuzz target checks that whenever the
/// fast path succeeds, the general parser produces the same message.
enum V2FastPath {
    static func parse(_ frame: UnsafeRawBufferPointer) -> V2Message? {
        var cursor = FastCursor(frame)
        guard cursor.literal(#"{"channel":""#) else { return nil }
        if cursor.literal(#"book","type":""#) {
            guard let kind = cursor.kind(), cursor.literal(#"","data":[{"symbol":""#),
                let book = readBook(&cursor, kind: kind), cursor.literal("]}"), cursor.atEnd
            else { return nil }
            return .book(book)
        }
        if cursor.literal(#"trade","type":""#) {
            guard let kind = cursor.kind(), cursor.literal(#"","data":["#) else { return nil }
            var trades: [KrakenTrade] = []
            repeat {
                guard cursor.literal(#"{"symbol":""#), let trade = readTrade(&cursor) else { return nil }
                trades.append(trade)
            } while cursor.literal(",")
            guard cursor.literal("]}"), cursor.atEnd else { return nil }
            return .trade(V2TradeMessage(kind: kind, trades: trades))
        }
        return nil
    }

    /// `SYMBOL","bids":[…],"asks":[…],"checksum":N(,"timestamp":"…")?}`
    private static func readBook(_ cursor: inout FastCursor, kind: MessageKind) -> V2BookMessage? {
        guard let symbol = cursor.plainString(), cursor.literal(#","bids":["#) else { return nil }
        var bids: [PriceLevel] = []
        var asks: [PriceLevel] = []
        guard readLevels(&cursor, into: &bids), cursor.literal(#","asks":["#), readLevels(&cursor, into: &asks),
            cursor.literal(#","checksum":"#), let checksum = cursor.unsigned(), checksum <= UInt64(UInt32.max)
        else { return nil }
        var timestamp: Int64?
        if cursor.literal(#","timestamp":""#) {
            guard let value = cursor.timestamp() else { return nil }
            timestamp = value
        }
        guard cursor.literal("}") else { return nil }
        return V2BookMessage(
            kind: kind, symbol: symbol, bids: bids, asks: asks, checksum: UInt32(checksum), timestampNs: timestamp)
    }

    /// `{"price":P,"qty":Q},…]` or `]`.
    private static func readLevels(_ cursor: inout FastCursor, into levels: inout [PriceLevel]) -> Bool {
        if cursor.literal("]") { return true }
        levels.reserveCapacity(4)
        repeat {
            guard cursor.literal(#"{"price":"#), let price = cursor.decimal(), cursor.literal(#","qty":"#),
                let quantity = cursor.decimal(), cursor.literal("}")
            else { return false }
            levels.append(PriceLevel(price: price, quantity: quantity))
        } while cursor.literal(",")
        return cursor.literal("]")
    }

    /// `SYMBOL","side":"buy","price":P,"qty":Q,"ord_type":"limit","trade_id":N,"timestamp":"…"}`
    private static func readTrade(_ cursor: inout FastCursor) -> KrakenTrade? {
        guard let symbol = cursor.plainString(), cursor.literal(#","side":""#) else { return nil }
        let side: Side
        if cursor.literal("buy") { side = .buy } else if cursor.literal("sell") { side = .sell } else { return nil }
        guard cursor.literal(#"","price":"#), let price = cursor.decimal(), cursor.literal(#","qty":"#),
            let quantity = cursor.decimal(), cursor.literal(#","ord_type":""#)
        else { return nil }
        let orderType: KrakenTrade.OrderType
        if cursor.literal("limit") { orderType = .limit } else if cursor.literal("market") { orderType = .market } else {
            return nil
        }
        guard cursor.literal(#"","trade_id":"#), let tradeID = cursor.unsigned(), cursor.literal(#","timestamp":""#),
            let timestamp = cursor.timestamp(), cursor.literal("}")
        else { return nil }
        return KrakenTrade(
            symbol: symbol, side: side, price: price, quantity: quantity, orderType: orderType, tradeID: tradeID,
            timestampNs: timestamp)
    }
}

/// A cursor that only moves forward on an exact match and never throws: every method returns
/// nil/false on the first surprise.
struct FastCursor {
    let base: UnsafeRawPointer
    let count: Int
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        count = bytes.count
    }

    var atEnd: Bool { index == count }

    @inline(__always)
    func byte(at position: Int) -> UInt8 { base.load(fromByteOffset: position, as: UInt8.self) }

    /// Consumes `text` if the frame continues with exactly these bytes.
    @inline(__always)
    mutating func literal(_ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard index + length <= count else { return false }
        let expected = UnsafeRawPointer(text.utf8Start)
        if length >= 8 && length <= 16 {
            // Two overlapping word compares cover 8–16 bytes.
            let tail = length - 8
            guard base.loadUnaligned(fromByteOffset: index, as: UInt64.self) == expected.loadUnaligned(as: UInt64.self),
                base.loadUnaligned(fromByteOffset: index + tail, as: UInt64.self)
                    == expected.loadUnaligned(fromByteOffset: tail, as: UInt64.self)
            else { return false }
        } else {
            for offset in 0..<length
            where byte(at: index + offset) != expected.load(fromByteOffset: offset, as: UInt8.self) {
                return false
            }
        }
        index += length
        return true
    }

    /// `update"` or `snapshot"` without the closing quote.
    mutating func kind() -> MessageKind? {
        if literal("update") { return .update }
        if literal("snapshot") { return .snapshot }
        return nil
    }

    /// Printable ASCII up to a closing quote (consumed); nil on an escape or any other byte.
    mutating func plainString() -> String? {
        let start = index
        while index < count {
            let value = byte(at: index)
            if value == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeRawBufferPointer(start: base + start, count: index - start), as: UTF8.self)
                index += 1
                return text
            }
            guard value &- 0x20 < 0x5F, value != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    /// `-?digits(.digits)?` with at most 18 digits, ending before `,`, `}` or `]`.
    mutating func decimal() -> FixedDecimal? {
        var position = index
        guard position < count else { return nil }
        let negative = byte(at: position) == UInt8(ascii: "-")
        if negative { position += 1 }
        var mantissa: Int64 = 0
        let integerStart = position
        accumulateDigits(&mantissa, &position)
        let integerDigits = position - integerStart
        var fractionDigits = 0
        if position < count, byte(at: position) == UInt8(ascii: ".") {
            position += 1
            let fractionStart = position
            accumulateDigits(&mantissa, &position)
            fractionDigits = position - fractionStart
            guard fractionDigits > 0 else { return nil }
        }
        guard integerDigits > 0, integerDigits + fractionDigits <= 18, position < count else { return nil }
        switch byte(at: position) {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"): break
        default: return nil
        }
        index = position
        return FixedDecimal(mantissa: negative ? -mantissa : mantissa, scale: UInt8(fractionDigits))
    }

    /// Appends decimal digits to `mantissa` (wrapping; callers bound the digit count).
    @inline(__always)
    func accumulateDigits(_ mantissa: inout Int64, _ position: inout Int) {
        while position < count {
            let digit = byte(at: position) &- 0x30
            guard digit < 10 else { return }
            mantissa = mantissa &* 10 &+ Int64(digit)
            position += 1
        }
    }

    /// Up to 19 digits (always fits UInt64), ending before `,` or `}`.
    mutating func unsigned() -> UInt64? {
        var position = index
        var value: UInt64 = 0
        while position < count, position - index < 19 {
            let digit = byte(at: position) &- 0x30
            guard digit < 10 else { break }
            value = value &* 10 &+ UInt64(digit)
            position += 1
        }
        guard position > index, position < count else { return nil }
        switch byte(at: position) {
        case UInt8(ascii: ","), UInt8(ascii: "}"): break
        default: return nil
        }
        index = position
        return value
    }

    /// An RFC 3339 time up to its closing quote (consumed).
    mutating func timestamp() -> Int64? {
        let start = index
        while index < count, byte(at: index) != UInt8(ascii: "\"") { index += 1 }
        guard index < count,
            let value = RFC3339.nanoseconds(UnsafeRawBufferPointer(start: base + start, count: index - start))
        else { return nil }
        index += 1
        return value
    }
}
