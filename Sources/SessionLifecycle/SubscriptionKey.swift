/// Names one subscription the way Kraken routes data — by channel and symbol, never by the
/// deprecated v1 `channelID` (kraken-protocol.md §2.2). Channel variants such as a book depth or
/// an ohlc interval belong in `channel` (`book-10`, `ohlc-5`) when they must be told apart.
public struct SubscriptionKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var channel: String
    public var symbol: String

    public init(channel: String, symbol: String) {
        self.channel = channel
        self.symbol = symbol
    }

    public static func < (lhs: SubscriptionKey, rhs: SubscriptionKey) -> Bool {
        (lhs.channel, lhs.symbol) < (rhs.channel, rhs.symbol)
    }

    public var description: String { "\(channel):\(symbol)" }
}
