import FixedPoint
import Foundation
import KrakenREST
import PrivateFlow
import Testing
import WireFormat

/// Two BTC/USD buy orders live on the stream: OQCLML (1.25 at 30010.0, one fill of 0.25 seen)
/// and OB5VMB (0.275 at 14500.0, no fill). Then the connection drops; meanwhile OQCLML fills
/// its remaining 1.0 in two trades (0.5 at 30005.0, 0.5 at 30000.0) and OB5VMB is cancelled.
@Suite("REST reconciliation after a gap")
struct RESTReconciliationTests {
    static let filledOrder = "OQCLML-BW3P3-BUCMWZ"
    static let canceledOrder = "OB5VMB-B4U2U-DK2WRW"

    static func live() throws -> Harness {
        var harness = Harness()
        try harness.feed(Frames.snapshot(1))
        try harness.feed(Frames.update(2, #"""
            {"order_id":"OQCLML-BW3P3-BUCMWZ","symbol":"BTC/USD","order_qty":1.25,"exec_type":"pending_new","side":"buy",
             "order_type":"limit","limit_price":30010.0,"order_status":"pending_new","timestamp":"2023-09-22T10:33:05.500000Z"}
            """#))
        try harness.feed(Frames.update(3, #"{"order_id":"OQCLML-BW3P3-BUCMWZ","exec_type":"new","order_status":"new","timestamp":"2023-09-22T10:33:05.600000Z"}"#))
        try harness.feed(Frames.update(4, #"""
            {"order_id":"OB5VMB-B4U2U-DK2WRW","order_userref":45326,"symbol":"BTC/USD","order_qty":0.275,"exec_type":"pending_new",
             "side":"buy","order_type":"limit","limit_price":14500.0,"order_status":"pending_new","timestamp":"2023-09-22T10:33:05.600000Z"}
            """#))
        try harness.feed(Frames.update(5, #"{"order_id":"OB5VMB-B4U2U-DK2WRW","exec_type":"new","order_status":"new","timestamp":"2023-09-22T10:33:05.700000Z"}"#))
        try harness.feed(Frames.update(6, #"""
            {"order_id":"OQCLML-BW3P3-BUCMWZ","exec_id":"TCCCTY-WE2O6-P3NB37","exec_type":"trade","trade_id":70000001,"symbol":"BTC/USD",
             "side":"buy","last_qty":0.25,"last_price":30010.0,"liquidity_ind":"t","cost":7502.5,"order_type":"limit",
             "timestamp":"2023-09-22T10:33:06.000000Z","order_status":"partially_filled","cum_qty":0.25,"cum_cost":7502.5,
             "avg_price":30010.0,"fees":[{"asset":"USD","qty":19.5065}]}
            """#))
        return harness
    }

    static let queryOrders = #"""
        {"error":[],"result":{
          "OQCLML-BW3P3-BUCMWZ":{"refid":null,"userref":0,"status":"closed","reason":null,"opentm":1695378785.5,"closetm":1695378790.25,
            "starttm":0,"expiretm":0,"descr":{"pair":"XBTUSD","type":"buy","ordertype":"limit","price":"30010.0","price2":"0",
            "leverage":"none","order":"buy 1.25000000 XBTUSD @ limit 30010.0","close":""},"vol":"1.25000000","vol_exec":"1.25000000",
            "cost":"37505.0","fee":"97.51300","price":"30004.0","stopprice":"0.00000","limitprice":"0.00000","misc":"","oflags":"fciq"},
          "OB5VMB-B4U2U-DK2WRW":{"refid":null,"userref":45326,"status":"canceled","reason":"User requested","opentm":1695378785.6,
            "closetm":1695378789,"starttm":0,"expiretm":0,"descr":{"pair":"XBTUSD","type":"buy","ordertype":"limit","price":"14500.0",
            "price2":"0","leverage":"none","order":"buy 0.27500000 XBTUSD @ limit 14500.0","close":""},"vol":"0.27500000",
            "vol_exec":"0.00000000","cost":"0.00000","fee":"0.00000","price":"0.00000","stopprice":"0.00000","limitprice":"0.00000",
            "misc":"","oflags":"fciq"}
        }}
        """#

    @Test("missed fills become one marked aggregate fill at the gap's VWAP; a missed cancel is published once")
    func missedTerminalStates() throws {
        var harness = try Self.live()
        harness.flow.reconnected()
        try harness.feed(Frames.snapshot(1))  // neither order is open any more
        let open = try RESTOrder.parseOpenOrders(responseBody: Data(#"{"error":[],"result":{"open":{}}}"#.utf8))
        #expect(harness.flow.ordersToQuery(afterOpenOrders: open) == [Self.canceledOrder, Self.filledOrder])

        let output = harness.reconcile(try Frames.queryOrders(Self.queryOrders), from: .queryOrders)
        // 1.0 missing; its cost is 37505.0 − 7502.5 = 30002.5, so 30002.5 a unit; fee 97.513 − 19.5065.
        #expect(output.events.map(describe) == [
            "report FILLED OQCLML-BW3P3-BUCMWZ:filled-through:1.25 qty=1 @30002.5 cum=1.25 fee=78.0065 USD [rest]",
            "fill OQCLML-BW3P3-BUCMWZ:filled-through:1.25 1@30002.5 fee=78.0065 USD [rest]",
            "report CANCELED OB5VMB-B4U2U-DK2WRW:canceled qty=0 cum=0 reason=User requested [rest]",
        ])
        #expect(output.events.allSatisfy { $0.origin.isReconciled })
        let report = try #require(reports(output.events).first)
        #expect(report.krakenExecType == "QueryOrders" && report.krakenOrderStatus == "closed" && report.krakenSequence == 0)
        #expect(report.symbol == "BTC/USD")
        #expect(report.timestampNs == 1_695_378_790_250_000_000)

        // Reconciling the same answer again publishes nothing.
        let again = harness.reconcile(try Frames.queryOrders(Self.queryOrders), from: .queryOrders)
        #expect(again.events.isEmpty)
        #expect(again.notes == [
            .suppressed(orderID: Self.filledOrder, reason: .alreadyTerminal),
            .suppressed(orderID: Self.canceledOrder, reason: .alreadyTerminal),
        ])
        #expect(harness.flow.ordersToQuery(afterOpenOrders: open).isEmpty)

        // The real trades turn up later (a snapshot with snap_trades): the aggregate covered them.
        harness.flow.reconnected()
        let trade = { (id: String, price: String, cum: String) in #"""
            {"order_id":"OQCLML-BW3P3-BUCMWZ","exec_id":"\#(id)","exec_type":"trade","symbol":"BTC/USD","side":"buy","last_qty":0.5,
             "last_price":\#(price),"order_type":"limit","timestamp":"2023-09-22T10:33:09.000000Z","order_status":"partially_filled",
             "cum_qty":\#(cum),"fees":[{"asset":"USD","qty":39.0}]}
            """# }
        let replay = try harness.feed(Frames.snapshot(1, trade("TZX2WP-XSEOP-FP7WYR", "30005.0", "0.75"), trade("TJUW2K-FLX2N-AR2FLU", "30000.0", "1.25")))
        #expect(replay.events.isEmpty)
        #expect(replay.notes.count == 2 && replay.notes.allSatisfy { if case .absorbed = $0 { true } else { false } })
        #expect(harness.flow.executions.publishedQuantity(Self.filledOrder).isNumericallyEqual(to: decimal("1.25")))
    }

    /// An order placed between the resubscription snapshot and the OpenOrders call: only REST
    /// has heard of it, and REST names pairs by altname (`XDGUSD`).
    static let restOnlyOrder = #"""
        {"error":[],"result":{"open":{"ONEWXY-CSFDJ-ZAQ3EM":{"refid":null,"userref":0,"status":"open","reason":null,
          "opentm":1695378795.5,"starttm":0,"expiretm":0,"descr":{"pair":"XDGUSD","type":"sell","ordertype":"limit",
          "price":"0.0650000","price2":"0","leverage":"none","order":"sell 100.00000000 XDGUSD @ limit 0.0650000","close":""},
          "vol":"100.00000000","vol_exec":"0.00000000","cost":"0.00000","fee":"0.00000","price":"0.00000","stopprice":"0.00000",
          "limitprice":"0.00000","misc":"","oflags":"fciq"}}}}
        """#

    @Test("an order only REST knows is named by its v2 symbol from AssetPairs, not by REST's altname")
    func restOnlyOrderNamedFromAssetPairs() throws {
        let pairs = try AssetPair.parse(responseBody: Data(#"""
            {"error":[],"result":{"XDGUSD":{"altname":"XDGUSD","wsname":"XDG/USD","base":"XXDG","quote":"ZUSD",
            "pair_decimals":7,"lot_decimals":8}}}
            """#.utf8))
        let open = try RESTOrder.parseOpenOrders(responseBody: Data(Self.restOnlyOrder.utf8))
        var named = try Self.live()
        let output = named.reconcile(open, from: .openOrders, symbols: SymbolMap(pairs: pairs))
        #expect(reports(output.events).map(\.symbol) == ["DOGE/USD"])
        #expect(reports(output.events).map(\.orderStatus) == [.new])
        // Without AssetPairs only the altname is known: that is what the feed no longer does.
        var unnamed = try Self.live()
        #expect(reports(unnamed.reconcile(open, from: .openOrders).events).map(\.symbol) == ["XDGUSD"])
    }

    @Test("orders silent for longer than the threshold are listed stalest first; terminal ones never")
    func silentOrders() throws {
        var harness = try Self.live()
        let last = harness.clock  // OQCLML's trade; OB5VMB was last heard of 1 ms before
        #expect(harness.flow.silentOrders(nowNs: last + 10_000_000_000 - 500_000, thresholdNs: 10_000_000_000) == [Self.canceledOrder])
        #expect(harness.flow.silentOrders(nowNs: last + 11_000_000_000, thresholdNs: 10_000_000_000)
            == [Self.canceledOrder, Self.filledOrder])
        _ = harness.reconcile(try Frames.queryOrders(Self.queryOrders), from: .queryOrders)
        #expect(harness.flow.silentOrders(nowNs: harness.clock + 60_000_000_000, thresholdNs: 10_000_000_000).isEmpty)
    }
}
