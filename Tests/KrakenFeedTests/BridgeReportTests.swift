@testable import BusPublishing
import Foundation
import KrakenAuth
@testable import KrakenFeed
import SessionLifecycle
import Testing
import WireFormat
import ZeroMQ
import ZeroMQHub
@testable import BridgeRuntime

/// The supervisor's reports and settings, built from known inputs.
@Suite struct BridgeReportTests {
    private static func feed(_ name: String, state: ConnectionState, configure: (inout FeedCounters) -> Void = { _ in }) -> FeedDiagnostics {
        var counters = FeedCounters()
        configure(&counters)
        return FeedDiagnostics(
            name: name, endpoint: "ws://127.0.0.1:1/v2", state: state, attempt: state == .active ? 0 : 3, lastFrameNs: 7,
            counters: counters, circuitBreakers: [FeedDiagnostics.Breaker(endpoint: "ws://127.0.0.1:1/v2", state: "closed")], books: [:])
    }

    @Test func diagnosticsCarryTheHeadlineCountsAndEveryCounterByName() {
        let market = Self.feed("public", state: .active) { $0.checksumFailures = 2; $0.reconnections = 1; $0.malformedFrames["unexpected_byte"] = 4 }
        let account = Self.feed("private", state: .reconnecting) {
            $0.privateGaps = 3
            $0.privateNotes = ["duplicate_message": 5, "duplicate_execution": 1, "suppressed": 9]
        }
        var bus = BusPublisher.Counters()
        bus.dropped = 6
        var hub = HubCounters()
        hub.connections = [SocketConnectionCounters(), SocketConnectionCounters()]
        hub.connections[0].subscriberOverflows = 10
        hub.connections[0].disconnected = 2
        hub.connections[1].disconnected = 1
        hub.connections[1].accepted = 5
        var latency = LatencyHistogram()
        for value in [1_000, 2_000, 3_000] as [UInt64] { latency.record(value) }
        let report = KBDiagnostics(DiagnosticsInputs(
            feeds: [market, account], bus: bus, latency: latency, hub: hub, journal: (events: 12, bytes: 4_096),
            rates: [("book", 250.5, 1_000)], control: ["control.requests": 3]))

        #expect(report.connections.map(\.feed) == ["public", "private"])
        #expect(report.connections.map(\.state) == [.active, .reconnecting])
        #expect(report.connections[0].reconnections == 1)
        #expect(report.connections[0].circuitBreaker == "ws://127.0.0.1:1/v2 closed")
        #expect(report.checksumFailures == 2)
        #expect(report.gaps == 3)
        #expect(report.duplicates == 6)
        #expect(report.drops == 16, "outbox refusals and subscriber overflows")
        #expect(report.journalEvents == 12 && report.journalBytes == 4_096)
        #expect(report.latency.samples == 3 && report.latency.maxNs == 3_000)
        #expect(report.rates.map(\.channel) == ["book"] && report.rates[0].messagesPerSecond == 250.5)
        #expect(report.counters["feed.public.malformed_frames.unexpected_byte"] == 4)
        #expect(report.counters["feed.private.private_notes.suppressed"] == 9)
        #expect(report.counters["zmq.subscriber_overflows"] == 10)
        #expect(report.counters["zmq.disconnected"] == 3 && report.counters["zmq.accepted"] == 5)
        #expect(report.counters["bus.outbox_refused"] == 6)
        #expect(report.counters["control.requests"] == 3)
    }

