import Foundation
import KrakenFeed
import KrakenSimulatorServer
import NIOCore
import NIOHTTP1
import OrderBook
import SessionLifecycle
import Testing
import WireFormat

/// Each simulator fault kind that concerns a public feed, injected while the feed runs over
/// either protocol version; the verdict comes from the bus (books equal the simulator's truth, sequences contiguous) and
/// from the feed's counters.
@Suite(.serialized) struct FeedFaultTests {
    private static let symbols = ["BTC/USD", "ETH/USD"]

    /// Quick deadlines so faults are detected within a test's patience.
    private static func quickDeadlines(_ configuration: inout MarketFeedConfiguration) {
        configuration.connection.staleAfter = .milliseconds(2_500)
        configuration.connection.ackDeadline = .milliseconds(1_000)
        configuration.connection.quietAfter = .milliseconds(1_000)
        configuration.connection.maxFrameSize = 1 << 20
    }

    /// Pauses the market and checks that every book on the bus equals the simulator's truth.
    private static func expectBooksMatchTruth(_ harness: FeedHarness) async throws {
        _ = try await harness.waitForFeed(.active)
        try await harness.control(.POST, "/market/pause")
        try await Task.sleep(for: .milliseconds(400))
        let frames = harness.recorder.all
        let books = try BusBooks.replay(frames)
        for symbol in symbols {
            #expect(books.books[symbol]?.checksum == (try await harness.truthChecksum(symbol)), "book of \(symbol)")
        }
        #expect(sequenceViolations(frames) == [])
    }

