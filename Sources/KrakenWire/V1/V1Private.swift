import FixedPoint

/// v1 `ownTrades`: the account's fills, keyed by trade id, with the subscription's sequence.
/// The snapshot replays the last 50 trades on every subscribe: de-duplicate by trade id.
public struct V1OwnTradesMessage: Sendable, Equatable {
    public var sequence: UInt64
    public var trades: [V1OwnTrade]

    public init(sequence: UInt64, trades: [V1OwnTrade]) {
        self.sequence = sequence
        self.trades = trades
    }
}

/// One own trade. Numbers are strings in v1 and kept exact.
public struct V1OwnTrade: Sendable, Equatable {
    public var tradeID: String
    public var orderID: String
    public var positionID: String?
    public var pair: String
    public var timeNs: Int64
    public var side: Side
    public var orderType: OrderType
    public var price: FixedDecimal
    public var cost: FixedDecimal
    public var fee: FixedDecimal
    public var volume: FixedDecimal
    public var margin: FixedDecimal?
    /// Updates only.
    public var userref: Int64?
    public var clientOrderID: String?

    /// `[{tradeid: {…}}, …]` — each element is an object with one key per trade.
    static func readArray(_ reader: inout JSONReader) throws(WireError) -> [V1OwnTrade] {
        var trades: [V1OwnTrade] = []
        try reader.readArray(field: "ownTrades") { (reader) throws(WireError) in
            try reader.readObject(field: "ownTrades[]") { (key, reader) throws(WireError) in
                trades.append(try read(tradeID: key.string, &reader))
            }
        }
        return trades
    }

    static func read(tradeID: String, _ reader: inout JSONReader) throws(WireError) -> V1OwnTrade {
        let start = reader.offset
        var orderID: String?
        var pair: String?
        var time: Int64?
        var side: Side?
        var orderType: OrderType?
        var price: FixedDecimal?
        var cost: FixedDecimal?
        var fee: FixedDecimal?
        var volume: FixedDecimal?
        var trade = V1OwnTrade(
            tradeID: tradeID, orderID: "", pair: "", timeNs: 0, side: .buy, orderType: .limit, price: .zero, cost: .zero,
            fee: .zero, volume: .zero)
        try reader.readObject(field: "trade") { (key, reader) throws(WireError) in
            if key.equals("ordertxid") { orderID = try reader.readString(field: "ordertxid") }
            else if key.equals("postxid") { trade.positionID = try reader.readString(field: "postxid") }
            else if key.equals("pair") { pair = try reader.readString(field: "pair") }
            else if key.equals("time") { time = try reader.readEpochSeconds(field: "time") }
            else if key.equals("type") { side = try Side.read(&reader, field: "type") }
            else if key.equals("ordertype") { orderType = OrderType(try reader.readKeyword(field: "ordertype") { $0 }) }
            else if key.equals("price") { price = try reader.readDecimal(field: "price") }
            else if key.equals("cost") { cost = try reader.readDecimal(field: "cost") }
            else if key.equals("fee") { fee = try reader.readDecimal(field: "fee") }
            else if key.equals("vol") { volume = try reader.readDecimal(field: "vol") }
            else if key.equals("margin") { trade.margin = try reader.readOptionalDecimal(field: "margin") }
            else if key.equals("userref") { trade.userref = try reader.readInt64(field: "userref") }
            else if key.equals("cl_ord_id") { trade.clientOrderID = try reader.readString(field: "cl_ord_id") }
            else { try reader.skipValue() }
        }
        trade.orderID = try required(orderID, "ordertxid", at: start)
        trade.pair = try required(pair, "pair", at: start)
        trade.timeNs = try required(time, "time", at: start)
        trade.side = try required(side, "type", at: start)
        trade.orderType = try required(orderType, "ordertype", at: start)
        trade.price = try required(price, "price", at: start)
        trade.cost = try required(cost, "cost", at: start)
        trade.fee = try required(fee, "fee", at: start)
        trade.volume = try required(volume, "vol", at: start)
        return trade
    }
}

/// v1 `openOrders`: order states keyed by order id, with the subscription's sequence. The
/// snapshot carries full orders; updates carry only what changed (`{"OGTT3Y-…":{"status":"closed"}}`),
/// so every field but the id is optional.
public struct V1OpenOrdersMessage: Sendable, Equatable {
    public var sequence: UInt64
    public var orders: [V1OrderUpdate]

    public init(sequence: UInt64, orders: [V1OrderUpdate]) {
        self.sequence = sequence
        self.orders = orders
    }
}

