import BusPublishing
import KrakenFeed
import SessionLifecycle
import WireFormat
import ZeroMQHub

/// Everything one diagnostics reply is built from, read at one moment.
struct DiagnosticsInputs {
    var feeds: [FeedDiagnostics]
    var bus: BusPublisher.Counters
    var latency: LatencyHistogram
    var hub: HubCounters
    var journal: (events: UInt64, bytes: UInt64)?
    var rates: [(channel: String, perSecond: Double, total: UInt64)]
    var control: [String: UInt64]
}

extension KBDiagnostics {
    /// The control socket's diagnostics reply: connections, per-channel rates, latency, the
    /// headline failure counts, and every other counter by name.
    init(_ inputs: DiagnosticsInputs) {
        self.init()
        connections = inputs.feeds.map { feed in
            var connection = KBConnectionDiagnostics()
            connection.feed = feed.name
            connection.endpoint = feed.endpoint
            connection.state = KBConnectionState(rawValue: feed.state.wireValue) ?? .unspecified
            connection.reconnections = feed.counters.reconnections
            connection.circuitBreaker = feed.circuitBreakers.map { "\($0.endpoint) \($0.state)" }.joined(separator: "; ")
            connection.lastMessageNs = feed.lastFrameNs
            return connection
        }
        rates = inputs.rates.map { rate in
            var channel = KBChannelRate()
            channel.channel = rate.channel
            channel.messagesPerSecond = rate.perSecond
            channel.messagesTotal = rate.total
            return channel
        }
        var summary = KBLatencySummary()
        summary.p50Ns = inputs.latency.percentile(0.50)
        summary.p95Ns = inputs.latency.percentile(0.95)
        summary.p99Ns = inputs.latency.percentile(0.99)
        summary.maxNs = inputs.latency.maxNs
        summary.samples = inputs.latency.samples
        latency = summary
        gaps = inputs.feeds.reduce(0) { $0 + $1.counters.privateGaps }
        duplicates = inputs.feeds.reduce(0) { total, feed in
            total + feed.counters.privateNotes.filter { $0.key.hasPrefix("duplicate") }.values.reduce(0, +)
        }
        checksumFailures = inputs.feeds.reduce(0) { $0 + $1.counters.checksumFailures }
        drops = inputs.bus.dropped + inputs.hub.totalSubscriberOverflows
        journalEvents = inputs.journal?.events ?? 0
        journalBytes = inputs.journal?.bytes ?? 0

        var named: [String: UInt64] = [:]
        for feed in inputs.feeds {
            for (name, value) in feed.counters.byName { named["feed.\(feed.name).\(name)"] = value }
        }
        named["bus.published"] = inputs.bus.published
        named["bus.outbox_refused"] = inputs.bus.dropped
        named["bus.encoding_failures"] = inputs.bus.encodingFailures
        named["bus.topic_heartbeats"] = inputs.bus.topicHeartbeats
        named["bus.journaled"] = inputs.bus.journaled
        named["bus.journal_failures"] = inputs.bus.journalFailures
        named["zmq.sent"] = inputs.hub.sent
        named["zmq.subscriber_overflows"] = inputs.hub.totalSubscriberOverflows
        // Peers accepted and disconnected on every socket (a subscriber silent past the ZMTP
        // heartbeat timeout is disconnected by libzmq: counted here).
        named["zmq.accepted"] = inputs.hub.connections.reduce(0) { $0 + $1.accepted }
        named["zmq.disconnected"] = inputs.hub.connections.reduce(0) { $0 + $1.disconnected }
        named["zmq.send_would_block"] = inputs.hub.sendWouldBlock
        named["zmq.send_failed"] = inputs.hub.sendFailed
        named["zmq.replies_sent"] = inputs.hub.repliesSent
        named["zmq.received"] = inputs.hub.received
        named["zmq.inbound_dropped"] = inputs.hub.inboundDropped
        named["zmq.zap_accepted"] = inputs.hub.zapAccepted
        named["zmq.zap_rejected"] = inputs.hub.zapRejected
        // Subscriptions past a peer's limits on the publishers, and the peers disconnected for them.
        named["zmq.subscriptions_refused"] = inputs.hub.totalSubscriptionsRefused
        named["zmq.peers_refused"] = inputs.hub.totalPeersRefused
        for (reason, value) in inputs.hub.dropped { named["zmq.outbox_dropped.\(reason)"] = value }
        for (name, value) in inputs.control { named[name] = value }
        counters = named
    }
}

extension KBHealth {
    /// Healthy when every feed is active with every pair it was given, and every private event
    /// was journaled.
    init(feeds: [FeedDiagnostics], bus: BusPublisher.Counters, journalError: String?) {
        self.init()
        var problems: [String] = []
        for feed in feeds {
            if feed.state != .active {
                problems.append("\(feed.name) feed is \(feed.state.rawValue) (attempt \(feed.attempt)) on \(feed.endpoint)")
            } else if let suspicion = feed.suspicion {
                problems.append("\(feed.name) feed is suspect on \(feed.endpoint): \(suspicion)")
            }
            for (symbol, reason) in feed.unavailablePairs.sorted(by: { $0.key < $1.key }) {
                problems.append("\(feed.name) feed has no \(symbol): \(reason)")
            }
        }
        if bus.journalFailures > 0 {
            problems.append("\(bus.journalFailures) private events could not be journaled: \(journalError ?? "unknown error")")
        }
        self.problems = problems
        healthy = problems.isEmpty
    }
}
