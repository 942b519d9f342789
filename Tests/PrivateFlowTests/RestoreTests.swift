import FixedPoint
import KrakenWire
import PrivateFlow
import Testing
import WireFormat

/// A restart continues from the reports the earlier run published (its journal): nothing told
/// twice, nothing that happened while the bridge was down left out.
@Suite struct RestoreTests {
    private static func entry(_ fields: String) -> String { "{\(fields)}" }

    private static let newOrder = entry(#"""
        "order_id":"OA","symbol":"BTC/USD","order_qty":1.0,"exec_type":"new","side":"sell","order_type":"limit",
        "limit_price":30000.0,"order_status":"new","timestamp":"2023-09-22T10:33:00.000000Z"
        """#)

    private static func trade(_ execID: String, order: String = "OA", quantity: String, price: String, cumulative: String,
                              status: String = "partially_filled", at time: String) -> String {
        entry(#"""
            "order_id":"\#(order)","exec_id":"\#(execID)","exec_type":"trade","symbol":"BTC/USD","side":"sell","order_type":"limit",
            "last_qty":\#(quantity),"last_price":\#(price),"order_status":"\#(status)","cum_qty":\#(cumulative),"timestamp":"\#(time)"
            """#)
    }

    /// The earlier run: OA announced, then its first fill TA, published live.
    private static func earlierRun() throws -> [KBExecutionReport] {
        var harness = Harness()
        try harness.feed(Frames.update(1, newOrder))
        try harness.feed(Frames.update(2, trade("TA", quantity: "0.25", price: "30000.0", cumulative: "0.25", at: "2023-09-22T10:33:05.000000Z")))
        #expect(harness.lines == [
            "report NEW OA:new qty=0 cum=0", "report PARTIALLY_FILLED TA qty=0.25 @30000 cum=0.25", "fill TA 0.25@30000",
        ])
        return reports(harness.events)
    }

    @Test func afterARestartOnlyWhatWasMissedWhileDownIsPublished() throws {
        var harness = Harness()
        harness.flow.restore(published: try Self.earlierRun())
        // While the bridge was down OA filled another 0.25 (TB). The start-up snapshot shows the
        // open order, the recent trades TA and TB, and an old trade TZ from before the journal.
        let output = try harness.feed(Frames.snapshot(1,
            #"{"order_id":"OA","symbol":"BTC/USD","order_qty":1.0,"exec_type":"new","side":"sell","order_type":"limit","limit_price":30000.0,"order_status":"partially_filled","cum_qty":0.5,"timestamp":"2023-09-22T10:33:00.000000Z"}"#,
            Self.trade("TA", quantity: "0.25", price: "30000.0", cumulative: "0.25", at: "2023-09-22T10:33:05.000000Z"),
            Self.trade("TB", quantity: "0.25", price: "30010.0", cumulative: "0.5", at: "2023-09-22T10:34:00.000000Z"),
            Self.trade("TZ", order: "OZ", quantity: "1.0", price: "29000.0", cumulative: "1.0", status: "filled",
                       at: "2023-09-22T09:00:00.000000Z")))
        #expect(output.events.map(describe) == [
            "report PARTIALLY_FILLED TB qty=0.25 @30010 cum=0.5 [snapshot]", "fill TB 0.25@30010 [snapshot]",
        ], "no second NEW for OA, TA not again, TZ predates the journal")
        #expect(harness.notes.contains { if case .duplicateExecution(orderID: "OA", key: "TA") = $0 { true } else { false } })
        #expect(harness.flow.executions.publishedQuantity("OA").isNumericallyEqual(to: decimal("0.5")))
        #expect(harness.flow.executions.publishedQuantity("OZ").isNumericallyEqual(to: decimal("1.0")), "TZ counts as told")

        // REST reconciliation finds OA as Kraken has it: nothing left to infer.
        let reconciled = harness.reconcile(try Frames.queryOrders(#"""
            {"error":[],"result":{"OA":{"refid":null,"userref":0,"status":"open","reason":null,"opentm":1695378780.0,"closetm":0,
              "starttm":0,"expiretm":0,"descr":{"pair":"XBTUSD","type":"sell","ordertype":"limit","price":"30000.0","price2":"0",
              "leverage":"none","order":"sell 1.00000000 XBTUSD @ limit 30000.0","close":""},"vol":"1.00000000","vol_exec":"0.50000000",
              "cost":"15002.5","fee":"0","price":"30005.0","stopprice":"0.00000","limitprice":"0.00000","misc":"","oflags":"fciq"}}}
            """#), from: .queryOrders)
        #expect(reconciled.events.isEmpty)
    }

    @Test func withNothingRestoredTheStartupSnapshotCountsAsToldAsBefore() throws {
        var harness = Harness()
        harness.flow.restore(published: [])
        let output = try harness.feed(Frames.snapshot(1,
            Self.trade("TB", quantity: "0.25", price: "30010.0", cumulative: "0.5", at: "2023-09-22T10:34:00.000000Z")))
        #expect(output.events.isEmpty)
    }

    @Test func aRestoredOrderKeepsItsDetailsForLaterReports() throws {
        var harness = Harness()
        harness.flow.restore(published: try Self.earlierRun())
        let order = try #require(harness.flow.executions.orders["OA"])
        #expect(order.symbol == "BTC/USD")
        #expect(order.side == .sell)
        #expect(order.orderQuantity?.isNumericallyEqual(to: decimal("1.0")) == true)
        #expect(order.limitPrice?.isNumericallyEqual(to: decimal("30000")) == true)
        #expect(order.reportedStatus == .partiallyFilled)
        // A live cancel after the restart is reported once, with the order's details.
        try harness.feed(Frames.update(1, Self.entry(#""order_id":"OA","exec_type":"canceled","order_status":"canceled","cum_qty":0.25,"timestamp":"2023-09-22T10:35:00.000000Z""#)))
        let canceled = try #require(reports(harness.events).last)
        #expect(canceled.orderStatus == .canceled)
        #expect(canceled.symbol == "BTC/USD" && canceled.side == .sell)
    }
}
