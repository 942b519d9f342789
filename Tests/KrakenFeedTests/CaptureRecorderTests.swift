import FixedPoint
import Foundation
import KrakenCapture
import KrakenFeed
import KrakenRecorder
import KrakenSimulatorServer
import KrakenWire
import NIOCore
import NIOPosix
import Synchronization
import Testing
import WebSocketTransport

/// `krakenbridge record` against the simulator: what Kraken sent, written down exactly.
@Suite struct CaptureRecorderTests {
    /// Records `frames` received frames of `version` from a fresh simulator.
    static func record(_ version: ProtocolVersion, frames: Int) async throws -> (bytes: [UInt8], summary: CaptureRecorder.Summary) {
        var configuration = SimulatorServer.Configuration()
        configuration.tickInterval = .milliseconds(20)
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

    /// Every text frame a client receives, collected by one consuming task (an AsyncStream has
    /// one consumer; a cancelled consumer would end it).
    final class FrameCollector: Sendable {
        private final class Store: Sendable {
            let frames = Mutex<[[UInt8]]>([])
        }

        private let store = Store()
        private let task: Task<Void, Never>

        init(_ client: WebSocketClient) {
            let store = store
            task = Task {
                for await event in client.events { if case .text(let text) = event { store.frames.withLock { $0.append(text) } } }
            }
        }

        deinit { task.cancel() }

        var received: [[UInt8]] { store.frames.withLock { $0 } }

        /// Waits until `count` frames arrived (checked every 10 ms), at most `timeout`.
        func wait(for count: Int, timeout: Duration) async -> [[UInt8]] {
            let deadline = ContinuousClock.now + timeout
            while received.count < count, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
            return received
        }
    }

    /// Serves `plan` and hands a connected v1 client to `body`.
    static func replaying(_ plan: ReplayPlan, _ body: (WebSocketClient) async throws -> Void) async throws {
        var configuration = SimulatorServer.Configuration()
        configuration.publicFeed = .replay(plan)
        let simulator = try await SimulatorServer.start(configuration)
        do {
            let client = try await WebSocketClient.connect(host: "127.0.0.1", port: simulator.ports.public, path: "/",
                                                           group: MultiThreadedEventLoopGroup.singleton)
            try await body(client)
            await client.close()
        } catch {
            try? await simulator.shutdown()
            throw error
        }
        try await simulator.shutdown()
    }

    @Test func aReplayedRecordingHoldsItsAnswersUntilTheClientHasSubscribedAsTheRecorderDid() async throws {
        let (bytes, _) = try await Self.record(.v1, frames: 60)
        let recording = try CaptureRecording.parse(bytes)
        let recorded = recording.receivedFrames.map(\.text)
        let requests = recording.events.filter { $0.direction == .sent }.map(\.text)
        #expect(requests.count == 3)
        var plan = try ReplayPlan(capture: bytes, speed: nil)
        plan.holdLimit = .seconds(60)
        try await Self.replaying(plan) { client in
            let collector = FrameCollector(client)
            // The greeting came before the recorder asked for anything; nothing else comes
            // while this client asks for nothing (300 ms is ample on loopback).
            #expect(await collector.wait(for: 2, timeout: .milliseconds(300)) == [recorded[0]])
            for request in requests { try await client.send(text: request) }
            #expect(await collector.wait(for: recorded.count, timeout: .seconds(20)) == recorded)
        }
    }

    @Test func aClientThatSubscribesToLessStillGetsTheWholeCaptureAfterTheHoldLimit() async throws {
        let (bytes, _) = try await Self.record(.v1, frames: 40)
        var plan = try ReplayPlan(capture: bytes, speed: nil)
        plan.holdLimit = .milliseconds(200)
        try await Self.replaying(plan) { client in
            let collector = FrameCollector(client)
            #expect(await collector.wait(for: 40, timeout: .seconds(20)) == plan.frames.map(\.text))
        }
    }
}
