import BridgeMetrics
import BusPublishing
import ControlPlane
import KrakenFeed
import SessionLifecycle
import ZeroMQHub

extension ScrapedMetrics {
    /// Copies one diagnostics reading into the registry under Prometheus names (the full list,
    /// with what each means, is in docs/operations.md). `sockets` names the hub's sockets in
    /// configuration order.
    mutating func record(_ inputs: DiagnosticsInputs, healthy: Bool, sockets: [String]) {
        begin()
        defer { finish() }
        gauge("krakenbridge_healthy", help: "1 when every feed is active with every pair and every private event was journaled.",
              value: healthy ? 1 : 0)
        for feed in inputs.feeds { record(feed) }
        recordBus(inputs)
        recordHub(inputs.hub, sockets: sockets)
        recordControl(inputs.control)
    }

    private mutating func record(_ feed: FeedDiagnostics) {
        let labels = [("feed", feed.name)]
        let counters = feed.counters
        gauge("krakenbridge_connection_state", help: "The Kraken connection's lifecycle state (6 = active; see docs/operations.md).",
              labels: labels, value: Double(feed.state.wireValue))
        gauge("krakenbridge_connection_active", help: "1 while the Kraken connection is active.", labels: labels,
              value: feed.state == .active ? 1 : 0)
        gauge("krakenbridge_connection_suspect", help: "1 while the open connection is suspected of being stuck (before it is replaced).",
              labels: labels, value: feed.suspicion == nil ? 0 : 1)
        gauge("krakenbridge_pairs_unavailable", help: "Pairs the feed was given but does not have (unknown to Kraken or refused).",
              labels: labels, value: Double(feed.unavailablePairs.count))
        for breaker in feed.circuitBreakers {
            gauge("krakenbridge_circuit_breaker_state", help: "Each endpoint's circuit breaker: 0 closed, 1 half-open, 2 open.",
                  labels: labels + [("endpoint", breaker.endpoint)], value: Self.breakerValue(breaker.state))
        }
        counter("krakenbridge_frames_received_total", help: "WebSocket frames received from Kraken.", labels: labels, total: counters.frames)
        let channels: [(String, UInt64)] = [
            ("book", counters.bookSnapshots + counters.bookUpdates), ("trade", counters.trades), ("ticker", counters.tickers),
            ("ohlc", counters.candles), ("status", counters.statusEvents), ("heartbeat", counters.heartbeats),
            ("executions", counters.executionReports), ("balances", counters.balanceEvents),
        ]
        for (channel, total) in channels {
            counter("krakenbridge_messages_received_total", help: "Kraken messages per channel.",
                    labels: labels + [("channel", channel)], total: total)
        }
        counter("krakenbridge_fills_total", help: "Fills published from the private feed.", labels: labels, total: counters.fills)
        counter("krakenbridge_connects_total", help: "Kraken connections opened.", labels: labels, total: counters.connects)
        counter("krakenbridge_reconnections_total", help: "Kraken connections replaced.", labels: labels, total: counters.reconnections)
        counter("krakenbridge_connection_failures_total", help: "Attempts to connect to Kraken that failed.", labels: labels,
                total: counters.connectFailures + counters.handshakeTimeouts)
        counter("krakenbridge_pong_timeouts_total", help: "Connections replaced because a ping went unanswered.", labels: labels,
                total: counters.pongTimeouts)
        counter("krakenbridge_authentication_failures_total", help: "WebSocket token requests that failed or tokens Kraken refused.",
                labels: labels, total: counters.tokenFailures + counters.tokenRejections)
        counter("krakenbridge_private_gaps_total", help: "Sequence gaps and reorders on Kraken's private channels.", labels: labels,
                total: counters.privateGaps)
        counter("krakenbridge_private_duplicates_total", help: "Duplicate private events dropped.", labels: labels,
                total: counters.privateNotes.filter { $0.key.hasPrefix("duplicate") }.values.reduce(0, +))
        counter("krakenbridge_reconciliations_total", help: "REST reconciliations of the private feed.", labels: labels,
                total: counters.reconciliations)
        for (kind, total) in Self.errors(counters) {
            counter("krakenbridge_errors_total", help: "Kraken messages and requests that failed, by kind.",
                    labels: labels + [("kind", kind)], total: total)
        }
        // Every pair with a book from the start (at 0), as well as those that failed before.
        let symbols = Set(feed.books.keys).union(counters.checksumFailuresBySymbol.keys).union(counters.bookResetsBySymbol.keys)
        for symbol in symbols {
            counter("krakenbridge_checksum_failures_total", help: "Book updates that failed Kraken's checksum, per pair.",
                    labels: [("symbol", symbol)], total: counters.checksumFailuresBySymbol[symbol] ?? 0)
            counter("krakenbridge_book_resets_total", help: "Books reset (invalid until the next snapshot), per pair.",
                    labels: [("symbol", symbol)], total: counters.bookResetsBySymbol[symbol] ?? 0)
        }
        for (name, total) in counters.byName {
            counter("krakenbridge_feed_counter_total", help: "Every feed counter under its diagnostics name.",
                    labels: labels + [("name", name)], total: total)
        }
    }

