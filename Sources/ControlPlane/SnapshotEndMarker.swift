import SwiftProtobuf
import WireFormat

/// The triple that ends a snapshot reply (Clone pattern):
/// `[topic frame = the requested prefix bytes][header][SnapshotEnd{prefix, topic_count}]`,
/// the header with message type SNAPSHOT_END (70), sequence 0 and the SNAPSHOT flag.
///
/// The topic frame is the prefix as requested, so it may be empty or lack the final `:`;
/// readers match it by message type, not with topic validation (`BusFrame(frames:)` would
/// refuse an empty one).
public enum SnapshotEndMarker {
    /// The three frames; `now` (Unix ns) becomes the header's publish timestamp.
    public static func frames(prefix: String, topicCount: UInt32, publisherEpoch: UInt64, now: Int64) -> [[UInt8]] {
        var end = KBSnapshotEnd()
        end.prefix = prefix
        end.topicCount = topicCount
        // Binary encoding of a proto3 message without Any fields cannot fail.
        let payload: [UInt8] = (try? end.serializedBytes()) ?? []
        let header = FrameHeader(
            messageType: UInt16(KBMessageType.snapshotEnd.rawValue), flags: .snapshot, payloadLength: UInt32(payload.count),
            publisherEpoch: publisherEpoch, sequence: 0, publishTimestampNs: now)
        return [Array(prefix.utf8), header.bytes, payload]
    }
}
