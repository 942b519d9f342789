import SessionLifecycle
import Testing

@Suite("Connection lifecycle")
struct ConnectionLifecycleTests {
    @Test("a first connection walks disconnected → connecting → connected → subscribing → active")
    func happyPath() throws {
        var lifecycle = ConnectionLifecycle(nowNs: 0)
        try lifecycle.transition(to: .connecting, nowNs: 1 * s)
        try lifecycle.transition(to: .connected, nowNs: 2 * s)
        try lifecycle.transition(to: .subscribing, nowNs: 3 * s)
        try lifecycle.transition(to: .active, nowNs: 4 * s, detail: "12 acks")
        #expect(lifecycle.state == .active)
        #expect(lifecycle.previousState == .subscribing)
        #expect(lifecycle.sinceNs == 4 * s)
        #expect(lifecycle.attempt == 0)
        #expect(lifecycle.history == [
            LifecycleTransition(from: .disconnected, to: .connecting, atNs: 1 * s, attempt: 1, detail: ""),
            LifecycleTransition(from: .connecting, to: .connected, atNs: 2 * s, attempt: 1, detail: ""),
            LifecycleTransition(from: .connected, to: .subscribing, atNs: 3 * s, attempt: 1, detail: ""),
            LifecycleTransition(from: .subscribing, to: .active, atNs: 4 * s, attempt: 0, detail: "12 acks"),
        ])
    }

    @Test("an illegal step throws naming both ends and changes nothing")
    func illegalStep() {
        var lifecycle = ConnectionLifecycle(nowNs: 7)
        #expect(throws: LifecycleError.illegalTransition(from: .disconnected, to: .active)) {
            try lifecycle.transition(to: .active, nowNs: 8)
        }
        #expect(lifecycle.state == .disconnected)
        #expect(lifecycle.previousState == nil)
        #expect(lifecycle.sinceNs == 7)
        #expect(lifecycle.history.isEmpty)
    }

    @Test("the transition table is exactly the documented one")
    func transitionTable() {
        let legal: [ConnectionState: Set<ConnectionState>] = [
            .disconnected: [.connecting, .shuttingDown],
            .connecting: [.connected, .reconnecting, .failed, .shuttingDown],
            .connected: [.authenticated, .subscribing, .reconnecting, .shuttingDown],
            .authenticated: [.subscribing, .reconnecting, .shuttingDown],
            .subscribing: [.active, .reconnecting, .shuttingDown],
            .active: [.subscribing, .reconnecting, .shuttingDown],
            .reconnecting: [.connecting, .failed, .shuttingDown],
            .failed: [.connecting, .shuttingDown],
            .shuttingDown: [.disconnected],
        ]
        for from in ConnectionState.allCases {
            for to in ConnectionState.allCases {
                #expect(ConnectionLifecycle.isLegal(from: from, to: to) == legal[from]!.contains(to), "\(from) → \(to)")
            }
        }
    }

    @Test("every entry into connecting counts an attempt until the session is active again")
    func attemptsCount() throws {
        var lifecycle = ConnectionLifecycle(nowNs: 0)
        for next: ConnectionState in [.connecting, .reconnecting, .connecting, .reconnecting, .connecting, .connected] {
            try lifecycle.transition(to: next, nowNs: 0)
        }
        #expect(lifecycle.attempt == 3)
        #expect(lifecycle.history.map(\.attempt) == [1, 1, 2, 2, 3, 3])
        try lifecycle.transition(to: .shuttingDown, nowNs: 0)
        try lifecycle.transition(to: .disconnected, nowNs: 0)
        #expect(lifecycle.state == .disconnected && lifecycle.previousState == .shuttingDown)
    }

    @Test("history keeps only the newest 32 transitions")
    func boundedHistory() throws {
        var lifecycle = ConnectionLifecycle(nowNs: 0)
        try lifecycle.transition(to: .connecting, nowNs: 0)
        for step in 1 ..< 40 {
            try lifecycle.transition(to: step % 2 == 1 ? .reconnecting : .connecting, nowNs: Int64(step))
        }
        #expect(lifecycle.history.count == 32)
        #expect(lifecycle.history.first?.atNs == 8)
        #expect(lifecycle.history.last == LifecycleTransition(from: .connecting, to: .reconnecting, atNs: 39, attempt: 20, detail: ""))
    }
}