    /// Failures that count towards the error rate (each also has its own diagnostics counter).
    static func errors(_ counters: FeedCounters) -> [(String, UInt64)] {
        var errors: [(String, UInt64)] = [
            ("protocol", counters.protocolErrors), ("oversized_frame", counters.oversizedFrames),
            ("subscribe", counters.subscribeErrors), ("unexpected_message", counters.unexpectedMessages),
            ("publish", counters.publishFailures), ("illegal_transition", counters.illegalTransitions),
            ("rest", counters.restFailures), ("checksum", counters.checksumFailures),
        ]
        for (kind, total) in counters.malformedFrames { errors.append(("malformed_\(kind)", total)) }
        return errors
    }

    static func breakerValue(_ state: String) -> Double {
        switch state {
        case "open": 2
        case "half_open": 1
        default: 0
        }
    }

    private mutating func recordBus(_ inputs: DiagnosticsInputs) {
        let bus = inputs.bus
        counter("krakenbridge_messages_published_total", help: "Bus frames handed to the ZeroMQ thread.", total: bus.published)
        counter("krakenbridge_encoding_failures_total", help: "Bus payloads that could not be encoded.", total: bus.encodingFailures)
        counter("krakenbridge_topic_heartbeats_total", help: "Topic heartbeats published on quiet topics.", total: bus.topicHeartbeats)
        counter("krakenbridge_journal_appends_total", help: "Private events written to the journal.", total: bus.journaled)
        counter("krakenbridge_journal_write_failures_total", help: "Private events that could not be journaled (still published).",
                total: bus.journalFailures)
        gauge("krakenbridge_journal_bytes", help: "Size of the private-event journal on disk.", value: Double(inputs.journal?.bytes ?? 0))
        gauge("krakenbridge_journal_events", help: "Private events the journal holds.", value: Double(inputs.journal?.events ?? 0))
    }

    private mutating func recordHub(_ hub: HubCounters, sockets: [String]) {
        counter("krakenbridge_zmq_sent_total", help: "Messages the ZeroMQ thread handed to libzmq.", total: hub.sent)
        for reason in HubDropReason.allCases {
            counter("krakenbridge_outbox_dropped_total", help: "Bus messages the outbox refused, by reason.",
                    labels: [("reason", reason.rawValue)], total: hub.dropped[reason] ?? 0)
        }
        counter("krakenbridge_zmq_send_failures_total", help: "Sends libzmq refused (would block or failed).",
                total: hub.sendWouldBlock + hub.sendFailed)
        counter("krakenbridge_zmq_inbound_dropped_total", help: "Received messages dropped because the inbound buffer was full.",
                total: hub.inboundDropped)
        counter("krakenbridge_zmq_authentication_rejected_total", help: "ZeroMQ peers the CURVE allowlist refused.", total: hub.zapRejected)
        for (index, socket) in hub.connections.enumerated() {
            let labels = [("socket", index < sockets.count ? sockets[index] : "\(index)")]
            gauge("krakenbridge_zmq_peers", help: "Peers connected to each ZeroMQ socket.", labels: labels,
                  value: Double(max(0, socket.liveConnections)))
            counter("krakenbridge_subscriber_overflows_total", help: "Times a subscriber's queue reached the high-water mark.",
                    labels: labels, total: socket.subscriberOverflows)
            counter("krakenbridge_zmq_disconnects_total", help: "Peers disconnected (including silent past the heartbeat timeout).",
                    labels: labels, total: socket.disconnected)
            counter("krakenbridge_zmq_subscriptions_refused_total", help: "Subscriptions past a peer's limits.", labels: labels,
                    total: socket.subscriptionsRefused)
            counter("krakenbridge_zmq_peers_refused_total", help: "Peers disconnected for their subscriptions.", labels: labels,
                    total: socket.peersRefused)
        }
    }

    private mutating func recordControl(_ control: [String: UInt64]) {
        gauge("krakenbridge_control_requests_in_flight", help: "Control requests being answered.",
              value: Double(control["control.in_flight"] ?? 0))
        // Every command and code from the start, so a rate over them never begins with a gap.
        for command in ControlCommand.Kind.allCases.map(\.rawValue) {
            counter("krakenbridge_control_requests_total", help: "Control requests that decoded, by command.",
                    labels: [("command", command)], total: control["control.command.\(command)"] ?? 0)
        }
        for code in ControlCounters.errorCodeNames {
            counter("krakenbridge_control_errors_total", help: "Control requests answered with an error, by code.",
                    labels: [("code", code)], total: control["control.error.\(code)"] ?? 0)
        }
    }
}
