import KrakenFeed
import KrakenSimulator
import KrakenSimulatorServer
import NIOHTTP1
import OrderBook
import SessionLifecycle
import Testing
import WireFormat

/// A v1 book whose levels Kraken writes with different decimals, end to end: the simulator
/// writes every BTC/USD number whose mantissa is a multiple of 3 with three more decimals
/// (`65250.00000` next to `65249.70000000`), and its v1 checksums cover that text.
@Suite struct MixedDigitsFeedTests {
    @Test func aV1BookWhoseLevelsCarryDifferentDecimalsStaysExactAndTheBusListsEachLevelsScale() async throws {
        try await FeedHarness.run(.v1, simulator: { configuration in
            configuration.pairs = SimulatedPair.defaults.map { pair in
                var pair = pair
                if pair.symbol == "BTC/USD" { pair.v1Decimals.extraForSome = 3 }
                return pair
            }
        }) { harness in
            _ = try await harness.waitForFeed(.active)
            let arrived = await harness.recorder.wait { frames in
                frames.filter { $0.topic == "book:BTC/USD:10:" }.count > 60
            }
            #expect(arrived)
            try await harness.control(.POST, "/market/pause")
            await harness.recorder.waitUntilQuiet(for: .milliseconds(300))
            let frames = harness.recorder.all
            // Every published book state verifies, read with each level's own digits.
            let books = try BusBooks.replay(frames)
            let book = try #require(books.books["BTC/USD"])
            #expect(book.checksum == (try await harness.truthChecksum("BTC/USD")))
            #expect(books.events["book:BTC/USD:10:"]?.contains("reset") == false)
            #expect(Set(book.bids.map(\.priceScale) + book.asks.map(\.priceScale)) == [5, 8])
            // Messages mixing scales carry per-level ones; the message scale is the largest.
            let mixed = frames.compactMap { frame -> KBBookUpdate? in
                if case .bookUpdate(let update) = frame.payload, update.symbol == "BTC/USD", !update.bidPriceScales.isEmpty || !update.askPriceScales.isEmpty {
                    update
                } else { nil }
            }
            #expect(!mixed.isEmpty)
            #expect(mixed.allSatisfy { $0.priceScale == ($0.bidPriceScales + $0.askPriceScales).max() })
            #expect(mixed.allSatisfy { $0.qtyScale == ($0.bidQtyScales + $0.askQtyScales).max() })
            #expect(mixed.contains { Set($0.bidPriceScales + $0.askPriceScales) == [5, 8] })
        }
    }
}
