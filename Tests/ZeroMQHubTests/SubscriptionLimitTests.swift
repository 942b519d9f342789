import Testing
import ZeroMQ
@testable import ZeroMQHub

@Suite("per-peer subscription limits: the bookkeeping")
struct PeerSubscriptionsTests {
    let limits = SubscriptionLimits(maximumPerPeer: 3, maximumTopicBytes: 8)

    /// Connections are told apart by an identity (in the hub, libzmq's metadata object); here
    /// a number stands for it.
    typealias Book = PeerSubscriptions<Int>

    @Test("a connection holds up to its limit of distinct prefixes; the next is refused, then the rest of its queue")
    func theLimitIsPerConnection() {
        var book = Book(limits: limits)
        #expect(["a:", "b:", "c:"].map { book.record(subscribe: true, topic: Array($0.utf8), from: 7, connection: 1) } == [.admitted, .admitted, .admitted])
        #expect(book.record(subscribe: true, topic: Array("d:".utf8), from: 7, connection: 1) == .refused(.tooManySubscriptions))
        #expect(book.record(subscribe: true, topic: Array("e:".utf8), from: 7, connection: 1) == .fromRefusedPeer)
        #expect(book.record(subscribe: true, topic: Array("a:".utf8), from: 8, connection: 2) == .admitted, "another connection has its own allowance")
        #expect(book.count(for: 8) == 1)
    }

