import BridgeMetrics
import BusPublishing
import CoreMetrics
import Foundation
import Prometheus

/// What recording one message's latency costs, per way of doing it: the diagnostics histogram
/// (a plain array, on the hot path), keeping the raw number for a later batch (on the hot path),
/// and the Prometheus histograms (a lock and a pass over the buckets), which is why the bridge
/// records those in batches off the event loops.
struct LatencyRecordBenchmark {
    let iterations: Int
    let runs: Int

    func run() {
        let metrics = BridgeMetrics()
        let durations: any TimerHandler = metrics.registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: "bench_durations", unitName: "seconds", helpText: "bench"),
            buckets: BridgeMetrics.latencyBuckets.map { .nanoseconds(Int64($0 * 1e9)) })
        var diagnostics = LatencyHistogram()
        var samples: [Int64] = []
        samples.reserveCapacity(iterations)
        // Each way timed in its own loop (closures kept in an array would not be inlined and
        // would time the call instead).
        var times: [String: [Double]] = [:]
        let names = [
            "diagnostics `LatencyHistogram` (hot path)", "raw sample kept for the batch (hot path)",
            "Prometheus value histogram, seconds (the batch, per sample)", "Prometheus duration histogram via swift-metrics `TimerHandler`",
        ]
        for _ in 0..<runs {
            times[names[0], default: []].append(Self.nanosecondsPerCall(iterations) { diagnostics.record(UInt64($0)) })
            samples.removeAll(keepingCapacity: true)
            times[names[1], default: []].append(Self.nanosecondsPerCall(iterations) { samples.append($0) })
            times[names[2], default: []].append(Self.nanosecondsPerCall(iterations) { metrics.publishLatency.record(Double($0) / 1e9) })
            times[names[3], default: []].append(Self.nanosecondsPerCall(iterations) { durations.recordNanoseconds($0) })
        }
        print("| recording one latency | ns (median of \(runs) × \(iterations)) | min | max |")
        print("|---|---|---|---|")
        for name in names {
            let sorted = times[name]!.sorted()
            print("| \(name) | \(Self.format(sorted[runs / 2])) | \(Self.format(sorted[0])) | \(Self.format(sorted[runs - 1])) |")
        }
        precondition(diagnostics.samples > 0 && !samples.isEmpty)
    }

    @inline(__always)
    private static func nanosecondsPerCall(_ iterations: Int, _ record: (Int64) -> Void) -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        var value: Int64 = 3_000
        for _ in 0..<iterations {
            record(value)
            value = (value &* 1_103_515_245 &+ 12_345) & 0xFFFFF  // 0…1 ms, spread over the buckets
        }
        let elapsed = started.duration(to: clock.now)
        return (Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9) / Double(iterations)
    }

    private static func format(_ nanoseconds: Double) -> String { String(format: "%.1f", nanoseconds) }
}
