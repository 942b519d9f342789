import FixedPoint

/// One public trade from the v2 `trade` channel.
public struct KrakenTrade: Sendable, Equatable {
    public enum Side: Sendable, Equatable { case buy, sell }
    public enum OrderType: Sendable, Equatable { case limit, market }

    public var symbol: String
    /// The taker's side.
    public var side: Side
    public var price: FixedDecimal
    public var quantity: FixedDecimal
    /// The taker's order type.
    public var orderType: OrderType
    public var tradeID: UInt64
    public var timestampNs: Int64

    public init(
        symbol: String, side: Side, price: FixedDecimal, quantity: FixedDecimal, orderType: OrderType, tradeID: UInt64,
        timestampNs: Int64
    ) {
        self.symbol = symbol
        self.side = side
        self.price = price
        self.quantity = quantity
        self.orderType = orderType
        self.tradeID = tradeID
        self.timestampNs = timestampNs
    }
}

/// Whether a channel message is the snapshot sent on subscribe or a live update.
public enum MessageKind: Sendable, Equatable {
    case snapshot, update
}

/// A v2 `trade` channel message: `{"channel":"trade","type":"update","data":[{…}, …]}`.
public struct V2TradeMessage: Sendable, Equatable {
    public var kind: MessageKind
    public var trades: [KrakenTrade]

    /// Parses a whole frame. Unknown fields are skipped; every missing or malformed field is a
    /// `WireError` naming it.
    public init(frame: UnsafeRawBufferPointer) throws(WireError) {
        var reader = JSONReader(frame)
        var kind: MessageKind?
        var trades: [KrakenTrade] = []
        var channelSeen = false
        try reader.readObject { (key, reader) throws(WireError) in
            if key.equals("channel") {
                let start = reader.offset
                guard try reader.readRawString().equals("trade") else {
                    throw WireError(.invalidValue(field: "channel", reason: "not trade"), at: start)
                }
                channelSeen = true
            } else if key.equals("type") {
                kind = try Self.readKind(&reader)
            } else if key.equals("data") {
                try reader.readArray { (reader) throws(WireError) in trades.append(try Self.readTrade(&reader)) }
            } else {
                try reader.skipValue()
            }
        }
        try reader.expectEnd()
        guard channelSeen else { throw WireError(.missingField("channel"), at: 0) }
        guard let kind else { throw WireError(.missingField("type"), at: 0) }
        self.kind = kind
        self.trades = trades
    }

    static func readKind(_ reader: inout JSONReader) throws(WireError) -> MessageKind {
        let start = reader.offset
        let value = try reader.readRawString()
        if value.equals("update") { return .update }
        if value.equals("snapshot") { return .snapshot }
        throw WireError(.invalidValue(field: "type", reason: "neither snapshot nor update"), at: start)
    }

    static func readTrade(_ reader: inout JSONReader) throws(WireError) -> KrakenTrade {
        let objectStart = reader.offset
        var symbol: String?
        var side: KrakenTrade.Side?
        var price: FixedDecimal?
        var quantity: FixedDecimal?
        var orderType: KrakenTrade.OrderType?
        var tradeID: UInt64?
        var timestamp: Int64?
        try reader.readObject { (key, reader) throws(WireError) in
            let start = reader.offset
            if key.equals("symbol") {
                symbol = try reader.readString(field: "symbol")
            } else if key.equals("side") {
                let value = try reader.readRawString()
                if value.equals("buy") { side = .buy } else if value.equals("sell") { side = .sell } else {
                    throw WireError(.invalidValue(field: "side", reason: "neither buy nor sell"), at: start)
                }
            } else if key.equals("price") {
                price = try reader.readDecimal()
            } else if key.equals("qty") {
                quantity = try reader.readDecimal()
            } else if key.equals("ord_type") {
                let value = try reader.readRawString()
                if value.equals("limit") { orderType = .limit } else if value.equals("market") { orderType = .market } else {
                    throw WireError(.invalidValue(field: "ord_type", reason: "neither limit nor market"), at: start)
                }
            } else if key.equals("trade_id") {
                tradeID = try reader.readUInt64(field: "trade_id")
            } else if key.equals("timestamp") {
                guard try reader.peek() == UInt8(ascii: "\"") else {
                    throw WireError(.wrongType(field: "timestamp", expected: "string"), at: start)
                }
                guard let value = RFC3339.nanoseconds(try reader.readRawString().bytes) else {
                    throw WireError(.invalidValue(field: "timestamp", reason: "not RFC 3339"), at: start)
                }
                timestamp = value
            } else {
                try reader.skipValue()
            }
        }
        guard let symbol else { throw WireError(.missingField("symbol"), at: objectStart) }
        guard let side else { throw WireError(.missingField("side"), at: objectStart) }
        guard let price else { throw WireError(.missingField("price"), at: objectStart) }
        guard let quantity else { throw WireError(.missingField("qty"), at: objectStart) }
        guard let tradeID else { throw WireError(.missingField("trade_id"), at: objectStart) }
        guard let timestamp else { throw WireError(.missingField("timestamp"), at: objectStart) }
        return KrakenTrade(
            symbol: symbol, side: side, price: price, quantity: quantity, orderType: orderType ?? .limit,
            tradeID: tradeID, timestampNs: timestamp)
    }
}
