import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import TransportTLS

/// Receives a `WebSocketConnection`'s events inline on its event loop: no task or thread hop
/// between the socket read and the caller's code (the bridge's hot path parses, applies and
/// publishes right inside `received`).
public protocol WebSocketConnectionDelegate: AnyObject {
    /// The upgrade completed; `send` may be used from now on.
    func connectionOpened(_ connection: WebSocketConnection)
    /// One complete text (or binary) message, as NIO read it (no copy).
    func connection(_ connection: WebSocketConnection, received message: ByteBuffer)
    /// A pong arrived (answer to `ping`).
    func connectionReceivedPong(_ connection: WebSocketConnection)
    /// The connection ended (or never opened); called exactly once.
    func connection(_ connection: WebSocketConnection, closed reason: WebSocketCloseReason)
}

/// Why a connection ended.
public enum WebSocketCloseReason: Sendable, Equatable, CustomStringConvertible {
    /// The server sent a close frame with this code (nil: no code).
    case closedByServer(code: UInt16?)
    /// We closed it (`close()`).
    case closedLocally
    /// TCP ended without a close frame.
    case connectionLost
    /// The server broke the protocol or sent a frame larger than allowed (NIO's error text).
    case protocolError(String)
    /// A frame exceeded the configured maximum size.
    case frameTooLarge
    /// Connect, TLS or upgrade failed.
    case connectFailed(String)

    public var description: String {
        switch self {
        case .closedByServer(let code): "closed by server (\(code.map(String.init) ?? "no code"))"
        case .closedLocally: "closed locally"
        case .connectionLost: "connection lost"
        case .protocolError(let text): "protocol error: \(text)"
        case .frameTooLarge: "frame too large"
        case .connectFailed(let text): "connect failed: \(text)"
        }
    }
}

/// A client WebSocket connection whose events are delivered inline on one event loop (see
/// `WebSocketConnectionDelegate`). Confined to that loop: call its methods only there.
public final class WebSocketConnection {
    public let eventLoop: any EventLoop
    private var channel: (any Channel)?
    private weak var delegate: (any WebSocketConnectionDelegate)?
    private var ended = false
    /// The 101 arrived and the WebSocket handlers are in the pipeline. Until then the pipeline
    /// is HTTP's: a `WebSocketFrame` written into it reaches NIO's HTTP request encoder, which
    /// cannot take it and stops the whole process (a fatal error, not a failed write). So
    /// nothing is sent before this is set, and closing before it just drops TCP.
    private var upgraded = false

    private init(eventLoop: any EventLoop, delegate: any WebSocketConnectionDelegate) {
        self.eventLoop = eventLoop
        self.delegate = delegate
    }

