import FixedPoint

/// The v2 message kinds, one per `V2Message` case.
enum V2Kind: String, CaseIterable, Sendable, CustomStringConvertible {
    case status, heartbeat, response, ticker, book, trade, ohlc, instrument, level3, executions, balances

    var description: String { "v2 \(rawValue)" }

    /// Whether its frames carry decimals whose written digits the scanner must keep.
    var carriesDecimals: Bool { ![.status, .heartbeat, .response].contains(self) }
}

/// Random but valid v2 frames of every kind, shaped like Kraken's documented examples.
/// `variant` walks through the sub-kinds (response methods, execution types, snapshot/update)
/// so each one is generated many times in every run.
extension FrameBuilder {
    mutating func v2Frame(_ kind: V2Kind, variant: Int) -> GeneratedJSON {
        switch kind {
        case .status: v2Status()
        case .heartbeat: .object([("channel", .verbatim("heartbeat"))])
        case .response: v2Response(variant: variant % 10)
        case .ticker: v2Ticker(type: variant % 2 == 0 ? "snapshot" : "update")
        case .book: v2Book(snapshot: variant % 2 == 0)
        case .trade: v2Trades(type: variant % 2 == 0 ? "snapshot" : "update")
        case .ohlc: v2OHLC(type: variant % 2 == 0 ? "snapshot" : "update")
        case .instrument: v2Instrument(snapshot: variant % 2 == 0)
        case .level3: v2Level3(snapshot: variant % 2 == 0)
        case .executions: v2Executions(variant: variant)
        case .balances: v2Balances(snapshot: variant % 2 == 0)
        }
    }

    private func stream(_ channel: String, _ type: String, _ data: GeneratedJSON, _ extra: [(String, GeneratedJSON)] = [])
        -> GeneratedJSON
    {
        .object([("channel", .verbatim(channel)), ("type", .verbatim(type)), ("data", data)] + extra)
    }

    /// A decimal field of a message whose fields Kraken may leave out or send as `null`.
    private mutating func optionalNumber(_ value: FixedDecimal) -> GeneratedJSON? {
        switch random.int(0...9) {
        case 0, 1: nil
        case 2: .null
        default: number(value)
        }
    }

    private mutating func timestamp() -> GeneratedJSON { .verbatim(rfc3339()) }

    private mutating func side() -> GeneratedJSON { .verbatim(random.pick(["buy", "sell"])) }

    // MARK: status, responses

    private mutating func v2Status() -> GeneratedJSON {
        let connectionID: UInt64 = random.pick([13_834_774_380_200_032_777, random.uint64(0...UInt64.max), random.uint64(0...1_000_000)])
        let status = Self.members([
            ("api_version", .text("v2")),
            ("connection_id", random.chance(0.9) ? .integer(connectionID) : nil),
            ("system", .verbatim(random.pick(["online", "maintenance", "cancel_only", "post_only", "degraded"]))),
            ("version", .text("2.0.\(random.int(0...12))")),
            ("upcoming_maintenance", random.chance(0.3) ? .array([]) : nil),
            ("emergency", random.chance(0.3) ? .array([]) : nil),
        ])
        return stream("status", random.pick(["update", "snapshot"]), .array([status]))
    }

