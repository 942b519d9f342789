import FixedPoint
import KrakenWire
import OrderBook

/// The body of the libFuzzer entry point, kept in a library so the unit tests replay the seed
/// corpus through exactly the code the fuzzer runs.
///
/// Any input must end in a value or a `WireError` — never a trap. Whatever parses is pushed
/// further (into books, through checksums, back to text) and checked against invariants
/// that trap on purpose when broken, so the fuzzer reports them as crashes.
public enum FuzzOneInput {
    /// What the input turned into; the unit tests assert on it.
    public enum Outcome: Equatable, Sendable {
        case v2, v1, rejected
    }

    @discardableResult
    public static func run(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        var outcome = Outcome.rejected
        let general = try? V2Message(generalFrame: bytes)
        if let message = try? V2Message(frame: bytes) {
            // The fast path may only ever agree with the general parser.
            precondition(message == general, "fast path and general parser disagree")
            // A reused parser too, with its caches cold and then warm from the same frame.
            var parser = V2FrameParser()
            for _ in 0..<2 { precondition((try? parser.parse(bytes)) == message, "reused parser disagrees") }
            outcome = .v2
            exercise(message)
        } else {
            precondition(general == nil, "general parser accepts what V2Message(frame:) rejects")
        }
        let generalV1 = try? V1Message(generalFrame: bytes)
        if let message = try? V1Message(frame: bytes) {
            precondition(message == generalV1, "v1 fast path and general parser disagree")
            var parser = V1FrameParser()
            for _ in 0..<2 { precondition((try? parser.parse(bytes)) == message, "reused v1 parser disagrees") }
            precondition(outcome == .rejected, "a frame parsed as both v1 and v2")
            outcome = .v1
            exercise(message)
        } else {
            precondition(generalV1 == nil, "general v1 parser accepts what V1Message(frame:) rejects")
        }
        return outcome
    }

    static func exercise(_ message: V2Message) {
        switch message {
        case .book(let book):
            checkRoundTrip(book.bids.flatMap { [$0.price, $0.quantity] } + book.asks.flatMap { [$0.price, $0.quantity] })
            var l2 = L2Book(depth: 10, priceScale: 8, quantityScale: 8)
            for level in book.bids { if let converted = try? l2.level(price: level.price, quantity: level.quantity) { l2.apply(converted, side: .bid) } }
            for level in book.asks { if let converted = try? l2.level(price: level.price, quantity: level.quantity) { l2.apply(converted, side: .ask) } }
            l2.truncate()
            checkSorted(l2)
            _ = l2.verify(checksum: book.checksum)
        case .level3(let book):
            var l3 = L3Book(depth: 10, priceScale: 8, quantityScale: 8)
            for (orders, side) in [(book.bids, BookSide.bid), (book.asks, .ask)] {
                for order in orders {
                    guard let price = order.limitPrice.rescaled(to: 8), let quantity = order.quantity.rescaled(to: 8) else { continue }
                    switch order.event {
                    case .add, nil: try? l3.add(id: order.orderID, side: side, price: price.mantissa, quantity: quantity.mantissa)
                    case .modify: try? l3.modify(id: order.orderID, quantity: quantity.mantissa)
                    case .delete: try? l3.delete(id: order.orderID)
                    }
                }
            }
            l3.truncate()
            _ = l3.verify(checksum: book.checksum)
        case .trade(let trades): checkRoundTrip(trades.trades.flatMap { [$0.price, $0.quantity] })
        case .executions(let executions):
            checkRoundTrip(executions.reports.compactMap(\.lastPrice) + executions.reports.compactMap(\.cumulativeQuantity))
        default: break
        }
    }

    static func exercise(_ message: V1Message) {
        switch message {
        case .book(let book):
            checkRoundTrip(book.asks.flatMap { [$0.price, $0.volume] } + book.bids.flatMap { [$0.price, $0.volume] })
            var l2 = L2Book(depth: max(1, min(book.depth, 1_000)), priceScale: 8, quantityScale: 8)
            for level in book.bids { if let converted = try? l2.level(price: level.price, quantity: level.volume) { l2.apply(converted, side: .bid) } }
            for level in book.asks { if let converted = try? l2.level(price: level.price, quantity: level.volume) { l2.apply(converted, side: .ask) } }
            l2.truncate()
            checkSorted(l2)
            if let checksum = book.checksum { _ = l2.verify(checksum: checksum) }
        case .trade(let trades): checkRoundTrip(trades.trades.flatMap { [$0.price, $0.volume] })
        default: break
        }
    }

    /// A parsed decimal's text parses back to the same digits.
    static func checkRoundTrip(_ values: [FixedDecimal]) {
        for value in values {
            let reparsed = try? FixedDecimal(value.description)
            precondition(reparsed == value, "\(value) does not round-trip through its text")
        }
    }

    /// Best first on both sides, no duplicate prices, no empty levels, within depth.
    static func checkSorted(_ book: L2Book) {
        precondition(book.bids.count <= book.depth && book.asks.count <= book.depth, "book exceeds its depth")
        for index in book.bids.indices.dropFirst() { precondition(book.bids[index - 1].price > book.bids[index].price, "bids out of order") }
        for index in book.asks.indices.dropFirst() { precondition(book.asks[index - 1].price < book.asks[index].price, "asks out of order") }
        precondition((book.bids + book.asks).allSatisfy { $0.quantity > 0 }, "empty level kept")
    }
}
