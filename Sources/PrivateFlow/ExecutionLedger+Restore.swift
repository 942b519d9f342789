import FixedPoint
import WireFormat

extension ExecutionLedger {
    /// Continues from what an earlier run published: its execution reports, as its journal
    /// holds them, oldest first.
    ///
    /// Afterwards the ledger knows every order's last published status (no second NEW after a
    /// restart), every published fill's id (a snapshot's replay of it is a duplicate) and each
    /// order's published quantity (REST reconciliation infers nothing already told). Start-up
    /// snapshot entries no longer count as told wholesale: only those older than the earliest
    /// restored report are (the journal no longer shows what was published before it); newer
    /// ones the journal does not hold were missed while the bridge was down, and are published.
    public mutating func restore(published reports: [KBExecutionReport]) {
        guard !reports.isEmpty else { return }
        restoredSinceNs = reports.lazy.map(\.timestampNs).filter { $0 > 0 }.min() ?? 0
        for report in reports {
            orders.update(report.orderID, at: report.timestampNs) { record in
                if !report.symbol.isEmpty { record.symbol = report.symbol }
                if report.side != .unspecified { record.side = report.side }
                if !report.krakenOrderType.isEmpty { record.krakenOrderType = report.krakenOrderType }
                if report.hasQuantityOrdered { record.orderQuantity.merge(report.quantityOrdered.fixedDecimal) }
                if report.hasLimitPrice { record.limitPrice.merge(report.limitPrice.fixedDecimal) }
                if report.hasStopPrice { record.stopPrice.merge(report.stopPrice.fixedDecimal) }
                if !report.clientOrderID.isEmpty { record.clientOrderID = report.clientOrderID }
                if !report.krakenOrderStatus.isEmpty { record.krakenStatus = report.krakenOrderStatus }
                record.reportedStatus = report.orderStatus
            }
            if Self.isFill(report) { _ = claim(Self.keys(ofFill: report), orderID: report.orderID) }
            if report.hasCumulativeQuantity, let cumulative = report.cumulativeQuantity.fixedDecimal,
               cumulative > publishedQuantity(report.orderID) {
                progress[report.orderID, default: Progress()].reported = cumulative
                // The restored figures are totals only: the cost and fee split is not known exactly.
                progress[report.orderID]?.reportedCost = nil
                progress[report.orderID]?.reportedFee = nil
            }
        }
    }

    /// Whether a start-up snapshot entry from `timestampNs` counts as already published (see
    /// `restore`); without a restored journal every such entry does.
    func adoptsEntry(at timestampNs: Int64) -> Bool {
        guard let restoredSinceNs else { return true }
        return timestampNs < restoredSinceNs
    }

    static func isFill(_ report: KBExecutionReport) -> Bool {
        (report.orderStatus == .partiallyFilled || report.orderStatus == .filled)
            && report.hasQuantityFilled && report.quantityFilled.mantissa != 0
    }

    /// The dedup keys `applyTrade` claimed for this fill: its exec id, or, for a trade known
    /// only by its per-pair trade id, that id qualified by the pair.
    static func keys(ofFill report: KBExecutionReport) -> [String] {
        if !report.tradeID.isEmpty && report.tradeID == report.execID { return ["t:\(report.symbol):\(report.tradeID)"] }
        return ["e:\(report.execID)"]
    }
}
