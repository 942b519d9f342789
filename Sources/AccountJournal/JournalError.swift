import GRDB

/// Why a journal operation failed. Every failure of the journal surfaces as one of these;
/// none is ignored or turned into a crash.
public enum JournalError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or created (a directory, a missing parent, no permission).
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not an SQLite database.
    case notADatabase(path: String)
    /// The file is an SQLite database of something else; it is left untouched.
    case notAJournal(path: String)
    /// The file was written by a newer version of the journal, whose schema this one does not
    /// know; it is left untouched.
    case schemaTooNew(path: String, unknownMigrations: [String])
    /// An append whose sequence is not greater than the topic's last journaled sequence
    /// (`last` is 0 for a topic never journaled). Nothing was written.
    case sequenceNotIncreasing(topic: [UInt8], sequence: UInt64, last: UInt64)
    /// A sequence above `Int64.max`, which SQLite's integers cannot hold.
    case sequenceOutOfRange(topic: [UInt8], sequence: UInt64)
    /// The journal was closed.
    case closed
    /// SQLite failed (disk full, I/O error, a damaged file…): its extended result code and
    /// message.
    case ioFailure(code: Int32, message: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the journal at \(path): \(reason)"
        case .notADatabase(let path):
            "the journal at \(path) is not an SQLite database"
        case .notAJournal(let path):
            "\(path) is an SQLite database but not a journal"
        case .schemaTooNew(let path, let unknown):
            "the journal at \(path) was written by a newer version (unknown migrations: \(unknown.joined(separator: ", ")))"
        case .sequenceNotIncreasing(let topic, let sequence, let last):
            "sequence \(sequence) of topic \(Self.printable(topic)) is not greater than its last journaled sequence \(last)"
        case .sequenceOutOfRange(let topic, let sequence):
            "sequence \(sequence) of topic \(Self.printable(topic)) is above the journal's maximum \(Int64.max)"
        case .closed:
            "the journal is closed"
        case .ioFailure(let code, let message):
            "journal I/O failure (SQLite \(code)): \(message)"
        }
    }

    /// Topics are ASCII on the bus, but the journal takes any bytes.
    private static func printable(_ topic: [UInt8]) -> String {
        String(decoding: topic, as: UTF8.self).debugDescription
    }
}

extension JournalError {
    /// Runs GRDB work and translates what it throws: journal errors thrown inside pass
    /// through unchanged, SQLite's become the matching case.
    static func translating<T>(path: String, _ body: () throws -> T) throws(JournalError) -> T {
        do {
            return try body()
        } catch let error as JournalError {
            throw error
        } catch let error as DatabaseError {
            throw JournalError(error, path: path)
        } catch {
            throw .ioFailure(code: ResultCode.SQLITE_ERROR.rawValue, message: String(describing: error))
        }
    }

    init(_ error: DatabaseError, path: String) {
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_CANTOPEN: self = .cannotOpen(path: path, reason: message)
        case .SQLITE_NOTADB: self = .notADatabase(path: path)
        default: self = .ioFailure(code: error.extendedResultCode.rawValue, message: message)
        }
    }
}
