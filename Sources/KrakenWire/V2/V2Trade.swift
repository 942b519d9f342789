import FixedPoint

/// One public trade from the v2 `trade` channel.
public struct KrakenTrade: Sendable, Equatable {
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

/// A v2 `trade` channel message: `{"channel":"trade","type":"update","data":[{…}, …]}`.
public struct V2TradeMessage: Sendable, Equatable {
    public var kind: MessageKind
    public var trades: [KrakenTrade]

    public init(kind: MessageKind, trades: [KrakenTrade]) {
        self.kind = kind
        self.trades = trades
    }

    /// Parses a whole frame that must be a trade message.
    public init(frame: UnsafeRawBufferPointer) throws(WireError) {
        guard case .trade(let message) = try V2Message(frame: frame) else {
            throw WireError(.invalidValue(field: "channel", reason: "not trade"), at: 0)
        }
        self = message
    }

    static func readData(_ reader: inout JSONReader) throws(WireError) -> [KrakenTrade] {
        var trades: [KrakenTrade] = []
        try reader.readArray(field: "data") { (reader) throws(WireError) in trades.append(try readTrade(&reader)) }
        return trades
    }

    static func readTrade(_ reader: inout JSONReader) throws(WireError) -> KrakenTrade {
        let objectStart = reader.offset
        var symbol: String?
        var side: Side?
        var price: FixedDecimal?
        var quantity: FixedDecimal?
        var orderType: KrakenTrade.OrderType?
        var tradeID: UInt64?
        var timestamp: Int64?
        try reader.readObject(field: "data[]") { (key, reader) throws(WireError) in
            if key.equals("symbol") {
                symbol = try reader.readString(field: "symbol")
            } else if key.equals("side") {
                side = try Side.read(&reader, field: "side")
            } else if key.equals("price") {
                price = try reader.readDecimal(field: "price")
            } else if key.equals("qty") {
                quantity = try reader.readDecimal(field: "qty")
            } else if key.equals("ord_type") {
                orderType = try reader.readKeyword(field: "ord_type") { raw in
                    raw.equals("limit") ? .limit : raw.equals("market") ? .market : nil
                }
            } else if key.equals("trade_id") {
                tradeID = try reader.readUInt64(field: "trade_id")
            } else if key.equals("timestamp") {
                timestamp = try reader.readTimestamp(field: "timestamp")
            } else {
                try reader.skipValue()
            }
        }
        return KrakenTrade(
            symbol: try required(symbol, "symbol", at: objectStart), side: try required(side, "side", at: objectStart),
            price: try required(price, "price", at: objectStart), quantity: try required(quantity, "qty", at: objectStart),
            orderType: try required(orderType, "ord_type", at: objectStart),
            tradeID: try required(tradeID, "trade_id", at: objectStart),
            timestampNs: try required(timestamp, "timestamp", at: objectStart))
    }
}
