import FixedPoint
import Foundation
import KrakenREST
import KrakenWire
import MarketFlow
import OrderBook
import Testing
import WireFormat

/// v1 books keep the digits Kraken's strings carry, whatever AssetPairs says. Kraken's v1
/// documentation writes XBT/USD prices with five decimals (`"5541.30000"`) while AssetPairs
/// gives XBT/USD `pair_decimals` 1, and the v1 checksum covers the strings as received.
/// The expected checksums here are CRC32s of the documented checksum text, computed outside
/// this code base (zlib) and written down.
@Suite struct V1WireDigitsTests {
    /// Kraken's documented v1 book snapshot (docs.kraken.com, websocket-v1/book).
    static let documentedSnapshot = """
        [0,{"as":[["5541.30000","2.50700000","1534614248.123678"],["5541.80000","0.33000000","1534614098.345543"]],\
        "bs":[["5541.20000","1.52900000","1534614248.765567"],["5539.90000","0.30000000","1534614241.769870"]]},"book-100","XBT/USD"]
        """
    /// CRC32 of `5541300002507000005541800003300000055412000015290000055399000030000000`.
    static let documentedSnapshotChecksum: UInt32 = 600_453_227

    /// In the documented update's form (asks and bids in two objects, `c` in the last): the
    /// ask 5541.3 re-sent, 5542.5 added, the best bid deleted. The checksum is the CRC32 of
    /// `554130000250700000554180000330000005542500004010000055399000030000000`.
    static let update = """
        [1234,{"a":[["5541.30000","2.50700000","1534614248.456738"],["5542.50000","0.40100000","1534614248.456738"]]},\
        {"b":[["5541.20000","0.00000000","1534614335.345903"]],"c":"4060195792"},"book-100","XBT/USD"]
        """

    /// REST AssetPairs for XBT/USD as Kraken answers it: `pair_decimals` 1, `lot_decimals` 8.
    static let assetPairs = """
        {"error":[],"result":{"XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD","aclass_base":"currency","base":"XXBT",\
        "aclass_quote":"currency","quote":"ZUSD","lot":"unit","cost_decimals":5,"pair_decimals":1,"lot_decimals":8,\
        "lot_multiplier":1,"ordermin":"0.00005","costmin":"0.5","tick_size":"0.1","status":"online"}}}
        """

    static func book(_ frame: String) throws -> V1BookMessage {
        let message = try Array(frame.utf8).withUnsafeBytes { bytes throws(WireError) in try V1Message(frame: bytes) }
        guard case .book(let book) = message else { throw Unexpected() }
        return book
    }

    struct Unexpected: Error {}

    @Test func documentedFiveDecimalPricesWithPairDecimalsOneKeepTheBookAndVerifyEveryChecksum() throws {
        let pairs = try AssetPair.parse(responseBody: Data(Self.assetPairs.utf8))
        var registry = InstrumentRegistry()
        registry.record(pairs)
        #expect(registry["BTC/USD"] == InstrumentRegistry.Precision(priceScale: 1, quantityScale: 8))

        var keeper = BookKeeper(symbol: "BTC/USD", depth: 100, digits: .asReceived)
        guard case .snapshot(let snapshot) = keeper.apply(try Self.book(Self.documentedSnapshot)) else { throw Unexpected() }
        #expect(snapshot.checksum == Self.documentedSnapshotChecksum)
        #expect(snapshot.priceScale == 5)
        #expect(snapshot.qtyScale == 8)
        #expect(snapshot.askPrice == [554_130_000, 554_180_000])
        #expect(snapshot.bidPrice == [554_120_000, 553_990_000])
        #expect(snapshot.bidPriceScales.isEmpty, "one scale throughout: no per-level scales")

        guard case .update(let update) = keeper.apply(try Self.book(Self.update)) else {
            Issue.record("the update's checksum must verify")
            return
        }
        #expect(update.checksum == 4_060_195_792)
        #expect(update.askPrice == [554_130_000, 554_250_000])
        #expect(update.askQty == [250_700_000, 40_100_000])
        #expect(update.bidPrice == [554_120_000])
        #expect(update.bidQty == [0])
        #expect(update.priceScale == 5)
        #expect(keeper.book.checksum == 4_060_195_792)
    }

    @Test func aBookKeptAtAssetPairsDecimalsFailsKrakensV1Checksum() throws {
        // What the bridge did before: v1 strings rescaled to pair_decimals 1 lose the digits
        // the checksum covers (`55413…` instead of `554130000…`).
        var keeper = BookKeeper(symbol: "BTC/USD", depth: 100, precision: .init(priceScale: 1, quantityScale: 8))
        guard case .snapshot(let snapshot) = keeper.apply(try Self.book(Self.documentedSnapshot)) else { throw Unexpected() }
        #expect(snapshot.checksum != Self.documentedSnapshotChecksum)
        guard case .checksumMismatch(let reset) = keeper.apply(try Self.book(Self.update)) else {
            Issue.record("a book at AssetPairs' decimals must not verify Kraken's v1 checksum")
            return
        }
        #expect(reset.expectedChecksum == 4_060_195_792)
    }

