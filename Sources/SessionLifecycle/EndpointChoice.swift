/// What `EndpointRotation.next(nowNs:)` tells the session to do. Three cases rather than an
/// optional: "wait until T" and "wait for the trial in flight" need different timers.
public enum EndpointChoice: Equatable, Sendable {
    /// Connect to `url`, the endpoint at `index`; report the outcome with that index.
    case connect(index: Int, url: String)
    /// No endpoint allows an attempt now; the earliest open breaker lets one through at `untilNs`.
    case waitUntil(untilNs: Int64)
    /// Every endpoint has its half-open trial in flight: wait for an outcome.
    case awaitTrial
}
