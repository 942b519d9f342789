import Logging

/// A feed's diagnostic events, written through swift-log with the feed's name, endpoint and
/// connection attempt as metadata and a `kind` that the process's handler rate-limits per kind
/// (`BridgeLogHandler`), so a flood of bad frames cannot become a flood of lines. The last few
/// hundred are kept here as well, for tests and diagnostics.
struct FeedLog {
    var logger: Logger
    private(set) var lines: [String] = []

    init(feed: String) {
        logger = Logger(label: "krakenbridge.feed")
        logger[metadataKey: "feed"] = .string(feed)
    }

    /// Every line from here on names this endpoint and connection attempt.
    mutating func connecting(to endpoint: String, attempt: Int) {
        logger[metadataKey: "endpoint"] = .string(endpoint)
        logger[metadataKey: "connection"] = .stringConvertible(attempt)
    }

    mutating func write(kind: String, _ message: @autoclosure () -> String, level: Logger.Level = .warning) {
        let text = message()
        logger.log(level: level, "\(text)", metadata: ["kind": .string(kind)])
        if lines.count >= 256 { lines.removeFirst(128) }
        lines.append("\(kind): \(text)")
    }
}
