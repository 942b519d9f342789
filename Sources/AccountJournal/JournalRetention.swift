/// How much of each topic the journal keeps: pruning removes a topic's oldest events until
/// both limits hold (nil: no limit of that kind).
///
/// Pruning never forgets a topic's last sequence, even when every event of the topic has
/// aged out, so that sequences continue across restarts.
public struct JournalRetention: Sendable, Equatable {
    /// Events recorded longer ago than this are removed.
    public var maxAge: Duration?
    /// Each topic keeps at most this many of its newest events.
    public var maxEventsPerTopic: Int?

    /// The defaults keep a week, and at most a million events per topic.
    public init(maxAge: Duration? = .seconds(7 * 24 * 3600), maxEventsPerTopic: Int? = 1_000_000) {
        precondition(maxAge.map { $0 >= .zero } ?? true, "a journal's maxAge cannot be negative")
        precondition(maxEventsPerTopic.map { $0 >= 0 } ?? true, "a journal's maxEventsPerTopic cannot be negative")
        self.maxAge = maxAge
        self.maxEventsPerTopic = maxEventsPerTopic
    }

    /// Keeps everything.
    public static let unlimited = JournalRetention(maxAge: nil, maxEventsPerTopic: nil)

    /// The oldest `recordedNs` that is still kept at `nowNs` (nil when age is no limit).
    func oldestKeptNs(nowNs: Int64) -> Int64? {
        guard let maxAge else { return nil }
        let (seconds, attoseconds) = maxAge.components
        let (wholeNs, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .min }
        let (ageNs, overflowAdding) = wholeNs.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !overflowAdding else { return .min }
        let (cutoff, overflowSubtracting) = nowNs.subtractingReportingOverflow(ageNs)
        return overflowSubtracting ? .min : cutoff
    }
}