    /// Waits until a reset followed by a snapshot appeared on every book topic after `index`.
    private static func waitForResync(_ harness: FeedHarness, after index: Int, symbols: [String] = symbols) async -> Bool {
        await harness.recorder.wait { frames in
            symbols.allSatisfy { symbol in
                let payloads = frames.dropFirst(index).filter { $0.topic == "book:\(symbol):10:" }.map(\.payload)
                guard let reset = payloads.firstIndex(where: { if case .bookReset = $0 { true } else { false } }) else { return false }
                return payloads[reset...].contains { if case .bookSnapshot = $0 { true } else { false } }
            }
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func aSilentHalfOpenConnectionIsDetectedAndReplaced(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, feed: {
            Self.quickDeadlines(&$0)
            $0.connection.quietAfter = .seconds(30)  // so the connection-level silence is what catches it
        }) { harness in
            _ = try await harness.waitForFeed(.active)
            let before = harness.recorder.all.count
            let started = ContinuousClock.now
            try await harness.control(.POST, "/faults", body: #"{"kind":"stall","target":"public","heartbeats":false}"#)
            #expect(await Self.waitForResync(harness, after: before))
            // Detection after 2.5 s of silence, then a reconnect (normally ~3.5 s in all). The
            // bound only has to rule out the other path, the 30 s data-quiet deadline: a
            // loaded machine may delay the liveness check, the reconnect and the resync.
            let elapsed = started.duration(to: .now)
            #expect(elapsed < .seconds(20), "detected and replaced after \(elapsed)")
            let counters = try await harness.feed.diagnostics().counters
            #expect(counters.staleConnections == 1)
            #expect(counters.reconnections == 1)
            try await Self.expectBooksMatchTruth(harness)
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func aStallThatKeepsHeartbeatsIsCaughtThroughTheQuietBooks(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, feed: Self.quickDeadlines) { harness in
            _ = try await harness.waitForFeed(.active)
            let before = harness.recorder.all.count
            try await harness.control(.POST, "/faults", body: #"{"kind":"stall","target":"public","heartbeats":true}"#)
            #expect(await Self.waitForResync(harness, after: before))
            let counters = try await harness.feed.diagnostics().counters
            #expect(counters.staleConnections == 0)
            #expect(counters.suspectSubscriptions >= 1)
            #expect(counters.ackTimeouts == 1)
            #expect(counters.reconnections == 1)
            try await Self.expectBooksMatchTruth(harness)
        }
    }

    /// Pings twice a second with a one-second deadline; quiet subscriptions are not looked at
    /// for ten minutes, so only the pings can catch a stall.
    private static func pingDeadlines(_ configuration: inout MarketFeedConfiguration) {
        configuration.connection.pingInterval = .milliseconds(500)
        configuration.connection.pongDeadline = .seconds(1)
        configuration.connection.quietAfter = .seconds(600)
    }

    @Test(arguments: ProtocolVersion.allCases)
    func aStallThatKeepsHeartbeatsIsCaughtByItsUnansweredPingsAndHealthSaysSoFirst(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, feed: Self.pingDeadlines) { harness in
            _ = try await harness.waitForFeed(.active)
            let before = harness.recorder.all.count
            try await harness.control(.POST, "/faults", body: #"{"kind":"stall","target":"public","heartbeats":true}"#)
            // Suspected while still active (the connection is not replaced yet).
            var suspicion: String?
            let deadline = ContinuousClock.now + .seconds(10)
            while suspicion == nil, ContinuousClock.now < deadline {
                let diagnostics = try await harness.feed.diagnostics()
                if diagnostics.state == .active { suspicion = diagnostics.suspicion }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(suspicion?.contains("ping unanswered") == true, "\(String(describing: suspicion))")
            #expect(await Self.waitForResync(harness, after: before))
            let counters = try await harness.feed.diagnostics().counters
            #expect(counters.pongTimeouts == 1)
            #expect(counters.staleConnections == 0 && counters.suspectSubscriptions == 0 && counters.ackTimeouts == 0)
            #expect(counters.reconnections == 1)
            #expect(try await harness.feed.diagnostics().suspicion == nil)
            try await Self.expectBooksMatchTruth(harness)
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func aQuietMarketWhosePingsAreAnsweredIsNeverReplaced(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, feed: Self.pingDeadlines) { harness in
            _ = try await harness.waitForFeed(.active)
            try await harness.control(.POST, "/market/pause")
            let pongs = try await harness.feed.diagnostics().counters.pongs
            // Eight pings' worth of a market that says nothing but its heartbeats.
            let deadline = ContinuousClock.now + .seconds(20)
            while try await harness.feed.diagnostics().counters.pongs < pongs + 8, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            let diagnostics = try await harness.feed.diagnostics()
            #expect(diagnostics.counters.pongs >= pongs + 8)
            #expect(diagnostics.counters.pongTimeouts == 0 && diagnostics.counters.reconnections == 0)
            #expect(diagnostics.state == .active && diagnostics.suspicion == nil)
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func malformedJSONIsCountedAndTheSessionContinues(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, feed: Self.quickDeadlines) { harness in
            _ = try await harness.waitForFeed(.active)
            try await harness.control(.POST, "/faults", body: #"{"kind":"malformed_json","target":"public"}"#)
            let deadline = ContinuousClock.now + .seconds(10)
            var counters = try await harness.feed.diagnostics().counters
            while counters.malformedTotal == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                counters = try await harness.feed.diagnostics().counters
            }
            #expect(counters.malformedTotal == 1)
            #expect(counters.reconnections == 0)
            #expect(try await harness.feed.recentLog().contains { $0.contains("malformed_frame") })
            try await Self.expectBooksMatchTruth(harness)
            #expect(try await harness.feed.diagnostics().counters.bookResets == 0)
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func anOversizedFrameIsCountedThenTheFeedReconnectsAndResynchronises(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, feed: Self.quickDeadlines) { harness in
            _ = try await harness.waitForFeed(.active)
            let before = harness.recorder.all.count
            try await harness.control(.POST, "/faults", body: #"{"kind":"oversized_frame","target":"public","bytes":2097152}"#)
            #expect(await Self.waitForResync(harness, after: before))
            let counters = try await harness.feed.diagnostics().counters
            #expect(counters.oversizedFrames == 1)
            #expect(counters.reconnections == 1)
            try await Self.expectBooksMatchTruth(harness)
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func exchangeStatusChangesArePublishedWithoutReconnecting(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, feed: Self.quickDeadlines) { harness in
            _ = try await harness.waitForFeed(.active)
            try await harness.control(.POST, "/faults", body: #"{"kind":"status","status":"maintenance"}"#)
            try await Task.sleep(for: .milliseconds(1_500))
            try await harness.control(.POST, "/faults", body: #"{"kind":"status","status":"online"}"#)
            let statuses: () -> [KBExchangeStatus] = {
                harness.recorder.all.compactMap { frame -> KBExchangeStatus? in
                    guard case .exchangeStatus(let status) = frame.payload else { return nil }
                    return status
                }
            }
            #expect(await harness.recorder.wait { _ in statuses().count >= 3 })
            #expect(statuses().map(\.system) == [.online, .maintenance, .online])
            #expect(statuses().map(\.rawSystem) == ["online", "maintenance", "online"])
            #expect(statuses().allSatisfy { $0.feed == "public" })
            let counters = try await harness.feed.diagnostics().counters
            // Markets pause in maintenance: quiet books are verified, but nothing reconnects.
            #expect(counters.reconnections == 0)
            try await Self.expectBooksMatchTruth(harness)
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func exceededMsgRateBacksOffReconnectsAndRecovers(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, feed: {
            Self.quickDeadlines(&$0)
            $0.connection.pingInterval = .milliseconds(300)
        }) { harness in
            _ = try await harness.waitForFeed(.active)
            let before = harness.recorder.all.count
            // The next request (the feed's periodic ping) is refused and the connection closed.
            try await harness.control(.POST, "/faults", body: #"{"kind":"rate_limit","count":1}"#)
            #expect(await Self.waitForResync(harness, after: before))
            let counters = try await harness.feed.diagnostics().counters
            #expect(counters.reconnections == 1)
            try await Self.expectBooksMatchTruth(harness)
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func repeatedDisconnectsAlwaysRecoverWithExactBooks(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, feed: Self.quickDeadlines) { harness in
            for round in 1...3 {
                _ = try await harness.waitForFeed(.active)
                let before = harness.recorder.all.count
                try await harness.control(.POST, "/faults", body: #"{"kind":"disconnect","target":"public","clean":\#(round == 2)}"#)
                #expect(await Self.waitForResync(harness, after: before), "round \(round)")
            }
            #expect(try await harness.feed.diagnostics().counters.reconnections == 3)
            try await Self.expectBooksMatchTruth(harness)
        }
    }
}

/// Endpoint failover behind circuit breakers.
@Suite(.serialized) struct FeedFailoverTests {
    @Test(arguments: ProtocolVersion.allCases)
    func aDeadFirstEndpointFailsOverToTheNextAndItsBreakerOpens(_ version: ProtocolVersion) async throws {
        // Port 1 on loopback refuses connections at once.
        try await FeedHarness.run(version, feed: { configuration in
            let simulator = configuration.connection.endpoints[0]
            configuration.connection.endpoints = [FeedEndpoint(host: "127.0.0.1", port: 1, path: simulator.path, secure: false), simulator]
            configuration.connection.backoffBase = .milliseconds(20)
        }) { harness in
            let path = version == .v2 ? "/v2" : "/"
            let diagnostics = try await harness.waitForFeed(.active)
            #expect(diagnostics.endpoint.hasSuffix(":\(harness.simulator.ports.public)\(path)"))
            // One failed attempt, then straight to the next endpoint.
            #expect(diagnostics.counters.connectFailures == 1)
            #expect(diagnostics.circuitBreakers.map(\.endpoint)
                == ["ws://127.0.0.1:1\(path)", "ws://127.0.0.1:\(harness.simulator.ports.public)\(path)"])
            #expect(diagnostics.circuitBreakers.last?.state == "closed")
            let arrived = await harness.recorder.wait { frames in frames.contains { $0.topic == "book:BTC/USD:10:" } }
            #expect(arrived)
        }
    }

    @Test func repeatedFailuresOpenTheBreakerSoTheDeadEndpointIsSkipped() async throws {
        try await FeedHarness.run(feed: { configuration in
            let simulator = configuration.connection.endpoints[0]
            configuration.connection.endpoints = [FeedEndpoint(host: "127.0.0.1", port: 1, path: "/v2", secure: false), simulator]
            configuration.connection.backoffBase = .milliseconds(10)
        }) { harness in
            _ = try await harness.waitForFeed(.active)
            // After each healthy session the list is tried from the top again; the dead first
            // endpoint fails each time until its breaker opens (5 failures), then it is skipped.
            func disconnectAndRecover() async throws {
                let before = try await harness.feed.diagnostics().counters.reconnections
                try await harness.control(.POST, "/faults", body: #"{"kind":"disconnect","target":"public"}"#)
                let deadline = ContinuousClock.now + .seconds(20)
                while try await harness.feed.diagnostics().counters.reconnections == before, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                }
                _ = try await harness.waitForFeed(.active)
            }
            var rounds = 0
            while try await harness.feed.diagnostics().counters.connectFailures < 5, rounds < 10 {
                try await disconnectAndRecover()
                rounds += 1
            }
            var diagnostics = try await harness.feed.diagnostics()
            #expect(diagnostics.counters.connectFailures == 5)
            #expect(diagnostics.circuitBreakers.first?.state == "open")
            // Open: the next reconnect goes straight to the live endpoint.
            try await disconnectAndRecover()
            diagnostics = try await harness.feed.diagnostics()
            #expect(diagnostics.counters.connectFailures == 5)
            #expect(diagnostics.circuitBreakers.last?.state == "closed")
        }
    }
}