    @Test func trailingZerosKrakenSentReachTheBusAndReadBackAsTheSameText() throws {
        var keeper = BookKeeper(symbol: "BTC/USD", depth: 10, digits: .asReceived)
        let frame = """
            [0,{"as":[["27120.00000","0.10000000","1693415330.886651"]],"bs":[["27117.40000","1.00000000","1693415330.886651"]]},\
            "book-10","XBT/USD"]
            """
        guard case .snapshot(let snapshot) = keeper.apply(try Self.book(frame)) else { throw Unexpected() }
        let levels = try snapshot.decodedLevels()
        #expect(levels.asks.map(\.price.description) == ["27120.00000"])
        #expect(levels.asks.map(\.quantity.description) == ["0.10000000"])
        #expect(levels.bids.map(\.price.description) == ["27117.40000"])
    }

    @Test func levelsWrittenWithOtherDecimalsKeepTheirOwnDigitsAndTheBusSaysSo() throws {
        var keeper = BookKeeper(symbol: "BTC/USD", depth: 100, digits: .asReceived)
        _ = keeper.apply(try Self.book(Self.documentedSnapshot))
        // Kraken re-sends the bid 5539.9 with eight and ten decimals: it replaces the level
        // (same price) and the checksum covers the new digits. CRC32 of
        // `55413000025070000055418000033000000554250000401000005539900000003000000000`.
        let reformatted = """
            [1235,{"a":[["5541.30000","2.50700000","1534614248.456738"],["5542.50000","0.40100000","1534614248.456738"]]},\
            {"b":[["5541.20000","0.00000000","1534614335.345903"],["5539.90000000","0.3000000000","1534614336.000000"]],\
            "c":"687246189"},"book-100","XBT/USD"]
            """
        guard case .update(let update) = keeper.apply(try Self.book(reformatted)) else {
            Issue.record("per-level digits must verify")
            return
        }
        #expect(keeper.book.bids.map(\.priceDecimal.description) == ["5539.90000000"])
        #expect(keeper.book.bids.map(\.quantityDecimal.description) == ["0.3000000000"])
        // The message scale is the largest; every level lists the scale it was written with.
        #expect(update.priceScale == 8)
        #expect(update.qtyScale == 10)
        #expect(update.bidPriceScales == [5, 8])
        #expect(update.bidQtyScales == [8, 10])
        #expect(update.askPriceScales == [5, 5])
        let levels = try update.decodedLevels()
        #expect(levels.bids.map(\.price.description) == ["5541.20000", "5539.90000000"])
        #expect(levels.bids.map(\.quantity.description) == ["0.00000000", "0.3000000000"])
        #expect(levels.asks.map(\.price.description) == ["5541.30000", "5542.50000"])

        guard let snapshot = keeper.currentSnapshot() else { throw Unexpected() }
        #expect(snapshot.checksum == 687_246_189)
        #expect(try snapshot.decodedLevels().bids.map(\.price.description) == ["5539.90000000"])
        #expect(try snapshot.decodedLevels().asks.map(\.price.description) == ["5541.30000", "5541.80000", "5542.50000"])
    }

    @Test func theUpdateAfterOneWithPerLevelScalesCarriesNoneOfItsLevelsOrScales() throws {
        var keeper = BookKeeper(symbol: "BTC/USD", depth: 100, digits: .asReceived)
        _ = keeper.apply(try Self.book(Self.documentedSnapshot))
        let reformatted = """
            [1235,{"a":[["5541.30000","2.50700000","1534614248.456738"],["5542.50000","0.40100000","1534614248.456738"]]},\
            {"b":[["5541.20000","0.00000000","1534614335.345903"],["5539.90000000","0.3000000000","1534614336.000000"]],\
            "c":"687246189"},"book-100","XBT/USD"]
            """
        guard case .update(let first) = keeper.apply(try Self.book(reformatted)) else { throw Unexpected() }
        // The keeper refills one message per update: the next one, at one scale throughout,
        // must carry nothing of the first, and the first (still held here) must not change.
        var expected = keeper.book
        expected.apply(BookLevel(price: 554_250_000, quantity: 0, priceScale: 5, quantityScale: 8), side: .ask)
        expected.truncate()
        let delete = #"[1236,{"a":[["5542.50000","0.00000000","1534614340.000000"]],"c":"\#(expected.checksum)"},"book-100","XBT/USD"]"#
        guard case .update(let second) = keeper.apply(try Self.book(delete)) else { throw Unexpected() }
        #expect(second.askPrice == [554_250_000] && second.askQty == [0] && second.bidPrice.isEmpty && second.bidQty.isEmpty)
        #expect(second.bidPriceScales.isEmpty && second.bidQtyScales.isEmpty && second.askPriceScales.isEmpty && second.askQtyScales.isEmpty)
        #expect(second.priceScale == 5 && second.qtyScale == 8 && second.checksum == expected.checksum)
        #expect(first.bidPriceScales == [5, 8] && first.askPrice.count == 2 && first.checksum == 687_246_189)
    }

    @Test func levelsWhoseDigitsCannotShareOneMessageScaleResetTheBookSayingWhy() throws {
        // 9000000000000000000 at scale 0 next to 1.5 at scale 1: at the common scale 1 the first
        // mantissa would need 9×10^19, beyond Int64. The book cannot be published exactly.
        var keeper = BookKeeper(symbol: "BIG/USD", depth: 10, digits: .asReceived)
        let frame = """
            [0,{"as":[["9000000000000000000","1.00000000","1693415330.886651"],["1.5","1.00000000","1693415330.886651"]],\
            "bs":[]},"book-10","BIG/USD"]
            """
        guard case .invalidLevel(let reset) = keeper.apply(try Self.book(frame)) else {
            Issue.record("an unpublishable book must be reset")
            return
        }
        #expect(reset.detail == BookKeeper.unwritableDetail)
        #expect(keeper.phase == .resynchronising)
    }
}
