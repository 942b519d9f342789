import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 endpoint for Prometheus and orchestrators: `GET` on a path the owner
/// answers (`/metrics`, `/healthz`, `/readyz`), anything else 404. One request at a time per
/// connection, keep-alive honoured.
final class MetricsServer: Sendable {
    /// What a path answers.
    struct Answer: Sendable {
        var status: HTTPResponseStatus
        var contentType: String
        var body: String

        static func text(_ body: String, status: HTTPResponseStatus = .ok) -> Answer {
            Answer(status: status, contentType: "text/plain; charset=utf-8", body: body)
        }
    }

    let channel: any Channel
    /// The bound port (useful with port 0).
    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// `answer` returns nil for a path it does not serve.
    static func start(host: String, port: Int, group: any EventLoopGroup, answer: @escaping @Sendable (String) async -> Answer?) async throws
        -> MetricsServer
    {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(MetricsHandler(answer: answer))
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

    private let answer: @Sendable (String) async -> MetricsServer.Answer?

    init(answer: @escaping @Sendable (String) async -> MetricsServer.Answer?) {
        self.answer = answer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return }
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let loopBound = NIOLoopBound((context, self), eventLoop: context.eventLoop)
        let notFound = MetricsServer.Answer.text("not found; try /metrics, /healthz or /readyz\n", status: .notFound)
        guard head.method == .GET else {
            Self.respond(context: context, handler: self, head: head, answer: notFound)
            return
        }
        let answer = answer
        let eventLoop = context.eventLoop
        Task {
            let reply = await answer(path) ?? notFound
            eventLoop.execute {
                let (context, handler) = loopBound.value
                Self.respond(context: context, handler: handler, head: head, answer: reply)
            }
        }
    }

    private static func respond(context: ChannelHandlerContext, handler: MetricsHandler, head: HTTPRequestHead, answer: MetricsServer.Answer) {
        guard context.channel.isActive else { return }
        let body = answer.body
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: answer.contentType)
        headers.add(name: "content-length", value: String(body.utf8.count))
        if !head.isKeepAlive { headers.add(name: "connection", value: "close") }
        context.write(handler.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: answer.status, headers: headers))), promise: nil)
        context.write(handler.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        let flushed = context.writeAndFlush(handler.wrapOutboundOut(.end(nil)))
        if !head.isKeepAlive {
            let channel = context.channel
            flushed.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
