import CZeroMQ

/// Which connection a received message came over: libzmq gives every connection one metadata
/// object, shared by all its messages. Two identities are equal when they name the same object.
///
/// It holds a copy of the message it was taken from, and so a reference to that object: the
/// address cannot be given to another connection while this identity exists, which is what
/// makes comparing addresses safe.
public final class ZMQConnectionIdentity: Equatable, @unchecked Sendable {
    // @unchecked: immutable after init; libzmq counts metadata references atomically, so the
    // copy may be closed on any thread.
    private let message: UnsafeMutablePointer<zmq_msg_t>
    private let address: UnsafeRawPointer

    /// Nil when the message carries no metadata (inproc peers, frames made locally).
    init?(of source: UnsafeMutablePointer<zmq_msg_t>) {
        guard let property = zmq_msg_gets(source, "__fd") else { return nil }
        message = .allocate(capacity: 1)
        zmq_msg_init(message)
        guard zmq_msg_copy(message, source) == 0 else {
            zmq_msg_close(message)
            message.deallocate()
            return nil
        }
        address = UnsafeRawPointer(property)
    }

    deinit {
        zmq_msg_close(message)
        message.deallocate()
    }

    public static func == (lhs: ZMQConnectionIdentity, rhs: ZMQConnectionIdentity) -> Bool {
        lhs.address == rhs.address
    }
}
