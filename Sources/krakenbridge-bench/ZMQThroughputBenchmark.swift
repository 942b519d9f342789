import CZeroMQ
import Foundation
import Synchronization
import ZeroMQ
import ZeroMQHub

/// N three-frame messages `[topic][56-byte header][payload]` of a given total size, published
/// over tcp loopback to one subscriber thread that counts them:
///
/// - raw: the producing thread calls `zmq_send` on the PUB itself (the ceiling);
/// - hub: the producing thread calls `ZMQHub.publish`, the hub's owner thread sends.
///
/// Both sides use unlimited high-water marks so nothing is dropped and every message is
/// counted. "handed off" is the rate until libzmq accepted all N; "delivered" until the
/// subscriber received all N.
struct ZMQThroughputBenchmark {
    let frames: Int
    let sizes: [Int]
    let runs: Int

    struct Result {
        var handOff: Double
        var delivered: Double
        var retries: Int
    }

    static let topic = Array("trade:BTC/USD:".utf8)
    static let header = [UInt8](repeating: 0x42, count: 56)

    func run() async throws {
        let version = ZMQLibrary.version
        print("| message bytes | raw: handed off (msg/s) | raw: delivered (msg/s) | hub: handed off (msg/s) | hub: delivered (msg/s) | hub / raw (delivered) | hub / raw (handed off) |")
        print("|---|---|---|---|---|---|---|")
        for size in sizes {
            let payload = [UInt8](repeating: 0x5A, count: max(0, size - Self.topic.count - Self.header.count))
            var raw: [Result] = []
            var hub: [Result] = []
            for _ in 0..<runs {
                raw.append(try rawRun(payload: payload))
                hub.append(try await hubRun(payload: payload))
            }
            let rawHandOff = median(raw.map(\.handOff)), rawDelivered = median(raw.map(\.delivered))
            let hubHandOff = median(hub.map(\.handOff)), hubDelivered = median(hub.map(\.delivered))
            print("| \(size) | \(format(rawHandOff)) | \(format(rawDelivered)) | \(format(hubHandOff)) | \(format(hubDelivered)) | \(percent(hubDelivered / rawDelivered)) | \(percent(hubHandOff / rawHandOff)) |")
        }
        print("")
        print("\(frames) messages per run, median of \(runs) runs, libzmq \(version.major).\(version.minor).\(version.patch), \(ProcessInfo.processInfo.activeProcessorCount) cores.")
    }

    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    func format(_ value: Double) -> String { String(format: "%.0f k", value / 1_000) }
    func percent(_ value: Double) -> String { String(format: "%.0f %%", value * 100) }

    /// A subscriber on its own thread and context, counting until `expected` arrive.
    final class CountingSubscriber: Sendable {
        let done = Mutex<ContinuousClock.Instant?>(nil)
        let ready = DispatchSemaphore(value: 0)

        init(endpoint: String, expected: Int) {
            let thread = Thread { [self] in
                do {
                    let context = try ZMQContext()
                    let socket = try ZMQSocket(context: context, type: .sub)
                    try socket.set(.receiveHighWaterMark, 0)
                    try socket.set(.subscribe, [])
                    try socket.set(.receiveTimeout, 10_000)
                    try socket.connect(endpoint)
                    ready.signal()
                    var count = 0
                    while count < expected, try socket.receiveMessage() != nil { count += 1 }
                    done.withLock { $0 = ContinuousClock.now }
                } catch {
                    FileHandle.standardError.write(Data("subscriber: \(error)\n".utf8))
                    ready.signal()
                    done.withLock { $0 = ContinuousClock.now }
                }
            }
            thread.start()
            ready.wait()
        }

        func waitUntilDone() -> ContinuousClock.Instant {
            while true {
                if let instant = done.withLock({ $0 }) { return instant }
                usleep(200)
            }
        }
    }

    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    func rawRun(payload: [UInt8]) throws -> Result {
        let context = try ZMQContext()
        let publisher = try ZMQSocket(context: context, type: .xpub)
        try publisher.set(.sendHighWaterMark, 0)
        try publisher.set(.linger, 0)
        let endpoint = try publisher.bind("tcp://127.0.0.1:*")
        let subscriber = CountingSubscriber(endpoint: endpoint, expected: frames)
        _ = try publisher.receiveMessage()  // the subscription: the subscriber is connected
        let start = ContinuousClock.now
        try Self.topic.withUnsafeBytes { topic in
            try Self.header.withUnsafeBytes { header in
                try payload.withUnsafeBytes { payload in
                    for _ in 0..<frames {
                        try publisher.send(topic, more: true)
                        try publisher.send(header, more: true)
                        try publisher.send(payload)
                    }
                }
            }
        }
        let handedOff = ContinuousClock.now
        let delivered = subscriber.waitUntilDone()
        return Result(
            handOff: Double(frames) / seconds(handedOff - start), delivered: Double(frames) / seconds(delivered - start),
            retries: 0)
    }

    func hubRun(payload: [UInt8]) async throws -> Result {
        var spec = HubSocketSpec.publisher(name: "md", bind: ["tcp://127.0.0.1:*"])
        spec.settings.sendHighWaterMark = 0
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [spec]))
        let endpoint = hub.endpoint(of: hub.socket(0))!
        let subscriber = CountingSubscriber(endpoint: endpoint, expected: frames)
        for await item in hub.inbound { if case .subscription = item { break } }
        let socket = hub.socket(0)
        let frames = self.frames
        // The producer is a plain thread, as the ingest path's event-loop thread will be.
        let start = ContinuousClock.now
        let retries = await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            Thread {
                var retries = 0
                Self.topic.withUnsafeBytes { topic in
                    Self.header.withUnsafeBytes { header in
                        payload.withUnsafeBytes { payload in
                            for _ in 0..<frames {
                                while hub.publish(to: socket, topic: topic, header: header, payload: payload) != .queued {
                                    retries += 1
                                    sched_yield()
                                }
                            }
                        }
                    }
                }
                continuation.resume(returning: retries)
            }.start()
        }
        while hub.counters().sent < UInt64(frames) { try await Task.sleep(for: .microseconds(100)) }
        let handedOff = ContinuousClock.now
        let delivered = subscriber.waitUntilDone()
        await hub.shutdown()
        return Result(
            handOff: Double(frames) / seconds(handedOff - start), delivered: Double(frames) / seconds(delivered - start),
            retries: retries)
    }
}
