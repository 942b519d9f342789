import Foundation

/// The token from `POST /0/private/GetWebSocketsToken`: it must be used within `expires`
/// seconds to open an authenticated WebSocket session. Its description never shows it.
public struct WebSocketsToken: Sendable, Equatable, CustomStringConvertible {
    public let token: String
    public let expiresSeconds: Int

    public init(token: String, expiresSeconds: Int) {
        self.token = token
        self.expiresSeconds = expiresSeconds
    }

    /// Parses the response body.
    public init(responseBody: Data) throws(KrakenRESTError) {
        struct Result: Decodable {
            var token: String
            var expires: Int
        }
        let result = try RESTEnvelope.result(Result.self, from: responseBody)
        guard !result.token.isEmpty else { throw .malformedResponse("empty token") }
        self.init(token: result.token, expiresSeconds: result.expires)
    }

    public var description: String { "WebSocketsToken(<redacted>, expires in \(expiresSeconds) s)" }
}
