import FixedPoint
@testable import KrakenWire
import Testing

private func decimal(_ text: String) -> FixedDecimal { try! FixedDecimal(text) }

@Suite("v1 messages: Kraken's documented examples")
struct V1MessageTests {
    @Test("systemStatus with connectionID before event and above Int64.max")
    func systemStatus() throws {
        let message = try parseV1(#"{"connectionID":18239578009413566319,"event":"systemStatus","status":"online","version":"1.9.1"}"#)
        #expect(message == .systemStatus(V1SystemStatus(status: .online, version: "1.9.1", connectionID: 18_239_578_009_413_566_319)))
    }

    @Test("heartbeat, pong and the general error event")
    func events() throws {
        #expect(try parseV1(#"{"event":"heartbeat"}"#) == .heartbeat)
        #expect(try parseV1(#"{"event":"pong","reqid":1693415329704}"#) == .pong(requestID: 1_693_415_329_704))
        #expect(try parseV1(#"{"errorMessage":"Exceeded msg rate","event":"error","reqid":42}"#) == .error(message: "Exceeded msg rate", requestID: 42))
    }

    @Test("subscriptionStatus: subscribed, unsubscribed, private and error forms")
    func subscriptionStatus() throws {
        #expect(try parseV1(#"{"channelID":10001,"channelName":"ohlc-5","event":"subscriptionStatus","pair":"XBT/EUR","reqid":42,"status":"unsubscribed","subscription":{"interval":5,"name":"ohlc"}}"#)
            == .subscriptionStatus(V1SubscriptionStatus(
                status: .unsubscribed, channelName: "ohlc-5", pair: "XBT/EUR", requestID: 42,
                subscription: .init(name: "ohlc", interval: 5), channelID: 10_001)))
        #expect(try parseV1(#"{"channelName":"ownTrades","event":"subscriptionStatus","status":"subscribed","subscription":{"name":"ownTrades"}}"#)
            == .subscriptionStatus(V1SubscriptionStatus(status: .subscribed, channelName: "ownTrades", subscription: .init(name: "ownTrades"))))
        #expect(try parseV1(#"{"errorMessage":"Subscription depth not supported","event":"subscriptionStatus","pair":"XBT/USD","status":"error","subscription":{"depth":42,"name":"book"}}"#)
            == .subscriptionStatus(V1SubscriptionStatus(
                status: .error, pair: "XBT/USD", errorMessage: "Subscription depth not supported",
                subscription: .init(name: "book", depth: 42))))
    }

    @Test("ticker with whole-lot integers and [today, 24h] windows")
    func ticker() throws {
        let message = try parseV1(#"""
            [0,{"a":["5525.40000",1,"1.000"],"b":["5525.10000",1,"1.000"],"c":["5525.10000","0.00398963"],
                "v":["2634.11501494","3591.17907851"],"p":["5631.44067","5653.78939"],"t":[11493,16267],
                "l":["5505.00000","5505.00000"],"h":["5783.00000","5783.00000"],"o":["5760.70000","5763.40000"]},
             "ticker","XBT/USD"]
            """#)
        #expect(message == .ticker(V1Ticker(
            pair: "XBT/USD", ask: .init(price: decimal("5525.40000"), wholeLotVolume: 1, lotVolume: decimal("1.000")),
            bid: .init(price: decimal("5525.10000"), wholeLotVolume: 1, lotVolume: decimal("1.000")),
            lastPrice: decimal("5525.10000"), lastVolume: decimal("0.00398963"),
            volume: .init(today: decimal("2634.11501494"), last24Hours: decimal("3591.17907851")),
            vwap: .init(today: decimal("5631.44067"), last24Hours: decimal("5653.78939")),
            trades: .init(today: 11_493, last24Hours: 16_267),
            low: .init(today: decimal("5505.00000"), last24Hours: decimal("5505.00000")),
            high: .init(today: decimal("5783.00000"), last24Hours: decimal("5783.00000")),
            open: .init(today: decimal("5760.70000"), last24Hours: decimal("5763.40000")))))
    }

    @Test("book snapshot: as/bs, no checksum")
    func bookSnapshot() throws {
        let message = try parseV1(#"""
            [0,{"as":[["5541.30000","2.50700000","1534614248.123678"],["5541.80000","0.33000000","1534614098.345543"]],
                "bs":[["5541.20000","1.52900000","1534614248.765567"],["5539.90000","0.30000000","1534614241.769870"]]},
             "book-100","XBT/USD"]
            """#)
        #expect(message == .book(V1BookMessage(
            pair: "XBT/USD", depth: 100, isSnapshot: true,
            asks: [V1BookLevel(price: decimal("5541.30000"), volume: decimal("2.50700000"), timestampNs: 1_534_614_248_123_678_000),
                   V1BookLevel(price: decimal("5541.80000"), volume: decimal("0.33000000"), timestampNs: 1_534_614_098_345_543_000)],
            bids: [V1BookLevel(price: decimal("5541.20000"), volume: decimal("1.52900000"), timestampNs: 1_534_614_248_765_567_000),
                   V1BookLevel(price: decimal("5539.90000"), volume: decimal("0.30000000"), timestampNs: 1_534_614_241_769_870_000)],
            checksum: nil)))
    }

    @Test("book update split over two objects, checksum in the last")
    func bookUpdateTwoObjects() throws {
        let message = try parseV1(#"""
            [1234,{"a":[["5541.30000","2.50700000","1534614248.456738"],["5542.50000","0.40100000","1534614248.456738"]]},
                  {"b":[["5541.30000","0.00000000","1534614335.345903"]],"c":"974942666"},"book-10","XBT/USD"]
            """#)
        #expect(message == .book(V1BookMessage(
            pair: "XBT/USD", depth: 10, isSnapshot: false,
            asks: [V1BookLevel(price: decimal("5541.30000"), volume: decimal("2.50700000"), timestampNs: 1_534_614_248_456_738_000),
                   V1BookLevel(price: decimal("5542.50000"), volume: decimal("0.40100000"), timestampNs: 1_534_614_248_456_738_000)],
            bids: [V1BookLevel(price: decimal("5541.30000"), volume: decimal("0.00000000"), timestampNs: 1_534_614_335_345_903_000)],
            checksum: 974_942_666)))
    }

    @Test("a republished level is flagged and keeps its old timestamp")
    func republish() throws {
        let message = try parseV1(#"[336,{"b":[["27117.40000","0.00000000","1693415330.886651"],["27116.80000","0.14741986","1693415325.036931","r"]],"c":"3139033408"},"book-10","XBT/USD"]"#)
        #expect(message == .book(V1BookMessage(
            pair: "XBT/USD", depth: 10, isSnapshot: false, asks: [],
            bids: [V1BookLevel(price: decimal("27117.40000"), volume: decimal("0.00000000"), timestampNs: 1_693_415_330_886_651_000),
                   V1BookLevel(price: decimal("27116.80000"), volume: decimal("0.14741986"), timestampNs: 1_693_415_325_036_931_000, isRepublished: true)],
            checksum: 3_139_033_408)))
    }

    @Test("trade, ohlc and spread")
    func channels() throws {
        #expect(try parseV1(#"[0,[["5541.20000","0.15850568","1534614057.321597","s","l",""],["6060.00000","0.02455000","1534614057.324998","b","m",""]],"trade","XBT/USD"]"#)
            == .trade(V1TradeMessage(pair: "XBT/USD", trades: [
                V1Trade(price: decimal("5541.20000"), volume: decimal("0.15850568"), timestampNs: 1_534_614_057_321_597_000, side: .sell, orderType: .limit, misc: ""),
                V1Trade(price: decimal("6060.00000"), volume: decimal("0.02455000"), timestampNs: 1_534_614_057_324_998_000, side: .buy, orderType: .market, misc: ""),
            ])))
        #expect(try parseV1(#"[42,["1542057314.748456","1542057360.435743","3586.70000","3586.70000","3586.60000","3586.60000","3586.68894","0.03373000",2],"ohlc-5","XBT/USD"]"#)
            == .ohlc(V1Candle(
                pair: "XBT/USD", interval: 5, timeNs: 1_542_057_314_748_456_000, endTimeNs: 1_542_057_360_435_743_000,
                open: decimal("3586.70000"), high: decimal("3586.70000"), low: decimal("3586.60000"), close: decimal("3586.60000"),
                vwap: decimal("3586.68894"), volume: decimal("0.03373000"), count: 2)))
        #expect(try parseV1(#"[0,["5698.40000","5700.00000","1542057299.545897","1.01234567","0.98765432"],"spread","XBT/USD"]"#)
            == .spread(V1Spread(
                pair: "XBT/USD", bid: decimal("5698.40000"), ask: decimal("5700.00000"), timestampNs: 1_542_057_299_545_897_000,
                bidVolume: decimal("1.01234567"), askVolume: decimal("0.98765432"))))
    }

    @Test("ownTrades keyed by trade id with the subscription sequence")
    func ownTrades() throws {
        let message = try parseV1(#"""
            [[{"TDLH43-DVQXD-2KHVYY":{"cost":"1000000.00000","fee":"1600.00000","margin":"0.00000","ordertxid":"TDLH43-DVQXD-2KHVYY",
               "ordertype":"limit","pair":"XBT/EUR","postxid":"OGTT3Y-C6I3P-XRI6HX","price":"100000.00000","time":"1560516023.070651",
               "type":"sell","vol":"1000000000.00000000"}}],"ownTrades",{"sequence":2948}]
            """#)
        #expect(message == .ownTrades(V1OwnTradesMessage(sequence: 2_948, trades: [V1OwnTrade(
            tradeID: "TDLH43-DVQXD-2KHVYY", orderID: "TDLH43-DVQXD-2KHVYY", positionID: "OGTT3Y-C6I3P-XRI6HX",
            pair: "XBT/EUR", timeNs: 1_560_516_023_070_651_000, side: .sell, orderType: .limit,
            price: decimal("100000.00000"), cost: decimal("1000000.00000"), fee: decimal("1600.00000"),
            volume: decimal("1000000000.00000000"), margin: decimal("0.00000"))])))
    }

    @Test("openOrders: a full order and a sparse status change")
    func openOrders() throws {
        let message = try parseV1(#"""
            [[{"OGTT3Y-C6I3P-XRI6HX":{"avg_price":"34.50000","cost":"0.00000","descr":{"close":"","leverage":"0:1","order":"sell 10.00345345 XBT/EUR @ limit 34.50000 with 0:1 leverage",
               "ordertype":"limit","pair":"XBT/EUR","price":"34.50000","price2":"0.00000","type":"sell"},"expiretm":"0.000000","fee":"0.00000",
               "limitprice":"34.50000","misc":"","oflags":"fcib","opentm":"0.000000","refid":"OKIVMP-5GVZN-Z2D2UA","starttm":"0.000000",
               "status":"open","stopprice":"0.000000","userref":0,"vol":"10.00345345","vol_exec":"0.00000000","cancel_reason":null}},
              {"OGTT3Y-C6I3P-XRI6HY":{"status":"closed"}}],"openOrders",{"sequence":234}]
            """#)
        guard case .openOrders(let orders) = message else { Issue.record("not openOrders: \(message)"); return }
        #expect(orders.sequence == 234)
        #expect(orders.orders.count == 2)
        let full = orders.orders[0]
        #expect(full.orderID == "OGTT3Y-C6I3P-XRI6HX")
        #expect(full.status == .open)
        #expect(full.userref == 0)
        #expect(full.volume == decimal("10.00345345"))
        #expect(full.volumeExecuted == decimal("0.00000000"))
        #expect(full.averagePrice == decimal("34.50000"))
        #expect(full.limitPrice == decimal("34.50000"))
        #expect(full.openTimeNs == 0)
        #expect(full.cancelReason == nil)
        #expect(full.description == .init(pair: "XBT/EUR", side: .sell, orderType: .limit, price: decimal("34.50000"), price2: decimal("0.00000")))
        #expect(orders.orders[1] == V1OrderUpdate(orderID: "OGTT3Y-C6I3P-XRI6HY", status: .closed))
    }
}

@Suite("v1 messages: bad input is a typed error naming what and where")
struct V1FaultTests {
    @Test("faults", arguments: [
        (#"{"event":"addOrderStatus","status":"ok"}"#, WireError(.unknownEvent("addOrderStatus"), at: 9)),
        (#"{"status":"ok"}"#, WireError(.missingField("event"), at: 0)),
        (#"[0,{},"book-abc","XBT/USD"]"#, WireError(.unknownEvent("book-abc"), at: 6)),
        (#"[0,{},"book-10","XBT/USD"]"#, WireError(.unexpectedShape("book without levels"), at: 3)),
        (#"[0,{"as":[],"b":[]},"book-10","XBT/USD"]"#, WireError(.unexpectedShape("book mixes snapshot and update keys"), at: 3)),
        (#"[0,{"a":[["1.0","2.0"]]},"book-10","XBT/USD"]"#, WireError(.unexpectedShape("book level with 2 elements"), at: 9)),
        (#"[0,{"a":[["1.0","2.0","3.0","x"]]},"book-10","XBT/USD"]"#, WireError(.invalidValue(field: "update type", reason: "only \"r\" is defined"), at: 28)),
        (#"[0,{"a":[["1.0","2.0","3.0"]],"c":"-1"},"book-10","XBT/USD"]"#, WireError(.invalidValue(field: "c", reason: "not a non-negative integer"), at: 34)),
        (#"[0,[["1","2","3","x","l",""]],"trade","XBT/USD"]"#, WireError(.invalidValue(field: "side", reason: "unknown value \"x\""), at: 17)),
        (#"[[],"ownTrades",{"seq":1}]"#, WireError(.missingField("sequence"), at: 16)),
        (#"[[],"ownTrades"]"#, WireError(.unexpectedShape("data array with fewer than 3 elements"), at: 0)),
        (#"[0,{},{},{},{},"book-10","XBT/USD"]"#, WireError(.unexpectedShape("more than 5 elements in a data array"), at: 15)),
        (#"[0,[],[],"spread","XBT/USD"]"#, WireError(.unexpectedShape("spread with 2 payloads"), at: 3)),
        // Found by fuzzing: a public data array with no payload between id and names.
        (#"[0,"trade","XBT/USD"]"#, WireError(.unexpectedShape("data array without a payload"), at: 3)),
        (#""heartbeat""#, WireError(.wrongType(field: "message", expected: "object or array"), at: 0)),
        (#"[0,["1","2","1.1234567891","1","1"],"spread","XBT/USD"]"#,
         WireError(.invalidValue(field: "timestamp", reason: "not epoch seconds with at most 9 fraction digits"), at: 12)),
    ])
    func fault(text: String, expected: WireError) {
        #expect(throws: expected) { try parseV1(text) }
    }
}
