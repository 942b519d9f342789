import KrakenSimulator
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The Kraken simulator's network side: a WebSocket server speaking Kraken's v2 protocol at
/// `/v2`, driven by seeded markets. Everything runs on one event loop, so the exchange's state
/// needs no locks. Start it on port 0 in tests and read `port`.
public final class SimulatorServer: Sendable {
    /// What to simulate and where.
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port = 0
        public var pairs = SimulatedPair.defaults
        public var seed: UInt64 = 1
        /// How often the markets step and subscribers are sent what changed.
        public var tickInterval: Duration = .milliseconds(100)
        public var stepsPerTick = 1
        /// Frames larger than this from a client close the connection.
        public var maxFrameSize = 1 << 16

        public init() {}
    }

    public let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let exchange: NIOLoopBound<Exchange>

    private init(port: Int, group: MultiThreadedEventLoopGroup, channel: any Channel, exchange: NIOLoopBound<Exchange>) {
        self.port = port
        self.group = group
        self.channel = channel
        self.exchange = exchange
    }

    public static func start(_ configuration: Configuration) async throws -> SimulatorServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let exchange = try await loop.submit {
            let exchange = Exchange(
                eventLoop: loop, pairs: configuration.pairs, seed: configuration.seed,
                stepsPerTick: configuration.stepsPerTick)
            let (seconds, attoseconds) = configuration.tickInterval.components
            exchange.start(tickInterval: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
            return NIOLoopBound(exchange, eventLoop: loop)
        }.get()
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: configuration.maxFrameSize,
            shouldUpgrade: { channel, head in
                let known = head.uri == "/v2" || head.uri.hasPrefix("/v2?")
                return channel.eventLoop.makeSucceededFuture(known ? HTTPHeaders() : nil)
            },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(WebSocketSession(exchange: exchange.value))
                }
            })
        do {
            let channel = try await ServerBootstrap(group: loop)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let notFound = NIOLoopBound(NotFoundHandler(), eventLoop: channel.eventLoop)
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                            withServerUpgrade: (upgraders: [upgrader], completionHandler: { context in
                                context.pipeline.syncOperations.removeHandler(notFound.value, promise: nil)
                            }))
                        try channel.pipeline.syncOperations.addHandler(notFound.value)
                    }
                }
                .bind(host: configuration.host, port: configuration.port).get()
            return SimulatorServer(port: channel.localAddress?.port ?? 0, group: group, channel: channel, exchange: exchange)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Closes the listener and every connection.
    public func shutdown() async throws {
        let exchange = self.exchange
        try? await channel.eventLoop.submit { exchange.value.stop() }.get()
        try? await channel.close()
        try await group.shutdownGracefully()
    }
}

/// Plain HTTP requests that are not WebSocket upgrades get 404 (REST comes with the next slice).
final class NotFoundHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        var headers = HTTPHeaders()
        headers.add(name: "content-length", value: "0")
        headers.add(name: "connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .notFound, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [context = NIOLoopBound(context, eventLoop: context.eventLoop)] _ in
                context.value.close(promise: nil)
            }
    }
}
