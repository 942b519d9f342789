import Crypto
import Foundation

/// Signs Kraken private REST requests:
/// `API-Sign = base64(HMAC-SHA512(secret, uriPath ‖ SHA256(nonce ‖ body)))`, where `body` is
/// exactly the bytes sent (form-encoded or JSON) and SHA256 is the raw 32-byte digest.
public struct RequestSigner: Sendable {
    let credentials: APICredentials

    public init(credentials: APICredentials) {
        self.credentials = credentials
    }

    /// The `API-Sign` header value.
    /// - Parameters:
    ///   - path: the URI path, e.g. `/0/private/GetWebSocketsToken`.
    ///   - nonce: the nonce as it appears in the body.
    ///   - body: the exact request body bytes.
    public func signature(path: String, nonce: UInt64, body: [UInt8]) -> String {
        var inner = SHA256()
        inner.update(data: Array(String(nonce).utf8))
        inner.update(data: body)
        var message = Array(path.utf8)
        message.append(contentsOf: inner.finalize())
        let mac = HMAC<SHA512>.authenticationCode(for: message, using: SymmetricKey(data: credentials.secret))
        return Data(mac).base64EncodedString()
    }

    /// The headers of a signed request.
    public func headers(path: String, nonce: UInt64, body: [UInt8]) -> [(name: String, value: String)] {
        [("API-Key", credentials.key), ("API-Sign", signature(path: path, nonce: nonce, body: body))]
    }
}
