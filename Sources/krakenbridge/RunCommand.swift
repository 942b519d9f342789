import ArgumentParser
import BridgeMetrics
import BridgeRuntime
import BusPublishing
import CoreMetrics
import Foundation
import KrakenAuth
import KrakenFeed
import Logging
import NIOCore
import SessionLifecycle
import WireFormat
import ZeroMQ

/// Runs the bridge: a Kraken market-data feed (WebSocket v2, or v1 with `--protocol v1`) kept
/// exact and republished as bus frames.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the bridge: Kraken WebSocket → exact books → frames on ZeroMQ.",
        discussion: """
            Connects to Kraken's public WebSocket v2 (default wss://ws.kraken.com/v2; give --ws-url
            several times for failover, in order), reads the pairs' precisions from the instrument
            channel, subscribes books (checksum verified on every update), trades, and optionally
            tickers and candles, and publishes them on the market PUB endpoint.
            --protocol v1 speaks Kraken's WebSocket v1 instead (default wss://ws.kraken.com/ and
            wss://ws-auth.kraken.com/): names and precisions come from REST AssetPairs at every
            connect, pairs are still given and published as v2 symbols (BTC/USD), and the frames
            downstream are the same; v1 has no balances channel, so no balance: events.
            A control ROUTER (--control-bind) answers subscribe, add_pair, diagnostics, snapshot,
            replay and config requests in protobuf or JSON (docs/control.md); private events are
            journaled (--journal-path) before they are published. Topics: book:SYMBOL:DEPTH:,
            trade:SYMBOL:, ticker:SYMBOL:, ohlc:SYMBOL:MINUTES:, instrument:SYMBOL:, status:,
            conn:FEED:, hb: (docs/wire-format.md). On start one JSON line with the bound endpoints goes
            to stdout, e.g. {"account":"tcp://127.0.0.1:5556","control":"tcp://127.0.0.1:5557","market":"tcp://127.0.0.1:5555"}.
            With API credentials (--api-key-file and --api-secret-file, or the environment variables
            KRAKEN_API_KEY and KRAKEN_API_SECRET) the private feed runs too: a fresh token from REST
            per connect, executions and balances on the account PUB endpoint (exec:, fill:,
            balance:), every execution exactly once, gaps and reconnects reconciled over REST.
            The secret is never printed.
            Against the simulator: --ws-url ws://127.0.0.1:8790/v2 --auth-ws-url ws://127.0.0.1:8791/v2
            --rest-url http://127.0.0.1:8792 --simulated (the simulator's demo key is in docs/simulator.md);
            over v1 the same with --protocol v1 and the paths / instead of /v2.
            """)

    @Option(name: .customLong("protocol"), help: "Kraken WebSocket API version: v2 or v1 (same frames downstream).")
    var protocolName = ProtocolVersion.v2.rawValue

    @Option(name: .customLong("ws-url"), help: """
        Kraken WebSocket URL (default wss://ws.kraken.com/v2, with --protocol v1 wss://ws.kraken.com/); \
        repeat for failover endpoints, tried in order.
        """)
    var wsURLs: [String] = []

    @Option(name: .customLong("auth-ws-url"), help: """
        Kraken authenticated WebSocket URL (default wss://ws-auth.kraken.com/v2, with --protocol v1 \
        wss://ws-auth.kraken.com/); repeat for failover.
        """)
    var authWSURLs: [String] = []

    @Option(name: .customLong("rest-url"), help: "Kraken REST base URL (tokens, reconciliation, AssetPairs).")
    var restURL = "https://api.kraken.com"

    @OptionGroup var account: CredentialOptions

    @OptionGroup var subscriptions: SubscriptionOptions

    @Option(help: "Market-data PUB endpoint (tcp://host:port, tcp://127.0.0.1:* for any port, ipc://path).")
    var marketBind = "tcp://127.0.0.1:5555"

    @Option(help: "Account PUB endpoint (private events).")
    var accountBind = "tcp://127.0.0.1:5556"

    @Option(help: "Control ROUTER endpoint (REQ/DEALER clients; docs/control.md).")
    var controlBind = "tcp://127.0.0.1:5557"

    @Option(help: "Serve Prometheus metrics on HOST:PORT at /metrics (e.g. 127.0.0.1:9464; port 0: any free port).")
    var metricsBind: String?

    @Option(help: "SQLite journal of private events (replay, sequences across restarts); created if missing.")
    var journalPath = "krakenbridge-journal.sqlite"

    @Flag(help: "Run without a journal (no replay; private sequences restart at 1).")
    var noJournal = false

    @Option(help: "Journal retention: hours an event is kept.")
    var journalMaxAgeHours = 168

    @Option(help: "Journal retention: events kept per topic.")
    var journalMaxEvents = 1_000_000

    @Option(help: "Journal durability: full (fsync per event, survives power loss) or normal (survives a crash of the process).")
    var journalSync = "full"

    @Option(help: "The server's secret CURVE key file (from `krakenbridge keygen`); enables CURVE on every endpoint.")
    var curveSecretKeyFile: String?

    @Option(help: "CURVE allowlist: lines of `ENDPOINT PUBLIC-KEY NAME [operator]` (ENDPOINT: market, account, control).")
    var curveAllowlist: String?

    @Option(help: "Also publish the best N levels of each book on top:SYMBOL:N: (0: off).")
    var bookTop = 0

    @Option(help: "At most one top:SYMBOL:N: message per symbol this often (milliseconds).")
    var bookTopIntervalMs = 100

    @Option(help: "Trust this CA file instead of the system's roots (the simulator's ca.pem).")
    var caFile: String?

    @Flag(help: "Mark every frame as simulated (use against the simulator).")
    var simulated = false

    @Option(help: "Largest WebSocket frame accepted from Kraken, in bytes.")
    var maxFrameSize = 4 << 20

    @OptionGroup var logging: LoggingOptions

    /// Testing aid: a shutdown that takes this long, so a second signal can be sent during it.
    @Option(help: .hidden)
    var shutdownDelayMs = 0

    @Option(help: "Seconds a finished order (and a balance ledger id) is remembered; Kraken's later replays of it are recognised by their time.")
    var finishedOrderRetention = 3_600

    @Option(help: "Seconds between diagnostics lines on stderr (0: none).")
    var statsInterval = 10

    func validate() throws {
        guard ProtocolVersion(rawValue: protocolName) != nil else { throw ValidationError("--protocol must be v2 or v1") }
        guard statsInterval >= 0 else { throw ValidationError("--stats-interval must be ≥ 0") }
        guard finishedOrderRetention >= 60 else {
            throw ValidationError("--finished-order-retention must be at least 60 seconds (Kraken replays recent trades after every reconnect)")
        }
        for url in wsURLs where FeedEndpoint(url: url) == nil { throw ValidationError("--ws-url '\(url)' is not ws:// or wss://") }
        for url in authWSURLs where FeedEndpoint(url: url) == nil { throw ValidationError("--auth-ws-url '\(url)' is not ws:// or wss://") }
        guard RESTEndpoint(url: restURL) != nil else { throw ValidationError("--rest-url '\(restURL)' is not http(s)://host[:port]") }
        guard (curveSecretKeyFile == nil) == (curveAllowlist == nil) else {
            throw ValidationError("--curve-secret-key-file and --curve-allowlist go together")
        }
        if let metricsBind { _ = try Self.hostAndPort(metricsBind) }
        guard journalMaxAgeHours > 0, journalMaxEvents > 0 else { throw ValidationError("journal retention must be positive") }
        guard ["full", "normal"].contains(journalSync) else { throw ValidationError("--journal-sync must be full or normal") }
        guard bookTop >= 0, bookTopIntervalMs >= 0 else { throw ValidationError("--book-top and --book-top-interval-ms must be ≥ 0") }
    }

    func run() async throws {
        logging.bootstrap()
        // Status lines go through the log too, so a JSON log stays JSON from the first line.
        let status = Logger(label: "krakenbridge.run")
        let signals = await TerminationSignals.trap(for: "run") { status.notice("\($0)") }
        let protocolVersion = ProtocolVersion(rawValue: protocolName) ?? .v2
        let rest = RESTEndpoint(url: restURL)!
        var market = MarketFeedConfiguration()
        // The version first: it brings its own default endpoints.
        market.protocolVersion = protocolVersion
        if !wsURLs.isEmpty { market.connection.endpoints = wsURLs.compactMap(FeedEndpoint.init(url:)) }
        market.rest = rest
        market.symbols = subscriptions.symbols
        market.bookDepth = subscriptions.bookDepth == 0 ? nil : subscriptions.bookDepth
        market.trades = subscriptions.trades
        market.tickers = subscriptions.tickers
        market.ohlcIntervals = try subscriptions.intervals()
        market.connection.trustedCAFile = caFile
        market.connection.maxFrameSize = maxFrameSize
        if bookTop > 0 { market.bookTop = BookTopSettings(levels: bookTop, minimumIntervalNs: Int64(bookTopIntervalMs) * 1_000_000) }
        var configuration = BridgeConfiguration(market: market, marketBind: marketBind, accountBind: accountBind, controlBind: controlBind)
        configuration.simulated = simulated
        configuration.security = try security()
        configuration.metricsBind = try metricsBind.map(Self.hostAndPort)
        if let credentials = try account.credentials() {
            var account = AccountFeedConfiguration(credentials: credentials)
            account.protocolVersion = protocolVersion
            if !authWSURLs.isEmpty { account.connection.endpoints = authWSURLs.compactMap(FeedEndpoint.init(url:)) }
            account.connection.trustedCAFile = caFile
            account.connection.maxFrameSize = maxFrameSize
            account.rest = rest
            account.forgetFinishedOrdersAfter = .seconds(Int64(finishedOrderRetention))
            configuration.account = account
        }

        // Private events only: without credentials there is nothing to journal.
        if !noJournal, configuration.account != nil {
            var journal = JournalSettings(
                path: journalPath, maxAge: .seconds(journalMaxAgeHours * 3_600), maxEventsPerTopic: journalMaxEvents)
            journal.syncEveryCommit = journalSync == "full"
            configuration.journal = journal
        }

        let bridge: BridgeSupervisor
        do {
            bridge = try await BridgeSupervisor.start(configuration)
        } catch let error as BridgeStartError {
            throw StartupFailure(error, binds: [("--market-bind", marketBind), ("--account-bind", accountBind), ("--control-bind", controlBind)])
        }
        // Anything in the process that reports through swift-metrics lands on the same /metrics.
        MetricsSystem.bootstrap(bridge.metrics.factory)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var endpoints = ["market": bridge.marketEndpoint, "account": bridge.accountEndpoint, "control": bridge.controlEndpoint]
        endpoints["metrics"] = await bridge.metricsEndpoint
        printLine(String(decoding: try encoder.encode(endpoints), as: UTF8.self))
        let summary: String = "\(market.symbols.count) pairs from \(market.connection.endpoints.map(\.description).joined(separator: ", ")) "
            + "(WebSocket \(protocolVersion.rawValue)); "
            + "market data on \(bridge.marketEndpoint), account on \(bridge.accountEndpoint), control on \(bridge.controlEndpoint); "
            + (configuration.security == nil ? "no CURVE; " : "CURVE on every endpoint; ")
            + (configuration.journal.map { "journal \($0.path); " } ?? "no journal; ")
            + (configuration.account.map { "private feed for key \($0.credentials.key.prefix(4))…" } ?? "no API credentials, so no private feed")
        status.notice("\(summary)")
        let statsEvery = statsInterval
        let stats = Task { await Self.printStatistics(of: bridge, every: statsEvery, to: status) }
        defer { stats.cancel() }
        let shutdownDelay = Duration.milliseconds(shutdownDelayMs)
        try await signals.run(until: { await bridge.waitUntilStopped() }, stop: {
            if shutdownDelay > .zero { try? await Task.sleep(for: shutdownDelay) }
            await bridge.stop()
        })
        // A bridge that stopped by itself must not look like a clean stop to a supervisor that
        // restarts on failure.
        if await bridge.stoppedByItself { throw ExitCode.failure }
        if let counters = await bridge.finalDiagnostics?.first?.counters {
            let totals: String = "\(counters.frames) Kraken frames, \(counters.bookUpdates) book updates, "
                + "\(counters.checksumFailures) checksum failures, \(counters.reconnections) reconnections"
            status.notice("stopped; \(totals)")
        }
    }

    /// One diagnostics line per feed on stderr every `seconds` (0: never).
    private static func printStatistics(of bridge: BridgeSupervisor, every seconds: Int, to status: Logger) async {
        guard seconds > 0 else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(seconds))
            guard let feeds = try? await bridge.diagnostics() else { continue }
            let bus = bridge.publisher.counters
            for diagnostics in feeds {
                let counters = diagnostics.counters
                let line: String = "\(diagnostics.name) \(diagnostics.state.rawValue) \(diagnostics.endpoint); frames \(counters.frames), "
                    + "book updates \(counters.bookUpdates), trades \(counters.trades), executions \(counters.executionReports), "
                    + "fills \(counters.fills), checksum failures \(counters.checksumFailures), gaps \(counters.privateGaps), "
                    + "reconnections \(counters.reconnections), malformed \(counters.malformedTotal), "
                    + "published \(bus.published), dropped \(bus.dropped)"
                status.notice("\(line)")
            }
        }
    }

    /// `host:port` (`[::1]:9464` for IPv6).
    static func hostAndPort(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ValidationError("--metrics-bind '\(text)' is not HOST:PORT")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("--metrics-bind '\(text)' has no host") }
        return (host, port)
    }

    /// CURVE settings from the secret key file and the allowlist (nil: plain endpoints).
    private func security() throws -> BusSecurity? {
        guard let curveSecretKeyFile, let curveAllowlist else { return nil }
        let secretText = try StartupFailure.readFile(curveSecretKeyFile, option: "--curve-secret-key-file", holding: "the bridge's CURVE secret key (krakenbridge keygen)")
        let secret: CurveKey
        do {
            secret = try CurveKey(z85: secretText)
        } catch {
            throw StartupFailure("--curve-secret-key-file", curveSecretKeyFile, "not a Z85 CURVE key (\(error))", "write one with krakenbridge keygen")
        }
        let clients: [BusSecurity.Client]
        do {
            clients = try BusSecurity.parseAllowlist(
                try StartupFailure.readFile(curveAllowlist, option: "--curve-allowlist", holding: "the allowed client keys"))
        } catch let failure as StartupFailure {
            throw failure
        } catch {
            throw StartupFailure("--curve-allowlist", curveAllowlist, "\(error)", "each line is ENDPOINT KEY NAME [operator] (docs/zeromq.md)")
        }
        return BusSecurity(serverKeys: try CurveKeyPair(secretKey: secret), clients: clients)
    }
}