    @Test func healthNamesEveryFeedThatIsNotActiveAndJournalFailures() {
        var bus = BusPublisher.Counters()
        #expect(KBHealth(feeds: [Self.feed("public", state: .active)], bus: bus, journalError: nil).healthy)
        bus.journalFailures = 2
        let health = KBHealth(feeds: [Self.feed("public", state: .active), Self.feed("private", state: .connecting)], bus: bus,
                              journalError: "disk full")
        #expect(!health.healthy)
        #expect(health.problems == [
            "private feed is connecting (attempt 3) on ws://127.0.0.1:1/v2",
            "2 private events could not be journaled: disk full",
        ])
    }

    @Test func healthNamesAnActiveFeedThatIsSuspectedBeforeItIsReplaced() {
        var suspect = Self.feed("private", state: .active)
        suspect.suspicion = "application ping unanswered for 2600 ms"
        let health = KBHealth(feeds: [Self.feed("public", state: .active), suspect], bus: BusPublisher.Counters(), journalError: nil)
        #expect(!health.healthy)
        #expect(health.problems == ["private feed is suspect on ws://127.0.0.1:1/v2: application ping unanswered for 2600 ms"])
    }

    @Test func healthNamesEveryPairAFeedWasGivenButDoesNotHave() {
        var market = Self.feed("public", state: .active)
        market.unavailablePairs = ["FOO/BAR": "not in Kraken's instrument list", "ABC/USD": "Kraken refused book: Currency pair not supported ABC/USD"]
        let health = KBHealth(feeds: [market], bus: BusPublisher.Counters(), journalError: nil)
        #expect(!health.healthy)
        #expect(health.problems == [
            "public feed has no ABC/USD: Kraken refused book: Currency pair not supported ABC/USD",
            "public feed has no FOO/BAR: not in Kraken's instrument list",
        ])
    }

    @Test func anAllowlistNamesEndpointKeyNameAndOperatorRole() throws {
        let reader = try CurveKeyPair.generate().publicKey
        let ops = try CurveKeyPair.generate().publicKey
        let text = "# who may connect\n\nmarket \(reader.z85) galfriday\n  control\t\(ops.z85)  ops operator\r\n"
        let clients = try BusSecurity.parseAllowlist(text)
        #expect(clients == [
            BusSecurity.Client(endpoint: .market, key: reader, name: "galfriday"),
            BusSecurity.Client(endpoint: .control, key: ops, name: "ops", isOperator: true),
        ])
        #expect(BusSecurity(serverKeys: try CurveKeyPair.generate(), clients: clients).operators == ["ops"])
    }

    @Test func oneNameMeansOneKeyPerEndpoint() throws {
        let first = try CurveKeyPair.generate().publicKey.z85
        let second = try CurveKeyPair.generate().publicKey.z85
        #expect(throws: AllowlistError(line: 2, reason: "control already lists the name 'ops' or this key")) {
            try BusSecurity.parseAllowlist("control \(first) ops operator\ncontrol \(second) ops")
        }
        #expect(throws: AllowlistError(line: 2, reason: "market already lists the name 'b' or this key")) {
            try BusSecurity.parseAllowlist("market \(first) a\nmarket \(first) b")
        }
        #expect(try BusSecurity.parseAllowlist("market \(first) ops\ncontrol \(first) ops operator").count == 2)
    }

    @Test(arguments: [
        ("market KEY", "allowlist line 1: expected ENDPOINT PUBLIC-KEY NAME [operator], got 2 fields"),
        ("books KEY name", "allowlist line 1: unknown endpoint 'books' (market, account or control)"),
        ("market KEY name operator", "allowlist line 1: operator applies to control only"),
        ("control KEY name admin", "allowlist line 1: unknown role 'admin'"),
    ])
    func aBadAllowlistLineIsRefusedWithItsNumber(line: String, message: String) throws {
        let key = try CurveKeyPair.generate().publicKey.z85
        #expect(throws: AllowlistError.self) { try BusSecurity.parseAllowlist(line.replacingOccurrences(of: "KEY", with: key)) }
        do {
            _ = try BusSecurity.parseAllowlist(line.replacingOccurrences(of: "KEY", with: key))
        } catch {
            #expect(error.description == message)
        }
        #expect(throws: AllowlistError.self) { try BusSecurity.parseAllowlist("control not-a-key ops") }
    }

    @Test func theEffectiveConfigurationRedactsEverySecret() throws {
        let secret = "a3Jha2VuYnJpZGdlLXNpbXVsYXRvci1kZW1vLXNlY3JldC1kby1ub3QtdXNlLXdpdGgtcmVhbC1rcmFrZW4hIQ=="
        var configuration = BridgeConfiguration(market: MarketFeedConfiguration())
        configuration.account = AccountFeedConfiguration(credentials: try APICredentials(key: "MY-API-KEY", base64Secret: secret))
        let server = try CurveKeyPair.generate()
        configuration.security = BusSecurity(serverKeys: server, clients: [])
        configuration.journal = JournalSettings(path: "/var/lib/krakenbridge/journal.sqlite")
        let json = EffectiveConfiguration.json(of: configuration)
        #expect(!json.contains("MY-API-KEY"))
        #expect(!json.contains(secret))
        #expect(!json.contains(server.secretKey.z85))
        #expect(json.contains(server.publicKey.z85))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let account = try #require(object["account"] as? [String: Any])
        #expect(account["api_key"] as? String == "<redacted>")
        #expect(account["api_secret"] as? String == "<redacted>")
        #expect((object["journal"] as? [String: Any])?["path"] as? String == "/var/lib/krakenbridge/journal.sqlite")
        #expect((object["market"] as? [String: Any])?["book_depth"] as? Int == 10)
    }
}
