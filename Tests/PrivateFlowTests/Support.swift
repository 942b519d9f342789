import FixedPoint
import Foundation
import KrakenREST
import KrakenWire
import PrivateFlow
import Testing
import WireFormat

/// Parses Kraken frames the way the ingest will, so tests speak Kraken's JSON.
enum Frames {
    static func v2(_ text: String) throws -> V2Message {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { raw in
            try Result { () throws(WireError) -> V2Message in try V2Message(frame: raw) }.get()
        }
    }

    static func v1(_ text: String) throws -> V1Message {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { raw in
            try Result { () throws(WireError) -> V1Message in try V1Message(frame: raw) }.get()
        }
    }

    static func queryOrders(_ text: String) throws -> [RESTOrder] {
        try RESTOrder.parseQueryOrders(responseBody: Data(text.utf8))
    }

    /// v2 `executions` update with the given reports and sequence.
    static func update(_ sequence: UInt64, _ reports: String...) -> String {
        #"{"channel":"executions","type":"update","data":[\#(reports.joined(separator: ","))],"sequence":\#(sequence)}"#
    }

    static func snapshot(_ sequence: UInt64, _ reports: String...) -> String {
        #"{"channel":"executions","type":"snapshot","data":[\#(reports.joined(separator: ","))],"sequence":\#(sequence)}"#
    }
}

struct FrameMismatch: Error {
    var text: String
}

/// Feeds Kraken frames through one `AccountFlow` and collects everything it says.
struct Harness {
    var flow = AccountFlow()
    var events: [PrivateEvent] = []
    var notes: [FlowNote] = []
    var clock: Int64 = 1_695_378_800_000_000_000

    /// Applies one frame (v2 or v1, by its first byte) and returns only its own output.
    @discardableResult
    mutating func feed(_ text: String) throws -> FlowOutput {
        clock += 1_000_000
        let output: FlowOutput
        if text.hasPrefix("[") {
            switch try Frames.v1(text) {
            case .ownTrades(let message): output = flow.ingest(message, receivedAtNs: clock)
            case .openOrders(let message): output = flow.ingest(message, receivedAtNs: clock)
            default: throw FrameMismatch(text: text)
            }
        } else {
            switch try Frames.v2(text) {
            case .executions(let message): output = flow.ingest(message, receivedAtNs: clock)
            case .balances(let message): output = flow.ingest(message, receivedAtNs: clock)
            default: throw FrameMismatch(text: text)
            }
        }
        events += output.events
        notes += output.notes
        return output
    }

    mutating func reconcile(_ orders: [RESTOrder], from source: RESTOrderSource, symbols: SymbolMap? = nil) -> FlowOutput {
        clock += 1_000_000
        let output = flow.reconcile(orders, from: source, symbols: symbols, receivedAtNs: clock)
        events += output.events
        notes += output.notes
        return output
    }

    mutating func reconcile(_ answers: RESTReconciliation, symbols: SymbolMap? = nil) -> FlowOutput {
        clock += 1_000_000
        let output = flow.reconcile(answers, symbols: symbols, receivedAtNs: clock)
        events += output.events
        notes += output.notes
        return output
    }

    var lines: [String] { events.map(describe) }
}

/// A number as downstream reads it: the value, whatever digits the API wrote.
func number(_ decimal: KBDecimal) -> String {
    guard let value = decimal.fixedDecimal else { return "?" }
    var mantissa = value.mantissa
    var scale = value.scale
    while scale > 0, mantissa % 10 == 0 {
        mantissa /= 10
        scale -= 1
    }
    return FixedDecimal(mantissa: mantissa, scale: scale).description
}

func statusName(_ status: KBOrderStatus) -> String {
    switch status {
    case .new: "NEW"
    case .partiallyFilled: "PARTIALLY_FILLED"
    case .filled: "FILLED"
    case .canceled: "CANCELED"
    case .expired: "EXPIRED"
    case .rejected: "REJECTED"
    case .pendingNew: "PENDING_NEW"
    case .unspecified, .UNRECOGNIZED: "?"
    }
}

/// One line per event, the form the specifications below are written in:
/// `report FILLED <key> qty=<this fill> @<its price> cum=<Kraken cumulative> fee=<…>`,
/// `fill <key> <qty>@<price> fee=<…>`, `balance <asset>=<total> key=<key>`,
/// `gap <stream> <kind> expected=<n> received=<n>`, and `[origin]` unless live.
func describe(_ event: PrivateEvent) -> String {
    var line: String
    switch event.payload {
    case .executionReport(let report):
        line = "report \(statusName(report.orderStatus)) \(event.idempotencyKey) qty=\(number(report.quantityFilled))"
        if report.hasAverageFillPrice { line += " @\(number(report.averageFillPrice))" }
        line += " cum=\(number(report.cumulativeQuantity))"
        if report.hasCommission { line += " fee=\(number(report.commission)) \(report.commissionAsset)" }
        if !report.errorMessage.isEmpty { line += " reason=\(report.errorMessage)" }
    case .fill(let fill):
        line = "fill \(event.idempotencyKey) \(number(fill.quantity))@\(number(fill.price))"
        if fill.hasFee { line += " fee=\(number(fill.fee)) \(fill.feeAsset)" }
    case .balance(let balance):
        line = "balance \(balance.asset)=\(number(balance.balance)) key=\(event.idempotencyKey)"
    case .gap(let gap):
        line = "gap \(gap.stream) \(gap.kind) expected=\(gap.expected) received=\(gap.received)"
    }
    switch event.origin {
    case .stream: break
    case .snapshot: line += " [snapshot]"
    case .inferredFromTotals: line += " [inferred]"
    case .restReconciliation: line += " [rest]"
    }
    return line
}

func decimal(_ text: String) -> FixedDecimal { try! FixedDecimal(text) }

func reports(_ events: [PrivateEvent]) -> [KBExecutionReport] {
    events.compactMap { if case .executionReport(let report) = $0.payload { report } else { nil } }
}

func fills(_ events: [PrivateEvent]) -> [KBFill] {
    events.compactMap { if case .fill(let fill) = $0.payload { fill } else { nil } }
}
