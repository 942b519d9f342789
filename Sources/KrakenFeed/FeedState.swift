import MarketFlow
import WireFormat

/// A feed connection's lifecycle state, as diagnostics and the `conn:` topic report it.
public enum FeedState: String, Sendable, Equatable {
    case disconnected, connecting, connected, authenticated, subscribing, active, reconnecting, failed
    case shuttingDown = "shutting_down"

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

    public var name: String
    public var endpoint: String
    public var state: FeedState
    /// Consecutive failed attempts (0 once active).
    public var attempt: Int
    public var lastFrameNs: Int64
    public var counters: FeedCounters
    public var books: [String: Book]
}
