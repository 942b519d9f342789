import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 endpoint for Prometheus and orchestrators: `GET` on a path the owner
/// answers (`/metrics`, `/healthz`, `/readyz`), anything else 404; keep-alive honoured.
///
/// Binding and serving are separate so a port in use fails at start-up; `serve` then runs as
/// the owner's lifecycle part, every connection a child task of it, so cancelling it ends them
/// all and closes the listener: nothing runs unowned.
final class MetricsServer: Sendable {
    /// What a path answers.
    struct Answer: Sendable {
        var status: HTTPResponseStatus
        var contentType: String
        var body: String

        static func text(_ body: String, status: HTTPResponseStatus = .ok) -> Answer {
            Answer(status: status, contentType: "text/plain; charset=utf-8", body: body)
        }

        static let notFound = Answer.text("not found; try /metrics, /healthz or /readyz\n", status: .notFound)
    }

    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private let listener: NIOAsyncChannel<Connection, Never>
    /// The bound port (useful with port 0).
    let port: Int

    private init(listener: NIOAsyncChannel<Connection, Never>) {
        self.listener = listener
        port = listener.channel.localAddress?.port ?? 0
    }

    static func bind(host: String, port: Int, group: any EventLoopGroup) async throws -> MetricsServer {
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        return MetricsServer(listener: listener)
    }

    /// Answers requests until cancelled, then closes the listener and every connection.
    /// `answer` returns nil for a path it does not serve.
    func serve(answer: @escaping @Sendable (String) async -> Answer?) async {
        try? await listener.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { tasks in
                for try await connection in connections {
                    tasks.addTask { await Self.converse(over: connection, answer: answer) }
                }
            }
        }
    }

    /// Closes the listener when `serve` never ran (a start-up that failed after binding).
    func close() async {
        try? await listener.channel.close()
    }

    private static func converse(over connection: Connection, answer: @Sendable (String) async -> Answer?) async {
        try? await connection.executeThenClose { requests, responses in
            for try await part in requests {
                guard case .head(let head) = part else { continue }
                let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
                let reply = head.method == .GET ? await answer(path) ?? .notFound : .notFound
                var headers = HTTPHeaders()
                headers.add(name: "content-type", value: reply.contentType)
                headers.add(name: "content-length", value: String(reply.body.utf8.count))
                if !head.isKeepAlive { headers.add(name: "connection", value: "close") }
                try await responses.write(.head(HTTPResponseHead(version: head.version, status: reply.status, headers: headers)))
                try await responses.write(.body(.byteBuffer(ByteBuffer(string: reply.body))))
                try await responses.write(.end(nil))
                if !head.isKeepAlive { return }
            }
        }
    }
}
