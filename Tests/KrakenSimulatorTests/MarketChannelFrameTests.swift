import FixedPoint
import KrakenSimulator
import KrakenWire
import OrderBook
import Testing

/// Reads frames the simulator wrote with the bridge's own parsers.
enum MarketChannelWire {
    static func v2(_ frame: [UInt8]) throws -> V2Message {
        try frame.withUnsafeBytes { try V2Message(frame: $0) }
    }

    static func v1(_ frame: [UInt8]) throws -> V1Message {
        try frame.withUnsafeBytes { try V1Message(frame: $0) }
    }

    /// The mantissa of a parsed decimal at a pair's scale (nil when it does not fit exactly).
    static func mantissa(_ value: FixedDecimal?, _ scale: UInt8) -> Int64? {
        value?.rescaled(to: scale)?.mantissa
    }

    struct Unexpected: Error { var message: String }
}

@Suite("v2 ticker, ohlc and instrument frames")
struct MarketChannelV2FrameTests {
    static let bid = MarketLevel(price: 269_990, quantity: 74_000_000_000)
    static let ask = MarketLevel(price: 270_001, quantity: 136_144_813_783)

    static func ticker() -> Ticker {
        let statistics = HandTape.statistics()
        return Ticker(bid: bid, ask: ask, sinceStart: statistics.sinceStart, today: statistics.sinceStart)
    }