/// v1 order status (same words as REST).
public enum V1OrderStatus: Sendable, Equatable {
    case pending, open, closed, canceled, expired
    case unknown(String)

    init(_ raw: RawString) {
        if raw.equals("open") { self = .open }
        else if raw.equals("closed") { self = .closed }
        else if raw.equals("canceled") { self = .canceled }
        else if raw.equals("pending") { self = .pending }
        else if raw.equals("expired") { self = .expired }
        else { self = .unknown(raw.string) }
    }
}

/// One order's state or change.
public struct V1OrderUpdate: Sendable, Equatable {
    /// The `descr` object of a full order.
    public struct Description: Sendable, Equatable {
        public var pair: String?
        public var side: Side?
        public var orderType: OrderType?
        public var price: FixedDecimal?
        public var price2: FixedDecimal?
    }

    public var orderID: String
    public var status: V1OrderStatus?
    public var userref: Int64?
    public var clientOrderID: String?
    public var openTimeNs: Int64?
    public var lastUpdatedNs: Int64?
    public var volume: FixedDecimal?
    public var volumeExecuted: FixedDecimal?
    public var cost: FixedDecimal?
    public var fee: FixedDecimal?
    public var averagePrice: FixedDecimal?
    public var limitPrice: FixedDecimal?
    public var stopPrice: FixedDecimal?
    public var timeInForce: String?
    public var cancelReason: String?
    public var description: Description?

    static func readArray(_ reader: inout JSONReader) throws(WireError) -> [V1OrderUpdate] {
        var orders: [V1OrderUpdate] = []
        try reader.readArray(field: "openOrders") { (reader) throws(WireError) in
            try reader.readObject(field: "openOrders[]") { (key, reader) throws(WireError) in
                orders.append(try read(orderID: key.string, &reader))
            }
        }
        return orders
    }

    static func read(orderID: String, _ reader: inout JSONReader) throws(WireError) -> V1OrderUpdate {
        var order = V1OrderUpdate(orderID: orderID)
        try reader.readObject(field: "order") { (key, reader) throws(WireError) in
            if key.equals("status") { order.status = V1OrderStatus(try reader.readKeyword(field: "status") { $0 }) }
            else if key.equals("userref") { order.userref = try reader.readNullIfPresent() ? nil : try reader.readInt64(field: "userref") }
            else if key.equals("cl_ord_id") { order.clientOrderID = try reader.readString(field: "cl_ord_id") }
            else if key.equals("opentm") { order.openTimeNs = try reader.readEpochSeconds(field: "opentm") }
            else if key.equals("lastupdated") { order.lastUpdatedNs = try reader.readEpochSeconds(field: "lastupdated") }
            else if key.equals("vol") { order.volume = try reader.readOptionalDecimal(field: "vol") }
            else if key.equals("vol_exec") { order.volumeExecuted = try reader.readOptionalDecimal(field: "vol_exec") }
            else if key.equals("cost") { order.cost = try reader.readOptionalDecimal(field: "cost") }
            else if key.equals("fee") { order.fee = try reader.readOptionalDecimal(field: "fee") }
            else if key.equals("avg_price") { order.averagePrice = try reader.readOptionalDecimal(field: "avg_price") }
            else if key.equals("limitprice") { order.limitPrice = try reader.readOptionalDecimal(field: "limitprice") }
            else if key.equals("stopprice") { order.stopPrice = try reader.readOptionalDecimal(field: "stopprice") }
            else if key.equals("timeinforce") { order.timeInForce = try reader.readString(field: "timeinforce") }
            else if key.equals("cancel_reason") { order.cancelReason = try reader.readNullIfPresent() ? nil : try reader.readString(field: "cancel_reason") }
            else if key.equals("descr") { order.description = try readDescription(&reader) }
            else { try reader.skipValue() }
        }
        return order
    }

    static func readDescription(_ reader: inout JSONReader) throws(WireError) -> Description {
        var description = Description()
        try reader.readObject(field: "descr") { (key, reader) throws(WireError) in
            if key.equals("pair") { description.pair = try reader.readString(field: "descr.pair") }
            else if key.equals("type") { description.side = try Side.read(&reader, field: "descr.type") }
            else if key.equals("ordertype") { description.orderType = OrderType(try reader.readKeyword(field: "descr.ordertype") { $0 }) }
            else if key.equals("price") { description.price = try reader.readOptionalDecimal(field: "descr.price") }
            else if key.equals("price2") { description.price2 = try reader.readOptionalDecimal(field: "descr.price2") }
            else { try reader.skipValue() }
        }
        return description
    }
}
