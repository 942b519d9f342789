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

    /// The last sequence assigned on `topic` (0 if none): what a heartbeat carries.
    public func current(for topic: Topic) -> UInt64 { sequences[topic] ?? 0 }
}

/// The publisher epoch of this process: its start time in Unix nanoseconds, so epochs of
/// successive runs also order by time.
public enum PublisherEpoch {
    public static func make(now: Int64 = UnixTime.nanoseconds()) -> UInt64 { UInt64(max(now, 1)) }
}
