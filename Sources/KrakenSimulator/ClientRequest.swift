import KrakenWire

/// A request a client sent to the simulator, read with the same byte reader the bridge uses.
public enum ClientRequest: Sendable, Equatable {
    /// v2 `{"method":"subscribe"|"unsubscribe","params":{…},"req_id":n}`.
    case v2Subscription(isSubscribe: Bool, V2Params, requestID: UInt64?)
    /// v2 `{"method":"ping","req_id":n}`.
    case v2Ping(requestID: UInt64?)
    /// Any other v2 method (answered with an error).
    case v2Other(method: String, requestID: UInt64?)

    /// The `params` of a v2 subscription request.
    public struct V2Params: Sendable, Equatable {
        public var channel: String = ""
        public var symbols: [String] = []
        public var depth: Int?
        public var interval: Int?
        public var snapshot: Bool?
        public var token: String?
    }

    /// Parses one text frame from a client.
    public init(frame: UnsafeRawBufferPointer) throws(WireError) {
        var reader = JSONReader(frame)
        var method: String?
        var requestID: UInt64?
        var params = V2Params()
        try reader.readObject(field: "request") { (key, reader) throws(WireError) in
            if key.equals("method") { method = try reader.readString(field: "method") }
            else if key.equals("req_id") { requestID = try reader.readUInt64(field: "req_id") }
            else if key.equals("params") { params = try Self.readParams(&reader) }
            else { try reader.skipValue() }
        }
        try reader.expectEnd()
        switch method {
        case "subscribe": self = .v2Subscription(isSubscribe: true, params, requestID: requestID)
        case "unsubscribe": self = .v2Subscription(isSubscribe: false, params, requestID: requestID)
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
            else if key.equals("token") { params.token = try reader.readString(field: "token") }
            else { try reader.skipValue() }
        }
        return params
    }
}
