
/// Kraken API v2 `ticker`, `ohlc` and `instrument` frames, in the key order of Kraken's
/// documentation examples.
extension V2Frames {
    /// `{"channel":"ticker","type":…,"data":[{"symbol":…,"bid":…,…,"timestamp":…}]}`. Before the
    /// first trade the trade-derived fields are `null` (Kraken only guarantees them for pairs
    /// that traded); the volume is then `0.0`.
    public static func ticker(snapshot: Bool, pair: SimulatedPair, _ ticker: Ticker, timestampNs: Int64) -> [UInt8] {
        var writer = FrameWriter(capacity: 320)
        writer.raw(snapshot ? #"{"channel":"ticker","type":"snapshot","data":[{"symbol":"# : #"{"channel":"ticker","type":"update","data":[{"symbol":"#)
        writer.string(pair.symbol)
        let price = pair.priceScale
        let quantity = pair.quantityScale
        let window = ticker.sinceStart
        writer.raw(#","bid":"#)
        writer.v2Number(mantissa: ticker.bid.price, scale: price)
        writer.raw(#","bid_qty":"#)
        writer.v2Number(mantissa: ticker.bid.quantity, scale: quantity)
        writer.raw(#","ask":"#)
        writer.v2Number(mantissa: ticker.ask.price, scale: price)
        writer.raw(#","ask_qty":"#)
        writer.v2Number(mantissa: ticker.ask.quantity, scale: quantity)
        writer.raw(#","last":"#)
        writer.v2NumberOrNull(mantissa: window?.close, scale: price)
        writer.raw(#","volume":"#)
        writer.v2Number(mantissa: window?.volume ?? 0, scale: quantity)
        writer.raw(#","vwap":"#)
        writer.v2NumberOrNull(mantissa: window?.vwap, scale: price)
        writer.raw(#","low":"#)
        writer.v2NumberOrNull(mantissa: window?.low, scale: price)
        writer.raw(#","high":"#)
        writer.v2NumberOrNull(mantissa: window?.high, scale: price)
        writer.raw(#","change":"#)
        writer.v2NumberOrNull(mantissa: ticker.change, scale: price)
        writer.raw(#","change_pct":"#)
        writer.v2NumberOrNull(mantissa: ticker.changePercent, scale: 2)
        writer.raw(#","timestamp":"#)
        writer.rfc3339(nanoseconds: timestampNs)
        writer.raw("}]}")
        return writer.bytes
    }

    /// `{"channel":"ohlc","type":…,"timestamp":<message time>,"data":[candle…]}`. Each candle has
    /// `interval_begin` (its start, nanosecond digits) and the deprecated `timestamp`, written
    /// as the interval's end like Kraken's examples.
    public static func ohlc(snapshot: Bool, pair: SimulatedPair, _ candles: [Candle], timestampNs: Int64) -> [UInt8] {
        var writer = FrameWriter(capacity: 96 + 300 * candles.count)
        writer.raw(snapshot ? #"{"channel":"ohlc","type":"snapshot","timestamp":"# : #"{"channel":"ohlc","type":"update","timestamp":"#)
        writer.rfc3339Nanoseconds(timestampNs)
        writer.raw(#","data":["#)
        writer.list(candles) { writer, candle in
            let price = pair.priceScale
            writer.raw(#"{"symbol":"#)
            writer.string(pair.symbol)
            writer.raw(#","open":"#)
            writer.v2Number(mantissa: candle.trades.open, scale: price)
            writer.raw(#","high":"#)
            writer.v2Number(mantissa: candle.trades.high, scale: price)
            writer.raw(#","low":"#)
            writer.v2Number(mantissa: candle.trades.low, scale: price)
            writer.raw(#","close":"#)
            writer.v2Number(mantissa: candle.trades.close, scale: price)
            writer.raw(#","trades":"#)
            writer.integer(candle.trades.count)
            writer.raw(#","volume":"#)
            writer.v2Number(mantissa: candle.trades.volume, scale: pair.quantityScale)
            writer.raw(#","vwap":"#)
            writer.v2Number(mantissa: candle.trades.vwap, scale: price)
            writer.raw(#","interval_begin":"#)
            writer.rfc3339Nanoseconds(candle.beginNs)
            writer.raw(#","interval":"#)
            writer.integer(candle.interval)
            writer.raw(#","timestamp":"#)
            writer.rfc3339(nanoseconds: candle.endNs)
            writer.raw("}")
        }
        writer.raw("]}")
        return writer.bytes
    }

    /// `{"channel":"instrument","type":…,"data":{"assets":[…],"pairs":[…]}}` for `pairs`, all
    /// online and not marginable (so no margin or position-limit fields).
    public static func instrument(snapshot: Bool = true, pairs: [SimulatedPair]) -> [UInt8] {
        var writer = FrameWriter(capacity: 128 + 400 * pairs.count)
        writer.raw(snapshot ? #"{"channel":"instrument","type":"snapshot","data":{"assets":["# : #"{"channel":"instrument","type":"update","data":{"assets":["#)
        writer.list(AssetReference.assets(of: pairs)) { writer, asset in
            writer.raw(#"{"id":"#)
            writer.string(asset.id)
            writer.raw(#","status":"enabled","precision":"#)
            writer.integer(asset.precision)
            writer.raw(#","precision_display":"#)
            writer.integer(asset.displayPrecision)
            writer.raw(#","borrowable":false,"collateral_value":0.0}"#)
        }
        writer.raw(#"],"pairs":["#)
        writer.list(pairs.map(PairReference.init)) { writer, reference in
            let pair = reference.pair
            writer.raw(#"{"symbol":"#)
            writer.string(pair.symbol)
            writer.raw(#","base":"#)
            writer.string(pair.base)
            writer.raw(#","quote":"#)
            writer.string(pair.quote)
            writer.raw(#","status":"online","qty_precision":"#)
            writer.integer(pair.quantityScale)
            writer.raw(#","qty_increment":"#)
            writer.referenceNumber(reference.quantityIncrement)
            writer.raw(#","price_precision":"#)
            writer.integer(pair.priceScale)
            writer.raw(#","cost_precision":"#)
            writer.integer(reference.costDecimals)
            writer.raw(#","marginable":false,"has_index":false,"cost_min":"#)
            writer.referenceNumber(reference.costMinimum)
            writer.raw(#","tick_size":"#)
            writer.referenceNumber(reference.tickSize)
            writer.raw(#","price_increment":"#)
            writer.referenceNumber(reference.tickSize)
            writer.raw(#","qty_min":"#)
            writer.referenceNumber(reference.orderMinimum)
            writer.raw("}")
        }
        writer.raw("]}}")
        return writer.bytes
    }
}
