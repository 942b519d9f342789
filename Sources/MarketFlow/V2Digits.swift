import FixedPoint
import KrakenWire

/// Kraken's v2 numbers at the pair's precision: v2 sends JSON numbers, whose form varies
/// (`27005`, `27005.0`, `5.1e-05`) while the value is one the engine prints at the instrument's
/// `price_precision` / `qty_precision`. Padding (never rounding) to that precision gives
/// consumers the same digits whatever form arrived; a number with more decimals keeps them.
public enum V2Digits {
    @inline(__always)
    public static func padded(_ value: FixedDecimal, to scale: UInt8) -> FixedDecimal {
        value.scale >= scale ? value : (value.rescaled(to: scale) ?? value)
    }

    public static func trade(_ trade: KrakenTrade, _ precision: InstrumentRegistry.Precision) -> KrakenTrade {
        var trade = trade
        trade.price = padded(trade.price, to: precision.priceScale)
        trade.quantity = padded(trade.quantity, to: precision.quantityScale)
        return trade
    }

    /// Prices (bid, ask, last, vwap, low, high, change) and quantities (sizes, volume);
    /// `change_pct` is a percentage and keeps its own digits.
    public static func ticker(_ ticker: V2Ticker, _ precision: InstrumentRegistry.Precision) -> V2Ticker {
        var ticker = ticker
        let price = precision.priceScale
        let quantity = precision.quantityScale
        ticker.bid = padded(ticker.bid, to: price)
        ticker.ask = padded(ticker.ask, to: price)
        ticker.bidQuantity = padded(ticker.bidQuantity, to: quantity)
        ticker.askQuantity = padded(ticker.askQuantity, to: quantity)
        ticker.last = ticker.last.map { padded($0, to: price) }
        ticker.vwap = ticker.vwap.map { padded($0, to: price) }
        ticker.low = ticker.low.map { padded($0, to: price) }
        ticker.high = ticker.high.map { padded($0, to: price) }
        ticker.change = ticker.change.map { padded($0, to: price) }
        ticker.volume = ticker.volume.map { padded($0, to: quantity) }
        return ticker
    }

    public static func candle(_ candle: V2Candle, _ precision: InstrumentRegistry.Precision) -> V2Candle {
        var candle = candle
        let price = precision.priceScale
        candle.open = padded(candle.open, to: price)
        candle.high = padded(candle.high, to: price)
        candle.low = padded(candle.low, to: price)
        candle.close = padded(candle.close, to: price)
        candle.vwap = padded(candle.vwap, to: price)
        candle.volume = padded(candle.volume, to: precision.quantityScale)
        return candle
    }
}
