import KrakenSimulator
import OrderBook
import Testing

/// A hand-built BTC/USD tape (price scale 1, quantity scale 8) used by the statistics and frame tests.
enum HandTape {
    static let pair = SimulatedPair.defaults[0]
    /// 2023-10-04T16:25:10Z, a Wednesday.
    static let t1: Int64 = 1_696_436_710_000_000_000
    /// 16:29:10, same 5-minute candle, next 1-minute candle.
    static let t2: Int64 = t1 + 240_000_000_000
    /// 16:30:00 exactly: opens new 1-, 5-, 15- and 30-minute candles.
    static let t3: Int64 = 1_696_437_000_000_000_000

    static func trade(_ id: UInt64, _ price: Int64, _ quantity: Int64) -> PairMarket.Trade {
        PairMarket.Trade(tradeID: id, price: price, quantity: quantity, takerBuys: id % 2 == 0)
    }

    /// 27000.0 × 0.5 and 27010.5 × 0.25 at t1; 26990.0 × 1 at t2; 27005.0 × 0.1 at t3.
    static func statistics() -> MarketStatistics {
        var statistics = MarketStatistics(pair: pair)
        statistics.record(trades: [trade(1, 270_000, 50_000_000), trade(2, 270_105, 25_000_000)], nowNs: t1)
        statistics.record(trades: [trade(3, 269_900, 100_000_000)], nowNs: t2)
        statistics.record(trades: [], nowNs: t2 + 1_000)
        statistics.record(trades: [trade(4, 270_050, 10_000_000)], nowNs: t3)
        return statistics
    }
}

@Suite("market statistics from trades")
struct MarketChannelStatisticsTests {
    @Test("since-start window: exact volume, VWAP (rounded to the price scale), low, high, last and change")
    func sinceStart() throws {
        let statistics = HandTape.statistics()
        let window = try #require(statistics.sinceStart)
        #expect(window.open == 270_000)
        #expect(window.high == 270_105)
        #expect(window.low == 269_900)
        #expect(window.close == 270_050)
        #expect(window.closeQuantity == 10_000_000)
        #expect(window.volume == 185_000_000)
        #expect(window.count == 4)
        #expect(window.notional == 49_943_125_000_000)
        // 49 943 125 000 000 / 185 000 000 = 269 962.84 → 26996.3
        #expect(window.vwap == 269_963)
        #expect(statistics.lastTradeNs == HandTape.t3)
        let ticker = statistics.ticker(of: PairMarket(pair: HandTape.pair, seed: 1), nowNs: HandTape.t3)
        #expect(ticker.change == 50)
        // 5.0 / 27000.0 = 0.0185 % → 0.02
        #expect(ticker.changePercent == 2)
        #expect(ticker.today == window, "every trade is on 2023-10-04")
    }

    @Test("a falling market has a negative change; VWAP halves round away from zero")
    func negativeChangeAndRounding() throws {
        var statistics = MarketStatistics(pair: HandTape.pair)
        statistics.record(trades: [HandTape.trade(1, 270_000, 1), HandTape.trade(2, 269_460, 1)], nowNs: HandTape.t1)
        let ticker = statistics.ticker(of: PairMarket(pair: HandTape.pair, seed: 1), nowNs: HandTape.t1)
        #expect(ticker.change == -540)
        #expect(ticker.changePercent == -20)
        var halves = MarketStatistics(pair: HandTape.pair)
        halves.record(trades: [HandTape.trade(1, 10, 1), HandTape.trade(2, 11, 1)], nowNs: 0)
        #expect(halves.sinceStart?.vwap == 11)
    }

    @Test("candles: open/high/low/close/volume/count and interval_begin on epoch-aligned boundaries")
    func candles() throws {
        let statistics = HandTape.statistics()
        let minutes = statistics.candles(interval: 1)
        #expect(minutes.map(\.beginNs) == [1_696_436_700_000_000_000, 1_696_436_940_000_000_000, HandTape.t3])
        #expect(minutes.map(\.trades.count) == [2, 1, 1])
        #expect(minutes[0].trades.vwap == 270_035)
        #expect(minutes[0].lastTradeNs == HandTape.t1)
        #expect(minutes[0].endNs == 1_696_436_760_000_000_000)

        let fives = statistics.candles(interval: 5)
        #expect(fives.map(\.beginNs) == [1_696_436_700_000_000_000, HandTape.t3])
        let first = fives[0]
        #expect([first.trades.open, first.trades.high, first.trades.low, first.trades.close] == [270_000, 270_105, 269_900, 269_900])
        #expect(first.trades.volume == 175_000_000)
        #expect(first.trades.count == 3)
        #expect(first.trades.vwap == 269_958)
        #expect(first.lastTradeNs == HandTape.t2)
        #expect(first.endNs == HandTape.t3)
        #expect(fives[1].trades == TradeAggregate(price: 270_050, quantity: 10_000_000))

        #expect(statistics.candles(interval: 15).map(\.beginNs) == [1_696_436_100_000_000_000, HandTape.t3])
        #expect(statistics.candles(interval: 30).map(\.beginNs) == [1_696_435_200_000_000_000, HandTape.t3])
        for (interval, begin) in [(60, 1_696_435_200), (240, 1_696_435_200), (1_440, 1_696_377_600),
                                  (10_080, 1_695_859_200), (21_600, 1_695_168_000)] as [(Int, Int64)] {
            let all = statistics.candles(interval: interval)
            #expect(all.count == 1, "interval \(interval)")
            #expect(all.first?.beginNs == begin * 1_000_000_000, "interval \(interval)")
            #expect(all.first?.trades == statistics.sinceStart, "interval \(interval)")
        }
        #expect(statistics.candles(interval: 2).isEmpty)
        #expect(!MarketStatistics.isSupported(interval: 2))
        #expect(CandleSeries.intervals.allSatisfy(MarketStatistics.isSupported))
    }

