#if canImport(Glibc)
import Glibc
#endif
import Logging

/// The process's log handler: one line per event, JSON or text, to standard error (or any
/// sink), with events that carry a `kind` rate-limited per kind (`KindRateLimit`).
public struct BridgeLogHandler: LogHandler {
    public typealias Sink = @Sendable (String) -> Void

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public let label: String
    private let format: LogFormat
    private let rateLimit: KindRateLimit
    private let sink: Sink
    private let clock: @Sendable () -> Int64

    public init(
        label: String, format: LogFormat, level: Logger.Level = .info, rateLimit: KindRateLimit = KindRateLimit(),
        sink: @escaping Sink = BridgeLogHandler.standardError, clock: @escaping @Sendable () -> Int64 = BridgeLogHandler.wallClockNs
    ) {
        self.label = label
        self.format = format
        logLevel = level
        self.rateLimit = rateLimit
        self.sink = sink
        self.clock = clock
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let now = clock()
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        if let error = event.error { merged["error"] = .string("\(error)") }
        if case .string(let kind)? = merged["kind"] {
            // Per logger label and feed too: one feed's flood must not hide the other's lines.
            let key = "\(label) \(merged["feed"].map { "\($0)" } ?? "-") \(kind)"
            guard let suppressed = rateLimit.admit(kind: key, nowNs: now) else { return }
            if suppressed > 0 { merged["suppressed"] = .stringConvertible(suppressed) }
        }
        sink(LogLine.render(format, timeNs: now, level: event.level, label: label, message: event.message.description, metadata: merged))
    }

    /// Writes the line and its newline to file descriptor 2, in one call unless the kernel takes
    /// it in parts, so lines from several threads do not interleave (a pipe keeps writes of up to
    /// 4 KiB whole).
    public static let standardError: Sink = { line in
        let bytes = Array((line + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(2, $0.baseAddress! + written, $0.count - written) }
            if result > 0 { written += result } else if result < 0 && errno == EINTR { continue } else { return }
        }
    }

    public static let wallClockNs: @Sendable () -> Int64 = {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// Makes every `Logger` of the process write through this handler (once per process).
    public static func bootstrap(format: LogFormat, level: Logger.Level) {
        let rateLimit = KindRateLimit()
        LoggingSystem.bootstrap { label in BridgeLogHandler(label: label, format: format, level: level, rateLimit: rateLimit) }
    }

    /// Whether standard error is a terminal (for `LogFormat.automatic`).
    public static var standardErrorIsTerminal: Bool { isatty(2) == 1 }
}
