/// v1 `systemStatus`: sent on connect and on every engine state change.
public struct V1SystemStatus: Sendable, Equatable {
    public var status: ExchangeStatus
    public var version: String
    /// Exceeds `Int64.max` in recorded frames, hence unsigned.
    public var connectionID: UInt64?

    public init(status: ExchangeStatus, version: String, connectionID: UInt64?) {
        self.status = status
        self.version = version
        self.connectionID = connectionID
    }
}

/// v1 `subscriptionStatus`: one per pair for public channels. Also used by Kraken for
/// exchange-initiated unsubscribes (status `unsubscribed` without a request).
public struct V1SubscriptionStatus: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case subscribed, unsubscribed, ok, error
    }

    /// The echoed `subscription` object.
    public struct Subscription: Sendable, Equatable {
        public var name: String?
        public var depth: Int?
        public var interval: Int?
        public var maxRateCount: Int?

        public init(name: String? = nil, depth: Int? = nil, interval: Int? = nil, maxRateCount: Int? = nil) {
            self.name = name
            self.depth = depth
            self.interval = interval
            self.maxRateCount = maxRateCount
        }

        static func read(_ reader: inout JSONReader) throws(WireError) -> Subscription {
            var subscription = Subscription()
            try reader.readObject(field: "subscription") { (key, reader) throws(WireError) in
                if key.equals("name") { subscription.name = try reader.readString(field: "subscription.name") }
                else if key.equals("depth") { subscription.depth = try reader.readInt(field: "subscription.depth") }
                else if key.equals("interval") { subscription.interval = try reader.readInt(field: "subscription.interval") }
                else if key.equals("maxratecount") { subscription.maxRateCount = try reader.readInt(field: "subscription.maxratecount") }
                else { try reader.skipValue() }
            }
            return subscription
        }
    }

    public var status: Status
    /// `book-25`, `ohlc-5`, `ticker`, `ownTrades`, … (absent on some errors).
    public var channelName: String?
    /// Absent for private channels.
    public var pair: String?
    public var requestID: UInt64?
    public var errorMessage: String?
    public var subscription: Subscription?
    /// Deprecated by Kraken; kept for diagnostics only.
    public var channelID: UInt64?

    public init(
        status: Status, channelName: String? = nil, pair: String? = nil, requestID: UInt64? = nil,
        errorMessage: String? = nil, subscription: Subscription? = nil, channelID: UInt64? = nil
    ) {
        self.status = status
        self.channelName = channelName
        self.pair = pair
        self.requestID = requestID
        self.errorMessage = errorMessage
        self.subscription = subscription
        self.channelID = channelID
    }
}
