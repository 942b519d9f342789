import Synchronization
import Testing
import ZeroMQ
@testable import ZeroMQHub

/// The outbox is exercised through `HubCore` alone: with no owner thread draining it, what is
/// queued and what is refused is exact.
@Suite("outbox bounds")
struct OutboxTests {
    func core(capacity: Int = 4, bytes: Int = 1_000, sockets: Int = 1) throws -> HubCore {
        let specs = (0..<sockets).map { HubSocketSpec(name: "s\($0)", type: .pub) }
        return try HubCore(configuration: HubConfiguration(sockets: specs, outboxCapacity: capacity, outboxByteCapacity: bytes))
    }

    func publish(_ core: HubCore, socket: Int = 0, bytes: Int) -> PublishOutcome {
        let frames = [Array(repeating: UInt8(1), count: bytes)]
        return core.enqueue(socket: socket, byteCount: bytes, isReply: false) { $0.append(socket: socket, frames: frames) }
    }

    @Test("past its message capacity the outbox refuses with outboxFull and counts each refusal")
    func messageCapacity() throws {
        let core = try core(capacity: 4)
        for _ in 0..<4 { #expect(publish(core, bytes: 10) == .queued) }
        #expect(publish(core, bytes: 10) == .dropped(.outboxFull))
        #expect(publish(core, bytes: 10) == .dropped(.outboxFull))
        let counters = core.counters()
        #expect(counters.queued == 4)
        #expect(counters.dropped == [.outboxFull: 2])
        #expect(counters.totalDropped == 2)
    }

    @Test("past its byte capacity the outbox refuses with outboxBytesFull")
    func byteCapacity() throws {
        let core = try core(capacity: 100, bytes: 100)
        #expect(publish(core, bytes: 60) == .queued)
        #expect(publish(core, bytes: 60) == .dropped(.outboxBytesFull))
        #expect(publish(core, bytes: 40) == .queued)
        #expect(core.counters().dropped == [.outboxBytesFull: 1])
    }

    @Test("a message larger than the whole byte budget is refused as messageTooLarge")
    func tooLarge() throws {
        let core = try core(bytes: 100)
        #expect(publish(core, bytes: 101) == .dropped(.messageTooLarge))
    }

    @Test("an unknown socket id is refused as unknownSocket")
    func unknownSocket() throws {
        let core = try core(sockets: 1)
        #expect(publish(core, socket: 3, bytes: 1) == .dropped(.unknownSocket))
    }

    @Test("after a stop request nothing more is queued: hubStopped")
    func stopped() throws {
        let core = try core()
        core.requestStop()
        #expect(publish(core, bytes: 1) == .dropped(.hubStopped))
        #expect(core.counters().dropped == [.hubStopped: 1])
    }

    @Test("replies are never refused for capacity")
    func repliesBypassCapacity() throws {
        let core = try core(capacity: 1, bytes: 10)
        #expect(publish(core, bytes: 10) == .queued)
        let outcome = core.enqueue(socket: 0, byteCount: 50, isReply: true) { $0.append(socket: 0, frames: [Array(repeating: 0, count: 50)]) }
        #expect(outcome == .queued)
    }

    @Test("taking a batch empties the outbox and keeps frames and message boundaries intact")
    func takeQueuedSwapsBatch() throws {
        let core = try core(capacity: 10, bytes: 1_000)
        core.enqueue(socket: 0, byteCount: 6, isReply: false) { $0.append(socket: 0, frames: [[1, 2], [], [3, 4, 5, 6]]) }
        core.enqueue(socket: 0, byteCount: 1, isReply: false) { $0.append(socket: 0, frames: [[9]]) }
        var pending = OutboundBatch()
        var replies = OutboundBatch()
        let taken = core.takeQueued(into: &pending, replies: &replies)
        #expect(taken.gotWork && !taken.stopping)
        var frames: [[[UInt8]]] = []
        for message in pending.messages {
            var parts: [[UInt8]] = []
            pending.forEachFrame(of: message) { frame, _ in parts.append(Array(frame)) }
            frames.append(parts)
        }
        #expect(frames == [[[1, 2], [], [3, 4, 5, 6]], [[9]]])
        var again = OutboundBatch()
        #expect(core.takeQueued(into: &again, replies: &replies).gotWork == false)
    }

    @Test("the eventfd is rung only when the owner thread said it would sleep")
    func wakesOnlyWaitingOwner() throws {
        let core = try core(capacity: 10)
        var pending = OutboundBatch()
        var replies = OutboundBatch()
        _ = core.takeQueued(into: &pending, replies: &replies)  // empty: owner now waiting
        #expect(core.outbox.withLock { $0.ownerWaiting })
        _ = publish(core, bytes: 1)
        #expect(core.outbox.withLock { $0.ownerWaiting } == false)
    }

    @Test("a send timestamp is written little-endian at its offset in its frame, and nowhere else")
    func stampWritesTheField() {
        var batch = OutboundBatch()
        batch.append(socket: 0, frames: [Array("t:".utf8), Array(repeating: 0, count: 12), [5, 6]])
        let message = batch.messages[0]
        batch.stamp(message, SendTimestampField(frame: 1, byteOffset: 4), nanoseconds: 0x0102_0304_0506_0708)
        var frames: [[UInt8]] = []
        batch.forEachFrame(of: message) { frame, _ in frames.append(Array(frame)) }
        #expect(frames == [Array("t:".utf8), [0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1], [5, 6]])
    }

    @Test("a message without the field's frame, or with a frame too short for it, is left as it is")
    func stampSkipsWhatDoesNotFit() {
        var batch = OutboundBatch()
        batch.append(socket: 0, frames: [Array("t:".utf8), Array(repeating: 0, count: 11)])
        batch.append(socket: 0, frames: [Array("u:".utf8)])
        for message in batch.messages {
            batch.stamp(message, SendTimestampField(frame: 1, byteOffset: 4), nanoseconds: -1)
        }
        var frames: [[UInt8]] = []
        for message in batch.messages { batch.forEachFrame(of: message) { frame, _ in frames.append(Array(frame)) } }
        #expect(frames == [Array("t:".utf8), Array(repeating: 0, count: 11), Array("u:".utf8)])
    }
}
