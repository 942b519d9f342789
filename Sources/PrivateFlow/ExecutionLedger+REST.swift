import FixedPoint
import KrakenREST
import KrakenWire
import WireFormat

/// Which REST answer is being reconciled; its name becomes the reports' `kraken_exec_type`.
public enum RESTOrderSource: String, Sendable {
    case openOrders = "OpenOrders"
    case queryOrders = "QueryOrders"
    case closedOrders = "ClosedOrders"
    case tradesHistory = "TradesHistory"
}

/// What one REST reconciliation read: the order answers (each with the endpoint it came from)
/// and the trades TradesHistory reported for the same window.
public struct RESTReconciliation: Sendable {
    public var orders: [(order: RESTOrder, source: RESTOrderSource)]
    public var trades: [RESTTrade]

    public init(orders: [(order: RESTOrder, source: RESTOrderSource)] = [], trades: [RESTTrade] = []) {
        self.orders = orders
        self.trades = trades
    }
}

extension ExecutionLedger {
    /// Publishes what the WebSocket stream should have told and did not (after a connect, a
    /// sequence gap or a reconnect, once the resubscription snapshot has been applied).
    ///
    /// In three passes, so that each order downstream still reads NEW → fills → terminal:
    /// 1. every order answer is merged into the cache (a later answer for the same order wins:
    ///    pass OpenOrders first, then QueryOrders and ClosedOrders); an order never reported and
    ///    not `pending` gets its NEW (key `<order>:new`, as on the stream), oldest first;
    /// 2. every trade TradesHistory reported and nobody published is published as the real fill
    ///    it was (its trade id is the stream's exec id, so a fill is never told twice), oldest
    ///    first;
    /// 3. each order's totals close what is left: `vol_exec` above what was published (trades
    ///    older than the TradesHistory window) becomes ONE inferred fill keyed
    ///    `<order>:filled-through:<vol_exec>` at the volume-weighted price of the missing part
    ///    (see `inferFill`; real trades arriving later for it are absorbed); `canceled` /
    ///    `expired` not yet published → CANCELED / EXPIRED once (reason from REST); `closed`
    ///    whose fills are all published → nothing more.
    /// Orders and trades unknown to the ledger are named with `symbols` (REST uses altnames such
    /// as `XBTUSD` and pair keys such as `XXBTZUSD`); without a match REST's name is kept.
    public mutating func reconcile(_ answers: RESTReconciliation, symbols: SymbolMap?, receivedAtNs: Int64) -> FlowOutput {
        var output = FlowOutput()
        var settled: [(order: RESTOrder, source: RESTOrderSource, terminal: KBOrderStatus?)] = []
        for (order, source) in answers.orders {
            // A closed order REST history repeats after it was forgotten (open ones never are).
            if order.status != .open, isForgotten(order.orderID, at: order.closeTimeNs ?? order.openTimeNs) {
                output.notes.append(.forgottenOrder(orderID: order.orderID, krakenEvent: source.rawValue))
                continue
            }
            orders.update(order.orderID, at: receivedAtNs) { record in Self.merge(order, symbols: symbols, into: &record) }
            let terminal: KBOrderStatus?
            switch order.status {
            case .pending:
                output.notes.append(.cacheOnly(orderID: order.orderID, krakenEvent: source.rawValue))
                continue
            case .open: terminal = nil
            case .closed: terminal = .filled
            case .canceled: terminal = .canceled
            case .expired: terminal = .expired
            case .other(let text):
                output.notes.append(.unhandled(.restOrderStatus(orderID: order.orderID, text: text)))
                continue
            }
            settled.removeAll { $0.order.orderID == order.orderID }
            settled.append((order, source, terminal))
        }
        for (order, source, _) in settled.sorted(by: { ($0.order.openTimeNs, $0.order.orderID) < ($1.order.openTimeNs, $1.order.orderID) })
        where orders[order.orderID]?.reportedStatus == nil {
            reportNew(order.orderID, krakenStatus: KrakenVocabulary.text(order.status), timestampNs: order.openTimeNs,
                      Self.restContext(source, receivedAtNs), into: &output)
        }
        let tradeContext = Self.restContext(.tradesHistory, receivedAtNs)
        for trade in answers.trades.sorted(by: { ($0.timeNs, $0.tradeID) < ($1.timeNs, $1.tradeID) }) {
            applyRESTTrade(trade, symbols: symbols, tradeContext, into: &output)
        }
        for (order, source, terminal) in settled {
            let totals = OrderTotals(
                terminal: terminal, krakenStatus: KrakenVocabulary.text(order.status), reason: order.reason,
                timestampNs: order.closeTimeNs ?? 0, inferMissingFills: true, inferenceOrigin: .restReconciliation)
            applyTotals(order.orderID, totals, Self.restContext(source, receivedAtNs), into: &output)
        }
        return output
    }

