import NIOCore
import TransportTLS

/// A simulator listener that could not be bound: which one, where, and the system's reason.
public struct SimulatorBindError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The listener, named by the `sim` option that sets its port.
    public enum Listener: String, Sendable {
        case publicWebSocket = "public-port"
        case privateWebSocket = "private-port"
        case rest = "rest-port"
        case control = "control-port"
    }

    public let listener: Listener
    public let host: String
    public let port: Int
    public let reason: String

    public var description: String { "the \(listener.rawValue) listener on \(host):\(port) could not be bound: \(reason)" }

    /// Runs `bind`, turning its failure into this error.
    static func naming(
        _ listener: Listener, _ host: String, _ port: Int, _ bind: () async throws -> any Channel
    ) async throws -> any Channel {
        do {
            return try await bind()
        } catch {
            throw SimulatorBindError(listener: listener, host: host, port: port, reason: ConnectionErrorText.describe(error))
        }
    }
}
