import FixedPoint
import KrakenWire
import MarketFlow
import OrderBook
import Testing
import WireFormat

/// BookKeeper: verify before publishing; on a mismatch publish a reset, never the bad book.
@Suite struct BookKeeperTests {
    private static let precision = InstrumentRegistry.Precision(priceScale: 1, quantityScale: 8)

    private static func level(_ price: String, _ quantity: String) -> PriceLevel {
        PriceLevel(price: try! FixedDecimal(price), quantity: try! FixedDecimal(quantity))
    }

    /// The checksum Kraken would send for `reference` after applying the same levels.
    private static func message(
        _ kind: MessageKind, bids: [PriceLevel], asks: [PriceLevel], reference: inout L2Book, corrupt: Bool = false
    ) throws -> V2BookMessage {
        if kind == .snapshot { reference.removeAll() }
        for level in bids { try reference.apply(price: level.price, quantity: level.quantity, side: .bid) }
        for level in asks { try reference.apply(price: level.price, quantity: level.quantity, side: .ask) }
        reference.truncate()
        return V2BookMessage(kind: kind, symbol: "BTC/USD", bids: bids, asks: asks,
                             checksum: corrupt ? reference.checksum ^ 1 : reference.checksum, timestampNs: 1)
    }

    private static func live() throws -> (BookKeeper, L2Book) {
        var reference = L2Book(depth: 10, priceScale: 1, quantityScale: 8)
        var keeper = BookKeeper(symbol: "BTC/USD", depth: 10, precision: precision)
        let snapshot = try message(.snapshot, bids: [level("45283.5", "0.1"), level("45283.4", "1.2")],
                                   asks: [level("45285.2", "0.00100000"), level("45286", "2")], reference: &reference)
        guard case .snapshot = keeper.apply(snapshot) else { throw Unexpected() }
        return (keeper, reference)
    }

    private struct Unexpected: Error {}

    @Test func levelsPushedBeyondTheDepthArePublishedAsExplicitDeletes() throws {
        var reference = L2Book(depth: 10, priceScale: 1, quantityScale: 8)
        var keeper = BookKeeper(symbol: "BTC/USD", depth: 10, precision: Self.precision)
        let bids = (0..<10).map { Self.level("\(45_000 - $0)", "1") }
        let asks = (0..<10).map { Self.level("\(45_100 + $0)", "1") }
        guard case .snapshot = keeper.apply(try Self.message(.snapshot, bids: bids, asks: asks, reference: &reference)) else {
            throw Unexpected()
        }
        var consumerBids = Dictionary(uniqueKeysWithValues: reference.bids.map { ($0.price, $0.quantity) })
        let insert = try Self.message(.update, bids: [Self.level("45000.5", "2")], asks: [Self.level("45099.5", "3")], reference: &reference)
        guard case .update(let update) = keeper.apply(insert) else { throw Unexpected() }
        #expect(update.bidPrice == [450_005, 449_910])
        #expect(update.bidQty == [200_000_000, 0])
        #expect(update.askPrice == [450_995, 451_090])
        #expect(update.askQty == [300_000_000, 0])
        // A consumer that only applies levels (no truncation of its own) keeps the exact book.
        for (price, quantity) in zip(update.bidPrice, update.bidQty) { consumerBids[price] = quantity == 0 ? nil : quantity }
        #expect(consumerBids.keys.sorted(by: >) == reference.bids.map(\.price))
    }

    @Test func aVerifiedSnapshotOpensGenerationOneWithTheFullBookAtThePairsScales() throws {
        var reference = L2Book(depth: 10, priceScale: 1, quantityScale: 8)
        var keeper = BookKeeper(symbol: "BTC/USD", depth: 10, precision: Self.precision)
        let snapshot = try Self.message(.snapshot, bids: [Self.level("45283.5", "0.1"), Self.level("45283.4", "1.2")],
                                        asks: [Self.level("45285.2", "0.001"), Self.level("45286", "2")], reference: &reference)
        guard case .snapshot(let published) = keeper.apply(snapshot) else {
            Issue.record("expected a snapshot")
            return
        }
        #expect(published.symbol == "BTC/USD")
        #expect(published.depth == 10)
        #expect(published.generation == 1)
        #expect(published.priceScale == 1)
        #expect(published.qtyScale == 8)
        #expect(published.bidPrice == [452_835, 452_834])
        #expect(published.bidQty == [10_000_000, 120_000_000])
        #expect(published.askPrice == [452_852, 452_860])
        #expect(published.askQty == [100_000, 200_000_000])
        #expect(published.checksum == reference.checksum)
        #expect(keeper.phase == .live)
    }

