import CoreMetrics
import Prometheus

/// The bridge's Prometheus metrics: one swift-prometheus registry, the publish latency
/// histogram, and the exposition, which is the library's.
///
/// Nothing here is touched per message on the hot path. Counters are plain fields where they
/// happen, copied into the registry when `/metrics` is scraped (`ScrapedMetrics`); latencies
/// are kept by the publisher as raw numbers and recorded here in batches, off the event loops
/// (`recordLatencies`): the library's histogram takes a lock and a pass over its buckets per
/// observation (~50–120 ns measured, `krakenbridge-bench latency-record`), more than the hot
/// path can give.
public final class BridgeMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// Kraken frame received → bus frame handed to the ZeroMQ thread, every message, in seconds.
    public let publishLatency: ValueHistogram
    /// Latencies the publisher could not keep between two batches (its buffer was full).
    private let latencyUnrecorded: Prometheus.Counter

    /// Bucket bounds (seconds) around the measured path (p50 ~4 µs, p99 ~16 µs on this machine)
    /// and the alert threshold (p95 above 100 ms).
    public static let latencyBuckets: [Double] = [2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 5e-4, 1e-3, 1e-2, 5e-2, 0.1, 0.5, 1]

    public init() {
        registry = PrometheusCollectorRegistry()
        publishLatency = registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "krakenbridge_publish_latency", unitName: "seconds",
                helpText: "Kraken frame received to bus frame handed to the ZeroMQ thread."),
            buckets: Self.latencyBuckets)
        latencyUnrecorded = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "krakenbridge_publish_latency_unrecorded_total", unitName: "",
                helpText: "Latencies not recorded because the publisher's buffer was full between two batches."))
    }

    /// Records a batch of latencies (nanoseconds) into the histogram, and those that were not
    /// kept into their counter.
    public func recordLatencies(_ nanoseconds: [Int64], unrecorded: UInt64) {
        for value in nanoseconds { publishLatency.record(Double(value) / 1e9) }
        if unrecorded > 0 { latencyUnrecorded.increment(by: Int64(unrecorded)) }
    }

    /// A swift-metrics factory over the same registry, for anything in the process that reports
    /// through swift-metrics (`MetricsSystem.bootstrap` in `run`).
    public var factory: PrometheusMetricsFactory {
        PrometheusMetricsFactory(registry: registry)
    }

    /// The text exposition (format 0.0.4) of every series.
    public func exposition() -> String { registry.emitToString() }
}
