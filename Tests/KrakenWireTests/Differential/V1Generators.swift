import FixedPoint

/// The v1 message kinds, one per `V1Message` case.
enum V1Kind: String, CaseIterable, Sendable, CustomStringConvertible {
    case systemStatus, heartbeat, pong, subscriptionStatus, error, ticker, book, trade, ohlc, spread, ownTrades, openOrders

    var description: String { "v1 \(rawValue)" }

    /// Whether its frames carry decimals whose written digits the scanner must keep.
    var carriesDecimals: Bool { ![.systemStatus, .heartbeat, .pong, .subscriptionStatus, .error].contains(self) }
}

/// Random but valid v1 frames of every kind, shaped like Kraken's documented and recorded
/// examples: events are objects, channel data are arrays with numbers as strings.
extension FrameBuilder {
    mutating func v1Frame(_ kind: V1Kind, variant: Int) -> GeneratedJSON {
        switch kind {
        case .systemStatus: v1SystemStatus()
        case .heartbeat: .object([("event", .text("heartbeat"))])
        case .pong: Self.members([("event", .text("pong")), ("reqid", random.chance(0.8) ? .integer(requestID()) : nil)])
        case .subscriptionStatus: v1SubscriptionStatus(variant: variant % 6)
        case .error:
            Self.members([
                ("errorMessage", random.chance(0.5) ? .text(random.pick(["Malformed request", "Exceeded msg rate"])) : freeText()),
                ("event", .text("error")), ("reqid", random.chance(0.5) ? .integer(requestID()) : nil),
            ])
        case .ticker: publicFrame(v1Ticker(), "ticker")
        case .book: v1Book(variant: variant % 6)
        case .trade: publicFrame(v1Trades(), "trade")
        case .ohlc: v1OHLC()
        case .spread: publicFrame(v1Spread(), "spread")
        case .ownTrades: privateFrame(v1OwnTrades(), "ownTrades")
        case .openOrders: privateFrame(v1OpenOrders(variant: variant), "openOrders")
        }
    }

    private mutating func requestID() -> UInt64 { random.pick([42, random.uint64(0...1_999_999_999_999)]) }

    /// `[channelID, payload…, channelName, pair]`.
    private mutating func publicFrame(_ payloads: [GeneratedJSON], _ channelName: String) -> GeneratedJSON {
        .array([.integer(random.int(0...99_999))] + payloads + [.text(channelName), .text(v1Pair())])
    }

    private mutating func publicFrame(_ payload: GeneratedJSON, _ channelName: String) -> GeneratedJSON {
        publicFrame([payload], channelName)
    }

    /// `[payload, channelName, {"sequence": n}]`.
    private mutating func privateFrame(_ payload: GeneratedJSON, _ channelName: String) -> GeneratedJSON {
        .array([payload, .text(channelName), .object([("sequence", .integer(random.uint64(0...9_999_999)))])])
    }

    private mutating func v1Price() -> GeneratedJSON { numericString(decimal(integerDigits: 0...6, scale: 1...10)) }

    private mutating func v1Volume() -> GeneratedJSON { numericString(decimal(integerDigits: 0...9, scale: 0...10)) }

    private mutating func epoch() -> GeneratedJSON { .verbatim(epochString()) }

    /// Sometimes one more element at the end of a positional array (Kraken may add fields).
    private mutating func withTrailingExtra(_ elements: [GeneratedJSON]) -> GeneratedJSON {
        .array(random.chance(0.1) ? elements + [random.chance(0.5) ? .verbatim("extra") : .token("7")] : elements)
    }

    // MARK: events

    private mutating func v1SystemStatus() -> GeneratedJSON {
        let connectionID: UInt64 = random.pick([
            18_239_578_009_413_566_319, 8_628_615_390_848_610_000, random.uint64(0...UInt64.max), random.uint64(0...UInt64(Int64.max)),
        ])
        return Self.members([
            ("connectionID", random.chance(0.9) ? .integer(connectionID) : nil),
            ("event", .text("systemStatus")),
            ("status", .text(random.pick(["online", "maintenance", "cancel_only", "post_only", "limited"]))),
            ("version", random.chance(0.95) ? .text("1.9.\(random.int(0...9))") : nil),
        ])
    }

