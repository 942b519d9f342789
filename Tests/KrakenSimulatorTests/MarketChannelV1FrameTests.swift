import FixedPoint
import KrakenSimulator
import KrakenWire
import OrderBook
import Testing

@Suite("v1 ticker, ohlc-N and spread frames")
struct MarketChannelV1FrameTests {
    /// An XBT/USD price (a mantissa at `pair_decimals` 1) as Kraken's v1 strings write it: with
    /// five decimals (`"5698.40000"` in Kraken's v1 spread example).
    static func xbtPrice(_ mantissa: Int64) -> FixedDecimal { FixedDecimal(mantissa: mantissa * 10_000, scale: 5) }

    @Test("ticker: quoted decimals with the pair's v1 decimals, integer whole-lot volumes and counts")
    func ticker() throws {
        let frame = V1Frames.ticker(channelID: 7, pair: HandTape.pair, MarketChannelV2FrameTests.ticker())
        #expect(String(decoding: frame, as: UTF8.self) == #"""
            [7,{"a":["27000.10000",1361,"1361.44813783"],"b":["26999.00000",740,"740.00000000"],"c":["27005.00000","0.10000000"],"v":["1.85000000","1.85000000"],"p":["26996.30000","26996.30000"],"t":[4,4],"l":["26990.00000","26990.00000"],"h":["27010.50000","27010.50000"],"o":["27000.00000","27000.00000"]},"ticker","XBT/USD"]
            """#)
        guard case .ticker(let parsed) = try MarketChannelWire.v1(frame) else { throw MarketChannelWire.Unexpected(message: "not a ticker") }
        #expect(parsed.pair == "XBT/USD")
        #expect(parsed.ask.price == Self.xbtPrice(270_001))
        #expect(parsed.ask.wholeLotVolume == 1_361)
        #expect(parsed.ask.lotVolume == FixedDecimal(mantissa: 136_144_813_783, scale: 8))
        #expect(parsed.bid.wholeLotVolume == 740)
        #expect(parsed.lastPrice == Self.xbtPrice(270_050))
        #expect(parsed.lastVolume == FixedDecimal(mantissa: 10_000_000, scale: 8))
        #expect(parsed.volume.last24Hours == FixedDecimal(mantissa: 185_000_000, scale: 8))
        #expect(parsed.vwap.today == Self.xbtPrice(269_963))
        #expect(parsed.trades.today == 4 && parsed.trades.last24Hours == 4)
        #expect(parsed.low.today == Self.xbtPrice(269_900))
        #expect(parsed.high.last24Hours == Self.xbtPrice(270_105))
        #expect(parsed.open.today == Self.xbtPrice(270_000))
    }

    @Test("ticker on a day without trades yet: today's volume and count are 0, its prices the last price")
    func tickerNewDay() throws {
        let statistics = HandTape.statistics()
        let market = PairMarket(pair: HandTape.pair, seed: 4)
        let ticker = statistics.ticker(of: market, nowNs: HandTape.t3 + 86_400_000_000_000)
        guard case .ticker(let parsed) = try MarketChannelWire.v1(V1Frames.ticker(channelID: 1, pair: HandTape.pair, ticker)) else {
            throw MarketChannelWire.Unexpected(message: "not a ticker")
        }
        #expect(parsed.volume.today.isZero && parsed.trades.today == 0)
        #expect(parsed.open.today == Self.xbtPrice(270_050))
        #expect(parsed.vwap.today == Self.xbtPrice(270_050))
        #expect(parsed.trades.last24Hours == 4)
        #expect(parsed.bid.price == Self.xbtPrice(market.bids[0].price))
        #expect(parsed.ask.lotVolume == FixedDecimal(mantissa: market.asks[0].quantity, scale: 8))
    }

    @Test("ohlc: channel ohlc-<interval> for every interval; time = last trade, etime = interval end")
    func ohlc() throws {
        let statistics = HandTape.statistics()
        let first = statistics.candles(interval: 5)[0]
        let frame = V1Frames.ohlc(channelID: 42, pair: HandTape.pair, first)
        #expect(String(decoding: frame, as: UTF8.self) == #"""
            [42,["1696436950.000000","1696437000.000000","27000.00000","27010.50000","26990.00000","26990.00000","26995.80000","1.75000000",3],"ohlc-5","XBT/USD"]
            """#)
        for interval in CandleSeries.intervals {
            let candle = try #require(statistics.candle(interval: interval))
            guard case .ohlc(let parsed) = try MarketChannelWire.v1(V1Frames.ohlc(channelID: interval, pair: HandTape.pair, candle)) else {
                throw MarketChannelWire.Unexpected(message: "not ohlc")
            }
            #expect(parsed.interval == interval)
            #expect(parsed.pair == "XBT/USD")
            #expect(parsed.timeNs == candle.lastTradeNs)
            #expect(parsed.endTimeNs == candle.endNs)
            #expect(parsed.open == Self.xbtPrice(candle.trades.open))
            #expect(parsed.high == Self.xbtPrice(candle.trades.high))
            #expect(parsed.low == Self.xbtPrice(candle.trades.low))
            #expect(parsed.close == Self.xbtPrice(candle.trades.close))
            #expect(parsed.vwap == Self.xbtPrice(candle.trades.vwap))
            #expect(parsed.volume == FixedDecimal(mantissa: candle.trades.volume, scale: 8))
            #expect(parsed.count == candle.trades.count)
        }
    }

    @Test("spread: [bid, ask, time, bidVolume, askVolume] for every default pair's market")
    func spread() throws {
        let example = Spread(bid: MarketLevel(price: 56_984, quantity: 101_234_567), ask: MarketLevel(price: 57_000, quantity: 98_765_432),
                             timestampNs: 1_542_057_299_545_897_000)
        #expect(String(decoding: V1Frames.spread(channelID: 0, pair: HandTape.pair, example), as: UTF8.self)
            == #"[0,["5698.40000","5700.00000","1542057299.545897","1.01234567","0.98765432"],"spread","XBT/USD"]"#)
        for (index, pair) in SimulatedPair.defaults.enumerated() {
            var market = PairMarket(pair: pair, seed: 13)
            for _ in 0..<50 { _ = market.step() }
            let spread = Spread(market: market, timestampNs: 1_542_057_299_545_897_000)
            guard case .spread(let parsed) = try MarketChannelWire.v1(V1Frames.spread(channelID: index, pair: pair, spread)) else {
                throw MarketChannelWire.Unexpected(message: "not spread")
            }
            #expect(parsed.pair == pair.v1Name)
            #expect(parsed.bid.description == pair.text(price: market.bids[0].price, decimals: pair.v1Decimals))
            #expect(parsed.ask.description == pair.text(price: market.asks[0].price, decimals: pair.v1Decimals))
            #expect(parsed.bidVolume.description == pair.text(quantity: market.bids[0].quantity, decimals: pair.v1Decimals))
            #expect(parsed.askVolume.description == pair.text(quantity: market.asks[0].quantity, decimals: pair.v1Decimals))
            #expect(parsed.timestampNs == 1_542_057_299_545_897_000)
        }
    }
}
