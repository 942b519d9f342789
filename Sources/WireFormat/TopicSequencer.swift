/// Per-topic sequence numbers as the publisher assigns them: the first data message on a
/// topic is 1, each further one adds 1; heartbeats repeat the current value.
public struct TopicSequencer: Sendable {
    private var sequences: [Topic: UInt64] = [:]

    public init() {}

    /// Assigns the next sequence to a data message on `topic`.
    public mutating func next(for topic: Topic) -> UInt64 {
        let next = (sequences[topic] ?? 0) + 1
        sequences[topic] = next
        return next
    }

    /// Continues `topic` after `sequence` (never lowers it): journaled topics keep their numbering
    /// across restarts of the bridge.
    public mutating func seed(_ topic: Topic, after sequence: UInt64) {
        sequences[topic] = max(sequences[topic] ?? 0, sequence)
    }

    /// The last sequence assigned on `topic` (0 if none): what a heartbeat carries.
    public func current(for topic: Topic) -> UInt64 { sequences[topic] ?? 0 }
}

/// The publisher epoch of this process: its start time in Unix nanoseconds, so epochs of
/// successive runs also order by time.
public enum PublisherEpoch {
    public static func make(now: Int64 = UnixTime.nanoseconds()) -> UInt64 { UInt64(max(now, 1)) }
}