    private mutating func v1SubscriptionStatus(variant: Int) -> GeneratedJSON {
        let requestID = random.chance(0.4) ? GeneratedJSON.integer(requestID()) : nil
        switch variant {
        case 0, 1:
            // A public channel, subscribed or unsubscribed (also exchange-initiated, without reqid).
            let name = random.pick(["ticker", "book", "ohlc", "trade", "spread"])
            let depth = random.pick([10, 25, 100, 500, 1000])
            let interval = random.pick([1, 5, 15, 30, 60, 240, 1440, 10080, 21600])
            let channelName = name == "book" ? "book-\(depth)" : name == "ohlc" ? "ohlc-\(interval)" : name
            return Self.members([
                ("channelID", random.chance(0.9) ? .integer(random.int(0...99_999)) : nil),
                ("channelName", .text(channelName)), ("event", .text("subscriptionStatus")), ("pair", .text(v1Pair())),
                ("reqid", requestID), ("status", .text(variant == 0 ? "subscribed" : "unsubscribed")),
                ("subscription", Self.members([
                    ("depth", name == "book" ? looseInteger(depth) : nil),
                    ("interval", name == "ohlc" ? looseInteger(interval) : nil),
                    ("name", .text(name)),
                ])),
            ])
        case 2:
            // A private channel: no pair, no channelID.
            let name = random.pick(["ownTrades", "openOrders"])
            return Self.members([
                ("channelName", .text(name)), ("event", .text("subscriptionStatus")), ("reqid", requestID),
                ("status", .text(random.pick(["subscribed", "unsubscribed"]))),
                ("subscription", Self.members([
                    ("name", .text(name)),
                    ("maxratecount", name == "openOrders" && random.chance(0.5) ? .integer(random.pick([60, 125, 180])) : nil),
                    ("snapshot", random.chance(0.3) ? .bool(true) : nil),
                ])),
            ])
        case 3, 4:
            return Self.members([
                ("errorMessage", random.chance(0.5) ? .text("Subscription depth not supported") : freeText()),
                ("event", .text("subscriptionStatus")),
                ("pair", random.chance(0.8) ? .text(v1Pair()) : nil),
                ("reqid", requestID), ("status", .text("error")),
                ("subscription", random.chance(0.8)
                    ? Self.members([("depth", random.chance(0.5) ? .integer(42) : nil), ("name", .text("book"))]) : nil),
            ])
        default:
            return Self.members([("event", .text("subscriptionStatus")), ("status", .text("ok")), ("reqid", requestID)])
        }
    }

    // MARK: public channels

    private mutating func v1Ticker() -> GeneratedJSON {
        func quote(_ builder: inout FrameBuilder) -> GeneratedJSON {
            .array([builder.v1Price(), builder.looseInteger(builder.random.int64(0...99_999)), builder.v1Volume()])
        }
        func window(_ builder: inout FrameBuilder, _ value: (inout FrameBuilder) -> GeneratedJSON) -> GeneratedJSON {
            .array([value(&builder), value(&builder)])
        }
        return .object([
            ("a", quote(&self)), ("b", quote(&self)),
            ("c", .array([v1Price(), v1Volume()])),
            ("v", window(&self) { $0.v1Volume() }),
            ("p", window(&self) { $0.v1Price() }),
            ("t", window(&self) { $0.looseInteger($0.random.int64(0...999_999)) }),
            ("l", window(&self) { $0.v1Price() }),
            ("h", window(&self) { $0.v1Price() }),
            ("o", window(&self) { $0.v1Price() }),
        ])
    }

    private mutating func v1Levels(count: Int, republish: Bool) -> GeneratedJSON {
        .array((0..<count).map { _ in
            let level = [v1Price(), random.chance(0.15) ? numericString(FixedDecimal(mantissa: 0, scale: 8)) : v1Volume(), epoch()]
            return .array(republish && random.chance(0.3) ? level + [.verbatim("r")] : level)
        })
    }

