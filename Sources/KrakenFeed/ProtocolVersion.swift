/// Which of Kraken's two WebSocket APIs a feed speaks. Downstream it makes no difference: both
/// publish the same frames on the same topics, pairs named the v2 way (`BTC/USD`).
public enum ProtocolVersion: String, Sendable, CaseIterable {
    /// `wss://ws.kraken.com/v2`: objects, `instrument` precisions, `executions` and `balances`.
    case v2
    /// `wss://ws.kraken.com/`: arrays with v1 pair names (`XBT/USD`), precisions and names from
    /// REST AssetPairs, `ownTrades` and `openOrders`, no balances channel.
    case v1

    /// Kraken's public endpoint for this version.
    public var publicEndpoint: FeedEndpoint {
        FeedEndpoint(host: "ws.kraken.com", port: 443, path: self == .v2 ? "/v2" : "/", secure: true)
    }

    /// Kraken's authenticated endpoint for this version.
    public var authenticatedEndpoint: FeedEndpoint {
        FeedEndpoint(host: "ws-auth.kraken.com", port: 443, path: self == .v2 ? "/v2" : "/", secure: true)
    }
}
