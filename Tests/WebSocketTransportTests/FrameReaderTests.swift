import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing
@testable import WebSocketTransport

/// What a reader handed on, in order.
private final class RecordingSink: FrameReaderSink {
    enum Event: Equatable {
        case message([UInt8])
        case ping([UInt8])
        case pong
        case close([UInt8])
        case failed(FrameReadError)
        case pipelineError(String)
    }

    var events: [Event] = []

    func frameReader(receivedMessage message: ByteBuffer) { events.append(.message(Array(message.readableBytesView))) }
    func frameReader(receivedPing payload: ByteBuffer) { events.append(.ping(Array(payload.readableBytesView))) }
    func frameReaderReceivedPong() { events.append(.pong) }
    func frameReader(receivedClose payload: ByteBuffer) { events.append(.close(Array(payload.readableBytesView))) }
    func frameReader(failed error: any Error) {
        if let error = error as? FrameReadError { events.append(.failed(error)) } else { events.append(.pipelineError("\(error)")) }
    }
}

/// One RFC 6455 frame as a server writes it (a mask only where a test asks for one).
private func frame(fin: Bool = true, rsv: UInt8 = 0, opcode: UInt8, _ payload: [UInt8], mask: [UInt8]? = nil) -> [UInt8] {
    var bytes: [UInt8] = [(fin ? 0x80 : 0) | rsv | opcode]
    let maskBit: UInt8 = mask == nil ? 0 : 0x80
    if payload.count < 126 {
        bytes.append(maskBit | UInt8(payload.count))
    } else if payload.count <= 0xFFFF {
        bytes.append(maskBit | 126)
        bytes += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
    } else {
        bytes.append(maskBit | 127)
        bytes += (0..<8).reversed().map { UInt8((UInt64(payload.count) >> (UInt64($0) * 8)) & 0xFF) }
    }
    if let mask {
        bytes += mask
        bytes += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    } else {
        bytes += payload
    }
    return bytes
}

private func text(_ string: String) -> [UInt8] { Array(string.utf8) }

/// Feeds `chunks` to a reader (one channel read each) and returns what it handed on.
private func read(_ chunks: [[UInt8]], maxFrameSize: Int = 1 << 20) throws -> [RecordingSink.Event] {
    let sink = RecordingSink()
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandler(FrameReader(sink: sink, maxFrameSize: maxFrameSize))
    for chunk in chunks {
        var buffer = channel.allocator.buffer(capacity: chunk.count)
        buffer.writeBytes(chunk)
        try channel.writeInbound(buffer)
    }
    #expect(try channel.readInbound(as: ByteBuffer.self) == nil, "nothing is passed down the pipeline")
    _ = try? channel.finish()
    return sink.events
}

@Suite("reading WebSocket frames from the decrypted stream")
struct FrameReaderTests {
    @Test("a frame split at any byte arrives once and whole (7-, 16- and 64-bit lengths)")
    func splitAnywhere() throws {
        for size in [5, 300, 70_000] {
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let bytes = frame(opcode: 0x1, payload)
            let splits = size < 1_000 ? Array(0...bytes.count) : [0, 1, 2, 5, 9, 10, 11, 5_000, bytes.count - 1, bytes.count]
            for split in splits {
                let events = try read([Array(bytes[..<split]), Array(bytes[split...])])
                #expect(events == [.message(payload)], "size \(size), split at \(split)")
            }
        }
    }

    @Test("several frames in one read arrive in order, and a frame's tail completes in the next read")
    func manyFramesPerRead() throws {
        let first = frame(opcode: 0x1, text("[1,{\"a\":[]}]"))
        let second = frame(opcode: 0x2, [0, 1, 2])
        let third = frame(opcode: 0x1, text("{\"event\":\"heartbeat\"}"))
        let events = try read([first + second + Array(third[..<4]), Array(third[4...])])
        #expect(events == [.message(text("[1,{\"a\":[]}]")), .message([0, 1, 2]), .message(text("{\"event\":\"heartbeat\"}"))])
    }

    @Test("a fragmented message is joined, with control frames between its fragments delivered as they come")
    func fragments() throws {
        let bytes = frame(fin: false, opcode: 0x1, text("ab")) + frame(opcode: 0x9, text("p"))
            + frame(fin: false, opcode: 0x0, text("cd")) + frame(opcode: 0xA, []) + frame(opcode: 0x0, text("ef"))
        #expect(try read([bytes]) == [.ping(text("p")), .pong, .message(text("abcdef"))])
        #expect(try read(bytes.map { [$0] }) == [.ping(text("p")), .pong, .message(text("abcdef"))], "one byte per read")
    }

    @Test("a masked frame is unmasked")
    func masked() throws {
        #expect(try read([frame(opcode: 0x1, text("hello"), mask: [1, 2, 3, 4])]) == [.message(text("hello"))])
    }

    @Test("a close frame hands on its payload (status code first)")
    func close() throws {
        #expect(try read([frame(opcode: 0x8, [0x03, 0xE8] + text("bye"))]) == [.close([0x03, 0xE8] + text("bye"))])
    }

    @Test("a frame longer than the maximum fails from its header alone, and nothing after it is read")
    func oversizedFrame() throws {
        let header = Array(frame(opcode: 0x1, [UInt8](repeating: 0x41, count: 2_000))[..<4])
        let events = try read([header, frame(opcode: 0x1, text("after"))], maxFrameSize: 1_000)
        #expect(events == [.failed(.frameTooLarge)])
    }

    @Test("fragments that together pass the maximum fail as too large")
    func oversizedMessage() throws {
        let part = [UInt8](repeating: 0x41, count: 600)
        let events = try read([frame(fin: false, opcode: 0x1, part) + frame(opcode: 0x0, part)], maxFrameSize: 1_000)
        #expect(events == [.failed(.frameTooLarge)])
    }

    @Test("protocol violations end the stream with a reason", arguments: [
        (frame(rsv: 0x40, opcode: 0x1, text("x")), "reserved bits set without an extension"),
        (frame(opcode: 0x3, text("x")), "unknown opcode 3"),
        (frame(opcode: 0x0, text("x")), "a continuation frame without a message to continue"),
        (frame(fin: false, opcode: 0x1, text("x")) + frame(opcode: 0x1, text("y")), "a new message began inside a fragmented one"),
        (frame(fin: false, opcode: 0x9, text("x")), "a control frame fragmented or longer than 125 bytes"),
        (frame(opcode: 0x9, [UInt8](repeating: 0, count: 126)), "a control frame fragmented or longer than 125 bytes"),
    ])
    func violations(bytes: [UInt8], reason: String) throws {
        let events = try read([bytes + frame(opcode: 0x1, text("after"))])
        #expect(events == [.failed(.protocolViolation(reason))])
    }

    @Test("an error from below (TLS, the socket) reaches the sink once and is not passed on")
    func pipelineError() throws {
        struct Broken: Error {}
        let sink = RecordingSink()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(FrameReader(sink: sink, maxFrameSize: 1_000))
        channel.pipeline.fireErrorCaught(Broken())
        channel.pipeline.fireErrorCaught(Broken())
        #expect(throws: Never.self) { try channel.throwIfErrorCaught() }
        #expect(sink.events == [.pipelineError("Broken()")])
        _ = try? channel.finish()
    }
}
