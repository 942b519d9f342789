import Foundation
import KrakenFeed
import NIOHTTP1
import OrderBook
import SessionLifecycle
import Testing
import WireFormat

/// The market feed against the simulator, judged only by what a subscriber on the bus receives,
/// over each protocol version: the bus must not be able to tell them apart.
@Suite(.serialized) struct MarketFeedTests {
    private static func bookTopic(_ symbol: String) -> String { "book:\(symbol):10:" }

    @Test(arguments: ProtocolVersion.allCases)
    func booksOnTheBusEqualTheSimulatorsTruthWithContiguousSequences(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version) { harness in
            _ = try await harness.waitForFeed(.active)
            let arrived = await harness.recorder.wait { frames in
                ["BTC/USD", "ETH/USD"].allSatisfy { symbol in
                    frames.filter { $0.topic == Self.bookTopic(symbol) }.count > 50
                }
            }
            #expect(arrived)
            try await harness.control(.POST, "/market/pause")
            try await Task.sleep(for: .milliseconds(300))
            let frames = harness.recorder.all
            let books = try BusBooks.replay(frames)
            for symbol in ["BTC/USD", "ETH/USD"] {
                let book = try #require(books.books[symbol])
                #expect(book.checksum == (try await harness.truthChecksum(symbol)))
                #expect(books.events[Self.bookTopic(symbol)]?.first == "snapshot")
                #expect(books.events[Self.bookTopic(symbol)]?.contains("reset") == false)
            }
            #expect(sequenceViolations(frames) == [])
            #expect(frames.contains { $0.topic == "trade:BTC/USD:" })
            let instrument = try #require(frames.lazy.compactMap { frame -> KBInstrument? in
                if case .instrument(let pair) = frame.payload, pair.symbol == "BTC/USD" { pair } else { nil }
            }.first)
            #expect(instrument.pricePrecision == 1)
            #expect(instrument.qtyPrecision == 8)
            if version == .v1 {
                // From AssetPairs: the names v1 and REST use for the pair travel with it.
                #expect(instrument.v1Name == "XBT/USD")
                #expect(instrument.restName == "XXBTZUSD")
            }
            #expect(frames.allSatisfy { !$0.topic.contains("XBT") }, "the bus names pairs the v2 way only")
            #expect(harness.recorder.undecodableCount == 0)
            let diagnostics = try await harness.feed.diagnostics()
            #expect(diagnostics.counters.checksumFailures == 0)
            #expect(diagnostics.counters.malformedTotal == 0)
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func aCorruptChecksumResynchronisesOnlyThatSymbolWithTheResetFirst(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version) { harness in
            _ = try await harness.waitForFeed(.active)
            try await harness.control(.POST, "/faults", body: #"{"kind":"corrupt_checksum","symbol":"BTC/USD"}"#)
            let topic = Self.bookTopic("BTC/USD")
            let recovered = await harness.recorder.wait { frames in
                let events = frames.filter { $0.topic == topic }.map(\.payload)
                guard let reset = events.firstIndex(where: { if case .bookReset = $0 { true } else { false } }) else { return false }
                return events[reset...].contains { if case .bookSnapshot = $0 { true } else { false } }
            }
            #expect(recovered)
            try await harness.control(.POST, "/market/pause")
            try await Task.sleep(for: .milliseconds(300))
            let frames = harness.recorder.all
            let books = try BusBooks.replay(frames)
            let events = books.events[topic] ?? []
            let resetIndex = try #require(events.firstIndex(of: "reset"))
            #expect(events[resetIndex + 1] == "snapshot")
            #expect(events.filter { $0 == "reset" }.count == 1)
            let reset = try #require(frames.compactMap { frame -> KBBookReset? in
                guard case .bookReset(let reset) = frame.payload else { return nil }
                return reset
            }.first)
            #expect(reset.symbol == "BTC/USD")
            #expect(reset.reason == .checksumMismatch)
            #expect(reset.previousGeneration == 1)
            #expect(reset.generation == 2)
            #expect(books.generations["BTC/USD"] == 2)
            #expect(books.events[Self.bookTopic("ETH/USD")]?.contains("reset") == false)
            #expect(books.generations["ETH/USD"] == 1)
            for symbol in ["BTC/USD", "ETH/USD"] {
                #expect(books.books[symbol]?.checksum == (try await harness.truthChecksum(symbol)))
            }
            #expect(sequenceViolations(frames) == [])
            let diagnostics = try await harness.feed.diagnostics()
            #expect(diagnostics.counters.checksumFailures == 1)
            #expect(diagnostics.counters.reconnections == 0)
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func aDroppedConnectionIsReconnectedAndEveryBookResetThenResnapshot(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version) { harness in
            _ = try await harness.waitForFeed(.active)
            try await harness.control(.POST, "/faults", body: #"{"kind":"disconnect","target":"public"}"#)
            let recovered = await harness.recorder.wait { frames in
                ["BTC/USD", "ETH/USD"].allSatisfy { symbol in
                    let events = frames.filter { $0.topic == Self.bookTopic(symbol) }.map(\.payload)
                    guard let reset = events.firstIndex(where: { if case .bookReset = $0 { true } else { false } }) else { return false }
                    return events[reset...].contains { if case .bookSnapshot = $0 { true } else { false } }
                }
            }
            #expect(recovered)
            _ = try await harness.waitForFeed(.active)
            try await harness.control(.POST, "/market/pause")
            try await Task.sleep(for: .milliseconds(300))
            let frames = harness.recorder.all
            let books = try BusBooks.replay(frames)
            for symbol in ["BTC/USD", "ETH/USD"] {
                #expect(books.books[symbol]?.checksum == (try await harness.truthChecksum(symbol)))
                #expect(books.generations[symbol] == 2)
            }
            let resets = frames.compactMap { frame -> KBBookReset? in
                guard case .bookReset(let reset) = frame.payload else { return nil }
                return reset
            }
            #expect(resets.map(\.reason) == [.reconnect, .reconnect])
            // The connection topic tells the story.
            let states = frames.compactMap { frame -> KBConnectionState? in
                guard case .connectionStatus(let status) = frame.payload else { return nil }
                return status.state
            }
            let reconnecting = try #require(states.firstIndex(of: .reconnecting))
            #expect(Array(states[reconnecting...]) == [.reconnecting, .connecting, .connected, .subscribing, .active])
            #expect(sequenceViolations(frames) == [])
            let diagnostics = try await harness.feed.diagnostics()
            #expect(diagnostics.counters.reconnections == 1)
            // v1 reads names and precisions from AssetPairs at every connect.
            #expect(diagnostics.counters.assetPairsFetches == (version == .v1 ? 2 : 0))
        }
    }
}