    private mutating func v2Response(variant: Int) -> GeneratedJSON {
        var members: [(String, GeneratedJSON?)] = []
        let requestID = random.chance(0.7) ? GeneratedJSON.integer(random.uint64(0...9_999_999_999_999)) : nil
        let times: [(String, GeneratedJSON?)] = random.chance(0.9)
            ? [("time_in", timestamp()), ("time_out", timestamp())] : []
        switch variant {
        case 0, 1:
            let channel = random.pick(["book", "ticker", "trade", "ohlc", "instrument", "level3", "executions", "balances"])
            let result = Self.members([
                ("channel", .text(channel)),
                ("symbol", random.chance(0.8) ? .text(v2Symbol()) : nil),
                ("depth", random.chance(0.4) ? looseInteger(random.pick([10, 25, 100, 500, 1000])) : nil),
                ("interval", random.chance(0.3) ? .integer(random.pick([1, 5, 15, 60, 1440, 21600])) : nil),
                ("snapshot", random.chance(0.5) ? .bool(random.chance(0.5)) : nil),
                ("maxratecount", random.chance(0.2) ? .integer(random.pick([60, 125, 180])) : nil),
                ("event_trigger", random.chance(0.2) ? .verbatim("bbo") : nil),
                ("snap_orders", random.chance(0.2) ? .bool(true) : nil),
                ("warnings", random.chance(0.3)
                    ? .array((0..<random.int(0...2)).map { _ in freeText() }) : nil),
            ])
            members = [("method", .verbatim(variant == 0 ? "subscribe" : "unsubscribe")), ("result", result),
                       ("success", .bool(true)), ("req_id", requestID)]
        case 2:
            members = [
                ("error", random.chance(0.5) ? .text("Currency pair not supported XBT/USD") : freeText()),
                ("method", .verbatim("subscribe")), ("success", .bool(false)),
                ("symbol", random.chance(0.7) ? .text(random.pick(["XBT/USD", "XDG/USD", v2Symbol()])) : nil),
                ("channel", random.chance(0.2) ? .verbatim("executions") : nil),
                ("status", random.chance(0.2) ? .verbatim("error") : nil),
                ("req_id", requestID),
            ]
        case 3:
            members = [("method", .verbatim("pong")), ("req_id", requestID),
                       ("success", random.chance(0.3) ? .bool(true) : nil),
                       ("result", random.chance(0.2) ? .object([]) : nil)]
        case 4:
            let result = Self.members([
                ("order_id", .text(random.chance(0.1) ? "" : random.krakenID(prefix: "O"))),
                ("order_userref", random.chance(0.6) ? .integer(random.int64(-2_147_483_648...2_147_483_647)) : nil),
                ("cl_ord_id", random.chance(0.3) ? .text(random.string("0123456789abcdef-", count: 20)) : nil),
                ("warnings", random.chance(0.2) ? .array([freeText()]) : nil),
            ])
            members = [("method", .verbatim("add_order")), ("req_id", requestID), ("result", result),
                       ("success", .bool(true))]
        case 5:
            members = [("method", .verbatim(random.pick(["add_order", "cancel_order"]))), ("req_id", requestID),
                       ("error", random.chance(0.5) ? .text("EOrder:Insufficient funds") : freeText()),
                       ("success", .bool(false))]
        case 6:
            let result = Self.members([
                ("order_id", .text(random.krakenID(prefix: "O"))),
                ("cl_ord_id", random.chance(0.2) ? .text(random.string("0123456789abcdef", count: 32)) : nil),
            ])
            members = [("method", .verbatim("cancel_order")), ("req_id", requestID), ("result", result),
                       ("success", .bool(true))]
        case 7:
            members = [("method", .verbatim("cancel_all")), ("req_id", requestID),
                       ("result", .object([("count", looseInteger(random.int(0...500)))])), ("success", .bool(true))]
        case 8:
            let result = GeneratedJSON.object([
                ("currentTime", .text(rfc3339())),
                ("triggerTime", .text(random.chance(0.3) ? "0" : rfc3339())),
            ])
            members = [("method", .verbatim("cancel_all_orders_after")), ("req_id", requestID), ("result", result),
                       ("success", .bool(true))]
        default:
            let result = GeneratedJSON.object([
                ("order_id", .text(random.krakenID(prefix: "O"))), ("amend_id", .text(random.krakenID(prefix: "T"))),
                ("nested", .array([.integer(1), .object([("x", .null)])])),
            ])
            members = [("method", .verbatim(random.pick(["amend_order", "edit_order", "batch_add"]))),
                       ("req_id", requestID), ("result", result), ("success", .bool(true))]
        }
        return Self.members(members + times)
    }

    // MARK: market data

    private mutating func v2Ticker(type: String) -> GeneratedJSON {
        let ticker = Self.members([
            ("symbol", .text(v2Symbol())),
            ("bid", number(price())), ("bid_qty", number(quantity())),
            ("ask", number(price())), ("ask_qty", number(quantity())),
            ("last", optionalNumber(price())), ("volume", optionalNumber(quantity())),
            ("vwap", optionalNumber(price())), ("low", optionalNumber(price())), ("high", optionalNumber(price())),
            ("change", optionalNumber(decimal(integerDigits: 0...4, scale: 0...8, negative: 0.5))),
            ("change_pct", optionalNumber(decimal(integerDigits: 0...3, scale: 0...2, negative: 0.5))),
            ("timestamp", random.chance(0.8) ? timestamp() : nil),
        ])
        return stream("ticker", type, .array([ticker]))
    }

    private mutating func v2Levels(count: Int) -> GeneratedJSON {
        .array((0..<count).map { _ in .object([("price", number(price())), ("qty", number(quantity()))]) })
    }

