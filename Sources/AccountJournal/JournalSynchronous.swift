/// When a committed append is on disk; the journal always runs in WAL mode.
public enum JournalSynchronous: Sendable, Equatable {
    /// `synchronous=NORMAL`: an append survives a crash of the process; the last appends
    /// before a power loss or kernel crash can be lost (the journal stays consistent). WAL
    /// syncs only at checkpoints, so appends are cheap.
    case normal
    /// `synchronous=FULL`: an append also survives a power loss, at the cost of one fsync of
    /// the WAL per append.
    case full

    var pragmaValue: String {
        switch self {
        case .normal: "NORMAL"
        case .full: "FULL"
        }
    }
}
