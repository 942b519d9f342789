import BusPublishing
import KrakenFeed
import NIOCore
import NIOPosix
import SessionLifecycle
import WireFormat
import ZeroMQHub

/// Owns a bridge's lifetimes: the ZeroMQ hub and its publisher, the event-loop thread the
/// feeds run on, the market and private feeds, and the service heartbeat. Start and stop go
/// through here, and so do the operations other services will ask for over the control socket
/// (diagnostics, runtime pairs). It is an actor because it owns state that outlives any
/// message; per-message work never passes through it, only through the feeds' event loop.
public actor BridgeSupervisor {
    /// The bound PUB endpoints (wildcards resolved).
    public nonisolated let marketEndpoint: String
    public nonisolated let accountEndpoint: String
    public nonisolated let publisher: BusPublisher

    private let hub: ZMQHub
    private let group: MultiThreadedEventLoopGroup
    private let market: MarketFeed
    private let account: AccountFeed?
    private var heartbeat: Task<Void, Never>?
    private var stopped = false

    private init(hub: ZMQHub, publisher: BusPublisher, group: MultiThreadedEventLoopGroup, market: MarketFeed, account: AccountFeed?) {
        self.hub = hub
        self.publisher = publisher
        self.group = group
        self.market = market
        self.account = account
        marketEndpoint = hub.boundEndpoints[0].first ?? ""
        accountEndpoint = hub.boundEndpoints[1].first ?? ""
    }

    /// Binds the bus, starts the feeds and the heartbeat. Nothing is left running on failure.
    public static func start(_ configuration: BridgeConfiguration) async throws -> BridgeSupervisor {
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            .publisher(name: "market", bind: [configuration.marketBind]),
            .publisher(name: "account", bind: [configuration.accountBind]),
        ]))
        let publisher = BusPublisher(
            hub: hub, marketSocket: hub.socket(0), accountSocket: hub.socket(1), flags: configuration.simulated ? [.simulated] : [])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var market: MarketFeed?
        do {
            market = try await MarketFeed.start(configuration.market, publisher: publisher, on: group.next())
            var account: AccountFeed?
            if let accountConfiguration = configuration.account {
                account = try await AccountFeed.start(accountConfiguration, publisher: publisher, on: group.next())
            }
            let supervisor = BridgeSupervisor(hub: hub, publisher: publisher, group: group, market: market!, account: account)
            await supervisor.startHeartbeat(every: configuration.heartbeatInterval)
            return supervisor
        } catch {
            try? await market?.stop()
            await hub.shutdown()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Every feed's diagnostics: market first, then private.
    public func diagnostics() async throws -> [FeedDiagnostics] {
        var all = [try await market.diagnostics()]
        if let account { all.append(try await account.diagnostics()) }
        return all
    }

    public func addPairs(_ symbols: [String]) async throws -> PairChange { try await market.add(symbols: symbols) }
    public func removePairs(_ symbols: [String]) async throws -> PairChange { try await market.remove(symbols: symbols) }
    public func pairs() async throws -> [String] { try await market.symbols() }

    /// Stops the heartbeat and the feeds, then closes the bus and the event loop. Idempotent.
    public func stop() async {
        guard !stopped else { return }
        stopped = true
        heartbeat?.cancel()
        try? await market.stop()
        try? await account?.stop()
        await hub.shutdown()
        try? await group.shutdownGracefully()
    }

    private func startHeartbeat(every interval: Duration) {
        let started = UnixTime.nanoseconds()
        heartbeat = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, let feeds = try? await self.diagnostics() else { continue }
                let now = UnixTime.nanoseconds()
                var beat = KBServiceHeartbeat()
                beat.startedNs = started
                beat.uptimeNs = now - started
                beat.version = "krakenbridge"
                beat.feeds = feeds.map { diagnostics in
                    var health = KBFeedHealth()
                    health.feed = diagnostics.name
                    health.lastMessageNs = diagnostics.lastFrameNs
                    health.stale = diagnostics.state != .active
                    health.state = KBConnectionState(rawValue: diagnostics.state.wireValue) ?? .unspecified
                    return health
                }
                self.publisher.publish(beat, on: .serviceHeartbeat, receivedNs: now)
            }
        }
    }
}
