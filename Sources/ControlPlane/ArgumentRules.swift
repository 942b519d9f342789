/// The allowed values of control-command arguments, in one place (docs/control.md lists them).
public enum ArgumentRules {
    /// Book depths Kraken offers; 0 in a request means the bridge's configured default.
    public static let bookDepths: [UInt32] = [10, 25, 100, 500, 1000]
    /// Candle intervals (minutes) Kraken offers; ohlc has no default, 0 is refused.
    public static let ohlcIntervals: [UInt32] = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600]

    /// Replay's `max_events` when the request says 0.
    public static let defaultReplayEvents = 1_000
    /// Replay's `max_events` cap: larger requests get this many.
    public static let maxReplayEvents = 10_000

    /// A Kraken v2 pair name as it appears in topics: printable ASCII other than space and
    /// `:` (the topic separator), with a `/` between a non-empty base and quote (`BTC/USD`,
    /// `ETH2.S/ETH`).
    public static func isValidSymbol(_ symbol: String) -> Bool {
        let bytes = Array(symbol.utf8)
        guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")), slash > 0, slash < bytes.count - 1 else { return false }
        return bytes.allSatisfy { isTopicByte($0) && $0 != UInt8(ascii: ":") }
    }

    /// A snapshot prefix: bytes a topic can contain (printable ASCII without space, `:`
    /// included). Empty is valid and selects every topic.
    public static func isValidTopicPrefix(_ prefix: String) -> Bool {
        prefix.utf8.allSatisfy(isTopicByte)
    }

    /// Printable ASCII other than space: the bytes of topics (docs/wire-format.md).
    static func isTopicByte(_ byte: UInt8) -> Bool { byte >= 0x21 && byte <= 0x7E }

    /// `max_events` as replay uses it: 0 → the default, above the cap → the cap.
    public static func replayEvents(requested: UInt32) -> Int {
        requested == 0 ? defaultReplayEvents : min(Int(requested), maxReplayEvents)
    }

    /// For messages: `10, 25, 100`.
    static func list(_ values: [UInt32]) -> String { values.map(String.init).joined(separator: ", ") }
}
