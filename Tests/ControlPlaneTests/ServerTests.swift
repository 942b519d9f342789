import ControlPlane
import Testing
import WireFormat

@Suite("control server")
struct ServerTests {
    /// One state triple as the bridge would build it.
    func stateTriple() throws -> [[UInt8]] {
        var trade = KBTrade()
        trade.symbol = "BTC/USD"
        let header = FrameHeader(messageType: 0, flags: .snapshot, publisherEpoch: 5, sequence: 12)
        return try BusFrame(topic: try .trade("BTC/USD"), header: header, message: trade).frames
    }

    @Test("a snapshot reply is SnapshotBegin, the state triples, then the end marker")
    func snapshotReply() async throws {
        let state = try stateTriple()
        let handler = ClosureHandler { command in
            guard case .snapshot(let prefix) = command else { return .failure(.internal("unexpected")) }
            return .snapshot(prefix: prefix, stateFrames: state, publisherEpoch: 5, now: 99)
        }
        let server = ControlServer(handler: handler, policy: .open)
        let frames = await server.process(bodyFrames: jsonFrames(#"{"id":"2","snapshot":{"topicPrefix":"trade:"}}"#), userID: nil)
        #expect(frames.count == 7)
        #expect(frames[0] == Array(#"{"id":"2","snapshot":{"topicPrefix":"trade:","topicCount":1}}"#.utf8))
        #expect(Array(frames[1..<4]) == state)
        #expect(Array(frames[4...]) == SnapshotEndMarker.frames(prefix: "trade:", topicCount: 1, publisherEpoch: 5, now: 99))
    }

    @Test("a replay reply is ReplayBegin then the event triples")
    func replayReply() async throws {
        let events = try stateTriple() + stateTriple()
        let handler = ClosureHandler { _ in .replay(topic: .executions, firstAvailableSequence: 3, eventFrames: events) }
        let server = ControlServer(handler: handler, policy: .open)
        let frames = await server.process(bodyFrames: jsonFrames(#"{"replay":{"topic":"exec:"}}"#), userID: nil)
        #expect(frames.count == 7)
        let reply = try decodeReply(frames, as: .json)
        #expect(reply.replay.topic == "exec:")
        #expect(reply.replay.eventCount == 2)
        #expect(reply.replay.firstAvailableSequence == 3)
        #expect(Array(frames[1...]) == events)
    }

    @Test("a handler's failure is the error reply, id echoed and field kept")
    func handlerFailure() async throws {
        let handler = ClosureHandler { _ in .failure(.notFound("DOGE/USD is not subscribed", field: "symbol")) }
        let server = ControlServer(handler: handler, policy: .open)
        var remove = KBRemovePairCommand()
        remove.symbol = "DOGE/USD"
        let frames = await server.process(bodyFrames: try binaryFrames(request(id: 6, .removePair(remove))), userID: nil)
        let reply = try decodeReply(frames, as: .binary)
        #expect(reply.id == 6)
        #expect(reply.error == ControlError.notFound("DOGE/USD is not subscribed", field: "symbol").proto)
    }

    @Test("extra frames that are not triples are answered INTERNAL instead")
    func brokenStream() async throws {
        let handler = ClosureHandler { _ in .stream(.ack(KBAck()), frames: [[1], [2]]) }
        let server = ControlServer(handler: handler, policy: .open)
        let frames = await server.process(bodyFrames: jsonFrames(#"{"health":{}}"#), userID: nil)
        #expect(frames.count == 1)
        #expect(try decodeReply(frames, as: .json).error.code == .internal)
    }

    @Test("counters per outcome, error code and command")
    func counters() async throws {
        let server = ControlServer(handler: AckHandler(), policy: .secured(operators: ["ops"]))
        _ = await server.process(bodyFrames: jsonFrames(#"{"health":{}}"#), userID: "reader")
        _ = await server.process(bodyFrames: jsonFrames(#"{"health":{}}"#), userID: "reader")
        _ = await server.process(bodyFrames: jsonFrames(#"{"addPair":{"symbol":"A/B"}}"#), userID: "reader")
        _ = await server.process(bodyFrames: jsonFrames(#"{"addPair":{"symbol":"A/B"}}"#), userID: "ops")
        _ = await server.process(bodyFrames: jsonFrames(#"{"addPair":{"symbol":"AB"}}"#), userID: "ops")
        _ = await server.process(bodyFrames: [[0xFF]], userID: "ops")
        let counters = server.counters
        #expect(counters.requests == 6)
        #expect(counters.succeeded == 3)
        #expect(counters.failures == [.unauthorized: 1, .invalidArgument: 1, .malformed: 1])
        #expect(counters.commands == [.health: 2, .addPair: 2])
        #expect(counters.inFlight == 0)
        #expect(
            counters.diagnosticCounters == [
                "control.requests": 6, "control.succeeded": 3, "control.in_flight": 0, "control.error.unauthorized": 1,
                "control.error.invalid_argument": 1, "control.error.malformed": 1, "control.command.health": 2,
                "control.command.add_pair": 2,
            ])
    }
}
