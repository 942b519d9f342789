import AccountJournal
import Foundation
import Synchronization
import Testing

@Suite struct ConcurrencyTests {
    /// Every read sees a prefix of what was appended (WAL snapshots): sequences 1...k with k
    /// never decreasing from one read to the next, while another thread keeps appending.
    @Test func readersSeeConsistentPrefixesWhileAppendsGoOn() throws {
        try withTemporaryDirectory { directory in
            let journal = try PrivateJournal(path: directory.journalPath, retention: .unlimited)
            let total: UInt64 = 2_000
            let appended = Atomic<UInt64>(0)
            let failures = Mutex<[String]>([])
            let writer = Thread {
                for sequence in 1...total {
                    do {
                        try journal.append(event("exec:a:", sequence, payloadSize: 64))
                        appended.store(sequence, ordering: .releasing)
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                        appended.store(total, ordering: .releasing)
                        return
                    }
                }
            }
            writer.start()

            var reads = 0
            var lastSeen: UInt64 = 0
            var prefixesHeld = true
            while true {
                let done = appended.load(ordering: .acquiring) == total
                let sequences = try journal.entries(topic: topic("exec:a:"), after: 0, limit: Int(total)).map(\.sequence)
                reads += 1
                let isPrefix = sequences.enumerated().allSatisfy { $0.element == UInt64($0.offset + 1) }
                prefixesHeld = prefixesHeld && isPrefix && UInt64(sequences.count) >= lastSeen
                lastSeen = UInt64(sequences.count)
                if done { break }
            }

            #expect(failures.withLock { $0 } == [])
            #expect(prefixesHeld)
            #expect(lastSeen == total)
            #expect(reads > 1)
        }
    }
}
