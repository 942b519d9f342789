import SessionLifecycle
import Testing

@Suite("Circuit breaker")
struct CircuitBreakerTests {
    @Test("five consecutive failures open it for 30 s, then exactly one trial is allowed")
    func opensAndAllowsOneTrial() {
        var breaker = CircuitBreaker()
        for second in Int64(0) ..< 4 { breaker.recordFailure(nowNs: second * s) }
        #expect(breaker.state == .closed && breaker.consecutiveFailures == 4)
        breaker.recordFailure(nowNs: 4 * s)
        #expect(breaker.state == .open(untilNs: 34 * s))
        #expect(breaker.stateName == "open")
        #expect(breaker.allowAttempt(nowNs: 34 * s - 1) == false)
        #expect(breaker.allowAttempt(nowNs: 34 * s) == true)
        #expect(breaker.stateName == "half_open")
        #expect(breaker.allowAttempt(nowNs: 35 * s) == false)
        breaker.recordSuccess()
        #expect(breaker.stateName == "closed")
        #expect(breaker.allowAttempt(nowNs: 35 * s) == true)
    }

    @Test("failures further apart than the 60 s window start a new streak")
    func windowedStreak() {
        var breaker = CircuitBreaker()
        for second: Int64 in [0, 10, 20, 30, 61, 62, 63, 64] { breaker.recordFailure(nowNs: second * s) }
        #expect(breaker.state == .closed && breaker.consecutiveFailures == 4)
        breaker.recordFailure(nowNs: 65 * s)
        #expect(breaker.state == .open(untilNs: 95 * s))
    }

    @Test("a success in between breaks the streak")
    func successBreaksStreak() {
        var breaker = CircuitBreaker()
        for _ in 0 ..< 4 { breaker.recordFailure(nowNs: 0) }
        breaker.recordSuccess()
        for _ in 0 ..< 4 { breaker.recordFailure(nowNs: 0) }
        #expect(breaker.state == .closed)
    }

    @Test("each failed trial doubles the cool-down up to 5 minutes; a success restores 30 s")
    func coolDownDoubles() {
        var breaker = CircuitBreaker()
        for _ in 0 ..< 5 { breaker.recordFailure(nowNs: 0) }
        var reopenedUntil: [Int64] = []
        while case .open(let untilNs) = breaker.state, reopenedUntil.count < 6 {
            reopenedUntil.append(untilNs / s)
            #expect(breaker.allowAttempt(nowNs: untilNs) == true)
            breaker.recordFailure(nowNs: untilNs)
        }
        #expect(reopenedUntil == [30, 90, 210, 450, 750, 1050])
        #expect(breaker.coolDownNs == 300 * s)
        _ = breaker.allowAttempt(nowNs: 1350 * s)
        breaker.recordSuccess()
        #expect(breaker.coolDownNs == 30 * s)
        for _ in 0 ..< 5 { breaker.recordFailure(nowNs: 2000 * s) }
        #expect(breaker.state == .open(untilNs: 2030 * s))
    }
}
