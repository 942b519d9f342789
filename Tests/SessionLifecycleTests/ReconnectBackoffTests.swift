import SeededRandom
import SessionLifecycle
import Testing

@Suite("Reconnect backoff")
struct ReconnectBackoffTests {
    @Test("with the top random value each delay is the ceiling: doubling from 250 ms, capped at 30 s")
    func ceilings() {
        var backoff = ReconnectBackoff()
        var generator = ScriptedRandom([.max])
        let delays = (0 ..< 9).map { _ in backoff.nextDelayNs(using: &generator) }
        #expect(delays == [250 * ms, 500 * ms, 1 * s, 2 * s, 4 * s, 8 * s, 16 * s, 30 * s, 30 * s])
        #expect(backoff.attempt == 9)
    }

    @Test("full jitter spans zero to the ceiling")
    func fullJitter() {
        var backoff = ReconnectBackoff()
        var generator = ScriptedRandom([0, 1 << 63, .max])
        let delays = (0 ..< 3).map { _ in backoff.nextDelayNs(using: &generator) }
        #expect(delays == [0, 250 * ms, 1 * s])
    }

    @Test("a seeded SplitMix64 gives exact, repeatable delays")
    func seeded() {
        var backoff = ReconnectBackoff()
        var generator = SplitMix64(seed: 42)
        let delays = (0 ..< 9).map { _ in backoff.nextDelayNs(using: &generator) }
        #expect(delays == [
            185_391_220, 79_955_196, 278_601_130, 688_381_433, 152_120_674,
            6_945_824_613, 3_494_483_099, 24_018_956_302, 10_197_931_167,
        ])
    }

    @Test("huge attempt counts and huge bases never overflow")
    func noOverflow() {
        let backoff = ReconnectBackoff()
        for attempt in [62, 63, 64, 1_000, Int.max] { #expect(backoff.ceilingNs(attempt: attempt) == 30 * s) }
        let wide = ReconnectBackoff(baseNs: 1 << 40, capNs: .max)
        #expect(wide.ceilingNs(attempt: 22) == 1 << 62)
        #expect(wide.ceilingNs(attempt: 23) == .max)
        var generator = ScriptedRandom([.max])
        var counting = ReconnectBackoff()
        let last = (0 ..< 500).map { _ in counting.nextDelayNs(using: &generator) }.last
        #expect(last == 30 * s)
    }

    @Test("the attempt count starts over only after 60 s of healthy connection")
    func healthyReset() {
        var backoff = ReconnectBackoff()
        var generator = ScriptedRandom([.max])
        for _ in 0 ..< 3 { _ = backoff.nextDelayNs(using: &generator) }
        #expect(backoff.resetIfHealthy(activeSinceNs: 100 * s, nowNs: 160 * s - 1) == false)
        #expect(backoff.attempt == 3)
        #expect(backoff.resetIfHealthy(activeSinceNs: 100 * s, nowNs: 160 * s) == true)
        #expect(backoff.attempt == 0)
        #expect(backoff.nextDelayNs(using: &generator) == 250 * ms)
    }
}
