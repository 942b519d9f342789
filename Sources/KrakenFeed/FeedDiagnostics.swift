import MarketFlow
import SessionLifecycle
import WireFormat

extension ConnectionState {
    /// The wire contract's numeric value of this state.
    public var wireValue: Int { wireState.rawValue }

    /// The state as the wire contract's `ConnectionStatus` carries it.
    var wireState: KBConnectionState {
        switch self {
        case .disconnected: .disconnected
        case .connecting: .connecting
        case .connected: .connected
        case .authenticated: .authenticated
        case .subscribing: .subscribing
        case .active: .active
        case .reconnecting: .reconnecting
        case .failed: .failed
        case .shuttingDown: .shuttingDown
        }
    }
}

/// A point-in-time view of one feed for diagnostics.
public struct FeedDiagnostics: Sendable, Equatable {
    /// One book's phase, generation and checksum.
    public struct Book: Sendable, Equatable {
        public var phase: BookKeeper.Phase
        public var generation: UInt64
        public var checksum: UInt32
    }

    /// One endpoint's circuit breaker: `closed`, `open` or `half_open`.
    public struct Breaker: Sendable, Equatable {
        public var endpoint: String
        public var state: String
    }

    public var name: String
    public var endpoint: String
    public var state: ConnectionState
    /// Consecutive failed attempts (0 once active).
    public var attempt: Int
    public var lastFrameNs: Int64
    public var counters: FeedCounters
    public var circuitBreakers: [Breaker]
    public var books: [String: Book]
    /// Why the open connection is suspected of being stuck (a ping unanswered for half the
    /// deadline, a subscription quiet while heartbeats come); nil when it is not. Health
    /// reports it before the connection is replaced.
    public var suspicion: String?
    /// Pairs the feed wants but does not have, with the reason (a name Kraken does not list, a
    /// subscription Kraken refused). Health reports each.
    public var unavailablePairs: [String: String] = [:]
}
