import Foundation
import GRDB
import Testing
@testable import AccountJournal

@Suite struct SettingsTests {
    @Test func theFileIsInWALMode() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            try journal.append(event("exec:a:", 1))

            #expect(try journal.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
            #expect(FileManager.default.fileExists(atPath: directory.journalPath + "-wal"))
            try journal.close()
            // WAL is a property of the file: an unrelated connection sees it too.
            let other = try DatabaseQueue(path: directory.journalPath)
            #expect(try other.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
            try other.close()
        }
    }

    @Test(arguments: [(JournalSynchronous.normal, 1), (JournalSynchronous.full, 2)])
    func theSynchronousSettingIsAppliedToTheWriter(setting: JournalSynchronous, pragmaValue: Int) throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited, synchronous: setting)

            #expect(try journal.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == pragmaValue)
        }
    }

    @Test func defaultRetentionIsAWeekAndAMillionEvents() {
        let retention = JournalRetention()
        #expect(retention.maxAge == .seconds(604_800))
        #expect(retention.maxEventsPerTopic == 1_000_000)
    }
}
