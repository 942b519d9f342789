import OrderBook

/// Kraken API v1 `ticker`, `ohlc-<interval>` and `spread` frames: `[channelID, payload,
/// channelName, pair]`, decimals as strings at the pair's precision, times as epoch seconds.
extension V1Frames {
    /// `{"a":[…],"b":[…],"c":[…],"v":[today,24h],"p":…,"t":…,"l":…,"h":…,"o":…}`. The 24-hour
    /// column is every trade since start; `today` is the current UTC day. A window without
    /// trades has volume and count 0 and its prices at the last trade price (0 before any).
    public static func ticker(channelID: Int, pair: SimulatedPair, _ ticker: Ticker) -> [UInt8] {
        var writer = FrameWriter(capacity: 400)
        writer.raw("[")
        writer.integer(channelID)
        writer.raw(#",{"a":"#)
        quote(ticker.ask, pair: pair, into: &writer)
        writer.raw(#","b":"#)
        quote(ticker.bid, pair: pair, into: &writer)
        let lastPrice = ticker.sinceStart?.close ?? 0
        writer.raw(#","c":["#)
        writer.quotedDecimal(mantissa: lastPrice, scale: pair.priceScale)
        writer.raw(",")
        writer.quotedDecimal(mantissa: ticker.sinceStart?.closeQuantity ?? 0, scale: pair.quantityScale)
        let columns = [ticker.today, ticker.sinceStart]
        func window(_ key: StaticString, scale: UInt8, _ value: (TradeAggregate?) -> Int64) {
            writer.raw(key)
            writer.list(columns) { writer, column in writer.quotedDecimal(mantissa: value(column), scale: scale) }
            writer.raw("]")
        }
        window(#"],"v":["#, scale: pair.quantityScale) { $0?.volume ?? 0 }
        window(#","p":["#, scale: pair.priceScale) { $0?.vwap ?? lastPrice }
        writer.raw(#","t":["#)
        writer.list(columns) { writer, column in writer.integer(column?.count ?? 0) }
        writer.raw("]")
        window(#","l":["#, scale: pair.priceScale) { $0?.low ?? lastPrice }
        window(#","h":["#, scale: pair.priceScale) { $0?.high ?? lastPrice }
        window(#","o":["#, scale: pair.priceScale) { $0?.open ?? lastPrice }
        writer.raw("},")
        marketTrailer(pair: pair, channel: "ticker", into: &writer)
        return writer.bytes
    }

    /// `[price, wholeLotVolume, lotVolume]`: the whole-lot volume is the level's volume rounded
    /// down to an integer, as in Kraken's recorded frames (`42461`, `"42461.83886926"`).
    private static func quote(_ level: BookLevel, pair: SimulatedPair, into writer: inout FrameWriter) {
        writer.raw("[")
        writer.quotedDecimal(mantissa: level.price, scale: pair.priceScale)
        writer.raw(",")
        writer.integer(level.quantity / PairMarket.power(Int(pair.quantityScale)))
        writer.raw(",")
        writer.quotedDecimal(mantissa: level.quantity, scale: pair.quantityScale)
        writer.raw("]")
    }

    /// `["time","etime","open","high","low","close","vwap","volume",count]` on channel
    /// `ohlc-<interval>`: `time` is the candle's last trade, `etime` the interval's end.
    public static func ohlc(channelID: Int, pair: SimulatedPair, _ candle: Candle) -> [UInt8] {
        var writer = FrameWriter(capacity: 200)
        writer.raw("[")
        writer.integer(channelID)
        writer.raw(",[")
        writer.epochSeconds(nanoseconds: candle.lastTradeNs)
        writer.raw(",")
        writer.epochSeconds(nanoseconds: candle.endNs)
        for price in [candle.trades.open, candle.trades.high, candle.trades.low, candle.trades.close, candle.trades.vwap] {
            writer.raw(",")
            writer.quotedDecimal(mantissa: price, scale: pair.priceScale)
        }
        writer.raw(",")
        writer.quotedDecimal(mantissa: candle.trades.volume, scale: pair.quantityScale)
        writer.raw(",")
        writer.integer(candle.trades.count)
        writer.raw("],")
        marketTrailer(pair: pair, channel: "ohlc-\(candle.interval)", into: &writer)
        return writer.bytes
    }

    /// `["bid","ask","timestamp","bidVolume","askVolume"]`.
    public static func spread(channelID: Int, pair: SimulatedPair, _ spread: Spread) -> [UInt8] {
        var writer = FrameWriter(capacity: 160)
        writer.raw("[")
        writer.integer(channelID)
        writer.raw(",[")
        writer.quotedDecimal(mantissa: spread.bid.price, scale: pair.priceScale)
        writer.raw(",")
        writer.quotedDecimal(mantissa: spread.ask.price, scale: pair.priceScale)
        writer.raw(",")
        writer.epochSeconds(nanoseconds: spread.timestampNs)
        writer.raw(",")
        writer.quotedDecimal(mantissa: spread.bid.quantity, scale: pair.quantityScale)
        writer.raw(",")
        writer.quotedDecimal(mantissa: spread.ask.quantity, scale: pair.quantityScale)
        writer.raw("],")
        marketTrailer(pair: pair, channel: "spread", into: &writer)
        return writer.bytes
    }

    private static func marketTrailer(pair: SimulatedPair, channel: String, into writer: inout FrameWriter) {
        writer.string(channel)
        writer.raw(",")
        writer.string(pair.v1Name)
        writer.raw("]")
    }
}
