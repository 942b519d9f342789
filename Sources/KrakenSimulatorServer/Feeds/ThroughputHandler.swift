import KrakenSimulator
import KrakenWire
import NIOCore
import NIOWebSocket

/// One connection in throughput mode: the status, acks for its subscribe requests (v2) and the
/// instrument snapshot when asked, then the pre-framed stream written as raw bytes, two
/// whole-stream writes in flight at a time so the socket never waits for the simulator. Lives
/// on the exchange's event loop.
final class ThroughputHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame

    private let stream: EncodedThroughputStream
    private let messageLimit: Int?
    private let exchange: Exchange
    private let writer = RawByteWriter()
    private var context: ChannelHandlerContext?
    private var started = false
    private var messagesQueued = 0
    private var writesInFlight = 0

    init(stream: EncodedThroughputStream, messageLimit: Int?, exchange: Exchange) {
        self.stream = stream
        self.messageLimit = messageLimit
        self.exchange = exchange
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        do {
            let encoder = try context.pipeline.syncOperations.handler(type: WebSocketFrameEncoder.self)
            try context.pipeline.syncOperations.addHandler(writer, position: .before(encoder))
        } catch {
            context.close(promise: nil)
            return
        }
        exchange.counters.add("connections_opened")
        send(V2Frames.status(system: exchange.systemStatus, connectionID: exchange.nextConnection()))
        writer.flush()
    }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            var payload = frame.unmaskedData
            handle(request: payload.readBytes(length: payload.readableBytes) ?? [])
        case .ping:
            var pong: [UInt8] = [0x8A, UInt8(min(frame.unmaskedData.readableBytes, 125))]
            pong += frame.unmaskedData.getBytes(at: frame.unmaskedData.readerIndex, length: Int(pong[1])) ?? []
            writeRaw(pong)
        case .connectionClose:
            writeRaw([0x88, 0x02, 0x03, 0xE8])
            context.close(promise: nil)
        default:
            break
        }
    }

    private func handle(request text: [UInt8]) {
        exchange.counters.add("ws_requests")
        let now = UnixClock.nanoseconds()
        let request = try? text.withUnsafeBytes { bytes throws(WireError) in try ClientRequest(frame: bytes) }
        switch request {
        case .v2Subscription(let isSubscribe, let params, let requestID):
            let method = isSubscribe ? "subscribe" : "unsubscribe"
            let symbols: [String?] = params.symbols.isEmpty ? [nil] : params.symbols.map { $0 }
            for symbol in symbols {
                send(V2Responses.subscribed(
                    method: method, channel: params.channel, symbol: symbol,
                    depth: params.channel == "book" ? (params.depth ?? 10) : nil,
                    snapshot: isSubscribe ? (params.snapshot ?? true) : nil,
                    requestID: requestID, timeInNs: now, timeOutNs: UnixClock.nanoseconds()))
            }
            if isSubscribe, params.channel == "instrument" {
                // A client needs the pairs' precisions before it can keep books: answer the
                // instrument snapshot, and stream once it subscribes to market data.
                send(V2Frames.instrument(pairs: exchange.pairs))
                writer.flush()
                return
            }
            writer.flush()
            if isSubscribe, !started {
                started = true
                pump()
            }
        case .v2Ping(let requestID):
            send(V2Responses.pong(requestID: requestID, timeInNs: now, timeOutNs: UnixClock.nanoseconds()))
            writer.flush()
        default:
            exchange.counters.add("ws_requests_ignored")
        }
    }

    /// Keeps two writes of the stream queued until the limit (if any) is reached.
    private func pump() {
        guard let context, context.channel.isActive else { return }
        while writesInFlight < 2 {
            var remaining = stream.messageCount
            if let messageLimit { remaining = min(remaining, messageLimit - messagesQueued) }
            guard remaining > 0 else { break }
            let chunk = remaining == stream.messageCount
                ? stream.bytes
                : stream.bytes.getSlice(at: stream.bytes.readerIndex, length: stream.messageEnds[remaining - 1])!
            messagesQueued += remaining
            writesInFlight += 1
            let promise = context.eventLoop.makePromise(of: Void.self)
            let written = UInt64(remaining)
            promise.futureResult.assumeIsolated().whenComplete { [weak self] result in
                guard let self else { return }
                self.writesInFlight -= 1
                if case .success = result {
                    self.exchange.counters.add("throughput_messages_sent", written)
                    self.pump()
                }
            }
            writer.write(chunk, promise: promise)
            writer.flush()
        }
    }

    private func send(_ text: [UInt8]) {
        var framed: [UInt8] = []
        WebSocketFrameBytes.appendText(text, to: &framed)
        writeRaw(framed, flush: false)
    }

    private func writeRaw(_ bytes: [UInt8], flush: Bool = true) {
        guard let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        writer.write(buffer, promise: nil)
        if flush { writer.flush() }
    }
}
