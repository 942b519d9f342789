/// Why the session state machine refused a step. Naming both ends makes a wrong call site obvious
/// from a log line alone.
public enum LifecycleError: Error, Equatable, Sendable {
    case illegalTransition(from: ConnectionState, to: ConnectionState)
}
