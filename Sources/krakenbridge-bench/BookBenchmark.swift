import FixedPoint
import Foundation
import OrderBook
import SeededRandom

/// Applies Kraken-shaped book updates (2–5 levels near the top of a depth-10 book) and verifies
/// the checksum after each, as the ingest path will; reports the median of per-batch averages.
/// Parsing is not included yet (the Kraken message scanner comes with the protocol core).
struct BookBenchmark {
    let updates: Int
    let runs: Int

    func run() {
        var generator = SplitMix64(seed: 42)
        // Pre-generate updates so the loop measures the book, not the generator.
        let mid: Int64 = 452_850
        var messages: [([BookLevel], [BookLevel])] = []
        for _ in 0..<4_096 {
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
            messages.append((bids, asks))
        }
        var book = L2Book(depth: 10, priceScale: 1, quantityScale: 8)
        for level in 0..<10 {
            book.apply(BookLevel(price: mid - 1 - Int64(level), quantity: 100_000_000, priceScale: 1, quantityScale: 8), side: .bid)
            book.apply(BookLevel(price: mid + Int64(level), quantity: 100_000_000, priceScale: 1, quantityScale: 8), side: .ask)
        }
        var samples: [Double] = []
        var sink: UInt32 = 0
        for _ in 0..<runs {
            let clock = ContinuousClock()
            let start = clock.now
            for index in 0..<updates {
                let message = messages[index & 4_095]
                book.apply(bids: message.0, asks: message.1)
                sink &+= book.checksum
            }
            let elapsed = clock.now - start
            let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            samples.append(nanoseconds / Double(updates))
        }
        samples.sort()
        var checksumOnly: [Double] = []
        for _ in 0..<runs {
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<updates { sink &+= book.checksum }
            let elapsed = clock.now - start
            checksumOnly.append((Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9) / Double(updates))
        }
        checksumOnly.sort()
        print("| benchmark | median ns per update | min | max |")
        print("|---|---|---|---|")
        print(String(format: "| L2 depth 10: apply 2–5 levels + truncate + CRC32 checksum | %.0f | %.0f | %.0f |", samples[samples.count / 2], samples.first!, samples.last!))
        print(String(format: "| L2 depth 10: CRC32 checksum alone | %.0f | %.0f | %.0f |", checksumOnly[checksumOnly.count / 2], checksumOnly.first!, checksumOnly.last!))
        print("")
        print("\(updates) updates per run, \(runs) runs (checksum sink \(sink % 10)).")
    }
}
