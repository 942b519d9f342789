import NIOCore

/// What one public market-data connection subscribes to, where, and how it stays healthy.
public struct MarketFeedConfiguration: Sendable {
    /// Names the feed in diagnostics, connection topics and status events.
    public var name = "public"
    /// Tried in order; a failing endpoint is skipped while its circuit breaker is open.
    public var endpoints: [FeedEndpoint] = [FeedEndpoint(host: "ws.kraken.com", port: 443, path: "/v2", secure: true)]
    /// v2 symbols (`BTC/USD`).
    public var symbols: [String] = []
    /// Book depth (10, 25, 100, 500 or 1000); nil: no books.
    public var bookDepth: Int? = 10
    public var trades = true
    public var tickers = false
    /// OHLC intervals in minutes (Kraken's set: 1, 5, 15, 30, 60, 240, 1440, 10080, 21600).
    public var ohlcIntervals: [Int] = []
    /// Frames larger than this end the connection (counted, then reconnect and resync).
    public var maxFrameSize = 4 << 20
    public var connectTimeout: TimeAmount = .seconds(5)
    /// From TCP connect to the instrument snapshot; a server that upgrades but never speaks is dropped.
    public var handshakeTimeout: TimeAmount = .seconds(10)
    /// No frame at all (not even a heartbeat) for this long: the connection is presumed dead.
    public var staleAfter: TimeAmount = .seconds(10)
    /// A subscribe request unanswered for this long means the server is not usable: reconnect.
    public var ackDeadline: TimeAmount = .seconds(10)
    /// A book with no update for this long while heartbeats still arrive is verified by
    /// resubscribing (fresh snapshot); a quiet market is never treated as a dead one.
    public var bookQuietAfter: TimeAmount = .seconds(60)
    /// Subscribe/unsubscribe pacing: a burst, then one request per interval (Kraken publishes no
    /// rate for public channels; this stays far below what gets `Exceeded msg rate`).
    public var requestBurst = 10
    public var requestInterval: TimeAmount = .milliseconds(200)
    /// Kraken's application-level ping (and a WebSocket ping) this often.
    public var pingInterval: TimeAmount = .seconds(15)
    /// Reconnect backoff: full jitter between 0 and min(cap, base × 2^attempt).
    public var backoffBase: TimeAmount = .milliseconds(250)
    public var backoffCap: TimeAmount = .seconds(30)
    /// A CA file to trust instead of the system's roots (the simulator's `ca.pem`).
    public var trustedCAFile: String?
    /// Symbols per subscribe request when (re)subscribing many pairs.
    public var symbolsPerRequest = 50

    public init() {}
}
