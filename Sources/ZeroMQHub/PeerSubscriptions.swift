/// How much subscription state one peer of a publisher may make libzmq hold: each distinct
/// prefix costs about one trie node per byte, so both the length and the number are bounded.
public struct SubscriptionLimits: Sendable, Equatable {
    /// Distinct topic prefixes one connection may hold at once.
    public var maximumPerPeer: Int
    /// The longest topic prefix a connection may subscribe to (bus topics are tens of bytes).
    public var maximumTopicBytes: Int

    public init(maximumPerPeer: Int, maximumTopicBytes: Int) {
        self.maximumPerPeer = maximumPerPeer
        self.maximumTopicBytes = maximumTopicBytes
    }

    /// A subscriber of every topic of a hundred pairs holds about a thousand prefixes, none
    /// longer than ~30 bytes; a peer at both limits makes libzmq hold at most ~65 k trie nodes
    /// (about 2 MB).
    public static let publisherDefault = SubscriptionLimits(maximumPerPeer: 1_024, maximumTopicBytes: 64)
}

/// Why a peer's subscription was refused (the peer is then disconnected).
public enum SubscriptionRefusal: Sendable, Equatable {
    case topicTooLong(bytes: Int)
    case tooManySubscriptions
}

/// The topic prefixes each connection of one publisher holds, keyed by the connection's file
/// descriptor (libzmq's `ZMQ_SRCFD`) and told apart by `Connection`, an identity of the
/// connection itself (in the hub, its libzmq metadata object). It mirrors libzmq's per-peer
/// trie exactly: subscribing a prefix twice holds it once; one unsubscribe removes it.
///
/// Descriptors are reused, and subscriptions of a closed connection can still be queued when
/// the next connection is accepted on the same descriptor. libzmq reads every message of a
/// connection into the publisher before the next connection on that descriptor can attach, so
/// a different identity on a descriptor always means a newer connection, and leftovers of the
/// older one (same identity, known closed) are held against no one. The owner reads the socket
/// monitor before a new identity is recorded and before a peer is cut off, so `closed(_:)`
/// always refers to the connection recorded last. Missing events (a full monitor queue) err
/// towards enforcing.
struct PeerSubscriptions<Connection: Equatable> {
    let limits: SubscriptionLimits
    private var connections: [Int32: ConnectionState] = [:]

    private struct ConnectionState {
        /// Held for as long as the state: in the hub it keeps libzmq's metadata object alive,
        /// so its address cannot be given to a later connection while it is compared against.
        let identity: Connection
        var topics: Set<[UInt8]> = []
        /// Refused once: the rest of its queue is refused without another disconnect.
        var refused = false
        var closed = false
    }

    init(limits: SubscriptionLimits) {
        self.limits = limits
    }

    enum Verdict: Equatable {
        case admitted
        /// Refused now: count it and disconnect the peer.
        case refused(SubscriptionRefusal)
        /// From a connection refused earlier (gone or not).
        case fromRefusedPeer
        /// From a connection that has closed since (libzmq dropped it with the connection).
        case fromClosedConnection
    }

    /// Records a subscribe (or unsubscribe) from `connection` on `descriptor` and judges it.
    mutating func record(subscribe: Bool, topic: [UInt8], from descriptor: Int32, connection: Connection) -> Verdict {
        if connections[descriptor]?.identity != connection {
            connections[descriptor] = ConnectionState(identity: connection)
        }
        let state = connections[descriptor]!
        if state.refused { return .fromRefusedPeer }
        if state.closed { return .fromClosedConnection }
        guard subscribe else {
            connections[descriptor]!.topics.remove(topic)
            return .admitted
        }
        if topic.count > limits.maximumTopicBytes { return refuse(descriptor, .topicTooLong(bytes: topic.count)) }
        if state.topics.contains(topic) { return .admitted }
        if state.topics.count >= limits.maximumPerPeer { return refuse(descriptor, .tooManySubscriptions) }
        connections[descriptor]!.topics.insert(topic)
        return .admitted
    }

    /// A connection was accepted (or made) on `descriptor`: the one recorded there before, if
    /// any, has closed (its disconnect may have been lost).
    mutating func opened(_ descriptor: Int32) {
        closed(descriptor)
    }

    /// `descriptor`'s connection closed; libzmq freed what it held.
    mutating func closed(_ descriptor: Int32) {
        connections[descriptor]?.topics = []
        connections[descriptor]?.closed = true
    }

    /// Whether `connection` is the one recorded on `descriptor` (else the monitor is read
    /// before its first subscription is judged).
    func knows(_ connection: Connection, on descriptor: Int32) -> Bool {
        connections[descriptor]?.identity == connection
    }

    /// Whether `connection` is the live connection on `descriptor`, the one a cut-off reaches.
    func isOpen(_ connection: Connection, on descriptor: Int32) -> Bool {
        guard let state = connections[descriptor] else { return false }
        return state.identity == connection && !state.closed
    }

    /// Prefixes the connection recorded on `descriptor` holds.
    func count(for descriptor: Int32) -> Int { connections[descriptor]?.topics.count ?? 0 }

    /// Connections holding prefixes here (closed ones must not pile up).
    var connectionsHoldingTopics: Int { connections.values.filter { !$0.topics.isEmpty }.count }

    private mutating func refuse(_ descriptor: Int32, _ reason: SubscriptionRefusal) -> Verdict {
        connections[descriptor]!.topics = []
        connections[descriptor]!.refused = true
        return .refused(reason)
    }
}
