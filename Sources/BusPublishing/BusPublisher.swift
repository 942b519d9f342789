import SwiftProtobuf
import Synchronization
import WireFormat
import ZeroMQHub

/// Puts payloads on the bus as frames of the wire contract: one per-topic sequence counter and
/// the publisher epoch for the whole process, header timestamps, and the hand-off to the ZeroMQ
/// thread (the hub's outbox). Sessions on different event loops publish through one instance;
/// the short lock keeps "sequence assigned" and "queued" in the same order, so a subscriber sees
/// every topic's sequence numbers strictly increasing. What the hub refuses is counted.
public final class BusPublisher: Sendable {
    /// Which of the hub's PUB sockets a topic goes to.
    public enum Endpoint: Sendable {
        case market, account
    }

    /// Counts of what went out and what was refused.
    public struct Counters: Sendable, Equatable {
        public var published: UInt64 = 0
        public var dropped: UInt64 = 0
        public var encodingFailures: UInt64 = 0
    }

    private struct State {
        var sequencer = TopicSequencer()
        var lastPublishedNs: [Topic: Int64] = [:]
        var counters = Counters()
    }

    public let epoch: UInt64
    public let flags: FrameFlags
    private let hub: ZMQHub
    private let marketSocket: HubSocketID
    private let accountSocket: HubSocketID
    private let state = Mutex(State())

    public init(hub: ZMQHub, marketSocket: HubSocketID, accountSocket: HubSocketID, flags: FrameFlags = [],
                epoch: UInt64 = PublisherEpoch.make()) {
        self.hub = hub
        self.marketSocket = marketSocket
        self.accountSocket = accountSocket
        self.flags = flags
        self.epoch = epoch
    }

    /// Publishes `message` on `topic` with the next sequence of that topic; returns the sequence
    /// (nil when the hub refused it or it could not be encoded; both are counted).
    @discardableResult
    public func publish<M: BusPayloadMessage>(
        _ message: M, on topic: Topic, to endpoint: Endpoint = .market, exchangeTimestampNs: Int64 = 0,
        receivedNs: Int64, extraFlags: FrameFlags = []
    ) -> UInt64? {
        let payload: [UInt8]
        do {
            payload = try message.serializedBytes()
        } catch {
            state.withLock { $0.counters.encodingFailures += 1 }
            return nil
        }
        let socket = endpoint == .market ? marketSocket : accountSocket
        return state.withLock { state -> UInt64? in
            let now = UnixTime.nanoseconds()
            let sequence = state.sequencer.next(for: topic)
            let header = FrameHeader(
                messageType: UInt16(M.busMessageType.rawValue), flags: flags.union(extraFlags), payloadLength: UInt32(payload.count),
                publisherEpoch: epoch, sequence: sequence, exchangeTimestampNs: exchangeTimestampNs, receiveTimestampNs: receivedNs,
                publishTimestampNs: now)
            switch hub.publish(to: socket, topic: topic.bytes, header: header.bytes, payload: payload) {
            case .queued:
                state.counters.published += 1
                state.lastPublishedNs[topic] = now
                return sequence
            case .dropped:
                // The sequence stays consumed: subscribers see the gap, as they must.
                state.counters.dropped += 1
                return nil
            }
        }
    }

    /// The last sequence used on `topic` (0: none yet).
    public func currentSequence(of topic: Topic) -> UInt64 { state.withLock { $0.sequencer.current(for: topic) } }

    public var counters: Counters { state.withLock { $0.counters } }
}
