@testable import KrakenWire
import Testing

private func fast(_ text: String) -> V2Message? {
    Array(text.utf8).withUnsafeBytes { V2FastPath.parse($0) }
}

private func general(_ text: String) throws(WireError) -> V2Message {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBytes { raw in
        Result { () throws(WireError) -> V2Message in try V2Message(generalFrame: raw) }
    }.get()
}

@Suite("v2 fast path for book and trade")
struct V2FastPathTests {
    static let book = #"{"channel":"book","type":"update","data":[{"symbol":"MATIC/USD","bids":[{"price":0.5657,"qty":1098.3947558},{"price":0.5656,"qty":0}],"asks":[],"checksum":2114181697,"timestamp":"2023-10-06T17:35:55.440295Z"}]}"#
    static let snapshot = #"{"channel":"book","type":"snapshot","data":[{"symbol":"MATIC/USD","bids":[{"price":0.5666,"qty":4831.75496356}],"asks":[{"price":0.5668,"qty":4410.79769741}],"checksum":2439117997}]}"#
    static let trades = #"{"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","side":"sell","price":0.5117,"qty":40.0,"ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"},{"symbol":"MATIC/USD","side":"buy","price":0.5118,"qty":1,"ord_type":"limit","trade_id":4665907,"timestamp":"2023-09-25T07:49:37.708706Z"}]}"#

    @Test("Kraken's compact layout takes the fast path and gives what the general parser gives",
          arguments: [book, snapshot, trades])
    func agrees(text: String) throws {
        let quick = try #require(fast(text))
        #expect(quick == (try general(text)))
    }

    @Test("any other layout falls back to the general parser, with the same result", arguments: [
        // Whitespace, other key order, an unknown field, a quoted number, an exponent, an escape, a 20-digit id.
        #"{"channel": "book","type":"update","data":[{"symbol":"A/B","bids":[],"asks":[],"checksum":1}]}"#,
        #"{"channel":"book","type":"update","data":[{"symbol":"A/B","asks":[],"bids":[],"checksum":1}]}"#,
        #"{"channel":"book","type":"update","data":[{"symbol":"A/B","bids":[],"asks":[],"checksum":1,"extra":true}]}"#,
        #"{"channel":"book","type":"update","data":[{"symbol":"A/B","bids":[{"price":"1.5","qty":2}],"asks":[],"checksum":1}]}"#,
        #"{"channel":"book","type":"update","data":[{"symbol":"A/B","bids":[{"price":1e-08,"qty":2}],"asks":[],"checksum":1}]}"#,
        #"{"channel":"book","type":"update","data":[{"symbol":"A\/B","bids":[],"asks":[],"checksum":1}]}"#,
        #"{"channel":"trade","type":"update","data":[{"symbol":"A/B","side":"buy","price":1,"qty":1,"ord_type":"limit","trade_id":12345678901234567890,"timestamp":"2023-09-25T07:49:37Z"}]}"#,
        #"{"channel":"trade","type":"update","data":[]}"#,
    ])
    func fallsBack(text: String) throws {
        #expect(fast(text) == nil)
        #expect(try parseV2(text) == (try general(text)))
    }

    @Test("frames the fast path cannot read are still refused with the general parser's error", arguments: [
        #"{"channel":"book","type":"update","data":[{"symbol":"A/B","bids":[],"asks":[],"checksum":4294967296}]}"#,
        #"{"channel":"book","type":"update","data":[{"symbol":"A/B","bids":[{"price":1.,"qty":1}],"asks":[],"checksum":1}]}"#,
        #"{"channel":"trade","type":"update","data":[{"symbol":"A/B","side":"buy","price":1,"qty":1,"ord_type":"limit","trade_id":1,"timestamp":"soon"}]}"#,
    ])
    func refusals(text: String) {
        #expect(fast(text) == nil)
        #expect(throws: WireError.self) { try parseV2(text) }
    }
}