    private mutating func v2Book(snapshot: Bool) -> GeneratedJSON {
        let book = Self.members([
            ("symbol", .text(v2Symbol())),
            ("bids", random.chance(0.97) ? v2Levels(count: random.int(0...(snapshot ? 5 : 3))) : nil),
            ("asks", random.chance(0.97) ? v2Levels(count: random.int(0...(snapshot ? 5 : 3))) : nil),
            ("checksum", .integer(random.uint64(0...UInt64(UInt32.max)))),
            ("timestamp", random.chance(0.7) ? timestamp() : nil),
        ])
        return stream("book", snapshot ? "snapshot" : "update", .array([book]))
    }

    private mutating func v2Trades(type: String) -> GeneratedJSON {
        let trades: [GeneratedJSON] = (0..<random.int(1...3)).map { _ in
            .object([
                ("symbol", .text(v2Symbol())), ("side", side()), ("price", number(price())), ("qty", number(quantity())),
                ("ord_type", .verbatim(random.pick(["limit", "market"]))),
                ("trade_id", .integer(random.uint64(0...99_999_999_999))), ("timestamp", timestamp()),
            ])
        }
        return stream("trade", type, .array(trades))
    }

    private mutating func v2OHLC(type: String) -> GeneratedJSON {
        let candles: [GeneratedJSON] = (0..<random.int(1...2)).map { _ in
            Self.members([
                ("symbol", .text(v2Symbol())),
                ("open", number(price())), ("high", number(price())), ("low", number(price())), ("close", number(price())),
                ("trades", .integer(random.uint64(0...100_000))), ("volume", number(quantity())), ("vwap", number(price())),
                ("interval_begin", timestamp()),
                ("interval", .integer(random.pick([1, 5, 15, 30, 60, 240, 1440, 10080, 21600]))),
                ("timestamp", random.chance(0.7) ? timestamp() : nil),
            ])
        }
        return stream("ohlc", type, .array(candles), random.chance(0.8) ? [("timestamp", timestamp())] : [])
    }

    private mutating func v2Instrument(snapshot: Bool) -> GeneratedJSON {
        // An update may leave out either list; the decision comes first so that only decimals
        // actually written are recorded.
        let sendsAssets = snapshot || random.chance(0.8)
        let sendsPairs = snapshot || random.chance(0.8)
        let assets: [GeneratedJSON] = (0..<(sendsAssets ? random.int(0...2) : 0)).map { _ in
            Self.members([
                ("id", .text(asset())),
                ("status", .text(random.pick(["enabled", "depositonly", "withdrawalonly", "fundingtemporarilydisabled"]))),
                ("precision", .integer(random.int(0...10))),
                ("precision_display", random.chance(0.8) ? .integer(random.int(0...10)) : nil),
                ("borrowable", random.chance(0.8) ? .bool(random.chance(0.5)) : nil),
                ("collateral_value", optionalNumber(decimal(integerDigits: 0...1, scale: 0...4))),
                ("margin_rate", optionalNumber(decimal(integerDigits: 0...1, scale: 0...6))),
                ("multiplier", random.chance(0.3) ? .token("1.0") : nil),
            ])
        }
        let pairs: [GeneratedJSON] = (0..<(sendsPairs ? random.int(0...2) : 0)).map { _ in
            let pricePrecision = random.int(0...8)
            let quantityPrecision = random.int(0...10)
            return Self.members([
                ("symbol", .text(v2Symbol())), ("base", .text(asset())), ("quote", .text(asset())),
                ("status", .text(random.pick(["online", "cancel_only", "post_only", "limit_only", "delisted"]))),
                ("qty_precision", .integer(quantityPrecision)),
                // Kraken writes small increments in exponent form (`1e-08`).
                ("qty_increment", random.chance(0.9)
                    ? number(FixedDecimal(mantissa: 1, scale: UInt8(quantityPrecision)), exponentChance: 0.5) : nil),
                ("price_precision", .integer(pricePrecision)),
                ("cost_precision", random.chance(0.8) ? .integer(random.int(0...8)) : nil),
                ("marginable", random.chance(0.8) ? .bool(random.chance(0.5)) : nil),
                ("has_index", random.chance(0.5) ? .bool(true) : nil),
                ("cost_min", optionalNumber(decimal(integerDigits: 0...2, scale: 0...3))),
                ("margin_initial", random.chance(0.3) ? .token("0.2") : nil),
                ("position_limit_long", random.chance(0.3) ? .token("250") : nil),
                ("tick_size", random.chance(0.3) ? .token("1e-05") : nil),
                ("price_increment", random.chance(0.9)
                    ? number(FixedDecimal(mantissa: 1, scale: UInt8(pricePrecision)), exponentChance: 0.3) : nil),
                ("qty_min", optionalNumber(decimal(integerDigits: 0...2, scale: 0...8))),
            ])
        }
        let data = Self.members([
            ("assets", sendsAssets ? .array(assets) : nil),
            ("pairs", sendsPairs ? .array(pairs) : nil),
        ])
        return stream("instrument", snapshot ? "snapshot" : "update", data)
    }

