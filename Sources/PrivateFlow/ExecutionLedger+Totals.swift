import FixedPoint
import KrakenWire
import WireFormat

/// A status message with the order's totals: v2 `filled`/`canceled`/`expired`, a v1
/// `openOrders` status change, or a REST order. The caller has merged its figures into the
/// order cache already.
struct OrderTotals: Sendable {
    /// The terminal state Kraken reports; nil while the order is still open.
    var terminal: KBOrderStatus?
    var krakenStatus: String
    var reason: String?
    var timestampNs: Int64
    /// Publish quantity Kraken reports filled but no trade explained as one aggregate fill.
    /// False for v1, whose trades arrive on another channel and may simply be late.
    var inferMissingFills: Bool
    /// The origin of inferred fills (`inferredFromTotals` on the stream, or REST).
    var inferenceOrigin: PrivateEvent.Origin
}

extension ExecutionLedger {
    /// Closes the distance between Kraken's totals and what was published, then publishes the
    /// terminal state once. FILLED is only ever published with the fill that completes the
    /// order; a status-only `filled` after that fill is suppressed.
    mutating func applyTotals(_ orderID: String, _ totals: OrderTotals, _ context: EventContext, into output: inout FlowOutput) {
        guard let record = orders[orderID] else { return }
        let published = publishedQuantity(orderID)
        var completedNow = false
        if let cumulative = record.cumulativeQuantity, cumulative > published {
            let missing = ExactArithmetic.difference(cumulative, published) ?? .zero
            if totals.inferMissingFills {
                let completes = !record.isTerminal
                    && (totals.terminal == .filled || (record.orderQuantity.map { cumulative >= $0 } ?? false))
                completedNow = inferFill(orderID, missing: missing, completes: completes, totals, context, into: &output) && completes
            } else {
                output.notes.append(.awaitingFills(orderID: orderID, missing: missing))
                if totals.terminal == .filled { return }
            }
        } else if let cumulative = record.cumulativeQuantity, cumulative < published {
            output.notes.append(.inconsistent(orderID: orderID, detail: "Kraken reports \(cumulative) filled, \(published) published"))
        }
        guard let terminal = totals.terminal, !completedNow else { return }
        guard let current = orders[orderID], !current.isTerminal else {
            output.notes.append(.suppressed(orderID: orderID, reason: .alreadyTerminal))
            return
        }
        guard terminal != .filled else {
            output.notes.append(.suppressed(orderID: orderID, reason: .filledWithoutRemainingQuantity))
            return
        }
        let name = terminal == .canceled ? "canceled" : "expired"
        var report = ReportBuilding.report(
            current, key: "\(orderID):\(name)", status: terminal, krakenStatus: totals.krakenStatus,
            timestampNs: totals.timestampNs, context: context)
        report.cumulativeQuantity = KBDecimal(current.cumulativeQuantity ?? publishedQuantity(orderID))
        if let average = current.averagePrice { report.averageFillPrice = KBDecimal(average) }
        report.errorMessage = totals.reason ?? ""
        output.events.append(PrivateEvent(payload: .executionReport(report), idempotencyKey: report.execID, origin: context.origin))
        orders.update(orderID, at: context.receivedAtNs) { $0.reportedStatus = terminal }
    }

    /// Publishes `missing` as one aggregate fill at the volume-weighted price of the gap:
    /// (Kraken's cumulative cost − published cost) ÷ missing, rounded to the digits of
    /// Kraken's average price; Kraken's average price itself when the published cost is not
    /// known. The fee is the difference of quote-asset fee totals when both are known.
    /// Returns false (with a note) when no positive price can be had.
    mutating func inferFill(
        _ orderID: String, missing: FixedDecimal, completes: Bool, _ totals: OrderTotals, _ context: EventContext,
        into output: inout FlowOutput
    ) -> Bool {
        guard let record = orders[orderID], let cumulative = record.cumulativeQuantity else { return false }
        let state = progress[orderID] ?? Progress()
        let gapCost = record.cumulativeCost.flatMap { total in state.reportedCost.flatMap { ExactArithmetic.difference(total, $0) } }
        var price = record.averagePrice
        if let gapCost, gapCost > .zero {
            price = ExactArithmetic.quotient(gapCost, missing, scale: record.averagePrice?.scale ?? 8) ?? price
        }
        guard let price, price > .zero else {
            output.notes.append(.inconsistent(orderID: orderID, detail: "no price for \(missing) filled without trades"))
            return false
        }
        var fee: Fee?
        if let total = record.cumulativeFee, let paid = state.reportedFee, let asset = KrakenVocabulary.quoteAsset(of: record.symbol),
           let difference = ExactArithmetic.difference(total, paid), difference >= .zero {
            fee = Fee(asset: asset, quantity: difference)
        }
        let key = "\(orderID):filled-through:\(cumulative.canonicalText)"
        let status: KBOrderStatus = completes ? .filled : .partiallyFilled
        let inferred = EventContext(
            sequence: context.sequence, origin: totals.inferenceOrigin, receivedAtNs: context.receivedAtNs,
            krakenEvent: context.krakenEvent)
        var report = ReportBuilding.report(
            record, key: key, status: status, krakenStatus: totals.krakenStatus, timestampNs: totals.timestampNs, context: inferred)
        ReportBuilding.setFill(&report, quantity: missing, price: price, cumulative: cumulative, fee: fee)
        let cost = gapCost.flatMap { $0 > .zero ? $0 : nil }
        let fill = ReportBuilding.fill(
            record, key: key, price: price, quantity: missing, cost: cost, fee: fee, liquidity: .unspecified,
            timestampNs: totals.timestampNs)
        output.events.append(PrivateEvent(payload: .executionReport(report), idempotencyKey: key, origin: totals.inferenceOrigin))
        output.events.append(PrivateEvent(payload: .fill(fill), idempotencyKey: key, origin: totals.inferenceOrigin))
        var updated = state
        updated.reported = cumulative
        updated.credit = ExactArithmetic.sum(state.credit, missing) ?? missing
        updated.reportedCost = record.cumulativeCost
        updated.reportedFee = record.cumulativeFee
        progress[orderID] = updated
        if completes || !record.isTerminal { orders.update(orderID, at: context.receivedAtNs) { $0.reportedStatus = status } }
        return true
    }
}
