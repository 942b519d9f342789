import CZeroMQ

/// Readiness flags of `zmq_poll` and `ZMQ_EVENTS`.
public struct ZMQPollEvents: OptionSet, Sendable {
    public let rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    public static let readable = ZMQPollEvents(rawValue: Int16(ZMQ_POLLIN))
    public static let writable = ZMQPollEvents(rawValue: Int16(ZMQ_POLLOUT))
    public static let error = ZMQPollEvents(rawValue: Int16(ZMQ_POLLERR))
}

/// A reusable `zmq_poll` set over sockets and plain file descriptors (such as an eventfd).
/// Like the sockets it polls, it belongs to one thread.
public struct ZMQPoller {
    private var items: [zmq_pollitem_t] = []

    public init() {}

    /// Adds a socket; returns its index for `events(at:)`.
    @discardableResult
    public mutating func add(_ socket: ZMQSocket, events: ZMQPollEvents = .readable) -> Int {
        items.append(zmq_pollitem_t(socket: socket.handle, fd: -1, events: events.rawValue, revents: 0))
        return items.count - 1
    }

    /// Adds a file descriptor; returns its index for `events(at:)`.
    @discardableResult
    public mutating func add(fileDescriptor: Int32, events: ZMQPollEvents = .readable) -> Int {
        items.append(zmq_pollitem_t(socket: nil, fd: fileDescriptor, events: events.rawValue, revents: 0))
        return items.count - 1
    }

    /// Waits up to `timeoutMilliseconds` (-1 forever, 0 no wait); returns how many items are
    /// ready. An interrupting signal counts as a timeout with nothing ready.
    @discardableResult
    public mutating func poll(timeoutMilliseconds: Int) throws(ZMQError) -> Int {
        let count = items.count
        let rc = items.withUnsafeMutableBufferPointer { zmq_poll($0.baseAddress, Int32(count), timeoutMilliseconds) }
        if rc < 0 {
            let error = ZMQError.last("zmq_poll")
            if error.isInterrupted {
                for index in items.indices { items[index].revents = 0 }
                return 0
            }
            throw error
        }
        return Int(rc)
    }

    /// What became ready for the item at `index` in the last `poll`.
    public func events(at index: Int) -> ZMQPollEvents {
        ZMQPollEvents(rawValue: items[index].revents)
    }
}
