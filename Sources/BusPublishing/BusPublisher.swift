import FeedOutput
import SwiftProtobuf
import Synchronization
import WireFormat
import ZeroMQHub

/// Puts payloads on the bus as frames of the wire contract: one per-topic sequence counter and
/// the publisher epoch for the whole process, header timestamps, and the hand-off to the ZeroMQ
/// thread (the hub's outbox). Sessions on different event loops publish through one instance;
/// the short lock keeps "sequence assigned" and "queued" in the same order, so a subscriber sees
/// every topic's sequence numbers strictly increasing. What the hub refuses is counted.
///
/// Beside the hand-off it keeps what late joiners and operators need: the last value of every
/// state-like topic (for snapshots), when each topic last carried data (for topic heartbeats),
/// the receive-to-publish latency histogram, and, for private topics, the journal append that
/// precedes publishing.
public final class BusPublisher: BusSink {
    /// Which of the hub's PUB sockets a topic goes to.
    public typealias Endpoint = BusEndpoint

    /// Counts of what went out and what was refused.
    public struct Counters: Sendable, Equatable {
        public var published: UInt64 = 0
        public var dropped: UInt64 = 0
        public var encodingFailures: UInt64 = 0
        public var topicHeartbeats: UInt64 = 0
        public var journaled: UInt64 = 0
        /// Private events that could not be journaled (they were still published).
        public var journalFailures: UInt64 = 0
    }

    private struct Activity {
        var endpoint: Endpoint
        var lastDataNs: Int64
        var lastHeartbeatNs: Int64 = 0
    }

    /// Everything kept per topic, in one place: one lookup per message instead of one per map.
    private struct Slot {
        let topic: Topic
        /// The last sequence used (0: none yet); kept when the topic is retired.
        var sequence: UInt64 = 0
        /// When it last carried data (nil: never, or retired).
        var activity: Activity?
        var lastValue: BusFrame?

        init(topic: Topic) { self.topic = topic }
    }

    private struct State {
        private var slotIndex: [Topic: Int] = [:]
        var slots: [Slot] = []
        var latency = LatencyHistogram()
        var latencySamples: [Int64] = []
        var latencySamplesDropped: UInt64 = 0
        var counters = Counters()
        var lastJournalError: String?

        /// The index of `topic`'s slot, made on first use.
        mutating func slot(for topic: Topic) -> Int {
            if let index = slotIndex[topic] { return index }
            slots.append(Slot(topic: topic))
            slotIndex[topic] = slots.count - 1
            return slots.count - 1
        }

        func existingSlot(for topic: Topic) -> Int? { slotIndex[topic] }

        /// The next sequence of the slot at `index`.
        mutating func nextSequence(at index: Int) -> UInt64 {
            slots[index].sequence += 1
            return slots[index].sequence
        }
    }

    public let epoch: UInt64
    public let flags: FrameFlags
    private let hub: ZMQHub
    private let marketSocket: HubSocketID
    private let accountSocket: HubSocketID
    private let journal: (any BusJournal)?
    /// Whether each message's latency is also kept for `takeLatencySamples` (the bridge's
    /// Prometheus histogram records them off the hot path).
    private let keepsLatencySamples: Bool
    private let state = Mutex(State())
    /// Held across an account message's numbering, journal append and hand-off (see `publish`).
    private let accountLock = Mutex(())

    /// `journal` makes account messages durable before they go out; `continuing` gives each
    /// journaled topic's last sequence, so its numbering carries on across restarts.
    /// `keepsLatencySamples` keeps every message's latency until `takeLatencySamples`.
    public init(hub: ZMQHub, marketSocket: HubSocketID, accountSocket: HubSocketID, flags: FrameFlags = [],
                epoch: UInt64 = PublisherEpoch.make(), journal: (any BusJournal)? = nil, continuing: [Topic: UInt64] = [:],
                keepsLatencySamples: Bool = false) {
        self.hub = hub
        self.keepsLatencySamples = keepsLatencySamples
        self.marketSocket = marketSocket
        self.accountSocket = accountSocket
        self.flags = flags
        self.epoch = epoch
        self.journal = journal
        state.withLock { state in
            for (topic, sequence) in continuing {
                let slot = state.slot(for: topic)
                state.slots[slot].sequence = max(state.slots[slot].sequence, sequence)
                state.slots[slot].activity = Activity(endpoint: .account, lastDataNs: 0)
            }
        }
    }

