import KrakenREST
import KrakenWire
import WireFormat

/// The private side of the bridge in one value: every private message passes the sequence
/// tracker, then the execution or balance ledger; what comes out is ready to publish.
///
/// The ingest engine owns one `AccountFlow` per Kraken account. It feeds messages in arrival
/// order with its receive time, publishes `events` in order, counts `notes` by case, and on
/// `resyncNeeded` resubscribes with snapshots, calls `resubscribed`, then
/// reconciles over REST (`reconcile`, with `ordersToQuery` for the orders OpenOrders no longer
/// lists). Periodically it queries `silentOrders`.
public struct AccountFlow: Sendable {
    public private(set) var sequences = PrivateSequenceTracker()
    public private(set) var executions: ExecutionLedger
    public private(set) var balances = BalanceLedger()

    public init(adoptStartupState: Bool = true) {
        executions = ExecutionLedger(adoptStartupState: adoptStartupState)
    }

    /// Continues from an earlier run's published execution reports (see `ExecutionLedger.restore`).
    public mutating func restore(published reports: [KBExecutionReport]) { executions.restore(published: reports) }

    public mutating func ingest(_ message: V2ExecutionsMessage, receivedAtNs: Int64) -> FlowOutput {
        admit(.v2Executions, message.sequence, snapshot: message.kind == .snapshot, at: receivedAtNs) { flow, _ in
            flow.executions.apply(message, receivedAtNs: receivedAtNs)
        }
    }

    public mutating func ingest(_ message: V2BalancesMessage, receivedAtNs: Int64) -> FlowOutput {
        admit(.v2Balances, message.sequence, snapshot: message.kind == .snapshot, at: receivedAtNs) { flow, _ in
            flow.balances.apply(message, receivedAtNs: receivedAtNs)
        }
    }

    /// v1 does not mark snapshots: the first message of a subscription is its snapshot.
    public mutating func ingest(_ message: V1OwnTradesMessage, receivedAtNs: Int64) -> FlowOutput {
        admit(.v1OwnTrades, message.sequence, snapshot: false, at: receivedAtNs) { flow, isBaseline in
            flow.executions.apply(message, isSnapshot: isBaseline, receivedAtNs: receivedAtNs)
        }
    }

    public mutating func ingest(_ message: V1OpenOrdersMessage, receivedAtNs: Int64) -> FlowOutput {
        admit(.v1OpenOrders, message.sequence, snapshot: false, at: receivedAtNs) { flow, isBaseline in
            flow.executions.apply(message, isSnapshot: isBaseline, receivedAtNs: receivedAtNs)
        }
    }

    public mutating func reconcile(
        _ orders: [RESTOrder], from source: RESTOrderSource, symbols: SymbolMap?, receivedAtNs: Int64
    ) -> FlowOutput {
        executions.reconcile(orders, from: source, symbols: symbols, receivedAtNs: receivedAtNs)
    }

    public mutating func reconcile(_ answers: RESTReconciliation, symbols: SymbolMap?, receivedAtNs: Int64) -> FlowOutput {
        executions.reconcile(answers, symbols: symbols, receivedAtNs: receivedAtNs)
    }

    /// Call after resubscribing one channel: its next message starts a new numbering.
    public mutating func resubscribed(_ channel: PrivateChannel) { sequences.reset(channel) }

    /// Call after a reconnect: every channel starts a new numbering. The ledgers are kept —
    /// they are what makes the replayed snapshots harmless.
    public mutating func reconnected() { sequences.resetAll() }

    /// See `ExecutionLedger.prune`: call now and then so finished orders do not pile up.
    /// Forgets what is older than `cutoffNs`: terminal orders and their execution ids, balance
    /// ledger ids (see `ExecutionLedger.prune`: only while the account is fully known).
    /// Returns how many orders were forgotten.
    @discardableResult
    public mutating func prune(before cutoffNs: Int64) -> Int {
        balances.prune(before: cutoffNs)
        return executions.prune(terminalBefore: cutoffNs)
    }

    public func ordersToQuery(afterOpenOrders open: [RESTOrder]) -> [String] { executions.ordersToQuery(afterOpenOrders: open) }

    public func silentOrders(nowNs: Int64, thresholdNs: Int64) -> [String] {
        executions.silentOrders(nowNs: nowNs, thresholdNs: thresholdNs)
    }

    private mutating func admit(
        _ channel: PrivateChannel, _ sequence: UInt64, snapshot: Bool, at receivedAtNs: Int64,
        _ body: (inout AccountFlow, _ isBaseline: Bool) -> FlowOutput
    ) -> FlowOutput {
        var output = FlowOutput()
        let verdict = sequences.observe(channel, sequence: sequence, isSnapshot: snapshot)
        switch verdict {
        case .duplicate(let number):
            output.notes.append(.duplicateMessage(channel: channel, sequence: number))
        case .gap(let expected, let received):
            output.events.append(Self.gapEvent(channel, .sequenceSkipped, expected, received, at: receivedAtNs))
        case .reordered(let expected, let received):
            output.events.append(Self.gapEvent(channel, .reordered, expected, received, at: receivedAtNs))
        case .baseline, .inOrder:
            break
        }
        output.resyncNeeded = verdict.needsResync
        if verdict.shouldProcess {
            var isBaseline = false
            if case .baseline = verdict { isBaseline = true }
            output.append(body(&self, isBaseline))
        }
        return output
    }

    /// A Gap event, keyed by stream, receive time and numbers (numbers alone repeat across
    /// subscriptions).
    static func gapEvent(_ channel: PrivateChannel, _ kind: KBGapKind, _ expected: UInt64, _ received: UInt64, at ns: Int64) -> PrivateEvent {
        var gap = KBGap()
        gap.stream = channel.streamName
        gap.kind = kind
        gap.expected = expected
        gap.received = received
        gap.detail = kind == .reordered ? "sequence \(received) arrived after \(expected - 1)" : "sequences \(expected)…\(received - 1) missing"
        return PrivateEvent(
            payload: .gap(gap), idempotencyKey: "gap:\(channel.streamName):\(ns):\(expected)-\(received)", origin: .stream)
    }
}
