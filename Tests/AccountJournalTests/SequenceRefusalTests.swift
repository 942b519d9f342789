import AccountJournal
import Testing

@Suite struct SequenceRefusalTests {
    @Test func aDuplicateSequenceIsRefusedAndNothingChanges() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            try journal.append(event("exec:a:", 1))
            try journal.append(event("exec:a:", 2))
            var duplicate = event("exec:a:", 2)
            duplicate.payload = [0xDE, 0xAD]

            #expect(throws: JournalError.sequenceNotIncreasing(topic: topic("exec:a:"), sequence: 2, last: 2)) {
                try journal.append(duplicate)
            }
            #expect(try journal.entries(topic: topic("exec:a:"), after: 0, limit: 10) == [event("exec:a:", 1), event("exec:a:", 2)])
            #expect(try journal.lastSequences() == [topic("exec:a:"): 2])
            #expect(try journal.statistics().events == 2)
        }
    }

    @Test func aLowerSequenceIsRefused() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            try journal.append(event("exec:a:", 10))

            #expect(throws: JournalError.sequenceNotIncreasing(topic: topic("exec:a:"), sequence: 9, last: 10)) {
                try journal.append(event("exec:a:", 9))
            }
            #expect(try journal.entries(topic: topic("exec:a:"), after: 0, limit: 10).map(\.sequence) == [10])
        }
    }

    @Test func sequenceZeroIsRefusedForANewTopic() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)

            #expect(throws: JournalError.sequenceNotIncreasing(topic: topic("exec:a:"), sequence: 0, last: 0)) {
                try journal.append(event("exec:a:", 0))
            }
            #expect(try journal.lastSequences() == [:])
            #expect(try journal.statistics().events == 0)
        }
    }

    @Test func aSequenceAboveInt64MaxIsRefused() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            try journal.append(event("exec:a:", UInt64(Int64.max)))

            #expect(throws: JournalError.sequenceOutOfRange(topic: topic("exec:a:"), sequence: UInt64(Int64.max) + 1)) {
                try journal.append(event("exec:a:", UInt64(Int64.max) + 1))
            }
            #expect(try journal.lastSequences() == [topic("exec:a:"): UInt64(Int64.max)])
        }
    }

    @Test func aRefusalInOneTopicLeavesOthersWorking() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            try journal.append(event("exec:a:", 5))
            #expect(throws: JournalError.self) { try journal.append(event("exec:a:", 5)) }
            try journal.append(event("fill:a:", 1))
            try journal.append(event("exec:a:", 6))

            #expect(try journal.lastSequences() == [topic("exec:a:"): 6, topic("fill:a:"): 1])
        }
    }
}
