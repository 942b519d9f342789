import AccountJournal
import BusPublishing
import SwiftProtobuf
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

extension PrivateJournal {
    /// The most recent execution reports this journal holds (at most `limit`), oldest first:
    /// what the private feed continues from after a restart.
    func publishedReports(limit: Int = 20_000) throws -> [KBExecutionReport] {
        let topic = Topic.executions.bytes
        guard let last = try lastSequences()[topic] else { return [] }
        var cursor = last > UInt64(limit) ? last - UInt64(limit) : 0
        var reports: [KBExecutionReport] = []
        while true {
            let page = try entries(topic: topic, after: cursor, limit: 5_000)
            guard let final = page.last else { return reports }
            for entry in page where entry.messageType == UInt16(KBMessageType.executionReport.rawValue) {
                if let report = try? KBExecutionReport(serializedBytes: entry.payload) { reports.append(report) }
            }
            cursor = final.sequence
        }
    }
}
