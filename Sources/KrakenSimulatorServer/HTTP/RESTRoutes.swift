import KrakenAuth
import KrakenSimulator
import NIOHTTP1

/// Kraken's REST API as far as the bridge uses it: public `SystemStatus`, `AssetPairs` and
/// `Depth`; private `GetWebSocketsToken`, `OpenOrders` and `QueryOrders`, each checked like
/// Kraken checks them (API-Key, API-Sign over path + SHA256(nonce + body), increasing nonce).
enum RESTRoutes {
    static func reply(to request: HTTPRequest, exchange: Exchange) -> HTTPReply {
        exchange.counters.add("rest_requests")
        if let failure = exchange.takeRESTFailure() {
            exchange.counters.add("rest_failures")
            switch failure {
            case .serverError: return .json(#"{"error":["EService:Unavailable"]}"#, status: .internalServerError)
            case .timeout: return .never
            }
        }
        switch request.path {
        case "/0/public/SystemStatus":
            return .json(#"{"error":[],"result":{"status":"\#(exchange.systemStatus)","timestamp":"\#(Timestamp.now())"}}"#)
        case "/0/private/GetWebSocketsToken":
            if let error = authenticate(request, exchange: exchange) { return error }
            let token = exchange.tokens.issue(nowNs: UnixClock.nanoseconds())
            exchange.counters.add("tokens_issued")
            return .json(#"{"error":[],"result":{"token":"\#(token)","expires":\#(TokenStore.lifetimeSeconds)}}"#)
        default:
            return .json(#"{"error":["EGeneral:Unknown method"]}"#, status: .notFound)
        }
    }

    /// Kraken answers authentication problems with HTTP 200 and an error list.
    static func authenticate(_ request: HTTPRequest, exchange: Exchange) -> HTTPReply? {
        guard request.method == .POST else { return .json(#"{"error":["EGeneral:Invalid arguments"]}"#) }
        guard request.headers.first(name: "API-Key") == exchange.apiKey else {
            exchange.counters.add("rest_auth_failures")
            return .json(#"{"error":["EAPI:Invalid key"]}"#)
        }
        guard let nonceText = request.form["nonce"], let nonce = UInt64(nonceText) else {
            exchange.counters.add("rest_auth_failures")
            return .json(#"{"error":["EAPI:Invalid nonce"]}"#)
        }
        let expected = exchange.signer.signature(path: request.path, nonce: nonce, body: request.body)
        guard request.headers.first(name: "API-Sign") == expected else {
            exchange.counters.add("rest_auth_failures")
            return .json(#"{"error":["EAPI:Invalid signature"]}"#)
        }
        guard nonce > exchange.lastNonce[exchange.apiKey, default: 0] else {
            exchange.counters.add("rest_auth_failures")
            return .json(#"{"error":["EAPI:Invalid nonce"]}"#)
        }
        exchange.lastNonce[exchange.apiKey] = nonce
        return nil
    }
}

/// `2026-11-22T06:01:02Z`-style times for REST bodies.
enum Timestamp {
    static func now() -> String {
        let text = Timestamps.rfc3339(nanoseconds: UnixClock.nanoseconds())
        return String(text.prefix(19)) + "Z"
    }
}
