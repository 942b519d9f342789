#if canImport(Glibc)
import Glibc
#endif

/// Writes diagnostic lines to stderr, at most `perKindPerMinute` of each kind per minute (the
/// rest are only counted, and the count is reported with the next line that goes out), so a
/// flood of bad frames cannot turn into a flood of log lines.
struct BoundedLog {
    private struct Window {
        var startNs: Int64
        var written: Int
        var suppressed: Int
    }

    let prefix: String
    let perKindPerMinute: Int
    private var windows: [String: Window] = [:]
    /// Lines written (tests read it; stderr is not captured).
    private(set) var lines: [String] = []
    var echo = true

    init(prefix: String, perKindPerMinute: Int = 5) {
        self.prefix = prefix
        self.perKindPerMinute = perKindPerMinute
    }

    mutating func write(kind: String, _ message: @autoclosure () -> String, nowNs: Int64) {
        var window = windows[kind] ?? Window(startNs: nowNs, written: 0, suppressed: 0)
        if nowNs - window.startNs >= 60_000_000_000 { window = Window(startNs: nowNs, written: 0, suppressed: window.suppressed) }
        guard window.written < perKindPerMinute else {
            window.suppressed += 1
            windows[kind] = window
            return
        }
        var line = "\(prefix) \(kind): \(message())"
        if window.suppressed > 0 { line += " (\(window.suppressed) similar suppressed)" }
        window.written += 1
        window.suppressed = 0
        windows[kind] = window
        if lines.count >= 256 { lines.removeFirst(128) }
        lines.append(line)
        if echo {
            let text = line + "\n"
            _ = text.withCString { Glibc.write(2, $0, strlen($0)) }
        }
    }
}
