import KrakenSimulator
import NIOCore
import NIOWebSocket

/// Which of the simulator's WebSocket listeners a connection came in on, like Kraken's
/// `ws.kraken.com` and `ws-auth.kraken.com`.
enum Endpoint: String, Sendable {
    case `public`, `private`

    func matches(_ target: Fault.Target) -> Bool {
        target == .all || target.rawValue == rawValue
    }
}

/// The outbound side of one WebSocket connection: writes text frames, batches flushes per
/// tick, and carries the connection-level faults (stall, latency, abrupt close) so every
/// session protocol behaves the same way under them.
final class SessionOutput {
    /// What a frame is, for the stall fault: a stalled connection sends nothing, or only heartbeats.
    enum Kind {
        case data, heartbeat
        /// Sent even when stalled (the fault frames themselves).
        case forced
    }

    let endpoint: Endpoint
    let connectionID: UInt64
    private let counters: Counters
    private var context: ChannelHandlerContext?
    /// Set by the stall fault: nil while sending normally; whether heartbeats still go out.
    private(set) var stallKeepsHeartbeats: Bool?
    private(set) var sentSinceHeartbeat = false
    private var pendingFlush = false
    /// Delay applied to every frame; set by the latency fault.
    var latency: TimeAmount = .zero

    init(endpoint: Endpoint, connectionID: UInt64, counters: Counters) {
        self.endpoint = endpoint
        self.connectionID = connectionID
        self.counters = counters
    }

    func attach(_ context: ChannelHandlerContext) { self.context = context }
    func detach() { context = nil }
    var isOpen: Bool { context != nil }

    func send(_ bytes: [UInt8], kind: Kind = .data) {
        guard let context else { return }
        if let keepsHeartbeats = stallKeepsHeartbeats, kind != .forced, !(kind == .heartbeat && keepsHeartbeats) { return }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        let frame = WebSocketFrame(fin: true, opcode: .text, data: buffer)
        counters.add("ws_frames_sent")
        sentSinceHeartbeat = true
        if latency > .zero {
            let channel = context.channel
            context.eventLoop.scheduleTask(in: latency) { channel.writeAndFlush(frame, promise: nil) }
            return
        }
        context.write(NIOAny(frame), promise: nil)
        pendingFlush = true
    }

    /// Starts a new heartbeat period; says whether anything went out in the last one.
    func resetHeartbeatPeriod() -> Bool {
        defer { sentSinceHeartbeat = false }
        return sentSinceHeartbeat
    }

    func flushIfNeeded() {
        guard pendingFlush, let context else { return }
        pendingFlush = false
        context.flush()
    }

    func stall(heartbeats: Bool) { stallKeepsHeartbeats = heartbeats }

    /// Closes the connection: with a close frame (1001 going away) or by dropping TCP.
    func close(clean: Bool) {
        guard let context else { return }
        flushIfNeeded()
        if clean {
            var data = context.channel.allocator.buffer(capacity: 2)
            data.write(webSocketErrorCode: .goingAway)
            let channel = context.channel
            context.writeAndFlush(NIOAny(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
                .whenComplete { _ in channel.close(promise: nil) }
        } else {
            context.close(promise: nil)
        }
    }

    /// Answers a client's close frame and closes.
    func answerClose() {
        guard let context else { return }
        var data = context.channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: .normalClosure)
        let channel = context.channel
        context.writeAndFlush(NIOAny(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
            .whenComplete { _ in channel.close(promise: nil) }
    }

    func pong(_ data: ByteBuffer) {
        context?.writeAndFlush(NIOAny(WebSocketFrame(fin: true, opcode: .pong, data: data)), promise: nil)
    }
}
