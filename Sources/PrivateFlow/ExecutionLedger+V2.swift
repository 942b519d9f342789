import FixedPoint
import KrakenWire
import WireFormat

extension ExecutionLedger {
    /// Applies a v2 `executions` message (after the sequence tracker admitted it).
    ///
    /// exec_type → events: `new` → NEW (once per order); `trade` → PARTIALLY_FILLED or FILLED
    /// + Fill (per fill); `filled` → nothing when the completing trade was published, else the
    /// missing quantity as one inferred FILLED + Fill; `canceled` → CANCELED, `expired` →
    /// EXPIRED (after inferring any fills the totals show were missed); `pending_new`,
    /// `amended`, `restated`, `iceberg_refill`, `status` → order cache only; anything else →
    /// `Unhandled`.
    public mutating func apply(_ message: V2ExecutionsMessage, receivedAtNs: Int64) -> FlowOutput {
        var output = FlowOutput()
        let snapshot = message.kind == .snapshot
        let adopting = adopts(.v2Executions, snapshot: snapshot)
        for execution in message.reports {
            let context = EventContext(
                sequence: message.sequence, origin: snapshot ? .snapshot : .stream, receivedAtNs: receivedAtNs,
                krakenEvent: KrakenVocabulary.text(execution.execType))
            apply(execution, context, adopting: adopting, into: &output)
        }
        warmChannels.insert(.v2Executions)
        return output
    }

    mutating func apply(_ execution: V2Execution, _ context: EventContext, adopting: Bool, into output: inout FlowOutput) {
        let orderID = execution.orderID
        if isForgotten(orderID, at: execution.timestampNs) {
            output.notes.append(.forgottenOrder(orderID: orderID, krakenEvent: context.krakenEvent))
            return
        }
        let isNew = orders.update(orderID, at: context.receivedAtNs) { record in
            record.symbol.merge(execution.symbol)
            if let side = execution.side { record.side = KrakenVocabulary.side(side) }
            record.krakenOrderType.merge(execution.orderType.map(KrakenVocabulary.text))
            record.orderQuantity.merge(execution.orderQuantity)
            record.limitPrice.merge(execution.limitPrice?.nonZero)
            record.stopPrice.merge(execution.triggerPrice?.nonZero)
            record.clientOrderID.merge(execution.clientOrderID)
            record.advance(cumulative: execution.cumulativeQuantity, cost: execution.cumulativeCost, average: execution.averagePrice)
            record.krakenStatus.merge(execution.orderStatus.map(KrakenVocabulary.text))
        }
        if adopting && isNew && execution.execType != .trade && adoptsEntry(at: execution.timestampNs ?? 0) { adopt(orderID) }
        if case .unknown(let text) = execution.orderStatus {
            output.notes.append(.unhandled(.orderStatus(orderID: orderID, text: text)))
        }
        let krakenStatus = execution.orderStatus.map(KrakenVocabulary.text) ?? ""
        let timestampNs = execution.timestampNs ?? 0
        func totals(_ terminal: KBOrderStatus) -> OrderTotals {
            OrderTotals(
                terminal: terminal, krakenStatus: krakenStatus, reason: execution.reason, timestampNs: timestampNs,
                inferMissingFills: true, inferenceOrigin: .inferredFromTotals)
        }
        switch execution.execType {
        case .new:
            reportNew(orderID, krakenStatus: krakenStatus, timestampNs: timestampNs, context, into: &output)
        case .trade:
            guard let quantity = execution.lastQuantity, let price = execution.lastPrice else {
                output.notes.append(.unhandled(.malformedTrade(orderID: orderID)))
                return
            }
            let liquidity: KBLiquidity = switch execution.liquidity {
            case .maker: .maker
            case .taker: .taker
            case nil: .unspecified
            }
            let trade = TradeFacts(
                execID: execution.execID, tradeID: execution.tradeID.map { String($0) }, quantity: quantity, price: price,
                cost: execution.cost, fee: execution.fees.first, liquidity: liquidity,
                cumulativeQuantity: execution.cumulativeQuantity, completesOrder: execution.orderStatus == .filled,
                krakenStatus: krakenStatus, timestampNs: timestampNs)
            if adopting && adoptsEntry(at: timestampNs) {
                adoptTrade(orderID, trade, into: &output)
            } else {
                applyTrade(orderID, trade, context, into: &output)
            }
        case .filled:
            applyTotals(orderID, totals(.filled), context, into: &output)
        case .canceled:
            applyTotals(orderID, totals(.canceled), context, into: &output)
        case .expired:
            applyTotals(orderID, totals(.expired), context, into: &output)
        case .pendingNew, .amended, .restated, .icebergRefill, .status:
            output.notes.append(.cacheOnly(orderID: orderID, krakenEvent: context.krakenEvent))
        case .unknown(let text):
            output.notes.append(.unhandled(.execType(orderID: orderID, text: text)))
        }
    }
}