    private mutating func v2Level3(snapshot: Bool) -> GeneratedJSON {
        func orders(_ builder: inout FrameBuilder) -> GeneratedJSON {
            .array((0..<builder.random.int(0...(snapshot ? 3 : 2))).map { _ in
                Self.members([
                    ("event", snapshot ? nil : .verbatim(builder.random.pick(["add", "modify", "delete"]))),
                    ("order_id", .text(builder.random.krakenID(prefix: "O"))),
                    ("limit_price", builder.number(builder.price())),
                    ("order_qty", builder.number(builder.quantity())),
                    ("timestamp", builder.timestamp()),
                ])
            })
        }
        let book = Self.members([
            ("checksum", .integer(random.uint64(0...UInt64(UInt32.max)))),
            ("symbol", .text(v2Symbol())),
            ("bids", orders(&self)),
            ("asks", orders(&self)),
            ("timestamp", random.chance(0.6) ? timestamp() : nil),
        ])
        return stream("level3", snapshot ? "snapshot" : "update", .array([book]))
    }

    // MARK: private

    static let execTypes = [
        "pending_new", "new", "trade", "filled", "iceberg_refill", "canceled", "expired", "amended", "restated", "status",
        "settled_later",
    ]

    private mutating func v2Executions(variant: Int) -> GeneratedJSON {
        let reports: [GeneratedJSON] = (0..<random.int(1...2)).enumerated().map { index, _ in
            execution(Self.execTypes[(variant + index) % Self.execTypes.count])
        }
        return stream(
            "executions", variant % 3 == 0 ? "snapshot" : "update", .array(reports),
            [("sequence", .integer(random.uint64(0...10_000_000)))])
    }

    /// One execution report: the fields Kraken documents for `execType`, plus, now and then,
    /// any other optional field (reports are sparse, and which fields come is not fixed).
    private mutating func execution(_ execType: String) -> GeneratedJSON {
        let rich = random.chance(0.3)
        func wants(_ documented: Bool, _ builder: inout FrameBuilder) -> Bool {
            documented ? builder.random.chance(0.9) : (rich && builder.random.chance(0.5))
        }
        let isTrade = execType == "trade"
        let isNew = execType == "pending_new"
        let status: String = switch execType {
        case "pending_new": "pending_new"
        case "trade": random.pick(["partially_filled", "filled"])
        case "filled": "filled"
        case "canceled": "canceled"
        case "expired": "expired"
        default: random.pick(["new", "partially_filled", "pending_new", "triggered_later"])
        }
        var members: [(String, GeneratedJSON?)] = [
            ("exec_type", .verbatim(execType)),
            ("order_id", .text(random.krakenID(prefix: "O"))),
            ("order_status", random.chance(0.95) ? .verbatim(status) : nil),
            ("timestamp", random.chance(0.95) ? timestamp() : nil),
            ("order_userref", wants(true, &self) ? .integer(random.int64(-1_000_000...2_147_483_647)) : nil),
        ]
        members += [
            ("exec_id", wants(isTrade, &self) ? .text(random.krakenID(prefix: "T")) : nil),
            ("trade_id", wants(isTrade, &self) ? .integer(random.uint64(0...999_999_999)) : nil),
            ("cl_ord_id", wants(false, &self) ? .text(random.string("0123456789abcdef", count: 32)) : nil),
            ("symbol", wants(isTrade || isNew, &self) ? .text(v2Symbol()) : nil),
            ("side", wants(isTrade || isNew, &self) ? side() : nil),
            ("order_type", wants(isTrade || isNew, &self)
                ? .verbatim(random.pick([
                    "limit", "market", "iceberg", "stop-loss", "stop-loss-limit", "take-profit", "take-profit-limit",
                    "trailing-stop", "trailing-stop-limit", "settle-position", "oto-limit",
                ])) : nil),
            ("order_qty", wants(isNew || execType == "amended" || execType == "restated", &self) ? optionalNumber(quantity()) : nil),
            ("cash_order_qty", wants(false, &self) ? optionalNumber(quantity()) : nil),
            ("limit_price", wants(isNew || execType == "amended", &self) ? optionalNumber(price()) : nil),
            ("time_in_force", wants(isNew, &self) ? .text(random.pick(["GTC", "GTD", "IOC"])) : nil),
            ("post_only", wants(isNew, &self) ? .bool(random.chance(0.5)) : nil),
            ("reduce_only", wants(isNew, &self) ? .bool(random.chance(0.5)) : nil),
            ("margin", wants(false, &self) ? .bool(false) : nil),
            ("amended", execType == "amended" ? .bool(true) : nil),
        ]
        members += [
            ("cum_qty", wants(isTrade || execType == "filled" || execType == "canceled", &self) ? optionalNumber(quantity()) : nil),
            ("cum_cost", wants(isTrade || execType == "filled", &self) ? optionalNumber(quantity()) : nil),
            ("avg_price", wants(isTrade || execType == "filled", &self) ? optionalNumber(price()) : nil),
            ("last_qty", wants(isTrade, &self) ? optionalNumber(quantity()) : nil),
            ("last_price", wants(isTrade, &self) ? optionalNumber(price()) : nil),
            ("cost", wants(isTrade, &self) ? optionalNumber(quantity()) : nil),
            ("liquidity_ind", wants(isTrade, &self) ? .verbatim(random.pick(["m", "t"])) : nil),
            ("fees", wants(isTrade, &self)
                ? .array((0..<random.int(0...2)).map { _ in .object([("asset", .text(asset())), ("qty", number(quantity()))]) })
                : nil),
            ("fee_usd_equiv", wants(isTrade, &self) ? optionalNumber(decimal(integerDigits: 0...3, scale: 0...6)) : nil),
            ("margin_borrow", wants(false, &self) ? .bool(false) : nil),
            ("reason", wants(["canceled", "expired", "restated", "amended"].contains(execType), &self)
                ? (random.chance(0.5) ? .text("User requested") : freeText()) : nil),
            ("triggers", wants(execType == "status" || isNew, &self)
                ? Self.members([
                    ("reference", .verbatim(random.pick(["last", "index"]))),
                    ("price", random.chance(0.9) ? optionalNumber(price()) ?? .null : nil),
                    ("price_type", .verbatim(random.pick(["static", "pct", "quote"]))),
                    ("actual_price", random.chance(0.5) ? .token("26599.9") : nil),
                    ("status", .verbatim(random.pick(["triggered", "untriggered"]))),
                    ("timestamp", random.chance(0.3) ? timestamp() : nil),
                ]) : nil),
        ]
        return Self.members(members)
    }

