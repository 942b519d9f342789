import WireFormat

/// The screen of `krakenbridge top`: a bridge's diagnostics and health as at most `height`
/// lines of at most `width` characters (80×24 is enough for everything but long problem
/// lists), optionally coloured with ANSI escapes.
public struct DashboardScreen: Sendable {
    /// What the last poll brought.
    public enum Reading: Sendable {
        case report(KBDiagnostics, KBHealth)
        /// No reply: why, and since when (seconds).
        case unreachable(String)
    }

    public var endpoint: String
    public var clock: String
    public var width: Int
    public var height: Int
    public var colour: Bool

    public init(endpoint: String, clock: String, width: Int = 80, height: Int = 24, colour: Bool = true) {
        self.endpoint = endpoint
        self.clock = clock
        self.width = width
        self.height = height
        self.colour = colour
    }

    public func render(_ reading: Reading) -> [String] {
        var lines: [(text: String, colour: Colour?)] = []
        switch reading {
        case .unreachable(let reason):
            lines.append(("KrakenBridge top  \(endpoint)  \(clock)  UNREACHABLE", .red))
            lines.append(("", nil))
            lines.append(("No answer from the control socket: \(reason).", nil))
            lines.append(("Retrying every second. Is the bridge running, and is this its --control-bind?", nil))
            lines.append(("", nil))
            lines.append(("q quits", nil))
        case .report(let diagnostics, let health):
            lines.append(("KrakenBridge top  \(endpoint)  \(clock)  \(health.healthy ? "healthy" : "NOT HEALTHY")",
                          health.healthy ? .green : .red))
            lines.append(("", nil))
            lines.append(("CONNECTIONS  feed      state          reconnects  breaker", .bold))
            for connection in diagnostics.connections {
                let state = Self.name(connection.state)
                let text = "             " + Self.pad(connection.feed, 9) + Self.pad(state, 15)
                    + Self.padLeft(String(connection.reconnections), 10) + "  " + Self.breakerSummary(connection.circuitBreaker)
                lines.append((text, Self.colour(connection.state)))
            }
            lines.append(("", nil))
            lines.append(("CHANNELS     channel           msg/s        total", .bold))
            for rate in diagnostics.rates where rate.messagesTotal > 0 {
                lines.append(("             " + Self.pad(rate.channel, 12) + Self.padLeft(Self.rate(rate.messagesPerSecond), 11)
                              + Self.padLeft(Self.count(rate.messagesTotal), 13), nil))
            }
            lines.append(("", nil))
            let latency = diagnostics.latency
            lines.append(("LATENCY      p50 \(Self.duration(latency.p50Ns))  p95 \(Self.duration(latency.p95Ns))  "
                          + "p99 \(Self.duration(latency.p99Ns))  max \(Self.duration(latency.maxNs))", nil))
            let integrity = "INTEGRITY    gaps \(diagnostics.gaps)  duplicates \(diagnostics.duplicates)  "
                + "checksum failures \(diagnostics.checksumFailures)  drops \(diagnostics.drops)"
            let clean = diagnostics.gaps == 0 && diagnostics.checksumFailures == 0 && diagnostics.drops == 0
            lines.append((integrity, clean ? nil : .yellow))
            lines.append(("JOURNAL      \(Self.count(diagnostics.journalEvents)) events  \(Self.bytes(diagnostics.journalBytes))", nil))
            lines.append(("", nil))
            if health.problems.isEmpty {
                lines.append(("PROBLEMS     none", .green))
            } else {
                lines.append(("PROBLEMS", .red))
                for problem in health.problems { lines.append(("  - " + problem, .red)) }
            }
            lines.append(("", nil))
            lines.append(("q quits", nil))
        }
        return lines.prefix(height).map { line in
            let text = String(line.text.prefix(width))
            guard colour, let code = line.colour else { return text }
            return "\u{1B}[\(code.rawValue)m\(text)\u{1B}[0m"
        }
    }

    enum Colour: String {
        case red = "31", green = "32", yellow = "33", bold = "1"
    }

    static func colour(_ state: KBConnectionState) -> Colour {
        switch state {
        case .active: .green
        case .failed, .disconnected: .red
        default: .yellow
        }
    }

    /// `connecting`, `shutting_down`, … as diagnostics print them.
    static func name(_ state: KBConnectionState) -> String {
        switch state {
        case .unspecified: "unknown"
        case .disconnected: "disconnected"
        case .connecting: "connecting"
        case .connected: "connected"
        case .authenticated: "authenticated"
        case .subscribing: "subscribing"
        case .active: "active"
        case .reconnecting: "reconnecting"
        case .failed: "failed"
        case .shuttingDown: "shutting_down"
        case .UNRECOGNIZED(let value): "state \(value)"
        }
    }

    /// `closed`, or the breakers that are not (`2 open`), from `endpoint state; …`.
    static func breakerSummary(_ text: String) -> String {
        let states = text.split(separator: ";").compactMap { $0.split(separator: " ").last.map(String.init) }
        let notClosed = states.filter { $0 != "closed" }
        if states.isEmpty { return "-" }
        if notClosed.isEmpty { return "closed" }
        return Dictionary(grouping: notClosed, by: { $0 }).sorted { $0.key < $1.key }.map { "\($0.value.count) \($0.key)" }
            .joined(separator: ", ")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width - 1)) + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    static func count(_ value: UInt64) -> String {
        var digits = Array(String(value))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }

    static func rate(_ perSecond: Double) -> String {
        let tenths = Int((perSecond * 10).rounded())
        return "\(count(UInt64(tenths / 10))).\(tenths % 10)"
    }

    static func duration(_ nanoseconds: UInt64) -> String {
        switch nanoseconds {
        case ..<1_000: "\(nanoseconds) ns"
        case ..<1_000_000: tenths(nanoseconds, 1_000) + " µs"
        case ..<1_000_000_000: tenths(nanoseconds, 1_000_000) + " ms"
        default: tenths(nanoseconds, 1_000_000_000) + " s"
        }
    }

    static func bytes(_ value: UInt64) -> String {
        switch value {
        case ..<1_024: "\(value) B"
        case ..<(1 << 20): tenths(value, 1_024) + " KiB"
        case ..<(1 << 30): tenths(value, 1 << 20) + " MiB"
        default: tenths(value, 1 << 30) + " GiB"
        }
    }

    private static func tenths(_ value: UInt64, _ unit: UInt64) -> String {
        let tenths = (value * 10 + unit / 2) / unit
        return "\(tenths / 10).\(tenths % 10)"
    }
}
