import Foundation
import GRDB

/// The journal's size: events retained, and bytes on disk.
public struct JournalStatistics: Sendable, Equatable {
    public var events: UInt64
    /// The database file plus its WAL. The database file does not shrink when events are
    /// pruned: SQLite reuses the freed pages for new events.
    public var bytes: UInt64

    public init(events: UInt64, bytes: UInt64) {
        self.events = events
        self.bytes = bytes
    }
}

extension PrivateJournal {
    /// Counts kept per topic make this cheap: no scan of the events.
    public func statistics() throws(JournalError) -> JournalStatistics {
        let events = try read { db in
            try Int64.fetchOne(db, sql: "SELECT coalesce(sum(event_count), 0) FROM journal_topic") ?? 0
        }
        return JournalStatistics(events: UInt64(clamping: events), bytes: Self.fileSize(path) + Self.fileSize(path + "-wal"))
    }

    private static func fileSize(_ path: String) -> UInt64 {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? NSNumber
        else { return 0 }
        return size.uint64Value
    }
}
