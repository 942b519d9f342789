import ArgumentParser
import BridgeMetrics
import BridgeRuntime
import BridgeSettings
import BusPublishing
import Configuration
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

    // Every option below is optional: a flag that is given overrides the environment
    // (KRAKENBRIDGE_…), which overrides --config's file, which overrides the defaults
    // (RunSettings.catalogue; docs/configuration.md).

    @Option(help: "YAML file of settings (keys as in docs/configuration.md); flags and KRAKENBRIDGE_… variables override it.")
    var config: String?

    @Flag(help: "Resolve every setting (file, environment, flags), print each with its source, and exit: 0 when every value is allowed (files named are read only when the bridge starts).")
    var checkConfig = false

    /// Prints the settings reference table of docs/configuration.md (a test keeps the two equal).
    @Flag(help: .hidden)
    var settingsReference = false

    @Option(name: .customLong("protocol"), help: "Kraken WebSocket API version: v2 or v1 (same frames downstream). Default v2.")
    var protocolName: String?

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

    @Option(name: .customLong("rest-url"), help: "Kraken REST base URL (tokens, reconciliation, AssetPairs). Default https://api.kraken.com.")
    var restURL: String?

    @Option(help: "File holding the API key (or set KRAKENBRIDGE_KRAKEN_API_KEY or KRAKEN_API_KEY).")
    var apiKeyFile: String?

    @Option(help: "File holding the base64 API secret (or set KRAKENBRIDGE_KRAKEN_API_SECRET or KRAKEN_API_SECRET).")
    var apiSecretFile: String?

    @Option(help: "Comma-separated v2 pairs. Default BTC/USD,ETH/USD.")
    var pairs: String?

    @Option(help: "Book depth: 10, 25, 100, 500 or 1000; 0 for no books. Default 10.")
    var bookDepth: Int?

    @Flag(inversion: .prefixedNo, help: "Trades (default on).")
    var trades: Bool?

    @Flag(help: "Tickers.")
    var tickers = false

    @Option(help: "Comma-separated OHLC intervals in minutes (1, 5, 15, 30, 60, 240, 1440, 10080, 21600).")
    var ohlc: String?

    @Option(help: "Market-data PUB endpoint (tcp://host:port, tcp://127.0.0.1:* for any port, ipc://path). Default tcp://127.0.0.1:5555.")
    var marketBind: String?

    @Option(help: "Account PUB endpoint (private events). Default tcp://127.0.0.1:5556.")
    var accountBind: String?

    @Option(help: "Control ROUTER endpoint (REQ/DEALER clients; docs/control.md). Default tcp://127.0.0.1:5557.")
    var controlBind: String?

    @Option(help: "Microseconds the ZeroMQ thread spins for more messages before it sleeps: lower receive → zmq_send latency for a core's worth of CPU while data flows. Default 0 (sleeps at once).")
    var busIdleSpinUs: Int?

    @Option(help: "Serve Prometheus metrics on HOST:PORT at /metrics (e.g. 127.0.0.1:9464; port 0: any free port).")
    var metricsBind: String?

    @Option(help: "SQLite journal of private events (replay, sequences across restarts); created if missing. Default krakenbridge-journal.sqlite.")
    var journalPath: String?

    @Flag(help: "Run without a journal (no replay; private sequences restart at 1).")
    var noJournal = false

    @Option(help: "Journal retention: hours an event is kept. Default 168.")
    var journalMaxAgeHours: Int?

    @Option(help: "Journal retention: events kept per topic. Default 1000000.")
    var journalMaxEvents: Int?

    @Option(help: "Journal durability: full (fsync per event, survives power loss, the default) or normal (survives a crash of the process).")
    var journalSync: String?

    @Option(help: "The server's secret CURVE key file (from `krakenbridge keygen`); enables CURVE on every endpoint.")
    var curveSecretKeyFile: String?

    @Option(help: "CURVE allowlist: lines of `ENDPOINT PUBLIC-KEY NAME [operator]` (ENDPOINT: market, account, control).")
    var curveAllowlist: String?

    @Option(help: "Also publish the best N levels of each book on top:SYMBOL:N: (0: off, the default).")
    var bookTop: Int?

    @Option(help: "At most one top:SYMBOL:N: message per symbol this often (milliseconds). Default 100.")
    var bookTopIntervalMs: Int?

    @Option(help: "Trust this CA file instead of the system's roots (the simulator's ca.pem).")
    var caFile: String?

    @Flag(help: "Mark every frame as simulated (use against the simulator).")
    var simulated = false

    @Option(help: "Largest WebSocket frame accepted from Kraken, in bytes. Default 4194304.")
    var maxFrameSize: Int?

    @Option(help: "Log level: trace, debug, info (the default), notice, warning, error or critical.")
    var logLevel: String?

    @Option(help: "Log lines as json or text (default: text on a terminal, json otherwise).")
    var logFormat: String?

    /// Testing aid: a shutdown that takes this long, so a second signal can be sent during it.
    @Option(help: .hidden)
    var shutdownDelayMs = 0

    @Option(help: "Seconds a finished order (and a balance ledger id) is remembered; Kraken's later replays of it are recognised by their time. Default 3600.")
    var finishedOrderRetention: Int?

    @Option(help: "Seconds between diagnostics lines on stderr (0: none). Default 10.")
    var statsInterval: Int?

    /// The flags given, by setting key: the top layer of the settings.
    var givenFlags: [String: ConfigContent] {
        var flags: [String: ConfigContent] = [:]
        func put(_ key: String, _ value: ConfigContent?) { if let value { flags[key] = value } }
        put("protocol", protocolName.map(ConfigContent.string))
        put("kraken.ws_urls", wsURLs.isEmpty ? nil : .stringArray(wsURLs))
        put("kraken.auth_ws_urls", authWSURLs.isEmpty ? nil : .stringArray(authWSURLs))
        put("kraken.rest_url", restURL.map(ConfigContent.string))
        put("kraken.ca_file", caFile.map(ConfigContent.string))
        put("kraken.max_frame_size", maxFrameSize.map(ConfigContent.int))
        put("kraken.api_key_file", apiKeyFile.map(ConfigContent.string))
        put("kraken.api_secret_file", apiSecretFile.map(ConfigContent.string))
        put("market.pairs", pairs.map { .stringArray(SubscriptionOptions.list($0)) })
        put("market.book_depth", bookDepth.map(ConfigContent.int))
        put("market.trades", trades.map(ConfigContent.bool))
        put("market.tickers", tickers ? .bool(true) : nil)
        put("market.ohlc", ohlc.map { .stringArray(SubscriptionOptions.list($0)) })
        put("market.book_top", bookTop.map(ConfigContent.int))
        put("market.book_top_interval_ms", bookTopIntervalMs.map(ConfigContent.int))
        put("bus.market_bind", marketBind.map(ConfigContent.string))
        put("bus.account_bind", accountBind.map(ConfigContent.string))
        put("bus.control_bind", controlBind.map(ConfigContent.string))
        put("bus.idle_spin_us", busIdleSpinUs.map(ConfigContent.int))
        put("bus.simulated", simulated ? .bool(true) : nil)
        put("curve.secret_key_file", curveSecretKeyFile.map(ConfigContent.string))
        put("curve.allowlist", curveAllowlist.map(ConfigContent.string))
        put("journal.enabled", noJournal ? .bool(false) : nil)
        put("journal.path", journalPath.map(ConfigContent.string))
        put("journal.max_age_hours", journalMaxAgeHours.map(ConfigContent.int))
        put("journal.max_events", journalMaxEvents.map(ConfigContent.int))
        put("journal.sync", journalSync.map(ConfigContent.string))
        put("metrics.bind", metricsBind.map(ConfigContent.string))
        put("log.level", logLevel.map(ConfigContent.string))
        put("log.format", logFormat.map(ConfigContent.string))
        put("log.stats_interval_seconds", statsInterval.map(ConfigContent.int))
        put("private.finished_order_retention_seconds", finishedOrderRetention.map(ConfigContent.int))
        return flags
    }

    /// Every layer resolved, or the one line saying what cannot be used.
    func settings() async throws(StartupFailure) -> RunSettings {
        do {
            let resolved = try await SettingsResolver(settings: RunSettings.catalogue)
                .resolve(flags: givenFlags, environment: ProcessInfo.processInfo.environment, file: config)
            let settings = RunSettings(resolved: resolved)
            try settings.checkPairs()
            return settings
        } catch {
            throw StartupFailure(error)
        }
    }

    func run() async throws {
        if settingsReference {
            for line in SettingsReference.markdown(RunSettings.catalogue) { printLine(line) }
            return
        }
        let settings = try await settings()
        if checkConfig {
            for line in settings.resolved.table { printLine(line) }
            return
        }
        LogBootstrap.bootstrap(level: settings.logLevel, format: settings.logFormat)
        // Status lines go through the log too, so a JSON log stays JSON from the first line.
        let status = Logger(label: "krakenbridge.run")
        let signals = await TerminationSignals.trap(for: "run") { status.notice("\($0)") }
        let protocolVersion = settings.protocolVersion
        let rest = RESTEndpoint(url: settings.restURL)!
        var market = MarketFeedConfiguration()
        // The version first: it brings its own default endpoints.
        market.protocolVersion = protocolVersion
        if !settings.wsURLs.isEmpty { market.connection.endpoints = settings.wsURLs.compactMap(FeedEndpoint.init(url:)) }
        market.rest = rest
        market.symbols = settings.pairs
        market.bookDepth = settings.bookDepth == 0 ? nil : settings.bookDepth
        market.trades = settings.trades
        market.tickers = settings.tickers
        market.ohlcIntervals = settings.ohlcIntervals
        market.connection.trustedCAFile = settings.caFile
        market.connection.maxFrameSize = settings.maxFrameSize
        if settings.bookTop > 0 {
            market.bookTop = BookTopSettings(levels: settings.bookTop, minimumIntervalNs: Int64(settings.bookTopIntervalMs) * 1_000_000)
        }
        var configuration = BridgeConfiguration(
            market: market, marketBind: settings.marketBind, accountBind: settings.accountBind, controlBind: settings.controlBind)
        configuration.simulated = settings.simulated
        configuration.busIdleSpin = .microseconds(settings.busIdleSpinMicroseconds)
        configuration.security = try Self.security(settings)
        configuration.metricsBind = try settings.metricsBind.map(Self.hostAndPort)
        configuration.settingsReport = settings.resolved.report.map { EffectiveSetting(key: $0.key, value: $0.value, source: $0.source) }
        if let credentials = try Self.credentials(settings) {
            var account = AccountFeedConfiguration(credentials: credentials)
            account.protocolVersion = protocolVersion
            if !settings.authWSURLs.isEmpty { account.connection.endpoints = settings.authWSURLs.compactMap(FeedEndpoint.init(url:)) }
            account.connection.trustedCAFile = settings.caFile
            account.connection.maxFrameSize = settings.maxFrameSize
            account.rest = rest
            account.forgetFinishedOrdersAfter = .seconds(Int64(settings.finishedOrderRetention))
            configuration.account = account
        }

        // Private events only: without credentials there is nothing to journal.
        if settings.journalEnabled, configuration.account != nil {
            var journal = JournalSettings(
                path: settings.journalPath, maxAge: .seconds(settings.journalMaxAgeHours * 3_600), maxEventsPerTopic: settings.journalMaxEvents)
            journal.syncEveryCommit = settings.journalSync == "full"
            configuration.journal = journal
        }

        let bridge: BridgeSupervisor
        do {
            bridge = try await BridgeSupervisor.start(configuration)
        } catch let error as BridgeStartError {
            throw StartupFailure(
                error, binds: [("--market-bind", settings.marketBind), ("--account-bind", settings.accountBind),
                               ("--control-bind", settings.controlBind)])
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
        let statsEvery = settings.statsInterval
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
            guard !Task.isCancelled, let feeds = try? await bridge.diagnostics() else { continue }
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

    /// The API credentials from their files or the environment (nil: none configured).
    private static func credentials(_ settings: RunSettings) throws(StartupFailure) -> APICredentials? {
        /// The flag or variable that gave `key`, or the key and its file.
        func origin(_ key: String) -> String {
            switch settings.resolved.source(of: key) {
            case .flag(let flag): flag
            case .environment(let variable): variable
            case .file(let path, _): "\(key) (file \(path))"
            case .defaultValue, nil: key
            }
        }
        return try CredentialOptions.credentials(
            keyFile: settings.apiKeyFile, secretFile: settings.apiSecretFile, key: settings.apiKey, secret: settings.apiSecret,
            names: (keyFile: origin("kraken.api_key_file"), secretFile: origin("kraken.api_secret_file"), key: origin("kraken.api_key"),
                    secret: origin("kraken.api_secret")))
    }

    /// CURVE settings from the secret key file and the allowlist (nil: plain endpoints).
    private static func security(_ settings: RunSettings) throws -> BusSecurity? {
        guard let curveSecretKeyFile = settings.curveSecretKeyFile, let curveAllowlist = settings.curveAllowlist else { return nil }
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
