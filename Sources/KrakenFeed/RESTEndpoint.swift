/// Where Kraken's REST API is (`https://api.kraken.com`).
public struct RESTEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var secure: Bool

    public init(host: String, port: Int, secure: Bool) {
        self.host = host
        self.port = port
        self.secure = secure
    }

    /// `http[s]://host[:port]`; nil for anything else.
    public init?(url: String) {
        let secure: Bool
        var rest: Substring
        if url.hasPrefix("https://") { secure = true; rest = url.dropFirst(8) }
        else if url.hasPrefix("http://") { secure = false; rest = url.dropFirst(7) }
        else { return nil }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/") else { return nil }
        var port = secure ? 443 : 80
        if let colon = rest.lastIndex(of: ":") {
            guard let value = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(value) else { return nil }
            port = value
            rest = rest[..<colon]
        }
        self.init(host: String(rest), port: port, secure: secure)
    }

    public var description: String { "\(secure ? "https" : "http")://\(host):\(port)" }
}

/// Why a REST call produced no result (an HTTP status outside 2xx).
struct RESTCallError: Error, CustomStringConvertible {
    var description: String
}
