import Testing
import ZeroMQ

@Suite("libzmq sockets")
struct SocketTests {
    @Test("the linked libzmq is 4.x and has CURVE")
    func libraryCapabilities() {
        #expect(ZMQLibrary.version.major == 4)
        #expect(ZMQLibrary.has("curve"))
    }

    @Test("a bad endpoint fails with a typed error carrying errno and libzmq's text")
    func bindErrorIsTyped() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, type: .pub)
        do {
            try socket.bind("nonsense://here")
            Issue.record("bind should have failed")
        } catch {
            #expect(error.operation == "zmq_bind(nonsense://here)")
            #expect(error.code != 0)
            #expect(error.message == "Protocol not supported")
            #expect(error.description.contains("errno \(error.code)"))
        }
    }

    @Test("binding to port 0 (wildcard) reports the real port")
    func wildcardPortResolves() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, type: .pub)
        let endpoint = try socket.bind("tcp://127.0.0.1:*")
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        #expect(!endpoint.hasSuffix(":*"))
    }

    @Test("an option the socket type does not have is a typed error")
    func wrongOptionForType() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, type: .sub)
        #expect(throws: ZMQError.self) { try socket.set(.routerMandatory, true) }
    }

    @Test("REQ and ROUTER exchange multipart frames unchanged over inproc, with the envelope echoed")
    func requestReplyRoundTrip() throws {
        let context = try ZMQContext()
        let router = try ZMQSocket(context: context, type: .router)
        try router.set(.receiveTimeout, 2_000)
        try router.bind("inproc://req-router")
        let req = try ZMQSocket(context: context, type: .req)
        try req.set(.receiveTimeout, 2_000)
        try req.connect("inproc://req-router")

        try req.send(multipart: [Array("KCTL1".utf8), [0, 1, 2, 255]])
        let request = try #require(try router.receiveMessage())
        #expect(request.frames.count == 4)  // routing id, empty delimiter, two body frames
        #expect(request.frames[1].isEmpty)
        #expect(Array(request.frames[2...]) == [Array("KCTL1".utf8), [0, 1, 2, 255]])

        try router.send(multipart: Array(request.frames[0...1]) + [Array("ok".utf8), []])
        let reply = try #require(try req.receiveMessage())
        #expect(reply.frames == [Array("ok".utf8), []])
    }

    @Test("messages of one connection share an identity; a later connection has another while the first is held")
    func connectionIdentities() throws {
        let context = try ZMQContext()
        let publisher = try ZMQSocket(context: context, type: .xpub)
        try publisher.set(.xpubVerboser, true)
        try publisher.set(.receiveTimeout, 5_000)
        let endpoint = try publisher.bind("tcp://127.0.0.1:*")

        /// The peer's subscribes as the publisher reads them. The unsubscribes libzmq makes up
        /// itself when a peer leaves carry no metadata, and are skipped.
        func subscriptions(from peer: ZMQSocket, count: Int) throws -> [ZMQMessage] {
            for index in 0..<count { _ = try peer.send([1] + Array("topic:\(index)".utf8)) }
            var received: [ZMQMessage] = []
            while received.count < count {
                let message = try #require(try publisher.receiveMessage(readSourceDescriptor: true))
                if message.frames.first?.first == 1 { received.append(message) }
            }
            return received
        }

        var first: ZMQSocket? = try ZMQSocket(context: context, type: .xsub)
        try first!.set(.linger, 0)
        try first!.connect(endpoint)
        let fromFirst = try subscriptions(from: first!, count: 3)
        first = nil
        let second = try ZMQSocket(context: context, type: .xsub)
        try second.set(.linger, 0)
        try second.connect(endpoint)
        let fromSecond = try subscriptions(from: second, count: 2)

        let firstIdentity = try #require(fromFirst[0].sourceConnection)
        let secondIdentity = try #require(fromSecond[0].sourceConnection)
        #expect(fromFirst.allSatisfy { $0.sourceConnection == firstIdentity && $0.sourceDescriptor == fromFirst[0].sourceDescriptor })
        #expect(fromSecond.allSatisfy { $0.sourceConnection == secondIdentity })
        #expect(firstIdentity != secondIdentity)
    }

    @Test("a non-blocking receive with nothing waiting returns nil, not an error")
    func emptyNonBlockingReceive() throws {
        let context = try ZMQContext()
        let pull = try ZMQSocket(context: context, type: .pull)
        try pull.bind("inproc://empty")
        #expect(try pull.receiveMessage(dontWait: true) == nil)
    }
}

@Suite("monitor events")
struct MonitorEventTests {
    @Test("the two-frame monitor message is decoded into kind, value and endpoint")
    func decodesMonitorMessage() throws {
        // ZMQ_EVENT_HANDSHAKE_FAILED_AUTH = 0x4000, value 400 (the ZAP status code).
        let event = try #require(ZMQMonitorEvent(frames: [[0x00, 0x40, 0x90, 0x01, 0, 0], Array("tcp://127.0.0.1:5556".utf8)]))
        #expect(event.kind == .handshakeFailedAuth)
        #expect(event.value == 400)
        #expect(event.endpoint == "tcp://127.0.0.1:5556")
        #expect(event.kind.description == "handshake_failed_auth")
    }

    @Test("a malformed monitor message is rejected")
    func rejectsMalformed() {
        #expect(ZMQMonitorEvent(frames: [[1, 2, 3]]) == nil)
        #expect(ZMQMonitorEvent(frames: [[1, 0, 0, 0, 0, 0]]) == nil)
    }
}
