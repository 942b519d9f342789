import BridgeMetrics
import BusPublishing
import CAllocationCounter
import Foundation
import KrakenFeed
import KrakenSimulator
import KrakenSimulatorServer
import NIOCore
import NIOPosix
import ZeroMQHub

/// The bridge's whole market path, measured: the real `MarketFeed` (WebSocket client, v2 parse,
/// exact books verified on every update, protobuf encode, hand-off to the ZeroMQ thread)
/// against the simulator's throughput mode over ws:// on loopback, which offers ~10 M
/// messages/s, so the bridge is what limits. Reports the messages/s the feed took in and the
/// frames/s the bus accepted. Latencies go to the Prometheus histogram as in `run`.
struct IngestBenchmark {
    let seconds: Double
    let runs: Int

    struct Failure: Error, CustomStringConvertible { var description: String }

    func run() async throws {
        let pairs = Array(SimulatedPair.defaults.prefix(4))
        let stream = ThroughputStream(pairs: pairs, seed: 1, steps: 20_000)
        var simulatorConfiguration = SimulatorServer.Configuration()
        simulatorConfiguration.pairs = pairs
        simulatorConfiguration.tickInterval = .seconds(3_600)
        simulatorConfiguration.publicFeed = .throughput(ThroughputPlan(stream: stream, messageLimit: nil))
        let simulator = try await SimulatorServer.start(simulatorConfiguration)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kb-ingest-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            .publisher(name: "market", bind: ["ipc://\(directory.path)/m.sock"]),
            .publisher(name: "account", bind: ["ipc://\(directory.path)/a.sock"]),
        ]))
        let publisher = BusPublisher(hub: hub, marketSocket: hub.socket(0), accountSocket: hub.socket(1), keepsLatencySamples: true)
        // As in `run`: the latencies go to the Prometheus histogram every 250 ms, off the loop.
        let metrics = BridgeMetrics()
        let latencyRecorder = Task {
            var buffer: [Int64] = []
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                let unrecorded = publisher.takeLatencySamples(into: &buffer)
                metrics.recordLatencies(buffer, unrecorded: unrecorded)
            }
        }
        defer { latencyRecorder.cancel() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var configuration = MarketFeedConfiguration()
        configuration.connection.endpoints = [FeedEndpoint(host: "127.0.0.1", port: simulator.ports.public, path: "/v2", secure: false)]
        configuration.symbols = pairs.map(\.symbol)
        let feed = try await MarketFeed.start(configuration, publisher: publisher, on: group.next())

        var rates: [Double] = []
        var busRates: [Double] = []
        var allocationsPerMessage: [Double] = []
        var failures: UInt64 = 0
        let feedLoop = group.next()
        kb_allocation_counting(1)
        defer { kb_allocation_counting(0) }
        /// What the feed's event loop thread allocated so far (read on that thread).
        func loopAllocations() async throws -> UInt64 { try await feedLoop.submit { kb_allocations_of_this_thread() }.get() }
        do {
            // Warm up until the stream flows.
            let warmDeadline = ContinuousClock.now + .seconds(20)
            while try await feed.diagnostics().counters.bookUpdates < 100_000 {
                guard ContinuousClock.now < warmDeadline else { throw Failure(description: "the feed did not start streaming") }
                try await Task.sleep(for: .milliseconds(50))
            }
            for _ in 0..<runs {
                let before = try await feed.diagnostics().counters
                let busBefore = publisher.counters.published
                let allocationsBefore = try await loopAllocations()
                let started = ContinuousClock.now
                try await Task.sleep(for: .milliseconds(Int64(seconds * 1_000)))
                let allocationsAfter = try await loopAllocations()
                let after = try await feed.diagnostics().counters
                let elapsed = started.duration(to: .now)
                allocationsPerMessage.append(Double(allocationsAfter - allocationsBefore) / Double(max(after.frames - before.frames, 1)))
                let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                rates.append(Double(after.frames - before.frames) / secondsElapsed)
                busRates.append(Double(publisher.counters.published - busBefore) / secondsElapsed)
                failures = after.checksumFailures + after.malformedTotal + after.reconnections
            }
        } catch {
            try? await feed.stop()
            await hub.shutdown()
            try? await simulator.shutdown()
            throw error
        }
        let counters = try await feed.diagnostics().counters
        try? await feed.stop()
        await hub.shutdown()
        try? await group.shutdownGracefully()
        try? await simulator.shutdown()
        guard failures == 0 else { throw Failure(description: "checksum failures, malformed frames or reconnections: \(counters)") }
        rates.sort()
        busRates.sort()
        let median = rates[rates.count / 2]
        print("| path | Kraken messages/s (median of \(runs) × \(seconds) s) | min | max | ns per message | bus frames/s |")
        print("|---|---|---|---|---|---|")
        print("| ws:// → parse → book + checksum → encode → ZeroMQ outbox (\(pairs.count) pairs, depth 10) | "
            + "\(format(median)) | \(format(rates.first!)) | \(format(rates.last!)) | \(Int(1e9 / median)) | \(format(busRates[busRates.count / 2])) |")
        print("")
        allocationsPerMessage.sort()
        print(String(format: "Allocations per Kraken message on the feed's event loop thread (malloc, calloc, realloc and "
            + "aligned allocations; median of the runs): %.2f.", allocationsPerMessage[allocationsPerMessage.count / 2]))
        print("Over the whole run: \(counters.bookUpdates) book updates and \(counters.trades) trades, "
            + "\(counters.checksumFailures) checksum failures, \(counters.reconnections) reconnections, "
            + "\(publisher.counters.dropped) frames refused by the outbox.")
    }

    private func format(_ rate: Double) -> String { String(format: "%.0f k", rate / 1_000) }
}
