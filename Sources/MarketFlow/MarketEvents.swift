import FixedPoint
import KrakenWire
import WireFormat

/// Kraken's public v2 messages as the bus's payloads. Decimals keep Kraken's digits (mantissa
/// and scale as received); nothing passes through `Double`.
public enum MarketEvents {
    public static func trade(_ trade: KrakenTrade, fromSnapshot: Bool) -> KBTrade {
        var message = KBTrade()
        message.symbol = trade.symbol
        message.tradeID = trade.tradeID
        message.price = KBDecimal(trade.price)
        message.qty = KBDecimal(trade.quantity)
        message.side = trade.side == .buy ? .buy : .sell
        message.ordType = trade.orderType == .market ? .market : .limit
        message.timestampNs = trade.timestampNs
        message.fromSnapshot = fromSnapshot
        return message
    }

    public static func ticker(_ ticker: V2Ticker, receivedNs: Int64) -> KBTicker {
        var message = KBTicker()
        message.symbol = ticker.symbol
        message.bid = KBDecimal(ticker.bid)
        message.bidQty = KBDecimal(ticker.bidQuantity)
        message.ask = KBDecimal(ticker.ask)
        message.askQty = KBDecimal(ticker.askQuantity)
        if let last = ticker.last { message.last = KBDecimal(last) }
        if let volume = ticker.volume { message.volume = KBDecimal(volume) }
        if let vwap = ticker.vwap { message.vwap = KBDecimal(vwap) }
        if let low = ticker.low { message.low = KBDecimal(low) }
        if let high = ticker.high { message.high = KBDecimal(high) }
        if let change = ticker.change { message.change = KBDecimal(change) }
        if let changePercent = ticker.changePercent { message.changePct = KBDecimal(changePercent) }
        message.timestampNs = ticker.timestampNs ?? receivedNs
        return message
    }

    /// A candle; `closed` is false: Kraken v2 re-sends the current interval's candle as it
    /// changes, and a consumer knows an interval closed when the next one begins.
    public static func candle(_ candle: V2Candle, receivedNs: Int64) -> KBOhlc {
        var message = KBOhlc()
        message.symbol = candle.symbol
        message.intervalMinutes = UInt32(clamping: candle.interval)
        message.intervalBeginNs = candle.intervalBeginNs
        message.open = KBDecimal(candle.open)
        message.high = KBDecimal(candle.high)
        message.low = KBDecimal(candle.low)
        message.close = KBDecimal(candle.close)
        message.vwap = KBDecimal(candle.vwap)
        message.volume = KBDecimal(candle.volume)
        message.trades = candle.trades
        message.timestampNs = candle.timestampNs ?? receivedNs
        return message
    }

    public static func exchangeStatus(_ status: V2Status, feed: String) -> KBExchangeStatus {
        var message = KBExchangeStatus()
        switch status.system {
        case .online: message.system = .online; message.rawSystem = "online"
        case .maintenance: message.system = .maintenance; message.rawSystem = "maintenance"
        case .cancelOnly: message.system = .cancelOnly; message.rawSystem = "cancel_only"
        case .postOnly: message.system = .postOnly; message.rawSystem = "post_only"
        case .other(let text): message.system = text == "limit_only" ? .limitOnly : .unspecified; message.rawSystem = text
        }
        message.apiVersion = status.apiVersion
        message.connectionID = status.connectionID ?? 0
        message.version = status.version
        message.feed = feed
        return message
    }

    public static func instrument(_ pair: V2Pair, v1Name: String = "", restName: String = "") -> KBInstrument {
        var message = KBInstrument()
        message.symbol = pair.symbol
        message.base = pair.base
        message.quote = pair.quote
        message.status = pair.status
        message.pricePrecision = UInt32(clamping: pair.pricePrecision)
        message.qtyPrecision = UInt32(clamping: pair.quantityPrecision)
        if let increment = pair.priceIncrement { message.priceIncrement = KBDecimal(increment) }
        if let increment = pair.quantityIncrement { message.qtyIncrement = KBDecimal(increment) }
        if let minimum = pair.quantityMinimum { message.qtyMin = KBDecimal(minimum) }
        if let minimum = pair.costMinimum { message.costMin = KBDecimal(minimum) }
        message.marginable = pair.marginable ?? false
        message.v1Name = v1Name
        message.restName = restName
        return message
    }
}
