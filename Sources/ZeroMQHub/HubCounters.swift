/// Connection events seen on one socket (from its libzmq monitor).
public struct SocketConnectionCounters: Sendable, Equatable {
    public var connected: UInt64 = 0
    public var accepted: UInt64 = 0
    public var disconnected: UInt64 = 0
    public var handshakeSucceeded: UInt64 = 0
    public var handshakeFailedAuth: UInt64 = 0
    public var handshakeFailedOther: UInt64 = 0
    /// Subscribe / unsubscribe messages seen on an XPUB.
    public var subscriptions: UInt64 = 0
    public var unsubscriptions: UInt64 = 0
    /// Times a subscriber's queue reached the high-water mark and it began missing messages
    /// (sockets with `countsSubscriberOverflows`): at least one per gap a subscriber sees; how
    /// many messages it missed only its sequence numbers can tell.
    public var subscriberOverflows: UInt64 = 0
    /// Subscriptions past a peer's `SubscriptionLimits` (sockets with limits), and the peers
    /// disconnected for them.
    public var subscriptionsRefused: UInt64 = 0
    public var peersRefused: UInt64 = 0

    public init() {}

    /// Peers currently connected (accepted or connected, minus disconnected).
    public var liveConnections: Int64 { Int64(connected + accepted) - Int64(disconnected) }
}

/// A consistent reading of the hub's counters, for diagnostics and metrics.
public struct HubCounters: Sendable, Equatable {
    /// Messages accepted into the outbox.
    public var queued: UInt64 = 0
    /// Times a publisher woke the sleeping owner thread (an eventfd write). With `idleSpin`,
    /// messages that find it spinning need none.
    public var wakeSignals: UInt64 = 0
    /// Messages the owner thread handed to libzmq. PUB/XPUB drops at the high-water mark are
    /// invisible here (libzmq reports success); subscribers see them as sequence gaps.
    public var sent: UInt64 = 0
    /// Messages refused by the outbox, per reason.
    public var dropped: [HubDropReason: UInt64] = [:]
    /// Sends that would have blocked (XPUB_NODROP or ROUTER at the high-water mark).
    public var sendWouldBlock: UInt64 = 0
    /// Other send failures (for example EHOSTUNREACH: a reply to a client that left).
    public var sendFailed: UInt64 = 0
    public var repliesSent: UInt64 = 0
    /// Received messages that could not be delivered because the inbound buffer was full.
    public var inboundDropped: UInt64 = 0
    public var received: UInt64 = 0
    public var zapAccepted: UInt64 = 0
    public var zapRejected: UInt64 = 0
    /// Per socket, in configuration order.
    public var connections: [SocketConnectionCounters] = []
    /// The last send error text, if any.
    public var lastSendError: String?

    public init() {}

    public var totalDropped: UInt64 { dropped.values.reduce(0, +) }

    /// Subscriptions refused over every socket.
    public var totalSubscriptionsRefused: UInt64 { connections.reduce(0) { $0 + $1.subscriptionsRefused } }

    /// Peers disconnected for their subscriptions, over every socket.
    public var totalPeersRefused: UInt64 { connections.reduce(0) { $0 + $1.peersRefused } }

    /// Subscriber overflows over every socket.
    public var totalSubscriberOverflows: UInt64 { connections.reduce(0) { $0 + $1.subscriberOverflows } }
}
