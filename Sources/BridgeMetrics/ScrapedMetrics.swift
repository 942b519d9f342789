import Prometheus

/// Copies figures kept as plain fields into the registry at scrape time: a counter advances by
/// what its source advanced since the last scrape; a gauge takes the source's value.
///
/// A gauge series not set during a scrape is removed, so pairs, breakers and feeds that are
/// gone do not linger as stale values; counters stay, as Prometheus expects of them. Not
/// thread-safe: one owner scrapes at a time (the supervisor actor).
public struct ScrapedMetrics {
    private struct Series: Hashable {
        var name: String
        var labels: [String]

        init(_ name: String, _ labels: [(String, String)]) {
            self.name = name
            self.labels = labels.flatMap { [$0.0, $0.1] }
        }
    }

    private let registry: PrometheusCollectorRegistry
    private var counters: [Series: (counter: Counter, total: UInt64)] = [:]
    private var gauges: [Series: Gauge] = [:]
    private var gaugesSet: Set<Series> = []

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Starts a scrape: gauges set before `finish()` are kept.
    public mutating func begin() {
        gaugesSet.removeAll(keepingCapacity: true)
    }

    /// The counter `name{labels}` now stands at `total` (a total that went down — its source
    /// was replaced — starts the series again).
    public mutating func counter(_ name: String, help: String, labels: [(String, String)] = [], total: UInt64) {
        let series = Series(name, labels)
        if let known = counters[series] {
            if total >= known.total {
                if total > known.total { known.counter.increment(by: Int64(total - known.total)) }
            } else {
                known.counter.reset()
                known.counter.increment(by: Int64(total))
            }
            counters[series]!.total = total
            return
        }
        let descriptor = MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
        let counter = labels.isEmpty
            ? registry.makeCounter(descriptor: descriptor) : registry.makeCounter(descriptor: descriptor, labels: labels)
        if total > 0 { counter.increment(by: Int64(total)) }
        counters[series] = (counter, total)
    }

    /// The gauge `name{labels}` now reads `value`.
    public mutating func gauge(_ name: String, help: String, labels: [(String, String)] = [], value: Double) {
        let series = Series(name, labels)
        gaugesSet.insert(series)
        if let gauge = gauges[series] {
            gauge.set(value)
            return
        }
        let descriptor = MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
        let gauge = labels.isEmpty
            ? registry.makeGauge(descriptor: descriptor) : registry.makeGauge(descriptor: descriptor, labels: labels)
        gauge.set(value)
        gauges[series] = gauge
    }

    /// Ends a scrape: gauges not set in it are removed from the registry.
    public mutating func finish() {
        for (series, gauge) in gauges where !gaugesSet.contains(series) {
            registry.unregisterGauge(gauge)
            gauges[series] = nil
        }
    }
}
