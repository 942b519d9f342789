import ZeroMQ

/// Socket options a market-data bus needs, as typed optional settings; nil leaves libzmq's
/// default. Applied on the owner thread before any bind or connect.
public struct SocketSettings: Sendable, Equatable {
    /// ZMTP-level PING/PONG (invisible to the application; frees dead peers' queues).
    public struct Heartbeat: Sendable, Equatable {
        public var intervalMilliseconds: Int32
        public var timeoutMilliseconds: Int32
        public var ttlMilliseconds: Int32?

        public init(intervalMilliseconds: Int32, timeoutMilliseconds: Int32, ttlMilliseconds: Int32? = nil) {
            self.intervalMilliseconds = intervalMilliseconds
            self.timeoutMilliseconds = timeoutMilliseconds
            self.ttlMilliseconds = ttlMilliseconds
        }
    }

    /// Kernel TCP keepalive, so NATs see traffic and half-open connections die.
    public struct TCPKeepalive: Sendable, Equatable {
        public var idleSeconds: Int32
        public var intervalSeconds: Int32
        public var count: Int32

        public init(idleSeconds: Int32, intervalSeconds: Int32, count: Int32) {
            self.idleSeconds = idleSeconds
            self.intervalSeconds = intervalSeconds
            self.count = count
        }
    }

    public var sendHighWaterMark: Int32?
    public var receiveHighWaterMark: Int32?
    public var lingerMilliseconds: Int32?
    public var immediate: Bool?
    public var tcpKeepalive: TCPKeepalive?
    public var maxMessageSize: Int64?
    public var heartbeat: Heartbeat?
    public var handshakeIntervalMilliseconds: Int32?
    public var xpubVerbose: Bool?
    public var xpubNoDrop: Bool?
    public var xpubWelcomeMessage: [UInt8]?
    public var routerMandatory: Bool?
    public var ipv6: Bool?

    public init() {}

    /// Market-data PUB/XPUB: a deep per-subscriber queue (drops past it show up as sequence
    /// gaps), no linger (stale data has no value and must not delay shutdown), ZMTP heartbeats
    /// and TCP keepalive. Never XPUB_NODROP: one slow reader must not throttle the others.
    ///
    /// The heartbeat tolerates a busy consumer for a minute: a subscriber whose queue is full
    /// stops answering PINGs (its I/O thread stops reading), and a short timeout would drop it
    /// uncounted; with 60 s its losses are dropped at the high-water mark instead, counted as
    /// overflows and seen as gaps. Dead peers still go within a minute (TCP keepalive too).
    public static var marketData: SocketSettings {
        var settings = SocketSettings()
        settings.sendHighWaterMark = 50_000
        settings.lingerMilliseconds = 0
        settings.heartbeat = Heartbeat(intervalMilliseconds: 2_000, timeoutMilliseconds: 60_000)
        settings.tcpKeepalive = TCPKeepalive(idleSeconds: 60, intervalSeconds: 10, count: 3)
        settings.handshakeIntervalMilliseconds = 5_000
        settings.maxMessageSize = Int64(maximumSubscriptionBytes)
        return settings
    }

    /// The largest message a publisher endpoint takes from a subscriber: a subscription is one
    /// flag byte and a topic prefix (tens of bytes). libzmq disconnects a peer that sends more,
    /// reading only the size header, so a hostile 16 MiB subscription costs no memory (it
    /// took 1.6 GB and kept it). Well above `SubscriptionLimits.maximumTopicBytes`, so that
    /// moderately long prefixes reach the hub and are refused with a count, and so that CURVE's
    /// handshake commands (INITIATE is about 300 bytes; the limit applies to them too) and
    /// encrypted subscriptions fit.
    public static let maximumSubscriptionBytes = 1_024

    /// Control ROUTER: libzmq disconnects peers sending more than 1 MiB; anything up to that
    /// reaches the control server, which answers requests over its own (smaller) limit with a
    /// TOO_LARGE error. A short linger so final replies leave, and EHOSTUNREACH for replies to
    /// vanished clients.
    public static var control: SocketSettings {
        var settings = SocketSettings()
        settings.sendHighWaterMark = 1_000
        settings.receiveHighWaterMark = 1_000
        settings.maxMessageSize = 1 << 20
        settings.lingerMilliseconds = 200
        settings.routerMandatory = true
        settings.heartbeat = Heartbeat(intervalMilliseconds: 2_000, timeoutMilliseconds: 6_000)
        settings.handshakeIntervalMilliseconds = 5_000
        return settings
    }

    /// A subscriber: a deep receive queue and quick detection of a vanished publisher.
    public static var subscriber: SocketSettings {
        var settings = SocketSettings()
        settings.receiveHighWaterMark = 50_000
        settings.lingerMilliseconds = 0
        settings.heartbeat = Heartbeat(intervalMilliseconds: 1_000, timeoutMilliseconds: 3_000)
        return settings
    }

    func apply(to socket: ZMQSocket) throws(ZMQError) {
        if let value = sendHighWaterMark { try socket.set(.sendHighWaterMark, value) }
        if let value = receiveHighWaterMark { try socket.set(.receiveHighWaterMark, value) }
        if let value = lingerMilliseconds { try socket.set(.linger, value) }
        if let value = immediate { try socket.set(.immediate, value) }
        if let value = tcpKeepalive {
            try socket.set(.tcpKeepalive, 1)
            try socket.set(.tcpKeepaliveIdle, value.idleSeconds)
            try socket.set(.tcpKeepaliveInterval, value.intervalSeconds)
            try socket.set(.tcpKeepaliveCount, value.count)
        }
        if let value = maxMessageSize { try socket.set(.maxMessageSize, value) }
        if let value = heartbeat {
            try socket.set(.heartbeatInterval, value.intervalMilliseconds)
            try socket.set(.heartbeatTimeout, value.timeoutMilliseconds)
            if let ttl = value.ttlMilliseconds { try socket.set(.heartbeatTTL, ttl) }
        }
        if let value = handshakeIntervalMilliseconds { try socket.set(.handshakeInterval, value) }
        if let value = xpubVerbose { try socket.set(.xpubVerbose, value) }
        if let value = xpubNoDrop { try socket.set(.xpubNoDrop, value) }
        if let value = xpubWelcomeMessage { try socket.set(.xpubWelcomeMessage, value) }
        if let value = routerMandatory { try socket.set(.routerMandatory, value) }
        if let value = ipv6 { try socket.set(.ipv6, value) }
    }
}
