
/// The running market statistics of one simulated pair, fed with the trades its `PairMarket`
/// produced: what the ticker and OHLC channels report.
///
/// Call `record(trades:nowNs:)` after each market step (time is passed in, never read from a
/// clock), then ask for `ticker(of:nowNs:)`, `candle(interval:)` or `spread(of:timestampNs:)`.
/// Kraken's 24-hour figures are computed over every trade since the simulator started; memory
/// is bounded (running totals plus `candleHistory` candles per interval).
public struct MarketStatistics: Sendable {
    public let pair: SimulatedPair
    /// Every trade since start (Kraken: the last 24 hours); nil until the first trade.
    public private(set) var sinceStart: TradeAggregate?
    public private(set) var lastTradeNs: Int64?
    private var series: [CandleSeries]

    /// `candleHistory`: candles kept per interval (a v2 OHLC snapshot sends them).
    public init(pair: SimulatedPair, candleHistory: Int = 50) {
        self.pair = pair
        series = CandleSeries.intervals.map { CandleSeries(interval: $0, capacity: candleHistory) }
    }

    /// Adds the trades one market step produced, all at `nowNs`.
    public mutating func record(trades: [PairMarket.Trade], nowNs: Int64) {
        guard !trades.isEmpty else { return }
        for trade in trades {
            if sinceStart == nil {
                sinceStart = TradeAggregate(price: trade.price, quantity: trade.quantity)
            } else {
                sinceStart!.add(price: trade.price, quantity: trade.quantity)
            }
            for index in series.indices { series[index].record(price: trade.price, quantity: trade.quantity, atNs: nowNs) }
        }
        lastTradeNs = nowNs
    }

    /// Whether Kraken offers OHLC at this interval (minutes).
    public static func isSupported(interval: Int) -> Bool { CandleSeries.intervals.contains(interval) }

    /// The kept candles of an interval, oldest first (empty for an unsupported interval).
    public func candles(interval: Int) -> [Candle] {
        series.first { $0.interval == interval }?.candles ?? []
    }

    /// The running candle of an interval.
    public func candle(interval: Int) -> Candle? { candles(interval: interval).last }

    /// Ticker state: best bid/ask of `market` (this pair's market) and the trade statistics.
    /// `nowNs` picks v1's "today" window (the UTC day holding it).
    public func ticker(of market: PairMarket, nowNs: Int64) -> Ticker {
        precondition(market.pair == pair, "ticker of another pair's market")
        let day = candle(interval: 1_440)
        let today = day.flatMap { $0.beginNs == CandleSeries.intervalBegin(of: nowNs, minutes: 1_440) ? $0.trades : nil }
        return Ticker(bid: market.bids[0], ask: market.asks[0], sinceStart: sinceStart, today: today)
    }

    /// The best bid and ask of `market` (this pair's market) at `timestampNs`.
    public func spread(of market: PairMarket, timestampNs: Int64) -> Spread {
        precondition(market.pair == pair, "spread of another pair's market")
        return Spread(market: market, timestampNs: timestampNs)
    }
}

/// What the ticker channels report for one pair.
public struct Ticker: Sendable, Equatable {
    public var bid: MarketLevel
    public var ask: MarketLevel
    /// Every trade since start (Kraken: last 24 hours); nil before the first trade.
    public var sinceStart: TradeAggregate?
    /// The current UTC day's trades (v1's `today` column); nil when none yet today.
    public var today: TradeAggregate?

    public init(bid: MarketLevel, ask: MarketLevel, sinceStart: TradeAggregate?, today: TradeAggregate?) {
        self.bid = bid
        self.ask = ask
        self.sinceStart = sinceStart
        self.today = today
    }

    /// Last trade minus first trade since start, at the price scale (v2 `change`).
    public var change: Int64? { sinceStart.map { $0.close - $0.open } }

    /// `change` in percent points of the opening price, as a mantissa at scale 2 (v2
    /// `change_pct`, `-0.17`), rounded half away from zero.
    public var changePercent: Int64? {
        guard let window = sinceStart, window.open != 0 else { return nil }
        return TradeAggregate.divideRounded(Int128(window.close - window.open) * 10_000, by: Int128(window.open))
    }
}

/// The best bid and ask with their volumes at one time (v1 `spread`).
public struct Spread: Sendable, Equatable {
    public var bid: MarketLevel
    public var ask: MarketLevel
    public var timestampNs: Int64

    public init(bid: MarketLevel, ask: MarketLevel, timestampNs: Int64) {
        self.bid = bid
        self.ask = ask
        self.timestampNs = timestampNs
    }

    public init(market: PairMarket, timestampNs: Int64) {
        self.init(bid: market.bids[0], ask: market.asks[0], timestampNs: timestampNs)
    }

    /// Same prices and volumes, whatever the time: no spread update is due.
    public func hasSameTopOfBook(as other: Spread) -> Bool {
        bid == other.bid && ask == other.ask
    }
}

extension PairMarket.Trade {
    /// A trade built by hand (replayed or test sequences) rather than by `PairMarket.step()`.
    public init(tradeID: UInt64, price: Int64, quantity: Int64, takerBuys: Bool, isMarketOrder: Bool = false) {
        self.init(takerBuys: takerBuys, price: price, quantity: quantity, isMarketOrder: isMarketOrder, tradeID: tradeID)
    }
}
