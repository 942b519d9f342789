import Synchronization

/// At most `perKindPerMinute` lines of each kind (the `kind` metadata value) a minute, so a
/// flood of bad frames cannot turn into a flood of log lines. What is held back is counted and
/// reported with the next line of that kind that goes out. Shared by every handler of a process.
public final class KindRateLimit: Sendable {
    private struct Window {
        var startNs: Int64
        var written: Int
        var suppressed: Int
    }

    public let perKindPerMinute: Int
    private let windows = Mutex<[String: Window]>([:])

    public init(perKindPerMinute: Int = 5) {
        self.perKindPerMinute = perKindPerMinute
    }

    /// nil when this line is held back; otherwise how many of its kind were held back since the
    /// last one that went out.
    public func admit(kind: String, nowNs: Int64) -> Int? {
        windows.withLock { windows in
            var window = windows[kind] ?? Window(startNs: nowNs, written: 0, suppressed: 0)
            if nowNs - window.startNs >= 60_000_000_000 { window = Window(startNs: nowNs, written: 0, suppressed: window.suppressed) }
            defer { windows[kind] = window }
            guard window.written < perKindPerMinute else {
                window.suppressed += 1
                return nil
            }
            let suppressed = window.suppressed
            window.written += 1
            window.suppressed = 0
            return suppressed
        }
    }
}
