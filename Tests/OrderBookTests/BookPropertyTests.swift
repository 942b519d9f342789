import FixedPoint
import OrderBook
import SeededRandom
import Testing

/// The obvious, slow book: dictionaries, full sorts, and the checksum built as text exactly as
/// Kraken's guide describes it. The real book must agree with it after every step.
struct NaiveBook {
    let depth: Int
    let priceScale: UInt8
    let quantityScale: UInt8
    var bids: [Int64: Int64] = [:]
    var asks: [Int64: Int64] = [:]

    mutating func apply(bids newBids: [BookLevel], asks newAsks: [BookLevel]) {
        for level in newBids { bids[level.price] = level.quantity == 0 ? nil : level.quantity }
        for level in newAsks { asks[level.price] = level.quantity == 0 ? nil : level.quantity }
        bids = Dictionary(uniqueKeysWithValues: sortedBids.prefix(depth).map { ($0.price, $0.quantity) })
        asks = Dictionary(uniqueKeysWithValues: sortedAsks.prefix(depth).map { ($0.price, $0.quantity) })
    }

    var sortedBids: [BookLevel] { bids.map { BookLevel(price: $0.key, quantity: $0.value) }.sorted { $0.price > $1.price } }
    var sortedAsks: [BookLevel] { asks.map { BookLevel(price: $0.key, quantity: $0.value) }.sorted { $0.price < $1.price } }

    var checksum: UInt32 {
        func text(_ mantissa: Int64, _ scale: UInt8) -> String {
            let formatted = FixedDecimal(mantissa: mantissa, scale: scale).description
            return String(formatted.filter { $0 != "." }.drop { $0 == "0" })
        }
        let levels = sortedAsks.prefix(10) + sortedBids.prefix(10)
        let string = levels.map { text($0.price, priceScale) + text($0.quantity, quantityScale) }.joined()
        return CRC32.checksum(Array(string.utf8))
    }
}

@Suite("L2 book against a naive model")
struct BookPropertyTests {
    @Test("random updates agree on levels and checksum after every step", arguments: [10, 25, 100, 500, 1000])
    func randomOperations(depth: Int) {
        var generator = SplitMix64(seed: UInt64(depth))
        var book = L2Book(depth: depth, priceScale: 1, quantityScale: 8)
        var model = NaiveBook(depth: depth, priceScale: 1, quantityScale: 8)
        let mid: Int64 = 500_000
        let steps = depth >= 500 ? 250 : 800
        for step in 0..<steps {
            // Mostly small updates near the top, sometimes a big burst or deletes of absent levels.
            let count = step % 50 == 0 ? Int.random(in: 50...200, using: &generator) : Int.random(in: 1...5, using: &generator)
            var bids: [BookLevel] = []
            var asks: [BookLevel] = []
            for _ in 0..<count {
                let distance = Int64.random(in: 0...Int64(depth * 3), using: &generator)
                let quantity = Int.random(in: 0..<4, using: &generator) == 0 ? 0 : Int64.random(in: 1...50_000_000_000, using: &generator)
                if Bool.random(using: &generator) {
                    bids.append(BookLevel(price: mid - 1 - distance, quantity: quantity))
                } else {
                    asks.append(BookLevel(price: mid + distance, quantity: quantity))
                }
            }
            book.apply(bids: bids, asks: asks)
            model.apply(bids: bids, asks: asks)
            #expect(book.bids == model.sortedBids, "bids differ at step \(step)")
            #expect(book.asks == model.sortedAsks, "asks differ at step \(step)")
            #expect(book.checksum == model.checksum, "checksum differs at step \(step)")
            if book.bids != model.sortedBids || book.checksum != model.checksum { return }
        }
        #expect(book.bids.count <= depth && book.asks.count <= depth)
    }

    @Test("a full book changed at both ends, as depth-1000 traffic changes it, agrees after every step",
          arguments: [10, 1000])
    func changesAtBothEnds(depth: Int) {
        var generator = SplitMix64(seed: 77 + UInt64(depth))
        var book = L2Book(depth: depth, priceScale: 1, quantityScale: 8)
        var model = NaiveBook(depth: depth, priceScale: 1, quantityScale: 8)
        let mid: Int64 = 500_000
        let full = (0..<Int64(depth)).map { BookLevel(price: mid - 1 - 2 * $0, quantity: 1 + $0) }
        let fullAsks = (0..<Int64(depth)).map { BookLevel(price: mid + 2 * $0, quantity: 1 + $0) }
        book.apply(bids: full, asks: fullAsks)
        model.apply(bids: full, asks: fullAsks)
        for step in 0..<(depth >= 1000 ? 300 : 1_500) {
            var bids: [BookLevel] = []
            var asks: [BookLevel] = []
            let quantity = Int64.random(in: 1...9_000, using: &generator)
            switch Int.random(in: 0..<6, using: &generator) {
            case 0:  // the best bid goes; the level entering at the bottom is republished
                if let best = model.sortedBids.first { bids.append(BookLevel(price: best.price, quantity: 0)) }
                if let worst = model.sortedBids.last { bids.append(BookLevel(price: worst.price - 1, quantity: quantity)) }
            case 1:  // a new best ask pushes the worst out
                if let best = model.sortedAsks.first { asks.append(BookLevel(price: best.price - 1, quantity: quantity)) }
            case 2:  // a level near the bottom changes or goes
                let levels = model.sortedAsks
                if !levels.isEmpty {
                    let level = levels[max(0, levels.count - 1 - Int.random(in: 0..<3, using: &generator))]
                    asks.append(BookLevel(price: level.price, quantity: Bool.random(using: &generator) ? 0 : quantity))
                }
            case 3:  // a new worst bid inside the depth, when there is room
                if let worst = model.sortedBids.last { bids.append(BookLevel(price: worst.price - 1, quantity: quantity)) }
            case 4:  // the top changes in place, and the best ask goes
                if let best = model.sortedBids.first { bids.append(BookLevel(price: best.price, quantity: quantity)) }
                if let best = model.sortedAsks.first { asks.append(BookLevel(price: best.price, quantity: 0)) }
            default:  // a new best bid
                if let best = model.sortedBids.first { bids.append(BookLevel(price: best.price + 1, quantity: quantity)) }
            }
            book.apply(bids: bids, asks: asks)
            model.apply(bids: bids, asks: asks)
            #expect(book.bids == model.sortedBids, "bids differ at step \(step)")
            #expect(book.asks == model.sortedAsks, "asks differ at step \(step)")
            #expect(book.checksum == model.checksum, "checksum differs at step \(step)")
            if book.bids != model.sortedBids || book.asks != model.sortedAsks || book.checksum != model.checksum { return }
        }
        #expect(Array(book.bidLevels) == book.bids && book.bestBid == book.bids.first && book.bestAsk == book.asks.first)
    }

