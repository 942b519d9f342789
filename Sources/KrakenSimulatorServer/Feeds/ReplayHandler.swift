import KrakenCapture
import KrakenSimulator
import KrakenWire
import NIOCore
import NIOWebSocket

/// One connection in replay mode: sends the capture's frames from the first, spaced as recorded
/// (scaled by the speed) or as fast as the socket takes them. Requests are counted, not
/// answered — the capture already holds the original answers — except application pings,
/// answered as Kraken would; a frame recorded after the
/// recorded client's n-th subscribe waits for this client's n-th subscribe, and the spacing
/// restarts from there. Lives on the exchange's event loop.
final class ReplayHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let plan: ReplayPlan
    private let exchange: Exchange
    private var context: ChannelHandlerContext?
    private var next = 0
    /// Frames are due relative to the first frame after the last wait for a request.
    private var startedAt: NIODeadline = .now()
    private var startTimestampNs: Int64 = 0
    private var waiting: Scheduled<Void>?
    private var subscribes = 0
    private var heldForRequest = false
    private var holdExpiry: Scheduled<Void>?

    init(plan: ReplayPlan, exchange: Exchange) {
        self.plan = plan
        self.exchange = exchange
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        exchange.counters.add("connections_opened")
        startedAt = .now()
        startTimestampNs = plan.frames.first?.timestampNs ?? 0
        pump()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        waiting?.cancel()
        holdExpiry?.cancel()
        self.context = nil
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, waiting == nil { pump() }
        context.fireChannelWritabilityChanged()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            if answerPing(frame, context: context) { return }
            exchange.counters.add("replay_requests_ignored")
            if ReplayPlan.isSubscribe(frame.unmaskedData.readableBytesView) {
                subscribes += 1
                if heldForRequest { release() }
            }
        case .ping: context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            var data = context.channel.allocator.buffer(capacity: 2)
            data.write(webSocketErrorCode: .normalClosure)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
                .whenComplete { _ in channel.close(promise: nil) }
        default: break
        }
    }

    /// An application ping (v1 `{"event":"ping"}`, v2 `{"method":"ping"}`) is answered as Kraken
    /// answers it, whatever the capture holds: a client that checks its connection with pings
    /// would otherwise take a long replay for a dead connection. The pong goes out between
    /// replayed frames, as a live server's would.
    private func answerPing(_ frame: WebSocketFrame, context: ChannelHandlerContext) -> Bool {
        let receivedNs = UnixClock.nanoseconds()
        let request = frame.unmaskedData.withUnsafeReadableBytes { bytes in try? ClientRequest(frame: bytes) }
        let pong: [UInt8]
        switch request {
        case .v1Ping(let requestID): pong = V1Responses.pong(requestID: requestID)
        case .v2Ping(let requestID): pong = V2Responses.pong(requestID: requestID, timeInNs: receivedNs, timeOutNs: UnixClock.nanoseconds())
        default: return false
        }
        exchange.counters.add("replay_pings_answered")
        var buffer = context.channel.allocator.buffer(capacity: pong.count)
        buffer.writeBytes(pong)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: buffer)), promise: nil)
        return true
    }

    /// Sends the held frames, spaced from now.
    private func release() {
        holdExpiry?.cancel()
        holdExpiry = nil
        guard waiting == nil, next < plan.frames.count else { return }
        startedAt = .now()
        startTimestampNs = plan.frames[next].timestampNs
        pump()
    }

    /// The time frame `index` is due.
    private func due(_ index: Int) -> NIODeadline {
        guard let speed = plan.speed else { return startedAt }
        let offset = Double(plan.frames[index].timestampNs - startTimestampNs) / speed
        return startedAt + .nanoseconds(Int64(offset))
    }



    /// Sends every frame that is due while the socket takes them; then waits for the next due
    /// time or for the socket to drain.
    private func pump() {
        waiting = nil
        guard let context else { return }
        var sent = 0
        heldForRequest = false
        while next < plan.frames.count, context.channel.isWritable {
            if plan.requestsNeeded(before: next) > subscribes {
                // Sent when the request comes (or the hold limit passes); the recorded spacing
                // restarts there.
                heldForRequest = true
                if holdExpiry == nil { holdExpiry = context.eventLoop.assumeIsolated().scheduleTask(in: plan.holdLimit) { [weak self] in
                    guard let self, self.heldForRequest, self.next < self.plan.frames.count else { return }
                    self.subscribes = max(self.subscribes, self.plan.requestsNeeded(before: self.next))
                    self.release()
                } }
                break
            }
            let deadline = due(next)
            if deadline > .now() {
                waiting = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in self?.pump() }
                break
            }
            var buffer = context.channel.allocator.buffer(capacity: plan.frames[next].text.count)
            buffer.writeBytes(plan.frames[next].text)
            context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: buffer)), promise: nil)
            next += 1
            sent += 1
            if sent % 256 == 0 { context.flush() }
        }
        if sent > 0 {
            context.flush()
            exchange.counters.add("replay_frames_sent", UInt64(sent))
        }
    }
}
