import AccountJournal
import BridgeMetrics
import BusPublishing
import ControlPlane
import KrakenFeed
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import SessionLifecycle
import WireFormat
import ZeroMQ
import ZeroMQHub

/// Owns a bridge's lifetimes: the ZeroMQ hub (market, account and control sockets) and its
/// publisher, the journal, the event-loop thread the feeds run on, the market and private
/// feeds, the control server, and the heartbeats. Start and stop go through here, and so does
/// everything the control socket asks. It is an actor because it owns state that outlives any
/// message; per-message work never passes through it, only through the feeds' event loop.
///
/// Once started, every part runs as a service of one `ServiceGroup` (see `parts`); a graceful
/// shutdown (`stop()`, which `run` calls on SIGTERM or SIGINT) stops serving control requests
/// and heartbeats, closes the Kraken connections, sends what the outbox holds, then closes the
/// journal. `finalDiagnostics` keeps the feeds' last counters for a summary.
public actor BridgeSupervisor {
    /// The bound endpoints (wildcards resolved).
    public nonisolated let marketEndpoint: String
    public nonisolated let accountEndpoint: String
    public nonisolated let controlEndpoint: String
    /// `http://host:port/metrics` when metrics are served.
    public private(set) var metricsEndpoint: String?
    public nonisolated let publisher: BusPublisher
    public nonisolated let configuration: BridgeConfiguration
    /// The Prometheus registry `/metrics` renders (also open to swift-metrics in `run`).
    public nonisolated let metrics: BridgeMetrics

    let hub: ZMQHub
    let market: MarketFeed
    let account: AccountFeed?
    let journal: PrivateJournal?
    private let group: MultiThreadedEventLoopGroup
    private let controlSocket: HubSocketID
    private var controlServer: ControlServer?
    private var metricsServer: MetricsServer?
    private var rateMeter = ChannelRateMeter()
    private var scraped: ScrapedMetrics
    /// The publisher's latency samples are swapped with this buffer (see `recordLatencies`).
    private var latencyBuffer: [Int64] = []
    private var serviceGroup: ServiceGroup?
    /// The group's run, owned here: `stop()` and `waitUntilStopped()` await it.
    private var running: Task<Void, Never>?
    private var stopping = false
    /// The feeds' event loops are shut down (or shutting down): nothing may be submitted to them.
    private var loopsShutDown = false
    /// The bridge stopped without `stop()`: a part ended or failed and took the others down.
    public private(set) var stoppedByItself = false
    /// Every feed's diagnostics as the shutdown began (nil until then).
    public private(set) var finalDiagnostics: [FeedDiagnostics]?

    private init(configuration: BridgeConfiguration, hub: ZMQHub, publisher: BusPublisher, metrics: BridgeMetrics,
                 journal: PrivateJournal?, group: MultiThreadedEventLoopGroup, market: MarketFeed, account: AccountFeed?) {
        self.configuration = configuration
        self.metrics = metrics
        scraped = ScrapedMetrics(registry: metrics.registry)
        self.hub = hub
        self.publisher = publisher
        self.journal = journal
        self.group = group
        self.market = market
        self.account = account
        controlSocket = hub.socket(2)
        marketEndpoint = hub.boundEndpoints[0].first ?? ""
        accountEndpoint = hub.boundEndpoints[1].first ?? ""
        controlEndpoint = hub.boundEndpoints[2].first ?? ""
    }

    /// Opens the journal, binds the bus, starts the feeds, the control server and the
    /// heartbeats. Nothing is left running on failure.
    public static func start(_ configuration: BridgeConfiguration) async throws -> BridgeSupervisor {
        let journal: PrivateJournal?
        do {
            journal = try configuration.journal.map { settings in
                try PrivateJournal(
                    path: settings.path, retention: JournalRetention(maxAge: settings.maxAge, maxEventsPerTopic: settings.maxEventsPerTopic),
                    synchronous: settings.syncEveryCommit ? .full : .normal)
            }
        } catch {
            throw BridgeStartError.journal(path: configuration.journal?.path ?? "", reason: "\(error)")
        }
        let sink = journal.map(JournalSink.init(journal:))
        let hub: ZMQHub
        do {
            hub = try await ZMQHub.start(Self.hubConfiguration(configuration))
        } catch let error as ZMQError {
            try? journal?.close()
            throw BridgeStartError.bind(error, configured: [configuration.marketBind, configuration.accountBind, configuration.controlBind])
        } catch {
            try? journal?.close()
            throw error
        }
        let publisher: BusPublisher
        let metrics = BridgeMetrics()
        do {
            publisher = BusPublisher(
                hub: hub, marketSocket: hub.socket(0), accountSocket: hub.socket(1), flags: configuration.simulated ? [.simulated] : [],
                journal: sink, continuing: try sink?.lastSequences() ?? [:], keepsLatencySamples: true)
        } catch {
            await hub.shutdown()
            try? journal?.close()
            throw error
        }
        // The market and private feeds get a loop each, so a private event's journal fsync never
        // holds up market data.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.account == nil ? 1 : 2)
        var market: MarketFeed?
        let supervisor: BridgeSupervisor
        do {
            market = try await MarketFeed.start(configuration.market, publisher: publisher, on: group.next())
            var account: AccountFeed?
            if let accountConfiguration = configuration.account {
                account = try await AccountFeed.start(
                    accountConfiguration, publisher: publisher, on: group.next(), restoring: try journal?.publishedReports() ?? [])
            }
            supervisor = BridgeSupervisor(
                configuration: configuration, hub: hub, publisher: publisher, metrics: metrics, journal: journal, group: group,
                market: market!, account: account)
        } catch {
            try? await market?.stop()
            await hub.shutdown()
            try? await group.shutdownGracefully()
            try? journal?.close()
            throw error
        }
        // From here the supervisor owns everything: a failure stops it once, through `stop()`
        // (stopping the parts a second time hung on the event loops already shut down). The
        // metrics port is bound before the services start, so that serving it is one of them.
        var metricsFailure: BridgeStartError?
        if let bind = configuration.metricsBind {
            do {
                try await supervisor.bindMetrics(host: bind.host, port: bind.port)
            } catch {
                let address = bind.host.contains(":") ? "[\(bind.host)]:\(bind.port)" : "\(bind.host):\(bind.port)"
                metricsFailure = BridgeStartError.metrics(address: address, reason: BridgeStartError.reason(error))
            }
        }
        await supervisor.startServices()
        if let metricsFailure {
            await supervisor.stop()
            throw metricsFailure
        }
        return supervisor
    }

    /// Market and account PUB sockets, then the control ROUTER; CURVE with a ZAP domain per
    /// endpoint when security is configured.
    static func hubConfiguration(_ configuration: BridgeConfiguration) -> HubConfiguration {
        let security = configuration.security
        func curve(_ endpoint: BusSecurity.Endpoint) -> CurveSecurity? {
            security.map { .server(secretKey: $0.serverKeys.secretKey, zapDomain: endpoint.rawValue) }
        }
        let allowlist = ZAPAllowlist()
        for client in security?.clients ?? [] { allowlist.allow(client.key, as: client.name, on: client.endpoint.rawValue) }
        // Subscriptions are counted by the hub and read by no one here: only control requests
        // go on the inbound stream, so no flood of subscriptions can crowd them out.
        var market = HubSocketSpec.publisher(name: "market", bind: [configuration.marketBind], curve: curve(.market))
        var account = HubSocketSpec.publisher(name: "account", bind: [configuration.accountBind], curve: curve(.account))
        market.deliversSubscriptions = false
        account.deliversSubscriptions = false
        // A market header's publish time is the moment of zmq_send, not of the hand-off. Account
        // frames keep the time they were journaled and queued: a replay from the journal must be
        // the published frame byte for byte (but for its replay flag).
        market.sendTimestamp = SendTimestampField(frame: 1, byteOffset: FrameHeader.publishTimestampOffset)
        var hub = HubConfiguration(
            sockets: [market, account, .control(name: "control", bind: [configuration.controlBind], curve: curve(.control))],
            allowlist: allowlist)
        hub.idleSpin = configuration.busIdleSpin
        return hub
    }

    // MARK: operations (also reached through the control socket)

    /// Every feed's diagnostics: market first, then private.
    public func diagnostics() async throws -> [FeedDiagnostics] {
        // The feeds answer on their event loops; once those are shut down there is no one to ask
        // (and NIO reports every attempt to schedule on them).
        guard !loopsShutDown else { throw BridgeStopped() }
        var all = [try await market.diagnostics()]
        if let account { all.append(try await account.diagnostics()) }
        return all
    }

    /// The control socket's diagnostics reply.
    public func diagnosticsReport() async throws -> KBDiagnostics {
        KBDiagnostics(try await diagnosticsInputs())
    }

    private func diagnosticsInputs() async throws -> DiagnosticsInputs {
        let feeds = try await diagnostics()
        let statistics = try? journal?.statistics()
        return DiagnosticsInputs(
            feeds: feeds, bus: publisher.counters, latency: publisher.latency, hub: hub.counters(),
            journal: statistics.map { ($0.events, $0.bytes) }, rates: rateMeter.rates(),
            control: controlServer?.counters.diagnosticCounters ?? [:])
    }

    /// The Prometheus exposition: the diagnostics copied into the registry, then rendered by
    /// swift-prometheus.
    public func metricsText() async -> String {
        recordLatencies()
        guard let inputs = try? await diagnosticsInputs() else { return "# the bridge is stopping\n" }
        let health = KBHealth(feeds: inputs.feeds, bus: inputs.bus, journalError: publisher.lastJournalError)
        scraped.record(inputs, healthy: health.healthy, sockets: ["market", "account", "control"])
        return metrics.exposition()
    }

    /// What the metrics endpoint answers: `/metrics` the exposition; `/healthz` whether the
    /// process is alive and not stopping (liveness); `/readyz` whether every feed is active with
    /// every pair it was given and every private event was journaled (readiness), with the
    /// problems otherwise.
    func httpAnswer(path: String) async -> MetricsServer.Answer? {
        switch path {
        case "/metrics":
            return MetricsServer.Answer(status: .ok, contentType: "text/plain; version=0.0.4", body: await metricsText())
        case "/healthz":
            return stopping ? .text("stopping\n", status: .serviceUnavailable) : .text("ok\n")
        case "/readyz":
            guard !stopping, let health = try? await health() else { return .text("stopping\n", status: .serviceUnavailable) }
            return health.healthy ? .text("ready\n") : .text(health.problems.map { $0 + "\n" }.joined(), status: .serviceUnavailable)
        default:
            return nil
        }
    }

    /// Moves the latencies published since the last call into the Prometheus histogram (every
    /// 250 ms and before each scrape), off the event loops.
    private func recordLatencies() {
        let unrecorded = publisher.takeLatencySamples(into: &latencyBuffer)
        metrics.recordLatencies(latencyBuffer, unrecorded: unrecorded)
    }

    private func bindMetrics(host: String, port: Int) async throws {
        let server = try await MetricsServer.bind(host: host, port: port, group: group)
        metricsServer = server
        metricsEndpoint = "http://\(host.contains(":") ? "[\(host)]" : host):\(server.port)/metrics"
    }

    private func serveMetrics() async {
        guard let server = metricsServer else { return }
        await server.serve { [weak self] path in
            guard let self else { return .text("stopping\n", status: .serviceUnavailable) }
            return await self.httpAnswer(path: path)
        }
    }

    public func health() async throws -> KBHealth {
        KBHealth(feeds: try await diagnostics(), bus: publisher.counters, journalError: publisher.lastJournalError)
    }

    public func addPairs(_ symbols: [String]) async throws -> PairChange { try await market.add(symbols: symbols) }
    public func removePairs(_ symbols: [String]) async throws -> PairChange { try await market.remove(symbols: symbols) }
    public func pairs() async throws -> [String] { try await market.symbols() }

    /// Every topic's state under `prefix` (Clone pattern): books from their keepers, other
    /// topics' last values, each at the sequence it reflects, ordered by topic.
    public func snapshot(prefix: [UInt8]) async throws -> [BusFrame] {
        let books = try await market.bookStates(prefix: prefix)
        return (books + publisher.lastValues(prefix: prefix)).sorted { $0.topic.bytes.lexicographicallyPrecedes($1.topic.bytes) }
    }

    /// Shuts the bridge down gracefully (every part, in order) and returns when it has. Idempotent;
    /// later callers wait for the same shutdown.
    public func stop() async {
        stopping = true
        await serviceGroup?.triggerGracefulShutdown()
        await running?.value
    }

    /// Returns when the bridge has stopped, whatever stopped it (`stop()`, a signal, a part that
    /// failed).
    public func waitUntilStopped() async {
        await running?.value
    }

    /// The parts in start order; the group shuts them down in the reverse order.
    private func parts() -> [LifecyclePart] {
        let hub = hub
        let group = group
        let market = market
        let account = account
        let publisher = publisher
        var parts = [
            LifecyclePart("journal") { [journal] in await self.waitForPruning(); try? journal?.close() },
            // Sends what the outbox holds (the hub thread drains it before it stops).
            LifecyclePart("bus") { await hub.shutdown() },
            LifecyclePart("event loops") {
                await self.markLoopsShutDown()
                try? await group.shutdownGracefully()
            },
            // Closes the Kraken connection with 1000 (normal closure).
            LifecyclePart("market feed") { try? await market.stop() },
        ]
        if let account { parts.append(LifecyclePart("private feed") { try? await account.stop() }) }
        parts.append(LifecyclePart("control server", shutDown: { await self.dropControlServer() }, work: { await self.serveControlRequests() }))
        let started = UnixTime.nanoseconds()
        let interval = configuration.heartbeatInterval
        parts.append(LifecyclePart("service heartbeat", work: { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await self?.beat(startedNs: started)
            }
        }))
        let idleNs = Int64(configuration.topicHeartbeatAfter.components.seconds) * 1_000_000_000
            + configuration.topicHeartbeatAfter.components.attoseconds / 1_000_000_000
        parts.append(LifecyclePart("latency histogram", work: { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                await self?.recordLatencies()
            }
        }))
        parts.append(LifecyclePart("topic heartbeats", work: {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                publisher.publishIdleHeartbeats(idleNs: idleNs)
            }
        }))
        if metricsServer != nil {
            parts.append(LifecyclePart("metrics server", shutDown: { await self.closeMetrics() }, work: { await self.serveMetrics() }))
        }
        // Shut down first: the feeds' counters while they still answer.
        parts.append(LifecyclePart("final diagnostics") { await self.keepFinalDiagnostics() })
        return parts
    }

    private func startServices() {
        controlServer = ControlServer(
            handler: BridgeControlHandler(supervisor: self),
            policy: configuration.security.map { .secured(operators: $0.operators) } ?? .open)
        var lifecycleLogger = Logger(label: "krakenbridge.lifecycle")
        lifecycleLogger.logLevel = max(lifecycleLogger.logLevel, .warning)
        var groupConfiguration = ServiceGroupConfiguration(
            services: parts().map { part in
                // A part that ends or fails by itself takes the whole bridge down, in order.
                .init(service: part, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
            },
            logger: lifecycleLogger)
        // A part stuck in its shutdown is cancelled after this long (a second signal to `run`
        // exits at once anyway).
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(15)
        let serviceGroup = ServiceGroup(configuration: groupConfiguration)
        self.serviceGroup = serviceGroup
        running = Task {
            do {
                try await serviceGroup.run()
            } catch {
                lifecycleLogger.error("a part of the bridge failed: \(error)")
            }
            if !stopping {
                stoppedByItself = true
                lifecycleLogger.error("the bridge stopped by itself: a part of it ended (see above)")
            }
        }
    }

    /// Serves the control socket until cancelled: requests from the hub's inbound stream go to
    /// the control server, and its replies back through the hub.
    private func serveControlRequests() async {
        guard let server = controlServer else { return }
        // As deep as the hub's own inbound buffer: a flood from one client is answered quickly
        // (its requests over the per-client bound are refused at once), so others' requests
        // behind it wait a moment instead of being refused for a full queue.
        let (requests, continuation) = AsyncStream.makeStream(of: IncomingControlRequest.self, bufferingPolicy: .bufferingOldest(10_000))
        let hub = hub
        let controlSocket = controlSocket
        await withDiscardingTaskGroup { tasks in
            tasks.addTask {
                await server.run(requests: requests) { envelope, reply in hub.reply(on: controlSocket, envelope: envelope, body: reply) }
            }
            tasks.addTask {
                // Only control requests come here (the publishers deliver no subscriptions).
                for await item in hub.inbound {
                    guard case .message(let socket, let message) = item, socket == controlSocket, let routingID = message.frames.first
                    else { continue }
                    // A DEALER that sends no empty delimiter gets its reply without one, too.
                    let (envelope, body) = RouterEnvelope.split(message.frames) ?? ([routingID], Array(message.frames.dropFirst()))
                    // A flood the server cannot even queue is still answered, never dropped silently.
                    if case .dropped = continuation.yield(IncomingControlRequest(envelope: envelope, bodyFrames: body, userID: message.userID)) {
                        hub.reply(on: controlSocket, envelope: envelope, body: server.overloadedReply(bodyFrames: body))
                    }
                }
                continuation.finish()
            }
        }
    }

    /// The handler holds this actor; dropping the server breaks the cycle.
    private func dropControlServer() {
        controlServer = nil
    }

    private func markLoopsShutDown() {
        loopsShutDown = true
    }

    private func keepFinalDiagnostics() async {
        finalDiagnostics = try? await diagnostics()
    }

    /// After `serveMetrics` ended (it closed the listener) or never ran.
    private func closeMetrics() async {
        await metricsServer?.close()
        metricsServer = nil
    }

    private func waitForPruning() async {
        await pruning?.value
    }

    /// One service heartbeat: `hb:` with every feed's health, a rate sample, and (hourly) the
    /// journal's retention.
    private func beat(startedNs: Int64) async {
        guard !stopping, let feeds = try? await diagnostics() else { return }
        let now = UnixTime.nanoseconds()
        var beat = KBServiceHeartbeat()
        beat.startedNs = startedNs
        beat.uptimeNs = now - startedNs
        beat.version = "krakenbridge"
        beat.feeds = feeds.map { diagnostics in
            var health = KBFeedHealth()
            health.feed = diagnostics.name
            health.lastMessageNs = diagnostics.lastFrameNs
            health.stale = diagnostics.state != .active
            health.state = KBConnectionState(rawValue: diagnostics.state.wireValue) ?? .unspecified
            return health
        }
        publisher.publish(beat, on: .serviceHeartbeat, receivedNs: 0)
        rateMeter.record(Self.channelTotals(feeds), atNs: now)
        if let journal, now - lastPruneNs >= 3_600_000_000_000 {
            lastPruneNs = now
            // Off the actor: a large first prune must not hold up control requests. Owned:
            // each prune waits for the one before, and shutdown waits for the last before it
            // closes the journal.
            let previous = pruning
            pruning = Task.detached(priority: .background) {
                await previous?.value
                _ = try? journal.prune(nowNs: now)
            }
        }
    }

    private var lastPruneNs = UnixTime.nanoseconds()
    private var pruning: Task<Void, Never>?

    /// Cumulative messages per channel over every feed; every channel is listed, with 0 when
    /// nothing came.
    static func channelTotals(_ feeds: [FeedDiagnostics]) -> [String: UInt64] {
        var totals: [String: UInt64] = [:]
        for feed in feeds {
            let counters = feed.counters
            totals["book", default: 0] += counters.bookUpdates + counters.bookSnapshots
            totals["trade", default: 0] += counters.trades
            totals["ticker", default: 0] += counters.tickers
            totals["ohlc", default: 0] += counters.candles
            totals["status", default: 0] += counters.statusEvents
            totals["executions", default: 0] += counters.executionReports
            totals["fills", default: 0] += counters.fills
            totals["balances", default: 0] += counters.balanceEvents
        }
        return totals
    }
}

/// The bridge has stopped: its feeds can no longer be asked.
public struct BridgeStopped: Error, CustomStringConvertible {
    public var description: String { "the bridge has stopped" }
}
