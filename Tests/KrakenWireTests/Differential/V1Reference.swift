import FixedPoint
@testable import KrakenWire

/// Derives the `V1Message` that a frame means from Foundation's tree of it, following Kraken's
/// documentation (§1.2–1.4, 2.2–2.3, 3.x, 5.1–5.2 of the protocol reference) and never the
/// scanner's code.
enum V1Reference {
    static func message(_ root: JSONValue) throws -> V1Message {
        switch root {
        case .object: return try event(Fields(root, "event"))
        case .array(let elements):
            guard elements.count >= 3 else { throw ReferenceError("data array with \(elements.count) elements") }
            if case .object = elements[elements.count - 1] { return try privateData(elements) }
            return try publicData(elements)
        default: throw ReferenceError("frame is neither an object nor an array")
        }
    }

    static func string(_ value: JSONValue, _ what: String) throws -> String {
        guard case .string(let text) = value else { throw ReferenceError("\(what): not a string") }
        return text
    }

    static func array(_ value: JSONValue, _ what: String) throws -> [JSONValue] {
        guard case .array(let elements) = value else { throw ReferenceError("\(what): not an array") }
        return elements
    }

    // MARK: events

    static func event(_ fields: Fields) throws -> V1Message {
        switch try fields.string("event") {
        case "heartbeat":
            return .heartbeat
        case "pong":
            return .pong(requestID: try fields.optionalUInt64("reqid"))
        case "systemStatus":
            return .systemStatus(
                V1SystemStatus(
                    status: V2Reference.exchangeStatus(try fields.string("status")),
                    version: try fields.optionalString("version") ?? "", connectionID: try fields.optionalUInt64("connectionID")))
        case "subscriptionStatus":
            let text = try fields.string("status")
            guard let status = V1SubscriptionStatus.Status(rawValue: text) else { throw ReferenceError("status \(text)") }
            let subscription = try fields.optionalObject("subscription").map { subscription in
                V1SubscriptionStatus.Subscription(
                    name: try subscription.optionalString("name"), depth: try subscription.optionalInt("depth"),
                    interval: try subscription.optionalInt("interval"), maxRateCount: try subscription.optionalInt("maxratecount"))
            }
            return .subscriptionStatus(
                V1SubscriptionStatus(
                    status: status, channelName: try fields.optionalString("channelName"), pair: try fields.optionalString("pair"),
                    requestID: try fields.optionalUInt64("reqid"), errorMessage: try fields.optionalString("errorMessage"),
                    subscription: subscription, channelID: try fields.optionalUInt64("channelID")))
        case "error":
            return .error(message: try fields.string("errorMessage"), requestID: try fields.optionalUInt64("reqid"))
        case let other:
            throw ReferenceError("event \(other)")
        }
    }

    // MARK: public channels

    /// `[channelID, payload…, channelName, pair]`.
    static func publicData(_ elements: [JSONValue]) throws -> V1Message {
        let channel = try string(elements[elements.count - 2], "channelName")
        let pair = try string(elements[elements.count - 1], "pair")
        let payloads = Array(elements[1..<(elements.count - 2)])
        if channel.hasPrefix("book-"), let depth = Int(channel.dropFirst(5)) {
            return .book(try book(payloads, pair: pair, depth: depth))
        }
        guard payloads.count == 1 else { throw ReferenceError("\(channel) with \(payloads.count) payloads") }
        if channel.hasPrefix("ohlc-"), let interval = Int(channel.dropFirst(5)) {
            return .ohlc(try candle(array(payloads[0], "ohlc"), pair: pair, interval: interval))
        }
        switch channel {
        case "ticker": return .ticker(try ticker(Fields(payloads[0], "ticker"), pair: pair))
        case "trade": return .trade(V1TradeMessage(pair: pair, trades: try array(payloads[0], "trade").map(trade)))
        case "spread": return .spread(try spread(array(payloads[0], "spread"), pair: pair))
        default: throw ReferenceError("channel \(channel)")
        }
    }

