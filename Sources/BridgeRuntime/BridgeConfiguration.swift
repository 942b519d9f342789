import KrakenFeed

/// Everything one bridge process runs: the market feed, optionally the private feed, the bus
/// endpoints they publish on, the control socket, security and the private-event journal.
public struct BridgeConfiguration: Sendable {
    public var market: MarketFeedConfiguration
    /// nil: no API credentials, no private feed.
    public var account: AccountFeedConfiguration?
    /// PUB endpoints (tcp://host:port, tcp://127.0.0.1:* for any port, ipc://path).
    public var marketBind: String
    public var accountBind: String
    /// The control ROUTER (REQ/DEALER clients).
    public var controlBind: String
    /// Prometheus text on `http://HOST:PORT/metrics` (port 0: any free port); nil: none.
    public var metricsBind: (host: String, port: Int)?
    /// CURVE on every endpoint with per-endpoint allowlists; nil: plain (keep to loopback).
    public var security: BusSecurity?
    /// Where private events are made durable before publishing; nil: no journal, no replay.
    public var journal: JournalSettings?
    /// Mark every frame as simulated (running against the simulator).
    public var simulated = false
    /// Every setting `run` resolved, with its source, for `ctl config` (secrets already redacted).
    public var settingsReport: [EffectiveSetting] = []
    /// How often `hb:` carries the service's uptime and every feed's health.
    public var heartbeatInterval: Duration = .seconds(1)
    /// An idle data topic gets a `TopicHeartbeat` after this long.
    public var topicHeartbeatAfter: Duration = .seconds(1)
    /// How long the ZeroMQ thread spins for more work before it sleeps (`HubConfiguration.idleSpin`).
    public var busIdleSpin: Duration = .zero

    public init(market: MarketFeedConfiguration, account: AccountFeedConfiguration? = nil,
                marketBind: String = "tcp://127.0.0.1:5555", accountBind: String = "tcp://127.0.0.1:5556",
                controlBind: String = "tcp://127.0.0.1:5557") {
        self.market = market
        self.account = account
        self.marketBind = marketBind
        self.accountBind = accountBind
        self.controlBind = controlBind
    }
}

/// The private-event journal's file and bounds.
public struct JournalSettings: Sendable, Equatable {
    public var path: String
    /// Events older than this are pruned (nil: kept by age).
    public var maxAge: Duration?
    /// At most this many events per topic are kept (nil: no count bound).
    public var maxEventsPerTopic: Int?
    /// fsync on every commit, so an event that was published survives a power loss too (the
    /// default); false keeps only what a crash of the process cannot take (WAL's NORMAL), and a
    /// power loss may then forget the last events — whose sequence numbers a restart would reuse.
    public var syncEveryCommit = true

    public init(path: String, maxAge: Duration? = .seconds(7 * 86_400), maxEventsPerTopic: Int? = 1_000_000) {
        self.path = path
        self.maxAge = maxAge
        self.maxEventsPerTopic = maxEventsPerTopic
    }
}

/// One resolved setting as `ctl config` shows it: key, value (secrets redacted), source.
public struct EffectiveSetting: Sendable, Equatable {
    public var key: String
    public var value: String
    public var source: String

    public init(key: String, value: String, source: String) {
        self.key = key
        self.value = value
        self.source = source
    }
}
