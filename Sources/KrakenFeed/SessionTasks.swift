/// The REST calls a session actor has in flight (token, AssetPairs, reconciliation), each an
/// unstructured task stored here under its id. Part of the session's state, used only inside
/// its isolation: `cancelAll()` — when the session stops — cancels them, and a result that
/// arrives afterwards is dropped (`finish` says so). See `FeedSession.call`.
struct SessionTasks {
    private var running: [Int: Task<Void, Never>] = [:]
    private var nextID = 0
    private var stopped = false

    /// An id for a call about to start; nil once stopped (nothing new runs).
    mutating func reserve() -> Int? {
        guard !stopped else { return nil }
        defer { nextID += 1 }
        return nextID
    }

    /// Keeps the task of a reserved call until it finishes or is cancelled.
    mutating func store(_ task: Task<Void, Never>, id: Int) {
        guard !stopped else { return task.cancel() }
        running[id] = task
    }

    /// Forgets a finished call; false when the session stopped meanwhile (drop its result).
    mutating func finish(_ id: Int) -> Bool {
        running[id] = nil
        return !stopped
    }

    /// Cancels every call in flight; later calls do nothing.
    mutating func cancelAll() {
        stopped = true
        for task in running.values { task.cancel() }
        running = [:]
    }

    /// Calls in flight.
    var count: Int { running.count }
}

/// An actor that makes REST calls in tasks it owns (the session actors).
protocol SessionTaskOwner: Actor {
    /// The calls in flight; cancelled when the owner stops.
    var tasks: SessionTasks { get set }
}

extension SessionTaskOwner {
    /// Awaits `work` (a REST call) off the loop in a task the session owns, then hands its
    /// result to `deliver` inside the session — unless the session stopped meanwhile: then the
    /// call was cancelled, and its end is noticed off the loop, so nothing comes back to a loop
    /// that may have shut down (a job queued there would be dropped, and the task with it). The
    /// task holds the session weakly: a session gone is a result dropped.
    func call<Value: Sendable>(
        _ work: @escaping @Sendable () async throws -> Value,
        then deliver: @escaping @Sendable (isolated Self, Result<Value, any Error>) -> Void
    ) {
        guard let id = tasks.reserve() else { return }
        let task = Task.detached { [weak self] in
            let result: Result<Value, any Error>
            do { result = .success(try await work()) } catch { result = .failure(error) }
            guard !Task.isCancelled, let self else { return }
            await self.finishCall(id, result, deliver)
        }
        tasks.store(task, id: id)
    }

    private func finishCall<Value: Sendable>(
        _ id: Int, _ result: Result<Value, any Error>, _ deliver: @Sendable (isolated Self, Result<Value, any Error>) -> Void
    ) {
        guard tasks.finish(id) else { return }
        deliver(self, result)
    }
}
