import FixedPoint
import Foundation
import KrakenCapture
import KrakenFeed
import KrakenRecorder
import KrakenSimulatorServer
import KrakenWire
import Testing

/// `krakenbridge record` against the simulator: what Kraken sent, written down exactly.
@Suite struct CaptureRecorderTests {
    /// Records `frames` received frames of `version` from a fresh simulator.
    static func record(_ version: ProtocolVersion, frames: Int) async throws -> (bytes: [UInt8], summary: CaptureRecorder.Summary) {
        var configuration = SimulatorServer.Configuration()
        configuration.tickInterval = .milliseconds(5)
        let simulator = try await SimulatorServer.start(configuration)
        var bytes: [UInt8] = []
        let plan = RecordingPlan(
            protocolVersion: version, endpoint: FeedHarness.simulatorEndpoint(simulator.ports.public, version),
            rest: RESTEndpoint(host: "127.0.0.1", port: simulator.ports.rest, secure: false), symbols: ["BTC/USD", "ETH/USD"],
            bookDepth: 10, trades: true, tickers: true, duration: .seconds(30), maxFrames: frames)
        do {
            let summary = try await CaptureRecorder.record(plan) { line in bytes += line }
            try await simulator.shutdown()
            return (bytes, summary)
        } catch {
            try? await simulator.shutdown()
            throw error
        }
    }

    @Test(arguments: [ProtocolVersion.v1, .v2])
    func aRecordingHoldsTheHeaderTheAssetPairsAnswerTheRequestsSentAndEveryFrameReceivedInOrder(version: ProtocolVersion) async throws {
        let (bytes, summary) = try await Self.record(version, frames: 200)
        #expect(summary.framesReceived == 200)
        #expect(summary.stoppedBy == "frames")
        #expect(summary.bytes == bytes.count)
        #expect(CaptureRecording.isRecording(bytes))

        let recording = try CaptureRecording.parse(bytes)
        #expect(recording.header.protocol == version.rawValue)
        #expect(recording.header.pairs == ["BTC/USD", "ETH/USD"])
        #expect(recording.header.bookDepth == 10)
        let assetPairs = try #require(recording.restBody(path: "/0/public/AssetPairs"))
        #expect(String(decoding: assetPairs, as: UTF8.self).contains(#""wsname":"XBT/USD""#))

        let sent = recording.events.filter { $0.direction == .sent }.map { String(decoding: $0.text, as: UTF8.self) }
        #expect(sent.count == (version == .v2 ? 4 : 3), "v2: instrument, book, trade, ticker; v1: book, trade, ticker")
        #expect(sent.allSatisfy { $0.contains("subscribe") })
        let received = recording.receivedFrames
        #expect(received.count == 200)
        #expect(zip(received, received.dropFirst()).allSatisfy { $0.timestampNs <= $1.timestampNs })

        // Every received frame is one the bridge's parser reads, with Kraken's digits intact.
        var books = 0
        for frame in received {
            switch version {
            case .v2:
                let message = try frame.text.withUnsafeBytes { bytes throws(WireError) in try V2Message(frame: bytes) }
                if case .book = message { books += 1 }
            case .v1:
                let message = try frame.text.withUnsafeBytes { bytes throws(WireError) in try V1Message(frame: bytes) }
                if case .book(let book) = message {
                    books += 1
                    if book.pair == "XBT/USD" { #expect((book.asks + book.bids).allSatisfy { $0.price.scale == 5 }) }
                }
            }
        }
        #expect(books > 20)
    }

    @Test func aRecordingReplaysItsReceivedFramesAndServesItsAssetPairsAnswer() async throws {
        let (bytes, _) = try await Self.record(.v1, frames: 50)
        let recording = try CaptureRecording.parse(bytes)
        let plan = try ReplayPlan(capture: bytes, speed: nil)
        #expect(plan.frames == recording.receivedFrames)
        #expect(plan.assetPairsBody == recording.restBody(path: "/0/public/AssetPairs"))
    }
}
