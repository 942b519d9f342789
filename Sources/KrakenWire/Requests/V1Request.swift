/// What to subscribe to (or unsubscribe from) on a v1 connection.
public struct V1Subscription: Sendable, Equatable {
    /// v1 channel names (`subscription.name`).
    public enum Name: String, Sendable, Equatable, CaseIterable {
        case ticker, book, trade, ohlc, spread, ownTrades, openOrders
    }

    public var name: Name
    /// v1 pair names (`XBT/USD`); none for private channels.
    public var pairs: [String]
    public var depth: Int?
    public var interval: Int?
    public var token: String?
    /// ownTrades: replay the last 50 trades on subscribe (Kraken's default true).
    public var snapshot: Bool?
    /// openOrders: include the trading rate counter.
    public var rateCounter: Bool?

    public init(
        name: Name, pairs: [String] = [], depth: Int? = nil, interval: Int? = nil, token: String? = nil,
        snapshot: Bool? = nil, rateCounter: Bool? = nil
    ) {
        self.name = name
        self.pairs = pairs
        self.depth = depth
        self.interval = interval
        self.token = token
        self.snapshot = snapshot
        self.rateCounter = rateCounter
    }

    public var isPrivate: Bool { name == .ownTrades || name == .openOrders }

    func validate() throws(RequestError) {
        if isPrivate {
            if token == nil { throw .missingToken(channel: name.rawValue) }
        } else if pairs.isEmpty {
            throw .missingSymbols(channel: name.rawValue)
        }
        if let depth, !KrakenLimits.bookDepths.contains(depth) { throw .unsupportedDepth(depth) }
        if let interval, !KrakenLimits.ohlcIntervals.contains(interval) { throw .unsupportedInterval(interval) }
    }
}

/// Encodes v1 requests as compact JSON text frames (`reqid` top-level, as Kraken's examples do).
public enum V1Request {
    /// `{"event":"subscribe","reqid":n,"pair":[…],"subscription":{"name":…,…}}`
    public static func subscribe(_ subscription: V1Subscription, requestID: UInt64? = nil) throws(RequestError) -> [UInt8] {
        try encode(event: "subscribe", subscription, requestID: requestID, isSubscribe: true)
    }

    public static func unsubscribe(_ subscription: V1Subscription, requestID: UInt64? = nil) throws(RequestError) -> [UInt8] {
        try encode(event: "unsubscribe", subscription, requestID: requestID, isSubscribe: false)
    }

    /// `{"event":"ping","reqid":n}`
    public static func ping(requestID: UInt64? = nil) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("event", "ping")
        if let requestID { writer.field("reqid", requestID) }
        writer.endObject()
        return writer.bytes
    }

    private static func encode(
        event: String, _ subscription: V1Subscription, requestID: UInt64?, isSubscribe: Bool
    ) throws(RequestError) -> [UInt8] {
        try subscription.validate()
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("event", event)
        if let requestID { writer.field("reqid", requestID) }
        if !subscription.pairs.isEmpty { writer.field("pair", subscription.pairs) }
        writer.beginObject("subscription")
        writer.field("name", subscription.name.rawValue)
        if let depth = subscription.depth { writer.field("depth", depth) }
        if let interval = subscription.interval { writer.field("interval", interval) }
        if let token = subscription.token { writer.field("token", token) }
        if isSubscribe {
            if let snapshot = subscription.snapshot { writer.field("snapshot", snapshot) }
            if let rateCounter = subscription.rateCounter { writer.field("ratecounter", rateCounter) }
        }
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }
}
