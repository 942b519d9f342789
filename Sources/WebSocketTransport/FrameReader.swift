import NIOCore
import NIOWebSocket

/// What a `FrameReader` found, in order: complete messages and control frames, or the one
/// violation that ends the connection.
protocol FrameReaderSink: AnyObject {
    /// A whole text or binary message: a view of the decrypted bytes when it came in one frame
    /// and one read (the usual case, no copy), else the fragments joined.
    func frameReader(receivedMessage message: ByteBuffer)
    func frameReader(receivedPing payload: ByteBuffer)
    func frameReaderReceivedPong()
    func frameReader(receivedClose payload: ByteBuffer)
    /// The stream broke RFC 6455 or a limit (a `FrameReadError`), or the pipeline failed
    /// (TLS, the socket); nothing more is read.
    func frameReader(failed error: any Error)
}

/// Why a `FrameReader` stopped.
enum FrameReadError: Error, Equatable, CustomStringConvertible {
    /// A frame, or a message's fragments together, larger than the configured maximum.
    case frameTooLarge
    case protocolViolation(String)

    var description: String {
        switch self {
        case .frameTooLarge: "frame too large"
        case .protocolViolation(let text): text
        }
    }
}

/// RFC 6455 §5.2 opcodes.
private enum Opcode {
    static let continuation: UInt8 = 0x0
    static let text: UInt8 = 0x1
    static let binary: UInt8 = 0x2
    static let close: UInt8 = 0x8
    static let ping: UInt8 = 0x9
    static let pong: UInt8 = 0xA
}

