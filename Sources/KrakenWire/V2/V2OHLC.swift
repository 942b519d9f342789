import FixedPoint

/// A v2 `ohlc` message: one or more candles, with the message time at the top level.
public struct V2OHLCMessage: Sendable, Equatable {
    public var kind: MessageKind
    public var timestampNs: Int64?
    public var candles: [V2Candle]

    public init(kind: MessageKind, timestampNs: Int64?, candles: [V2Candle]) {
        self.kind = kind
        self.timestampNs = timestampNs
        self.candles = candles
    }

    static func readData(_ reader: inout JSONReader) throws(WireError) -> [V2Candle] {
        var candles: [V2Candle] = []
        try reader.readArray(field: "data") { (reader) throws(WireError) in candles.append(try V2Candle.read(&reader)) }
        return candles
    }
}

/// One candle. `intervalBeginNs` is the candle's start; Kraken's deprecated per-candle
/// `timestamp` (the interval's end in its examples) is kept as sent.
public struct V2Candle: Sendable, Equatable {
    public var symbol: String
    public var open: FixedDecimal
    public var high: FixedDecimal
    public var low: FixedDecimal
    public var close: FixedDecimal
    public var vwap: FixedDecimal
    public var volume: FixedDecimal
    public var trades: UInt64
    public var intervalBeginNs: Int64
    /// Minutes.
    public var interval: Int
    public var timestampNs: Int64?

    public init(
        symbol: String, open: FixedDecimal, high: FixedDecimal, low: FixedDecimal, close: FixedDecimal, vwap: FixedDecimal,
        volume: FixedDecimal, trades: UInt64, intervalBeginNs: Int64, interval: Int, timestampNs: Int64? = nil
    ) {
        self.symbol = symbol
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.vwap = vwap
        self.volume = volume
        self.trades = trades
        self.intervalBeginNs = intervalBeginNs
        self.interval = interval
        self.timestampNs = timestampNs
    }

    static func read(_ reader: inout JSONReader) throws(WireError) -> V2Candle {
        let start = reader.offset
        var symbol: String?
        var open: FixedDecimal?
        var high: FixedDecimal?
        var low: FixedDecimal?
        var close: FixedDecimal?
        var vwap: FixedDecimal?
        var volume: FixedDecimal?
        var trades: UInt64?
        var intervalBegin: Int64?
        var interval: Int?
        var timestamp: Int64?
        try reader.readObject(field: "data[]") { (key, reader) throws(WireError) in
            if key.equals("symbol") { symbol = try reader.readString(field: "symbol") }
            else if key.equals("open") { open = try reader.readDecimal(field: "open") }
            else if key.equals("high") { high = try reader.readDecimal(field: "high") }
            else if key.equals("low") { low = try reader.readDecimal(field: "low") }
            else if key.equals("close") { close = try reader.readDecimal(field: "close") }
            else if key.equals("vwap") { vwap = try reader.readDecimal(field: "vwap") }
            else if key.equals("volume") { volume = try reader.readDecimal(field: "volume") }
            else if key.equals("trades") { trades = try reader.readUInt64(field: "trades") }
            else if key.equals("interval_begin") { intervalBegin = try reader.readTimestamp(field: "interval_begin") }
            else if key.equals("interval") { interval = try reader.readInt(field: "interval") }
            else if key.equals("timestamp") { timestamp = try reader.readTimestamp(field: "timestamp") }
            else { try reader.skipValue() }
        }
        return V2Candle(
            symbol: try required(symbol, "symbol", at: start), open: try required(open, "open", at: start),
            high: try required(high, "high", at: start), low: try required(low, "low", at: start),
            close: try required(close, "close", at: start), vwap: try required(vwap, "vwap", at: start),
            volume: try required(volume, "volume", at: start), trades: try required(trades, "trades", at: start),
            intervalBeginNs: try required(intervalBegin, "interval_begin", at: start),
            interval: try required(interval, "interval", at: start), timestampNs: timestamp)
    }
}
