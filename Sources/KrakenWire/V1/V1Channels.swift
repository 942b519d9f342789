import FixedPoint

/// v1 `trade`: trades of one pair. v1 has no trade id.
public struct V1TradeMessage: Sendable, Equatable {
    public var pair: String
    public var trades: [V1Trade]

    public init(pair: String, trades: [V1Trade]) {
        self.pair = pair
        self.trades = trades
    }
}

/// `[price, volume, time, side, orderType, misc]`, side and order type as one letter.
public struct V1Trade: Sendable, Equatable {
    public var price: FixedDecimal
    public var volume: FixedDecimal
    public var timestampNs: Int64
    /// The taker's side.
    public var side: Side
    /// The taker's order type.
    public var orderType: KrakenTrade.OrderType
    public var misc: String

    static func readArray(_ reader: inout JSONReader) throws(WireError) -> [V1Trade] {
        var trades: [V1Trade] = []
        try reader.readArray(field: "trade") { (reader) throws(WireError) in
            let start = reader.offset
            var index = 0
            var trade = V1Trade(price: .zero, volume: .zero, timestampNs: 0, side: .buy, orderType: .limit, misc: "")
            try reader.readArray(field: "trade[]") { (reader) throws(WireError) in
                switch index {
                case 0: trade.price = try reader.readDecimal(field: "price")
                case 1: trade.volume = try reader.readDecimal(field: "volume")
                case 2: trade.timestampNs = try reader.readEpochSeconds(field: "time")
                case 3:
                    trade.side = try reader.readKeyword(field: "side") { raw in
                        raw.equals("b") || raw.equals("buy") ? .buy : raw.equals("s") || raw.equals("sell") ? .sell : nil
                    }
                case 4:
                    trade.orderType = try reader.readKeyword(field: "orderType") { raw in
                        raw.equals("l") || raw.equals("limit") ? .limit : raw.equals("m") || raw.equals("market") ? .market : nil
                    }
                case 5: trade.misc = try reader.readString(field: "misc")
                default: try reader.skipValue()
                }
                index += 1
            }
            guard index >= 5 else { throw WireError(.unexpectedShape("trade with \(index) elements"), at: start) }
            trades.append(trade)
        }
        return trades
    }
}

/// v1 `ohlc-<interval>`: `[time, etime, open, high, low, close, vwap, volume, count]`. `time`
/// is the last update, `endTime` the interval's end (a snapshot candle may be old).
public struct V1Candle: Sendable, Equatable {
    public var pair: String
    /// Minutes, from the channel name.
    public var interval: Int
    public var timeNs: Int64
    public var endTimeNs: Int64
    public var open: FixedDecimal
    public var high: FixedDecimal
    public var low: FixedDecimal
    public var close: FixedDecimal
    public var vwap: FixedDecimal
    public var volume: FixedDecimal
    public var count: Int64

    static func read(_ reader: inout JSONReader, pair: String, interval: Int) throws(WireError) -> V1Candle {
        let start = reader.offset
        var candle = V1Candle(
            pair: pair, interval: interval, timeNs: 0, endTimeNs: 0, open: .zero, high: .zero, low: .zero, close: .zero,
            vwap: .zero, volume: .zero, count: 0)
        var index = 0
        try reader.readArray(field: "ohlc") { (reader) throws(WireError) in
            switch index {
            case 0: candle.timeNs = try reader.readEpochSeconds(field: "time")
            case 1: candle.endTimeNs = try reader.readEpochSeconds(field: "etime")
            case 2: candle.open = try reader.readDecimal(field: "open")
            case 3: candle.high = try reader.readDecimal(field: "high")
            case 4: candle.low = try reader.readDecimal(field: "low")
            case 5: candle.close = try reader.readDecimal(field: "close")
            case 6: candle.vwap = try reader.readDecimal(field: "vwap")
            case 7: candle.volume = try reader.readDecimal(field: "volume")
            case 8: candle.count = try reader.readInt64(field: "count")
            default: try reader.skipValue()
            }
            index += 1
        }
        guard index >= 9 else { throw WireError(.unexpectedShape("ohlc with \(index) elements"), at: start) }
        return candle
    }
}

/// v1 `spread`: `[bid, ask, timestamp, bidVolume, askVolume]`.
public struct V1Spread: Sendable, Equatable {
    public var pair: String
    public var bid: FixedDecimal
    public var ask: FixedDecimal
    public var timestampNs: Int64
    public var bidVolume: FixedDecimal
    public var askVolume: FixedDecimal

    static func read(_ reader: inout JSONReader, pair: String) throws(WireError) -> V1Spread {
        let start = reader.offset
        var spread = V1Spread(pair: pair, bid: .zero, ask: .zero, timestampNs: 0, bidVolume: .zero, askVolume: .zero)
        var index = 0
        try reader.readArray(field: "spread") { (reader) throws(WireError) in
            switch index {
            case 0: spread.bid = try reader.readDecimal(field: "bid")
            case 1: spread.ask = try reader.readDecimal(field: "ask")
            case 2: spread.timestampNs = try reader.readEpochSeconds(field: "timestamp")
            case 3: spread.bidVolume = try reader.readDecimal(field: "bidVolume")
            case 4: spread.askVolume = try reader.readDecimal(field: "askVolume")
            default: try reader.skipValue()
            }
            index += 1
        }
        guard index >= 5 else { throw WireError(.unexpectedShape("spread with \(index) elements"), at: start) }
        return spread
    }
}
