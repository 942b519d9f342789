import ZeroMQ

/// Identifies one socket of a hub, in the order the sockets were configured.
public struct HubSocketID: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public var description: String { "socket#\(index)" }
}

/// CURVE security for one socket.
public enum CurveSecurity: Sendable, Equatable {
    /// A CURVE server: clients must know `secretKey`'s public half and be on the allowlist of
    /// `zapDomain` (checked by the hub's ZAP handler). Without the handler libzmq would accept
    /// any client that knows the public server key.
    case server(secretKey: CurveKey, zapDomain: String)
    /// A CURVE client of a server with public key `serverKey`, identifying as `keys`.
    case client(serverKey: CurveKey, keys: CurveKeyPair)
}

/// A place in every outgoing message for the time it is sent: eight bytes at `byteOffset` of
/// frame `frame`, written little-endian as Unix nanoseconds (CLOCK_REALTIME) by the owner thread
/// just before the message's first `zmq_send`. So a message tells when it went out, not when it
/// was queued; the span between is the hub's queue and wake-up. A message whose frame is missing
/// or too short for the field goes out unchanged.
public struct SendTimestampField: Sendable, Equatable {
    public var frame: Int
    public var byteOffset: Int

    public init(frame: Int, byteOffset: Int) {
        self.frame = frame
        self.byteOffset = byteOffset
    }
}

/// Everything the owner thread needs to create, configure and wire up one socket.
public struct HubSocketSpec: Sendable {
    public var name: String
    public var type: ZMQSocketType
    public var binds: [String]
    public var connects: [String]
    public var settings: SocketSettings
    /// SUB only: the topic prefixes to subscribe to (empty prefix = everything).
    public var subscriptions: [[UInt8]]
    public var curve: CurveSecurity?
    /// Deliver received messages (and XPUB subscription changes) on `ZMQHub.inbound`.
    public var deliversInbound: Bool
    /// Watch connection events (connected, disconnected, handshake failures) for diagnostics.
    public var monitored: Bool
    /// PUB/XPUB only: count each time a subscriber's queue overflows. libzmq drops silently at
    /// the high-water mark; with this set the hub sends with XPUB_NODROP, and when a send would
    /// block it counts one overflow and sends the message again lossy, so every other subscriber
    /// still gets it and one slow reader never throttles the rest. libzmq then leaves the full
    /// subscriber out until its queue drains, so every gap a slow subscriber sees starts with a
    /// counted overflow (the count can be higher: a queue may drain just before the resend).
    public var countsSubscriberOverflows: Bool
    /// XPUB only: bound what each connected peer may subscribe to. The hub then sees every
    /// subscribe and unsubscribe with its connection (XPUB_VERBOSER, `ZMQ_SRCFD`) and
    /// disconnects a peer that goes past a limit, which makes libzmq free all its subscriptions.
    /// Implies `monitored` (closed connections are forgotten on their disconnect event).
    public var subscriptionLimits: SubscriptionLimits?
    /// XPUB with `deliversInbound`: put each (un)subscription, and anything else a subscriber
    /// sends up, on `ZMQHub.inbound` too (subscriptions are counted either way). Off where nothing
    /// reads them, so no subscriber can crowd other inbound messages (control requests) out of
    /// the shared, bounded stream.
    public var deliversSubscriptions = true
    /// Where the hub writes the moment it sends each message (see `SendTimestampField`); nil:
    /// messages go out exactly as queued.
    public var sendTimestamp: SendTimestampField?

    public init(
        name: String, type: ZMQSocketType, binds: [String] = [], connects: [String] = [],
        settings: SocketSettings = SocketSettings(), subscriptions: [[UInt8]] = [],
        curve: CurveSecurity? = nil, deliversInbound: Bool = false, monitored: Bool = true, countsSubscriberOverflows: Bool = false,
        subscriptionLimits: SubscriptionLimits? = nil
    ) {
        self.name = name
        self.type = type
        self.binds = binds
        self.connects = connects
        self.settings = settings
        self.subscriptions = subscriptions
        self.curve = curve
        self.deliversInbound = deliversInbound
        self.monitored = monitored
        self.countsSubscriberOverflows = countsSubscriberOverflows
        self.subscriptionLimits = subscriptionLimits
    }

    /// A market-data publisher (XPUB so subscriptions are visible to diagnostics and bounded
    /// per peer).
    public static func publisher(
        name: String, bind endpoints: [String], curve: CurveSecurity? = nil,
        subscriptionLimits: SubscriptionLimits = .publisherDefault
    ) -> HubSocketSpec {
        HubSocketSpec(
            name: name, type: .xpub, binds: endpoints, settings: .marketData, curve: curve, deliversInbound: true,
            countsSubscriberOverflows: true, subscriptionLimits: subscriptionLimits)
    }

    /// A REQ/DEALER-compatible control endpoint.
    public static func control(name: String, bind endpoints: [String], curve: CurveSecurity? = nil) -> HubSocketSpec {
        HubSocketSpec(name: name, type: .router, binds: endpoints, settings: .control, curve: curve, deliversInbound: true)
    }

    /// A subscriber delivering the messages of the given topic prefixes.
    public static func subscriber(
        name: String, connect endpoints: [String], topics: [[UInt8]], curve: CurveSecurity? = nil
    ) -> HubSocketSpec {
        HubSocketSpec(
            name: name, type: .sub, connects: endpoints, settings: .subscriber, subscriptions: topics,
            curve: curve, deliversInbound: true)
    }
}
