import AccountJournal
import Testing

@Suite struct RetentionTests {
    private let second: Int64 = 1_000_000_000

    @Test func retentionByCountRemovesEachTopicsOldest() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(
                path: directory.journalPath, retention: JournalRetention(maxAge: nil, maxEventsPerTopic: 3))
            for sequence in UInt64(1)...5 {
                try journal.append(event("exec:a:", sequence))
            }
            try journal.append(event("fill:a:", 1))
            try journal.append(event("fill:a:", 2))

            #expect(try journal.prune(nowNs: 0) == 2)
            #expect(try journal.entries(topic: topic("exec:a:"), after: 0, limit: 10).map(\.sequence) == [3, 4, 5])
            #expect(try journal.entries(topic: topic("fill:a:"), after: 0, limit: 10).map(\.sequence) == [1, 2])
            #expect(try journal.firstSequence(topic: topic("exec:a:")) == 3)
            #expect(try journal.statistics().events == 5)
            #expect(try journal.prune(nowNs: 0) == 0)
        }
    }

    @Test func retentionByAgeRemovesWhatIsOlderThanMaxAge() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(
                path: directory.journalPath, retention: JournalRetention(maxAge: .seconds(60), maxEventsPerTopic: nil))
            // Recorded at 100 s, 130 s, 160 s, 190 s.
            for sequence in UInt64(1)...4 {
                try journal.append(event("exec:a:", sequence, recordedNs: (70 + 30 * Int64(sequence)) * second))
            }

            // At 200 s the limit is 140 s: 100 s and 130 s go.
            #expect(try journal.prune(nowNs: 200 * second) == 2)
            #expect(try journal.firstSequence(topic: topic("exec:a:")) == 3)
            // Exactly 60 s old (160 s at 220 s) is still kept.
            #expect(try journal.prune(nowNs: 220 * second) == 0)
            #expect(try journal.prune(nowNs: 220 * second + 1) == 1)
            #expect(try journal.entries(topic: topic("exec:a:"), after: 0, limit: 10).map(\.sequence) == [4])
            #expect(try journal.statistics().events == 1)
        }
    }

    @Test func ageAndCountLimitsApplyTogether() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(
                path: directory.journalPath, retention: JournalRetention(maxAge: .seconds(10), maxEventsPerTopic: 2))
            for sequence in UInt64(1)...6 {
                try journal.append(event("exec:a:", sequence, recordedNs: Int64(sequence) * second))
            }

            // At 12 s the age limit removes 1 (recorded at 1 s); the count limit then keeps 5 and 6.
            #expect(try journal.prune(nowNs: 12 * second) == 4)
            #expect(try journal.entries(topic: topic("exec:a:"), after: 0, limit: 10).map(\.sequence) == [5, 6])
        }
    }

    @Test func pruningEveryEventKeepsTheTopicsLastSequence() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(
                path: directory.journalPath, retention: JournalRetention(maxAge: .seconds(1), maxEventsPerTopic: nil))
            try journal.append(event("exec:a:", 1, recordedNs: 0))
            try journal.append(event("exec:a:", 2, recordedNs: 0))

            #expect(try journal.prune(nowNs: 10 * second) == 2)
            #expect(try journal.firstSequence(topic: topic("exec:a:")) == nil)
            #expect(try journal.lastSequences() == [topic("exec:a:"): 2])
            #expect(throws: JournalError.sequenceNotIncreasing(topic: topic("exec:a:"), sequence: 1, last: 2)) {
                try journal.append(event("exec:a:", 1, recordedNs: 10 * second))
            }
            try journal.append(event("exec:a:", 3, recordedNs: 10 * second))
            #expect(try journal.statistics().events == 1)
        }
    }

    @Test func pruningMoreThanOneBatchRemovesEverythingDue() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(
                path: directory.journalPath, retention: JournalRetention(maxAge: nil, maxEventsPerTopic: 10))
            for sequence in UInt64(1)...5_000 {
                try journal.append(event("exec:a:", sequence, payloadSize: 8))
            }

            #expect(try journal.prune(nowNs: 0) == 4_990)
            #expect(try journal.firstSequence(topic: topic("exec:a:")) == 4_991)
            #expect(try journal.statistics().events == 10)
        }
    }

    @Test func openingPrunesWithTheWallClock() throws {
        try withTemporaryDirectory { directory in
            let first = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            // Recorded in 1970: far older than a day.
            try first.append(event("exec:a:", 1, recordedNs: 5 * second))
            try first.close()

            let reopened = try PrivateJournal(
                path: directory.journalPath, retention: JournalRetention(maxAge: .seconds(86_400), maxEventsPerTopic: nil))
            #expect(try reopened.firstSequence(topic: topic("exec:a:")) == nil)
            #expect(try reopened.lastSequences() == [topic("exec:a:"): 1])
        }
    }

    @Test func unlimitedRetentionPrunesNothing() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            try journal.append(event("exec:a:", 1, recordedNs: .min))

            #expect(try journal.prune(nowNs: .max) == 0)
            #expect(try journal.firstSequence(topic: topic("exec:a:")) == 1)
        }
    }
}
