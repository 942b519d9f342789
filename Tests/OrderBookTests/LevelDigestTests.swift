import FixedPoint
import OrderBook
import SeededRandom
import Testing

/// The book never writes its checksum text: each level's CRC piece is computed from the numbers
/// and the pieces are chained. Whatever the digits, the result must be the CRC of the text.
@Suite("checksum pieces computed from the numbers")
struct LevelDigestTests {
    /// Kraken's text of one number: its magnitude's digits, no leading zeros ("0" for zero).
    static func text(_ value: Int64) -> String { String(value.magnitude) }

    static func number(digits: Int, using generator: inout SplitMix64) -> Int64 {
        guard digits > 1 else { return Int64(generator.next() % 9 + 1) }
        let low = (0..<(digits - 1)).reduce(Int64(1)) { value, _ in value * 10 }
        let span = digits == 19 ? Int64.max - low : low * 9
        return low + Int64(generator.next() % UInt64(span))
    }

    @Test("every pair of digit counts, 1–19 for prices and quantities, checksums like its text")
    func everyDigitCount() {
        var generator = SplitMix64(seed: 5)
        for priceDigits in 1...19 {
            for quantityDigits in 1...19 {
                let price = Self.number(digits: priceDigits, using: &generator)
                let quantity = Self.number(digits: quantityDigits, using: &generator)
                var book = L2Book(depth: 10, priceScale: 0, quantityScale: 0)
                book.apply(BookLevel(price: price, quantity: quantity), side: .ask)
                book.apply(BookLevel(price: 3, quantity: quantity), side: .bid)
                let text = "\(price)\(quantity)3\(quantity)"
                #expect(book.checksum == CRC32.checksum(Array(text.utf8)), "\(price) \(quantity)")
            }
        }
    }

    @Test("zero and negative numbers (only reachable through apply(_:side:)) use their magnitude's digits",
          arguments: [Int64(0), -1, -10, -99_999_999, -100_000_000, Int64.min + 1, Int64.min])
    func magnitudes(price: Int64) {
        var book = L2Book(depth: 10, priceScale: 0, quantityScale: 0)
        book.apply(BookLevel(price: price, quantity: 7), side: .ask)
        #expect(book.checksum == CRC32.checksum(Array("\(Self.text(price))7".utf8)))
    }

    @Test("twenty full levels chain to the CRC of the whole text, after inserts, updates and deletes")
    func fullBook() {
        var generator = SplitMix64(seed: 9)
        var book = L2Book(depth: 25, priceScale: 1, quantityScale: 8)
        for step in 0..<400 {
            let price = Int64(1_000 + generator.next() % 60)
            let quantity = step % 4 == 3 ? 0 : Int64(generator.next() % 5_000_000_000)
            book.apply(BookLevel(price: price, quantity: quantity), side: price < 1_030 ? .bid : .ask)
            book.truncate()
            let levels = book.asks.prefix(10) + book.bids.prefix(10)
            let text = levels.map { Self.text($0.price) + Self.text($0.quantity) }.joined()
            #expect(book.checksum == CRC32.checksum(Array(text.utf8)), "step \(step)")
        }
    }

    @Test("applying exchange decimals converts exactly as level(price:quantity:) does")
    func applyingDecimals() throws {
        var direct = L2Book(depth: 10, priceScale: 1, quantityScale: 8)
        var converted = direct
        let price = try FixedDecimal("45285.2")
        let quantity = try FixedDecimal("0.5")
        try direct.apply(price: price, quantity: quantity, side: .ask)
        converted.apply(try converted.level(price: price, quantity: quantity), side: .ask)
        #expect(direct == converted)
        #expect(direct.asks == [BookLevel(price: 452_852, quantity: 50_000_000, priceScale: 1, quantityScale: 8)])
        let tooPrecise = try FixedDecimal("45285.25")
        #expect(throws: BookError.precisionExceeded(tooPrecise, scale: 1)) {
            try direct.apply(price: tooPrecise, quantity: quantity, side: .bid)
        }
        #expect(throws: BookError.nonPositivePrice(.zero)) { try direct.apply(price: .zero, quantity: quantity, side: .bid) }
        #expect(direct.bids.isEmpty)
    }
}
