/// Messages per second per channel over a sliding window, from cumulative totals sampled about
/// once a second (the heartbeat tick). Cheap: the hot path only increments feed counters.
struct ChannelRateMeter: Sendable {
    private var samples: [(atNs: Int64, totals: [String: UInt64])] = []
    let windowNs: Int64

    init(windowNs: Int64 = 10_000_000_000) {
        self.windowNs = windowNs
    }

    mutating func record(_ totals: [String: UInt64], atNs now: Int64) {
        samples.append((now, totals))
        while let first = samples.first, now - first.atNs > windowNs, samples.count > 2 { samples.removeFirst() }
    }

    /// Per channel: the rate over the window (0 with fewer than two samples) and the total.
    func rates() -> [(channel: String, perSecond: Double, total: UInt64)] {
        guard let last = samples.last else { return [] }
        let first = samples.first!
        let seconds = Double(last.atNs - first.atNs) / 1e9
        return last.totals.keys.sorted().map { channel in
            let total = last.totals[channel]!
            let earlier = first.totals[channel] ?? 0
            let rate = seconds > 0 && total >= earlier ? Double(total - earlier) / seconds : 0
            return (channel, rate, total)
        }
    }
}
