import FixedPoint
@testable import KrakenWire
import Testing

private func fast(_ text: String) -> V1Message? {
    Array(text.utf8).withUnsafeBytes { V1FastPath.parse($0) }
}

private func general(_ text: String) throws(WireError) -> V1Message {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBytes { raw in
        Result { () throws(WireError) -> V1Message in try V1Message(generalFrame: raw) }
    }.get()
}

/// Parses each frame with one parser, in order.
private func parseAll(_ frames: [String], with parser: inout V1FrameParser) throws -> [V1Message] {
    try frames.map { text in try Array(text.utf8).withUnsafeBytes { bytes in try parser.parse(bytes) } }
}

@Suite("v1 fast path for books, trades and heartbeats")
struct V1FastPathTests {
    static let update = #"[336,{"b":[["27117.40000","0.00000000","1693415330.886651"]],"c":"3139033408"},"book-10","XBT/USD"]"#
    static let bothSides = #"[1234,{"a":[["5541.30000","2.50700000","1534614248.456738"],["5542.50000","0.40100000","1534614248.456738"]]},{"b":[["5541.30000","0.00000000","1534614335.345903"]],"c":"974942666"},"book-10","XBT/USD"]"#
    static let republish = #"[1234,{"a":[["5541.30000","0.00000000","1534614335.345903"],["5543.00000","1.20000000","1534614248.123678","r"]],"c":"1520425421"},"book-1000","XBT/USD"]"#
    static let oneObjectBothSides = #"[7,{"a":[["0.5668","10.00000000","1534614248.4"]],"b":[["0.5666","4831.75496356","1534614248"]],"c":"0"},"book-25","MATIC/USD"]"#
    static let snapshot = #"[0,{"as":[["5541.30000","2.50700000","1534614248.123678"],["5541.80000","0.33000000","1534614098.345543"]],"bs":[["5541.20000","1.52900000","1534614248.765567"]]},"book-100","XBT/USD"]"#
    static let emptySide = #"[0,{"as":[],"bs":[["5541.20000","1.52900000","1534614248.765567"]]},"book-100","XBT/USD"]"#
    static let trades = #"[0,[["5541.20000","0.15850568","1534614057.321597","s","l",""],["6060.00000","0.02455000","1534614057.324998","b","m","i"]],"trade","XBT/USD"]"#
    static let heartbeat = #"{"event":"heartbeat"}"#

    @Test("Kraken's compact layout takes the fast path and gives what the general parser gives",
          arguments: [update, bothSides, republish, oneObjectBothSides, snapshot, emptySide, trades, heartbeat])
    func agrees(text: String) throws {
        let quick = try #require(fast(text))
        #expect(quick == (try general(text)))
    }

