import AccountJournal
import BusPublishing
import ControlPlane
import KrakenFeed
import SessionLifecycle
import WireFormat

/// Answers the control socket's commands with what the supervisor owns: runtime pairs and
/// channels, subscriptions, diagnostics, health, Clone-pattern snapshots, journal replay and
/// the effective configuration.
struct BridgeControlHandler: ControlHandler {
    let supervisor: BridgeSupervisor

    func handle(_ command: ControlCommand) async -> ControlResponse {
        do {
            switch command {
            case .subscribe(let selection):
                return Self.answer(try await supervisor.market.subscribe(ChannelChange(selection)), verb: "subscribed")
            case .unsubscribe(let selection):
                return Self.answer(try await supervisor.market.unsubscribe(ChannelChange(selection)), verb: "unsubscribed")
            case .addPair(let symbol):
                let change = try await supervisor.addPairs([symbol])
                if change.changed.isEmpty && change.refused.isEmpty { return .ack("\(symbol) is already kept") }
                return Self.answer(change, verb: "added")
            case .removePair(let symbol):
                return Self.answer(try await supervisor.removePairs([symbol]), verb: "removed")
            case .listSubscriptions:
                return .result(.subscriptions(try await subscriptions()))
            case .diagnostics:
                return .result(.diagnostics(try await supervisor.diagnosticsReport()))
            case .health:
                return .result(.health(try await supervisor.health()))
            case .snapshot(let prefix):
                return try await snapshot(prefix: prefix)
            case .replay(let topic, let afterSequence, let maxEvents):
                return replay(topic: topic, after: afterSequence, max: maxEvents)
            case .config:
                var config = KBEffectiveConfig()
                config.json = EffectiveConfiguration.json(of: supervisor.configuration)
                return .result(.config(config))
            }
        } catch {
            return .failure(.unavailable("the feed did not answer: \(error)"))
        }
    }

    /// An ack naming what changed, or NOT_FOUND when nothing could be done.
    static func answer(_ change: PairChange, verb: String) -> ControlResponse {
        let refusals = change.refused.keys.sorted().map { "\($0): \(change.refused[$0]!)" }
        guard !change.changed.isEmpty || refusals.isEmpty else {
            return .failure(.notFound(refusals.joined(separator: "; "), field: "symbols"))
        }
        var message = change.changed.isEmpty ? "nothing to change" : "\(verb) \(change.changed.joined(separator: ", "))"
        if !refusals.isEmpty { message += "; refused \(refusals.joined(separator: "; "))" }
        return .ack(message)
    }

    private func subscriptions() async throws -> KBSubscriptionList {
        var list = KBSubscriptionList()
        let feed = supervisor.configuration.market.name
        for pair in try await supervisor.market.subscriptions() {
            for request in pair.channels.entries {
                var subscription = KBSubscription()
                subscription.channel = request.channel
                subscription.symbol = pair.symbol
                subscription.depth = UInt32(request.depth ?? 0)
                subscription.intervalMinutes = UInt32(request.interval ?? 0)
                subscription.state = pair.states[request.channel]?.rawValue ?? "inactive"
                subscription.feed = feed
                list.subscriptions.append(subscription)
            }
        }
        if let account = supervisor.account {
            let diagnostics = try await account.diagnostics()
            for channel in ["executions", "balances"] {
                var subscription = KBSubscription()
                subscription.channel = channel
                subscription.state = diagnostics.state == .active ? "active" : diagnostics.state.rawValue
                subscription.feed = diagnostics.name
                list.subscriptions.append(subscription)
            }
        }
        return list
    }

    private func snapshot(prefix: String) async throws -> ControlResponse {
        let states = try await supervisor.snapshot(prefix: Array(prefix.utf8))
        return .snapshot(
            prefix: prefix, stateFrames: states.flatMap(\.frames), publisherEpoch: supervisor.publisher.epoch, now: UnixTime.nanoseconds())
    }

    private func replay(topic: JournaledTopic, after: UInt64, max: Int) -> ControlResponse {
        guard let journal = supervisor.journal else { return .failure(.unavailable("this bridge runs without a journal")) }
        do {
            var frames: [[UInt8]] = []
            for entry in try journal.entries(topic: topic.bytes, after: after, limit: max) {
                var header = try FrameHeader(parsing: entry.header)
                header.flags.insert(.replay)
                frames += [entry.topic, header.bytes, entry.payload]
            }
            // With nothing retained, the next sequence to come: a client holding less can see it lost events.
            let first = try journal.firstSequence(topic: topic.bytes) ?? ((try journal.lastSequences()[topic.bytes] ?? 0) + 1)
            return .replay(topic: topic, firstAvailableSequence: first, eventFrames: frames)
        } catch {
            return .failure(.internal("journal: \(error)"))
        }
    }
}

extension ChannelChange {
    /// The feed's form of a validated control selection.
    init(_ selection: ChannelSelection) {
        self.init(
            channels: selection.channels.compactMap { Channel(rawValue: $0.rawValue) }, symbols: selection.symbols,
            depth: selection.depth.map(Int.init), intervalMinutes: selection.intervalMinutes.map(Int.init))
    }
}
