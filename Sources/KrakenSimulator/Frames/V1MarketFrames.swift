
/// Kraken API v1 `ticker`, `ohlc-<interval>` and `spread` frames: `[channelID, payload,
/// channelName, pair]`, decimals as strings with the pair's v1 decimals, times as epoch seconds.
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
        writer.quotedText(pair.text(price: lastPrice, decimals: pair.v1Decimals))
        writer.raw(",")
        writer.quotedText(pair.text(quantity: ticker.sinceStart?.closeQuantity ?? 0, decimals: pair.v1Decimals))
        let columns = [ticker.today, ticker.sinceStart]
        func window(_ key: StaticString, isPrice: Bool, _ value: (TradeAggregate?) -> Int64) {
            writer.raw(key)
            writer.list(columns) { writer, column in
                writer.quotedText(isPrice ? pair.text(price: value(column), decimals: pair.v1Decimals)
                                          : pair.text(quantity: value(column), decimals: pair.v1Decimals))
            }
            writer.raw("]")
        }
        window(#"],"v":["#, isPrice: false) { $0?.volume ?? 0 }
        window(#","p":["#, isPrice: true) { $0?.vwap ?? lastPrice }
        writer.raw(#","t":["#)
        writer.list(columns) { writer, column in writer.integer(column?.count ?? 0) }
        writer.raw("]")
        window(#","l":["#, isPrice: true) { $0?.low ?? lastPrice }
        window(#","h":["#, isPrice: true) { $0?.high ?? lastPrice }
        window(#","o":["#, isPrice: true) { $0?.open ?? lastPrice }
        writer.raw("},")
        marketTrailer(pair: pair, channel: "ticker", into: &writer)
        return writer.bytes
    }

    /// `[price, wholeLotVolume, lotVolume]`: the whole-lot volume is the level's volume rounded
    /// down to an integer, as in Kraken's recorded frames (`42461`, `"42461.83886926"`).
    private static func quote(_ level: MarketLevel, pair: SimulatedPair, into writer: inout FrameWriter) {
        writer.raw("[")
        writer.quotedText(pair.text(price: level.price, decimals: pair.v1Decimals))
        writer.raw(",")
        writer.integer(level.quantity / PairMarket.power(Int(pair.quantityScale)))
        writer.raw(",")
        writer.quotedText(pair.text(quantity: level.quantity, decimals: pair.v1Decimals))
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
            writer.quotedText(pair.text(price: price, decimals: pair.v1Decimals))
        }
        writer.raw(",")
        writer.quotedText(pair.text(quantity: candle.trades.volume, decimals: pair.v1Decimals))
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
        writer.quotedText(pair.text(price: spread.bid.price, decimals: pair.v1Decimals))
        writer.raw(",")
        writer.quotedText(pair.text(price: spread.ask.price, decimals: pair.v1Decimals))
        writer.raw(",")
        writer.epochSeconds(nanoseconds: spread.timestampNs)
        writer.raw(",")
        writer.quotedText(pair.text(quantity: spread.bid.quantity, decimals: pair.v1Decimals))
        writer.raw(",")
        writer.quotedText(pair.text(quantity: spread.ask.quantity, decimals: pair.v1Decimals))
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
