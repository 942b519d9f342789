import KrakenWire
import Testing

private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

@Suite("request encoders")
struct RequestTests {
    @Test("v2 subscribe for a book, as in Kraken's example")
    func v2SubscribeBook() throws {
        let request = try V2Request.subscribe(
            V2Subscription(channel: .book, symbols: ["ALGO/USD", "MATIC/USD"], depth: 10, snapshot: true), requestID: 1)
        #expect(text(request) == #"{"method":"subscribe","params":{"channel":"book","symbol":["ALGO/USD","MATIC/USD"],"depth":10,"snapshot":true},"req_id":1}"#)
    }

    @Test("v2 subscribe for executions carries the token and snapshot options")
    func v2SubscribeExecutions() throws {
        let request = try V2Request.subscribe(
            V2Subscription(channel: .executions, token: "tok\"en", snapOrders: true, snapTrades: false, orderStatus: true, rateCounter: true))
        #expect(text(request) == #"{"method":"subscribe","params":{"channel":"executions","snap_orders":true,"snap_trades":false,"order_status":true,"ratecounter":true,"token":"tok\"en"}}"#)
    }

    @Test("v2 unsubscribe names only what identifies the subscription")
    func v2Unsubscribe() throws {
        let request = try V2Request.unsubscribe(
            V2Subscription(channel: .ticker, symbols: ["ALGO/USD"], snapshot: true, eventTrigger: .bbo), requestID: 9)
        #expect(text(request) == #"{"method":"unsubscribe","params":{"channel":"ticker","symbol":["ALGO/USD"],"event_trigger":"bbo"},"req_id":9}"#)
    }

    @Test("v2 ping")
    func v2Ping() {
        #expect(text(V2Request.ping(requestID: 101)) == #"{"method":"ping","req_id":101}"#)
        #expect(text(V2Request.ping()) == #"{"method":"ping"}"#)
    }

    @Test("v1 subscribe, unsubscribe and ping, reqid top-level")
    func v1() throws {
        #expect(text(try V1Request.subscribe(V1Subscription(name: .book, pairs: ["XBT/USD", "XBT/EUR"], depth: 25), requestID: 7))
            == #"{"event":"subscribe","reqid":7,"pair":["XBT/USD","XBT/EUR"],"subscription":{"name":"book","depth":25}}"#)
        #expect(text(try V1Request.subscribe(V1Subscription(name: .openOrders, token: "T", rateCounter: true)))
            == #"{"event":"subscribe","subscription":{"name":"openOrders","token":"T","ratecounter":true}}"#)
        #expect(text(try V1Request.unsubscribe(V1Subscription(name: .ohlc, pairs: ["XBT/EUR"], interval: 5), requestID: 42))
            == #"{"event":"unsubscribe","reqid":42,"pair":["XBT/EUR"],"subscription":{"name":"ohlc","interval":5}}"#)
        #expect(text(V1Request.ping(requestID: 42)) == #"{"event":"ping","reqid":42}"#)
    }

    @Test("requests Kraken would reject are refused before sending", arguments: [
        (V2Subscription(channel: .book, symbols: ["A/B"], depth: 27), RequestError.unsupportedDepth(27)),
        (V2Subscription(channel: .level3, symbols: ["A/B"], depth: 25, token: "t"), .unsupportedDepth(25)),
        (V2Subscription(channel: .ohlc, symbols: ["A/B"], interval: 2), .unsupportedInterval(2)),
        (V2Subscription(channel: .trade), .missingSymbols(channel: "trade")),
        (V2Subscription(channel: .balances), .missingToken(channel: "balances")),
        (V2Subscription(channel: .heartbeat), .notSubscribable(channel: "heartbeat")),
    ])
    func refused(subscription: V2Subscription, expected: RequestError) {
        #expect(throws: expected) { try V2Request.subscribe(subscription) }
    }

    @Test("a v1 private channel without a token is refused")
    func v1Refused() {
        #expect(throws: RequestError.missingToken(channel: "ownTrades")) { try V1Request.subscribe(V1Subscription(name: .ownTrades)) }
        #expect(throws: RequestError.missingSymbols(channel: "ticker")) { try V1Request.subscribe(V1Subscription(name: .ticker)) }
    }

    @Test("encoded requests are JSON the v2 parser's reader accepts, strings escaped")
    func escaping() throws {
        let request = try V2Request.subscribe(V2Subscription(channel: .trade, symbols: ["A\\B", "line\nbreak", "\u{01}"]))
        #expect(text(request) == #"{"method":"subscribe","params":{"channel":"trade","symbol":["A\\B","line\nbreak","\u0001"]}}"#)
    }
}
