import KrakenWire
import Testing

@Suite("envelopes: one vocabulary, every key once")
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

    @Test("unknown keys are still skipped, once or repeated: Kraken adds fields")
    func unknownKeysStayAllowed() throws {
        #expect(v1Error(#"{"event":"heartbeat","new_field":1,"new_field":2}"#) == nil)
        #expect(try parseV2(#"{"channel":"heartbeat","extra":1,"extra":[2]}"#) == .heartbeat)
    }
}