    private mutating func v2Balances(snapshot: Bool) -> GeneratedJSON {
        let entries: [GeneratedJSON]
        if snapshot {
            entries = (0..<random.int(0...3)).map { _ in
                let sendsWallets = random.chance(0.9)
                let wallets: [GeneratedJSON] = (0..<(sendsWallets ? random.int(0...2) : 0)).map { _ in
                    .object([
                        ("type", .text(random.pick(["spot", "earn"]))), ("id", .text(random.pick(["main", "flex", "bonded"]))),
                        ("balance", number(quantity())),
                    ])
                }
                return Self.members([
                    ("asset", .text(asset())),
                    ("asset_class", random.chance(0.8) ? .text("currency") : nil),
                    ("balance", number(quantity())),
                    ("wallets", sendsWallets ? .array(wallets) : nil),
                ])
            }
        } else {
            let refID = random.krakenID(prefix: "T")
            entries = (0..<random.int(1...2)).map { _ in
                Self.members([
                    ("ledger_id", .text(random.krakenID(prefix: "L"))),
                    ("ref_id", random.chance(0.9) ? .text(refID) : nil),
                    ("timestamp", random.chance(0.9) ? timestamp() : nil),
                    ("type", random.chance(0.9)
                        ? .text(random.pick(["deposit", "withdrawal", "trade", "margin", "staking", "creator_fee"])) : nil),
                    ("subtype", random.chance(0.6) ? .text(random.pick(["", "spottostaking", "allocation"])) : nil),
                    ("category", random.chance(0.6) ? .text(random.pick(["trade", "deposit", "staking"])) : nil),
                    ("asset", .text(asset())),
                    ("asset_class", random.chance(0.8) ? .text("currency") : nil),
                    ("wallet_type", random.chance(0.8) ? .text("spot") : nil),
                    ("wallet_id", random.chance(0.8) ? .text("main") : nil),
                    ("amount", number(decimal(integerDigits: 0...7, scale: 0...10, negative: 0.5))),
                    ("fee", optionalNumber(decimal(integerDigits: 0...2, scale: 0...8))),
                    ("balance", number(quantity())),
                ])
            }
        }
        return stream(
            "balances", snapshot ? "snapshot" : "update", .array(entries), [("sequence", .integer(random.uint64(1...10_000_000)))])
    }
}