    @Test("the last nanosecond of an interval stays in its candle; the next one opens a new candle")
    func boundary() {
        var series = CandleSeries(interval: 5, capacity: 10)
        series.record(price: 1, quantity: 1, atNs: HandTape.t3 - 1)
        #expect(series.candles.count == 1)
        #expect(series.current?.beginNs == 1_696_436_700_000_000_000)
        series.record(price: 2, quantity: 1, atNs: HandTape.t3)
        #expect(series.candles.map(\.beginNs) == [1_696_436_700_000_000_000, HandTape.t3])
        #expect(series.current?.trades.open == 2)
        // A clock stepping back does not reopen the closed candle.
        series.record(price: 3, quantity: 1, atNs: HandTape.t3 - 10)
        #expect(series.candles.count == 2)
        #expect(series.current?.trades.close == 3)
        #expect(series.current?.lastTradeNs == HandTape.t3)
        #expect(CandleSeries.intervalBegin(of: -1, minutes: 1) == -60_000_000_000)
    }

    @Test("memory is bounded: only the most recent candles are kept")
    func bounded() {
        var statistics = MarketStatistics(pair: HandTape.pair, candleHistory: 3)
        for minute in 0..<10 {
            statistics.record(trades: [HandTape.trade(UInt64(minute), 270_000 + Int64(minute), 1)],
                              nowNs: HandTape.t3 + Int64(minute) * 60_000_000_000)
        }
        let minutes = statistics.candles(interval: 1)
        #expect(minutes.map(\.trades.open) == [270_007, 270_008, 270_009])
        #expect(statistics.candles(interval: 5).map(\.trades.count) == [5, 5])
        #expect(statistics.sinceStart?.count == 10)
    }

    @Test("today is the UTC day of the asking time; a new day without trades has none")
    func today() {
        let statistics = HandTape.statistics()
        let market = PairMarket(pair: HandTape.pair, seed: 1)
        #expect(statistics.ticker(of: market, nowNs: HandTape.t3 + 86_400_000_000_000).today == nil)
        let ticker = statistics.ticker(of: market, nowNs: HandTape.t3)
        #expect(ticker.bid == market.bids[0])
        #expect(ticker.ask == market.asks[0])
        #expect(MarketStatistics(pair: HandTape.pair).ticker(of: market, nowNs: 0).change == nil)
    }

    @Test("the spread is the market's top of book; a new time alone is not a change")
    func spread() {
        var market = PairMarket(pair: HandTape.pair, seed: 9)
        let statistics = MarketStatistics(pair: HandTape.pair)
        let first = statistics.spread(of: market, timestampNs: 1)
        #expect(first.bid == market.bids[0])
        #expect(first.ask == market.asks[0])
        #expect(first.hasSameTopOfBook(as: statistics.spread(of: market, timestampNs: 2)))
        var changed = false
        for _ in 0..<200 where !changed {
            _ = market.step()
            changed = !first.hasSameTopOfBook(as: Spread(market: market, timestampNs: 3))
        }
        #expect(changed)
    }

    @Test("on a simulated market the candles add up to the since-start totals")
    func simulatedTotals() throws {
        for pair in SimulatedPair.defaults {
            var market = PairMarket(pair: pair, seed: 21)
            var statistics = MarketStatistics(pair: pair, candleHistory: 1_000)
            var produced: [PairMarket.Trade] = []
            for step in 0..<3_000 {
                let trades = market.step().map { [$0] } ?? []
                produced += trades
                statistics.record(trades: trades, nowNs: HandTape.t3 + Int64(step) * 700_000_000)
            }
            let window = try #require(statistics.sinceStart)
            #expect(window.count == Int64(produced.count))
            #expect(window.volume == produced.reduce(0) { $0 + $1.quantity })
            #expect(window.high == produced.map(\.price).max())
            #expect(window.low == produced.map(\.price).min())
            for interval in [1, 5, 15] {
                let candles = statistics.candles(interval: interval)
                #expect(candles.reduce(0) { $0 + $1.trades.volume } == window.volume)
                #expect(candles.reduce(0) { $0 + $1.trades.count } == window.count)
                #expect(zip(candles, candles.dropFirst()).allSatisfy { $0.endNs <= $1.beginNs })
            }
        }
    }
}
