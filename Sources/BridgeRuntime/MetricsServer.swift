import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 endpoint for Prometheus: `GET /metrics` answers the current text
/// exposition, anything else 404. One request at a time per connection, keep-alive honoured.
final class MetricsServer: Sendable {
    let channel: any Channel
    /// The bound port (useful with port 0).
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func start(host: String, port: Int, group: any EventLoopGroup, render: @escaping @Sendable () async -> String) async throws
        -> MetricsServer
    {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(MetricsHandler(render: render))
                }
            }
            .bind(host: host, port: port).get()
        return MetricsServer(channel: channel)
    }

    func stop() async {
        try? await channel.close()
    }
}

/// Answers one request: the exposition is rendered off the event loop, then written back on it.
private final class MetricsHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let render: @Sendable () async -> String

    init(render: @escaping @Sendable () async -> String) {
        self.render = render
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return }
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let loopBound = NIOLoopBound((context, self), eventLoop: context.eventLoop)
        guard head.method == .GET, path == "/metrics" else {
            Self.respond(context: context, handler: self, head: head, status: .notFound, body: "not found; try /metrics\n")
            return
        }
        let render = render
        let eventLoop = context.eventLoop
        Task {
            let text = await render()
            eventLoop.execute {
                let (context, handler) = loopBound.value
                Self.respond(context: context, handler: handler, head: head, status: .ok, body: text)
            }
        }
    }

    private static func respond(context: ChannelHandlerContext, handler: MetricsHandler, head: HTTPRequestHead, status: HTTPResponseStatus, body: String) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "text/plain; version=0.0.4")
        headers.add(name: "content-length", value: String(body.utf8.count))
        if !head.isKeepAlive { headers.add(name: "connection", value: "close") }
        context.write(handler.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        context.write(handler.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        let flushed = context.writeAndFlush(handler.wrapOutboundOut(.end(nil)))
        if !head.isKeepAlive {
            let channel = context.channel
            flushed.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
