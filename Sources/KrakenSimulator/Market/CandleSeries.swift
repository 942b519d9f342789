/// One OHLC candle: the trades whose time fell in `[beginNs, endNs)`.
public struct Candle: Sendable, Equatable {
    /// Minutes: one of `CandleSeries.intervals`.
    public var interval: Int
    /// The candle's start (Kraken's `interval_begin`), a multiple of the interval since the Unix epoch.
    public var beginNs: Int64
    /// The time of the candle's last trade (v1's `time`, "last update").
    public var lastTradeNs: Int64
    public var trades: TradeAggregate

    /// The candle's end (v1's `etime`; the deprecated v2 per-candle `timestamp`).
    public var endNs: Int64 { beginNs + CandleSeries.nanoseconds(minutes: interval) }
}

/// The candles of one interval, oldest first, the last one being the running candle. Only the
/// most recent `capacity` candles are kept, so memory stays bounded however long the simulator runs.
///
/// Intervals without trades have no candle (as on Kraken, where candles come from trades). A
/// trade whose time falls before the running candle (a clock stepping back) joins the running
/// candle: closed candles are never reopened.
public struct CandleSeries: Sendable {
    /// Kraken's OHLC intervals in minutes, for v1 and v2.
    public static let intervals = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600]

    public let interval: Int
    public let capacity: Int
    public private(set) var candles: [Candle] = []

    public init(interval: Int, capacity: Int) {
        precondition(interval > 0 && capacity > 0, "a candle series needs a positive interval and capacity")
        self.interval = interval
        self.capacity = capacity
        candles.reserveCapacity(capacity)
    }

    /// The running candle.
    public var current: Candle? { candles.last }

    public mutating func record(price: Int64, quantity: Int64, atNs timeNs: Int64) {
        let begin = Self.intervalBegin(of: timeNs, minutes: interval)
        if let last = candles.indices.last, begin <= candles[last].beginNs {
            candles[last].trades.add(price: price, quantity: quantity)
            candles[last].lastTradeNs = max(candles[last].lastTradeNs, timeNs)
            return
        }
        if candles.count == capacity { candles.removeFirst() }
        candles.append(Candle(interval: interval, beginNs: begin, lastTradeNs: timeNs,
                              trades: TradeAggregate(price: price, quantity: quantity)))
    }

    /// The start of the interval holding `timeNs`: intervals are aligned to the Unix epoch
    /// (days at 00:00 UTC, weeks on Thursdays, as 1970-01-01 was one).
    public static func intervalBegin(of timeNs: Int64, minutes: Int) -> Int64 {
        let length = nanoseconds(minutes: minutes)
        let quotient = timeNs / length
        return (timeNs % length < 0 ? quotient - 1 : quotient) * length
    }

    static func nanoseconds(minutes: Int) -> Int64 { Int64(minutes) * 60_000_000_000 }
}
