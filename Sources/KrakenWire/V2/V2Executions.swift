import FixedPoint

/// A v2 `executions` message: order lifecycle events and fills, with the subscription's
/// sequence number (consecutive per subscription; a jump is a gap).
public struct V2ExecutionsMessage: Sendable, Equatable {
    public var kind: MessageKind
    public var sequence: UInt64
    public var reports: [V2Execution]

    public init(kind: MessageKind, sequence: UInt64, reports: [V2Execution]) {
        self.kind = kind
        self.sequence = sequence
        self.reports = reports
    }

    static func readData(_ reader: inout JSONReader) throws(WireError) -> [V2Execution] {
        var reports: [V2Execution] = []
        try reader.readArray(field: "data") { (reader) throws(WireError) in reports.append(try V2Execution.read(&reader)) }
        return reports
    }
}

/// What happened to an order (`exec_type`).
public enum ExecutionType: Sendable, Equatable {
    case pendingNew, new, trade, filled, icebergRefill, canceled, expired, amended, restated, status
    /// A value Kraken added after this parser was written; kept so it can be counted, not lost.
    case unknown(String)

    init(_ raw: RawString) {
        if raw.equals("trade") { self = .trade }
        else if raw.equals("new") { self = .new }
        else if raw.equals("pending_new") { self = .pendingNew }
        else if raw.equals("filled") { self = .filled }
        else if raw.equals("canceled") { self = .canceled }
        else if raw.equals("expired") { self = .expired }
        else if raw.equals("iceberg_refill") { self = .icebergRefill }
        else if raw.equals("amended") { self = .amended }
        else if raw.equals("restated") { self = .restated }
        else if raw.equals("status") { self = .status }
        else { self = .unknown(raw.string) }
    }
}

/// The order's state after the event (`order_status`).
public enum OrderStatus: Sendable, Equatable {
    case pendingNew, new, partiallyFilled, filled, canceled, expired
    case unknown(String)

    init(_ raw: RawString) {
        if raw.equals("new") { self = .new }
        else if raw.equals("partially_filled") { self = .partiallyFilled }
        else if raw.equals("filled") { self = .filled }
        else if raw.equals("canceled") { self = .canceled }
        else if raw.equals("pending_new") { self = .pendingNew }
        else if raw.equals("expired") { self = .expired }
        else { self = .unknown(raw.string) }
    }
}

/// Kraken's order types (v2 spelling; v1 uses the same words).
public enum OrderType: Sendable, Equatable {
    case limit, market, iceberg, stopLoss, stopLossLimit, takeProfit, takeProfitLimit, trailingStop, trailingStopLimit
    case settlePosition
    case unknown(String)

    init(_ raw: RawString) {
        if raw.equals("limit") { self = .limit }
        else if raw.equals("market") { self = .market }
        else if raw.equals("iceberg") { self = .iceberg }
        else if raw.equals("stop-loss") { self = .stopLoss }
        else if raw.equals("stop-loss-limit") { self = .stopLossLimit }
        else if raw.equals("take-profit") { self = .takeProfit }
        else if raw.equals("take-profit-limit") { self = .takeProfitLimit }
        else if raw.equals("trailing-stop") { self = .trailingStop }
        else if raw.equals("trailing-stop-limit") { self = .trailingStopLimit }
        else if raw.equals("settle-position") { self = .settlePosition }
        else { self = .unknown(raw.string) }
    }
}

/// Maker or taker (`liquidity_ind`).
public enum Liquidity: Sendable, Equatable { case maker, taker }

/// One execution report. Updates are sparse (a `new` event carries little more than ids and
/// statuses), so everything but the order id and event type is optional; the ingest keeps an
/// order cache to fill the gaps.
public struct V2Execution: Sendable, Equatable {
    public var execType: ExecutionType
    public var orderID: String
    public var orderStatus: OrderStatus?
    public var execID: String?
    public var tradeID: UInt64?
    public var clientOrderID: String?
    public var orderUserref: Int64?
    public var symbol: String?
    public var side: Side?
    public var orderType: OrderType?
    public var orderQuantity: FixedDecimal?
    public var cashOrderQuantity: FixedDecimal?
    public var limitPrice: FixedDecimal?
    /// `triggers.price` of stop / take-profit / trailing orders.
    public var triggerPrice: FixedDecimal?
    public var timeInForce: String?
    public var postOnly: Bool?
    public var reduceOnly: Bool?
    public var cumulativeQuantity: FixedDecimal?
    public var cumulativeCost: FixedDecimal?
    public var averagePrice: FixedDecimal?
    public var lastQuantity: FixedDecimal?
    public var lastPrice: FixedDecimal?
    public var cost: FixedDecimal?
    public var liquidity: Liquidity?
    public var fees: [Fee] = []
    public var feeUSDEquivalent: FixedDecimal?
    public var reason: String?
    public var timestampNs: Int64?