/// Pairs added and removed while the feed runs.
@Suite(.serialized) struct RuntimePairTests {
    @Test(arguments: ProtocolVersion.allCases)
    func aConfiguredPairKrakenDoesNotListIsReportedUntilRemoved(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, symbols: ["BTC/USD", "FOO/BAR"]) { harness in
            _ = try await harness.waitForFeed(.active)
            #expect(try await harness.feed.diagnostics().unavailablePairs == ["FOO/BAR": "not in Kraken's instrument list"])
            #expect(try await harness.feed.remove(symbols: ["FOO/BAR"]).changed == ["FOO/BAR"])
            #expect(try await harness.feed.diagnostics().unavailablePairs == [:])
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func anAddedPairIsSubscribedAtOnceARemovedOneEndsWithAReset(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, symbols: ["BTC/USD"]) { harness in
            _ = try await harness.waitForFeed(.active)
            let added = try await harness.feed.add(symbols: ["ETH/USD", "FOO/BAR", "BTC/USD"])
            #expect(added.changed == ["ETH/USD"])
            #expect(added.refused == ["FOO/BAR": "not in Kraken's instrument list"])
            let ethArrived = await harness.recorder.wait { frames in
                frames.filter { $0.topic == "book:ETH/USD:10:" }.count > 20
            }
            #expect(ethArrived)

            let removed = try await harness.feed.remove(symbols: ["BTC/USD", "XRP/USD"])
            #expect(removed.changed == ["BTC/USD"])
            #expect(removed.refused == ["XRP/USD": "not subscribed"])
            #expect(try await harness.feed.symbols() == ["ETH/USD"])
            try await Task.sleep(for: .milliseconds(300))
            let afterRemoval = harness.recorder.all.count
            try await Task.sleep(for: .milliseconds(500))
            let frames = harness.recorder.all
            let btcBook = frames.filter { $0.topic == "book:BTC/USD:10:" }
            guard case .bookReset(let reset) = btcBook.last?.payload else {
                Issue.record("the removed book did not end with a reset")
                return
            }
            #expect(reset.reason == .operator)
            #expect(frames.dropFirst(afterRemoval).contains { $0.topic.contains("BTC/USD") } == false)
            #expect(frames.dropFirst(afterRemoval).contains { $0.topic == "book:ETH/USD:10:" })

            try await harness.control(.POST, "/market/pause")
            try await Task.sleep(for: .milliseconds(300))
            let books = try BusBooks.replay(harness.recorder.all)
            #expect(books.books["ETH/USD"]?.checksum == (try await harness.truthChecksum("ETH/USD")))
            #expect(sequenceViolations(harness.recorder.all) == [])
            let diagnostics = try await harness.feed.diagnostics()
            #expect(diagnostics.state == .active)
            #expect(diagnostics.books.keys.sorted() == ["ETH/USD"])
        }
    }

    @Test(arguments: ProtocolVersion.allCases)
    func aPairAddedRightAtStartArrivesWhateverStageTheConnectionIsIn(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, symbols: ["BTC/USD"]) { harness in
            let added = try await harness.feed.add(symbols: ["ETH/USD"])
            #expect(added.changed == ["ETH/USD"])
            _ = try await harness.waitForFeed(.active)
            let both = await harness.recorder.wait { frames in
                ["BTC/USD", "ETH/USD"].allSatisfy { symbol in frames.contains { $0.topic == "book:\(symbol):10:" } }
            }
            #expect(both)
        }
    }
}
