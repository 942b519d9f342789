import WireFormat

/// An error the control plane answers with: `ControlReply{error: ControlError{code, message, field}}`.
/// Produced by decoding and validation, by the access policy, or by a handler.
public struct ControlError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: KBControlErrorCode
    /// For a person: what was wrong and, where it helps, what is allowed.
    public var message: String
    /// The request field at fault (proto name, e.g. `interval_minutes`), or empty.
    public var field: String

    public init(code: KBControlErrorCode, message: String, field: String = "") {
        self.code = code
        self.message = message
        self.field = field
    }

    public static func malformed(_ message: String, field: String = "") -> ControlError {
        ControlError(code: .malformed, message: message, field: field)
    }

    public static func invalidArgument(_ message: String, field: String) -> ControlError {
        ControlError(code: .invalidArgument, message: message, field: field)
    }

    public static func notFound(_ message: String, field: String = "") -> ControlError {
        ControlError(code: .notFound, message: message, field: field)
    }

    public static func unavailable(_ message: String) -> ControlError {
        ControlError(code: .unavailable, message: message)
    }

    public static func `internal`(_ message: String) -> ControlError {
        ControlError(code: .internal, message: message)
    }

    /// The wire form.
    public var proto: KBControlError {
        var error = KBControlError()
        error.code = code
        error.message = message
        error.field = field
        return error
    }

    public init(_ proto: KBControlError) {
        self.init(code: proto.code, message: proto.message, field: proto.field)
    }

    public var description: String {
        field.isEmpty ? "\(code): \(message)" : "\(code) (\(field)): \(message)"
    }
}

/// A request that fails before a handler sees it (framing, decoding, validation): the error
/// plus what its reply needs — the request's id when it could be read, and the encoding.
public struct ControlFailure: Error, Sendable, Hashable {
    public var error: ControlError
    /// The request's id, or 0 when the body could not be decoded.
    public var id: UInt64
    public var encoding: ControlEncoding

    public init(_ error: ControlError, id: UInt64 = 0, encoding: ControlEncoding) {
        self.error = error
        self.id = id
        self.encoding = encoding
    }

    public var code: KBControlErrorCode { error.code }
    public var message: String { error.message }
    public var field: String { error.field }
}
