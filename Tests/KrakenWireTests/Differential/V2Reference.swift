import FixedPoint
@testable import KrakenWire

/// Derives the `V2Message` that a frame means from Foundation's tree of it, following Kraken's
/// documentation (§1.2–1.4, 2.4–2.5, 3.x, 5.3–5.4, 7.x of the protocol reference) and never the
/// scanner's code.
enum V2Reference {
    static func message(_ root: JSONValue) throws -> V2Message {
        let frame = try Fields(root, "frame")
        if let method = try frame.optionalString("method") { return .response(try response(frame, methodName: method)) }
        let channel = try frame.string("channel")
        if channel == "heartbeat" { return .heartbeat }
        let kind = try messageKind(frame.string("type"))
        switch channel {
        case "status": return .status(try status(only(frame)))
        case "ticker": return .ticker(V2TickerMessage(kind: kind, ticker: try ticker(only(frame))))
        case "book": return .book(try book(only(frame), kind: kind))
        case "trade": return .trade(V2TradeMessage(kind: kind, trades: try frame.objects("data").map(trade)))
        case "ohlc":
            return .ohlc(
                V2OHLCMessage(kind: kind, timestampNs: try frame.optionalTimestamp("timestamp"), candles: try frame.objects("data").map(candle)))
        case "instrument": return .instrument(try instrument(frame.object("data"), kind: kind))
        case "level3": return .level3(try level3(only(frame), kind: kind))
        case "executions":
            return .executions(
                V2ExecutionsMessage(kind: kind, sequence: try frame.uint64("sequence"), reports: try frame.objects("data").map(execution)))
        case "balances": return .balances(try balances(frame, kind: kind))
        default: throw ReferenceError("unknown channel \(channel)")
        }
    }

    /// The one object of `data` (ticker, book, level3, status).
    static func only(_ frame: Fields) throws -> Fields {
        let data = try frame.objects("data")
        guard data.count == 1 else { throw ReferenceError("data holds \(data.count) objects") }
        return data[0]
    }

    static func messageKind(_ text: String) throws -> MessageKind {
        switch text {
        case "snapshot": .snapshot
        case "update": .update
        default: throw ReferenceError("type \(text)")
        }
    }

    static func side(_ text: String) throws -> Side {
        switch text {
        case "buy": .buy
        case "sell": .sell
        default: throw ReferenceError("side \(text)")
        }
    }

    static func exchangeStatus(_ text: String) -> ExchangeStatus {
        switch text {
        case "online": .online
        case "maintenance": .maintenance
        case "cancel_only": .cancelOnly
        case "post_only": .postOnly
        default: .other(text)
        }
    }

    static func orderType(_ text: String) -> OrderType {
        switch text {
        case "limit": .limit
        case "market": .market
        case "iceberg": .iceberg
        case "stop-loss": .stopLoss
        case "stop-loss-limit": .stopLossLimit
        case "take-profit": .takeProfit
        case "take-profit-limit": .takeProfitLimit
        case "trailing-stop": .trailingStop
        case "trailing-stop-limit": .trailingStopLimit
        case "settle-position": .settlePosition
        default: .unknown(text)
        }
    }

    // MARK: responses and status

    static func method(_ text: String) -> V2Method {
        switch text {
        case "ping": .ping
        case "pong": .pong
        case "subscribe": .subscribe
        case "unsubscribe": .unsubscribe
        case "add_order": .addOrder
        case "cancel_order": .cancelOrder
        case "cancel_all": .cancelAll
        case "cancel_all_orders_after": .cancelAllOrdersAfter
        default: .other(text)
        }
    }

    static func response(_ frame: Fields, methodName: String) throws -> V2Response {
        let method = method(methodName)
        var result: V2ResponseResult?
        if frame["result"] != nil {
            let fields = try frame.object("result")
            switch method {
            case .subscribe, .unsubscribe:
                result = .subscription(
                    V2SubscriptionResult(
                        channel: try fields.string("channel"), symbol: try fields.optionalString("symbol"),
                        depth: try fields.optionalInt("depth"), interval: try fields.optionalInt("interval"),
                        snapshot: try fields.optionalBool("snapshot"), maxRateCount: try fields.optionalInt("maxratecount"),
                        warnings: try strings(fields, "warnings")))
            case .addOrder, .cancelOrder:
                result = .order(
                    V2OrderResult(
                        orderID: try fields.optionalString("order_id"), clientOrderID: try fields.optionalString("cl_ord_id"),
                        orderUserref: try fields.optionalInt64("order_userref"), warnings: try strings(fields, "warnings")))
            case .cancelAll:
                result = .cancelAll(count: try fields.int("count"))
            case .cancelAllOrdersAfter:
                result = .cancelAllOrdersAfter(
                    currentTime: try fields.string("currentTime"), triggerTime: try fields.string("triggerTime"))
            case .ping, .pong, .other:
                result = .unmodelled
            }
        }
        return V2Response(
            method: method, success: try frame.optionalBool("success"), requestID: try frame.optionalUInt64("req_id"),
            error: try frame.optionalString("error"), symbol: try frame.optionalString("symbol"),
            timeInNs: try frame.optionalTimestamp("time_in"), timeOutNs: try frame.optionalTimestamp("time_out"),
            result: result)
    }

