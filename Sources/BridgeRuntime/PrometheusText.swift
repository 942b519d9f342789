import WireFormat

/// The diagnostics as Prometheus text exposition (format 0.0.4), for `/metrics`: the same
/// figures the control socket's diagnostics reply carries, under `krakenbridge_` names.
enum PrometheusText {
    static func render(_ diagnostics: KBDiagnostics, healthy: Bool) -> String {
        var text = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            text += "# HELP krakenbridge_\(name) \(help)\n# TYPE krakenbridge_\(name) \(type)\n"
            for sample in samples { text += "krakenbridge_\(name)\(sample.labels) \(sample.value)\n" }
        }
        metric("healthy", "gauge", "1 when every feed is active and every private event was journaled.", [("", healthy ? "1" : "0")])
        metric("connection_state", "gauge", "Each Kraken connection's lifecycle state (6 = active; see ConnectionState).",
               diagnostics.connections.map { ("{feed=\"\(escape($0.feed))\"}", String($0.state.rawValue)) })
        metric("reconnections_total", "counter", "Reconnections per Kraken connection.",
               diagnostics.connections.map { ("{feed=\"\(escape($0.feed))\"}", String($0.reconnections)) })
        metric("messages_total", "counter", "Kraken messages per channel.",
               diagnostics.rates.map { ("{channel=\"\(escape($0.channel))\"}", String($0.messagesTotal)) })
        metric("messages_per_second", "gauge", "Kraken messages per second per channel, over the last 10 s.",
               diagnostics.rates.map { ("{channel=\"\(escape($0.channel))\"}", String($0.messagesPerSecond)) })
        let latency = diagnostics.latency
        metric("publish_latency_seconds", "summary", "Kraken frame received to bus frame queued.", [
            ("{quantile=\"0.5\"}", seconds(latency.p50Ns)), ("{quantile=\"0.95\"}", seconds(latency.p95Ns)),
            ("{quantile=\"0.99\"}", seconds(latency.p99Ns)),
        ])
        text += "krakenbridge_publish_latency_seconds_count \(latency.samples)\n"
        metric("gaps_total", "counter", "Gaps detected on Kraken's private channels.", [("", String(diagnostics.gaps))])
        metric("duplicates_total", "counter", "Duplicates dropped on Kraken's private channels.", [("", String(diagnostics.duplicates))])
        metric("checksum_failures_total", "counter", "Book updates that failed Kraken's checksum.", [("", String(diagnostics.checksumFailures))])
        metric("drops_total", "counter", "Bus messages refused by the outbox plus subscriber overflows at the high-water mark.",
               [("", String(diagnostics.drops))])
        metric("journal_bytes", "gauge", "Size of the private-event journal on disk.", [("", String(diagnostics.journalBytes))])
        metric("journal_events", "gauge", "Private events the journal holds.", [("", String(diagnostics.journalEvents))])
        metric("counter", "counter", "Every other counter by name (the diagnostics reply's counters).",
               diagnostics.counters.keys.sorted().map { ("{name=\"\(escape($0))\"}", String(diagnostics.counters[$0]!)) })
        return text
    }

    private static func seconds(_ nanoseconds: UInt64) -> String { String(Double(nanoseconds) / 1e9) }

    /// A label value as the format wants it: backslash, quote and newline escaped.
    private static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
