import WireFormat

/// One downstream event and what the publisher needs to journal it exactly once.
///
/// Kraken redelivers (snapshots after every resubscribe, reconnects, duplicate frames), and the
/// bridge may restart; the ledger drops what it has already seen in this process, and the
/// `idempotencyKey` lets the publisher's journal drop what an earlier process already sent.
/// Keys are unique per payload kind (a trade's report and its fill share the trade's exec id)
/// and are built only from Kraken's identifiers, never from clocks or counters, so the same
/// account activity always yields the same keys — over v2 or v1 alike.
public struct PrivateEvent: Sendable, Equatable {
    /// The bus payload, in the downstream vocabulary.
    public enum Payload: Sendable, Equatable {
        case executionReport(KBExecutionReport)
        case fill(KBFill)
        case balance(KBBalance)
        case gap(KBGap)
    }

    /// Where the facts came from, so the publisher can set the frame flags
    /// (`FRAME_FLAG_SNAPSHOT`, `FRAME_FLAG_RECONCILED`) and downstream can tell an observed
    /// Kraken execution from one the bridge inferred.
    public enum Origin: Sendable, Equatable {
        /// A live Kraken message reported it.
        case stream
        /// A subscription snapshot reported it.
        case snapshot
        /// Inferred from the cumulative totals of a stream message whose individual trades were
        /// never received (one aggregate fill: quantity and volume-weighted price of the gap).
        case inferredFromTotals
        /// Inferred from a REST OpenOrders / QueryOrders answer after a gap or reconnect.
        case restReconciliation

        /// Not an execution Kraken reported one by one: publish with `FRAME_FLAG_RECONCILED`.
        public var isReconciled: Bool { self == .inferredFromTotals || self == .restReconciliation }
    }

    public var payload: Payload
    public var idempotencyKey: String
    public var origin: Origin

    public init(payload: Payload, idempotencyKey: String, origin: Origin) {
        self.payload = payload
        self.idempotencyKey = idempotencyKey
        self.origin = origin
    }
}

/// Everything one input produced: the events to publish, in order, and the notes the caller
/// counts (nothing Kraken sends is dropped without a note saying why).
public struct FlowOutput: Sendable, Equatable {
    public var events: [PrivateEvent] = []
    public var notes: [FlowNote] = []
    /// The private stream can no longer be trusted (gap or reorder): resubscribe with a
    /// snapshot, then reconcile over REST.
    public var resyncNeeded = false

    public init() {}

    mutating func append(_ other: FlowOutput) {
        events += other.events
        notes += other.notes
        resyncNeeded = resyncNeeded || other.resyncNeeded
    }
}
