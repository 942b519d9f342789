/// What `CaptureVerifier.verify` found in one capture: per book, how many of Kraken's
/// checksums the bridge's own code verified and where it first disagreed, plus the frames it
/// could not read. A value (Encodable for `krakenbridge verify --json`); nothing is printed.
public struct CaptureVerificationReport: Sendable, Equatable, Encodable {
    /// Which capture format the bytes were in.
    public enum Format: String, Sendable, Equatable, Codable {
        /// `krakenbridge record`'s JSON lines (`CaptureRecording`).
        case recording
        /// `<timestamp> <frame>` lines (`CaptureFile`).
        case plain
    }

    /// Where a frame is in the capture.
    public struct Location: Sendable, Equatable, Codable, CustomStringConvertible {
        /// 1-based, counting received frames only.
        public var frame: Int
        /// 1-based line of the capture file.
        public var line: Int

        public init(frame: Int, line: Int) {
            self.frame = frame
            self.line = line
        }

        public var description: String { "frame \(frame) (line \(line))" }
    }

    /// A received frame the bridge's parser refused.
    public struct ParseFailure: Sendable, Equatable, Codable {
        public var location: Location
        /// The parser's error (`WireError`'s description: what, and at which byte).
        public var error: String
        /// The frame's first 200 bytes.
        public var excerpt: String

        public init(location: Location, error: String, excerpt: String) {
            self.location = location
            self.error = error
            self.excerpt = excerpt
        }
    }

    /// A book message whose checksum did not match the book the bridge computed.
    public struct Mismatch: Sendable, Equatable, Codable {
        public var location: Location
        /// The checksum in the message.
        public var expected: UInt32
        /// The CRC32 of `text`: what the bridge's book gave.
        public var computed: UInt32
        /// The checksum text of the book that failed (`L2Book.checksumText`): the best 10 asks
        /// ascending then the best 10 bids descending, price then quantity digits per level,
        /// without points or leading zeros.
        public var text: String

        public init(location: Location, expected: UInt32, computed: UInt32, text: String) {
            self.location = location
            self.expected = expected
            self.computed = computed
            self.text = text
        }
    }

    /// A book message with a level the book cannot keep (more decimals than the v2
    /// instrument's precision, a price that is not positive, a negative quantity).
    public struct InvalidLevel: Sendable, Equatable, Codable {
        public var location: Location
        public var reason: String

        public init(location: Location, reason: String) {
            self.location = location
            self.reason = reason
        }
    }

    /// One book: a symbol at one depth.
    public struct Book: Sendable, Equatable, Codable {
        /// The v2 symbol (`BTC/USD`), as the bridge publishes it.
        public var symbol: String
        /// The v1 pair name the messages used (`XBT/USD`); nil for v2.
        public var v1Name: String?
        public var depth: Int
        /// Book messages for this book.
        public var messages = 0
        public var snapshots = 0
        /// Book messages that are not snapshots, whatever became of them.
        public var updates = 0
        /// Messages whose checksum matched the bridge's book: every update applied, and v2
        /// snapshots (v1 snapshots carry no checksum).
        public var verified = 0
        public var mismatches = 0
        public var invalidLevels = 0
        /// Updates before the first snapshot (a capture that starts mid-stream).
        public var ignoredBeforeSnapshot = 0
        /// Updates after a mismatch or an invalid level, until the next snapshot: the bridge
        /// drops the book and waits for a fresh one.
        public var ignoredAfterMismatch = 0
        /// v2 messages of a symbol whose precision no `instrument` message gave: the book
        /// cannot be kept, so they were not verified.
        public var withoutPrecision = 0
        public var firstMismatch: Mismatch?
        public var firstInvalidLevel: InvalidLevel?

        public init(symbol: String, v1Name: String?, depth: Int) {
            self.symbol = symbol
            self.v1Name = v1Name
            self.depth = depth
        }

        /// Whether this book's every message could be checked and agreed.
        public var isClean: Bool { mismatches == 0 && invalidLevels == 0 && withoutPrecision == 0 }
    }

    public var format: Format
    /// `v1` or `v2`: the recording's header, or (plain captures) what the frames look like.
    public var protocolVersion: String
    /// Frames received (sent frames and REST answers are not counted).
    public var frames = 0
    /// Received frames that were book messages.
    public var bookMessages = 0
    /// Received frames that parsed and are not book messages (acks, heartbeats, trades, …).
    public var otherMessages = 0
    /// Received frames the bridge's parser refused.
    public var unparsable = 0
    public var firstParseFailure: ParseFailure?
    /// By symbol, then depth.
    public var books: [Book] = []
    /// How the capture was read where that matters (`v1 names mapped by rule: no AssetPairs`).
    public var notes: [String] = []

    public init(format: Format, protocolVersion: String) {
        self.format = format
        self.protocolVersion = protocolVersion
    }

    public var verified: Int { books.reduce(0) { $0 + $1.verified } }
    public var mismatches: Int { books.reduce(0) { $0 + $1.mismatches } }
    public var invalidLevels: Int { books.reduce(0) { $0 + $1.invalidLevels } }
    public var withoutPrecision: Int { books.reduce(0) { $0 + $1.withoutPrecision } }

    /// No mismatch, no invalid level, no unparsable frame and no book left unverified for want
    /// of a precision: every book in the capture is what Kraken's checksums say.
    public var passed: Bool { unparsable == 0 && books.allSatisfy(\.isClean) }

    private enum CodingKeys: String, CodingKey {
        case passed, format, protocolVersion, frames, bookMessages, otherMessages, unparsable, firstParseFailure
        case verified, mismatches, invalidLevels, withoutPrecision, books, notes
    }

    /// The stored counts plus the verdict and totals, so a script needs only the top level.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(passed, forKey: .passed)
        try container.encode(format, forKey: .format)
        try container.encode(protocolVersion, forKey: .protocolVersion)
        try container.encode(frames, forKey: .frames)
        try container.encode(bookMessages, forKey: .bookMessages)
        try container.encode(otherMessages, forKey: .otherMessages)
        try container.encode(unparsable, forKey: .unparsable)
        try container.encodeIfPresent(firstParseFailure, forKey: .firstParseFailure)
        try container.encode(verified, forKey: .verified)
        try container.encode(mismatches, forKey: .mismatches)
        try container.encode(invalidLevels, forKey: .invalidLevels)
        try container.encode(withoutPrecision, forKey: .withoutPrecision)
        try container.encode(books, forKey: .books)
        try container.encode(notes, forKey: .notes)
    }
}
