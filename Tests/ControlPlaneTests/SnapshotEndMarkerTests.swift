import ControlPlane
import Testing
import WireFormat

@Suite("snapshot end marker")
struct SnapshotEndMarkerTests {
    @Test("the end-marker triple decodes with FrameHeader: type 70, sequence 0, SNAPSHOT, and the prefix")
    func endMarker() throws {
        let frames = SnapshotEndMarker.frames(prefix: "book:BTC/USD:", topicCount: 3, publisherEpoch: 77, now: 1_700_000_000_000_000_123)
        #expect(frames.count == 3)
        #expect(frames[0] == Array("book:BTC/USD:".utf8))
        let header = try FrameHeader(parsing: frames[1])
        #expect(header.messageType == 70)
        #expect(header.messageType == UInt16(KBMessageType.snapshotEnd.rawValue))
        #expect(header.sequence == 0)
        #expect(header.flags == .snapshot)
        #expect(header.publisherEpoch == 77)
        #expect(header.publishTimestampNs == 1_700_000_000_000_000_123)
        #expect(Int(header.payloadLength) == frames[2].count)
        var end = KBSnapshotEnd()
        end.prefix = "book:BTC/USD:"
        end.topicCount = 3
        #expect(try BusPayload(messageType: header.messageType, bytes: frames[2]) == .snapshotEnd(end))
    }

    @Test("a snapshot of every topic ends with an empty topic frame")
    func emptyPrefix() throws {
        let frames = SnapshotEndMarker.frames(prefix: "", topicCount: 0, publisherEpoch: 1, now: 2)
        #expect(frames[0] == [])
        #expect(try FrameHeader(parsing: frames[1]).messageType == 70)
        #expect(try BusPayload(messageType: 70, bytes: frames[2]) == .snapshotEnd(KBSnapshotEnd()))
    }
}