    /// Publishes `message` on `topic` with the next sequence of that topic; returns the sequence
    /// (nil when the hub refused it or it could not be encoded; both are counted). Account
    /// messages are journaled first when there is a journal.
    @discardableResult
    public func publish<M: BusPayloadMessage>(
        _ message: M, on topic: Topic, to endpoint: Endpoint = .market, exchangeTimestampNs: Int64 = 0,
        receivedNs: Int64, extraFlags: FrameFlags = []
    ) -> UInt64? {
        if let size = message.directPayloadSize, endpoint == .market || journal == nil {
            return publishDirect(message, size: size, on: topic, to: endpoint, exchangeTimestampNs: exchangeTimestampNs,
                                 receivedNs: receivedNs, extraFlags: extraFlags)
        }
        let payload: [UInt8]
        do {
            payload = try message.serializedBytes()
        } catch {
            state.withLock { $0.counters.encodingFailures += 1 }
            return nil
        }
        let socket = endpoint == .market ? marketSocket : accountSocket
        let type = M.busMessageType
        let cachesLastValue = Self.cachesLastValue(type)
        guard endpoint == .account, let journal else {
            return state.withLock { state in
                let slot = state.slot(for: topic)
                let header = Self.header(type, flags: flags.union(extraFlags), payloadLength: payload.count, epoch: epoch,
                                         sequence: state.nextSequence(at: slot), exchangeNs: exchangeTimestampNs, receivedNs: receivedNs)
                return queue(&state, header: header, payload: payload, slot: slot, endpoint: endpoint, socket: socket,
                             cachesLastValue: cachesLastValue)
            }
        }
        // Account messages are made durable outside the shared lock, so market data never waits
        // for the disk. The account lock keeps each account topic's "numbered, journaled, queued"
        // in order; idle heartbeats take it too, so none overtakes the message it counts.
        return accountLock.withLock { _ in
            let (header, slot) = state.withLock { state in
                let slot = state.slot(for: topic)
                return (Self.header(type, flags: flags.union(extraFlags), payloadLength: payload.count, epoch: epoch,
                                    sequence: state.nextSequence(at: slot), exchangeNs: exchangeTimestampNs, receivedNs: receivedNs), slot)
            }
            var failure: String?
            do {
                try journal.record(topic: topic, sequence: header.sequence, header: header, payload: payload)
            } catch {
                failure = "\(error)"
            }
            return state.withLock { state in
                if let failure {
                    state.counters.journalFailures += 1
                    state.lastJournalError = failure
                } else {
                    state.counters.journaled += 1
                }
                return queue(&state, header: header, payload: payload, slot: slot, endpoint: endpoint, socket: socket,
                             cachesLastValue: cachesLastValue)
            }
        }
    }

    private static func header(
        _ type: KBMessageType, flags: FrameFlags, payloadLength: Int, epoch: UInt64, sequence: UInt64, exchangeNs: Int64, receivedNs: Int64
    ) -> FrameHeader {
        FrameHeader(
            messageType: UInt16(type.rawValue), flags: flags, payloadLength: UInt32(payloadLength), publisherEpoch: epoch,
            sequence: sequence, exchangeTimestampNs: exchangeNs, receiveTimestampNs: receivedNs, publishTimestampNs: UnixTime.nanoseconds())
    }

    /// A message whose payload is written straight into the hub's outbox (`DirectlyEncodedPayload`):
    /// no payload array on the way, except the copy a last-value topic keeps.
    private func publishDirect<M: BusPayloadMessage>(
        _ message: M, size: Int, on topic: Topic, to endpoint: Endpoint, exchangeTimestampNs: Int64, receivedNs: Int64,
        extraFlags: FrameFlags
    ) -> UInt64? {
        let socket = endpoint == .market ? marketSocket : accountSocket
        let type = M.busMessageType
        let cachesLastValue = Self.cachesLastValue(type)
        return state.withLock { state in
            let slot = state.slot(for: topic)
            let header = Self.header(type, flags: flags.union(extraFlags), payloadLength: size, epoch: epoch,
                                     sequence: state.nextSequence(at: slot), exchangeNs: exchangeTimestampNs, receivedNs: receivedNs)
            return queue(
                &state, header: header, slot: slot, endpoint: endpoint, cachesLastValue: cachesLastValue,
                ownedPayload: {
                    [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                        message.writeDirectPayload(into: UnsafeMutableRawBufferPointer(buffer))
                        count = size
                    }
                },
                handOff: { topic, header in
                    Self.handOff(hub, socket: socket, topic: topic, header: header, payloadCount: size) {
                        message.writeDirectPayload(into: $0)
                    }
                })
        }
    }