    static func strings(_ fields: Fields, _ key: String) throws -> [String] {
        guard fields[key] != nil else { return [] }
        return try fields.array(key).map { element in
            guard case .string(let text) = element else { throw ReferenceError("\(key): not a string") }
            return text
        }
    }

    static func status(_ fields: Fields) throws -> V2Status {
        V2Status(
            system: exchangeStatus(try fields.string("system")), apiVersion: try fields.string("api_version"),
            connectionID: try fields.optionalUInt64("connection_id"), version: try fields.string("version"))
    }

    // MARK: market data

    static func ticker(_ fields: Fields) throws -> V2Ticker {
        V2Ticker(
            symbol: try fields.string("symbol"), bid: try fields.fixed("bid"), bidQuantity: try fields.fixed("bid_qty"),
            ask: try fields.fixed("ask"), askQuantity: try fields.fixed("ask_qty"), last: try fields.optionalFixed("last"),
            volume: try fields.optionalFixed("volume"), vwap: try fields.optionalFixed("vwap"), low: try fields.optionalFixed("low"),
            high: try fields.optionalFixed("high"), change: try fields.optionalFixed("change"),
            changePercent: try fields.optionalFixed("change_pct"), timestampNs: try fields.optionalTimestamp("timestamp"))
    }

    static func checksum(_ fields: Fields) throws -> UInt32 {
        let value = try fields.uint64("checksum")
        guard let checksum = UInt32(exactly: value) else { throw ReferenceError("checksum \(value) exceeds 32 bits") }
        return checksum
    }

    static func book(_ fields: Fields, kind: MessageKind) throws -> V2BookMessage {
        func levels(_ key: String) throws -> [PriceLevel] {
            try fields.objects(key).map { level in PriceLevel(price: try level.fixed("price"), quantity: try level.fixed("qty")) }
        }
        return V2BookMessage(
            kind: kind, symbol: try fields.string("symbol"), bids: try levels("bids"), asks: try levels("asks"),
            checksum: try checksum(fields), timestampNs: try fields.optionalTimestamp("timestamp"))
    }

    static func trade(_ fields: Fields) throws -> KrakenTrade {
        let orderType: KrakenTrade.OrderType = switch try fields.string("ord_type") {
        case "limit": .limit
        case "market": .market
        case let other: throw ReferenceError("ord_type \(other)")
        }
        return KrakenTrade(
            symbol: try fields.string("symbol"), side: try side(fields.string("side")), price: try fields.fixed("price"),
            quantity: try fields.fixed("qty"), orderType: orderType, tradeID: try fields.uint64("trade_id"),
            timestampNs: try fields.timestamp("timestamp"))
    }

    static func candle(_ fields: Fields) throws -> V2Candle {
        V2Candle(
            symbol: try fields.string("symbol"), open: try fields.fixed("open"), high: try fields.fixed("high"),
            low: try fields.fixed("low"), close: try fields.fixed("close"), vwap: try fields.fixed("vwap"),
            volume: try fields.fixed("volume"), trades: try fields.uint64("trades"),
            intervalBeginNs: try fields.timestamp("interval_begin"), interval: try fields.int("interval"),
            timestampNs: try fields.optionalTimestamp("timestamp"))
    }

    static func instrument(_ data: Fields, kind: MessageKind) throws -> V2InstrumentMessage {
        let assets = try data.objects("assets").map { asset in
            V2Asset(
                id: try asset.string("id"), status: try asset.string("status"), precision: try asset.int("precision"),
                precisionDisplay: try asset.optionalInt("precision_display"), borrowable: try asset.optionalBool("borrowable"),
                collateralValue: try asset.optionalFixed("collateral_value"), marginRate: try asset.optionalFixed("margin_rate"))
        }
        let pairs = try data.objects("pairs").map { pair in
            V2Pair(
                symbol: try pair.string("symbol"), base: try pair.string("base"), quote: try pair.string("quote"),
                status: try pair.string("status"), pricePrecision: try pair.int("price_precision"),
                quantityPrecision: try pair.int("qty_precision"), costPrecision: try pair.optionalInt("cost_precision"),
                priceIncrement: try pair.optionalFixed("price_increment"), quantityIncrement: try pair.optionalFixed("qty_increment"),
                quantityMinimum: try pair.optionalFixed("qty_min"), costMinimum: try pair.optionalFixed("cost_min"),
                marginable: try pair.optionalBool("marginable"))
        }
        return V2InstrumentMessage(kind: kind, assets: assets, pairs: pairs)
    }

