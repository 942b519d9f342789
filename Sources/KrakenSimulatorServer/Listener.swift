import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Binds the simulator's listeners on its one event loop.
struct Listener {
    let loop: any EventLoop
    let host: String
    let exchange: NIOLoopBound<Exchange>
    let maxFrameSize: Int

    /// A WebSocket listener: v2 sessions at `/v2`, v1 sessions at `/`; other requests get 404.
    func webSocket(endpoint: Endpoint, port: Int) async throws -> any Channel {
        let exchange = exchange
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: maxFrameSize,
            shouldUpgrade: { channel, head in
                channel.eventLoop.makeSucceededFuture(Self.protocolVersion(uri: head.uri) == nil ? nil : HTTPHeaders())
            },
            upgradePipelineHandler: { channel, head in
                channel.eventLoop.makeCompletedFuture {
                    let session: any ClientSession = Self.protocolVersion(uri: head.uri) == 1
                        ? V1Session(exchange: exchange.value, endpoint: endpoint)
                        : V2Session(exchange: exchange.value, endpoint: endpoint)
                    try channel.pipeline.syncOperations.addHandler(SessionHandler(exchange: exchange.value, session: session))
                }
            })
        return try await bootstrap(port: port) { channel in
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

    /// A plain HTTP listener answering with `route`.
    func http(port: Int, route: @escaping @Sendable (HTTPRequest) -> HTTPReply) async throws -> any Channel {
        try await bootstrap(port: port) { channel in
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

    private func bootstrap(port: Int, _ initialize: @escaping @Sendable (any Channel) throws -> Void) async throws -> any Channel {
        try await ServerBootstrap(group: loop)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in channel.eventLoop.makeCompletedFuture { try initialize(channel) } }
            .bind(host: host, port: port).get()
    }
}