    /// Records a numbered message (last value, latency, activity) and hands it to the hub;
    /// called with the state locked, so the hub sees each topic's messages in sequence order.
    private func queue(
        _ state: inout State, header: FrameHeader, payload: [UInt8], slot: Int, endpoint: Endpoint, socket: HubSocketID,
        cachesLastValue: Bool
    ) -> UInt64? {
        queue(
            &state, header: header, slot: slot, endpoint: endpoint, cachesLastValue: cachesLastValue, ownedPayload: { payload },
            handOff: { topic, header in Self.handOff(hub, socket: socket, topic: topic, header: header, payload: payload) })
    }

    /// `queue` for either kind of payload: `ownedPayload` gives the bytes a last-value topic
    /// keeps, `handOff` queues the frames on the hub.
    private func queue(
        _ state: inout State, header: FrameHeader, slot: Int, endpoint: Endpoint, cachesLastValue: Bool,
        ownedPayload: () -> [UInt8], handOff: (Topic, FrameHeader) -> PublishOutcome
    ) -> UInt64? {
        let now = header.publishTimestampNs
        let topic = state.slots[slot].topic
        if cachesLastValue {
            var stored = header
            stored.flags.insert(.snapshot)
            state.slots[slot].lastValue = BusFrame(topic: topic, header: stored, payload: ownedPayload())
        }
        if header.receiveTimestampNs > 0, now > header.receiveTimestampNs {
            state.latency.record(UInt64(now - header.receiveTimestampNs))
            if keepsLatencySamples {
                if state.latencySamples.count < Self.latencySampleCapacity {
                    state.latencySamples.append(now - header.receiveTimestampNs)
                } else {
                    state.latencySamplesDropped += 1
                }
            }
        }
        if state.slots[slot].activity != nil {
            state.slots[slot].activity!.lastDataNs = now
        } else {
            state.slots[slot].activity = Activity(endpoint: endpoint, lastDataNs: now)
        }
        switch handOff(topic, header) {
        case .queued:
            state.counters.published += 1
            return header.sequence
        case .dropped:
            // The sequence stays consumed: subscribers see the gap, as they must.
            state.counters.dropped += 1
            return nil
        }
    }

    /// Queues the three frames in the hub's outbox: the header written on the stack, the
    /// `payloadCount` payload bytes by `writePayload` in place (no array per message).
    @inline(__always)
    private static func handOff(
        _ hub: ZMQHub, socket: HubSocketID, topic: Topic, header: FrameHeader, payloadCount: Int,
        writePayload: (UnsafeMutableRawBufferPointer) -> Void
    ) -> PublishOutcome {
        withUnsafeTemporaryAllocation(byteCount: FrameHeader.encodedLength, alignment: 8) { headerBytes in
            header.write(into: headerBytes)
            return topic.bytes.withUnsafeBytes { topic in
                hub.publish(to: socket, topic: topic, header: UnsafeRawBufferPointer(headerBytes), payloadCount: payloadCount,
                            writingPayload: writePayload)
            }
        }
    }

    /// `handOff` of an encoded payload.
    @inline(__always)
    private static func handOff(
        _ hub: ZMQHub, socket: HubSocketID, topic: Topic, header: FrameHeader, payload: [UInt8]
    ) -> PublishOutcome {
        payload.withUnsafeBytes { payload in
            handOff(hub, socket: socket, topic: topic, header: header, payloadCount: payload.count) {
                $0.copyMemory(from: payload)
            }
        }
    }

    /// `message` as `topic`'s state at its current sequence (not incremented), flagged as a
    /// snapshot. Call it only on the thread that publishes `topic` (a book's feed event loop):
    /// that is what keeps an update from slipping between the state and the sequence it claims.
    public func state<M: BusPayloadMessage>(_ message: M, of topic: Topic, exchangeTimestampNs: Int64 = 0) -> BusFrame? {
        state(message, of: topic, at: currentSequence(of: topic), exchangeTimestampNs: exchangeTimestampNs)
    }

    /// `message` as `topic`'s state at `sequence`, read beforehand together with the state
    /// (so the encoding can happen on any thread).
    public func state<M: BusPayloadMessage>(_ message: M, of topic: Topic, at sequence: UInt64, exchangeTimestampNs: Int64 = 0) -> BusFrame? {
        guard let payload = try? message.serializedBytes() as [UInt8] else { return nil }
        let header = FrameHeader(
            messageType: UInt16(M.busMessageType.rawValue), flags: flags.union(.snapshot), payloadLength: UInt32(payload.count),
            publisherEpoch: epoch, sequence: sequence, exchangeTimestampNs: exchangeTimestampNs, receiveTimestampNs: 0,
            publishTimestampNs: UnixTime.nanoseconds())
        return BusFrame(topic: topic, header: header, payload: payload)
    }

