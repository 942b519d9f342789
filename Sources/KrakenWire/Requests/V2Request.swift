/// What to subscribe to (or unsubscribe from) on a v2 connection.
public struct V2Subscription: Sendable, Equatable {
    /// `ticker` publishes on every trade (`trades`, Kraken's default) or on best bid/offer changes (`bbo`).
    public enum TickerTrigger: String, Sendable, Equatable { case trades, bbo }

    public var channel: V2Channel
    public var symbols: [String]
    public var depth: Int?
    public var interval: Int?
    public var snapshot: Bool?
    /// Private channels and level3.
    public var token: String?
    public var eventTrigger: TickerTrigger?
    /// executions: open orders / last 50 fills in the snapshot, every status transition, rate counter.
    public var snapOrders: Bool?
    public var snapTrades: Bool?
    public var orderStatus: Bool?
    public var rateCounter: Bool?

    public init(
        channel: V2Channel, symbols: [String] = [], depth: Int? = nil, interval: Int? = nil, snapshot: Bool? = nil,
        token: String? = nil, eventTrigger: TickerTrigger? = nil, snapOrders: Bool? = nil, snapTrades: Bool? = nil,
        orderStatus: Bool? = nil, rateCounter: Bool? = nil
    ) {
        self.channel = channel
        self.symbols = symbols
        self.depth = depth
        self.interval = interval
        self.snapshot = snapshot
        self.token = token
        self.eventTrigger = eventTrigger
        self.snapOrders = snapOrders
        self.snapTrades = snapTrades
        self.orderStatus = orderStatus
        self.rateCounter = rateCounter
    }

    /// Whether the channel is served only on the authenticated host with a token.
    public var isPrivate: Bool { channel == .executions || channel == .balances }

    func validate() throws(RequestError) {
        switch channel {
        case .status, .heartbeat: throw .notSubscribable(channel: channel.name)
        case .ticker, .book, .trade, .ohlc, .level3:
            if symbols.isEmpty { throw .missingSymbols(channel: channel.name) }
        case .instrument, .executions, .balances: break
        }
        if let depth {
            let allowed = channel == .level3 ? KrakenLimits.level3Depths : KrakenLimits.bookDepths
            if !allowed.contains(depth) { throw .unsupportedDepth(depth) }
        }
        if let interval, !KrakenLimits.ohlcIntervals.contains(interval) { throw .unsupportedInterval(interval) }
        if (isPrivate || channel == .level3) && token == nil { throw .missingToken(channel: channel.name) }
    }
}

/// Encodes v2 requests as compact JSON text frames.
public enum V2Request {
    /// `{"method":"subscribe","params":{…},"req_id":n}`
    public static func subscribe(_ subscription: V2Subscription, requestID: UInt64? = nil) throws(RequestError) -> [UInt8] {
        try encode(method: "subscribe", subscription, requestID: requestID, isSubscribe: true)
    }

    /// Unsubscribe sends only what identifies the subscription (channel, symbols, depth,
    /// interval, event trigger, token).
    public static func unsubscribe(_ subscription: V2Subscription, requestID: UInt64? = nil) throws(RequestError) -> [UInt8] {
        try encode(method: "unsubscribe", subscription, requestID: requestID, isSubscribe: false)
    }

    /// `{"method":"ping","req_id":n}`
    public static func ping(requestID: UInt64? = nil) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("method", "ping")
        if let requestID { writer.field("req_id", requestID) }
        writer.endObject()
        return writer.bytes
    }

    private static func encode(
        method: String, _ subscription: V2Subscription, requestID: UInt64?, isSubscribe: Bool
    ) throws(RequestError) -> [UInt8] {
        try subscription.validate()
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("method", method)
        writer.beginObject("params")
        writer.field("channel", subscription.channel.name)
        if !subscription.symbols.isEmpty { writer.field("symbol", subscription.symbols) }
        if let depth = subscription.depth { writer.field("depth", depth) }
        if let interval = subscription.interval { writer.field("interval", interval) }
        if let trigger = subscription.eventTrigger { writer.field("event_trigger", trigger.rawValue) }
        if isSubscribe {
            if let snapshot = subscription.snapshot { writer.field("snapshot", snapshot) }
            if let value = subscription.snapOrders { writer.field("snap_orders", value) }
            if let value = subscription.snapTrades { writer.field("snap_trades", value) }
            if let value = subscription.orderStatus { writer.field("order_status", value) }
            if let value = subscription.rateCounter { writer.field("ratecounter", value) }
        }
        if let token = subscription.token { writer.field("token", token) }
        writer.endObject()
        if let requestID { writer.field("req_id", requestID) }
        writer.endObject()
        return writer.bytes
    }
}