    @Test func aVerifiedUpdateIsPublishedAsTheDeltaKrakenSent() throws {
        var (keeper, reference) = try Self.live()
        let update = try Self.message(.update, bids: [Self.level("45283.5", "0")], asks: [Self.level("45285.1", "0.5")],
                                      reference: &reference)
        guard case .update(let published) = keeper.apply(update) else {
            Issue.record("expected an update")
            return
        }
        #expect(published.generation == 1)
        #expect(published.bidPrice == [452_835])
        #expect(published.bidQty == [0])
        #expect(published.askPrice == [452_851])
        #expect(published.askQty == [50_000_000])
        #expect(published.checksum == reference.checksum)
        #expect(keeper.book == reference)
    }

    @Test func aMismatchPublishesAResetAndNothingUntilTheNextSnapshot() throws {
        var (keeper, reference) = try Self.live()
        let bad = try Self.message(.update, bids: [Self.level("45283.3", "4")], asks: [], reference: &reference, corrupt: true)
        guard case .checksumMismatch(let reset) = keeper.apply(bad) else {
            Issue.record("expected a mismatch")
            return
        }
        #expect(reset.symbol == "BTC/USD")
        #expect(reset.previousGeneration == 1)
        #expect(reset.generation == 2)
        #expect(reset.reason == .checksumMismatch)
        #expect(reset.expectedChecksum == bad.checksum)
        #expect(reset.computedChecksum == reference.checksum)
        #expect(keeper.phase == .resynchronising)
        #expect(keeper.currentSnapshot() == nil)

        let later = try Self.message(.update, bids: [Self.level("45283.2", "1")], asks: [], reference: &reference)
        #expect(keeper.apply(later) == .ignored)

        let fresh = try Self.message(.snapshot, bids: [Self.level("45280", "1")], asks: [Self.level("45290", "1")], reference: &reference)
        guard case .snapshot(let snapshot) = keeper.apply(fresh) else {
            Issue.record("expected the new snapshot")
            return
        }
        #expect(snapshot.generation == 2)
        #expect(snapshot.bidPrice == [452_800])
        #expect(keeper.phase == .live)
    }

    @Test func updatesBeforeTheFirstSnapshotAreIgnored() throws {
        var reference = L2Book(depth: 10, priceScale: 1, quantityScale: 8)
        var keeper = BookKeeper(symbol: "BTC/USD", depth: 10, precision: Self.precision)
        let update = try Self.message(.update, bids: [Self.level("1", "1")], asks: [], reference: &reference)
        #expect(keeper.apply(update) == .ignored)
        #expect(keeper.generation == 0)
    }

    @Test func aSnapshotThatFailsItsChecksumIsNotPublished() throws {
        var reference = L2Book(depth: 10, priceScale: 1, quantityScale: 8)
        var keeper = BookKeeper(symbol: "BTC/USD", depth: 10, precision: Self.precision)
        let snapshot = try Self.message(.snapshot, bids: [Self.level("2", "1")], asks: [Self.level("3", "1")], reference: &reference,
                                        corrupt: true)
        guard case .checksumMismatch(let reset) = keeper.apply(snapshot) else {
            Issue.record("expected a mismatch")
            return
        }
        #expect(reset.previousGeneration == 0)
        #expect(reset.generation == 1)
        #expect(keeper.phase == .resynchronising)
    }

    @Test func moreDecimalsThanThePairAllowsIsTreatedLikeAMismatch() throws {
        var (keeper, _) = try Self.live()
        let message = V2BookMessage(kind: .update, symbol: "BTC/USD", bids: [Self.level("45283.55", "1")], asks: [], checksum: 0,
                                    timestampNs: nil)
        guard case .invalidLevel(let reset) = keeper.apply(message) else {
            Issue.record("expected invalidLevel")
            return
        }
        #expect(reset.generation == 2)
        #expect(keeper.phase == .resynchronising)
    }

    @Test func aDroppedConnectionResetsALiveBookOnce() throws {
        var (keeper, _) = try Self.live()
        let reset = keeper.invalidate(reason: .reconnect, detail: "connection lost")
        #expect(reset?.reason == .reconnect)
        #expect(reset?.previousGeneration == 1)
        #expect(reset?.generation == 2)
        #expect(keeper.invalidate(reason: .reconnect, detail: "again") == nil)
    }
}
