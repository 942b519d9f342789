import FixedPoint
import Foundation

/// One fill of one of the account's orders from `POST /0/private/TradesHistory` (or
/// QueryTrades): what reconciliation publishes for a trade the private stream never delivered.
/// Decimals are exact, at the pair's precision as Kraken wrote them; times are Unix nanoseconds.
public struct RESTTrade: Sendable, Equatable {
    /// The trade's id (`THVRQM-33VKH-UCI7BS`): the same id as v2 `exec_id` and the v1
    /// `ownTrades` key, so a fill is the same fill whichever API reported it.
    public var tradeID: String
    public var orderID: String
    /// Kraken's REST pair name (`XXBTZUSD`).
    public var pair: String
    public var timeNs: Int64
    public var side: RESTOrder.Side
    public var orderType: String
    public var price: FixedDecimal
    /// In the quote asset.
    public var cost: FixedDecimal
    public var fee: FixedDecimal
    public var volume: FixedDecimal
    /// The pair's public trade number (`trade_id`), when sent.
    public var publicTradeNumber: Int64?
    /// `maker`: true for a maker fill, false for taker, nil when not sent.
    public var isMaker: Bool?

    public init(
        tradeID: String, orderID: String, pair: String, timeNs: Int64, side: RESTOrder.Side, orderType: String, price: FixedDecimal,
        cost: FixedDecimal, fee: FixedDecimal, volume: FixedDecimal, publicTradeNumber: Int64? = nil, isMaker: Bool? = nil
    ) {
        self.tradeID = tradeID
        self.orderID = orderID
        self.pair = pair
        self.timeNs = timeNs
        self.side = side
        self.orderType = orderType
        self.price = price
        self.cost = cost
        self.fee = fee
        self.volume = volume
        self.publicTradeNumber = publicTradeNumber
        self.isMaker = isMaker
    }

    /// One page of a TradesHistory response: its trades, oldest first (then by id), and
    /// `count`, how many trades match the request in all (50 per page, most recent first on the
    /// wire; the next page is at `ofs` + 50).
    public static func parseTradesHistory(responseBody: Data) throws(KrakenRESTError) -> (trades: [RESTTrade], count: Int) {
        struct Result: Decodable {
            var trades: [String: RawTrade]
            var count: Int
        }
        let result = try RESTEnvelope.result(Result.self, from: responseBody)
        var trades: [RESTTrade] = []
        for (id, raw) in result.trades { trades.append(try raw.trade(id: id)) }
        return (trades.sorted { ($0.timeNs, $0.tradeID) < ($1.timeNs, $1.tradeID) }, result.count)
    }
}

/// A trade object as Kraken sends it.
struct RawTrade: Decodable {
    var ordertxid: String
    var pair: String
    var time: ExactNumber
    var type: String
    var ordertype: String
    var price: ExactNumber
    var cost: ExactNumber
    var fee: ExactNumber
    var vol: ExactNumber
    var trade_id: Int64?
    var maker: Bool?

    func trade(id: String) throws(KrakenRESTError) -> RESTTrade {
        guard let side = RESTOrder.Side(type) else { throw .malformedResponse("\(id): type \"\(type)\"") }
        return RESTTrade(
            tradeID: id, orderID: ordertxid, pair: pair, timeNs: try RawOrder.nanoseconds(time, "\(id): time"), side: side,
            orderType: ordertype, price: price.value, cost: cost.value, fee: fee.value, volume: vol.value,
            publicTradeNumber: trade_id, isMaker: maker)
    }
}
