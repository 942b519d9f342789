import FixedPoint
import KrakenWire
import WireFormat

/// Where one Kraken input came from: stamped on every report it produces.
struct EventContext: Sendable {
    /// The channel sequence (0 for REST).
    var sequence: UInt64
    var origin: PrivateEvent.Origin
    var receivedAtNs: Int64
    /// `kraken_exec_type`: the v2 exec_type, the v1 channel name, or the REST endpoint.
    var krakenEvent: String
}

/// The shape of the bus payloads, filled from the order cache so that sparse Kraken messages
/// still produce complete reports.
enum ReportBuilding {
    static func report(
        _ record: OrderRecord, key: String, status: KBOrderStatus, krakenStatus: String, timestampNs: Int64,
        context: EventContext
    ) -> KBExecutionReport {
        var report = KBExecutionReport()
        report.execID = key
        report.orderID = record.orderID
        report.clientOrderID = record.clientOrderID ?? ""
        report.symbol = record.symbol ?? ""
        report.orderStatus = status
        report.krakenExecType = context.krakenEvent
        report.krakenOrderStatus = krakenStatus
        report.krakenOrderType = record.krakenOrderType ?? ""
        report.orderType = KrakenVocabulary.orderType(record.krakenOrderType)
        report.side = record.side
        if let quantity = record.orderQuantity { report.quantityOrdered = KBDecimal(quantity) }
        report.quantityFilled = KBDecimal(FixedDecimal.zero)
        if let price = record.limitPrice { report.limitPrice = KBDecimal(price) }
        if let price = record.stopPrice { report.stopPrice = KBDecimal(price) }
        report.timestampNs = timestampNs
        report.krakenSequence = context.sequence
        report.fromSnapshot = context.origin == .snapshot
        return report
    }

    /// Sets the per-fill fields: this fill's quantity and price, never cumulative ones.
    static func setFill(
        _ report: inout KBExecutionReport, quantity: FixedDecimal, price: FixedDecimal, cumulative: FixedDecimal, fee: Fee?
    ) {
        report.quantityFilled = KBDecimal(quantity)
        report.averageFillPrice = KBDecimal(price)
        report.cumulativeQuantity = KBDecimal(cumulative)
        if let fee {
            report.commission = KBDecimal(fee.quantity)
            report.commissionAsset = fee.asset
        }
    }

    static func fill(
        _ record: OrderRecord, key: String, price: FixedDecimal, quantity: FixedDecimal, cost: FixedDecimal?, fee: Fee?,
        liquidity: KBLiquidity, timestampNs: Int64
    ) -> KBFill {
        var fill = KBFill()
        fill.fillID = key
        fill.orderID = record.orderID
        fill.execID = key
        fill.clientOrderID = record.clientOrderID ?? ""
        fill.symbol = record.symbol ?? ""
        fill.side = record.side
        fill.price = KBDecimal(price)
        fill.quantity = KBDecimal(quantity)
        if let fee {
            fill.fee = KBDecimal(fee.quantity)
            fill.feeAsset = fee.asset
        }
        fill.liquidity = liquidity
        if let cost { fill.cost = KBDecimal(cost) }
        fill.timestampNs = timestampNs
        return fill
    }
}
