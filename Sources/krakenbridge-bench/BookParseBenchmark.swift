import FixedPoint
import Foundation
import KrakenWire
import OrderBook
import SeededRandom

/// The whole per-message book path of the ingest for API v2: parse a `book` update frame
/// (2–5 levels at depth 10), apply its levels, truncate and verify the checksum carried in the
/// frame. Frames are generated from a reference book so every checksum matches; a mismatch
/// aborts the benchmark. JSONDecoder decoding the same frames is measured for the ratio.
struct BookParseBenchmark {
    let updates: Int
    let runs: Int
    /// Off when profiling the KrakenWire path alone.
    var compareWithFoundation = true
    /// Parse only (no book work), for profiling.
    var parseOnly = false

    static let depth = 10
    static let priceScale: UInt8 = 1
    static let quantityScale: UInt8 = 8

    struct CodableBook: Decodable {
        struct Level: Decodable {
            var price: Double
            var qty: Double
        }
        struct Entry: Decodable {
            var symbol: String
            var bids: [Level]
            var asks: [Level]
            var checksum: UInt32
            var timestamp: String?
        }
        var channel: String
        var type: String
        var data: [Entry]
    }

    func run() throws {
        let (initial, frames) = Self.frames(count: 4_096)
        var book = initial
        var samples: [Double] = []
        for _ in 0..<runs {
            book = initial
            // One per connection in the ingest: reuses level arrays and the symbol string.
            var parser = V2FrameParser()
            var mismatches = 0
            let clock = ContinuousClock()
            let start = clock.now
            for index in 0..<updates {
                let slot = index & 4_095
                if slot == 0 { book = initial }
                try frames[slot].withUnsafeBytes { bytes in
                    guard case .book(let message) = try parser.parse(bytes) else { fatalError("not a book frame") }
                    if parseOnly { return }
                    if try Self.apply(message, to: &book) != .match { mismatches += 1 }
                }
            }
            let elapsed = clock.now - start
            precondition(mismatches == 0, "\(mismatches) checksum mismatches")
            samples.append(Self.nanoseconds(elapsed) / Double(updates))
        }
        samples.sort()
        guard compareWithFoundation else {
            print(String(format: "KrakenWire path: median %.0f ns per update", samples[samples.count / 2]))
            return
        }

        let decoder = JSONDecoder()
        let data = frames.map { Data($0) }
        var foundation: [Double] = []
        var sink = 0
        for _ in 0..<runs {
            let clock = ContinuousClock()
            let start = clock.now
            let count = updates / 10
            for index in 0..<count { sink &+= try decoder.decode(CodableBook.self, from: data[index & 4_095]).data[0].bids.count }
            foundation.append(Self.nanoseconds(clock.now - start) / Double(count))
        }
        foundation.sort()
        let median = samples[samples.count / 2]
        let foundationMedian = foundation[foundation.count / 2]
        print("| path | median ns per update | min | max |")
        print("|---|---|---|---|")
        print(String(format: "| KrakenWire parse + L2Book apply + truncate + checksum verify | %.0f | %.0f | %.0f |", median, samples.first!, samples.last!))
        print(String(format: "| Foundation JSONDecoder alone, Codable (Double numbers), same frames | %.0f | %.0f | %.0f |", foundationMedian, foundation.first!, foundation.last!))
        print("")
        print(String(format: "JSONDecoder alone / whole KrakenWire path: %.1f×. Frames average %d bytes; %d updates per run, %d runs (sink %d).",
                     foundationMedian / median, frames.reduce(0) { $0 + $1.count } / frames.count, updates, runs, sink % 10))
    }

    /// What the ingest does per book message.
    static func apply(_ message: V2BookMessage, to book: inout L2Book) throws -> ChecksumResult {
        for level in message.bids { try book.apply(price: level.price, quantity: level.quantity, side: .bid) }
        for level in message.asks { try book.apply(price: level.price, quantity: level.quantity, side: .ask) }
        book.truncate()
        return book.verify(checksum: message.checksum)
    }

    /// A depth-10 book and a cycle of update frames whose checksums match it.
    static func frames(count: Int) -> (L2Book, [[UInt8]]) {
        var generator = SplitMix64(seed: 42)
        let mid: Int64 = 452_850
        var book = L2Book(depth: depth, priceScale: priceScale, quantityScale: quantityScale)
        for level in 0..<depth {
            book.apply(BookLevel(price: mid - 1 - Int64(level), quantity: 100_000_000, priceScale: 1, quantityScale: 8), side: .bid)
            book.apply(BookLevel(price: mid + Int64(level), quantity: 100_000_000, priceScale: 1, quantityScale: 8), side: .ask)
        }
        let initial = book
        var frames: [[UInt8]] = []
        for _ in 0..<count {
            var bids: [BookLevel] = []
            var asks: [BookLevel] = []
            for _ in 0..<Int(generator.next() % 4 + 2) {
                let distance = Int64(generator.next() % 15)
                let quantity = generator.next() % 5 == 0 ? 0 : Int64(generator.next() % 200_000_000 + 1)
                if generator.next() % 2 == 0 {
                    bids.append(BookLevel(price: mid - 1 - distance, quantity: quantity, priceScale: 1, quantityScale: 8))
                } else {
                    asks.append(BookLevel(price: mid + distance, quantity: quantity, priceScale: 1, quantityScale: 8))
                }
            }
            book.apply(bids: bids, asks: asks)
            func json(_ levels: [BookLevel]) -> String {
                levels.map { level in
                    // v2 numbers arrive at engine precision, often without trailing zeros.
                    let price = FixedDecimal.text(mantissa: level.price, scale: Int(priceScale))
                    var quantity = FixedDecimal.text(mantissa: level.quantity, scale: Int(quantityScale))
                    while quantity.hasSuffix("0") && quantity.contains(".") && !quantity.hasSuffix(".0") { quantity.removeLast() }
                    return #"{"price":\#(price),"qty":\#(quantity)}"#
                }.joined(separator: ",")
            }
            let text = #"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[\#(json(bids))],"asks":[\#(json(asks))],"checksum":\#(book.checksum),"timestamp":"2023-10-06T17:35:55.440295Z"}]}"#
            frames.append(Array(text.utf8))
        }
        return (initial, frames)
    }

    static func nanoseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
    }
}
