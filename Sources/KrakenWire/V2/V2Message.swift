import FixedPoint

/// Every message a Kraken v2 WebSocket server sends, parsed from the frame bytes.
///
/// Dispatch follows Kraken's rule: an object with `method` is a response to a request; an
/// object with `channel` is a stream message. Unknown fields are skipped (Kraken adds fields);
/// unknown channels, wrong types and missing fields are `WireError`s naming the field and
/// byte offset.
public enum V2Message: Sendable, Equatable {
    case status(V2Status)
    case heartbeat
    /// The answer to any request: ping, subscribe/unsubscribe, trading methods.
    // Large payloads are boxed so every message stays small to move around.
    indirect case response(V2Response)
    indirect case ticker(V2TickerMessage)
    case book(V2BookMessage)
    case trade(V2TradeMessage)
    case ohlc(V2OHLCMessage)
    case instrument(V2InstrumentMessage)
    case level3(V2Level3Message)
    case executions(V2ExecutionsMessage)
    case balances(V2BalancesMessage)
}

/// The v2 stream channels.
public enum V2Channel: Sendable, Hashable, CaseIterable {
    case status, heartbeat, ticker, book, trade, ohlc, instrument, level3, executions, balances

    /// The name on the wire.
    public var name: String {
        switch self {
        case .status: "status"
        case .heartbeat: "heartbeat"
        case .ticker: "ticker"
        case .book: "book"
        case .trade: "trade"
        case .ohlc: "ohlc"
        case .instrument: "instrument"
        case .level3: "level3"
        case .executions: "executions"
        case .balances: "balances"
        }
    }

    init?(_ raw: RawString) {
        if raw.equals("book") { self = .book }
        else if raw.equals("trade") { self = .trade }
        else if raw.equals("ticker") { self = .ticker }
        else if raw.equals("heartbeat") { self = .heartbeat }
        else if raw.equals("ohlc") { self = .ohlc }
        else if raw.equals("level3") { self = .level3 }
        else if raw.equals("executions") { self = .executions }
        else if raw.equals("balances") { self = .balances }
        else if raw.equals("status") { self = .status }
        else if raw.equals("instrument") { self = .instrument }
        else { return nil }
    }
}

extension V2Message {
    /// Parses one complete frame.
    public init(frame: UnsafeRawBufferPointer) throws(WireError) {
        if let message = V2FastPath.parse(frame) {
            self = message
            return
        }
        self = try Self(generalFrame: frame)
    }

    /// Parses a frame with the general parser only, never the layout-specific fast path —
    /// for tests and the fuzz target, which check that both agree.
    public init(generalFrame frame: UnsafeRawBufferPointer) throws(WireError) {
        var reader = JSONReader(frame)
        guard try reader.peek() == UInt8(ascii: "{") else {
            throw WireError(.wrongType(field: "message", expected: "object"), at: reader.offset)
        }
        var envelope = V2Envelope()
        try reader.readObject { (key, reader) throws(WireError) in try envelope.read(key, &reader) }
        try reader.expectEnd()
        self = try envelope.message(frame: frame)
    }
}

/// The top-level fields of a v2 message, gathered in one pass. `data` and `result` are parsed
/// in place when the keys that give them meaning (`channel`, `type`, `method`) came first — as
/// Kraken sends them — and otherwise revisited once the whole object has been read.
struct V2Envelope {
    var channel: V2Channel?
    var kind: MessageKind?
    var method: V2Method?
    var sequence: UInt64?
    var timestampNs: Int64?
    var data: V2Data?
    var deferredData: Int?
    /// Response fields, allocated only when the message is a response, so stream messages
    /// (the hot path) do not carry them.
    var responseBox: ResponseBox?
    var deferredResult: Int?


    final class ResponseBox {
        var response = V2Response(method: .ping)
    }

    var response: V2Response {
        get { responseBox?.response ?? V2Response(method: .ping) }
        set {
            if responseBox == nil { responseBox = ResponseBox() }
            responseBox!.response = newValue
        }
    }

