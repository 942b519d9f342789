import SessionLifecycle
import Testing

@Suite("Request pacing and batching")
struct RequestPacerTests {
    @Test("a burst of 10 passes at once, then one request every 200 ms")
    func burstThenSteady() {
        var pacer = RequestPacer()
        #expect((0 ..< 10).map { _ in pacer.take(nowNs: 0) } == Array(repeating: nil, count: 10))
        #expect(pacer.take(nowNs: 0) == 200 * ms)
        #expect(pacer.take(nowNs: 100 * ms) == 200 * ms)  // a refused request takes nothing
        #expect(pacer.take(nowNs: 200 * ms) == nil)
        #expect(pacer.take(nowNs: 200 * ms) == 400 * ms)
    }

    @Test("an idle bucket refills to the full burst and no further")
    func refillsToBurst() {
        var pacer = RequestPacer()
        for _ in 0 ..< 10 { _ = pacer.take(nowNs: 0) }
        #expect((0 ..< 10).map { _ in pacer.take(nowNs: 10 * s) } == Array(repeating: nil, count: 10))
        #expect(pacer.take(nowNs: 10 * s) == 10 * s + 200 * ms)
    }

    @Test("symbols are cut into requests of at most 50 in their order")
    func batchesOfFifty() {
        let symbols = (0 ..< 120).map { "S\($0)/USD" }
        let batches = SubscriptionBatching.batches(symbols)
        #expect(batches.map(\.count) == [50, 50, 20])
        #expect(batches.flatMap { $0 } == symbols)
        #expect(SubscriptionBatching.batches([]) == [])
    }

    @Test("duplicate symbols are sent once, at their first position")
    func duplicates() {
        let batches = SubscriptionBatching.batches(["ETH/USD", "BTC/USD", "ETH/USD", "SOL/USD"], maxSymbols: 2)
        #expect(batches == [["ETH/USD", "BTC/USD"], ["SOL/USD"]])
    }
}
