import ControlPlane
import Synchronization
import Testing
import WireFormat

/// One reply as the transport was asked to send it.
struct Sent: Sendable {
    let envelope: [[UInt8]]
    let reply: [[UInt8]]
}

/// A `run` loop over a request stream, with its replies as a stream.
struct LoopHarness {
    let input: AsyncStream<IncomingControlRequest>.Continuation
    let replies: AsyncStream<Sent>
    let loop: Task<Void, Never>

    init(server: ControlServer) {
        let (requests, input) = AsyncStream.makeStream(of: IncomingControlRequest.self)
        let (replies, output) = AsyncStream.makeStream(of: Sent.self)
        self.input = input
        self.replies = replies
        loop = Task {
            await server.run(requests: requests) { envelope, reply in output.yield(Sent(envelope: envelope, reply: reply)) }
            output.finish()
        }
    }

    /// Sends `json` from the client whose routing identity is `client`.
    func send(_ json: String, from client: UInt8) {
        input.yield(IncomingControlRequest(envelope: [[client], []], bodyFrames: jsonFrames(json), userID: nil))
    }
}

@Suite("run loop", .timeLimit(.minutes(1)))
struct RunLoopTests {
    @Test("a handler that sleeps for one client does not delay another client's reply")
    func slowHandlerDoesNotDelayOthers() async throws {
        let gate = Gate()
        let handler = ClosureHandler { command in
            if case .snapshot = command { await gate.wait() }  // sleeps until the gate opens
            return .ack("\(command.kind.rawValue) done")
        }
        let harness = LoopHarness(server: ControlServer(handler: handler, policy: .open))
        harness.send(#"{"id":"1","snapshot":{}}"#, from: 1)
        harness.send(#"{"id":"2","health":{}}"#, from: 2)
        var replies = harness.replies.makeAsyncIterator()

        let first = try #require(await replies.next())
        #expect(first.envelope == [[2], []])
        #expect(try decodeReply(first.reply, as: .json).id == 2)

        gate.open()
        let second = try #require(await replies.next())
        #expect(second.envelope == [[1], []])
        #expect(try decodeReply(second.reply, as: .json).ack.message == "snapshot done")
        harness.input.finish()
        await harness.loop.value
    }

    @Test("a request over the in-flight bound is answered UNAVAILABLE at once, id echoed, in its encoding")
    func overTheBound() async throws {
        let gate = Gate()
        let server = ControlServer(
            handler: ClosureHandler { command in
                await gate.wait()
                return .ack("\(command.kind.rawValue) done")
            }, policy: .open, maxInFlight: 2)
        let harness = LoopHarness(server: server)
        harness.send(#"{"id":"1","health":{}}"#, from: 1)
        harness.send(#"{"id":"2","health":{}}"#, from: 2)
        harness.input.yield(
            IncomingControlRequest(
                envelope: [[3], []], bodyFrames: try binaryFrames(request(id: 3, .health(KBHealthCommand()))), userID: nil))
        var replies = harness.replies.makeAsyncIterator()

        let refused = try #require(await replies.next())
        #expect(refused.envelope == [[3], []])
        let reply = try decodeReply(refused.reply, as: .binary)
        #expect(reply.id == 3)
        #expect(reply.error.code == .unavailable)
        #expect(reply.error.message == "the control plane is handling 2 requests; try again")
        #expect(server.counters.inFlight == 2)

        gate.open()
        var answered: Set<[[UInt8]]> = []
        for _ in 0..<2 { answered.insert(try #require(await replies.next()).envelope) }
        #expect(answered == [[[1], []], [[2], []]])

        // Slots are free again before replies go out, so the next request is handled.
        harness.send(#"{"id":"4","health":{}}"#, from: 4)
        let fourth = try #require(await replies.next())
        #expect(try decodeReply(fourth.reply, as: .json).ack.message == "health done")
        harness.input.finish()
        await harness.loop.value
        let counters = server.counters
        #expect(counters.failures == [.unavailable: 1])
        #expect(counters.succeeded == 3)
        #expect(counters.inFlight == 0)
    }

    @Test("a client over its own in-flight bound is refused while another client is still served")
    func perClientBound() async throws {
        let gate = Gate()
        let server = ControlServer(
            handler: ClosureHandler { command in
                if case .diagnostics = command { await gate.wait() }
                return .ack("\(command.kind.rawValue) done")
            }, policy: .open, maxInFlight: 64, maxInFlightPerClient: 2)
        let harness = LoopHarness(server: server)
        for id in 1...3 { harness.send(#"{"id":"\#(id)","diagnostics":{}}"#, from: 7) }
        var replies = harness.replies.makeAsyncIterator()
        let refused = try #require(await replies.next())
        #expect(refused.envelope == [[7], []])
        let error = try decodeReply(refused.reply, as: .json)
        #expect(error.id == 3 && error.error.code == .unavailable)
        #expect(error.error.message == "this client has 2 requests in flight; read their replies first")

        harness.send(#"{"id":"4","health":{}}"#, from: 8)
        let other = try #require(await replies.next())
        #expect(other.envelope == [[8], []])
        #expect(try decodeReply(other.reply, as: .json).ack.message == "health done")
        gate.open()
        for _ in 0..<2 { _ = try #require(await replies.next()) }
        harness.input.finish()
        await harness.loop.value
        #expect(server.counters.inFlight == 0)
    }

    @Test("the loop ends when the stream finishes, after the requests in flight are answered")
    func drainsOnFinish() async throws {
        let gate = Gate()
        let (started, startedInput) = AsyncStream.makeStream(of: Void.self)
        let server = ControlServer(
            handler: ClosureHandler { _ in
                startedInput.yield()
                await gate.wait()
                return .ack("late")
            }, policy: .open)
        let (requests, input) = AsyncStream.makeStream(of: IncomingControlRequest.self)
        let loopEnded = Mutex(false)
        let sent = Mutex<[(ended: Bool, reply: [[UInt8]])]>([])
        let loop = Task {
            await server.run(requests: requests) { _, reply in
                sent.withLock { $0.append((loopEnded.withLock { $0 }, reply)) }
            }
            loopEnded.withLock { $0 = true }
        }
        input.yield(IncomingControlRequest(envelope: [[1], []], bodyFrames: jsonFrames(#"{"id":"9","health":{}}"#), userID: nil))
        var startedIterator = started.makeAsyncIterator()
        await startedIterator.next()
        input.finish()
        gate.open()
        await loop.value

        let replies = sent.withLock { $0 }
        #expect(replies.count == 1)
        #expect(replies.first?.ended == false)
        #expect(try decodeReply(try #require(replies.first?.reply), as: .json).ack.message == "late")
    }

    @Test("many concurrent requests each get their own reply on their own envelope")
    func repliesMatchEnvelopes() async throws {
        let server = ControlServer(
            handler: ClosureHandler { command in
                guard case .addPair(let symbol) = command else { return .failure(.internal("unexpected")) }
                return .ack(symbol)
            }, policy: .open, maxInFlight: 500)
        let harness = LoopHarness(server: server)
        for client in UInt8(0)..<200 {
            harness.send(#"{"id":"\#(client)","addPair":{"symbol":"C\#(client)/USD"}}"#, from: client)
        }
        harness.input.finish()
        var count = 0
        for await sent in harness.replies {
            let client = try #require(sent.envelope.first?.first)
            let reply = try decodeReply(sent.reply, as: .json)
            #expect(reply.id == UInt64(client))
            #expect(reply.ack.message == "C\(client)/USD")
            count += 1
        }
        #expect(count == 200)
        #expect(server.counters.commands == [.addPair: 200])
    }
}
