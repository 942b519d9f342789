import FixedPoint
import Foundation
import KrakenFeed
import KrakenSimulatorServer
import MarketFlow
import NIOHTTP1
import NIOPosix
import OrderBook
import SessionLifecycle
import Testing
import WireFormat

/// "Protocol v2 by default; v1 selectable (same events downstream)": two bridges, one reading
/// v2 and one reading v1, on the same simulated market. The market is paused while both
/// subscribe and then stepped by hand, so both connections see the same ticks, and what each
/// bridge publishes for those ticks is compared frame by frame.
@Suite(.serialized) struct ProtocolEquivalenceTests {
    private static let symbols = ["BTC/USD", "ETH/USD"]

    /// What a consumer can rely on whichever version the bridge reads, per frame: the topic and
    /// the payload, numbers by value (v2 writes `0.5` where v1 writes `"0.50000"`; each keeps its
    /// own digits on the bus). Left out: what v1 does not send (a trade id; a ticker's time,
    /// whose receive time stands in), what only v1 sends (the ticker's 24-hour trade count), and
    /// a book's checksum (Kraken's checksum of each version covers that version's digits).
    private static func downstream(_ frame: BusRecorder.Received) -> String? {
        switch frame.payload {
        case .bookSnapshot(let book):
            return "\(frame.topic) snapshot \(book.symbol) \(book.depth) \(book.generation) \(levels(book))"
        case .bookUpdate(let book):
            return "\(frame.topic) update \(book.symbol) \(book.depth) \(book.generation) \(levels(book))"
        case .bookReset(var reset):
            reset.expectedChecksum = 0
            reset.computedChecksum = 0
            return "\(frame.topic) \(reset)"
        case .trade(var trade):
            trade.tradeID = 0
            trade.price = canonical(trade.price)
            trade.qty = canonical(trade.qty)
            return "\(frame.topic) \(trade)"
        case .ticker(var ticker):
            ticker.timestampNs = 0
            ticker.trades24H = 0
            for field in [\KBTicker.bid, \.bidQty, \.ask, \.askQty, \.last, \.volume, \.vwap, \.low, \.high, \.change, \.changePct] {
                ticker[keyPath: field] = canonical(ticker[keyPath: field])
            }
            return "\(frame.topic) \(ticker)"
        case .ohlc(var candle):
            for field in [\KBOhlc.open, \.high, \.low, \.close, \.vwap, \.volume] {
                candle[keyPath: field] = canonical(candle[keyPath: field])
            }
            return "\(frame.topic) \(candle)"
        default:
            return nil
        }
    }

    /// Both sides' levels by value.
    private static func levels(_ book: some BookColumns) -> String {
        guard let levels = try? book.decodedLevels() else { return "malformed levels" }
        func text(_ side: [BookColumnLevel]) -> String {
            side.map { "\(canonical(KBDecimal($0.price)).text)×\(canonical(KBDecimal($0.quantity)).text)" }.joined(separator: " ")
        }
        return "bids[\(text(levels.bids))] asks[\(text(levels.asks))]"
    }

    /// The shortest digits of a value (`0.50000` → `0.5`).
    private static func canonical(_ decimal: KBDecimal) -> KBDecimal {
        var value = decimal
        while value.scale > 0, value.mantissa % 10 == 0 {
            value.mantissa /= 10
            value.scale -= 1
        }
        return value
    }

    /// Waits until every pair's book is live on the feed.
    private static func waitForBooks(_ feed: MarketFeed) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while try await feed.diagnostics().books.values.filter({ $0.phase == .live }).count < symbols.count {
            guard ContinuousClock.now < deadline else { throw HarnessFailure("books never became live") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func theSameMarketGivesTheSameFramesOverV1AndV2() async throws {
        let channels: (inout MarketFeedConfiguration) -> Void = { configuration in
            configuration.tickers = true
            configuration.ohlcIntervals = [1, 5]
        }
        try await FeedHarness.run(.v2, symbols: Self.symbols, feed: channels, beforeFeeds: AccountFeedTests.pausedAtStart) { harness in
            let v1Bus = try await TestBus.start()
            var configuration = FeedHarness.marketConfiguration(.v1, simulator: harness.simulator, symbols: Self.symbols)
            channels(&configuration)
            let v1Feed = try await MarketFeed.start(configuration, publisher: v1Bus.publisher, on: MultiThreadedEventLoopGroup.singleton.next())
            do {
                _ = try await harness.waitForFeed(.active)
                try await Self.waitForBooks(harness.feed)
                try await Self.waitForBooks(v1Feed)
                await harness.recorder.waitUntilQuiet()
                await v1Bus.recorder.waitUntilQuiet()
                let v2Start = harness.recorder.all.count
                let v1Start = v1Bus.recorder.all.count

                // One tick per call: a call's ticks reach each connection as one batch of frames.
                for _ in 0..<150 { try await harness.control(.POST, "/market/step", body: #"{"steps":1}"#) }
                await harness.recorder.waitUntilQuiet()
                await v1Bus.recorder.waitUntilQuiet()

                let v2Frames = harness.recorder.all.dropFirst(v2Start).compactMap(Self.downstream)
                let v1Frames = v1Bus.recorder.all.dropFirst(v1Start).compactMap(Self.downstream)
                let topics = Set(v2Frames.map { String($0.prefix { $0 != " " }) })
                #expect(topics.count == 2 * 5, "book, trade, ticker and two candle topics per pair: \(topics.sorted())")
                for topic in topics.sorted() {
                    let v2 = v2Frames.filter { $0.hasPrefix(topic + " ") }
                    let v1 = v1Frames.filter { $0.hasPrefix(topic + " ") }
                    #expect(v2.count >= 10, "\(topic): \(v2.count) frames")
                    let difference = zip(v1, v2).first { $0 != $1 }.map { "v1 \($0.0) / v2 \($0.1)" } ?? "none"
                    #expect(v1 == v2, "\(topic): \(v1.count) frames over v1, \(v2.count) over v2; first difference: \(difference)")
                }
                #expect(Set(v1Frames.map { String($0.prefix { $0 != " " }) }) == topics)
                #expect(sequenceViolations(harness.recorder.all) == [])
                #expect(sequenceViolations(v1Bus.recorder.all) == [])

                // Reference data and books agree too.
                let instruments = { (frames: [BusRecorder.Received]) -> [String: KBInstrument] in
                    var found: [String: KBInstrument] = [:]
                    for frame in frames { if case .instrument(var instrument) = frame.payload {
                        instrument.v1Name = ""
                        instrument.restName = ""
                        found[instrument.symbol] = instrument
                    } }
                    return found
                }
                #expect(instruments(v1Bus.recorder.all) == instruments(harness.recorder.all))
                let v2Books = try BusBooks.replay(harness.recorder.all)
                let v1Books = try BusBooks.replay(v1Bus.recorder.all)
                for symbol in Self.symbols {
                    #expect(v2Books.books[symbol]?.checksum == (try await harness.truthChecksum(symbol, version: .v2)))
                    #expect(v1Books.books[symbol]?.checksum == (try await harness.truthChecksum(symbol, version: .v1)))
                }
            } catch {
                try? await v1Feed.stop()
                await v1Bus.stop()
                throw error
            }
            try? await v1Feed.stop()
            await v1Bus.stop()
        }
    }
}
