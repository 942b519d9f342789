import Foundation
import GRDB

extension PrivateJournal {
    /// Rows deleted per transaction: appends wait while a prune transaction runs, so a large
    /// prune (a first start after a long stop, a smaller retention) is cut into short ones.
    /// A row costs about 8 µs to delete (three B-trees and the count trigger), so a batch holds
    /// appends for a few milliseconds, as long as one of SQLite's WAL checkpoints.
    static let pruneBatchLimit = 500

    /// Deletes the events that `retention` no longer keeps at `nowNs` (Unix nanoseconds),
    /// oldest first in each topic; returns how many. Topics' last sequences stay.
    ///
    /// Costs about the number of events deleted; calling it often (say every minute) keeps
    /// each call short.
    @discardableResult
    public func prune(nowNs: Int64) throws(JournalError) -> Int {
        try checkOpen()
        let oldestKeptNs = retention.oldestKeptNs(nowNs: nowNs)
        let maxEvents = retention.maxEventsPerTopic
        guard oldestKeptNs != nil || maxEvents != nil else { return 0 }
        let topics = try read { db in try Data.fetchAll(db, sql: "SELECT topic FROM journal_topic") }
        var removed = 0
        for topic in topics {
            while true {
                let batch = try JournalError.translating(path: path) {
                    try pool.write { db in
                        try Self.pruneBatch(db, topic: topic, oldestKeptNs: oldestKeptNs, maxEvents: maxEvents)
                    }
                }
                removed += batch
                if batch < Self.pruneBatchLimit { break }
            }
        }
        return removed
    }

    /// Deletes at most `pruneBatchLimit` events of `topic`: first those too old, then the
    /// oldest beyond `maxEvents`. A trigger keeps the topic's event count in step.
    private static func pruneBatch(_ db: Database, topic: Data, oldestKeptNs: Int64?, maxEvents: Int?) throws -> Int {
        var removed = 0
        if let oldestKeptNs {
            try db.cachedStatement(sql: """
                DELETE FROM journal_event WHERE id IN
                    (SELECT id FROM journal_event WHERE topic = ?1 AND recorded_ns < ?2 LIMIT ?3)
                """).execute(arguments: [topic, oldestKeptNs, pruneBatchLimit])
            removed += db.changesCount
        }
        if let maxEvents {
            let count = try Int.fetchOne(db, sql: "SELECT event_count FROM journal_topic WHERE topic = ?", arguments: [topic]) ?? 0
            let excess = min(count - maxEvents, pruneBatchLimit - removed)
            if excess > 0 {
                try db.cachedStatement(sql: """
                    DELETE FROM journal_event WHERE id IN
                        (SELECT id FROM journal_event WHERE topic = ?1 ORDER BY sequence LIMIT ?2)
                    """).execute(arguments: [topic, excess])
                removed += db.changesCount
            }
        }
        return removed
    }
}
