/// Where one WebSocket session stands. Named states (rather than a bag of flags) let the session
/// actor ask one question — "what may happen next?" — and let diagnostics print one word.
///
/// Raw values are the snake_case names used in logs and metrics.
public enum ConnectionState: String, Sendable, CaseIterable {
    /// No socket and no plan to open one (before start, or after a clean shutdown).
    case disconnected
    /// TCP/TLS/WebSocket handshake in progress.
    case connecting
    /// The socket is open; nothing has been requested yet.
    case connected
    /// A WebSocket token is in hand for the `ws-auth` host (private sessions only).
    case authenticated
    /// Subscribe requests are out and their acknowledgements are awaited.
    case subscribing
    /// Every wanted subscription is acknowledged; data flows.
    case active
    /// The socket is gone and a backoff delay runs before the next attempt.
    case reconnecting
    /// Attempts have stopped (breaker open, credentials rejected); an operator or the breaker retries.
    case failed
    /// The process is stopping; no new attempts are made.
    case shuttingDown = "shutting_down"
}
