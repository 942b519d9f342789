import FixedPoint
import KrakenREST
import KrakenWire
import WireFormat

/// Which REST answer is being reconciled; its name becomes the reports' `kraken_exec_type`.
public enum RESTOrderSource: String, Sendable {
    case openOrders = "OpenOrders"
    case queryOrders = "QueryOrders"
}

extension ExecutionLedger {
    /// Publishes what the WebSocket stream should have told and did not (after a sequence gap
    /// or a reconnect, once the resubscription snapshot has been applied).
    ///
    /// REST gives cumulative figures only (`vol_exec`, `cost`, `fee`, average `price`), never
    /// the individual trades, so per order:
    /// - never reported and not `pending` → NEW (key `<order>:new`, as on the stream);
    /// - `vol_exec` above what was published → ONE inferred fill for the difference: a
    ///   PARTIALLY_FILLED report (FILLED if the order is `closed` or fully executed) and a Fill,
    ///   both keyed `<order>:filled-through:<vol_exec>`, origin `.restReconciliation`, priced
    ///   at the volume-weighted price of the missing part (see `inferFill`). Real trades that
    ///   arrive later for that quantity are absorbed, not published again;
    /// - `canceled` / `expired` not yet published → CANCELED / EXPIRED once (reason from REST);
    /// - `closed` whose fills were all published as FILLED already → nothing.
    /// Orders unknown to the ledger are named with `symbols` (REST uses altnames such as
    /// `XBTUSD`); without a match the altname is kept.
    public mutating func reconcile(
        _ restOrders: [RESTOrder], from source: RESTOrderSource, symbols: SymbolMap?, receivedAtNs: Int64
    ) -> FlowOutput {
        var output = FlowOutput()
        let context = EventContext(sequence: 0, origin: .restReconciliation, receivedAtNs: receivedAtNs, krakenEvent: source.rawValue)
        for order in restOrders {
            orders.update(order.orderID, at: receivedAtNs) { record in Self.merge(order, symbols: symbols, into: &record) }
            let krakenStatus = KrakenVocabulary.text(order.status)
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
            if orders[order.orderID]?.reportedStatus == nil {
                reportNew(order.orderID, krakenStatus: krakenStatus, timestampNs: order.openTimeNs, context, into: &output)
            }
            let totals = OrderTotals(
                terminal: terminal, krakenStatus: krakenStatus, reason: order.reason, timestampNs: order.closeTimeNs ?? 0,
                inferMissingFills: true, inferenceOrigin: .restReconciliation)
            applyTotals(order.orderID, totals, context, into: &output)
        }
        return output
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
