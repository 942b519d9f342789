import CZeroMQ

/// One received message: its frames in order, the ZAP user id of the peer that sent it (nil
/// when the socket has no authentication) and, when asked for, the file descriptor of the
/// peer's connection and the connection's identity (nil for inproc peers, which have neither).
public struct ZMQMessage: Sendable, Equatable {
    public var frames: [[UInt8]]
    public var userID: String?
    public var sourceDescriptor: Int32?
    public var sourceConnection: ZMQConnectionIdentity?

    public init(
        frames: [[UInt8]], userID: String? = nil, sourceDescriptor: Int32? = nil,
        sourceConnection: ZMQConnectionIdentity? = nil
    ) {
        self.frames = frames
        self.userID = userID
        self.sourceDescriptor = sourceDescriptor
        self.sourceConnection = sourceConnection
    }
}

/// A libzmq socket. libzmq sockets are not thread-safe, so this class is deliberately not
/// `Sendable`: the compiler keeps it on the thread (or task) that created it.
public final class ZMQSocket {
    public let type: ZMQSocketType
    let context: ZMQContext
    let handle: UnsafeMutableRawPointer
    /// One reusable message struct: a `zmq_msg_t` must never be copied once initialised.
    private let scratch: UnsafeMutablePointer<zmq_msg_t>

