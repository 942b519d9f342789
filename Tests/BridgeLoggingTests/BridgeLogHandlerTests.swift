import BridgeLogging
import Logging
import Synchronization
import Testing

/// Collects what a handler writes.
final class Lines: Sendable {
    private let store = Mutex<[String]>([])
    var all: [String] { store.withLock { $0 } }
    var sink: BridgeLogHandler.Sink { { line in self.store.withLock { $0.append(line) } } }
}

/// A clock the test moves.
final class TestClock: Sendable {
    private let value = Atomic<Int64>(1_700_000_000_123_000_000)
    var read: @Sendable () -> Int64 { { self.value.load(ordering: .relaxed) } }
    func advance(seconds: Int64) { value.add(seconds * 1_000_000_000, ordering: .relaxed) }
}

@Suite struct LogLineTests {
    @Test("a JSON line: time, level, label and message first, then the metadata in sorted order, nested values as JSON")
    func jsonLine() {
        let line = LogLine.render(
            .json, timeNs: 1_700_000_000_123_000_000, level: .warning, label: "krakenbridge.feed",
            message: "checksum \"mismatch\"\non BTC/USD",
            metadata: ["feed": "public", "attempt": .stringConvertible(3), "levels": ["1", "2"], "book": ["depth": "10"]])
        #expect(line == #"{"time":"2023-11-14T22:13:20.123Z","level":"warning","label":"krakenbridge.feed","message":"checksum \"mismatch\"\non BTC/USD","attempt":"3","book":{"depth":"10"},"feed":"public","levels":["1","2"]}"#)
    }

    @Test("control characters are escaped as \\u00XX")
    func controlCharacters() {
        let line = LogLine.render(.json, timeNs: 0, level: .info, label: "l", message: "a\u{1}b\tc", metadata: [:])
        #expect(line == #"{"time":"1970-01-01T00:00:00.000Z","level":"info","label":"l","message":"a\u0001b\tc"}"#)
    }

    @Test("a text line: time, level, label, message, then key=value in sorted order")
    func textLine() {
        let line = LogLine.render(
            .text, timeNs: 1_700_000_000_005_000_000, level: .error, label: "krakenbridge.feed", message: "token failed",
            metadata: ["kind": "token_failed", "feed": "private"])
        #expect(line == "2023-11-14T22:13:20.005Z error krakenbridge.feed: token failed feed=private kind=token_failed")
    }

    @Test("a text line stays one line: newlines and other control characters are escaped")
    func textStaysOneLine() {
        let line = LogLine.render(.text, timeNs: 0, level: .info, label: "l", message: "a\nb\u{0}c", metadata: ["k": "x\ny"])
        #expect(line == #"1970-01-01T00:00:00.000Z info l: a\nb\u{0}c k=x\ny"#)
    }

    @Test("text on a terminal, JSON otherwise")
    func automaticFormat() {
        #expect(LogFormat.automatic(standardErrorIsTerminal: true) == .text)
        #expect(LogFormat.automatic(standardErrorIsTerminal: false) == .json)
    }
}

@Suite struct BridgeLogHandlerTests {
    @Test("at most five lines of a kind a minute; the next one after that says how many were held back")
    func rateLimitedPerKind() {
        let lines = Lines()
        let clock = TestClock()
        var logger = Logger(label: "feed") { BridgeLogHandler(label: $0, format: .text, sink: lines.sink, clock: clock.read) }
        logger[metadataKey: "feed"] = "public"
        for index in 1...8 { logger.warning("bad frame \(index)", metadata: ["kind": "malformed_frame"]) }
        logger.warning("gone", metadata: ["kind": "disconnected"])
        logger.info("no kind, never limited")
        #expect(lines.all.map { $0.split(separator: " ", maxSplits: 1)[1] } == [
            "warning feed: bad frame 1 feed=public kind=malformed_frame",
            "warning feed: bad frame 2 feed=public kind=malformed_frame",
            "warning feed: bad frame 3 feed=public kind=malformed_frame",
            "warning feed: bad frame 4 feed=public kind=malformed_frame",
            "warning feed: bad frame 5 feed=public kind=malformed_frame",
            "warning feed: gone feed=public kind=disconnected",
            "info feed: no kind, never limited feed=public",
        ])
        clock.advance(seconds: 60)
        logger.warning("bad frame 9", metadata: ["kind": "malformed_frame"])
        #expect(lines.all.last?.hasSuffix("warning feed: bad frame 9 feed=public kind=malformed_frame suppressed=3") == true)
    }

    @Test("one feed's flood of a kind does not hold back the other feed's lines of that kind")
    func rateLimitedPerFeed() {
        let lines = Lines()
        let rateLimit = KindRateLimit()
        func logger(_ feed: String) -> Logger {
            var logger = Logger(label: "feed") { BridgeLogHandler(label: $0, format: .text, rateLimit: rateLimit, sink: lines.sink) }
            logger[metadataKey: "feed"] = .string(feed)
            return logger
        }
        let (publicFeed, privateFeed) = (logger("public"), logger("private"))
        for _ in 1...10 { publicFeed.warning("lost", metadata: ["kind": "disconnected"]) }
        privateFeed.warning("lost", metadata: ["kind": "disconnected"])
        #expect(lines.all.count == 6)
        #expect(lines.all.last?.contains("feed=private") == true)
    }

    @Test("the logger's level filters; the handler's metadata and the event's are merged, the event's winning")
    func levelAndMetadata() {
        let lines = Lines()
        var logger = Logger(label: "x") { BridgeLogHandler(label: $0, format: .json, level: .warning, sink: lines.sink) }
        logger[metadataKey: "endpoint"] = "wss://ws.kraken.com/v2"
        logger.info("dropped")
        logger.error("kept", metadata: ["endpoint": "wss://beta-ws.kraken.com/v2"])
        #expect(lines.all.count == 1)
        #expect(lines.all[0].hasSuffix(#""level":"error","label":"x","message":"kept","endpoint":"wss://beta-ws.kraken.com/v2"}"#))
    }
}
