import AccountJournal
import Testing

@Suite struct RestartTests {
    @Test func reopeningGivesTheSameEntriesAndLastSequences() throws {
        try withTemporaryDirectory { directory in
            let now = Int64(1_700_000_000) * 1_000_000_000
            let written = [event("exec:a:", 1, recordedNs: now), event("exec:a:", 2, recordedNs: now), event("fill:a:", 4, recordedNs: now)]
            let first = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            for entry in written {
                try first.append(entry)
            }
            try first.close()

            let reopened = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            #expect(try reopened.entries(topic: topic("exec:a:"), after: 0, limit: 10) == Array(written[0...1]))
            #expect(try reopened.entries(topic: topic("fill:a:"), after: 0, limit: 10) == [written[2]])
            #expect(try reopened.lastSequences() == [topic("exec:a:"): 2, topic("fill:a:"): 4])
            #expect(try reopened.statistics().events == 3)
        }
    }

    @Test func closingFoldsTheWriteAheadLogIntoTheDatabaseFile() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            for sequence in 1...200 as ClosedRange<UInt64> { try journal.append(event("exec:a:", sequence, payloadSize: 1_000)) }
            #expect(fileSize(directory.journalPath + "-wal") > 200_000, "appends go to the WAL first")
            // As the bridge does: replays and statistics read through the pool's readers.
            #expect(try journal.entries(topic: topic("exec:a:"), after: 0, limit: 10).count == 10)
            _ = try journal.statistics()
            try journal.close()
            #expect(fileSize(directory.journalPath + "-wal") == 0)
            #expect(fileSize(directory.journalPath) > 200_000, "the events are in the database file")
        }
    }

    @Test func sequencesContinueAfterReopeningWithoutClosing() throws {
        try withTemporaryDirectory { directory in
            do {
                // No close: the connections end when the journal is released, as in a process exit.
                let first = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
                try first.append(event("exec:a:", 1))
                try first.append(event("exec:a:", 2))
            }
            let reopened = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            #expect(throws: JournalError.sequenceNotIncreasing(topic: topic("exec:a:"), sequence: 2, last: 2)) {
                try reopened.append(event("exec:a:", 2))
            }
            try reopened.append(event("exec:a:", 3))
            #expect(try reopened.entries(topic: topic("exec:a:"), after: 0, limit: 10).map(\.sequence) == [1, 2, 3])
        }
    }

    @Test func aClosedJournalRefusesEveryCall() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            try journal.append(event("exec:a:", 1))
            try journal.close()
            try journal.close()

            #expect(throws: JournalError.closed) { try journal.append(event("exec:a:", 2)) }
            #expect(throws: JournalError.closed) { try journal.entries(topic: topic("exec:a:"), after: 0, limit: 1) }
            #expect(throws: JournalError.closed) { try journal.lastSequences() }
            #expect(throws: JournalError.closed) { try journal.firstSequence(topic: topic("exec:a:")) }
            #expect(throws: JournalError.closed) { try journal.statistics() }
            #expect(throws: JournalError.closed) { try journal.prune(nowNs: 0) }
        }
    }
}
