import Foundation
import Testing
import ZeroMQ
@testable import ZeroMQHub

@Suite("publish and subscribe through the hub", .serialized)
struct PubSubTests {
    /// Publisher and subscriber in separate hubs (separate contexts), as across processes.
    func roundTrip(bind: String, connect: (String) -> String) async throws {
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            .publisher(name: "md", bind: [bind]),
        ]))
        let endpoint = try #require(hub.endpoint(of: hub.socket(0)))
        let subscriberHub = try await ZMQHub.start(HubConfiguration(sockets: [
            .subscriber(name: "tap", connect: [connect(endpoint)], topics: [Array("trade:BTC/USD:".utf8)]),
        ]))
        let publisherEvents = InboundCollector(hub)
        let subscriberEvents = InboundCollector(subscriberHub)

        #expect(await publisherEvents.wait { _ in publisherEvents.subscriptions == [Array("trade:BTC/USD:".utf8)] })
        for sequence in 1...100 as ClosedRange<UInt64> {
            #expect(hub.publish(to: hub.socket(0), frames: testFrames(topic: "trade:BTC/USD:", sequence: sequence)) == .queued)
            // A longer symbol sharing the prefix must not reach a subscriber of the terminated topic.
            hub.publish(to: hub.socket(0), frames: testFrames(topic: "trade:BTC/USDT:", sequence: sequence))
        }
        #expect(await subscriberEvents.wait { _ in subscriberEvents.messages.count >= 100 })
        let received = subscriberEvents.messages
        #expect(received.count == 100)
        #expect(received.map(sequence(of:)) == Array(1...100))
        #expect(received.allSatisfy { $0.frames.count == 3 && $0.frames[0] == Array("trade:BTC/USD:".utf8) })
        await hub.shutdown()
        await subscriberHub.shutdown()
    }

    @Test("XPUB to SUB over tcp delivers every message in order, topic-filtered")
    func tcpRoundTrip() async throws {
        try await roundTrip(bind: "tcp://127.0.0.1:*") { $0 }
    }

    @Test("XPUB to SUB over ipc delivers every message in order, topic-filtered")
    func ipcRoundTrip() async throws {
        let endpoint = temporaryIPCEndpoint("md")
        try await roundTrip(bind: endpoint) { _ in endpoint }
    }

    @Test("XPUB to SUB over inproc within one hub delivers every message in order")
    func inprocRoundTrip() async throws {
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            .publisher(name: "md", bind: ["inproc://md"]),
            .subscriber(name: "tap", connect: ["inproc://md"], topics: [Array("book:".utf8)]),
        ]))
        let events = InboundCollector(hub)
        #expect(await events.wait { _ in events.subscriptions == [Array("book:".utf8)] })
        for sequence in 1...50 as ClosedRange<UInt64> {
            hub.publish(to: hub.socket(0), frames: testFrames(topic: "book:ETH/USD:10:", sequence: sequence))
            hub.publish(to: hub.socket(0), frames: testFrames(topic: "trade:ETH/USD:", sequence: sequence))
        }
        #expect(await events.wait { _ in events.messages.count >= 50 })
        #expect(events.messages.map(sequence(of:)) == Array(1...50))
        #expect(events.messages.allSatisfy { $0.frames[0] == Array("book:ETH/USD:10:".utf8) })
        await hub.shutdown()
    }

    @Test("multipart messages of any shape arrive frame for frame, empty and large frames included")
    func multipartShapes() async throws {
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            .publisher(name: "md", bind: ["inproc://shapes"]),
            .subscriber(name: "tap", connect: ["inproc://shapes"], topics: [[]]),
        ]))
        let events = InboundCollector(hub)
        #expect(await events.wait { _ in !events.subscriptions.isEmpty })
        let shapes: [[[UInt8]]] = [
            [Array("a:".utf8)],
            [Array("b:".utf8), []],
            [Array("c:".utf8), [], [1], []],
            [Array("d:".utf8), Array(repeating: 7, count: 1 << 20), [0, 0, 0]],
            (0..<20).map { [UInt8($0)] },
        ]
        for shape in shapes { #expect(hub.publish(to: hub.socket(0), frames: shape) == .queued) }
        #expect(await events.wait { _ in events.messages.count >= shapes.count })
        #expect(events.messages.map(\.frames) == shapes)
        await hub.shutdown()
    }

    @Test("the [topic][header][payload] publish path sends exactly those three frames")
    func threeFramePublish() async throws {
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            .publisher(name: "md", bind: ["inproc://three"]),
            .subscriber(name: "tap", connect: ["inproc://three"], topics: [[]]),
        ]))
        let events = InboundCollector(hub)
        #expect(await events.wait { _ in !events.subscriptions.isEmpty })
        hub.publish(to: hub.socket(0), topic: Array("x:".utf8), header: [1, 2, 3], payload: [])
        #expect(await events.wait { _ in events.messages.count == 1 })
        #expect(events.messages.first?.frames == [Array("x:".utf8), [1, 2, 3], []])
        #expect(hub.counters().sent == 1)
        await hub.shutdown()
    }
    /// Publishes `count` messages one at a time, each after the previous one arrived, and
    /// returns how often a publisher had to wake the hub's thread.
    func wakeSignals(idleSpin: Duration, count: Int) async throws -> UInt64 {
        var configuration = HubConfiguration(sockets: [
            .publisher(name: "md", bind: ["inproc://spin"]), .subscriber(name: "tap", connect: ["inproc://spin"], topics: [[]]),
        ])
        configuration.idleSpin = idleSpin
        let hub = try await ZMQHub.start(configuration)
        let events = InboundCollector(hub)
        #expect(await events.wait { _ in !events.subscriptions.isEmpty })
        for index in 1...count {
            hub.publish(to: hub.socket(0), frames: testFrames(topic: "t:", sequence: UInt64(index)))
            #expect(await events.wait { _ in events.messages.count == index })
        }
        #expect(events.messages.map(sequence(of:)) == (1...count).map(UInt64.init))
        let signals = hub.counters().wakeSignals
        await hub.shutdown()
        return signals
    }

    @Test("a hub spinning after its last message takes the next ones without being woken; one that sleeps is woken")
    func idleSpinSkipsWakeUps() async throws {
        // The first message may find the thread asleep; the rest arrive within its 10 s of spinning.
        #expect(try await wakeSignals(idleSpin: .seconds(10), count: 50) <= 1)
        // Without spinning the thread sleeps between messages (the test waits for each to arrive).
        #expect(try await wakeSignals(idleSpin: .zero, count: 50) >= 1)
    }

    @Test("a socket with a send timestamp field carries, in each message, the moment it was sent")
    func sendTimestamp() async throws {
        var publisher = HubSocketSpec.publisher(name: "md", bind: ["inproc://stamped"])
        publisher.sendTimestamp = SendTimestampField(frame: 1, byteOffset: 8)
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            publisher, .subscriber(name: "tap", connect: ["inproc://stamped"], topics: [[]]),
        ]))
        let events = InboundCollector(hub)
        #expect(await events.wait { _ in !events.subscriptions.isEmpty })
        let header = Array(repeating: UInt8(0xEE), count: 16)
        let before = unixNanoseconds()
        hub.publish(to: hub.socket(0), topic: Array("x:".utf8), header: header, payload: [9])
        // A header frame too short for the field goes out as it was queued.
        hub.publish(to: hub.socket(0), topic: Array("y:".utf8), header: [1, 2, 3], payload: [])
        #expect(await events.wait { _ in events.messages.count == 2 })
        let after = unixNanoseconds()
        let stamped = try #require(events.messages.first?.frames)
        #expect(stamped[0] == Array("x:".utf8))
        #expect(stamped[1].prefix(8) == header.prefix(8))
        let sent = stamped[1].withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: Int64.self)) }
        #expect(before <= sent && sent <= after)
        #expect(stamped[2] == [9])
        #expect(events.messages.last?.frames == [Array("y:".utf8), [1, 2, 3], []])
        await hub.shutdown()
    }
}

@Suite("hub start-up errors")
struct HubStartupTests {
    @Test("binding an endpoint that is already in use fails start with a typed error and leaves no thread behind")
    func endpointInUse() async throws {
        let first = try await ZMQHub.start(HubConfiguration(sockets: [.publisher(name: "md", bind: ["tcp://127.0.0.1:*"])]))
        let endpoint = try #require(first.endpoint(of: first.socket(0)))
        do {
            _ = try await ZMQHub.start(HubConfiguration(sockets: [.publisher(name: "md", bind: [endpoint])]))
            Issue.record("the second bind should have failed")
        } catch let error as ZMQError {
            #expect(error.code == EADDRINUSE)
            #expect(error.operation == "zmq_bind(\(endpoint))")
        }
        await first.shutdown()
    }

    @Test("a malformed endpoint in the configuration is a typed error")
    func malformedEndpoint() async {
        await #expect(throws: ZMQError.self) {
            _ = try await ZMQHub.start(HubConfiguration(sockets: [.publisher(name: "md", bind: ["tcp://nowhere"])]))
        }
    }
}