    public init(context: ZMQContext, type: ZMQSocketType) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZMQError.last("zmq_socket(\(type))")
        }
        self.type = type
        self.context = context
        self.handle = handle
        self.scratch = .allocate(capacity: 1)
    }

    deinit {
        zmq_close(handle)
        scratch.deallocate()
    }

    // MARK: Endpoints

    /// Binds and returns the resolved endpoint (so `tcp://127.0.0.1:*` reveals its port).
    @discardableResult
    public func bind(_ endpoint: String) throws(ZMQError) -> String {
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError.last("zmq_bind(\(endpoint))") }
        return (try? lastEndpoint) ?? endpoint
    }

    public func connect(_ endpoint: String) throws(ZMQError) {
        guard zmq_connect(handle, endpoint) == 0 else { throw ZMQError.last("zmq_connect(\(endpoint))") }
    }

    public func unbind(_ endpoint: String) throws(ZMQError) {
        guard zmq_unbind(handle, endpoint) == 0 else { throw ZMQError.last("zmq_unbind(\(endpoint))") }
    }

    public func disconnect(_ endpoint: String) throws(ZMQError) {
        guard zmq_disconnect(handle, endpoint) == 0 else { throw ZMQError.last("zmq_disconnect(\(endpoint))") }
    }

    // MARK: Options

    public func set<Value>(_ option: ZMQSocketOption<Value>, _ value: Value) throws(ZMQError) {
        let bytes = value.optionBytes
        let rc = bytes.withUnsafeBytes { raw in
            zmq_setsockopt(handle, option.name, raw.baseAddress, raw.count)
        }
        guard rc == 0 else { throw ZMQError.last("zmq_setsockopt(\(option))") }
    }

    func getInt32(_ name: Int32, _ label: String) throws(ZMQError) -> Int32 {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        guard zmq_getsockopt(handle, name, &value, &size) == 0 else { throw ZMQError.last("zmq_getsockopt(\(label))") }
        return value
    }

    /// The endpoint last bound or connected, with wildcards resolved.
    public var lastEndpoint: String {
        get throws(ZMQError) {
            var buffer = [CChar](repeating: 0, count: 512)
            var size = buffer.count
            guard zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
                throw ZMQError.last("zmq_getsockopt(ZMQ_LAST_ENDPOINT)")
            }
            return String(nulTerminated: buffer)
        }
    }

    /// Whether a message can be received / sent now without blocking (`ZMQ_EVENTS`).
    public var pendingEvents: ZMQPollEvents {
        get throws(ZMQError) { ZMQPollEvents(rawValue: Int16(try getInt32(ZMQ_EVENTS, "ZMQ_EVENTS"))) }
    }

    // MARK: Sending

    /// Sends one frame. Returns false when the send would block (`EAGAIN` with `dontWait`).
    @discardableResult
    public func send(_ bytes: UnsafeRawBufferPointer, more: Bool = false, dontWait: Bool = false) throws(ZMQError) -> Bool {
        let flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
        while true {
            if zmq_send(handle, bytes.baseAddress, bytes.count, flags) >= 0 { return true }
            let error = ZMQError.last("zmq_send")
            if error.isInterrupted { continue }
            if error.isWouldBlock { return false }
            throw error
        }
    }

    @discardableResult
    public func send(_ bytes: [UInt8], more: Bool = false, dontWait: Bool = false) throws(ZMQError) -> Bool {
        let outcome = bytes.withUnsafeBytes { raw in
            Result { () throws(ZMQError) -> Bool in try send(raw, more: more, dontWait: dontWait) }
        }
        return try outcome.get()
    }

    /// Sends all frames as one atomic multipart message. Returns false if the first frame would
    /// block; libzmq queues the remaining parts of a started message together.
    @discardableResult
    public func send(multipart frames: [[UInt8]], dontWait: Bool = false) throws(ZMQError) -> Bool {
        for (index, frame) in frames.enumerated() {
            let sent = try send(frame, more: index < frames.count - 1, dontWait: dontWait)
            if !sent {
                guard index == 0 else { throw ZMQError(operation: "zmq_send(part \(index + 1))", code: EAGAIN) }
                return false
            }
        }
        return true
    }

    // MARK: Receiving

    /// Receives one whole multipart message, or nil when none is waiting (`dontWait`).
    /// - Parameters:
    ///   - readUserID: read the ZAP `User-Id` property the peer's connection carries.
    ///   - readSourceDescriptor: read the descriptor of the peer's connection (`ZMQ_SRCFD`, taken
    ///     from the message's metadata, which an XPUB keeps on the subscriptions it passes up)
    ///     and the connection's identity (descriptors are reused; identities are not while held).
    public func receiveMessage(
        dontWait: Bool = false, readUserID: Bool = false, readSourceDescriptor: Bool = false
    ) throws(ZMQError) -> ZMQMessage? {
        var frames: [[UInt8]] = []
        var userID: String?
        var sourceDescriptor: Int32?
        var sourceConnection: ZMQConnectionIdentity?
        while true {
            zmq_msg_init(scratch)
            defer { zmq_msg_close(scratch) }
            let flags = (dontWait && frames.isEmpty) ? ZMQ_DONTWAIT : 0
            let size = zmq_msg_recv(scratch, handle, flags)
            if size < 0 {
                let error = ZMQError.last("zmq_msg_recv")
                if error.isInterrupted { continue }
                if error.isWouldBlock && frames.isEmpty { return nil }
                throw error
            }
            let data = zmq_msg_data(scratch)!
            frames.append(Array(UnsafeRawBufferPointer(start: data, count: Int(size))))
            // ROUTER's routing-id frame is made locally and carries no metadata; any wire frame does.
            if readUserID && userID == nil, let property = zmq_msg_gets(scratch, "User-Id") {
                userID = String(cString: property)
            }
            if readSourceDescriptor && sourceDescriptor == nil {
                let descriptor = zmq_msg_get(scratch, ZMQ_SRCFD)
                if descriptor >= 0 {
                    sourceDescriptor = descriptor
                    sourceConnection = ZMQConnectionIdentity(of: scratch)
                }
            }
            if zmq_msg_more(scratch) == 0 { break }
        }
        return ZMQMessage(frames: frames, userID: userID, sourceDescriptor: sourceDescriptor, sourceConnection: sourceConnection)
    }

    // MARK: Monitoring

    /// Starts publishing this socket's connection events on an inproc PAIR endpoint.
    public func startMonitor(endpoint: String, events: ZMQMonitorEvent.Kind = .all) throws(ZMQError) {
        guard zmq_socket_monitor(handle, endpoint, Int32(events.rawValue)) == 0 else {
            throw ZMQError.last("zmq_socket_monitor(\(endpoint))")
        }
    }
}

@available(*, unavailable, message: "libzmq sockets are not thread-safe; keep a socket on its owner thread")
extension ZMQSocket: Sendable {}
