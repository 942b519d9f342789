import TransportTLS
import ZeroMQ

/// Why a bridge did not start: the part that failed, what it was given and the system's reason,
/// so the command line can name the option to change in one line.
public enum BridgeStartError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The journal file could not be opened or created.
    case journal(path: String, reason: String)
    /// A ZeroMQ endpoint could not be bound (as configured, e.g. `tcp://127.0.0.1:5556`).
    case bind(endpoint: String, reason: String)
    /// The metrics HTTP listener could not be bound (`host:port`).
    case metrics(address: String, reason: String)

    public var description: String {
        switch self {
        case .journal(let path, let reason): "the journal \(path) could not be opened: \(reason)"
        case .bind(let endpoint, let reason): "\(endpoint) could not be bound: \(reason)"
        case .metrics(let address, let reason): "the metrics listener \(address) could not be bound: \(reason)"
        }
    }

    /// The configured endpoint a failed `zmq_bind(ENDPOINT)` names, and libzmq's reason.
    static func bind(_ error: ZMQError, configured endpoints: [String]) -> BridgeStartError {
        let endpoint = endpoints.first { error.operation == "zmq_bind(\($0))" } ?? error.operation
        return .bind(endpoint: endpoint, reason: error.message)
    }

    /// The system's words for a failed listen (NIO reports errno with its own call names).
    static func reason(_ error: any Error) -> String { ConnectionErrorText.describe(error) }
}
