import FixedPoint
@testable import KrakenWire
import Testing

private func decimal(_ text: String) -> FixedDecimal { try! FixedDecimal(text) }

@Suite("v2 messages: Kraken's documented examples")
struct V2MessageTests {
    @Test("status on connect, with a connection id above Int64.max and unknown fields")
    func status() throws {
        let message = try parseV2(#"""
            {"channel":"status","type":"update","data":[{"api_version":"v2","connection_id":13834774380200032777,
             "system":"online","version":"2.0.0","upcoming_maintenance":[],"emergency":[]}]}
            """#)
        #expect(message == .status(V2Status(system: .online, apiVersion: "v2", connectionID: 13_834_774_380_200_032_777, version: "2.0.0")))
    }

    @Test("every engine state is recognised and an unknown one is kept as text", arguments: [
        ("online", ExchangeStatus.online), ("maintenance", .maintenance), ("cancel_only", .cancelOnly),
        ("post_only", .postOnly), ("limit_only", .other("limit_only")),
    ])
    func engineStates(text: String, expected: ExchangeStatus) throws {
        let message = try parseV2(#"{"channel":"status","type":"update","data":[{"api_version":"v2","system":"\#(text)","version":"2"}]}"#)
        guard case .status(let status) = message else { Issue.record("not a status: \(message)"); return }
        #expect(status.system == expected)
    }

    @Test("heartbeat")
    func heartbeat() throws {
        #expect(try parseV2(#"{"channel":"heartbeat"}"#) == .heartbeat)
    }

    @Test("pong echoes the request id and carries server times")
    func pong() throws {
        let message = try parseV2(#"{"method":"pong","req_id":101,"time_in":"2023-09-24T14:10:23.799685Z","time_out":"2023-09-24T14:10:23.799703Z"}"#)
        #expect(message == .response(V2Response(
            method: .pong, requestID: 101, timeInNs: 1_695_564_623_799_685_000, timeOutNs: 1_695_564_623_799_703_000)))
    }

    @Test("a subscribe acknowledgement confirms channel, symbol, depth and snapshot")
    func subscribeAck() throws {
        let message = try parseV2(#"{"method":"subscribe","result":{"channel":"book","depth":10,"snapshot":true,"symbol":"ALGO/USD"},"success":true,"time_in":"2023-10-06T17:35:55.219022Z","time_out":"2023-10-06T17:35:55.219067Z"}"#)
        guard case .response(let response) = message else { Issue.record("not a response"); return }
        #expect(response.method == .subscribe)
        #expect(response.success == true)
        #expect(response.result == .subscription(V2SubscriptionResult(channel: "book", symbol: "ALGO/USD", depth: 10, snapshot: true)))
    }

    @Test("an ack with warnings and the executions rate limit")
    func executionsAck() throws {
        let message = try parseV2(#"{"method":"subscribe","result":{"channel":"executions","maxratecount":125,"snap_orders":true,"snap_trades":true,"warnings":["snapshot is deprecated, use snap_orders"]},"success":true,"req_id":7}"#)
        guard case .response(let response) = message else { Issue.record("not a response"); return }
        #expect(response.requestID == 7)
        #expect(response.result == .subscription(V2SubscriptionResult(
            channel: "executions", maxRateCount: 125, warnings: ["snapshot is deprecated, use snap_orders"])))
    }

    @Test("a failed subscription names the error and the symbol at the top level")
    func subscribeError() throws {
        let message = try parseV2(#"{"error":"Currency pair not supported XBT/USD","method":"subscribe","success":false,"symbol":"XBT/USD","time_in":"2023-10-06T17:35:55.219022Z","time_out":"2023-10-06T17:35:55.219067Z"}"#)
        guard case .response(let response) = message else { Issue.record("not a response"); return }
        #expect(response.success == false)
        #expect(response.error == "Currency pair not supported XBT/USD")
        #expect(response.symbol == "XBT/USD")
        #expect(response.result == nil)
    }

    @Test("trading method responses", arguments: [
        (#"{"method":"add_order","req_id":123456789,"result":{"order_id":"AA5JGQ-SBMRC-SCJ7J7","order_userref":100054},"success":true}"#,
         V2ResponseResult.order(V2OrderResult(orderID: "AA5JGQ-SBMRC-SCJ7J7", orderUserref: 100_054))),
        (#"{"method":"cancel_order","req_id":1,"result":{"order_id":"OLUMT4-UTEGU-ZYM7E9"},"success":true}"#,
         .order(V2OrderResult(orderID: "OLUMT4-UTEGU-ZYM7E9"))),
        (#"{"method":"cancel_all","result":{"count":1},"success":true}"#, .cancelAll(count: 1)),
        (#"{"method":"cancel_all_orders_after","result":{"currentTime":"2023-09-21T15:49:29Z","triggerTime":"2023-09-21T15:51:09Z"},"success":true}"#,
         .cancelAllOrdersAfter(currentTime: "2023-09-21T15:49:29Z", triggerTime: "2023-09-21T15:51:09Z")),
        (#"{"method":"edit_order","result":{"order_id":"X","anything":[1,2]},"success":true}"#, .unmodelled),
    ])
    func tradingResponses(text: String, expected: V2ResponseResult) throws {
        guard case .response(let response) = try parseV2(text) else { Issue.record("not a response"); return }
        #expect(response.result == expected)
    }

    @Test("a response whose result comes before its method is still understood")
    func resultBeforeMethod() throws {
        guard case .response(let response) = try parseV2(#"{"result":{"count":3},"success":true,"method":"cancel_all"}"#) else {
            Issue.record("not a response"); return
        }
        #expect(response.method == .cancelAll)
        #expect(response.result == .cancelAll(count: 3))
    }

    @Test("ticker keeps every digit, including a negative change")
    func ticker() throws {
        let message = try parseV2(#"""
            {"channel":"ticker","type":"snapshot","data":[{"symbol":"ALGO/USD","bid":0.10025,"bid_qty":740.0,"ask":0.10036,
             "ask_qty":1361.44813783,"last":0.10035,"volume":997038.98383185,"vwap":0.10148,"low":0.09979,"high":0.10285,
             "change":-0.00017,"change_pct":-0.17,"timestamp":"2023-09-25T09:04:31.742648Z"}]}
            """#)
        #expect(message == .ticker(V2TickerMessage(kind: .snapshot, ticker: V2Ticker(
            symbol: "ALGO/USD", bid: decimal("0.10025"), bidQuantity: decimal("740.0"), ask: decimal("0.10036"),
            askQuantity: decimal("1361.44813783"), last: decimal("0.10035"), volume: decimal("997038.98383185"),
            vwap: decimal("0.10148"), low: decimal("0.09979"), high: decimal("0.10285"), change: decimal("-0.00017"),
            changePercent: decimal("-0.17"), timestampNs: 1_695_632_671_742_648_000))))
    }

    @Test("book snapshot and update, levels in frame order")
    func book() throws {
        let snapshot = try parseV2(#"""
            {"channel":"book","type":"snapshot","data":[{"symbol":"MATIC/USD",
              "bids":[{"price":0.5666,"qty":4831.75496356},{"price":0.5665,"qty":6658.22734739}],
              "asks":[{"price":0.5668,"qty":4410.79769741},{"price":0.5669,"qty":4655.40412487}],
              "checksum":2439117997}]}
            """#)
        #expect(snapshot == .book(V2BookMessage(
            kind: .snapshot, symbol: "MATIC/USD",
            bids: [PriceLevel(price: decimal("0.5666"), quantity: decimal("4831.75496356")),
                   PriceLevel(price: decimal("0.5665"), quantity: decimal("6658.22734739"))],
            asks: [PriceLevel(price: decimal("0.5668"), quantity: decimal("4410.79769741")),
                   PriceLevel(price: decimal("0.5669"), quantity: decimal("4655.40412487"))],
            checksum: 2_439_117_997, timestampNs: nil)))
        let update = try parseV2(#"{"channel":"book","type":"update","data":[{"symbol":"MATIC/USD","bids":[{"price":0.5657,"qty":1098.3947558}],"asks":[],"checksum":2114181697,"timestamp":"2023-10-06T17:35:55.440295Z"}]}"#)
        #expect(update == .book(V2BookMessage(
            kind: .update, symbol: "MATIC/USD", bids: [PriceLevel(price: decimal("0.5657"), quantity: decimal("1098.3947558"))],
            asks: [], checksum: 2_114_181_697, timestampNs: 1_696_613_755_440_295_000)))
    }

    @Test("ohlc candles with the frame's own timestamp")
    func ohlc() throws {
        let message = try parseV2(#"""
            {"channel":"ohlc","type":"update","timestamp":"2023-10-04T16:26:30.524394914Z","data":[{"symbol":"MATIC/USD",
             "open":0.5624,"high":0.5628,"low":0.5622,"close":0.5627,"trades":12,"volume":30927.68066226,"vwap":0.5626,
             "interval_begin":"2023-10-04T16:25:00.000000000Z","interval":5,"timestamp":"2023-10-04T16:30:00.000000Z"}]}
            """#)
        #expect(message == .ohlc(V2OHLCMessage(kind: .update, timestampNs: 1_696_436_790_524_394_914, candles: [V2Candle(
            symbol: "MATIC/USD", open: decimal("0.5624"), high: decimal("0.5628"), low: decimal("0.5622"),
            close: decimal("0.5627"), vwap: decimal("0.5626"), volume: decimal("30927.68066226"), trades: 12,
            intervalBeginNs: 1_696_436_700_000_000_000, interval: 5, timestampNs: 1_696_437_000_000_000_000)])))
    }

    @Test("instrument pairs give the precisions book checksums need; exponent notation is exact")
    func instrument() throws {
        let message = try parseV2(#"""
            {"channel":"instrument","type":"snapshot","data":{"assets":[{"id":"BTC","status":"enabled","precision":10,
             "precision_display":5,"borrowable":true,"collateral_value":1.0,"margin_rate":0.01}],
             "pairs":[{"symbol":"BTC/USD","base":"BTC","quote":"USD","status":"online","qty_precision":8,"qty_increment":1e-08,
             "price_precision":1,"cost_precision":5,"marginable":true,"has_index":true,"cost_min":0.5,"margin_initial":0.2,
             "position_limit_long":250,"position_limit_short":200,"tick_size":0.1,"price_increment":0.1,"qty_min":0.0001}]}}
            """#)
        guard case .instrument(let instrument) = message else { Issue.record("not instrument"); return }
        #expect(instrument.assets == [V2Asset(
            id: "BTC", status: "enabled", precision: 10, precisionDisplay: 5, borrowable: true,
            collateralValue: decimal("1.0"), marginRate: decimal("0.01"))])
        #expect(instrument.pairs == [V2Pair(
            symbol: "BTC/USD", base: "BTC", quote: "USD", status: "online", pricePrecision: 1, quantityPrecision: 8,
            costPrecision: 5, priceIncrement: decimal("0.1"), quantityIncrement: FixedDecimal(mantissa: 1, scale: 8),
            quantityMinimum: decimal("0.0001"), costMinimum: decimal("0.5"), marginable: true)])
    }

    @Test("level3 update names each order's event")
    func level3() throws {
        let message = try parseV2(#"{"channel":"level3","type":"update","data":[{"checksum":2841398499,"symbol":"MATIC/USD","bids":[],"asks":[{"event":"delete","order_id":"OOIATY-6EIWY-ACVIUN","limit_price":0.5636,"order_qty":302.89736033,"timestamp":"2023-10-06T18:21:00.097010033Z"}]}]}"#)
        #expect(message == .level3(V2Level3Message(
            kind: .update, symbol: "MATIC/USD", bids: [],
            asks: [V2Level3Order(event: .delete, orderID: "OOIATY-6EIWY-ACVIUN", limitPrice: decimal("0.5636"),
                                 quantity: decimal("302.89736033"), timestampNs: 1_696_616_460_097_010_033)],
            checksum: 2_841_398_499, timestampNs: nil)))
    }

    @Test("an execution fill carries its trade, fees and sequence")
    func executionFill() throws {
        let message = try parseV2(#"""
            {"channel":"executions","type":"update","data":[{"order_id":"OK4GJX-KSTLS-7DZZO5","order_userref":3,"exec_id":"TGBB7L-HT5LX-J3BZ4A",
             "exec_type":"trade","trade_id":62887576,"symbol":"BTC/USD","side":"sell","last_qty":0.005,"last_price":26599.9,"liquidity_ind":"t",
             "cost":132.9995,"order_type":"limit","timestamp":"2023-09-22T10:33:05.709993Z","order_status":"partially_filled","cum_qty":0.005,
             "cum_cost":132.9995,"avg_price":26599.9,"fee_usd_equiv":0.3458,"fees":[{"asset":"USD","qty":0.3458}]}],"sequence":10}
            """#)
        var expected = V2Execution(execType: .trade, orderID: "OK4GJX-KSTLS-7DZZO5")
        expected.orderStatus = .partiallyFilled
        expected.execID = "TGBB7L-HT5LX-J3BZ4A"
        expected.tradeID = 62_887_576
        expected.orderUserref = 3
        expected.symbol = "BTC/USD"
        expected.side = .sell
        expected.orderType = .limit
        expected.cumulativeQuantity = decimal("0.005")
        expected.cumulativeCost = decimal("132.9995")
        expected.averagePrice = decimal("26599.9")
        expected.lastQuantity = decimal("0.005")
        expected.lastPrice = decimal("26599.9")
        expected.cost = decimal("132.9995")
        expected.liquidity = .taker
        expected.fees = [Fee(asset: "USD", quantity: decimal("0.3458"))]
        expected.feeUSDEquivalent = decimal("0.3458")
        expected.timestampNs = 1_695_378_785_709_993_000
        #expect(message == .executions(V2ExecutionsMessage(kind: .update, sequence: 10, reports: [expected])))
    }

    @Test("execution numbers in every JSON form Kraken writes keep their exact digits: integer, padded, exponent")
    func executionNumberForms() throws {
        let message = try parseV2(#"""
            {"channel":"executions","type":"update","data":[{"order_id":"OK4GJX-KSTLS-7DZZO5","exec_id":"TGBB7L-HT5LX-J3BZ4A",
             "exec_type":"trade","trade_id":62887576,"symbol":"DOGE/USD","side":"buy","last_qty":300,"last_price":0.0785000,
             "liquidity_ind":"m","cost":23.55,"order_type":"limit","timestamp":"2023-09-22T10:33:05.709993Z","order_status":"filled",
             "cum_qty":3e+02,"cum_cost":23.55,"avg_price":7.85e-02,"fees":[{"asset":"USD","qty":5.1e-05}]}],"sequence":11}
            """#)
        guard case .executions(let executions) = message, let fill = executions.reports.first else {
            Issue.record("not an executions message: \(message)")
            return
        }
        #expect(fill.lastQuantity == FixedDecimal(mantissa: 300, scale: 0))
        #expect(fill.lastPrice == FixedDecimal(mantissa: 785_000, scale: 7))
        #expect(fill.cumulativeQuantity?.description == "300")
        #expect(fill.averagePrice?.description == "0.0785")
        #expect(fill.fees == [Fee(asset: "USD", quantity: FixedDecimal(mantissa: 51, scale: 6))])
    }

    @Test("every exec_type and order_status is recognised; an unknown one is kept, not dropped")
    func executionTypes() throws {
        let types = ["pending_new", "new", "trade", "filled", "iceberg_refill", "canceled", "expired", "amended", "restated", "status", "brand_new"]
        let expected: [ExecutionType] = [.pendingNew, .new, .trade, .filled, .icebergRefill, .canceled, .expired, .amended, .restated, .status, .unknown("brand_new")]
        let statuses = ["pending_new", "new", "partially_filled", "filled", "canceled", "expired", "held"]
        let expectedStatuses: [OrderStatus] = [.pendingNew, .new, .partiallyFilled, .filled, .canceled, .expired, .unknown("held")]
        let data = types.indices.map { index in
            #"{"order_id":"O\#(index)","exec_type":"\#(types[index])","order_status":"\#(statuses[index % statuses.count])","timestamp":"2023-09-22T10:33:05Z"}"#
        }.joined(separator: ",")
        guard case .executions(let message) = try parseV2(#"{"channel":"executions","type":"update","data":[\#(data)],"sequence":9}"#) else {
            Issue.record("not executions"); return
        }
        #expect(message.reports.map(\.execType) == expected)
        #expect(message.reports.map(\.orderStatus) == types.indices.map { expectedStatuses[$0 % statuses.count] })
    }

    @Test("a stop order's trigger price and every order type")
    func orderTypes() throws {
        let names = ["limit", "market", "iceberg", "stop-loss", "stop-loss-limit", "take-profit", "take-profit-limit", "trailing-stop", "trailing-stop-limit", "settle-position"]
        let expected: [OrderType] = [.limit, .market, .iceberg, .stopLoss, .stopLossLimit, .takeProfit, .takeProfitLimit, .trailingStop, .trailingStopLimit, .settlePosition]
        let data = names.map { #"{"order_id":"O","exec_type":"new","order_type":"\#($0)","triggers":{"reference":"last","price":27000.5,"price_type":"static"}}"# }.joined(separator: ",")
        guard case .executions(let message) = try parseV2(#"{"channel":"executions","type":"snapshot","data":[\#(data)],"sequence":1}"#) else {
            Issue.record("not executions"); return
        }
        #expect(message.reports.map(\.orderType) == expected)
        #expect(message.reports.allSatisfy { $0.triggerPrice == decimal("27000.5") })
    }

    @Test("balances: a snapshot lists wallets, an update is a ledger entry")
    func balances() throws {
        let snapshot = try parseV2(#"{"channel":"balances","type":"snapshot","data":[{"asset":"BTC","asset_class":"currency","balance":1.2,"wallets":[{"type":"spot","id":"main","balance":1.0},{"type":"earn","id":"flex","balance":0.2}]}],"sequence":1}"#)
        #expect(snapshot == .balances(V2BalancesMessage(kind: .snapshot, sequence: 1, balances: [V2AssetBalance(
            asset: "BTC", assetClass: "currency", balance: decimal("1.2"),
            wallets: [V2Wallet(type: "spot", id: "main", balance: decimal("1.0")), V2Wallet(type: "earn", id: "flex", balance: decimal("0.2"))])],
            ledger: [])))
        let update = try parseV2(#"{"channel":"balances","type":"update","data":[{"ledger_id":"L4UESK-KG3EQ-UFO4T5","ref_id":"TJKLXX-PGMUI-4NTLXU","timestamp":"2022-06-13T08:23:42.000000Z","type":"trade","subtype":"","category":"trade","asset":"USD","asset_class":"currency","wallet_type":"spot","wallet_id":"main","amount":-19.9743,"fee":0.0,"balance":20.0257}],"sequence":9}"#)
        #expect(update == .balances(V2BalancesMessage(kind: .update, sequence: 9, balances: [], ledger: [V2LedgerEntry(
            ledgerID: "L4UESK-KG3EQ-UFO4T5", refID: "TJKLXX-PGMUI-4NTLXU", timestampNs: 1_655_108_622_000_000_000, type: "trade",
            subtype: "", category: "trade", asset: "USD", assetClass: "currency", walletType: "spot", walletID: "main",
            amount: decimal("-19.9743"), fee: decimal("0.0"), balance: decimal("20.0257"))])))
    }

    @Test("data before channel and type is still parsed")
    func dataFirst() throws {
        let message = try parseV2(#"{"data":[{"symbol":"A/B","bids":[{"price":1.5,"qty":2}],"asks":[],"checksum":7}],"type":"update","channel":"book"}"#)
        #expect(message == .book(V2BookMessage(
            kind: .update, symbol: "A/B", bids: [PriceLevel(price: decimal("1.5"), quantity: decimal("2"))], asks: [],
            checksum: 7, timestampNs: nil)))
    }
}

@Suite("v2 messages: bad input is a typed error naming what and where")
struct V2FaultTests {
    @Test("faults", arguments: [
        (#"{"channel":"spread","type":"update","data":[]}"#, WireError(.unknownChannel("spread"), at: 11)),
        (#"[1,2]"#, WireError(.wrongType(field: "message", expected: "object"), at: 0)),
        (#"{"type":"update","data":[]}"#, WireError(.missingField("channel or method"), at: 0)),
        (#"{"channel":"book","data":[]}"#, WireError(.missingField("type"), at: 0)),
        (#"{"channel":"book","type":"update"}"#, WireError(.missingField("data"), at: 0)),
        (#"{"channel":"book","type":"update","data":[{"symbol":"A","bids":[],"asks":[],"checksum":1},{"symbol":"B","bids":[],"asks":[],"checksum":2}]}"#,
         WireError(.unexpectedShape("more than one book in data"), at: 90)),
        (#"{"channel":"book","type":"update","data":[{"symbol":"A","bids":[{"price":"x","qty":1}],"asks":[],"checksum":1}]}"#,
         WireError(.invalidNumber(.missingDigits(offset: 0)), at: 73)),
        (#"{"channel":"book","type":"update","data":[{"symbol":"A","bids":[{"price":1}],"asks":[],"checksum":1}]}"#,
         WireError(.missingField("qty"), at: 64)),
        (#"{"channel":"book","type":"update","data":[{"symbol":"A","bids":[],"asks":[],"checksum":4294967296}]}"#,
         WireError(.invalidValue(field: "checksum", reason: "exceeds 32 bits"), at: 87)),
        (#"{"channel":"book","type":"update","data":[{"symbol":"A","bids":{},"asks":[],"checksum":1}]}"#,
         WireError(.wrongType(field: "bids", expected: "array"), at: 63)),
        (#"{"channel":"trade","type":"later","data":[]}"#, WireError(.invalidValue(field: "type", reason: "unknown value \"later\""), at: 26)),
        (#"{"channel":"executions","type":"update","data":[]}"#, WireError(.missingField("sequence"), at: 0)),
        (#"{"channel":"executions","type":"update","data":[{"exec_type":"new"}],"sequence":1}"#, WireError(.missingField("order_id"), at: 48)),
        (#"{"channel":"heartbeat","type":"update","data":[]}"#, WireError(.unexpectedShape("heartbeat with data"), at: 46)),
        (#"{"channel":"ticker","type":"update","data":[{"symbol":"A","bid":1,"bid_qty":1,"ask":2,"ask_qty":1,"timestamp":"yesterday"}]}"#,
         WireError(.invalidValue(field: "timestamp", reason: "not RFC 3339"), at: 110)),
        (#"{"channel":"book","type":"update","data":[{"symbol":"A","bids":[],"asks":[],"checksum":1}]"#, WireError(.unexpectedEnd, at: 90)),
    ])
    func fault(text: String, expected: WireError) {
        #expect(throws: expected) { try parseV2(text) }
    }
}
