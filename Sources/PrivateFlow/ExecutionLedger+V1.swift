import FixedPoint
import KrakenREST
import KrakenWire
import WireFormat

extension ExecutionLedger {
    /// Applies a v1 `ownTrades` message: each trade becomes the same PARTIALLY_FILLED/FILLED
    /// report and Fill its v2 `trade` twin would (v1's trade key is v2's exec_id). v1 carries
    /// no cumulative quantity, so completion is judged from the order quantity `openOrders`
    /// supplied. `isSnapshot`: the subscription's first message.
    public mutating func apply(_ message: V1OwnTradesMessage, isSnapshot: Bool, receivedAtNs: Int64) -> FlowOutput {
        var output = FlowOutput()
        let adopting = adopts(.v1OwnTrades, snapshot: isSnapshot)
        let context = EventContext(
            sequence: message.sequence, origin: isSnapshot ? .snapshot : .stream, receivedAtNs: receivedAtNs, krakenEvent: "ownTrades")
        for trade in message.trades {
            if isForgotten(trade.orderID, at: trade.timeNs) {
                output.notes.append(.forgottenOrder(orderID: trade.orderID, krakenEvent: context.krakenEvent))
                continue
            }
            let symbol = SymbolMap.v2Symbol(fromV1: trade.pair)
            orders.update(trade.orderID, at: receivedAtNs) { record in
                record.symbol.merge(symbol)
                record.side = KrakenVocabulary.side(trade.side)
                record.krakenOrderType.merge(KrakenVocabulary.text(trade.orderType))
                record.clientOrderID.merge(trade.clientOrderID)
            }
            let fee = KrakenVocabulary.quoteAsset(of: symbol).map { Fee(asset: $0, quantity: trade.fee) }
            let facts = TradeFacts(
                execID: trade.tradeID, quantity: trade.volume, price: trade.price, cost: trade.cost, fee: fee,
                timestampNs: trade.timeNs)
            if adopting && adoptsEntry(at: trade.timeNs) {
                adoptTrade(trade.orderID, facts, into: &output)
            } else {
                applyTrade(trade.orderID, facts, context, into: &output)
            }
        }
        warmChannels.insert(.v1OwnTrades)
        return output
    }

    /// Applies a v1 `openOrders` message: `open` → NEW (once), `canceled` → CANCELED,
    /// `expired` → EXPIRED, `closed` → nothing (FILLED rides on the completing `ownTrades`
    /// trade; if that trade has not arrived yet, the note says so and it will), `pending` and
    /// progress updates → order cache only.
    public mutating func apply(_ message: V1OpenOrdersMessage, isSnapshot: Bool, receivedAtNs: Int64) -> FlowOutput {
        var output = FlowOutput()
        let adopting = adopts(.v1OpenOrders, snapshot: isSnapshot)
        let context = EventContext(
            sequence: message.sequence, origin: isSnapshot ? .snapshot : .stream, receivedAtNs: receivedAtNs, krakenEvent: "openOrders")
        for update in message.orders {
            if isForgotten(update.orderID, at: update.lastUpdatedNs ?? update.openTimeNs) {
                output.notes.append(.forgottenOrder(orderID: update.orderID, krakenEvent: context.krakenEvent))
                continue
            }
            let isNew = orders.update(update.orderID, at: receivedAtNs) { record in Self.merge(update, into: &record) }
            if adopting && isNew && adoptsEntry(at: update.openTimeNs ?? 0) { adopt(update.orderID) }
            apply(update, context, into: &output)
        }
        warmChannels.insert(.v1OpenOrders)
        return output
    }

    private mutating func apply(_ update: V1OrderUpdate, _ context: EventContext, into output: inout FlowOutput) {
        let orderID = update.orderID
        let krakenStatus = update.status.map(KrakenVocabulary.text) ?? ""
        let timestampNs = update.lastUpdatedNs ?? update.openTimeNs ?? 0
        func totals(_ terminal: KBOrderStatus) -> OrderTotals {
            OrderTotals(
                terminal: terminal, krakenStatus: krakenStatus, reason: update.cancelReason, timestampNs: timestampNs,
                inferMissingFills: false, inferenceOrigin: .inferredFromTotals)
        }
        switch update.status {
        case .open:
            reportNew(orderID, krakenStatus: krakenStatus, timestampNs: timestampNs, context, into: &output)
        case .closed:
            applyTotals(orderID, totals(.filled), context, into: &output)
        case .canceled:
            applyTotals(orderID, totals(.canceled), context, into: &output)
        case .expired:
            applyTotals(orderID, totals(.expired), context, into: &output)
        case .pending, nil:
            output.notes.append(.cacheOnly(orderID: orderID, krakenEvent: "openOrders"))
        case .unknown(let text):
            output.notes.append(.unhandled(.v1OrderStatus(orderID: orderID, text: text)))
        }
    }

    private static func merge(_ update: V1OrderUpdate, into record: inout OrderRecord) {
        if let description = update.description {
            record.symbol.merge(description.pair.map(SymbolMap.v2Symbol(fromV1:)))
            if let side = description.side { record.side = KrakenVocabulary.side(side) }
            record.krakenOrderType.merge(description.orderType.map(KrakenVocabulary.text))
            if KrakenVocabulary.isTriggered(record.krakenOrderType) {
                record.stopPrice.merge(description.price?.nonZero)
                record.limitPrice.merge(description.price2?.nonZero)
            } else if record.krakenOrderType != "market" {
                record.limitPrice.merge(description.price?.nonZero)
            }
        }
        record.limitPrice.merge(update.limitPrice?.nonZero)
        record.stopPrice.merge(update.stopPrice?.nonZero)
        record.orderQuantity.merge(update.volume)
        record.advance(cumulative: update.volumeExecuted, cost: update.cost, average: update.averagePrice, fee: update.fee)
        record.clientOrderID.merge(update.clientOrderID)
        record.krakenStatus.merge(update.status.map(KrakenVocabulary.text))
    }
}
