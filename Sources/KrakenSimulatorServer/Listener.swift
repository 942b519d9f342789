import KrakenSimulator
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// What a WebSocket listener serves, with the throughput stream already framed.
enum ServedFeed: Sendable {
    case live
    case replay(ReplayPlan)
    case throughput(EncodedThroughputStream, limit: Int?)
}

/// Binds the simulator's listeners on its one event loop.
struct Listener {
    let loop: any EventLoop
    let host: String
    let exchange: NIOLoopBound<Exchange>
    let maxFrameSize: Int
    /// When set, the WebSocket and REST listeners speak TLS (wss://, https://).
    let tls: NIOSSLContext?

    /// A WebSocket listener: v2 sessions at `/v2`, v1 sessions at `/`; other requests get 404.
    /// A replay or throughput feed replaces the live sessions (at either path).
    func webSocket(endpoint: Endpoint, port: Int, feed: ServedFeed = .live) async throws -> any Channel {
        let exchange = exchange
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: maxFrameSize,
            shouldUpgrade: { channel, head in
                channel.eventLoop.makeSucceededFuture(Self.protocolVersion(uri: head.uri) == nil ? nil : HTTPHeaders())
            },
            upgradePipelineHandler: { channel, head in
                channel.eventLoop.makeCompletedFuture {
                    let handler: any ChannelHandler
                    switch feed {
                    case .live:
                        let session: any ClientSession = Self.protocolVersion(uri: head.uri) == 1
                            ? V1Session(exchange: exchange.value, endpoint: endpoint)
                            : V2Session(exchange: exchange.value, endpoint: endpoint)
                        handler = SessionHandler(exchange: exchange.value, session: session)
                    case .replay(let plan):
                        handler = ReplayHandler(plan: plan, exchange: exchange.value)
                    case .throughput(let stream, let limit):
                        handler = ThroughputHandler(stream: stream, messageLimit: limit, exchange: exchange.value)
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            })
        return try await bootstrap(port: port, secure: true) { channel in
            let notFound = NIOLoopBound(
                HTTPRequestHandler { _ in .json(#"{"error":["EGeneral:Unknown method"]}"#, status: .notFound) },
                eventLoop: channel.eventLoop)
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withServerUpgrade: (upgraders: [upgrader], completionHandler: { context in
                    context.pipeline.syncOperations.removeHandler(notFound.value, promise: nil)
                }))
            try channel.pipeline.syncOperations.addHandler(notFound.value)
        }
    }

    /// An HTTP listener answering with `route`; `secure` puts it behind TLS when configured.
    func http(port: Int, secure: Bool, route: @escaping @Sendable (HTTPRequest) -> HTTPReply) async throws -> any Channel {
        try await bootstrap(port: port, secure: secure) { channel in
            try channel.pipeline.syncOperations.configureHTTPServerPipeline()
            try channel.pipeline.syncOperations.addHandler(HTTPRequestHandler(route: route))
        }
    }

    /// `/v2` → 2, `/` → 1 (query strings allowed), anything else → nil.
    static func protocolVersion(uri: String) -> Int? {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        switch path {
        case "/v2": return 2
        case "/", "": return 1
        default: return nil
        }
    }

    private func bootstrap(
        port: Int, secure: Bool, _ initialize: @escaping @Sendable (any Channel) throws -> Void
    ) async throws -> any Channel {
        let tls = secure ? self.tls : nil
        return try await ServerBootstrap(group: loop)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try initialize(channel)
                }
            }
            .bind(host: host, port: port).get()
    }
}