    /// The last value of every cached topic starting with `prefix` (tickers, candles, trades,
    /// instruments, tops, status, connection states, the service heartbeat).
    public func lastValues(prefix: [UInt8]) -> [BusFrame] {
        state.withLock { state in state.slots.compactMap { $0.lastValue?.topic.matches(prefix: prefix) == true ? $0.lastValue : nil } }
    }

    /// Sends a `TopicHeartbeat` on every data topic idle for `idleNs` (and not heartbeaten in
    /// that time), carrying the topic's current sequence; returns how many were sent.
    @discardableResult
    public func publishIdleHeartbeats(nowNs: Int64 = UnixTime.nanoseconds(), idleNs: Int64 = 1_000_000_000) -> Int {
        accountLock.withLock { _ in state.withLock { state in
            var sent = 0
            for slot in state.slots.indices {
                guard let activity = state.slots[slot].activity else { continue }
                let topic = state.slots[slot].topic
                guard Self.getsHeartbeats(topic) else { continue }
                guard nowNs - max(activity.lastDataNs, activity.lastHeartbeatNs) >= idleNs else { continue }
                var beat = KBTopicHeartbeat()
                beat.lastDataNs = activity.lastDataNs
                guard let payload = try? beat.serializedBytes() as [UInt8] else { continue }
                let header = FrameHeader(
                    messageType: UInt16(KBMessageType.topicHeartbeat.rawValue), flags: flags, payloadLength: UInt32(payload.count),
                    publisherEpoch: epoch, sequence: state.slots[slot].sequence, exchangeTimestampNs: 0,
                    receiveTimestampNs: 0, publishTimestampNs: nowNs)
                let socket = activity.endpoint == .market ? marketSocket : accountSocket
                state.slots[slot].activity!.lastHeartbeatNs = nowNs
                if case .queued = Self.handOff(hub, socket: socket, topic: topic, header: header, payload: payload) {
                    state.counters.topicHeartbeats += 1
                    sent += 1
                } else {
                    state.counters.dropped += 1
                }
            }
            return sent
        } }
    }

    /// Topics that no longer carry data (a removed pair): no more heartbeats or cached values.
    /// Their sequences are kept, so a topic that comes back continues its numbering.
    public func retire(_ topics: [Topic]) {
        state.withLock { state in
            for topic in topics {
                guard let slot = state.existingSlot(for: topic) else { continue }
                state.slots[slot].activity = nil
                state.slots[slot].lastValue = nil
            }
        }
    }

    /// Latency samples kept between two takes: a quarter of a second of a million messages a
    /// second (2 MiB). Past it samples are counted, not kept.
    public static let latencySampleCapacity = 1 << 18

    /// Hands over the latencies kept since the last call (in publishing order) by swapping them
    /// with `buffer`, which should come back empty: the two arrays take turns, so neither side
    /// allocates once both have grown. Returns how many samples did not fit since the last call.
    public func takeLatencySamples(into buffer: inout [Int64]) -> UInt64 {
        buffer.removeAll(keepingCapacity: true)
        return state.withLock { state in
            swap(&state.latencySamples, &buffer)
            defer { state.latencySamplesDropped = 0 }
            return state.latencySamplesDropped
        }
    }

    /// The last sequence used on `topic` (0: none yet).
    public func currentSequence(of topic: Topic) -> UInt64 {
        state.withLock { state in state.existingSlot(for: topic).map { state.slots[$0].sequence } ?? 0 }
    }

    public var counters: Counters { state.withLock { $0.counters } }

    /// Receive-to-publish latency of every message published so far.
    public var latency: LatencyHistogram { state.withLock { $0.latency } }

    /// The last journal failure, if any.
    public var lastJournalError: String? { state.withLock { $0.lastJournalError } }

    /// State-like payloads whose last value is a topic's state. Books come from their keepers
    /// (the full book, not the last change) and private events from the journal.
    static func cachesLastValue(_ type: KBMessageType) -> Bool {
        switch type {
        case .trade, .ticker, .ohlc, .spread, .instrument, .bookTop, .exchangeStatus, .connectionStatus, .serviceHeartbeat: true
        default: false
        }
    }

    /// Data topics get heartbeats; the service's own topics (status, connection states, the
    /// service heartbeat) and reference data do not.
    static func getsHeartbeats(_ topic: Topic) -> Bool { !quietChannels.contains(topic.channel) }

    private static let quietChannels: Set<String> = [
        Topic.Channel.serviceHeartbeat, Topic.Channel.exchangeStatus, Topic.Channel.connection, Topic.Channel.instrument,
    ]
}
