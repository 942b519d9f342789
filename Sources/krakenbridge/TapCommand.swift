import ArgumentParser
import BridgeRuntime
import BusText
import Foundation
import Synchronization
import WireFormat
import ZeroMQ
import ZeroMQHub

/// Subscribes to a bus endpoint and prints every frame, checking sequences as it goes.
struct TapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tap",
        abstract: "Print the frames a bus endpoint publishes, checking per-topic sequences.",
        discussion: """
            Each line shows publish time, topic, sequence, message type, flags and the decoded
            payload with exact decimals. Gaps (lost messages) and malformed frames are reported
            on standard error and summarised at exit (after --count frames, or on Ctrl-C).
            """)

    @Option(help: "Endpoint to connect to, e.g. tcp://127.0.0.1:5555 (repeatable: market and account endpoints at once).")
    var connect: [String]

    @Option(name: .customLong("topic"), help: "Topic prefix to subscribe to (repeatable; default: everything).")
    var topics: [String] = []

    @Option(help: "Exit after this many frames.")
    var count: Int?

    @Flag(help: "Print one JSON object per frame instead of text.")
    var json = false

    @OptionGroup var curve: CurveClientOptions

    func run() async throws {
        let signals = await TerminationSignals.trap(for: "tap")
        let hub = try await ZMQHub.start(HubConfiguration(sockets: [
            .subscriber(
                name: "tap", connect: connect, topics: topics.isEmpty ? [[]] : topics.map { Array($0.utf8) },
                curve: try curve.security()),
        ]))
        let summary = TapSummary()
        let reading = LifecyclePart("tap", work: { [json, count] in
            var tracker = SequenceTracker()
            var seen = 0
            for await item in hub.inbound {
                guard case .message(_, let message) = item else { continue }
                seen += 1
                do {
                    let frame = try BusFrame(frames: message.frames)
                    if case .gap(let expected, let received) = tracker.observe(frame) {
                        printError("GAP \(frame.topic) expected #\(expected) received #\(received)")
                    }
                    printLine(json ? FrameFormatter.json(frame) : FrameFormatter.line(frame))
                } catch {
                    summary.recordMalformed()
                    printError("MALFORMED (\(message.frames.count) frames): \(error)")
                }
                summary.update(frames: seen, gaps: tracker.gaps, missing: tracker.missing)
                if let count, seen >= count { break }
            }
        })
        try await signals.run([LifecyclePart("subscriber") { await hub.shutdown() }, reading])
        printError(summary.text)
    }
}

/// What the tap saw, kept outside the reading task so the summary survives cancellation.
final class TapSummary: Sendable {
    private struct Counts {
        var frames = 0
        var gaps = 0
        var missing: UInt64 = 0
        var malformed = 0
    }

    private let counts = Mutex(Counts())

    func recordMalformed() { counts.withLock { $0.malformed += 1 } }

    func update(frames: Int, gaps: Int, missing: UInt64) {
        counts.withLock {
            $0.frames = frames
            $0.gaps = gaps
            $0.missing = missing
        }
    }

    var text: String {
        counts.withLock { "tap: \($0.frames) frames, \($0.gaps) gaps (\($0.missing) missing), \($0.malformed) malformed" }
    }
}
