import Synchronization

/// One request as the transport received it.
public struct IncomingControlRequest: Sendable {
    /// The routing envelope (identity frames and the empty delimiter), opaque here: it is
    /// handed back to `send` with the reply.
    public var envelope: [[UInt8]]
    /// The frames after the envelope.
    public var bodyFrames: [[UInt8]]
    /// The ZAP user id of the sender's CURVE key; nil without CURVE.
    public var userID: String?

    public init(envelope: [[UInt8]], bodyFrames: [[UInt8]], userID: String?) {
        self.envelope = envelope
        self.bodyFrames = bodyFrames
        self.userID = userID
    }
}

extension ControlServer {
    /// Answers `requests` until the stream finishes, then returns once every request in
    /// flight has been answered.
    ///
    /// Each request is handled in its own child task, so a slow handler call delays only its
    /// own reply. At most `maxInFlight` are handled at once; a request beyond that is answered
    /// UNAVAILABLE at once, from this loop. `send` gets the request's envelope and the reply
    /// frames; it should only enqueue (as `ZMQHub.reply` does), because the loop awaits it for
    /// refusals. A request's slot is freed just before its reply is sent, so a client that
    /// waits for its reply before sending again is never refused by its own previous request.
    public func run(
        requests: AsyncStream<IncomingControlRequest>,
        send: @escaping @Sendable (_ envelope: [[UInt8]], _ reply: [[UInt8]]) async -> Void
    ) async {
        await withDiscardingTaskGroup { group in
            for await request in requests {
                guard acquireSlot() else {
                    await send(request.envelope, busyReply(bodyFrames: request.bodyFrames))
                    continue
                }
                group.addTask {
                    let reply = await self.process(bodyFrames: request.bodyFrames, userID: request.userID)
                    self.releaseSlot()
                    await send(request.envelope, reply)
                }
            }
        }
    }

    private func acquireSlot() -> Bool {
        state.withLock { counters in
            guard counters.inFlight < maxInFlight else { return false }
            counters.inFlight += 1
            return true
        }
    }

    private func releaseSlot() {
        state.withLock { $0.inFlight -= 1 }
    }
}