    /// Variant 0: snapshot; 1: `a` and `b` in one object; 2: in two objects; 3: `a` only; 4: `b`
    /// only; 5: one or two objects at random. Update levels carry the `"r"` flag now and then.
    private mutating func v1Book(variant: Int) -> GeneratedJSON {
        let depth = random.pick([10, 25, 100, 500, 1000])
        let checksum: (String, GeneratedJSON?) =
            ("c", random.chance(0.9) ? .verbatim(String(random.uint64(0...UInt64(UInt32.max)))) : nil)
        let payloads: [GeneratedJSON]
        switch variant == 5 ? random.pick([1, 2]) : variant {
        case 0:
            payloads = [.object([("as", v1Levels(count: random.int(0...5), republish: false)),
                                 ("bs", v1Levels(count: random.int(0...5), republish: false))])]
        case 1:
            payloads = [Self.members([("a", v1Levels(count: random.int(0...3), republish: true)),
                                      ("b", v1Levels(count: random.int(0...3), republish: true)), checksum])]
        case 2:
            payloads = [.object([("a", v1Levels(count: random.int(1...3), republish: true))]),
                        Self.members([("b", v1Levels(count: random.int(1...3), republish: true)), checksum])]
        case 3:
            payloads = [Self.members([("a", v1Levels(count: random.int(1...3), republish: true)), checksum])]
        default:
            payloads = [Self.members([("b", v1Levels(count: random.int(1...3), republish: true)), checksum])]
        }
        return publicFrame(payloads, "book-\(depth)")
    }

    private mutating func v1Trades() -> GeneratedJSON {
        .array((0..<random.int(1...3)).map { _ in
            withTrailingExtra([
                v1Price(), v1Volume(), epoch(),
                .verbatim(random.pick(["b", "s", "b", "s", "buy", "sell"])),
                .verbatim(random.pick(["l", "m", "l", "m", "limit", "market"])),
                random.chance(0.7) ? .text("") : freeText(),
            ])
        })
    }

    private mutating func v1OHLC() -> GeneratedJSON {
        let interval = random.pick([1, 5, 15, 30, 60, 240, 1440, 10080, 21600])
        let candle = withTrailingExtra([
            epoch(), epoch(), v1Price(), v1Price(), v1Price(), v1Price(), v1Price(), v1Volume(),
            looseInteger(random.int64(0...9_999_999)),
        ])
        return publicFrame(candle, "ohlc-\(interval)")
    }

    private mutating func v1Spread() -> GeneratedJSON {
        withTrailingExtra([v1Price(), v1Price(), epoch(), v1Volume(), v1Volume()])
    }

    // MARK: private channels

    private mutating func orderType() -> GeneratedJSON {
        .verbatim(random.pick([
            "limit", "market", "stop-loss", "take-profit", "stop-loss-limit", "take-profit-limit", "trailing-stop",
            "trailing-stop-limit", "settle-position", "iceberg", "stop-loss-profit",
        ]))
    }

    private mutating func v1OwnTrades() -> GeneratedJSON {
        .array((0..<random.int(1...2)).map { _ in
            let trade = Self.members([
                ("cost", v1Volume()), ("fee", v1Volume()),
                ("margin", random.chance(0.6) ? v1Volume() : random.chance(0.1) ? .null : nil),
                ("ordertxid", .text(random.krakenID(prefix: "O"))), ("ordertype", orderType()), ("pair", .text(v1Pair())),
                ("postxid", random.chance(0.7) ? .text(random.krakenID(prefix: "T")) : nil),
                ("price", v1Price()), ("time", epoch()), ("type", .verbatim(random.pick(["buy", "sell"]))), ("vol", v1Volume()),
                ("userref", random.chance(0.3) ? looseInteger(random.int64(-1_000...2_147_483_647)) : nil),
                ("cl_ord_id", random.chance(0.2) ? .text(random.string("0123456789abcdef-", count: 36)) : nil),
                ("margin_borrow", random.chance(0.2) ? .bool(false) : nil),
                ("ext_exec_id", random.chance(0.2) ? .text(random.string("0123456789abcdef-", count: 36)) : nil),
            ])
            return .closedObject([(random.krakenID(prefix: "T"), trade)])
        })
    }

