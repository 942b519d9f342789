import AccountJournal
import BusPublishing
import WireFormat

/// The publisher's journal, backed by the SQLite journal.
struct JournalSink: BusJournal {
    let journal: PrivateJournal

    func record(topic: Topic, sequence: UInt64, header: FrameHeader, payload: [UInt8]) throws {
        try journal.append(JournalEntry(
            topic: topic.bytes, sequence: sequence, messageType: header.messageType, header: header.bytes, payload: payload,
            recordedNs: header.publishTimestampNs))
    }

    /// The last sequence of every journaled topic (topics that are not valid are skipped).
    func lastSequences() throws -> [Topic: UInt64] {
        var sequences: [Topic: UInt64] = [:]
        for (bytes, sequence) in try journal.lastSequences() {
            if let topic = try? Topic(validating: bytes) { sequences[topic] = sequence }
        }
        return sequences
    }
}
