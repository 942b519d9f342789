import Foundation

/// An error Kraken's REST API reported in its `error` array (the HTTP status may still be 200).
public enum KrakenRESTError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidNonce
    case invalidKey
    case invalidSignature
    case permissionDenied
    case rateLimitExceeded
    case temporaryLockout
    case serviceUnavailable
    case invalidArguments(String)
    /// Any other `E…:…` string, verbatim.
    case other(String)
    /// The body is not Kraken's `{"error": [...], "result": ...}` envelope.
    case malformedResponse(String)

    /// Classifies one of Kraken's error strings.
    public init(krakenMessage message: String) {
        switch message {
        case "EAPI:Invalid nonce": self = .invalidNonce
        case "EAPI:Invalid key": self = .invalidKey
        case "EAPI:Invalid signature": self = .invalidSignature
        case "EGeneral:Permission denied": self = .permissionDenied
        case "EAPI:Rate limit exceeded": self = .rateLimitExceeded
        case "EGeneral:Temporary lockout": self = .temporaryLockout
        case "EService:Unavailable": self = .serviceUnavailable
        default:
            self = message.hasPrefix("EGeneral:Invalid arguments") ? .invalidArguments(message) : .other(message)
        }
    }

    /// Worth retrying later (with a fresh nonce) rather than a configuration problem.
    public var isTransient: Bool {
        switch self {
        case .invalidNonce, .rateLimitExceeded, .temporaryLockout, .serviceUnavailable: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .invalidNonce: "EAPI:Invalid nonce"
        case .invalidKey: "EAPI:Invalid key"
        case .invalidSignature: "EAPI:Invalid signature"
        case .permissionDenied: "EGeneral:Permission denied"
        case .rateLimitExceeded: "EAPI:Rate limit exceeded"
        case .temporaryLockout: "EGeneral:Temporary lockout"
        case .serviceUnavailable: "EService:Unavailable"
        case .invalidArguments(let message), .other(let message): message
        case .malformedResponse(let reason): "malformed REST response: \(reason)"
        }
    }
}

/// Decodes Kraken's REST envelope and returns `result`, or throws the first reported error.
enum RESTEnvelope {
    private struct Envelope<Result: Decodable>: Decodable {
        var error: [String]?
        var result: Result?
    }

    static func result<Result: Decodable>(_ type: Result.Type, from body: Data) throws(KrakenRESTError) -> Result {
        let envelope: Envelope<Result>
        do {
            envelope = try JSONDecoder().decode(Envelope<Result>.self, from: body)
        } catch {
            throw .malformedResponse("\(error)")
        }
        if let first = envelope.error?.first { throw KrakenRESTError(krakenMessage: first) }
        guard let result = envelope.result else { throw .malformedResponse("no result and no error") }
        return result
    }
}