    static func level3(_ fields: Fields, kind: MessageKind) throws -> V2Level3Message {
        func orders(_ key: String) throws -> [V2Level3Order] {
            try fields.objects(key).map { order in
                let event: V2Level3Order.Event? = switch try order.optionalString("event") {
                case nil: nil
                case "add": .add
                case "modify": .modify
                case "delete": .delete
                case let other?: throw ReferenceError("event \(other)")
                }
                return V2Level3Order(
                    event: event, orderID: try order.string("order_id"), limitPrice: try order.fixed("limit_price"),
                    quantity: try order.fixed("order_qty"), timestampNs: try order.timestamp("timestamp"))
            }
        }
        return V2Level3Message(
            kind: kind, symbol: try fields.string("symbol"), bids: try orders("bids"), asks: try orders("asks"),
            checksum: try checksum(fields), timestampNs: try fields.optionalTimestamp("timestamp"))
    }

    // MARK: private

    static func execution(_ fields: Fields) throws -> V2Execution {
        let execType: ExecutionType = switch try fields.string("exec_type") {
        case "pending_new": .pendingNew
        case "new": .new
        case "trade": .trade
        case "filled": .filled
        case "iceberg_refill": .icebergRefill
        case "canceled": .canceled
        case "expired": .expired
        case "amended": .amended
        case "restated": .restated
        case "status": .status
        case let other: .unknown(other)
        }
        let orderStatus: OrderStatus? = switch try fields.optionalString("order_status") {
        case nil: nil
        case "pending_new": .pendingNew
        case "new": .new
        case "partially_filled": .partiallyFilled
        case "filled": .filled
        case "canceled": .canceled
        case "expired": .expired
        case let other?: .unknown(other)
        }
        let liquidity: Liquidity? = switch try fields.optionalString("liquidity_ind") {
        case nil: nil
        case "m": .maker
        case "t": .taker
        case let other?: throw ReferenceError("liquidity_ind \(other)")
        }
        let fees = try fields.objects("fees").map { fee in Fee(asset: try fee.string("asset"), quantity: try fee.fixed("qty")) }
        return V2Execution(
            execType: execType, orderID: try fields.string("order_id"), orderStatus: orderStatus,
            execID: try fields.optionalString("exec_id"), tradeID: try fields.optionalUInt64("trade_id"),
            clientOrderID: try fields.optionalString("cl_ord_id"), orderUserref: try fields.optionalInt64("order_userref"),
            symbol: try fields.optionalString("symbol"), side: try fields.optionalString("side").map(side),
            orderType: try fields.optionalString("order_type").map(orderType),
            orderQuantity: try fields.optionalFixed("order_qty"), cashOrderQuantity: try fields.optionalFixed("cash_order_qty"),
            limitPrice: try fields.optionalFixed("limit_price"),
            triggerPrice: try fields.optionalObject("triggers")?.optionalFixed("price"),
            timeInForce: try fields.optionalString("time_in_force"), postOnly: try fields.optionalBool("post_only"),
            reduceOnly: try fields.optionalBool("reduce_only"), cumulativeQuantity: try fields.optionalFixed("cum_qty"),
            cumulativeCost: try fields.optionalFixed("cum_cost"), averagePrice: try fields.optionalFixed("avg_price"),
            lastQuantity: try fields.optionalFixed("last_qty"), lastPrice: try fields.optionalFixed("last_price"),
            cost: try fields.optionalFixed("cost"), liquidity: liquidity, fees: fees,
            feeUSDEquivalent: try fields.optionalFixed("fee_usd_equiv"), reason: try fields.optionalString("reason"),
            timestampNs: try fields.optionalTimestamp("timestamp"))
    }

    /// A snapshot lists balances (with wallets); an update lists ledger entries.
    static func balances(_ frame: Fields, kind: MessageKind) throws -> V2BalancesMessage {
        let entries = try frame.objects("data")
        var balances: [V2AssetBalance] = []
        var ledger: [V2LedgerEntry] = []
        if kind == .snapshot {
            balances = try entries.map { entry in
                V2AssetBalance(
                    asset: try entry.string("asset"), assetClass: try entry.optionalString("asset_class"),
                    balance: try entry.fixed("balance"),
                    wallets: try entry.objects("wallets").map { wallet in
                        V2Wallet(type: try wallet.string("type"), id: try wallet.string("id"), balance: try wallet.fixed("balance"))
                    })
            }
        } else {
            ledger = try entries.map { entry in
                V2LedgerEntry(
                    ledgerID: try entry.string("ledger_id"), refID: try entry.optionalString("ref_id"),
                    timestampNs: try entry.optionalTimestamp("timestamp"), type: try entry.optionalString("type"),
                    subtype: try entry.optionalString("subtype"), category: try entry.optionalString("category"),
                    asset: try entry.string("asset"), assetClass: try entry.optionalString("asset_class"),
                    walletType: try entry.optionalString("wallet_type"), walletID: try entry.optionalString("wallet_id"),
                    amount: try entry.fixed("amount"), fee: try entry.optionalFixed("fee"), balance: try entry.fixed("balance"))
            }
        }
        return V2BalancesMessage(kind: kind, sequence: try frame.uint64("sequence"), balances: balances, ledger: ledger)
    }
}
