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
/// descriptor (libzmq's `ZMQ_SRCFD`). It mirrors libzmq's per-peer trie exactly: subscribing a
/// prefix twice holds it once; one unsubscribe removes it.
///
/// Descriptors are reused, so the owner tells it when one opens and closes (the socket
/// monitor's events, read just before each subscription is judged: libzmq emits them before a
/// new connection can send anything). A subscription still queued from a connection that has
/// closed is not held against anyone. When events are missing (a full monitor queue) it errs
/// towards enforcing.
struct PeerSubscriptions {
    let limits: SubscriptionLimits
    private var topics: [Int32: Set<[UInt8]>] = [:]
    /// Connections already refused: the rest of their queued subscriptions are refused without
    /// another disconnect until the descriptor is seen to close.
    private var refused: Set<Int32> = []
    /// Descriptors whose last event was a disconnect, and whether that connection was refused.
    private var closed: [Int32: Bool] = [:]

    init(limits: SubscriptionLimits) {
        self.limits = limits
    }

    enum Verdict: Equatable {
        case admitted
        /// Refused now: count it and disconnect the peer.
        case refused(SubscriptionRefusal)
        /// From a connection refused earlier (gone or not).
        case fromRefusedPeer
        /// From a connection that has closed since (libzmq drops it with the connection).
        case fromClosedConnection
    }

    /// Records a subscribe (or unsubscribe) from `descriptor`'s connection and judges it.
    mutating func record(subscribe: Bool, topic: [UInt8], from descriptor: Int32) -> Verdict {
        if let wasRefused = closed[descriptor] { return wasRefused ? .fromRefusedPeer : .fromClosedConnection }
        if refused.contains(descriptor) { return .fromRefusedPeer }
        guard subscribe else {
            topics[descriptor]?.remove(topic)
            return .admitted
        }
        if topic.count > limits.maximumTopicBytes { return refuse(descriptor, .topicTooLong(bytes: topic.count)) }
        let held = topics[descriptor, default: []]
        if held.contains(topic) { return .admitted }
        if held.count >= limits.maximumPerPeer { return refuse(descriptor, .tooManySubscriptions) }
        topics[descriptor, default: []].insert(topic)
        return .admitted
    }

    /// A connection was accepted (or made) on `descriptor`: it starts with nothing.
    mutating func opened(_ descriptor: Int32) {
        topics[descriptor] = nil
        refused.remove(descriptor)
        closed[descriptor] = nil
    }

    /// `descriptor`'s connection closed; libzmq freed what it held.
    mutating func closed(_ descriptor: Int32) {
        topics[descriptor] = nil
        closed[descriptor] = refused.remove(descriptor) != nil
    }

    /// Whether anything is known of `descriptor` (a connection that has sent before, or closed).
    func knows(_ descriptor: Int32) -> Bool {
        topics[descriptor] != nil || refused.contains(descriptor) || closed[descriptor] != nil
    }

    /// Whether `descriptor`'s connection was seen to close.
    func hasClosed(_ descriptor: Int32) -> Bool { closed[descriptor] != nil }

    /// Prefixes `descriptor`'s connection holds.
    func count(for descriptor: Int32) -> Int { topics[descriptor]?.count ?? 0 }

    /// Connections holding prefixes here (closed ones must not pile up).
    var connectionsHoldingTopics: Int { topics.values.filter { !$0.isEmpty }.count }

    private mutating func refuse(_ descriptor: Int32, _ reason: SubscriptionRefusal) -> Verdict {
        topics[descriptor] = nil
        refused.insert(descriptor)
        return .refused(reason)
    }
}
