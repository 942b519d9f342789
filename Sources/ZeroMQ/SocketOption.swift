import CZeroMQ

/// A value that can be passed to `zmq_setsockopt`; options are set rarely, so the bytes are
/// simply materialised.
public protocol ZMQOptionValue: Sendable {
    var optionBytes: [UInt8] { get }
}

extension Int32: ZMQOptionValue {
    public var optionBytes: [UInt8] { withUnsafeBytes(of: self) { Array($0) } }
}

extension Int64: ZMQOptionValue {
    public var optionBytes: [UInt8] { withUnsafeBytes(of: self) { Array($0) } }
}

extension Bool: ZMQOptionValue {
    public var optionBytes: [UInt8] { Int32(self ? 1 : 0).optionBytes }
}

extension Array: ZMQOptionValue where Element == UInt8 {
    public var optionBytes: [UInt8] { self }
}

extension String: ZMQOptionValue {
    public var optionBytes: [UInt8] { Array(utf8) }
}

extension CurveKey: ZMQOptionValue {
    public var optionBytes: [UInt8] { bytes }
}

/// A typed socket option: the option's libzmq number and the Swift type of its value.
public struct ZMQSocketOption<Value: ZMQOptionValue>: Sendable, CustomStringConvertible {
    public let name: Int32
    public let description: String

    init(_ name: Int32, _ description: String) {
        self.name = name
        self.description = description
    }
}

extension ZMQSocketOption where Value == Int32 {
    /// Per-peer cap on queued outbound messages; PUB/XPUB/ROUTER drop past it. 0 = unlimited.
    public static var sendHighWaterMark: Self { .init(ZMQ_SNDHWM, "ZMQ_SNDHWM") }
    /// Per-peer cap on queued inbound messages. 0 = unlimited.
    public static var receiveHighWaterMark: Self { .init(ZMQ_RCVHWM, "ZMQ_RCVHWM") }
    /// Milliseconds unsent messages survive close; -1 forever, 0 discard.
    public static var linger: Self { .init(ZMQ_LINGER, "ZMQ_LINGER") }
    /// -1 OS default, 0 off, 1 on.
    public static var tcpKeepalive: Self { .init(ZMQ_TCP_KEEPALIVE, "ZMQ_TCP_KEEPALIVE") }
    public static var tcpKeepaliveIdle: Self { .init(ZMQ_TCP_KEEPALIVE_IDLE, "ZMQ_TCP_KEEPALIVE_IDLE") }
    public static var tcpKeepaliveInterval: Self { .init(ZMQ_TCP_KEEPALIVE_INTVL, "ZMQ_TCP_KEEPALIVE_INTVL") }
    public static var tcpKeepaliveCount: Self { .init(ZMQ_TCP_KEEPALIVE_CNT, "ZMQ_TCP_KEEPALIVE_CNT") }
    /// ZMTP PING every this many milliseconds (0 = off).
    public static var heartbeatInterval: Self { .init(ZMQ_HEARTBEAT_IVL, "ZMQ_HEARTBEAT_IVL") }
    /// Asks the peer to time out after this many milliseconds of silence (decisecond resolution).
    public static var heartbeatTTL: Self { .init(ZMQ_HEARTBEAT_TTL, "ZMQ_HEARTBEAT_TTL") }
    /// Drops the connection when nothing arrives this many milliseconds after a PING.
    public static var heartbeatTimeout: Self { .init(ZMQ_HEARTBEAT_TIMEOUT, "ZMQ_HEARTBEAT_TIMEOUT") }
    /// Maximum milliseconds a handshake (including CURVE and ZAP) may take.
    public static var handshakeInterval: Self { .init(ZMQ_HANDSHAKE_IVL, "ZMQ_HANDSHAKE_IVL") }
    /// Milliseconds before reconnecting a lost connection; -1 never reconnects.
    public static var reconnectInterval: Self { .init(ZMQ_RECONNECT_IVL, "ZMQ_RECONNECT_IVL") }
    public static var sendTimeout: Self { .init(ZMQ_SNDTIMEO, "ZMQ_SNDTIMEO") }
    public static var receiveTimeout: Self { .init(ZMQ_RCVTIMEO, "ZMQ_RCVTIMEO") }
}

