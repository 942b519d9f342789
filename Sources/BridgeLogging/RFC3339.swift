#if canImport(Glibc)
import Glibc
#endif

/// Timestamps for log lines, without Foundation's formatters.
enum RFC3339 {
    /// `2026-12-07T10:47:21.123Z` for Unix nanoseconds.
    static func millisecondsUTC(_ unixNs: Int64) -> String {
        var seconds = time_t(unixNs / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let milliseconds = Int((unixNs % 1_000_000_000) / 1_000_000)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }
}
