import SessionLifecycle
import Testing

@Suite("Endpoint rotation")
struct EndpointRotationTests {
    let primary = "wss://ws.kraken.com/v2"
    let beta = "wss://beta-ws.kraken.com/v2"

    @Test("fails over while the primary's breaker is open and returns to it after the cool-down")
    func failoverAndBack() {
        var rotation = EndpointRotation(urls: [primary, beta], breaker: CircuitBreaker(failureThreshold: 1))
        #expect(rotation.next(nowNs: 0) == .connect(index: 0, url: primary))
        rotation.recordFailure(index: 0, nowNs: 0)
        #expect(rotation.next(nowNs: 1 * s) == .connect(index: 1, url: beta))
        rotation.recordSuccess(index: 1)
        #expect(rotation.next(nowNs: 30 * s - 1) == .connect(index: 1, url: beta))
        #expect(rotation.next(nowNs: 30 * s) == .connect(index: 0, url: primary))
        #expect(rotation.endpoints.map(\.breaker.stateName) == ["half_open", "closed"])
    }

    @Test("right after a failure it tries the next endpoint, wrapping around, even with the breaker closed")
    func failoverAfterOneFailure() {
        var rotation = EndpointRotation(urls: [primary, beta])
        rotation.recordFailure(index: 0, nowNs: 0)
        #expect(rotation.endpoints[0].breaker.stateName == "closed")
        #expect(rotation.next(nowNs: 1, after: 0) == .connect(index: 1, url: beta))
        rotation.recordFailure(index: 1, nowNs: 2)
        #expect(rotation.next(nowNs: 3, after: 1) == .connect(index: 0, url: primary))
        #expect(rotation.next(nowNs: 4) == .connect(index: 0, url: primary))
    }

    @Test("when every breaker is open it names the earliest time one reopens")
    func allOpen() {
        var rotation = EndpointRotation(urls: [primary, beta], breaker: CircuitBreaker(failureThreshold: 1))
        rotation.recordFailure(index: 1, nowNs: 0)
        rotation.recordFailure(index: 0, nowNs: 5 * s)
        #expect(rotation.next(nowNs: 10 * s) == .waitUntil(untilNs: 30 * s))
    }

    @Test("while the only trial is in flight it waits for the outcome")
    func trialInFlight() {
        var rotation = EndpointRotation(urls: [primary], breaker: CircuitBreaker(failureThreshold: 1))
        rotation.recordFailure(index: 0, nowNs: 0)
        #expect(rotation.next(nowNs: 30 * s) == .connect(index: 0, url: primary))
        #expect(rotation.next(nowNs: 31 * s) == .awaitTrial)
        rotation.recordFailure(index: 0, nowNs: 32 * s)
        #expect(rotation.next(nowNs: 33 * s) == .waitUntil(untilNs: 92 * s))
    }
}
