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
        var scratch = V2ParseScratch()
        scratch.symbol.enabled = false
        return parse(frame, reusing: &scratch)
    }

    /// Parses into the arrays and symbol kept in `scratch` (see `V2FrameParser`).
    static func parse(_ frame: UnsafeRawBufferPointer, reusing scratch: inout V2ParseScratch) -> V2Message? {
        var cursor = FastCursor(frame)
        guard cursor.literal(#"{"channel":""#) else { return nil }
        if cursor.literal(#"book","type":""#) {
            guard let kind = cursor.kind(), cursor.literal(#"","data":[{"symbol":""#),
                let book = readBook(&cursor, kind: kind, scratch: &scratch), cursor.literal("]}"), cursor.atEnd
            else { return nil }
            return .book(book)
        }
        if cursor.literal(#"trade","type":""#) {
            guard let kind = cursor.kind(), cursor.literal(#"","data":["#) else { return nil }
            scratch.trades.removeAll(keepingCapacity: true)
            repeat {
                guard cursor.literal(#"{"symbol":""#), let trade = readTrade(&cursor, scratch: &scratch) else {
                    return nil
                }
                scratch.trades.append(trade)
            } while cursor.literal(",")
            guard cursor.literal("]}"), cursor.atEnd else { return nil }
            return .trade(V2TradeMessage(kind: kind, trades: scratch.trades))
        }
        return nil
    }

    /// `SYMBOL","bids":[…],"asks":[…],"checksum":N(,"timestamp":"…")?}`
    private static func readBook(
        _ cursor: inout FastCursor, kind: MessageKind, scratch: inout V2ParseScratch
    ) -> V2BookMessage? {
        guard let symbol = scratch.symbol.read(&cursor), cursor.literal(#","bids":["#) else { return nil }
        scratch.bids.emptyKeepingBuffer()
        scratch.asks.emptyKeepingBuffer()
        guard readLevels(&cursor, into: &scratch.bids), cursor.literal(#","asks":["#),
            readLevels(&cursor, into: &scratch.asks), cursor.literal(#","checksum":"#), let checksum = cursor.unsigned(),
            checksum <= UInt64(UInt32.max)
        else { return nil }
        var timestamp: Int64?
        if cursor.literal(#","timestamp":""#) {
            guard let value = cursor.timestamp(days: &scratch.days) else { return nil }
            timestamp = value
        }
        guard cursor.literal("}") else { return nil }
        return V2BookMessage(
            kind: kind, symbol: symbol, bids: scratch.bids, asks: scratch.asks, checksum: UInt32(checksum),
            timestampNs: timestamp)
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
    private static func readTrade(_ cursor: inout FastCursor, scratch: inout V2ParseScratch) -> KrakenTrade? {
        guard let symbol = scratch.symbol.read(&cursor), cursor.literal(#","side":""#) else { return nil }
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
            let timestamp = cursor.timestamp(days: &scratch.days), cursor.literal("}")
        else { return nil }
        return KrakenTrade(
            symbol: symbol, side: side, price: price, quantity: quantity, orderType: orderType, tradeID: tradeID,
            timestampNs: timestamp)
    }
}
