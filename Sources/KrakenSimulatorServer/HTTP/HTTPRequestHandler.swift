import NIOCore
import NIOHTTP1

/// A plain HTTP request, read whole (the simulator's REST and control bodies are small).
struct HTTPRequest {
    var method: HTTPMethod
    var path: String
    var query: [String: String]
    var headers: HTTPHeaders
    var body: [UInt8]

    /// The body as `application/x-www-form-urlencoded` fields (Kraken's private REST calls).
    var form: [String: String] { FormEncoding.decode(String(decoding: body, as: UTF8.self)) }
}

/// What to answer: a response, or nothing at all (the REST timeout fault).
enum HTTPReply {
    case respond(status: HTTPResponseStatus, body: [UInt8], contentType: String = "application/json")
    case never

    static func json(_ text: String, status: HTTPResponseStatus = .ok) -> HTTPReply {
        .respond(status: status, body: Array(text.utf8))
    }
}

/// Serves HTTP/1.1 with keep-alive: collects each request (bodies over 1 MiB get 413) and
/// answers with what `route` returns. Runs on the exchange's event loop, so routes may touch
/// the exchange directly.
final class HTTPRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maxBody = 1 << 20
    private let route: (HTTPRequest) -> HTTPReply
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    init(route: @escaping (HTTPRequest) -> HTTPReply) {
        self.route = route
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
            tooLarge = false
        case .body(var chunk):
            if body.count + chunk.readableBytes > Self.maxBody { tooLarge = true; return }
            body += chunk.readBytes(length: chunk.readableBytes) ?? []
        case .end:
            guard let head else { return }
            self.head = nil
            if tooLarge {
                write(context: context, head: head, reply: .json(#"{"error":["EGeneral:Request too large"]}"#, status: .payloadTooLarge))
                return
            }
            let (path, query) = FormEncoding.split(uri: head.uri)
            let request = HTTPRequest(method: head.method, path: path, query: query, headers: head.headers, body: body)
            write(context: context, head: head, reply: route(request))
        }
    }

    private func write(context: ChannelHandlerContext, head: HTTPRequestHead, reply: HTTPReply) {
        guard case .respond(let status, let body, let contentType) = reply else { return }
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: contentType)
        headers.add(name: "content-length", value: String(body.count))
        if !head.isKeepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let flushed = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !head.isKeepAlive {
            let channel = context.channel
            flushed.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

/// Percent-encoding of URLs and form bodies.
enum FormEncoding {
    /// `/0/public/Depth?pair=XBTUSD&count=10` → path and decoded query fields.
    static func split(uri: String) -> (path: String, query: [String: String]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, [:]) }
        return (String(uri[..<mark]), decode(String(uri[uri.index(after: mark)...])))
    }

    static func decode(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for part in text.split(separator: "&") where !part.isEmpty {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            fields[unescape(pieces[0])] = pieces.count > 1 ? unescape(pieces[1]) : ""
        }
        return fields
    }

    private static func unescape(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) {
                    bytes.append(high << 4 | low)
                }
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