/// Reads RFC 6455 frames straight from the decrypted byte stream and hands each message to its
/// sink inline. It stands in for NIO's frame decoder, frame aggregator and a frame handler:
/// those box every frame in `NIOAny` (a dynamic cast per message), make a `WebSocketFrame` and
/// pass it through two more handlers — about a tenth of the bridge's CPU per Kraken message.
/// Here a single-frame message is a slice of the buffer it arrived in. Only bytes of a frame
/// not yet complete are kept (copied) until the rest arrives. Confined to its event loop.
final class FrameReader<Sink: FrameReaderSink>: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// The fragments a message may come in, as NIO's aggregator allowed before.
    static var maxFragments: Int { 1_024 }

    private let sink: Sink
    private let maxFrameSize: Int
    /// The start of a frame whose end has not arrived yet.
    private var carried: ByteBuffer?
    /// A message sent in fragments, joined so far, and how many fragments it has had.
    private var fragments: ByteBuffer?
    private var fragmentCount = 0
    private var failed = false

    init(sink: Sink, maxFrameSize: Int) {
        self.sink = sink
        self.maxFrameSize = maxFrameSize
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var buffer = unwrapInboundIn(data)
        if var earlier = carried {
            carried = nil
            earlier.writeBuffer(&buffer)
            buffer = earlier
        }
        while !failed {
            switch nextFrame(in: &buffer) {
            case .incomplete(let frameLength):
                if buffer.readableBytes > 0 { carry(buffer, frameLength: frameLength, allocator: context.channel.allocator) }
                return
            case .frame(let header, var payload):
                // Servers must not mask (RFC 6455 §5.1); like NIO's decoder, a masked frame is
                // unmasked rather than refused.
                if let key = header.maskKey { payload.webSocketUnmask(key) }
                handle(header, payload)
            case .violation(let error):
                fail(error)
            }
        }
    }

    /// Nothing after this handler reads the stream, so errors end here.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !failed else { return }
        failed = true
        sink.frameReader(failed: error)
    }

    private struct Header {
        var fin: Bool
        var opcode: UInt8
        var maskKey: WebSocketMaskingKey?
    }

    private enum Next {
        /// More bytes are needed; the frame's whole length when its header is complete.
        case incomplete(frameLength: Int?)
        case frame(Header, ByteBuffer)
        case violation(FrameReadError)
    }

    /// The next whole frame at the reader index (which it then passes), if it is all there.
    private func nextFrame(in buffer: inout ByteBuffer) -> Next {
        let start = buffer.readerIndex
        guard let first = buffer.getInteger(at: start, as: UInt8.self), let second = buffer.getInteger(at: start + 1, as: UInt8.self)
        else { return .incomplete(frameLength: nil) }
        guard first & 0x70 == 0 else { return .violation(.protocolViolation("reserved bits set without an extension")) }
        var headerLength = 2
        var length = Int(second & 0x7F)
        if length == 126 {
            guard let extended = buffer.getInteger(at: start + 2, as: UInt16.self) else { return .incomplete(frameLength: nil) }
            length = Int(extended)
            headerLength += 2
        } else if length == 127 {
            guard let extended = buffer.getInteger(at: start + 2, as: UInt64.self) else { return .incomplete(frameLength: nil) }
            guard extended <= UInt64(Int.max / 2) else { return .violation(.frameTooLarge) }
            length = Int(extended)
            headerLength += 8
        }
        // Refused from its header alone: an oversized frame is never buffered.
        guard length <= maxFrameSize else { return .violation(.frameTooLarge) }
        var maskKey: WebSocketMaskingKey?
        if second & 0x80 != 0 {
            guard let key = buffer.getBytes(at: start + headerLength, length: 4) else { return .incomplete(frameLength: nil) }
            maskKey = WebSocketMaskingKey(key)!
            headerLength += 4
        }
        guard buffer.readableBytes >= headerLength + length else { return .incomplete(frameLength: headerLength + length) }
        let payload = buffer.getSlice(at: start + headerLength, length: length)!
        buffer.moveReaderIndex(forwardBy: headerLength + length)
        return .frame(Header(fin: first & 0x80 != 0, opcode: first & 0x0F, maskKey: maskKey), payload)
    }

    private func handle(_ header: Header, _ payload: ByteBuffer) {
        switch header.opcode {
        case Opcode.text, Opcode.binary:
            guard fragments == nil else { return fail(.protocolViolation("a new message began inside a fragmented one")) }
            if header.fin {
                sink.frameReader(receivedMessage: payload)
            } else {
                fragments = payload
                fragmentCount = 1
            }
        case Opcode.continuation:
            guard var joined = fragments else { return fail(.protocolViolation("a continuation frame without a message to continue")) }
            fragments = nil
            fragmentCount += 1
            guard joined.readableBytes + payload.readableBytes <= maxFrameSize else { return fail(.frameTooLarge) }
            guard fragmentCount <= Self.maxFragments else { return fail(.protocolViolation("more than \(Self.maxFragments) fragments")) }
            var rest = payload
            joined.writeBuffer(&rest)
            if header.fin { sink.frameReader(receivedMessage: joined) } else { fragments = joined }
        case Opcode.close, Opcode.ping, Opcode.pong:
            guard header.fin, payload.readableBytes <= 125 else {
                return fail(.protocolViolation("a control frame fragmented or longer than 125 bytes"))
            }
            switch header.opcode {
            case Opcode.ping: sink.frameReader(receivedPing: payload)
            case Opcode.pong: sink.frameReaderReceivedPong()
            default: sink.frameReader(receivedClose: payload)
            }
        default:
            fail(.protocolViolation("unknown opcode \(header.opcode)"))
        }
    }

    /// Keeps the start of an unfinished frame in a buffer of its own, sized for the whole frame
    /// when its header says how long it is (the read buffer goes back to NIO).
    private func carry(_ buffer: ByteBuffer, frameLength: Int?, allocator: ByteBufferAllocator) {
        var rest = buffer
        var own = allocator.buffer(capacity: max(frameLength ?? 0, rest.readableBytes))
        own.writeBuffer(&rest)
        carried = own
    }

    private func fail(_ error: FrameReadError) {
        guard !failed else { return }
        failed = true
        carried = nil
        fragments = nil
        sink.frameReader(failed: error)
    }
}
