import BusPublishing
import Foundation
import WireFormat
import ZeroMQHub

/// The bridge's bus in a test: a hub with the market and account PUB sockets on ipc, its
/// publisher, and a recorder subscribed to both, ready (the slow-joiner wait is over) when
/// `start` returns. Tests comparing two bridges give each its own.
struct TestBus {
    let hub: ZMQHub
    let publisher: BusPublisher
    let recorder: BusRecorder
    let directory: URL

    static func start() async throws -> TestBus {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kbfeed-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let marketEndpoint = "ipc://\(directory.path)/market.sock"
        let accountEndpoint = "ipc://\(directory.path)/account.sock"
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            .publisher(name: "market", bind: [marketEndpoint]),
            .publisher(name: "account", bind: [accountEndpoint]),
        ], threadName: "test.bridge"))
        let publisher = BusPublisher(hub: hub, marketSocket: hub.socket(0), accountSocket: hub.socket(1), flags: [.simulated])
        let recorder = try await BusRecorder.start(connectingTo: [marketEndpoint, accountEndpoint])
        // Slow joiner: publish nothing until both XPUBs have seen the recorder's subscription.
        var subscribed: Set<Int> = []
        for await item in hub.inbound {
            if case .subscription(let socket, true, _) = item { subscribed.insert(socket.index) }
            if subscribed.count == 2 { break }
        }
        return TestBus(hub: hub, publisher: publisher, recorder: recorder, directory: directory)
    }

    func stop() async {
        await recorder.stop()
        await hub.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}
