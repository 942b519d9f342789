/// Kraken REST bodies for the account's orders, `POST /0/private/OpenOrders` and
/// `/0/private/QueryOrders`, shaped like Kraken's documented examples: `descr.pair` is the REST
/// altname (`XBTUSD`), volumes and prices are strings at the pair's decimals, costs and fees have
/// at least 5 decimals, unset prices are `"0.00000"`, and times are JSON numbers of epoch seconds
/// with 4 decimals.
public enum PrivateRESTBodies {
    /// QueryOrders takes at most this many ids.
    public static let maximumQueryIDs = 50

    /// `{"error":["EOrder:Insufficient funds"]}` and the like.
    public static func error(_ message: String) -> [UInt8] {
        var writer = FrameWriter()
        writer.raw(#"{"error":["#)
        writer.string(message)
        writer.raw("]}")
        return writer.bytes
    }

    /// `{"error":[],"result":{"open":{"<txid>":{…},…}}}`, optionally only the orders with `userref`.
    public static func openOrders(_ account: SimulatedAccount, includeTrades: Bool = false, userref: Int64? = nil) -> [UInt8] {
        let orders = account.openOrders.filter { userref == nil || $0.userref == userref }
        var writer = FrameWriter(capacity: 64 + 700 * orders.count)
        writer.raw(#"{"error":[],"result":{"open":{"#)
        writer.list(orders) { writer, order in keyedOrder(order, includeTrades: includeTrades, into: &writer) }
        writer.raw("}}}")
        return writer.bytes
    }

    /// `{"error":[],"result":{"<txid>":{…},…}}` for the ids the account knows (unknown ids are
    /// left out); more than `maximumQueryIDs` ids is `EGeneral:Invalid arguments`.
    public static func queryOrders(_ account: SimulatedAccount, ids: [String], includeTrades: Bool = false) -> [UInt8] {
        guard ids.count <= maximumQueryIDs else { return error("EGeneral:Invalid arguments") }
        var seen: Set<String> = []
        let orders = ids.compactMap { id in seen.insert(id).inserted ? account.order(id: id) : nil }
        var writer = FrameWriter(capacity: 64 + 700 * orders.count)
        writer.raw(#"{"error":[],"result":{"#)
        writer.list(orders) { writer, order in keyedOrder(order, includeTrades: includeTrades, into: &writer) }
        writer.raw("}}")
        return writer.bytes
    }

    static func keyedOrder(_ order: SimulatedOrder, includeTrades: Bool, into writer: inout FrameWriter) {
        let pair = order.pair
        let altname = pair.v1Name.filter { $0 != "/" }
        writer.string(order.id)
        writer.raw(#":{"refid":null,"userref":"#)
        if let userref = order.userref { writer.integer(userref) } else { writer.raw("null") }
        if let clientOrderID = order.clientOrderID {
            writer.raw(#","cl_ord_id":"#)
            writer.string(clientOrderID)
        }
        writer.raw(#","status":"#)
        writer.string(V1Frames.statusName(order.status))
        if !order.status.isOpen {
            writer.raw(#","reason":"#)
            if let reason = order.closeReason { writer.string(reason) } else { writer.raw("null") }
        }
        writer.raw(#","opentm":"#)
        seconds(order.openTimeNs, into: &writer)
        if let closeTime = order.closeTimeNs {
            writer.raw(#","closetm":"#)
            seconds(closeTime, into: &writer)
        }
        writer.raw(#","starttm":0,"expiretm":"#)
        if let expiry = order.expireTimeNs { seconds(expiry, into: &writer) } else { writer.raw("0") }
        writer.raw(#","descr":{"pair":"#)
        writer.string(altname)
        writer.raw(order.side == .buy ? #","type":"buy","ordertype":"# : #","type":"sell","ordertype":"#)
        writer.raw(order.type == .limit ? #""limit","price":"# : #""market","price":"#)
        OrderText.limitPrice(order, into: &writer)
        writer.raw(#","price2":"0","leverage":"none","order":"#)
        writer.string(OrderText.describe(order, pairName: altname))
        writer.raw(#","close":""},"vol":"#)
        writer.quotedDecimal(mantissa: order.quantity, scale: pair.quantityScale)
        writer.raw(#","vol_exec":"#)
        writer.quotedDecimal(mantissa: order.filledQuantity, scale: pair.quantityScale)
        writer.raw(#","cost":"#)
        writer.quotedDecimal(mantissa: order.cumulativeCost, scale: order.quoteScale, atLeast: 5)
        writer.raw(#","fee":"#)
        writer.quotedDecimal(mantissa: order.fees, scale: order.quoteScale, atLeast: 5)
        writer.raw(#","price":"#)
        if order.filledQuantity == 0 { writer.raw(#""0.00000""#) } else {
            writer.quotedDecimal(mantissa: order.averagePrice, scale: pair.priceScale)
        }
        writer.raw(#","stopprice":"0.00000","limitprice":"0.00000","misc":"","oflags":"fciq""#)
        if includeTrades && !order.tradeIDs.isEmpty {
            writer.raw(#","trades":["#)
            writer.list(order.tradeIDs) { writer, id in writer.string(id) }
            writer.raw("]")
        }
        writer.raw("}")
    }

    /// Epoch seconds with 4 decimals as a JSON number (`1688666559.8974`), truncated.
    static func seconds(_ nanoseconds: Int64, into writer: inout FrameWriter) {
        writer.decimal(mantissa: nanoseconds / 100_000, scale: 4)
    }
}
