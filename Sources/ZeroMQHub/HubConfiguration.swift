import ZeroMQ

/// What a hub owns: its sockets, the outbox bounds and the ZAP allowlist.
public struct HubConfiguration: Sendable {
    public var sockets: [HubSocketSpec]
    /// Most messages waiting for the owner thread; past it `publish` drops and counts.
    public var outboxCapacity: Int
    /// Most bytes waiting for the owner thread.
    public var outboxByteCapacity: Int
    /// Most received messages buffered for `inbound` consumers before newer ones are dropped
    /// (and counted).
    public var inboundBufferLimit: Int
    public var ioThreads: Int32
    /// Client keys per ZAP domain; consulted for every CURVE handshake on a server socket.
    public var allowlist: ZAPAllowlist
    public var threadName: String
    /// How long the owner thread keeps looking for work after its last message before it
    /// sleeps. A message handed over within it goes out without a wake-up: no eventfd write by
    /// the publisher and no scheduler wake of this thread (tens of µs on a virtual machine, and
    /// most of a message's receive → `zmq_send` time at moderate rates). The price is CPU: this
    /// thread spins (polling its sockets without blocking) for up to this long after every burst.
    /// Zero, the default, sleeps as soon as the outbox is empty.
    public var idleSpin: Duration = .zero

    public init(
        sockets: [HubSocketSpec], outboxCapacity: Int = 65_536, outboxByteCapacity: Int = 64 << 20,
        inboundBufferLimit: Int = 10_000, ioThreads: Int32 = 1, allowlist: ZAPAllowlist = ZAPAllowlist(),
        threadName: String = "krakenbridge.zmq"
    ) {
        self.sockets = sockets
        self.outboxCapacity = outboxCapacity
        self.outboxByteCapacity = outboxByteCapacity
        self.inboundBufferLimit = inboundBufferLimit
        self.ioThreads = ioThreads
        self.allowlist = allowlist
        self.threadName = threadName
    }
}

/// Something the owner thread received.
public enum HubInbound: Sendable, Equatable {
    /// A message on a socket that delivers inbound (SUB data, ROUTER requests with their
    /// routing envelope, ...), with the sender's ZAP user id when the socket is secured.
    case message(HubSocketID, ZMQMessage)
    /// An XPUB saw a subscriber subscribe to (or unsubscribe from) a topic prefix.
    case subscription(HubSocketID, subscribe: Bool, topic: [UInt8])
}

/// A connection event on one of the hub's sockets.
public struct HubMonitorEvent: Sendable, Equatable {
    public let socket: HubSocketID
    public let event: ZMQMonitorEvent
}
