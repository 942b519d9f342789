import FixedPoint
import KrakenWire
import Testing

/// Runs `body` on a reader over `text`'s bytes.
func read<T>(_ text: String, _ body: (inout JSONReader) throws(WireError) -> T) throws(WireError) -> T {
    var bytes = Array(text.utf8)
    let outcome = bytes.withUnsafeMutableBytes { raw in
        Result { () throws(WireError) -> T in
            var reader = JSONReader(UnsafeRawBufferPointer(raw))
            let value = try body(&reader)
            try reader.expectEnd()
            return value
        }
    }
    return try outcome.get()
}

func readBytes(_ bytes: [UInt8], _ body: (inout JSONReader) throws(WireError) -> Void) throws(WireError) {
    let outcome = bytes.withUnsafeBytes { raw in
        Result { () throws(WireError) in
            var reader = JSONReader(raw)
            try body(&reader)
        }
    }
    try outcome.get()
}

@Suite("JSON reader")
struct JSONReaderTests {
    @Test("a v2 trade entry reads into exact decimals; unknown fields are skipped")
    func tradeEntry() throws {
        let json = #"{"symbol":"BTC/USD","side":"sell","price":65432.10,"qty":0.00100000,"ord_type":"limit","trade_id":4665846,"future":{"a":[1,2,{"b":null}]},"timestamp":"2023-09-25T07:49:37.708706Z"}"#
        let (symbol, price, qty, id) = try read(json) { (reader) throws(WireError) -> (String, FixedDecimal, FixedDecimal, UInt64) in
            var symbol = ""
            var price = FixedDecimal.zero
            var qty = FixedDecimal.zero
            var id: UInt64 = 0
            try reader.readObject { (key, reader) throws(WireError) in
                if key.equals("symbol") { symbol = try reader.readString(field: "symbol") }
                else if key.equals("price") { price = try reader.readDecimal() }
                else if key.equals("qty") { qty = try reader.readDecimal() }
                else if key.equals("trade_id") { id = try reader.readUInt64(field: "trade_id") }
                else { try reader.skipValue() }
            }
            return (symbol, price, qty, id)
        }
        #expect(symbol == "BTC/USD")
        #expect(price == FixedDecimal(mantissa: 6_543_210, scale: 2), "trailing zero kept")
        #expect(qty == FixedDecimal(mantissa: 100_000, scale: 8))
        #expect(id == 4_665_846)
    }

    @Test("numeric strings (v1) read exactly like numbers (v2)")
    func numericStrings() throws {
        let values = try read(#"["0.05000","0.00000500",1582905487.439814]"#) { (reader) throws(WireError) -> [FixedDecimal] in
            var values: [FixedDecimal] = []
            try reader.readArray { (reader) throws(WireError) in values.append(try reader.readDecimal()) }
            return values
        }
        #expect(values.map(\.description) == ["0.05000", "0.00000500", "1582905487.439814"])
    }

    @Test("a truncated frame is an unexpected end at the frame's length")
    func truncated() {
        #expect(throws: WireError(.unexpectedEnd, at: 12)) {
            try read(#"{"price":1.5"#) { (reader) throws(WireError) in
                try reader.readObject { (_, reader) throws(WireError) in _ = try reader.readDecimal() }
            }
        }
        #expect(throws: WireError(.unexpectedEnd, at: 5)) {
            try read(#"{"sym"#) { (reader) throws(WireError) in try reader.skipValue() }
        }
    }

    @Test("a value of the wrong type names the field")
    func wrongType() {
        #expect(throws: WireError(.wrongType(field: "symbol", expected: "string"), at: 10)) {
            try read(#"{"symbol":42}"#) { (reader) throws(WireError) in
                try reader.readObject { (_, reader) throws(WireError) in _ = try reader.readString(field: "symbol") }
            }
        }
        #expect(throws: WireError(.invalidValue(field: "trade_id", reason: "not a non-negative integer"), at: 0)) {
            try read("-1.5") { (reader) throws(WireError) in _ = try reader.readUInt64(field: "trade_id") }
        }
    }

    @Test("numbers too large for an exact 64-bit decimal are refused, not rounded")
    func hugeNumbers() {
        #expect(throws: WireError(.invalidNumber(.mantissaOverflow), at: 0)) {
            try read("123456789012345678901234567890") { (reader) throws(WireError) in _ = try reader.readDecimal() }
        }
        #expect(throws: WireError(.invalidNumber(.exponentOutOfRange), at: 0)) {
            try read("1e999999") { (reader) throws(WireError) in _ = try reader.readDecimal() }
        }
    }

    @Test("nesting deeper than the limit is refused before it can exhaust the stack")
    func deepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        // The 33rd bracket is refused right after it is read.
        #expect(throws: WireError(.nestingTooDeep(limit: JSONReader.maxDepth), at: JSONReader.maxDepth + 1)) {
            try read(deep) { (reader) throws(WireError) in try reader.skipValue() }
        }
    }

    @Test("invalid UTF-8 inside a string is refused with its offset")
    func invalidUTF8() {
        #expect(throws: WireError(.invalidUTF8, at: 2)) {
            try readBytes([0x22, 0x61, 0xC3, 0x28, 0x22]) { (reader) throws(WireError) in _ = try reader.readRawString() }
        }
        #expect(throws: WireError(.invalidUTF8, at: 1)) {
            try readBytes([0x22, 0xED, 0xA0, 0x80, 0x22]) { (reader) throws(WireError) in _ = try reader.readRawString() }
        }
        #expect(throws: WireError(.invalidUTF8, at: 1)) {
            try readBytes([0x22, 0xC0, 0xAF, 0x22]) { (reader) throws(WireError) in _ = try reader.readRawString() }
        }
    }

    @Test("escapes are validated and decoded; bad escapes are typed errors")
    func escapes() throws {
        #expect(try read(#""a\"b\u00e9\n""#) { (reader) throws(WireError) -> String in try reader.readString(field: "s") } == "a\"bé\n")
        #expect(throws: WireError(.invalidEscape, at: 2)) {
            try read(#""a\qb""#) { (reader) throws(WireError) in _ = try reader.readRawString() }
        }
        #expect(throws: WireError(.invalidEscape, at: 1)) {
            try read(#""\u12G4""#) { (reader) throws(WireError) in _ = try reader.readRawString() }
        }
    }

    @Test("garbage after a complete value and stray separators are refused")
    func trailingGarbage() {
        #expect(throws: WireError(.unexpectedByte(UInt8(ascii: "x")), at: 3)) {
            try read("[1]x") { (reader) throws(WireError) in try reader.skipValue() }
        }
        #expect(throws: WireError(.unexpectedByte(UInt8(ascii: "]")), at: 3)) {
            try read("[1,]") { (reader) throws(WireError) in try reader.skipValue() }
        }
        #expect(throws: WireError(.unexpectedByte(UInt8(ascii: "x")), at: 2)) {
            try read("nux!") { (reader) throws(WireError) in try reader.skipValue() }
        }
        #expect(throws: WireError(.unexpectedEnd, at: 3)) {
            try read("nul") { (reader) throws(WireError) in try reader.skipValue() }
        }
    }

    @Test("random bytes never crash the reader")
    func randomBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]:,"\.-+eE0123456789tfnrulas "#.utf8) + [0xC3, 0xA9, 0xFF, 0x00]
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            try? readBytes(bytes) { (reader) throws(WireError) in
                try reader.skipValue()
                try reader.expectEnd()
            }
        }
    }
}
