/// Kraken's history endpoints over the simulated account, `POST /0/private/ClosedOrders` and
/// `/0/private/TradesHistory`, paged like Kraken's: at most 50 results a page, most recent
/// first, `count` the number matching in all, `ofs` the offset of the page; `start` (exclusive)
/// and `end` (inclusive) bound the time (close time for orders, Kraken's default `closetime`
/// both is read as close time).
public enum PrivateRESTHistory {
    public static let pageSize = 50

    /// What a history request asks for.
    public struct Window: Sendable, Equatable {
        public var startNs: Int64?
        public var endNs: Int64?
        public var offset: Int

        public init(startNs: Int64? = nil, endNs: Int64? = nil, offset: Int = 0) {
            self.startNs = startNs
            self.endNs = endNs
            self.offset = offset
        }

        func contains(_ timeNs: Int64) -> Bool {
            (startNs.map { timeNs > $0 } ?? true) && (endNs.map { timeNs <= $0 } ?? true)
        }
    }

    /// `{"error":[],"result":{"closed":{…},"count":N}}`.
    public static func closedOrders(_ account: SimulatedAccount, window: Window, includeTrades: Bool = false) -> [UInt8] {
        let matching = account.closedOrders
            .filter { window.contains($0.closeTimeNs ?? $0.lastUpdateNs) }
            .sorted { ($0.closeTimeNs ?? 0, $0.id) > ($1.closeTimeNs ?? 0, $1.id) }
        let page = Array(matching.dropFirst(max(window.offset, 0)).prefix(pageSize))
        var writer = FrameWriter(capacity: 64 + 700 * page.count)
        writer.raw(#"{"error":[],"result":{"closed":{"#)
        writer.list(page) { writer, order in PrivateRESTBodies.keyedOrder(order, includeTrades: includeTrades, into: &writer) }
        writer.raw(#"},"count":"#)
        writer.integer(matching.count)
        writer.raw("}}")
        return writer.bytes
    }

    /// `{"error":[],"result":{"trades":{"<trade id>":{…},…},"count":N}}`, each trade as
    /// Kraken's documentation shows it: REST pair key, epoch seconds with 4 decimals, price and
    /// volume at the pair's decimals, cost and fee with at least 5.
    public static func tradesHistory(_ account: SimulatedAccount, window: Window) -> [UInt8] {
        let matching = account.events.compactMap { event -> ExecutionEvent? in
            guard let execution = event.execution, execution.execType == .trade, execution.fill != nil,
                  window.contains(execution.timestampNs) else { return nil }
            return execution
        }.reversed()
        let page = Array(matching.dropFirst(max(window.offset, 0)).prefix(pageSize))
        var writer = FrameWriter(capacity: 64 + 400 * page.count)
        writer.raw(#"{"error":[],"result":{"trades":{"#)
        writer.list(page) { writer, execution in trade(execution, into: &writer) }
        writer.raw(#"},"count":"#)
        writer.integer(matching.count)
        writer.raw("}}")
        return writer.bytes
    }

    static func trade(_ execution: ExecutionEvent, into writer: inout FrameWriter) {
        guard let fill = execution.fill else { return }
        let order = execution.order
        let pair = order.pair
        writer.string(fill.execID)
        writer.raw(#":{"ordertxid":"#)
        writer.string(order.id)
        writer.raw(#","postxid":"TKH2SE-M7IF5-CFI7LT","pair":"#)
        writer.string(pair.restKey)
        writer.raw(#","time":"#)
        PrivateRESTBodies.seconds(execution.timestampNs, into: &writer)
        writer.raw(order.side == .buy ? #","type":"buy","ordertype":"# : #","type":"sell","ordertype":"#)
        writer.raw(order.type == .limit ? #""limit","price":"# : #""market","price":"#)
        writer.quotedDecimal(mantissa: fill.price, scale: pair.priceScale)
        writer.raw(#","cost":"#)
        writer.quotedDecimal(mantissa: fill.cost, scale: order.quoteScale, atLeast: 5)
        writer.raw(#","fee":"#)
        writer.quotedDecimal(mantissa: fill.fee, scale: order.quoteScale, atLeast: 5)
        writer.raw(#","vol":"#)
        writer.quotedDecimal(mantissa: fill.quantity, scale: pair.quantityScale)
        writer.raw(#","margin":"0.00000","misc":"","trade_id":"#)
        writer.integer(fill.tradeID)
        writer.raw(fill.isMaker ? #","maker":true}"# : #","maker":false}"#)
    }
}
