import BridgeSettings
import Configuration
import ControlPlane
import KrakenFeed

/// Every setting of `run`: its key in `--config` files, its flag, its `KRAKENBRIDGE_…`
/// variable, default and allowed values (docs/configuration.md lists them), and the resolved
/// values as `run` uses them.
struct RunSettings {
    static let defaultPairs = ["BTC/USD", "ETH/USD"]
    static let bookDepths = [0, 10, 25, 100, 500, 1000]
    static let ohlcIntervals = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600]

    static let catalogue: [Setting] = [
        Setting("protocol", flag: "--protocol", .string, default: .string("v2"), allowed: "v2 or v1",
                valid: { oneOf(["v2", "v1"])($0) }),
        Setting("kraken.ws_urls", flag: "--ws-url", .stringList, allowed: "ws:// or wss:// URLs (default: Kraken's for the protocol)",
                valid: { every($0) { FeedEndpoint(url: $0) != nil } }),
        Setting("kraken.auth_ws_urls", flag: "--auth-ws-url", .stringList, allowed: "ws:// or wss:// URLs (default: Kraken's for the protocol)",
                valid: { every($0) { FeedEndpoint(url: $0) != nil } }),
        Setting("kraken.rest_url", flag: "--rest-url", .string, default: .string("https://api.kraken.com"), allowed: "http(s)://host[:port]",
                valid: { text($0).map { RESTEndpoint(url: $0) != nil } ?? false }),
        Setting("kraken.ca_file", flag: "--ca-file", .string, allowed: "a CA file path"),
        Setting("kraken.max_frame_size", flag: "--max-frame-size", .int, default: .int(4 << 20), allowed: "at least 1024 bytes",
                valid: atLeast(1_024)),
        Setting("kraken.api_key_file", flag: "--api-key-file", .string, allowed: "the path of a file holding the API key"),
        Setting("kraken.api_secret_file", flag: "--api-secret-file", .string, allowed: "the path of a file holding the base64 API secret"),
        Setting("kraken.api_key", flag: nil, .string, secret: true, environmentAliases: ["KRAKEN_API_KEY"], allowed: "the API key"),
        Setting("kraken.api_secret", flag: nil, .string, secret: true, environmentAliases: ["KRAKEN_API_SECRET"],
                allowed: "the base64 API secret"),
        Setting("market.pairs", flag: "--pairs", .stringList, default: .stringArray(defaultPairs),
                allowed: "one or more pairs written as Kraken's WebSocket v2 does (BTC/USD)",
                valid: { content in
                    guard case .stringArray(let pairs) = content, !pairs.isEmpty else { return false }
                    return pairs.allSatisfy(ArgumentRules.isValidSymbol)
                }),
        Setting("market.book_depth", flag: "--book-depth", .int, default: .int(10), allowed: "0 (no books), 10, 25, 100, 500 or 1000",
                valid: { if case .int(let depth) = $0 { bookDepths.contains(depth) } else { false } }),
        Setting("market.trades", flag: "--[no-]trades", .bool, default: .bool(true), allowed: "true or false"),
        Setting("market.tickers", flag: "--tickers", .bool, default: .bool(false), allowed: "true or false"),
        Setting("market.ohlc", flag: "--ohlc", .stringList, default: .stringArray([]),
                allowed: "OHLC intervals in minutes: 1, 5, 15, 30, 60, 240, 1440, 10080 or 21600",
                valid: { every($0) { Int($0).map(ohlcIntervals.contains) ?? false } }),
        Setting("market.book_top", flag: "--book-top", .int, default: .int(0), allowed: "levels, 0 for off", valid: atLeast(0)),
        Setting("market.book_top_interval_ms", flag: "--book-top-interval-ms", .int, default: .int(100), allowed: "milliseconds, at least 0",
                valid: atLeast(0)),
        Setting("bus.market_bind", flag: "--market-bind", .string, default: .string("tcp://127.0.0.1:5555"), allowed: endpointWords,
                valid: endpoint),
        Setting("bus.account_bind", flag: "--account-bind", .string, default: .string("tcp://127.0.0.1:5556"), allowed: endpointWords,
                valid: endpoint),
        Setting("bus.control_bind", flag: "--control-bind", .string, default: .string("tcp://127.0.0.1:5557"), allowed: endpointWords,
                valid: endpoint),
        Setting("bus.idle_spin_us", flag: "--bus-idle-spin-us", .int, default: .int(0),
                allowed: "microseconds the ZeroMQ thread spins for more messages before it sleeps, 0 to 1000000 (0: sleeps at once)",
                valid: { if case .int(let value) = $0 { (0...1_000_000).contains(value) } else { false } }),
        Setting("bus.simulated", flag: "--simulated", .bool, default: .bool(false), allowed: "true or false"),
        Setting("curve.secret_key_file", flag: "--curve-secret-key-file", .string, allowed: "the path of the server's secret key file"),
        Setting("curve.allowlist", flag: "--curve-allowlist", .string, allowed: "the path of the allowlist file"),
        Setting("journal.enabled", flag: "--no-journal", .bool, default: .bool(true), allowed: "true or false (--no-journal: false; without API credentials there is no journal)"),
        Setting("journal.path", flag: "--journal-path", .string, default: .string("krakenbridge-journal.sqlite"), allowed: "a file path"),
        Setting("journal.max_age_hours", flag: "--journal-max-age-hours", .int, default: .int(168), allowed: "hours, at least 1",
                valid: atLeast(1)),
        Setting("journal.max_events", flag: "--journal-max-events", .int, default: .int(1_000_000), allowed: "events per topic, at least 1",
                valid: atLeast(1)),
        Setting("journal.sync", flag: "--journal-sync", .string, default: .string("full"), allowed: "full or normal",
                valid: { oneOf(["full", "normal"])($0) }),
        Setting("metrics.bind", flag: "--metrics-bind", .string, allowed: "HOST:PORT (port 0: any free port)",
                valid: { text($0).map { (try? RunCommand.hostAndPort($0)) != nil } ?? false }),
        Setting("log.level", flag: "--log-level", .string, default: .string("info"),
                allowed: "trace, debug, info, notice, warning, error or critical",
                valid: { oneOf(["trace", "debug", "info", "notice", "warning", "error", "critical"])($0) }),
        Setting("log.format", flag: "--log-format", .string, allowed: "json or text (default: text on a terminal, json otherwise)",
                valid: { oneOf(["json", "text"])($0) }),
        Setting("log.stats_interval_seconds", flag: "--stats-interval", .int, default: .int(10), allowed: "seconds, 0 for none",
                valid: atLeast(0)),
        Setting("private.finished_order_retention_seconds", flag: "--finished-order-retention", .int, default: .int(3_600),
                allowed: "seconds, at least 60 (Kraken replays recent trades after every reconnect)", valid: atLeast(60)),
    ]

    static let endpointWords = "tcp://host:port (tcp://127.0.0.1:* for any port) or ipc://path"

    static func endpoint(_ content: ConfigContent) -> Bool {
        text(content).map { $0.hasPrefix("tcp://") || $0.hasPrefix("ipc://") } ?? false
    }

    static func text(_ content: ConfigContent) -> String? {
        if case .string(let value) = content { value } else { nil }
    }

    static func oneOf(_ allowed: [String]) -> @Sendable (ConfigContent) -> Bool {
        { content in text(content).map(allowed.contains) ?? false }
    }

    static func every(_ content: ConfigContent, _ isValid: (String) -> Bool) -> Bool {
        if case .stringArray(let values) = content { values.allSatisfy(isValid) } else { false }
    }

    static func atLeast(_ minimum: Int) -> @Sendable (ConfigContent) -> Bool {
        { content in if case .int(let value) = content { value >= minimum } else { false } }
    }

    let resolved: ResolvedSettings

    var protocolVersion: ProtocolVersion { ProtocolVersion(rawValue: resolved.string("protocol") ?? "v2") ?? .v2 }
    var wsURLs: [String] { resolved.strings("kraken.ws_urls") ?? [] }
    var authWSURLs: [String] { resolved.strings("kraken.auth_ws_urls") ?? [] }
    var restURL: String { resolved.string("kraken.rest_url")! }
    var caFile: String? { resolved.string("kraken.ca_file") }
    var maxFrameSize: Int { resolved.int("kraken.max_frame_size")! }
    var apiKeyFile: String? { resolved.string("kraken.api_key_file") }
    var apiSecretFile: String? { resolved.string("kraken.api_secret_file") }
    var apiKey: String? { resolved.string("kraken.api_key") }
    var apiSecret: String? { resolved.string("kraken.api_secret") }
    var pairs: [String] { resolved.strings("market.pairs")! }
    var bookDepth: Int { resolved.int("market.book_depth")! }
    var trades: Bool { resolved.bool("market.trades")! }
    var tickers: Bool { resolved.bool("market.tickers")! }
    var ohlcIntervals: [Int] { (resolved.strings("market.ohlc") ?? []).compactMap { Int($0) } }
    var bookTop: Int { resolved.int("market.book_top")! }
    var busIdleSpinMicroseconds: Int { resolved.int("bus.idle_spin_us")! }
    var bookTopIntervalMs: Int { resolved.int("market.book_top_interval_ms")! }
    var marketBind: String { resolved.string("bus.market_bind")! }
    var accountBind: String { resolved.string("bus.account_bind")! }
    var controlBind: String { resolved.string("bus.control_bind")! }
    var simulated: Bool { resolved.bool("bus.simulated")! }
    var curveSecretKeyFile: String? { resolved.string("curve.secret_key_file") }
    var curveAllowlist: String? { resolved.string("curve.allowlist") }
    var journalEnabled: Bool { resolved.bool("journal.enabled")! }
    var journalPath: String { resolved.string("journal.path")! }
    var journalMaxAgeHours: Int { resolved.int("journal.max_age_hours")! }
    var journalMaxEvents: Int { resolved.int("journal.max_events")! }
    var journalSync: String { resolved.string("journal.sync")! }
    var metricsBind: String? { resolved.string("metrics.bind") }
    var logLevel: String { resolved.string("log.level")! }
    var logFormat: String? { resolved.string("log.format") }
    var statsInterval: Int { resolved.int("log.stats_interval_seconds")! }
    var finishedOrderRetention: Int { resolved.int("private.finished_order_retention_seconds")! }

    /// Settings that only make sense together, checked once every layer is in.
    func checkPairs() throws(SettingsError) {
        if (apiKeyFile == nil) != (apiSecretFile == nil) {
            let given = apiKeyFile == nil ? "kraken.api_secret_file" : "kraken.api_key_file"
            throw SettingsError(key: given, value: (apiKeyFile ?? apiSecretFile)!, source: resolved.source(of: given)?.description ?? "?",
                                allowed: "kraken.api_key_file and kraken.api_secret_file go together")
        }
        if (curveSecretKeyFile == nil) != (curveAllowlist == nil) {
            let given = curveSecretKeyFile == nil ? "curve.allowlist" : "curve.secret_key_file"
            throw SettingsError(key: given, value: (curveSecretKeyFile ?? curveAllowlist)!,
                                source: resolved.source(of: given)?.description ?? "?",
                                allowed: "curve.secret_key_file and curve.allowlist go together")
        }
    }
}
