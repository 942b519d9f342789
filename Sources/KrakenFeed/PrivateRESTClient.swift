import Foundation
import HTTPTransport
import KrakenAuth
import KrakenREST
import NIOCore
import NIOHTTP1
import NIOSSL

/// Kraken's private REST calls the bridge makes: a WebSocket token per connect, and OpenOrders
/// / QueryOrders to reconcile after a gap or reconnect. Each call is signed (API-Key, API-Sign
/// over path + SHA-256(nonce + body)) with an always-increasing nonce. The secret never
/// appears in logs or errors. `krakenbridge record --private` makes the same calls.
package final class PrivateRESTClient: Sendable {
    package let endpoint: RESTEndpoint
    private let credentials: APICredentials
    private let nonces: NonceSource
    private let tls: NIOSSLContext?
    private let timeout: TimeAmount

    package init(endpoint: RESTEndpoint, credentials: APICredentials, tls: NIOSSLContext?, timeout: TimeAmount = .seconds(10),
         nonces: NonceSource = NonceSource()) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.tls = tls
        self.timeout = timeout
        self.nonces = nonces
    }

    /// A token, waiting at most `timeout` (default: the client's REST timeout).
    func webSocketsToken(timeout: TimeAmount? = nil) async throws -> WebSocketsToken {
        try WebSocketsToken(responseBody: try await call("GetWebSocketsToken", timeout: timeout))
    }

    func openOrders() async throws -> [RESTOrder] {
        try RESTOrder.parseOpenOrders(responseBody: try await call("OpenOrders", fields: [("trades", "true")]))
    }

    /// QueryOrders takes at most 50 ids per call; larger lists are split.
    func queryOrders(_ ids: [String]) async throws -> [RESTOrder] {
        var orders: [RESTOrder] = []
        for start in stride(from: 0, to: ids.count, by: 50) {
            let batch = ids[start..<min(ids.count, start + 50)]
            orders += try RESTOrder.parseQueryOrders(
                responseBody: try await call("QueryOrders", fields: [("trades", "true"), ("txid", batch.joined(separator: ","))]))
        }
        return orders
    }

    /// One signed call's answer body (HTTP 2xx), uninterpreted.
    package func call(_ method: String, fields: [(String, String)] = [], timeout: TimeAmount? = nil) async throws -> Data {
        let path = "/0/private/\(method)"
        let nonce = nonces.next()
        let form = ([("nonce", String(nonce))] + fields).map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let body = Array(form.utf8)
        let headers = RequestSigner(credentials: credentials).headers(path: path, nonce: nonce, body: body)
            + [(name: "Content-Type", value: "application/x-www-form-urlencoded"), (name: "User-Agent", value: "krakenbridge")]
        let response = try await HTTPClient.request(
            method: .POST, host: endpoint.host, port: endpoint.port, path: path, headers: headers, body: body, timeout: timeout ?? self.timeout,
            tls: endpoint.secure ? tls : nil)
        guard (200..<300).contains(response.status) else {
            throw RESTCallError(description: "\(method): HTTP \(response.status)")
        }
        return Data(response.body)
    }

    private static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~,")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
