import Testing
import ZeroMQ
@testable import ZeroMQHub

@Suite("high-water marks and shutdown", .serialized)
struct FlowControlTests {
    /// The documented behaviour (docs/zeromq.md): a PUB never blocks; when a subscriber's queue
    /// (its SNDHWM + RCVHWM + kernel buffers) is full, libzmq drops silently and reports
    /// success, so the only evidence is a gap in the per-topic sequence numbers.
    @Test("at the high-water mark a PUB reports success for every message: its drops are silent")
    func pubDropsAtHighWaterMark() async throws {
        var publisherSettings = SocketSettings.marketData
        publisherSettings.sendHighWaterMark = 100
        var subscriberSettings = SocketSettings.subscriber
        subscriberSettings.receiveHighWaterMark = 100
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            HubSocketSpec(name: "md", type: .xpub, binds: ["inproc://hwm"], settings: publisherSettings, deliversInbound: true),
            HubSocketSpec(name: "slow", type: .sub, connects: ["inproc://hwm"], settings: subscriberSettings, subscriptions: [[]]),
        ]))
        let events = InboundCollector(hub)
        #expect(await events.wait { _ in !events.subscriptions.isEmpty })
        // The subscriber does not read (deliversInbound is false) while 20,000 messages go out.
        let total: UInt64 = 20_000
        for sequence in 1...total {
            while hub.publish(to: hub.socket(0), frames: testFrames(topic: "t:", sequence: sequence)) != .queued {
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        #expect(await waitFor { hub.counters().sent == total })
        let counters = hub.counters()
        #expect(counters.sent == total, "libzmq accepted every message")
        #expect(counters.sendWouldBlock == 0)
        await hub.shutdown()
    }

    @Test("a slow subscriber over tcp loses messages, and the losses are exactly the sequence gaps")
    func slowSubscriberSeesGaps() async throws {
        var publisherSettings = SocketSettings.marketData
        publisherSettings.sendHighWaterMark = 50
        let publisher = try await ZMQHub.start(HubConfiguration(sockets: [
            HubSocketSpec(name: "md", type: .xpub, binds: ["tcp://127.0.0.1:*"], settings: publisherSettings, deliversInbound: true),
        ]))
        let endpoint = try #require(publisher.endpoint(of: publisher.socket(0)))
        let context = try ZMQContext()
        let subscriber = try ZMQSocket(context: context, type: .sub)
        try subscriber.set(.receiveHighWaterMark, 50)
        try subscriber.set(.subscribe, [])
        try subscriber.connect(endpoint)
        let events = InboundCollector(publisher)
        #expect(await events.wait { _ in !events.subscriptions.isEmpty })

        let total: UInt64 = 200_000
        for sequence in 1...total {
            while publisher.publish(to: publisher.socket(0), frames: testFrames(topic: "t:", sequence: sequence, payloadSize: 200)) != .queued {
                await Task.yield()
            }
        }
        #expect(await waitFor { publisher.counters().sent == total })
        try await Task.sleep(for: .milliseconds(300))

        var received: [UInt64] = []
        while let message = try subscriber.receiveMessage(dontWait: true) { received.append(sequence(of: message)) }
        #expect(received.count < Int(total), "some messages were dropped at the high-water mark")
        #expect(received == received.sorted(), "what arrives stays in order")
        var gaps = 0
        var missing: UInt64 = 0
        var previous: UInt64 = 0
        for value in received {
            if value != previous + 1 { gaps += 1; missing += value - previous - 1 }
            previous = value
        }
        if previous < total { gaps += 1; missing += total - previous }  // tail loss: caught by heartbeats
        #expect(gaps > 0)
        #expect(UInt64(received.count) + missing == total, "every lost message is visible as a gap")
        await publisher.shutdown()
    }

    @Test("with XPUB_NODROP the hub counts would-block sends instead of dropping silently")
    func noDropCountsWouldBlock() async throws {
        var settings = SocketSettings.marketData
        settings.sendHighWaterMark = 10
        settings.xpubNoDrop = true
        var subscriberSettings = SocketSettings.subscriber
        subscriberSettings.receiveHighWaterMark = 10
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            HubSocketSpec(name: "md", type: .xpub, binds: ["inproc://nodrop"], settings: settings, deliversInbound: true),
            HubSocketSpec(name: "slow", type: .sub, connects: ["inproc://nodrop"], settings: subscriberSettings, subscriptions: [[]]),
        ]))
        let events = InboundCollector(hub)
        #expect(await events.wait { _ in !events.subscriptions.isEmpty })
        for sequence in 1...1_000 as ClosedRange<UInt64> {
            hub.publish(to: hub.socket(0), frames: testFrames(topic: "t:", sequence: sequence))
        }
        #expect(await waitFor { let c = hub.counters(); return c.sent + c.sendWouldBlock == 1_000 })
        #expect(hub.counters().sendWouldBlock > 0)
        await hub.shutdown()
    }

    @Test("shutdown while another thread publishes flat out returns promptly")
    func shutdownUnderLoad() async throws {
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            .publisher(name: "md", bind: ["tcp://127.0.0.1:*"]),
        ]))
        let endpoint = try #require(hub.endpoint(of: hub.socket(0)))
        // A subscriber that connects and never reads, so queues fill up.
        let context = try ZMQContext()
        let stuck = try ZMQSocket(context: context, type: .sub)
        try stuck.set(.subscribe, [])
        try stuck.connect(endpoint)
        let events = InboundCollector(hub)
        #expect(await events.wait { _ in !events.subscriptions.isEmpty })

        let producer = Task.detached {
            var sequence: UInt64 = 0
            while !Task.isCancelled {
                sequence += 1
                if case .dropped(.hubStopped) = hub.publish(to: hub.socket(0), frames: testFrames(topic: "t:", sequence: sequence, payloadSize: 256)) {
                    return sequence
                }
            }
            return sequence
        }
        try await Task.sleep(for: .milliseconds(300))
        let clock = ContinuousClock()
        let elapsed = await clock.measure { await hub.shutdown() }
        let published = await producer.value
        #expect(elapsed < .seconds(2), "shutdown took \(elapsed)")
        #expect(published > 1_000)
        #expect(hub.counters().dropped[.hubStopped, default: 0] >= 1)
    }
}