    /// One endpoint's order answers (see `reconcile(_:symbols:receivedAtNs:)`).
    public mutating func reconcile(
        _ restOrders: [RESTOrder], from source: RESTOrderSource, symbols: SymbolMap?, receivedAtNs: Int64
    ) -> FlowOutput {
        reconcile(RESTReconciliation(orders: restOrders.map { ($0, source) }), symbols: symbols, receivedAtNs: receivedAtNs)
    }

    private static func restContext(_ source: RESTOrderSource, _ receivedAtNs: Int64) -> EventContext {
        EventContext(sequence: 0, origin: .restReconciliation, receivedAtNs: receivedAtNs, krakenEvent: source.rawValue)
    }

    /// A TradesHistory trade: published as a fill unless its id was published (or absorbed)
    /// already. An order first heard of here is named from the trade.
    private mutating func applyRESTTrade(_ trade: RESTTrade, symbols: SymbolMap?, _ context: EventContext, into output: inout FlowOutput) {
        if isForgotten(trade.orderID, at: trade.timeNs) {
            output.notes.append(.forgottenOrder(orderID: trade.orderID, krakenEvent: context.krakenEvent))
            return
        }
        orders.update(trade.orderID, at: context.receivedAtNs) { record in
            if record.symbol == nil { record.symbol = symbols?.symbol(for: trade.pair) ?? trade.pair }
            if record.side == .unspecified { record.side = trade.side == .buy ? .buy : .sell }
            record.krakenOrderType.merge(trade.orderType)
        }
        let liquidity: KBLiquidity = switch trade.isMaker {
        case true?: .maker
        case false?: .taker
        case nil: .unspecified
        }
        let fee = KrakenVocabulary.quoteAsset(of: orders[trade.orderID]?.symbol).map { Fee(asset: $0, quantity: trade.fee) }
        let facts = TradeFacts(
            execID: trade.tradeID, tradeID: trade.publicTradeNumber.map { String($0) }, quantity: trade.volume, price: trade.price,
            cost: trade.cost, fee: fee, liquidity: liquidity, cumulativeQuantity: nil, completesOrder: false,
            krakenStatus: orders[trade.orderID]?.krakenStatus ?? "", timestampNs: trade.timeNs)
        applyTrade(trade.orderID, facts, context, into: &output)
    }

    /// Orders the ledger still considers open that an OpenOrders answer no longer lists: they
    /// closed while the stream was away; query them (QueryOrders takes at most 50 ids a call)
    /// and pass the answer to `reconcile`.
    public func ordersToQuery(afterOpenOrders open: [RESTOrder]) -> [String] {
        let listed = Set(open.map(\.orderID))
        return orders.orderIDs.filter { id in !listed.contains(id) && orders[id]?.isTerminal == false }
    }

    /// Open orders not heard of for longer than `thresholdNs` at `nowNs` (the caller's clock),
    /// stalest first: a quiet order may have missed its updates, so the caller queries it.
    public func silentOrders(nowNs: Int64, thresholdNs: Int64) -> [String] {
        orders.orderIDs
            .compactMap { orders[$0] }
            .filter { !$0.isTerminal && nowNs - $0.lastUpdateNs > thresholdNs }
            .sorted { ($0.lastUpdateNs, $0.orderID) < ($1.lastUpdateNs, $1.orderID) }
            .map(\.orderID)
    }

    private static func merge(_ order: RESTOrder, symbols: SymbolMap?, into record: inout OrderRecord) {
        let description = order.description
        if record.symbol == nil { record.symbol = symbols?.symbol(for: description.pair) ?? description.pair }
        record.side = description.side == .buy ? .buy : .sell
        record.krakenOrderType.merge(description.orderType)
        if KrakenVocabulary.isTriggered(description.orderType) {
            record.stopPrice.merge(description.price.nonZero)
            record.limitPrice.merge(description.price2.nonZero)
        } else if description.orderType != "market" {
            record.limitPrice.merge(description.price.nonZero)
        }
        record.orderQuantity = order.volume
        record.advance(cumulative: order.volumeExecuted, cost: order.cost, average: order.averagePrice, fee: order.fee)
        record.clientOrderID.merge(order.clientOrderID)
        record.krakenStatus = KrakenVocabulary.text(order.status)
    }
}
