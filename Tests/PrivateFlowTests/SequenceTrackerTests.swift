import PrivateFlow
import Testing

@Suite("Kraken private sequence numbers: in order, duplicate, gap, reordered")
struct SequenceTrackerTests {
    @Test("each number is classified against the subscription's history")
    func classification() {
        var tracker = PrivateSequenceTracker()
        let channel = PrivateChannel.v2Executions
        #expect(tracker.observe(channel, sequence: 5, isSnapshot: true) == .baseline(5))
        #expect(tracker.observe(channel, sequence: 6, isSnapshot: false) == .inOrder)
        #expect(tracker.observe(channel, sequence: 9, isSnapshot: false) == .gap(expected: 7, received: 9))
        #expect(tracker.observe(channel, sequence: 7, isSnapshot: false) == .reordered(expected: 10, received: 7))
        #expect(tracker.observe(channel, sequence: 7, isSnapshot: false) == .duplicate(7))
        #expect(tracker.observe(channel, sequence: 8, isSnapshot: false) == .reordered(expected: 10, received: 8))
        #expect(tracker.observe(channel, sequence: 6, isSnapshot: false) == .duplicate(6))
        #expect(tracker.observe(channel, sequence: 10, isSnapshot: false) == .inOrder)
        #expect(tracker.observe(channel, sequence: 4, isSnapshot: false) == .duplicate(4))  // older than the snapshot
        #expect(tracker.duplicatesDropped[channel] == 3)
        #expect(tracker.expected(channel) == 11)
        #expect(tracker.expected(.v2Balances) == nil)
    }

    @Test("what each verdict asks of the caller")
    func decisions() {
        #expect(SequenceVerdict.gap(expected: 7, received: 9).needsResync)
        #expect(SequenceVerdict.reordered(expected: 10, received: 7).needsResync)
        #expect(!SequenceVerdict.duplicate(7).needsResync && !SequenceVerdict.duplicate(7).shouldProcess)
        #expect(SequenceVerdict.gap(expected: 7, received: 9).shouldProcess)
        #expect(!SequenceVerdict.inOrder.needsResync && !SequenceVerdict.baseline(1).needsResync)
    }

    @Test("numbering restarts on resubscribe and reconnect; channels never affect each other")
    func resets() {
        var tracker = PrivateSequenceTracker()
        #expect(tracker.observe(.v1OwnTrades, sequence: 2948, isSnapshot: false) == .baseline(2948))
        #expect(tracker.observe(.v1OpenOrders, sequence: 234, isSnapshot: false) == .baseline(234))
        #expect(tracker.observe(.v1OwnTrades, sequence: 2949, isSnapshot: false) == .inOrder)
        tracker.reset(.v1OwnTrades)
        #expect(tracker.observe(.v1OwnTrades, sequence: 1, isSnapshot: false) == .baseline(1))
        #expect(tracker.observe(.v1OpenOrders, sequence: 235, isSnapshot: false) == .inOrder)
        tracker.resetAll()
        #expect(tracker.observe(.v1OpenOrders, sequence: 1, isSnapshot: false) == .baseline(1))
        // A snapshot always starts a new numbering, even without a reset.
        #expect(tracker.observe(.v1OpenOrders, sequence: 1, isSnapshot: true) == .baseline(1))
    }

    @Test("through the flow: a gap publishes a Gap with the exact numbers, asks for a resync, and the message still counts")
    func gapThroughFlow() throws {
        var harness = Harness()
        for frame in Lifecycle.v2.prefix(3) { try harness.feed(frame) }
        let output = try harness.feed(Lifecycle.v2[4])  // sequence 5; 4 was lost
        #expect(output.resyncNeeded)
        #expect(output.events.map(describe) == [
            "gap executions sequenceSkipped expected=4 received=5",
            "report PARTIALLY_FILLED T2FHQZ-7YCDB-QPPJHM qty=0.25 @26600 cum=0.5 fee=17.29 USD",
            "fill T2FHQZ-7YCDB-QPPJHM 0.25@26600 fee=17.29 USD",
        ])
        let duplicate = try harness.feed(Lifecycle.v2[4])
        #expect(duplicate.events.isEmpty && !duplicate.resyncNeeded)
        #expect(duplicate.notes == [.duplicateMessage(channel: .v2Executions, sequence: 5)])
        let late = try harness.feed(Lifecycle.v2[3])  // sequence 4 arrives after all
        #expect(late.resyncNeeded)
        #expect(late.events.map(describe).first == "gap executions reordered expected=6 received=4")
        #expect(harness.flow.sequences.duplicatesDropped[.v2Executions] == 1)
    }
}
