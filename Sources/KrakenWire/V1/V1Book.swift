import FixedPoint

/// A v1 `book-<depth>` message. A snapshot (`as`/`bs`) has no checksum; an update has `a`
/// and/or `b` — in one object or two — and the checksum `c` in the last one.
public struct V1BookMessage: Sendable, Equatable {
    public var pair: String
    public var depth: Int
    public var isSnapshot: Bool
    /// In frame order; apply in this order.
    public var asks: [V1BookLevel]
    public var bids: [V1BookLevel]
    public var checksum: UInt32?

    public init(pair: String, depth: Int, isSnapshot: Bool, asks: [V1BookLevel], bids: [V1BookLevel], checksum: UInt32?) {
        self.pair = pair
        self.depth = depth
        self.isSnapshot = isSnapshot
        self.asks = asks
        self.bids = bids
        self.checksum = checksum
    }

    static func read(
        _ frame: UnsafeRawBufferPointer, payloads: ArraySlice<Int>, pair: String, depth: Int
    ) throws(WireError) -> V1BookMessage {
        var message = V1BookMessage(pair: pair, depth: depth, isSnapshot: false, asks: [], bids: [], checksum: nil)
        var sawSnapshot = false
        var sawUpdate = false
        for start in payloads {
            var reader = JSONReader(frame, at: start)
            try reader.readObject(field: "book") { (key, reader) throws(WireError) in
                if key.equals("as") {
                    sawSnapshot = true
                    try V1BookLevel.readArray(&reader, field: "as", into: &message.asks)
                } else if key.equals("bs") {
                    sawSnapshot = true
                    try V1BookLevel.readArray(&reader, field: "bs", into: &message.bids)
                } else if key.equals("a") {
                    sawUpdate = true
                    try V1BookLevel.readArray(&reader, field: "a", into: &message.asks)
                } else if key.equals("b") {
                    sawUpdate = true
                    try V1BookLevel.readArray(&reader, field: "b", into: &message.bids)
                } else if key.equals("c") {
                    message.checksum = try reader.readChecksum(field: "c")
                } else {
                    try reader.skipValue()
                }
            }
        }
        guard sawSnapshot != sawUpdate else {
            throw WireError(.unexpectedShape(sawSnapshot ? "book mixes snapshot and update keys" : "book without levels"), at: payloads.first!)
        }
        message.isSnapshot = sawSnapshot
        return message
    }
}

/// `[price, volume, timestamp]` or `[price, volume, timestamp, "r"]`: volume 0 deletes; `r`
/// marks a level re-sent because it entered the subscribed window (its timestamp is old).
public struct V1BookLevel: Sendable, Equatable {
    public var price: FixedDecimal
    public var volume: FixedDecimal
    public var timestampNs: Int64
    public var isRepublished: Bool

    public init(price: FixedDecimal, volume: FixedDecimal, timestampNs: Int64, isRepublished: Bool = false) {
        self.price = price
        self.volume = volume
        self.timestampNs = timestampNs
        self.isRepublished = isRepublished
    }

    static func readArray(_ reader: inout JSONReader, field: String, into levels: inout [V1BookLevel]) throws(WireError) {
        try reader.readArray(field: field) { (reader) throws(WireError) in
            let start = reader.offset
            var index = 0
            var level = V1BookLevel(price: .zero, volume: .zero, timestampNs: 0)
            try reader.readArray(field: field) { (reader) throws(WireError) in
                switch index {
                case 0: level.price = try reader.readDecimal(field: "price")
                case 1: level.volume = try reader.readDecimal(field: "volume")
                case 2: level.timestampNs = try reader.readEpochSeconds(field: "timestamp")
                case 3:
                    let flagStart = reader.offset
                    guard try reader.readKeyword(field: "update type", { $0 }).equals("r") else {
                        throw WireError(.invalidValue(field: "update type", reason: "only \"r\" is defined"), at: flagStart)
                    }
                    level.isRepublished = true
                default:
                    throw WireError(.unexpectedShape("book level with more than 4 elements"), at: reader.offset)
                }
                index += 1
            }
            guard index >= 3 else { throw WireError(.unexpectedShape("book level with \(index) elements"), at: start) }
            levels.append(level)
        }
    }
}
