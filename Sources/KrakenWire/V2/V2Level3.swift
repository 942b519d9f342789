import FixedPoint

/// A v2 `level3` message for one symbol: individual orders. Snapshot orders have no `event`;
/// updates say `add`, `modify` (quantity changed) or `delete`.
public struct V2Level3Message: Sendable, Equatable {
    public var kind: MessageKind
    public var symbol: String
    public var bids: [V2Level3Order]
    public var asks: [V2Level3Order]
    public var checksum: UInt32
    public var timestampNs: Int64?

    public init(
        kind: MessageKind, symbol: String, bids: [V2Level3Order], asks: [V2Level3Order], checksum: UInt32,
        timestampNs: Int64?
    ) {
        self.kind = kind
        self.symbol = symbol
        self.bids = bids
        self.asks = asks
        self.checksum = checksum
        self.timestampNs = timestampNs
    }

    static func readData(kind: MessageKind, _ reader: inout JSONReader) throws(WireError) -> V2Level3Message {
        try V2Data.readOnly(&reader, what: "level3 book") { (reader) throws(WireError) in
            let start = reader.offset
            var symbol: String?
            var checksum: UInt32?
            var message = V2Level3Message(kind: kind, symbol: "", bids: [], asks: [], checksum: 0, timestampNs: nil)
            try reader.readObject(field: "data[]") { (key, reader) throws(WireError) in
                if key.equals("bids") { message.bids = try V2Level3Order.readArray(&reader, field: "bids") }
                else if key.equals("asks") { message.asks = try V2Level3Order.readArray(&reader, field: "asks") }
                else if key.equals("symbol") { symbol = try reader.readString(field: "symbol") }
                else if key.equals("checksum") { checksum = try reader.readChecksum(field: "checksum") }
                else if key.equals("timestamp") { message.timestampNs = try reader.readTimestamp(field: "timestamp") }
                else { try reader.skipValue() }
            }
            message.symbol = try required(symbol, "symbol", at: start)
            message.checksum = try required(checksum, "checksum", at: start)
            return message
        }
    }
}

/// One order of a level-3 book.
public struct V2Level3Order: Sendable, Equatable {
    public enum Event: Sendable, Equatable { case add, modify, delete }

    /// nil in snapshots.
    public var event: Event?
    public var orderID: String
    public var limitPrice: FixedDecimal
    public var quantity: FixedDecimal
    public var timestampNs: Int64

    public init(event: Event?, orderID: String, limitPrice: FixedDecimal, quantity: FixedDecimal, timestampNs: Int64) {
        self.event = event
        self.orderID = orderID
        self.limitPrice = limitPrice
        self.quantity = quantity
        self.timestampNs = timestampNs
    }

    static func readArray(_ reader: inout JSONReader, field: String) throws(WireError) -> [V2Level3Order] {
        var orders: [V2Level3Order] = []
        try reader.readArray(field: field) { (reader) throws(WireError) in
            let start = reader.offset
            var event: Event?
            var orderID: String?
            var price: FixedDecimal?
            var quantity: FixedDecimal?
            var timestamp: Int64?
            try reader.readObject(field: field) { (key, reader) throws(WireError) in
                if key.equals("order_id") { orderID = try reader.readString(field: "order_id") }
                else if key.equals("limit_price") { price = try reader.readDecimal(field: "limit_price") }
                else if key.equals("order_qty") { quantity = try reader.readDecimal(field: "order_qty") }
                else if key.equals("timestamp") { timestamp = try reader.readTimestamp(field: "timestamp") }
                else if key.equals("event") {
                    event = try reader.readKeyword(field: "event") { raw in
                        raw.equals("add") ? .add : raw.equals("modify") ? .modify : raw.equals("delete") ? .delete : nil
                    }
                } else { try reader.skipValue() }
            }
            orders.append(
                V2Level3Order(
                    event: event, orderID: try required(orderID, "order_id", at: start),
                    limitPrice: try required(price, "limit_price", at: start),
                    quantity: try required(quantity, "order_qty", at: start),
                    timestampNs: try required(timestamp, "timestamp", at: start)))
        }
        return orders
    }
}
