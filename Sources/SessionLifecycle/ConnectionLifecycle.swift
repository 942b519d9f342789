/// The explicit state machine of one WebSocket session. Session code is asynchronous and full of
/// callbacks that can arrive late (a close after a shutdown, an ack after a drop); routing every
/// change through one table turns such races into a thrown, named error instead of a silently
/// inconsistent session.
///
/// Legal transitions (a self-transition is never legal):
///
/// | from            | to                                              |
/// |-----------------|-------------------------------------------------|
/// | disconnected    | connecting                                      |
/// | connecting      | connected, reconnecting, failed                 |
/// | connected       | authenticated, subscribing, reconnecting        |
/// | authenticated   | subscribing, reconnecting                       |
/// | subscribing     | active, reconnecting                            |
/// | active          | subscribing (subscription change), reconnecting |
/// | reconnecting    | connecting, failed                              |
/// | failed          | connecting (operator or breaker retry)          |
/// | shuttingDown    | disconnected                                    |
/// | any other state | shuttingDown                                    |
///
/// `attempt` counts entries into `connecting` since the session was last `active`, so it is 1
/// during the first handshake and grows while reconnects keep failing.
public struct ConnectionLifecycle: Sendable {
    /// How many transitions `history` keeps (the newest ones).
    public static let historyLimit = 32

    public private(set) var state: ConnectionState = .disconnected
    public private(set) var previousState: ConnectionState?
    /// Unix nanoseconds when `state` was entered.
    public private(set) var sinceNs: Int64
    public private(set) var attempt = 0
    /// The last `historyLimit` transitions, oldest first.
    public private(set) var history: [LifecycleTransition] = []

    public init(nowNs: Int64) {
        sinceNs = nowNs
    }

    /// Whether the table above allows `from` → `to`.
    public static func isLegal(from: ConnectionState, to: ConnectionState) -> Bool {
        if from == to { return false }
        if to == .shuttingDown { return true }
        switch from {
        case .disconnected: return to == .connecting
        case .connecting: return to == .connected || to == .reconnecting || to == .failed
        case .connected: return to == .authenticated || to == .subscribing || to == .reconnecting
        case .authenticated: return to == .subscribing || to == .reconnecting
        case .subscribing: return to == .active || to == .reconnecting
        case .active: return to == .subscribing || to == .reconnecting
        case .reconnecting: return to == .connecting || to == .failed
        case .failed: return to == .connecting
        case .shuttingDown: return to == .disconnected
        }
    }

    /// Moves to `next` if the table allows it; otherwise leaves everything unchanged and throws.
    public mutating func transition(
        to next: ConnectionState, nowNs: Int64, detail: String = ""
    ) throws(LifecycleError) {
        guard Self.isLegal(from: state, to: next) else { throw .illegalTransition(from: state, to: next) }
        if next == .connecting { attempt += 1 }
        if next == .active { attempt = 0 }
        history.append(LifecycleTransition(from: state, to: next, atNs: nowNs, attempt: attempt, detail: detail))
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
        previousState = state
        state = next
        sinceNs = nowNs
    }
}
