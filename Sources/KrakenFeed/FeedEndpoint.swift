/// One Kraken WebSocket endpoint (`wss://ws.kraken.com/v2`), parsed from its URL.
public struct FeedEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var path: String
    public var secure: Bool

    public init(host: String, port: Int, path: String, secure: Bool) {
        self.host = host
        self.port = port
        self.path = path
        self.secure = secure
    }

    /// `ws://host[:port][/path]` or `wss://…`; nil for anything else.
    public init?(url: String) {
        let secure: Bool
        var rest: Substring
        if url.hasPrefix("wss://") { secure = true; rest = url.dropFirst(6) }
        else if url.hasPrefix("ws://") { secure = false; rest = url.dropFirst(5) }
        else { return nil }
        var path = "/"
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[slash...])
            rest = rest[..<slash]
        }
        var host = String(rest)
        var port = secure ? 443 : 80
        if host.hasPrefix("[") {
            // [ipv6]:port
            guard let close = host.firstIndex(of: "]") else { return nil }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") { guard let value = Int(after.dropFirst()) else { return nil }; port = value }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]) else { return nil }
            port = value
            host = String(host[..<colon])
        }
        guard !host.isEmpty, (1...65_535).contains(port) else { return nil }
        self.init(host: host, port: port, path: path, secure: secure)
    }

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(secure ? "wss" : "ws")://\(shownHost):\(port)\(path)"
    }
}
