import KrakenWire
import Testing

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test("Kraken's microsecond timestamps become exact Unix nanoseconds", arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2023-09-25T07:49:37.708706Z", 1_695_628_177_708_706_000),
        ("2022-06-13T08:09:10.123456789Z", 1_655_107_750_123_456_789),
        ("2024-02-29T23:59:59.5Z", 1_709_251_199_500_000_000),
        ("2023-09-25T09:49:37.708706+02:00", 1_695_628_177_708_706_000),
        ("1969-12-31T23:59:59Z", -1_000_000_000),
        ("2022-06-13T08:09:10.123456789999Z", 1_655_107_750_123_456_789),
    ])
    func parses(text: String, expected: Int64) {
        #expect(RFC3339.nanoseconds(text) == expected)
    }

    @Test("anything else is refused", arguments: [
        "", "2023-09-25", "2023-09-25T07:49:37", "2023-13-25T07:49:37Z", "2023-09-25T25:49:37Z",
        "2023-09-25T07:49:37.Z", "2023-09-25T07:49:37Zjunk", "2023/09/25T07:49:37Z",
        // Outside the Int64-nanosecond range (1677–2262): refused, not wrapped (found by fuzzing).
        "9999-12-31T23:59:59Z", "1000-01-01T00:00:00Z",
    ])
    func refuses(text: String) {
        #expect(RFC3339.nanoseconds(text) == nil)
    }
}
