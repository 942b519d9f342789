/// Failover between equivalent Kraken endpoints (e.g. production then beta, both served by the
/// production engine — kraken-protocol.md §1.1), each behind its own `CircuitBreaker`, so one
/// broken host does not keep the session down. The list is in order of preference: `next`
/// scans from the start, so the primary is chosen again as soon as its breaker lets a trial
/// through — except right after a failure, when it scans from the endpoint after the one that
/// failed, so a dead primary costs one attempt, not a breaker's worth, before failing over.
public struct EndpointRotation: Sendable {
    public struct Endpoint: Sendable {
        public let url: String
        public var breaker: CircuitBreaker
    }

    public private(set) var endpoints: [Endpoint]

    /// `urls` in order of preference; each gets a copy of `breaker`.
    public init(urls: [String], breaker: CircuitBreaker = CircuitBreaker()) {
        precondition(!urls.isEmpty, "an endpoint rotation needs at least one URL")
        endpoints = urls.map { Endpoint(url: $0, breaker: breaker) }
    }

    /// The first endpoint whose breaker allows an attempt now (consuming a half-open trial),
    /// else how long to wait. `after` names an endpoint that just failed: the scan starts past it.
    public mutating func next(nowNs: Int64, after failedIndex: Int? = nil) -> EndpointChoice {
        var earliestNs: Int64?
        let start = failedIndex.map { ($0 + 1) % endpoints.count } ?? 0
        for offset in endpoints.indices {
            let index = (start + offset) % endpoints.count
            if endpoints[index].breaker.allowAttempt(nowNs: nowNs) {
                return .connect(index: index, url: endpoints[index].url)
            }
            if case .open(let untilNs) = endpoints[index].breaker.state {
                earliestNs = min(earliestNs ?? untilNs, untilNs)
            }
        }
        return earliestNs.map { .waitUntil(untilNs: $0) } ?? .awaitTrial
    }

    public mutating func recordSuccess(index: Int) {
        endpoints[index].breaker.recordSuccess()
    }

    public mutating func recordFailure(index: Int, nowNs: Int64) {
        endpoints[index].breaker.recordFailure(nowNs: nowNs)
    }
}
