import BridgeMetrics
@testable import BridgeRuntime
@testable import BusPublishing
@testable import KrakenFeed
import SessionLifecycle
import Testing
import ZeroMQHub

/// What `/metrics` shows for known diagnostics: Prometheus names and labels, rendered by
/// swift-prometheus.
@Suite struct MetricsScrapeTests {
    private static func inputs(
        feeds: [FeedDiagnostics], bus: BusPublisher.Counters = .init(), hub: HubCounters = .init(), control: [String: UInt64] = [:]
    ) -> DiagnosticsInputs {
        DiagnosticsInputs(
            feeds: feeds, bus: bus, latency: LatencyHistogram(), hub: hub, journal: (events: 12, bytes: 4_096), rates: [], control: control)
    }

    private static func feed(_ name: String, state: ConnectionState = .active, configure: (inout FeedCounters) -> Void = { _ in })
        -> FeedDiagnostics
    {
        var counters = FeedCounters()
        configure(&counters)
        return FeedDiagnostics(
            name: name, endpoint: "wss://ws.kraken.com/v2", state: state, attempt: 0, lastFrameNs: 7, counters: counters,
            circuitBreakers: [FeedDiagnostics.Breaker(endpoint: "wss://ws.kraken.com/v2", state: "open")], books: [:])
    }

    private static func lines(_ text: String) -> Set<String> { Set(text.split(separator: "\n").map(String.init)) }

    @Test("feed counters become per-feed, per-channel and per-pair series")
    func feedSeries() {
        let metrics = BridgeMetrics()
        var scraped = ScrapedMetrics(registry: metrics.registry)
        let market = Self.feed("public") {
            $0.frames = 100
            $0.bookSnapshots = 2
            $0.bookUpdates = 40
            $0.trades = 7
            $0.checksumFailuresBySymbol = ["XBT/USD": 3]
            $0.bookResetsBySymbol = ["XBT/USD": 3]
            $0.connectFailures = 4
            $0.malformedFrames = ["unexpected_byte": 2]
        }
        let account = Self.feed("private", state: .reconnecting) {
            $0.tokenFailures = 1
            $0.tokenRejections = 1
            $0.privateGaps = 5
        }
        scraped.record(Self.inputs(feeds: [market, account]), healthy: false, sockets: ["market", "account", "control"])
        let lines = Self.lines(metrics.exposition())
        let expected: Set<String> = [
            "krakenbridge_healthy 0.0",
            #"krakenbridge_connection_state{feed="public"} 6.0"#,
            #"krakenbridge_connection_active{feed="private"} 0.0"#,
            #"krakenbridge_circuit_breaker_state{feed="public",endpoint="wss://ws.kraken.com/v2"} 2.0"#,
            #"krakenbridge_frames_received_total{feed="public"} 100"#,
            #"krakenbridge_messages_received_total{feed="public",channel="book"} 42"#,
            #"krakenbridge_messages_received_total{feed="public",channel="trade"} 7"#,
            #"krakenbridge_checksum_failures_total{symbol="XBT/USD"} 3"#,
            #"krakenbridge_book_resets_total{symbol="XBT/USD"} 3"#,
            #"krakenbridge_connection_failures_total{feed="public"} 4"#,
            #"krakenbridge_errors_total{feed="public",kind="malformed_unexpected_byte"} 2"#,
            #"krakenbridge_authentication_failures_total{feed="private"} 2"#,
            #"krakenbridge_private_gaps_total{feed="private"} 5"#,
            #"krakenbridge_feed_counter_total{feed="private",name="private_gaps"} 5"#,
            "krakenbridge_journal_bytes 4096.0",
            "# TYPE krakenbridge_messages_received_total counter",
            "# HELP krakenbridge_messages_received_total Kraken messages per channel.",
        ]
        #expect(expected.subtracting(lines).isEmpty, "missing: \(expected.subtracting(lines).sorted())")
    }

    @Test("bus, journal, ZeroMQ and control figures are exported with the socket named")
    func busHubAndControlSeries() {
        let metrics = BridgeMetrics()
        var scraped = ScrapedMetrics(registry: metrics.registry)
        var bus = BusPublisher.Counters()
        bus.published = 1_000
        bus.journalFailures = 1
        var hub = HubCounters()
        hub.connections = [SocketConnectionCounters(), SocketConnectionCounters(), SocketConnectionCounters()]
        hub.connections[0].subscriberOverflows = 9
        hub.connections[0].accepted = 3
        hub.connections[0].disconnected = 1
        hub.connections[1].peersRefused = 2
        hub.dropped[.outboxFull] = 6
        scraped.record(
            Self.inputs(feeds: [], bus: bus, hub: hub, control: ["control.command.subscribe": 4, "control.error.unknown_command": 1]),
            healthy: true, sockets: ["market", "account", "control"])
        let lines = Self.lines(metrics.exposition())
        let expected: Set<String> = [
            "krakenbridge_messages_published_total 1000",
            "krakenbridge_journal_write_failures_total 1",
            #"krakenbridge_subscriber_overflows_total{socket="market"} 9"#,
            #"krakenbridge_zmq_peers{socket="market"} 2.0"#,
            #"krakenbridge_zmq_peers_refused_total{socket="account"} 2"#,
            #"krakenbridge_outbox_dropped_total{reason="outboxFull"} 6"#,
            #"krakenbridge_control_requests_total{command="subscribe"} 4"#,
            #"krakenbridge_control_errors_total{code="unknown_command"} 1"#,
        ]
        #expect(expected.subtracting(lines).isEmpty, "missing: \(expected.subtracting(lines).sorted())")
    }
}
