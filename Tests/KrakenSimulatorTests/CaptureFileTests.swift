import KrakenCapture
import KrakenSimulator
import Testing

/// The capture format: `<timestamp> <frame>` per line, Unix seconds or RFC 3339.
@Suite struct CaptureFileTests {
    @Test func readsUnixSecondsAndRFC3339StampsSkippingBlankAndCommentLines() throws {
        let text = """
            # captured from ws.kraken.com/v2
            1764547200.5 {"channel":"status","type":"update"}

            2025-12-01T00:00:00.750000Z\t{"channel":"heartbeat"}
            1764547201 {"a": "b c"}\r
            """
        let frames = try CaptureFile.parse(Array(text.utf8))
        #expect(frames == [
            CapturedFrame(timestampNs: 1_764_547_200_500_000_000, text: Array(#"{"channel":"status","type":"update"}"#.utf8)),
            CapturedFrame(timestampNs: 1_764_547_200_750_000_000, text: Array(#"{"channel":"heartbeat"}"#.utf8)),
            CapturedFrame(timestampNs: 1_764_547_201_000_000_000, text: Array(#"{"a": "b c"}"#.utf8)),
        ])
    }

    @Test func writtenLinesReadBackExactly() throws {
        let frames = [
            CapturedFrame(timestampNs: 1_764_547_200_000_000_007, text: Array(#"{"x":1}"#.utf8)),
            CapturedFrame(timestampNs: 1_764_547_200_123_456_789, text: Array(#"[0,"trade"]"#.utf8)),
        ]
        let file = frames.flatMap(CaptureFile.line)
        #expect(String(decoding: file, as: UTF8.self) == "1764547200.000000007 {\"x\":1}\n1764547200.123456789 [0,\"trade\"]\n")
        #expect(try CaptureFile.parse(file) == frames)
    }

    @Test(arguments: [
        ("1764547200.5\n", 1, "expected `<timestamp> <frame>`"),
        ("# c\nyesterday {\"a\":1}\n", 2, "timestamp is neither Unix seconds nor RFC 3339"),
        ("-5 {\"a\":1}\n", 1, "timestamp is neither Unix seconds nor RFC 3339"),
        ("1.0000000001 {}\n", 1, "timestamp is neither Unix seconds nor RFC 3339"),
        ("2 {}\n1 {}\n", 2, "timestamp goes backwards"),
        ("1764547200 \t \n", 1, "no frame after the timestamp"),
    ])
    func malformedLinesAreNamed(text: String, line: Int, reason: String) {
        #expect(throws: CaptureError(line: line, reason: reason)) { try CaptureFile.parse(Array(text.utf8)) }
    }
}
