/// One recorded step of a session, kept so that "why did the bridge reconnect at 03:12?" can be
/// answered from the diagnostics endpoint without having had debug logging on.
public struct LifecycleTransition: Equatable, Sendable {
    public var from: ConnectionState
    public var to: ConnectionState
    /// Unix nanoseconds when the step happened.
    public var atNs: Int64
    /// The connection attempt number after the step (see `ConnectionLifecycle.attempt`).
    public var attempt: Int
    /// Free text from the caller, e.g. the close code or the error that caused the step.
    public var detail: String

    public init(from: ConnectionState, to: ConnectionState, atNs: Int64, attempt: Int, detail: String) {
        self.from = from
        self.to = to
        self.atNs = atNs
        self.attempt = attempt
        self.detail = detail
    }
}
