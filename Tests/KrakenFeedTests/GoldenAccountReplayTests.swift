import Foundation
import HTTPTransport
import KrakenCapture
import KrakenFeed
import KrakenRecorder
import KrakenSimulatorServer
import NIOCore
import NIOHTTP1
import SwiftProtobuf
import Synchronization
import Testing
import WireFormat

/// What reaches strategies from the private feed, pinned like the market goldens: account
/// captures recorded from the simulator (`record --private`: executions and balances over v2,
/// ownTrades and openOrders over v1, with the REST answers of that connect) are replayed through
/// the bridge's account feed, and every execution report, fill and balance on the bus is compared
/// line by line with a reviewed file in Tests/KrakenFeedTests/Golden (*.bus.txt).
/// `scripts/regen-golden.sh` records fresh captures and rewrites the outputs.
@Suite(.serialized) struct GoldenAccountReplayTests {
    static let folder = GoldenReplayTests.folder

    static func name(_ version: ProtocolVersion) -> String { "\(version.rawValue)-account" }

    @Test(arguments: ProtocolVersion.allCases)
    func theAccountBusOutputOfARecordedCaptureIsTheReviewedOne(_ version: ProtocolVersion) async throws {
        let captureFile = Self.folder.appendingPathComponent("\(Self.name(version)).capture.jsonl")
        let outputFile = Self.folder.appendingPathComponent("\(Self.name(version)).bus.txt")
        if GoldenReplayTests.regenerating {
            try Data(try await Self.recordCapture(version)).write(to: captureFile)
        }
        let capture = try Array(Data(contentsOf: captureFile))
        let recording = try CaptureRecording.parse(capture)
        #expect(recording.header.isAccount)
        let recordedTokens = String(decoding: capture, as: UTF8.self).components(separatedBy: #"token\":\""#).dropFirst()
        #expect(!recordedTokens.isEmpty && recordedTokens.allSatisfy { $0.hasPrefix("REDACTED") }, "the token is never recorded")
        let output = try await Self.replay(capture, version)
        try GoldenReplayTests.compare(output, with: outputFile)
        // The capture covers what matters: snapshot state, then new orders and fills as they happen.
        #expect(output.contains { $0.contains(" Fill ") }, "the capture holds fills")
        #expect(output.contains { $0.contains("order_status: ORDER_STATUS_NEW") && !$0.contains("from_snapshot: true") }, "and orders placed while recording")
        if version == .v2 { #expect(output.contains { $0.hasPrefix("balance:") }, "v2 has balances") }
        // Every fill Kraken streamed after the snapshot is on the bus once, in order.
        let busFills = output.filter { $0.hasPrefix("fill:") }.compactMap { $0.firstMatch(of: /fill_id: "([^"]+)"/).map { String($0.1) } }
        #expect(busFills == Self.streamedFillIDs(recording, version))
    }

    /// The ids of the fills the capture's private stream reported after its snapshot: v2
    /// `exec_type` trade in `executions` updates, v1 trades of every `ownTrades` frame but the first.
    static func streamedFillIDs(_ recording: CaptureRecording, _ version: ProtocolVersion) -> [String] {
        var ids: [String] = []
        var ownTradesFrames = 0
        for frame in recording.receivedFrames {
            let json = try? JSONSerialization.jsonObject(with: Data(frame.text))
            if version == .v2, let message = json as? [String: Any], message["channel"] as? String == "executions",
               message["type"] as? String == "update", let reports = message["data"] as? [[String: Any]] {
                ids += reports.filter { $0["exec_type"] as? String == "trade" }.compactMap { $0["exec_id"] as? String }
            }
            if version == .v1, let message = json as? [Any], message.count >= 2, message[1] as? String == "ownTrades",
               let trades = message[0] as? [[String: Any]] {
                ownTradesFrames += 1
                if ownTradesFrames > 1 { ids += trades.flatMap(\.keys) }
            }
        }
        return ids
    }

    /// A fresh account capture: the account trades for a while, then stands still while the
    /// recorder subscribes and fetches the REST answers (so they agree with the snapshots), then
    /// trades again until the recorder has 120 frames.
    static func recordCapture(_ version: ProtocolVersion) async throws -> [UInt8] {
        var configuration = SimulatorServer.Configuration()
        configuration.tickInterval = .milliseconds(5)
        configuration.seed = 21
        let simulator = try await SimulatorServer.start(configuration)
        func control(_ path: String) async throws {
            _ = try await HTTPClient.request(method: .POST, host: "127.0.0.1", port: simulator.ports.control, path: path)
        }
        let lines = CapturedLines()
        do {
            try await Task.sleep(for: .milliseconds(400))
            try await control("/market/pause")
            let plan = RecordingPlan(
                protocolVersion: version, endpoint: FeedHarness.simulatorEndpoint(simulator.ports.private, version),
                rest: RESTEndpoint(host: "127.0.0.1", port: simulator.ports.rest, secure: false), symbols: [],
                duration: .seconds(30), maxFrames: 120, credentials: SimulatorServer.demoCredentials)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try await CaptureRecorder.record(plan) { line in lines.bytes.withLock { $0 += line } } }
                let deadline = ContinuousClock.now + .seconds(20)
                while !lines.bytes.withLock({ String(decoding: $0, as: UTF8.self).contains("/0/private/OpenOrders") }) {
                    guard ContinuousClock.now < deadline else { throw HarnessFailure("the recorder never reconciled") }
                    try await Task.sleep(for: .milliseconds(10))
                }
                try await control("/market/resume")
                try await group.waitForAll()
            }
        } catch {
            try? await simulator.shutdown()
            throw error
        }
        try await simulator.shutdown()
        return lines.bytes.withLock { $0 }
    }

    /// Replays the capture through an account feed (the market feed beside it reads a market
    /// that stands still) and returns the account topics' bus output as text lines.
    static func replay(_ capture: [UInt8], _ version: ProtocolVersion) async throws -> [String] {
        var plan = try ReplayPlan(capture: capture, speed: nil)
        plan.holdLimit = .seconds(600)
        var lines: [String] = []
        try await FeedHarness.run(
            version, symbols: ["BTC/USD"], tickMilliseconds: 3_600_000, withAccount: true, simulator: { $0.accountReplay = plan },
            account: { $0.silentOrderAfter = .seconds(3_600) }
        ) { harness in
            guard let account = harness.account else { throw HarnessFailure("no account feed") }
            lines = try await GoldenReplayTests.busOutput(of: plan, harness) { try await account.diagnostics() }.compactMap(Self.line)
            // The first connect's reconciliation ran on the recorded answers, and found them all.
            let counters = try await account.diagnostics().counters
            let log = try await account.recentLog()
            #expect(counters.reconciliations >= 1 && counters.restFailures == 0, "\(log)")
        }
        return lines
    }

    /// One account frame as a line: topic, sequence, flags, payload in protobuf text format.
    static func line(_ frame: BusRecorder.Received) -> String? {
        let text: String
        switch frame.payload {
        case .executionReport(let message): text = "ExecutionReport " + message.textFormatString()
        case .fill(let message): text = "Fill " + message.textFormatString()
        case .balance(let message): text = "Balance " + message.textFormatString()
        default: return nil
        }
        return "\(frame.topic) #\(frame.header.sequence) flags \(frame.header.flags.rawValue) "
            + text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
    }
}

/// The lines a recorder wrote, read by the test while it records.
private final class CapturedLines: Sendable {
    let bytes = Mutex<[UInt8]>([])
}
