import Foundation

/// A recording of one Kraken connection, as `krakenbridge record` writes it and `sim --replay`
/// and `krakenbridge verify` read it: JSON lines (docs/capture.md).
///
/// The first line is the header (`{"capture":"krakenbridge","version":1,…}`); every other line
/// is one event with its receive time in Unix nanoseconds: a frame received (`"dir":"recv"`) or
/// sent (`"dir":"sent"`), or a REST answer of that connect (`"dir":"rest"`, e.g. AssetPairs).
/// Frames and REST bodies are JSON strings holding the exact text, so Kraken's digits survive.
public struct CaptureRecording: Sendable, Equatable {
    /// What was recorded, from where.
    public struct Header: Sendable, Equatable, Codable {
        public var capture = "krakenbridge"
        public var version = 1
        /// `v1` or `v2`.
        public var `protocol`: String
        public var url: String
        public var startedNs: Int64
        /// Symbols as `run` takes them (v2 names).
        public var pairs: [String]
        public var bookDepth: Int?
        /// `account` for a recording of the authenticated connection's private channels; absent
        /// for market data.
        public var feed: String?

        public init(protocol: String, url: String, startedNs: Int64, pairs: [String], bookDepth: Int?, feed: String? = nil) {
            self.protocol = `protocol`
            self.url = url
            self.startedNs = startedNs
            self.pairs = pairs
            self.bookDepth = bookDepth
            self.feed = feed
        }

        /// Whether this recording holds the private channels (executions, balances, ownTrades…).
        public var isAccount: Bool { feed == Self.accountFeed }
        public static let accountFeed = "account"

        enum CodingKeys: String, CodingKey {
            case capture, version, `protocol`, url, startedNs = "started_ns", pairs, bookDepth = "depth", feed
        }
    }

    /// One line after the header.
    public struct Event: Sendable, Equatable {
        public enum Direction: String, Sendable, Equatable, Codable {
            case received = "recv"
            case sent
            case rest
        }

        public var timestampNs: Int64
        public var direction: Direction
        /// The frame text, or the REST answer's body.
        public var text: [UInt8]
        /// The REST path (`/0/public/AssetPairs`); nil for frames.
        public var path: String?

        public init(timestampNs: Int64, direction: Direction, text: [UInt8], path: String? = nil) {
            self.timestampNs = timestampNs
            self.direction = direction
            self.text = text
            self.path = path
        }
    }

    public var header: Header
    public var events: [Event]

    public init(header: Header, events: [Event]) {
        self.header = header
        self.events = events
    }

    /// Received frames, in order: what a replay sends.
    public var receivedFrames: [CapturedFrame] {
        events.filter { $0.direction == .received }.map { CapturedFrame(timestampNs: $0.timestampNs, text: $0.text) }
    }

    /// The body of the last REST answer recorded for `path`.
    public func restBody(path: String) -> [UInt8]? {
        events.last { $0.direction == .rest && $0.path == path }?.text
    }

    /// Whether `contents` is in this format rather than the plain `<timestamp> <frame>` lines.
    public static func isRecording(_ contents: [UInt8]) -> Bool {
        let start = contents.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        return start.starts(with: Array(#"{"capture":"krakenbridge""#.utf8))
    }

    /// The header line; sorted keys put `capture` first, so the format shows in the first bytes.
    public static func headerLine(_ header: Header) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(header)).map { Array($0) } ?? []) + [0x0A]
    }

    public static func line(_ event: Event) -> [UInt8] {
        var object: [String: Any] = [
            "t": event.timestampNs, "dir": event.direction.rawValue,
            (event.direction == .rest ? "body" : "frame"): String(decoding: event.text, as: UTF8.self),
        ]
        if let path = event.path { object["path"] = path }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Array(data) + [0x0A]
    }

    /// Reads a recording; errors name the line (1-based).
    public static func parse(_ contents: [UInt8]) throws(CaptureError) -> CaptureRecording {
        var header: Header?
        var events: [Event] = []
        var lineNumber = 0
        for rawLine in contents.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { continue }
            if header == nil {
                guard let decoded = try? JSONDecoder().decode(Header.self, from: Data(line)), decoded.capture == "krakenbridge" else {
                    throw CaptureError(line: lineNumber, reason: "not a krakenbridge capture header")
                }
                guard decoded.version == 1 else { throw CaptureError(line: lineNumber, reason: "capture version \(decoded.version) is not 1") }
                header = decoded
                continue
            }
            events.append(try event(Data(line), number: lineNumber))
        }
        guard let header else { throw CaptureError(line: 1, reason: "empty capture") }
        return CaptureRecording(header: header, events: events)
    }

    private static func event(_ line: Data, number: Int) throws(CaptureError) -> Event {
        guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else {
            throw CaptureError(line: number, reason: "not a JSON object")
        }
        guard let stamp = (object["t"] as? NSNumber)?.int64Value else {
            throw CaptureError(line: number, reason: "no receive time `t`")
        }
        guard let direction = (object["dir"] as? String).flatMap(Event.Direction.init(rawValue:)) else {
            throw CaptureError(line: number, reason: "`dir` must be recv, sent or rest")
        }
        let key = direction == .rest ? "body" : "frame"
        guard let text = object[key] as? String else { throw CaptureError(line: number, reason: "no `\(key)` string") }
        return Event(timestampNs: stamp, direction: direction, text: Array(text.utf8), path: object["path"] as? String)
    }
}
