import GRDB

/// The journal's tables, created and upgraded by a GRDB migrator.
///
/// - `journal_event`: one row per event. The rowid table keeps rows in append order; the
///   unique (topic, sequence) index serves replay and refuses duplicates; the
///   (topic, recorded_ns) index lets retention by age find old events without a scan.
/// - `journal_topic`: per topic, the last sequence ever appended and how many events are
///   kept. Appends check and advance it in the same statement, so the check costs one
///   lookup in a table of a few rows, and pruning every event of a topic does not reset
///   its sequence.
///
/// Tables are STRICT (SQLite 3.37+) so a value of the wrong type cannot be stored.
enum JournalSchema {
    /// `application_id` of a journal file ("KBJN"): a different SQLite database given by
    /// mistake is refused instead of getting the journal's tables added.
    static let applicationID: Int32 = 0x4B42_4A4E

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE journal_event (
                    id INTEGER PRIMARY KEY,
                    topic BLOB NOT NULL,
                    sequence INTEGER NOT NULL CHECK (sequence > 0),
                    message_type INTEGER NOT NULL CHECK (message_type BETWEEN 0 AND 65535),
                    header BLOB NOT NULL,
                    payload BLOB NOT NULL,
                    recorded_ns INTEGER NOT NULL
                ) STRICT;
                CREATE UNIQUE INDEX journal_event_by_sequence ON journal_event (topic, sequence);
                CREATE INDEX journal_event_by_age ON journal_event (topic, recorded_ns);
                CREATE TABLE journal_topic (
                    topic BLOB PRIMARY KEY NOT NULL,
                    last_sequence INTEGER NOT NULL CHECK (last_sequence > 0),
                    event_count INTEGER NOT NULL CHECK (event_count >= 0)
                ) STRICT, WITHOUT ROWID;
                PRAGMA application_id = \(applicationID);
                """)
        }
        return migrator
    }

    /// Whether `db` may become or already is a journal: it carries the journal's
    /// application id, or it is empty. GRDB creates its `grdb_migrations` table outside the
    /// first migration's transaction, so a file holding only that table counts as empty.
    static func isJournalOrEmpty(_ db: Database) throws -> Bool {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        if applicationID == Self.applicationID { return true }
        guard applicationID == 0 else { return false }
        let objects = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE tbl_name <> 'grdb_migrations'") ?? 0
        return objects == 0
    }
}
