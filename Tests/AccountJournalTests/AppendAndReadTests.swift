import AccountJournal
import Testing

@Suite struct AppendAndReadTests {
    @Test func appendedEntriesReadBackByteExact() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            let everyByte = JournalEntry(
                topic: topic("exec:acct-1:"), sequence: 1, messageType: 0xFFFF, header: (0..<56).map { UInt8($0) },
                payload: (0...255).map { UInt8($0) }, recordedNs: Int64.max)
            let empty = JournalEntry(
                topic: topic("exec:acct-1:"), sequence: 2, messageType: 0, header: [], payload: [], recordedNs: -5)
            let ordinary = event("exec:acct-1:", 3)
            for entry in [everyByte, empty, ordinary] {
                try journal.append(entry)
            }

            #expect(try journal.entries(topic: topic("exec:acct-1:"), after: 0, limit: 10) == [everyByte, empty, ordinary])
        }
    }

    @Test func afterAndLimitSelectAPage() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            for sequence in UInt64(1)...10 {
                try journal.append(event("fill:a:", sequence))
            }

            #expect(try journal.entries(topic: topic("fill:a:"), after: 4, limit: 3).map(\.sequence) == [5, 6, 7])
            #expect(try journal.entries(topic: topic("fill:a:"), after: 8, limit: 100).map(\.sequence) == [9, 10])
            #expect(try journal.entries(topic: topic("fill:a:"), after: 10, limit: 100) == [])
            #expect(try journal.entries(topic: topic("fill:a:"), after: 0, limit: 0) == [])
            #expect(try journal.entries(topic: topic("fill:a:"), after: .max, limit: 5) == [])
        }
    }

    @Test func sequencesWithGapsAreKeptAsGiven() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            for sequence: UInt64 in [3, 4, 9, 1_000_000] {
                try journal.append(event("bal:a:", sequence))
            }

            #expect(try journal.entries(topic: topic("bal:a:"), after: 4, limit: 10).map(\.sequence) == [9, 1_000_000])
            #expect(try journal.firstSequence(topic: topic("bal:a:")) == 3)
        }
    }

    @Test func topicsAreIndependent() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            try journal.append(event("exec:a:", 1))
            try journal.append(event("fill:a:", 1))
            try journal.append(event("exec:a:", 2))
            try journal.append(event("fill:a:", 7))
            try journal.append(event("exec:a:", 3))

            #expect(try journal.entries(topic: topic("exec:a:"), after: 0, limit: 10) == [
                event("exec:a:", 1), event("exec:a:", 2), event("exec:a:", 3),
            ])
            #expect(try journal.entries(topic: topic("fill:a:"), after: 0, limit: 10) == [event("fill:a:", 1), event("fill:a:", 7)])
            #expect(try journal.entries(topic: topic("bal:a:"), after: 0, limit: 10) == [])
            #expect(try journal.lastSequences() == [topic("exec:a:"): 3, topic("fill:a:"): 7])
            #expect(try journal.firstSequence(topic: topic("bal:a:")) == nil)
        }
    }

    @Test func topicsThatArePrefixesOfEachOtherStaySeparate() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            try journal.append(event("exec:a", 5))
            try journal.append(event("exec:ab", 1))

            #expect(try journal.entries(topic: topic("exec:a"), after: 0, limit: 10).map(\.sequence) == [5])
            #expect(try journal.entries(topic: topic("exec:ab"), after: 0, limit: 10).map(\.sequence) == [1])
        }
    }

    @Test func statisticsCountEventsAndFileBytes() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            #expect(try journal.statistics().events == 0)
            for sequence in UInt64(1)...25 {
                try journal.append(event("exec:a:", sequence))
            }
            try journal.append(event("fill:a:", 1))

            let statistics = try journal.statistics()
            #expect(statistics.events == 26)
            #expect(statistics.bytes == fileSize(directory.journalPath) + fileSize(directory.journalPath + "-wal"))
            #expect(statistics.bytes > 26 * 256)
        }
    }
}
