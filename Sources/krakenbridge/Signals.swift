import Foundation
import Synchronization

/// The write end of the self-pipe the signal handler writes to (-1 until installed). A plain
/// global so the C handler can reach it without capturing anything.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// SIGINT / SIGTERM as something a task can await, so commands stop cleanly (sockets closed,
/// summary printed) instead of being killed mid-write.
///
/// A classic self-pipe: the process-wide handler only `write`s a byte (async-signal-safe),
/// whichever thread the kernel picks; a dedicated thread reads the pipe and wakes the waiters.
/// (libdispatch signal sources were unreliable here: they need the signal blocked in every
/// thread, and the main thread's mask is not ours to keep under an async main.)
enum TerminationSignal {
    private struct Waiters {
        var next = 0
        var pending: [Int: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<Int> = []
        /// Set once a signal arrived, so later waiters return at once.
        var signalled = false
    }

    private static let waiters = Mutex(Waiters())

    /// Installs the handlers; call once, first thing in main.
    static func install() {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return }
        signalPipeWriteEnd = ends[1]
        for number in [SIGINT, SIGTERM] {
            signal(number) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
        }
        let readEnd = ends[0]
        let reader = Thread {
            Thread.current.name = "kb.signals"
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return }
                let pending = waiters.withLock { state in
                    state.signalled = true
                    defer { state.pending.removeAll() }
                    return Array(state.pending.values)
                }
                pending.forEach { $0.resume() }
            }
        }
        reader.start()
    }

    /// Returns when the process receives SIGINT or SIGTERM, or when the task is cancelled.
    static func wait() async {
        let id = waiters.withLock { state in
            defer { state.next += 1 }
            return state.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let cancelledAlready = waiters.withLock { state in
                    if state.cancelled.remove(id) != nil || state.signalled { return true }
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

/// Writes a line to standard output at once (a live view must not sit in a stdio buffer,
/// nor interleave half-lines with other processes writing to the same terminal or file).
func printLine(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
