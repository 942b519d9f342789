import CZeroMQ
import ZeroMQ

/// A Linux eventfd used to wake the socket-owner thread out of `zmq_poll`.
final class EventFD: Sendable {
    let descriptor: Int32

    init() throws(ZMQError) {
        let fd = czmq_eventfd_create()
        guard fd >= 0 else { throw ZMQError(operation: "eventfd", code: czmq_errno()) }
        descriptor = fd
    }

    /// Safe from any thread; a full counter (EAGAIN) already means "readable", so it is ignored.
    func signal() {
        _ = czmq_eventfd_signal(descriptor)
    }

    func drain() {
        _ = czmq_eventfd_drain(descriptor)
    }

    deinit {
        close(descriptor)
    }
}
