/// Receive-to-publish latencies in log-linear buckets: eight per power of two, so any reported
/// percentile is within 12.5 % of the true value. Fixed size (no allocation per sample), cheap
/// enough to record every message on the hot path.
public struct LatencyHistogram: Sendable, Equatable {
    static let subBuckets = 8
    static let bucketCount = 64 * subBuckets
    private var counts = [UInt64](repeating: 0, count: bucketCount)
    public private(set) var samples: UInt64 = 0
    public private(set) var maxNs: UInt64 = 0

    public init() {}

    public mutating func record(_ nanoseconds: UInt64) {
        counts[Self.bucket(of: nanoseconds)] += 1
        samples += 1
        maxNs = max(maxNs, nanoseconds)
    }

    /// The upper bound of the bucket holding the `fraction` quantile (0 when empty).
    public func percentile(_ fraction: Double) -> UInt64 {
        guard samples > 0 else { return 0 }
        let rank = max(1, UInt64((Double(samples) * fraction).rounded(.up)))
        var seen: UInt64 = 0
        for (index, count) in counts.enumerated() where count > 0 {
            seen += count
            if seen >= rank { return min(Self.upperBound(of: index), maxNs) }
        }
        return maxNs
    }

    /// Values below 8 have a bucket each; above, the exponent picks the octave and the next
    /// three bits the sub-bucket.
    static func bucket(of value: UInt64) -> Int {
        guard value >= UInt64(subBuckets) else { return Int(value) }
        let exponent = 63 - value.leadingZeroBitCount
        let sub = Int((value >> (exponent - 3)) & 7)
        return (exponent - 2) * subBuckets + sub
    }

    static func upperBound(of bucket: Int) -> UInt64 {
        guard bucket >= subBuckets else { return UInt64(bucket) }
        let exponent = bucket / subBuckets + 2
        let sub = UInt64(bucket % subBuckets)
        let lower = (UInt64(subBuckets) + sub) << (exponent - 3)
        return lower + (UInt64(1) << (exponent - 3)) - 1
    }
}
