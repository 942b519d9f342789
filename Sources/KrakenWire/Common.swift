import FixedPoint

/// Whether a channel message is the snapshot sent on subscribe or a live update.
public enum MessageKind: Sendable, Equatable {
    case snapshot, update

    static func read(_ reader: inout JSONReader) throws(WireError) -> MessageKind {
        try reader.readKeyword(field: "type") { raw in
            raw.equals("update") ? .update : raw.equals("snapshot") ? .snapshot : nil
        }
    }
}

/// Buy or sell: the taker's side for public trades, the order's side for private events.
public enum Side: Sendable, Equatable {
    case buy, sell

    static func read(_ reader: inout JSONReader, field: String) throws(WireError) -> Side {
        try reader.readKeyword(field: field) { raw in
            raw.equals("buy") ? .buy : raw.equals("sell") ? .sell : nil
        }
    }
}

/// The trading engine's state (v2 `status.system`, v1 `systemStatus.status`). Values Kraken may
/// add later are kept as text rather than failing the frame, so the bridge can still report them.
public enum ExchangeStatus: Sendable, Equatable {
    case online, maintenance, cancelOnly, postOnly
    case other(String)

    init(_ raw: RawString) {
        if raw.equals("online") { self = .online }
        else if raw.equals("maintenance") { self = .maintenance }
        else if raw.equals("cancel_only") { self = .cancelOnly }
        else if raw.equals("post_only") { self = .postOnly }
        else { self = .other(raw.string) }
    }

    static func read(_ reader: inout JSONReader, field: String) throws(WireError) -> ExchangeStatus {
        guard try reader.peek() == UInt8(ascii: "\"") else {
            throw WireError(.wrongType(field: field, expected: "string"), at: reader.offset)
        }
        return ExchangeStatus(try reader.readRawString())
    }
}

/// One price level as Kraken sent it: exact decimals with the digits of the frame.
public struct PriceLevel: Sendable, Equatable {
    public var price: FixedDecimal
    public var quantity: FixedDecimal

    public init(price: FixedDecimal, quantity: FixedDecimal) {
        self.price = price
        self.quantity = quantity
    }
}

/// A fee charged in one asset.
public struct Fee: Sendable, Equatable {
    public var asset: String
    public var quantity: FixedDecimal

    public init(asset: String, quantity: FixedDecimal) {
        self.asset = asset
        self.quantity = quantity
    }
}
