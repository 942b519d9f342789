import FixedPoint
import KrakenWire
import MarketFlow
import OrderBook
import Testing
import WireFormat

/// BookKeeper fed v1 `book-<depth>` messages: the same verification and the same payloads as
/// v2. v1's checksum is the same CRC32 over the same digits, but only updates carry one.
@Suite struct V1BookKeeperTests {
    /// The pair of Kraken's official v1 checksum example: 5 price and 8 volume decimals.
    private static let precision = InstrumentRegistry.Precision(priceScale: 5, quantityScale: 8)

    private static func message(_ frame: String) throws -> V1BookMessage {
        let message = try Array(frame.utf8).withUnsafeBytes { bytes throws(WireError) in try V1Message(frame: bytes) }
        guard case .book(let book) = message else { throw Unexpected() }
        return book
    }

    private struct Unexpected: Error {}

    /// The book state of Kraken's official v1 example (asks 0.05005…0.05050, bids
    /// 0.05000…0.04950, every volume 0.00000500), whose checksum Kraken gives as 974947235.
    private static let officialSnapshot = """
        [0,{"as":[["0.05005","0.00000500","1582905487.684110"],["0.05010","0.00000500","1582905486.187983"],
        ["0.05015","0.00000500","1582905484.480241"],["0.05020","0.00000500","1582905486.645658"],
        ["0.05025","0.00000500","1582905486.859009"],["0.05030","0.00000500","1582905488.601486"],
        ["0.05035","0.00000500","1582905488.357312"],["0.05040","0.00000500","1582905488.785484"],
        ["0.05045","0.00000500","1582905485.302661"],["0.05050","0.00000500","1582905486.157467"]],
        "bs":[["0.05000","0.00000500","1582905487.439814"],["0.04995","0.00000500","1582905485.119396"],
        ["0.04990","0.00000500","1582905486.432052"],["0.04980","0.00000500","1582905480.609351"],
        ["0.04975","0.00000500","1582905476.793880"],["0.04970","0.00000500","1582905486.767461"],
        ["0.04965","0.00000500","1582905481.767528"],["0.04960","0.00000500","1582905487.378907"],
        ["0.04955","0.00000500","1582905483.626664"],["0.04950","0.00000500","1582905488.509872"]]},"book-10","XBT/USD"]
        """

    private static func live() throws -> BookKeeper {
        var keeper = BookKeeper(symbol: "BTC/USD", depth: 10, precision: precision)
        guard case .snapshot = keeper.apply(try message(officialSnapshot)) else { throw Unexpected() }
        return keeper
    }

    @Test func aV1SnapshotHasNoChecksumSoItIsPublishedWithTheBooksOwnWhichIsKrakens() throws {
        var keeper = BookKeeper(symbol: "BTC/USD", depth: 10, precision: Self.precision)
        guard case .snapshot(let snapshot) = keeper.apply(try Self.message(Self.officialSnapshot)) else { throw Unexpected() }
        #expect(snapshot.checksum == 974_947_235)
        #expect(snapshot.symbol == "BTC/USD")
        #expect(snapshot.generation == 1)
        #expect(snapshot.priceScale == 5)
        #expect(snapshot.qtyScale == 8)
        #expect(snapshot.bidPrice.first == 5_000)
        #expect(snapshot.askPrice.first == 5_005)
        #expect(snapshot.bidQty.allSatisfy { $0 == 500 })
    }

    @Test func anUpdateInTwoSideObjectsWithARepublishedLevelIsVerifiedAndPublishedWithTheDeleteItPushedOut() throws {
        var keeper = try Self.live()
        // A new best bid pushes 0.04950 beyond depth 10; the best ask is deleted and 0.05055
        // re-enters the window (`r`, old timestamp).
        var reference = keeper.book
        try reference.apply(price: FixedDecimal("0.05001"), quantity: FixedDecimal("0.00000100"), side: .bid)
        try reference.apply(price: FixedDecimal("0.05005"), quantity: FixedDecimal("0.00000000"), side: .ask)
        try reference.apply(price: FixedDecimal("0.05055"), quantity: FixedDecimal("0.00000700"), side: .ask)
        reference.truncate()
        let update = try Self.message("""
            [1234,{"a":[["0.05005","0.00000000","1582905490.000001"],["0.05055","0.00000700","1582905400.000000","r"]]},
            {"b":[["0.05001","0.00000100","1582905490.000002"]],"c":"\(reference.checksum)"},"book-10","XBT/USD"]
            """)
        guard case .update(let published) = keeper.apply(update) else { throw Unexpected() }
        #expect(published.checksum == reference.checksum)
        #expect(published.bidPrice == [5_001, 4_950])
        #expect(published.bidQty == [100, 0])
        #expect(published.askPrice == [5_005, 5_055])
        #expect(published.askQty == [0, 700])
        #expect(keeper.book == reference)
    }

    @Test func aWrongV1ChecksumPublishesOnlyTheReset() throws {
        var keeper = try Self.live()
        let update = try Self.message("""
            [1234,{"b":[["0.05001","0.00000100","1582905490.000002"]],"c":"12345"},"book-10","XBT/USD"]
            """)
        guard case .checksumMismatch(let reset) = keeper.apply(update) else { throw Unexpected() }
        #expect(reset.expectedChecksum == 12_345)
        #expect(reset.previousGeneration == 1)
        #expect(reset.generation == 2)
        #expect(keeper.phase == .resynchronising)
    }

    @Test func aV1UpdateWithoutAChecksumCannotBeVerifiedAndIsTreatedAsAMismatch() throws {
        var keeper = try Self.live()
        let update = try Self.message("""
            [1234,{"b":[["0.05001","0.00000100","1582905490.000002"]]},"book-10","XBT/USD"]
            """)
        guard case .checksumMismatch = keeper.apply(update) else { throw Unexpected() }
        #expect(keeper.currentSnapshot() == nil)
    }
}
