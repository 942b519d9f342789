/// Something the simulator can do wrong on command, the way a real exchange or network fails.
/// Selected at runtime through the control API or from a scenario file (see `FaultSpec`).
public enum Fault: Sendable, Equatable {
    /// Which WebSocket listener a connection fault hits.
    public enum Target: String, Sendable, Codable {
        case `public`, `private`, all
    }

    /// How a REST request fails.
    public enum RESTFailure: String, Sendable, Codable {
        /// `500 Internal Server Error` with `EService:Unavailable`.
        case serverError = "5xx"
        /// The request is read and never answered.
        case timeout
    }

    /// How private sequence numbers go wrong on the next private frame of each connection.
    public enum SequenceFault: String, Sendable, Codable {
        /// The number after the next one is skipped (a gap of one).
        case skip
        /// The next frame is sent twice with the same number.
        case duplicate
        /// The next two frames are sent in swapped order.
        case reorder
    }

    /// Closes connections: abruptly (TCP close) or with a WebSocket close frame first.
    case disconnect(Target, clean: Bool)
    /// Connections stop sending data but keep TCP open; with `heartbeats` they still send heartbeats.
    case stall(Target, heartbeats: Bool)
    /// The next `count` book frames (of `symbol`, or of any symbol) carry a wrong checksum.
    case corruptChecksum(symbol: String?, count: Int)
    /// Private sequence numbers misbehave on the next private frame of every private connection.
    case sequence(SequenceFault)
    /// A frame that is not valid JSON.
    case malformedJSON(Target)
    /// A text frame of `bytes` bytes (valid JSON, padded).
    case oversizedFrame(Target, bytes: Int)
    /// The exchange's system status changes (`online`, `maintenance`, `cancel_only`, `post_only`).
    case status(String)
    /// The next `count` client requests are answered with `Exceeded msg rate` and the connection closed.
    case rateLimit(count: Int)
    /// The next `count` private subscriptions are refused with `ESession:Invalid session`.
    case rejectTokens(count: Int)
    /// The next `count` REST requests fail.
    case rest(RESTFailure, count: Int)
    /// Every outbound WebSocket frame is delayed by this many milliseconds (0 ends it).
    case latency(milliseconds: Int)
    /// Clears armed faults (pending counts, latency) and brings the status back to online.
    case clear

    /// The name used in JSON and counters.
    public var kind: String {
        switch self {
        case .disconnect: "disconnect"
        case .stall: "stall"
        case .corruptChecksum: "corrupt_checksum"
        case .sequence(let fault): "sequence_\(fault.rawValue)"
        case .malformedJSON: "malformed_json"
        case .oversizedFrame: "oversized_frame"
        case .status: "status"
        case .rateLimit: "rate_limit"
        case .rejectTokens: "reject_tokens"
        case .rest: "rest_failure"
        case .latency: "latency"
        case .clear: "clear"
        }
    }
}

/// The JSON form of a fault: `{"kind":"stall","target":"public","heartbeats":true}`.
///
/// Fields not used by a kind are ignored; missing optional fields take the documented defaults
/// (target `all`, count 1, clean false, heartbeats false, bytes 2 MiB).
public struct FaultSpec: Sendable, Codable, Equatable {
    public var kind: String
    public var target: Fault.Target?
    public var clean: Bool?
    public var heartbeats: Bool?
    public var symbol: String?
    public var count: Int?
    public var bytes: Int?
    public var status: String?
    public var mode: Fault.RESTFailure?
    public var milliseconds: Int?

    public init(kind: String) {
        self.kind = kind
    }

    /// Every kind with the fields it reads, for help texts and error messages.
    public static let kinds = """
        disconnect{target,clean} stall{target,heartbeats} corrupt_checksum{symbol,count} \
        sequence_skip sequence_duplicate sequence_reorder malformed_json{target} \
        oversized_frame{target,bytes} status{status} rate_limit{count} reject_tokens{count} \
        rest_failure{mode:5xx|timeout,count} latency{milliseconds} clear
        """

    /// The fault this spec describes, or a message saying what is wrong with it.
    public func fault() -> Result<Fault, FaultSpecError> {
        let target = target ?? .all
        let count = count ?? 1
        guard count >= 0 else { return .failure(FaultSpecError(message: "count must be ≥ 0")) }
        switch kind {
        case "disconnect": return .success(.disconnect(target, clean: clean ?? false))
        case "stall": return .success(.stall(target, heartbeats: heartbeats ?? false))
        case "corrupt_checksum": return .success(.corruptChecksum(symbol: symbol, count: count))
        case "sequence_skip": return .success(.sequence(.skip))
        case "sequence_duplicate": return .success(.sequence(.duplicate))
        case "sequence_reorder": return .success(.sequence(.reorder))
        case "malformed_json": return .success(.malformedJSON(target))
        case "oversized_frame":
            let bytes = bytes ?? 2 << 20
            guard bytes >= 64 else { return .failure(FaultSpecError(message: "bytes must be ≥ 64")) }
            return .success(.oversizedFrame(target, bytes: bytes))
        case "status":
            let allowed = ["online", "maintenance", "cancel_only", "post_only"]
            guard let status, allowed.contains(status) else {
                return .failure(FaultSpecError(message: "status must be one of \(allowed.joined(separator: ", "))"))
            }
            return .success(.status(status))
        case "rate_limit": return .success(.rateLimit(count: count))
        case "reject_tokens": return .success(.rejectTokens(count: count))
        case "rest_failure": return .success(.rest(mode ?? .serverError, count: count))
        case "latency":
            guard let milliseconds, (0...60_000).contains(milliseconds) else {
                return .failure(FaultSpecError(message: "milliseconds must be 0…60000"))
            }
            return .success(.latency(milliseconds: milliseconds))
        case "clear": return .success(.clear)
        default: return .failure(FaultSpecError(message: "unknown fault kind '\(kind)'; kinds: \(Self.kinds)"))
        }
    }
}

/// Why a fault spec was refused.
public struct FaultSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
