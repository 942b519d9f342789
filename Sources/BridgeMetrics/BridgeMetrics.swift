import CoreMetrics
import Prometheus

/// The bridge's Prometheus metrics: one swift-prometheus registry, the one series recorded on
/// the hot path (the publish latency histogram), and the exposition, which is the library's.
///
/// Everything else is counted in plain fields where it happens (no atomics or locks per
/// message) and copied into the registry when `/metrics` is scraped (`ScrapedMetrics`).
public final class BridgeMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// Kraken frame received → bus frame handed to the ZeroMQ thread, every message.
    public let publishLatency: DurationHistogram

    /// Bucket bounds around the measured path (p50 ~4 µs, p99 ~16 µs on this machine) and the
    /// alert threshold (p95 above 100 ms).
    public static let latencyBuckets: [Duration] = [
        .microseconds(2), .microseconds(5), .microseconds(10), .microseconds(20), .microseconds(50), .microseconds(100),
        .microseconds(500), .milliseconds(1), .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500),
        .seconds(1),
    ]

    public init() {
        registry = PrometheusCollectorRegistry()
        publishLatency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "krakenbridge_publish_latency", unitName: "seconds",
                helpText: "Kraken frame received to bus frame handed to the ZeroMQ thread."),
            buckets: Self.latencyBuckets)
    }

    /// A swift-metrics factory over the same registry, for anything in the process that reports
    /// through swift-metrics (`MetricsSystem.bootstrap` in `run`).
    public var factory: PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.latencyBuckets
        return factory
    }

    /// The text exposition (format 0.0.4) of every series.
    public func exposition() -> String { registry.emitToString() }
}
