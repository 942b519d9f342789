import FeedOutput
import WireFormat

/// What both session actors (`MarketSession`, `AccountSession`) share. Each runs on its
/// connection's event loop: its executor is that loop, so the socket's callbacks enter it with a
/// check that this thread is that loop (no task, no hop; `enter(with:)` per message,
/// `assumeIsolated` for the rest) and a frame runs parse → book → publish as plain
/// synchronous code inside the actor. Handles, the supervisor and the control plane reach it
/// with `await`, which queues a job on the same loop between two frames.
protocol FeedSession: FeedConnectionDelegate, SessionTaskOwner {}

extension FeedSession {
    /// Publishes a transition of this session's connection on `topic` (`conn:<feed>:`); a
    /// refusal is counted with the feed's publish failures.
    func publish(_ change: ConnectionStateChange, on topic: Topic, to sink: any BusSink) {
        if sink.publish(change.status, on: topic, receivedNs: change.atNs) == nil { link.counters.publishFailures += 1 }
    }
}
