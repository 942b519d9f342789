import FixedPoint
import Foundation
import KrakenREST
import PrivateFlow
import Testing
import WireFormat

/// The scenario of `RESTReconciliationTests` (OQCLML filled its last 1.0 in two trades while the
/// stream was away, OB5VMB was cancelled), now with what TradesHistory and ClosedOrders add:
/// the real trades, and an order that lived and died entirely inside the outage.
@Suite("REST reconciliation with TradesHistory and ClosedOrders")
struct TradesHistoryReconciliationTests {
    static func trade(_ id: String, order: String, _ volume: String, at price: String, cost: String, fee: String, time: Int64) -> RESTTrade {
        RESTTrade(
            tradeID: id, orderID: order, pair: "XXBTZUSD", timeNs: time, side: .buy, orderType: "limit", price: decimal(price),
            cost: decimal(cost), fee: decimal(fee), volume: decimal(volume), publicTradeNumber: nil, isMaker: true)
    }

    static let missedTrades = [
        trade("TB2OKE-AMVUQ-6ZJGBP", order: RESTReconciliationTests.filledOrder, "0.50000000", at: "30005.0", cost: "15002.5",
              fee: "39.00650", time: 1_695_378_788_000_000_000),
        trade("TCCCTY-WE2O6-P3NB37", order: RESTReconciliationTests.filledOrder, "0.25000000", at: "30010.0", cost: "7502.5",
              fee: "19.50650", time: 1_695_378_786_000_000_000),
        trade("TZ4AT2-NQX5P-NNBOAV", order: RESTReconciliationTests.filledOrder, "0.50000000", at: "30000.0", cost: "15000.0",
              fee: "39.00000", time: 1_695_378_790_250_000_000),
    ]

    /// Closed inside the outage without ever reaching the stream: placed, never filled, cancelled.
    static let closedOrders = #"""
        {"error":[],"result":{"closed":{
          "OQNQ4G-XYBJX-3TXFQD":{"refid":null,"userref":7,"status":"canceled","reason":"User requested","opentm":1695378787,
            "closetm":1695378788.5,"starttm":0,"expiretm":0,"descr":{"pair":"XBTUSD","type":"sell","ordertype":"limit","price":"31000.0",
            "price2":"0","leverage":"none","order":"sell 0.10000000 XBTUSD @ limit 31000.0","close":""},"vol":"0.10000000",
            "vol_exec":"0.00000000","cost":"0.00000","fee":"0.00000","price":"0.00000","stopprice":"0.00000","limitprice":"0.00000",
            "misc":"","oflags":"fciq"}
        },"count":1}}
        """#

    @Test("missed trades are published as the real fills they were, in time order; the one already told is not repeated")
    func missedTradesArePublishedExactly() throws {
        var harness = try RESTReconciliationTests.live()
        harness.flow.reconnected()
        try harness.feed(Frames.snapshot(1))
        let queried = try Frames.queryOrders(RESTReconciliationTests.queryOrders)
        let output = harness.reconcile(RESTReconciliation(orders: queried.map { ($0, .queryOrders) }, trades: Self.missedTrades))
        #expect(output.events.map(describe) == [
            "report PARTIALLY_FILLED TB2OKE-AMVUQ-6ZJGBP qty=0.5 @30005 cum=0.75 fee=39.0065 USD [rest]",
            "fill TB2OKE-AMVUQ-6ZJGBP 0.5@30005 fee=39.0065 USD [rest]",
            "report FILLED TZ4AT2-NQX5P-NNBOAV qty=0.5 @30000 cum=1.25 fee=39 USD [rest]",
            "fill TZ4AT2-NQX5P-NNBOAV 0.5@30000 fee=39 USD [rest]",
            "report CANCELED OB5VMB-B4U2U-DK2WRW:canceled qty=0 cum=0 reason=User requested [rest]",
        ])
        #expect(harness.notes.contains(.duplicateExecution(orderID: RESTReconciliationTests.filledOrder, key: "TCCCTY-WE2O6-P3NB37")))
        let report = try #require(reports(output.events).first)
        #expect(report.krakenExecType == "TradesHistory" && report.symbol == "BTC/USD" && report.timestampNs == 1_695_378_788_000_000_000)
        // The stream's late replay of the same trade is a duplicate, not a second fill.
        let late = try harness.feed(Frames.update(2, #"""
            {"order_id":"OQCLML-BW3P3-BUCMWZ","exec_id":"TZ4AT2-NQX5P-NNBOAV","exec_type":"trade","trade_id":70000003,"symbol":"BTC/USD",
             "side":"buy","last_qty":0.5,"last_price":30000.0,"liquidity_ind":"m","cost":15000.0,"order_type":"limit",
             "timestamp":"2023-09-22T10:33:10.250000Z","order_status":"filled","cum_qty":1.25,"cum_cost":37505.0,
             "avg_price":30004.0,"fees":[{"asset":"USD","qty":39.0}]}
            """#))
        #expect(late.events.isEmpty)
    }

    @Test("an order placed and cancelled entirely inside an outage is published NEW then CANCELED, once")
    func anOrderThatLivedInsideTheOutageIsPublished() throws {
        var harness = try RESTReconciliationTests.live()
        harness.flow.reconnected()
        try harness.feed(Frames.snapshot(1, #"{"order_id":"OB5VMB-B4U2U-DK2WRW","symbol":"BTC/USD","order_qty":0.275,"exec_type":"new","side":"buy","order_type":"limit","limit_price":14500.0,"order_status":"new","timestamp":"2023-09-22T10:33:05.700000Z"}"#))
        let closed = try RESTOrder.parseClosedOrders(responseBody: Data(Self.closedOrders.utf8)).orders
        let symbols = SymbolMap(pairs: [])
        let output = harness.reconcile(RESTReconciliation(orders: closed.map { ($0, .closedOrders) }), symbols: symbols)
        #expect(output.events.map(describe) == [
            "report NEW OQNQ4G-XYBJX-3TXFQD:new qty=0 cum=0 [rest]",
            "report CANCELED OQNQ4G-XYBJX-3TXFQD:canceled qty=0 cum=0 reason=User requested [rest]",
        ])
        let new = try #require(reports(output.events).first)
        #expect(new.krakenExecType == "ClosedOrders" && new.side == .sell && new.timestampNs == 1_695_378_787_000_000_000)
        #expect(harness.reconcile(RESTReconciliation(orders: closed.map { ($0, .closedOrders) }), symbols: symbols).events.isEmpty)
    }
}
