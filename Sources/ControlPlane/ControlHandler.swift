import WireFormat

/// What the bridge does with a validated, authorized command. Implemented by the bridge;
/// `ControlServer` calls it concurrently for different requests, so it must be `Sendable` and
/// must not assume one call at a time.
public protocol ControlHandler: Sendable {
    func handle(_ command: ControlCommand) async -> ControlResponse
}

/// A handler's answer. The server adds the request's id and encodes it in the request's
/// encoding; extra frames are sent after the reply as they are.
public enum ControlResponse: Sendable {
    /// A one-frame reply, e.g. `.ack(KBAck)`, `.health(KBHealth)`.
    case result(KBControlReply.OneOf_Result)
    /// A reply followed by `[topic][header][payload]` triples (always binary): snapshot and
    /// replay. `frames.count` must be a multiple of 3, or the client gets INTERNAL instead.
    case stream(KBControlReply.OneOf_Result, frames: [[UInt8]])
    /// An error reply (NOT_FOUND, UNAVAILABLE, ...).
    case failure(ControlError)

    /// An `Ack` with a message for the operator.
    public static func ack(_ message: String) -> ControlResponse {
        var ack = KBAck()
        ack.message = message
        return .result(.ack(ack))
    }
}
