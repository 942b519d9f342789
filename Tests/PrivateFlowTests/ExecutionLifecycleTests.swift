import FixedPoint
import Foundation
import PrivateFlow
import Testing
import WireFormat

@Suite("v2 executions → downstream events (galfriday.md §6.2)")
struct ExecutionLifecycleTests {
    @Test("new, two partial fills, the completing fill: one report per fill; the status-only filled is suppressed")
    func fullLifecycle() throws {
        var harness = Harness()
        for frame in Lifecycle.v2 { try harness.feed(frame) }
        #expect(harness.lines == Lifecycle.expected)
        #expect(harness.notes == [
            .cacheOnly(orderID: Lifecycle.order, krakenEvent: "pending_new"),
            .suppressed(orderID: Lifecycle.order, reason: .alreadyTerminal),
        ])
        // Σ per-fill quantities = Kraken's final cum_qty, so the portfolio's increments add up.
        let filled = reports(harness.events).compactMap { $0.quantityFilled.fixedDecimal }
        #expect(filled.map(\.description) == ["0", "0.25", "0.25", "0.5"])
        #expect(harness.flow.executions.publishedQuantity(Lifecycle.order).isNumericallyEqual(to: decimal("1.0")))
    }

    @Test("a trade report carries the cached order fields a sparse message omits, Kraken's words and exact digits")
    func reportFields() throws {
        var harness = Harness()
        for frame in Lifecycle.v2.prefix(4) { try harness.feed(frame) }
        let report = try #require(reports(harness.events).last)
        #expect(report.execID == Lifecycle.trade1)
        #expect(report.orderID == Lifecycle.order)
        #expect(report.clientOrderID == "gf-sig-1")
        #expect(report.symbol == "BTC/USD")
        #expect(report.side == .sell)
        #expect(report.orderType == .limit)
        #expect(report.orderStatus == .partiallyFilled)
        #expect(report.krakenExecType == "trade")
        #expect(report.krakenOrderStatus == "partially_filled")
        #expect(report.krakenOrderType == "limit")
        #expect(report.quantityOrdered == KBDecimal(mantissa: 10, scale: 1))
        #expect(report.limitPrice == KBDecimal(text: "26599.9"))
        #expect(report.commission == KBDecimal(text: "17.28994"))
        #expect(report.tradeID == "62887576")
        #expect(report.krakenSequence == 4)
        #expect(report.timestampNs == 1_695_378_786_000_000_000)
        #expect(!report.fromSnapshot)
        let fill = try #require(fills(harness.events).last)
        #expect(fill.fillID == Lifecycle.trade1 && fill.execID == Lifecycle.trade1)
        #expect(fill.liquidity == .taker)
        #expect(fill.cost == KBDecimal(text: "6649.975"))
        #expect(fill.clientOrderID == "gf-sig-1")
    }

    @Test("cancel after a partial fill: the fill, then CANCELED with quantity 0 and Kraken's reason; a repeat is suppressed")
    func cancelAfterPartialFill() throws {
        var harness = Harness()
        try harness.feed(Frames.snapshot(1))
        try harness.feed(Frames.update(2, #"""
            {"order_id":"OCANCL-7Q2KD-MZ4XWA","symbol":"ETH/USD","order_qty":2.0,"exec_type":"pending_new","side":"buy",
             "order_type":"limit","limit_price":1600.00,"order_status":"pending_new","timestamp":"2023-09-22T11:00:00.000000Z"}
            """#))
        try harness.feed(Frames.update(3, #"{"order_id":"OCANCL-7Q2KD-MZ4XWA","exec_type":"new","order_status":"new","timestamp":"2023-09-22T11:00:00.100000Z"}"#))
        try harness.feed(Frames.update(4, #"""
            {"order_id":"OCANCL-7Q2KD-MZ4XWA","exec_id":"TQ3NBV-PZ6LE-HX2RT7","exec_type":"trade","trade_id":5100231,"symbol":"ETH/USD",
             "side":"buy","last_qty":0.5,"last_price":1600.00,"liquidity_ind":"m","cost":800.0,"order_type":"limit",
             "timestamp":"2023-09-22T11:00:01.000000Z","order_status":"partially_filled","cum_qty":0.5,"cum_cost":800.0,"avg_price":1600.00,
             "fees":[{"asset":"USD","qty":1.28}]}
            """#))
        let cancel = #"""
            {"order_id":"OCANCL-7Q2KD-MZ4XWA","exec_type":"canceled","order_status":"canceled","cum_qty":0.5,"cum_cost":800.0,
             "avg_price":1600.00,"reason":"User requested","timestamp":"2023-09-22T11:00:05.000000Z"}
            """#
        try harness.feed(Frames.update(5, cancel))
        try harness.feed(Frames.update(6, cancel))
        #expect(harness.lines == [
            "report NEW OCANCL-7Q2KD-MZ4XWA:new qty=0 cum=0",
            "report PARTIALLY_FILLED TQ3NBV-PZ6LE-HX2RT7 qty=0.5 @1600 cum=0.5 fee=1.28 USD",
            "fill TQ3NBV-PZ6LE-HX2RT7 0.5@1600 fee=1.28 USD",
            "report CANCELED OCANCL-7Q2KD-MZ4XWA:canceled qty=0 @1600 cum=0.5 reason=User requested",
        ])
        #expect(harness.notes.last == .suppressed(orderID: "OCANCL-7Q2KD-MZ4XWA", reason: .alreadyTerminal))
        #expect(reports(harness.events).last?.krakenOrderStatus == "canceled")
    }

    @Test("a status-only filled whose trades were lost: one inferred FILLED at the gap's VWAP; the late trades are absorbed")
    func filledAfterLostTrades() throws {
        var harness = Harness()
        for frame in Lifecycle.v2.prefix(4) { try harness.feed(frame) }
        let filled = try harness.feed(Lifecycle.v2[6])  // trades 2 and 3 (sequences 5, 6) lost
        // 0.75 missing; (26600.225 − 6649.975) / 0.75 = 26600.333…, at the 3 decimals of avg_price.
        #expect(filled.events.map(describe) == [
            "gap executions sequenceSkipped expected=5 received=7",
            "report FILLED OK4GJX-KSTLS-7DZZO5:filled-through:1 qty=0.75 @26600.333 cum=1 [inferred]",
            "fill OK4GJX-KSTLS-7DZZO5:filled-through:1 0.75@26600.333 [inferred]",
        ])
        let late = try harness.feed(Lifecycle.v2[4]).events + harness.feed(Lifecycle.v2[5]).events
        #expect(late.allSatisfy { if case .gap = $0.payload { true } else { false } })
        #expect(harness.notes.filter { if case .absorbed = $0 { true } else { false } }.count == 2)
        #expect(harness.flow.executions.publishedQuantity(Lifecycle.order).isNumericallyEqual(to: decimal("1")))
    }

    @Test("a trade in a resubscription snapshot and again in an update is published once")
    func snapshotAndUpdateDuplicate() throws {
        var harness = Harness()
        for frame in Lifecycle.v2.prefix(4) { try harness.feed(frame) }
        // Disconnected; meanwhile trade 2 happened. The new subscription's snapshot replays the
        // open order and the last trades (snap_trades), then the live stream repeats trade 2.
        harness.flow.reconnected()
        let order = #"""
            {"order_id":"OK4GJX-KSTLS-7DZZO5","cl_ord_id":"gf-sig-1","symbol":"BTC/USD","order_qty":1.0,"exec_type":"new","side":"sell",
             "order_type":"limit","limit_price":26599.9,"order_status":"partially_filled","cum_qty":0.5,"cum_cost":13299.975,
             "avg_price":26599.95,"timestamp":"2023-09-22T10:33:07.000000Z"}
            """#
        let trade = { (id: String, tradeID: Int, cum: String) in #"""
            {"order_id":"OK4GJX-KSTLS-7DZZO5","exec_id":"\#(id)","exec_type":"trade","trade_id":\#(tradeID),"symbol":"BTC/USD","side":"sell",
             "last_qty":0.25,"last_price":26600.0,"cost":6650.0,"order_type":"limit","timestamp":"2023-09-22T10:33:07.000000Z",
             "order_status":"partially_filled","cum_qty":\#(cum),"fees":[{"asset":"USD","qty":17.29}]}
            """# }
        let output = try harness.feed(Frames.snapshot(1, order, trade(Lifecycle.trade1, 62887576, "0.25"), trade(Lifecycle.trade2, 62887580, "0.5")))
        try harness.feed(Frames.update(2, trade(Lifecycle.trade2, 62887580, "0.5")))
        #expect(output.events.map(describe) == [
            "report PARTIALLY_FILLED T2FHQZ-7YCDB-QPPJHM qty=0.25 @26600 cum=0.5 fee=17.29 USD [snapshot]",
            "fill T2FHQZ-7YCDB-QPPJHM 0.25@26600 fee=17.29 USD [snapshot]",
        ])
        #expect(harness.events.count == 5)  // NEW, trade 1 (report + fill), trade 2 (report + fill)
        #expect(harness.notes.suffix(3) == [
            .cacheOnly(orderID: Lifecycle.order, krakenEvent: "new"),
            .duplicateExecution(orderID: Lifecycle.order, key: Lifecycle.trade1),
            .duplicateExecution(orderID: Lifecycle.order, key: Lifecycle.trade2),
        ])
        #expect(reports(output.events).first?.fromSnapshot == true)
    }

    @Test("an exec_type this version does not know is counted as unhandled, never guessed at or dropped silently")
    func unknownExecType() throws {
        var harness = Harness()
        for frame in Lifecycle.v2.prefix(3) { try harness.feed(frame) }
        let output = try harness.feed(Frames.update(4, #"""
            {"order_id":"OK4GJX-KSTLS-7DZZO5","exec_type":"brand_new","order_status":"held","timestamp":"2023-09-22T10:33:06.000000Z"}
            """#))
        #expect(output.events.isEmpty)
        #expect(output.notes == [
            .unhandled(.orderStatus(orderID: Lifecycle.order, text: "held")),
            .unhandled(.execType(orderID: Lifecycle.order, text: "brand_new")),
        ])
        #expect(harness.flow.executions.orders[Lifecycle.order]?.krakenStatus == "held")
    }

    @Test("at start-up the first snapshot is the account as it stands: NEW for open orders, its fills count as published")
    func startupAdoption() throws {
        var harness = Harness()
        let output = try harness.feed(Frames.snapshot(1, #"""
            {"order_id":"OK4GJX-KSTLS-7DZZO5","symbol":"BTC/USD","order_qty":1.0,"exec_type":"new","side":"sell","order_type":"limit",
             "limit_price":26599.9,"order_status":"partially_filled","cum_qty":0.25,"cum_cost":6649.975,"avg_price":26599.9,
             "timestamp":"2023-09-22T10:33:06.000000Z"}
            """#))
        #expect(output.events.map(describe) == ["report NEW OK4GJX-KSTLS-7DZZO5:new qty=0 cum=0.25 [snapshot]"])
        #expect(harness.flow.executions.publishedQuantity(Lifecycle.order).isNumericallyEqual(to: decimal("0.25")))
        // Later trades are news.
        try harness.feed(Lifecycle.v2[4].replacingOccurrences(of: #""sequence":5"#, with: #""sequence":2"#))
        #expect(harness.lines.last == "fill T2FHQZ-7YCDB-QPPJHM 0.25@26600 fee=17.29 USD")
    }
}
