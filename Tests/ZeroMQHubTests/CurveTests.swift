import Testing
import ZeroMQ
@testable import ZeroMQHub

@Suite("CURVE and the ZAP allowlist", .serialized)
struct CurveTests {
    @Test("an allowlisted client key receives data; an unknown key is refused at the handshake and receives nothing")
    func allowlistDecidesWhoReceives() async throws {
        let server = try CurveKeyPair.generate()
        let trusted = try CurveKeyPair.generate()
        let stranger = try CurveKeyPair.generate()
        let allowlist = ZAPAllowlist()
        allowlist.allow(trusted.publicKey, as: "galfriday", on: "md")

        let publisher = try await ZMQHub.start(HubConfiguration(
            sockets: [.publisher(name: "md", bind: ["tcp://127.0.0.1:*"], curve: .server(secretKey: server.secretKey, zapDomain: "md"))],
            allowlist: allowlist))
        let endpoint = try #require(publisher.endpoint(of: publisher.socket(0)))
        let subscribers = try await ZMQHub.start(HubConfiguration(sockets: [
            .subscriber(name: "trusted", connect: [endpoint], topics: [[]], curve: .client(serverKey: server.publicKey, keys: trusted)),
            .subscriber(name: "stranger", connect: [endpoint], topics: [[]], curve: .client(serverKey: server.publicKey, keys: stranger)),
        ]))
        let publisherEvents = InboundCollector(publisher)
        let received = InboundCollector(subscribers)

        #expect(await publisherEvents.wait { _ in !publisherEvents.subscriptions.isEmpty })
        #expect(await waitFor { subscribers.counters().connections[1].handshakeFailedAuth > 0 })
        for sequence in 1...20 as ClosedRange<UInt64> {
            publisher.publish(to: publisher.socket(0), frames: testFrames(topic: "trade:BTC/USD:", sequence: sequence))
        }
        #expect(await received.wait { _ in received.messages.count >= 20 })
        try await Task.sleep(for: .milliseconds(200))

        let fromTrusted = received.all.filter { if case .message(let socket, _) = $0 { socket.index == 0 } else { false } }
        let fromStranger = received.all.filter { if case .message(let socket, _) = $0 { socket.index == 1 } else { false } }
        #expect(fromTrusted.count == 20)
        #expect(fromStranger.isEmpty)
        let serverCounters = publisher.counters()
        #expect(serverCounters.zapAccepted >= 1)
        #expect(serverCounters.zapRejected >= 1)
        #expect(serverCounters.connections[0].handshakeFailedAuth >= 1)
        #expect(subscribers.counters().connections[0].handshakeSucceeded >= 1)
        await subscribers.shutdown()
        await publisher.shutdown()
    }

    @Test("the control ROUTER tags each request with the ZAP user id of the client's key")
    func userIDReachesRequests() async throws {
        let server = try CurveKeyPair.generate()
        let operatorKeys = try CurveKeyPair.generate()
        let allowlist = ZAPAllowlist()
        allowlist.allow(operatorKeys.publicKey, as: "ops-alice", on: "ctl")
        let hub = try await ZMQHub.start(HubConfiguration(
            sockets: [
                .control(name: "ctl", bind: ["tcp://127.0.0.1:*"], curve: .server(secretKey: server.secretKey, zapDomain: "ctl")),
            ],
            allowlist: allowlist))
        let endpoint = try #require(hub.endpoint(of: hub.socket(0)))
        let client = try await ZMQHub.start(HubConfiguration(sockets: [
            HubSocketSpec(
                name: "req", type: .dealer, connects: [endpoint], settings: .subscriber,
                curve: .client(serverKey: server.publicKey, keys: operatorKeys), deliversInbound: true),
        ]))
        let requests = InboundCollector(hub)
        let replies = InboundCollector(client)
        client.publish(to: client.socket(0), frames: [[], Array("health".utf8)])
        #expect(await requests.wait { _ in requests.messages.count == 1 })
        let request = try #require(requests.messages.first)
        #expect(request.userID == "ops-alice")
        let (envelope, body) = try #require(RouterEnvelope.split(request.frames))
        #expect(body == [Array("health".utf8)])
        hub.reply(on: hub.socket(0), envelope: envelope, body: [Array("ok".utf8)])
        #expect(await replies.wait { _ in replies.messages.count == 1 })
        #expect(replies.messages.first?.frames == [[], Array("ok".utf8)])
        await client.shutdown()
        await hub.shutdown()
    }

    @Test("ZAP decisions: only CURVE with a listed key on the right domain is allowed")
    func zapDecisions() throws {
        let key = try CurveKeyPair.generate().publicKey
        let allowlist = ZAPAllowlist()
        allowlist.allow(key, as: "reader", on: "md")
        func request(domain: String, mechanism: String, credentials: [[UInt8]]) -> ZAPRequest? {
            ZAPRequest(frames: [Array("1.0".utf8), Array("1".utf8), Array(domain.utf8), Array("127.0.0.1".utf8), [], Array(mechanism.utf8)] + credentials)
        }
        #expect(request(domain: "md", mechanism: "CURVE", credentials: [key.bytes])?.decide(with: allowlist) == .allow(userID: "reader"))
        #expect(request(domain: "ctl", mechanism: "CURVE", credentials: [key.bytes])?.decide(with: allowlist) == .deny("client key not allowed on ctl"))
        #expect(request(domain: "md", mechanism: "NULL", credentials: [])?.decide(with: allowlist) == .deny("mechanism NULL not allowed"))
        #expect(request(domain: "md", mechanism: "CURVE", credentials: [[1, 2]])?.decide(with: allowlist) == .deny("missing client key"))
        #expect(ZAPRequest(frames: [Array("1.0".utf8)]) == nil)
        allowlist.revoke(key, on: "md")
        #expect(request(domain: "md", mechanism: "CURVE", credentials: [key.bytes])?.decide(with: allowlist) == .deny("client key not allowed on md"))
        let reply = try #require(request(domain: "md", mechanism: "CURVE", credentials: [key.bytes])).reply(to: .allow(userID: "reader"))
        #expect(reply == [Array("1.0".utf8), Array("1".utf8), Array("200".utf8), Array("OK".utf8), Array("reader".utf8), []])
    }
}

/// Polls `condition` every 5 ms for up to `timeout`.
func waitFor(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

@Suite("control endpoint limits", .serialized)
struct ControlLimitTests {
    @Test("a request larger than the control socket's MAXMSGSIZE disconnects its sender and never reaches the handler")
    func oversizedRequestIsRefused() async throws {
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            .control(name: "ctl", bind: ["tcp://127.0.0.1:*"]),
        ]))
        let endpoint = try #require(hub.endpoint(of: hub.socket(0)))
        let client = try await ZMQHub.start(HubConfiguration(sockets: [
            HubSocketSpec(name: "dealer", type: .dealer, connects: [endpoint], settings: .subscriber, deliversInbound: true),
        ]))
        let requests = InboundCollector(hub)
        // Over libzmq's 1 MiB cap; anything smaller reaches the control server, which answers
        // requests over its own 64 KiB limit with TOO_LARGE.
        client.publish(to: client.socket(0), frames: [[], Array(repeating: 1, count: (1 << 20) + 1)])
        #expect(await waitFor { hub.counters().connections[0].disconnected >= 1 })
        client.publish(to: client.socket(0), frames: [[], Array("small".utf8)])
        #expect(await requests.wait { _ in requests.messages.count == 1 })
        #expect(requests.messages.map { $0.frames.last ?? [] } == [Array("small".utf8)], "only the small request arrived")
        await client.shutdown()
        await hub.shutdown()
    }
}
