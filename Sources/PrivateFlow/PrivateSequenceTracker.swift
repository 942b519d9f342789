/// The four private subscriptions that carry Kraken sequence numbers. Numbers restart with
/// every subscription, so each is tracked on its own and never compared with another.
public enum PrivateChannel: String, Sendable, Hashable, CaseIterable {
    case v2Executions = "executions"
    case v2Balances = "balances"
    case v1OwnTrades = "ownTrades"
    case v1OpenOrders = "openOrders"

    /// Kraken's channel name, used as the `stream` of gap events.
    public var streamName: String { rawValue }
}

/// How one incoming sequence number relates to what the subscription delivered before.
public enum SequenceVerdict: Sendable, Equatable {
    /// The first message of a subscription (its snapshot): numbering starts here.
    case baseline(UInt64)
    /// Exactly the next number.
    case inOrder
    /// Already delivered (or older than the snapshot, whose state includes it): drop it.
    case duplicate(UInt64)
    /// Numbers were skipped: `expected` up to `received − 1` are missing.
    case gap(expected: UInt64, received: UInt64)
    /// One of the skipped numbers arrived late.
    case reordered(expected: UInt64, received: UInt64)

    /// Whether the message's content should still be applied (the ledger deduplicates).
    public var shouldProcess: Bool {
        if case .duplicate = self { return false }
        return true
    }

    /// Kraken documents no replay, so a gap or a reorder means the stream's state is in doubt:
    /// the caller resubscribes with a snapshot and reconciles over REST.
    public var needsResync: Bool {
        switch self {
        case .gap, .reordered: true
        case .baseline, .inOrder, .duplicate: false
        }
    }
}

/// Classifies Kraken's per-subscription `sequence` numbers so lost private messages are
/// detected instead of silently missing from the account.
///
/// Skipped numbers are remembered (a bounded list of ranges), which is what tells a late
/// arrival (`reordered`, not seen before) from a redelivery (`duplicate`).
public struct PrivateSequenceTracker: Sendable {
    struct ChannelState: Sendable {
        var next: UInt64
        var holes: [ClosedRange<UInt64>] = []
    }

    /// Beyond this many separate holes the oldest are forgotten (a stream that bad is being
    /// resynchronised anyway).
    static let maxHoles = 64

    private var states: [PrivateChannel: ChannelState] = [:]
    public private(set) var duplicatesDropped: [PrivateChannel: Int] = [:]

    public init() {}

    /// The number the channel expects next; nil before its first message.
    public func expected(_ channel: PrivateChannel) -> UInt64? { states[channel]?.next }

    /// Classifies `sequence` and advances the channel. A snapshot always restarts numbering;
    /// so does the first message after `reset` (v1 does not mark its snapshots).
    public mutating func observe(_ channel: PrivateChannel, sequence: UInt64, isSnapshot: Bool) -> SequenceVerdict {
        guard var state = states[channel], !isSnapshot else {
            states[channel] = ChannelState(next: sequence &+ 1)
            return .baseline(sequence)
        }
        defer { states[channel] = state }
        if sequence == state.next {
            state.next = sequence &+ 1
            return .inOrder
        }
        if sequence > state.next {
            state.holes.append(state.next...(sequence - 1))
            if state.holes.count > Self.maxHoles { state.holes.removeFirst() }
            let expected = state.next
            state.next = sequence &+ 1
            return .gap(expected: expected, received: sequence)
        }
        if let index = state.holes.firstIndex(where: { $0.contains(sequence) }) {
            let hole = state.holes.remove(at: index)
            if hole.lowerBound < sequence { state.holes.append(hole.lowerBound...(sequence - 1)) }
            if sequence < hole.upperBound { state.holes.append((sequence + 1)...hole.upperBound) }
            return .reordered(expected: state.next, received: sequence)
        }
        duplicatesDropped[channel, default: 0] += 1
        return .duplicate(sequence)
    }

    /// Forget a channel's numbering: call on resubscribe (the next message is a new baseline).
    public mutating func reset(_ channel: PrivateChannel) { states[channel] = nil }

    /// Forget every channel: call on reconnect.
    public mutating func resetAll() { states.removeAll() }
}
