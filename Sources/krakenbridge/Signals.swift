import Dispatch
import Foundation
import Synchronization

/// SIGINT / SIGTERM as something a task can await, so commands stop cleanly (sockets closed,
/// summary printed) instead of being killed mid-write.
enum TerminationSignal {
    private static let waiters = Mutex<(next: Int, pending: [Int: CheckedContinuation<Void, Never>], cancelled: Set<Int>)>((0, [:], []))
    private static let sources = Mutex<[any DispatchSourceSignal]>([])

    /// Returns when the process receives SIGINT or SIGTERM, or when the task is cancelled.
    static func wait() async {
        installHandlers()
        let id = waiters.withLock { state in
            defer { state.next += 1 }
            return state.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let cancelledAlready = waiters.withLock { state in
                    if state.cancelled.remove(id) != nil { return true }
                    state.pending[id] = continuation
                    return false
                }
                if cancelledAlready { continuation.resume() }
            }
        } onCancel: {
            let continuation = waiters.withLock { state in
                guard let continuation = state.pending.removeValue(forKey: id) else {
                    state.cancelled.insert(id)
                    return nil as CheckedContinuation<Void, Never>?
                }
                return continuation
            }
            continuation?.resume()
        }
    }

    private static func installHandlers() {
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    let pending = waiters.withLock { state in
                        defer { state.pending.removeAll() }
                        return Array(state.pending.values)
                    }
                    pending.forEach { $0.resume() }
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}

/// Runs `work` until it finishes or a termination signal arrives, whichever is first.
func untilTerminated(_ work: @escaping @Sendable () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await work() }
        group.addTask { await TerminationSignal.wait() }
        try await group.next()
        group.cancelAll()
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
