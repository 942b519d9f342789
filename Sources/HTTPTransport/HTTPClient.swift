import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import TransportTLS

/// One HTTP/1.1 request per connection over SwiftNIO, with a deadline: what the bridge needs for
/// Kraken's REST calls (a token per connect, reconciliation) and tests need for the simulator.
public enum HTTPClient {
    /// A complete response.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Why a request produced no response.
    public enum Failure: Error, Sendable, Equatable {
        case timedOut
        case connectionClosed
    }

    public static func request(
        method: HTTPMethod = .GET, host: String, port: Int, path: String, headers: [(name: String, value: String)] = [],
        body: [UInt8] = [], timeout: TimeAmount = .seconds(10), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        tls: NIOSSLContext? = nil
    ) async throws -> Response {
        let loop = group.next()
        let promise = loop.makePromise(of: Response.self)
        let channel: any Channel
        do {
            channel = try await Self.connect(host: host, port: port, timeout: timeout, loop: loop, tls: tls, promise: promise)
        } catch {
            // A promise left incomplete is a leak NIO traps on; the connect failure completes it.
            promise.fail(error)
            throw error
        }
        let deadline = loop.scheduleTask(in: timeout) {
            promise.fail(Failure.timedOut)
            channel.close(promise: nil)
        }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "host", value: "\(host):\(port)")
        head.headers.add(name: "connection", value: "close")
        head.headers.add(name: "content-length", value: String(body.count))
        for header in headers { head.headers.add(name: header.name, value: header.value) }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if !body.isEmpty {
            var buffer = channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            channel.write(HTTPClientRequestPart.body(.byteBuffer(buffer)), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        defer {
            deadline.cancel()
            channel.close(promise: nil)
        }
        return try await promise.futureResult.get()
    }

    private static func connect(
        host: String, port: Int, timeout: TimeAmount, loop: any EventLoop, tls: NIOSSLContext?, promise: EventLoopPromise<Response>
    ) async throws -> any Channel {
        try await ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try ClientTLS.addHandler(to: channel, context: tls, host: host) }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                }
            }
            .connect(host: host, port: port).get()
    }
}

/// Collects one response and completes the promise (or fails it when the connection ends first).
private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<HTTPClient.Response>
    private var response: HTTPClient.Response?

    init(promise: EventLoopPromise<HTTPClient.Response>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            response = HTTPClient.Response(
                status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) }, body: [])
        case .body(var buffer):
            response?.body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            if let response { promise.succeed(response) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(HTTPClient.Failure.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
