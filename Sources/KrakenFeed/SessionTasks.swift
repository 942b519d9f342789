import NIOCore
import Synchronization

/// The REST calls a loop-confined session has in flight (token, AssetPairs, reconciliation),
/// each an unstructured task this object owns: `cancelAll()` — called when the session stops —
/// cancels them, and a result that arrives afterwards is dropped instead of being delivered to a
/// session, or an event loop, that is gone.
final class SessionTasks: Sendable {
    private struct State {
        var nextID = 0
        var running: [Int: Task<Void, Never>] = [:]
        var stopped = false
    }

    private let state = Mutex(State())

    /// Runs `work` off the loop and hands its result to `deliver` on `eventLoop`, unless the
    /// session stopped meanwhile. Nothing runs once stopped.
    func run<Value: Sendable>(
        on eventLoop: any EventLoop, _ work: @escaping @Sendable () async throws -> Value,
        deliver: @escaping @Sendable (Result<Value, any Error>) -> Void
    ) {
        state.withLock { state in
            guard !state.stopped else { return }
            let id = state.nextID
            state.nextID += 1
            state.running[id] = Task { [weak self] in
                let result: Result<Value, any Error>
                do { result = .success(try await work()) } catch { result = .failure(error) }
                guard let self, self.finish(id), !Task.isCancelled else { return }
                eventLoop.execute { deliver(result) }
            }
        }
    }

    /// Cancels every call in flight; later `run`s do nothing.
    func cancelAll() {
        let running = state.withLock { state in
            state.stopped = true
            defer { state.running = [:] }
            return Array(state.running.values)
        }
        for task in running { task.cancel() }
    }

    /// Calls in flight.
    var count: Int { state.withLock { $0.running.count } }

    /// Forgets a finished call; false when the session stopped meanwhile.
    private func finish(_ id: Int) -> Bool {
        state.withLock { state in
            state.running[id] = nil
            return !state.stopped
        }
    }
}