    static func read(_ reader: inout JSONReader) throws(WireError) -> V2Execution {
        let start = reader.offset
        var execType: ExecutionType?
        var orderID: String?
        var report = V2Execution(execType: .new, orderID: "")
        try reader.readObject(field: "data[]") { (key, reader) throws(WireError) in
            if key.equals("exec_type") {
                execType = ExecutionType(try reader.readKeyword(field: "exec_type") { $0 })
            } else if key.equals("order_id") {
                orderID = try reader.readString(field: "order_id")
            } else if key.equals("order_status") {
                report.orderStatus = OrderStatus(try reader.readKeyword(field: "order_status") { $0 })
            } else {
                try report.readOptional(key, &reader)
            }
        }
        report.execType = try required(execType, "exec_type", at: start)
        report.orderID = try required(orderID, "order_id", at: start)
        return report
    }

    private mutating func readOptional(_ key: RawString, _ reader: inout JSONReader) throws(WireError) {
        if key.equals("exec_id") { execID = try reader.readString(field: "exec_id") }
        else if key.equals("trade_id") { tradeID = try reader.readUInt64(field: "trade_id") }
        else if key.equals("cl_ord_id") { clientOrderID = try reader.readString(field: "cl_ord_id") }
        else if key.equals("order_userref") { orderUserref = try reader.readInt64(field: "order_userref") }
        else if key.equals("symbol") { symbol = try reader.readString(field: "symbol") }
        else if key.equals("side") { side = try Side.read(&reader, field: "side") }
        else if key.equals("order_type") { orderType = OrderType(try reader.readKeyword(field: "order_type") { $0 }) }
        else if key.equals("order_qty") { orderQuantity = try reader.readOptionalDecimal(field: "order_qty") }
        else if key.equals("cash_order_qty") { cashOrderQuantity = try reader.readOptionalDecimal(field: "cash_order_qty") }
        else if key.equals("limit_price") { limitPrice = try reader.readOptionalDecimal(field: "limit_price") }
        else if key.equals("triggers") { try readTriggers(&reader) }
        else if key.equals("time_in_force") { timeInForce = try reader.readString(field: "time_in_force") }
        else if key.equals("post_only") { postOnly = try reader.readBool(field: "post_only") }
        else if key.equals("reduce_only") { reduceOnly = try reader.readBool(field: "reduce_only") }
        else if key.equals("cum_qty") { cumulativeQuantity = try reader.readOptionalDecimal(field: "cum_qty") }
        else if key.equals("cum_cost") { cumulativeCost = try reader.readOptionalDecimal(field: "cum_cost") }
        else if key.equals("avg_price") { averagePrice = try reader.readOptionalDecimal(field: "avg_price") }
        else if key.equals("last_qty") { lastQuantity = try reader.readOptionalDecimal(field: "last_qty") }
        else if key.equals("last_price") { lastPrice = try reader.readOptionalDecimal(field: "last_price") }
        else if key.equals("cost") { cost = try reader.readOptionalDecimal(field: "cost") }
        else if key.equals("liquidity_ind") {
            liquidity = try reader.readKeyword(field: "liquidity_ind") { raw in
                raw.equals("m") ? .maker : raw.equals("t") ? .taker : nil
            }
        } else if key.equals("fees") { fees = try Self.readFees(&reader) }
        else if key.equals("fee_usd_equiv") { feeUSDEquivalent = try reader.readOptionalDecimal(field: "fee_usd_equiv") }
        else if key.equals("reason") { reason = try reader.readString(field: "reason") }
        else if key.equals("timestamp") { timestampNs = try reader.readTimestamp(field: "timestamp") }
        else { try reader.skipValue() }
    }

    private mutating func readTriggers(_ reader: inout JSONReader) throws(WireError) {
        try reader.readObject(field: "triggers") { (key, reader) throws(WireError) in
            if key.equals("price") { triggerPrice = try reader.readOptionalDecimal(field: "triggers.price") }
            else { try reader.skipValue() }
        }
    }

    static func readFees(_ reader: inout JSONReader) throws(WireError) -> [Fee] {
        var fees: [Fee] = []
        try reader.readArray(field: "fees") { (reader) throws(WireError) in
            let start = reader.offset
            var asset: String?
            var quantity: FixedDecimal?
            try reader.readObject(field: "fees[]") { (key, reader) throws(WireError) in
                if key.equals("asset") { asset = try reader.readString(field: "asset") }
                else if key.equals("qty") { quantity = try reader.readDecimal(field: "qty") }
                else { try reader.skipValue() }
            }
            fees.append(Fee(asset: try required(asset, "asset", at: start), quantity: try required(quantity, "qty", at: start)))
        }
        return fees
    }
}
