import FixedPoint
import KrakenWire
import Testing

/// The smallest frames on which the differential test first caught the scanner disagreeing
/// with Foundation, kept as plain regression tests.
@Suite("Differential findings")
struct DifferentialFindingsTests {
    static func scanV1(_ text: String) throws(WireError) -> V1Message {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { raw in
            Result { () throws(WireError) -> V1Message in try V1Message(frame: raw) }
        }.get()
    }

    static func scanV2(_ text: String) throws(WireError) -> V2Message {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { raw in
            Result { () throws(WireError) -> V2Message in try V2Message(frame: raw) }
        }.get()
    }

    @Test("connection ids above Int64.max, as Kraken sends them, are read in full")
    func connectionIDAboveInt64Max() throws {
        let v1 = #"{"connectionID":18239578009413566319,"event":"systemStatus","status":"online","version":"1.9.1"}"#
        #expect(try Self.scanV1(v1) == .systemStatus(
            V1SystemStatus(status: .online, version: "1.9.1", connectionID: 18_239_578_009_413_566_319)))

        let v2 = #"{"channel":"status","type":"update","data":[{"api_version":"v2","connection_id":13834774380200032777,"system":"online","version":"2.0.0"}]}"#
        #expect(try Self.scanV2(v2) == .status(
            V2Status(system: .online, apiVersion: "v2", connectionID: 13_834_774_380_200_032_777, version: "2.0.0")))

        #expect(try Self.scanV1(#"{"event":"pong","reqid":18446744073709551615}"#) == .pong(requestID: .max))
        #expect(throws: WireError(.invalidNumber(.mantissaOverflow), at: 24)) {
            try Self.scanV1(#"{"event":"pong","reqid":18446744073709551616}"#)
        }
    }

    @Test("a character beyond U+FFFF escaped as a surrogate pair decodes to that character")
    func surrogatePairEscape() throws {
        #expect(try Self.scanV1(#"{"errorMessage":"\ud83d\ude00 \uD83D\uDE00","event":"error"}"#)
            == .error(message: "😀 😀", requestID: nil))
        // A lone surrogate is not a character: it becomes U+FFFD, as before.
        #expect(try Self.scanV1(#"{"errorMessage":"\ud83d!","event":"error"}"#) == .error(message: "\u{FFFD}!", requestID: nil))
    }
}
