import WireFormat

/// What the control plane has answered since start, for diagnostics. A value snapshot.
public struct ControlCounters: Sendable, Hashable {
    /// Every request answered, including those refused as too many.
    public var requests: UInt64 = 0
    /// Answered with a result (not an error).
    public var succeeded: UInt64 = 0
    /// Answered with an error, by code.
    public var failures: [KBControlErrorCode: UInt64] = [:]
    /// Requests that decoded and validated, by command (counted before authorization).
    public var commands: [ControlCommand.Kind: UInt64] = [:]
    /// Requests being handled right now.
    public var inFlight: Int = 0

    public init() {}

    /// Errors of one code (0 if none).
    public func failures(_ code: KBControlErrorCode) -> UInt64 { failures[code, default: 0] }

    /// Requests of one command (0 if none).
    public func commands(_ kind: ControlCommand.Kind) -> UInt64 { commands[kind, default: 0] }

    /// Flat names for `Diagnostics.counters`: `control.requests`, `control.succeeded`,
    /// `control.in_flight`, `control.error.<code>` (e.g. `control.error.invalid_argument`) and
    /// `control.command.<command>` (e.g. `control.command.add_pair`).
    public var diagnosticCounters: [String: UInt64] {
        var counters: [String: UInt64] = [
            "control.requests": requests, "control.succeeded": succeeded, "control.in_flight": UInt64(inFlight),
        ]
        for (code, count) in failures { counters["control.error.\(Self.name(of: code))"] = count }
        for (kind, count) in commands { counters["control.command.\(kind.rawValue)"] = count }
        return counters
    }

    /// Every error code's name, as `diagnosticCounters` spells it after `control.error.`.
    public static var errorCodeNames: [String] {
        KBControlErrorCode.allCases.filter { $0 != .unspecified }.map(name(of:))
    }

    /// The proto enum value's name without its prefix, lower-cased: `unknown_command`.
    static func name(of code: KBControlErrorCode) -> String {
        switch code {
        case .unspecified: "unspecified"
        case .malformed: "malformed"
        case .unknownCommand: "unknown_command"
        case .invalidArgument: "invalid_argument"
        case .tooLarge: "too_large"
        case .unauthorized: "unauthorized"
        case .notFound: "not_found"
        case .unavailable: "unavailable"
        case .internal: "internal"
        case .UNRECOGNIZED(let value): "code_\(value)"
        }
    }
}
