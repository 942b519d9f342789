import BusText
import SwiftProtobuf
import Testing
import WireFormat

@Suite("the screen of krakenbridge top")
struct DashboardScreenTests {
    static func diagnostics() -> KBDiagnostics {
        var diagnostics = KBDiagnostics()
        var market = KBConnectionDiagnostics()
        market.feed = "public"
        market.state = .active
        market.reconnections = 2
        market.circuitBreaker = "wss://ws.kraken.com/v2 closed; wss://backup/v2 open"
        var account = KBConnectionDiagnostics()
        account.feed = "private"
        account.state = .reconnecting
        account.circuitBreaker = "wss://ws-auth.kraken.com/v2 closed"
        diagnostics.connections = [market, account]
        var book = KBChannelRate()
        book.channel = "book"
        book.messagesPerSecond = 1234.56
        book.messagesTotal = 1_234_567
        var quiet = KBChannelRate()
        quiet.channel = "ohlc"
        diagnostics.rates = [book, quiet]
        diagnostics.latency.p50Ns = 3_800
        diagnostics.latency.p95Ns = 9_120
        diagnostics.latency.p99Ns = 16_000
        diagnostics.latency.maxNs = 512_000
        diagnostics.gaps = 1
        diagnostics.journalEvents = 12_345
        diagnostics.journalBytes = 3 << 20
        return diagnostics
    }

    @Test("a report shows connections, busy channels, latency, integrity, journal and problems in 80×24")
    func report() {
        var health = KBHealth()
        health.problems = ["private feed is reconnecting (attempt 3) on wss://ws-auth.kraken.com/v2"]
        let screen = DashboardScreen(endpoint: "tcp://127.0.0.1:5557", clock: "12:00:00", colour: false)
        let lines = screen.render(.report(Self.diagnostics(), health))
        #expect(lines == [
            "KrakenBridge top  tcp://127.0.0.1:5557  12:00:00  NOT HEALTHY",
            "",
            "CONNECTIONS  feed      state          reconnects  breaker",
            "             public   active                  2  1 open",
            "             private  reconnecting            0  closed",
            "",
            "CHANNELS     channel           msg/s        total",
            "             book            1,234.6    1,234,567",
            "",
            "LATENCY      p50 3.8 µs  p95 9.1 µs  p99 16.0 µs  max 512.0 µs",
            "INTEGRITY    gaps 1  duplicates 0  checksum failures 0  drops 0",
            "JOURNAL      12,345 events  3.0 MiB",
            "",
            "PROBLEMS",
            "  - private feed is reconnecting (attempt 3) on wss://ws-auth.kraken.com/v2",
            "",
            "q quits",
        ])
        #expect(lines.allSatisfy { $0.count <= 80 })
    }

    @Test("lines are cut to the terminal: never wider or taller")
    func fitsTheTerminal() {
        var health = KBHealth()
        health.problems = (1...30).map { "problem \($0) " + String(repeating: "x", count: 100) }
        let lines = DashboardScreen(endpoint: "tcp://127.0.0.1:5557", clock: "12:00:00", width: 40, height: 10, colour: false)
            .render(.report(Self.diagnostics(), health))
        #expect(lines.count == 10)
        #expect(lines.allSatisfy { $0.count <= 40 })
    }

    @Test("states are coloured: active green, reconnecting yellow; a healthy header green")
    func colours() {
        let lines = DashboardScreen(endpoint: "e", clock: "c").render(.report(Self.diagnostics(), KBHealth.with { $0.healthy = true }))
        #expect(lines[0] == "\u{1B}[32mKrakenBridge top  e  c  healthy\u{1B}[0m")
        #expect(lines[3].hasPrefix("\u{1B}[32m") && lines[4].hasPrefix("\u{1B}[33m"))
    }

    @Test("an unreachable bridge says so, and what to check")
    func unreachable() {
        let lines = DashboardScreen(endpoint: "tcp://127.0.0.1:5557", clock: "12:00:00", colour: false)
            .render(.unreachable("no reply within 1000 ms"))
        #expect(lines[0] == "KrakenBridge top  tcp://127.0.0.1:5557  12:00:00  UNREACHABLE")
        #expect(lines[2] == "No answer from the control socket: no reply within 1000 ms.")
    }
}
