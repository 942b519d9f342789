import Foundation
import GRDB
import Synchronization

/// The durable journal of private account events: an SQLite file in WAL mode, appended to
/// before each event is published, read back for replay, and bounded by a retention.
///
/// Appends go through GRDB's single writer connection and are synchronous: when `append`
/// returns, the event is committed with the durability of the chosen `JournalSynchronous`.
/// Reads use GRDB's reader connections, so replay never waits for appends and appends never
/// wait for replay (WAL gives each read a consistent snapshot).
///
/// Safe to use from any thread. One journal file belongs to one process.
public final class PrivateJournal: Sendable {
    public let path: String
    public let retention: JournalRetention
    public let synchronous: JournalSynchronous
    let pool: DatabasePool
    private let isClosed = Atomic<Bool>(false)

    /// Opens the journal at `path`, creating the file and its schema when missing, and prunes
    /// what `retention` no longer keeps (as of the wall clock now).
    public init(
        path: String, retention: JournalRetention = JournalRetention(), synchronous: JournalSynchronous = .normal
    ) throws(JournalError) {
        self.path = path
        self.retention = retention
        self.synchronous = synchronous
        try Self.checkExistingFile(at: path)
        pool = try JournalError.translating(path: path) {
            var configuration = Configuration()
            configuration.label = "AccountJournal"
            // Replay requests are rare and short; each reader costs a connection and its cache.
            configuration.maximumReaderCount = 2
            let pool = try DatabasePool(path: path, configuration: configuration)
            try JournalSchema.migrator.migrate(pool)
            // Per connection, and only the writer writes. GRDB already picks NORMAL for WAL;
            // setting it here keeps the journal's durability independent of that default.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(synchronous.pragmaValue)")
            }
            return pool
        }
        try prune(nowNs: Self.wallClockNs())
    }

    /// Refuses, before anything writes to it, a file that is not a journal this version can
    /// use. The check uses a plain connection because opening the pool would already switch
    /// the file to WAL mode.
    private static func checkExistingFile(at path: String) throws(JournalError) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        try JournalError.translating(path: path) {
            let probe = try DatabaseQueue(path: path)
            defer { try? probe.close() }
            try probe.read { db in
                guard try JournalSchema.isJournalOrEmpty(db) else { throw JournalError.notAJournal(path: path) }
                let migrator = JournalSchema.migrator
                if try migrator.hasBeenSuperseded(db) {
                    let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
                    throw JournalError.schemaTooNew(path: path, unknownMigrations: unknown)
                }
            }
        }
    }

    /// Appends one event, committed when this returns. Refuses (`sequenceNotIncreasing`) a
    /// sequence that is not greater than the last one journaled for the topic, writing nothing.
    ///
    /// Its cost does not grow with the journal: one prepared INSERT, atomic on its own, whose
    /// triggers check and advance the topic's sequence in a table of a few rows.
    public func append(_ entry: JournalEntry) throws(JournalError) {
        guard let sequence = Int64(exactly: entry.sequence) else {
            throw .sequenceOutOfRange(topic: entry.topic, sequence: entry.sequence)
        }
        try checkOpen()
        let topic = Data(entry.topic)
        try JournalError.translating(path: path) {
            try pool.writeWithoutTransaction { db in
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO journal_event (topic, sequence, message_type, header, payload, recorded_ns)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
                do {
                    try insert.execute(arguments: [
                        topic, sequence, Int64(entry.messageType), Data(entry.header), Data(entry.payload), entry.recordedNs,
                    ])
                } catch let error as DatabaseError
                    where error.extendedResultCode == .SQLITE_CONSTRAINT_TRIGGER
                    && error.message == JournalSchema.sequenceNotIncreasingMessage
                {
                    let last = try Self.lastSequence(db, topic: topic) ?? 0
                    throw JournalError.sequenceNotIncreasing(topic: entry.topic, sequence: entry.sequence, last: last)
                }
            }
        }
    }

    /// Checkpoints every event into the database file, then closes the connections; later calls
    /// throw `JournalError.closed`. Closing twice is harmless.
    public func close() throws(JournalError) {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try JournalError.translating(path: path) {
            // Folds the write-ahead log into the database file and empties it: closing the pool
            // alone left every event of the run in the WAL (its last connection to close is a
            // reader, which cannot checkpoint).
            // A failed checkpoint must not keep the pool open: SQLite checkpoints on the next open.
            _ = try? pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            try pool.close()
        }
    }

    func checkOpen() throws(JournalError) {
        if isClosed.load(ordering: .acquiring) { throw .closed }
    }

    /// Reads through a reader connection, translating errors.
    func read<T>(_ body: (Database) throws -> T) throws(JournalError) -> T {
        try checkOpen()
        return try JournalError.translating(path: path) { try pool.read(body) }
    }

    static func lastSequence(_ db: Database, topic: Data) throws -> UInt64? {
        try Int64.fetchOne(db, sql: "SELECT last_sequence FROM journal_topic WHERE topic = ?", arguments: [topic])
            .map { UInt64(clamping: $0) }
    }

    static func wallClockNs() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1e9).rounded())
    }
}
