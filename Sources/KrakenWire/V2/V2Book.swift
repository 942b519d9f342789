import FixedPoint

/// A v2 `book` message for one symbol: the snapshot sent on subscribe or an update. Levels are
/// in frame order (updates are not sorted and may touch one price twice; apply in order) with
/// quantity 0 meaning delete. The checksum covers the book after the message is applied and
/// truncated to the subscribed depth.
public struct V2BookMessage: Sendable, Equatable {
    public var kind: MessageKind
    public var symbol: String
    public var bids: [PriceLevel]
    public var asks: [PriceLevel]
    public var checksum: UInt32
    /// Absent from some snapshots.
    public var timestampNs: Int64?

    public init(
        kind: MessageKind, symbol: String, bids: [PriceLevel], asks: [PriceLevel], checksum: UInt32, timestampNs: Int64?
    ) {
        self.kind = kind
        self.symbol = symbol
        self.bids = bids
        self.asks = asks
        self.checksum = checksum
        self.timestampNs = timestampNs
    }

    static func readData(kind: MessageKind, _ reader: inout JSONReader) throws(WireError) -> V2BookMessage {
        try V2Data.readOnly(&reader, what: "book") { (reader) throws(WireError) in try read(kind: kind, &reader) }
    }

    static func read(kind: MessageKind, _ reader: inout JSONReader) throws(WireError) -> V2BookMessage {
        let start = reader.offset
        var symbol: String?
        var checksum: UInt32?
        var message = V2BookMessage(kind: kind, symbol: "", bids: [], asks: [], checksum: 0, timestampNs: nil)
        try reader.readObject(field: "data[]") { (key, reader) throws(WireError) in
            if key.equals("bids") { try readLevels(&reader, field: "bids", into: &message.bids) }
            else if key.equals("asks") { try readLevels(&reader, field: "asks", into: &message.asks) }
            else if key.equals("symbol") { symbol = try reader.readString(field: "symbol") }
            else if key.equals("checksum") { checksum = try reader.readChecksum(field: "checksum") }
            else if key.equals("timestamp") { message.timestampNs = try reader.readTimestamp(field: "timestamp") }
            else { try reader.skipValue() }
        }
        message.symbol = try required(symbol, "symbol", at: start)
        message.checksum = try required(checksum, "checksum", at: start)
        return message
    }

    static func readLevels(_ reader: inout JSONReader, field: String, into levels: inout [PriceLevel]) throws(WireError) {
        try reader.readArray(field: field) { (reader) throws(WireError) in
            let start = reader.offset
            var price: FixedDecimal?
            var quantity: FixedDecimal?
            try reader.readObject(field: field) { (key, reader) throws(WireError) in
                if key.equals("price") { price = try reader.readDecimal(field: "price") }
                else if key.equals("qty") { quantity = try reader.readDecimal(field: "qty") }
                else { try reader.skipValue() }
            }
            levels.append(
                PriceLevel(price: try required(price, "price", at: start), quantity: try required(quantity, "qty", at: start)))
        }
    }
}
