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

    @Test("a slow subscriber's overflows are counted, at least once per gap it sees; every other subscriber gets everything")
    func subscriberOverflowsAreCountedAsGaps() async throws {
        var publisherSettings = SocketSettings.marketData
        publisherSettings.sendHighWaterMark = 20
        publisherSettings.xpubVerbose = true
        let publisher = try await ZMQHub.start(HubConfiguration(sockets: [
            HubSocketSpec(name: "md", type: .xpub, binds: ["tcp://127.0.0.1:*"], settings: publisherSettings, deliversInbound: true,
                          countsSubscriberOverflows: true),
        ]))
        let endpoint = try #require(publisher.endpoint(of: publisher.socket(0)))
        let context = try ZMQContext()
        let slow = try ZMQSocket(context: context, type: .sub)
        try slow.set(.receiveHighWaterMark, 20)
        try slow.set(.subscribe, [])
        try slow.connect(endpoint)
        let fast = try ZMQSocket(context: context, type: .sub)
        try fast.set(.receiveHighWaterMark, 0)
        try fast.set(.subscribe, [])
        try fast.connect(endpoint)
        let events = InboundCollector(publisher)
        #expect(await events.wait { _ in events.subscriptions.count >= 2 })

        // Ten at a time, each batch read by the fast subscriber before the next, so its queue
        // never fills; the slow one is read only every 1,000 messages and overflows between.
        // Large messages keep the kernel's socket buffers from hiding the overflow.
        let total: UInt64 = 3_000
        var fastReceived: [UInt64] = []
        var slowReceived: [UInt64] = []
        for batchStart in stride(from: UInt64(1), through: total, by: 10) {
            for value in batchStart..<(batchStart + 10) {
                while publisher.publish(to: publisher.socket(0), frames: testFrames(topic: "t:", sequence: value, payloadSize: 65_000)) != .queued {
                    await Task.yield()
                }
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while fastReceived.count < Int(batchStart + 9), ContinuousClock.now < deadline {
                if let message = try fast.receiveMessage(dontWait: true) { fastReceived.append(sequence(of: message)) } else { await Task.yield() }
            }
            if (batchStart + 9) % 1_000 == 0 {
                // Read everything buffered on the way (queues and kernel buffers): until quiet.
                var quietSince = ContinuousClock.now
                while ContinuousClock.now - quietSince < .milliseconds(150) {
                    if let message = try slow.receiveMessage(dontWait: true) {
                        slowReceived.append(sequence(of: message))
                        quietSince = ContinuousClock.now
                    } else {
                        try await Task.sleep(for: .milliseconds(1))
                    }
                }
            }
        }
        #expect(fastReceived == Array(1...total), "the fast subscriber gets every message in order")
        var gaps: UInt64 = 0
        var previous: UInt64 = 0
        for value in slowReceived {
            if value != previous + 1 { gaps += 1 }
            previous = value
        }
        if previous < total { gaps += 1 }
        let overflows = publisher.counters().connections[0].subscriberOverflows
        #expect(slowReceived.count < Int(total), "the slow subscriber missed messages")
        #expect(gaps >= 2, "it overflowed more than once")
        // Every gap starts with a counted overflow; an overflow whose queue drained again
        // before the lossy send costs nothing, so the count may exceed the gaps.
        #expect(overflows >= gaps, "\(overflows) overflows counted for \(gaps) gaps")
        #expect(publisher.counters().totalSubscriberOverflows == overflows)
        #expect(publisher.counters().sent == total)
        await publisher.shutdown()
    }

    /// The policy (docs/wire-format.md): a subscriber that stops reading keeps its connection
    /// for up to a minute; what it cannot take meanwhile is dropped at its high-water mark and
    /// counted as overflows, and it sees each loss as a gap. The ZMTP heartbeat used to time
    /// such a subscriber out after 6 s (its full queue stops its I/O thread from answering),
    /// which dropped it uncounted.
    @Test("a subscriber that stops reading for 8 s stays connected; its losses are counted overflows and gaps")
    func aPausedSubscriberStaysConnectedAndItsLossesAreCounted() async throws {
        var publisherSettings = SocketSettings.marketData
        publisherSettings.sendHighWaterMark = 200
        let publisher = try await ZMQHub.start(HubConfiguration(sockets: [
            HubSocketSpec(name: "md", type: .xpub, binds: ["tcp://127.0.0.1:*"], settings: publisherSettings, deliversInbound: true,
                          countsSubscriberOverflows: true),
        ]))
        let endpoint = try #require(publisher.endpoint(of: publisher.socket(0)))
        let context = try ZMQContext()
        // Like a pyzmq SUB with default options: no ZMTP heartbeats of its own.
        let paused = try ZMQSocket(context: context, type: .sub)
        try paused.set(.receiveHighWaterMark, 200)
        try paused.set(.subscribe, [])
        try paused.connect(endpoint)
        let events = InboundCollector(publisher)
        #expect(await events.wait { _ in !events.subscriptions.isEmpty })

        // 8 s of 4 KiB messages, a few hundred a second, while the subscriber reads nothing.
        var sequence: UInt64 = 0
        let pauseEnds = ContinuousClock.now + .seconds(8)
        while ContinuousClock.now < pauseEnds {
            for _ in 0..<20 {
                sequence += 1
                _ = publisher.publish(to: publisher.socket(0), frames: testFrames(topic: "t:", sequence: sequence, payloadSize: 4_096))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Then it reads again while more is published.
        var received: [UInt64] = []
        let readingEnds = ContinuousClock.now + .seconds(2)
        while ContinuousClock.now < readingEnds {
            sequence += 1
            _ = publisher.publish(to: publisher.socket(0), frames: testFrames(topic: "t:", sequence: sequence, payloadSize: 4_096))
            while let message = try paused.receiveMessage(dontWait: true) { received.append(ZeroMQHubTests.sequence(of: message)) }
            try await Task.sleep(for: .milliseconds(2))
        }
        let counters = publisher.counters().connections[0]
        #expect(counters.disconnected == 0, "the paused subscriber was never disconnected")
        #expect(counters.subscriberOverflows >= 1, "its losses were counted")
        #expect(received.last.map { $0 > sequence - 100 } == true, "it receives the latest messages again")
        #expect(received.count < Int(sequence) && received == received.sorted())
        await publisher.shutdown()
    }

    @Test("a subscription larger than the limit disconnects its peer before it is stored; other subscribers go on")
    func anOversizedSubscriptionIsRefused() async throws {
        let publisher = try await ZMQHub.start(HubConfiguration(sockets: [
            .publisher(name: "md", bind: ["tcp://127.0.0.1:*"]),
        ]))
        let endpoint = try #require(publisher.endpoint(of: publisher.socket(0)))
        let context = try ZMQContext()
        let honest = try ZMQSocket(context: context, type: .sub)
        try honest.set(.subscribe, Array("t:".utf8))
        try honest.connect(endpoint)
        let events = InboundCollector(publisher)
        #expect(await events.wait { _ in events.subscriptions.count == 1 })

        // 64 KiB is enough to be refused; libzmq's own subscription tree recurses once per byte,
        // so the sending socket of a 16 MiB one would overflow this process's stack itself.
        let hostile = try ZMQSocket(context: context, type: .sub)
        try hostile.set(.subscribe, [UInt8](repeating: 0x41, count: 64 << 10))
        try hostile.connect(endpoint)
        #expect(await waitFor { publisher.counters().connections[0].disconnected >= 1 }, "the hostile peer is disconnected")
        #expect(events.subscriptions.count == 1, "its subscription never reached the publisher")

        var received: [UInt64] = []
        for value in 1...50 as ClosedRange<UInt64> {
            publisher.publish(to: publisher.socket(0), frames: testFrames(topic: "t:", sequence: value))
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while received.count < 50, ContinuousClock.now < deadline {
            if let message = try honest.receiveMessage(dontWait: true) { received.append(sequence(of: message)) } else { await Task.yield() }
        }
        #expect(received == Array(1...50), "the honest subscriber gets everything")
        await publisher.shutdown()
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

    @Test("while publishers keep the hub busy, a new subscription still arrives and the sent counter keeps up")
    func busyHubStillServicesItsSockets() async throws {
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            .publisher(name: "md", bind: ["tcp://127.0.0.1:*"]),
        ]))
        let endpoint = try #require(hub.endpoint(of: hub.socket(0)))
        let events = InboundCollector(hub)
        let producer = Task.detached {
            var sequence: UInt64 = 0
            while !Task.isCancelled {
                sequence += 1
                hub.publish(to: hub.socket(0), frames: testFrames(topic: "t:", sequence: sequence, payloadSize: 64))
            }
        }
        #expect(await eventually { hub.counters().sent > 1_000 })
        let sentBefore = hub.counters().sent

        let context = try ZMQContext()
        let late = try ZMQSocket(context: context, type: .sub)
        try late.set(.subscribe, Array("t:"))
        try late.connect(endpoint)
        #expect(await events.wait { _ in events.subscriptions.contains(Array("t:")) }, "the subscription arrived while the hub was busy")
        var got: ZMQMessage?
        let deadline = ContinuousClock.now + .seconds(10)
        while got == nil, ContinuousClock.now < deadline {
            got = try late.receiveMessage(dontWait: true)
            if got == nil { await Task.yield() }
        }
        #expect(got != nil, "the late subscriber receives the stream")
        #expect(await eventually { hub.counters().sent > sentBefore + 1_000 }, "the counters are published while busy")
        producer.cancel()
        await hub.shutdown()
    }
}
