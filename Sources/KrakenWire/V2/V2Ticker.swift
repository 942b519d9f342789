import FixedPoint

/// A v2 `ticker` message: one symbol's best bid/offer and 24-hour statistics.
public struct V2TickerMessage: Sendable, Equatable {
    public var kind: MessageKind
    public var ticker: V2Ticker

    public init(kind: MessageKind, ticker: V2Ticker) {
        self.kind = kind
        self.ticker = ticker
    }
}

/// Level-1 data and 24-hour statistics. `last`, `vwap` and the changes are optional because
/// Kraken only guarantees them when the pair traded in the last 24 hours.
public struct V2Ticker: Sendable, Equatable {
    public var symbol: String
    public var bid: FixedDecimal
    public var bidQuantity: FixedDecimal
    public var ask: FixedDecimal
    public var askQuantity: FixedDecimal
    public var last: FixedDecimal?
    /// 24-hour volume in the base currency.
    public var volume: FixedDecimal?
    public var vwap: FixedDecimal?
    public var low: FixedDecimal?
    public var high: FixedDecimal?
    /// 24-hour change in the quote currency, and in percent points.
    public var change: FixedDecimal?
    public var changePercent: FixedDecimal?
    public var timestampNs: Int64?

    public init(
        symbol: String, bid: FixedDecimal, bidQuantity: FixedDecimal, ask: FixedDecimal, askQuantity: FixedDecimal,
        last: FixedDecimal? = nil, volume: FixedDecimal? = nil, vwap: FixedDecimal? = nil, low: FixedDecimal? = nil,
        high: FixedDecimal? = nil, change: FixedDecimal? = nil, changePercent: FixedDecimal? = nil, timestampNs: Int64? = nil
    ) {
        self.symbol = symbol
        self.bid = bid
        self.bidQuantity = bidQuantity
        self.ask = ask
        self.askQuantity = askQuantity
        self.last = last
        self.volume = volume
        self.vwap = vwap
        self.low = low
        self.high = high
        self.change = change
        self.changePercent = changePercent
        self.timestampNs = timestampNs
    }

    static func read(_ reader: inout JSONReader) throws(WireError) -> V2Ticker {
        let start = reader.offset
        var symbol: String?
        var bid: FixedDecimal?
        var bidQuantity: FixedDecimal?
        var ask: FixedDecimal?
        var askQuantity: FixedDecimal?
        var ticker = V2Ticker(symbol: "", bid: .zero, bidQuantity: .zero, ask: .zero, askQuantity: .zero)
        try reader.readObject(field: "data[]") { (key, reader) throws(WireError) in
            if key.equals("symbol") { symbol = try reader.readString(field: "symbol") }
            else if key.equals("bid") { bid = try reader.readDecimal(field: "bid") }
            else if key.equals("bid_qty") { bidQuantity = try reader.readDecimal(field: "bid_qty") }
            else if key.equals("ask") { ask = try reader.readDecimal(field: "ask") }
            else if key.equals("ask_qty") { askQuantity = try reader.readDecimal(field: "ask_qty") }
            else if key.equals("last") { ticker.last = try reader.readOptionalDecimal(field: "last") }
            else if key.equals("volume") { ticker.volume = try reader.readOptionalDecimal(field: "volume") }
            else if key.equals("vwap") { ticker.vwap = try reader.readOptionalDecimal(field: "vwap") }
            else if key.equals("low") { ticker.low = try reader.readOptionalDecimal(field: "low") }
            else if key.equals("high") { ticker.high = try reader.readOptionalDecimal(field: "high") }
            else if key.equals("change") { ticker.change = try reader.readOptionalDecimal(field: "change") }
            else if key.equals("change_pct") { ticker.changePercent = try reader.readOptionalDecimal(field: "change_pct") }
            else if key.equals("timestamp") { ticker.timestampNs = try reader.readTimestamp(field: "timestamp") }
            else { try reader.skipValue() }
        }
        ticker.symbol = try required(symbol, "symbol", at: start)
        ticker.bid = try required(bid, "bid", at: start)
        ticker.bidQuantity = try required(bidQuantity, "bid_qty", at: start)
        ticker.ask = try required(ask, "ask", at: start)
        ticker.askQuantity = try required(askQuantity, "ask_qty", at: start)
        return ticker
    }
}