    /// Starts connecting to `ws[s]://host:port/path` on `eventLoop` (call it on that loop).
    /// The delegate hears `connectionOpened` or `closed(.connectFailed)`; keep the returned
    /// connection to send and close.
    public static func connect(
        host: String, port: Int, path: String, tls: NIOSSLContext?, maxFrameSize: Int, connectTimeout: TimeAmount,
        on eventLoop: any EventLoop, delegate: any WebSocketConnectionDelegate
    ) -> WebSocketConnection {
        eventLoop.preconditionInEventLoop()
        let connection = WebSocketConnection(eventLoop: eventLoop, delegate: delegate)
        let bound = NIOLoopBound(connection, eventLoop: eventLoop)
        let upgraded = eventLoop.makePromise(of: Void.self)
        let upgrader = NIOWebSocketClientUpgrader(
            maxFrameSize: maxFrameSize,
            // No error reaches NIO's handlers: `FrameReader` ends every error itself.
            automaticErrorHandling: false,
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    // Frames are read before NIO's decoder, which then never sees a byte: the
                    // upgrader installs it, and removing a decoder may hand on decoded frames.
                    let pipeline = channel.pipeline.syncOperations
                    let decoder = try pipeline.handler(type: ByteToMessageHandler<WebSocketFrameDecoder>.self)
                    try pipeline.addHandler(FrameReader(sink: bound.value, maxFrameSize: maxFrameSize), position: .before(decoder))
                    upgraded.succeed()
                }
            })
        let connected = ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try ClientTLS.addHandler(to: channel, context: tls, host: host) }
                    let request = NIOLoopBound(
                        UpgradeRequestHandler(host: host, port: port, path: path, upgraded: upgraded), eventLoop: channel.eventLoop)
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        leftOverBytesStrategy: .forwardBytes,
                        withClientUpgrade: (upgraders: [upgrader], completionHandler: { context in
                            context.pipeline.syncOperations.removeHandler(request.value, promise: nil)
                        }))
                    try channel.pipeline.syncOperations.addHandler(request.value)
                }
            }
            .connect(host: host, port: port)
        connected.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let channel):
                connection.channel = channel
                channel.closeFuture.assumeIsolated().whenComplete { _ in
                    upgraded.fail(WebSocketClient.ConnectError(description: "connection closed before the WebSocket upgrade"))
                    connection.end(.connectionLost)
                }
                // Closed (or aborted) while TCP was still connecting: nobody wants this
                // connection any more, so it must not go on to upgrade and live unowned.
                if connection.ended { channel.close(promise: nil) }
            case .failure(let error):
                upgraded.fail(error)
            }
        }
        upgraded.futureResult.assumeIsolated().whenComplete { result in
            switch result {
            case .success:
                // An upgrade that finishes after a local close is not reported: the delegate
                // already heard `closed`, and hears nothing after it.
                guard !connection.ended else { return }
                connection.upgraded = true
                connection.delegate?.connectionOpened(connection)
            case .failure(let error): connection.end(.connectFailed(ConnectionErrorText.describe(error)))
            }
        }
        return connection
    }

    /// Sends one text message (masked, as clients must). Dropped when not connected.
    public func send(text bytes: [UInt8]) {
        guard let channel, upgraded, !ended else { return }
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: buffer), promise: nil)
    }

    /// A WebSocket-level ping (the delegate hears the pong).
    public func ping() {
        guard let channel, upgraded, !ended else { return }
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .ping, maskKey: .random(), data: channel.allocator.buffer(capacity: 0)),
                              promise: nil)
    }

    /// Sends a close frame and closes; the delegate hears `.closedLocally`. Before the upgrade
    /// completed there is no WebSocket to close yet (RFC 6455 §7.1.7 fails such a connection
    /// by closing TCP): the connection is dropped without a frame.
    public func close() {
        guard !ended else { return }
        if let channel, !upgraded {
            channel.close(promise: nil)
        } else if let channel {
            var data = channel.allocator.buffer(capacity: 2)
            data.write(webSocketErrorCode: .normalClosure)
            channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: data))
                .assumeIsolated().whenComplete { _ in channel.close(promise: nil) }
        }
        end(.closedLocally)
    }

    /// Drops the connection without a close frame (used when the peer is presumed dead).
    public func abort() {
        channel?.close(promise: nil)
        end(.closedLocally)
    }

    /// Reports the end once, whatever happened first.
    private func end(_ reason: WebSocketCloseReason) {
        guard !ended else { return }
        ended = true
        delegate?.connection(self, closed: reason)
    }
}

extension WebSocketConnection: FrameReaderSink {
    func frameReader(receivedMessage message: ByteBuffer) {
        guard !ended else { return }
        delegate?.connection(self, received: message)
    }

    func frameReader(receivedPing payload: ByteBuffer) {
        guard !ended else { return }
        channel?.writeAndFlush(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: payload), promise: nil)
    }

    func frameReaderReceivedPong() {
        guard !ended else { return }
        delegate?.connectionReceivedPong(self)
    }

    func frameReader(receivedClose payload: ByteBuffer) {
        guard !ended else { return }
        var data = payload
        let code = data.readInteger(as: UInt16.self)
        if let channel {
            var reply = channel.allocator.buffer(capacity: 2)
            reply.write(webSocketErrorCode: .normalClosure)
            channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: reply))
                .assumeIsolated().whenComplete { _ in channel.close(promise: nil) }
        }
        end(.closedByServer(code: code))
    }

    func frameReader(failed error: any Error) {
        switch error {
        case FrameReadError.frameTooLarge: end(.frameTooLarge)
        case FrameReadError.protocolViolation(let text): end(.protocolError(text))
        default: end(.protocolError(String(describing: error)))
        }
        channel?.close(promise: nil)
    }
}
