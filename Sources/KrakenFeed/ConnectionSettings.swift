import NIOCore

/// How one Kraken WebSocket connection is made and kept healthy; shared by every feed kind.
public struct ConnectionSettings: Sendable {
    /// Tried in order; a failing endpoint is skipped while its circuit breaker is open.
    public var endpoints: [FeedEndpoint]
    /// Frames larger than this end the connection (counted, then reconnect and resync).
    public var maxFrameSize = 4 << 20
    public var connectTimeout: TimeAmount = .seconds(5)
    /// From TCP connect to the feed's first answer (instrument snapshot, token + acks); a server
    /// that upgrades but never speaks is dropped.
    public var handshakeTimeout: TimeAmount = .seconds(10)
    /// No frame at all (not even a heartbeat) for this long: the connection is presumed dead.
    public var staleAfter: TimeAmount = .seconds(10)
    /// A subscribe request unanswered for this long means the server is not usable: reconnect.
    public var ackDeadline: TimeAmount = .seconds(10)
    /// A subscription with no data for this long while heartbeats still arrive is reported to
    /// the feed, which verifies it (books: fresh snapshot); a quiet market is never a dead one.
    public var quietAfter: TimeAmount = .seconds(60)
    /// Subscribe/unsubscribe pacing: a burst, then one request per interval (Kraken publishes no
    /// rate for public channels; this stays far below what gets `Exceeded msg rate`).
    public var requestBurst = 10
    public var requestInterval: TimeAmount = .milliseconds(200)
    /// Kraken's application-level ping (and a WebSocket ping) this often, while subscribing or
    /// active.
    public var pingInterval: TimeAmount = .seconds(5)
    /// A ping of either kind unanswered for this long replaces the connection: it may still send
    /// heartbeats, but nothing behind it answers. With the interval, a stuck connection is
    /// replaced within about ten seconds however quiet the market is. Half of it unanswered
    /// already makes the feed suspect (health).
    public var pongDeadline: TimeAmount = .seconds(5)
    /// Reconnect backoff: full jitter between 0 and min(cap, base × 2^attempt).
    public var backoffBase: TimeAmount = .milliseconds(250)
    public var backoffCap: TimeAmount = .seconds(30)
    /// A CA file to trust instead of the system's roots (the simulator's `ca.pem`).
    public var trustedCAFile: String?

    public init(endpoints: [FeedEndpoint]) {
        self.endpoints = endpoints
    }

    func validate() throws(FeedConfigurationError) {
        guard !endpoints.isEmpty else { throw FeedConfigurationError(description: "no endpoints") }
        guard maxFrameSize >= 4_096 else { throw FeedConfigurationError(description: "max frame size below 4096 bytes") }
        guard requestBurst >= 1 else { throw FeedConfigurationError(description: "request burst must be ≥ 1") }
        for (name, value) in [("stale-after", staleAfter), ("ack deadline", ackDeadline), ("quiet period", quietAfter),
                              ("handshake timeout", handshakeTimeout), ("connect timeout", connectTimeout),
                              ("ping interval", pingInterval), ("pong deadline", pongDeadline)] where value <= .zero {
            throw FeedConfigurationError(description: "\(name) must be positive")
        }
    }
}
