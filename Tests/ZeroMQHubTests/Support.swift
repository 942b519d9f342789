import Foundation
import Synchronization
import Testing
import ZeroMQ
@testable import ZeroMQHub

/// Drains a hub's inbound stream in the background so tests can wait for what arrived.
final class InboundCollector: Sendable {
    private final class Store: Sendable {
        let items = Mutex<[HubInbound]>([])
    }

    private let store = Store()
    private let task: Task<Void, Never>

    init(_ hub: ZMQHub) {
        let store = store
        let stream = hub.inbound
        task = Task {
            for await item in stream { store.items.withLock { $0.append(item) } }
        }
    }

    var all: [HubInbound] { store.items.withLock { $0 } }

    /// The data messages received so far (subscriptions left out).
    var messages: [ZMQMessage] {
        all.compactMap { if case .message(_, let message) = $0 { message } else { nil } }
    }

    var subscriptions: [[UInt8]] {
        all.compactMap { if case .subscription(_, true, let topic) = $0 { topic } else { nil } }
    }

    /// Waits until `condition` holds, checking every 5 ms, at most `timeout`.
    @discardableResult
    func wait(timeout: Duration = .seconds(10), until condition: ([HubInbound]) -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if condition(all) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition(all)
    }

    deinit { task.cancel() }
}

/// Whether `condition` comes to hold within `timeout`, checked every 5 ms.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

/// A unique ipc endpoint in a fresh temporary directory.
func temporaryIPCEndpoint(_ name: String) -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kb-\(UUID().uuidString.prefix(8))")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return "ipc://\(directory.path)/\(name).sock"
}

extension Array where Element == UInt8 {
    init(_ text: String) { self = Array(text.utf8) }
}

/// A bus-shaped test message whose payload carries a sequence number.
func testFrames(topic: String, sequence: UInt64, payloadSize: Int = 8) -> [[UInt8]] {
    var payload = withUnsafeBytes(of: sequence.littleEndian) { Array($0) }
    payload += Array(repeating: 0xAB, count: Swift.max(0, payloadSize - 8))
    return [Array(topic.utf8), [0x4B, 0x42, 1], payload]
}

func sequence(of message: ZMQMessage) -> UInt64 {
    message.frames[2].prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
}

/// CLOCK_REALTIME in nanoseconds, as the hub stamps it.
func unixNanoseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
}