    @Test("a five-element update is read whole: asks from the first object, bids and the checksum from the second")
    func fiveElements() throws {
        guard case .book(let book) = try #require(fast(Self.bothSides)) else {
            Issue.record("not a book")
            return
        }
        #expect(book.pair == "XBT/USD" && book.depth == 10 && !book.isSnapshot && book.checksum == 974_942_666)
        #expect(book.asks.map(\.price) == [FixedDecimal(mantissa: 554_130_000, scale: 5), FixedDecimal(mantissa: 554_250_000, scale: 5)])
        #expect(book.bids == [V1BookLevel(price: FixedDecimal(mantissa: 554_130_000, scale: 5), volume: FixedDecimal(mantissa: 0, scale: 8),
                                          timestampNs: 1_534_614_335_345_903_000)])
    }

    @Test("trades keep their digits, sides, order types and misc")
    func tradeFields() throws {
        guard case .trade(let message) = try #require(fast(Self.trades)) else {
            Issue.record("not a trade")
            return
        }
        #expect(message.pair == "XBT/USD")
        #expect(message.trades == [
            V1Trade(price: FixedDecimal(mantissa: 554_120_000, scale: 5), volume: FixedDecimal(mantissa: 15_850_568, scale: 8),
                    timestampNs: 1_534_614_057_321_597_000, side: .sell, orderType: .limit, misc: ""),
            V1Trade(price: FixedDecimal(mantissa: 606_000_000, scale: 5), volume: FixedDecimal(mantissa: 2_455_000, scale: 8),
                    timestampNs: 1_534_614_057_324_998_000, side: .buy, orderType: .market, misc: "i"),
        ])
    }

    @Test("any other layout falls back to the general parser, with the same result", arguments: [
        // Whitespace, unquoted numbers, the checksum first, a snapshot in two objects, a spelled-out
        // side, a seventh trade element, an escaped pair, no trades, ticker and ohlc payloads,
        // a heartbeat with a request id, a 20-digit channel id, a nine-digit time fraction.
        #"[336, {"b":[["27117.40000","0.00000000","1693415330.886651"]],"c":"3139033408"},"book-10","XBT/USD"]"#,
        #"[336,{"b":[[27117.4,"0.00000000","1693415330.886651"]],"c":"3139033408"},"book-10","XBT/USD"]"#,
        #"[336,{"c":"3139033408","b":[["27117.40000","0.00000000","1693415330.886651"]]},"book-10","XBT/USD"]"#,
        #"[0,{"as":[["5541.30000","2.50700000","1534614248.123678"]]},{"bs":[]},"book-10","XBT/USD"]"#,
        #"[0,[["5541.20000","0.15850568","1534614057.321597","sell","l",""]],"trade","XBT/USD"]"#,
        #"[0,[["5541.20000","0.15850568","1534614057.321597","s","l","",1]],"trade","XBT/USD"]"#,
        #"[0,[["5541.20000","0.15850568","1534614057.321597","s","l",""]],"trade","XBT\/USD"]"#,
        #"[0,[],"trade","XBT/USD"]"#,
        #"[0,{"a":["5525.40000",1,"1.000"],"b":["5525.10000",1,"1.000"],"c":["5525.10000","0.00398963"],"v":["2634.11501494","3591.17907851"],"p":["5631.44067","5653.78939"],"t":[11493,16267],"l":["5505.00000","5505.00000"],"h":["5783.00000","5783.00000"],"o":["5760.70000","5763.40000"]},"ticker","XBT/USD"]"#,
        #"[42,["1542057314.748456","1542057360.435743","3586.70000","3586.70000","3586.60000","3586.60000","3586.68894","0.03373000",2],"ohlc-5","XBT/USD"]"#,
        #"{"event":"heartbeat","reqid":1}"#,
        #"[12345678901234567890,{"b":[["1.0","1.0","1.0"]],"c":"1"},"book-10","XBT/USD"]"#,
        #"[0,[["5541.20000","0.15850568","1534614057.321597123","s","l",""]],"trade","XBT/USD"]"#,
    ])
    func fallsBack(text: String) throws {
        #expect(fast(text) == nil)
        #expect(try parseV1(text) == (try general(text)))
    }

    @Test("frames the fast path cannot read are still refused with the general parser's error", arguments: [
        // A checksum beyond 32 bits, a negative time, ten time fraction digits, a flag other than r,
        // a book mixing snapshot and update keys, a missing volume, trailing bytes.
        #"[336,{"b":[["27117.40000","0.00000000","1693415330.886651"]],"c":"4294967296"},"book-10","XBT/USD"]"#,
        #"[336,{"b":[["27117.40000","0.00000000","-1693415330.886651"]],"c":"1"},"book-10","XBT/USD"]"#,
        #"[336,{"b":[["27117.40000","0.00000000","1693415330.1234567891"]],"c":"1"},"book-10","XBT/USD"]"#,
        #"[336,{"b":[["27117.40000","0.00000000","1693415330.886651","x"]],"c":"1"},"book-10","XBT/USD"]"#,
        #"[336,{"as":[],"b":[["27117.40000","0.00000000","1693415330.886651"]]},"book-10","XBT/USD"]"#,
        #"[336,{"b":[["27117.40000","1693415330.886651"]],"c":"1"},"book-10","XBT/USD"]"#,
        #"[336,{"b":[["27117.40000","0.00000000","1693415330.886651"]],"c":"1"},"book-10","XBT/USD"]x"#,
    ])
    func refusals(text: String) {
        #expect(fast(text) == nil)
        #expect(throws: WireError.self) { try parseV1(text) }
    }

    @Test("a reused parser gives exactly what V1Message(frame:) gives, frame after frame")
    func reusedParserAgrees() throws {
        let frames = [Self.snapshot, Self.update, Self.trades, Self.bothSides, Self.heartbeat, Self.republish, Self.emptySide,
                      #"[336, {"b":[],"c":"1"},"book-10","XBT/USD"]"#, Self.update, Self.trades]
        var parser = V1FrameParser()
        #expect(try parseAll(frames, with: &parser) == (try frames.map { try parseV1($0) }))
    }

    @Test("a message the caller still holds is not changed by the next parse")
    func heldMessagesStayIntact() throws {
        var parser = V1FrameParser()
        let first = try parseAll([Self.snapshot], with: &parser)[0]
        _ = try parseAll([Self.update, Self.bothSides, Self.trades, Self.snapshot], with: &parser)
        #expect(first == (try general(Self.snapshot)))
        guard case .book(let book) = first else {
            Issue.record("not a book message")
            return
        }
        #expect(book.isSnapshot && book.asks.count == 2 && book.bids.count == 1)
    }
}
