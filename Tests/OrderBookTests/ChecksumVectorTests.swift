import FixedPoint
import OrderBook
import SeededRandom
import Testing

/// The official test vectors from Kraken's book guides (../shared/reference/kraken-protocol.md §4).
@Suite("Kraken checksum vectors")
struct ChecksumVectorTests {
    static func levels(_ pairs: [(String, String)]) throws -> [(FixedDecimal, FixedDecimal)] {
        try pairs.map { (try FixedDecimal($0.0), try FixedDecimal($0.1)) }
    }

    func book(depth: Int, priceScale: UInt8, quantityScale: UInt8, asks: [(String, String)], bids: [(String, String)]) throws -> L2Book {
        var book = L2Book(depth: depth, priceScale: priceScale, quantityScale: quantityScale)
        let askLevels = try Self.levels(asks).map { try book.level(price: $0.0, quantity: $0.1) }
        let bidLevels = try Self.levels(bids).map { try book.level(price: $0.0, quantity: $0.1) }
        book.apply(bids: bidLevels, asks: askLevels)
        return book
    }

    @Test("CRC32 is zlib's: the check value of \"123456789\" is 0xCBF43926")
    func crcCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test("the sliced CRC equals a bit-by-bit reference CRC for every length and alignment")
    func slicedMatchesReference() {
        func reference(_ bytes: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            }
            return crc ^ 0xFFFF_FFFF
        }
        var generator = SplitMix64(seed: 7)
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            #expect(CRC32.checksum(bytes) == reference(bytes), "length \(length)")
        }
    }

    @Test("digits are written exactly for every magnitude, up to 19 digits", arguments: [
        Int64(1), 9, 10, 99, 100, 12_345_678, 99_999_999, 100_000_000, 123_456_789_012, 9_999_999_999_999_999,
        10_000_000_000_000_000, Int64.max,
    ])
    func digitsOfEveryMagnitude(quantity: Int64) {
        var book = L2Book(depth: 10, priceScale: 0, quantityScale: 0)
        book.apply(BookLevel(price: 7, quantity: quantity), side: .ask)
        #expect(book.checksum == CRC32.checksum(Array("7\(quantity)".utf8)))
    }

    @Test("v1 vector: 974947235")
    func v1Vector() throws {
        let asks = ["0.05005", "0.05010", "0.05015", "0.05020", "0.05025", "0.05030", "0.05035", "0.05040", "0.05045", "0.05050"]
        let bids = ["0.05000", "0.04995", "0.04990", "0.04980", "0.04975", "0.04970", "0.04965", "0.04960", "0.04955", "0.04950"]
        let book = try book(
            depth: 100, priceScale: 5, quantityScale: 8,
            asks: asks.map { ($0, "0.00000500") }, bids: bids.map { ($0, "0.00000500") })
        #expect(book.checksum == 974_947_235)
        #expect(book.verify(checksum: 974_947_235) == .match)
    }

    static let v2Asks = [
        ("45285.2", "0.00100000"), ("45286.4", "1.54571953"), ("45286.6", "1.54571109"), ("45289.6", "1.54560911"),
        ("45290.2", "0.15890660"), ("45291.8", "1.54553491"), ("45294.7", "0.04454749"), ("45296.1", "0.35380000"),
        ("45297.5", "0.09945542"), ("45299.5", "0.18772827"),
    ]
    static let v2Bids = [
        ("45283.5", "0.10000000"), ("45283.4", "1.54582015"), ("45282.1", "0.10000000"), ("45281.0", "0.10000000"),
        ("45280.3", "1.54592586"), ("45279.0", "0.07990000"), ("45277.6", "0.03310103"), ("45277.5", "0.30000000"),
        ("45277.3", "1.54602737"), ("45276.6", "0.15445238"),
    ]

    @Test("v2 vector: 3310070434")
    func v2Vector() throws {
        let book = try book(depth: 10, priceScale: 1, quantityScale: 8, asks: Self.v2Asks, bids: Self.v2Bids)
        #expect(book.checksum == 3_310_070_434)
    }

    @Test("the v2 vector's checksum text is Kraken's documented asks string then bids string, and its CRC32 is 3310070434")
    func v2VectorText() throws {
        let book = try book(depth: 10, priceScale: 1, quantityScale: 8, asks: Self.v2Asks, bids: Self.v2Bids)
        let asks = "45285210000045286415457195345286615457110945289615456091145290215890660452918154553491452947445474945296135380000452975994554245299518772827"
        let bids = "452835100000004528341545820154528211000000045281010000000452803154592586452790799000045277633101034527753000000045277315460273745276615445238"
        #expect(book.checksumText == asks + bids)
        #expect(CRC32.checksum(Array(book.checksumText.utf8)) == 3_310_070_434)
    }

    @Test("the checksum text covers only the best ten levels per side, asks first")
    func checksumTextTopTen() {
        var book = L2Book(depth: 25, priceScale: 1, quantityScale: 2)
        for step in Int64(0)..<12 {
            book.apply(BookLevel(price: 1_000 - step, quantity: 5, priceScale: 1, quantityScale: 2), side: .bid)
            book.apply(BookLevel(price: 2_000 + step, quantity: 105, priceScale: 1, quantityScale: 2), side: .ask)
        }
        let asks = (Int64(0)..<10).map { "\(2_000 + $0)105" }.joined()
        let bids = (Int64(0)..<10).map { "\(1_000 - $0)5" }.joined()
        #expect(book.checksumText == asks + bids)
        #expect(CRC32.checksum(Array(book.checksumText.utf8)) == book.checksum)
        #expect(L2Book(depth: 10, priceScale: 1, quantityScale: 8).checksumText == "")
    }

    @Test("v2 numbers that arrive without trailing zeros are padded to the instrument's precision")
    func v2PaddingFromShortNumbers() throws {
        // What a float-minded JSON printer would send: 45281.0 → 45281, 0.10000000 → 0.1.
        func shorten(_ text: String) -> String {
            guard text.contains(".") else { return text }
            var trimmed = text
            while trimmed.hasSuffix("0") { trimmed.removeLast() }
            if trimmed.hasSuffix(".") { trimmed.removeLast() }
            return trimmed
        }
        let asks = Self.v2Asks.map { (shorten($0.0), shorten($0.1)) }
        let bids = Self.v2Bids.map { (shorten($0.0), shorten($0.1)) }
        let book = try book(depth: 10, priceScale: 1, quantityScale: 8, asks: asks, bids: bids)
        #expect(book.checksum == 3_310_070_434)
    }

    @Test("the same levels formatted through Double give the wrong checksum 1604409348")
    func doubleFormattingIsWrong() {
        // Swift's Double description drops trailing zeros exactly as repr(float) does.
        func digits(_ text: String) -> String {
            let viaDouble = "\(Double(text)!)"
            let withoutPoint = viaDouble.filter { $0 != "." }
            return String(withoutPoint.drop { $0 == "0" })
        }
        let text = (Self.v2Asks + Self.v2Bids).map { digits($0.0) + digits($0.1) }.joined()
        #expect(CRC32.checksum(Array(text.utf8)) == 1_604_409_348)
    }

    @Test("a mismatch is reported as a value with both checksums")
    func mismatchIsAValue() throws {
        let book = try book(depth: 10, priceScale: 1, quantityScale: 8, asks: Self.v2Asks, bids: Self.v2Bids)
        #expect(book.verify(checksum: 1) == .mismatch(expected: 1, computed: 3_310_070_434))
    }

    @Test("a level with more digits than the instrument's precision is refused")
    func precisionExceeded() throws {
        let book = L2Book(depth: 10, priceScale: 1, quantityScale: 8)
        #expect(throws: BookError.precisionExceeded(try FixedDecimal("45285.25"), scale: 1)) {
            try book.level(price: try FixedDecimal("45285.25"), quantity: try FixedDecimal("1"))
        }
        #expect(throws: BookError.negativeQuantity(try FixedDecimal("-1"))) {
            try book.level(price: try FixedDecimal("1"), quantity: try FixedDecimal("-1"))
        }
    }
}
