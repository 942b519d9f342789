import WireFormat

/// Follows per-topic sequence numbers the way a consumer must: a data message should be the
/// previous sequence + 1, a heartbeat should repeat the current one, and a new publisher epoch
/// restarts the count.
struct SequenceTracker {
    enum Finding: Equatable {
        case inOrder
        /// The first message seen on this topic (or under this epoch).
        case started
        /// Messages between `expected` and `received` (exclusive) never arrived.
        case gap(expected: UInt64, received: UInt64)
        /// Already seen: a duplicate or a message from the past.
        case stale(last: UInt64, received: UInt64)
    }

    private var last: [Topic: (epoch: UInt64, sequence: UInt64)] = [:]
    private(set) var gaps = 0
    private(set) var missing: UInt64 = 0

    mutating func observe(_ frame: BusFrame) -> Finding {
        let header = frame.header
        let isHeartbeat = header.messageType == UInt16(KBMessageType.topicHeartbeat.rawValue)
        guard let previous = last[frame.topic], previous.epoch == header.publisherEpoch else {
            last[frame.topic] = (header.publisherEpoch, header.sequence)
            return .started
        }
        let expected = isHeartbeat ? previous.sequence : previous.sequence + 1
        if header.sequence == expected {
            last[frame.topic] = (header.publisherEpoch, header.sequence)
            return .inOrder
        }
        if header.sequence > expected {
            gaps += 1
            missing += header.sequence - expected
            last[frame.topic] = (header.publisherEpoch, header.sequence)
            return .gap(expected: expected, received: header.sequence)
        }
        return .stale(last: previous.sequence, received: header.sequence)
    }
}
