import NIOCore
import NIOWebSocket

/// The channel handler of every simulator WebSocket connection: registers its session with the
/// exchange, greets, hands text frames to the session's protocol (v1 or v2), answers pings and
/// close frames. Lives on the exchange's event loop.
final class SessionHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let exchange: Exchange
    private let session: any ClientSession

    init(exchange: Exchange, session: any ClientSession) {
        self.exchange = exchange
        self.session = session
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // The upgrade finishes after the 101 is written; a client that dropped TCP right then
        // leaves a closed channel whose `channelInactive` has already gone by. Such a session
        // is never registered or greeted (nothing could reach it, and it would only be
        // unregistered again when the pipeline is torn down).
        guard context.channel.isActive else {
            context.close(promise: nil)
            return
        }
        session.output.attach(context)
        exchange.register(session)
        session.greet()
        session.output.flushIfNeeded()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        exchange.unregister(session)
        session.output.detach()
    }

    func channelInactive(context: ChannelHandlerContext) {
        exchange.unregister(session)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            var payload = frame.unmaskedData
            let bytes = payload.readBytes(length: payload.readableBytes) ?? []
            exchange.counters.add("ws_requests")
            session.handle(text: bytes)
            session.output.flushIfNeeded()
        case .ping:
            session.output.pong(frame.unmaskedData)
        case .connectionClose:
            // Counted by close code ("client_closes_1000"), so tests see how clients leave.
            var payload = frame.unmaskedData
            let code = payload.readInteger(as: UInt16.self).map(String.init) ?? "none"
            exchange.counters.add("client_closes_\(code)")
            session.output.answerClose()
        default:
            break
        }
    }
}