extension ZMQSocketOption where Value == Int64 {
    /// Peers sending a larger message are disconnected (-1 = no limit).
    public static var maxMessageSize: Self { .init(ZMQ_MAXMSGSIZE, "ZMQ_MAXMSGSIZE") }
}

extension ZMQSocketOption where Value == Bool {
    /// Queue only to completed connections (for PUB sockets that connect to a proxy).
    public static var immediate: Self { .init(ZMQ_IMMEDIATE, "ZMQ_IMMEDIATE") }
    /// XPUB: pass every subscribe message up, duplicates included.
    public static var xpubVerbose: Self { .init(ZMQ_XPUB_VERBOSE, "ZMQ_XPUB_VERBOSE") }
    /// XPUB: pass every subscribe and unsubscribe message up, each with its sender's metadata.
    public static var xpubVerboser: Self { .init(ZMQ_XPUB_VERBOSER, "ZMQ_XPUB_VERBOSER") }
    /// XPUB/PUB: block or fail with EAGAIN at the high-water mark instead of dropping.
    /// Never on a fan-out market-data socket: one slow reader would throttle all.
    public static var xpubNoDrop: Self { .init(ZMQ_XPUB_NODROP, "ZMQ_XPUB_NODROP") }
    /// ROUTER: fail with EHOSTUNREACH for unknown peers instead of dropping silently.
    public static var routerMandatory: Self { .init(ZMQ_ROUTER_MANDATORY, "ZMQ_ROUTER_MANDATORY") }
    /// This socket is a CURVE server (set before bind).
    public static var curveServer: Self { .init(ZMQ_CURVE_SERVER, "ZMQ_CURVE_SERVER") }
    public static var requestRelaxed: Self { .init(ZMQ_REQ_RELAXED, "ZMQ_REQ_RELAXED") }
    public static var requestCorrelate: Self { .init(ZMQ_REQ_CORRELATE, "ZMQ_REQ_CORRELATE") }
    public static var ipv6: Self { .init(ZMQ_IPV6, "ZMQ_IPV6") }
}

extension ZMQSocketOption where Value == CurveKey {
    public static var curveSecretKey: Self { .init(ZMQ_CURVE_SECRETKEY, "ZMQ_CURVE_SECRETKEY") }
    public static var curvePublicKey: Self { .init(ZMQ_CURVE_PUBLICKEY, "ZMQ_CURVE_PUBLICKEY") }
    /// On a CURVE client: the server's long-term public key.
    public static var curveServerKey: Self { .init(ZMQ_CURVE_SERVERKEY, "ZMQ_CURVE_SERVERKEY") }
}

extension ZMQSocketOption where Value == String {
    /// The ZAP domain sent to the authentication handler; selects the allowlist.
    public static var zapDomain: Self { .init(ZMQ_ZAP_DOMAIN, "ZMQ_ZAP_DOMAIN") }
}

extension ZMQSocketOption where Value == [UInt8] {
    /// SUB: receive messages whose first frame starts with these bytes.
    public static var subscribe: Self { .init(ZMQ_SUBSCRIBE, "ZMQ_SUBSCRIBE") }
    public static var unsubscribe: Self { .init(ZMQ_UNSUBSCRIBE, "ZMQ_UNSUBSCRIBE") }
    public static var routingID: Self { .init(ZMQ_ROUTING_ID, "ZMQ_ROUTING_ID") }
    /// XPUB: a single-frame message sent to every newly connected subscriber.
    public static var xpubWelcomeMessage: Self { .init(ZMQ_XPUB_WELCOME_MSG, "ZMQ_XPUB_WELCOME_MSG") }
}
