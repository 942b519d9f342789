import FixedPoint
import KrakenWire

/// One recorded WebSocket frame: when it arrived (Unix nanoseconds) and its text.
public struct CapturedFrame: Sendable, Equatable {
    public var timestampNs: Int64
    public var text: [UInt8]

    public init(timestampNs: Int64, text: [UInt8]) {
        self.timestampNs = timestampNs
        self.text = text
    }
}

/// Why a capture file cannot be replayed; names the line (1-based).
public struct CaptureError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "capture line \(line): \(reason)" }
}

/// The capture format the simulator replays: one frame per line, `<timestamp> <frame>`, where
/// the timestamp is Unix seconds with an optional fraction (`1732000000.123456`) or RFC 3339
/// (`2026-11-30T22:58:52.123456Z`) and the frame is the raw text as received (JSON never
/// contains a raw newline). Blank lines and lines starting with `#` are skipped. Timestamps
/// may not go backwards: a replay at recorded speed would have no meaning for them.
public enum CaptureFile {
    public static func parse(_ contents: [UInt8]) throws(CaptureError) -> [CapturedFrame] {
        var frames: [CapturedFrame] = []
        var lineNumber = 0
        var start = 0
        while start < contents.count {
            var end = start
            while end < contents.count, contents[end] != UInt8(ascii: "\n") { end += 1 }
            lineNumber += 1
            var line = contents[start..<end]
            start = end + 1
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            guard let first = line.first(where: { $0 != 0x20 && $0 != 0x09 }), first != UInt8(ascii: "#") else { continue }
            let frame = try parse(line: line, number: lineNumber)
            if let previous = frames.last, frame.timestampNs < previous.timestampNs {
                throw CaptureError(line: lineNumber, reason: "timestamp goes backwards")
            }
            frames.append(frame)
        }
        return frames
    }

    /// Writes frames in the format `parse` reads (Unix seconds with nine fraction digits).
    public static func line(_ frame: CapturedFrame) -> [UInt8] {
        let seconds = frame.timestampNs / 1_000_000_000
        let nanos = frame.timestampNs % 1_000_000_000
        let fraction = String(nanos)
        return Array("\(seconds).\(String(repeating: "0", count: 9 - fraction.count))\(fraction) ".utf8) + frame.text + [0x0A]
    }

    private static func parse(line: ArraySlice<UInt8>, number: Int) throws(CaptureError) -> CapturedFrame {
        let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 }
        guard let separator = trimmed.firstIndex(where: { $0 == 0x20 || $0 == 0x09 }) else {
            throw CaptureError(line: number, reason: "expected `<timestamp> <frame>`")
        }
        let stamp = Array(trimmed[trimmed.startIndex..<separator])
        let text = Array(trimmed[separator...].drop { $0 == 0x20 || $0 == 0x09 })
        guard !text.isEmpty else { throw CaptureError(line: number, reason: "no frame after the timestamp") }
        guard let timestamp = timestampNs(stamp) else {
            throw CaptureError(line: number, reason: "timestamp is neither Unix seconds nor RFC 3339")
        }
        return CapturedFrame(timestampNs: timestamp, text: text)
    }

    static func timestampNs(_ stamp: [UInt8]) -> Int64? {
        if stamp.contains(UInt8(ascii: "T")) {
            return stamp.withUnsafeBytes { RFC3339.nanoseconds($0) }
        }
        guard let seconds = try? stamp.withUnsafeBytes({ bytes throws(DecimalParseError) in try FixedDecimal(parsing: bytes) }),
              seconds.mantissa >= 0, seconds.scale <= 9
        else { return nil }
        var nanoseconds = seconds.mantissa
        for _ in Int(seconds.scale)..<9 {
            let (product, overflow) = nanoseconds.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            nanoseconds = product
        }
        return nanoseconds
    }
}