    static func ticker(_ fields: Fields, pair: String) throws -> V1Ticker {
        func values(_ key: String, count: Int) throws -> [JSONValue] {
            let elements = try fields.array(key)
            guard elements.count == count else { throw ReferenceError("\(key) has \(elements.count) elements") }
            return elements
        }
        func quote(_ key: String) throws -> V1Ticker.Quote {
            let elements = try values(key, count: 3)
            return V1Ticker.Quote(
                price: try Reference.fixed(elements[0], key), wholeLotVolume: try Reference.int64(elements[1], key),
                lotVolume: try Reference.fixed(elements[2], key))
        }
        func window(_ key: String) throws -> V1Ticker.Window<FixedDecimal> {
            let elements = try values(key, count: 2)
            return V1Ticker.Window(today: try Reference.fixed(elements[0], key), last24Hours: try Reference.fixed(elements[1], key))
        }
        let last = try values("c", count: 2)
        let trades = try values("t", count: 2)
        return V1Ticker(
            pair: pair, ask: try quote("a"), bid: try quote("b"), lastPrice: try Reference.fixed(last[0], "c"),
            lastVolume: try Reference.fixed(last[1], "c"), volume: try window("v"), vwap: try window("p"),
            trades: V1Ticker.Window(today: try Reference.int64(trades[0], "t"), last24Hours: try Reference.int64(trades[1], "t")),
            low: try window("l"), high: try window("h"), open: try window("o"))
    }

    /// Snapshot payloads have `as`/`bs`; update payloads `a`/`b`, in one object or two, and the
    /// checksum `c` in one of them. Levels keep their frame order.
    static func book(_ payloads: [JSONValue], pair: String, depth: Int) throws -> V1BookMessage {
        var message = V1BookMessage(pair: pair, depth: depth, isSnapshot: false, asks: [], bids: [], checksum: nil)
        for payload in payloads {
            let fields = try Fields(payload, "book")
            if fields["as"] != nil || fields["bs"] != nil { message.isSnapshot = true }
            message.asks += try levels(fields, "as") + levels(fields, "a")
            message.bids += try levels(fields, "bs") + levels(fields, "b")
            if fields["c"] != nil {
                let value = try fields.uint64("c")
                guard let checksum = UInt32(exactly: value) else { throw ReferenceError("c exceeds 32 bits") }
                message.checksum = checksum
            }
        }
        return message
    }

    static func levels(_ fields: Fields, _ key: String) throws -> [V1BookLevel] {
        guard fields[key] != nil else { return [] }
        return try fields.array(key).map { element in
            let level = try array(element, key)
            guard level.count == 3 || level.count == 4 else { throw ReferenceError("\(key) level with \(level.count) elements") }
            if level.count == 4, try string(level[3], "flag") != "r" { throw ReferenceError("flag is not r") }
            return V1BookLevel(
                price: try Reference.fixed(level[0], "price"), volume: try Reference.fixed(level[1], "volume"),
                timestampNs: try Reference.nanoseconds(epoch: level[2], "timestamp"), isRepublished: level.count == 4)
        }
    }

    static func trade(_ element: JSONValue) throws -> V1Trade {
        let fields = try array(element, "trade")
        guard fields.count >= 6 else { throw ReferenceError("trade with \(fields.count) elements") }
        let side: Side = switch try string(fields[3], "side") {
        case "b", "buy": .buy
        case "s", "sell": .sell
        case let other: throw ReferenceError("side \(other)")
        }
        let orderType: KrakenTrade.OrderType = switch try string(fields[4], "orderType") {
        case "l", "limit": .limit
        case "m", "market": .market
        case let other: throw ReferenceError("orderType \(other)")
        }
        return V1Trade(
            price: try Reference.fixed(fields[0], "price"), volume: try Reference.fixed(fields[1], "volume"),
            timestampNs: try Reference.nanoseconds(epoch: fields[2], "time"), side: side, orderType: orderType,
            misc: try string(fields[5], "misc"))
    }

    static func candle(_ fields: [JSONValue], pair: String, interval: Int) throws -> V1Candle {
        guard fields.count >= 9 else { throw ReferenceError("ohlc with \(fields.count) elements") }
        return V1Candle(
            pair: pair, interval: interval, timeNs: try Reference.nanoseconds(epoch: fields[0], "time"),
            endTimeNs: try Reference.nanoseconds(epoch: fields[1], "etime"), open: try Reference.fixed(fields[2], "open"),
            high: try Reference.fixed(fields[3], "high"), low: try Reference.fixed(fields[4], "low"),
            close: try Reference.fixed(fields[5], "close"), vwap: try Reference.fixed(fields[6], "vwap"),
            volume: try Reference.fixed(fields[7], "volume"), count: try Reference.int64(fields[8], "count"))
    }

