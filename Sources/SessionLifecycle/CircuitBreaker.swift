/// Stops hammering an endpoint that keeps failing. Backoff alone would keep trying one broken
/// host forever; the breaker turns "five failures in a row within a minute" into a cool-down
/// during which the session tries another endpoint (see `EndpointRotation`) or waits, and then
/// allows exactly one trial attempt before trusting the endpoint again.
///
/// Defaults: 5 consecutive failures within 60 s open it (a random drop costs one or two, not
/// five); the cool-down is 30 s and doubles after each failed trial up to 5 minutes, which
/// stays inside Cloudflare's 10-minute ban window (kraken-protocol.md §1.6) without making a
/// recovered endpoint wait too long. Any success closes the breaker and restores the base cool-down.
public struct CircuitBreaker: Sendable {
    public enum State: Equatable, Sendable {
        case closed
        /// No attempts before `untilNs` (Unix nanoseconds).
        case open(untilNs: Int64)
        /// The one trial attempt is in flight; its outcome decides between closed and open.
        case halfOpen
    }

    public var failureThreshold: Int
    public var failureWindowNs: Int64
    public var baseCoolDownNs: Int64
    public var maxCoolDownNs: Int64

    public private(set) var state: State = .closed
    /// Failures in the current streak while closed.
    public private(set) var consecutiveFailures = 0
    /// The cool-down the next opening will use.
    public private(set) var coolDownNs: Int64
    private var streakStartNs: Int64 = 0

    public init(
        failureThreshold: Int = 5, failureWindowNs: Int64 = 60_000_000_000,
        baseCoolDownNs: Int64 = 30_000_000_000, maxCoolDownNs: Int64 = 300_000_000_000
    ) {
        self.failureThreshold = max(failureThreshold, 1)
        self.failureWindowNs = failureWindowNs
        self.baseCoolDownNs = baseCoolDownNs
        self.maxCoolDownNs = max(maxCoolDownNs, baseCoolDownNs)
        coolDownNs = baseCoolDownNs
    }

    /// The name diagnostics print: `closed`, `open` or `half_open`.
    public var stateName: String {
        switch state {
        case .closed: "closed"
        case .open: "open"
        case .halfOpen: "half_open"
        }
    }

    /// Whether an attempt may start now. Once the cool-down has passed this grants the single
    /// half-open trial and refuses everything else until `recordSuccess` or `recordFailure`.
    public mutating func allowAttempt(nowNs: Int64) -> Bool {
        switch state {
        case .closed:
            return true
        case .open(let untilNs):
            guard nowNs >= untilNs else { return false }
            state = .halfOpen
            return true
        case .halfOpen:
            return false
        }
    }

    /// The attempt worked (for a connection: it reached `active`).
    public mutating func recordSuccess() {
        state = .closed
        consecutiveFailures = 0
        coolDownNs = baseCoolDownNs
    }

    /// The attempt failed. While closed this extends the streak (or starts a new one if the last
    /// streak began more than `failureWindowNs` ago); a failed trial re-opens with a doubled cool-down.
    public mutating func recordFailure(nowNs: Int64) {
        switch state {
        case .closed:
            if consecutiveFailures > 0, nowNs - streakStartNs <= failureWindowNs {
                consecutiveFailures += 1
            } else {
                consecutiveFailures = 1
                streakStartNs = nowNs
            }
            if consecutiveFailures >= failureThreshold { open(nowNs: nowNs) }
        case .halfOpen:
            coolDownNs = coolDownNs > maxCoolDownNs / 2 ? maxCoolDownNs : coolDownNs * 2
            open(nowNs: nowNs)
        case .open:
            break  // a straggler from before the breaker opened; the cool-down already covers it
        }
    }

    private mutating func open(nowNs: Int64) {
        consecutiveFailures = 0
        let (untilNs, overflow) = nowNs.addingReportingOverflow(coolDownNs)
        state = .open(untilNs: overflow ? .max : untilNs)
    }
}
