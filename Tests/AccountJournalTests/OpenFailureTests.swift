import AccountJournal
import Foundation
import GRDB
import Testing

@Suite struct OpenFailureTests {
    @Test func aDirectoryPathCannotBeOpened() throws {
        try withTemporaryDirectory { directory in
            #expect {
                try PrivateJournal(path: directory.path)
            } throws: { error in
                guard case .cannotOpen(let path, _) = error as? JournalError else { return false }
                return path == directory.path
            }
        }
    }

    @Test func aMissingParentDirectoryCannotBeOpened() throws {
        try withTemporaryDirectory { directory in
            let path = directory.path + "/missing/journal.sqlite"
            #expect {
                try PrivateJournal(path: path)
            } throws: { error in
                guard case .cannotOpen(path, _) = error as? JournalError else { return false }
                return true
            }
        }
    }

    @Test func aFileOfGarbageIsNotADatabase() throws {
        try withTemporaryDirectory { directory in
            let garbage = (0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            try Data(garbage).write(to: URL(fileURLWithPath: directory.journalPath))

            #expect(throws: JournalError.notADatabase(path: directory.journalPath)) {
                try PrivateJournal(path: directory.journalPath)
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: directory.journalPath)) == Data(garbage))
        }
    }

    @Test func anotherSQLiteDatabaseIsNotAJournalAndIsLeftAlone() throws {
        try withTemporaryDirectory { directory in
            let other = try DatabaseQueue(path: directory.journalPath)
            try other.write { db in
                try db.execute(sql: "CREATE TABLE orders (id INTEGER PRIMARY KEY); INSERT INTO orders VALUES (1)")
            }
            try other.close()

            #expect(throws: JournalError.notAJournal(path: directory.journalPath)) {
                try PrivateJournal(path: directory.journalPath)
            }
            let reopened = try DatabaseQueue(path: directory.journalPath)
            #expect(try reopened.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "delete")
            #expect(try reopened.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM orders") } == 1)
            try reopened.close()
        }
    }

    @Test func aJournalFromANewerVersionIsRefused() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            try journal.append(event("exec:a:", 1))
            try journal.close()
            let newer = try DatabasePool(path: directory.journalPath)
            try newer.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2'), ('v3')")
            }
            try newer.close()

            #expect(throws: JournalError.schemaTooNew(path: directory.journalPath, unknownMigrations: ["v2", "v3"])) {
                try PrivateJournal(path: directory.journalPath)
            }
        }
    }

    @Test func errorsDescribeThemselves() {
        let error = JournalError.sequenceNotIncreasing(topic: topic("exec:a:"), sequence: 3, last: 7)
        #expect(error.description == "sequence 3 of topic \"exec:a:\" is not greater than its last journaled sequence 7")
    }
}
