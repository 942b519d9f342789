import FixedPoint
import KrakenAuth
import KrakenSimulator
import NIOHTTP1

/// Kraken's REST API as far as the bridge uses it: public `SystemStatus`, `AssetPairs` and
/// `Depth`; private `GetWebSocketsToken`, `OpenOrders`, `QueryOrders`, `ClosedOrders` and
/// `TradesHistory` (paged), each checked like
/// Kraken checks them (API-Key, API-Sign over path + SHA256(nonce + body), increasing nonce).
/// While recordings replay, their answers are served instead (`RecordedREST`).
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
        if exchange.replaysAccount, RecordedREST.replayedPrivatePaths.contains(request.path) {
            if let error = authenticate(request, exchange: exchange) { return error }
            return replayedOrders(request, exchange: exchange)
        }
        switch request.path {
        case "/0/public/SystemStatus":
            return .json(#"{"error":[],"result":{"status":"\#(exchange.systemStatus)","timestamp":"\#(Timestamp.now())"}}"#)
        case "/0/private/GetWebSocketsToken":
            if let error = authenticate(request, exchange: exchange) { return error }
            let token = exchange.tokens.issue(nowNs: UnixClock.nanoseconds())
            exchange.counters.add("tokens_issued")
            return .json(#"{"error":[],"result":{"token":"\#(token)","expires":\#(TokenStore.lifetimeSeconds)}}"#)
        case "/0/public/AssetPairs":
            if let recorded = exchange.recordedREST?.latest(RecordedREST.assetPairsPath) { return .respond(status: .ok, body: recorded) }
            let names = (request.query["pair"] ?? request.form["pair"]).map { $0.split(separator: ",").map(String.init) }
            return .respond(status: .ok, body: RESTBodies.assetPairs(exchange.pairs, filter: names))
        case "/0/public/Depth":
            let fields = request.query.merging(request.form) { query, _ in query }
            guard let name = fields["pair"], let market = exchange.market(restName: name) else {
                return .respond(status: .ok, body: RESTBodies.error("EQuery:Unknown asset pair"))
            }
            let count = fields["count"].flatMap(Int.init) ?? 100
            return .respond(status: .ok, body: RESTBodies.depth(market, count: count, timestampNs: UnixClock.nanoseconds()))
        case "/0/private/OpenOrders":
            if let error = authenticate(request, exchange: exchange) { return error }
            let form = request.form
            return .respond(status: .ok, body: PrivateRESTBodies.openOrders(
                exchange.account, includeTrades: form["trades"] == "true", userref: form["userref"].flatMap { Int64($0) }))
        case "/0/private/QueryOrders":
            if let error = authenticate(request, exchange: exchange) { return error }
            let form = request.form
            let ids = (form["txid"] ?? "").split(separator: ",").map(String.init)
            return .respond(status: .ok, body: PrivateRESTBodies.queryOrders(exchange.account, ids: ids, includeTrades: form["trades"] == "true"))
        case "/0/private/ClosedOrders", "/0/private/TradesHistory":
            if let error = authenticate(request, exchange: exchange) { return error }
            guard let window = historyWindow(request.form) else { return .respond(status: .ok, body: RESTBodies.error("EGeneral:Invalid arguments")) }
            return .respond(status: .ok, body: request.path == "/0/private/ClosedOrders"
                ? PrivateRESTHistory.closedOrders(exchange.account, window: window, includeTrades: request.form["trades"] == "true")
                : PrivateRESTHistory.tradesHistory(exchange.account, window: window))
        default:
            return .json(#"{"error":["EGeneral:Unknown method"]}"#, status: .notFound)
        }
    }

    /// `start`/`end` (Unix seconds, decimals allowed) and `ofs` of a history request; nil when
    /// one is not a number (Kraken also takes order or trade ids there; the simulator does not).
    static func historyWindow(_ form: [String: String]) -> PrivateRESTHistory.Window? {
        func nanoseconds(_ key: String) -> Int64?? {
            guard let text = form[key] else { return .some(nil) }
            guard let value = try? FixedDecimal(text), let scaled = value.rescaled(to: 9) else { return nil }
            return .some(scaled.mantissa)
        }
        guard let start = nanoseconds("start"), let end = nanoseconds("end") else { return nil }
        let offset = form["ofs"].map { Int($0) } ?? 0
        guard let offset, offset >= 0 else { return nil }
        return PrivateRESTHistory.Window(startNs: start, endNs: end, offset: offset)
    }

    /// An account recording's order answers: as recorded (QueryOrders assembled from every
    /// recorded order); a call the recording never made is answered with an error, never with
    /// made-up orders.
    static func replayedOrders(_ request: HTTPRequest, exchange: Exchange) -> HTTPReply {
        exchange.counters.add("rest_replayed")
        let recorded = exchange.recordedREST ?? RecordedREST()
        if request.path == "/0/private/QueryOrders" {
            let ids = (request.form["txid"] ?? "").split(separator: ",").map(String.init)
            guard ids.count <= PrivateRESTBodies.maximumQueryIDs else { return .respond(status: .ok, body: RESTBodies.error("EGeneral:Invalid arguments")) }
            return .respond(status: .ok, body: recorded.queryOrders(ids: ids))
        }
        guard let body = recorded.latest(request.path) else {
            return .respond(status: .ok, body: RESTBodies.error("EService:Unavailable (\(request.path) is not in the replayed recording)"))
        }
        return .respond(status: .ok, body: body)
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
