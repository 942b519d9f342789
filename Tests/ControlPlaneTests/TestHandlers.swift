import ControlPlane
import Synchronization

/// Answers every command with an ack naming it, and counts calls.
final class AckHandler: ControlHandler {
    private let calls = Mutex<[ControlCommand]>([])

    var handled: [ControlCommand] { calls.withLock { $0 } }

    func handle(_ command: ControlCommand) async -> ControlResponse {
        calls.withLock { $0.append(command) }
        return .ack("\(command.kind.rawValue) done")
    }
}

/// A handler given as a closure.
struct ClosureHandler: ControlHandler {
    let body: @Sendable (ControlCommand) async -> ControlResponse

    func handle(_ command: ControlCommand) async -> ControlResponse { await body(command) }
}

/// Holds callers until opened (a sleep with a deterministic end).
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
