import KrakenAuth
import NIOCore

/// The private (account) feed: Kraken's authenticated WebSocket for executions and balances,
/// and the REST API for tokens and reconciliation.
public struct AccountFeedConfiguration: Sendable {
    public var name = "private"
    /// Kraken's WebSocket v2 (default: `executions`, `balances`) or v1 (`ownTrades`,
    /// `openOrders`; v1 has no balances channel, so no balance events). Switching it while the
    /// endpoints are still the previous version's default switches them too.
    public var protocolVersion = ProtocolVersion.v2 {
        didSet {
            if connection.endpoints == [oldValue.authenticatedEndpoint] { connection.endpoints = [protocolVersion.authenticatedEndpoint] }
        }
    }
    /// Endpoints (default Kraken's authenticated v2), deadlines, pacing and backoff.
    public var connection = ConnectionSettings(endpoints: [ProtocolVersion.v2.authenticatedEndpoint])
    public var rest = RESTEndpoint(host: "api.kraken.com", port: 443, secure: true)
    public var credentials: APICredentials
    /// An open order with no news for this long is checked over REST (QueryOrders).
    public var silentOrderAfter: TimeAmount = .seconds(120)
    /// A finished order (filled, canceled, expired) is forgotten this long after its last news,
    /// and so are balance ledger ids; Kraken's later replays of them are recognised by their
    /// time and dropped (`forgotten_order`). Keeps memory flat on a busy account.
    public var forgetFinishedOrdersAfter: TimeAmount = .seconds(3_600)
    public var restTimeout: TimeAmount = .seconds(10)
    /// The token request's own, shorter deadline: the connection waits for it, so a REST call
    /// that hangs is given up quickly and the next connection attempt asks again (with backoff).
    public var tokenTimeout: TimeAmount = .seconds(2)

    public init(credentials: APICredentials) {
        self.credentials = credentials
    }

    func validate() throws(FeedConfigurationError) {
        try connection.validate()
        guard silentOrderAfter > .zero, restTimeout > .zero, tokenTimeout > .zero, forgetFinishedOrdersAfter > .zero else {
            throw FeedConfigurationError(
                description: "silent-order period, REST timeout, token timeout and finished-order retention must be positive")
        }
    }
}
