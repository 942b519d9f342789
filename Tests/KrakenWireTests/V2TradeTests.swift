import FixedPoint
import KrakenWire
import Testing

func parseTrade(_ text: String) throws(WireError) -> V2TradeMessage {
    let bytes = Array(text.utf8)
    let outcome = bytes.withUnsafeBytes { raw in
        Result { () throws(WireError) -> V2TradeMessage in try V2TradeMessage(frame: raw) }
    }
    return try outcome.get()
}

@Suite("v2 trade messages")
struct V2TradeTests {
    static let documented = #"""
        {"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","side":"sell","price":0.5117,"qty":40.0,
         "ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"}]}
        """#

    @Test("Kraken's documented example parses exactly")
    func documentedExample() throws {
        let message = try parseTrade(Self.documented)
        #expect(message.kind == .update)
        #expect(message.trades == [KrakenTrade(
            symbol: "MATIC/USD", side: .sell, price: FixedDecimal(mantissa: 5_117, scale: 4),
            quantity: FixedDecimal(mantissa: 400, scale: 1), orderType: .market, tradeID: 4_665_906,
            timestampNs: 1_695_628_177_708_706_000)])
    }

    @Test("a snapshot with several trades keeps their order")
    func snapshot() throws {
        let text = #"{"channel":"trade","type":"snapshot","data":["#
            + (1...3).map { #"{"symbol":"BTC/USD","side":"buy","price":65000.\#($0),"qty":0.1,"ord_type":"limit","trade_id":\#($0),"timestamp":"2024-01-01T00:00:00Z"}"# }.joined(separator: ",")
            + "]}"
        let message = try parseTrade(text)
        #expect(message.kind == .snapshot)
        #expect(message.trades.map(\.tradeID) == [1, 2, 3])
    }

    @Test("missing and malformed fields are named")
    func faults() {
        #expect(throws: WireError(.missingField("trade_id"), at: 43)) {
            try parseTrade(#"{"channel":"trade","type":"update","data":[{"symbol":"X/Y","side":"buy","price":1,"qty":1,"ord_type":"limit","timestamp":"2024-01-01T00:00:00Z"}]}"#)
        }
        #expect(throws: WireError(.invalidValue(field: "side", reason: "unknown value \"hold\""), at: 66)) {
            try parseTrade(#"{"channel":"trade","type":"update","data":[{"symbol":"X/Y","side":"hold"}]}"#)
        }
        #expect(throws: WireError(.invalidValue(field: "channel", reason: "not trade"), at: 0)) {
            try parseTrade(#"{"channel":"heartbeat"}"#)
        }
        #expect(throws: WireError(.missingField("type"), at: 0)) {
            try parseTrade(#"{"channel":"trade","data":[]}"#)
        }
    }
}
