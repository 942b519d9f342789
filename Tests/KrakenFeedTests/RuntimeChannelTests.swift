import BusPublishing
import Foundation
import KrakenFeed
import NIOHTTP1
import OrderBook
import SessionLifecycle
import Testing
import WireFormat

/// Channels of single pairs change while the feed runs; the best-N view follows verified books.
@Suite(.serialized) struct RuntimeChannelTests {
    @Test(arguments: ProtocolVersion.allCases)
    func channelsOfOnePairAreSubscribedAndUnsubscribedWhileRunning(_ version: ProtocolVersion) async throws {
        try await FeedHarness.run(version, symbols: ["BTC/USD", "ETH/USD"]) { harness in
            _ = try await harness.waitForFeed(.active)
            let ticker = try await harness.feed.subscribe(ChannelChange(channels: [.ticker], symbols: ["BTC/USD"]))
            #expect(ticker.changed == ["BTC/USD"])
            #expect(await harness.recorder.wait { frames in frames.filter { $0.topic == "ticker:BTC/USD:" }.count >= 3 })
            let listed = try await harness.feed.subscriptions()
            #expect(listed.map(\.symbol) == ["BTC/USD", "ETH/USD"])
            #expect(listed[0].channels == SymbolChannels(bookDepth: 10, trades: true, ticker: true))
            #expect(listed[1].channels == SymbolChannels(bookDepth: 10, trades: true))

            let dropped = try await harness.feed.unsubscribe(ChannelChange(channels: [.ticker], symbols: ["BTC/USD", "ETH/USD"]))
            #expect(dropped.changed == ["BTC/USD"])
            #expect(dropped.refused == ["ETH/USD": "none of these channels is subscribed"])
            try await Task.sleep(for: .milliseconds(300))
            let tickersBefore = harness.recorder.all.filter { $0.topic == "ticker:BTC/USD:" }.count
            try await Task.sleep(for: .milliseconds(500))
            #expect(harness.recorder.all.filter { $0.topic == "ticker:BTC/USD:" }.count == tickersBefore, "no ticker after unsubscribe")

            let deeper = try await harness.feed.subscribe(ChannelChange(channels: [.book], symbols: ["ETH/USD"], depth: 25))
            #expect(deeper.changed == ["ETH/USD"])
            #expect(await harness.recorder.wait { frames in frames.contains { $0.topic == "book:ETH/USD:25:" } })
            let shallow = harness.recorder.all.filter { $0.topic == "book:ETH/USD:10:" }
            guard case .bookReset(let reset) = shallow.last?.payload else {
                Issue.record("the depth-10 book did not end with a reset")
                return
            }
            #expect(reset.reason == .operator)

            let emptied = try await harness.feed.unsubscribe(ChannelChange(channels: [.book, .trade], symbols: ["BTC/USD"]))
            #expect(emptied.changed == ["BTC/USD"])
            #expect(try await harness.feed.symbols() == ["ETH/USD"], "a pair left with no channel is removed")

            try await harness.control(.POST, "/market/pause")
            await harness.recorder.waitUntilQuiet()
            let books = try BusBooks.replay(harness.recorder.all)
            #expect(books.books["ETH/USD"]?.depth == 25)
            #expect(books.books["ETH/USD"]?.checksum == (try await harness.truthChecksum("ETH/USD", depth: 25)))
            #expect(sequenceViolations(harness.recorder.all) == [])
        }
    }

    @Test func theTopViewIsTheVerifiedBookAtItsSequenceAndRateLimited() async throws {
        try await FeedHarness.run(symbols: ["BTC/USD"], feed: { $0.bookTop = BookTopSettings(levels: 3, minimumIntervalNs: 50_000_000) }) { harness in
            _ = try await harness.waitForFeed(.active)
            #expect(await harness.recorder.wait { frames in frames.filter { $0.topic == "top:BTC/USD:3:" }.count >= 10 })
            try await harness.control(.POST, "/market/pause")
            await harness.recorder.waitUntilQuiet()

            var books = BusBooks()
            var bookSequence: UInt64 = 0
            var lastTopNs: Int64?
            var tops = 0
            var afterSnapshot = false
            for frame in harness.recorder.all {
                if frame.topic == "book:BTC/USD:10:" {
                    try books.apply(frame)
                    bookSequence = frame.header.sequence
                    if case .bookSnapshot = frame.payload { afterSnapshot = true } else { afterSnapshot = false }
                }
                guard case .bookTop(let top) = frame.payload else { continue }
                tops += 1
                #expect(top.bookSequence == bookSequence, "the top follows the book update it reflects")
                let book = try #require(books.books["BTC/USD"])
                #expect(top.bidPrice == book.bids.prefix(3).map(\.price))
                #expect(top.bidQty == book.bids.prefix(3).map(\.quantity))
                #expect(top.askPrice == book.asks.prefix(3).map(\.price))
                #expect(top.askQty == book.asks.prefix(3).map(\.quantity))
                // A fresh snapshot always gets its top at once; otherwise one per interval at most.
                if let lastTopNs, !afterSnapshot {
                    #expect(frame.header.receiveTimestampNs - lastTopNs >= 50_000_000, "at most one top per interval")
                }
                lastTopNs = frame.header.receiveTimestampNs
            }
            #expect(tops >= 10)
            let updates = harness.recorder.all.filter { if case .bookUpdate = $0.payload { true } else { false } }.count
            #expect(tops < updates, "tops are rate-limited below the update rate (\(tops) tops, \(updates) updates)")
        }
    }

