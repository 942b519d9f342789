import KrakenWire

/// A request a client sent to the simulator, read with the same byte reader the bridge uses.
/// v2 requests carry `method`, v1 requests carry `event`.
public enum ClientRequest: Sendable, Equatable {
    /// v2 `{"method":"subscribe"|"unsubscribe","params":{…},"req_id":n}`.
    case v2Subscription(isSubscribe: Bool, V2Params, requestID: UInt64?)
    /// v2 `{"method":"ping","req_id":n}`.
    case v2Ping(requestID: UInt64?)
    /// Any other v2 method (answered with an error).
    case v2Other(method: String, requestID: UInt64?)
    /// v1 `{"event":"subscribe"|"unsubscribe","pair":[…],"subscription":{…},"reqid":n}`.
    case v1Subscription(isSubscribe: Bool, V1Params, requestID: UInt64?)
    /// v1 `{"event":"ping","reqid":n}`.
    case v1Ping(requestID: UInt64?)
    /// Any other v1 event (answered with `Event(s) not found`).
    case v1Other(event: String, requestID: UInt64?)

    /// The `params` of a v2 subscription request.
    public struct V2Params: Sendable, Equatable {
        public var channel: String = ""
        public var symbols: [String] = []
        public var depth: Int?
        public var interval: Int?
        public var snapshot: Bool?
        public var token: String?
        /// executions: include the account's last 50 trades in the snapshot.
        public var snapTrades: Bool?
    }

    /// The `pair` and `subscription` of a v1 subscription request.
    public struct V1Params: Sendable, Equatable {
        public var name: String = ""
        /// Absent for private channels.
        public var pairs: [String]?
        public var depth: Int?
        public var interval: Int?
        public var snapshot: Bool?
        public var token: String?
    }

    /// Whether the request used protocol v1.
    public var isV1: Bool {
        switch self {
        case .v1Subscription, .v1Ping, .v1Other: true
        case .v2Subscription, .v2Ping, .v2Other: false
        }
    }

    /// Parses one text frame from a client.
    public init(frame: UnsafeRawBufferPointer) throws(WireError) {
        var reader = JSONReader(frame)
        var method: String?
        var event: String?
        var requestID: UInt64?
        var v2Params = V2Params()
        var v1Params = V1Params()
        try reader.readObject(field: "request") { (key, reader) throws(WireError) in
            if key.equals("method") { method = try reader.readString(field: "method") }
            else if key.equals("event") { event = try reader.readString(field: "event") }
            else if key.equals("req_id") || key.equals("reqid") { requestID = try reader.readUInt64(field: "req_id") }
            else if key.equals("params") { v2Params = try Self.readParams(&reader) }
            else if key.equals("pair") { v1Params.pairs = try reader.readStringArray(field: "pair") }
            else if key.equals("subscription") { try Self.readSubscription(&reader, into: &v1Params) }
            else { try reader.skipValue() }
        }
        try reader.expectEnd()
        if let event {
            switch event {
            case "subscribe": self = .v1Subscription(isSubscribe: true, v1Params, requestID: requestID)
            case "unsubscribe": self = .v1Subscription(isSubscribe: false, v1Params, requestID: requestID)
            case "ping": self = .v1Ping(requestID: requestID)
            default: self = .v1Other(event: event, requestID: requestID)
            }
            return
        }
        switch method {
        case "subscribe": self = .v2Subscription(isSubscribe: true, v2Params, requestID: requestID)
        case "unsubscribe": self = .v2Subscription(isSubscribe: false, v2Params, requestID: requestID)
        case "ping": self = .v2Ping(requestID: requestID)
        case let other?: self = .v2Other(method: other, requestID: requestID)
        case nil: throw WireError(.missingField("method"), at: 0)
        }
    }

    static func readParams(_ reader: inout JSONReader) throws(WireError) -> V2Params {
        var params = V2Params()
        try reader.readObject(field: "params") { (key, reader) throws(WireError) in
            if key.equals("channel") { params.channel = try reader.readString(field: "channel") }
            else if key.equals("symbol") { params.symbols = try reader.readStringArray(field: "symbol") }
            else if key.equals("depth") { params.depth = try reader.readInt(field: "depth") }
            else if key.equals("interval") { params.interval = try reader.readInt(field: "interval") }
            else if key.equals("snapshot") { params.snapshot = try reader.readBool(field: "snapshot") }
            else if key.equals("snap_trades") { params.snapTrades = try reader.readBool(field: "snap_trades") }
            else if key.equals("token") { params.token = try reader.readString(field: "token") }
            else { try reader.skipValue() }
        }
        return params
    }

    static func readSubscription(_ reader: inout JSONReader, into params: inout V1Params) throws(WireError) {
        try reader.readObject(field: "subscription") { (key, reader) throws(WireError) in
            if key.equals("name") { params.name = try reader.readString(field: "name") }
            else if key.equals("depth") { params.depth = try reader.readInt(field: "depth") }
            else if key.equals("interval") { params.interval = try reader.readInt(field: "interval") }
            else if key.equals("snapshot") { params.snapshot = try reader.readBool(field: "snapshot") }
            else if key.equals("token") { params.token = try reader.readString(field: "token") }
            else { try reader.skipValue() }
        }
    }
}
