import CZeroMQ

/// A connection event reported by `zmq_socket_monitor`: what happened, libzmq's value for it
/// (an fd, an errno or an interval) and the endpoint it concerns.
public struct ZMQMonitorEvent: Sendable, Equatable, CustomStringConvertible {
    /// Event kinds (the `ZMQ_EVENT_*` bits); also usable as a mask.
    public struct Kind: OptionSet, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let connected = Kind(rawValue: UInt32(ZMQ_EVENT_CONNECTED))
        public static let connectDelayed = Kind(rawValue: UInt32(ZMQ_EVENT_CONNECT_DELAYED))
        public static let connectRetried = Kind(rawValue: UInt32(ZMQ_EVENT_CONNECT_RETRIED))
        public static let listening = Kind(rawValue: UInt32(ZMQ_EVENT_LISTENING))
        public static let bindFailed = Kind(rawValue: UInt32(ZMQ_EVENT_BIND_FAILED))
        public static let accepted = Kind(rawValue: UInt32(ZMQ_EVENT_ACCEPTED))
        public static let acceptFailed = Kind(rawValue: UInt32(ZMQ_EVENT_ACCEPT_FAILED))
        public static let closed = Kind(rawValue: UInt32(ZMQ_EVENT_CLOSED))
        public static let closeFailed = Kind(rawValue: UInt32(ZMQ_EVENT_CLOSE_FAILED))
        public static let disconnected = Kind(rawValue: UInt32(ZMQ_EVENT_DISCONNECTED))
        public static let monitorStopped = Kind(rawValue: UInt32(ZMQ_EVENT_MONITOR_STOPPED))
        public static let handshakeFailedNoDetail = Kind(rawValue: UInt32(ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL))
        public static let handshakeSucceeded = Kind(rawValue: UInt32(ZMQ_EVENT_HANDSHAKE_SUCCEEDED))
        public static let handshakeFailedProtocol = Kind(rawValue: UInt32(ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL))
        public static let handshakeFailedAuth = Kind(rawValue: UInt32(ZMQ_EVENT_HANDSHAKE_FAILED_AUTH))
        public static let all = Kind(rawValue: UInt32(ZMQ_EVENT_ALL))

        /// Any of the three handshake failures.
        public static let handshakeFailed: Kind = [.handshakeFailedNoDetail, .handshakeFailedProtocol, .handshakeFailedAuth]

        static let names: [(Kind, String)] = [
            (.connected, "connected"), (.connectDelayed, "connect_delayed"), (.connectRetried, "connect_retried"),
            (.listening, "listening"), (.bindFailed, "bind_failed"), (.accepted, "accepted"),
            (.acceptFailed, "accept_failed"), (.closed, "closed"), (.closeFailed, "close_failed"),
            (.disconnected, "disconnected"), (.monitorStopped, "monitor_stopped"),
            (.handshakeFailedNoDetail, "handshake_failed_no_detail"), (.handshakeSucceeded, "handshake_succeeded"),
            (.handshakeFailedProtocol, "handshake_failed_protocol"), (.handshakeFailedAuth, "handshake_failed_auth"),
        ]

        public var description: String {
            let known = Self.names.filter { contains($0.0) }.map(\.1)
            return known.isEmpty ? "event(0x\(String(rawValue, radix: 16)))" : known.joined(separator: "|")
        }
    }

    public let kind: Kind
    public let value: UInt32
    public let endpoint: String

    public init(kind: Kind, value: UInt32, endpoint: String) {
        self.kind = kind
        self.value = value
        self.endpoint = endpoint
    }

    /// Parses the two-frame monitor message `[u16 event | u32 value][endpoint]` (native byte
    /// order, as libzmq writes it); nil if the shape is wrong.
    public init?(frames: [[UInt8]]) {
        guard frames.count == 2, frames[0].count == 6 else { return nil }
        let head = frames[0]
        let event = UInt16(head[0]) | UInt16(head[1]) << 8
        let value = UInt32(head[2]) | UInt32(head[3]) << 8 | UInt32(head[4]) << 16 | UInt32(head[5]) << 24
        self.init(kind: Kind(rawValue: UInt32(event)), value: value, endpoint: String(decoding: frames[1], as: UTF8.self))
    }

    public var description: String { "\(kind) \(endpoint) (\(value))" }
}
