import FeedOutput
import Foundation
import KrakenFeed
import KrakenSimulatorServer
import NIOCore
import NIOPosix
import SessionLifecycle
import SwiftProtobuf
import Synchronization
import Testing
import WireFormat

/// A `BusSink` that keeps what it is given, numbering each topic as the bus does; it refuses
/// everything while `refusing` is set.
final class RecordingSink: BusSink {
    struct Published: Sendable {
        var topic: String
        var sequence: UInt64
        var type: KBMessageType
        var payload: [UInt8]
    }

    private let state = Mutex((published: [Published](), sequences: [Topic: UInt64](), refusing: false))

    var published: [Published] { state.withLock { $0.published } }

    func refuse(_ refusing: Bool) { state.withLock { $0.refusing = refusing } }

    func publish<M: BusPayloadMessage>(
        _ message: M, on topic: Topic, to endpoint: BusEndpoint, exchangeTimestampNs: Int64, receivedNs: Int64, extraFlags: FrameFlags
    ) -> UInt64? {
        guard let payload = try? message.serializedBytes() as [UInt8] else { return nil }
        return state.withLock { state in
            guard !state.refusing else { return nil }
            let sequence = state.sequences[topic, default: 0] + 1
            state.sequences[topic] = sequence
            state.published.append(Published(topic: topic.description, sequence: sequence, type: M.busMessageType, payload: payload))
            return sequence
        }
    }

    func state<M: BusPayloadMessage>(_ message: M, of topic: Topic, at sequence: UInt64, exchangeTimestampNs: Int64) -> BusFrame? {
        nil
    }

    func retire(_ topics: [Topic]) {}

    func currentSequence(of topic: Topic) -> UInt64 { state.withLock { $0.sequences[topic, default: 0] } }
}

/// The market feed's output judged at the `BusSink` seam: no hub, no socket, no libzmq.
@Suite(.serialized) struct RecordingSinkTests {
    private static func withFeed(_ sink: RecordingSink, _ body: (MarketFeed) async throws -> Void) async throws {
        var simulatorConfiguration = SimulatorServer.Configuration()
        simulatorConfiguration.tickInterval = .milliseconds(10)
        let simulator = try await SimulatorServer.start(simulatorConfiguration)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var configuration = MarketFeedConfiguration()
        configuration.connection.endpoints = [FeedEndpoint(host: "127.0.0.1", port: simulator.ports.public, path: "/v2", secure: false)]
        configuration.symbols = ["BTC/USD"]
        let feed = try await MarketFeed.start(configuration, publisher: sink, on: group.next())
        do {
            try await body(feed)
        } catch {
            Issue.record(error)
        }
        try? await feed.stop()
        try? await group.shutdownGracefully()
        try? await simulator.shutdown()
    }

    private static func waitUntil(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test("the connection's states, then the book's snapshot and updates, reach the sink in order")
    func statesThenBook() async throws {
        let sink = RecordingSink()
        try await Self.withFeed(sink) { _ in
            let booked = try await Self.waitUntil { sink.published.filter { $0.topic == "book:BTC/USD:10:" }.count > 5 }
            #expect(booked)
            let states = try sink.published.filter { $0.topic == "conn:public:" }.map { try KBConnectionStatus(serializedBytes: $0.payload).state }
            #expect(states == [.connecting, .connected, .subscribing, .active])
            let book = sink.published.filter { $0.topic == "book:BTC/USD:10:" }
            #expect(book.first?.type == .bookSnapshot)
            #expect(book.dropFirst().allSatisfy { $0.type == .bookUpdate })
            #expect(book.map(\.sequence) == Array(1...UInt64(book.count)))
        }
    }

    @Test("what the sink refuses is counted as the feed's publish failures, and the feed goes on")
    func refusalsAreCounted() async throws {
        let sink = RecordingSink()
        try await Self.withFeed(sink) { feed in
            let active = try await Self.waitUntil { try await feed.diagnostics().state == .active }
            #expect(active)
            sink.refuse(true)
            let refused = try await Self.waitUntil { try await feed.diagnostics().counters.publishFailures >= 10 }
            #expect(refused)
            sink.refuse(false)
            let before = sink.published.count
            let resumed = try await Self.waitUntil { sink.published.count > before + 10 }
            #expect(resumed)
            let state = try await feed.diagnostics().state
            #expect(state == .active)
        }
    }
}