    @Test("ticker: Kraken's key order and numbers, parsed back into exactly the values written")
    func ticker() throws {
        let frame = V2Frames.ticker(snapshot: true, pair: HandTape.pair, Self.ticker(), timestampNs: HandTape.t3)
        #expect(String(decoding: frame, as: UTF8.self) == #"""
            {"channel":"ticker","type":"snapshot","data":[{"symbol":"BTC/USD","bid":26999.0,"bid_qty":740.0,"ask":27000.1,"ask_qty":1361.44813783,"last":27005.0,"volume":1.85,"vwap":26996.3,"low":26990.0,"high":27010.5,"change":5.0,"change_pct":0.02,"timestamp":"2023-10-04T16:30:00.000000Z"}]}
            """#)
        guard case .ticker(let message) = try MarketChannelWire.v2(frame) else { throw MarketChannelWire.Unexpected(message: "not a ticker") }
        #expect(message.kind == .snapshot)
        let parsed = message.ticker
        #expect(parsed.symbol == "BTC/USD")
        #expect(MarketChannelWire.mantissa(parsed.bid, 1) == 269_990)
        #expect(MarketChannelWire.mantissa(parsed.bidQuantity, 8) == 74_000_000_000)
        #expect(MarketChannelWire.mantissa(parsed.ask, 1) == 270_001)
        #expect(MarketChannelWire.mantissa(parsed.askQuantity, 8) == 136_144_813_783)
        #expect(MarketChannelWire.mantissa(parsed.last, 1) == 270_050)
        #expect(MarketChannelWire.mantissa(parsed.volume, 8) == 185_000_000)
        #expect(MarketChannelWire.mantissa(parsed.vwap, 1) == 269_963)
        #expect(MarketChannelWire.mantissa(parsed.low, 1) == 269_900)
        #expect(MarketChannelWire.mantissa(parsed.high, 1) == 270_105)
        #expect(MarketChannelWire.mantissa(parsed.change, 1) == 50)
        #expect(MarketChannelWire.mantissa(parsed.changePercent, 2) == 2)
        #expect(parsed.timestampNs == HandTape.t3)
    }

    @Test("ticker before any trade: trade-derived fields are null, volume zero")
    func tickerWithoutTrades() throws {
        let ticker = Ticker(bid: Self.bid, ask: Self.ask, sinceStart: nil, today: nil)
        let frame = V2Frames.ticker(snapshot: false, pair: HandTape.pair, ticker, timestampNs: 0)
        guard case .ticker(let message) = try MarketChannelWire.v2(frame) else { throw MarketChannelWire.Unexpected(message: "not a ticker") }
        #expect(message.kind == .update)
        #expect(message.ticker.last == nil && message.ticker.vwap == nil && message.ticker.change == nil)
        #expect(message.ticker.changePercent == nil && message.ticker.low == nil && message.ticker.high == nil)
        #expect(message.ticker.volume?.isZero == true)
    }

    /// The numbers come in Kraken's several JSON forms: `27000` without a point, `1.75000000`
    /// with every digit of the precision, `26990.0` shortest.
    @Test("ohlc: top-level message time, interval_begin with nanoseconds, deprecated timestamp = interval end")
    func ohlc() throws {
        let candles = HandTape.statistics().candles(interval: 5)
        let messageTime = HandTape.t3 + 524_394_914
        let update = V2Frames.ohlc(snapshot: false, pair: HandTape.pair, [candles[0]], timestampNs: messageTime)
        #expect(String(decoding: update, as: UTF8.self) == #"""
            {"channel":"ohlc","type":"update","timestamp":"2023-10-04T16:30:00.524394914Z","data":[{"symbol":"BTC/USD","open":27000,"high":27010.5,"low":26990.0,"close":26990.0,"trades":3,"volume":1.75000000,"vwap":26995.8,"interval_begin":"2023-10-04T16:25:00.000000000Z","interval":5,"timestamp":"2023-10-04T16:30:00.000000Z"}]}
            """#)
        let snapshot = V2Frames.ohlc(snapshot: true, pair: HandTape.pair, candles, timestampNs: messageTime)
        guard case .ohlc(let message) = try MarketChannelWire.v2(snapshot) else { throw MarketChannelWire.Unexpected(message: "not ohlc") }
        #expect(message.kind == .snapshot)
        #expect(message.timestampNs == messageTime)
        #expect(message.candles.count == candles.count)
        for (parsed, candle) in zip(message.candles, candles) {
            #expect(parsed.symbol == "BTC/USD")
            #expect(MarketChannelWire.mantissa(parsed.open, 1) == candle.trades.open)
            #expect(MarketChannelWire.mantissa(parsed.high, 1) == candle.trades.high)
            #expect(MarketChannelWire.mantissa(parsed.low, 1) == candle.trades.low)
            #expect(MarketChannelWire.mantissa(parsed.close, 1) == candle.trades.close)
            #expect(MarketChannelWire.mantissa(parsed.vwap, 1) == candle.trades.vwap)
            #expect(MarketChannelWire.mantissa(parsed.volume, 8) == candle.trades.volume)
            #expect(parsed.trades == UInt64(candle.trades.count))
            #expect(parsed.intervalBeginNs == candle.beginNs)
            #expect(parsed.interval == 5)
            #expect(parsed.timestampNs == candle.endNs)
        }
    }

    @Test("instrument: the documented shape, exponent increments like Kraken's 1e-08")
    func instrumentText() {
        let frame = V2Frames.instrument(pairs: [HandTape.pair])
        #expect(String(decoding: frame, as: UTF8.self) == #"""
            {"channel":"instrument","type":"snapshot","data":{"assets":[{"id":"BTC","status":"enabled","precision":10,"precision_display":5,"borrowable":false,"collateral_value":0.0},{"id":"USD","status":"enabled","precision":4,"precision_display":2,"borrowable":false,"collateral_value":0.0}],"pairs":[{"symbol":"BTC/USD","base":"BTC","quote":"USD","status":"online","qty_precision":8,"qty_increment":1e-08,"price_precision":1,"cost_precision":5,"marginable":false,"has_index":false,"cost_min":0.5,"tick_size":0.1,"price_increment":0.1,"qty_min":0.0001}]}}
            """#)
    }

    @Test("instrument: every default pair's precisions, increments and minimums parse back exactly")
    func instrumentPairs() throws {
        let pairs = SimulatedPair.defaults
        guard case .instrument(let message) = try MarketChannelWire.v2(V2Frames.instrument(pairs: pairs)) else {
            throw MarketChannelWire.Unexpected(message: "not instrument")
        }
        #expect(message.kind == .snapshot)
        #expect(message.assets.map(\.id) == ["BTC", "USD", "ETH", "DOGE", "MATIC"])
        #expect(message.assets.map(\.precision) == [10, 4, 10, 8, 10])
        #expect(message.assets.map(\.precisionDisplay) == [5, 2, 5, 2, 5])
        #expect(message.assets.allSatisfy { $0.status == "enabled" && $0.borrowable == false })
        #expect(message.pairs.map(\.symbol) == pairs.map(\.symbol))
        for (parsed, pair) in zip(message.pairs, pairs) {
            #expect(parsed.base == pair.base && parsed.quote == pair.quote && parsed.status == "online")
            #expect(parsed.pricePrecision == Int(pair.priceScale), "\(pair.symbol)")
            #expect(parsed.quantityPrecision == Int(pair.quantityScale), "\(pair.symbol)")
            #expect(parsed.costPrecision == 5)
            #expect(parsed.priceIncrement?.isNumericallyEqual(to: FixedDecimal(mantissa: 1, scale: pair.priceScale)) == true)
            #expect(parsed.quantityIncrement?.isNumericallyEqual(to: FixedDecimal(mantissa: 1, scale: pair.quantityScale)) == true)
            #expect(parsed.costMinimum?.isNumericallyEqual(to: FixedDecimal(mantissa: 5, scale: 1)) == true)
            #expect(parsed.marginable == false)
        }
        #expect(message.pairs.map { $0.quantityMinimum?.description } == ["0.0001", "0.01", "100.0", "10.0"], "Kraken prints these like Python floats")
    }
}

@Suite("v2 numbers in every JSON form Kraken sends")
struct V2NumberFormTests {
    @Test("shortest, without a point, padded to the precision, and exponent below 1e-4", arguments: [
        (Int64(400_000_000), UInt8(8), "4.0"),
        (Int64(300_000_000), UInt8(8), "3"),
        (Int64(175_000_000), UInt8(8), "1.75000000"),
        (Int64(5_100), UInt8(8), "5.1e-05"),
        (Int64(5_666), UInt8(4), "0.5666"),
        (Int64(100_000), UInt8(8), "0.001"),
    ])
    func forms(mantissa: Int64, scale: UInt8, text: String) throws {
        let pair = SimulatedPair(symbol: "A/B", v1Name: "A/B", restKey: "AB", base: "A", quote: "B", priceScale: scale,
                                 quantityScale: scale, initialMid: 1)
        let frame = V2Frames.book(snapshot: true, pair: pair, bids: [(price: mantissa, quantity: mantissa)], asks: [],
                                  checksum: 0, timestampNs: 0)
        #expect(String(decoding: frame, as: UTF8.self).contains(#"{"price":\#(text),"qty":\#(text)}"#))
        guard case .book(let book) = try MarketChannelWire.v2(frame) else { throw MarketChannelWire.Unexpected(message: "not a book") }
        #expect(book.bids.first?.price.rescaled(to: scale)?.mantissa == mantissa, "the bridge's parser reads \(text) exactly")
    }
}
