/// Stale-data detection for one connection. A WebSocket can stay "open" long after the far end
/// stopped sending (half-open TCP, a stuck proxy), and a subscribe can be silently lost; neither
/// raises an error, so the session has to notice the absence of frames itself.
///
/// Defaults and why (kraken-protocol.md §1.3, §1.5):
/// - `connectionSilenceNs` 10 s: once a subscription exists Kraken sends a heartbeat about every
///   second when nothing else is sent, so ten missing seconds is a dead socket, not a pause.
/// - `unsubscribedSilenceNs` 45 s: before any subscription is acknowledged there are no
///   heartbeats at all; the session must ping (every 15–30 s) and a pong counts as a frame.
/// - `ackDeadlineNs` 10 s: acks normally return in milliseconds; ten seconds covers a loaded
///   engine without leaving a pair unsubscribed for long.
/// - `dataQuietNs` 10 min: long enough that quiet pairs are not re-verified constantly (each check
///   costs a paced request), short enough that a silently dropped feed is caught.
/// - `pongDeadlineNs` 5 s: a connection that still sends heartbeats but no longer answers pings
///   is stuck behind the socket; pongs normally return in milliseconds.
public struct LivenessMonitor: Sendable {
    public var connectionSilenceNs: Int64
    public var unsubscribedSilenceNs: Int64
    public var ackDeadlineNs: Int64
    public var dataQuietNs: Int64
    public var pongDeadlineNs: Int64
    /// When the oldest unanswered ping of each kind was sent.
    private var unansweredPings: [PingKind: Int64] = [:]

    private enum Phase: Sendable {
        case awaitingAck(sinceNs: Int64)
        /// Acknowledged; `lastDataNs` is the ack time until the first data frame.
        case acknowledged(lastDataNs: Int64)
    }

    private var lastFrameNs: Int64
    private var subscriptions: [SubscriptionKey: Phase] = [:]

    /// Starts watching a connection that opened at `nowNs`.
    public init(
        nowNs: Int64, connectionSilenceNs: Int64 = 10_000_000_000, unsubscribedSilenceNs: Int64 = 45_000_000_000,
        ackDeadlineNs: Int64 = 10_000_000_000, dataQuietNs: Int64 = 600_000_000_000, pongDeadlineNs: Int64 = 5_000_000_000
    ) {
        lastFrameNs = nowNs
        self.connectionSilenceNs = connectionSilenceNs
        self.unsubscribedSilenceNs = unsubscribedSilenceNs
        self.ackDeadlineNs = ackDeadlineNs
        self.dataQuietNs = dataQuietNs
        self.pongDeadlineNs = pongDeadlineNs
    }

    /// A ping of `kind` went out; the deadline runs from the oldest one still unanswered.
    public mutating func pingSent(_ kind: PingKind, nowNs: Int64) {
        if unansweredPings[kind] == nil { unansweredPings[kind] = nowNs }
    }

    /// Its pong came (any pong answers every ping of its kind sent before it).
    public mutating func pongReceived(_ kind: PingKind, nowNs: Int64) {
        frameReceived(nowNs: nowNs)
        unansweredPings[kind] = nil
    }

    /// How long the oldest unanswered ping has waited at `nowNs` (nil: none is waiting).
    public func pingWaitNs(_ kind: PingKind, nowNs: Int64) -> Int64? {
        unansweredPings[kind].map { nowNs - $0 }
    }

    /// Any inbound frame: heartbeat, status, pong, ack, error or data.
    public mutating func frameReceived(nowNs: Int64) {
        lastFrameNs = max(lastFrameNs, nowNs)
    }

    /// A subscribe request for `key` was sent (again, if it was already known).
    public mutating func subscriptionRequested(_ key: SubscriptionKey, nowNs: Int64) {
        subscriptions[key] = .awaitingAck(sinceNs: nowNs)
    }

    /// Kraken acknowledged `key` successfully; the quiet timer starts now.
    public mutating func subscriptionAcknowledged(_ key: SubscriptionKey, nowNs: Int64) {
        frameReceived(nowNs: nowNs)
        subscriptions[key] = .acknowledged(lastDataNs: nowNs)
    }

    /// A data frame (snapshot or update) for `key` arrived.
    public mutating func dataReceived(_ key: SubscriptionKey, nowNs: Int64) {
        frameReceived(nowNs: nowNs)
        // One hash per data message, not two: found once, written through its index.
        guard let index = subscriptions.index(forKey: key), case .acknowledged = subscriptions.values[index] else { return }
        subscriptions.values[index] = .acknowledged(lastDataNs: nowNs)
    }

    /// Unsubscribed, rejected or given up: stop watching `key`.
    public mutating func subscriptionRemoved(_ key: SubscriptionKey) {
        subscriptions[key] = nil
    }

    /// Everything that needs attention at `nowNs`. A stale connection is reported alone: while
    /// the socket is silent, nothing can be concluded about single subscriptions; so is an
    /// unanswered ping. Otherwise subscription decisions come sorted by key. Repeats on every call until the caller acts.
    public func evaluate(nowNs: Int64) -> [LivenessDecision] {
        let anyAcknowledged = subscriptions.values.contains { if case .acknowledged = $0 { true } else { false } }
        let silentForNs = nowNs - lastFrameNs
        if silentForNs > (anyAcknowledged ? connectionSilenceNs : unsubscribedSilenceNs) {
            return [.connectionStale(silentForNs: silentForNs)]
        }
        for kind in PingKind.allCases {
            if let waitingForNs = pingWaitNs(kind, nowNs: nowNs), waitingForNs > pongDeadlineNs {
                return [.pingUnanswered(kind, waitingForNs: waitingForNs)]
            }
        }
        return subscriptions.sorted { $0.key < $1.key }.compactMap { key, phase in
            switch phase {
            case .awaitingAck(let sinceNs):
                nowNs - sinceNs > ackDeadlineNs ? .ackOverdue(key, waitingForNs: nowNs - sinceNs) : nil
            case .acknowledged(let lastDataNs):
                nowNs - lastDataNs > dataQuietNs ? .dataSuspect(key, quietForNs: nowNs - lastDataNs) : nil
            }
        }
    }
}
