/// What the liveness check asks the session to do. The cases are graded on purpose: only a silent
/// socket is dead; a missing ack is a failed request; a quiet subscription is merely unproven,
/// because an illiquid pair can legitimately send nothing but heartbeats for hours.
public enum LivenessDecision: Equatable, Sendable {
    /// No frame of any kind for `silentForNs`: close the socket and reconnect.
    case connectionStale(silentForNs: Int64)
    /// The subscribe request got no acknowledgement within the deadline: treat it as failed and
    /// request it again (paced).
    case ackOverdue(SubscriptionKey, waitingForNs: Int64)
    /// No data for `quietForNs` while heartbeats still arrive: verify it (e.g. resubscribe to get a
    /// fresh snapshot). Never a reason to declare the subscription or the connection dead.
    case dataSuspect(SubscriptionKey, quietForNs: Int64)
    /// A ping went unanswered past the pong deadline: frames may still come (heartbeats), but
    /// the far end no longer answers. Close the socket and reconnect.
    case pingUnanswered(PingKind, waitingForNs: Int64)
}

/// The two pings a connection sends: Kraken's application ping (answered by the exchange's
/// engine) and the WebSocket protocol ping (answered by its server).
public enum PingKind: String, Sendable, Hashable, CaseIterable {
    case application
    case webSocket = "websocket"
}
