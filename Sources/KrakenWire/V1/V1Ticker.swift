import FixedPoint

/// v1 `ticker`: best bid/ask with volumes, last trade, and `[today, last 24 hours]` statistics.
public struct V1Ticker: Sendable, Equatable {
    /// `[price, wholeLotVolume, lotVolume]`.
    public struct Quote: Sendable, Equatable {
        public var price: FixedDecimal
        public var wholeLotVolume: Int64
        public var lotVolume: FixedDecimal
    }

    /// A `[today, last 24 hours]` pair.
    public struct Window<Value: Sendable & Equatable>: Sendable, Equatable {
        public var today: Value
        public var last24Hours: Value
    }

    public var pair: String
    public var ask: Quote
    public var bid: Quote
    /// Last trade `[price, lotVolume]`.
    public var lastPrice: FixedDecimal
    public var lastVolume: FixedDecimal
    public var volume: Window<FixedDecimal>
    public var vwap: Window<FixedDecimal>
    public var trades: Window<Int64>
    public var low: Window<FixedDecimal>
    public var high: Window<FixedDecimal>
    public var open: Window<FixedDecimal>

    static func read(_ reader: inout JSONReader, pair: String) throws(WireError) -> V1Ticker {
        let start = reader.offset
        var ask: Quote?
        var bid: Quote?
        var last: (FixedDecimal, FixedDecimal)?
        var volume: Window<FixedDecimal>?
        var vwap: Window<FixedDecimal>?
        var trades: Window<Int64>?
        var low: Window<FixedDecimal>?
        var high: Window<FixedDecimal>?
        var open: Window<FixedDecimal>?
        try reader.readObject(field: "ticker") { (key, reader) throws(WireError) in
            if key.equals("a") { ask = try readQuote(&reader, field: "a") }
            else if key.equals("b") { bid = try readQuote(&reader, field: "b") }
            else if key.equals("c") {
                let values = try readDecimals(&reader, field: "c", count: 2)
                last = (values[0], values[1])
            } else if key.equals("v") { volume = try readWindow(&reader, field: "v") }
            else if key.equals("p") { vwap = try readWindow(&reader, field: "p") }
            else if key.equals("t") {
                let values = try readDecimals(&reader, field: "t", count: 2)
                guard values.allSatisfy({ $0.scale == 0 }) else {
                    throw WireError(.invalidValue(field: "t", reason: "trade counts must be integers"), at: start)
                }
                trades = Window(today: values[0].mantissa, last24Hours: values[1].mantissa)
            } else if key.equals("l") { low = try readWindow(&reader, field: "l") }
            else if key.equals("h") { high = try readWindow(&reader, field: "h") }
            else if key.equals("o") { open = try readWindow(&reader, field: "o") }
            else { try reader.skipValue() }
        }
        let lastTrade = try required(last, "c", at: start)
        return V1Ticker(
            pair: pair, ask: try required(ask, "a", at: start), bid: try required(bid, "b", at: start),
            lastPrice: lastTrade.0, lastVolume: lastTrade.1, volume: try required(volume, "v", at: start),
            vwap: try required(vwap, "p", at: start), trades: try required(trades, "t", at: start),
            low: try required(low, "l", at: start), high: try required(high, "h", at: start),
            open: try required(open, "o", at: start))
    }

    static func readQuote(_ reader: inout JSONReader, field: String) throws(WireError) -> Quote {
        let start = reader.offset
        let values = try readDecimals(&reader, field: field, count: 3)
        guard values[1].scale == 0 else {
            throw WireError(.invalidValue(field: field, reason: "whole lot volume must be an integer"), at: start)
        }
        return Quote(price: values[0], wholeLotVolume: values[1].mantissa, lotVolume: values[2])
    }

    static func readWindow(_ reader: inout JSONReader, field: String) throws(WireError) -> Window<FixedDecimal> {
        let values = try readDecimals(&reader, field: field, count: 2)
        return Window(today: values[0], last24Hours: values[1])
    }

    /// An array of exactly `count` decimals.
    static func readDecimals(_ reader: inout JSONReader, field: String, count: Int) throws(WireError) -> [FixedDecimal] {
        let start = reader.offset
        var values: [FixedDecimal] = []
        try reader.readArray(field: field) { (reader) throws(WireError) in values.append(try reader.readDecimal(field: field)) }
        guard values.count == count else {
            throw WireError(.unexpectedShape("\(field) has \(values.count) elements, expected \(count)"), at: start)
        }
        return values
    }
}
