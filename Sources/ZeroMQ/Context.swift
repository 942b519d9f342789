import CZeroMQ

/// A libzmq context. Contexts are thread-safe (unlike sockets), so this type is `Sendable`.
///
/// Every socket retains its context, and the context is terminated only when the last
/// reference goes away, after all sockets are closed. `ZMQ_BLOCKY` is switched off so new
/// sockets default to linger 0: terminating can never hang on unsent messages.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    /// - Parameter ioThreads: libzmq I/O threads; one handles about a gigabyte a second.
    public init(ioThreads: Int32 = 1) throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        self.handle = handle
        guard zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads) == 0 else {
            let error = ZMQError.last("zmq_ctx_set(ZMQ_IO_THREADS)")
            zmq_ctx_term(handle)
            throw error
        }
        guard zmq_ctx_set(handle, ZMQ_BLOCKY, 0) == 0 else {
            let error = ZMQError.last("zmq_ctx_set(ZMQ_BLOCKY)")
            zmq_ctx_term(handle)
            throw error
        }
    }

    /// Makes blocking calls on this context's sockets return `ETERM` without closing anything.
    public func shutdown() {
        zmq_ctx_shutdown(handle)
    }

    deinit {
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }
}
