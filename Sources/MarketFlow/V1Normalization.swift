import FixedPoint
import KrakenREST
import KrakenWire
import WireFormat

/// Kraken's v1 public messages and REST AssetPairs reference data in v2's model, so a v1 feed
/// publishes exactly the payloads a v2 feed does (`MarketEvents` is shared). Each takes the v2
/// symbol the caller mapped from the v1 pair name: the bus only ever names pairs the v2 way.
/// What v1 lacks stays unset (a trade id, a ticker or status time); what v2 states and v1 only
/// implies is derived exactly (ticker `change` from the 24-hour open, a candle's start from
/// its end).
public enum V1Normalization {
    /// v1 trades carry no id: `trade_id` stays 0.
    public static func trade(_ trade: V1Trade, symbol: String) -> KrakenTrade {
        KrakenTrade(
            symbol: symbol, side: trade.side, price: trade.price, quantity: trade.volume, orderType: trade.orderType, tradeID: 0,
            timestampNs: trade.timestampNs)
    }

    /// The last-24-hours column is v2's window. Like v2, the trade-derived fields are absent
    /// while the pair has not traded in that window (v1 then repeats stale prices). `change` is
    /// last minus the 24-hour open; `change_pct` that in percent points of the open at two
    /// decimals, rounded half away from zero (v2's precision).
    public static func ticker(_ ticker: V1Ticker, symbol: String) -> V2Ticker {
        var result = V2Ticker(
            symbol: symbol, bid: ticker.bid.price, bidQuantity: ticker.bid.lotVolume, ask: ticker.ask.price,
            askQuantity: ticker.ask.lotVolume, volume: ticker.volume.last24Hours)
        guard ticker.trades.last24Hours > 0 else { return result }
        result.last = ticker.lastPrice
        result.vwap = ticker.vwap.last24Hours
        result.low = ticker.low.last24Hours
        result.high = ticker.high.last24Hours
        let open = ticker.open.last24Hours
        if let change = ExactArithmetic.difference(ticker.lastPrice, open) {
            result.change = change
            result.changePercent = hundredfold(change).flatMap { ExactArithmetic.quotient($0, open, scale: 2) }
        }
        return result
    }

    /// v1 sends the interval's end (`etime`); v2's `interval_begin` is that minus the interval,
    /// and its deprecated per-candle `timestamp` is the end, as in Kraken's v2 examples.
    public static func candle(_ candle: V1Candle, symbol: String) -> V2Candle {
        V2Candle(
            symbol: symbol, open: candle.open, high: candle.high, low: candle.low, close: candle.close, vwap: candle.vwap,
            volume: candle.volume, trades: UInt64(clamping: candle.count),
            intervalBeginNs: candle.endTimeNs - Int64(candle.interval) * 60_000_000_000, interval: candle.interval,
            timestampNs: candle.endTimeNs)
    }

    public static func status(_ status: V1SystemStatus) -> V2Status {
        V2Status(system: status.status, apiVersion: "v1", connectionID: status.connectionID, version: status.version)
    }

    /// An AssetPairs entry as v2's instrument record: precisions from `pair_decimals` and
    /// `lot_decimals`, the quantity increment one lot decimal, base and quote the v2 codes of
    /// the symbol. AssetPairs does not say whether a pair is marginable in a form kept here.
    public static func instrument(_ pair: AssetPair) -> V2Pair {
        let symbol = pair.symbol
        let sides = symbol.split(separator: "/", maxSplits: 1).map(String.init)
        return V2Pair(
            symbol: symbol, base: sides.first ?? pair.base, quote: sides.count == 2 ? sides[1] : pair.quote,
            status: pair.status ?? "online", pricePrecision: Int(pair.pairDecimals), quantityPrecision: Int(pair.lotDecimals),
            costPrecision: Int(pair.costDecimals), priceIncrement: pair.tickSize,
            quantityIncrement: FixedDecimal(mantissa: 1, scale: pair.lotDecimals), quantityMinimum: pair.orderMin,
            costMinimum: pair.costMin)
    }

    /// `value × 100`, exactly (nil on overflow).
    private static func hundredfold(_ value: FixedDecimal) -> FixedDecimal? {
        if value.scale >= 2 { return FixedDecimal(mantissa: value.mantissa, scale: value.scale - 2) }
        return value.rescaled(to: 2).map { FixedDecimal(mantissa: $0.mantissa, scale: 0) }
    }
}

extension MarketEvents {
    /// A v1 trade as the bus's `Trade` (v1 sends no snapshot of past trades).
    public static func trade(_ trade: V1Trade, symbol: String) -> KBTrade {
        self.trade(V1Normalization.trade(trade, symbol: symbol), fromSnapshot: false)
    }

    /// A v1 ticker as the bus's `Ticker`, with the 24-hour trade count only v1 sends.
    public static func ticker(_ ticker: V1Ticker, symbol: String, receivedNs: Int64) -> KBTicker {
        var message = self.ticker(V1Normalization.ticker(ticker, symbol: symbol), receivedNs: receivedNs)
        message.trades24H = UInt64(clamping: ticker.trades.last24Hours)
        return message
    }

    public static func candle(_ candle: V1Candle, symbol: String, receivedNs: Int64) -> KBOhlc {
        self.candle(V1Normalization.candle(candle, symbol: symbol), receivedNs: receivedNs)
    }

    public static func exchangeStatus(_ status: V1SystemStatus, feed: String) -> KBExchangeStatus {
        exchangeStatus(V1Normalization.status(status), feed: feed)
    }

    /// An AssetPairs entry as the bus's `Instrument`, with its v1 and REST names.
    public static func instrument(_ pair: AssetPair) -> KBInstrument {
        instrument(V1Normalization.instrument(pair), v1Name: pair.wsname, restName: pair.restKey)
    }
}
