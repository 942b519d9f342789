import Foundation
import Synchronization
import WireFormat
import ZeroMQ
import ZeroMQHub

/// A subscriber on the bridge's bus (its own hub with one SUB socket) that keeps every frame
/// it receives, decoded, in arrival order.
final class BusRecorder: Sendable {
    struct Received: Sendable {
        var topic: String
        var header: FrameHeader
        var payload: BusPayload
    }

    private final class Store: Sendable {
        let frames = Mutex<[Received]>([])
        let undecodable = Mutex(0)
    }

    private let hub: ZMQHub
    private let store = Store()
    private let task: Task<Void, Never>

    private init(hub: ZMQHub) {
        self.hub = hub
        let store = store
        let stream = hub.inbound
        task = Task {
            for await item in stream {
                guard case .message(_, let message) = item else { continue }
                do {
                    let frame = try BusFrame(frames: message.frames)
                    let received = Received(topic: frame.topic.description, header: frame.header, payload: try frame.decodePayload())
                    store.frames.withLock { $0.append(received) }
                } catch {
                    store.undecodable.withLock { $0 += 1 }
                }
            }
        }
    }

    /// Subscribes to everything on `endpoints`.
    static func start(connectingTo endpoints: [String]) async throws -> BusRecorder {
        let spec = HubSocketSpec(name: "recorder", type: .sub, connects: endpoints, subscriptions: [[]], deliversInbound: true,
                                 monitored: false)
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [spec], inboundBufferLimit: 1_000_000, threadName: "test.sub"))
        return BusRecorder(hub: hub)
    }

    var all: [Received] { store.frames.withLock { $0 } }
    var undecodableCount: Int { store.undecodable.withLock { $0 } }

    /// Waits until `condition` holds over what arrived (checked every 10 ms), at most `timeout`.
    @discardableResult
    func wait(timeout: Duration = .seconds(20), until condition: ([Received]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(all) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(all)
    }

    /// Waits until nothing new has arrived for `quiet` (at most `timeout`): what was already
    /// published has been received.
    func waitUntilQuiet(for quiet: Duration = .milliseconds(500), timeout: Duration = .seconds(20)) async {
        let deadline = ContinuousClock.now + timeout
        var count = all.count
        var stableSince = ContinuousClock.now
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
            let now = all.count
            if now != count {
                count = now
                stableSince = ContinuousClock.now
            } else if stableSince.duration(to: .now) >= quiet {
                return
            }
        }
    }

    func stop() async {
        task.cancel()
        await hub.shutdown()
    }
}
