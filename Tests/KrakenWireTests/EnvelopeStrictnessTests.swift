import KrakenWire
import Testing

@Suite("frames: one vocabulary, every key once")
struct EnvelopeStrictnessTests {
    private func v1Error(_ text: String) -> WireError.Kind? {
        Array(text.utf8).withUnsafeBytes { bytes -> WireError.Kind? in
            do throws(WireError) { _ = try V1Message(frame: bytes); return nil } catch { return error.kind }
        }
    }

    private func v2Error(_ text: String) -> WireError.Kind? {
        do { _ = try parseV2(text); return nil } catch { return error.kind }
    }

    @Test("a frame with both versions' envelope keys is refused by both parsers (the fuzzer's first crash)")
    func mixedVocabulariesAreRefused() {
        let frame = #"{"event":"heartbeat","method":"pong"}"#
        #expect(v1Error(frame) == .otherProtocolVersion(field: "method"))
        #expect(v2Error(frame) == .otherProtocolVersion(field: "event"))
        #expect(v1Error(#"{"channel":"heartbeat","event":"heartbeat"}"#) == .otherProtocolVersion(field: "channel"))
    }

    @Test("a repeated envelope key is a typed error naming the key, never a silent last-one-wins")
    func repeatedKeysAreRefused() {
        #expect(v1Error(#"{"event":"pong","reqid":1,"event":"heartbeat"}"#) == .duplicateField("event"))
        #expect(v1Error(#"{"event":"pong","reqid":1,"reqid":2}"#) == .duplicateField("reqid"))
        #expect(v2Error(#"{"channel":"heartbeat","channel":"status","data":[]}"#) == .duplicateField("channel"))
        #expect(v2Error(#"{"method":"pong","req_id":1,"req_id":2}"#) == .duplicateField("req_id"))
    }

    @Test("a repeated key inside data (book, level, trade, v1 book, data read after its channel) is refused too")
    func repeatedDataKeysAreRefused() {
        let time = #""timestamp":"2023-10-06T17:35:55.440295Z""#
        #expect(v2Error(#"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[{"price":1.5,"qty":2}],"checksum":1,"checksum":2,"# + time + "}]}") == .duplicateField("checksum"))
        #expect(v2Error(#"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[{"price":1.5,"qty":2,"qty":3}],"checksum":1,"# + time + "}]}") == .duplicateField("qty"))
        #expect(v2Error(#"{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":1,"qty":1,"qty":2,"ord_type":"market","trade_id":1,"# + time + "}]}") == .duplicateField("qty"))
        #expect(v2Error(#"{"data":[{"symbol":"BTC/USD","symbol":"ETH/USD"}],"channel":"ticker","type":"update"}"#) == .duplicateField("symbol"))
        #expect(v1Error(#"[336,{"a":[["5541.30000","2.50700000","1534614248.456738"]],"c":"974942666","c":"1"},"book-10","XBT/USD"]"#) == .duplicateField("c"))
    }

    @Test("unknown keys are still skipped (Kraken adds fields), but not repeated: Kraken repeats no key")
    func unknownKeysAreSkippedOnce() throws {
        #expect(v1Error(#"{"event":"heartbeat","new_field":1}"#) == nil)
        #expect(try parseV2(#"{"channel":"heartbeat","extra":{"nested":[1,{"deeper":2}]}}"#) == .heartbeat)
        #expect(v1Error(#"{"event":"heartbeat","new_field":1,"new_field":2}"#) == .duplicateField("new_field"))
        #expect(v2Error(#"{"channel":"heartbeat","extra":{"a":1,"a":2}}"#) == .duplicateField("a"))
    }

    @Test("an object of more keys than are checked on the stack is still checked")
    func manyKeys() {
        let keys = (0..<40).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        #expect(v2Error(#"{"channel":"heartbeat","extra":{"# + keys + "}}") == nil)
        #expect(v2Error(#"{"channel":"heartbeat","extra":{"# + keys + #","k3":0}}"#) == .duplicateField("k3"))
        #expect(v2Error(#"{"channel":"heartbeat","extra":{"# + keys + #","k33":0}}"#) == .duplicateField("k33"))
    }
}
