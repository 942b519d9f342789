import FixedPoint

/// Every message a Kraken v1 WebSocket server sends that the bridge uses, parsed from the frame
/// bytes. Objects are events (`{"event":…}`); arrays are channel data, public
/// `[channelID, payload…, channelName, pair]` or private `[payload, channelName, {"sequence":n}]`.
public enum V1Message: Sendable, Equatable {
    case systemStatus(V1SystemStatus)
    case heartbeat
    case pong(requestID: UInt64?)
    case subscriptionStatus(V1SubscriptionStatus)
    /// A general error not tied to a subscription (`Malformed request`, `Exceeded msg rate`).
    case error(message: String, requestID: UInt64?)
    case ticker(V1Ticker)
    case book(V1BookMessage)
    case trade(V1TradeMessage)
    case ohlc(V1Candle)
    case spread(V1Spread)
    case ownTrades(V1OwnTradesMessage)
    case openOrders(V1OpenOrdersMessage)
}

extension V1Message {
    /// The most elements a v1 data array has (a book update touching both sides has five).
    static let maxDataElements = 5

    /// Parses one complete frame: Kraken's own compact layout of books and trades through the
    /// fast path, anything else through the general parser.
    public init(frame: UnsafeRawBufferPointer) throws(WireError) {
        if let message = V1FastPath.parse(frame) {
            self = message
            return
        }
        self = try Self(generalFrame: frame)
    }

    /// Parses a frame with the general parser only, never the layout-specific fast path (the
    /// fuzz target and the tests compare the two).
    public init(generalFrame frame: UnsafeRawBufferPointer) throws(WireError) {
        var reader = JSONReader(frame)
        switch try reader.peek() {
        case UInt8(ascii: "{"):
            var event = V1Event()
            try reader.readObject { (key, reader) throws(WireError) in try event.read(key, &reader) }
            try reader.expectEnd()
            self = try event.message()
        case UInt8(ascii: "["):
            self = try Self.readDataFrame(frame, &reader)
        default:
            throw WireError(.wrongType(field: "message", expected: "object or array"), at: reader.offset)
        }
    }

    /// The channel name comes after the payload, so the array is first walked to find where each
    /// element starts, then the payload is read knowing its channel.
    static func readDataFrame(_ frame: UnsafeRawBufferPointer, _ reader: inout JSONReader) throws(WireError) -> V1Message {
        var starts: [Int] = []
        starts.reserveCapacity(maxDataElements)
        try reader.readArray { (reader) throws(WireError) in
            guard starts.count < maxDataElements else {
                throw WireError(.unexpectedShape("more than \(maxDataElements) elements in a data array"), at: reader.offset)
            }
            try reader.skipWhitespaceAndRecord(into: &starts)
            try reader.skipValue()
        }
        try reader.expectEnd()
        guard starts.count >= 3 else { throw WireError(.unexpectedShape("data array with fewer than 3 elements"), at: 0) }
        var last = JSONReader(frame, at: starts[starts.count - 1])
        if try last.peek() == UInt8(ascii: "{") {
            return try readPrivate(frame, starts: starts)
        }
        var nameReader = JSONReader(frame, at: starts[starts.count - 2])
        let channel = try nameReader.readString(field: "channelName")
        let pair = try last.readString(field: "pair")
        let payloads = starts[1..<(starts.count - 2)]
        guard let payloadStart = payloads.first else {
            throw WireError(.unexpectedShape("data array without a payload"), at: starts[1])
        }
        var payload = JSONReader(frame, at: payloadStart)
        func single() throws(WireError) {
            guard payloads.count == 1 else {
                throw WireError(.unexpectedShape("\(channel) with \(payloads.count) payloads"), at: payloadStart)
            }
        }
        switch channel {
        case "ticker":
            try single()
            return .ticker(try V1Ticker.read(&payload, pair: pair))
        case "trade":
            try single()
            return .trade(V1TradeMessage(pair: pair, trades: try V1Trade.readArray(&payload)))
        case "spread":
            try single()
            return .spread(try V1Spread.read(&payload, pair: pair))
        default:
            if let depth = Self.suffixNumber(channel, prefix: "book-") {
                return .book(try V1BookMessage.read(frame, payloads: payloads, pair: pair, depth: depth))
            }
            if let interval = Self.suffixNumber(channel, prefix: "ohlc-") {
                try single()
                return .ohlc(try V1Candle.read(&payload, pair: pair, interval: interval))
            }
            throw WireError(.unknownEvent(channel), at: starts[starts.count - 2])
        }
    }

