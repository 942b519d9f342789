/// The private v2 channels, `executions` and `balances`, written from account events with the
/// top-level `sequence` the caller numbers per subscription.
extension V2Frames {
    /// The `executions` snapshot: every open order (`exec_type` `new`, with its current status
    /// and fills so far), then `trades` (e.g. `recentFills()`) when `snap_trades` was asked for.
    public static func executionsSnapshot(openOrders: [SimulatedOrder], trades: [ExecutionEvent] = [], sequence: UInt64) -> [UInt8] {
        var writer = FrameWriter(capacity: 64 + 400 * (openOrders.count + trades.count))
        writer.raw(#"{"channel":"executions","type":"snapshot","data":["#)
        writer.list(openOrders) { writer, order in openOrderReport(order, into: &writer) }
        if !openOrders.isEmpty && !trades.isEmpty { writer.raw(",") }
        writer.list(trades) { writer, event in executionReport(event, into: &writer) }
        writer.raw(#"],"sequence":"#)
        writer.integer(sequence)
        writer.raw("}")
        return writer.bytes
    }

    /// An `executions` update with one report per event, in order.
    public static func executionsUpdate(_ events: [ExecutionEvent], sequence: UInt64) -> [UInt8] {
        var writer = FrameWriter(capacity: 64 + 400 * events.count)
        writer.raw(#"{"channel":"executions","type":"update","data":["#)
        writer.list(events) { writer, event in executionReport(event, into: &writer) }
        writer.raw(#"],"sequence":"#)
        writer.integer(sequence)
        writer.raw("}")
        return writer.bytes
    }

    /// The fields each `exec_type` carries, as Kraken's examples show them: `pending_new` the
    /// whole order, `new` only ids and statuses, `trade` the fill with the order's totals,
    /// `filled`/`canceled`/`expired` the totals (and the reason).
    static func executionReport(_ event: ExecutionEvent, into writer: inout FrameWriter) {
        let order = event.order
        switch event.execType {
        case .pendingNew:
            ids(order, into: &writer)
            writer.raw(#","symbol":"#)
            writer.string(order.pair.symbol)
            writer.raw(#","order_qty":"#)
            writer.v2Number(mantissa: order.quantity, scale: order.pair.quantityScale)
            writer.raw(#","cum_cost":"#)
            writer.v2Number(mantissa: order.cumulativeCost, scale: order.quoteScale)
            terms(order, into: &writer)
            writer.raw(#","exec_type":"pending_new","#)
            sideAndPrice(order, into: &writer)
            writer.raw(#","order_status":"pending_new""#)
            feeEquivalent(order.fees, order, into: &writer)
            writer.raw(#","fee_ccy_pref":"fciq","timestamp":"#)
            writer.rfc3339(nanoseconds: event.timestampNs)
        case .new:
            writer.raw(#"{"timestamp":"#)
            writer.rfc3339(nanoseconds: event.timestampNs)
            writer.raw(#","order_status":"new","exec_type":"new""#)
            references(order, into: &writer)
            writer.raw(#","order_id":"#)
            writer.string(order.id)
        case .trade:
            // Only the account makes events, and its trade events always carry their fill.
            guard let fill = event.fill else { return filledReport(event, into: &writer) }
            ids(order, into: &writer)
            writer.raw(#","exec_id":"#)
            writer.string(fill.execID)
            writer.raw(#","exec_type":"trade","trade_id":"#)
            writer.integer(fill.tradeID)
            writer.raw(#","symbol":"#)
            writer.string(order.pair.symbol)
            writer.raw(order.side == .buy ? #","side":"buy","last_qty":"# : #","side":"sell","last_qty":"#)
            writer.v2Number(mantissa: fill.quantity, scale: order.pair.quantityScale)
            writer.raw(#","last_price":"#)
            writer.v2Number(mantissa: fill.price, scale: order.pair.priceScale)
            writer.raw(fill.isMaker ? #","liquidity_ind":"m","cost":"# : #","liquidity_ind":"t","cost":"#)
            writer.v2Number(mantissa: fill.cost, scale: order.quoteScale)
            writer.raw(order.type == .limit ? #","order_type":"limit","timestamp":"# : #","order_type":"market","timestamp":"#)
            writer.rfc3339(nanoseconds: event.timestampNs)
            writer.raw(#","order_status":"#)
            writer.string(statusName(order.status))
            totals(order, into: &writer)
            feeEquivalent(fill.fee, order, into: &writer)
            writer.raw(#","fees":[{"asset":"#)
            writer.string(order.pair.quote)
            writer.raw(#","qty":"#)
            writer.v2Number(mantissa: fill.fee, scale: order.quoteScale)
            writer.raw("}]")
        case .filled:
            return filledReport(event, into: &writer)
        case .canceled, .expired:
            writer.raw(#"{"timestamp":"#)
            writer.rfc3339(nanoseconds: event.timestampNs)
            writer.raw(event.execType == .canceled ? #","order_status":"canceled","exec_type":"canceled""# : #","order_status":"expired","exec_type":"expired""#)
            references(order, into: &writer)
            writer.raw(#","order_id":"#)
            writer.string(order.id)
            totals(order, into: &writer)
            feeEquivalent(order.fees, order, into: &writer)
            if let reason = order.closeReason {
                writer.raw(#","reason":"#)
                writer.string(reason)
            }
        }
        writer.raw("}")
    }

    /// `filled`: the order's totals.
    private static func filledReport(_ event: ExecutionEvent, into writer: inout FrameWriter) {
        let order = event.order
        ids(order, into: &writer)
        writer.raw(#","exec_type":"filled""#)
        totals(order, into: &writer)
        feeEquivalent(order.fees, order, into: &writer)
        writer.raw(#","order_status":"filled","timestamp":"#)
        writer.rfc3339(nanoseconds: event.timestampNs)
        writer.raw("}")
    }

    /// An open order in a snapshot: the whole order with its fills so far.
    static func openOrderReport(_ order: SimulatedOrder, into writer: inout FrameWriter) {
        ids(order, into: &writer)
        writer.raw(#","symbol":"#)
        writer.string(order.pair.symbol)
        writer.raw(#","order_qty":"#)
        writer.v2Number(mantissa: order.quantity, scale: order.pair.quantityScale)
        terms(order, into: &writer)
        writer.raw(#","exec_type":"new","#)
        sideAndPrice(order, into: &writer)
        writer.raw(#","order_status":"#)
        writer.string(statusName(order.status))
        totals(order, into: &writer)
        feeEquivalent(order.fees, order, into: &writer)
        writer.raw(#","timestamp":"#)
        writer.rfc3339(nanoseconds: order.lastUpdateNs)
        writer.raw("}")
    }

    /// `{"order_id":…` and the client's references.
    private static func ids(_ order: SimulatedOrder, into writer: inout FrameWriter) {
        writer.raw(#"{"order_id":"#)
        writer.string(order.id)
        references(order, into: &writer)
    }

    private static func references(_ order: SimulatedOrder, into writer: inout FrameWriter) {
        if let clientOrderID = order.clientOrderID {
            writer.raw(#","cl_ord_id":"#)
            writer.string(clientOrderID)
        }
        if let userref = order.userref {
            writer.raw(#","order_userref":"#)
            writer.integer(userref)
        }
    }

    private static func terms(_ order: SimulatedOrder, into writer: inout FrameWriter) {
        writer.raw(#","time_in_force":"#)
        writer.string(order.timeInForce)
        if let expiry = order.expireTimeNs {
            writer.raw(#","expire_time":"#)
            writer.rfc3339(nanoseconds: expiry)
        }
    }

    private static func sideAndPrice(_ order: SimulatedOrder, into writer: inout FrameWriter) {
        writer.raw(order.side == .buy ? #""side":"buy","# : #""side":"sell","#)
        writer.raw(order.type == .limit ? #""order_type":"limit""# : #""order_type":"market""#)
        if let limit = order.limitPrice {
            writer.raw(#","limit_price_type":"static","limit_price":"#)
            writer.v2Number(mantissa: limit, scale: order.pair.priceScale)
        }
    }

    private static func totals(_ order: SimulatedOrder, into writer: inout FrameWriter) {
        writer.raw(#","cum_qty":"#)
        writer.v2Number(mantissa: order.filledQuantity, scale: order.pair.quantityScale)
        writer.raw(#","cum_cost":"#)
        writer.v2Number(mantissa: order.cumulativeCost, scale: order.quoteScale)
        writer.raw(#","avg_price":"#)
        writer.v2Number(mantissa: order.averagePrice, scale: order.pair.priceScale)
    }

    /// `fee_usd_equiv`, only when the fee is already in US dollars (the simulator has no rates).
    private static func feeEquivalent(_ fee: Int64, _ order: SimulatedOrder, into writer: inout FrameWriter) {
        guard order.pair.quote == "USD" else { return }
        writer.raw(#","fee_usd_equiv":"#)
        writer.v2Number(mantissa: fee, scale: order.quoteScale)
    }

    static func statusName(_ status: SimulatedOrder.Status) -> String {
        switch status {
        case .pendingNew: "pending_new"
        case .new: "new"
        case .partiallyFilled: "partially_filled"
        case .filled: "filled"
        case .canceled: "canceled"
        case .expired: "expired"
        }
    }
}
