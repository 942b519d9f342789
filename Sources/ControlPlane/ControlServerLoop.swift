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
    /// own reply. At most `maxInFlight` are handled at once, and at most `maxInFlightPerClient`
    /// of one client (its routing id), so a client that floods requests and never reads its
    /// replies cannot take every slot; a request beyond either bound is answered UNAVAILABLE
    /// at once, from this loop. `send` gets the request's envelope and the reply
    /// frames; it should only enqueue (as `ZMQHub.reply` does), because the loop awaits it for
    /// refusals. A request's slot is freed just before its reply is sent, so a client that
    /// waits for its reply before sending again is never refused by its own previous request.
    public func run(
        requests: AsyncStream<IncomingControlRequest>,
        send: @escaping @Sendable (_ envelope: [[UInt8]], _ reply: [[UInt8]]) async -> Void
    ) async {
        await withDiscardingTaskGroup { group in
            for await request in requests {
                let client = request.envelope.first ?? []
                if let refusal = acquireSlot(for: client) {
                    await send(request.envelope, busyReply(bodyFrames: request.bodyFrames, clientBound: refusal == .client))
                    continue
                }
                group.addTask {
                    let reply = await self.process(bodyFrames: request.bodyFrames, userID: request.userID)
                    self.releaseSlot(for: client)
                    await send(request.envelope, reply)
                }
            }
        }
    }

    private enum Bound { case client, server }

    /// Takes a slot for `client`; nil when taken, otherwise the bound that refused it.
    private func acquireSlot(for client: [UInt8]) -> Bound? {
        let clientHasRoom = clientsInFlight.withLock { clients in
            guard clients[client, default: 0] < maxInFlightPerClient else { return false }
            clients[client, default: 0] += 1
            return true
        }
        guard clientHasRoom else { return .client }
        let serverHasRoom = state.withLock { counters in
            guard counters.inFlight < maxInFlight else { return false }
            counters.inFlight += 1
            return true
        }
        if !serverHasRoom { releaseClient(client) }
        return serverHasRoom ? nil : .server
    }

    private func releaseSlot(for client: [UInt8]) {
        state.withLock { $0.inFlight -= 1 }
        releaseClient(client)
    }

    private func releaseClient(_ client: [UInt8]) {
        clientsInFlight.withLock { clients in
            let remaining = clients[client, default: 1] - 1
            clients[client] = remaining > 0 ? remaining : nil
        }
    }
}
