import CaptureVerification
import Foundation
import KrakenCapture
import KrakenFeed
import KrakenRecorder
import KrakenSimulatorServer
import NIOCore
import SwiftProtobuf
import Testing
import WireFormat

/// What reaches subscribers, pinned: captures recorded from the simulator (Tests/KrakenFeedTests/
/// Golden/*.capture.jsonl) are replayed through the bridge's market feed, and the bus output is
/// compared line by line with a reviewed expected output (*.bus.txt). Any change in what a
/// subscriber receives — a digit, a scale, a sequence, a field — shows in review as a diff of
/// these files. `scripts/regen-golden.sh` records fresh captures and rewrites the outputs.
@Suite(.serialized) struct GoldenReplayTests {
    struct Case: Sendable, CustomStringConvertible {
        var version: ProtocolVersion
        var depth: Int
        var name: String { "\(version.rawValue)-depth\(depth)" }
        var description: String { name }
    }

    static let cases = [ProtocolVersion.v1, .v2].flatMap { version in [10, 100, 1000].map { Case(version: version, depth: $0) } }
    static let symbols = ["BTC/USD", "ETH/USD"]
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static var regenerating: Bool { ProcessInfo.processInfo.environment["KRAKENBRIDGE_REGENERATE_GOLDEN"] == "1" }

    @Test(arguments: cases)
    func theBusOutputOfARecordedCaptureIsTheReviewedOne(_ golden: Case) async throws {
        let captureFile = Self.folder.appendingPathComponent("\(golden.name).capture.jsonl")
        let outputFile = Self.folder.appendingPathComponent("\(golden.name).bus.txt")
        if Self.regenerating {
            try Data(try await Self.recordCapture(golden)).write(to: captureFile)
        }
        let capture = try Array(Data(contentsOf: captureFile))
        // The capture itself is exact: `krakenbridge verify` finds every checksum right.
        let report = try CaptureVerifier.verify(capture)
        #expect(report.passed && report.mismatches == 0 && report.unparsable == 0)
        #expect(report.books.map(\.symbol).sorted() == Self.symbols && report.verified > 20)
        let output = try await Self.replay(capture, golden)
        try Self.compare(output, with: outputFile)
        #expect(output.contains { $0.contains(" BookUpdate ") }, "the capture exercises book updates")
    }

    /// A fresh capture: books, trades, tickers and 1-minute candles of two pairs.
    static func recordCapture(_ golden: Case) async throws -> [UInt8] {
        var configuration = SimulatorServer.Configuration()
        configuration.tickInterval = .milliseconds(5)
        let simulator = try await SimulatorServer.start(configuration)
        var bytes: [UInt8] = []
        let plan = RecordingPlan(
            protocolVersion: golden.version, endpoint: FeedHarness.simulatorEndpoint(simulator.ports.public, golden.version),
            rest: RESTEndpoint(host: "127.0.0.1", port: simulator.ports.rest, secure: false), symbols: symbols, bookDepth: golden.depth,
            trades: true, tickers: true, ohlcIntervals: [1], duration: .seconds(30), maxFrames: 160)
        do {
            _ = try await CaptureRecorder.record(plan) { line in bytes += line }
        } catch {
            try? await simulator.shutdown()
            throw error
        }
        try await simulator.shutdown()
        return bytes
    }

    /// Replays the capture through a market feed configured like the recording and returns the
    /// bus output as text lines.
    static func replay(_ capture: [UInt8], _ golden: Case) async throws -> [String] {
        var plan = try ReplayPlan(capture: capture, speed: nil)
        // The bridge asks for everything the recorder asked for: frames are released by its
        // requests alone, never by the hold limit, however slow the machine is.
        plan.holdLimit = .seconds(600)
        var lines: [String] = []
        // The live markets behind the replay are not used: they tick once a minute.
        try await FeedHarness.run(golden.version, symbols: symbols, tickMilliseconds: 3_600_000, simulator: { $0.publicFeed = .replay(plan) }, feed: { feed in
            feed.bookDepth = golden.depth
            feed.tickers = true
            feed.ohlcIntervals = [1]
        }) { harness in
            lines = try await Self.busOutput(of: plan, harness) { try await harness.feed.diagnostics() }.compactMap(Self.line)
        }
        return lines
    }

    /// Everything on the bus once the feed (its `diagnostics`) has read every frame of the replay
    /// and the bus is quiet.
    static func busOutput(
        of plan: ReplayPlan, _ harness: FeedHarness, diagnostics: () async throws -> FeedDiagnostics
    ) async throws -> [BusRecorder.Received] {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await diagnostics().counters.frames < UInt64(plan.frames.count) {
            guard ContinuousClock.now < deadline else { throw HarnessFailure("the feed never read the whole capture") }
            try await Task.sleep(for: .milliseconds(10))
        }
        await harness.recorder.waitUntilQuiet(for: .milliseconds(300))
        return harness.recorder.all
    }

    /// Compares bus output lines with a reviewed file (rewriting it first when regenerating).
    static func compare(_ output: [String], with file: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        if regenerating {
            try Data(output.joined(separator: "\n").appending("\n").utf8).write(to: file)
        }
        let expected = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        #expect(output.count == expected.count, "\(output.count) lines on the bus, \(expected.count) expected", sourceLocation: sourceLocation)
        // The bus orders messages per topic; how topics interleave is timing (an AssetPairs
        // answer can overtake the first frame on a loaded machine). So the lines are compared
        // topic by topic, each topic's lines in the order they came.
        let got = byTopic(output)
        let wanted = byTopic(expected)
        if let index = zip(got, wanted).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("line \(index + 1) (grouped by topic) differs:\n  got      \(got[index])\n  expected \(wanted[index])",
                         sourceLocation: sourceLocation)
        }
    }

    /// The lines grouped by topic (the text before ` #`), topics sorted, each topic's lines in
    /// their original order.
    static func byTopic(_ lines: [String]) -> [String] {
        var order: [Substring] = []
        var groups: [Substring: [String]] = [:]
        for line in lines {
            let topic = line.prefix { $0 != " " }
            if groups[topic] == nil { order.append(topic) }
            groups[topic, default: []].append(line)
        }
        return order.sorted().flatMap { groups[$0]! }
    }

    /// One bus frame as a line: topic, sequence, payload in protobuf text format. Left out:
    /// heartbeats and connection states (timing), and fields that are receive or publish times.
    static func line(_ frame: BusRecorder.Received) -> String? {
        let text: String
        switch frame.payload {
        case .bookSnapshot(let message): text = "BookSnapshot " + message.textFormatString()
        case .bookUpdate(let message): text = "BookUpdate " + message.textFormatString()
        case .bookReset(let message): text = "BookReset " + message.textFormatString()
        case .bookTop(let message): text = "BookTop " + message.textFormatString()
        case .trade(let message): text = "Trade " + message.textFormatString()
        case .ticker(var message):
            message.timestampNs = 0
            text = "Ticker " + message.textFormatString()
        case .ohlc(let message): text = "Ohlc " + message.textFormatString()
        case .spread(let message): text = "Spread " + message.textFormatString()
        case .instrument(let message): text = "Instrument " + message.textFormatString()
        case .exchangeStatus(let message): text = "ExchangeStatus " + message.textFormatString()
        default: return nil
        }
        return "\(frame.topic) #\(frame.header.sequence) \(text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces))"
    }
}
