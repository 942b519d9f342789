import PrivateFlow
import Testing

/// Kraken's `trade_id` numbers each pair's public trades, so two of the account's fills on
/// different pairs can carry the same number; only the exec_id identifies an execution.
@Suite struct TradeIdentityTests {
    @Test func fillsOnDifferentPairsWithTheSameTradeIDAreBothPublished() throws {
        var harness = Harness()
        try harness.feed(Frames.snapshot(1))
        try harness.feed(Frames.update(2,
            #"{"order_id":"OA","exec_id":"TA","exec_type":"trade","trade_id":100000007,"symbol":"BTC/USD","side":"sell","last_qty":0.0848851,"last_price":65248.9,"liquidity_ind":"t","cost":5538.6594,"order_type":"market","timestamp":"2026-11-30T23:35:18.924331Z","order_status":"filled","cum_qty":0.0848851,"cum_cost":5538.6594,"avg_price":65248.9}"#,
            #"{"order_id":"OB","exec_id":"TB","exec_type":"trade","trade_id":100000007,"symbol":"ETH/USD","side":"sell","last_qty":1.85395197,"last_price":3449.96,"liquidity_ind":"t","cost":6396.0601,"order_type":"market","timestamp":"2026-11-30T23:35:18.945980Z","order_status":"filled","cum_qty":1.85395197,"cum_cost":6396.0601,"avg_price":3449.96}"#))
        try harness.feed(Frames.update(3,
            #"{"order_id":"OB","exec_type":"filled","cum_qty":1.85395197,"cum_cost":6396.0601,"avg_price":3449.96,"order_status":"filled","timestamp":"2026-11-30T23:35:18.945980Z"}"#))
        // Neither order was announced before its fill (its `new` was missed), so NEW comes first.
        #expect(harness.lines == [
            "report NEW OA:new qty=0 cum=0",
            "report FILLED TA qty=0.0848851 @65248.9 cum=0.0848851",
            "fill TA 0.0848851@65248.9",
            "report NEW OB:new qty=0 cum=0",
            "report FILLED TB qty=1.85395197 @3449.96 cum=1.85395197",
            "fill TB 1.85395197@3449.96",
        ])
    }

    @Test func theSameExecIDTwiceIsOneExecution() throws {
        var harness = Harness()
        try harness.feed(Frames.snapshot(1))
        let trade = #"{"order_id":"OA","exec_id":"TA","exec_type":"trade","trade_id":7,"symbol":"BTC/USD","side":"buy","last_qty":1,"last_price":2,"order_type":"limit","timestamp":"2026-11-30T23:35:18.924331Z","order_status":"partially_filled","order_qty":3,"cum_qty":1}"#
        try harness.feed(Frames.update(2, trade))
        try harness.feed(Frames.update(3, trade))
        #expect(harness.lines.count == 3)  // NEW, the report and the fill, once
        #expect(harness.notes.contains { if case .duplicateExecution(orderID: "OA", key: "TA") = $0 { true } else { false } })
    }
}

/// An order known only from the start-up snapshot's recent trades is history, not news.
@Suite struct StartupAdoptionTests {
    @Test func reconcilingAnOrderSeenOnlyInStartupTradesPublishesNothing() throws {
        var harness = Harness()
        try harness.feed(Frames.snapshot(1,
            #"{"order_id":"OQCLML-BW3P3-BUCMWZ","exec_id":"TA","exec_type":"trade","trade_id":9,"symbol":"BTC/USD","side":"buy","last_qty":1.25,"last_price":30004.0,"order_type":"limit","timestamp":"2023-09-22T10:33:10.250000Z","order_status":"filled","cum_qty":1.25,"cum_cost":37505.0,"avg_price":30004.0}"#))
        #expect(harness.events.isEmpty)
        let output = harness.reconcile(try Frames.queryOrders(#"""
            {"error":[],"result":{
              "OQCLML-BW3P3-BUCMWZ":{"refid":null,"userref":0,"status":"closed","reason":null,"opentm":1695378785.5,"closetm":1695378790.25,
                "starttm":0,"expiretm":0,"descr":{"pair":"XBTUSD","type":"buy","ordertype":"limit","price":"30010.0","price2":"0",
                "leverage":"none","order":"buy 1.25000000 XBTUSD @ limit 30010.0","close":""},"vol":"1.25000000","vol_exec":"1.25000000",
                "cost":"37505.0","fee":"97.51300","price":"30004.0","stopprice":"0.00000","limitprice":"0.00000","misc":"","oflags":"fciq"}
            }}
            """#), from: .queryOrders)
        #expect(output.events.isEmpty)
        #expect(harness.events.isEmpty)
    }
}
