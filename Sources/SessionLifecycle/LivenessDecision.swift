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
}
