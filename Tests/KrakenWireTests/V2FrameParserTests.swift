import FixedPoint
import KrakenWire
import Testing

/// Parses each frame with one parser, in order.
private func parseAll(_ frames: [String], with parser: inout V2FrameParser) throws -> [V2Message] {
    try frames.map { text in
        try Array(text.utf8).withUnsafeBytes { bytes in try parser.parse(bytes) }
    }
}

@Suite("v2 frame parser reusing storage across messages")
struct V2FrameParserTests {
    static func book(_ symbol: String, bids: String, asks: String, checksum: UInt32) -> String {
        #"{"channel":"book","type":"update","data":[{"symbol":"\#(symbol)","bids":[\#(bids)],"asks":[\#(asks)],"checksum":\#(checksum),"timestamp":"2023-10-06T17:35:55.440295Z"}]}"#
    }

    static let frames = [
        book("BTC/USD", bids: #"{"price":45283.5,"qty":0.1}"#, asks: "", checksum: 1),
        book("BTC/USD", bids: "", asks: #"{"price":45285.2,"qty":0.001},{"price":45286.4,"qty":1.54571953}"#, checksum: 2),
        book("BTC/USDT", bids: #"{"price":45283.4,"qty":0}"#, asks: #"{"price":45290,"qty":3}"#, checksum: 3),
        book("BTC/USD", bids: #"{"price":1,"qty":2},{"price":3,"qty":4},{"price":5,"qty":6},{"price":7,"qty":8},{"price":9,"qty":10}"#,
             asks: "", checksum: 4),
        // Symbols of 16 and 17 bytes (the longest the symbol cache keeps, and one beyond).
        book("ABCDEFGHIJKL/USD", bids: "", asks: #"{"price":0.5657,"qty":1098.3947558}"#, checksum: 5),
        book("ABCDEFGHIJKL/USDT", bids: "", asks: #"{"price":0.5657,"qty":1098.3947558}"#, checksum: 6),
        book("ABCDEFGHIJKL/USD", bids: "", asks: "", checksum: 7),
        book("BTC/US", bids: "", asks: "", checksum: 8),
        book("", bids: "", asks: "", checksum: 9),
        // Whitespace: the general parser's frame, between two fast ones.
        #"{"channel":"book", "type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":10}]}"#,
        #"{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":45285.2,"qty":0.5,"ord_type":"limit","trade_id":7,"timestamp":"2023-09-25T07:49:37.708706Z"},{"symbol":"ETH/USD","side":"sell","price":1650.01,"qty":2,"ord_type":"market","trade_id":8,"timestamp":"2023-09-25T07:49:37.708706Z"}]}"#,
        book("BTC/USD", bids: "", asks: #"{"price":45285.2,"qty":0}"#, checksum: 11),
        #"{"channel":"heartbeat"}"#,
    ]

    @Test("a reused parser gives exactly what V2Message(frame:) gives, frame after frame")
    func agreesWithStatelessParsing() throws {
        var parser = V2FrameParser()
        let reused = try parseAll(Self.frames, with: &parser)
        let stateless = try Self.frames.map { text in try parseV2(text) }
        #expect(reused == stateless)
    }

    @Test("a message the caller still holds is not changed by the next parse")
    func heldMessagesStayIntact() throws {
        var parser = V2FrameParser()
        let first = try parseAll([Self.frames[0]], with: &parser)[0]
        _ = try parseAll([Self.frames[1], Self.frames[2], Self.frames[10]], with: &parser)
        #expect(first == (try parseV2(Self.frames[0])))
        guard case .book(let book) = first else {
            Issue.record("not a book message")
            return
        }
        #expect(book.symbol == "BTC/USD")
        #expect(book.bids == [PriceLevel(price: FixedDecimal(mantissa: 452_835, scale: 1), quantity: FixedDecimal(mantissa: 1, scale: 1))])
        #expect(book.asks.isEmpty)
    }

    @Test("a frame neither parser accepts is refused with the same error")
    func refusals() {
        var parser = V2FrameParser()
        let text = #"{"channel":"book","type":"update","data":[{"symbol":"A/B","bids":[],"asks":[],"checksum":4294967296}]}"#
        #expect(throws: WireError.self) { try parseAll([Self.frames[0], text], with: &parser) }
        #expect(throws: WireError.self) { try parseV2(text) }
    }
}