    @Test("levels pushed beyond the depth are dropped without a delete from Kraken")
    func truncation() {
        var book = L2Book(depth: 2, priceScale: 0, quantityScale: 0)
        book.apply(bids: [BookLevel(price: 10, quantity: 1), BookLevel(price: 9, quantity: 1)], asks: [])
        book.apply(bids: [BookLevel(price: 11, quantity: 1)], asks: [])
        #expect(book.bids == [BookLevel(price: 11, quantity: 1), BookLevel(price: 10, quantity: 1)])
        // The level 9 is gone for good: deleting 11 does not bring it back.
        book.apply(bids: [BookLevel(price: 11, quantity: 0)], asks: [])
        #expect(book.bids == [BookLevel(price: 10, quantity: 1)])
        #expect(book.checksum == CRC32.checksum(Array("101".utf8)))
    }
}

@Suite("L2 book keeping digits as received, against a naive model")
struct AsReceivedBookPropertyTests {
    /// One level as text, the way a v1 string arrives.
    struct Text: Equatable {
        var price: String
        var quantity: String
    }

    /// Price → the newest text received for it, keyed by value (`5541.3` and `5541.30000` are
    /// one level); the checksum is Kraken's documented algorithm over that text.
    struct NaiveTextBook {
        let depth: Int
        var bids: [Int128: Text] = [:]
        var asks: [Int128: Text] = [:]

        static func key(_ text: String) -> Int128 {
            let decimal = try! FixedDecimal(text)
            return Int128(decimal.rescaled(to: 12)!.mantissa)
        }

        mutating func apply(_ level: Text, bid: Bool) {
            let key = Self.key(level.price)
            let isDelete = (try! FixedDecimal(level.quantity)).isZero
            if bid { bids[key] = isDelete ? nil : level } else { asks[key] = isDelete ? nil : level }
        }

        mutating func truncate() {
            for key in bids.keys.sorted(by: >).dropFirst(depth) { bids[key] = nil }
            for key in asks.keys.sorted().dropFirst(depth) { asks[key] = nil }
        }

        var sortedBids: [Text] { bids.keys.sorted(by: >).map { bids[$0]! } }
        var sortedAsks: [Text] { asks.keys.sorted().map { asks[$0]! } }

        var checksum: UInt32 {
            func digits(_ text: String) -> String { String(text.filter { $0 != "." }.drop { $0 == "0" }) }
            let levels = sortedAsks.prefix(10) + sortedBids.prefix(10)
            return CRC32.checksum(Array(levels.map { digits($0.price) + digits($0.quantity) }.joined().utf8))
        }
    }

    @Test("random levels written with 1–4 price and 8–10 quantity decimals agree on text and checksum", arguments: [10, 100])
    func mixedDecimals(depth: Int) throws {
        var generator = SplitMix64(seed: UInt64(depth) &+ 77)
        var book = L2Book(depth: depth, digits: .asReceived)
        var model = NaiveTextBook(depth: depth)
        for step in 0..<600 {
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let tick = Int64.random(in: 0...Int64(depth * 2), using: &generator)
                let bid = Bool.random(using: &generator)
                let price = bid ? 50_000 - 1 - tick : 50_000 + tick
                let priceDecimals = Int.random(in: 1...4, using: &generator)
                let quantityDecimals = Int.random(in: 8...10, using: &generator)
                let quantity = Int.random(in: 0..<4, using: &generator) == 0 ? 0 : Int64.random(in: 1...9_000_000_000, using: &generator)
                let priceText = FixedDecimal.text(mantissa: price * [1, 10, 100, 1_000][priceDecimals - 1], scale: priceDecimals)
                let quantityText = FixedDecimal.text(mantissa: quantity * [1, 10, 100][quantityDecimals - 8], scale: quantityDecimals)
                let text = Text(price: priceText, quantity: quantityText)
                try book.apply(price: FixedDecimal(priceText), quantity: FixedDecimal(quantityText), side: bid ? .bid : .ask)
                model.apply(text, bid: bid)
            }
            book.truncate()
            model.truncate()
            let bids = book.bids.map { Text(price: $0.priceDecimal.description, quantity: $0.quantityDecimal.description) }
            let asks = book.asks.map { Text(price: $0.priceDecimal.description, quantity: $0.quantityDecimal.description) }
            #expect(bids == model.sortedBids, "bids differ at step \(step)")
            #expect(asks == model.sortedAsks, "asks differ at step \(step)")
            #expect(book.checksum == model.checksum, "checksum differs at step \(step)")
            if bids != model.sortedBids || asks != model.sortedAsks || book.checksum != model.checksum { return }
        }
    }
}
