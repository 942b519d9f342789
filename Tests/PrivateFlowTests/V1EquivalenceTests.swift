import PrivateFlow
import Testing
import WireFormat

/// What Gal-Friday can see of an event: everything but the audit fields that say which API
/// it came from (`kraken_exec_type`, `kraken_order_status`, `kraken_sequence`, v2's numeric
/// `trade_id`, `from_snapshot`) and the maker/taker flag v1 does not send. Numbers compare by
/// value: v1 writes `"0.25000000"` where v2 writes `0.25`.
struct DownstreamView: Equatable {
    var key: String
    var fields: [String]

    init(_ event: PrivateEvent) {
        key = event.idempotencyKey
        func value(_ has: Bool, _ decimal: KBDecimal) -> String { has ? number(decimal) : "-" }
        switch event.payload {
        case .executionReport(let r):
            fields = [
                "report", r.execID, r.orderID, r.clientOrderID, r.symbol, statusName(r.orderStatus), "\(r.orderType)", "\(r.side)",
                r.krakenOrderType, value(r.hasQuantityOrdered, r.quantityOrdered), value(r.hasQuantityFilled, r.quantityFilled),
                value(r.hasCumulativeQuantity, r.cumulativeQuantity), value(r.hasAverageFillPrice, r.averageFillPrice),
                value(r.hasLimitPrice, r.limitPrice), value(r.hasStopPrice, r.stopPrice), value(r.hasCommission, r.commission),
                r.commissionAsset, r.errorMessage, "\(r.timestampNs)",
            ]
        case .fill(let f):
            fields = [
                "fill", f.fillID, f.orderID, f.execID, f.clientOrderID, f.symbol, "\(f.side)", value(f.hasPrice, f.price),
                value(f.hasQuantity, f.quantity), value(f.hasFee, f.fee), f.feeAsset, value(f.hasCost, f.cost), "\(f.timestampNs)",
            ]
        case .balance, .gap:
            fields = ["\(event.payload)"]
        }
        fields.append("\(event.origin)")
    }
}

@Suite("v1 openOrders + ownTrades and v2 executions give the same downstream events")
struct V1EquivalenceTests {
    @Test("the same order's life over v1 and over v2: identical events, keys and numbers")
    func sameActivitySameEvents() throws {
        var v2 = Harness()
        for frame in Lifecycle.v2 { try v2.feed(frame) }
        var v1 = Harness()
        for frame in Lifecycle.v1 { try v1.feed(frame) }
        #expect(v1.lines == Lifecycle.expected)
        #expect(v1.events.map(DownstreamView.init) == v2.events.map(DownstreamView.init))
        #expect(v1.notes.contains(.suppressed(orderID: Lifecycle.order, reason: .alreadyTerminal)))
        // The audit fields still say where each came from.
        #expect(reports(v1.events).map(\.krakenExecType) == ["openOrders", "ownTrades", "ownTrades", "ownTrades"])
        #expect(reports(v2.events).map(\.krakenExecType) == ["new", "trade", "trade", "trade"])
    }

    @Test("v1 closed before its last ownTrades trade: nothing until the trade, then FILLED with it")
    func closedBeforeTrade() throws {
        var harness = Harness()
        let v1 = Lifecycle.v1
        // Swap the last trade (ownTrades seq 4) and the closed status (openOrders seq 5).
        for frame in v1.prefix(7) { try harness.feed(frame) }
        let closed = try harness.feed(v1[8])
        #expect(closed.events.isEmpty)
        #expect(closed.notes == [.awaitingFills(orderID: Lifecycle.order, missing: decimal("0.50000000"))])
        try harness.feed(v1[7])
        #expect(harness.lines == Lifecycle.expected)
    }

    @Test("v1 cancel: CANCELED with cancel_reason, as v2 would")
    func v1Cancel() throws {
        var harness = Harness()
        for frame in Lifecycle.v1.prefix(5) { try harness.feed(frame) }
        try harness.feed(#"""
            [[{"OK4GJX-KSTLS-7DZZO5":{"lastupdated":"1695378790.000000","status":"canceled","vol_exec":"0.25000000","cost":"6649.97500",
               "fee":"17.28994","avg_price":"26599.9","cancel_reason":"User requested"}}],"openOrders",{"sequence":4}]
            """#)
        #expect(harness.lines.last == "report CANCELED OK4GJX-KSTLS-7DZZO5:canceled qty=0 @26599.9 cum=0.25 reason=User requested")
    }
}