    static func readPrivate(_ frame: UnsafeRawBufferPointer, starts: [Int]) throws(WireError) -> V1Message {
        guard starts.count == 3 else { throw WireError(.unexpectedShape("private data array without 3 elements"), at: 0) }
        var nameReader = JSONReader(frame, at: starts[1])
        let channel = try nameReader.readString(field: "channelName")
        var sequenceReader = JSONReader(frame, at: starts[2])
        var sequence: UInt64?
        try sequenceReader.readObject(field: "sequence") { (key, reader) throws(WireError) in
            if key.equals("sequence") { sequence = try reader.readUInt64(field: "sequence") } else { try reader.skipValue() }
        }
        let number = try required(sequence, "sequence", at: starts[2])
        var payload = JSONReader(frame, at: starts[0])
        switch channel {
        case "ownTrades":
            return .ownTrades(V1OwnTradesMessage(sequence: number, trades: try V1OwnTrade.readArray(&payload)))
        case "openOrders":
            return .openOrders(V1OpenOrdersMessage(sequence: number, orders: try V1OrderUpdate.readArray(&payload)))
        default:
            throw WireError(.unknownEvent(channel), at: starts[1])
        }
    }

    /// `book-25` → 25, `ohlc-5` → 5.
    static func suffixNumber(_ channel: String, prefix: String) -> Int? {
        guard channel.hasPrefix(prefix) else { return nil }
        return Int(channel.dropFirst(prefix.count))
    }
}

extension JSONReader {
    /// Records where the next value starts (after whitespace).
    mutating func skipWhitespaceAndRecord(into starts: inout [Int]) throws(WireError) {
        _ = try peek()
        starts.append(offset)
    }
}

/// The fields of any v1 event object, gathered in one pass whatever their order (Kraken puts
/// `connectionID` before `event`).
struct V1Event {
    var event: String?
    var eventStart = 0
    var status: String?
    var version: String?
    var connectionID: UInt64?
    var requestID: UInt64?
    var errorMessage: String?
    var channelID: UInt64?
    var channelName: String?
    var pair: String?
    var subscription: V1SubscriptionStatus.Subscription?

    mutating func read(_ key: RawString, _ reader: inout JSONReader) throws(WireError) {
        if key.equals("method") || key.equals("channel") { throw WireError(.otherProtocolVersion(field: key.string), at: reader.offset) }
        if key.equals("event") {
            eventStart = reader.offset
            event = try reader.readString(field: "event")
        } else if key.equals("status") {
            status = try reader.readString(field: "status")
        } else if key.equals("version") {
            version = try reader.readString(field: "version")
        } else if key.equals("connectionID") {
            connectionID = try reader.readUInt64(field: "connectionID")
        } else if key.equals("reqid") {
            requestID = try reader.readUInt64(field: "reqid")
        } else if key.equals("errorMessage") {
            errorMessage = try reader.readString(field: "errorMessage")
        } else if key.equals("channelID") {
            channelID = try reader.readUInt64(field: "channelID")
        } else if key.equals("channelName") {
            channelName = try reader.readString(field: "channelName")
        } else if key.equals("pair") {
            pair = try reader.readString(field: "pair")
        } else if key.equals("subscription") {
            subscription = try V1SubscriptionStatus.Subscription.read(&reader)
        } else {
            try reader.skipValue()
        }
    }

    func message() throws(WireError) -> V1Message {
        switch try required(event, "event", at: 0) {
        case "heartbeat":
            return .heartbeat
        case "pong":
            return .pong(requestID: requestID)
        case "systemStatus":
            guard let status else { throw WireError(.missingField("status"), at: 0) }
            return .systemStatus(
                V1SystemStatus(
                    status: status.withRawString(ExchangeStatus.init), version: version ?? "", connectionID: connectionID))
        case "subscriptionStatus":
            let status = try required(status, "status", at: 0)
            guard let parsed = V1SubscriptionStatus.Status(rawValue: status) else {
                throw WireError(.invalidValue(field: "status", reason: "unknown value \"\(status)\""), at: 0)
            }
            return .subscriptionStatus(
                V1SubscriptionStatus(
                    status: parsed, channelName: channelName, pair: pair, requestID: requestID,
                    errorMessage: errorMessage, subscription: subscription, channelID: channelID))
        case "error":
            return .error(message: try required(errorMessage, "errorMessage", at: 0), requestID: requestID)
        case let other:
            throw WireError(.unknownEvent(other), at: eventStart)
        }
    }
}

extension String {
    /// Lends this string's bytes as a `RawString` (for keyword matchers written for frames).
    func withRawString<Value>(_ body: (RawString) -> Value) -> Value {
        var copy = self
        return copy.withUTF8 { body(RawString(bytes: UnsafeRawBufferPointer($0), hasEscapes: false)) }
    }
}
