/// The private v1 channels, `openOrders` and `ownTrades`: `[payload, channelName, {"sequence":n}]`,
/// numbers as strings (prices at the pair's decimals, volumes at its lot decimals, cost and fee
/// with at least 5 decimals as Kraken's examples show), times as epoch seconds.
extension V1Frames {
    /// Kraken's position id for trades that opened no margin position.
    static let noPositionID = "TKH2SE-M7IF5-CFI7LT"

    /// The `openOrders` snapshot: every open order in full.
    public static func openOrdersSnapshot(_ orders: [SimulatedOrder], sequence: UInt64) -> [UInt8] {
        var writer = FrameWriter(capacity: 64 + 600 * orders.count)
        writer.raw("[[")
        writer.list(orders) { writer, order in
            keyed(order.id, into: &writer) { writer in fullOrder(order, into: &writer) }
        }
        privateTrailer(channel: "openOrders", sequence: sequence, into: &writer)
        return writer.bytes
    }

    /// `openOrders` updates: a new order in full (`pending`), then only what changed — the
    /// status (`open`, `closed`, `canceled`, `expired`) and, on fills, `vol_exec`, `cost`,
    /// `fee`, `avg_price`.
    public static func openOrdersUpdate(_ events: [ExecutionEvent], sequence: UInt64) -> [UInt8] {
        var writer = FrameWriter(capacity: 64 + 300 * events.count)
        writer.raw("[[")
        writer.list(events) { writer, event in
            let order = event.order
            keyed(order.id, into: &writer) { writer in
                switch event.execType {
                case .pendingNew:
                    fullOrder(order, into: &writer)
                case .new:
                    writer.raw(#""status":"open""#)
                    references(order, into: &writer)
                case .trade:
                    writer.raw(#""lastupdated":"#)
                    writer.epochSeconds(nanoseconds: event.timestampNs)
                    totals(order, into: &writer)
                    references(order, into: &writer)
                case .filled, .canceled, .expired:
                    writer.raw(#""lastupdated":"#)
                    writer.epochSeconds(nanoseconds: event.timestampNs)
                    writer.raw(#","status":"#)
                    writer.string(statusName(order.status))
                    totals(order, into: &writer)
                    references(order, into: &writer)
                    if let reason = order.closeReason {
                        writer.raw(#","cancel_reason":"#)
                        writer.string(reason)
                    }
                }
            }
        }
        privateTrailer(channel: "openOrders", sequence: sequence, into: &writer)
        return writer.bytes
    }

    /// `ownTrades`: one object per fill keyed by its trade id. `cl_ord_id` and `userref` are
    /// sent in updates only, as Kraken documents.
    public static func ownTrades(_ fills: [ExecutionEvent], snapshot: Bool, sequence: UInt64) -> [UInt8] {
        var writer = FrameWriter(capacity: 64 + 330 * fills.count)
        writer.raw("[[")
        let trades = fills.compactMap { event in event.fill.map { (event, $0) } }
        writer.list(trades) { writer, trade in
            let (event, fill) = trade
            let order = event.order
            keyed(fill.execID, into: &writer) { writer in
                writer.raw(#""cost":"#)
                writer.quotedDecimal(mantissa: fill.cost, scale: order.quoteScale, atLeast: 5)
                writer.raw(#","fee":"#)
                writer.quotedDecimal(mantissa: fill.fee, scale: order.quoteScale, atLeast: 5)
                writer.raw(#","margin":"0.00000","ordertxid":"#)
                writer.string(order.id)
                writer.raw(order.type == .limit ? #","ordertype":"limit","pair":"# : #","ordertype":"market","pair":"#)
                writer.string(order.pair.v1Name)
                writer.raw(#","postxid":"#)
                writer.string(noPositionID)
                writer.raw(#","price":"#)
                writer.quotedDecimal(mantissa: fill.price, scale: order.pair.priceScale)
                writer.raw(#","time":"#)
                writer.epochSeconds(nanoseconds: event.timestampNs)
                writer.raw(order.side == .buy ? #","type":"buy","vol":"# : #","type":"sell","vol":"#)
                writer.quotedDecimal(mantissa: fill.quantity, scale: order.pair.quantityScale)
                if !snapshot { references(order, into: &writer) }
            }
        }
        privateTrailer(channel: "ownTrades", sequence: sequence, into: &writer)
        return writer.bytes
    }

    /// The whole order, keys in the order of Kraken's example (alphabetical).
    static func fullOrder(_ order: SimulatedOrder, into writer: inout FrameWriter) {
        let pair = order.pair
        writer.raw(#""avg_price":"#)
        averagePrice(order, into: &writer)
        if let clientOrderID = order.clientOrderID {
            writer.raw(#","cl_ord_id":"#)
            writer.string(clientOrderID)
        }
        writer.raw(#","cost":"#)
        writer.quotedDecimal(mantissa: order.cumulativeCost, scale: order.quoteScale, atLeast: 5)
        writer.raw(#","descr":{"close":null,"leverage":null,"order":"#)
        writer.string(OrderText.describe(order, pairName: pair.v1Name))
        writer.raw(order.type == .limit ? #","ordertype":"limit","pair":"# : #","ordertype":"market","pair":"#)
        writer.string(pair.v1Name)
        writer.raw(#","price":"#)
        OrderText.limitPrice(order, into: &writer)
        writer.raw(order.side == .buy ? #","price2":"0.00000","type":"buy"},"expiretm":"# : #","price2":"0.00000","type":"sell"},"expiretm":"#)
        if let expiry = order.expireTimeNs { writer.epochSeconds(nanoseconds: expiry) } else { writer.raw("null") }
        writer.raw(#","fee":"#)
        writer.quotedDecimal(mantissa: order.fees, scale: order.quoteScale, atLeast: 5)
        writer.raw(#","limitprice":"#)
        OrderText.limitPrice(order, into: &writer)
        writer.raw(#","misc":"","oflags":"fciq","opentm":"#)
        writer.epochSeconds(nanoseconds: order.openTimeNs)
        writer.raw(#","refid":null,"starttm":null,"status":"#)
        writer.string(statusName(order.status))
        writer.raw(#","stopprice":"0.00000","timeinforce":"#)
        writer.string(order.timeInForce)
        writer.raw(#","userref":"#)
        if let userref = order.userref { writer.integer(userref) } else { writer.raw("null") }
        writer.raw(#","vol":"#)
        writer.quotedDecimal(mantissa: order.quantity, scale: pair.quantityScale)
        writer.raw(#","vol_exec":"#)
        writer.quotedDecimal(mantissa: order.filledQuantity, scale: pair.quantityScale)
    }

    private static func totals(_ order: SimulatedOrder, into writer: inout FrameWriter) {
        writer.raw(#","vol_exec":"#)
        writer.quotedDecimal(mantissa: order.filledQuantity, scale: order.pair.quantityScale)
        writer.raw(#","cost":"#)
        writer.quotedDecimal(mantissa: order.cumulativeCost, scale: order.quoteScale, atLeast: 5)
        writer.raw(#","fee":"#)
        writer.quotedDecimal(mantissa: order.fees, scale: order.quoteScale, atLeast: 5)
        writer.raw(#","avg_price":"#)
        averagePrice(order, into: &writer)
    }

    /// Kraken writes a price that is not set as `"0.00000"`.
    private static func averagePrice(_ order: SimulatedOrder, into writer: inout FrameWriter) {
        if order.filledQuantity == 0 { writer.raw(#""0.00000""#) } else {
            writer.quotedDecimal(mantissa: order.averagePrice, scale: order.pair.priceScale)
        }
    }

    private static func references(_ order: SimulatedOrder, into writer: inout FrameWriter) {
        if let clientOrderID = order.clientOrderID {
            writer.raw(#","cl_ord_id":"#)
            writer.string(clientOrderID)
        }
        if let userref = order.userref {
            writer.raw(#","userref":"#)
            writer.integer(userref)
        }
    }

    /// `{"<key>":{…}}`
    private static func keyed(_ key: String, into writer: inout FrameWriter, _ body: (inout FrameWriter) -> Void) {
        writer.raw("{")
        writer.string(key)
        writer.raw(":{")
        body(&writer)
        writer.raw("}}")
    }

    private static func privateTrailer(channel: String, sequence: UInt64, into writer: inout FrameWriter) {
        writer.raw("],")
        writer.string(channel)
        writer.raw(#",{"sequence":"#)
        writer.integer(sequence)
        writer.raw("}]")
    }

    /// v1 and REST order status: `pending`, `open`, `closed`, `canceled`, `expired`.
    static func statusName(_ status: SimulatedOrder.Status) -> String {
        switch status {
        case .pendingNew: "pending"
        case .new, .partiallyFilled: "open"
        case .filled: "closed"
        case .canceled: "canceled"
        case .expired: "expired"
        }
    }
}
