import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import TransportTLS

/// A WebSocket client connection (RFC 6455 over NIO): the upgrade handshake, then text frames
/// in and out. Received frames are delivered in order on an `AsyncStream`; control frames
/// (ping → pong, close) are answered by the handler itself.
public final class WebSocketClient: Sendable {
    /// What arrives from the server.
    public enum Event: Sendable, Equatable {
        case text([UInt8])
        case binary([UInt8])
        case closed(code: UInt16?)
    }

    public struct ConnectError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public let events: AsyncStream<Event>
    private let channel: any Channel

    private init(channel: any Channel, events: AsyncStream<Event>) {
        self.channel = channel
        self.events = events
    }

    /// Connects to `ws://host:port/path` (or `wss://` when `tls` is given) and completes once
    /// the upgrade succeeded.
    public static func connect(
        host: String, port: Int, path: String, group: any EventLoopGroup, maxFrameSize: Int = 1 << 24,
        tls: NIOSSLContext? = nil
    ) async throws -> WebSocketClient {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        let upgraded = group.next().makePromise(of: Void.self)
        let upgrader = NIOWebSocketClientUpgrader(
            maxFrameSize: maxFrameSize,
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FrameForwarder(continuation: continuation))
                    upgraded.succeed()
                }
            })
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(5))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls { try ClientTLS.addHandler(to: channel, context: tls, host: host) }
                        let request = NIOLoopBound(
                            UpgradeRequestHandler(host: host, port: port, path: path, upgraded: upgraded),
                            eventLoop: channel.eventLoop)
                        // Frames the server sends right behind its 101 response can share a read
                        // with it: forward those bytes to the WebSocket decoder, never drop them.
                        try channel.pipeline.syncOperations.addHTTPClientHandlers(
                            leftOverBytesStrategy: .forwardBytes,
                            withClientUpgrade: (upgraders: [upgrader], completionHandler: { context in
                                context.pipeline.syncOperations.removeHandler(request.value, promise: nil)
                            }))
                        try channel.pipeline.syncOperations.addHandler(request.value)
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            upgraded.fail(error)
            continuation.finish()
            throw error
        }
        channel.closeFuture.whenComplete { _ in
            upgraded.fail(ConnectError(description: "connection closed before the WebSocket upgrade"))
            continuation.finish()
        }
        try await upgraded.futureResult.get()
        return WebSocketClient(channel: channel, events: events)
    }

    /// Sends one text frame (masked, as clients must).
    public func send(text bytes: [UInt8]) async throws {
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        let frame = WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: buffer)
        try await channel.writeAndFlush(frame)
    }

    /// Sends a close frame and closes the connection.
    public func close() async {
        var data = channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: .normalClosure)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: data)
        try? await channel.writeAndFlush(frame)
        try? await channel.close()
    }
}

/// Sends the HTTP GET that the upgrader turns into a WebSocket handshake.
final class UpgradeRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let host: String
    let port: Int
    let path: String
    let upgraded: EventLoopPromise<Void>

    init(host: String, port: Int, path: String, upgraded: EventLoopPromise<Void>) {
        self.host = host
        self.port = port
        self.path = path
        self.upgraded = upgraded
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(host):\(port)")
        headers.add(name: "Content-Length", value: "0")
        context.write(wrapOutboundOut(.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    /// A plain HTTP response means the server refused the upgrade.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            upgraded.fail(WebSocketClient.ConnectError(description: "upgrade refused: HTTP \(head.status.code)"))
            context.close(promise: nil)
        }
    }
}

/// Hands data frames to the stream and answers control frames.
final class FrameForwarder: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let continuation: AsyncStream<WebSocketClient.Event>.Continuation

    init(continuation: AsyncStream<WebSocketClient.Event>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        var payload = frame.unmaskedData
        switch frame.opcode {
        case .text: continuation.yield(.text(payload.readBytes(length: payload.readableBytes) ?? []))
        case .binary: continuation.yield(.binary(payload.readBytes(length: payload.readableBytes) ?? []))
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            continuation.yield(.closed(code: payload.readInteger(as: UInt16.self)))
            context.close(promise: nil)
        default: break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }
}