    mutating func read(_ key: RawString, _ reader: inout JSONReader) throws(WireError) {
        if key.equals("event") { throw WireError(.otherProtocolVersion(field: "event"), at: reader.offset) }
        if key.equals("channel") {
            let start = reader.offset
            let name = try reader.readKeyword(field: "channel") { $0 }
            guard let channel = V2Channel(name) else { throw WireError(.unknownChannel(name.string), at: start) }
            self.channel = channel
        } else if key.equals("type") {
            kind = try MessageKind.read(&reader)
        } else if key.equals("data") {
            if let channel, let kind {
                data = try V2Data.read(channel: channel, kind: kind, &reader)
            } else {
                deferredData = reader.offset
                try reader.skipValue()
            }
        } else if key.equals("sequence") {
            sequence = try reader.readUInt64(field: "sequence")
        } else if key.equals("timestamp") {
            timestampNs = try reader.readTimestamp(field: "timestamp")
        } else if key.equals("method") {
            method = V2Method(try reader.readKeyword(field: "method") { $0 })
        } else if key.equals("result") {
            if let method {
                response.result = try V2ResponseResult.read(method: method, &reader)
            } else {
                deferredResult = reader.offset
                try reader.skipValue()
            }
        } else if key.equals("success") {
            response.success = try reader.readBool(field: "success")
        } else if key.equals("error") {
            response.error = try reader.readString(field: "error")
        } else if key.equals("req_id") {
            response.requestID = try reader.readUInt64(field: "req_id")
        } else if key.equals("time_in") {
            response.timeInNs = try reader.readTimestamp(field: "time_in")
        } else if key.equals("time_out") {
            response.timeOutNs = try reader.readTimestamp(field: "time_out")
        } else if key.equals("symbol") {
            response.symbol = try reader.readString(field: "symbol")
        } else {
            try reader.skipValue()
        }
    }

    mutating func message(frame: UnsafeRawBufferPointer) throws(WireError) -> V2Message {
        if let method {
            if let deferredResult {
                var reader = JSONReader(frame, at: deferredResult)
                response.result = try V2ResponseResult.read(method: method, &reader)
            }
            response.method = method
            return .response(response)
        }
        guard let channel else { throw WireError(.missingField("channel or method"), at: 0) }
        if channel == .heartbeat { return .heartbeat }
        let kind = try required(kind, "type", at: 0)
        if let deferredData {
            var reader = JSONReader(frame, at: deferredData)
            data = try V2Data.read(channel: channel, kind: kind, &reader)
        }
        guard let data else { throw WireError(.missingField("data"), at: 0) }
        switch data {
        case .status(let status): return .status(status)
        case .ticker(let ticker): return .ticker(V2TickerMessage(kind: kind, ticker: ticker))
        case .book(let book): return .book(book)
        case .trades(let trades): return .trade(V2TradeMessage(kind: kind, trades: trades))
        case .candles(let candles): return .ohlc(V2OHLCMessage(kind: kind, timestampNs: timestampNs, candles: candles))
        case .instrument(let assets, let pairs):
            return .instrument(V2InstrumentMessage(kind: kind, assets: assets, pairs: pairs))
        case .level3(let book): return .level3(book)
        case .executions(let reports):
            return .executions(
                V2ExecutionsMessage(kind: kind, sequence: try required(sequence, "sequence", at: 0), reports: reports))
        case .balances(let balances, let ledger):
            return .balances(
                V2BalancesMessage(
                    kind: kind, sequence: try required(sequence, "sequence", at: 0), balances: balances, ledger: ledger))
        }
    }
}

/// The `data` member of a stream message, by channel.
enum V2Data {
    case status(V2Status)
    indirect case ticker(V2Ticker)
    case book(V2BookMessage)
    case trades([KrakenTrade])
    case candles([V2Candle])
    case instrument([V2Asset], [V2Pair])
    case level3(V2Level3Message)
    case executions([V2Execution])
    case balances([V2AssetBalance], [V2LedgerEntry])

    static func read(channel: V2Channel, kind: MessageKind, _ reader: inout JSONReader) throws(WireError) -> V2Data {
        switch channel {
        case .book: .book(try V2BookMessage.readData(kind: kind, &reader))
        case .trade: .trades(try V2TradeMessage.readData(&reader))
        case .ticker: .ticker(try readOnly(&reader, what: "ticker") { (reader) throws(WireError) in try V2Ticker.read(&reader) })
        case .ohlc: .candles(try V2OHLCMessage.readData(&reader))
        case .level3: .level3(try V2Level3Message.readData(kind: kind, &reader))
        case .executions: .executions(try V2ExecutionsMessage.readData(&reader))
        case .balances:
            try V2BalancesMessage.readData(&reader)
        case .instrument:
            try V2InstrumentMessage.readData(&reader)
        case .status: .status(try readOnly(&reader, what: "status") { (reader) throws(WireError) in try V2Status.read(&reader) })
        case .heartbeat: throw WireError(.unexpectedShape("heartbeat with data"), at: reader.offset)
        }
    }

    /// Reads a `data` array that must hold exactly one object (ticker, book, level3, status:
    /// "always the first and only item" in Kraken's documentation). A second item is an error,
    /// never silently dropped.
    static func readOnly<Value>(
        _ reader: inout JSONReader, what: String, _ element: (inout JSONReader) throws(WireError) -> Value
    ) throws(WireError) -> Value {
        let start = reader.offset
        var value: Value?
        try reader.readArray(field: "data") { (reader) throws(WireError) in
            guard value == nil else { throw WireError(.unexpectedShape("more than one \(what) in data"), at: reader.offset) }
            value = try element(&reader)
        }
        guard let value else { throw WireError(.unexpectedShape("no \(what) in data"), at: start) }
        return value
    }
}
