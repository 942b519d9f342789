/// A public channel the bridge can subscribe or unsubscribe at runtime.
/// (`executions` and `balances` belong to the private feed, which is always on.)
public enum SubscribableChannel: String, Sendable, Hashable, CaseIterable {
    case book
    case trade
    case ticker
    case ohlc
}

/// What a subscribe or unsubscribe command selects: every channel × every symbol.
/// Validated: at least one of each, no duplicates (first occurrence kept), values allowed.
public struct ChannelSelection: Sendable, Hashable {
    /// In request order.
    public var channels: [SubscribableChannel]
    /// Kraken v2 names (`BTC/USD`), in request order.
    public var symbols: [String]
    /// Book depth; nil means the configured default (the request said 0).
    public var depth: UInt32?
    /// Candle interval in minutes; set whenever a subscribe names `ohlc`; nil when the request
    /// said 0 (for an unsubscribe of `ohlc`: every interval of the pair).
    public var intervalMinutes: UInt32?

    public init(channels: [SubscribableChannel], symbols: [String], depth: UInt32? = nil, intervalMinutes: UInt32? = nil) {
        self.channels = channels
        self.symbols = symbols
        self.depth = depth
        self.intervalMinutes = intervalMinutes
    }
}

/// A private topic whose events are journaled and can be replayed.
public enum JournaledTopic: String, Sendable, Hashable, CaseIterable {
    case executions = "exec:"
    case fills = "fill:"
    case balances = "balance:"

    /// The topic frame's bytes.
    public var bytes: [UInt8] { Array(rawValue.utf8) }
}
