import SessionLifecycle
import Testing

@Suite("Liveness monitor")
struct LivenessMonitorTests {
    let book = SubscriptionKey(channel: "book", symbol: "BTC/USD")
    let trade = SubscriptionKey(channel: "trade", symbol: "ADA/EUR")

    @Test("heartbeats keep a subscribed connection alive; ten silent seconds make it stale")
    func connectionSilence() {
        var monitor = LivenessMonitor(nowNs: 0)
        monitor.subscriptionRequested(book, nowNs: 0)
        monitor.subscriptionAcknowledged(book, nowNs: 100 * ms)
        for second in Int64(1) ... 30 { monitor.frameReceived(nowNs: second * s) }
        #expect(monitor.evaluate(nowNs: 40 * s) == [])
        #expect(monitor.evaluate(nowNs: 40 * s + 1) == [.connectionStale(silentForNs: 10 * s + 1)])
    }

    @Test("before any acknowledgement there are no heartbeats, so silence may last 45 s")
    func unsubscribedSilence() {
        let monitor = LivenessMonitor(nowNs: 0)
        #expect(monitor.evaluate(nowNs: 45 * s) == [])
        #expect(monitor.evaluate(nowNs: 46 * s) == [.connectionStale(silentForNs: 46 * s)])
    }

    @Test("subscriptions without an ack within 10 s are overdue, sorted by channel then symbol")
    func ackOverdue() {
        var monitor = LivenessMonitor(nowNs: 0)
        let ethBook = SubscriptionKey(channel: "book", symbol: "ETH/USD")
        for key in [trade, ethBook, book] { monitor.subscriptionRequested(key, nowNs: 0) }
        monitor.subscriptionRequested(trade, nowNs: 2 * s)
        monitor.frameReceived(nowNs: 5 * s)
        #expect(monitor.evaluate(nowNs: 10 * s) == [])
        #expect(monitor.evaluate(nowNs: 11 * s) == [
            .ackOverdue(book, waitingForNs: 11 * s), .ackOverdue(ethBook, waitingForNs: 11 * s),
        ])
        monitor.subscriptionRemoved(book)
        #expect(monitor.evaluate(nowNs: 13 * s) == [
            .ackOverdue(ethBook, waitingForNs: 13 * s), .ackOverdue(trade, waitingForNs: 11 * s),
        ])
    }

    @Test("a quiet subscription while heartbeats arrive is only suspect, and data clears it")
    func quietMarket() {
        var monitor = LivenessMonitor(nowNs: 0)
        monitor.subscriptionRequested(trade, nowNs: 0)
        monitor.subscriptionAcknowledged(trade, nowNs: 0)
        for second in Int64(1) ... 601 { monitor.frameReceived(nowNs: second * s) }
        #expect(monitor.evaluate(nowNs: 600 * s) == [])
        #expect(monitor.evaluate(nowNs: 601 * s) == [.dataSuspect(trade, quietForNs: 601 * s)])
        monitor.dataReceived(trade, nowNs: 601 * s)
        #expect(monitor.evaluate(nowNs: 602 * s) == [])
    }

    @Test("a silent connection is reported alone, whatever its subscriptions look like")
    func staleConnectionAlone() {
        var monitor = LivenessMonitor(nowNs: 0)
        monitor.subscriptionRequested(trade, nowNs: 0)
        monitor.subscriptionAcknowledged(trade, nowNs: 0)
        monitor.subscriptionRequested(book, nowNs: 0)
        #expect(monitor.evaluate(nowNs: 700 * s) == [.connectionStale(silentForNs: 700 * s)])
    }
}
