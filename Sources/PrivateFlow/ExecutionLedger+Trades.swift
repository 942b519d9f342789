import FixedPoint
import KrakenWire
import WireFormat

/// One trade of one of the account's orders, as any API reports it.
struct TradeFacts: Sendable {
    /// v2 `exec_id`, or the v1 `ownTrades` key (the same identifier).
    var execID: String?
    /// v2 `trade_id` (v1 has none).
    var tradeID: String?
    var quantity: FixedDecimal
    var price: FixedDecimal
    var cost: FixedDecimal?
    var fee: Fee?
    var liquidity: KBLiquidity = .unspecified
    /// Kraken's filled quantity after this trade (v2 `cum_qty`).
    var cumulativeQuantity: FixedDecimal?
    /// Kraken said this trade left the order `filled`.
    var completesOrder = false
    var krakenStatus = ""
    var timestampNs: Int64
}

extension ExecutionLedger {
    /// What makes a trade the same trade again: its exec_id (unique per execution). Kraken's
    /// `trade_id` numbers a pair's public trades, so the same number recurs on other pairs and
    /// is only used, qualified by the pair, when there is no exec_id.
    func dedupKeys(_ trade: TradeFacts, orderID: String) -> [String] {
        if let execID = trade.execID { return ["e:\(execID)"] }
        guard let tradeID = trade.tradeID else { return [] }
        return ["t:\(orders[orderID]?.symbol ?? "?"):\(tradeID)"]
    }

    /// Publishes a trade once: a PARTIALLY_FILLED or FILLED report carrying this fill alone,
    /// and a Fill. A trade an inferred fill already covered is absorbed instead.
    mutating func applyTrade(_ orderID: String, _ trade: TradeFacts, _ context: EventContext, into output: inout FlowOutput) {
        let keys = dedupKeys(trade, orderID: orderID)
        guard let key = trade.execID ?? trade.tradeID else {
            output.notes.append(.unhandled(.malformedTrade(orderID: orderID)))
            return
        }
        guard claim(keys, orderID: orderID) else {
            output.notes.append(.duplicateExecution(orderID: orderID, key: key))
            return
        }
        // An order first heard of through its fill (its `new` came while disconnected) is
        // announced first, so every order downstream starts with NEW.
        if orders[orderID]?.reportedStatus == nil {
            reportNew(orderID, krakenStatus: "new", timestampNs: trade.timestampNs, context, into: &output)
        }
        var quantity = trade.quantity
        var cost = trade.cost
        var fee = trade.fee
        if let credit = progress[orderID]?.credit, credit > .zero {
            let absorbed = min(credit, quantity)
            progress[orderID]?.credit = ExactArithmetic.difference(credit, absorbed) ?? .zero
            output.notes.append(.absorbed(orderID: orderID, execID: key, quantity: absorbed))
            guard absorbed < quantity, let rest = ExactArithmetic.difference(quantity, absorbed) else { return }
            // The remainder of a partly covered trade: its own cost and fee share are unknown.
            quantity = rest
            cost = nil
            fee = nil
        }
        record(orderID, quantity: quantity, cost: cost, fee: fee)
        guard let record = orders[orderID] else { return }
        let published = publishedQuantity(orderID)
        let cumulative = trade.cumulativeQuantity ?? published
        let reachesOrderQuantity = record.orderQuantity.map { cumulative >= $0 } ?? false
        let reachesClosedTotal = record.krakenStatus == "closed" && (record.cumulativeQuantity.map { published >= $0 } ?? false)
        let completes = !record.isTerminal && (trade.completesOrder || reachesOrderQuantity || reachesClosedTotal)
        let status: KBOrderStatus = completes ? .filled : .partiallyFilled

        var report = ReportBuilding.report(
            record, key: key, status: status, krakenStatus: trade.krakenStatus, timestampNs: trade.timestampNs, context: context)
        ReportBuilding.setFill(&report, quantity: quantity, price: trade.price, cumulative: cumulative, fee: fee)
        report.tradeID = trade.tradeID ?? ""
        let fill = ReportBuilding.fill(
            record, key: key, price: trade.price, quantity: quantity, cost: cost, fee: fee, liquidity: trade.liquidity,
            timestampNs: trade.timestampNs)
        output.events.append(PrivateEvent(payload: .executionReport(report), idempotencyKey: key, origin: context.origin))
        output.events.append(PrivateEvent(payload: .fill(fill), idempotencyKey: key, origin: context.origin))
        if !record.isTerminal { orders.update(orderID, at: context.receivedAtNs) { $0.reportedStatus = status } }
    }

    /// Records a trade replayed by a start-up snapshot as already published (see `init`).
    mutating func adoptTrade(_ orderID: String, _ trade: TradeFacts, into output: inout FlowOutput) {
        let keys = dedupKeys(trade, orderID: orderID)
        guard let key = trade.execID ?? trade.tradeID, claim(keys, orderID: orderID) else { return }
        let cumulative = trade.cumulativeQuantity ?? ExactArithmetic.sum(publishedQuantity(orderID), trade.quantity)
        if let cumulative, cumulative > publishedQuantity(orderID) {
            progress[orderID, default: Progress()].reported = cumulative
            progress[orderID]?.reportedCost = nil
            progress[orderID]?.reportedFee = nil
        }
        // The order's life up to this trade counts as told too: without this, an order known
        // only from a start-up snapshot's recent trades would later be announced as NEW (or
        // finished) by REST reconciliation, long after the fact.
        if orders[orderID]?.reportedStatus == nil {
            _ = orders.update(orderID, at: trade.timestampNs) { $0.reportedStatus = trade.completesOrder ? .filled : .partiallyFilled }
        }
        output.notes.append(.absorbed(orderID: orderID, execID: key, quantity: trade.quantity))
    }
}
