import GRDB

/// The journal's tables, created and upgraded by a GRDB migrator.
///
/// - `journal_event`: one row per event. The rowid table keeps rows in append order; the
///   unique (topic, sequence) index serves replay; the (topic, recorded_ns) index lets
///   retention by age find old events without a scan.
/// - `journal_topic`: per topic, the last sequence ever appended and how many events are
///   kept. Pruning every event of a topic does not remove its row, so its sequence goes on.
///
/// Triggers keep `journal_topic` in step and refuse a sequence that does not increase, so an
/// append is one INSERT statement: SQLite runs a statement and its triggers atomically, which
/// saves an explicit transaction (about 10 µs of a 36 µs append through GRDB), and the
/// check is a lookup in a table of a few rows.
///
/// Tables are STRICT (SQLite 3.37+) so a value of the wrong type cannot be stored.
enum JournalSchema {
    /// `application_id` of a journal file ("KBJN"): a different SQLite database given by
    /// mistake is refused instead of getting the journal's tables added.
    static let applicationID: Int32 = 0x4B42_4A4E

    /// What the sequence check raises; an append recognises its refusal by it.
    static let sequenceNotIncreasingMessage = "journal: sequence not increasing"

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
                CREATE TRIGGER journal_event_sequence_check BEFORE INSERT ON journal_event
                WHEN NEW.sequence <= coalesce((SELECT last_sequence FROM journal_topic WHERE topic = NEW.topic), 0)
                BEGIN
                    SELECT RAISE(ABORT, '\(sequenceNotIncreasingMessage)');
                END;
                CREATE TRIGGER journal_event_appended AFTER INSERT ON journal_event
                BEGIN
                    INSERT INTO journal_topic (topic, last_sequence, event_count) VALUES (NEW.topic, NEW.sequence, 1)
                    ON CONFLICT (topic) DO UPDATE SET last_sequence = excluded.last_sequence, event_count = event_count + 1;
                END;
                CREATE TRIGGER journal_event_removed AFTER DELETE ON journal_event
                BEGIN
                    UPDATE journal_topic SET event_count = event_count - 1 WHERE topic = OLD.topic;
                END;
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