    @Test func aBookOnlyPairChangingDepthStaysKeptAndComesBackAfterAReconnect() async throws {
        try await FeedHarness.run(symbols: ["BTC/USD"]) { harness in
            _ = try await harness.waitForFeed(.active)
            #expect(try await harness.feed.subscribe(ChannelChange(channels: [.book], symbols: ["ETH/USD"])).changed == ["ETH/USD"])
            #expect(await harness.recorder.wait { frames in frames.contains { $0.topic == "book:ETH/USD:10:" } })
            #expect(try await harness.feed.subscribe(ChannelChange(channels: [.book], symbols: ["ETH/USD"], depth: 25)).changed == ["ETH/USD"])
            #expect(try await harness.feed.symbols() == ["BTC/USD", "ETH/USD"])
            let listed = try await harness.feed.subscriptions().first { $0.symbol == "ETH/USD" }
            #expect(listed?.channels == SymbolChannels(bookDepth: 25))
            #expect(await harness.recorder.wait { frames in frames.contains { $0.topic == "book:ETH/USD:25:" } })
            #expect(try await harness.feed.subscriptions().first { $0.symbol == "ETH/USD" }?.states == ["book": .active])
            #expect(try await harness.feed.bookStates(prefix: Array("book:ETH/USD:".utf8)).map(\.topic.description) == ["book:ETH/USD:25:"])

            let refused = try await harness.feed.unsubscribe(ChannelChange(channels: [.book], symbols: ["ETH/USD"], depth: 10))
            #expect(refused.refused == ["ETH/USD": "none of these channels is subscribed"], "a depth names the book to drop")

            try await harness.control(.POST, "/faults", body: #"{"kind":"disconnect","target":"public"}"#)
            let before = harness.recorder.all.count
            #expect(await harness.recorder.wait { frames in
                frames.dropFirst(before).contains { if case .bookSnapshot = $0.payload { $0.topic == "book:ETH/USD:25:" } else { false } }
            }, "resubscribed after the reconnect")
        }
    }

    @Test func aBookThatComesBackOnItsTopicContinuesItsGenerationsAndARemovedPairLeavesNoState() async throws {
        try await FeedHarness.run(symbols: ["BTC/USD", "ETH/USD"]) { harness in
            _ = try await harness.waitForFeed(.active)
            #expect(await harness.recorder.wait { frames in frames.contains { $0.topic == "book:ETH/USD:10:" } })
            _ = try await harness.feed.remove(symbols: ["ETH/USD"])
            try await Task.sleep(for: .milliseconds(200))
            #expect(harness.publisher.lastValues(prefix: Array("instrument:ETH/USD:".utf8)).isEmpty, "its instrument is retired too")
            let reset = harness.recorder.all.last { $0.topic == "book:ETH/USD:10:" }
            guard case .bookReset(let removal) = reset?.payload else {
                Issue.record("the removed book did not end with a reset")
                return
            }
            _ = try await harness.feed.add(symbols: ["ETH/USD"])
            let comeback = await harness.recorder.wait { frames in
                frames.contains { if case .bookSnapshot = $0.payload { $0.topic == "book:ETH/USD:10:" && $0.header.sequence > reset!.header.sequence } else { false } }
            }
            #expect(comeback)
            let snapshot = harness.recorder.all.last { if case .bookSnapshot = $0.payload { $0.topic == "book:ETH/USD:10:" } else { false } }
            guard case .bookSnapshot(let again) = snapshot?.payload else { return }
            #expect(again.generation > removal.generation, "generation \(again.generation) after the reset announced \(removal.generation)")
            #expect(sequenceViolations(harness.recorder.all) == [])
        }
    }

    @Test func aResetBookEmptiesItsTopViewAtOnce() async throws {
        try await FeedHarness.run(symbols: ["BTC/USD"], feed: { $0.bookTop = BookTopSettings(levels: 3, minimumIntervalNs: 50_000_000) }) { harness in
            _ = try await harness.waitForFeed(.active)
            #expect(await harness.recorder.wait { frames in frames.contains { $0.topic == "top:BTC/USD:3:" } })
            try await harness.control(.POST, "/faults", body: #"{"kind":"corrupt_checksum","symbol":"BTC/USD"}"#)
            #expect(await harness.recorder.wait { frames in frames.contains { if case .bookReset = $0.payload { true } else { false } } })
            let frames = harness.recorder.all
            let resetIndex = try #require(frames.firstIndex { if case .bookReset = $0.payload { true } else { false } })
            guard case .bookReset(let reset) = frames[resetIndex].payload else { return }
            let top = frames[(resetIndex + 1)...].first { $0.topic == "top:BTC/USD:3:" }
            guard case .bookTop(let empty) = top?.payload else {
                Issue.record("no top view after the reset")
                return
            }
            #expect(empty.bidPrice.isEmpty && empty.askPrice.isEmpty)
            #expect(empty.generation == reset.generation)
            #expect(empty.bookSequence == frames[resetIndex].header.sequence)
        }
    }
}