    @Test("a prefix subscribed twice is held once, and an unsubscribe frees its place, as in libzmq's trie")
    func duplicatesAndUnsubscribes() {
        var book = Book(limits: limits)
        for _ in 1...10 { #expect(book.record(subscribe: true, topic: Array("a:".utf8), from: 7, connection: 1) == .admitted) }
        #expect(book.count(for: 7) == 1)
        for round in 1...20 {
            for topic in ["b:\(round)", "c:\(round)"] { #expect(book.record(subscribe: true, topic: Array(topic.utf8), from: 7, connection: 1) == .admitted) }
            for topic in ["b:\(round)", "c:\(round)"] { #expect(book.record(subscribe: false, topic: Array(topic.utf8), from: 7, connection: 1) == .admitted) }
        }
        #expect(book.count(for: 7) == 1)
    }

    @Test("a prefix longer than the limit is refused")
    func overlongPrefix() {
        var book = Book(limits: limits)
        #expect(book.record(subscribe: true, topic: Array("123456789".utf8), from: 7, connection: 1) == .refused(.topicTooLong(bytes: 9)))
        #expect(book.count(for: 7) == 0)
    }

    @Test("subscriptions still queued from a closed connection count against no one")
    func leftoversOfAClosedConnection() {
        var book = Book(limits: limits)
        _ = book.record(subscribe: true, topic: Array("a:".utf8), from: 7, connection: 1)
        book.closed(7)
        #expect(book.record(subscribe: true, topic: Array("b:".utf8), from: 7, connection: 1) == .fromClosedConnection)
        #expect(book.connectionsHoldingTopics == 0)
        #expect(!book.isOpen(1, on: 7))
    }

    @Test("a refused flooder's leftovers, read after a newcomer was accepted on its descriptor, stay the flooder's")
    func leftoversOfARefusedPeerAfterTheDescriptorIsReused() {
        var book = Book(limits: limits)
        for topic in ["a:", "b:", "c:"] { _ = book.record(subscribe: true, topic: Array(topic.utf8), from: 7, connection: 1) }
        #expect(book.record(subscribe: true, topic: Array("d:".utf8), from: 7, connection: 1) == .refused(.tooManySubscriptions))
        book.closed(7)
        book.opened(7)
        for index in 1...50 {
            #expect(book.record(subscribe: true, topic: Array("x:\(index)".utf8), from: 7, connection: 1) == .fromRefusedPeer)
        }
        #expect(!book.isOpen(1, on: 7), "no cut-off reaches the newcomer on the flooder's behalf")
        #expect(["a:", "b:", "c:"].map { book.record(subscribe: true, topic: Array($0.utf8), from: 7, connection: 2) } == [.admitted, .admitted, .admitted])
        #expect(book.isOpen(2, on: 7))
        #expect(book.count(for: 7) == 3)
    }

    @Test("a new connection on a descriptor whose old connection's close was never seen starts afresh")
    func aNewIdentityMeansANewConnection() {
        var book = Book(limits: limits)
        for topic in ["a:", "b:", "c:"] { _ = book.record(subscribe: true, topic: Array(topic.utf8), from: 7, connection: 1) }
        #expect(["d:", "e:", "f:"].map { book.record(subscribe: true, topic: Array($0.utf8), from: 7, connection: 2) } == [.admitted, .admitted, .admitted])
        #expect(book.connectionsHoldingTopics == 1)
    }

    @Test("a connection accepted on a descriptor ends what was recorded there, even if its disconnect was lost")
    func anAcceptEndsTheConnectionBefore() {
        var book = Book(limits: limits)
        _ = book.record(subscribe: true, topic: Array("a:".utf8), from: 7, connection: 1)
        book.opened(7)
        #expect(!book.isOpen(1, on: 7))
        #expect(book.connectionsHoldingTopics == 0)
    }

    @Test("a connection whose accept was never seen (its event lost) is still held to the limit")
    func missingEventsErrTowardsEnforcing() {
        var book = Book(limits: limits)
        for topic in ["a:", "b:", "c:"] { #expect(book.record(subscribe: true, topic: Array(topic.utf8), from: 9, connection: 1) == .admitted) }
        #expect(book.record(subscribe: true, topic: Array("d:".utf8), from: 9, connection: 1) == .refused(.tooManySubscriptions))
        #expect(book.isOpen(1, on: 9))
    }
}

/// Hostile peers against a real publisher: they send raw subscription messages from an XSUB,
/// as any local process can.
@Suite("per-peer subscription limits: hostile peers", .serialized)
struct SubscriptionLimitTests {
    static let limits = SubscriptionLimits(maximumPerPeer: 20, maximumTopicBytes: 32)

    /// A publisher with small limits, an honest subscriber of `t:` and the endpoint.
    static func publisherWithHonestSubscriber() async throws -> (ZMQHub, InboundCollector, ZMQContext, ZMQSocket, String) {
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            .publisher(name: "md", bind: ["tcp://127.0.0.1:*"], subscriptionLimits: limits),
        ]))
        let endpoint = try #require(hub.endpoint(of: hub.socket(0)))
        let events = InboundCollector(hub)
        let context = try ZMQContext()
        let honest = try ZMQSocket(context: context, type: .sub)
        try honest.set(.subscribe, Array("t:".utf8))
        try honest.connect(endpoint)
        #expect(await events.wait { _ in events.subscriptions.count == 1 })
        return (hub, events, context, honest, endpoint)
    }

    /// A peer that sends raw (un)subscription messages and never reconnects once cut off.
    static func rawPeer(_ context: ZMQContext, _ endpoint: String) throws -> ZMQSocket {
        let peer = try ZMQSocket(context: context, type: .xsub)
        try peer.set(.linger, 0)
        try peer.set(.reconnectInterval, -1)
        try peer.connect(endpoint)
        return peer
    }

    /// Publishes 1...50 on `t:` and collects what each subscriber receives (at most 10 s).
    static func deliveries(_ hub: ZMQHub, to subscribers: ZMQSocket...) async throws -> [[UInt64]] {
        for value in 1...50 as ClosedRange<UInt64> {
            hub.publish(to: hub.socket(0), frames: testFrames(topic: "t:", sequence: value))
        }
        var received = Array(repeating: [UInt64](), count: subscribers.count)
        let deadline = ContinuousClock.now + .seconds(10)
        while received.contains(where: { $0.count < 50 }), ContinuousClock.now < deadline {
            var idle = true
            for (index, subscriber) in subscribers.enumerated() {
                if let message = try subscriber.receiveMessage(dontWait: true) {
                    received[index].append(sequence(of: message))
                    idle = false
                }
            }
            if idle { try await Task.sleep(for: .milliseconds(1)) }
        }
        return received
    }

    @Test("a peer subscribing more prefixes than its limit is disconnected and counted; the honest subscriber gets everything")
    func tooManySubscriptions() async throws {
        let (hub, events, context, honest, endpoint) = try await Self.publisherWithHonestSubscriber()
        let hostile = try Self.rawPeer(context, endpoint)
        for index in 0..<500 { try hostile.send([1] + Array("x:\(index):".utf8)) }

        #expect(await waitFor { hub.counters().connections[0].peersRefused == 1 && hub.counters().connections[0].disconnected == 1 })
        let counters = hub.counters().connections[0]
        // Each one past the allowance that was read before libzmq dropped the connection is counted.
        #expect((1...480).contains(counters.subscriptionsRefused))
        let hostileAdmitted = events.subscriptions.filter { $0.starts(with: Array("x:".utf8)) }
        #expect(Set(hostileAdmitted).count <= Self.limits.maximumPerPeer, "no more than its allowance ever reached the publisher")
        #expect(try await Self.deliveries(hub, to: honest) == [Array(1...50)])
        await hub.shutdown()
    }

    @Test("a prefix longer than the limit disconnects its peer")
    func overlongPrefix() async throws {
        let (hub, events, context, honest, endpoint) = try await Self.publisherWithHonestSubscriber()
        let hostile = try Self.rawPeer(context, endpoint)
        try hostile.send([1] + Array(repeating: 0x41, count: 64))
        #expect(await waitFor { hub.counters().connections[0].peersRefused >= 1 })
        #expect(!events.subscriptions.contains { $0.count == 64 }, "the long prefix was not passed on")
        #expect(try await Self.deliveries(hub, to: honest) == [Array(1...50)])
        await hub.shutdown()
    }

    @Test("a peer that subscribes and unsubscribes far more often than its limit, never holding more, stays and receives")
    func churnWithinTheLimitIsFine() async throws {
        let (hub, events, context, honest, endpoint) = try await Self.publisherWithHonestSubscriber()
        let peer = try Self.rawPeer(context, endpoint)
        for round in 0..<30 {
            for index in 0..<15 { try peer.send([1] + Array("c:\(round):\(index):".utf8)) }
            for index in 0..<15 { try peer.send([0] + Array("c:\(round):\(index):".utf8)) }
        }
        for _ in 0..<100 { try peer.send([1] + Array("t:".utf8)) }
        // 450 subscribes and 450 unsubscribes, then one prefix a hundred times: every one passed on.
        #expect(await events.wait { _ in events.all.count >= 1 + 450 + 450 + 100 })
        #expect(hub.counters().connections[0].peersRefused == 0)
        #expect(hub.counters().connections[0].disconnected == 0)
        #expect(try await Self.deliveries(hub, to: peer, honest) == [Array(1...50), Array(1...50)])
        await hub.shutdown()
    }

    @Test("after a refused peer is gone, a new peer gets the whole allowance again")
    func aNewConnectionStartsAfresh() async throws {
        let (hub, _, context, honest, endpoint) = try await Self.publisherWithHonestSubscriber()
        defer { withExtendedLifetime(honest) {} }
        let hostile = try Self.rawPeer(context, endpoint)
        for index in 0..<100 { try hostile.send([1] + Array("x:\(index):".utf8)) }
        #expect(await waitFor { hub.counters().connections[0].peersRefused >= 1 })
        withExtendedLifetime(hostile) {}

        let refusedBefore = hub.counters().connections[0].peersRefused
        let newcomer = try ZMQSocket(context: context, type: .sub)
        for index in 0..<Self.limits.maximumPerPeer { try newcomer.set(.subscribe, Array("n\(index):".utf8)) }
        try newcomer.connect(endpoint)
        let last = "n\(Self.limits.maximumPerPeer - 1):"
        // Its last prefix is in place once a message on it arrives; everything sent after it follows.
        var received: [UInt64] = []
        let deadline = ContinuousClock.now + .seconds(10)
        var sequence: UInt64 = 0
        while received.isEmpty, ContinuousClock.now < deadline {
            sequence += 1
            hub.publish(to: hub.socket(0), frames: testFrames(topic: last, sequence: sequence))
            try await Task.sleep(for: .milliseconds(5))
            while let message = try newcomer.receiveMessage(dontWait: true) { received.append(ZeroMQHubTests.sequence(of: message)) }
        }
        #expect(!received.isEmpty, "the newcomer holding exactly its allowance is served")
        #expect(hub.counters().connections[0].peersRefused == refusedBefore, "and not refused")
        await hub.shutdown()
    }
}

@Suite("subscription notices on the inbound stream")
struct SubscriptionNoticeTests {
    @Test("a publisher that does not deliver subscriptions counts them and keeps them off the inbound stream")
    func countedNotDelivered() async throws {
        var spec = HubSocketSpec.publisher(name: "md", bind: ["tcp://127.0.0.1:*"])
        spec.deliversSubscriptions = false
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            spec, .control(name: "control", bind: ["tcp://127.0.0.1:*"]),
        ]))
        let events = InboundCollector(hub)
        let context = try ZMQContext()
        let subscriber = try ZMQSocket(context: context, type: .sub)
        for index in 0..<100 { try subscriber.set(.subscribe, Array("t\(index):".utf8)) }
        try subscriber.connect(try #require(hub.endpoint(of: hub.socket(0))))
        let client = try ZMQSocket(context: context, type: .dealer)
        try client.set(.linger, 0)
        try client.connect(try #require(hub.endpoint(of: hub.socket(1))))
        #expect(await waitFor { hub.counters().connections[0].subscriptions == 100 })
        try client.send(multipart: [[], Array("request".utf8)])
        #expect(await events.wait { items in items.contains { if case .message = $0 { true } else { false } } })
        #expect(events.all.allSatisfy { if case .message = $0 { true } else { false } }, "only the request came through")
        await hub.shutdown()
    }
}
