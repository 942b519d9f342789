/// Why a topic could not be built or read.
public enum TopicError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    /// Topics end with `:` so that a prefix never matches a longer symbol.
    case notTerminated
    /// A component was empty (two separators in a row, or an empty symbol).
    case emptyComponent(index: Int)
    /// Only printable ASCII other than the separator is allowed.
    case invalidByte(offset: Int, byte: UInt8)

    public var description: String {
        switch self {
        case .empty: "empty topic"
        case .notTerminated: "topic does not end with ':'"
        case .emptyComponent(let index): "topic component \(index) is empty"
        case .invalidByte(let offset, let byte): "topic byte \(byte) at offset \(offset) is not printable ASCII"
        }
    }
}

/// A bus topic: ASCII components, coarse to fine, each followed by `:` —
/// `book:BTC/USD:10:`, `trade:BTC/USD:`, `ohlc:ETH/USD:1:`, `exec:`, `hb:`.
///
/// Every component is terminated, so a subscription to `trade:BTC/USD:` can never receive
/// `trade:BTC/USDT:`, and `book:BTC/USD:` receives that symbol's book at every depth.
/// `:` does not occur in Kraken symbols; `.` does (`ETH2.S/ETH`), which is why it is not used.
public struct Topic: Sendable, Hashable, CustomStringConvertible {
    public static let separator = UInt8(ascii: ":")

    /// The exact bytes of frame 0.
    public let bytes: [UInt8]
    /// FNV-1a of `bytes`, computed once: the publisher looks topics up on every message, and
    /// hashing one word instead of every byte took ~5 % of the ingest path's samples.
    private let fingerprint: UInt64

    /// Builds a topic from components; each must be non-empty printable ASCII without `:`.
    public init(_ components: [String]) throws(TopicError) {
        guard !components.isEmpty else { throw .empty }
        var bytes: [UInt8] = []
        for (index, component) in components.enumerated() {
            guard !component.isEmpty else { throw .emptyComponent(index: index) }
            for byte in component.utf8 {
                guard Self.isComponentByte(byte) else { throw .invalidByte(offset: bytes.count, byte: byte) }
                bytes.append(byte)
            }
            bytes.append(Self.separator)
        }
        self.bytes = bytes
        fingerprint = Self.fingerprint(of: bytes)
    }

    /// Reads and validates frame 0 of a received message.
    public init(validating bytes: [UInt8]) throws(TopicError) {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.last == Self.separator else { throw .notTerminated }
        var componentStart = 0
        for (offset, byte) in bytes.enumerated() {
            if byte == Self.separator {
                guard offset > componentStart else { throw .emptyComponent(index: bytes[..<offset].count { $0 == Self.separator }) }
                componentStart = offset + 1
            } else if !Self.isComponentByte(byte) {
                throw .invalidByte(offset: offset, byte: byte)
            }
        }
        self.bytes = bytes
        fingerprint = Self.fingerprint(of: bytes)
    }

    /// For the fixed topics of this file, whose text is known to be valid.
    private init(literal: StaticString) {
        bytes = Array(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        fingerprint = Self.fingerprint(of: bytes)
    }

    private static func fingerprint(of bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    public static func == (lhs: Topic, rhs: Topic) -> Bool { lhs.fingerprint == rhs.fingerprint && lhs.bytes == rhs.bytes }

    public func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }

    static func isComponentByte(_ byte: UInt8) -> Bool {
        byte >= 0x21 && byte <= 0x7E && byte != separator
    }

    /// The components without separators, e.g. `["book", "BTC/USD", "10"]`.
    public var components: [String] {
        bytes.split(separator: Self.separator).map { String(decoding: $0, as: UTF8.self) }
    }

    public var channel: String { components[0] }

    /// The topic as text, e.g. `book:BTC/USD:10:`.
    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether a subscriber to `prefix` receives this topic (ZeroMQ's byte-prefix match).
    public func matches(prefix: [UInt8]) -> Bool { bytes.starts(with: prefix) }
}

extension Topic {
    /// Channel names of the topic grammar (docs/wire-format.md).
    public enum Channel {
        public static let book = "book"
        public static let bookTop = "top"
        public static let trade = "trade"
        public static let ticker = "ticker"
        public static let ohlc = "ohlc"
        public static let spread = "spread"
        public static let instrument = "instrument"
        public static let executions = "exec"
        public static let fills = "fill"
        public static let balances = "balance"
        public static let exchangeStatus = "status"
        public static let connection = "conn"
        public static let serviceHeartbeat = "hb"
    }

    /// Book deltas, snapshots and resets of one symbol at one depth.
    public static func book(_ symbol: String, depth: Int) throws(TopicError) -> Topic {
        try Topic([Channel.book, symbol, String(depth)])
    }

    public static func bookTop(_ symbol: String, levels: Int) throws(TopicError) -> Topic {
        try Topic([Channel.bookTop, symbol, String(levels)])
    }

    public static func trade(_ symbol: String) throws(TopicError) -> Topic { try Topic([Channel.trade, symbol]) }
    public static func ticker(_ symbol: String) throws(TopicError) -> Topic { try Topic([Channel.ticker, symbol]) }
    public static func spread(_ symbol: String) throws(TopicError) -> Topic { try Topic([Channel.spread, symbol]) }
    public static func instrument(_ symbol: String) throws(TopicError) -> Topic { try Topic([Channel.instrument, symbol]) }

    public static func ohlc(_ symbol: String, intervalMinutes: Int) throws(TopicError) -> Topic {
        try Topic([Channel.ohlc, symbol, String(intervalMinutes)])
    }

    /// Private streams: one topic (one sequence) each, across all symbols.
    public static var executions: Topic { Topic(literal: "exec:") }
    public static var fills: Topic { Topic(literal: "fill:") }
    public static var balances: Topic { Topic(literal: "balance:") }
    public static var exchangeStatus: Topic { Topic(literal: "status:") }
    public static var serviceHeartbeat: Topic { Topic(literal: "hb:") }

    /// The state of one Kraken connection (feed).
    public static func connection(_ feed: String) throws(TopicError) -> Topic { try Topic([Channel.connection, feed]) }
}
