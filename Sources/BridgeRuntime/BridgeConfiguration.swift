import KrakenFeed

/// Everything one bridge process runs: the market feed, optionally the private feed, and the
/// bus endpoints they publish on.
public struct BridgeConfiguration: Sendable {
    public var market: MarketFeedConfiguration
    /// nil: no API credentials, no private feed.
    public var account: AccountFeedConfiguration?
    /// PUB endpoints (tcp://host:port, tcp://127.0.0.1:* for any port, ipc://path).
    public var marketBind: String
    public var accountBind: String
    /// Mark every frame as simulated (running against the simulator).
    public var simulated = false
    /// How often `hb:` carries the service's uptime and every feed's health.
    public var heartbeatInterval: Duration = .seconds(1)

    public init(market: MarketFeedConfiguration, account: AccountFeedConfiguration? = nil,
                marketBind: String = "tcp://127.0.0.1:5555", accountBind: String = "tcp://127.0.0.1:5556") {
        self.market = market
        self.account = account
        self.marketBind = marketBind
        self.accountBind = accountBind
    }
}
