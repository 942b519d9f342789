import BridgeSettings
import Configuration
import Foundation
import Testing

@Suite("settings in layers: defaults < YAML file < environment < flags")
struct SettingsResolverTests {
    static let catalogue = [
        Setting("bus.market_bind", flag: "--market-bind", .string, default: .string("tcp://127.0.0.1:5555"),
                allowed: "tcp://host:port or ipc://path", valid: { content in
                    if case .string(let text) = content { text.hasPrefix("tcp://") || text.hasPrefix("ipc://") } else { false }
                }),
        Setting("journal.max_age_hours", flag: "--journal-max-age-hours", .int, default: .int(168), allowed: "at least 1", valid: { content in
            if case .int(let hours) = content { hours >= 1 } else { false }
        }),
        Setting("market.pairs", flag: "--pairs", .stringList, default: .stringArray(["BTC/USD"]), allowed: "pairs such as BTC/USD"),
        Setting("market.tickers", flag: "--tickers", .bool, default: .bool(false), allowed: "true or false"),
        Setting("kraken.api_secret", flag: nil, .string, secret: true, allowed: "base64", valid: { content in
            if case .string(let text) = content { Data(base64Encoded: text) != nil } else { false }
        }),
    ]

    private static func file(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kbsettings-\(UUID().uuidString.prefix(8)).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private static func resolve(flags: [String: ConfigContent] = [:], environment: [String: String] = [:], file: String? = nil)
        async throws(SettingsError) -> ResolvedSettings
    {
        try await SettingsResolver(settings: catalogue).resolve(flags: flags, environment: environment, file: file)
    }

    @Test("each layer overrides the one before, and the report says where each value came from")
    func precedence() async throws {
        let path = try Self.file("""
            bus:
              market_bind: tcp://0.0.0.0:6000
            journal:
              max_age_hours: 24
            market:
              pairs: [ETH/USD, SOL/USD]
            """)
        let resolved = try await Self.resolve(
            flags: ["market.tickers": .bool(true)],
            environment: ["KRAKENBRIDGE_JOURNAL_MAX_AGE_HOURS": "12", "PATH": "/usr/bin"], file: path)
        #expect(resolved.string("bus.market_bind") == "tcp://0.0.0.0:6000")
        #expect(resolved.int("journal.max_age_hours") == 12)
        #expect(resolved.strings("market.pairs") == ["ETH/USD", "SOL/USD"])
        #expect(resolved.bool("market.tickers") == true)
        #expect(resolved.report.map { "\($0.key)=\($0.value) <- \($0.source)" } == [
            "bus.market_bind=tcp://0.0.0.0:6000 <- file \(path) (bus.market_bind)",
            "journal.max_age_hours=12 <- environment KRAKENBRIDGE_JOURNAL_MAX_AGE_HOURS",
            "market.pairs=ETH/USD,SOL/USD <- file \(path) (market.pairs)",
            "market.tickers=true <- flag --tickers",
        ])
    }

    @Test("a list comes from a comma-separated variable; with nothing given, the defaults stand")
    func listsAndDefaults() async throws {
        let resolved = try await Self.resolve(environment: ["KRAKENBRIDGE_MARKET_PAIRS": "BTC/USD,ETH/USD"])
        #expect(resolved.strings("market.pairs") == ["BTC/USD", "ETH/USD"])
        #expect(resolved.source(of: "bus.market_bind") == .defaultValue)
        #expect(resolved.string("kraken.api_secret") == nil, "an optional setting without a value stays unset")
    }

    @Test("a secret is used but never shown: the report and errors say <redacted>")
    func secretsAreRedacted() async throws {
        let resolved = try await Self.resolve(environment: ["KRAKENBRIDGE_KRAKEN_API_SECRET": "c2VjcmV0"])
        #expect(resolved.string("kraken.api_secret") == "c2VjcmV0")
        #expect(resolved.report.first { $0.key == "kraken.api_secret" }?.value == "<redacted>")
        await #expect(throws: SettingsError(key: "kraken.api_secret", value: "<redacted>",
                                            source: "environment KRAKENBRIDGE_KRAKEN_API_SECRET", allowed: "base64")) {
            try await Self.resolve(environment: ["KRAKENBRIDGE_KRAKEN_API_SECRET": "not base64!"])
        }
    }

    @Test("a value outside what is allowed names the key, the value, its source and what is allowed")
    func invalidValues() async throws {
        let path = try Self.file("bus:\n  market_bind: http://example.com\n")
        do {
            _ = try await Self.resolve(file: path)
            Issue.record("accepted")
        } catch {
            #expect(error.description == "bus.market_bind = 'http://example.com' (from file \(path) (bus.market_bind)): tcp://host:port or ipc://path")
        }
        await #expect(throws: SettingsError(key: "journal.max_age_hours", value: "0", source: "flag --journal-max-age-hours",
                                            allowed: "at least 1")) {
            try await Self.resolve(flags: ["journal.max_age_hours": .int(0)])
        }
    }

    @Test("a value of the wrong type is refused with the text that was given")
    func wrongType() async throws {
        await #expect(throws: SettingsError(key: "journal.max_age_hours", value: "a week",
                                            source: "environment KRAKENBRIDGE_JOURNAL_MAX_AGE_HOURS", allowed: "expected a whole number; at least 1")) {
            try await Self.resolve(environment: ["KRAKENBRIDGE_JOURNAL_MAX_AGE_HOURS": "a week"])
        }
    }

    @Test("a key or variable no setting has is an error, not silently ignored")
    func unknownNames() async throws {
        let path = try Self.file("journal:\n  max_age_hour: 3\n")
        await #expect(throws: SettingsError(key: "journal.max_age_hour", value: "…", source: "file \(path)",
                                            allowed: "no setting has this key (see docs/configuration.md)")) {
            try await Self.resolve(file: path)
        }
        await #expect(throws: SettingsError(key: "KRAKENBRIDGE_MARKET_PAIR", value: "…", source: "environment KRAKENBRIDGE_MARKET_PAIR",
                                            allowed: "no setting has this variable (see docs/configuration.md)")) {
            try await Self.resolve(environment: ["KRAKENBRIDGE_MARKET_PAIR": "BTC/USD"])
        }
    }

    @Test("a file that does not parse, or is missing, is one line naming it")
    func badFiles() async throws {
        let path = try Self.file("bus: [unclosed\n")
        do {
            _ = try await Self.resolve(file: path)
            Issue.record("accepted")
        } catch {
            #expect(error.key == "config" && error.value == path && error.allowed.hasPrefix("valid YAML ("))
            #expect(!error.description.contains("\n"))
        }
        await #expect(throws: SettingsError(key: "config", value: "/nonexistent/bridge.yaml", source: "flag --config",
                                            allowed: "a readable YAML file (it could not be read)")) {
            try await Self.resolve(file: "/nonexistent/bridge.yaml")
        }
    }
}

@Suite("settings in layers: lists")
struct SettingListTests {
    @Test("a list with one element not allowed names that element")
    func theBadElementIsNamed() async throws {
        let pairs = Setting("market.pairs", flag: "--pairs", .stringList, allowed: "pairs such as BTC/USD", valid: { content in
            if case .stringArray(let pairs) = content { !pairs.isEmpty && pairs.allSatisfy { $0.contains("/") } } else { false }
        })
        await #expect(throws: SettingsError(key: "market.pairs", value: "BTCUSD", source: "flag --pairs", allowed: "pairs such as BTC/USD")) {
            try await SettingsResolver(settings: [pairs]).resolve(
                flags: ["market.pairs": .stringArray(["BTC/USD", "BTCUSD"])], environment: [:], file: nil)
        }
    }
}