    private mutating func optionalV1Decimal(_ value: FixedDecimal) -> GeneratedJSON? {
        switch random.int(0...9) {
        case 0: nil
        case 1: .null
        default: numericString(value)
        }
    }

    /// Full orders (snapshot or a new order) and the sparse updates that follow them.
    private mutating func v1OpenOrders(variant: Int) -> GeneratedJSON {
        .array((0..<random.int(1...2)).enumerated().map { index, _ in
            let order = (variant + index) % 5 == 0 ? fullOrder() : sparseOrderUpdate(kind: (variant + index) % 5)
            return .closedObject([(random.krakenID(prefix: "O"), order)])
        })
    }

    private mutating func fullOrder() -> GeneratedJSON {
        let descr = !random.chance(0.95) ? nil : Self.members([
            ("close", .text("")), ("leverage", .text("0:1")),
            ("order", .text("sell 10.00345345 XBT/EUR @ limit 34.50000 with 0:1 leverage")),
            ("ordertype", orderType()), ("pair", .text(v1Pair())),
            ("price", random.chance(0.9) ? v1Price() : .null), ("price2", random.chance(0.9) ? v1Price() : nil),
            ("type", .verbatim(random.pick(["buy", "sell"]))),
            ("position", random.chance(0.2) ? .text("") : nil),
        ])
        return Self.members([
            ("avg_price", optionalV1Decimal(price())), ("cost", optionalV1Decimal(quantity())),
            ("descr", descr),
            ("expiretm", .verbatim("0.000000")),
            ("fee", optionalV1Decimal(quantity())), ("limitprice", optionalV1Decimal(price())),
            ("misc", .text("")), ("oflags", .text(random.pick(["fcib", "fciq", "post", "fcib,post"]))),
            ("opentm", random.chance(0.9) ? epoch() : nil), ("refid", random.chance(0.5) ? .null : .text(random.krakenID(prefix: "O"))),
            ("starttm", .verbatim("0.000000")),
            ("status", .verbatim(random.pick(["pending", "open", "open", "closed", "canceled", "expired"]))),
            ("stopprice", optionalV1Decimal(price())),
            ("userref", random.chance(0.2) ? .null : looseInteger(random.int64(-2_147_483_648...2_147_483_647))),
            ("vol", optionalV1Decimal(quantity())), ("vol_exec", optionalV1Decimal(quantity())),
            ("timeinforce", random.chance(0.7) ? .text(random.pick(["GTC", "GTD", "IOC"])) : nil),
            ("cl_ord_id", random.chance(0.2) ? .text(random.string("0123456789abcdef", count: 32)) : nil),
            ("lastupdated", random.chance(0.5) ? epoch() : nil),
            ("cancel_reason", random.chance(0.2) ? .null : nil),
        ])
    }

    private mutating func sparseOrderUpdate(kind: Int) -> GeneratedJSON {
        switch kind {
        case 1:
            return .object([("status", .verbatim(random.pick(["closed", "canceled", "expired", "open", "pending", "touched"])))])
        case 2:
            return Self.members([
                ("status", .verbatim("canceled")),
                ("cancel_reason", random.chance(0.3) ? .null : random.chance(0.5) ? .text("User requested") : freeText()),
                ("lastupdated", random.chance(0.7) ? epoch() : nil),
            ])
        case 3:
            return Self.members([
                ("avg_price", numericString(price())), ("cost", numericString(quantity())), ("fee", numericString(quantity())),
                ("vol_exec", numericString(quantity())),
                ("status", random.chance(0.5) ? .verbatim("open") : nil),
                ("userref", random.chance(0.5) ? looseInteger(random.int64(0...99_999)) : nil),
                ("lastupdated", random.chance(0.5) ? epoch() : nil),
            ])
        default:
            return Self.members([("status", .verbatim("pending")), ("lastupdated", epoch()), ("userref", .integer(0))])
        }
    }
}
