import CZeroMQ

/// A failed libzmq call: the operation that failed, its errno and libzmq's own text for it.
public struct ZMQError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The libzmq function (or wrapper step) that failed, for example `zmq_bind(tcp://*:5556)`.
    public let operation: String
    /// The errno value libzmq reported.
    public let code: Int32
    /// `zmq_strerror(code)`.
    public let message: String

    public init(operation: String, code: Int32) {
        self.operation = operation
        self.code = code
        self.message = String(cString: zmq_strerror(code))
    }

    /// Reads `zmq_errno()` right after a failed call.
    static func last(_ operation: @autoclosure () -> String) -> ZMQError {
        ZMQError(operation: operation(), code: zmq_errno())
    }

    public var description: String { "\(operation) failed: \(message) (errno \(code))" }

    /// The call would have blocked (`EAGAIN`): normal with non-blocking sends and receives.
    public var isWouldBlock: Bool { code == EAGAIN }
    /// The context is being terminated (`ETERM`): close the socket and leave the loop.
    public var isTerminated: Bool { code == ETERM }
    /// A signal interrupted the call (`EINTR`): retry it.
    public var isInterrupted: Bool { code == EINTR }
}
