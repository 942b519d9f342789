import FixedPoint

/// The request methods whose responses v2 sends (`method` key). Responses to methods this
/// parser does not model are still delivered, with their `result` skipped.
public enum V2Method: Sendable, Equatable {
    case ping, pong, subscribe, unsubscribe, addOrder, cancelOrder, cancelAll, cancelAllOrdersAfter
    case other(String)

    init(_ raw: RawString) {
        if raw.equals("subscribe") { self = .subscribe }
        else if raw.equals("unsubscribe") { self = .unsubscribe }
        else if raw.equals("pong") { self = .pong }
        else if raw.equals("ping") { self = .ping }
        else if raw.equals("add_order") { self = .addOrder }
        else if raw.equals("cancel_order") { self = .cancelOrder }
        else if raw.equals("cancel_all") { self = .cancelAll }
        else if raw.equals("cancel_all_orders_after") { self = .cancelAllOrdersAfter }
        else { self = .other(raw.string) }
    }
}

/// A response to a request: `{"method":…,"success":…,"result"|"error":…,"req_id":…,"time_in":…,"time_out":…}`.
/// A failed subscription names its symbol at the top level, not in `result`.
public struct V2Response: Sendable, Equatable {
    public var method: V2Method
    /// nil for `pong`, whose documented example has no `success`.
    public var success: Bool?
    public var requestID: UInt64?
    public var error: String?
    public var symbol: String?
    public var timeInNs: Int64?
    public var timeOutNs: Int64?
    public var result: V2ResponseResult?

    public init(
        method: V2Method, success: Bool? = nil, requestID: UInt64? = nil, error: String? = nil, symbol: String? = nil,
        timeInNs: Int64? = nil, timeOutNs: Int64? = nil, result: V2ResponseResult? = nil
    ) {
        self.method = method
        self.success = success
        self.requestID = requestID
        self.error = error
        self.symbol = symbol
        self.timeInNs = timeInNs
        self.timeOutNs = timeOutNs
        self.result = result
    }
}

/// The `result` of a successful response, by method.
public enum V2ResponseResult: Sendable, Equatable {
    case subscription(V2SubscriptionResult)
    /// add_order and cancel_order.
    case order(V2OrderResult)
    /// cancel_all: how many orders were cancelled.
    case cancelAll(count: Int)
    /// cancel_all_orders_after: the server's time and when the switch fires (`"0"` when disarmed).
    case cancelAllOrdersAfter(currentTime: String, triggerTime: String)
    /// The result of a method this parser does not model (skipped).
    case unmodelled

    static func read(method: V2Method, _ reader: inout JSONReader) throws(WireError) -> V2ResponseResult {
        switch method {
        case .subscribe, .unsubscribe: return .subscription(try V2SubscriptionResult.read(&reader))
        case .addOrder, .cancelOrder: return .order(try V2OrderResult.read(&reader))
        case .cancelAll:
            let start = reader.offset
            var count: Int?
            try reader.readObject(field: "result") { (key, reader) throws(WireError) in
                if key.equals("count") { count = try reader.readInt(field: "count") } else { try reader.skipValue() }
            }
            return .cancelAll(count: try required(count, "count", at: start))
        case .cancelAllOrdersAfter:
            let start = reader.offset
            var current: String?
            var trigger: String?
            try reader.readObject(field: "result") { (key, reader) throws(WireError) in
                if key.equals("currentTime") { current = try reader.readString(field: "currentTime") }
                else if key.equals("triggerTime") { trigger = try reader.readString(field: "triggerTime") }
                else { try reader.skipValue() }
            }
            return .cancelAllOrdersAfter(
                currentTime: try required(current, "currentTime", at: start),
                triggerTime: try required(trigger, "triggerTime", at: start))
        case .ping, .pong, .other:
            try reader.skipValue()
            return .unmodelled
        }
    }
}

/// What a subscribe/unsubscribe acknowledgement confirms (one per symbol).
public struct V2SubscriptionResult: Sendable, Equatable {
    public var channel: String
    public var symbol: String?
    public var depth: Int?
    public var interval: Int?
    public var snapshot: Bool?
    /// executions with `ratecounter`: the account's trading rate limit.
    public var maxRateCount: Int?
    /// Deprecation advisories (`"timestamp is deprecated, use interval_begin"`).
    public var warnings: [String]

    public init(
        channel: String, symbol: String? = nil, depth: Int? = nil, interval: Int? = nil, snapshot: Bool? = nil,
        maxRateCount: Int? = nil, warnings: [String] = []
    ) {
        self.channel = channel
        self.symbol = symbol
        self.depth = depth
        self.interval = interval
        self.snapshot = snapshot
        self.maxRateCount = maxRateCount
        self.warnings = warnings
    }

    static func read(_ reader: inout JSONReader) throws(WireError) -> V2SubscriptionResult {
        let start = reader.offset
        var channel: String?
        var result = V2SubscriptionResult(channel: "")
        try reader.readObject(field: "result") { (key, reader) throws(WireError) in
            if key.equals("channel") { channel = try reader.readString(field: "channel") }
            else if key.equals("symbol") { result.symbol = try reader.readString(field: "symbol") }
            else if key.equals("depth") { result.depth = try reader.readInt(field: "depth") }
            else if key.equals("interval") { result.interval = try reader.readInt(field: "interval") }
            else if key.equals("snapshot") { result.snapshot = try reader.readBool(field: "snapshot") }
            else if key.equals("maxratecount") { result.maxRateCount = try reader.readInt(field: "maxratecount") }
            else if key.equals("warnings") { result.warnings = try reader.readStringArray(field: "warnings") }
            else { try reader.skipValue() }
        }
        result.channel = try required(channel, "channel", at: start)
        return result
    }
}

/// add_order / cancel_order result: the order concerned (`order_id` is `""` for `validate`).
public struct V2OrderResult: Sendable, Equatable {
    public var orderID: String?
    public var clientOrderID: String?
    public var orderUserref: Int64?
    public var warnings: [String]

    public init(orderID: String? = nil, clientOrderID: String? = nil, orderUserref: Int64? = nil, warnings: [String] = []) {
        self.orderID = orderID
        self.clientOrderID = clientOrderID
        self.orderUserref = orderUserref
        self.warnings = warnings
    }

    static func read(_ reader: inout JSONReader) throws(WireError) -> V2OrderResult {
        var result = V2OrderResult()
        try reader.readObject(field: "result") { (key, reader) throws(WireError) in
            if key.equals("order_id") { result.orderID = try reader.readString(field: "order_id") }
            else if key.equals("cl_ord_id") { result.clientOrderID = try reader.readString(field: "cl_ord_id") }
            else if key.equals("order_userref") { result.orderUserref = try reader.readInt64(field: "order_userref") }
            else if key.equals("warnings") { result.warnings = try reader.readStringArray(field: "warnings") }
            else { try reader.skipValue() }
        }
        return result
    }
}
