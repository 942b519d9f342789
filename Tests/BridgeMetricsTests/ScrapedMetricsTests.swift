import BridgeMetrics
import Testing

@Suite("metrics copied in at scrape time, rendered by swift-prometheus")
struct ScrapedMetricsTests {
    private static func lines(_ metrics: BridgeMetrics) -> [String] {
        metrics.exposition().split(separator: "\n").map(String.init)
    }

    @Test("a counter advances by what its source advanced since the last scrape")
    func countersFollowTheirSource() {
        let metrics = BridgeMetrics()
        var scraped = ScrapedMetrics(registry: metrics.registry)
        for total: UInt64 in [5, 5, 12] {
            scraped.begin()
            scraped.counter("krakenbridge_test_total", help: "A test counter.", labels: [("feed", "public")], total: total)
            scraped.finish()
        }
        #expect(Self.lines(metrics).contains(#"krakenbridge_test_total{feed="public"} 12"#))
        #expect(Self.lines(metrics).contains("# HELP krakenbridge_test_total A test counter."))
    }

    @Test("a source that went back (it was replaced) restarts the series at its value")
    func aCounterThatWentBackRestarts() {
        let metrics = BridgeMetrics()
        var scraped = ScrapedMetrics(registry: metrics.registry)
        scraped.counter("krakenbridge_test_total", help: "A test counter.", total: 40)
        scraped.counter("krakenbridge_test_total", help: "A test counter.", total: 3)
        #expect(Self.lines(metrics).contains("krakenbridge_test_total 3"))
    }

    @Test("a gauge not set in a scrape is removed: a pair or breaker that is gone does not linger")
    func gaugesNotSetAreRemoved() {
        let metrics = BridgeMetrics()
        var scraped = ScrapedMetrics(registry: metrics.registry)
        scraped.begin()
        scraped.gauge("krakenbridge_test_state", help: "A test gauge.", labels: [("endpoint", "a")], value: 2)
        scraped.gauge("krakenbridge_test_state", help: "A test gauge.", labels: [("endpoint", "b")], value: 1)
        scraped.finish()
        scraped.begin()
        scraped.gauge("krakenbridge_test_state", help: "A test gauge.", labels: [("endpoint", "b")], value: 0)
        scraped.finish()
        let lines = Self.lines(metrics).filter { $0.hasPrefix("krakenbridge_test_state") }
        #expect(lines == [#"krakenbridge_test_state{endpoint="b"} 0.0"#])
    }

    @Test("latencies recorded in a batch fill the histogram from microseconds to a second; those not kept are counted")
    func latencyHistogram() {
        let metrics = BridgeMetrics()
        metrics.recordLatencies([3_000, 15_000, 200_000_000], unrecorded: 4)
        let lines = Self.lines(metrics)
        #expect(lines.contains(#"krakenbridge_publish_latency_seconds_bucket{le="2e-06"} 0"#))
        #expect(lines.contains(#"krakenbridge_publish_latency_seconds_bucket{le="5e-06"} 1"#))
        #expect(lines.contains(#"krakenbridge_publish_latency_seconds_bucket{le="2e-05"} 2"#))
        #expect(lines.contains(#"krakenbridge_publish_latency_seconds_bucket{le="0.1"} 2"#))
        #expect(lines.contains(#"krakenbridge_publish_latency_seconds_bucket{le="+Inf"} 3"#))
        #expect(lines.contains("krakenbridge_publish_latency_seconds_count 3"))
        #expect(lines.contains("krakenbridge_publish_latency_seconds_sum 0.200018"))
        #expect(lines.contains("# TYPE krakenbridge_publish_latency_seconds histogram"))
        #expect(lines.contains("krakenbridge_publish_latency_unrecorded_total 4"))
    }
}
