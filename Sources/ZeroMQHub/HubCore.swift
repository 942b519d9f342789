import Synchronization
import ZeroMQ

/// The state shared between publishing threads, the owner thread and `ZMQHub`'s users: the
/// outbox, the counters, the wake-up eventfd and the inbound stream continuations. Holds no
/// socket, so it is genuinely `Sendable`.
final class HubCore: Sendable {
    let configuration: HubConfiguration
    let outbox: Mutex<OutboxState>
    let threadCounters: Mutex<HubCounters>
    let wake: EventFD
    let inboundContinuation: AsyncStream<HubInbound>.Continuation
    let monitorContinuation: AsyncStream<HubMonitorEvent>.Continuation
    let inbound: AsyncStream<HubInbound>
    let monitorEvents: AsyncStream<HubMonitorEvent>
    private let stopState = Mutex<(stopped: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    init(configuration: HubConfiguration) throws(ZMQError) {
        self.configuration = configuration
        outbox = Mutex(OutboxState(capacity: configuration.outboxCapacity, byteCapacity: configuration.outboxByteCapacity))
        var counters = HubCounters()
        counters.connections = Array(repeating: SocketConnectionCounters(), count: configuration.sockets.count)
        threadCounters = Mutex(counters)
        wake = try EventFD()
        (inbound, inboundContinuation) = AsyncStream.makeStream(
            of: HubInbound.self, bufferingPolicy: .bufferingOldest(configuration.inboundBufferLimit))
        (monitorEvents, monitorContinuation) = AsyncStream.makeStream(
            of: HubMonitorEvent.self, bufferingPolicy: .bufferingNewest(1_024))
    }

    /// The hot path: one short lock, no allocation once buffers are warm, a syscall only when
    /// the owner thread is asleep.
    @discardableResult
    func enqueue(socket: Int, byteCount: Int, isReply: Bool, _ append: (inout OutboundBatch) -> Void) -> PublishOutcome {
        let (outcome, mustWake) = outbox.withLock { state -> (PublishOutcome, Bool) in
            let refusal: HubDropReason? =
                if socket < 0 || socket >= configuration.sockets.count { .unknownSocket }
                else if state.stopping { .hubStopped }
                else if isReply { nil }
                else if byteCount > configuration.outboxByteCapacity { .messageTooLarge }
                else if state.pending.count >= configuration.outboxCapacity { .outboxFull }
                else if state.pendingBytes + byteCount > configuration.outboxByteCapacity { .outboxBytesFull }
                else { nil }
            if let refusal {
                state.drops[refusal, default: 0] += 1
                return (.dropped(refusal), false)
            }
            if isReply {
                append(&state.replies)
            } else {
                append(&state.pending)
                state.pendingBytes += byteCount
                state.queued += 1
            }
            let mustWake = state.ownerWaiting
            state.ownerWaiting = false
            if mustWake { state.wakeSignals += 1 }
            return (.queued, mustWake)
        }
        if mustWake { wake.signal() }
        return outcome
    }

    /// Owner thread: swaps out everything queued. Returns false when nothing was queued, after
    /// marking the owner as about to sleep (when `announcingSleep`; not while it spins) so the
    /// next publisher rings the eventfd.
    func takeQueued(
        into pending: inout OutboundBatch, replies: inout OutboundBatch, announcingSleep: Bool = true
    ) -> (gotWork: Bool, stopping: Bool) {
        outbox.withLock { state in
            if state.pending.isEmpty && state.replies.isEmpty {
                state.ownerWaiting = announcingSleep && !state.stopping
                return (false, state.stopping)
            }
            swap(&state.pending, &pending)
            swap(&state.replies, &replies)
            state.pendingBytes = 0
            state.ownerWaiting = false
            return (true, state.stopping)
        }
    }

    func requestStop() {
        outbox.withLock { $0.stopping = true }
        wake.signal()
    }

    /// Owner thread, last act: closes the streams and releases everyone waiting for the stop.
    func markStopped() {
        outbox.withLock { $0.stopping = true }
        inboundContinuation.finish()
        monitorContinuation.finish()
        let waiters = stopState.withLock { state in
            state.stopped = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyStopped = stopState.withLock { state in
                if state.stopped { return true }
                state.waiters.append(continuation)
                return false
            }
            if alreadyStopped { continuation.resume() }
        }
    }

    func counters() -> HubCounters {
        var counters = threadCounters.withLock { $0 }
        outbox.withLock { state in
            counters.queued = state.queued
            counters.wakeSignals = state.wakeSignals
            counters.dropped = state.drops
        }
        return counters
    }
}
