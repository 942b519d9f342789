import FixedPoint
import Foundation
import KrakenREST
import PrivateFlow
import Testing
import WireFormat

/// Memory stays flat on a busy account: finished orders and old ledger ids are forgotten, and
/// Kraken's later replays of them (a reconnect snapshot's recent trades, REST history) are
/// recognised by their time instead of being published as news.
@Suite("forgetting finished orders")
struct ForgettingTests {
    /// Lifecycle.v2's order, filled at 2023-09-22T10:33:08Z; the harness receives after 10:33:20.
    static func filled() throws -> Harness {
        var harness = Harness()
        for frame in Lifecycle.v2 { try harness.feed(frame) }
        return harness
    }

    @Test("a filled order is forgotten after the cutoff; its trades replayed by a reconnect snapshot publish nothing")
    func replayedTradesOfAForgottenOrder() throws {
        var harness = try Self.filled()
        #expect(harness.flow.executions.orders.orderIDs == [Lifecycle.order])
        harness.flow.prune(before: harness.clock + 1)
        #expect(harness.flow.executions.orders.orderIDs.isEmpty)

        harness.flow.resubscribed(.v2Executions)
        // Kraken's snapshot after a reconnect: the order's last trade among the recent ones.
        let replay = try harness.feed(Frames.snapshot(1, #"""
            {"order_id":"OK4GJX-KSTLS-7DZZO5","exec_id":"TC4VQX-3ZGLS-5R6BCN","exec_type":"trade","trade_id":62887581,
             "symbol":"BTC/USD","side":"sell","last_qty":0.5,"last_price":26600.5,"liquidity_ind":"m","cost":13300.25,"order_type":"limit",
             "timestamp":"2023-09-22T10:33:08.000000Z","order_status":"filled","cum_qty":1.0,"cum_cost":26600.225,
             "avg_price":26600.225,"fees":[{"asset":"USD","qty":34.5807}]}
            """#))
        #expect(replay.events.isEmpty)
        #expect(replay.notes == [.forgottenOrder(orderID: Lifecycle.order, krakenEvent: "trade")])
        #expect(harness.flow.executions.orders.orderIDs.isEmpty, "a replay does not bring the order back")
    }

    @Test("an order newer than the cutoff is news as always")
    func aNewOrderAfterPruningIsPublished() throws {
        var harness = try Self.filled()
        harness.flow.prune(before: harness.clock + 1)
        let output = try harness.feed(Frames.update(8, #"""
            {"order_id":"ONEW11-AAAAA-BBBBBB","symbol":"BTC/USD","order_qty":0.1,"exec_type":"new","side":"buy","order_type":"limit",
             "limit_price":26000.0,"order_status":"new","timestamp":"2023-09-22T10:40:00.000000Z"}
            """#))
        #expect(output.events.count == 1)
        #expect(reports(output.events).map(\.orderStatus) == [.new])
    }

    @Test("an open order is never forgotten, however old")
    func openOrdersStay() throws {
        var harness = Harness()
        for frame in Lifecycle.v2.prefix(4) { try harness.feed(frame) }  // new, one partial fill
        harness.flow.prune(before: harness.clock + 1_000_000_000_000)
        #expect(harness.flow.executions.orders.orderIDs == [Lifecycle.order])
        #expect(harness.flow.executions.hasOpenOrders)
    }

    @Test("REST history repeating a forgotten closed order publishes nothing")
    func restHistoryOfAForgottenOrder() throws {
        var harness = try RESTReconciliationTests.live()
        _ = harness.reconcile(try Frames.queryOrders(RESTReconciliationTests.queryOrders), from: .queryOrders)
        #expect(harness.flow.executions.orders.orderIDs.isEmpty == false)
        harness.flow.prune(before: harness.clock + 1)
        #expect(harness.flow.executions.orders.orderIDs.isEmpty)
        let again = harness.reconcile(try Frames.queryOrders(RESTReconciliationTests.queryOrders), from: .closedOrders)
        #expect(again.events.isEmpty)
        #expect(again.notes.count == 2)
        for order in [RESTReconciliationTests.filledOrder, RESTReconciliationTests.canceledOrder] {
            #expect(again.notes.contains(.forgottenOrder(orderID: order, krakenEvent: "ClosedOrders")))
        }
    }

    @Test("balance ledger ids are forgotten after the cutoff; an old entry delivered again is still a duplicate")
    func ledgerIDs() throws {
        var harness = Harness()
        try harness.feed(BalanceTests.trade)
        #expect(harness.flow.balances.rememberedLedgerEntries == 2)
        harness.flow.prune(before: 1_655_108_700_000_000_000)  // after the entries' 2022-06-13T08:23:42Z
        #expect(harness.flow.balances.rememberedLedgerEntries == 0)
        let redelivered = try harness.feed(BalanceTests.trade.replacingSequence(2, with: 3))
        #expect(redelivered.events.isEmpty)
        #expect(redelivered.notes.count == 2)
    }
}
