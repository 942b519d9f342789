import AccountJournal
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh directory for one test's journal files, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var journalPath: String { path + "/journal.sqlite" }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs `body` with a fresh directory, removing it afterwards whatever happens.
@discardableResult
func withTemporaryDirectory<T>(_ body: (TemporaryDirectory) throws -> T) throws -> T {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    return try body(directory)
}

/// An event with recognisable bytes: a 56-byte header and a payload that depend on the
/// topic and the sequence.
func event(_ topic: String, _ sequence: UInt64, recordedNs: Int64 = 1_000, payloadSize: Int = 200) -> JournalEntry {
    let seed = UInt8(truncatingIfNeeded: sequence)
    return JournalEntry(
        topic: Array(topic.utf8), sequence: sequence, messageType: UInt16(truncatingIfNeeded: 0x0100 + sequence),
        header: (0..<56).map { UInt8(truncatingIfNeeded: Int($0) &+ Int(seed)) },
        payload: (0..<payloadSize).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) },
        recordedNs: recordedNs)
}

func topic(_ name: String) -> [UInt8] { Array(name.utf8) }

func fileSize(_ path: String) -> UInt64 {
    var status = stat()
    return stat(path, &status) == 0 ? UInt64(status.st_size) : 0
}
