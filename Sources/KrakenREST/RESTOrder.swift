import FixedPoint
import Foundation

/// One order from `POST /0/private/OpenOrders` or `/0/private/QueryOrders`: what the bridge's
/// ingest compares its private-stream state against after a sequence gap. Decimals are exact;
/// times are Unix nanoseconds.
public struct RESTOrder: Sendable, Equatable {
    /// `status`: the same words as v1 `openOrders`.
    public enum Status: Sendable, Equatable {
        case pending, open, closed, canceled, expired
        /// A value Kraken added later, kept verbatim.
        case other(String)

        init(_ text: String) {
            switch text {
            case "pending": self = .pending
            case "open": self = .open
            case "closed": self = .closed
            case "canceled": self = .canceled
            case "expired": self = .expired
            default: self = .other(text)
            }
        }
    }

    public enum Side: Sendable, Equatable {
        case buy, sell

        /// Kraken's `type` / `descr.type` word; nil for anything else.
        init?(_ text: String) {
            switch text {
            case "buy": self = .buy
            case "sell": self = .sell
            default: return nil
            }
        }
    }

    /// The `descr` object.
    public struct Description: Sendable, Equatable {
        /// The REST altname, `XBTUSD`.
        public var pair: String
        public var side: Side
        /// `limit`, `market`, `stop-loss-limit`, … (kept as text; Kraken extends the list).
        public var orderType: String
        /// The limit (or trigger) price; 0 for market orders.
        public var price: FixedDecimal
        public var price2: FixedDecimal
        public var leverage: String
        /// `buy 1.25000000 XBTUSD @ limit 30010.0`.
        public var order: String
        public var close: String
    }

    public var orderID: String
    public var refID: String?
    public var userref: Int64?
    public var clientOrderID: String?
    public var status: Status
    public var reason: String?
    public var openTimeNs: Int64
    public var closeTimeNs: Int64?
    /// Kraken writes 0 for "not set"; that is nil here.
    public var startTimeNs: Int64?
    public var expireTimeNs: Int64?
    public var description: Description
    /// Order volume and executed volume, in the base asset.
    public var volume: FixedDecimal
    public var volumeExecuted: FixedDecimal
    /// In the quote asset.
    public var cost: FixedDecimal
    public var fee: FixedDecimal
    /// The average fill price (`price`); 0 before any fill.
    public var averagePrice: FixedDecimal
    public var stopPrice: FixedDecimal?
    public var limitPrice: FixedDecimal?
    public var misc: String
    /// `oflags` split at commas: `fciq`, `post`, …
    public var orderFlags: [String]
    public var trigger: String?
    /// Trade ids, when the request asked for `trades`.
    public var tradeIDs: [String]

    /// The `open` map of an OpenOrders response, ordered by open time (then id).
    public static func parseOpenOrders(responseBody: Data) throws(KrakenRESTError) -> [RESTOrder] {
        struct Result: Decodable { var open: [String: RawOrder] }
        return try orders(from: try RESTEnvelope.result(Result.self, from: responseBody).open)
    }

    /// One page of a ClosedOrders response: its orders (ordered by open time, then id) and
    /// `count`, how many orders match the request in all (Kraken returns 50 per page, most
    /// recently closed first; the next page is at `ofs` + 50).
    public static func parseClosedOrders(responseBody: Data) throws(KrakenRESTError) -> (orders: [RESTOrder], count: Int) {
        struct Result: Decodable {
            var closed: [String: RawOrder]
            var count: Int
        }
        let result = try RESTEnvelope.result(Result.self, from: responseBody)
        return (try orders(from: result.closed), result.count)
    }

    /// A QueryOrders response (orders keyed by id), ordered by open time (then id).
    public static func parseQueryOrders(responseBody: Data) throws(KrakenRESTError) -> [RESTOrder] {
        try orders(from: try RESTEnvelope.result([String: RawOrder].self, from: responseBody))
    }

    private static func orders(from raw: [String: RawOrder]) throws(KrakenRESTError) -> [RESTOrder] {
        var orders: [RESTOrder] = []
        for (id, order) in raw { orders.append(try order.order(id: id)) }
        return orders.sorted { ($0.openTimeNs, $0.orderID) < ($1.openTimeNs, $1.orderID) }
    }
}
