import Foundation
import GRDB

extension PrivateJournal {
    /// The journaled events of `topic` with a sequence greater than `sequence`, oldest first,
    /// at most `limit` of them. A replay pages through a topic by passing the last sequence
    /// it received; `after: 0` starts at the oldest retained event.
    public func entries(topic: [UInt8], after sequence: UInt64, limit: Int) throws(JournalError) -> [JournalEntry] {
        guard limit > 0, let after = Int64(exactly: sequence) else { return [] }
        return try read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT sequence, message_type, header, payload, recorded_ns FROM journal_event
                WHERE topic = ? AND sequence > ? ORDER BY sequence LIMIT ?
                """)
            let rows = try Row.fetchCursor(statement, arguments: [Data(topic), after, limit])
            var entries: [JournalEntry] = []
            while let row = try rows.next() {
                entries.append(JournalEntry(
                    topic: topic,
                    sequence: UInt64(clamping: try row.decode(Int64.self, atIndex: 0)),
                    messageType: UInt16(clamping: try row.decode(Int64.self, atIndex: 1)),
                    header: [UInt8](try row.decode(Data.self, atIndex: 2)),
                    payload: [UInt8](try row.decode(Data.self, atIndex: 3)),
                    recordedNs: try row.decode(Int64.self, atIndex: 4)))
            }
            return entries
        }
    }

    /// The sequence of the oldest event of `topic` still retained (nil: none is): a replay
    /// asking for anything older has lost events to retention.
    public func firstSequence(topic: [UInt8]) throws(JournalError) -> UInt64? {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT min(sequence) FROM journal_event WHERE topic = ?", arguments: [Data(topic)])
                .map { UInt64(clamping: $0) }
        }
    }

    /// The last sequence ever journaled per topic, including topics whose events have all
    /// been pruned: what the publisher seeds its counters with at start-up.
    public func lastSequences() throws(JournalError) -> [[UInt8]: UInt64] {
        try read { db in
            var sequences: [[UInt8]: UInt64] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT topic, last_sequence FROM journal_topic")
            while let row = try rows.next() {
                sequences[[UInt8](try row.decode(Data.self, atIndex: 0))] = UInt64(clamping: try row.decode(Int64.self, atIndex: 1))
            }
            return sequences
        }
    }
}