    static func spread(_ fields: [JSONValue], pair: String) throws -> V1Spread {
        guard fields.count >= 5 else { throw ReferenceError("spread with \(fields.count) elements") }
        return V1Spread(
            pair: pair, bid: try Reference.fixed(fields[0], "bid"), ask: try Reference.fixed(fields[1], "ask"),
            timestampNs: try Reference.nanoseconds(epoch: fields[2], "timestamp"),
            bidVolume: try Reference.fixed(fields[3], "bidVolume"), askVolume: try Reference.fixed(fields[4], "askVolume"))
    }

    // MARK: private channels

    /// `[payload, channelName, {"sequence": n}]`; the payload is an array of one-key objects
    /// `{id: {…}}` (a dictionary cannot keep the order of several keys, so one each).
    static func privateData(_ elements: [JSONValue]) throws -> V1Message {
        guard elements.count == 3 else { throw ReferenceError("private data array with \(elements.count) elements") }
        let channel = try string(elements[1], "channelName")
        let sequence = try Fields(elements[2], "sequence").uint64("sequence")
        let entries = try array(elements[0], channel).map { element in
            guard case .object(let members) = element, members.count == 1, let member = members.first else {
                throw ReferenceError("\(channel) element is not a one-key object")
            }
            return (member.key, try Fields(member.value, "\(channel).\(member.key)"))
        }
        switch channel {
        case "ownTrades": return .ownTrades(V1OwnTradesMessage(sequence: sequence, trades: try entries.map { try ownTrade($0.0, $0.1) }))
        case "openOrders": return .openOrders(V1OpenOrdersMessage(sequence: sequence, orders: try entries.map { try order($0.0, $0.1) }))
        default: throw ReferenceError("channel \(channel)")
        }
    }

    static func ownTrade(_ tradeID: String, _ fields: Fields) throws -> V1OwnTrade {
        V1OwnTrade(
            tradeID: tradeID, orderID: try fields.string("ordertxid"), positionID: try fields.optionalString("postxid"),
            pair: try fields.string("pair"), timeNs: try fields.epoch("time"), side: try V2Reference.side(fields.string("type")),
            orderType: V2Reference.orderType(try fields.string("ordertype")), price: try fields.fixed("price"),
            cost: try fields.fixed("cost"), fee: try fields.fixed("fee"), volume: try fields.fixed("vol"),
            margin: try fields.optionalFixed("margin"), userref: try fields.optionalInt64("userref"),
            clientOrderID: try fields.optionalString("cl_ord_id"))
    }

    static func order(_ orderID: String, _ fields: Fields) throws -> V1OrderUpdate {
        let status: V1OrderStatus? = switch try fields.optionalString("status") {
        case nil: nil
        case "pending": .pending
        case "open": .open
        case "closed": .closed
        case "canceled": .canceled
        case "expired": .expired
        case let other?: .unknown(other)
        }
        let description = try fields.optionalObject("descr").map { descr in
            V1OrderUpdate.Description(
                pair: try descr.optionalString("pair"), side: try descr.optionalString("type").map(V2Reference.side),
                orderType: try descr.optionalString("ordertype").map(V2Reference.orderType),
                price: try descr.optionalFixed("price"), price2: try descr.optionalFixed("price2"))
        }
        return V1OrderUpdate(
            orderID: orderID, status: status, userref: try fields.optionalInt64("userref"),
            clientOrderID: try fields.optionalString("cl_ord_id"), openTimeNs: try fields.optionalEpoch("opentm"),
            lastUpdatedNs: try fields.optionalEpoch("lastupdated"), volume: try fields.optionalFixed("vol"),
            volumeExecuted: try fields.optionalFixed("vol_exec"), cost: try fields.optionalFixed("cost"),
            fee: try fields.optionalFixed("fee"), averagePrice: try fields.optionalFixed("avg_price"),
            limitPrice: try fields.optionalFixed("limitprice"), stopPrice: try fields.optionalFixed("stopprice"),
            timeInForce: try fields.optionalString("timeinforce"), cancelReason: try fields.optionalString("cancel_reason"),
            description: description)
    }
}
